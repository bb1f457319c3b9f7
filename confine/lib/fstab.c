// SPDX-License-Identifier: GPL-3.0-only
/* Mount profile parser (fstab.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "fstab.h"
#include "path_walk.h"
#include "strnum.h"

static void entry_free(struct fstab_entry *e)
{
	free(e->fsname);
	free(e->dir);
	free(e->type);
	free(e->opts);
	free(e->data);
	free(e->symlink);
	free(e->needed_by);
	free(e->must_exist);
	memset(e, 0, sizeof(*e));
}

void fstab_free(struct fstab *f)
{
	for (size_t i = 0; i < f->n; i++)
		entry_free(&f->e[i]);
	free(f->e);
	memset(f, 0, sizeof(*f));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int fstab_append(struct fstab *f, const struct fstab_entry *src)
{
	struct fstab_entry c = *src;

	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		struct fstab_entry *ne = realloc(f->e, nc * sizeof(*ne));

		if (!ne)
			return -1;
		f->e = ne;
		f->cap = nc;
	}
	c.fsname = dup_or_null(src->fsname);
	c.dir = dup_or_null(src->dir);
	c.type = dup_or_null(src->type);
	c.opts = dup_or_null(src->opts);
	c.data = dup_or_null(src->data);
	c.symlink = dup_or_null(src->symlink);
	c.needed_by = dup_or_null(src->needed_by);
	c.must_exist = dup_or_null(src->must_exist);
	if (!c.fsname || !c.dir || !c.type || !c.opts || (src->data && !c.data) || (src->symlink && !c.symlink) ||
	    (src->needed_by && !c.needed_by) || (src->must_exist && !c.must_exist)) {
		entry_free(&c);
		return -1;
	}
	f->e[f->n++] = c;
	return 0;
}

bool fstab_entry_equal(const struct fstab_entry *a, const struct fstab_entry *b)
{
	return !strcmp(a->fsname, b->fsname) && !strcmp(a->dir, b->dir) && !strcmp(a->type, b->type) &&
	       !strcmp(a->opts, b->opts) && a->freq == b->freq && a->passno == b->passno;
}

static int append_data(char **data, const char *opt)
{
	size_t old = *data ? strlen(*data) : 0, n = strlen(opt);
	char *nd = realloc(*data, old + n + 2);

	if (!nd)
		return -1;
	if (old)
		nd[old++] = ',';
	memcpy(nd + old, opt, n + 1);
	*data = nd;
	return 0;
}

static int parse_octal_mode(const char *s, mode_t *m)
{
	unsigned long v;

	if (str_to_ulong(s, 8, 07777, &v))
		return -1;
	*m = (mode_t)v;
	return 0;
}

static int parse_id(const char *s, unsigned *v)
{
	unsigned long x;

	if (str_to_ulong(s, 10, 0xfffffffeu, &x))
		return -1;
	*v = (unsigned)x;
	return 0;
}

/* an option whose value is a clean absolute path with \ooo escapes (a repeated one: the last counts) */
static int path_option(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return !*dst || str_unescape_octal(*dst) || !pw_clean(*dst) ? -1 : 0;
}

