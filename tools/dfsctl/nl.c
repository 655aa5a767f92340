// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink for dfsctl: connect, resolve "dittofs", send a request,
 * read replies and turn errors into words, with the kernel's extack
 * message shown as "kernel says: ...".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "../../include/uapi/linux/dittofs.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct dfs_nl {
	struct nl_sock *sk;
	int family;
};

struct dfs_nl_req {
	int maxattr;
	dfs_nl_msg_fn fn;
	void *arg;
	int err;		/* negative errno from the kernel */
	int done;
	int intr;
	int cb_err;		/* what a handler returned */
	char extack[512];
};

uint8_t dfs_nl_last_cmd;
struct nlattr *dfs_nl_last_attrs;
int dfs_nl_last_len;

uint64_t dfs_nla_uint(const struct nlattr *a)
{
	if (nla_len(a) == 4)
		return nla_get_u32((struct nlattr *)a);
	return nla_get_u64((struct nlattr *)a);
}

int64_t dfs_nla_sint(const struct nlattr *a)
{
	if (nla_len(a) == 4)
		return (int32_t)nla_get_u32((struct nlattr *)a);
	return (int64_t)nla_get_u64((struct nlattr *)a);
}

int dfs_nla_put_uint(struct nl_msg *msg, int type, uint64_t v)
{
	if (v == (uint32_t)v)
		return nla_put_u32(msg, type, v);
	return nla_put_u64(msg, type, v);
}

struct dfs_nl *dfs_nl_open(void)
{
	struct dfs_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl) {
		perror("dfsctl");
		exit(EXIT_ERR);
	}
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk)) {
		fprintf(stderr, "dfsctl: cannot open a generic netlink socket\n");
		exit(EXIT_ERR);
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 0);
	nl->family = genl_ctrl_resolve(nl->sk, DITTOFS_FAMILY_NAME);
	if (nl->family < 0) {
		fprintf(stderr,
			"dfsctl: the dittofs module is not loaded (no generic netlink family \"%s\")\n",
			DITTOFS_FAMILY_NAME);
		exit(EXIT_ERR);
	}
	return nl;
}

void dfs_nl_close(struct dfs_nl *nl)
{
	nl_socket_free(nl->sk);
	free(nl);
}

struct nl_msg *dfs_nl_msg(struct dfs_nl *nl, uint8_t cmd, int dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family,
				 0, dump ? NLM_F_DUMP : 0, cmd,
				 DITTOFS_FAMILY_VERSION)) {
		fprintf(stderr, "dfsctl: out of memory\n");
		exit(EXIT_ERR);
	}
	return msg;
}

/* The extack TLVs after an error code (NLMSG_ERROR or NLMSG_DONE). */
static void parse_extack(struct nlmsghdr *nlh, const void *after, int len,
			 struct dfs_nl_req *req)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)after, len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->extack, sizeof(req->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct dfs_nl_req *req = arg;
	int off = sizeof(*e);
	int len;

	(void)nla;
	req->err = e->error;
	req->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - off;
	parse_extack(nlh, (char *)e + off, len, req);
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct dfs_nl_req *req = arg;
	int err = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(int))
		memcpy(&err, nlmsg_data(nlh), sizeof(int));
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		req->intr = 1;
	if (err < 0) {
		req->err = err;
		parse_extack(nlh, (char *)nlmsg_data(nlh) + sizeof(int),
			     nlmsg_datalen(nlh) - sizeof(int), req);
	}
	req->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct dfs_nl_req *req = arg;

	(void)msg;
	req->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct dfs_nl_req *req = arg;
	struct nlattr *tb[64];

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		req->intr = 1;
	if (req->maxattr >= 64 || req->cb_err)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, req->maxattr, NULL))
		return NL_SKIP;
	dfs_nl_last_cmd = gnlh->cmd;
	dfs_nl_last_attrs = genlmsg_attrdata(gnlh, 0);
	dfs_nl_last_len = genlmsg_attrlen(gnlh, 0);
	req->cb_err = req->fn ? req->fn(tb, req->arg) : 0;
	return req->cb_err ? NL_STOP : NL_OK;
}

static int any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static const char *err_words(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "permission denied (this needs CAP_NET_ADMIN)";
	case -ENOENT:
	case -ESRCH:
		return "no such client or session";
	case -ERANGE:
		return "value out of range";
	case -EINVAL:
		return "invalid request";
	case -ENODEV:
		return "the dittofs server is not running here";
	default:
		return strerror(-err);
	}
}

static struct nl_cb *make_cb(struct dfs_nl_req *req)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb) {
		fprintf(stderr, "dfsctl: out of memory\n");
		exit(EXIT_ERR);
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, req);
	return cb;
}

static void report(const char *what, struct dfs_nl_req *req)
{
	fprintf(stderr, "dfsctl: %s: %s\n", what, err_words(req->err));
	if (req->extack[0])
		fprintf(stderr, "dfsctl: kernel says: %s\n", req->extack);
}

int dfs_nl_run(struct dfs_nl *nl, struct nl_msg *msg, int maxattr,
	       dfs_nl_msg_fn fn, void *arg, const char *what,
	       int *interrupted)
{
	struct dfs_nl_req req = {
		.maxattr = maxattr, .fn = fn, .arg = arg,
	};
	struct nl_cb *cb = make_cb(&req);
	int err;

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		fprintf(stderr, "dfsctl: %s: cannot send: %s\n", what,
			nl_geterror(err));
		nl_cb_put(cb);
		return -EIO;
	}
	while (!req.done && !req.cb_err) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !req.done) {
			if (err == -NLE_PERM) {
				req.err = -EPERM;
				break;
			}
			fprintf(stderr, "dfsctl: %s: %s\n", what,
				nl_geterror(err));
			nl_cb_put(cb);
			return -EIO;
		}
	}
	nl_cb_put(cb);
	if (interrupted)
		*interrupted = req.intr;
	if (req.cb_err)
		return req.cb_err;
	if (req.err) {
		report(what, &req);
		return req.err;
	}
	return 0;
}

int dfs_nl_monitor(struct dfs_nl *nl, int maxattr, dfs_nl_msg_fn fn,
		   void *arg)
{
	struct dfs_nl_req req = {
		.maxattr = maxattr, .fn = fn, .arg = arg,
	};
	struct nl_cb *cb;
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, DITTOFS_FAMILY_NAME,
				    DITTOFS_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "dfsctl: no \"%s\" multicast group: %s\n",
			DITTOFS_MCGRP_EVENTS, nl_geterror(grp));
		return -ENOENT;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err) {
		fprintf(stderr, "dfsctl: cannot join the events group: %s\n",
			err == -NLE_PERM ? err_words(-EPERM) : nl_geterror(err));
		return -EIO;
	}
	cb = make_cb(&req);
	/* Events are not answers: they carry sequence number 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq, NULL);
	while (!req.cb_err) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed; say so, go on. */
			fprintf(stderr, "dfsctl: events were lost (receive buffer overrun)\n");
			continue;
		}
		if (err < 0) {
			fprintf(stderr, "dfsctl: monitor: %s\n", nl_geterror(err));
			nl_cb_put(cb);
			return -EIO;
		}
	}
	nl_cb_put(cb);
	return req.cb_err > 0 ? 0 : req.cb_err;
}
