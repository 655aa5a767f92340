// SPDX-License-Identifier: GPL-2.0
/*
 * nfsstress: an SMP stress of the DittoFS session layer that checks every
 * reply.  It runs for a fixed amount of work, not for a time.
 *
 * One process per worker (one per CPU by default), each with SESSIONS
 * sessions (one client each) on two connections, sends ROUNDS rounds of
 * SEQUENCE on every granted slot.  Some requests are sent twice at once on
 * both connections, and some are retried after their reply.  Every reply
 * must name the right session, slot and seqid; a retry of a cached reply
 * must be byte-for-byte the first reply; two copies of an uncached request
 * must never both execute; at the end the server's replay count of each of
 * a worker's sessions (netlink session dump) must equal the replays the
 * worker saw, which catches a cached request executed twice.  A quarter of each worker's clients are
 * "victims": beside them run
 *
 *   churn    EXCHANGE_ID, CREATE_SESSION, SEQUENCE, DESTROY_SESSION,
 *            DESTROY_CLIENTID, CHURN times
 *   admin    ADMIN netlink actions: force-destroy a victim's session or
 *            evict a victim client (dittofs generic netlink)
 *   drop     DROPS connections that create a client and a session, send
 *            requests and a partial one, and close without reading; their
 *            clients are left for the lease reaper
 *
 * At the end it waits up to WAIT seconds for the server's client count
 * (netlink stats) to reach zero: everything left behind must be reaped.
 *
 * usage: nfsstress [-p PORT] [-w WORKERS] [-s SESSIONS] [-r ROUNDS]
 *                  [-c CHURN] [-a ADMIN] [-d DROPS] [-W WAIT]
 * Prints one summary line per process and a verdict; exits 0 when every
 * check held.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "../../include/uapi/linux/dittofs.h"
#include "xdr.h"

#define OP_BIND_CONN		41
#define OP_EXCHANGE_ID		42
#define OP_CREATE_SESSION	43
#define OP_DESTROY_SESSION	44
#define OP_SEQUENCE		53
#define OP_DESTROY_CLIENTID	57

#define NFS4_OK			0
#define NFS4ERR_DELAY		10008
#define NFS4ERR_STALE_CLIENTID	10022
#define NFS4ERR_BADSESSION	10052
#define NFS4ERR_RETRY_UNCACHED	10068

#define MAX_SLOTS	8
#define MAX_SESSIONS	256
#define MAX_MSG		1024
#define MAX_BODY	256

static unsigned int port = 20490;
static unsigned int nworkers, nsessions = 64, nrounds = 200;
static unsigned int nchurn = 300, nadmin = 100, ndrops = 64, wait_secs = 60;
static char proc_name[32] = "nfsstress";
static unsigned long nerrors;

/* Every failed check is printed (the first few) and counted. */
#define fail(...) do {							\
	if (nerrors++ < 10) {						\
		fprintf(stderr, "nfsstress: %s: ", proc_name);		\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

static void die(const char *what)
{
	fprintf(stderr, "nfsstress: %s: %s: %s\n", proc_name, what,
		strerror(errno));
	exit(2);
}

/* ---- XDR ---- */

struct xbuf {
	unsigned char p[MAX_MSG];
	size_t len;
};

static void put32(struct xbuf *b, uint32_t v)
{
	if (b->len + 4 > sizeof(b->p)) {
		fprintf(stderr, "nfsstress: message too big\n");
		exit(2);
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

static void putbytes(struct xbuf *b, const void *d, uint32_t n, int counted)
{
	uint32_t pad = (n + 3) & ~3u;

	if (counted)
		put32(b, n);
	if (b->len + pad > sizeof(b->p)) {
		fprintf(stderr, "nfsstress: message too big\n");
		exit(2);
	}
	memcpy(b->p + b->len, d, n);
	memset(b->p + b->len + n, 0, pad - n);
	b->len += pad;
}

/* RPC call and COMPOUND headers (AUTH_SYS root, minor version 1). */
static void call_header(struct xbuf *b, uint32_t xid, uint32_t nops)
{
	static const char machine[] = "nfsstress";

	b->len = 0;
	put32(b, 0);			/* record mark, set by send_record() */
	put32(b, xid);
	put32(b, 0);			/* CALL */
	put32(b, 2);
	put32(b, 100003);
	put32(b, 4);
	put32(b, 1);			/* COMPOUND */
	put32(b, 1);			/* AUTH_SYS */
	put32(b, 4 + 4 + 12 + 4 + 4 + 4);
	put32(b, 0);
	putbytes(b, machine, sizeof(machine) - 1, 1);
	put32(b, 0);
	put32(b, 0);
	put32(b, 0);
	put32(b, 0);			/* verifier AUTH_NONE */
	put32(b, 0);
	put32(b, 0);			/* tag */
	put32(b, 1);
	put32(b, nops);
}

static void put_sequence(struct xbuf *b, const unsigned char *sid,
			 uint32_t seqid, uint32_t slot, uint32_t highest,
			 int cachethis)
{
	put32(b, OP_SEQUENCE);
	putbytes(b, sid, 16, 0);
	put32(b, seqid);
	put32(b, slot);
	put32(b, highest);
	put32(b, cachethis);
}

/* ---- connections ---- */

static int conn_open(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	return fd;
}

static void send_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p = (const char *)p + w;
		n -= w;
	}
}

static void send_record(int fd, struct xbuf *b)
{
	uint32_t mark = htonl(0x80000000u | (uint32_t)(b->len - 4));

	memcpy(b->p, &mark, 4);
	send_all(fd, b->p, b->len);
}

static void recv_all(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read");
		if (r == 0) {
			errno = ECONNRESET;
			die("read");
		}
		p = (char *)p + r;
		n -= r;
	}
}

