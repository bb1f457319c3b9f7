// SPDX-License-Identifier: GPL-3.0-only
/* A squashfs file on a read-only, self-clearing loop device, mounted read-only. */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "loop_mount.h"
#include "path_walk.h"

#ifndef LOOP_CONFIGURE
#define LOOP_CONFIGURE 0x4C0A
struct loop_config {
	unsigned int fd;
	unsigned int block_size;
	struct loop_info64 info;
	unsigned long long __reserved[8];
};
#endif

/* binds a free loop device to file_fd; returns its open descriptor, its number in *num */
static int loop_attach(int file_fd, const char *name, int *num, struct diag *err)
{
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);

	if (ctl < 0)
		return diag_errno(err, "cannot open /dev/loop-control");
	/* another process may take the free device first: ask again */
	for (int tries = 0; tries < 16; tries++) {
		char dev[32];
		struct loop_config cfg;
		int n = ioctl(ctl, LOOP_CTL_GET_FREE), fd;

		if (n < 0) {
			diag_errno(err, "cannot get a free loop device");
			break;
		}
		snprintf(dev, sizeof(dev), "/dev/loop%d", n);
		fd = open(dev, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			diag_errno(err, "cannot open %s", dev);
			break;
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = (unsigned)file_fd;
		cfg.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
		snprintf((char *)cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name), "%s", name);
		if (ioctl(fd, LOOP_CONFIGURE, &cfg) == 0) {
			close(ctl);
			*num = n;
			return fd;
		}
		/* before Linux 5.8: bind, then set the flags */
		if (errno == EINVAL || errno == ENOTTY) {
			if (ioctl(fd, LOOP_SET_FD, file_fd) == 0) {
				if (ioctl(fd, LOOP_SET_STATUS64, &cfg.info) == 0) {
					close(ctl);
					*num = n;
					return fd;
				}
				diag_errno(err, "cannot set up %s for %s", dev, name);
				ioctl(fd, LOOP_CLR_FD, 0);
				close(fd);
				break;
			}
		}
		if (errno != EBUSY) {
			diag_errno(err, "cannot bind %s to %s", dev, name);
			close(fd);
			break;
		}
		close(fd);
	}
	close(ctl);
	return -1;
}

int loop_mount_squashfs(int file_fd, const char *name, int dir_fd, struct diag *err)
{
	char dev[32], target[PW_FDPATH_MAX];
	int num = -1, fd = loop_attach(file_fd, name, &num, err), rc = 0;

	if (fd < 0)
		return -1;
	snprintf(dev, sizeof(dev), "/dev/loop%d", num);
	if (mount(dev, pw_fdpath(dir_fd, target), "squashfs", MS_RDONLY | MS_NODEV, NULL) < 0)
		rc = diag_errno(err, "cannot mount %s (squashfs on %s)", name, dev);
	/* the mount holds the device now; without one, this close clears it (autoclear) */
	close(fd);
	return rc;
}
