// SPDX-License-Identifier: GPL-3.0-only
/*
 * Interface data files (iface.h): one YAML file per interface with its
 * attributes, whether it connects by itself on Core, and its seccomp,
 * AppArmor, udev and mount snippets. Adding an interface adds a file.
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "iface/iface.h"

static const char *const kind_key[SN_KINDS] = { "seccomp", "apparmor", "udev", "mount" };

static void schema_free(struct attr_schema *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].name);
		free(a[i].pattern);
		schema_free(a[i].fields, a[i].nfields);
	}
	free(a);
}

void iface_spec_free(struct iface_spec *s)
{
	free(s->name);
	free(s->summary);
	free(s->file);
	schema_free(s->plug_attrs, s->nplug_attrs);
	schema_free(s->slot_attrs, s->nslot_attrs);
	for (size_t i = 0; i < s->nslot_one_of; i++)
		free(s->slot_one_of[i]);
	free(s->slot_one_of);
	for (size_t i = 0; i < s->nmatch; i++)
		free(s->match[i]);
	free(s->match);
	for (int k = 0; k < SN_KINDS; k++) {
		for (size_t i = 0; i < s->nsn[k]; i++) {
			free(s->sn[k][i].when);
			free(s->sn[k][i].each);
			free(s->sn[k][i].text);
		}
		free(s->sn[k]);
	}
	memset(s, 0, sizeof(*s));
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 40 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-') ||
		    (p[0] == '-' && p[1] == '-'))
			return false;
	return true;
}

static int parse_type(const char *file, const struct yt_node *n, enum attr_type *t, struct diag *err)
{
	static const char *const names[] = { "string", "int", "bool", "path", "list", "map" };

	if (!yt_is_str(n))
		return yt_err(err, file, n, "type must be one of string, int, bool, path, list, map");
	for (int i = 0; i < 6; i++)
		if (!strcmp(n->s, names[i])) {
			*t = (enum attr_type)i;
			return 0;
		}
	return yt_err(err, file, n, "unknown type '%s' (string, int, bool, path, list, map)", n->s);
}

/* a bool key of the file into *out */
static int parse_flag(const char *file, const struct yt_node *v, const char *what, bool *out,
		      struct diag *err)
{
	int b = yt_bool(v);

	if (b < 0)
		return yt_err(err, file, v, "%s: true or false", what);
	*out = b;
	return 0;
}

static int parse_ll(const char *file, const struct yt_node *n, long long *v, struct diag *err)
{
	char *end;

	if (!yt_is_str(n))
		return yt_err(err, file, n, "expected a number");
	errno = 0;
	*v = strtoll(n->s, &end, 0);
	if (errno || *end || end == n->s)
		return yt_err(err, file, n, "'%s' is not a number", n->s);
	return 0;
}

/*
 * An attribute's pattern is a short ERE whose compilation stays cheap: at
 * most 512 bytes, and no repetition right after another (a+++..., which
 * POSIX leaves undefined and glibc's regcomp expands into a tree that
 * grows with each one). NULL if it is fine, else the reason.
 */
static const char *pattern_problem(const char *p)
{
	bool after_repeat = false;

	if (strlen(p) > 512)
		return "longer than 512 bytes";
	for (size_t i = 0; p[i]; i++) {
		bool repeat = p[i] == '*' || p[i] == '+' || p[i] == '?' || p[i] == '{';

		if (p[i] == '\\' && p[i + 1]) {
			i++;
		} else if (p[i] == '[') {
			/* a bracket expression: a ] first is a member, [:class:] [.x.] [=x=] nest */
			size_t j = i + 1 + (p[i + 1] == '^');

			j += p[j] == ']';
			while (p[j] && p[j] != ']') {
				const char *end = p[j] == '[' && p[j + 1] && strchr(":.=", p[j + 1])
							  ? strchr(p + j + 2, p[j + 1])
							  : NULL;

				j = end && end[1] == ']' ? (size_t)(end - p) + 2 : j + 1;
			}
			if (!p[j])
				return NULL; /* unbalanced: regcomp says so */
			i = j;
		} else if (repeat && after_repeat) {
			return "a repetition right after another";
		} else if (p[i] == '{') {
			while (p[i] && p[i] != '}')
				i++;
			if (!p[i])
				return NULL;
		}
		after_repeat = repeat;
	}
	return NULL;
}

