// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions.
 *
 * A session is created by CREATE_SESSION, found by SEQUENCE through an
 * RCU hash lookup (no server-wide lock on that path), and destroyed by
 * DESTROY_SESSION, an administrator, the reaper or unload.  Destruction
 * unhashes it under dfs_server.lock and closes its fore slot table (so
 * no new request starts on it); the teardown after the lock unbinds its
 * connections and drops the hash table's reference.  Requests in flight
 * keep their references and finish; the last reference frees the slot
 * tables, and the memory after an RCU grace period.
 *
 * Session ids are 8 random bytes followed by a module-wide counter
 * whitened with a random key: unpredictable, and unique for the module's
 * lifetime.
 */
#include <linux/hash.h>
#include <linux/lockdep.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "client.h"
#include "events.h"
#include "limits.h"
#include "metrics.h"
#include "session.h"
#include "slot.h"
#include "state.h"

static atomic64_t dfs_sessionid_ctr;
static u64 dfs_sessionid_key;

static u64 dfs_sessionid_hash(const struct dfs_sessionid *sid)
{
	return get_unaligned((const u64 *)sid->data);
}

static void dfs_sessionid_new(struct dfs_sessionid *sid)
{
	u64 n = atomic64_inc_return(&dfs_sessionid_ctr) ^ dfs_sessionid_key;

	get_random_bytes(sid->data, 8);
	put_unaligned_be64(n, sid->data + 8);
}

/* The one place a session changes state; see the table in session.h. */
static void dfs_session_set_state(struct dfs_session *sess,
				  enum dfs_session_state new)
{
	lockdep_assert_held(&sess->srv->lock);
	WARN_ON_ONCE(sess->state != DFS_SESSION_ACTIVE ||
		     new != DFS_SESSION_DEAD);
	WRITE_ONCE(sess->state, new);
}

/* What a session structure costs the budget. */
static size_t dfs_session_cost(void)
{
	return kmalloc_size_roundup(sizeof(struct dfs_session));
}

/* A binding is charged to its session's client, at its slab size. */
static size_t dfs_binding_cost(void)
{
	return kmalloc_size_roundup(sizeof(struct dfs_conn_binding));
}

static void dfs_session_release(struct kref *ref)
{
	struct dfs_session *sess = container_of(ref, struct dfs_session, ref);

	dfs_slot_table_free(sess->fore_tbl);
	dfs_slot_table_free(sess->back_tbl);
	dfs_acct_uncharge(sess->acct, dfs_session_cost());
	dfs_budget_acct_put(sess->acct);
	dfs_client_put(sess->clp);
	kfree_rcu(sess, rcu);
}

/**
 * dfs_session_put() - drop a reference to a session
 * @sess: the session, or NULL
 */
void dfs_session_put(struct dfs_session *sess)
{
	if (sess)
		kref_put(&sess->ref, dfs_session_release);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_session_put);

/**
 * dfs_session_lookup() - find a live session and reference it
 * @srv: the server
 * @sid: its id
 *
 * Lockless: RCU and kref_get_unless_zero().
 *
 * Return: the session (release with dfs_session_put()) or NULL.
 */
struct dfs_session *dfs_session_lookup(struct dfs_server *srv,
				       const struct dfs_sessionid *sid)
{
	struct dfs_session *sess, *found = NULL;

	rcu_read_lock();
	hash_for_each_possible_rcu(srv->session_hash, sess, hash_node,
				   dfs_sessionid_hash(sid)) {
		if (memcmp(&sess->id, sid, sizeof(*sid)))
			continue;
		if (kref_get_unless_zero(&sess->ref))
			found = sess;
		break;
	}
	rcu_read_unlock();

	if (found && READ_ONCE(found->state) != DFS_SESSION_ACTIVE) {
		dfs_session_put(found);
		found = NULL;
	}
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_session_lookup);

static struct dfs_session *dfs_session_find_locked(struct dfs_server *srv,
						   const struct dfs_sessionid *sid)
{
	struct dfs_session *sess;

	lockdep_assert_held(&srv->lock);

	hash_for_each_possible(srv->session_hash, sess, hash_node,
			       dfs_sessionid_hash(sid))
		if (!memcmp(&sess->id, sid, sizeof(*sid)))
			return sess;
	return NULL;
}

