// SPDX-License-Identifier: GPL-3.0-only
/* Difference-based application of mount profiles, through descriptors (mount_profile.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "mount_profile.h"
#include "sc_log.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

enum mount_area mount_area_of(const char *snap, const char *where, bool rdonly, bool own_mount)
{
	char own[PATH_MAX];

	snprintf(own, sizeof(own), "/var/snap/%s", snap);
	if (pw_under(where, own) || pw_under(where, "/tmp") || own_mount)
		return MOUNT_AREA_OWN;
	if (rdonly)
		return MOUNT_AREA_MIMIC; /* the base or a snap's squashfs: a tmpfs copy takes the write */
	snprintf(own, sizeof(own), "/snap/%s", snap);
	return pw_under(where, own) ? MOUNT_AREA_OWN : MOUNT_AREA_HOST;
}

/*
 * A walk down a path: the directory reached so far, its parent (a mimic
 * is mounted on the directory and reached again from the parent) and its
 * path, which is where the directory really is (no link was followed).
 */
struct cursor {
	int pfd, dfd;
	char path[PATH_MAX];
};

static int cursor_start(const struct mount_profile_ctx *c, struct cursor *cur, struct diag *err)
{
	cur->pfd = -1;
	cur->dfd = fcntl(c->root.fd, F_DUPFD_CLOEXEC, 3);
	strcpy(cur->path, "/");
	return cur->dfd < 0 ? diag_errno(err, "cannot duplicate the root descriptor") : 0;
}

static void cursor_end(struct cursor *cur)
{
	if (cur->pfd >= 0)
		close(cur->pfd);
	if (cur->dfd >= 0)
		close(cur->dfd);
	cur->pfd = cur->dfd = -1;
}

static int join_path(char *buf, size_t len, const char *dir, const char *name)
{
	return (size_t)snprintf(buf, len, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name) < len ? 0 : -1;
}

/*
 * where is on a mount of this profile that is the snap's own: a tmpfs of
 * the profile (a mimic or a tmpfs mount; the directory's file system says
 * it is one), or an instance's own directory bound over the snap name's
 * (x-snapd.origin=overname; recorded only once the bind was verified)
 */
static bool on_own_mount(const struct fstab *applied, const char *where, bool tmpfs)
{
	for (size_t i = 0; i < applied->n; i++)
		if (((tmpfs && !strcmp(applied->e[i].type, "tmpfs")) || applied->e[i].overname) &&
		    pw_under(where, applied->e[i].dir))
			return true;
	return false;
}

