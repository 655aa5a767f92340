// SPDX-License-Identifier: GPL-2.0
/*
 * Open and lock state (RFC 8881, sections 8, 9 and 18.16 to 18.18).
 *
 * Every stateid lives in one module-wide xarray; its "other" field is
 * { verifier of this load, xarray index, uniquifier }, all big endian.
 * A lookup is an RCU xa_load() plus a reference; the seqid, the client
 * and whether the state is still hashed are checked under the client's
 * lock.  Indexes are allocated cyclically and the uniquifier never
 * repeats within a load, so an "other" is never reused.
 *
 * Share reservations are counted per inode in a small hash table under
 * dfs_share_lock.  Byte-range locks are POSIX locks whose fl_owner is the
 * lock-owner (struct dfs_sowner), so that locks of one lock-owner never
 * conflict with each other; lm_get_owner/lm_put_owner keep the owner
 * alive while the VFS holds locks of it.
 *
 * State is torn down in two steps: unhashed under the client's lock onto
 * a private list, then released (share counts dropped, byte-range locks
 * removed, files closed) after the lock is dropped.
 */
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "limits.h"
#include "stateid.h"

#define DFS_SHARE_HASH_BITS	8

/* The stateid table; the cursor is guarded by the xarray's lock. */
static DEFINE_XARRAY_ALLOC1(dfs_stid_table);
/* Module-wide: hashed stateids, and VFS lock structures of our owners. */
static atomic_t dfs_nr_stids;
static atomic_t dfs_nr_locks;
static u32 dfs_stid_next;
static atomic_t dfs_stid_uniq;
/* Set at load, then constant. */
static u32 dfs_stid_verf;

/**
 * struct dfs_share - share reservations on one file, over every client
 * @node: in dfs_share_hash; dfs_share_lock
 * @inode: the file (held by the opens' files), constant
 * @nr_opens: open stateids on the file; dfs_share_lock
 * @access: opens holding READ ([0]) and WRITE ([1]) access; dfs_share_lock
 * @deny: opens denying READ ([0]) and WRITE ([1]); dfs_share_lock
 */
struct dfs_share {
	struct hlist_node node;
	struct inode *inode;
	u32 nr_opens;
	u32 access[2];
	u32 deny[2];
};

static DEFINE_SPINLOCK(dfs_share_lock);
static DEFINE_HASHTABLE(dfs_share_hash, DFS_SHARE_HASH_BITS);

static struct dfs_share *dfs_share_find_locked(struct inode *inode)
{
	struct dfs_share *sh;

	lockdep_assert_held(&dfs_share_lock);

	hash_for_each_possible(dfs_share_hash, sh, node, (unsigned long)inode)
		if (sh->inode == inode)
			return sh;
	return NULL;
}

/*
 * Would @access/@deny conflict with the other opens of the file?  The
 * caller's own reservation (@own_access/@own_deny, zero for a new open)
 * does not count against itself.
 */
static bool dfs_share_conflict(const struct dfs_share *sh, u32 own_access,
			       u32 own_deny, u32 access, u32 deny)
{
	int i;

	lockdep_assert_held(&dfs_share_lock);

	for (i = 0; i < 2; i++) {
		u32 bit = BIT(i);
		u32 others_access = sh->access[i] - !!(own_access & bit);
		u32 others_deny = sh->deny[i] - !!(own_deny & bit);

		if ((access & bit) && others_deny)
			return true;
		if ((deny & bit) && others_access)
			return true;
	}
	return false;
}

static void dfs_share_account(struct dfs_share *sh, u32 access, u32 deny,
			      int sign)
{
	int i;

	lockdep_assert_held(&dfs_share_lock);

	for (i = 0; i < 2; i++) {
		if (access & BIT(i))
			sh->access[i] += sign;
		if (deny & BIT(i))
			sh->deny[i] += sign;
	}
}

/**
 * dfs_share_check_anon() - may I/O without an open (anonymous or bypass
 *	stateid) go ahead on @inode?
 * @inode: the file
 * @access: NFS4_SHARE_ACCESS_READ or _WRITE
 *
 * Return: NFS4_OK, or NFS4ERR_LOCKED when an open denies @access.
 */
enum nfsstat4 dfs_share_check_anon(struct inode *inode, u32 access)
{
	enum nfsstat4 status = NFS4_OK;
	struct dfs_share *sh;

	spin_lock(&dfs_share_lock);
	sh = dfs_share_find_locked(inode);
	if (sh && dfs_share_conflict(sh, 0, 0, access, 0))
		status = NFS4ERR_LOCKED;
	spin_unlock(&dfs_share_lock);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_share_check_anon);

/* Owners. */

static void dfs_lock_count_put(struct dfs_lock_count *lc)
{
	if (lc && refcount_dec_and_test(&lc->ref)) {
		WARN_ON_ONCE(atomic_read(&lc->nr));
		kfree(lc);
	}
}

static void dfs_sowner_release(struct kref *ref)
{
	struct dfs_sowner *so = container_of(ref, struct dfs_sowner, ref);

	dfs_lock_count_put(so->locks);
	kfree(so);
}

