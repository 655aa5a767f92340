/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sessions: CREATE_SESSION, SEQUENCE, DESTROY_SESSION and connection
 * bindings (RFC 8881, sections 2.10, 18.34, 18.36, 18.37 and 18.46).
 */
#ifndef _FS_DITTOFS_SESSION_H
#define _FS_DITTOFS_SESSION_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/nfs4.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "limits.h"
#include "slot.h"
#include "state.h"

struct dfs_client;
struct dfs_session;

/* Callback security flavors (RFC 5531 auth_flavor values). */
#define DFS_AUTH_NONE	0
#define DFS_AUTH_SYS	1
#define DFS_AUTH_GSS	6

/**
 * struct dfs_sessionid - a session id (sessionid4)
 * @data: 16 opaque bytes
 */
struct dfs_sessionid {
	u8 data[NFS4_MAX_SESSIONID_LEN];
};

/**
 * struct dfs_conn_ops - what the wire layer is told about its connections
 * @unbind: the state layer removed the binding of @conn to the session
 *	@sid (the session was destroyed); called without locks held, may
 *	sleep, must not call back into the state layer for that session
 */
struct dfs_conn_ops {
	void (*unbind)(void *conn, const struct dfs_sessionid *sid);
};

/**
 * struct dfs_conn_binding - a connection bound to a session's channels
 * @hash_node: in dfs_server.conn_hash; dfs_server.conn_lock
 * @sess_node: in dfs_session.conns; dfs_session.conn_lock
 * @conn: the wire layer's connection cookie, constant
 * @ops: the wire layer's callbacks, constant
 * @sess: the session; no reference: a binding is removed before its
 *	session's last reference goes, constant
 * @dir: NFS4_CDFS4_FORE and/or NFS4_CDFS4_BACK; dfs_session.conn_lock
 */
struct dfs_conn_binding {
	struct hlist_node hash_node;
	struct list_head sess_node;
	void *conn;
	const struct dfs_conn_ops *ops;
	struct dfs_session *sess;
	u32 dir;
};

/*
 * Session states.
 *
 *   state    meaning                                   set by
 *   ACTIVE   hashed, SEQUENCE finds it                 dfs_create_session()
 *   DEAD     unhashed; in-flight requests finish,      DESTROY_SESSION,
 *            memory goes with the last reference       admin, reaper, unload
 *
 * ACTIVE -> DEAD only.
 */
enum dfs_session_state {
	DFS_SESSION_ACTIVE,
	DFS_SESSION_DEAD,
};

/**
 * struct dfs_session - one session
 * @ref: one for the hash table, one per request using the session
 * @rcu: frees the memory after RCU lookups are done with it
 * @hash_node: in dfs_server.session_hash; dfs_server.lock, RCU readers
 * @client_node: in dfs_client.sessions, or a reap list; dfs_server.lock
 * @srv: the server, constant
 * @clp: the owning client (a reference is held), set under
 *	dfs_server.lock before the session is published, then constant
 * @state: see the table above; dfs_server.lock, READ_ONCE() by lookups
 * @id: the session id, constant
 * @seq: creation number, for cursors; constant once hashed
 * @created: dfs_clock_now() at creation, constant
 * @flags: csr_flags granted, constant
 * @cb_program: csa_cb_program, constant
 * @acct: the client's budget account, charged for this structure
 *	(referenced), constant
 * @fore_tbl: fore channel slots (and their attributes), constant pointer
 * @back_tbl: back channel slots (and their attributes), constant pointer
 * @conn_lock: guards @conns, @nr_conns, @nr_fore_conns, @nr_back_conns,
 *	@back_wanted and @conns_closed
 * @conns: bound connections (struct dfs_conn_binding)
 * @nr_conns: bindings on @conns (at most %DFS_MAX_SESSION_CONNS)
 * @nr_fore_conns: connections bound to the fore channel
 * @nr_back_conns: connections bound to the back channel
 * @back_wanted: the client asked for a back channel connection
 * @conns_closed: the session is being torn down; no new bindings
 */
struct dfs_session {
	struct kref ref;
	struct rcu_head rcu;
	struct hlist_node hash_node;
	struct list_head client_node;
	struct dfs_server *srv;
	struct dfs_client *clp;
	enum dfs_session_state state;
	struct dfs_sessionid id;
	u64 seq;
	time64_t created;
	u32 flags;
	u32 cb_program;
	struct dfs_budget_acct *acct;
	struct dfs_slot_table *fore_tbl;
	struct dfs_slot_table *back_tbl;

	spinlock_t conn_lock;	/* bindings of this session */
	struct list_head conns;
	u32 nr_conns;
	u32 nr_fore_conns;
	u32 nr_back_conns;
	bool back_wanted;
	bool conns_closed;
};

/*
 * Connections one session may have bound: Linux's nconnect goes up to
 * 16, plus a back channel; this bounds bindings by the sessions, which
 * the budget bounds.
 */
#define DFS_MAX_SESSION_CONNS	32

/**
 * struct dfs_create_session_args - CREATE_SESSION, decoded
 * @clientid: csa_clientid
 * @sequence: csa_sequence
 * @flags: csa_flags
 * @fore: csa_fore_chan_attrs
 * @back: csa_back_chan_attrs
 * @cb_program: csa_cb_program
 * @cb_flavors: the flavors of csa_sec_parms, in order
 * @nr_cb_flavors: entries in @cb_flavors
 * @principal: who sent the request
 * @conn: the connection it came on (bound to the new session), or NULL
 * @conn_ops: callbacks for @conn
 */
