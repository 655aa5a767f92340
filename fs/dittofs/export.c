// SPDX-License-Identifier: GPL-2.0
/*
 * The exported directory (module parameter "export") and its file handles.
 *
 * A file handle is, in order: a version byte, the exportfs fileid type, two
 * zero bytes, the 8-byte export id, and the fid that exportfs_encode_fh()
 * gives for the file.  The export id is derived from the export root's
 * device and inode number, so handles stay valid across a module reload
 * while the exported file system stays mounted.  A handle is resolved only
 * on the export's own mount and only to a file inside the export root.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/exportfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/unaligned.h>

#include "export.h"

#define DFS_FH_VERSION		1
#define DFS_FH_HDR		12	/* version, type, pad, export id */

static char *dfs_export_path;
module_param_named(export, dfs_export_path, charp, 0444);
MODULE_PARM_DESC(export, "Directory to export as the NFSv4 root (required)");

/* Set once at load and constant until unload. */
static struct path dfs_root;
static u64 dfs_export_ident;

/**
 * dfs_errno() - the nfsstat4 for a VFS error
 * @err: 0 or a negative errno
 *
 * Return: NFS4_OK for 0; the closest NFS4ERR_* otherwise, NFS4ERR_IO for
 * anything without a better match.
 */
enum nfsstat4 dfs_errno(int err)
{
	switch (err) {
	case 0:
		return NFS4_OK;
	case -EPERM:
		return NFS4ERR_PERM;
	case -ENOENT:
		return NFS4ERR_NOENT;
	case -EIO:
		return NFS4ERR_IO;
	case -ENXIO:
	case -ENODEV:
		return NFS4ERR_NXIO;
	case -EACCES:
		return NFS4ERR_ACCESS;
	case -EEXIST:
		return NFS4ERR_EXIST;
	case -EXDEV:
		return NFS4ERR_XDEV;
	case -ENOTDIR:
		return NFS4ERR_NOTDIR;
	case -EISDIR:
		return NFS4ERR_ISDIR;
	case -EINVAL:
		return NFS4ERR_INVAL;
	case -EFBIG:
		return NFS4ERR_FBIG;
	case -ENOSPC:
		return NFS4ERR_NOSPC;
	case -EROFS:
		return NFS4ERR_ROFS;
	case -EMLINK:
		return NFS4ERR_MLINK;
	case -ENAMETOOLONG:
		return NFS4ERR_NAMETOOLONG;
	case -ENOTEMPTY:
		return NFS4ERR_NOTEMPTY;
	case -EDQUOT:
		return NFS4ERR_DQUOT;
	case -ESTALE:
		return NFS4ERR_STALE;
	case -ENOMEM:
	case -EAGAIN:
		return NFS4ERR_DELAY;
	case -ELOOP:
		return NFS4ERR_SYMLINK;
	case -EOPNOTSUPP:
		return NFS4ERR_NOTSUPP;
	case -ETXTBSY:
		return NFS4ERR_FILE_OPEN;
	case -EBADF:
		return NFS4ERR_BAD_STATEID;
	case -EOVERFLOW:
		return NFS4ERR_INVAL;
	default:
		return NFS4ERR_IO;
	}
}

/**
 * dfs_export_root() - the export root
 * @path: set to a referenced path; release with path_put()
 */
void dfs_export_root(struct path *path)
{
	*path = dfs_root;
	path_get(path);
}

/**
 * dfs_export_id() - the export's identity, also its fsid major number
 *
 * Return: a value stable for as long as the exported file system is mounted.
 */
u64 dfs_export_id(void)
{
	return dfs_export_ident;
}

/**
 * dfs_export_contains() - is @path inside the export, on its mount?
 * @path: a path
 *
 * Return: true when @path is the export root or below it without
 * crossing a mount point.
 */
bool dfs_export_contains(const struct path *path)
{
	return path->mnt == dfs_root.mnt &&
	       is_subdir(path->dentry, dfs_root.dentry);
}

/**
 * dfs_fh_encode() - the file handle of @path
 * @path: a file inside the export
 * @fh: filled in
 *
 * Return: NFS4_OK, or NFS4ERR_SERVERFAULT when the file system cannot
 * encode a handle that fits.
 */
