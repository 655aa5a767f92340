// SPDX-License-Identifier: GPL-2.0
/*
 * Stateful file operations of NFSv4.1 (RFC 8881, section 18): OPEN,
 * OPEN_DOWNGRADE, CLOSE, READ, WRITE, COMMIT, LOCK, LOCKT, LOCKU,
 * TEST_STATEID and FREE_STATEID.  State lives in stateid.c; data moves
 * through the VFS with the caller's credentials (set for the whole
 * COMPOUND by compound.c).  No delegations are ever granted.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nfs.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/sunrpc/svc.h>
#include <linux/timekeeping.h>
#include <linux/uio.h>
#include <linux/unaligned.h>

#include "attr.h"
#include "client.h"
#include "compound.h"
#include "export.h"
#include "limits.h"
#include "state.h"
#include "stateid.h"

/* Bound on TEST_STATEID's list (each entry is 16 bytes of request). */
#define DFS_MAX_TEST_STATEIDS	1024

/* Changes on every module load: clients resend uncommitted writes. */
static u8 dfs_write_verf[NFS4_VERIFIER_SIZE];

static struct dfs_client_stateids *dfs_cst(struct dfs_compound *cs)
{
	return &cs->seq.sess->clp->stateids;
}

/**
 * dfs_dec_stateid() - decode a stateid4
 * @xdr: the request
 * @sid: filled in
 *
 * Return: 0, or a negative errno when the request is short.
 */
int dfs_dec_stateid(struct xdr_stream *xdr, struct dfs_stateid *sid)
{
	if (xdr_stream_decode_u32(xdr, &sid->seqid) < 0)
		return -EBADMSG;
	return xdr_stream_decode_opaque_fixed(xdr, sid->other,
					      sizeof(sid->other));
}

static int dfs_enc_stateid(struct xdr_stream *xdr,
			   const struct dfs_stateid *sid)
{
	if (xdr_stream_encode_u32(xdr, sid->seqid) < 0)
		return -EMSGSIZE;
	return xdr_stream_encode_opaque_fixed(xdr, sid->other,
					      sizeof(sid->other));
}

/* @dentry (the current filehandle's) must be a regular file. */
static enum nfsstat4 dfs_reg_dentry(struct dentry *dentry)
{
	if (!dentry)
		return NFS4ERR_NOFILEHANDLE;
	if (d_is_reg(dentry))
		return NFS4_OK;
	if (d_is_dir(dentry))
		return NFS4ERR_ISDIR;
	return d_is_symlink(dentry) ? NFS4ERR_SYMLINK : NFS4ERR_WRONG_TYPE;
}

static enum nfsstat4 dfs_need_reg(struct dfs_compound *cs)
{
	return dfs_reg_dentry(cs->cur.dentry);
}

/*
 * Look a stateid up for the current file: it must name state of this
 * client on this file.
 */
static enum nfsstat4 dfs_stid_for_cur(struct dfs_compound *cs,
				      const struct dfs_stateid *sid,
				      u32 types, struct dfs_stid **out)
{
	enum nfsstat4 status;

	status = dfs_stid_lookup(dfs_cst(cs), sid, types, out);
	if (status)
		return status;
	if ((*out)->inode != d_inode(cs->cur.dentry)) {
		dfs_stid_put(*out);
		return NFS4ERR_BAD_STATEID;
	}
	return NFS4_OK;
}

/**
 * dfs_open_file() - open a regular file for the server
 * @path: the file
 * @flags: O_RDONLY, O_WRONLY or O_RDWR, and O_LARGEFILE
 *
 * A lease a local process holds (or a delegation) is broken without
 * waiting for it, as knfsd does: the client is told to retry rather than
 * parking a server thread until the lease holder lets go.
 *
 * Return: a referenced file, or an ERR_PTR (-EWOULDBLOCK while a lease
 * is being broken, NFS4ERR_DELAY for the client).
 */
struct file *dfs_open_file(const struct path *path, int flags)
{
	int err;

	err = break_lease(d_inode(path->dentry),
			  (flags & O_ACCMODE) | O_NONBLOCK);
	if (err)
		return ERR_PTR(err);
	return dentry_open(path, flags, current_cred());
}

/**
 * dfs_io_file() - the file an I/O on the current filehandle goes through
 * @cs: the COMPOUND
 * @req_sid: the request's stateid (the special current stateid stands
 *	for the COMPOUND's current stateid)
 * @write: the I/O writes (WRITE, SETATTR of the size)
 * @filp: set to a referenced file on NFS4_OK; release with fput()
 *
 * The open's file for an open or lock stateid, or a temporary one for the
 * special stateids, after the caller's permission and the share
 * reservations of the opens are checked.  The permission is checked on
 * every I/O, not only at OPEN: another user may present the stateid, and
 * the mode may have changed since.
 *
 * Return: NFS4_OK or the stateid's or permission's error.
 */
enum nfsstat4 dfs_io_file(struct dfs_compound *cs,
			  const struct dfs_stateid *req_sid, bool write,
			  struct file **filp)
{
	struct inode *inode = d_inode(cs->cur.dentry);
	struct dfs_stateid cur = *req_sid, *sid = &cur;
	enum dfs_special_stateid kind;
	struct dfs_stid *stid;
	enum nfsstat4 status;
	struct file *file;
	int may = (write ? MAY_WRITE : MAY_READ | DFS_MAY_READ_IF_EXEC) |
		  DFS_MAY_OWNER_OVERRIDE;
	int err;

	err = dfs_permission(cs->exp, &cs->cur, may);
	if (err)
		return dfs_errno(err);
	status = dfs_compound_stateid(cs, sid);
	if (status)
		return status;
	kind = dfs_stateid_special(sid);
	switch (kind) {
	case DFS_SID_NORMAL:
		status = dfs_stid_for_cur(cs, sid, DFS_STID_OPEN | DFS_STID_LOCK,
					  &stid);
		if (status)
			return status;
		status = dfs_stid_file(stid, write, filp);
		dfs_stid_put(stid);
		return status;
	case DFS_SID_ANON:
	case DFS_SID_BYPASS:
		/* All ones bypasses share reservations for READ only. */
		if (write || kind == DFS_SID_ANON) {
			status = dfs_share_check_anon(inode, write ?
						      NFS4_SHARE_ACCESS_WRITE :
						      NFS4_SHARE_ACCESS_READ);
			if (status)
				return status;
		}
		file = dfs_open_file(&cs->cur, (write ? O_WRONLY : O_RDONLY) |
				     O_LARGEFILE);
		if (IS_ERR(file))
			return dfs_errno(PTR_ERR(file));
		*filp = file;
		return NFS4_OK;
	default:
		return NFS4ERR_BAD_STATEID;
	}
}

