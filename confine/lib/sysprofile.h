/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Syscall frequency profiles ("name count" lines, # comments), which weight
 * the generator's search tree. A built-in default is recorded from a mixed
 * workload on x86_64; names resolve per architecture.
 */
#ifndef CONFINE_SYSPROFILE_H
#define CONFINE_SYSPROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct sysprofile_entry {
	char name[64];
	uint64_t count;
};

struct sysprofile {
	size_t n;
	struct sysprofile_entry *e;
	uint64_t total;
};

int sysprofile_parse(const char *file, const char *text, size_t len, struct sysprofile *out,
		     struct diag *err);
void sysprofile_free(struct sysprofile *p);
const struct sysprofile *sysprofile_default(void);
/* count of name, 0 when absent */
uint64_t sysprofile_count(const struct sysprofile *p, const char *name);

struct arch_info;
/*
 * The number of a profiled name on arch a: its own, or, when a lacks the
 * name (profiles are recorded on x86_64), the number of the call its libc
 * makes instead (newfstatat -> fstatat64, mmap -> mmap2, open -> openat...);
 * -1 when neither exists.
 */
int64_t sysprofile_nr(const struct arch_info *a, const char *name);

#endif
