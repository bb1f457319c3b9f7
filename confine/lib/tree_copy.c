// SPDX-License-Identifier: GPL-3.0-only
/* Trees copied and removed by root through descriptors, never following a link. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree_copy.h"

/* deeper than this is refused: the walk recurses */
#define TREE_MAX_DEPTH 128

/* owner, mode and times of st onto fd */
static int keep_attrs(int fd, const struct stat *st, const char *name, int plain, struct diag *err)
{
	const struct timespec t[2] = { st->st_atim, st->st_mtim };

	if (plain)
		return 0;
	if (fchown(fd, st->st_uid, st->st_gid) < 0 || fchmod(fd, st->st_mode & 07777) < 0 ||
	    futimens(fd, t) < 0)
		return diag_errno(err, "cannot keep the owner, mode and times of %s", name);
	return 0;
}

static int copy_file(int sfd, int dfd, const char *name, const struct stat *st, int plain, struct diag *err)
{
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), out = -1, rc = -1;
	struct stat now;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return diag_errno(err, "cannot open %s", name);
	/* the file listed, still: not a FIFO or a device swapped in since */
	if (fstat(in, &now) < 0 || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino ||
	    now.st_dev != st->st_dev) {
		diag_set(err, "%s changed while it was copied", name);
		goto out;
	}
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		diag_errno(err, "cannot create %s", name);
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				diag_errno(err, "cannot write %s", name);
				goto out;
			}
	if (n < 0) {
		diag_errno(err, "cannot read %s", name);
		goto out;
	}
	rc = keep_attrs(out, &now, name, plain, err);
out:
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}

static int copy_link(int sfd, int dfd, const char *name, const struct stat *st, struct diag *err)
{
	char target[4096];
	ssize_t n = readlinkat(sfd, name, target, sizeof(target) - 1);
	const struct timespec t[2] = { st->st_atim, st->st_mtim };

	if (n < 0)
		return diag_errno(err, "cannot read the link %s", name);
	target[n] = '\0';
	if (symlinkat(target, dfd, name) < 0)
		return diag_errno(err, "cannot create the link %s", name);
	if (fchownat(dfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    utimensat(dfd, name, t, AT_SYMLINK_NOFOLLOW) < 0)
		return diag_errno(err, "cannot keep the owner and times of the link %s", name);
	return 0;
}

static int copy_dir(int sfd, int dfd, int depth, int plain, struct diag *err);

static int copy_entry(int sfd, int dfd, const char *name, int depth, int plain, struct diag *err)
{
	struct stat st;
	int s, d, rc;

	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return diag_errno(err, "cannot stat %s", name);
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		return copy_file(sfd, dfd, name, &st, plain, err);
	case S_IFLNK:
		return plain ? 0 : copy_link(sfd, dfd, name, &st, err);
	case S_IFIFO:
		if (plain)
			return 0;
		if (mknodat(dfd, name, S_IFIFO | 0600, 0) < 0)
			return diag_errno(err, "cannot create the FIFO %s", name);
		/* (the new directory is root's and 0700 until it is done: nobody swaps the name) */
		return fchownat(dfd, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
				       fchmodat(dfd, name, st.st_mode & 07777, 0) < 0
			       ? diag_errno(err, "cannot keep the owner and mode of %s", name)
			       : 0;
	case S_IFDIR:
		break;
	default:
		return 0; /* sockets and device nodes: not data */
	}
	if (depth >= TREE_MAX_DEPTH)
		return diag_set(err, "%s: more than %d directories deep", name, TREE_MAX_DEPTH);
	if (mkdirat(dfd, name, 0700) < 0)
		return diag_errno(err, "cannot create %s", name);
	s = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = s < 0 || d < 0 ? diag_errno(err, "cannot open %s", name) : copy_dir(s, d, depth + 1, plain, err);
	/* the directory's own attributes last: a read-only one is filled first */
	if (!rc) {
		struct stat now;

		rc = fstat(s, &now) < 0 || now.st_ino != st.st_ino
			     ? diag_set(err, "%s changed while it was copied", name)
			     : keep_attrs(d, &st, name, plain, err);
	}
	if (s >= 0)
		close(s);
	if (d >= 0)
		close(d);
	return rc;
}

static int copy_dir(int sfd, int dfd, int depth, int plain, struct diag *err)
{
	int fd = dup(sfd), rc = 0;
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return diag_errno(err, "cannot list a directory");
	}
	while (!rc && (errno = 0, de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = copy_entry(sfd, dfd, de->d_name, depth, plain, err);
	if (!rc && errno)
		rc = diag_errno(err, "cannot list a directory");
	closedir(dir);
	return rc;
}

int tree_copy(int src_dirfd, const char *src_name, int dst_dirfd, const char *dst_name, unsigned flags,
	      struct diag *err)
{
	int plain = !!(flags & TREE_COPY_PLAIN);
	struct stat st;
	int s = openat(src_dirfd, src_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), d = -1, rc = -1;
	struct diag ignored;

	if (s < 0)
		return diag_errno(err, "cannot open %s", src_name);
	if (fstat(s, &st) < 0) {
		diag_errno(err, "cannot stat %s", src_name);
		goto out;
	}
	if (mkdirat(dst_dirfd, dst_name, 0700) < 0) {
		diag_errno(err, "cannot create %s", dst_name);
		goto out;
	}
	d = openat(dst_dirfd, dst_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		diag_errno(err, "cannot open %s", dst_name);
	} else if (!copy_dir(s, d, 1, plain, err) && !keep_attrs(d, &st, dst_name, plain, err)) {
		rc = 0;
	}
	if (rc)
		tree_remove(dst_dirfd, dst_name, &ignored); /* not half a copy */
out:
	if (d >= 0)
		close(d);
	close(s);
	return rc;
}

int tree_remove(int dirfd, const char *name, struct diag *err)
{
	struct stat st;
	int fd, rc = 0;
	DIR *dir;
	struct dirent *de;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : diag_errno(err, "cannot stat %s", name);
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 ? diag_errno(err, "cannot remove %s", name) : 0;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(err, "cannot open %s", name);
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return diag_errno(err, "cannot list %s", name);
	}
	while (!rc && (de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = tree_remove(fd, de->d_name, err);
	closedir(dir);
	if (!rc && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		rc = diag_errno(err, "cannot remove %s", name);
	return rc;
}
