// SPDX-License-Identifier: GPL-2.0
/*
 * The server instance, its clock and its lease reaper.
 *
 * The module has one instance (dfs_server_get_default()); KUnit suites
 * make their own, so they never see or disturb the module's state.
 *
 * The reaper is a delayed work item on system_wq.  Each run collects the
 * clients whose lease (or unconfirmed grace of twice the lease) expired
 * from the heads of the lease lists, which are ordered by renewal time,
 * so a run costs what it reaps.  Clients are unhashed under
 * dfs_server.lock onto private lists in batches of %DFS_REAP_BATCH (a
 * client and each of its sessions count one), each batch torn down after
 * the lock is dropped, so the lock is never held for long whatever
 * expires at once.  The work re-arms itself for the next expiry.
 * Unloading tears down in the same batches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/lockdep.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "client.h"
#include "limits.h"
#include "metrics.h"
#include "session.h"
#include "slot.h"
#include "state.h"

static struct dfs_server *dfs_default_server;

/*
 * Seconds added to the clock, written through debugfs "clock_skew" by the
 * benchmarks only: a million clients age past their lease at once.
 */
static u32 dfs_clock_skew;

/**
 * dfs_clock_now() - the state layer's clock
 *
 * Monotonic seconds (boot time, so suspend counts).  KUnit replaces it
 * with a static stub to move time.
 *
 * Return: seconds.
 */
time64_t dfs_clock_now(void)
{
	KUNIT_STATIC_STUB_REDIRECT(dfs_clock_now);
	return ktime_get_boottime_seconds() + READ_ONCE(dfs_clock_skew);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_clock_now);

/* Teardown took dfs_server.lock at @start (ktime_get_ns()); note the hold. */
static void dfs_reap_hold_done(struct dfs_server *srv, u64 start)
{
	u64 ns = ktime_get_ns() - start;

	lockdep_assert_held(&srv->lock);
	if (ns > srv->reap_hold_max_ns)
		WRITE_ONCE(srv->reap_hold_max_ns, ns);
	WRITE_ONCE(srv->reap_batches, srv->reap_batches + 1);
}

/*
 * One lease list: move its expired heads to @out while @work lasts (a
 * client costs one plus its sessions).  Return seconds to the next
 * expiry, or 0 when the batch ran out first.  Times are whole seconds,
 * so a client renewed at second R may have been renewed as late as
 * R + 1: its lease ends only after R + period + 1.
 */
static time64_t dfs_reaper_collect(struct dfs_server *srv,
				   struct list_head *lru, time64_t period,
				   time64_t now, struct list_head *out,
				   int *work)
{
	struct dfs_client *clp, *tmp;

	lockdep_assert_held(&srv->lock);
	lockdep_assert_held(&srv->lru_lock);

	list_for_each_entry_safe(clp, tmp, lru, lru) {
		time64_t expiry = clp->renewed + period + 1;

		if (expiry > now)
			return expiry - now;
		if (*work <= 0)
			return 0;
		*work -= 1 + clp->nr_sessions;
		list_move_tail(&clp->lru, out);
		clp->on_conf_lru = false;
	}
	return DFS_REAPER_MAX_SECS;
}

/* One batch of a reaper pass; returns seconds to the next expiry, or 0. */
static time64_t dfs_reaper_batch(struct dfs_server *srv, time64_t now)
{
	time64_t next = DFS_REAPER_MAX_SECS, period;
	struct dfs_reap expired, unconf;
	int work = DFS_REAP_BATCH;
	struct dfs_lease_class *c;
	struct dfs_client *clp;
	LIST_HEAD(conf_due);
	LIST_HEAD(unconf_due);
	u64 start;

	dfs_reap_init(&expired);
	dfs_reap_init(&unconf);

	spin_lock(&srv->lock);
	start = ktime_get_ns();
	spin_lock(&srv->lru_lock);
	for (c = srv->leases; c < srv->leases + DFS_LEASE_CLASSES; c++) {
		if (!c->nr)
			continue;
		period = c->secs;
		next = min(next, dfs_reaper_collect(srv, &c->conf, period, now,
						    &conf_due, &work));
		next = min(next, dfs_reaper_collect(srv, &c->unconf,
						    2 * period, now,
						    &unconf_due, &work));
	}
	spin_unlock(&srv->lru_lock);

	/* Unhashing takes each client off the due list again. */
	while (!list_empty(&conf_due)) {
		clp = list_first_entry(&conf_due, struct dfs_client, lru);
		dfs_client_unhash_locked(clp, &expired);
	}
	while (!list_empty(&unconf_due)) {
		clp = list_first_entry(&unconf_due, struct dfs_client, lru);
		dfs_client_unhash_locked(clp, &unconf);
	}
	dfs_reap_hold_done(srv, start);
	spin_unlock(&srv->lock);

	dfs_reap_finish(srv, &expired, DFS_DESTROY_LEASE_EXPIRED);
	dfs_reap_finish(srv, &unconf, DFS_DESTROY_UNCONFIRMED);
	return next;
}

