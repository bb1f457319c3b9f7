// SPDX-License-Identifier: GPL-3.0-only
/*
 * Our generator's own properties: the search tree is optimal, far jumps
 * are laid out right, every unconditional allow is cacheable by the
 * kernel, the output means what the IR means, and its cost stays within
 * the project's targets (instruction counts from the interpreter, not
 * timings).
 */
#include <stdlib.h>
#include <string.h>

#include "bpf_cache.h"
#include "bpf_layout.h"
#include "compile.h"
#include "fileio.h"
#include "gen_internal.h"
#include "syscall_table.h"
#include "tap.h"

/* ---- tree optimality: the DP against exhaustive search on small inputs */

static double brute_cost(const double *w, size_t i, size_t j)
{
	double best = -1, sum = 0;
	size_t r;

	if (i == j)
		return 0;
	for (r = i; r <= j; r++)
		sum += w[r];
	for (r = i; r < j; r++) {
		double c = brute_cost(w, i, r) + brute_cost(w, r + 1, j);

		if (best < 0 || c < best)
			best = c;
	}
	return best + sum;
}

/* sum(weight * tests executed) of a built tree, measured by running it */
static double measured_cost(const struct frag *f, const uint32_t *start, const double *w, size_t n)
{
	struct seccomp_data d = { 0 };
	double total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned steps = 0;

		d.nr = (int)start[i];
		bpf_run(f->insn, f->len, &d, &steps);
		total += w[i] * (steps - 2); /* minus the load and the RET */
	}
	return total;
}

static void test_tree_optimal(void)
{
	unsigned seed = 12345;
	int round;

	for (round = 0; round < 40; round++) {
		struct gen_ctx g = { 0 };
		struct diag err;
		size_t n = 2 + round % 7, i;
		uint32_t start[9];
		double w[9];
		struct frag leaf[9], tree;

		g.err = &err;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			start[i] = (uint32_t)(i * 10);
			w[i] = (double)((seed >> 16) % 100) + 1;
			/* distinct returns so that no branch collapses */
			frag_ret(&g, &leaf[i], SECCOMP_RET_ERRNO | (uint32_t)(i + 1));
		}
		tree_build(&g, n, start, w, leaf, &tree);
		frag_prepend(&g, &tree, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0));
		ok(measured_cost(&tree, start, w, n) == brute_cost(w, 0, n - 1),
		   "tree over %zu weighted ranges is optimal (%g tests)", n, brute_cost(w, 0, n - 1));
		/* and every range reaches its own leaf */
		for (i = 0; i < n; i++) {
			struct seccomp_data d = { .nr = (int)(start[i] + (i ? 5 : 0)) };

			if (bpf_run(tree.insn, tree.len, &d, NULL) != (SECCOMP_RET_ERRNO | (uint32_t)(i + 1)))
				break;
		}
		ok(i == n, "every range of the %zu reaches its own return", n);
		frag_free(&tree);
	}
}

/* ---- JEQ tests for hot numbers: a heavy number inside a range costs one test */

