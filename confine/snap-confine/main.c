// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-confine: run an application of a snap inside its confinement.
 *
 * usage: snap-confine [--version] [--base BASE] [--classic] SECURITY_TAG EXECUTABLE [ARGS...]
 *
 * SNAP_INSTANCE_NAME must name the snap instance of SECURITY_TAG. As root
 * or setuid root: join or create the snap's mount namespace, ask AppArmor
 * for the tag's profile on exec, drop to the caller's identity, load the
 * seccomp profile, then execute. Every step is planned (arguments, tag,
 * profile) before anything changes; a failure prints one line and nothing
 * is executed. A snap's mount profile is parsed (then applied) by
 * snap-update-ns in a namespace that is kept only when all of it applied.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "apparmor.h"
#include "bench_steps.h"
#include "device_cgroup.h"
#include "kernel_features.h"
#include "mount_ns.h"
#include "path_walk.h"
#include "privs.h"
#include "sc_log.h"
#include "seccomp_load.h"
#include "system_key.h"
#include "tag.h"
#include "trusted_path.h"
#include "version.h"

/* the directories of the files the plan reads (SC_SYSTEM_KEY_*, SC_SECCOMP_DIR, SC_FEATURES_FILE) */
#define SC_STATE_DIR "/var/lib/snapd"
#define SC_RUN_DIR   "/run/snapd"

#define VOID_DIR "/var/lib/snapd/void"

struct invocation {
	const char *base;
	bool classic;
	const char *tag;
	const char *executable;
	char **args; /* argv for the app: args[0] is EXECUTABLE */
	struct sc_tag t;
};

static void usage_die(const char *why)
{
	sc_die("%s\nusage: snap-confine [--version] [--base BASE] [--classic] SECURITY_TAG EXECUTABLE "
	       "[ARGS...]",
	       why);
}

static void parse_args(int argc, char **argv, struct invocation *inv)
{
	const char *instance = getenv("SNAP_INSTANCE_NAME");
	char why[256];
	int i = 1;

	memset(inv, 0, sizeof(*inv));
	inv->base = "core";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("snap-confine (core-confine) %s\n", CONFINE_VERSION);
			exit(0);
		} else if (!strcmp(argv[i], "--classic")) {
			inv->classic = true;
		} else if (!strcmp(argv[i], "--base")) {
			if (++i == argc)
				usage_die("--base needs a snap name");
			inv->base = argv[i];
			if (!snap_name_valid(inv->base, why, sizeof(why)))
				sc_die("invalid --base: %s", why);
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			char msg[300];

			snprintf(msg, sizeof(msg), "unknown option '%s'", argv[i]);
			usage_die(msg);
		}
	}
	if (argc - i < 2)
		usage_die("a security tag and an executable are needed");
	inv->tag = argv[i];
	inv->executable = argv[i + 1];
	inv->args = &argv[i + 1];
	if (tag_parse(inv->tag, &inv->t, why, sizeof(why)))
		sc_die("invalid security tag: %s", why);
	if (!instance || !*instance)
		sc_die("SNAP_INSTANCE_NAME is not set");
	if (strcmp(instance, inv->t.instance))
		sc_die("security tag %s is not for snap instance %s", inv->tag, instance);
	if (inv->executable[0] == '\0')
		sc_die("the executable is empty");
}

/*
 * Only the installed launcher runs: a hard link or a copy of the setuid
 * binary elsewhere (a user's directory) would otherwise run as root with
 * whatever that user put beside it.
 *
 * The file name the kernel executed (AT_EXECFN) is asked first: when it is
 * the installed path exactly, the kernel opened that path in the caller's
 * root and mount namespace, where /proc/self/exe names the same file by
 * the same path, and a caller who could make it another file (a root or a
 * mount namespace of its own) is in a user namespace, where the kernel
 * ignores the setuid bit of a root-owned file. Any other name (relative, a
 * link, /dev/fd/N, another directory) is decided by /proc/self/exe, whose
 * lookup of a new process's /proc entries costs about as much as the rest
 * of the launch's checks together.
 */
static void check_own_location(void)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	char self[PATH_MAX];
	ssize_t n;

	if (execfn && !strcmp(execfn, SC_LIBEXECDIR "/snap-confine"))
		return;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		sc_die("cannot tell where snap-confine runs from (/proc/self/exe): %s", strerror(errno));
	self[n] = '\0';
	if (strcmp(self, SC_LIBEXECDIR "/snap-confine"))
		sc_die("refusing to run from %s: snap-confine runs only as %s/snap-confine", self,
		       SC_LIBEXECDIR);
}

/*
 * Back in the caller's directory, as the caller: the path is walked again
 * in the app's namespace without following a link, so that a link planted
 * on the way (in the private /tmp, in the snap's data) cannot take the app
 * where the caller cannot go; else the void directory.
 */
