// SPDX-License-Identifier: GPL-2.0
/*
 * nfsload: a raw NFSv4.1 load generator for the DittoFS benchmarks.
 *
 * One process, one epoll loop, many TCP connections to 127.0.0.1.  Every
 * connection carries many outstanding RPCs (record marking, AUTH_SYS),
 * matched to their senders by xid.  Each sender is an "agent", a small
 * state machine with at most one call in flight:
 *
 *   churn    EXCHANGE_ID, CREATE_SESSION, DESTROY_SESSION, DESTROY_CLIENTID,
 *            again with a new owner; counts cycles
 *   seq      one slot of a session: SEQUENCE (or SEQUENCE+PUTROOTFH+
 *            GETATTR) with seqid+1 as soon as the reply arrives
 *   setup    EXCHANGE_ID + CREATE_SESSION for a share of N idle clients,
 *            recording the slots each CREATE_SESSION granted
 *   flood    EXCHANGE_ID with a new owner, never confirmed, again at once
 *
 * usage: nfsload [-p PORT] [-c CONNS] [-d SECS] MODE
 *   churn                      session churn for -d seconds
 *   seq | getattr              COMPOUND rate, every granted slot in flight
 *   mem N                      N idle clients, one session each; slab and
 *                              meminfo deltas per client, slots granted
 *   reap N LEASE KIND          N clients left to expire; polls the server's
 *                              client count (KIND knfsd or dittofs) to zero
 *   idle N                     N clients with a 1-slot session, left alive
 *   flood N [PATH]             N EXCHANGE_IDs of new owners on one
 *                              connection, 64 in flight; peak slab growth;
 *                              with PATH, a thread stats PATH (on a noac
 *                              mount) meanwhile and reports its latency
 *   pressure N                 N sessions, every granted slot sending
 *                              cachethis SEQUENCE + 7 x (PUTROOTFH, GETATTR)
 *                              for -d seconds; every answer counted, and
 *                              the peak of dittofs's reply-cache budget
 * Results are printed as one JSON object on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xdr.h"

#define OP_GETATTR		9
#define OP_PUTROOTFH		24
#define OP_EXCHANGE_ID		42
#define OP_CREATE_SESSION	43
#define OP_DESTROY_SESSION	44
#define OP_SEQUENCE		53
#define OP_DESTROY_CLIENTID	57

#define MAX_CONNS	64
#define MAX_MSG		4096
#define RBUF_SIZE	(1 << 20)
#define WBUF_SIZE	(1 << 20)
#define AGENT_BITS	20		/* xid = counter << AGENT_BITS | agent */
#define NFS4ERR_DELAY	10008
#define PRESSURE_PAIRS	7		/* PUTROOTFH, GETATTR pairs */

enum mode { M_CHURN, M_SEQ, M_GETATTR, M_MEM, M_REAP, M_IDLE, M_FLOOD,
	    M_PRESSURE };
enum step { S_EXID, S_CS, S_DS, S_DC, S_SEQ, S_DONE };

struct conn {
	int fd;
	unsigned char *rbuf, *wbuf;
	size_t rlen, wlen, woff;
	int want_out;
};

struct agent {
	struct conn *c;
	uint32_t xid, gen;
	enum step step;
	uint64_t clientid;
	uint32_t csseq;
	unsigned char sid[16];
	uint32_t slot, seqid, highest;
	unsigned long todo;		/* setup: clients still to make */
	unsigned long cycles;
	unsigned int fore, back;	/* setup: last grant */
};

static enum mode mode;
static int port = 2049, nconns = 1, epfd;
static double duration = 5;
static struct conn conns[MAX_CONNS];
static struct agent *agents;
static unsigned int nagents;
static unsigned long done_ops, errors, inflight, nfinished;
static unsigned long last_status;
static unsigned int req_fore = 64, req_back = 8, req_cached = 4096;
static unsigned int *grant_fore, *grant_back;
static unsigned long ngrants, refused;
static double t_last_grant;
static unsigned int uniq;
static int until_finished, draining;
/* flood: EXCHANGE_IDs still to send and what came back */
static unsigned long flood_left, flood_ok, flood_delay;
/* pressure: each granted session and the outcomes */
static unsigned char (*grant_sid)[16];
static unsigned long press_answers, press_delay, press_other;
/* sampled by run() every 250 ms when set */
static void (*on_tick)(void);

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "nfsload: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* XDR encoding into a bounded buffer. */
struct xbuf {
	unsigned char *p;
	size_t len, cap;
};

