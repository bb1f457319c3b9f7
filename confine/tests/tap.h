/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * A minimal TAP producer for the unit tests: `prove` counts what ran.
 *   ok(cond, "name %d", i);  skip(n, "why");  diag("note");  return tap_done();
 */
#ifndef CONFINE_TAP_H
#define CONFINE_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned tap_run, tap_failed;

__attribute__((format(printf, 2, 3))) static inline bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2))) static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline void skip(unsigned n, const char *why)
{
	while (n--)
		printf("ok %u # SKIP %s\n", ++tap_run, why);
}

static inline int tap_done(void)
{
	printf("1..%u\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif
