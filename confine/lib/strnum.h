/* SPDX-License-Identifier: GPL-3.0-only */
/* Strict number parsing and octal escapes for the launcher's text formats (no libc strtol machinery). */
#ifndef CONFINE_STRNUM_H
#define CONFINE_STRNUM_H

/*
 * The whole of s is digits of base (8, 10 or 16; no sign, no prefix, no
 * spaces) and the value is at most max: 0 and *v; otherwise -1.
 */
int str_to_ulong(const char *s, unsigned base, unsigned long max, unsigned long *v);

/*
 * Decodes the \ooo escapes of fstab(5) and /proc/self/mountinfo in place
 * (\040 is a space). -1 on a malformed escape or one that would make a NUL.
 */
int str_unescape_octal(char *s);

#endif
