// SPDX-License-Identifier: GPL-3.0-only
/*
 * Equivalence of the generators: for each test policy and board, our
 * merged program, libseccomp's two programs (linear and binary tree) and
 * the reference semantics (filter_ir_eval) give the same action for every
 * syscall number of each architecture of the target, with edge argument
 * values: 0, each rule constant and its neighbours, 2^31, 2^32-1, values
 * with the high 32 bits set and sign-extended negatives. Everything runs
 * through the BPF interpreter, whose own tests compare it with the kernel.
 * ENOSYS above the known numbers is ours only, so it is off here (and
 * checked separately); the bad-architecture action is the same option for
 * both.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fileio.h"
#include "syscall_table.h"
#include "tap.h"

#define MAX_VALS 256

static const char *srcdir(void)
{
	const char *s = getenv("SRCDIR");

	return s ? s : ".";
}

/* both programs of a result, in load order, merged like the kernel does */
static uint32_t run_result(const struct compile_result *r, const struct seccomp_data *d)
{
	uint32_t deny = bpf_run(r->deny.insn, r->deny.len, d, NULL);
	uint32_t allow = bpf_run(r->allow.insn, r->allow.len, d, NULL);

	return seccomp_action_merge(allow, deny);
}

static void add_val(uint64_t *v, size_t *n, uint64_t x)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n < MAX_VALS)
		v[(*n)++] = x;
}

/* the edge values of a policy */
static size_t edge_values(const struct policy *p, uint64_t *v)
{
	static const uint64_t fixed[] = { 0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000ull,
					  0x1ffffffffull, 0xffffffff00000000ull, 0xffffffff80000000ull,
					  0xfffffffffffffffeull, 0xffffffffffffffffull, 0x100005412ull };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		add_val(v, &n, fixed[i]);
	for (size_t r = 0; r < p->nrules; r++)
		for (size_t c = 0; c < p->rules[r].ncond; c++) {
			const struct policy_cond *k = &p->rules[r].cond[c];

			add_val(v, &n, k->value);
			add_val(v, &n, k->value + 1);
			add_val(v, &n, k->value - 1);
			add_val(v, &n, k->value | 0xffffffff00000000ull);
			add_val(v, &n, k->value | 0x100000000ull);
			if (k->op == CMP_MASKED_EQ) {
				add_val(v, &n, k->mask);
				add_val(v, &n, k->value ^ 1);
				add_val(v, &n, k->mask & ~k->value);
			}
		}
	return n;
}

