// SPDX-License-Identifier: GPL-3.0-only
/*
 * The launcher's root-side decisions that the fake-root tests reach only as
 * root, as unit tests: path walks (links refused anywhere, where a
 * descriptor really is), the area check of snap-update-ns with its
 * component boundaries, trusted_open's owner and mode rules, the identity
 * drop's plan and its verification, and the mimic's record round trip.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fstab.h"
#include "mount_profile.h"
#include "path_walk.h"
#include "privs.h"
#include "tap.h"
#include "trusted_path.h"

static void test_clean_and_under(void)
{
	static const struct {
		const char *path;
		bool clean;
	} clean[] = {
		{ "/", true },	     { "/a", true },	 { "/a/b.c", true }, { "/a/./b", false }, { "/a/../b", false },
		{ "/a//b", false },  { "/a/", false },	 { "a/b", false },   { "", false },	  { "/..", false },
		{ "/...", true },    { "/a,b", true },
	};
	static const struct {
		const char *path, *dir;
		bool under;
	} under[] = {
		{ "/tmp", "/tmp", true },
		{ "/tmp/x", "/tmp", true },
		{ "/tmpx", "/tmp", false },
		{ "/tmpx/new", "/tmp", false },
		{ "/var/snap/hello/x", "/var/snap/hello", true },
		{ "/var/snap/hello-x/new", "/var/snap/hello", false },
		{ "/var/snap/hellox", "/var/snap/hello", false },
		{ "/var/snap", "/var/snap/hello", false },
		{ "/anything", "/", true },
	};

	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		ok(pw_clean(clean[i].path) == clean[i].clean, "pw_clean(\"%s\") is %d", clean[i].path, clean[i].clean);
	for (size_t i = 0; i < sizeof(under) / sizeof(under[0]); i++)
		ok(pw_under(under[i].path, under[i].dir) == under[i].under, "%s %s below %s", under[i].path,
		   under[i].under ? "is" : "is not", under[i].dir);
}

static void test_area(void)
{
	static const struct {
		const char *where;
		bool rdonly, own_tmpfs;
		enum mount_area want;
	} cases[] = {
		{ "/var/snap/hello", false, false, MOUNT_AREA_OWN },
		{ "/var/snap/hello/common/a", false, false, MOUNT_AREA_OWN },
		{ "/var/snap/hello-x", false, false, MOUNT_AREA_HOST },
		{ "/var/snap/hellox/new", false, false, MOUNT_AREA_HOST },
		{ "/var/snap", false, false, MOUNT_AREA_HOST },
		{ "/var/snap/other/common", false, false, MOUNT_AREA_HOST },
		{ "/tmp", false, false, MOUNT_AREA_OWN },
		{ "/tmp/a/b", false, false, MOUNT_AREA_OWN },
		{ "/tmpx", false, false, MOUNT_AREA_HOST },
		{ "/etc", false, false, MOUNT_AREA_HOST },
		{ "/var/lib/snapd", false, false, MOUNT_AREA_HOST },
		{ "/usr/share", true, false, MOUNT_AREA_MIMIC },
		{ "/usr/share", false, true, MOUNT_AREA_OWN },
		{ "/snap/hello/1", false, false, MOUNT_AREA_OWN },
		{ "/snap/hello/1/bin", true, false, MOUNT_AREA_MIMIC },
		{ "/snap/hello-x/1", false, false, MOUNT_AREA_HOST },
		{ "/", true, false, MOUNT_AREA_MIMIC },
		{ "/", false, false, MOUNT_AREA_HOST },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(mount_area_of("hello", cases[i].where, cases[i].rdonly, cases[i].own_tmpfs) == cases[i].want,
		   "area of %s (%s%s) for snap hello: %s", cases[i].where, cases[i].rdonly ? "read-only" : "writable",
		   cases[i].own_tmpfs ? ", the profile's tmpfs" : "",
		   cases[i].want == MOUNT_AREA_OWN ? "the snap's" : cases[i].want == MOUNT_AREA_MIMIC ? "mimic" : "host");
	/* the instance hello_k: the snap name's directories are its own only under its overname bind */
	ok(mount_area_of("hello_k", "/var/snap/hello_k/1", false, false) == MOUNT_AREA_OWN &&
		   mount_area_of("hello_k", "/snap/hello_k/1", false, false) == MOUNT_AREA_OWN,
	   "instance hello_k: /var/snap/hello_k and /snap/hello_k are its own");
	ok(mount_area_of("hello_k", "/var/snap/hello/1", false, false) == MOUNT_AREA_HOST &&
		   mount_area_of("hello_k", "/snap/hello/1", false, false) == MOUNT_AREA_HOST,
	   "instance hello_k: hello's /var/snap/hello and /snap/hello are not, without the overname bind");
	ok(mount_area_of("hello_k", "/var/snap/hello/1", false, true) == MOUNT_AREA_OWN,
	   "instance hello_k: /var/snap/hello under its overname bind is its own");
}

