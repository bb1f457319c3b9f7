// SPDX-License-Identifier: GPL-3.0-only
/*
 * boot-ok: mark this boot successful, as snapd's mark-successful does for
 * the kernel and the base of a Core 16/18 system (FORMATS.md 8).
 *
 * usage: boot-ok [--print] [--config FILE | --grubenv DIR]
 *        boot-ok [--config FILE | --grubenv DIR] --try kernel|core NAME
 *
 * With --grubenv, or when there is no /etc/fw_env.config and /boot/efi is
 * a directory (the pc), the boot state is GRUB's layout on the ESP
 * (grubenv.c). Otherwise it reads the U-Boot environment through libubootenv (fw_env.config, default
 * /etc/fw_env.config: the two copies uboot.env and uboot-redund.env on the
 * FAT system-boot partition, U-Boot's redundant layout; libubootenv reads
 * the valid copy with the newer flag and writes the other one, so a torn
 * write leaves the current copy intact).
 *   snap_mode=trying  this boot is the try of a new kernel or base and it
 *                     got this far: snap_kernel takes snap_try_kernel and
 *                     snap_core takes snap_try_core (each when set), the
 *                     try variables and snap_mode are cleared
 *   any other mode    the try variables are cleared (left over from a
 *                     rollback: the boot script cleared "trying" and booted
 *                     the old kernel)
 * The environment is written only when one of these changes something.
 * --print shows the state and writes nothing. --try stages the next boot's
 * try (what snap install does with a kernel or base snap, as snapd sets
 * them): snap_try_kernel or snap_try_core becomes NAME, snap_mode "try",
 * in one write; refused while a try is being booted (snap_mode=trying).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libuboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grubenv.h"

/* the pairs snapd commits: the good variable and its try variable */
static const char *const kinds[] = { "kernel", "core" };

static const char *get(struct uboot_ctx *ctx, const char *name)
{
	const char *v = libuboot_get_env(ctx, name);

	return v ? v : "";
}

/* set NAME to VALUE ("" removes it) when it differs; *changed says so */
static int set_if_changed(struct uboot_ctx *ctx, const char *name, const char *value, int *changed)
{
	if (!strcmp(get(ctx, name), value))
		return 0;
	*changed = 1;
	return libuboot_set_env(ctx, name, *value ? value : NULL);
}

/* the new state, in ctx; returns -1 on an error of libubootenv */
static int mark_successful(struct uboot_ctx *ctx, int *changed)
{
	int trying = !strcmp(get(ctx, "snap_mode"), "trying");
	char good[32], try[32];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char *value;
		int rc = 0;

		snprintf(good, sizeof(good), "snap_%s", kinds[k]);
		snprintf(try, sizeof(try), "snap_try_%s", kinds[k]);
		value = strdup(get(ctx, try));
		if (!value)
			return -1;
		if (trying && *value) {
			rc = set_if_changed(ctx, good, value, changed);
			if (!rc)
				printf("boot-ok: committed the try-boot of %s (%s)\n", value, good);
		} else if (*value) {
			printf("boot-ok: cleared %s=%s, left by a rollback\n", try, value);
		}
		if (!rc)
			rc = set_if_changed(ctx, try, "", changed);
		free(value);
		if (rc < 0)
			return -1;
	}
	if (trying && set_if_changed(ctx, "snap_mode", "", changed) < 0)
		return -1;
	return 0;
}

/* snap_try_<kind>=name and snap_mode=try, in ctx */
static int stage_try(struct uboot_ctx *ctx, const char *kind, const char *name)
{
	char var[32];
	int changed = 0;

	if (!strcmp(get(ctx, "snap_mode"), "trying"))
		return boot_try_refused(name);
	snprintf(var, sizeof(var), "snap_try_%s", kind);
	if (set_if_changed(ctx, var, name, &changed) < 0 ||
	    set_if_changed(ctx, "snap_mode", "try", &changed) < 0 ||
	    (changed && libuboot_env_store(ctx) < 0)) {
		fprintf(stderr, "boot-ok: cannot store the U-Boot environment\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *config = NULL, *grubdir = NULL, *try_kind = NULL, *try_name = NULL;
	struct uboot_ctx *ctx = NULL;
	int print = 0, changed = 0, rc = 1;
	struct stat st;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--print")) {
			print = 1;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc && !grubdir) {
			config = argv[++i];
		} else if (!strcmp(argv[i], "--grubenv") && i + 1 < argc && !config) {
			grubdir = argv[++i];
		} else if (!strcmp(argv[i], "--try") && i + 2 < argc &&
			   (!strcmp(argv[i + 1], "kernel") || !strcmp(argv[i + 1], "core")) && *argv[i + 2]) {
			try_kind = argv[++i];
			try_name = argv[++i];
		} else {
			fprintf(stderr,
				"usage: boot-ok [--print] [--config FILE | --grubenv DIR]\n"
				"       boot-ok [--config FILE | --grubenv DIR] --try kernel|core NAME\n");
			return 2;
		}
	}
	if (!config && !grubdir && access("/etc/fw_env.config", F_OK) != 0 && lstat("/boot/efi", &st) == 0 &&
	    S_ISDIR(st.st_mode))
		grubdir = "/boot/efi";
	if (grubdir)
		return grubenv_boot_ok(grubdir, "/proc/cmdline", print, try_kind, try_name);
	if (!config)
		config = "/etc/fw_env.config";
	if (libuboot_initialize(&ctx, NULL) < 0) {
		fprintf(stderr, "boot-ok: cannot initialise libubootenv\n");
		return 1;
	}
	if (libuboot_read_config(ctx, config) < 0) {
		fprintf(stderr, "boot-ok: cannot read %s\n", config);
		goto out;
	}
	if (libuboot_open(ctx) < 0) {
		fprintf(stderr, "boot-ok: cannot open the U-Boot environment named in %s\n", config);
		goto out;
	}
	if (print) {
		printf("snap_mode=%s snap_kernel=%s snap_try_kernel=%s snap_core=%s snap_try_core=%s\n",
		       get(ctx, "snap_mode"), get(ctx, "snap_kernel"), get(ctx, "snap_try_kernel"),
		       get(ctx, "snap_core"), get(ctx, "snap_try_core"));
		rc = 0;
		goto out_close;
	}
	if (try_kind) {
		rc = stage_try(ctx, try_kind, try_name) < 0;
		goto out_close;
	}
	if (mark_successful(ctx, &changed) < 0 || (changed && libuboot_env_store(ctx) < 0)) {
		fprintf(stderr, "boot-ok: cannot store the U-Boot environment\n");
		goto out_close;
	}
	rc = 0;
out_close:
	libuboot_close(ctx);
out:
	libuboot_exit(ctx);
	return rc;
}
