// SPDX-License-Identifier: GPL-3.0-only
/*
 * A snap's meta/snap.yaml (iface.h): its apps, plugs, slots and layouts, in
 * snapd's forms, checked against the interface data. Plug and slot forms:
 *
 *   plugs:                    apps:
 *     net:                      app:
 *       interface: network        plugs: [net, home]
 *     home:          (null: the interface of that name)
 *     data: content  (a string: that interface)
 *
 * A snap-level plug that no app lists belongs to every app; a name an app
 * lists that the snap does not declare is a plug of the interface of that
 * name. Attributes are checked against the interface's; snap paths
 * ($SNAP, $SNAP_DATA, $SNAP_COMMON, or relative to $SNAP) are expanded.
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "iface/iface.h"
#include "path_walk.h"
#include "run_file.h"
#include "tag.h"

#define OOM(file) diag_set(err, "%s: out of memory", file)

static void plugslot_free(struct plugslot *p)
{
	free(p->snap);
	free(p->name);
	free(p->iface);
	yt_node_free(p->attrs);
	for (size_t i = 0; i < p->napps; i++)
		free(p->apps[i]);
	free(p->apps);
}

void snap_free(struct snap *s)
{
	free(s->name);
	free(s->snap_name);
	free(s->version);
	free(s->base);
	free(s->confinement);
	free(s->type);
	free(s->rev);
	free(s->dir);
	free(s->file);
	free(s->gadget_file);
	for (size_t i = 0; i < s->napps; i++) {
		for (size_t j = 0; j < s->apps[i].nplugs; j++)
			free(s->apps[i].plugs[j]);
		for (size_t j = 0; j < s->apps[i].nslots; j++)
			free(s->apps[i].slots[j]);
		free(s->apps[i].plugs);
		free(s->apps[i].slots);
		free(s->apps[i].name);
		free(s->apps[i].command);
		words_free(s->apps[i].words, s->apps[i].nwords);
		words_free(s->apps[i].chain, s->apps[i].nchain);
		words_free(s->apps[i].env, s->apps[i].nenv);
		free(s->apps[i].chain_at);
		free(s->apps[i].daemon);
		for (int x = 0; x < RUN_EXTRA_N; x++)
			words_free(s->apps[i].extra[x].words, s->apps[i].extra[x].nwords);
		words_free(s->apps[i].before, s->apps[i].nbefore);
		words_free(s->apps[i].after, s->apps[i].nafter);
	}
	free(s->apps);
	words_free(s->env, s->nenv);
	for (size_t i = 0; i < s->nplugs; i++)
		plugslot_free(&s->plugs[i]);
	for (size_t i = 0; i < s->nslots; i++)
		plugslot_free(&s->slots[i]);
	free(s->plugs);
	free(s->slots);
	for (size_t i = 0; i < s->nlayouts; i++) {
		free(s->layouts[i].path);
		free(s->layouts[i].kind);
		free(s->layouts[i].value);
		free(s->layouts[i].mode);
	}
	free(s->layouts);
	yt_free(&s->doc);
	yt_free(&s->gadget);
	memset(s, 0, sizeof(*s));
}

/* a path the rules can hold as it is: no pattern, quote or space characters */
static bool plain_path_chars(const char *p)
{
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/._+-@:~", *p)))
			return false;
	return true;
}

char *snap_expand(const struct snap *s, const char *p)
{
	char *out = NULL;
	const char *rest = p;
	char base[512];

	if (!strncmp(p, "$SNAP_DATA", 10) && (p[10] == '/' || !p[10])) {
		snprintf(base, sizeof(base), "/var/snap/%s/%s", s->snap_name, s->rev);
		rest = p + 10;
	} else if (!strncmp(p, "$SNAP_COMMON", 12) && (p[12] == '/' || !p[12])) {
		snprintf(base, sizeof(base), "/var/snap/%s/common", s->snap_name);
		rest = p + 12;
	} else if (!strncmp(p, "$SNAP", 5) && (p[5] == '/' || !p[5])) {
		snprintf(base, sizeof(base), "/snap/%s/%s", s->snap_name, s->rev);
		rest = p + 5;
	} else {
		snprintf(base, sizeof(base), "/snap/%s/%s/", s->snap_name, s->rev);
	}
	if (asprintf(&out, "%s%s", base, rest) < 0)
		return NULL;
	return out;
}

/*
 * A snap path as an attribute or a layout's source: checked, then absolute
 * ($SNAP when no variable starts it, as snapd reads content paths). With
 * absolute_ok (a layout's own path), a path from / stays as it is.
 */
static char *snap_path(const struct snap *s, const struct yt_node *n, const char *what, bool absolute_ok,
		       struct diag *err)
{
	char *abs;

	if (!yt_is_str(n)) {
		yt_err(err, s->file, n, "%s must be a path", what);
		return NULL;
	}
	if (n->s[0] == '$' && strncmp(n->s, "$SNAP", 5)) {
		yt_err(err, s->file, n, "%s '%s': only $SNAP, $SNAP_DATA and $SNAP_COMMON may start a path",
		       what, n->s);
		return NULL;
	}
	abs = absolute_ok && n->s[0] == '/' ? strdup(n->s) : snap_expand(s, n->s);
	if (!abs) {
		OOM(s->file);
		return NULL;
	}
	if (!pw_clean(abs) || !plain_path_chars(abs) || strchr(abs + 1, '$')) {
		yt_err(err, s->file, n, "%s '%s' must be a clean path of letters, digits and ._+-@:~", what,
		       n->s);
		free(abs);
		return NULL;
	}
	return abs;
}