static void test_tree_hot(void)
{
	unsigned seed = 777;
	size_t round;
	bool all_right = true, never_worse = true;

	/* ranges of 10 numbers; leaf 2 (numbers 20..29) holds the hot number 25 */
	{
		struct gen_ctx g = { 0 };
		struct diag err;
		enum { N = 5 };
		uint32_t start[N] = { 0, 10, 20, 30, 40 };
		double w[N] = { 1, 1, 101, 1, 1 };
		struct frag leaf[N], tree;
		struct tree_hot hot[1] = {
			{ .nr = 25, .leaf = 2, .weight = 100, .action = SECCOMP_RET_ERRNO | 3 }
		};
		struct seccomp_data d = { .nr = 25 };
		unsigned steps = 0;
		size_t i;

		g.err = &err;
		for (i = 0; i < N; i++)
			frag_ret(&g, &leaf[i], SECCOMP_RET_ERRNO | (uint32_t)(i + 1));
		tree_build_hot(&g, N, start, w, leaf, 1, hot, &tree);
		frag_prepend(&g, &tree, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0));
		uint32_t r = bpf_run(tree.insn, tree.len, &d, &steps);

		ok(r == (SECCOMP_RET_ERRNO | 3) && steps == 3,
		   "a hot number in the middle of its range is reached after one test (%u instructions)",
		   steps);
		frag_free(&tree);
	}
	/* random partitions and hot numbers: every number keeps its return, never costlier than without */
	for (round = 0; round < 60; round++) {
		struct gen_ctx g = { 0 };
		struct diag err;
		size_t n = 2 + round % 9, i, nhot = 0;
		uint32_t start[11];
		double w[11], hw[11 * 4] = { 0 };
		struct frag leaf[11], leaf2[11], tree, plain;
		struct tree_hot hot[11 * 4];
		double cost_hot = 0, cost_plain = 0, tot = 0;

		g.err = &err;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			start[i] = (uint32_t)(i * 4);
			w[i] = (double)((seed >> 16) % 10) + 1;
			for (uint32_t k = 0; k < 4; k++) {
				seed = seed * 1103515245 + 12345;
				if ((seed >> 16) % 3 == 0) {
					double x = (double)((seed >> 8) % 200);

					hot[nhot++] = (struct tree_hot){ .nr = start[i] + k,
									 .leaf = i,
									 .weight = x,
									 .action = SECCOMP_RET_ERRNO |
										   (uint32_t)(i + 1) };
					hw[start[i] + k] = x;
					w[i] += x;
				}
			}
			frag_ret(&g, &leaf[i], SECCOMP_RET_ERRNO | (uint32_t)(i + 1));
			frag_ret(&g, &leaf2[i], SECCOMP_RET_ERRNO | (uint32_t)(i + 1));
		}
		tree_build_hot(&g, n, start, w, leaf, nhot, hot, &tree);
		tree_build(&g, n, start, w, leaf2, &plain);
		frag_prepend(&g, &tree, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0));
		frag_prepend(&g, &plain, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0));
		for (uint32_t nr = 0; nr < 4 * n + 8; nr++) {
			struct seccomp_data d = { .nr = (int)nr };
			size_t want = nr / 4 < n ? nr / 4 : n - 1;
			unsigned sh = 0, sp = 0;
			/* weight of this number: its hot share, or an even part of the rest of its leaf */
			double x = nr < 4 * n ? hw[nr] : 0;

			if (bpf_run(tree.insn, tree.len, &d, &sh) !=
			    (SECCOMP_RET_ERRNO | (uint32_t)(want + 1))) {
				if (all_right)
					diag("round %zu: number %u does not reach leaf %zu", round, nr, want);
				all_right = false;
			}
			bpf_run(plain.insn, plain.len, &d, &sp);
			if (nr < 4 * n) {
				double rest = w[nr / 4];

				for (uint32_t k = 0; k < 4; k++)
					rest -= hw[nr / 4 * 4 + k];
				x += rest / 4;
				cost_hot += x * sh;
				cost_plain += x * sp;
				tot += x;
			}
		}
		if (cost_hot > cost_plain + 1e-9 * tot)
			never_worse = false;
		frag_free(&tree);
		frag_free(&plain);
	}
	ok(all_right, "with JEQ tests for hot numbers every number keeps its own return (60 random trees)");
	ok(never_worse, "and the expected number of tests is never above the plain tree's");
}

/* ---- reloads: a load of the word A already holds is dropped, the meaning kept */

/* a frag from an instruction array */
static void frag_of(struct gen_ctx *g, struct frag *f, const struct sock_filter *insn, size_t n)
{
	frag_ret(g, f, 0);
	f->len = 0;
	for (size_t i = n; i-- > 0;)
		frag_prepend(g, f, insn[i]);
}

