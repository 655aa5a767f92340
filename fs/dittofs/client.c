// SPDX-License-Identifier: GPL-2.0
/*
 * Client records.
 *
 * EXCHANGE_ID follows the case analysis of RFC 8881, section 18.35.5
 * (numbered as there).  A client id is the module load's random boot
 * verifier in the high word and an index in the low word.  Indexes are
 * allocated cyclically among those not in use, so they never run out,
 * and an id from an earlier load is recognised as stale (but for a one
 * in 2^32 chance that two loads draw the same verifier).
 *
 * Records are indexed by id (an xarray keyed by the index, which also
 * gives dumps a stable cursor) and by co_ownerid (a resizable hash table
 * hashed with SipHash under a key drawn at load, so owners chosen to
 * collide cannot make lookups linear).  Both, each record's state,
 * session list and CREATE_SESSION slot are guarded by dfs_server.lock.
 * Lease order lives on lists under dfs_server.lru_lock, one pair per
 * lease time in use, so that SEQUENCE renews without the server lock and
 * a client keeps the lease time it was told.
 *
 * The number of records is capped (max_clients, by default derived from
 * memory).  At the cap a new client first takes the place of the oldest
 * unconfirmed record, and is answered NFS4ERR_DELAY when there is none:
 * clients that hold a session keep working whatever new ones send.
 */
#include <linux/lockdep.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <kunit/visibility.h>

#include "client.h"
#include "events.h"
#include "limits.h"
#include "metrics.h"
#include "session.h"
#include "state.h"

static u32 dfs_boot_verf;
static siphash_key_t dfs_owner_key;

/**
 * dfs_client_boot_verifier() - the high word of every client id
 *
 * Return: the boot verifier of this module load.
 */
u32 dfs_client_boot_verifier(void)
{
	return dfs_boot_verf;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_boot_verifier);

/**
 * dfs_principal_eq() - do two principals name the same caller?
 * @a: one
 * @b: the other
 *
 * Return: true when they are equal.
 */
bool dfs_principal_eq(const struct dfs_principal *a,
		      const struct dfs_principal *b)
{
	return a->flavor == b->flavor && a->uid == b->uid;
}

/* The table's seed changes when it rehashes; the key never leaves us. */
static u32 dfs_owner_hash(const u8 *data, u32 len, u32 seed)
{
	siphash_key_t key = dfs_owner_key;

	key.key[0] ^= seed;
	return (u32)siphash(data, len, &key);
}

static u32 dfs_owner_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct dfs_owner_key *k = data;

	return dfs_owner_hash(k->data, k->len, seed);
}

static u32 dfs_owner_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct dfs_client *clp = data;

	return dfs_owner_hash(clp->owner, clp->owner_len, seed);
}

/* Inserts pass the record's own key, lookups a caller's: both are keys. */
static int dfs_owner_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct dfs_owner_key *k = arg->key;
	const struct dfs_client *clp = obj;

	return clp->owner_len != k->len || memcmp(clp->owner, k->data, k->len);
}

static const struct rhashtable_params dfs_owner_params = {
	.head_offset = offsetof(struct dfs_client, owner_node),
	.key_offset = offsetof(struct dfs_client, owner_key),
	.hashfn = dfs_owner_key_hashfn,
	.obj_hashfn = dfs_owner_obj_hashfn,
	.obj_cmpfn = dfs_owner_cmpfn,
	.automatic_shrinking = true,
};

/**
 * dfs_client_table_init() - set up a server's client indexes
 * @srv: the server
 *
 * Return: 0 or a negative errno.
 */
int dfs_client_table_init(struct dfs_server *srv)
{
	xa_init_flags(&srv->clients, XA_FLAGS_ALLOC1);
	return rhltable_init(&srv->owner_table, &dfs_owner_params);
}

/**
 * dfs_client_table_destroy() - free a server's client indexes
 * @srv: the server, with no client left
 */
void dfs_client_table_destroy(struct dfs_server *srv)
{
	rhltable_destroy(&srv->owner_table);
	xa_destroy(&srv->clients);
}

