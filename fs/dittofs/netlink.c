// SPDX-License-Identifier: GPL-2.0
/*
 * The "dittofs" generic netlink family.  Policies, the op table and the
 * family come from the YNL spec (gen/netlink-gen.c); this file holds the
 * handlers and the "events" multicast.
 *
 * The state is the module's one server, so the family answers in the
 * initial network namespace only.  Handlers read the state layer through
 * its iteration API (dfs_client_next(), dfs_session_next()); dumps keep
 * their cursor in cb->ctx and flag NLM_F_DUMP_INTR when dfs_server's
 * generation moved while they ran.
 */
#include <linux/capability.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "client.h"
#include "events.h"
#include "export.h"
#include "gen/netlink-gen.h"
#include "limits.h"
#include "metrics.h"
#include "netlink.h"
#include "session.h"
#include "svc.h"

/* The UAPI enums are the state layer's, value for value. */
#define DFS_NL_SAME(a, b)	static_assert((int)(a) == (int)(b))
DFS_NL_SAME(DITTOFS_DESTROY_REASON_CLIENT, DFS_DESTROY_CLIENT);
DFS_NL_SAME(DITTOFS_DESTROY_REASON_ADMIN, DFS_DESTROY_ADMIN);
DFS_NL_SAME(DITTOFS_DESTROY_REASON_LEASE_EXPIRED, DFS_DESTROY_LEASE_EXPIRED);
DFS_NL_SAME(DITTOFS_DESTROY_REASON_UNCONFIRMED, DFS_DESTROY_UNCONFIRMED);
DFS_NL_SAME(DITTOFS_DESTROY_REASON_CLIENT_REPLACED,
	    DFS_DESTROY_CLIENT_REPLACED);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_OK, DFS_SEQ_OK);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_REPLAY, DFS_SEQ_REPLAY);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_BADSESSION, DFS_SEQ_BADSESSION);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_BADSLOT, DFS_SEQ_BADSLOT);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_DELAY, DFS_SEQ_DELAY);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_MISORDERED, DFS_SEQ_MISORDERED);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_FALSE_RETRY, DFS_SEQ_FALSE_RETRY);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_UNCACHED, DFS_SEQ_UNCACHED);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_REQ_TOO_BIG, DFS_SEQ_REQ_TOO_BIG);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_TOO_MANY_OPS, DFS_SEQ_TOO_MANY_OPS);
DFS_NL_SAME(DITTOFS_DESTROY_REASON_UNLOAD + 1, DFS_DESTROY_REASON_COUNT);
DFS_NL_SAME(DITTOFS_SEQ_OUTCOME_OTHER + 1, DFS_SEQ_OUTCOME_COUNT);
static_assert(DITTOFS_SESSIONID_LEN == NFS4_MAX_SESSIONID_LEN);

/*
 * Set once the family is registered, cleared before it is unregistered;
 * notifications read it under rcu_read_lock().
 */
static bool dfs_nl_registered;

/**
 * struct dfs_nl_dump_ctx - a dump's cursor, kept in netlink_callback.ctx
 * @client_idx: dfs_client_next() cursor of the next client
 * @clientid: the client whose sessions are being dumped
 * @sess_cursor: dfs_session_next() cursor within that client
 * @have_client: @clientid is valid
 * @filtered: the dump is of one client's sessions only
 * @started: the first pass is done
 * @export_idx: exports already dumped
 */
struct dfs_nl_dump_ctx {
	unsigned long client_idx;
	u64 clientid;
	u64 sess_cursor;
	bool have_client;
	bool filtered;
	bool started;
	unsigned int export_idx;
};

