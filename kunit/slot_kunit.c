// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SEQUENCE and the slot replay cache.
 */
#include "dfs_test.h"

#define SLOTS	8

/**
 * enum seq_prior - the slot before the SEQUENCE under test
 * @SLOT_FRESH: never used
 * @SLOT_CACHED: seqid 1 done, reply cached
 * @SLOT_UNCACHED: seqid 1 done, reply not cached
 * @SLOT_BUSY: seqid 1 still executing
 */
enum seq_prior { SLOT_FRESH, SLOT_CACHED, SLOT_UNCACHED, SLOT_BUSY };

/**
 * struct seq_case - one SEQUENCE against one slot state
 * @desc: what the case shows
 * @prior: the slot before
 * @slot: sa_slotid
 * @seqid: sa_sequenceid
 * @other_digest: the request differs from the one that ran with @seqid
 * @req_size: request size (0: a small one)
 * @nops: operations in the COMPOUND (0: two)
 * @bad_session: use an unknown session id
 * @status: expected status
 * @replay: the cached reply comes back
 */
struct seq_case {
	const char *desc;
	enum seq_prior prior;
	u32 slot;
	u32 seqid;
	bool other_digest;
	u32 req_size;
	u32 nops;
	bool bad_session;
	enum nfsstat4 status;
	bool replay;
};

static const struct seq_case seq_cases[] = {
	{ "fresh slot: seqid 1 executes", SLOT_FRESH, 0, 1, false, 0, 0, false,
	  NFS4_OK, false },
	{ "fresh slot: seqid 0 is misordered", SLOT_FRESH, 0, 0, false, 0, 0,
	  false, NFS4ERR_SEQ_MISORDERED, false },
	{ "fresh slot: seqid 2 is misordered", SLOT_FRESH, 0, 2, false, 0, 0,
	  false, NFS4ERR_SEQ_MISORDERED, false },
	{ "last+1 executes", SLOT_CACHED, 0, 2, false, 0, 0, false, NFS4_OK,
	  false },
	{ "retry of a cached reply replays it", SLOT_CACHED, 0, 1, false, 0, 0,
	  false, NFS4_OK, true },
	{ "retry of an uncached reply", SLOT_UNCACHED, 0, 1, false, 0, 0, false,
	  NFS4ERR_RETRY_UNCACHED_REP, false },
	{ "false retry: same seqid, another request", SLOT_CACHED, 0, 1, true,
	  0, 0, false, NFS4ERR_SEQ_FALSE_RETRY, false },
	{ "false retry of an uncached reply", SLOT_UNCACHED, 0, 1, true, 0, 0,
	  false, NFS4ERR_SEQ_FALSE_RETRY, false },
	{ "retry while executing is DELAY", SLOT_BUSY, 0, 1, false, 0, 0, false,
	  NFS4ERR_DELAY, false },
	{ "new request while executing is misordered", SLOT_BUSY, 0, 2, false,
	  0, 0, false, NFS4ERR_SEQ_MISORDERED, false },
	{ "last+2 is misordered", SLOT_CACHED, 0, 3, false, 0, 0, false,
	  NFS4ERR_SEQ_MISORDERED, false },
	{ "last-1 is misordered", SLOT_CACHED, 0, 0, false, 0, 0, false,
	  NFS4ERR_SEQ_MISORDERED, false },
	{ "slot beyond the table", SLOT_FRESH, SLOTS, 1, false, 0, 0, false,
	  NFS4ERR_BADSLOT, false },
	{ "huge slot id", SLOT_FRESH, U32_MAX, 1, false, 0, 0, false,
	  NFS4ERR_BADSLOT, false },
	{ "unknown session", SLOT_FRESH, 0, 1, false, 0, 0, true,
	  NFS4ERR_BADSESSION, false },
	{ "request larger than ca_maxrequestsize", SLOT_CACHED, 0, 2, false,
	  SZ_1M + 1, 0, false, NFS4ERR_REQ_TOO_BIG, false },
	{ "more operations than ca_maxoperations", SLOT_CACHED, 0, 2, false, 0,
	  17, false, NFS4ERR_TOO_MANY_OPS, false },
};

