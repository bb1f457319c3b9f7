// SPDX-License-Identifier: GPL-3.0-only
/* Code fragments of the generator: self-contained runs of BPF (gen_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "bpf_layout.h"
#include "gen_internal.h"

static int frag_fail(struct gen_ctx *g, const char *what)
{
	if (!g->failed)
		diag_set(g->err, "%s", what);
	g->failed = true;
	return -1;
}

static int frag_reserve(struct gen_ctx *g, struct frag *f, size_t extra)
{
	size_t want = f->len + extra, cap = f->cap ? f->cap : 8;
	struct sock_filter *n;

	if (want > FRAG_MAX_LEN)
		return frag_fail(g, "filter too large: more than 8192 instructions before layout "
				    "(a classic BPF program holds at most 4096)");
	if (want <= f->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	n = realloc(f->insn, cap * sizeof(*n));
	if (!n)
		return frag_fail(g, "out of memory");
	f->insn = n;
	f->cap = cap;
	return 0;
}

void frag_free(struct frag *f)
{
	free(f->insn);
	memset(f, 0, sizeof(*f));
}

int frag_ret(struct gen_ctx *g, struct frag *f, uint32_t action)
{
	struct sock_filter r = BPF_STMT(BPF_RET | BPF_K, action);

	memset(f, 0, sizeof(*f));
	if (frag_reserve(g, f, 1))
		return -1;
	f->insn[f->len++] = r;
	return 0;
}

int frag_prepend(struct gen_ctx *g, struct frag *f, struct sock_filter insn)
{
	if (frag_reserve(g, f, 1))
		return -1;
	memmove(f->insn + 1, f->insn, f->len * sizeof(*f->insn));
	f->insn[0] = insn;
	f->len++;
	return 0;
}

bool frag_equal(const struct frag *a, const struct frag *b)
{
	return a->len == b->len && !memcmp(a->insn, b->insn, a->len * sizeof(*a->insn));
}

bool frag_is_ret(const struct frag *f, uint32_t *action)
{
	if (f->len != 1 || f->insn[0].code != (BPF_RET | BPF_K))
		return false;
	if (action)
		*action = f->insn[0].k;
	return true;
}

/* append src to dst */
static int frag_append(struct gen_ctx *g, struct frag *dst, const struct frag *src)
{
	if (frag_reserve(g, dst, src->len))
		return -1;
	memcpy(dst->insn + dst->len, src->insn, src->len * sizeof(*src->insn));
	dst->len += src->len;
	return 0;
}

int frag_branch(struct gen_ctx *g, struct frag *out, uint16_t op, uint32_t k, struct frag *t, double wt,
		struct frag *f, double wf)
{
	struct frag res = { 0 };
	struct frag *near, *far;
	bool near_is_true, tramp;
	int rc = -1;

	/*
	 * Both sides identical: the test is useless. This happens when an
	 * interval split separates values that end up with the same code.
	 */
	if (frag_equal(t, f)) {
		*out = *t;
		memset(t, 0, sizeof(*t));
		frag_free(f);
		return 0;
	}
	/* the shorter side goes next to the test, so the far jump is short */
	near_is_true = t->len <= f->len;
	near = near_is_true ? t : f;
	far = near_is_true ? f : t;
	tramp = near->len > 255;
	if (tramp && ((near_is_true && wt < wf) || (!near_is_true && wf < wt))) {
		/* both sides are long: the trampoline goes to the lighter side */
		struct frag *x = near;

		near = far;
		far = x;
		near_is_true = !near_is_true;
	}
	if (frag_reserve(g, &res, 2 + near->len + far->len))
		goto out;
	if (!tramp) {
		uint8_t nj = 0, fj = (uint8_t)near->len;
		struct sock_filter j =
			BPF_JUMP(BPF_JMP | op | BPF_K, k, near_is_true ? nj : fj, near_is_true ? fj : nj);

		res.insn[res.len++] = j;
	} else {
		/* test: near side skips the JA, far side takes it */
		struct sock_filter j =
			BPF_JUMP(BPF_JMP | op | BPF_K, k, near_is_true ? 1 : 0, near_is_true ? 0 : 1);
		struct sock_filter ja = BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)near->len);

		res.insn[res.len++] = j;
		res.insn[res.len++] = ja;
		g->trampolines++;
	}
	if (frag_append(g, &res, near) || frag_append(g, &res, far))
		goto out;
	*out = res;
	memset(&res, 0, sizeof(res));
	rc = 0;
