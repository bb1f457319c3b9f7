// SPDX-License-Identifier: GPL-3.0-only
/* Snaps installed, reverted and staged for a try-boot on a running device (see snap_mgr.h). */
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
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "loop_mount.h"
#include "mount_ro.h"
#include "snap_mgr.h"
#include "tag.h"
#include "tree_copy.h"

#define SNAPS_DIR "var/lib/snapd/snaps"
#define STATE_DIR "var/lib/snapd/confine/state"
#define REV_MAX	  32

struct meta {
	char name[64], type[16], version[64];
};

/* root/rel into buf */
static const char *at_root(const struct smgr_opts *o, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", o->root, rel);
	return buf;
}

/* mkdir -p of a path made by root (every component root's own) */
static int mkdirs(const char *path, struct diag *err)
{
	return dir_make_all(path, 0755) < 0 ? diag_errno(err, "cannot create %s", path) : 0;
}

/* runs argv (an absolute program path), waits; a failure names it */
static int spawn(char *const argv[], struct diag *err)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return diag_errno(err, "cannot run %s", argv[0]);
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "snap: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return diag_errno(err, "cannot wait for %s", argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return diag_set(err, "%s failed (%s %d)", argv[0],
				WIFEXITED(status) ? "exit status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

/* the value of a top-level scalar key of snap.yaml (quotes removed), "" when absent */
static void top_key(const char *yaml, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);

	*out = '\0';
	for (const char *l = yaml; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *v, *end;

		if (strncmp(l, key, klen) || l[klen] != ':')
			continue;
		for (v = l + klen + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (end = v; *end && *end != '\n' && *end != '#'; end++)
			;
		while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (end - v >= 2 && (*v == '"' || *v == '\'') && end[-1] == *v) {
			v++;
			end--;
		}
		snprintf(out, len, "%.*s", (int)(end - v), v);
		return;
	}
}

/* meta/snap.yaml of the snap mounted on dir_fd (links refused: the snap's content is not trusted) */
static int read_meta(int dir_fd, const char *file, struct meta *m, struct diag *err)
{
	int meta = openat(dir_fd, "meta", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), fd;
	char *yaml = NULL;
	size_t len;
	int rc;

	fd = meta < 0 ? -1 : openat(meta, "snap.yaml", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (meta >= 0)
		close(meta);
	if (fd < 0)
		return diag_errno(err, "%s: no meta/snap.yaml", file);
	rc = fd_read_all(fd, "meta/snap.yaml", 1 << 20, &yaml, &len, err);
	close(fd);
	if (rc)
		return -1;
	top_key(yaml, "name", m->name, sizeof(m->name));
	top_key(yaml, "type", m->type, sizeof(m->type));
	top_key(yaml, "version", m->version, sizeof(m->version));
	free(yaml);
	if (!snap_name_valid(m->name, NULL, 0))
		return diag_set(err, "%s: meta/snap.yaml: invalid snap name \"%s\"", file, m->name);
	if (!*m->type)
		snprintf(m->type, sizeof(m->type), "app");
	return 0;
}

/* the next local revision of name: x1, or one more than the highest x<N> in the snaps directory */
static int next_rev(const struct smgr_opts *o, const char *name, char *rev, struct diag *err)
{
	char dir[PATH_MAX];
	DIR *d = opendir(at_root(o, SNAPS_DIR, dir, sizeof(dir)));
	struct dirent *de;
	unsigned long max = 0;
	size_t nlen = strlen(name);

	if (!d)
		return diag_errno(err, "cannot list %s", dir);
	while ((de = readdir(d))) {
		char *end;
		unsigned long n;

		if (strncmp(de->d_name, name, nlen) || strncmp(de->d_name + nlen, "_x", 2))
			continue;
		n = strtoul(de->d_name + nlen + 2, &end, 10);
		if (!strcmp(end, ".snap") && n > max)
			max = n;
	}
	closedir(d);
	snprintf(rev, REV_MAX, "x%lu", max + 1);
	return 0;
}

/* the .snap file copied to path (a temporary file beside it, fsync'd, renamed) */
static int copy_snap_file(int fd, const char *path, struct diag *err)
{
	char *buf = malloc(1 << 16), tmp[PATH_MAX];
	int out, rc = -1;
	ssize_t n;

	snprintf(tmp, sizeof(tmp), "%s.partial", path);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (!buf || out < 0) {
		diag_errno(err, "cannot create %s", tmp);
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		diag_errno(err, "cannot read the snap file");
		goto out;
	}
	while ((n = read(fd, buf, 1 << 16)) > 0)
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				diag_errno(err, "cannot write %s", tmp);
				goto out;
			}
	if (n < 0)
		diag_errno(err, "cannot read the snap file");
	else if (fchmod(out, 0600) < 0 || fsync(out) < 0 || rename(tmp, path) < 0)
		diag_errno(err, "cannot write %s", path);
	else
		rc = 0;
out:
	if (out >= 0)
		close(out);
	if (rc)
		unlink(tmp);
	free(buf);
	return rc;
}

