// SPDX-License-Identifier: GPL-2.0
/*
 * dfsctl: administer the DittoFS NFSv4.1 server over generic netlink.
 *
 * Every level takes --help; every command takes --json.  Exit status: 0
 * success, 1 error (said in words on stderr), 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/uapi/linux/dittofs.h"
#include "nl.h"
#include "print.h"
#include "stats.h"

struct cmd {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *args;
	const char *help;
	bool own_help;	/* the handler answers --help itself */
};

static bool json;
static bool prometheus;
static const char *prog = "dfsctl";

static int usage_of(const struct cmd *cmds, const char *path, FILE *out,
		    int status)
{
	const struct cmd *c;

	fprintf(out, "usage: %s%s%s COMMAND [--json] [ARGS...]\n\ncommands:\n",
		prog, *path ? " " : "", path);
	for (c = cmds; c->name; c++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%s%s", c->name,
			 *c->args ? " " : "", c->args);
		fprintf(out, "  %-36s %s\n", left, c->help);
	}
	fprintf(out, "\n\"%s%s%s COMMAND --help\" describes one command.\n",
		prog, *path ? " " : "", path);
	return status;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dfsctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see \"dfsctl --help\")\n");
	return EXIT_USAGE;
}

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "help");
}

static int dispatch(const struct cmd *cmds, const char *path, int argc,
		    char **argv)
{
	const struct cmd *c;

	if (argc < 1)
		return usage_of(cmds, path, stderr, EXIT_USAGE);
	if (is_help(argv[0]))
		return usage_of(cmds, path, stdout, EXIT_OK);
	for (c = cmds; c->name; c++) {
		if (strcmp(c->name, argv[0]))
			continue;
		if (argc > 1 && is_help(argv[1]) && !c->own_help) {
			printf("usage: %s%s%s %s%s%s [--json]\n\n%s\n", prog,
			       *path ? " " : "", path, c->name,
			       *c->args ? " " : "", c->args, c->help);
			return EXIT_OK;
		}
		return c->handler(argc - 1, argv + 1);
	}
	fprintf(stderr, "dfsctl: unknown command \"%s%s%s\"\n", path,
		*path ? " " : "", argv[0]);
	usage_of(cmds, path, stderr, 0);
	return EXIT_USAGE;
}

/* IDs are hexadecimal, with or without 0x, in and out. */
static int parse_clientid(const char *s, uint64_t *id)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*id = strtoull(s, &end, 16);
	if (errno || *end || *s == '-' || *s == '+')
		return -1;
	return 0;
}

static int parse_sessionid(const char *s, uint8_t *sid)
{
	int i;

	if (!strncmp(s, "0x", 2))
		s += 2;
	if (strlen(s) != 2 * DITTOFS_SESSIONID_LEN)
		return -1;
	for (i = 0; i < DITTOFS_SESSIONID_LEN; i++) {
		unsigned int b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1 ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return -1;
		sid[i] = b;
	}
	return 0;
}