/**
 * dfs_sowner_put() - drop a reference to a state owner
 * @so: the owner, or NULL
 *
 * Never sleeps; may be called under any lock.
 */
void dfs_sowner_put(struct dfs_sowner *so)
{
	if (so)
		kref_put(&so->ref, dfs_sowner_release);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_sowner_put);

/*
 * The VFS references an owner from each lock structure it makes (copies
 * into the inode's list, splits, conflicts reported), and from the
 * request LOCK hands it: those references are the byte-range locks
 * counted against the caps.
 */
static fl_owner_t dfs_lm_get_owner(fl_owner_t owner)
{
	struct dfs_sowner *so = owner;

	kref_get(&so->ref);
	if (so->locks) {
		atomic_inc(&so->locks->nr);
		atomic_inc(&dfs_nr_locks);
	}
	return owner;
}

static void dfs_lm_put_owner(fl_owner_t owner)
{
	struct dfs_sowner *so = owner;

	if (so->locks) {
		atomic_dec(&so->locks->nr);
		atomic_dec(&dfs_nr_locks);
	}
	dfs_sowner_put(so);
}

/**
 * dfs_lock_owner_get() - reference a lock-owner for a lock request
 * @so: the lock-owner
 *
 * The request's lock structure counts as a lock until the VFS frees it,
 * which drops the reference through the lock manager.
 */
void dfs_lock_owner_get(struct dfs_sowner *so)
{
	dfs_lm_get_owner(so);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_lock_owner_get);

/**
 * dfs_lock_owner_put() - what the VFS does when it frees a lock structure
 * @so: the lock-owner
 */
void dfs_lock_owner_put(struct dfs_sowner *so)
{
	dfs_lm_put_owner(so);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_lock_owner_put);

/**
 * dfs_lock_admit() - may this lock-owner take another byte-range lock?
 * @so: the lock-owner
 *
 * Checked before a LOCK reaches the VFS; a lock splits into at most two
 * more structures, so concurrent requests overshoot a cap by at most
 * two each.
 *
 * Return: NFS4_OK, or NFS4ERR_DELAY at the client's cap
 * (%DFS_MAX_LOCKS_PER_CLIENT) or the module's (max_locks): LOCK has no
 * error for a lack of resources, and locks come free as others unlock.
 */
enum nfsstat4 dfs_lock_admit(struct dfs_sowner *so)
{
	if (atomic_read(&so->locks->nr) >= DFS_MAX_LOCKS_PER_CLIENT ||
	    atomic_read(&dfs_nr_locks) >= dfs_limit_value(DFS_LIMIT_MAX_LOCKS))
		return NFS4ERR_DELAY;
	return NFS4_OK;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_lock_admit);

/* Take one of the module's stateids; false at max_stateids. */
static bool dfs_stid_charge(void)
{
	if (atomic_inc_return(&dfs_nr_stids) >
	    dfs_limit_value(DFS_LIMIT_MAX_STATEIDS)) {
		atomic_dec(&dfs_nr_stids);
		return false;
	}
	return true;
}

/**
 * dfs_stateids_total() - stateids hashed now, module-wide
 *
 * Return: the count.
 */
u32 dfs_stateids_total(void)
{
	return atomic_read(&dfs_nr_stids);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stateids_total);

/**
 * dfs_locks_total() - VFS byte-range lock structures of our lock-owners
 *
 * Return: the count.
 */
u32 dfs_locks_total(void)
{
	return atomic_read(&dfs_nr_locks);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_locks_total);

/* The lock manager of every byte-range lock DittoFS takes. */
const struct lock_manager_operations dfs_posix_lock_ops = {
	.lm_mod_owner = THIS_MODULE,
	.lm_get_owner = dfs_lm_get_owner,
	.lm_put_owner = dfs_lm_put_owner,
};

static struct dfs_sowner *dfs_sowner_alloc(enum dfs_stid_type type,
					   u64 clientid, const u8 *owner,
					   u32 len)
{
	struct dfs_sowner *so;

	so = kzalloc(struct_size(so, data, len), GFP_KERNEL);
	if (!so)
		return NULL;
	kref_init(&so->ref);		/* the list's, once listed */
	INIT_LIST_HEAD(&so->node);
	so->type = type;
	so->clientid = clientid;
	so->len = len;
	memcpy(so->data, owner, len);
	return so;
}

static struct dfs_sowner *
dfs_sowner_find_locked(struct dfs_client_stateids *cst,
		       enum dfs_stid_type type, u64 clientid,
		       const u8 *owner, u32 len)
{
	struct dfs_sowner *so;

	lockdep_assert_held(&cst->lock);

	list_for_each_entry(so, &cst->owners, node)
		if (so->type == type && so->clientid == clientid &&
		    so->len == len && !memcmp(so->data, owner, len))
			return so;
	return NULL;
}

/**
 * dfs_lockowner_find() - a client's lock-owner, for LOCKT
 * @cst: the client's state
 * @clientid: lock_owner4's client id
 * @owner: lock_owner4's opaque
 * @owner_len: bytes in @owner
 *
 * Return: the owner, referenced (dfs_sowner_put()), or NULL when the
 * client has no lock state of that owner.
 */
