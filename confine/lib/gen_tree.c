// SPDX-License-Identifier: GPL-3.0-only
/*
 * Weighted search trees over the intervals of a 32-bit word.
 *
 * The leaves are ordered (they are intervals of the number line), so the
 * best tree of "value >= start of the right part" tests is an optimal
 * alphabetic tree: minimise sum(weight * depth). Knuth's dynamic programme
 * with his root-monotonicity speed-up finds it in O(n^2); n is a few
 * hundred at most (ranges of syscall numbers).
 *
 * With hot numbers (tree_build_hot), a node may also be "value == k": it
 * peels one frequent number whose leaf is a lone return off its interval,
 * so a call that dominates the profile no longer pays for the two bounds of
 * its range. Within an interval the hot numbers are peeled in the order of
 * their weight, at most TREE_MAX_PEEL of them on any path, so the state of
 * the programme is (interval, how many of its heaviest numbers are already
 * peeled): the restriction of the p heaviest of an interval to a part of it
 * is again the heaviest of that part. Each state tries every split, O(n^3).
 */
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

#define TREE_MAX_PEEL 3
#define NPEEL	      (TREE_MAX_PEEL + 1)
#define PEEL_NODE     ((unsigned)-1)

struct tree_dp {
	size_t n;
	double *cost;		    /* n*n*NPEEL: best sum(weight*depth) of leaves i..j with p peeled */
	unsigned *root;		    /* n*n*NPEEL: split after leaf root (left = i..root), or PEEL_NODE */
	unsigned *split;	    /* n*n*NPEEL: the best split, also where a peel won */
	double *prefix;		    /* n+1 prefix sums of weights */
	const struct tree_hot *hot; /* sorted by number (so by leaf) */
	size_t nhot;
	size_t *hot_from;    /* n+1: first hot number at a leaf >= i */
	unsigned *top;	     /* n*n*TREE_MAX_PEEL: the heaviest hot numbers of i..j, heaviest first */
	unsigned char *ntop; /* n*n: how many (<= TREE_MAX_PEEL) */
};

#define AT(dp, a, i, j)	    ((dp)->a[(size_t)(i) * (dp)->n + (j)])
#define ATP(dp, a, i, j, p) ((dp)->a[((size_t)(i) * (dp)->n + (j)) * NPEEL + (p)])
#define TOP(dp, i, j, p)    ((dp)->top[((size_t)(i) * (dp)->n + (j)) * TREE_MAX_PEEL + (p)])

static double range_weight(const struct tree_dp *dp, size_t i, size_t j)
{
	return dp->prefix[j + 1] - dp->prefix[i];
}

/* a before b in peeling order: heavier, then lower number */
static bool hot_before(const struct tree_hot *a, const struct tree_hot *b)
{
	return a->weight > b->weight || (a->weight == b->weight && a->nr < b->nr);
}

/* the heaviest hot numbers of each interval (insertion into a list of TREE_MAX_PEEL) */
static void tree_top(struct tree_dp *dp)
{
	for (size_t i = 0; i < dp->n; i++) {
		unsigned best[TREE_MAX_PEEL];
		size_t nb = 0;

		for (size_t j = i; j < dp->n; j++) {
			for (size_t h = dp->hot_from[j]; h < dp->hot_from[j + 1]; h++) {
				size_t at = nb;

				while (at > 0 && hot_before(&dp->hot[h], &dp->hot[best[at - 1]]))
					at--;
				if (at >= TREE_MAX_PEEL)
					continue;
				if (nb < TREE_MAX_PEEL)
					nb++;
				memmove(&best[at + 1], &best[at], (nb - 1 - at) * sizeof(*best));
				best[at] = (unsigned)h;
			}
			memcpy(&TOP(dp, i, j, 0), best, nb * sizeof(*best));
			AT(dp, ntop, i, j) = (unsigned char)nb;
		}
	}
}

/* weight of the first p hot numbers of i..j, and how many of them lie at leaves <= r */
static double peeled_weight(const struct tree_dp *dp, size_t i, size_t j, size_t p)
{
	double w = 0;

	for (size_t k = 0; k < p; k++)
		w += dp->hot[TOP(dp, i, j, k)].weight;
	return w;
}

static size_t peeled_left(const struct tree_dp *dp, size_t i, size_t j, size_t p, size_t r)
{
	size_t c = 0;

	for (size_t k = 0; k < p; k++)
		c += dp->hot[TOP(dp, i, j, k)].leaf <= r;
	return c;
}

