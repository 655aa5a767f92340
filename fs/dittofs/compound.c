// SPDX-License-Identifier: GPL-2.0
/*
 * NFSv4.1 COMPOUND processing (RFC 8881, section 16.2).
 *
 * Operations are decoded one at a time from the request stream, executed,
 * and their results encoded straight into the reply; processing stops at
 * the first operation that fails.  Every length is checked against what
 * remains of the request, and a short or oversized field is
 * NFS4ERR_BADXDR.  A COMPOUND that starts with SEQUENCE holds a slot until
 * its reply is complete; the reply bytes are then handed back to the slot
 * (cached when the client asked) and the slot released on every path.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sunrpc/svc.h>

#include "compound.h"
#include "limits.h"
#include "metrics.h"
#include "state.h"
#include "svc.h"

/* Operation flags. */
#define DFS_OP_SESSIONLESS	BIT(0)	/* may start a COMPOUND without SEQUENCE */
#define DFS_OP_STATE		BIT(1)	/* session state only: no VFS, no creds */

/**
 * struct dfs_op - one entry of the operation table
 * @fn: decodes the arguments from cs->in and encodes the results (after
 *	the status) into cs->out; NULL for operations not implemented
 * @flags: DFS_OP_*
 */
struct dfs_op {
	enum nfsstat4 (*fn)(struct dfs_compound *cs);
	u32 flags;
};

static const struct dfs_op dfs_ops[LAST_NFS41_OP + 1] = {
	[OP_EXCHANGE_ID] = { dfs_op_exchange_id, DFS_OP_SESSIONLESS | DFS_OP_STATE },
	[OP_CREATE_SESSION] = { dfs_op_create_session, DFS_OP_SESSIONLESS | DFS_OP_STATE },
	[OP_DESTROY_SESSION] = { dfs_op_destroy_session, DFS_OP_SESSIONLESS | DFS_OP_STATE },
	[OP_BIND_CONN_TO_SESSION] = { dfs_op_bind_conn_to_session,
				      DFS_OP_SESSIONLESS | DFS_OP_STATE },
	[OP_DESTROY_CLIENTID] = { dfs_op_destroy_clientid, DFS_OP_SESSIONLESS | DFS_OP_STATE },
	[OP_SEQUENCE] = { dfs_op_sequence, DFS_OP_STATE },
	[OP_RECLAIM_COMPLETE] = { dfs_op_reclaim_complete, DFS_OP_STATE },
	[OP_PUTROOTFH] = { dfs_op_putrootfh, 0 },
	[OP_PUTPUBFH] = { dfs_op_putrootfh, 0 },
	[OP_PUTFH] = { dfs_op_putfh, 0 },
	[OP_GETFH] = { dfs_op_getfh, 0 },
	[OP_SAVEFH] = { dfs_op_savefh, 0 },
	[OP_RESTOREFH] = { dfs_op_restorefh, 0 },
	[OP_LOOKUP] = { dfs_op_lookup, 0 },
	[OP_LOOKUPP] = { dfs_op_lookupp, 0 },
	[OP_GETATTR] = { dfs_op_getattr, 0 },
	[OP_SETATTR] = { dfs_op_setattr, 0 },
	[OP_ACCESS] = { dfs_op_access, 0 },
	[OP_READDIR] = { dfs_op_readdir, 0 },
	[OP_CREATE] = { dfs_op_create, 0 },
	[OP_READLINK] = { dfs_op_readlink, 0 },
	[OP_LINK] = { dfs_op_link, 0 },
	[OP_REMOVE] = { dfs_op_remove, 0 },
	[OP_RENAME] = { dfs_op_rename, 0 },
	[OP_SECINFO] = { dfs_op_secinfo, 0 },
	[OP_SECINFO_NO_NAME] = { dfs_op_secinfo_no_name, 0 },
	[OP_OPEN] = { dfs_op_open, 0 },
	[OP_OPEN_DOWNGRADE] = { dfs_op_open_downgrade, 0 },
	[OP_CLOSE] = { dfs_op_close, 0 },
	[OP_READ] = { dfs_op_read, 0 },
	[OP_WRITE] = { dfs_op_write, 0 },
	[OP_COMMIT] = { dfs_op_commit, 0 },
	[OP_LOCK] = { dfs_op_lock, 0 },
	[OP_LOCKT] = { dfs_op_lockt, 0 },
	[OP_LOCKU] = { dfs_op_locku, 0 },
	[OP_TEST_STATEID] = { dfs_op_test_stateid, 0 },
	[OP_FREE_STATEID] = { dfs_op_free_stateid, 0 },
};

