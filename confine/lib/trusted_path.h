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
/*
 * Holding directories for a batch of reads: trusted_hold walks dir (an
 * absolute path) from / (opened and checked once for all the holds) and
 * checks it as trusted_open checks a file's directories, and keeps its
 * descriptor; until trusted_release, a
 * trusted_open or trusted_read of a path below it walks and checks only the
 * components below dir, from that descriptor (the checks above it were
 * made once: no one but root can change a root-owned directory that no
 * one else may write, nor move what is in it). A dir that fails its checks
 * or does not exist is not held: the files below it are walked from / and
 * fail as they would. Release before leaving the mount namespace the
 * directories were held in. At most TRUSTED_HOLD_MAX at once.
 */
#define TRUSTED_HOLD_MAX 2
void trusted_hold(const char *dir);
void trusted_release(void);
/* reads at most max bytes of a trusted file into a malloc'd buffer */
int trusted_read(const char *path, size_t max, char **buf, size_t *len, struct diag *err);

#endif
