// SPDX-License-Identifier: GPL-3.0-only
/*
 * Argument checks of one syscall, compiled to a decision tree over 32-bit
 * words.
 *
 * Every clause (a conjunction of 64-bit conditions) is first rewritten as
 * a disjunction of "terms": conjunctions of literals on single 32-bit words
 * (the high and low halves of the arguments). For example, on a 64-bit
 * arch, arg > V becomes  hi > V.hi  or  (hi == V.hi and lo > V.lo).
 * A literal is an interval test (value in [a,b], or not in it) or a mask
 * test ((value & m) == v).
 *
 * The terms are then compiled by splitting on one word at a time: the
 * interval literals on that word cut its domain into elementary intervals,
 * in each of which every literal is simply true or false; each interval
 * gets the code of the remaining terms, equal neighbours are merged, and a
 * search tree picks the interval. Mask literals are decided one at a time
 * with JSET (single bit) or AND+JEQ. As soon as the outcome no longer
 * depends on the remaining terms, a RET ends the path.
 *
 * The outcome is the kernel's merge of the allow filter's and the deny
 * filter's results (filter_ir.h), so deny clauses live inside the
 * syscall's own branch.
 */
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

enum lit_kind {
	LIT_IN, /* a <= w <= b */
	LIT_NOTIN, /* w < a or w > b */
	LIT_MASK, /* (w & m) == v */
};

struct lit {
	uint8_t word; /* 2*arg + 0 for the high half, + 1 for the low half */
	uint8_t kind;
	uint32_t a, b; /* LIT_IN, LIT_NOTIN: interval; LIT_MASK: a = mask, b = value */
};

#define TERM_MAX_LITS (2 * POLICY_MAX_ARGS)

struct term {
	bool deny; /* from a deny clause */
	uint8_t nlit;
	struct lit lit[TERM_MAX_LITS];
};

struct termset {
	size_t n, cap;
	struct term *t;
};

static int ts_push(struct gen_ctx *g, struct termset *s, const struct term *t)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct term *n = realloc(s->t, cap * sizeof(*n));

		if (!n) {
			g->failed = true;
			return diag_set(g->err, "out of memory");
		}
		s->t = n;
		s->cap = cap;
	}
	s->t[s->n++] = *t;
	return 0;
}

static void ts_free(struct termset *s)
{
	free(s->t);
	memset(s, 0, sizeof(*s));
}

/*
 * The word-level alternatives of one 64-bit condition: up to two
 * conjunctions of at most two literals. A constant-true condition gives
 * one empty alternative, a constant-false one none.
 */
struct alt {
	uint8_t n;
	struct lit l[2];
};

static struct lit lit_make(unsigned word, enum lit_kind kind, uint32_t a, uint32_t b)
{
	struct lit l = { .word = (uint8_t)word, .kind = (uint8_t)kind, .a = a, .b = b };

	return l;
}

/* one literal on a 32-bit word for "w op v" (mask m for MASKED_EQ); false when constant */
static bool word_lit(unsigned word, enum cmp_op op, uint32_t v, uint32_t m, struct lit *l, bool *always)
{
	*always = false;
	switch (op) {
	case CMP_EQ:
		*l = lit_make(word, LIT_IN, v, v);
		return true;
	case CMP_NE:
		*l = lit_make(word, LIT_NOTIN, v, v);
		return true;
	case CMP_LT:
		if (v == 0)
			return false; /* never */
		*l = lit_make(word, LIT_IN, 0, v - 1);
		return true;
	case CMP_LE:
		if (v == UINT32_MAX) {
			*always = true;
			return false;
		}
		*l = lit_make(word, LIT_IN, 0, v);
		return true;
	case CMP_GT:
		if (v == UINT32_MAX)
			return false;
		*l = lit_make(word, LIT_IN, v + 1, UINT32_MAX);
		return true;
	case CMP_GE:
		if (v == 0) {
			*always = true;
			return false;
		}
		*l = lit_make(word, LIT_IN, v, UINT32_MAX);
		return true;
	case CMP_MASKED_EQ:
		if (v & ~m)
			return false; /* bits outside the mask can never match */
		if (m == 0) {
			*always = true;
			return false;
		}
		if (m == UINT32_MAX)
			*l = lit_make(word, LIT_IN, v, v);
		else
			*l = lit_make(word, LIT_MASK, m, v);
		return true;
	}
	return false;
}

