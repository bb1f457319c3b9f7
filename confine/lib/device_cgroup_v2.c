// SPDX-License-Identifier: GPL-3.0-only
/*
 * Device cgroups, v2 (device_cgroup.h): a BPF_PROG_TYPE_CGROUP_DEVICE
 * program attached to the app's cgroup, deciding from a hash map pinned in
 * the bpf filesystem that snap-device-helper updates.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "device_cgroup.h"
#include "fileio.h"
#include "path_walk.h"
#include "sc_log.h"
#include "tag.h"

#define BPF_FS_MAGIC_NR 0xcafe4a11
#define DEVMAP_MAX	500
/* the entries a launch wants: the always-on set (at most 32), then the tagged devices */
#define WANT_MAX (32 + DEVCG_TAGGED_MAX)

/* snapd's map key: 9 bytes, packed */
struct devkey {
	uint8_t type;
	uint32_t major;
	uint32_t minor;
} __attribute__((packed));

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int obj_get(const char *path)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	a.file_flags = 0;
	return (int)sys_bpf(BPF_OBJ_GET, &a);
}

static int map_op(int cmd, int fd, const struct devkey *key, void *value_or_next, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uintptr_t)key;
	if (cmd == BPF_MAP_GET_NEXT_KEY)
		a.next_key = (uintptr_t)value_or_next;
	else
		a.value = (uintptr_t)value_or_next;
	a.flags = flags;
	return (int)sys_bpf(cmd, &a);
}

