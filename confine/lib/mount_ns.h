/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The per-snap mount namespace (FORMATS.md 5): created on the first launch
 * with the base snap as its root (or, in the legacy mode, the host's root),
 * the host directories snapd binds, a private /tmp and a new devpts
 * instance; preserved by binding its nsfs file onto
 * /run/snapd/ns/<snap>.mnt; joined with setns() by later launches; rebuilt
 * when the base snap changed.
 */
#ifndef CONFINE_MOUNT_NS_H
#define CONFINE_MOUNT_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"

#define SC_NS_DIR "/run/snapd/ns"
#define SC_PRIVATE_TMP "/tmp/snap-private-tmp"
#define SC_SNAP_MOUNT_DIR "/snap"
#define SC_MOUNT_PROFILE_DIR "/var/lib/snapd/mount"

struct ns_plan {
	const char *instance; /* snap instance name */
	const char *base; /* base snap name (normal mode) */
	bool legacy; /* keep the host's root (Core 16 style) */
	/* snap-update-ns for a new namespace; NULL: beside this program, else in CONFIG_CONFINE_LIBEXECDIR */
	const char *update_ns;
};

/* joins the snap's preserved namespace, or builds and preserves a new one */
int ns_enter(const struct ns_plan *p, struct diag *err);
/* unmounts the preserved namespace of instance (no error when there is none) */
int ns_discard(const char *instance, struct diag *err);

#endif