/* Counts follow the direction bits; conn_lock held. */
static void dfs_binding_set_dir(struct dfs_session *sess,
				struct dfs_conn_binding *b, u32 dir)
{
	lockdep_assert_held(&sess->conn_lock);

	if ((b->dir & NFS4_CDFS4_FORE) && !(dir & NFS4_CDFS4_FORE))
		sess->nr_fore_conns--;
	if (!(b->dir & NFS4_CDFS4_FORE) && (dir & NFS4_CDFS4_FORE))
		sess->nr_fore_conns++;
	if ((b->dir & NFS4_CDFS4_BACK) && !(dir & NFS4_CDFS4_BACK))
		sess->nr_back_conns--;
	if (!(b->dir & NFS4_CDFS4_BACK) && (dir & NFS4_CDFS4_BACK)) {
		sess->nr_back_conns++;
		sess->back_wanted = true;
	}
	b->dir = dir;
}

static struct dfs_conn_binding *dfs_binding_find(struct dfs_session *sess,
						 void *conn)
{
	struct dfs_conn_binding *b;

	lockdep_assert_held(&sess->conn_lock);

	list_for_each_entry(b, &sess->conns, sess_node)
		if (b->conn == conn)
			return b;
	return NULL;
}

/*
 * Bind @conn to @dir of @sess, adding to the directions it has.  @pre, if
 * given, is a binding allocated beforehand; it is consumed or freed.  A
 * new binding is charged to the session's client (never refused: a
 * client's own connections must stay usable, DESTROY_SESSION needs them
 * bound); -ENOSPC past %DFS_MAX_SESSION_CONNS.
 */
static int dfs_session_bind(struct dfs_session *sess, void *conn,
			    const struct dfs_conn_ops *ops, u32 dir,
			    struct dfs_conn_binding *pre)
{
	struct dfs_server *srv = sess->srv;
	struct dfs_conn_binding *b;
	int err = 0;

	/* The common case on SEQUENCE: already bound, only the session lock. */
	spin_lock(&sess->conn_lock);
	b = dfs_binding_find(sess, conn);
	if (b && (b->dir & dir) == dir) {
		spin_unlock(&sess->conn_lock);
		kfree(pre);
		return 0;
	}
	spin_unlock(&sess->conn_lock);

	if (!pre) {
		pre = kzalloc(sizeof(*pre), GFP_KERNEL);
		if (!pre)
			return -ENOMEM;
	}

	spin_lock(&srv->conn_lock);
	spin_lock(&sess->conn_lock);
	if (sess->conns_closed) {
		err = -ENOENT;
		goto out_unlock;
	}
	b = dfs_binding_find(sess, conn);
	if (!b) {
		if (sess->nr_conns >= DFS_MAX_SESSION_CONNS) {
			err = -ENOSPC;
			goto out_unlock;
		}
		dfs_acct_charge_force(sess->acct, dfs_binding_cost());
		sess->nr_conns++;
		b = pre;
		pre = NULL;
		b->conn = conn;
		b->ops = ops;
		b->sess = sess;
		list_add_tail(&b->sess_node, &sess->conns);
		hash_add(srv->conn_hash, &b->hash_node, (unsigned long)conn);
	}
	dfs_binding_set_dir(sess, b, b->dir | dir);
out_unlock:
	spin_unlock(&sess->conn_lock);
	spin_unlock(&srv->conn_lock);
	kfree(pre);
	return err;
}

/* Remove every binding of a dying session and tell the wire layer. */
static void dfs_session_unbind_all(struct dfs_session *sess)
{
	struct dfs_server *srv = sess->srv;
	struct dfs_conn_binding *b, *tmp;
	LIST_HEAD(gone);

	spin_lock(&srv->conn_lock);
	spin_lock(&sess->conn_lock);
	sess->conns_closed = true;
	list_for_each_entry_safe(b, tmp, &sess->conns, sess_node) {
		dfs_binding_set_dir(sess, b, 0);
		hash_del(&b->hash_node);
		list_move_tail(&b->sess_node, &gone);
		sess->nr_conns--;
		dfs_acct_uncharge(sess->acct, dfs_binding_cost());
	}
	spin_unlock(&sess->conn_lock);
	spin_unlock(&srv->conn_lock);

	list_for_each_entry_safe(b, tmp, &gone, sess_node) {
		if (b->ops && b->ops->unbind)
			b->ops->unbind(b->conn, &sess->id);
		kfree(b);
	}
}

