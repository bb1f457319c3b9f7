// SPDX-License-Identifier: GPL-3.0-only
/* Device cgroups: tags, the mode of the system, v1 (device_cgroup.h); v2 is device_cgroup_v2.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device_cgroup.h"
#include "fileio.h"
#include "sc_log.h"
#include "strnum.h"
#include "tag.h"

void devcg_udev_tag(const char *sectag, char *out, size_t len)
{
	size_t i;

	for (i = 0; sectag[i] && i + 1 < len; i++)
		out[i] = sectag[i] == '.' ? '_' : sectag[i];
	out[i] = '\0';
}

int devcg_security_tag(const char *udev_tag, char *out, size_t len, char *why, size_t whylen)
{
	char buf[TAG_MAX + 1], *p;
	struct sc_tag t;
	size_t n = strlen(udev_tag);

	/* no dots: they are what the mapping turns underscores into */
	if (strncmp(udev_tag, "snap_", 5) || strchr(udev_tag, '.') || n >= sizeof(buf)) {
		snprintf(why, whylen, "'%s' is not a snap's udev tag (snap_<snap>_<app>)", udev_tag);
		return -1;
	}
	/* snap names and app names have no '_': the first one after the name may start an instance key */
	memcpy(buf, udev_tag, n + 1);
	buf[4] = '.';
	p = strchr(buf + 5, '_');
	if (!p) {
		snprintf(why, whylen, "'%s' has no app part", udev_tag);
		return -1;
	}
	if (!strncmp(p, "_hook_", 6)) {
		*p = '.';
		p[5] = '.';
	} else {
		char *q = strchr(p + 1, '_');

		if (q) { /* snap_<snap>_<key>_<app> */
			if (!strncmp(q, "_hook_", 6)) {
				*q = '.';
				q[5] = '.';
			} else {
				*q = '.';
			}
		} else {
			*p = '.';
		}
	}
	if (tag_parse(buf, &t, why, whylen))
		return -1;
	if (strlen(buf) >= len) {
		snprintf(why, whylen, "tag too long");
		return -1;
	}
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

int devcg_parse_devid(const char *s, char *type, unsigned *major, unsigned *minor)
{
	char buf[32];
	unsigned long a, b;
	char *colon;

	if ((s[0] != 'c' && s[0] != 'b') || strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s + 1, strlen(s));
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	if (str_to_ulong(buf, 10, 0xfff, &a) || str_to_ulong(colon + 1, 10, 0xfffff, &b))
		return -1;
	*type = s[0];
	*major = (unsigned)a;
	*minor = (unsigned)b;
	return 0;
}

/*
 * udev (systemd >= 247) keeps a device in /run/udev/tags/<tag>/ once tagged
 * ("sticky"), and lists the tags its rules give it now as Q: lines of its
 * database entry: a device whose rules no longer tag it for the app (a
 * connection taken away) is not the app's. Without a database entry, or one
 * without Q: lines (an older udev), the tag directory is all there is; an
 * entry that is there but cannot be read gives nothing.
 */