static void test_drop_reloads(void)
{
	struct gen_ctx g = { 0 };
	struct diag err;
	/* ld a1; jset 1 -> allow; ld a1; jset 2 -> allow; ld a1; and 4; jeq 4 -> allow; ld a1 (after and:
	 * kept) */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 100, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 2),
	};
	size_t n = sizeof(prog) / sizeof(*prog);
	struct frag f = { 0 };
	char why[128];
	bool same = true;

	g.err = &err;
	frag_of(&g, &f, prog, n);
	int rc = frag_drop_reloads(&g, &f);

	ok(rc == 0 && f.len == n - 2, "two of four loads of the same word are dropped (%zu -> %zu)", n,
	   f.len);
	ok(bpf_check(f.insn, f.len, why, sizeof(why)) == 0,
	   "the shortened program passes the kernel's checks");
	for (uint32_t v = 0; v < 300; v++) {
		struct seccomp_data d = { .args = { (uint64_t)v << 32 | v, v } };

		same &= bpf_run(f.insn, f.len, &d, NULL) == bpf_run(prog, n, &d, NULL);
	}
	ok(same, "and means the same for 300 argument values");
	frag_free(&f);
}

/* ---- shared returns and dead loads: same meaning, same path lengths, fewer instructions */

static void test_share_rets(void)
{
	struct gen_ctx g = { 0 };
	struct diag err;
	enum { N = 600 };
	uint32_t start[N];
	double w[N];
	struct frag leaf[N], tree = { 0 }, orig = { 0 };
	char why[128];
	size_t i, rets = 0, k;
	bool same = true, steps_same = true;

	g.err = &err;
	for (i = 0; i < N; i++) {
		start[i] = (uint32_t)(3 * i);
		w[i] = 1;
		/* mostly two values, every 50th range a third, a few long leaves (far jumps) */
		frag_ret(&g, &leaf[i],
			 i % 50 == 7 ? SECCOMP_RET_ERRNO | 13
			 : i % 3     ? SECCOMP_RET_ALLOW
				     : SECCOMP_RET_ERRNO | 1);
		if (i % 97 == 5)
			for (k = 0; k < 120; k++)
				frag_prepend(&g, &leaf[i],
					     (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
									  0xdead0000u + k, 0, 0));
	}
	tree_build(&g, N, start, w, leaf, &tree);
	frag_prepend(&g, &tree, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0));
	frag_of(&g, &orig, tree.insn, tree.len);
	ok(frag_share_rets(&g, &tree) == 0 && !g.failed, "returns are shared without error");
	for (i = 0; i < tree.len; i++)
		rets += BPF_CLASS(tree.insn[i].code) == BPF_RET;
	ok(tree.len < orig.len - N / 2,
	   "the program shrinks by more than one return in two (%zu -> %zu, %zu "
	   "returns left)",
	   orig.len, tree.len, rets);
	ok(bpf_check(tree.insn, tree.len, why, sizeof(why)) == 0, "it passes the kernel's checks (%s)",
	   bpf_check(tree.insn, tree.len, why, sizeof(why)) ? why : "ok");
	ok(tree.insn[tree.len - 1].code == (BPF_RET | BPF_K), "it still ends with a return");
	for (uint32_t nr = 0; nr < 3 * N + 10; nr++) {
		struct seccomp_data d = { .nr = (int)nr };
		unsigned a = 0, b = 0;

		same &= bpf_run(tree.insn, tree.len, &d, &a) == bpf_run(orig.insn, orig.len, &d, &b);
		steps_same &= a == b;
	}
	ok(same, "every number gets the same action as before");
	ok(steps_same, "and runs exactly as many instructions as before");
	frag_free(&tree);
	frag_free(&orig);

	/* a return reached by falling through from a load stays; one only jumps reach goes */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), /* only the jump reaches it: goes */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), /* falls in from the load: stays */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	};
	struct frag f;
	size_t n = sizeof(prog) / sizeof(*prog);

	frag_of(&g, &f, prog, n);
	frag_share_rets(&g, &f);
	ok(f.len == n - 1 && f.insn[1].jt == 2 && f.insn[1].jf == 0 &&
		   f.insn[3].code == (BPF_LD | BPF_W | BPF_ABS) && f.insn[4].code == (BPF_RET | BPF_K) &&
		   f.insn[4].k == SECCOMP_RET_ALLOW,
	   "a return after a load stays, the one before it goes and its jump goes to the kept one");
	same = true;
	for (uint32_t nr = 0; nr < 4; nr++) {
		struct seccomp_data d = { .nr = (int)nr };

		same &= bpf_run(f.insn, f.len, &d, NULL) == bpf_run(prog, n, &d, NULL);
	}
	ok(same, "and the small program means the same");
	frag_free(&f);
}