static char top[64];

static void mk(const char *rel, mode_t mode)
{
	char p[256];

	snprintf(p, sizeof(p), "%s%s", top, rel);
	if ((mkdir(p, mode) < 0 && errno != EEXIST) || chmod(p, mode) < 0)
		perror(p);
}

static void mkfile(const char *rel, mode_t mode)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s%s", top, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || fchmod(fd, mode) < 0)
		perror(p);
	if (fd >= 0)
		close(fd);
}

static void mklink(const char *target, const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s%s", top, rel);
	if (symlink(target, p) < 0)
		perror(p);
}

static void test_walk(void)
{
	struct pw_root r = { .prefix = top };
	struct diag err;
	const char *last;
	char where[256];
	int fd;

	mk("/a", 0755);
	mk("/a/b", 0755);
	mkfile("/a/b/f", 0644);
	mklink("/", "/a/up");
	mklink("b", "/a/rel");
	mklink("/etc/passwd", "/a/b/lf");
	r.fd = open(top, O_PATH | O_DIRECTORY);
	fd = pw_open(&r, "/a/b/f", O_PATH, &err);
	ok(fd >= 0, "pw_open of a file below the root");
	ok(fd >= 0 && pw_where(&r, fd, where, sizeof(where), &err) == 0 && !strcmp(where, "/a/b/f"),
	   "pw_where: where it really is, below the root (%s)", fd >= 0 ? where : "-");
	if (fd >= 0)
		close(fd);
	errno = 0;
	fd = pw_open(&r, "/a/up/etc", O_PATH | O_DIRECTORY, &err);
	ok(fd < 0 && errno == ELOOP && strstr(err.msg, "'up' is a symbolic link"), "a link on the way is refused: %s",
	   err.msg);
	errno = 0;
	fd = pw_open(&r, "/a/rel/f", O_PATH, &err);
	ok(fd < 0 && errno == ELOOP, "... a relative one too");
	errno = 0;
	fd = pw_open(&r, "/a/b/lf", O_PATH, &err);
	ok(fd < 0 && errno == ELOOP, "a link as the last component is refused (O_PATH would open the link itself)");
	errno = 0;
	fd = pw_open(&r, "/a/b/missing", O_PATH, &err);
	ok(fd < 0 && errno == ENOENT, "a missing entry: ENOENT");
	fd = pw_open(&r, "/a/../a", O_PATH, &err);
	ok(fd < 0 && strstr(err.msg, "not a clean absolute path"), "'..' is refused before anything is opened");
	fd = pw_open_parent(&r, "/a/b/new", &last, &err);
	ok(fd >= 0 && !strcmp(last, "new") && pw_where(&r, fd, where, sizeof(where), &err) == 0 && !strcmp(where, "/a/b"),
	   "pw_open_parent: the directory and the last name");
	if (fd >= 0)
		close(fd);
	fd = pw_open_parent(&r, "/top", &last, &err);
	ok(fd >= 0 && pw_where(&r, fd, where, sizeof(where), &err) == 0 && !strcmp(where, "/"),
	   "pw_open_parent of an entry of the root: the root itself");
	if (fd >= 0)
		close(fd);
	close(r.fd);
}

