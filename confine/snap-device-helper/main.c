// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-device-helper: udev's hand in an app's device cgroup.
 *
 * usage: snap-device-helper ACTION UDEV_TAG DEVPATH [MAJOR:MINOR]
 *
 * Called by the RUN+= line of /etc/udev/rules.d/70-snap.<snap>.rules (snapd's
 * contract): ACTION add, change or bind allows the device in the cgroup of
 * the app the tag names (snap_<snap>_<app> -> snap.<snap>.<app>), remove
 * denies it, unbind is ignored. MAJOR:MINOR comes from the arguments or
 * udev's MAJOR and MINOR; a block device when DEVPATH is under /block/ or
 * SUBSYSTEM is block. An app that never ran has no cgroup yet: nothing to do,
 * exit 0 (the launcher reads the tags when it creates the cgroup).
 *
 * cgroup v1: devices.allow / devices.deny of /sys/fs/cgroup/devices/<tag>;
 * cgroup v2: the app's device map pinned at /sys/fs/bpf/snap/<udev tag>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device_cgroup.h"
#include "sc_log.h"
#include "strnum.h"
#include "tag.h"

static int parse_majmin(const char *s, unsigned *major, unsigned *minor)
{
	char buf[32];
	const char *colon = strchr(s, ':');
	unsigned long a, b;
	size_t n;

	if (!colon || (n = (size_t)(colon - s)) >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (str_to_ulong(buf, 10, 0xfff, &a) || str_to_ulong(colon + 1, 10, 0xfffff, &b))
		return -1;
	*major = (unsigned)a;
	*minor = (unsigned)b;
	return 0;
}

int main(int argc, char **argv)
{
	char sectag[TAG_MAX + 1], why[256], majmin[64];
	const char *action, *devpath, *sub = getenv("SUBSYSTEM"), *v2root;
	enum devcg_mode mode;
	unsigned major, minor;
	struct diag err;
	bool allow, missing;
	char type;

	sc_log_init("snap-device-helper");
	if (argc != 4 && argc != 5)
		sc_die("usage: snap-device-helper ACTION UDEV_TAG DEVPATH [MAJOR:MINOR]");
	action = argv[1];
	devpath = argv[3];
	if (!strcmp(action, "add") || !strcmp(action, "change") || !strcmp(action, "bind"))
		allow = true;
	else if (!strcmp(action, "remove"))
		allow = false;
	else if (!strcmp(action, "unbind"))
		return 0;
	else
		sc_die("unknown action '%s' (add, change, bind, remove or unbind)", action);
	if (devcg_security_tag(argv[2], sectag, sizeof(sectag), why, sizeof(why)))
		sc_die("invalid tag: %s", why);
	if (argc == 5)
		snprintf(majmin, sizeof(majmin), "%s", argv[4]);
	else
		snprintf(majmin, sizeof(majmin), "%s:%s", getenv("MAJOR") ? getenv("MAJOR") : "",
			 getenv("MINOR") ? getenv("MINOR") : "");
	if (parse_majmin(majmin, &major, &minor))
		sc_die("'%s' is not a complete MAJOR:MINOR for %s", majmin, devpath);
	type = (strstr(devpath, "/block/") || (sub && !strcmp(sub, "block"))) ? 'b' : 'c';
	mode = devcg_mode(&v2root);
	if (mode == DEVCG_NONE) {
		sc_debug("no device cgroup support here: nothing to do");
		return 0;
	}
	if ((mode == DEVCG_V1 ? devcg_v1_update : devcg_v2_update)(sectag, type, major, minor, allow,
								   &missing, &err))
		sc_die("%s", err.msg);
	if (missing)
		sc_debug("%s has no device cgroup yet: nothing to do", sectag);
	else
		sc_debug("%s %c %u:%u for %s", allow ? "allowed" : "denied", type, major, minor, sectag);
	return 0;
}