static bool matches(const char *pattern, const char *v)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = regexec(&re, v, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static struct yt_node *scalar(const char *s, const struct yt_node *at)
{
	struct yt_node *n = calloc(1, sizeof(*n));

	if (!n || !(n->s = strdup(s))) {
		free(n);
		return NULL;
	}
	n->kind = YT_SCALAR;
	n->quoted = true;
	if (at) {
		n->line = at->line;
		n->col = at->col;
	}
	return n;
}

static int map_add(struct yt_node *m, const char *key, struct yt_node *v)
{
	struct yt_node **items = realloc(m->items, (m->n + 1) * sizeof(*items));
	struct yt_node **keys;

	if (!items)
		return -1;
	m->items = items;
	keys = realloc(m->keys, (m->n + 1) * sizeof(*keys));
	if (!keys)
		return -1;
	m->keys = keys;
	m->keys[m->n] = scalar(key, v);
	if (!m->keys[m->n])
		return -1;
	m->items[m->n++] = v;
	return 0;
}

/* checks one value against its schema, in place (paths expanded); what names it in messages */
static int check_value(const struct snap *s, const struct attr_schema *a, struct yt_node *v, enum attr_type t,
		       const char *what, struct diag *err)
{
	switch (t) {
	case ATTR_STRING:
		if (!yt_is_str(v))
			return yt_err(err, s->file, v, "%s must be a string, not %s", what, yt_kind_name(v));
		if (a->pattern && !matches(a->pattern, v->s))
			return yt_err(err, s->file, v, "%s '%s' is not valid (it must match %s)", what, v->s,
				      a->pattern);
		return 0;
	case ATTR_INT: {
		long long x;
		char *end, buf[32];

		if (!yt_is_str(v))
			return yt_err(err, s->file, v, "%s must be a number", what);
		errno = 0;
		x = strtoll(v->s, &end, 0);
		if (errno || *end || end == v->s || x < a->min || x > a->max)
			return yt_err(err, s->file, v, "%s '%s' must be a number from %lld to %lld", what,
				      v->s, a->min, a->max);
		snprintf(buf, sizeof(buf), "%lld", x);
		free(v->s);
		return (v->s = strdup(buf)) ? 0 : OOM(s->file);
	}
	case ATTR_BOOL:
		if (yt_bool(v) < 0)
			return yt_err(err, s->file, v, "%s must be true or false", what);
		free(v->s);
		return (v->s = strdup(yt_bool(v) ? "true" : "false")) ? 0 : OOM(s->file);
	case ATTR_PATH: {
		char *abs = snap_path(s, v, what, false, err);

		if (!abs)
			return -1;
		if (a->pattern && !matches(a->pattern, abs)) {
			free(abs);
			return yt_err(err, s->file, v, "%s '%s' is not allowed (it must match %s)", what,
				      v->s, a->pattern);
		}
		free(v->s);
		v->s = abs;
		v->quoted = true;
		return 0;
	}
	case ATTR_LIST:
		if (v->kind != YT_SEQ)
			return yt_err(err, s->file, v, "%s must be a list", what);
		for (size_t i = 0; i < v->n; i++)
			if (check_value(s, a, v->items[i], a->item_type, what, err))
				return -1;
		return 0;
	case ATTR_MAP:
		if (v->kind != YT_MAP)
			return yt_err(err, s->file, v, "%s must be a mapping", what);
		for (size_t i = 0; i < v->n; i++) {
			const struct attr_schema *f = NULL;
			char sub[256];

			for (size_t j = 0; j < a->nfields; j++)
				if (!strcmp(a->fields[j].name, v->keys[i]->s))
					f = &a->fields[j];
			snprintf(sub, sizeof(sub), "%s.%s", what, v->keys[i]->s);
			if (!f)
				return yt_err(err, s->file, v->keys[i], "%s: unknown attribute", sub);
			if (check_value(s, f, v->items[i], f->type, sub, err))
				return -1;
		}
		for (size_t j = 0; j < a->nfields; j++)
			if (a->fields[j].required && !yt_get(v, a->fields[j].name))
				return yt_err(err, s->file, v, "%s.%s is required", what, a->fields[j].name);
		return 0;
	}
	return 0;
}

/* the attributes of a plug or slot, checked against the interface's */
static int check_attrs(const struct snap *s, struct plugslot *p, const struct iface_spec *spec,
		       const struct yt_node *decl, struct diag *err)
{
	const struct attr_schema *schema = p->is_slot ? spec->slot_attrs : spec->plug_attrs;
	size_t nschema = p->is_slot ? spec->nslot_attrs : spec->nplug_attrs;
	const char *side = p->is_slot ? "slot" : "plug";

	p->attrs = calloc(1, sizeof(*p->attrs));
	if (!p->attrs)
		return OOM(s->file);
	p->attrs->kind = YT_MAP;
	p->attrs->line = p->line;
	p->attrs->col = p->col;
	for (size_t i = 0; decl && decl->kind == YT_MAP && i < decl->n; i++) {
		const char *k = decl->keys[i]->s;
		const struct attr_schema *a = NULL;
		struct yt_node *v;
		char what[256];

		if (!strcmp(k, "interface"))
			continue;
		for (size_t j = 0; j < nschema; j++)
			if (!strcmp(schema[j].name, k))
				a = &schema[j];
		snprintf(what, sizeof(what), "%s %s: attribute %s", side, p->name, k);
		if (!a)
			return yt_err(err, s->file, decl->keys[i],
				      "%s %s: interface %s has no %s attribute '%s'", side, p->name,
				      spec->name, side, k);
		v = yt_copy(decl->items[i]);
		if (!v)
			return OOM(s->file);
		if (check_value(s, a, v, a->type, what, err) || map_add(p->attrs, k, v)) {
			if (!err->msg[0])
				OOM(s->file);
			yt_node_free(v);
			return -1;
		}
	}
	for (size_t j = 0; j < nschema; j++) {
		if (yt_get(p->attrs, schema[j].name))
			continue;
		if (schema[j].default_name) {
			struct yt_node *v = scalar(p->name, NULL);

			if (!v || map_add(p->attrs, schema[j].name, v)) {
				yt_node_free(v);
				return OOM(s->file);
			}
		} else if (schema[j].required) {
			return yt_err(err, s->file, decl ? decl : NULL,
				      "%s %s (interface %s) needs the attribute %s", side, p->name,
				      spec->name, schema[j].name);
		}
	}
	if (p->is_slot && spec->nslot_one_of) {
		bool any = false;

		for (size_t j = 0; j < spec->nslot_one_of; j++)
			any |= yt_get(p->attrs, spec->slot_one_of[j]) != NULL;
		if (!any)
			return yt_err(err, s->file, decl,
				      "slot %s (interface %s) needs one of the attributes %s%s%s", p->name,
				      spec->name, spec->slot_one_of[0], spec->nslot_one_of > 1 ? ", " : "",
				      spec->nslot_one_of > 1 ? spec->slot_one_of[1] : "");
	}
	return 0;
}

static int add_plugslot(struct snap *s, bool slot, const char *name, const char *iface,
			const struct yt_node *at, struct plugslot **out)
{
	struct plugslot **list = slot ? &s->slots : &s->plugs;
	size_t *n = slot ? &s->nslots : &s->nplugs;
	struct plugslot *nl = realloc(*list, (*n + 1) * sizeof(*nl)), *p;

	if (!nl)
		return -1;
	*list = nl;
	p = &nl[(*n)++];
	memset(p, 0, sizeof(*p));
	p->is_slot = slot;
	p->file = s->file;
	p->line = at ? at->line : 0;
	p->col = at ? at->col : 0;
	p->snap = strdup(s->name);
	p->name = strdup(name);
	p->iface = strdup(iface);
	*out = p;
	return p->snap && p->name && p->iface ? 0 : -1;
}

static bool valid_plug_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 40 || s[0] == '-' || s[n - 1] == '-' || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-') ||
		    (p[0] == '-' && p[1] == '-'))
			return false;
	return true;
}

