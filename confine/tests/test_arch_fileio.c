// SPDX-License-Identifier: GPL-3.0-only
/*
 * Architectures and board targets (arch.h), and whole-file reads and
 * atomic writes (fileio.h) in a scratch directory under /tmp.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "fileio.h"
#include "tap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- architectures */

static void test_arch_by_name(void)
{
	static const struct {
		const char *name, *canonical;
		uint32_t audit;
		unsigned bits;
	} known[] = {
		{ "x86_64", "x86_64", ARCH_AUDIT_X86_64, 64 }, { "x86", "x86", ARCH_AUDIT_I386, 32 },
		{ "aarch64", "aarch64", ARCH_AUDIT_AARCH64, 64 }, { "arm", "arm", ARCH_AUDIT_ARM, 32 },
		{ "amd64", "x86_64", ARCH_AUDIT_X86_64, 64 },	  { "i386", "x86", ARCH_AUDIT_I386, 32 },
		{ "arm64", "aarch64", ARCH_AUDIT_AARCH64, 64 },	  { "armhf", "arm", ARCH_AUDIT_ARM, 32 },
	};
	static const char *const unknown[] = { "mips", "", "x86-64", "x86_64 ", "arm,", "riscv64", "ppc64el" };
	const struct arch_info *a;
	size_t i;

	for (i = 0; i < ARRAY_LEN(known); i++) {
		a = arch_by_name(known[i].name);
		ok(a && !strcmp(a->name, known[i].canonical) && a->audit == known[i].audit && a->bits == known[i].bits,
		   "arch_by_name(\"%s\") = %s, audit 0x%08x, %u bits", known[i].name, a ? a->name : "NULL",
		   a ? a->audit : 0, a ? a->bits : 0);
		ok(a && a == arch_by_name(known[i].canonical), "arch_by_name(\"%s\") is the same entry as \"%s\"",
		   known[i].name, known[i].canonical);
	}
	for (i = 0; i < ARRAY_LEN(unknown); i++)
		ok(arch_by_name(unknown[i]) == NULL, "arch_by_name(\"%s\") = NULL", unknown[i]);
	ok(arch_by_name(NULL) == NULL, "arch_by_name(NULL) = NULL");

	a = arch_by_name("x86_64");
	ok(a && a->x32_bit && a->private_lo == 0 && a->private_hi == 0, "x86_64 has the x32 bit, no private range");
	a = arch_by_name("arm");
	ok(a && !a->x32_bit && a->private_lo == 0x0f0000 && a->private_hi == 0x0f07ff,
	   "arm's private calls are 0x0f0000..0x0f07ff");
	a = arch_by_name("aarch64");
	ok(a && !a->x32_bit && a->private_lo == 0 && a->private_hi == 0, "aarch64 has neither");
}

static void test_arch_by_audit(void)
{
	static const struct {
		uint32_t audit;
		const char *name;
	} known[] = {
		{ ARCH_AUDIT_X86_64, "x86_64" },
		{ ARCH_AUDIT_I386, "x86" },
		{ ARCH_AUDIT_AARCH64, "aarch64" },
		{ ARCH_AUDIT_ARM, "arm" },
	};
	bool distinct = true;
	size_t i, j;

	for (i = 0; i < ARRAY_LEN(known); i++) {
		const struct arch_info *a = arch_by_audit(known[i].audit);

		ok(a && !strcmp(a->name, known[i].name) && a == arch_by_name(known[i].name),
		   "arch_by_audit(0x%08x) = %s", known[i].audit, a ? a->name : "NULL");
	}
	ok(arch_by_audit(0) == NULL, "arch_by_audit(0) = NULL");
	ok(arch_by_audit(0xc0000028u) == NULL, "arch_by_audit(ARM with the 64-bit flag) = NULL");
	ok(arch_by_audit(ARCH_AUDIT_I386 | 0x80000000u) == NULL, "arch_by_audit(i386 with the 64-bit flag) = NULL");

	for (i = 0; i < arch_count; i++)
		for (j = i + 1; j < arch_count; j++)
			if (arch_all[i] == arch_all[j] || arch_all[i]->audit == arch_all[j]->audit ||
			    !strcmp(arch_all[i]->name, arch_all[j]->name))
				distinct = false;
	ok(arch_count == 4 && distinct, "arch_all lists %zu distinct architectures", arch_count);
}

static bool target_is(const struct target *t, const char *board, const char *a0, const char *a1)
{
	size_t want = a1 ? 2 : a0 ? 1 : 0;

	if ((board == NULL) != (t->board == NULL) || (board && strcmp(board, t->board)))
		return false;
	if (t->narch != want)
		return false;
	if (a0 && (!t->arch[0] || strcmp(t->arch[0]->name, a0)))
		return false;
	if (a1 && (!t->arch[1] || strcmp(t->arch[1]->name, a1)))
		return false;
	return true;
}

static void test_targets(void)
{
	static const struct {
		const char *list, *a0, *a1;
	} good[] = {
		{ "x86_64", "x86_64", NULL },
		{ "x86_64,x86", "x86_64", "x86" },
		{ "x86,x86_64", "x86", "x86_64" },
		{ "arm64,armhf", "aarch64", "arm" },
		{ "arm", "arm", NULL },
		{ "amd64,i386", "x86_64", "x86" },
	};
	static const struct {
		const char *list, *why, *word;
	} bad[] = {
		{ "mips", "an unknown name", "mips" },
		{ "x86_64,sparc", "an unknown second name", "sparc" },
		{ "x86_64,x86_64", "a repeated name", "twice" },
		{ "x86_64,amd64", "a name repeated through an alias", "twice" },
		{ "x86_64,x86,arm", "three architectures", "at most" },
		{ "x86_64,x86,x86", "three with a repeat", "" },
		{ "", "an empty list", "empty" },
		{ "x86_64,", "an empty last element", "empty" },
		{ ",x86", "an empty first element", "empty" },
		{ "x86_64,,x86", "an empty middle element", "empty" },
		{ "x86_64_and_a_name_that_is_far_too_long_to_be_real", "an overlong name", "" },
	};
	struct target t;
	char why[256];
	size_t i;

	ok(target_for_board("pc", &t) == 0 && target_is(&t, "pc", "x86_64", "x86"), "board pc = x86_64 + x86");
	ok(target_for_board("dragonboard", &t) == 0 && target_is(&t, "dragonboard", "aarch64", "arm"),
	   "board dragonboard = aarch64 + arm");
	ok(target_for_board("pi2", &t) == 0 && target_is(&t, "pi2", "arm", NULL), "board pi2 = arm only");
	memset(&t, 0x55, sizeof(t));
	ok(target_for_board("rpi4", &t) == -1 && t.narch == 0 && t.board == NULL,
	   "an unknown board is -1 and leaves an empty target");
	ok(target_for_board("", &t) == -1 && target_for_board("PC", &t) == -1, "board names are exact");
	ok(target_for_board(NULL, &t) == -1, "a NULL board is -1");

	for (i = 0; i < ARRAY_LEN(good); i++) {
		int rc;

		why[0] = '\0';
		memset(&t, 0x55, sizeof(t));
		rc = target_parse_arch_list(good[i].list, &t, why, sizeof(why));
		ok(rc == 0 && target_is(&t, NULL, good[i].a0, good[i].a1), "arch list \"%s\" = %s%s%s (%s)",
		   good[i].list, good[i].a0, good[i].a1 ? ", " : "", good[i].a1 ? good[i].a1 : "",
		   rc ? why : "ok");
	}
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		int rc;

		why[0] = '\0';
		rc = target_parse_arch_list(bad[i].list, &t, why, sizeof(why));
		ok(rc == -1 && why[0] != '\0' && strstr(why, bad[i].word) != NULL,
		   "arch list \"%s\" (%s) is rejected: \"%s\"", bad[i].list, bad[i].why, why);
	}

	memset(&t, 0, sizeof(t));
	target_native(&t);
#if defined(__x86_64__)
	ok(target_is(&t, "pc", "x86_64", "x86"), "target_native on this x86_64 host is the pc board");
#else
	skip(1, "not an x86_64 host");
#endif
}

/* ---- file helpers */

static char scratch[64];

static int put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = len ? write(fd, data, len) : 0;
	if (close(fd) || w != (ssize_t)len)
		return -1;
	return 0;
}

/* whole content of path compared with data */
static bool file_is(const char *path, const void *data, size_t len)
{
	char buf[256];
	ssize_t r;
	int fd;

	if (len > sizeof(buf))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return r == (ssize_t)len && !memcmp(buf, data, len);
}

