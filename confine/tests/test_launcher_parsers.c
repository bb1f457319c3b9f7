// SPDX-License-Identifier: GPL-3.0-only
/*
 * The launcher's parsers, table-driven: security tags and names (snapd's
 * rules), udev tags to security tags and back (snap-device-helper), mount
 * profiles with every x-snapd option and each error, and mountinfo lines
 * with escapes and optional fields.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "device_cgroup.h"
#include "fstab.h"
#include "mountinfo.h"
#include "tag.h"
#include "tap.h"

static void test_tags(void)
{
	static const struct {
		const char *tag, *instance, *app;
		bool hook, good;
	} cases[] = {
		{ "snap.hello.app", "hello", "app", false, true },
		{ "snap.hello-world.App-2", "hello-world", "App-2", false, true },
		{ "snap.hello_foo.app", "hello_foo", "app", false, true },
		{ "snap.hello_1234567890.app", "hello_1234567890", "app", false, true },
		{ "snap.hello.hook.configure", "hello", "configure", true, true },
		{ "snap.hello.hook.post-refresh", "hello", "post-refresh", true, true },
		{ "snap.ab.x", "ab", "x", false, true },
		{ "snap.a1.x", "a1", "x", false, true },
		{ "snap.0ad.x", "0ad", "x", false, true },
		{ "snap.a.x", NULL, NULL, false, false },
		{ "snap.12.x", NULL, NULL, false, false },
		{ "snap.Hello.x", NULL, NULL, false, false },
		{ "snap.-hello.x", NULL, NULL, false, false },
		{ "snap.hello-.x", NULL, NULL, false, false },
		{ "snap.hel--lo.x", NULL, NULL, false, false },
		{ "snap.hello_.x", NULL, NULL, false, false },
		{ "snap.hello_12345678901.x", NULL, NULL, false, false },
		{ "snap.hello_ABC.x", NULL, NULL, false, false },
		{ "snap.hello.", NULL, NULL, false, false },
		{ "snap.hello", NULL, NULL, false, false },
		{ "snap.hello.-app", NULL, NULL, false, false },
		{ "snap.hello.a--b", NULL, NULL, false, false },
		{ "snap.hello.a.b", NULL, NULL, false, false },
		{ "snap.hello.hook.Configure", NULL, NULL, false, false },
		{ "snap.hello.hook.1x", NULL, NULL, false, false },
		{ "snap.hello.hook.", NULL, NULL, false, false },
		{ "snapp.hello.app", NULL, NULL, false, false },
		{ "hello.app", NULL, NULL, false, false },
		{ "", NULL, NULL, false, false },
		{ "snap.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x",
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x", false, true },
		{ "snap.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x", NULL, NULL, false, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sc_tag t;
		char why[256] = "";
		int rc = tag_parse(cases[i].tag, &t, why, sizeof(why));

		if (cases[i].good)
			ok(rc == 0 && !strcmp(t.instance, cases[i].instance) &&
				   !strcmp(t.app, cases[i].app) && t.hook == cases[i].hook,
			   "tag '%s' is valid (%s)", cases[i].tag, why);
		else
			ok(rc == -1 && why[0], "tag '%s' is refused: %s", cases[i].tag, why);
	}
}

static void test_udev_tags(void)
{
	static const struct {
		const char *udev, *sectag; /* sectag NULL: refused */
	} cases[] = {
		{ "snap_hello_app", "snap.hello.app" },
		{ "snap_hello-world_App-2", "snap.hello-world.App-2" },
		{ "snap_hello_foo_app", "snap.hello_foo.app" },
		{ "snap_hello_hook_configure", "snap.hello.hook.configure" },
		{ "snap_hello_foo_hook_post-refresh", "snap.hello_foo.hook.post-refresh" },
		{ "snap_hello_hook", "snap.hello.hook" },
		{ "snap_hello", NULL },
		{ "snap_", NULL },
		{ "snap_Hello_app", NULL },
		{ "snap_hello_-app", NULL },
		{ "snap_hello_app_x_y", NULL },
		{ "snap_hello_hook_", NULL },
		{ "snap_hello_ABC_app", NULL },
		{ "snap.hello.app", NULL },
		{ "snap_hello_hook.configure", NULL },
		{ "snap_hello_foo.app", NULL },
		{ "fuse_hello_app", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256] = "", back[256] = "", why[256] = "";
		int rc = devcg_security_tag(cases[i].udev, out, sizeof(out), why, sizeof(why));

		if (cases[i].sectag) {
			devcg_udev_tag(out, back, sizeof(back));
			ok(rc == 0 && !strcmp(out, cases[i].sectag) && !strcmp(back, cases[i].udev),
			   "udev tag '%s' is %s and back (%s)", cases[i].udev, cases[i].sectag, why);
		} else {
			ok(rc == -1 && why[0], "udev tag '%s' is refused: %s", cases[i].udev, why);
		}
	}
}

