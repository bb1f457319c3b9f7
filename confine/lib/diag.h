/* SPDX-License-Identifier: GPL-3.0-only */
/* One-line diagnostics carried from a library function to its caller. */
#ifndef CONFINE_DIAG_H
#define CONFINE_DIAG_H

#include <stddef.h>

#define DIAG_MAX 512

struct diag {
	char msg[DIAG_MAX];
};

/* printf into d->msg (truncating); returns -1 so callers can "return diag_set(...)" */
int diag_set(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* the same, with ": strerror(errno)" appended (errno as it was at the call) */
int diag_errno(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
