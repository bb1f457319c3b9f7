/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Paths walked the safe way, for root code that creates, mounts or removes
 * on behalf of a profile or a user (snap-update-ns, snap-confine). A walk
 * starts at a trusted directory descriptor and opens one component at a
 * time with O_PATH|O_NOFOLLOW: a symbolic link anywhere in the path, the
 * last component included, is refused rather than followed, and a path
 * swapped for a link while the walk runs is refused too (the kernel never
 * follows it). Creation, mounting and unmounting then act on the
 * descriptors (mkdirat, symlinkat, openat(O_CREAT|O_EXCL), fchownat,
 * mount through /proc/self/fd/N), and where a descriptor really is comes
 * from the kernel (its /proc/self/fd link), never from the string the walk
 * started with.
 */
#ifndef CONFINE_PATH_WALK_H
#define CONFINE_PATH_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct pw_root {
	int fd;		    /* an O_PATH descriptor of the directory walks start from ("/") */
	const char *prefix; /* where fd is as the kernel shows it; "" for "/" */
};

/* "/proc/self/fd/N" in buf (at least PW_FDPATH_MAX bytes): a path that names exactly fd */
#define PW_FDPATH_MAX 32
const char *pw_fdpath(int fd, char *buf);

/*
 * Opens path (absolute, without empty, "." or ".." components) below
 * r->fd: every component but the last must be a directory; the last is
 * opened with flags | O_NOFOLLOW | O_CLOEXEC and must not be a symbolic
 * link. -1 with a reason and errno (ENOENT: missing; ELOOP: a link).
 */
int pw_open(const struct pw_root *r, const char *path, int flags, struct diag *err);
/*
 * pw_open, with check called on every directory the walk opens, the root
 * ("/") included, before going on: non-zero stops the walk (with a reason).
 */
typedef int pw_check_fn(int dfd, const char *path, const char *name, struct diag *err);
int pw_open_checked(const struct pw_root *r, const char *path, int flags, pw_check_fn *check,
		    struct diag *err);
/*
 * pw_open_checked from a directory opened (and checked) before: r->fd is
 * path's first start bytes (path[start] is the '/' after them; start 0:
 * r->fd is "/"); the walk opens and checks only what follows, and
 * messages name the whole path
 */
int pw_open_checked_from(const struct pw_root *r, const char *path, size_t start, int flags,
			 pw_check_fn *check, struct diag *err);
/* opens the parent directory of path (O_PATH); *last: its final component, inside path */
int pw_open_parent(const struct pw_root *r, const char *path, const char **last, struct diag *err);
/* opens name in the directory dfd: O_PATH|O_NOFOLLOW, a link refused (ELOOP) */
int pw_open_at(int dfd, const char *name, int flags, const char *shown, struct diag *err);
/*
 * Where fd really is, below r (the kernel's answer), into buf: "/" for r
 * itself. -1 when it is not below r or no longer reachable (deleted).
 */
int pw_where(const struct pw_root *r, int fd, char *buf, size_t len, struct diag *err);
/* path is dir or below it (whole components: /tmpx is not below /tmp) */
bool pw_under(const char *path, const char *dir);
/* path is absolute, has no empty, "." or ".." component and no trailing slash ("/" aside) */
bool pw_clean(const char *path);

#endif
