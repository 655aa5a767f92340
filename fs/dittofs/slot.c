// SPDX-License-Identifier: GPL-2.0
/*
 * Slot tables and the per-slot replay cache.
 *
 * A slot is acquired by SEQUENCE and released by dfs_slot_complete() on
 * every path.  Nothing blocks: a retry of a request that is still
 * executing is answered NFS4ERR_DELAY at once, and a refused request
 * leaves the slot exactly as it was.
 *
 * A reply is cached only when the request asked for it and the budget
 * has room.  Its budget is reserved when the slot is acquired and trimmed
 * to the buffer's real (slab) size when the reply is stored.  A request
 * whose reply cannot be kept still executes, uncached: a retry of it gets
 * NFS4ERR_RETRY_UNCACHED_REP, so no request waits on the budget.  The
 * slot's previous reply, freed as the slot is reused, counts toward the
 * reservation, and budget is charged to the client's account, which may
 * not exceed its fair share while the budget is contended.
 *
 * Slot tables follow load (RFC 8881, 2.10.6.1): replies of slots above
 * the client's sa_highest_slotid are freed (the client has nothing
 * outstanding there), and sr_target_highest_slotid moves once per
 * window: down to twice what the client used when it used less than a
 * quarter, halved under budget or memory pressure, back to the whole
 * table when the client used all of it and the pressure is gone.
 */
#include <linux/overflow.h>
#include <linux/shrinker.h>
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

/**
 * dfs_budget_contended() - is more than three quarters of the budget used?
 * @b: the budget
 *
 * Also true for a while after the shrinker asked for memory back.
 *
 * Return: true when clients are held to their fair share and slot
 * targets shrink.
 */
bool dfs_budget_contended(struct dfs_budget *b)
{
	struct dfs_limits lim;

	dfs_limits_get(&lim);
	return atomic64_read(&b->used) > lim.reply_cache_budget / 4 * 3 ||
	       READ_ONCE(b->pressure_until) > ktime_get_boottime_seconds();
}
EXPORT_SYMBOL_IF_KUNIT(dfs_budget_contended);

/**
 * dfs_budget_acct_alloc() - a client's account on a budget
 * @b: the budget
 *
 * Return: the account (release with dfs_budget_acct_put()) or NULL.
 */
struct dfs_budget_acct *dfs_budget_acct_alloc(struct dfs_budget *b)
{
	struct dfs_budget_acct *acct = kzalloc(sizeof(*acct), GFP_KERNEL);

	if (!acct)
		return NULL;
	refcount_set(&acct->ref, 1);
	acct->budget = b;
	return acct;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_budget_acct_alloc);

/**
 * dfs_budget_acct_put() - drop a reference to an account
 * @acct: the account, or NULL
 */
void dfs_budget_acct_put(struct dfs_budget_acct *acct)
{
	if (acct && refcount_dec_and_test(&acct->ref)) {
		WARN_ON_ONCE(atomic64_read(&acct->used));
		kfree(acct);
	}
}
EXPORT_SYMBOL_IF_KUNIT(dfs_budget_acct_put);

/**
 * dfs_acct_uncharge() - give a client's bytes back
 * @acct: the account
 * @bytes: how many, as charged
 */
void dfs_acct_uncharge(struct dfs_budget_acct *acct, u64 bytes)
{
	s64 left = atomic64_sub_return(bytes, &acct->used);

	WARN_ON_ONCE(left < 0);
	if (!left && bytes)
		atomic_dec(&acct->budget->accounts);
	dfs_budget_uncharge(acct->budget, bytes);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_acct_uncharge);

/**
 * dfs_acct_charge() - take bytes for a client, within the budget and,
 *	while it is contended, within the client's fair share
 * @acct: the client's account
 * @bytes: how many
 * @credit: bytes already charged to the account that the caller frees
 *	right after (a slot's previous reply)
 *
 * Return: true when charged.
 */