/* replaces the read-only directory at the cursor with a tmpfs holding the same entries */
static int make_mimic(struct cursor *cur, const char *needed_by, struct fstab *applied, struct diag *err)
{
	char data[96], fp1[PW_FDPATH_MAX], fp2[PW_FDPATH_MAX];
	const char *name = strrchr(cur->path, '/') + 1;
	struct stat st, ts;
	struct statfs sfs;
	struct dirent *de;
	DIR *d = NULL;
	int list, tfd = -1, rc = -1;

	if (cur->pfd < 0)
		return diag_set(err, "cannot make a writable mimic of /");
	/* the entries are listed through a descriptor of the directory under the tmpfs */
	list = openat(cur->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (list < 0 || fstat(list, &st) < 0) {
		diag_errno(err, "cannot list %s for a writable mimic", cur->path);
		goto out;
	}
	snprintf(data, sizeof(data), "mode=%04o,uid=%u,gid=%u", (unsigned)(st.st_mode & 07777),
		 (unsigned)st.st_uid, (unsigned)st.st_gid);
	if (mount("tmpfs", pw_fdpath(cur->dfd, fp1), "tmpfs", 0, data) < 0) {
		diag_errno(err, "cannot mount the writable mimic on %s", cur->path);
		goto out;
	}
	tfd = pw_open_at(cur->pfd, name, O_PATH | O_DIRECTORY, cur->path, err);
	if (tfd < 0 || fstatfs(tfd, &sfs) < 0 || fstat(tfd, &ts) < 0 || sfs.f_type != TMPFS_MAGIC ||
	    ts.st_dev == st.st_dev) {
		if (tfd >= 0)
			diag_set(err, "%s: the writable mimic is not where it was mounted", cur->path);
		umount2(fp1, MNT_DETACH);
		goto out;
	}
	d = fdopendir(list);
	if (!d) {
		diag_errno(err, "cannot list %s", cur->path);
		goto undo;
	}
	list = -1;
	while ((de = readdir(d))) {
		struct stat es;
		int s = -1, t = -1, ok;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &es, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* gone since it was listed */
		if (S_ISLNK(es.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);

			if (n < 0)
				continue;
			target[n] = '\0';
			if (symlinkat(target, tfd, de->d_name) < 0 ||
			    fchownat(tfd, de->d_name, es.st_uid, es.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
				goto list_fail;
			continue;
		}
		if (S_ISDIR(es.st_mode)) {
			ok = mkdirat(tfd, de->d_name, es.st_mode & 07777) == 0;
		} else {
			t = openat(tfd, de->d_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				   es.st_mode & 07777);
			ok = t >= 0;
			if (t >= 0)
				close(t);
		}
		if (!ok || fchownat(tfd, de->d_name, es.st_uid, es.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			goto list_fail;
		/* the entry under the tmpfs, bound onto its stand-in */
		s = openat(dirfd(d), de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		t = openat(tfd, de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		ok = s >= 0 && t >= 0 &&
		     mount(pw_fdpath(s, fp1), pw_fdpath(t, fp2), NULL, MS_BIND | MS_REC, NULL) == 0;
		if (s >= 0)
			close(s);
		if (t >= 0)
			close(t);
		if (!ok)
			goto list_fail;
	}
	if (fstab_append_mimic(applied, cur->path, needed_by, data)) {
		diag_set(err, "out of memory");
		goto undo;
	}
	sc_debug("writable mimic on %s (for %s)", cur->path, needed_by);
	close(cur->dfd);
	cur->dfd = tfd;
	tfd = -1;
	rc = 0;
	goto out;
list_fail:
	diag_errno(err, "cannot replicate %s/%s in the mimic", cur->path, de->d_name);
undo:
	umount2(pw_fdpath(tfd, fp1), MNT_DETACH);
out:
	if (d)
		closedir(d);
	if (list >= 0)
		close(list);
	if (tfd >= 0)
		close(tfd);
	return rc;
}

/* may an entry be created in the directory at the cursor? A mimic is made where one is needed */
static int check_area(const struct mount_profile_ctx *c, struct cursor *cur, const char *what,
		      const char *needed_by, struct fstab *applied, struct diag *err)
{
	char where[PATH_MAX];
	struct statfs sfs;

	if (pw_where(&c->root, cur->dfd, where, sizeof(where), err))
		return -1;
	if (strcmp(where, cur->path))
		return diag_set(err, "cannot create %s: %s moved to %s while it was walked", what, cur->path,
				where);
	if (fstatfs(cur->dfd, &sfs) < 0)
		return diag_errno(err, "cannot inspect the file system of %s", where);
	switch (mount_area_of(c->snap, where, sfs.f_flags & ST_RDONLY,
			      on_own_mount(applied, where, sfs.f_type == TMPFS_MAGIC))) {
	case MOUNT_AREA_OWN:
		return 0;
	case MOUNT_AREA_MIMIC:
		return make_mimic(cur, needed_by, applied, err);
	default:
		return diag_set(err, "cannot create %s: it would write to the host outside the snap's areas",
				what);
	}
}

/* the attributes of what an entry creates */
struct make_attr {
	mode_t type, mode;
	const char *link_target;
	bool own; /* uid/gid of the entry */
};

/* creates name in the directory at the cursor: in the snap's areas only, through the descriptor */
static int make_in(const struct mount_profile_ctx *c, struct cursor *cur, const char *name,
		   const struct make_attr *a, const struct fstab_entry *e, struct fstab *applied,
		   struct diag *err)
{
	char shown[PATH_MAX], where[PATH_MAX];
	int rc, fd;

	if (join_path(shown, sizeof(shown), cur->path, name))
		return diag_set(err, "%s: path too long", e->dir);
	if (check_area(c, cur, shown, e->dir, applied, err))
		return -1;
	if (a->type == S_IFDIR) {
		rc = mkdirat(cur->dfd, name, a->mode);
		if (rc < 0 && errno == EEXIST)
			return 0; /* made meanwhile: the caller opens it without following a link */
	} else if (a->type == S_IFLNK) {
		rc = symlinkat(a->link_target, cur->dfd, name);
	} else {
		fd = openat(cur->dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, a->mode);
		rc = fd < 0 ? -1 : close(fd);
	}
	if (rc < 0)
		return diag_errno(err, "cannot create %s", shown);
	if (a->own && (e->has_uid || e->has_gid) &&
	    fchownat(cur->dfd, name, e->has_uid ? e->uid : (uid_t)-1, e->has_gid ? e->gid : (gid_t)-1,
		     AT_SYMLINK_NOFOLLOW) < 0) {
		diag_errno(err, "cannot change the owner of %s", shown);
		unlinkat(cur->dfd, name, a->type == S_IFDIR ? AT_REMOVEDIR : 0);
		return -1;
	}
	/* the directory was moved out of the area while the entry was made: take it back */
	if (pw_where(&c->root, cur->dfd, where, sizeof(where), err) ||
	    (strcmp(where, cur->path) && diag_set(err, "%s moved while %s was created", cur->path, shown))) {
		unlinkat(cur->dfd, name, a->type == S_IFDIR ? AT_REMOVEDIR : 0);
		return -1;
	}
	sc_debug("created %s", shown);
	return 0;
}

/* moves the cursor into the directory name, creating it when create (0755 or the entry's attributes) */
static int enter(const struct mount_profile_ctx *c, struct cursor *cur, const char *name, bool create,
		 bool last, const struct fstab_entry *e, struct fstab *applied, struct diag *err)
{
	char path[PATH_MAX];
	int fd;

	if (join_path(path, sizeof(path), cur->path, name))
		return diag_set(err, "%s: path too long", e->dir);
	fd = pw_open_at(cur->dfd, name, O_PATH | O_DIRECTORY, path, err);
	if (fd < 0 && errno == ENOENT && create) {
		struct make_attr a = {
			.type = S_IFDIR,
			/* below x-snapd.must-exist-dir: 0700, as snapd makes them */
			.mode = e->must_exist ? 0700 : last && e->has_mode ? e->mode : 0755,
			.own = true,
		};

		if (make_in(c, cur, name, &a, e, applied, err))
			return -1;
		fd = pw_open_at(cur->dfd, name, O_PATH | O_DIRECTORY, path, err);
	}
	if (fd < 0)
		return -1;
	if (cur->pfd >= 0)
		close(cur->pfd);
	cur->pfd = cur->dfd;
	cur->dfd = fd;
	strcpy(cur->path, path);
	return 0;
}

/*
 * walks on from the cursor (at path's first i bytes) to the directory path
 * (its first n bytes), creating what is missing when create; the cursor is
 * ended on failure
 */
static int walk_on(const struct mount_profile_ctx *c, struct cursor *cur, const char *path, size_t i, size_t n,
		   bool create, bool last_is_entry, const struct fstab_entry *e, struct fstab *applied,
		   struct diag *err)
{
	char name[NAME_MAX + 1];

	while (i < n) {
		size_t len = strcspn(path + i, "/");

		if (len > n - i)
			len = n - i;
		if (len > NAME_MAX) {
			cursor_end(cur);
			return diag_set(err, "%s: a component is too long", path);
		}
		memcpy(name, path + i, len);
		name[len] = '\0';
		i += len + 1;
		if (enter(c, cur, name, create, last_is_entry && i >= n, e, applied, err)) {
			cursor_end(cur);
			return -1;
		}
	}
	return 0;
}

/* walks to the directory path (its first n bytes), creating what is missing when create */
static int walk_to(const struct mount_profile_ctx *c, struct cursor *cur, const char *path, size_t n,
		   bool create, bool last_is_entry, const struct fstab_entry *e, struct fstab *applied,
		   struct diag *err)
{
	if (cursor_start(c, cur, err))
		return -1;
	return walk_on(c, cur, path, 1, n, create, last_is_entry, e, applied, err);
}

static int parent_len(const char *path)
{
	return (int)(strrchr(path, '/') - path);
}

static int apply_symlink(const struct mount_profile_ctx *c, const struct fstab_entry *e,
			 struct fstab *applied, struct diag *err)
{
	const char *name = strrchr(e->dir, '/') + 1;
	struct make_attr a = { .type = S_IFLNK, .link_target = e->symlink };
	struct cursor cur;
	struct stat st;
	int rc = -1;

	if (walk_to(c, &cur, e->dir, (size_t)parent_len(e->dir), true, false, e, applied, err))
		return -1;
	if (fstatat(cur.dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		char now[PATH_MAX];
		ssize_t n = readlinkat(cur.dfd, name, now, sizeof(now) - 1);

		if (n >= 0 && (now[n] = '\0', !strcmp(now, e->symlink)))
			rc = 0;
		else
			diag_set(err, "cannot create the symlink %s: something else is there", e->dir);
	} else {
		rc = make_in(c, &cur, name, &a, e, applied, err);
	}
	cursor_end(&cur);
	return rc;
}

static int apply_ensure_dir(const struct mount_profile_ctx *c, const struct fstab_entry *e,
			    struct fstab *applied, struct diag *err)
{
	struct cursor cur;
	size_t n = e->must_exist ? strlen(e->must_exist) : 0;

	/* x-snapd.must-exist-dir: that directory is not created, only what is below it */
	if (n && walk_to(c, &cur, e->dir, n, false, false, e, applied, err)) {
		if (errno == ENOENT)
			diag_set(err, "cannot create %s: %s does not exist (x-snapd.must-exist-dir)", e->dir,
				 e->must_exist);
		return -1;
	}
	if (n ? walk_on(c, &cur, e->dir, n > 1 ? n + 1 : 1, strlen(e->dir), true, true, e, applied, err)
	      : walk_to(c, &cur, e->dir, strlen(e->dir), true, true, e, applied, err))
		return -1;
	cursor_end(&cur);
	return 0;
}

/* a mount on e->dir: a bind of a path or a file system */
static int apply_mount(const struct mount_profile_ctx *c, const struct fstab_entry *e, struct fstab *applied,
		       bool *skipped, struct diag *err)
{
	const char *name = strrchr(e->dir, '/') + 1;
	char fp1[PW_FDPATH_MAX], fp2[PW_FDPATH_MAX];
	struct make_attr a = { .type = S_IFDIR, .own = true };
	struct stat sst, tst, nst;
	struct cursor cur = { .pfd = -1, .dfd = -1 };
	int sfd = -1, tfd = -1, nfd = -1, rc = -1;
	unsigned long flags = e->flags & (MS_RDONLY | MS_NODEV | MS_NOSUID | MS_NOEXEC);

	if (e->flags & MS_BIND) {
		sfd = pw_open(&c->root, e->fsname, O_PATH, err);
		if (sfd < 0) {
			if (e->ignore_missing && errno == ENOENT)
				goto skip;
			return -1;
		}
		if (fstat(sfd, &sst) < 0) {
			diag_errno(err, "cannot inspect %s", e->fsname);
			goto out;
		}
		a.type = S_ISDIR(sst.st_mode) ? S_IFDIR : S_IFREG;
		if (e->kind == FSTAB_FILE && a.type != S_IFREG) {
			diag_set(err, "%s is not a file (x-snapd.kind=file)", e->fsname);
			goto out;
		}
	}
	a.mode = e->has_mode ? e->mode : (a.type == S_IFDIR ? 0755 : 0644);
	if (!strcmp(e->dir, "/")) {
		diag_set(err, "cannot mount on /");
		goto out;
	}
	if (walk_to(c, &cur, e->dir, (size_t)parent_len(e->dir), !e->ignore_missing, false, e, applied,
		    err)) {
		if (e->ignore_missing && errno == ENOENT)
			goto skip;
		goto out;
	}
	tfd = pw_open_at(cur.dfd, name, O_PATH, e->dir, err);
	if (tfd < 0 && errno == ENOENT) {
		if (e->ignore_missing)
			goto skip;
		if (make_in(c, &cur, name, &a, e, applied, err))
			goto out;
		tfd = pw_open_at(cur.dfd, name, O_PATH, e->dir, err);
	}
	if (tfd < 0 || fstat(tfd, &tst) < 0)
		goto out;
	if ((tst.st_mode & S_IFMT) != a.type) {
		diag_set(err, "%s exists but is not a %s", e->dir, a.type == S_IFDIR ? "directory" : "file");
		goto out;
	}
	pw_fdpath(tfd, fp2);
	if (e->flags & MS_BIND) {
		if (mount(pw_fdpath(sfd, fp1), fp2, NULL, MS_BIND | (e->flags & MS_REC), NULL) < 0) {
			diag_errno(err, "cannot bind %s onto %s", e->fsname, e->dir);
			goto out;
		}
	} else if (mount(e->fsname, fp2, e->type, e->flags & ~(MS_BIND | MS_REC), e->data) < 0) {
		diag_errno(err, "cannot mount %s (%s) on %s", e->fsname, e->type, e->dir);
		goto out;
	}
	/* the new mount, reached from the parent: the bind's source, or a new file system */
	nfd = pw_open_at(cur.dfd, name, O_PATH, e->dir, err);
	if (nfd < 0 || fstat(nfd, &nst) < 0 ||
	    ((e->flags & MS_BIND) ? nst.st_dev != sst.st_dev || nst.st_ino != sst.st_ino
				  : nst.st_dev == tst.st_dev)) {
		/* it stays recorded, so that the next change undoes it */
		fstab_append(applied, e);
		if (nfd >= 0)
			diag_set(err, "%s: the new mount is not where it was made", e->dir);
		goto out;
	}
	pw_fdpath(nfd, fp2);
	if ((e->flags & MS_BIND) && flags &&
	    mount("none", fp2, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0) {
		diag_errno(err, "cannot remount %s with its flags", e->dir);
		umount2(fp2, MNT_DETACH);
		goto out;
	}
	if (e->propagation && mount(NULL, fp2, NULL, e->propagation, NULL) < 0) {
		diag_errno(err, "cannot change the propagation of %s", e->dir);
		umount2(fp2, MNT_DETACH);
		goto out;
	}
	sc_debug("mounted %s on %s (%s)", e->fsname, e->dir, e->opts);
	rc = 0;
	goto out;
skip:
	sc_debug("%s is missing: entry ignored (x-snapd.ignore-missing)", sfd < 0 ? e->fsname : e->dir);
	*skipped = true;
	rc = 0;
out:
	cursor_end(&cur);
	if (sfd >= 0)
		close(sfd);
	if (tfd >= 0)
		close(tfd);
	if (nfd >= 0)
		close(nfd);
	return rc;
}

static int apply_one(const struct mount_profile_ctx *c, const struct fstab_entry *e, struct fstab *applied,
		     bool *skipped, struct diag *err)
{
	*skipped = false;
	if (e->kind == FSTAB_SYMLINK)
		return apply_symlink(c, e, applied, err);
	if (e->kind == FSTAB_ENSURE_DIR)
		return apply_ensure_dir(c, e, applied, err);
	return apply_mount(c, e, applied, skipped, err);
}

/* a directory where the profile may remove what it made: the snap's own, or a tmpfs of the profile */
static bool own_dir(const struct mount_profile_ctx *c, int dfd, const struct fstab *profile)
{
	char where[PATH_MAX];
	struct statfs sfs;
	struct diag ignored;

	return pw_where(&c->root, dfd, where, sizeof(where), &ignored) == 0 && fstatfs(dfd, &sfs) == 0 &&
	       mount_area_of(c->snap, where, sfs.f_flags & ST_RDONLY,
			     on_own_mount(profile, where, sfs.f_type == TMPFS_MAGIC)) == MOUNT_AREA_OWN;
}

static int undo_one(const struct mount_profile_ctx *c, const struct fstab_entry *e, const struct fstab *profile,
		    struct diag *err)
{
	char fp[PW_FDPATH_MAX];
	const char *name;
	struct stat st;
	int fd, dfd;

	if (e->kind == FSTAB_ENSURE_DIR)
		return 0; /* "ensure": the directory stays */
	if (e->kind == FSTAB_SYMLINK) {
		fd = pw_open_parent(&c->root, e->dir, &name, err);
		if (fd < 0)
			return errno == ENOENT ? 0 : -1;
		/* a link that was there already, outside the snap's areas, is not the profile's to remove */
		if (!own_dir(c, fd, profile))
			sc_debug("%s is outside the snap's areas: left alone", e->dir);
		else if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
			 unlinkat(fd, name, 0) < 0) {
			diag_errno(err, "cannot remove the symlink %s", e->dir);
			close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	/* the topmost mount on e->dir, reached without a link (a link there is no mount point) */
	fd = pw_open_parent(&c->root, e->dir, &name, err);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	dfd = fd;
	fd = pw_open_at(dfd, name, O_PATH, e->dir, err);
	close(dfd);
	if (fd < 0)
		return errno == ENOENT || errno == ELOOP ? 0 : -1;
	if (umount2(pw_fdpath(fd, fp), MNT_DETACH) < 0 && errno != EINVAL) {
		diag_errno(err, "cannot unmount %s", e->dir);
		close(fd);
		return -1;
	}
	close(fd);
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

int mount_profile_apply(const struct mount_profile_ctx *c, const struct fstab *desired,
			const struct fstab *current, struct fstab *applied, struct diag *err)
{
	bool *keep = calloc(current->n + 1, sizeof(*keep));
	mode_t mask = umask(0); /* modes are the profile's, not the caller's */
	size_t i, j;
	int rc = -1;

	memset(applied, 0, sizeof(*applied));
	err->msg[0] = '\0';
	if (!keep) {
		umask(mask);
		return diag_set(err, "out of memory");
	}
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
				if (pw_under(current->e[j].dir, current->e[i].dir))
					keep[j] = false;
	for (i = 0; i < current->n; i++) {
		const struct fstab_entry *e = &current->e[i];
		bool needed = false;

		if (!e->synthetic)
			continue;
		for (j = 0; j < current->n; j++)
			if (keep[j] && !current->e[j].synthetic && e->needed_by &&
			    pw_under(current->e[j].dir, e->dir))
				needed = true;
		keep[i] = needed;
	}
	/* undo in reverse order */
	for (i = current->n; i-- > 0;)
		if (!keep[i] && undo_one(c, &current->e[i], current, err))
			goto record_all;
	for (i = 0; i < current->n; i++)
		if (keep[i] && fstab_append(applied, &current->e[i]))
			goto oom;
	/* then apply what is new, in order, an instance's overname entries first (as snapd) */
	for (i = 0; i < 2 * desired->n; i++) {
		const struct fstab_entry *e = &desired->e[i % desired->n];
		bool skipped;

		if (e->overname != (i < desired->n) || in_profile(applied, e))
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
	umask(mask);
	free(keep);
	return rc;
}
