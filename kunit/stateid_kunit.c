// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the stateid table (RFC 8881, section 8): special stateids, seqid
 * rules, lookups of unknown, stale, foreign and old stateids, share
 * reservations, lock stateids, FREE_STATEID and per-client release.
 *
 * Opens here carry no struct file: the pure state is tested; I/O and
 * byte-range locks are tested end to end.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "dfs_test.h"
#include "stateid.h"

/* What a client's teardown does: release the state, then free it. */
static void dfs_test_stateids_release(void *p)
{
	dfs_stateids_release(p);
	dfs_stateids_destroy(p);
}

/* A client's state, released when the test ends. */
static struct dfs_client_stateids *dfs_test_cst(struct kunit *test)
{
	struct dfs_client_stateids *cst;
	int err;

	cst = kunit_kzalloc(test, sizeof(*cst), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cst);
	KUNIT_ASSERT_EQ(test, dfs_stateids_init(cst), 0);
	err = kunit_add_action_or_reset(test, dfs_test_stateids_release, cst);
	KUNIT_ASSERT_EQ(test, err, 0);
	return cst;
}

/* A stand-in inode: only its address is used. */
static struct inode *dfs_test_inode(struct kunit *test)
{
	struct inode *inode = kunit_kzalloc(test, sizeof(*inode), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, inode);
	return inode;
}

static enum nfsstat4 dfs_test_open(struct dfs_client_stateids *cst,
				   const char *owner, struct inode *inode,
				   u32 access, u32 deny,
				   struct dfs_stateid *sid,
				   struct dfs_stid **stid)
{
	struct dfs_open_args a = {
		.clientid = 42,
		.owner = (const u8 *)owner,
		.owner_len = strlen(owner),
		.inode = inode,
		.access = access,
		.deny = deny,
	};

	return dfs_open_state(cst, &a, sid, stid);
}

/* Open, asserting success, and drop the caller's reference. */
static struct dfs_stateid dfs_test_open_ok(struct kunit *test,
					   struct dfs_client_stateids *cst,
					   const char *owner,
					   struct inode *inode, u32 access,
					   u32 deny)
{
	struct dfs_stateid sid;
	struct dfs_stid *stid;

	KUNIT_ASSERT_EQ(test, dfs_test_open(cst, owner, inode, access, deny,
					    &sid, &stid), NFS4_OK);
	dfs_stid_put(stid);
	return sid;
}

static enum nfsstat4 dfs_test_lookup(struct dfs_client_stateids *cst,
				     const struct dfs_stateid *sid, u32 types)
{
	struct dfs_stid *stid;
	enum nfsstat4 status;

	status = dfs_stid_lookup(cst, sid, types, &stid);
	if (!status)
		dfs_stid_put(stid);
	return status;
}

/**
 * struct special_case - one stateid and what it is
 * @desc: description
 * @seqid: its seqid
 * @fill: byte filling "other"
 * @kind: expected classification
 */
struct special_case {
	const char *desc;
	u32 seqid;
	u8 fill;
	enum dfs_special_stateid kind;
};

static const struct special_case special_cases[] = {
	{ "all zeros is anonymous", 0, 0x00, DFS_SID_ANON },
	{ "all ones is READ bypass", U32_MAX, 0xff, DFS_SID_BYPASS },
	{ "seqid 1, other zero is the current stateid", 1, 0x00,
	  DFS_SID_CURRENT },
	{ "seqid all ones, other zero is invalid", U32_MAX, 0x00,
	  DFS_SID_INVALID },
	{ "other zero with another seqid is bad", 7, 0x00, DFS_SID_BAD },
	{ "other all ones with seqid 0 is bad", 0, 0xff, DFS_SID_BAD },
	{ "anything else is normal", 1, 0x5a, DFS_SID_NORMAL },
};

