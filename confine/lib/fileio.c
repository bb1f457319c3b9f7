// SPDX-License-Identifier: GPL-3.0-only
/* Whole-file reads and atomic writes (fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

int file_read_all(const char *path, size_t max, char **buf, size_t *len, struct diag *err)
{
	size_t cap = 4096, n = 0;
	char *b;
	int fd;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(err, "cannot open %s", path);
	b = malloc(cap + 1);
	if (!b) {
		close(fd);
		return diag_set(err, "%s: out of memory", path);
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > max) {
				free(b);
				close(fd);
				return diag_set(err, "%s: larger than %zu bytes", path, max);
			}
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				close(fd);
				return diag_set(err, "%s: out of memory", path);
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			diag_errno(err, "cannot read %s", path);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(b);
		return diag_set(err, "%s: larger than %zu bytes", path, max);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
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
