// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: CREATE_SESSION (replay, negotiation, caps, flags, ids),
 * DESTROY_SESSION, force-destroy and connection bindings.
 */
#include "dfs_test.h"

static u32 dfs_test_nr_sessions(struct dfs_server *srv, u64 clientid)
{
	struct dfs_session_info info;
	u64 cursor = 0;
	u32 n = 0;

	while (!dfs_session_next(srv, clientid, &cursor, &info))
		n++;
	return n;
}

/**
 * struct cs_replay_case - two CREATE_SESSIONs on one client
 * @desc: what the case shows
 * @first_off: csa_sequence of the first, relative to eir_sequenceid
 * @first_toosmall: the first asks for too small a fore channel
 * @first_starved: the budget is spent during the first
 * @want_first: expected status of the first
 * @second_off: csa_sequence of the second, relative to eir_sequenceid
 * @want_second: expected status of the second
 * @same_reply: the second returns the first's result byte for byte
 * @sessions: sessions afterwards
 */
struct cs_replay_case {
	const char *desc;
	int first_off;
	bool first_toosmall;
	bool first_starved;
	enum nfsstat4 want_first;
	int second_off;
	enum nfsstat4 want_second;
	bool same_reply;
	u32 sessions;
};

static const struct cs_replay_case cs_replay_cases[] = {
	{ "last+1 is new, then last+1 again is another new session",
	  0, false, false, NFS4_OK, 1, NFS4_OK, false, 2 },
	{ "equal to last replays the success, no second session",
	  0, false, false, NFS4_OK, 0, NFS4_OK, true, 1 },
	{ "an argument error is not cached and leaves the sequence unused",
	  0, true, false, NFS4ERR_TOOSMALL, 0, NFS4_OK, false, 1 },
	{ "NFS4ERR_DELAY is never cached: the retry executes",
	  0, false, true, NFS4ERR_DELAY, 0, NFS4_OK, false, 1 },
	{ "last+2 is misordered",
	  0, false, false, NFS4_OK, 2, NFS4ERR_SEQ_MISORDERED, false, 1 },
	{ "last-1 is misordered",
	  0, false, false, NFS4_OK, -1, NFS4ERR_SEQ_MISORDERED, false, 1 },
	{ "first request not at eir_sequenceid is misordered",
	  1, false, false, NFS4ERR_SEQ_MISORDERED, 0, NFS4_OK, false, 1 },
};

static void cs_replay_case_desc(const struct cs_replay_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cs_replay, cs_replay_cases, cs_replay_case_desc);

static void dfs_create_session_replay_test(struct kunit *test)
{
	const struct cs_replay_case *c = test->param_value;
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res r1, r2;
	struct dfs_create_session_args a;
	struct dfs_exchange_id_res eid;
	u64 hog = 0;

	/* Arrange */
	eid = dfs_test_exchange(test, srv, "replay", 1);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + c->first_off);
	if (c->first_toosmall)
		a.fore.maxrequestsize = 10;
	if (c->first_starved) {
		struct dfs_limits lim;

		dfs_limits_get(&lim);
		hog = lim.reply_cache_budget;
		KUNIT_ASSERT_TRUE(test, dfs_budget_charge(&srv->budget, hog));
	}
	memset(&r1, 0, sizeof(r1));
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r1), c->want_first);
	if (hog)
		dfs_budget_uncharge(&srv->budget, hog);

	/* Act: the second request has good arguments. */
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + c->second_off);
	memset(&r2, 0xa5, sizeof(r2));
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r2), c->want_second);

	/* Assert */
	if (c->same_reply && c->want_second == NFS4_OK)
		KUNIT_EXPECT_EQ(test, memcmp(&r1, &r2, sizeof(r1)), 0);
	if (!c->same_reply && c->want_first == NFS4_OK &&
	    c->want_second == NFS4_OK)
		KUNIT_EXPECT_NE(test, memcmp(&r1.sessionid, &r2.sessionid,
					     sizeof(r1.sessionid)), 0);
	KUNIT_EXPECT_EQ(test, dfs_test_nr_sessions(srv, eid.clientid),
			c->sessions);
}

