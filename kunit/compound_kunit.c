// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: COMPOUND-level rules that need no connection (the UTF-8 check
 * of tags, RFC 8881 15.1.2).
 */
#include <kunit/test.h>
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

static struct kunit_case dfs_compound_cases[] = {
	KUNIT_CASE_PARAM(dfs_utf8_valid_test, utf8_gen_params),
	{}
};

static struct kunit_suite dfs_compound_suite = {
	.name = "dittofs_compound",
	.test_cases = dfs_compound_cases,
};

kunit_test_suites(&dfs_compound_suite);