/* One whole record (all fragments) into @buf; returns its length. */
static size_t recv_record(int fd, unsigned char *buf, size_t cap)
{
	size_t len = 0;
	uint32_t mark;

	do {
		recv_all(fd, &mark, 4);
		mark = ntohl(mark);
		if (len + (mark & 0x7fffffff) > cap) {
			fprintf(stderr, "nfsstress: reply too big\n");
			exit(2);
		}
		recv_all(fd, buf + len, mark & 0x7fffffff);
		len += mark & 0x7fffffff;
	} while (!(mark & 0x80000000u));
	return len;
}

/*
 * A decoded COMPOUND reply: its xid, status, first operation, and where
 * the body (everything after the RPC header) starts.
 */
struct reply {
	unsigned char buf[MAX_MSG];
	size_t len, body;
	uint32_t xid, status, nres, op, opstatus;
	struct xdec d;		/* positioned after the first op's status */
};

static int recv_reply(int fd, struct reply *r)
{
	struct xdec *d = &r->d;

	r->len = recv_record(fd, r->buf, sizeof(r->buf));
	*d = (struct xdec){ .p = r->buf, .len = r->len };
	r->xid = get32(d);
	if (get32(d) != 1 || get32(d) != 0)	/* REPLY, MSG_ACCEPTED */
		return -1;
	get32(d);				/* verifier flavor */
	skip(d, get32(d));
	if (get32(d) != 0)			/* SUCCESS */
		return -1;
	r->body = d->off;
	r->status = get32(d);
	skip(d, get32(d));				/* tag */
	r->nres = get32(d);
	r->op = r->nres ? get32(d) : 0;
	r->opstatus = r->nres ? get32(d) : 0;
	return d->bad ? -1 : 0;
}

/* ---- one client and its session, synchronously ---- */

struct session {
	char owner[64];
	uint64_t clientid;
	uint32_t csseq;
	unsigned char sid[16];
	int alive, victim;
	uint32_t nslots;
	uint32_t seqid[MAX_SLOTS];
	int cached[MAX_SLOTS];		/* the slot's last reply was cached */
	size_t bodylen[MAX_SLOTS];
	unsigned char body[MAX_SLOTS][MAX_BODY];
	unsigned long replays;		/* replies seen replayed from cache */
};

static uint32_t next_xid = 1;

static uint32_t xid_new(void)
{
	return next_xid++;
}

static int call(int fd, struct xbuf *b, struct reply *r)
{
	uint32_t xid;

	memcpy(&xid, b->p + 4, 4);
	send_record(fd, b);
	if (recv_reply(fd, r) || r->xid != ntohl(xid)) {
		fail("undecodable or unmatched reply");
		return -1;
	}
	return 0;
}