static siphash_key_t dfs_digest_key;

/*
 * Fault injection for the wire tests: hold every COMPOUND that holds a slot
 * this long after its SEQUENCE, so that a retry or a DESTROY_SESSION can
 * arrive while it executes.  0 (the default) disables it.
 */
static unsigned int dfs_fault_delay_ms;
module_param_named(fault_delay_ms, dfs_fault_delay_ms, uint, 0644);
MODULE_PARM_DESC(fault_delay_ms, "Test hook: hold each COMPOUND this many ms after SEQUENCE (default 0)");

/**
 * dfs_compound_digest() - a digest of the COMPOUND's arguments
 * @cs: the COMPOUND
 *
 * A retry carries the same arguments as its original; a different digest
 * on the same slot and sequence id is a false retry.  The digest covers
 * the arguments in the request's head buffer (all of them, except the
 * data of a large WRITE) and the request's total length.
 *
 * Return: a keyed 64-bit hash.
 */
u64 dfs_compound_digest(const struct dfs_compound *cs)
{
	const struct kvec *head = &cs->rqstp->rq_arg.head[0];
	unsigned int start = min_t(unsigned int, cs->argstart, head->iov_len);

	return siphash(head->iov_base + start, head->iov_len - start,
		       &dfs_digest_key) ^ cs->rqstp->rq_arg.len;
}

/*
 * Where each operation may appear (RFC 8881, 2.10.6.4 and 18.46.3): a
 * session-creating operation alone, SEQUENCE first, everything else after
 * SEQUENCE.
 */
static enum nfsstat4 dfs_op_position(struct dfs_compound *cs, u32 idx,
				     u32 opnum)
{
	u32 flags = dfs_ops[opnum].flags;

	if (opnum == OP_SEQUENCE)
		return idx == 0 ? NFS4_OK : NFS4ERR_SEQUENCE_POS;
	if (idx > 0)
		return NFS4_OK;
	if (!(flags & DFS_OP_SESSIONLESS))
		return NFS4ERR_OP_NOT_IN_SESSION;
	return cs->opcnt == 1 ? NFS4_OK : NFS4ERR_NOT_ONLY_OP;
}

/* Reply size limits of the session (RFC 8881, 18.46.3), checked per op. */
static enum nfsstat4 dfs_reply_size_check(struct dfs_compound *cs)
{
	unsigned int len = xdr_stream_pos(cs->out);

	if (!cs->maxresp)
		return NFS4_OK;
	if (len > cs->maxresp)
		return NFS4ERR_REP_TOO_BIG;
	if (cs->cachethis && len > cs->maxresp_cached)
		return NFS4ERR_REP_TOO_BIG_TO_CACHE;
	return NFS4_OK;
}

/* AUTH_NONE callers and unmapped ids act as nobody. */
#define DFS_ANON_ID	65534

/*
 * Act with the caller's AUTH_SYS identity for the whole COMPOUND, as
 * knfsd with no_root_squash: uid 0 keeps the file system capabilities,
 * everyone else loses them.
 */