/**
 * dfs_conn_close() - a connection went away: drop all its bindings
 * @srv: the server
 * @conn: the connection cookie
 *
 * The unbind callback is not called: the caller knows.
 */
void dfs_conn_close(struct dfs_server *srv, void *conn)
{
	struct dfs_conn_binding *b;
	struct hlist_node *tmp;
	LIST_HEAD(gone);

	spin_lock(&srv->conn_lock);
	hash_for_each_possible_safe(srv->conn_hash, b, tmp, hash_node,
				    (unsigned long)conn) {
		if (b->conn != conn)
			continue;
		spin_lock(&b->sess->conn_lock);
		dfs_binding_set_dir(b->sess, b, 0);
		list_del(&b->sess_node);
		b->sess->nr_conns--;
		spin_unlock(&b->sess->conn_lock);
		/* The session may go once unlinked: its account, not later. */
		dfs_acct_uncharge(b->sess->acct, dfs_binding_cost());
		hash_del(&b->hash_node);
		list_add_tail(&b->sess_node, &gone);
	}
	spin_unlock(&srv->conn_lock);

	while (!list_empty(&gone)) {
		b = list_first_entry(&gone, struct dfs_conn_binding, sess_node);
		list_del(&b->sess_node);
		kfree(b);
	}
}
EXPORT_SYMBOL_IF_KUNIT(dfs_conn_close);

/**
 * dfs_bind_conn_to_session() - BIND_CONN_TO_SESSION (RFC 8881, 18.34)
 * @srv: the server
 * @sid: bctsa_sessid
 * @conn: the connection the request came on
 * @ops: callbacks for @conn
 * @dir: bctsa_dir (NFS4_CDFC4_*)
 * @granted: bctsr_dir (NFS4_CDFS4_*), set on NFS4_OK
 *
 * The *_OR_BOTH directions are granted as both: every session has a back
 * channel.  On a connection already bound, FORE or BACK must be what it
 * has, and FORE_OR_BOTH (BACK_OR_BOTH) needs it to have the fore (back)
 * channel and adds the other one: that is how a client whose first
 * SEQUENCE on a new connection bound it to the fore channel gets its
 * back channel there.  Anything else would take a direction away:
 * NFS4ERR_INVAL (RFC 8881, 18.34.3).
 *
 * Return: NFS4_OK, NFS4ERR_BADSESSION, NFS4ERR_INVAL for an unknown
 * direction or one a bound connection cannot change to, NFS4ERR_DELAY
 * when memory is short or the session has %DFS_MAX_SESSION_CONNS bound.
 */
enum nfsstat4 dfs_bind_conn_to_session(struct dfs_server *srv,
				       const struct dfs_sessionid *sid,
				       void *conn,
				       const struct dfs_conn_ops *ops,
				       u32 dir, u32 *granted)
{
	struct dfs_conn_binding *b;
	struct dfs_session *sess;
	u32 want, have;
	int err;

	switch (dir) {
	case NFS4_CDFC4_FORE:
		want = NFS4_CDFS4_FORE;
		break;
	case NFS4_CDFC4_BACK:
		want = NFS4_CDFS4_BACK;
		break;
	case NFS4_CDFC4_FORE_OR_BOTH:
	case NFS4_CDFC4_BACK_OR_BOTH:
		want = NFS4_CDFS4_BOTH;
		break;
	default:
		return NFS4ERR_INVAL;
	}

	sess = dfs_session_lookup(srv, sid);
	if (!sess)
		return NFS4ERR_BADSESSION;
	spin_lock(&sess->conn_lock);
	b = dfs_binding_find(sess, conn);
	have = b ? b->dir : 0;
	spin_unlock(&sess->conn_lock);
	if (have && (dir == NFS4_CDFC4_FORE_OR_BOTH ? !(have & NFS4_CDFS4_FORE) :
		     dir == NFS4_CDFC4_BACK_OR_BOTH ? !(have & NFS4_CDFS4_BACK) :
		     have != want)) {
		dfs_session_put(sess);
		return NFS4ERR_INVAL;
	}
	err = dfs_session_bind(sess, conn, ops, want, NULL);
	dfs_session_put(sess);
	if (err == -ENOMEM || err == -ENOSPC)
		return NFS4ERR_DELAY;
	if (err)
		return NFS4ERR_BADSESSION;
	*granted = want;
	return NFS4_OK;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_bind_conn_to_session);