bool dfs_acct_charge(struct dfs_budget_acct *acct, u64 bytes, u64 credit)
{
	struct dfs_budget *b = acct->budget;
	struct dfs_limits lim;
	s64 total, mine;
	u32 users;

	if (!bytes)
		return true;
	dfs_limits_get(&lim);
	mine = atomic64_add_return(bytes, &acct->used);
	if (mine == bytes)
		atomic_inc(&b->accounts);
	total = atomic64_add_return(bytes, &b->used) - credit;
	if (total > (s64)lim.reply_cache_budget)
		goto refuse;
	if (total > (s64)(lim.reply_cache_budget / 4 * 3) ||
	    READ_ONCE(b->pressure_until) > ktime_get_boottime_seconds()) {
		users = max(atomic_read(&b->accounts), 1);
		if (mine - credit > (s64)div_u64(lim.reply_cache_budget, users))
			goto refuse;
	}
	return true;

refuse:
	dfs_acct_uncharge(acct, bytes);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_acct_charge);

/**
 * dfs_acct_charge_force() - charge bytes that must be had, never refused
 * @acct: the account
 * @bytes: how many
 *
 * For what a client cannot work without and is bounded elsewhere (its
 * connection bindings, at most %DFS_MAX_SESSION_CONNS per session): the
 * budget shows them, and they count against later charges.
 */
void dfs_acct_charge_force(struct dfs_budget_acct *acct, u64 bytes)
{
	if (!bytes)
		return;
	if (atomic64_add_return(bytes, &acct->used) == bytes)
		atomic_inc(&acct->budget->accounts);
	atomic64_add(bytes, &acct->budget->used);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_acct_charge_force);

/* A cached reply of @len bytes, charged to @acct; filled by the caller. */
static struct dfs_reply *dfs_reply_alloc(struct dfs_budget_acct *acct,
					 u32 len)
{
	struct dfs_reply *rep;

	size_t size = kmalloc_size_roundup(struct_size(rep, data, len));

	rep = kmalloc(size, GFP_KERNEL);
	if (!rep)
		return NULL;
	refcount_set(&rep->ref, 1);
	refcount_inc(&acct->ref);
	rep->acct = acct;
	rep->charge = size;
	rep->len = len;
	rep->next = NULL;
	atomic_inc(&acct->budget->replies);
	return rep;
}

/*
 * A reply never cached: its charge is still part of the slot's
 * reservation, which the caller returns.
 */
static void dfs_reply_free_unused(struct dfs_reply *rep)
{
	struct dfs_budget_acct *acct = rep->acct;

	atomic_dec(&acct->budget->replies);
	kfree(rep);
	dfs_budget_acct_put(acct);
}

/**
 * dfs_reply_put() - drop a reference to a cached reply
 * @rep: the reply, or NULL
 *
 * The last reference frees the buffer and returns its charge.
 */
void dfs_reply_put(struct dfs_reply *rep)
{
	struct dfs_budget_acct *acct;

	if (!rep || !refcount_dec_and_test(&rep->ref))
		return;
	acct = rep->acct;
	atomic_dec(&acct->budget->replies);
	dfs_acct_uncharge(acct, rep->charge);
	kfree(rep);
	dfs_budget_acct_put(acct);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_reply_put);

/* Put a private list of replies collected under a table's lock. */
static unsigned long dfs_reply_put_list(struct dfs_reply *rep)
{
	struct dfs_reply *next;
	unsigned long n = 0;

	for (; rep; rep = next, n++) {
		next = rep->next;
		dfs_reply_put(rep);
	}
	return n;
}

/* The one place a slot changes state; see the table in slot.h. */
static void dfs_slot_set_state(struct dfs_slot_table *tbl,
			       struct dfs_slot *slot, enum dfs_slot_state new)
{
	lockdep_assert_held(&tbl->lock);
	WARN_ON_ONCE(new == DFS_SLOT_UNUSED ||
		     ((new == DFS_SLOT_IN_USE) == (slot->state == DFS_SLOT_IN_USE) &&
		      !(slot->state == DFS_SLOT_CACHED &&
			new == DFS_SLOT_UNCACHED)));
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

