// SPDX-License-Identifier: GPL-3.0-only
/*
 * bench-launch N CMD [ARGS...]: runs CMD N times (fork, exec, wait), after
 * N/10 warm-up runs, and prints the mean and the median wall time of one
 * run in microseconds: "mean_us median_us". Output of CMD is discarded;
 * a run that fails stops the measurement (exit 1).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int run_once(char **argv)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	double *t, sum = 0;

	if (n < 1 || n > 100000) {
		fprintf(stderr, "usage: bench-launch N CMD [ARGS...]\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	for (long i = 0; i < n / 10 + 1; i++)
		if (run_once(argv + 2)) {
			fprintf(stderr, "bench-launch: %s failed\n", argv[2]);
			return 1;
		}
	for (long i = 0; i < n; i++) {
		double a = now_us();

		if (run_once(argv + 2)) {
			fprintf(stderr, "bench-launch: %s failed\n", argv[2]);
			return 1;
		}
		t[i] = now_us() - a;
		sum += t[i];
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%.1f %.1f\n", sum / (double)n, t[n / 2]);
	free(t);
	return 0;
}