/* Every attribute is clamped to the server's limits, never above asked. */
static void dfs_create_session_negotiate_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;
	struct dfs_exchange_id_res eid;
	struct dfs_limits lim;

	dfs_limits_get(&lim);
	eid = dfs_test_exchange(test, srv, "neg", 1);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	a.fore = (struct dfs_channel_attrs){ 64, U32_MAX, U32_MAX, U32_MAX,
					      U32_MAX, 5000, 1 };
	a.back = (struct dfs_channel_attrs){ 0, U32_MAX, U32_MAX, U32_MAX,
					      U32_MAX, 5000, 0 };
	a.flags = SESSION4_PERSIST | SESSION4_RDMA;

	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);

	KUNIT_EXPECT_EQ(test, r.fore.maxrequests, lim.fore_slots);
	KUNIT_EXPECT_EQ(test, r.fore.maxrequestsize, lim.fore_size);
	KUNIT_EXPECT_EQ(test, r.fore.maxresponsesize_cached,
			lim.max_cached_reply);
	KUNIT_EXPECT_EQ(test, r.fore.maxoperations, lim.max_ops);
	KUNIT_EXPECT_EQ(test, r.fore.headerpadsize, 0);
	KUNIT_EXPECT_EQ(test, r.fore.nr_rdma_ird, 0);
	KUNIT_EXPECT_EQ(test, r.back.maxrequests, lim.back_slots);
	KUNIT_EXPECT_EQ(test, r.back.maxrequestsize, lim.back_size);
	KUNIT_EXPECT_EQ(test, r.flags & (SESSION4_PERSIST | SESSION4_RDMA), 0);
	KUNIT_EXPECT_EQ(test, r.sequence, eid.sequenceid);

	/* Too small is an error, and it leaves no session. */
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + 1);
	a.back.maxrequestsize = 8;
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4ERR_TOOSMALL);
	KUNIT_EXPECT_EQ(test, dfs_test_nr_sessions(srv, eid.clientid), 1);
}

/* The per-client cap: the (cap + 1)th session is NFS4ERR_NOSPC. */
static void dfs_create_session_cap_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;
	struct dfs_exchange_id_res eid;
	struct dfs_limits lim;
	u32 i;

	dfs_limits_get(&lim);
	eid = dfs_test_exchange(test, srv, "cap", 1);
	for (i = 0; i < lim.sessions_per_client; i++) {
		dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + i);
		a.fore.maxrequests = 1;
		KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);
	}
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + i);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4ERR_NOSPC);
	KUNIT_EXPECT_EQ(test, dfs_test_nr_sessions(srv, eid.clientid),
			lim.sessions_per_client);
	/* Cached like any error other than DELAY. */
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4ERR_NOSPC);
}

/**
 * struct cb_sec_case - callback security flavors offered
 * @desc: what the case shows
 * @flavors: the list
 * @nr: entries in @flavors
 * @status: expected status
 */
struct cb_sec_case {
	const char *desc;
	u32 flavors[3];
	u32 nr;
	enum nfsstat4 status;
};

static const struct cb_sec_case cb_sec_cases[] = {
	{ "AUTH_NONE", { DFS_AUTH_NONE }, 1, NFS4_OK },
	{ "AUTH_SYS", { DFS_AUTH_SYS }, 1, NFS4_OK },
	{ "RPCSEC_GSS then AUTH_SYS", { DFS_AUTH_GSS, DFS_AUTH_SYS }, 2,
	  NFS4_OK },
	{ "only RPCSEC_GSS", { DFS_AUTH_GSS }, 1, NFS4ERR_NOENT },
	{ "only RPCSEC_GSS, twice", { DFS_AUTH_GSS, DFS_AUTH_GSS }, 2,
	  NFS4ERR_NOENT },
};

static void cb_sec_case_desc(const struct cb_sec_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cb_sec, cb_sec_cases, cb_sec_case_desc);

static void dfs_create_session_cb_sec_test(struct kunit *test)
{
	const struct cb_sec_case *c = test->param_value;
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;
	struct dfs_exchange_id_res eid;

	eid = dfs_test_exchange(test, srv, "cbsec", 1);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	a.cb_flavors = c->flavors;
	a.nr_cb_flavors = c->nr;

	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), c->status);
	KUNIT_EXPECT_EQ(test, dfs_test_nr_sessions(srv, eid.clientid),
			c->status == NFS4_OK ? 1 : 0);
}

static atomic_t dfs_test_unbinds;
static void *dfs_test_last_unbound;