/* snap-level plugs: or slots: */
static int load_decls(struct snap *s, bool slot, const struct iface_spec *specs, size_t nspecs,
		      struct diag *err)
{
	const char *key = slot ? "slots" : "plugs";
	const struct yt_node *m = yt_get(s->doc.root, key);

	if (!m || (m->kind == YT_SCALAR && !yt_is_str(m)))
		return 0;
	if (m->kind != YT_MAP)
		return yt_err(err, s->file, m, "%s must be a mapping of names", key);
	for (size_t i = 0; i < m->n; i++) {
		const char *name = m->keys[i]->s, *iname = name;
		const struct yt_node *d = m->items[i], *iv;
		const struct iface_spec *spec;
		struct plugslot *p;

		if (!valid_plug_name(name))
			return yt_err(err, s->file, m->keys[i], "invalid %s name '%s'",
				      slot ? "slot" : "plug", name);
		if (yt_is_str(d) && d->kind == YT_SCALAR)
			iname = d->s;
		else if (d->kind == YT_MAP && (iv = yt_get(d, "interface"))) {
			if (!yt_is_str(iv))
				return yt_err(err, s->file, iv, "interface must be a name");
			iname = iv->s;
		} else if (d->kind == YT_SEQ) {
			return yt_err(err, s->file, d, "%s %s: expected an interface name or attributes",
				      slot ? "slot" : "plug", name);
		}
		spec = iface_spec_find(specs, nspecs, iname);
		if (!spec)
			return yt_err(err, s->file,
				      d->kind == YT_MAP ? yt_get(d, "interface") ? yt_get(d, "interface") : d
							: d,
				      "%s %s: unknown interface '%s'", slot ? "slot" : "plug", name, iname);
		if (add_plugslot(s, slot, name, iname, m->keys[i], &p))
			return OOM(s->file);
		if (check_attrs(s, p, spec, d->kind == YT_MAP ? d : NULL, err))
			return -1;
	}
	return 0;
}

static int string_list(const struct snap *s, const struct yt_node *n, const char *what, char ***out,
		       size_t *nout, struct diag *err)
{
	*out = NULL;
	*nout = 0;
	if (n->kind != YT_SEQ)
		return yt_err(err, s->file, n, "%s must be a list of names", what);
	*out = calloc(n->n ? n->n : 1, sizeof(**out));
	if (!*out)
		return OOM(s->file);
	for (size_t i = 0; i < n->n; i++) {
		if (!yt_is_str(n->items[i]) || !valid_plug_name(n->items[i]->s))
			return yt_err(err, s->file, n->items[i], "%s: invalid name", what);
		if (!((*out)[i] = strdup(n->items[i]->s)))
			return OOM(s->file);
		*nout = i + 1;
	}
	return 0;
}

static int bind_app(struct plugslot *p, const char *app)
{
	char **na = realloc(p->apps, (p->napps + 1) * sizeof(*na));

	if (!na)
		return -1;
	p->apps = na;
	return (p->apps[p->napps++] = strdup(app)) ? 0 : -1;
}

/* apps' plugs: and slots: lists bind the snap's declarations, or make implicit ones */
static int bind_apps(struct snap *s, bool slot, const struct iface_spec *specs, size_t nspecs,
		     struct diag *err)
{
	size_t ndecl = slot ? s->nslots : s->nplugs;

	for (size_t a = 0; a < s->napps; a++) {
		struct app *app = &s->apps[a];
		char **names = slot ? app->slots : app->plugs;
		size_t n = slot ? app->nslots : app->nplugs;

		for (size_t i = 0; i < n; i++) {
			struct plugslot *list = slot ? s->slots : s->plugs, *p = NULL;
			size_t cnt = slot ? s->nslots : s->nplugs;

			for (size_t j = 0; j < cnt; j++)
				if (!strcmp(list[j].name, names[i]))
					p = &list[j];
			if (!p) {
				const struct iface_spec *spec = iface_spec_find(specs, nspecs, names[i]);

				if (!spec)
					return diag_set(
						err,
						"%s:%u: %s %s: %s '%s' is neither declared nor an interface",
						s->file, app->line, app->hook ? "hook" : "app",
						app->name + (app->hook ? 5 : 0), slot ? "slot" : "plug",
						names[i]);
				if (add_plugslot(s, slot, names[i], names[i], NULL, &p))
					return OOM(s->file);
				p->line = app->line;
				if (check_attrs(s, p, spec, NULL, err))
					return -1;
			}
			if (bind_app(p, app->name))
				return OOM(s->file);
		}
	}
	/* declared and listed by no app: every app's */
	for (size_t j = 0; j < ndecl; j++) {
		struct plugslot *p = slot ? &s->slots[j] : &s->plugs[j];

		if (p->napps)
			continue;
		for (size_t a = 0; a < s->napps; a++)
			if (bind_app(p, s->apps[a].name))
				return OOM(s->file);
	}
	return 0;
}

/* environment: a mapping of variable names to strings, kept in order as KEY=VALUE */
static int load_env(const struct snap *s, const struct yt_node *m, const char *what, char ***out, size_t *n,
		    struct diag *err)
{
	*out = NULL;
	*n = 0;
	if (!m || (m->kind == YT_SCALAR && !yt_is_str(m)))
		return 0;
	if (m->kind != YT_MAP)
		return yt_err(err, s->file, m, "%senvironment must be a mapping of variable names to values",
			      what);
	*out = calloc(m->n ? m->n : 1, sizeof(**out));
	if (!*out)
		return OOM(s->file);
	for (size_t i = 0; i < m->n; i++) {
		const char *k = m->keys[i]->s;
		const struct yt_node *v = m->items[i];

		if (!run_env_name_valid(k, strlen(k)))
			return yt_err(
				err, s->file, m->keys[i],
				"%senvironment: '%s' is not a variable name (letters, digits and _, not "
				"starting with a digit)",
				what, k);
		if (v->kind != YT_SCALAR)
			return yt_err(err, s->file, v, "%senvironment: %s must be a string, not %s", what, k,
				      yt_kind_name(v));
		if (asprintf(&(*out)[i], "%s=%s", k, yt_is_str(v) ? v->s : "") < 0) {
			(*out)[i] = NULL;
			return OOM(s->file);
		}
		*n = i + 1;
	}
	return 0;
}

