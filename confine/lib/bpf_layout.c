// SPDX-License-Identifier: GPL-3.0-only
/* The kernel's layout of a seccomp filter, and padding for it (bpf_layout.h). */
#include <stdbool.h>
#include <stdint.h>

#include "bpf.h"
#include "bpf_layout.h"

/*
 * the most padding appended: a page of instructions (a bound, not measured:
 * the 86 of the pc's template cost the kernel less than the copy they spare)
 */
#define PAD_MAX 512

static size_t pages(size_t bytes)
{
	return (bytes + BPF_LAYOUT_PAGE - 1) / BPF_LAYOUT_PAGE;
}

static bool is_ret(const struct sock_filter *s)
{
	return BPF_CLASS(s->code) == BPF_RET;
}

static bool is_ja0(const struct sock_filter *s)
{
	return s->code == (BPF_JMP | BPF_JA) && s->k == 0;
}

size_t bpf_kernel_len(const struct sock_filter *f, size_t n)
{
	size_t len = 3; /* A and X cleared, the context saved */

	for (size_t i = 0; i < n; i++) {
		const struct sock_filter *s = &f[i];
		uint16_t op = BPF_OP(s->code);

		switch (BPF_CLASS(s->code)) {
		case BPF_JMP:
			if (op == BPF_JA) {
				len++;
				break;
			}
			/* a negative immediate is moved into a register first */
			if (BPF_SRC(s->code) == BPF_K && (int32_t)s->k < 0)
				len++;
			/* one jump when a target is the next instruction (JSET cannot be inverted) */
			if (!s->jf || (!s->jt && (op == BPF_JEQ || op == BPF_JGT || op == BPF_JGE)))
				len++;
			else
				len += 2;
			break;
		case BPF_RET:
			len += BPF_RVAL(s->code) == BPF_K ? 2 : 1; /* the value moved, then exit */
			break;
		case BPF_ALU:
			/* a division by a register checks it for zero first */
			len += (op == BPF_DIV || op == BPF_MOD) && BPF_SRC(s->code) == BPF_X ? 4 : 1;
			break;
		default:
			len++;
		}
	}
	return len;
}

size_t bpf_layout_pad_len(const struct sock_filter *f, size_t n)
{
	size_t e, ret_len, k;

	if (!n || !is_ret(&f[n - 1]))
		return 0;
	e = bpf_kernel_len(f, n);
	if (pages(BPF_LAYOUT_HEADER_MAX + 8 * e) <= pages(BPF_LAYOUT_HEADER_MIN + 8 * n))
		return 0;
	ret_len = BPF_RVAL(f[n - 1].code) == BPF_K ? 2 : 1;
	for (k = pages(BPF_LAYOUT_HEADER_MIN + 8 * n) + 1; k <= BPF_MAX_INSNS * 8 / BPF_LAYOUT_PAGE; k++) {
		/* the fewest instructions whose copy takes k pages with the smallest header */
		size_t c = (BPF_LAYOUT_PAGE * (k - 1) - BPF_LAYOUT_HEADER_MIN) / 8 + 1, p;

		if (c < n + 2)
			c = n + 2;
		p = c - n;
		if (c > BPF_MAX_INSNS || p > PAD_MAX)
			return 0;
		/* p - 1 JA 0s (one internal instruction each) and the return */
		if (BPF_LAYOUT_HEADER_MAX + 8 * (e + p - 1 + ret_len) <= BPF_LAYOUT_PAGE * k)
			return p;
	}
	return 0;
}

size_t bpf_layout_padding(const struct sock_filter *f, size_t n)
{
	size_t j;

	if (n < 3 || !is_ret(&f[n - 1]))
		return 0;
	for (j = n - 1; j > 0 && is_ja0(&f[j - 1]); j--)
		;
	/* at least one JA 0, after a return (so that none of it can be reached) */
	if (j == n - 1 || j == 0 || !is_ret(&f[j - 1]))
		return 0;
	return n - j; /* the JA 0s and the final return */
}
