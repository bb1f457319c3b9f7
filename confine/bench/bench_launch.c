// SPDX-License-Identifier: GPL-3.0-only
/*
 * bench-launch [-b 'PREP ARGS'] N CMD [ARGS...]: runs CMD N times (fork,
 * exec, wait), after N/10 warm-up runs, and prints the mean and the median
 * wall time of one run in microseconds: "mean_us median_us". With -b, the
 * command PREP (its words split on spaces) runs before every run of CMD,
 * outside the timed part (a cold launch: PREP discards the namespace).
 * Output of both is discarded; a run that fails stops the measurement
 * (exit 1).
 *
 * With -s (CMD is snap-confine built with its step timestamps,
 * confine/lib/bench_steps.h): each run gets a pipe named by
 * SNAP_CONFINE_BENCH_FD, into which the launcher writes its marks ("name
 * ns" a line, CLOCK_MONOTONIC) before it executes the app; printed then, a
 * line per interval, "name median_us mean_us": "start" from the fork to
 * the launcher's main, each mark's step from the mark before it, "app" from
 * the last mark to the end of the wait (the app's exec, run and exit), and
 * "total" the whole run. With -d 'DIRECT ARGS' (its words split on spaces),
 * each run is beside a timed run of DIRECT (the direct exec) and one of CMD
 * without the pipe (the launch measured the normal way), interleaved:
 * printed too as "direct" and "launch".
 *
 * With -p K: each run starts K copies of CMD at once (fork, exec each) and
 * waits for all; "%i" in an argument is replaced by the copy's number (1..K);
 * printed: the mean and median wall time of a run of K.
 *
 * With -i (CMD ARGS -- CMD2 ARGS2 [-- ...], at most 8 commands): N rounds
 * (after N/10 + 1 warm-up rounds), each one timed run of every command in
 * turn, round r starting with command r mod K, so that a change in the
 * machine's speed during the measurement moves every command alike and none
 * always runs first; printed: "mean_us median_us" a line per command, in
 * the order given.
 */
#include <fcntl.h>
#include <stdbool.h>
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

