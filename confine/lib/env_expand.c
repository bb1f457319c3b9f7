// SPDX-License-Identifier: GPL-3.0-only
/* $VAR expansion with snapd's rules (env_expand.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "env_expand.h"

static bool special_name(char c)
{
	return (c && strchr("*#$@!?-", c)) || (c >= '0' && c <= '9');
}

static bool name_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The name after a '$' at s (Go's getShellName): *name and *nlen, and how
 * many bytes after the '$' it takes. A zero-length name with a non-zero
 * width is bad syntax (eaten); zero and zero: not a name (the $ stays).
 */
static size_t shell_name(const char *s, const char **name, size_t *nlen)
{
	*name = s;
	*nlen = 0;
	if (s[0] == '{') {
		const char *close;

		if (special_name(s[1]) && s[2] == '}') {
			*name = s + 1;
			*nlen = 1;
			return 3;
		}
		close = strchr(s + 1, '}');
		if (!close)
			return 1; /* "${" eaten */
		if (close == s + 1)
			return 2; /* "${}" eaten */
		*name = s + 1;
		*nlen = (size_t)(close - s - 1);
		return *nlen + 2;
	}
	if (special_name(s[0])) {
		*nlen = 1;
		return 1;
	}
	while (name_char(s[*nlen]))
		(*nlen)++;
	return *nlen;
}

static bool put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	if (*n + len >= cap)
		return false;
	memcpy(out + *n, s, len);
	*n += len;
	return true;
}

ssize_t env_expand(const char *in, env_lookup_fn lookup, void *ctx, char *out, size_t cap)
{
	size_t n = 0;

	if (!cap)
		return -1;
	for (const char *p = in; *p;) {
		if (*p == '\\' && (p[1] == '\\' || p[1] == '$' || p[1] == 'n')) {
			if (!put(out, cap, &n, p[1] == 'n' ? "\n" : p + 1, 1))
				return -1;
			p += 2;
		} else if (*p == '$' && p[1]) {
			const char *name, *v;
			size_t nlen, w = shell_name(p + 1, &name, &nlen);

			if (nlen) {
				v = lookup(name, nlen, ctx);
				if (v && !put(out, cap, &n, v, strlen(v)))
					return -1;
			} else if (!w && !put(out, cap, &n, p, 1)) {
				return -1;
			}
			p += 1 + (w ? w : 0);
		} else {
			if (!put(out, cap, &n, p, 1))
				return -1;
			p++;
		}
	}
	out[n] = '\0';
	return (ssize_t)n;
}

const char *env_lookup_process(const char *name, size_t len, void *ctx)
{
	char buf[256];

	(void)ctx;
	if (len >= sizeof(buf) || memchr(name, '=', len))
		return NULL;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return getenv(buf);
}