static void test_dead_loads(void)
{
	struct gen_ctx g = { 0 };
	struct diag err;
	/* ld nr; jeq 1 -> (ld a0.hi; ld a0.lo; jeq 5); ld a0.lo; jeq 5: the load of a0.hi is dead */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 4, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	};
	size_t n = sizeof(prog) / sizeof(*prog);
	struct frag f;
	bool same = true;
	char why[128];

	g.err = &err;
	frag_of(&g, &f, prog, n);
	ok(frag_drop_dead_loads(&g, &f) == 0 && f.len == n - 1 && f.insn[3].k == 16,
	   "a load the next load overwrites goes (%zu -> %zu)", n, f.len);
	ok(bpf_check(f.insn, f.len, why, sizeof(why)) == 0, "the program passes the kernel's checks");
	for (uint32_t nr = 0; nr < 4; nr++)
		for (uint64_t a = 0; a < 8; a++) {
			struct seccomp_data d = { .nr = (int)nr, .args = { a | (a << 32) } };

			same &= bpf_run(f.insn, f.len, &d, NULL) == bpf_run(prog, n, &d, NULL);
		}
	ok(same, "and means the same for every number and argument tried");
	frag_free(&f);
}

/* ---- profile names on other arches: the call a libc makes instead */

static void test_profile_names(void)
{
	const struct arch_info *arm = arch_by_name("arm"), *x64 = arch_by_name("x86_64");

	ok(arm && x64 && sysprofile_nr(arm, "newfstatat") == syscall_nr(arm, "fstatat64") &&
		   sysprofile_nr(arm, "mmap") == syscall_nr(arm, "mmap2") &&
		   sysprofile_nr(x64, "newfstatat") == syscall_nr(x64, "newfstatat"),
	   "profile names the arch lacks count for their equivalent (arm: newfstatat -> fstatat64, mmap -> "
	   "mmap2)");
	ok(arm && sysprofile_nr(arm, "no_such_call") == -1, "a name unknown everywhere has no number");
}

/* ---- far jumps: a tree whose leaves are long forces trampolines */

static void test_trampolines(void)
{
	struct gen_ctx g = { 0 };
	struct diag err;
	enum { N = 6, PAD = 200 };
	uint32_t start[N];
	double w[N];
	struct frag leaf[N], tree;
	char why[128];
	size_t i, k;
	bool all = true;

	g.err = &err;
	for (i = 0; i < N; i++) {
		start[i] = (uint32_t)(100 * i);
		w[i] = 1;
		/* a long leaf: PAD harmless tests on A, then the return */
		frag_ret(&g, &leaf[i], SECCOMP_RET_ERRNO | (uint32_t)(i + 1));
		for (k = 0; k < PAD; k++)
			frag_prepend(&g, &leaf[i],
				     (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
								  0xdead0000u + (uint32_t)k, 0, 0));
	}
	tree_build(&g, N, start, w, leaf, &tree);
	frag_prepend(&g, &tree, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0));
	ok(g.trampolines > 0, "long branches get JA trampolines (%zu)", g.trampolines);
	ok(bpf_check(tree.insn, tree.len, why, sizeof(why)) == 0,
	   "the laid-out program passes the kernel's checks");
	for (i = 0; i < N; i++) {
		struct seccomp_data d = { .nr = (int)(start[i] + 7) };

		all &= bpf_run(tree.insn, tree.len, &d, NULL) == (SECCOMP_RET_ERRNO | (uint32_t)(i + 1));
	}
	ok(all, "with trampolines every range still reaches its own return");
	frag_free(&tree);
}