static void put32(struct xbuf *b, uint32_t v)
{
	if (b->len + 4 > b->cap) {
		fprintf(stderr, "nfsload: message too big\n");
		exit(1);
	}
	v = htonl(v);
	memcpy(b->p + b->len, &v, 4);
	b->len += 4;
}

static void put64(struct xbuf *b, uint64_t v)
{
	put32(b, v >> 32);
	put32(b, (uint32_t)v);
}

static void putopaque(struct xbuf *b, const void *d, uint32_t n, int counted)
{
	if (counted)
		put32(b, n);
	if (b->len + ((n + 3) & ~3u) > b->cap) {
		fprintf(stderr, "nfsload: message too big\n");
		exit(1);
	}
	memcpy(b->p + b->len, d, n);
	memset(b->p + b->len + n, 0, ((n + 3) & ~3u) - n);
	b->len += (n + 3) & ~3u;
}

/* RPC call header and COMPOUND header; returns the numops position. */
static void rpc_header(struct xbuf *b, uint32_t xid, unsigned int nops)
{
	static const char machine[] = "nfsload";

	put32(b, 0);			/* record mark, filled in by queue */
	put32(b, xid);
	put32(b, 0);			/* CALL */
	put32(b, 2);			/* RPC version */
	put32(b, 100003);		/* NFS */
	put32(b, 4);
	put32(b, 1);			/* COMPOUND */
	put32(b, 1);			/* AUTH_SYS */
	put32(b, 4 + 4 + 8 + 4 + 4 + 4);
	put32(b, 0);			/* stamp */
	putopaque(b, machine, sizeof(machine) - 1, 1);
	put32(b, 0);			/* uid */
	put32(b, 0);			/* gid */
	put32(b, 0);			/* gids */
	put32(b, 0);			/* verifier AUTH_NONE */
	put32(b, 0);
	put32(b, 0);			/* tag */
	put32(b, 1);			/* minor version */
	put32(b, nops);
}

static void channel_attrs(struct xbuf *b, uint32_t size, uint32_t cached,
			  uint32_t ops, uint32_t slots)
{
	put32(b, 0);			/* header padding */
	put32(b, size);
	put32(b, size);
	put32(b, cached);
	put32(b, ops);
	put32(b, slots);
	put32(b, 0);			/* no rdma_ird */
}

static void conn_queue(struct conn *c, struct xbuf *b)
{
	uint32_t mark = htonl(0x80000000u | (uint32_t)(b->len - 4));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT,
				  .data.ptr = c };

	memcpy(b->p, &mark, 4);
	if (c->wlen + b->len > WBUF_SIZE) {
		fprintf(stderr, "nfsload: send buffer full\n");
		exit(1);
	}
	memcpy(c->wbuf + c->wlen, b->p, b->len);
	c->wlen += b->len;
	if (!c->want_out) {
		c->want_out = 1;
		if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev))
			die("epoll_ctl");
	}
}

static void agent_send(struct agent *a)
{
	unsigned char msg[MAX_MSG];
	struct xbuf b = { msg, 0, sizeof(msg) };
	char owner[64];
	int n;

	a->gen++;
	a->xid = (a->gen << AGENT_BITS) | (uint32_t)(a - agents);
	switch (a->step) {
	case S_EXID:
		if (mode == M_FLOOD) {
			if (!flood_left) {
				a->step = S_DONE;
				nfinished++;
				return;
			}
			flood_left--;
		}
		n = snprintf(owner, sizeof(owner), "nfsload-%d-%u-%u",
			     (int)getpid(), (unsigned int)(a - agents), uniq++);
		rpc_header(&b, a->xid, 1);
		put32(&b, OP_EXCHANGE_ID);
		put64(&b, 0x6e66736c6f616421ull);	/* verifier */
		putopaque(&b, owner, n, 1);
		put32(&b, 0);				/* flags */
		put32(&b, 0);				/* SP4_NONE */
		put32(&b, 0);				/* no impl id */
		break;
	case S_CS:
		rpc_header(&b, a->xid, 1);
		put32(&b, OP_CREATE_SESSION);
		put64(&b, a->clientid);
		put32(&b, a->csseq);
		put32(&b, 0);				/* flags */
		channel_attrs(&b, 1 << 20, req_cached, 16, req_fore);
		channel_attrs(&b, 4096, 0, 2, req_back);
		put32(&b, 0x40000000);			/* cb program */
		put32(&b, 1);				/* one sec parm: */
		put32(&b, 0);				/* AUTH_NONE */
		break;
	case S_DS:
		rpc_header(&b, a->xid, 1);
		put32(&b, OP_DESTROY_SESSION);
		putopaque(&b, a->sid, 16, 0);
		break;
	case S_DC:
		rpc_header(&b, a->xid, 1);
		put32(&b, OP_DESTROY_CLIENTID);
		put64(&b, a->clientid);
		break;
	case S_SEQ: {
		unsigned int pairs = mode == M_GETATTR ? 1 :
				     mode == M_PRESSURE ? PRESSURE_PAIRS : 0;
		unsigned int k;

		rpc_header(&b, a->xid, 1 + 2 * pairs);
		put32(&b, OP_SEQUENCE);
		putopaque(&b, a->sid, 16, 0);
		put32(&b, a->seqid);
		put32(&b, a->slot);
		put32(&b, a->highest);
		put32(&b, mode == M_PRESSURE);		/* cachethis */
		for (k = 0; k < pairs; k++) {
			put32(&b, OP_PUTROOTFH);
			put32(&b, OP_GETATTR);
			put32(&b, 2);
			/* type change size fsid fileid */
			put32(&b, 1u << 1 | 1u << 3 | 1u << 4 | 1u << 8 |
				  1u << 20);
			/* mode numlinks owner group used atime ctime mtime */
			put32(&b, 1u << 1 | 1u << 3 | 1u << 4 | 1u << 5 |
				  1u << 13 | 1u << 15 | 1u << 20 | 1u << 21);
		}
		break;
	}
	case S_DONE:
		return;
	}
	inflight++;
	conn_queue(a->c, &b);
}