static void test_trusted(void)
{
	struct diag err;
	int root, fd;

	if (geteuid() != 0) {
		skip(9, "trusted_open's owner rules need files owned by root (run as root)");
		return;
	}
	mk("/t", 0755);
	mk("/t/bpf", 0755);
	mkfile("/t/bpf/good", 0644);
	mkfile("/t/bpf/gw", 0664);
	mkfile("/t/bpf/ow", 0646);
	mkfile("/t/bpf/user", 0644);
	{
		char p[256];

		snprintf(p, sizeof(p), "%s/t/bpf/user", top);
		if (chown(p, 4242, 0) < 0)
			perror(p);
		snprintf(p, sizeof(p), "%s/t/fifo", top);
		if (mkfifo(p, 0644) < 0)
			perror(p);
	}
	mklink("bpf", "/t/link");
	root = open(top, O_PATH | O_DIRECTORY);
	fd = trusted_open_below(root, "/t/bpf/good", &err);
	ok(fd >= 0, "trusted: root's file, 0644, in root's 0755 directories");
	if (fd >= 0)
		close(fd);
	ok(trusted_open_below(root, "/t/bpf/gw", &err) < 0 && strstr(err.msg, "writable by its group"),
	   "trusted: a group-writable file is refused (%s)", err.msg);
	ok(trusted_open_below(root, "/t/bpf/ow", &err) < 0 && strstr(err.msg, "writable by others"),
	   "trusted: an other-writable file is refused");
	ok(trusted_open_below(root, "/t/bpf/user", &err) < 0 && strstr(err.msg, "owned by 4242:0"),
	   "trusted: a file of another owner is refused (%s)", err.msg);
	ok(trusted_open_below(root, "/t/link/good", &err) < 0 && strstr(err.msg, "symbolic link"),
	   "trusted: a link on the way is refused");
	ok(trusted_open_below(root, "/t/fifo", &err) < 0 && strstr(err.msg, "not a regular file"),
	   "trusted: a FIFO is not a regular file (and opening it did not block)");
	mk("/t/bpf", 0775);
	ok(trusted_open_below(root, "/t/bpf/good", &err) < 0 && strstr(err.msg, "the directory bpf is writable by its group"),
	   "trusted: a group-writable directory on the way is refused (%s)", err.msg);
	mk("/t/bpf", 0757);
	ok(trusted_open_below(root, "/t/bpf/good", &err) < 0 && strstr(err.msg, "writable by others"),
	   "trusted: an other-writable directory on the way is refused");
	mk("/t/bpf", 0755);
	ok(trusted_open_below(root, "/t/bpf/../bpf/good", &err) < 0, "trusted: '..' is refused");
	close(root);
}

/* reads path with trusted_read: its content, or "" with the reason in err */
static const char *tread(const char *path, struct diag *err)
{
	static char got[64];
	char *buf;
	size_t len;

	got[0] = '\0';
	err->msg[0] = '\0';
	if (trusted_read(path, sizeof(got) - 1, &buf, &len, err) == 0) {
		memcpy(got, buf, len);
		got[len] = '\0';
		free(buf);
	}
	return got;
}

/* the errno a failed tread of path leaves (0 when it read the file) */
static int tread_errno(const char *path, struct diag *err)
{
	errno = 0;
	tread(path, err);
	return errno;
}

/*
 * trusted_hold: the files below a held directory are walked from its
 * descriptor, with every check below it; the tree is under /run (root's
 * 0755: the checks up from / pass), not /tmp
 */
