// SPDX-License-Identifier: GPL-2.0
/*
 * Exports: each exported directory is an object with its own rules
 * (exports(5): a client list, ro/rw, squashing, secure ports, flavors),
 * kept in a table by its id.  Every rule is applied here, in one place:
 * who is admitted (dfs_export_admit), with which flavor, as whom
 * (dfs_export_override_creds) and with which permissions
 * (dfs_permission), and which files a handle may name (dfs_fh_decode).
 *
 * A file handle is, in order: a version byte, the exportfs fileid type,
 * two zero bytes, the 8-byte export id, and the fid that
 * exportfs_encode_fh() gives for the file; for anything but a directory
 * that fid also names the parent, so that a file whose dentry has left
 * the cache can be reconnected.  The export id is derived from the export
 * root's device and inode number, so handles stay valid across a module
 * reload while the exported file system stays mounted.  A handle is only
 * resolved on its export's own mount, and only to a file that is found,
 * connected, under the export root: anything else is NFS4ERR_STALE.
 *
 * The module parameters give the first export, the root clients mount.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/exportfs.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/inet.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sunrpc/svc.h>
#include <linux/sunrpc/addr.h>
#include <net/sock.h>
#include <linux/unaligned.h>
#include <net/ipv6.h>

#include "export.h"

#define DFS_FH_VERSION		1
#define DFS_FH_HDR		12	/* version, type, pad, export id */
#define DFS_ANON_ID		65534	/* exports(5)'s default anonuid */

static char *dfs_export_path;
module_param_named(export, dfs_export_path, charp, 0444);
MODULE_PARM_DESC(export, "Directory to export as the NFSv4 root (required)");

static char *dfs_export_clients = "127.0.0.1";
module_param_named(export_clients, dfs_export_clients, charp, 0444);
MODULE_PARM_DESC(export_clients, "Who may mount it: addresses, CIDR prefixes or * (default 127.0.0.1)");

static char *dfs_export_opts = "rw,root_squash,secure";
module_param_named(export_opts, dfs_export_opts, charp, 0444);
MODULE_PARM_DESC(export_opts, "Its exports(5) options (default rw,root_squash,secure)");

/* The exports, by id; readers under RCU. */
#define DFS_EXPORT_HASH_BITS	4
static DEFINE_HASHTABLE(dfs_exports, DFS_EXPORT_HASH_BITS);
static DEFINE_MUTEX(dfs_exports_lock);
static unsigned int dfs_nexports;	/* in the table; dfs_exports_lock */
static u32 dfs_exports_gen = 1;		/* changes; dfs_exports_lock */

/**
 * dfs_errno() - the nfsstat4 for a VFS error
 * @err: 0 or a negative errno
 *
 * Return: NFS4_OK for 0; the closest NFS4ERR_* otherwise, NFS4ERR_IO for
 * anything without a better match.
 */
enum nfsstat4 dfs_errno(int err)
{
	switch (err) {
	case 0:
		return NFS4_OK;
	case -EPERM:
		return NFS4ERR_PERM;
	case -ENOENT:
		return NFS4ERR_NOENT;
	case -EIO:
		return NFS4ERR_IO;
	case -ENXIO:
	case -ENODEV:
		return NFS4ERR_NXIO;
	case -EACCES:
		return NFS4ERR_ACCESS;
	case -EEXIST:
		return NFS4ERR_EXIST;
	case -EXDEV:
		return NFS4ERR_XDEV;
	case -ENOTDIR:
		return NFS4ERR_NOTDIR;
	case -EISDIR:
		return NFS4ERR_ISDIR;
	case -EINVAL:
		return NFS4ERR_INVAL;
	case -EFBIG:
		return NFS4ERR_FBIG;
	case -ENOSPC:
		return NFS4ERR_NOSPC;
	case -EROFS:
		return NFS4ERR_ROFS;
	case -EMLINK:
		return NFS4ERR_MLINK;
	case -ENAMETOOLONG:
		return NFS4ERR_NAMETOOLONG;
	case -ENOTEMPTY:
		return NFS4ERR_NOTEMPTY;
	case -EDQUOT:
		return NFS4ERR_DQUOT;
	case -ESTALE:
		return NFS4ERR_STALE;
	case -ENOMEM:
	case -EAGAIN:
		return NFS4ERR_DELAY;
	case -ELOOP:
		return NFS4ERR_SYMLINK;
	case -EOPNOTSUPP:
		return NFS4ERR_NOTSUPP;
	case -ETXTBSY:
		return NFS4ERR_FILE_OPEN;
	case -EBADF:
		return NFS4ERR_BAD_STATEID;
	case -EOVERFLOW:
		return NFS4ERR_INVAL;
	default:
		return NFS4ERR_IO;
	}
}