/* The channel_attrs4 of a CREATE_SESSION reply; returns ca_maxrequests. */
static uint32_t get_channel_attrs(struct xdec *d)
{
	uint32_t slots, nird;

	get32(d);
	get32(d);
	get32(d);
	get32(d);
	get32(d);
	slots = get32(d);
	nird = get32(d);
	if (nird > 1)
		d->bad = 1;
	else if (nird)
		get32(d);
	return slots;
}

static void reply_error(struct agent *a, uint32_t status)
{
	errors++;
	last_status = status;
	if (errors <= 5)
		fprintf(stderr, "nfsload: agent %u step %d: status %u\n",
			(unsigned int)(a - agents), a->step, status);
}

/* One reply for agent a: advance its state machine, send its next call. */
static void agent_reply(struct agent *a, struct xdec *d)
{
	uint32_t status, n, status1 = 0;

	inflight--;
	if (get32(d) != 1 || get32(d) != 0)	/* REPLY, MSG_ACCEPTED */
		goto bad;
	get32(d);				/* verifier */
	skip(d, get32(d));
	if (get32(d) != 0)			/* SUCCESS */
		goto bad;
	status = get32(d);
	skip(d, get32(d));			/* tag */
	n = get32(d);
	if (n) {
		get32(d);			/* opnum */
		status1 = get32(d);		/* the first op's status */
	}
	if (d->bad)
		goto bad;
	if (mode == M_FLOOD) {
		if (!status)
			flood_ok++;
		else if (status == NFS4ERR_DELAY)
			flood_delay++;
		else
			reply_error(a, status);
		goto resend;			/* the next new owner */
	}
	if (mode == M_PRESSURE && (a->step == S_SEQ || a->step == S_DONE)) {
		/* Every answer counted; the slot goes on with the next one. */
		press_answers++;
		if (n && !status1) {
			a->seqid++;
			if (!status)
				done_ops++;
		}
		if (n && status1 == NFS4ERR_DELAY)
			press_delay++;
		else if (status)
			press_other++;
		if (status)
			reply_error(a, status);
		goto resend;
	}
	if (status) {
		reply_error(a, status);
		if (a->step == S_SEQ && n && !status1)
			a->seqid++;	/* SEQUENCE succeeded, a later op failed */
		if (mode == M_CHURN || mode == M_MEM || mode == M_REAP ||
		    mode == M_IDLE) {
			if (mode != M_CHURN && status == 10008 /* DELAY */) {
				/* The server takes no more clients: stop here. */
				refused++;
				a->step = S_DONE;
				nfinished++;
				return;
			}
			if (errors - refused > 100) {
				fprintf(stderr, "nfsload: too many errors\n");
				exit(1);
			}
			a->step = S_EXID;	/* start a fresh client */
		}
		goto resend;
	}
	if (n < 1)
		goto bad;
	switch (a->step) {
	case S_EXID:
		a->clientid = get64(d);
		a->csseq = get32(d);
		a->step = S_CS;
		break;
	case S_CS:
		getfixed(d, a->sid, 16);
		get32(d);			/* sequence */
		get32(d);			/* flags */
		a->fore = get_channel_attrs(d);
		a->back = get_channel_attrs(d);
		if (d->bad)
			goto bad;
		if (mode == M_CHURN) {
			a->step = S_DS;
			break;
		}
		grant_fore[ngrants] = a->fore;
		grant_back[ngrants] = a->back;
		if (grant_sid)
			memcpy(grant_sid[ngrants], a->sid, 16);
		ngrants++;
		t_last_grant = now();
		done_ops++;
		if (--a->todo) {
			a->step = S_EXID;
		} else {
			a->step = S_DONE;
			nfinished++;
		}
		break;
	case S_DS:
		a->step = S_DC;
		break;
	case S_DC:
		a->cycles++;
		done_ops++;
		a->step = S_EXID;
		break;
	case S_SEQ:
		a->seqid++;
		done_ops++;
		break;
	case S_DONE:
		break;
	}
resend:
	agent_send(a);
	return;
bad:
	fprintf(stderr, "nfsload: malformed reply (agent %u)\n",
		(unsigned int)(a - agents));
	exit(1);
}