struct dfs_sowner *dfs_lockowner_find(struct dfs_client_stateids *cst,
				      u64 clientid, const u8 *owner,
				      u32 owner_len)
{
	struct dfs_sowner *so;

	spin_lock(&cst->lock);
	so = dfs_sowner_find_locked(cst, DFS_STID_LOCK, clientid, owner,
				    owner_len);
	if (so)
		kref_get(&so->ref);
	spin_unlock(&cst->lock);
	return so;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_lockowner_find);

/* Stateids. */

/**
 * dfs_stateid_special() - classify a stateid (RFC 8881, 8.2.3)
 * @sid: the stateid
 *
 * Return: DFS_SID_NORMAL, or which special stateid it is.
 */
enum dfs_special_stateid dfs_stateid_special(const struct dfs_stateid *sid)
{
	static const u8 zero[NFS4_STATEID_OTHER_SIZE];
	static const u8 ones[NFS4_STATEID_OTHER_SIZE] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	if (!memcmp(sid->other, zero, sizeof(zero))) {
		switch (sid->seqid) {
		case 0:
			return DFS_SID_ANON;
		case 1:
			return DFS_SID_CURRENT;
		case U32_MAX:
			return DFS_SID_INVALID;
		default:
			return DFS_SID_BAD;
		}
	}
	if (!memcmp(sid->other, ones, sizeof(ones)))
		return sid->seqid == U32_MAX ? DFS_SID_BYPASS : DFS_SID_BAD;
	return DFS_SID_NORMAL;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stateid_special);

/* RFC 8881, 8.2.2: zero means "the current one"; newer is invalid. */
static enum nfsstat4 dfs_seqid_check(u32 given, u32 cur)
{
	if (!given || given == cur)
		return NFS4_OK;
	if ((s32)(given - cur) > 0)
		return NFS4ERR_BAD_STATEID;
	return NFS4ERR_OLD_STATEID;
}

static struct dfs_stid *dfs_stid_alloc(enum dfs_stid_type type)
{
	struct dfs_stid *stid;

	stid = kzalloc(sizeof(*stid), GFP_KERNEL);
	if (!stid)
		return NULL;
	/* Reserve an index; the entry is published by dfs_stid_hash_locked(). */
	if (xa_alloc_cyclic(&dfs_stid_table, &stid->index, NULL,
			    XA_LIMIT(1, U32_MAX), &dfs_stid_next,
			    GFP_KERNEL) < 0) {
		kfree(stid);
		return NULL;
	}
	refcount_set(&stid->ref, 1);	/* the table's */
	stid->uniq = atomic_inc_return(&dfs_stid_uniq);
	stid->type = type;
	INIT_LIST_HEAD(&stid->client_node);
	INIT_LIST_HEAD(&stid->locks);
	INIT_LIST_HEAD(&stid->open_node);
	return stid;
}

/* A stateid that was never hashed. */
static void dfs_stid_unused(struct dfs_stid *stid)
{
	if (!stid)
		return;
	xa_release(&dfs_stid_table, stid->index);
	kfree(stid);
}

static void dfs_stid_hash_locked(struct dfs_client_stateids *cst,
				 struct dfs_stid *stid, struct dfs_sowner *so)
{
	lockdep_assert_held(&cst->lock);

	if (!so->nr_stids++) {
		list_add_tail(&so->node, &cst->owners);
		cst->nr_owners++;
	}
	kref_get(&so->ref);
	stid->owner = so;
	stid->cst = cst;
	stid->seqid = 1;
	stid->hashed = true;
	list_add_tail(&stid->client_node, &cst->stids);
	cst->nr_stids++;
	WARN_ON_ONCE(xa_is_err(xa_store(&dfs_stid_table, stid->index, stid,
					GFP_ATOMIC)));
}

/* Unhash one stateid onto @reap; the caller's table reference moves too. */
static void dfs_stid_unhash_one_locked(struct dfs_stid *stid,
				       struct list_head *reap)
{
	struct dfs_client_stateids *cst = stid->cst;
	struct dfs_sowner *so = stid->owner;

	lockdep_assert_held(&cst->lock);

	stid->hashed = false;
	xa_erase(&dfs_stid_table, stid->index);
	list_del(&stid->client_node);
	cst->nr_stids--;
	atomic_dec(&dfs_nr_stids);
	list_del_init(&stid->open_node);
	if (!--so->nr_stids) {
		list_del_init(&so->node);
		cst->nr_owners--;
		kref_put(&so->ref, dfs_sowner_release);	/* the list's */
	}
	list_add_tail(&stid->client_node, reap);
}

/* Unhash a stateid (an open with its lock stateids first) onto @reap. */
static void dfs_stid_unhash_locked(struct dfs_stid *stid,
				   struct list_head *reap)
{
	struct dfs_stid *lk, *tmp;

	lockdep_assert_held(&stid->cst->lock);

	if (!stid->hashed)
		return;
	list_for_each_entry_safe(lk, tmp, &stid->locks, open_node)
		dfs_stid_unhash_one_locked(lk, reap);
	dfs_stid_unhash_one_locked(stid, reap);
}

/**
 * dfs_stid_get() - take a reference to a stateid
 * @stid: the stateid
 */
