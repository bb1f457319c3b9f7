/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Snaps installed, reverted and staged on a running device (the `snap`
 * tool), on the layout of FORMATS.md: <instance>_<rev>.snap files in
 * /var/lib/snapd/snaps mounted read-only on /snap/<instance>/<rev>,
 * "current" links in /snap/<name> and /var/snap/<name>, the revisions in
 * installation order in /var/lib/snapd/confine/state/<name>.sequence.
 *
 * An app snap's new revision is mounted, its data copied from the current
 * revision (/var/snap/<name>/<rev> and each user's ~/snap/<name>/<rev>, as
 * snapd does; common data is shared), its profiles generated and put into
 * effect by the interface generator (snap-interfaces install), the
 * preserved mount namespace discarded (snap-discard-ns) and the links
 * moved; a failure at any step undoes the steps before it. A revert makes
 * the revision before the current one current again, its data as it was
 * left. A kernel or base snap is staged for a try-boot instead: its file
 * beside the others, a kernel's boot files where the bootloader reads
 * them, snap_try_kernel or snap_try_core and snap_mode=try through boot-ok.
 *
 * /snap is read-only on the device (a tmpfs the image's init fills at
 * boot): an install or a revert opens it, makes that mount writable when it
 * is read-only, and read-only again when done, on every path. The current
 * revision is also recorded in state/<name>.current, from which the next
 * boot makes /snap/<name>/current.
 */
#ifndef CONFINE_SNAP_MGR_H
#define CONFINE_SNAP_MGR_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

struct smgr_opts {
	const char *root;	/* the system's root: "" for / (the device) */
	const char *libexecdir; /* snap-interfaces, snap-discard-ns and boot-ok */
	const char *bootdir;	/* where the bootloader reads kernels (root-relative, "" none) */
	bool live;		/* this system: put profiles into effect, discard namespaces */
};

/* installs the .snap file as a new local revision (x1, x2...); what was done, in one line, into out */
int smgr_install(const struct smgr_opts *o, const char *file, FILE *out, struct diag *err);
/* the revision installed before the current one becomes current */
int smgr_revert(const struct smgr_opts *o, const char *name, FILE *out, struct diag *err);
/* Name, Version, Rev of every installed snap */
int smgr_list(const struct smgr_opts *o, FILE *out, struct diag *err);
/*
 * the boot's mounts (snap routine mount-snaps, rootfs/init): every
 * <instance>_<rev>.snap of root/var/lib/snapd/snaps mounted read-only
 * (nodev) on root/snap/<instance>/<rev>, made when missing, unless that
 * directory has a mount already; each on a read-only, self-clearing loop
 * device set up with one LOOP_CONFIGURE (busybox mount's two ioctls wait
 * for the block queue to freeze: about 20 ms a snap under TCG). A snap that
 * cannot be mounted is one line on out and the others are still mounted;
 * -1 when any could not be.
 */
int smgr_mount_all(const struct smgr_opts *o, FILE *out, struct diag *err);
/*
 * the boot's current links (snap routine link-snaps, rootfs/init, after
 * mount-snaps): each root/snap/<instance>/ without a current link gets one
 * to the revision state/<instance>.current records when that revision is
 * mounted, else to the one image (NAME=REV arguments: what the image's
 * /snap held, read before the boot covered it) names, when mounted; one
 * that booted names (NAME=REV: the base and kernel this boot booted) gets
 * that revision, record and image aside, when mounted; a
 * parallel instance's snap name gets its directory; then root/snap is made
 * read-only (the mount's own flag). A snap with no mounted revision to link
 * is one line on out, and -1.
 */
int smgr_link_all(const struct smgr_opts *o, char **image, int nimage, char **booted, int nbooted, FILE *out,
		  struct diag *err);

#endif
