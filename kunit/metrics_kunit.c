// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: metrics and the iteration API the netlink layer will use.
 */
#include "dfs_test.h"

/**
 * struct bucket_case - lifetime to histogram bucket
 * @secs: lifetime
 * @bucket: expected bucket
 */
struct bucket_case {
	time64_t secs;
	unsigned int bucket;
};

static const struct bucket_case bucket_cases[] = {
	{ -3, 0 }, { 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 2 }, { 4, 3 },
	{ 1023, 10 }, { 1024, 11 }, { 1LL << 40, DFS_LIFETIME_BUCKETS - 1 },
};

static void bucket_case_desc(const struct bucket_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lld s -> bucket %u",
		 (long long)c->secs, c->bucket);
}

KUNIT_ARRAY_PARAM(bucket, bucket_cases, bucket_case_desc);

static void dfs_metrics_bucket_test(struct kunit *test)
{
	const struct bucket_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dfs_metrics_lifetime_bucket(c->secs), c->bucket);
}

/* Every SEQUENCE status lands in its own counter. */
static void dfs_metrics_seq_outcome_test(struct kunit *test)
{
	static const struct {
		enum nfsstat4 status;
		bool replay;
		enum dfs_seq_outcome want;
	} map[] = {
		{ NFS4_OK, false, DFS_SEQ_OK },
		{ NFS4_OK, true, DFS_SEQ_REPLAY },
		{ NFS4ERR_BADSESSION, false, DFS_SEQ_BADSESSION },
		{ NFS4ERR_BADSLOT, false, DFS_SEQ_BADSLOT },
		{ NFS4ERR_DELAY, false, DFS_SEQ_DELAY },
		{ NFS4ERR_SEQ_MISORDERED, false, DFS_SEQ_MISORDERED },
		{ NFS4ERR_SEQ_FALSE_RETRY, false, DFS_SEQ_FALSE_RETRY },
		{ NFS4ERR_RETRY_UNCACHED_REP, false, DFS_SEQ_UNCACHED },
		{ NFS4ERR_REQ_TOO_BIG, false, DFS_SEQ_REQ_TOO_BIG },
		{ NFS4ERR_TOO_MANY_OPS, false, DFS_SEQ_TOO_MANY_OPS },
		{ NFS4ERR_SERVERFAULT, false, DFS_SEQ_OTHER },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		KUNIT_EXPECT_EQ(test, dfs_metrics_seq_outcome(map[i].status,
							      map[i].replay),
				map[i].want);
}

/* Counters add up across creation, destruction and SEQUENCE. */
static void dfs_metrics_counts_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs[3];
	struct dfs_metrics_snapshot *snap;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u64 hist = 0;
	unsigned int i;

	cs[0] = dfs_test_session(test, srv, "m0", 2, NULL);
	cs[1] = dfs_test_session(test, srv, "m1", 2, NULL);
	cs[2] = dfs_test_session(test, srv, "m2", 2, NULL);
	dfs_test_advance(5);

	dfs_test_seq_args(&sa, &cs[2].sessionid, 0, 1, true);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_sequence_done(&sr, "x", 1), NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	dfs_reply_put(sr.replay);
	sa.slot.seqid = 9;
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr),
			NFS4ERR_SEQ_MISORDERED);
	sa.slot.slotid = 2;
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4ERR_BADSLOT);

	KUNIT_ASSERT_EQ(test, dfs_destroy_session(srv, &cs[0].sessionid, NULL),
			NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_session_force_destroy(srv, &cs[1].sessionid),
			0);

	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_created, 3);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_CLIENT], 1);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_ADMIN], 1);
	KUNIT_EXPECT_EQ(test, snap->sessions_active, 1);
	KUNIT_EXPECT_EQ(test, snap->sum.clients_created, 3);
	KUNIT_EXPECT_EQ(test, snap->clients_active, 3);
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_OK], 1);
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_REPLAY], 1);
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_MISORDERED], 1);
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_BADSLOT], 1);
	for (i = 0; i < DFS_LIFETIME_BUCKETS; i++)
		hist += snap->sum.lifetime[i];
	KUNIT_EXPECT_EQ(test, hist, 2);
	/* Both lived 5 s: bucket [4, 8). */
	KUNIT_EXPECT_EQ(test, snap->sum.lifetime[3], 2);
}

/* Cursors walk clients and sessions, and survive concurrent destroys. */
static void dfs_metrics_iterate_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_client_info *info;
	struct dfs_session_info sinfo;
	struct dfs_exchange_id_res eid;
	struct dfs_create_session_args a;
	struct dfs_create_session_res cs;
	unsigned long cursor = 0;
	u64 ids[4], scur = 0, gen;
	u32 seen = 0, i;

	info = kunit_kzalloc(test, sizeof(*info), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, info);
	for (i = 0; i < 4; i++) {
		char owner[8];

		snprintf(owner, sizeof(owner), "it%u", i);
		dfs_test_session(test, srv, owner, 3, &ids[i]);
	}
	eid = dfs_test_exchange(test, srv, "it0", 1);
	KUNIT_ASSERT_EQ(test, eid.clientid, ids[0]);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	a.fore.maxrequests = 3;
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &cs), NFS4_OK);

	gen = dfs_server_generation(srv);
	/* Walk; destroy the next client under the cursor half way. */
	while (!dfs_client_next(srv, &cursor, info)) {
		KUNIT_EXPECT_EQ(test, info->clientid, ids[seen == 2 ? 3 : seen]);
		if (seen == 1)
			KUNIT_ASSERT_EQ(test, dfs_client_evict(srv, ids[2]), 0);
		seen++;
	}
	KUNIT_EXPECT_EQ(test, seen, 3);
	KUNIT_EXPECT_NE(test, dfs_server_generation(srv), gen);

	/* Two sessions for ids[0]. */
	seen = 0;
	while (!dfs_session_next(srv, ids[0], &scur, &sinfo)) {
		KUNIT_EXPECT_EQ(test, sinfo.clientid, ids[0]);
		KUNIT_EXPECT_EQ(test, sinfo.fore_stats.nr, 3);
		seen++;
	}
	KUNIT_EXPECT_EQ(test, seen, 2);
	scur = 0;
	KUNIT_EXPECT_EQ(test, dfs_session_next(srv, ids[2], &scur, &sinfo),
			-ESRCH);
}

static struct kunit_case dfs_metrics_cases[] = {
	KUNIT_CASE_PARAM(dfs_metrics_bucket_test, bucket_gen_params),
	KUNIT_CASE(dfs_metrics_seq_outcome_test),
	KUNIT_CASE(dfs_metrics_counts_test),
	KUNIT_CASE(dfs_metrics_iterate_test),
	{}
};

static struct kunit_suite dfs_metrics_suite = {
	.name = "dittofs_metrics",
	.test_cases = dfs_metrics_cases,
};

kunit_test_suites(&dfs_metrics_suite);
