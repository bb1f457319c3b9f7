/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The device cgroup of an app (FORMATS.md 6). The launcher puts an app with
 * assigned devices in it (deny everything, allow the always-on set and what
 * udev tagged for the app, read from /run/udev/tags/<udev tag>/ without
 * libudev); snap-device-helper allows or denies one device as udev adds or
 * removes it.
 *
 * cgroup v1: the devices controller, /sys/fs/cgroup/devices/<security tag>.
 * cgroup v2: the cgroup <v2 root>/<security tag> with a
 * BPF_PROG_TYPE_CGROUP_DEVICE program attached; the program looks the device
 * up in a hash map pinned at /sys/fs/bpf/snap/<udev tag>, snapd's layout:
 * key {u8 'c'|'b'; u32 major; u32 minor} packed, minor 0xffffffff for any,
 * value u8 1.
 */
#ifndef CONFINE_DEVICE_CGROUP_H
#define CONFINE_DEVICE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"
#include "kernel_features.h" /* devcg_mode() */

#define DEVCG_V1_ROOT	"/sys/fs/cgroup/devices"
#define UDEV_TAGS_DIR	"/run/udev/tags"
#define DEVCG_BPF_FS	"/sys/fs/bpf"
#define DEVCG_BPF_DIR	DEVCG_BPF_FS "/snap"
#define DEVCG_MINOR_ANY 0xffffffffu

/* snap.hello.app -> snap_hello_app (dots to underscores) */
void devcg_udev_tag(const char *sectag, char *out, size_t len);
/* snap_hello_app -> snap.hello.app, validated as a security tag; -1 with a reason */
int devcg_security_tag(const char *udev_tag, char *out, size_t len, char *why, size_t whylen);
#define DEVCG_TAGGED_MAX 256

/*
 * The devices udev tagged for the app (type 'c' or 'b', major, minor), at
 * most max: 0, or 1 when there are more than max, -1 with errno when the
 * directory cannot be read (none tagged: 0 and *n 0).
 */
int devcg_tagged(const char *udev_tag, size_t max, char *type, unsigned *major, unsigned *minor, size_t *n);
/* "c4:64" (udev's device id) -> type ('c' or 'b'), major, minor; -1 when it is not one */
int devcg_parse_devid(const char *s, char *type, unsigned *major, unsigned *minor);
/*
 * Is udev_tag one of the current tags of the device devid ("c4:64") in
 * root's /run/udev/data ("/" for the system)? Its Q: lines when it has any,
 * else yes; an entry that cannot be read: no.
 */
bool devcg_tag_current(const char *root, const char *devid, const char *udev_tag);
/* is the device tagged for the app now (in the tag directory, one of its current tags)? */
bool devcg_tagged_now(const char *udev_tag, char type, unsigned major, unsigned minor);
/* devcg_tagged for the app of sectag, at most DEVCG_TAGGED_MAX; more, or unreadable: -1 with a reason */
int devcg_tags_for(const char *sectag, char *type, unsigned *major, unsigned *minor, size_t *n,
		   struct diag *err);
/* writes "TYPE MAJ:MIN rwm" to devices.allow or devices.deny; *missing when the cgroup does not exist */
int devcg_v1_update(const char *sectag, char type, unsigned major, unsigned minor, bool allow, bool *missing,
		    struct diag *err);
/*
 * Creates (or reuses) the app's cgroup, denies everything, allows the
 * always-on devices and the tagged ones, and moves pid into it.
 */
int devcg_v1_setup(const char *sectag, pid_t pid, struct diag *err);

/* v2: the map entry; *missing when the app has no map yet (never ran) */
int devcg_v2_update(const char *sectag, char type, unsigned major, unsigned minor, bool allow, bool *missing,
		    struct diag *err);
/*
 * v2: creates (or reuses) the cgroup and the pinned map, makes the map hold
 * exactly the always-on and the tagged devices (added before the stale ones
 * are removed, so running instances never lose a device they keep), loads
 * and attaches the program, and moves pid into the cgroup.
 */
int devcg_v2_setup(const char *v2_root, const char *sectag, pid_t pid, struct diag *err);

/* the always-on devices: type, major, minor (DEVCG_MINOR_ANY for a whole major) */
struct devcg_dev {
	char type;
	unsigned major, minor;
};
extern const struct devcg_dev devcg_always[];
extern const size_t devcg_always_n;

#endif