/* EXCHANGE_ID and CREATE_SESSION; 0 or the failing status. */
static int session_create(int fd, struct session *s, uint32_t slots)
{
	struct xbuf b;
	struct reply r;
	uint32_t i;

	call_header(&b, xid_new(), 1);
	put32(&b, OP_EXCHANGE_ID);
	put64(&b, 0x6e66737374726573ull);
	putbytes(&b, s->owner, strlen(s->owner), 1);
	put32(&b, 0);
	put32(&b, 0);			/* SP4_NONE */
	put32(&b, 0);
	if (call(fd, &b, &r))
		return -1;
	if (r.status)
		return r.status;
	s->clientid = get64(&r.d);
	s->csseq = get32(&r.d);

	call_header(&b, xid_new(), 1);
	put32(&b, OP_CREATE_SESSION);
	put64(&b, s->clientid);
	put32(&b, s->csseq);
	put32(&b, 0);
	/* fore: padding, sizes, cached size, ops, slots, no rdma_ird */
	put32(&b, 0);
	put32(&b, 1 << 20);
	put32(&b, 1 << 20);
	put32(&b, 4096);
	put32(&b, 8);
	put32(&b, slots);
	put32(&b, 0);
	put32(&b, 0);			/* back */
	put32(&b, 4096);
	put32(&b, 4096);
	put32(&b, 0);
	put32(&b, 2);
	put32(&b, 1);
	put32(&b, 0);
	put32(&b, 0x40000000);
	put32(&b, 1);
	put32(&b, 0);			/* AUTH_NONE */
	if (call(fd, &b, &r))
		return -1;
	if (r.status)
		return r.status;
	getfixed(&r.d, s->sid, 16);
	get32(&r.d);			/* csr_sequence */
	get32(&r.d);			/* flags */
	for (i = 0; i < 5; i++)
		get32(&r.d);
	s->nslots = get32(&r.d);
	if (r.d.bad || !s->nslots || s->nslots > slots) {
		fail("CREATE_SESSION granted %u slots of %u", s->nslots, slots);
		return -1;
	}
	memset(s->seqid, 0, sizeof(s->seqid));
	memset(s->cached, 0, sizeof(s->cached));
	s->replays = 0;
	s->alive = 1;
	return 0;
}

/* BIND_CONN_TO_SESSION for the fore channel. */
static int session_bind(int fd, struct session *s)
{
	struct xbuf b;
	struct reply r;

	call_header(&b, xid_new(), 1);
	put32(&b, OP_BIND_CONN);
	putbytes(&b, s->sid, 16, 0);
	put32(&b, 1);			/* CDFC4_FORE */
	put32(&b, 0);			/* no RDMA */
	if (call(fd, &b, &r))
		return -1;
	return r.status;
}

static int session_destroy(int fd, struct session *s)
{
	struct xbuf b;
	struct reply r;
	int st;

	call_header(&b, xid_new(), 1);
	put32(&b, OP_DESTROY_SESSION);
	putbytes(&b, s->sid, 16, 0);
	if (call(fd, &b, &r))
		return -1;
	st = r.status;
	call_header(&b, xid_new(), 1);
	put32(&b, OP_DESTROY_CLIENTID);
	put64(&b, s->clientid);
	if (call(fd, &b, &r))
		return -1;
	s->alive = 0;
	return st ? st : (int)r.status;
}

/* ---- the SEQUENCE workers ---- */

enum kind { K_FRESH, K_DUP, K_RETRY };

struct pending {
	uint32_t xid;
	unsigned int sess, slot, conn;
	enum kind kind;
	int cachethis, done, paired;
	uint32_t status;
	size_t bodylen;
	unsigned char body[MAX_BODY];
};

struct wstats {
	unsigned long ok, delay, replays, uncached, badsession, recreated;
	unsigned long dups, dup_both;
};

/* Checks one reply against its request; returns its outcome status. */
static uint32_t check_seq_reply(struct session *s, struct pending *p,
				struct reply *r)
{
	unsigned char sid[16];
	uint32_t seqid, slot, highest, target;

	if (r->nres < 1 || r->op != OP_SEQUENCE) {
		fail("reply without SEQUENCE (status %u)", r->status);
		return ~0u;
	}
	if (r->opstatus)
		return r->opstatus;
	getfixed(&r->d, sid, 16);
	seqid = get32(&r->d);
	slot = get32(&r->d);
	highest = get32(&r->d);
	target = get32(&r->d);
	get32(&r->d);
	if (r->d.bad || memcmp(sid, s->sid, 16) ||
	    seqid != s->seqid[p->slot] + 1 || slot != p->slot ||
	    highest >= s->nslots || target > highest) {
		fail("wrong SEQUENCE reply: slot %u/%u seqid %u/%u highest %u target %u",
		     slot, p->slot, seqid, s->seqid[p->slot] + 1, highest,
		     target);
		return ~0u;
	}
	if (r->len - r->body > MAX_BODY) {
		fail("SEQUENCE reply of %zu bytes", r->len - r->body);
		return ~0u;
	}
	p->bodylen = r->len - r->body;
	memcpy(p->body, r->buf + r->body, p->bodylen);
	return NFS4_OK;
}

static void send_seq(int fd, struct session *s, struct pending *p,
		     uint32_t seqid)
{
	struct xbuf b;

	p->xid = xid_new();
	call_header(&b, p->xid, 1);
	put_sequence(&b, s->sid, seqid, p->slot, s->nslots - 1, p->cachethis);
	send_record(fd, &b);
}

