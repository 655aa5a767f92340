/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the DittoFS state-layer suites: a private server per
 * test (destroyed at the end, which warns on any leaked budget), a fake
 * clock, and one-call EXCHANGE_ID / CREATE_SESSION / SEQUENCE.
 */
#ifndef _DFS_KUNIT_TEST_H
#define _DFS_KUNIT_TEST_H

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "client.h"
#include "limits.h"
#include "metrics.h"
#include "session.h"
#include "slot.h"
#include "state.h"

/* The fake clock: each suite file has its own copy of this variable. */
static atomic64_t dfs_test_time = ATOMIC64_INIT(1000);

static inline time64_t dfs_test_clock(void)
{
	return atomic64_read(&dfs_test_time);
}

static inline void dfs_test_advance(time64_t secs)
{
	atomic64_add(secs, &dfs_test_time);
}

KUNIT_DEFINE_ACTION_WRAPPER(dfs_test_server_destroy, dfs_server_destroy,
			    struct dfs_server *);

/* A private server, on the fake clock, destroyed when the test ends. */
static inline struct dfs_server *dfs_test_server(struct kunit *test)
{
	struct dfs_server *srv;
	int err;

	kunit_activate_static_stub(test, dfs_clock_now, dfs_test_clock);
	srv = dfs_server_create();
	KUNIT_ASSERT_NOT_NULL(test, srv);
	err = kunit_add_action_or_reset(test, dfs_test_server_destroy, srv);
	KUNIT_ASSERT_EQ(test, err, 0);
	return srv;
}

/* A limit set for this test and restored when it ends. */
struct dfs_test_limit {
	enum dfs_limit_id id;
	u32 old;
};

static inline void dfs_test_limit_restore(void *p)
{
	struct dfs_test_limit *l = p;

	dfs_limit_set(l->id, l->old);
}

static inline void dfs_test_set_limit(struct kunit *test,
				      enum dfs_limit_id id, u32 val)
{
	struct dfs_test_limit *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	l->id = id;
	l->old = dfs_limit_value(id);
	KUNIT_ASSERT_EQ(test, dfs_limit_set(id, val), 0);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, dfs_test_limit_restore, l),
			0);
}

/* A snapshot of the metrics, on the heap (it is large for a stack). */
static inline struct dfs_metrics_snapshot *
dfs_test_metrics(struct kunit *test, struct dfs_server *srv)
{
	struct dfs_metrics_snapshot *snap;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	dfs_metrics_read(srv, snap);
	return snap;
}

static inline void dfs_test_eid_args(struct dfs_exchange_id_args *a,
				     const char *owner, u8 verf, u32 uid)
{
	memset(a, 0, sizeof(*a));
	a->owner = (const u8 *)owner;
	a->owner_len = strlen(owner);
	memset(a->verifier.data, verf, sizeof(a->verifier.data));
	a->spa_how = SP4_NONE;
	a->principal.flavor = DFS_AUTH_SYS;
	a->principal.uid = uid;
}

/* EXCHANGE_ID for @owner; asserts success and returns the result. */
static inline struct dfs_exchange_id_res
dfs_test_exchange(struct kunit *test, struct dfs_server *srv,
		  const char *owner, u8 verf)
{
	struct dfs_exchange_id_args a;
	struct dfs_exchange_id_res r;

	dfs_test_eid_args(&a, owner, verf, 0);
	KUNIT_ASSERT_EQ(test, dfs_exchange_id(srv, &a, &r), NFS4_OK);
	return r;
}

static inline void dfs_test_cs_args(struct dfs_create_session_args *a,
				    u64 clientid, u32 seq)
{
	static const u32 sys_flavor[] = { DFS_AUTH_SYS };

	memset(a, 0, sizeof(*a));
	a->clientid = clientid;
	a->sequence = seq;
	a->fore = (struct dfs_channel_attrs){ 0, SZ_1M, SZ_1M, SZ_4K, 16, 8, 0 };
	a->back = (struct dfs_channel_attrs){ 0, 4096, 4096, 0, 2, 2, 0 };
	a->cb_flavors = sys_flavor;
	a->nr_cb_flavors = 1;
	a->principal.flavor = DFS_AUTH_SYS;
}

/* A confirmed client with one session of @slots fore slots. */
static inline struct dfs_create_session_res
dfs_test_session(struct kunit *test, struct dfs_server *srv,
		 const char *owner, u32 slots, u64 *clientid)
{
	struct dfs_exchange_id_res eid = dfs_test_exchange(test, srv, owner, 1);
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;

	dfs_test_cs_args(&a, eid.clientid, eid.sequenceid);
	a.fore.maxrequests = slots;
	KUNIT_ASSERT_EQ(test, dfs_create_session(srv, &a, &r), NFS4_OK);
	if (clientid)
		*clientid = eid.clientid;
	return r;
}

static inline void dfs_test_seq_args(struct dfs_seq_args *a,
				     const struct dfs_sessionid *sid,
				     u32 slot, u32 seqid, bool cache)
{
	memset(a, 0, sizeof(*a));
	a->sessionid = *sid;
	a->slot.slotid = slot;
	a->slot.seqid = seqid;
	a->slot.highest_slotid = slot;
	a->slot.cachethis = cache;
	a->slot.digest = 0x1234 + seqid;
	a->slot.req_size = 200;
	a->slot.nops = 2;
}

#endif /* _DFS_KUNIT_TEST_H */
