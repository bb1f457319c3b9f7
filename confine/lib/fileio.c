// SPDX-License-Identifier: GPL-3.0-only
/* Whole-file reads and atomic writes (fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

int fd_read_all(int fd, const char *name, size_t max, char **buf, size_t *len, struct diag *err)
{
	return fd_read_all_sized(fd, name, 0, max, buf, len, err);
}

int fd_read_all_sized(int fd, const char *name, off_t size, size_t max, char **buf, size_t *len,
		      struct diag *err)
{
	size_t cap = max < 4096 ? max + 1 : 4096, n = 0;
	char *b;

	*buf = NULL;
	*len = 0;
	/*
	 * the buffer: the file's size and one byte (for the read that sees
	 * the end), so the launcher's small files take what they hold of its
	 * bump allocator, not 4 KiB each (a page fault each), and a larger
	 * one is read at once. A file that grows meanwhile is read as it
	 * grows; without a size (0: unknown, or procfs's), 4 KiB to start.
	 */
	if (size > 0 && (uintmax_t)size <= max)
		cap = (size_t)size + 1;
	b = malloc(cap + 1);
	if (!b)
		return diag_set(err, "%s: out of memory", name);
	for (;;) {
		ssize_t r;
		size_t want;

		if (n == cap) {
			char *nb;

			if (cap > max)
				break; /* max + 1 bytes read: too big */
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return diag_set(err, "%s: out of memory", name);
			}
			b = nb;
		}
		want = cap - n;
		r = read(fd, b + n, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			diag_errno(err, "cannot read %s", name);
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		/* a regular file (a size given) reads short only at its end: no read to see it */
		if (size > 0 && (size_t)r < want)
			break;
	}
	if (n > max) {
		free(b);
		return diag_set(err, "%s: larger than %zu bytes", name, max);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int file_read_all(const char *path, size_t max, char **buf, size_t *len, struct diag *err)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC); /* (not open: musl adds an fcntl) */
	int rc;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return diag_errno(err, "cannot open %s", path);
	rc = fd_read_all(fd, path, max, buf, len, err);
	close(fd);
	return rc;
}

int file_write_atomic(const char *path, const void *buf, size_t len, unsigned mode, struct diag *err)
{
	char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;
	const char *dir, *base;
	const char *p = buf;
	int fd = -1, dfd = -1, rc = -1;
	size_t done = 0;

	if (!dcopy || !bcopy) {
		diag_set(err, "%s: out of memory", path);
		goto out;
	}
	dir = dirname(dcopy);
	base = basename(bcopy);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		diag_set(err, "%s: out of memory", path);
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		diag_errno(err, "cannot create a temporary file for %s", path);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, mode) < 0) {
		diag_errno(err, "cannot set the mode of %s", tmp);
		goto out;
	}
	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			diag_errno(err, "cannot write %s", tmp);
			goto out;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0) {
		diag_errno(err, "cannot sync %s", tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		diag_errno(err, "cannot close %s", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		diag_errno(err, "cannot rename %s to %s", tmp, path);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* make the rename itself durable */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dcopy);
	free(bcopy);
	return rc;
}

int dir_make_all(const char *path, unsigned mode)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* the directory or its parent there already (the usual case): one mkdir */
	if (mkdir(buf, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	for (char *s = buf + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(buf, mode) < 0 && errno != EEXIST ? -1 : 0;
}

int link_replace(const char *path, const char *target, struct diag *err)
{
	const char *base = strrchr(path, '/');
	char tmp[4096];
	int dl;

	base = base ? base + 1 : path;
	dl = (int)(base - path);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.new", dl, path, base) >= sizeof(tmp))
		return diag_set(err, "%s: path too long", path);
	unlink(tmp);
	if (symlink(target, tmp) < 0 || rename(tmp, path) < 0) {
		diag_errno(err, "cannot point %s at %s", path, target);
		unlink(tmp);
		return -1;
	}
	return 0;
}
