/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * One mount's own read-only flag, set or cleared with a bind remount
 * (MS_REMOUNT | MS_BIND): the flag of that mount alone, not of its file
 * system, so the other mounts of it (the copies in the apps' mount
 * namespaces) keep theirs. A bind remount sets the per-mount flags at
 * once: nosuid, nodev and noexec are read from the mount first and kept
 * (the atime ones the kernel keeps when a remount names none).
 */
#ifndef CONFINE_MOUNT_RO_H
#define CONFINE_MOUNT_RO_H

#include <stdbool.h>

#include "diag.h"

/* path: the mount's root (a /proc/self/fd/N path names an open one); ro: read-only or writable */
int mount_set_readonly(const char *path, bool ro, struct diag *err);

#endif