static void dfs_test_unbind(void *conn, const struct dfs_sessionid *sid)
{
	dfs_test_last_unbound = conn;
	atomic_inc(&dfs_test_unbinds);
}

static const struct dfs_conn_ops dfs_test_conn_ops = {
	.unbind = dfs_test_unbind,
};

static void dfs_test_conns(struct dfs_server *srv, u64 clientid,
			   u32 *fore, u32 *back)
{
	struct dfs_session_info info;
	u64 cursor = 0;

	*fore = U32_MAX;
	*back = U32_MAX;
	if (dfs_session_next(srv, clientid, &cursor, &info))
		return;
	*fore = info.nr_fore_conns;
	*back = info.nr_back_conns;
}

/* CONN_BACK_CHAN binds the connection both ways; destroy unbinds it. */
static void dfs_create_session_back_chan_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;
	struct dfs_exchange_id_res eid;
	int conn;
	u32 fore, back;

	atomic_set(&dfs_test_unbinds, 0);
	eid = dfs_test_exchange(test, srv, "back", 1);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	a.flags = SESSION4_BACK_CHAN | SESSION4_PERSIST;
	a.conn = &conn;
	a.conn_ops = &dfs_test_conn_ops;

	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);

	KUNIT_EXPECT_EQ(test, r.flags, SESSION4_BACK_CHAN);
	dfs_test_conns(srv, eid.clientid, &fore, &back);
	KUNIT_EXPECT_EQ(test, fore, 1);
	KUNIT_EXPECT_EQ(test, back, 1);

	KUNIT_ASSERT_EQ(test, dfs_destroy_session(srv, &r.sessionid, NULL),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, atomic_read(&dfs_test_unbinds), 1);
	KUNIT_EXPECT_PTR_EQ(test, dfs_test_last_unbound, (void *)&conn);

	/* Without a connection there is no back channel to report. */
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + 1);
	a.flags = SESSION4_BACK_CHAN;
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);
	KUNIT_EXPECT_EQ(test, r.flags, 0);
}

/* Session ids: 16 bytes, all different, not a plain counter. */
static void dfs_sessionid_unique_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	const int n = 64;
	struct dfs_sessionid *ids;
	char owner[16];
	int i, j, same_prefix = 0;

	ids = kunit_kcalloc(test, n, sizeof(*ids), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ids);
	for (i = 0; i < n; i++) {
		snprintf(owner, sizeof(owner), "sid%d", i);
		ids[i] = dfs_test_session(test, srv, owner, 1, NULL).sessionid;
		for (j = 0; j < i; j++) {
			KUNIT_EXPECT_NE(test, memcmp(&ids[i], &ids[j],
						     sizeof(ids[i])), 0);
			if (!memcmp(ids[i].data, ids[j].data, 8))
				same_prefix++;
		}
	}
	/* The random half differs (a 2^-64 chance per pair otherwise). */
	KUNIT_EXPECT_EQ(test, same_prefix, 0);
}

/* The unconfirmed client's principal must send its CREATE_SESSION. */
static void dfs_create_session_principal_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;
	struct dfs_exchange_id_res eid;

	eid = dfs_test_exchange(test, srv, "princ", 1);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	a.principal.uid = 42;

	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r),
			NFS4ERR_CLID_INUSE);
	/* Nothing changed: the right principal still gets the first seq. */
	a.principal.uid = 0;
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);
}

static unsigned int cs_prepare_calls;

/* Stands in for the allocating part of CREATE_SESSION, counting calls. */
static enum nfsstat4
dfs_test_cs_prepare(struct dfs_server *srv, struct dfs_budget_acct *acct,
		    const struct dfs_create_session_args *a,
		    struct dfs_create_session_res *res, struct dfs_session **out)
{
	cs_prepare_calls++;
	*out = NULL;
	return NFS4ERR_DELAY;
}

