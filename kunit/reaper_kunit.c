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

static struct kunit_case dfs_reaper_cases[] = {
	KUNIT_CASE(dfs_reaper_lease_test),
	KUNIT_CASE(dfs_reaper_renewal_test),
	KUNIT_CASE(dfs_reaper_unconfirmed_test),
	KUNIT_CASE(dfs_reaper_schedule_test),
	KUNIT_CASE(dfs_reaper_partial_test),
	{}
};

static struct kunit_suite dfs_reaper_suite = {
	.name = "dittofs_reaper",
	.test_cases = dfs_reaper_cases,
};

kunit_test_suites(&dfs_reaper_suite);
