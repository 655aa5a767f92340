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
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sunrpc/svc.h>
#include <kunit/visibility.h>

#include "compound.h"
#include "export.h"
#include "limits.h"
#include "metrics.h"
#include "state.h"
#include "svc.h"

/* Operation flags. */
#define DFS_OP_SESSIONLESS	BIT(0)	/* may start a COMPOUND without SEQUENCE */
#define DFS_OP_STATE		BIT(1)	/* session state only: no VFS, no creds */
#define DFS_OP_SETFH		BIT(2)	/* sets the current filehandle anew */
#define DFS_OP_NOFH		BIT(3)	/* needs no current filehandle */
#define DFS_OP_ANYSEC		BIT(4)	/* allowed with any flavor (SECINFO) */
#define DFS_OP_MODIFY		BIT(5)	/* changes the file system: not on ro */

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
	[OP_PUTROOTFH] = { dfs_op_putrootfh, DFS_OP_SETFH },
	[OP_PUTPUBFH] = { dfs_op_putrootfh, DFS_OP_SETFH },
	[OP_PUTFH] = { dfs_op_putfh, DFS_OP_SETFH },
	[OP_GETFH] = { dfs_op_getfh, 0 },
	[OP_SAVEFH] = { dfs_op_savefh, DFS_OP_ANYSEC },
	[OP_RESTOREFH] = { dfs_op_restorefh, DFS_OP_SETFH },
	[OP_LOOKUP] = { dfs_op_lookup, 0 },
	[OP_LOOKUPP] = { dfs_op_lookupp, 0 },
	[OP_GETATTR] = { dfs_op_getattr, 0 },
	[OP_SETATTR] = { dfs_op_setattr, DFS_OP_MODIFY },
	[OP_ACCESS] = { dfs_op_access, 0 },
	[OP_READDIR] = { dfs_op_readdir, 0 },
	[OP_CREATE] = { dfs_op_create, DFS_OP_MODIFY },
	[OP_READLINK] = { dfs_op_readlink, 0 },
	[OP_LINK] = { dfs_op_link, DFS_OP_MODIFY },
	[OP_REMOVE] = { dfs_op_remove, DFS_OP_MODIFY },
	[OP_RENAME] = { dfs_op_rename, DFS_OP_MODIFY },
	[OP_SECINFO] = { dfs_op_secinfo, DFS_OP_ANYSEC },
	[OP_SECINFO_NO_NAME] = { dfs_op_secinfo_no_name, DFS_OP_ANYSEC },
	[OP_OPEN] = { dfs_op_open, 0 },
	[OP_OPEN_DOWNGRADE] = { dfs_op_open_downgrade, 0 },
	[OP_CLOSE] = { dfs_op_close, 0 },
	[OP_READ] = { dfs_op_read, 0 },
	[OP_WRITE] = { dfs_op_write, DFS_OP_MODIFY },
	[OP_COMMIT] = { dfs_op_commit, DFS_OP_MODIFY },
	[OP_LOCK] = { dfs_op_lock, 0 },
	[OP_LOCKT] = { dfs_op_lockt, 0 },
	[OP_LOCKU] = { dfs_op_locku, 0 },
	[OP_TEST_STATEID] = { dfs_op_test_stateid, DFS_OP_NOFH },
	[OP_FREE_STATEID] = { dfs_op_free_stateid, DFS_OP_NOFH },
};

