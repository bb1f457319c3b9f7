/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Privileges of the setuid launcher. A non-root caller ends with its own
 * uid and gid (real, effective and saved) and, until exec, CAP_SYS_ADMIN
 * only, which loading the seccomp filter needs since we do not set
 * no_new_privs (it would break AppArmor exec transitions, as snapd notes);
 * exec then clears it, as it clears every capability of a non-root process.
 */
#ifndef CONFINE_PRIVS_H
#define CONFINE_PRIVS_H

#include <sys/types.h>

#include "diag.h"

int sc_drop_to_caller(uid_t uid, gid_t gid, struct diag *err);

#endif
