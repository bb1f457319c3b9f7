// SPDX-License-Identifier: GPL-3.0-only
/*
 * The kernel's acceptance rules for a seccomp filter (bpf.h): the classic
 * BPF checker's structural rules plus seccomp's opcode allow-list.
 */
#include <stdio.h>
#include <string.h>

#include "bpf.h"

/* the opcodes seccomp_check_filter() lets through */
static bool seccomp_opcode_ok(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

/*
 * scratch memory must be written on every path before it is read: masks[i],
 * the words written on every path into instruction i (n <= BPF_MAX_INSNS,
 * the jumps checked to land inside: masks is sized to the program, not to
 * the largest one, so a launch's small program takes little of the stack,
 * a page fault a page)
 */
static int mem_check(const struct sock_filter *f, size_t n, char *why, size_t whylen);

int bpf_check(const struct sock_filter *f, size_t n, char *why, size_t whylen)
{
	size_t i;

	if (n == 0 || n > BPF_MAX_INSNS) {
		snprintf(why, whylen, "%zu instructions (1..%d allowed)", n, BPF_MAX_INSNS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct sock_filter *s = &f[i];

		if (!seccomp_opcode_ok(s->code)) {
			snprintf(why, whylen, "instruction %zu: opcode 0x%04x is not allowed in seccomp", i, s->code);
			return -1;
		}
		switch (s->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (s->k >= sizeof(struct seccomp_data) || (s->k & 3)) {
				snprintf(why, whylen, "instruction %zu: load at offset %u outside seccomp_data or unaligned",
					 i, s->k);
				return -1;
			}
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (s->k == 0) {
				snprintf(why, whylen, "instruction %zu: division by zero", i);
				return -1;
			}
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (s->k >= 32) {
				snprintf(why, whylen, "instruction %zu: shift by %u", i, s->k);
				return -1;
			}
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (s->k >= BPF_MEMWORDS) {
				snprintf(why, whylen, "instruction %zu: scratch word %u does not exist", i, s->k);
				return -1;
			}
			break;
		case BPF_JMP | BPF_JA:
			if (s->k >= n - 1 - i) {
				snprintf(why, whylen, "instruction %zu: jump beyond the end", i);
				return -1;
			}
			break;
		default:
			if (BPF_CLASS(s->code) == BPF_JMP &&
			    (i + s->jt + 1 >= n || i + s->jf + 1 >= n)) {
				snprintf(why, whylen, "instruction %zu: jump beyond the end", i);
				return -1;
			}
			break;
		}
	}
	if (BPF_CLASS(f[n - 1].code) != BPF_RET) {
		snprintf(why, whylen, "the last instruction (%zu) is not a return", n - 1);
		return -1;
	}
	return mem_check(f, n, why, whylen);
}

static int mem_check(const struct sock_filter *f, size_t n, char *why, size_t whylen)
{
	uint16_t masks[n];
	uint16_t memvalid = 0;

	memset(masks, 0xff, n * sizeof(masks[0]));
	for (size_t i = 0; i < n; i++) {
		const struct sock_filter *s = &f[i];

		memvalid &= masks[i];
		switch (s->code) {
		case BPF_ST:
		case BPF_STX:
			memvalid |= (uint16_t)(1u << s->k);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(memvalid & (1u << s->k))) {
				snprintf(why, whylen, "instruction %zu: scratch word %u read before it is written", i,
					 s->k);
				return -1;
			}
			break;
		case BPF_JMP | BPF_JA:
			masks[i + 1 + s->k] &= memvalid;
			memvalid = 0xffff;
			break;
		default:
			if (BPF_CLASS(s->code) == BPF_JMP) {
				masks[i + 1 + s->jt] &= memvalid;
				masks[i + 1 + s->jf] &= memvalid;
				memvalid = 0xffff;
			}
			break;
		}
	}
	return 0;
}