/* The one place a client changes state; see the table in client.h. */
static void dfs_client_set_state(struct dfs_client *clp,
				 enum dfs_client_state new)
{
	lockdep_assert_held(&clp->srv->lock);
	WARN_ON_ONCE(clp->state == DFS_CLIENT_DEAD ||
		     new == DFS_CLIENT_UNCONFIRMED ||
		     new == clp->state);
	clp->state = new;
}

static void dfs_client_release(struct kref *ref)
{
	struct dfs_client *clp = container_of(ref, struct dfs_client, ref);

	dfs_stateids_destroy(&clp->stateids);
	dfs_budget_acct_put(clp->acct);
	kfree(clp);
}

/**
 * dfs_client_get() - take a reference to a client
 * @clp: the client
 */
void dfs_client_get(struct dfs_client *clp)
{
	kref_get(&clp->ref);
}

/**
 * dfs_client_put() - drop a reference to a client
 * @clp: the client, or NULL
 */
void dfs_client_put(struct dfs_client *clp)
{
	if (clp)
		kref_put(&clp->ref, dfs_client_release);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_put);

/*
 * A candidate record, made before the lock is taken.  Its index is
 * reserved in the xarray so that publishing it under the lock cannot
 * fail.
 */
static struct dfs_client *dfs_client_alloc(struct dfs_server *srv,
					   const struct dfs_exchange_id_args *a,
					   u32 lease)
{
	struct dfs_client *clp;
	u32 n;

	clp = kzalloc(struct_size(clp, owner, a->owner_len), GFP_KERNEL);
	if (!clp)
		return NULL;
	if (dfs_stateids_init(&clp->stateids))
		goto err_free;
	clp->acct = dfs_budget_acct_alloc(&srv->budget);
	if (!clp->acct)
		goto err_stateids;
	if (xa_alloc_cyclic(&srv->clients, &n, NULL, XA_LIMIT(1, U32_MAX),
			    &srv->clientid_next, GFP_KERNEL) < 0)
		goto err_acct;

	kref_init(&clp->ref);
	clp->srv = srv;
	clp->id = (u64)dfs_boot_verf << 32 | n;
	INIT_LIST_HEAD(&clp->reap_node);
	INIT_LIST_HEAD(&clp->lru);
	INIT_LIST_HEAD(&clp->sessions);
	clp->state = DFS_CLIENT_UNCONFIRMED;
	clp->lease = lease;
	clp->verifier = a->verifier;
	clp->principal = a->principal;
	clp->flags = EXCHGID4_FLAG_USE_NON_PNFS;
	if (a->addr)
		clp->addr = *a->addr;
	clp->created = dfs_clock_now();
	clp->owner_len = a->owner_len;
	memcpy(clp->owner, a->owner, a->owner_len);
	clp->owner_key.data = clp->owner;
	clp->owner_key.len = clp->owner_len;
	return clp;

err_acct:
	dfs_budget_acct_put(clp->acct);
err_stateids:
	dfs_stateids_destroy(&clp->stateids);
err_free:
	kfree(clp);
	return NULL;
}

static void dfs_client_free_unused(struct dfs_client *clp)
{
	xa_release(&clp->srv->clients, (u32)clp->id);
	dfs_stateids_destroy(&clp->stateids);
	dfs_budget_acct_put(clp->acct);
	kfree(clp);
}

/*
 * The class of clients told @secs: the one that has them, else an empty
 * one.  With every class taken by other lease times (eight changes of
 * lease_time while the clients of each are still alive) the client joins
 * the nearest class and is told its lease time instead.
 */
static struct dfs_lease_class *dfs_lease_class_pick(struct dfs_server *srv,
						    u32 secs)
{
	struct dfs_lease_class *c, *empty = NULL, *near = NULL;

	lockdep_assert_held(&srv->lru_lock);

	for (c = srv->leases; c < srv->leases + DFS_LEASE_CLASSES; c++) {
		if (!c->nr) {
			if (!empty)
				empty = c;
		} else if (c->secs == secs) {
			return c;
		} else if (!near ||
			   abs_diff(c->secs, secs) < abs_diff(near->secs, secs)) {
			near = c;
		}
	}
	if (empty) {
		empty->secs = secs;
		return empty;
	}
	return near;
}