static_assert(sizeof(struct dfs_nl_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

static struct dfs_server *dfs_nl_server(struct net *net,
					struct netlink_ext_ack *extack)
{
	struct dfs_server *srv;

	if (!net_eq(net, &init_net)) {
		NL_SET_ERR_MSG(extack,
			       "DittoFS serves the initial network namespace only");
		return NULL;
	}
	srv = dfs_server_get_default();
	if (!srv)
		NL_SET_ERR_MSG(extack, "DittoFS has no server running");
	return srv;
}

static u64 dfs_nl_generation(struct dfs_server *srv)
{
	u64 gen;

	spin_lock(&srv->lock);
	gen = srv->generation;
	spin_unlock(&srv->lock);
	return gen;
}

/**
 * dfs_nl_dump_seq() - netlink_callback.seq for a server generation
 * @generation: dfs_server.generation
 *
 * Return: its low 32 bits, never 0 (0 means "not set" to
 * genl_dump_check_consistent()).
 */
u32 dfs_nl_dump_seq(u64 generation)
{
	u32 seq = lower_32_bits(generation);

	return seq ? seq : 1;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_nl_dump_seq);

static void *dfs_nl_dump_hdr(struct sk_buff *skb, struct netlink_callback *cb,
			     u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &dittofs_nl_family, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * A dump pass ends: if the state changed while it ran, make the next
 * message (or NLMSG_DONE) carry NLM_F_DUMP_INTR.  Returns what the dumpit
 * returns: the bytes written while there is more, 0 at the end.
 */
static int dfs_nl_dump_end(struct sk_buff *skb, struct netlink_callback *cb,
			   struct dfs_server *srv, int err)
{
	cb->seq = dfs_nl_dump_seq(dfs_nl_generation(srv));
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

static int dfs_nl_put_client(struct sk_buff *skb,
			     const struct dfs_client_info *ci)
{
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;

	if (nla_put_uint(skb, DITTOFS_A_CLIENT_ID, ci->clientid) ||
	    (ci->confirmed && nla_put_flag(skb, DITTOFS_A_CLIENT_CONFIRMED)) ||
	    nla_put_sint(skb, DITTOFS_A_CLIENT_LEASE_LEFT, ci->lease_left) ||
	    nla_put_u32(skb, DITTOFS_A_CLIENT_SESSION_COUNT, ci->nr_sessions) ||
	    nla_put(skb, DITTOFS_A_CLIENT_OWNER, ci->owner_len, ci->owner) ||
	    nla_put_u32(skb, DITTOFS_A_CLIENT_AUTH_FLAVOR,
			ci->principal.flavor) ||
	    nla_put_u32(skb, DITTOFS_A_CLIENT_AUTH_UID, ci->principal.uid) ||
	    nla_put_u32(skb, DITTOFS_A_CLIENT_LEASE_TIME, ci->lease))
		return -EMSGSIZE;

	switch (ci->addr.ss_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)&ci->addr;
		if (nla_put_in_addr(skb, DITTOFS_A_CLIENT_ADDR4,
				    sin->sin_addr.s_addr) ||
		    nla_put_be16(skb, DITTOFS_A_CLIENT_PORT, sin->sin_port))
			return -EMSGSIZE;
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)&ci->addr;
		if (nla_put_in6_addr(skb, DITTOFS_A_CLIENT_ADDR6,
				     &sin6->sin6_addr) ||
		    nla_put_be16(skb, DITTOFS_A_CLIENT_PORT, sin6->sin6_port))
			return -EMSGSIZE;
		break;
	}
	return 0;
}

static int dfs_nl_put_channel(struct sk_buff *skb, int type,
			      const struct dfs_channel_attrs *ca)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DITTOFS_A_CHANNEL_MAX_REQUEST_SIZE,
			ca->maxrequestsize) ||
	    nla_put_u32(skb, DITTOFS_A_CHANNEL_MAX_RESPONSE_SIZE,
			ca->maxresponsesize) ||
	    nla_put_u32(skb, DITTOFS_A_CHANNEL_MAX_RESPONSE_SIZE_CACHED,
			ca->maxresponsesize_cached) ||
	    nla_put_u32(skb, DITTOFS_A_CHANNEL_MAX_OPS, ca->maxoperations) ||
	    nla_put_u32(skb, DITTOFS_A_CHANNEL_MAX_REQUESTS, ca->maxrequests)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * dfs_nl_put_session() - the attributes of one session
 * @skb: the message
 * @si: the session, as dfs_session_next() reported it
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
VISIBLE_IF_KUNIT int dfs_nl_put_session(struct sk_buff *skb,
					const struct dfs_session_info *si)
{
	const struct dfs_slot_stats *st = &si->fore_stats;

	if (nla_put(skb, DITTOFS_A_SESSION_ID, sizeof(si->id.data),
		    si->id.data) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_CLIENT_ID, si->clientid) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_AGE,
			 max_t(time64_t, si->age, 0)) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_FLAGS, si->flags) ||
	    dfs_nl_put_channel(skb, DITTOFS_A_SESSION_FORE, &si->fore) ||
	    dfs_nl_put_channel(skb, DITTOFS_A_SESSION_BACK, &si->back) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_SLOTS_IN_USE, st->inflight) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_HIGHEST_USED, st->highest_used) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_REPLAY_HITS, st->replays) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_DELAYS, st->delays) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_MISORDERED, st->misordered) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_FORE_CONNS, si->nr_fore_conns) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_BACK_CONNS, si->nr_back_conns) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_TARGET_SLOT, st->target) ||
	    nla_put_u32(skb, DITTOFS_A_SESSION_CLIENT_HIGHEST,
			st->client_highest) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_UNCACHED, st->uncached) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_REPLIES_FREED, st->freed) ||
	    nla_put_uint(skb, DITTOFS_A_SESSION_CACHED_BYTES, st->cached_bytes))
		return -EMSGSIZE;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_nl_put_session);