/**
 * dfs_reaper_run() - one pass of the reaper
 * @srv: the server
 *
 * Destroys the sessions of clients whose lease expired, then the clients
 * (reason: lease expired), and clients left unconfirmed for twice their
 * lease (reason: unconfirmed), each by the lease time it was given.
 * Works in batches, dropping the server lock and rescheduling between
 * them, until every client expired when the pass began is gone.
 *
 * Return: seconds until the next pass is due, between
 * %DFS_REAPER_MIN_SECS and %DFS_REAPER_MAX_SECS.
 */
unsigned long dfs_reaper_run(struct dfs_server *srv)
{
	time64_t now, next;

	mutex_lock(&srv->reap_mutex);
	now = dfs_clock_now();
	while (!(next = dfs_reaper_batch(srv, now)))
		cond_resched();
	mutex_unlock(&srv->reap_mutex);
	return clamp_t(time64_t, next, DFS_REAPER_MIN_SECS, DFS_REAPER_MAX_SECS);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_reaper_run);

/*
 * Run the reaper after @delay jiffies, unless it is already due sooner.
 * Not pending means a pass is running, which may have missed what the
 * caller knows: then the caller's time is taken.
 */
static void dfs_reaper_arm(struct dfs_server *srv, unsigned long delay)
{
	if (READ_ONCE(srv->reaper_on) &&
	    (!delayed_work_pending(&srv->reaper) ||
	     time_after(READ_ONCE(srv->reaper.timer.expires), jiffies + delay)))
		mod_delayed_work(system_wq, &srv->reaper, delay);
}

/**
 * dfs_reaper_due_within() - a lease ends in @secs: reap by then
 * @srv: the server
 * @secs: seconds until a client's lease (or unconfirmed grace) ends
 *
 * With nothing due soon the reaper sleeps up to %DFS_REAPER_MAX_SECS; a
 * client created or confirmed meanwhile with a shorter lease moves its
 * next pass earlier, so no client outlives its lease by more than the
 * clock's second of rounding.  Safe under dfs_server.lock; a no-op
 * before dfs_server_start() and after dfs_server_shutdown() (which runs
 * with no request in flight).
 */
void dfs_reaper_due_within(struct dfs_server *srv, time64_t secs)
{
	dfs_reaper_arm(srv, min_t(time64_t, secs + 2, DFS_REAPER_MAX_SECS) * HZ);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_reaper_due_within);

/**
 * dfs_server_reap_due() - destroy now every client whose lease is over
 * @srv: the server
 *
 * For a conflict check that found another client's open or lock: the
 * reaper may not have run since that client's lease ran out, or may be
 * tearing that client down right now, and state of an expired client
 * must never block a live one.  Waits for a pass in progress, then runs
 * one, which costs what it reaps; afterwards no expired client's state
 * is left, so the caller checks once more (RFC 8881, 8.3).
 */
void dfs_server_reap_due(struct dfs_server *srv)
{
	might_sleep();
	dfs_reaper_run(srv);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_server_reap_due);

static void dfs_reaper_work(struct work_struct *work)
{
	struct dfs_server *srv = container_of(to_delayed_work(work),
					      struct dfs_server, reaper);
	u64 start = ktime_get_ns();
	unsigned long secs = dfs_reaper_run(srv);
	u64 ns = ktime_get_ns() - start;

	/* For the benchmarks: what one pass costs (debugfs "state"). */
	WRITE_ONCE(srv->reaper_last_ns, ns);
	WRITE_ONCE(srv->reaper_max_ns, max(srv->reaper_max_ns, ns));
	WRITE_ONCE(srv->reaper_runs, srv->reaper_runs + 1);

	/* dfs_reaper_due_within() may have moved the next pass earlier. */
	dfs_reaper_arm(srv, secs * HZ);
}

/**
 * dfs_server_create() - a new, empty server instance
 *
 * The reaper is not started: see dfs_server_start().
 *
 * Return: the server or NULL.
 */
struct dfs_server *dfs_server_create(void)
{
	struct dfs_server *srv;
	unsigned int i;

	srv = kzalloc(sizeof(*srv), GFP_KERNEL);
	if (!srv)
		return NULL;
	if (dfs_metrics_alloc(srv))
		goto err_free;
	if (dfs_client_table_init(srv))
		goto err_metrics;