static int need_args(int argc, int n, const char *what)
{
	if (argc != n) {
		fprintf(stderr, "dfsctl: %s\n(see \"dfsctl --help\")\n", what);
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- clients ---- */

static const struct pr_col client_cols[] = {
	{ "id", "CLIENT", PR_STR },
	{ "address", "ADDRESS", PR_STR },
	{ "confirmed", "CONFIRMED", PR_STR },
	{ "lease_left", "LEASE-LEFT", PR_NUM },
	{ "lease", "LEASE", PR_NUM },
	{ "sessions", "SESSIONS", PR_NUM },
	{ "uid", "UID", PR_NUM },
	{ "owner", "OWNER", PR_STR },
};

static void owner_text(const struct nlattr *a, char *buf, size_t size)
{
	const unsigned char *p = nla_data((struct nlattr *)a);
	int i, n = nla_len((struct nlattr *)a);
	size_t o = 0;

	/* Printable owners as text, others as hex; never interpreted. */
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '"' || p[i] == '\\')
			break;
	if (i == n) {
		snprintf(buf, size, "%.*s", n, (const char *)p);
		return;
	}
	for (i = 0; i < n && o + 3 < size; i++)
		o += snprintf(buf + o, size - o, "%02x", p[i]);
}

static int client_row(struct nlattr **tb, void *arg)
{
	struct pr_table *t = arg;
	char addr[INET6_ADDRSTRLEN + 16] = "", owner[2100] = "";
	char ip[INET6_ADDRSTRLEN];
	unsigned int port = 0;

	if (!tb[DITTOFS_A_CLIENT_ID])
		return 0;
	if (tb[DITTOFS_A_CLIENT_PORT])
		port = ntohs(nla_get_u16(tb[DITTOFS_A_CLIENT_PORT]));
	if (tb[DITTOFS_A_CLIENT_ADDR4] &&
	    inet_ntop(AF_INET, nla_data(tb[DITTOFS_A_CLIENT_ADDR4]), ip,
		      sizeof(ip)))
		snprintf(addr, sizeof(addr), "%s:%u", ip, port);
	else if (tb[DITTOFS_A_CLIENT_ADDR6] &&
		 nla_len(tb[DITTOFS_A_CLIENT_ADDR6]) == 16 &&
		 inet_ntop(AF_INET6, nla_data(tb[DITTOFS_A_CLIENT_ADDR6]), ip,
			   sizeof(ip)))
		snprintf(addr, sizeof(addr), "[%s]:%u", ip, port);
	if (tb[DITTOFS_A_CLIENT_OWNER])
		owner_text(tb[DITTOFS_A_CLIENT_OWNER], owner, sizeof(owner));

	pr_row(t);
	pr_cell(t, "%016" PRIx64, dfs_nla_uint(tb[DITTOFS_A_CLIENT_ID]));
	pr_cell(t, "%s", addr);
	pr_cell(t, "%s", tb[DITTOFS_A_CLIENT_CONFIRMED] ? "yes" : "no");
	pr_cell(t, "%" PRId64, tb[DITTOFS_A_CLIENT_LEASE_LEFT] ?
		dfs_nla_sint(tb[DITTOFS_A_CLIENT_LEASE_LEFT]) : 0);
	pr_cell(t, "%" PRIu64, tb[DITTOFS_A_CLIENT_LEASE_TIME] ?
		(uint64_t)nla_get_u32(tb[DITTOFS_A_CLIENT_LEASE_TIME]) : 0);
	pr_cell(t, "%" PRIu64, tb[DITTOFS_A_CLIENT_SESSION_COUNT] ?
		(uint64_t)nla_get_u32(tb[DITTOFS_A_CLIENT_SESSION_COUNT]) : 0);
	pr_cell(t, "%" PRIu64, tb[DITTOFS_A_CLIENT_AUTH_UID] ?
		(uint64_t)nla_get_u32(tb[DITTOFS_A_CLIENT_AUTH_UID]) : 0);
	pr_cell(t, "%s", owner);
	return 0;
}

static int finish_table(struct pr_table *t, int err, int intr)
{
	if (!err)
		pr_table_print(t, stdout, json);
	pr_table_free(t);
	if (!err && intr)
		fprintf(stderr,
			"dfsctl: the list changed while it was read; it may be incomplete\n");
	return err ? EXIT_ERR : EXIT_OK;
}

static int cmd_client_list(int argc, char **argv)
{
	struct pr_table *t;
	struct dfs_nl *nl;
	int err, intr = 0;

	(void)argv;
	if (need_args(argc, 0, "client list takes no arguments"))
		return EXIT_USAGE;
	nl = dfs_nl_open();
	t = pr_table_new(client_cols, 8);
	err = dfs_nl_run(nl, dfs_nl_msg(nl, DITTOFS_CMD_CLIENT_GET, 1),
			 DITTOFS_A_CLIENT_MAX, client_row, t, "client list",
			 &intr);
	dfs_nl_close(nl);
	return finish_table(t, err, intr);
}

static int cmd_client_show(int argc, char **argv)
{
	struct pr_table *t;
	struct dfs_nl *nl;
	struct nl_msg *msg;
	uint64_t id;
	int err;

	if (need_args(argc, 1, "usage: dfsctl client show CLIENT"))
		return EXIT_USAGE;
	if (parse_clientid(argv[0], &id))
		return usage_error("\"%s\" is not a client id (hexadecimal)",
				   argv[0]);
	nl = dfs_nl_open();
	msg = dfs_nl_msg(nl, DITTOFS_CMD_CLIENT_GET, 0);
	dfs_nla_put_uint(msg, DITTOFS_A_CLIENT_ID, id);
	t = pr_table_new(client_cols, 8);
	err = dfs_nl_run(nl, msg, DITTOFS_A_CLIENT_MAX, client_row, t,
			 "client show", NULL);
	dfs_nl_close(nl);
	return finish_table(t, err, 0);
}

static int cmd_client_evict(int argc, char **argv)
{
	struct dfs_nl *nl;
	struct nl_msg *msg;
	uint64_t id;
	int err;

	if (need_args(argc, 1, "usage: dfsctl client evict CLIENT"))
		return EXIT_USAGE;
	if (parse_clientid(argv[0], &id))
		return usage_error("\"%s\" is not a client id (hexadecimal)",
				   argv[0]);
	nl = dfs_nl_open();
	msg = dfs_nl_msg(nl, DITTOFS_CMD_CLIENT_EVICT, 0);
	dfs_nla_put_uint(msg, DITTOFS_A_CLIENT_ID, id);
	err = dfs_nl_run(nl, msg, DITTOFS_A_CLIENT_MAX, NULL, NULL,
			 "client evict", NULL);
	dfs_nl_close(nl);
	if (!err && json)
		printf("{\"evicted\": \"%016" PRIx64 "\"}\n", id);
	return err ? EXIT_ERR : EXIT_OK;
}

/* ---- sessions ---- */

static const struct pr_col session_cols[] = {
	{ "id", "SESSION", PR_STR },
	{ "client", "CLIENT", PR_STR },
	{ "age", "AGE", PR_NUM },
	{ "fore_slots", "FORE", PR_NUM },
	{ "back_slots", "BACK", PR_NUM },
	{ "max_ops", "OPS", PR_NUM },
	{ "in_use", "IN-USE", PR_NUM },
	{ "highest_used", "HIGHEST", PR_NUM },
	{ "fore_conns", "CONNS", PR_NUM },
	{ "back_conns", "BC-CONNS", PR_NUM },
	{ "replay_hits", "REPLAYS", PR_NUM },
	{ "delays", "DELAYS", PR_NUM },
	{ "misordered", "MISORDERED", PR_NUM },
	{ "target_slot", "TARGET", PR_NUM },
	{ "client_highest", "CLIENT-HIGHEST", PR_NUM },
	{ "uncached", "UNCACHED", PR_NUM },
	{ "cached_bytes", "CACHED-B", PR_NUM },
};

static uint64_t u(struct nlattr *a)
{
	return a ? dfs_nla_uint(a) : 0;
}

static uint64_t chan(struct nlattr *nest, int type)
{
	struct nlattr *tb[DITTOFS_A_CHANNEL_MAX + 1];

	if (!nest || nla_parse_nested(tb, DITTOFS_A_CHANNEL_MAX, nest, NULL) ||
	    !tb[type])
		return 0;
	return nla_get_u32(tb[type]);
}

static void hex(const struct nlattr *a, char *buf)
{
	const unsigned char *p = nla_data((struct nlattr *)a);
	int i;

	buf[0] = 0;
	for (i = 0; i < nla_len((struct nlattr *)a) && i < 32; i++)
		sprintf(buf + 2 * i, "%02x", p[i]);
}

static int session_row(struct nlattr **tb, void *arg)
{
	struct pr_table *t = arg;
	char sid[65];

	if (!tb[DITTOFS_A_SESSION_ID])
		return 0;
	hex(tb[DITTOFS_A_SESSION_ID], sid);
	pr_row(t);
	pr_cell(t, "%s", sid);
	pr_cell(t, "%016" PRIx64, u(tb[DITTOFS_A_SESSION_CLIENT_ID]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_AGE]));
	pr_cell(t, "%" PRIu64, chan(tb[DITTOFS_A_SESSION_FORE],
				    DITTOFS_A_CHANNEL_MAX_REQUESTS));
	pr_cell(t, "%" PRIu64, chan(tb[DITTOFS_A_SESSION_BACK],
				    DITTOFS_A_CHANNEL_MAX_REQUESTS));
	pr_cell(t, "%" PRIu64, chan(tb[DITTOFS_A_SESSION_FORE],
				    DITTOFS_A_CHANNEL_MAX_OPS));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_SLOTS_IN_USE]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_HIGHEST_USED]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_FORE_CONNS]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_BACK_CONNS]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_REPLAY_HITS]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_DELAYS]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_MISORDERED]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_TARGET_SLOT]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_CLIENT_HIGHEST]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_UNCACHED]));
	pr_cell(t, "%" PRIu64, u(tb[DITTOFS_A_SESSION_CACHED_BYTES]));
	return 0;
}

