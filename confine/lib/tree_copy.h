/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * A copy of a directory tree a snap (or its user) can write, made by root:
 * every name is opened below its parent's descriptor with O_NOFOLLOW, a
 * symbolic link is copied as a link and never followed, a file is read
 * only once it is known to be the regular file that was listed, and
 * owners, modes and times are kept (as cp -a). Sockets and device nodes
 * are left out; FIFOs are made anew.
 */
#ifndef CONFINE_TREE_COPY_H
#define CONFINE_TREE_COPY_H

#include "diag.h"

/* files and directories only, without owners, modes or times (onto FAT: a kernel's boot files) */
#define TREE_COPY_PLAIN 1u
/*
 * Copies the directory src_name below src_dirfd to dst_name below dst_dirfd,
 * which must not exist. On failure, what was made of dst_name is removed.
 */
int tree_copy(int src_dirfd, const char *src_name, int dst_dirfd, const char *dst_name, unsigned flags,
	      struct diag *err);
/* removes the tree name below dirfd (links are removed, never followed); ENOENT is no error */
int tree_remove(int dirfd, const char *name, struct diag *err);

#endif