/**
 * dfs_session_unhash_locked() - take a session out of every index
 * @sess: the session
 * @reap: a private list it moves to (by its client_node); tear it down
 *	with dfs_session_finish() after dropping the lock
 *
 * Its slot table is closed: a request that already found the session
 * gets NFS4ERR_BADSESSION from its slot.
 */
void dfs_session_unhash_locked(struct dfs_session *sess,
			       struct list_head *reap)
{
	struct dfs_server *srv = sess->srv;

	lockdep_assert_held(&srv->lock);

	dfs_slot_table_close(sess->fore_tbl, U32_MAX);
	dfs_session_set_state(sess, DFS_SESSION_DEAD);
	hash_del_rcu(&sess->hash_node);
	list_move_tail(&sess->client_node, reap);
	sess->clp->nr_sessions--;
	srv->generation++;
}

/**
 * dfs_session_finish() - tear down an unhashed session
 * @sess: the session, off every index
 * @why: the reason, for the metrics
 *
 * Unbinds its connections, records its lifetime and drops the index's
 * reference.  No locks held.
 */
void dfs_session_finish(struct dfs_session *sess, enum dfs_destroy_reason why)
{
	struct dfs_server *srv = sess->srv;

	dfs_session_unbind_all(sess);
	dfs_metrics_session_destroyed(srv, why, dfs_clock_now() - sess->created);
	dfs_event_session_destroyed(sess, why);
	dfs_session_put(sess);
}

static bool dfs_cb_sec_ok(const u32 *flavors, u32 nr)
{
	u32 i;

	if (!nr)
		return true;
	for (i = 0; i < nr; i++)
		if (flavors[i] == DFS_AUTH_NONE || flavors[i] == DFS_AUTH_SYS)
			return true;
	return false;
}

static void dfs_session_free_unused(struct dfs_session *sess)
{
	if (!sess)
		return;
	dfs_slot_table_free(sess->fore_tbl);
	dfs_slot_table_free(sess->back_tbl);
	dfs_acct_uncharge(sess->acct, dfs_session_cost());
	dfs_budget_acct_put(sess->acct);
	kfree(sess);
}

/* Fore slots: as many as granted, halved while the budget refuses. */
static struct dfs_slot_table *dfs_fore_table_alloc(struct dfs_budget_acct *acct,
						   struct dfs_channel_attrs *fore)
{
	struct dfs_slot_table *tbl;

	for (;;) {
		tbl = dfs_slot_table_alloc(fore, acct);
		if (!IS_ERR(tbl) || PTR_ERR(tbl) != -ENOSPC ||
		    fore->maxrequests == 1)
			return tbl;
		fore->maxrequests /= 2;
	}
}

/*
 * CREATE_SESSION's arguments on their own: flags, callback security and
 * channel attributes, negotiated into @res.  An error here is answered
 * before the client and csa_sequence are looked at, so it is never cached
 * and never consumes the sequence (as knfsd does).
 */
static enum nfsstat4
dfs_create_session_check(const struct dfs_create_session_args *a,
			 struct dfs_create_session_res *res)
{
	struct dfs_limits lim;
	enum nfsstat4 status;

	memset(res, 0, sizeof(*res));
	if (a->flags & ~SESSION4_FLAG_MASK_A)
		return NFS4ERR_INVAL;
	/*
	 * No RPCSEC_GSS context exists here, so a GSS-only list names
	 * handles the server does not have: NFS4ERR_NOENT, as RFC 8881
	 * 18.33.3 says for the same csa_sec_parms in BACKCHANNEL_CTL.
	 */
	if (!dfs_cb_sec_ok(a->cb_flavors, a->nr_cb_flavors))
		return NFS4ERR_NOENT;
	dfs_limits_get(&lim);
	status = dfs_negotiate_fore(&lim, &a->fore, &res->fore);
	if (status)
		return status;
	return dfs_negotiate_back(&lim, &a->back, &res->back);
}

/**
 * dfs_create_session_prepare() - the part of CREATE_SESSION done unlocked
 * @srv: the server
 * @acct: the client's budget account, charged for what is allocated
 * @a: the request, already found to be a new one of a live client
 * @res: the result, its channels already negotiated; the fore channel's
 *	slots are lowered while the budget refuses them
 * @out: set to the new session, not yet hashed, on NFS4_OK
 *
 * Allocates the session and its slot tables.  Static outside KUnit,
 * whose static stub counts the calls.
 *
 * Return: NFS4_OK with *@out set, or NFS4ERR_DELAY (never cached).
 */