	spin_lock_init(&srv->lock);
	hash_init(srv->session_hash);
	spin_lock_init(&srv->lru_lock);
	for (i = 0; i < DFS_LEASE_CLASSES; i++) {
		INIT_LIST_HEAD(&srv->leases[i].conf);
		INIT_LIST_HEAD(&srv->leases[i].unconf);
	}
	spin_lock_init(&srv->conn_lock);
	hash_init(srv->conn_hash);
	atomic64_set(&srv->budget.used, 0);
	INIT_DELAYED_WORK(&srv->reaper, dfs_reaper_work);
	mutex_init(&srv->reap_mutex);
	strscpy(srv->owner_major, init_utsname()->nodename,
		sizeof(srv->owner_major));
	srv->boot_time = dfs_clock_now();
	return srv;

err_metrics:
	dfs_metrics_free(srv);
err_free:
	kfree(srv);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_server_create);

/**
 * dfs_server_start() - start a server's reaper
 * @srv: the server
 */
void dfs_server_start(struct dfs_server *srv)
{
	WRITE_ONCE(srv->reaper_on, true);
	queue_delayed_work(system_wq, &srv->reaper, DFS_REAPER_MIN_SECS * HZ);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_server_start);

/**
 * dfs_server_shutdown() - stop the reaper and destroy every client and
 *	session (reason: unload); the server refuses new clients afterwards
 * @srv: the server; the wire layer must hold no session
 *
 * Requests still holding a session finish normally; its memory goes with
 * their last reference.  Works in the reaper's batches.
 */
void dfs_server_shutdown(struct dfs_server *srv)
{
	struct dfs_client *clp;
	struct dfs_reap reap;
	unsigned long idx;
	int work;
	u64 start;

	WRITE_ONCE(srv->reaper_on, false);
	cancel_delayed_work_sync(&srv->reaper);

	do {
		dfs_reap_init(&reap);
		work = DFS_REAP_BATCH;
		spin_lock(&srv->lock);
		start = ktime_get_ns();
		srv->dying = true;
		xa_for_each(&srv->clients, idx, clp) {
			work -= 1 + clp->nr_sessions;
			dfs_client_unhash_locked(clp, &reap);
			if (work <= 0)
				break;
		}
		dfs_reap_hold_done(srv, start);
		spin_unlock(&srv->lock);
		dfs_reap_finish(srv, &reap, DFS_DESTROY_UNLOAD);
		cond_resched();
	} while (work <= 0);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_server_shutdown);

/**
 * dfs_server_destroy() - shut a server down and free it
 * @srv: the server, or NULL; nothing may hold a session any more
 *
 * Anything still charged to the budget is a leak and is reported.
 */
void dfs_server_destroy(struct dfs_server *srv)
{
	unsigned int i;

	if (!srv)
		return;
	dfs_server_shutdown(srv);
	WARN_ON_ONCE(!xa_empty(&srv->clients) || srv->nr_clients);
	for (i = 0; i < DFS_LEASE_CLASSES; i++)
		WARN_ON_ONCE(srv->leases[i].nr ||
			     !list_empty(&srv->leases[i].conf) ||
			     !list_empty(&srv->leases[i].unconf));
	WARN(atomic64_read(&srv->budget.used),
	     "dittofs: %lld budget bytes still charged\n",
	     (long long)atomic64_read(&srv->budget.used));
	dfs_client_table_destroy(srv);
	dfs_metrics_free(srv);
	mutex_destroy(&srv->reap_mutex);
	kfree(srv);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_server_destroy);

/**
 * dfs_server_generation() - changes whenever a client or session comes
 *	or goes, for netlink dumps (cb->seq)
 * @srv: the server
 *
 * Return: the current generation.
 */
u64 dfs_server_generation(struct dfs_server *srv)
{
	u64 gen;

	spin_lock(&srv->lock);
	gen = srv->generation;
	spin_unlock(&srv->lock);
	return gen;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_server_generation);

/*
 * debugfs, for the benchmarks: "state" shows the live counts and the
 * reaper's pass durations; writing anything to "reaper_kick" runs a pass
 * now; "clock_skew" moves the state layer's clock forward by that many
 * seconds (write only larger values: clients renewed at a later time
 * than the clock shows wait for it to catch up).  Not an interface:
 * dfsctl and netlink are.
 */