static int cmd_sessions_list(int argc, char **argv)
{
	struct pr_table *t;
	struct dfs_nl *nl;
	struct nl_msg *msg;
	int err, intr = 0;
	uint64_t id = 0;

	if (argc > 1)
		return need_args(argc, 1,
				 "usage: dfsctl client sessions list [CLIENT]");
	if (argc == 1 && parse_clientid(argv[0], &id))
		return usage_error("\"%s\" is not a client id (hexadecimal)",
				   argv[0]);
	nl = dfs_nl_open();
	msg = dfs_nl_msg(nl, DITTOFS_CMD_SESSION_GET, 1);
	if (argc == 1)
		dfs_nla_put_uint(msg, DITTOFS_A_SESSION_CLIENT_ID, id);
	t = pr_table_new(session_cols, 17);
	err = dfs_nl_run(nl, msg, DITTOFS_A_SESSION_MAX, session_row, t,
			 "client sessions list", &intr);
	dfs_nl_close(nl);
	return finish_table(t, err, intr);
}

static int cmd_sessions_destroy(int argc, char **argv)
{
	uint8_t sid[DITTOFS_SESSIONID_LEN];
	struct dfs_nl *nl;
	struct nl_msg *msg;
	uint64_t id;
	int err;

	if (need_args(argc, 2,
		      "usage: dfsctl client sessions destroy CLIENT SESSION"))
		return EXIT_USAGE;
	if (parse_clientid(argv[0], &id))
		return usage_error("\"%s\" is not a client id (hexadecimal)",
				   argv[0]);
	if (parse_sessionid(argv[1], sid))
		return usage_error("\"%s\" is not a session id (32 hex digits)",
				   argv[1]);
	nl = dfs_nl_open();
	msg = dfs_nl_msg(nl, DITTOFS_CMD_SESSION_DESTROY, 0);
	nla_put(msg, DITTOFS_A_SESSION_ID, sizeof(sid), sid);
	dfs_nla_put_uint(msg, DITTOFS_A_SESSION_CLIENT_ID, id);
	err = dfs_nl_run(nl, msg, DITTOFS_A_SESSION_MAX, NULL, NULL,
			 "client sessions destroy", NULL);
	dfs_nl_close(nl);
	if (!err && json)
		printf("{\"destroyed\": \"%s\"}\n", argv[1]);
	return err ? EXIT_ERR : EXIT_OK;
}