VISIBLE_IF_KUNIT enum nfsstat4
dfs_create_session_prepare(struct dfs_server *srv,
			   struct dfs_budget_acct *acct,
			   const struct dfs_create_session_args *a,
			   struct dfs_create_session_res *res,
			   struct dfs_session **out)
{
	struct dfs_session *sess;

	KUNIT_STATIC_STUB_REDIRECT(dfs_create_session_prepare, srv, acct, a,
				   res, out);
	*out = NULL;
	if (!dfs_acct_charge(acct, dfs_session_cost(), 0))
		return NFS4ERR_DELAY;
	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess) {
		dfs_acct_uncharge(acct, dfs_session_cost());
		return NFS4ERR_DELAY;
	}
	refcount_inc(&acct->ref);
	sess->acct = acct;
	kref_init(&sess->ref);
	INIT_HLIST_NODE(&sess->hash_node);
	INIT_LIST_HEAD(&sess->client_node);
	sess->srv = srv;
	sess->state = DFS_SESSION_ACTIVE;
	spin_lock_init(&sess->conn_lock);
	INIT_LIST_HEAD(&sess->conns);
	sess->cb_program = a->cb_program;

	sess->fore_tbl = dfs_fore_table_alloc(acct, &res->fore);
	if (IS_ERR(sess->fore_tbl)) {
		sess->fore_tbl = NULL;
		goto err_free;
	}
	sess->back_tbl = dfs_slot_table_alloc(&res->back, acct);
	if (IS_ERR(sess->back_tbl)) {
		sess->back_tbl = NULL;
		goto err_free;
	}

	/* Never persistent, never RDMA; a back channel only on a connection. */
	res->flags = a->conn ? a->flags & SESSION4_BACK_CHAN : 0;
	sess->flags = res->flags;
	dfs_sessionid_new(&sess->id);
	res->sessionid = sess->id;
	res->sequence = a->sequence;
	*out = sess;
	return NFS4_OK;

err_free:
	dfs_session_free_unused(sess);
	return NFS4ERR_DELAY;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_create_session_prepare);

static void dfs_session_hash_locked(struct dfs_session *sess,
				    struct dfs_client *clp)
{
	struct dfs_server *srv = clp->srv;

	lockdep_assert_held(&srv->lock);

	dfs_client_get(clp);
	sess->clp = clp;
	sess->seq = ++srv->session_seq;
	sess->created = dfs_clock_now();
	list_add_tail(&sess->client_node, &clp->sessions);
	clp->nr_sessions++;
	hash_add_rcu(srv->session_hash, &sess->hash_node,
		     dfs_sessionid_hash(&sess->id));
	srv->generation++;
	dfs_metrics_session_created(srv);
	dfs_event_session_created(sess);
}

/*
 * CREATE_SESSION's client and csa_sequence: the client when the request is
 * a new one; else NULL with *@status the answer (and *@res on a replay).
 */
static struct dfs_client *
dfs_create_session_answer_locked(struct dfs_server *srv,
				 const struct dfs_create_session_args *args,
				 struct dfs_create_session_res *res,
				 enum nfsstat4 *status)
{
	struct dfs_client *clp;

	lockdep_assert_held(&srv->lock);
	clp = srv->dying ? NULL : dfs_client_find_locked(srv, args->clientid);
	if (!clp) {
		*status = NFS4ERR_STALE_CLIENTID;
		return NULL;
	}
	if (clp->state == DFS_CLIENT_UNCONFIRMED &&
	    !dfs_principal_eq(&clp->principal, &args->principal)) {
		*status = NFS4ERR_CLID_INUSE;
		return NULL;
	}
	if (args->sequence == clp->cs_seq && clp->cs_cached) {
		*res = clp->cs_res;				/* replay */
		*status = clp->cs_status;
		return NULL;
	}
	if (args->sequence != clp->cs_seq + 1) {
		*status = NFS4ERR_SEQ_MISORDERED;
		return NULL;
	}
	return clp;
}

