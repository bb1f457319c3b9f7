/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Loading a compiled profile into the kernel, by the rules of FORMATS.md 3:
 * a trusted path, a strictly validated .bin2 (or pre-2.63 .bin), both
 * programs checked before either is loaded, SECCOMP_FILTER_FLAG_LOG where
 * the kernel has it, prctl() without it, and RET_LOG rewritten to ALLOW on
 * kernels without RET_LOG.
 */
#ifndef CONFINE_SECCOMP_LOAD_H
#define CONFINE_SECCOMP_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "bpf.h"
#include "diag.h"
#include "kernel_features.h"

#define SC_SECCOMP_DIR "/var/lib/snapd/seccomp/bpf"

struct sc_profile {
	bool unrestricted;
	char path[512]; /* the file it came from (a longer path is refused) */
	size_t nprog; /* in load order: deny, allow (a .bin has one) */
	struct bpf_prog prog[2]; /* views into data (cap 0: not theirs to free) */
	char *data;		 /* the file as read */
	bool has_ret_log;
};

/* plan: reads and validates the profile of tag from dir; nothing is loaded */
int sc_profile_read(const char *dir, const char *tag, struct sc_profile *p, struct diag *err);
void sc_profile_free(struct sc_profile *p);

/*
 * apply: loads the programs. *used_log tells which path was taken. Needs
 * CAP_SYS_ADMIN or no_new_privs (the caller's business).
 */
int sc_profile_load(struct sc_profile *p, enum sc_log_path path, bool *used_log, struct diag *err);

#endif