void dfs_stid_get(struct dfs_stid *stid)
{
	refcount_inc(&stid->ref);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_get);

/**
 * dfs_stid_put() - drop a reference to a stateid
 * @stid: the stateid, or NULL
 *
 * Never sleeps: files are closed when the state is released, not here.
 */
void dfs_stid_put(struct dfs_stid *stid)
{
	if (!stid || !refcount_dec_and_test(&stid->ref))
		return;
	dfs_sowner_put(stid->owner);
	dfs_stid_put(stid->open);
	kfree_rcu(stid, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_put);

/* Remove every byte-range lock taken through @file by any lock-owner. */
static void dfs_file_drop_locks(struct file *file)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(file));
	struct dfs_sowner *owners[16];
	struct file_lock *fl;
	int i, n;

	if (!ctx)
		return;
	do {
		n = 0;
		spin_lock(&ctx->flc_lock);
		for_each_file_lock(fl, &ctx->flc_posix) {
			if (fl->fl_lmops != &dfs_posix_lock_ops ||
			    fl->c.flc_file != file)
				continue;
			for (i = 0; i < n; i++)
				if (owners[i] == fl->c.flc_owner)
					break;
			if (i < n)
				continue;
			owners[n] = fl->c.flc_owner;
			kref_get(&owners[n]->ref);
			if (++n == ARRAY_SIZE(owners))
				break;
		}
		spin_unlock(&ctx->flc_lock);
		for (i = 0; i < n; i++) {
			locks_remove_posix(file, owners[i]);
			dfs_sowner_put(owners[i]);
		}
	} while (n);
}

/* Release what an unhashed stateid holds; no lock held, may sleep. */
static void dfs_stid_release(struct dfs_stid *stid)
{
	struct dfs_share *sh = stid->share, *gone = NULL;
	int i;

	if (stid->type == DFS_STID_OPEN && sh) {
		spin_lock(&dfs_share_lock);
		dfs_share_account(sh, stid->access, stid->deny, -1);
		if (!--sh->nr_opens) {
			hash_del(&sh->node);
			gone = sh;
		}
		spin_unlock(&dfs_share_lock);
		kfree(gone);
		stid->share = NULL;
		for (i = 0; i < DFS_FMODE_NR; i++)
			if (stid->files[i])
				dfs_file_drop_locks(stid->files[i]);
		for (i = 0; i < DFS_FMODE_NR; i++) {
			if (stid->files[i])
				fput(stid->files[i]);
			stid->files[i] = NULL;
		}
	}
	dfs_stid_put(stid);		/* the table's */
}

static void dfs_stid_reap(struct list_head *reap)
{
	struct dfs_stid *stid, *tmp;

	/* Lock stateids come before their open on the list. */
	list_for_each_entry_safe(stid, tmp, reap, client_node) {
		list_del_init(&stid->client_node);
		dfs_stid_release(stid);
	}
}

/**
 * dfs_stid_lookup() - find the state a stateid names
 * @cst: the state of the client the request comes from
 * @sid: the stateid (not a special one)
 * @types: DFS_STID_* mask of acceptable kinds
 * @out: set to the state, referenced (dfs_stid_put()), on NFS4_OK
 *
 * Return: NFS4_OK; NFS4ERR_STALE_STATEID for one of an earlier module
 * load; NFS4ERR_BAD_STATEID for an unknown, released, foreign, special
 * or wrong-kind one or a seqid from the future; NFS4ERR_OLD_STATEID for
 * an earlier seqid (seqid 0 matches any).
 */
enum nfsstat4 dfs_stid_lookup(struct dfs_client_stateids *cst,
			      const struct dfs_stateid *sid, u32 types,
			      struct dfs_stid **out)
{
	u32 index = get_unaligned_be32(sid->other + 4);
	u32 uniq = get_unaligned_be32(sid->other + 8);
	enum nfsstat4 status;
	struct dfs_stid *stid;

	if (dfs_stateid_special(sid) != DFS_SID_NORMAL)
		return NFS4ERR_BAD_STATEID;
	if (get_unaligned_be32(sid->other) != dfs_stid_verf)
		return NFS4ERR_STALE_STATEID;

	rcu_read_lock();
	stid = xa_load(&dfs_stid_table, index);
	if (stid && (stid->uniq != uniq || stid->cst != cst ||
		     !refcount_inc_not_zero(&stid->ref)))
		stid = NULL;
	rcu_read_unlock();
	if (!stid)
		return NFS4ERR_BAD_STATEID;

	spin_lock(&cst->lock);
	if (!stid->hashed || !(stid->type & types))
		status = NFS4ERR_BAD_STATEID;
	else
		status = dfs_seqid_check(sid->seqid, stid->seqid);
	spin_unlock(&cst->lock);
	if (status) {
		dfs_stid_put(stid);
		return status;
	}
	*out = stid;
	return NFS4_OK;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_lookup);

static void dfs_stid_copy_locked(struct dfs_stid *stid,
				 struct dfs_stateid *sid)
{
	lockdep_assert_held(&stid->cst->lock);

	sid->seqid = stid->seqid;
	put_unaligned_be32(dfs_stid_verf, sid->other);
	put_unaligned_be32(stid->index, sid->other + 4);
	put_unaligned_be32(stid->uniq, sid->other + 8);
}

