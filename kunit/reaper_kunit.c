// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the lease reaper, driven by a fake clock.
 */
#include "dfs_test.h"

static bool dfs_test_alive(struct dfs_server *srv, u64 id)
{
	struct dfs_client *clp = dfs_client_lookup(srv, id);

	dfs_client_put(clp);
	return clp;
}

/*
 * A confirmed client goes when its lease expires, sessions first: only
 * after lease_time + 1 whole seconds, as renewal times are whole seconds.
 */
static void dfs_reaper_lease_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_metrics_snapshot *snap;
	struct dfs_limits lim;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u64 id;

	dfs_limits_get(&lim);
	cs = dfs_test_session(test, srv, "lease", 2, &id);

	dfs_test_advance(lim.lease_time);
	KUNIT_EXPECT_EQ(test, dfs_reaper_run(srv), 1);
	KUNIT_EXPECT_TRUE(test, dfs_test_alive(srv, id));

	dfs_test_advance(1);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_FALSE(test, dfs_test_alive(srv, id));
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, false);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4ERR_BADSESSION);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test,
			snap->sum.sessions_destroyed[DFS_DESTROY_LEASE_EXPIRED], 1);
	KUNIT_EXPECT_EQ(test,
			snap->sum.clients_destroyed[DFS_DESTROY_LEASE_EXPIRED], 1);
}

/* Successful SEQUENCEs renew the lease; failing ones do not. */
static void dfs_reaper_renewal_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_limits lim;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u64 id;

	dfs_limits_get(&lim);
	cs = dfs_test_session(test, srv, "renew", 2, &id);

	dfs_test_advance(lim.lease_time - 10);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, false);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);
	dfs_test_advance(20);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_TRUE(test, dfs_test_alive(srv, id));

	/* A misordered SEQUENCE does not renew. */
	dfs_test_advance(lim.lease_time - 30);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 7, false);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr),
			NFS4ERR_SEQ_MISORDERED);
	dfs_test_advance(11);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_FALSE(test, dfs_test_alive(srv, id));
}

/* Unconfirmed clients are purged after twice the lease, not before. */
static void dfs_reaper_unconfirmed_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_metrics_snapshot *snap;
	struct dfs_limits lim;
	u64 id;

	dfs_limits_get(&lim);
	id = dfs_test_exchange(test, srv, "unconf", 1).clientid;

	dfs_test_advance(lim.lease_time + 1);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_TRUE(test, dfs_test_alive(srv, id));
	dfs_test_advance(lim.lease_time);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_FALSE(test, dfs_test_alive(srv, id));
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test,
			snap->sum.clients_destroyed[DFS_DESTROY_UNCONFIRMED], 1);
}

/* The next run is due at the next expiry, within [1 s, 30 s]. */
static void dfs_reaper_schedule_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_limits lim;

	dfs_limits_get(&lim);
	KUNIT_EXPECT_EQ(test, dfs_reaper_run(srv), DFS_REAPER_MAX_SECS);

	dfs_test_session(test, srv, "sched", 1, NULL);
	dfs_test_advance(lim.lease_time - 5);
	KUNIT_EXPECT_EQ(test, dfs_reaper_run(srv), 6);
	dfs_test_advance(6);
	/* Reaped now; nothing left is due: back to the idle period. */
	KUNIT_EXPECT_EQ(test, dfs_reaper_run(srv), DFS_REAPER_MAX_SECS);
}

/* Only what expired goes, in order, among many clients. */
static void dfs_reaper_partial_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_metrics_snapshot *snap;
	struct dfs_limits lim;
	char owner[16];
	u64 ids[20];
	int i;

	dfs_limits_get(&lim);
	for (i = 0; i < 20; i++) {
		snprintf(owner, sizeof(owner), "p%d", i);
		dfs_test_session(test, srv, owner, 1, &ids[i]);
		dfs_test_advance(1);
	}
	/* Clients 0..9 were confirmed more than lease_time + 1 s ago. */
	dfs_test_advance(lim.lease_time - 20 + 10);
	dfs_reaper_run(srv);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, dfs_test_alive(srv, ids[i]), i >= 10);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sessions_active, 10);
}

/*
 * Many clients expiring at once go in bounded batches: the server lock
 * is dropped at least every DFS_REAP_BATCH clients plus sessions.
 */