bool devcg_tag_current(const char *root, const char *devid, const char *udev_tag)
{
	static char buf[1 << 16]; /* a disk's entry, with its links and properties, can pass 4 KiB */
	char path[4096];
	size_t len = 0;
	ssize_t r = 0;
	bool any_q = false;
	int fd;

	snprintf(path, sizeof(path), "%s/run/udev/data/%s", strcmp(root, "/") ? root : "", devid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	while (len < sizeof(buf) - 1 && (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	if (r < 0 || len == sizeof(buf) - 1) /* unreadable, or too long to be read whole */
		return false;
	buf[len] = '\0';
	for (char *line = buf; *line;) {
		size_t l = strcspn(line, "\n");

		if (line[0] == 'Q' && line[1] == ':') {
			any_q = true;
			if (l - 2 == strlen(udev_tag) && !strncmp(line + 2, udev_tag, l - 2))
				return true;
		}
		line += l + (line[l] == '\n');
	}
	return !any_q;
}

bool devcg_tagged_now(const char *udev_tag, char type, unsigned major, unsigned minor)
{
	char path[320], devid[40];

	snprintf(devid, sizeof(devid), "%c%u:%u", type, major, minor);
	snprintf(path, sizeof(path), "%s/%s/%s", UDEV_TAGS_DIR, udev_tag, devid);
	return access(path, F_OK) == 0 && devcg_tag_current("/", devid, udev_tag);
}

int devcg_tagged(const char *udev_tag, size_t max, char *type, unsigned *major, unsigned *minor, size_t *n)
{
	char path[256];
	struct dirent *de;
	DIR *d;

	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", UDEV_TAGS_DIR, udev_tag);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d))) {
		char t;
		unsigned a, b;

		if (devcg_parse_devid(de->d_name, &t, &a, &b) ||
		    !devcg_tag_current("/", de->d_name, udev_tag))
			continue;
		if (*n == max) {
			closedir(d);
			return 1;
		}
		type[*n] = t;
		major[*n] = a;
		minor[*n] = b;
		(*n)++;
	}
	closedir(d);
	return 0;
}

int devcg_tags_for(const char *sectag, char *type, unsigned *major, unsigned *minor, size_t *n,
		   struct diag *err)
{
	char udev[TAG_MAX + 1];
	int rc;

	devcg_udev_tag(sectag, udev, sizeof(udev));
	rc = devcg_tagged(udev, DEVCG_TAGGED_MAX, type, major, minor, n);
	if (rc < 0)
		return diag_errno(err, "cannot read %s/%s", UDEV_TAGS_DIR, udev);
	if (rc > 0)
		return diag_set(err,
				"more than %d devices are tagged for %s in %s/%s: no partial device cgroup",
				DEVCG_TAGGED_MAX, sectag, UDEV_TAGS_DIR, udev);
	return 0;
}

static int write_rule(const char *file, const char *rule, struct diag *err)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return diag_errno(err, "cannot open %s", file);
	w = write(fd, rule, strlen(rule));
	close(fd);
	if (w != (ssize_t)strlen(rule))
		return diag_errno(err, "cannot write '%s' to %s", rule, file);
	return 0;
}

/* the devices every app may use: null zero full random urandom tty console ptmx, and the pts */
const struct devcg_dev devcg_always[] = {
	{ 'c', 1, 3 },
	{ 'c', 1, 5 },
	{ 'c', 1, 7 },
	{ 'c', 1, 8 },
	{ 'c', 1, 9 },
	{ 'c', 5, 0 },
	{ 'c', 5, 1 },
	{ 'c', 5, 2 },
	{ 'c', 136, DEVCG_MINOR_ANY },
	{ 'c', 137, DEVCG_MINOR_ANY },
	{ 'c', 138, DEVCG_MINOR_ANY },
	{ 'c', 139, DEVCG_MINOR_ANY },
	{ 'c', 140, DEVCG_MINOR_ANY },
	{ 'c', 141, DEVCG_MINOR_ANY },
	{ 'c', 142, DEVCG_MINOR_ANY },
	{ 'c', 143, DEVCG_MINOR_ANY },
};
const size_t devcg_always_n = sizeof(devcg_always) / sizeof(devcg_always[0]);

static void v1_rule(char *rule, size_t len, char type, unsigned major, unsigned minor)
{
	if (minor == DEVCG_MINOR_ANY)
		snprintf(rule, len, "%c %u:* rwm", type, major);
	else
		snprintf(rule, len, "%c %u:%u rwm", type, major, minor);
}

int devcg_v1_update(const char *sectag, char type, unsigned major, unsigned minor, bool allow, bool *missing,
		    struct diag *err)
{
	char dir[256], file[300], rule[64];
	struct stat st;

	*missing = false;
	snprintf(dir, sizeof(dir), "%s/%s", DEVCG_V1_ROOT, sectag);
	if (lstat(dir, &st) < 0 && errno == ENOENT) {
		*missing = true;
		return 0;
	}
	snprintf(file, sizeof(file), "%s/devices.%s", dir, allow ? "allow" : "deny");
	v1_rule(rule, sizeof(rule), type, major, minor);
	return write_rule(file, rule, err);
}

/* is the rule (a devices.list line) one of want[]? */
static bool v1_wanted(const char *line, size_t len, char (*want)[24], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(want[i]) == len && !memcmp(want[i], line, len))
			return true;
	return false;
}

/* does the text have the line s? */
static bool has_line(const char *text, size_t len, const char *s)
{
	size_t sl = strlen(s);

	for (const char *line = text, *end; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		if ((size_t)(end - line) == sl && !memcmp(line, s, sl))
			return true;
	}
	return false;
}

/* a devices.list line "c 10:183 rwm": is that one device tagged for the app now? */
static bool v1_tagged_now(const char *line, const char *udev_tag)
{
	char devid[32], t;
	unsigned a, b;
	size_t l;

	if ((line[0] != 'c' && line[0] != 'b') || line[1] != ' ')
		return false;
	l = strcspn(line + 2, " ");
	if (l + 2 > sizeof(devid))
		return false;
	devid[0] = line[0];
	memcpy(devid + 1, line + 2, l);
	devid[l + 1] = '\0';
	if (devcg_parse_devid(devid, &t, &a, &b)) /* "c 136:* rwm": a whole major is never one device */
		return false;
	return devcg_tagged_now(udev_tag, t, a, b);
}

