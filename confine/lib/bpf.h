/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Classic BPF programs for seccomp: a growable buffer, the kernel's
 * validity rules, an interpreter, and a disassembler.
 */
#ifndef CONFINE_BPF_H
#define CONFINE_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BPF_MAX_INSNS 4096 /* BPF_MAXINSNS: the kernel's limit per program */

struct bpf_prog {
	size_t len, cap;
	struct sock_filter *insn;
};

int bpf_prog_push(struct bpf_prog *p, struct sock_filter f); /* -1 on ENOMEM */
void bpf_prog_free(struct bpf_prog *p);

/*
 * The checks the kernel makes before accepting a seccomp filter
 * (bpf_check_classic + seccomp_check_filter): 1..4096 instructions, only
 * the opcodes seccomp allows, loads of aligned 32-bit words inside
 * struct seccomp_data, jumps inside the program, a final return, no
 * division by a constant zero, scratch memory written before it is read.
 * Returns 0, or -1 and a reason naming the instruction.
 */
int bpf_check(const struct sock_filter *f, size_t n, char *why, size_t whylen);

/*
 * Runs a program that passed bpf_check on d; returns the action and, when
 * executed is not NULL, the number of instructions executed.
 */
uint32_t bpf_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d, unsigned *executed);

/* one line per instruction: "  12: jeq #0x3c, 13, 20" style, with action names on returns */
void bpf_disasm(FILE *out, const struct sock_filter *f, size_t n);
/* "ALLOW", "ERRNO(1)", "KILL_PROCESS", "LOG", "TRAP(5)"...: into buf */
const char *seccomp_action_name(uint32_t action, char *buf, size_t len);
/* inverse of seccomp_action_name (also accepts "errno(13)", "EPERM", "EACCES"); -1 when unknown */
int seccomp_action_parse(const char *s, uint32_t *action);

#endif
