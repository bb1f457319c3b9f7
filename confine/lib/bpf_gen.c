// SPDX-License-Identifier: GPL-3.0-only
/*
 * Our code generator: filter_ir -> one merged BPF program.
 *
 *   ld arch; jeq NATIVE -> native block; jeq COMPAT -> compat block;
 *   ret BADARCH
 *   block: ld nr; search tree over number ranges -> RET, or argument checks
 *
 * The number line of each arch is cut into ranges with one outcome each
 * (allowed, denied, ENOSYS above the known numbers, x32 on x86_64, or the
 * argument code of one syscall); equal neighbours merge. The tree over the
 * ranges minimises the expected number of tests for the frequency profile.
 * An unconditionally allowed call is reached by loads of arch and nr and
 * JEQ/JGE/JA tests only, which the kernel's action cache (Linux >= 5.11)
 * can evaluate without running the filter.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "gen_internal.h"
#include "syscall_table.h"

struct nr_range {
	uint32_t start;
	double weight;
	struct frag code;
};

struct range_list {
	size_t n, cap;
	struct nr_range *r;
};

static int ranges_add(struct gen_ctx *g, struct range_list *l, uint32_t start, double weight,
		      struct frag *code)
{
	/* same code as the range before it: extend that one */
	if (l->n && frag_equal(&l->r[l->n - 1].code, code)) {
		l->r[l->n - 1].weight += weight;
		frag_free(code);
		return 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct nr_range *n = realloc(l->r, cap * sizeof(*n));

		if (!n) {
			frag_free(code);
			g->failed = true;
			return diag_set(g->err, "out of memory");
		}
		l->r = n;
		l->cap = cap;
	}
	l->r[l->n].start = start;
	l->r[l->n].weight = weight;
	l->r[l->n].code = *code;
	memset(code, 0, sizeof(*code));
	l->n++;
	return 0;
}

static int ranges_add_ret(struct gen_ctx *g, struct range_list *l, uint32_t start, double weight,
			  uint32_t action)
{
	struct frag f;

	if (frag_ret(g, &f, action))
		return -1;
	return ranges_add(g, l, start, weight, &f);
}

static void ranges_free(struct range_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		frag_free(&l->r[i].code);
	free(l->r);
	memset(l, 0, sizeof(*l));
}

/* the action of a number that has no rule, outside the syscall entries */
static uint32_t action_without_rule(const struct filter_ir *ir, const struct ir_arch *a, uint64_t nr)
{
	const struct arch_info *ai = a->arch;

	if (nr == UINT32_MAX)
		return ir->default_action;
	if (ai->x32_bit && nr >= ARCH_X32_SYSCALL_BIT)
		return ir->badarch_action;
	if (ai->private_hi && nr >= ai->private_lo && nr <= ai->private_hi)
		return ir->default_action;
	if (a->enosys_enabled && nr > a->enosys_above)
		return ir->enosys_action;
	return ir->default_action;
}

/*
 * The points where action_without_rule may change, in order: the walk
 * below visits [0, 2^32) as runs between consecutive points.
 */
static size_t region_points(const struct ir_arch *a, uint64_t *pt)
{
	const struct arch_info *ai = a->arch;
	size_t n = 0;

	pt[n++] = 0;
	if (a->enosys_enabled && (uint64_t)a->enosys_above + 1 < UINT32_MAX)
		pt[n++] = (uint64_t)a->enosys_above + 1;
	if (ai->private_hi) {
		pt[n++] = ai->private_lo;
		pt[n++] = (uint64_t)ai->private_hi + 1;
	}
	if (ai->x32_bit)
		pt[n++] = ARCH_X32_SYSCALL_BIT;
	pt[n++] = UINT32_MAX;
	/* sort (tiny) and dedupe */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && pt[j - 1] > pt[j]; j--) {
			uint64_t x = pt[j];

			pt[j] = pt[j - 1];
			pt[j - 1] = x;
		}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || pt[k - 1] != pt[i])
			pt[k++] = pt[i];
	return k;
}

#define TREE_EVEN_SHARE 0.2
/*
 * Instructions a call may run in the worst case, and what the arch dispatch
 * before the number tree costs: leaves whose own code is long get a weight
 * floor that keeps them near the root (a leaf of weight w in an optimal
 * tree of weight W sits at depth about log2(W/w)).
 */
/* numbers with at least this share of the profile may get their own JEQ test */
#define HOT_SHARE     0.01
#define PATH_BUDGET   20
#define DISPATCH_COST 5

