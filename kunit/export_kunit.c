// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: export rules as text (exports(5) options and client lists) and
 * client matching.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "export.h"

/**
 * struct opts_case - one export_opts string
 * @opts: the string
 * @err: expected result
 * @bad: the option named as refused, when @err
 * @flags: expected DFS_EXP_* flags
 * @flavors: expected DFS_SEC_* flavors
 * @anon_uid: expected anonymous uid
 * @anon_gid: expected anonymous gid
 */
struct opts_case {
	const char *opts;
	int err;
	const char *bad;
	u32 flags;
	u32 flavors;
	u32 anon_uid;
	u32 anon_gid;
};

static const struct opts_case opts_cases[] = {
	{ "", 0, NULL, 0, DFS_SEC_SYS, 65534, 65534 },
	{ "rw,root_squash,secure", 0, NULL, DFS_EXP_RW, DFS_SEC_SYS,
	  65534, 65534 },
	{ "rw,no_root_squash,insecure", 0, NULL,
	  DFS_EXP_RW | DFS_EXP_NO_ROOT_SQUASH | DFS_EXP_INSECURE,
	  DFS_SEC_SYS, 65534, 65534 },
	{ "rw,ro", 0, NULL, 0, DFS_SEC_SYS, 65534, 65534 },
	{ "all_squash,anonuid=1234,anongid=99", 0, NULL, DFS_EXP_ALL_SQUASH,
	  DFS_SEC_SYS, 1234, 99 },
	{ "sec=none:sys,no_subtree_check", 0, NULL, 0,
	  DFS_SEC_SYS | DFS_SEC_NONE, 65534, 65534 },
	{ "sec=none", 0, NULL, 0, DFS_SEC_NONE, 65534, 65534 },
	{ "rw,,ro", 0, NULL, 0, DFS_SEC_SYS, 65534, 65534 },
	{ "rw,nosuch", -EINVAL, "nosuch" },
	{ "anonuid=-1", -EINVAL, "anonuid=-1" },
	{ "anonuid=4294967295", -EINVAL, "anonuid=4294967295" },
	{ "anongid=x", -EINVAL, "anongid=x" },
	{ "sec=krb5", -EINVAL, "sec=krb5" },
	{ "sec=", -EINVAL, "sec=" },
	{ "RW", -EINVAL, "RW" },
};

static void opts_case_desc(const struct opts_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->opts);
}

KUNIT_ARRAY_PARAM(opts, opts_cases, opts_case_desc);

static void dfs_export_opts_test(struct kunit *test)
{
	const struct opts_case *c = test->param_value;
	struct dfs_export_rules *r;
	const char *bad = NULL;
	char *s;
	int err;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	s = kunit_kstrdup(test, c->opts, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, s);
	dfs_export_rules_default(r);

	err = dfs_export_parse_opts(s, r, &bad);
	KUNIT_ASSERT_EQ(test, err, c->err);
	if (err) {
		KUNIT_ASSERT_NOT_NULL(test, bad);
		KUNIT_EXPECT_STREQ(test, bad, c->bad);
		return;
	}
	KUNIT_EXPECT_NULL(test, bad);
	KUNIT_EXPECT_EQ(test, r->flags, c->flags);
	KUNIT_EXPECT_EQ(test, r->flavors, c->flavors);
	KUNIT_EXPECT_EQ(test, from_kuid(&init_user_ns, r->anon_uid),
			c->anon_uid);
	KUNIT_EXPECT_EQ(test, from_kgid(&init_user_ns, r->anon_gid),
			c->anon_gid);
}

/**
 * struct match_case - a client list and one caller
 * @list: export_clients
 * @addr: the caller's address, IPv4 or IPv6
 * @err: expected result of parsing @list
 * @match: whether @addr is admitted
 */
