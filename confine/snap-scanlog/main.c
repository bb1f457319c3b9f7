// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-scanlog: the denial scanner. Reads the kernel log (or a saved one)
 * and prints one line per seccomp or AppArmor denial: the app, what it
 * did, and the interfaces whose connection would allow it; --summary adds
 * the plugs each app needs; --devices checks a snap's device assignment.
 * The parsing, matching and wording are in confine/lib (scanlog.c,
 * iface/aaglob.c, iface/explain.c, devcheck.c); this is input, output and
 * the kernel's rate limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devcheck.h"
#include "iface/explain.h"
#include "scanlog.h"
#include "version.h"

#ifdef CONFIG_CONFINE_LIBEXECDIR
#define DATA_DIR CONFIG_CONFINE_LIBEXECDIR
#else
#define DATA_DIR "/usr/lib/snapd"
#endif
#define RATELIMIT "/proc/sys/kernel/printk_ratelimit"

static const char usage_text[] =
	"usage: snap-scanlog [OPTIONS] [SNAP|SNAP.APP]\n"
	"Reads the kernel log (/dev/kmsg, to its end) and prints each seccomp and AppArmor denial of\n"
	"the snaps' apps with the interfaces whose connection would allow it (only SNAP's or SNAP.APP's\n"
	"when given). While it reads /dev/kmsg the kernel's log rate limit is off.\n"
	"options:\n"
	"  -i, --input FILE         a saved log instead (dmesg, journalctl -k, audit.log, /dev/kmsg; - for "
	"stdin)\n"
	"  -f, --follow             keep reading /dev/kmsg as lines come (new ones), until interrupted\n"
	"  -s, --summary            then the plugs each app needs (after a devmode or complain run)\n"
	"  -a, --all                every line (default: each distinct denial once, with a count)\n"
	"  -v, --verbose            each denial's log line under it\n"
	"  --devices SNAP[.APP]     check the snap's device assignment (udev rules, tags, device cgroup)\n"
	"  --interfaces DIR         interface data (default " DATA_DIR "/interfaces)\n"
	"  --apparmor-base FILE     base AppArmor profile, for its @{VAR}s (default " DATA_DIR
	"/policy/apparmor-base)\n"
	"  --seccomp-base FILE      base seccomp policy (default " DATA_DIR "/policy/default.src)\n"
	"  --root DIR               where /snap, /etc/udev, /run/udev and /sys are (default /)\n"
	"  --keep-ratelimit         leave kernel.printk_ratelimit alone\n"
	"  --version, -h/--help\n";

/* ---- the kernel's rate limit, off while we read and put back however we end */
static char old_ratelimit[32];
static volatile sig_atomic_t stop_signal;

static void ratelimit_restore(void)
{
	int fd;

	if (!old_ratelimit[0])
		return;
	fd = open(RATELIMIT, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t w = write(fd, old_ratelimit, strlen(old_ratelimit));

		(void)w;
		close(fd);
	}
	old_ratelimit[0] = '\0';
}

