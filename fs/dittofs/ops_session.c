// SPDX-License-Identifier: GPL-2.0
/*
 * The session operations of NFSv4.1 (RFC 8881, sections 18.34 to 18.37,
 * 18.46, 18.50 and 18.51): decode the arguments, call the state layer,
 * encode the results.  Nothing here keeps state of its own.
 */
#include <linux/sunrpc/svc.h>
#include <linux/uidgid.h>

#include "client.h"
#include "compound.h"
#include "svc.h"

/* Bounds for variable-length arguments. */
#define DFS_MAX_CB_SEC_PARMS	16
#define DFS_MAX_AUTHSYS_GIDS	16
#define DFS_MAX_MACHINE_NAME	255

static void dfs_principal_of(struct svc_rqst *rqstp, struct dfs_principal *p)
{
	p->flavor = rqstp->rq_cred.cr_flavor;
	p->uid = from_kuid_munged(&init_user_ns, rqstp->rq_cred.cr_uid);
}

static int dfs_dec_sessionid(struct xdr_stream *xdr, struct dfs_sessionid *sid)
{
	return xdr_stream_decode_opaque_fixed(xdr, sid->data, sizeof(sid->data));
}

static int dfs_enc_sessionid(struct xdr_stream *xdr,
			     const struct dfs_sessionid *sid)
{
	return xdr_stream_encode_opaque_fixed(xdr, sid->data, sizeof(sid->data));
}

/* Skip an opaque<> of at most @max bytes. */
static int dfs_dec_skip_opaque(struct xdr_stream *xdr, size_t max)
{
	void *p;

	return xdr_stream_decode_opaque_inline(xdr, &p, max);
}

static int dfs_dec_chan_attrs(struct xdr_stream *xdr,
			      struct dfs_channel_attrs *ca)
{
	u32 ird;

	if (xdr_stream_decode_u32(xdr, &ca->headerpadsize) < 0 ||
	    xdr_stream_decode_u32(xdr, &ca->maxrequestsize) < 0 ||
	    xdr_stream_decode_u32(xdr, &ca->maxresponsesize) < 0 ||
	    xdr_stream_decode_u32(xdr, &ca->maxresponsesize_cached) < 0 ||
	    xdr_stream_decode_u32(xdr, &ca->maxoperations) < 0 ||
	    xdr_stream_decode_u32(xdr, &ca->maxrequests) < 0 ||
	    xdr_stream_decode_u32(xdr, &ca->nr_rdma_ird) < 0)
		return -EBADMSG;
	if (ca->nr_rdma_ird > 1)
		return -EBADMSG;
	if (ca->nr_rdma_ird && xdr_stream_decode_u32(xdr, &ird) < 0)
		return -EBADMSG;
	return 0;
}

static int dfs_enc_chan_attrs(struct xdr_stream *xdr,
			      const struct dfs_channel_attrs *ca)
{
	__be32 *p = xdr_reserve_space(xdr, 7 * XDR_UNIT);

	if (!p)
		return -EMSGSIZE;
	*p++ = cpu_to_be32(ca->headerpadsize);
	*p++ = cpu_to_be32(ca->maxrequestsize);
	*p++ = cpu_to_be32(ca->maxresponsesize);
	*p++ = cpu_to_be32(ca->maxresponsesize_cached);
	*p++ = cpu_to_be32(ca->maxoperations);
	*p++ = cpu_to_be32(ca->maxrequests);
	*p = cpu_to_be32(0);		/* no RDMA attributes */
	return 0;
}

static int dfs_enc_string(struct xdr_stream *xdr, const char *s)
{
	return xdr_stream_encode_opaque(xdr, s, strlen(s));
}