/* Publish a new record; on failure nothing changed. */
static int dfs_client_hash_locked(struct dfs_client *clp)
{
	struct dfs_server *srv = clp->srv;
	struct dfs_lease_class *cls;
	int err;

	lockdep_assert_held(&srv->lock);

	err = rhltable_insert(&srv->owner_table, &clp->owner_node,
			      dfs_owner_params);
	if (err)
		return err;
	xa_store(&srv->clients, (u32)clp->id, clp, GFP_ATOMIC);
	srv->nr_clients++;
	spin_lock(&srv->lru_lock);
	cls = dfs_lease_class_pick(srv, clp->lease);
	cls->nr++;
	clp->lease_class = cls;
	clp->lease = cls->secs;
	WRITE_ONCE(clp->renewed, dfs_clock_now());
	list_add_tail(&clp->lru, &cls->unconf);
	spin_unlock(&srv->lru_lock);
	srv->generation++;
	dfs_metrics_client_created(srv);
	dfs_event_client_created(clp);
	return 0;
}

/**
 * dfs_client_unhash_locked() - take a client and its sessions out of
 *	every index, to be torn down by dfs_reap_finish()
 * @clp: the client
 * @reap: where its sessions and itself are collected
 */
void dfs_client_unhash_locked(struct dfs_client *clp, struct dfs_reap *reap)
{
	struct dfs_server *srv = clp->srv;
	struct dfs_session *sess, *tmp;

	lockdep_assert_held(&srv->lock);

	list_for_each_entry_safe(sess, tmp, &clp->sessions, client_node)
		dfs_session_unhash_locked(sess, &reap->sessions);
	dfs_client_set_state(clp, DFS_CLIENT_DEAD);
	WARN_ON_ONCE(rhltable_remove(&srv->owner_table, &clp->owner_node,
				     dfs_owner_params));
	xa_erase(&srv->clients, (u32)clp->id);
	srv->nr_clients--;
	spin_lock(&srv->lru_lock);
	list_del_init(&clp->lru);
	clp->on_conf_lru = false;
	clp->lease_class->nr--;
	spin_unlock(&srv->lru_lock);
	list_add_tail(&clp->reap_node, &reap->clients);
	srv->generation++;
}

/**
 * dfs_client_find_locked() - find a live client by id
 * @srv: the server
 * @clientid: the id
 *
 * Return: the client (no reference taken), or NULL when the id is
 * unknown, stale (from another module load) or dead.
 */
struct dfs_client *dfs_client_find_locked(struct dfs_server *srv,
					  u64 clientid)
{
	struct dfs_client *clp;

	lockdep_assert_held(&srv->lock);

	if (clientid >> 32 != dfs_boot_verf)
		return NULL;
	clp = xa_load(&srv->clients, (u32)clientid);
	if (!clp || clp->id != clientid || clp->state == DFS_CLIENT_DEAD)
		return NULL;
	return clp;
}

/**
 * dfs_client_lookup() - find a live client by id and reference it
 * @srv: the server
 * @clientid: the id
 *
 * Return: the client (release with dfs_client_put()), or NULL.
 */
struct dfs_client *dfs_client_lookup(struct dfs_server *srv, u64 clientid)
{
	struct dfs_client *clp;

	spin_lock(&srv->lock);
	clp = dfs_client_find_locked(srv, clientid);
	if (clp)
		kref_get(&clp->ref);
	spin_unlock(&srv->lock);
	return clp;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_lookup);

static void dfs_client_find_owner_locked(struct dfs_server *srv,
					 const u8 *owner, u32 len,
					 struct dfs_client **conf,
					 struct dfs_client **unconf)
{
	struct dfs_owner_key key = { .data = owner, .len = len };
	struct rhlist_head *list, *pos;
	struct dfs_client *clp;

	lockdep_assert_held(&srv->lock);

