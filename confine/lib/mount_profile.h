/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Applying a snap's mount profile inside its namespace as a difference from
 * the profile applied before (snap-update-ns). Entries that are gone, and
 * everything mounted below them, are undone in reverse order; new entries
 * are applied in order. Paths are walked with O_NOFOLLOW; nothing is
 * created where it would write to the host outside the snap's areas
 * (/var/snap/<snap>, /snap/<snap>, the private /tmp): a read-only
 * directory that needs a new entry gets a writable tmpfs "mimic" that
 * replicates its contents, recorded as a synthetic entry.
 */
#ifndef CONFINE_MOUNT_PROFILE_H
#define CONFINE_MOUNT_PROFILE_H

#include "diag.h"
#include "fstab.h"

struct mount_profile_ctx {
	const char *snap; /* the snap's name (its areas) */
	const char *instance;
};

/*
 * Makes the namespace match desired, given current (what was applied).
 * applied receives what is in effect afterwards (also on failure), to be
 * saved as the next current profile.
 */
int mount_profile_apply(const struct mount_profile_ctx *c, const struct fstab *desired, const struct fstab *current,
			struct fstab *applied, struct diag *err);

#endif