static const struct cmd session_cmds[] = {
	{ "list", cmd_sessions_list, "[CLIENT]",
	  "list the sessions of CLIENT (of every client without it)" },
	{ "destroy", cmd_sessions_destroy, "CLIENT SESSION",
	  "destroy a session now (needs CAP_NET_ADMIN)" },
	{ NULL, NULL, NULL, NULL, false },
};

static int cmd_client_sessions(int argc, char **argv)
{
	return dispatch(session_cmds, "client sessions", argc, argv);
}

static const struct cmd client_cmds[] = {
	{ "list", cmd_client_list, "", "list clients" },
	{ "show", cmd_client_show, "CLIENT", "show one client" },
	{ "sessions", cmd_client_sessions, "list|destroy ...",
	  "list or destroy a client's sessions", true },
	{ "evict", cmd_client_evict, "CLIENT",
	  "expire a client and its sessions now (needs CAP_NET_ADMIN)" },
	{ NULL, NULL, NULL, NULL, false },
};

static int cmd_client(int argc, char **argv)
{
	return dispatch(client_cmds, "client", argc, argv);
}

/* ---- metrics ---- */

static void counters(struct nlattr *nest, struct dfs_counters *c)
{
	struct nlattr *tb[DITTOFS_A_COUNTER_MAX + 1];

	if (nla_parse_nested(tb, DITTOFS_A_COUNTER_MAX, nest, NULL) ||
	    !tb[DITTOFS_A_COUNTER_KEY] || !tb[DITTOFS_A_COUNTER_VALUE])
		return;
	dfs_counters_set(c, nla_get_u32(tb[DITTOFS_A_COUNTER_KEY]),
			 dfs_nla_uint(tb[DITTOFS_A_COUNTER_VALUE]));
}

static int stats_msg(struct nlattr **tb, void *arg)
{
	struct dfs_stats *st = arg;
	struct nlattr *a;
	int rem;

	st->sessions_created = u(tb[DITTOFS_A_STATS_SESSIONS_CREATED]);
	st->sessions_active = u(tb[DITTOFS_A_STATS_SESSIONS_ACTIVE]);
	st->clients_created = u(tb[DITTOFS_A_STATS_CLIENTS_CREATED]);
	st->clients_active = u(tb[DITTOFS_A_STATS_CLIENTS_ACTIVE]);
	st->conns_unvalidated = u(tb[DITTOFS_A_STATS_CONNS_UNVALIDATED]);
	st->clients_refused = u(tb[DITTOFS_A_STATS_CLIENTS_REFUSED]);
	st->stateids_active = u(tb[DITTOFS_A_STATS_STATEIDS_ACTIVE]);
	st->locks_active = u(tb[DITTOFS_A_STATS_LOCKS_ACTIVE]);
	st->budget_used = u(tb[DITTOFS_A_STATS_BUDGET_USED]);
	st->budget_limit = u(tb[DITTOFS_A_STATS_BUDGET_LIMIT]);
	st->budget_clients = u(tb[DITTOFS_A_STATS_BUDGET_CLIENTS]);
	st->replies_cached = u(tb[DITTOFS_A_STATS_REPLIES_CACHED]);
	/* The counter lists are multi-attr: walk the whole message. */
	nla_for_each_attr(a, dfs_nl_last_attrs, dfs_nl_last_len, rem) {
		switch (nla_type(a)) {
		case DITTOFS_A_STATS_SESSIONS_DESTROYED:
			counters(a, &st->destroyed);
			break;
		case DITTOFS_A_STATS_LIFETIME:
			counters(a, &st->lifetime);
			break;
		case DITTOFS_A_STATS_SEQUENCE:
			counters(a, &st->sequence);
			break;
		case DITTOFS_A_STATS_OPERATIONS:
			counters(a, &st->operations);
			break;
		}
	}
	return 0;
}

static const struct cmd metrics_help[] = {
	{ "metrics", NULL, "[--prometheus]",
	  "show the counters; --prometheus in the Prometheus text format" },
	{ NULL, NULL, NULL, NULL, false },
};

static int cmd_metrics(int argc, char **argv)
{
	struct dfs_stats st;
	struct dfs_nl *nl;
	int err, i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--prometheus"))
			prometheus = true;
		else if (is_help(argv[i]))
			return usage_of(metrics_help, "", stdout, EXIT_OK);
		else
			return usage_error("metrics: unknown argument \"%s\"",
					   argv[i]);
	}
	if (prometheus && json)
		return usage_error("%s", "--prometheus and --json exclude each other");
	memset(&st, 0, sizeof(st));
	nl = dfs_nl_open();
	err = dfs_nl_run(nl, dfs_nl_msg(nl, DITTOFS_CMD_STATS_GET, 0),
			 DITTOFS_A_STATS_MAX, stats_msg, &st, "metrics", NULL);
	dfs_nl_close(nl);
	if (err)
		return EXIT_ERR;
	if (prometheus)
		dfs_stats_prometheus(&st, stdout);
	else
		dfs_stats_print(&st, stdout, json);
	return EXIT_OK;
}

/* ---- settings ---- */

/*
 * The kernel's ranges (fs/dittofs/limits.c; the admin test checks that
 * the kernel accepts each bound and refuses one past it) and when a new
 * value takes effect.
 */
