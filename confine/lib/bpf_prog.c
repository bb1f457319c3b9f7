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

void bpf_prog_free(struct bpf_prog *p)
{
	free(p->insn);
	p->insn = NULL;
	p->len = p->cap = 0;
}