static int parse_schema(const char *file, const struct yt_node *m, struct attr_schema **out, size_t *nout,
			struct diag *err)
{
	struct attr_schema *a;

	*out = NULL;
	*nout = 0;
	if (!m)
		return 0;
	if (m->kind != YT_MAP)
		return yt_err(err, file, m, "attributes must be a mapping of name: {type: ...}");
	a = calloc(m->n ? m->n : 1, sizeof(*a));
	if (!a)
		return diag_set(err, "%s: out of memory", file);
	*out = a;
	for (size_t i = 0; i < m->n; i++) {
		const struct yt_node *d = m->items[i], *v;
		regex_t re;
		const char *why;

		*nout = i + 1;
		a[i].name = strdup(m->keys[i]->s);
		a[i].min = 0;
		a[i].max = 0x7fffffffffffffffLL;
		a[i].item_type = ATTR_STRING;
		if (!a[i].name)
			return diag_set(err, "%s: out of memory", file);
		if (d->kind != YT_MAP)
			return yt_err(err, file, d, "attribute %s: expected {type: ...}", a[i].name);
		for (size_t j = 0; j < d->n; j++) {
			const char *k = d->keys[j]->s;

			if (strcmp(k, "type") && strcmp(k, "required") && strcmp(k, "pattern") &&
			    strcmp(k, "min") && strcmp(k, "max") && strcmp(k, "items") &&
			    strcmp(k, "fields") && strcmp(k, "default") && strcmp(k, "doc"))
				return yt_err(err, file, d->keys[j], "attribute %s: unknown key '%s'",
					      a[i].name, k);
		}
		if (parse_type(file, yt_get(d, "type"), &a[i].type, err))
			return -1;
		if ((v = yt_get(d, "required")) && parse_flag(file, v, "required", &a[i].required, err))
			return -1;
		if ((v = yt_get(d, "default"))) {
			if (!yt_is_str(v) || strcmp(v->s, "name"))
				return yt_err(err, file, v,
					      "default: only 'name' (the plug's or slot's name)");
			a[i].default_name = true;
		}
		if ((v = yt_get(d, "pattern"))) {
			if (!yt_is_str(v))
				return yt_err(err, file, v, "pattern: a regular expression");
			if ((why = pattern_problem(v->s)))
				return yt_err(err, file, v, "pattern: %s", why);
			if (regcomp(&re, v->s, REG_EXTENDED | REG_NOSUB))
				return yt_err(err, file, v, "pattern '%s' is not a regular expression", v->s);
			regfree(&re);
			if (!(a[i].pattern = strdup(v->s)))
				return diag_set(err, "%s: out of memory", file);
		}
		if ((v = yt_get(d, "min")) && parse_ll(file, v, &a[i].min, err))
			return -1;
		if ((v = yt_get(d, "max")) && parse_ll(file, v, &a[i].max, err))
			return -1;
		if ((v = yt_get(d, "items")) && parse_type(file, v, &a[i].item_type, err))
			return -1;
		/* a list of maps: fields: describes each item (custom-device's udev-tagging) */
		if (a[i].type == ATTR_LIST && a[i].item_type == ATTR_LIST)
			return yt_err(err, file, d, "attribute %s: list items cannot be lists", a[i].name);
		if ((v = yt_get(d, "fields")) && parse_schema(file, v, &a[i].fields, &a[i].nfields, err))
			return -1;
	}
	return 0;
}

static int parse_names(const char *file, const struct yt_node *n, char ***out, size_t *nout, struct diag *err)
{
	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	if (n->kind != YT_SEQ)
		return yt_err(err, file, n, "expected a list of attribute names");
	*out = calloc(n->n ? n->n : 1, sizeof(**out));
	if (!*out)
		return diag_set(err, "%s: out of memory", file);
	for (size_t i = 0; i < n->n; i++) {
		if (!yt_is_str(n->items[i]))
			return yt_err(err, file, n->items[i], "expected an attribute name");
		if (!((*out)[i] = strdup(n->items[i]->s)))
			return diag_set(err, "%s: out of memory", file);
		*nout = i + 1;
	}
	return 0;
}

