// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: concurrency.  Worker threads hammer SEQUENCE on every slot of
 * their sessions while another thread force-destroys sessions and evicts
 * clients, and another runs the reaper on a fast clock; clients come and
 * go.  At the end every counter must add up, and the server's teardown
 * must find no leaked budget (it warns otherwise).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>

#include "dfs_test.h"

#define STRESS_WORKERS	4
#define STRESS_SLOTS	4
#define STRESS_MSECS	1500

/**
 * struct stress_ctx - shared by the threads of one run
 * @test: the test (each thread runs as part of it, for the fake clock)
 * @srv: the server under test
 * @lock: guards @sids, @clientids and @valid
 * @sids: each worker's current session
 * @clientids: each worker's current client
 * @valid: the worker has a session
 * @created: sessions the workers created
 * @ok: SEQUENCEs that executed
 * @replays: retries answered from the cache
 * @uncached: retries of uncached replies
 * @badsession: SEQUENCEs that found their session gone
 * @unexpected: any other outcome (must stay 0)
 * @forced: successful force-destroys
 * @evicted: successful evictions
 * @unbinds: connection unbind callbacks
 */
struct stress_ctx {
	struct kunit *test;
	struct dfs_server *srv;
	spinlock_t lock;	/* the worker arrays */
	struct dfs_sessionid sids[STRESS_WORKERS];
	u64 clientids[STRESS_WORKERS];
	bool valid[STRESS_WORKERS];
	atomic64_t created;
	atomic64_t ok;
	atomic64_t replays;
	atomic64_t uncached;
	atomic64_t badsession;
	atomic64_t unexpected;
	atomic64_t forced;
	atomic64_t evicted;
	atomic64_t unbinds;
};

/**
 * struct stress_worker - one worker thread
 * @ctx: the run
 * @idx: its index in the run's arrays
 */
struct stress_worker {
	struct stress_ctx *ctx;
	int idx;
};

static struct stress_ctx *stress_ctx_for_unbind;

static void stress_unbind(void *conn, const struct dfs_sessionid *sid)
{
	atomic64_inc(&stress_ctx_for_unbind->unbinds);
}

static const struct dfs_conn_ops stress_conn_ops = {
	.unbind = stress_unbind,
};

static bool stress_new_session(struct stress_worker *w, u32 gen)
{
	struct stress_ctx *ctx = w->ctx;
	struct dfs_create_session_args a;
	struct dfs_create_session_res r;
	struct dfs_exchange_id_args ea;
	struct dfs_exchange_id_res er;
	char owner[24];

	snprintf(owner, sizeof(owner), "stress-%d-%u", w->idx, gen);
	dfs_test_eid_args(&ea, owner, 1, 0);
	if (dfs_exchange_id(ctx->srv, &ea, &er) != NFS4_OK)
		return false;
	dfs_test_cs_args(&a, er.clientid, er.sequenceid);
	a.fore.maxrequests = STRESS_SLOTS;
	a.conn = w;
	a.conn_ops = &stress_conn_ops;
	a.flags = SESSION4_BACK_CHAN;
	/* The evictor may have taken the client already: that is fine. */
	if (dfs_create_session(ctx->srv, &a, &r) != NFS4_OK)
		return false;
	atomic64_inc(&ctx->created);
	spin_lock(&ctx->lock);
	ctx->sids[w->idx] = r.sessionid;
	ctx->clientids[w->idx] = er.clientid;
	ctx->valid[w->idx] = true;
	spin_unlock(&ctx->lock);
	return true;
}

