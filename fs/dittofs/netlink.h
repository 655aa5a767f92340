/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "dittofs" generic netlink family (Documentation/netlink/specs/
 * dittofs.yaml): administration of clients, sessions, metrics and limits.
 */
#ifndef _FS_DITTOFS_NETLINK_H
#define _FS_DITTOFS_NETLINK_H

#include <linux/time64.h>
#include <linux/types.h>

#include "state.h"

struct dfs_session;
struct dfs_session_info;
struct sk_buff;

int dfs_netlink_init(void);
void dfs_netlink_exit(void);
u32 dfs_nl_dump_seq(u64 generation);

#if IS_ENABLED(CONFIG_KUNIT)
int dfs_nl_put_session(struct sk_buff *skb, const struct dfs_session_info *si);
#endif

#endif /* _FS_DITTOFS_NETLINK_H */
