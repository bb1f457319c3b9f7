// SPDX-License-Identifier: GPL-3.0-only
/* Strict number parsing and octal escapes (strnum.h). */
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

int str_unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		if (r[1] < '0' || r[1] > '3' || r[2] < '0' || r[2] > '7' || r[3] < '0' || r[3] > '7')
			return -1;
		*w = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
		if (*w == '\0')
			return -1;
		w++;
		r += 3;
	}
	*w = '\0';
	return 0;
}
