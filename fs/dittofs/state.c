// SPDX-License-Identifier: GPL-2.0
/*
 * The server instance, its clock and its lease reaper.
 *
 * The module has one instance (dfs_server_get_default()); KUnit suites
 * make their own, so they never see or disturb the module's state.
 *
 * The reaper is a delayed work item on system_wq.  Each run collects the
 * clients whose lease (or unconfirmed grace of twice the lease) expired
 * from the heads of the two lease lists, which are ordered by renewal
 * time, so a run costs what it reaps.  Everything is unhashed under
 * dfs_server.lock onto private lists, torn down after the lock is
 * dropped, and the work re-arms itself for the next expiry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/lockdep.h>
#include <linux/seq_file.h>
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
	return ktime_get_boottime_seconds();
}
EXPORT_SYMBOL_IF_KUNIT(dfs_clock_now);

/*
 * Lease lists: collect the expired heads; return seconds to the next.
 * Times are whole seconds, so a client renewed at second R may have been
 * renewed as late as R + 1: its lease ends only after R + period + 1.
 */
static time64_t dfs_reaper_collect(struct dfs_server *srv,
				   struct list_head *lru, time64_t period,
				   time64_t now, struct list_head *out)
{
	struct dfs_client *clp, *tmp;

	lockdep_assert_held(&srv->lru_lock);

	list_for_each_entry_safe(clp, tmp, lru, lru) {
		time64_t expiry = clp->renewed + period + 1;

		if (expiry > now)
			return expiry - now;
		list_move_tail(&clp->lru, out);
		clp->on_conf_lru = false;
	}
	return DFS_REAPER_MAX_SECS;
}

/**
 * dfs_reaper_run() - one pass of the reaper
 * @srv: the server
 *
 * Destroys the sessions of clients whose lease expired, then the clients
 * (reason: lease expired), and clients left unconfirmed for twice the
 * lease (reason: unconfirmed).
 *
 * Return: seconds until the next pass is due, between
 * %DFS_REAPER_MIN_SECS and %DFS_REAPER_MAX_SECS.
 */
unsigned long dfs_reaper_run(struct dfs_server *srv)
{
	struct dfs_reap expired, unconf;
	time64_t now = dfs_clock_now();
	struct dfs_client *clp;
	struct dfs_limits lim;
	LIST_HEAD(conf_due);
	LIST_HEAD(unconf_due);
	time64_t next;

	dfs_limits_get(&lim);
	dfs_reap_init(&expired);
	dfs_reap_init(&unconf);

	spin_lock(&srv->lock);
	spin_lock(&srv->lru_lock);
	next = dfs_reaper_collect(srv, &srv->lru_conf, lim.lease_time, now,
				  &conf_due);
	next = min(next, dfs_reaper_collect(srv, &srv->lru_unconf,
					    2 * (time64_t)lim.lease_time, now,
					    &unconf_due));
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
	spin_unlock(&srv->lock);

	dfs_reap_finish(srv, &expired, DFS_DESTROY_LEASE_EXPIRED);
	dfs_reap_finish(srv, &unconf, DFS_DESTROY_UNCONFIRMED);
	return clamp_t(time64_t, next, DFS_REAPER_MIN_SECS, DFS_REAPER_MAX_SECS);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_reaper_run);

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

	if (READ_ONCE(srv->reaper_on))
		queue_delayed_work(system_wq, &srv->reaper, secs * HZ);
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

	srv = kzalloc(sizeof(*srv), GFP_KERNEL);
	if (!srv)
		return NULL;
	if (dfs_metrics_alloc(srv))
		goto err_free;

	spin_lock_init(&srv->lock);
	hash_init(srv->owner_hash);
	xa_init(&srv->clients);
	hash_init(srv->session_hash);
	spin_lock_init(&srv->lru_lock);
	INIT_LIST_HEAD(&srv->lru_conf);
	INIT_LIST_HEAD(&srv->lru_unconf);
	spin_lock_init(&srv->conn_lock);
	hash_init(srv->conn_hash);
	atomic64_set(&srv->budget.used, 0);
	INIT_DELAYED_WORK(&srv->reaper, dfs_reaper_work);
	strscpy(srv->owner_major, init_utsname()->nodename,
		sizeof(srv->owner_major));
	srv->boot_time = dfs_clock_now();
	return srv;

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
 * their last reference.
 */
void dfs_server_shutdown(struct dfs_server *srv)
{
	struct dfs_client *clp;
	struct dfs_reap reap;
	unsigned long idx;

	WRITE_ONCE(srv->reaper_on, false);
	cancel_delayed_work_sync(&srv->reaper);

	dfs_reap_init(&reap);
	spin_lock(&srv->lock);
	srv->dying = true;
	xa_for_each(&srv->clients, idx, clp)
		dfs_client_unhash_locked(clp, &reap);
	spin_unlock(&srv->lock);
	dfs_reap_finish(srv, &reap, DFS_DESTROY_UNLOAD);
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
	if (!srv)
		return;
	dfs_server_shutdown(srv);
	WARN_ON_ONCE(!xa_empty(&srv->clients));
	WARN_ON_ONCE(!list_empty(&srv->lru_conf) ||
		     !list_empty(&srv->lru_unconf));
	WARN(atomic64_read(&srv->budget.used),
	     "dittofs: %lld budget bytes still charged\n",
	     (long long)atomic64_read(&srv->budget.used));
	xa_destroy(&srv->clients);
	dfs_metrics_free(srv);
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
 * now.  Not an interface: dfsctl and netlink are.
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
	dfs_server_start(dfs_default_server);
	dfs_debugfs_init(dfs_default_server);
	return 0;

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
	dfs_server_destroy(dfs_default_server);
	dfs_default_server = NULL;
	rcu_barrier();
	dfs_slot_exit();
}
