/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks the state layer calls when clients and sessions come and go and
 * when SEQUENCE answers: they fire the tracepoints of trace.h and send
 * the netlink "events" multicast.  Each may be called with
 * dfs_server.lock held and never sleeps.
 */
#ifndef _FS_DITTOFS_EVENTS_H
#define _FS_DITTOFS_EVENTS_H

#include <linux/types.h>

#include "state.h"

struct dfs_client;
struct dfs_session;
struct dfs_sessionid;
struct dfs_slot_args;

void dfs_event_client_created(const struct dfs_client *clp);
void dfs_event_client_destroyed(const struct dfs_client *clp,
				enum dfs_destroy_reason why);
void dfs_event_session_created(const struct dfs_session *sess);
void dfs_event_session_destroyed(const struct dfs_session *sess,
				 enum dfs_destroy_reason why);
void dfs_event_sequence(const struct dfs_sessionid *sid,
			const struct dfs_slot_args *slot, u32 status,
			bool replay);

#endif /* _FS_DITTOFS_EVENTS_H */
