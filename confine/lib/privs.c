// SPDX-License-Identifier: GPL-3.0-only
/* Dropping to the caller's identity (privs.h). */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"
#include "sc_log.h"

static int capset_only(unsigned cap, struct diag *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	data[cap / 32].effective = data[cap / 32].permitted = 1u << (cap % 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return diag_errno(err, "cannot reduce the capabilities to CAP_SYS_ADMIN");
	return 0;
}

int sc_drop_to_caller(uid_t uid, gid_t gid, struct diag *err)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (uid == 0) {
		sc_debug("the caller is root: identity unchanged");
		return 0;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return diag_errno(err, "cannot keep capabilities across the identity change");
	if (setresgid(gid, gid, gid) < 0)
		return diag_errno(err, "cannot set the group ids to %u", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		return diag_errno(err, "cannot set the user ids to %u", (unsigned)uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return diag_errno(err, "cannot reset PR_SET_KEEPCAPS");
	if (capset_only(CAP_SYS_ADMIN, err))
		return -1;
	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0 || r != uid || e != uid || s != uid ||
	    rg != gid || eg != gid || sg != gid)
		return diag_set(err, "the identity did not change to %u:%u", (unsigned)uid, (unsigned)gid);
	sc_debug("now running as %u:%u with CAP_SYS_ADMIN only (cleared by exec)", (unsigned)uid, (unsigned)gid);
	return 0;
}
