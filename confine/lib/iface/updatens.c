// SPDX-License-Identifier: GPL-3.0-only
/*
 * The AppArmor rules snap-update-ns.<snap> needs for the snap's mount
 * profile (iface.h): for each entry exactly its mount (a bind, an rbind or
 * a file system, with its remount flags and propagation), its unmount, the
 * creation of its mount point or link, and the writable mimics its parents
 * may need where the snap cannot write anyway (a tmpfs over the read-only
 * directory, each entry bound back onto its stand-in through a descriptor
 * of the covered directory). Paths with spaces or AppArmor pattern
 * characters are refused rather than widened.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "fstab.h"
#include "iface/iface.h"
#include "iface/textbuf.h"
#include "path_walk.h"

/* a path an AppArmor rule can state exactly */
static bool exact(const char *p)
{
	if (!pw_clean(p))
		return false;
	for (; *p; p++)
		if (strchr("[]*?{}\"^\\#,=() \t\n", *p))
			return false;
	return true;
}

struct seen {
	char **p;
	size_t n;
};

static bool first_time(struct seen *s, const char *p)
{
	char **np;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->p[i], p))
			return false;
	np = realloc(s->p, (s->n + 1) * sizeof(*np));
	if (!np)
		return false;
	s->p = np;
	s->p[s->n] = strdup(p);
	return s->p[s->n++] != NULL;
}

/*
 * the mimics the ancestors of dir may need, outside the snap's data and its
 * private /tmp (for an instance, also what its overname entries of f map:
 * /var/snap/<snap> is its data, /snap/<snap> its tree)
 */
static void mimics(struct textbuf *o, const char *snap, const struct fstab *f, const char *dir, struct seen *seen)
{
	char own[300], buf[4096];
	size_t top;
	bool in_tree = false;

	snprintf(own, sizeof(own), "/var/snap/%s", snap);
	if (pw_under(dir, own) || pw_under(dir, "/tmp"))
		return;
	for (size_t i = 0; i < f->n; i++)
		if (f->e[i].overname && pw_under(dir, f->e[i].dir)) {
			if (!strncmp(f->e[i].dir, "/var/snap/", 10))
				return;
			in_tree = true;
		}
	snprintf(own, sizeof(own), "/snap/%s", snap);
	/* in the snap itself, not above its revision: /snap/<snap>/<rev> has 3 components */
	top = in_tree || pw_under(dir, own) ? 3 : 1;
	snprintf(buf, sizeof(buf), "%s", dir);
	for (size_t depth = 0, i = 1; buf[i]; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (++depth >= top && first_time(seen, buf)) {
			tb_printf(o, "  mount fstype=tmpfs options=(rw) tmpfs -> %s/,\n", buf);
			/* the covered directory is listed for the stand-ins to make */
			tb_printf(o, "  %s/ r,\n", buf);
			tb_printf(o, "  %s/{*,*/} w,\n", buf);
			tb_printf(o, "  mount options=(rw rbind) %s/{*,*/} -> %s/{*,*/},\n", buf, buf);
			tb_printf(o, "  umount %s/,\n", buf);
		}
		buf[i] = '/';
	}
}

int iface_update_ns_rules(const char *snap, const struct fstab *f, char **rules, struct diag *err)
{
	struct textbuf o = { 0 };
	struct seen seen = { 0 };
	int rc = -1;

	*rules = NULL;
	for (size_t i = 0; i < f->n; i++) {
		const struct fstab_entry *e = &f->e[i];
		const char *slash = e->kind == FSTAB_FILE ? "" : "/";
		char flags[96] = "", remount[64] = "", prop[32] = "";

		if (!exact(e->dir)) {
			diag_set(err,
				 "the mount point '%s' (line %u) cannot be written as an exact AppArmor path",
				 e->dir, e->line);
			goto out;
		}
		tb_printf(&o, "  # %s %s %s %s\n", e->fsname, e->dir, e->type, e->opts);
		if (e->kind == FSTAB_SYMLINK) {
			tb_printf(&o, "  %s w,\n", e->dir);
		} else if (e->kind == FSTAB_ENSURE_DIR) {
			tb_printf(&o, "  %s/ w,\n", e->dir);
		} else {
			if (e->flags & MS_RDONLY)
				strcat(remount, " ro"), strcat(flags, " ro");
			if (e->flags & MS_NODEV)
				strcat(remount, " nodev"), strcat(flags, " nodev");
			if (e->flags & MS_NOSUID)
				strcat(remount, " nosuid"), strcat(flags, " nosuid");
			if (e->flags & MS_NOEXEC)
				strcat(remount, " noexec"), strcat(flags, " noexec");
			if (e->propagation & MS_PRIVATE)
				strcpy(prop, e->propagation & MS_REC ? "rprivate" : "private");
			else if (e->propagation & MS_SHARED)
				strcpy(prop, e->propagation & MS_REC ? "rshared" : "shared");
			else if (e->propagation & MS_SLAVE)
				strcpy(prop, e->propagation & MS_REC ? "rslave" : "slave");
			else if (e->propagation & MS_UNBINDABLE)
				strcpy(prop, e->propagation & MS_REC ? "runbindable" : "unbindable");
			if (e->flags & MS_BIND) {
				if (!exact(e->fsname)) {
					diag_set(err,
						 "the bind source '%s' (line %u) cannot be written as an "
						 "exact AppArmor path",
						 e->fsname, e->line);
					goto out;
				}
				tb_printf(&o, "  mount options=(rw %s) %s%s -> %s%s,\n",
					  e->flags & MS_REC ? "rbind" : "bind", e->fsname, slash, e->dir,
					  slash);
				if (remount[0])
					tb_printf(&o, "  mount options=(remount bind%s) -> %s%s,\n", remount,
						  e->dir, slash);
			} else {
				const char *t = e->type;

				for (const char *p = t; *p; p++)
					if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_.-", *p))
						t = NULL;
				if (!t ||
				    (e->fsname[0] == '/'
					     ? !exact(e->fsname)
					     : strspn(e->fsname,
						      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
						      "NOPQRSTUVWXYZ0123456789_.-") != strlen(e->fsname))) {
					diag_set(err,
						 "the file system %s from %s (line %u) cannot be written in "
						 "an AppArmor rule",
						 e->type, e->fsname, e->line);
					goto out;
				}
				/* the mount's own flags; rw unless it is read-only */
				tb_printf(&o, "  mount fstype=%s options=(%s%s) %s -> %s/,\n", e->type,
					  e->flags & MS_RDONLY ? "" : "rw",
					  e->flags & MS_RDONLY ? flags + 1 : flags, e->fsname, e->dir);
			}
			if (prop[0])
				tb_printf(&o, "  mount options=(%s) -> %s%s,\n", prop, e->dir, slash);
			tb_printf(&o, "  umount %s%s,\n", e->dir, slash);
			if (e->overname)
				continue; /* as snapd: the mount point is made at install, the bind needs nothing else */
			tb_printf(&o, "  %s%s w,\n", e->dir, slash);
		}
		mimics(&o, snap, f, e->dir, &seen);
	}
	rc = 0;
out:
	for (size_t i = 0; i < seen.n; i++)
		free(seen.p[i]);
	free(seen.p);
	if (rc) {
		free(o.s);
		return rc;
	}
	if (!(*rules = tb_done(&o)))
		return diag_set(err, "out of memory");
	return 0;
}
