// SPDX-License-Identifier: GPL-3.0-only
/*
 * AppArmor globs and rules (aaglob.h). The matcher walks the pattern with a
 * stack of continuations: an alternative {a,b} or a variable's value is
 * matched followed by the rest of the pattern, so alternations nest and
 * variables expand into globs without building any string. Work is bounded
 * (steps and depth): the patterns come from data files and the paths from
 * a log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface/aaglob.h"

#define MATCH_STEPS 200000
#define MATCH_DEPTH 48

/* ---- variables */

static void var_clear(struct aa_var *v)
{
	for (size_t i = 0; i < v->nvalues; i++)
		free(v->values[i]);
	free(v->values);
	v->values = NULL;
	v->nvalues = 0;
}

void aa_vars_free(struct aa_vars *vars)
{
	for (size_t i = 0; i < vars->n; i++) {
		var_clear(&vars->v[i]);
		free(vars->v[i].name);
	}
	free(vars->v);
	vars->v = NULL;
	vars->n = 0;
}

const struct aa_var *aa_vars_get(const struct aa_vars *vars, const char *name, size_t len)
{
	for (size_t i = 0; vars && i < vars->n; i++)
		if (strlen(vars->v[i].name) == len && !memcmp(vars->v[i].name, name, len))
			return &vars->v[i];
	return NULL;
}

int aa_vars_set(struct aa_vars *vars, const char *name, const char *values, bool append)
{
	struct aa_var *v = (struct aa_var *)aa_vars_get(vars, name, strlen(name));
	const char *p = values;

	if (!v) {
		struct aa_var *nv = realloc(vars->v, (vars->n + 1) * sizeof(*nv));

		if (!nv)
			return -1;
		vars->v = nv;
		v = &vars->v[vars->n];
		memset(v, 0, sizeof(*v));
		if (!(v->name = strdup(name)))
			return -1;
		vars->n++;
	} else if (!append) {
		var_clear(v);
	}
	for (;;) {
		const char *start;
		size_t len;
		char **nvals;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (*p == '"') {
			start = ++p;
			while (*p && *p != '"')
				p++;
			len = (size_t)(p - start);
			if (*p)
				p++;
		} else {
			start = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			len = (size_t)(p - start);
		}
		nvals = realloc(v->values, (v->nvalues + 1) * sizeof(*nvals));
		if (!nvals)
			return -1;
		v->values = nvals;
		if (!(v->values[v->nvalues] = strndup(start, len)))
			return -1;
		v->nvalues++;
	}
	return 0;
}

int aa_vars_defaults(struct aa_vars *vars)
{
	static const char pid[] =
		"{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9],"
		"[1-9][0-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9][0-9]}";
	static const char *const defs[][2] = {
		{ "PROC", "/proc/" },
		{ "pid", pid },
		{ "pids", pid },
		{ "tid", "@{pid}" },
		{ "multiarch", "*-linux-gnu*" },
		{ "HOMEDIRS", "/home/" },
		{ "HOME", "@{HOMEDIRS}/*/ /root/" },
		{ "sys", "/sys/" },
		{ "run", "/run/ /var/run/" },
		{ "INSTALL_DIR", "/{,var/lib/snapd/}snap" },
		{ "etc_ro", "/etc/" },
		{ "etc_rw", "/etc/" },
	};

	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (aa_vars_set(vars, defs[i][0], defs[i][1], false))
			return -1;
	return 0;
}

int aa_vars_load_text(struct aa_vars *vars, const char *text)
{
	int n = 0;

	for (const char *line = text; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line, *name, *end;
		char nm[64], val[4096];
		size_t len = strcspn(line, "\n");
		bool append = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "@{", 2))
			continue;
		name = p + 2;
		end = strchr(name, '}');
		if (!end || end > line + len || (size_t)(end - name) >= sizeof(nm) || end == name)
			continue;
		memcpy(nm, name, (size_t)(end - name));
		nm[end - name] = '\0';
		p = end + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (p[0] == '+' && p[1] == '=') {
			append = true;
			p++;
		}
		if (*p != '=')
			continue;
		p++;
		len -= (size_t)(p - line);
		if (len >= sizeof(val))
			continue;
		memcpy(val, p, len);
		val[len] = '\0';
		if (aa_vars_set(vars, nm, val, append))
			return -1;
		n++;
	}
	return n;
}

/* ---- the matcher */

struct cont {
	const char *p, *e;
	const struct cont *next;
};

struct mctx {
	const struct aa_vars *vars;
	aa_template_fn tmpl;
	void *ctx;
	const char *start;
	long steps;
	int depth;
};

/* the next pattern character after p (through the continuations); 0 at the end */
static char peek(const char *p, const char *pe, const struct cont *k)
{
	while (p == pe) {
		if (!k)
			return 0;
		p = k->p;
		pe = k->e;
		k = k->next;
	}
	return *p;
}

