// SPDX-License-Identifier: GPL-2.0
/*
 * DittoFS module entry points.  Each subsystem has one init and one exit;
 * init calls them in order and unwinds in reverse on failure, and exit is
 * init read backwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "dittofs.h"
#include "compound.h"
#include "export.h"
#include "netlink.h"
#include "state.h"
#include "stateid.h"
#include "svc.h"

static int __init dfs_mod_init(void)
{
	int err;

	err = dfs_state_init();
	if (err)
		goto err_state;
	err = dfs_export_init();
	if (err)
		goto err_export;
	err = dfs_netlink_init();
	if (err)
		goto err_netlink;
	dfs_compound_init();
	dfs_stateid_init();
	dfs_file_init();
	err = dfs_svc_init();
	if (err)
		goto err_svc;
	pr_info("DittoFS %s loaded\n", DFS_VERSION);
	return 0;

err_svc:
	dfs_netlink_exit();
err_netlink:
	dfs_export_exit();
err_export:
	dfs_state_exit();
err_state:
	return err;
}

static void __exit dfs_mod_exit(void)
{
	dfs_svc_exit();
	dfs_netlink_exit();
	dfs_export_exit();
	dfs_state_exit();
	dfs_stateid_exit();
	pr_info("DittoFS %s unloaded\n", DFS_VERSION);
}

module_init(dfs_mod_init);
module_exit(dfs_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DittoFS: NFSv4.1 server with a first-class session layer");
MODULE_VERSION(DFS_VERSION);
