/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * $VAR expansion as snapd does it for snap.yaml's environment: values and
 * the command's arguments (Go's os.Expand, which snap-exec uses): $NAME and
 * ${NAME} are replaced by the variable's value, an undefined one by nothing;
 * $ followed by one of * # $ @ ! ? - 0..9 is that one-character name; a $
 * followed by nothing or by another character stays; "${}" and an unclosed
 * "${" are dropped. The run file's escapes are undone on the way: \\ is a
 * backslash, \$ a dollar that is not expanded, \n a newline.
 */
#ifndef CONFINE_ENV_EXPAND_H
#define CONFINE_ENV_EXPAND_H

#include <stddef.h>
#include <sys/types.h>

/* the value of the variable name[0..len), or NULL when it is not defined */
typedef const char *(*env_lookup_fn)(const char *name, size_t len, void *ctx);

/* in expanded into out (NUL-terminated); its length, or -1 when out is too small */
ssize_t env_expand(const char *in, env_lookup_fn lookup, void *ctx, char *out, size_t cap);

/* lookup in the process environment (getenv) */
const char *env_lookup_process(const char *name, size_t len, void *ctx);

#endif
