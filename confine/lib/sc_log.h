/* SPDX-License-Identifier: GPL-3.0-only */
/* The launcher's diagnostics: SNAP_CONFINE_DEBUG=yes prints each step on stderr. */
#ifndef CONFINE_SC_LOG_H
#define CONFINE_SC_LOG_H

#include <stdbool.h>

/* reads SNAP_CONFINE_DEBUG once; prog prefixes every line */
void sc_log_init(const char *prog);
bool sc_debug_enabled(void);
void sc_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: message" on stderr, then exit(1) */
__attribute__((noreturn, format(printf, 1, 2))) void sc_die(const char *fmt, ...);

#endif