static const struct {
	const char *key;
	int attr;
	uint32_t min, max;
	const char *applies;
} settings[] = {
	{ "fore-slots", DITTOFS_A_SETTINGS_FORE_SLOTS, 1, 1024,
	  "new sessions" },
	{ "back-slots", DITTOFS_A_SETTINGS_BACK_SLOTS, 1, 1024,
	  "new sessions" },
	{ "sessions-per-client", DITTOFS_A_SETTINGS_SESSIONS_PER_CLIENT,
	  1, 1024, "next CREATE_SESSION" },
	{ "lease-time", DITTOFS_A_SETTINGS_LEASE_TIME, 10, 3600,
	  "new clients" },
	{ "max-ops", DITTOFS_A_SETTINGS_MAX_OPS, 8, 4096, "new sessions" },
	{ "max-cached-reply", DITTOFS_A_SETTINGS_MAX_CACHED_REPLY,
	  72, 1048576, "new sessions" },
	{ "reply-cache-mb", DITTOFS_A_SETTINGS_REPLY_CACHE_MB, 1, 65536,
	  "next charge" },
	{ "max-clients", DITTOFS_A_SETTINGS_MAX_CLIENTS, 16, 16777216,
	  "next EXCHANGE_ID" },
	{ "max-stateids", DITTOFS_A_SETTINGS_MAX_STATEIDS, 64, 67108864,
	  "next OPEN or LOCK" },
	{ "max-locks", DITTOFS_A_SETTINGS_MAX_LOCKS, 64, 67108864,
	  "next LOCK" },
};

#define NSETTINGS ((int)ARRAY_SIZE(settings))

static const struct pr_col settings_cols[] = {
	{ "key", "SETTING", PR_STR },
	{ "value", "VALUE", PR_NUM },
	{ "range", "RANGE", PR_STR },
	{ "applies", "APPLIES-TO", PR_STR },
};

/* --json keeps one flat object of values, for scripts. */
static int settings_msg(struct nlattr **tb, void *arg)
{
	struct pr_table *t = arg;
	int i;

	if (json)
		pr_rec_begin(stdout, json);
	for (i = 0; i < NSETTINGS; i++) {
		if (!tb[settings[i].attr])
			continue;
		if (json) {
			pr_rec_unum(settings[i].key,
				    nla_get_u32(tb[settings[i].attr]));
			continue;
		}
		pr_row(t);
		pr_cell(t, "%s", settings[i].key);
		pr_cell(t, "%u", nla_get_u32(tb[settings[i].attr]));
		pr_cell(t, "%u-%u", settings[i].min, settings[i].max);
		pr_cell(t, "%s", settings[i].applies);
	}
	if (json)
		pr_rec_end();
	return 0;
}

static int settings_get(void)
{
	struct dfs_nl *nl = dfs_nl_open();
	struct pr_table *t = pr_table_new(settings_cols, 4);
	int err;

	err = dfs_nl_run(nl, dfs_nl_msg(nl, DITTOFS_CMD_SETTINGS_GET, 0),
			 DITTOFS_A_SETTINGS_MAX, settings_msg, t,
			 "settings get", NULL);
	dfs_nl_close(nl);
	if (!err && !json)
		pr_table_print(t, stdout, false);
	pr_table_free(t);
	return err ? EXIT_ERR : EXIT_OK;
}

static int settings_set(int argc, char **argv)
{
	uint32_t vals[NSETTINGS];
	bool set[NSETTINGS] = { false };
	struct dfs_nl *nl;
	struct nl_msg *msg;
	int i, j, err;

	if (argc < 1)
		return usage_error("%s", "settings set needs KEY=VALUE");
	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *end;
		unsigned long long v;
		size_t klen;

		if (!eq)
			return usage_error("\"%s\" is not KEY=VALUE", argv[i]);
		klen = eq - argv[i];
		for (j = 0; j < NSETTINGS; j++) {
			const char *k = settings[j].key;
			size_t c;

			if (strlen(k) != klen)
				continue;
			for (c = 0; c < klen; c++)
				if (argv[i][c] != k[c] &&
				    !(argv[i][c] == '_' && k[c] == '-'))
					break;
			if (c == klen)
				break;
		}
		if (j == NSETTINGS)
			return usage_error("unknown setting in \"%s\"", argv[i]);
		errno = 0;
		v = strtoull(eq + 1, &end, 10);
		if (!eq[1] || *end || errno || v > UINT32_MAX || eq[1] == '-')
			return usage_error("\"%s\" needs a number from 0 to 4294967295",
					   argv[i]);
		vals[j] = v;
		set[j] = true;
	}
	nl = dfs_nl_open();
	msg = dfs_nl_msg(nl, DITTOFS_CMD_SETTINGS_SET, 0);
	for (j = 0; j < NSETTINGS; j++)
		if (set[j])
			nla_put_u32(msg, settings[j].attr, vals[j]);
	err = dfs_nl_run(nl, msg, DITTOFS_A_SETTINGS_MAX, NULL, NULL,
			 "settings set", NULL);
	dfs_nl_close(nl);
	if (err)
		return EXIT_ERR;
	return settings_get();
}

