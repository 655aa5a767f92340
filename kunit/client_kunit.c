// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: client records (EXCHANGE_ID cases, confirmation, client ids,
 * DESTROY_CLIENTID).
 */
#include <linux/rhashtable.h>

#include "dfs_test.h"

static u32 dfs_test_count_clients(struct dfs_server *srv)
{
	struct dfs_client_info *info;
	unsigned long cursor = 0;
	u32 n = 0;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return U32_MAX;
	while (!dfs_client_next(srv, &cursor, info))
		n++;
	kfree(info);
	return n;
}

static bool dfs_test_client_alive(struct dfs_server *srv, u64 id)
{
	struct dfs_client *clp = dfs_client_lookup(srv, id);

	dfs_client_put(clp);
	return clp;
}

/* An open of a stand-in inode, held by client @id until it goes. */
static void dfs_test_hold_open(struct kunit *test, struct dfs_server *srv,
			       u64 id)
{
	struct inode *inode = kunit_kzalloc(test, sizeof(*inode), GFP_KERNEL);
	struct dfs_client *clp = dfs_client_lookup(srv, id);
	struct dfs_open_args oa = {
		.clientid = id,
		.owner = (const u8 *)"open-owner",
		.owner_len = 10,
		.access = NFS4_SHARE_ACCESS_READ,
	};
	struct dfs_stateid sid;
	struct dfs_stid *stid;

	KUNIT_ASSERT_NOT_NULL(test, inode);
	KUNIT_ASSERT_NOT_NULL(test, clp);
	oa.inode = inode;
	KUNIT_EXPECT_EQ(test, dfs_open_state(&clp->stateids, &oa, &sid, &stid),
			NFS4_OK);
	dfs_stid_put(stid);
	dfs_client_put(clp);
}

/**
 * enum eid_prior - what exists before the EXCHANGE_ID under test
 * @PRIOR_NONE: nothing for the owner
 * @PRIOR_UNCONF: an unconfirmed record (verifier 1, uid 0)
 * @PRIOR_CONF: a confirmed record (verifier 1, uid 0) with a session
 * @PRIOR_CONF_IDLE: a confirmed record whose only session was destroyed
 * @PRIOR_CONF_OPEN: as @PRIOR_CONF_IDLE, but holding an open
 */
enum eid_prior { PRIOR_NONE, PRIOR_UNCONF, PRIOR_CONF, PRIOR_CONF_IDLE,
		 PRIOR_CONF_OPEN };

/**
 * struct eid_case - one EXCHANGE_ID case of RFC 8881 section 18.35.5
 * @desc: what the case shows
 * @prior: the state before
 * @verf: co_verifier byte of the request
 * @uid: principal uid of the request
 * @flags: eia_flags
 * @spa_how: state protection
 * @status: expected status
 * @same_id: the prior record's id is returned
 * @confirmed: EXCHGID4_FLAG_CONFIRMED_R is returned
 * @prior_alive: the prior record still exists afterwards
 * @clients: number of client records afterwards
 */
struct eid_case {
	const char *desc;
	enum eid_prior prior;
	u8 verf;
	u32 uid;
	u32 flags;
	u32 spa_how;
	enum nfsstat4 status;
	bool same_id;
	bool confirmed;
	bool prior_alive;
	u32 clients;
};

#define UPD EXCHGID4_FLAG_UPD_CONFIRMED_REC_A