static const struct cred *dfs_compound_creds(struct svc_rqst *rqstp)
{
	struct svc_cred *rc = &rqstp->rq_cred;
	const struct cred *old;
	struct cred *new;

	new = prepare_creds();
	if (!new)
		return NULL;
	new->fsuid = rc->cr_uid;
	new->fsgid = rc->cr_gid;
	if (!uid_valid(new->fsuid))
		new->fsuid = make_kuid(&init_user_ns, DFS_ANON_ID);
	if (!gid_valid(new->fsgid))
		new->fsgid = make_kgid(&init_user_ns, DFS_ANON_ID);
	if (rc->cr_group_info)
		set_groups(new, rc->cr_group_info);
	if (uid_eq(new->fsuid, GLOBAL_ROOT_UID))
		new->cap_effective = cap_raise_fs_set(new->cap_effective,
						      new->cap_permitted);
	else
		new->cap_effective = cap_drop_fs_set(new->cap_effective);
	old = override_creds(new);
	put_cred(new);
	return old;
}

/*
 * Overwrite one reserved word of the reply.  Words are patched through the
 * xdr_buf because a pointer from xdr_reserve_space() may point into the
 * stream's scratch buffer once a later reservation crosses a page.
 */
static void dfs_patch_u32(struct xdr_stream *out, unsigned int pos, u32 v)
{
	__be32 be = cpu_to_be32(v);

	write_bytes_to_xdr_buf(out->buf, pos, &be, XDR_UNIT);
}

/* Execute operation @idx; returns its status, already encoded. */
static enum nfsstat4 dfs_compound_op(struct dfs_compound *cs, u32 idx)
{
	unsigned int opstart;
	enum nfsstat4 status;
	u32 opnum;

	if (xdr_stream_decode_u32(cs->in, &opnum) < 0) {
		opnum = OP_ILLEGAL;
		status = NFS4ERR_BADXDR;
	} else if (opnum < OP_ACCESS || opnum > LAST_NFS41_OP) {
		opnum = OP_ILLEGAL;
		status = NFS4ERR_OP_ILLEGAL;
	} else {
		status = dfs_op_position(cs, idx, opnum);
		if (!status && !dfs_ops[opnum].fn)
			status = NFS4ERR_NOTSUPP;
	}

	opstart = xdr_stream_pos(cs->out);
	if (xdr_stream_encode_u32(cs->out, opnum) < 0 ||
	    xdr_stream_encode_u32(cs->out, status) < 0)
		return NFS4ERR_REP_TOO_BIG;

	if (!status) {
		enum nfsstat4 size;
		bool vfs;

		cs->err_body = false;
		dfs_metrics_op(cs->srv, opnum);
		/* The caller's identity is set up once, for the first VFS op. */
		vfs = !(dfs_ops[opnum].flags & DFS_OP_STATE);
		if (vfs && !cs->old_cred)
			cs->old_cred = dfs_compound_creds(cs->rqstp);
		if (vfs && !cs->old_cred)
			status = NFS4ERR_DELAY;
		else
			status = dfs_ops[opnum].fn(cs);
		size = dfs_reply_size_check(cs);
		if (size) {
			status = size;
			cs->err_body = false;
		}
		if (status && !cs->err_body)
			xdr_truncate_encode(cs->out, opstart + 2 * XDR_UNIT);
		if (status)
			dfs_patch_u32(cs->out, opstart + XDR_UNIT, status);
	}
	/*
	 * Pages the reply now uses must be released after sending (they may
	 * still be in flight) rather than reused by the next request: sunrpc
	 * releases up to rq_next_page, which the xdr_stream does not move.
	 */
	cs->rqstp->rq_next_page = cs->out->page_ptr + 1;
	return status;
}

/* Copy the reply from @start to the end into @buf. */
static int dfs_reply_copy(struct xdr_stream *out, unsigned int start,
			  void *buf, unsigned int len)
{
	return read_bytes_from_xdr_buf(out->buf, start, buf, len);
}

/* Hand the reply to the held slot: cache it if asked; release the slot. */
static void dfs_compound_release_slot(struct dfs_compound *cs,
				      unsigned int start)
{
	unsigned int len = xdr_stream_pos(cs->out) - start;
	void *buf = NULL;

	if (cs->cachethis) {
		buf = kmalloc(len, GFP_KERNEL);
		if (buf && dfs_reply_copy(cs->out, start, buf, len)) {
			kfree(buf);
			buf = NULL;
		}
	}
	dfs_sequence_done(&cs->seq, buf, buf ? len : 0);
	kfree(buf);
}

