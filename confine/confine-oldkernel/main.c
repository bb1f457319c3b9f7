// SPDX-License-Identifier: GPL-3.0-only
/*
 * confine-oldkernel: run a command on a kernel that presents the seccomp
 * interface of Linux < 4.14 (a test mode; Debian has no such kernel).
 *
 * usage: confine-oldkernel [--no-statx] CMD [ARGS...]
 *
 * In a private mount namespace, /proc/sys/kernel/seccomp/actions_avail is
 * replaced by a copy without "log"; an outer seccomp filter, inherited by
 * CMD and everything it starts, makes seccomp(SECCOMP_GET_ACTION_AVAIL) and
 * seccomp(SECCOMP_SET_MODE_FILTER) with SECCOMP_FILTER_FLAG_LOG fail with
 * EINVAL, as an older kernel does (prctl(PR_SET_SECCOMP) still works).
 * The filter is loaded with CAP_SYS_ADMIN and without no_new_privs, so
 * setuid programs (the launcher) still work under it. Needs root.
 *
 * --no-statx also makes statx() fail with ENOSYS, as on Linux < 4.11: no
 * mount ids from statx (they came with 5.8) for the programs under it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_compat.h"
#include "arch.h"
#include "sc_log.h"

#define AVAIL "/proc/sys/kernel/seccomp/actions_avail"

/* the seccomp() number of the native and the compat architecture */
#if defined(__x86_64__)
#define NATIVE_AUDIT ARCH_AUDIT_X86_64
#define COMPAT_AUDIT ARCH_AUDIT_I386
#define COMPAT_NR 354
#elif defined(__aarch64__)
#define NATIVE_AUDIT ARCH_AUDIT_AARCH64
#define COMPAT_AUDIT ARCH_AUDIT_ARM
#define COMPAT_NR 383
#elif defined(__arm__)
#define NATIVE_AUDIT ARCH_AUDIT_ARM
#define COMPAT_AUDIT ARCH_AUDIT_ARM
#define COMPAT_NR 383
#endif

#define ARG_LO(n) (offsetof(struct seccomp_data, args) + (n) * 8)

static void hide_log_action(void)
{
	char buf[512], out[512], tmp[] = "/run/.confine-oldkernel.XXXXXX";
	char *w = out;
	int fd = open(AVAIL, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return; /* no such file: already an old kernel */
	buf[n] = '\0';
	/* drop the word "log" */
	for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"))
		if (strcmp(tok, "log"))
			w += sprintf(w, "%s%s", w == out ? "" : " ", tok);
	*w++ = '\n';
	*w = '\0';
	fd = mkstemp(tmp);
	if (fd < 0 || write(fd, out, strlen(out)) < 0 || fchmod(fd, 0444) < 0)
		sc_die("cannot write a copy of %s in /run: %s", AVAIL, strerror(errno));
	close(fd);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0 ||
	    mount(tmp, AVAIL, NULL, MS_BIND, NULL) < 0)
		sc_die("cannot hide the log action in %s: %s", AVAIL, strerror(errno));
	unlink(tmp);
}

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT, 0, 2),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 3, 8),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COMPAT_AUDIT, 0, 7),
		/* 5 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COMPAT_NR, 0, 5),
		/* 7: seccomp(op, flags, ...) */
		/* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_GET_ACTION_AVAIL, 4, 0),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_SET_MODE_FILTER, 0, 2),
		/* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)),
		/* 11 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, SECCOMP_FILTER_FLAG_LOG, 1, 0),
		/* 12 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 13 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
	};
	struct sock_filter nostatx[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_statx, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	struct sock_fprog prog2 = { .len = sizeof(nostatx) / sizeof(nostatx[0]), .filter = nostatx };
	bool no_statx = argc > 1 && !strcmp(argv[1], "--no-statx");

	sc_log_init("confine-oldkernel");
	if (no_statx) {
		argc--;
		argv++;
	}
	if (argc < 2 || argv[1][0] == '-')
		sc_die("usage: confine-oldkernel [--no-statx] CMD [ARGS...]");
	if (geteuid() != 0)
		sc_die("need to run as root");
	hide_log_action();
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0 ||
	    (no_statx && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog2, 0, 0) < 0))
		sc_die("cannot install the old-kernel filter: %s", strerror(errno));
	execvp(argv[1], argv + 1);
	sc_die("cannot execute %s: %s", argv[1], strerror(errno));
}
