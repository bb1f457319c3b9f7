// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-discard-ns: forget the preserved mount namespace of a snap.
 *
 * usage: snap-discard-ns [--from-snapd] SNAP_INSTANCE_NAME
 *
 * Unmounts /run/snapd/ns/<snap>.mnt and removes its record; the namespace
 * itself ends when its last process exits. Nothing to discard is not an
 * error.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mount_ns.h"
#include "sc_log.h"
#include "tag.h"

int main(int argc, char **argv)
{
	struct diag err;
	char why[256];
	int i = 1;

	sc_log_init("snap-discard-ns");
	if (i < argc && !strcmp(argv[i], "--from-snapd"))
		i++;
	if (argc - i != 1 || argv[i][0] == '-')
		sc_die("usage: snap-discard-ns [--from-snapd] SNAP_INSTANCE_NAME");
	if (!instance_name_split(argv[i], NULL, 0, NULL, 0, why, sizeof(why)))
		sc_die("invalid snap instance name: %s", why);
	if (geteuid() != 0)
		sc_die("need to run as root");
	if (ns_discard(argv[i], &err))
		sc_die("%s", err.msg);
	sc_debug("discarded the namespace of %s", argv[i]);
	return 0;
}
