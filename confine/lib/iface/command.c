// SPDX-License-Identifier: GPL-3.0-only
/*
 * How snap-run will start an app (iface.h): the command split into words,
 * the command-chain and the environment, checked at install time and
 * written into the app's run file (docs/formats.md, "App run file").
 *
 * snapd splits a command at each space and allows only the characters
 * A-Z a-z 0-9 / . _ # : $ - and space in it, so no argument of a snap that
 * snapd accepts holds a space. Here, outside quotes, the same characters and
 * the same splitting apply; on top of that (ours) "double quotes" and
 * 'single quotes' group a word with any printable characters, and a
 * backslash takes the next character as it is, as a POSIX shell does:
 * $VAR is expanded at launch outside quotes and inside double quotes, not
 * inside single quotes nor after a backslash. The words are kept in the run
 * file's escaped form: \\ for a backslash, \$ for a dollar that is not
 * expanded, \n for a newline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface/iface.h"
#include "run_file.h"

struct buf {
	char *s;
	size_t n, cap;
};

static int buf_put(struct buf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		size_t cap = (b->n + len + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (!ns)
			return -1;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
	return 0;
}

/* one character of a word, escaped for the run file; literal: a $ that is not expanded */
static int put_char(struct buf *b, char c, bool literal)
{
	if (c == '\\')
		return buf_put(b, "\\\\", 2);
	if (c == '\n')
		return buf_put(b, "\\n", 2);
	if (c == '$' && literal)
		return buf_put(b, "\\$", 2);
	return buf_put(b, &c, 1);
}

/* what snapd allows in a command (appContentWhitelist), but the space */
static bool snapd_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("/._#:$-", c);
}

void words_free(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static int add_word(char ***w, size_t *n, struct buf *b)
{
	char **nw = realloc(*w, (*n + 1) * sizeof(*nw));

	if (!nw)
		return -1;
	*w = nw;
	nw[(*n)++] = b->s ? b->s : strdup("");
	memset(b, 0, sizeof(*b));
	return nw[*n - 1] ? 0 : -1;
}

int command_split(const char *cmd, char ***words, size_t *nwords, char *why, size_t whylen)
{
	struct buf b = { 0 };
	bool in_word = false;
	char quote = 0;
	const char *p;

	*words = NULL;
	*nwords = 0;
	for (p = cmd; *p; p++) {
		char c = *p;

		if ((unsigned char)c < 0x20 || c == 0x7f) {
			snprintf(why, whylen, "a control character (0x%02x) at offset %zu", (unsigned char)c,
				 (size_t)(p - cmd));
			goto fail;
		}
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else if (put_char(&b, c, true))
				goto oom;
			continue;
		}
		if (quote == '"') {
			if (c == '"') {
				quote = 0;
			} else if (c == '\\' && p[1] && strchr("\\\"$", p[1])) {
				if (put_char(&b, *++p, true))
					goto oom;
			} else if (put_char(&b, c, false)) {
				goto oom;
			}
			continue;
		}
		if (c == ' ') {
			if (in_word && add_word(words, nwords, &b))
				goto oom;
			in_word = false;
			continue;
		}
		in_word = true;
		if (c == '\'' || c == '"') {
			quote = c;
			if (buf_put(&b, "", 0))
				goto oom;
		} else if (c == '\\') {
			if (!p[1]) {
				snprintf(why, whylen, "a backslash at the end");
				goto fail;
			}
			if (put_char(&b, *++p, true))
				goto oom;
		} else if (!snapd_char(c)) {
			snprintf(why, whylen,
				 "'%c' is allowed only inside quotes (snapd allows A-Z a-z 0-9 / . _ # : $ - "
				 "and spaces)",
				 c);
			goto fail;
		} else if (put_char(&b, c, false)) {
			goto oom;
		}
	}
	if (quote) {
		snprintf(why, whylen, "an unterminated %s quote", quote == '"' ? "double" : "single");
		goto fail;
	}
	if (in_word && add_word(words, nwords, &b))
		goto oom;
	if (!*nwords) {
		snprintf(why, whylen, "it is empty");
		goto fail;
	}
	return 0;
oom:
	snprintf(why, whylen, "out of memory");
fail:
	free(b.s);
	words_free(*words, *nwords);
	*words = NULL;
	*nwords = 0;
	return -1;
}

bool snap_program_path(const char *p, char *why, size_t whylen)
{
	if (!p[strspn(p, "/")]) {
		snprintf(why, whylen, "'%s' names no file", p);
		return false;
	}
	for (const char *s = p; *s; s++)
		if (!snapd_char(*s) || *s == '$' || *s == '\\') {
			snprintf(why, whylen, "'%s' is not a plain path (A-Z a-z 0-9 / . _ # : -)", p);
			return false;
		}
	for (const char *s = p; s; s = strchr(s, '/')) {
		while (*s == '/')
			s++;
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || !s[2])) {
			snprintf(why, whylen, "'%s' leaves the snap (..)", p);
			return false;
		}
	}
	return true;
}

static int put_value(struct buf *b, const char *v)
{
	for (; *v; v++)
		if (*v == '\\' ? buf_put(b, "\\\\", 2) : *v == '\n' ? buf_put(b, "\\n", 2) : buf_put(b, v, 1))
			return -1;
	return 0;
}

static int put_line(struct buf *b, const char *key, const char *v, bool escape)
{
	if (buf_put(b, key, strlen(key)) || buf_put(b, "=", 1))
		return -1;
	if (escape ? put_value(b, v) : buf_put(b, v, strlen(v)))
		return -1;
	return buf_put(b, "\n", 1);
}

/* the path without its leading slashes: snapd joins it to $SNAP */
static const char *in_snap(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

static int put_env(struct buf *b, char *const *env, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(env[i], '=');

		if (buf_put(b, "env=", 4) || buf_put(b, env[i], (size_t)(eq - env[i]) + 1) ||
		    put_value(b, eq + 1) || buf_put(b, "\n", 1))
			return -1;
	}
	return 0;
}

char *run_file_text(const struct snap *s, const struct app *a)
{
	struct buf b = { 0 };
	static const char head[] = "# snap-run's run file, written from meta/snap.yaml (docs/formats.md)\n";

	if (buf_put(&b, head, sizeof(head) - 1) || put_line(&b, "version", s->version, false) ||
	    put_line(&b, "base", s->base, false) || put_line(&b, "confinement", s->confinement, false))
		goto oom;
	for (size_t i = 0; i < a->nchain; i++)
		if (put_line(&b, "chain", in_snap(a->chain[i]), false))
			goto oom;
	if (put_line(&b, "exec", in_snap(a->words[0]), false))
		goto oom;
	for (size_t i = 1; i < a->nwords; i++)
		if (put_line(&b, "arg", a->words[i], false))
			goto oom;
	if (put_env(&b, s->env, s->nenv) || put_env(&b, a->env, a->nenv))
		goto oom;
	for (int x = 0; x < RUN_EXTRA_N; x++) {
		char key[32];

		for (size_t i = 0; i < a->extra[x].nwords; i++) {
			snprintf(key, sizeof(key), "%s-%s", run_extra_name[x], i ? "arg" : "exec");
			if (put_line(&b, key, i ? a->extra[x].words[i] : in_snap(a->extra[x].words[i]),
				     false))
				goto oom;
		}
	}
	return b.s;
oom:
	free(b.s);
	return NULL;
}