/* "plug.a.b", "slot.x" or "!plug.x" */
static bool valid_ref(const char *r)
{
	if (*r == '!')
		r++;
	if (strncmp(r, "plug.", 5) && strncmp(r, "slot.", 5))
		return false;
	for (const char *p = r + 5; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return false;
	return r[5] != '\0';
}

static int parse_snippets(const char *file, const struct yt_node *n, struct snippet **out, size_t *nout,
			  struct diag *err)
{
	struct snippet *s;

	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	/* a block of text: one snippet */
	if (n->kind == YT_SCALAR) {
		struct yt_node seq = { .kind = YT_SEQ, .line = n->line, .col = n->col, .n = 1 };
		struct yt_node *items[1] = { (struct yt_node *)n };

		seq.items = items;
		return parse_snippets(file, &seq, out, nout, err);
	}
	if (n->kind != YT_SEQ)
		return yt_err(err, file, n, "expected text or a list of text and {when:, each:, text:}");
	s = calloc(n->n ? n->n : 1, sizeof(*s));
	if (!s)
		return diag_set(err, "%s: out of memory", file);
	*out = s;
	for (size_t i = 0; i < n->n; i++) {
		const struct yt_node *it = n->items[i], *t;

		*nout = i + 1;
		s[i].line = it->line;
		if (it->kind == YT_SCALAR) {
			if (!(s[i].text = strdup(it->s)))
				return diag_set(err, "%s: out of memory", file);
			continue;
		}
		if (it->kind != YT_MAP)
			return yt_err(err, file, it, "expected text or {when:, each:, text:}");
		for (size_t j = 0; j < it->n; j++)
			if (strcmp(it->keys[j]->s, "when") && strcmp(it->keys[j]->s, "each") &&
			    strcmp(it->keys[j]->s, "text"))
				return yt_err(err, file, it->keys[j], "unknown key '%s' (when, each, text)",
					      it->keys[j]->s);
		t = yt_get(it, "text");
		if (!t || t->kind != YT_SCALAR)
			return yt_err(err, file, it, "text: is missing");
		if (!(s[i].text = strdup(t->s)))
			return diag_set(err, "%s: out of memory", file);
		if ((t = yt_get(it, "when"))) {
			/* one condition, or several that must all hold (kept space-separated) */
			size_t nc = t->kind == YT_SEQ ? t->n : 1, len = 1;

			for (size_t j = 0; j < nc; j++) {
				const struct yt_node *r = t->kind == YT_SEQ ? t->items[j] : t;

				if (!yt_is_str(r) || !valid_ref(r->s))
					return yt_err(
						err, file, r,
						"when: plug.ATTR or slot.ATTR (or !...), or a list of them");
				len += strlen(r->s) + 1;
			}
			if (!nc)
				return yt_err(err, file, t, "when: an empty list");
			if ((s[i].when = calloc(1, len)))
				for (size_t j = 0; j < nc; j++) {
					if (j)
						strcat(s[i].when, " ");
					strcat(s[i].when, (t->kind == YT_SEQ ? t->items[j] : t)->s);
				}
		}
		if ((t = yt_get(it, "each"))) {
			if (!yt_is_str(t) || !valid_ref(t->s) || t->s[0] == '!')
				return yt_err(err, file, t, "each: plug.ATTR or slot.ATTR (a list)");
			s[i].each = strdup(t->s);
		}
		if ((yt_get(it, "when") && !s[i].when) || (yt_get(it, "each") && !s[i].each))
			return diag_set(err, "%s: out of memory", file);
	}
	return 0;
}

int iface_spec_parse(const char *file, const char *text, size_t len, struct iface_spec *s, struct diag *err)
{
	static const char *const keys[] = { "interface",
					    "summary",
					    "auto-connect",
					    "system-slot",
					    "plug-attributes",
					    "slot-attributes",
					    "slot-one-of",
					    "match",
					    "seccomp",
					    "apparmor",
					    "udev",
					    "mount",
					    "doc" };
	struct yt_doc d;
	const struct yt_node *r, *v;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (yt_parse(file, text, len, &d, err))
		return -1;
	r = d.root;
	if (!r || r->kind != YT_MAP) {
		yt_err(err, file, r, "expected a mapping with interface: NAME");
		goto out;
	}
	if ((v = yt_unknown_key(r, keys, sizeof(keys) / sizeof(keys[0])))) {
		yt_err(err, file, v, "unknown key '%s'", v->s);
		goto out;
	}
	if (!(s->file = strdup(file)))
		goto oom;
	v = yt_get(r, "interface");
	if (!yt_is_str(v) || !valid_name(v->s)) {
		yt_err(err, file, v ? v : r, "interface: a name of a-z, 0-9 and single dashes");
		goto out;
	}
	if (!(s->name = strdup(v->s)))
		goto oom;
	if ((v = yt_get(r, "summary")) && yt_is_str(v) && !(s->summary = strdup(v->s)))
		goto oom;
	if (((v = yt_get(r, "auto-connect")) && parse_flag(file, v, "auto-connect", &s->auto_connect, err)) ||
	    ((v = yt_get(r, "system-slot")) && parse_flag(file, v, "system-slot", &s->system_slot, err)))
		goto out;
	if (parse_schema(file, yt_get(r, "plug-attributes"), &s->plug_attrs, &s->nplug_attrs, err) ||
	    parse_schema(file, yt_get(r, "slot-attributes"), &s->slot_attrs, &s->nslot_attrs, err) ||
	    parse_names(file, yt_get(r, "slot-one-of"), &s->slot_one_of, &s->nslot_one_of, err) ||
	    parse_names(file, yt_get(r, "match"), &s->match, &s->nmatch, err))
		goto out;
	for (int k = 0; k < SN_KINDS; k++)
		if (parse_snippets(file, yt_get(r, kind_key[k]), &s->sn[k], &s->nsn[k], err))
			goto out;
	rc = 0;
	goto out;
oom:
	diag_set(err, "%s: out of memory", file);
out:
	if (rc)
		iface_spec_free(s);
	yt_free(&d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct iface_spec *)a)->name, ((const struct iface_spec *)b)->name);
}