/* Only a new request of a live client allocates; the rest are answered first. */
static void dfs_create_session_no_alloc_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res first, r;
	struct dfs_create_session_args a;
	struct dfs_exchange_id_res eid, other;

	eid = dfs_test_exchange(test, srv, "noalloc", 1);
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &first), NFS4_OK);
	other = dfs_test_exchange(test, srv, "noalloc-2", 1);

	cs_prepare_calls = 0;
	kunit_activate_static_stub(test, dfs_create_session_prepare,
				   dfs_test_cs_prepare);
	/* A replay gets the cached result. */
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);
	KUNIT_EXPECT_MEMEQ(test, &r.sessionid, &first.sessionid,
			   sizeof(r.sessionid));
	/* Misordered, stale, foreign principal. */
	a.sequence = eid.sequenceid + 5;
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r),
			NFS4ERR_SEQ_MISORDERED);
	dfs_test_cs_args(&a, other.clientid + 1000, 1);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r),
			NFS4ERR_STALE_CLIENTID);
	dfs_test_cs_args(&a, other.clientid, other.sequenceid);
	a.principal.uid = 42;
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r),
			NFS4ERR_CLID_INUSE);
	KUNIT_EXPECT_EQ(test, cs_prepare_calls, 0);

	/* A new one allocates, once; its NFS4ERR_DELAY is not cached. */
	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid + 1);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4ERR_DELAY);
	KUNIT_EXPECT_EQ(test, cs_prepare_calls, 1);
	kunit_deactivate_static_stub(test, dfs_create_session_prepare);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);
	KUNIT_EXPECT_MEMNEQ(test, &r.sessionid, &first.sessionid,
			    sizeof(r.sessionid));
}

/* DESTROY_SESSION waits for requests in flight, except its own. */
static void dfs_destroy_session_delay_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_metrics_snapshot *snap;
	struct dfs_seq_res sr, sr2;
	struct dfs_seq_args sa;
	u64 id;

	cs = dfs_test_session(test, srv, "dsd", 4, &id);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, false);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	dfs_test_seq_args(&sa, &cs.sessionid, 1, 1, false);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr2), NFS4_OK);

	/* Another request executes: DELAY, from outside and from inside. */
	KUNIT_EXPECT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, NULL),
			NFS4ERR_DELAY);
	KUNIT_EXPECT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, sr.sess),
			NFS4ERR_DELAY);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr2, NULL, 0), NFS4_OK);

	/* Only the destroying COMPOUND's own slot is held: it goes. */
	KUNIT_EXPECT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, sr.sess),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);

	dfs_test_seq_args(&sa, &cs.sessionid, 0, 2, false);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4ERR_BADSESSION);
	KUNIT_EXPECT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, NULL),
			NFS4ERR_BADSESSION);
	KUNIT_EXPECT_EQ(test, dfs_test_nr_sessions(srv, id), 0);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_CLIENT], 1);
	KUNIT_EXPECT_EQ(test, snap->sessions_active, 0);
}

/* Force-destroy with requests in flight: they finish, then it is freed. */
static void dfs_force_destroy_inflight_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_metrics_snapshot *snap;
	struct dfs_seq_res sr[4], late;
	struct dfs_seq_args sa;
	u8 reply[64] = { 1 };
	u64 before;
	u32 i;

	before = atomic64_read(&srv->budget.used);
	cs = dfs_test_session(test, srv, "force", 4, NULL);
	for (i = 0; i < 4; i++) {
		dfs_test_seq_args(&sa, &cs.sessionid, i, 1, true);
		KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr[i]), NFS4_OK);
	}

	KUNIT_EXPECT_EQ(test, dfs_session_force_destroy(srv, &cs.sessionid), 0);
	KUNIT_EXPECT_EQ(test, dfs_session_force_destroy(srv, &cs.sessionid),
			-ENOENT);

	/* The next SEQUENCE sees BADSESSION while the others still run. */
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 2, false);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &late), NFS4ERR_BADSESSION);
	KUNIT_EXPECT_NULL(test, late.sess);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr[i], reply,
							sizeof(reply)), NFS4_OK);

	/* The last reference freed slots and cached replies. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used), before);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_ADMIN], 1);
}

/**
 * struct bind_case - BIND_CONN_TO_SESSION directions
 * @desc: what the case shows
 * @dir: bctsa_dir
 * @status: expected status
 * @granted: expected bctsr_dir
 */
struct bind_case {
	const char *desc;
	u32 dir;
	enum nfsstat4 status;
	u32 granted;
};

static const struct bind_case bind_cases[] = {
	{ "fore", NFS4_CDFC4_FORE, NFS4_OK, NFS4_CDFS4_FORE },
	{ "back", NFS4_CDFC4_BACK, NFS4_OK, NFS4_CDFS4_BACK },
	{ "fore or both: both", NFS4_CDFC4_FORE_OR_BOTH, NFS4_OK,
	  NFS4_CDFS4_BOTH },
	{ "back or both: both", NFS4_CDFC4_BACK_OR_BOTH, NFS4_OK,
	  NFS4_CDFS4_BOTH },
	{ "unknown direction", 0x10, NFS4ERR_INVAL, 0 },
};