static const struct eid_case eid_cases[] = {
	{ "case 1: new owner gets a new unconfirmed record",
	  PRIOR_NONE, 1, 0, 0, SP4_NONE, NFS4_OK, false, false, false, 1 },
	{ "case 2: same verifier and principal returns the confirmed record",
	  PRIOR_CONF, 1, 0, 0, SP4_NONE, NFS4_OK, true, true, true, 1 },
	{ "case 3: other principal while the client has sessions",
	  PRIOR_CONF, 1, 5, 0, SP4_NONE, NFS4ERR_CLID_INUSE, false, false,
	  true, 1 },
	{ "case 3: other principal while the client holds an open",
	  PRIOR_CONF_OPEN, 1, 5, 0, SP4_NONE, NFS4ERR_CLID_INUSE, false,
	  false, true, 1 },
	{ "case 3: other principal, no state: the old record is removed",
	  PRIOR_CONF_IDLE, 1, 5, 0, SP4_NONE, NFS4_OK, false, false, false,
	  1 },
	{ "case 4: an unconfirmed record is replaced",
	  PRIOR_UNCONF, 1, 0, 0, SP4_NONE, NFS4_OK, false, false, false, 1 },
	{ "case 4: replaced even with another verifier",
	  PRIOR_UNCONF, 2, 0, 0, SP4_NONE, NFS4_OK, false, false, false, 1 },
	{ "case 5: client restart with a new verifier",
	  PRIOR_CONF, 2, 0, 0, SP4_NONE, NFS4_OK, false, false, true, 2 },
	{ "case 6: update of the confirmed record",
	  PRIOR_CONF, 1, 0, UPD, SP4_NONE, NFS4_OK, true, true, true, 1 },
	{ "case 7: update with no record",
	  PRIOR_NONE, 1, 0, UPD, SP4_NONE, NFS4ERR_NOENT, false, false,
	  false, 0 },
	{ "case 7: update with only an unconfirmed record",
	  PRIOR_UNCONF, 1, 0, UPD, SP4_NONE, NFS4ERR_NOENT, false, false,
	  true, 1 },
	{ "case 8: update with another verifier",
	  PRIOR_CONF, 2, 0, UPD, SP4_NONE, NFS4ERR_NOT_SAME, false, false,
	  true, 1 },
	{ "case 9: update by another principal",
	  PRIOR_CONF, 1, 5, UPD, SP4_NONE, NFS4ERR_PERM, false, false,
	  true, 1 },
	{ "SP4_MACH_CRED is refused cleanly",
	  PRIOR_NONE, 1, 0, 0, SP4_MACH_CRED, NFS4ERR_ENCR_ALG_UNSUPP, false,
	  false, false, 0 },
	{ "SP4_SSV is refused cleanly",
	  PRIOR_CONF, 2, 0, 0, SP4_SSV, NFS4ERR_ENCR_ALG_UNSUPP, false, false,
	  true, 1 },
	{ "unknown state protection is NFS4ERR_INVAL",
	  PRIOR_NONE, 1, 0, 0, 7, NFS4ERR_INVAL, false, false, false, 0 },
	{ "CONFIRMED_R in the arguments is NFS4ERR_INVAL",
	  PRIOR_UNCONF, 1, 0, EXCHGID4_FLAG_CONFIRMED_R, SP4_NONE,
	  NFS4ERR_INVAL, false, false, true, 1 },
};

static void eid_case_desc(const struct eid_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(eid, eid_cases, eid_case_desc);

static void dfs_exchange_id_case_test(struct kunit *test)
{
	const struct eid_case *c = test->param_value;
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_exchange_id_args a;
	struct dfs_exchange_id_res r;
	enum nfsstat4 status;
	u64 prior = 0;

	/* Arrange */
	if (c->prior == PRIOR_UNCONF)
		prior = dfs_test_exchange(test, srv, "owner-a", 1).clientid;
	if (c->prior >= PRIOR_CONF)
		cs = dfs_test_session(test, srv, "owner-a", 4, &prior);
	if (c->prior >= PRIOR_CONF_IDLE)
		KUNIT_ASSERT_EQ(test, dfs_destroy_session(srv, &cs.sessionid,
							  NULL), NFS4_OK);
	if (c->prior == PRIOR_CONF_OPEN)
		dfs_test_hold_open(test, srv, prior);
	dfs_test_eid_args(&a, "owner-a", c->verf, c->uid);
	a.flags = c->flags;
	a.spa_how = c->spa_how;

	/* Act */
	status = dfs_exchange_id(srv, &a, &r);

	/* Assert */
	KUNIT_ASSERT_EQ(test, status, c->status);
	if (status == NFS4_OK) {
		KUNIT_EXPECT_EQ(test, r.clientid == prior, c->same_id);
		KUNIT_EXPECT_EQ(test, !!(r.flags & EXCHGID4_FLAG_CONFIRMED_R),
				c->confirmed);
		KUNIT_EXPECT_TRUE(test, r.flags & EXCHGID4_FLAG_USE_NON_PNFS);
		KUNIT_EXPECT_EQ(test, r.spr_how, SP4_NONE);
		KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, r.clientid));
	}
	if (prior)
		KUNIT_EXPECT_EQ(test, dfs_test_client_alive(srv, prior),
				c->prior_alive);
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), c->clients);
}