/* the '}' closing the '{' at p (nesting, escapes), or NULL */
static const char *closing(const char *p, const char *pe)
{
	int level = 0;

	for (; p < pe; p++) {
		if (*p == '\\' && p + 1 < pe)
			p++;
		else if (*p == '{')
			level++;
		else if (*p == '}' && --level == 0)
			return p;
	}
	return NULL;
}

/* a character class [..] at p: *end after its ']', whether c is in it; false when it is no class */
static bool char_class(const char *p, const char *pe, char c, const char **end, bool *in)
{
	const char *q = p + 1;
	bool neg = false, hit = false, first = true;

	if (q < pe && (*q == '^' || *q == '!')) {
		neg = true;
		q++;
	}
	for (; q < pe; first = false) {
		char lo, hi;

		if (*q == ']' && !first) {
			*end = q + 1;
			*in = c != '/' && c != '\0' && (hit != neg);
			return true;
		}
		if (*q == '\\' && q + 1 < pe)
			q++;
		lo = hi = *q++;
		if (q + 1 < pe && *q == '-' && q[1] != ']') {
			q++;
			if (*q == '\\' && q + 1 < pe)
				q++;
			hi = *q++;
		}
		if ((unsigned char)c >= (unsigned char)lo && (unsigned char)c <= (unsigned char)hi)
			hit = true;
	}
	return false;
}

static bool m(struct mctx *c, const char *p, const char *pe, const struct cont *k, const char *s);

/* pattern [a, b) then [after, pe) + k, against s */
static bool m_then(struct mctx *c, const char *a, const char *b, const char *after, const char *pe,
		   const struct cont *k, const char *s)
{
	struct cont nk = { after, pe, k };
	bool r;

	if (c->depth >= MATCH_DEPTH)
		return false;
	c->depth++;
	r = m(c, a, b, &nk, s);
	c->depth--;
	return r;
}

/* the rest [p, pe) + k against every s..s+n for n in [lo, hi] */
static bool m_any(struct mctx *c, const char *p, const char *pe, const struct cont *k, const char *s,
		  size_t lo, size_t hi)
{
	for (size_t n = lo; n <= hi; n++)
		if (m(c, p, pe, k, s + n))
			return true;
	return false;
}

static bool m(struct mctx *c, const char *p, const char *pe, const struct cont *k, const char *s)
{
	for (;;) {
		if (++c->steps > MATCH_STEPS)
			return false;
		while (p == pe) {
			if (!k)
				return *s == '\0';
			p = k->p;
			pe = k->e;
			k = k->next;
		}
		switch (*p) {
		case '*': {
			bool dbl = p + 1 < pe && p[1] == '*';
			const char *rest = p + (dbl ? 2 : 1);
			char nx = peek(rest, pe, k);
			/* a whole path component (a slash before, a slash or the end after): at least one
			 * character */
			bool whole = s > c->start && s[-1] == '/' && (nx == '/' || nx == '\0');
			size_t max = dbl ? strlen(s) : strcspn(s, "/");

			if (whole && (s[0] == '/' || s[0] == '\0'))
				return false;
			return m_any(c, rest, pe, k, s, whole ? 1 : 0, max);
		}
		case '?':
			if (*s == '\0' || *s == '/')
				return false;
			p++;
			s++;
			continue;
		case '[': {
			const char *end;
			bool in;

			if (!char_class(p, pe, *s, &end, &in))
				goto literal;
			if (!in)
				return false;
			p = end;
			s++;
			continue;
		}
		case '{': {
			const char *close = closing(p, pe), *alt;
			int level = 0;

			if (!close)
				goto literal;
			alt = p + 1;
			for (const char *q = p + 1; q <= close; q++) {
				if (*q == '\\' && q + 1 < close) {
					q++;
					continue;
				}
				if (*q == '{')
					level++;
				else if (*q == '}' && level > 0 && q != close)
					level--;
				else if ((*q == ',' && level == 0) || q == close) {
					if (m_then(c, alt, q, close + 1, pe, k, s))
						return true;
					alt = q + 1;
				}
			}
			return false;
		}
		case '@':
		case '$': {
			const char *close;

			if (p + 1 >= pe || p[1] != '{' || !(close = memchr(p + 2, '}', (size_t)(pe - p - 2))))
				goto literal;
			if (*p == '@') {
				const struct aa_var *v = aa_vars_get(c->vars, p + 2, (size_t)(close - p - 2));

				if (v) {
					for (size_t i = 0; i < v->nvalues; i++)
						if (m_then(c, v->values[i],
							   v->values[i] + strlen(v->values[i]), close + 1, pe,
							   k, s))
							return true;
					return false;
				}
			}
			/* a template (or an unknown variable): whatever value the callback accepts */
			for (size_t n = 0, max = strlen(s); n <= max; n++) {
				if (*p == '$' && c->tmpl &&
				    !c->tmpl(c->ctx, p + 2, (size_t)(close - p - 2), s, n))
					continue;
				if (m(c, close + 1, pe, k, s + n))
					return true;
			}
			return false;
		}
		case '\\':
			if (p + 1 < pe)
				p++;
			goto literal;
		case '/':
			if (*s != '/' && s > c->start && s[-1] == '/') {
				p++; /* a doubled slash of an expansion (@{PROC}/ is /proc//) */
				continue;
			}
			goto literal;
		default:
literal:
			if (*p != *s || *s == '\0')
				return false;
			p++;
			s++;
			continue;
		}
	}
}

