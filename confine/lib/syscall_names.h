/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Syscall names of the boards' architectures (x86_64, i386, aarch64, arm)
 * without libseccomp: a table generated at build time from the host's
 * libseccomp (gen-syscall-names, into $(O)), so that a static tool on the
 * board can name the call of a kernel log line.
 */
#ifndef CONFINE_SYSCALL_NAMES_H
#define CONFINE_SYSCALL_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* the generated data (one table per architecture) */
struct sysname_private {
	uint32_t nr;
	uint16_t off;
};

struct sysname_table {
	uint32_t audit;			    /* AUDIT_ARCH_* */
	const char *name;		    /* x86_64, i386, aarch64, arm */
	const uint16_t *off;		    /* by number: offset in sysname_pool, 0 for none */
	uint32_t n;			    /* numbers 0..n-1 */
	const struct sysname_private *priv; /* numbers outside 0..n-1 (ARM's private calls) */
	size_t npriv;
};

extern const char sysname_pool[];
extern const struct sysname_table sysname_tables[];
extern const size_t sysname_ntables;
extern const char sysname_libseccomp_version[];

/* the name of call nr on the architecture (AUDIT_ARCH_*), or NULL */
const char *sysname_lookup(uint32_t audit, uint32_t nr);
/* the number of name on the architecture, -1 when it has no such call */
int64_t sysname_number(uint32_t audit, const char *name);
/* x86_64, i386, aarch64, arm; NULL for an architecture the table lacks */
const char *sysname_arch(uint32_t audit);

#endif