/* instructions on the longest path through a fragment (jumps go forward) */
static size_t frag_longest_path(const struct frag *f)
{
	size_t best = 0, *to_end = calloc(f->len + 1, sizeof(*to_end));

	if (!to_end)
		return f->len;
	for (size_t i = f->len; i-- > 0;) {
		const struct sock_filter *s = &f->insn[i];
		size_t a = 0, b = 0;

		if (BPF_CLASS(s->code) == BPF_RET) {
			to_end[i] = 1;
			continue;
		}
		if (BPF_CLASS(s->code) == BPF_JMP && BPF_OP(s->code) == BPF_JA) {
			a = i + 1 + s->k < f->len ? to_end[i + 1 + s->k] : 0;
		} else if (BPF_CLASS(s->code) == BPF_JMP) {
			a = i + 1 + s->jt < f->len ? to_end[i + 1 + s->jt] : 0;
			b = i + 1 + s->jf < f->len ? to_end[i + 1 + s->jf] : 0;
		} else {
			a = i + 1 < f->len ? to_end[i + 1] : 0;
		}
		to_end[i] = 1 + (a > b ? a : b);
	}
	best = f->len ? to_end[0] : 0;
	free(to_end);
	return best;
}

/*
 * The profiled numbers of the arch whose range returns at once (no argument
 * checks): the tree may test them with JEQ before narrowing their range.
 */
static int hot_numbers(struct gen_ctx *g, const struct ir_arch *a, const struct sysprofile *prof,
		       const double *nrw, size_t n, const uint32_t *starts, const struct frag *leaves,
		       struct tree_hot **hot, size_t *nhot)
{
	size_t leaf = 0;

	*hot = NULL;
	*nhot = 0;
	if (!prof)
		return 0;
	for (uint32_t nr = 0; nr <= a->max_known; nr++) {
		double w = nrw[nr];
		uint32_t action;

		while (leaf + 1 < n && starts[leaf + 1] <= nr)
			leaf++;
		if (w < HOT_SHARE * (double)prof->total || !frag_is_ret(&leaves[leaf], &action))
			continue;
		if (!*hot && !(*hot = calloc((size_t)a->max_known + 1, sizeof(**hot)))) {
			g->failed = true;
			return diag_set(g->err, "out of memory");
		}
		(*hot)[(*nhot)++] =
			(struct tree_hot){ .nr = nr, .leaf = leaf, .weight = w, .action = action };
	}
	return 0;
}

/* the number tree of one arch, starting with the load of nr */
static int gen_arch(struct gen_ctx *g, const struct filter_ir *ir, const struct ir_arch *a,
		    const struct sysprofile *prof, bool native, struct frag *out, size_t *nranges)
{
	struct range_list l = { 0 };
	uint64_t pt[8], pos = 0;
	size_t npt = region_points(a, pt), s = 0, p;
	/* every range gets a small weight, so unprofiled ranges still form a balanced tree */
	const double base = prof && prof->total ? (double)prof->total * 1e-6 : 1;
	double *weights = NULL;
	uint32_t *starts = NULL;
	struct frag *leaves = NULL;
	struct tree_hot *hot = NULL;
	double *nrw = NULL;
	size_t nhot = 0;
	int rc = -1;

	/* the profile's weight of each known number (0 above), names resolved for the arch */
	nrw = calloc((size_t)a->max_known + 2, sizeof(*nrw));
	if (!nrw) {
		g->failed = true;
		diag_set(g->err, "out of memory");
		goto out;
	}
	for (size_t i = 0; prof && i < prof->n; i++) {
		/* the compat arch keeps the profile's own names: its calls are rarer, its tree flatter */
		int64_t nr = native ? sysprofile_nr(a->arch, prof->e[i].name)
				    : syscall_nr(a->arch, prof->e[i].name);

		if (nr >= 0 && nr <= a->max_known)
			nrw[nr] += (double)prof->e[i].count;
	}
	/* walk [0, 2^32): regions without rules between syscall entries */
	while (pos <= UINT32_MAX) {
		uint64_t next = (uint64_t)UINT32_MAX + 1;

		if (s < a->nsys && a->sys[s].nr == pos) {
			struct frag f;

			if (args_compile(g, ir, &a->sys[s], a->arch->bits, &f) || frag_drop_reloads(g, &f))
				goto out;
			if (ranges_add(g, &l, (uint32_t)pos, base + (pos <= a->max_known ? nrw[pos] : 0), &f))
				goto out;
			s++;
			pos++;
			continue;
		}
		if (s < a->nsys)
			next = a->sys[s].nr;
		for (p = 0; p < npt; p++)
			if (pt[p] > pos && pt[p] < next)
				next = pt[p];
		/* profile weight of the unruled numbers in [pos, next) (only small numbers have names) */
		double w = base;
		for (uint64_t nr = pos; nr < next && nr <= a->max_known; nr++)
			w += nrw[nr];
		if (ranges_add_ret(g, &l, (uint32_t)pos, w, action_without_rule(ir, a, pos)))
			goto out;
		pos = next;
	}

	starts = malloc(l.n * sizeof(*starts));
	weights = malloc(l.n * sizeof(*weights));
	leaves = malloc(l.n * sizeof(*leaves));
	if (!starts || !weights || !leaves) {
		g->failed = true;
		diag_set(g->err, "out of memory");
		goto out;
	}
	/*
	 * Spread a share of the total weight evenly over the ranges: rare calls
	 * then stay a few levels deeper than common ones instead of sinking to
	 * the bottom of a skewed tree (this bounds the worst case).
	 */
	double sum = 0, even;
	for (p = 0; p < l.n; p++)
		sum += l.r[p].weight;
	even = sum * TREE_EVEN_SHARE / (double)l.n;
	for (p = 0; p < l.n; p++) {
		size_t path = frag_longest_path(&l.r[p].code);
		int depth = PATH_BUDGET - DISPATCH_COST - (int)path;
		double floor_w = sum * ldexp(1.0, -(depth < 1 ? 1 : depth));

		starts[p] = l.r[p].start;
		weights[p] = l.r[p].weight + even;
		if (path > 1 && weights[p] < floor_w)
			weights[p] = floor_w;
		leaves[p] = l.r[p].code;
		memset(&l.r[p].code, 0, sizeof(l.r[p].code));
	}
	*nranges = l.n;
	/* the compat arch's dispatch is longer and its calls rarer: no JEQ tests there */
	if (native && hot_numbers(g, a, prof, nrw, l.n, starts, leaves, &hot, &nhot))
		goto out;
	rc = tree_build_hot(g, l.n, starts, weights, leaves, nhot, hot, out);
	if (!rc && !frag_is_ret(out, NULL))
		rc = frag_prepend(g, out,
				  (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_NR_OFFSET));
out:
	ranges_free(&l);
	free(starts);
	free(weights);
	free(leaves);
	free(hot);
	free(nrw);
	return rc;
}