/* a temporary directory for a mount, made below root/run/snapd */
static int stage_dir(const struct smgr_opts *o, char *dir, size_t len, struct diag *err)
{
	if (mkdirs(at_root(o, "run/snapd", dir, len), err))
		return -1;
	snprintf(dir, len, "%s/run/snapd/snap-stage.XXXXXX", o->root);
	return mkdtemp(dir) ? 0 : diag_errno(err, "cannot create a directory below %s/run/snapd", o->root);
}

/* mounts the snap open as fd on path (a directory made for it) */
static int mount_on(int fd, const char *file, const char *path, struct diag *err)
{
	int d = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc;

	if (d < 0)
		return diag_errno(err, "cannot open %s", path);
	rc = loop_mount_squashfs(fd, file, d, err);
	close(d);
	return rc;
}

static void unmount_dir(const char *path)
{
	if (umount2(path, UMOUNT_NOFOLLOW) < 0)
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	rmdir(path);
}

/*
 * root/snap, open for the writes of an install or a revert (mount points,
 * the current link the generator moves): on the device a read-only tmpfs
 * (rootfs/init), made writable for them and read-only again after, on
 * every path. The apps' namespaces keep their own read-only copy
 * (snap-confine makes it so), so only the host's mount changes.
 */
struct snapdir {
	int fd;
	bool was_ro;
	char path[PATH_MAX], proc[32];
};

static int snapdir_open(const struct smgr_opts *o, struct snapdir *s, struct diag *err)
{
	struct statvfs st;
	struct diag why;

	s->was_ro = false;
	s->fd = open(at_root(o, "snap", s->path, sizeof(s->path)),
		     O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->fd < 0)
		return diag_errno(err, "cannot open %s", s->path);
	snprintf(s->proc, sizeof(s->proc), "/proc/self/fd/%d", s->fd);
	if (fstatvfs(s->fd, &st) < 0) {
		diag_errno(err, "cannot read the mount flags of %s", s->path);
		goto fail;
	}
	if (!(st.f_flag & ST_RDONLY))
		return 0;
	if (mount_set_readonly(s->proc, false, &why)) {
		diag_set(err, "%s is read-only and cannot be made writable (%s)", s->path, why.msg);
		goto fail;
	}
	s->was_ro = true;
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return -1;
}

/* read-only again when it was; a failure there fails the command (rc) */
static int snapdir_close(struct snapdir *s, int rc, struct diag *err)
{
	struct diag why;

	if (s->fd < 0)
		return rc;
	if (s->was_ro && mount_set_readonly(s->proc, true, &why)) {
		fprintf(stderr, "snap: cannot make %s read-only again: %s\n", s->path, why.msg);
		if (!rc)
			rc = diag_set(err, "%s is left writable", s->path);
	}
	close(s->fd);
	s->fd = -1;
	return rc;
}