/**
 * dittofs_nl_client_get_doit() - DITTOFS_CMD_CLIENT_GET for one client
 * @skb: the request
 * @info: its attributes; DITTOFS_A_CLIENT_ID is required
 *
 * Return: 0 with a reply sent, or a negative errno with an extack message.
 */
int dittofs_nl_client_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dfs_client_info *ci;
	struct dfs_server *srv;
	unsigned long cursor;
	struct sk_buff *msg;
	u64 clientid;
	void *hdr;
	int err;

	srv = dfs_nl_server(genl_info_net(info), info->extack);
	if (!srv)
		return -ENODEV;
	if (GENL_REQ_ATTR_CHECK(info, DITTOFS_A_CLIENT_ID))
		return -EINVAL;
	clientid = nla_get_uint(info->attrs[DITTOFS_A_CLIENT_ID]);

	ci = kmalloc(sizeof(*ci), GFP_KERNEL);
	if (!ci)
		return -ENOMEM;
	/* The dump cursor is the client id's low word. */
	cursor = lower_32_bits(clientid);
	err = dfs_client_next(srv, &cursor, ci);
	if (err || ci->clientid != clientid) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[DITTOFS_A_CLIENT_ID],
				    "no such client");
		err = -ENOENT;
		goto err_free_info;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_free_info;
	}
	hdr = genlmsg_iput(msg, info);
	if (!hdr || dfs_nl_put_client(msg, ci)) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	genlmsg_end(msg, hdr);
	kfree(ci);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
err_free_info:
	kfree(ci);
	return err;
}

/**
 * dittofs_nl_client_get_dumpit() - DITTOFS_CMD_CLIENT_GET, every client
 * @skb: the message to fill
 * @cb: the dump; cursor in cb->ctx
 *
 * Return: bytes written while there is more, 0 at the end, or an errno.
 */
int dittofs_nl_client_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct dfs_nl_dump_ctx *ctx = (struct dfs_nl_dump_ctx *)cb->ctx;
	struct dfs_client_info *ci;
	struct dfs_server *srv;
	unsigned long next;
	void *hdr;
	int err;

	srv = dfs_nl_server(sock_net(skb->sk), cb->extack);
	if (!srv)
		return -ENODEV;
	ci = kmalloc(sizeof(*ci), GFP_KERNEL);
	if (!ci)
		return -ENOMEM;

	cb->seq = dfs_nl_dump_seq(dfs_nl_generation(srv));
	for (;;) {
		next = ctx->client_idx;
		err = dfs_client_next(srv, &next, ci);
		if (err) {
			err = 0;	/* -ENOENT: no more clients */
			break;
		}
		hdr = dfs_nl_dump_hdr(skb, cb, DITTOFS_CMD_CLIENT_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = dfs_nl_put_client(skb, ci);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		ctx->client_idx = next;
	}
	kfree(ci);
	return dfs_nl_dump_end(skb, cb, srv, err);
}

/*
 * The next client of an unfiltered session dump, or false at the end.
 */
static bool dfs_nl_next_client(struct dfs_server *srv,
			       struct dfs_nl_dump_ctx *ctx,
			       struct dfs_client_info *ci)
{
	unsigned long next = ctx->client_idx;

	if (ctx->filtered || dfs_client_next(srv, &next, ci))
		return false;
	ctx->client_idx = next;
	ctx->clientid = ci->clientid;
	ctx->sess_cursor = 0;
	ctx->have_client = true;
	return true;
}

/**
 * dittofs_nl_session_get_dumpit() - DITTOFS_CMD_SESSION_GET
 * @skb: the message to fill
 * @cb: the dump; cursor in cb->ctx; DITTOFS_A_SESSION_CLIENT_ID, when
 *	given, limits it to one client's sessions
 *
 * Return: bytes written while there is more, 0 at the end, or an errno.
 */