static int dfs_debugfs_state_show(struct seq_file *m, void *v)
{
	struct dfs_server *srv = m->private;
	struct dfs_metrics_snapshot *snap;

	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	dfs_metrics_read(srv, snap);
	seq_printf(m, "clients %llu\nsessions %llu\n", snap->clients_active,
		   snap->sessions_active);
	kfree(snap);
	seq_printf(m, "reaper_runs %llu\nreaper_last_ns %llu\nreaper_max_ns %llu\n",
		   READ_ONCE(srv->reaper_runs), READ_ONCE(srv->reaper_last_ns),
		   READ_ONCE(srv->reaper_max_ns));
	seq_printf(m, "reap_hold_max_ns %llu\nreap_batches %llu\n",
		   READ_ONCE(srv->reap_hold_max_ns),
		   READ_ONCE(srv->reap_batches));
	seq_printf(m, "budget_used %lld\nreplies_cached %d\n",
		   atomic64_read(&srv->budget.used),
		   atomic_read(&srv->budget.replies));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dfs_debugfs_state);

static ssize_t dfs_debugfs_kick_write(struct file *file, const char __user *buf,
				      size_t len, loff_t *ppos)
{
	struct dfs_server *srv = file->private_data;

	if (READ_ONCE(srv->reaper_on))
		mod_delayed_work(system_wq, &srv->reaper, 0);
	return len;
}

static const struct file_operations dfs_debugfs_kick_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dfs_debugfs_kick_write,
};

static void dfs_debugfs_init(struct dfs_server *srv)
{
	srv->debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("state", 0444, srv->debugfs, srv,
			    &dfs_debugfs_state_fops);
	debugfs_create_file("reaper_kick", 0200, srv->debugfs, srv,
			    &dfs_debugfs_kick_fops);
	debugfs_create_u32("clock_skew", 0600, srv->debugfs, &dfs_clock_skew);
}

/*
 * Memory pressure: cached replies are the state layer's reclaimable
 * memory.  A scan frees those of slots above each client's
 * sa_highest_slotid (nothing is outstanding there; RFC 8881 2.10.6.1)
 * and marks the budget under pressure, so slot targets shrink at their
 * next window and clients stay within their fair share.
 */
static unsigned long dfs_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	struct dfs_server *srv = s->private_data;

	return atomic_read(&srv->budget.replies) ?: SHRINK_EMPTY;
}

static unsigned long dfs_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	struct dfs_server *srv = s->private_data;
	struct dfs_session *sess;
	unsigned long freed = 0;
	int bkt;

	WRITE_ONCE(srv->budget.pressure_until,
		   ktime_get_boottime_seconds() + 2 * DFS_SLOT_WINDOW_SECS);
	rcu_read_lock();
	hash_for_each_rcu(srv->session_hash, bkt, sess, hash_node) {
		if (!kref_get_unless_zero(&sess->ref))
			continue;
		freed += dfs_slot_shrink(sess->fore_tbl);
		dfs_session_put(sess);
		if (freed >= sc->nr_to_scan)
			break;
	}
	rcu_read_unlock();
	return freed ?: SHRINK_STOP;
}

static int dfs_shrinker_init(struct dfs_server *srv)
{
	srv->shrinker = shrinker_alloc(0, "dittofs-replies");
	if (!srv->shrinker)
		return -ENOMEM;
	srv->shrinker->count_objects = dfs_shrink_count;
	srv->shrinker->scan_objects = dfs_shrink_scan;
	srv->shrinker->private_data = srv;
	shrinker_register(srv->shrinker);
	return 0;
}

/**
 * dfs_server_get_default() - the module's server instance
 *
 * Return: the instance made by dfs_state_init().
 */
struct dfs_server *dfs_server_get_default(void)
{
	return dfs_default_server;
}

/**
 * dfs_state_init() - set up the state layer and the module's server
 *
 * Return: 0 or -ENOMEM.
 */
int dfs_state_init(void)
{
	int err;

	dfs_limits_init();
	err = dfs_client_init();
	if (err)
		return err;
	err = dfs_session_init();
	if (err)
		return err;
	err = dfs_slot_init();
	if (err)
		return err;
	dfs_default_server = dfs_server_create();
	if (!dfs_default_server) {
		err = -ENOMEM;
		goto err_slot;
	}
	err = dfs_shrinker_init(dfs_default_server);
	if (err)
		goto err_server;
	dfs_server_start(dfs_default_server);
	dfs_debugfs_init(dfs_default_server);
	return 0;

err_server:
	dfs_server_destroy(dfs_default_server);
	dfs_default_server = NULL;
err_slot:
	dfs_slot_exit();
	return err;
}

/**
 * dfs_state_exit() - destroy everything (reason: unload) and the caches
 *
 * Waits for RCU callbacks so that no session memory outlives the module.
 */
void dfs_state_exit(void)
{
	debugfs_remove(dfs_default_server->debugfs);
	shrinker_free(dfs_default_server->shrinker);
	dfs_server_destroy(dfs_default_server);
	dfs_default_server = NULL;
	rcu_barrier();
	dfs_slot_exit();
}
