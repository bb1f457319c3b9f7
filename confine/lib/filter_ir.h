/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * A policy lowered for one target: per architecture, the syscall numbers
 * that have rules, each with its allow and deny clauses. Both code
 * generators (ours and libseccomp's) and the reference evaluator read it.
 *
 * Semantics (the kernel's evaluation of snapd's two stacked filters, deny
 * filter loaded first, allow filter last):
 *   allow result RA = ALLOW if allow_all or any allow clause holds,
 *                     otherwise default_action;
 *   deny result  RD = deny_action if deny_all or any deny clause holds,
 *                     otherwise ALLOW;
 *   final = the more severe of RA and RD; on a tie, RA (the newest filter).
 * Numbers without an entry get default_action, except:
 *   - an architecture not in the filter, and x32 numbers on x86_64:
 *     badarch_action;
 *   - numbers above enosys_above (when enosys_enabled), outside the arch's
 *     private range, and not 0xffffffff: enosys_action.
 * On a 32-bit architecture only the low 32 bits of arguments, values and
 * masks take part in comparisons.
 */
#ifndef CONFINE_FILTER_IR_H
#define CONFINE_FILTER_IR_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "policy.h"

struct ir_clause {
	uint8_t ncond; /* 0 never appears: an unconditional line sets *_all */
	struct policy_cond cond[POLICY_MAX_ARGS]; /* ANDed */
};

struct ir_syscall {
	uint32_t nr;
	bool allow_all, deny_all;
	size_t nallow, ndeny;
	struct ir_clause *allow, *deny; /* ORed */
};

struct ir_arch {
	const struct arch_info *arch;
	size_t nsys;
	struct ir_syscall *sys; /* sorted by nr, numbers unique */
	uint32_t max_known; /* highest number the syscall tables know (private range excluded) */
	bool enosys_enabled;
	uint32_t enosys_above; /* numbers > this get enosys_action */
};

struct filter_ir {
	bool complain;
	uint32_t default_action; /* SECCOMP_RET_ERRNO|EPERM; complain: LOG or ALLOW */
	uint32_t deny_action; /* SECCOMP_RET_ERRNO|EACCES */
	uint32_t badarch_action; /* SECCOMP_RET_KILL_PROCESS (ours) or KILL_THREAD */
	uint32_t enosys_action; /* SECCOMP_RET_ERRNO|ENOSYS */
	size_t narch;
	struct ir_arch arch[TARGET_MAX_ARCH]; /* native first */
	/* statistics of the lowering, for --stats */
	unsigned unknown_names; /* lines whose name no architecture knows */
	unsigned foreign_names; /* lines whose name exists only on other architectures */
};

void filter_ir_free(struct filter_ir *ir);

/* index of the first entry of a->sys whose nr is >= nr (a->nsys when none) */
size_t ir_syscall_lower_bound(const struct ir_arch *a, uint32_t nr);

/* the reference semantics above, evaluated directly (for tests and `simulate --ir`) */
uint32_t filter_ir_eval(const struct filter_ir *ir, const struct seccomp_data *d);

/* the kernel's choice between two results, newest filter's result first */
uint32_t seccomp_action_merge(uint32_t newest, uint32_t older);

/* 64-bit (or low 32-bit when bits == 32) test of one condition */
bool policy_cond_holds(const struct policy_cond *c, uint64_t arg, unsigned bits);

#endif
