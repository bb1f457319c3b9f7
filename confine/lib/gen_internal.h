/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Internals of our code generator (bpf_gen.c, gen_frag.c, gen_tree.c,
 * gen_args.c); not for other users.
 *
 * Code is built bottom-up as fragments: self-contained runs of
 * instructions whose every path ends in a RET, with jumps relative inside
 * the fragment. A branch is made by placing two fragments after a test;
 * the nearer one is reached with offset 0, the farther one with the size
 * of the nearer (classic BPF's jt/jf reach 255 at most, beyond that a JA
 * trampoline is added on the lighter side).
 */
#ifndef CONFINE_GEN_INTERNAL_H
#define CONFINE_GEN_INTERNAL_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "filter_ir.h"

struct frag {
	struct sock_filter *insn;
	size_t len, cap;
};

struct gen_ctx {
	struct diag *err;
	size_t trampolines;
	unsigned long work; /* argument-compiler steps, bounded */
	bool failed;	    /* ENOMEM or a limit was hit: err says which */
};

/* the generator refuses to build fragments beyond this (a program is at most 4096) */
#define FRAG_MAX_LEN 8192
#define GEN_MAX_WORK 2000000ul

int frag_ret(struct gen_ctx *g, struct frag *f, uint32_t action);
/* prepend one instruction (e.g. a load) to f */
int frag_prepend(struct gen_ctx *g, struct frag *f, struct sock_filter insn);
/*
 * out = test; if the test holds continue with *t, else with *f. The test
 * is a BPF_JMP|op|BPF_K instruction with constant k. Consumes t and f
 * (their buffers move into out or are freed). wt and wf are the expected
 * weights of each side: the lighter one pays for a trampoline if needed.
 */
int frag_branch(struct gen_ctx *g, struct frag *out, uint16_t op, uint32_t k, struct frag *t, double wt,
		struct frag *f, double wf);
bool frag_equal(const struct frag *a, const struct frag *b);
/*
 * Drops every load of a word that the accumulator already holds on every
 * path to it (argument checks reload their word after each test), and
 * relinks the jumps (which only shrink).
 */
int frag_drop_reloads(struct gen_ctx *g, struct frag *f);
/*
 * Drops a load that the next instruction, another load, overwrites before
 * anything reads it; jumps to it go to that load.
 */
int frag_drop_dead_loads(struct gen_ctx *g, struct frag *f);
/*
 * Shares returns: a RET K that only jumps reach goes when a copy of it
 * further on is within every such jump's reach, and its jumps go there.
 * The tree's leaves are mostly returns of a few values, so this removes
 * about half of a program's instructions; each path runs the same number
 * of instructions as before. Keeps the final return.
 */
int frag_share_rets(struct gen_ctx *g, struct frag *f);
/*
 * Appends the padding bpf_layout_pad_len asks for (JA 0s after the final
 * return, then a copy of it: no path reaches them), so that the kernel
 * converts the program in the pages it copies it into; *added says how many.
 */
int frag_pad_for_kernel(struct gen_ctx *g, struct frag *f, size_t *added);
/* true when f is a single RET; *action gets its value */
bool frag_is_ret(const struct frag *f, uint32_t *action);
void frag_free(struct frag *f);

/*
 * A partition of the 32-bit word domain into sorted intervals
 * [start[i], start[i+1]-1]; start[0] == 0. Leaf i's code is leaf[i]
 * (consumed). Builds the search tree that minimises sum(weight * depth)
 * (optimal alphabetic tree), using JGE tests, and writes it to out.
 */
int tree_build(struct gen_ctx *g, size_t n, const uint32_t *start, const double *weight, struct frag *leaf,
	       struct frag *out);

/*
 * A frequent number whose leaf is a lone return (action): the tree may test
 * "value == nr" for it before narrowing its interval. weight is its own
 * share of its leaf's weight.
 */
struct tree_hot {
	uint32_t nr;
	size_t leaf;
	double weight;
	uint32_t action;
};

/* tree_build, with JEQ tests for hot numbers (sorted by nr) where they pay */
int tree_build_hot(struct gen_ctx *g, size_t n, const uint32_t *start, const double *weight,
		   struct frag *leaf, size_t nhot, const struct tree_hot *hot, struct frag *out);

/*
 * Argument checks of one syscall on an arch of the given width: code that
 * returns the merged action of its allow and deny clauses (filter_ir.h).
 */
int args_compile(struct gen_ctx *g, const struct filter_ir *ir, const struct ir_syscall *s, unsigned bits,
		 struct frag *out);

/* offset of a word of struct seccomp_data: arg 0..5, hi or lo half (little-endian) */
uint32_t seccomp_arg_offset(unsigned arg, bool hi);
#define SECCOMP_NR_OFFSET   0
#define SECCOMP_ARCH_OFFSET 4

#endif
