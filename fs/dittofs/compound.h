/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NFSv4.1 COMPOUND: decoding, the operation table, and reply encoding
 * with the SEQUENCE replay cache.
 */
#ifndef _FS_DITTOFS_COMPOUND_H
#define _FS_DITTOFS_COMPOUND_H

#include <linux/nfs4.h>
#include <linux/path.h>
#include <linux/sunrpc/xdr.h>

#include "session.h"
#include "stateid.h"

struct cred;
struct svc_rqst;
struct dfs_server;
struct dfs_export;

/* The longest COMPOUND tag echoed back; a longer one is NFS4ERR_BADXDR. */
#define DFS_MAX_TAG	1024

/**
 * struct dfs_compound - one COMPOUND being executed by one svc thread
 * @rqstp: the RPC request
 * @in: the request stream, positioned at the current operation's arguments
 * @out: the reply stream
 * @srv: the state the operations act on
 * @argstart: where the COMPOUND's arguments start in the request
 * @conn: the connection's cookie for the state layer, or NULL
 * @seq: SEQUENCE's result; @seq.sess is set while a slot is held
 * @opcnt: number of operations in the request
 * @opidx: index of the operation being executed
 * @cachethis: SEQUENCE asked for the reply to be cached
 * @maxresp: the session's ca_maxresponsesize (0: no session)
 * @maxresp_cached: the session's ca_maxresponsesize_cached
 * @cur: the current filehandle as a referenced path; @cur.dentry is NULL
 *	when there is none
 * @exp: the referenced export @cur lies in, NULL with @cur
 * @saved: the saved filehandle (SAVEFH, RESTOREFH), likewise
 * @saved_exp: its export, likewise
 * @cur_sid: the current stateid (RFC 8881, 16.2.3.1.2), valid while
 *	@cur_sid_set: set by each operation that returns a stateid, unset
 *	whenever the current filehandle changes
 * @cur_sid_set: @cur_sid is valid
 * @saved_sid: the current stateid SAVEFH saved with @saved
 * @saved_sid_set: @saved_sid is valid
 * @cred_exp: the referenced export the caller's credentials were mapped
 *	for, or NULL
 * @old_cred: the thread's credentials, saved when the caller's were put
 *	in place for the first operation that uses the VFS; NULL until then
 * @err_body: the failing operation encoded a result body after its status
 *	(SETATTR's attrsset, LOCK's denial) that must be kept
 *
 * Private to the thread that runs the COMPOUND; no locking.
 */
struct dfs_compound {
	struct svc_rqst *rqstp;
	struct xdr_stream *in;
	struct xdr_stream *out;
	struct dfs_server *srv;
	unsigned int argstart;
	void *conn;
	struct dfs_seq_res seq;
	u32 opcnt;
	u32 opidx;
	bool cachethis;
	u32 maxresp;
	u32 maxresp_cached;
	struct path cur;
	struct dfs_export *exp;
	struct path saved;
	struct dfs_export *saved_exp;
	struct dfs_stateid cur_sid;
	bool cur_sid_set;
	struct dfs_stateid saved_sid;
	bool saved_sid_set;
	struct dfs_export *cred_exp;
	const struct cred *old_cred;
	bool err_body;
};

int dfs_compound_dispatch(struct svc_rqst *rqstp);
u64 dfs_compound_digest(const struct dfs_compound *cs);
bool dfs_utf8_valid(const u8 *s, u32 len);
void dfs_compound_init(void);

void dfs_compound_set_cur(struct dfs_compound *cs, struct path *path);
void dfs_compound_set_fh(struct dfs_compound *cs, struct dfs_export *exp,
			 struct path *path);
void dfs_compound_set_stateid(struct dfs_compound *cs,
			      const struct dfs_stateid *sid);
enum nfsstat4 dfs_compound_stateid(struct dfs_compound *cs,
				   struct dfs_stateid *sid);

/* Session operations (ops_session.c). */
enum nfsstat4 dfs_op_exchange_id(struct dfs_compound *cs);
enum nfsstat4 dfs_op_create_session(struct dfs_compound *cs);
enum nfsstat4 dfs_op_sequence(struct dfs_compound *cs);
enum nfsstat4 dfs_op_destroy_session(struct dfs_compound *cs);
enum nfsstat4 dfs_op_bind_conn_to_session(struct dfs_compound *cs);
enum nfsstat4 dfs_op_destroy_clientid(struct dfs_compound *cs);
enum nfsstat4 dfs_op_reclaim_complete(struct dfs_compound *cs);

/* Namespace and attribute operations (ops_fs.c). */
enum nfsstat4 dfs_decode_name(struct xdr_stream *xdr, char **name, u32 *len);
enum nfsstat4 dfs_op_putrootfh(struct dfs_compound *cs);
enum nfsstat4 dfs_op_putfh(struct dfs_compound *cs);
enum nfsstat4 dfs_op_getfh(struct dfs_compound *cs);
enum nfsstat4 dfs_op_savefh(struct dfs_compound *cs);
enum nfsstat4 dfs_op_restorefh(struct dfs_compound *cs);
enum nfsstat4 dfs_op_lookup(struct dfs_compound *cs);
enum nfsstat4 dfs_op_lookupp(struct dfs_compound *cs);
enum nfsstat4 dfs_op_getattr(struct dfs_compound *cs);
enum nfsstat4 dfs_op_setattr(struct dfs_compound *cs);
enum nfsstat4 dfs_op_access(struct dfs_compound *cs);
enum nfsstat4 dfs_op_readdir(struct dfs_compound *cs);
enum nfsstat4 dfs_op_create(struct dfs_compound *cs);
enum nfsstat4 dfs_op_readlink(struct dfs_compound *cs);
enum nfsstat4 dfs_op_link(struct dfs_compound *cs);
enum nfsstat4 dfs_op_remove(struct dfs_compound *cs);
enum nfsstat4 dfs_op_rename(struct dfs_compound *cs);
enum nfsstat4 dfs_op_secinfo(struct dfs_compound *cs);
enum nfsstat4 dfs_op_secinfo_no_name(struct dfs_compound *cs);

/* Open and lock state and file data (ops_file.c). */
enum nfsstat4 dfs_op_open(struct dfs_compound *cs);
enum nfsstat4 dfs_op_open_downgrade(struct dfs_compound *cs);
enum nfsstat4 dfs_op_close(struct dfs_compound *cs);
enum nfsstat4 dfs_op_read(struct dfs_compound *cs);
enum nfsstat4 dfs_op_write(struct dfs_compound *cs);
enum nfsstat4 dfs_op_commit(struct dfs_compound *cs);
enum nfsstat4 dfs_op_lock(struct dfs_compound *cs);
enum nfsstat4 dfs_op_lockt(struct dfs_compound *cs);
enum nfsstat4 dfs_op_locku(struct dfs_compound *cs);
enum nfsstat4 dfs_op_test_stateid(struct dfs_compound *cs);
enum nfsstat4 dfs_op_free_stateid(struct dfs_compound *cs);
void dfs_file_init(void);
struct dfs_stateid;
int dfs_dec_stateid(struct xdr_stream *xdr, struct dfs_stateid *sid);
struct file *dfs_open_file(const struct path *path, int flags);
enum nfsstat4 dfs_io_file(struct dfs_compound *cs,
			  const struct dfs_stateid *sid, bool write,
			  struct file **filp);

#endif /* _FS_DITTOFS_COMPOUND_H */
