// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: CREATE_SESSION channel negotiation against the server limits.
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "limits.h"

static const struct dfs_limits dfs_test_limits = {
	.fore_slots = 64,
	.back_slots = 8,
	.fore_size = SZ_1M,
	.back_size = SZ_64K,
	.max_ops = 128,
	.max_cached_reply = SZ_4K,
	.sessions_per_client = 16,
	.lease_time = 90,
	.reply_cache_budget = SZ_64M,
};

/* A Linux 6.12 client's fore channel request, as seen on the wire. */
#define LINUX_FORE { 0, 1049620, 1049480, 7584, 8, 64, 0 }
#define LINUX_BACK { 0, 4096, 4096, 0, 2, 16, 0 }

/**
 * struct negotiate_case - one channel negotiation
 * @desc: what the case shows
 * @back: negotiate the back channel instead of the fore channel
 * @req: the client's channel_attrs4
 * @status: expected status
 * @res: expected grant when @status is NFS4_OK
 */
struct negotiate_case {
	const char *desc;
	bool back;
	struct dfs_channel_attrs req;
	enum nfsstat4 status;
	struct dfs_channel_attrs res;
};

static const struct negotiate_case negotiate_cases[] = {
	{ "linux client fore: sizes clamped to 1 MiB, cache to 4 KiB",
	  false, LINUX_FORE, NFS4_OK,
	  { 0, SZ_1M, SZ_1M, SZ_4K, 8, 64, 0 } },
	{ "linux client back: 16 slots asked, 8 granted",
	  true, LINUX_BACK, NFS4_OK,
	  { 0, 4096, 4096, 0, 2, 8, 0 } },
	{ "fore: never more than asked",
	  false, { 0, 4096, 4096, 512, 4, 2, 0 }, NFS4_OK,
	  { 0, 4096, 4096, 512, 4, 2, 0 } },
	{ "fore: huge request clamped everywhere",
	  false, { 64, U32_MAX, U32_MAX, U32_MAX, U32_MAX, U32_MAX, 1 },
	  NFS4_OK, { 0, SZ_1M, SZ_1M, SZ_4K, 128, 64, 0 } },
	{ "fore: cached size never above the reply size",
	  false, { 0, 4096, 1024, 4096, 8, 8, 0 }, NFS4_OK,
	  { 0, 4096, 1024, 1024, 8, 8, 0 } },
	{ "fore: exactly the SEQUENCE-only minimum",
	  false, { 0, DFS_SEQ_ONLY_REQ_SIZE, DFS_SEQ_ONLY_REP_SIZE, 0, 1, 1, 0 },
	  NFS4_OK,
	  { 0, DFS_SEQ_ONLY_REQ_SIZE, DFS_SEQ_ONLY_REP_SIZE, 0, 1, 1, 0 } },
	{ "fore: request one byte too small",
	  false, { 0, DFS_SEQ_ONLY_REQ_SIZE - 1, 4096, 0, 8, 8, 0 },
	  NFS4ERR_TOOSMALL },
	{ "fore: reply one byte too small",
	  false, { 0, 4096, DFS_SEQ_ONLY_REP_SIZE - 1, 0, 8, 8, 0 },
	  NFS4ERR_TOOSMALL },
	{ "fore: zero slots",
	  false, { 0, 4096, 4096, 0, 8, 0, 0 }, NFS4ERR_TOOSMALL },
	{ "fore: zero operations",
	  false, { 0, 4096, 4096, 0, 0, 8, 0 }, NFS4ERR_TOOSMALL },
	{ "back: too small for CB_SEQUENCE",
	  true, { 0, DFS_CB_SEQ_ONLY_REQ_SIZE - 1, 4096, 0, 2, 1, 0 },
	  NFS4ERR_TOOSMALL },
	{ "back: huge request clamped, nothing cached",
	  true, { 0, U32_MAX, U32_MAX, U32_MAX, U32_MAX, U32_MAX, 0 },
	  NFS4_OK, { 0, SZ_64K, SZ_64K, 0, 128, 8, 0 } },
};

