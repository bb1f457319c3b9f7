// SPDX-License-Identifier: GPL-3.0-only
/*
 * bench-exec: executes its arguments and does nothing else. Built static
 * (musl) like the launcher, it measures the cost of one extra exec of a
 * small static binary: the floor of a launch through any launcher.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: bench-exec PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