static void conn_open(struct conn *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	int one = 1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		die("socket");
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(c->fd, F_SETFL, O_NONBLOCK);
	c->rbuf = malloc(RBUF_SIZE);
	c->wbuf = malloc(WBUF_SIZE);
	if (!c->rbuf || !c->wbuf)
		die("malloc");
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev))
		die("epoll_ctl");
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->rbuf);
	free(c->wbuf);
	c->fd = -1;
}

static void conn_write(struct conn *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	ssize_t n;

	while (c->woff < c->wlen) {
		n = write(c->fd, c->wbuf + c->woff, c->wlen - c->woff);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			die("write");
		c->woff += n;
	}
	c->woff = c->wlen = 0;
	c->want_out = 0;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev))
		die("epoll_ctl");
}

static void conn_read(struct conn *c)
{
	size_t off = 0;
	ssize_t n;

	n = read(c->fd, c->rbuf + c->rlen, RBUF_SIZE - c->rlen);
	if (n == 0) {
		fprintf(stderr, "nfsload: server closed the connection\n");
		exit(1);
	}
	if (n < 0) {
		if (errno == EAGAIN)
			return;
		die("read");
	}
	c->rlen += n;
	/* Replies are single-fragment records in practice; insist on it. */
	while (c->rlen - off >= 4) {
		uint32_t mark, len, xid;
		struct xdec d;
		unsigned int idx;

		memcpy(&mark, c->rbuf + off, 4);
		mark = ntohl(mark);
		len = mark & 0x7fffffff;
		if (!(mark & 0x80000000u) || len > RBUF_SIZE - 4) {
			fprintf(stderr, "nfsload: bad record mark %08x\n", mark);
			exit(1);
		}
		if (c->rlen - off < 4 + len)
			break;
		d = (struct xdec){ c->rbuf + off + 4, len, 0, 0 };
		xid = get32(&d);
		idx = xid & ((1u << AGENT_BITS) - 1);
		if (idx >= nagents || agents[idx].xid != xid) {
			fprintf(stderr, "nfsload: unexpected xid %08x\n", xid);
			exit(1);
		}
		agent_reply(&agents[idx], &d);
		off += 4 + len;
	}
	memmove(c->rbuf, c->rbuf + off, c->rlen - off);
	c->rlen -= off;
}

