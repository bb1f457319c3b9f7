/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * YAML documents (snap.yaml, gadget.yaml, the interface files) read with
 * libyaml into a small tree that keeps each node's line and column, so that
 * every complaint can name "file:line:col". Aliases are resolved; the tree
 * is bounded (depth and node count), so a document that expands without
 * end is an error, not a hang.
 */
#ifndef CONFINE_IFACE_YAMLTREE_H
#define CONFINE_IFACE_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum yt_kind { YT_SCALAR, YT_SEQ, YT_MAP };

struct yt_node {
	enum yt_kind kind;
	unsigned line, col;	/* 1-based */
	char *s;		/* a scalar's text */
	bool quoted;		/* a scalar written in quotes (never null, a number or a bool) */
	size_t n;		/* items of a sequence, pairs of a map */
	struct yt_node **items; /* the sequence's items, the map's values */
	struct yt_node **keys;	/* the map's keys (scalars) */
};

struct yt_doc {
	const char *file;     /* as given to yt_parse, for messages */
	struct yt_node *root; /* NULL for an empty document */
	size_t nodes;
};

#define YT_MAX_DEPTH 64
#define YT_MAX_NODES 100000

/* one document; "file:line:col: reason" on a syntax error */
int yt_parse(const char *file, const char *text, size_t len, struct yt_doc *out, struct diag *err);
void yt_free(struct yt_doc *d);
/* a deep copy of n (NULL stays NULL) */
struct yt_node *yt_copy(const struct yt_node *n);
void yt_node_free(struct yt_node *n);

/* the value of key in the map m, or NULL (also when m is not a map) */
const struct yt_node *yt_get(const struct yt_node *m, const char *key);
/* the node at a dotted path of keys below n ("a.b": n's a's b), or NULL */
const struct yt_node *yt_path(const struct yt_node *n, const char *path);
/* the first key of mapping m that is none of the n known ones (its key node), or NULL */
const struct yt_node *yt_unknown_key(const struct yt_node *m, const char *const *known, size_t n);
/* a scalar that is not null (~, null, empty) */
bool yt_is_str(const struct yt_node *n);
/* true/false (and yes/no, on/off as YAML 1.1 has them); -1 when it is not a bool */
int yt_bool(const struct yt_node *n);
const char *yt_kind_name(const struct yt_node *n);
/* "file:line:col: " + message */
int yt_err(struct diag *err, const char *file, const struct yt_node *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
