// SPDX-License-Identifier: GPL-2.0
/*
 * Slot tables and the per-slot replay cache.
 *
 * A slot is acquired by SEQUENCE and released by dfs_slot_complete() on
 * every path.  Nothing blocks: a retry of a request that is still
 * executing is answered NFS4ERR_DELAY at once, and a refused request
 * leaves the slot exactly as it was.
 *
 * A reply is cached only when the request asked for it.  Its budget is
 * reserved when the slot is acquired (so the request is refused before it
 * executes when the budget is spent) and trimmed to the real size when
 * the reply is stored; the buffer is allocated at the reply's size.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/lockdep.h>
#include <kunit/visibility.h>

#include "slot.h"

static struct kmem_cache *dfs_slot_cachep;

/**
 * dfs_budget_charge() - take bytes from the reply-cache budget
 * @b: the budget
 * @bytes: how many
 *
 * Return: true when charged, false when the budget would be exceeded.
 */
bool dfs_budget_charge(struct dfs_budget *b, u64 bytes)
{
	struct dfs_limits lim;

	dfs_limits_get(&lim);
	if (atomic64_add_return(bytes, &b->used) > lim.reply_cache_budget) {
		atomic64_sub(bytes, &b->used);
		return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_budget_charge);

/**
 * dfs_budget_uncharge() - give bytes back to the reply-cache budget
 * @b: the budget
 * @bytes: how many, as charged
 */
void dfs_budget_uncharge(struct dfs_budget *b, u64 bytes)
{
	WARN_ON_ONCE(atomic64_sub_return(bytes, &b->used) < 0);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_budget_uncharge);

static struct dfs_reply *dfs_reply_alloc(struct dfs_budget *b,
					 const void *data, u32 len)
{
	struct dfs_reply *rep;

	rep = kmalloc(struct_size(rep, data, len), GFP_KERNEL);
	if (!rep)
		return NULL;
	refcount_set(&rep->ref, 1);
	rep->budget = b;
	rep->charge = struct_size(rep, data, len);
	rep->len = len;
	memcpy(rep->data, data, len);
	return rep;
}

/**
 * dfs_reply_put() - drop a reference to a cached reply
 * @rep: the reply, or NULL
 *
 * The last reference frees the buffer and returns its charge.
 */
void dfs_reply_put(struct dfs_reply *rep)
{
	if (!rep || !refcount_dec_and_test(&rep->ref))
		return;
	dfs_budget_uncharge(rep->budget, rep->charge);
	kfree(rep);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_reply_put);

/* The one place a slot changes state; see the table in slot.h. */
static void dfs_slot_set_state(struct dfs_slot_table *tbl,
			       struct dfs_slot *slot, enum dfs_slot_state new)
{
	lockdep_assert_held(&tbl->lock);
	WARN_ON_ONCE(new == DFS_SLOT_UNUSED ||
		     (new == DFS_SLOT_IN_USE) == (slot->state == DFS_SLOT_IN_USE));
	slot->state = new;
}

/**
 * dfs_slot_table_cost() - bytes charged to the budget for a slot table
 * @nr: number of slots
 *
 * Return: the charge.
 */
size_t dfs_slot_table_cost(u32 nr)
{
	struct dfs_slot_table *tbl;

	return struct_size(tbl, slots, nr) + (size_t)nr * sizeof(struct dfs_slot);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_table_cost);

/**
 * dfs_slot_table_alloc() - allocate a slot table for a negotiated channel
 * @attrs: the channel's attributes; @attrs->maxrequests slots are made
 * @budget: charged dfs_slot_table_cost() now, and cached replies later
 *
 * Return: the table, ERR_PTR(-ENOSPC) when the budget is spent, or
 * ERR_PTR(-ENOMEM).
 */
struct dfs_slot_table *dfs_slot_table_alloc(const struct dfs_channel_attrs *attrs,
					    struct dfs_budget *budget)
{
	u32 nr = attrs->maxrequests;
	struct dfs_slot_table *tbl;
	u32 i;

	if (!dfs_budget_charge(budget, dfs_slot_table_cost(nr)))
		return ERR_PTR(-ENOSPC);

	tbl = kzalloc(struct_size(tbl, slots, nr), GFP_KERNEL);
	if (!tbl)
		goto err_uncharge;
	tbl->nr = nr;
	spin_lock_init(&tbl->lock);
	tbl->attrs = *attrs;
	tbl->budget = budget;
	for (i = 0; i < nr; i++) {
		tbl->slots[i] = kmem_cache_zalloc(dfs_slot_cachep, GFP_KERNEL);
		if (!tbl->slots[i])
			goto err_free_slots;
	}
	return tbl;

err_free_slots:
	while (i--)
		kmem_cache_free(dfs_slot_cachep, tbl->slots[i]);
	kfree(tbl);
err_uncharge:
	dfs_budget_uncharge(budget, dfs_slot_table_cost(nr));
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_table_alloc);

/**
 * dfs_slot_table_free() - free a slot table and its cached replies
 * @tbl: the table, or NULL; no request may hold one of its slots
 */
void dfs_slot_table_free(struct dfs_slot_table *tbl)
{
	u32 i;

	if (!tbl)
		return;
	for (i = 0; i < tbl->nr; i++) {
		struct dfs_slot *slot = tbl->slots[i];

		WARN_ON_ONCE(slot->state == DFS_SLOT_IN_USE);
		if (slot->reserved)
			dfs_budget_uncharge(tbl->budget, slot->reserved);
		dfs_reply_put(slot->reply);
		kmem_cache_free(dfs_slot_cachep, slot);
	}
	dfs_budget_uncharge(tbl->budget, dfs_slot_table_cost(tbl->nr));
	kfree(tbl);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_table_free);

/* sa_sequenceid is last + 1: a new request, if it fits. */
static enum nfsstat4 dfs_slot_begin(struct dfs_slot_table *tbl,
				    struct dfs_slot *slot,
				    const struct dfs_slot_args *args,
				    struct dfs_reply **old)
{
	u32 reserve = 0;

	lockdep_assert_held(&tbl->lock);

	if (slot->state == DFS_SLOT_IN_USE) {
		/* The client reused a slot before its reply: not a retry. */
		tbl->misordered++;
		return NFS4ERR_SEQ_MISORDERED;
	}
	if (args->nops > tbl->attrs.maxoperations)
		return NFS4ERR_TOO_MANY_OPS;
	if (args->req_size > tbl->attrs.maxrequestsize)
		return NFS4ERR_REQ_TOO_BIG;
	if (args->cachethis) {
		reserve = sizeof(struct dfs_reply) +
			  tbl->attrs.maxresponsesize_cached;
		if (!dfs_budget_charge(tbl->budget, reserve))
			return NFS4ERR_DELAY;
	}

	/* Accepted: only now does the slot change. */
	*old = slot->reply;
	slot->reply = NULL;
	slot->seqid = args->seqid;
	slot->digest = args->digest;
	slot->cachethis = args->cachethis;
	slot->reserved = reserve;
	dfs_slot_set_state(tbl, slot, DFS_SLOT_IN_USE);
	tbl->inflight++;
	tbl->highest_used = max(tbl->highest_used, args->slotid);
	tbl->client_highest = args->highest_slotid;
	return NFS4_OK;
}

/* sa_sequenceid equals the last one accepted: a retry. */
static enum nfsstat4 dfs_slot_retry(struct dfs_slot_table *tbl,
				    struct dfs_slot *slot,
				    const struct dfs_slot_args *args,
				    struct dfs_reply **replay)
{
	lockdep_assert_held(&tbl->lock);

	if (slot->state == DFS_SLOT_IN_USE) {
		tbl->delays++;
		return NFS4ERR_DELAY;
	}
	if (args->digest != slot->digest)
		return NFS4ERR_SEQ_FALSE_RETRY;
	if (slot->state != DFS_SLOT_CACHED)
		return NFS4ERR_RETRY_UNCACHED_REP;
	refcount_inc(&slot->reply->ref);
	*replay = slot->reply;
	tbl->replays++;
	return NFS4_OK;
}

/**
 * dfs_slot_acquire() - the slot part of SEQUENCE
 * @tbl: the session's fore channel slot table
 * @args: the request
 * @replay: set to a referenced cached reply when the request is a retry
 *	whose reply was cached, else NULL; release with dfs_reply_put()
 *
 * On NFS4_OK with *@replay NULL the slot is held and must be released by
 * dfs_slot_complete(); with *@replay set nothing is held.  Any other
 * status leaves the slot and the table unchanged (apart from counters).
 *
 * Return: NFS4_OK, NFS4ERR_BADSESSION (table closed), NFS4ERR_BADSLOT,
 * NFS4ERR_SEQ_MISORDERED, NFS4ERR_DELAY,
 * NFS4ERR_SEQ_FALSE_RETRY, NFS4ERR_RETRY_UNCACHED_REP,
 * NFS4ERR_REQ_TOO_BIG or NFS4ERR_TOO_MANY_OPS.
 */
enum nfsstat4 dfs_slot_acquire(struct dfs_slot_table *tbl,
			       const struct dfs_slot_args *args,
			       struct dfs_reply **replay)
{
	struct dfs_reply *old = NULL;
	struct dfs_slot *slot;
	enum nfsstat4 status;

	*replay = NULL;
	if (args->slotid >= tbl->nr)
		return NFS4ERR_BADSLOT;
	slot = tbl->slots[args->slotid];

	spin_lock(&tbl->lock);
	if (tbl->closed) {
		status = NFS4ERR_BADSESSION;
	} else if (args->seqid == slot->seqid + 1) {
		status = dfs_slot_begin(tbl, slot, args, &old);
	} else if (args->seqid == slot->seqid &&
		   slot->state != DFS_SLOT_UNUSED) {
		status = dfs_slot_retry(tbl, slot, args, replay);
	} else {
		tbl->misordered++;
		status = NFS4ERR_SEQ_MISORDERED;
	}
	spin_unlock(&tbl->lock);

	dfs_reply_put(old);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_acquire);

/**
 * dfs_slot_complete() - release a held slot, caching the reply if asked
 * @tbl: the table
 * @slotid: the slot dfs_slot_acquire() granted
 * @reply: the whole COMPOUND reply as sent, or NULL when none was sent
 *	(connection lost, request dropped)
 * @len: bytes in @reply
 *
 * The slot is released on every path.  A reply that is not cached leaves
 * the slot UNCACHED, so a retry gets NFS4ERR_RETRY_UNCACHED_REP.
 *
 * Return: NFS4_OK; NFS4ERR_REP_TOO_BIG when @len exceeds the channel's
 * ca_maxresponsesize; NFS4ERR_REP_TOO_BIG_TO_CACHE when caching was asked
 * and @len exceeds ca_maxresponsesize_cached; NFS4ERR_SERVERFAULT when the
 * slot was not held.
 */
enum nfsstat4 dfs_slot_complete(struct dfs_slot_table *tbl, u32 slotid,
				const void *reply, u32 len)
{
	struct dfs_reply *rep = NULL;
	enum nfsstat4 status = NFS4_OK;
	struct dfs_slot *slot;
	u32 reserved;

	if (WARN_ON_ONCE(slotid >= tbl->nr))
		return NFS4ERR_SERVERFAULT;
	slot = tbl->slots[slotid];

	/* Stable while we hold the slot: only the holder writes them. */
	reserved = READ_ONCE(slot->reserved);
	if (reply && len > tbl->attrs.maxresponsesize) {
		status = NFS4ERR_REP_TOO_BIG;
	} else if (reply && READ_ONCE(slot->cachethis)) {
		if (len > tbl->attrs.maxresponsesize_cached)
			status = NFS4ERR_REP_TOO_BIG_TO_CACHE;
		else
			rep = dfs_reply_alloc(tbl->budget, reply, len);
	}

	spin_lock(&tbl->lock);
	if (WARN_ON_ONCE(slot->state != DFS_SLOT_IN_USE)) {
		spin_unlock(&tbl->lock);
		kfree(rep);
		return NFS4ERR_SERVERFAULT;
	}
	slot->reserved = 0;
	slot->reply = rep;
	dfs_slot_set_state(tbl, slot, rep ? DFS_SLOT_CACHED : DFS_SLOT_UNCACHED);
	tbl->inflight--;
	spin_unlock(&tbl->lock);

	/* The cached buffer keeps its share of the reservation. */
	if (reserved)
		dfs_budget_uncharge(tbl->budget,
				    reserved - (rep ? rep->charge : 0));
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_complete);

/**
 * dfs_slot_inflight() - number of slots held by executing requests
 * @tbl: the table
 *
 * Return: the count at the time of the call.
 */
u32 dfs_slot_inflight(struct dfs_slot_table *tbl)
{
	u32 n;

	spin_lock(&tbl->lock);
	n = tbl->inflight;
	spin_unlock(&tbl->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_inflight);

/**
 * dfs_slot_table_close() - stop granting slots, unless too many are held
 * @tbl: the table
 * @allowed: most slots that may still be held (U32_MAX: close anyway)
 *
 * Checking and closing are one step under the table's lock, so no request
 * slips in between.  Held slots are still released normally.
 *
 * Return: true when the table is now closed.
 */
bool dfs_slot_table_close(struct dfs_slot_table *tbl, u32 allowed)
{
	bool ok;

	spin_lock(&tbl->lock);
	ok = tbl->inflight <= allowed;
	if (ok)
		tbl->closed = true;
	spin_unlock(&tbl->lock);
	return ok;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_table_close);

/**
 * dfs_slot_stats() - copy a table's counters
 * @tbl: the table
 * @st: filled in, consistently
 */
void dfs_slot_stats(struct dfs_slot_table *tbl, struct dfs_slot_stats *st)
{
	spin_lock(&tbl->lock);
	st->nr = tbl->nr;
	st->inflight = tbl->inflight;
	st->highest_used = tbl->highest_used;
	st->replays = tbl->replays;
	st->delays = tbl->delays;
	st->misordered = tbl->misordered;
	spin_unlock(&tbl->lock);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_stats);

/**
 * dfs_slot_init() - create the slot cache
 *
 * Return: 0 or -ENOMEM.
 */
int dfs_slot_init(void)
{
	dfs_slot_cachep = KMEM_CACHE(dfs_slot, 0);
	return dfs_slot_cachep ? 0 : -ENOMEM;
}

/**
 * dfs_slot_exit() - destroy the slot cache; every table must be freed
 */
void dfs_slot_exit(void)
{
	kmem_cache_destroy(dfs_slot_cachep);
}
