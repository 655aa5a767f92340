// SPDX-License-Identifier: GPL-2.0
/*
 * fattr4 encoding and decoding (RFC 8881, section 5).
 *
 * Attributes are encoded in increasing attribute number, each from one
 * vfs_getattr() (and one vfs_statfs() when a file system attribute is
 * asked for).  Owners are numeric strings: there is no id mapping.
 */
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sizes.h>
#include <linux/stat.h>
#include <linux/statfs.h>
#include <linux/uidgid.h>

#include "attr.h"
#include "export.h"
#include "limits.h"

#define W0(a)	BIT(FATTR4_##a)
#define W1(a)	BIT(FATTR4_##a - 32)
#define W2(a)	BIT(FATTR4_##a - 64)

/*
 * maxread and maxwrite are DFS_MAX_IO, which fits with its headers in the
 * largest request and reply a session is granted (DFS_FORE_SIZE).  A
 * client must honour both, but Linux sizes the I/O of a file system it
 * reaches by crossing into another export from these attributes alone.
 */

const u32 dfs_supported_attrs[DFS_ATTR_WORDS] = {
	W0(SUPPORTED_ATTRS) | W0(TYPE) | W0(FH_EXPIRE_TYPE) | W0(CHANGE) |
	W0(SIZE) | W0(LINK_SUPPORT) | W0(SYMLINK_SUPPORT) | W0(NAMED_ATTR) |
	W0(FSID) | W0(UNIQUE_HANDLES) | W0(LEASE_TIME) | W0(RDATTR_ERROR) |
	W0(CANSETTIME) | W0(CASE_INSENSITIVE) | W0(CASE_PRESERVING) |
	W0(CHOWN_RESTRICTED) | W0(FILEHANDLE) | W0(FILEID) |
	W0(FILES_AVAIL) | W0(FILES_FREE) | W0(FILES_TOTAL) |
	W0(HOMOGENEOUS) | W0(MAXFILESIZE) | W0(MAXLINK) | W0(MAXNAME) |
	W0(MAXREAD) | W0(MAXWRITE),
	W1(MODE) | W1(NO_TRUNC) | W1(NUMLINKS) | W1(OWNER) |
	W1(OWNER_GROUP) | W1(RAWDEV) | W1(SPACE_AVAIL) | W1(SPACE_FREE) |
	W1(SPACE_TOTAL) | W1(SPACE_USED) | W1(TIME_ACCESS) |
	W1(TIME_ACCESS_SET) | W1(TIME_DELTA) | W1(TIME_METADATA) |
	W1(TIME_MODIFY) | W1(TIME_MODIFY_SET) | W1(MOUNTED_ON_FILEID),
	W2(SUPPATTR_EXCLCREAT),
};

/* Attributes a client may set, and those it may set at exclusive create. */
static const u32 dfs_writable_attrs[DFS_ATTR_WORDS] = {
	W0(SIZE),
	W1(MODE) | W1(OWNER) | W1(OWNER_GROUP) | W1(TIME_ACCESS_SET) |
	W1(TIME_MODIFY_SET),
	0,
};

static const u32 dfs_exclcreat_attrs[DFS_ATTR_WORDS] = {
	W0(SIZE),
	W1(MODE) | W1(OWNER) | W1(OWNER_GROUP),
	0,
};

/* Attributes that need vfs_statfs(). */
static const u32 dfs_statfs_attrs[DFS_ATTR_WORDS] = {
	W0(FILES_AVAIL) | W0(FILES_FREE) | W0(FILES_TOTAL) | W0(MAXNAME),
	W1(SPACE_AVAIL) | W1(SPACE_FREE) | W1(SPACE_TOTAL),
	0,
};

/**
 * dfs_decode_bitmap() - decode a bitmap4 of any length
 * @xdr: the request
 * @bm: the first DFS_ATTR_WORDS words; later words are read and dropped,
 *	as they name attributes this server does not know
 *
 * Return: 0, or -EBADMSG when the bitmap runs past the request.
 */
