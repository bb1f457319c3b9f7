// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap: snaps installed, reverted and listed on a running device, with
 * snapd's command lines (a subset of its `snap` command; see
 * confine/lib/snap_mgr.h and docs/snap.md).
 *
 * usage: snap [--root DIR] [--libexecdir DIR] [--bootdir DIR] [--no-live] install --dangerous FILE.snap
 *        snap [OPTIONS] revert SNAP
 *        snap [OPTIONS] list
 *        snap [OPTIONS] routine mount-snaps
 *        snap [OPTIONS] routine link-snaps [--booted NAME=REV]... [NAME=REV...]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "snap_mgr.h"

static const char usage_text[] =
	"usage: snap [OPTIONS] install --dangerous FILE.snap\n"
	"       snap [OPTIONS] revert SNAP\n"
	"       snap [OPTIONS] list\n"
	"       snap [OPTIONS] routine mount-snaps            (at boot: every snap mounted)\n"
	"       snap [OPTIONS] routine link-snaps [--booted NAME=REV]... [NAME=REV...]  (at boot: current "
	"links)\n"
	"options:\n"
	"  --root DIR         the system's root (default /)\n"
	"  --libexecdir DIR   snap-interfaces, snap-discard-ns and boot-ok "
	"(default " CONFIG_CONFINE_LIBEXECDIR ")\n"
	"  --bootdir DIR      where the bootloader reads kernels, below the root "
	"(default " CONFIG_SNAP_BOOTDIR ")\n"
	"  --no-live          write without putting profiles into effect or discarding namespaces\n";

int main(int argc, char **argv)
{
	static const struct option long_opts[] = { { "root", required_argument, NULL, 'r' },
						   { "libexecdir", required_argument, NULL, 'l' },
						   { "bootdir", required_argument, NULL, 'b' },
						   { "no-live", no_argument, NULL, 'n' },
						   { "dangerous", no_argument, NULL, 'd' },
						   { "help", no_argument, NULL, 'h' },
						   { NULL, 0, NULL, 0 } };
	struct smgr_opts o = { .root = "",
			       .libexecdir = CONFIG_CONFINE_LIBEXECDIR,
			       .bootdir = CONFIG_SNAP_BOOTDIR,
			       .live = true };
	struct diag err = { { 0 } };
	char *booted[4];
	int dangerous = 0, nbooted = 0, nimage = 0, c, rc;
	const char *cmd;

	while ((c = getopt_long(argc, argv, "+h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.root = strcmp(optarg, "/") ? optarg : "";
			break;
		case 'l':
			o.libexecdir = optarg;
			break;
		case 'b':
			o.bootdir = optarg;
			break;
		case 'n':
			o.live = false;
			break;
		case 'd':
			dangerous = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	cmd = argv[optind++];
	/* options may follow the command, as snapd's: snap install --dangerous FILE (a routine's
	 * arguments are its own: link-snaps --booted; musl's getopt_long would take them) */
	while (strcmp(cmd, "routine") && (c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1)
		if (c == 'd')
			dangerous = 1;
		else {
			fputs(usage_text, stderr);
			return 2;
		}
	if (strcmp(cmd, "list") && geteuid() != 0) {
		fprintf(stderr, "snap: %s: only root can change the installed snaps\n", cmd);
		return 1;
	}
	if (!strcmp(cmd, "install") && argc - optind == 1) {
		/* a local file has no store assertions: snapd's flag says the user accepts that */
		if (!dangerous) {
			fprintf(stderr,
				"snap: %s: cannot install a snap file without assertions: add --dangerous\n",
				argv[optind]);
			return 1;
		}
		rc = smgr_install(&o, argv[optind], stdout, &err);
	} else if (!strcmp(cmd, "revert") && argc - optind == 1) {
		rc = smgr_revert(&o, argv[optind], stdout, &err);
	} else if (!strcmp(cmd, "list") && argc == optind) {
		rc = smgr_list(&o, stdout, &err);
	} else if (!strcmp(cmd, "routine") && argc - optind == 1 && !strcmp(argv[optind], "mount-snaps")) {
		rc = smgr_mount_all(&o, stderr, &err);
	} else if (!strcmp(cmd, "routine") && argc - optind >= 1 && !strcmp(argv[optind], "link-snaps")) {
		/* its arguments: the image's NAME=REV (gathered in place, at the front), --booted
		 * NAME=REV the boot's base and kernel */
		char **image = &argv[optind + 1];

		for (int i = optind + 1; i < argc; i++) {
			if (!strcmp(argv[i], "--booted") && i + 1 < argc &&
			    nbooted < (int)(sizeof(booted) / sizeof(booted[0]))) {
				booted[nbooted++] = argv[++i];
			} else if (strncmp(argv[i], "--", 2)) {
				image[nimage++] = argv[i];
			} else {
				fputs(usage_text, stderr);
				return 2;
			}
		}
		rc = smgr_link_all(&o, image, nimage, booted, nbooted, stderr, &err);
	} else {
		fputs(usage_text, stderr);
		return 2;
	}
	if (rc) {
		fprintf(stderr, "snap: %s\n", err.msg);
		return 1;
	}
	return 0;
}
