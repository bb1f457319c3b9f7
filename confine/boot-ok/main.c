// SPDX-License-Identifier: GPL-3.0-only
/*
 * boot-ok: confirm a try-boot of a kernel snap (FORMATS.md 8).
 *
 * usage: boot-ok [--print] [--config FILE]
 *
 * Reads the U-Boot environment through libubootenv (fw_env.config, default
 * /etc/fw_env.config, pointing at uboot.env on the FAT system-boot
 * partition). When snap_mode is "trying" (this boot is the try of a new
 * kernel and it got this far), the try becomes the kernel: snap_kernel
 * takes snap_try_kernel, and snap_try_kernel and snap_mode are cleared. In
 * any other state nothing is written. --print shows the state afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libuboot.h>

static const char *get(struct uboot_ctx *ctx, const char *name)
{
	const char *v = libuboot_get_env(ctx, name);

	return v ? v : "";
}

int main(int argc, char **argv)
{
	const char *config = "/etc/fw_env.config";
	struct uboot_ctx *ctx = NULL;
	int print = 0, rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--print")) {
			print = 1;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config = argv[++i];
		} else {
			fprintf(stderr, "usage: boot-ok [--print] [--config FILE]\n");
			return 2;
		}
	}
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
	if (!print && !strcmp(get(ctx, "snap_mode"), "trying")) {
		char *try_kernel = strdup(get(ctx, "snap_try_kernel"));

		if (!try_kernel || !*try_kernel) {
			fprintf(stderr, "boot-ok: snap_mode is trying but snap_try_kernel is empty\n");
			free(try_kernel);
			goto out_close;
		}
		if (libuboot_set_env(ctx, "snap_kernel", try_kernel) < 0 ||
		    libuboot_set_env(ctx, "snap_try_kernel", NULL) < 0 || libuboot_set_env(ctx, "snap_mode", NULL) < 0 ||
		    libuboot_env_store(ctx) < 0) {
			fprintf(stderr, "boot-ok: cannot store the U-Boot environment\n");
			free(try_kernel);
			goto out_close;
		}
		printf("boot-ok: committed the try-boot of %s\n", try_kernel);
		free(try_kernel);
	}
	if (print)
		printf("snap_mode=%s snap_kernel=%s snap_try_kernel=%s\n", get(ctx, "snap_mode"), get(ctx, "snap_kernel"),
		       get(ctx, "snap_try_kernel"));
	rc = 0;
out_close:
	libuboot_close(ctx);
out:
	libuboot_exit(ctx);
	return rc;
}