/* eia_client_impl_id<1>: decoded for its bounds, otherwise ignored. */
static int dfs_dec_impl_id(struct xdr_stream *xdr)
{
	u32 nr, nsec;
	u64 sec;

	if (xdr_stream_decode_u32(xdr, &nr) < 0 || nr > 1)
		return -EBADMSG;
	if (!nr)
		return 0;
	if (dfs_dec_skip_opaque(xdr, NFS4_OPAQUE_LIMIT) < 0 ||
	    dfs_dec_skip_opaque(xdr, NFS4_OPAQUE_LIMIT) < 0 ||
	    xdr_stream_decode_u64(xdr, &sec) < 0 ||
	    xdr_stream_decode_u32(xdr, &nsec) < 0)
		return -EBADMSG;
	return 0;
}

/**
 * dfs_op_exchange_id() - EXCHANGE_ID (RFC 8881, section 18.35)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_exchange_id(struct dfs_compound *cs)
{
	struct dfs_exchange_id_args args = {
		.addr = &cs->rqstp->rq_addr,
	};
	struct dfs_exchange_id_res res;
	enum nfsstat4 status;
	void *owner;
	ssize_t len;
	__be32 *p;

	if (xdr_stream_decode_opaque_fixed(cs->in, args.verifier.data,
					   NFS4_VERIFIER_SIZE) < 0)
		return NFS4ERR_BADXDR;
	len = xdr_stream_decode_opaque_inline(cs->in, &owner, NFS4_OPAQUE_LIMIT);
	if (len < 0)
		return NFS4ERR_BADXDR;
	args.owner = owner;
	args.owner_len = len;
	if (xdr_stream_decode_u32(cs->in, &args.flags) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_u32(cs->in, &args.spa_how) < 0)
		return NFS4ERR_BADXDR;
	/* Only SP4_NONE carries nothing more; the state layer refuses others. */
	if (args.spa_how == SP4_NONE)
		if (dfs_dec_impl_id(cs->in) < 0)
			return NFS4ERR_BADXDR;
	dfs_principal_of(cs->rqstp, &args.principal);

	status = dfs_exchange_id(cs->srv, &args, &res);
	if (status)
		return status;

	p = xdr_reserve_space(cs->out, 4 * XDR_UNIT);
	if (!p)
		return NFS4ERR_REP_TOO_BIG;
	p = xdr_encode_hyper(p, res.clientid);
	*p++ = cpu_to_be32(res.sequenceid);
	*p = cpu_to_be32(res.flags);
	if (xdr_stream_encode_u32(cs->out, res.spr_how) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_u64(cs->out, res.so_minor_id) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (dfs_enc_string(cs->out, res.so_major_id) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (dfs_enc_string(cs->out, res.server_scope) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_u32(cs->out, 1) < 0)
		return NFS4ERR_REP_TOO_BIG;	/* one impl id */
	if (dfs_enc_string(cs->out, res.impl_domain) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (dfs_enc_string(cs->out, res.impl_name) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_u64(cs->out, 0) < 0)
		return NFS4ERR_REP_TOO_BIG;	/* build date */
	if (xdr_stream_encode_u32(cs->out, 0) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

/* callback_sec_parms4: keep the flavor, check the rest for its bounds. */
static int dfs_dec_cb_sec(struct xdr_stream *xdr, u32 *flavor)
{
	u32 v, ngids;

	if (xdr_stream_decode_u32(xdr, flavor) < 0)
		return -EBADMSG;
	switch (*flavor) {
	case DFS_AUTH_NONE:
		return 0;
	case DFS_AUTH_SYS:
		if (xdr_stream_decode_u32(xdr, &v) < 0 ||
		    dfs_dec_skip_opaque(xdr, DFS_MAX_MACHINE_NAME) < 0 ||
		    xdr_stream_decode_u32(xdr, &v) < 0 ||
		    xdr_stream_decode_u32(xdr, &v) < 0 ||
		    xdr_stream_decode_u32(xdr, &ngids) < 0 ||
		    ngids > DFS_MAX_AUTHSYS_GIDS ||
		    !xdr_inline_decode(xdr, ngids * XDR_UNIT))
			return -EBADMSG;
		return 0;
	case DFS_AUTH_GSS:
		if (xdr_stream_decode_u32(xdr, &v) < 0 ||
		    dfs_dec_skip_opaque(xdr, NFS4_OPAQUE_LIMIT) < 0 ||
		    dfs_dec_skip_opaque(xdr, NFS4_OPAQUE_LIMIT) < 0)
			return -EBADMSG;
		return 0;
	default:
		return -EBADMSG;
	}
}

/**
 * dfs_op_create_session() - CREATE_SESSION (RFC 8881, section 18.36)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.  A
 * replay gets the original's status and results from the state layer.
 */
enum nfsstat4 dfs_op_create_session(struct dfs_compound *cs)
{
	u32 flavors[DFS_MAX_CB_SEC_PARMS];
	struct dfs_create_session_args args = {
		.cb_flavors = flavors,
		.conn_ops = &dfs_svc_conn_ops,
	};
	struct dfs_create_session_res res;
	enum nfsstat4 status;
	u32 i;

	if (xdr_stream_decode_u64(cs->in, &args.clientid) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_u32(cs->in, &args.sequence) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_u32(cs->in, &args.flags) < 0)
		return NFS4ERR_BADXDR;
	if (dfs_dec_chan_attrs(cs->in, &args.fore) < 0)
		return NFS4ERR_BADXDR;
	if (dfs_dec_chan_attrs(cs->in, &args.back) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_u32(cs->in, &args.cb_program) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_u32(cs->in, &args.nr_cb_flavors) < 0)
		return NFS4ERR_BADXDR;
	if (args.nr_cb_flavors > DFS_MAX_CB_SEC_PARMS)
		return NFS4ERR_BADXDR;
	for (i = 0; i < args.nr_cb_flavors; i++)
		if (dfs_dec_cb_sec(cs->in, &flavors[i]) < 0)
			return NFS4ERR_BADXDR;
	dfs_principal_of(cs->rqstp, &args.principal);
	args.conn = dfs_svc_conn(cs);

	status = dfs_create_session(cs->srv, &args, &res);
	if (status)
		return status;

	if (dfs_enc_sessionid(cs->out, &res.sessionid) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_u32(cs->out, res.sequence) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_u32(cs->out, res.flags) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (dfs_enc_chan_attrs(cs->out, &res.fore) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (dfs_enc_chan_attrs(cs->out, &res.back) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

/**
 * dfs_op_sequence() - SEQUENCE (RFC 8881, section 18.46)
 * @cs: the COMPOUND
 *
 * On success the COMPOUND holds the slot (cs->seq.sess) until its reply is
 * complete, or carries the cached reply to send (cs->seq.replay).
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_sequence(struct dfs_compound *cs)
{
	const struct dfs_channel_attrs *fore;
	struct dfs_seq_args args = {
		.conn_ops = &dfs_svc_conn_ops,
	};
	struct dfs_seq_res *res = &cs->seq;
	enum nfsstat4 status;
	__be32 *p;

	if (dfs_dec_sessionid(cs->in, &args.sessionid) < 0)
		return NFS4ERR_BADXDR;
	p = xdr_inline_decode(cs->in, 4 * XDR_UNIT);
	if (!p)
		return NFS4ERR_BADXDR;
	args.slot.seqid = be32_to_cpup(p++);
	args.slot.slotid = be32_to_cpup(p++);
	args.slot.highest_slotid = be32_to_cpup(p++);
	args.slot.cachethis = *p != xdr_zero;
	args.slot.digest = dfs_compound_digest(cs);
	args.slot.req_size = cs->rqstp->rq_arg.len;
	args.slot.nops = cs->opcnt;
	args.conn = dfs_svc_conn(cs);

	status = dfs_sequence(cs->srv, &args, res);
	if (status)
		return status;
	dfs_svc_conn_valid(cs);
	if (res->replay)
		return NFS4_OK;

	fore = &res->sess->fore_tbl->attrs;
	cs->cachethis = args.slot.cachethis;
	cs->maxresp = fore->maxresponsesize;
	cs->maxresp_cached = fore->maxresponsesize_cached;

	if (dfs_enc_sessionid(cs->out, &args.sessionid) < 0)
		return NFS4ERR_REP_TOO_BIG;
	p = xdr_reserve_space(cs->out, 5 * XDR_UNIT);
	if (!p)
		return NFS4ERR_REP_TOO_BIG;
	*p++ = cpu_to_be32(args.slot.seqid);
	*p++ = cpu_to_be32(args.slot.slotid);
	*p++ = cpu_to_be32(res->highest_slotid);
	*p++ = cpu_to_be32(res->target_highest_slotid);
	*p = cpu_to_be32(res->status_flags);
	return NFS4_OK;
}

/**
 * dfs_op_destroy_session() - DESTROY_SESSION (RFC 8881, section 18.37)
 * @cs: the COMPOUND
 *
 * The COMPOUND's own session may only be destroyed by its last
 * operation; another session only from a connection bound to it.
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_destroy_session(struct dfs_compound *cs)
{
	struct dfs_sessionid sid;
	enum nfsstat4 status;
	void *conn;

	if (dfs_dec_sessionid(cs->in, &sid) < 0)
		return NFS4ERR_BADXDR;
	if (cs->seq.sess && !memcmp(&cs->seq.sess->id, &sid, sizeof(sid))) {
		if (cs->opidx + 1 != cs->opcnt)
			return NFS4ERR_NOT_ONLY_OP;
	} else {
		conn = dfs_svc_conn(cs);
		if (!conn)
			return NFS4ERR_DELAY;
		status = dfs_session_conn_check(cs->srv, &sid, conn);
		if (status)
			return status;
	}
	return dfs_destroy_session(cs->srv, &sid, cs->seq.sess);
}

/**
 * dfs_op_bind_conn_to_session() - BIND_CONN_TO_SESSION (RFC 8881, 18.34)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_bind_conn_to_session(struct dfs_compound *cs)
{
	struct dfs_sessionid sid;
	enum nfsstat4 status;
	u32 dir, granted;
	__u32 rdma;
	void *conn;

	if (dfs_dec_sessionid(cs->in, &sid) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_u32(cs->in, &dir) < 0)
		return NFS4ERR_BADXDR;
	if (xdr_stream_decode_bool(cs->in, &rdma) < 0)
		return NFS4ERR_BADXDR;
	conn = dfs_svc_conn(cs);
	if (!conn)
		return NFS4ERR_DELAY;

	status = dfs_bind_conn_to_session(cs->srv, &sid, conn,
					  &dfs_svc_conn_ops, dir, &granted);
	if (status)
		return status;
	dfs_svc_conn_valid(cs);
	if (dfs_enc_sessionid(cs->out, &sid) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_u32(cs->out, granted) < 0)
		return NFS4ERR_REP_TOO_BIG;
	if (xdr_stream_encode_bool(cs->out, false) < 0)
		return NFS4ERR_REP_TOO_BIG;	/* no RDMA */
	return NFS4_OK;
}

/**
 * dfs_op_destroy_clientid() - DESTROY_CLIENTID (RFC 8881, section 18.50)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_destroy_clientid(struct dfs_compound *cs)
{
	u64 clientid;

	if (xdr_stream_decode_u64(cs->in, &clientid) < 0)
		return NFS4ERR_BADXDR;
	return dfs_destroy_clientid(cs->srv, clientid);
}

/**
 * dfs_op_reclaim_complete() - RECLAIM_COMPLETE (RFC 8881, section 18.51)
 * @cs: the COMPOUND
 *
 * DittoFS keeps no state across restarts, so there is never anything to
 * reclaim; the client's first global RECLAIM_COMPLETE is recorded and a
 * second one is NFS4ERR_COMPLETE_ALREADY.
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_reclaim_complete(struct dfs_compound *cs)
{
	__u32 one_fs;

	if (xdr_stream_decode_bool(cs->in, &one_fs) < 0)
		return NFS4ERR_BADXDR;
	if (one_fs)
		return NFS4_OK;
	return dfs_client_reclaim_complete(cs->seq.sess->clp);
}