static void test_fstab_good(void)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"/var/snap/x/common/a /snap/x/1/b none bind,ro 0 0\n"
		"  /a\\040b /c\\011d none rbind,rw,nodev,nosuid,noexec,rslave\n"
		"tmpfs /usr/share/x tmpfs mode=0755,size=1M,x-snapd.id=foo 0 0\n"
		"none /etc/x none x-snapd.kind=symlink,x-snapd.symlink=/snap/x/1/etc/x,x-snapd.origin=layout "
		"0 0\n"
		"/snap/x/1/f /var/lib/f none bind,x-snapd.kind=file,x-snapd.ignore-missing 0 0\n"
		"none /var/snap/x/common/d none "
		"x-snapd.kind=ensure-dir,x-snapd.mode=0750,x-snapd.uid=12,x-snapd.gid=34 0 0\n";
	struct fstab f = { 0 }, g = { 0 };
	struct diag err;
	char *out;
	size_t len;

	if (!ok(fstab_parse("t.fstab", text, sizeof(text) - 1, &f, &err) == 0 && f.n == 6,
		"a profile of 6 entries parses (%s)", f.n ? "" : err.msg))
		return;
	ok(f.e[0].flags == (MS_BIND | MS_RDONLY) && f.e[0].kind == FSTAB_MOUNT && f.e[0].line == 3,
	   "bind,ro");
	ok(!strcmp(f.e[1].fsname, "/a b") && !strcmp(f.e[1].dir, "/c\td") &&
		   f.e[1].flags == (MS_BIND | MS_REC | MS_NODEV | MS_NOSUID | MS_NOEXEC) &&
		   f.e[1].propagation == (MS_SLAVE | MS_REC) && f.e[1].freq == 0,
	   "escapes, rbind, flags, propagation, no freq/passno");
	ok(!strcmp(f.e[2].type, "tmpfs") && f.e[2].data && !strcmp(f.e[2].data, "mode=0755,size=1M"),
	   "tmpfs with its data options (x-snapd.id dropped)");
	ok(f.e[3].kind == FSTAB_SYMLINK && !strcmp(f.e[3].symlink, "/snap/x/1/etc/x") && f.e[3].layout,
	   "symlink with target, layout origin");
	ok(f.e[4].kind == FSTAB_FILE && f.e[4].ignore_missing, "file kind, ignore-missing");
	ok(f.e[5].kind == FSTAB_ENSURE_DIR && f.e[5].has_mode && f.e[5].mode == 0750 && f.e[5].uid == 12 &&
		   f.e[5].gid == 34,
	   "ensure-dir with mode, uid, gid");
	out = fstab_format(&f, &len);
	ok(out && fstab_parse("again", out, len, &g, &err) == 0 && g.n == f.n &&
		   fstab_entry_equal(&g.e[1], &f.e[1]),
	   "formatting and parsing again gives the same entries");
	free(out);
	fstab_free(&g);
	fstab_free(&f);
}

/* a repeated option: the last one counts, nothing leaks (a fuzzer find) */
static void test_fstab_repeated(void)
{
	static const char text[] =
		"none /a none x-snapd.kind=symlink,x-snapd.symlink=/b,x-snapd.symlink=/c\n";
	struct fstab f = { 0 };
	struct diag err;

	ok(fstab_parse("t", text, sizeof(text) - 1, &f, &err) == 0 && f.n == 1 &&
		   !strcmp(f.e[0].symlink, "/c"),
	   "a repeated x-snapd.symlink: the last one counts");
	fstab_free(&f);
}