/* Reads replies on both connections until every pending one has come. */
static void collect(int fd[2], struct session *sess, struct pending *pend,
		    unsigned int npend)
{
	unsigned int left = npend, i;
	static struct reply r;

	while (left) {
		struct pollfd pfd[2] = {
			{ .fd = fd[0], .events = POLLIN },
			{ .fd = fd[1], .events = POLLIN },
		};
		int c;

		if (poll(pfd, 2, 60000) <= 0) {
			fail("no reply within 60 s (%u outstanding)", left);
			exit(1);
		}
		for (c = 0; c < 2; c++) {
			if (!(pfd[c].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (recv_reply(fd[c], &r)) {
				fail("undecodable reply");
				exit(1);
			}
			for (i = 0; i < npend; i++)
				if (pend[i].xid == r.xid && !pend[i].done)
					break;
			if (i == npend || pend[i].conn != (unsigned int)c) {
				fail("reply with unknown xid %u", r.xid);
				exit(1);
			}
			pend[i].done = 1;
			pend[i].status = check_seq_reply(&sess[pend[i].sess],
							 &pend[i], &r);
			left--;
		}
	}
}

/* Allowed outcomes of any SEQUENCE; counts them, reports the rest. */
static int outcome_ok(struct session *s, struct pending *p,
		      struct wstats *st)
{
	switch (p->status) {
	case NFS4_OK:
		return 1;
	case NFS4ERR_DELAY:
		st->delay++;
		return 1;
	case NFS4ERR_RETRY_UNCACHED:
		/* Either copy of a pair may come second. */
		if (p->kind == K_FRESH && !p->paired)
			break;
		st->uncached++;
		return 1;
	case NFS4ERR_BADSESSION:
		if (!s->victim)
			break;
		st->badsession++;
		s->alive = 0;
		return 1;
	}
	fail("session %s slot %u seqid %u (%s): status %u", s->owner, p->slot,
	     s->seqid[p->slot] + 1,
	     p->kind == K_FRESH ? "fresh" : p->kind == K_DUP ? "dup" : "retry",
	     p->status);
	return 0;
}

static void check_replay_counts(struct session *sess);

static void worker(unsigned int w)
{
	static struct session sess[MAX_SESSIONS];
	static struct pending pend[MAX_SESSIONS * MAX_SLOTS * 2];
	struct wstats st = { 0 };
	unsigned int round, i, j, n, slot;
	int fd[2];

	snprintf(proc_name, sizeof(proc_name), "worker %u", w);
	srandom(w + 1);
	fd[0] = conn_open();
	fd[1] = conn_open();
	for (i = 0; i < nsessions; i++) {
		snprintf(sess[i].owner, sizeof(sess[i].owner),
			 "nfsstress-%s-%u-%u", i % 4 == 3 ? "victim" : "worker",
			 w, i);
		sess[i].victim = i % 4 == 3;
	}

	for (round = 0; round < nrounds; round++) {
		/* Sessions the admin took away come back. */
		for (i = 0; i < nsessions; i++) {
			int err;

			if (sess[i].alive)
				continue;
			err = session_create(fd[0], &sess[i], MAX_SLOTS);
			if (!err)
				err = session_bind(fd[1], &sess[i]);
			/* The admin may strike again at once. */
			if (sess[i].victim && (err == NFS4ERR_BADSESSION ||
					       err == NFS4ERR_STALE_CLIENTID)) {
				sess[i].alive = 0;
				continue;
			}
			if (err) {
				fail("%s: setup failed: %d", sess[i].owner, err);
				exit(1);
			}
			if (round)
				st.recreated++;
		}

		/* Every slot of every session, some twice at once. */
		n = 0;
		for (i = 0; i < nsessions; i++) {
			if (!sess[i].alive)
				continue;
			for (slot = 0; slot < sess[i].nslots; slot++) {
				struct pending *p = &pend[n++];
				unsigned int c = (i + slot + round) & 1;

				*p = (struct pending){ .sess = i, .slot = slot,
						       .conn = c,
						       .kind = K_FRESH,
						       .cachethis = random() & 1 };
				send_seq(fd[c], &sess[i], p,
					 sess[i].seqid[slot] + 1);
				if (random() % 8)
					continue;
				p->paired = 1;
				pend[n] = *p;
				pend[n].kind = K_DUP;
				pend[n].conn = !c;
				send_seq(fd[!c], &sess[i], &pend[n],
					 sess[i].seqid[slot] + 1);
				n++;
				st.dups++;
			}
		}
		collect(fd, sess, pend, n);

		/* Judge each slot: exactly one execution per seqid. */
		for (i = 0; i < n; i++) {
			struct pending *p = &pend[i], *q = NULL;
			struct session *s = &sess[p->sess];

			if (p->kind != K_FRESH)
				continue;
			if (i + 1 < n && pend[i + 1].kind == K_DUP)
				q = &pend[i + 1];
			if (!outcome_ok(s, p, &st) ||
			    (q && !outcome_ok(s, q, &st)))
				continue;
			if (q && p->status == NFS4_OK &&
			    q->status == NFS4_OK) {
				st.dup_both++;
				s->replays += p->cachethis;
				if (!p->cachethis)
					fail("%s slot %u seqid %u: an uncached request executed twice",
					     s->owner, p->slot,
					     s->seqid[p->slot] + 1);
				else if (p->bodylen != q->bodylen ||
					 memcmp(p->body, q->body, p->bodylen))
					fail("%s slot %u: replay differs from the reply",
					     s->owner, p->slot);
			}
			if (q && p->status != NFS4_OK && q->status == NFS4_OK)
				p = q;
			if (p->status != NFS4_OK)
				continue;
			st.ok++;
			s->seqid[p->slot]++;
			s->cached[p->slot] = p->cachethis;
			s->bodylen[p->slot] = p->bodylen;
			memcpy(s->body[p->slot], p->body, p->bodylen);
		}

		/* Retries of answered requests: the cache must be exact. */
		n = 0;
		for (i = 0; i < nsessions; i++) {
			if (!sess[i].alive)
				continue;
			for (slot = 0; slot < sess[i].nslots; slot++) {
				struct pending *p;

				if (!sess[i].seqid[slot] || random() % 8)
					continue;
				p = &pend[n++];
				*p = (struct pending){ .sess = i, .slot = slot,
					.conn = random() & 1, .kind = K_RETRY,
					.cachethis = sess[i].cached[slot] };
				sess[i].seqid[slot]--;	/* for the checks */
				send_seq(fd[p->conn], &sess[i], p,
					 sess[i].seqid[slot] + 1);
			}
		}
		collect(fd, sess, pend, n);
		for (i = 0; i < n; i++) {
			struct pending *p = &pend[i];
			struct session *s = &sess[p->sess];

			s->seqid[p->slot]++;
			if (!outcome_ok(s, p, &st))
				continue;
			if (p->status == NFS4ERR_RETRY_UNCACHED &&
			    s->cached[p->slot])
				fail("%s slot %u: cached reply lost", s->owner,
				     p->slot);
			if (p->status != NFS4_OK)
				continue;
			s->replays += s->cached[p->slot];
			if (!s->cached[p->slot])
				fail("%s slot %u: uncached request executed twice",
				     s->owner, p->slot);
			else if (p->bodylen != s->bodylen[p->slot] ||
				 memcmp(p->body, s->body[p->slot], p->bodylen))
				fail("%s slot %u: replay differs from the reply",
				     s->owner, p->slot);
			else
				st.replays++;
		}
	}

	check_replay_counts(sess);
	for (i = 0; i < nsessions; i++) {
		int err;

		if (!sess[i].alive)
			continue;
		err = session_destroy(fd[0], &sess[i]);
		if (err && !(sess[i].victim && (err == NFS4ERR_BADSESSION ||
						err == NFS4ERR_STALE_CLIENTID)))
			fail("%s: destroy: %d", sess[i].owner, err);
	}
	for (j = 0; j < 2; j++)
		close(fd[j]);
	printf("worker %u: %u sessions, %u rounds: %lu ok, %lu replays, %lu uncached, %lu delays, %lu pairs (%lu both ok), %lu badsession, %lu recreated, %lu errors\n",
	       w, nsessions, nrounds, st.ok, st.replays, st.uncached, st.delay,
	       st.dups, st.dup_both, st.badsession, st.recreated, nerrors);
	exit(nerrors ? 1 : 0);
}

/* ---- churn and dropped connections ---- */

static void churn(void)
{
	struct session s = { 0 };
	unsigned int i;
	int fd;

	snprintf(proc_name, sizeof(proc_name), "churn");
	fd = conn_open();
	for (i = 0; i < nchurn; i++) {
		struct xbuf b;
		struct reply r;
		int err;

		snprintf(s.owner, sizeof(s.owner), "nfsstress-churn-%u", i);
		err = session_create(fd, &s, 2);
		if (err) {
			fail("cycle %u: setup: %d", i, err);
			break;
		}
		call_header(&b, xid_new(), 1);
		put_sequence(&b, s.sid, 1, 0, 0, 1);
		if (call(fd, &b, &r) || r.status)
			fail("cycle %u: SEQUENCE: %u", i, r.status);
		err = session_destroy(fd, &s);
		if (err)
			fail("cycle %u: destroy: %d", i, err);
	}
	close(fd);
	printf("churn: %u cycles, %lu errors\n", i, nerrors);
	exit(nerrors ? 1 : 0);
}

static void drops(void)
{
	struct session s = { 0 };
	unsigned int i, k;

	snprintf(proc_name, sizeof(proc_name), "drop");
	for (i = 0; i < ndrops; i++) {
		struct xbuf b;
		int fd = conn_open();
		int err;

		snprintf(s.owner, sizeof(s.owner), "nfsstress-drop-%u", i);
		err = session_create(fd, &s, 4);
		if (err) {
			fail("drop %u: setup: %d", i, err);
			break;
		}
		for (k = 0; k < s.nslots; k++) {
			call_header(&b, xid_new(), 1);
			put_sequence(&b, s.sid, 1, k, s.nslots - 1, k & 1);
			send_record(fd, &b);
		}
		/* Half of one more request, then gone. */
		call_header(&b, xid_new(), 1);
		put_sequence(&b, s.sid, 2, 0, s.nslots - 1, 1);
		memcpy(b.p, &(uint32_t){ htonl(0x80000000u | (b.len - 4)) }, 4);
		send_all(fd, b.p, b.len / 2);
		if (i & 1)
			shutdown(fd, SHUT_RDWR);
		close(fd);
	}
	printf("drop: %u connections, %lu errors\n", i, nerrors);
	exit(nerrors ? 1 : 0);
}

/* ---- netlink: admin actions and the final count ---- */

struct nl {
	struct nl_sock *sk;
	int family;
};

static void nl_open(struct nl *nl)
{
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk)) {
		fprintf(stderr, "nfsstress: netlink: cannot connect\n");
		exit(2);
	}
	nl->family = genl_ctrl_resolve(nl->sk, DITTOFS_FAMILY_NAME);
	if (nl->family < 0) {
		fprintf(stderr, "nfsstress: netlink: no %s family\n",
			DITTOFS_FAMILY_NAME);
		exit(2);
	}
}