/**
 * struct dfs_open_req - OPEN, decoded
 * @access: share_access without the want bits
 * @want: the OPEN4_SHARE_ACCESS_WANT_* bits
 * @deny: share_deny
 * @owner: open_owner4's opaque
 * @owner_len: bytes in @owner
 * @create: opentype is OPEN4_CREATE
 * @createmode: createmode4
 * @sa: createattrs (zero when none)
 * @verf: the exclusive create verifier
 * @claim: open_claim_type4
 * @name: CLAIM_NULL's component
 * @namelen: bytes in @name
 */
struct dfs_open_req {
	u32 access;
	u32 want;
	u32 deny;
	void *owner;
	u32 owner_len;
	bool create;
	u32 createmode;
	struct dfs_sattr sa;
	u8 verf[NFS4_VERIFIER_SIZE];
	u32 claim;
	char *name;
	u32 namelen;
};

static enum nfsstat4 dfs_dec_open(struct xdr_stream *xdr,
				  struct dfs_open_req *o)
{
	struct dfs_stateid sid;
	enum nfsstat4 status;
	u32 seqid, share, type;
	u64 clientid;
	ssize_t len;

	if (xdr_stream_decode_u32(xdr, &seqid) < 0 ||
	    xdr_stream_decode_u32(xdr, &share) < 0 ||
	    xdr_stream_decode_u32(xdr, &o->deny) < 0 ||
	    xdr_stream_decode_u64(xdr, &clientid) < 0)
		return NFS4ERR_BADXDR;
	o->access = share & NFS4_SHARE_ACCESS_MASK;
	o->want = share & NFS4_SHARE_WANT_MASK;
	len = xdr_stream_decode_opaque_inline(xdr, &o->owner,
					      NFS4_OPAQUE_LIMIT);
	if (len < 0 || xdr_stream_decode_u32(xdr, &type) < 0)
		return NFS4ERR_BADXDR;
	o->owner_len = len;
	if (type > NFS4_OPEN_CREATE)
		return NFS4ERR_BADXDR;
	o->create = type == NFS4_OPEN_CREATE;
	if (o->create) {
		if (xdr_stream_decode_u32(xdr, &o->createmode) < 0)
			return NFS4ERR_BADXDR;
		switch (o->createmode) {
		case NFS4_CREATE_UNCHECKED:
		case NFS4_CREATE_GUARDED:
			status = dfs_decode_fattr(xdr, &o->sa);
			if (status)
				return status;
			break;
		case NFS4_CREATE_EXCLUSIVE:
		case NFS4_CREATE_EXCLUSIVE4_1:
			if (xdr_stream_decode_opaque_fixed(xdr, o->verf,
							   sizeof(o->verf)) < 0)
				return NFS4ERR_BADXDR;
			if (o->createmode == NFS4_CREATE_EXCLUSIVE)
				break;
			status = dfs_decode_fattr(xdr, &o->sa);
			if (status)
				return status;
			/* The times hold the verifier. */
			if (o->sa.ia.ia_valid & (ATTR_ATIME | ATTR_MTIME))
				return NFS4ERR_INVAL;
			break;
		default:
			return NFS4ERR_BADXDR;
		}
	}

	if (xdr_stream_decode_u32(xdr, &o->claim) < 0)
		return NFS4ERR_BADXDR;
	switch (o->claim) {
	case NFS4_OPEN_CLAIM_NULL:
		return dfs_decode_name(xdr, &o->name, &o->namelen);
	case NFS4_OPEN_CLAIM_FH:
		return NFS4_OK;
	case NFS4_OPEN_CLAIM_PREVIOUS:
		if (xdr_stream_decode_u32(xdr, &type) < 0)
			return NFS4ERR_BADXDR;
		return NFS4ERR_NO_GRACE;	/* nothing survives a restart */
	case NFS4_OPEN_CLAIM_DELEGATE_CUR:
		if (dfs_dec_stateid(xdr, &sid) < 0)
			return NFS4ERR_BADXDR;
		status = dfs_decode_name(xdr, &o->name, &o->namelen);
		return status ?: NFS4ERR_BAD_STATEID;	/* no delegations */
	case NFS4_OPEN_CLAIM_DELEGATE_PREV:
		status = dfs_decode_name(xdr, &o->name, &o->namelen);
		return status ?: NFS4ERR_NO_GRACE;
	case NFS4_OPEN_CLAIM_DELEG_CUR_FH:
		if (dfs_dec_stateid(xdr, &sid) < 0)
			return NFS4ERR_BADXDR;
		return NFS4ERR_BAD_STATEID;
	case NFS4_OPEN_CLAIM_DELEG_PREV_FH:
		return NFS4ERR_NO_GRACE;
	default:
		return NFS4ERR_BADXDR;
	}
}

/* The exclusive create verifier lives in the file's atime and mtime. */
static void dfs_verf_times(const u8 *verf, struct timespec64 *atime,
			   struct timespec64 *mtime)
{
	*atime = (struct timespec64){ get_unaligned_be32(verf) & 0x7fffffff, 0 };
	*mtime = (struct timespec64){
		get_unaligned_be32(verf + 4) & 0x7fffffff, 0 };
}

static bool dfs_verf_matches(struct inode *inode, const u8 *verf)
{
	struct timespec64 a, m, ia = inode_get_atime(inode),
				im = inode_get_mtime(inode);

	dfs_verf_times(verf, &a, &m);
	return timespec64_equal(&a, &ia) && timespec64_equal(&m, &im);
}

static int dfs_set_verf(const struct path *path, const u8 *verf)
{
	struct inode *inode = d_inode(path->dentry);
	struct iattr ia = {
		.ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_ATIME_SET |
			    ATTR_MTIME_SET,
	};
	int err;

	dfs_verf_times(verf, &ia.ia_atime, &ia.ia_mtime);
	inode_lock(inode);
	err = notify_change(mnt_idmap(path->mnt), path->dentry, &ia, NULL);
	inode_unlock(inode);
	return err;
}

/**
 * struct dfs_open_res - what OPEN found or made
 * @path: the file, referenced
 * @created: this OPEN created it
 * @before: the directory's change attribute before
 * @after: and after
 * @attrset: attributes set by the create
 */
struct dfs_open_res {
	struct path path;
	bool created;
	u64 before;
	u64 after;
	u32 attrset[DFS_ATTR_WORDS];
};