	*conf = NULL;
	*unconf = NULL;
	rcu_read_lock();
	list = rhltable_lookup(&srv->owner_table, &key, dfs_owner_params);
	rhl_for_each_entry_rcu(clp, pos, list, owner_node) {
		if (clp->state == DFS_CLIENT_CONFIRMED)
			*conf = clp;
		else if (clp->state == DFS_CLIENT_UNCONFIRMED)
			*unconf = clp;
	}
	rcu_read_unlock();
}

/**
 * dfs_client_oldest_unconf_locked() - the unconfirmed record created
 *	first, the first to go when the client limit is reached
 * @srv: the server
 *
 * Return: the client (no reference taken), or NULL when every record is
 * confirmed.
 */
struct dfs_client *dfs_client_oldest_unconf_locked(struct dfs_server *srv)
{
	struct dfs_client *clp, *oldest = NULL;
	struct dfs_lease_class *c;

	lockdep_assert_held(&srv->lock);

	spin_lock(&srv->lru_lock);
	for (c = srv->leases; c < srv->leases + DFS_LEASE_CLASSES; c++) {
		clp = list_first_entry_or_null(&c->unconf, struct dfs_client,
					       lru);
		if (clp && (!oldest || clp->renewed < oldest->renewed))
			oldest = clp;
	}
	spin_unlock(&srv->lru_lock);
	return oldest;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_oldest_unconf_locked);

/**
 * dfs_client_confirm_locked() - the first CREATE_SESSION confirms a client
 * @clp: an unconfirmed client
 * @reap: collects the confirmed record it replaces, if any
 *
 * The lease starts now.  A confirmed record with the same owner is an
 * earlier incarnation (RFC 8881 18.35.5 cases 3 and 5): it goes, with its
 * sessions.
 */
void dfs_client_confirm_locked(struct dfs_client *clp, struct dfs_reap *reap)
{
	struct dfs_server *srv = clp->srv;
	struct dfs_client *conf, *unconf;

	lockdep_assert_held(&srv->lock);

	dfs_client_find_owner_locked(srv, clp->owner, clp->owner_len,
				     &conf, &unconf);
	if (conf)
		dfs_client_unhash_locked(conf, reap);
	dfs_client_set_state(clp, DFS_CLIENT_CONFIRMED);
	spin_lock(&srv->lru_lock);
	WRITE_ONCE(clp->renewed, dfs_clock_now());
	list_move_tail(&clp->lru, &clp->lease_class->conf);
	clp->on_conf_lru = true;
	spin_unlock(&srv->lru_lock);
	srv->generation++;
	dfs_reaper_due_within(srv, clp->lease);
}

/**
 * dfs_client_renew() - renew a confirmed client's lease
 * @clp: the client
 *
 * Moves the client to the tail of its lease list; a no-op when it was
 * already renewed this second or is no longer on the list.  Takes only
 * dfs_server.lru_lock.
 */
void dfs_client_renew(struct dfs_client *clp)
{
	struct dfs_server *srv = clp->srv;
	time64_t now = dfs_clock_now();

	if (READ_ONCE(clp->renewed) >= now)
		return;
	spin_lock(&srv->lru_lock);
	if (clp->on_conf_lru && clp->renewed < now) {
		WRITE_ONCE(clp->renewed, now);
		list_move_tail(&clp->lru, &clp->lease_class->conf);
	}
	spin_unlock(&srv->lru_lock);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_renew);

/**
 * dfs_reap_init() - an empty reap list
 * @reap: the lists
 */
void dfs_reap_init(struct dfs_reap *reap)
{
	INIT_LIST_HEAD(&reap->sessions);
	INIT_LIST_HEAD(&reap->clients);
}

/**
 * dfs_reap_finish() - tear down what was collected under the lock
 * @srv: the server
 * @reap: sessions and clients unhashed by dfs_client_unhash_locked() or
 *	dfs_session_unhash_locked()
 * @why: the reason, for the metrics
 *
 * Called without locks held: unbind callbacks may sleep, and each
 * client's files are closed here.
 */
void dfs_reap_finish(struct dfs_server *srv, struct dfs_reap *reap,
		     enum dfs_destroy_reason why)
{
	struct dfs_session *sess, *stmp;
	struct dfs_client *clp, *ctmp;

