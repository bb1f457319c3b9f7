// SPDX-License-Identifier: GPL-3.0-only
/*
 * A snap's device assignment checked from the udev rules to the device
 * cgroup (devcheck.h). Nothing is changed: files are read, sysfs is walked
 * and the v2 map is only looked up (BPF_OBJ_GET read-only, GET_NEXT_KEY).
 */
/* 64-bit directory offsets on 32-bit boards (readdir fails with EOVERFLOW on ext4's hashes otherwise) */
#define _FILE_OFFSET_BITS 64

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "devcheck.h"
#include "device_cgroup.h"
#include "fileio.h"
#include "tag.h"

#define DC_MAX	  600
#define RULES_MAX 256

struct dev {
	char type;
	unsigned major, minor;
};

struct devset {
	struct dev d[DC_MAX];
	size_t n;
	bool all; /* v1 "a *:* rwm" */
};

struct rule {
	unsigned line;
	char keys[1024]; /* the match keys, as written */
	char tag[128];	 /* the TAG+= it adds */
	bool helper;	 /* TAG=="..." RUN+="...snap-device-helper..." */
	char helper_tag[128];
};

static void devset_add(struct devset *s, char type, unsigned major, unsigned minor)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->d[i].type == type && s->d[i].major == major && s->d[i].minor == minor)
			return;
	if (s->n < DC_MAX)
		s->d[s->n++] = (struct dev){ type, major, minor };
}

static bool devset_allows(const struct devset *s, const struct dev *d)
{
	if (s->all)
		return true;
	for (size_t i = 0; i < s->n; i++)
		if (s->d[i].type == d->type && s->d[i].major == d->major &&
		    (s->d[i].minor == d->minor || s->d[i].minor == DEVCG_MINOR_ANY))
			return true;
	return false;
}

static bool devset_has(const struct devset *s, const struct dev *d)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->d[i].type == d->type && s->d[i].major == d->major && s->d[i].minor == d->minor)
			return true;
	return false;
}

static void path_in(char *buf, size_t len, const char *root, const char *path)
{
	snprintf(buf, len, "%s%s", strcmp(root, "/") ? root : "", path);
}

static bool parse_devid(const char *s, struct dev *d)
{
	return devcg_parse_devid(s, &d->type, &d->major, &d->minor) == 0;
}

/* ---- the rules file */

/* the value of KEY OP "VALUE" at p; *after past it */
static bool udev_token(const char *p, char *key, size_t klen, char *op, char *val, size_t vlen,
		       const char **after)
{
	size_t n = 0;
	const char *q;

	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (!*p)
		return false;
	while ((*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '{' || *p == '}' ||
	       (n && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '/' || *p == '.' ||
		      *p == '-'))) {
		if (n + 1 < klen)
			key[n++] = *p;
		p++;
	}
	key[n] = '\0';
	if (!n)
		return false;
	if ((p[0] == '=' || p[0] == '!' || p[0] == '+' || p[0] == '-' || p[0] == ':') && p[1] == '=') {
		op[0] = p[0];
		op[1] = '=';
		op[2] = '\0';
		p += 2;
	} else if (p[0] == '=') {
		strcpy(op, "=");
		p++;
	} else {
		return false;
	}
	if (*p != '"')
		return false;
	q = strchr(p + 1, '"');
	if (!q)
		return false;
	n = (size_t)(q - p - 1);
	if (n >= vlen)
		n = vlen - 1;
	memcpy(val, p + 1, n);
	val[n] = '\0';
	*after = q + 1;
	return true;
}