int dfs_decode_bitmap(struct xdr_stream *xdr, u32 *bm)
{
	u32 n, i, v;

	memset(bm, 0, DFS_ATTR_WORDS * sizeof(*bm));
	if (xdr_stream_decode_u32(xdr, &n) < 0)
		return -EBADMSG;
	if (n > xdr_stream_remaining(xdr) / XDR_UNIT)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		if (xdr_stream_decode_u32(xdr, &v) < 0)
			return -EBADMSG;
		if (i < DFS_ATTR_WORDS)
			bm[i] = v;
	}
	return 0;
}

/**
 * dfs_encode_bitmap() - encode a bitmap4 without trailing zero words
 * @xdr: the reply
 * @bm: DFS_ATTR_WORDS words
 *
 * Return: 0, or -EMSGSIZE when the reply is full.
 */
int dfs_encode_bitmap(struct xdr_stream *xdr, const u32 *bm)
{
	u32 n = DFS_ATTR_WORDS;

	while (n && !bm[n - 1])
		n--;
	/* Encodes the word count, then the words. */
	return xdr_stream_encode_uint32_array(xdr, bm, n) < 0 ? -EMSGSIZE : 0;
}

/**
 * dfs_nfs4_type() - the nfs_ftype4 of a file mode
 * @mode: an inode's mode
 *
 * Return: NF4REG, NF4DIR and so on.
 */
u32 dfs_nfs4_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return NF4DIR;
	case S_IFLNK:
		return NF4LNK;
	case S_IFBLK:
		return NF4BLK;
	case S_IFCHR:
		return NF4CHR;
	case S_IFSOCK:
		return NF4SOCK;
	case S_IFIFO:
		return NF4FIFO;
	default:
		return NF4REG;
	}
}

static int dfs_encode_time(struct xdr_stream *xdr, struct timespec64 ts)
{
	__be32 *p = xdr_reserve_space(xdr, 3 * XDR_UNIT);

	if (!p)
		return -EMSGSIZE;
	p = xdr_encode_hyper(p, ts.tv_sec);
	*p = cpu_to_be32(ts.tv_nsec);
	return 0;
}

static int dfs_encode_id(struct xdr_stream *xdr, u32 id)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%u", id);

	return xdr_stream_encode_opaque(xdr, buf, n) < 0 ? -EMSGSIZE : 0;
}

/* The change attribute: the i_version cookie when there is one. */
static u64 dfs_change_attr(const struct kstat *st)
{
	if (st->result_mask & STATX_CHANGE_COOKIE)
		return st->change_cookie;
	return ((u64)st->ctime.tv_sec << 30) + st->ctime.tv_nsec;
}

/**
 * struct dfs_attr_ctx - what one fattr4 is encoded from
 * @exp: the export the file lies in
 * @path: the file
 * @st: its vfs_getattr()
 * @sfs: its file system's vfs_statfs(), when asked for
 * @lease: the lease time of the client asking, seconds
 */
struct dfs_attr_ctx {
	u32 lease;
	const struct dfs_export *exp;
	const struct path *path;
	struct kstat st;
	struct kstatfs sfs;
};

