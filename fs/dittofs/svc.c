// SPDX-License-Identifier: GPL-2.0
/*
 * The DittoFS sunrpc service.
 *
 * One pooled svc_serv with TCP listeners on the module parameter "port"
 * (every address, or the one in "listen"), "threads" kernel threads, and
 * a single hidden program version, so nothing is registered with rpcbind.
 * Authentication accepts AUTH_NONE and AUTH_SYS as they come: there is no
 * export cache and so no rpc.mountd upcall.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sunrpc/addr.h>
#include <linux/sunrpc/svc.h>
#include <linux/sunrpc/svc_xprt.h>
#include <linux/sunrpc/svcauth.h>
#include <linux/sunrpc/svcsock.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "compound.h"
#include "export.h"
#include "limits.h"
#include "svc.h"

#define DFS_NFS_PROGRAM		100003
#define DFS_NFS_VERSION		4
#define DFS_NFSPROC4_NULL	0
#define DFS_NFSPROC4_COMPOUND	1
/* The largest COMPOUND a fore channel carries, plus its RPC header. */
#define DFS_MAX_MESG		(DFS_FORE_SIZE + PAGE_SIZE)

static unsigned short dfs_port = 2049;
module_param_named(port, dfs_port, ushort, 0444);
MODULE_PARM_DESC(port, "TCP port to serve NFSv4.1 on (default 2049)");

static char *dfs_listen;
module_param_named(listen, dfs_listen, charp, 0444);
MODULE_PARM_DESC(listen, "Address to listen on (default: every IPv4 and IPv6 address)");

static unsigned int dfs_threads = 8;
module_param_named(threads, dfs_threads, uint, 0444);
MODULE_PARM_DESC(threads, "Number of server threads (1-256, default 8)");

/* Set and cleared by load and unload under dfs_serv_mutex, read under it. */
static DEFINE_MUTEX(dfs_serv_mutex);
static struct svc_serv *dfs_serv;

/**
 * struct dfs_conn - the state layer's handle on one TCP connection
 * @user: called by sunrpc when the connection closes
 * @xprt: the connection (not referenced: @user is unregistered or has run
 *	before it goes away)
 * @srv: the state the connection may be bound into
 * @node: in dfs_conn_hash, under dfs_conn_lock; RCU for lookups
 * @ref: one for the connection being open, one per request using it
 * @lock: orders @dead against the requests that bind the connection
 * @dead: the connection closed; set once under @lock
 * @rcu: for freeing after lockless lookups
 *
 * A request binds the connection into a session and then checks @dead; the
 * close callback sets @dead and then unbinds everything.  Whichever comes
 * second unbinds, so no binding outlives the connection.
 */
struct dfs_conn {
	struct svc_xpt_user user;
	struct svc_xprt *xprt;
	struct dfs_server *srv;
	struct hlist_node node;
	struct kref ref;
	spinlock_t lock;	/* orders @dead against binding requests */
	bool dead;
	struct rcu_head rcu;
};

#define DFS_CONN_HASH_BITS	8
/* Guards dfs_conn_hash updates; lookups use RCU. */
static DEFINE_SPINLOCK(dfs_conn_lock);
static DEFINE_HASHTABLE(dfs_conn_hash, DFS_CONN_HASH_BITS);

static void dfs_conn_free(struct kref *ref)
{
	kfree_rcu(container_of(ref, struct dfs_conn, ref), rcu);
}

/* The state layer tells us a binding went away; nothing is kept here. */
static void dfs_conn_unbind(void *conn, const struct dfs_sessionid *sid)
{
}

const struct dfs_conn_ops dfs_svc_conn_ops = {
	.unbind = dfs_conn_unbind,
};

/* sunrpc closed the connection: xprt->xpt_lock is held, no sleeping. */
static void dfs_conn_closed(struct svc_xpt_user *user)
{
	struct dfs_conn *conn = container_of(user, struct dfs_conn, user);

	spin_lock(&dfs_conn_lock);
	hash_del_rcu(&conn->node);
	spin_unlock(&dfs_conn_lock);

	spin_lock(&conn->lock);
	conn->dead = true;
	spin_unlock(&conn->lock);
	dfs_conn_close(conn->srv, conn);
	kref_put(&conn->ref, dfs_conn_free);
}

