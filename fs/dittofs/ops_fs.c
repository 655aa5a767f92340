// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace and attribute operations of NFSv4.1 (RFC 8881, section 18):
 * filehandles, LOOKUP, GETATTR, SETATTR, ACCESS, READDIR, CREATE,
 * READLINK, LINK, REMOVE, RENAME and SECINFO, all through the VFS with the
 * caller's credentials (set for the whole COMPOUND by compound.c).
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/delayed_call.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sunrpc/svc.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "attr.h"
#include "client.h"
#include "compound.h"
#include "export.h"
#include "stateid.h"

/* Size of a READDIR entry besides its name and attributes. */
#define DFS_DIRENT_OVERHEAD	(5 * XDR_UNIT)
/* Entries gathered per READDIR before their attributes are encoded. */
#define DFS_READDIR_BATCH	1024

static enum nfsstat4 dfs_need_cur(struct dfs_compound *cs)
{
	return cs->cur.dentry ? NFS4_OK : NFS4ERR_NOFILEHANDLE;
}

/* The current filehandle must be a directory. */
static enum nfsstat4 dfs_need_dir(struct dfs_compound *cs)
{
	if (!cs->cur.dentry)
		return NFS4ERR_NOFILEHANDLE;
	if (d_is_dir(cs->cur.dentry))
		return NFS4_OK;
	return d_is_symlink(cs->cur.dentry) ? NFS4ERR_SYMLINK : NFS4ERR_NOTDIR;
}

/**
 * dfs_decode_name() - decode a component4 (RFC 8881, 18.13.3 and 1.7)
 * @xdr: the request
 * @name: set to the name, in the request buffer (not NUL-terminated)
 * @len: set to its length
 *
 * Return: NFS4_OK; NFS4ERR_BADXDR; NFS4ERR_INVAL for an empty name;
 * NFS4ERR_NAMETOOLONG above NAME_MAX bytes; NFS4ERR_BADNAME for "." and
 * ".."; NFS4ERR_BADCHAR for a name with '/' or NUL.
 */
enum nfsstat4 dfs_decode_name(struct xdr_stream *xdr, char **name, u32 *len)
{
	void *p;
	ssize_t n;

	n = xdr_stream_decode_opaque_inline(xdr, &p, NFS4_OPAQUE_LIMIT);
	if (n < 0)
		return NFS4ERR_BADXDR;
	if (n == 0)
		return NFS4ERR_INVAL;
	if (n > NAME_MAX)
		return NFS4ERR_NAMETOOLONG;
	if ((n == 1 && !memcmp(p, ".", 1)) || (n == 2 && !memcmp(p, "..", 2)))
		return NFS4ERR_BADNAME;
	if (memchr(p, '/', n) || memchr(p, '\0', n))
		return NFS4ERR_BADCHAR;
	*name = p;
	*len = n;
	return NFS4_OK;
}

/**
 * dfs_compound_set_cur() - make @path the current filehandle
 * @cs: the COMPOUND
 * @path: a referenced path; the reference moves to @cs
 */
void dfs_compound_set_cur(struct dfs_compound *cs, struct path *path)
{
	path_put(&cs->cur);
	cs->cur = *path;
	cs->cur_sid_set = false;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_compound_set_cur);

/**
 * dfs_compound_set_stateid() - an operation returned a stateid
 * @cs: the COMPOUND
 * @sid: the stateid, now the current stateid
 */
void dfs_compound_set_stateid(struct dfs_compound *cs,
			      const struct dfs_stateid *sid)
{
	cs->cur_sid = *sid;
	cs->cur_sid_set = true;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_compound_set_stateid);

/**
 * dfs_compound_stateid() - resolve the special current stateid
 * @cs: the COMPOUND
 * @sid: a stateid from the request; the current stateid replaces the
 *	special one (seqid 1, other all zero)
 *
 * Return: NFS4_OK, or NFS4ERR_BAD_STATEID for the special current stateid
 * when no operation of this COMPOUND has set one for the current
 * filehandle.
 */
enum nfsstat4 dfs_compound_stateid(struct dfs_compound *cs,
				   struct dfs_stateid *sid)
{
	if (dfs_stateid_special(sid) != DFS_SID_CURRENT)
		return NFS4_OK;
	if (!cs->cur_sid_set)
		return NFS4ERR_BAD_STATEID;
	*sid = cs->cur_sid;
	return NFS4_OK;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_compound_stateid);

/**
 * dfs_compound_set_fh() - make @path, in @exp, the current filehandle
 * @cs: the COMPOUND
 * @exp: a referenced export; the reference moves to @cs
 * @path: a referenced path inside @exp; the reference moves to @cs
 */
void dfs_compound_set_fh(struct dfs_compound *cs, struct dfs_export *exp,
			 struct path *path)
{
	dfs_compound_set_cur(cs, path);
	dfs_export_put(cs->exp);
	cs->exp = exp;
}

