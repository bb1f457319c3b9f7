// SPDX-License-Identifier: GPL-3.0-only
/*
 * Lowering a policy to a target (lower.h): each rule's name is resolved on
 * each architecture of the target; the rule applies where it resolves.
 * On x86 (i386) the socket and SysV IPC calls are also reached through the
 * socketcall() and ipc() multiplexers; libseccomp adds, for such a rule, a
 * rule on the multiplexer whose first argument must be the sub-call number
 * (replacing any condition the rule had on argument 0, keeping the others).
 * We do the same, so that both generators implement one semantics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "syscall_table.h"

#define X86_NR_SOCKETCALL 102
#define X86_NR_IPC 117

struct subcall {
	const char *name;
	uint8_t sub; /* the multiplexer's call number */
	uint16_t direct; /* the direct i386 number, 0 when there is none */
};

/* SYS_* of linux/net.h; direct numbers of the i386 table (Linux >= 4.3) */
static const struct subcall socket_calls[] = {
	{ "socket", 1, 359 },	   { "bind", 2, 361 },	      { "connect", 3, 362 },	{ "listen", 4, 363 },
	{ "accept", 5, 0 },	   { "getsockname", 6, 367 }, { "getpeername", 7, 368 }, { "socketpair", 8, 360 },
	{ "send", 9, 0 },	   { "recv", 10, 0 },	      { "sendto", 11, 369 },	{ "recvfrom", 12, 371 },
	{ "shutdown", 13, 373 },   { "setsockopt", 14, 366 }, { "getsockopt", 15, 365 }, { "sendmsg", 16, 370 },
	{ "recvmsg", 17, 372 },	   { "accept4", 18, 364 },    { "recvmmsg", 19, 337 },	{ "sendmmsg", 20, 345 },
};
/* the ipc() call numbers of linux/ipc.h; direct numbers since Linux 5.1 */
static const struct subcall ipc_calls[] = {
	{ "semop", 1, 0 },    { "semget", 2, 393 }, { "semctl", 3, 394 }, { "semtimedop", 4, 0 },
	{ "msgsnd", 11, 400 }, { "msgrcv", 12, 401 }, { "msgget", 13, 399 }, { "msgctl", 14, 402 },
	{ "shmat", 21, 397 }, { "shmdt", 22, 398 }, { "shmget", 23, 395 }, { "shmctl", 24, 396 },
};