static siphash_key_t dfs_digest_key;
/* How much of a request the false-retry digest covers. */
#define DFS_DIGEST_PREFIX	512

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
 * the first %DFS_DIGEST_PREFIX bytes of the arguments (the tag, SEQUENCE
 * and the operations that follow it, all of a typical request) and the
 * request's total length, so its cost is bounded whatever the request
 * carries (a WRITE's data, a long tag).
 *
 * Return: a keyed 64-bit hash.
 */
u64 dfs_compound_digest(const struct dfs_compound *cs)
{
	const struct kvec *head = &cs->rqstp->rq_arg.head[0];
	unsigned int start = min_t(unsigned int, cs->argstart, head->iov_len);
	unsigned int len = min_t(unsigned int, head->iov_len - start,
				 DFS_DIGEST_PREFIX);

	return siphash(head->iov_base + start, len, &dfs_digest_key) ^
	       cs->rqstp->rq_arg.len;
}

/**
 * dfs_utf8_valid() - is this well-formed UTF-8 (RFC 3629)?
 * @s: the bytes
 * @len: how many
 *
 * Overlong forms, surrogates and code points above U+10FFFF are not.
 *
 * Return: true when @s is valid UTF-8.
 */
bool dfs_utf8_valid(const u8 *s, u32 len)
{
	u32 i = 0, n, cp, k;

	while (i < len) {
		u8 c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_utf8_valid);

/*
 * Where each operation may appear (RFC 8881, 2.10.6.4 and 18.46.3): a
 * session-creating operation alone, SEQUENCE first, everything else after
 * SEQUENCE; BIND_CONN_TO_SESSION only alone.
 */
static enum nfsstat4 dfs_op_position(struct dfs_compound *cs, u32 idx,
				     u32 opnum)
{
	u32 flags = dfs_ops[opnum].flags;

	if (opnum == OP_SEQUENCE)
		return idx == 0 ? NFS4_OK : NFS4ERR_SEQUENCE_POS;
	/* Not even after SEQUENCE (RFC 8881, 18.34.3). */
	if (opnum == OP_BIND_CONN_TO_SESSION)
		return cs->opcnt == 1 ? NFS4_OK : NFS4ERR_NOT_ONLY_OP;
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

/*
 * What every operation that works on the current filehandle is checked
 * for, in one place: a filehandle, the flavor its export accepts, a
 * writable export for one that modifies, and the caller's credentials as
 * that export maps them, in place for the operation.
 */
static enum nfsstat4 dfs_compound_enter(struct dfs_compound *cs, u32 flags)
{
	const struct cred *old;

	if (flags & (DFS_OP_STATE | DFS_OP_SETFH | DFS_OP_NOFH))
		return NFS4_OK;
	if (!cs->exp)
		return NFS4ERR_NOFILEHANDLE;
	if (!(flags & DFS_OP_ANYSEC) &&
	    !dfs_export_flavor_ok(cs->exp, cs->rqstp))
		return NFS4ERR_WRONGSEC;
	if ((flags & DFS_OP_MODIFY) && dfs_export_ro(cs->exp))
		return NFS4ERR_ROFS;
	if (cs->cred_exp == cs->exp)
		return NFS4_OK;
	if (cs->old_cred) {
		revert_creds(cs->old_cred);
		cs->old_cred = NULL;
		dfs_export_put(cs->cred_exp);
		cs->cred_exp = NULL;
	}
	old = dfs_export_override_creds(cs->exp, cs->rqstp);
	if (!old)
		return NFS4ERR_DELAY;
	cs->old_cred = old;
	cs->cred_exp = dfs_export_get(cs->exp);
	return NFS4_OK;
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

		cs->err_body = false;
		dfs_metrics_op(cs->srv, opnum);
		status = dfs_compound_enter(cs, dfs_ops[opnum].flags);
		if (!status)
			status = dfs_ops[opnum].fn(cs);
		else if (opnum == OP_SETATTR)
			/* SETATTR4res has attrsset (empty) also on failure. */
			cs->err_body = xdr_stream_encode_u32(cs->out, 0) > 0;
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

/* The reply's bytes from where the COMPOUND result starts. */
struct dfs_reply_at {
	struct xdr_buf *buf;
	unsigned int start;
};

static int dfs_reply_copy(void *ctx, void *dst, u32 len)
{
	struct dfs_reply_at *at = ctx;

	return read_bytes_from_xdr_buf(at->buf, at->start, dst, len);
}

/*
 * Hand the reply to the held slot: cached if asked, copied once from the
 * reply's pages into the cache's buffer; release the slot.
 */
static void dfs_compound_release_slot(struct dfs_compound *cs,
				      unsigned int start)
{
	struct dfs_reply_at at = { cs->out->buf, start };
	unsigned int len = xdr_stream_pos(cs->out) - start;

	/* Without cachethis nothing is copied (nor checked): no fill. */
	dfs_sequence_done_fill(&cs->seq, len,
			       cs->cachethis ? dfs_reply_copy : NULL, &at);
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
	/* The tag is a utf8str_cs (RFC 8881, 15.1.2 and 16.2.3). */
	if (!status && !dfs_utf8_valid(tag, taglen)) {
		status = NFS4ERR_INVAL;
		cs.opcnt = 0;
	}

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
	dfs_export_put(cs.exp);
	dfs_export_put(cs.saved_exp);
	if (cs.old_cred)
		revert_creds(cs.old_cred);
	dfs_export_put(cs.cred_exp);

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