struct match_case {
	const char *list;
	const char *addr;
	int err;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "127.0.0.1", "127.0.0.1", 0, true },
	{ "127.0.0.1", "127.0.0.2", 0, false },
	{ "127.0.0.0/31", "127.0.0.1", 0, true },
	{ "127.0.0.0/31", "127.0.0.2", 0, false },
	{ "10.0.0.0/8", "10.255.1.2", 0, true },
	{ "10.0.0.0/8", "11.0.0.1", 0, false },
	{ "192.168.1.128/25", "192.168.1.200", 0, true },
	{ "192.168.1.128/25", "192.168.1.100", 0, false },
	{ "0.0.0.0/0", "8.8.8.8", 0, true },
	{ "0.0.0.0/0", "::1", 0, false },
	{ "*", "8.8.8.8", 0, true },
	{ "*", "2001:db8::1", 0, true },
	{ "::1", "::1", 0, true },
	{ "::1", "127.0.0.1", 0, false },
	{ "2001:db8::/32", "2001:db8:1::5", 0, true },
	{ "2001:db8::/32", "2001:db9::5", 0, false },
	{ "fe80::/10", "febf::1", 0, true },
	{ "fe80::/10", "fec0::1", 0, false },
	{ "::ffff:10.1.2.3", "10.1.2.3", 0, true },
	{ "10.0.0.1, 10.0.0.2 ,10.0.0.3", "10.0.0.3", 0, true },
	{ "10.0.0.1 10.0.0.2", "10.0.0.4", 0, false },
	{ "10.0.0.0/33", NULL, -EINVAL },
	{ "::/129", NULL, -EINVAL },
	{ "10.0.0.1/x", NULL, -EINVAL },
	{ "host.example", NULL, -EINVAL },
	{ "10.0.0", NULL, -EINVAL },
	{ "", NULL, -EINVAL },
	{ " , ", NULL, -EINVAL },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\" %s %s", c->list,
		 c->err ? "refused" : c->match ? "admits" : "refuses",
		 c->addr ? c->addr : "");
}

KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

static void dfs_export_match_test(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct sockaddr_storage ss = { };
	struct dfs_export_rules *r;
	const char *bad;
	char *s;
	int err;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	s = kunit_kstrdup(test, c->list, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, s);
	dfs_export_rules_default(r);

	err = dfs_export_parse_clients(s, r, &bad);
	KUNIT_ASSERT_EQ(test, err, c->err);
	if (err) {
		/* The entry refused (each case has one) is named whole. */
		if (bad)
			KUNIT_EXPECT_STREQ(test, bad, c->list);
		return;
	}
	if (strchr(c->addr, ':')) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		KUNIT_ASSERT_EQ(test, in6_pton(c->addr, -1,
					       sin6->sin6_addr.s6_addr, -1,
					       NULL), 1);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		KUNIT_ASSERT_EQ(test, in4_pton(c->addr, -1,
					       (u8 *)&sin->sin_addr.s_addr, -1,
					       NULL), 1);
	}
	KUNIT_EXPECT_EQ(test, dfs_export_client_ok(r, (struct sockaddr *)&ss),
			c->match);
}

/* A full list parses; one entry more is refused and names that entry. */
static void dfs_export_list_limit_test(struct kunit *test)
{
	struct dfs_export_rules *r;
	const char *bad;
	char *s, *p;
	int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	s = kunit_kzalloc(test, 16 * (DFS_EXPORT_MAX_CLIENTS + 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (p = s, i = 0; i < DFS_EXPORT_MAX_CLIENTS; i++)
		p += sprintf(p, "%s10.0.0.%d", i ? "," : "", i + 1);
	KUNIT_EXPECT_EQ(test, dfs_export_parse_clients(s, r, &bad), 0);
	KUNIT_EXPECT_EQ(test, r->nclients, DFS_EXPORT_MAX_CLIENTS);

	for (p = s, i = 0; i <= DFS_EXPORT_MAX_CLIENTS; i++)
		p += sprintf(p, "%s10.0.0.%d", i ? "," : "", i + 1);
	KUNIT_EXPECT_EQ(test, dfs_export_parse_clients(s, r, &bad), -EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "10.0.0.33");
}

static struct kunit_case dfs_export_cases[] = {
	KUNIT_CASE_PARAM(dfs_export_opts_test, opts_gen_params),
	KUNIT_CASE_PARAM(dfs_export_match_test, match_gen_params),
	KUNIT_CASE(dfs_export_list_limit_test),
	{}
};

static struct kunit_suite dfs_export_suite = {
	.name = "dittofs_export",
	.test_cases = dfs_export_cases,
};

kunit_test_suite(dfs_export_suite);