static int dfs_encode_one(struct xdr_stream *xdr, struct dfs_attr_ctx *c,
			  u32 attr)
{
	const struct kstat *st = &c->st;
	struct dfs_fh fh;
	u64 v;

	switch (attr) {
	case FATTR4_SUPPORTED_ATTRS:
		return dfs_encode_bitmap(xdr, dfs_supported_attrs);
	case FATTR4_TYPE:
		return xdr_stream_encode_u32(xdr, dfs_nfs4_type(st->mode));
	case FATTR4_FH_EXPIRE_TYPE:
		return xdr_stream_encode_u32(xdr, NFS4_FH_PERSISTENT);
	case FATTR4_CHANGE:
		return xdr_stream_encode_u64(xdr, dfs_change_attr(st));
	case FATTR4_SIZE:
		return xdr_stream_encode_u64(xdr, st->size);
	case FATTR4_LINK_SUPPORT:
	case FATTR4_SYMLINK_SUPPORT:
	case FATTR4_UNIQUE_HANDLES:
	case FATTR4_CANSETTIME:
	case FATTR4_CASE_PRESERVING:
	case FATTR4_CHOWN_RESTRICTED:
	case FATTR4_HOMOGENEOUS:
	case FATTR4_NO_TRUNC:
		return xdr_stream_encode_bool(xdr, true);
	case FATTR4_NAMED_ATTR:
	case FATTR4_CASE_INSENSITIVE:
		return xdr_stream_encode_bool(xdr, false);
	case FATTR4_FSID:
		if (xdr_stream_encode_u64(xdr, c->exp->id) < 0)
			return -EMSGSIZE;
		return xdr_stream_encode_u64(xdr, 0);
	case FATTR4_LEASE_TIME:
		return xdr_stream_encode_u32(xdr, c->lease);
	case FATTR4_RDATTR_ERROR:
		return xdr_stream_encode_u32(xdr, NFS4_OK);
	case FATTR4_FILEHANDLE:
		if (dfs_fh_encode(c->exp, c->path, &fh))
			return -EINVAL;
		return xdr_stream_encode_opaque(xdr, fh.data, fh.len);
	case FATTR4_FILEID:
	case FATTR4_MOUNTED_ON_FILEID:
		return xdr_stream_encode_u64(xdr, st->ino);
	case FATTR4_FILES_AVAIL:
	case FATTR4_FILES_FREE:
		return xdr_stream_encode_u64(xdr, c->sfs.f_ffree);
	case FATTR4_FILES_TOTAL:
		return xdr_stream_encode_u64(xdr, c->sfs.f_files);
	case FATTR4_MAXFILESIZE:
		return xdr_stream_encode_u64(xdr, c->path->dentry->d_sb->s_maxbytes);
	case FATTR4_MAXLINK:
		return xdr_stream_encode_u32(xdr, 255);
	case FATTR4_MAXNAME:
		return xdr_stream_encode_u32(xdr, c->sfs.f_namelen);
	case FATTR4_MAXREAD:
	case FATTR4_MAXWRITE:
		return xdr_stream_encode_u64(xdr, DFS_MAX_IO);
	case FATTR4_MODE:
		return xdr_stream_encode_u32(xdr, st->mode & S_IALLUGO);
	case FATTR4_NUMLINKS:
		return xdr_stream_encode_u32(xdr, st->nlink);
	case FATTR4_OWNER:
		return dfs_encode_id(xdr, from_kuid_munged(&init_user_ns, st->uid));
	case FATTR4_OWNER_GROUP:
		return dfs_encode_id(xdr, from_kgid_munged(&init_user_ns, st->gid));
	case FATTR4_RAWDEV:
		if (xdr_stream_encode_u32(xdr, MAJOR(st->rdev)) < 0)
			return -EMSGSIZE;
		return xdr_stream_encode_u32(xdr, MINOR(st->rdev));
	case FATTR4_SPACE_AVAIL:
		return xdr_stream_encode_u64(xdr, c->sfs.f_bavail * c->sfs.f_bsize);
	case FATTR4_SPACE_FREE:
		return xdr_stream_encode_u64(xdr, c->sfs.f_bfree * c->sfs.f_bsize);
	case FATTR4_SPACE_TOTAL:
		return xdr_stream_encode_u64(xdr, c->sfs.f_blocks * c->sfs.f_bsize);
	case FATTR4_SPACE_USED:
		v = st->blocks << 9;
		return xdr_stream_encode_u64(xdr, v);
	case FATTR4_TIME_ACCESS:
		return dfs_encode_time(xdr, st->atime);
	case FATTR4_TIME_DELTA:
		return dfs_encode_time(xdr, (struct timespec64){ 0, 1 });
	case FATTR4_TIME_METADATA:
		return dfs_encode_time(xdr, st->ctime);
	case FATTR4_TIME_MODIFY:
		return dfs_encode_time(xdr, st->mtime);
	case FATTR4_SUPPATTR_EXCLCREAT:
		return dfs_encode_bitmap(xdr, dfs_exclcreat_attrs);
	default:
		/* Write-only attributes (time_*_set) are never returned. */
		return 0;
	}
}