/* ---- whole policies */

static const char *srcdir(void)
{
	const char *s = getenv("SRCDIR");

	return s ? s : ".";
}

static int compile_file(const char *rel, const char *board, struct compile_opts *o, struct compile_result *r,
			struct filter_ir *ir)
{
	char path[512];
	char *text;
	size_t len;
	struct diag err;
	struct policy p = { 0 };

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	compile_opts_default(o);
	target_for_board(board, &o->target);
	if (file_read_all(path, 1 << 20, &text, &len, &err)) {
		diag("%s", err.msg);
		return -1;
	}
	if (compile_policy(path, text, len, o, r, &err) || policy_parse(path, text, len, NULL, &p, &err) ||
	    lower_policy(&p, &o->target, &o->lower, ir, &err)) {
		diag("%s", err.msg);
		free(text);
		policy_free(&p);
		return -1;
	}
	free(text);
	policy_free(&p);
	return 0;
}

static bool is_uncond_allow(const struct ir_arch *a, uint32_t nr)
{
	size_t i;

	for (i = 0; i < a->nsys; i++)
		if (a->sys[i].nr == nr)
			return a->sys[i].allow_all && !a->sys[i].deny_all && !a->sys[i].ndeny;
	return false;
}

static void test_default_policy(const char *board)
{
	struct compile_opts o;
	struct compile_result r = { 0 };
	struct filter_ir ir = { 0 };
	const struct sysprofile *prof = sysprofile_default();
	size_t k;

	if (compile_file("confine/snap-seccomp/policy/default.src", board, &o, &r, &ir)) {
		ok(false, "%s: the default policy compiles", board);
		return;
	}
	ok(r.deny.len == 1 && r.deny.insn[0].code == (BPF_RET | BPF_K) &&
		   r.deny.insn[0].k == SECCOMP_RET_ALLOW,
	   "%s: the deny slot holds a single RET ALLOW", board);
	for (k = 0; k < ir.narch; k++) {
		const struct ir_arch *a = &ir.arch[k];
		unsigned uncond = 0, cached = 0, bad = 0, amax = 0, na = 0, nd = 0;
		double wsum = 0, wtot = 0, dsum = 0;

		for (uint32_t nr = 0; nr <= a->max_known + 64; nr++) {
			struct seccomp_data d = { .nr = (int)nr, .arch = a->arch->audit };
			unsigned steps;
			uint32_t got = bpf_run(r.allow.insn, r.allow.len, &d, &steps);

			if (got != filter_ir_eval(&ir, &d))
				bad++;
			if (is_uncond_allow(a, nr)) {
				uncond++;
				cached += bpf_const_allow(r.allow.insn, r.allow.len, a->arch->audit, nr) &&
					  bpf_const_allow(r.deny.insn, r.deny.len, a->arch->audit, nr);
			}
			if (nr > a->max_known || !syscall_name(a->arch, nr))
				continue;
			if (got == SECCOMP_RET_ALLOW) {
				na++;
				if (steps > amax)
					amax = steps;
			} else {
				nd++;
				dsum += steps;
			}
			if (k == 0) {
				uint64_t c = sysprofile_count(prof, syscall_name(a->arch, nr));

				wsum += (double)c * steps;
				wtot += (double)c;
			}
		}
		ok(bad == 0, "%s/%s: the program means what the IR means for every number (args 0)", board,
		   a->arch->name);
		ok(uncond > 0 && cached == uncond,
		   "%s/%s: all %u unconditional allows are cacheable by the kernel", board, a->arch->name,
		   uncond);
		ok(amax <= 20, "%s/%s: allowed numbers run at most 20 instructions (max %u)", board,
		   a->arch->name, amax);
		ok(nd == 0 || dsum / nd <= 20, "%s/%s: denied numbers run at most 20 on average (%.2f)",
		   board, a->arch->name, nd ? dsum / nd : 0);
		if (k == 0)
			ok(wtot > 0 && wsum / wtot <= 10,
			   "%s/%s: weighted mean at most 10 instructions (%.2f)", board, a->arch->name,
			   wtot ? wsum / wtot : 0);
	}
	size_t rets = 0;
	for (k = 0; k < r.allow.len; k++)
		rets += BPF_CLASS(r.allow.insn[k].code) == BPF_RET;
	ok(rets * 16 < r.allow.len, "%s: returns are shared (%zu in %zu instructions)", board, rets,
	   r.allow.len);
	diag("%s: %zu instructions, ranges %zu+%zu, trampolines %zu", board, r.allow.len, r.stats.ranges[0],
	     r.stats.ranges[1], r.stats.trampolines);
	compile_result_free(&r);
	filter_ir_free(&ir);
}