bool aa_glob_match(const char *pattern, const char *path, const struct aa_vars *vars, aa_template_fn tmpl,
		   void *ctx)
{
	struct mctx c = { .vars = vars, .tmpl = tmpl, .ctx = ctx, .start = path };

	return m(&c, pattern, pattern + strlen(pattern), NULL, path);
}

/* ---- rules */

/* the permissions of a rule's PERMS word, or -1 when the word is not one */
static int perms_word(const char *w)
{
	unsigned perms = 0;
	bool qual = false;

	if (!*w)
		return -1;
	for (const char *p = w; *p; p++) {
		switch (*p) {
		case 'r':
			perms |= AA_PERM_R;
			break;
		case 'w':
			perms |= AA_PERM_W;
			break;
		case 'a':
			perms |= AA_PERM_A;
			break;
		case 'k':
			perms |= AA_PERM_K;
			break;
		case 'l':
			perms |= AA_PERM_L;
			break;
		case 'm':
			perms |= AA_PERM_M;
			break;
		case 'x':
			perms |= AA_PERM_X;
			qual = false;
			break;
		case 'i':
		case 'p':
		case 'P':
		case 'u':
		case 'U':
		case 'c':
		case 'C':
			qual = true; /* an exec mode: ix, px, Pix, ux, cx... */
			break;
		default:
			return -1;
		}
	}
	return qual ? -1 : (int)perms;
}

static bool path_word(const char *w)
{
	return w[0] == '/' || w[0] == '"' || (w[0] == '@' && w[1] == '{') || (w[0] == '$' && w[1] == '{') ||
	       w[0] == '{';
}

/* the words of a rule, quotes kept together; returns how many (at most max) */
static size_t split_words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		w[n++] = s;
		if (*s == '"') {
			char *q = strchr(s + 1, '"');

			s = q ? q + 1 : s + strlen(s);
		}
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static void set_path(struct aa_rule *r, const char *w)
{
	size_t n = strlen(w);

	if (n >= 2 && w[0] == '"' && w[n - 1] == '"') {
		w++;
		n -= 2;
	}
	if (n >= sizeof(r->path)) {
		r->kind = AA_RULE_OTHER;
		return;
	}
	memcpy(r->path, w, n);
	r->path[n] = '\0';
}

