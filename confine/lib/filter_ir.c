// SPDX-License-Identifier: GPL-3.0-only
/* The lowered filter and its reference semantics (filter_ir.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter_ir.h"

void filter_ir_free(struct filter_ir *ir)
{
	size_t i, j;

	for (i = 0; i < ir->narch; i++) {
		for (j = 0; j < ir->arch[i].nsys; j++) {
			free(ir->arch[i].sys[j].allow);
			free(ir->arch[i].sys[j].deny);
		}
		free(ir->arch[i].sys);
	}
	memset(ir, 0, sizeof(*ir));
}

uint32_t seccomp_action_merge(uint32_t newest, uint32_t older)
{
	/* the kernel keeps the lowest signed action; on a tie the newest filter's value */
	int32_t n = (int32_t)(newest & SECCOMP_RET_ACTION_FULL);
	int32_t o = (int32_t)(older & SECCOMP_RET_ACTION_FULL);

	return o < n ? older : newest;
}

bool policy_cond_holds(const struct policy_cond *c, uint64_t arg, unsigned bits)
{
	uint64_t v = c->value, m = c->mask;

	if (bits == 32) {
		arg &= 0xffffffffu;
		v &= 0xffffffffu;
		m &= 0xffffffffu;
	}
	switch (c->op) {
	case CMP_EQ:
		return arg == v;
	case CMP_NE:
		return arg != v;
	case CMP_LT:
		return arg < v;
	case CMP_LE:
		return arg <= v;
	case CMP_GT:
		return arg > v;
	case CMP_GE:
		return arg >= v;
	case CMP_MASKED_EQ:
		return (arg & m) == v;
	default:
		return false;
	}
}

static bool clause_holds(const struct ir_clause *c, const struct seccomp_data *d, unsigned bits)
{
	size_t i;

	for (i = 0; i < c->ncond; i++)
		if (!policy_cond_holds(&c->cond[i], d->args[c->cond[i].arg], bits))
			return false;
	return true;
}

size_t ir_syscall_lower_bound(const struct ir_arch *a, uint32_t nr)
{
	size_t lo = 0, hi = a->nsys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->sys[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct ir_syscall *find_sys(const struct ir_arch *a, uint32_t nr)
{
	size_t i = ir_syscall_lower_bound(a, nr);

	return i < a->nsys && a->sys[i].nr == nr ? &a->sys[i] : NULL;
}

uint32_t filter_ir_eval(const struct filter_ir *ir, const struct seccomp_data *d)
{
	const struct ir_arch *a = NULL;
	const struct ir_syscall *s;
	uint32_t nr = (uint32_t)d->nr, ra, rd;
	size_t i;
	bool hit;

	for (i = 0; i < ir->narch; i++)
		if (ir->arch[i].arch->audit == d->arch)
			a = &ir->arch[i];
	if (!a)
		return ir->badarch_action;
	if (nr == UINT32_MAX)
		return ir->default_action;
	if (a->arch->x32_bit && nr >= ARCH_X32_SYSCALL_BIT)
		return ir->badarch_action;
	s = find_sys(a, nr);
	if (!s) {
		bool priv = a->arch->private_hi && nr >= a->arch->private_lo && nr <= a->arch->private_hi;

		if (a->enosys_enabled && nr > a->enosys_above && !priv)
			return ir->enosys_action;
		return ir->default_action;
	}
	hit = s->allow_all;
	for (i = 0; !hit && i < s->nallow; i++)
		hit = clause_holds(&s->allow[i], d, a->arch->bits);
	ra = hit ? SECCOMP_RET_ALLOW : ir->default_action;
	hit = s->deny_all;
	for (i = 0; !hit && i < s->ndeny; i++)
		hit = clause_holds(&s->deny[i], d, a->arch->bits);
	rd = hit ? ir->deny_action : SECCOMP_RET_ALLOW;
	return seccomp_action_merge(ra, rd);
}