static size_t parse_rules(const char *text, struct rule *rules, size_t max)
{
	size_t n = 0;
	unsigned lineno = 0;

	for (const char *l = text; l && *l && n < max; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char line[1024], key[64], op[3], val[512], keys[1024] = "", tag[128] = "", htag[128] = "";
		const char *p = line;
		size_t len = strcspn(l, "\n");
		bool run_helper = false;

		lineno++;
		if (len >= sizeof(line))
			continue;
		memcpy(line, l, len);
		line[len] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		while (udev_token(p, key, sizeof(key), op, val, sizeof(val), &p)) {
			if (!strcmp(key, "TAG") && !strcmp(op, "+="))
				snprintf(tag, sizeof(tag), "%.127s", val);
			else if (!strcmp(key, "TAG") && !strcmp(op, "=="))
				snprintf(htag, sizeof(htag), "%.127s", val);
			else if (!strcmp(key, "RUN") && strstr(val, "snap-device-helper"))
				run_helper = true;
			else if (!strcmp(op, "==") || !strcmp(op, "!="))
				snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s%s\"%s\"",
					 keys[0] ? ", " : "", key, op, val);
		}
		if (tag[0] && keys[0]) {
			rules[n] = (struct rule){ .line = lineno };
			snprintf(rules[n].keys, sizeof(rules[n].keys), "%s", keys);
			snprintf(rules[n].tag, sizeof(rules[n].tag), "%s", tag);
			n++;
		} else if (htag[0] && run_helper) {
			rules[n] = (struct rule){ .line = lineno, .helper = true };
			snprintf(rules[n].helper_tag, sizeof(rules[n].helper_tag), "%s", htag);
			n++;
		}
	}
	return n;
}

/* ---- sysfs: which devices a rule's keys match */

/* dir/name into buf; false when it does not fit */
static bool join(char *buf, size_t len, const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);

	if (a + b + 2 > len)
		return false;
	memcpy(buf, dir, a);
	buf[a] = '/';
	memcpy(buf + a + 1, name, b + 1);
	return true;
}

/* the last component of s into buf (truncated to len) */
static void base_of(const char *s, char *buf, size_t len)
{
	const char *b = strrchr(s, '/');
	size_t n;

	b = b ? b + 1 : s;
	n = strlen(b);
	if (n >= len)
		n = len - 1;
	memcpy(buf, b, n);
	buf[n] = '\0';
}

static bool read_attr(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	int fd;
	ssize_t r;

	if (strstr(name, "..") || !join(path, sizeof(path), dir, name))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		return false;
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' ' || buf[r - 1] == '\t'))
		r--;
	buf[r] = '\0';
	return true;
}

static bool link_base(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 64], target[PATH_MAX];
	ssize_t r;

	if (!join(path, sizeof(path), dir, name))
		return false;
	r = readlink(path, target, sizeof(target) - 1);
	if (r < 0)
		return false;
	target[r] = '\0';
	base_of(target, buf, len);
	return true;
}

/* udev's value match: globs, alternatives with | */
static bool value_match(const char *pattern, const char *v)
{
	char alt[512];
	const char *p = pattern;

	for (;;) {
		size_t n = strcspn(p, "|");

		if (n < sizeof(alt)) {
			memcpy(alt, p, n);
			alt[n] = '\0';
			if (!fnmatch(alt, v, 0))
				return true;
		}
		if (!p[n])
			return false;
		p += n + 1;
	}
}

/* one key of a device (dir: its sysfs directory); -1 when the key cannot be evaluated here */
static int key_value(const char *dir, const char *key, char *buf, size_t len)
{
	if (!strcmp(key, "SUBSYSTEM"))
		return link_base(dir, "subsystem", buf, len) ? 1 : 0;
	if (!strcmp(key, "KERNEL")) {
		base_of(dir, buf, len);
		return 1;
	}
	if (!strcmp(key, "DRIVER")) {
		if (!link_base(dir, "driver", buf, len))
			buf[0] = '\0';
		return 1;
	}
	if (!strncmp(key, "ATTR{", 5) && key[strlen(key) - 1] == '}') {
		char name[256];

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(key) - 6), key + 5);
		return read_attr(dir, name, buf, len) ? 1 : 0;
	}
	if (!strncmp(key, "ENV{", 4) && key[strlen(key) - 1] == '}') {
		char ue[4096], want[256];
		size_t wl;

		if (!read_attr(dir, "uevent", ue, sizeof(ue)))
			return 0;
		wl = (size_t)snprintf(want, sizeof(want), "%.*s=", (int)(strlen(key) - 5), key + 4);
		buf[0] = '\0';
		for (const char *l = ue; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			if (!strncmp(l, want, wl))
				snprintf(buf, len, "%.*s", (int)strcspn(l + wl, "\n"), l + wl);
		return 1;
	}
	return -1;
}