int iface_specs_load(const char *dir, struct iface_spec **out, size_t *n, struct diag *err)
{
	struct iface_spec *specs = NULL;
	struct dirent *de;
	size_t cap = 0;
	DIR *d = opendir(dir);

	*out = NULL;
	*n = 0;
	if (!d)
		return diag_errno(err, "cannot read the interfaces in %s", dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), tlen;
		char path[4096], *text;
		struct iface_spec s;

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (file_read_all(path, 1 << 20, &text, &tlen, err))
			goto fail;
		if (iface_spec_parse(path, text, tlen, &s, err)) {
			free(text);
			goto fail;
		}
		free(text);
		if (strncmp(de->d_name, s.name, len - 5) || strlen(s.name) != len - 5) {
			diag_set(err, "%s: the file of interface '%s' must be %s.yaml", path, s.name, s.name);
			iface_spec_free(&s);
			goto fail;
		}
		if (*n == cap) {
			struct iface_spec *ns = realloc(specs, (cap = cap ? 2 * cap : 32) * sizeof(*ns));

			if (!ns) {
				iface_spec_free(&s);
				diag_set(err, "out of memory");
				goto fail;
			}
			specs = ns;
		}
		specs[(*n)++] = s;
	}
	closedir(d);
	if (*n)
		qsort(specs, *n, sizeof(*specs), by_name);
	*out = specs;
	return 0;
fail:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		iface_spec_free(&specs[i]);
	free(specs);
	*n = 0;
	return -1;
}

const struct iface_spec *iface_spec_find(const struct iface_spec *specs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(specs[i].name, name))
			return &specs[i];
	return NULL;
}