static const struct {
	const char *name;
	unsigned long set, clear, prop;
} known_flags[] = {
	{ "ro", MS_RDONLY, 0, 0 },
	{ "rw", 0, MS_RDONLY, 0 },
	{ "nodev", MS_NODEV, 0, 0 },
	{ "dev", 0, MS_NODEV, 0 },
	{ "nosuid", MS_NOSUID, 0, 0 },
	{ "suid", 0, MS_NOSUID, 0 },
	{ "noexec", MS_NOEXEC, 0, 0 },
	{ "exec", 0, MS_NOEXEC, 0 },
	{ "sync", MS_SYNCHRONOUS, 0, 0 },
	{ "async", 0, MS_SYNCHRONOUS, 0 },
	{ "noatime", MS_NOATIME, 0, 0 },
	{ "nodiratime", MS_NODIRATIME, 0, 0 },
	{ "relatime", MS_RELATIME, 0, 0 },
	{ "strictatime", MS_STRICTATIME, 0, 0 },
	{ "bind", MS_BIND, 0, 0 },
	{ "rbind", MS_BIND | MS_REC, 0, 0 },
	{ "defaults", 0, 0, 0 },
	{ "private", 0, 0, MS_PRIVATE },
	{ "rprivate", 0, 0, MS_PRIVATE | MS_REC },
	{ "shared", 0, 0, MS_SHARED },
	{ "rshared", 0, 0, MS_SHARED | MS_REC },
	{ "slave", 0, 0, MS_SLAVE },
	{ "rslave", 0, 0, MS_SLAVE | MS_REC },
	{ "unbindable", 0, 0, MS_UNBINDABLE },
	{ "runbindable", 0, 0, MS_UNBINDABLE | MS_REC },
};

/* -1 with a reason in why */
static int parse_options(struct fstab_entry *e, char *why, size_t whylen)
{
	char *copy = strdup(e->opts), *save = NULL, *o;
	bool kind_set = false;

	if (!copy)
		return snprintf(why, whylen, "out of memory"), -1;
	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(known_flags) / sizeof(known_flags[0]); i++)
			if (!strcmp(o, known_flags[i].name))
				break;
		if (i < sizeof(known_flags) / sizeof(known_flags[0])) {
			e->flags = (e->flags | known_flags[i].set) & ~known_flags[i].clear;
			if (known_flags[i].prop)
				e->propagation = known_flags[i].prop;
			continue;
		}
		if (!strncmp(o, "x-snapd.", 8)) {
			const char *k = o + 8, *v = strchr(o, '=');

			v = v ? v + 1 : NULL;
			if (!strncmp(k, "kind=", 5)) {
				if (!strcmp(v, "file"))
					e->kind = FSTAB_FILE;
				else if (!strcmp(v, "symlink"))
					e->kind = FSTAB_SYMLINK;
				else if (!strcmp(v, "ensure-dir"))
					e->kind = FSTAB_ENSURE_DIR;
				else
					goto bad_value;
				kind_set = true;
			} else if (!strncmp(k, "symlink=", 8)) {
				free(e->symlink); /* a repeated option: the last one counts */
				e->symlink = NULL;
				if (!*v || !(e->symlink = strdup(v)))
					goto bad_value;
			} else if (!strncmp(k, "mode=", 5)) {
				if (parse_octal_mode(v, &e->mode))
					goto bad_value;
				e->has_mode = true;
			} else if (!strncmp(k, "uid=", 4)) {
				unsigned id;

				if (parse_id(v, &id))
					goto bad_value;
				e->uid = id;
				e->has_uid = true;
			} else if (!strncmp(k, "gid=", 4)) {
				unsigned id;

				if (parse_id(v, &id))
					goto bad_value;
				e->gid = id;
				e->has_gid = true;
			} else if (!strcmp(k, "ignore-missing")) {
				e->ignore_missing = true;
			} else if (!strcmp(k, "origin=layout")) {
				e->layout = true;
			} else if (!strcmp(k, "origin=overname")) {
				e->overname = true;
			} else if (!strncmp(k, "must-exist-dir=", 15)) {
				/* a path (escaped like needed-by): a strict ancestor of the entry's directory */
				if (path_option(&e->must_exist, v))
					goto bad_value;
			} else if (!strcmp(k, "synthetic")) {
				e->synthetic = true;
			} else if (!strncmp(k, "needed-by=", 10)) {
				/* a path: its commas and backslashes are escaped once more (fstab_append_mimic) */
				if (path_option(&e->needed_by, v))
					goto bad_value;
			} else if (!strncmp(k, "id=", 3) || !strcmp(k, "detach")) {
				/* identification and unmount hints of snapd: nothing to do here */
			} else {
				snprintf(why, whylen, "unknown option '%s'", o);
				free(copy);
				return -1;
			}
			continue;
		}
		if (!strncmp(o, "x-", 2) || !strcmp(o, "auto") || !strcmp(o, "noauto") || !strcmp(o, "user") ||
		    !strcmp(o, "nouser"))
			continue; /* userspace-only options of fstab(5) */
		if (append_data(&e->data, o)) {
			snprintf(why, whylen, "out of memory");
			free(copy);
			return -1;
		}
	}
	free(copy);
	if (e->kind == FSTAB_SYMLINK && !e->symlink)
		return snprintf(why, whylen, "x-snapd.kind=symlink needs x-snapd.symlink=TARGET"), -1;
	if (e->symlink && e->kind != FSTAB_SYMLINK)
		return snprintf(why, whylen, "x-snapd.symlink without x-snapd.kind=symlink"), -1;
	if ((e->kind == FSTAB_MOUNT || e->kind == FSTAB_FILE) && !kind_set && !(e->flags & MS_BIND) &&
	    !strcmp(e->type, "none"))
		return snprintf(why, whylen, "file system type 'none' needs bind or rbind"), -1;
	if (e->kind == FSTAB_FILE && !(e->flags & MS_BIND))
		return snprintf(why, whylen, "x-snapd.kind=file is for bind mounts"), -1;
	if (e->must_exist && e->kind != FSTAB_ENSURE_DIR)
		return snprintf(why, whylen, "x-snapd.must-exist-dir is for x-snapd.kind=ensure-dir"), -1;
	if (e->must_exist && (!strcmp(e->must_exist, e->dir) || !pw_under(e->dir, e->must_exist)))
		return snprintf(why, whylen, "x-snapd.must-exist-dir '%s' is not a parent of '%s'", e->must_exist,
				e->dir),
		       -1;
	if (e->overname && (e->kind != FSTAB_MOUNT || (e->flags & (MS_BIND | MS_REC)) != (MS_BIND | MS_REC)))
		return snprintf(why, whylen, "x-snapd.origin=overname is for rbind mounts"), -1;
	return 0;
