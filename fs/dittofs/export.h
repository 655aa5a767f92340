/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exports: the directories this server serves, the rules each one
 * applies to its clients (exports(5)), and their file handles.
 */
#ifndef _FS_DITTOFS_EXPORT_H
#define _FS_DITTOFS_EXPORT_H

#include <linux/in6.h>
#include <linux/nfs4.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct cred;
struct sockaddr;
struct svc_rqst;

/* Export options (exports(5)); without a flag the safe default holds. */
#define DFS_EXP_RW		BIT(0)	/* rw; default ro */
#define DFS_EXP_NO_ROOT_SQUASH	BIT(1)	/* default root_squash */
#define DFS_EXP_ALL_SQUASH	BIT(2)
#define DFS_EXP_INSECURE	BIT(3)	/* default secure: port below 1024 */

/* Accepted flavors (sec=). */
#define DFS_SEC_SYS		BIT(0)
#define DFS_SEC_NONE		BIT(1)

/* The most entries one export's client list holds. */
#define DFS_EXPORT_MAX_CLIENTS	32
/* The most exports. */
#define DFS_MAX_EXPORTS		64

/* Permission requests for dfs_permission(), besides MAY_READ/WRITE/EXEC. */
#define DFS_MAY_TRUNC		BIT(16)	/* a size change */
#define DFS_MAY_OWNER_OVERRIDE	BIT(17)	/* the owner may, whatever the mode */
#define DFS_MAY_READ_IF_EXEC	BIT(18)	/* execute permission allows reading */

/**
 * struct dfs_client_match - one entry of an export's client list
 * @addr: the address, IPv4 as IPv4-mapped IPv6
 * @prefix: how many leading bits of @addr must match (0 for "*")
 */
struct dfs_client_match {
	struct in6_addr addr;
	u8 prefix;
};

/**
 * struct dfs_export_rules - what an export allows, and to whom
 * @flags: DFS_EXP_*
 * @flavors: DFS_SEC_*
 * @anon_uid: the identity of squashed callers and of AUTH_NONE
 * @anon_gid: likewise
 * @nclients: entries in @clients; a caller must match one
 * @clients: the client list, first match wins
 */
struct dfs_export_rules {
	u32 flags;
	u32 flavors;
	kuid_t anon_uid;
	kgid_t anon_gid;
	unsigned int nclients;
	struct dfs_client_match clients[DFS_EXPORT_MAX_CLIENTS];
};

/**
 * struct dfs_export - one exported directory
 * @node: in the export table, by @id (dfs_exports_lock; RCU readers)
 * @ref: references: the table's, and one per user (a COMPOUND's
 *	current or saved filehandle)
 * @rcu: frees the export after readers are done
 * @id: the export's identity in file handles and its fsid major number
 * @root: the exported directory
 * @name: where clients see it ("/" for the root, "/NAME" below it)
 * @path: the directory, as the administrator gave it
 * @clients: the client list, as given
 * @rules: its rules
 *
 * Immutable once in the table: a change of rules replaces the export.
 */
struct dfs_export {
	struct hlist_node node;
	refcount_t ref;
	struct rcu_head rcu;
	u64 id;
	struct path root;
	char *name;
	char *path;
	char *clients;
	struct dfs_export_rules rules;
};

/**
 * struct dfs_fh - a file handle as it crosses the wire (nfs_fh4)
 * @len: bytes used in @data
 * @data: the handle: version, fileid type, export id, exportfs fid
 */
struct dfs_fh {
	u32 len;
	u8 data[NFS4_FHSIZE];
};

enum nfsstat4 dfs_errno(int err);

struct dfs_export *dfs_export_get_root(void);
struct dfs_export *dfs_export_get_name(const char *name);
int dfs_export_set(const char *name, const char *dir, const char *clients,
		   const char *opts, char *why, size_t whylen);
int dfs_export_remove(const char *name);
unsigned int dfs_export_walk(unsigned int skip,
			     int (*fn)(const struct dfs_export *, void *),
			     void *arg, u32 *gen);
void dfs_export_opts_text(const struct dfs_export_rules *r, char *buf,
			  size_t size);
struct dfs_export *dfs_export_get(struct dfs_export *exp);
void dfs_export_put(struct dfs_export *exp);

bool dfs_export_client_known(const struct sockaddr *sa);
enum nfsstat4 dfs_export_admit(const struct dfs_export *exp,
			       struct svc_rqst *rqstp);
bool dfs_export_flavor_ok(const struct dfs_export *exp,
			  struct svc_rqst *rqstp);
const struct cred *dfs_export_override_creds(const struct dfs_export *exp,
					     struct svc_rqst *rqstp);
int dfs_permission(const struct dfs_export *exp, const struct path *path,
		   int may);

/**
 * dfs_export_ro() - is @exp read-only?
 * @exp: an export
 *
 * Return: true unless @exp was exported rw.
 */
static inline bool dfs_export_ro(const struct dfs_export *exp)
{
	return !(exp->rules.flags & DFS_EXP_RW);
}

enum nfsstat4 dfs_fh_encode(const struct dfs_export *exp,
			    const struct path *path, struct dfs_fh *fh);
enum nfsstat4 dfs_fh_decode(const struct dfs_fh *fh, struct dfs_export **expp,
			    struct path *path);

#if IS_ENABLED(CONFIG_KUNIT)
void dfs_export_rules_default(struct dfs_export_rules *r);
int dfs_export_parse_opts(char *opts, struct dfs_export_rules *r,
			  const char **bad);
int dfs_export_parse_clients(char *list, struct dfs_export_rules *r,
			     const char **bad);
bool dfs_export_client_ok(const struct dfs_export_rules *r,
			  const struct sockaddr *sa);
#endif

int dfs_export_init(void);
void dfs_export_exit(void);

#endif /* _FS_DITTOFS_EXPORT_H */