static struct dfs_conn *dfs_conn_find(struct svc_xprt *xprt)
{
	struct dfs_conn *conn;

	rcu_read_lock();
	hash_for_each_possible_rcu(dfs_conn_hash, conn, node,
				   (unsigned long)xprt) {
		if (conn->xprt == xprt && kref_get_unless_zero(&conn->ref)) {
			rcu_read_unlock();
			return conn;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/**
 * dfs_svc_conn_valid() - the connection a COMPOUND came on used a session
 * @cs: the COMPOUND, whose SEQUENCE or BIND_CONN_TO_SESSION succeeded
 *
 * sunrpc closes the oldest connection beyond its limit of temporary ones
 * that has not been marked valid; marking every connection that presented
 * a live session keeps a flood of idle connections from closing those of
 * real clients (knfsd marks a connection once it presents a file handle).
 *
 * A valid connection leaves sv_tmpcnt, the count of the others.  The
 * client may drop the connection while its request executes here, and
 * another thread may delete it meanwhile, taking it out of the count
 * itself; marking it after that would take it out twice, and the count,
 * below zero, compares above sunrpc's unsigned limit: sunrpc would close
 * the oldest unmarked connection at every accept from then on.
 * svc_xprt_set_valid() does not check for that, so this marks the
 * connection under sv_lock, where the deletion unlinks it, and only while
 * it is still linked.
 */
void dfs_svc_conn_valid(struct dfs_compound *cs)
{
	struct svc_xprt *xprt = cs->rqstp->rq_xprt;
	struct svc_serv *serv = xprt->xpt_server;

	/* A plain read on every SEQUENCE; the lock only the first time */
	if (test_bit(XPT_PEER_VALID, &xprt->xpt_flags) ||
	    !test_bit(XPT_TEMP, &xprt->xpt_flags))
		return;
	spin_lock_bh(&serv->sv_lock);
	if (!list_empty(&xprt->xpt_list) &&
	    !test_and_set_bit(XPT_PEER_VALID, &xprt->xpt_flags))
		serv->sv_tmpcnt--;
	spin_unlock_bh(&serv->sv_lock);
}

/**
 * dfs_svc_conn() - the cookie for the connection a COMPOUND came on
 * @cs: the COMPOUND
 *
 * The first call on a connection sets up its handle; the COMPOUND holds a
 * reference until dfs_svc_conn_put().
 *
 * Return: the cookie to bind into sessions, or NULL when the connection
 * is closing or memory is short (the request then binds nothing).
 */
void *dfs_svc_conn(struct dfs_compound *cs)
{
	struct svc_xprt *xprt = cs->rqstp->rq_xprt;
	struct dfs_conn *conn, *old;

	if (cs->conn)
		return cs->conn;
	conn = dfs_conn_find(xprt);
	if (conn)
		goto out;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	conn->xprt = xprt;
	conn->srv = cs->srv;
	spin_lock_init(&conn->lock);
	kref_init(&conn->ref);		/* the connection's */
	INIT_LIST_HEAD(&conn->user.list);
	conn->user.callback = dfs_conn_closed;

	spin_lock(&dfs_conn_lock);
	old = NULL;
	hash_for_each_possible(dfs_conn_hash, old, node, (unsigned long)xprt)
		if (old->xprt == xprt)
			break;
	if (old) {
		spin_unlock(&dfs_conn_lock);
		kfree(conn);
		conn = dfs_conn_find(xprt);
		goto out;
	}
	hash_add_rcu(dfs_conn_hash, &conn->node, (unsigned long)xprt);
	kref_get(&conn->ref);		/* the request's */
	spin_unlock(&dfs_conn_lock);

	if (register_xpt_user(xprt, &conn->user)) {
		/* Already closing: nothing will call us back. */
		spin_lock(&dfs_conn_lock);
		hash_del_rcu(&conn->node);
		spin_unlock(&dfs_conn_lock);
		conn->dead = true;
		kref_put(&conn->ref, dfs_conn_free);
	}
out:
	cs->conn = conn;
	return conn;
}

/**
 * dfs_svc_conn_put() - the COMPOUND is done with its connection cookie
 * @cs: the COMPOUND
 *
 * If the connection closed while the COMPOUND bound it into a session,
 * undo that binding here.
 */
void dfs_svc_conn_put(struct dfs_compound *cs)
{
	struct dfs_conn *conn = cs->conn;
	bool dead;

	if (!conn)
		return;
	spin_lock(&conn->lock);
	dead = conn->dead;
	spin_unlock(&conn->lock);
	if (dead)
		dfs_conn_close(conn->srv, conn);
	kref_put(&conn->ref, dfs_conn_free);
	cs->conn = NULL;
}

static int dfs_svc_thread(void *data)
{
	struct svc_rqst *rqstp = data;

	svc_thread_init_status(rqstp, 0);
	while (!svc_thread_should_stop(rqstp))
		svc_recv(rqstp);
	svc_exit_thread(rqstp);
	return 0;
}

/*
 * AUTH_SYS and AUTH_NONE; a COMPOUND only from a host that some export
 * admits, anyone else is refused with AUTH_BADCRED before anything runs
 * (as knfsd, which answers NULL to anyone).
 */
static enum svc_auth_status dfs_svc_authenticate(struct svc_rqst *rqstp)
{
	switch (rqstp->rq_authop->flavour) {
	case RPC_AUTH_NULL:
	case RPC_AUTH_UNIX:
		if (rqstp->rq_proc != DFS_NFSPROC4_COMPOUND ||
		    dfs_export_client_known(svc_addr(rqstp)))
			return SVC_OK;
		fallthrough;
	default:
		rqstp->rq_auth_stat = rpc_autherr_badcred;
		return SVC_DENIED;
	}
}

static int dfs_svc_dispatch(struct svc_rqst *rqstp)
{
	if (rqstp->rq_proc == DFS_NFSPROC4_COMPOUND)
		return dfs_compound_dispatch(rqstp);
	return 1;	/* NULL: an empty reply */
}

static __be32 dfs_svc_func(struct svc_rqst *rqstp)
{
	return rpc_success;
}

static bool dfs_svc_xdr_ok(struct svc_rqst *rqstp, struct xdr_stream *xdr)
{
	return true;
}

static const struct svc_procedure dfs_svc_procs[] = {
	[DFS_NFSPROC4_NULL] = {
		.pc_func = dfs_svc_func,
		.pc_decode = dfs_svc_xdr_ok,
		.pc_encode = dfs_svc_xdr_ok,
		.pc_name = "NULL",
	},
	[DFS_NFSPROC4_COMPOUND] = {
		.pc_func = dfs_svc_func,
		.pc_decode = dfs_svc_xdr_ok,
		.pc_encode = dfs_svc_xdr_ok,
		.pc_name = "COMPOUND",
	},
};

static DEFINE_PER_CPU_ALIGNED(unsigned long,
			      dfs_svc_count[ARRAY_SIZE(dfs_svc_procs)]);

static const struct svc_version dfs_svc_version4 = {
	.vs_vers = DFS_NFS_VERSION,
	.vs_nproc = ARRAY_SIZE(dfs_svc_procs),
	.vs_proc = dfs_svc_procs,
	.vs_count = dfs_svc_count,
	.vs_dispatch = dfs_svc_dispatch,
	.vs_xdrsize = 0,
	.vs_hidden = true,
	.vs_rpcb_optnl = true,
	.vs_need_cong_ctrl = true,
};

static const struct svc_version *dfs_svc_versions[DFS_NFS_VERSION + 1] = {
	[DFS_NFS_VERSION] = &dfs_svc_version4,
};

static struct svc_program dfs_svc_program = {
	.pg_prog = DFS_NFS_PROGRAM,
	.pg_lovers = DFS_NFS_VERSION,
	.pg_hivers = DFS_NFS_VERSION,
	.pg_nvers = ARRAY_SIZE(dfs_svc_versions),
	.pg_vers = dfs_svc_versions,
	.pg_name = "dittofs",
	.pg_class = "dittofs",
	.pg_authenticate = dfs_svc_authenticate,
	.pg_init_request = svc_generic_init_request,
	.pg_rpcbind_set = svc_generic_rpcbind_set,
};

static struct svc_stat dfs_svc_stats = {
	.program = &dfs_svc_program,
};

static int dfs_svc_listen_any(struct svc_serv *serv)
{
	int err;

	err = svc_xprt_create(serv, "tcp", &init_net, PF_INET, dfs_port,
			      SVC_SOCK_DEFAULTS, current_cred());
	if (err < 0)
		return err;
	err = svc_xprt_create(serv, "tcp", &init_net, PF_INET6, dfs_port,
			      SVC_SOCK_DEFAULTS, current_cred());
	if (err == -EAFNOSUPPORT)
		return 0;
	return err < 0 ? err : 0;
}

static int dfs_svc_listen_addr(struct svc_serv *serv)
{
	struct sockaddr_storage ss;
	struct sockaddr *sap = (struct sockaddr *)&ss;

	if (!rpc_pton(&init_net, dfs_listen, strlen(dfs_listen), sap, sizeof(ss))) {
		pr_err("listen=%s is not an IPv4 or IPv6 address\n", dfs_listen);
		return -EINVAL;
	}
	rpc_set_port(sap, dfs_port);
	return svc_xprt_create_from_sa(serv, "tcp", &init_net, sap,
				       SVC_SOCK_DEFAULTS, current_cred());
}

/**
 * dfs_svc_init() - start the service: listeners first, then threads
 *
 * Return: 0, or a negative errno with the reason logged; a port in use
 * says which port and which parameter to change.
 */
int dfs_svc_init(void)
{
	struct svc_serv *serv;
	int err;

	if (dfs_threads < 1 || dfs_threads > 256) {
		pr_err("threads=%u is out of range (1-256)\n", dfs_threads);
		return -EINVAL;
	}

	serv = svc_create_pooled(&dfs_svc_program, 1, &dfs_svc_stats,
				 DFS_MAX_MESG, dfs_svc_thread);
	if (!serv)
		return -ENOMEM;

	if (dfs_listen && *dfs_listen)
		err = dfs_svc_listen_addr(serv);
	else
		err = dfs_svc_listen_any(serv);
	if (err == -EADDRINUSE) {
		pr_err("TCP port %u is in use (knfsd serves 2049); load with port=N\n",
		       dfs_port);
		goto err_listen;
	}
	if (err < 0) {
		pr_err("cannot listen on TCP port %u: error %d\n", dfs_port, err);
		goto err_listen;
	}

	err = svc_set_num_threads(serv, NULL, dfs_threads);
	if (err)
		goto err_threads;

	mutex_lock(&dfs_serv_mutex);
	dfs_serv = serv;
	mutex_unlock(&dfs_serv_mutex);
	pr_info("serving NFSv4.1 on TCP port %u with %u threads\n",
		dfs_port, dfs_threads);
	return 0;

err_threads:
err_listen:
	svc_xprt_destroy_all(serv, &init_net);
	svc_destroy(&serv);
	return err;
}

/**
 * dfs_svc_exit() - stop the threads, close every connection, free the service
 */
void dfs_svc_exit(void)
{
	struct svc_serv *serv;

	mutex_lock(&dfs_serv_mutex);
	serv = dfs_serv;
	dfs_serv = NULL;
	mutex_unlock(&dfs_serv_mutex);
	svc_set_num_threads(serv, NULL, 0);
	svc_xprt_destroy_all(serv, &init_net);
	svc_destroy(&serv);
}

/**
 * dfs_svc_conns_unvalidated() - connections that presented no live session
 * yet
 *
 * sunrpc's own count (sv_tmpcnt), beyond which it closes the oldest such
 * connection at each accept.  With every connection closed it must be 0.
 *
 * Return: the count (a count gone below zero comes back above 2^31), or 0
 * while the service is not running.
 */
u32 dfs_svc_conns_unvalidated(void)
{
	u32 n = 0;

	mutex_lock(&dfs_serv_mutex);
	if (dfs_serv)
		n = READ_ONCE(dfs_serv->sv_tmpcnt);
	mutex_unlock(&dfs_serv_mutex);
	return n;
}