enum nfsstat4 dfs_fh_encode(const struct path *path, struct dfs_fh *fh)
{
	int words = (NFS4_FHSIZE - DFS_FH_HDR) / 4;
	int type;

	type = exportfs_encode_fh(path->dentry,
				  (struct fid *)(fh->data + DFS_FH_HDR),
				  &words, 0);
	if (type <= 0 || type == FILEID_INVALID || type > U8_MAX)
		return NFS4ERR_SERVERFAULT;
	fh->data[0] = DFS_FH_VERSION;
	fh->data[1] = type;
	fh->data[2] = 0;
	fh->data[3] = 0;
	put_unaligned_be64(dfs_export_ident, fh->data + 4);
	fh->len = DFS_FH_HDR + words * 4;
	return NFS4_OK;
}

/*
 * Directories are always reconnected to their parents, so they must lie
 * under the export root.  A file's dentry may come back disconnected (its
 * parent unknown, as after the dentry cache was dropped); like knfsd's
 * no_subtree_check, such a file on the export's file system is accepted.
 */
static int dfs_fh_acceptable(void *context, struct dentry *dentry)
{
	if ((dentry->d_flags & DCACHE_DISCONNECTED) && !d_is_dir(dentry))
		return 1;
	return is_subdir(dentry, dfs_root.dentry);
}

/**
 * dfs_fh_decode() - the file behind a file handle
 * @fh: a handle from the wire
 * @path: set to a referenced path on NFS4_OK; release with path_put()
 *
 * Return: NFS4_OK; NFS4ERR_BADHANDLE for a handle this server never made;
 * NFS4ERR_STALE for one of another export or of a file that is gone.
 */
enum nfsstat4 dfs_fh_decode(const struct dfs_fh *fh, struct path *path)
{
	struct dentry *dentry;
	int words;

	if (fh->len < DFS_FH_HDR + 4 || fh->len > NFS4_FHSIZE ||
	    fh->len % 4 || fh->data[0] != DFS_FH_VERSION ||
	    fh->data[2] || fh->data[3])
		return NFS4ERR_BADHANDLE;
	if (get_unaligned_be64(fh->data + 4) != dfs_export_ident)
		return NFS4ERR_STALE;

	words = (fh->len - DFS_FH_HDR) / 4;
	dentry = exportfs_decode_fh(dfs_root.mnt,
				    (struct fid *)(fh->data + DFS_FH_HDR),
				    words, fh->data[1], dfs_fh_acceptable, NULL);
	if (IS_ERR_OR_NULL(dentry))
		return PTR_ERR(dentry) == -ENOMEM ? NFS4ERR_DELAY : NFS4ERR_STALE;
	path->mnt = mntget(dfs_root.mnt);
	path->dentry = dentry;
	return NFS4_OK;
}

/**
 * dfs_export_init() - resolve the "export" parameter
 *
 * Return: 0, or -EINVAL with the reason logged when it is missing, not a
 * directory, or on a file system without exportable file handles.
 */
int dfs_export_init(void)
{
	struct super_block *sb;
	int err;

	if (!dfs_export_path || !*dfs_export_path) {
		pr_err("no directory to serve: load with export=/path/to/dir\n");
		return -EINVAL;
	}
	err = kern_path(dfs_export_path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			&dfs_root);
	if (err) {
		pr_err("export=%s: not a directory (error %d)\n",
		       dfs_export_path, err);
		return -EINVAL;
	}
	sb = dfs_root.dentry->d_sb;
	if (!exportfs_can_decode_fh(sb->s_export_op)) {
		pr_err("export=%s: %s cannot be exported (no file handles)\n",
		       dfs_export_path, sb->s_type->name);
		path_put(&dfs_root);
		return -EINVAL;
	}
	dfs_export_ident = ((u64)new_encode_dev(sb->s_dev) << 32) ^
			   d_inode(dfs_root.dentry)->i_ino;
	pr_info("exporting %s (%s)\n", dfs_export_path, sb->s_type->name);
	return 0;
}

/**
 * dfs_export_exit() - release the export root
 */
void dfs_export_exit(void)
{
	path_put(&dfs_root);
}