out:
	frag_free(&res);
	frag_free(t);
	frag_free(f);
	return rc;
}

uint32_t seccomp_arg_offset(unsigned arg, bool hi)
{
	/* struct seccomp_data: nr, arch, instruction_pointer, args[6] (u64 each) */
	return 16 + 8 * arg + (hi ? 4 : 0);
}

/*
 * Removes the instructions i with to[i] != i; what jumped to i goes to
 * to[i], a kept instruction after i. Jumps only shorten.
 */
static int frag_compact(struct gen_ctx *g, struct frag *f, const size_t *to)
{
	size_t *at = malloc((f->len + 1) * sizeof(*at)), i, k;

	if (!at)
		return frag_fail(g, "out of memory");
	for (i = 0, k = 0; i < f->len; i++) {
		at[i] = k;
		if (to[i] == i)
			k++;
	}
	at[f->len] = k;
	for (i = 0; i < f->len; i++) {
		struct sock_filter s = f->insn[i];

		if (to[i] != i)
			continue;
		if (BPF_CLASS(s.code) == BPF_JMP && BPF_OP(s.code) == BPF_JA) {
			s.k = (uint32_t)(at[to[i + 1 + s.k]] - at[i] - 1);
		} else if (BPF_CLASS(s.code) == BPF_JMP) {
			s.jt = (uint8_t)(at[to[i + 1 + s.jt]] - at[i] - 1);
			s.jf = (uint8_t)(at[to[i + 1 + s.jf]] - at[i] - 1);
		}
		f->insn[at[i]] = s;
	}
	f->len = k;
	free(at);
	return 0;
}

/* what the accumulator holds before an instruction, in frag_drop_reloads */
#define A_UNREACHED UINT64_MAX
#define A_UNKNOWN   (UINT64_MAX - 1)

static void a_merge(uint64_t *at, uint64_t v)
{
	if (*at == A_UNREACHED)
		*at = v;
	else if (*at != v)
		*at = A_UNKNOWN;
}

int frag_drop_reloads(struct gen_ctx *g, struct frag *f)
{
	uint64_t *a = malloc((f->len + 1) * sizeof(*a));
	size_t *to = malloc((f->len + 1) * sizeof(*to));
	size_t i, dropped = 0;
	int rc = 0;

	if (!a || !to) {
		free(a);
		free(to);
		return frag_fail(g, "out of memory");
	}
	for (i = 0; i <= f->len; i++)
		a[i] = A_UNREACHED;
	a[0] = A_UNKNOWN;
	/* forward pass (jumps only go forward): the word A holds, when every path agrees */
	for (i = 0; i < f->len; i++) {
		const struct sock_filter *s = &f->insn[i];
		uint64_t out = A_UNKNOWN;

		if (a[i] == A_UNREACHED)
			continue;
		switch (BPF_CLASS(s->code)) {
		case BPF_RET:
			continue;
		case BPF_JMP:
			if (BPF_OP(s->code) == BPF_JA) {
				a_merge(&a[i + 1 + s->k], a[i]);
			} else {
				a_merge(&a[i + 1 + s->jt], a[i]);
				a_merge(&a[i + 1 + s->jf], a[i]);
			}
			continue;
		case BPF_LD:
			if (s->code == (BPF_LD | BPF_W | BPF_ABS))
				out = s->k;
			break;
		default:
			break;
		}
		a_merge(&a[i + 1], out);
	}
	/* backwards: a load of the word A already holds goes, what jumped to it goes to the next kept */
	for (i = f->len; i-- > 0;) {
		to[i] = i;
		if (f->insn[i].code == (BPF_LD | BPF_W | BPF_ABS) && a[i] == f->insn[i].k) {
			to[i] = to[i + 1];
			dropped++;
		}
	}
	if (dropped)
		rc = frag_compact(g, f, to);
	free(a);
	free(to);
	return rc;
}

