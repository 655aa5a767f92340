/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File attributes (fattr4, RFC 8881 section 5): bitmaps, GETATTR-style
 * encoding from the VFS, and decoding of attributes to set.
 */
#ifndef _FS_DITTOFS_ATTR_H
#define _FS_DITTOFS_ATTR_H

#include <linux/fs.h>
#include <linux/nfs4.h>
#include <linux/sunrpc/xdr.h>

#define DFS_ATTR_WORDS	3

struct path;
struct dfs_fh;

/**
 * struct dfs_sattr - attributes to set, decoded from a fattr4
 * @ia: what to change, for notify_change()
 * @bm: which attributes the client gave (returned as attrsset)
 */
struct dfs_sattr {
	struct iattr ia;
	u32 bm[DFS_ATTR_WORDS];
};

extern const u32 dfs_supported_attrs[DFS_ATTR_WORDS];

int dfs_decode_bitmap(struct xdr_stream *xdr, u32 *bm);
int dfs_encode_bitmap(struct xdr_stream *xdr, const u32 *bm);
struct dfs_export;
enum nfsstat4 dfs_encode_fattr(struct xdr_stream *xdr,
			       const struct dfs_export *exp,
			       const struct path *path, const u32 *req,
			       u32 lease);
enum nfsstat4 dfs_decode_fattr(struct xdr_stream *xdr, struct dfs_sattr *sa);
enum nfsstat4 dfs_setattr(const struct path *path, struct dfs_sattr *sa);
u32 dfs_nfs4_type(umode_t mode);
u64 dfs_dir_change(const struct path *path);

#endif /* _FS_DITTOFS_ATTR_H */
