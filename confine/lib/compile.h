/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The whole precompiler pipeline, callable from the tool and the tests:
 * text -> policy (parse) -> filter_ir (lower) -> BPF (generate) -> file.
 */
#ifndef CONFINE_COMPILE_H
#define CONFINE_COMPILE_H

#include "arch.h"
#include "bpf.h"
#include "diag.h"
#include "filter_ir.h"
#include "gen.h"
#include "lower.h"
#include "policy.h"
#include "sysprofile.h"

enum compile_backend {
	BACKEND_OURS,
	BACKEND_LIBSECCOMP, /* libseccomp, its default (linear) generator: what snapd produces */
	BACKEND_LIBSECCOMP_TREE, /* libseccomp with its binary-tree optimisation */
};

enum compile_format {
	FORMAT_BIN2, /* snapd >= 2.63: header + allow + deny */
	FORMAT_BIN, /* pre-2.63: one raw program ("@unrestricted\n" when unrestricted) */
};

struct compile_opts {
	struct target target;
	enum compile_backend backend;
	enum compile_format format;
	struct lower_opts lower; /* strict, complain_log, kill_process, enosys, warn */
	const struct sysprofile *profile; /* NULL: the built-in default */
	bool enosys_override; /* ENOSYS above enosys_above on every arch, not above the known numbers */
	uint32_t enosys_above;
};

struct compile_result {
	bool unrestricted, complain;
	struct bpf_prog allow, deny; /* ours: merged program in allow, RET ALLOW in deny */
	struct gen_stats stats;
	unsigned unknown_names, foreign_names;
	size_t rules;
	bool has_deny; /* the policy has ~ rules */
};

/* opts with the defaults of the host build: native target, ours, bin2, Kconfig choices */
void compile_opts_default(struct compile_opts *o);

int compile_policy(const char *file, const char *text, size_t len, const struct compile_opts *o,
		   struct compile_result *r, struct diag *err);
/* the file's bytes for the chosen format; *buf is malloc'd */
int compile_encode(const struct compile_result *r, const struct compile_opts *o, const char *text,
		   size_t len, void **buf, size_t *buflen, struct diag *err);
void compile_result_free(struct compile_result *r);

#endif