	list_for_each_entry_safe(sess, stmp, &reap->sessions, client_node) {
		list_del_init(&sess->client_node);
		dfs_session_finish(sess, why);
	}
	list_for_each_entry_safe(clp, ctmp, &reap->clients, reap_node) {
		list_del_init(&clp->reap_node);
		dfs_stateids_release(&clp->stateids);
		dfs_metrics_client_destroyed(srv, why);
		dfs_event_client_destroyed(clp, why);
		dfs_client_put(clp);
	}
}

static void dfs_exchange_id_fill(const struct dfs_client *clp,
				 struct dfs_exchange_id_res *res)
{
	struct dfs_server *srv = clp->srv;

	lockdep_assert_held(&srv->lock);

	res->clientid = clp->id;
	res->sequenceid = clp->cs_seq + 1;
	res->flags = clp->flags;
	if (clp->state == DFS_CLIENT_CONFIRMED)
		res->flags |= EXCHGID4_FLAG_CONFIRMED_R;
	res->spr_how = SP4_NONE;
	res->so_minor_id = 0;
	res->so_major_id = srv->owner_major;
	res->server_scope = srv->owner_major;
	res->impl_domain = DFS_IMPL_DOMAIN;
	res->impl_name = DFS_IMPL_NAME;
}

static bool dfs_verifier_eq(const nfs4_verifier *a, const nfs4_verifier *b)
{
	return !memcmp(a->data, b->data, sizeof(a->data));
}

/* Cases 6 to 9: eia_flags has EXCHGID4_FLAG_UPD_CONFIRMED_REC_A. */
static enum nfsstat4 dfs_exchange_id_update(struct dfs_client *conf,
					    const struct dfs_exchange_id_args *a,
					    struct dfs_exchange_id_res *res)
{
	if (!conf)
		return NFS4ERR_NOENT;			/* case 7 */
	lockdep_assert_held(&conf->srv->lock);
	if (!dfs_principal_eq(&conf->principal, &a->principal))
		return NFS4ERR_PERM;			/* case 9 */
	if (!dfs_verifier_eq(&conf->verifier, &a->verifier))
		return NFS4ERR_NOT_SAME;		/* case 8 */
	if (a->addr)					/* case 6 */
		conf->addr = *a->addr;
	dfs_exchange_id_fill(conf, res);
	return NFS4_OK;
}

/**
 * dfs_exchange_id() - EXCHANGE_ID (RFC 8881, section 18.35)
 * @srv: the server
 * @args: the request
 * @res: the result, filled in on NFS4_OK
 *
 * Without the update flag: no record for the owner makes a new
 * unconfirmed one (case 1); a confirmed record with the same verifier and
 * principal is returned as it is (case 2); a confirmed record of another
 * principal that still has state (sessions, opens or locks) is
 * NFS4ERR_CLID_INUSE (case 3), without state it is removed (its id goes
 * stale) and the request treated as a new client; an unconfirmed record
 * is replaced by a new one with a new id (case 4); a confirmed record
 * with another verifier is a client restart: a new unconfirmed record,
 * the old one going when the new one is confirmed (case 5).
 *
 * A new owner's record beyond the client limit takes the place of the
 * oldest unconfirmed one; an owner that already has a record (cases 3, 4
 * and 5) is not counted against the limit, so a restarting client can
 * always reclaim its place.
 *
 * Return: NFS4_OK; NFS4ERR_INVAL for a bad owner, flag or state
 * protection value; NFS4ERR_ENCR_ALG_UNSUPP for SP4_MACH_CRED or SP4_SSV
 * (only SP4_NONE is offered); NFS4ERR_CLID_INUSE, NFS4ERR_NOENT,
 * NFS4ERR_PERM, NFS4ERR_NOT_SAME as above; NFS4ERR_DELAY when memory is
 * short, a new owner finds every one of the max_clients records
 * confirmed, or the server is shutting down.
 */
