// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-run: start an application of an installed snap.
 *
 * usage: snap-run SNAP.APP [ARGS...]
 *
 * Finds /snap/<snap>/current, reads the app's run file written when the
 * snap was installed (/var/lib/snapd/confine/run/snap.<snap>.<app>: lines
 * command=, version=, base=, confinement=), sets the environment of
 * FORMATS.md 7 (HOME is SNAP_USER_DATA, created for the caller), and
 * executes snap-confine with the app's command. No YAML here: the static
 * launcher reads only that small file.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "sc_log.h"
#include "tag.h"

#define RUN_DIR "/var/lib/snapd/confine/run"
#define MAX_WORDS 64

#if defined(__x86_64__)
#define SNAP_ARCH "amd64"
#elif defined(__aarch64__)
#define SNAP_ARCH "arm64"
#elif defined(__arm__)
#define SNAP_ARCH "armhf"
#else
#define SNAP_ARCH "unknown"
#endif

/* snprintf that refuses to truncate */
__attribute__((format(printf, 3, 4))) static void fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, len, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		sc_die("a path or value is too long (%d bytes)", n);
}

struct run_info {
	char *command, *version, *base, *confinement;
};

/* key=value lines; # comments; unknown keys are errors */
static void read_run_file(const char *path, char **buf, struct run_info *ri)
{
	struct diag err;
	size_t len;
	unsigned line = 0;
	char *p, *nl;

	memset(ri, 0, sizeof(*ri));
	if (file_read_all(path, 64 * 1024, buf, &len, &err))
		sc_die("%s (is the app installed?)", err.msg);
	for (p = *buf; p && *p; p = nl ? nl + 1 : NULL) {
		char *eq;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line++;
		if (*p == '#' || *p == '\0')
			continue;
		eq = strchr(p, '=');
		if (!eq)
			sc_die("%s:%u: expected KEY=VALUE", path, line);
		*eq = '\0';
		if (!strcmp(p, "command"))
			ri->command = eq + 1;
		else if (!strcmp(p, "version"))
			ri->version = eq + 1;
		else if (!strcmp(p, "base"))
			ri->base = eq + 1;
		else if (!strcmp(p, "confinement"))
			ri->confinement = eq + 1;
		else
			sc_die("%s:%u: unknown key '%s'", path, line, p);
	}
	if (!ri->command || !*ri->command)
		sc_die("%s: no command=", path);
	if (!ri->version)
		ri->version = "";
	if (!ri->base || !*ri->base)
		ri->base = "core";
	if (!ri->confinement || !*ri->confinement)
		ri->confinement = "strict";
	if (strcmp(ri->confinement, "strict") && strcmp(ri->confinement, "devmode") &&
	    strcmp(ri->confinement, "classic"))
		sc_die("%s: confinement must be strict, devmode or classic", path);
}

/* mkdir -p, as the caller (snap-run is not setuid) */
static void make_dirs(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		sc_die("%s: path too long", path);
	memcpy(buf, path, n + 1);
	for (char *s = buf + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				sc_die("cannot create %s: %s", buf, strerror(errno));
			*s = c;
			if (!c)
				break;
		}
	}
}

static void set(const char *k, const char *v)
{
	if (setenv(k, v, 1) < 0)
		sc_die("cannot set %s: %s", k, strerror(errno));
}

