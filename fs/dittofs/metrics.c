// SPDX-License-Identifier: GPL-2.0
/*
 * Per-cpu counters of the state layer.  Writers bump their CPU's copy
 * with this_cpu_inc(); readers sum every possible CPU.  A sum taken while
 * writers run is a little stale, never torn per counter on 64-bit.
 */
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "metrics.h"

/**
 * dfs_metrics_alloc() - allocate a server's counters
 * @srv: the server
 *
 * Return: 0 or -ENOMEM.
 */
int dfs_metrics_alloc(struct dfs_server *srv)
{
	srv->metrics = alloc_percpu(struct dfs_metrics);
	return srv->metrics ? 0 : -ENOMEM;
}

/**
 * dfs_metrics_free() - free a server's counters
 * @srv: the server
 */
void dfs_metrics_free(struct dfs_server *srv)
{
	free_percpu(srv->metrics);
	srv->metrics = NULL;
}

/**
 * dfs_metrics_lifetime_bucket() - histogram bucket of a session lifetime
 * @secs: lifetime in seconds
 *
 * Return: 0 for less than a second, else 1 + floor(log2(@secs)), capped
 * at the last bucket.
 */
unsigned int dfs_metrics_lifetime_bucket(time64_t secs)
{
	if (secs < 1)
		return 0;
	return min_t(unsigned int, ilog2((u64)secs) + 1,
		     DFS_LIFETIME_BUCKETS - 1);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_metrics_lifetime_bucket);

/**
 * dfs_metrics_seq_outcome() - the counter a SEQUENCE status goes to
 * @status: what SEQUENCE returned
 * @replay: NFS4_OK was a replay from the cache
 *
 * Return: the outcome.
 */
enum dfs_seq_outcome dfs_metrics_seq_outcome(enum nfsstat4 status,
					     bool replay)
{
	switch (status) {
	case NFS4_OK:
		return replay ? DFS_SEQ_REPLAY : DFS_SEQ_OK;
	case NFS4ERR_BADSESSION:
		return DFS_SEQ_BADSESSION;
	case NFS4ERR_BADSLOT:
		return DFS_SEQ_BADSLOT;
	case NFS4ERR_DELAY:
		return DFS_SEQ_DELAY;
	case NFS4ERR_SEQ_MISORDERED:
		return DFS_SEQ_MISORDERED;
	case NFS4ERR_SEQ_FALSE_RETRY:
		return DFS_SEQ_FALSE_RETRY;
	case NFS4ERR_RETRY_UNCACHED_REP:
		return DFS_SEQ_UNCACHED;
	case NFS4ERR_REQ_TOO_BIG:
		return DFS_SEQ_REQ_TOO_BIG;
	case NFS4ERR_TOO_MANY_OPS:
		return DFS_SEQ_TOO_MANY_OPS;
	default:
		return DFS_SEQ_OTHER;
	}
}
EXPORT_SYMBOL_IF_KUNIT(dfs_metrics_seq_outcome);

/**
 * dfs_metrics_session_created() - count a new session
 * @srv: the server
 */
void dfs_metrics_session_created(struct dfs_server *srv)
{
	this_cpu_inc(srv->metrics->sessions_created);
}

/**
 * dfs_metrics_session_destroyed() - count a destroyed session
 * @srv: the server
 * @why: the reason
 * @lifetime: how long it lived, seconds
 */
void dfs_metrics_session_destroyed(struct dfs_server *srv,
				   enum dfs_destroy_reason why,
				   time64_t lifetime)
{
	this_cpu_inc(srv->metrics->sessions_destroyed[why]);
	this_cpu_inc(srv->metrics->lifetime[dfs_metrics_lifetime_bucket(lifetime)]);
}

/**
 * dfs_metrics_client_created() - count a new client record
 * @srv: the server
 */
void dfs_metrics_client_created(struct dfs_server *srv)
{
	this_cpu_inc(srv->metrics->clients_created);
}

/**
 * dfs_metrics_client_destroyed() - count a destroyed client record
 * @srv: the server
 * @why: the reason
 */
void dfs_metrics_client_destroyed(struct dfs_server *srv,
				  enum dfs_destroy_reason why)
{
	this_cpu_inc(srv->metrics->clients_destroyed[why]);
}

/**
 * dfs_metrics_seq() - count one SEQUENCE outcome
 * @srv: the server
 * @status: what SEQUENCE returned
 * @replay: NFS4_OK was a replay
 */
void dfs_metrics_seq(struct dfs_server *srv, enum nfsstat4 status, bool replay)
{
	this_cpu_inc(srv->metrics->seq[dfs_metrics_seq_outcome(status, replay)]);
}

static void dfs_metrics_add(struct dfs_metrics *sum, const struct dfs_metrics *m)
{
	unsigned int i;

	sum->sessions_created += m->sessions_created;
	sum->clients_created += m->clients_created;
	for (i = 0; i < DFS_DESTROY_REASON_COUNT; i++) {
		sum->sessions_destroyed[i] += m->sessions_destroyed[i];
		sum->clients_destroyed[i] += m->clients_destroyed[i];
	}
	for (i = 0; i < DFS_LIFETIME_BUCKETS; i++)
		sum->lifetime[i] += m->lifetime[i];
	for (i = 0; i < DFS_SEQ_OUTCOME_COUNT; i++)
		sum->seq[i] += m->seq[i];
	for (i = 0; i < DFS_NR_OPS; i++)
		sum->ops[i] += m->ops[i];
}

/**
 * dfs_metrics_op() - count one executed operation
 * @srv: the server
 * @opnum: its operation number; others than 0 to LAST_NFS41_OP are ignored
 */
void dfs_metrics_op(struct dfs_server *srv, u32 opnum)
{
	if (opnum < DFS_NR_OPS)
		this_cpu_inc(srv->metrics->ops[opnum]);
}

/**
 * dfs_metrics_read() - sum a server's counters
 * @srv: the server
 * @snap: filled in
 */
void dfs_metrics_read(struct dfs_server *srv, struct dfs_metrics_snapshot *snap)
{
	u64 sdead = 0, cdead = 0;
	unsigned int i;
	int cpu;

	memset(snap, 0, sizeof(*snap));
	for_each_possible_cpu(cpu)
		dfs_metrics_add(&snap->sum, per_cpu_ptr(srv->metrics, cpu));
	for (i = 0; i < DFS_DESTROY_REASON_COUNT; i++) {
		sdead += snap->sum.sessions_destroyed[i];
		cdead += snap->sum.clients_destroyed[i];
	}
	snap->sessions_active = snap->sum.sessions_created - sdead;
	snap->clients_active = snap->sum.clients_created - cdead;
	snap->clients_refused = READ_ONCE(srv->clients_refused);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_metrics_read);
