// SPDX-License-Identifier: GPL-3.0-only
/* Difference-based application of mount profiles (mount_profile.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "mount_profile.h"
#include "sc_log.h"

/* a is b or below it */
static bool path_under(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (!strcmp(b, "/"))
		return true;
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/');
}

/* may a new directory entry be created in dir without writing to the host? */
static bool creatable_in(const struct mount_profile_ctx *c, const char *dir, bool *needs_mimic)
{
	char own[PATH_MAX];
	struct statvfs vfs;

	*needs_mimic = false;
	snprintf(own, sizeof(own), "/var/snap/%s", c->snap);
	if (path_under(dir, own) || path_under(dir, "/tmp"))
		return true;
	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		*needs_mimic = true; /* the base or the snap's squashfs: a tmpfs copy takes the write */
		return true;
	}
	snprintf(own, sizeof(own), "/snap/%s", c->snap);
	return path_under(dir, own);
}

/* opens path with O_PATH, refusing symbolic links on the way */
static int open_nofollow(const char *path, int flags, struct diag *err)
{
	char *copy = strdup(path), *comp, *next;
	int dfd, fd;

	if (!copy)
		return diag_set(err, "%s: out of memory", path);
	dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		free(copy);
		return diag_errno(err, "cannot open /");
	}
	if (!strcmp(path, "/")) {
		free(copy);
		return dfd;
	}
	for (comp = copy + 1;; comp = next + 1) {
		next = strchr(comp, '/');
		if (next)
			*next = '\0';
		fd = openat(dfd, comp, (next ? O_PATH | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			struct stat st;

			if (fstatat(dfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
			    (next || !(flags & O_PATH))) {
				close(dfd);
				free(copy);
				return diag_set(err, "%s: '%s' is a symbolic link: refusing to follow it", path, comp);
			}
			close(dfd);
			free(copy);
			errno = e;
			return diag_errno(err, "cannot open %s", path);
		}
		close(dfd);
		dfd = fd;
		if (!next)
			break;
	}
	free(copy);
	return dfd;
}

static int proc_fd_path(int fd, char *buf, size_t len)
{
	return snprintf(buf, len, "/proc/self/fd/%d", fd) < (int)len ? 0 : -1;
}

static int parent_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash == path ? 1 : (size_t)(slash - path);

	if (n >= len)
		return -1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

/* replaces the read-only directory dir with a tmpfs holding the same entries */
static int make_mimic(const char *dir, const char *needed_by, struct fstab *applied, struct diag *err)
{
	char save[] = "/tmp/.snap-mimic.XXXXXX", from[PATH_MAX + NAME_MAX + 2], to[PATH_MAX + NAME_MAX + 2];
	char data[128], opts[PATH_MAX + 200];
	struct stat st;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return diag_errno(err, "cannot inspect %s for a writable mimic", dir);
	if (!mkdtemp(save))
		return diag_errno(err, "cannot create a directory for the mimic of %s", dir);
	if (mount(dir, save, NULL, MS_BIND | MS_REC, NULL) < 0) {
		diag_errno(err, "cannot keep a view of %s", dir);
		rmdir(save);
		return -1;
	}
	snprintf(data, sizeof(data), "mode=%04o,uid=%u,gid=%u", (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
		 (unsigned)st.st_gid);
	if (mount("tmpfs", dir, "tmpfs", 0, data) < 0) {
		diag_errno(err, "cannot mount the writable mimic on %s", dir);
		goto out;
	}
	d = opendir(save);
	if (!d) {
		diag_errno(err, "cannot list %s", dir);
		goto out;
	}
	while ((de = readdir(d))) {
		struct stat es;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(from, sizeof(from), "%s/%s", save, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, de->d_name);
		if (lstat(from, &es) < 0)
			continue;
		if (S_ISLNK(es.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(from, target, sizeof(target) - 1);

			if (n < 0)
				continue;
			target[n] = '\0';
			if (symlink(target, to) < 0)
				goto list_fail;
			continue;
		}
		if (S_ISDIR(es.st_mode) ? mkdir(to, es.st_mode & 07777) < 0
					: mknod(to, S_IFREG | (es.st_mode & 07777), 0) < 0)
			goto list_fail;
		if (lchown(to, es.st_uid, es.st_gid) < 0 || mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0)
			goto list_fail;
	}
	closedir(d);
	snprintf(opts, sizeof(opts), "x-snapd.synthetic,x-snapd.needed-by=%s,%s", needed_by, data);
	{
		struct fstab_entry e = {
			.fsname = (char *)"tmpfs", .dir = (char *)dir, .type = (char *)"tmpfs", .opts = opts,
			.synthetic = true, .needed_by = (char *)needed_by,
		};

		if (fstab_append(applied, &e)) {
			diag_set(err, "out of memory");
			goto out;
		}
	}
	sc_debug("writable mimic on %s (for %s)", dir, needed_by);
	rc = 0;
	goto out;
list_fail:
	diag_errno(err, "cannot replicate %s in the mimic of %s", from, dir);
	closedir(d);
	umount2(dir, MNT_DETACH);
out:
	umount2(save, MNT_DETACH);
	rmdir(save);
	return rc;
}

/* creates path (a directory, a file or a symlink) and its missing parents */
static int create_path(const struct mount_profile_ctx *c, const char *path, mode_t type, const char *link_target,
		       const struct fstab_entry *e, struct fstab *applied, struct diag *err)
{
	char parent[PATH_MAX];
	struct stat st;
	bool mimic;
	mode_t mode = e->has_mode ? e->mode : (type == S_IFDIR ? 0755 : 0644);
	int rc;

	if (parent_of(path, parent, sizeof(parent)))
		return diag_set(err, "%s: path too long", path);
	if (lstat(parent, &st) < 0) {
		struct fstab_entry plain = *e;

		if (errno != ENOENT)
			return diag_errno(err, "cannot inspect %s", parent);
		plain.has_mode = false;
		if (create_path(c, parent, S_IFDIR, NULL, &plain, applied, err))
			return -1;
	} else if (S_ISLNK(st.st_mode)) {
		return diag_set(err, "%s is a symbolic link: refusing to create %s through it", parent, path);
	}
	if (!creatable_in(c, parent, &mimic))
		return diag_set(err, "cannot create %s: it would write to the host outside the snap's areas", path);
	if (mimic && make_mimic(parent, e->dir, applied, err))
		return -1;
	if (type == S_IFDIR)
		rc = mkdir(path, mode);
	else if (type == S_IFLNK)
		rc = symlink(link_target, path);
	else
		rc = mknod(path, S_IFREG | mode, 0);
	if (rc < 0)
		return diag_errno(err, "cannot create %s", path);
	if (type != S_IFLNK && (e->has_uid || e->has_gid) &&
	    lchown(path, e->has_uid ? e->uid : (uid_t)-1, e->has_gid ? e->gid : (gid_t)-1) < 0)
		return diag_errno(err, "cannot change the owner of %s", path);
	sc_debug("created %s", path);
	return 0;
}

static int apply_one(const struct mount_profile_ctx *c, const struct fstab_entry *e, struct fstab *applied,
		     bool *skipped, struct diag *err)
{
	char src[64], dst[64];
	struct stat st, sst;
	mode_t want;
	int sfd = -1, dfd = -1, rc = -1;

	*skipped = false;
	if (e->kind == FSTAB_SYMLINK) {
		if (lstat(e->dir, &st) == 0) {
			char cur[PATH_MAX];
			ssize_t n = readlink(e->dir, cur, sizeof(cur) - 1);

			if (n >= 0 && (cur[n] = '\0', !strcmp(cur, e->symlink)))
				return 0;
			return diag_set(err, "cannot create the symlink %s: something else is there", e->dir);
		}
		return create_path(c, e->dir, S_IFLNK, e->symlink, e, applied, err);
	}
	if (e->kind == FSTAB_ENSURE_DIR) {
		if (lstat(e->dir, &st) == 0)
			return S_ISDIR(st.st_mode) ? 0 : diag_set(err, "%s exists and is not a directory", e->dir);
		return create_path(c, e->dir, S_IFDIR, NULL, e, applied, err);
	}
	/* a mount: bind/rbind of a path, or a file system */
	want = S_IFDIR;
	if (e->flags & MS_BIND) {
		sfd = open_nofollow(e->fsname, O_PATH, err);
		if (sfd < 0) {
			if (e->ignore_missing && errno == ENOENT) {
				sc_debug("%s is missing: entry ignored (x-snapd.ignore-missing)", e->fsname);
				*skipped = true;
				return 0;
			}
			return -1;
		}
		if (fstat(sfd, &sst) < 0) {
			diag_errno(err, "cannot inspect %s", e->fsname);
			goto out;
		}
		want = S_ISDIR(sst.st_mode) ? S_IFDIR : S_IFREG;
		if (e->kind == FSTAB_FILE && want != S_IFREG) {
			diag_set(err, "%s is not a file (x-snapd.kind=file)", e->fsname);
			goto out;
		}
	}
	if (lstat(e->dir, &st) < 0) {
		if (errno != ENOENT) {
			diag_errno(err, "cannot inspect %s", e->dir);
			goto out;
		}
		if (e->ignore_missing) {
			sc_debug("%s is missing: entry ignored (x-snapd.ignore-missing)", e->dir);
			*skipped = true;
			rc = 0;
			goto out;
		}
		if (create_path(c, e->dir, want, NULL, e, applied, err))
			goto out;
	} else if ((st.st_mode & S_IFMT) != want) {
		diag_set(err, "%s exists but is not a %s", e->dir, want == S_IFDIR ? "directory" : "file");
		goto out;
	}
	dfd = open_nofollow(e->dir, O_PATH, err);
	if (dfd < 0)
		goto out;
	proc_fd_path(dfd, dst, sizeof(dst));
	if (e->flags & MS_BIND) {
		proc_fd_path(sfd, src, sizeof(src));
		if (mount(src, dst, NULL, MS_BIND | (e->flags & MS_REC), NULL) < 0) {
			diag_errno(err, "cannot bind %s onto %s", e->fsname, e->dir);
			goto out;
		}
		if (e->flags & (MS_RDONLY | MS_NODEV | MS_NOSUID | MS_NOEXEC)) {
			/* the mount is new: reach it by path again, the fd still names the old one */
			if (mount("none", e->dir, NULL,
				  MS_REMOUNT | MS_BIND | (e->flags & (MS_RDONLY | MS_NODEV | MS_NOSUID | MS_NOEXEC)),
				  NULL) < 0) {
				diag_errno(err, "cannot remount %s with its flags", e->dir);
				umount2(e->dir, MNT_DETACH);
				goto out;
			}
		}
	} else if (mount(e->fsname, dst, e->type, e->flags & ~(MS_BIND | MS_REC), e->data) < 0) {
		diag_errno(err, "cannot mount %s (%s) on %s", e->fsname, e->type, e->dir);
		goto out;
	}
	if (e->propagation && mount(NULL, e->dir, NULL, e->propagation, NULL) < 0) {
		diag_errno(err, "cannot change the propagation of %s", e->dir);
		umount2(e->dir, MNT_DETACH);
		goto out;
	}
	sc_debug("mounted %s on %s (%s)", e->fsname, e->dir, e->opts);
	rc = 0;
out:
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

static int undo_one(const struct fstab_entry *e, struct diag *err)
{
	struct stat st;

	if (e->kind == FSTAB_ENSURE_DIR)
		return 0; /* "ensure": the directory stays */
	if (e->kind == FSTAB_SYMLINK) {
		if (lstat(e->dir, &st) == 0 && S_ISLNK(st.st_mode) && unlink(e->dir) < 0)
			return diag_errno(err, "cannot remove the symlink %s", e->dir);
		return 0;
	}
	if (umount2(e->dir, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
		return diag_errno(err, "cannot unmount %s", e->dir);
	sc_debug("unmounted %s", e->dir);
	return 0;
}

static bool in_profile(const struct fstab *f, const struct fstab_entry *e)
{
	for (size_t i = 0; i < f->n; i++)
		if (fstab_entry_equal(&f->e[i], e))
			return true;
	return false;
}

int mount_profile_apply(const struct mount_profile_ctx *c, const struct fstab *desired, const struct fstab *current,
			struct fstab *applied, struct diag *err)
{
	bool *keep = calloc(current->n + 1, sizeof(*keep));
	size_t i, j;
	int rc = -1;

	memset(applied, 0, sizeof(*applied));
	if (!keep)
		return diag_set(err, "out of memory");
	/* what stays: unchanged entries not below something that goes */
	for (i = 0; i < current->n; i++) {
		const struct fstab_entry *e = &current->e[i];

		if (e->synthetic) {
			/* a mimic stays while an entry that needed it stays (decided below) */
			keep[i] = true;
			continue;
		}
		keep[i] = in_profile(desired, e);
	}
	for (i = 0; i < current->n; i++)
		if (!keep[i] && !current->e[i].synthetic)
			for (j = i + 1; j < current->n; j++)
				if (path_under(current->e[j].dir, current->e[i].dir))
					keep[j] = false;
	for (i = 0; i < current->n; i++) {
		const struct fstab_entry *e = &current->e[i];
		bool needed = false;

		if (!e->synthetic)
			continue;
		for (j = 0; j < current->n; j++)
			if (keep[j] && !current->e[j].synthetic && e->needed_by &&
			    path_under(current->e[j].dir, e->dir))
				needed = true;
		keep[i] = needed;
	}
	/* undo in reverse order */
	for (i = current->n; i-- > 0;)
		if (!keep[i] && undo_one(&current->e[i], err))
			goto record_all;
	for (i = 0; i < current->n; i++)
		if (keep[i] && fstab_append(applied, &current->e[i]))
			goto oom;
	/* then apply what is new, in order */
	for (i = 0; i < desired->n; i++) {
		const struct fstab_entry *e = &desired->e[i];
		bool skipped, kept = false;

		for (j = 0; j < applied->n; j++)
			if (fstab_entry_equal(&applied->e[j], e))
				kept = true;
		if (kept)
			continue;
		if (apply_one(c, e, applied, &skipped, err))
			goto out;
		if (!skipped && fstab_append(applied, e))
			goto oom;
	}
	rc = 0;
	goto out;
record_all:
	/* an undo failed: everything that was there is still considered applied */
	fstab_free(applied);
	for (i = 0; i < current->n; i++)
		if (fstab_append(applied, &current->e[i]))
			goto oom;
	goto out;
oom:
	diag_set(err, "out of memory");
	rc = -1;
out:
	free(keep);
	return rc;
}