/* starts argv with its output discarded (and SNAP_CONFINE_BENCH_FD=marks when marks >= 0) */
static pid_t start(char **argv, int marks)
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		char fd[16];

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		if (marks >= 0) {
			snprintf(fd, sizeof(fd), "%d", marks);
			setenv("SNAP_CONFINE_BENCH_FD", fd, 1);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int wait_ok(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int run_once(char **argv)
{
	return wait_ok(start(argv, -1));
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

#define MAX_STEPS  16
#define MAX_COPIES 1000

struct steps {
	int n; /* intervals: start, the marks' steps, app, total */
	char name[MAX_STEPS + 3][32];
	double *t[MAX_STEPS + 3]; /* per interval, per run */
};

/*
 * one run of cmd with a marks pipe: the intervals of run i into st (the
 * names from the first run; a run whose marks differ stops the measurement)
 */
static int steps_run(char **prep, char **cmd, struct steps *st, long i)
{
	char buf[4096], name[32];
	double a, b, prev, at[MAX_STEPS];
	int p[2], k = 0, off = 0;
	ssize_t r;
	size_t len = 0;
	pid_t pid;
	long long ns;

	if (prep && run_once(prep)) {
		fprintf(stderr, "bench-launch: %s failed\n", prep[0]);
		return -1;
	}
	if (pipe(p))
		return -1;
	a = now_us();
	pid = start(cmd, p[1]);
	close(p[1]);
	if (wait_ok(pid)) {
		close(p[0]);
		fprintf(stderr, "bench-launch: %s failed\n", cmd[0]);
		return -1;
	}
	b = now_us();
	/* every mark was written before the app's exec: no waiting for a helper still holding the pipe */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	while (len < sizeof(buf) - 1 && (r = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(p[0]);
	buf[len] = '\0';
	prev = a;
	while (k < MAX_STEPS && sscanf(buf + off, "%31s %lld", name, &ns) == 2) {
		char *nl = strchr(buf + off, '\n');

		at[k] = (double)ns / 1e3;
		if (st->n == 0 || i < 0)
			snprintf(st->name[k], sizeof(st->name[k]), "%s", name);
		else if (strcmp(st->name[k], name))
			return fprintf(stderr, "bench-launch: mark %d is %s, was %s\n", k, name, st->name[k]),
			       -1;
		k++;
		if (!nl)
			break;
		off = (int)(nl + 1 - buf);
	}
	if (k == 0) {
		fprintf(stderr, "bench-launch: %s wrote no marks to SNAP_CONFINE_BENCH_FD\n", cmd[0]);
		return -1;
	}
	if (st->n && st->n != k + 2)
		return fprintf(stderr, "bench-launch: %d marks, were %d\n", k, st->n - 2), -1;
	st->n = k + 2;
	snprintf(st->name[k], sizeof(st->name[k]), "app");
	snprintf(st->name[k + 1], sizeof(st->name[k + 1]), "total");
	if (i < 0)
		return 0;
	for (int j = 0; j < k; j++) {
		st->t[j][i] = at[j] - prev;
		prev = at[j];
	}
	st->t[k][i] = b - prev;
	st->t[k + 1][i] = b - a;
	return 0;
}

/* prints the mean and the median of t[0..n) (sorted in place) */
static void print_stats(const char *name, double *t, long n)
{
	double sum = 0;

	for (long i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	if (name)
		printf("%s %.1f %.1f\n", name, t[n / 2], sum / (double)n);
	else
		printf("%.1f %.1f\n", sum / (double)n, t[n / 2]);
}

/*
 * n runs with marks; with base, each is beside a timed run of base (the direct exec) and one of
 * cmd without marks (the launch measured the normal way), interleaved so that both see the same load
 */
static int steps_main(char **prep, char **base, char **cmd, long n)
{
	struct steps st = { 0 };
	double *direct = calloc((size_t)n, sizeof(double)), *plain = calloc((size_t)n, sizeof(double));

	if (!direct || !plain)
		return 1;
	for (long i = 0; i < n / 10 + 1; i++)
		if (steps_run(prep, cmd, &st, -1))
			return 1;
	for (int j = 0; j < st.n; j++)
		if (!(st.t[j] = calloc((size_t)n, sizeof(double))))
			return 1;
	for (long i = 0; i < n; i++) {
		if (base && (timed_run(NULL, base, &direct[i]) || timed_run(prep, cmd, &plain[i])))
			return 1;
		if (steps_run(prep, cmd, &st, i))
			return 1;
	}
	for (int j = 0; j < st.n; j++) {
		print_stats(st.name[j], st.t[j], n);
		free(st.t[j]);
	}
	if (base) {
		print_stats("direct", direct, n);
		print_stats("launch", plain, n);
	}
	free(direct);
	free(plain);
	return 0;
}

#define MAX_INTERLEAVED 8

/* the commands of argv (split on "--") run in turn, n rounds: a line of statistics each */
static int interleaved_main(char **argv, int argc, long n)
{
	char **cmd[MAX_INTERLEAVED];
	double *t[MAX_INTERLEAVED], us;
	int k = 0;

	cmd[k++] = argv;
	for (int j = 0; j < argc; j++) {
		if (strcmp(argv[j], "--"))
			continue;
		argv[j] = NULL; /* the end of the command before */
		if (k == MAX_INTERLEAVED || j + 1 == argc || !strcmp(argv[j + 1], "--")) {
			fprintf(stderr, "bench-launch: -i: 1 to %d commands, none empty\n", MAX_INTERLEAVED);
			return 2;
		}
		cmd[k++] = argv + j + 1;
	}
	for (int c = 0; c < k; c++)
		if (!(t[c] = calloc((size_t)n, sizeof(double))))
			return 1;
	for (long i = 0; i < n / 10 + 1; i++)
		for (int c = 0; c < k; c++)
			if (timed_run(NULL, cmd[c], &us))
				return 1;
	for (long i = 0; i < n; i++)
		for (int j = 0; j < k; j++) {
			int c = (int)((i + j) % k);

			if (timed_run(NULL, cmd[c], &t[c][i]))
				return 1;
		}
	for (int c = 0; c < k; c++) {
		print_stats(NULL, t[c], n);
		free(t[c]);
	}
	return 0;
}

/* K copies of cmd at once ("%i" in an argument replaced by the copy's number), timed until the last ends */
static int copies_run(char **cmd, int argc, long k, double *us)
{
	char **argv = calloc((size_t)argc + 1, sizeof(char *)), (*arg)[256] = calloc((size_t)k, sizeof(*arg));
	pid_t pid[MAX_COPIES];
	int bad = 0, j = 0;
	double a;

	if (!argv || !arg)
		return -1;
	memcpy(argv, cmd, (size_t)argc * sizeof(char *));
	while (j < argc && !strstr(cmd[j], "%i"))
		j++;
	for (long c = 0; c < k && j < argc; c++) {
		const char *at = strstr(cmd[j], "%i");

		snprintf(arg[c], sizeof(arg[c]), "%.*s%ld%s", (int)(at - cmd[j]), cmd[j], c + 1, at + 2);
	}
	a = now_us();
	for (long c = 0; c < k; c++) {
		if (j < argc)
			argv[j] = arg[c];
		pid[c] = start(argv, -1);
	}
	for (long c = 0; c < k; c++)
		bad |= wait_ok(pid[c]);
	*us = now_us() - a;
	free(argv);
	free(arg);
	if (bad)
		fprintf(stderr, "bench-launch: a copy of %s failed\n", cmd[0]);
	return bad;
}

int main(int argc, char **argv)
{
	char *prep_words[16], **prep = NULL, *base_words[16], **base = NULL;
	bool steps = false, interleaved = false;
	long n, copies = 0;
	double *t, us;

	for (;;) {
		if (argc > 2 && strcmp(argv[1], "-b") == 0) {
			if (split_words(argv[2], prep_words, 16)) {
				fprintf(stderr, "bench-launch: -b '%s': not 1 to 15 words\n", argv[2]);
				return 2;
			}
			prep = prep_words;
		} else if (argc > 2 && strcmp(argv[1], "-d") == 0) {
			if (split_words(argv[2], base_words, 16)) {
				fprintf(stderr, "bench-launch: -d '%s': not 1 to 15 words\n", argv[2]);
				return 2;
			}
			base = base_words;
		} else if (argc > 2 && strcmp(argv[1], "-p") == 0) {
			copies = strtol(argv[2], NULL, 10);
			if (copies < 1 || copies > MAX_COPIES) {
				fprintf(stderr, "bench-launch: -p '%s': not 1 to %d copies\n", argv[2],
					MAX_COPIES);
				return 2;
			}
		} else if (argc > 1 && (strcmp(argv[1], "-s") == 0 || strcmp(argv[1], "-i") == 0)) {
			if (argv[1][1] == 's')
				steps = true;
			else
				interleaved = true;
			argc -= 1;
			argv += 1;
			continue;
		} else {
			break;
		}
		argc -= 2;
		argv += 2;
	}
	n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	if (n < 1 || n > 100000 || (steps && copies) || (prep && copies) || (base && !steps) ||
	    (interleaved && (steps || copies || prep))) {
		fprintf(stderr, "usage: bench-launch [-b 'PREP ARGS'] [-s [-d 'DIRECT ARGS'] | -p K] N CMD "
				"[ARGS...]\n"
				"       bench-launch -i N CMD [ARGS...] -- CMD2 [ARGS2...] [-- ...]\n");
		return 2;
	}
	if (interleaved)
		return interleaved_main(argv + 2, argc - 2, n);
	if (steps)
		return steps_main(prep, base, argv + 2, n);
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	for (long i = 0; i < n / 10 + 1; i++)
		if (copies ? copies_run(argv + 2, argc - 2, copies, &us) : timed_run(prep, argv + 2, &us))
			return 1;
	for (long i = 0; i < n; i++)
		if (copies ? copies_run(argv + 2, argc - 2, copies, &t[i]) : timed_run(prep, argv + 2, &t[i]))
			return 1;
	print_stats(NULL, t, n);
	free(t);
	return 0;
}
