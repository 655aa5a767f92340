/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slot tables and the per-slot replay cache (RFC 8881, section 2.10.6).
 */
#ifndef _FS_DITTOFS_SLOT_H
#define _FS_DITTOFS_SLOT_H

#include <linux/atomic.h>
#include <linux/nfs4.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "limits.h"

/* Slot table targets are revisited at most this often. */
#define DFS_SLOT_WINDOW_SECS	5

/**
 * struct dfs_budget - bytes charged against the reply-cache budget
 * @used: bytes currently charged; atomic, no lock
 * @accounts: client accounts that hold a charge now; atomic
 * @replies: cached replies that exist now; atomic
 * @pressure_until: the shrinker asked for memory back: sessions shrink
 *	their slot targets until this time (seconds); READ_ONCE()
 *
 * The limit is read from dfs_limits_get() at every charge, so a new limit
 * applies to the next allocation.
 */
struct dfs_budget {
	atomic64_t used;
	atomic_t accounts;
	atomic_t replies;
	time64_t pressure_until;
};

/**
 * struct dfs_budget_acct - one client's share of the budget
 * @ref: the client's, one per slot table using it, one per cached reply
 * @used: bytes of cached replies charged through it; atomic
 * @budget: the server's budget, constant
 *
 * When the budget is contended (more than three quarters used) a client
 * may not hold more than its fair share: the budget divided among the
 * clients that hold a charge.
 */
struct dfs_budget_acct {
	refcount_t ref;
	atomic64_t used;
	struct dfs_budget *budget;
};

bool dfs_budget_charge(struct dfs_budget *b, u64 bytes);
void dfs_budget_uncharge(struct dfs_budget *b, u64 bytes);
bool dfs_budget_contended(struct dfs_budget *b);
struct dfs_budget_acct *dfs_budget_acct_alloc(struct dfs_budget *b);
void dfs_budget_acct_put(struct dfs_budget_acct *acct);
bool dfs_acct_charge(struct dfs_budget_acct *acct, u64 bytes, u64 credit);
void dfs_acct_charge_force(struct dfs_budget_acct *acct, u64 bytes);
void dfs_acct_uncharge(struct dfs_budget_acct *acct, u64 bytes);

/**
 * struct dfs_reply - one cached COMPOUND reply, sized to the reply
 * @ref: held by the slot that caches it and by each replay being sent
 * @acct: where @charge was taken from (referenced)
 * @charge: bytes charged for this buffer: its slab object's size
 * @len: bytes in @data
 * @next: links replies on a private list to be put
 * @data: the reply exactly as it was sent
 *
 * Immutable once published in a slot.
 */
struct dfs_reply {
	refcount_t ref;
	struct dfs_budget_acct *acct;
	u32 charge;
	u32 len;
	struct dfs_reply *next;
	u8 data[];
};

void dfs_reply_put(struct dfs_reply *rep);

/*
 * Slot states.
 *
 *   state           meaning                              set by
 *   UNUSED          no request has executed yet          allocation
 *   IN_USE          a request is executing               dfs_slot_acquire()
 *   UNCACHED        last request done, reply not kept    dfs_slot_complete(),
 *                   (or given back early)                freeing above
 *                                                        sa_highest_slotid
 *   CACHED          last request done, reply kept        dfs_slot_complete()
 *
 * UNUSED, UNCACHED, CACHED -> IN_USE -> UNCACHED or CACHED;
 * CACHED -> UNCACHED.
 */
enum dfs_slot_state {
	DFS_SLOT_UNUSED,
	DFS_SLOT_IN_USE,
	DFS_SLOT_UNCACHED,
	DFS_SLOT_CACHED,
};

/**
 * struct dfs_slot - one slot (an object of the slot kmem_cache)
 * @seqid: sequence id of the last request accepted on this slot
 * @state: see the table above
 * @digest: digest of the request accepted with @seqid
 * @cachethis: that request's reply is to be cached (it asked, and the
 *	budget had room)
 * @reserved: budget reserved for that reply while IN_USE
 * @reply: the cached reply in state CACHED, else NULL
 *
 * Every field is guarded by the table's lock.  While the slot is IN_USE
 * only the request holding it changes @cachethis and @reserved, so it may
 * read them without the lock.
 */
struct dfs_slot {
	u32 seqid;
	enum dfs_slot_state state;
	u64 digest;
	bool cachethis;
	u32 reserved;
	struct dfs_reply *reply;
};

