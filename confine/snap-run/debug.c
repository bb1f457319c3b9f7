// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-run --shell and --strace[=OPTIONS] (debug.h).
 *
 * --shell: the app's launch (tag, namespace, seccomp, AppArmor, environment,
 * command-chain) with a shell in place of its command, given the ARGS, as
 * snap-exec does with /bin/bash; bases without bash (the images' busybox
 * base) get /bin/sh.
 * --strace: snap-confine is setuid root, which a traced process loses unless
 * the tracer is root: so strace runs as root (snapd: through sudo; here the
 * caller must be root) and starts the launch as the caller with -u, -f, and
 * snapd's excluded calls. Its output on stderr is filtered as snapd filters
 * it: what comes before the first execve (strace's own errors) is shown, then
 * nothing until the execve of the first program snap-confine runs (the exact
 * path, where snapd looks for any execve in /snap), then everything; the
 * launcher's own messages ("snap-...: ") are shown in between. --raw, or an
 * output file in OPTIONS (-o, --output), turns the filter off.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debug.h"
#include "sc_log.h"

/* the calls snapd keeps out of the trace (they hang strace on some architectures) */
#if defined(__arm__) || defined(__aarch64__)
#define EXCLUDED "!pselect6,_newselect,clock_gettime,sigaltstack,gettid,gettimeofday,nanosleep"
#else
#define EXCLUDED "!select,pselect6,_newselect,clock_gettime,sigaltstack,gettid,gettimeofday,nanosleep"
#endif

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* OPTIONS split as a shell splits words (quotes and backslashes, no expansion) */
static void split_options(const char *opts, struct debug_opts *o)
{
	size_t len = strlen(opts);
	char *w = malloc(len + 1);
	const char *s = opts;

	o->words = calloc(len / 2 + 2, sizeof(*o->words));
	if (!w || !o->words)
		sc_die("out of memory");
	for (;;) {
		char *word = w;

		while (blank(*s))
			s++;
		if (!*s)
			break;
		while (*s && !blank(*s)) {
			char q = *s++;

			if (q == '\'' || q == '"') {
				for (; *s != q; s++) {
					if (!*s)
						sc_die("--strace: unterminated %c in '%s'", q, opts);
					if (q == '"' && *s == '\\' && s[1] && strchr("\"\\$`", s[1]))
						s++;
					*w++ = *s;
				}
				s++;
			} else if (q == '\\') {
				if (!*s)
					sc_die("--strace: '%s' ends with a backslash", opts);
				*w++ = *s++;
			} else {
				*w++ = q;
			}
		}
		*w++ = '\0';
		if (!strcmp(word, "--raw")) {
			o->raw = true;
			continue;
		}
		/* the trace goes to a file: nothing to filter (snapd's rule) */
		if (!strncmp(word, "-o", 2) || !strncmp(word, "--output", 8))
			o->raw = true;
		o->words[o->nwords++] = word;
	}
}

int debug_parse(int argc, char **argv, struct debug_opts *o)
{
	struct stat st;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--shell")) {
			if (o->shell)
				sc_die("--shell given twice");
			o->shell = true;
		} else if (!strcmp(a, "--strace") || !strncmp(a, "--strace=", 9)) {
			if (o->strace)
				sc_die("--strace given twice");
			o->strace = true;
			if (a[8])
				split_options(a + 9, o);
		} else if (!strncmp(a, "--shell=", 8)) {
			sc_die("--shell takes no value: '%s'", a);
		} else {
			break;
		}
	}
	if (!o->strace)
		return i - 1;
	if (getuid() != 0 || geteuid() != 0)
		sc_die("--strace needs root: strace must run as root to trace the setuid snap-confine "
		       "(snapd runs it with sudo)");
	if (stat(DEBUG_STRACE, &st) < 0)
		sc_die("--strace: cannot use %s: %s (Debian's strace is needed there)", DEBUG_STRACE,
		       strerror(errno));
	if (!S_ISREG(st.st_mode) || access(DEBUG_STRACE, X_OK) < 0)
		sc_die("--strace: %s is not an executable file", DEBUG_STRACE);
	return i - 1;
}