static void dfs_stid_bump_locked(struct dfs_stid *stid,
				 struct dfs_stateid *sid)
{
	lockdep_assert_held(&stid->cst->lock);

	if (!++stid->seqid)
		stid->seqid = 1;
	dfs_stid_copy_locked(stid, sid);
}

/**
 * dfs_stid_copy() - the stateid that names @stid now
 * @stid: the state
 * @sid: filled in
 */
void dfs_stid_copy(struct dfs_stid *stid, struct dfs_stateid *sid)
{
	spin_lock(&stid->cst->lock);
	dfs_stid_copy_locked(stid, sid);
	spin_unlock(&stid->cst->lock);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_copy);

/**
 * dfs_stid_bump() - the state changed: advance its seqid (skipping 0)
 * @stid: the state
 * @sid: filled in with the new stateid
 */
void dfs_stid_bump(struct dfs_stid *stid, struct dfs_stateid *sid)
{
	spin_lock(&stid->cst->lock);
	dfs_stid_bump_locked(stid, sid);
	spin_unlock(&stid->cst->lock);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_bump);

/**
 * dfs_stid_hashed() - is the state still live?
 * @stid: the state
 *
 * Return: true until it is closed, freed or its client goes away.
 */
bool dfs_stid_hashed(struct dfs_stid *stid)
{
	bool hashed;

	spin_lock(&stid->cst->lock);
	hashed = stid->hashed;
	spin_unlock(&stid->cst->lock);
	return hashed;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_hashed);

static int dfs_access_fmode(u32 access)
{
	switch (access) {
	case NFS4_SHARE_ACCESS_READ:
		return DFS_FMODE_RD;
	case NFS4_SHARE_ACCESS_WRITE:
		return DFS_FMODE_WR;
	default:
		return DFS_FMODE_RW;
	}
}

static struct dfs_stid *dfs_open_find_locked(struct dfs_client_stateids *cst,
					     struct dfs_sowner *so,
					     struct inode *inode)
{
	struct dfs_stid *stid;

	lockdep_assert_held(&cst->lock);

	list_for_each_entry(stid, &cst->stids, client_node)
		if (stid->type == DFS_STID_OPEN && stid->owner == so &&
		    stid->inode == inode)
			return stid;
	return NULL;
}

/* An open-owner opens the file again: the union of both opens. */
static enum nfsstat4 dfs_open_upgrade_locked(struct dfs_stid *stid,
					     struct dfs_open_args *args)
{
	enum nfsstat4 status = NFS4_OK;
	int mode = dfs_access_fmode(args->access);

	lockdep_assert_held(&stid->cst->lock);

	spin_lock(&dfs_share_lock);
	if (dfs_share_conflict(stid->share, stid->access, stid->deny,
			       args->access, args->deny)) {
		status = NFS4ERR_SHARE_DENIED;
	} else {
		dfs_share_account(stid->share, stid->access, stid->deny, -1);
		stid->access |= args->access;
		stid->deny |= args->deny;
		dfs_share_account(stid->share, stid->access, stid->deny, 1);
	}
	spin_unlock(&dfs_share_lock);
	if (status)
		return status;
	if (!stid->files[mode]) {
		stid->files[mode] = args->file;
		args->file = NULL;
	}
	return NFS4_OK;
}

/* A new open: check and record its share reservation. */
static enum nfsstat4 dfs_open_share_locked(struct dfs_stid *stid,
					   struct dfs_open_args *args,
					   struct dfs_share **spare)
{
	enum nfsstat4 status = NFS4_OK;
	struct dfs_share *sh;

	lockdep_assert_held(&dfs_share_lock);

	sh = dfs_share_find_locked(args->inode);
	if (sh && dfs_share_conflict(sh, 0, 0, args->access, args->deny))
		return NFS4ERR_SHARE_DENIED;
	if (!sh) {
		sh = *spare;
		*spare = NULL;
		sh->inode = args->inode;
		hash_add(dfs_share_hash, &sh->node, (unsigned long)sh->inode);
	}
	sh->nr_opens++;
	dfs_share_account(sh, args->access, args->deny, 1);
	stid->share = sh;
	stid->access = args->access;
	stid->deny = args->deny;
	return status;
}

/**
 * dfs_open_state() - record an open (OPEN, RFC 8881 section 18.16)
 * @cst: the client's state
 * @args: the open; @args->file is consumed on every path
 * @sid: the open stateid to return, on NFS4_OK
 * @out: set to the open, referenced, on NFS4_OK
 *
 * An open-owner that already has the file open gets the same stateid
 * with the next seqid and the union of the share modes; otherwise a new
 * open stateid with seqid 1.  Share reservations of other open-owners,
 * of any client, are enforced.
 *
 * Return: NFS4_OK; NFS4ERR_SHARE_DENIED; NFS4ERR_INVAL for bad share
 * values; NFS4ERR_NOSPC at the per-client caps; NFS4ERR_DELAY when
 * memory is short; NFS4ERR_BADSESSION when the client is going away.
 */