bad_value:
	snprintf(why, whylen, "bad value in '%s'", o);
	free(copy);
	return -1;
}

static int parse_int_field(const char *s, int *v)
{
	unsigned long x;

	if (str_to_ulong(s, 10, 1000, &x))
		return -1;
	*v = (int)x;
	return 0;
}

int fstab_parse(const char *file, const char *text, size_t len, struct fstab *out, struct diag *err)
{
	size_t pos = 0;
	unsigned line = 0;
	char why[256];

	memset(out, 0, sizeof(*out));
	if (memchr(text, '\0', len))
		return diag_set(err, "%s: NUL byte in the mount profile", file);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - text - pos) : len - pos;
		char *buf = strndup(text + pos, ll), *save = NULL, *f[7];
		struct fstab_entry e = { 0 };
		size_t nf = 0;
		char *p;

		pos += ll + (nl ? 1 : 0);
		line++;
		if (!buf)
			goto oom;
		p = buf + strspn(buf, " \t\r");
		if (*p == '#' || *p == '\0') {
			free(buf);
			continue;
		}
		for (char *t = strtok_r(p, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
			if (nf == 6) {
				free(buf);
				fstab_free(out);
				return diag_set(err, "%s:%u: more than 6 fields", file, line);
			}
			f[nf++] = t;
		}
		if (nf < 4) {
			free(buf);
			fstab_free(out);
			return diag_set(err, "%s:%u: expected 'FSNAME DIR TYPE OPTIONS [FREQ [PASSNO]]'", file, line);
		}
		e.line = line;
		if (str_unescape_octal(f[0]) || str_unescape_octal(f[1]) || str_unescape_octal(f[2]) ||
		    str_unescape_octal(f[3])) {
			snprintf(why, sizeof(why), "malformed \\ooo escape");
			goto bad;
		}
		if ((nf > 4 && parse_int_field(f[4], &e.freq)) || (nf > 5 && parse_int_field(f[5], &e.passno))) {
			snprintf(why, sizeof(why), "FREQ and PASSNO must be small numbers");
			goto bad;
		}
		e.fsname = strdup(f[0]);
		e.dir = strdup(f[1]);
		e.type = strdup(f[2]);
		e.opts = strdup(f[3]);
		if (!e.fsname || !e.dir || !e.type || !e.opts) {
			entry_free(&e);
			free(buf);
			goto oom;
		}
		if (!pw_clean(e.dir)) {
			snprintf(why, sizeof(why), "mount point '%s' is not a clean absolute path", e.dir);
			goto bad_entry;
		}
		if (parse_options(&e, why, sizeof(why)))
			goto bad_entry;
		if ((e.flags & MS_BIND) && e.kind != FSTAB_SYMLINK && e.kind != FSTAB_ENSURE_DIR &&
		    !pw_clean(e.fsname)) {
			snprintf(why, sizeof(why), "bind source '%s' is not a clean absolute path", e.fsname);
			goto bad_entry;
		}
		if (fstab_append(out, &e)) {
			entry_free(&e);
			free(buf);
			goto oom;
		}
		entry_free(&e);
		free(buf);
		continue;
bad_entry:
		entry_free(&e);
bad:
		free(buf);
		fstab_free(out);
		return diag_set(err, "%s:%u: %s", file, line, why);
	}
	return 0;