/* the plain alphabetic tree (no hot numbers): Knuth's O(n^2) */
static void tree_solve_plain(struct tree_dp *dp)
{
	size_t n = dp->n, len, i;

	for (len = 2; len <= n; len++) {
		for (i = 0; i + len - 1 < n; i++) {
			size_t j = i + len - 1, r, lo, hi;
			double best = -1;
			unsigned best_r = (unsigned)i;

			/* root[i][j-1] <= root[i][j] <= root[i+1][j] */
			lo = ATP(dp, root, i, j - 1, 0);
			hi = ATP(dp, root, i + 1, j, 0);
			if (hi > j - 1)
				hi = j - 1;
			if (lo < i)
				lo = i;
			for (r = lo; r <= hi; r++) {
				double c = ATP(dp, cost, i, r, 0) + ATP(dp, cost, r + 1, j, 0);

				if (best < 0 || c < best) {
					best = c;
					best_r = (unsigned)r;
				}
			}
			ATP(dp, cost, i, j, 0) = best + range_weight(dp, i, j);
			ATP(dp, root, i, j, 0) = best_r;
		}
	}
}

/* with hot numbers: every split of every state, peels tried first at each (i, j) */
static void tree_solve_hot(struct tree_dp *dp)
{
	size_t n = dp->n, len, i;

	for (len = 2; len <= n; len++) {
		for (i = 0; i + len - 1 < n; i++) {
			size_t j = i + len - 1, ntop = AT(dp, ntop, i, j);

			for (size_t p = ntop + 1; p-- > 0;) {
				double w = range_weight(dp, i, j) - peeled_weight(dp, i, j, p), best = -1;
				unsigned best_r = (unsigned)i;
				size_t lo = j - 1, hi = i;

				/* Knuth's window between the same state of the two shorter intervals
				 * (exact without peels, a heuristic with them) */
				size_t pa = peeled_left(dp, i, j, p, j - 1);
				size_t pb = p - peeled_left(dp, i, j, p, i);

				lo = ATP(dp, split, i, j - 1, pa);
				hi = ATP(dp, split, i + 1, j, pb);
				if (hi > j - 1)
					hi = j - 1;
				if (lo < i)
					lo = i;
				if (lo > hi)
					lo = i, hi = j - 1;
				/* pl: how many of the p peeled lie at leaves <= r (sorted by leaf) */
				size_t pleaf[TREE_MAX_PEEL], np = 0, pl = 0;

				for (size_t k = 0; k < p; k++) {
					size_t at = np++, leaf = dp->hot[TOP(dp, i, j, k)].leaf;

					for (; at > 0 && pleaf[at - 1] > leaf; at--)
						pleaf[at] = pleaf[at - 1];
					pleaf[at] = leaf;
				}
				while (pl < np && pleaf[pl] < lo)
					pl++;
				for (size_t r = lo; r <= hi; r++) {
					while (pl < np && pleaf[pl] <= r)
						pl++;
					double c = ATP(dp, cost, i, r, pl) + ATP(dp, cost, r + 1, j, p - pl);

					if (best < 0 || c < best) {
						best = c;
						best_r = (unsigned)r;
					}
				}
				ATP(dp, split, i, j, p) = best_r;
				if (p < ntop && ATP(dp, cost, i, j, p + 1) < best) {
					best = ATP(dp, cost, i, j, p + 1);
					best_r = PEEL_NODE;
				}
				ATP(dp, cost, i, j, p) = best + w;
				ATP(dp, root, i, j, p) = best_r;
			}
		}
	}
}