enum nfsstat4 dfs_exchange_id(struct dfs_server *srv,
			      const struct dfs_exchange_id_args *args,
			      struct dfs_exchange_id_res *res)
{
	bool update = args->flags & EXCHGID4_FLAG_UPD_CONFIRMED_REC_A;
	struct dfs_client *conf, *unconf, *victim = NULL, *new = NULL;
	struct dfs_client *collided = NULL;
	struct dfs_reap reap, evicted;
	struct dfs_limits lim;
	enum nfsstat4 status;

	if (!args->owner_len || args->owner_len > NFS4_OPAQUE_LIMIT)
		return NFS4ERR_INVAL;
	if (args->flags & ~EXCHGID4_FLAG_MASK_A)
		return NFS4ERR_INVAL;
	switch (args->spa_how) {
	case SP4_NONE:
		break;
	case SP4_MACH_CRED:
	case SP4_SSV:
		return NFS4ERR_ENCR_ALG_UNSUPP;
	default:
		return NFS4ERR_INVAL;
	}

	dfs_limits_get(&lim);
	if (!update) {
		new = dfs_client_alloc(srv, args, lim.lease_time);
		if (!new)
			return NFS4ERR_DELAY;
	}
	dfs_reap_init(&reap);
	dfs_reap_init(&evicted);

	spin_lock(&srv->lock);
	if (srv->dying) {
		status = NFS4ERR_DELAY;
		goto out_unlock;
	}
	dfs_client_find_owner_locked(srv, args->owner, args->owner_len,
				     &conf, &unconf);
	if (update) {
		status = dfs_exchange_id_update(conf, args, res);
		goto out_unlock;
	}
	if (conf) {
		if (!dfs_principal_eq(&conf->principal, &args->principal)) {
			if (conf->nr_sessions ||
			    dfs_stateids_busy(&conf->stateids)) {
				status = NFS4ERR_CLID_INUSE;	/* case 3 */
				goto out_unlock;
			}
			collided = conf;	/* case 3 without state */
		} else if (dfs_verifier_eq(&conf->verifier, &args->verifier)) {
			dfs_exchange_id_fill(conf, res);	/* case 2 */
			status = NFS4_OK;
			goto out_unlock;
		}
		/* Case 5: conf stays until the new record is confirmed. */
	}
	/*
	 * A restarting client (case 5) is never refused: its new record
	 * replaces the confirmed one when confirmed, and an owner holds at
	 * most two records, so the count stays below twice the limit.
	 */
	if (!unconf && !conf && srv->nr_clients >= lim.max_clients) {
		victim = dfs_client_oldest_unconf_locked(srv);
		if (!victim) {
			WRITE_ONCE(srv->clients_refused,
				   srv->clients_refused + 1);
			status = NFS4ERR_DELAY;
			goto out_unlock;
		}
	}
	if (dfs_client_hash_locked(new)) {			/* case 1 */
		status = NFS4ERR_DELAY;
		goto out_unlock;
	}
	if (unconf)
		dfs_client_unhash_locked(unconf, &reap);	/* case 4 */
	if (collided)
		dfs_client_unhash_locked(collided, &reap);
	if (victim)
		dfs_client_unhash_locked(victim, &evicted);
	dfs_exchange_id_fill(new, res);
	dfs_reaper_due_within(srv, 2 * (time64_t)new->lease);
	new = NULL;
	status = NFS4_OK;

out_unlock:
	spin_unlock(&srv->lock);
	dfs_reap_finish(srv, &reap, DFS_DESTROY_CLIENT_REPLACED);
	dfs_reap_finish(srv, &evicted, DFS_DESTROY_UNCONFIRMED);
	if (new)
		dfs_client_free_unused(new);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_exchange_id);

/**
 * dfs_destroy_clientid() - DESTROY_CLIENTID (RFC 8881, section 18.50)
 * @srv: the server
 * @clientid: the client
 *
 * Return: NFS4_OK; NFS4ERR_STALE_CLIENTID for an unknown id;
 * NFS4ERR_CLIENTID_BUSY while the client has sessions, opens or locks.
 */
enum nfsstat4 dfs_destroy_clientid(struct dfs_server *srv, u64 clientid)
{
	struct dfs_client *clp;
	enum nfsstat4 status;
	struct dfs_reap reap;

