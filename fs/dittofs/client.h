/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client records: EXCHANGE_ID, confirmation, leases, DESTROY_CLIENTID
 * (RFC 8881, sections 18.35 and 18.50).
 */
#ifndef _FS_DITTOFS_CLIENT_H
#define _FS_DITTOFS_CLIENT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/nfs4.h>
#include <linux/rhashtable-types.h>
#include <linux/socket.h>
#include <linux/types.h>

#include "session.h"
#include "state.h"
#include "stateid.h"

/* What EXCHANGE_ID reports about this server. */
#define DFS_IMPL_DOMAIN		"dittofs.org"
#define DFS_IMPL_NAME		"DittoFS"

/*
 * Client states.
 *
 *   state        meaning                                  set by
 *   UNCONFIRMED  made by EXCHANGE_ID, no session yet      dfs_exchange_id()
 *   CONFIRMED    a CREATE_SESSION succeeded; lease runs   dfs_create_session()
 *   DEAD         unhashed; memory goes with the last ref  destroy, reaper,
 *                                                         replacement, unload
 *
 * UNCONFIRMED -> CONFIRMED -> DEAD, UNCONFIRMED -> DEAD.
 */
enum dfs_client_state {
	DFS_CLIENT_UNCONFIRMED,
	DFS_CLIENT_CONFIRMED,
	DFS_CLIENT_DEAD,
};

/**
 * struct dfs_owner_key - a co_ownerid, as the owner index compares it
 * @data: the bytes
 * @len: how many
 */
struct dfs_owner_key {
	const u8 *data;
	u32 len;
};

/**
 * struct dfs_client - one client record (one incarnation of a client)
 * @ref: one for the indexes, one per session
 * @srv: the server, constant
 * @id: the client id (boot verifier << 32 | index), constant
 * @owner_node: in dfs_server.owner_table; dfs_server.lock
 * @owner_key: @owner and @owner_len as the index's key, constant
 * @reap_node: on a private reap list once unhashed; dfs_server.lock
 * @lru: in its lease class's conf or unconf list; dfs_server.lru_lock
 * @lease_class: that class, set when hashed; dfs_server.lru_lock
 * @lease: the lease time the client was told, seconds; set before the
 *	record is published, constant afterwards
 * @renewed: last lease renewal (creation while unconfirmed), seconds;
 *	written under dfs_server.lru_lock, READ_ONCE() elsewhere
 * @on_conf_lru: @lru is on its class's conf list; dfs_server.lru_lock
 * @state: see the table above; dfs_server.lock
 * @reclaim_complete: a global RECLAIM_COMPLETE was done; dfs_server.lock
 * @verifier: co_verifier, constant
 * @principal: who created the record, constant
 * @flags: eir_flags granted (without CONFIRMED_R); dfs_server.lock
 * @addr: the client's address at EXCHANGE_ID; dfs_server.lock
 * @cs_seq: csa_sequence of the last CREATE_SESSION executed;
 *	dfs_server.lock
 * @cs_cached: @cs_status and @cs_res hold that CREATE_SESSION's result;
 *	dfs_server.lock
 * @cs_status: its status; dfs_server.lock
 * @cs_res: its result; dfs_server.lock
 * @sessions: the client's sessions; dfs_server.lock
 * @nr_sessions: entries in @sessions; dfs_server.lock
 * @created: dfs_clock_now() at EXCHANGE_ID, constant
 * @stateids: the client's opens and locks (stateid.c); their own lock,
 *	released by dfs_reap_finish()
 * @acct: its account on the server's reply-cache budget (referenced),
 *	constant
 * @owner_len: bytes in @owner, constant
 * @owner: co_ownerid, constant
 */
struct dfs_client {
	struct kref ref;
	struct dfs_server *srv;
	u64 id;
	struct rhlist_head owner_node;
	struct dfs_owner_key owner_key;
	struct list_head reap_node;
	struct list_head lru;
	struct dfs_lease_class *lease_class;
	u32 lease;
	time64_t renewed;
	bool on_conf_lru;
	enum dfs_client_state state;
	bool reclaim_complete;
	nfs4_verifier verifier;
	struct dfs_principal principal;
	u32 flags;
	struct sockaddr_storage addr;
	u32 cs_seq;
	bool cs_cached;
	enum nfsstat4 cs_status;
	struct dfs_create_session_res cs_res;
	struct list_head sessions;
	u32 nr_sessions;
	time64_t created;
	struct dfs_client_stateids stateids;
	struct dfs_budget_acct *acct;
	u32 owner_len;
	u8 owner[] __counted_by(owner_len);
};

