// SPDX-License-Identifier: GPL-3.0-only
/*
 * What a denial needs (explain.h): the interface data indexed once (each
 * seccomp line's call, each AppArmor rule parsed), then every log line
 * looked up in it. Interface files are read as the generator reads them;
 * one it would refuse is still read for its seccomp and AppArmor parts, so
 * that a newer data file never stops the scanner.
 */
/* 64-bit directory offsets on 32-bit boards (readdir fails with EOVERFLOW on ext4's hashes otherwise) */
#define _FILE_OFFSET_BITS 64

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "iface/explain.h"
#include "iface/textbuf.h"
#include "syscall_names.h"
#include "tag.h"

/* ---- the data */

void explain_db_init(struct explain_db *db)
{
	memset(db, 0, sizeof(*db));
	aa_vars_defaults(&db->vars);
}

__attribute__((format(printf, 2, 3))) static void note(struct explain_db *db, const char *fmt, ...)
{
	char buf[DIAG_MAX + 256], **nn;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	nn = realloc(db->notes, (db->nnotes + 1) * sizeof(*nn));
	if (!nn)
		return;
	db->notes = nn;
	if ((db->notes[db->nnotes] = strdup(buf)))
		db->nnotes++;
}

void explain_db_free(struct explain_db *db)
{
	for (size_t i = 0; i < db->nspecs; i++)
		iface_spec_free(&db->specs[i]);
	free(db->specs);
	for (size_t i = 0; i < db->nsc; i++) {
		free(db->sc[i].call);
		free(db->sc[i].line);
		free(db->sc[i].when);
	}
	free(db->sc);
	free(db->aa);
	for (size_t i = 0; i < db->nbase_sc; i++)
		free(db->base_sc[i]);
	free(db->base_sc);
	for (size_t i = 0; i < db->nnotes; i++)
		free(db->notes[i]);
	free(db->notes);
	aa_vars_free(&db->vars);
	memset(db, 0, sizeof(*db));
}

/* a snippet list the lenient way: text, or a list of text and {text:, when:, each:} */
static int lenient_snippets(const struct yt_node *n, struct snippet **out, size_t *nout)
{
	const struct yt_node *one[1];
	const struct yt_node *const *items = one;
	size_t count = 1;

	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	if (n->kind == YT_SCALAR) {
		one[0] = n;
	} else if (n->kind == YT_SEQ) {
		items = (const struct yt_node *const *)n->items;
		count = n->n;
	} else {
		return 0;
	}
	*out = calloc(count ? count : 1, sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const struct yt_node *it = items[i], *t = it, *w = NULL, *e = NULL;
		struct snippet *s = &(*out)[*nout];

		if (it->kind == YT_MAP) {
			t = yt_get(it, "text");
			w = yt_get(it, "when");
			e = yt_get(it, "each");
		}
		if (!t || t->kind != YT_SCALAR || !t->s)
			continue;
		s->line = it->line;
		if (!(s->text = strdup(t->s)) || (yt_is_str(e) && !(s->each = strdup(e->s))))
			return -1;
		/* when: one condition or a list of them, kept space-separated as the generator does */
		if (yt_is_str(w) && !(s->when = strdup(w->s)))
			return -1;
		if (w && w->kind == YT_SEQ && w->n) {
			size_t len = 1;

			for (size_t j = 0; j < w->n; j++)
				len += yt_is_str(w->items[j]) ? strlen(w->items[j]->s) + 1 : 0;
			if (!(s->when = calloc(1, len)))
				return -1;
			for (size_t j = 0; j < w->n; j++)
				if (yt_is_str(w->items[j])) {
					if (s->when[0])
						strcat(s->when, " ");
					strcat(s->when, w->items[j]->s);
				}
		}
		(*nout)++;
	}
	return 0;
}

