/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Lowering a parsed policy to a target's filter_ir, with libseccomp's
 * syscall tables (and its per-architecture rewrites: on x86, rules for the
 * socket and IPC calls are also applied to socketcall() and ipc()).
 */
#ifndef CONFINE_LOWER_H
#define CONFINE_LOWER_H

#include "diag.h"
#include "filter_ir.h"
#include "policy.h"

struct lower_opts {
	bool strict; /* an unknown syscall name is an error, not a warning */
	bool complain_log; /* complain mode uses RET_LOG (else RET_ALLOW) */
	bool kill_process; /* bad arch kills the process (else the thread, like snapd) */
	bool enosys; /* ENOSYS above the highest known number */
	/* called for each warning ("file:line:col: warning: ..."); may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	const char *file; /* for messages */
};

int lower_policy(const struct policy *p, const struct target *t, const struct lower_opts *o,
		 struct filter_ir *out, struct diag *err);

#endif
