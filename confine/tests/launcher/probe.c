// SPDX-License-Identifier: GPL-3.0-only
/*
 * The test app of the launcher tests, built static so it runs in any base:
 *   probe env NAME...     print NAME=value for each
 *   probe args ARG...     print [ARG] for each, one a line
 *   probe ids             uid/gid (real, effective, saved) and CapEff/CapPrm
 *   probe ns              the mount namespace (readlink /proc/self/ns/mnt)
 *   probe call WHAT       make a call and print "WHAT errno N" (0: success): getpid,
 *                         add_key, tiocsti, socket-netlink, socket-unix, chown-user,
 *                         syslog (read the kernel log)
 *   probe write FILE TEXT / read FILE / open DEVICE / touch FILE / stat FILE
 *   probe fds             the open descriptors other than 0, 1, 2
 *   probe cwd / umask / mounts (mount point, options, propagation)
 *   probe symlink TARGET LINK
 *   probe mkdir DIR / rename FROM TO  "mkdir errno N" / "rename errno N" (0: success)
 *   probe swaploop A B MS  exchange A and B (renameat2) for MS milliseconds
 *   probe wait             print the namespace, then wait for stdin to close
 * Called as chain-* (a command-chain entry), it prints "chain-N runs PROGRAM"
 * and executes the rest of its arguments.
 * Called as snap-update-ns (a stand-in helper of the tests), it records its
 * effective uid and environment in /run/snapd/helper-ran and exits 0.
 *   probe lock FILE       take an exclusive flock on FILE (as the launcher takes
 *                         its locks), print "locked", hold it until stdin ends
 * Exit status 0 unless the command itself is malformed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

extern char **environ;

static int as_helper(void)
{
	FILE *f = fopen("/run/snapd/helper-ran", "w");

	if (!f)
		return 1;
	fprintf(f, "euid %u\n", (unsigned)geteuid());
	for (char **e = environ; *e; e++)
		fprintf(f, "%s\n", *e);
	fclose(f);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int call(const char *what)
{
	long r = -1;

	errno = 0;
	if (!strcmp(what, "getpid"))
		r = syscall(SYS_getpid);
	else if (!strcmp(what, "add_key"))
		r = syscall(SYS_add_key, "user", "x", "y", 1, 0);
	else if (!strcmp(what, "tiocsti"))
		r = syscall(SYS_ioctl, 0, TIOCSTI, "x");
	else if (!strcmp(what, "socket-netlink"))
		r = syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0);
	else if (!strcmp(what, "syslog")) /* SYSLOG_ACTION_READ_ALL: what dmesg does */
		r = syscall(SYS_syslog, 3, (char[256]){ 0 }, 256);
	else if (!strcmp(what, "socket-unix"))
		r = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	else if (!strcmp(what, "chown-user"))
		r = syscall(SYS_fchownat, AT_FDCWD, "/nonexistent", 4321, 4321, 0);
	else
		return -1;
	printf("%s errno %d\n", what, r < 0 ? errno : 0);
	return 0;
}