enum nfsstat4 dfs_open_state(struct dfs_client_stateids *cst,
			     struct dfs_open_args *args,
			     struct dfs_stateid *sid, struct dfs_stid **out)
{
	struct dfs_sowner *new_owner = NULL, *so;
	struct dfs_share *spare = NULL;
	struct dfs_stid *new = NULL, *stid;
	enum nfsstat4 status;

	if (!args->access || args->access > NFS4_SHARE_ACCESS_BOTH ||
	    args->deny > NFS4_SHARE_DENY_BOTH ||
	    !args->owner_len || args->owner_len > NFS4_OPAQUE_LIMIT) {
		status = NFS4ERR_INVAL;
		goto out;
	}
	new_owner = dfs_sowner_alloc(DFS_STID_OPEN, args->clientid,
				     args->owner, args->owner_len);
	new = dfs_stid_alloc(DFS_STID_OPEN);
	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	status = NFS4ERR_DELAY;
	if (!new_owner || !new || !spare)
		goto out;

	spin_lock(&cst->lock);
	if (cst->dead) {
		status = NFS4ERR_BADSESSION;
		goto out_unlock;
	}
	so = dfs_sowner_find_locked(cst, DFS_STID_OPEN, args->clientid,
				    args->owner, args->owner_len);
	stid = so ? dfs_open_find_locked(cst, so, args->inode) : NULL;
	if (stid) {
		status = dfs_open_upgrade_locked(stid, args);
		if (status)
			goto out_unlock;
		dfs_stid_bump_locked(stid, sid);
		args->created = false;
	} else {
		status = NFS4ERR_NOSPC;
		if (cst->nr_stids >= DFS_MAX_STIDS_PER_CLIENT ||
		    (!so && cst->nr_owners >= DFS_MAX_OWNERS_PER_CLIENT) ||
		    !dfs_stid_charge())
			goto out_unlock;
		spin_lock(&dfs_share_lock);
		status = dfs_open_share_locked(new, args, &spare);
		spin_unlock(&dfs_share_lock);
		if (status) {
			atomic_dec(&dfs_nr_stids);
			goto out_unlock;
		}
		if (!so) {
			so = new_owner;
			new_owner = NULL;
		}
		stid = new;
		new = NULL;
		stid->inode = args->inode;
		stid->files[dfs_access_fmode(args->access)] = args->file;
		args->file = NULL;
		dfs_stid_hash_locked(cst, stid, so);
		dfs_stid_copy_locked(stid, sid);
		args->created = true;
	}
	refcount_inc(&stid->ref);
	*out = stid;
	status = NFS4_OK;

out_unlock:
	spin_unlock(&cst->lock);
out:
	if (args->file)
		fput(args->file);
	args->file = NULL;
	kfree(spare);
	dfs_stid_unused(new);
	kfree(new_owner);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_open_state);

/**
 * dfs_open_downgrade() - OPEN_DOWNGRADE (RFC 8881, section 18.18)
 * @stid: the open
 * @access: the access to keep, a subset of what is held
 * @deny: the deny to keep, a subset of what is held
 * @sid: the new stateid, on NFS4_OK
 *
 * Return: NFS4_OK; NFS4ERR_INVAL when not a subset; NFS4ERR_BAD_STATEID
 * when the open went away meanwhile.
 */
enum nfsstat4 dfs_open_downgrade(struct dfs_stid *stid, u32 access,
				 u32 deny, struct dfs_stateid *sid)
{
	struct dfs_client_stateids *cst = stid->cst;
	enum nfsstat4 status = NFS4_OK;

	if (!access || access > NFS4_SHARE_ACCESS_BOTH ||
	    deny > NFS4_SHARE_DENY_BOTH)
		return NFS4ERR_INVAL;
	spin_lock(&cst->lock);
	if (!stid->hashed || stid->type != DFS_STID_OPEN) {
		status = NFS4ERR_BAD_STATEID;
	} else if ((access & ~stid->access) || (deny & ~stid->deny)) {
		status = NFS4ERR_INVAL;
	} else {
		spin_lock(&dfs_share_lock);
		dfs_share_account(stid->share, stid->access, stid->deny, -1);
		stid->access = access;
		stid->deny = deny;
		dfs_share_account(stid->share, access, deny, 1);
		spin_unlock(&dfs_share_lock);
		dfs_stid_bump_locked(stid, sid);
	}
	spin_unlock(&cst->lock);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_open_downgrade);

/**
 * dfs_open_close() - CLOSE (RFC 8881, section 18.2): release an open,
 *	its lock stateids and their byte-range locks
 * @stid: the open (the caller keeps its reference)
 *
 * Return: NFS4_OK, or NFS4ERR_BAD_STATEID when already gone.
 */
enum nfsstat4 dfs_open_close(struct dfs_stid *stid)
{
	struct dfs_client_stateids *cst = stid->cst;
	LIST_HEAD(reap);
	bool hashed;

	if (stid->type != DFS_STID_OPEN)
		return NFS4ERR_BAD_STATEID;
	spin_lock(&cst->lock);
	hashed = stid->hashed;
	dfs_stid_unhash_locked(stid, &reap);
	spin_unlock(&cst->lock);
	dfs_stid_reap(&reap);
	return hashed ? NFS4_OK : NFS4ERR_BAD_STATEID;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_open_close);