/* the entries snapd writes for an instance (overname) and for ensure-dir (must-exist-dir) */
static void test_fstab_instance(void)
{
	static const char text[] =
		"/snap/hello_k /snap/hello none rbind,x-snapd.origin=overname 0 0\n"
		"/var/snap/hello_k /var/snap/hello none rbind,x-snapd.origin=overname 0 0\n"
		"none /home/u/.local/share/x none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/home/u 0 0\n"
		"none /a\\054b/c none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/a\\134054b 0 0\n";
	struct fstab f = { 0 }, g = { 0 };
	struct diag err;
	size_t len;
	char *out;

	if (!ok(fstab_parse("t", text, sizeof(text) - 1, &f, &err) == 0 && f.n == 4, "instance entries: %s",
		f.n ? "parsed" : err.msg))
		return;
	ok(f.e[0].overname && f.e[1].overname && !f.e[2].overname && f.e[0].flags == (MS_BIND | MS_REC) &&
		   !strcmp(f.e[1].fsname, "/var/snap/hello_k") && !strcmp(f.e[1].dir, "/var/snap/hello"),
	   "x-snapd.origin=overname: an rbind marked overname");
	ok(f.e[2].kind == FSTAB_ENSURE_DIR && f.e[2].must_exist && !strcmp(f.e[2].must_exist, "/home/u") &&
		   !f.e[0].must_exist,
	   "x-snapd.must-exist-dir: the directory that must exist");
	ok(!strcmp(f.e[3].dir, "/a,b/c") && !strcmp(f.e[3].must_exist, "/a,b"),
	   "must-exist-dir: a comma escaped in the option, then in the field");
	out = fstab_format(&f, &len);
	ok(out && fstab_parse("again", out, len, &g, &err) == 0 && g.n == 4 && g.e[0].overname &&
		   !strcmp(g.e[3].must_exist, "/a,b") && fstab_entry_equal(&f.e[2], &g.e[2]),
	   "formatted and parsed again: the same entries");
	free(out);
	fstab_free(&g);
	fstab_free(&f);
}

static void test_fstab_bad(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "/a\n", "t.fstab:1: expected 'FSNAME DIR TYPE OPTIONS [FREQ [PASSNO]]'" },
		{ "/a /b none\n", "t.fstab:1: expected 'FSNAME DIR TYPE OPTIONS [FREQ [PASSNO]]'" },
		{ "# c\n/a /b none bind 0 0 7\n", "t.fstab:2: more than 6 fields" },
		{ "/a b none bind\n", "t.fstab:1: mount point 'b' is not a clean absolute path" },
		{ "/a /b/../c none bind\n", "t.fstab:1: mount point '/b/../c' is not a clean absolute path" },
		{ "/a /b/ none bind\n", "t.fstab:1: mount point '/b/' is not a clean absolute path" },
		{ "a /b none bind\n", "t.fstab:1: bind source 'a' is not a clean absolute path" },
		{ "/a /b none bind,x-snapd.frob\n", "t.fstab:1: unknown option 'x-snapd.frob'" },
		{ "/a /b none bind,x-snapd.kind=dir\n", "t.fstab:1: bad value in 'x-snapd.kind=dir'" },
		{ "/a /b none bind,x-snapd.mode=999\n", "t.fstab:1: bad value in 'x-snapd.mode=999'" },
		{ "/a /b none bind,x-snapd.uid=root\n", "t.fstab:1: bad value in 'x-snapd.uid=root'" },
		{ "none /b none x-snapd.kind=symlink\n",
		  "t.fstab:1: x-snapd.kind=symlink needs x-snapd.symlink=TARGET" },
		{ "/a /b none bind,x-snapd.symlink=/c\n",
		  "t.fstab:1: x-snapd.symlink without x-snapd.kind=symlink" },
		/* a repeated option whose last value is bad: refused, the first value freed once (a fuzzer find) */
		{ "none /b none x-snapd.kind=symlink,x-snapd.symlink=/c,x-snapd.symlink=\n",
		  "t.fstab:1: bad value in 'x-snapd.symlink='" },
		{ "none /a/b none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/a,x-snapd.must-exist-dir=a\n",
		  "t.fstab:1: bad value in 'x-snapd.must-exist-dir=a'" },
		{ "/c /b none bind,x-snapd.needed-by=/d,x-snapd.needed-by=d\n",
		  "t.fstab:1: bad value in 'x-snapd.needed-by=d'" },
		{ "/a /b none rw\n", "t.fstab:1: file system type 'none' needs bind or rbind" },
		{ "/a /b none ro,x-snapd.kind=file\n", "t.fstab:1: x-snapd.kind=file is for bind mounts" },
		{ "/a /b none bind x\n", "t.fstab:1: FREQ and PASSNO must be small numbers" },
		{ "/a\\09 /b none bind\n", "t.fstab:1: malformed \\ooo escape" },
		{ "/a\\000 /b none bind\n", "t.fstab:1: malformed \\ooo escape" },
		{ "/a /b none bind,x-snapd.origin=overname\n", "t.fstab:1: x-snapd.origin=overname is for rbind mounts" },
		{ "/a /b none rbind,x-snapd.origin=elsewhere\n", "t.fstab:1: unknown option 'x-snapd.origin=elsewhere'" },
		{ "none /a/b none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/c\n",
		  "t.fstab:1: x-snapd.must-exist-dir '/c' is not a parent of '/a/b'" },
		{ "none /a/b none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/a/b\n",
		  "t.fstab:1: x-snapd.must-exist-dir '/a/b' is not a parent of '/a/b'" },
		{ "none /a/b none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=a\n",
		  "t.fstab:1: bad value in 'x-snapd.must-exist-dir=a'" },
		{ "/c /a/b none bind,x-snapd.must-exist-dir=/a\n",
		  "t.fstab:1: x-snapd.must-exist-dir is for x-snapd.kind=ensure-dir" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fstab f;
		struct diag err = { "" };
		int rc = fstab_parse("t.fstab", cases[i].text, strlen(cases[i].text), &f, &err);

		ok(rc == -1 && !strcmp(err.msg, cases[i].msg) && f.n == 0, "bad fstab %zu: %s", i, err.msg);
	}
}

