// SPDX-License-Identifier: GPL-3.0-only
/*
 * Weighted search trees over the intervals of a 32-bit word.
 *
 * The leaves are ordered (they are intervals of the number line), so the
 * best tree is an optimal alphabetic tree: minimise sum(weight * depth)
 * with every internal node a "value >= start of the right part" test.
 * Knuth's dynamic programme with his root-monotonicity speed-up finds it in
 * O(n^2); n is a few hundred at most (ranges of syscall numbers).
 */
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

struct tree_dp {
	size_t n;
	double *cost; /* n*n: best sum(weight*depth) of leaves i..j */
	unsigned *root; /* n*n: split after leaf root (left = i..root) */
	double *prefix; /* n+1 prefix sums of weights */
};

#define AT(dp, a, i, j) ((dp)->a[(size_t)(i) * (dp)->n + (j)])

static double range_weight(const struct tree_dp *dp, size_t i, size_t j)
{
	return dp->prefix[j + 1] - dp->prefix[i];
}

static void tree_solve(struct tree_dp *dp)
{
	size_t n = dp->n, len, i;

	for (i = 0; i < n; i++) {
		AT(dp, cost, i, i) = 0;
		AT(dp, root, i, i) = (unsigned)i;
	}
	for (len = 2; len <= n; len++) {
		for (i = 0; i + len - 1 < n; i++) {
			size_t j = i + len - 1, r, lo, hi;
			double best = -1;
			unsigned best_r = (unsigned)i;

			/* root[i][j-1] <= root[i][j] <= root[i+1][j] */
			lo = AT(dp, root, i, j - 1);
			hi = AT(dp, root, i + 1, j);
			if (hi > j - 1)
				hi = j - 1;
			if (lo < i)
				lo = i;
			for (r = lo; r <= hi; r++) {
				double c = AT(dp, cost, i, r) + AT(dp, cost, r + 1, j);

				if (best < 0 || c < best) {
					best = c;
					best_r = (unsigned)r;
				}
			}
			AT(dp, cost, i, j) = best + range_weight(dp, i, j);
			AT(dp, root, i, j) = best_r;
		}
	}
}

static int tree_emit(struct gen_ctx *g, const struct tree_dp *dp, const uint32_t *start, struct frag *leaf,
		     size_t i, size_t j, struct frag *out)
{
	struct frag left = { 0 }, right = { 0 };
	size_t r;

	if (i == j) {
		*out = leaf[i];
		memset(&leaf[i], 0, sizeof(leaf[i]));
		return 0;
	}
	r = AT(dp, root, i, j);
	if (tree_emit(g, dp, start, leaf, i, r, &left) || tree_emit(g, dp, start, leaf, r + 1, j, &right)) {
		frag_free(&left);
		frag_free(&right);
		return -1;
	}
	/* value >= start[r+1]: right part */
	return frag_branch(g, out, BPF_JGE, start[r + 1], &right, range_weight(dp, r + 1, j), &left,
			   range_weight(dp, i, r));
}

int tree_build(struct gen_ctx *g, size_t n, const uint32_t *start, const double *weight, struct frag *leaf,
	       struct frag *out)
{
	struct tree_dp dp = { .n = n };
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (n == 1) {
		*out = leaf[0];
		memset(&leaf[0], 0, sizeof(leaf[0]));
		return 0;
	}
	dp.cost = malloc(n * n * sizeof(*dp.cost));
	dp.root = malloc(n * n * sizeof(*dp.root));
	dp.prefix = malloc((n + 1) * sizeof(*dp.prefix));
	if (!dp.cost || !dp.root || !dp.prefix) {
		diag_set(g->err, "out of memory");
		g->failed = true;
		goto out;
	}
	dp.prefix[0] = 0;
	for (i = 0; i < n; i++)
		dp.prefix[i + 1] = dp.prefix[i] + weight[i];
	tree_solve(&dp);
	rc = tree_emit(g, &dp, start, leaf, 0, n - 1, out);
out:
	for (i = 0; i < n; i++)
		frag_free(&leaf[i]);
	free(dp.cost);
	free(dp.root);
	free(dp.prefix);
	return rc;
}