static void ratelimit_off(void)
{
	int fd = open(RATELIMIT, O_RDONLY | O_CLOEXEC);
	char buf[32];
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "0"))
		return; /* already off: nothing to put back */
	fd = open(RATELIMIT, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		fprintf(stderr,
			"snap-scanlog: note: cannot turn the kernel's log rate limit off (%s): lines may be "
			"dropped\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	memcpy(old_ratelimit, buf, strlen(buf) + 1);
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void on_fatal(int sig)
{
	ratelimit_restore(); /* open, write and close are async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocking read or poll returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

/* ---- what was seen */
struct seen {
	char *line, *raw;
	unsigned count;
};

struct run {
	struct explain_db db;
	struct scan_summary sum;
	const char *root, *only;
	bool all, follow, verbose, summary;
	struct seen *seen;
	size_t nseen;
	unsigned long long lines, denials, suppressed, lost_total;
	bool lost_some;
};

/* the SNAP or SNAP.APP (or snap.SNAP.APP) argument: is the line that app's? */
static bool wanted(const struct run *r, const struct scan_who *who)
{
	if (!r->only)
		return true;
	if (!strchr(r->only, '.'))
		return !strcmp(r->only, who->snap);
	return !strcmp(r->only, who->tag) ||
	       (!strncmp(who->tag, "snap.", 5) && !strcmp(r->only, who->tag + 5));
}

static void one_line(struct run *r, const char *text, size_t len)
{
	struct scan_event ev;
	struct scan_who who;
	struct explanation ex;
	char *line;

	r->lines++;
	switch (scan_parse_line(text, len, &ev)) {
	case SCAN_SUPPRESSED:
		if (ev.lost_total) {
			r->lost_total = ev.suppressed;
		} else {
			r->suppressed += ev.suppressed;
			r->lost_some = true;
		}
		if (r->follow && !ev.lost_total) {
			if (ev.suppressed)
				printf("(the kernel dropped %llu audit lines here: rate limit)\n",
				       ev.suppressed);
			else
				printf("(the kernel dropped audit lines here: rate limit)\n");
			fflush(stdout);
		}
		return;
	case SCAN_NONE:
		return;
	default:
		break;
	}
	scan_identify(&ev, r->root, &who);
	if (!wanted(r, &who))
		return;
	scan_explain(&r->db, &ev, &who, &ex);
	if (ex.what == EX_SKIP)
		return;
	r->denials++;
	if (r->summary && scan_summary_add(&r->sum, &r->db, &who, &ex))
		fprintf(stderr, "snap-scanlog: out of memory\n");
	line = scan_format(&r->db, &who, &ex);
	if (!line)
		return;
	if (r->follow || r->all) {
		printf("%s\n", line);
		if (r->verbose)
			printf("    %.*s\n", (int)strcspn(text, "\n"), text);
		fflush(stdout);
		free(line);
		return;
	}
	for (size_t i = 0; i < r->nseen; i++)
		if (!strcmp(r->seen[i].line, line)) {
			r->seen[i].count++;
			free(line);
			return;
		}
	{
		struct seen *ns = realloc(r->seen, (r->nseen + 1) * sizeof(*ns));

		if (!ns) {
			free(line);
			return;
		}
		r->seen = ns;
		r->seen[r->nseen] =
			(struct seen){ line, r->verbose ? strndup(text, strcspn(text, "\n")) : NULL, 1 };
		r->nseen++;
	}
}

/* /dev/kmsg: one record per read; to its end, or on and on with follow */
static int read_kmsg(struct run *r)
{
	static char rec[16384], text[16384];
	int fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		fprintf(stderr, "snap-scanlog: cannot read the kernel log /dev/kmsg: %s%s\n", strerror(errno),
			errno == EPERM || errno == EACCES ? " (root, or kernel.dmesg_restrict=0)" : "");
		return 1;
	}
	if (r->follow)
		lseek(fd, 0, SEEK_END);
	while (!stop_signal) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n > 0) {
			size_t tl = scan_kmsg_text(rec, (size_t)n, text, sizeof(text));

			one_line(r, text, tl);
			continue;
		}
		if (n < 0 && errno == EPIPE)
			continue; /* records overwritten while we read: go on with the oldest left */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && r->follow) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			poll(&p, 1, 500);
			continue;
		}
		if (n < 0 && errno != EAGAIN) {
			fprintf(stderr, "snap-scanlog: reading /dev/kmsg: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
		break; /* EAGAIN: the end of the log */
	}
	close(fd);
	return 0;
}

static int read_file(struct run *r, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *text = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "snap-scanlog: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (!stop_signal && (n = getline(&line, &cap, f)) >= 0) {
		if (scan_kmsg_header(line, (size_t)n)) {
			char *nt = realloc(text, (size_t)n + 1);

			if (!nt)
				break;
			text = nt;
			one_line(r, text, scan_kmsg_text(line, (size_t)n, text, (size_t)n + 1));
		} else {
			one_line(r, line, (size_t)n);
		}
	}
	free(line);
	free(text);
	if (f != stdin)
		fclose(f);
	return 0;
}

