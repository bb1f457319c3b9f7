// SPDX-License-Identifier: GPL-3.0-only
/* A growable BPF program buffer (bpf.h). */
#include <stdlib.h>
#include <string.h>

#include "bpf.h"

int bpf_prog_push(struct bpf_prog *p, struct sock_filter f)
{
	if (p->len == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct sock_filter *n = realloc(p->insn, cap * sizeof(*n));

		if (!n)
			return -1;
		p->insn = n;
		p->cap = cap;
	}
	p->insn[p->len++] = f;
	return 0;
}

int bpf_prog_set(struct bpf_prog *p, const struct sock_filter *f, size_t n)
{
	struct sock_filter *insn = malloc((n ? n : 1) * sizeof(*f));

	if (!insn)
		return -1;
	memcpy(insn, f, n * sizeof(*f));
	free(p->insn);
	p->insn = insn;
	p->len = p->cap = n;
	return 0;
}

void bpf_prog_free(struct bpf_prog *p)
{
	free(p->insn);
	p->insn = NULL;
	p->len = p->cap = 0;
}