int dittofs_nl_session_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct dfs_nl_dump_ctx *ctx = (struct dfs_nl_dump_ctx *)cb->ctx;
	const struct genl_info *info = genl_info_dump(cb);
	struct dfs_client_info *ci = NULL;
	struct dfs_session_info *si;
	struct dfs_server *srv;
	struct nlattr *attr;
	u64 next;
	void *hdr;
	int err;

	srv = dfs_nl_server(sock_net(skb->sk), cb->extack);
	if (!srv)
		return -ENODEV;
	si = kmalloc(sizeof(*si), GFP_KERNEL);
	ci = kmalloc(sizeof(*ci), GFP_KERNEL);
	if (!si || !ci) {
		err = -ENOMEM;
		goto out_free;
	}

	cb->seq = dfs_nl_dump_seq(dfs_nl_generation(srv));
	attr = info->attrs ? info->attrs[DITTOFS_A_SESSION_CLIENT_ID] : NULL;
	if (!ctx->started && attr) {
		/* First pass of a dump of one client's sessions. */
		ctx->filtered = true;
		ctx->have_client = true;
		ctx->clientid = nla_get_uint(attr);
		next = 0;
		if (dfs_session_next(srv, ctx->clientid, &next, si) == -ESRCH) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attr, "no such client");
			err = -ENOENT;
			goto out_free;
		}
	}
	ctx->started = true;

	for (;;) {
		if (!ctx->have_client && !dfs_nl_next_client(srv, ctx, ci)) {
			err = 0;
			break;
		}
		next = ctx->sess_cursor;
		err = dfs_session_next(srv, ctx->clientid, &next, si);
		if (err) {
			/* -ENOENT or -ESRCH: done with this client */
			ctx->have_client = false;
			continue;
		}
		hdr = dfs_nl_dump_hdr(skb, cb, DITTOFS_CMD_SESSION_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = dfs_nl_put_session(skb, si);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		ctx->sess_cursor = next;
	}
	err = dfs_nl_dump_end(skb, cb, srv, err);
out_free:
	kfree(ci);
	kfree(si);
	return err;
}

/**
 * dittofs_nl_session_destroy_doit() - DITTOFS_CMD_SESSION_DESTROY
 * @skb: the request
 * @info: DITTOFS_A_SESSION_ID and DITTOFS_A_SESSION_CLIENT_ID, required;
 *	the session must belong to that client
 *
 * Destroys the session whatever runs on it; its next SEQUENCE gets
 * NFS4ERR_BADSESSION.  Needs CAP_NET_ADMIN (GENL_ADMIN_PERM).
 *
 * Return: 0, or a negative errno with an extack message.
 */
int dittofs_nl_session_destroy_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct dfs_sessionid sid;
	struct dfs_session *sess;
	struct dfs_server *srv;
	u64 clientid, owner;

	srv = dfs_nl_server(genl_info_net(info), info->extack);
	if (!srv)
		return -ENODEV;
	if (GENL_REQ_ATTR_CHECK(info, DITTOFS_A_SESSION_ID) ||
	    GENL_REQ_ATTR_CHECK(info, DITTOFS_A_SESSION_CLIENT_ID))
		return -EINVAL;
	/* The policy makes the id exactly DITTOFS_SESSIONID_LEN bytes. */
	nla_memcpy(sid.data, info->attrs[DITTOFS_A_SESSION_ID],
		   sizeof(sid.data));
	clientid = nla_get_uint(info->attrs[DITTOFS_A_SESSION_CLIENT_ID]);

	sess = dfs_session_lookup(srv, &sid);
	if (!sess) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DITTOFS_A_SESSION_ID],
				    "no such session");
		return -ENOENT;
	}
	owner = sess->clp->id;
	dfs_session_put(sess);
	if (owner != clientid) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[DITTOFS_A_SESSION_CLIENT_ID],
				    "the session belongs to another client");
		return -ENOENT;
	}
	if (dfs_session_force_destroy(srv, &sid)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DITTOFS_A_SESSION_ID],
				    "no such session");
		return -ENOENT;
	}
	return 0;
}

/**
 * dittofs_nl_client_evict_doit() - DITTOFS_CMD_CLIENT_EVICT
 * @skb: the request
 * @info: DITTOFS_A_CLIENT_ID, required
 *
 * Expires the client and destroys its sessions now.  Needs CAP_NET_ADMIN
 * (GENL_ADMIN_PERM).
 *
 * Return: 0, or a negative errno with an extack message.
 */
int dittofs_nl_client_evict_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dfs_server *srv;

	srv = dfs_nl_server(genl_info_net(info), info->extack);
	if (!srv)
		return -ENODEV;
	if (GENL_REQ_ATTR_CHECK(info, DITTOFS_A_CLIENT_ID))
		return -EINVAL;
	if (dfs_client_evict(srv, nla_get_uint(info->attrs[DITTOFS_A_CLIENT_ID]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DITTOFS_A_CLIENT_ID],
				    "no such client");
		return -ENOENT;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dittofs_nl_client_evict_doit);

