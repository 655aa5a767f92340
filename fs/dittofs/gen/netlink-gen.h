/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/dittofs.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_DITTOFS_GEN_H
#define _LINUX_DITTOFS_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/dittofs.h>

int dittofs_nl_client_get_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_client_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int dittofs_nl_session_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);
int dittofs_nl_session_destroy_doit(struct sk_buff *skb,
				    struct genl_info *info);
int dittofs_nl_client_evict_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_settings_get_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_settings_set_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_export_get_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_export_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int dittofs_nl_export_add_doit(struct sk_buff *skb, struct genl_info *info);
int dittofs_nl_export_remove_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	DITTOFS_NLGRP_EVENTS,
};

extern struct genl_family dittofs_nl_family;

#endif /* _LINUX_DITTOFS_GEN_H */