/* the parts of an interface file the scanner needs, from a file the generator refuses */
static int lenient_spec(const char *file, const char *text, size_t len, struct iface_spec *s,
			struct diag *err)
{
	struct yt_doc d;
	const struct yt_node *v;
	const char *base = strrchr(file, '/');
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (yt_parse(file, text, len, &d, err))
		return -1;
	if (!d.root || d.root->kind != YT_MAP) {
		diag_set(err, "%s: not a mapping", file);
		goto out;
	}
	base = base ? base + 1 : file;
	v = yt_get(d.root, "interface");
	if (yt_is_str(v))
		s->name = strdup(v->s);
	else
		s->name = strndup(base, strlen(base) > 5 ? strlen(base) - 5 : strlen(base));
	s->file = strdup(file);
	if (!s->name || !s->file ||
	    lenient_snippets(yt_get(d.root, "seccomp"), &s->sn[SN_SECCOMP], &s->nsn[SN_SECCOMP]) ||
	    lenient_snippets(yt_get(d.root, "apparmor"), &s->sn[SN_APPARMOR], &s->nsn[SN_APPARMOR])) {
		diag_set(err, "%s: out of memory", file);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		iface_spec_free(s);
	yt_free(&d);
	return rc;
}

static int add_sc(struct explain_db *db, size_t spec, const char *call, size_t clen, const char *line,
		  size_t llen, const char *when)
{
	struct ex_sc *n = realloc(db->sc, (db->nsc + 1) * sizeof(*n)), *e;

	if (!n)
		return -1;
	db->sc = n;
	e = &db->sc[db->nsc];
	memset(e, 0, sizeof(*e));
	e->spec = spec;
	if (!(e->call = strndup(call, clen)) || (line && !(e->line = strndup(line, llen))) ||
	    (when && !(e->when = strdup(when)))) {
		free(e->call);
		free(e->line);
		return -1;
	}
	db->nsc++;
	return 0;
}

/* the block for each line l of text, len its length without the newline */
#define EACH_LINE(text, l, len)                                                                              \
	for (const char *l = (text), *l##_nl; l && *l; l = (l##_nl = strchr(l, '\n')) ? l##_nl + 1 : NULL)   \
		for (size_t len = strcspn(l, "\n"), l##_once = 1; l##_once; l##_once = 0)

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int index_spec(struct explain_db *db, size_t si)
{
	const struct iface_spec *s = &db->specs[si];

	for (size_t i = 0; i < s->nsn[SN_SECCOMP]; i++) {
		const struct snippet *sn = &s->sn[SN_SECCOMP][i];

		EACH_LINE(sn->text, l, len)
		{
			const char *p = l;
			size_t n = len, clen;

			trim(&p, &n);
			if (!n || *p == '#' || *p == '@' || *p == '~')
				continue;
			clen = strcspn(p, " \t\n");
			if (clen > n)
				clen = n;
			if (memmem(p, clen, "${", 2))
				continue; /* a call named by an attribute: no name to look up */
			if (add_sc(db, si, p, clen, clen < n ? p : NULL, n, sn->when))
				return -1;
		}
	}
	for (size_t i = 0; i < s->nsn[SN_APPARMOR]; i++) {
		const struct snippet *sn = &s->sn[SN_APPARMOR][i];

		EACH_LINE(sn->text, l, len)
		{
			struct ex_aa *n, e = { .spec = si, .sn = sn };
			char line[2048];

			if (len >= sizeof(line))
				continue;
			memcpy(line, l, len);
			line[len] = '\0';
			aa_rule_parse(line, &e.rule);
			if ((e.rule.kind != AA_RULE_FILE && e.rule.kind != AA_RULE_CAP &&
			     e.rule.kind != AA_RULE_NET) ||
			    e.rule.deny)
				continue;
			n = realloc(db->aa, (db->naa + 1) * sizeof(*n));
			if (!n)
				return -1;
			db->aa = n;
			db->aa[db->naa++] = e;
		}
	}
	return 0;
}

int explain_db_add(struct explain_db *db, const char *file, const char *text, size_t len)
{
	struct iface_spec s, *ns;
	struct diag err = { { 0 } };

	if (iface_spec_parse(file, text, len, &s, &err)) {
		char why[DIAG_MAX];

		snprintf(why, sizeof(why), "%s", err.msg);
		if (lenient_spec(file, text, len, &s, &err)) {
			note(db, "skipped %s: %s", file, err.msg);
			return 0;
		}
		note(db, "%s: read only for its seccomp and AppArmor rules (%s)", file, why);
	}
	for (size_t i = 0; i < db->nspecs; i++)
		if (!strcmp(db->specs[i].name, s.name)) {
			note(db, "skipped %s: interface %s is defined twice", file, s.name);
			iface_spec_free(&s);
			return 0;
		}
	/* the snippets' addresses are kept by the index: the specs array only grows by reallocation of
	 * the structs, whose snippet arrays stay where they are */
	ns = realloc(db->specs, (db->nspecs + 1) * sizeof(*ns));
	if (!ns) {
		iface_spec_free(&s);
		return -1;
	}
	db->specs = ns;
	db->specs[db->nspecs++] = s;
	return index_spec(db, db->nspecs - 1);
}

int explain_db_add_base_seccomp(struct explain_db *db, const char *text)
{
	EACH_LINE(text, l, len)
	{
		const char *p = l;
		size_t n = len;
		char **nb;

		trim(&p, &n);
		/* what it allows (with or without arguments), and what it refuses (~, EACCES) */
		if (!n || *p == '#' || *p == '@')
			continue;
		nb = realloc(db->base_sc, (db->nbase_sc + 1) * sizeof(*nb));
		if (!nb)
			return -1;
		db->base_sc = nb;
		if (!(db->base_sc[db->nbase_sc] = strndup(p, n)))
			return -1;
		db->nbase_sc++;
	}
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int explain_db_load(struct explain_db *db, const char *dir, const char *apparmor_base,
		    const char *seccomp_base, struct diag *err)
{
	char **names = NULL, *text;
	size_t nnames = 0, len;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		note(db, "no interface data in %s: no interface can be named", dir);
	} else {
		for (errno = 0; (de = readdir(d)); errno = 0) {
			size_t n = strlen(de->d_name);
			char **nn;

			if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") || de->d_name[0] == '.')
				continue;
			nn = realloc(names, (nnames + 1) * sizeof(*nn));
			if (!nn || !(nn[nnames] = strdup(de->d_name))) {
				names = nn ? nn : names;
				rc = diag_set(err, "out of memory");
				break;
			}
			names = nn;
			nnames++;
		}
		if (errno && !rc)
			note(db, "cannot list every file of %s: %s", dir, strerror(errno));
		closedir(d);
	}
	if (nnames)
		qsort(names, nnames, sizeof(*names), by_str);
	for (size_t i = 0; i < nnames && !rc; i++) {
		char path[4096];
		struct diag e;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (file_read_all(path, 1 << 20, &text, &len, &e)) {
			note(db, "skipped %s", e.msg);
			continue;
		}
		if (explain_db_add(db, path, text, len))
			rc = diag_set(err, "out of memory");
		free(text);
	}
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (!rc && apparmor_base && !file_read_all(apparmor_base, 1 << 20, &text, &len, err)) {
		if (aa_vars_load_text(&db->vars, text) < 0)
			rc = diag_set(err, "out of memory");
		free(text);
	}
	if (!rc && seccomp_base && !file_read_all(seccomp_base, 1 << 20, &text, &len, err)) {
		if (explain_db_add_base_seccomp(db, text))
			rc = diag_set(err, "out of memory");
		free(text);
	}
	err->msg[0] = '\0'; /* a missing base file is no error */
	return rc;
}

/* ---- whose line */

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool set_tag(struct scan_who *who, const char *tag)
{
	struct sc_tag t;
	char why[128];

	if (strlen(tag) >= sizeof(who->tag) || tag_parse(tag, &t, why, sizeof(why)))
		return false;
	snprintf(who->tag, sizeof(who->tag), "%s", tag);
	snprintf(who->snap, sizeof(who->snap), "%s", t.instance);
	snprintf(who->display, sizeof(who->display), "%s", tag);
	return true;
}

/* the app of snap inst whose command is cmd (relative to $SNAP): its name, when exactly one app has it */
static int app_of_command(const char *root, const char *inst, const char *rev, const char *cmd, char *apps,
			  size_t appslen)
{
	char path[4096], *text;
	size_t len;
	struct diag err;
	struct yt_doc d;
	const struct yt_node *a;
	int found = 0;

	apps[0] = '\0';
	if (!strncmp(cmd, "meta/hooks/", 11) && hook_name_valid(cmd + 11, path, sizeof(path))) {
		snprintf(apps, appslen, "hook.%s", cmd + 11); /* a hook's program is meta/hooks/<hook> */
		return 1;
	}
	snprintf(path, sizeof(path), "%s/snap/%s/%s/meta/snap.yaml", strcmp(root, "/") ? root : "", inst,
		 rev);
	if (file_read_all(path, 1 << 20, &text, &len, &err))
		return 0;
	if (yt_parse(path, text, len, &d, &err)) {
		free(text);
		return 0;
	}
	free(text);
	a = yt_get(d.root, "apps");
	for (size_t i = 0; a && a->kind == YT_MAP && i < a->n; i++) {
		const struct yt_node *c = yt_get(a->items[i], "command");
		const char *s;
		size_t n;

		if (!yt_is_str(c))
			continue;
		s = c->s;
		if (!strncmp(s, "$SNAP/", 6))
			s += 6;
		else if (!strncmp(s, "${SNAP}/", 8))
			s += 8;
		n = strcspn(s, " \t");
		if (n != strlen(cmd) || memcmp(s, cmd, n))
			continue;
		if (found++)
			strncat(apps, " or ", appslen - strlen(apps) - 1);
		strncat(apps, a->keys[i]->s, appslen - strlen(apps) - 1);
	}
	yt_free(&d);
	return found;
}

/* a running process's tag from its cgroup (/proc/<pid>/cgroup names snap.<snap>.<app>) */
static bool tag_from_cgroup(const struct scan_event *ev, struct scan_who *who)
{
	char path[64], *text = NULL, *comm = NULL;
	size_t len, clen;
	struct diag err;
	bool ok = false;

	if (ev->pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%lld/comm", ev->pid);
	if (file_read_all(path, 4096, &comm, &clen, &err))
		return false;
	if (clen && comm[clen - 1] == '\n')
		comm[--clen] = '\0';
	snprintf(path, sizeof(path), "/proc/%lld/cgroup", ev->pid);
	if (!strcmp(comm, ev->comm) && !file_read_all(path, 1 << 16, &text, &len, &err)) {
		for (char *p = text; !ok && (p = strstr(p, "/snap.")); p++) {
			char tag[128];
			size_t n = strcspn(p + 1, "/\n");

			if (n < sizeof(tag)) {
				copy(tag, sizeof(tag), p + 1, n);
				ok = set_tag(who, tag);
			}
		}
	}
	free(text);
	free(comm);
	return ok;
}

void scan_identify(const struct scan_event *ev, const char *root, struct scan_who *who)
{
	char label[SCAN_STR], *slash;

	memset(who, 0, sizeof(*who));
	snprintf(label, sizeof(label), "%s", ev->label);
	/* a child profile (snap.x.y//null-/bin/sh, a hat) belongs to its parent */
	if ((slash = strstr(label, "//")))
		*slash = '\0';
	if (label[0] && strcmp(label, "unconfined") && set_tag(who, label))
		return;
	if (!strncmp(ev->exe, "/snap/", 6)) {
		const char *inst = ev->exe + 6, *rev = strchr(inst, '/'),
			   *cmd = rev ? strchr(rev + 1, '/') : NULL;

		if (cmd) {
			char apps[256], name[400];

			copy(who->snap, sizeof(who->snap), inst, (size_t)(rev - inst));
			copy(who->rev, sizeof(who->rev), rev + 1, (size_t)(cmd - rev - 1));
			if (app_of_command(root, who->snap, who->rev, cmd + 1, apps, sizeof(apps)) == 1) {
				char rv[32];

				snprintf(name, sizeof(name), "snap.%s.%s", who->snap, apps);
				snprintf(rv, sizeof(rv), "%s", who->rev);
				if (set_tag(who, name)) {
					snprintf(who->rev, sizeof(who->rev), "%s", rv);
					return;
				}
			}
			if (tag_from_cgroup(ev, who))
				return;
			if (apps[0])
				snprintf(who->display, sizeof(who->display), "snap.%s.{%s} (%s)", who->snap,
					 apps, cmd + 1);
			else
				snprintf(who->display, sizeof(who->display), "snap %s (%s)", who->snap,
					 ev->exe);
			return;
		}
	}
	if (tag_from_cgroup(ev, who))
		return;
	if (label[0] && strcmp(label, "unconfined"))
		snprintf(who->display, sizeof(who->display), "%s", label);
	else if (ev->exe[0])
		snprintf(who->display, sizeof(who->display), "%s", ev->exe);
	else if (ev->comm[0])
		snprintf(who->display, sizeof(who->display), "%s (pid %lld)", ev->comm, ev->pid);
	else
		snprintf(who->display, sizeof(who->display), "pid %lld", ev->pid);
}

/* ---- templates of AppArmor rules: what ${...} may stand for */

struct tctx {
	const struct explain_db *db;
	const struct iface_spec *spec;
	const struct snippet *sn;
	const struct scan_who *who;
};

static const struct attr_schema *schema_find(const struct attr_schema *a, size_t n, const char *ref)
{
	size_t len = strcspn(ref, ".");

	for (size_t i = 0; i < n; i++)
		if (strlen(a[i].name) == len && !memcmp(a[i].name, ref, len))
			return ref[len] ? schema_find(a[i].fields, a[i].nfields, ref + len + 1) : &a[i];
	return NULL;
}

/* "plug.x.y" / "slot.x" -> its schema */
static const struct attr_schema *schema_of(const struct iface_spec *s, const char *ref)
{
	if (!strncmp(ref, "plug.", 5))
		return schema_find(s->plug_attrs, s->nplug_attrs, ref + 5);
	if (!strncmp(ref, "slot.", 5))
		return schema_find(s->slot_attrs, s->nslot_attrs, ref + 5);
	return NULL;
}

static bool regex_whole(const char *pattern, const char *v)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return true; /* the generator checked it; we cannot: do not rule it out */
	ok = regexec(&re, v, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static bool name_chars(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') || *v == '-'))
			return false;
	return true;
}

/* a value of type t (pattern: the schema's) that a plug (of who's snap) or a slot may hold */
static bool value_ok(enum attr_type t, const char *pattern, bool plug, const struct scan_who *who,
		     const char *v)
{
	switch (t) {
	case ATTR_PATH: {
		/* attributes' paths are in the snap's areas, $SNAP when none is named */
		char a[128], b[128];

		if (plug && who->snap[0]) {
			snprintf(a, sizeof(a), "/snap/%s/", who->snap);
			snprintf(b, sizeof(b), "/var/snap/%s/", who->snap);
		} else {
			snprintf(a, sizeof(a), "/snap/");
			snprintf(b, sizeof(b), "/var/snap/");
		}
		if (strncmp(v, a, strlen(a)) && strncmp(v, b, strlen(b)))
			return false;
		if (strstr(v, "/../") || strstr(v, "//"))
			return false;
		break;
	}
	case ATTR_INT:
		if (!*v || strspn(v, "0123456789") != strlen(v))
			return false;
		break;
	case ATTR_BOOL:
		return !strcmp(v, "true") || !strcmp(v, "false");
	default:
		if (!*v)
			return false;
		break;
	}
	return !pattern || regex_whole(pattern, v);
}

static bool tmpl_ok(void *vctx, const char *expr, size_t elen, const char *val, size_t vlen)
{
	const struct tctx *c = vctx;
	char ref[128], filter[32] = "", v[1024];
	const struct attr_schema *a;
	const char *bar;
	size_t rlen;

	if (elen >= sizeof(ref) || vlen >= sizeof(v))
		return false;
	copy(ref, sizeof(ref), expr, elen);
	copy(v, sizeof(v), val, vlen);
	if ((bar = strchr(ref, '|'))) {
		snprintf(filter, sizeof(filter), "%s", bar + 1);
		ref[bar - ref] = '\0';
	}
	rlen = strlen(ref);
	if (!strcmp(filter, "basename"))
		return vlen && !memchr(val, '/', vlen);
	if (!strcmp(filter, "hex4"))
		return vlen == 4 && strspn(v, "0123456789abcdefABCDEF") == 4;
	if (!strcmp(filter, "dirname"))
		return vlen && val[0] == '/';
	if (!strcmp(ref, "plug.snap"))
		return c->who->snap[0] ? !strcmp(v, c->who->snap) : name_chars(v);
	if (!strcmp(ref, "slot.snap") || !strcmp(ref, "plug.name") || !strcmp(ref, "slot.name"))
		return name_chars(v);
	if (!strcmp(ref, "tag"))
		return c->who->tag[0] ? !strcmp(v, c->who->tag) : vlen > 0;
	if (!strcmp(ref, "app"))
		return c->who->tag[0] ? !strcmp(v, strrchr(c->who->tag, '.') + 1) : vlen > 0;
	if (!strcmp(ref, "item")) {
		/* an item of the snippet's each: list */
		a = c->sn && c->sn->each ? schema_of(c->spec, c->sn->each) : NULL;
		if (!a)
			return vlen > 0;
		return value_ok(a->item_type, a->pattern, !strncmp(c->sn->each, "plug.", 5), c->who, v);
	}
	if (rlen > 5 && (a = schema_of(c->spec, ref)))
		return value_ok(a->type, a->pattern, !strncmp(ref, "plug.", 5), c->who, v);
	return vlen > 0;
}

/* ---- explanations */

/*
 * Adds (or merges) an interface's match. A weak one depends on an
 * attribute's value (the rule's path is a template): a strong one of the
 * same interface replaces it. Conditions: the first one is kept, the others
 * counted; a match without condition drops them.
 */
static void add_match(struct explanation *ex, size_t spec, const char *detail, bool weak)
{
	struct ex_match *m = NULL;

	for (size_t i = 0; i < ex->n; i++)
		if (ex->m[i].spec == spec)
			m = &ex->m[i];
	if (!m) {
		if (ex->n == EX_MAX) {
			ex->more = true;
			return;
		}
		m = &ex->m[ex->n++];
		memset(m, 0, sizeof(*m));
		m->spec = spec;
		m->weak = weak;
		snprintf(m->detail, sizeof(m->detail), "%s", detail);
		return;
	}
	if (m->weak && !weak) {
		m->weak = false;
		m->nmore = 0;
		snprintf(m->detail, sizeof(m->detail), "%s", detail);
	} else if (m->weak != weak || !m->detail[0]) {
		return;
	} else if (!detail[0]) {
		m->detail[0] = '\0';
		m->nmore = 0;
	} else if (weak) {
		/* the attributes that could name it: "slot.files.read or slot.files.write" */
		if (!strstr(m->detail, detail) &&
		    strlen(m->detail) + strlen(detail) + 5 < sizeof(m->detail)) {
			strcat(m->detail, " or ");
			strcat(m->detail, detail);
		}
	} else if (strcmp(m->detail, detail)) {
		m->nmore++;
	}
}

static const char *arch_label(const struct scan_event *ev, char *buf, size_t len)
{
	const char *a = ev->has_arch ? sysname_arch(ev->arch) : NULL;

	if (a)
		snprintf(buf, len, "%s%s", a, ev->compat == 1 ? " compat" : "");
	else if (ev->has_arch)
		snprintf(buf, len, "arch 0x%08x", ev->arch);
	else
		snprintf(buf, len, "unknown arch");
	return buf;
}

/*
 * The base policy's lines for call n: how many allow it with conditions
 * (deny: refuse it with EACCES, ~), the first into first; (size_t)-1 when
 * a line allows it whatever its arguments.
 */
static size_t base_lines(const struct explain_db *db, const char *n, bool deny, char *first, size_t len)
{
	size_t count = 0;

	for (size_t i = 0; i < db->nbase_sc; i++) {
		const char *l = db->base_sc[i];
		size_t cl;

		if ((l[0] == '~') != deny)
			continue;
		if (deny)
			l++;
		cl = strcspn(l, " \t");
		if (cl != strlen(n) || memcmp(l, n, cl))
			continue;
		if (!deny && !l[cl])
			return (size_t)-1; /* allowed whatever its arguments */
		if (!count++)
			snprintf(first, len, "%s", db->base_sc[i]);
	}
	return count;
}

static void explain_seccomp(const struct explain_db *db, const struct scan_event *ev, struct explanation *ex)
{
	char name[64], arch[48], how[64], first[200];
	const char *n = NULL;
	size_t ndeny = 0, nallow = 0;

	if (ev->has_arch && ev->arch == 0xc000003eu && (ev->syscall & 0x40000000LL))
		snprintf(name, sizeof(name), "x32 call %lld", ev->syscall & ~0x40000000LL);
	else if (ev->has_arch && ev->syscall <= 0xffffffffLL &&
		 (n = sysname_lookup(ev->arch, (uint32_t)ev->syscall)))
		snprintf(name, sizeof(name), "%s", n);
	else
		snprintf(name, sizeof(name), "syscall %lld", ev->syscall);
	if (n)
		ndeny = base_lines(db, n, true, first, sizeof(first));
	switch (ev->has_code ? ev->code : SCAN_RET_ERRNO) {
	case SCAN_RET_ERRNO:
		/* the kernel logs the action, not its errno: our filters deny with EPERM, ~ lines with EACCES
		 */
		snprintf(ex->verb, sizeof(ex->verb), "denied");
		snprintf(how, sizeof(how), "%s", !n ? "errno" : ndeny ? "EPERM or EACCES" : "EPERM");
		ex->denied = true;
		break;
	case SCAN_RET_LOG:
		snprintf(ex->verb, sizeof(ex->verb), "logged");
		snprintf(how, sizeof(how), "complain mode: allowed");
		break;
	case SCAN_RET_KILL_PROCESS:
	case SCAN_RET_KILL_THREAD:
		snprintf(ex->verb, sizeof(ex->verb), "killed");
		snprintf(how, sizeof(how), "%s, SIGSYS", scan_action_name(ev->code));
		ex->denied = true;
		break;
	case SCAN_RET_ALLOW:
		snprintf(ex->verb, sizeof(ex->verb), "allowed");
		snprintf(how, sizeof(how), "allow");
		break;
	default:
		snprintf(ex->verb, sizeof(ex->verb), "denied");
		if (scan_action_name(ev->code))
			snprintf(how, sizeof(how), "%s", scan_action_name(ev->code));
		else
			snprintf(how, sizeof(how), "code 0x%x", ev->code);
		ex->denied = true;
		break;
	}
	snprintf(ex->object, sizeof(ex->object), "%s (%s, %s)", name, arch_label(ev, arch, sizeof(arch)),
		 how);
	snprintf(ex->key, sizeof(ex->key), "seccomp %s", name);
	if (!n)
		return;
	for (size_t i = 0; i < db->nsc; i++) {
		const struct ex_sc *e = &db->sc[i];
		char detail[256];

		if (strcmp(e->call, n))
			continue;
		if (e->line && e->when)
			snprintf(detail, sizeof(detail), "only %.200s, when %.40s", e->line, e->when);
		else if (e->line)
			snprintf(detail, sizeof(detail), "only %.200s", e->line);
		else if (e->when)
			snprintf(detail, sizeof(detail), "when %.200s", e->when);
		else
			detail[0] = '\0';
		add_match(ex, e->spec, detail, false);
	}
	/* what the base policy does with the call: its arguments are what was refused */
	if (ndeny)
		snprintf(ex->note, sizeof(ex->note), "the base policy refuses %s with EACCES as: %s%s", n,
			 first, ndeny > 1 ? " (and more)" : "");
	else if ((nallow = base_lines(db, n, false, first, sizeof(first))) == (size_t)-1)
		snprintf(ex->note, sizeof(ex->note),
			 "the base policy allows %s: this profile is not built on it", n);
	else if (nallow)
		snprintf(ex->note, sizeof(ex->note), "the base policy allows %s only as: %s%s", n, first,
			 nallow > 1 ? " (and more)" : "");
}

/* the operation is worth naming beside the access (chown, truncate, file_inherit...) */
static bool plain_op(const char *op)
{
	static const char *const plain[] = { "open",  "exec", "file_mmap", "mknod", "mkdir", "unlink",
					     "rmdir", "link", "file_lock", "",	    NULL };

	for (const char *const *p = plain; *p; p++)
		if (!strcmp(op, *p))
			return true;
	return false;
}

/* "when plug.a and !slot.b" of a snippet's condition, "" without one */
static void when_text(const struct snippet *sn, char *buf, size_t len)
{
	size_t o;

	buf[0] = '\0';
	if (!sn || !sn->when || len < 8)
		return;
	o = (size_t)snprintf(buf, len, "when ");
	for (const char *p = sn->when; *p && o + 6 < len; p++) {
		if (*p == ' ') {
			memcpy(buf + o, " and ", 5);
			o += 5;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
}

/* the attributes a template rule depends on: "slot.files.read", "plug.target" */
static void template_refs(const char *path, const struct snippet *sn, char *buf, size_t len)
{
	buf[0] = '\0';
	for (const char *p = path; (p = strstr(p, "${")); p++) {
		size_t n = strcspn(p + 2, "|}");
		char ref[128];

		if (n >= sizeof(ref))
			continue;
		memcpy(ref, p + 2, n);
		ref[n] = '\0';
		if (!strcmp(ref, "item") && sn && sn->each)
			snprintf(ref, sizeof(ref), "%s", sn->each);
		if (strstr(buf, ref) || strlen(buf) + strlen(ref) + 5 >= len)
			continue;
		if (buf[0])
			strcat(buf, " or ");
		strcat(buf, ref);
	}
}

static void explain_file(const struct explain_db *db, const struct scan_event *ev, const struct scan_who *who,
			 struct explanation *ex)
{
	const char *mask = ev->denied[0] ? ev->denied : ev->requested;
	unsigned need = aa_perms_from_log(mask);
	bool owner_ok = ev->fsuid < 0 || ev->ouid < 0 || ev->fsuid == ev->ouid;
	char words[96], refs[200];
	bool plain = plain_op(ev->operation);
	unsigned have = 0, weak_have = 0;
	size_t cur = (size_t)-1, ri;
	char when[120] = "";

	aa_mask_describe(mask, words, sizeof(words));
	snprintf(ex->object, sizeof(ex->object), "%s of %s%s%s%s", words, ev->name, plain ? "" : " (",
		 plain ? "" : ev->operation, plain ? "" : ")");
	snprintf(ex->key, sizeof(ex->key), "file %s %s", mask, ev->name);
	if (!need)
		return;
	/*
	 * The rules come grouped by interface: the permissions of its matching
	 * rules add up. Those of template rules (a path from an attribute) add
	 * up apart: the interface allows it only when the attribute names it.
	 */
	refs[0] = '\0';
	for (ri = 0; ri <= db->naa; ri++) {
		const struct ex_aa *r = ri < db->naa ? &db->aa[ri] : NULL;
		struct tctx tc;
		bool tmpl;

		if (!r || r->spec != cur) {
			if (cur != (size_t)-1 && aa_perms_cover(have, need))
				add_match(ex, cur, when, false);
			else if (cur != (size_t)-1 && aa_perms_cover(have | weak_have, need))
				add_match(ex, cur, refs, true);
			if (!r)
				break;
			cur = r->spec;
			have = weak_have = 0;
			refs[0] = '\0';
			when[0] = '\0';
		}
		if (r->rule.kind != AA_RULE_FILE || (r->rule.owner && !owner_ok) ||
		    !(r->rule.perms & (need | AA_PERM_W)))
			continue;
		tc = (struct tctx){ .db = db, .spec = &db->specs[r->spec], .sn = r->sn, .who = who };
		if (r->rule.path[0] && !aa_glob_match(r->rule.path, ev->name, &db->vars, tmpl_ok, &tc))
			continue;
		tmpl = strstr(r->rule.path, "${") != NULL;
		if (!tmpl) {
			/* a rule that holds only with some attributes: say which (the first such one) */
			if (!when[0] && (r->rule.perms & need))
				when_text(r->sn, when, sizeof(when));
			have |= r->rule.perms;
			continue;
		}
		weak_have |= r->rule.perms;
		if (aa_perms_cover(r->rule.perms, need) || !refs[0]) {
			char one[128];

			template_refs(r->rule.path, r->sn, one, sizeof(one));
			if (one[0] && !strstr(refs, one) && strlen(refs) + strlen(one) + 5 < sizeof(refs)) {
				if (refs[0])
					strcat(refs, " or ");
				strcat(refs, one);
			}
		}
	}
}

static void explain_cap(const struct explain_db *db, const struct scan_event *ev, struct explanation *ex)
{
	char cap[40];

	if (ev->capname[0])
		snprintf(cap, sizeof(cap), "%s", ev->capname);
	else
		snprintf(cap, sizeof(cap), "%lld", ev->capability);
	snprintf(ex->object, sizeof(ex->object), "capability %s", cap);
	snprintf(ex->key, sizeof(ex->key), "capability %s", cap);
	for (size_t i = 0; i < db->naa; i++)
		if (aa_rule_allows_cap(&db->aa[i].rule, cap)) {
			char when[120];

			when_text(db->aa[i].sn, when, sizeof(when));
			add_match(ex, db->aa[i].spec, when, false);
		}
}

static void explain_net(const struct explain_db *db, const struct scan_event *ev, struct explanation *ex)
{
	bool op = ev->operation[0] && strcmp(ev->operation, "create");

	snprintf(ex->object, sizeof(ex->object), "network %s%s%s%s%s%s", ev->family,
		 ev->sock_type[0] ? " " : "", ev->sock_type, op ? " (" : "", op ? ev->operation : "",
		 op ? ")" : "");
	snprintf(ex->key, sizeof(ex->key), "network %s %s", ev->family, ev->sock_type);
	for (size_t i = 0; i < db->naa; i++)
		if (aa_rule_allows_net(&db->aa[i].rule, ev->family, ev->sock_type, ev->protocol)) {
			char when[120];

			when_text(db->aa[i].sn, when, sizeof(when));
			add_match(ex, db->aa[i].spec, when, false);
		}
}

void scan_explain(const struct explain_db *db, const struct scan_event *ev, const struct scan_who *who,
		  struct explanation *ex)
{
	memset(ex, 0, sizeof(*ex));
	if (ev->kind == SCAN_SECCOMP) {
		ex->what = EX_SECCOMP;
		explain_seccomp(db, ev, ex);
		return;
	}
	if (ev->kind != SCAN_APPARMOR)
		return;
	if (!strcmp(ev->outcome, "DENIED") || !strcmp(ev->outcome, "KILLED")) {
		ex->denied = true;
		snprintf(ex->verb, sizeof(ex->verb), "%s", ev->outcome[0] == 'K' ? "killed" : "denied");
	} else if (!strcmp(ev->outcome, "ALLOWED")) {
		snprintf(ex->verb, sizeof(ex->verb), "logged");
		snprintf(ex->mode, sizeof(ex->mode), "complain mode: allowed");
	} else {
		return; /* STATUS, AUDIT, HINT...: no denial */
	}
	if (ev->capname[0] || !strcmp(ev->operation, "capable")) {
		ex->what = EX_CAP;
		explain_cap(db, ev, ex);
	} else if (ev->family[0]) {
		ex->what = EX_NET;
		explain_net(db, ev, ex);
	} else if (ev->name[0] == '/' && (ev->requested[0] || ev->denied[0]) &&
		   (!ev->class_name[0] || !strcmp(ev->class_name, "file"))) {
		ex->what = EX_FILE;
		explain_file(db, ev, who, ex);
	} else {
		const char *obj = ev->name[0] ? ev->name : ev->peer[0] ? ev->peer : ev->target;

		ex->what = EX_OTHER;
		snprintf(ex->object, sizeof(ex->object), "%s%s%s%s%s%s%s",
			 ev->operation[0] ? ev->operation : "access", ev->signal_name[0] ? " " : "",
			 ev->signal_name, obj[0] ? " of " : "", obj, ev->requested[0] ? " " : "",
			 ev->requested);
		snprintf(ex->key, sizeof(ex->key), "other %.4500s", ex->object);
	}
}

static int match_order(const void *a, const void *b, void *vdb)
{
	const struct ex_match *x = a, *y = b;
	const struct explain_db *db = vdb;

	if (x->weak != y->weak)
		return x->weak ? 1 : -1;
	return strcmp(db->specs[x->spec].name, db->specs[y->spec].name);
}

static void put_matches(struct textbuf *b, const struct explain_db *db, const struct ex_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tb_printf(b, "%s%s", i ? ", " : "", db->specs[m[i].spec].name);
		if (m[i].weak)
			tb_printf(b, " (if %s names it)", m[i].detail[0] ? m[i].detail : "an attribute");
		else if (m[i].detail[0] && m[i].nmore)
			tb_printf(b, " (%s, or %u more)", m[i].detail, m[i].nmore);
		else if (m[i].detail[0])
			tb_printf(b, " (%s)", m[i].detail);
	}
}

char *scan_format(const struct explain_db *db, const struct scan_who *who, const struct explanation *ex)
{
	struct ex_match m[EX_MAX];
	struct textbuf b = { 0 };
	size_t nstrong = 0;

	memcpy(m, ex->m, ex->n * sizeof(m[0]));
	qsort_r(m, ex->n, sizeof(m[0]), match_order, (void *)db);
	while (nstrong < ex->n && !m[nstrong].weak)
		nstrong++;
	tb_printf(&b, "%s: %s %s %s%s%s%s — ", who->display, ex->what == EX_SECCOMP ? "seccomp" : "AppArmor",
		  ex->verb, ex->object, ex->mode[0] ? " (" : "", ex->mode, ex->mode[0] ? ")" : "");
	if (ex->what == EX_OTHER) {
		tb_printf(&b, "not matched against interfaces (only files, capabilities and network are)");
	} else if (!ex->n) {
		tb_printf(&b, "no interface allows it");
	} else if (nstrong) {
		tb_printf(&b, "connect %s", nstrong > 1 ? "one of: " : "");
		put_matches(&b, db, m, nstrong);
		if (ex->more)
			tb_printf(&b, ", ...");
	} else {
		tb_printf(&b, "no interface allows it by itself; connect %s", ex->n > 1 ? "one of: " : "");
		put_matches(&b, db, m, ex->n);
		if (ex->more)
			tb_printf(&b, ", ...");
	}
	if (ex->note[0])
		tb_printf(&b, "; %s", ex->note);
	return tb_done(&b);
}

/* ---- the summary */

int scan_summary_add(struct scan_summary *s, const struct explain_db *db, const struct scan_who *who,
		     const struct explanation *ex)
{
	struct sum_app *a = NULL;
	struct sum_need *n = NULL;

	if (ex->what == EX_SKIP)
		return 0;
	for (size_t i = 0; i < s->napps; i++)
		if (!strcmp(s->apps[i].who, who->display))
			a = &s->apps[i];
	if (!a) {
		struct sum_app *na = realloc(s->apps, (s->napps + 1) * sizeof(*na));

		if (!na)
			return -1;
		s->apps = na;
		a = &s->apps[s->napps];
		memset(a, 0, sizeof(*a));
		if (!(a->who = strdup(who->display)))
			return -1;
		s->napps++;
	}
	a->lines++;
	for (size_t i = 0; i < a->nneeds; i++)
		if (!strcmp(a->needs[i].key, ex->key))
			n = &a->needs[i];
	if (!n) {
		struct sum_need *nn = realloc(a->needs, (a->nneeds + 1) * sizeof(*nn));

		if (!nn)
			return -1;
		a->needs = nn;
		n = &a->needs[a->nneeds];
		memset(n, 0, sizeof(*n));
		if (!(n->key = strdup(ex->key)) || !(n->object = strdup(ex->object)) ||
		    !(n->specs = calloc(ex->n ? ex->n : 1, sizeof(*n->specs))) ||
		    !(n->weak = calloc(ex->n ? ex->n : 1, sizeof(*n->weak)))) {
			free(n->key);
			free(n->object);
			free(n->specs);
			return -1;
		}
		/* the object without the line's own details: "add_key", "read of /etc/shadow" */
		if (ex->what == EX_SECCOMP)
			n->object[strcspn(n->object, " ")] = '\0';
		/* by name, as the printed line has them */
		for (size_t i = 0; i < ex->n; i++) {
			size_t j = i;

			while (j > 0 &&
			       strcmp(db->specs[n->specs[j - 1]].name, db->specs[ex->m[i].spec].name) > 0) {
				n->specs[j] = n->specs[j - 1];
				n->weak[j] = n->weak[j - 1];
				j--;
			}
			n->specs[j] = ex->m[i].spec;
			n->weak[j] = ex->m[i].weak;
		}
		n->nspecs = ex->n;
		a->nneeds++;
	}
	n->count++;
	n->denied |= ex->denied;
	return 0;
}

void scan_summary_free(struct scan_summary *s)
{
	for (size_t i = 0; i < s->napps; i++) {
		for (size_t j = 0; j < s->apps[i].nneeds; j++) {
			free(s->apps[i].needs[j].key);
			free(s->apps[i].needs[j].object);
			free(s->apps[i].needs[j].specs);
			free(s->apps[i].needs[j].weak);
		}
		free(s->apps[i].needs);
		free(s->apps[i].who);
	}
	free(s->apps);
	memset(s, 0, sizeof(*s));
}

/* does the interface allow the need (weak: also through an attribute) */
static bool need_has(const struct sum_need *n, size_t spec, bool weak)
{
	for (size_t i = 0; i < n->nspecs; i++)
		if (n->specs[i] == spec && (weak || !n->weak[i]))
			return true;
	return false;
}

/* how much an interface grants: fewer rules first when two cover as much */
static size_t weight(const struct explain_db *db, size_t spec)
{
	size_t w = 0;

	for (size_t i = 0; i < db->nsc; i++)
		w += db->sc[i].spec == spec;
	for (size_t i = 0; i < db->naa; i++)
		w += db->aa[i].spec == spec;
	return w;
}

static int by_name(const void *a, const void *b, void *db)
{
	const struct explain_db *d = db;

	return strcmp(d->specs[*(const size_t *)a].name, d->specs[*(const size_t *)b].name);
}

static void app_summary(struct textbuf *b, const struct sum_app *a, const struct explain_db *db)
{
	size_t *chosen = calloc(db->nspecs ? db->nspecs : 1, sizeof(*chosen)), nchosen = 0;
	size_t *by =
		calloc(a->nneeds ? a->nneeds : 1, sizeof(*by)); /* the interface it is listed under + 1 */
	bool *weakly = calloc(a->nneeds ? a->nneeds : 1, sizeof(*weakly));
	size_t nuncovered = 0;

	if (!chosen || !by || !weakly) {
		b->oom = true;
		goto out;
	}
	/*
	 * greedy: the interface that allows most of what is left, the smaller
	 * on a tie; first by their own rules, then through attributes (the
	 * plug or slot has to name the path)
	 */
	for (int weak = 0; weak < 2; weak++) {
		for (;;) {
			size_t best = (size_t)-1, best_n = 0;

			for (size_t s = 0; s < db->nspecs; s++) {
				size_t cnt = 0;

				for (size_t i = 0; i < a->nneeds; i++)
					cnt += !by[i] && need_has(&a->needs[i], s, weak);
				if (cnt > best_n ||
				    (cnt && cnt == best_n && weight(db, s) < weight(db, best)))
					best = s, best_n = cnt;
			}
			if (!best_n)
				break;
			chosen[nchosen++] = best;
			for (size_t i = 0; i < a->nneeds; i++)
				if (!by[i] && need_has(&a->needs[i], best, weak)) {
					by[i] = best + 1;
					weakly[i] = weak;
				}
		}
	}
	qsort_r(chosen, nchosen, sizeof(*chosen), by_name, (void *)db);
	/* the plugs whose own rules allow something, then those that need an attribute naming it */
	for (int weak = 0; weak < 2; weak++) {
		size_t k = 0;

		for (size_t i = 0; i < nchosen; i++) {
			bool strong = false;

			for (size_t j = 0; j < a->nneeds; j++)
				strong |= by[j] == chosen[i] + 1 && !weakly[j];
			if (strong == (weak == 1))
				continue;
			if (!k++)
				tb_printf(b,
					  weak ? "  and, if their attributes name what they need: ["
					       : "%s (%u line%s):\n  plugs: [",
					  a->who, a->lines, a->lines == 1 ? "" : "s");
			tb_printf(b, "%s%s", k > 1 ? ", " : "", db->specs[chosen[i]].name);
		}
		if (!k && !weak)
			tb_printf(b, "%s (%u line%s):\n  plugs: [", a->who, a->lines,
				  a->lines == 1 ? "" : "s");
		if (k || !weak)
			tb_printf(b, "]\n");
	}
	for (size_t i = 0; i < nchosen; i++) {
		size_t k = 0;

		tb_printf(b, "    %s:", db->specs[chosen[i]].name);
		for (size_t j = 0; j < a->nneeds; j++) {
			const struct sum_need *n = &a->needs[j];

			if (by[j] != chosen[i] + 1)
				continue;
			tb_printf(b, "%s %s%s", k++ ? "," : "", n->object,
				  weakly[j] ? " (if an attribute names it)" : "");
			for (size_t s = 0, o = 0; s < n->nspecs; s++)
				if (n->specs[s] != chosen[i] && (weakly[j] || !n->weak[s]))
					tb_printf(b, "%s %s", o++ ? "," : " (or",
						  db->specs[n->specs[s]].name);
			for (size_t s = 0; s < n->nspecs; s++)
				if (n->specs[s] != chosen[i] && (weakly[j] || !n->weak[s])) {
					tb_printf(b, ")");
					break;
				}
		}
		tb_printf(b, "\n");
	}
	for (size_t i = 0; i < a->nneeds; i++)
		nuncovered += !by[i];
	if (nuncovered) {
		size_t k = 0;

		tb_printf(b, "  no interface allows:");
		for (size_t i = 0; i < a->nneeds; i++)
			if (!by[i])
				tb_printf(b, "%s %s", k++ ? "," : "", a->needs[i].object);
		tb_printf(b, "\n");
	}
out:
	free(chosen);
	free(by);
	free(weakly);
}

char *scan_summary_format(const struct scan_summary *s, const struct explain_db *db)
{
	struct textbuf b = { 0 };

	if (!s->napps)
		tb_printf(&b, "summary: no denial and nothing logged\n");
	for (size_t i = 0; i < s->napps; i++)
		app_summary(&b, &s->apps[i], db);
	return tb_done(&b);
}