/* The result carries what the wire layer encodes. */
static void dfs_exchange_id_result_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_exchange_id_res r;

	r = dfs_test_exchange(test, srv, "owner-r", 3);

	KUNIT_EXPECT_EQ(test, (u32)(r.clientid >> 32), dfs_client_boot_verifier());
	KUNIT_EXPECT_NE(test, r.sequenceid, 0);
	KUNIT_EXPECT_FALSE(test, r.flags & EXCHGID4_FLAG_CONFIRMED_R);
	KUNIT_EXPECT_NOT_NULL(test, r.so_major_id);
	KUNIT_EXPECT_NOT_NULL(test, r.server_scope);
	KUNIT_EXPECT_STREQ(test, r.impl_name, DFS_IMPL_NAME);
}

/* Bad owners are refused before anything is made. */
static void dfs_exchange_id_bad_owner_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_exchange_id_args a;
	struct dfs_exchange_id_res r;

	dfs_test_eid_args(&a, "x", 1, 0);
	a.owner_len = 0;
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4ERR_INVAL);
	a.owner_len = NFS4_OPAQUE_LIMIT + 1;
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4ERR_INVAL);
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), 0);
}

/* Unconfirmed until the first CREATE_SESSION, which starts the lease. */
static void dfs_client_confirm_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_client_info *info = kunit_kzalloc(test, sizeof(*info),
						     GFP_KERNEL);
	struct dfs_create_session_args a;
	struct dfs_create_session_res cs;
	struct dfs_exchange_id_res r;
	unsigned long cursor = 0;

	KUNIT_ASSERT_NOT_NULL(test, info);
	r = dfs_test_exchange(test, srv, "owner-c", 1);
	KUNIT_ASSERT_EQ(test, dfs_client_next(srv, &cursor, info), 0);
	KUNIT_EXPECT_FALSE(test, info->confirmed);
	KUNIT_EXPECT_EQ(test, info->lease_left, 180);

	dfs_test_advance(10);
	dfs_test_cs_args(&a, r.clientid, r.sequenceid);
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &cs), NFS4_OK);

	cursor = 0;
	KUNIT_ASSERT_EQ(test, dfs_client_next(srv, &cursor, info), 0);
	KUNIT_EXPECT_TRUE(test, info->confirmed);
	KUNIT_EXPECT_EQ(test, info->lease_left, 90);
	KUNIT_EXPECT_EQ(test, info->nr_sessions, 1);
	r = dfs_test_exchange(test, srv, "owner-c", 1);
	KUNIT_EXPECT_TRUE(test, r.flags & EXCHGID4_FLAG_CONFIRMED_R);
}

/* Case 5 then CREATE_SESSION: the old incarnation and its sessions go. */
static void dfs_client_replaced_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_args a;
	struct dfs_create_session_res old, cs;
	struct dfs_metrics_snapshot *snap;
	struct dfs_exchange_id_res r;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u64 old_id;

	old = dfs_test_session(test, srv, "owner-r", 4, &old_id);
	r = dfs_test_exchange(test, srv, "owner-r", 9);
	KUNIT_ASSERT_NE(test, r.clientid, old_id);
	KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, old_id));

	dfs_test_cs_args(&a, r.clientid, r.sequenceid);
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &cs), NFS4_OK);

	KUNIT_EXPECT_FALSE(test, dfs_test_client_alive(srv, old_id));
	dfs_test_seq_args(&sa, &old.sessionid, 0, 1, false);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4ERR_BADSESSION);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test,
			snap->sum.sessions_destroyed[DFS_DESTROY_CLIENT_REPLACED], 1);
	KUNIT_EXPECT_EQ(test,
			snap->sum.clients_destroyed[DFS_DESTROY_CLIENT_REPLACED], 1);
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), 1);
}

