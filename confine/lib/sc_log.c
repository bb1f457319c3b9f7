// SPDX-License-Identifier: GPL-3.0-only
/* The launcher's diagnostics (sc_log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc_log.h"

static const char *log_prog = "snap-confine";
static bool log_debug;

void sc_log_init(const char *prog)
{
	const char *v = getenv("SNAP_CONFINE_DEBUG");

	log_prog = prog;
#ifdef CONFIG_CONFINE_DEBUG_OUTPUT
	log_debug = v && (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true"));
#else
	(void)v;
	log_debug = false;
#endif
}

bool sc_debug_enabled(void)
{
	return log_debug;
}

void sc_debug(const char *fmt, ...)
{
#ifdef CONFIG_CONFINE_DEBUG_OUTPUT
	va_list ap;

	if (!log_debug)
		return;
	fprintf(stderr, "%s: DEBUG: ", log_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
#else
	(void)fmt;
#endif
}

void sc_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", log_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
