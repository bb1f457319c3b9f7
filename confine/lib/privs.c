// SPDX-License-Identifier: GPL-3.0-only
/* Dropping to the caller's identity (privs.h). */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"
#include "sc_log.h"

#define KEPT_CAP CAP_SYS_ADMIN

#ifdef SYS_setresuid32
#define NR_SETRESUID SYS_setresuid32
#define NR_SETRESGID SYS_setresgid32
#else
#define NR_SETRESUID SYS_setresuid
#define NR_SETRESGID SYS_setresgid
#endif

int sc_set_uids(uid_t id)
{
	return (int)syscall(NR_SETRESUID, id, id, id);
}

int sc_set_gids(gid_t id)
{
	return (int)syscall(NR_SETRESGID, id, id, id);
}

void sc_drop_plan(uid_t uid, gid_t gid, struct drop_plan *p)
{
	p->change = uid != 0;
	p->uid = uid;
	p->gid = gid;
}

int sc_drop_verify(const struct drop_plan *p, const uid_t u[3], const gid_t g[3], const unsigned cap[2][2],
		   struct diag *err)
{
	for (int i = 0; i < 3; i++)
		if (u[i] != p->uid || g[i] != p->gid)
			return diag_set(err, "the identity did not change to %u:%u (uids %u %u %u, gids %u %u %u)",
					(unsigned)p->uid, (unsigned)p->gid, (unsigned)u[0], (unsigned)u[1],
					(unsigned)u[2], (unsigned)g[0], (unsigned)g[1], (unsigned)g[2]);
	for (int set = 0; set < 2; set++)
		for (int w = 0; w < 2; w++)
			if (cap[set][w] != (w == KEPT_CAP / 32 ? 1u << (KEPT_CAP % 32) : 0))
				return diag_set(err, "capabilities other than CAP_SYS_ADMIN remain (%s word %d: %#x)",
						set ? "permitted" : "effective", w, cap[set][w]);
	return 0;
}

int sc_drop_to_caller(uid_t uid, gid_t gid, struct diag *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	struct drop_plan plan;
	unsigned cap[2][2];
	uid_t u[3];
	gid_t g[3];

	sc_drop_plan(uid, gid, &plan);
	if (!plan.change) {
		sc_debug("the caller is root: identity unchanged");
		return 0;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return diag_errno(err, "cannot keep capabilities across the identity change");
	if (sc_set_gids(gid) < 0)
		return diag_errno(err, "cannot set the group ids to %u", (unsigned)gid);
	if (sc_set_uids(uid) < 0)
		return diag_errno(err, "cannot set the user ids to %u", (unsigned)uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return diag_errno(err, "cannot reset PR_SET_KEEPCAPS");
	data[KEPT_CAP / 32].effective = data[KEPT_CAP / 32].permitted = 1u << (KEPT_CAP % 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return diag_errno(err, "cannot reduce the capabilities to CAP_SYS_ADMIN");
	/* what the kernel says now, not what was asked */
	if (getresuid(&u[0], &u[1], &u[2]) < 0 || getresgid(&g[0], &g[1], &g[2]) < 0 ||
	    syscall(SYS_capget, &hdr, data) < 0)
		return diag_errno(err, "cannot read the identity back");
	for (int w = 0; w < 2; w++) {
		cap[0][w] = data[w].effective;
		cap[1][w] = data[w].permitted;
	}
	if (sc_drop_verify(&plan, u, g, cap, err))
		return -1;
	sc_debug("now running as %u:%u with CAP_SYS_ADMIN only (cleared by exec)", (unsigned)uid, (unsigned)gid);
	return 0;
}