static void seq_case_desc(const struct seq_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seq, seq_cases, seq_case_desc);

static time64_t dfs_test_renewed(struct dfs_server *srv, u64 id)
{
	struct dfs_client *clp = dfs_client_lookup(srv, id);
	time64_t t;

	if (!clp)
		return -1;
	t = READ_ONCE(clp->renewed);
	dfs_client_put(clp);
	return t;
}

static void dfs_sequence_case_test(struct kunit *test)
{
	const struct seq_case *c = test->param_value;
	struct dfs_server *srv = dfs_test_server(test);
	static const u8 reply[40] = "cached reply bytes";
	struct dfs_create_session_res cs;
	struct dfs_seq_res prior, sr;
	struct dfs_seq_args sa;
	u32 next_seqid = 1;
	time64_t renewed;
	u64 id;

	/* Arrange */
	cs = dfs_test_session(test, srv, "seq", SLOTS, &id);
	if (c->prior != SLOT_FRESH) {
		dfs_test_seq_args(&sa, &cs.sessionid, 0, 1,
				  c->prior == SLOT_CACHED);
		KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &prior), NFS4_OK);
		if (c->prior != SLOT_BUSY)
			KUNIT_ASSERT_EQ(test, dfs_sequence_done(&prior, reply,
								sizeof(reply)),
					NFS4_OK);
		next_seqid = 2;
	}
	dfs_test_advance(5);
	renewed = dfs_test_renewed(srv, id);
	dfs_test_seq_args(&sa, &cs.sessionid, c->slot, c->seqid, true);
	if (c->other_digest)
		sa.slot.digest ^= 1;
	if (c->req_size)
		sa.slot.req_size = c->req_size;
	if (c->nops)
		sa.slot.nops = c->nops;
	if (c->bad_session)
		sa.sessionid.data[0] ^= 0xff;

	/* Act */
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), c->status);

	/* Assert */
	KUNIT_EXPECT_EQ(test, !!sr.replay, c->replay);
	if (sr.replay) {
		KUNIT_EXPECT_EQ(test, sr.replay->len, sizeof(reply));
		KUNIT_EXPECT_EQ(test, memcmp(sr.replay->data, reply,
					     sizeof(reply)), 0);
		KUNIT_EXPECT_NULL(test, sr.sess);
		dfs_reply_put(sr.replay);
	}
	if (c->status == NFS4_OK) {
		/* Success renews the lease. */
		KUNIT_EXPECT_GT(test, dfs_test_renewed(srv, id), renewed);
		if (!c->replay)
			KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0),
					NFS4_OK);
		return;
	}
	/* A failing SEQUENCE changes nothing: not the lease, not the slot. */
	KUNIT_EXPECT_NULL(test, sr.sess);
	KUNIT_EXPECT_EQ(test, dfs_test_renewed(srv, id), renewed);
	if (c->prior == SLOT_BUSY)
		KUNIT_EXPECT_EQ(test, dfs_sequence_done(&prior, NULL, 0), NFS4_OK);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, next_seqid, false);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);
}

/* Slot ids reported truthfully. */
static void dfs_sequence_slotids_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;

	cs = dfs_test_session(test, srv, "hs", 5, NULL);
	dfs_test_seq_args(&sa, &cs.sessionid, 4, 1, false);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_EXPECT_EQ(test, sr.highest_slotid, 4);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 4);
	KUNIT_EXPECT_EQ(test, sr.status_flags, 0);
	KUNIT_EXPECT_EQ(test, sr.slotid, 4);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);
}

/**
 * struct done_case - completing a request
 * @desc: what the case shows
 * @cachethis: sa_cachethis
 * @len: reply size
 * @status: expected status of the completion
 * @retry: expected status of a retry afterwards
 */
struct done_case {
	const char *desc;
	bool cachethis;
	u32 len;
	enum nfsstat4 status;
	enum nfsstat4 retry;
};