static void special_case_desc(const struct special_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(special, special_cases, special_case_desc);

static void dfs_stateid_test_special(struct kunit *test)
{
	const struct special_case *c = test->param_value;
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct dfs_stateid sid = { .seqid = c->seqid };

	memset(sid.other, c->fill, sizeof(sid.other));
	KUNIT_EXPECT_EQ(test, dfs_stateid_special(&sid), c->kind);
	/* Special stateids never name state. */
	if (c->kind != DFS_SID_NORMAL)
		KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &sid, DFS_STID_OPEN),
				NFS4ERR_BAD_STATEID);
}

/* A new open has seqid 1; a second OPEN by its owner keeps "other". */
static void dfs_stateid_test_open_seqid(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct inode *inode = dfs_test_inode(test);
	struct dfs_stateid s1, s2, probe;

	s1 = dfs_test_open_ok(test, cst, "owner", inode,
			      NFS4_SHARE_ACCESS_READ, 0);
	KUNIT_EXPECT_EQ(test, s1.seqid, 1);
	KUNIT_EXPECT_EQ(test, dfs_stateid_special(&s1), DFS_SID_NORMAL);

	s2 = dfs_test_open_ok(test, cst, "owner", inode,
			      NFS4_SHARE_ACCESS_WRITE, 0);
	KUNIT_EXPECT_EQ(test, s2.seqid, 2);
	KUNIT_EXPECT_MEMEQ(test, s1.other, s2.other, sizeof(s1.other));
	KUNIT_EXPECT_TRUE(test, dfs_stateids_busy(cst));

	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &s2, DFS_STID_OPEN), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &s1, DFS_STID_OPEN),
			NFS4ERR_OLD_STATEID);
	probe = s2;
	probe.seqid = 0;		/* "the current one" */
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &probe, DFS_STID_OPEN),
			NFS4_OK);
	probe.seqid = 3;		/* from the future */
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &probe, DFS_STID_OPEN),
			NFS4ERR_BAD_STATEID);
	/* An open is not a lock stateid. */
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &s2, DFS_STID_LOCK),
			NFS4ERR_BAD_STATEID);
}

/* Two owners, or two files, get distinct stateids. */
static void dfs_stateid_test_distinct(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct inode *i1 = dfs_test_inode(test), *i2 = dfs_test_inode(test);
	struct dfs_stateid a, b, c;

	a = dfs_test_open_ok(test, cst, "a", i1, NFS4_SHARE_ACCESS_READ, 0);
	b = dfs_test_open_ok(test, cst, "b", i1, NFS4_SHARE_ACCESS_READ, 0);
	c = dfs_test_open_ok(test, cst, "a", i2, NFS4_SHARE_ACCESS_READ, 0);
	KUNIT_EXPECT_MEMNEQ(test, a.other, b.other, sizeof(a.other));
	KUNIT_EXPECT_MEMNEQ(test, a.other, c.other, sizeof(a.other));
	KUNIT_EXPECT_EQ(test, b.seqid, 1);
	KUNIT_EXPECT_EQ(test, c.seqid, 1);
}

/* Unknown, stale (another load) and foreign (another client) stateids. */
static void dfs_stateid_test_lookup_errors(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct dfs_client_stateids *other = dfs_test_cst(test);
	struct inode *inode = dfs_test_inode(test);
	struct dfs_stateid sid, probe;

	sid = dfs_test_open_ok(test, cst, "o", inode,
			       NFS4_SHARE_ACCESS_READ, 0);

	probe = sid;
	put_unaligned_be32(get_unaligned_be32(probe.other) ^ 1, probe.other);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &probe, DFS_STID_OPEN),
			NFS4ERR_STALE_STATEID);

	probe = sid;
	put_unaligned_be32(get_unaligned_be32(probe.other + 8) + 1000,
			   probe.other + 8);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &probe, DFS_STID_OPEN),
			NFS4ERR_BAD_STATEID);

	probe = sid;
	put_unaligned_be32(U32_MAX - 1, probe.other + 4);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &probe, DFS_STID_OPEN),
			NFS4ERR_BAD_STATEID);

	KUNIT_EXPECT_EQ(test, dfs_test_lookup(other, &sid, DFS_STID_OPEN),
			NFS4ERR_BAD_STATEID);
}

