/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DittoFS state layer: one server instance holding clients, sessions,
 * their indexes, the reply-cache budget, the reaper and the metrics.
 *
 * Nothing here knows about sunrpc: the wire layer translates decoded
 * arguments into the structures below and encodes what comes back.
 *
 * Lock order (outermost first):
 *
 *	dfs_server.lock  ->  dfs_server.lru_lock
 *	dfs_server.conn_lock  ->  dfs_session.conn_lock
 *	dfs_slot_table.lock (a leaf: nothing is taken under it)
 *
 * dfs_server.lock and dfs_server.conn_lock are never held together.
 */
#ifndef _FS_DITTOFS_STATE_H
#define _FS_DITTOFS_STATE_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "slot.h"

#define DFS_SESSION_HASH_BITS	10
#define DFS_CONN_HASH_BITS	8

/* Reaper cadence: at least this far apart while due, at most when idle. */
#define DFS_REAPER_MIN_SECS	1
#define DFS_REAPER_MAX_SECS	30

/*
 * Teardown (reaper, unload) unhashes at most this much under
 * dfs_server.lock at a time: a client counts one, each session one.
 */
#define DFS_REAP_BATCH		64

/* Distinct lease times that live clients may hold at once. */
#define DFS_LEASE_CLASSES	8

struct dfs_metrics;

/**
 * struct dfs_principal - who sent a request, as the RPC layer saw it
 * @flavor: RPC authentication flavor (0 AUTH_NONE, 1 AUTH_SYS, ...)
 * @uid: the caller's uid under that flavor
 *
 * Opaque to the state layer beyond equality.
 */
struct dfs_principal {
	u32 flavor;
	u32 uid;
};

/**
 * enum dfs_destroy_reason - why a session or client went away
 * @DFS_DESTROY_CLIENT: the client asked (DESTROY_SESSION, DESTROY_CLIENTID)
 * @DFS_DESTROY_ADMIN: an administrator forced it
 * @DFS_DESTROY_LEASE_EXPIRED: the reaper found the lease expired
 * @DFS_DESTROY_UNCONFIRMED: the reaper purged a never-confirmed client
 * @DFS_DESTROY_CLIENT_REPLACED: a new incarnation of the client confirmed
 * @DFS_DESTROY_UNLOAD: the module is being unloaded
 * @DFS_DESTROY_REASON_COUNT: number of reasons
 */
enum dfs_destroy_reason {
	DFS_DESTROY_CLIENT,
	DFS_DESTROY_ADMIN,
	DFS_DESTROY_LEASE_EXPIRED,
	DFS_DESTROY_UNCONFIRMED,
	DFS_DESTROY_CLIENT_REPLACED,
	DFS_DESTROY_UNLOAD,
	DFS_DESTROY_REASON_COUNT,
};

/**
 * struct dfs_lease_class - the clients that were given one lease time
 * @secs: the lease time, seconds; changes only while @nr is 0
 * @nr: clients in the class
 * @conf: its confirmed clients, least recently renewed first
 * @unconf: its unconfirmed clients, oldest first
 *
 * A client keeps the lease time it was told at EXCHANGE_ID for its whole
 * life, so each lease time has its own lists, each ordered by renewal
 * time and so by expiry.  Every field is guarded by dfs_server.lru_lock.
 */
struct dfs_lease_class {
	u32 secs;
	u32 nr;
	struct list_head conf;
	struct list_head unconf;
};

/**
 * struct dfs_server - one NFSv4.1 server instance's state
 * @lock: guards @owner_table, @clients stores, @session_hash writers,
 *	every client's state, session list and CREATE_SESSION slot, and
 *	@dying
 * @owner_table: clients by co_ownerid (confirmed and unconfirmed; an
 *	owner may have one of each); RCU readers, writers under @lock
 * @clients: clients by the low word of their client id, allocated
 *	cyclically from @clientid_next; the xarray's own lock serialises
 *	its internals, @lock serialises our stores and erases
 * @clientid_next: where the next client id search starts; the xarray's
 *	lock
 * @nr_clients: records in @clients; @lock
 * @clients_refused: EXCHANGE_IDs refused at the client limit; @lock
 * @session_hash: sessions by id; RCU readers, writers under @lock
 * @lru_lock: guards @leases and every client's @lru link and renewal
 *	time
 * @leases: the lease classes
 * @conn_lock: guards @conn_hash and the bindings' hash links
 * @conn_hash: connection bindings by connection cookie
 * @budget: bytes of slots and cached replies charged by this server
 * @reaper: the lease reaper (delayed work on system_wq)
 * @reaper_on: the reaper may re-arm itself; cleared before cancelling
 * @reap_mutex: one reaper pass at a time (the work item's, and those run
 *	for a conflict), so a pass that finds nothing due knows every
 *	client already reaped is torn down
 * @dying: set under @lock at teardown; no new clients or sessions
 * @generation: bumped under @lock on every client or session change, so
 *	dumps can tell that the set changed under them
 * @session_seq: creation counter for sessions, under @lock
 * @metrics: per-cpu counters
 * @reaper_runs: reaper passes run by the work item; written by it only
 * @reaper_last_ns: duration of the last pass, ns; written by it only
 * @reaper_max_ns: longest pass, ns; written by it only
 * @reap_hold_max_ns: longest time teardown (reaper or unload) held @lock
 *	in one batch, ns; written under @lock
 * @reap_batches: teardown batches run; written under @lock
 * @shrinker: gives cached replies back under memory pressure (the
 *	module's instance only), or NULL
 * @debugfs: the instance's debugfs directory, or NULL
 * @owner_major: server owner major id and scope, constant
 * @boot_time: dfs_clock_now() when the server was created, constant
 */
struct dfs_server {
	spinlock_t lock;		/* indexes, client and session state */
	struct rhltable owner_table;
	struct xarray clients;
	u32 clientid_next;
	u32 nr_clients;
	u64 clients_refused;
	DECLARE_HASHTABLE(session_hash, DFS_SESSION_HASH_BITS);

	spinlock_t lru_lock;		/* the lease lists */
	struct dfs_lease_class leases[DFS_LEASE_CLASSES];

	spinlock_t conn_lock;		/* connection bindings by cookie */
	DECLARE_HASHTABLE(conn_hash, DFS_CONN_HASH_BITS);

	struct dfs_budget budget;
	struct delayed_work reaper;
	bool reaper_on;
	struct mutex reap_mutex;	/* reaper passes */
	bool dying;
	u64 generation;
	u64 session_seq;
	struct dfs_metrics __percpu *metrics;
	u64 reaper_runs;
	u64 reaper_last_ns;
	u64 reaper_max_ns;
	u64 reap_hold_max_ns;
	u64 reap_batches;
	struct shrinker *shrinker;
	struct dentry *debugfs;
	char owner_major[65];
	time64_t boot_time;
};

time64_t dfs_clock_now(void);

struct dfs_server *dfs_server_create(void);
void dfs_server_start(struct dfs_server *srv);
void dfs_server_shutdown(struct dfs_server *srv);
void dfs_server_destroy(struct dfs_server *srv);
struct dfs_server *dfs_server_get_default(void);
u64 dfs_server_generation(struct dfs_server *srv);

unsigned long dfs_reaper_run(struct dfs_server *srv);
void dfs_server_reap_due(struct dfs_server *srv);
void dfs_reaper_due_within(struct dfs_server *srv, time64_t secs);

int dfs_state_init(void);
void dfs_state_exit(void);

#endif /* _FS_DITTOFS_STATE_H */