/* CLAIM_NULL: look the name up in the current directory, maybe create. */
static enum nfsstat4 dfs_open_by_name(struct dfs_compound *cs,
				      struct dfs_open_req *o,
				      struct dfs_open_res *r)
{
	struct inode *dir = d_inode(cs->cur.dentry);
	struct mnt_idmap *idmap = mnt_idmap(cs->cur.mnt);
	bool excl = o->createmode == NFS4_CREATE_EXCLUSIVE ||
		    o->createmode == NFS4_CREATE_EXCLUSIVE4_1;
	enum nfsstat4 status = NFS4_OK;
	struct dentry *dentry;
	umode_t mode;
	int err;

	if (o->create) {
		if (dfs_export_ro(cs->exp))
			return NFS4ERR_ROFS;
		err = mnt_want_write(cs->cur.mnt);
		if (err)
			return dfs_errno(err);
	}
	inode_lock_nested(dir, I_MUTEX_PARENT);
	r->before = dfs_dir_change(&cs->cur);
	dentry = lookup_one_len(o->name, cs->cur.dentry, o->namelen);
	if (IS_ERR(dentry)) {
		status = dfs_errno(PTR_ERR(dentry));
		goto err_unlock;
	}
	if (d_really_is_negative(dentry)) {
		if (!o->create) {
			status = NFS4ERR_NOENT;
			goto err_dput;
		}
		mode = (o->sa.ia.ia_valid & ATTR_MODE) ?
		       o->sa.ia.ia_mode & S_IALLUGO : 0644;
		err = vfs_create(idmap, dir, dentry, S_IFREG | mode, excl);
		if (err) {
			status = dfs_errno(err);
			goto err_dput;
		}
		r->created = true;
	} else if (o->create && o->createmode == NFS4_CREATE_GUARDED) {
		status = NFS4ERR_EXIST;
		goto err_dput;
	} else if (o->create && excl &&
		   (!d_is_reg(dentry) ||
		    !dfs_verf_matches(d_inode(dentry), o->verf))) {
		status = NFS4ERR_EXIST;
		goto err_dput;
	}
	r->after = dfs_dir_change(&cs->cur);
	inode_unlock(dir);
	r->path.mnt = mntget(cs->cur.mnt);
	r->path.dentry = dentry;

	if (r->created && excl) {
		err = dfs_set_verf(&r->path, o->verf);
		if (err)
			status = dfs_errno(err);
		r->attrset[1] |= FATTR4_WORD1_TIME_ACCESS |
				 FATTR4_WORD1_TIME_MODIFY;
	}
	if (o->create)
		mnt_drop_write(cs->cur.mnt);
	return status;

err_dput:
	dput(dentry);
err_unlock:
	inode_unlock(dir);
	if (o->create)
		mnt_drop_write(cs->cur.mnt);
	return status;
}

/* Attributes given with a create, applied once the open is recorded. */
static enum nfsstat4 dfs_open_setattr(struct dfs_open_req *o,
				      struct dfs_open_res *r)
{
	enum nfsstat4 status;
	int i;

	if (!o->create)
		return NFS4_OK;
	if (!r->created) {
		/* An existing file: only a size (truncation) applies. */
		if (o->createmode != NFS4_CREATE_UNCHECKED ||
		    !(o->sa.ia.ia_valid & ATTR_SIZE))
			return NFS4_OK;
		if (!(o->access & NFS4_SHARE_ACCESS_WRITE))
			return NFS4ERR_INVAL;
		o->sa.ia.ia_valid = ATTR_SIZE;
		memset(o->sa.bm, 0, sizeof(o->sa.bm));
		o->sa.bm[0] = FATTR4_WORD0_SIZE;
	}
	/* The mode was given to the create. */
	o->sa.ia.ia_valid &= ~ATTR_MODE;
	status = dfs_setattr(&r->path, &o->sa);
	if (status)
		return status;
	for (i = 0; i < DFS_ATTR_WORDS; i++)
		r->attrset[i] |= o->sa.bm[i];
	return NFS4_OK;
}

/*
 * May the caller open an existing file this way (knfsd's rules)?  The
 * mode decides, also for the owner; denying others read access needs
 * write access, so that a reader cannot lock everyone else out.
 */
static enum nfsstat4 dfs_open_permission(const struct dfs_export *exp,
					 const struct path *path,
					 const struct dfs_open_req *o)
{
	int may = 0;

	if (o->access & NFS4_SHARE_ACCESS_READ)
		may |= MAY_READ;
	if (o->access & NFS4_SHARE_ACCESS_WRITE)
		may |= MAY_WRITE | DFS_MAY_TRUNC;
	if (o->deny & NFS4_SHARE_DENY_READ)
		may |= MAY_WRITE;
	return dfs_errno(dfs_permission(exp, path, may));
}

static int dfs_enc_open_res(struct xdr_stream *xdr, struct dfs_open_req *o,
			    struct dfs_open_res *r,
			    const struct dfs_stateid *sid)
{
	if (dfs_enc_stateid(xdr, sid) < 0 ||
	    xdr_stream_encode_bool(xdr, true) < 0 ||	/* cinfo.atomic */
	    xdr_stream_encode_u64(xdr, r->before) < 0 ||
	    xdr_stream_encode_u64(xdr, r->after) < 0 ||
	    xdr_stream_encode_u32(xdr, NFS4_OPEN_RESULT_LOCKTYPE_POSIX) < 0 ||
	    dfs_encode_bitmap(xdr, r->attrset) < 0)
		return -EMSGSIZE;
	/* No delegations; say why only when one was asked about. */
	if (!o->want)
		return xdr_stream_encode_u32(xdr, NFS4_OPEN_DELEGATE_NONE) < 0 ?
		       -EMSGSIZE : 0;
	if (xdr_stream_encode_u32(xdr, NFS4_OPEN_DELEGATE_NONE_EXT) < 0)
		return -EMSGSIZE;
	switch (o->want) {
	case NFS4_SHARE_WANT_NO_DELEG:
		return xdr_stream_encode_u32(xdr, WND4_NOT_WANTED) < 0 ?
		       -EMSGSIZE : 0;
	case NFS4_SHARE_WANT_CANCEL:
		return xdr_stream_encode_u32(xdr, WND4_CANCELLED) < 0 ?
		       -EMSGSIZE : 0;
	default:
		return xdr_stream_encode_u32(xdr, WND4_NOT_SUPP_FTYPE) < 0 ?
		       -EMSGSIZE : 0;
	}
}