static void dfs_reaper_batch_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	const int n = 1000;
	struct dfs_metrics_snapshot *snap;
	struct dfs_limits lim;
	char owner[16];
	u64 batches;
	int i;

	dfs_limits_get(&lim);
	dfs_test_set_limit(test, DFS_LIMIT_MAX_CLIENTS, 2 * n);
	for (i = 0; i < n; i++) {
		snprintf(owner, sizeof(owner), "b%d", i);
		dfs_test_session(test, srv, owner, 1, NULL);
	}
	batches = srv->reap_batches;
	dfs_test_advance(lim.lease_time + 1);
	KUNIT_EXPECT_EQ(test, dfs_reaper_run(srv), DFS_REAPER_MAX_SECS);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->clients_active, 0);
	KUNIT_EXPECT_EQ(test, snap->sessions_active, 0);
	KUNIT_EXPECT_EQ(test,
			snap->sum.clients_destroyed[DFS_DESTROY_LEASE_EXPIRED], n);
	/* Each client costs 2 (itself and its session). */
	KUNIT_EXPECT_GE(test, srv->reap_batches - batches,
			(u64)DIV_ROUND_UP(2 * n, DFS_REAP_BATCH + 1));
	kunit_info(test, "%d clients reaped in %llu batches, longest hold %llu ns\n",
		   n, srv->reap_batches - batches, srv->reap_hold_max_ns);
}

/* Unloading tears down in the same batches. */
static void dfs_reaper_shutdown_batch_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	const int n = 500;
	struct dfs_metrics_snapshot *snap;
	char owner[16];
	u64 batches;
	int i;

	dfs_test_set_limit(test, DFS_LIMIT_MAX_CLIENTS, 2 * n);
	for (i = 0; i < n; i++) {
		snprintf(owner, sizeof(owner), "s%d", i);
		dfs_test_session(test, srv, owner, 1, NULL);
	}
	batches = srv->reap_batches;
	dfs_server_shutdown(srv);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->clients_active, 0);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_UNLOAD], n);
	KUNIT_EXPECT_GE(test, srv->reap_batches - batches,
			(u64)DIV_ROUND_UP(2 * n, DFS_REAP_BATCH + 1));
}

/*
 * A client keeps the lease time it was told: lowering lease_time does
 * not expire the clients that were given the old one, and the new one
 * applies to clients created afterwards.
 */
static void dfs_reaper_lease_change_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_client_info *info;
	unsigned long cursor = 0;
	struct dfs_client *clp;
	struct dfs_limits lim;
	u64 old, new;

	dfs_limits_get(&lim);
	KUNIT_ASSERT_GT(test, lim.lease_time, 40);
	dfs_test_session(test, srv, "old", 1, &old);
	dfs_test_set_limit(test, DFS_LIMIT_LEASE_TIME, 20);
	dfs_test_session(test, srv, "new", 1, &new);

	clp = dfs_client_lookup(srv, old);
	KUNIT_ASSERT_NOT_NULL(test, clp);
	KUNIT_EXPECT_EQ(test, clp->lease, lim.lease_time);
	dfs_client_put(clp);
	clp = dfs_client_lookup(srv, new);
	KUNIT_ASSERT_NOT_NULL(test, clp);
	KUNIT_EXPECT_EQ(test, clp->lease, 20);
	dfs_client_put(clp);
	info = kunit_kzalloc(test, sizeof(*info), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, info);
	KUNIT_ASSERT_EQ(test, dfs_client_next(srv, &cursor, info), 0);
	KUNIT_EXPECT_EQ(test, info->lease, lim.lease_time);
	KUNIT_EXPECT_EQ(test, info->lease_left, lim.lease_time);

	/* The next pass is due when the short lease ends. */
	KUNIT_EXPECT_EQ(test, dfs_reaper_run(srv), 21);
	dfs_test_advance(21);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_FALSE(test, dfs_test_alive(srv, new));
	KUNIT_EXPECT_TRUE(test, dfs_test_alive(srv, old));
	dfs_test_advance(lim.lease_time - 21);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_TRUE(test, dfs_test_alive(srv, old));
	dfs_test_advance(1);
	dfs_reaper_run(srv);
	KUNIT_EXPECT_FALSE(test, dfs_test_alive(srv, old));
}

static struct kunit_case dfs_reaper_cases[] = {
	KUNIT_CASE(dfs_reaper_lease_test),
	KUNIT_CASE(dfs_reaper_renewal_test),
	KUNIT_CASE(dfs_reaper_unconfirmed_test),
	KUNIT_CASE(dfs_reaper_schedule_test),
	KUNIT_CASE(dfs_reaper_partial_test),
	KUNIT_CASE(dfs_reaper_batch_test),
	KUNIT_CASE(dfs_reaper_shutdown_batch_test),
	KUNIT_CASE(dfs_reaper_lease_change_test),
	{}
};

static struct kunit_suite dfs_reaper_suite = {
	.name = "dittofs_reaper",
	.test_cases = dfs_reaper_cases,
};

kunit_test_suites(&dfs_reaper_suite);