static const struct done_case done_cases[] = {
	{ "cached reply at the cache limit", true, SZ_4K, NFS4_OK, NFS4_OK },
	{ "too big to cache", true, SZ_4K + 1, NFS4ERR_REP_TOO_BIG_TO_CACHE,
	  NFS4ERR_RETRY_UNCACHED_REP },
	{ "too big at all", true, SZ_1M + 1, NFS4ERR_REP_TOO_BIG,
	  NFS4ERR_RETRY_UNCACHED_REP },
	{ "too big, not cached", false, SZ_1M + 1, NFS4ERR_REP_TOO_BIG,
	  NFS4ERR_RETRY_UNCACHED_REP },
	{ "big reply not asked to be cached", false, SZ_64K, NFS4_OK,
	  NFS4ERR_RETRY_UNCACHED_REP },
};

static void done_case_desc(const struct done_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(done, done_cases, done_case_desc);

static void dfs_sequence_done_test(struct kunit *test)
{
	const struct done_case *c = test->param_value;
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u8 *reply;

	reply = kunit_kzalloc(test, c->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reply);
	cs = dfs_test_session(test, srv, "done", 2, NULL);
	dfs_test_seq_args(&sa, &cs.sessionid, 1, 1, c->cachethis);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);

	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, reply, c->len), c->status);
	KUNIT_EXPECT_NULL(test, sr.sess);

	/* Released on every path: the retry is answered, not DELAYed. */
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), c->retry);
	if (sr.replay) {
		KUNIT_EXPECT_EQ(test, sr.replay->len, c->len);
		dfs_reply_put(sr.replay);
	}
}

/* One SEQUENCE that executes and completes with a @len byte reply. */
static void dfs_test_seq_one(struct kunit *test, struct dfs_server *srv,
			     const struct dfs_sessionid *sid, u32 slot,
			     u32 seqid, u32 highest, bool cache, u32 len,
			     struct dfs_seq_res *sr)
{
	static const u8 reply[512];
	struct dfs_seq_args sa;

	dfs_test_seq_args(&sa, sid, slot, seqid, cache);
	sa.slot.highest_slotid = highest;
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, sr), NFS4_OK);
	KUNIT_ASSERT_NULL(test, sr->replay);
	KUNIT_ASSERT_EQ(test, dfs_sequence_done(sr, reply, len), NFS4_OK);
}

static struct dfs_slot_stats dfs_test_slot_stats(struct dfs_server *srv,
						 const struct dfs_sessionid *sid)
{
	struct dfs_session *sess = dfs_session_lookup(srv, sid);
	struct dfs_slot_stats st = {};

	if (sess) {
		dfs_slot_stats(sess->fore_tbl, &st);
		dfs_session_put(sess);
	}
	return st;
}

/*
 * A cached reply is charged at its slab size.  With the budget spent, a
 * caching request still executes, uncached: its retry gets
 * NFS4ERR_RETRY_UNCACHED_REP, never NFS4ERR_DELAY, and the budget is
 * never exceeded.  The slot's old reply counts toward the reservation.
 */
