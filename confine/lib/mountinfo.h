/* SPDX-License-Identifier: GPL-3.0-only */
/* /proc/self/mountinfo, parsed (octal escapes such as \040 decoded). */
#ifndef CONFINE_MOUNTINFO_H
#define CONFINE_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct mountinfo_entry {
	unsigned id, parent, major, minor;
	char *root, *mount_point, *mount_opts, *optional, *fs_type, *source, *super_opts;
};

struct mountinfo {
	size_t n;
	struct mountinfo_entry *e;
	char *buf; /* the strings live here */
};

/* text in the kernel's format; -1 with "line N: reason" on malformed input */
int mountinfo_parse(const char *text, size_t len, struct mountinfo *out, struct diag *err);
int mountinfo_read_self(struct mountinfo *out, struct diag *err);
void mountinfo_free(struct mountinfo *m);
/* the last (topmost) entry mounted at path, or NULL */
const struct mountinfo_entry *mountinfo_find(const struct mountinfo *m, const char *path);

#endif
