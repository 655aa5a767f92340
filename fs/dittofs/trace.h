/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the DittoFS state layer: clients and sessions coming and
 * going, every SEQUENCE outcome, and slot table target changes.  Enable them under
 * /sys/kernel/tracing/events/dittofs/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dittofs

#if !defined(_FS_DITTOFS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FS_DITTOFS_TRACE_H

#include <linux/nfs4.h>
#include <linux/tracepoint.h>

#include "client.h"
#include "session.h"

TRACE_DEFINE_ENUM(DFS_DESTROY_CLIENT);
TRACE_DEFINE_ENUM(DFS_DESTROY_ADMIN);
TRACE_DEFINE_ENUM(DFS_DESTROY_LEASE_EXPIRED);
TRACE_DEFINE_ENUM(DFS_DESTROY_UNCONFIRMED);
TRACE_DEFINE_ENUM(DFS_DESTROY_CLIENT_REPLACED);
TRACE_DEFINE_ENUM(DFS_DESTROY_UNLOAD);

#define dfs_show_reason(why)						\
	__print_symbolic(why,						\
		{ DFS_DESTROY_CLIENT, "client" },			\
		{ DFS_DESTROY_ADMIN, "admin" },				\
		{ DFS_DESTROY_LEASE_EXPIRED, "lease-expired" },		\
		{ DFS_DESTROY_UNCONFIRMED, "unconfirmed" },		\
		{ DFS_DESTROY_CLIENT_REPLACED, "client-replaced" },	\
		{ DFS_DESTROY_UNLOAD, "unload" })

TRACE_EVENT(dfs_client_created,
	    TP_PROTO(const struct dfs_client *clp),
	    TP_ARGS(clp),
	    TP_STRUCT__entry(__field(u64, clientid)
			     __field(u32, flavor)
			     __field(u32, uid)),
	    TP_fast_assign(__entry->clientid = clp->id;
			   __entry->flavor = clp->principal.flavor;
			   __entry->uid = clp->principal.uid;),
	    TP_printk("client=%016llx flavor=%u uid=%u",
		      __entry->clientid, __entry->flavor, __entry->uid)
);

TRACE_EVENT(dfs_client_destroyed,
	    TP_PROTO(const struct dfs_client *clp, enum dfs_destroy_reason why),
	    TP_ARGS(clp, why),
	    TP_STRUCT__entry(__field(u64, clientid)
			     __field(unsigned int, why)),
	    TP_fast_assign(__entry->clientid = clp->id;
			   __entry->why = why;),
	    TP_printk("client=%016llx reason=%s",
		      __entry->clientid, dfs_show_reason(__entry->why))
);

TRACE_EVENT(dfs_session_created,
	    TP_PROTO(const struct dfs_session *sess),
	    TP_ARGS(sess),
	    TP_STRUCT__entry(__array(u8, sid, NFS4_MAX_SESSIONID_LEN)
			     __field(u64, clientid)
			     __field(u32, fore_slots)
			     __field(u32, back_slots)),
	    TP_fast_assign(memcpy(__entry->sid, sess->id.data, NFS4_MAX_SESSIONID_LEN);
			   __entry->clientid = sess->clp->id;
			   __entry->fore_slots = sess->fore_tbl->attrs.maxrequests;
			   __entry->back_slots = sess->back_tbl->attrs.maxrequests;),
	    TP_printk("session=%s client=%016llx fore_slots=%u back_slots=%u",
		      __print_hex_str(__entry->sid, NFS4_MAX_SESSIONID_LEN),
		      __entry->clientid, __entry->fore_slots, __entry->back_slots)
);

TRACE_EVENT(dfs_session_destroyed,
	    TP_PROTO(const struct dfs_session *sess, enum dfs_destroy_reason why,
		     time64_t lifetime),
	    TP_ARGS(sess, why, lifetime),
	    TP_STRUCT__entry(__array(u8, sid, NFS4_MAX_SESSIONID_LEN)
			     __field(u64, clientid)
			     __field(s64, lifetime)
			     __field(unsigned int, why)),
	    TP_fast_assign(memcpy(__entry->sid, sess->id.data, NFS4_MAX_SESSIONID_LEN);
			   __entry->clientid = sess->clp->id;
			   __entry->lifetime = lifetime;
			   __entry->why = why;),
	    TP_printk("session=%s client=%016llx reason=%s lifetime=%llds",
		      __print_hex_str(__entry->sid, NFS4_MAX_SESSIONID_LEN),
		      __entry->clientid, dfs_show_reason(__entry->why),
		      __entry->lifetime)
);

TRACE_EVENT(dfs_sequence,
	    TP_PROTO(const struct dfs_sessionid *sid, u32 slotid, u32 seqid,
		     u32 status, bool replay),
	    TP_ARGS(sid, slotid, seqid, status, replay),
	    TP_STRUCT__entry(__array(u8, sid, NFS4_MAX_SESSIONID_LEN)
			     __field(u32, slotid)
			     __field(u32, seqid)
			     __field(u32, status)
			     __field(bool, replay)),
	    TP_fast_assign(memcpy(__entry->sid, sid->data, NFS4_MAX_SESSIONID_LEN);
			   __entry->slotid = slotid;
			   __entry->seqid = seqid;
			   __entry->status = status;
			   __entry->replay = replay;),
	    TP_printk("session=%s slot=%u seqid=%u status=%u%s",
		      __print_hex_str(__entry->sid, NFS4_MAX_SESSIONID_LEN),
		      __entry->slotid, __entry->seqid, __entry->status,
		      __entry->replay ? " replay" : "")
);

TRACE_EVENT(dfs_slot_target,
	    TP_PROTO(const struct dfs_session *sess, u32 old, u32 new),
	    TP_ARGS(sess, old, new),
	    TP_STRUCT__entry(__array(u8, sid, NFS4_MAX_SESSIONID_LEN)
			     __field(u32, old)
			     __field(u32, new)),
	    TP_fast_assign(memcpy(__entry->sid, sess->id.data, NFS4_MAX_SESSIONID_LEN);
			   __entry->old = old;
			   __entry->new = new;),
	    TP_printk("session=%s target_highest_slotid=%u->%u",
		      __print_hex_str(__entry->sid, NFS4_MAX_SESSIONID_LEN),
		      __entry->old, __entry->new)
);

#endif /* _FS_DITTOFS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