/* Run the loop until the deadline, or until every setup agent is done. */
static void run(double deadline)
{
	struct epoll_event ev[64];
	double next_tick = 0;
	int i, n;

	while (now() < deadline) {
		if (on_tick && now() >= next_tick) {
			on_tick();
			next_tick = now() + 0.25;
		}
		if (until_finished && nfinished == nagents)
			return;
		if (draining && !inflight)
			return;
		n = epoll_wait(epfd, ev, 64, 100);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (i = 0; i < n; i++) {
			struct conn *c = ev[i].data.ptr;

			if (ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				conn_read(c);
			if (ev[i].events & EPOLLOUT)
				conn_write(c);
		}
	}
}

/* Wait for every call in flight (bounded), without sending new ones. */
static void drain(void)
{
	unsigned int i;

	for (i = 0; i < nagents; i++)
		agents[i].step = S_DONE;
	draining = 1;
	run(now() + 10);
	draining = 0;
}

/* Create a client with a session on each connection, synchronously. */
static void make_sessions(void)
{
	unsigned int i;

	for (i = 0; i < (unsigned int)nconns; i++) {
		agents[i] = (struct agent){ .c = &conns[i], .step = S_EXID,
					    .todo = 1 };
		agent_send(&agents[i]);
	}
	nagents = nconns;
	until_finished = 1;
	run(now() + 30);
	until_finished = 0;
	if (nfinished != (unsigned long)nconns) {
		fprintf(stderr, "nfsload: session setup failed\n");
		exit(1);
	}
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* Memory snapshots: meminfo fields and per-cache slab bytes. */
#define MAX_CACHES	512
struct memsnap {
	long memfree, slab, sunreclaim, percpu;	/* KiB */
	unsigned int ncaches;
	char name[MAX_CACHES][64];
	long bytes[MAX_CACHES];
	long slabtotal;
};

static void mem_snapshot(struct memsnap *s)
{
	char line[512], name[64];
	long active, objs, size;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen("/proc/meminfo", "r");
	if (!f)
		die("/proc/meminfo");
	/* Each line matches at most one of the fields. */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemFree: %ld", &s->memfree) == 1 ||
		    sscanf(line, "Slab: %ld", &s->slab) == 1 ||
		    sscanf(line, "SUnreclaim: %ld", &s->sunreclaim) == 1 ||
		    sscanf(line, "Percpu: %ld", &s->percpu) == 1)
			continue;
	}
	fclose(f);
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		die("/proc/slabinfo");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &objs,
			   &size) != 4 || name[0] == '#')
			continue;
		if (s->ncaches < MAX_CACHES) {
			snprintf(s->name[s->ncaches], 64, "%s", name);
			s->bytes[s->ncaches++] = objs * size;
		}
		s->slabtotal += objs * size;
	}
	fclose(f);
}

/* The largest slab cache growths, for the profile (stderr). */
static void mem_top(const struct memsnap *a, const struct memsnap *b,
		    unsigned long n)
{
	unsigned int i, j, k, used[MAX_CACHES] = { 0 };

	for (k = 0; k < 6; k++) {
		long best = 0;
		int bi = -1;

		for (i = 0; i < b->ncaches; i++) {
			long d = b->bytes[i];

			for (j = 0; j < a->ncaches; j++)
				if (!strcmp(a->name[j], b->name[i]))
					d -= a->bytes[j];
			if (!used[i] && d > best) {
				best = d;
				bi = i;
			}
		}
		if (bi < 0)
			break;
		used[bi] = 1;
		fprintf(stderr, "nfsload: slab %-24s +%ld bytes/client\n",
			b->name[bi], best / (long)n);
	}
}

/*
 * The server's client count: knfsd's clients directory or our debugfs.
 * With courtesy set, count only knfsd clients whose info says "courtesy"
 * (lease expired, kept until memory is short or a conflict arises).
 */
static long client_count(const char *kind, int courtesy)
{
	long n = 0;

	if (!strcmp(kind, "knfsd")) {
		DIR *dir = opendir("/proc/fs/nfsd/clients");
		struct dirent *de;
		char p[300], line[256];

		if (!dir)
			return -1;
		while ((de = readdir(dir))) {
			FILE *f;

			if (de->d_name[0] == '.')
				continue;
			if (!courtesy) {
				n++;
				continue;
			}
			snprintf(p, sizeof(p), "/proc/fs/nfsd/clients/%s/info",
				 de->d_name);
			f = fopen(p, "r");
			while (f && fgets(line, sizeof(line), f))
				if (strstr(line, "status: courtesy"))
					n++;
			if (f)
				fclose(f);
		}
		closedir(dir);
	} else {
		FILE *f = fopen("/sys/kernel/debug/dittofs/state", "r");
		char line[128];

		if (!f || courtesy)
			return f ? (fclose(f), 0) : -1;
		n = -1;
		while (fgets(line, sizeof(line), f))
			sscanf(line, "clients %ld", &n);
		fclose(f);
	}
	return n;
}

/* Spread n clients over the connections, 64 setup agents per connection. */
static void setup_clients(unsigned long n)
{
	unsigned int per = 64, i;

	nagents = nconns * per;
	if (nagents > n)
		nagents = n;
	for (i = 0; i < nagents; i++)
		agents[i] = (struct agent){ .c = &conns[i % nconns],
					    .step = S_EXID,
					    .todo = n / nagents +
						    (i < n % nagents) };
	for (i = 0; i < nagents; i++)
		agent_send(&agents[i]);
	until_finished = 1;
	run(now() + 600);
	until_finished = 0;
	if (nfinished != nagents) {
		fprintf(stderr, "nfsload: setup incomplete: %lu of %lu\n",
			ngrants, n);
		exit(1);
	}
	if (refused)
		fprintf(stderr, "nfsload: %lu of %lu clients made; %lu agents "
			"stopped on NFS4ERR_DELAY\n", ngrants, n, refused);
}

