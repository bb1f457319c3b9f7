// SPDX-License-Identifier: GPL-3.0-only
/*
 * bench-launch [-b 'PREP ARGS'] N CMD [ARGS...]: runs CMD N times (fork,
 * exec, wait), after N/10 warm-up runs, and prints the mean and the median
 * wall time of one run in microseconds: "mean_us median_us". With -b, the
 * command PREP (its words split on spaces) runs before every run of CMD,
 * outside the timed part (a cold launch: PREP discards the namespace).
 * Output of both is discarded; a run that fails stops the measurement
 * (exit 1).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* the words of s (modified in place), split on spaces, into w (at most max - 1) */
static int split_words(char *s, char **w, int max)
{
	int k = 0;

	for (char *save = NULL, *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (k == max - 1)
			return -1;
		w[k++] = tok;
	}
	w[k] = NULL;
	return k > 0 ? 0 : -1;
}

/* one run of cmd, timed, after prep (when there is one), not timed */
static int timed_run(char **prep, char **cmd, double *us)
{
	double a;

	if (prep && run_once(prep)) {
		fprintf(stderr, "bench-launch: %s failed\n", prep[0]);
		return -1;
	}
	a = now_us();
	if (run_once(cmd)) {
		fprintf(stderr, "bench-launch: %s failed\n", cmd[0]);
		return -1;
	}
	*us = now_us() - a;
	return 0;
}

int main(int argc, char **argv)
{
	char *prep_words[16], **prep = NULL;
	long n;
	double *t, sum = 0, us;

	if (argc > 2 && strcmp(argv[1], "-b") == 0) {
		if (split_words(argv[2], prep_words, 16)) {
			fprintf(stderr, "bench-launch: -b '%s': not 1 to 15 words\n", argv[2]);
			return 2;
		}
		prep = prep_words;
		argc -= 2;
		argv += 2;
	}
	n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	if (n < 1 || n > 100000) {
		fprintf(stderr, "usage: bench-launch [-b 'PREP ARGS'] N CMD [ARGS...]\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	for (long i = 0; i < n / 10 + 1; i++)
		if (timed_run(prep, argv + 2, &us))
			return 1;
	for (long i = 0; i < n; i++) {
		if (timed_run(prep, argv + 2, &t[i]))
			return 1;
		sum += t[i];
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%.1f %.1f\n", sum / (double)n, t[n / 2]);
	free(t);
	return 0;
}