/**
 * dfs_dir_change() - the change attribute of a file, for change_info4
 * @path: the file (a directory, for change_info4)
 *
 * Return: what GETATTR reports as its change attribute, or 0 when the
 * file cannot be stat'ed.
 */
u64 dfs_dir_change(const struct path *path)
{
	struct kstat st;

	if (vfs_getattr(path, &st, STATX_CTIME | STATX_CHANGE_COOKIE,
			AT_STATX_SYNC_AS_STAT))
		return 0;
	return dfs_change_attr(&st);
}

static bool dfs_bm_any(const u32 *a, const u32 *b)
{
	int i;

	for (i = 0; i < DFS_ATTR_WORDS; i++)
		if (a[i] & b[i])
			return true;
	return false;
}

/**
 * dfs_encode_fattr() - encode the attributes of @path that @req asks for
 * @xdr: the reply
 * @exp: the export @path lies in
 * @path: the file
 * @req: the requested bitmap (DFS_ATTR_WORDS words)
 * @lease: the asking client's lease time, for FATTR4_LEASE_TIME
 *
 * Encodes the bitmap of what is returned (requested, supported and
 * readable) followed by attr_vals.
 *
 * Return: NFS4_OK, the error of vfs_getattr()/vfs_statfs() as an
 * nfsstat4, or NFS4ERR_REP_TOO_BIG when the reply is full.
 */
enum nfsstat4 dfs_encode_fattr(struct xdr_stream *xdr,
			       const struct dfs_export *exp,
			       const struct path *path, const u32 *req,
			       u32 lease)
{
	struct dfs_attr_ctx *c;
	unsigned int lenpos;
	u32 bm[DFS_ATTR_WORDS];
	enum nfsstat4 status = NFS4_OK;
	__be32 len;
	u32 attr;
	int i, err;

	for (i = 0; i < DFS_ATTR_WORDS; i++)
		bm[i] = req[i] & dfs_supported_attrs[i];
	bm[1] &= ~(W1(TIME_ACCESS_SET) | W1(TIME_MODIFY_SET));

	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NFS4ERR_DELAY;
	c->lease = lease;
	c->exp = exp;
	c->path = path;
	err = vfs_getattr(path, &c->st, STATX_BASIC_STATS | STATX_CHANGE_COOKIE,
			  AT_STATX_SYNC_AS_STAT);
	if (!err && dfs_bm_any(bm, dfs_statfs_attrs))
		err = vfs_statfs(path, &c->sfs);
	if (err) {
		status = err == -ENOMEM ? NFS4ERR_DELAY : NFS4ERR_IO;
		goto out;
	}

	if (dfs_encode_bitmap(xdr, bm) < 0)
		goto err_full;
	lenpos = xdr_stream_pos(xdr);
	if (!xdr_reserve_space(xdr, XDR_UNIT))
		goto err_full;
	for (attr = 0; attr < DFS_ATTR_WORDS * 32; attr++) {
		if (!(bm[attr / 32] & BIT(attr % 32)))
			continue;
		err = dfs_encode_one(xdr, c, attr);
		if (err == -EINVAL) {
			status = NFS4ERR_SERVERFAULT;
			goto out;
		}
		if (err < 0)
			goto err_full;
	}
	len = cpu_to_be32(xdr_stream_pos(xdr) - lenpos - XDR_UNIT);
	write_bytes_to_xdr_buf(xdr->buf, lenpos, &len, XDR_UNIT);
	goto out;

err_full:
	status = NFS4ERR_REP_TOO_BIG;
out:
	kfree(c);
	return status;
}