	return kmalloc_size_roundup(struct_size(tbl, slots, nr)) +
	       (size_t)nr * kmem_cache_size(dfs_slot_cachep);
}

/* What a cachethis request reserves: the largest reply's buffer. */
static u32 dfs_slot_reserve(const struct dfs_slot_table *tbl)
{
	struct dfs_reply *rep;

	return kmalloc_size_roundup(struct_size(rep, data,
						tbl->attrs.maxresponsesize_cached));
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_table_cost);

/**
 * dfs_slot_table_alloc() - allocate a slot table for a negotiated channel
 * @attrs: the channel's attributes; @attrs->maxrequests slots are made
 * @acct: the client's account, charged dfs_slot_table_cost() now and
 *	cached replies later (referenced by the table)
 *
 * Return: the table, ERR_PTR(-ENOSPC) when the budget (or the client's
 * fair share of it) is spent, or ERR_PTR(-ENOMEM).
 */
struct dfs_slot_table *dfs_slot_table_alloc(const struct dfs_channel_attrs *attrs,
					    struct dfs_budget_acct *acct)
{
	u32 nr = attrs->maxrequests;
	struct dfs_slot_table *tbl;
	u32 i;

	if (!dfs_acct_charge(acct, dfs_slot_table_cost(nr), 0))
		return ERR_PTR(-ENOSPC);

	tbl = kzalloc(struct_size(tbl, slots, nr), GFP_KERNEL);
	if (!tbl)
		goto err_uncharge;
	tbl->nr = nr;
	spin_lock_init(&tbl->lock);
	tbl->attrs = *attrs;
	refcount_inc(&acct->ref);
	tbl->acct = acct;
	tbl->target = nr - 1;
	for (i = 0; i < nr; i++) {
		tbl->slots[i] = kmem_cache_zalloc(dfs_slot_cachep, GFP_KERNEL);
		if (!tbl->slots[i])
			goto err_free_slots;
	}
	return tbl;

err_free_slots:
	while (i--)
		kmem_cache_free(dfs_slot_cachep, tbl->slots[i]);
	dfs_budget_acct_put(acct);
	kfree(tbl);
err_uncharge:
	dfs_acct_uncharge(acct, dfs_slot_table_cost(nr));
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
			dfs_acct_uncharge(tbl->acct, slot->reserved);
		dfs_reply_put(slot->reply);
		kmem_cache_free(dfs_slot_cachep, slot);
	}
	dfs_acct_uncharge(tbl->acct, dfs_slot_table_cost(tbl->nr));
	dfs_budget_acct_put(tbl->acct);
	kfree(tbl);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_table_free);

/*
 * The client has nothing outstanding above sa_highest_slotid: collect the
 * cached replies there on @freed.  cached_top keeps this cheap.
 */
static void dfs_slot_release_above(struct dfs_slot_table *tbl, u32 highest,
				   struct dfs_reply **freed)
{
	struct dfs_slot *slot;
	u32 i;

	lockdep_assert_held(&tbl->lock);

	for (i = tbl->cached_top; i > highest && i < tbl->nr; i--) {
		slot = tbl->slots[i];
		if (slot->state != DFS_SLOT_CACHED)
			continue;
		slot->reply->next = *freed;
		*freed = slot->reply;
		slot->reply = NULL;
		dfs_slot_set_state(tbl, slot, DFS_SLOT_UNCACHED);
		tbl->freed++;
	}
	if (tbl->cached_top > highest)
		tbl->cached_top = highest;
}