static void bind_case_desc(const struct bind_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bind, bind_cases, bind_case_desc);

static void dfs_bind_conn_test(struct kunit *test)
{
	const struct bind_case *c = test->param_value;
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_sessionid bogus = {};
	u32 granted = 0, fore, back;
	enum nfsstat4 st;
	int conn;
	u64 id;

	cs = dfs_test_session(test, srv, "bind", 2, &id);

	st = dfs_bind_conn_to_session(srv, &cs.sessionid, &conn,
				      &dfs_test_conn_ops, c->dir, &granted);
	KUNIT_ASSERT_EQ(test, st, c->status);
	KUNIT_EXPECT_EQ(test, granted, c->granted);
	dfs_test_conns(srv, id, &fore, &back);
	KUNIT_EXPECT_EQ(test, fore, !!(c->granted & NFS4_CDFS4_FORE));
	KUNIT_EXPECT_EQ(test, back, !!(c->granted & NFS4_CDFS4_BACK));
	st = dfs_bind_conn_to_session(srv, &bogus, &conn, &dfs_test_conn_ops,
				      NFS4_CDFC4_FORE, &granted);
	KUNIT_EXPECT_EQ(test, st, NFS4ERR_BADSESSION);

	/* Closing the connection drops its bindings without a callback. */
	atomic_set(&dfs_test_unbinds, 0);
	dfs_conn_close(srv, &conn);
	dfs_test_conns(srv, id, &fore, &back);
	KUNIT_EXPECT_EQ(test, fore + back, 0);
	KUNIT_ASSERT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, NULL),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, atomic_read(&dfs_test_unbinds), 0);
}

/*
 * SEQUENCE adds the fore channel to a bound connection; a rebinding that
 * asks for what the connection has is granted it, one that changes its
 * directions is NFS4ERR_INVAL.
 */
static void dfs_bind_conn_sequence_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u32 granted, fore, back;
	enum nfsstat4 st;
	int conn;
	u64 id;

	cs = dfs_test_session(test, srv, "bindseq", 2, &id);
	st = dfs_bind_conn_to_session(srv, &cs.sessionid, &conn,
				      &dfs_test_conn_ops, NFS4_CDFC4_BACK, &granted);
	KUNIT_ASSERT_EQ(test, st, NFS4_OK);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, false);
	sa.conn = &conn;
	sa.conn_ops = &dfs_test_conn_ops;
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);
	dfs_test_conns(srv, id, &fore, &back);
	KUNIT_EXPECT_EQ(test, fore, 1);
	KUNIT_EXPECT_EQ(test, back, 1);

	st = dfs_bind_conn_to_session(srv, &cs.sessionid, &conn,
				      &dfs_test_conn_ops, NFS4_CDFC4_FORE, &granted);
	KUNIT_EXPECT_EQ(test, st, NFS4ERR_INVAL);
	st = dfs_bind_conn_to_session(srv, &cs.sessionid, &conn,
				      &dfs_test_conn_ops, NFS4_CDFC4_BACK, &granted);
	KUNIT_EXPECT_EQ(test, st, NFS4ERR_INVAL);
	granted = 0;
	st = dfs_bind_conn_to_session(srv, &cs.sessionid, &conn,
				      &dfs_test_conn_ops, NFS4_CDFC4_FORE_OR_BOTH,
				      &granted);
	KUNIT_EXPECT_EQ(test, st, NFS4_OK);
	KUNIT_EXPECT_EQ(test, granted, NFS4_CDFS4_BOTH);
	dfs_test_conns(srv, id, &fore, &back);
	KUNIT_EXPECT_EQ(test, fore + back, 2);

	/* Back channel wanted and then lost: SEQUENCE says so. */
	dfs_conn_close(srv, &conn);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 2, false);
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_EXPECT_TRUE(test, sr.status_flags &
			  SEQ4_STATUS_CB_PATH_DOWN_SESSION);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);
}