/**
 * dfs_op_putrootfh() - PUTROOTFH (RFC 8881, section 18.21)
 * @cs: the COMPOUND
 *
 * Return: NFS4_OK; NFS4ERR_NOENT without a root export; the root
 * export's refusal (dfs_export_admit()).
 */
enum nfsstat4 dfs_op_putrootfh(struct dfs_compound *cs)
{
	struct dfs_export *exp = dfs_export_get_root();
	enum nfsstat4 status;
	struct path root;

	if (!exp)
		return NFS4ERR_NOENT;
	status = dfs_export_admit(exp, cs->rqstp);
	if (status) {
		dfs_export_put(exp);
		return status;
	}
	root = exp->root;
	path_get(&root);
	dfs_compound_set_fh(cs, exp, &root);
	return NFS4_OK;
}

/**
 * dfs_op_putfh() - PUTFH (RFC 8881, section 18.19)
 * @cs: the COMPOUND
 *
 * Return: NFS4_OK, NFS4ERR_BADHANDLE or NFS4ERR_STALE; the handle's
 * export's refusal (dfs_export_admit()).
 */
enum nfsstat4 dfs_op_putfh(struct dfs_compound *cs)
{
	struct dfs_export *exp;
	struct dfs_fh fh;
	enum nfsstat4 status;
	struct path path;
	void *p;
	ssize_t n;

	n = xdr_stream_decode_opaque_inline(cs->in, &p, NFS4_FHSIZE);
	if (n < 0)
		return NFS4ERR_BADXDR;
	fh.len = n;
	memcpy(fh.data, p, n);
	/*
	 * Decode with the server's own credentials, not those of the export
	 * in use so far: reconnecting a handle whose dentry left the cache
	 * reads its parent directory, which the caller need not be allowed
	 * to (as knfsd).  The caller's access is checked by each operation.
	 */
	if (cs->old_cred) {
		const struct cred *caller = override_creds(cs->old_cred);

		status = dfs_fh_decode(&fh, &exp, &path);
		revert_creds(caller);
	} else {
		status = dfs_fh_decode(&fh, &exp, &path);
	}
	if (status)
		return status;
	status = dfs_export_admit(exp, cs->rqstp);
	if (status) {
		path_put(&path);
		dfs_export_put(exp);
		return status;
	}
	dfs_compound_set_fh(cs, exp, &path);
	return NFS4_OK;
}

/**
 * dfs_op_getfh() - GETFH (RFC 8881, section 18.8)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_getfh(struct dfs_compound *cs)
{
	enum nfsstat4 status = dfs_need_cur(cs);
	struct dfs_fh fh;

	if (!status)
		status = dfs_fh_encode(cs->exp, &cs->cur, &fh);
	if (status)
		return status;
	if (xdr_stream_encode_opaque(cs->out, fh.data, fh.len) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

/**
 * dfs_op_savefh() - SAVEFH (RFC 8881, section 18.28)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_savefh(struct dfs_compound *cs)
{
	enum nfsstat4 status = dfs_need_cur(cs);

	if (status)
		return status;
	path_put(&cs->saved);
	cs->saved = cs->cur;
	path_get(&cs->saved);
	dfs_export_put(cs->saved_exp);
	cs->saved_exp = dfs_export_get(cs->exp);
	cs->saved_sid = cs->cur_sid;
	cs->saved_sid_set = cs->cur_sid_set;
	return NFS4_OK;
}

/**
 * dfs_op_restorefh() - RESTOREFH (RFC 8881, section 18.27)
 * @cs: the COMPOUND
 *
 * Return: NFS4_OK, or NFS4ERR_NOFILEHANDLE when nothing was saved.
 */
enum nfsstat4 dfs_op_restorefh(struct dfs_compound *cs)
{
	struct path path = cs->saved;

	if (!path.dentry)
		return NFS4ERR_NOFILEHANDLE;
	path_get(&path);
	dfs_compound_set_fh(cs, dfs_export_get(cs->saved_exp), &path);
	cs->cur_sid = cs->saved_sid;
	cs->cur_sid_set = cs->saved_sid_set;
	return NFS4_OK;
}

/* Look @name up in the current directory; a positive dentry or an error. */
static enum nfsstat4 dfs_lookup_child(struct dfs_compound *cs, const char *name,
				      u32 len, struct path *child)
{
	struct dentry *dentry;

	dentry = lookup_one_len_unlocked(name, cs->cur.dentry, len);
	if (IS_ERR(dentry))
		return dfs_errno(PTR_ERR(dentry));
	if (d_really_is_negative(dentry)) {
		dput(dentry);
		return NFS4ERR_NOENT;
	}
	child->mnt = mntget(cs->cur.mnt);
	child->dentry = dentry;
	return NFS4_OK;
}