static int cmd_settings(int argc, char **argv)
{
	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "get")))
		return settings_get();
	if (is_help(argv[0])) {
		printf("usage: dfsctl settings [get] [--json]\n"
		       "       dfsctl settings set KEY=VALUE... [--json]\n\n"
		       "Show or set the limits.  A new value never changes existing\n"
		       "clients or sessions; it applies to what APPLIES-TO says.\n"
		       "Setting needs CAP_NET_ADMIN and is all or nothing.\n\n"
		       "keys (range, applies to):\n");
		for (int i = 0; i < NSETTINGS; i++)
			printf("  %-20s %u-%u, %s\n", settings[i].key,
			       settings[i].min, settings[i].max,
			       settings[i].applies);
		return EXIT_OK;
	}
	if (!strcmp(argv[0], "set"))
		return settings_set(argc - 1, argv + 1);
	return usage_error("settings: unknown argument \"%s\"", argv[0]);
}

/* ---- monitor ---- */

struct monitor {
	long left;	/* events to print, or -1 */
};

static int monitor_msg(struct nlattr **tb, void *arg)
{
	struct monitor *m = arg;
	bool created = dfs_nl_last_cmd == DITTOFS_CMD_SESSION_CREATED_NTF;
	char sid[65] = "";
	uint64_t client = u(tb[DITTOFS_A_SESSION_CLIENT_ID]);

	if (dfs_nl_last_cmd != DITTOFS_CMD_SESSION_CREATED_NTF &&
	    dfs_nl_last_cmd != DITTOFS_CMD_SESSION_DESTROYED_NTF)
		return 0;
	if (tb[DITTOFS_A_SESSION_ID])
		hex(tb[DITTOFS_A_SESSION_ID], sid);
	if (json) {
		printf("{\"event\": \"%s\", \"session\": \"%s\", \"client\": \"%016" PRIx64 "\"",
		       created ? "session-created" : "session-destroyed", sid,
		       client);
		if (!created)
			printf(", \"reason\": \"%s\", \"lifetime\": %" PRIu64,
			       dfs_reason_name(u(tb[DITTOFS_A_SESSION_REASON])),
			       u(tb[DITTOFS_A_SESSION_AGE]));
		printf("}\n");
	} else if (created) {
		printf("session-created session=%s client=%016" PRIx64 "\n",
		       sid, client);
	} else {
		printf("session-destroyed session=%s client=%016" PRIx64
		       " reason=%s lifetime=%" PRIu64 "s\n", sid, client,
		       dfs_reason_name(u(tb[DITTOFS_A_SESSION_REASON])),
		       u(tb[DITTOFS_A_SESSION_AGE]));
	}
	fflush(stdout);
	if (m->left > 0 && --m->left == 0)
		return 1;
	return 0;
}

static int cmd_monitor(int argc, char **argv)
{
	struct monitor m = { .left = -1 };
	struct dfs_nl *nl;
	char *end;
	int err;

	if (argc == 1 && is_help(argv[0])) {
		printf("usage: dfsctl monitor [--count N] [--json]\n\n"
		       "Print one line per session event (created, destroyed with the\n"
		       "reason) until interrupted, or until N events.\n");
		return EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[0], "--count")) {
		m.left = strtol(argv[1], &end, 10);
		if (*end || m.left <= 0)
			return usage_error("--count needs a positive number, not \"%s\"",
					   argv[1]);
	} else if (argc) {
		return usage_error("monitor: unknown argument \"%s\"", argv[0]);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	nl = dfs_nl_open();
	err = dfs_nl_monitor(nl, DITTOFS_A_SESSION_MAX, monitor_msg, &m);
	dfs_nl_close(nl);
	return err ? EXIT_ERR : EXIT_OK;
}

/* ---- exports ---- */

static const struct pr_col export_cols[] = {
	{ "name", "NAME", PR_STR },
	{ "path", "PATH", PR_STR },
	{ "clients", "CLIENTS", PR_STR },
	{ "options", "OPTIONS", PR_STR },
	{ "id", "ID", PR_STR },
};

static const char *str(struct nlattr *a)
{
	return a ? nla_get_string(a) : "";
}

static int export_row(struct nlattr **tb, void *arg)
{
	struct pr_table *t = arg;

	if (!tb[DITTOFS_A_EXPORT_NAME])
		return 0;
	pr_row(t);
	pr_cell(t, "%s", str(tb[DITTOFS_A_EXPORT_NAME]));
	pr_cell(t, "%s", str(tb[DITTOFS_A_EXPORT_PATH]));
	pr_cell(t, "%s", str(tb[DITTOFS_A_EXPORT_CLIENTS]));
	pr_cell(t, "%s", str(tb[DITTOFS_A_EXPORT_OPTIONS]));
	pr_cell(t, "%016" PRIx64, u(tb[DITTOFS_A_EXPORT_ID]));
	return 0;
}

static int export_get(const char *name)
{
	struct pr_table *t;
	struct dfs_nl *nl;
	struct nl_msg *msg;
	int err, intr = 0;

	nl = dfs_nl_open();
	msg = dfs_nl_msg(nl, DITTOFS_CMD_EXPORT_GET, !name);
	if (name)
		nla_put_string(msg, DITTOFS_A_EXPORT_NAME, name);
	t = pr_table_new(export_cols, 5);
	err = dfs_nl_run(nl, msg, DITTOFS_A_EXPORT_MAX, export_row, t,
			 name ? "export show" : "export list", &intr);
	dfs_nl_close(nl);
	return finish_table(t, err, intr);
}

