/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The seccomp policy language (.src) of snapd, parsed into rules.
 * Architecture-neutral: syscall names are resolved later (lower.h).
 */
#ifndef CONFINE_POLICY_H
#define CONFINE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define POLICY_MAX_ARGS 6
#define POLICY_NAME_MAX 64

enum cmp_op {
	CMP_EQ, /* N, u:NAME, g:NAME */
	CMP_NE, /* !N */
	CMP_LT, /* <N */
	CMP_LE, /* <=N */
	CMP_GT, /* >N */
	CMP_GE, /* >=N */
	CMP_MASKED_EQ, /* |N: (arg & N) == N;  A|B: (arg & A) == B */
};

/* one condition on one 64-bit argument */
struct policy_cond {
	uint8_t arg; /* 0..5 */
	uint8_t op; /* enum cmp_op */
	uint64_t value;
	uint64_t mask; /* CMP_MASKED_EQ only; 0 otherwise */
};

struct policy_rule {
	char name[POLICY_NAME_MAX]; /* without the leading ~ */
	bool deny; /* a ~ line: EACCES, wins over allow lines */
	uint8_t ncond; /* conditions, ANDed; "-" tokens produce none */
	struct policy_cond cond[POLICY_MAX_ARGS];
	unsigned line; /* 1-based source line */
};

struct policy {
	bool unrestricted; /* @unrestricted: no filter at all */
	bool complain; /* @complain: log instead of deny */
	size_t nrules, cap;
	struct policy_rule *rules;
	unsigned lines; /* lines read */
};

struct policy_parse_opts {
	/*
	 * Resolve u:NAME and g:NAME; NULL means getpwnam/getgrnam.
	 * Return 0 and set *id, or -1 when the name is unknown.
	 */
	int (*resolve_user)(const char *name, uint32_t *id);
	int (*resolve_group)(const char *name, uint32_t *id);
};

/*
 * Parse text (len bytes, need not be NUL-terminated) read from file (used in
 * messages). On error returns -1 and fills err with "file:line:col: message";
 * out is then empty (policy_free'd). opts may be NULL.
 */
int policy_parse(const char *file, const char *text, size_t len, const struct policy_parse_opts *opts,
		 struct policy *out, struct diag *err);
void policy_free(struct policy *p);

/* true for the uid/gid calls whose conditions compare low 32 bits only and accept negatives */
bool policy_syscall_takes_negative_ids(const char *name);

/*
 * Symbolic constants (AF_*, PF_*, SOCK_*, PR_*, PRIO_*, CLONE_NEW*, TIOCSTI,
 * TIOCLINUX, Q_*, S_IF*, NETLINK_*, PTRACE_*, KCMP_*): 0 and *value when known.
 */
int policy_constant(const char *name, uint64_t *value);

#endif
