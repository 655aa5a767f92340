// SPDX-License-Identifier: GPL-2.0
/*
 * State layer hooks: tracepoints and netlink events.  The state layer
 * calls these at its choke points (hashing and tearing down clients and
 * sessions, the end of SEQUENCE); nothing here takes a state lock.
 */
#include "client.h"
#include "events.h"
#include "netlink.h"
#include "session.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

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
	trace_dfs_session_created(sess);
	dfs_nl_notify_session(sess, true, 0, 0);
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

	trace_dfs_session_destroyed(sess, why, lifetime);
	dfs_nl_notify_session(sess, false, why, lifetime);
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
