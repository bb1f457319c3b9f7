// SPDX-License-Identifier: GPL-3.0-only
/* Per-snap mount namespaces (mount_ns.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>


#include "apparmor.h"
#include "fileio.h"
#include "trusted_path.h"
#include "lock.h"
#include "mount_ns.h"
#include "mount_ro.h"
#include "sc_log.h"
#include "tag.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* the host directories a snap sees through its base (snapd's list) */
static const struct {
	const char *path;
	bool required;
} host_dirs[] = {
	{ "/dev", true },	  { "/etc", true },	       { "/home", false },    { "/root", false },
	{ "/proc", true },	  { "/sys", true },	       { "/tmp", true },      { "/var/snap", false },
	{ "/var/lib/snapd", true }, { "/var/tmp", false },     { "/run", true },      { "/var/log", false },
	{ "/media", false },	  { "/mnt", false },	       { "/lib/modules", false }, { "/usr/src", false },
	{ "/snap", true },
};

/*
 * sized for a valid instance name, as both callers have (tag_parse,
 * instance_name_split): the launch's stack stays within a few pages, each
 * page of it touched being a page fault
 */
#define NS_FILE_MAX (sizeof(SC_NS_DIR "/snap..fstab") + SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX)

struct ns_files {
	char mnt[NS_FILE_MAX], info[NS_FILE_MAX], record[NS_FILE_MAX];
};

/* the preserved namespace, what it was built from, and the mount profile applied in it */
static void ns_paths(const char *instance, struct ns_files *f)
{
	snprintf(f->mnt, sizeof(f->mnt), "%s/%s.mnt", SC_NS_DIR, instance);
	snprintf(f->info, sizeof(f->info), "%s/snap.%s.info", SC_NS_DIR, instance);
	snprintf(f->record, sizeof(f->record), "%s/snap.%s.fstab", SC_NS_DIR, instance);
}

/* the namespace and its records go together: a new namespace starts from nothing applied */
static void forget_records(const struct ns_files *f)
{
	unlink(f->info);
	unlink(f->record);
}

/*
 * /run/snapd/ns is a private mount point, so nsfs binds under it do not
 * propagate. Making it private is the test: the kernel refuses (EINVAL) a
 * propagation change on a directory that is not a mount point, on every
 * kernel, with no statx mount id or mountinfo scan needed. On the first
 * launch, under the global lock, it is bound onto itself once; later
 * launches that build a namespace only make it private again (cheap,
 * idempotent), so launches never grow the mount table. A launch that joins
 * a preserved namespace binds nothing there and skips it. Called with the
 * snap's lock held: the global lock is never held while waiting for a
 * snap's.
 */
static int ensure_ns_dir(struct diag *err)
{
	int lock, rc = -1;

	if (mount(NULL, SC_NS_DIR, NULL, MS_PRIVATE, NULL) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOENT)
		return diag_errno(err, "cannot make %s private", SC_NS_DIR);
	lock = sc_lock(NULL, err);
	if (lock < 0)
		return -1;
	if (mkdir(SC_NS_DIR, 0755) < 0 && errno != EEXIST) {
		diag_errno(err, "cannot create %s", SC_NS_DIR);
		goto out;
	}
	/* another launch may have bound it while this one waited for the lock */
	if (mount(NULL, SC_NS_DIR, NULL, MS_PRIVATE, NULL) < 0) {
		sc_debug("making %s a private mount point", SC_NS_DIR);
		if (errno != EINVAL || mount(SC_NS_DIR, SC_NS_DIR, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, SC_NS_DIR, NULL, MS_PRIVATE, NULL) < 0) {
			diag_errno(err, "cannot make %s a private mount point", SC_NS_DIR);
			goto out;
		}
	}
	rc = 0;
out:
	sc_unlock(lock);
	return rc;
}

static bool is_nsfs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == NSFS_MAGIC;
}

/* what the namespace was built from, to tell a stale one */
#define NS_IDENT_MAX 256
static int ns_identity(const struct ns_plan *p, char *buf, size_t len, struct diag *err)
{
	char link[sizeof(SC_SNAP_MOUNT_DIR "//current") + SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX], target[64];
	ssize_t n;

	if (p->legacy) {
		snprintf(buf, len, "mode=legacy\n");
		return 0;
	}
	/* (a base name or a link too long for a snap's: ENAMETOOLONG) */
	n = (size_t)snprintf(link, sizeof(link), "%s/%s/current", SC_SNAP_MOUNT_DIR, p->base) < sizeof(link)
		    ? readlink(link, target, sizeof(target))
		    : (errno = ENAMETOOLONG, -1);
	if (n >= (ssize_t)sizeof(target)) {
		errno = ENAMETOOLONG;
		n = -1;
	}
	if (n < 0)
		return diag_errno(err, "cannot find the base snap '%s': %s", p->base, link);
	target[n] = '\0';
	snprintf(buf, len, "mode=normal\nbase-snap-name=%s\nbase-revision=%s\n", p->base, target);
	return 0;
}

