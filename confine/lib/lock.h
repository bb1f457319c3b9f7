/* SPDX-License-Identifier: GPL-3.0-only */
/* The launcher's locks: /run/snapd/lock/.lock and /run/snapd/lock/<snap>.lock (flock, bounded wait). */
#ifndef CONFINE_LOCK_H
#define CONFINE_LOCK_H

#include "diag.h"

#define SC_LOCK_DIR "/run/snapd/lock"
#define SC_LOCK_TIMEOUT_S CONFIG_CONFINE_LOCK_TIMEOUT

/* name NULL: the global lock. Returns the locked descriptor or -1. */
int sc_lock(const char *name, struct diag *err);
void sc_unlock(int fd);

#endif
