// SPDX-License-Identifier: GPL-3.0-only
/* The kernel's constant-action emulation for the seccomp cache (bpf_cache.h). */
#include <linux/seccomp.h>

#include "bpf_cache.h"

bool bpf_const_allow(const struct sock_filter *f, size_t n, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;
	size_t pc;

	for (pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		bool taken;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == 0)
				a = nr;
			else if (i->k == 4)
				a = arch;
			else
				return false; /* an argument or the instruction pointer */
			break;
		case BPF_RET | BPF_K:
			return i->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			switch (BPF_OP(i->code)) {
			case BPF_JEQ:
				taken = a == i->k;
				break;
			case BPF_JGE:
				taken = a >= i->k;
				break;
			case BPF_JGT:
				taken = a > i->k;
				break;
			default:
				taken = (a & i->k) != 0;
				break;
			}
			pc += taken ? i->jt : i->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		default:
			return false;
		}
	}
	return false; /* ran off the end: the kernel refuses to cache */
}
