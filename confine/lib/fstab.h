/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Mount profiles (FORMATS.md 4): fstab lines with snapd's x-snapd.*
 * options, parsed and validated; the launcher's snap-update-ns applies them.
 */
#ifndef CONFINE_FSTAB_H
#define CONFINE_FSTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

enum fstab_kind {
	FSTAB_MOUNT, /* a mount (bind, rbind or a file system) on a directory or file */
	FSTAB_FILE, /* x-snapd.kind=file: a bind mount on a file */
	FSTAB_SYMLINK, /* x-snapd.kind=symlink: a symbolic link, no mount */
	FSTAB_ENSURE_DIR, /* x-snapd.kind=ensure-dir: a directory, no mount */
};

struct fstab_entry {
	char *fsname, *dir, *type, *opts; /* decoded; opts as written */
	int freq, passno;
	unsigned line;
	/* from opts */
	enum fstab_kind kind;
	unsigned long flags; /* MS_RDONLY, MS_NODEV, MS_NOSUID, MS_NOEXEC, MS_BIND, MS_REC... */
	unsigned long propagation; /* MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE (| MS_REC), or 0 */
	char *data; /* options for the file system (mode=, size=...), comma separated */
	char *symlink; /* x-snapd.symlink */
	char *needed_by; /* x-snapd.needed-by (synthetic entries) */
	char *must_exist; /* x-snapd.must-exist-dir (ensure-dir entries): an ancestor of dir that must exist */
	bool ignore_missing, synthetic, layout;
	bool overname; /* x-snapd.origin=overname: an instance's directory over the snap name's */
	bool has_mode, has_uid, has_gid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

struct fstab {
	size_t n, cap;
	struct fstab_entry *e;
};

/* "file:line: reason" on error; out is empty then */
int fstab_parse(const char *file, const char *text, size_t len, struct fstab *out, struct diag *err);
void fstab_free(struct fstab *f);
/* same fields as written (the comparison the difference is made of) */
bool fstab_entry_equal(const struct fstab_entry *a, const struct fstab_entry *b);
/* appends a copy of e */
int fstab_append(struct fstab *f, const struct fstab_entry *e);
/* an option's value with its commas and backslashes escaped as \ooo; malloc'd */
char *fstab_escape_option(const char *value);
/* appends the synthetic entry of a writable mimic on dir, made for needed_by, mounted with data */
int fstab_append_mimic(struct fstab *f, const char *dir, const char *needed_by, const char *data);
/* the text of f, escaped like fstab(5); malloc'd */
char *fstab_format(const struct fstab *f, size_t *len);

#endif
