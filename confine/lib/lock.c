// SPDX-License-Identifier: GPL-3.0-only
/* flock()-based locks with a bounded wait (lock.h). */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "sc_log.h"

/* (made when missing: a launch finds it, with one lstat and no mkdir, which locks the parent) */
static int ensure_dir(const char *path, struct diag *err)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return diag_errno(err, "cannot inspect %s", path);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return diag_errno(err, "cannot create %s", path);
		if (lstat(path, &st) < 0)
			return diag_errno(err, "cannot inspect %s", path);
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 0022))
		return diag_set(err, "%s must be a root-owned directory not writable by others", path);
	return 0;
}

int sc_lock(const char *name, struct diag *err)
{
	char path[512];
	struct timespec start, now;
	int fd;

	if (ensure_dir("/run/snapd", err) || ensure_dir(SC_LOCK_DIR, err))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.lock", SC_LOCK_DIR, name ? name : "");
	/* (openat: musl's open adds an fcntl for O_CLOEXEC, for kernels before 2.6.23) */
	fd = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return diag_errno(err, "cannot open the lock %s", path);
	/*
	 * the clock is read only once the lock is found busy: its first read
	 * costs a free lock two page faults and musl's lookup in the vDSO
	 */
	for (bool waited = false; flock(fd, LOCK_EX | LOCK_NB) < 0; waited = true) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			diag_errno(err, "cannot lock %s", path);
			close(fd);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, waited ? &now : &start);
		if (waited && now.tv_sec - start.tv_sec >= SC_LOCK_TIMEOUT_S) {
			diag_set(err, "timed out after %d s waiting for the lock %s", SC_LOCK_TIMEOUT_S, path);
			close(fd);
			return -1;
		}
		usleep(2000);
	}
	sc_debug("locked %s", path);
	return fd;
}

void sc_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
