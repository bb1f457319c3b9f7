/* SPDX-License-Identifier: GPL-3.0-only */
/* Syscall names and numbers per architecture, from libseccomp's tables. */
#ifndef CONFINE_SYSCALL_TABLE_H
#define CONFINE_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

/* number of name on arch: >= 0, or -1 when the arch has no such call */
int64_t syscall_nr(const struct arch_info *a, const char *name);
/* name of nr on arch, or NULL */
const char *syscall_name(const struct arch_info *a, uint32_t nr);
/* true when some architecture libseccomp knows has this call */
bool syscall_name_known_anywhere(const char *name);
/* highest number the tables know on arch, outside its private range */
uint32_t syscall_max_known(const struct arch_info *a);
/* libseccomp's version as "2.5.4" */
const char *syscall_table_version(void);

#endif