	dfs_reap_init(&reap);
	spin_lock(&srv->lock);
	clp = dfs_client_find_locked(srv, clientid);
	if (!clp) {
		status = NFS4ERR_STALE_CLIENTID;
	} else if (clp->nr_sessions || dfs_stateids_busy(&clp->stateids)) {
		status = NFS4ERR_CLIENTID_BUSY;
	} else {
		dfs_client_unhash_locked(clp, &reap);
		status = NFS4_OK;
	}
	spin_unlock(&srv->lock);
	dfs_reap_finish(srv, &reap, DFS_DESTROY_CLIENT);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_destroy_clientid);

/**
 * dfs_client_evict() - an administrator expires a client now
 * @srv: the server
 * @clientid: the client
 *
 * Its sessions are destroyed whatever runs on them; requests in flight
 * finish and their client's next SEQUENCE gets NFS4ERR_BADSESSION.
 *
 * Return: 0, or -ENOENT when there is no such client.
 */
int dfs_client_evict(struct dfs_server *srv, u64 clientid)
{
	struct dfs_client *clp;
	struct dfs_reap reap;

	dfs_reap_init(&reap);
	spin_lock(&srv->lock);
	clp = dfs_client_find_locked(srv, clientid);
	if (clp)
		dfs_client_unhash_locked(clp, &reap);
	spin_unlock(&srv->lock);
	dfs_reap_finish(srv, &reap, DFS_DESTROY_ADMIN);
	return clp ? 0 : -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_evict);

/**
 * dfs_client_next() - the next client for a dump
 * @srv: the server
 * @cursor: start at 0; advanced past the client returned
 * @info: filled in
 *
 * Clients come in id order; each is copied under the lock, so a client
 * destroyed meanwhile is either reported whole or not at all.
 *
 * Return: 0, or -ENOENT when there are no more clients.
 */
int dfs_client_next(struct dfs_server *srv, unsigned long *cursor,
		    struct dfs_client_info *info)
{
	struct dfs_client *clp;
	unsigned long idx = *cursor;
	time64_t expiry;

	spin_lock(&srv->lock);
	clp = xa_find(&srv->clients, &idx, ULONG_MAX, XA_PRESENT);
	if (!clp) {
		spin_unlock(&srv->lock);
		return -ENOENT;
	}
	info->clientid = clp->id;
	info->confirmed = clp->state == DFS_CLIENT_CONFIRMED;
	info->lease = clp->lease;
	expiry = READ_ONCE(clp->renewed) +
		 (info->confirmed ? clp->lease : 2 * (time64_t)clp->lease);
	info->lease_left = expiry - dfs_clock_now();
	info->nr_sessions = clp->nr_sessions;
	info->principal = clp->principal;
	info->addr = clp->addr;
	info->owner_len = clp->owner_len;
	memcpy(info->owner, clp->owner, clp->owner_len);
	spin_unlock(&srv->lock);
	*cursor = idx + 1;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_next);

/**
 * dfs_client_reclaim_complete() - a global RECLAIM_COMPLETE (RFC 8881, 18.51)
 * @clp: the client, referenced by the caller's session
 *
 * Return: NFS4_OK the first time, NFS4ERR_COMPLETE_ALREADY after that.
 */
enum nfsstat4 dfs_client_reclaim_complete(struct dfs_client *clp)
{
	enum nfsstat4 status = NFS4_OK;

	spin_lock(&clp->srv->lock);
	if (clp->reclaim_complete)
		status = NFS4ERR_COMPLETE_ALREADY;
	clp->reclaim_complete = true;
	spin_unlock(&clp->srv->lock);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_client_reclaim_complete);

/**
 * dfs_client_init() - draw this module load's boot verifier and owner
 *	hash key
 *
 * Return: 0.
 */
int dfs_client_init(void)
{
	do {
		dfs_boot_verf = get_random_u32();
	} while (!dfs_boot_verf);
	get_random_bytes(&dfs_owner_key, sizeof(dfs_owner_key));
	return 0;
}
