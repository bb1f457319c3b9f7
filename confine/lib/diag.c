// SPDX-License-Identifier: GPL-3.0-only
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int diag_set(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int diag_errno(struct diag *d, const char *fmt, ...)
{
	int saved = errno;
	size_t n;
	va_list ap;

	if (!d)
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	n = strlen(d->msg);
	if (n < sizeof(d->msg))
		snprintf(d->msg + n, sizeof(d->msg) - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}