static struct nl_msg *nl_req(struct nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family,
				 0, flags, cmd, DITTOFS_FAMILY_VERSION)) {
		fprintf(stderr, "nfsstress: netlink: out of memory\n");
		exit(2);
	}
	return msg;
}

static uint64_t nla_uint(const struct nlattr *a)
{
	return nla_len(a) == 8 ? nla_get_u64(a) : nla_get_u32(a);
}

/* The victims' sessions, from a session dump and a client dump. */
struct victims {
	unsigned int nclients, nsessions;
	uint64_t client[4096];
	uint64_t sess_client[4096];
	unsigned char sid[4096][16];
};

static int client_cb(struct nl_msg *msg, void *arg)
{
	struct victims *v = arg;
	struct nlattr *tb[DITTOFS_A_CLIENT_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DITTOFS_A_CLIENT_MAX, NULL))
		return NL_SKIP;
	if (tb[DITTOFS_A_CLIENT_ID] && tb[DITTOFS_A_CLIENT_OWNER] &&
	    v->nclients < 4096 &&
	    nla_len(tb[DITTOFS_A_CLIENT_OWNER]) >= 16 &&
	    !memcmp(nla_data(tb[DITTOFS_A_CLIENT_OWNER]), "nfsstress-victim",
		    16))
		v->client[v->nclients++] = nla_uint(tb[DITTOFS_A_CLIENT_ID]);
	return NL_OK;
}