/**
 * dfs_op_open() - OPEN (RFC 8881, section 18.16)
 * @cs: the COMPOUND
 *
 * CLAIM_NULL opens (or creates) a name in the current directory,
 * CLAIM_FH the current file; reclaims get NFS4ERR_NO_GRACE (nothing
 * survives a restart) and delegation claims NFS4ERR_BAD_STATEID.  The
 * opened file becomes the current filehandle.
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_open(struct dfs_compound *cs)
{
	struct dfs_open_args args = { };
	struct dfs_open_req *o;
	struct dfs_open_res r = { };
	enum nfsstat4 status;
	struct dfs_stateid sid;
	struct file *spare;
	struct dfs_stid *stid;
	int flags;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return NFS4ERR_DELAY;
	status = dfs_dec_open(cs->in, o);
	if (status)
		goto out_free;
	status = NFS4ERR_INVAL;
	if (!o->access || o->access > NFS4_SHARE_ACCESS_BOTH ||
	    o->deny > NFS4_SHARE_DENY_BOTH || !o->owner_len)
		goto out_free;

	if (o->claim == NFS4_OPEN_CLAIM_NULL) {
		if (!cs->cur.dentry) {
			status = NFS4ERR_NOFILEHANDLE;
			goto out_free;
		}
		if (!d_is_dir(cs->cur.dentry)) {
			status = d_is_symlink(cs->cur.dentry) ?
				 NFS4ERR_SYMLINK : NFS4ERR_NOTDIR;
			goto out_free;
		}
		status = dfs_open_by_name(cs, o, &r);
		if (r.path.dentry && status)
			goto err_path;
		if (status)
			goto out_free;
	} else {
		status = dfs_need_reg(cs);
		if (status)
			goto out_free;
		status = NFS4ERR_INVAL;
		if (o->create)
			goto out_free;
		r.path = cs->cur;
		path_get(&r.path);
	}
	status = dfs_reg_dentry(r.path.dentry);
	if (status)
		goto err_path;
	if (!r.created) {
		status = dfs_open_permission(cs->exp, &r.path, o);
		if (status)
			goto err_path;
	}

	flags = o->access == NFS4_SHARE_ACCESS_BOTH ? O_RDWR :
		o->access == NFS4_SHARE_ACCESS_WRITE ? O_WRONLY : O_RDONLY;
	args.file = dfs_open_file(&r.path, flags | O_LARGEFILE);
	if (IS_ERR(args.file)) {
		status = dfs_errno(PTR_ERR(args.file));
		goto err_path;
	}
	args.clientid = cs->seq.sess->clp->id;
	args.owner = o->owner;
	args.owner_len = o->owner_len;
	args.inode = d_inode(r.path.dentry);
	args.access = o->access;
	args.deny = o->deny;
	/*
	 * The open consumes the file: keep one for a second try after a
	 * conflict, once clients whose lease ran out are gone.
	 */
	spare = get_file(args.file);
	status = dfs_open_state(dfs_cst(cs), &args, &sid, &stid);
	if (status == NFS4ERR_SHARE_DENIED) {
		dfs_server_reap_due(cs->srv);
		args.file = spare;
		spare = NULL;
		status = dfs_open_state(dfs_cst(cs), &args, &sid, &stid);
	}
	if (spare)
		fput(spare);
	if (status)
		goto err_path;

	status = dfs_open_setattr(o, &r);
	if (!status && dfs_enc_open_res(cs->out, o, &r, &sid) < 0)
		status = NFS4ERR_REP_TOO_BIG;
	if (status) {
		if (args.created)
			dfs_open_undo(stid);
		dfs_stid_put(stid);
		goto err_path;
	}
	dfs_stid_put(stid);
	dfs_compound_set_cur(cs, &r.path);
	dfs_compound_set_stateid(cs, &sid);
	kfree(o);
	return NFS4_OK;

err_path:
	path_put(&r.path);
out_free:
	kfree(o);
	return status;
}

/**
 * dfs_op_open_downgrade() - OPEN_DOWNGRADE (RFC 8881, section 18.18)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_open_downgrade(struct dfs_compound *cs)
{
	struct dfs_stateid sid;
	enum nfsstat4 status;
	struct dfs_stid *stid;
	u32 seqid, access, deny;

	if (dfs_dec_stateid(cs->in, &sid) < 0 ||
	    xdr_stream_decode_u32(cs->in, &seqid) < 0 ||
	    xdr_stream_decode_u32(cs->in, &access) < 0 ||
	    xdr_stream_decode_u32(cs->in, &deny) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_reg(cs);
	if (status)
		return status;
	status = dfs_compound_stateid(cs, &sid);
	if (status)
		return status;
	status = dfs_stid_for_cur(cs, &sid, DFS_STID_OPEN, &stid);
	if (status)
		return status;
	status = dfs_open_downgrade(stid, access & NFS4_SHARE_ACCESS_MASK,
				    deny, &sid);
	dfs_stid_put(stid);
	if (status)
		return status;
	dfs_compound_set_stateid(cs, &sid);
	return dfs_enc_stateid(cs->out, &sid) < 0 ? NFS4ERR_REP_TOO_BIG :
						    NFS4_OK;
}

/**
 * dfs_op_close() - CLOSE (RFC 8881, section 18.2)
 * @cs: the COMPOUND
 *
 * Releases the open, its lock stateids and their byte-range locks, and
 * returns the invalid special stateid (RFC 8881, 8.2.3).
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_close(struct dfs_compound *cs)
{
	struct dfs_stateid sid = { .seqid = U32_MAX };
	enum nfsstat4 status;
	struct dfs_stid *stid;
	u32 seqid;

	if (xdr_stream_decode_u32(cs->in, &seqid) < 0 ||
	    dfs_dec_stateid(cs->in, &sid) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_reg(cs);
	if (status)
		return status;
	status = dfs_compound_stateid(cs, &sid);
	if (status)
		return status;
	status = dfs_stid_for_cur(cs, &sid, DFS_STID_OPEN, &stid);
	if (status)
		return status;
	status = dfs_open_close(stid);
	dfs_stid_put(stid);
	if (status)
		return status;
	sid.seqid = U32_MAX;
	memset(sid.other, 0, sizeof(sid.other));
	dfs_compound_set_stateid(cs, &sid);
	return dfs_enc_stateid(cs->out, &sid) < 0 ? NFS4ERR_REP_TOO_BIG :
						    NFS4_OK;
}

/* Read @count bytes at @pos into the reply's pages; set *@n. */
static enum nfsstat4 dfs_read_into_reply(struct dfs_compound *cs,
					 struct file *file, loff_t pos,
					 u32 count, u32 *n)
{
	struct xdr_stream *xdr = cs->out;
	struct xdr_buf *buf = xdr->buf;
	struct kvec *vec = cs->rqstp->rq_vec;
	unsigned int start = buf->len, off, v = 0;
	struct iov_iter iter;
	u32 left = count;
	__be32 zero = 0;
	ssize_t got;

	if (xdr_reserve_space_vec(xdr, count) < 0)
		return NFS4ERR_REP_TOO_BIG;
	/* The data is the last @count bytes of the page list. */
	off = buf->page_base + buf->page_len - count;
	while (left) {
		unsigned int in = off & ~PAGE_MASK;
		unsigned int len = min_t(unsigned int, left, PAGE_SIZE - in);

		if (v == ARRAY_SIZE(cs->rqstp->rq_vec))
			return NFS4ERR_SERVERFAULT;
		vec[v].iov_base = page_address(buf->pages[off >> PAGE_SHIFT]) +
				  in;
		vec[v].iov_len = len;
		v++;
		off += len;
		left -= len;
	}
	iov_iter_kvec(&iter, ITER_DEST, vec, v, count);
	got = vfs_iter_read(file, &iter, &pos, 0);
	if (got < 0)
		return dfs_errno(got);
	*n = got;
	if (svc_encode_result_payload(cs->rqstp, start, got))
		return NFS4ERR_IO;
	xdr_truncate_encode(xdr, start + xdr_align_size(got));
	write_bytes_to_xdr_buf(buf, start + got, &zero, xdr_pad_size(got));
	return NFS4_OK;
}