/**
 * dfs_open_undo() - release an open just created by dfs_open_state()
 *	because the rest of its OPEN failed
 * @stid: the open
 */
void dfs_open_undo(struct dfs_stid *stid)
{
	dfs_open_close(stid);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_open_undo);

/**
 * dfs_stid_file() - the file to do I/O through for an open or lock state
 * @stid: the state
 * @write: for WRITE (else READ)
 * @filp: set to a referenced file (fput()) on NFS4_OK
 *
 * Return: NFS4_OK; NFS4ERR_OPENMODE when the open lacks that access;
 * NFS4ERR_BAD_STATEID when the state went away.
 */
enum nfsstat4 dfs_stid_file(struct dfs_stid *stid, bool write,
			    struct file **filp)
{
	struct dfs_stid *open = stid->type == DFS_STID_LOCK ? stid->open : stid;
	struct dfs_client_stateids *cst = stid->cst;
	enum nfsstat4 status = NFS4_OK;
	struct file *file;

	spin_lock(&cst->lock);
	if (!stid->hashed || !open->hashed) {
		status = NFS4ERR_BAD_STATEID;
		goto out;
	}
	if (write) {
		file = open->files[DFS_FMODE_RW] ?: open->files[DFS_FMODE_WR];
		if (!(open->access & NFS4_SHARE_ACCESS_WRITE))
			file = NULL;
	} else {
		file = open->files[DFS_FMODE_RW] ?: open->files[DFS_FMODE_RD];
		if (!(open->access & NFS4_SHARE_ACCESS_READ))
			file = NULL;
	}
	if (file)
		get_file(file);
	else
		status = NFS4ERR_OPENMODE;
	*filp = file;
out:
	spin_unlock(&cst->lock);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_file);

static struct dfs_stid *dfs_lock_find_locked(struct dfs_stid *open,
					     struct dfs_sowner *so)
{
	struct dfs_stid *lk;

	lockdep_assert_held(&open->cst->lock);

	list_for_each_entry(lk, &open->locks, open_node)
		if (lk->owner == so)
			return lk;
	return NULL;
}

/**
 * dfs_lock_state() - the lock stateid of a lock-owner on an open
 *	(LOCK with open_to_lock_owner4, RFC 8881 section 18.10)
 * @open: the open
 * @owner: lock_owner4's opaque
 * @owner_len: bytes in @owner
 * @out: set to the lock state, referenced, on NFS4_OK; its seqid is 1
 *	when it was just created
 * @created: set to whether it was just created
 *
 * Return: NFS4_OK; NFS4ERR_BAD_STATEID when the open went away;
 * NFS4ERR_NOSPC at the per-client caps; NFS4ERR_DELAY when memory is
 * short; NFS4ERR_INVAL for a bad owner.
 */
enum nfsstat4 dfs_lock_state(struct dfs_stid *open, const u8 *owner,
			     u32 owner_len, struct dfs_stid **out,
			     bool *created)
{
	struct dfs_client_stateids *cst = open->cst;
	u64 clientid = open->owner->clientid;
	struct dfs_sowner *new_owner, *so;
	struct dfs_stid *new, *lk;
	enum nfsstat4 status;

	if (!owner_len || owner_len > NFS4_OPAQUE_LIMIT)
		return NFS4ERR_INVAL;
	new_owner = dfs_sowner_alloc(DFS_STID_LOCK, clientid, owner, owner_len);
	new = dfs_stid_alloc(DFS_STID_LOCK);
	status = NFS4ERR_DELAY;
	if (!new_owner || !new)
		goto out;

	spin_lock(&cst->lock);
	status = NFS4ERR_BAD_STATEID;
	if (cst->dead || !open->hashed || open->type != DFS_STID_OPEN)
		goto out_unlock;
	so = dfs_sowner_find_locked(cst, DFS_STID_LOCK, clientid, owner,
				    owner_len);
	lk = so ? dfs_lock_find_locked(open, so) : NULL;
	*created = !lk;
	if (!lk) {
		status = NFS4ERR_NOSPC;
		if (cst->nr_stids >= DFS_MAX_STIDS_PER_CLIENT ||
		    (!so && cst->nr_owners >= DFS_MAX_OWNERS_PER_CLIENT) ||
		    !dfs_stid_charge())
			goto out_unlock;
		if (!so) {
			so = new_owner;
			new_owner = NULL;
			refcount_inc(&cst->locks->ref);
			so->locks = cst->locks;
		}
		lk = new;
		new = NULL;
		lk->inode = open->inode;
		refcount_inc(&open->ref);
		lk->open = open;
		list_add_tail(&lk->open_node, &open->locks);
		dfs_stid_hash_locked(cst, lk, so);
	}
	refcount_inc(&lk->ref);
	*out = lk;
	status = NFS4_OK;
out_unlock:
	spin_unlock(&cst->lock);
out:
	dfs_stid_unused(new);
	kfree(new_owner);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_lock_state);

/**
 * dfs_lock_stid_has_locks() - does a lock state hold byte-range locks?
 * @stid: a lock state
 *
 * Return: true when a lock of its lock-owner taken through its open's
 * files exists.
 */
