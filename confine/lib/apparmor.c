// SPDX-License-Identifier: GPL-3.0-only
/* AppArmor change_onexec (apparmor.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apparmor.h"
#include "sc_log.h"

bool sc_apparmor_enabled(void)
{
	char c = 0;
	int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y';
}

int sc_apparmor_change_onexec(const char *label, struct diag *err)
{
	/* the LSM-specific file of newer kernels first, then the shared one */
	static const char *const files[] = { "/proc/self/attr/apparmor/exec", "/proc/self/attr/exec" };
	char cmd[512];
	int n = snprintf(cmd, sizeof(cmd), "exec %s", label);

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd = open(files[i], O_WRONLY | O_CLOEXEC);
		ssize_t w;

		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			return diag_errno(err, "cannot open %s", files[i]);
		}
		w = write(fd, cmd, (size_t)n);
		close(fd);
		if (w == n) {
			sc_debug("AppArmor: the next exec runs under %s", label);
			return 0;
		}
		if (errno == ENOENT)
			return diag_set(err, "AppArmor profile %s is not loaded (load it with apparmor_parser)", label);
		return diag_errno(err, "cannot ask AppArmor to change to %s on exec", label);
	}
	return diag_set(err, "AppArmor is enabled but /proc/self/attr has no exec file");
}