static int cmd_export_list(int argc, char **argv)
{
	(void)argv;
	if (need_args(argc, 0, "export list takes no arguments"))
		return EXIT_USAGE;
	return export_get(NULL);
}

static int cmd_export_show(int argc, char **argv)
{
	if (need_args(argc, 1, "usage: dfsctl export show NAME"))
		return EXIT_USAGE;
	return export_get(argv[0]);
}

/*
 * One export as exports(5) would write it: NAME PATH [CLIENTS[(OPTIONS)]].
 * CLIENTS may be one word with commas; OPTIONS in parentheses after it.
 * Returns NULL, or what is wrong.
 */
static const char *export_parse(int argc, char **argv, char **clients,
				char **options)
{
	char *open, *close;

	*clients = NULL;
	*options = NULL;
	if (argc < 2)
		return "needs a name and a directory";
	if (argc > 3)
		return "takes NAME PATH [CLIENTS[(OPTIONS)]]";
	if (argv[0][0] != '/')
		return "the name must start with /";
	if (argc == 2)
		return NULL;
	*clients = argv[2];
	open = strchr(argv[2], '(');
	if (!open)
		return NULL;
	close = strchr(open, ')');
	if (!close || close[1])
		return "the options must end with )";
	*open = '\0';
	*close = '\0';
	*options = open + 1;
	return NULL;
}

static int export_add(struct dfs_nl *nl, char *name, char *path,
		      char *clients, char *options, const char *what)
{
	struct nl_msg *msg = dfs_nl_msg(nl, DITTOFS_CMD_EXPORT_ADD, 0);

	nla_put_string(msg, DITTOFS_A_EXPORT_NAME, name);
	nla_put_string(msg, DITTOFS_A_EXPORT_PATH, path);
	if (clients && *clients)
		nla_put_string(msg, DITTOFS_A_EXPORT_CLIENTS, clients);
	if (options)
		nla_put_string(msg, DITTOFS_A_EXPORT_OPTIONS, options);
	return dfs_nl_run(nl, msg, DITTOFS_A_EXPORT_MAX, NULL, NULL, what,
			  NULL);
}

static int cmd_export_add(int argc, char **argv)
{
	char *clients, *options;
	const char *bad;
	struct dfs_nl *nl;
	int err;

	bad = export_parse(argc, argv, &clients, &options);
	if (bad)
		return usage_error("export add %s", bad);
	nl = dfs_nl_open();
	err = export_add(nl, argv[0], argv[1], clients, options, "export add");
	dfs_nl_close(nl);
	if (!err && json)
		printf("{\"added\": \"%s\"}\n", argv[0]);
	return err ? EXIT_ERR : EXIT_OK;
}

static int export_remove(struct dfs_nl *nl, const char *name,
			 const char *what)
{
	struct nl_msg *msg = dfs_nl_msg(nl, DITTOFS_CMD_EXPORT_REMOVE, 0);

	nla_put_string(msg, DITTOFS_A_EXPORT_NAME, name);
	return dfs_nl_run(nl, msg, DITTOFS_A_EXPORT_MAX, NULL, NULL, what,
			  NULL);
}

static int cmd_export_remove(int argc, char **argv)
{
	struct dfs_nl *nl;
	int err;

	if (need_args(argc, 1, "usage: dfsctl export remove NAME"))
		return EXIT_USAGE;
	nl = dfs_nl_open();
	err = export_remove(nl, argv[0], "export remove");
	dfs_nl_close(nl);
	if (!err && json)
		printf("{\"removed\": \"%s\"}\n", argv[0]);
	return err ? EXIT_ERR : EXIT_OK;
}

#define LOAD_MAX	64	/* the kernel's DFS_MAX_EXPORTS */

/* An exports file, parsed. */
struct load_line {
	int lineno;
	char *word[3];
	int nwords;
	char *clients;
	char *options;
};

struct load_names {
	char *name[LOAD_MAX * 2];
	int n;
};

static int collect_name(struct nlattr **tb, void *arg)
{
	struct load_names *names = arg;

	char *name;

	if (!tb[DITTOFS_A_EXPORT_NAME] ||
	    names->n == (int)ARRAY_SIZE(names->name))
		return 0;
	name = strdup(nla_get_string(tb[DITTOFS_A_EXPORT_NAME]));
	if (!name) {
		fprintf(stderr, "dfsctl: out of memory\n");
		exit(EXIT_ERR);
	}
	names->name[names->n++] = name;
	return 0;
}

