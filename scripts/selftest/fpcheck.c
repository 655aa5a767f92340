// SPDX-License-Identifier: GPL-2.0
/*
 * fpcheck: do a process's FP and vector registers survive context
 * switches and signal handlers?
 *
 * Several processes with several threads each load every vector register
 * the CPU has (YMM, or ZMM and opmasks with AVX-512), MXCSR and PKRU with
 * a pattern of their own, spin long enough to be preempted, and compare.
 * A timer signal interrupts them all the time; its handler loads other
 * patterns into the same registers, so a signal frame that keeps only
 * part of the state shows.  The handler also checks that the frame's FP
 * area is as large as it says (FP_XSTATE_MAGIC2 where the sizes put it).
 * Between holds every thread hashes a buffer with AVX2 and all results
 * go into one digest, which the same command on the host must match.
 *
 * usage: fpcheck [-p PROCS] [-t THREADS] [-r ROUNDS] [-n SPINS] [-i USEC]
 * Prints one summary line and "digest <hex>"; exits 0 when every check
 * held, 1 on corruption, 2 on bad usage or a CPU without AVX2.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <immintrin.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define MAGIC1		0x46505853u	/* FP_XSTATE_MAGIC1 */
#define MAGIC2		0x46505845u	/* FP_XSTATE_MAGIC2 */
#define SW_BYTES	464		/* offset of sw_reserved in the area */
#define HASH_WORDS	(256 * 1024)	/* 1 MiB hashed per round */

struct vstate {
	uint8_t vec[32][64];	/* ymm0-15 use 32 bytes, zmm0-31 64 */
	uint64_t k[8];		/* opmasks k1-k7 (k[0] unused) */
	uint32_t mxcsr;
	uint32_t pkru;
};

static int has_avx512, has_pkru;
static unsigned long spins = 4000000;
static int nthreads = 3, nprocs = 2, rounds = 40;

/* What the threads of one process found; children report through it. */
struct result {
	atomic_ulong holds, mismatches, signals, bad_frames;
	uint64_t digest;
};

static struct result *res;

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void fill(struct vstate *v, uint64_t seed)
{
	uint64_t *w = (uint64_t *)v->vec;
	size_t i;

	for (i = 0; i < sizeof(v->vec) / 8; i++)
		w[i] = mix(&seed);
	for (i = 1; i < 8; i++)
		v->k[i] = mix(&seed) & 0xffff;
	/* all exceptions masked; any rounding mode; FTZ and DAZ either way */
	v->mxcsr = 0x1f80 | (mix(&seed) & 0xe040);
	/* keys 1-15 only: every page here has key 0 */
	v->pkru = (uint32_t)mix(&seed) & ~3u;
}

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	asm volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static void wrpkru(uint32_t v)
{
	asm volatile(".byte 0x0f,0x01,0xef" : : "a"(v), "c"(0), "d"(0));
}

#define Y(n, op) op " " #n "*64(%0), %%ymm" #n "\n\t"
#define YS(n, op) op " %%ymm" #n ", " #n "*64(%1)\n\t"
#define Y16(m, op) m(0, op) m(1, op) m(2, op) m(3, op) m(4, op) m(5, op) \
	m(6, op) m(7, op) m(8, op) m(9, op) m(10, op) m(11, op) m(12, op) \
	m(13, op) m(14, op) m(15, op)