/* Share reservations conflict across owners and clients, not within. */
static void dfs_stateid_test_share(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct dfs_client_stateids *cst2 = dfs_test_cst(test);
	struct inode *inode = dfs_test_inode(test);
	struct dfs_stateid sid;
	struct dfs_stid *stid;

	dfs_test_open_ok(test, cst, "a", inode, NFS4_SHARE_ACCESS_READ,
			 NFS4_SHARE_DENY_WRITE);
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst, "b", inode,
					    NFS4_SHARE_ACCESS_WRITE, 0,
					    &sid, &stid),
			NFS4ERR_SHARE_DENIED);
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst2, "b", inode,
					    NFS4_SHARE_ACCESS_BOTH, 0,
					    &sid, &stid),
			NFS4ERR_SHARE_DENIED);
	/* Denying READ while "a" reads. */
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst2, "b", inode,
					    NFS4_SHARE_ACCESS_READ,
					    NFS4_SHARE_DENY_READ, &sid, &stid),
			NFS4ERR_SHARE_DENIED);
	dfs_test_open_ok(test, cst2, "b", inode, NFS4_SHARE_ACCESS_READ, 0);
	/* The denier itself may upgrade to write. */
	dfs_test_open_ok(test, cst, "a", inode, NFS4_SHARE_ACCESS_WRITE, 0);

	KUNIT_EXPECT_EQ(test, dfs_share_check_anon(inode,
						   NFS4_SHARE_ACCESS_WRITE),
			NFS4ERR_LOCKED);
	KUNIT_EXPECT_EQ(test, dfs_share_check_anon(inode,
						   NFS4_SHARE_ACCESS_READ),
			NFS4_OK);
	/* Bad share values. */
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst, "c", inode, 0, 0, &sid, &stid),
			NFS4ERR_INVAL);
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst, "c", inode,
					    NFS4_SHARE_ACCESS_READ, 4,
					    &sid, &stid),
			NFS4ERR_INVAL);
}

/* OPEN_DOWNGRADE to a subset bumps the seqid; anything else is INVAL. */
static void dfs_stateid_test_downgrade(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct inode *inode = dfs_test_inode(test);
	struct dfs_stateid sid, nsid;
	struct dfs_stid *stid;

	sid = dfs_test_open_ok(test, cst, "o", inode, NFS4_SHARE_ACCESS_BOTH,
			       NFS4_SHARE_DENY_WRITE);
	KUNIT_ASSERT_EQ(test, dfs_stid_lookup(cst, &sid, DFS_STID_OPEN, &stid),
			NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_open_downgrade(stid, NFS4_SHARE_ACCESS_READ,
						 NFS4_SHARE_DENY_BOTH, &nsid),
			NFS4ERR_INVAL);
	KUNIT_EXPECT_EQ(test, dfs_open_downgrade(stid, NFS4_SHARE_ACCESS_READ,
						 0, &nsid), NFS4_OK);
	KUNIT_EXPECT_EQ(test, nsid.seqid, 2);
	KUNIT_EXPECT_EQ(test, dfs_open_downgrade(stid, NFS4_SHARE_ACCESS_BOTH,
						 0, &nsid), NFS4ERR_INVAL);
	dfs_stid_put(stid);
	/* The deny is gone: another owner may write now. */
	dfs_test_open_ok(test, cst, "p", inode, NFS4_SHARE_ACCESS_WRITE, 0);
}