/* --- The rules, as text -------------------------------------------------- */

/**
 * dfs_export_rules_default() - exports(5)'s defaults
 * @r: set to ro, root_squash, secure, sec=sys, anonymous 65534, and no
 *	client
 */
VISIBLE_IF_KUNIT void dfs_export_rules_default(struct dfs_export_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->flavors = DFS_SEC_SYS;
	r->anon_uid = make_kuid(&init_user_ns, DFS_ANON_ID);
	r->anon_gid = make_kgid(&init_user_ns, DFS_ANON_ID);
}
EXPORT_SYMBOL_IF_KUNIT(dfs_export_rules_default);

static int dfs_parse_sec(char *list, u32 *flavors)
{
	char *f;

	*flavors = 0;
	while ((f = strsep(&list, ":"))) {
		if (!strcmp(f, "sys"))
			*flavors |= DFS_SEC_SYS;
		else if (!strcmp(f, "none"))
			*flavors |= DFS_SEC_NONE;
		else
			return -EINVAL;
	}
	return 0;
}

/**
 * dfs_export_parse_opts() - apply an exports(5) option string
 * @opts: comma-separated options; modified
 * @r: the rules to change
 * @bad: set to the option that was refused
 *
 * Understood: ro, rw, root_squash, no_root_squash, all_squash,
 * no_all_squash, anonuid=N, anongid=N, secure, insecure, sec=F[:F...]
 * with F sys or none, and subtree_check and no_subtree_check, which
 * change nothing (containment is always checked).
 *
 * Return: 0, or -EINVAL with @bad set.
 */
VISIBLE_IF_KUNIT int dfs_export_parse_opts(char *opts,
					   struct dfs_export_rules *r,
					   const char **bad)
{
	char *o;
	u32 id;

	while ((o = strsep(&opts, ","))) {
		*bad = o;
		if (!*o)
			continue;
		if (!strcmp(o, "ro")) {
			r->flags &= ~DFS_EXP_RW;
		} else if (!strcmp(o, "rw")) {
			r->flags |= DFS_EXP_RW;
		} else if (!strcmp(o, "root_squash")) {
			r->flags &= ~DFS_EXP_NO_ROOT_SQUASH;
		} else if (!strcmp(o, "no_root_squash")) {
			r->flags |= DFS_EXP_NO_ROOT_SQUASH;
		} else if (!strcmp(o, "all_squash")) {
			r->flags |= DFS_EXP_ALL_SQUASH;
		} else if (!strcmp(o, "no_all_squash")) {
			r->flags &= ~DFS_EXP_ALL_SQUASH;
		} else if (!strcmp(o, "secure")) {
			r->flags &= ~DFS_EXP_INSECURE;
		} else if (!strcmp(o, "insecure")) {
			r->flags |= DFS_EXP_INSECURE;
		} else if (!strcmp(o, "subtree_check") ||
			   !strcmp(o, "no_subtree_check")) {
			continue;
		} else if (str_has_prefix(o, "anonuid=")) {
			if (kstrtou32(o + 8, 10, &id) ||
			    !uid_valid(make_kuid(&init_user_ns, id)))
				return -EINVAL;
			r->anon_uid = make_kuid(&init_user_ns, id);
		} else if (str_has_prefix(o, "anongid=")) {
			if (kstrtou32(o + 8, 10, &id) ||
			    !gid_valid(make_kgid(&init_user_ns, id)))
				return -EINVAL;
			r->anon_gid = make_kgid(&init_user_ns, id);
		} else if (str_has_prefix(o, "sec=")) {
			if (dfs_parse_sec(o + 4, &r->flavors) || !r->flavors)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	*bad = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_export_parse_opts);

/* One client list entry: "*", an IPv4 or IPv6 address, with "/bits". */
static int dfs_parse_client(const char *s, struct dfs_client_match *m)
{
	const char *bits = strchr(s, '/');
	int len = bits ? bits - s : strlen(s);
	unsigned int max;
	u8 prefix;

	memset(m, 0, sizeof(*m));
	if (!strcmp(s, "*"))
		return 0;
	if (in4_pton(s, len, (u8 *)&m->addr.s6_addr32[3], -1, NULL)) {
		m->addr.s6_addr32[2] = htonl(0xffff);
		max = 32;
	} else if (in6_pton(s, len, m->addr.s6_addr, -1, NULL)) {
		max = 128;
	} else {
		return -EINVAL;
	}
	prefix = max;
	if (bits && (kstrtou8(bits + 1, 10, &prefix) || prefix > max))
		return -EINVAL;
	m->prefix = prefix + 128 - max;
	return 0;
}

/**
 * dfs_export_parse_clients() - set an export's client list
 * @list: entries separated by commas or spaces: "*", an IPv4 or IPv6
 *	address, either with a "/bits" prefix length; modified
 * @r: the rules whose list is replaced
 * @bad: set to the entry that was refused
 *
 * Return: 0; -EINVAL for an entry that is not one of these, an empty list
 * or more than DFS_EXPORT_MAX_CLIENTS entries, with @bad set (NULL for
 * an empty list).
 */
VISIBLE_IF_KUNIT int dfs_export_parse_clients(char *list,
					      struct dfs_export_rules *r,
					      const char **bad)
{
	unsigned int n = 0;
	char *s;

	*bad = NULL;
	while ((s = strsep(&list, ", "))) {
		if (!*s)
			continue;
		*bad = s;
		if (n == DFS_EXPORT_MAX_CLIENTS ||
		    dfs_parse_client(s, &r->clients[n]))
			return -EINVAL;
		n++;
	}
	if (!n)
		return -EINVAL;
	*bad = NULL;
	r->nclients = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_export_parse_clients);

static bool dfs_prefix_match(const struct in6_addr *a,
			     const struct in6_addr *b, unsigned int bits)
{
	unsigned int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a->s6_addr, b->s6_addr, bytes))
		return false;
	if (!rest)
		return true;
	return !((a->s6_addr[bytes] ^ b->s6_addr[bytes]) &
		 (0xff00 >> rest));
}