static int tree_emit(struct gen_ctx *g, const struct tree_dp *dp, const uint32_t *start, struct frag *leaf,
		     size_t i, size_t j, size_t p, struct frag *out)
{
	struct frag left = { 0 }, right = { 0 };
	size_t r, pl;

	if (i == j) {
		*out = leaf[i];
		memset(&leaf[i], 0, sizeof(leaf[i]));
		return 0;
	}
	r = ATP(dp, root, i, j, p);
	if (r == PEEL_NODE) {
		const struct tree_hot *h = &dp->hot[TOP(dp, i, j, p)];
		double rest = range_weight(dp, i, j) - peeled_weight(dp, i, j, p + 1);

		/* value == nr: its return; else the interval without it */
		if (frag_ret(g, &left, h->action) || tree_emit(g, dp, start, leaf, i, j, p + 1, &right)) {
			frag_free(&left);
			frag_free(&right);
			return -1;
		}
		return frag_branch(g, out, BPF_JEQ, h->nr, &left, h->weight, &right, rest);
	}
	pl = peeled_left(dp, i, j, p, r);
	if (tree_emit(g, dp, start, leaf, i, r, pl, &left) ||
	    tree_emit(g, dp, start, leaf, r + 1, j, p - pl, &right)) {
		frag_free(&left);
		frag_free(&right);
		return -1;
	}
	/* value >= start[r+1]: right part */
	return frag_branch(g, out, BPF_JGE, start[r + 1], &right,
			   range_weight(dp, r + 1, j) - peeled_weight(dp, r + 1, j, p - pl), &left,
			   range_weight(dp, i, r) - peeled_weight(dp, i, r, pl));
}

static void tree_solve(struct tree_dp *dp, const double *weight)
{
	for (size_t i = 0; i < dp->n; i++)
		dp->prefix[i + 1] = dp->prefix[i] + weight[i];
	if (dp->nhot)
		tree_solve_hot(dp);
	else
		tree_solve_plain(dp);
}

int tree_build_hot(struct gen_ctx *g, size_t n, const uint32_t *start, const double *weight,
		   struct frag *leaf, size_t nhot, const struct tree_hot *hot, struct frag *out)
{
	struct tree_dp dp = { .n = n, .hot = hot, .nhot = nhot };
	size_t i, h;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (n == 1) {
		*out = leaf[0];
		memset(&leaf[0], 0, sizeof(leaf[0]));
		return 0;
	}
	dp.cost = malloc(n * n * NPEEL * sizeof(*dp.cost));
	dp.root = malloc(n * n * NPEEL * sizeof(*dp.root));
	dp.split = malloc(n * n * NPEEL * sizeof(*dp.split));
	dp.prefix = malloc((n + 1) * sizeof(*dp.prefix));
	dp.hot_from = malloc((n + 1) * sizeof(*dp.hot_from));
	dp.top = malloc(n * n * TREE_MAX_PEEL * sizeof(*dp.top));
	dp.ntop = calloc(n * n, sizeof(*dp.ntop));
	if (!dp.cost || !dp.root || !dp.split || !dp.prefix || !dp.hot_from || !dp.top || !dp.ntop) {
		diag_set(g->err, "out of memory");
		g->failed = true;
		goto out;
	}
	for (h = 0; h < nhot; h++)
		if (hot[h].leaf >= n ||
		    (h && (hot[h].leaf < hot[h - 1].leaf || hot[h].nr <= hot[h - 1].nr))) {
			diag_set(g->err, "internal error: hot numbers out of order");
			g->failed = true;
			goto out;
		}
	dp.prefix[0] = 0;
	for (i = 0, h = 0; i < n; i++) {
		dp.hot_from[i] = h;
		while (h < nhot && hot[h].leaf == i)
			h++;
		ATP(&dp, cost, i, i, 0) = 0;
		ATP(&dp, root, i, i, 0) = (unsigned)i;
		ATP(&dp, split, i, i, 0) = (unsigned)i;
	}
	dp.hot_from[n] = h;
	tree_top(&dp);
	for (i = 0; i < n; i++)
		for (size_t p = 1; p <= AT(&dp, ntop, i, i); p++) {
			ATP(&dp, cost, i, i, p) = 0; /* a leaf: nothing left to test */
			ATP(&dp, root, i, i, p) = (unsigned)i;
			ATP(&dp, split, i, i, p) = (unsigned)i;
		}
	tree_solve(&dp, weight);
	rc = tree_emit(g, &dp, start, leaf, 0, n - 1, 0, out);
out:
	for (i = 0; i < n; i++)
		frag_free(&leaf[i]);
	free(dp.cost);
	free(dp.root);
	free(dp.split);
	free(dp.prefix);
	free(dp.hot_from);
	free(dp.top);
	free(dp.ntop);
	return rc;
}

int tree_build(struct gen_ctx *g, size_t n, const uint32_t *start, const double *weight, struct frag *leaf,
	       struct frag *out)
{
	return tree_build_hot(g, n, start, weight, leaf, 0, NULL, out);
}