static void test_mountinfo(void)
{
	static const char text[] =
		"36 25 0:32 / /run rw,nosuid shared:12 master:3 - tmpfs tmpfs rw,mode=755\n"
		"40 36 0:41 /snapd/ns /run/snapd/ns rw - tmpfs tmpfs rw\n"
		"41 40 0:4 mnt:[4026532178] /run/snapd/ns/a\\040b.mnt rw - nsfs nsfs rw\n";
	static const char *const bad[] = {
		"36 25 0:32 / /run rw shared:1\n",
		"x 25 0:32 / /run rw - tmpfs tmpfs rw\n",
		"36 25 032 / /run rw - tmpfs tmpfs rw\n",
		"36 25 0:32 / /r\\09 rw - tmpfs tmpfs rw\n",
		"36 25 0:32 / /run rw - tmpfs tmpfs rw extra\n",
	};
	struct mountinfo m;
	struct diag err;

	if (ok(mountinfo_parse(text, sizeof(text) - 1, &m, &err) == 0 && m.n == 3,
	       "three mountinfo lines parse")) {
		ok(m.e[0].id == 36 && m.e[0].parent == 25 && m.e[0].major == 0 && m.e[0].minor == 32 &&
			   !strcmp(m.e[0].optional, "shared:12 master:3") &&
			   !strcmp(m.e[0].super_opts, "rw,mode=755"),
		   "fields and optional fields");
		ok(!strcmp(m.e[1].optional, "") && !strcmp(m.e[1].root, "/snapd/ns"), "no optional fields");
		ok(!strcmp(m.e[2].mount_point, "/run/snapd/ns/a b.mnt") && !strcmp(m.e[2].fs_type, "nsfs"),
		   "escaped space in a mount point");
		ok(mountinfo_find(&m, "/run/snapd/ns") == &m.e[1] && !mountinfo_find(&m, "/nope"),
		   "find by mount point");
		mountinfo_free(&m);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(mountinfo_parse(bad[i], strlen(bad[i]), &m, &err) == -1 &&
			   !strcmp(err.msg, "mountinfo: line 1 is malformed"),
		   "malformed mountinfo %zu refused", i);
	ok(mountinfo_read_self(&m, &err) == 0 && mountinfo_find(&m, "/") != NULL,
	   "this process's mountinfo has /");
	mountinfo_free(&m);
}

/* names with separators, # and control characters come back unchanged (a fuzzer find) */
static void test_fstab_roundtrip(void)
{
	static const char text[] = "\\015#x\\011 /a\\040#b tmpfs mode=0755\n";
	struct fstab f = { 0 }, g = { 0 };
	struct diag err;
	size_t len;
	char *out;

	if (!ok(fstab_parse("t", text, sizeof(text) - 1, &f, &err) == 0 && f.n == 1 &&
			!strcmp(f.e[0].fsname, "\r#x\t"),
		"an entry with CR, # and TAB in its names parses"))
		return;
	out = fstab_format(&f, &len);
	ok(out && fstab_parse("again", out, len, &g, &err) == 0 && g.n == 1 &&
		   fstab_entry_equal(&f.e[0], &g.e[0]),
	   "... and survives writing and reading back: %s", out ? out : "(null)");
	free(out);
	fstab_free(&f);
	fstab_free(&g);
}

int main(void)
{
	test_tags();
	test_udev_tags();
	test_fstab_good();
	test_fstab_instance();
	test_fstab_bad();
	test_fstab_roundtrip();
	test_fstab_repeated();
	test_mountinfo();
	return tap_done();
}
