// SPDX-License-Identifier: GPL-3.0-only
/*
 * gadget.yaml into struct gadget: the shape of the document (maps, lists,
 * strings), the keys snapd knows, sizes and offsets parsed. The rules that
 * relate values to each other are in gadget_check.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "gadget.h"

#define GADGET_YAML_MAX (1024 * 1024)
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

int gadget_parse_size(const char *s, uint64_t *out, struct diag *err)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;

	if (*p == '-')
		return diag_set(err, "cannot be negative");
	if (*p < '0' || *p > '9')
		return diag_set(err, "no number");
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return diag_set(err, "too big");
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (strcmp(p, "M") == 0)
		mult = 1ull << 20;
	else if (strcmp(p, "G") == 0)
		mult = 1ull << 30;
	else if (*p)
		return diag_set(err, "unknown suffix \"%s\" (M for MiB, G for GiB, none for bytes)", p);
	if (v > UINT64_MAX / mult)
		return diag_set(err, "too big");
	*out = v * mult;
	return 0;
}

/* a string value (or NULL when the key is absent or null); -1 on a map or list */
static int get_str(const struct gadget *g, const struct yt_node *m, const char *key, const char **out,
		   const struct yt_node **node, struct diag *err)
{
	const struct yt_node *n = yt_get(m, key);

	*out = NULL;
	if (node)
		*node = n;
	if (!n || (n->kind == YT_SCALAR && !yt_is_str(n)))
		return 0;
	if (n->kind != YT_SCALAR)
		return yt_err(err, g->file, n, "%s: expected a string, not %s", key, yt_kind_name(n));
	*out = n->s;
	return 0;
}

static int get_size(const struct gadget *g, const struct yt_node *m, const char *key, uint64_t *out,
		    bool *present, const struct yt_node **node, struct diag *err)
{
	const char *s;
	struct diag why;

	if (get_str(g, m, key, &s, node, err) < 0)
		return -1;
	if (present)
		*present = s != NULL;
	if (!s)
		return 0;
	if (gadget_parse_size(s, out, &why) < 0)
		return yt_err(err, g->file, *node, "invalid %s \"%s\": %s", key, s, why.msg);
	return 0;
}

/* n is a map whose keys are among the known ones; what names it in messages */
static int known_map(const struct gadget *g, const struct yt_node *n, const char *what,
		     const char *const *keys, size_t nkeys, struct diag *err)
{
	const struct yt_node *k;

	if (n->kind != YT_MAP)
		return yt_err(err, g->file, n, "%s must be a map, not %s", what, yt_kind_name(n));
	if ((k = yt_unknown_key(n, keys, nkeys)))
		return yt_err(err, g->file, k, "unknown key \"%s\" in %s", k->s, what);
	return 0;
}

/* the list under key in m (*list NULL when absent or null) and an array of
 * as many zeroed elements of elem bytes */
static int get_list(const struct gadget *g, const struct yt_node *m, const char *key, size_t elem,
		    const struct yt_node **list, void **arr, struct diag *err)
{
	const struct yt_node *l = yt_get(m, key);

	*list = NULL;
	if (!l || (l->kind == YT_SCALAR && !yt_is_str(l)))
		return 0;
	if (l->kind != YT_SEQ)
		return yt_err(err, g->file, l, "%s must be a list, not %s", key, yt_kind_name(l));
	*arr = calloc(l->n ? l->n : 1, elem);
	if (!*arr)
		return diag_errno(err, "out of memory");
	*list = l;
	return 0;
}

static int read_content(const struct gadget *g, const struct yt_node *n, struct gadget_content *c,
			struct diag *err)
{
	static const char *const keys[] = { "source", "target", "image", "offset", "size", "unpack" };
	const struct yt_node *off;

	if (known_map(g, n, "a content entry", keys, ARRAY_LEN(keys), err) < 0)
		return -1;
	c->node = n;
	if (get_str(g, n, "source", &c->source, NULL, err) < 0 ||
	    get_str(g, n, "target", &c->target, NULL, err) < 0 ||
	    get_str(g, n, "image", &c->image, &c->image_node, err) < 0 ||
	    get_size(g, n, "offset", &c->offset, &c->has_offset, &off, err) < 0 ||
	    get_size(g, n, "size", &c->size, NULL, &off, err) < 0)
		return -1;
	return 0;
}

static int read_offset_write(const struct gadget *g, struct gadget_structure *s, struct diag *err)
{
	const char *v, *plus;
	struct diag why;

	if (get_str(g, s->node, "offset-write", &v, &s->offset_write_node, err) < 0)
		return -1;
	if (!v)
		return 0;
	s->has_offset_write = true;
	plus = strchr(v, '+');
	if (plus) {
		if (plus == v)
			return yt_err(err, g->file, s->offset_write_node,
				      "invalid offset-write \"%s\": no structure name before +", v);
		s->offset_write_to = strndup(v, (size_t)(plus - v));
		if (!s->offset_write_to)
			return diag_errno(err, "out of memory");
		v = plus + 1;
	}
	if (gadget_parse_size(v, &s->offset_write, &why) < 0)
		return yt_err(err, g->file, s->offset_write_node, "invalid offset-write \"%s\": %s", v,
			      why.msg);
	if (s->offset_write > 4ull * 1024 * 1024 * 1024)
		return yt_err(err, g->file, s->offset_write_node, "invalid offset-write: above 4G");
	return 0;
}