/* the number of entries in dir, and whether one looks like a temporary (starts with a dot) */
static int count_entries(const char *dir, bool *dotfile)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);

	*dotfile = false;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.')
			*dotfile = true;
		n++;
	}
	closedir(d);
	return n;
}

static char *path_in(const char *name)
{
	static char bufs[4][256];
	static unsigned next;
	char *p = bufs[next++ % ARRAY_LEN(bufs)];

	snprintf(p, sizeof(bufs[0]), "%s/%s", scratch, name);
	return p;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* ---- file_read_all */

static void read_case(const char *name, size_t size, size_t max, bool expect_ok)
{
	char *data = malloc(size ? size : 1), *buf = (char *)1;
	const char *path = path_in(name);
	struct diag err = { "" };
	size_t len = 12345, i;
	int rc;

	if (!data) {
		skip(1, "out of memory");
		return;
	}
	for (i = 0; i < size; i++)
		data[i] = (char)('a' + i % 26);
	if (put_file(path, data, size, 0644)) {
		ok(false, "cannot create %s", path);
		free(data);
		return;
	}
	rc = file_read_all(path, max, &buf, &len, &err);
	if (expect_ok)
		ok(rc == 0 && len == size && buf && !memcmp(buf, data, size) && buf[size] == '\0',
		   "file_read_all of %zu bytes with max %zu: ok, %zu bytes, NUL-terminated (%s)", size, max, len,
		   rc ? err.msg : "ok");
	else
		ok(rc == -1 && buf == NULL && len == 0 && strstr(err.msg, path) != NULL,
		   "file_read_all of %zu bytes with max %zu: refused naming the file (\"%s\")", size, max, err.msg);
	if (rc == 0)
		free(buf);
	free(data);
}

static void test_read_all(void)
{
	struct diag err = { "" };
	char *buf = (char *)1, missing[256];
	size_t len = 1;

	snprintf(missing, sizeof(missing), "%s", path_in("no-such-file"));

	read_case("small", 12, 1 << 20, true);
	read_case("empty", 0, 100, true);
	read_case("empty-max0", 0, 0, true);
	read_case("one-max0", 1, 0, false);
	read_case("exact10", 10, 10, true);
	read_case("over10", 11, 10, false);
	read_case("exact4096", 4096, 4096, true);
	read_case("over4096", 4097, 4096, false);
	read_case("page-max4095", 4096, 4095, false);
	read_case("exact10000", 10000, 10000, true);
	read_case("over9999", 10000, 9999, false);
	read_case("much-larger", 100000, 100, false);

	ok(file_read_all(missing, 100, &buf, &len, &err) == -1 && buf == NULL && len == 0 &&
		   strstr(err.msg, missing) != NULL && strstr(err.msg, strerror(ENOENT)) != NULL,
	   "file_read_all of a missing file names it and says why: \"%s\"", err.msg);
	err.msg[0] = '\0';
	ok(file_read_all(scratch, 100, &buf, &len, &err) == -1 && buf == NULL && strstr(err.msg, scratch) != NULL,
	   "file_read_all of a directory fails naming it: \"%s\"", err.msg);
	ok(file_read_all(missing, 100, &buf, &len, NULL) == -1, "file_read_all takes a NULL diag");
}

/* ---- file_write_atomic */

static bool mode_is(const char *path, unsigned mode)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == mode;
}