static void dfs_sequence_budget_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_limits lim;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u64 base, hog, charge, reserve;

	cs = dfs_test_session(test, srv, "budget", 2, NULL);
	base = atomic64_read(&srv->budget.used);
	charge = kmalloc_size_roundup(sizeof(struct dfs_reply) + 100);
	reserve = kmalloc_size_roundup(sizeof(struct dfs_reply) + SZ_4K);

	dfs_test_seq_one(test, srv, &cs.sessionid, 0, 1, 0, true, 100, &sr);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used) - base, charge);

	/* Room for the reservation only with the old reply's credit. */
	dfs_limits_get(&lim);
	hog = lim.reply_cache_budget - atomic64_read(&srv->budget.used) -
	      (reserve - charge);
	KUNIT_ASSERT_TRUE(test, dfs_budget_charge(&srv->budget, hog));
	dfs_test_seq_one(test, srv, &cs.sessionid, 0, 2, 0, true, 100, &sr);
	KUNIT_EXPECT_EQ(test, dfs_test_slot_stats(srv, &cs.sessionid).uncached,
			0);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 2, true);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_EXPECT_NOT_NULL(test, sr.replay);
	dfs_reply_put(sr.replay);

	/* Without the credit (slot 1 has none) it runs uncached. */
	dfs_test_seq_one(test, srv, &cs.sessionid, 1, 1, 1, true, 100, &sr);
	KUNIT_EXPECT_EQ(test, dfs_test_slot_stats(srv, &cs.sessionid).uncached,
			1);
	KUNIT_EXPECT_LE(test, atomic64_read(&srv->budget.used),
			(s64)lim.reply_cache_budget);
	dfs_test_seq_args(&sa, &cs.sessionid, 1, 1, true);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr),
			NFS4ERR_RETRY_UNCACHED_REP);
	dfs_budget_uncharge(&srv->budget, hog);

	/* With room again it caches. */
	dfs_test_seq_one(test, srv, &cs.sessionid, 1, 2, 1, true, 100, &sr);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used) - base,
			2 * charge);
}

/*
 * While the budget is contended no client may hold more than its fair
 * share (the budget over the clients holding a charge); below three
 * quarters anyone may use what is free.
 */
static void dfs_budget_fair_share_test(struct kunit *test)
{
	struct dfs_budget *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dfs_budget_acct *a, *c;
	u64 l;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dfs_test_set_limit(test, DFS_LIMIT_REPLY_CACHE_MB, 1);
	l = SZ_1M;
	a = dfs_budget_acct_alloc(b);
	c = dfs_budget_acct_alloc(b);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);

	KUNIT_EXPECT_TRUE(test, dfs_acct_charge(a, l * 7 / 10, 0));
	KUNIT_EXPECT_FALSE(test, dfs_budget_contended(b));
	/* Contended, but a is the only user: all of it is its share. */
	KUNIT_EXPECT_TRUE(test, dfs_acct_charge(a, l / 10, 0));
	KUNIT_EXPECT_TRUE(test, dfs_budget_contended(b));
	KUNIT_EXPECT_EQ(test, atomic_read(&b->accounts), 1);
	/* Now two users: half each; c gets its share, a no more. */
	KUNIT_EXPECT_TRUE(test, dfs_acct_charge(c, l / 20, 0));
	KUNIT_EXPECT_FALSE(test, dfs_acct_charge(a, l / 20, 0));
	KUNIT_EXPECT_TRUE(test, dfs_acct_charge(c, l / 10, 0));
	/* Nobody goes past the budget. */
	KUNIT_EXPECT_FALSE(test, dfs_acct_charge(c, l / 10, 0));
	KUNIT_EXPECT_LE(test, atomic64_read(&b->used), (s64)l);
	KUNIT_EXPECT_EQ(test, atomic64_read(&a->used), (s64)(l * 8 / 10));

	dfs_acct_uncharge(a, l * 7 / 10);
	dfs_acct_uncharge(a, l / 10);
	dfs_acct_uncharge(c, l / 20);
	dfs_acct_uncharge(c, l / 10);
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->used), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->accounts), 0);
	dfs_budget_acct_put(a);
	dfs_budget_acct_put(c);
}

/*
 * A session whose client stops using its upper slots gives their cached
 * replies back at once (it has nothing outstanding above its
 * sa_highest_slotid), and its target drops at the next window; the
 * target comes back when the client uses all of it.
 */