/* the name an app or a hook has in messages: "app NAME" or "hook NAME" */
static const char *who(const struct app *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", a->hook ? "hook" : "app", a->hook ? a->name + 5 : a->name);
	return buf;
}

/* a command (command:, stop-command:, ...) split as snapd runs it; key names it in messages */
static int load_words(const struct snap *s, const struct app *a, const struct yt_node *v, const char *key,
		      char ***words, size_t *nwords, struct diag *err)
{
	char why[256], w[APP_NAME_MAX + 16];

	if (!yt_is_str(v) || v->kind != YT_SCALAR || strchr(v->s, '\n'))
		return yt_err(err, s->file, v, "%s: %s must be one line of text", who(a, w, sizeof(w)), key);
	if (command_split(v->s, words, nwords, why, sizeof(why)) ||
	    !snap_program_path((*words)[0], why, sizeof(why)))
		return yt_err(err, s->file, v, "%s: %s: %s", who(a, w, sizeof(w)), key, why);
	if (*nwords - 1 > RUN_MAX_ARGS)
		return yt_err(err, s->file, v, "%s: %s: more than %d arguments", who(a, w, sizeof(w)), key,
			      RUN_MAX_ARGS);
	return 0;
}

/* command-chain: and environment: of an app or a hook (d: its mapping, NULL: none) */
static int load_chain_env(struct snap *s, struct app *a, const struct yt_node *d, struct diag *err)
{
	const struct yt_node *c;
	char why[256], what[APP_NAME_MAX + 16];

	who(a, what, sizeof(what) - 2);
	strcat(what, ": ");
	if (d && (c = yt_get(d, "command-chain"))) {
		if (c->kind != YT_SEQ)
			return yt_err(err, s->file, c, "app %s: command-chain must be a list of paths",
				      a->name);
		a->chain = calloc(c->n ? c->n : 1, sizeof(*a->chain));
		a->chain_at = calloc(c->n ? c->n : 1, sizeof(*a->chain_at));
		if (!a->chain || !a->chain_at)
			return OOM(s->file);
		for (size_t i = 0; i < c->n; i++) {
			const struct yt_node *e = c->items[i];

			if (!yt_is_str(e) || e->kind != YT_SCALAR)
				return yt_err(err, s->file, e, "%scommand-chain: each entry must be a path",
					      what);
			if (!snap_program_path(e->s, why, sizeof(why)))
				return yt_err(err, s->file, e, "%scommand-chain: %s", what, why);
			if (!(a->chain[i] = strdup(e->s)))
				return OOM(s->file);
			a->chain_at[i] = e;
			a->nchain = i + 1;
		}
		if (a->nchain > RUN_MAX_CHAIN)
			return yt_err(err, s->file, c, "%scommand-chain: more than %d entries", what,
				      RUN_MAX_CHAIN);
	}
	if (load_env(s, d ? yt_get(d, "environment") : NULL, what, &a->env, &a->nenv, err))
		return -1;
	if (s->nenv + a->nenv > RUN_MAX_ENV)
		return yt_err(err, s->file, yt_get(d, "environment") ? yt_get(d, "environment") : d,
			      "%smore than %d environment entries with the snap's", what, RUN_MAX_ENV);
	return 0;
}

/* command:, command-chain: and environment: of an app */
static int load_command(struct snap *s, struct app *a, const struct yt_node *d, struct diag *err)
{
	a->command_at = yt_get(d, "command");
	if (load_words(s, a, a->command_at, "command", &a->words, &a->nwords, err))
		return -1;
	return load_chain_env(s, a, d, err);
}

/* before: or after: a list of app names */
static int name_list(const struct snap *s, const struct app *a, const struct yt_node *n, const char *key,
		     char ***out, size_t *nout, struct diag *err)
{
	char why[256];

	if (n->kind != YT_SEQ)
		return yt_err(err, s->file, n, "app %s: %s must be a list of app names", a->name, key);
	*out = calloc(n->n ? n->n : 1, sizeof(**out));
	if (!*out)
		return OOM(s->file);
	for (size_t i = 0; i < n->n; i++) {
		if (!yt_is_str(n->items[i]) || !app_name_valid(n->items[i]->s, why, sizeof(why)))
			return yt_err(err, s->file, n->items[i], "app %s: %s: not an app name", a->name, key);
		if (!((*out)[i] = strdup(n->items[i]->s)))
			return OOM(s->file);
		*nout = i + 1;
	}
	return 0;
}

/* the plugs: and slots: an app or a hook lists */
static int load_lists(const struct snap *s, struct app *a, const struct yt_node *d, struct diag *err)
{
	const struct yt_node *v;

	if ((v = yt_get(d, "plugs"))) {
		a->lists_plugs = true;
		if (string_list(s, v, "plugs", &a->plugs, &a->nplugs, err))
			return -1;
	}
	if ((v = yt_get(d, "slots"))) {
		a->lists_slots = true;
		if (string_list(s, v, "slots", &a->slots, &a->nslots, err))
			return -1;
	}
	return 0;
}

/* the value of key when it is a string ("" when absent); NULL after an error */
static const char *daemon_str(const struct snap *s, const struct app *a, const struct yt_node *d,
			      const char *key, struct diag *err)
{
	const struct yt_node *v = yt_get(d, key);

	if (!v || (v->kind == YT_SCALAR && !yt_is_str(v))) /* absent or null */
		return "";
	if (!yt_is_str(v) || v->kind != YT_SCALAR) {
		yt_err(err, s->file, v, "app %s: %s must be a string", a->name, key);
		return NULL;
	}
	return v->s;
}

static bool one_of(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(v, *list))
			return true;
	return false;
}

/*
 * A service's keys (daemon:, restart-condition:, ...) as snapd checks them,
 * and what we refuse because nothing here runs it (user daemons, D-Bus
 * activation, sockets, timers, watchdogs).
 */