/**
 * dfs_export_client_ok() - is @sa on the client list of @r?
 * @r: the rules
 * @sa: the caller's address (AF_INET or AF_INET6)
 *
 * Return: true when an entry matches.
 */
VISIBLE_IF_KUNIT bool dfs_export_client_ok(const struct dfs_export_rules *r,
					   const struct sockaddr *sa)
{
	struct in6_addr addr;
	unsigned int i;

	if (sa->sa_family == AF_INET) {
		ipv6_addr_set(&addr, 0, 0, htonl(0xffff),
			      ((const struct sockaddr_in *)sa)->sin_addr.s_addr);
	} else if (sa->sa_family == AF_INET6) {
		addr = ((const struct sockaddr_in6 *)sa)->sin6_addr;
	} else {
		return false;
	}
	for (i = 0; i < r->nclients; i++)
		if (dfs_prefix_match(&addr, &r->clients[i].addr,
				     r->clients[i].prefix))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(dfs_export_client_ok);

/* --- The table ----------------------------------------------------------- */

/**
 * dfs_export_get() - take a reference
 * @exp: an export the caller holds a reference to
 *
 * Return: @exp.
 */
struct dfs_export *dfs_export_get(struct dfs_export *exp)
{
	refcount_inc(&exp->ref);
	return exp;
}

static void dfs_export_free_rcu(struct rcu_head *head)
{
	struct dfs_export *exp = container_of(head, struct dfs_export, rcu);

	kfree(exp->clients);
	kfree(exp->path);
	kfree(exp->name);
	kfree(exp);
}

/**
 * dfs_export_put() - drop a reference
 * @exp: an export, or NULL
 *
 * The last reference (the table's is gone by then) releases the root
 * and frees the export, its strings included, after an RCU grace period.
 * Process context.
 */
void dfs_export_put(struct dfs_export *exp)
{
	if (!exp || !refcount_dec_and_test(&exp->ref))
		return;
	path_put(&exp->root);
	/* Readers of the table compare names under RCU, without a reference. */
	call_rcu(&exp->rcu, dfs_export_free_rcu);
}

static struct dfs_export *dfs_export_find(u64 id)
{
	struct dfs_export *exp;

	rcu_read_lock();
	hash_for_each_possible_rcu(dfs_exports, exp, node, id) {
		if (exp->id == id && refcount_inc_not_zero(&exp->ref)) {
			rcu_read_unlock();
			return exp;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/* --- Who, as whom, and may they ------------------------------------------ */

/**
 * dfs_export_client_known() - is @sa on any export's client list?
 * @sa: a caller's address
 *
 * A caller no export admits is refused before any operation runs, as
 * knfsd refuses a host no export names (AUTH_BADCRED).
 *
 * Return: true when some export admits @sa.
 */
bool dfs_export_client_known(const struct sockaddr *sa)
{
	struct dfs_export *exp;
	bool known = false;
	int bkt;

	rcu_read_lock();
	hash_for_each_rcu(dfs_exports, bkt, exp, node) {
		if (dfs_export_client_ok(&exp->rules, sa)) {
			known = true;
			break;
		}
	}
	rcu_read_unlock();
	return known;
}

/**
 * dfs_export_admit() - may this request use @exp at all?
 * @exp: the export of a file handle the request presents
 * @rqstp: the request
 *
 * Return: NFS4_OK; NFS4ERR_ACCESS for a caller not on the client list;
 * NFS4ERR_PERM for a source port of 1024 or above on a secure export.
 */
enum nfsstat4 dfs_export_admit(const struct dfs_export *exp,
			       struct svc_rqst *rqstp)
{
	if (!dfs_export_client_ok(&exp->rules, svc_addr(rqstp)))
		return NFS4ERR_ACCESS;
	if (!(exp->rules.flags & DFS_EXP_INSECURE) &&
	    rpc_get_port(svc_addr(rqstp)) >= PROT_SOCK)
		return NFS4ERR_PERM;
	return NFS4_OK;
}

/**
 * dfs_export_flavor_ok() - is the request's flavor one @exp accepts?
 * @exp: an export
 * @rqstp: the request
 *
 * Return: true when it is (else the answer is NFS4ERR_WRONGSEC).
 */
bool dfs_export_flavor_ok(const struct dfs_export *exp,
			  struct svc_rqst *rqstp)
{
	switch (rqstp->rq_cred.cr_flavor) {
	case RPC_AUTH_UNIX:
		return exp->rules.flavors & DFS_SEC_SYS;
	case RPC_AUTH_NULL:
		return exp->rules.flavors & DFS_SEC_NONE;
	default:
		return false;
	}
}

/* The caller's groups, with gid 0 squashed to @anon. */
static struct group_info *dfs_squash_groups(struct group_info *gi, kgid_t anon)
{
	struct group_info *out;
	int i;

	out = groups_alloc(gi->ngroups);
	if (!out)
		return NULL;
	for (i = 0; i < gi->ngroups; i++)
		out->gid[i] = gid_eq(gi->gid[i], GLOBAL_ROOT_GID) ? anon :
			      gi->gid[i];
	groups_sort(out);
	return out;
}

/**
 * dfs_export_override_creds() - act as the caller, as @exp maps it
 * @exp: the export the operations act in
 * @rqstp: the request
 *
 * The caller's AUTH_SYS uid, gid and groups, squashed as exports(5) says:
 * all_squash maps everyone, root_squash maps uid 0, gid 0 and group 0 to
 * the anonymous ids, and AUTH_NONE or an id the kernel cannot map is
 * anonymous too.  As with knfsd, root keeps the file system capabilities
 * and CAP_SYS_RESOURCE, everyone else loses them.
 *
 * Return: the previous credentials, for revert_creds(); NULL when out of
 * memory.
 */
const struct cred *dfs_export_override_creds(const struct dfs_export *exp,
					     struct svc_rqst *rqstp)
{
	const struct dfs_export_rules *r = &exp->rules;
	struct svc_cred *rc = &rqstp->rq_cred;
	kuid_t uid = rc->cr_uid;
	kgid_t gid = rc->cr_gid;
	struct group_info *gi;
	const struct cred *old;
	struct cred *new;

	if (rc->cr_flavor == RPC_AUTH_NULL || !rc->cr_group_info ||
	    (r->flags & DFS_EXP_ALL_SQUASH)) {
		uid = r->anon_uid;
		gid = r->anon_gid;
		gi = groups_alloc(0);
	} else if (!(r->flags & DFS_EXP_NO_ROOT_SQUASH)) {
		if (uid_eq(uid, GLOBAL_ROOT_UID))
			uid = r->anon_uid;
		if (gid_eq(gid, GLOBAL_ROOT_GID))
			gid = r->anon_gid;
		gi = dfs_squash_groups(rc->cr_group_info, r->anon_gid);
	} else {
		gi = get_group_info(rc->cr_group_info);
	}
	if (!gi)
		return NULL;
	if (!uid_valid(uid))
		uid = r->anon_uid;
	if (!gid_valid(gid))
		gid = r->anon_gid;

	new = prepare_creds();
	if (!new) {
		put_group_info(gi);
		return NULL;
	}
	new->fsuid = uid;
	new->fsgid = gid;
	set_groups(new, gi);
	put_group_info(gi);
	if (uid_eq(uid, GLOBAL_ROOT_UID))
		new->cap_effective = cap_raise_nfsd_set(new->cap_effective,
							new->cap_permitted);
	else
		new->cap_effective = cap_drop_nfsd_set(new->cap_effective);
	old = override_creds(new);
	put_cred(new);
	return old;
}

/**
 * dfs_permission() - may the caller act on @path this way?
 * @exp: the export @path lies in
 * @path: the file
 * @may: MAY_READ, MAY_WRITE, MAY_EXEC and DFS_MAY_* bits
 *
 * The rules a local process meets, plus the export's: a write or a size
 * change on a ro export or a read-only mount is -EROFS; on an immutable
 * file, or (for a regular file) an append-only one, -EPERM, since NFS
 * has no append-only writes.  With DFS_MAY_OWNER_OVERRIDE the owner may
 * read and write whatever the mode (a client checks the mode at open and
 * may then write through its open), and with DFS_MAY_READ_IF_EXEC, or
 * owner override, execute permission allows reading a regular file.
 *
 * Return: 0 or a negative errno.
 */
int dfs_permission(const struct dfs_export *exp, const struct path *path,
		   int may)
{
	struct inode *inode = d_inode(path->dentry);
	int mask = may & (MAY_READ | MAY_WRITE | MAY_EXEC);
	int err;

	if (may & (MAY_WRITE | DFS_MAY_TRUNC)) {
		if (dfs_export_ro(exp) || __mnt_is_readonly(path->mnt))
			return -EROFS;
		if (IS_IMMUTABLE(inode))
			return -EPERM;
		if (S_ISREG(inode->i_mode) && IS_APPEND(inode))
			return -EPERM;
	}
	if (!mask)
		return 0;
	if ((may & DFS_MAY_OWNER_OVERRIDE) &&
	    uid_eq(inode->i_uid, current_fsuid()))
		return 0;
	err = inode_permission(mnt_idmap(path->mnt), inode, mask);
	if (err == -EACCES && S_ISREG(inode->i_mode) && mask == MAY_READ &&
	    (may & (DFS_MAY_READ_IF_EXEC | DFS_MAY_OWNER_OVERRIDE)))
		err = inode_permission(mnt_idmap(path->mnt), inode, MAY_EXEC);
	return err;
}

/* --- File handles -------------------------------------------------------- */

/**
 * dfs_fh_encode() - the file handle of @path
 * @exp: the export @path lies in
 * @path: a file inside @exp
 * @fh: filled in
 *
 * Return: NFS4_OK, or NFS4ERR_SERVERFAULT when the file system cannot
 * encode a handle that fits.
 */
enum nfsstat4 dfs_fh_encode(const struct dfs_export *exp,
			    const struct path *path, struct dfs_fh *fh)
{
	int words = (NFS4_FHSIZE - DFS_FH_HDR) / 4;
	int flags = d_is_dir(path->dentry) ? 0 : EXPORT_FH_CONNECTABLE;
	int type;

	type = exportfs_encode_fh(path->dentry,
				  (struct fid *)(fh->data + DFS_FH_HDR),
				  &words, flags);
	if (type <= 0 || type == FILEID_INVALID || type > U8_MAX)
		return NFS4ERR_SERVERFAULT;
	fh->data[0] = DFS_FH_VERSION;
	fh->data[1] = type;
	fh->data[2] = 0;
	fh->data[3] = 0;
	put_unaligned_be64(exp->id, fh->data + 4);
	fh->len = DFS_FH_HDR + words * 4;
	return NFS4_OK;
}

/*
 * Only a dentry connected under the export root is acceptable.  For a
 * file whose cached dentry is disconnected, exportfs then reconnects the
 * parent the handle names and looks the file up in it (as knfsd's
 * subtree_check): a handle forged for a file elsewhere on the file system
 * finds no acceptable dentry.
 */
static int dfs_fh_acceptable(void *context, struct dentry *dentry)
{
	const struct dfs_export *exp = context;

	return is_subdir(dentry, exp->root.dentry);
}

/**
 * dfs_fh_decode() - the export and file behind a file handle
 * @fh: a handle from the wire
 * @expp: set to the referenced export on NFS4_OK; dfs_export_put() it
 * @path: set to a referenced path on NFS4_OK; release with path_put()
 *
 * Return: NFS4_OK; NFS4ERR_BADHANDLE for a handle this server never made;
 * NFS4ERR_STALE for one of an export that is gone, of a file that is
 * gone, or of a file outside its export; NFS4ERR_DELAY when out of
 * memory.
 */
enum nfsstat4 dfs_fh_decode(const struct dfs_fh *fh, struct dfs_export **expp,
			    struct path *path)
{
	struct dfs_export *exp;
	struct dentry *dentry;
	int words;

	if (fh->len < DFS_FH_HDR + 4 || fh->len > NFS4_FHSIZE ||
	    fh->len % 4 || fh->data[0] != DFS_FH_VERSION ||
	    fh->data[2] || fh->data[3])
		return NFS4ERR_BADHANDLE;
	exp = dfs_export_find(get_unaligned_be64(fh->data + 4));
	if (!exp)
		return NFS4ERR_STALE;

	words = (fh->len - DFS_FH_HDR) / 4;
	dentry = exportfs_decode_fh(exp->root.mnt,
				    (struct fid *)(fh->data + DFS_FH_HDR),
				    words, fh->data[1], dfs_fh_acceptable, exp);
	if (IS_ERR_OR_NULL(dentry)) {
		dfs_export_put(exp);
		return PTR_ERR(dentry) == -ENOMEM ? NFS4ERR_DELAY : NFS4ERR_STALE;
	}
	path->mnt = mntget(exp->root.mnt);
	path->dentry = dentry;
	*expp = exp;
	return NFS4_OK;
}

/* --- The table, managed ------------------------------------------------- */

/* "/" or "/NAME", one component. */
static bool dfs_export_name_ok(const char *name)
{
	const char *c = name + 1;

	if (name[0] != '/')
		return false;
	if (!*c)
		return true;
	return strlen(c) <= NAME_MAX && !strchr(c, '/') &&
	       strcmp(c, ".") && strcmp(c, "..");
}

static struct dfs_export *dfs_export_find_name_locked(const char *name)
{
	struct dfs_export *exp;
	int bkt;

	lockdep_assert_held(&dfs_exports_lock);

	hash_for_each(dfs_exports, bkt, exp, node)
		if (!strcmp(exp->name, name))
			return exp;
	return NULL;
}

/**
 * dfs_export_get_name() - the export clients see at @name
 * @name: "/" or "/NAME"
 *
 * Return: a referenced export, or NULL when there is none.
 */
struct dfs_export *dfs_export_get_name(const char *name)
{
	struct dfs_export *exp;
	int bkt;

	rcu_read_lock();
	hash_for_each_rcu(dfs_exports, bkt, exp, node) {
		if (!strcmp(exp->name, name) && refcount_inc_not_zero(&exp->ref)) {
			rcu_read_unlock();
			return exp;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/**
 * dfs_export_get_root() - the export clients see as "/"
 *
 * Return: a referenced export, or NULL when there is none.
 */
struct dfs_export *dfs_export_get_root(void)
{
	return dfs_export_get_name("/");
}

/**
 * dfs_export_opts_text() - an export's options, in full
 * @r: the rules
 * @buf: filled with the exports(5) option string, defaults included
 * @size: bytes in @buf
 */
void dfs_export_opts_text(const struct dfs_export_rules *r, char *buf,
			  size_t size)
{
	snprintf(buf, size, "%s,%s,%s,anonuid=%u,anongid=%u,sec=%s%s%s",
		 r->flags & DFS_EXP_RW ? "rw" : "ro",
		 r->flags & DFS_EXP_ALL_SQUASH ? "all_squash" :
		 r->flags & DFS_EXP_NO_ROOT_SQUASH ? "no_root_squash" :
		 "root_squash",
		 r->flags & DFS_EXP_INSECURE ? "insecure" : "secure",
		 from_kuid(&init_user_ns, r->anon_uid),
		 from_kgid(&init_user_ns, r->anon_gid),
		 r->flavors & DFS_SEC_SYS ? "sys" : "",
		 r->flavors == (DFS_SEC_SYS | DFS_SEC_NONE) ? ":" : "",
		 r->flavors & DFS_SEC_NONE ? "none" : "");
}

/* Do @a and @b share files: one's root at or below the other's? */
static bool dfs_export_overlap(const struct dfs_export *a,
			       const struct dfs_export *b)
{
	if (a->root.dentry->d_sb != b->root.dentry->d_sb)
		return false;
	return is_subdir(a->root.dentry, b->root.dentry) ||
	       is_subdir(b->root.dentry, a->root.dentry);
}

/* Build an export; on failure, say why in @why. */
static struct dfs_export *dfs_export_create(const char *name, const char *dir,
					    const char *clients,
					    const char *opts, char *why,
					    size_t whylen)
{
	struct dfs_export *exp;
	struct super_block *sb;
	const char *bad;
	char *copy;
	int err;

	if (!dfs_export_name_ok(name)) {
		snprintf(why, whylen, "the name must be / or /NAME, not \"%s\"",
			 name);
		return ERR_PTR(-EINVAL);
	}
	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return ERR_PTR(-ENOMEM);
	refcount_set(&exp->ref, 1);
	dfs_export_rules_default(&exp->rules);
	exp->name = kstrdup(name, GFP_KERNEL);
	exp->path = kstrdup(dir, GFP_KERNEL);
	exp->clients = kstrdup(clients, GFP_KERNEL);
	copy = kstrdup(opts, GFP_KERNEL);
	err = -ENOMEM;
	if (!exp->name || !exp->path || !exp->clients || !copy)
		goto err_free;

	err = dfs_export_parse_opts(copy, &exp->rules, &bad);
	if (err) {
		snprintf(why, whylen, "options: cannot use \"%s\"", bad);
		goto err_free;
	}
	kfree(copy);
	copy = kstrdup(clients, GFP_KERNEL);
	err = -ENOMEM;
	if (!copy)
		goto err_free;
	err = dfs_export_parse_clients(copy, &exp->rules, &bad);
	if (err) {
		if (bad)
			snprintf(why, whylen, "clients: cannot use \"%s\"", bad);
		else
			snprintf(why, whylen, "clients: the list is empty");
		goto err_free;
	}
	kfree(copy);
	copy = NULL;

	err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &exp->root);
	if (err) {
		snprintf(why, whylen, "%s: not a directory (error %d)", dir,
			 err);
		err = -EINVAL;
		goto err_free;
	}
	sb = exp->root.dentry->d_sb;
	if (!exportfs_can_decode_fh(sb->s_export_op)) {
		snprintf(why, whylen, "%s: %s cannot be exported (no file handles)",
			 dir, sb->s_type->name);
		err = -EINVAL;
		goto err_path;
	}
	exp->id = ((u64)new_encode_dev(sb->s_dev) << 32) ^
		  d_inode(exp->root.dentry)->i_ino;
	return exp;

err_path:
	path_put(&exp->root);
err_free:
	if (err == -ENOMEM)
		snprintf(why, whylen, "out of memory");
	kfree(copy);
	kfree(exp->clients);
	kfree(exp->path);
	kfree(exp->name);
	kfree(exp);
	return ERR_PTR(err);
}

/**
 * dfs_export_set() - export a directory, or replace the export of that name
 * @name: where clients see it: "/" or "/NAME"
 * @dir: the directory
 * @clients: its client list (see dfs_export_parse_clients())
 * @opts: its exports(5) options (see dfs_export_parse_opts())
 * @why: on failure, filled with the reason, for the administrator
 * @whylen: bytes in @why
 *
 * A replaced export's handles stay valid when the directory is the same
 * (the id is the directory's); requests that start afterwards follow the
 * new rules, those running finish with the old.
 *
 * Return: 0; -EINVAL for something that cannot be parsed or exported;
 * -EEXIST when @dir is exported under another name; -ENOSPC beyond
 * DFS_MAX_EXPORTS exports; -ENOMEM.
 */
int dfs_export_set(const char *name, const char *dir, const char *clients,
		   const char *opts, char *why, size_t whylen)
{
	struct dfs_export *exp, *old, *other;
	int bkt, err = 0;

	exp = dfs_export_create(name, dir, clients, opts, why, whylen);
	if (IS_ERR(exp))
		return PTR_ERR(exp);

	mutex_lock(&dfs_exports_lock);
	old = dfs_export_find_name_locked(name);
	hash_for_each(dfs_exports, bkt, other, node) {
		if (other == old)
			continue;
		if (other->id == exp->id) {
			snprintf(why, whylen, "%s is already exported as %s",
				 dir, other->name);
			err = -EEXIST;
			goto out_unlock;
		}
		/*
		 * An export inside another (or around it) would let the outer
		 * one's rules and handles reach the inner one's files.
		 */
		if (dfs_export_overlap(exp, other)) {
			snprintf(why, whylen, "%s overlaps %s (exported as %s)",
				 dir, other->path, other->name);
			err = -EEXIST;
			goto out_unlock;
		}
	}
	if (!old && dfs_nexports == DFS_MAX_EXPORTS) {
		snprintf(why, whylen, "there are %d exports already, the most",
			 DFS_MAX_EXPORTS);
		err = -ENOSPC;
		goto out_unlock;
	}
	/*
	 * The same directory keeps its id, so the new export takes the old
	 * one's place in its bucket: a lookup by id running meanwhile finds
	 * one of them, never neither (the client would see its handles go
	 * stale).
	 */
	if (old && old->id == exp->id) {
		hlist_replace_rcu(&old->node, &exp->node);
	} else {
		hash_add_rcu(dfs_exports, &exp->node, exp->id);
		if (old)
			hash_del_rcu(&old->node);
		else
			dfs_nexports++;
	}
	dfs_exports_gen++;
	exp = old;	/* the table's reference to drop */
out_unlock:
	mutex_unlock(&dfs_exports_lock);
	dfs_export_put(exp);
	return err;
}

/**
 * dfs_export_remove() - remove the export clients see at @name
 * @name: "/" or "/NAME"
 *
 * Its handles go stale at once (requests running finish); no file and no
 * open state is touched.
 *
 * Return: 0, or -ENOENT when there is no such export.
 */
int dfs_export_remove(const char *name)
{
	struct dfs_export *exp;

	mutex_lock(&dfs_exports_lock);
	exp = dfs_export_find_name_locked(name);
	if (exp) {
		hash_del_rcu(&exp->node);
		dfs_nexports--;
		dfs_exports_gen++;
	}
	mutex_unlock(&dfs_exports_lock);
	if (!exp)
		return -ENOENT;
	dfs_export_put(exp);
	return 0;
}

/**
 * dfs_export_walk() - call @fn for the exports, in table order
 * @skip: exports to skip first (a dump's cursor)
 * @fn: called with dfs_exports_lock held; a non-zero return stops the walk
 * @arg: for @fn
 * @gen: set to the table's generation, which every change moves (so that
 *	a dump in several parts can tell it was interrupted); may be NULL
 *
 * Return: how many exports @fn accepted (returned 0 for) after @skip.
 */
unsigned int dfs_export_walk(unsigned int skip,
			     int (*fn)(const struct dfs_export *, void *),
			     void *arg, u32 *gen)
{
	struct dfs_export *exp;
	unsigned int n = 0, i = 0;
	int bkt;

	mutex_lock(&dfs_exports_lock);
	if (gen)
		*gen = dfs_exports_gen;
	hash_for_each(dfs_exports, bkt, exp, node) {
		if (i++ < skip)
			continue;
		if (fn(exp, arg))
			break;
		n++;
	}
	mutex_unlock(&dfs_exports_lock);
	return n;
}

/**
 * dfs_export_init() - the export the module parameters describe
 *
 * Return: 0, or -EINVAL with the reason logged when "export" is missing,
 * not a directory, on a file system without exportable file handles, or
 * "export_clients" or "export_opts" cannot be parsed; -ENOMEM.
 */
int dfs_export_init(void)
{
	char why[128];
	int err;

	if (!dfs_export_path || !*dfs_export_path) {
		pr_err("no directory to serve: load with export=/path/to/dir\n");
		return -EINVAL;
	}
	err = dfs_export_set("/", dfs_export_path, dfs_export_clients ?: "",
			     dfs_export_opts ?: "", why, sizeof(why));
	if (err) {
		pr_err("export=%s: %s\n", dfs_export_path, why);
		return err;
	}
	pr_info("exporting %s to %s with %s\n", dfs_export_path,
		dfs_export_clients, dfs_export_opts);
	return 0;
}

/**
 * dfs_export_exit() - remove every export
 *
 * Called once no COMPOUND runs any more; waits for the exports to be
 * freed.
 */
void dfs_export_exit(void)
{
	struct dfs_export *exp;
	struct hlist_node *tmp;
	int bkt;

	mutex_lock(&dfs_exports_lock);
	hash_for_each_safe(dfs_exports, bkt, tmp, exp, node) {
		hash_del_rcu(&exp->node);
		dfs_export_put(exp);
	}
	dfs_nexports = 0;
	mutex_unlock(&dfs_exports_lock);
	rcu_barrier();
}