/* alternatives from one word literal: none (never), one empty (always) or one literal */
static size_t alts_word(unsigned word, enum cmp_op op, uint32_t v, uint32_t m, struct alt *out)
{
	bool always;
	struct lit l;

	if (word_lit(word, op, v, m, &l, &always)) {
		out[0].n = 1;
		out[0].l[0] = l;
		return 1;
	}
	if (always) {
		out[0].n = 0;
		return 1;
	}
	return 0;
}

/* appends literal l (if any) to each alternative of a, skipping never-true ones */
static size_t cond_alts(const struct policy_cond *c, unsigned bits, struct alt *out)
{
	unsigned hiw = 2u * c->arg, low = hiw + 1;
	uint32_t vh = (uint32_t)(c->value >> 32), vl = (uint32_t)c->value;
	uint32_t mh = (uint32_t)(c->mask >> 32), ml = (uint32_t)c->mask;
	struct alt hi_alt[1], lo_alt[1];
	size_t nh, nl, n = 0;
	enum cmp_op strict_op;

	if (bits == 32)
		return alts_word(low, (enum cmp_op)c->op, vl, ml, out);

	switch (c->op) {
	case CMP_EQ:
	case CMP_MASKED_EQ:
		/* both halves must hold */
		nh = alts_word(hiw, (enum cmp_op)c->op, vh, mh, hi_alt);
		nl = alts_word(low, (enum cmp_op)c->op, vl, ml, lo_alt);
		if (!nh || !nl)
			return 0;
		out[0] = hi_alt[0];
		if (lo_alt[0].n)
			out[0].l[out[0].n++] = lo_alt[0].l[0];
		return 1;
	case CMP_NE:
		/* hi != vh, or hi == vh and lo != vl */
		out[n].n = 1;
		out[n++].l[0] = lit_make(hiw, LIT_NOTIN, vh, vh);
		out[n].n = 2;
		out[n].l[0] = lit_make(hiw, LIT_IN, vh, vh);
		out[n++].l[1] = lit_make(low, LIT_NOTIN, vl, vl);
		return n;
	default:
		break;
	}
	/* ordering: the high half decides unless it is equal, then the low half */
	strict_op = (c->op == CMP_LT || c->op == CMP_LE) ? CMP_LT : CMP_GT;
	nh = alts_word(hiw, strict_op, vh, 0, hi_alt);
	if (nh)
		out[n++] = hi_alt[0];
	nl = alts_word(low, (enum cmp_op)c->op, vl, 0, lo_alt);
	if (nl) {
		out[n].n = 1;
		out[n].l[0] = lit_make(hiw, LIT_IN, vh, vh);
		if (lo_alt[0].n)
			out[n].l[out[n].n++] = lo_alt[0].l[0];
		n++;
	}
	return n;
}

/* expands clause cond[k..] into terms, prefix holding the literals chosen so far */
static int clause_terms(struct gen_ctx *g, const struct ir_clause *c, unsigned bits, size_t k, struct term *prefix,
			struct termset *out)
{
	struct alt alts[2];
	size_t n, i, j;

	if (k == c->ncond)
		return ts_push(g, out, prefix);
	n = cond_alts(&c->cond[k], bits, alts);
	for (i = 0; i < n; i++) {
		struct term t = *prefix;

		for (j = 0; j < alts[i].n; j++)
			t.lit[t.nlit++] = alts[i].l[j];
		if (clause_terms(g, c, bits, k + 1, &t, out))
			return -1;
	}
	return 0;
}

struct args_ctx {
	struct gen_ctx *g;
	const struct filter_ir *ir;
};

/* the outcome when allow (resp. deny) terms are known to be all true/false */
static uint32_t outcome(const struct filter_ir *ir, bool allowed, bool denied)
{
	uint32_t ra = allowed ? SECCOMP_RET_ALLOW : ir->default_action;
	uint32_t rd = denied ? ir->deny_action : SECCOMP_RET_ALLOW;

	return seccomp_action_merge(ra, rd);
}

