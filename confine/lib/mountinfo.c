// SPDX-License-Identifier: GPL-3.0-only
/* mountinfo parser (mountinfo.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "mountinfo.h"
#include "strnum.h"

void mountinfo_free(struct mountinfo *m)
{
	free(m->e);
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

static char *next_field(char **p)
{
	char *s = *p, *e;

	if (!s || !*s)
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

static int parse_uint(const char *s, unsigned *v)
{
	unsigned long x;

	if (str_to_ulong(s, 10, 0xffffffffu, &x))
		return -1;
	*v = (unsigned)x;
	return 0;
}

static int parse_line(char *line, struct mountinfo_entry *e)
{
	char *p = line, *f, *dev, *colon;
	char *opt_start;

	memset(e, 0, sizeof(*e));
	if (parse_uint(next_field(&p), &e->id) || parse_uint(next_field(&p), &e->parent))
		return -1;
	dev = next_field(&p);
	if (!dev || !(colon = strchr(dev, ':')))
		return -1;
	*colon = '\0';
	if (parse_uint(dev, &e->major) || parse_uint(colon + 1, &e->minor))
		return -1;
	e->root = next_field(&p);
	e->mount_point = next_field(&p);
	e->mount_opts = next_field(&p);
	if (!e->root || !e->mount_point || !e->mount_opts)
		return -1;
	/* optional fields up to a lone "-" */
	opt_start = p;
	for (;;) {
		f = next_field(&p);
		if (!f)
			return -1;
		if (!strcmp(f, "-"))
			break;
		if (f != opt_start)
			f[-1] = ' '; /* keep the optional fields as one string */
	}
	/* "-" right away: no optional fields (point at the NUL after the mount options) */
	e->optional = opt_start == f ? e->mount_opts + strlen(e->mount_opts) : opt_start;
	e->fs_type = next_field(&p);
	e->source = next_field(&p);
	e->super_opts = next_field(&p);
	if (!e->fs_type || !e->source || !e->super_opts || *p)
		return -1;
	if (str_unescape_octal(e->root) || str_unescape_octal(e->mount_point) || str_unescape_octal(e->source) ||
	    str_unescape_octal(e->fs_type))
		return -1;
	return 0;
}

int mountinfo_parse(const char *text, size_t len, struct mountinfo *out, struct diag *err)
{
	size_t cap = 0, line = 0;
	char *p, *nl;

	memset(out, 0, sizeof(*out));
	if (memchr(text, '\0', len))
		return diag_set(err, "mountinfo: NUL byte");
	out->buf = malloc(len + 1);
	if (!out->buf)
		return diag_set(err, "mountinfo: out of memory");
	memcpy(out->buf, text, len);
	out->buf[len] = '\0';
	for (p = out->buf; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line++;
		if (!*p)
			continue;
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct mountinfo_entry *ne = realloc(out->e, nc * sizeof(*ne));

			if (!ne) {
				mountinfo_free(out);
				return diag_set(err, "mountinfo: out of memory");
			}
			out->e = ne;
			cap = nc;
		}
		if (parse_line(p, &out->e[out->n])) {
			mountinfo_free(out);
			return diag_set(err, "mountinfo: line %zu is malformed", line);
		}
		out->n++;
		if (!nl)
			break;
	}
	return 0;
}

int mountinfo_read_self(struct mountinfo *out, struct diag *err)
{
	char *text;
	size_t len;
	int rc;

	if (file_read_all("/proc/self/mountinfo", 16 << 20, &text, &len, err))
		return -1;
	rc = mountinfo_parse(text, len, out, err);
	free(text);
	return rc;
}

const struct mountinfo_entry *mountinfo_find(const struct mountinfo *m, const char *path)
{
	for (size_t i = m->n; i-- > 0;)
		if (!strcmp(m->e[i].mount_point, path))
			return &m->e[i];
	return NULL;
}
