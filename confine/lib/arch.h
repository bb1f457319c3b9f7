/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Architectures a seccomp filter can name, and the boards' target sets.
 * No libseccomp here: the launcher and the simulator use this too.
 */
#ifndef CONFINE_ARCH_H
#define CONFINE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* AUDIT_ARCH_* values, which are also libseccomp's SCMP_ARCH_* tokens */
#define ARCH_AUDIT_X86_64 0xc000003eu
#define ARCH_AUDIT_I386 0x40000003u
#define ARCH_AUDIT_AARCH64 0xc00000b7u
#define ARCH_AUDIT_ARM 0x40000028u

/* x32 system calls share AUDIT_ARCH_X86_64 and set this bit in nr */
#define ARCH_X32_SYSCALL_BIT 0x40000000u

struct arch_info {
	const char *name; /* libseccomp's name: x86_64, x86, aarch64, arm */
	uint32_t audit; /* AUDIT_ARCH_* */
	unsigned bits; /* 64 or 32: a 32-bit arch compares low words only */
	/*
	 * Numbers in [private_lo, private_hi] are an architecture's private
	 * calls (ARM: 0x0f0000..0x0f07ff), kept out of the "above the highest
	 * known number" region. Both 0 when there are none.
	 */
	uint32_t private_lo, private_hi;
	bool x32_bit; /* x86_64: numbers with ARCH_X32_SYSCALL_BIT are x32 */
};

/* NULL when unknown; accepts libseccomp names and the aliases i386, arm64, armhf, amd64 */
const struct arch_info *arch_by_name(const char *name);
const struct arch_info *arch_by_audit(uint32_t audit);
/* all known architectures, for iteration */
extern const struct arch_info *const arch_all[];
extern const size_t arch_count;

#define TARGET_MAX_ARCH 2

struct target {
	const char *board; /* pc, pi2, dragonboard; NULL for an --arch list */
	size_t narch; /* native first, then compat */
	const struct arch_info *arch[TARGET_MAX_ARCH];
};

/* fills t for a board name; -1 when unknown */
int target_for_board(const char *board, struct target *t);
/*
 * "x86_64,x86": native first then compat. -1 with a reason in why when a
 * name is unknown, repeated or more than TARGET_MAX_ARCH are given.
 */
int target_parse_arch_list(const char *list, struct target *t, char *why, size_t whylen);
/* the target of the machine this binary was built for */
void target_native(struct target *t);

#endif