/* Load ymm0-15 and MXCSR from @in, spin, store them to @out. */
static void hold_avx2(const struct vstate *in, struct vstate *out,
		      unsigned long n)
{
	asm volatile("ldmxcsr %c3(%0)\n\t"
		     Y16(Y, "vmovdqu")
		     "1: dec %2\n\t"
		     "jnz 1b\n\t"
		     Y16(YS, "vmovdqu")
		     "stmxcsr %c3(%1)\n\t"
		     "vzeroupper"
		     : : "r"(in), "r"(out), "r"(n),
		       "i"(offsetof(struct vstate, mxcsr))
		     : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		       "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		       "xmm12", "xmm13", "xmm14", "xmm15");
}

#define Z(n, op) op " " #n "*64(%0), %%zmm" #n "\n\t"
#define ZS(n, op) op " %%zmm" #n ", " #n "*64(%1)\n\t"
#define Z32(m, op) Y16(m, op) m(16, op) m(17, op) m(18, op) m(19, op) \
	m(20, op) m(21, op) m(22, op) m(23, op) m(24, op) m(25, op) \
	m(26, op) m(27, op) m(28, op) m(29, op) m(30, op) m(31, op)
#define K(n) "kmovq " #n "*8+%c4(%0), %%k" #n "\n\t"
#define KS(n) "kmovq %%k" #n ", " #n "*8+%c4(%1)\n\t"

/* The same with zmm0-31 and k1-k7. */
__attribute__((target("avx512f,avx512bw")))
static void hold_avx512(const struct vstate *in, struct vstate *out,
			unsigned long n)
{
	asm volatile("ldmxcsr %c3(%0)\n\t"
		     Z32(Z, "vmovdqu64")
		     K(1) K(2) K(3) K(4) K(5) K(6) K(7)
		     "1: dec %2\n\t"
		     "jnz 1b\n\t"
		     Z32(ZS, "vmovdqu64")
		     KS(1) KS(2) KS(3) KS(4) KS(5) KS(6) KS(7)
		     "stmxcsr %c3(%1)\n\t"
		     "vzeroupper"
		     : : "r"(in), "r"(out), "r"(n),
		       "i"(offsetof(struct vstate, mxcsr)),
		       "i"(offsetof(struct vstate, k))
		     : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		       "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		       "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17",
		       "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23",
		       "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29",
		       "xmm30", "xmm31", "k1", "k2", "k3", "k4", "k5", "k6",
		       "k7");
}

/* Bytes of @v that hold_*() loads and stores, compared. */
static int same(const struct vstate *a, const struct vstate *b)
{
	int i, w = has_avx512 ? 64 : 32, n = has_avx512 ? 32 : 16;

	for (i = 0; i < n; i++)
		if (memcmp(a->vec[i], b->vec[i], w))
			return 0;
	if (has_avx512 && memcmp(&a->k[1], &b->k[1], 7 * sizeof(a->k[0])))
		return 0;
	return a->mxcsr == b->mxcsr && (!has_pkru || a->pkru == b->pkru);
}

static void hold(const struct vstate *in, struct vstate *out)
{
	if (has_pkru)
		wrpkru(in->pkru);
	if (has_avx512)
		hold_avx512(in, out, spins);
	else
		hold_avx2(in, out, spins);
	if (has_pkru)
		out->pkru = rdpkru();
}

static struct vstate handler_pattern;

/*
 * Clobber what the interrupted code holds; check the frame's FP area:
 * an XSAVE area's software bytes give its size, and MAGIC2 follows it.
 */
static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
	const uint8_t *fp = (const void *)((ucontext_t *)ctx)->uc_mcontext.fpregs;
	struct vstate scratch;
	uint32_t magic1, xsize, ext, magic2;
	int saved = errno;

	(void)sig;
	(void)si;
	atomic_fetch_add(&res->signals, 1);
	memcpy(&magic1, fp + SW_BYTES, 4);
	memcpy(&ext, fp + SW_BYTES + 4, 4);
	memcpy(&xsize, fp + SW_BYTES + 16, 4);
	if (magic1 == MAGIC1) {
		memcpy(&magic2, fp + xsize, 4);
		if (xsize < 576 || ext != xsize + 4 || magic2 != MAGIC2)
			atomic_fetch_add(&res->bad_frames, 1);
	} else if (has_pkru || has_avx512) {
		/* XSAVE-era state without an XSAVE frame */
		atomic_fetch_add(&res->bad_frames, 1);
	}
	if (has_pkru)
		wrpkru(handler_pattern.pkru);
	if (has_avx512)
		hold_avx512(&handler_pattern, &scratch, 1);
	else
		hold_avx2(&handler_pattern, &scratch, 1);
	errno = saved;
}

/* AVX2 multiply-add over a buffer, lanes kept in registers. */
__attribute__((target("avx2")))
static uint64_t hash(const uint32_t *buf, size_t words, uint32_t seed)
{
	__m256i acc = _mm256_set1_epi32((int)seed);
	__m256i mul = _mm256_set1_epi32(0x01000193);
	__m256i acc2 = _mm256_set_epi32(1, 2, 3, 4, 5, 6, 7, 8);
	uint32_t lane[8];
	uint64_t h = 0;
	size_t i;

	for (i = 0; i + 8 <= words; i += 8) {
		__m256i d = _mm256_loadu_si256((const __m256i *)(buf + i));

		acc = _mm256_add_epi32(_mm256_mullo_epi32(acc, mul), d);
		acc2 = _mm256_xor_si256(_mm256_add_epi32(acc2, acc),
					_mm256_srli_epi32(d, 3));
	}
	_mm256_storeu_si256((__m256i *)lane, _mm256_xor_si256(acc, acc2));
	for (i = 0; i < 8; i++)
		h = h * 1099511628211ull + lane[i];
	return h;
}