/**
 * dfs_create_session() - CREATE_SESSION (RFC 8881, section 18.36)
 * @srv: the server
 * @args: the request
 * @res: the result, set on NFS4_OK
 *
 * The arguments are checked first: an error in them (flags, callback
 * security, channel attributes) is answered at once, cached nowhere, and
 * leaves csa_sequence unused.  Then csa_sequence against the client's
 * CREATE_SESSION slot: last + 1 is a new request, whose result
 * (NFS4ERR_DELAY excepted) is cached, and the only kind that allocates
 * anything; equal to the last is a replay answered from that cache, never
 * creating a second session; anything else is NFS4ERR_SEQ_MISORDERED.
 * The first success confirms the client (and replaces an earlier
 * confirmed incarnation).
 *
 * Return: NFS4_OK; NFS4ERR_STALE_CLIENTID; NFS4ERR_CLID_INUSE (another
 * principal on an unconfirmed client); NFS4ERR_SEQ_MISORDERED;
 * NFS4ERR_INVAL (unknown flags); NFS4ERR_NOENT (no usable callback
 * flavor: only RPCSEC_GSS handles); NFS4ERR_TOOSMALL; NFS4ERR_NOSPC (the
 * per-client cap); NFS4ERR_DELAY (memory or budget short); or a cached status on replay.
 */
enum nfsstat4 dfs_create_session(struct dfs_server *srv,
				 const struct dfs_create_session_args *args,
				 struct dfs_create_session_res *res)
{
	struct dfs_create_session_res new_res;
	struct dfs_conn_binding *bind = NULL;
	struct dfs_session *sess, *created = NULL;
	struct dfs_budget_acct *acct;
	struct dfs_client *clp;
	enum nfsstat4 pending, status;
	struct dfs_limits lim;
	struct dfs_reap reap;

	status = dfs_create_session_check(args, &new_res);
	if (status)
		return status;

	/* A stale, foreign, replayed or misordered request allocates nothing. */
	spin_lock(&srv->lock);
	clp = dfs_create_session_answer_locked(srv, args, res, &status);
	if (clp) {
		acct = clp->acct;
		refcount_inc(&acct->ref);
	}
	spin_unlock(&srv->lock);
	if (!clp)
		return status;

	pending = dfs_create_session_prepare(srv, acct, args, &new_res, &sess);
	dfs_budget_acct_put(acct);
	if (sess && args->conn) {
		bind = kzalloc(sizeof(*bind), GFP_KERNEL);
		if (!bind)
			pending = NFS4ERR_DELAY;
	}
	dfs_limits_get(&lim);
	dfs_reap_init(&reap);

	/*
	 * Again: meanwhile the client may have gone, or a copy of this
	 * request may have been answered (then this one is its replay).
	 */
	spin_lock(&srv->lock);
	clp = dfs_create_session_answer_locked(srv, args, res, &status);
	if (!clp)
		goto out_unlock;
	status = pending;
	if (status == NFS4ERR_DELAY)
		goto out_unlock;			/* never cached */
	if (status == NFS4_OK && clp->nr_sessions >= lim.sessions_per_client)
		status = NFS4ERR_NOSPC;
	if (status == NFS4_OK) {
		if (clp->state == DFS_CLIENT_UNCONFIRMED)
			dfs_client_confirm_locked(clp, &reap);
		dfs_session_hash_locked(sess, clp);
		created = sess;
		kref_get(&created->ref);
		sess = NULL;
		*res = new_res;
	}
	clp->cs_seq = args->sequence;
	clp->cs_status = status;
	clp->cs_res = status == NFS4_OK ? new_res : (struct dfs_create_session_res){};
	clp->cs_cached = true;

out_unlock:
	spin_unlock(&srv->lock);
	dfs_reap_finish(srv, &reap, DFS_DESTROY_CLIENT_REPLACED);
	dfs_session_free_unused(sess);
	if (created) {
		u32 dir = NFS4_CDFS4_FORE;

		if (created->flags & SESSION4_BACK_CHAN)
			dir |= NFS4_CDFS4_BACK;
		if (bind)
			dfs_session_bind(created, args->conn, args->conn_ops,
					 dir, bind);
		bind = NULL;
		dfs_session_put(created);
	}
	kfree(bind);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_create_session);

/**
 * dfs_sequence() - SEQUENCE (RFC 8881, section 18.46), the state part
 * @srv: the server
 * @args: the request
 * @res: the result
 *
 * On NFS4_OK either @res->replay is set (send it, then dfs_reply_put();
 * nothing is held) or @res->sess holds the session and @res->slotid the
 * slot, released by dfs_sequence_done() on every path.  A failing
 * SEQUENCE changes neither the slot nor the lease; a successful one
 * renews the lease and binds the connection to the fore channel.
 *
 * Return: NFS4_OK or the error of SEQUENCE (see dfs_slot_acquire()).
 */