static void test_write_atomic(void)
{
	static const char text[] = "hello, atomic world\n";
	const char *sub = path_in("w");
	struct diag err = { "" };
	char p[256], q[256];
	struct stat before, after;
	bool dot;
	int n;

	if (mkdir(sub, 0755)) {
		ok(false, "cannot create %s", sub);
		return;
	}
	umask(022);
	snprintf(p, sizeof(p), "%s/a.bin", sub);
	ok(file_write_atomic(p, text, sizeof(text) - 1, 0600, &err) == 0 && file_is(p, text, sizeof(text) - 1),
	   "file_write_atomic writes the content (%s)", err.msg[0] ? err.msg : "ok");
	ok(mode_is(p, 0600), "mode 0600 as asked under umask 022");
	n = count_entries(sub, &dot);
	ok(n == 1 && !dot, "no temporary file left behind (%d entries)", n);

	snprintf(q, sizeof(q), "%s/b.bin", sub);
	ok(file_write_atomic(q, text, 5, 0644, &err) == 0 && file_is(q, text, 5) && mode_is(q, 0644),
	   "mode 0644 as asked under umask 022");
	snprintf(q, sizeof(q), "%s/c.bin", sub);
	ok(file_write_atomic(q, "", 0, 0640, &err) == 0 && file_is(q, "", 0) && mode_is(q, 0640),
	   "an empty file, mode 0640");

	/* replacing: a new inode renamed over the old one, old mode not kept */
	if (stat(p, &before))
		memset(&before, 0, sizeof(before));
	ok(file_write_atomic(p, "replaced", 8, 0644, &err) == 0 && file_is(p, "replaced", 8) && mode_is(p, 0644),
	   "an existing file is replaced, with the new mode");
	ok(stat(p, &after) == 0 && after.st_ino != before.st_ino, "the replacement is a new inode (renamed over)");
	n = count_entries(sub, &dot);
	ok(n == 3 && !dot, "still no temporary file (%d entries)", n);

	/* a directory that does not exist */
	snprintf(q, sizeof(q), "%s/missing/x.bin", sub);
	err.msg[0] = '\0';
	ok(file_write_atomic(q, text, 4, 0644, &err) == -1 && strstr(err.msg, q) != NULL,
	   "into a missing directory: fails naming the path (\"%s\")", err.msg);
	n = count_entries(sub, &dot);
	ok(n == 3 && !dot && access(q, F_OK) != 0, "and leaves nothing (%d entries)", n);

	/* the parent is a regular file: that file is untouched */
	snprintf(q, sizeof(q), "%s/a.bin/x.bin", sub);
	err.msg[0] = '\0';
	ok(file_write_atomic(q, text, 4, 0644, &err) == -1 && strstr(err.msg, q) != NULL,
	   "under a regular file: fails naming the path (\"%s\")", err.msg);
	ok(file_is(p, "replaced", 8) && mode_is(p, 0644), "the existing file is untouched");

	/* the target is a non-empty directory: the rename fails, the directory and its file stay */
	snprintf(q, sizeof(q), "%s/dir", sub);
	snprintf(p, sizeof(p), "%s/dir/keep", sub);
	if (mkdir(q, 0755) == 0 && put_file(p, "keep", 4, 0600) == 0) {
		err.msg[0] = '\0';
		ok(file_write_atomic(q, text, 4, 0644, &err) == -1 && strstr(err.msg, q) != NULL,
		   "onto a directory: fails naming the path (\"%s\")", err.msg);
		ok(file_is(p, "keep", 4), "the directory's content is untouched");
		n = count_entries(sub, &dot);
		ok(n == 4 && !dot, "no temporary file left after the failed rename (%d entries)", n);
	} else {
		skip(3, "cannot prepare the directory target");
	}

	/* an empty directory as target too (rename would succeed onto an empty dir only for a dir source) */
	snprintf(q, sizeof(q), "%s/emptydir", sub);
	if (mkdir(q, 0755) == 0) {
		struct stat st;

		ok(file_write_atomic(q, text, 4, 0644, &err) == -1 && stat(q, &st) == 0 && S_ISDIR(st.st_mode),
		   "onto an empty directory: fails and the directory stays");
	} else {
		skip(1, "cannot create an empty directory");
	}

	/* a bare file name goes into the current directory */
	{
		int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (cwd >= 0 && chdir(sub) == 0) {
			ok(file_write_atomic("rel.txt", "rel", 3, 0600, &err) == 0 && file_is("rel.txt", "rel", 3) &&
				   mode_is("rel.txt", 0600),
			   "a relative name without a directory is written in the current directory");
			if (fchdir(cwd))
				diag("cannot return to the original directory");
		} else {
			skip(1, "cannot change directory");
		}
		if (cwd >= 0)
			close(cwd);
	}
	n = count_entries(sub, &dot);
	ok(n == 6 && !dot, "at the end: the 6 entries expected, no temporary file (%d)", n);
}

int main(void)
{
	test_arch_by_name();
	test_arch_by_audit();
	test_targets();

	snprintf(scratch, sizeof(scratch), "/tmp/confine-test-fileio-XXXXXX");
	if (!mkdtemp(scratch)) {
		ok(false, "cannot create a scratch directory: %s", strerror(errno));
		return tap_done();
	}
	test_read_all();
	test_write_atomic();
	if (nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS))
		diag("could not remove %s", scratch);
	return tap_done();
}