/**
 * struct dfs_exchange_id_args - EXCHANGE_ID, decoded
 * @owner: co_ownerid
 * @owner_len: bytes in @owner, 1 to NFS4_OPAQUE_LIMIT
 * @verifier: co_verifier
 * @flags: eia_flags
 * @spa_how: eia_state_protect.spa_how
 * @principal: who sent the request
 * @addr: the client's address, or NULL
 */
struct dfs_exchange_id_args {
	const u8 *owner;
	u32 owner_len;
	nfs4_verifier verifier;
	u32 flags;
	u32 spa_how;
	struct dfs_principal principal;
	const struct sockaddr_storage *addr;
};

/**
 * struct dfs_exchange_id_res - EXCHANGE_ID's result
 * @clientid: eir_clientid
 * @sequenceid: eir_sequenceid
 * @flags: eir_flags
 * @spr_how: eir_state_protect.spr_how (always SP4_NONE)
 * @so_minor_id: eir_server_owner.so_minor_id
 * @so_major_id: eir_server_owner.so_major_id (NUL-terminated)
 * @server_scope: eir_server_scope (NUL-terminated)
 * @impl_domain: eir_server_impl_id.nii_domain
 * @impl_name: eir_server_impl_id.nii_name
 */
struct dfs_exchange_id_res {
	u64 clientid;
	u32 sequenceid;
	u32 flags;
	u32 spr_how;
	u64 so_minor_id;
	const char *so_major_id;
	const char *server_scope;
	const char *impl_domain;
	const char *impl_name;
};

/**
 * struct dfs_client_info - what an administrator sees of a client
 * @clientid: the client id
 * @confirmed: a CREATE_SESSION confirmed it
 * @lease_left: seconds until the lease (or unconfirmed grace) expires
 * @lease: the client's lease time, seconds
 * @nr_sessions: sessions held
 * @principal: who created it
 * @addr: its address at EXCHANGE_ID
 * @owner_len: bytes in @owner
 * @owner: co_ownerid
 */
struct dfs_client_info {
	u64 clientid;
	bool confirmed;
	s64 lease_left;
	u32 lease;
	u32 nr_sessions;
	struct dfs_principal principal;
	struct sockaddr_storage addr;
	u32 owner_len;
	u8 owner[NFS4_OPAQUE_LIMIT];
};

/**
 * struct dfs_reap - objects unhashed under dfs_server.lock, to be torn
 *	down after it is dropped
 * @sessions: sessions, linked by dfs_session.client_node
 * @clients: clients, linked by dfs_client.reap_node
 */
struct dfs_reap {
	struct list_head sessions;
	struct list_head clients;
};

enum nfsstat4 dfs_exchange_id(struct dfs_server *srv,
			      const struct dfs_exchange_id_args *args,
			      struct dfs_exchange_id_res *res);
enum nfsstat4 dfs_destroy_clientid(struct dfs_server *srv, u64 clientid);
int dfs_client_evict(struct dfs_server *srv, u64 clientid);
struct dfs_client *dfs_client_lookup(struct dfs_server *srv, u64 clientid);
void dfs_client_get(struct dfs_client *clp);
void dfs_client_put(struct dfs_client *clp);
void dfs_client_renew(struct dfs_client *clp);
int dfs_client_next(struct dfs_server *srv, unsigned long *cursor,
		    struct dfs_client_info *info);
u32 dfs_client_boot_verifier(void);

/* For session.c, the reaper and teardown: dfs_server.lock held. */
struct dfs_client *dfs_client_find_locked(struct dfs_server *srv,
					  u64 clientid);
void dfs_client_confirm_locked(struct dfs_client *clp, struct dfs_reap *reap);
void dfs_client_unhash_locked(struct dfs_client *clp, struct dfs_reap *reap);
bool dfs_principal_eq(const struct dfs_principal *a,
		      const struct dfs_principal *b);

void dfs_reap_init(struct dfs_reap *reap);
void dfs_reap_finish(struct dfs_server *srv, struct dfs_reap *reap,
		     enum dfs_destroy_reason why);

struct dfs_client *dfs_client_oldest_unconf_locked(struct dfs_server *srv);
int dfs_client_table_init(struct dfs_server *srv);
void dfs_client_table_destroy(struct dfs_server *srv);

enum nfsstat4 dfs_client_reclaim_complete(struct dfs_client *clp);
int dfs_client_init(void);

#endif /* _FS_DITTOFS_CLIENT_H */
