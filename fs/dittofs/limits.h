/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server limits and NFSv4.1 channel attribute negotiation (RFC 8881,
 * section 18.36: CREATE_SESSION's ca_* fields).
 */
#ifndef _FS_DITTOFS_LIMITS_H
#define _FS_DITTOFS_LIMITS_H

#include <linux/nfs4.h>
#include <linux/sizes.h>
#include <linux/types.h>

/* The largest READ and WRITE, and what a fore channel carries: that much
 * data plus a page for the rest of the COMPOUND (as knfsd's sv_max_mesg),
 * so that a client's rsize and wsize come out at exactly 1 MiB.
 */
#define DFS_MAX_IO		SZ_1M
#define DFS_FORE_SIZE		(DFS_MAX_IO + SZ_4K)

/*
 * Smallest request and reply that carry a SEQUENCE-only COMPOUND: an RPC
 * header with AUTH_NONE, the COMPOUND header with an empty tag, and the
 * SEQUENCE arguments or results.  A channel that cannot carry these is
 * NFS4ERR_TOOSMALL.
 */
#define DFS_RPC_CALL_HDR_SIZE		(10 * 4)
#define DFS_RPC_REPLY_HDR_SIZE		(6 * 4)
#define DFS_SEQ_ONLY_REQ_SIZE		(DFS_RPC_CALL_HDR_SIZE + 3 * 4 + 10 * 4)
#define DFS_SEQ_ONLY_REP_SIZE		(DFS_RPC_REPLY_HDR_SIZE + 3 * 4 + 9 * 4)
/* The back channel carries CB_COMPOUND with CB_SEQUENCE (no referring calls). */
#define DFS_CB_SEQ_ONLY_REQ_SIZE	(DFS_RPC_CALL_HDR_SIZE + 4 * 4 + 10 * 4)
#define DFS_CB_SEQ_ONLY_REP_SIZE	(DFS_RPC_REPLY_HDR_SIZE + 3 * 4 + 9 * 4)

/**
 * struct dfs_channel_attrs - one channel's attributes (channel_attrs4)
 * @headerpadsize: ca_headerpadsize; always granted as 0
 * @maxrequestsize: ca_maxrequestsize, bytes of a whole RPC call
 * @maxresponsesize: ca_maxresponsesize, bytes of a whole RPC reply
 * @maxresponsesize_cached: ca_maxresponsesize_cached, largest cached reply
 * @maxoperations: ca_maxoperations, operations per COMPOUND
 * @maxrequests: ca_maxrequests, the number of slots
 * @nr_rdma_ird: number of ca_rdma_ird values (0 or 1); always granted as 0
 */
struct dfs_channel_attrs {
	u32 headerpadsize;
	u32 maxrequestsize;
	u32 maxresponsesize;
	u32 maxresponsesize_cached;
	u32 maxoperations;
	u32 maxrequests;
	u32 nr_rdma_ird;
};

/**
 * struct dfs_limits - a snapshot of the server's configured limits
 * @fore_slots: most slots granted on a fore channel
 * @back_slots: most slots granted on a back channel
 * @fore_size: largest request and reply on a fore channel, bytes
 * @back_size: largest request and reply on a back channel, bytes
 * @max_ops: most operations in one COMPOUND
 * @max_cached_reply: largest reply kept in a slot's replay cache, bytes
 * @sessions_per_client: most sessions one client may hold
 * @lease_time: lease period given to new clients, seconds
 * @reply_cache_budget: module-wide bytes for cached replies and slots
 * @max_clients: most client records
 * @max_stateids: most open and lock stateids, module-wide
 * @max_locks: most byte-range lock structures, module-wide
 *
 * Values are read with dfs_limits_get(); new values apply to clients and
 * sessions created afterwards, never to existing ones.  @max_clients and
 * @reply_cache_budget are module-wide caps checked at each new record or
 * charge.
 */
struct dfs_limits {
	u32 fore_slots;
	u32 back_slots;
	u32 fore_size;
	u32 back_size;
	u32 max_ops;
	u32 max_cached_reply;
	u32 sessions_per_client;
	u32 lease_time;
	u64 reply_cache_budget;
	u32 max_clients;
	u32 max_stateids;
	u32 max_locks;
};

/**
 * enum dfs_limit_id - identifies one settable limit
 * @DFS_LIMIT_FORE_SLOTS: &dfs_limits.fore_slots
 * @DFS_LIMIT_BACK_SLOTS: &dfs_limits.back_slots
 * @DFS_LIMIT_MAX_OPS: &dfs_limits.max_ops
 * @DFS_LIMIT_MAX_CACHED_REPLY: &dfs_limits.max_cached_reply
 * @DFS_LIMIT_SESSIONS_PER_CLIENT: &dfs_limits.sessions_per_client
 * @DFS_LIMIT_LEASE_TIME: &dfs_limits.lease_time
 * @DFS_LIMIT_REPLY_CACHE_MB: &dfs_limits.reply_cache_budget, in MiB
 * @DFS_LIMIT_MAX_CLIENTS: &dfs_limits.max_clients
 * @DFS_LIMIT_MAX_STATEIDS: &dfs_limits.max_stateids
 * @DFS_LIMIT_MAX_LOCKS: &dfs_limits.max_locks
 * @DFS_LIMIT_COUNT: number of settable limits
 */
enum dfs_limit_id {
	DFS_LIMIT_FORE_SLOTS,
	DFS_LIMIT_BACK_SLOTS,
	DFS_LIMIT_MAX_OPS,
	DFS_LIMIT_MAX_CACHED_REPLY,
	DFS_LIMIT_SESSIONS_PER_CLIENT,
	DFS_LIMIT_LEASE_TIME,
	DFS_LIMIT_REPLY_CACHE_MB,
	DFS_LIMIT_MAX_CLIENTS,
	DFS_LIMIT_MAX_STATEIDS,
	DFS_LIMIT_MAX_LOCKS,
	DFS_LIMIT_COUNT,
};

void dfs_limits_init(void);
void dfs_limits_get(struct dfs_limits *lim);
int dfs_limit_set(enum dfs_limit_id id, u32 val);
u32 dfs_limit_value(enum dfs_limit_id id);
enum nfsstat4 dfs_negotiate_fore(const struct dfs_limits *lim,
				 const struct dfs_channel_attrs *req,
				 struct dfs_channel_attrs *res);
enum nfsstat4 dfs_negotiate_back(const struct dfs_limits *lim,
				 const struct dfs_channel_attrs *req,
				 struct dfs_channel_attrs *res);

#endif /* _FS_DITTOFS_LIMITS_H */