/*
 * Splice actor: each page-cache page of the data becomes a page of the
 * reply in place of the one sunrpc had there, so the data is sent without
 * a copy.  A page already last in the reply (the data continues within
 * it) is not added twice.
 */
static int dfs_splice_actor(struct pipe_inode_info *pipe,
			    struct pipe_buffer *pbuf, struct splice_desc *sd)
{
	struct svc_rqst *rqstp = sd->u.data;
	struct xdr_buf *res = &rqstp->rq_res;
	struct page *first = pbuf->page + pbuf->offset / PAGE_SIZE;
	struct page *last = pbuf->page +
			    (pbuf->offset + sd->len - 1) / PAGE_SIZE;
	struct page *page;

	for (page = first; page <= last; page++) {
		bool continues = page == rqstp->rq_next_page[-1] &&
				 offset_in_page(res->page_base + res->page_len);

		if (!continues && !svc_rqst_replace_page(rqstp, page))
			return -EIO;
	}
	if (!res->page_len)
		res->page_base = pbuf->offset % PAGE_SIZE;
	res->page_len += sd->len;
	return sd->len;
}

static int dfs_splice_direct_actor(struct pipe_inode_info *pipe,
				   struct splice_desc *sd)
{
	return __splice_from_pipe(pipe, sd, dfs_splice_actor);
}

/*
 * Zero-copy READ: possible when nothing of the reply is in pages yet, the
 * file system can splice, and READ is the COMPOUND's last operation (the
 * data then ends the reply; only its padding follows, in the tail).  A
 * reply to be cached is not spliced: it could still be cut back to
 * NFS4ERR_REP_TOO_BIG_TO_CACHE, which a spliced reply cannot be.
 */
static bool dfs_read_can_splice(struct dfs_compound *cs, struct file *file)
{
	struct xdr_stream *xdr = cs->out;

	return file->f_op->splice_read && !cs->cachethis &&
	       cs->opidx + 1 == cs->opcnt &&
	       !xdr->buf->page_len && xdr->iov == xdr->buf->head &&
	       xdr->end - xdr->p >= 1;
}

static enum nfsstat4 dfs_read_splice(struct dfs_compound *cs,
				     struct file *file, loff_t pos,
				     u32 count, u32 *n)
{
	struct svc_rqst *rqstp = cs->rqstp;
	struct xdr_stream *xdr = cs->out;
	struct xdr_buf *buf = xdr->buf;
	struct splice_desc sd = {
		.total_len = count,
		.pos = pos,
		.u.data = rqstp,
	};
	ssize_t got;
	int space;

	got = rw_verify_area(READ, file, &pos, count);
	if (!got)
		got = splice_direct_to_actor(file, &sd,
					     dfs_splice_direct_actor);
	if (got < 0) {
		buf->page_len = 0;	/* the actor may have started */
		return dfs_errno(got);
	}
	*n = got;
	svcxdr_encode_opaque_pages(rqstp, xdr, buf->pages, buf->page_base,
				   got);
	if (svc_encode_result_payload(rqstp, buf->head[0].iov_len, got))
		return NFS4ERR_IO;
	/* The stream now encodes into the tail, at the end of the head. */
	space = min_t(int, (void *)xdr->end - (void *)xdr->p,
		      buf->buflen - buf->len);
	buf->buflen = buf->len + space;
	xdr->end = (__be32 *)((void *)xdr->end + space);
	return NFS4_OK;
}

