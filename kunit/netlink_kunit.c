// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the netlink handlers that need no socket (settings-set and
 * client-evict called with a hand-made genl_info), the session
 * attributes round trip, and the dump generation sequence.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "gen/netlink-gen.h"
#include "limits.h"
#include "netlink.h"
#include "session.h"

static void dfs_nl_seq_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dfs_nl_dump_seq(0), 1U);
	KUNIT_EXPECT_EQ(test, dfs_nl_dump_seq(5), 5U);
	KUNIT_EXPECT_EQ(test, dfs_nl_dump_seq(0x100000000ULL), 1U);
	KUNIT_EXPECT_EQ(test, dfs_nl_dump_seq(0x100000007ULL), 7U);
}

static void dfs_nl_session_attrs_test(struct kunit *test)
{
	struct nlattr *tb[DITTOFS_A_SESSION_MAX + 1];
	struct nlattr *ch[DITTOFS_A_CHANNEL_MAX + 1];
	struct dfs_session_info *si;
	struct sk_buff *skb;

	si = kunit_kzalloc(test, sizeof(*si), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, si);
	memset(si->id.data, 0xab, sizeof(si->id.data));
	si->clientid = 0x1234567800000009ULL;
	si->age = 42;
	si->fore.maxrequests = 17;
	si->back.maxrequests = 3;
	si->fore_stats.inflight = 2;
	si->fore_stats.replays = 1ULL << 40;
	si->nr_fore_conns = 1;

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, dfs_nl_put_session(skb, si), 0);
	KUNIT_ASSERT_EQ(test, nla_parse(tb, DITTOFS_A_SESSION_MAX,
					(struct nlattr *)skb->data, skb->len,
					NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_len(tb[DITTOFS_A_SESSION_ID]), 16);
	KUNIT_EXPECT_EQ(test, ((u8 *)nla_data(tb[DITTOFS_A_SESSION_ID]))[15],
			0xab);
	KUNIT_EXPECT_EQ(test, nla_get_uint(tb[DITTOFS_A_SESSION_CLIENT_ID]),
			si->clientid);
	KUNIT_EXPECT_EQ(test, nla_get_uint(tb[DITTOFS_A_SESSION_AGE]), 42ULL);
	KUNIT_EXPECT_EQ(test, nla_get_uint(tb[DITTOFS_A_SESSION_REPLAY_HITS]),
			1ULL << 40);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[DITTOFS_A_SESSION_SLOTS_IN_USE]),
			2U);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(ch, DITTOFS_A_CHANNEL_MAX,
					       tb[DITTOFS_A_SESSION_FORE],
					       NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ch[DITTOFS_A_CHANNEL_MAX_REQUESTS]),
			17U);
	kfree_skb(skb);
}

/* A genl_info in init_net with @attrs, reporting into @extack. */
static void dfs_nl_info(struct genl_info *info, struct nlattr **attrs,
			struct netlink_ext_ack *extack)
{
	memset(info, 0, sizeof(*info));
	memset(extack, 0, sizeof(*extack));
	info->attrs = attrs;
	info->extack = extack;
	genl_info_net_set(info, &init_net);
}

static struct nlattr *dfs_nl_u32_attr(struct kunit *test, int type, u32 v)
{
	struct nlattr *a = kunit_kzalloc(test, nla_total_size(4), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->nla_type = type;
	a->nla_len = nla_attr_size(4);
	memcpy(nla_data(a), &v, 4);
	return a;
}

static void dfs_nl_settings_set_test(struct kunit *test)
{
	struct nlattr *attrs[DITTOFS_A_SETTINGS_MAX + 1] = {};
	struct netlink_ext_ack extack;
	struct dfs_limits before, after;
	struct genl_info info;

	dfs_limits_get(&before);

	/* Nothing to set. */
	dfs_nl_info(&info, attrs, &extack);
	KUNIT_EXPECT_EQ(test, dittofs_nl_settings_set_doit(NULL, &info),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);

	/* A good value, then one out of range: nothing changes. */
	attrs[DITTOFS_A_SETTINGS_FORE_SLOTS] =
		dfs_nl_u32_attr(test, DITTOFS_A_SETTINGS_FORE_SLOTS,
				before.fore_slots == 5 ? 6 : 5);
	attrs[DITTOFS_A_SETTINGS_MAX_OPS] =
		dfs_nl_u32_attr(test, DITTOFS_A_SETTINGS_MAX_OPS, 999999);
	dfs_nl_info(&info, attrs, &extack);
	KUNIT_EXPECT_EQ(test, dittofs_nl_settings_set_doit(NULL, &info),
			-ERANGE);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    (const struct nlattr *)attrs[DITTOFS_A_SETTINGS_MAX_OPS]);
	dfs_limits_get(&after);
	KUNIT_EXPECT_EQ(test, after.fore_slots, before.fore_slots);
	KUNIT_EXPECT_EQ(test, after.max_ops, before.max_ops);

	/* Good values apply. */
	attrs[DITTOFS_A_SETTINGS_MAX_OPS] = NULL;
	dfs_nl_info(&info, attrs, &extack);
	KUNIT_EXPECT_EQ(test, dittofs_nl_settings_set_doit(NULL, &info), 0);
	dfs_limits_get(&after);
	KUNIT_EXPECT_NE(test, after.fore_slots, before.fore_slots);
	KUNIT_EXPECT_EQ(test, dfs_limit_set(DFS_LIMIT_FORE_SLOTS,
					    before.fore_slots), 0);
}

static void dfs_nl_evict_test(struct kunit *test)
{
	struct nlattr *attrs[DITTOFS_A_CLIENT_MAX + 1] = {};
	struct netlink_ext_ack extack;
	struct genl_info info;

	/* The id is required. */
	dfs_nl_info(&info, attrs, &extack);
	KUNIT_EXPECT_EQ(test, dittofs_nl_client_evict_doit(NULL, &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, extack.miss_type, (u32)DITTOFS_A_CLIENT_ID);

	/* An unknown client is named in words. */
	attrs[DITTOFS_A_CLIENT_ID] =
		dfs_nl_u32_attr(test, DITTOFS_A_CLIENT_ID, 0xdeadbeef);
	dfs_nl_info(&info, attrs, &extack);
	KUNIT_EXPECT_EQ(test, dittofs_nl_client_evict_doit(NULL, &info),
			-ENOENT);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg, "no such client");
}

static struct kunit_case dfs_netlink_cases[] = {
	KUNIT_CASE(dfs_nl_seq_test),
	KUNIT_CASE(dfs_nl_session_attrs_test),
	KUNIT_CASE(dfs_nl_settings_set_test),
	KUNIT_CASE(dfs_nl_evict_test),
	{}
};

static struct kunit_suite dfs_netlink_suite = {
	.name = "dittofs_netlink",
	.test_cases = dfs_netlink_cases,
};

kunit_test_suite(dfs_netlink_suite);