/* Ids are unique, carry the boot verifier, and foreign ones are stale. */
static void dfs_clientid_unique_stale_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	const int n = 64;
	struct dfs_create_session_args a;
	struct dfs_create_session_res cs;
	char owner[16];
	u64 *ids;
	int i, j;

	ids = kunit_kcalloc(test, n, sizeof(*ids), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ids);
	for (i = 0; i < n; i++) {
		snprintf(owner, sizeof(owner), "o%d", i);
		ids[i] = dfs_test_exchange(test, srv, owner, 1).clientid;
		KUNIT_EXPECT_EQ(test, (u32)(ids[i] >> 32),
				dfs_client_boot_verifier());
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, ids[i], ids[j]);
	}

	/* Another load's boot verifier, same counter: stale. */
	dfs_test_cs_args(&a, ids[0] ^ (1ULL << 40), 1);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &cs),
			NFS4ERR_STALE_CLIENTID);
	/* Our verifier, a counter never handed out here: stale. */
	dfs_test_cs_args(&a, ids[n - 1] + 1000, 1);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &cs),
			NFS4ERR_STALE_CLIENTID);
	KUNIT_EXPECT_EQ(test, dfs_destroy_clientid(srv, ids[0] ^ (1ULL << 40)),
			NFS4ERR_STALE_CLIENTID);
	/* A destroyed client's id is stale too, never reused. */
	KUNIT_ASSERT_EQ(test, dfs_destroy_clientid(srv, ids[1]), NFS4_OK);
	dfs_test_cs_args(&a, ids[1], 1);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &a, &cs),
			NFS4ERR_STALE_CLIENTID);
	KUNIT_EXPECT_NE(test, dfs_test_exchange(test, srv, "o1", 1).clientid,
			ids[1]);
}

/* Ids wrap around 2^32 without running out and skip those in use. */
static void dfs_clientid_wrap_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	u64 a, b, c;

	a = dfs_test_exchange(test, srv, "w0", 1).clientid;
	KUNIT_EXPECT_EQ(test, (u32)a, 1);
	srv->clientid_next = U32_MAX;
	b = dfs_test_exchange(test, srv, "w1", 1).clientid;
	c = dfs_test_exchange(test, srv, "w2", 1).clientid;
	KUNIT_EXPECT_EQ(test, (u32)b, U32_MAX);
	KUNIT_EXPECT_EQ(test, (u32)c, 2);
	KUNIT_EXPECT_NE(test, dfs_client_boot_verifier(), 0);
	KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, a));
	KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, b));
	KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, c));
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), 3);
}

/*
 * At max_clients a new client takes the place of the oldest unconfirmed
 * record; once every record is confirmed new clients get NFS4ERR_DELAY,
 * changing nothing, while the existing ones keep working.
 */
static void dfs_client_limit_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	const int n = 16;
	struct dfs_create_session_args csa;
	struct dfs_create_session_res cs;
	struct dfs_metrics_snapshot *snap;
	struct dfs_exchange_id_args a;
	struct dfs_exchange_id_res r;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	char owner[16];
	u64 *ids, extra;
	int i;

	dfs_test_set_limit(test, DFS_LIMIT_MAX_CLIENTS, n);
	ids = kunit_kcalloc(test, n, sizeof(*ids), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ids);
	for (i = 0; i < n; i++) {
		snprintf(owner, sizeof(owner), "l%d", i);
		ids[i] = dfs_test_exchange(test, srv, owner, 1).clientid;
	}
	extra = dfs_test_exchange(test, srv, "extra", 1).clientid;
	KUNIT_EXPECT_FALSE(test, dfs_test_client_alive(srv, ids[0]));
	KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, ids[1]));
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), n);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test,
			snap->sum.clients_destroyed[DFS_DESTROY_UNCONFIRMED], 1);

	/* Confirm them all: now nothing can make room. */
	ids[0] = extra;
	for (i = 0; i < n; i++) {
		dfs_test_cs_args(&csa, ids[i], 1);
		KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &csa, &cs),
				NFS4_OK);
	}
	dfs_test_eid_args(&a, "late", 1, 0);
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4ERR_DELAY);
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), n);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->clients_refused, 1);

	/* The clients there keep working, EXCHANGE_ID included. */
	dfs_test_seq_args(&sa, &cs.sessionid, 0, 1, false);
	KUNIT_EXPECT_EQ(test, dfs_sequence(srv, &sa, &sr), NFS4_OK);
	dfs_sequence_done(&sr, NULL, 0);
	dfs_test_eid_args(&a, "l1", 1, 0);
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4_OK);
	KUNIT_EXPECT_EQ(test, r.clientid, ids[1]);

	/*
	 * A client that restarts (new verifier) is not refused: its new
	 * record replaces the old one once confirmed.
	 */
	dfs_test_eid_args(&a, "l1", 2, 0);
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4_OK);
	KUNIT_EXPECT_NE(test, r.clientid, ids[1]);
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), n + 1);
	dfs_test_cs_args(&csa, r.clientid, 1);
	KUNIT_EXPECT_EQ(test, dfs_create_session(srv, &csa, &cs), NFS4_OK);
	KUNIT_EXPECT_FALSE(test, dfs_test_client_alive(srv, ids[1]));
	KUNIT_EXPECT_EQ(test, dfs_test_count_clients(srv), n);

	/* A client that leaves makes room. */
	KUNIT_ASSERT_EQ(test, dfs_client_evict(srv, ids[2]), 0);
	dfs_test_eid_args(&a, "late", 1, 0);
	KUNIT_EXPECT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4_OK);
}