oom:
	fstab_free(out);
	return diag_set(err, "%s: out of memory", file);
}

char *fstab_escape_option(const char *value)
{
	char *out = malloc(4 * strlen(value) + 1), *w = out;

	for (; out && *value; value++) {
		if (*value == ',' || *value == '\\')
			w += sprintf(w, "\\%03o", (unsigned char)*value);
		else
			*w++ = *value;
	}
	if (out)
		*w = '\0';
	return out;
}

int fstab_append_mimic(struct fstab *f, const char *dir, const char *needed_by, const char *data)
{
	char *nb = fstab_escape_option(needed_by), *opts = NULL;
	int rc = -1;

	if (nb && asprintf(&opts, "x-snapd.synthetic,x-snapd.needed-by=%s,%s", nb, data) >= 0) {
		struct fstab_entry e = {
			.fsname = (char *)"tmpfs", .dir = (char *)dir, .type = (char *)"tmpfs", .opts = opts,
			.synthetic = true, .needed_by = (char *)needed_by, .data = (char *)data,
		};

		rc = fstab_append(f, &e);
		free(opts);
	}
	free(nb);
	return rc;
}

/* fstab(5) escaping: whatever the parser would split on or read as a comment */
static void put_escaped(char **w, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '\\' || c == '#' || c == 0x7f) {
			sprintf(*w, "\\%03o", (unsigned char)*s);
			*w += 4;
		} else {
			*(*w)++ = *s;
		}
	}
}

char *fstab_format(const struct fstab *f, size_t *len)
{
	size_t cap = 1;
	char *out, *w;

	for (size_t i = 0; i < f->n; i++)
		cap += 4 * (strlen(f->e[i].fsname) + strlen(f->e[i].dir) + strlen(f->e[i].type) +
			    strlen(f->e[i].opts)) + 32;
	out = malloc(cap);
	if (!out)
		return NULL;
	w = out;
	for (size_t i = 0; i < f->n; i++) {
		const struct fstab_entry *e = &f->e[i];

		put_escaped(&w, e->fsname);
		*w++ = ' ';
		put_escaped(&w, e->dir);
		*w++ = ' ';
		put_escaped(&w, e->type);
		*w++ = ' ';
		put_escaped(&w, e->opts);
		w += sprintf(w, " %d %d\n", e->freq, e->passno);
	}
	*w = '\0';
	*len = (size_t)(w - out);
	return out;
}
