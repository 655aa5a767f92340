/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open and lock state and their stateids (RFC 8881, section 8).
 *
 * A stateid's "other" field is this module load's verifier, an index into
 * a module-wide xarray and a uniquifier, so "other" is unique for the
 * module's lifetime, is found in O(1), and one from an earlier load is
 * recognised as stale.  The state itself belongs to a client
 * (struct dfs_client_stateids, embedded in struct dfs_client), which
 * releases all of it when the client goes away.
 *
 * Lock order: dfs_client_stateids.lock -> dfs_share_lock (stateid.c)
 * and -> the xarray's lock.  dfs_server.lock may be held when
 * dfs_client_stateids.lock is taken, never the other way round.  Nothing
 * sleeps under these locks: files are closed and byte-range locks
 * dropped after they are released.
 */
#ifndef _FS_DITTOFS_STATEID_H
#define _FS_DITTOFS_STATEID_H

#include <linux/filelock.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/nfs4.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct dfs_share;
struct file;
struct inode;

/*
 * Per-client caps: stateids (opens and locks), state owners, and VFS
 * byte-range lock structures.  The module-wide caps are the max_stateids
 * and max_locks limits.
 */
#define DFS_MAX_STIDS_PER_CLIENT	4096
#define DFS_MAX_OWNERS_PER_CLIENT	4096
#define DFS_MAX_LOCKS_PER_CLIENT	16384

/* File modes of an open, indexing dfs_stid.files[]. */
#define DFS_FMODE_RD	0
#define DFS_FMODE_WR	1
#define DFS_FMODE_RW	2
#define DFS_FMODE_NR	3

/**
 * struct dfs_stateid - a stateid4 as it crosses the wire
 * @seqid: the sequence id
 * @other: the 12 opaque bytes naming the state
 */
struct dfs_stateid {
	u32 seqid;
	u8 other[NFS4_STATEID_OTHER_SIZE];
};

/**
 * enum dfs_special_stateid - the special stateids (RFC 8881, 8.2.3)
 * @DFS_SID_NORMAL: not special: names a state of the server
 * @DFS_SID_ANON: all zeros, anonymous
 * @DFS_SID_BYPASS: all ones, READ bypass of share reservations
 * @DFS_SID_CURRENT: seqid 1, other zero: the COMPOUND's current stateid
 * @DFS_SID_INVALID: seqid all ones, other zero: never valid
 * @DFS_SID_BAD: other reserved value (zero or all ones) with another seqid
 */
enum dfs_special_stateid {
	DFS_SID_NORMAL,
	DFS_SID_ANON,
	DFS_SID_BYPASS,
	DFS_SID_CURRENT,
	DFS_SID_INVALID,
	DFS_SID_BAD,
};

/**
 * enum dfs_stid_type - kinds of state
 * @DFS_STID_OPEN: an open (and its open-owner)
 * @DFS_STID_LOCK: byte-range locks of one lock-owner through one open
 */
enum dfs_stid_type {
	DFS_STID_OPEN = BIT(0),
	DFS_STID_LOCK = BIT(1),
};

/**
 * struct dfs_lock_count - the byte-range locks of one client's lock-owners
 * @ref: one for the client's state, one per lock-owner
 * @nr: VFS lock structures naming one of those owners; atomic
 *
 * Lock-owners may outlive their client (the VFS frees lock structures
 * when it likes), so the count has its own lifetime.
 */
struct dfs_lock_count {
	refcount_t ref;
	atomic_t nr;
};

/**
 * struct dfs_client_stateids - one client's open and lock state
 * @lock: guards every field here and the mutable fields of the client's
 *	owners and stateids (see their comments)
 * @owners: open- and lock-owners that have stateids
 * @stids: every hashed stateid of the client
 * @nr_stids: entries in @stids
 * @nr_owners: entries in @owners
 * @dead: the client is going away; nothing new may be added
 * @locks: its byte-range lock count, constant (referenced)
 */
struct dfs_client_stateids {
	spinlock_t lock;	/* the client's owners and stateids */
	struct list_head owners;
	struct list_head stids;
	u32 nr_stids;
	u32 nr_owners;
	bool dead;
	struct dfs_lock_count *locks;
};

/**
 * struct dfs_sowner - an open-owner or a lock-owner (state_owner4)
 * @ref: one while listed, one per stateid, one per byte-range lock
 *	(the VFS takes them through lm_get_owner)
 * @node: in dfs_client_stateids.owners while @nr_stids > 0; its lock
 * @nr_stids: stateids of this owner; dfs_client_stateids.lock
 * @locks: DFS_STID_LOCK: its client's lock count (referenced), constant
 * @type: DFS_STID_OPEN or DFS_STID_LOCK, constant
 * @clientid: the client, constant
 * @len: bytes in @data, constant
 * @data: the owner's opaque, constant
 *
 * A lock-owner is also the fl_owner of its byte-range locks, so its
 * memory lives until the last lock goes, even after its client.
 */
struct dfs_sowner {
	struct kref ref;
	struct list_head node;
	u32 nr_stids;
	struct dfs_lock_count *locks;
	enum dfs_stid_type type;
	u64 clientid;
	u32 len;
	u8 data[] __counted_by(len);
};