static int session_cb(struct nl_msg *msg, void *arg)
{
	struct victims *v = arg;
	struct nlattr *tb[DITTOFS_A_SESSION_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DITTOFS_A_SESSION_MAX, NULL))
		return NL_SKIP;
	if (tb[DITTOFS_A_SESSION_ID] && tb[DITTOFS_A_SESSION_CLIENT_ID] &&
	    nla_len(tb[DITTOFS_A_SESSION_ID]) == 16 && v->nsessions < 4096) {
		memcpy(v->sid[v->nsessions], nla_data(tb[DITTOFS_A_SESSION_ID]),
		       16);
		v->sess_client[v->nsessions++] =
			nla_uint(tb[DITTOFS_A_SESSION_CLIENT_ID]);
	}
	return NL_OK;
}

static int dump(struct nl *nl, uint8_t cmd, nl_recvmsg_msg_cb_t cb, void *arg)
{
	struct nl_msg *msg = nl_req(nl, cmd, NLM_F_DUMP);
	int err;

	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(nl->sk);
	return err;
}

static int is_victim(struct victims *v, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < v->nclients; i++)
		if (v->client[i] == id)
			return 1;
	return 0;
}

/* The server's replay count of each session, from a session dump. */
struct replay_counts {
	unsigned int n;
	unsigned char sid[4096][16];
	uint64_t hits[4096];
};

static int replay_cb(struct nl_msg *msg, void *arg)
{
	struct replay_counts *rc = arg;
	struct nlattr *tb[DITTOFS_A_SESSION_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DITTOFS_A_SESSION_MAX, NULL))
		return NL_SKIP;
	if (tb[DITTOFS_A_SESSION_ID] && tb[DITTOFS_A_SESSION_REPLAY_HITS] &&
	    nla_len(tb[DITTOFS_A_SESSION_ID]) == 16 && rc->n < 4096) {
		memcpy(rc->sid[rc->n], nla_data(tb[DITTOFS_A_SESSION_ID]), 16);
		rc->hits[rc->n++] = nla_uint(tb[DITTOFS_A_SESSION_REPLAY_HITS]);
	}
	return NL_OK;
}

