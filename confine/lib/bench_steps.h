// SPDX-License-Identifier: GPL-3.0-only
/*
 * Step timestamps of snap-confine, for the benchmark only (make bench's
 * launch breakdown, scripts/bench-launcher): built with
 * -DCONFINE_BENCH_STEPS into a separate host binary, never into the
 * board's. BENCH_STEP(name) takes CLOCK_MONOTONIC (the vDSO, no system
 * call) at the end of the step it names; BENCH_STEPS_WRITE() writes every
 * mark, "name nanoseconds" a line, in one write(2) to the descriptor that
 * SNAP_CONFINE_BENCH_FD names, and closes it, just before the app's exec.
 * Without the define both expand to nothing: the normal binary is
 * unchanged.
 */
#ifndef CONFINE_BENCH_STEPS_H
#define CONFINE_BENCH_STEPS_H

#ifdef CONFINE_BENCH_STEPS
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define BENCH_STEPS_MAX 16

static struct {
	const char *name;
	struct timespec t;
} bench_marks[BENCH_STEPS_MAX];
static int bench_nmarks;

static inline void bench_step(const char *name)
{
	if (bench_nmarks < BENCH_STEPS_MAX) {
		bench_marks[bench_nmarks].name = name;
		clock_gettime(CLOCK_MONOTONIC, &bench_marks[bench_nmarks++].t);
	}
}

static inline void bench_steps_write(void)
{
	const char *s = getenv("SNAP_CONFINE_BENCH_FD");
	char buf[BENCH_STEPS_MAX * 48];
	size_t len = 0;
	int fd = s ? atoi(s) : -1;

	if (fd < 3)
		return;
	for (int i = 0; i < bench_nmarks && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %lld\n", bench_marks[i].name,
					(long long)bench_marks[i].t.tv_sec * 1000000000LL +
						bench_marks[i].t.tv_nsec);
	if (len < sizeof(buf) && write(fd, buf, len) < 0)
		perror("snap-confine: SNAP_CONFINE_BENCH_FD");
	close(fd);
}
#define BENCH_STEP(name)    bench_step(name)
#define BENCH_STEPS_WRITE() bench_steps_write()
#else
#define BENCH_STEP(name)    ((void)0)
#define BENCH_STEPS_WRITE() ((void)0)
#endif

#endif
