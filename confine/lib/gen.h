/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Code generators: filter_ir -> BPF.
 *   bpf_gen: ours. One merged program: arch dispatch, then per arch a search
 *   tree over syscall-number ranges weighted by a frequency profile, then
 *   argument checks (deny clauses inside their syscall's branch). Paths of
 *   unconditionally allowed calls read only arch and nr and use only the
 *   instructions the kernel's action cache can emulate.
 *   libseccomp_gen: libseccomp's own generator, as snapd uses it (an allow
 *   program and a deny program), for reference and comparison.
 */
#ifndef CONFINE_GEN_H
#define CONFINE_GEN_H

#include "bpf.h"
#include "diag.h"
#include "filter_ir.h"
#include "policy.h"
#include "sysprofile.h"

struct gen_stats {
	size_t insns;	/* program length, padding included */
	size_t padding; /* of them, unreachable at the end for the kernel's layout (bpf_layout.h) */
	size_t ranges[TARGET_MAX_ARCH]; /* leaves of each arch's number tree */
	size_t trampolines; /* JA instructions added for far jumps */
};

int bpf_gen(const struct filter_ir *ir, const struct sysprofile *profile, struct bpf_prog *out,
	    struct gen_stats *stats, struct diag *err);

struct libseccomp_opts {
	bool binary_tree; /* SCMP_FLTATR_CTL_OPTIMIZE = 2 (else libseccomp's default, linear) */
	bool complain_log; /* complain default: LOG (else ALLOW) */
	bool kill_process; /* bad arch: KILL_PROCESS (else KILL_THREAD, snapd's) */
};

/*
 * Compiles the policy the way snapd does with libseccomp: a deny filter
 * (default ALLOW, ~ rules -> EACCES) and an allow filter (default EPERM or
 * the complain action). Syscall names are resolved by libseccomp itself.
 * Both programs are always produced (the deny one allows everything when
 * the policy has no ~ rule), as snapd does.
 */
int libseccomp_gen(const struct policy *p, const struct target *t, const struct libseccomp_opts *o,
		   struct bpf_prog *allow, struct bpf_prog *deny, struct diag *err);

#endif