/* does the device at dir match every key of the rule? *unknown: a key we cannot evaluate */
static bool rule_matches(const char *root, const char *dir, const char *keys, char *unknown, size_t ulen)
{
	char sysdevices[PATH_MAX];
	const char *p = keys;
	char key[64], op[3], val[512];

	path_in(sysdevices, sizeof(sysdevices), root, "/sys/devices");
	while (udev_token(p, key, sizeof(key), op, val, sizeof(val), &p)) {
		bool neg = !strcmp(op, "!="), hit = false;
		char v[1024];
		int r;

		if (!strcmp(key, "ACTION"))
			continue; /* add: the device is there */
		if (!strcmp(key, "KERNELS") || !strcmp(key, "SUBSYSTEMS") || !strcmp(key, "DRIVERS") ||
		    !strncmp(key, "ATTRS{", 6)) {
			/* the device or one of its parents */
			char d[PATH_MAX], own[72];

			if (!strncmp(key, "ATTRS{", 6))
				snprintf(own, sizeof(own), "ATTR{%s", key + 6);
			else
				snprintf(own, sizeof(own), "%.*s", (int)strlen(key) - 1, key);
			snprintf(d, sizeof(d), "%s", dir);
			while (!hit && strlen(d) > strlen(sysdevices) &&
			       !strncmp(d, sysdevices, strlen(sysdevices))) {
				if (key_value(d, own, v, sizeof(v)) == 1 && value_match(val, v))
					hit = true;
				*strrchr(d, '/') = '\0';
			}
		} else {
			r = key_value(dir, key, v, sizeof(v));
			if (r < 0) {
				if (!unknown[0])
					snprintf(unknown, ulen, "%s", key);
				continue;
			}
			hit = r == 1 && value_match(val, v);
		}
		if (hit == neg)
			return false;
	}
	return true;
}

/* the devices of this machine a rule matches */
static void rule_devices(const char *root, const struct rule *r, struct devset *out, char *unknown,
			 size_t ulen, FILE *f)
{
	static const char *const kinds[] = { "char", "block" };

	for (int k = 0; k < 2; k++) {
		char dirpath[PATH_MAX];
		struct dirent *de;
		DIR *d;

		snprintf(dirpath, sizeof(dirpath), "%s/sys/dev/%s", strcmp(root, "/") ? root : "", kinds[k]);
		d = opendir(dirpath);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			char link[PATH_MAX + 300], real[PATH_MAX], id[300], ue[4096] = "", node[300] = "";
			struct dev dv;

			if (de->d_name[0] == '.')
				continue;
			snprintf(id, sizeof(id), "%c%s", kinds[k][0], de->d_name);
			snprintf(link, sizeof(link), "%s/%s", dirpath, de->d_name);
			if (!parse_devid(id, &dv) || !realpath(link, real))
				continue;
			if (!rule_matches(root, real, r->keys, unknown, ulen))
				continue;
			devset_add(out, dv.type, dv.major, dv.minor);
			if (read_attr(real, "uevent", ue, sizeof(ue))) {
				const char *dn = strstr(ue, "DEVNAME=");

				if (dn)
					snprintf(node, sizeof(node), " /dev/%.*s", (int)strcspn(dn + 8, "\n"),
						 dn + 8);
			}
			fprintf(f, "    rule at line %u matches %s (%s)\n", r->line,
				node[0] ? node + 1 : real, id);
		}
		closedir(d);
	}
}

/* ---- tags and cgroups */


/* the devices tagged for the app now (s), and those only once (sticky: no longer among their current tags) */
static int read_tags(const char *root, const char *udev_tag, struct devset *s, struct devset *sticky)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s/%s", strcmp(root, "/") ? root : "", UDEV_TAGS_DIR, udev_tag);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		struct dev dv;

		if (!parse_devid(de->d_name, &dv))
			continue;
		/* as the launcher decides (device_cgroup.c) */
		if (devcg_tag_current(root, de->d_name, udev_tag))
			devset_add(s, dv.type, dv.major, dv.minor);
		else
			devset_add(sticky, dv.type, dv.major, dv.minor);
	}
	closedir(d);
	return 0;
}

