/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * snap-run's debugging options, as snapd's "snap run" has them:
 *   --shell             a shell instead of the app's command, under the app's
 *                       confinement and environment (its command-chain first)
 *   --strace[=OPTIONS]  the launch under strace (a fixed path, root only),
 *                       snap-confine's own part of the trace left out
 */
#ifndef CONFINE_SNAP_RUN_DEBUG_H
#define CONFINE_SNAP_RUN_DEBUG_H

#include <stdbool.h>
#include <stddef.h>

/* Debian's strace; never looked up in PATH */
#define DEBUG_STRACE "/usr/bin/strace"

struct debug_opts {
	bool shell;
	bool strace;
	bool raw;     /* --raw or an output file in OPTIONS: the whole trace, unfiltered */
	char **words; /* OPTIONS split as a shell splits words, --raw removed */
	size_t nwords;
};

/*
 * Consumes the leading debugging options of argv[1..]; returns how many.
 * Bad options, --strace by another user than root or without a usable
 * DEBUG_STRACE: one line and exit 1, before anything is done.
 */
int debug_parse(int argc, char **argv, struct debug_opts *o);
/* the shell --shell runs: /bin/bash when the base snap has it (snapd's), else /bin/sh */
const char *debug_shell(const char *base);
/* runs argv (snap-confine and its arguments) under strace, then exits with its status;
 * first is the path snap-confine executes once the confinement is set up */
__attribute__((noreturn)) void debug_strace(const struct debug_opts *o, char *const *argv, const char *first);

#endif