/* Lock stateids: made once per lock-owner and open; FREE_STATEID. */
static void dfs_stateid_test_lock(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct inode *inode = dfs_test_inode(test);
	struct dfs_stid *open, *lk, *lk2;
	struct dfs_stateid sid, lsid;
	struct dfs_sowner *so;
	bool created;

	sid = dfs_test_open_ok(test, cst, "o", inode, NFS4_SHARE_ACCESS_BOTH, 0);
	KUNIT_ASSERT_EQ(test, dfs_stid_lookup(cst, &sid, DFS_STID_OPEN, &open),
			NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_lock_state(open, (const u8 *)"lo", 2, &lk,
					     &created), NFS4_OK);
	KUNIT_EXPECT_TRUE(test, created);
	KUNIT_ASSERT_EQ(test, dfs_lock_state(open, (const u8 *)"lo", 2, &lk2,
					     &created), NFS4_OK);
	KUNIT_EXPECT_FALSE(test, created);
	KUNIT_EXPECT_PTR_EQ(test, lk, lk2);
	dfs_stid_put(lk2);

	dfs_stid_copy(lk, &lsid);
	KUNIT_EXPECT_EQ(test, lsid.seqid, 1);
	dfs_stid_bump(lk, &lsid);
	KUNIT_EXPECT_EQ(test, lsid.seqid, 2);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &lsid, DFS_STID_LOCK),
			NFS4_OK);

	so = dfs_lockowner_find(cst, 42, (const u8 *)"lo", 2);
	KUNIT_EXPECT_PTR_EQ(test, so, lk->owner);
	dfs_sowner_put(so);
	KUNIT_EXPECT_NULL(test, dfs_lockowner_find(cst, 42, (const u8 *)"x", 1));

	/* An open is freed by CLOSE, never FREE_STATEID. */
	KUNIT_EXPECT_EQ(test, dfs_stid_free(open), NFS4ERR_LOCKS_HELD);
	KUNIT_EXPECT_EQ(test, dfs_stid_free(lk), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_stid_free(lk), NFS4ERR_BAD_STATEID);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &lsid, DFS_STID_LOCK),
			NFS4ERR_BAD_STATEID);
	dfs_stid_put(lk);
	dfs_stid_put(open);
}

/* CLOSE takes the open's lock stateids with it. */
static void dfs_stateid_test_close(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct inode *inode = dfs_test_inode(test);
	struct dfs_stateid sid, lsid;
	struct dfs_stid *open, *lk;
	bool created;

	sid = dfs_test_open_ok(test, cst, "o", inode, NFS4_SHARE_ACCESS_READ,
			       NFS4_SHARE_DENY_BOTH);
	KUNIT_ASSERT_EQ(test, dfs_stid_lookup(cst, &sid, DFS_STID_OPEN, &open),
			NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_lock_state(open, (const u8 *)"lo", 2, &lk,
					     &created), NFS4_OK);
	dfs_stid_copy(lk, &lsid);
	KUNIT_EXPECT_EQ(test, dfs_open_close(open), NFS4_OK);
	KUNIT_EXPECT_EQ(test, dfs_open_close(open), NFS4ERR_BAD_STATEID);
	KUNIT_EXPECT_FALSE(test, dfs_stid_hashed(lk));
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &sid, DFS_STID_OPEN),
			NFS4ERR_BAD_STATEID);
	KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &lsid, DFS_STID_LOCK),
			NFS4ERR_BAD_STATEID);
	KUNIT_EXPECT_FALSE(test, dfs_stateids_busy(cst));
	dfs_stid_put(lk);
	dfs_stid_put(open);
	/* The share reservation went with it. */
	dfs_test_open_ok(test, cst, "p", inode, NFS4_SHARE_ACCESS_BOTH, 0);
}