static void test_trusted_hold(void)
{
	char saved[sizeof(top)], d[128], f[200], old[160];
	struct diag err;

	if (geteuid() != 0) {
		skip(11, "trusted_hold's checks need directories owned by root up from / (run as root)");
		return;
	}
	memcpy(saved, top, sizeof(top));
	snprintf(top, sizeof(top), "/run/test-hold.XXXXXX");
	if (!mkdtemp(top) || chmod(top, 0755) < 0) {
		perror(top);
		memcpy(top, saved, sizeof(top));
		skip(11, "cannot make a directory in /run");
		return;
	}
	mk("/held", 0755);
	mk("/held/bpf", 0755);
	mkfile("/held/bpf/good", 0644);
	mkfile("/held/bpf/gw", 0664);
	mklink("bpf", "/held/link");
	snprintf(f, sizeof(f), "%s/held/bpf/good", top);
	{
		int fd = open(f, O_WRONLY);

		if (fd < 0 || write(fd, "first", 5) != 5)
			perror(f);
		if (fd >= 0)
			close(fd);
	}
	snprintf(d, sizeof(d), "%s/held", top);
	trusted_hold(d);
	ok(!strcmp(tread(f, &err), "first"), "hold: a file below the held directory is read (%s)", err.msg);
	/* the directory moved away and another put in its place (by root): the held one is read */
	snprintf(old, sizeof(old), "%s/held.old", top);
	if (rename(d, old) < 0)
		perror(d);
	mk("/held", 0755);
	mk("/held/bpf", 0755);
	mkfile("/held/bpf/good", 0644);
	ok(!strcmp(tread(f, &err), "first"),
	   "hold: read from the held descriptor, not the path walked again");
	snprintf(f, sizeof(f), "%s/held/bpf/gw", top);
	ok(!strcmp(tread(f, &err), "") && strstr(err.msg, "writable by its group") &&
		   strstr(err.msg, "/held/bpf/gw"),
	   "hold: a group-writable file below it is still refused, named in full (%s)", err.msg);
	snprintf(f, sizeof(f), "%s/held/link/good", top);
	ok(!strcmp(tread(f, &err), "") && strstr(err.msg, "symbolic link"),
	   "hold: a link below it is still refused (%s)", err.msg);
	snprintf(f, sizeof(f), "%s/bpf", old);
	if (chmod(f, 0757) < 0)
		perror(f);
	snprintf(f, sizeof(f), "%s/held/bpf/good", top);
	ok(!strcmp(tread(f, &err), "") && strstr(err.msg, "the directory bpf is writable by others"),
	   "hold: an other-writable directory below it is still refused (%s)", err.msg);
	snprintf(f, sizeof(f), "%s/bpf", old);
	if (chmod(f, 0755) < 0)
		perror(f);
	snprintf(f, sizeof(f), "%s/held/bpf/none", top);
	ok(tread_errno(f, &err) == ENOENT, "hold: a missing file is ENOENT, as from / (%s)", err.msg);
	trusted_release();
	/* released: the path is walked from / again, finding the new directory's empty file */
	snprintf(f, sizeof(f), "%s/held/bpf/good", top);
	ok(!strcmp(tread(f, &err), "") && !err.msg[0], "release: the path walked from / again (%s)", err.msg);
	/* a directory that fails its checks is not held: below it fails as from / */
	mk("/held", 0775);
	trusted_hold(d);
	ok(!strcmp(tread(f, &err), "") && strstr(err.msg, "the directory held is writable by its group"),
	   "hold of a group-writable directory: the read below it refused (%s)", err.msg);
	trusted_release();
	mk("/held", 0755);
	snprintf(d, sizeof(d), "%s/none", top);
	trusted_hold(d);
	snprintf(f, sizeof(f), "%s/none/file", top);
	ok(tread_errno(f, &err) == ENOENT, "hold of a missing directory: ENOENT below it (%s)", err.msg);
	trusted_release();
	/* two held at once (below one "/" opened for both): each read from its own */
	snprintf(d, sizeof(d), "%s/held", top);
	trusted_hold(d);
	trusted_hold(old);
	snprintf(f, sizeof(f), "%s/moved", top); /* held.old moved away: its descriptor is read */
	if (rename(old, f) < 0)
		perror(old);
	{
		char g[200];

		snprintf(g, sizeof(g), "%s/bpf/good", old);
		snprintf(f, sizeof(f), "%s/held/bpf/good", top);
		ok(!strcmp(tread(g, &err), "first") && !strcmp(tread(f, &err), "") && !err.msg[0],
		   "two holds: each directory's file read from its own descriptor (%s)", err.msg);
	}
	trusted_release();
	/* a symbolic link for the directory itself: not held, refused below it */
	snprintf(d, sizeof(d), "%s/ln", top);
	if (symlink("held", d) < 0)
		perror(d);
	trusted_hold(d);
	snprintf(f, sizeof(f), "%s/ln/bpf/good", top);
	ok(!strcmp(tread(f, &err), "") && strstr(err.msg, "symbolic link"),
	   "hold of a link: the read below it refused (%s)", err.msg);
	trusted_release();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
		if (system(cmd) != 0)
			diag("cannot remove %s", top);
	}
	memcpy(top, saved, sizeof(top));
}