/* v1: devices.list lines "c 1:3 rwm", "c 136:* rwm", "a *:* rwm" */
static int read_v1(const char *root, const char *sectag, struct devset *s, char *where, size_t wlen)
{
	char path[PATH_MAX], *text;
	size_t len;
	struct diag err;

	snprintf(path, sizeof(path), "%s%s/%s/devices.list", strcmp(root, "/") ? root : "", DEVCG_V1_ROOT,
		 sectag);
	if (file_read_all(path, 1 << 20, &text, &len, &err))
		return -1;
	snprintf(where, wlen, "cgroup v1 %s", path);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		/* TYPE MAJOR:MINOR ACCESS, either number possibly * */
		char type = l[0], *end;
		unsigned long maj, min = DEVCG_MINOR_ANY;

		if (type == 'a') {
			s->all = true;
			continue;
		}
		if ((type != 'c' && type != 'b') || l[1] != ' ' || l[2] < '0' || l[2] > '9')
			continue;
		maj = strtoul(l + 2, &end, 10);
		if (*end != ':')
			continue;
		if (end[1] != '*') {
			min = strtoul(end + 1, &end, 10);
			if (*end != ' ' && *end != '\n' && *end)
				continue;
		}
		devset_add(s, type, (unsigned)maj, (unsigned)min);
	}
	free(text);
	return 0;
}

struct devkey {
	uint8_t type;
	uint32_t major;
	uint32_t minor;
} __attribute__((packed));

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

/* v2: the keys of the map pinned for the app */
static int read_v2(const char *root, const char *udev_tag, struct devset *s, char *where, size_t wlen,
		   char *why, size_t whylen)
{
	char path[PATH_MAX];
	union bpf_attr a;
	struct devkey cur, next;
	bool first = true;
	int fd;

	snprintf(path, sizeof(path), "%s%s/%s", strcmp(root, "/") ? root : "", DEVCG_BPF_DIR, udev_tag);
	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	a.file_flags = BPF_F_RDONLY;
	fd = (int)sys_bpf(BPF_OBJ_GET, &a);
	if (fd < 0) {
		if (errno != ENOENT)
			snprintf(why, whylen, "cannot open the device map %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(where, wlen, "cgroup v2 map %s", path);
	for (size_t i = 0; i < 4 * DC_MAX; i++) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd;
		a.key = first ? 0 : (uintptr_t)&cur;
		a.next_key = (uintptr_t)&next;
		if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &a) < 0)
			break;
		first = false;
		cur = next;
		if (next.type == 'c' || next.type == 'b')
			devset_add(s, (char)next.type, next.major, next.minor);
	}
	close(fd);
	return 0;
}

static bool always_on(const struct dev *d)
{
	for (size_t i = 0; i < devcg_always_n; i++)
		if (devcg_always[i].type == d->type && devcg_always[i].major == d->major &&
		    (devcg_always[i].minor == d->minor || devcg_always[i].minor == DEVCG_MINOR_ANY))
			return true;
	return false;
}

static void devid(const struct dev *d, char *buf, size_t len)
{
	if (d->minor == DEVCG_MINOR_ANY)
		snprintf(buf, len, "%c%u:*", d->type, d->major);
	else
		snprintf(buf, len, "%c%u:%u", d->type, d->major, d->minor);
}

