// SPDX-License-Identifier: GPL-3.0-only
/*
 * boot-ok's GRUB layout (confine/boot-ok/grubenv.c) on a scratch directory
 * laid out as the pc's ESP: SHA-256 against FIPS 180-4's vectors, a clean
 * state written by nothing, a try committed only when the kernel command
 * line says snap_mode=trying, a rollback cleared, a flipped byte and a
 * copy cut to half repaired from the other, a changed value whose checksum
 * line was made again caught by snap_state (the check Debian's signed GRUB
 * makes), a copy without snap_state bad, snap_state written last and
 * matching, neither copy good refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../boot-ok/grubenv.h"
#include "tap.h"

static char dir[64], cmdline[96];

static void put(const char *name, const char *data, size_t len)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static size_t get(const char *name, char *buf, size_t cap)
{
	char path[160];
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	len = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[len] = 0;
	return len;
}

/* copy NAME holding VARS ("a=1\nb=2\n"), with its checksum line */
static void copy(const char *name, const char *vars)
{
	char b[1024], hex[65], sum[128], sname[64];
	size_t o = (size_t)snprintf(b, sizeof(b), "# GRUB Environment Block\n# a comment\n%s", vars);

	memset(b + o, '#', sizeof(b) - o);
	put(name, b, sizeof(b));
	grubenv_sha256_hex((unsigned char *)b, sizeof(b), hex);
	snprintf(sum, sizeof(sum), "%s  %s\n", hex, name);
	snprintf(sname, sizeof(sname), "%s.sha256", name);
	put(sname, sum, strlen(sum));
}

/* the value of VAR in copy NAME ("" when absent) */
static const char *var(const char *name, const char *v)
{
	static char b[1100], out[256];
	char key[64], *p;

	get(name, b, sizeof(b));
	snprintf(key, sizeof(key), "\n%s=", v);
	out[0] = 0;
	p = strstr(b, key);
	if (p) {
		p += strlen(key);
		snprintf(out, sizeof(out), "%.*s", (int)strcspn(p, "\n"), p);
	}
	return out;
}

static int run(const char *cmd, int print)
{
	FILE *f = fopen(cmdline, "w");

	fprintf(f, "console=ttyS0 %s\n", cmd);
	fclose(f);
	return grubenv_boot_ok(dir, cmdline, print, NULL, NULL);
}

/* snap install of a kernel: boot-ok --try kernel NAME, on a boot whose command line is CMD */
static int stage(const char *cmd, const char *name)
{
	FILE *f = fopen(cmdline, "w");

	fprintf(f, "console=ttyS0 %s\n", cmd);
	fclose(f);
	return grubenv_boot_ok(dir, cmdline, 0, "kernel", name);
}

/* both copies good, as GRUB checks them (the .sha256 lines) */
static int both_good(void)
{
	char b[1100], s[200], hex[65], want[200];

	for (int i = 0; i < 2; i++) {
		const char *n = i ? "grubenv-redund" : "grubenv";
		char sn[64];

		snprintf(sn, sizeof(sn), "%s.sha256", n);
		if (get(n, b, sizeof(b)) != 1024 || !get(sn, s, sizeof(s)))
			return 0;
		grubenv_sha256_hex((unsigned char *)b, 1024, hex);
		snprintf(want, sizeof(want), "%s  %s\n", hex, n);
		if (strcmp(s, want))
			return 0;
	}
	return 1;
}

#define GOOD                                                                                                 \
	"snap_kernel=k1\nsnap_core=core_1.snap\nsnap_extra_args=a "                                          \
	"b\\\\c\nsnap_gen=4\nsnap_state=4::k1::core_1."                                                      \
	"snap::a b\\\\c\n"
#define TRY                                                                                                  \
	"snap_mode=try\nsnap_kernel=k1\nsnap_try_kernel=k2\nsnap_core=core_1.snap\nsnap_try_core=core_2."    \
	"snap\nsnap_extra_args=a b\\\\c\nsnap_gen=5\nsnap_state=5:try:k1:k2:core_1.snap:core_2.snap:a "      \
	"b\\\\c\n"

/* TRY with one bit of a value flipped (snap_try_kernel k2 -> k3), its snap_state still naming k2 */
#define TRY_FLIPPED                                                                                          \
	"snap_mode=try\nsnap_kernel=k1\nsnap_try_kernel=k3\nsnap_core=core_1.snap\nsnap_try_core=core_2."    \
	"snap\nsnap_extra_args=a b\\\\c\nsnap_gen=5\nsnap_state=5:try:k1:k2:core_1.snap:core_2.snap:a "      \
	"b\\\\c\n"