static int load_daemon(struct snap *s, struct app *a, const struct yt_node *d, struct diag *err)
{
	static const char *const daemons[] = { "simple", "forking", "oneshot", "notify", NULL };
	static const char *const restarts[] = { "on-failure", "always",	     "on-success", "on-abnormal",
						"on-abort",   "on-watchdog", "never",	   NULL };
	static const char *const stop_modes[] = { "sigterm", "sigterm-all", "sighup",  "sighup-all",
						  "sigusr1", "sigusr1-all", "sigusr2", "sigusr2-all",
						  "sigint",  "sigint-all",  NULL };
	static const char *const unsupported[] = { "sockets", "timer", "activates-on", "watchdog-timeout",
						   NULL };
	static const char *const timeouts[] = { "restart-delay", "start-timeout", "stop-timeout" };
	static const char *const extras[] = { "stop-command", "post-stop-command", "reload-command" };
	long long *tv[] = { &a->restart_delay, &a->start_timeout, &a->stop_timeout };
	const char *daemon = daemon_str(s, a, d, "daemon", err),
		   *scope = daemon_str(s, a, d, "daemon-scope", err);
	const char *restart = daemon_str(s, a, d, "restart-condition", err);
	const char *install = daemon_str(s, a, d, "install-mode", err);
	const char *refresh = daemon_str(s, a, d, "refresh-mode", err);
	const char *stop_mode = daemon_str(s, a, d, "stop-mode", err);
	bool svc;

	if (!daemon || !scope || !restart || !install || !refresh || !stop_mode)
		return -1;
	svc = *daemon;
	if (svc && !one_of(daemon, daemons))
		return yt_err(err, s->file, yt_get(d, "daemon"),
			      !strcmp(daemon, "dbus")
				      ? "app %s: daemon: dbus is not supported here (no D-Bus "
					"activation)"
				      : "app %s: daemon must be simple, forking, oneshot or notify, "
					"not '%s'",
			      a->name, daemon);
	if (*scope && !svc)
		return yt_err(err, s->file, yt_get(d, "daemon-scope"),
			      "app %s: daemon-scope is only for services", a->name);
	if (!strcmp(scope, "user"))
		return yt_err(err, s->file, yt_get(d, "daemon-scope"),
			      "app %s: daemon-scope: user is not supported here (system services only)",
			      a->name);
	if (*scope && strcmp(scope, "system"))
		return yt_err(err, s->file, yt_get(d, "daemon-scope"),
			      "app %s: daemon-scope must be system or user, not '%s'", a->name, scope);
	for (size_t i = 0; unsupported[i]; i++)
		if (yt_get(d, unsupported[i]))
			return yt_err(err, s->file, yt_get(d, unsupported[i]),
				      svc ? "app %s: %s is not supported here"
					  : "app %s: %s is only for services",
				      a->name, unsupported[i]);
	if (*restart && !one_of(restart, restarts) && strcmp(restart, "no"))
		return yt_err(
			err, s->file, yt_get(d, "restart-condition"),
			"app %s: restart-condition must be on-failure, always, on-success, on-abnormal, "
			"on-abort, on-watchdog or never, not '%s'",
			a->name, restart);
	if (*restart && !svc)
		return yt_err(err, s->file, yt_get(d, "restart-condition"),
			      "app %s: restart-condition is only for services", a->name);
	a->restart = !*restart ? "on-failure" : !strcmp(restart, "no") ? "never" : restart;
	for (size_t i = 0; i < 3; i++) {
		const struct yt_node *v = yt_get(d, timeouts[i]);

		*tv[i] = -1;
		if (!v)
			continue;
		if (!yt_is_str(v) || v->kind != YT_SCALAR || duration_ms(v->s, tv[i]))
			return yt_err(err, s->file, v,
				      "app %s: %s must be a duration such as 30s, 1m30s or 500ms, not '%s'",
				      a->name, timeouts[i], yt_is_str(v) ? v->s : "");
		if (*tv[i] && !svc)
			return yt_err(err, s->file, v, "app %s: %s is only for services", a->name,
				      timeouts[i]);
		if (*tv[i] < 0)
			return yt_err(err, s->file, v, "app %s: %s cannot be negative", a->name, timeouts[i]);
		if (!*tv[i])
			*tv[i] = -1; /* 0: as when absent (snapd) */
	}
	if (*stop_mode && !one_of(stop_mode, stop_modes))
		return yt_err(err, s->file, yt_get(d, "stop-mode"), "app %s: invalid stop-mode '%s'", a->name,
			      stop_mode);
	if (*stop_mode && !svc)
		return yt_err(err, s->file, yt_get(d, "stop-mode"), "app %s: stop-mode is only for services",
			      a->name);
	if (*stop_mode && strcmp(stop_mode, "sigterm-all"))
		return yt_err(err, s->file, yt_get(d, "stop-mode"),
			      "app %s: stop-mode %s is not supported here (only sigterm-all, the default)",
			      a->name, stop_mode);
	if (*refresh &&
	    !one_of(refresh, (const char *const[]){ "endure", "restart", "ignore-running", NULL }))
		return yt_err(err, s->file, yt_get(d, "refresh-mode"), "app %s: invalid refresh-mode '%s'",
			      a->name, refresh);
	if (*refresh && svc == !strcmp(refresh, "ignore-running"))
		return yt_err(err, s->file, yt_get(d, "refresh-mode"),
			      svc ? "app %s: refresh-mode cannot be ignore-running for a service"
				  : "app %s: refresh-mode can only be ignore-running for an app that is not "
				    "a service",
			      a->name);
	if (*install && strcmp(install, "enable") && strcmp(install, "disable"))
		return yt_err(err, s->file, yt_get(d, "install-mode"),
			      "app %s: install-mode must be enable or disable, not '%s'", a->name, install);
	if (*install && !svc)
		return yt_err(err, s->file, yt_get(d, "install-mode"),
			      "app %s: install-mode is only for services", a->name);
	a->disabled = !strcmp(install, "disable");
	for (int x = 0; x < RUN_EXTRA_N; x++) {
		const struct yt_node *v = yt_get(d, extras[x]);

		a->extra[x].at = v;
		if (v && load_words(s, a, v, extras[x], &a->extra[x].words, &a->extra[x].nwords, err))
			return -1;
	}
	/* stop-command and the others on an app that is no service: snapd accepts them and never runs them */
	for (int k = 0; k < 2; k++) {
		const struct yt_node *v = yt_get(d, k ? "after" : "before");

		if (!v)
			continue;
		if (!svc)
			return yt_err(err, s->file, v, "app %s: only a service may have before or after",
				      a->name);
		if (name_list(s, a, v, k ? "after" : "before", k ? &a->after : &a->before,
			      k ? &a->nafter : &a->nbefore, err))
			return -1;
	}
	if (svc && !(a->daemon = strdup(daemon)))
		return OOM(s->file);
	return 0;
}