static int cmd_export_load(int argc, char **argv)
{
	static struct load_line lines[LOAD_MAX];
	struct load_names have = { .n = 0 };
	char buf[4096], what[4200];
	int i, j, n = 0, lineno = 0, err = 0;
	struct dfs_nl *nl;
	FILE *f;

	if (need_args(argc, 1, "usage: dfsctl export load FILE"))
		return EXIT_USAGE;
	f = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!f) {
		fprintf(stderr, "dfsctl: %s: %s\n", argv[0], strerror(errno));
		return EXIT_ERR;
	}
	/* Everything is checked before anything changes. */
	while (fgets(buf, sizeof(buf), f)) {
		struct load_line line, *l = &line;
		const char *bad;
		char *p, *save;

		lineno++;
		if (!strchr(buf, '\n') && !feof(f)) {
			fprintf(stderr, "dfsctl: %s:%d: the line is too long\n",
				argv[0], lineno);
			err = 1;
			break;
		}
		p = strchr(buf, '#');
		if (p)
			*p = '\0';
		l->nwords = 0;
		for (p = strtok_r(buf, " \t\r\n", &save); p;
		     p = strtok_r(NULL, " \t\r\n", &save)) {
			if (l->nwords == 3) {
				l->nwords = 4;
				break;
			}
			l->word[l->nwords++] = p;
		}
		if (!l->nwords)
			continue;
		if (n == LOAD_MAX) {
			fprintf(stderr, "dfsctl: %s:%d: more than %d exports\n",
				argv[0], lineno, LOAD_MAX);
			err = 1;
			break;
		}
		for (i = 0; i < l->nwords && i < 3; i++) {
			l->word[i] = strdup(l->word[i]);
			if (!l->word[i]) {
				fprintf(stderr, "dfsctl: out of memory\n");
				exit(EXIT_ERR);
			}
		}
		bad = export_parse(l->nwords, l->word, &l->clients,
				   &l->options);
		if (bad) {
			fprintf(stderr, "dfsctl: %s:%d: %s\n", argv[0], lineno,
				bad);
			err = 1;
			continue;
		}
		for (j = 0; j < n; j++) {
			if (!strcmp(lines[j].word[0], l->word[0])) {
				fprintf(stderr,
					"dfsctl: %s:%d: %s is already on line %d\n",
					argv[0], lineno, l->word[0],
					lines[j].lineno);
				err = 1;
			}
		}
		l->lineno = lineno;
		lines[n++] = line;
	}
	if (f != stdin)
		fclose(f);
	if (err)
		return EXIT_ERR;

	/*
	 * Remove what the file has not (so that a directory can move to a
	 * new name), then add or replace, in place, what it has.
	 */
	nl = dfs_nl_open();
	err = dfs_nl_run(nl, dfs_nl_msg(nl, DITTOFS_CMD_EXPORT_GET, 1),
			 DITTOFS_A_EXPORT_MAX, collect_name, &have,
			 "export load", NULL);
	for (i = 0; !err && i < have.n; i++) {
		for (j = 0; j < n; j++)
			if (!strcmp(have.name[i], lines[j].word[0]))
				break;
		if (j == n)
			err = export_remove(nl, have.name[i], "export load");
	}
	for (i = 0; !err && i < n; i++) {
		snprintf(what, sizeof(what), "%s:%d", argv[0], lines[i].lineno);
		err = export_add(nl, lines[i].word[0], lines[i].word[1],
				 lines[i].clients, lines[i].options, what);
	}
	dfs_nl_close(nl);
	if (!err && json)
		printf("{\"exports\": %d}\n", n);
	return err ? EXIT_ERR : EXIT_OK;
}

static const struct cmd export_cmds[] = {
	{ "list", cmd_export_list, "", "list the exports (needs CAP_NET_ADMIN)" },
	{ "show", cmd_export_show, "NAME", "show one export" },
	{ "add", cmd_export_add, "NAME PATH [CLIENTS[(OPTIONS)]]",
	  "export PATH at NAME, or change that export" },
	{ "remove", cmd_export_remove, "NAME",
	  "remove an export: its handles go stale at once" },
	{ "load", cmd_export_load, "FILE",
	  "make the exports those of FILE (exports(5)-like; - for stdin)" },
	{ NULL, NULL, NULL, NULL, false },
};

static int cmd_export(int argc, char **argv)
{
	return dispatch(export_cmds, "export", argc, argv);
}

static const struct cmd top_cmds[] = {
	{ "client", cmd_client, "list|show|sessions|evict ...",
	  "clients and their sessions (needs CAP_NET_ADMIN)", true },
	{ "export", cmd_export, "list|show|add|remove|load ...",
	  "what is exported, to whom, how (needs CAP_NET_ADMIN)", true },
	{ "metrics", cmd_metrics, "[--prometheus]", "show the counters", true },
	{ "settings", cmd_settings, "[get | set KEY=VALUE...]",
	  "show or set the limits", true },
	{ "monitor", cmd_monitor, "[--count N]",
	  "print session events as they happen (needs CAP_NET_ADMIN)",
	  true },
	{ NULL, NULL, NULL, NULL, false },
};

int main(int argc, char **argv)
{
	int i, n = 0;

	/* --json / -j may come anywhere. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json = true;
		else
			argv[++n] = argv[i];
	}
	argc = n + 1;
	argv[argc] = NULL;
	if (argc > 1 && (!strcmp(argv[1], "--version")))  {
		printf("dfsctl (DittoFS) %d\n", DITTOFS_FAMILY_VERSION);
		return EXIT_OK;
	}
	return dispatch(top_cmds, "", argc - 1, argv + 1);
}