int main(int argc, char **argv)
{
	char snap_name[SNAP_NAME_MAX + 1], key[INSTANCE_KEY_MAX + 1], why[256];
	char instance[64], app[APP_NAME_MAX + 2], runfile[PATH_MAX], cur[PATH_MAX], rev[PATH_MAX];
	char snapdir[PATH_MAX], data[PATH_MAX], common[PATH_MAX], udata[PATH_MAX], ucommon[PATH_MAX];
	char tag[TAG_MAX + 1], confine[PATH_MAX], exe[PATH_MAX], pathvar[PATH_MAX * 2];
	char *words[MAX_WORDS], *nargv[MAX_WORDS * 2 + 8], *buf = NULL, *save = NULL;
	const char *dot, *libexec, *home;
	struct run_info ri;
	struct passwd *pw;
	size_t nw = 0, k = 0;
	ssize_t n;

	sc_log_init("snap-run");
	if (argc < 2 || argv[1][0] == '-')
		sc_die("usage: snap-run SNAP.APP [ARGS...]");
	dot = strchr(argv[1], '.');
	if (!dot || (size_t)(dot - argv[1]) >= sizeof(instance) || strlen(dot + 1) > APP_NAME_MAX)
		sc_die("'%s' is not SNAP.APP", argv[1]);
	memcpy(instance, argv[1], (size_t)(dot - argv[1]));
	instance[dot - argv[1]] = '\0';
	fmt(app, sizeof(app), "%s", dot + 1);
	if (!instance_name_split(instance, snap_name, sizeof(snap_name), key, sizeof(key), why, sizeof(why)) ||
	    !app_name_valid(app, why, sizeof(why)))
		sc_die("invalid app '%s': %s", argv[1], why);
	fmt(cur, sizeof(cur), "/snap/%s/current", instance);
	n = readlink(cur, rev, sizeof(rev) - 1);
	if (n < 0)
		sc_die("snap '%s' is not installed: %s: %s", instance, cur, strerror(errno));
	rev[n] = '\0';
	if (strchr(rev, '/'))
		sc_die("%s must point to a revision in the same directory, not %s", cur, rev);
	fmt(runfile, sizeof(runfile), "%s/snap.%s.%s", RUN_DIR, instance, app);
	read_run_file(runfile, &buf, &ri);

	pw = getpwuid(getuid());
	home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : getenv("HOME");
	if (!home || !*home)
		sc_die("cannot find the home directory of uid %u", (unsigned)getuid());
	fmt(snapdir, sizeof(snapdir), "/snap/%s/%s", instance, rev);
	fmt(data, sizeof(data), "/var/snap/%s/%s", instance, rev);
	fmt(common, sizeof(common), "/var/snap/%s/common", instance);
	fmt(udata, sizeof(udata), "%s/snap/%s/%s", home, instance, rev);
	fmt(ucommon, sizeof(ucommon), "%s/snap/%s/common", home, instance);
	make_dirs(udata);
	make_dirs(ucommon);
	set("SNAP", snapdir);
	set("SNAP_ARCH", SNAP_ARCH);
	set("SNAP_DATA", data);
	set("SNAP_COMMON", common);
	set("SNAP_LIBRARY_PATH", "/var/lib/snapd/lib/gl:/var/lib/snapd/lib/gl32:/var/lib/snapd/void");
	set("SNAP_NAME", snap_name);
	set("SNAP_INSTANCE_NAME", instance);
	set("SNAP_INSTANCE_KEY", key);
	set("SNAP_REVISION", rev);
	set("SNAP_USER_DATA", udata);
	set("SNAP_USER_COMMON", ucommon);
	set("SNAP_VERSION", ri.version);
	set("HOME", udata);
	set("TMPDIR", "/tmp");
	fmt(pathvar, sizeof(pathvar),
		 "%s/usr/sbin:%s/usr/bin:%s/sbin:%s/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:"
		 "/usr/games:/usr/local/games:/snap/bin",
		 snapdir, snapdir, snapdir, snapdir);
	set("PATH", pathvar);

	for (char *w = strtok_r(ri.command, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (nw == MAX_WORDS)
			sc_die("%s: the command has more than %d words", runfile, MAX_WORDS);
		words[nw++] = w;
	}
	if (nw == 0)
		sc_die("%s: empty command", runfile);
	if (words[0][0] == '/')
		fmt(exe, sizeof(exe), "%s", words[0]);
	else
		fmt(exe, sizeof(exe), "%s/%s", snapdir, words[0]);
	libexec = getenv("SNAP_CONFINE_LIBEXECDIR");
	if (!libexec || !*libexec)
		libexec = CONFIG_CONFINE_LIBEXECDIR;
	fmt(confine, sizeof(confine), "%s/snap-confine", libexec);
	fmt(tag, sizeof(tag), "snap.%s.%s", instance, app);
	nargv[k++] = confine;
	if (strcmp(ri.base, "core")) {
		nargv[k++] = (char *)"--base";
		nargv[k++] = ri.base;
	}
	if (!strcmp(ri.confinement, "classic"))
		nargv[k++] = (char *)"--classic";
	nargv[k++] = tag;
	nargv[k++] = exe;
	for (size_t i = 1; i < nw; i++)
		nargv[k++] = words[i];
	for (int i = 2; i < argc && k < sizeof(nargv) / sizeof(nargv[0]) - 1; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	sc_debug("running %s for %s", confine, tag);
	execv(confine, nargv);
	sc_die("cannot run %s: %s", confine, strerror(errno));
}
