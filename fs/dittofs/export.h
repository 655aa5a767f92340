/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exported directory and its file handles.
 */
#ifndef _FS_DITTOFS_EXPORT_H
#define _FS_DITTOFS_EXPORT_H

#include <linux/nfs4.h>
#include <linux/path.h>
#include <linux/types.h>

/**
 * struct dfs_fh - a file handle as it crosses the wire (nfs_fh4)
 * @len: bytes used in @data
 * @data: the handle: version, fileid type, export id, exportfs fid
 */
struct dfs_fh {
	u32 len;
	u8 data[NFS4_FHSIZE];
};

enum nfsstat4 dfs_errno(int err);
void dfs_export_root(struct path *path);
u64 dfs_export_id(void);
bool dfs_export_contains(const struct path *path);
enum nfsstat4 dfs_fh_encode(const struct path *path, struct dfs_fh *fh);
enum nfsstat4 dfs_fh_decode(const struct dfs_fh *fh, struct path *path);
int dfs_export_init(void);
void dfs_export_exit(void);

#endif /* _FS_DITTOFS_EXPORT_H */
