// SPDX-License-Identifier: GPL-3.0-only
/* YAML read with libyaml into a tree with positions (yamltree.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "iface/yamltree.h"

void yt_node_free(struct yt_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		yt_node_free(n->items[i]);
		if (n->keys)
			yt_node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->s);
	free(n);
}

void yt_free(struct yt_doc *d)
{
	yt_node_free(d->root);
	d->root = NULL;
}

struct yt_node *yt_copy(const struct yt_node *n)
{
	struct yt_node *c;

	if (!n)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	*c = *n;
	c->s = NULL;
	c->items = NULL;
	c->keys = NULL;
	c->n = 0;
	if (n->s && !(c->s = strdup(n->s)))
		goto fail;
	if (n->n) {
		c->items = calloc(n->n, sizeof(*c->items));
		if (!c->items)
			goto fail;
		if (n->keys && !(c->keys = calloc(n->n, sizeof(*c->keys))))
			goto fail;
		for (size_t i = 0; i < n->n; i++) {
			c->n = i + 1;
			if (!(c->items[i] = yt_copy(n->items[i])) ||
			    (n->keys && !(c->keys[i] = yt_copy(n->keys[i]))))
				goto fail;
		}
	}
	return c;
fail:
	yt_node_free(c);
	return NULL;
}

int yt_err(struct diag *err, const char *file, const struct yt_node *n, const char *fmt, ...)
{
	char msg[DIAG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		return diag_set(err, "%s:%u:%u: %s", file, n->line, n->col, msg);
	return diag_set(err, "%s: %s", file, msg);
}

struct conv {
	yaml_document_t *doc;
	size_t count;
	struct diag *err;
	const char *file;
};

static struct yt_node *convert(struct conv *c, yaml_node_t *yn, int depth)
{
	struct yt_node *n;

	if (depth > YT_MAX_DEPTH || ++c->count > YT_MAX_NODES) {
		diag_set(c->err, "%s:%lu:%lu: the document nests or expands too much (aliases?)", c->file,
			 (unsigned long)yn->start_mark.line + 1, (unsigned long)yn->start_mark.column + 1);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		goto oom;
	n->line = (unsigned)yn->start_mark.line + 1;
	n->col = (unsigned)yn->start_mark.column + 1;
	switch (yn->type) {
	case YAML_SCALAR_NODE:
		n->kind = YT_SCALAR;
		if (memchr(yn->data.scalar.value, '\0', yn->data.scalar.length)) {
			diag_set(c->err, "%s:%u:%u: a NUL byte in a value", c->file, n->line, n->col);
			free(n);
			return NULL;
		}
		n->s = strndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
		n->quoted = yn->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			    yn->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
			    yn->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
			    yn->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
		if (!n->s)
			goto oom;
		return n;
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it = yn->data.sequence.items.start;
		size_t cnt = (size_t)(yn->data.sequence.items.top - it);

		n->kind = YT_SEQ;
		n->items = calloc(cnt ? cnt : 1, sizeof(*n->items));
		if (!n->items)
			goto oom;
		for (size_t i = 0; i < cnt; i++) {
			yaml_node_t *child = yaml_document_get_node(c->doc, it[i]);

			if (!child || !(n->items[i] = convert(c, child, depth + 1)))
				goto fail;
			n->n = i + 1;
		}
		return n;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p = yn->data.mapping.pairs.start;
		size_t cnt = (size_t)(yn->data.mapping.pairs.top - p);

		n->kind = YT_MAP;
		n->items = calloc(cnt ? cnt : 1, sizeof(*n->items));
		n->keys = calloc(cnt ? cnt : 1, sizeof(*n->keys));
		if (!n->items || !n->keys)
			goto oom;
		for (size_t i = 0; i < cnt; i++) {
			yaml_node_t *k = yaml_document_get_node(c->doc, p[i].key);
			yaml_node_t *v = yaml_document_get_node(c->doc, p[i].value);

			if (!k || !v)
				goto fail;
			if (k->type != YAML_SCALAR_NODE) {
				diag_set(c->err, "%s:%lu:%lu: a key must be a plain value", c->file,
					 (unsigned long)k->start_mark.line + 1,
					 (unsigned long)k->start_mark.column + 1);
				goto fail;
			}
			if (!(n->keys[i] = convert(c, k, depth + 1)))
				goto fail;
			for (size_t j = 0; j < i; j++)
				if (!strcmp(n->keys[j]->s, n->keys[i]->s)) {
					diag_set(c->err, "%s:%u:%u: '%s' appears twice in this mapping",
						 c->file, n->keys[i]->line, n->keys[i]->col, n->keys[i]->s);
					n->n = i + 1;
					goto fail;
				}
			n->n = i + 1;
			if (!(n->items[i] = convert(c, v, depth + 1)))
				goto fail;
		}
		return n;
	}
	default:
		diag_set(c->err, "%s:%u:%u: an empty node", c->file, n->line, n->col);
		goto fail;
	}
oom:
	diag_set(c->err, "%s: out of memory", c->file);
fail:
	yt_node_free(n);
	return NULL;
}

int yt_parse(const char *file, const char *text, size_t len, struct yt_doc *out, struct diag *err)
{
	yaml_parser_t p;
	yaml_document_t doc;
	yaml_node_t *root;
	struct conv c = { .doc = &doc, .err = err, .file = file };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->file = file;
	if (!yaml_parser_initialize(&p))
		return diag_set(err, "%s: out of memory", file);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &doc)) {
		diag_set(err, "%s:%lu:%lu: %s%s%s", file, (unsigned long)p.problem_mark.line + 1,
			 (unsigned long)p.problem_mark.column + 1, p.problem ? p.problem : "malformed YAML",
			 p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = 0;
		goto out;
	}
	out->root = convert(&c, root, 0);
	out->nodes = c.count;
	rc = out->root ? 0 : -1;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return rc;
}

const struct yt_node *yt_get(const struct yt_node *m, const char *key)
{
	if (!m || m->kind != YT_MAP)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->keys[i]->s, key))
			return m->items[i];
	return NULL;
}

const struct yt_node *yt_path(const struct yt_node *n, const char *path)
{
	char part[128];

	for (const char *p = path; n && *p;) {
		size_t len = strcspn(p, ".");

		if (len >= sizeof(part))
			return NULL;
		memcpy(part, p, len);
		part[len] = '\0';
		n = yt_get(n, part);
		p += len + (p[len] == '.');
	}
	return n;
}

const struct yt_node *yt_unknown_key(const struct yt_node *m, const char *const *known, size_t n)
{
	for (size_t i = 0; m && m->kind == YT_MAP && i < m->n; i++) {
		size_t k = 0;

		while (k < n && strcmp(known[k], m->keys[i]->s))
			k++;
		if (k == n)
			return m->keys[i];
	}
	return NULL;
}

static bool is_null(const struct yt_node *n)
{
	return n->kind == YT_SCALAR && !n->quoted &&
	       (!n->s[0] || !strcmp(n->s, "~") || !strcmp(n->s, "null") || !strcmp(n->s, "Null") ||
		!strcmp(n->s, "NULL"));
}

bool yt_is_str(const struct yt_node *n)
{
	return n && n->kind == YT_SCALAR && !is_null(n);
}

int yt_bool(const struct yt_node *n)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };

	if (!n || n->kind != YT_SCALAR || n->quoted)
		return -1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(n->s, yes[i]))
			return 1;
		if (!strcmp(n->s, no[i]))
			return 0;
	}
	return -1;
}

const char *yt_kind_name(const struct yt_node *n)
{
	if (!n)
		return "nothing";
	if (n->kind == YT_MAP)
		return "a mapping";
	if (n->kind == YT_SEQ)
		return "a list";
	return is_null(n) ? "null" : "a value";
}