static int stress_worker_fn(void *data)
{
	struct stress_worker *w = data;
	struct stress_ctx *ctx = w->ctx;
	u32 seqids[STRESS_SLOTS] = {};
	struct dfs_sessionid sid;
	struct dfs_seq_args sa;
	struct dfs_seq_res sr;
	u8 reply[48] = "stress";
	bool have = false;
	u64 clientid = 0;
	u32 gen = 0, slot;
	enum nfsstat4 st;

	current->kunit_test = ctx->test;	/* the fake clock applies here */
	while (!kthread_should_stop()) {
		if (!have) {
			if (clientid)	/* may be gone already: any answer */
				dfs_destroy_clientid(ctx->srv, clientid);
			have = stress_new_session(w, gen++);
			if (!have) {
				cond_resched();
				continue;
			}
			spin_lock(&ctx->lock);
			sid = ctx->sids[w->idx];
			clientid = ctx->clientids[w->idx];
			spin_unlock(&ctx->lock);
			memset(seqids, 0, sizeof(seqids));
		}
		for (slot = 0; slot < STRESS_SLOTS && have; slot++) {
			dfs_test_seq_args(&sa, &sid, slot, seqids[slot] + 1,
					  slot & 1);
			sa.conn = w;
			sa.conn_ops = &stress_conn_ops;
			st = dfs_sequence(ctx->srv, &sa, &sr);
			if (st == NFS4ERR_BADSESSION) {
				atomic64_inc(&ctx->badsession);
				have = false;
				break;
			}
			if (st != NFS4_OK || sr.replay) {
				atomic64_inc(&ctx->unexpected);
				dfs_reply_put(sr.replay);
				continue;
			}
			atomic64_inc(&ctx->ok);
			seqids[slot]++;
			if (dfs_sequence_done(&sr, reply, sizeof(reply)))
				atomic64_inc(&ctx->unexpected);

			/* Now and then, retry what just ran. */
			if (get_random_u32_below(4))
				continue;
			st = dfs_sequence(ctx->srv, &sa, &sr);
			if (st == NFS4_OK && sr.replay)
				atomic64_inc(&ctx->replays);
			else if (st == NFS4ERR_RETRY_UNCACHED_REP && !(slot & 1))
				atomic64_inc(&ctx->uncached);
			else if (st == NFS4ERR_BADSESSION)
				atomic64_inc(&ctx->badsession);
			else
				atomic64_inc(&ctx->unexpected);
			if (st == NFS4_OK && !sr.replay)
				dfs_sequence_done(&sr, NULL, 0);
			dfs_reply_put(sr.replay);
			if (st == NFS4ERR_BADSESSION)
				have = false;
		}
		if (!have) {
			spin_lock(&ctx->lock);
			ctx->valid[w->idx] = false;
			spin_unlock(&ctx->lock);
		}
		cond_resched();
	}
	dfs_conn_close(ctx->srv, w);
	current->kunit_test = NULL;
	return 0;
}

static int stress_destroyer_fn(void *data)
{
	struct stress_ctx *ctx = data;
	struct dfs_sessionid sid;
	u64 clientid;
	bool valid;
	int i;

	current->kunit_test = ctx->test;
	while (!kthread_should_stop()) {
		i = get_random_u32_below(STRESS_WORKERS);
		spin_lock(&ctx->lock);
		valid = ctx->valid[i];
		sid = ctx->sids[i];
		clientid = ctx->clientids[i];
		spin_unlock(&ctx->lock);
		if (valid && get_random_u32_below(8)) {
			if (!dfs_session_force_destroy(ctx->srv, &sid))
				atomic64_inc(&ctx->forced);
		} else if (valid) {
			if (!dfs_client_evict(ctx->srv, clientid))
				atomic64_inc(&ctx->evicted);
		}
		usleep_range(500, 1500);
	}
	current->kunit_test = NULL;
	return 0;
}

static int stress_reaper_fn(void *data)
{
	struct stress_ctx *ctx = data;

	current->kunit_test = ctx->test;
	while (!kthread_should_stop()) {
		dfs_test_advance(3);
		dfs_reaper_run(ctx->srv);
		usleep_range(500, 1000);
	}
	current->kunit_test = NULL;
	return 0;
}

static u64 stress_count_sessions(struct dfs_server *srv)
{
	struct dfs_session_info sinfo;
	struct dfs_client_info *info;
	unsigned long cursor = 0;
	u64 n = 0, scur;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return U64_MAX;
	while (!dfs_client_next(srv, &cursor, info)) {
		scur = 0;
		while (!dfs_session_next(srv, info->clientid, &scur, &sinfo))
			n++;
	}
	kfree(info);
	return n;
}

