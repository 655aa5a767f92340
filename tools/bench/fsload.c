// SPDX-License-Identifier: GPL-2.0
/*
 * fsload: file system workloads for the DittoFS benchmarks, run in one
 * process (a fork costs ~30 ms in UML) against a mounted directory.
 *
 * usage: fsload DIR stat N          N stat() calls over 100 files
 *        fsload DIR files N         N files created, written, closed, removed
 *        fsload DIR write MIB       sequential 1 MiB writes, then fsync
 *        fsload DIR read MIB        drop caches, sequential 1 MiB reads
 *        fsload DIR randread SECS   8 threads of 4 KiB O_DIRECT preads of
 *                                   the file "write" left behind
 * Prints one JSON object; exits non-zero on the first failed call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1024 * 1024)
#define THREADS		8
#define NSTATFILES	100

static const char *dir;
static double rr_deadline;
static long rr_blocks;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "fsload: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd < 0 || write(fd, "3", 1) != 1)
		die("drop_caches", "");
	close(fd);
}

static void path(char *buf, size_t len, const char *name, long i)
{
	snprintf(buf, len, "%s/%s.%ld", dir, name, i);
}

static void do_stat(long n)
{
	char p[4096];
	struct stat st;
	double t0;
	long i;
	int fd;

	for (i = 0; i < NSTATFILES; i++) {
		path(p, sizeof(p), "stat", i);
		fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			die("create", p);
		close(fd);
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		path(p, sizeof(p), "stat", i % NSTATFILES);
		if (stat(p, &st))
			die("stat", p);
	}
	printf("{\"workload\": \"stat\", \"ops\": %ld, \"ops_per_s\": %.1f}\n",
	       n, n / (now() - t0));
	for (i = 0; i < NSTATFILES; i++) {
		path(p, sizeof(p), "stat", i);
		unlink(p);
	}
}

static void do_files(long n)
{
	char p[4096], data[4096];
	double t0 = now();
	long i;
	int fd;

	memset(data, 'x', sizeof(data));
	for (i = 0; i < n; i++) {
		path(p, sizeof(p), "small", i);
		fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			die("create", p);
		if (write(fd, data, sizeof(data)) != sizeof(data))
			die("write", p);
		if (close(fd))
			die("close", p);
		if (unlink(p))
			die("unlink", p);
	}
	printf("{\"workload\": \"files\", \"files\": %ld, \"files_per_s\": %.1f}\n",
	       n, n / (now() - t0));
}

static void do_write(long mib)
{
	char p[4096], *buf = malloc(MIB);
	double t0;
	long i;
	int fd;

	if (!buf)
		die("malloc", "");
	memset(buf, 'd', MIB);
	path(p, sizeof(p), "seq", 0);
	drop_caches();
	t0 = now();
	fd = open(p, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		die("create", p);
	for (i = 0; i < mib; i++)
		if (write(fd, buf, MIB) != MIB)
			die("write", p);
	if (fsync(fd) || close(fd))
		die("fsync", p);
	printf("{\"workload\": \"write\", \"mib\": %ld, \"mb_per_s\": %.1f}\n",
	       mib, mib * 1.048576 / (now() - t0));
	free(buf);
}

static void do_read(long mib)
{
	char p[4096], *buf = malloc(MIB);
	double t0;
	long i;
	int fd;

	if (!buf)
		die("malloc", "");
	path(p, sizeof(p), "seq", 0);
	drop_caches();
	t0 = now();
	fd = open(p, O_RDONLY);
	if (fd < 0)
		die("open", p);
	for (i = 0; i < mib; i++)
		if (read(fd, buf, MIB) != MIB)
			die("read", p);
	close(fd);
	printf("{\"workload\": \"read\", \"mib\": %ld, \"mb_per_s\": %.1f}\n",
	       mib, mib * 1.048576 / (now() - t0));
	free(buf);
}

static void *randread_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	char p[4096];
	long ops = 0;
	void *buf;
	int fd;

	path(p, sizeof(p), "seq", 0);
	fd = open(p, O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, 4096))
		die("open O_DIRECT", p);
	while (now() < rr_deadline) {
		off_t off = (off_t)(rand_r(&seed) % rr_blocks) * 4096;

		if (pread(fd, buf, 4096, off) != 4096)
			die("pread", p);
		ops++;
	}
	close(fd);
	free(buf);
	return (void *)ops;
}

static void do_randread(double secs)
{
	pthread_t t[THREADS];
	char p[4096];
	struct stat st;
	long total = 0;
	double t0;
	int i;

	path(p, sizeof(p), "seq", 0);
	if (stat(p, &st) || st.st_size < 4096)
		die("stat (run write first)", p);
	rr_blocks = st.st_size / 4096;
	t0 = now();
	rr_deadline = t0 + secs;
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, randread_thread,
				   (void *)(uintptr_t)(i + 1)))
			die("pthread_create", "");
	for (i = 0; i < THREADS; i++) {
		void *ops;

		pthread_join(t[i], &ops);
		total += (long)ops;
	}
	printf("{\"workload\": \"randread\", \"threads\": %d, \"ops_per_s\": %.1f}\n",
	       THREADS, total / (now() - t0));
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: fsload DIR stat|files|write|read|randread N\n");
		return 2;
	}
	dir = argv[1];
	if (!strcmp(argv[2], "stat"))
		do_stat(atol(argv[3]));
	else if (!strcmp(argv[2], "files"))
		do_files(atol(argv[3]));
	else if (!strcmp(argv[2], "write"))
		do_write(atol(argv[3]));
	else if (!strcmp(argv[2], "read"))
		do_read(atol(argv[3]));
	else if (!strcmp(argv[2], "randread"))
		do_randread(atof(argv[3]));
	else
		return 2;
	return 0;
}