static const struct subcall *subcall_of(const struct subcall *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static bool same_clause(const struct ir_clause *a, const struct ir_clause *b)
{
	size_t i;

	if (a->ncond != b->ncond)
		return false;
	for (i = 0; i < a->ncond; i++)
		if (a->cond[i].arg != b->cond[i].arg || a->cond[i].op != b->cond[i].op ||
		    a->cond[i].value != b->cond[i].value || a->cond[i].mask != b->cond[i].mask)
			return false;
	return true;
}

/* the entry of nr, inserted in order when new; NULL on ENOMEM */
static struct ir_syscall *entry(struct ir_arch *a, uint32_t nr, size_t *cap)
{
	size_t lo = ir_syscall_lower_bound(a, nr);

	if (lo < a->nsys && a->sys[lo].nr == nr)
		return &a->sys[lo];
	if (a->nsys == *cap) {
		size_t nc = *cap ? *cap * 2 : 128;
		struct ir_syscall *ns = realloc(a->sys, nc * sizeof(*ns));

		if (!ns)
			return NULL;
		a->sys = ns;
		*cap = nc;
	}
	memmove(&a->sys[lo + 1], &a->sys[lo], (a->nsys - lo) * sizeof(*a->sys));
	memset(&a->sys[lo], 0, sizeof(*a->sys));
	a->sys[lo].nr = nr;
	a->nsys++;
	return &a->sys[lo];
}

static int add_clause(struct ir_arch *a, size_t *cap, uint32_t nr, bool deny, const struct ir_clause *c)
{
	struct ir_syscall *s = entry(a, nr, cap);
	struct ir_clause **list;
	size_t *n, i;
	bool *all;

	if (!s)
		return -1;
	list = deny ? &s->deny : &s->allow;
	n = deny ? &s->ndeny : &s->nallow;
	all = deny ? &s->deny_all : &s->allow_all;
	if (*all)
		return 0;
	if (c->ncond == 0) {
		/* unconditional: the clauses of this side no longer matter */
		*all = true;
		free(*list);
		*list = NULL;
		*n = 0;
		return 0;
	}
	for (i = 0; i < *n; i++)
		if (same_clause(&(*list)[i], c))
			return 0;
	/* grow by one at a time at powers of two */
	if ((*n & (*n - 1)) == 0) {
		size_t nc = *n ? *n * 2 : 1;
		struct ir_clause *nl = realloc(*list, nc * sizeof(**list));

		if (!nl)
			return -1;
		*list = nl;
	}
	(*list)[(*n)++] = *c;
	return 0;
}

static void clause_of_rule(const struct policy_rule *r, struct ir_clause *c)
{
	memset(c, 0, sizeof(*c));
	c->ncond = r->ncond;
	memcpy(c->cond, r->cond, r->ncond * sizeof(r->cond[0]));
}

/* the multiplexed form: argument 0 is the sub-call, the other conditions stay */
static void clause_muxed(const struct policy_rule *r, uint8_t sub, struct ir_clause *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->cond[0].arg = 0;
	c->cond[0].op = CMP_EQ;
	c->cond[0].value = sub;
	c->ncond = 1;
	for (i = 0; i < r->ncond; i++)
		if (r->cond[i].arg != 0)
			c->cond[c->ncond++] = r->cond[i];
}

/* applies r to one arch; *applied is set when the name exists there */
static int apply(struct ir_arch *a, size_t *cap, const struct policy_rule *r, bool *applied)
{
	int64_t nr = syscall_nr(a->arch, r->name);
	struct ir_clause c;

	if (a->arch->audit == ARCH_AUDIT_I386) {
		const struct subcall *sc = subcall_of(socket_calls, sizeof(socket_calls) / sizeof(socket_calls[0]), r->name);
		const struct subcall *ic = subcall_of(ipc_calls, sizeof(ipc_calls) / sizeof(ipc_calls[0]), r->name);
		const struct subcall *m = sc ? sc : ic;

		/* libseccomp names these by pseudo numbers on i386 and adds both forms */
		if (m) {
			clause_muxed(r, m->sub, &c);
			if (add_clause(a, cap, sc ? X86_NR_SOCKETCALL : X86_NR_IPC, r->deny, &c))
				return -1;
			*applied = true;
			nr = m->direct ? m->direct : -1;
		}
	}
	if (nr < 0)
		return 0;
	clause_of_rule(r, &c);
	if (add_clause(a, cap, (uint32_t)nr, r->deny, &c))
		return -1;
	*applied = true;
	return 0;
}

int lower_policy(const struct policy *p, const struct target *t, const struct lower_opts *o,
		 struct filter_ir *out, struct diag *err)
{
	size_t caps[TARGET_MAX_ARCH] = { 0 };
	const char *file = o->file ? o->file : "<policy>";
	size_t i, k;

	memset(out, 0, sizeof(*out));
	out->complain = p->complain;
	if (p->complain)
		out->default_action = o->complain_log ? SECCOMP_RET_LOG : SECCOMP_RET_ALLOW;
	else
		out->default_action = SECCOMP_RET_ERRNO | EPERM;
	out->deny_action = SECCOMP_RET_ERRNO | EACCES;
	out->badarch_action = o->kill_process ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_KILL_THREAD;
	out->enosys_action = SECCOMP_RET_ERRNO | ENOSYS;
	out->narch = t->narch;
	for (k = 0; k < t->narch; k++) {
		out->arch[k].arch = t->arch[k];
		out->arch[k].max_known = syscall_max_known(t->arch[k]);
		/* devmode logs what it does not allow, numbers this kernel may know included */
		out->arch[k].enosys_enabled = o->enosys && !p->complain;
		out->arch[k].enosys_above = out->arch[k].max_known;
	}
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		bool applied = false;

		for (k = 0; k < t->narch; k++)
			if (apply(&out->arch[k], &caps[k], r, &applied)) {
				filter_ir_free(out);
				return diag_set(err, "%s: out of memory", file);
			}
		if (applied)
			continue;
		if (syscall_name_known_anywhere(r->name)) {
			out->foreign_names++; /* e.g. arch_prctl on ARM: applies nowhere here */
			continue;
		}
		out->unknown_names++;
		if (o->strict) {
			filter_ir_free(out);
			return diag_set(err, "%s:%u:1: unknown syscall '%s' (--strict)", file, r->line, r->name);
		}
		if (o->warn) {
			char msg[DIAG_MAX];

			snprintf(msg, sizeof(msg), "%s:%u:1: warning: unknown syscall '%s', line ignored", file, r->line,
				 r->name);
			o->warn(o->warn_ctx, msg);
		}
	}
	return 0;
}