static int map_set(int fd, struct devkey k, bool allow)
{
	uint8_t one = 1;

	if (allow)
		return map_op(BPF_MAP_UPDATE_ELEM, fd, &k, &one, BPF_ANY);
	if (map_op(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

static struct devkey key_of(char type, unsigned major, unsigned minor)
{
	struct devkey k = { .type = (uint8_t)type, .major = major, .minor = minor };

	return k;
}

static void map_path(const char *sectag, char *path, size_t len)
{
	char udev[TAG_MAX + 1];

	/* bpffs names take no dots: the udev tag, as snapd does */
	devcg_udev_tag(sectag, udev, sizeof(udev));
	snprintf(path, len, "%s/%s", DEVCG_BPF_DIR, udev);
}

int devcg_v2_update(const char *sectag, char type, unsigned major, unsigned minor, bool allow, bool *missing,
		    struct diag *err)
{
	char path[300];
	int fd, rc;

	*missing = false;
	map_path(sectag, path, sizeof(path));
	fd = obj_get(path);
	if (fd < 0) {
		if (errno == ENOENT) {
			*missing = true;
			return 0;
		}
		return diag_errno(err, "cannot open the device map %s", path);
	}
	rc = map_set(fd, key_of(type, major, minor), allow);
	close(fd);
	if (rc < 0)
		return diag_errno(err, "cannot %s %c %u:%u in %s", allow ? "allow" : "deny", type, major,
				  minor, path);
	return 0;
}

/* one instruction */
static struct bpf_insn in(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };

	return i;
}

/*
 * The program, given struct bpf_cgroup_dev_ctx in r1, returns 1 (allow) when
 * the map has {type, major, minor} or {type, major, any}, 0 otherwise. The
 * key lives at fp-17 so that its two u32 fields are 4-byte aligned.
 */
static int load_prog(int map_fd, struct diag *err)
{
	enum { KEY = -17, K_MAJ = 1, K_MIN = 5 };
	const uint8_t LDXW = BPF_LDX | BPF_MEM | BPF_W, STXW = BPF_STX | BPF_MEM | BPF_W;
	const uint8_t LDMAP = BPF_LD | BPF_DW | BPF_IMM;
	struct bpf_insn p[40];
	int n = 0;
	union bpf_attr a;
	char log[2048];
	long fd;

	p[n++] = in(BPF_ALU64 | BPF_MOV | BPF_X, 6, 10, 0, 0);	/* r6 = fp */
	p[n++] = in(BPF_ALU64 | BPF_ADD | BPF_K, 6, 0, 0, KEY); /* r6 = &key */
	p[n++] = in(LDXW, 2, 1, offsetof(struct bpf_cgroup_dev_ctx, major), 0);
	p[n++] = in(STXW, 6, 2, K_MAJ, 0);
	p[n++] = in(LDXW, 2, 1, offsetof(struct bpf_cgroup_dev_ctx, minor), 0);
	p[n++] = in(STXW, 6, 2, K_MIN, 0);
	p[n++] = in(LDXW, 2, 1, offsetof(struct bpf_cgroup_dev_ctx, access_type), 0);
	p[n++] = in(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff); /* the device type half */
	p[n++] = in(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 'c');
	p[n++] = in(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 3, BPF_DEVCG_DEV_CHAR); /* -> store */
	p[n++] = in(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 'b');
	p[n++] = in(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1, BPF_DEVCG_DEV_BLOCK); /* -> store */
	p[n++] = in(BPF_JMP | BPF_JA, 0, 0, 12, 0);			      /* neither: -> deny */
	p[n++] = in(BPF_STX | BPF_MEM | BPF_B, 6, 3, 0, 0);		      /* store: key.type */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) /* not found: the whole major? */
			p[n++] = in(BPF_ST | BPF_MEM | BPF_W, 6, 0, K_MIN, (int32_t)DEVCG_MINOR_ANY);
		p[n++] = in(LDMAP, 1, BPF_PSEUDO_MAP_FD, 0, map_fd);
		p[n++] = in(0, 0, 0, 0, 0);
		p[n++] = in(BPF_ALU64 | BPF_MOV | BPF_X, 2, 6, 0, 0);
		p[n++] = in(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		p[n++] = in(BPF_JMP | BPF_JNE | BPF_K, 0, 0, pass == 0 ? 8 : 2, 0); /* -> allow */
	}
	p[n++] = in(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0); /* deny */
	p[n++] = in(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	p[n++] = in(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1); /* allow */
	p[n++] = in(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uintptr_t)p;
	a.insn_cnt = (uint32_t)n;
	a.license = (uintptr_t) "GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return (int)fd;
	/* again, with the verifier's reasons */
	log[0] = '\0';
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return (int)fd;
	for (char *c = log; *c; c++)
		if (*c == '\n')
			*c = ' ';
	return diag_errno(err, "cannot load the device cgroup program (%s)", log);
}

/* the map of the app: reused when pinned, else created and pinned (*created) */
static int open_map(const char *path, bool *created, struct diag *err)
{
	struct statfs sfs;
	union bpf_attr a;
	int fd;

	if (statfs(DEVCG_BPF_FS, &sfs) < 0 || (unsigned long)sfs.f_type != BPF_FS_MAGIC_NR)
		return diag_set(err, "%s is not a bpf filesystem (mount -t bpf bpf %s)", DEVCG_BPF_FS,
				DEVCG_BPF_FS);
	if (mkdir(DEVCG_BPF_DIR, 0700) < 0 && errno != EEXIST)
		return diag_errno(err, "cannot create %s", DEVCG_BPF_DIR);
	*created = false;
	for (int tries = 0; tries < 2; tries++) {
		fd = obj_get(path);
		if (fd >= 0 || errno != ENOENT)
			break;
		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_HASH;
		a.key_size = sizeof(struct devkey);
		a.value_size = 1;
		a.max_entries = DEVMAP_MAX;
		fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
		if (fd < 0)
			return diag_errno(err, "cannot create the device map for %s", path);
		memset(&a, 0, sizeof(a));
		a.pathname = (uintptr_t)path;
		a.bpf_fd = (uint32_t)fd;
		if (sys_bpf(BPF_OBJ_PIN, &a) == 0) {
			*created = true;
			return fd;
		}
		close(fd);
		fd = -1;
		if (errno != EEXIST) /* EEXIST: a concurrent launch pinned its map first: use that one */
			break;
	}
	if (fd < 0)
		return diag_errno(err, "cannot open the device map %s", path);
	return fd;
}

/*
 * The keys of the map into keys[] (at most max, the maps' max_entries): their
 * number, or -1 with errno. One BPF_MAP_LOOKUP_BATCH (Linux >= 5.6) for the
 * whole map; a kernel without it for hash maps, one BPF_MAP_GET_NEXT_KEY a key.
 */
static long map_keys(int fd, struct devkey *keys, size_t max)
{
	uint8_t values[DEVMAP_MAX];
	struct devkey token; /* the batch's position: a key's size, as the kernel asks */
	union bpf_attr a;
	size_t got = 0;

	memset(&a, 0, sizeof(a));
	a.batch.map_fd = (uint32_t)fd;
	a.batch.out_batch = (uintptr_t)&token;
	a.batch.keys = (uintptr_t)keys;
	a.batch.values = (uintptr_t)values;
	a.batch.count = (uint32_t)max;
	/* ENOENT: the end reached, the count is what was read */
	if (sys_bpf(BPF_MAP_LOOKUP_BATCH, &a) == 0 || errno == ENOENT)
		return (long)a.batch.count;
	if (errno != EINVAL && errno != EOPNOTSUPP && errno != 524 /* ENOTSUPP */)
		return -1;
	while (got < max && map_op(BPF_MAP_GET_NEXT_KEY, fd, got ? &keys[got - 1] : NULL, &keys[got], 0) == 0)
		got++;
	return (long)got;
}

/*
 * The map holds exactly want[]: its keys are read first, then the missing
 * entries added (a hot launch, whose map is complete, writes nothing), then
 * stale ones removed; an entry of a device tagged for the app (udev_tag)
 * since want[] was read stays: snap-device-helper added it.
 */
static int map_sync(int fd, const struct devkey *want, size_t n, const char *udev_tag, const char *path,
		    struct diag *err)
{
	struct devkey keys[DEVMAP_MAX], stale[DEVMAP_MAX];
	bool present[WANT_MAX] = { false };
	size_t nstale = 0;
	long nkeys = map_keys(fd, keys, DEVMAP_MAX);

	if (nkeys < 0)
		return diag_errno(err, "cannot read the device map %s", path);
	for (long k = 0; k < nkeys; k++) {
		bool wanted = false;

		/* (a tagged device may repeat an always-on entry: each copy is present) */
		for (size_t i = 0; i < n; i++)
			if (!memcmp(&keys[k], &want[i], sizeof(keys[k])))
				wanted = present[i] = true;
		if (wanted)
			continue;
		if (keys[k].minor != DEVCG_MINOR_ANY &&
		    devcg_tagged_now(udev_tag, (char)keys[k].type, keys[k].major, keys[k].minor))
			continue;
		stale[nstale++] = keys[k];
	}
	for (size_t i = 0; i < n; i++)
		if (!present[i] && map_set(fd, want[i], true) < 0)
			return diag_errno(err, "cannot allow %c %u:%u in %s", want[i].type, want[i].major,
					  want[i].minor, path);
	for (size_t i = 0; i < nstale; i++) {
		if (map_set(fd, stale[i], false) < 0)
			return diag_errno(err, "cannot remove %c %u:%u from %s", stale[i].type,
					  stale[i].major, stale[i].minor, path);
		sc_debug("device map %s: removed stale %c %u:%u", path, stale[i].type, stale[i].major,
			 stale[i].minor);
	}
	return 0;
}

/*
 * Where the app's cgroup goes: below the caller's own (the "0::" line of
 * /proc/self/cgroup), so that every limit of the caller's cgroup and its
 * ancestors (a service's, a user's slice) still holds for the app, and a
 * service manager that stops the caller's cgroup stops the app too. A
 * caller that is itself an app (a cgroup named snap.*) starts the app beside
 * it, in the same parent.
 */
static int caller_cgroup(char *buf, size_t len, struct diag *err)
{
	char *text, *line, *end, *last;
	size_t n;

	if (file_read_all("/proc/self/cgroup", 64 * 1024, &text, &n, err))
		return -1;
	for (line = text; line && strncmp(line, "0::", 3); line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		;
	if (!line) {
		free(text);
		return diag_set(err, "/proc/self/cgroup has no cgroup2 line (0::)");
	}
	line += 3;
	end = strchr(line, '\n');
	if (end)
		*end = '\0';
	last = strrchr(line, '/');
	if (last && !strncmp(last + 1, "snap.", 5))
		*(last == line ? last + 1 : last) = '\0';
	if (!pw_clean(line) || (size_t)snprintf(buf, len, "%s", line) >= len) {
		diag_set(err, "the caller's cgroup '%.200s' is not a clean path", line);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

int devcg_v2_setup(const char *v2_root, const char *sectag, pid_t pid, struct diag *err)
{
	char parent[1024], dir[1400], path[300], udev[TAG_MAX + 1], type[DEVCG_TAGGED_MAX], num[24];
	struct devkey want[WANT_MAX];
	unsigned major[DEVCG_TAGGED_MAX], minor[DEVCG_TAGGED_MAX];
	size_t n = 0, nt = 0;
	int map = -1, prog = -1, cg = -1, procs = -1, rc = -1, pfd;
	struct pw_root root = { .prefix = v2_root };
	bool created = false, cg_created;
	union bpf_attr a;

	devcg_udev_tag(sectag, udev, sizeof(udev));
	if (caller_cgroup(parent, sizeof(parent), err))
		return -1;
	snprintf(dir, sizeof(dir), "%s%s/%s", v2_root, strcmp(parent, "/") ? parent : "", sectag);
	root.fd = open(v2_root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	pfd = root.fd < 0 ? -1 : pw_open(&root, parent, O_PATH | O_DIRECTORY, err);
	if (root.fd >= 0)
		close(root.fd);
	if (pfd < 0)
		return err->msg[0] ? -1 : diag_errno(err, "cannot open %s", v2_root);
	cg_created = mkdirat(pfd, sectag, 0755) == 0;
	if (!cg_created && errno != EEXIST) {
		close(pfd);
		return diag_errno(err, "cannot create the cgroup %s", dir);
	}
	cg = openat(pfd, sectag, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cg < 0) {
		diag_errno(err, "cannot open the cgroup %s", dir);
		goto out;
	}
	map_path(sectag, path, sizeof(path));
	map = open_map(path, &created, err);
	if (map < 0)
		goto out;
	/*
	 * The tags are read once the map exists: udev writes a device's tag
	 * before its rules run snap-device-helper, so a device tagged while
	 * this launch runs (udev's coldplug at boot, a hotplug) is either read
	 * here or added by the helper, which finds the map.
	 */
	for (size_t i = 0; i < devcg_always_n && i < WANT_MAX - DEVCG_TAGGED_MAX; i++)
		want[n++] = key_of(devcg_always[i].type, devcg_always[i].major, devcg_always[i].minor);
	if (devcg_tags_for(sectag, type, major, minor, &nt, err))
		goto out;
	for (size_t i = 0; i < nt; i++) {
		want[n++] = key_of(type[i], major[i], minor[i]);
		sc_debug("device map %s: allowed %c %u:%u (tagged by udev)", udev, type[i], major[i],
			 minor[i]);
	}
	if (map_sync(map, want, n, udev, path, err))
		goto out;
	/*
	 * An earlier launch's program decides from this same map when the map
	 * was there already and the cgroup has a device program: nothing to
	 * load. Otherwise load ours; attached without flags, it replaces
	 * whatever program the cgroup had.
	 */
	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cg;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	if (!created && sys_bpf(BPF_PROG_QUERY, &a) == 0 && a.query.prog_cnt > 0) {
		sc_debug("device program of %s already attached", dir);
		goto move;
	}
	prog = load_prog(map, err);
	if (prog < 0)
		goto out;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	if (sys_bpf(BPF_PROG_ATTACH, &a) < 0) {
		diag_errno(err, "cannot attach the device program to %s", dir);
		goto out;
	}
move:
	procs = openat(cg, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	snprintf(num, sizeof(num), "%d", (int)pid);
	if (procs < 0 || write(procs, num, strlen(num)) != (ssize_t)strlen(num)) {
		diag_errno(err, "cannot move %d into %s", (int)pid, dir);
		goto out;
	}
	sc_debug("in the device cgroup %s (%zu tagged devices)", dir, nt);
	rc = 0;
out:
	/* refused before anything ran in them: a map and a cgroup this launch created go again */
	if (rc && created && unlink(path) < 0)
		sc_debug("cannot unpin %s: %s", path, strerror(errno));
	if (rc && cg_created && unlinkat(pfd, sectag, AT_REMOVEDIR) < 0)
		sc_debug("cannot remove the cgroup %s: %s", dir, strerror(errno));
	close(pfd);
	if (procs >= 0)
		close(procs);
	if (cg >= 0)
		close(cg);
	if (prog >= 0)
		close(prog);
	if (map >= 0)
		close(map);
	return rc;
}