/* sa_sequenceid is last + 1: a new request, if it fits. */
static enum nfsstat4 dfs_slot_begin(struct dfs_slot_table *tbl,
				    struct dfs_slot *slot,
				    const struct dfs_slot_args *args,
				    struct dfs_reply **old)
{
	bool cachethis = args->cachethis;
	u32 reserve = 0, credit = 0;

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
	if (cachethis) {
		/* The old reply goes now unless a replay of it is being sent. */
		if (slot->reply && refcount_read(&slot->reply->ref) == 1)
			credit = slot->reply->charge;
		reserve = dfs_slot_reserve(tbl);
		if (!dfs_acct_charge(tbl->acct, reserve, credit)) {
			/* Run it anyway; a retry gets RETRY_UNCACHED_REP. */
			cachethis = false;
			reserve = 0;
			tbl->uncached++;
		}
	}

	/* Accepted: only now does the slot change. */
	if (slot->reply) {
		slot->reply->next = *old;
		*old = slot->reply;
		slot->reply = NULL;
	}
	slot->seqid = args->seqid;
	slot->digest = args->digest;
	slot->cachethis = cachethis;
	slot->reserved = reserve;
	dfs_slot_set_state(tbl, slot, DFS_SLOT_IN_USE);
	tbl->inflight++;
	tbl->highest_used = max(tbl->highest_used, args->slotid);
	tbl->client_highest = args->highest_slotid;
	tbl->window_peak = max3(tbl->window_peak, args->highest_slotid,
				args->slotid);
	dfs_slot_release_above(tbl, max(args->highest_slotid, args->slotid),
			       old);
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
 * NFS4ERR_SEQ_MISORDERED, NFS4ERR_DELAY (a retry of a request still
 * executing), NFS4ERR_SEQ_FALSE_RETRY, NFS4ERR_RETRY_UNCACHED_REP,
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

	dfs_reply_put_list(old);
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_acquire);

/**
 * dfs_slot_complete_fill() - release a held slot, caching the reply if asked
 * @tbl: the table
 * @slotid: the slot dfs_slot_acquire() granted
 * @len: bytes in the whole COMPOUND reply as sent
 * @fill: copies the reply into the cache's buffer (once, straight from
 *	where it was encoded), returning nonzero on failure; NULL when no
 *	reply was sent (connection lost, request dropped)
 * @ctx: for @fill
 *
 * The slot is released on every path.  A reply that is not cached leaves
 * the slot UNCACHED, so a retry gets NFS4ERR_RETRY_UNCACHED_REP.
 *
 * Return: NFS4_OK; NFS4ERR_REP_TOO_BIG when @len exceeds the channel's
 * ca_maxresponsesize; NFS4ERR_REP_TOO_BIG_TO_CACHE when caching was asked
 * and @len exceeds ca_maxresponsesize_cached; NFS4ERR_SERVERFAULT when the
 * slot was not held.
 */
enum nfsstat4 dfs_slot_complete_fill(struct dfs_slot_table *tbl, u32 slotid,
				     u32 len, dfs_reply_fill_t fill, void *ctx)
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
	if (fill && len > tbl->attrs.maxresponsesize) {
		status = NFS4ERR_REP_TOO_BIG;
	} else if (fill && READ_ONCE(slot->cachethis)) {
		if (len > tbl->attrs.maxresponsesize_cached)
			status = NFS4ERR_REP_TOO_BIG_TO_CACHE;
		else
			rep = dfs_reply_alloc(tbl->acct, len);
		if (rep && fill(ctx, rep->data, len)) {
			dfs_reply_free_unused(rep);
			rep = NULL;
		}
	}

	spin_lock(&tbl->lock);
	if (WARN_ON_ONCE(slot->state != DFS_SLOT_IN_USE)) {
		spin_unlock(&tbl->lock);
		if (rep)
			dfs_reply_free_unused(rep);
		return NFS4ERR_SERVERFAULT;
	}
	slot->reserved = 0;
	slot->reply = rep;
	dfs_slot_set_state(tbl, slot, rep ? DFS_SLOT_CACHED : DFS_SLOT_UNCACHED);
	if (rep)
		tbl->cached_top = max(tbl->cached_top, slotid);
	tbl->inflight--;
	spin_unlock(&tbl->lock);

	/* The cached buffer keeps its share of the reservation. */
	if (reserved)
		dfs_acct_uncharge(tbl->acct,
				  reserved - (rep ? rep->charge : 0));
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_complete_fill);