/* A client going away releases everything; nothing can be added after. */
static void dfs_stateid_test_release(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct dfs_stateid sids[8], sid;
	struct dfs_stid *open, *lk;
	struct inode *inode;
	bool created;
	int i;

	for (i = 0; i < ARRAY_SIZE(sids); i++) {
		inode = dfs_test_inode(test);
		sids[i] = dfs_test_open_ok(test, cst, i % 2 ? "a" : "b", inode,
					   NFS4_SHARE_ACCESS_BOTH,
					   NFS4_SHARE_DENY_BOTH);
		KUNIT_ASSERT_EQ(test, dfs_stid_lookup(cst, &sids[i],
						      DFS_STID_OPEN, &open),
				NFS4_OK);
		KUNIT_ASSERT_EQ(test, dfs_lock_state(open, (const u8 *)"l", 1,
						     &lk, &created), NFS4_OK);
		dfs_stid_put(lk);
		dfs_stid_put(open);
	}
	KUNIT_EXPECT_TRUE(test, dfs_stateids_busy(cst));
	dfs_stateids_release(cst);
	KUNIT_EXPECT_FALSE(test, dfs_stateids_busy(cst));
	for (i = 0; i < ARRAY_SIZE(sids); i++)
		KUNIT_EXPECT_EQ(test, dfs_test_lookup(cst, &sids[i],
						      DFS_STID_OPEN),
				NFS4ERR_BAD_STATEID);
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst, "c", dfs_test_inode(test),
					    NFS4_SHARE_ACCESS_READ, 0,
					    &sid, &open),
			NFS4ERR_BADSESSION);
}

/* The per-client cap on stateids is NFS4ERR_NOSPC, and nothing changes. */
static void dfs_stateid_test_cap(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	struct dfs_stateid sid;
	struct dfs_stid *stid;
	char owner[16];
	int i;

	for (i = 0; i < DFS_MAX_STIDS_PER_CLIENT; i++) {
		snprintf(owner, sizeof(owner), "o%d", i % 64);
		KUNIT_ASSERT_EQ(test, dfs_test_open(cst, owner,
						    dfs_test_inode(test),
						    NFS4_SHARE_ACCESS_READ, 0,
						    &sid, &stid), NFS4_OK);
		dfs_stid_put(stid);
	}
	KUNIT_EXPECT_EQ(test, dfs_test_open(cst, "o1", dfs_test_inode(test),
					    NFS4_SHARE_ACCESS_READ, 0,
					    &sid, &stid), NFS4ERR_NOSPC);
	KUNIT_EXPECT_EQ(test, cst->nr_stids, DFS_MAX_STIDS_PER_CLIENT);
}

/*
 * The module-wide cap on stateids counts every client's: at max_stateids
 * any client's new open is NFS4ERR_NOSPC, and a close makes room.
 */
static void dfs_stateid_test_global_cap(struct kunit *test)
{
	struct dfs_client_stateids *a = dfs_test_cst(test);
	struct dfs_client_stateids *b = dfs_test_cst(test);
	struct dfs_stateid sid;
	struct dfs_stid *stid, *first = NULL;
	u32 base = dfs_stateids_total();
	char owner[16];
	int i;

	dfs_test_set_limit(test, DFS_LIMIT_MAX_STATEIDS, base + 64);
	for (i = 0; i < 64; i++) {
		snprintf(owner, sizeof(owner), "g%d", i % 8);
		KUNIT_ASSERT_EQ(test, dfs_test_open(i < 40 ? a : b, owner,
						    dfs_test_inode(test),
						    NFS4_SHARE_ACCESS_READ, 0,
						    &sid, &stid), NFS4_OK);
		if (!first)
			first = stid;
		else
			dfs_stid_put(stid);
	}
	KUNIT_EXPECT_EQ(test, dfs_stateids_total(), base + 64);
	KUNIT_EXPECT_EQ(test, dfs_test_open(b, "g1", dfs_test_inode(test),
					    NFS4_SHARE_ACCESS_READ, 0,
					    &sid, &stid), NFS4ERR_NOSPC);
	KUNIT_EXPECT_EQ(test, b->nr_stids, 24);
	KUNIT_EXPECT_EQ(test, dfs_stateids_total(), base + 64);

	KUNIT_ASSERT_EQ(test, dfs_open_close(first), NFS4_OK);
	dfs_stid_put(first);
	KUNIT_EXPECT_EQ(test, dfs_test_open(b, "g1", dfs_test_inode(test),
					    NFS4_SHARE_ACCESS_READ, 0,
					    &sid, &stid), NFS4_OK);
	dfs_stid_put(stid);
	dfs_stateids_release(a);
	dfs_stateids_release(b);
	KUNIT_EXPECT_EQ(test, dfs_stateids_total(), base);
}

