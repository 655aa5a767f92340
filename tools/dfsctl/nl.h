/* SPDX-License-Identifier: GPL-2.0 */
/* dfsctl's generic netlink plumbing on libnl-genl-3. */
#ifndef DFSCTL_NL_H
#define DFSCTL_NL_H

#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

struct dfs_nl;

typedef int (*dfs_nl_msg_fn)(struct nlattr **tb, void *arg);

/* Connects and resolves the family; on failure says why and exits 1. */
struct dfs_nl *dfs_nl_open(void);
void dfs_nl_close(struct dfs_nl *nl);

/* A request message for @cmd; NLM_F_DUMP when @dump. */
struct nl_msg *dfs_nl_msg(struct dfs_nl *nl, uint8_t cmd, int dump);

/*
 * Sends @msg (and frees it) and calls @fn with the parsed attributes
 * (@maxattr of them) of each reply.  Returns 0, or a negative errno after
 * printing "dfsctl: WHAT: words" and the kernel's extack message.
 * @interrupted is set when a dump was flagged NLM_F_DUMP_INTR.
 */
int dfs_nl_run(struct dfs_nl *nl, struct nl_msg *msg, int maxattr,
	       dfs_nl_msg_fn fn, void *arg, const char *what,
	       int *interrupted);

/*
 * Events: joins the "events" group and calls @fn for each; @fn returns
 * non-zero to stop.  Returns 0 or a negative errno (printed).
 */
int dfs_nl_monitor(struct dfs_nl *nl, int maxattr, dfs_nl_msg_fn fn,
		   void *arg);
/* The message being handled by @fn: its command and raw attributes. */
extern uint8_t dfs_nl_last_cmd;
extern struct nlattr *dfs_nl_last_attrs;
extern int dfs_nl_last_len;

/* DITTOFS "uint"/"sint" attributes: 4 or 8 bytes. */
uint64_t dfs_nla_uint(const struct nlattr *a);
int64_t dfs_nla_sint(const struct nlattr *a);
int dfs_nla_put_uint(struct nl_msg *msg, int type, uint64_t v);

#endif