static void report(struct run *r)
{
	for (size_t i = 0; i < r->nseen; i++) {
		if (r->seen[i].count > 1)
			printf("%s (%u times)\n", r->seen[i].line, r->seen[i].count);
		else
			printf("%s\n", r->seen[i].line);
		if (r->seen[i].raw)
			printf("    %s\n", r->seen[i].raw);
	}
	if (r->lost_some) {
		char n[32] = "";

		if (r->suppressed)
			snprintf(n, sizeof(n), "%llu ", r->suppressed);
		printf("(the kernel dropped %saudit lines (rate limit): run the app again while snap-scanlog "
		       "--follow "
		       "runs, which turns the limit off)\n",
		       n);
	}
	if (r->summary) {
		char *s = scan_summary_format(&r->sum, &r->db);

		if (s)
			printf("%ssummary, the plugs each app needs:\n%s", r->nseen || r->follow ? "\n" : "",
			       s);
		free(s);
	}
	if (!r->denials)
		fprintf(stderr, "snap-scanlog: no denial found (%llu lines read)\n", r->lines);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "follow", no_argument, NULL, 'f' },
		{ "summary", no_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "devices", required_argument, NULL, 'D' },
		{ "interfaces", required_argument, NULL, 'I' },
		{ "apparmor-base", required_argument, NULL, 'A' },
		{ "seccomp-base", required_argument, NULL, 'S' },
		{ "root", required_argument, NULL, 'R' },
		{ "keep-ratelimit", no_argument, NULL, 'K' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *input = NULL, *devices = NULL, *ifaces = DATA_DIR "/interfaces";
	const char *aa_base = DATA_DIR "/policy/apparmor-base", *sc_base = DATA_DIR "/policy/default.src";
	struct run r = { .root = "/" };
	bool keep = false;
	struct diag err = { { 0 } };
	int c, rc;

	while ((c = getopt_long(argc, argv, "i:fsavh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'f':
			r.follow = true;
			break;
		case 's':
			r.summary = true;
			break;
		case 'a':
			r.all = true;
			break;
		case 'v':
			r.verbose = true;
			break;
		case 'D':
			devices = optarg;
			break;
		case 'I':
			ifaces = optarg;
			break;
		case 'A':
			aa_base = optarg;
			break;
		case 'S':
			sc_base = optarg;
			break;
		case 'R':
			r.root = optarg;
			break;
		case 'K':
			keep = true;
			break;
		case 'V':
			printf("snap-scanlog %s\n", CONFINE_VERSION);
			return 0;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind + 1 < argc || (input && r.follow) || (devices && (input || r.follow || r.summary))) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (optind < argc)
		r.only = argv[optind];
	if (devices) {
		rc = devcheck_run(r.root, devices, stdout, &err);
		if (rc < 0) {
			fprintf(stderr, "snap-scanlog: %s\n", err.msg);
			return 2;
		}
		return rc ? 1 : 0;
	}
	explain_db_init(&r.db);
	if (explain_db_load(&r.db, ifaces, aa_base, sc_base, &err)) {
		fprintf(stderr, "snap-scanlog: %s\n", err.msg);
		return 1;
	}
	for (size_t i = 0; i < r.db.nnotes; i++)
		fprintf(stderr, "snap-scanlog: note: %s\n", r.db.notes[i]);
	signals();
	if (input) {
		rc = read_file(&r, input);
	} else {
		if (!keep) {
			ratelimit_off();
			atexit(ratelimit_restore);
		}
		rc = read_kmsg(&r);
		ratelimit_restore();
	}
	report(&r);
	for (size_t i = 0; i < r.nseen; i++) {
		free(r.seen[i].line);
		free(r.seen[i].raw);
	}
	free(r.seen);
	scan_summary_free(&r.sum);
	explain_db_free(&r.db);
	if (stop_signal && !r.follow)
		return 128 + stop_signal;
	return rc;
}
