// SPDX-License-Identifier: GPL-2.0
/*
 * Misbehaves on request, so that the harness can show it catches each
 * kind of kernel report: mode=1 leaks memory, mode=2 warns, mode=3 takes
 * two locks in both orders (lockdep), mode=4 reads past an allocation
 * (KASAN).  mode=0 behaves.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static int mode;
module_param(mode, int, 0444);

static DEFINE_MUTEX(dfs_selftest_a);
static DEFINE_MUTEX(dfs_selftest_b);
static void *dfs_selftest_leak;

static int __init dfs_selftest_init(void)
{
	char *p;

	switch (mode) {
	case 1:
		dfs_selftest_leak = kmalloc(1000, GFP_KERNEL);
		dfs_selftest_leak = NULL;
		break;
	case 2:
		WARN_ON(1);
		break;
	case 3:
		mutex_lock(&dfs_selftest_a);
		mutex_lock(&dfs_selftest_b);
		mutex_unlock(&dfs_selftest_b);
		mutex_unlock(&dfs_selftest_a);
		mutex_lock(&dfs_selftest_b);
		mutex_lock(&dfs_selftest_a);
		mutex_unlock(&dfs_selftest_a);
		mutex_unlock(&dfs_selftest_b);
		break;
	case 4:
		p = kmalloc(16, GFP_KERNEL);
		if (p)
			pr_info("byte past the end: %d\n", READ_ONCE(p[16]));
		kfree(p);
		break;
	}
	return 0;
}

static void __exit dfs_selftest_exit(void)
{
}

module_init(dfs_selftest_init);
module_exit(dfs_selftest_exit);
MODULE_LICENSE("GPL");
