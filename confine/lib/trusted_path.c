// SPDX-License-Identifier: GPL-3.0-only
/* Trusted file opening (trusted_path.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "trusted_path.h"

static int check_owner(const char *path, const char *what, const struct stat *st, struct diag *err)
{
	if (st->st_uid != 0 || st->st_gid != 0)
		return diag_set(err, "%s: %s is owned by %u:%u, not root:root", path, what, (unsigned)st->st_uid,
				(unsigned)st->st_gid);
	if (st->st_mode & (S_IWOTH | S_IWGRP))
		return diag_set(err, "%s: %s is writable by %s (mode %04o)", path, what,
				st->st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st->st_mode & 07777));
	return 0;
}

int trusted_open(const char *path, struct diag *err)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), fd;

	if (root < 0)
		return diag_errno(err, "%s: cannot open /", path);
	fd = trusted_open_below(root, path, err);
	close(root);
	return fd;
}

int trusted_open_below(int root, const char *path, struct diag *err)
{
	char *copy, *comp, *next;
	struct stat st;
	int dfd = -1, fd = -1;

	if (path[0] != '/')
		return diag_set(err, "%s: not an absolute path", path);
	copy = strdup(path);
	if (!copy)
		return diag_set(err, "%s: out of memory", path);
	dfd = fcntl(root, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0 || fstat(dfd, &st) < 0) {
		diag_errno(err, "%s: cannot open /", path);
		goto fail;
	}
	if (check_owner(path, "directory /", &st, err))
		goto fail;
	comp = copy + 1;
	for (;;) {
		next = strchr(comp, '/');
		if (next)
			*next = '\0';
		if (*comp == '\0' || !strcmp(comp, ".") || !strcmp(comp, "..")) {
			diag_set(err, "%s: empty, '.' or '..' component", path);
			goto fail;
		}
		if (!next)
			break;
		fd = openat(dfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ELOOP || errno == ENOTDIR) {
				struct stat lst;

				if (fstatat(dfd, comp, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode)) {
					diag_set(err, "%s: component '%s' is a symbolic link", path, comp);
					goto fail;
				}
			}
			diag_errno(err, "%s: cannot open directory '%s'", path, comp);
			goto fail;
		}
		close(dfd);
		dfd = fd;
		fd = -1;
		if (fstat(dfd, &st) < 0) {
			diag_errno(err, "%s: cannot inspect '%s'", path, comp);
			goto fail;
		}
		if (check_owner(path, "directory", &st, err))
			goto fail;
		comp = next + 1;
	}
	fd = openat(dfd, comp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			diag_set(err, "%s: is a symbolic link", path);
		else
			diag_errno(err, "cannot open %s", path);
		goto fail;
	}
	if (fstat(fd, &st) < 0) {
		diag_errno(err, "cannot inspect %s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_set(err, "%s: not a regular file", path);
		goto fail;
	}
	if (check_owner(path, "the file", &st, err))
		goto fail;
	close(dfd);
	free(copy);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return -1;
}

int trusted_read(const char *path, size_t max, char **buf, size_t *len, struct diag *err)
{
	int fd = trusted_open(path, err);
	int rc;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	rc = fd_read_all(fd, path, max, buf, len, err);
	close(fd);
	return rc;
}