static int check_app(const char *root, const char *snap, const char *app, const struct rule *rules,
		     size_t nrules, FILE *f)
{
	char sectag[TAG_MAX + 1], udev[TAG_MAX + 1], where[PATH_MAX + 32] = "", why[PATH_MAX + 64] = "",
								      id[32];
	static struct devset matched, tagged, sticky, cg;
	bool helper = false, have_cg;
	size_t nr = 0;
	int problems = 0;

	snprintf(sectag, sizeof(sectag), "snap.%.51s.%.64s", snap, app);
	devcg_udev_tag(sectag, udev, sizeof(udev));
	memset(&matched, 0, sizeof(matched));
	memset(&tagged, 0, sizeof(tagged));
	memset(&sticky, 0, sizeof(sticky));
	memset(&cg, 0, sizeof(cg));
	fprintf(f, "%s:\n", sectag);
	for (size_t i = 0; i < nrules; i++) {
		char unknown[64] = "";
		size_t before = matched.n;

		if (rules[i].helper) {
			helper |= !strcmp(rules[i].helper_tag, udev);
			continue;
		}
		if (strcmp(rules[i].tag, udev))
			continue;
		nr++;
		fprintf(f, "  rule at line %u: %s\n", rules[i].line, rules[i].keys);
		rule_devices(root, &rules[i], &matched, unknown, sizeof(unknown), f);
		if (unknown[0])
			fprintf(f, "    (%s cannot be evaluated here: taken as matching)\n", unknown);
		if (matched.n == before)
			fprintf(f, "    rule at line %u matches no device of this machine now\n",
				rules[i].line);
	}
	if (!nr)
		fprintf(f, "  no udev rule tags devices for it\n");
	if (nr && !helper) {
		fprintf(f,
			"  MISSING: no rule runs snap-device-helper for %s: devices that come later never "
			"reach "
			"a running app\n",
			udev);
		problems++;
	}
	if (read_tags(root, udev, &tagged, &sticky) < 0)
		fprintf(f, "  udev tagged nothing for it (%s/%s does not exist)\n", UDEV_TAGS_DIR, udev);
	else {
		fprintf(f, "  udev tagged (%s/%s):", UDEV_TAGS_DIR, udev);
		for (size_t i = 0; i < tagged.n; i++) {
			devid(&tagged.d[i], id, sizeof(id));
			fprintf(f, " %s", id);
		}
		fprintf(f, "%s\n", tagged.n ? "" : " nothing");
		for (size_t i = 0; i < sticky.n; i++) {
			devid(&sticky.d[i], id, sizeof(id));
			fprintf(f,
				"  %s was tagged once, but its rules no longer tag it (not among its current "
				"tags in /run/udev/data/%s): not the app's\n",
				id, id);
		}
	}
	for (size_t i = 0; i < matched.n; i++)
		if (!devset_has(&tagged, &matched.d[i])) {
			devid(&matched.d[i], id, sizeof(id));
			fprintf(f,
				"  MISSING: %s matches a rule but udev did not tag it (udevadm trigger "
				"--action=add, "
				"or udevd does not run)\n",
				id);
			problems++;
		}
	have_cg = read_v2(root, udev, &cg, where, sizeof(where), why, sizeof(why)) == 0 ||
		  read_v1(root, sectag, &cg, where, sizeof(where)) == 0;
	if (why[0]) {
		fprintf(f, "  MISSING: %s\n", why);
		problems++;
	}
	if (!have_cg) {
		fprintf(f, "  no device cgroup yet (snap-confine makes it when the app starts; no launch "
			   "since boot?)\n");
	} else {
		size_t extra = 0;

		fprintf(f, "  device cgroup (%s): %s%zu entries\n", where, cg.all ? "every device, " : "",
			cg.n);
		for (size_t i = 0; i < tagged.n; i++)
			if (!devset_allows(&cg, &tagged.d[i])) {
				devid(&tagged.d[i], id, sizeof(id));
				fprintf(f,
					"  MISSING: %s is tagged but the device cgroup does not allow it "
					"(snap-device-helper did not run; starting the app again adds it)\n",
					id);
				problems++;
			}
		for (size_t i = 0; i < cg.n; i++)
			if (!always_on(&cg.d[i]) && !devset_allows(&tagged, &cg.d[i])) {
				devid(&cg.d[i], id, sizeof(id));
				fprintf(f,
					"  STALE: the device cgroup allows %s, which is no longer tagged\n",
					id);
				extra++;
			}
		problems += (int)extra;
		for (size_t i = 0; i < devcg_always_n; i++) {
			struct dev d = { devcg_always[i].type, devcg_always[i].major, devcg_always[i].minor };

			if (!devset_has(&cg, &d) && !cg.all) {
				devid(&d, id, sizeof(id));
				fprintf(f, "  MISSING: the always-on device %s is not allowed\n", id);
				problems++;
			}
		}
	}
	fprintf(f, "  %s\n", problems ? "problems found" : "ok");
	return problems;
}

static bool listed(char (*apps)[APP_NAME_MAX + 1], size_t n, const char *a)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(apps[i], a))
			return true;
	return false;
}

