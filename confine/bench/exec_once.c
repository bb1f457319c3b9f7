// SPDX-License-Identifier: GPL-3.0-only
/*
 * bench-exec [-f PROGRAM.bin] PROGRAM [ARG...]: executes its arguments and
 * does nothing else. Built static (musl) like the launcher, it measures
 * the cost of one extra exec of a small static binary: the floor of a
 * launch through any launcher. With -f it first loads the raw seccomp
 * program in that file (snap-seccomp compile --format=bin: the program our
 * launcher loads from the app's .bin2) the way the launcher does (one
 * seccomp(2), SECCOMP_FILTER_FLAG_LOG), and nothing else: the floor of a
 * launcher that applies that profile.
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int load(const char *file)
{
	static struct sock_filter insn[BPF_MAXINSNS + 1];
	struct sock_fprog prog = { .filter = insn };
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, insn, sizeof(insn));

	if (n <= 0 || n % (ssize_t)sizeof(*insn) || n > (ssize_t)(BPF_MAXINSNS * sizeof(*insn))) {
		fprintf(stderr, "bench-exec: %s: not a raw seccomp program\n", file);
		return -1;
	}
	close(fd);
	prog.len = (unsigned short)(n / (ssize_t)sizeof(*insn));
	/* as the launcher: no no_new_privs for root (CAP_SYS_ADMIN), set for anyone else */
	if ((geteuid() && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog) < 0) {
		perror("bench-exec: seccomp");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int a = 1;

	if (argc > 3 && !strcmp(argv[1], "-f")) {
		if (load(argv[2]))
			return 1;
		a = 3;
	}
	if (argc <= a) {
		fputs("usage: bench-exec [-f PROGRAM.bin] PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	execv(argv[a], argv + a);
	perror(argv[a]);
	return 127;
}