/*
 * Cross into the root of the export named @name, when there is one and it
 * admits the caller; a caller not on its list does not see it.  Its fsid
 * differs, so the client mounts it as a file system of its own.
 *
 * Return: NFS4_OK; NFS4ERR_NOENT when there is no such export (for this
 * caller); the export's other refusals.
 */
static enum nfsstat4 dfs_cross_into(struct dfs_compound *cs, const char *name)
{
	struct dfs_export *exp = dfs_export_get_name(name);
	enum nfsstat4 status;
	struct path root;

	if (!exp)
		return NFS4ERR_NOENT;
	status = dfs_export_admit(exp, cs->rqstp);
	if (status) {
		dfs_export_put(exp);
		return status == NFS4ERR_ACCESS ? NFS4ERR_NOENT : status;
	}
	root = exp->root;
	path_get(&root);
	dfs_compound_set_fh(cs, exp, &root);
	return NFS4_OK;
}

/* LOOKUP of @name in the root export's root: the export "/@name". */
static enum nfsstat4 dfs_lookup_junction(struct dfs_compound *cs,
					 const char *name, u32 len)
{
	char buf[NAME_MAX + 2];

	if (strcmp(cs->exp->name, "/") ||
	    cs->cur.dentry != cs->exp->root.dentry)
		return NFS4ERR_NOENT;
	buf[0] = '/';
	memcpy(buf + 1, name, len);
	buf[len + 1] = '\0';
	return dfs_cross_into(cs, buf);
}

/*
 * Decode a component4 and look it up in the current directory: an export
 * attached at that name becomes the current filehandle (*@crossed), else
 * the child is returned referenced in @child.
 */
static enum nfsstat4 dfs_lookup_arg(struct dfs_compound *cs,
				    struct path *child, bool *crossed)
{
	enum nfsstat4 status;
	char *name;
	u32 len;

	*crossed = false;
	status = dfs_decode_name(cs->in, &name, &len);
	if (!status)
		status = dfs_need_dir(cs);
	if (status)
		return status;
	status = dfs_lookup_junction(cs, name, len);
	if (!status) {
		*crossed = true;
		return NFS4_OK;
	}
	if (status != NFS4ERR_NOENT)
		return status;
	return dfs_lookup_child(cs, name, len, child);
}

/**
 * dfs_op_lookup() - LOOKUP (RFC 8881, section 18.15)
 * @cs: the COMPOUND
 *
 * Mount points under the export are not crossed: the directory beneath
 * is what the client sees.  In the root export's root, the name of
 * another export ("/NAME") leads into that export.
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_lookup(struct dfs_compound *cs)
{
	enum nfsstat4 status;
	struct path child;
	bool crossed;

	status = dfs_lookup_arg(cs, &child, &crossed);
	if (!status && !crossed)
		dfs_compound_set_cur(cs, &child);
	return status;
}

/**
 * dfs_op_lookupp() - LOOKUPP (RFC 8881, section 18.14)
 * @cs: the COMPOUND
 *
 * At the root of an export below the root export, the parent is the root
 * export's root.
 *
 * Return: the operation's status; NFS4ERR_NOENT at the root.
 */
enum nfsstat4 dfs_op_lookupp(struct dfs_compound *cs)
{
	enum nfsstat4 status = dfs_need_dir(cs);
	struct path parent;

	if (status)
		return status;
	if (cs->cur.dentry == cs->exp->root.dentry)
		return strcmp(cs->exp->name, "/") ? dfs_cross_into(cs, "/") :
						    NFS4ERR_NOENT;
	parent.mnt = mntget(cs->cur.mnt);
	parent.dentry = dget_parent(cs->cur.dentry);
	/* The directory may have been moved out of the export meanwhile. */
	if (!is_subdir(parent.dentry, cs->exp->root.dentry)) {
		path_put(&parent);
		return NFS4ERR_STALE;
	}
	dfs_compound_set_cur(cs, &parent);
	return NFS4_OK;
}

/**
 * dfs_op_getattr() - GETATTR (RFC 8881, section 18.7)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_getattr(struct dfs_compound *cs)
{
	u32 bm[DFS_ATTR_WORDS];
	enum nfsstat4 status;

	if (dfs_decode_bitmap(cs->in, bm) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_cur(cs);
	if (status)
		return status;
	return dfs_encode_fattr(cs->out, cs->exp, &cs->cur, bm,
				cs->seq.sess->clp->lease);
}

/**
 * dfs_op_setattr() - SETATTR (RFC 8881, section 18.30)
 * @cs: the COMPOUND
 *
 * The result carries the attributes set, also on failure (then none).
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_setattr(struct dfs_compound *cs)
{
	static const u32 none[DFS_ATTR_WORDS];
	struct dfs_stateid sid;
	struct dfs_sattr *sa;
	enum nfsstat4 status;
	struct file *file;

	if (dfs_dec_stateid(cs->in, &sid) < 0)
		return NFS4ERR_BADXDR;
	sa = kmalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return NFS4ERR_DELAY;
	status = dfs_decode_fattr(cs->in, sa);
	if (!status)
		status = dfs_need_cur(cs);
	/* A size change is a write: its stateid must allow one. */
	if (!status && (sa->ia.ia_valid & ATTR_SIZE) &&
	    d_is_reg(cs->cur.dentry)) {
		status = dfs_io_file(cs, &sid, true, &file);
		if (!status)
			fput(file);
	}
	if (!status)
		status = dfs_setattr(&cs->cur, sa);
	if (dfs_encode_bitmap(cs->out, status ? none : sa->bm) < 0)
		status = NFS4ERR_REP_TOO_BIG;
	else
		cs->err_body = true;
	kfree(sa);
	return status;
}

