// SPDX-License-Identifier: GPL-2.0
/*
 * Misbehaves on request, so that the harness can show it catches each
 * kind of kernel report: mode=1 leaks memory, mode=2 warns, mode=3 takes
 * two locks in both orders (lockdep), mode=4 reads past an allocation
 * (KASAN), mode=5 loses part of the saved FP state of every thread named
 * "fpcheck" while it is switched out, as a kernel that saved only the
 * legacy FXSAVE area would (scripts/selftest/fpcheck.c must notice).
 * mode=0 behaves.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

static int mode;
module_param(mode, int, 0444);

static DEFINE_MUTEX(dfs_selftest_a);
static DEFINE_MUTEX(dfs_selftest_b);
static void *dfs_selftest_leak;
static struct task_struct *dfs_selftest_scrubber;

/*
 * Offset and size of the AVX state (the upper halves of ymm0-15) in the
 * standard XSAVE layout UML keeps.  A host with AVX has an area at least
 * this large.
 */
#define DFS_YMM_HI128_OFFSET	576
#define DFS_YMM_HI128_SIZE	256

static int dfs_selftest_scrub(void *unused)
{
	struct task_struct *g, *t;

	while (!kthread_should_stop()) {
		/* UML has one CPU: no "fpcheck" thread runs while this does */
		rcu_read_lock();
		for_each_process_thread(g, t) {
			if (!(t->flags & PF_KTHREAD) &&
			    !strcmp(t->comm, "fpcheck"))
				memset((char *)t->thread.regs.regs.fp +
				       DFS_YMM_HI128_OFFSET, 0,
				       DFS_YMM_HI128_SIZE);
		}
		rcu_read_unlock();
		schedule_timeout_interruptible(1);
	}
	return 0;
}

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
	case 5:
		dfs_selftest_scrubber = kthread_run(dfs_selftest_scrub, NULL,
						    "dfs_fpscrub");
		if (IS_ERR(dfs_selftest_scrubber))
			return PTR_ERR(dfs_selftest_scrubber);
		break;
	}
	return 0;
}

static void __exit dfs_selftest_exit(void)
{
	if (dfs_selftest_scrubber)
		kthread_stop(dfs_selftest_scrubber);
}

module_init(dfs_selftest_init);
module_exit(dfs_selftest_exit);
MODULE_LICENSE("GPL");
