/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * A squashfs file mounted read-only through a loop device, as snapd's
 * mount units mount a .snap (ro, nodev): the device is bound to the open
 * file (not to a path) and set to clear itself when the last mount of it
 * goes, so nothing is left attached after an unmount or a failure.
 */
#ifndef CONFINE_LOOP_MOUNT_H
#define CONFINE_LOOP_MOUNT_H

#include "diag.h"

/* mounts the squashfs open as file_fd (name: for messages) on the directory open as dir_fd */
int loop_mount_squashfs(int file_fd, const char *name, int dir_fd, struct diag *err);

#endif