enum nfsstat4 dfs_sequence(struct dfs_server *srv,
			   const struct dfs_seq_args *args,
			   struct dfs_seq_res *res)
{
	struct dfs_session *sess;
	enum nfsstat4 status;
	u32 old_target;
	bool path_down;

	memset(res, 0, sizeof(*res));
	sess = dfs_session_lookup(srv, &args->sessionid);
	if (!sess) {
		status = NFS4ERR_BADSESSION;
		goto out;
	}
	res->highest_slotid = sess->fore_tbl->nr - 1;

	status = dfs_slot_acquire(sess->fore_tbl, &args->slot, &res->replay);
	if (status) {
		res->target_highest_slotid = sess->fore_tbl->nr - 1;
		dfs_session_put(sess);
		goto out;
	}
	res->target_highest_slotid =
		dfs_slot_target(sess->fore_tbl, dfs_clock_now(),
				dfs_budget_contended(&srv->budget), &old_target);
	if (res->target_highest_slotid != old_target)
		dfs_event_slot_target(sess, old_target,
				      res->target_highest_slotid);

	dfs_client_renew(sess->clp);
	if (args->conn)
		dfs_session_bind(sess, args->conn, args->conn_ops,
				 NFS4_CDFS4_FORE, NULL);
	spin_lock(&sess->conn_lock);
	path_down = sess->back_wanted && !sess->nr_back_conns;
	spin_unlock(&sess->conn_lock);
	if (path_down)
		res->status_flags |= SEQ4_STATUS_CB_PATH_DOWN_SESSION;

	if (res->replay) {
		dfs_session_put(sess);
	} else {
		res->sess = sess;
		res->slotid = args->slot.slotid;
	}
out:
	dfs_metrics_seq(srv, status, res->replay);
	dfs_event_sequence(&args->sessionid, &args->slot, status, res->replay);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_sequence);

/**
 * dfs_sequence_done() - the COMPOUND finished: cache and release the slot
 * @res: what dfs_sequence() returned with a held slot
 * @reply: the whole reply as sent, or NULL if none was sent
 * @len: bytes in @reply
 *
 * Releases the slot and the session reference on every path.
 *
 * Return: see dfs_slot_complete().
 */
enum nfsstat4 dfs_sequence_done(struct dfs_seq_res *res,
				const void *reply, u32 len)
{
	return dfs_sequence_done_fill(res, len,
				      reply ? dfs_reply_fill_flat : NULL,
				      (void *)reply);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_sequence_done);

/**
 * dfs_sequence_done_fill() - dfs_sequence_done(), the reply copied once
 * @res: what dfs_sequence() returned with a held slot
 * @len: bytes in the reply
 * @fill: copies the reply into the cache (see dfs_slot_complete_fill()),
 *	or NULL if none was sent
 * @ctx: for @fill
 *
 * Return: see dfs_slot_complete_fill().
 */
enum nfsstat4 dfs_sequence_done_fill(struct dfs_seq_res *res, u32 len,
				     dfs_reply_fill_t fill, void *ctx)
{
	enum nfsstat4 status;

	if (WARN_ON_ONCE(!res->sess))
		return NFS4ERR_SERVERFAULT;
	status = dfs_slot_complete_fill(res->sess->fore_tbl, res->slotid, len,
					fill, ctx);
	dfs_session_put(res->sess);
	res->sess = NULL;
	return status;
}

static int dfs_session_destroy(struct dfs_server *srv,
			       const struct dfs_sessionid *sid,
			       u32 allowed, enum dfs_destroy_reason why)
{
	struct dfs_session *sess;
	struct dfs_reap reap;

	dfs_reap_init(&reap);
	spin_lock(&srv->lock);
	sess = dfs_session_find_locked(srv, sid);
	if (!sess) {
		spin_unlock(&srv->lock);
		return -ENOENT;
	}
	if (!dfs_slot_table_close(sess->fore_tbl, allowed)) {
		spin_unlock(&srv->lock);
		return -EBUSY;
	}
	dfs_session_unhash_locked(sess, &reap.sessions);
	spin_unlock(&srv->lock);
	dfs_reap_finish(srv, &reap, why);
	return 0;
}

