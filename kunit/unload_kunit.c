// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: unload.  Shutting a server down destroys every session and
 * client (reason: unload), stops the reaper, and leaves nothing charged;
 * a request in flight finishes first.
 */
#include "dfs_test.h"

static void dfs_unload_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_metrics_snapshot *snap;
	struct dfs_create_session_args a;
	struct dfs_create_session_res cs;
	struct dfs_exchange_id_args ea;
	struct dfs_exchange_id_res er;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u8 reply[32] = {};
	u64 id;

	/* Arrange: three sessions, one request in flight, one unconfirmed. */
	dfs_server_start(srv);
	dfs_test_session(test, srv, "u0", 2, NULL);
	dfs_test_session(test, srv, "u1", 2, NULL);
	cs = dfs_test_session(test, srv, "u2", 2, &id);
	dfs_test_exchange(test, srv, "u3", 1);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, true);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);

	/* Act */
	dfs_server_shutdown(srv);

	/* Assert */
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&srv->reaper));
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_UNLOAD], 3);
	KUNIT_EXPECT_EQ(test, snap->sum.clients_destroyed[DFS_DESTROY_UNLOAD], 4);
	KUNIT_EXPECT_EQ(test, snap->sessions_active, 0);
	KUNIT_EXPECT_EQ(test, snap->clients_active, 0);
	KUNIT_EXPECT_NULL(test, dfs_session_lookup(srv, &cs.sessionid));

	/* The request in flight finishes; then nothing is left charged. */
	KUNIT_EXPECT_NE(test, atomic64_read(&srv->budget.used), 0);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, reply, sizeof(reply)),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used), 0);

	/* A server going away takes no new clients or sessions. */
	dfs_test_eid_args(&ea, "late", 1, 0);
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &ea, &er), NFS4ERR_DELAY);
	dfs_test_cs_args(&a, id, 2);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &cs),
			NFS4ERR_STALE_CLIENTID);
}

static struct kunit_case dfs_unload_cases[] = {
	KUNIT_CASE(dfs_unload_test),
	{}
};

static struct kunit_suite dfs_unload_suite = {
	.name = "dittofs_unload",
	.test_cases = dfs_unload_cases,
};

kunit_test_suites(&dfs_unload_suite);