/* The owner index grows with the records, so its chains stay short. */
static void dfs_owner_table_grows_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	const int n = 4096;
	struct bucket_table *tbl;
	char owner[16];
	u64 first = 0;
	unsigned int size;
	int i;

	dfs_test_set_limit(test, DFS_LIMIT_MAX_CLIENTS, 2 * n);
	for (i = 0; i < n; i++) {
		snprintf(owner, sizeof(owner), "g%d", i);
		if (!i)
			first = dfs_test_exchange(test, srv, owner, 1).clientid;
		else
			dfs_test_exchange(test, srv, owner, 1);
	}
	flush_work(&srv->owner_table.ht.run_work);
	rcu_read_lock();
	tbl = rcu_dereference(srv->owner_table.ht.tbl);
	size = tbl->size;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->owner_table.ht.nelems), n);
	KUNIT_EXPECT_GE(test, size, n);
	/* Found again by owner: the same verifier is case 4, a new id. */
	KUNIT_EXPECT_NE(test, dfs_test_exchange(test, srv, "g0", 1).clientid,
			first);
	KUNIT_EXPECT_FALSE(test, dfs_test_client_alive(srv, first));
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->owner_table.ht.nelems), n);
}

/* DESTROY_CLIENTID is refused while sessions exist. */
static void dfs_destroy_clientid_busy_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_metrics_snapshot *snap;
	u64 id;

	cs = dfs_test_session(test, srv, "owner-d", 4, &id);

	KUNIT_EXPECT_EQ(test, dfs_destroy_clientid(srv, id),
			NFS4ERR_CLIENTID_BUSY);
	KUNIT_EXPECT_TRUE(test, dfs_test_client_alive(srv, id));

	KUNIT_ASSERT_EQ(test, dfs_destroy_session(srv, &cs.sessionid, NULL),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_destroy_clientid(srv, id), NFS4_OK);
	KUNIT_EXPECT_FALSE(test, dfs_test_client_alive(srv, id));
	KUNIT_EXPECT_EQ(test, dfs_destroy_clientid(srv, id),
			NFS4ERR_STALE_CLIENTID);
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sum.clients_destroyed[DFS_DESTROY_CLIENT], 1);
	KUNIT_EXPECT_EQ(test, snap->clients_active, 0);
}

/* Administrative eviction takes the sessions with it. */
static void dfs_client_evict_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct dfs_create_session_res cs;
	struct dfs_metrics_snapshot *snap;
	u64 id;

	cs = dfs_test_session(test, srv, "owner-e", 4, &id);

	KUNIT_EXPECT_EQ(test, dfs_client_evict(srv, id), 0);
	KUNIT_EXPECT_EQ(test, dfs_client_evict(srv, id), -ENOENT);
	KUNIT_EXPECT_NULL(test, dfs_session_lookup(srv, &cs.sessionid));
	snap = dfs_test_metrics(test, srv);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_destroyed[DFS_DESTROY_ADMIN], 1);
	KUNIT_EXPECT_EQ(test, snap->sessions_active, 0);
}

static struct kunit_case dfs_client_cases[] = {
	KUNIT_CASE_PARAM(dfs_exchange_id_case_test, eid_gen_params),
	KUNIT_CASE(dfs_exchange_id_result_test),
	KUNIT_CASE(dfs_exchange_id_bad_owner_test),
	KUNIT_CASE(dfs_client_confirm_test),
	KUNIT_CASE(dfs_client_replaced_test),
	KUNIT_CASE(dfs_clientid_unique_stale_test),
	KUNIT_CASE(dfs_clientid_wrap_test),
	KUNIT_CASE(dfs_client_limit_test),
	KUNIT_CASE(dfs_owner_table_grows_test),
	KUNIT_CASE(dfs_destroy_clientid_busy_test),
	KUNIT_CASE(dfs_client_evict_test),
	{}
};

static struct kunit_suite dfs_client_suite = {
	.name = "dittofs_client",
	.test_cases = dfs_client_cases,
};

kunit_test_suites(&dfs_client_suite);
