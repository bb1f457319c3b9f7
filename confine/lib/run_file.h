/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The app run file, /var/lib/snapd/confine/run/snap.<snap>.<app>
 * (docs/formats.md, "App run file"): what snap-run needs of snap.yaml,
 * written at install time by snap-interfaces so that the static launcher
 * reads KEY=VALUE lines and no YAML. Parsed in place, no allocation.
 */
#ifndef CONFINE_RUN_FILE_H
#define CONFINE_RUN_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define RUN_MAX_CHAIN 16
#define RUN_MAX_ARGS  64
#define RUN_MAX_ENV   128

/* a daemon's other commands (stop-exec=, post-stop-exec=, reload-exec= and their -arg= lines) */
enum run_extra { RUN_STOP, RUN_POST_STOP, RUN_RELOAD, RUN_EXTRA_N };
/* "stop", "post-stop", "reload": the key prefixes and snap-run's --command= values */
extern const char *const run_extra_name[RUN_EXTRA_N];

struct run_file {
	const char *version, *base, *confinement;
	const char *exec; /* the program, relative to $SNAP (legacy command=: may be absolute) */
	bool legacy;	  /* written as command=WORDS (split on blanks, nothing escaped) */
	const char *chain[RUN_MAX_CHAIN]; /* command-chain, relative to $SNAP, in order */
	const char *args[RUN_MAX_ARGS];	  /* the command's own arguments, escaped, expanded at launch */
	const char *env[RUN_MAX_ENV];	  /* KEY=VALUE in order (the snap's, then the app's), escaped */
	size_t nchain, nargs, nenv;
	struct run_cmd {
		const char *exec; /* relative to $SNAP; NULL: the app has no such command */
		const char *args[RUN_MAX_ARGS];
		size_t nargs;
	} extra[RUN_EXTRA_N];
};

/* text (NUL-terminated, modified) read from path; errors are "path:line: reason" */
int run_file_parse(const char *path, char *text, struct run_file *rf, struct diag *err);

/* NAME of an environment entry: [A-Za-z_][A-Za-z0-9_]* */
bool run_env_name_valid(const char *s, size_t len);

#endif