static int load_apps(struct snap *s, struct diag *err)
{
	const struct yt_node *m = yt_get(s->doc.root, "apps");

	if (!m)
		return 0;
	if (m->kind != YT_MAP)
		return yt_err(err, s->file, m, "apps must be a mapping of names");
	s->apps = calloc(m->n ? m->n : 1, sizeof(*s->apps));
	if (!s->apps)
		return OOM(s->file);
	for (size_t i = 0; i < m->n; i++) {
		struct app *a = &s->apps[i];
		const struct yt_node *d = m->items[i], *v;
		char why[256];

		s->napps = i + 1;
		a->line = m->keys[i]->line;
		if (!app_name_valid(m->keys[i]->s, why, sizeof(why)))
			return yt_err(err, s->file, m->keys[i], "invalid app name: %s", why);
		if (!(a->name = strdup(m->keys[i]->s)))
			return OOM(s->file);
		if (d->kind != YT_MAP)
			return yt_err(err, s->file, d, "app %s: expected a mapping with command:", a->name);
		v = yt_get(d, "command");
		if (!yt_is_str(v) || strchr(v->s, '\n'))
			return yt_err(err, s->file, v ? v : d, "app %s has no command", a->name);
		if (!(a->command = strdup(v->s)))
			return OOM(s->file);
		if (load_command(s, a, d, err) || load_daemon(s, a, d, err))
			return -1;
		if (load_lists(s, a, d, err))
			return -1;
	}
	return 0;
}

static const struct app *find_hook(const struct snap *s, const char *name)
{
	for (size_t i = 0; i < s->napps; i++)
		if (s->apps[i].hook && !strcmp(s->apps[i].name + 5, name))
			return &s->apps[i];
	return NULL;
}

static const struct app *find_app(const struct snap *s, const char *name)
{
	for (size_t i = 0; i < s->napps; i++)
		if (!s->apps[i].hook && !strcmp(s->apps[i].name, name))
			return &s->apps[i];
	return NULL;
}

/* depth-first along after: (and before: reversed); state 1: on the path, 2: done */
static bool order_cycle(const struct snap *s, size_t i, char *state)
{
	const struct app *a = &s->apps[i];

	if (state[i] == 1)
		return true;
	if (state[i] == 2)
		return false;
	state[i] = 1;
	for (size_t j = 0; j < a->nafter; j++)
		if (order_cycle(s, (size_t)(find_app(s, a->after[j]) - s->apps), state))
			return true;
	for (size_t j = 0; j < s->napps; j++)
		for (size_t k = 0; k < s->apps[j].nbefore; k++)
			if (!strcmp(s->apps[j].before[k], a->name) && order_cycle(s, j, state))
				return true;
	state[i] = 2;
	return false;
}

/* before: and after: name services of the snap, without a cycle (snapd's checks) */
static int check_order(const struct snap *s, struct diag *err)
{
	const struct yt_node *apps = yt_get(s->doc.root, "apps");
	char *state;

	for (size_t i = 0; i < s->napps; i++) {
		const struct app *a = &s->apps[i];

		for (size_t k = 0; k < 2; k++)
			for (size_t j = 0; j < (k ? a->nafter : a->nbefore); j++) {
				const char *name = k ? a->after[j] : a->before[j];
				const struct app *o = find_app(s, name);

				if (!o || !o->daemon)
					return yt_err(err, s->file,
						      yt_get(yt_get(apps, a->name), k ? "after" : "before"),
						      "app %s: %s: %s is %s", a->name, k ? "after" : "before",
						      name, o ? "not a service" : "not an app of the snap");
			}
	}
	state = calloc(s->napps ? s->napps : 1, 1);
	if (!state)
		return OOM(s->file);
	for (size_t i = 0; i < s->napps; i++)
		if (order_cycle(s, i, state)) {
			free(state);
			return yt_err(err, s->file, yt_get(apps, s->apps[i].name),
				      "app %s: before and after make a cycle", s->apps[i].name);
		}
	free(state);
	return 0;
}

bool hook_supported(const char *n)
{
	static const char *const plain[] = { "prepare-device", "install-device",   "default-configure",
					     "configure",      "install",	   "pre-refresh",
					     "post-refresh",   "remove",	   "check-health",
					     "fde-setup",      "gate-auto-refresh" };
	static const char *const prefixed[] = { "prepare-", "unprepare-", "connect-", "disconnect-" };
	char why[256];

	if (!hook_name_valid(n, why, sizeof(why)))
		return false;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(n, plain[i]))
			return true;
	/* prepare-plug-NAME, connect-slot-NAME, ... */
	for (size_t i = 0; i < sizeof(prefixed) / sizeof(prefixed[0]); i++) {
		size_t l = strlen(prefixed[i]);

		if (!strncmp(n, prefixed[i], l) &&
		    ((!strncmp(n + l, "plug-", 5) && n[l + 5]) || (!strncmp(n + l, "slot-", 5) && n[l + 5])))
			return true;
	}
	return false;
}

static int hook_cmp(const void *x, const void *y)
{
	return strcmp(((const struct app *)x)->name, ((const struct app *)y)->name);
}

/* one hook more, from snap.yaml's hooks: (d: its mapping or null) or a file of meta/hooks */
static int add_hook(struct snap *s, const char *name, const struct yt_node *key, const struct yt_node *d,
		    struct diag *err)
{
	struct app *na = realloc(s->apps, (s->napps + 1) * sizeof(*na)), *a;

	if (!na)
		return OOM(s->file);
	s->apps = na;
	a = &na[s->napps++];
	memset(a, 0, sizeof(*a));
	a->hook = true;
	a->line = key ? key->line : 0;
	a->command_at = key;
	a->restart_delay = a->start_timeout = a->stop_timeout = -1;
	a->words = calloc(1, sizeof(*a->words));
	if (!a->words || asprintf(&a->name, "hook.%s", name) < 0 ||
	    asprintf(&a->words[0], "meta/hooks/%s", name) < 0 || !(a->command = strdup(a->words[0]))) {
		a->name = NULL;
		return OOM(s->file);
	}
	a->nwords = 1;
	if (d && d->kind == YT_MAP) {
		static const char *const known[] = { "plugs", "slots", "environment", "command-chain" };
		const struct yt_node *v;

		if ((v = yt_unknown_key(d, known, 4)))
			return yt_err(err, s->file, v, "hook %s: unknown key '%s'", name, v->s);
		if (load_lists(s, a, d, err))
			return -1;
	} else if (d && !(d->kind == YT_SCALAR && !yt_is_str(d))) {
		return yt_err(err, s->file, d,
			      "hook %s: expected a mapping (plugs, slots, environment, command-chain)", name);
	}
	return load_chain_env(s, a, d && d->kind == YT_MAP ? d : NULL, err);
}

/*
 * The hooks: snap.yaml's hooks: and the files of meta/hooks, those snapd
 * knows (others are ignored, as snapd ignores them), in name order after
 * the apps.
 */
