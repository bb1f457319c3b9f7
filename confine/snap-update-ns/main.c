// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-update-ns: make a snap's mount namespace match its mount profile.
 *
 * usage: snap-update-ns [--from-snap-confine] SNAP_INSTANCE_NAME
 *
 * Reads /var/lib/snapd/mount/snap.<snap>.fstab (desired) and
 * /run/snapd/ns/snap.<snap>.fstab (what was applied before), joins the
 * preserved namespace /run/snapd/ns/<snap>.mnt, applies the difference and
 * records the result. snap-confine runs it inside a namespace it is
 * building, with --from-snap-confine, holding the snap's lock: nothing is
 * applied there yet, so the record is not read, and it is written only when
 * the whole profile was applied (snap-confine removes it when the namespace
 * is not kept). Both profiles are parsed before anything changes; every
 * path is walked from the namespace's root without following a link
 * (mount_profile.h), and what is created has exactly the profile's modes
 * (umask 0).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "lock.h"
#include "mount_ns.h"
#include "mount_profile.h"
#include "sc_log.h"
#include "tag.h"
#include "trusted_path.h"

#define PROFILE_MAX (1 << 20)

static void read_profile(const char *path, bool trusted, struct fstab *f)
{
	struct diag err;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (lstat(path, &st) < 0 && errno == ENOENT) {
		memset(f, 0, sizeof(*f));
		return;
	}
	rc = trusted ? trusted_read(path, PROFILE_MAX, &text, &len, &err)
		     : file_read_all(path, PROFILE_MAX, &text, &len, &err);
	if (rc || fstab_parse(path, text, len, f, &err))
		sc_die("%s", err.msg);
	free(text);
}

int main(int argc, char **argv)
{
	char desired_path[512], current_path[512], mnt[512], why[256];
	struct fstab desired, current, applied;
	struct mount_profile_ctx ctx;
	struct diag err;
	bool from_confine = false;
	const char *instance;
	int i = 1, lock = -1, rc;
	char *text;
	size_t len;

	sc_log_init("snap-update-ns");
	umask(0);
	if (sc_debug_enabled()) {
		/* the AppArmor label this runs under (snap-confine asks for snap-update-ns.<instance>) */
		char label[256];
		int fd = open("/proc/self/attr/current", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, label, sizeof(label) - 1);

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			label[n] = '\0';
			label[strcspn(label, "\n")] = '\0';
			sc_debug("running under the AppArmor label %s", label);
		}
	}
	if (i < argc && !strcmp(argv[i], "--from-snap-confine")) {
		from_confine = true;
		i++;
	}
	if (argc - i != 1 || argv[i][0] == '-')
		sc_die("usage: snap-update-ns [--from-snap-confine] SNAP_INSTANCE_NAME");
	instance = argv[i];
	if (!instance_name_split(instance, NULL, 0, NULL, 0, why, sizeof(why)))
		sc_die("invalid snap instance name: %s", why);
	if (geteuid() != 0)
		sc_die("need to run as root");
	snprintf(desired_path, sizeof(desired_path), "%s/snap.%s.fstab", SC_MOUNT_PROFILE_DIR, instance);
	snprintf(current_path, sizeof(current_path), "%s/snap.%s.fstab", SC_NS_DIR, instance);
	snprintf(mnt, sizeof(mnt), "%s/%s.mnt", SC_NS_DIR, instance);
	if (!from_confine) {
		lock = sc_lock(instance, &err);
		if (lock < 0)
			sc_die("%s", err.msg);
	}
	/* plan: both profiles must parse */
	read_profile(desired_path, true, &desired);
	if (from_confine)
		memset(&current, 0, sizeof(current)); /* a new namespace: nothing is applied yet */
	else
		read_profile(current_path, false, &current);
	if (!from_confine) {
		int fd = open(mnt, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0 || setns(fd, CLONE_NEWNS) < 0)
			sc_die("cannot join the preserved namespace of %s (%s): %s", instance, mnt, strerror(errno));
		close(fd);
		sc_debug("joined %s", mnt);
	}
	ctx.snap = instance;
	ctx.root.prefix = "";
	ctx.root.fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx.root.fd < 0)
		sc_die("cannot open /: %s", strerror(errno));
	rc = mount_profile_apply(&ctx, &desired, &current, &applied, &err);
	/*
	 * A live namespace: record what is in effect, even after a failure, so
	 * the next run starts from the truth. A namespace being built is thrown
	 * away on failure: nothing is recorded.
	 */
	if (rc && from_confine)
		sc_die("%s", err.msg);
	text = fstab_format(&applied, &len);
	if (!text)
		sc_die("out of memory");
	{
		struct diag werr;

		if (file_write_atomic(current_path, text, len, 0644, &werr))
			sc_die("%s", werr.msg);
	}
	free(text);
	if (rc)
		sc_die("%s", err.msg);
	sc_debug("%zu entries in effect for %s", applied.n, instance);
	fstab_free(&desired);
	fstab_free(&current);
	fstab_free(&applied);
	if (lock >= 0)
		sc_unlock(lock);
	return 0;
}