/* snap/<name>/<rev> made below the open snap directory (links refused): the revision's mount point */
static int mount_point(const struct snapdir *s, const char *name, const char *rev, struct diag *err)
{
	int d, r = -1;

	if (mkdirat(s->fd, name, 0755) < 0 && errno != EEXIST)
		return diag_errno(err, "cannot create %s/%s", s->path, name);
	d = openat(s->fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0)
		return diag_errno(err, "cannot open %s/%s", s->path, name);
	if (mkdirat(d, rev, 0755) < 0 && errno != EEXIST)
		diag_errno(err, "cannot create %s/%s/%s", s->path, name, rev);
	else if ((r = openat(d, rev, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		diag_errno(err, "cannot open %s/%s/%s", s->path, name, rev);
	close(d);
	return r;
}

/* the revisions of name in installation order, one a line; "" when none were recorded */
static int read_sequence(const struct smgr_opts *o, const char *name, char **seq, struct diag *err)
{
	char rel[PATH_MAX], path[PATH_MAX];
	size_t len;

	snprintf(rel, sizeof(rel), STATE_DIR "/%s.sequence", name);
	at_root(o, rel, path, sizeof(path));
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return (*seq = strdup("")) ? 0 : diag_errno(err, "out of memory");
	return file_read_all(path, 1 << 16, seq, &len, err);
}

static int write_sequence(const struct smgr_opts *o, const char *name, const char *seq, struct diag *err)
{
	char rel[PATH_MAX], path[PATH_MAX];

	if (mkdirs(at_root(o, STATE_DIR, path, sizeof(path)), err))
		return -1;
	snprintf(rel, sizeof(rel), STATE_DIR "/%s.sequence", name);
	return file_write_atomic(at_root(o, rel, path, sizeof(path)), seq, strlen(seq), 0644, err);
}

/* the current revision of name, kept where rootfs/init makes /snap/<name>/current from at boot */
static int record_current(const struct smgr_opts *o, const char *name, const char *rev, struct diag *err)
{
	char rel[PATH_MAX], path[PATH_MAX], line[REV_MAX + 1];

	if (mkdirs(at_root(o, STATE_DIR, path, sizeof(path)), err))
		return -1;
	snprintf(rel, sizeof(rel), STATE_DIR "/%s.current", name);
	snprintf(line, sizeof(line), "%s\n", rev);
	return file_write_atomic(at_root(o, rel, path, sizeof(path)), line, strlen(line), 0644, err);
}

/* points root/rel_dir/current at rev (a new link renamed over the old one) */
static int set_current(const struct smgr_opts *o, const char *rel_dir, const char *rev, struct diag *err)
{
	char dir[PATH_MAX], cur[PATH_MAX + 16];

	at_root(o, rel_dir, dir, sizeof(dir));
	snprintf(cur, sizeof(cur), "%s/current", dir);
	return link_replace(cur, rev, err);
}

/* a revision: 1-31 characters, none of them /, not . or .. (a number, x<n>, a kernel's version) */
static bool rev_valid(const char *rev)
{
	size_t len = strlen(rev);

	return len && len < REV_MAX && !strchr(rev, '/') && strcmp(rev, ".") && strcmp(rev, "..");
}

static int current_rev(const struct smgr_opts *o, const char *name, char *rev, struct diag *err)
{
	char rel[PATH_MAX], path[PATH_MAX];
	ssize_t n;

	snprintf(rel, sizeof(rel), "snap/%s/current", name);
	n = readlink(at_root(o, rel, path, sizeof(path)), rev, REV_MAX - 1);
	if (n < 0)
		return errno == ENOENT ? (*rev = '\0', 0) : diag_errno(err, "cannot read %s", path);
	rev[n] = '\0';
	if (!rev_valid(rev))
		return diag_set(err, "%s names no revision beside it (%s)", path, rev);
	return 0;
}

/*
 * The data of revision from copied to revision to in dir (root/var/snap/<name>,
 * or a user's ~/snap/<name>); nothing when dir or the old revision's data is
 * missing, or the new one's is there. Done: 1, nothing: 0, failure: -1.
 */
static int copy_data(const char *dir, const char *from, const char *to, struct diag *err)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
	struct stat st;

	if (d < 0)
		return 0;
	if (fstatat(d, from, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
	    fstatat(d, to, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT) {
		rc = tree_copy(d, from, d, to, 0, err) ? -1 : 1;
		if (rc < 0) {
			char why[DIAG_MAX];

			snprintf(why, sizeof(why), "%s", err->msg);
			diag_set(err, "cannot copy %s/%s to %s: %s", dir, from, to, why);
		}
	}
	close(d);
	return rc;
}

/* the users' snap directories of name: root/root/snap/<name> and root/home/<user>/snap/<name> */
static size_t user_dirs(const struct smgr_opts *o, const char *name, char dirs[][PATH_MAX], size_t max)
{
	char home[PATH_MAX];
	size_t n = 0;
	DIR *d;
	struct dirent *de;

	snprintf(dirs[n++], PATH_MAX, "%s/root/snap/%s", o->root, name);
	d = opendir(at_root(o, "home", home, sizeof(home)));
	while (d && n < max && (de = readdir(d))) {
		int len = de->d_name[0] == '.'
				  ? -1
				  : snprintf(dirs[n], PATH_MAX, "%s/%s/snap/%s", home, de->d_name, name);

		if (len > 0 && len < PATH_MAX)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

#define MAX_USERS 64

/* the data copies of an install, kept to be removed when a later step fails */
struct data_copies {
	char dirs[MAX_USERS + 1][PATH_MAX];
	bool done[MAX_USERS + 1];
	size_t n;
};

static void undo_data(struct data_copies *c, const char *rev)
{
	struct diag ignored;

	for (size_t i = 0; i < c->n; i++) {
		int d;

		if (!c->done[i] ||
		    (d = open(c->dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		tree_remove(d, rev, &ignored);
		close(d);
	}
}

static int run_generator(const struct smgr_opts *o, const char *snapdir, struct diag *err)
{
	char prog[PATH_MAX];
	char *argv[8];
	int a = 0;

	snprintf(prog, sizeof(prog), "%s/snap-interfaces", o->libexecdir);
	argv[a++] = prog;
	if (*o->root) {
		argv[a++] = (char *)"--root";
		argv[a++] = (char *)o->root;
	}
	if (!o->live)
		argv[a++] = (char *)"--no-live";
	argv[a++] = (char *)"--core";
	argv[a++] = (char *)"install";
	argv[a++] = (char *)snapdir;
	argv[a] = NULL;
	return spawn(argv, err);
}

static void discard_ns(const struct smgr_opts *o, const char *name)
{
	char prog[PATH_MAX];
	char *argv[] = { prog, (char *)name, NULL };
	struct diag ignored;

	if (!o->live)
		return;
	snprintf(prog, sizeof(prog), "%s/snap-discard-ns", o->libexecdir);
	if (spawn(argv, &ignored))
		fprintf(stderr, "snap: %s\n", ignored.msg);
}

/* an app snap's new revision (fd: the .snap file, m: its meta) */
static int install_app(const struct smgr_opts *o, int fd, const struct meta *m, FILE *out, struct diag *err)
{
	char rev[REV_MAX], old[REV_MAX], rel[PATH_MAX], snapfile[PATH_MAX], mnt[PATH_MAX], vardir[PATH_MAX];
	struct data_copies *c = calloc(1, sizeof(*c));
	struct snapdir sd = { .fd = -1 };
	char *seq = NULL;
	int rc = -1, sfd = -1, mfd = -1;
	bool mounted = false, generated = false, recorded = false;

	if (!c)
		return diag_errno(err, "out of memory");
	if (next_rev(o, m->name, rev, err) || current_rev(o, m->name, old, err) ||
	    read_sequence(o, m->name, &seq, err) || snapdir_open(o, &sd, err))
		goto out;
	snprintf(rel, sizeof(rel), SNAPS_DIR "/%s_%s.snap", m->name, rev);
	if (copy_snap_file(fd, at_root(o, rel, snapfile, sizeof(snapfile)), err))
		goto out;
	/* mounted from its place in the snaps directory, as at every later boot */
	snprintf(rel, sizeof(rel), "snap/%s/%s", m->name, rev);
	at_root(o, rel, mnt, sizeof(mnt));
	if ((mfd = mount_point(&sd, m->name, rev, err)) < 0)
		goto undo;
	sfd = open(snapfile, O_RDONLY | O_CLOEXEC);
	if (sfd < 0) {
		diag_errno(err, "cannot open %s", snapfile);
		goto undo;
	}
	if (loop_mount_squashfs(sfd, snapfile, mfd, err))
		goto undo;
	mounted = true;
	/* the data of the current revision, for the new one (common data stays shared) */
	snprintf(rel, sizeof(rel), "var/snap/%s", m->name);
	at_root(o, rel, vardir, sizeof(vardir));
	if (*old) {
		snprintf(c->dirs[c->n++], PATH_MAX, "%s", vardir);
		c->n += user_dirs(o, m->name, &c->dirs[c->n], MAX_USERS);
		for (size_t i = 0; i < c->n; i++) {
			int r = copy_data(c->dirs[i], old, rev, err);

			if (r < 0)
				goto undo;
			c->done[i] = r == 1;
		}
	}
	/* the profiles of the new revision, in effect at once; "current" moves with them */
	if (run_generator(o, mnt, err))
		goto undo;
	generated = true;
	if (set_current(o, rel, rev, err) || record_current(o, m->name, rev, err))
		goto undo;
	recorded = true;
	{
		size_t len = strlen(seq);
		char *next = malloc(len + 2 * REV_MAX + 4);

		if (!next) {
			diag_errno(err, "out of memory");
			goto undo;
		}
		/* a snap installed before sequences were kept: its current revision first */
		snprintf(next, len + 2 * REV_MAX + 4, "%s%s%s%s\n", seq, !len && *old ? old : "",
			 !len && *old ? "\n" : "", rev);
		rc = write_sequence(o, m->name, next, err);
		free(next);
		if (rc)
			goto undo;
	}
	discard_ns(o, m->name);
	fprintf(out, "%s %s installed (revision %s%s%s)\n", m->name, *m->version ? m->version : "-", rev,
		*old ? ", data copied from " : "", old);
	rc = 0;
	goto out;
undo:
	/* nothing half-done: the previous revision current again, with its profiles */
	if (generated && *old) {
		struct diag ignored;
		char olddir[PATH_MAX];

		snprintf(rel, sizeof(rel), "snap/%s/%s", m->name, old);
		if (run_generator(o, at_root(o, rel, olddir, sizeof(olddir)), &ignored))
			fprintf(stderr, "snap: cannot restore the profiles of %s: %s\n", olddir, ignored.msg);
		snprintf(rel, sizeof(rel), "var/snap/%s", m->name);
		set_current(o, rel, old, &ignored);
		if (recorded)
			record_current(o, m->name, old, &ignored);
	}
	undo_data(c, rev);
	if (mounted)
		unmount_dir(mnt);
	else
		rmdir(mnt);
	unlink(snapfile);
out:
	if (mfd >= 0)
		close(mfd);
	if (sfd >= 0)
		close(sfd);
	free(seq);
	free(c);
	return snapdir_close(&sd, rc, err);
}

/* a kernel or base staged for the next boot's try (fd: the .snap file) */
static int stage_boot(const struct smgr_opts *o, int fd, const char *file, const struct meta *m, FILE *out,
		      struct diag *err)
{
	bool kernel = !strcmp(m->type, "kernel");
	char rev[REV_MAX], rel[PATH_MAX], snapfile[PATH_MAX], blob[128], bootdir[PATH_MAX],
		mnt[PATH_MAX] = "";
	char prog[PATH_MAX], config[PATH_MAX], *argv[8];
	int a = 0, rc = -1, sfd = -1, bdir = -1;
	bool mounted = false, copied = false;

	/* the boot script mounts the base core_<rev>.snap */
	if (!kernel && strcmp(m->name, "core"))
		return diag_set(err, "%s: only the base \"core\" can be staged for a try-boot, not \"%s\"",
				file, m->name);
	if (kernel && !*o->bootdir)
		return diag_set(err, "%s: this board has no boot directory for kernels (--bootdir)", file);
	if (next_rev(o, m->name, rev, err))
		return -1;
	snprintf(blob, sizeof(blob), "%s_%s.snap", m->name, rev);
	snprintf(rel, sizeof(rel), SNAPS_DIR "/%s", blob);
	if (copy_snap_file(fd, at_root(o, rel, snapfile, sizeof(snapfile)), err))
		return -1;
	if (kernel) {
		/* kernel.img, initrd.img and dtbs/ where the bootloader loads them: <bootdir>/<blob>/ */
		char tmpname[160];
		int src;

		if ((sfd = open(snapfile, O_RDONLY | O_CLOEXEC)) < 0 || stage_dir(o, mnt, sizeof(mnt), err) ||
		    mount_on(sfd, snapfile, mnt, err))
			goto undo;
		mounted = true;
		at_root(o, o->bootdir, bootdir, sizeof(bootdir));
		bdir = open(bootdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		src = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		snprintf(tmpname, sizeof(tmpname), ".%s.partial", blob);
		if (bdir < 0 || src < 0) {
			diag_errno(err, "cannot open %s", bdir < 0 ? bootdir : mnt);
			if (src >= 0)
				close(src);
			goto undo;
		}
		{
			struct diag ignored;
			struct stat st;

			tree_remove(bdir, tmpname, &ignored);
			rc = fstatat(src, "kernel.img", &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)
				     ? diag_set(err, "%s: a kernel snap without kernel.img", file)
				     : tree_copy(src, ".", bdir, tmpname, TREE_COPY_PLAIN, err);
			close(src);
			if (!rc &&
			    (tree_remove(bdir, blob, &ignored), renameat(bdir, tmpname, bdir, blob) < 0))
				rc = diag_errno(err, "cannot move the boot files to %s/%s", bootdir, blob);
			if (rc) {
				tree_remove(bdir, tmpname, &ignored);
				goto undo;
			}
			rc = -1;
			copied = true;
		}
		syncfs(bdir);
	}
	/* the try: snap_try_kernel or snap_try_core, snap_mode=try (boot-ok writes the boot environment) */
	snprintf(prog, sizeof(prog), "%s/boot-ok", o->libexecdir);
	argv[a++] = prog;
	if (*o->root) {
		argv[a++] = (char *)"--config";
		at_root(o, "etc/fw_env.config", config, sizeof(config));
		argv[a++] = config;
	}
	argv[a++] = (char *)"--try";
	argv[a++] = (char *)(kernel ? "kernel" : "core");
	argv[a++] = blob;
	argv[a] = NULL;
	if (spawn(argv, err))
		goto undo;
	fprintf(out, "%s %s staged as %s for a try-boot (snap_try_%s, snap_mode=try): reboot to try it\n",
		m->name, *m->version ? m->version : "-", blob, kernel ? "kernel" : "core");
	rc = 0;
	goto out;
undo:
	if (copied) {
		struct diag ignored;

		tree_remove(bdir, blob, &ignored);
	}
	unlink(snapfile);
out:
	if (mounted)
		unmount_dir(mnt);
	else if (*mnt)
		rmdir(mnt);
	if (bdir >= 0)
		close(bdir);
	if (sfd >= 0)
		close(sfd);
	return rc;
}

int smgr_install(const struct smgr_opts *o, const char *file, FILE *out, struct diag *err)
{
	char mnt[PATH_MAX];
	struct meta m;
	struct stat st;
	int fd = open(file, O_RDONLY | O_CLOEXEC), d, rc = -1;

	if (fd < 0)
		return diag_errno(err, "cannot open %s", file);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		diag_set(err, "%s: not a snap file (a regular file)", file);
		goto out;
	}
	/* parse: the snap's meta/snap.yaml, read from the file mounted read-only where only root looks */
	if (stage_dir(o, mnt, sizeof(mnt), err))
		goto out;
	if (mount_on(fd, file, mnt, err)) {
		rmdir(mnt);
		goto out;
	}
	d = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = d < 0 ? diag_errno(err, "cannot open %s", mnt) : read_meta(d, file, &m, err);
	if (d >= 0)
		close(d);
	unmount_dir(mnt);
	if (rc)
		goto out;
	rc = -1;
	if (!strcmp(m.type, "app"))
		rc = install_app(o, fd, &m, out, err);
	else if (!strcmp(m.type, "kernel") || !strcmp(m.type, "base") || !strcmp(m.type, "os") ||
		 !strcmp(m.type, "core"))
		rc = stage_boot(o, fd, file, &m, out, err);
	else
		diag_set(err,
			 "%s: a snap of type %s is not installed on the device (app, kernel and base are)",
			 file, m.type);
out:
	close(fd);
	return rc;
}

int smgr_revert(const struct smgr_opts *o, const char *name, FILE *out, struct diag *err)
{
	char cur[REV_MAX], prev[REV_MAX] = "", rel[PATH_MAX], dir[PATH_MAX], yaml[PATH_MAX], *seq = NULL;
	struct snapdir sd = { .fd = -1 };
	struct stat st;
	int rc = -1;

	if (!snap_name_valid(name, NULL, 0))
		return diag_set(err, "invalid snap name \"%s\"", name);
	if (current_rev(o, name, cur, err))
		return -1;
	if (!*cur)
		return diag_set(err, "snap \"%s\" is not installed", name);
	if (read_sequence(o, name, &seq, err))
		return -1;
	/* the line before the current revision's */
	bool found = false;

	for (char *l = seq, *nl; *l && !found; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (!strcmp(l, cur))
			found = true;
		else
			snprintf(prev, sizeof(prev), "%s", l);
	}
	if (!found || !*prev) {
		diag_set(err, "snap \"%s\" has no revision installed before %s to revert to", name, cur);
		goto out;
	}
	snprintf(rel, sizeof(rel), "snap/%s/%s", name, prev);
	at_root(o, rel, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "snap/%s/%s/meta/snap.yaml", name, prev);
	if (lstat(at_root(o, rel, yaml, sizeof(yaml)), &st) < 0) {
		diag_errno(err, "revision %s of %s is not mounted (%s)", prev, name, yaml);
		goto out;
	}
	if (snapdir_open(o, &sd, err) || run_generator(o, dir, err))
		goto out;
	snprintf(rel, sizeof(rel), "var/snap/%s", name);
	if (set_current(o, rel, prev, err) || record_current(o, name, prev, err))
		goto out;
	discard_ns(o, name);
	fprintf(out, "%s reverted to revision %s (from %s)\n", name, prev, cur);
	rc = 0;
out:
	free(seq);
	return snapdir_close(&sd, rc, err);
}

int smgr_list(const struct smgr_opts *o, FILE *out, struct diag *err)
{
	char dir[PATH_MAX];
	struct dirent **names;
	int n = scandir(at_root(o, "snap", dir, sizeof(dir)), &names, NULL, alphasort);

	if (n < 0)
		return diag_errno(err, "cannot list %s", dir);
	fprintf(out, "%-24s %-16s %s\n", "Name", "Version", "Rev");
	for (int i = 0; i < n; i++) {
		char rev[REV_MAX], rel[PATH_MAX], yaml_path[PATH_MAX], *yaml = NULL, version[64] = "-";
		struct diag ignored;
		size_t len;

		if (names[i]->d_name[0] != '.' && !current_rev(o, names[i]->d_name, rev, &ignored) && *rev) {
			snprintf(rel, sizeof(rel), "snap/%s/%s/meta/snap.yaml", names[i]->d_name, rev);
			if (!file_read_all(at_root(o, rel, yaml_path, sizeof(yaml_path)), 1 << 20, &yaml,
					   &len, &ignored)) {
				top_key(yaml, "version", version, sizeof(version));
				free(yaml);
			}
			fprintf(out, "%-24s %-16s %s\n", names[i]->d_name, *version ? version : "-", rev);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

/* snap/<inst>/<rev>, then snap/<inst>, removed when empty and nothing is mounted on them (a mount that
 * failed) */
static void drop_mount_point(const struct snapdir *s, const char *inst, const char *rev)
{
	int d = openat(s->fd, inst, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (d >= 0) {
		unlinkat(d, rev, AT_REMOVEDIR);
		close(d);
		unlinkat(s->fd, inst, AT_REMOVEDIR);
	}
}

/* file (<instance>_<rev>.snap, open below snaps) mounted on snap/<instance>/<rev> unless it has a mount */
static int mount_one(int snaps, const char *dir, const struct snapdir *s, dev_t snapdev, const char *file,
		     bool *done, struct diag *err)
{
	char inst[NAME_MAX + 1], *rev, path[PATH_MAX];
	struct stat st;
	int mp, fd, rc = -1;

	*done = false;
	snprintf(inst, sizeof(inst), "%.*s", (int)(strlen(file) - strlen(".snap")), file);
	rev = strrchr(inst, '_');
	*rev++ = 0;
	if (!instance_name_split(inst, NULL, 0, NULL, 0, NULL, 0) || !rev_valid(rev))
		return diag_set(err, "%s/%s: not <instance>_<revision>.snap", dir, file);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return diag_set(err, "%s/%s: the path is too long", dir, file);
	/* (O_NONBLOCK: a FIFO does not stop the boot; it is refused below) */
	fd = openat(snaps, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(err, "cannot open %s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		diag_set(err, "%s: not a regular file", path);
		goto out;
	}
	mp = mount_point(s, inst, rev, err);
	if (mp < 0)
		goto out;
	/* a mount on it already (init runs again in the old-kernel test mode): its own device */
	if (fstat(mp, &st) < 0)
		diag_errno(err, "cannot read %s/%s/%s", s->path, inst, rev);
	else if (st.st_dev != snapdev)
		rc = 0;
	else if (!(rc = loop_mount_squashfs(fd, path, mp, err)))
		*done = true;
	else
		drop_mount_point(s, inst, rev);
	close(mp);
out:
	close(fd);
	return rc;
}

int smgr_mount_all(const struct smgr_opts *o, FILE *out, struct diag *err)
{
	char dir[PATH_MAX];
	struct dirent **names;
	struct snapdir s;
	struct stat st;
	int snaps, n, failed = 0, mounted = 0;

	at_root(o, SNAPS_DIR, dir, sizeof(dir));
	snaps = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (snaps < 0)
		return diag_errno(err, "cannot open %s", dir);
	/* (names only: each file is opened below the directory's descriptor, links refused) */
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		diag_errno(err, "cannot list %s", dir);
		close(snaps);
		return -1;
	}
	if (snapdir_open(o, &s, err)) {
		failed = -1;
		goto out;
	}
	if (fstat(s.fd, &st) < 0) {
		failed = -1;
		snapdir_close(&s, diag_errno(err, "cannot read %s", s.path), err);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		const char *f = names[i]->d_name;
		size_t len = strlen(f);
		struct diag why = { { 0 } };
		bool done;

		/* <something>_<something>.snap, as init's glob *_*.snap: other files are not snaps */
		if (f[0] == '.' || len <= strlen(".snap") || strcmp(f + len - strlen(".snap"), ".snap") ||
		    !memchr(f, '_', len - strlen(".snap")))
			continue;
		if (mount_one(snaps, dir, &s, st.st_dev, f, &done, &why)) {
			fprintf(out, "snap: %s\n", why.msg);
			failed++;
		} else
			mounted += done;
	}
	if (snapdir_close(&s, 0, err))
		failed = failed ? failed : -1;
	else if (failed)
		diag_set(err, "%d of the snaps in %s could not be mounted (the lines above), %d mounted",
			 failed, dir, mounted);
out:
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	close(snaps);
	return failed ? -1 : 0;
}

#define SQUASHFS_MAGIC_NUMBER 0x73717368

/* rev below d is a directory with a squashfs mounted on it (its own device) */
static bool rev_mounted(int d, dev_t parent, const char *rev)
{
	struct stat st;
	struct statfs sf;
	int r = openat(d, rev, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool yes;

	if (r < 0)
		return false;
	yes = !fstat(r, &st) && st.st_dev != parent && !fstatfs(r, &sf) && sf.f_type == SQUASHFS_MAGIC_NUMBER;
	close(r);
	return yes;
}

/* the revision state/<inst>.current records, "" when none or not a revision */
static void recorded_rev(const struct smgr_opts *o, const char *inst, char *rev)
{
	char rel[PATH_MAX], path[PATH_MAX], *text = NULL;
	struct diag ignored;
	size_t len;

	*rev = 0;
	snprintf(rel, sizeof(rel), STATE_DIR "/%s.current", inst);
	if (file_read_all(at_root(o, rel, path, sizeof(path)), 4096, &text, &len, &ignored))
		return;
	text[strcspn(text, "\n")] = 0;
	if (rev_valid(text))
		snprintf(rev, REV_MAX, "%s", text);
	free(text);
}

/* the revision a NAME=REV argument of list gives inst, into rev (REV_MAX); false when none names it */
static bool named_rev(char **list, int n, const char *inst, char *rev)
{
	size_t len = strlen(inst);

	for (int i = 0; i < n; i++)
		if (!strncmp(list[i], inst, len) && list[i][len] == '=' && rev_valid(list[i] + len + 1)) {
			snprintf(rev, REV_MAX, "%s", list[i] + len + 1);
			return true;
		}
	return false;
}

/* snap/<inst>/current made for one snap directory open as d; 1 when it got none */
static int link_one(const struct smgr_opts *o, const struct snapdir *s, dev_t snapdev, const char *inst,
		    char **image, int nimage, char **booted, int nbooted, FILE *out)
{
	char rev[REV_MAX];
	struct stat st;
	int d = openat(s->fd, inst, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (d < 0)
		return 0; /* not a directory: not a snap's */
	/* a parallel instance's snap name gets its directory (the namespace maps the instance there) */
	if (strchr(inst, '_')) {
		char name[NAME_MAX + 1];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(inst, "_"), inst);
		if (mkdirat(s->fd, name, 0755) < 0 && errno != EEXIST)
			fprintf(out, "snap: cannot create %s/%s: %s\n", s->path, name, strerror(errno));
	}
	if (!fstatat(d, "current", &st, AT_SYMLINK_NOFOLLOW))
		goto out; /* made already (a second run) */
	/* the booted revision (the base, the kernel); else the one the snap tool recorded, if it is
	 * mounted; else the image's */
	/* (each candidate's mount checked once) */
	if (named_rev(booted, nbooted, inst, rev)) {
		if (!rev_mounted(d, snapdev, rev)) {
			fprintf(out, "snap: the booted revision %s of %s is not mounted\n", rev, inst);
			rc = 1;
			goto out;
		}
	} else {
		recorded_rev(o, inst, rev);
		if ((!*rev || !rev_mounted(d, snapdev, rev)) &&
		    (!named_rev(image, nimage, inst, rev) || !rev_mounted(d, snapdev, rev))) {
			fprintf(out, "snap: no mounted revision of %s is recorded as current\n", inst);
			rc = 1;
			goto out;
		}
	}
	if (symlinkat(rev, d, "current") < 0) {
		fprintf(out, "snap: cannot link %s/%s/current to %s: %s\n", s->path, inst, rev,
			strerror(errno));
		rc = 1;
	}
out:
	close(d);
	return rc;
}

int smgr_link_all(const struct smgr_opts *o, char **image, int nimage, char **booted, int nbooted, FILE *out,
		  struct diag *err)
{
	struct dirent **names;
	struct snapdir s;
	struct stat st;
	int n, failed = 0;

	if (snapdir_open(o, &s, err))
		return -1;
	n = scandir(s.path, &names, NULL, alphasort);
	if (n < 0 || fstat(s.fd, &st) < 0) {
		diag_errno(err, "cannot list %s", s.path);
		if (n >= 0) {
			for (int i = 0; i < n; i++)
				free(names[i]);
			free(names);
		}
		snapdir_close(&s, -1, err);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			failed += link_one(o, &s, st.st_dev, names[i]->d_name, image, nimage, booted, nbooted,
					   out);
		free(names[i]);
	}
	free(names);
	/* read-only from now on, whatever it was before */
	s.was_ro = true;
	if (snapdir_close(&s, 0, err))
		return -1;
	if (failed)
		return diag_set(err, "%d snaps in %s have no current revision (the lines above)", failed,
				s.path);
	return 0;
}
