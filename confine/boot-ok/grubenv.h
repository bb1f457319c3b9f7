// SPDX-License-Identifier: GPL-3.0-only
#ifndef BOOT_OK_GRUBENV_H
#define BOOT_OK_GRUBENV_H

/* boot-ok on the GRUB layout of the boot state in DIR (the ESP, grubenv.c):
 * marks this boot successful (CMDLINE: the kernel command line's file) or,
 * with PRINT, shows the state, or with TRY_KIND ("kernel", "core") stages
 * TRY_NAME for the next boot's try; 0 on success */
int grubenv_boot_ok(const char *dir, const char *cmdline, int print, const char *try_kind, const char *try_name);

#include <stddef.h>

/* refuses to stage NAME while a try-boot is not yet marked good (both layouts): prints why, -1 */
int boot_try_refused(const char *name);

/* the SHA-256 digest of DATA as 64 lowercase hex digits and a NUL in HEX */
void grubenv_sha256_hex(const unsigned char *data, size_t len, char hex[65]);

#endif
