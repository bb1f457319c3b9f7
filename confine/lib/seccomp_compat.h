/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * <linux/seccomp.h>, plus the constants older kernel headers (and musl's
 * cross headers) may lack: the launcher runs on kernels newer than the
 * headers it was built with.
 */
#ifndef CONFINE_SECCOMP_COMPAT_H
#define CONFINE_SECCOMP_COMPAT_H

#include <linux/seccomp.h>

#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif

#endif