/* A list of counters keyed by index; @sparse leaves the zero ones out. */
static int dfs_nl_put_counters(struct sk_buff *skb, int type,
			       const u64 *vals, unsigned int n, bool sparse)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (sparse && !vals[i])
			continue;
		nest = nla_nest_start(skb, type);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u32(skb, DITTOFS_A_COUNTER_KEY, i) ||
		    nla_put_uint(skb, DITTOFS_A_COUNTER_VALUE, vals[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

/**
 * dittofs_nl_stats_get_doit() - DITTOFS_CMD_STATS_GET
 * @skb: the request
 * @info: no attributes
 *
 * Return: 0 with a reply sent, or a negative errno.
 */
int dittofs_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dfs_metrics_snapshot *snap;
	struct dfs_server *srv;
	struct sk_buff *msg;
	void *hdr;
	int err;

	srv = dfs_nl_server(genl_info_net(info), info->extack);
	if (!srv)
		return -ENODEV;
	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	dfs_metrics_read(srv, snap);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_free_snap;
	}
	hdr = genlmsg_iput(msg, info);
	if (!hdr ||
	    nla_put_uint(msg, DITTOFS_A_STATS_SESSIONS_CREATED,
			 snap->sum.sessions_created) ||
	    nla_put_uint(msg, DITTOFS_A_STATS_SESSIONS_ACTIVE,
			 snap->sessions_active) ||
	    dfs_nl_put_counters(msg, DITTOFS_A_STATS_SESSIONS_DESTROYED,
				snap->sum.sessions_destroyed,
				DFS_DESTROY_REASON_COUNT, false) ||
	    nla_put_uint(msg, DITTOFS_A_STATS_CLIENTS_CREATED,
			 snap->sum.clients_created) ||
	    nla_put_uint(msg, DITTOFS_A_STATS_CLIENTS_ACTIVE,
			 snap->clients_active) ||
	    dfs_nl_put_counters(msg, DITTOFS_A_STATS_LIFETIME,
				snap->sum.lifetime, DFS_LIFETIME_BUCKETS, false) ||
	    dfs_nl_put_counters(msg, DITTOFS_A_STATS_SEQUENCE, snap->sum.seq,
				DFS_SEQ_OUTCOME_COUNT, false) ||
	    dfs_nl_put_counters(msg, DITTOFS_A_STATS_OPERATIONS, snap->sum.ops,
				DFS_NR_OPS, true) ||
	    nla_put_u32(msg, DITTOFS_A_STATS_CONNS_UNVALIDATED,
			dfs_svc_conns_unvalidated()) ||
	    nla_put_uint(msg, DITTOFS_A_STATS_CLIENTS_REFUSED,
			 snap->clients_refused) ||
	    nla_put_u32(msg, DITTOFS_A_STATS_STATEIDS_ACTIVE,
			dfs_stateids_total()) ||
	    nla_put_u32(msg, DITTOFS_A_STATS_LOCKS_ACTIVE, dfs_locks_total()) ||
	    nla_put_uint(msg, DITTOFS_A_STATS_BUDGET_USED,
			 atomic64_read(&srv->budget.used)) ||
	    nla_put_uint(msg, DITTOFS_A_STATS_BUDGET_LIMIT,
			 (u64)dfs_limit_value(DFS_LIMIT_REPLY_CACHE_MB) * SZ_1M) ||
	    nla_put_u32(msg, DITTOFS_A_STATS_BUDGET_CLIENTS,
			atomic_read(&srv->budget.accounts)) ||
	    nla_put_u32(msg, DITTOFS_A_STATS_REPLIES_CACHED,
			atomic_read(&srv->budget.replies))) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	genlmsg_end(msg, hdr);
	kfree(snap);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
err_free_snap:
	kfree(snap);
	return err;
}

/* Settings attributes and the limits they set, in attribute order. */
static const struct {
	int attr;
	enum dfs_limit_id id;
	const char *name;
} dfs_nl_settings[] = {
	{ DITTOFS_A_SETTINGS_FORE_SLOTS, DFS_LIMIT_FORE_SLOTS, "fore-slots" },
	{ DITTOFS_A_SETTINGS_BACK_SLOTS, DFS_LIMIT_BACK_SLOTS, "back-slots" },
	{ DITTOFS_A_SETTINGS_SESSIONS_PER_CLIENT, DFS_LIMIT_SESSIONS_PER_CLIENT,
	  "sessions-per-client" },
	{ DITTOFS_A_SETTINGS_LEASE_TIME, DFS_LIMIT_LEASE_TIME, "lease-time" },
	{ DITTOFS_A_SETTINGS_MAX_OPS, DFS_LIMIT_MAX_OPS, "max-ops" },
	{ DITTOFS_A_SETTINGS_MAX_CACHED_REPLY, DFS_LIMIT_MAX_CACHED_REPLY,
	  "max-cached-reply" },
	{ DITTOFS_A_SETTINGS_REPLY_CACHE_MB, DFS_LIMIT_REPLY_CACHE_MB,
	  "reply-cache-mb" },
	{ DITTOFS_A_SETTINGS_MAX_CLIENTS, DFS_LIMIT_MAX_CLIENTS, "max-clients" },
	{ DITTOFS_A_SETTINGS_MAX_STATEIDS, DFS_LIMIT_MAX_STATEIDS,
	  "max-stateids" },
	{ DITTOFS_A_SETTINGS_MAX_LOCKS, DFS_LIMIT_MAX_LOCKS, "max-locks" },
};

