// SPDX-License-Identifier: GPL-3.0-only
/*
 * confine-probe: what the running kernel can do, for the launcher.
 *
 * usage: confine-probe [--print] [--output FILE]
 *        confine-probe --system-key [--parser-version V] [--root DIR] [--output FILE|-] [--same-as FILE]
 *        confine-probe --system-key --features-file FILE --seccomp-actions LIST [--parser-version V]
 * [--output FILE|-]
 *
 * Probes the kernel itself, not its version string: seccomp's actions
 * (actions_avail, actions_logged, SECCOMP_GET_ACTION_AVAIL for RET_LOG),
 * whether a filter with SECCOMP_FILTER_FLAG_LOG is accepted (in a throwaway
 * child), AppArmor and its features, cgroup v1/v2 and device control,
 * devpts new instances, user namespaces, the release. Writes the feature
 * file (/run/snapd/features, or FILE) atomically, root-owned, 0644; with
 * --print, shows the same for a person (and writes only with --output).
 *
 * --system-key writes the running kernel's system key instead
 * (/run/snapd/system-key, or FILE, or - for stdout; docs/formats.md): its
 * AppArmor features (securityfs) and seccomp actions, and the parser version
 * given. --root DIR reads them below DIR (tests). With --features-file (a
 * features file as apparmor_parser -M reads it) and --seccomp-actions it is
 * the key of what an image's profiles were compiled for (the image build).
 * --same-as FILE: exit 3 (the key written all the same) unless FILE holds
 * the key byte for byte (the boot's check against the image's key, without
 * a cmp process).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include "fileio.h"
#include "kernel_features.h"
#include "sc_log.h"
#include "system_key.h"

struct key_opts {
	const char *root, *features_file, *seccomp_actions, *parser_version, *out, *same_as;
};

/* 0 when the file at path holds exactly text (len bytes), else 3 (missing, unreadable, other) */
static int same_as(const char *path, const char *text, size_t len)
{
	struct diag ignored;
	char *other;
	size_t olen;
	int rc;

	if (file_read_all(path, len + 1, &other, &olen, &ignored))
		return 3;
	rc = olen == len && !memcmp(other, text, len) ? 0 : 3;
	free(other);
	return rc;
}

/* the system key of the running kernel (below root), or of a features file; written or printed */
static int system_key(const struct key_opts *o)
{
	struct sc_system_key k;
	struct diag err;
	char path[4096], actions[256] = "", *text;
	size_t len;
	int fd, rc;

	snprintf(k.apparmor_parser, sizeof(k.apparmor_parser), "%s",
		 o->parser_version ? o->parser_version : "none");
	if (o->features_file) {
		if (!o->seccomp_actions)
			sc_die("--features-file needs --seccomp-actions (what the filters were compiled "
			       "for)");
		if (file_read_all(o->features_file, 1 << 20, &text, &len, &err))
			sc_die("%s", err.msg);
		if (syskey_apparmor_text(text, len, k.apparmor_features, &err))
			sc_die("%s: not an AppArmor features file: %s", o->features_file, err.msg);
		free(text);
		syskey_seccomp(o->seccomp_actions, k.seccomp_actions, sizeof(k.seccomp_actions));
	} else {
		snprintf(path, sizeof(path), "%s/sys/kernel/security/apparmor/features", o->root);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno != ENOENT)
			sc_die("cannot open %s: %s", path, strerror(errno));
		if (fd < 0)
			snprintf(k.apparmor_features, sizeof(k.apparmor_features), "none");
		else if (syskey_apparmor_dir(fd, k.apparmor_features, &err))
			sc_die("%s: %s", path, err.msg);
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "%s/proc/sys/kernel/seccomp/actions_avail", o->root);
		if (file_read_all(path, sizeof(actions) - 1, &text, &len, &err) == 0) {
			snprintf(actions, sizeof(actions), "%s", text);
			free(text);
		}
		syskey_seccomp(actions, k.seccomp_actions, sizeof(k.seccomp_actions));
	}
	if (!(text = syskey_format(&k, &len)))
		sc_die("out of memory");
	rc = o->same_as ? same_as(o->same_as, text, len) : 0;
	if (!strcmp(o->out, "-")) {
		fputs(text, stdout);
	} else {
		if (!strcmp(o->out, SC_SYSTEM_KEY_RUN) && mkdir("/run/snapd", 0755) < 0 && errno != EEXIST)
			sc_die("cannot create /run/snapd: %s", strerror(errno));
		if (file_write_atomic(o->out, text, len, 0644, &err))
			sc_die("%s", err.msg);
	}
	free(text);
	return rc;
}