static bool lit_holds(const struct lit *l, uint32_t w)
{
	switch (l->kind) {
	case LIT_IN:
		return w >= l->a && w <= l->b;
	case LIT_NOTIN:
		return w < l->a || w > l->b;
	default:
		return (w & l->a) == l->b;
	}
}

static int args_rec(struct args_ctx *c, struct termset *s, bool allow_true, bool deny_true, struct frag *out);

/* the code for the terms of s once word w is known to lie in [lo, hi] (or satisfy mask test) */
static int args_restrict(struct args_ctx *c, const struct termset *s, unsigned w, const struct lit *mask_lit,
			 bool mask_val, uint32_t lo, bool allow_true, bool deny_true, struct frag *out)
{
	struct termset sub = { 0 };
	size_t i, k;
	int rc;

	for (i = 0; i < s->n; i++) {
		struct term t = s->t[i];
		bool keep = true;
		uint8_t n = 0;

		for (k = 0; k < t.nlit; k++) {
			const struct lit *l = &t.lit[k];

			if (l->word != w) {
				t.lit[n++] = *l;
				continue;
			}
			if (mask_lit) {
				/* only the literal being decided is settled; other masks stay */
				if (l->kind == LIT_MASK && l->a == mask_lit->a && l->b == mask_lit->b) {
					if (!mask_val)
						keep = false;
					continue;
				}
				t.lit[n++] = *l;
				continue;
			}
			/* interval literals are constant over the elementary interval */
			if (l->kind == LIT_MASK) {
				t.lit[n++] = *l;
				continue;
			}
			if (!lit_holds(l, lo))
				keep = false;
		}
		if (!keep)
			continue;
		t.nlit = n;
		if (ts_push(c->g, &sub, &t)) {
			ts_free(&sub);
			return -1;
		}
	}
	rc = args_rec(c, &sub, allow_true, deny_true, out);
	ts_free(&sub);
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int args_rec(struct args_ctx *c, struct termset *s, bool allow_true, bool deny_true, struct frag *out)
{
	struct gen_ctx *g = c->g;
	bool allow_maybe = false, deny_maybe = false;
	unsigned w = 255;
	const struct lit *mask = NULL;
	size_t i, k, live = 0;
	uint32_t r00, r01, r10, r11;

	memset(out, 0, sizeof(*out));
	if (++g->work > GEN_MAX_WORK) {
		g->failed = true;
		return diag_set(g->err, "argument conditions too complex (more than %lu steps)", GEN_MAX_WORK);
	}
	/* settle empty terms, drop terms that can no longer change anything */
	for (i = 0; i < s->n; i++) {
		if (s->t[i].nlit == 0) {
			if (s->t[i].deny)
				deny_true = true;
			else
				allow_true = true;
		}
	}
	for (i = 0; i < s->n; i++) {
		struct term *t = &s->t[i];

		if (t->nlit == 0 || (t->deny ? deny_true : allow_true))
			continue;
		s->t[live++] = *t;
		if (t->deny)
			deny_maybe = true;
		else
			allow_maybe = true;
	}
	s->n = live;

	/* is the outcome the same whatever the undecided terms do? */
	r00 = outcome(c->ir, allow_true, deny_true);
	r10 = allow_maybe ? outcome(c->ir, true, deny_true) : r00;
	r01 = deny_maybe ? outcome(c->ir, allow_true, true) : r00;
	r11 = allow_maybe && deny_maybe ? outcome(c->ir, true, true) : r00;
	if (r00 == r10 && r00 == r01 && r00 == r11)
		return frag_ret(g, out, r00);

	/* the lowest word still tested; mask tests on it first */
	for (i = 0; i < s->n; i++)
		for (k = 0; k < s->t[i].nlit; k++)
			if (s->t[i].lit[k].word < w)
				w = s->t[i].lit[k].word;
	for (i = 0; i < s->n && !mask; i++)
		for (k = 0; k < s->t[i].nlit && !mask; k++)
			if (s->t[i].lit[k].word == w && s->t[i].lit[k].kind == LIT_MASK)
				mask = &s->t[i].lit[k];

	if (mask) {
		struct lit m = *mask;
		struct frag yes, no;
		uint32_t off = seccomp_arg_offset(w / 2, !(w & 1));
		bool single_bit = (m.a & (m.a - 1)) == 0;
		int rc;

		if (args_restrict(c, s, w, &m, true, 0, allow_true, deny_true, &yes))
			return -1;
		if (args_restrict(c, s, w, &m, false, 0, allow_true, deny_true, &no)) {
			frag_free(&yes);
			return -1;
		}
		if (single_bit && m.b == m.a)
			rc = frag_branch(g, out, BPF_JSET, m.a, &yes, 1, &no, 1);
		else if (single_bit && m.b == 0)
			rc = frag_branch(g, out, BPF_JSET, m.a, &no, 1, &yes, 1);
		else {
			rc = frag_branch(g, out, BPF_JEQ, m.b, &yes, 1, &no, 1);
			/* A & mask, then compare */
			if (!rc && !frag_is_ret(out, NULL))
				rc = frag_prepend(g, out, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, m.a));
		}
		if (!rc && !frag_is_ret(out, NULL))
			rc = frag_prepend(g, out, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off));
		return rc;
	}

	/* interval split of word w */
	{
		uint32_t *cut, *start = NULL;
		double *weight = NULL;
		struct frag *leaf = NULL;
		size_t ncut = 0, nleaf = 0, cap = 1;
		int rc = -1;

		for (i = 0; i < s->n; i++)
			cap += 2 * s->t[i].nlit;
		cut = malloc(cap * sizeof(*cut));
		if (!cut)
			goto nomem;
		cut[ncut++] = 0;
		for (i = 0; i < s->n; i++) {
			for (k = 0; k < s->t[i].nlit; k++) {
				const struct lit *l = &s->t[i].lit[k];

				if (l->word != w || l->kind == LIT_MASK)
					continue;
				cut[ncut++] = l->a;
				if (l->b != UINT32_MAX)
					cut[ncut++] = l->b + 1;
			}
		}
		qsort(cut, ncut, sizeof(*cut), cmp_u32);
		for (i = k = 0; i < ncut; i++)
			if (i == 0 || cut[i] != cut[k - 1])
				cut[k++] = cut[i];
		ncut = k;
		start = malloc(ncut * sizeof(*start));
		weight = malloc(ncut * sizeof(*weight));
		leaf = calloc(ncut, sizeof(*leaf));
		if (!start || !weight || !leaf)
			goto nomem;
		for (i = 0; i < ncut; i++) {
			struct frag f;

			if (args_restrict(c, s, w, NULL, false, cut[i], allow_true, deny_true, &f))
				goto fail;
			if (nleaf && frag_equal(&leaf[nleaf - 1], &f)) {
				frag_free(&f); /* same code as the interval before: one interval */
				continue;
			}
			start[nleaf] = cut[i];
			weight[nleaf] = 1;
			leaf[nleaf++] = f;
		}
		rc = tree_build(g, nleaf, start, weight, leaf, out);
		nleaf = 0; /* consumed */
		if (!rc && !frag_is_ret(out, NULL))
			rc = frag_prepend(g, out,
					  (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
								       seccomp_arg_offset(w / 2, !(w & 1))));
		goto done;
nomem:
		g->failed = true;
		diag_set(g->err, "out of memory");
fail:
		rc = -1;
done:
		for (i = 0; i < nleaf; i++)
			frag_free(&leaf[i]);
		free(cut);
		free(start);
		free(weight);
		free(leaf);
		return rc;
	}
}

int args_compile(struct gen_ctx *g, const struct filter_ir *ir, const struct ir_syscall *s, unsigned bits,
		 struct frag *out)
{
	struct args_ctx c = { .g = g, .ir = ir };
	struct termset ts = { 0 };
	size_t i;
	int rc = -1;

	for (i = 0; i < s->nallow && !s->allow_all; i++) {
		struct term t = { .deny = false };

		if (clause_terms(g, &s->allow[i], bits, 0, &t, &ts))
			goto out;
	}
	for (i = 0; i < s->ndeny && !s->deny_all; i++) {
		struct term t = { .deny = true };

		if (clause_terms(g, &s->deny[i], bits, 0, &t, &ts))
			goto out;
	}
	rc = args_rec(&c, &ts, s->allow_all, s->deny_all, out);
out:
	ts_free(&ts);
	return rc;
}
