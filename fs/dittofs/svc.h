/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sunrpc service: program 100003 version 4 over TCP, on our own port,
 * hidden from rpcbind so that knfsd's registration is untouched.
 */
#ifndef _FS_DITTOFS_SVC_H
#define _FS_DITTOFS_SVC_H

struct dfs_compound;
struct dfs_conn_ops;

extern const struct dfs_conn_ops dfs_svc_conn_ops;

void *dfs_svc_conn(struct dfs_compound *cs);
void dfs_svc_conn_put(struct dfs_compound *cs);
void dfs_svc_conn_valid(struct dfs_compound *cs);
u32 dfs_svc_conns_unvalidated(void);
int dfs_svc_init(void);
void dfs_svc_exit(void);

#endif /* _FS_DITTOFS_SVC_H */
