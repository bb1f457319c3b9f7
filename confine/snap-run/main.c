// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-run: start an application of an installed snap, as snapd's
 * "snap run" and snap-exec do.
 *
 * usage: snap-run [--shell] [--strace[=OPTIONS]] SNAP.APP [ARGS...]
 *        snap-run --command=stop|post-stop|reload SNAP.APP   (a service's other commands)
 *        snap-run --hook=HOOK SNAP                           (exit 0 when the snap has no such hook)
 *   (the debugging options: debug.c)
 *
 * An instance (<snap>_<key>) gets SNAP, SNAP_DATA and SNAP_COMMON with the
 * snap's name (its namespace maps its directories there) and everything
 * else, the user's directories included, with the instance name, as snapd.
 *
 * Parse: /snap/<instance>/current gives the revision; the app's run file
 * (/var/lib/snapd/confine/run/snap.<snap>.<app>, written at install time by
 * snap-interfaces, docs/formats.md) gives the command, its arguments, the
 * command-chain and snap.yaml's environment. No YAML here.
 * Plan: the directories and the environment snapd gives an app (SNAP_*,
 * HOME, XDG_RUNTIME_DIR; PATH and TMPDIR as snap-confine resets them; then
 * the snap's and the app's environment: entries, in order, each expanded
 * with what is set so far), and the command line: the chain, the program,
 * its arguments expanded (an empty one dropped), then ARGS.
 * Apply: create the user's directories as the caller (snap-run is not
 * setuid), set the environment, execute snap-confine.
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

#include "debug.h"
#include "env_expand.h"
#include "fileio.h"
#include "run_file.h"
#include "sc_log.h"
#include "tag.h"

#define RUN_DIR	  "/var/lib/snapd/confine/run"
#define VALUE_MAX 16384

#if defined(__x86_64__)
#define SNAP_ARCH "amd64"
#elif defined(__aarch64__)
#define SNAP_ARCH "arm64"
#elif defined(__arm__)
#define SNAP_ARCH "armhf"
#else
#define SNAP_ARCH "unknown"
#endif

/* what a setuid snap-confine linked with glibc never passes on (its secure mode) */
static const char *const unsecure_env[] = {
	"GCONV_PATH",	    "GETCONF_DIR",     "GLIBC_TUNABLES",  "HOSTALIASES",   "LD_AUDIT",
	"LD_DEBUG",	    "LD_DEBUG_OUTPUT", "LD_DYNAMIC_WEAK", "LD_HWCAP_MASK", "LD_LIBRARY_PATH",
	"LD_ORIGIN_PATH",   "LD_PRELOAD",      "LD_PROFILE",	  "LD_SHOW_AUXV",  "LD_USE_LOAD_BIAS",
	"LOCALDOMAIN",	    "LOCPATH",	       "MALLOC_TRACE",	  "NIS_PATH",	   "NLSPATH",
	"RESOLV_HOST_CONF", "RES_OPTIONS",     "TMPDIR",	  "TZDIR"
};

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

static char *expand(const char *in, const char *what)
{
	static char buf[VALUE_MAX];
	char *out;

	if (env_expand(in, env_lookup_process, NULL, buf, sizeof(buf)) < 0)
		sc_die("%s is longer than %d bytes once expanded", what, VALUE_MAX - 1);
	out = strdup(buf);
	if (!out)
		sc_die("out of memory");
	return out;
}

/*
 * mkdir -p, as the caller; a directory made here gets mode (the umask
 * aside). The whole path first: at every launch but the first it is there,
 * and one system call says so.
 */
static void make_dirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		sc_die("%s: path too long", path);
	if (mkdir(path, mode) == 0) {
		if (chmod(path, mode) < 0)
			sc_die("cannot set the mode of %s: %s", path, strerror(errno));
		return;
	}
	if (errno == EEXIST)
		return;
	memcpy(buf, path, n + 1);
	for (char *s = buf + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(buf, mode) == 0) {
				if (chmod(buf, mode) < 0)
					sc_die("cannot set the mode of %s: %s", buf, strerror(errno));
			} else if (errno != EEXIST) {
				sc_die("cannot create %s: %s", buf, strerror(errno));
			}
			*s = c;
			if (!c)
				break;
		}
	}
}

