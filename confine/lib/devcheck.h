/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * A snap's device assignment, checked end to end (snap-scanlog --devices):
 *
 *   1. the udev rules file /etc/udev/rules.d/70-snap.<snap>.rules: its
 *      rules tagging each app, and the devices of this machine they match
 *      (their keys evaluated against sysfs: SUBSYSTEM, KERNEL, DRIVER,
 *      ATTR{x}, ENV{x} from uevent, and the parents' SUBSYSTEMS, KERNELS,
 *      DRIVERS, ATTRS{x}), and the RUN+= of snap-device-helper;
 *   2. what udev tagged: /run/udev/tags/snap_<snap>_<app>/, each device
 *      only while the app's tag is among its current ones (the Q: lines
 *      of /run/udev/data/<id>, udev >= 247), as the launcher takes them;
 *   3. what the device cgroup allows: cgroup v1
 *      /sys/fs/cgroup/devices/snap.<snap>.<app>/devices.list, or the v2
 *      map pinned at /sys/fs/bpf/snap/snap_<snap>_<app>, read with bpf(2).
 *
 * Every path is below root ("/" on a device). The report says what is
 * missing at each step.
 */
#ifndef CONFINE_DEVCHECK_H
#define CONFINE_DEVCHECK_H

#include <stdio.h>

#include "diag.h"

/*
 * Checks SNAP (every app the rules or tags name) or SNAP.APP, writing the
 * report to out. Returns the number of problems found, or -1 with err when
 * the argument is no snap or app name.
 */
int devcheck_run(const char *root, const char *what, FILE *out, struct diag *err);

#endif
