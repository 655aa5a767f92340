// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: COMPOUND-level rules that need no connection (the UTF-8 check
 * of tags, RFC 8881 15.1.2; the current stateid, 16.2.3.1.2).
 */
#include <kunit/test.h>
#include <linux/path.h>
#include <linux/string.h>

#include "compound.h"

/**
 * struct utf8_case - a byte string and whether it is UTF-8
 * @desc: what it is
 * @s: the bytes
 * @len: how many
 * @valid: expected
 */
struct utf8_case {
	const char *desc;
	const char *s;
	u32 len;
	bool valid;
};

#define U(d, str, v) { d, str, sizeof(str) - 1, v }

static const struct utf8_case utf8_cases[] = {
	U("empty", "", true),
	U("ASCII", "mount tag", true),
	U("two bytes (e acute)", "\xc3\xa9", true),
	U("three bytes (euro sign)", "\xe2\x82\xac", true),
	U("four bytes (U+1F600)", "\xf0\x9f\x98\x80", true),
	U("largest code point U+10FFFF", "\xf4\x8f\xbf\xbf", true),
	U("lone continuation byte", "\x80", false),
	U("truncated two-byte form", "a\xc3", false),
	U("truncated four-byte form", "\xf0\x9f\x98", false),
	U("overlong slash (C0 AF)", "\xc0\xaf", false),
	U("overlong three-byte NUL", "\xe0\x80\x80", false),
	U("overlong four-byte form", "\xf0\x80\x80\x80", false),
	U("surrogate U+D800", "\xed\xa0\x80", false),
	U("above U+10FFFF", "\xf4\x90\x80\x80", false),
	U("FF byte", "ab\xff", false),
	U("bad continuation", "\xe2\x28\xa1", false),
};

static void utf8_case_desc(const struct utf8_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(utf8, utf8_cases, utf8_case_desc);

static void dfs_utf8_valid_test(struct kunit *test)
{
	const struct utf8_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dfs_utf8_valid((const u8 *)c->s, c->len),
			c->valid);
}

/*
 * The special current stateid stands for the last stateid an operation
 * returned, until the current filehandle changes; without one it is
 * NFS4ERR_BAD_STATEID; other stateids pass unchanged.
 */
static void dfs_current_stateid_test(struct kunit *test)
{
	struct dfs_compound *cs = kunit_kzalloc(test, sizeof(*cs), GFP_KERNEL);
	struct dfs_stateid cur = { .seqid = 1 }, sid, open = { .seqid = 7 };
	struct path none = {};

	KUNIT_ASSERT_NOT_NULL(test, cs);
	memset(open.other, 0xab, sizeof(open.other));
	KUNIT_ASSERT_EQ(test, dfs_stateid_special(&cur), DFS_SID_CURRENT);

	sid = cur;
	KUNIT_EXPECT_EQ(test, dfs_compound_stateid(cs, &sid),
			NFS4ERR_BAD_STATEID);
	dfs_compound_set_stateid(cs, &open);
	sid = cur;
	KUNIT_EXPECT_EQ(test, dfs_compound_stateid(cs, &sid), NFS4_OK);
	KUNIT_EXPECT_MEMEQ(test, &sid, &open, sizeof(sid));

	/* Another stateid, special or not, is left as it is. */
	memset(&sid, 0, sizeof(sid));
	KUNIT_EXPECT_EQ(test, dfs_compound_stateid(cs, &sid), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_stateid_special(&sid), DFS_SID_ANON);

	/* A new current filehandle clears it. */
	dfs_compound_set_cur(cs, &none);
	sid = cur;
	KUNIT_EXPECT_EQ(test, dfs_compound_stateid(cs, &sid),
			NFS4ERR_BAD_STATEID);
}

static struct kunit_case dfs_compound_cases[] = {
	KUNIT_CASE_PARAM(dfs_utf8_valid_test, utf8_gen_params),
	KUNIT_CASE(dfs_current_stateid_test),
	{}
};

static struct kunit_suite dfs_compound_suite = {
	.name = "dittofs_compound",
	.test_cases = dfs_compound_cases,
};

kunit_test_suites(&dfs_compound_suite);