/* TRY as an older boot-ok wrote it, or cut before its last line: no snap_state */
#define TRY_NO_STATE                                                                                         \
	"snap_mode=try\nsnap_kernel=k1\nsnap_try_kernel=k2\nsnap_core=core_1.snap\nsnap_try_core=core_2."    \
	"snap\nsnap_extra_args=a b\\\\c\nsnap_gen=5\n"

/* 1 when copy NAME's last line before the padding is snap_state=STATE */
static int state_last(const char *name, const char *state)
{
	char b[1100], want[300], *p;

	get(name, b, sizeof(b));
	snprintf(want, sizeof(want), "\nsnap_state=%s\n#", state);
	p = strstr(b, want);
	return p && !strchr(p + strlen(want), '=');
}

int main(void)
{
	char hex[65], before[2200], after[2200];
	static const char *const vectors[][2] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		grubenv_sha256_hex((const unsigned char *)vectors[i][0], strlen(vectors[i][0]), hex);
		ok(!strcmp(hex, vectors[i][1]), "SHA-256 of \"%s\" (FIPS 180-4)", vectors[i][0]);
	}
	snprintf(dir, sizeof(dir), "/tmp/test_grubenv.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(cmdline, sizeof(cmdline), "%s/cmdline", dir);

	/* a clean state: nothing written */
	copy("grubenv", GOOD);
	copy("grubenv-redund", GOOD);
	get("grubenv", before, 1100);
	get("grubenv-redund", before + 1024, 1100);
	ok(run("snap_kernel=k1", 0) == 0, "a clean state: boot-ok succeeds");
	get("grubenv", after, 1100);
	get("grubenv-redund", after + 1024, 1100);
	ok(!memcmp(before, after, 2048), "... and writes neither copy");

	/* a try staged in the newer copy; this boot is the try */
	copy("grubenv-redund", TRY);
	ok(run("snap_kernel=k2 snap_mode=trying", 0) == 0 && both_good(),
	   "a try that booted: committed, both copies good");
	ok(!strcmp(var("grubenv", "snap_kernel"), "k2") &&
		   !strcmp(var("grubenv", "snap_core"), "core_2.snap"),
	   "... snap_kernel and snap_core take the try's");
	ok(!strcmp(var("grubenv-redund", "snap_mode"), "") &&
		   !strcmp(var("grubenv-redund", "snap_try_kernel"), "") &&
		   !strcmp(var("grubenv-redund", "snap_try_core"), ""),
	   "... snap_mode and the try variables cleared");
	ok(!strcmp(var("grubenv", "snap_gen"), "6") && !strcmp(var("grubenv-redund", "snap_gen"), "6"),
	   "... written with snap_gen 6 to both");
	ok(!strcmp(var("grubenv", "snap_extra_args"), "a b\\\\c"),
	   "... other variables kept, escapes as GRUB writes them");
	ok(state_last("grubenv", "6::k2::core_2.snap::a b\\\\c") &&
		   state_last("grubenv-redund", "6::k2::core_2.snap::a b\\\\c"),
	   "... snap_state, the values joined with ':', is the last line of both");

	/* a try GRUB fell back from: no snap_mode=trying on this boot's command line */
	copy("grubenv", TRY);
	copy("grubenv-redund", TRY);
	ok(run("snap_kernel=k1", 0) == 0 && both_good(), "a rollback: boot-ok succeeds, both copies good");
	ok(!strcmp(var("grubenv", "snap_kernel"), "k1") && !strcmp(var("grubenv", "snap_try_kernel"), "") &&
		   !strcmp(var("grubenv", "snap_mode"), "") &&
		   !strcmp(var("grubenv", "snap_core"), "core_1.snap"),
	   "... the good kernel and base kept, snap_mode and try variables cleared");

	/* one flipped byte in the current copy: the other one's state, repaired */
	copy("grubenv", GOOD);
	copy("grubenv-redund", TRY);
	get("grubenv-redund", before, 1100);
	before[40] ^= 1;
	put("grubenv-redund", before, 1024);
	ok(run("snap_kernel=k1", 0) == 0 && both_good(),
	   "a flipped byte in the newer copy: repaired, both good");
	ok(!strcmp(var("grubenv-redund", "snap_kernel"), "k1") &&
		   !strcmp(var("grubenv-redund", "snap_gen"), "5"),
	   "... from the good copy (snap_kernel k1, snap_gen 4 + 1)");

	/* the current copy cut to half its size */
	copy("grubenv", GOOD);
	copy("grubenv-redund", GOOD);
	get("grubenv", before, 1100);
	put("grubenv", before, 512);
	ok(run("snap_kernel=k1", 1) == 0, "a copy cut to half: --print succeeds");
	get("grubenv", after, 1100);
	ok(strlen(after) == 512, "... and writes nothing");
	ok(run("snap_kernel=k1", 0) == 0 && both_good() && !strcmp(var("grubenv", "snap_kernel"), "k1"),
	   "... boot-ok repairs it from the other copy");

	/* one bit of a value flipped in the newer copy, its checksum line made again: hashsum would
	 * take it, snap_state does not (it is repaired from the older copy, not rolled back from) */
	copy("grubenv", GOOD);
	copy("grubenv-redund", TRY_FLIPPED);
	ok(run("snap_kernel=k1", 0) == 0 && both_good() && !strcmp(var("grubenv-redund", "snap_gen"), "5") &&
		   !strcmp(var("grubenv-redund", "snap_try_kernel"), "") &&
		   state_last("grubenv-redund", "5::k1::core_1.snap::a b\\\\c"),
	   "a flipped bit in a value with its sha256 line made again: snap_state catches it, repaired "
	   "from the other copy (snap_gen 4 + 1)");
	copy("grubenv", GOOD);
	copy("grubenv-redund", TRY_NO_STATE);
	ok(run("snap_kernel=k1", 0) == 0 && both_good() && !strcmp(var("grubenv-redund", "snap_gen"), "5") &&
		   state_last("grubenv-redund", "5::k1::core_1.snap::a b\\\\c"),
	   "a copy without snap_state is bad: repaired from the other copy");
	copy("grubenv", GOOD);
	copy("grubenv-redund", TRY_FLIPPED);
	put("grubenv.sha256", "x\n", 2);
	ok(run("snap_kernel=k1", 0) == 1,
	   "... and with the other copy bad too: boot-ok fails, neither is good");

	/* a checksum line naming another file, then neither copy good */
	copy("grubenv", GOOD);
	copy("grubenv-redund", GOOD);
	put("grubenv.sha256", "0000  grubenv\n", 14);
	ok(run("", 0) == 0 && both_good(), "a bad checksum line: the copy is repaired");
	put("grubenv.sha256", "x\n", 2);
	put("grubenv-redund", "# GRUB Environment Block\n", 25);
	ok(run("", 0) == 1, "neither copy good: boot-ok fails");
	ok(grubenv_boot_ok("/nonexistent-esp", cmdline, 0, NULL, NULL) == 1,
	   "a missing directory: boot-ok fails");

	/* --try: a kernel staged in both copies, a new generation (GRUB's old note no longer matches) */
	copy("grubenv", GOOD);
	copy("grubenv-redund", GOOD);
	{
		char gen[32];

		snprintf(gen, sizeof(gen), "%s", var("grubenv", "snap_gen"));
		ok(stage("snap_kernel=k1", "k2_x1.snap") == 0 && both_good() &&
			   !strcmp(var("grubenv", "snap_try_kernel"), "k2_x1.snap") &&
			   !strcmp(var("grubenv-redund", "snap_mode"), "try") &&
			   strcmp(var("grubenv", "snap_gen"), gen),
		   "--try kernel: snap_try_kernel and snap_mode=try in both copies, a new snap_gen");
	}
	ok(stage("snap_kernel=k1 snap_mode=trying", "k3_x2.snap") == 1 &&
		   !strcmp(var("grubenv", "snap_try_kernel"), "k2_x1.snap"),
	   "--try while the staged try is being booted (snap_mode=trying, not committed): refused, nothing "
	   "written");

	for (const char *n = "grubenv\0grubenv-redund\0grubenv.sha256\0grubenv-redund.sha256\0cmdline\0"; *n;
	     n += strlen(n) + 1) {
		char path[160];

		snprintf(path, sizeof(path), "%s/%s", dir, n);
		unlink(path);
	}
	rmdir(dir);
	return tap_done();
}