/* a policy whose conditional code is long enough to need far jumps at the top */
static void test_big_policy(void)
{
	struct compile_opts o;
	struct compile_result r = { 0 };
	struct diag err;
	char *text = malloc(1 << 20);
	size_t len = 0, i;
	unsigned bad = 0;
	struct policy p = { 0 };
	struct filter_ir ir = { 0 };

	for (i = 0; i < 150; i++)
		len += (size_t)sprintf(text + len, "ioctl - %zu\nfcntl - %zu\nprctl %zu\n", i * 3, i * 7 + 1,
				       i);
	len += (size_t)sprintf(text + len, "read\nwrite\n~ioctl - 21522\n");
	compile_opts_default(&o);
	target_for_board("pc", &o.target);
	if (compile_policy("big.src", text, len, &o, &r, &err) ||
	    policy_parse("big.src", text, len, NULL, &p, &err) ||
	    lower_policy(&p, &o.target, &o.lower, &ir, &err)) {
		ok(false, "a 450-line conditional policy compiles: %s", err.msg);
		free(text);
		return;
	}
	ok(r.stats.trampolines > 0, "the big policy needs trampolines (%zu) and %zu instructions",
	   r.stats.trampolines, r.allow.len);
	for (i = 0; i < 3000; i++) {
		struct seccomp_data d = { .arch = ARCH_AUDIT_X86_64 };

		d.nr = (int)(i % 3 == 0 ? 16 : i % 3 == 1 ? 72 : 157); /* ioctl, fcntl, prctl */
		d.args[0] = i / 3;
		d.args[1] = i / 2;
		if (bpf_run(r.allow.insn, r.allow.len, &d, NULL) != filter_ir_eval(&ir, &d))
			bad++;
	}
	ok(bad == 0, "the big policy agrees with the IR on 3000 argument vectors (%u differ)", bad);
	compile_result_free(&r);
	filter_ir_free(&ir);
	policy_free(&p);
	free(text);
}

/* ---- the kernel's layout: the internal length, and padding that spares it a reallocation */

static size_t pages_of(size_t bytes)
{
	return (bytes + BPF_LAYOUT_PAGE - 1) / BPF_LAYOUT_PAGE;
}