static void dfs_slot_follows_load_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_slot_stats st;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u64 base, charge;
	u32 i;

	cs = dfs_test_session(test, srv, "load", 8, NULL);
	base = atomic64_read(&srv->budget.used);
	charge = kmalloc_size_roundup(sizeof(struct dfs_reply) + 200);
	for (i = 0; i < 8; i++)
		dfs_test_seq_one(test, srv, &cs.sessionid, i, 1, 7, true, 200,
				 &sr);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used) - base,
			8 * charge);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 7);

	/* Only slot 0 from now on. */
	dfs_test_seq_one(test, srv, &cs.sessionid, 0, 2, 0, true, 200, &sr);
	st = dfs_test_slot_stats(srv, &cs.sessionid);
	KUNIT_EXPECT_EQ(test, st.freed, 7);
	KUNIT_EXPECT_EQ(test, st.cached_bytes, charge);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used) - base, charge);
	dfs_test_seq_args(&sa, &cs.sessionid, 5, 1, true);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr),
			NFS4ERR_RETRY_UNCACHED_REP);

	/* The window that saw slot 7 keeps the target; the next drops it. */
	dfs_test_advance(DFS_SLOT_WINDOW_SECS);
	dfs_test_seq_one(test, srv, &cs.sessionid, 0, 3, 0, false, 0, &sr);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 7);
	dfs_test_advance(DFS_SLOT_WINDOW_SECS);
	dfs_test_seq_one(test, srv, &cs.sessionid, 0, 4, 0, false, 0, &sr);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 1);

	/* Using both slots it is offered brings the whole table back. */
	dfs_test_seq_one(test, srv, &cs.sessionid, 1, 2, 1, false, 0, &sr);
	dfs_test_advance(DFS_SLOT_WINDOW_SECS);
	dfs_test_seq_one(test, srv, &cs.sessionid, 0, 5, 0, false, 0, &sr);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 7);
	KUNIT_EXPECT_EQ(test, sr.highest_slotid, 7);
}

/* Under budget pressure the target halves each window. */
static void dfs_slot_target_pressure_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_limits lim;
	struct dfs_seq_res sr;
	u64 hog;
	u32 i;

	cs = dfs_test_session(test, srv, "pressure", 8, NULL);
	for (i = 0; i < 8; i++)
		dfs_test_seq_one(test, srv, &cs.sessionid, i, 1, 7, false, 0,
				 &sr);
	dfs_limits_get(&lim);
	hog = lim.reply_cache_budget / 10 * 8;
	KUNIT_ASSERT_TRUE(test, dfs_budget_charge(&srv->budget, hog));
	KUNIT_EXPECT_TRUE(test, dfs_budget_contended(&srv->budget));
	dfs_test_advance(DFS_SLOT_WINDOW_SECS);
	dfs_test_seq_one(test, srv, &cs.sessionid, 7, 2, 7, false, 0, &sr);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 3);
	dfs_test_advance(DFS_SLOT_WINDOW_SECS);
	dfs_test_seq_one(test, srv, &cs.sessionid, 3, 2, 3, false, 0, &sr);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 1);
	dfs_budget_uncharge(&srv->budget, hog);
	/* Pressure gone, the client at its target: the whole table. */
	dfs_test_advance(DFS_SLOT_WINDOW_SECS);
	dfs_test_seq_one(test, srv, &cs.sessionid, 1, 2, 1, false, 0, &sr);
	KUNIT_EXPECT_EQ(test, sr.target_highest_slotid, 7);
}

/* The slot table on its own: close refuses while too many are held. */
static void dfs_slot_table_close_test(struct kunit *test)
{
	struct dfs_channel_attrs attrs = { 0, 4096, 4096, 512, 8, 2, 0 };
	struct dfs_slot_args args = { .seqid = 1, .req_size = 100, .nops = 1 };
	struct dfs_budget_acct *acct;
	struct dfs_budget *budget;
	struct dfs_slot_table *tbl;
	struct dfs_reply *rep;

	budget = kunit_kzalloc(test, sizeof(*budget), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, budget);
	acct = dfs_budget_acct_alloc(budget);
	KUNIT_ASSERT_NOT_NULL(test, acct);
	tbl = dfs_slot_table_alloc(&attrs, acct);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tbl));
	KUNIT_EXPECT_EQ(test, atomic64_read(&budget->used),
			(s64)dfs_slot_table_cost(2));

	KUNIT_ASSERT_EQ(test, dfs_slot_acquire(tbl, &args, &rep), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_slot_inflight(tbl), 1);
	KUNIT_EXPECT_FALSE(test, dfs_slot_table_close(tbl, 0));
	KUNIT_EXPECT_TRUE(test, dfs_slot_table_close(tbl, 1));
	args.slotid = 1;
	KUNIT_EXPECT_EQ(test, dfs_slot_acquire(tbl, &args, &rep),
			NFS4ERR_BADSESSION);
	KUNIT_EXPECT_EQ(test, dfs_slot_complete(tbl, 0, NULL, 0), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_slot_inflight(tbl), 0);

	dfs_slot_table_free(tbl);
	KUNIT_EXPECT_EQ(test, atomic64_read(&budget->used), 0);
	dfs_budget_acct_put(acct);
}