static void negotiate_case_desc(const struct negotiate_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(negotiate, negotiate_cases, negotiate_case_desc);

static void dfs_negotiate_test(struct kunit *test)
{
	const struct negotiate_case *c = test->param_value;
	struct dfs_channel_attrs res;
	enum nfsstat4 status;

	memset(&res, 0xa5, sizeof(res));

	if (c->back)
		status = dfs_negotiate_back(&dfs_test_limits, &c->req, &res);
	else
		status = dfs_negotiate_fore(&dfs_test_limits, &c->req, &res);

	KUNIT_ASSERT_EQ(test, status, c->status);
	if (status != NFS4_OK) {
		/* A refused negotiation leaves the reply untouched. */
		KUNIT_EXPECT_EQ(test, res.maxrequests, 0xa5a5a5a5);
		return;
	}
	KUNIT_EXPECT_EQ(test, res.headerpadsize, c->res.headerpadsize);
	KUNIT_EXPECT_EQ(test, res.maxrequestsize, c->res.maxrequestsize);
	KUNIT_EXPECT_EQ(test, res.maxresponsesize, c->res.maxresponsesize);
	KUNIT_EXPECT_EQ(test, res.maxresponsesize_cached,
			c->res.maxresponsesize_cached);
	KUNIT_EXPECT_EQ(test, res.maxoperations, c->res.maxoperations);
	KUNIT_EXPECT_EQ(test, res.maxrequests, c->res.maxrequests);
	KUNIT_EXPECT_EQ(test, res.nr_rdma_ird, c->res.nr_rdma_ird);
}

/* Each grant is at most the request, whatever the request. */
static void dfs_negotiate_never_more_test(struct kunit *test)
{
	struct dfs_channel_attrs req, res;
	u32 i;

	for (i = 0; i < 2000; i++) {
		req.headerpadsize = get_random_u32();
		req.maxrequestsize = get_random_u32_below(SZ_2M);
		req.maxresponsesize = get_random_u32_below(SZ_2M);
		req.maxresponsesize_cached = get_random_u32();
		req.maxoperations = get_random_u32_below(300);
		req.maxrequests = get_random_u32_below(200);
		req.nr_rdma_ird = get_random_u32_below(2);
		if (dfs_negotiate_fore(&dfs_test_limits, &req, &res) != NFS4_OK)
			continue;
		KUNIT_ASSERT_LE(test, res.maxrequestsize, req.maxrequestsize);
		KUNIT_ASSERT_LE(test, res.maxresponsesize, req.maxresponsesize);
		KUNIT_ASSERT_LE(test, res.maxresponsesize_cached,
				req.maxresponsesize_cached);
		KUNIT_ASSERT_LE(test, res.maxresponsesize_cached,
				res.maxresponsesize);
		KUNIT_ASSERT_LE(test, res.maxoperations, req.maxoperations);
		KUNIT_ASSERT_LE(test, res.maxrequests, req.maxrequests);
		KUNIT_ASSERT_LE(test, res.maxrequests, dfs_test_limits.fore_slots);
		KUNIT_ASSERT_GE(test, res.maxrequests, 1);
	}
}

/* Out-of-range limits are refused and leave the old value in place. */
static void dfs_limit_set_test(struct kunit *test)
{
	struct dfs_limits before, after;

	dfs_limits_get(&before);

	KUNIT_EXPECT_EQ(test, dfs_limit_set(DFS_LIMIT_FORE_SLOTS, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dfs_limit_set(DFS_LIMIT_FORE_SLOTS, 1025), -EINVAL);
	KUNIT_EXPECT_EQ(test, dfs_limit_set(DFS_LIMIT_COUNT, 1), -EINVAL);
	dfs_limits_get(&after);
	KUNIT_EXPECT_EQ(test, after.fore_slots, before.fore_slots);

	KUNIT_ASSERT_EQ(test, dfs_limit_set(DFS_LIMIT_FORE_SLOTS, 32), 0);
	dfs_limits_get(&after);
	KUNIT_EXPECT_EQ(test, after.fore_slots, 32);

	/* Fewer than 8 operations would fail every Linux mount. */
	KUNIT_EXPECT_EQ(test, dfs_limit_set(DFS_LIMIT_MAX_OPS, 7), -EINVAL);
	KUNIT_ASSERT_EQ(test, dfs_limit_set(DFS_LIMIT_MAX_OPS, 8), 0);
	dfs_limits_get(&after);
	KUNIT_EXPECT_EQ(test, after.max_ops, 8);

	KUNIT_ASSERT_EQ(test, dfs_limit_set(DFS_LIMIT_REPLY_CACHE_MB, 2), 0);
	dfs_limits_get(&after);
	KUNIT_EXPECT_EQ(test, after.reply_cache_budget, (u64)SZ_2M);

	/* Restore what the module was loaded with. */
	dfs_limit_set(DFS_LIMIT_FORE_SLOTS, before.fore_slots);
	dfs_limit_set(DFS_LIMIT_MAX_OPS, before.max_ops);
	dfs_limit_set(DFS_LIMIT_REPLY_CACHE_MB, before.reply_cache_budget / SZ_1M);
}

static struct kunit_case dfs_limits_cases[] = {
	KUNIT_CASE_PARAM(dfs_negotiate_test, negotiate_gen_params),
	KUNIT_CASE(dfs_negotiate_never_more_test),
	KUNIT_CASE(dfs_limit_set_test),
	{}
};

static struct kunit_suite dfs_limits_suite = {
	.name = "dittofs_limits",
	.test_cases = dfs_limits_cases,
};

kunit_test_suites(&dfs_limits_suite);