const char *debug_shell(const char *base)
{
	static const char *const shells[] = { "/bin/bash", "/bin/sh" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++) {
		int n = base ? snprintf(path, sizeof(path), "/snap/%s/current%s", base, shells[i])
			     : snprintf(path, sizeof(path), "%s", shells[i]);

		if (n > 0 && (size_t)n < sizeof(path) && access(path, X_OK) == 0)
			return shells[i];
	}
	sc_die("--shell: the base snap %s has neither /bin/bash nor /bin/sh", base ? base : "(the host)");
}

static void put(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

enum { BEFORE_EXEC, LAUNCHER, APP };

/* memmem, which would bring musl's two-way search into the static binary */
static bool contains(const char *s, size_t n, const char *word)
{
	size_t m = strlen(word);

	for (size_t i = 0; i + m <= n; i++)
		if (s[i] == word[0] && !memcmp(s + i, word, m))
			return true;
	return false;
}

/* one line of strace's stderr (with its newline, or a piece of a very long line) */
static int filter_line(int state, const char *s, size_t n, const char *needle)
{
	if (state == BEFORE_EXEC) {
		if (contains(s, n, "execve("))
			return LAUNCHER; /* snap-confine's own execve, left out as snapd does */
		put(s, n);
		return state;
	}
	if (contains(s, n, needle)) {
		put(s, n);
		return APP;
	}
	if (n > 5 && !memcmp(s, "snap-", 5))
		put(s, n); /* the launcher's messages, not the trace */
	return state;
}

static void filter(int fd, const char *first)
{
	static char buf[16384];
	char needle[PATH_MAX + 16];
	size_t len = 0;
	int state = BEFORE_EXEC;

	snprintf(needle, sizeof(needle), "execve(\"%s\"", first);
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len);
		char *s = buf, *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		while (state != APP && (nl = memchr(s, '\n', len - (size_t)(s - buf)))) {
			state = filter_line(state, s, (size_t)(nl + 1 - s), needle);
			s = nl + 1;
		}
		len -= (size_t)(s - buf);
		if (state == APP || len == sizeof(buf)) {
			if (state == APP)
				put(s, len);
			else
				state = filter_line(state, s, len, needle);
			len = 0;
		} else {
			memmove(buf, s, len);
		}
	}
	if (len)
		filter_line(state, buf, len, needle);
}

void debug_strace(const struct debug_opts *o, char *const *argv, const char *first)
{
	struct passwd *pw = getpwuid(getuid());
	char **sargv;
	size_t n = 0, k = 0;
	int p[2], status;
	sigset_t sigs;
	pid_t pid;

	if (!pw)
		sc_die("--strace: uid %u has no user name for strace -u", (unsigned)getuid());
	while (argv[n])
		n++;
	sargv = calloc(7 + o->nwords + n, sizeof(*sargv));
	if (!sargv)
		sc_die("out of memory");
	sargv[k++] = (char *)DEBUG_STRACE;
	sargv[k++] = (char *)"-u";
	sargv[k++] = pw->pw_name;
	sargv[k++] = (char *)"-f";
	sargv[k++] = (char *)"-e";
	sargv[k++] = (char *)EXCLUDED;
	for (size_t i = 0; i < o->nwords; i++)
		sargv[k++] = o->words[i];
	for (size_t i = 0; i < n; i++)
		sargv[k++] = argv[i];
	sc_debug("running %s under %s", argv[0], DEBUG_STRACE);
	if (o->raw) {
		execv(DEBUG_STRACE, sargv);
		sc_die("cannot run %s: %s", DEBUG_STRACE, strerror(errno));
	}
	if (pipe(p) < 0)
		sc_die("cannot make a pipe: %s", strerror(errno));
	/* vfork: musl's fork brings its atfork locking into the static binary */
	pid = vfork();
	if (pid < 0)
		sc_die("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		static const char msg[] = "snap-run: cannot run " DEBUG_STRACE "\n";

		close(p[0]);
		if (dup2(p[1], STDERR_FILENO) >= 0 && close(p[1]) == 0)
			execv(DEBUG_STRACE, sargv);
		put(msg, sizeof(msg) - 1);
		_exit(127);
	}
	close(p[1]);
	/* a ^C is the traced app's (strace's) to handle; the filter reads to the end */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGQUIT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	filter(p[0], first);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			sc_die("cannot wait for strace: %s", strerror(errno));
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
