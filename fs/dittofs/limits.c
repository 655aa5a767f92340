// SPDX-License-Identifier: GPL-2.0
/*
 * Server limits (module parameters, later settable over netlink) and the
 * negotiation of CREATE_SESSION channel attributes against them.
 *
 * Every limit is a u32 read with READ_ONCE() and written with WRITE_ONCE()
 * after a range check; a snapshot taken by dfs_limits_get() is what one
 * CREATE_SESSION negotiates against, so a session never sees a mix of old
 * and new values within one field.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>

#include "limits.h"

/* Hard ceilings: what the slot and reply-cache code are built to handle. */
#define DFS_SLOTS_CEILING	1024
#define DFS_SIZE_CEILING	SZ_1M
#define DFS_CLIENTS_CEILING	BIT(24)

/* max_clients' default: this many per GiB of RAM, but never fewer. */
#define DFS_CLIENTS_PER_GB	4096
#define DFS_CLIENTS_MIN_DEFAULT	1024
/* max_stateids' and max_locks' defaults, the same way. */
#define DFS_STATE_PER_GB	65536
#define DFS_STATE_MIN_DEFAULT	16384
#define DFS_STATE_CEILING	BIT(26)

static u32 dfs_fore_slots = 64;
static u32 dfs_back_slots = 8;
static u32 dfs_max_ops = 128;
static u32 dfs_max_cached_reply = SZ_4K;
static u32 dfs_sessions_per_client = 16;
static u32 dfs_lease_time = 90;
static u32 dfs_reply_cache_mb = 64;
static u32 dfs_max_clients;	/* 0 until dfs_limits_init() derives it */
static u32 dfs_max_stateids;	/* likewise */
static u32 dfs_max_locks;	/* likewise */

/**
 * struct dfs_limit_desc - one settable limit and its valid range
 * @name: the module parameter's (and netlink attribute's) name
 * @val: where the value lives
 * @min: smallest valid value
 * @max: largest valid value
 */
struct dfs_limit_desc {
	const char *name;
	u32 *val;
	u32 min;
	u32 max;
};

static const struct dfs_limit_desc dfs_limit_descs[DFS_LIMIT_COUNT] = {
	[DFS_LIMIT_FORE_SLOTS] = {
		"max_fore_slots", &dfs_fore_slots, 1, DFS_SLOTS_CEILING },
	[DFS_LIMIT_BACK_SLOTS] = {
		"max_back_slots", &dfs_back_slots, 1, DFS_SLOTS_CEILING },
	[DFS_LIMIT_MAX_OPS] = {
		"max_ops", &dfs_max_ops, 8, 4096 },	/* Linux's client needs 8 */
	[DFS_LIMIT_MAX_CACHED_REPLY] = {
		"max_cached_reply", &dfs_max_cached_reply,
		DFS_SEQ_ONLY_REP_SIZE, DFS_SIZE_CEILING },
	[DFS_LIMIT_SESSIONS_PER_CLIENT] = {
		"max_sessions_per_client", &dfs_sessions_per_client, 1, 1024 },
	[DFS_LIMIT_LEASE_TIME] = {
		"lease_time", &dfs_lease_time, 10, 3600 },
	[DFS_LIMIT_REPLY_CACHE_MB] = {
		"max_reply_cache_mb", &dfs_reply_cache_mb, 1, 65536 },
	[DFS_LIMIT_MAX_CLIENTS] = {
		"max_clients", &dfs_max_clients, 16, DFS_CLIENTS_CEILING },
	[DFS_LIMIT_MAX_STATEIDS] = {
		"max_stateids", &dfs_max_stateids, 64, DFS_STATE_CEILING },
	[DFS_LIMIT_MAX_LOCKS] = {
		"max_locks", &dfs_max_locks, 64, DFS_STATE_CEILING },
};

/**
 * dfs_limit_set() - change one limit after checking its range
 * @id: which limit
 * @val: the new value
 *
 * Return: 0, or -EINVAL for an unknown limit or a value out of range.
 */
int dfs_limit_set(enum dfs_limit_id id, u32 val)
{
	const struct dfs_limit_desc *d;

	if ((unsigned int)id >= DFS_LIMIT_COUNT)
		return -EINVAL;
	d = &dfs_limit_descs[id];
	if (val < d->min || val > d->max)
		return -EINVAL;
	WRITE_ONCE(*d->val, val);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_limit_set);