struct dfs_create_session_args {
	u64 clientid;
	u32 sequence;
	u32 flags;
	struct dfs_channel_attrs fore;
	struct dfs_channel_attrs back;
	u32 cb_program;
	const u32 *cb_flavors;
	u32 nr_cb_flavors;
	struct dfs_principal principal;
	void *conn;
	const struct dfs_conn_ops *conn_ops;
};

/**
 * struct dfs_create_session_res - CREATE_SESSION's result (cached for
 *	replays: its encoding is a function of these fields only)
 * @sessionid: csr_sessionid
 * @sequence: csr_sequence
 * @flags: csr_flags
 * @fore: csr_fore_chan_attrs
 * @back: csr_back_chan_attrs
 */
struct dfs_create_session_res {
	struct dfs_sessionid sessionid;
	u32 sequence;
	u32 flags;
	struct dfs_channel_attrs fore;
	struct dfs_channel_attrs back;
};

/**
 * struct dfs_seq_args - SEQUENCE, decoded
 * @sessionid: sa_sessionid
 * @slot: the slot part (slot id, sequence id, highest slot id, cachethis,
 *	request digest, request size, operation count)
 * @conn: the connection it came on (bound to the fore channel), or NULL
 * @conn_ops: callbacks for @conn
 */
struct dfs_seq_args {
	struct dfs_sessionid sessionid;
	struct dfs_slot_args slot;
	void *conn;
	const struct dfs_conn_ops *conn_ops;
};

/**
 * struct dfs_seq_res - SEQUENCE's result and what it holds
 * @highest_slotid: sr_highest_slotid
 * @target_highest_slotid: sr_target_highest_slotid
 * @status_flags: sr_status_flags
 * @sess: the session, referenced while a slot is held, else NULL
 * @slotid: the held slot
 * @replay: a referenced cached reply to send instead of executing; the
 *	caller sends @replay->data and calls dfs_reply_put()
 */
struct dfs_seq_res {
	u32 highest_slotid;
	u32 target_highest_slotid;
	u32 status_flags;
	struct dfs_session *sess;
	u32 slotid;
	struct dfs_reply *replay;
};

/**
 * struct dfs_session_info - what an administrator sees of a session
 * @id: the session id
 * @clientid: its client
 * @age: seconds since creation
 * @flags: csr_flags
 * @fore: fore channel attributes
 * @back: back channel attributes
 * @fore_stats: fore channel slot counters
 * @nr_fore_conns: connections bound to the fore channel
 * @nr_back_conns: connections bound to the back channel
 */
struct dfs_session_info {
	struct dfs_sessionid id;
	u64 clientid;
	time64_t age;
	u32 flags;
	struct dfs_channel_attrs fore;
	struct dfs_channel_attrs back;
	struct dfs_slot_stats fore_stats;
	u32 nr_fore_conns;
	u32 nr_back_conns;
};

enum nfsstat4 dfs_create_session(struct dfs_server *srv,
				 const struct dfs_create_session_args *args,
				 struct dfs_create_session_res *res);
#if IS_ENABLED(CONFIG_KUNIT)
enum nfsstat4
dfs_create_session_prepare(struct dfs_server *srv,
			   struct dfs_budget_acct *acct,
			   const struct dfs_create_session_args *a,
			   struct dfs_create_session_res *res,
			   struct dfs_session **out);
#endif
enum nfsstat4 dfs_sequence(struct dfs_server *srv,
			   const struct dfs_seq_args *args,
			   struct dfs_seq_res *res);
enum nfsstat4 dfs_sequence_done(struct dfs_seq_res *res,
				const void *reply, u32 len);
enum nfsstat4 dfs_sequence_done_fill(struct dfs_seq_res *res, u32 len,
				     dfs_reply_fill_t fill, void *ctx);
enum nfsstat4 dfs_session_conn_check(struct dfs_server *srv,
				     const struct dfs_sessionid *sid,
				     void *conn);
enum nfsstat4 dfs_destroy_session(struct dfs_server *srv,
				  const struct dfs_sessionid *sid,
				  struct dfs_session *cur);
int dfs_session_force_destroy(struct dfs_server *srv,
			      const struct dfs_sessionid *sid);
enum nfsstat4 dfs_bind_conn_to_session(struct dfs_server *srv,
				       const struct dfs_sessionid *sid,
				       void *conn,
				       const struct dfs_conn_ops *ops,
				       u32 dir, u32 *granted);
void dfs_conn_close(struct dfs_server *srv, void *conn);

struct dfs_session *dfs_session_lookup(struct dfs_server *srv,
				       const struct dfs_sessionid *sid);
void dfs_session_put(struct dfs_session *sess);
int dfs_session_next(struct dfs_server *srv, u64 clientid, u64 *cursor,
		     struct dfs_session_info *info);

/* For client.c and the reaper: called with dfs_server.lock held. */
void dfs_session_unhash_locked(struct dfs_session *sess,
			       struct list_head *reap);
void dfs_session_finish(struct dfs_session *sess,
			enum dfs_destroy_reason why);

int dfs_session_init(void);

#endif /* _FS_DITTOFS_SESSION_H */