static int read_structure(const struct gadget *g, const struct yt_node *n, struct gadget_structure *s,
			  struct diag *err)
{
	static const char *const keys[] = {
		"name", "filesystem-label", "offset",  "offset-write", "min-size", "size", "type", "role",
		"id",	"filesystem",	    "content", "update"
	};
	const struct yt_node *k, *content;

	if (known_map(g, n, "a structure", keys, ARRAY_LEN(keys), err) < 0)
		return -1;
	s->node = n;
	if (get_str(g, n, "name", &s->name, NULL, err) < 0 ||
	    get_str(g, n, "filesystem-label", &s->label, &s->label_node, err) < 0 ||
	    get_str(g, n, "type", &s->type, &s->type_node, err) < 0 ||
	    get_str(g, n, "role", &s->role, &s->role_node, err) < 0 ||
	    get_str(g, n, "id", &s->id, NULL, err) < 0 ||
	    get_str(g, n, "filesystem", &s->filesystem, NULL, err) < 0 ||
	    get_size(g, n, "size", &s->size, NULL, &s->size_node, err) < 0 ||
	    get_size(g, n, "min-size", &s->min_size, NULL, &k, err) < 0 ||
	    get_size(g, n, "offset", &s->offset, &s->has_offset, &s->offset_node, err) < 0)
		return -1;
	if (read_offset_write(g, s, err) < 0)
		return -1;
	if (get_list(g, n, "content", sizeof(*s->content), &content, (void **)&s->content, err) < 0)
		return -1;
	if (!content)
		return 0;
	s->ncontent = content->n;
	for (size_t i = 0; i < content->n; i++)
		if (read_content(g, content->items[i], &s->content[i], err) < 0)
			return -1;
	return 0;
}

static int read_volume(const struct gadget *g, const struct yt_node *key, const struct yt_node *n,
		       struct gadget_volume *v, struct diag *err)
{
	static const char *const keys[] = { "schema", "bootloader", "id", "structure" };
	const struct yt_node *k, *st;

	v->name = key->s;
	v->node = key;
	if (!n || (n->kind == YT_SCALAR && !yt_is_str(n)))
		return yt_err(err, g->file, key, "volume \"%s\" is empty", v->name);
	if (n->kind != YT_MAP)
		return yt_err(err, g->file, n, "volume \"%s\" must be a map, not %s", v->name,
			      yt_kind_name(n));
	if (yt_get(n, "partial"))
		return yt_err(err, g->file, yt_get(n, "partial"),
			      "volume \"%s\": partial volumes cannot be laid out into an image", v->name);
	if ((k = yt_unknown_key(n, keys, ARRAY_LEN(keys))))
		return yt_err(err, g->file, k, "unknown key \"%s\" in volume \"%s\"", k->s, v->name);
	if (get_str(g, n, "schema", &v->schema, &v->schema_node, err) < 0 ||
	    get_str(g, n, "bootloader", &v->bootloader, &v->bootloader_node, err) < 0 ||
	    get_str(g, n, "id", &v->id, NULL, err) < 0)
		return -1;
	if (get_list(g, n, "structure", sizeof(*v->st), &st, (void **)&v->st, err) < 0)
		return -1;
	if (!st)
		return yt_err(err, g->file, key, "volume \"%s\" has no structure", v->name);
	v->n = st->n;
	for (size_t i = 0; i < st->n; i++) {
		v->st[i].index = (unsigned)i;
		if (read_structure(g, st->items[i], &v->st[i], err) < 0)
			return -1;
	}
	return 0;
}

int gadget_read(const char *dir, struct gadget *g, struct diag *err)
{
	char *path;
	size_t len;
	const struct yt_node *vols;

	memset(g, 0, sizeof(*g));
	if (asprintf(&path, "%s/meta/gadget.yaml", dir) < 0)
		return diag_errno(err, "out of memory");
	g->file = path;
	if (file_read_all(path, GADGET_YAML_MAX, &g->text, &len, err) < 0)
		return -1;
	if (yt_parse(path, g->text, len, &g->doc, err) < 0)
		return -1;
	if (!g->doc.root || g->doc.root->kind != YT_MAP)
		return yt_err(err, path, g->doc.root, "expected a map with volumes");
	vols = yt_get(g->doc.root, "volumes");
	if (!vols)
		return yt_err(err, path, g->doc.root, "no volumes");
	if (vols->kind != YT_MAP || vols->n == 0)
		return yt_err(err, path, vols, "volumes must be a map of volume names to volumes");
	g->vol = calloc(vols->n, sizeof(*g->vol));
	if (!g->vol)
		return diag_errno(err, "out of memory");
	g->nvol = vols->n;
	for (size_t i = 0; i < vols->n; i++)
		if (read_volume(g, vols->keys[i], vols->items[i], &g->vol[i], err) < 0)
			return -1;
	return 0;
}

void gadget_free(struct gadget *g)
{
	for (size_t i = 0; i < g->nvol; i++) {
		for (size_t j = 0; j < g->vol[i].n; j++) {
			free(g->vol[i].st[j].content);
			free((char *)g->vol[i].st[j].offset_write_to);
		}
		free(g->vol[i].st);
	}
	free(g->vol);
	yt_free(&g->doc);
	free(g->text);
	free((char *)g->file);
	memset(g, 0, sizeof(*g));
}