/*
 * The app's XDG_RUNTIME_DIR, /run/user/<uid>/snap.<snap>: made 0700 when
 * missing, and it must be the caller's directory. /run/user/<uid> is
 * logind's; without logind (busybox init) snap-run makes it (0700) when it
 * may, as root does; when it may not, the app runs without the directory,
 * as with snapd, which sets the variable and makes nothing.
 */
static void make_runtime_dir(const char *dir, const char *parent)
{
	struct stat st;
	int made = mkdir(dir, 0700); /* (there at every launch but the first) */

	if (made < 0 && errno == ENOENT) {
		if (mkdir("/run/user", 0755) < 0 && errno != EEXIST) {
			sc_debug("cannot create /run/user: %s; %s not made", strerror(errno), dir);
			return;
		}
		if (mkdir(parent, 0700) < 0 && errno != EEXIST) {
			sc_debug("cannot create %s: %s; %s not made", parent, strerror(errno), dir);
			return;
		}
		made = mkdir(dir, 0700);
	}
	if (made == 0) {
		if (chmod(dir, 0700) < 0)
			sc_die("cannot set the mode of %s: %s", dir, strerror(errno));
	} else if (errno != EEXIST) {
		sc_die("cannot create %s: %s", dir, strerror(errno));
	}
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		sc_die("%s is not a directory of uid %u", dir, (unsigned)geteuid());
}

/* ~/snap/<snap>/current -> <rev>, as snap run keeps it */
static void point_current(const char *ucommon_parent, const char *rev)
{
	char link[PATH_MAX], old[PATH_MAX];
	ssize_t n;

	fmt(link, sizeof(link), "%s/current", ucommon_parent);
	n = readlink(link, old, sizeof(old) - 1);
	if (n >= 0) {
		old[n] = '\0';
		if (!strcmp(old, rev))
			return;
		unlink(link);
	}
	if (symlink(rev, link) < 0 && errno != EEXIST)
		sc_die("cannot update %s: %s", link, strerror(errno));
}

static void set(const char *k, const char *v)
{
	if (setenv(k, v, 1) < 0)
		sc_die("cannot set %s: %s", k, strerror(errno));
}

static void set_num(const char *k, unsigned v)
{
	char buf[16];

	fmt(buf, sizeof(buf), "%u", v);
	set(k, buf);
}