/* A binding is charged to its client's account and given back with it. */
static void dfs_bind_conn_charge_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	size_t cost = kmalloc_size_roundup(sizeof(struct dfs_conn_binding));
	struct dfs_create_session_res cs;
	u32 granted;
	int conn[2];
	s64 base, empty;
	u64 id;

	empty = atomic64_read(&srv->budget.used);
	cs = dfs_test_session(test, srv, "bindcharge", 2, &id);
	base = atomic64_read(&srv->budget.used);
	KUNIT_ASSERT_EQ(test, dfs_bind_conn_to_session(srv, &cs.sessionid,
						       &conn[0],
						       &dfs_test_conn_ops,
						       NFS4_CDFC4_FORE, &granted),
			NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_bind_conn_to_session(srv, &cs.sessionid,
						       &conn[1],
						       &dfs_test_conn_ops,
						       NFS4_CDFC4_BACK, &granted),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used),
			base + 2 * (s64)cost);
	dfs_conn_close(srv, &conn[0]);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used),
			base + (s64)cost);
	/* The session's end unbinds the rest: everything is given back. */
	KUNIT_ASSERT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, NULL),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used), empty);
	dfs_conn_close(srv, &conn[1]);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->budget.used), empty);
}

/*
 * A connection that SEQUENCE bound to the fore channel gets the back
 * channel too from FORE_OR_BOTH (a client's reconnect); a session binds
 * at most DFS_MAX_SESSION_CONNS connections.
 */
static void dfs_bind_conn_rebind_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	int *conns, conn;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u32 granted, fore, back, i;
	u64 id;

	conns = kunit_kcalloc(test, DFS_MAX_SESSION_CONNS, sizeof(*conns),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, conns);
	cs = dfs_test_session(test, srv, "rebind", 2, &id);
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, false);
	sa.conn = &conn;
	sa.conn_ops = &dfs_test_conn_ops;
	KUNIT_ASSERT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_sequence_done(&sr, NULL, 0), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_bind_conn_to_session(srv, &cs.sessionid,
						       &conn,
						       &dfs_test_conn_ops,
						       NFS4_CDFC4_FORE_OR_BOTH,
						       &granted), NFS4_OK);
	KUNIT_EXPECT_EQ(test, granted, NFS4_CDFS4_BOTH);
	dfs_test_conns(srv, id, &fore, &back);
	KUNIT_EXPECT_EQ(test, fore, 1);
	KUNIT_EXPECT_EQ(test, back, 1);

	/* One is bound already; fill the session up, then one more. */
	for (i = 1; i < DFS_MAX_SESSION_CONNS; i++)
		KUNIT_EXPECT_EQ(test,
				dfs_bind_conn_to_session(srv, &cs.sessionid,
							 &conns[i],
							 &dfs_test_conn_ops,
							 NFS4_CDFC4_FORE,
							 &granted), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_bind_conn_to_session(srv, &cs.sessionid,
						       &conns[0],
						       &dfs_test_conn_ops,
						       NFS4_CDFC4_FORE,
						       &granted),
			NFS4ERR_DELAY);
	dfs_conn_close(srv, &conn);
	for (i = 1; i < DFS_MAX_SESSION_CONNS; i++)
		dfs_conn_close(srv, &conns[i]);
}

static struct kunit_case dfs_session_cases[] = {
	KUNIT_CASE_PARAM(dfs_create_session_replay_test, cs_replay_gen_params),
	KUNIT_CASE(dfs_create_session_negotiate_test),
	KUNIT_CASE(dfs_create_session_cap_test),
	KUNIT_CASE_PARAM(dfs_create_session_cb_sec_test, cb_sec_gen_params),
	KUNIT_CASE(dfs_create_session_back_chan_test),
	KUNIT_CASE(dfs_sessionid_unique_test),
	KUNIT_CASE(dfs_create_session_principal_test),
	KUNIT_CASE(dfs_create_session_no_alloc_test),
	KUNIT_CASE(dfs_destroy_session_delay_test),
	KUNIT_CASE(dfs_force_destroy_inflight_test),
	KUNIT_CASE_PARAM(dfs_bind_conn_test, bind_gen_params),
	KUNIT_CASE(dfs_bind_conn_sequence_test),
	KUNIT_CASE(dfs_bind_conn_charge_test),
	KUNIT_CASE(dfs_bind_conn_rebind_test),
	{}
};

static struct kunit_suite dfs_session_suite = {
	.name = "dittofs_session",
	.test_cases = dfs_session_cases,
};

kunit_test_suites(&dfs_session_suite);
