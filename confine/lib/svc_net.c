// SPDX-License-Identifier: GPL-3.0-only
/*
 * The loopback interface, up before the first hook or service runs, as a
 * service manager's start does (systemd's PID 1 does the same): the kernel
 * gives lo 127.0.0.1/8 (and ::1) when it comes up, so only its flag is set.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "svc.h"

int svc_loopback_up(struct diag *err)
{
	struct ifreq ifr;
	int fd, rc = 0;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return diag_errno(err, "cannot set the loopback interface up: no socket");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		rc = diag_errno(err, "cannot set the loopback interface up: lo");
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			rc = diag_errno(err, "cannot set the loopback interface up");
	}
	close(fd);
	return rc;
}
