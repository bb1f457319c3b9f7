// SPDX-License-Identifier: GPL-3.0-only
/*
 * libFuzzer target: snap-update-ns's engine (mount_profile.c over
 * path_walk.c) against random trees and random profiles. The input is text:
 *
 *   d PATH | f PATH | l PATH TARGET | r PATH      the tree (dirs, files,
 *   --                                             links, read-only binds)
 *   a mount profile                                applied from nothing
 *   --
 *   another mount profile                          applied as a change
 *
 * then everything is undone. The oracle: no file, directory or link is ever
 * created in a directory that existed before outside the snap's areas
 * (/var/snap/hello, /snap/hello, /tmp) on the tree's own file systems; the
 * tmpfs mimics and mounts the profile makes are the only other place new
 * entries may appear. Links may point anywhere, "/" and ".." included.
 *
 * The oracle looks at the two file systems without their mounts: through a
 * bind of each (not recursive) made before the profiles run, /view-root of
 * the scratch directory and /view-w of /w's tmpfs, so that an entry hidden
 * under a mount is seen too, and each directory once: through the mounts, a
 * profile's n rbinds of an area into itself show it 2^n times.
 *
 * Everything happens in a private mount namespace (a user namespace when
 * not root), chrooted into a scratch directory, on a tmpfs mounted afresh
 * for each input at /w, the root of the walks: even a walker that followed
 * a link could only reach the scratch directory. libFuzzer's corpus and
 * artifact directories (from the command line) are bound into it at their
 * own paths.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fstab.h"
#include "mount_profile.h"
#include "path_walk.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	perror(what);
	abort();
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		die(path);
	close(fd);
}

/* binds the directory dir at the same path below top */
static void expose(const char *top, const char *dir)
{
	char inside[4096];
	struct stat st;

	if (dir[0] != '/' || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	snprintf(inside, sizeof(inside), "%s%s", top, dir);
	for (char *s = inside + strlen(top) + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(inside, 0755);
			*s = '/';
		}
	mkdir(inside, 0755);
	if (mount(dir, inside, NULL, MS_BIND, NULL) < 0)
		die(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dirs[] = { "/w", "/outside", "/view-root", "/view-w" };
	char top[] = "/tmp/fuzz-path-walk.XXXXXX", p[128];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (!mkdtemp(top))
		die("mkdtemp");
	if (uid != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			die("unshare(CLONE_NEWUSER)");
		snprintf(p, sizeof(p), "0 %u 1", (unsigned)uid);
		write_file("/proc/self/setgroups", "deny");
		write_file("/proc/self/uid_map", p);
		snprintf(p, sizeof(p), "0 %u 1", (unsigned)gid);
		write_file("/proc/self/gid_map", p);
	} else if (unshare(CLONE_NEWNS) < 0) {
		die("unshare");
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("private /");
	snprintf(p, sizeof(p), "%s/proc", top);
	if (mkdir(p, 0755) < 0 || mount("/proc", p, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("/proc");
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", top, dirs[i]);
		if (mkdir(p, 0755) < 0)
			die(dirs[i]);
	}
	for (int i = 1; i < *argc; i++) {
		const char *a = (*argv)[i];

		if (!strncmp(a, "-artifact_prefix=", 17)) {
			char dir[4096];

			snprintf(dir, sizeof(dir), "%s", a + 17);
			if (strrchr(dir, '/'))
				*strrchr(dir, '/') = '\0';
			expose(top, dir);
		} else if (a[0] == '/') {
			expose(top, a);
		}
	}
	if (chroot(top) < 0 || chdir("/") < 0)
		die("chroot");
	if (mount("/", "/view-root", NULL, MS_BIND, NULL) < 0)
		die("/view-root");
	return 0;
}

/* the identity of every directory and entry before the profiles ran */
struct seen {
	size_t n, cap;
	struct {
		dev_t dev;
		ino_t ino;
		bool allowed; /* a directory where entries may be created */
	} *e;
};

static void seen_add(struct seen *s, dev_t dev, ino_t ino, bool allowed)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->e = realloc(s->e, s->cap * sizeof(*s->e));
		if (!s->e)
			abort();
	}
	s->e[s->n].dev = dev;
	s->e[s->n].ino = ino;
	s->e[s->n].allowed = allowed;
	s->n++;
}

static int seen_find(const struct seen *s, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].dev == dev && s->e[i].ino == ino)
			return (int)i;
	return -1;
}

static bool in_area(const char *path)
{
	return pw_under(path, "/w/var/snap/hello") || pw_under(path, "/w/snap/hello") || pw_under(path, "/w/tmp");
}

/*
 * Walks one file system through its view (no mounts in it): path is where
 * the walk is, name where that is outside the view (for the areas). Before:
 * records everything. After: a new entry must sit in a directory where
 * creating is allowed.
 */
static void scan(const char *path, const char *name, const struct stat *dst, bool after, struct seen *s,
		 int depth)
{
	struct dirent *de;
	DIR *d;

	if (depth > 40)
		return;
	if (!after && seen_find(s, dst->st_dev, dst->st_ino) < 0)
		seen_add(s, dst->st_dev, dst->st_ino, in_area(name));
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char child[4096], cname[4096];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (depth == 0 && !strcmp(name, "/") && strcmp(de->d_name, "outside"))
			continue; /* the scratch directory's own: proc, the views, libFuzzer's */
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		snprintf(cname, sizeof(cname), "%s/%s", strcmp(name, "/") ? name : "", de->d_name);
		if (lstat(child, &st) < 0 || st.st_dev != dst->st_dev)
			continue;
		if (after && seen_find(s, st.st_dev, st.st_ino) < 0) {
			int parent = seen_find(s, dst->st_dev, dst->st_ino);

			if (parent < 0 || !s->e[parent].allowed) {
				fprintf(stderr, "CREATED OUTSIDE THE AREAS: %s\n", cname);
				abort();
			}
			seen_add(s, st.st_dev, st.st_ino, true);
		} else if (!after && seen_find(s, st.st_dev, st.st_ino) < 0) {
			seen_add(s, st.st_dev, st.st_ino, S_ISDIR(st.st_mode) && in_area(cname));
		}
		if (S_ISDIR(st.st_mode))
			scan(child, cname, &st, after, s, depth + 1);
	}
	closedir(d);
}

