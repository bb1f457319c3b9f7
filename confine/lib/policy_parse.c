// SPDX-License-Identifier: GPL-3.0-only
/*
 * Parser of snapd's seccomp policy language (policy.h, FORMATS.md 1).
 * Line by line: cut the comment, trim, then a directive or a rule of up to
 * seven whitespace-separated tokens (the name and six arguments).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define TOKEN_MAX 128

struct line_ctx {
	const char *file;
	unsigned line;
	struct diag *err;
	const struct policy_parse_opts *opts;
};

/* "file:line:col: message" */
static int perr(const struct line_ctx *c, unsigned col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(const struct line_ctx *c, unsigned col, const char *fmt, ...)
{
	char msg[DIAG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return diag_set(c->err, "%s:%u:%u: %s", c->file, c->line, col, msg);
}

bool policy_syscall_takes_negative_ids(const char *name)
{
	static const char *const names[] = {
		"chown",    "chown32",	  "fchown",	 "fchown32",	"fchownat",  "lchown",	    "lchown32",
		"setgid",   "setgid32",	  "setregid",	 "setregid32",	"setresgid", "setresgid32", "setresuid",
		"setresuid32", "setreuid", "setreuid32", "setuid",	"setuid32",  "copy_file_range",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static bool valid_syscall_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= POLICY_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* a system user or group name: [a-z_][a-z0-9_-]*, at most 32 characters */
static bool valid_account_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 32 || !(islower((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 1; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* name:x:ID:... in /etc/passwd or /etc/group; no NSS, so static builds behave the same */
static int lookup_db(const char *db, const char *name, uint32_t *id)
{
	char buf[1024];
	size_t nl = strlen(name);
	FILE *f;
	int rc = -1;

	if (!strcmp(name, "root")) {
		*id = 0;
		return 0;
	}
	f = fopen(db, "re");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		char *p, *end;
		unsigned long v;

		if (strncmp(buf, name, nl) || buf[nl] != ':')
			continue;
		p = strchr(buf + nl + 1, ':');
		if (!p)
			continue;
		errno = 0;
		v = strtoul(p + 1, &end, 10);
		if (errno || end == p + 1 || *end != ':' || v > UINT32_MAX)
			continue;
		*id = (uint32_t)v;
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

static int default_user(const char *name, uint32_t *id)
{
	return lookup_db("/etc/passwd", name, id);
}

static int default_group(const char *name, uint32_t *id)
{
	return lookup_db("/etc/group", name, id);
}

/*
 * The sign a number token had. snapd reads numbers with ParseUint, and those
 * of the uid/gid calls, when that fails, with ParseInt (which takes - and +).
 */
enum num_sign {
	NUM_UNSIGNED, /* no sign: 0..4294967295 */
	NUM_MINUS,    /* s followed '-': 1..2147483648 (0 too) */
	NUM_PLUS,     /* s followed '+': 0..2147483647 */
};

/*
 * A decimal number up to 2^32-1, or a symbolic constant. Decimal only, as
 * snapd reads it (strconv.ParseUint(s, 10, 32)): leading zeros do not make
 * it octal ("010" is ten) and "0x10" is malformed. For a signed number
 * (sign != NUM_UNSIGNED) messages show the sign and the limit is int32's.
 */
static int parse_value(const struct line_ctx *c, unsigned col, const char *s, const char *tok, uint64_t *v,
		       enum num_sign sign)
{
	const char *sg = sign == NUM_MINUS ? "-" : sign == NUM_PLUS ? "+" : "";
	const uint64_t limit = sign == NUM_MINUS ? 0x80000000u : sign == NUM_PLUS ? 0x7fffffffu : UINT32_MAX;
	const char *range = sign == NUM_MINUS  ? "-2147483648..-1"
			    : sign == NUM_PLUS ? "+0..+2147483647"
					       : "0..4294967295";
	const char *digits;
	uint64_t acc = 0;

	if (*s == '\0')
		return perr(c, col, "missing value in '%s'", tok);
	if (isalpha((unsigned char)*s) || *s == '_') {
		const char *p;

		for (p = s; *p; p++)
			if (!(isalnum((unsigned char)*p) || *p == '_'))
				return perr(c, col, "malformed constant '%s' in '%s'", s, tok);
		if (policy_constant(s, v))
			return perr(c, col, "unknown constant '%s'", s);
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return perr(c, col, "malformed number '%s%s' in '%s'", sg, s, tok);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return perr(c, col, "malformed number '%s%s': numbers are decimal (no 0x hex, as in snapd)",
			    sg, s);
	for (digits = s; *digits; digits++) {
		if (!isdigit((unsigned char)*digits))
			return perr(c, col, "malformed number '%s%s': '%c' is not a decimal digit", sg, s,
				    *digits);
		acc = acc * 10 + (unsigned)(*digits - '0');
		if (acc > limit)
			return perr(c, col, "number '%s%s' out of range (%s)", sg, s, range);
	}
	*v = acc;
	return 0;
}

/* one argument token at position arg; *have is false for "-" */
static int parse_arg(const struct line_ctx *c, const char *sys, unsigned col, const char *tok, uint8_t arg,
		     struct policy_cond *out, bool *have)
{
	static const struct {
		const char *prefix;
		enum cmp_op op;
	} prefixed[] = { { ">=", CMP_GE }, { "<=", CMP_LE }, { "!", CMP_NE }, { "<", CMP_LT }, { ">", CMP_GT } };
	bool ids = policy_syscall_takes_negative_ids(sys);
	const char *bar;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->arg = arg;
	*have = true;
	if (!strcmp(tok, "-")) {
		*have = false;
		return 0;
	}
	for (i = 0; i < sizeof(prefixed) / sizeof(prefixed[0]); i++) {
		size_t pl = strlen(prefixed[i].prefix);

		if (strncmp(tok, prefixed[i].prefix, pl))
			continue;
		if (ids)
			return perr(c, col, "'%s': only equality is allowed in the arguments of %s", tok, sys);
		out->op = (uint8_t)prefixed[i].op;
		if (tok[pl] == '\0')
			return perr(c, col, "missing value after '%s'", prefixed[i].prefix);
		return parse_value(c, col, tok + pl, tok, &out->value, NUM_UNSIGNED);
	}
	bar = strchr(tok, '|');
	if (bar) {
		char a[TOKEN_MAX];

		if (ids)
			return perr(c, col, "'%s': only equality is allowed in the arguments of %s", tok, sys);
		if (strchr(bar + 1, '|'))
			return perr(c, col, "malformed mask '%s': more than one '|'", tok);
		out->op = CMP_MASKED_EQ;
		if (bar == tok) { /* |N: all bits of N set */
			if (parse_value(c, col, tok + 1, tok, &out->mask, NUM_UNSIGNED))
				return -1;
			out->value = out->mask;
			return 0;
		}
		memcpy(a, tok, (size_t)(bar - tok));
		a[bar - tok] = '\0';
		if (parse_value(c, col, a, tok, &out->mask, NUM_UNSIGNED) ||
		    parse_value(c, col, bar + 1, tok, &out->value, NUM_UNSIGNED))
			return -1;
		return 0;
	}
	if (!strncmp(tok, "u:", 2) || !strncmp(tok, "g:", 2)) {
		bool user = tok[0] == 'u';
		const char *name = tok + 2;
		int (*resolve)(const char *, uint32_t *);
		uint32_t id;

		if (!valid_account_name(name))
			return perr(c, col, "invalid %s name '%s'", user ? "user" : "group", name);
		if (user)
			resolve = c->opts && c->opts->resolve_user ? c->opts->resolve_user : default_user;
		else
			resolve = c->opts && c->opts->resolve_group ? c->opts->resolve_group : default_group;
		if (resolve(name, &id))
			return perr(c, col, "unknown %s '%s'", user ? "user" : "group", name);
		out->value = id;
	} else if (tok[0] == '-') {
		uint64_t v;

		if (!ids)
			return perr(c, col, "negative number '%s': only the uid/gid calls (chown, setuid...) take them",
				    tok);
		if (!isdigit((unsigned char)tok[1]))
			return perr(c, col, "malformed number '%s'", tok);
		if (parse_value(c, col, tok + 1, tok, &v, NUM_MINUS))
			return -1;
		out->value = (uint32_t)(0x100000000ull - v);
	} else if (tok[0] == '+' && ids) {
		/* snapd reads these calls' numbers with ParseInt too, which takes a '+' */
		if (!isdigit((unsigned char)tok[1]))
			return perr(c, col, "malformed number '%s'", tok);
		if (parse_value(c, col, tok + 1, tok, &out->value, NUM_PLUS))
			return -1;
	} else if (parse_value(c, col, tok, tok, &out->value, NUM_UNSIGNED)) {
		return -1;
	}
	out->op = CMP_EQ;
	if (ids) {
		/* uid_t/gid_t are 32 bits: -1 arrives sign-extended on some paths */
		out->op = CMP_MASKED_EQ;
		out->mask = 0xffffffffu;
		out->value &= 0xffffffffu;
	}
	return 0;
}

static int add_rule(struct policy *p, const struct policy_rule *r)
{
	if (p->nrules == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct policy_rule *n = realloc(p->rules, cap * sizeof(*n));

		if (!n)
			return -1;
		p->rules = n;
		p->cap = cap;
	}
	p->rules[p->nrules++] = *r;
	return 0;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* one line, without its newline */
static int parse_line(const struct line_ctx *c, const char *s, size_t len, struct policy *p)
{
	struct policy_rule r;
	char tok[TOKEN_MAX];
	size_t i = 0, ntok = 0;
	const char *hash = memchr(s, '#', len);

	if (memchr(s, '\0', len))
		return perr(c, (unsigned)((const char *)memchr(s, '\0', len) - s) + 1, "NUL byte in the policy");
	if (hash)
		len = (size_t)(hash - s);
	memset(&r, 0, sizeof(r));
	r.line = c->line;
	for (;;) {
		size_t start, tl;
		unsigned col;

		while (i < len && is_space(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_space(s[i]))
			i++;
		tl = i - start;
		col = (unsigned)start + 1;
		if (tl >= sizeof(tok))
			return perr(c, col, "token of %zu bytes is too long", tl);
		memcpy(tok, s + start, tl);
		tok[tl] = '\0';
		if (ntok == 0 && tok[0] == '@') {
			bool unr = !strcmp(tok, "@unrestricted"), cmp = !strcmp(tok, "@complain");

			if (!unr && !cmp)
				return perr(c, col, "unknown directive '%s' (known: @unrestricted, @complain)", tok);
			while (i < len && is_space(s[i]))
				i++;
			if (i < len)
				return perr(c, (unsigned)i + 1, "directive '%s' takes no arguments", tok);
			if (unr)
				p->unrestricted = true;
			else
				p->complain = true;
			return 0;
		}
		if (ntok == 0) {
			const char *name = tok;

			if (tok[0] == '~') {
				r.deny = true;
				name++;
				if (*name == '\0')
					return perr(c, col, "'~' must be followed by a syscall name");
			}
			if (!valid_syscall_name(name))
				return perr(c, col, "invalid syscall name '%s' (lower-case letters, digits and _)", name);
			memcpy(r.name, name, strlen(name) + 1);
		} else {
			bool have;

			if (ntok > POLICY_MAX_ARGS)
				return perr(c, col, "too many arguments: a rule takes at most %d", POLICY_MAX_ARGS);
			if (parse_arg(c, r.name, col, tok, (uint8_t)(ntok - 1), &r.cond[r.ncond], &have))
				return -1;
			if (have)
				r.ncond++;
		}
		ntok++;
	}
	if (ntok == 0)
		return 0; /* blank or comment */
	if (add_rule(p, &r))
		return perr(c, 1, "out of memory");
	return 0;
}

int policy_parse(const char *file, const char *text, size_t len, const struct policy_parse_opts *opts,
		 struct policy *out, struct diag *err)
{
	struct line_ctx c = { .file = file, .err = err, .opts = opts };
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;

		c.line++;
		if (parse_line(&c, text + pos, ll, out)) {
			policy_free(out);
			return -1;
		}
		pos += ll + (nl ? 1 : 0);
	}
	out->lines = c.line;
	return 0;
}

void policy_free(struct policy *p)
{
	free(p->rules);
	memset(p, 0, sizeof(*p));
}
