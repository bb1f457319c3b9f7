/* SPDX-License-Identifier: GPL-3.0-only */
/* Whole-file reads and atomic writes. */
#ifndef CONFINE_FILEIO_H
#define CONFINE_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

/* reads fd to its end, at most max bytes (more is an error naming name); *buf is malloc'd, NUL-terminated */
int fd_read_all(int fd, const char *name, size_t max, char **buf, size_t *len, struct diag *err);
/*
 * fd_read_all of a regular file whose size (st_size) the caller has just read
 * with fstat (0 when unknown): a read shorter than asked is its end
 */
int fd_read_all_sized(int fd, const char *name, off_t size, size_t max, char **buf, size_t *len,
		      struct diag *err);
/* reads at most max bytes (more is an error); *buf is malloc'd and NUL-terminated */
int file_read_all(const char *path, size_t max, char **buf, size_t *len, struct diag *err);
/*
 * Writes to a temporary file in the same directory, fsyncs, renames over
 * path: readers see the old file or the new one, never a part. On failure
 * nothing is left behind.
 */
int file_write_atomic(const char *path, const void *buf, size_t len, unsigned mode, struct diag *err);
/*
 * Points the symbolic link path at target: a new link made beside it
 * (.NAME.new in its directory) and renamed over it, so that there is always one, the old or
 * the new. On failure nothing is left behind.
 */
int link_replace(const char *path, const char *target, struct diag *err);
/* mkdir -p: each missing directory of path made with mode, those there kept; -1 with errno set */
int dir_make_all(const char *path, unsigned mode);

#endif