static int dfs_decode_time(struct xdr_stream *xdr, struct timespec64 *ts)
{
	u32 nsec;
	s64 sec;

	if (xdr_stream_decode_u64(xdr, (u64 *)&sec) < 0 ||
	    xdr_stream_decode_u32(xdr, &nsec) < 0)
		return -EBADMSG;
	if (nsec >= NSEC_PER_SEC)
		return -EINVAL;
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
	return 0;
}

/* settime4: the client's time, or the server's (RFC 8881, 5.8.2). */
static enum nfsstat4 dfs_decode_settime(struct xdr_stream *xdr,
					struct iattr *ia, unsigned int valid,
					unsigned int valid_set,
					struct timespec64 *ts)
{
	u32 how;
	int err;

	if (xdr_stream_decode_u32(xdr, &how) < 0)
		return NFS4ERR_BADXDR;
	ia->ia_valid |= valid;
	if (how == NFS4_SET_TO_SERVER_TIME)
		return NFS4_OK;
	if (how != NFS4_SET_TO_CLIENT_TIME)
		return NFS4ERR_BADXDR;
	err = dfs_decode_time(xdr, ts);
	if (err)
		return err == -EINVAL ? NFS4ERR_INVAL : NFS4ERR_BADXDR;
	ia->ia_valid |= valid_set;
	return NFS4_OK;
}

/* A numeric owner or group string; names would need an id mapper. */
static enum nfsstat4 dfs_decode_id(struct xdr_stream *xdr, u32 *id)
{
	char buf[16];
	void *p;
	ssize_t n;

	n = xdr_stream_decode_opaque_inline(xdr, &p, NFS4_OPAQUE_LIMIT);
	if (n < 0)
		return NFS4ERR_BADXDR;
	if (n == 0 || n >= sizeof(buf))
		return NFS4ERR_BADOWNER;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return kstrtou32(buf, 10, id) ? NFS4ERR_BADOWNER : NFS4_OK;
}

/**
 * dfs_decode_fattr() - decode a fattr4 of attributes to set
 * @xdr: the request
 * @sa: filled in
 *
 * Return: NFS4_OK; NFS4ERR_BADXDR for a malformed fattr4;
 * NFS4ERR_ATTRNOTSUPP for an attribute this server does not support;
 * NFS4ERR_INVAL for one that is read-only or out of range;
 * NFS4ERR_BADOWNER for an owner that is not a number.
 */
enum nfsstat4 dfs_decode_fattr(struct xdr_stream *xdr, struct dfs_sattr *sa)
{
	struct iattr *ia = &sa->ia;
	enum nfsstat4 status;
	unsigned int end;
	u32 len, attr, v;
	u64 size;
	int i;

	memset(sa, 0, sizeof(*sa));
	if (dfs_decode_bitmap(xdr, sa->bm) < 0 ||
	    xdr_stream_decode_u32(xdr, &len) < 0 ||
	    len > xdr_stream_remaining(xdr) || len % XDR_UNIT)
		return NFS4ERR_BADXDR;
	end = xdr_stream_pos(xdr) + len;

	for (i = 0; i < DFS_ATTR_WORDS; i++) {
		if (sa->bm[i] & ~dfs_supported_attrs[i])
			return NFS4ERR_ATTRNOTSUPP;
		if (sa->bm[i] & ~dfs_writable_attrs[i])
			return NFS4ERR_INVAL;
	}

