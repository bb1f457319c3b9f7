// SPDX-License-Identifier: GPL-3.0-only
/* One mount's read-only flag (see mount_ro.h). */
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "mount_ro.h"

int mount_set_readonly(const char *path, bool ro, struct diag *err)
{
	static const struct {
		unsigned long st, ms;
	} keep[] = { { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC } };
	unsigned long flags = MS_REMOUNT | MS_BIND | (ro ? MS_RDONLY : 0);
	struct statvfs st;

	if (statvfs(path, &st) < 0)
		return diag_errno(err, "cannot read the mount flags of %s", path);
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (st.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, path, NULL, flags, NULL) < 0)
		return diag_errno(err, "cannot make the mount %s %s", path, ro ? "read-only" : "writable");
	return 0;
}
