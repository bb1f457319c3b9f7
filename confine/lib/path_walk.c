// SPDX-License-Identifier: GPL-3.0-only
/* Descriptor-based path walks (path_walk.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_walk.h"

const char *pw_fdpath(int fd, char *buf)
{
	snprintf(buf, PW_FDPATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

bool pw_clean(const char *p)
{
	if (p[0] != '/')
		return false;
	if (!strcmp(p, "/"))
		return true;
	while (*p) {
		size_t n;

		p++; /* past '/' */
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
	}
	return true;
}

bool pw_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

int pw_open_at(int dfd, const char *name, int flags, const char *shown, struct diag *err)
{
	struct stat st;
	int fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		if ((e == ELOOP || e == ENOTDIR) && fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode)) {
			errno = ELOOP;
			return diag_set(err, "%s: '%s' is a symbolic link: refusing to follow it", shown,
					name);
		}
		errno = e;
		return diag_errno(err, "cannot open %s", shown);
	}
	/*
	 * O_PATH|O_NOFOLLOW opens a link itself instead of failing; with
	 * O_DIRECTORY, or without O_PATH, the open above already failed on a
	 * link (ENOTDIR, ELOOP), so only that case needs a look
	 */
	if (!(flags & O_PATH) || (flags & O_DIRECTORY))
		return fd;
	if (fstat(fd, &st) < 0) {
		diag_errno(err, "cannot inspect %s", shown);
		close(fd);
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		close(fd);
		errno = ELOOP;
		return diag_set(err, "%s: '%s' is a symbolic link: refusing to follow it", shown, name);
	}
	return fd;
}

/*
 * Walks path below r->fd: the first n components as directories, the next
 * one (when there is one) with flags. The root descriptor is never closed.
 * With from set, r->fd is already the directory path[0..start) (its '/'
 * at path[start]; "/" for start 0), checked when it was opened: the walk
 * goes on from there without checking it again.
 */
static int walk(const struct pw_root *r, const char *path, size_t start, bool from, size_t n, int flags,
		pw_check_fn *check, struct diag *err)
{
	char name[256];
	const char *p = path + start + 1;
	int dfd = r->fd, fd;

	if (check && !from && check(dfd, path, "/", err))
		return -1;
	for (size_t i = 0; *p; i++) {
		size_t len = strcspn(p, "/");

		if (i == n)
			break;
		if (len >= sizeof(name)) {
			errno = ENAMETOOLONG;
			fd = diag_set(err, "%s: a component is too long", path);
		} else {
			memcpy(name, p, len);
			name[len] = '\0';
			fd = pw_open_at(dfd, name, p[len] ? O_PATH | O_DIRECTORY : flags, path, err);
		}
		if (dfd != r->fd)
			close(dfd);
		if (fd < 0)
			return -1;
		dfd = fd;
		if (check && p[len] && check(dfd, path, name, err)) {
			close(dfd);
			return -1;
		}
		p += len + (p[len] ? 1 : 0);
	}
	if (dfd == r->fd && (dfd = openat(r->fd, ".", flags | O_CLOEXEC)) < 0)
		return diag_errno(err, "cannot open %s", path);
	return dfd;
}

int pw_open_checked(const struct pw_root *r, const char *path, int flags, pw_check_fn *check,
		    struct diag *err)
{
	if (!pw_clean(path)) {
		errno = EINVAL;
		return diag_set(err, "%s: not a clean absolute path", path);
	}
	return walk(r, path, 0, false, (size_t)-1, flags, check, err);
}

int pw_open_checked_from(const struct pw_root *r, const char *path, size_t start, int flags,
			 pw_check_fn *check, struct diag *err)
{
	if (!pw_clean(path) || start >= strlen(path) || path[start] != '/') {
		errno = EINVAL;
		return diag_set(err, "%s: not a clean absolute path below its first %zu bytes", path, start);
	}
	return walk(r, path, start, true, (size_t)-1, flags, check, err);
}

int pw_open(const struct pw_root *r, const char *path, int flags, struct diag *err)
{
	return pw_open_checked(r, path, flags, NULL, err);
}

int pw_open_parent(const struct pw_root *r, const char *path, const char **last, struct diag *err)
{
	size_t n = 0;

	if (!pw_clean(path) || !strcmp(path, "/")) {
		errno = EINVAL;
		return diag_set(err, "%s: not a clean absolute path below /", path);
	}
	for (const char *p = path; *p; p++)
		n += *p == '/';
	*last = strrchr(path, '/') + 1;
	return walk(r, path, 0, false, n - 1, O_PATH | O_DIRECTORY, NULL, err);
}

int pw_where(const struct pw_root *r, int fd, char *buf, size_t len, struct diag *err)
{
	char link[PW_FDPATH_MAX], target[4096];
	size_t plen = strlen(r->prefix);
	ssize_t n = readlink(pw_fdpath(fd, link), target, sizeof(target) - 1);

	if (n < 0)
		return diag_errno(err, "cannot tell where descriptor %d is", fd);
	target[n] = '\0';
	/* unreachable from our root, or removed since it was opened */
	if (target[0] != '/' || strstr(target, " (deleted)") || (plen && !pw_under(target, r->prefix)))
		return diag_set(err, "%s is not below %s any more", target, plen ? r->prefix : "/");
	if ((size_t)snprintf(buf, len, "%s", target[plen] ? target + plen : "/") >= len)
		return diag_set(err, "%s: path too long", target);
	return 0;
}