static void status_field(const char *name)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, strlen(name)))
			fputs(line, stdout);
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (!strcmp(base, "snap-update-ns"))
		return as_helper();
	if (!strncmp(base, "chain-", 6) && argc > 1) {
		printf("%s runs %s\n", base, argv[1]);
		fflush(stdout);
		execv(argv[1], argv + 1);
		return 127;
	}
	if (argc == 1 && strcmp(base, "probe")) { /* a hook (meta/hooks/<hook>): who it runs as, and an exit status */
		const char *v = getenv("HOOKVAR"), *rc = getenv("PROBE_EXIT");

		printf("hook %s HOOKVAR=%s\n", base, v ? v : "(unset)");
		status_field("Seccomp:");
		return rc ? atoi(rc) : 0;
	}
	if (!strcmp(cmd, "args")) {
		for (int i = 2; i < argc; i++)
			printf("[%s]\n", argv[i]);
	} else if (!strcmp(cmd, "env")) {
		for (int i = 2; i < argc; i++) {
			const char *v = getenv(argv[i]);

			printf("%s=%s\n", argv[i], v ? v : "(unset)");
		}
	} else if (!strcmp(cmd, "ids")) {
		uid_t r, e, s;
		gid_t rg, eg, sg;

		getresuid(&r, &e, &s);
		getresgid(&rg, &eg, &sg);
		printf("uid %u %u %u\ngid %u %u %u\n", r, e, s, rg, eg, sg);
		status_field("CapEff:");
		status_field("CapPrm:");
		status_field("NoNewPrivs:");
		status_field("Seccomp:");
	} else if (!strcmp(cmd, "ns")) {
		char buf[128];
		ssize_t n = readlink("/proc/self/ns/mnt", buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		printf("%s\n", buf);
	} else if (!strcmp(cmd, "call") && argc == 3) {
		if (call(argv[2]))
			return 2;
	} else if (!strcmp(cmd, "write") && argc == 4) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || write(fd, argv[3], strlen(argv[3])) < 0)
			printf("write errno %d\n", errno);
		else
			printf("write ok\n");
		if (fd >= 0)
			close(fd);
	} else if (!strcmp(cmd, "read") && argc == 3) {
		char buf[4096];
		int fd = open(argv[2], O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (n < 0)
			printf("read errno %d\n", errno);
		else
			printf("%.*s\n", (int)n, buf);
		if (fd >= 0)
			close(fd);
	} else if (!strcmp(cmd, "open") && argc == 3) {
		int fd = open(argv[2], O_RDWR | O_NONBLOCK);

		printf("open errno %d\n", fd < 0 ? errno : 0);
		if (fd >= 0)
			close(fd);
	} else if (!strcmp(cmd, "readsome") && argc == 3) {
		/* a device: some bytes come, or the errno */
		char buf[512];
		int fd = open(argv[2], O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

		if (n > 0)
			printf("read ok\n");
		else
			printf("read errno %d\n", n < 0 ? errno : 0);
		if (fd >= 0)
			close(fd);
	} else if (!strcmp(cmd, "openloop") && argc == 3) {
		/* a running instance: opens the path again for every line on stdin */
		char line[64];

		setvbuf(stdout, NULL, _IONBF, 0);
		while (fgets(line, sizeof(line), stdin)) {
			int fd = open(argv[2], O_RDWR | O_NONBLOCK);

			printf("open errno %d\n", fd < 0 ? errno : 0);
			if (fd >= 0)
				close(fd);
		}
	} else if (!strcmp(cmd, "lock") && argc == 3) {
		char line[64];
		int fd = open(argv[2], O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		setvbuf(stdout, NULL, _IONBF, 0);
		if (fd < 0 || flock(fd, LOCK_EX) < 0) {
			printf("lock errno %d\n", errno);
			return 0;
		}
		printf("locked\n");
		while (fgets(line, sizeof(line), stdin))
			;
		close(fd);
	} else if (!strcmp(cmd, "touch") && argc == 3) {
		int fd = open(argv[2], O_WRONLY | O_CREAT, 0644);

		printf("touch %s\n", fd < 0 ? strerror(errno) : "ok");
	} else if (!strcmp(cmd, "stat") && argc == 3) {
		struct stat st;

		if (lstat(argv[2], &st) < 0)
			printf("stat errno %d\n", errno);
		else
			printf("mode %o uid %u gid %u\n", (unsigned)st.st_mode, st.st_uid, st.st_gid);
	} else if (!strcmp(cmd, "fds")) {
		DIR *d = opendir("/proc/self/fd");
		struct dirent *de;
		int self = d ? dirfd(d) : -1;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' && atoi(de->d_name) > 2 && atoi(de->d_name) != self)
				printf("fd %s\n", de->d_name);
		if (d)
			closedir(d);
		printf("fds done\n");
	} else if (!strcmp(cmd, "cwd")) {
		char buf[4096];

		printf("%s\n", getcwd(buf, sizeof(buf)) ? buf : "(none)");
	} else if (!strcmp(cmd, "umask")) {
		mode_t m = umask(0);

		printf("%04o\n", (unsigned)m);
	} else if (!strcmp(cmd, "mounts")) {
		char line[4096];
		FILE *f = fopen("/proc/self/mountinfo", "r");

		while (f && fgets(line, sizeof(line), f)) {
			char mp[4096], opts[4096], opt[4096];

			/* mount point, its options, the first optional field (propagation) */
			if (sscanf(line, "%*s %*s %*s %*s %4095s %4095s %4095s", mp, opts, opt) == 3)
				printf("%s %s %s\n", mp, opts, strcmp(opt, "-") ? opt : "private");
		}
		if (f)
			fclose(f);
	} else if (!strcmp(cmd, "symlink") && argc == 4) {
		printf("symlink %s\n", symlink(argv[2], argv[3]) < 0 ? strerror(errno) : "ok");
	} else if (!strcmp(cmd, "mkdir") && argc == 3) {
		printf("mkdir errno %d\n", mkdir(argv[2], 0755) < 0 ? errno : 0);
	} else if (!strcmp(cmd, "rename") && argc == 4) {
		printf("rename errno %d\n", rename(argv[2], argv[3]) < 0 ? errno : 0);
	} else if (!strcmp(cmd, "swaploop") && argc == 5) {
		long end = now_ms() + atol(argv[4]), n = 0;

		while (now_ms() < end)
			if (syscall(SYS_renameat2, AT_FDCWD, argv[2], AT_FDCWD, argv[3], RENAME_EXCHANGE) == 0)
				n++;
		printf("swaps %ld\n", n);
	} else if (!strcmp(cmd, "wait")) {
		char buf[128];
		ssize_t n = readlink("/proc/self/ns/mnt", buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		printf("%s\n", buf);
		fflush(stdout);
		while (read(0, buf, sizeof(buf)) > 0)
			;
	} else {
		fprintf(stderr, "probe: unknown command '%s'\n", cmd);
		return 2;
	}
	return 0;
}
