/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The per-snap mount namespace (FORMATS.md 5): created on the first launch
 * with the base snap as its root (or, in the legacy mode, the host's root),
 * the host directories snapd binds, a private /tmp and a new devpts
 * instance; preserved by binding its nsfs file onto
 * /run/snapd/ns/<snap>.mnt; joined with setns() by later launches. A
 * namespace built from an older base is kept while a process uses it and
 * replaced after. The namespace and its records (/run/snapd/ns/snap.<snap>
 * .info, what it was built from, and .fstab, the mount profile applied in
 * it) are made and discarded together.
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
};

/* the helpers are taken from the configured directory only (Kconfig), never from beside the launcher */
#define SC_LIBEXECDIR CONFIG_CONFINE_LIBEXECDIR
#define SC_UPDATE_NS SC_LIBEXECDIR "/snap-update-ns"

/* joins the snap's preserved namespace, or builds and preserves a new one */
int ns_enter(const struct ns_plan *p, struct diag *err);
/* unmounts the preserved namespace of instance (no error when there is none) */
int ns_discard(const char *instance, struct diag *err);

#endif
