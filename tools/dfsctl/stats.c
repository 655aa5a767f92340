// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics output: a record for people and --json, and the Prometheus text
 * exposition format (version 0.0.4) for --prometheus.
 */
#include <stdio.h>

#include "print.h"
#include "stats.h"

static const char *const reasons[] = {
	"client", "admin", "lease_expired", "unconfirmed", "client_replaced",
	"unload",
};

static const char *const outcomes[] = {
	"ok", "replay", "badsession", "badslot", "delay", "misordered",
	"false_retry", "uncached", "req_too_big", "too_many_ops", "other",
};

/* NFSv4.1 operation names by number (RFC 8881, nfs_opnum4), lower case. */
static const char *const ops[] = {
	[3] = "access", "close", "commit", "create", "delegpurge",
	"delegreturn", "getattr", "getfh", "link", "lock", "lockt", "locku",
	"lookup", "lookupp", "nverify", "open", "openattr", "open_confirm",
	"open_downgrade", "putfh", "putpubfh", "putrootfh", "read", "readdir",
	"readlink", "remove", "rename", "renew", "restorefh", "savefh",
	"secinfo", "setattr", "setclientid", "setclientid_confirm", "verify",
	"write", "release_lockowner", "backchannel_ctl",
	"bind_conn_to_session", "exchange_id", "create_session",
	"destroy_session", "free_stateid", "get_dir_delegation",
	"getdeviceinfo", "getdevicelist", "layoutcommit", "layoutget",
	"layoutreturn", "secinfo_no_name", "sequence", "set_ssv",
	"test_stateid", "want_delegation", "destroy_clientid",
	"reclaim_complete",
};

static const char *name_of(const char *const *names, unsigned int n,
			   unsigned int key)
{
	static char buf[4][16];
	static int i;

	if (key < n && names[key])
		return names[key];
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%u", key);
	return buf[i];
}

const char *dfs_reason_name(unsigned int key)
{
	return name_of(reasons, ARRAY_SIZE(reasons), key);
}

const char *dfs_outcome_name(unsigned int key)
{
	return name_of(outcomes, ARRAY_SIZE(outcomes), key);
}

const char *dfs_op_name(unsigned int key)
{
	return name_of(ops, ARRAY_SIZE(ops), key);
}

void dfs_counters_set(struct dfs_counters *c, unsigned int key, uint64_t v)
{
	if (key >= DFS_STATS_MAX_KEYS)
		return;
	c->v[key] = v;
	if ((int)key >= c->n)
		c->n = key + 1;
}

/*
 * Lifetimes are whole seconds: bucket i holds [2^(i-1), 2^i) s, i.e. at
 * most 2^i - 1 s; the last bucket also holds everything longer.
 */
static unsigned long long bucket_le(int i)
{
	return (1ULL << i) - 1;
}

void dfs_stats_print(const struct dfs_stats *st, FILE *out, bool json)
{
	char key[64];
	int i;

	pr_rec_begin(out, json);
	pr_rec_unum("sessions_created", st->sessions_created);
	pr_rec_unum("sessions_active", st->sessions_active);
	for (i = 0; i < st->destroyed.n; i++) {
		snprintf(key, sizeof(key), "sessions_destroyed_%s",
			 dfs_reason_name(i));
		pr_rec_unum(key, st->destroyed.v[i]);
	}
	pr_rec_unum("clients_created", st->clients_created);
	pr_rec_unum("clients_active", st->clients_active);
	pr_rec_unum("conns_unvalidated", st->conns_unvalidated);
	pr_rec_unum("clients_refused", st->clients_refused);
	pr_rec_unum("stateids_active", st->stateids_active);
	pr_rec_unum("locks_active", st->locks_active);
	pr_rec_unum("budget_used", st->budget_used);
	pr_rec_unum("budget_limit", st->budget_limit);
	pr_rec_unum("budget_clients", st->budget_clients);
	pr_rec_unum("replies_cached", st->replies_cached);
	for (i = 0; i < st->lifetime.n; i++) {
		if (i + 1 == st->lifetime.n)
			snprintf(key, sizeof(key), "session_lifetime_ge_%llus",
				 bucket_le(i - 1) + 1);
		else
			snprintf(key, sizeof(key), "session_lifetime_le_%llus",
				 bucket_le(i));
		pr_rec_unum(key, st->lifetime.v[i]);
	}
	for (i = 0; i < st->sequence.n; i++) {
		snprintf(key, sizeof(key), "sequence_%s", dfs_outcome_name(i));
		pr_rec_unum(key, st->sequence.v[i]);
	}
	/* Operations never executed are not reported. */
	for (i = 0; i < st->operations.n; i++) {
		if (!st->operations.v[i])
			continue;
		snprintf(key, sizeof(key), "op_%s", dfs_op_name(i));
		pr_rec_unum(key, st->operations.v[i]);
	}
	pr_rec_end();
}