static int join(const char *mnt, struct diag *err)
{
	int fd = openat(AT_FDCWD, mnt, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return diag_errno(err, "cannot open the preserved namespace %s", mnt);
	if (setns(fd, CLONE_NEWNS) < 0) {
		diag_errno(err, "cannot join the mount namespace %s", mnt);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* an exact owner and mode at one level of the private /tmp tree */
static int private_dir(int parent, const char *name, mode_t mode, const char *shown, struct diag *err)
{
	struct stat st;
	int fd;

	if (mkdirat(parent, name, mode) < 0 && errno != EEXIST)
		return diag_errno(err, "cannot create %s", shown);
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(err, "cannot open %s", shown);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return diag_errno(err, "cannot inspect %s", shown);
	}
	/* the launcher runs with umask 0: a directory it made has exactly this mode */
	if (st.st_uid != 0 || st.st_gid != 0 || (st.st_mode & 07777) != mode) {
		close(fd);
		return diag_set(err, "%s has owner %u:%u and mode %04o, expected root:root and %04o", shown,
				(unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777), (unsigned)mode);
	}
	return fd;
}

/* /tmp/snap-private-tmp/snap.<instance>/tmp, checked at each level; returns an fd of the last */
static int private_tmp(const char *instance, struct diag *err)
{
	char name[128], shown[256];
	int tmp, a, b, c;

	tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmp < 0)
		return diag_errno(err, "cannot open /tmp");
	a = private_dir(tmp, "snap-private-tmp", 0700, SC_PRIVATE_TMP, err);
	close(tmp);
	if (a < 0)
		return -1;
	snprintf(name, sizeof(name), "snap.%s", instance);
	snprintf(shown, sizeof(shown), "%s/%s", SC_PRIVATE_TMP, name);
	b = private_dir(a, name, 0700, shown, err);
	close(a);
	if (b < 0)
		return -1;
	snprintf(shown, sizeof(shown), "%s/%s/tmp", SC_PRIVATE_TMP, name);
	c = private_dir(b, "tmp", 01777, shown, err);
	close(b);
	return c;
}

static int bind(const char *src, const char *dst, unsigned long extra, struct diag *err)
{
	if (mount(src, dst, NULL, MS_BIND | extra, NULL) < 0)
		return diag_errno(err, "cannot bind %s onto %s", src, dst);
	if (mount(NULL, dst, NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return diag_errno(err, "cannot make %s a slave mount", dst);
	return 0;
}

/*
 * The descriptor from private_tmp() belongs to the old namespace, which a
 * bind cannot take from: reopen the same path here, without following
 * links, and make sure it is the same directory.
 */
static int mount_private_tmp(int tmpfd, const char *instance, const char *dst, struct diag *err)
{
	char src[64], rel[128];
	struct stat a, b;
	int fd, dfd;

	snprintf(rel, sizeof(rel), "snap-private-tmp/snap.%s/tmp", instance);
	dfd = open("/tmp", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return diag_errno(err, "cannot open /tmp in the new namespace");
	fd = openat(dfd, "snap-private-tmp", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	dfd = fd;
	snprintf(src, sizeof(src), "snap.%s", instance);
	fd = dfd < 0 ? -1 : openat(dfd, src, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0)
		close(dfd);
	dfd = fd;
	fd = dfd < 0 ? -1 : openat(dfd, "tmp", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0)
		close(dfd);
	if (fd < 0)
		return diag_errno(err, "cannot open /tmp/%s in the new namespace", rel);
	if (fstat(fd, &a) < 0 || fstat(tmpfd, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		close(fd);
		return diag_set(err, "/tmp/%s changed while the namespace was being built", rel);
	}
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0) {
		diag_errno(err, "cannot mount the private /tmp on %s", dst);
		close(fd);
		return -1;
	}
	close(fd);
	sc_debug("private /tmp mounted on %s", dst);
	return 0;
}

static int mount_devpts(const char *root, struct diag *err)
{
	char pts[PATH_MAX], ptmx[PATH_MAX], newptmx[PATH_MAX];

	snprintf(pts, sizeof(pts), "%s/dev/pts", root);
	snprintf(ptmx, sizeof(ptmx), "%s/dev/ptmx", root);
	snprintf(newptmx, sizeof(newptmx), "%s/dev/pts/ptmx", root);
	if (mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0)
		return diag_errno(err, "cannot mount a new devpts instance on %s", pts);
	if (mount(newptmx, ptmx, NULL, MS_BIND, NULL) < 0)
		return diag_errno(err, "cannot bind %s onto %s", newptmx, ptmx);
	sc_debug("new devpts instance on %s", pts);
	return 0;
}

/* the namespace's contents, built in the new (unshared) namespace */
static int populate(const struct ns_plan *p, int tmpfd, const char *scratch, struct diag *err)
{
	char base[PATH_MAX], dst[PATH_MAX];
	struct stat st;

	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return diag_errno(err, "cannot make / a recursive slave mount");
	if (p->legacy) {
		if (mount_private_tmp(tmpfd, p->instance, "/tmp", err) || mount_devpts("", err))
			return -1;
		return 0;
	}
	snprintf(base, sizeof(base), "%s/%s/current", SC_SNAP_MOUNT_DIR, p->base);
	if (bind(base, scratch, MS_REC, err))
		return -1;
	sc_debug("base snap %s bound on %s", base, scratch);
	for (size_t i = 0; i < sizeof(host_dirs) / sizeof(host_dirs[0]); i++) {
		const char *d = host_dirs[i].path;

		snprintf(dst, sizeof(dst), "%s%s", scratch, d);
		if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (host_dirs[i].required)
				return diag_set(err, "the host has no directory %s", d);
			sc_debug("host %s missing: not bound", d);
			continue;
		}
		if (lstat(dst, &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (host_dirs[i].required)
				return diag_set(err, "the base snap '%s' has no directory %s to mount the host's on", p->base,
						d);
			sc_debug("base has no %s: not bound", d);
			continue;
		}
		if (bind(d, dst, MS_REC, err))
			return -1;
		/*
		 * the snaps read-only in every app's namespace, whatever the host's
		 * /snap is: the snap tool makes the host's writable for a moment
		 * (snap_mgr.c), and a namespace built then must not keep that
		 */
		if (!strcmp(d, SC_SNAP_MOUNT_DIR) && mount_set_readonly(dst, true, err))
			return -1;
	}
	snprintf(dst, sizeof(dst), "%s/tmp", scratch);
	if (mount_private_tmp(tmpfd, p->instance, dst, err) || mount_devpts(scratch, err))
		return -1;
	if (chdir(scratch) < 0)
		return diag_errno(err, "cannot enter %s", scratch);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return diag_errno(err, "cannot pivot into the base snap at %s", scratch);
	if (umount2(".", MNT_DETACH) < 0)
		return diag_errno(err, "cannot detach the old root");
	if (chdir("/") < 0)
		return diag_errno(err, "cannot enter the new root");
	sc_debug("pivoted into the base snap '%s'", p->base);
	return 0;
}

/*
 * Runs from a descriptor opened on the host (after the pivot its path may
 * not exist), with an environment of its own: nothing of the caller's
 * reaches the root helper but the request for diagnostics.
 */
static int run_update_ns(const struct ns_plan *p, int exe, const struct diag *why, struct diag *err)
{
	char profile[PATH_MAX];
	struct stat st;
	pid_t pid;
	int status;

	snprintf(profile, sizeof(profile), "%s/snap.%s.fstab", SC_MOUNT_PROFILE_DIR, p->instance);
	if (stat(profile, &st) < 0 && errno == ENOENT) {
		sc_debug("no mount profile %s", profile);
		return 0;
	}
	if (exe < 0)
		return diag_set(err, "%s exists but snap-update-ns cannot be used: %s", profile, why->msg);
	pid = fork();
	if (pid < 0)
		return diag_errno(err, "cannot fork snap-update-ns");
	if (pid == 0) {
		char *argv[] = { (char *)"snap-update-ns", (char *)"--from-snap-confine", (char *)p->instance, NULL };
		char *envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
				 sc_debug_enabled() ? (char *)"SNAP_CONFINE_DEBUG=yes" : NULL, NULL };
#ifdef CONFIG_CONFINE_APPARMOR
		char label[96];

		/* it runs under the snap's own snap-update-ns profile, or not at all */
		snprintf(label, sizeof(label), "snap-update-ns.%s", p->instance);
		if (sc_apparmor_enabled() && sc_apparmor_change_onexec(label, err)) {
			fprintf(stderr, "snap-confine: %s\n", err->msg);
			_exit(1);
		}
#endif
		syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
		fprintf(stderr, "snap-confine: cannot run snap-update-ns: %s\n", strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return diag_errno(err, "cannot wait for snap-update-ns");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return err->msg[0] = '\0', -1; /* it said why on stderr: one line is enough */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return diag_set(err, "snap-update-ns failed to apply %s (status %d)", profile,
				WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
	return 0;
}

/* a child that stays in the old namespace to bind the new one's nsfs file */
static pid_t start_helper(const char *mnt, const char *scratch, int *cmd_fd, int *res_fd, struct diag *err)
{
	int cmd[2], res[2];
	pid_t pid;

	if (pipe2(cmd, O_CLOEXEC) < 0)
		return diag_errno(err, "cannot create a pipe");
	if (pipe2(res, O_CLOEXEC) < 0) {
		close(cmd[0]);
		close(cmd[1]);
		return diag_errno(err, "cannot create a pipe");
	}
	pid = fork();
	if (pid < 0) {
		diag_errno(err, "cannot fork the namespace helper");
		close(cmd[0]);
		close(cmd[1]);
		close(res[0]);
		close(res[1]);
		return -1;
	}
	if (pid == 0) {
		char c = 0, src[64];
		int e = 0;

		close(cmd[1]);
		close(res[0]);
		if (read(cmd[0], &c, 1) == 1 && c == 'P') {
			snprintf(src, sizeof(src), "/proc/%d/ns/mnt", (int)getppid());
			if (mount(src, mnt, NULL, MS_BIND, NULL) < 0)
				e = errno;
			if (write(res[1], &e, sizeof(e)) != sizeof(e))
				e = EIO;
		}
		if (scratch[0])
			rmdir(scratch);
		_exit(e ? 1 : 0);
	}
	close(cmd[0]);
	close(res[1]);
	*cmd_fd = cmd[1];
	*res_fd = res[0];
	return pid;
}

/*
 * (the cold launch: namespace, private /tmp, devpts, snap-update-ns,
 * records). Never inlined: its path buffers (about 8 KiB of stack) would
 * be part of ns_enter's frame on every hot launch too (a page fault a
 * page touched)
 */
static __attribute__((noinline)) int create(const struct ns_plan *p, const struct ns_files *f,
					    const char *ident, struct diag *err)
{
	char scratch[64] = "";
	int tmpfd, fd, cmd = -1, res = -1, e = 0, status, exe = -1;
	struct diag exe_err;
	pid_t helper;
	char c;

	forget_records(f);
	tmpfd = private_tmp(p->instance, err);
	if (tmpfd < 0)
		return -1;
	fd = open(f->mnt, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0000);
	if (fd < 0) {
		close(tmpfd);
		return diag_errno(err, "cannot create %s", f->mnt);
	}
	close(fd);
	if (!p->legacy) {
		snprintf(scratch, sizeof(scratch), "/tmp/snap.rootfs_XXXXXX");
		if (!mkdtemp(scratch)) {
			close(tmpfd);
			return diag_errno(err, "cannot create a scratch directory in /tmp");
		}
	}
	/* only the installed helper: root-owned all the way, never one found beside a copy of the launcher */
	exe = trusted_open(SC_UPDATE_NS, &exe_err);
	helper = start_helper(f->mnt, scratch, &cmd, &res, err);
	if (helper < 0) {
		if (exe >= 0)
			close(exe);
		if (scratch[0])
			rmdir(scratch);
		close(tmpfd);
		return -1;
	}
	if (unshare(CLONE_NEWNS) < 0) {
		diag_errno(err, "cannot create a mount namespace");
		goto abort;
	}
	sc_debug("new mount namespace for snap %s", p->instance);
	if (populate(p, tmpfd, scratch, err))
		goto abort;
	/* views of other snaps' namespaces came along with /run: drop them here */
	if (umount2(SC_NS_DIR, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
		diag_errno(err, "cannot detach %s in the new namespace", SC_NS_DIR);
		goto abort;
	}
	if (run_update_ns(p, exe, &exe_err, err))
		goto abort;
	c = 'P';
	if (write(cmd, &c, 1) != 1 || read(res, &e, sizeof(e)) != sizeof(e)) {
		diag_set(err, "the namespace helper did not answer");
		goto abort;
	}
	waitpid(helper, &status, 0);
	close(cmd);
	close(res);
	close(tmpfd);
	if (exe >= 0)
		close(exe);
	if (e) {
		errno = e;
		/*
		 * EINVAL: the kernel refuses to bind a namespace whose id is not
		 * above the binder's (a loop guard); ids are allocated per CPU, so
		 * this can only happen when the host namespace is not the initial one.
		 */
		diag_errno(err, "cannot preserve the mount namespace on %s", f->mnt);
		forget_records(f);
		return -1;
	}
	sc_debug("namespace preserved on %s", f->mnt);
	/* the helper ran in the old namespace; the record is written there too (shared /run) */
	if (file_write_atomic(f->info, ident, strlen(ident), 0644, err))
		return -1;
	return 0;
abort:
	/* the helper exits without preserving anything; this namespace dies with us, and its record */
	forget_records(f);
	close(cmd);
	waitpid(helper, &status, 0);
	close(res);
	close(tmpfd);
	if (exe >= 0)
		close(exe);
	return -1;
}

/*
 * Is the namespace preserved on mnt used by a process? Its nsfs inode is
 * compared with /proc/<pid>/ns/mnt of every process; one that cannot be
 * inspected counts as a user (the old namespace is then kept, never split).
 */
static bool ns_in_use(const char *mnt)
{
	struct stat ns, st;
	struct dirent *de;
	bool used = false;
	DIR *d;

	if (stat(mnt, &ns) < 0 || !(d = opendir("/proc")))
		return true;
	while (!used && (de = readdir(d))) {
		char path[sizeof(de->d_name) + 8];

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/ns/mnt", de->d_name);
		if (fstatat(dirfd(d), path, &st, 0) < 0) {
			if (errno != ENOENT && errno != ESRCH) {
				sc_debug("cannot inspect the namespace of process %s: %s", de->d_name, strerror(errno));
				used = true;
			}
			continue;
		}
		used = st.st_dev == ns.st_dev && st.st_ino == ns.st_ino;
		if (used)
			sc_debug("process %s uses the namespace", de->d_name);
	}
	closedir(d);
	return used;
}

int ns_enter(const struct ns_plan *p, struct diag *err)
{
	char ident[NS_IDENT_MAX];
	char *recorded = NULL;
	struct ns_files f;
	size_t rlen;
	struct diag ignored;
	int lock, rc = -1;

	if (ns_identity(p, ident, sizeof(ident), err))
		return -1;
	ns_paths(p->instance, &f);
	lock = sc_lock(p->instance, err);
	if (lock < 0)
		return -1;
	if (is_nsfs(f.mnt)) {
		bool same = file_read_all(f.info, 4096, &recorded, &rlen, &ignored) == 0 && !strcmp(recorded, ident);

		/* built from an older base: replaced once no process uses it, so that a snap is never split */
		if (same || ns_in_use(f.mnt)) {
			if (!same)
				sc_debug("the base of %s changed, but the namespace is in use: joining it", f.mnt);
			rc = join(f.mnt, err);
			if (!rc)
				sc_debug("joined the preserved namespace %s", f.mnt);
			goto out;
		}
		sc_debug("the preserved namespace %s is stale (the base changed) and unused: discarding it", f.mnt);
		if (umount2(f.mnt, MNT_DETACH) < 0) {
			diag_errno(err, "cannot discard the stale namespace %s", f.mnt);
			goto out;
		}
	}
	/* only a new namespace binds under the directory: a join changes no mount */
	if (ensure_ns_dir(err) == 0)
		rc = create(p, &f, ident, err);
out:
	free(recorded);
	sc_unlock(lock);
	return rc;
}

int ns_discard(const char *instance, struct diag *err)
{
	struct ns_files f;
	int lock;

	ns_paths(instance, &f);
	lock = sc_lock(instance, err);
	if (lock < 0)
		return -1;
	if (is_nsfs(f.mnt) && umount2(f.mnt, MNT_DETACH) < 0) {
		diag_errno(err, "cannot unmount %s", f.mnt);
		sc_unlock(lock);
		return -1;
	}
	if (unlink(f.mnt) < 0 && errno != ENOENT)
		sc_debug("cannot remove %s: %s", f.mnt, strerror(errno));
	forget_records(&f);
	sc_unlock(lock);
	return 0;
}