static void scan_all(bool after, struct seen *s)
{
	struct stat st;

	if (lstat("/view-root", &st) == 0)
		scan("/view-root", "/", &st, after, s, 0);
	if (lstat("/view-w", &st) == 0)
		scan("/view-w", "/w", &st, after, s, 0);
}

/* mkdir -p of /w + rel */
static void mkdirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(buf, 0755);
			*s = '/';
		}
	mkdir(buf, 0755);
}

static void build_tree(char *text)
{
	static const char *const skeleton[] = { "/w/var/snap/hello/common", "/w/tmp", "/w/snap/hello/1/data",
						"/w/usr/share/doc", "/w/etc", "/w/var/lib/snapd/mount" };

	for (size_t i = 0; i < sizeof(skeleton) / sizeof(skeleton[0]); i++)
		mkdirs(skeleton[i]);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char path[512], *sp = strchr(line + (line[0] ? 2 : 0), ' ');

		if (strlen(line) < 3 || line[1] != ' ')
			continue;
		if (sp)
			*sp = '\0';
		if (!pw_clean(line + 2) || strlen(line + 2) > 300)
			continue;
		snprintf(path, sizeof(path), "/w%s", line + 2);
		switch (line[0]) {
		case 'd':
			mkdirs(path);
			break;
		case 'f':
			close(open(path, O_WRONLY | O_CREAT, 0644));
			break;
		case 'l':
			if (sp)
				symlink(sp + 1, path);
			break;
		case 'r':
			if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) == 0)
				mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
			break;
		}
	}
	mount("/w/snap/hello/1", "/w/snap/hello/1", NULL, MS_BIND, NULL);
	mount(NULL, "/w/snap/hello/1", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	mount("/w/usr", "/w/usr", NULL, MS_BIND, NULL);
	mount(NULL, "/w/usr", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

/* profiles: tmpfs as the only file system, bind sources in the snap's own areas (a profile is trusted) */
static bool acceptable(const struct fstab *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct fstab_entry *e = &f->e[i];

		if (e->kind == FSTAB_SYMLINK || e->kind == FSTAB_ENSURE_DIR)
			continue;
		if (e->flags & MS_BIND) {
			if (!pw_under(e->fsname, "/var/snap/hello") && !pw_under(e->fsname, "/snap/hello") &&
			    !pw_under(e->fsname, "/tmp"))
				return false;
		} else if (strcmp(e->type, "tmpfs")) {
			return false;
		}
	}
	return true;
}

/* FUZZ_VERBOSE=1 (one input run again): what each step did, when */
static void report(const char *step, int rc, const struct diag *err, const struct seen *s)
{
	static int verbose = -1;
	struct timespec ts;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (!verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "fuzz_path_walk: %ld.%03ld %s: %s (%zu entries seen)\n", (long)ts.tv_sec,
		ts.tv_nsec / 1000000, step, rc ? err->msg : "ok", s->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *tree, *p1, *p2;
	struct fstab d1 = { 0 }, d2 = { 0 }, none = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
	struct mount_profile_ctx c = { .snap = "hello", .root = { .prefix = "/w" } };
	struct seen s = { 0 };
	struct diag err;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (memchr(data, '\0', size)) {
		free(text);
		return 0;
	}
	tree = text;
	p1 = strstr(tree, "\n--\n");
	if (!p1) {
		free(text);
		return 0;
	}
	*p1 = '\0';
	p1 += 4;
	p2 = strstr(p1, "\n--\n");
	if (p2) {
		*p2 = '\0';
		p2 += 4;
	} else {
		p2 = p1 + strlen(p1);
	}
	if (fstab_parse("p1", p1, strlen(p1), &d1, &err) || fstab_parse("p2", p2, strlen(p2), &d2, &err) ||
	    !acceptable(&d1) || !acceptable(&d2))
		goto out;
	if (mount("tmpfs", "/w", "tmpfs", 0, "mode=0755") < 0)
		die("tmpfs on /w");
	if (mount("/w", "/view-w", NULL, MS_BIND, NULL) < 0)
		die("/view-w");
	build_tree(tree);
	scan_all(false, &s);
	report("tree", 0, NULL, &s);
	c.root.fd = open("/w", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c.root.fd < 0)
		die("/w");
	report("first profile", mount_profile_apply(&c, &d1, &none, &a1, &err), &err, &s);
	report("second profile", mount_profile_apply(&c, &d2, &a1, &a2, &err), &err, &s);
	scan_all(true, &s);
	report("checked", 0, NULL, &s);
	report("undone", mount_profile_apply(&c, &none, &a2, &a3, &err), &err, &s);
	scan_all(true, &s);
	report("checked", 0, NULL, &s);
	close(c.root.fd);
	umount2("/view-w", MNT_DETACH);
	while (umount2("/w", MNT_DETACH) == 0)
		;
out:
	fstab_free(&d1);
	fstab_free(&d2);
	fstab_free(&a1);
	fstab_free(&a2);
	fstab_free(&a3);
	free(s.e);
	free(text);
	return 0;
}
