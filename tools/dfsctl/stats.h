/* SPDX-License-Identifier: GPL-2.0 */
/* The counters of DITTOFS_CMD_STATS_GET and their two outputs. */
#ifndef DFSCTL_STATS_H
#define DFSCTL_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define DFS_STATS_MAX_KEYS 64

struct dfs_counters {
	int n;				/* highest key seen + 1 */
	uint64_t v[DFS_STATS_MAX_KEYS];
};

struct dfs_stats {
	uint64_t sessions_created;
	uint64_t sessions_active;
	uint64_t clients_created;
	uint64_t clients_active;
	uint64_t conns_unvalidated;	/* connections with no session yet */
	uint64_t clients_refused;	/* EXCHANGE_IDs refused at max-clients */
	uint64_t stateids_active;	/* open and lock stateids */
	uint64_t locks_active;		/* VFS byte-range lock structures */
	uint64_t budget_used;		/* reply-cache budget bytes charged */
	uint64_t budget_limit;		/* the budget, bytes */
	uint64_t budget_clients;	/* clients holding a charge */
	uint64_t replies_cached;	/* cached replies held */
	struct dfs_counters destroyed;	/* by enum dittofs_destroy_reason */
	struct dfs_counters lifetime;	/* bucket i: lifetime < 2^i s */
	struct dfs_counters sequence;	/* by enum dittofs_seq_outcome */
	struct dfs_counters operations;	/* by NFSv4.1 operation number */
};

const char *dfs_reason_name(unsigned int key);
const char *dfs_outcome_name(unsigned int key);
const char *dfs_op_name(unsigned int key);
void dfs_counters_set(struct dfs_counters *c, unsigned int key, uint64_t v);
void dfs_stats_print(const struct dfs_stats *st, FILE *out, bool json);
void dfs_stats_prometheus(const struct dfs_stats *st, FILE *out);

#endif