static void print(const struct sc_features *f)
{
	bool kernel = features_log_path(f) == SC_LOG_KERNEL;

	printf("kernel:              %s\n", f->kernel_release);
	printf("seccomp denials:     EPERM %s\n", kernel ? "and logged (SECCOMP_FILTER_FLAG_LOG)" :
							 "silently (this kernel predates 4.14's logging)");
	printf("  RET_LOG:           %s\n", f->ret_log ? "yes" : "no");
	printf("  FILTER_FLAG_LOG:   %s\n", f->filter_flag_log ? "yes" : "no");
	printf("  actions_avail:     %s\n", f->actions_avail[0] ? f->actions_avail : "(none)");
	printf("  actions_logged:    %s\n", f->actions_logged[0] ? f->actions_logged : "(none)");
	printf("AppArmor:            %s%s%s\n", f->apparmor ? "enabled" : "not enabled",
	       f->apparmor_features[0] ? ", features: " : "", f->apparmor_features);
	printf("cgroup:              %s, devices: %s\n", f->cgroup, f->cgroup_devices);
	printf("devpts newinstance:  %s\n", f->devpts_newinstance ? "yes" : "no");
	printf("user namespaces:     %s\n", f->user_namespaces ? "yes" : "no");
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	bool show = false, key = false;
	struct key_opts ko = { .root = "" };
	struct sc_features f;
	struct diag err;
	char *text;
	size_t len;

	sc_log_init("confine-probe");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--print"))
			show = true;
		else if (!strcmp(argv[i], "--output") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--system-key"))
			key = true;
		else if (!strcmp(argv[i], "--root") && i + 1 < argc)
			ko.root = argv[++i];
		else if (!strcmp(argv[i], "--features-file") && i + 1 < argc)
			ko.features_file = argv[++i];
		else if (!strcmp(argv[i], "--seccomp-actions") && i + 1 < argc)
			ko.seccomp_actions = argv[++i];
		else if (!strcmp(argv[i], "--parser-version") && i + 1 < argc)
			ko.parser_version = argv[++i];
		else if (!strcmp(argv[i], "--same-as") && i + 1 < argc)
			ko.same_as = argv[++i];
		else
			sc_die("usage: confine-probe [--print] [--output FILE] | --system-key "
			       "[--parser-version V] "
			       "[--root DIR | --features-file FILE --seccomp-actions LIST] [--output "
			       "FILE|-] [--same-as FILE]");
	}
	if (ko.same_as && !key)
		sc_die("--same-as compares a system key: it needs --system-key");
	if (key) {
		ko.out = out ? out : SC_SYSTEM_KEY_RUN;
		return system_key(&ko);
	}
	if (!out && !show)
		out = SC_FEATURES_FILE;
	features_probe(&f);
	if (show)
		print(&f);
	if (!out)
		return 0;
	if (!strcmp(out, SC_FEATURES_FILE) && mkdir("/run/snapd", 0755) < 0 && errno != EEXIST)
		sc_die("cannot create /run/snapd: %s", strerror(errno));
	text = features_format(&f, &len);
	if (!text)
		sc_die("out of memory");
	if (file_write_atomic(out, text, len, 0644, &err))
		sc_die("%s", err.msg);
	free(text);
	sc_debug("wrote %s: seccomp log path %s", out, features_log_path(&f) == SC_LOG_KERNEL ? "kernel" : "silent");
	return 0;
}
