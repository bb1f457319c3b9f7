// SPDX-License-Identifier: GPL-3.0-only
/* Strict number parsing (strnum.h). */
#include "strnum.h"

int str_to_ulong(const char *s, unsigned base, unsigned long max, unsigned long *v)
{
	unsigned long acc = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (d >= base || acc > (max - d) / base)
			return -1;
		acc = acc * base + d;
	}
	*v = acc;
	return 0;
}
