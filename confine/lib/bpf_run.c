// SPDX-License-Identifier: GPL-3.0-only
/* A classic BPF interpreter with seccomp's data and semantics (bpf.h). */
#include <string.h>

#include "bpf.h"

static uint32_t load_word(const struct seccomp_data *d, uint32_t k)
{
	uint32_t w;

	/* bpf_check guarantees an aligned offset inside the structure */
	if (k > sizeof(*d) - 4)
		return 0;
	memcpy(&w, (const char *)d + k, sizeof(w));
	return w;
}

uint32_t bpf_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d, unsigned *executed)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned count = 0;
	size_t pc = 0;

	while (pc < n) {
		const struct sock_filter *s = &f[pc++];
		uint32_t src = BPF_SRC(s->code) == BPF_X ? x : s->k;
		bool taken;

		count++;
		switch (BPF_CLASS(s->code)) {
		case BPF_LD:
			switch (BPF_MODE(s->code)) {
			case BPF_ABS:
				a = load_word(d, s->k);
				break;
			case BPF_LEN:
				a = sizeof(*d);
				break;
			case BPF_IMM:
				a = s->k;
				break;
			case BPF_MEM:
				a = mem[s->k % BPF_MEMWORDS];
				break;
			default:
				goto bad;
			}
			break;
		case BPF_LDX:
			switch (BPF_MODE(s->code)) {
			case BPF_LEN:
				x = sizeof(*d);
				break;
			case BPF_IMM:
				x = s->k;
				break;
			case BPF_MEM:
				x = mem[s->k % BPF_MEMWORDS];
				break;
			default:
				goto bad;
			}
			break;
		case BPF_ST:
			mem[s->k % BPF_MEMWORDS] = a;
			break;
		case BPF_STX:
			mem[s->k % BPF_MEMWORDS] = x;
			break;
		case BPF_ALU:
			switch (BPF_OP(s->code)) {
			case BPF_ADD:
				a += src;
				break;
			case BPF_SUB:
				a -= src;
				break;
			case BPF_MUL:
				a *= src;
				break;
			case BPF_DIV:
				if (src == 0)
					goto bad; /* the kernel returns 0 (kill) */
				a /= src;
				break;
			case BPF_AND:
				a &= src;
				break;
			case BPF_OR:
				a |= src;
				break;
			case BPF_XOR:
				a ^= src;
				break;
			case BPF_LSH: /* classic BPF runs as 32-bit eBPF: the count is taken mod 32 */
				a <<= src & 31;
				break;
			case BPF_RSH:
				a >>= src & 31;
				break;
			case BPF_NEG:
				a = (uint32_t)-a;
				break;
			default:
				goto bad;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(s->code) == BPF_JA) {
				pc += s->k;
				break;
			}
			switch (BPF_OP(s->code)) {
			case BPF_JEQ:
				taken = a == src;
				break;
			case BPF_JGT:
				taken = a > src;
				break;
			case BPF_JGE:
				taken = a >= src;
				break;
			case BPF_JSET:
				taken = (a & src) != 0;
				break;
			default:
				goto bad;
			}
			pc += taken ? s->jt : s->jf;
			break;
		case BPF_RET:
			if (executed)
				*executed = count;
			return BPF_RVAL(s->code) == BPF_A ? a : s->k;
		case BPF_MISC:
			if (BPF_MISCOP(s->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			goto bad;
		}
	}
bad:
	if (executed)
		*executed = count;
	return SECCOMP_RET_KILL_THREAD;
}