static void grants_json(unsigned long n)
{
	unsigned long full = 0, one = 0, i;

	for (i = 0; i < n; i++) {
		full += grant_fore[i] >= req_fore;
		one += grant_fore[i] == 1;
	}
	qsort(grant_fore, n, sizeof(*grant_fore), cmp_uint);
	qsort(grant_back, n, sizeof(*grant_back), cmp_uint);
	printf("\"fore_requested\": %u, \"fore_min\": %u, \"fore_median\": %u, "
	       "\"fore_max\": %u, \"sessions_full\": %lu, \"sessions_one_slot\": %lu, "
	       "\"back_median\": %u",
	       req_fore, grant_fore[0], grant_fore[n / 2], grant_fore[n - 1],
	       full, one, grant_back[n / 2]);
}

/* flood: the peak slab total seen by the ticks. */
static struct memsnap *flood_snap;
static long slab_peak;

static void flood_tick(void)
{
	mem_snapshot(flood_snap);
	if (flood_snap->slabtotal > slab_peak)
		slab_peak = flood_snap->slabtotal;
}

/* flood PATH: stat() latencies of a mounted client, from a thread. */
#define STAT_MAX	(1 << 20)
static const char *stat_path;
static double *stat_ms;
static unsigned long stat_n, stat_failed;
static int stat_stop;		/* __atomic: the main thread sets it */

static void *stat_thread(void *arg)
{
	struct stat st;
	double t;

	(void)arg;
	while (!__atomic_load_n(&stat_stop, __ATOMIC_RELAXED) &&
	       stat_n < STAT_MAX) {
		t = now();
		if (stat(stat_path, &st))
			stat_failed++;
		stat_ms[stat_n++] = (now() - t) * 1e3;
		usleep(20000);
	}
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* pressure: the peak of dittofs's budget, from its debugfs state. */
static long long budget_peak = -1, replies_now = -1;

static void pressure_tick(void)
{
	FILE *f = fopen("/sys/kernel/debug/dittofs/state", "r");
	char line[128];
	long long v;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "budget_used %lld", &v) == 1 &&
		    v > budget_peak)
			budget_peak = v;
		else if (sscanf(line, "replies_cached %lld", &v) == 1)
			replies_now = v;
	}
	fclose(f);
}