/*
 * Every request this worker sent twice, or retried, and saw answered OK
 * from the cache must be exactly one replay on the server: a cached
 * request executed twice gives two identical fresh replies, which only
 * the server's count tells from one execution and one replay.  Victims
 * are left out, as the admin may have replaced their sessions.
 */
static void check_replay_counts(struct session *sess)
{
	static struct replay_counts rc;
	unsigned int i, j, tries, missing = 0, nchecked = 0;
	unsigned long long seen = 0, server = 0;
	struct nl nl;
	int err;

	/*
	 * Churn changes the session table all the time, so a dump may be
	 * interrupted: the entries it did return are still right, and it
	 * is repeated only while one of ours is missing.
	 */
	nl_open(&nl);
	for (tries = 0; tries < 100; tries++) {
		rc.n = 0;
		err = dump(&nl, DITTOFS_CMD_SESSION_GET, replay_cb, &rc);
		if (err < 0 && err != -NLE_DUMP_INTR)
			break;
		for (i = 0, missing = 0; i < nsessions; i++) {
			if (!sess[i].alive || sess[i].victim)
				continue;
			for (j = 0; j < rc.n && memcmp(rc.sid[j], sess[i].sid, 16);
			     j++)
				;
			missing += j == rc.n;
		}
		if (!missing)
			break;
		usleep(10000);
	}
	nl_socket_free(nl.sk);
	if (err < 0 && err != -NLE_DUMP_INTR) {
		fail("session dump: %s", nl_geterror(err));
		return;
	}
	for (i = 0; i < nsessions; i++) {
		struct session *s = &sess[i];

		if (!s->alive || s->victim)
			continue;
		for (j = 0; j < rc.n && memcmp(rc.sid[j], s->sid, 16); j++)
			;
		if (j < rc.n) {
			nchecked++;
			server += rc.hits[j];
			seen += s->replays;
		}
		if (j == rc.n)
			fail("%s: session missing from %u session dumps",
			     s->owner, tries);
		else if (rc.hits[j] != s->replays)
			fail("%s: the server replayed %llu replies, the worker saw %lu (a request executed twice)",
			     s->owner, (unsigned long long)rc.hits[j],
			     s->replays);
	}
	printf("%s: replays on %u sessions: %llu seen, %llu counted by the server\n",
	       proc_name, nchecked, seen, server);
}

static void admin(void)
{
	static struct victims v;
	unsigned long destroyed = 0, evicted = 0, gone = 0;
	unsigned int i;
	struct nl nl;

	snprintf(proc_name, sizeof(proc_name), "admin");
	nl_open(&nl);
	srandom(4242);
	for (i = 0; i < nadmin; i++) {
		unsigned int k, tries;
		struct nl_msg *msg;
		int err;

		usleep(20000);
		v.nclients = 0;
		v.nsessions = 0;
		/*
		 * Churn interrupts most dumps; what an interrupted one did
		 * return is still a target (it may be gone by now).
		 */
		err = dump(&nl, DITTOFS_CMD_CLIENT_GET, client_cb, &v);
		if (err >= 0 || err == -NLE_DUMP_INTR)
			err = dump(&nl, DITTOFS_CMD_SESSION_GET, session_cb, &v);
		if (err < 0 && err != -NLE_DUMP_INTR) {
			fail("dump: %s", nl_geterror(err));
			break;
		}
		if (!v.nclients)
			continue;
		if (i % 2) {
			msg = nl_req(&nl, DITTOFS_CMD_CLIENT_EVICT, 0);
			nla_put_u64(msg, DITTOFS_A_CLIENT_ID,
				    v.client[random() % v.nclients]);
		} else {
			/* A session of a victim, picked at random. */
			k = random() % (v.nsessions ? v.nsessions : 1);
			for (tries = 0; tries < v.nsessions; tries++)
				if (is_victim(&v, v.sess_client[(k + tries) %
								 v.nsessions]))
					break;
			if (tries == v.nsessions)
				continue;
			k = (k + tries) % v.nsessions;
			msg = nl_req(&nl, DITTOFS_CMD_SESSION_DESTROY, 0);
			nla_put(msg, DITTOFS_A_SESSION_ID, 16, v.sid[k]);
			nla_put_u64(msg, DITTOFS_A_SESSION_CLIENT_ID,
				    v.sess_client[k]);
		}
		err = nl_send_sync(nl.sk, msg);
		if (!err)
			i % 2 ? evicted++ : destroyed++;
		else if (err == -NLE_OBJ_NOTFOUND)
			gone++;		/* it went away meanwhile */
		else
			fail("%s: %s", i % 2 ? "evict" : "destroy",
			     nl_geterror(err));
	}
	nl_socket_free(nl.sk);
	printf("admin: %lu sessions destroyed, %lu clients evicted, %lu already gone, %lu errors\n",
	       destroyed, evicted, gone, nerrors);
	exit(nerrors ? 1 : 0);
}