/**
 * dfs_limit_value() - one limit's current value, in dfs_limit_set()'s
 *	units
 * @id: which limit
 *
 * Return: the value, or 0 for an unknown limit.
 */
u32 dfs_limit_value(enum dfs_limit_id id)
{
	if ((unsigned int)id >= DFS_LIMIT_COUNT)
		return 0;
	return READ_ONCE(*dfs_limit_descs[id].val);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_limit_value);

static int dfs_param_set(const char *buf, const struct kernel_param *kp)
{
	unsigned int i;
	u32 val;
	int err;

	err = kstrtou32(buf, 0, &val);
	if (err)
		return err;
	for (i = 0; i < DFS_LIMIT_COUNT; i++)
		if (dfs_limit_descs[i].val == kp->arg)
			return dfs_limit_set(i, val);
	return -EINVAL;
}

static const struct kernel_param_ops dfs_limit_param_ops = {
	.set = dfs_param_set,
	.get = param_get_uint,
};

module_param_cb(max_fore_slots, &dfs_limit_param_ops, &dfs_fore_slots, 0644);
MODULE_PARM_DESC(max_fore_slots, "Most fore channel slots per session (1-1024, default 64)");
module_param_cb(max_back_slots, &dfs_limit_param_ops, &dfs_back_slots, 0644);
MODULE_PARM_DESC(max_back_slots, "Most back channel slots per session (1-1024, default 8)");
module_param_cb(max_ops, &dfs_limit_param_ops, &dfs_max_ops, 0644);
MODULE_PARM_DESC(max_ops, "Most operations per COMPOUND (8-4096, default 128)");
module_param_cb(max_cached_reply, &dfs_limit_param_ops, &dfs_max_cached_reply, 0644);
MODULE_PARM_DESC(max_cached_reply, "Largest cached reply in bytes (default 4096)");
module_param_cb(max_sessions_per_client, &dfs_limit_param_ops,
		&dfs_sessions_per_client, 0644);
MODULE_PARM_DESC(max_sessions_per_client, "Most sessions per client (1-1024, default 16)");
module_param_cb(lease_time, &dfs_limit_param_ops, &dfs_lease_time, 0644);
MODULE_PARM_DESC(lease_time, "Lease time in seconds (10-3600, default 90)");
module_param_cb(max_reply_cache_mb, &dfs_limit_param_ops, &dfs_reply_cache_mb, 0644);
MODULE_PARM_DESC(max_reply_cache_mb, "Module-wide budget for slots and cached replies in MiB (default 64)");
module_param_cb(max_clients, &dfs_limit_param_ops, &dfs_max_clients, 0644);
MODULE_PARM_DESC(max_clients, "Most client records (16-16777216, default 4096 per GiB of RAM, at least 1024)");
module_param_cb(max_stateids, &dfs_limit_param_ops, &dfs_max_stateids, 0644);
MODULE_PARM_DESC(max_stateids, "Most open and lock stateids, module-wide (64-67108864, default 65536 per GiB of RAM, at least 16384)");
module_param_cb(max_locks, &dfs_limit_param_ops, &dfs_max_locks, 0644);
MODULE_PARM_DESC(max_locks, "Most byte-range locks, module-wide (64-67108864, default 65536 per GiB of RAM, at least 16384)");

static u32 dfs_per_gib(u32 per_gib, u32 floor, u32 ceiling)
{
	u64 gib = totalram_pages() >> (30 - PAGE_SHIFT);

	return clamp_t(u64, gib * per_gib, floor, ceiling);
}

/**
 * dfs_limits_init() - derive the defaults that depend on the machine's
 *	memory, unless a module parameter set them
 */
void dfs_limits_init(void)
{
	if (!READ_ONCE(dfs_max_clients))
		WRITE_ONCE(dfs_max_clients,
			   dfs_per_gib(DFS_CLIENTS_PER_GB,
				       DFS_CLIENTS_MIN_DEFAULT,
				       DFS_CLIENTS_CEILING));
	if (!READ_ONCE(dfs_max_stateids))
		WRITE_ONCE(dfs_max_stateids,
			   dfs_per_gib(DFS_STATE_PER_GB, DFS_STATE_MIN_DEFAULT,
				       DFS_STATE_CEILING));
	if (!READ_ONCE(dfs_max_locks))
		WRITE_ONCE(dfs_max_locks,
			   dfs_per_gib(DFS_STATE_PER_GB, DFS_STATE_MIN_DEFAULT,
				       DFS_STATE_CEILING));
}