/*
 * Byte-range locks are the lock structures the VFS makes with our owner
 * (each takes a reference through the lock manager): LOCK is refused
 * NFS4ERR_DELAY at the module's cap and at the client's, and admitted
 * again once locks go.
 */
static void dfs_stateid_test_lock_caps(struct kunit *test)
{
	struct dfs_client_stateids *cst = dfs_test_cst(test);
	u32 base = dfs_locks_total();
	struct dfs_stid *open, *lk;
	struct dfs_stateid sid;
	struct dfs_sowner *so;
	bool created;
	int i;

	sid = dfs_test_open_ok(test, cst, "o", dfs_test_inode(test),
			       NFS4_SHARE_ACCESS_BOTH, 0);
	KUNIT_ASSERT_EQ(test, dfs_stid_lookup(cst, &sid, DFS_STID_OPEN, &open),
			NFS4_OK);
	KUNIT_ASSERT_EQ(test, dfs_lock_state(open, (const u8 *)"l", 1, &lk,
					     &created), NFS4_OK);
	so = lk->owner;

	dfs_test_set_limit(test, DFS_LIMIT_MAX_LOCKS, base + 64);
	for (i = 0; i < 64; i++) {
		KUNIT_ASSERT_EQ(test, dfs_lock_admit(so), NFS4_OK);
		dfs_lock_owner_get(so);
	}
	KUNIT_EXPECT_EQ(test, dfs_locks_total(), base + 64);
	KUNIT_EXPECT_EQ(test, dfs_lock_admit(so), NFS4ERR_DELAY);
	dfs_lock_owner_put(so);
	KUNIT_EXPECT_EQ(test, dfs_lock_admit(so), NFS4_OK);

	/* The client's own cap, with the module's out of the way. */
	dfs_limit_set(DFS_LIMIT_MAX_LOCKS, base + 2 * DFS_MAX_LOCKS_PER_CLIENT);
	for (i = 63; i < DFS_MAX_LOCKS_PER_CLIENT; i++)
		dfs_lock_owner_get(so);
	KUNIT_EXPECT_EQ(test, dfs_lock_admit(so), NFS4ERR_DELAY);
	for (i = 0; i < DFS_MAX_LOCKS_PER_CLIENT; i++)
		dfs_lock_owner_put(so);
	KUNIT_EXPECT_EQ(test, dfs_locks_total(), base);
	KUNIT_EXPECT_EQ(test, dfs_lock_admit(so), NFS4_OK);
	dfs_stid_put(lk);
	dfs_stid_put(open);
}

static struct kunit_case dfs_stateid_cases[] = {
	KUNIT_CASE_PARAM(dfs_stateid_test_special, special_gen_params),
	KUNIT_CASE(dfs_stateid_test_open_seqid),
	KUNIT_CASE(dfs_stateid_test_distinct),
	KUNIT_CASE(dfs_stateid_test_lookup_errors),
	KUNIT_CASE(dfs_stateid_test_share),
	KUNIT_CASE(dfs_stateid_test_downgrade),
	KUNIT_CASE(dfs_stateid_test_lock),
	KUNIT_CASE(dfs_stateid_test_close),
	KUNIT_CASE(dfs_stateid_test_release),
	KUNIT_CASE_SLOW(dfs_stateid_test_cap),
	KUNIT_CASE(dfs_stateid_test_global_cap),
	KUNIT_CASE(dfs_stateid_test_lock_caps),
	{}
};

static struct kunit_suite dfs_stateid_suite = {
	.name = "dittofs_stateid",
	.test_cases = dfs_stateid_cases,
};

kunit_test_suite(dfs_stateid_suite);