static int load_hooks(struct snap *s, const char *const *files, size_t nfiles, struct diag *err)
{
	const struct yt_node *m = yt_get(s->doc.root, "hooks");
	size_t first = s->napps;

	if (m && !(m->kind == YT_SCALAR && !yt_is_str(m)) && m->kind != YT_MAP)
		return yt_err(err, s->file, m, "hooks must be a mapping of hook names");
	for (size_t i = 0; m && m->kind == YT_MAP && i < m->n; i++)
		if (hook_supported(m->keys[i]->s) && add_hook(s, m->keys[i]->s, m->keys[i], m->items[i], err))
			return -1;
	for (size_t i = 0; i < nfiles; i++) {
		bool known = false;

		for (size_t j = first; j < s->napps; j++)
			known |= !strcmp(s->apps[j].name + 5, files[i]);
		if (!known && hook_supported(files[i]) && add_hook(s, files[i], NULL, NULL, err))
			return -1;
	}
	qsort(s->apps + first, s->napps - first, sizeof(*s->apps), hook_cmp);
	if (find_hook(s, "default-configure") && !find_hook(s, "configure"))
		return diag_set(err, "%s: a default-configure hook needs a configure hook", s->file);
	return 0;
}

/* where a layout may not go (snapd's list): what is there must keep its properties */
static const char *const layout_off_limits[] = { "/dev",	  "/proc",
						 "/sys",	  "/media",
						 "/run",	  "/var/run",
						 "/tmp",	  "/var/lib/snapd",
						 "/lib/firmware", "/usr/lib/firmware",
						 "/lib/modules",  "/usr/lib/modules",
						 "/var/snap" };

static int load_layouts(struct snap *s, struct diag *err)
{
	const struct yt_node *m = yt_get(s->doc.root, "layout");

	if (!m)
		return 0;
	if (m->kind != YT_MAP)
		return yt_err(err, s->file, m, "layout must be a mapping of paths");
	s->layouts = calloc(m->n ? m->n : 1, sizeof(*s->layouts));
	if (!s->layouts)
		return OOM(s->file);
	for (size_t i = 0; i < m->n; i++) {
		struct layout *l = &s->layouts[i];
		const struct yt_node *d = m->items[i], *v = NULL;
		static const char *const kinds[] = { "bind", "bind-file", "type", "symlink" };
		int used = 0;

		s->nlayouts = i + 1;
		l->line = m->keys[i]->line;
		l->path = snap_path(s, m->keys[i], "a layout path", true, err);
		if (!l->path)
			return -1;
		if (m->keys[i]->s[0] != '/' && strncmp(m->keys[i]->s, "$SNAP", 5))
			return yt_err(err, s->file, m->keys[i], "layout '%s' must be an absolute path",
				      m->keys[i]->s);
		for (size_t k = 0; k < sizeof(layout_off_limits) / sizeof(layout_off_limits[0]); k++)
			if (pw_under(l->path, layout_off_limits[k]))
				return yt_err(err, s->file, m->keys[i],
					      "layout '%s' is in an off-limits area (%s)", m->keys[i]->s,
					      layout_off_limits[k]);
		for (size_t j = 0; j < i; j++)
			if (pw_under(l->path, s->layouts[j].path) || pw_under(s->layouts[j].path, l->path))
				return yt_err(err, s->file, m->keys[i], "layout '%s' overlaps the layout %s",
					      l->path, s->layouts[j].path);
		if (d->kind != YT_MAP)
			return yt_err(err, s->file, d, "layout %s: expected bind, bind-file, type or symlink",
				      l->path);
		for (size_t j = 0; j < d->n; j++) {
			const char *k = d->keys[j]->s;

			if (strcmp(k, "bind") && strcmp(k, "bind-file") && strcmp(k, "type") &&
			    strcmp(k, "symlink") && strcmp(k, "mode") && strcmp(k, "user") &&
			    strcmp(k, "group"))
				return yt_err(err, s->file, d->keys[j], "layout %s: unknown key '%s'",
					      l->path, k);
		}
		for (size_t k = 0; k < 4; k++)
			if (yt_get(d, kinds[k])) {
				used++;
				v = yt_get(d, kinds[k]);
				if (!(l->kind = strdup(kinds[k])))
					return OOM(s->file);
			}
		if (used != 1)
			return yt_err(err, s->file, d,
				      "layout %s must have exactly one of bind, bind-file, type, symlink",
				      l->path);
		if (!strcmp(l->kind, "type")) {
			if (!yt_is_str(v) || strcmp(v->s, "tmpfs"))
				return yt_err(err, s->file, v, "layout %s: the only type is tmpfs", l->path);
			l->value = strdup("tmpfs");
		} else {
			if (!yt_is_str(v) || strncmp(v->s, "$SNAP", 5))
				return yt_err(
					err, s->file, v,
					"layout %s: %s must start with $SNAP, $SNAP_DATA or $SNAP_COMMON",
					l->path, l->kind);
			if (!(l->value = snap_path(s, v, "a layout source", false, err)))
				return -1;
		}
		if ((v = yt_get(d, "mode"))) {
			char *end;
			unsigned long mode = yt_is_str(v) ? strtoul(v->s, &end, 8) : 01000000;

			if (!yt_is_str(v) || *end || mode > 07777)
				return yt_err(err, s->file, v, "layout %s: mode must be octal, at most 7777",
					      l->path);
			if (asprintf(&l->mode, "%04lo", mode) < 0)
				return OOM(s->file);
		}
		if (((v = yt_get(d, "user")) && (!yt_is_str(v) || strcmp(v->s, "root"))) ||
		    ((v = yt_get(d, "group")) && (!yt_is_str(v) || strcmp(v->s, "root"))))
			return yt_err(err, s->file, v,
				      "layout %s: only root may own a layout's files (as snapd allows)",
				      l->path);
		if (!l->value)
			return OOM(s->file);
	}
	return 0;
}

static int load_string(struct snap *s, const char *key, const char *dflt, char **out, struct diag *err)
{
	const struct yt_node *v = yt_get(s->doc.root, key);

	if (v && !yt_is_str(v))
		return yt_err(err, s->file, v, "%s must be a string", key);
	*out = strdup(v ? v->s : dflt);
	return *out ? 0 : OOM(s->file);
}

int snap_parse(const char *file, const char *text, size_t len, const char *rev,
	       const struct iface_spec *specs, size_t nspecs, struct snap *s, struct diag *err)
{
	return snap_parse_hooks(file, text, len, rev, specs, nspecs, NULL, 0, s, err);
}

