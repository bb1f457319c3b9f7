/* SPDX-License-Identifier: GPL-3.0-only */
/* Strict number parsing for the launcher's text formats (no libc strtol machinery). */
#ifndef CONFINE_STRNUM_H
#define CONFINE_STRNUM_H

/*
 * The whole of s is digits of base (8, 10 or 16; no sign, no prefix, no
 * spaces) and the value is at most max: 0 and *v; otherwise -1.
 */
int str_to_ulong(const char *s, unsigned base, unsigned long max, unsigned long *v);

#endif
