// SPDX-License-Identifier: GPL-3.0-only
/* Trusted file opening (trusted_path.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "path_walk.h"
#include "trusted_path.h"

static int check_owner(const char *path, const char *what, const char *name, const struct stat *st,
		       struct diag *err)
{
	if (st->st_uid != 0 || st->st_gid != 0)
		return diag_set(err, "%s: %s %s is owned by %u:%u, not root:root", path, what, name,
				(unsigned)st->st_uid, (unsigned)st->st_gid);
	if (st->st_mode & (S_IWOTH | S_IWGRP))
		return diag_set(err, "%s: %s %s is writable by %s (mode %04o)", path, what, name,
				st->st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st->st_mode & 07777));
	return 0;
}

static int check_dir(int dfd, const char *path, const char *name, struct diag *err)
{
	struct stat st;

	if (fstat(dfd, &st) < 0)
		return diag_errno(err, "%s: cannot inspect the directory %s", path, name);
	return check_owner(path, "the directory", name, &st, err);
}

/* "/", opened and checked by the first trusted_hold, for all of them */
static int held_root = -1;
/* the directories trusted_hold opened and checked */
static struct {
	bool used;
	int fd;
	char path[64];
} held[TRUSTED_HOLD_MAX];

/* the regular file fd, just opened at path: a root-owned file nobody else writes (*st), or closed */
static int check_file(int fd, const char *path, struct stat *st, struct diag *err);

static int open_below(int root, const char *path, struct stat *st, struct diag *err);

/* trusted_open, with the file's fstat in *st */
static int open_stat(const char *path, struct stat *st, struct diag *err)
{
	int root, fd;

	for (size_t i = 0; i < TRUSTED_HOLD_MAX; i++) {
		size_t n = strlen(held[i].path);

		if (held[i].used && pw_under(path, held[i].path) && path[n]) {
			struct pw_root r = { .fd = held[i].fd, .prefix = held[i].path };

			fd = pw_open_checked_from(&r, path, n, O_RDONLY | O_NOCTTY | O_NONBLOCK, check_dir,
						  err);
			return fd < 0 ? -1 : check_file(fd, path, st, err);
		}
	}
	/* openat: musl's open adds an fcntl for O_CLOEXEC (for kernels before 2.6.23) */
	root = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return diag_errno(err, "%s: cannot open /", path);
	fd = open_below(root, path, st, err);
	close(root);
	return fd;
}

int trusted_open(const char *path, struct diag *err)
{
	struct stat st;

	return open_stat(path, &st, err);
}

void trusted_hold(const char *dir)
{
	struct pw_root r = { .fd = -1, .prefix = "" };
	struct diag err;
	size_t i = 0;
	int fd;

	while (i < TRUSTED_HOLD_MAX && held[i].used)
		i++;
	if (i == TRUSTED_HOLD_MAX || strlen(dir) >= sizeof(held[i].path) || !strcmp(dir, "/"))
		return;
	if (held_root < 0) {
		held_root = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (held_root >= 0 && check_dir(held_root, dir, "/", &err)) {
			close(held_root);
			held_root = -1;
		}
		if (held_root < 0)
			return;
	}
	r.fd = held_root;
	fd = pw_open_checked_from(&r, dir, 0, O_PATH | O_DIRECTORY, check_dir, &err);
	/* the last component is opened, not yet checked: as each directory above it */
	if (fd >= 0 && check_dir(fd, dir, strrchr(dir, '/') + 1, &err)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return; /* the files below it are walked from / as before, failing the same way */
	held[i].used = true;
	held[i].fd = fd;
	snprintf(held[i].path, sizeof(held[i].path), "%s", dir);
}

void trusted_release(void)
{
	for (size_t i = 0; i < TRUSTED_HOLD_MAX; i++) {
		if (held[i].used)
			close(held[i].fd);
		held[i].used = false;
	}
	if (held_root >= 0)
		close(held_root);
	held_root = -1;
}

static int open_below(int root, const char *path, struct stat *st, struct diag *err)
{
	struct pw_root r = { .fd = root, .prefix = "" };
	int fd = pw_open_checked(&r, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, check_dir, err);

	return fd < 0 ? -1 : check_file(fd, path, st, err);
}

int trusted_open_below(int root, const char *path, struct diag *err)
{
	struct stat st;

	return open_below(root, path, &st, err);
}

static int check_file(int fd, const char *path, struct stat *st, struct diag *err)
{
	if (fstat(fd, st) < 0) {
		diag_errno(err, "cannot inspect %s", path);
	} else if (!S_ISREG(st->st_mode)) {
		diag_set(err, "%s: not a regular file", path);
	} else if (!check_owner(path, "the file", "", st, err)) {
		return fd;
	}
	close(fd);
	return -1;
}

int trusted_read(const char *path, size_t max, char **buf, size_t *len, struct diag *err)
{
	struct stat st;
	int fd = open_stat(path, &st, err);
	int rc;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	rc = fd_read_all_sized(fd, path, st.st_size, max, buf, len, err);
	close(fd);
	return rc;
}