/**
 * struct dfs_stid - an open or lock state, named by a stateid
 * @ref: one while hashed, one per user (lookups)
 * @rcu: frees the memory after lockless lookups are done with it
 * @index: xarray index, constant
 * @uniq: uniquifier, constant
 * @type: constant
 * @cst: the client's state, constant
 * @owner: the open- or lock-owner (referenced), constant
 * @inode: the file (an open holds it through @files), constant
 * @client_node: in @cst->stids, or a private release list once
 *	unhashed; @cst->lock
 * @seqid: current sequence id; @cst->lock
 * @hashed: in the table and the client's list; @cst->lock
 * @files: DFS_STID_OPEN: the struct files of this open by mode; set
 *	under @cst->lock, put only after the open is unhashed
 * @share: DFS_STID_OPEN: the file's share counts, constant
 * @access: DFS_STID_OPEN: NFS4_SHARE_ACCESS_* held; @cst->lock and
 *	dfs_share_lock to change, either to read
 * @deny: DFS_STID_OPEN: NFS4_SHARE_DENY_* held; like @access
 * @locks: DFS_STID_OPEN: its lock stateids; @cst->lock
 * @open: DFS_STID_LOCK: the open (referenced), constant
 * @open_node: DFS_STID_LOCK: in @open->locks; @cst->lock
 */
struct dfs_stid {
	refcount_t ref;
	struct rcu_head rcu;
	u32 index;
	u32 uniq;
	enum dfs_stid_type type;
	struct dfs_client_stateids *cst;
	struct dfs_sowner *owner;
	struct inode *inode;
	struct list_head client_node;
	u32 seqid;
	bool hashed;
	struct file *files[DFS_FMODE_NR];
	struct dfs_share *share;
	u32 access;
	u32 deny;
	struct list_head locks;
	struct dfs_stid *open;
	struct list_head open_node;
};

/**
 * struct dfs_open_args - what OPEN asks of the state layer
 * @clientid: the client
 * @owner: open_owner4's opaque
 * @owner_len: bytes in @owner, 1 to NFS4_OPAQUE_LIMIT
 * @inode: the file opened
 * @access: NFS4_SHARE_ACCESS_{READ,WRITE,BOTH}
 * @deny: NFS4_SHARE_DENY_{NONE,READ,WRITE,BOTH}
 * @file: a file opened for @access (or NULL in KUnit); consumed: the
 *	state keeps it, or it is closed
 * @created: set by dfs_open_state(): a new open stateid was made
 */
struct dfs_open_args {
	u64 clientid;
	const u8 *owner;
	u32 owner_len;
	struct inode *inode;
	u32 access;
	u32 deny;
	struct file *file;
	bool created;
};

extern const struct lock_manager_operations dfs_posix_lock_ops;

int dfs_stateids_init(struct dfs_client_stateids *cst);
void dfs_stateids_release(struct dfs_client_stateids *cst);
void dfs_stateids_destroy(struct dfs_client_stateids *cst);
u32 dfs_stateids_total(void);
u32 dfs_locks_total(void);
enum nfsstat4 dfs_lock_admit(struct dfs_sowner *so);
void dfs_lock_owner_get(struct dfs_sowner *so);
void dfs_lock_owner_put(struct dfs_sowner *so);
bool dfs_stateids_busy(struct dfs_client_stateids *cst);

enum dfs_special_stateid dfs_stateid_special(const struct dfs_stateid *sid);
enum nfsstat4 dfs_stid_lookup(struct dfs_client_stateids *cst,
			      const struct dfs_stateid *sid, u32 types,
			      struct dfs_stid **out);
void dfs_stid_get(struct dfs_stid *stid);
void dfs_stid_put(struct dfs_stid *stid);
void dfs_stid_copy(struct dfs_stid *stid, struct dfs_stateid *sid);
void dfs_stid_bump(struct dfs_stid *stid, struct dfs_stateid *sid);
bool dfs_stid_hashed(struct dfs_stid *stid);

enum nfsstat4 dfs_open_state(struct dfs_client_stateids *cst,
			     struct dfs_open_args *args,
			     struct dfs_stateid *sid, struct dfs_stid **out);
void dfs_open_undo(struct dfs_stid *stid);
enum nfsstat4 dfs_open_downgrade(struct dfs_stid *stid, u32 access,
				 u32 deny, struct dfs_stateid *sid);
enum nfsstat4 dfs_open_close(struct dfs_stid *stid);
enum nfsstat4 dfs_stid_file(struct dfs_stid *stid, bool write,
			    struct file **filp);
enum nfsstat4 dfs_share_check_anon(struct inode *inode, u32 access);

enum nfsstat4 dfs_lock_state(struct dfs_stid *open, const u8 *owner,
			     u32 owner_len, struct dfs_stid **out,
			     bool *created);
struct dfs_sowner *dfs_lockowner_find(struct dfs_client_stateids *cst,
				      u64 clientid, const u8 *owner,
				      u32 owner_len);
void dfs_sowner_put(struct dfs_sowner *so);
enum nfsstat4 dfs_stid_free(struct dfs_stid *stid);
bool dfs_lock_stid_has_locks(struct dfs_stid *stid);

void dfs_stateid_init(void);
void dfs_stateid_exit(void);

#endif /* _FS_DITTOFS_STATEID_H */