/**
 * dfs_op_access() - ACCESS (RFC 8881, section 18.1)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_access(struct dfs_compound *cs)
{
	static const struct {
		u32 bit;
		int mask;
		bool dir;	/* applies to directories (else non-directories) */
		bool both;
	} checks[] = {
		{ NFS4_ACCESS_READ, MAY_READ, false, true },
		{ NFS4_ACCESS_LOOKUP, MAY_EXEC, true, false },
		{ NFS4_ACCESS_MODIFY, MAY_WRITE, false, true },
		{ NFS4_ACCESS_EXTEND, MAY_WRITE, false, true },
		{ NFS4_ACCESS_DELETE, MAY_WRITE | MAY_EXEC, true, false },
		{ NFS4_ACCESS_EXECUTE, MAY_EXEC, false, false },
	};
	u32 want, supported = 0, granted = 0;
	struct inode *inode;
	enum nfsstat4 status;
	bool dir;
	int i;

	if (xdr_stream_decode_u32(cs->in, &want) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_cur(cs);
	if (status)
		return status;
	inode = d_inode(cs->cur.dentry);
	dir = S_ISDIR(inode->i_mode);

	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		if (!(want & checks[i].bit))
			continue;
		if (!checks[i].both && checks[i].dir != dir)
			continue;
		supported |= checks[i].bit;
		if (!dfs_permission(cs->exp, &cs->cur, checks[i].mask))
			granted |= checks[i].bit;
	}
	if (xdr_stream_encode_u32(cs->out, supported) < 0 ||
	    xdr_stream_encode_u32(cs->out, granted) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

static int dfs_encode_cinfo(struct xdr_stream *xdr, u64 before, u64 after)
{
	__be32 *p = xdr_reserve_space(xdr, 5 * XDR_UNIT);

	if (!p)
		return -EMSGSIZE;
	*p++ = xdr_zero;		/* not atomic */
	p = xdr_encode_hyper(p, before);
	xdr_encode_hyper(p, after);
	return 0;
}

/* What a directory-changing operation does to the child it looked up. */
typedef int (*dfs_dirop_fn)(struct dfs_compound *cs, struct dentry *child,
			    void *arg);

/*
 * Change the current directory under its lock: look @name up, let @fn act
 * on that child, and encode the directory's change_info4.  With @keep,
 * the child's dentry is returned referenced on NFS4_OK.
 */
static enum nfsstat4 dfs_dir_modify(struct dfs_compound *cs, const char *name,
				    u32 len, dfs_dirop_fn fn, void *arg,
				    struct dentry **keep)
{
	struct inode *dir = d_inode(cs->cur.dentry);
	struct dentry *child;
	u64 before, after;
	int err;

	err = mnt_want_write(cs->cur.mnt);
	if (err)
		return dfs_errno(err);
	before = dfs_dir_change(&cs->cur);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	child = lookup_one_len(name, cs->cur.dentry, len);
	if (IS_ERR(child)) {
		err = PTR_ERR(child);
	} else {
		err = fn(cs, child, arg);
		if (err || !keep)
			dput(child);
	}
	inode_unlock(dir);
	after = dfs_dir_change(&cs->cur);
	mnt_drop_write(cs->cur.mnt);
	if (err)
		return err == -EBADTYPE ? NFS4ERR_BADTYPE : dfs_errno(err);
	if (dfs_encode_cinfo(cs->out, before, after) < 0) {
		if (keep)
			dput(child);
		return NFS4ERR_REP_TOO_BIG;
	}
	if (keep)
		*keep = child;
	return NFS4_OK;
}

/**
 * struct dfs_dirent - one entry gathered by READDIR
 * @cookie: where to resume after this entry
 * @name: the name, in dfs_readdir_ctx.names
 * @len: bytes in @name
 */
struct dfs_dirent {
	u64 cookie;
	const char *name;
	u32 len;
};

/**
 * struct dfs_readdir_ctx - READDIR's gathering state
 * @ctx: for iterate_dir()
 * @ents: gathered entries
 * @nr: entries in @ents
 * @names: their names, back to back
 * @used: bytes of @names used
 * @size: bytes of @names
 * @full: the walk stopped because the batch was full
 */
struct dfs_readdir_ctx {
	struct dir_context ctx;
	struct dfs_dirent *ents;
	u32 nr;
	char *names;
	u32 used;
	u32 size;
	bool full;
};

static bool dfs_readdir_actor(struct dir_context *ctx, const char *name,
			      int len, loff_t offset, u64 ino,
			      unsigned int d_type)
{
	struct dfs_readdir_ctx *rc = container_of(ctx, struct dfs_readdir_ctx,
						  ctx);

	/* The previous entry resumes where this one starts. */
	if (rc->nr)
		rc->ents[rc->nr - 1].cookie = offset;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	if (rc->nr == DFS_READDIR_BATCH || rc->used + len > rc->size) {
		rc->full = true;
		return false;
	}
	memcpy(rc->names + rc->used, name, len);
	rc->ents[rc->nr].name = rc->names + rc->used;
	rc->ents[rc->nr].len = len;
	rc->used += len;
	rc->nr++;
	return true;
}

/* Encode one entry4; -EMSGSIZE when it does not fit. */
static int dfs_encode_dirent(struct dfs_compound *cs, struct dfs_dirent *de,
			     const u32 *bm, unsigned int limit)
{
	struct dentry *dentry;
	enum nfsstat4 status;
	struct path child;
	__be32 *p;

	dentry = lookup_one_len_unlocked(de->name, cs->cur.dentry, de->len);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (d_really_is_negative(dentry)) {
		dput(dentry);
		return 0;	/* removed meanwhile: skip it */
	}
	child.mnt = cs->cur.mnt;
	child.dentry = dentry;

	p = xdr_reserve_space(cs->out, 3 * XDR_UNIT);
	if (!p)
		goto err_full;
	*p++ = xdr_one;			/* value follows */
	xdr_encode_hyper(p, de->cookie);
	if (xdr_stream_encode_opaque(cs->out, de->name, de->len) < 0)
		goto err_full;
	status = dfs_encode_fattr(cs->out, cs->exp, &child, bm,
				  cs->seq.sess->clp->lease);
	if (status)
		goto err_full;
	dput(dentry);
	return xdr_stream_pos(cs->out) > limit ? -EMSGSIZE : 0;

err_full:
	dput(dentry);
	return -EMSGSIZE;
}

/**
 * dfs_op_readdir() - READDIR (RFC 8881, section 18.23)
 * @cs: the COMPOUND
 *
 * Cookies are directory offsets, stable for as long as the file system
 * keeps them; the cookie verifier is constant for the export.  Entries
 * are gathered first and their attributes looked up after the directory
 * lock is dropped.
 *
 * Return: the operation's status; NFS4ERR_TOOSMALL when not even one
 * entry fits in maxcount.
 */
enum nfsstat4 dfs_op_readdir(struct dfs_compound *cs)
{
	struct dfs_readdir_ctx rc = {
		.ctx.actor = dfs_readdir_actor,
	};
	u32 bm[DFS_ATTR_WORDS], dircount, maxcount, i, n = 0;
	unsigned int start, limit, entry;
	enum nfsstat4 status;
	u8 verf[NFS4_VERIFIER_SIZE], ours[NFS4_VERIFIER_SIZE];
	struct file *file;
	u64 cookie;
	bool eof;
	int err;

	if (xdr_stream_decode_u64(cs->in, &cookie) < 0 ||
	    xdr_stream_decode_opaque_fixed(cs->in, verf, sizeof(verf)) < 0 ||
	    xdr_stream_decode_u32(cs->in, &dircount) < 0 ||
	    xdr_stream_decode_u32(cs->in, &maxcount) < 0 ||
	    dfs_decode_bitmap(cs->in, bm) < 0)
		return NFS4ERR_BADXDR;
	status = dfs_need_dir(cs);
	if (status)
		return status;

	put_unaligned_be64(cs->exp->id | 1, ours);
	if (cookie && memcmp(verf, ours, sizeof(ours)) &&
	    memchr_inv(verf, 0, sizeof(verf)))
		return NFS4ERR_NOT_SAME;
	if (cookie == 1 || cookie == 2)
		return NFS4ERR_BAD_COOKIE;

	start = xdr_stream_pos(cs->out);
	limit = start + maxcount;
	if (cs->maxresp)
		limit = min(limit, cs->maxresp - 2 * XDR_UNIT);
	rc.size = min_t(u32, maxcount, SZ_64K);
	rc.names = kvmalloc(rc.size, GFP_KERNEL);
	rc.ents = kvmalloc_array(DFS_READDIR_BATCH, sizeof(*rc.ents),
				 GFP_KERNEL);
	if (!rc.names || !rc.ents) {
		status = NFS4ERR_DELAY;
		goto out;
	}

	err = dfs_permission(cs->exp, &cs->cur, MAY_READ);
	if (err) {
		status = dfs_errno(err);
		goto out;
	}
	file = dentry_open(&cs->cur, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(file)) {
		status = dfs_errno(PTR_ERR(file));
		goto out;
	}
	err = 0;
	if (cookie)
		err = vfs_llseek(file, cookie, SEEK_SET) < 0 ? -EINVAL : 0;
	if (!err)
		err = iterate_dir(file, &rc.ctx);
	if (rc.nr)
		rc.ents[rc.nr - 1].cookie = rc.ctx.pos;
	eof = !rc.full;
	fput(file);
	if (err) {
		status = err == -EINVAL ? NFS4ERR_BAD_COOKIE : dfs_errno(err);
		goto out;
	}

	if (xdr_stream_encode_opaque_fixed(cs->out, ours, sizeof(ours)) < 0) {
		status = NFS4ERR_REP_TOO_BIG;
		goto out;
	}
	for (i = 0; i < rc.nr; i++) {
		entry = xdr_stream_pos(cs->out);
		err = dfs_encode_dirent(cs, &rc.ents[i], bm, limit);
		if (err == -EMSGSIZE) {
			xdr_truncate_encode(cs->out, entry);
			eof = false;
			break;
		}
		if (err) {
			status = dfs_errno(err);
			goto out;
		}
		n++;
	}
	if (!n && rc.nr) {
		status = NFS4ERR_TOOSMALL;
		goto out;
	}
	if (xdr_stream_encode_u32(cs->out, 0) < 0 ||	/* no more entries */
	    xdr_stream_encode_bool(cs->out, eof) < 0)
		status = NFS4ERR_REP_TOO_BIG;
out:
	kvfree(rc.names);
	kvfree(rc.ents);
	return status;
}

/**
 * struct dfs_create_req - what CREATE makes
 * @type: the nfs_ftype4
 * @mode: permission bits
 * @target: a symlink's target, NUL-terminated
 * @dev: a device's number
 */
struct dfs_create_req {
	u32 type;
	umode_t mode;
	const char *target;
	dev_t dev;
};

/* Make the looked-up @child (which must not exist) what CREATE asked for. */
static int dfs_create_obj(struct dfs_compound *cs, struct dentry *child,
			  void *arg)
{
	struct mnt_idmap *idmap = mnt_idmap(cs->cur.mnt);
	struct inode *dir = d_inode(cs->cur.dentry);
	const struct dfs_create_req *r = arg;

	if (d_really_is_positive(child))
		return -EEXIST;
	switch (r->type) {
	case NF4DIR:
		return vfs_mkdir(idmap, dir, child, r->mode | S_IFDIR);
	case NF4LNK:
		return vfs_symlink(idmap, dir, child, r->target);
	case NF4BLK:
		return vfs_mknod(idmap, dir, child, r->mode | S_IFBLK, r->dev);
	case NF4CHR:
		return vfs_mknod(idmap, dir, child, r->mode | S_IFCHR, r->dev);
	case NF4SOCK:
		return vfs_mknod(idmap, dir, child, r->mode | S_IFSOCK, 0);
	case NF4FIFO:
		return vfs_mknod(idmap, dir, child, r->mode | S_IFIFO, 0);
	default:
		return -EBADTYPE;
	}
}

/**
 * dfs_op_create() - CREATE (RFC 8881, section 18.4): a directory, symlink,
 *	device, socket or fifo
 * @cs: the COMPOUND
 *
 * The new object becomes the current filehandle.
 *
 * Return: the operation's status; NFS4ERR_BADTYPE for a regular file
 * (that is OPEN's job).
 */
enum nfsstat4 dfs_op_create(struct dfs_compound *cs)
{
	u32 type, major = 0, minor = 0, len, tlen = 0;
	struct dfs_sattr *sa = NULL;
	char *target = NULL, *name;
	struct dfs_create_req req;
	struct dentry *dentry;
	enum nfsstat4 status;
	struct path child;
	void *p;
	int err;

	if (xdr_stream_decode_u32(cs->in, &type) < 0)
		return NFS4ERR_BADXDR;
	switch (type) {
	case NF4LNK:
		err = xdr_stream_decode_opaque_inline(cs->in, &p, PATH_MAX - 1);
		if (err < 0)
			return NFS4ERR_BADXDR;
		tlen = err;
		break;
	case NF4BLK:
	case NF4CHR:
		if (xdr_stream_decode_u32(cs->in, &major) < 0 ||
		    xdr_stream_decode_u32(cs->in, &minor) < 0)
			return NFS4ERR_BADXDR;
		break;
	case NF4SOCK:
	case NF4FIFO:
	case NF4DIR:
		break;
	default:
		return NFS4ERR_BADTYPE;
	}
	status = dfs_decode_name(cs->in, &name, &len);
	if (status)
		return status;
	sa = kmalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return NFS4ERR_DELAY;
	status = dfs_decode_fattr(cs->in, sa);
	if (!status)
		status = dfs_need_dir(cs);
	if (status)
		goto out;
	if (type == NF4LNK) {
		target = kmemdup_nul(p, tlen, GFP_KERNEL);
		if (!target) {
			status = NFS4ERR_DELAY;
			goto out;
		}
	}
	req.type = type;
	req.target = target;
	req.dev = MKDEV(major, minor);
	req.mode = ((sa->ia.ia_valid & ATTR_MODE) ? sa->ia.ia_mode : 0777) &
		   S_IALLUGO;
	sa->ia.ia_valid &= ~ATTR_MODE;

	status = dfs_dir_modify(cs, name, len, dfs_create_obj, &req, &dentry);
	if (status)
		goto out;
	child.mnt = mntget(cs->cur.mnt);
	child.dentry = dentry;
	/* Owner, group and times as asked; failures do not undo the create. */
	dfs_setattr(&child, sa);
	dfs_compound_set_cur(cs, &child);
	sa->bm[1] |= BIT(FATTR4_MODE - 32);
	if (dfs_encode_bitmap(cs->out, sa->bm) < 0)
		status = NFS4ERR_REP_TOO_BIG;
out:
	kfree(target);
	kfree(sa);
	return status;
}

/**
 * dfs_op_readlink() - READLINK (RFC 8881, section 18.24)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; NFS4ERR_INVAL when not a symlink.
 */
enum nfsstat4 dfs_op_readlink(struct dfs_compound *cs)
{
	enum nfsstat4 status = dfs_need_cur(cs);
	DEFINE_DELAYED_CALL(done);
	const char *link;

	if (status)
		return status;
	if (!d_is_symlink(cs->cur.dentry))
		return NFS4ERR_INVAL;
	link = vfs_get_link(cs->cur.dentry, &done);
	if (IS_ERR(link))
		return dfs_errno(PTR_ERR(link));
	if (xdr_stream_encode_opaque(cs->out, link, strlen(link)) < 0)
		status = NFS4ERR_REP_TOO_BIG;
	do_delayed_call(&done);
	return status;
}

static int dfs_link_obj(struct dfs_compound *cs, struct dentry *child,
			void *arg)
{
	if (d_really_is_positive(child))
		return -EEXIST;
	return vfs_link(cs->saved.dentry, mnt_idmap(cs->cur.mnt),
			d_inode(cs->cur.dentry), child, NULL);
}

/**
 * dfs_op_link() - LINK (RFC 8881, section 18.9): the saved filehandle gets
 *	a new name in the current directory
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_link(struct dfs_compound *cs)
{
	enum nfsstat4 status;
	char *name;
	u32 len;

	status = dfs_decode_name(cs->in, &name, &len);
	if (status)
		return status;
	if (!cs->saved.dentry)
		return NFS4ERR_NOFILEHANDLE;
	status = dfs_need_dir(cs);
	if (status)
		return status;
	if (d_is_dir(cs->saved.dentry))
		return NFS4ERR_ISDIR;
	if (cs->saved_exp != cs->exp)
		return NFS4ERR_XDEV;
	return dfs_dir_modify(cs, name, len, dfs_link_obj, NULL, NULL);
}

static int dfs_remove_obj(struct dfs_compound *cs, struct dentry *child,
			  void *arg)
{
	struct mnt_idmap *idmap = mnt_idmap(cs->cur.mnt);
	struct inode *dir = d_inode(cs->cur.dentry);

	if (d_really_is_negative(child))
		return -ENOENT;
	if (d_is_dir(child))
		return vfs_rmdir(idmap, dir, child);
	return vfs_unlink(idmap, dir, child, NULL);
}

/**
 * dfs_op_remove() - REMOVE (RFC 8881, section 18.25): a file or an empty
 *	directory
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_remove(struct dfs_compound *cs)
{
	enum nfsstat4 status;
	char *name;
	u32 len;

	status = dfs_decode_name(cs->in, &name, &len);
	if (!status)
		status = dfs_need_dir(cs);
	if (status)
		return status;
	return dfs_dir_modify(cs, name, len, dfs_remove_obj, NULL, NULL);
}

/**
 * dfs_op_rename() - RENAME (RFC 8881, section 18.26): from the saved
 *	directory to the current one
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_rename(struct dfs_compound *cs)
{
	struct dentry *odir = cs->saved.dentry, *ndir = cs->cur.dentry;
	u64 obefore, oafter, nbefore, nafter;
	struct dentry *trap, *old, *new;
	struct renamedata rd = {};
	enum nfsstat4 status;
	char *oname, *nname;
	u32 olen, nlen;
	int err;

	status = dfs_decode_name(cs->in, &oname, &olen);
	if (!status)
		status = dfs_decode_name(cs->in, &nname, &nlen);
	if (status)
		return status;
	if (!odir)
		return NFS4ERR_NOFILEHANDLE;
	status = dfs_need_dir(cs);
	if (status)
		return status;
	if (!d_is_dir(odir))
		return NFS4ERR_NOTDIR;
	if (cs->saved_exp != cs->exp)
		return NFS4ERR_XDEV;

	err = mnt_want_write(cs->cur.mnt);
	if (err)
		return dfs_errno(err);
	obefore = dfs_dir_change(&cs->saved);
	nbefore = dfs_dir_change(&cs->cur);
	trap = lock_rename(ndir, odir);
	if (IS_ERR(trap)) {
		err = PTR_ERR(trap);
		goto out_drop;
	}
	old = lookup_one_len(oname, odir, olen);
	err = PTR_ERR(old);
	if (IS_ERR(old))
		goto out_unlock;
	err = -ENOENT;
	if (d_really_is_negative(old))
		goto out_old;
	err = -EINVAL;
	if (old == trap)
		goto out_old;
	new = lookup_one_len(nname, ndir, nlen);
	err = PTR_ERR(new);
	if (IS_ERR(new))
		goto out_old;
	err = -ENOTEMPTY;
	if (new == trap)
		goto out_new;

	rd.old_mnt_idmap = mnt_idmap(cs->saved.mnt);
	rd.old_dir = d_inode(odir);
	rd.old_dentry = old;
	rd.new_mnt_idmap = mnt_idmap(cs->cur.mnt);
	rd.new_dir = d_inode(ndir);
	rd.new_dentry = new;
	err = vfs_rename(&rd);
out_new:
	dput(new);
out_old:
	dput(old);
out_unlock:
	unlock_rename(ndir, odir);
out_drop:
	oafter = dfs_dir_change(&cs->saved);
	nafter = dfs_dir_change(&cs->cur);
	mnt_drop_write(cs->cur.mnt);
	if (err)
		return dfs_errno(err);
	if (dfs_encode_cinfo(cs->out, obefore, oafter) < 0 ||
	    dfs_encode_cinfo(cs->out, nbefore, nafter) < 0)
		return NFS4ERR_REP_TOO_BIG;
	return NFS4_OK;
}

/* The flavors the current export accepts, best first: AUTH_SYS, AUTH_NONE. */
static enum nfsstat4 dfs_encode_secinfo(struct dfs_compound *cs)
{
	u32 flavors = cs->exp->rules.flavors;

	if (xdr_stream_encode_u32(cs->out, hweight32(flavors)) < 0 ||
	    ((flavors & DFS_SEC_SYS) &&
	     xdr_stream_encode_u32(cs->out, RPC_AUTH_UNIX) < 0) ||
	    ((flavors & DFS_SEC_NONE) &&
	     xdr_stream_encode_u32(cs->out, RPC_AUTH_NULL) < 0))
		return NFS4ERR_REP_TOO_BIG;
	/* SECINFO consumes the current filehandle (RFC 8881, 2.6.3.1.1.8). */
	path_put(&cs->cur);
	cs->cur.dentry = NULL;
	cs->cur.mnt = NULL;
	dfs_export_put(cs->exp);
	cs->exp = NULL;
	return NFS4_OK;
}

/**
 * dfs_op_secinfo() - SECINFO (RFC 8881, section 18.29)
 * @cs: the COMPOUND
 *
 * Return: the operation's status.
 */
enum nfsstat4 dfs_op_secinfo(struct dfs_compound *cs)
{
	enum nfsstat4 status;
	struct path child;
	bool crossed;

	/* An export's name gives that export's flavors. */
	status = dfs_lookup_arg(cs, &child, &crossed);
	if (status)
		return status;
	if (!crossed)
		path_put(&child);
	return dfs_encode_secinfo(cs);
}

/**
 * dfs_op_secinfo_no_name() - SECINFO_NO_NAME (RFC 8881, section 18.45)
 * @cs: the COMPOUND
 *
 * Return: the operation's status; NFS4ERR_NOENT for the parent of the
 * root.
 */
enum nfsstat4 dfs_op_secinfo_no_name(struct dfs_compound *cs)
{
	enum nfsstat4 status;
	u32 style;

	if (xdr_stream_decode_u32(cs->in, &style) < 0)
		return NFS4ERR_BADXDR;
	if (style > NFS4_SECINFO_STYLE4_PARENT)
		return NFS4ERR_INVAL;
	status = dfs_need_cur(cs);
	if (status)
		return status;
	/* The root of the namespace has no parent (RFC 8881, 18.45.3). */
	if (style == NFS4_SECINFO_STYLE4_PARENT &&
	    cs->cur.dentry == cs->exp->root.dentry &&
	    !strcmp(cs->exp->name, "/"))
		return NFS4ERR_NOENT;
	return dfs_encode_secinfo(cs);
}