static void dfs_stress_test(struct kunit *test)
{
	struct dfs_server *srv = dfs_test_server(test);
	struct task_struct *threads[STRESS_WORKERS + 2];
	struct stress_worker *workers;
	struct dfs_metrics_snapshot *snap;
	struct stress_ctx *ctx;
	u64 destroyed = 0;
	int i, n = 0;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	workers = kunit_kcalloc(test, STRESS_WORKERS, sizeof(*workers),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, workers);
	ctx->test = test;
	ctx->srv = srv;
	spin_lock_init(&ctx->lock);
	stress_ctx_for_unbind = ctx;

	for (i = 0; i < STRESS_WORKERS; i++) {
		workers[i].ctx = ctx;
		workers[i].idx = i;
		threads[n] = kthread_run(stress_worker_fn, &workers[i],
					 "dfs-stress-%d", i);
		if (!IS_ERR(threads[n]))
			n++;
	}
	threads[n] = kthread_run(stress_destroyer_fn, ctx, "dfs-destroyer");
	if (!IS_ERR(threads[n]))
		n++;
	threads[n] = kthread_run(stress_reaper_fn, ctx, "dfs-reaper");
	if (!IS_ERR(threads[n]))
		n++;
	KUNIT_ASSERT_EQ(test, n, STRESS_WORKERS + 2);

	msleep(STRESS_MSECS);
	for (i = 0; i < n; i++)
		kthread_stop(threads[i]);

	snap = dfs_test_metrics(test, srv);
	for (i = 0; i < DFS_DESTROY_REASON_COUNT; i++)
		destroyed += snap->sum.sessions_destroyed[i];

	KUNIT_EXPECT_EQ(test, atomic64_read(&ctx->unexpected), 0);
	KUNIT_EXPECT_GT(test, atomic64_read(&ctx->ok), 0);
	KUNIT_EXPECT_GT(test, atomic64_read(&ctx->forced), 0);
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_created,
			atomic64_read(&ctx->created));
	KUNIT_EXPECT_EQ(test, snap->sessions_active, stress_count_sessions(srv));
	KUNIT_EXPECT_EQ(test, snap->sum.sessions_created,
			destroyed + snap->sessions_active);
	KUNIT_EXPECT_GE(test, snap->sum.sessions_destroyed[DFS_DESTROY_ADMIN],
			atomic64_read(&ctx->forced));
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_OK],
			atomic64_read(&ctx->ok));
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_REPLAY],
			atomic64_read(&ctx->replays));
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_UNCACHED],
			atomic64_read(&ctx->uncached));
	KUNIT_EXPECT_EQ(test, snap->sum.seq[DFS_SEQ_BADSESSION],
			atomic64_read(&ctx->badsession));
	/*
	 * A destroyed session unbinds its worker's connection, unless it
	 * died before CREATE_SESSION got to bind it.
	 */
	KUNIT_EXPECT_GT(test, atomic64_read(&ctx->unbinds), 0);
	KUNIT_EXPECT_LE(test, atomic64_read(&ctx->unbinds), destroyed);
	kunit_info(test, "created %lld ok %lld replays %lld forced %lld evicted %lld expired %llu\n",
		   atomic64_read(&ctx->created), atomic64_read(&ctx->ok),
		   atomic64_read(&ctx->replays), atomic64_read(&ctx->forced),
		   atomic64_read(&ctx->evicted),
		   snap->sum.sessions_destroyed[DFS_DESTROY_LEASE_EXPIRED]);
}

static struct kunit_case dfs_stress_cases[] = {
	KUNIT_CASE_SLOW(dfs_stress_test),
	{}
};

static struct kunit_suite dfs_stress_suite = {
	.name = "dittofs_stress",
	.test_cases = dfs_stress_cases,
};

kunit_test_suites(&dfs_stress_suite);