int frag_drop_dead_loads(struct gen_ctx *g, struct frag *f)
{
	size_t *to = malloc((f->len + 1) * sizeof(*to)), i, dead = 0;
	const uint16_t ld = BPF_LD | BPF_W | BPF_ABS;
	int rc = 0;

	if (!to)
		return frag_fail(g, "out of memory");
	/* backwards, so that a run of loads goes to its last one */
	for (i = f->len; i-- > 0;) {
		to[i] = i;
		if (f->insn[i].code == ld && i + 1 < f->len && f->insn[i + 1].code == ld) {
			to[i] = to[i + 1];
			dead++;
		}
	}
	if (dead)
		rc = frag_compact(g, f, to);
	free(to);
	return rc;
}

/* frag_share_rets: a position no jump reaches */
#define NO_REF SIZE_MAX

int frag_share_rets(struct gen_ctx *g, struct frag *f)
{
	size_t *ref = malloc((f->len + 1) * sizeof(*ref)), *to = malloc((f->len + 1) * sizeof(*to));
	/* the nearest kept RET after the position, per returned value (a program has few) */
	struct {
		uint32_t k;
		size_t pos;
	} kept[64];
	size_t nkept = 0, i, shared = 0;

	if (!ref || !to) {
		free(ref);
		free(to);
		return frag_fail(g, "out of memory");
	}
	/* the first conditional jump that reaches each position (jumps only go forward) */
	for (i = 0; i <= f->len; i++)
		ref[i] = NO_REF;
	for (i = 0; i < f->len; i++) {
		const struct sock_filter *s = &f->insn[i];

		if (BPF_CLASS(s->code) != BPF_JMP || BPF_OP(s->code) == BPF_JA)
			continue;
		if (ref[i + 1 + s->jt] == NO_REF)
			ref[i + 1 + s->jt] = i;
		if (ref[i + 1 + s->jf] == NO_REF)
			ref[i + 1 + s->jf] = i;
	}
	/*
	 * Backwards: a RET K that only jumps reach goes when a kept RET K after
	 * it is near enough for every conditional jump to it (they reach 255
	 * ahead; removals only shorten the distance). The last one always stays.
	 */
	for (i = f->len; i-- > 0;) {
		const struct sock_filter *s = &f->insn[i];
		bool falls_in = i > 0 && BPF_CLASS(f->insn[i - 1].code) != BPF_JMP &&
				BPF_CLASS(f->insn[i - 1].code) != BPF_RET;
		size_t j;

		to[i] = i;
		if (s->code != (BPF_RET | BPF_K))
			continue;
		for (j = 0; j < nkept && kept[j].k != s->k; j++)
			;
		if (j < nkept && !falls_in && (ref[i] == NO_REF || kept[j].pos - ref[i] - 1 <= 255)) {
			to[i] = kept[j].pos;
			shared++;
		} else if (j < nkept) {
			kept[j].pos = i;
		} else if (nkept < sizeof(kept) / sizeof(kept[0])) {
			kept[nkept].k = s->k;
			kept[nkept++].pos = i;
		}
	}
	if (shared && frag_compact(g, f, to)) {
		free(ref);
		free(to);
		return -1;
	}
	free(ref);
	free(to);
	return 0;
}

int frag_pad_for_kernel(struct gen_ctx *g, struct frag *f, size_t *added)
{
	size_t p = bpf_layout_pad_len(f->insn, f->len), i;

	*added = 0;
	if (!p)
		return 0;
	if (frag_reserve(g, f, p))
		return -1;
	for (i = 0; i + 1 < p; i++)
		f->insn[f->len + i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
	f->insn[f->len + p - 1] = f->insn[f->len - 1];
	f->len += p;
	*added = p;
	return 0;
}