int main(int argc, char **argv)
{
	char snap_name[SNAP_NAME_MAX + 1], key[INSTANCE_KEY_MAX + 1], why[256];
	char instance[64], app[APP_NAME_MAX + 8], runfile[PATH_MAX], cur[PATH_MAX], rev[PATH_MAX];
	char snapdir[PATH_MAX], data[PATH_MAX], common[PATH_MAX], udata[PATH_MAX], ucommon[PATH_MAX];
	char usnap[PATH_MAX], uinst[PATH_MAX], xdg_parent[64], xdg[PATH_MAX], save[PATH_MAX];
	char tag[TAG_MAX + 1], confine[PATH_MAX];
	char **nargv, *buf = NULL;
	const char *dot, *libexec, *home, *reexec, *hook = NULL, *exec;
	const char *const *args;
	int ai, x = -1;
	struct run_file rf;
	struct debug_opts dbg;
	struct passwd *pw;
	struct diag err;
	struct stat st;
	size_t len, k = 0, cmd, nargs;
	bool classic;
	ssize_t n;

	/* parse */
	sc_log_init("snap-run");
	n = debug_parse(argc, argv, &dbg);
	argc -= (int)n;
	argv += n;
	/* --hook=HOOK SNAP, --command=NAME SNAP.APP (docs/snap-run.md) */
	for (ai = 1; ai < argc && !strncmp(argv[ai], "--", 2) && argv[ai][2]; ai++) {
		int was = x;

		if (!strncmp(argv[ai], "--hook=", 7) && !hook && x < 0) {
			hook = argv[ai] + 7;
			if (!hook_name_valid(hook, why, sizeof(why)))
				sc_die("invalid hook: %s", why);
			continue;
		}
		for (int i = 0; i < RUN_EXTRA_N && !strncmp(argv[ai], "--command=", 10) && !hook && x < 0;
		     i++)
			if (!strcmp(argv[ai] + 10, run_extra_name[i]))
				x = i;
		if (x == was)
			sc_die("'%s': an unknown option or a second one (--hook=HOOK SNAP, "
			       "--command=stop|post-stop|reload "
			       "SNAP.APP)",
			       argv[ai]);
	}
	if (ai >= argc || argv[ai][0] == '-')
		sc_die("usage: snap-run [--shell] [--strace[=OPTIONS]] [--command=stop|post-stop|reload] "
		       "SNAP.APP [ARGS...] | snap-run --hook=HOOK SNAP");
	if (hook && ai + 1 < argc)
		sc_die("--hook=%s: unexpected argument '%s'", hook, argv[ai + 1]);
	dot = hook ? argv[ai] + strlen(argv[ai]) : strchr(argv[ai], '.');
	if (!dot || (size_t)(dot - argv[ai]) >= sizeof(instance) || (!hook && strlen(dot + 1) > APP_NAME_MAX))
		sc_die("'%s' is not SNAP.APP", argv[ai]);
	memcpy(instance, argv[ai], (size_t)(dot - argv[ai]));
	instance[dot - argv[ai]] = '\0';
	if (hook)
		fmt(app, sizeof(app), "hook.%s", hook);
	else
		fmt(app, sizeof(app), "%s", dot + 1);
	if (!instance_name_split(instance, snap_name, sizeof(snap_name), key, sizeof(key), why,
				 sizeof(why)) ||
	    (!hook && !app_name_valid(app, why, sizeof(why))))
		sc_die("invalid app '%s': %s", argv[ai], why);
	fmt(cur, sizeof(cur), "/snap/%s/current", instance);
	n = readlink(cur, rev, sizeof(rev) - 1);
	if (n < 0)
		sc_die("snap '%s' is not installed: %s: %s", instance, cur, strerror(errno));
	rev[n] = '\0';
	if (strchr(rev, '/'))
		sc_die("%s must point to a revision in the same directory, not %s", cur, rev);
	fmt(runfile, sizeof(runfile), "%s/snap.%s.%s", RUN_DIR, instance, app);
	if (hook && access(runfile, F_OK) < 0 && errno == ENOENT)
		return 0; /* as snapd: a hook the snap does not have is nothing to run */
	if (file_read_all(runfile, 64 * 1024, &buf, &len, &err))
		sc_die("%s (is the app installed?)", err.msg);
	if (run_file_parse(runfile, buf, &rf, &err))
		sc_die("%s", err.msg);
	exec = x < 0 ? rf.exec : rf.extra[x].exec;
	args = x < 0 ? rf.args : rf.extra[x].args;
	nargs = x < 0 ? rf.nargs : rf.extra[x].nargs;
	if (!exec)
		sc_die("%s.%s has no %s-command", instance, app, run_extra_name[x]);
	classic = !strcmp(rf.confinement, "classic");
	if (dbg.shell) {
		exec = debug_shell(classic ? NULL : rf.base);
		nargs = 0;
	}

	/* plan: where things are */
	pw = getpwuid(getuid());
	home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : getenv("HOME");
	if (!home || !*home)
		sc_die("cannot find the home directory of uid %u", (unsigned)getuid());
	/* an instance's /snap and /var/snap directories are seen under the snap's name in its namespace */
	fmt(snapdir, sizeof(snapdir), "/snap/%s/%s", snap_name, rev);
	fmt(data, sizeof(data), "/var/snap/%s/%s", snap_name, rev);
	fmt(common, sizeof(common), "/var/snap/%s/common", snap_name);
	fmt(usnap, sizeof(usnap), "%s/snap", home);
	fmt(uinst, sizeof(uinst), "%s/%s", usnap, instance);
	fmt(udata, sizeof(udata), "%s/%s", uinst, rev);
	fmt(ucommon, sizeof(ucommon), "%s/common", uinst);
	fmt(xdg_parent, sizeof(xdg_parent), "/run/user/%u", (unsigned)geteuid());
	fmt(xdg, sizeof(xdg), "%s/snap.%s", xdg_parent, instance);
	fmt(save, sizeof(save), "/var/lib/snapd/save/snap/%s", instance);

	/* apply: the directories (snap run: ~/snap 0700, the rest 0755 whatever the umask) */
	make_dirs(usnap, 0700);
	make_dirs(udata, 0755);
	make_dirs(ucommon, 0755);
	point_current(uinst, rev);
	make_runtime_dir(xdg, xdg_parent);

	/* apply: the environment, the caller's with snapd's on top */
	if (!classic)
		for (size_t i = 0; i < sizeof(unsecure_env) / sizeof(unsecure_env[0]); i++)
			unsetenv(unsecure_env[i]);
	set("SNAP", snapdir);
	set("SNAP_ARCH", SNAP_ARCH);
	set("SNAP_DATA", data);
	set("SNAP_COMMON", common);
	set("SNAP_LIBRARY_PATH", "/var/lib/snapd/lib/gl:/var/lib/snapd/lib/gl32:/var/lib/snapd/void");
	set("SNAP_NAME", snap_name);
	set("SNAP_INSTANCE_NAME", instance);
	set("SNAP_INSTANCE_KEY", key);
	set("SNAP_REVISION", rev);
	set("SNAP_VERSION", rf.version);
	reexec = getenv("SNAP_REEXEC");
	set("SNAP_REEXEC", reexec ? reexec : "");
	set_num("SNAP_UID", (unsigned)getuid());
	set_num("SNAP_EUID", (unsigned)geteuid());
	if (stat(save, &st) == 0 && S_ISDIR(st.st_mode))
		set("SNAP_SAVE_DATA", save);
	set("SNAP_USER_DATA", udata);
	set("SNAP_USER_COMMON", ucommon);
	set("SNAP_REAL_HOME", home);
	set("XDG_RUNTIME_DIR", xdg);
	if (!classic) {
		set("HOME", udata);
		set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/"
			    "local/games");
		set("TMPDIR", "/tmp");
		set("TEMPDIR", "/tmp");
	}
	for (size_t i = 0; i < rf.nenv; i++) {
		char *e = (char *)rf.env[i], *eq = strchr(e, '=');

		*eq = '\0';
		set(e, expand(eq + 1, e));
	}

	/* apply: the command line */
	nargv = calloc(8 + rf.nchain + nargs + (size_t)argc, sizeof(*nargv));
	if (!nargv)
		sc_die("out of memory");
	libexec = getenv("SNAP_CONFINE_LIBEXECDIR");
	if (!libexec || !*libexec)
		libexec = CONFIG_CONFINE_LIBEXECDIR;
	fmt(confine, sizeof(confine), "%s/snap-confine", libexec);
	fmt(tag, sizeof(tag), "snap.%s.%s", instance, app);
	nargv[k++] = confine;
	if (strcmp(rf.base, "core")) {
		nargv[k++] = (char *)"--base";
		nargv[k++] = (char *)rf.base;
	}
	if (classic)
		nargv[k++] = (char *)"--classic";
	nargv[k++] = tag;
	cmd = k;
	for (size_t i = 0; i <= rf.nchain; i++) {
		const char *p = i < rf.nchain ? rf.chain[i] : exec;

		nargv[k] = malloc(PATH_MAX);
		if (!nargv[k])
			sc_die("out of memory");
		if (p[0] == '/') /* command= of the first run files */
			fmt(nargv[k++], PATH_MAX, "%s", p);
		else
			fmt(nargv[k++], PATH_MAX, "%s/%s", snapdir, p);
	}
	for (size_t i = 0; i < nargs; i++) {
		char *a = expand(args[i], "an argument");

		if (*a)
			nargv[k++] = a;
	}
	for (int i = ai + 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	sc_debug("running %s for %s", confine, tag);
	if (dbg.strace)
		debug_strace(&dbg, nargv, nargv[cmd]);
	execv(confine, nargv);
	sc_die("cannot run %s: %s", confine, strerror(errno));
}