static u32 dfs_nl_limit_value(const struct dfs_limits *lim,
			      enum dfs_limit_id id)
{
	switch (id) {
	case DFS_LIMIT_FORE_SLOTS:
		return lim->fore_slots;
	case DFS_LIMIT_BACK_SLOTS:
		return lim->back_slots;
	case DFS_LIMIT_MAX_OPS:
		return lim->max_ops;
	case DFS_LIMIT_MAX_CACHED_REPLY:
		return lim->max_cached_reply;
	case DFS_LIMIT_SESSIONS_PER_CLIENT:
		return lim->sessions_per_client;
	case DFS_LIMIT_LEASE_TIME:
		return lim->lease_time;
	case DFS_LIMIT_REPLY_CACHE_MB:
		return lim->reply_cache_budget / SZ_1M;
	case DFS_LIMIT_MAX_CLIENTS:
		return lim->max_clients;
	case DFS_LIMIT_MAX_STATEIDS:
		return lim->max_stateids;
	case DFS_LIMIT_MAX_LOCKS:
		return lim->max_locks;
	default:
		return 0;
	}
}

/**
 * dittofs_nl_settings_get_doit() - DITTOFS_CMD_SETTINGS_GET
 * @skb: the request
 * @info: no attributes
 *
 * Return: 0 with a reply sent, or a negative errno.
 */
int dittofs_nl_settings_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dfs_limits lim;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	if (!dfs_nl_server(genl_info_net(info), info->extack))
		return -ENODEV;
	dfs_limits_get(&lim);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr)
		goto err_free_msg;
	for (i = 0; i < ARRAY_SIZE(dfs_nl_settings); i++)
		if (nla_put_u32(msg, dfs_nl_settings[i].attr,
				dfs_nl_limit_value(&lim, dfs_nl_settings[i].id)))
			goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/**
 * dittofs_nl_settings_set_doit() - DITTOFS_CMD_SETTINGS_SET
 * @skb: the request
 * @info: one or more settings attributes
 *
 * All or nothing: a value out of range restores the ones already set.
 * New values apply to clients and sessions created afterwards.  Needs CAP_NET_ADMIN
 * (GENL_ADMIN_PERM).
 *
 * Return: 0, or a negative errno with an extack message.
 */
int dittofs_nl_settings_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *attr;
	struct dfs_limits old;
	unsigned int i, n = 0;
	int err;

	if (!dfs_nl_server(genl_info_net(info), info->extack))
		return -ENODEV;
	dfs_limits_get(&old);
	for (i = 0; i < ARRAY_SIZE(dfs_nl_settings); i++) {
		attr = info->attrs[dfs_nl_settings[i].attr];
		if (!attr)
			continue;
		err = dfs_limit_set(dfs_nl_settings[i].id, nla_get_u32(attr));
		if (err)
			goto err_restore;
		n++;
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no setting given");
		return -EINVAL;
	}
	return 0;

err_restore:
	NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
				"%s: %u is out of range; nothing was changed",
				dfs_nl_settings[i].name, nla_get_u32(attr));
	while (i--) {
		if (info->attrs[dfs_nl_settings[i].attr])
			dfs_limit_set(dfs_nl_settings[i].id,
				      dfs_nl_limit_value(&old,
							 dfs_nl_settings[i].id));
	}
	return -ERANGE;
}
EXPORT_SYMBOL_IF_KUNIT(dittofs_nl_settings_set_doit);

/* --- exports ------------------------------------------------------------ */

/* The longest client list or option string an export takes, bytes. */
#define DFS_NL_LIST_MAX		1024

/**
 * struct dfs_nl_export_put - where dfs_nl_put_export() writes
 * @skb: the message
 * @cb: the dump, or NULL for a do
 * @info: the do's request, or NULL for a dump
 * @want: the one export a do asks for, or NULL
 * @found: @want was written
 * @err: why the walk stopped early (-EMSGSIZE: the message is full)
 */
struct dfs_nl_export_put {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct genl_info *info;
	const char *want;
	bool found;
	int err;
};