int bpf_gen(const struct filter_ir *ir, const struct sysprofile *profile, struct bpf_prog *out,
	    struct gen_stats *stats, struct diag *err)
{
	struct gen_ctx g = { .err = err };
	struct frag block[TARGET_MAX_ARCH] = { 0 }, prog = { 0 };
	size_t i, nranges[TARGET_MAX_ARCH] = { 0 }, padding = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (ir->narch < 1 || ir->narch > TARGET_MAX_ARCH)
		return diag_set(err, "internal error: %zu architectures in the filter", ir->narch);
	for (i = 0; i < ir->narch; i++)
		if (gen_arch(&g, ir, &ir->arch[i], profile, i == 0, &block[i], &nranges[i]))
			goto out;

	/*
	 * Dispatch on arch: native first (its path runs no extra instruction),
	 * the compat arch behind a JA, anything else is a bad arch.
	 */
	if (ir->narch == 2) {
		struct frag tail = { 0 }, bad;

		/* jeq COMPAT -> compat block, else ret BADARCH */
		if (frag_ret(&g, &bad, ir->badarch_action) ||
		    frag_branch(&g, &tail, BPF_JEQ, ir->arch[1].arch->audit, &block[1], 1, &bad, 0))
			goto out;
		if (frag_branch(&g, &prog, BPF_JEQ, ir->arch[0].arch->audit, &block[0], 1000, &tail, 1))
			goto out;
	} else {
		struct frag bad;

		if (frag_ret(&g, &bad, ir->badarch_action) ||
		    frag_branch(&g, &prog, BPF_JEQ, ir->arch[0].arch->audit, &block[0], 1, &bad, 0))
			goto out;
	}
	if (frag_prepend(&g, &prog,
			 (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_ARCH_OFFSET)))
		goto out;
	/* fewer instructions for the kernel to convert and compile at every launch */
	if (frag_drop_dead_loads(&g, &prog) || frag_share_rets(&g, &prog))
		goto out;
	if (frag_pad_for_kernel(&g, &prog, &padding))
		goto out;
	if (prog.len > BPF_MAX_INSNS) {
		diag_set(err, "filter too large: %zu instructions (the kernel accepts at most %d)", prog.len,
			 BPF_MAX_INSNS);
		goto out;
	}
	out->insn = prog.insn;
	out->len = out->cap = prog.len;
	memset(&prog, 0, sizeof(prog));
	if (stats) {
		memset(stats, 0, sizeof(*stats));
		stats->insns = out->len;
		stats->padding = padding;
		for (i = 0; i < ir->narch; i++)
			stats->ranges[i] = nranges[i];
		stats->trampolines = g.trampolines;
	}
	rc = 0;
out:
	for (i = 0; i < TARGET_MAX_ARCH; i++)
		frag_free(&block[i]);
	frag_free(&prog);
	return rc;
}