int snap_parse_hooks(const char *file, const char *text, size_t len, const char *rev,
		     const struct iface_spec *specs, size_t nspecs, const char *const *hook_files,
		     size_t nhook_files, struct snap *s, struct diag *err)
{
	static const char *const known[] = {
		"name",	   "version", "summary",     "description", "base",	   "confinement",   "grade",
		"type",	   "apps",    "plugs",	     "slots",	    "layout",	   "architectures", "assumes",
		"title",   "license", "epoch",	     "hooks",	    "environment", "links",	    "website",
		"contact", "issues",  "source-code", "icon",	    "build-base"
	};
	const struct yt_node *r, *v;
	char why[256];

	memset(s, 0, sizeof(*s));
	if (!(s->file = strdup(file)) || !(s->rev = strdup(rev)))
		return snap_free(s), OOM(file);
	if (yt_parse(s->file, text, len, &s->doc, err))
		goto fail;
	r = s->doc.root;
	if (!r || r->kind != YT_MAP) {
		yt_err(err, file, r, "expected a mapping with name:, version:, apps:");
		goto fail;
	}
	if ((v = yt_unknown_key(r, known, sizeof(known) / sizeof(known[0])))) {
		yt_err(err, file, v, "unknown key '%s'", v->s);
		goto fail;
	}
	v = yt_get(r, "name");
	if (!yt_is_str(v) || !snap_name_valid(v->s, why, sizeof(why))) {
		yt_err(err, file, v ? v : r, "invalid or missing name: %s",
		       v && yt_is_str(v) ? why : "name: is required");
		goto fail;
	}
	if (!(s->name = strdup(v->s)) || !(s->snap_name = strdup(v->s))) {
		OOM(file);
		goto fail;
	}
	if (load_string(s, "version", "", &s->version, err) ||
	    load_string(s, "base", "core", &s->base, err) ||
	    load_string(s, "confinement", "strict", &s->confinement, err) ||
	    load_string(s, "type", "app", &s->type, err))
		goto fail;
	for (const char *c = s->version; *c; c++)
		if ((unsigned char)*c < 0x20) {
			yt_err(err, file, yt_get(r, "version"), "version must be one line of text");
			goto fail;
		}
	if (load_env(s, yt_get(r, "environment"), "", &s->env, &s->nenv, err))
		goto fail;
	if (!snap_name_valid(s->base, why, sizeof(why))) {
		yt_err(err, file, yt_get(r, "base"), "invalid base: %s", why);
		goto fail;
	}
	if (strcmp(s->confinement, "strict") && strcmp(s->confinement, "devmode") &&
	    strcmp(s->confinement, "classic")) {
		yt_err(err, file, yt_get(r, "confinement"),
		       "confinement must be strict, devmode or classic, not '%s'", s->confinement);
		goto fail;
	}
	if (strcmp(s->type, "app") && strcmp(s->type, "gadget") && strcmp(s->type, "kernel") &&
	    strcmp(s->type, "base") && strcmp(s->type, "core") && strcmp(s->type, "os") &&
	    strcmp(s->type, "snapd")) {
		yt_err(err, file, yt_get(r, "type"), "unknown snap type '%s'", s->type);
		goto fail;
	}
	if (load_apps(s, err) || check_order(s, err) || load_hooks(s, hook_files, nhook_files, err) ||
	    load_decls(s, false, specs, nspecs, err) || load_decls(s, true, specs, nspecs, err) ||
	    bind_apps(s, false, specs, nspecs, err) || bind_apps(s, true, specs, nspecs, err) ||
	    load_layouts(s, err))
		goto fail;
	return 0;
fail:
	snap_free(s);
	return -1;
}

/* the names in dir (meta/hooks), none when it is not there */
static int list_hook_files(const char *dir, char ***out, size_t *n, struct diag *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*out = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : diag_errno(err, "cannot read %s", dir);
	while ((e = readdir(d))) {
		char **nl;

		if (e->d_name[0] == '.')
			continue;
		nl = realloc(*out, (*n + 1) * sizeof(*nl));
		if (!nl || !(nl[*n] = strdup(e->d_name))) {
			*out = nl ? nl : *out;
			closedir(d);
			return diag_set(err, "out of memory");
		}
		*out = nl;
		(*n)++;
	}
	closedir(d);
	return 0;
}

int snap_load(const char *dir, const char *rev, const struct iface_spec *specs, size_t nspecs, struct snap *s,
	      struct diag *err)
{
	char path[4096], *text, **hooks;
	size_t len, nhooks;
	int rc;

	snprintf(path, sizeof(path), "%s/meta/hooks", dir);
	if (list_hook_files(path, &hooks, &nhooks, err))
		return -1;
	snprintf(path, sizeof(path), "%s/meta/snap.yaml", dir);
	if (file_read_all(path, 1 << 20, &text, &len, err)) {
		words_free(hooks, nhooks);
		return -1;
	}
	rc = snap_parse_hooks(path, text, len, rev, specs, nspecs, (const char *const *)hooks, nhooks, s,
			      err);
	free(text);
	words_free(hooks, nhooks);
	if (rc)
		return -1;
	if (!(s->dir = strdup(dir)))
		return snap_free(s), diag_set(err, "out of memory");
	if (!strcmp(s->type, "gadget")) {
		snprintf(path, sizeof(path), "%s/meta/gadget.yaml", dir);
		if (file_read_all(path, 1 << 20, &text, &len, err) || !(s->gadget_file = strdup(path)))
			return snap_free(s), -1;
		rc = yt_parse(s->gadget_file, text, len, &s->gadget, err);
		free(text);
		if (rc)
			return snap_free(s), -1;
	}
	return 0;
}

int snap_set_instance(struct snap *s, const char *instance, struct diag *err)
{
	char snap[SNAP_NAME_MAX + 1], why[128], *n;

	if (!instance_name_split(instance, snap, sizeof(snap), NULL, 0, why, sizeof(why)))
		return diag_set(err, "invalid instance name '%s': %s", instance, why);
	if (strcmp(snap, s->snap_name))
		return diag_set(err, "%s: the snap '%s' cannot be installed as '%s' (an instance is <snap>_<key>)",
				s->file, s->snap_name, instance);
	for (size_t i = 0; i < s->nplugs + s->nslots; i++) {
		struct plugslot *p = i < s->nplugs ? &s->plugs[i] : &s->slots[i - s->nplugs];

		if (!(n = strdup(instance)))
			return OOM(s->file);
		free(p->snap);
		p->snap = n;
	}
	if (!(n = strdup(instance)))
		return OOM(s->file);
	free(s->name);
	s->name = n;
	return 0;
}
