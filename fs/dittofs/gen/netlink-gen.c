// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/dittofs.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/dittofs.h>

/* DITTOFS_CMD_CLIENT_GET - do */
static const struct nla_policy dittofs_client_get_nl_policy[DITTOFS_A_CLIENT_ID + 1] = {
	[DITTOFS_A_CLIENT_ID] = { .type = NLA_UINT, },
};

/* DITTOFS_CMD_SESSION_GET - dump */
static const struct nla_policy dittofs_session_get_nl_policy[DITTOFS_A_SESSION_CLIENT_ID + 1] = {
	[DITTOFS_A_SESSION_CLIENT_ID] = { .type = NLA_UINT, },
};

/* DITTOFS_CMD_SESSION_DESTROY - do */
static const struct nla_policy dittofs_session_destroy_nl_policy[DITTOFS_A_SESSION_CLIENT_ID + 1] = {
	[DITTOFS_A_SESSION_ID] = NLA_POLICY_EXACT_LEN(DITTOFS_SESSIONID_LEN),
	[DITTOFS_A_SESSION_CLIENT_ID] = { .type = NLA_UINT, },
};

/* DITTOFS_CMD_CLIENT_EVICT - do */
static const struct nla_policy dittofs_client_evict_nl_policy[DITTOFS_A_CLIENT_ID + 1] = {
	[DITTOFS_A_CLIENT_ID] = { .type = NLA_UINT, },
};

/* DITTOFS_CMD_SETTINGS_SET - do */
static const struct nla_policy dittofs_settings_set_nl_policy[DITTOFS_A_SETTINGS_MAX_LOCKS + 1] = {
	[DITTOFS_A_SETTINGS_FORE_SLOTS] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_BACK_SLOTS] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_SESSIONS_PER_CLIENT] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_LEASE_TIME] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_MAX_OPS] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_MAX_CACHED_REPLY] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_REPLY_CACHE_MB] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_MAX_CLIENTS] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_MAX_STATEIDS] = { .type = NLA_U32, },
	[DITTOFS_A_SETTINGS_MAX_LOCKS] = { .type = NLA_U32, },
};

/* DITTOFS_CMD_EXPORT_GET - do */
static const struct nla_policy dittofs_export_get_nl_policy[DITTOFS_A_EXPORT_NAME + 1] = {
	[DITTOFS_A_EXPORT_NAME] = { .type = NLA_NUL_STRING, },
};

/* DITTOFS_CMD_EXPORT_ADD - do */
static const struct nla_policy dittofs_export_add_nl_policy[DITTOFS_A_EXPORT_OPTIONS + 1] = {
	[DITTOFS_A_EXPORT_NAME] = { .type = NLA_NUL_STRING, },
	[DITTOFS_A_EXPORT_PATH] = { .type = NLA_NUL_STRING, },
	[DITTOFS_A_EXPORT_CLIENTS] = { .type = NLA_NUL_STRING, },
	[DITTOFS_A_EXPORT_OPTIONS] = { .type = NLA_NUL_STRING, },
};

/* DITTOFS_CMD_EXPORT_REMOVE - do */
static const struct nla_policy dittofs_export_remove_nl_policy[DITTOFS_A_EXPORT_NAME + 1] = {
	[DITTOFS_A_EXPORT_NAME] = { .type = NLA_NUL_STRING, },
};

/* Ops table for dittofs */
static const struct genl_split_ops dittofs_nl_ops[] = {
	{
		.cmd		= DITTOFS_CMD_CLIENT_GET,
		.doit		= dittofs_nl_client_get_doit,
		.policy		= dittofs_client_get_nl_policy,
		.maxattr	= DITTOFS_A_CLIENT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= DITTOFS_CMD_CLIENT_GET,
		.dumpit	= dittofs_nl_client_get_dumpit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= DITTOFS_CMD_SESSION_GET,
		.dumpit		= dittofs_nl_session_get_dumpit,
		.policy		= dittofs_session_get_nl_policy,
		.maxattr	= DITTOFS_A_SESSION_CLIENT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= DITTOFS_CMD_SESSION_DESTROY,
		.doit		= dittofs_nl_session_destroy_doit,
		.policy		= dittofs_session_destroy_nl_policy,
		.maxattr	= DITTOFS_A_SESSION_CLIENT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= DITTOFS_CMD_CLIENT_EVICT,
		.doit		= dittofs_nl_client_evict_doit,
		.policy		= dittofs_client_evict_nl_policy,
		.maxattr	= DITTOFS_A_CLIENT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= DITTOFS_CMD_STATS_GET,
		.doit	= dittofs_nl_stats_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= DITTOFS_CMD_SETTINGS_GET,
		.doit	= dittofs_nl_settings_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= DITTOFS_CMD_SETTINGS_SET,
		.doit		= dittofs_nl_settings_set_doit,
		.policy		= dittofs_settings_set_nl_policy,
		.maxattr	= DITTOFS_A_SETTINGS_MAX_LOCKS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= DITTOFS_CMD_EXPORT_GET,
		.doit		= dittofs_nl_export_get_doit,
		.policy		= dittofs_export_get_nl_policy,
		.maxattr	= DITTOFS_A_EXPORT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= DITTOFS_CMD_EXPORT_GET,
		.dumpit	= dittofs_nl_export_get_dumpit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= DITTOFS_CMD_EXPORT_ADD,
		.doit		= dittofs_nl_export_add_doit,
		.policy		= dittofs_export_add_nl_policy,
		.maxattr	= DITTOFS_A_EXPORT_OPTIONS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= DITTOFS_CMD_EXPORT_REMOVE,
		.doit		= dittofs_nl_export_remove_doit,
		.policy		= dittofs_export_remove_nl_policy,
		.maxattr	= DITTOFS_A_EXPORT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group dittofs_nl_mcgrps[] = {
	[DITTOFS_NLGRP_EVENTS] = { "events", .flags = GENL_MCAST_CAP_NET_ADMIN, },
};

struct genl_family dittofs_nl_family __ro_after_init = {
	.name		= DITTOFS_FAMILY_NAME,
	.version	= DITTOFS_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= dittofs_nl_ops,
	.n_split_ops	= ARRAY_SIZE(dittofs_nl_ops),
	.mcgrps		= dittofs_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(dittofs_nl_mcgrps),
};