bool dfs_lock_stid_has_locks(struct dfs_stid *stid)
{
	struct file *files[DFS_FMODE_NR];
	struct file_lock_context *ctx;
	struct file_lock *fl;
	bool found = false;
	int i;

	spin_lock(&stid->cst->lock);
	memcpy(files, stid->open->files, sizeof(files));
	spin_unlock(&stid->cst->lock);

	ctx = stid->inode ? locks_inode_context(stid->inode) : NULL;
	if (!ctx)
		return false;
	spin_lock(&ctx->flc_lock);
	for_each_file_lock(fl, &ctx->flc_posix) {
		if (fl->c.flc_owner != (fl_owner_t)stid->owner)
			continue;
		for (i = 0; i < DFS_FMODE_NR; i++)
			if (files[i] && fl->c.flc_file == files[i])
				found = true;
	}
	spin_unlock(&ctx->flc_lock);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_lock_stid_has_locks);

/**
 * dfs_stid_free() - FREE_STATEID (RFC 8881, section 18.38)
 * @stid: the state (the caller keeps its reference)
 *
 * Return: NFS4_OK; NFS4ERR_LOCKS_HELD for an open (it is released by
 * CLOSE) or a lock state that still holds locks; NFS4ERR_BAD_STATEID when
 * already gone.
 */
enum nfsstat4 dfs_stid_free(struct dfs_stid *stid)
{
	struct dfs_client_stateids *cst = stid->cst;
	enum nfsstat4 status = NFS4_OK;
	LIST_HEAD(reap);

	if (stid->type == DFS_STID_OPEN)
		return dfs_stid_hashed(stid) ? NFS4ERR_LOCKS_HELD :
					       NFS4ERR_BAD_STATEID;
	if (dfs_lock_stid_has_locks(stid))
		return NFS4ERR_LOCKS_HELD;
	spin_lock(&cst->lock);
	if (stid->hashed)
		dfs_stid_unhash_locked(stid, &reap);
	else
		status = NFS4ERR_BAD_STATEID;
	spin_unlock(&cst->lock);
	dfs_stid_reap(&reap);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stid_free);

/**
 * dfs_stateids_init() - a client's empty state
 * @cst: the state, part of the client; dfs_stateids_destroy() frees it
 *
 * Return: 0 or -ENOMEM.
 */
int dfs_stateids_init(struct dfs_client_stateids *cst)
{
	spin_lock_init(&cst->lock);
	INIT_LIST_HEAD(&cst->owners);
	INIT_LIST_HEAD(&cst->stids);
	cst->nr_stids = 0;
	cst->nr_owners = 0;
	cst->dead = false;
	cst->locks = kzalloc(sizeof(*cst->locks), GFP_KERNEL);
	if (!cst->locks)
		return -ENOMEM;
	refcount_set(&cst->locks->ref, 1);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stateids_init);

/**
 * dfs_stateids_busy() - does a client hold opens or locks?
 * @cst: the client's state
 *
 * Return: true when any stateid is live.
 */
bool dfs_stateids_busy(struct dfs_client_stateids *cst)
{
	bool busy;

	spin_lock(&cst->lock);
	busy = cst->nr_stids;
	spin_unlock(&cst->lock);
	return busy;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stateids_busy);

/**
 * dfs_stateids_release() - the client is going away: release all of its
 *	opens and locks, closing their files
 * @cst: the client's state
 *
 * Called without locks held (files are closed, which may sleep).  Nothing
 * can be added afterwards; requests still running on the client's state
 * find it gone (NFS4ERR_BAD_STATEID, NFS4ERR_BADSESSION).
 */
void dfs_stateids_release(struct dfs_client_stateids *cst)
{
	struct dfs_stid *stid;
	LIST_HEAD(reap);

	might_sleep();
	spin_lock(&cst->lock);
	cst->dead = true;
	/* Unhashing an open takes its lock stateids with it. */
	while ((stid = list_first_entry_or_null(&cst->stids, struct dfs_stid,
						client_node)))
		dfs_stid_unhash_locked(stid->open ?: stid, &reap);
	WARN_ON_ONCE(cst->nr_stids || cst->nr_owners);
	spin_unlock(&cst->lock);
	dfs_stid_reap(&reap);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stateids_release);

/**
 * dfs_stateids_destroy() - free what dfs_stateids_init() allocated
 * @cst: the state, empty (released, or never used)
 */
void dfs_stateids_destroy(struct dfs_client_stateids *cst)
{
	dfs_lock_count_put(cst->locks);
	cst->locks = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_stateids_destroy);

/**
 * dfs_stateid_init() - pick this module load's stateid verifier
 */
void dfs_stateid_init(void)
{
	do {
		dfs_stid_verf = get_random_u32();
	} while (!dfs_stid_verf || dfs_stid_verf == U32_MAX);
	atomic_set(&dfs_stid_uniq, 0);
}

/**
 * dfs_stateid_exit() - every client is gone: the tables must be empty
 */
void dfs_stateid_exit(void)
{
	WARN_ON_ONCE(!xa_empty(&dfs_stid_table));
	WARN_ON_ONCE(!hash_empty(dfs_share_hash));
	xa_destroy(&dfs_stid_table);
}
