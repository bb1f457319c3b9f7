/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Privileges of the setuid launcher. A non-root caller ends with its own
 * uid and gid (real, effective and saved) and, until exec, CAP_SYS_ADMIN
 * only, which loading the seccomp filter needs since we do not set
 * no_new_privs (it would break AppArmor exec transitions, as snapd notes);
 * exec then clears it, as it clears every capability of a non-root process.
 * Until the drop the launcher holds root in all three ids (main.c), so the
 * caller cannot signal it halfway.
 */
#ifndef CONFINE_PRIVS_H
#define CONFINE_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"

/* what the drop does: nothing for a root caller, else the caller's ids in all three places */
struct drop_plan {
	bool change;
	uid_t uid;
	gid_t gid;
};

void sc_drop_plan(uid_t uid, gid_t gid, struct drop_plan *p);
/*
 * After the drop: real, effective and saved ids (u[3], g[3]) and the
 * capability sets (cap[0] effective, cap[1] permitted, as two 32-bit words
 * each) must be exactly the plan's; anything left (a saved root uid, a
 * capability but CAP_SYS_ADMIN) is refused with the reason.
 */
int sc_drop_verify(const struct drop_plan *p, const uid_t u[3], const gid_t g[3], const unsigned cap[2][2],
		   struct diag *err);
int sc_drop_to_caller(uid_t uid, gid_t gid, struct diag *err);
/*
 * All three user (group) ids set to id by one system call, for the launcher
 * only (one thread): the C library's setresuid makes every thread change
 * too, which costs six more system calls a launch and pulls that machinery
 * into the binary. The 32-bit calls where the kernel also has 16-bit ones.
 */
int sc_set_uids(uid_t id);
int sc_set_gids(gid_t id);

#endif
