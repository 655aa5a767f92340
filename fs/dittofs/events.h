/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks the state layer calls when clients and sessions come and go,
 * when SEQUENCE answers and when a slot table's target moves: they fire
 * the tracepoints of trace.h and tell the listener, if one is registered
 * (the netlink layer, which sends its "events" multicast).  The state
 * layer knows nothing of netlink.  Each may be called with
 * dfs_server.lock held and never sleeps.
 */
#ifndef _FS_DITTOFS_EVENTS_H
#define _FS_DITTOFS_EVENTS_H

#include <linux/time64.h>
#include <linux/types.h>

#include "state.h"

struct dfs_client;
struct dfs_session;
struct dfs_sessionid;
struct dfs_slot_args;

/**
 * struct dfs_state_listener - what a layer above hears of the state layer
 * @session_created: a session was hashed
 * @session_destroyed: a session is being torn down, with the reason and
 *	its lifetime in seconds
 *
 * Called under RCU, possibly with dfs_server.lock held: must not sleep.
 */
struct dfs_state_listener {
	void (*session_created)(const struct dfs_session *sess);
	void (*session_destroyed)(const struct dfs_session *sess,
				  enum dfs_destroy_reason why,
				  time64_t lifetime);
};

void dfs_state_listen(const struct dfs_state_listener *l);

void dfs_event_client_created(const struct dfs_client *clp);
void dfs_event_client_destroyed(const struct dfs_client *clp,
				enum dfs_destroy_reason why);
void dfs_event_session_created(const struct dfs_session *sess);
void dfs_event_session_destroyed(const struct dfs_session *sess,
				 enum dfs_destroy_reason why);
void dfs_event_sequence(const struct dfs_sessionid *sid,
			const struct dfs_slot_args *slot, u32 status,
			bool replay);
void dfs_event_slot_target(const struct dfs_session *sess, u32 old, u32 new);

#endif /* _FS_DITTOFS_EVENTS_H */