static int dfs_nl_put_export(const struct dfs_export *exp, void *arg)
{
	struct dfs_nl_export_put *p = arg;
	char opts[128];
	void *hdr;

	if (p->want && strcmp(p->want, exp->name))
		return 0;
	if (p->cb)
		hdr = dfs_nl_dump_hdr(p->skb, p->cb, DITTOFS_CMD_EXPORT_GET);
	else
		hdr = genlmsg_iput(p->skb, p->info);
	if (!hdr)
		return p->err = -EMSGSIZE;
	dfs_export_opts_text(&exp->rules, opts, sizeof(opts));
	if (nla_put_string(p->skb, DITTOFS_A_EXPORT_NAME, exp->name) ||
	    nla_put_string(p->skb, DITTOFS_A_EXPORT_PATH, exp->path) ||
	    nla_put_string(p->skb, DITTOFS_A_EXPORT_CLIENTS, exp->clients) ||
	    nla_put_string(p->skb, DITTOFS_A_EXPORT_OPTIONS, opts) ||
	    nla_put_uint(p->skb, DITTOFS_A_EXPORT_ID, exp->id)) {
		genlmsg_cancel(p->skb, hdr);
		return p->err = -EMSGSIZE;
	}
	genlmsg_end(p->skb, hdr);
	p->found = true;
	return p->want ? 1 : 0;
}

/**
 * dittofs_nl_export_get_doit() - DITTOFS_CMD_EXPORT_GET for one export
 * @skb: the request
 * @info: DITTOFS_A_EXPORT_NAME is required
 *
 * Return: 0 with a reply sent, or a negative errno with an extack message.
 */
int dittofs_nl_export_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dfs_nl_export_put p = { .info = info };
	int err;

	if (GENL_REQ_ATTR_CHECK(info, DITTOFS_A_EXPORT_NAME))
		return -EINVAL;
	p.want = nla_data(info->attrs[DITTOFS_A_EXPORT_NAME]);
	/* Room for the longest path and client list an export may have. */
	p.skb = genlmsg_new(NLMSG_GOODSIZE + PATH_MAX + DFS_NL_LIST_MAX,
			    GFP_KERNEL);
	if (!p.skb)
		return -ENOMEM;
	dfs_export_walk(0, dfs_nl_put_export, &p, NULL);
	if (!p.found) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[DITTOFS_A_EXPORT_NAME],
					"no export is named %s", p.want);
		err = -ENOENT;
		goto err_free;
	}
	return genlmsg_reply(p.skb, info);

err_free:
	nlmsg_free(p.skb);
	return err;
}

/**
 * dittofs_nl_export_get_dumpit() - DITTOFS_CMD_EXPORT_GET, every export
 * @skb: the message to fill
 * @cb: the dump; cursor in cb->ctx
 *
 * The cursor is a position in the table: a change between two parts of
 * the dump marks it interrupted (NLM_F_DUMP_INTR), by the table's
 * generation.
 *
 * Return: bytes written while there is more, 0 at the end, -EMSGSIZE
 * when not even one export fits.
 */
int dittofs_nl_export_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct dfs_nl_dump_ctx *ctx = (struct dfs_nl_dump_ctx *)cb->ctx;
	struct dfs_nl_export_put p = { .skb = skb, .cb = cb };
	unsigned int n;
	u32 gen;

	n = dfs_export_walk(ctx->export_idx, dfs_nl_put_export, &p, &gen);
	cb->seq = gen;
	ctx->export_idx += n;
	if (p.err && !n)
		return p.err;
	return n ? skb->len : 0;
}

/* A string attribute of at most @max bytes, or an extack message. */
static const char *dfs_nl_string(struct genl_info *info, int type,
				 size_t max, const char *what)
{
	const struct nlattr *a = info->attrs[type];

	if (!a) {
		NL_SET_ERR_MSG_FMT(info->extack, "the export's %s is missing",
				   what);
		return NULL;
	}
	if (nla_len(a) > max) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, a,
					"the export's %s is too long", what);
		return NULL;
	}
	return nla_data(a);
}

/**
 * dittofs_nl_export_add_doit() - DITTOFS_CMD_EXPORT_ADD
 * @skb: the request
 * @info: name and path are required; clients defaults to 127.0.0.1 and
 *	options to the exports(5) defaults (ro,root_squash,secure)
 *
 * Needs CAP_NET_ADMIN (GENL_ADMIN_PERM) and CAP_SYS_ADMIN: an export
 * hands out file access as any uid, root's included.
 *
 * Return: 0, or a negative errno with an extack message saying why.
 */