static bool has_conditions(const struct ir_arch *a, uint32_t nr)
{
	for (size_t i = 0; i < a->nsys; i++)
		if (a->sys[i].nr == nr)
			return a->sys[i].nallow || a->sys[i].ndeny;
	return false;
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int compile_with(const char *path, const char *text, size_t len, const char *board,
			enum compile_backend b, struct compile_result *r, struct diag *err)
{
	struct compile_opts o;

	compile_opts_default(&o);
	target_for_board(board, &o.target);
	o.backend = b;
	o.lower.enosys = false;
	o.lower.kill_process = false;
	return compile_policy(path, text, len, &o, r, err);
}

static void check_policy(const char *rel, const char *board)
{
	struct compile_result ours = { 0 }, lin = { 0 }, tree = { 0 };
	struct compile_opts o;
	struct policy p = { 0 };
	struct filter_ir ir = { 0 };
	struct diag err;
	char path[4096], *text = NULL;
	size_t len, nv;
	uint64_t vals[MAX_VALS];

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	compile_opts_default(&o);
	target_for_board(board, &o.target);
	o.lower.enosys = false;
	o.lower.kill_process = false;
	if (file_read_all(path, 1 << 20, &text, &len, &err) ||
	    compile_with(path, text, len, board, BACKEND_OURS, &ours, &err) ||
	    compile_with(path, text, len, board, BACKEND_LIBSECCOMP, &lin, &err) ||
	    compile_with(path, text, len, board, BACKEND_LIBSECCOMP_TREE, &tree, &err) ||
	    policy_parse(path, text, len, NULL, &p, &err) || lower_policy(&p, &o.target, &o.lower, &ir, &err)) {
		ok(false, "%s on %s: compiles with every backend: %s", rel, board, err.msg);
		goto out;
	}
	nv = edge_values(&p, vals);
	for (size_t k = 0; k < ir.narch; k++) {
		const struct ir_arch *a = &ir.arch[k];
		unsigned checked = 0, bad_lin = 0, bad_tree = 0, bad_ir = 0;
		char first[256] = "";
		uint64_t extra[] = { 0x0f0002, 0x0f0100, 0x0f07ff, 0x0f0800, 0x40000000, 0x40000001, 0x7fffffff,
				     0x80000000, 0xfffffffe, 0xffffffff };

		for (uint64_t i = 0; i <= a->max_known + 64 + sizeof(extra) / sizeof(extra[0]); i++) {
			uint32_t nr = i <= a->max_known + 64 ? (uint32_t)i : (uint32_t)extra[i - a->max_known - 65];
			struct seccomp_data d = { .nr = (int)nr, .arch = a->arch->audit };
			size_t nvec = has_conditions(a, nr) ? nv + 300 : 2;

			for (size_t v = 0; v < nvec; v++) {
				uint32_t want, got, gl, gt;

				for (int j = 0; j < 6; j++)
					d.args[j] = v < nv ? vals[(v + (size_t)j * 3) % nv] : vals[rnd() % nv];
				if (v == 1)
					memset(d.args, 0xff, sizeof(d.args));
				want = filter_ir_eval(&ir, &d);
				got = run_result(&ours, &d);
				gl = run_result(&lin, &d);
				gt = run_result(&tree, &d);
				checked++;
				if (got != want || gl != want || gt != want) {
					bad_ir += got != want;
					bad_lin += gl != got;
					bad_tree += gt != got;
					if (!first[0])
						snprintf(first, sizeof(first),
							 "nr %u args %#llx %#llx %#llx %#llx: ir %#x ours %#x libseccomp %#x tree %#x",
							 nr, (unsigned long long)d.args[0], (unsigned long long)d.args[1],
							 (unsigned long long)d.args[2], (unsigned long long)d.args[3], want,
							 got, gl, gt);
				}
			}
		}
		ok(bad_ir == 0, "%s on %s/%s: ours = reference semantics (%u cases)", rel, board, a->arch->name,
		   checked);
		ok(bad_lin == 0, "%s on %s/%s: ours = libseccomp linear (%u differ)", rel, board, a->arch->name,
		   bad_lin);
		ok(bad_tree == 0, "%s on %s/%s: ours = libseccomp binary tree (%u differ)", rel, board,
		   a->arch->name, bad_tree);
		if (first[0])
			diag("first difference: %s", first);
	}
	/* a foreign architecture gets the bad-arch action from every generator */
	{
		struct seccomp_data d = { .nr = 0, .arch = strcmp(board, "pc") ? ARCH_AUDIT_X86_64 : ARCH_AUDIT_AARCH64 };

		ok(run_result(&ours, &d) == SECCOMP_RET_KILL_THREAD && run_result(&lin, &d) == SECCOMP_RET_KILL_THREAD,
		   "%s on %s: a foreign architecture is killed by both", rel, board);
	}
out:
	compile_result_free(&ours);
	compile_result_free(&lin);
	compile_result_free(&tree);
	filter_ir_free(&ir);
	policy_free(&p);
	free(text);
}

/* the one intended difference: ENOSYS above the known numbers, ours only */
static void check_enosys(void)
{
	static const char text[] = "read\nwrite\n";
	struct compile_opts o;
	struct compile_result r = { 0 };
	struct diag err;

	compile_opts_default(&o);
	target_for_board("pc", &o.target);
	o.lower.enosys = true;
	if (compile_policy("enosys.src", text, strlen(text), &o, &r, &err)) {
		ok(false, "enosys policy compiles: %s", err.msg);
		return;
	}
	for (size_t k = 0; k < o.target.narch; k++) {
		const struct arch_info *a = o.target.arch[k];
		uint32_t max = syscall_max_known(a);
		struct seccomp_data above = { .nr = (int)(max + 1), .arch = a->audit };
		struct seccomp_data at = { .nr = (int)max, .arch = a->audit };
		struct seccomp_data minus1 = { .nr = -1, .arch = a->audit };

		ok(run_result(&r, &above) == (SECCOMP_RET_ERRNO | ENOSYS), "%s: %u (above the highest known) is ENOSYS",
		   a->name, max + 1);
		ok(run_result(&r, &at) == (SECCOMP_RET_ERRNO | EPERM), "%s: %u (the highest known, not allowed) is EPERM",
		   a->name, max);
		ok(run_result(&r, &minus1) == (SECCOMP_RET_ERRNO | EPERM), "%s: -1 stays EPERM", a->name);
	}
	compile_result_free(&r);
}

int main(void)
{
	static const char *const policies[] = {
		"confine/snap-seccomp/policy/default.src", "confine/tests/policies/ops.src",
		"confine/tests/policies/complain.src",	    "confine/tests/policies/deny-only.src",
		"confine/tests/policies/empty.src",
	};
	static const char *const boards[] = { "pc", "dragonboard", "pi2" };

	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		for (size_t b = 0; b < sizeof(boards) / sizeof(boards[0]); b++)
			check_policy(policies[i], boards[b]);
	check_enosys();
	return tap_done();
}
