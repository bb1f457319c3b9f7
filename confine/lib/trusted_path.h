/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Opening files the launcher trusts (compiled profiles, mount profiles, the
 * feature file, the helpers it executes): every component from / is walked
 * with O_NOFOLLOW, and each directory and the file itself must be owned by
 * root:root and writable by neither its group nor others (as snapd asks).
 */
#ifndef CONFINE_TRUSTED_PATH_H
#define CONFINE_TRUSTED_PATH_H

#include <stddef.h>

#include "diag.h"

/* an absolute path; returns an O_RDONLY|O_CLOEXEC descriptor of a regular file, or -1 */
int trusted_open(const char *path, struct diag *err);
/* the same walk from the directory root (its owner and mode checked as "/"): for tests */
int trusted_open_below(int root, const char *path, struct diag *err);
/* reads at most max bytes of a trusted file into a malloc'd buffer */
int trusted_read(const char *path, size_t max, char **buf, size_t *len, struct diag *err);

#endif