static void test_drop(void)
{
	const unsigned admin[2][2] = { { 1u << 21, 0 }, { 1u << 21, 0 } };
	const unsigned more[2][2] = { { (1u << 21) | 1u, 0 }, { 1u << 21, 0 } };
	const unsigned high[2][2] = { { 1u << 21, 0 }, { 1u << 21, 1 } };
	const uid_t u[3] = { 4242, 4242, 4242 }, saved_root[3] = { 4242, 4242, 0 };
	const gid_t g[3] = { 4242, 4242, 4242 }, eg_root[3] = { 4242, 0, 4242 };
	struct drop_plan p;
	struct diag err;

	sc_drop_plan(0, 0, &p);
	ok(!p.change, "drop plan: a root caller keeps root (nothing to change)");
	sc_drop_plan(4242, 4242, &p);
	ok(p.change && p.uid == 4242 && p.gid == 4242, "drop plan: a user's ids in all three places");
	ok(sc_drop_verify(&p, u, g, admin, &err) == 0, "drop verified: the caller's ids, CAP_SYS_ADMIN only");
	ok(sc_drop_verify(&p, saved_root, g, admin, &err) < 0 && strstr(err.msg, "did not change"),
	   "drop refused: a saved uid of root left (it could be taken back)");
	ok(sc_drop_verify(&p, u, eg_root, admin, &err) < 0, "drop refused: an effective gid of root left");
	ok(sc_drop_verify(&p, u, g, more, &err) < 0 && strstr(err.msg, "effective word 0"),
	   "drop refused: another capability left (%s)", err.msg);
	ok(sc_drop_verify(&p, u, g, high, &err) < 0 && strstr(err.msg, "permitted word 1"),
	   "drop refused: a capability above 31 left");
}

static void test_mimic_record(void)
{
	static const char *const dirs[] = {
		"/usr/share/a,b", "/usr/share/c\\d", "/usr/share/with space", "/usr/share/#hash",
		"/usr/share/x,\\054,y", "/usr/share/tab\there", "/usr/share/plain",
	};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct fstab f = { 0 }, back;
		struct diag err;
		size_t len;
		char *text;
		bool same = false;

		if (fstab_append_mimic(&f, "/usr/share", dirs[i], "mode=0755,uid=0,gid=0"))
			abort();
		text = fstab_format(&f, &len);
		if (text && fstab_parse("record", text, len, &back, &err) == 0) {
			same = back.n == 1 && fstab_entry_equal(&back.e[0], &f.e[0]) && back.e[0].synthetic &&
			       back.e[0].needed_by && !strcmp(back.e[0].needed_by, dirs[i]);
			fstab_free(&back);
		} else {
			diag("%s", err.msg);
		}
		ok(same, "the mimic's record for a mount point '%s' parses back to the same entry", dirs[i]);
		free(text);
		fstab_free(&f);
	}
}

int main(void)
{
	snprintf(top, sizeof(top), "/tmp/test-paths.XXXXXX");
	if (!mkdtemp(top) || chmod(top, 0755) < 0)
		return perror("mkdtemp"), 1;
	test_clean_and_under();
	test_area();
	test_walk();
	test_trusted();
	test_trusted_hold();
	test_drop();
	test_mimic_record();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
		if (system(cmd) != 0)
			diag("cannot remove %s", top);
	}
	return tap_done();
}