	for (attr = 0; attr < DFS_ATTR_WORDS * 32; attr++) {
		if (!(sa->bm[attr / 32] & BIT(attr % 32)))
			continue;
		switch (attr) {
		case FATTR4_SIZE:
			if (xdr_stream_decode_u64(xdr, &size) < 0)
				return NFS4ERR_BADXDR;
			if (size > LLONG_MAX)
				return NFS4ERR_INVAL;
			ia->ia_size = size;
			ia->ia_valid |= ATTR_SIZE;
			break;
		case FATTR4_MODE:
			if (xdr_stream_decode_u32(xdr, &v) < 0)
				return NFS4ERR_BADXDR;
			ia->ia_mode = v & S_IALLUGO;
			ia->ia_valid |= ATTR_MODE;
			break;
		case FATTR4_OWNER:
			status = dfs_decode_id(xdr, &v);
			if (status)
				return status;
			ia->ia_vfsuid = VFSUIDT_INIT(make_kuid(&init_user_ns, v));
			if (!vfsuid_valid(ia->ia_vfsuid))
				return NFS4ERR_BADOWNER;
			ia->ia_valid |= ATTR_UID;
			break;
		case FATTR4_OWNER_GROUP:
			status = dfs_decode_id(xdr, &v);
			if (status)
				return status;
			ia->ia_vfsgid = VFSGIDT_INIT(make_kgid(&init_user_ns, v));
			if (!vfsgid_valid(ia->ia_vfsgid))
				return NFS4ERR_BADOWNER;
			ia->ia_valid |= ATTR_GID;
			break;
		case FATTR4_TIME_ACCESS_SET:
			status = dfs_decode_settime(xdr, ia, ATTR_ATIME,
						    ATTR_ATIME_SET,
						    &ia->ia_atime);
			if (status)
				return status;
			break;
		case FATTR4_TIME_MODIFY_SET:
			status = dfs_decode_settime(xdr, ia, ATTR_MTIME,
						    ATTR_MTIME_SET,
						    &ia->ia_mtime);
			if (status)
				return status;
			break;
		}
	}
	/* attr_vals must hold exactly the attributes the bitmap names. */
	if (xdr_stream_pos(xdr) != end)
		return NFS4ERR_BADXDR;
	return NFS4_OK;
}

/**
 * dfs_setattr() - apply decoded attributes to a file
 * @path: the file
 * @sa: the attributes, from dfs_decode_fattr()
 *
 * Return: NFS4_OK or the VFS error as an nfsstat4.
 */
enum nfsstat4 dfs_setattr(const struct path *path, struct dfs_sattr *sa)
{
	struct dentry *dentry = path->dentry;
	struct inode *inode = d_inode(dentry);
	struct iattr *ia = &sa->ia;
	int err;

	if (!ia->ia_valid)
		return NFS4_OK;
	if ((ia->ia_valid & ATTR_SIZE) && !S_ISREG(inode->i_mode))
		return S_ISDIR(inode->i_mode) ? NFS4ERR_ISDIR : NFS4ERR_INVAL;
	if (ia->ia_valid & (ATTR_ATIME | ATTR_MTIME | ATTR_SIZE))
		ia->ia_valid |= ATTR_CTIME;
	/* fattr4 mode has no file type; notify_change() wants the whole mode. */
	if (ia->ia_valid & ATTR_MODE)
		ia->ia_mode = (ia->ia_mode & S_IALLUGO) |
			      (inode->i_mode & ~S_IALLUGO);
	/* A chown of a file drops its set-id bits, as chown(2) does. */
	if (!S_ISDIR(inode->i_mode) && (ia->ia_valid & (ATTR_UID | ATTR_GID))) {
		ia->ia_valid |= ATTR_KILL_PRIV;
		if (ia->ia_valid & ATTR_MODE)
			ia->ia_mode &= ~(S_ISUID | S_ISGID);
		else
			ia->ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	}

	err = mnt_want_write(path->mnt);
	if (err)
		return NFS4ERR_ROFS;
	inode_lock(inode);
	err = notify_change(mnt_idmap(path->mnt), dentry, ia, NULL);
	inode_unlock(inode);
	mnt_drop_write(path->mnt);
	return dfs_errno(err);
}