void dfs_stats_prometheus(const struct dfs_stats *st, FILE *out)
{
	unsigned long long cum = 0;
	int i;

	fprintf(out,
		"# HELP dittofs_sessions_created_total Sessions created.\n"
		"# TYPE dittofs_sessions_created_total counter\n"
		"dittofs_sessions_created_total %llu\n",
		(unsigned long long)st->sessions_created);
	fprintf(out,
		"# HELP dittofs_sessions_active Sessions that exist now.\n"
		"# TYPE dittofs_sessions_active gauge\n"
		"dittofs_sessions_active %llu\n",
		(unsigned long long)st->sessions_active);
	fprintf(out,
		"# HELP dittofs_sessions_destroyed_total Sessions destroyed, by reason.\n"
		"# TYPE dittofs_sessions_destroyed_total counter\n");
	for (i = 0; i < st->destroyed.n; i++)
		fprintf(out, "dittofs_sessions_destroyed_total{reason=\"%s\"} %llu\n",
			dfs_reason_name(i),
			(unsigned long long)st->destroyed.v[i]);
	fprintf(out,
		"# HELP dittofs_clients_created_total Client records created.\n"
		"# TYPE dittofs_clients_created_total counter\n"
		"dittofs_clients_created_total %llu\n",
		(unsigned long long)st->clients_created);
	fprintf(out,
		"# HELP dittofs_clients_active Client records that exist now.\n"
		"# TYPE dittofs_clients_active gauge\n"
		"dittofs_clients_active %llu\n",
		(unsigned long long)st->clients_active);
	fprintf(out,
		"# HELP dittofs_conns_unvalidated Connections that presented no session yet.\n"
		"# TYPE dittofs_conns_unvalidated gauge\n"
		"dittofs_conns_unvalidated %llu\n",
		(unsigned long long)st->conns_unvalidated);
	fprintf(out,
		"# HELP dittofs_clients_refused_total EXCHANGE_IDs refused at the client limit.\n"
		"# TYPE dittofs_clients_refused_total counter\n"
		"dittofs_clients_refused_total %llu\n",
		(unsigned long long)st->clients_refused);
	fprintf(out,
		"# HELP dittofs_stateids_active Open and lock stateids that exist now.\n"
		"# TYPE dittofs_stateids_active gauge\n"
		"dittofs_stateids_active %llu\n",
		(unsigned long long)st->stateids_active);
	fprintf(out,
		"# HELP dittofs_locks_active Byte-range lock structures held for clients now.\n"
		"# TYPE dittofs_locks_active gauge\n"
		"dittofs_locks_active %llu\n",
		(unsigned long long)st->locks_active);
	fprintf(out,
		"# HELP dittofs_budget_used_bytes Reply-cache budget charged now.\n"
		"# TYPE dittofs_budget_used_bytes gauge\n"
		"dittofs_budget_used_bytes %llu\n"
		"# HELP dittofs_budget_limit_bytes The reply-cache budget.\n"
		"# TYPE dittofs_budget_limit_bytes gauge\n"
		"dittofs_budget_limit_bytes %llu\n"
		"# HELP dittofs_budget_clients Clients holding a charge on the budget.\n"
		"# TYPE dittofs_budget_clients gauge\n"
		"dittofs_budget_clients %llu\n"
		"# HELP dittofs_replies_cached Cached replies held now.\n"
		"# TYPE dittofs_replies_cached gauge\n"
		"dittofs_replies_cached %llu\n",
		(unsigned long long)st->budget_used,
		(unsigned long long)st->budget_limit,
		(unsigned long long)st->budget_clients,
		(unsigned long long)st->replies_cached);
	fprintf(out,
		"# HELP dittofs_session_lifetime_seconds Lifetimes of destroyed sessions, whole seconds.\n"
		"# TYPE dittofs_session_lifetime_seconds histogram\n");
	for (i = 0; i < st->lifetime.n; i++) {
		cum += st->lifetime.v[i];
		if (i + 1 < st->lifetime.n)
			fprintf(out,
				"dittofs_session_lifetime_seconds_bucket{le=\"%llu\"} %llu\n",
				bucket_le(i), cum);
	}
	fprintf(out,
		"dittofs_session_lifetime_seconds_bucket{le=\"+Inf\"} %llu\n"
		"dittofs_session_lifetime_seconds_count %llu\n", cum, cum);
	fprintf(out,
		"# HELP dittofs_sequence_total SEQUENCE answers, by outcome.\n"
		"# TYPE dittofs_sequence_total counter\n");
	for (i = 0; i < st->sequence.n; i++)
		fprintf(out, "dittofs_sequence_total{outcome=\"%s\"} %llu\n",
			dfs_outcome_name(i),
			(unsigned long long)st->sequence.v[i]);
	fprintf(out,
		"# HELP dittofs_operations_total Operations executed, by operation.\n"
		"# TYPE dittofs_operations_total counter\n");
	for (i = 0; i < st->operations.n; i++)
		if (st->operations.v[i])
			fprintf(out, "dittofs_operations_total{op=\"%s\"} %llu\n",
				dfs_op_name(i),
				(unsigned long long)st->operations.v[i]);
}