/**
 * struct dfs_slot_table - the slots of one channel of one session
 * @lock: guards every slot and the counters below
 * @attrs: the channel's negotiated attributes, constant
 * @acct: where reservations and cached replies are charged (referenced),
 *	constant
 * @inflight: slots IN_USE
 * @highest_used: highest slot id ever accepted
 * @client_highest: the last sa_highest_slotid the client sent
 * @cached_top: no slot above it holds a cached reply
 * @target: sr_target_highest_slotid, the slots the server wants used
 * @window_start: when the current target window began, seconds
 * @window_peak: highest sa_highest_slotid seen in it
 * @replays: retries answered from the cache
 * @delays: retries refused with NFS4ERR_DELAY
 * @misordered: requests refused with NFS4ERR_SEQ_MISORDERED
 * @uncached: cachethis requests run without caching for lack of budget
 * @freed: cached replies freed early (above sa_highest_slotid, shrinker)
 * @closed: the session is going away; no slot is granted any more
 * @nr: number of slots, constant
 * @slots: the slots, constant pointers
 */
struct dfs_slot_table {
	spinlock_t lock;	/* slots and counters */
	struct dfs_channel_attrs attrs;
	struct dfs_budget_acct *acct;
	u32 inflight;
	u32 highest_used;
	u32 client_highest;
	u32 cached_top;
	u32 target;
	time64_t window_start;
	u32 window_peak;
	u64 replays;
	u64 delays;
	u64 misordered;
	u64 uncached;
	u64 freed;
	bool closed;
	u32 nr;
	struct dfs_slot *slots[] __counted_by(nr);
};

/**
 * struct dfs_slot_args - what SEQUENCE asks of a slot
 * @slotid: sa_slotid
 * @seqid: sa_sequenceid
 * @highest_slotid: sa_highest_slotid
 * @cachethis: sa_cachethis
 * @digest: a digest of the whole request, for false-retry detection
 * @req_size: size of the whole RPC call, bytes
 * @nops: operations in the COMPOUND
 */
struct dfs_slot_args {
	u32 slotid;
	u32 seqid;
	u32 highest_slotid;
	bool cachethis;
	u64 digest;
	u32 req_size;
	u32 nops;
};

/**
 * struct dfs_slot_stats - a consistent copy of a table's counters
 * @nr: number of slots
 * @inflight: slots in use
 * @highest_used: highest slot id ever accepted
 * @replays: replay hits
 * @delays: NFS4ERR_DELAY answers
 * @misordered: NFS4ERR_SEQ_MISORDERED answers
 * @target: sr_target_highest_slotid now
 * @client_highest: the client's last sa_highest_slotid
 * @uncached: cachethis requests run uncached for lack of budget
 * @freed: cached replies freed before their slot was reused
 * @cached_bytes: bytes of cached replies held now
 */
struct dfs_slot_stats {
	u32 nr;
	u32 inflight;
	u32 highest_used;
	u64 replays;
	u64 delays;
	u64 misordered;
	u32 target;
	u32 client_highest;
	u64 uncached;
	u64 freed;
	u64 cached_bytes;
};

size_t dfs_slot_table_cost(u32 nr);
struct dfs_slot_table *dfs_slot_table_alloc(const struct dfs_channel_attrs *attrs,
					    struct dfs_budget_acct *acct);
void dfs_slot_table_free(struct dfs_slot_table *tbl);
enum nfsstat4 dfs_slot_acquire(struct dfs_slot_table *tbl,
			       const struct dfs_slot_args *args,
			       struct dfs_reply **replay);
/* Copies a reply of @len bytes to @dst; nonzero on failure. */
typedef int (*dfs_reply_fill_t)(void *ctx, void *dst, u32 len);
int dfs_reply_fill_flat(void *ctx, void *dst, u32 len);
enum nfsstat4 dfs_slot_complete_fill(struct dfs_slot_table *tbl, u32 slotid,
				     u32 len, dfs_reply_fill_t fill, void *ctx);
enum nfsstat4 dfs_slot_complete(struct dfs_slot_table *tbl, u32 slotid,
				const void *reply, u32 len);
u32 dfs_slot_inflight(struct dfs_slot_table *tbl);
bool dfs_slot_table_close(struct dfs_slot_table *tbl, u32 allowed);
void dfs_slot_stats(struct dfs_slot_table *tbl, struct dfs_slot_stats *st);
u32 dfs_slot_target(struct dfs_slot_table *tbl, time64_t now, bool pressure,
		    u32 *old);
unsigned long dfs_slot_shrink(struct dfs_slot_table *tbl);

int dfs_slot_init(void);
void dfs_slot_exit(void);

#endif /* _FS_DITTOFS_SLOT_H */