struct worker {
	pthread_t tid;
	uint64_t seed, digest;
	uint32_t *buf;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct vstate in, out;
	uint64_t s = w->seed;
	size_t i;
	int r;

	for (i = 0; i < HASH_WORDS; i++)
		w->buf[i] = (uint32_t)mix(&s);
	for (r = 0; r < rounds; r++) {
		fill(&in, w->seed * 1000003 + r);
		memset(&out, 0, sizeof(out));
		hold(&in, &out);
		atomic_fetch_add(&res->holds, 1);
		if (!same(&in, &out))
			atomic_fetch_add(&res->mismatches, 1);
		w->digest = w->digest * 31 + hash(w->buf, HASH_WORDS, r);
	}
	return NULL;
}

static int run_process(int p, struct result *mine)
{
	struct worker *w = calloc(nthreads, sizeof(*w));
	int t;

	if (!w)
		return 1;
	for (t = 0; t < nthreads; t++) {
		w[t].seed = (uint64_t)p * 64 + t + 1;
		w[t].buf = malloc(HASH_WORDS * sizeof(uint32_t));
		if (!w[t].buf ||
		    pthread_create(&w[t].tid, NULL, work, &w[t]))
			return 1;
	}
	for (t = 0; t < nthreads; t++) {
		pthread_join(w[t].tid, NULL);
		mine->digest = mine->digest * 131 + w[t].digest;
		free(w[t].buf);
	}
	free(w);
	return 0;
}

static void cpu_features(void)
{
	unsigned int a, b, c, d, xlo, xhi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return;
	asm volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
	(void)xhi;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return;
	if ((b & bit_AVX512F) && (b & bit_AVX512BW) && (xlo & 0xe6) == 0xe6)
		has_avx512 = 1;
	if ((c & bit_OSPKE) && (xlo & 0x200))
		has_pkru = 1;
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 700 }, { 0, 700 } };
	struct sigaction sa = { .sa_sigaction = on_alarm,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	unsigned long holds = 0, bad = 0, sigs = 0, frames = 0;
	struct result *all;
	uint64_t digest = 0;
	int opt, p, st, fail = 0;

	while ((opt = getopt(argc, argv, "p:t:r:n:i:")) != -1) {
		switch (opt) {
		case 'p':
			nprocs = atoi(optarg);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'n':
			spins = strtoul(optarg, NULL, 0);
			break;
		case 'i':
			it.it_value.tv_usec = atoi(optarg);
			it.it_interval.tv_usec = it.it_value.tv_usec;
			break;
		default:
			goto usage;
		}
	}
	if (nprocs < 1 || nthreads < 1 || rounds < 1 || !spins ||
	    it.it_value.tv_usec < 1 || it.it_value.tv_usec > 999999)
		goto usage;
	if (!__builtin_cpu_supports("avx2")) {
		fprintf(stderr, "fpcheck: this CPU has no AVX2\n");
		return 2;
	}
	cpu_features();
	fill(&handler_pattern, 0xdead);

	all = mmap(NULL, nprocs * sizeof(*all), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED)
		return 1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return 1;

	for (p = 1; p < nprocs; p++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			res = &all[p];
			setitimer(ITIMER_REAL, &it, NULL);
			_exit(run_process(p, &all[p]));
		}
	}
	res = &all[0];
	setitimer(ITIMER_REAL, &it, NULL);
	fail |= run_process(0, &all[0]);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	while (wait(&st) > 0)
		fail |= !WIFEXITED(st) || WEXITSTATUS(st);

	for (p = 0; p < nprocs; p++) {
		holds += all[p].holds;
		bad += all[p].mismatches;
		sigs += all[p].signals;
		frames += all[p].bad_frames;
		digest = digest * 1000003 + all[p].digest;
	}
	printf("fpcheck: %d processes x %d threads, %s%s, %lu holds, %lu lost, %lu signals, %lu bad frames\n",
	       nprocs, nthreads, has_avx512 ? "zmm0-31 k1-7" : "ymm0-15",
	       has_pkru ? " pkru" : "", holds, bad, sigs, frames);
	printf("digest %016llx\n", (unsigned long long)digest);
	return fail || bad || frames || holds != (unsigned long)nprocs * nthreads * rounds;
usage:
	fprintf(stderr, "usage: fpcheck [-p PROCS] [-t THREADS] [-r ROUNDS] [-n SPINS] [-i USEC]\n");
	return 2;
}