static void test_kernel_len(void)
{
	static const struct {
		struct sock_filter insn;
		size_t len;
		const char *what;
	} one[] = {
		{ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), 1, "a load" },
		{ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), 2, "RET K (move, exit)" },
		{ BPF_STMT(BPF_RET | BPF_A, 0), 1, "RET A (exit)" },
		{ BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0), 1, "JA" },
		{ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 1, 0), 1, "JEQ falling through when false" },
		{ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1), 1,
		  "JEQ falling through when true (inverted)" },
		{ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1), 1,
		  "JGE falling through when true (inverted)" },
		{ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 5, 0, 1), 2,
		  "JSET falling through when true (not invertible)" },
		{ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 1, 2), 2, "JEQ with both targets far (jump, JA)" },
		{ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 1, 0), 2,
		  "JEQ of a negative immediate (move first)" },
		{ BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x80000000, 1, 2), 3,
		  "JGT, negative immediate, both far" },
		{ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 0), 1, "JEQ X" },
		{ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffff), 1, "AND K" },
		{ BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), 4, "DIV X (zero checked)" },
		{ BPF_STMT(BPF_MISC | BPF_TAX, 0), 1, "TAX" },
	};
	size_t i;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		ok(bpf_kernel_len(&one[i].insn, 1) == 3 + one[i].len, "the kernel converts %s into %zu",
		   one[i].what, one[i].len);
}

static void test_layout(const char *board, bool padded)
{
	struct compile_opts o;
	struct compile_result r = { 0 };
	struct filter_ir ir = { 0 };
	size_t pad, n, c, e, k, differ = 0;

	if (compile_file("confine/snap-seccomp/policy/default.src", board, &o, &r, &ir)) {
		ok(false, "%s: the default policy compiles", board);
		return;
	}
	pad = bpf_layout_padding(r.allow.insn, r.allow.len);
	n = r.allow.len - pad;
	ok(pad == r.stats.padding, "%s: the padding found at the end is what the generator added (%zu)",
	   board, r.stats.padding);
	/* without it: would the kernel reallocate for some header size? */
	c = pages_of(BPF_LAYOUT_HEADER_MIN + 8 * n);
	e = pages_of(BPF_LAYOUT_HEADER_MAX + 8 * bpf_kernel_len(r.allow.insn, n));
	ok(padded ? pad >= 2 && e > c : pad == 0 && e <= c, "%s: %s (%zu instructions, %zu internal)", board,
	   padded ? "padded: the kernel's conversion outgrows the copy's pages"
		  : "not padded: the copy's pages hold the conversion",
	   n, bpf_kernel_len(r.allow.insn, n));
	ok(pages_of(BPF_LAYOUT_HEADER_MIN + 8 * r.allow.len) >=
		   pages_of(BPF_LAYOUT_HEADER_MAX + 8 * bpf_kernel_len(r.allow.insn, r.allow.len)),
	   "%s: as loaded, the copy's pages hold the conversion for every header size (%zu instructions)",
	   board, r.allow.len);
	ok(bpf_layout_pad_len(r.allow.insn, r.allow.len) == 0, "%s: a padded program needs no more padding",
	   board);
	/* unreachable: the program without it gives the same action for every number of every arch */
	for (k = 0; k < ir.narch; k++)
		for (uint32_t nr = 0; nr <= ir.arch[k].max_known + 64; nr++) {
			struct seccomp_data d = { .nr = (int)nr, .arch = ir.arch[k].arch->audit };
			unsigned s1, s2;

			differ += bpf_run(r.allow.insn, r.allow.len, &d, &s1) !=
					  bpf_run(r.allow.insn, n, &d, &s2) ||
				  s1 != s2;
		}
	ok(differ == 0, "%s: no path reaches the padding (%zu numbers differ)", board, differ);
	compile_result_free(&r);
	filter_ir_free(&ir);
}

int main(void)
{
	test_tree_optimal();
	test_tree_hot();
	test_drop_reloads();
	test_share_rets();
	test_dead_loads();
	test_profile_names();
	test_trampolines();
	test_default_policy("pc");
	test_default_policy("dragonboard");
	test_default_policy("pi2");
	test_big_policy();
	test_kernel_len();
	test_layout("pc", true);
	test_layout("dragonboard", true);
	test_layout("pi2", false);
	return tap_done();
}