static void enter_cwd(const char *cwd)
{
	struct pw_root r = { .fd = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC), .prefix = "" };
	struct diag err = { "" };
	int fd = cwd && r.fd >= 0 ? pw_open(&r, cwd, O_PATH | O_DIRECTORY, &err) : -1;

	/* (the raw call: musl's fchdir carries a fallback for kernels without O_PATH support) */
	if (fd < 0 || syscall(SYS_fchdir, fd) < 0) {
		sc_debug("cannot stay in %s (%s): moving to %s", cwd ? cwd : "(unknown)", err.msg, VOID_DIR);
		if (chdir(VOID_DIR) < 0 && chdir("/") < 0)
			sc_die("cannot change to %s or /: %s", VOID_DIR, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	if (r.fd >= 0)
		close(r.fd);
}

int main(int argc, char **argv)
{
	struct invocation inv;
	struct diag err;
	char cwd[PATH_MAX];
	bool have_cwd;
	uid_t uid = getuid();
	gid_t gid = getgid();
	mode_t mask;
#ifdef CONFIG_CONFINE_SECCOMP
	struct sc_profile prof;
	struct sc_features feat;
	enum sc_log_path log_path = SC_LOG_UNKNOWN;
	bool used_log;
#endif

	BENCH_STEP("start");
	sc_log_init("snap-confine");
	parse_args(argc, argv, &inv);
	if (geteuid() != 0)
		sc_die("need to run as root or setuid root (effective uid %u)", (unsigned)geteuid());
	check_own_location();
	/*
	 * Root in every id until the drop: setuid leaves the caller's real
	 * ids, with which the caller could stop or kill the launcher and its
	 * helpers halfway (holding the snap's lock, a namespace half-built),
	 * and its group would own what we create. The umask is 0 until then,
	 * so that what we create has exactly the mode we ask for.
	 */
	if (sc_set_gids(0) < 0 || sc_set_uids(0) < 0)
		sc_die("cannot take the root ids: %s", strerror(errno));
	mask = umask(0);
	sc_debug("security tag %s, snap instance %s, executable %s", inv.tag, inv.t.instance, inv.executable);
	have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	BENCH_STEP("arguments");

	/* plan: everything that can be checked before changing anything */
	/*
	 * the files read next are all below these two, which are walked from
	 * / and checked once for all of them (released before the namespace
	 * changes)
	 */
	trusted_hold(SC_STATE_DIR);
	trusted_hold(SC_RUN_DIR);
	/* the profiles were compiled for this kernel (the boot probe's system key), or nothing runs */
	if (syskey_check(SC_SYSTEM_KEY_FILE, SC_SYSTEM_KEY_RUN, &err))
		sc_die("%s", err.msg);
	BENCH_STEP("system-key");
#ifdef CONFIG_CONFINE_SECCOMP
	if (sc_profile_read(SC_SECCOMP_DIR, inv.tag, &prof, &err))
		sc_die("%s", err.msg);
	/* the boot-time probe's verdict picks the load path; without it, trial and fallback */
	if (features_read(SC_FEATURES_FILE, &feat, &err) == 0) {
		log_path = features_log_path(&feat);
		sc_debug("%s: seccomp denials %s", SC_FEATURES_FILE,
			 log_path == SC_LOG_KERNEL ? "logged (FLAG_LOG)" : "silent (kernel < 4.14)");
	} else {
		sc_debug("no usable feature file (%s): trying SECCOMP_FILTER_FLAG_LOG", err.msg);
	}
	BENCH_STEP("seccomp-read");
#endif
	trusted_release();

	/* apply */
#ifdef CONFIG_CONFINE_MOUNT_NS
	if (!inv.classic) {
		struct ns_plan np = {
			.instance = inv.t.instance,
			.base = inv.base,
#ifdef CONFIG_CONFINE_LEGACY_HOST_ROOT
			.legacy = true,
#endif
		};

		if (ns_enter(&np, &err)) {
			if (!err.msg[0])
				exit(1); /* snap-update-ns already said why */
			sc_die("%s", err.msg);
		}
	}
	BENCH_STEP("mount-ns");
#endif
#ifdef CONFIG_CONFINE_DEVICE_CGROUP
	if (!inv.classic) {
		size_t tagged = 1;
#ifndef CONFIG_CONFINE_DEVICE_CGROUP_ALWAYS
		/* only an app with tagged devices gets one: is there one? */
		char udev[TAG_MAX + 1], type[1];
		unsigned major[1], minor[1];

		devcg_udev_tag(inv.tag, udev, sizeof(udev));
		devcg_tagged(udev, 1, type, major, minor, &tagged);
#endif
		if (tagged) {
			const char *v2root;
			enum devcg_mode mode = devcg_mode(&v2root);

			if (mode == DEVCG_NONE)
				sc_die("%s needs a device cgroup but this system has neither a cgroup v1 "
				       "devices controller (%s) nor a cgroup2 hierarchy",
				       inv.tag, DEVCG_V1_ROOT);
			if (mode == DEVCG_V1 ? devcg_v1_setup(inv.tag, getpid(), &err)
					     : devcg_v2_setup(v2root, inv.tag, getpid(), &err))
				sc_die("%s", err.msg);
		} else {
			sc_debug("no device assigned to %s: no device cgroup", inv.tag);
		}
	}
	BENCH_STEP("device-cgroup");
#endif
#ifdef CONFIG_CONFINE_APPARMOR
	if (sc_apparmor_enabled()) {
		if (sc_apparmor_change_onexec(inv.tag, &err))
			sc_die("%s", err.msg);
	} else {
		sc_debug("AppArmor is not enabled on this kernel");
	}
	BENCH_STEP("apparmor");
#endif
	if (sc_drop_to_caller(uid, gid, &err))
		sc_die("%s", err.msg);
	umask(mask);
	BENCH_STEP("identity-drop");
	enter_cwd(have_cwd ? cwd : NULL);
	BENCH_STEP("cwd");
#ifdef CONFIG_CONFINE_SECCOMP
	if (sc_profile_load(&prof, log_path, &used_log, &err))
		sc_die("%s", err.msg);
	sc_profile_free(&prof);
	BENCH_STEP("seccomp-load");
#endif
	sc_debug("executing %s", inv.executable);
	BENCH_STEPS_WRITE();
	execv(inv.executable, inv.args);
	sc_die("cannot execute %s: %s", inv.executable, strerror(errno));
}
