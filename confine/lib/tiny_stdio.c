// SPDX-License-Identifier: GPL-3.0-only
/*
 * A small formatted-output implementation for the static launcher only.
 * libc's printf family carries floating point (on arm64, soft-float
 * 128-bit long double), which the launcher never prints; these
 * definitions replace it at static link time and write with write(2).
 * Conversions: d i u x X o c s p %, flags - 0 # +, space, width and
 * precision (numbers or *), length modifiers hh h l ll z j t.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct out {
	char *buf;
	size_t cap, len; /* len counts everything, even what did not fit */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_s(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
}

int vsnprintf(char *restrict buf, size_t cap, const char *restrict fmt, va_list ap)
{
	struct out o = { .buf = buf, .cap = cap };

	for (const char *p = fmt; *p; p++) {
		char digits[32], sign = 0;
		const char *prefix = "";
		bool left = false, zero = false, alt = false, plus = false, space = false, neg = false;
		int width = 0, prec = -1, lng = 0;
		uintmax_t v = 0;
		unsigned base = 10;
		size_t nd = 0;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		for (p++;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else if (*p == '#')
				alt = true;
			else if (*p == '+')
				plus = true;
			else if (*p == ' ')
				space = true;
			else
				break;
		}
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		for (;; p++) {
			if (*p == 'h')
				lng--;
			else if (*p == 'l')
				lng++;
			else if (*p == 'j')
				lng = 2;
			else if (*p == 'z' || *p == 't') /* as wide as long: 32 bits on armhf */
				lng = sizeof(size_t) == sizeof(long) ? 1 : 2;
			else
				break;
		}
		switch (*p) {
		case '%':
			put(&o, '%');
			continue;
		case 'c':
			digits[0] = (char)va_arg(ap, int);
			put_n(&o, ' ', left ? 0 : width - 1);
			put(&o, digits[0]);
			put_n(&o, ' ', left ? width - 1 : 0);
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (!s)
				s = "(null)";
			n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			put_n(&o, ' ', left ? 0 : width - (int)n);
			put_s(&o, s, n);
			put_n(&o, ' ', left ? width - (int)n : 0);
			continue;
		}
		case 'd':
		case 'i': {
			intmax_t sv = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);

			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			neg = sv < 0;
			v = neg ? (uintmax_t)0 - (uintmax_t)sv : (uintmax_t)sv;
			sign = neg ? '-' : plus ? '+' : space ? ' ' : 0;
			break;
		}
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			base = 16;
			prefix = "0x";
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			v = lng >= 2 ? va_arg(ap, unsigned long long) : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng <= -2)
				v = (unsigned char)v;
			base = *p == 'o' ? 8 : *p == 'u' ? 10 : 16;
			if (alt && v && base == 16)
				prefix = *p == 'X' ? "0X" : "0x";
			break;
		default: /* unknown conversion: print it as is */
			put(&o, '%');
			if (*p)
				put(&o, *p);
			else
				p--;
			continue;
		}
		do {
			unsigned d = (unsigned)(v % base);

			digits[nd++] = (char)(d < 10 ? '0' + d : (*p == 'X' ? 'A' : 'a') + d - 10);
			v /= base;
		} while (v);
		if (prec == 0 && nd == 1 && digits[0] == '0')
			nd = 0;
		if (alt && base == 8 && (nd == 0 || digits[nd - 1] != '0'))
			digits[nd++] = '0';
		{
			int zeros = prec > (int)nd ? prec - (int)nd : 0;
			int len = (int)nd + zeros + (sign ? 1 : 0) + (int)strlen(prefix);

			if (zero && !left && prec < 0 && width > len) {
				zeros += width - len;
				len = width;
			}
			put_n(&o, ' ', left ? 0 : width - len);
			if (sign)
				put(&o, sign);
			put_s(&o, prefix, strlen(prefix));
			put_n(&o, '0', zeros);
			while (nd)
				put(&o, digits[--nd]);
			put_n(&o, ' ', left ? width - len : 0);
		}
	}
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len > INT_MAX ? -1 : (int)o.len;
}

int snprintf(char *restrict buf, size_t cap, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, INT_MAX, fmt, ap);
	va_end(ap);
	return n;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	char buf[1024];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, copy);
	va_end(copy);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1; /* one line of diagnostics: truncated, not lost */
	return write_all(fd, buf, (size_t)n) ? -1 : n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* the launcher writes only to stdout and stderr */
static int fd_of(FILE *f)
{
	return f == stdout ? 1 : 2;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	return vdprintf(fd_of(f), fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd_of(f), fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	return write_all(fd_of(f), &ch, 1) ? EOF : (unsigned char)c;
}

int fputs(const char *restrict s, FILE *restrict f)
{
	return write_all(fd_of(f), s, strlen(s)) ? EOF : 0;
}

int puts(const char *s)
{
	return write_all(1, s, strlen(s)) || write_all(1, "\n", 1) ? EOF : 0;
}
