// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-supervisor: the snaps' services on images without systemd
 * (docs/snap-supervisor.md). The logic is in confine/lib/svc_*.c; this
 * file reads the command line.
 *
 * usage: snap-supervisor [TEST OPTIONS] boot | status [X] | start X | stop X |
 *        restart X | logs [-n N] X | shutdown        (X: INSTANCE or INSTANCE.APP)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strnum.h"
#include "svc.h"

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "snap-supervisor: %s\n", why);
	fprintf(stderr, "usage: snap-supervisor boot | status [X] | start X | stop X | restart X |\n"
			"       logs [-n N] X | shutdown           (X: INSTANCE or INSTANCE.APP)\n");
	return SVC_EXIT_USAGE;
}

static int check_name(const char *x)
{
	char inst[SVC_NAME_MAX], app[SVC_NAME_MAX];
	struct diag err;

	if (strlen(x) >= SVC_NAME_MAX || svc_name_split(x, inst, sizeof(inst), app, sizeof(app), &err)) {
		fprintf(stderr, "snap-supervisor: %s: not INSTANCE or INSTANCE.APP\n", x);
		return -1;
	}
	return 0;
}

static int logs(const char *root, int argc, char **argv)
{
	char path[SVC_PATH_MAX + SVC_NAME_MAX + 32];
	unsigned long n = 10;
	struct diag err;
	int i = 0;

	if (argc >= 2 && !strcmp(argv[0], "-n")) {
		if (str_to_ulong(argv[1], 10, 1000000, &n))
			return usage("-n takes a number of lines");
		i = 2;
	}
	if (argc != i + 1)
		return usage("logs takes one INSTANCE or INSTANCE.APP");
	if (check_name(argv[i]))
		return SVC_EXIT_USAGE;
	snprintf(path, sizeof(path), "%s" SVC_LOG_DIR "/snap.%s.log", root, argv[i]);
	if (svc_log_tail(path, (unsigned)n, 1, &err)) {
		fprintf(stderr, "snap-supervisor: %s\n", err.msg);
		return SVC_EXIT_FAILED;
	}
	return SVC_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct svc_opts o = { .root = "",
			      .snap_run = CONFIG_CONFINE_LIBEXECDIR "/snap-run",
			      .log_max = (size_t)CONFIG_SUPERVISOR_LOG_SIZE * 1024 };
	char req[SVC_NAME_MAX + 16], sock[SVC_PATH_MAX + 40];
	bool test_opt = false;
	unsigned long v;
	int i = 1;

	/* test options: never from the environment; those that change what runs are root's only */
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strncmp(argv[i], "--root=", 7) && argv[i][7] == '/' && strlen(argv[i] + 7) < 200) {
			snprintf(o.root, sizeof(o.root), "%s", argv[i] + 7);
		} else if (!strncmp(argv[i], "--snap-run=", 11) && argv[i][11] == '/' &&
			   strlen(argv[i] + 11) < sizeof(o.snap_run)) {
			snprintf(o.snap_run, sizeof(o.snap_run), "%s", argv[i] + 11);
			test_opt = true;
		} else if (!strcmp(argv[i], "--no-cgroup")) {
			o.no_cgroup = test_opt = true;
		} else if (!strncmp(argv[i], "--log-size=", 11) &&
			   !str_to_ulong(argv[i] + 11, 10, 1UL << 30, &v) && v >= 1024) {
			o.log_max = v;
			test_opt = true;
		} else {
			return usage("unknown option or bad value");
		}
	}
	if (i == argc)
		return usage(NULL);
	if (test_opt && getuid() != 0) {
		fprintf(stderr, "snap-supervisor: the test options are root's only\n");
		return SVC_EXIT_DENIED;
	}
	if (!strcmp(argv[i], "boot")) {
		if (argc != i + 1)
			return usage("boot takes no argument");
		if (getuid() != 0 || geteuid() != 0) {
			fprintf(stderr, "snap-supervisor: boot must run as root\n");
			return SVC_EXIT_DENIED;
		}
		return svc_daemon_boot(&o);
	}
	if (!strcmp(argv[i], "logs"))
		return logs(o.root, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "status") || !strcmp(argv[i], "shutdown")) {
		if (argc > i + 2 || (argc == i + 2 && argv[i][1] == 'h'))
			return usage("too many arguments");
	} else if (!strcmp(argv[i], "start") || !strcmp(argv[i], "stop") || !strcmp(argv[i], "restart")) {
		if (argc != i + 2)
			return usage("start, stop and restart take one INSTANCE or INSTANCE.APP");
	} else {
		return usage("unknown command");
	}
	if (argc == i + 2 && check_name(argv[i + 1]))
		return SVC_EXIT_USAGE;
	snprintf(req, sizeof(req), "%s%s%s", argv[i], argc == i + 2 ? " " : "",
		 argc == i + 2 ? argv[i + 1] : "");
	snprintf(sock, sizeof(sock), "%s" SVC_SOCKET, o.root);
	return svc_ctl_call(sock, req);
}
