/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDR decoding shared by the load generators (nfsload, nfsstress): a
 * cursor over a received message; any overrun sets bad and yields zeros,
 * so a caller checks bad once after decoding a whole reply.
 */
#ifndef DITTOFS_BENCH_XDR_H
#define DITTOFS_BENCH_XDR_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct xdec {
	const unsigned char *p;
	size_t len, off;
	int bad;
};

static inline uint32_t get32(struct xdec *d)
{
	uint32_t v;

	if (d->off + 4 > d->len) {
		d->bad = 1;
		return 0;
	}
	memcpy(&v, d->p + d->off, 4);
	d->off += 4;
	return ntohl(v);
}

static inline uint64_t get64(struct xdec *d)
{
	uint64_t hi = get32(d);

	return hi << 32 | get32(d);
}

/* Skips n bytes of opaque data and their padding. */
static inline void skip(struct xdec *d, size_t n)
{
	n = (n + 3) & ~(size_t)3;
	if (d->off + n > d->len)
		d->bad = 1;
	else
		d->off += n;
}

/* Copies n bytes of fixed-length opaque data and skips their padding. */
static inline void getfixed(struct xdec *d, void *out, size_t n)
{
	if (d->off + n > d->len) {
		d->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, d->p + d->off, n);
	d->off += (n + 3) & ~(size_t)3;
}

#endif
