// SPDX-License-Identifier: GPL-3.0-only
/*
 * confine-probe: what the running kernel can do, for the launcher.
 *
 * usage: confine-probe [--print] [--output FILE]
 *
 * Probes the kernel itself, not its version string: seccomp's actions
 * (actions_avail, actions_logged, SECCOMP_GET_ACTION_AVAIL for RET_LOG),
 * whether a filter with SECCOMP_FILTER_FLAG_LOG is accepted (in a throwaway
 * child), AppArmor and its features, cgroup v1/v2 and device control,
 * devpts new instances, user namespaces, the release. Writes the feature
 * file (/run/snapd/features, or FILE) atomically, root-owned, 0644; with
 * --print, shows the same for a person (and writes only with --output).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel_features.h"
#include "fileio.h"
#include "sc_log.h"

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
	bool show = false;
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
		else
			sc_die("usage: confine-probe [--print] [--output FILE]");
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
