/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Applying a snap's mount profile inside its namespace as a difference from
 * the profile applied before (snap-update-ns). Entries that are gone, and
 * everything mounted below them, are undone in reverse order; new entries
 * are applied in order, an instance's x-snapd.origin=overname ones first.
 *
 * Every path is walked from the namespace's root descriptor with
 * path_walk.h (a symbolic link anywhere is refused, never followed), and
 * everything is created, mounted and unmounted through descriptors. A new
 * directory entry is made only where it cannot write to the host: the
 * snap's areas (/var/snap/<snap>, /snap/<snap>), the private /tmp, a
 * tmpfs this profile mounted, or what an instance's overname bind of this
 * profile put over the snap name's directories. A directory on a read-only
 * file system (the base, a snap) that needs a new entry gets a writable
 * tmpfs "mimic" that replicates its entries, recorded as a synthetic entry. The decision is
 * made from the directory's descriptor: where the kernel says it is and
 * what its file system is.
 */
#ifndef CONFINE_MOUNT_PROFILE_H
#define CONFINE_MOUNT_PROFILE_H

#include <stdbool.h>

#include "diag.h"
#include "fstab.h"
#include "path_walk.h"

struct mount_profile_ctx {
	const char *snap;    /* the snap instance whose areas may be written */
	struct pw_root root; /* the namespace's root */
};

enum mount_area {
	MOUNT_AREA_OWN,	  /* the snap's own: create there */
	MOUNT_AREA_MIMIC, /* read-only: a writable mimic first */
	MOUNT_AREA_HOST,  /* the host's: refuse */
};

/*
 * The decision for a directory that really is at where, on a read-only
 * file system or not, on a mount of this profile that is the snap's own or
 * not (own_mount: a tmpfs this profile mounted, or, for an instance, its
 * own directory bound over the snap name's by an x-snapd.origin=overname
 * entry: /var/snap/<snap> is the instance's only once that bind is there).
 */
enum mount_area mount_area_of(const char *snap, const char *where, bool rdonly, bool own_mount);

/*
 * Makes the namespace match desired, given current (what was applied).
 * applied receives what is in effect afterwards (also on failure), to be
 * saved as the next current profile.
 */
int mount_profile_apply(const struct mount_profile_ctx *c, const struct fstab *desired,
			const struct fstab *current, struct fstab *applied, struct diag *err);

#endif