int dittofs_nl_export_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	const char *name, *path, *clients = "127.0.0.1", *opts = "";
	char why[128];
	int err;

	if (!capable(CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "exporting needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	name = dfs_nl_string(info, DITTOFS_A_EXPORT_NAME, NAME_MAX + 2, "name");
	path = dfs_nl_string(info, DITTOFS_A_EXPORT_PATH, PATH_MAX, "path");
	if (!name || !path)
		return -EINVAL;
	if (info->attrs[DITTOFS_A_EXPORT_CLIENTS])
		clients = dfs_nl_string(info, DITTOFS_A_EXPORT_CLIENTS,
					DFS_NL_LIST_MAX, "client list");
	if (info->attrs[DITTOFS_A_EXPORT_OPTIONS])
		opts = dfs_nl_string(info, DITTOFS_A_EXPORT_OPTIONS,
				     DFS_NL_LIST_MAX, "options");
	if (!clients || !opts)
		return -EINVAL;
	err = dfs_export_set(name, path, clients, opts, why, sizeof(why));
	if (err)
		NL_SET_ERR_MSG_FMT(info->extack, "%s", why);
	return err;
}

/**
 * dittofs_nl_export_remove_doit() - DITTOFS_CMD_EXPORT_REMOVE
 * @skb: the request
 * @info: DITTOFS_A_EXPORT_NAME is required
 *
 * Needs CAP_NET_ADMIN (GENL_ADMIN_PERM) and CAP_SYS_ADMIN.
 *
 * Return: 0, or -ENOENT with an extack message.
 */
int dittofs_nl_export_remove_doit(struct sk_buff *skb, struct genl_info *info)
{
	const char *name;

	if (!capable(CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "exporting needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, DITTOFS_A_EXPORT_NAME))
		return -EINVAL;
	name = nla_data(info->attrs[DITTOFS_A_EXPORT_NAME]);
	if (dfs_export_remove(name)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[DITTOFS_A_EXPORT_NAME],
					"no export is named %s", name);
		return -ENOENT;
	}
	return 0;
}

/*
 * Announce a session on the "events" group.  Only the module's own
 * server is announced.  Never sleeps: callers may hold dfs_server.lock.
 * A listener that falls behind loses events (ENOBUFS on its socket).
 */
static void dfs_nl_notify_session(const struct dfs_session *sess, bool created,
				  enum dfs_destroy_reason why,
				  time64_t lifetime)
{
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	if (!READ_ONCE(dfs_nl_registered) ||
	    sess->srv != dfs_server_get_default() ||
	    !genl_has_listeners(&dittofs_nl_family, &init_net,
				DITTOFS_NLGRP_EVENTS))
		goto out_unlock;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		goto out_unlock;
	hdr = genlmsg_put(msg, 0, 0, &dittofs_nl_family, 0,
			  created ? DITTOFS_CMD_SESSION_CREATED_NTF :
				    DITTOFS_CMD_SESSION_DESTROYED_NTF);
	if (!hdr ||
	    nla_put(msg, DITTOFS_A_SESSION_ID, sizeof(sess->id.data),
		    sess->id.data) ||
	    nla_put_uint(msg, DITTOFS_A_SESSION_CLIENT_ID, sess->clp->id) ||
	    (!created &&
	     (nla_put_u32(msg, DITTOFS_A_SESSION_REASON, why) ||
	      nla_put_uint(msg, DITTOFS_A_SESSION_AGE,
			   max_t(time64_t, lifetime, 0)))))
		goto out_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&dittofs_nl_family, msg, 0, DITTOFS_NLGRP_EVENTS,
			  GFP_ATOMIC);
	goto out_unlock;

out_free:
	nlmsg_free(msg);
out_unlock:
	rcu_read_unlock();
}

static void dfs_nl_session_created(const struct dfs_session *sess)
{
	dfs_nl_notify_session(sess, true, 0, 0);
}

static void dfs_nl_session_destroyed(const struct dfs_session *sess,
				     enum dfs_destroy_reason why,
				     time64_t lifetime)
{
	dfs_nl_notify_session(sess, false, why, lifetime);
}

/* What netlink hears from the state layer. */
static const struct dfs_state_listener dfs_nl_listener = {
	.session_created = dfs_nl_session_created,
	.session_destroyed = dfs_nl_session_destroyed,
};

/**
 * dfs_netlink_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int dfs_netlink_init(void)
{
	int err;

	err = genl_register_family(&dittofs_nl_family);
	if (err)
		return err;
	WRITE_ONCE(dfs_nl_registered, true);
	dfs_state_listen(&dfs_nl_listener);
	return 0;
}

/**
 * dfs_netlink_exit() - stop notifications and unregister the family
 *
 * genl_unregister_family() waits for handlers still running.
 */
void dfs_netlink_exit(void)
{
	dfs_state_listen(NULL);
	WRITE_ONCE(dfs_nl_registered, false);
	synchronize_rcu();
	genl_unregister_family(&dittofs_nl_family);
}