void aa_rule_parse(const char *line, struct aa_rule *r)
{
	char buf[2048], *w[40];
	size_t len, n, i = 0;
	bool in_quote = false;

	memset(r, 0, sizeof(*r));
	while (*line == ' ' || *line == '\t')
		line++;
	len = strcspn(line, "\n");
	if (len >= sizeof(buf)) {
		r->kind = AA_RULE_OTHER;
		return;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	/* a comment runs to the end of the line (outside quotes) */
	for (char *p = buf; *p; p++) {
		if (*p == '"')
			in_quote = !in_quote;
		else if (*p == '#' && !in_quote && (p == buf || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	len = strlen(buf);
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	if (!len)
		return; /* AA_RULE_NONE */
	r->kind = AA_RULE_OTHER;
	if (buf[len - 1] != ',')
		return;
	buf[--len] = '\0';
	n = split_words(buf, w, sizeof(w) / sizeof(w[0]));
	for (; i < n; i++) {
		if (!strcmp(w[i], "audit"))
			r->audit = true;
		else if (!strcmp(w[i], "deny"))
			r->deny = true;
		else if (!strcmp(w[i], "owner"))
			r->owner = true;
		else if (strcmp(w[i], "allow") && strncmp(w[i], "priority=", 9))
			break;
	}
	if (i == n)
		return;
	if (!strcmp(w[i], "capability") || !strcmp(w[i], "network")) {
		r->kind = !strcmp(w[i], "capability") ? AA_RULE_CAP : AA_RULE_NET;
		for (i++; i < n; i++) {
			if (w[i][0] == '(') { /* network (bind, listen) inet: the access list */
				while (i < n && !strchr(w[i], ')'))
					i++;
				continue;
			}
			if (r->nwords == AA_RULE_WORDS || strlen(w[i]) >= sizeof(r->words[0])) {
				r->kind = AA_RULE_OTHER;
				return;
			}
			strcpy(r->words[r->nwords++], w[i]);
		}
		return;
	}
	if (!strcmp(w[i], "file")) {
		i++;
		if (i == n) {
			r->kind = AA_RULE_FILE;
			r->perms = AA_PERM_ALL;
			return;
		}
	}
	if (i + 1 < n && path_word(w[i]) && perms_word(w[i + 1]) >= 0) {
		r->perms = (unsigned)perms_word(w[i + 1]);
		r->kind = AA_RULE_FILE;
		set_path(r, w[i]);
		i += 2;
	} else if (i + 1 < n && perms_word(w[i]) >= 0 && path_word(w[i + 1])) {
		r->perms = (unsigned)perms_word(w[i]);
		r->kind = AA_RULE_FILE;
		set_path(r, w[i + 1]);
		i += 2;
	} else {
		return;
	}
	/* an exec transition's target: PATH Px -> profile */
	if (r->kind == AA_RULE_FILE && i < n && !(i + 2 == n && !strcmp(w[i], "->")))
		r->kind = AA_RULE_OTHER;
}

unsigned aa_perms_from_log(const char *mask)
{
	unsigned need = 0;

	for (const char *p = mask; *p; p++) {
		switch (*p) {
		case 'r':
			need |= AA_PERM_R;
			break;
		case 'w':
		case 'c': /* create */
		case 'd': /* delete */
			need |= AA_PERM_W;
			break;
		case 'a':
			need |= AA_PERM_A;
			break;
		case 'k':
			need |= AA_PERM_K;
			break;
		case 'l':
			need |= AA_PERM_L;
			break;
		case 'm':
			need |= AA_PERM_M;
			break;
		case 'x':
			need |= AA_PERM_X;
			break;
		}
	}
	return need;
}

bool aa_perms_cover(unsigned have, unsigned need)
{
	if ((need & AA_PERM_A) && !(have & (AA_PERM_A | AA_PERM_W)))
		return false;
	need &= ~AA_PERM_A;
	return (have & need) == need;
}

const char *aa_mask_describe(const char *mask, char *buf, size_t len)
{
	static const struct {
		char c;
		const char *word;
	} words[] = { { 'r', "read" },	 { 'w', "write" },  { 'a', "append" },
		      { 'c', "create" }, { 'd', "delete" }, { 'k', "lock" },
		      { 'l', "link" },	 { 'm', "mmap" },   { 'x', "execute" } };
	const char *found[9];
	size_t n = 0, o = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strchr(mask, words[i].c))
			found[n++] = words[i].word;
	if (!len)
		return buf;
	buf[0] = '\0';
	if (!n) {
		snprintf(buf, len, "%s", mask[0] ? mask : "access");
		return buf;
	}
	for (size_t i = 0; i < n && o < len; i++) {
		int w = snprintf(buf + o, len - o, "%s%s",
				 i == 0	      ? ""
				 : i + 1 == n ? " and "
					      : ", ",
				 found[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	return buf;
}

bool aa_rule_allows_cap(const struct aa_rule *r, const char *capname)
{
	if (r->kind != AA_RULE_CAP || r->deny)
		return false;
	if (!r->nwords)
		return true;
	for (size_t i = 0; i < r->nwords; i++)
		if (!strcmp(r->words[i], capname))
			return true;
	return false;
}

static bool in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

bool aa_rule_allows_net(const struct aa_rule *r, const char *family, const char *sock_type,
			long long protocol)
{
	static const char *const types[] = { "stream", "dgram", "seqpacket", "rdm", "raw", NULL };
	static const char *const protos[] = { "tcp", "udp", "icmp", "icmpv6", NULL };
	const char *fam = NULL, *type = NULL, *proto = NULL;
	size_t i = 0;

	if (r->kind != AA_RULE_NET || r->deny)
		return false;
	if (i < r->nwords && !in_list(r->words[i], types) && !in_list(r->words[i], protos))
		fam = r->words[i++];
	if (i < r->nwords && in_list(r->words[i], types))
		type = r->words[i++];
	if (i < r->nwords && in_list(r->words[i], protos))
		proto = r->words[i++];
	if (i < r->nwords)
		return false; /* words we do not understand allow nothing we can vouch for */
	if (fam && strcmp(fam, family))
		return false;
	if (type && strcmp(type, sock_type))
		return false;
	if (proto) {
		long long want = !strcmp(proto, "tcp")	  ? 6
				 : !strcmp(proto, "udp")  ? 17
				 : !strcmp(proto, "icmp") ? 1
							  : 58;
		const char *implied = want == 6 ? "stream" : want == 17 ? "dgram" : "raw";

		if (protocol != want && !(protocol <= 0 && !strcmp(sock_type, implied)))
			return false;
	}
	return true;
}