/* one rule to devices.allow or devices.deny, the file opened at its first rule (*fd) */
static int put_rule(int *fd, const char *file, const char *rule, struct diag *err)
{
	if (*fd < 0 && (*fd = open(file, O_WRONLY | O_CLOEXEC)) < 0)
		return diag_errno(err, "cannot open %s", file);
	if (write(*fd, rule, strlen(rule)) != (ssize_t)strlen(rule))
		return diag_errno(err, "cannot write '%s' to %s", rule, file);
	return 0;
}

static void close_rules(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int devcg_v1_setup(const char *sectag, pid_t pid, struct diag *err)
{
	static char want[DEVCG_TAGGED_MAX + 32][24];
	char dir[256], file[300], rule[64], udev[TAG_MAX + 1], type[DEVCG_TAGGED_MAX], *list = NULL;
	unsigned major[DEVCG_TAGGED_MAX], minor[DEVCG_TAGGED_MAX];
	size_t n = 0, nw = 0, len = 0;
	bool created, fresh;
	int rc = -1, fd = -1;

	devcg_udev_tag(sectag, udev, sizeof(udev));
	snprintf(dir, sizeof(dir), "%s/%s", DEVCG_V1_ROOT, sectag);
	created = mkdir(dir, 0755) == 0;
	if (!created && errno != EEXIST)
		return diag_errno(err, "cannot create the device cgroup %s", dir);
	/*
	 * The cgroup ends up allowing exactly want[]: a new one (which allows
	 * everything, "a *:* rwm") is emptied first; an existing one gets the
	 * missing rules first and loses the stale ones after, so that running
	 * instances never lose a device they keep. A rule the cgroup has is
	 * not written again: a hot launch writes nothing but its pid.
	 */
	snprintf(file, sizeof(file), "%s/devices.list", dir);
	if (file_read_all(file, 1 << 20, &list, &len, err))
		goto out;
	fresh = has_line(list, len, "a *:* rwm");
	if (fresh) {
		snprintf(file, sizeof(file), "%s/devices.deny", dir);
		if (write_rule(file, "a", err))
			goto out;
	}
	/*
	 * The tags are read once the cgroup exists and is emptied: udev writes
	 * a device's tag before its rules run snap-device-helper, so a device
	 * tagged while this launch runs (udev's coldplug at boot, a hotplug) is
	 * either read here or allowed by the helper, which finds the cgroup.
	 */
	if (devcg_tags_for(sectag, type, major, minor, &n, err))
		goto out;
	for (size_t i = 0; i < devcg_always_n && nw < DEVCG_TAGGED_MAX + 32; i++)
		v1_rule(want[nw++], sizeof(want[0]), devcg_always[i].type, devcg_always[i].major,
			devcg_always[i].minor);
	for (size_t i = 0; i < n; i++) {
		v1_rule(want[nw++], sizeof(want[0]), type[i], major[i], minor[i]);
		sc_debug("device cgroup %s: allowed %s (tagged by udev)", sectag, want[nw - 1]);
	}
	snprintf(file, sizeof(file), "%s/devices.allow", dir);
	for (size_t i = 0; i < nw; i++) {
		if (!fresh && has_line(list, len, want[i]))
			continue;
		if (put_rule(&fd, file, want[i], err))
			goto out;
	}
	close_rules(&fd);
	snprintf(file, sizeof(file), "%s/devices.deny", dir);
	for (char *line = list, *end; !fresh && line < list + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(list + len - line));
		if (!end)
			end = list + len;
		if (end == line || v1_wanted(line, (size_t)(end - line), want, nw))
			continue;
		*end = '\0';
		/* tagged since the tags were read: the helper allowed it, it stays */
		if (v1_tagged_now(line, udev))
			continue;
		if (put_rule(&fd, file, line, err))
			goto out;
		sc_debug("device cgroup %s: removed stale %s", sectag, line);
	}
	close_rules(&fd);
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	snprintf(rule, sizeof(rule), "%d", (int)pid);
	if (write_rule(file, rule, err))
		goto out;
	sc_debug("in the device cgroup %s (%zu tagged devices)", dir, n);
	rc = 0;
out:
	close_rules(&fd);
	/* refused before anything ran in it: a cgroup this launch created goes again */
	if (rc && created && rmdir(dir) < 0)
		sc_debug("cannot remove the device cgroup %s: %s", dir, strerror(errno));
	free(list);
	return rc;
}
