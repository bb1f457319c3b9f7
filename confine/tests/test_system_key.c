// SPDX-License-Identifier: GPL-3.0-only
/*
 * The system key (system_key.h): the AppArmor features' key of a tree and
 * of the same set flattened, the seccomp part, the file's format, and the
 * launcher's refusal when the recorded key is not the running kernel's.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system_key.h"
#include "tap.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static void sub(const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	if (mkdir(p, 0755))
		abort();
}

static int dir_key(char out[65], struct diag *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc = syskey_apparmor_dir(fd, out, err);

	close(fd);
	return rc;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static int text_key(const char *t, char out[65], struct diag *err)
{
	return syskey_apparmor_text(t, strlen(t), out, err);
}

int main(void)
{
	char a[65], b[65], c[65], s[256], *text;
	struct sc_system_key k, k2;
	struct diag err;
	size_t len;

	snprintf(dir, sizeof(dir), "/tmp/test_system_key.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	/* a tree as securityfs shows it, and the same set flattened in another order */
	sub("caps");
	put("caps/mask", "chown kill\n");
	sub("domain");
	put("domain/version", "1.2\n");
	put("domain/stack", "yes\n");
	put("capability", "0xffffff\n");
	ok(dir_key(a, &err) == 0 && strlen(a) == 64, "the key of a features tree: 64 hex digits (%s)", a);
	ok(text_key("domain {stack {yes\n}\nversion {1.2\n}\n}\ncapability {0xffffff\n}\ncaps {mask {chown "
		    "kill\n}\n}\n",
		    b, &err) == 0 &&
		   !strcmp(a, b),
	   "the same set flattened (libapparmor's text, other order) has the same key");
	/* the canonical text sorted: its SHA-256 (sha256sum of the same bytes) */
	ok(!strcmp(a, "732f48ac593365fdf839c86a42960096a6473ad0aa7b71c1569e9e5f4d41a515") ||
		   (diag("%s", a), false),
	   "the key is the SHA-256 of the sorted text");
	ok(text_key("capability {0xffffff\n}\ncaps {mask {chown kill\n}\n}\ndomain {stack {no\n}\nversion "
		    "{1.2\n}\n}\n",
		    c, &err) == 0 &&
		   strcmp(a, c),
	   "one value other (domain/stack no): another key");
	put("domain/stack", "no\n");
	ok(dir_key(b, &err) == 0 && !strcmp(b, c), "... the same as the tree changed the same way");
	ok(text_key("capability {0xffffff\n}\n", c, &err) == 0 && strcmp(a, c),
	   "a feature missing: another key");
	ok(text_key("caps {mask {chown\n}\n", c, &err) && strstr(err.msg, "closing"), "no closing brace: %s",
	   err.msg);
	ok(text_key("caps mask\n", c, &err) && strstr(err.msg, "name {"), "no \"name {\": %s", err.msg);
	ok(text_key("", c, &err) && strstr(err.msg, "no AppArmor features"), "empty: %s", err.msg);
	ok(text_key("a {b}\n}\n", c, &err) && strstr(err.msg, "without its {"), "a stray }: %s", err.msg);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);

	/* the seccomp part: the actions the filters return, sorted; log left to the launcher */
	syskey_seccomp("kill_process kill_thread trap errno user_notif trace log allow\n", s, sizeof(s));
	ok(!strcmp(s, "allow errno kill_process kill_thread"), "seccomp actions of a 6.1 kernel: %s", s);
	syskey_seccomp("kill trap errno trace allow", s, sizeof(s));
	ok(!strcmp(s, "allow errno"), "of a 4.9 kernel (no kill_process, no log): %s", s);
	syskey_seccomp("", s, sizeof(s));
	ok(!strcmp(s, "none"), "no actions_avail: none");

	/* the file */
	memset(&k, 0, sizeof(k));
	strcpy(k.apparmor_features, a);
	strcpy(k.apparmor_parser, "3.0.8");
	strcpy(k.seccomp_actions, "allow errno kill_process kill_thread");
	text = syskey_format(&k, &len);
	ok(text && syskey_parse(text, len, &k2, &err) == 0 && !memcmp(&k, &k2, sizeof(k)),
	   "format, then parse: the same");
	ok(syskey_parse(text, len - 4, &k2, &err) && strstr(err.msg, "torn"), "cut short: %s", err.msg);
	free(text);
	ok(syskey_parse("version 2\nend\n", 14, &k2, &err) && strstr(err.msg, "line 1"),
	   "another version: %s", err.msg);
	ok(syskey_parse("version 1\napparmor-parser 1\nend\n", 32, &k2, &err) && strstr(err.msg, "missing"),
	   "a field missing: %s", err.msg);
	ok(syskey_parse("version 1\nfoo 1\nend\n", 20, &k2, &err) && strstr(err.msg, "unknown field"),
	   "an unknown field: %s", err.msg);

	/* the launcher's verdict */
	k2 = k;
	ok(syskey_compare(&k, &k2, "R", "N", &err) == 0, "the same key: the app runs");
	k2.apparmor_features[0] = k2.apparmor_features[0] == '0' ? '1' : '0';
	ok(syskey_compare(&k, &k2, "R", "N", &err) == -1 &&
		   strstr(err.msg, "system-key mismatch: apparmor-features ") &&
		   strstr(err.msg, "no app runs until they are recompiled") && !strchr(err.msg, '\n'),
	   "other AppArmor features: refused with one line: %s", err.msg);
	k2 = k;
	strcpy(k2.seccomp_actions, "allow errno");
	ok(syskey_compare(&k, &k2, "R", "N", &err) == -1 && strstr(err.msg, "seccomp-actions"),
	   "other seccomp actions: refused, naming them");
	ok(syskey_check("/nonexistent/recorded", "/nonexistent/running", &err) == 0,
	   "no key of the running kernel (no probe ran at boot, a host): no check");
	return tap_done();
}