/**
 * dfs_destroy_session() - DESTROY_SESSION (RFC 8881, section 18.37)
 * @srv: the server
 * @sid: dsa_sessionid
 * @cur: the session of this COMPOUND's SEQUENCE (whose own slot does not
 *	count as a request in flight), or NULL
 *
 * Return: NFS4_OK, NFS4ERR_BADSESSION, or NFS4ERR_DELAY while other
 * requests execute on the session.
 */
enum nfsstat4 dfs_destroy_session(struct dfs_server *srv,
				  const struct dfs_sessionid *sid,
				  struct dfs_session *cur)
{
	u32 allowed = cur && !memcmp(&cur->id, sid, sizeof(*sid)) ? 1 : 0;

	switch (dfs_session_destroy(srv, sid, allowed, DFS_DESTROY_CLIENT)) {
	case 0:
		return NFS4_OK;
	case -EBUSY:
		return NFS4ERR_DELAY;
	default:
		return NFS4ERR_BADSESSION;
	}
}
EXPORT_SYMBOL_IF_KUNIT(dfs_destroy_session);

/**
 * dfs_session_conn_check() - is a connection bound to a session?
 * @srv: the server
 * @sid: the session
 * @conn: the connection cookie
 *
 * DESTROY_SESSION of a session other than its COMPOUND's own must come on
 * a connection bound to that session (RFC 8881, 18.37.3).
 *
 * Return: NFS4_OK; NFS4ERR_BADSESSION when there is no such session;
 * NFS4ERR_CONN_NOT_BOUND_TO_SESSION.
 */
enum nfsstat4 dfs_session_conn_check(struct dfs_server *srv,
				     const struct dfs_sessionid *sid,
				     void *conn)
{
	struct dfs_session *sess;
	bool bound;

	sess = dfs_session_lookup(srv, sid);
	if (!sess)
		return NFS4ERR_BADSESSION;
	spin_lock(&sess->conn_lock);
	bound = dfs_binding_find(sess, conn);
	spin_unlock(&sess->conn_lock);
	dfs_session_put(sess);
	return bound ? NFS4_OK : NFS4ERR_CONN_NOT_BOUND_TO_SESSION;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_session_conn_check);

/**
 * dfs_session_force_destroy() - an administrator destroys a session
 * @srv: the server
 * @sid: the session
 *
 * Requests in flight finish; memory goes with the last of them.
 *
 * Return: 0 or -ENOENT.
 */
int dfs_session_force_destroy(struct dfs_server *srv,
			      const struct dfs_sessionid *sid)
{
	return dfs_session_destroy(srv, sid, U32_MAX, DFS_DESTROY_ADMIN);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_session_force_destroy);

/**
 * dfs_session_next() - the next session of a client, for a dump
 * @srv: the server
 * @clientid: the client
 * @cursor: start at 0; advanced past the session returned
 * @info: filled in
 *
 * Return: 0; -ENOENT when there are no more sessions; -ESRCH when there
 * is no such client.
 */
int dfs_session_next(struct dfs_server *srv, u64 clientid, u64 *cursor,
		     struct dfs_session_info *info)
{
	struct dfs_session *sess;
	struct dfs_client *clp;
	int err = -ENOENT;

	spin_lock(&srv->lock);
	clp = dfs_client_find_locked(srv, clientid);
	if (!clp) {
		err = -ESRCH;
		goto out_unlock;
	}
	list_for_each_entry(sess, &clp->sessions, client_node) {
		if (sess->seq <= *cursor)
			continue;
		info->id = sess->id;
		info->clientid = clientid;
		info->age = dfs_clock_now() - sess->created;
		info->flags = sess->flags;
		info->fore = sess->fore_tbl->attrs;
		info->back = sess->back_tbl->attrs;
		dfs_slot_stats(sess->fore_tbl, &info->fore_stats);
		info->nr_fore_conns = READ_ONCE(sess->nr_fore_conns);
		info->nr_back_conns = READ_ONCE(sess->nr_back_conns);
		*cursor = sess->seq;
		err = 0;
		break;
	}
out_unlock:
	spin_unlock(&srv->lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_session_next);

/**
 * dfs_session_init() - pick the key that whitens session id counters
 *
 * Return: 0.
 */
int dfs_session_init(void)
{
	dfs_sessionid_key = get_random_u64();
	atomic64_set(&dfs_sessionid_ctr, 0);
	return 0;
}
