/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * What the running kernel can do, probed at boot by confine-probe and
 * written to /run/snapd/features (docs/formats.md), so the launcher picks
 * its seccomp load path without trial and error and snap-seccomp picks the
 * complain action when compiling on the device.
 */
#ifndef CONFINE_KERNEL_FEATURES_H
#define CONFINE_KERNEL_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum sc_log_path {
	SC_LOG_UNKNOWN, /* no feature file: try FLAG_LOG, fall back on EINVAL/ENOSYS */
	SC_LOG_KERNEL,	/* Linux >= 4.14: FLAG_LOG and RET_LOG */
	SC_LOG_SILENT,	/* older: prctl(), RET_LOG -> ALLOW */
};

#define SC_FEATURES_FILE    "/run/snapd/features"
#define SC_FEATURES_VERSION 1

struct sc_features {
	char kernel_release[65];
	char actions_avail[256]; /* /proc/sys/kernel/seccomp/actions_avail, "" when missing */
	char actions_logged[256];
	bool ret_log;	      /* SECCOMP_RET_LOG: GET_ACTION_AVAIL accepts it and actions_avail lists log */
	bool filter_flag_log; /* a filter with SECCOMP_FILTER_FLAG_LOG was accepted */
	bool apparmor;	      /* enabled */
	char apparmor_features[512]; /* top-level entries of securityfs apparmor/features */
	char cgroup[8];		     /* v1, v2, hybrid, none */
	char cgroup_devices[8];	     /* v1 (devices controller), bpf (v2 device programs), none */
	bool devpts_newinstance, user_namespaces;
};

enum devcg_mode {
	DEVCG_NONE, /* neither a v1 devices controller nor a cgroup2 hierarchy */
	DEVCG_V1,   /* the v1 devices controller at /sys/fs/cgroup/devices (v1 or hybrid) */
	DEVCG_V2,   /* cgroup2 at /sys/fs/cgroup (unified) or /sys/fs/cgroup/unified */
};

/*
 * How apps' device cgroups work here: the v1 controller first, else device
 * programs on cgroup2; the cgroup2 root for DEVCG_V2. The launcher, the
 * helper and the probe's cgroup-devices all come from this.
 */
enum devcg_mode devcg_mode(const char **v2_root);
/* runs the probes on this kernel (a few throwaway children); never fails */
void features_probe(struct sc_features *f);
/* the file's text; malloc'd */
char *features_format(const struct sc_features *f, size_t *len);
/* strict: version line first, "end" last, known values; -1 with a reason */
int features_parse(const char *text, size_t len, struct sc_features *f, struct diag *err);
/* a trusted (root-owned) file, parsed */
int features_read(const char *path, struct sc_features *f, struct diag *err);
/* /proc/sys/kernel/seccomp/actions_avail lists action ("log"...) */
bool kernel_seccomp_action_avail(const char *action);
/* kernel: FLAG_LOG and RET_LOG; silent otherwise */
enum sc_log_path features_log_path(const struct sc_features *f);

#endif