static long long read_param(const char *name)
{
	char p[128];
	long long v = -1;
	FILE *f;

	snprintf(p, sizeof(p), "/sys/module/dittofs/parameters/%s", name);
	f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nfsload [-p PORT] [-c CONNS] [-d SECS] [-s FORE] [-b BACK]\n"
		"               [-C CACHED] churn|seq|getattr|mem N|reap N LEASE KIND|idle N|\n"
		"               flood N [PATH]|pressure N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long n = 0, i;
	struct memsnap *m0, *m1;
	double t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "p:c:d:s:b:C:")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'c':
			nconns = atoi(optarg);
			break;
		case 'd':
			duration = atof(optarg);
			break;
		case 's':
			req_fore = atoi(optarg);
			break;
		case 'b':
			req_back = atoi(optarg);
			break;
		case 'C':
			req_cached = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || nconns < 1 || nconns > MAX_CONNS)
		usage();
	if (!strcmp(argv[optind], "churn"))
		mode = M_CHURN;
	else if (!strcmp(argv[optind], "seq"))
		mode = M_SEQ;
	else if (!strcmp(argv[optind], "getattr"))
		mode = M_GETATTR;
	else if (!strcmp(argv[optind], "mem") && optind + 1 < argc)
		mode = M_MEM;
	else if (!strcmp(argv[optind], "reap") && optind + 3 < argc)
		mode = M_REAP;
	else if (!strcmp(argv[optind], "idle") && optind + 1 < argc)
		mode = M_IDLE;
	else if (!strcmp(argv[optind], "flood") && optind + 1 < argc)
		mode = M_FLOOD;
	else if (!strcmp(argv[optind], "pressure") && optind + 1 < argc)
		mode = M_PRESSURE;
	else
		usage();
	if (optind + 1 < argc)
		n = strtoul(argv[optind + 1], NULL, 0);

	agents = calloc(1u << 16, sizeof(*agents));
	grant_fore = calloc(n + MAX_CONNS, sizeof(*grant_fore));
	grant_back = calloc(n + MAX_CONNS, sizeof(*grant_back));
	m0 = malloc(sizeof(*m0));
	m1 = malloc(sizeof(*m1));
	if (!agents || !grant_fore || !grant_back || !m0 || !m1)
		die("calloc");
	if (mode == M_PRESSURE) {
		grant_sid = calloc(n + MAX_CONNS, sizeof(*grant_sid));
		if (!grant_sid)
			die("calloc");
	}
	epfd = epoll_create1(0);
	if (epfd < 0)
		die("epoll_create1");
	for (i = 0; i < (unsigned long)nconns; i++)
		conn_open(&conns[i]);

	switch (mode) {
	case M_CHURN:
		/* 16 independent clients in flight per connection. */
		nagents = nconns * 16;
		for (i = 0; i < nagents; i++) {
			agents[i] = (struct agent){ .c = &conns[i % nconns],
						    .step = S_EXID };
			agent_send(&agents[i]);
		}
		run(now() + 1);			/* warm up */
		done_ops = 0;
		t0 = now();
		run(t0 + duration);
		t1 = now();
		printf("{\"mode\": \"churn\", \"conns\": %d, \"cycles_per_s\": %.1f, "
		       "\"errors\": %lu}\n", nconns, done_ops / (t1 - t0), errors);
		drain();
		break;
	case M_SEQ:
	case M_GETATTR: {
		unsigned int c, s, k = nconns;

		make_sessions();
		/* One agent per granted slot of each connection's session. */
		for (c = 0; c < (unsigned int)nconns; c++) {
			struct agent *sa = &agents[c];

			for (s = 0; s < sa->fore; s++) {
				agents[k] = *sa;
				agents[k].step = S_SEQ;
				agents[k].slot = s;
				agents[k].seqid = 1;
				agents[k].highest = sa->fore - 1;
				agents[k].gen = 0;
				k++;
			}
		}
		memmove(agents, agents + nconns, (k - nconns) * sizeof(*agents));
		nagents = k - nconns;
		for (i = 0; i < nagents; i++)
			agent_send(&agents[i]);
		run(now() + 1);
		done_ops = 0;
		t0 = now();
		run(t0 + duration);
		t1 = now();
		printf("{\"mode\": \"%s\", \"conns\": %d, \"slots\": %u, "
		       "\"compounds_per_s\": %.1f, \"errors\": %lu}\n",
		       mode == M_SEQ ? "seq" : "getattr", nconns, nagents,
		       done_ops / (t1 - t0), errors);
		drain();
		break;
	}
	case M_MEM:
		sync();
		sleep(1);
		mem_snapshot(m0);
		setup_clients(n);
		sleep(2);
		mem_snapshot(m1);
		if (!ngrants)
			return 1;
		printf("{\"mode\": \"mem\", \"clients_asked\": %lu, "
		       "\"clients\": %lu, \"slab_bytes_per_client\": %.0f, "
		       "\"used_bytes_per_client\": %.0f, ", n, ngrants,
		       (double)(m1->slabtotal - m0->slabtotal) / ngrants,
		       (m0->memfree - m1->memfree) * 1024.0 / ngrants);
		grants_json(ngrants);
		printf(", \"refused_delay\": %lu, \"errors\": %lu}\n",
		       refused, errors);
		mem_top(m0, m1, ngrants);
		break;
	case M_REAP: {
		long lease = strtol(argv[optind + 2], NULL, 0), base, cnt;
		const char *kind = argv[optind + 3];
		double due, t_zero = 0, deadline;

		base = client_count(kind, 0);
		if (base < 0) {
			fprintf(stderr, "nfsload: cannot count %s clients\n",
				kind);
			return 1;
		}
		t0 = now();
		setup_clients(n);
		for (i = 0; i < (unsigned long)nconns; i++)
			conn_close(&conns[i]);
		due = t_last_grant + lease;
		deadline = due + lease + 20;
		cnt = client_count(kind, 0);
		while (now() < deadline) {
			cnt = client_count(kind, 0);
			if (cnt <= base) {
				t_zero = now();
				break;
			}
			usleep(20000);
		}
		printf("{\"mode\": \"reap\", \"clients\": %lu, \"lease\": %ld, "
		       "\"setup_s\": %.2f, \"waited_s_after_last_expiry\": %.1f, "
		       "\"left\": %ld, \"left_courtesy\": %ld, "
		       "\"reaped_s_after_last_expiry\": ", ngrants, lease,
		       t_last_grant - t0, now() - due, cnt - base,
		       t_zero ? 0 : client_count(kind, 1));
		if (t_zero)
			printf("%.2f", t_zero - due);
		else
			printf("null");
		printf(", \"errors\": %lu}\n", errors);
		return 0;
	}
	case M_FLOOD: {
		pthread_t th;
		double med = 0, p99 = 0, max = 0;

		stat_path = optind + 2 < argc ? argv[optind + 2] : NULL;
		flood_snap = malloc(sizeof(*flood_snap));
		stat_ms = calloc(STAT_MAX, sizeof(*stat_ms));
		if (!flood_snap || !stat_ms)
			die("malloc");
		mem_snapshot(m0);
		slab_peak = m0->slabtotal;
		if (stat_path && pthread_create(&th, NULL, stat_thread, NULL))
			die("pthread_create");
		flood_left = n;
		nagents = 64;
		for (i = 0; i < nagents; i++)
			agents[i] = (struct agent){ .c = &conns[i % nconns],
						    .step = S_EXID };
		on_tick = flood_tick;
		t0 = now();
		for (i = 0; i < nagents; i++)
			agent_send(&agents[i]);
		until_finished = 1;
		run(t0 + 3600);
		t1 = now();
		flood_tick();
		on_tick = NULL;
		__atomic_store_n(&stat_stop, 1, __ATOMIC_RELAXED);
		if (stat_path)
			pthread_join(th, NULL);
		if (stat_n) {
			qsort(stat_ms, stat_n, sizeof(*stat_ms), cmp_double);
			med = stat_ms[stat_n / 2];
			p99 = stat_ms[stat_n * 99 / 100];
			max = stat_ms[stat_n - 1];
		}
		printf("{\"mode\": \"flood\", \"sent\": %lu, \"ok\": %lu, "
		       "\"delay\": %lu, \"errors\": %lu, \"unanswered\": %lu, "
		       "\"exchange_ids_per_s\": %.1f, "
		       "\"slab_peak_growth_bytes\": %ld, \"stat_n\": %lu, "
		       "\"stat_failed\": %lu, \"stat_median_ms\": %.2f, "
		       "\"stat_p99_ms\": %.2f, \"stat_max_ms\": %.2f}\n",
		       n - flood_left, flood_ok, flood_delay, errors, inflight,
		       (flood_ok + flood_delay) / (t1 - t0),
		       slab_peak - m0->slabtotal, stat_n, stat_failed, med, p99,
		       max);
		return inflight || errors || stat_failed ? 1 : 0;
	}
	case M_PRESSURE: {
		unsigned int g, sl, k = 0;
		unsigned long answered;

		setup_clients(n);
		/* One agent per granted slot of every session. */
		for (g = 0; g < ngrants; g++) {
			for (sl = 0; sl < grant_fore[g] && k < (1u << 16);
			     sl++) {
				agents[k] = (struct agent){
					.c = &conns[g % nconns],
					.step = S_SEQ, .slot = sl, .seqid = 1,
					.highest = grant_fore[g] - 1 };
				memcpy(agents[k].sid, grant_sid[g], 16);
				k++;
			}
		}
		nagents = k;
		errors = 0;
		on_tick = pressure_tick;
		pressure_tick();
		done_ops = 0;
		t0 = now();
		for (i = 0; i < nagents; i++)
			agent_send(&agents[i]);
		run(t0 + duration);
		t1 = now();
		drain();
		pressure_tick();
		on_tick = NULL;
		answered = press_answers;
		printf("{\"mode\": \"pressure\", \"sessions\": %lu, "
		       "\"slots\": %u, \"ok\": %lu, \"delay\": %lu, "
		       "\"other_errors\": %lu, \"unanswered\": %lu, "
		       "\"answered\": %lu, \"compounds_per_s\": %.1f, "
		       "\"budget_peak_bytes\": %lld, "
		       "\"budget_limit_bytes\": %lld, "
		       "\"replies_cached\": %lld}\n",
		       ngrants, nagents, done_ops, press_delay, press_other,
		       inflight, answered, done_ops / (t1 - t0), budget_peak,
		       read_param("max_reply_cache_mb") << 20, replies_now);
		return inflight || press_other ? 1 : 0;
	}
	case M_IDLE:
		t0 = now();
		setup_clients(n);
		printf("{\"mode\": \"idle\", \"clients\": %lu, \"setup_s\": %.2f, "
		       "\"errors\": %lu}\n", n, now() - t0, errors);
		break;
	}
	return errors > refused && mode != M_CHURN && mode != M_SEQ &&
	       mode != M_GETATTR ? 1 : 0;
}