/**
 * dfs_op_read() - READ (RFC 8881, section 18.22)
 * @cs: the COMPOUND
 *
 * The data goes straight into the reply's pages.
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_read(struct dfs_compound *cs)
{
	struct xdr_stream *xdr = cs->out;
	struct dfs_stateid sid;
	unsigned int hdr, room;
	enum nfsstat4 status;
	struct file *file;
	u32 count, n = 0;
	__be32 word[2];
	u64 offset;

	if (dfs_dec_stateid(cs->in, &sid) < 0 ||
	    xdr_stream_decode_u64(cs->in, &offset) < 0 ||
	    xdr_stream_decode_u32(cs->in, &count) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_reg(cs);
	if (status)
		return status;
	if (offset > OFFSET_MAX)
		return NFS4ERR_INVAL;
	status = dfs_io_file(cs, &sid, false, &file);
	if (status)
		return status;

	hdr = xdr_stream_pos(xdr);
	if (xdr_stream_encode_u32(xdr, 0) < 0 ||
	    xdr_stream_encode_u32(xdr, 0) < 0) {
		status = NFS4ERR_REP_TOO_BIG;
		goto out;
	}
	count = min_t(u32, count, DFS_MAX_IO);
	room = xdr->buf->buflen - xdr->buf->len;
	if (cs->maxresp)
		room = min_t(unsigned int, room,
			     cs->maxresp > hdr + 8 ? cs->maxresp - hdr - 8 : 0);
	count = min_t(u32, count, room & ~3U);
	if (count) {
		if (dfs_read_can_splice(cs, file))
			status = dfs_read_splice(cs, file, offset, count, &n);
		else
			status = dfs_read_into_reply(cs, file, offset, count,
						     &n);
		if (status)
			goto out;
	}
	word[0] = cpu_to_be32(offset + n >= i_size_read(file_inode(file)));
	word[1] = cpu_to_be32(n);
	write_bytes_to_xdr_buf(xdr->buf, hdr, word, sizeof(word));
out:
	fput(file);
	return status;
}

/**
 * dfs_op_write() - WRITE (RFC 8881, section 18.32)
 * @cs: the COMPOUND
 *
 * The data is written from the request's pages; DATA_SYNC4 and
 * FILE_SYNC4 are synced before the reply.
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_write(struct dfs_compound *cs)
{
	struct xdr_buf payload;
	struct dfs_stateid sid;
	enum nfsstat4 status;
	struct iov_iter iter;
	u32 stable, len;
	struct file *file;
	unsigned int nvec;
	rwf_t flags = 0;
	loff_t pos;
	ssize_t n;
	u64 offset;

	if (dfs_dec_stateid(cs->in, &sid) < 0 ||
	    xdr_stream_decode_u64(cs->in, &offset) < 0 ||
	    xdr_stream_decode_u32(cs->in, &stable) < 0 ||
	    xdr_stream_decode_u32(cs->in, &len) < 0 ||
	    !xdr_stream_subsegment(cs->in, &payload, len))
		return NFS4ERR_BADXDR;
	if (stable > NFS_FILE_SYNC)
		return NFS4ERR_INVAL;
	status = dfs_need_reg(cs);
	if (status)
		return status;
	if (offset > OFFSET_MAX || len > OFFSET_MAX - offset)
		return NFS4ERR_FBIG;
	status = dfs_io_file(cs, &sid, true, &file);
	if (status)
		return status;

	if (stable == NFS_FILE_SYNC)
		flags = RWF_SYNC;
	else if (stable == NFS_DATA_SYNC)
		flags = RWF_DSYNC;
	nvec = svc_fill_write_vector(cs->rqstp, &payload);
	iov_iter_kvec(&iter, ITER_SOURCE, cs->rqstp->rq_vec, nvec, len);
	pos = offset;
	n = vfs_iter_write(file, &iter, &pos, flags);
	fput(file);
	if (n < 0)
		return dfs_errno(n);

	if (xdr_stream_encode_u32(cs->out, n) < 0 ||
	    xdr_stream_encode_u32(cs->out, stable) < 0 ||
	    xdr_stream_encode_opaque_fixed(cs->out, dfs_write_verf,
					   sizeof(dfs_write_verf)) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

/**
 * dfs_op_commit() - COMMIT (RFC 8881, section 18.3)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_commit(struct dfs_compound *cs)
{
	enum nfsstat4 status;
	struct file *file;
	loff_t end;
	u64 offset;
	u32 count;
	int err;

	if (xdr_stream_decode_u64(cs->in, &offset) < 0 ||
	    xdr_stream_decode_u32(cs->in, &count) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_reg(cs);
	if (status)
		return status;
	if (offset > OFFSET_MAX)
		return NFS4ERR_INVAL;
	end = count && count - 1 <= OFFSET_MAX - offset ?
	      offset + count - 1 : OFFSET_MAX;

	/* Only a writer may commit; a read-only open is enough to sync. */
	err = dfs_permission(cs->exp, &cs->cur,
			     MAY_WRITE | DFS_MAY_OWNER_OVERRIDE);
	if (err)
		return dfs_errno(err);
	file = dentry_open(&cs->cur, O_RDONLY | O_LARGEFILE, current_cred());
	if (IS_ERR(file))
		return dfs_errno(PTR_ERR(file));
	err = vfs_fsync_range(file, offset, end, 0);
	fput(file);
	if (err)
		return dfs_errno(err);
	if (xdr_stream_encode_opaque_fixed(cs->out, dfs_write_verf,
					   sizeof(dfs_write_verf)) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

/* offset4/length4 to a POSIX range (RFC 8881, 18.10.3). */
static enum nfsstat4 dfs_lock_range(u64 offset, u64 length,
				    struct file_lock *fl)
{
	if (!length)
		return NFS4ERR_INVAL;
	if (length != U64_MAX && length > U64_MAX - offset)
		return NFS4ERR_INVAL;
	if (offset > OFFSET_MAX)
		return NFS4ERR_BAD_RANGE;
	fl->fl_start = offset;
	if (length == U64_MAX || length - 1 > OFFSET_MAX - offset)
		fl->fl_end = OFFSET_MAX;
	else
		fl->fl_end = offset + length - 1;
	return NFS4_OK;
}

static bool dfs_locktype_ok(u32 type)
{
	return type >= NFS4_READ_LT && type <= NFS4_WRITEW_LT;
}

static bool dfs_locktype_write(u32 type)
{
	return type == NFS4_WRITE_LT || type == NFS4_WRITEW_LT;
}

/* LOCK4denied from a conflicting lock. */
static enum nfsstat4 dfs_enc_denied(struct dfs_compound *cs,
				    struct file_lock *conf)
{
	struct dfs_sowner *so = NULL;
	u64 len;

	if (conf->fl_lmops == &dfs_posix_lock_ops)
		so = conf->c.flc_owner;
	len = conf->fl_end == OFFSET_MAX ? U64_MAX :
	      conf->fl_end - conf->fl_start + 1;
	if (xdr_stream_encode_u64(cs->out, conf->fl_start) < 0 ||
	    xdr_stream_encode_u64(cs->out, len) < 0 ||
	    xdr_stream_encode_u32(cs->out, conf->c.flc_type == F_WRLCK ?
				  NFS4_WRITE_LT : NFS4_READ_LT) < 0 ||
	    xdr_stream_encode_u64(cs->out, so ? so->clientid : 0) < 0 ||
	    xdr_stream_encode_opaque(cs->out, so ? so->data : NULL,
				     so ? so->len : 0) < 0)
		return NFS4ERR_REP_TOO_BIG;
	cs->err_body = true;
	return NFS4ERR_DENIED;
}

/* Decode a lock_owner4; the client id is the session's (as for OPEN). */
static int dfs_dec_lock_owner(struct xdr_stream *xdr, void **owner, u32 *len)
{
	u64 clientid;
	ssize_t n;

	if (xdr_stream_decode_u64(xdr, &clientid) < 0)
		return -EBADMSG;
	n = xdr_stream_decode_opaque_inline(xdr, owner, NFS4_OPAQUE_LIMIT);
	if (n < 0)
		return -EBADMSG;
	*len = n;
	return 0;
}

/* The lock state LOCK acts on: new lock-owner or existing. */
static enum nfsstat4 dfs_lock_locker(struct dfs_compound *cs,
				     struct dfs_stid **lkp, bool *created)
{
	struct dfs_stateid sid;
	struct dfs_stid *open;
	enum nfsstat4 status;
	u32 new_owner, seqid;
	void *owner;
	u32 len;

	if (xdr_stream_decode_u32(cs->in, &new_owner) < 0)
		return NFS4ERR_BADXDR;
	if (!new_owner) {
		if (dfs_dec_stateid(cs->in, &sid) < 0 ||
		    xdr_stream_decode_u32(cs->in, &seqid) < 0)
			return NFS4ERR_BADXDR;
		*created = false;
		status = dfs_need_reg(cs) ?: dfs_compound_stateid(cs, &sid);
		return status ?: dfs_stid_for_cur(cs, &sid, DFS_STID_LOCK, lkp);
	}
	if (xdr_stream_decode_u32(cs->in, &seqid) < 0 ||
	    dfs_dec_stateid(cs->in, &sid) < 0 ||
	    xdr_stream_decode_u32(cs->in, &seqid) < 0 ||
	    dfs_dec_lock_owner(cs->in, &owner, &len) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_reg(cs) ?: dfs_compound_stateid(cs, &sid);
	if (status)
		return status;
	status = dfs_stid_for_cur(cs, &sid, DFS_STID_OPEN, &open);
	if (status)
		return status;
	status = dfs_lock_state(open, owner, len, lkp, created);
	dfs_stid_put(open);
	if (status == NFS4ERR_NOSPC)
		status = NFS4ERR_DELAY;
	return status;
}

/**
 * dfs_op_lock() - LOCK (RFC 8881, section 18.10)
 * @cs: the COMPOUND
 *
 * POSIX byte-range locks owned by the lock-owner.  Blocking lock types
 * are tried once like the others (no callbacks): the client polls.  A
 * conflict is NFS4ERR_DENIED with the conflicting lock.
 *
 * Return: the operation's status; results are encoded on NFS4_OK and on
 * NFS4ERR_DENIED.
 */
enum nfsstat4 dfs_op_lock(struct dfs_compound *cs)
{
	struct file_lock *fl = NULL, *conf = NULL;
	struct dfs_stid *lk = NULL;
	struct file *file = NULL;
	struct dfs_stateid sid;
	enum nfsstat4 status;
	bool created = false;
	u32 type, reclaim;
	u64 offset, length;
	int err;

	if (xdr_stream_decode_u32(cs->in, &type) < 0 ||
	    xdr_stream_decode_bool(cs->in, &reclaim) < 0 ||
	    xdr_stream_decode_u64(cs->in, &offset) < 0 ||
	    xdr_stream_decode_u64(cs->in, &length) < 0)
		return NFS4ERR_BADXDR;
	if (!dfs_locktype_ok(type))
		return NFS4ERR_INVAL;
	status = dfs_lock_locker(cs, &lk, &created);
	if (status)
		return status;
	status = NFS4ERR_NO_GRACE;
	if (reclaim)
		goto out;

	status = NFS4ERR_DELAY;
	fl = locks_alloc_lock();
	conf = locks_alloc_lock();
	if (!fl || !conf)
		goto out;
	status = dfs_lock_range(offset, length, fl);
	if (status)
		goto out;
	status = dfs_stid_file(lk, dfs_locktype_write(type), &file);
	if (status)
		goto out;

	status = dfs_lock_admit(lk->owner);
	if (status)
		goto out;
	dfs_lock_owner_get(lk->owner);	/* the request's, put by the VFS */
	fl->c.flc_owner = lk->owner;
	fl->c.flc_flags = FL_POSIX;
	fl->c.flc_type = dfs_locktype_write(type) ? F_WRLCK : F_RDLCK;
	fl->c.flc_pid = current->tgid;
	fl->c.flc_file = file;
	fl->fl_lmops = &dfs_posix_lock_ops;
	err = vfs_lock_file(file, F_SETLK, fl, conf);
	if (err == -EAGAIN && conf->fl_lmops == &dfs_posix_lock_ops) {
		dfs_server_reap_due(cs->srv);
		/* The conflict's copy holds a reference to its owner. */
		locks_free_lock(conf);
		conf = locks_alloc_lock();
		err = conf ? vfs_lock_file(file, F_SETLK, fl, conf) : -ENOMEM;
	}
	switch (err) {
	case 0:
		break;
	case -EAGAIN:
		status = dfs_enc_denied(cs, conf);
		goto out;
	case -EDEADLK:
		status = NFS4ERR_DEADLOCK;
		goto out;
	default:
		status = dfs_errno(err);
		goto out;
	}
	/* Closed or freed meanwhile: its locks must not outlive it. */
	if (!dfs_stid_hashed(lk)) {
		locks_remove_posix(file, lk->owner);
		status = NFS4ERR_BAD_STATEID;
		goto out;
	}
	if (created)
		dfs_stid_copy(lk, &sid);
	else
		dfs_stid_bump(lk, &sid);
	created = false;
	dfs_compound_set_stateid(cs, &sid);
	status = dfs_enc_stateid(cs->out, &sid) < 0 ? NFS4ERR_REP_TOO_BIG :
						      NFS4_OK;
out:
	/* A failed LOCK leaves no new lock stateid behind. */
	if (created)
		dfs_stid_free(lk);
	if (file)
		fput(file);
	if (conf)
		locks_free_lock(conf);
	if (fl)
		locks_free_lock(fl);
	dfs_stid_put(lk);
	return status;
}

/**
 * dfs_op_lockt() - LOCKT (RFC 8881, section 18.11)
 * @cs: the COMPOUND
 *
 * Return: NFS4_OK when the lock could be had, NFS4ERR_DENIED (with the
 * conflicting lock encoded) when not, or another error.
 */
enum nfsstat4 dfs_op_lockt(struct dfs_compound *cs)
{
	struct dfs_sowner *so = NULL;
	bool retried = false;
	struct file_lock *fl;
	enum nfsstat4 status;
	u64 offset, length;
	struct file *file;
	void *owner;
	u32 type, len;
	int err;

	if (xdr_stream_decode_u32(cs->in, &type) < 0 ||
	    xdr_stream_decode_u64(cs->in, &offset) < 0 ||
	    xdr_stream_decode_u64(cs->in, &length) < 0 ||
	    dfs_dec_lock_owner(cs->in, &owner, &len) < 0)
		return NFS4ERR_BADXDR;
	if (!dfs_locktype_ok(type))
		return NFS4ERR_INVAL;
	status = dfs_need_reg(cs);
	if (status)
		return status;
	fl = locks_alloc_lock();
	if (!fl)
		return NFS4ERR_DELAY;
	status = dfs_lock_range(offset, length, fl);
	if (status)
		goto out_free;
	err = dfs_permission(cs->exp, &cs->cur,
			     MAY_READ | DFS_MAY_OWNER_OVERRIDE);
	if (err) {
		status = dfs_errno(err);
		goto out_free;
	}
	file = dfs_open_file(&cs->cur, O_RDONLY | O_LARGEFILE);
	if (IS_ERR(file)) {
		status = dfs_errno(PTR_ERR(file));
		goto out_free;
	}
	if (len)
		so = dfs_lockowner_find(dfs_cst(cs), cs->seq.sess->clp->id,
					owner, len);
	/* An owner without locks conflicts with every lock: any new cookie. */
retry:
	fl->c.flc_owner = so ? (fl_owner_t)so : (fl_owner_t)cs;
	fl->c.flc_flags = FL_POSIX;
	fl->c.flc_type = dfs_locktype_write(type) ? F_WRLCK : F_RDLCK;
	fl->c.flc_pid = current->tgid;
	fl->c.flc_file = file;
	err = vfs_test_lock(file, fl);
	if (!err && fl->c.flc_type != F_UNLCK && !retried &&
	    fl->fl_lmops == &dfs_posix_lock_ops) {
		/* @fl describes the conflict now: a fresh request. */
		dfs_server_reap_due(cs->srv);
		retried = true;
		locks_free_lock(fl);
		fl = locks_alloc_lock();
		if (!fl) {
			status = NFS4ERR_DELAY;
			fput(file);
			dfs_sowner_put(so);
			return status;
		}
		dfs_lock_range(offset, length, fl);
		goto retry;
	}
	if (err)
		status = dfs_errno(err);
	else if (fl->c.flc_type != F_UNLCK)
		status = dfs_enc_denied(cs, fl);
	fput(file);
	dfs_sowner_put(so);
out_free:
	locks_free_lock(fl);
	return status;
}

/**
 * dfs_op_locku() - LOCKU (RFC 8881, section 18.12)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_locku(struct dfs_compound *cs)
{
	struct dfs_stateid sid;
	enum nfsstat4 status;
	struct dfs_stid *lk;
	u64 offset, length;
	struct file_lock *fl;
	struct file *file;
	u32 type, seqid;
	int err;

	if (xdr_stream_decode_u32(cs->in, &type) < 0 ||
	    xdr_stream_decode_u32(cs->in, &seqid) < 0 ||
	    dfs_dec_stateid(cs->in, &sid) < 0 ||
	    xdr_stream_decode_u64(cs->in, &offset) < 0 ||
	    xdr_stream_decode_u64(cs->in, &length) < 0)
		return NFS4ERR_BADXDR;
	if (!dfs_locktype_ok(type))
		return NFS4ERR_INVAL;
	status = dfs_need_reg(cs) ?: dfs_compound_stateid(cs, &sid);
	if (status)
		return status;
	status = dfs_stid_for_cur(cs, &sid, DFS_STID_LOCK, &lk);
	if (status)
		return status;
	fl = locks_alloc_lock();
	status = NFS4ERR_DELAY;
	if (!fl)
		goto out_put;
	status = dfs_lock_range(offset, length, fl);
	if (status)
		goto out_free;
	status = dfs_stid_file(lk, false, &file);
	if (status == NFS4ERR_OPENMODE)
		status = dfs_stid_file(lk, true, &file);
	if (status)
		goto out_free;
	fl->c.flc_owner = lk->owner;
	fl->c.flc_flags = FL_POSIX;
	fl->c.flc_type = F_UNLCK;
	fl->c.flc_pid = current->tgid;
	fl->c.flc_file = file;
	err = vfs_lock_file(file, F_SETLK, fl, NULL);
	fput(file);
	status = dfs_errno(err);
	if (status)
		goto out_free;
	dfs_stid_bump(lk, &sid);
	dfs_compound_set_stateid(cs, &sid);
	if (dfs_enc_stateid(cs->out, &sid) < 0)
		status = NFS4ERR_REP_TOO_BIG;
out_free:
	locks_free_lock(fl);
out_put:
	dfs_stid_put(lk);
	return status;
}

/**
 * dfs_op_test_stateid() - TEST_STATEID (RFC 8881, section 18.48)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; results are encoded on NFS4_OK.
 */
enum nfsstat4 dfs_op_test_stateid(struct dfs_compound *cs)
{
	struct dfs_stateid sid;
	enum nfsstat4 status;
	struct dfs_stid *stid;
	u32 n, i;

	if (xdr_stream_decode_u32(cs->in, &n) < 0 ||
	    n > DFS_MAX_TEST_STATEIDS ||
	    n > xdr_stream_remaining(cs->in) / NFS4_STATEID_SIZE)
		return NFS4ERR_BADXDR;
	if (xdr_stream_encode_u32(cs->out, n) < 0)
		return NFS4ERR_REP_TOO_BIG;
	for (i = 0; i < n; i++) {
		if (dfs_dec_stateid(cs->in, &sid) < 0)
			return NFS4ERR_BADXDR;
		status = dfs_stid_lookup(dfs_cst(cs), &sid,
					 DFS_STID_OPEN | DFS_STID_LOCK, &stid);
		if (!status)
			dfs_stid_put(stid);
		if (xdr_stream_encode_u32(cs->out, status) < 0)
			return NFS4ERR_REP_TOO_BIG;
	}
	return NFS4_OK;
}

/**
 * dfs_op_free_stateid() - FREE_STATEID (RFC 8881, section 18.38)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_free_stateid(struct dfs_compound *cs)
{
	struct dfs_stateid sid;
	enum nfsstat4 status;
	struct dfs_stid *stid;

	if (dfs_dec_stateid(cs->in, &sid) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_compound_stateid(cs, &sid);
	if (status)
		return status;
	status = dfs_stid_lookup(dfs_cst(cs), &sid,
				 DFS_STID_OPEN | DFS_STID_LOCK, &stid);
	if (status)
		return status;
	status = dfs_stid_free(stid);
	dfs_stid_put(stid);
	return status;
}

/**
 * dfs_file_init() - pick this module load's write verifier
 */
void dfs_file_init(void)
{
	put_unaligned_be64(ktime_get_real_ns(), dfs_write_verf);
}
