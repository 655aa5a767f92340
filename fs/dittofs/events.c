// SPDX-License-Identifier: GPL-2.0
/*
 * State layer hooks: tracepoints, and the listener a layer above
 * registers (as WireGuard's device code never calls its netlink code).
 * The state layer calls these at its choke points (hashing and tearing
 * down clients and sessions, the end of SEQUENCE); nothing here takes a
 * state lock.
 */
#include <linux/rcupdate.h>

#include "client.h"
#include "events.h"
#include "session.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static const struct dfs_state_listener __rcu *dfs_listener;

/**
 * dfs_state_listen() - register the listener, or remove it with NULL
 * @l: the callbacks, or NULL
 *
 * After removal, waits until no callback runs any more.
 */
void dfs_state_listen(const struct dfs_state_listener *l)
{
	rcu_assign_pointer(dfs_listener, l);
	if (!l)
		synchronize_rcu();
}

/**
 * dfs_event_client_created() - a client record was hashed
 * @clp: the client
 */
void dfs_event_client_created(const struct dfs_client *clp)
{
	trace_dfs_client_created(clp);
}

/**
 * dfs_event_client_destroyed() - a client record is being torn down
 * @clp: the client, unhashed
 * @why: the reason
 */
void dfs_event_client_destroyed(const struct dfs_client *clp,
				enum dfs_destroy_reason why)
{
	trace_dfs_client_destroyed(clp, why);
}

/**
 * dfs_event_session_created() - a session was hashed
 * @sess: the session, with its client set
 */
void dfs_event_session_created(const struct dfs_session *sess)
{
	const struct dfs_state_listener *l;

	trace_dfs_session_created(sess);
	rcu_read_lock();
	l = rcu_dereference(dfs_listener);
	if (l)
		l->session_created(sess);
	rcu_read_unlock();
}

/**
 * dfs_event_session_destroyed() - a session is being torn down
 * @sess: the session, unhashed
 * @why: the reason
 */
void dfs_event_session_destroyed(const struct dfs_session *sess,
				 enum dfs_destroy_reason why)
{
	time64_t lifetime = dfs_clock_now() - sess->created;
	const struct dfs_state_listener *l;

	trace_dfs_session_destroyed(sess, why, lifetime);
	rcu_read_lock();
	l = rcu_dereference(dfs_listener);
	if (l)
		l->session_destroyed(sess, why, lifetime);
	rcu_read_unlock();
}

/**
 * dfs_event_sequence() - SEQUENCE answered
 * @sid: the session id asked for
 * @slot: the slot arguments
 * @status: the answer
 * @replay: NFS4_OK came from the reply cache
 */
void dfs_event_sequence(const struct dfs_sessionid *sid,
			const struct dfs_slot_args *slot, u32 status,
			bool replay)
{
	trace_dfs_sequence(sid, slot->slotid, slot->seqid, status, replay);
}

/**
 * dfs_event_slot_target() - a session's sr_target_highest_slotid moved
 * @sess: the session
 * @old: the target before
 * @new: the target now
 */
void dfs_event_slot_target(const struct dfs_session *sess, u32 old, u32 new)
{
	trace_dfs_slot_target(sess, old, new);
}