static int stats_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DITTOFS_A_STATS_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DITTOFS_A_STATS_MAX, NULL))
		return NL_SKIP;
	if (tb[DITTOFS_A_STATS_CLIENTS_ACTIVE])
		((int64_t *)arg)[0] = nla_uint(tb[DITTOFS_A_STATS_CLIENTS_ACTIVE]);
	if (tb[DITTOFS_A_STATS_SESSIONS_ACTIVE])
		((int64_t *)arg)[1] = nla_uint(tb[DITTOFS_A_STATS_SESSIONS_ACTIVE]);
	if (tb[DITTOFS_A_STATS_CONNS_UNVALIDATED])
		((int64_t *)arg)[2] = nla_uint(tb[DITTOFS_A_STATS_CONNS_UNVALIDATED]);
	return NL_OK;
}

/*
 * Waits for the server to hold no client, no session and, every connection
 * being closed, no connection in sunrpc's count of unvalidated ones (a
 * count gone wrong makes sunrpc close new connections).
 */
static int wait_empty(void)
{
	int64_t n[3] = { -1, -1, -1 };
	struct nl nl;
	unsigned int t;
	int err;

	nl_open(&nl);
	for (t = 0; t <= wait_secs * 2; t++) {
		struct nl_msg *msg = nl_req(&nl, DITTOFS_CMD_STATS_GET, 0);

		nl_socket_modify_cb(nl.sk, NL_CB_VALID, NL_CB_CUSTOM, stats_cb,
				    n);
		/*
		 * The reply, then its ACK: an ACK left unread each time
		 * filled the socket (ENOBUFS) after a long enough wait.
		 */
		err = nl_send_auto(nl.sk, msg);
		if (err >= 0)
			err = nl_recvmsgs_default(nl.sk);
		if (err >= 0)
			err = nl_wait_for_ack(nl.sk);
		if (err < 0) {
			nlmsg_free(msg);
			fprintf(stderr, "nfsstress: stats: %s\n",
				nl_geterror(err));
			return -1;
		}
		nlmsg_free(msg);
		if (n[0] == 0 && n[1] == 0 && n[2] == 0) {
			printf("reaped: no client, no session and no unvalidated connection left after %.1f s\n",
			       t / 2.0);
			nl_socket_free(nl.sk);
			return 0;
		}
		usleep(500000);
	}
	fprintf(stderr, "nfsstress: %lld clients, %lld sessions and %lld unvalidated connections left after %u s\n",
		(long long)n[0], (long long)n[1], (long long)n[2], wait_secs);
	nl_socket_free(nl.sk);
	return -1;
}

int main(int argc, char **argv)
{
	unsigned int i, nchildren = 0, bad = 0;
	int opt, status;
	pid_t pid;

	nworkers = sysconf(_SC_NPROCESSORS_ONLN);
	while ((opt = getopt(argc, argv, "p:w:s:r:c:a:d:W:")) != -1) {
		static const char letters[] = "pwsrcadW";
		unsigned int *vals[] = { &port, &nworkers, &nsessions,
					 &nrounds, &nchurn, &nadmin, &ndrops,
					 &wait_secs };
		const char *l = strchr(letters, opt);

		if (opt == '?' || !l) {
			fprintf(stderr, "usage: nfsstress [-p PORT] [-w WORKERS] [-s SESSIONS] [-r ROUNDS]\n"
				"                 [-c CHURN] [-a ADMIN] [-d DROPS] [-W WAIT]\n");
			return 2;
		}
		*vals[l - letters] = strtoul(optarg, NULL, 0);
	}
	if (!nworkers || nsessions > MAX_SESSIONS) {
		fprintf(stderr, "nfsstress: 1 or more workers, at most %d sessions\n",
			MAX_SESSIONS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("nfsstress: %u workers x %u sessions x %u rounds, %u churn, %u admin, %u drops\n",
	       nworkers, nsessions, nrounds, nchurn, nadmin, ndrops);

	for (i = 0; i < nworkers + 3; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			if (i < nworkers)
				worker(i);
			else if (i == nworkers)
				churn();
			else if (i == nworkers + 1)
				admin();
			else
				drops();
		}
		nchildren++;
	}
	while (nchildren && (pid = wait(&status)) > 0) {
		nchildren--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	if (wait_empty())
		bad++;
	printf("nfsstress: %s\n", bad ? "FAILED" : "passed");
	return bad ? 1 : 0;
}