/* the app of a udev tag of snap: snap_<snap>_<app> */
static bool app_of_udev_tag(const char *snap, const char *udev, char *app, size_t len)
{
	char sectag[TAG_MAX + 1], why[128], prefix[TAG_MAX + 8];
	struct sc_tag t;

	snprintf(prefix, sizeof(prefix), "snap.%s.", snap);
	if (devcg_security_tag(udev, sectag, sizeof(sectag), why, sizeof(why)) ||
	    strncmp(sectag, prefix, strlen(prefix)) || tag_parse(sectag, &t, why, sizeof(why)) || t.hook)
		return false;
	snprintf(app, len, "%s", t.app);
	return true;
}

int devcheck_run(const char *root, const char *what, FILE *f, struct diag *err)
{
	static struct rule rules[RULES_MAX];
	static char apps[64][APP_NAME_MAX + 1];
	char snap[SNAP_NAME_MAX + INSTANCE_KEY_MAX + 2] = "", app[APP_NAME_MAX + 1] = "", why[128];
	char path[PATH_MAX], *text = NULL, name[SNAP_NAME_MAX + 1], key[INSTANCE_KEY_MAX + 1], tagprefix[80];
	const char *dot = strchr(what, '.');
	size_t nrules = 0, napps = 0, len;
	struct diag e;
	int problems = 0;
	DIR *d;

	if ((dot ? (size_t)(dot - what) : strlen(what)) >= sizeof(snap))
		return diag_set(err, "'%s' is no snap (SNAP or SNAP.APP)", what);
	snprintf(snap, sizeof(snap), "%.*s", dot ? (int)(dot - what) : (int)strlen(what), what);
	if (!instance_name_split(snap, name, sizeof(name), key, sizeof(key), why, sizeof(why)))
		return diag_set(err, "'%s' is no snap: %s", snap, why);
	if (dot) {
		if (strlen(dot + 1) >= sizeof(app) || !app_name_valid(dot + 1, why, sizeof(why)))
			return diag_set(err, "'%s' is no app name: %s", dot + 1, why);
		snprintf(app, sizeof(app), "%s", dot + 1);
	}
	snprintf(path, sizeof(path), "%s/etc/udev/rules.d/70-snap.%s.rules", strcmp(root, "/") ? root : "",
		 snap);
	if (file_read_all(path, 1 << 20, &text, &len, &e)) {
		fprintf(f, "snap %s: MISSING: no udev rules (%s): nothing assigns devices to it\n", snap,
			e.msg);
		problems++;
	} else {
		nrules = parse_rules(text, rules, RULES_MAX);
		fprintf(f, "snap %s: udev rules %s\n", snap, path);
		free(text);
	}
	/* the apps: the one asked for, else every one the rules or the tags name */
	if (app[0]) {
		snprintf(apps[napps++], sizeof(apps[0]), "%s", app);
	} else {
		for (size_t i = 0; i < nrules && napps < 64; i++) {
			char a[APP_NAME_MAX + 1];

			if (app_of_udev_tag(snap, rules[i].helper ? rules[i].helper_tag : rules[i].tag, a,
					    sizeof(a)) &&
			    !listed(apps, napps, a))
				snprintf(apps[napps++], sizeof(apps[0]), "%s", a);
		}
		snprintf(path, sizeof(path), "%s%s", strcmp(root, "/") ? root : "", UDEV_TAGS_DIR);
		snprintf(tagprefix, sizeof(tagprefix), "snap_%s_", snap);
		if ((d = opendir(path))) {
			struct dirent *de;

			while ((de = readdir(d)) && napps < 64) {
				char a[APP_NAME_MAX + 1];

				if (!strncmp(de->d_name, tagprefix, strlen(tagprefix)) &&
				    app_of_udev_tag(snap, de->d_name, a, sizeof(a)) &&
				    !listed(apps, napps, a))
					snprintf(apps[napps++], sizeof(apps[0]), "%s", a);
			}
			closedir(d);
		}
	}
	if (!napps)
		fprintf(f, "no app of %s has devices assigned\n", snap);
	for (size_t i = 0; i < napps; i++)
		problems += check_app(root, snap, apps[i], rules, nrules, f);
	fprintf(f, "%d problem%s\n", problems, problems == 1 ? "" : "s");
	return problems;
}