/* Send a cached reply, byte for byte, in place of the whole COMPOUND. */
static void dfs_compound_send_replay(struct dfs_compound *cs,
				     unsigned int start)
{
	struct dfs_reply *rep = cs->seq.replay;
	unsigned int off = 0;

	xdr_truncate_encode(cs->out, start);
	while (off < rep->len) {
		unsigned int n = min_t(unsigned int, rep->len - off, PAGE_SIZE);
		__be32 *p = xdr_reserve_space(cs->out, n);

		if (!p)
			break;
		memcpy(p, rep->data + off, n);
		off += n;
	}
	dfs_reply_put(rep);
	cs->seq.replay = NULL;
}

/**
 * dfs_compound_dispatch() - run NFSPROC4_COMPOUND
 * @rqstp: the request, its argument stream just past the RPC header
 *
 * Return: 1: send the reply in @rqstp->rq_res.
 */
int dfs_compound_dispatch(struct svc_rqst *rqstp)
{
	struct dfs_compound cs = {
		.rqstp = rqstp,
		.in = &rqstp->rq_arg_stream,
		.out = &rqstp->rq_res_stream,
		.srv = dfs_server_get_default(),
	};
	enum nfsstat4 status = NFS4_OK;
	unsigned int start;
	unsigned int statuspos, numrespos;
	u32 minor = 1, nres = 0, i;
	u32 taglen = 0;
	void *tag = NULL;
	ssize_t len;

	cs.argstart = xdr_stream_pos(cs.in);
	len = xdr_stream_decode_opaque_inline(cs.in, &tag, DFS_MAX_TAG);
	if (len < 0 ||
	    xdr_stream_decode_u32(cs.in, &minor) < 0 ||
	    xdr_stream_decode_u32(cs.in, &cs.opcnt) < 0) {
		status = NFS4ERR_BADXDR;
		cs.opcnt = 0;
	}
	if (len > 0)
		taglen = len;

	start = xdr_stream_pos(cs.out);
	statuspos = start;
	if (xdr_stream_encode_u32(cs.out, 0) < 0 ||
	    xdr_stream_encode_opaque(cs.out, tag, taglen) < 0)
		goto err_system;
	numrespos = xdr_stream_pos(cs.out);
	if (xdr_stream_encode_u32(cs.out, 0) < 0)
		goto err_system;

	if (!status && minor != 1) {
		status = NFS4ERR_MINOR_VERS_MISMATCH;
		cs.opcnt = 0;
	}
	/* Every operation takes at least its number: more cannot be there. */
	if (!status && cs.opcnt > xdr_stream_remaining(cs.in) / XDR_UNIT) {
		status = NFS4ERR_BADXDR;
		cs.opcnt = 0;
	}

	for (i = 0; i < cs.opcnt; i++) {
		cs.opidx = i;
		status = dfs_compound_op(&cs, i);
		nres++;
		if (status || cs.seq.replay)
			break;
		if (i == 0 && cs.seq.sess && READ_ONCE(dfs_fault_delay_ms))
			msleep(min(READ_ONCE(dfs_fault_delay_ms), 10000U));
	}
	path_put(&cs.cur);
	path_put(&cs.saved);
	if (cs.old_cred)
		revert_creds(cs.old_cred);

	dfs_patch_u32(cs.out, statuspos, status);
	dfs_patch_u32(cs.out, numrespos, nres);

	if (cs.seq.replay) {
		dfs_compound_send_replay(&cs, start);
		rqstp->rq_next_page = cs.out->page_ptr + 1;
	} else if (cs.seq.sess) {
		dfs_compound_release_slot(&cs, start);
	}
	dfs_svc_conn_put(&cs);
	return 1;

err_system:
	*rqstp->rq_accept_statp = rpc_system_err;
	return 1;
}

/**
 * dfs_compound_init() - pick the key for request digests
 */
void dfs_compound_init(void)
{
	get_random_bytes(&dfs_digest_key, sizeof(dfs_digest_key));
}
