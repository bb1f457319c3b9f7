// SPDX-License-Identifier: GPL-3.0-only
#ifndef BOOT_OK_GRUBENV_H
#define BOOT_OK_GRUBENV_H

/* boot-ok on the GRUB layout of the boot state in DIR (the ESP, grubenv.c):
 * marks this boot successful (CMDLINE: the kernel command line's file) or,
 * with PRINT, shows the state; 0 on success */
int grubenv_boot_ok(const char *dir, const char *cmdline, int print);

#endif