/**
 * dfs_reply_fill_flat() - a dfs_reply_fill_t for a reply in one buffer
 * @ctx: the buffer
 * @dst: the cache's buffer
 * @len: bytes to copy
 *
 * Return: 0.
 */
int dfs_reply_fill_flat(void *ctx, void *dst, u32 len)
{
	memcpy(dst, ctx, len);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_reply_fill_flat);

/**
 * dfs_slot_complete() - dfs_slot_complete_fill() from a flat buffer
 * @tbl: the table
 * @slotid: the slot dfs_slot_acquire() granted
 * @reply: the whole COMPOUND reply as sent, or NULL when none was sent
 * @len: bytes in @reply
 *
 * Return: see dfs_slot_complete_fill().
 */
enum nfsstat4 dfs_slot_complete(struct dfs_slot_table *tbl, u32 slotid,
				const void *reply, u32 len)
{
	return dfs_slot_complete_fill(tbl, slotid, len,
				      reply ? dfs_reply_fill_flat : NULL,
				      (void *)reply);
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
	u32 i;

	spin_lock(&tbl->lock);
	st->nr = tbl->nr;
	st->inflight = tbl->inflight;
	st->highest_used = tbl->highest_used;
	st->replays = tbl->replays;
	st->delays = tbl->delays;
	st->misordered = tbl->misordered;
	st->target = tbl->target;
	st->client_highest = tbl->client_highest;
	st->uncached = tbl->uncached;
	st->freed = tbl->freed;
	st->cached_bytes = 0;
	for (i = 0; i <= tbl->cached_top && i < tbl->nr; i++)
		if (tbl->slots[i]->state == DFS_SLOT_CACHED)
			st->cached_bytes += tbl->slots[i]->reply->charge;
	spin_unlock(&tbl->lock);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_stats);

/**
 * dfs_slot_target() - sr_target_highest_slotid for the next reply
 * @tbl: the table
 * @now: the state layer's clock, seconds
 * @pressure: the budget is contended or memory is short
 * @old: set to the target before this call
 *
 * Once per %DFS_SLOT_WINDOW_SECS the target follows what the client used
 * in the window (its highest sa_highest_slotid): under pressure it is
 * halved (down to slot 0); otherwise it goes back to the whole table when
 * the client used all of it, and comes down to twice what it used when
 * it used less than a quarter.  Slots above the target stay usable; the
 * client is asked to stop using them.
 *
 * Return: the target.
 */
u32 dfs_slot_target(struct dfs_slot_table *tbl, time64_t now, bool pressure,
		    u32 *old)
{
	u32 target, peak;

	spin_lock(&tbl->lock);
	target = tbl->target;
	*old = target;
	if (!tbl->window_start) {
		tbl->window_start = now;
	} else if (now >= tbl->window_start + DFS_SLOT_WINDOW_SECS) {
		peak = tbl->window_peak;
		if (pressure)
			target = min(target, peak) / 2;
		else if (peak >= target)
			target = tbl->nr - 1;
		else if (peak < target / 4)
			target = 2 * peak + 1;
		tbl->target = target;
		tbl->window_start = now;
		tbl->window_peak = 0;
	}
	spin_unlock(&tbl->lock);
	return target;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_target);

/**
 * dfs_slot_shrink() - free what a table caches for slots the client has
 *	nothing outstanding on (above its last sa_highest_slotid)
 * @tbl: the table
 *
 * For the shrinker; the target comes down at the next window.
 *
 * Return: replies freed.
 */
unsigned long dfs_slot_shrink(struct dfs_slot_table *tbl)
{
	struct dfs_reply *freed = NULL;

	spin_lock(&tbl->lock);
	dfs_slot_release_above(tbl, tbl->client_highest, &freed);
	spin_unlock(&tbl->lock);
	return dfs_reply_put_list(freed);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_slot_shrink);

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
