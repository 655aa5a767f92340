/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-cpu counters of the state layer, summed on demand.
 */
#ifndef _FS_DITTOFS_METRICS_H
#define _FS_DITTOFS_METRICS_H

#include <linux/nfs4.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "state.h"

/* Session lifetimes: bucket 0 is < 1 s, bucket i is [2^(i-1), 2^i) s. */
#define DFS_LIFETIME_BUCKETS	24
/* Operations are counted by number, OP_ACCESS (3) to OP_RECLAIM_COMPLETE. */
#define DFS_NR_OPS		(LAST_NFS41_OP + 1)

/**
 * enum dfs_seq_outcome - SEQUENCE outcomes that are counted
 * @DFS_SEQ_OK: a new request executes
 * @DFS_SEQ_REPLAY: a retry answered from the cache
 * @DFS_SEQ_BADSESSION: NFS4ERR_BADSESSION
 * @DFS_SEQ_BADSLOT: NFS4ERR_BADSLOT
 * @DFS_SEQ_DELAY: NFS4ERR_DELAY
 * @DFS_SEQ_MISORDERED: NFS4ERR_SEQ_MISORDERED
 * @DFS_SEQ_FALSE_RETRY: NFS4ERR_SEQ_FALSE_RETRY
 * @DFS_SEQ_UNCACHED: NFS4ERR_RETRY_UNCACHED_REP
 * @DFS_SEQ_REQ_TOO_BIG: NFS4ERR_REQ_TOO_BIG
 * @DFS_SEQ_TOO_MANY_OPS: NFS4ERR_TOO_MANY_OPS
 * @DFS_SEQ_OTHER: any other status
 * @DFS_SEQ_OUTCOME_COUNT: number of outcomes
 */
enum dfs_seq_outcome {
	DFS_SEQ_OK,
	DFS_SEQ_REPLAY,
	DFS_SEQ_BADSESSION,
	DFS_SEQ_BADSLOT,
	DFS_SEQ_DELAY,
	DFS_SEQ_MISORDERED,
	DFS_SEQ_FALSE_RETRY,
	DFS_SEQ_UNCACHED,
	DFS_SEQ_REQ_TOO_BIG,
	DFS_SEQ_TOO_MANY_OPS,
	DFS_SEQ_OTHER,
	DFS_SEQ_OUTCOME_COUNT,
};

/**
 * struct dfs_metrics - one CPU's counters (or their sum)
 * @sessions_created: sessions created
 * @sessions_destroyed: sessions destroyed, by reason
 * @clients_created: client records created
 * @clients_destroyed: client records destroyed, by reason
 * @lifetime: destroyed sessions by lifetime, log2 buckets of seconds
 * @seq: SEQUENCE outcomes
 * @ops: operations executed, by operation number
 *
 * Per-cpu copies are written with this_cpu_inc() only; no lock.
 */
struct dfs_metrics {
	u64 sessions_created;
	u64 sessions_destroyed[DFS_DESTROY_REASON_COUNT];
	u64 clients_created;
	u64 clients_destroyed[DFS_DESTROY_REASON_COUNT];
	u64 lifetime[DFS_LIFETIME_BUCKETS];
	u64 seq[DFS_SEQ_OUTCOME_COUNT];
	u64 ops[DFS_NR_OPS];
};

/**
 * struct dfs_metrics_snapshot - summed counters plus derived values
 * @sum: every counter summed over the CPUs
 * @sessions_active: sessions created and not yet destroyed
 * @clients_active: clients created and not yet destroyed
 * @clients_refused: EXCHANGE_IDs refused at the client limit
 */
struct dfs_metrics_snapshot {
	struct dfs_metrics sum;
	u64 sessions_active;
	u64 clients_active;
	u64 clients_refused;
};

int dfs_metrics_alloc(struct dfs_server *srv);
void dfs_metrics_free(struct dfs_server *srv);
void dfs_metrics_session_created(struct dfs_server *srv);
void dfs_metrics_session_destroyed(struct dfs_server *srv,
				   enum dfs_destroy_reason why,
				   time64_t lifetime);
void dfs_metrics_client_created(struct dfs_server *srv);
void dfs_metrics_client_destroyed(struct dfs_server *srv,
				  enum dfs_destroy_reason why);
void dfs_metrics_seq(struct dfs_server *srv, enum nfsstat4 status,
		     bool replay);
void dfs_metrics_op(struct dfs_server *srv, u32 opnum);
unsigned int dfs_metrics_lifetime_bucket(time64_t secs);
enum dfs_seq_outcome dfs_metrics_seq_outcome(enum nfsstat4 status,
					     bool replay);
void dfs_metrics_read(struct dfs_server *srv,
		      struct dfs_metrics_snapshot *snap);

#endif /* _FS_DITTOFS_METRICS_H */
