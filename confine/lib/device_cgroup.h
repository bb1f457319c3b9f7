/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The device cgroup of an app (FORMATS.md 6), cgroup v1 devices controller:
 * /sys/fs/cgroup/devices/<security tag>. The launcher puts an app with
 * assigned devices there (deny everything, allow the always-on set and what
 * udev tagged for the app, read from /run/udev/tags/<udev tag>/ without
 * libudev); snap-device-helper allows or denies one device as udev adds or
 * removes it.
 */
#ifndef CONFINE_DEVICE_CGROUP_H
#define CONFINE_DEVICE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

#define DEVCG_V1_ROOT "/sys/fs/cgroup/devices"
#define UDEV_TAGS_DIR "/run/udev/tags"

/* snap.hello.app -> snap_hello_app (dots to underscores) */
void devcg_udev_tag(const char *sectag, char *out, size_t len);
/* snap_hello_app -> snap.hello.app, validated as a security tag; -1 with a reason */
int devcg_security_tag(const char *udev_tag, char *out, size_t len, char *why, size_t whylen);
/* "c 4:64" style: type 'c' or 'b'; the devices udev tagged for the app */
int devcg_tagged(const char *udev_tag, size_t max, char *type, unsigned *major, unsigned *minor, size_t *n);
/* writes "TYPE MAJ:MIN rwm" to devices.allow or devices.deny; *missing when the cgroup does not exist */
int devcg_v1_update(const char *sectag, char type, unsigned major, unsigned minor, bool allow, bool *missing,
		    struct diag *err);
/*
 * Creates (or reuses) the app's cgroup, denies everything, allows the
 * always-on devices and the tagged ones, and moves pid into it.
 */
int devcg_v1_setup(const char *sectag, pid_t pid, struct diag *err);

#endif