static int dfs_test_fill_fails(void *ctx, void *dst, u32 len)
{
	return -EFAULT;
}

static int dfs_test_fill(void *ctx, void *dst, u32 len)
{
	memset(dst, *(u8 *)ctx, len);
	return 0;
}

/*
 * The reply is copied once, by the caller's fill, into the cache's own
 * buffer; a fill that fails leaves the slot uncached, its charge returned.
 */
static void dfs_slot_complete_fill_test(struct kunit *test)
{
	struct dfs_channel_attrs attrs = { 0, 4096, 4096, 512, 8, 2, 0 };
	struct dfs_slot_args args = { .seqid = 1, .req_size = 100, .nops = 1,
				      .cachethis = true };
	struct dfs_budget_acct *acct;
	struct dfs_budget *budget;
	struct dfs_slot_table *tbl;
	struct dfs_reply *rep;
	u8 byte = 0x5a;
	s64 base;

	budget = kunit_kzalloc(test, sizeof(*budget), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, budget);
	acct = dfs_budget_acct_alloc(budget);
	KUNIT_ASSERT_NOT_NULL(test, acct);
	tbl = dfs_slot_table_alloc(&attrs, acct);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tbl));
	base = atomic64_read(&budget->used);

	KUNIT_ASSERT_EQ(test, dfs_slot_acquire(tbl, &args, &rep), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_slot_complete_fill(tbl, 0, 300,
						     dfs_test_fill_fails, NULL),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, atomic64_read(&budget->used), base);
	KUNIT_EXPECT_EQ(test, dfs_slot_acquire(tbl, &args, &rep),
			NFS4ERR_RETRY_UNCACHED_REP);

	args.seqid = 2;
	KUNIT_ASSERT_EQ(test, dfs_slot_acquire(tbl, &args, &rep), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_slot_complete_fill(tbl, 0, 300,
						     dfs_test_fill, &byte),
			NFS4_OK);
	rep = NULL;
	KUNIT_ASSERT_EQ(test, dfs_slot_acquire(tbl, &args, &rep), NFS4_OK);
	KUNIT_ASSERT_NOT_NULL(test, rep);
	KUNIT_EXPECT_EQ(test, rep->len, 300);
	KUNIT_EXPECT_EQ(test, rep->data[0], 0x5a);
	KUNIT_EXPECT_EQ(test, rep->data[299], 0x5a);
	dfs_reply_put(rep);

	dfs_slot_table_free(tbl);
	KUNIT_EXPECT_EQ(test, atomic64_read(&budget->used), 0);
	dfs_budget_acct_put(acct);
}

static struct kunit_case dfs_slot_cases[] = {
	KUNIT_CASE_PARAM(dfs_sequence_case_test, seq_gen_params),
	KUNIT_CASE(dfs_sequence_slotids_test),
	KUNIT_CASE_PARAM(dfs_sequence_done_test, done_gen_params),
	KUNIT_CASE(dfs_sequence_budget_test),
	KUNIT_CASE(dfs_budget_fair_share_test),
	KUNIT_CASE(dfs_slot_follows_load_test),
	KUNIT_CASE(dfs_slot_target_pressure_test),
	KUNIT_CASE(dfs_slot_table_close_test),
	KUNIT_CASE(dfs_slot_complete_fill_test),
	{}
};

static struct kunit_suite dfs_slot_suite = {
	.name = "dittofs_slot",
	.test_cases = dfs_slot_cases,
};

kunit_test_suites(&dfs_slot_suite);