/**
 * dfs_limits_get() - take a snapshot of the current limits
 * @lim: filled in
 */
void dfs_limits_get(struct dfs_limits *lim)
{
	lim->fore_slots = READ_ONCE(dfs_fore_slots);
	lim->back_slots = READ_ONCE(dfs_back_slots);
	lim->fore_size = DFS_FORE_SIZE;
	lim->back_size = SZ_64K;
	lim->max_ops = READ_ONCE(dfs_max_ops);
	lim->max_cached_reply = READ_ONCE(dfs_max_cached_reply);
	lim->sessions_per_client = READ_ONCE(dfs_sessions_per_client);
	lim->lease_time = READ_ONCE(dfs_lease_time);
	lim->reply_cache_budget = (u64)READ_ONCE(dfs_reply_cache_mb) * SZ_1M;
	lim->max_clients = READ_ONCE(dfs_max_clients) ?: DFS_CLIENTS_MIN_DEFAULT;
	lim->max_stateids = READ_ONCE(dfs_max_stateids) ?: DFS_STATE_MIN_DEFAULT;
	lim->max_locks = READ_ONCE(dfs_max_locks) ?: DFS_STATE_MIN_DEFAULT;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_limits_get);

/**
 * dfs_negotiate_fore() - grant fore channel attributes
 * @lim: the server limits to negotiate against
 * @req: what the client asked for (csa_fore_chan_attrs)
 * @res: what the server grants (csr_fore_chan_attrs); untouched on error
 *
 * Every attribute is clamped to the server's limit and never exceeds what
 * the client asked for; padding and RDMA attributes are never granted.
 *
 * Return: NFS4_OK, or NFS4ERR_TOOSMALL when the client's sizes cannot
 * carry a SEQUENCE-only COMPOUND or it offers no slot or operation.
 */
enum nfsstat4 dfs_negotiate_fore(const struct dfs_limits *lim,
				 const struct dfs_channel_attrs *req,
				 struct dfs_channel_attrs *res)
{
	if (req->maxrequestsize < DFS_SEQ_ONLY_REQ_SIZE ||
	    req->maxresponsesize < DFS_SEQ_ONLY_REP_SIZE ||
	    req->maxoperations < 1 || req->maxrequests < 1)
		return NFS4ERR_TOOSMALL;

	res->headerpadsize = 0;
	res->maxrequestsize = min(req->maxrequestsize, lim->fore_size);
	res->maxresponsesize = min(req->maxresponsesize, lim->fore_size);
	res->maxresponsesize_cached = min3(req->maxresponsesize_cached,
					   lim->max_cached_reply,
					   res->maxresponsesize);
	res->maxoperations = min(req->maxoperations, lim->max_ops);
	res->maxrequests = min(req->maxrequests, lim->fore_slots);
	res->nr_rdma_ird = 0;
	return NFS4_OK;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_negotiate_fore);

/**
 * dfs_negotiate_back() - grant back channel attributes
 * @lim: the server limits to negotiate against
 * @req: what the client asked for (csa_back_chan_attrs)
 * @res: what the server grants (csr_back_chan_attrs); untouched on error
 *
 * On the back channel the server is the requester: its CB_COMPOUNDs must
 * fit the client's sizes, so sizes too small for CB_SEQUENCE are refused.
 * Nothing granted exceeds what the client asked for.
 *
 * Return: NFS4_OK or NFS4ERR_TOOSMALL.
 */
enum nfsstat4 dfs_negotiate_back(const struct dfs_limits *lim,
				 const struct dfs_channel_attrs *req,
				 struct dfs_channel_attrs *res)
{
	if (req->maxrequestsize < DFS_CB_SEQ_ONLY_REQ_SIZE ||
	    req->maxresponsesize < DFS_CB_SEQ_ONLY_REP_SIZE ||
	    req->maxoperations < 1 || req->maxrequests < 1)
		return NFS4ERR_TOOSMALL;

	res->headerpadsize = 0;
	res->maxrequestsize = min(req->maxrequestsize, lim->back_size);
	res->maxresponsesize = min(req->maxresponsesize, lim->back_size);
	/* The server never asks the client to cache callback replies. */
	res->maxresponsesize_cached = 0;
	res->maxoperations = min(req->maxoperations, lim->max_ops);
	res->maxrequests = min(req->maxrequests, lim->back_slots);
	res->nr_rdma_ird = 0;
	return NFS4_OK;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_negotiate_back);
