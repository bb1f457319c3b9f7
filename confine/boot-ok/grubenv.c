// SPDX-License-Identifier: GPL-3.0-only
/*
 * boot-ok's GRUB layout (the pc; docs/formats.md, "GRUB boot state"): the
 * boot state twice on the ESP, grubenv and grubenv-redund, each a GRUB
 * environment block (1024 bytes: "# GRUB Environment Block\n", name=value
 * lines, '#' padding) with a sha256sum line in NAME.sha256, and its last
 * variable snap_state: the state's values joined with ':' (state_vars), the
 * check that Debian's signed GRUB, which has no hashsum, can make with
 * test. A copy is good when the line names it, its digest matches and its
 * snap_state is its values; of two good copies the higher snap_gen is
 * current (grubenv on a tie). GRUB (board/pc/grub.cfg)
 * never writes them: it notes a try it starts in grubenv-try and puts
 * snap_mode=trying on the kernel command line of that boot only.
 *
 * Here, once the boot got this far:
 *   snap_mode=try and snap_mode=trying on /proc/cmdline
 *                     the try booted: snap_kernel and snap_core take
 *                     snap_try_kernel and snap_try_core (each when set);
 *                     the try variables and snap_mode are cleared
 *   otherwise         the try variables and snap_mode are cleared (a try
 *                     GRUB fell back from, or dropped for a bad copy)
 *   one copy bad      rewritten with the current state
 * A change is written with snap_gen + 1 and its snap_state (the last line)
 * to both copies, the one that is
 * not current (or is bad) first, each file fsynced before the next; GRUB
 * reads the current one until the other is whole, then the newer one.
 */
#include "grubenv.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENV_SIZE   1024
#define ENV_HEADER "# GRUB Environment Block\n"
#define MAX_VARS   32

static const char *const copy_names[2] = { "grubenv", "grubenv-redund" };
/* the variables GRUB reads, in the order of snap_state's fields */
static const char *const state_vars[] = { "snap_gen",  "snap_mode",	"snap_kernel",	  "snap_try_kernel",
					  "snap_core", "snap_try_core", "snap_extra_args" };

struct env {
	int n;
	char name[MAX_VARS][64];
	char value[MAX_VARS][ENV_SIZE];
};

/* the GRUB boot state's checksums (sha256sum's, and GRUB's hashsum) */
void grubenv_sha256_hex(const unsigned char *data, size_t len, char hex[65])
{
	sha256_hex_of(data, len, hex);
}

/* ---- the environment block */
static const char *env_get(const struct env *e, const char *name)
{
	for (int i = 0; i < e->n; i++)
		if (!strcmp(e->name[i], name))
			return e->value[i];
	return "";
}

/* NAME=VALUE ("" removes it); -1 when the block has no room for another */
static int env_set(struct env *e, const char *name, const char *value)
{
	int i = 0;

	while (i < e->n && strcmp(e->name[i], name))
		i++;
	if (!*value) {
		if (i < e->n) {
			e->n--;
			memmove(e->name[i], e->name[i + 1], sizeof(e->name[0]) * (size_t)(e->n - i));
			memmove(e->value[i], e->value[i + 1], sizeof(e->value[0]) * (size_t)(e->n - i));
		}
		return 0;
	}
	if (i == e->n) {
		if (e->n == MAX_VARS || strlen(name) >= sizeof(e->name[0]))
			return -1;
		snprintf(e->name[e->n++], sizeof(e->name[0]), "%s", name);
	}
	if (strlen(value) >= sizeof(e->value[0]))
		return -1;
	snprintf(e->value[i], sizeof(e->value[0]), "%s", value);
	return 0;
}

/* parses a block as GRUB does: lines starting with '#' are comments (the
 * padding too), others name=value with '\' escaping the next byte */
static int env_parse(struct env *e, const char *b, size_t len)
{
	size_t hl = strlen(ENV_HEADER), i;

	e->n = 0;
	if (len != ENV_SIZE || memcmp(b, ENV_HEADER, hl))
		return -1;
	for (i = hl; i < len;) {
		char name[64], value[ENV_SIZE];
		size_t nl = 0, vl = 0;

		if (b[i] == '#') {
			while (i < len && b[i] != '\n')
				i++;
			i++;
			continue;
		}
		while (i < len && b[i] != '=' && b[i] != '\n' && nl + 1 < sizeof(name))
			name[nl++] = b[i++];
		if (i == len || b[i] != '=' || !nl)
			return -1;
		name[nl] = 0;
		for (i++; i < len && b[i] != '\n'; i++) {
			if (b[i] == '\\' && i + 1 < len)
				i++;
			value[vl++] = b[i];
		}
		if (i == len)
			return -1;
		i++;
		value[vl] = 0;
		if (env_set(e, name, value) < 0)
			return -1;
	}
	return 0;
}

/* the block of E in B (ENV_SIZE bytes); -1 when it does not fit */
static int env_format(const struct env *e, char *b)
{
	size_t o = strlen(ENV_HEADER);

	memcpy(b, ENV_HEADER, o);
	for (int i = 0; i < e->n; i++) {
		size_t need = strlen(e->name[i]) + 2;

		for (const char *v = e->value[i]; *v; v++)
			need += (*v == '\\' || *v == '\n') ? 2 : 1;
		if (o + need > ENV_SIZE)
			return -1;
		o += (size_t)sprintf(b + o, "%s=", e->name[i]);
		for (const char *v = e->value[i]; *v; v++) {
			if (*v == '\\' || *v == '\n')
				b[o++] = '\\';
			b[o++] = *v;
		}
		b[o++] = '\n';
	}
	memset(b + o, '#', ENV_SIZE - o);
	return 0;
}

/* the snap_state of E's values into OUT (ENV_SIZE bytes); -1 when it does not fit */
static int state_of(const struct env *e, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < sizeof(state_vars) / sizeof(state_vars[0]); i++) {
		int w = snprintf(out + o, ENV_SIZE - o, "%s%s", i ? ":" : "", env_get(e, state_vars[i]));

		if (w < 0 || (size_t)w >= ENV_SIZE - o)
			return -1;
		o += (size_t)w;
	}
	return 0;
}

/* ---- the copies on the ESP */
/* reads at most CAP bytes of DIR's regular file NAME into BUF; its size, or -1 */
static ssize_t read_file(int dfd, const char *name, char *buf, size_t cap)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	ssize_t len = 0, r = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	while ((size_t)len < cap && (r = read(fd, buf + len, cap - (size_t)len)) > 0)
		len += r;
	close(fd);
	return r < 0 ? -1 : len;
}

/* copy NAME into E when its checksum file matches and it names a generation */
static int copy_read(int dfd, const char *name, struct env *e, unsigned long *gen)
{
	char b[ENV_SIZE + 1], sum[256], hex[65], want[256];
	ssize_t len = read_file(dfd, name, b, sizeof(b));
	ssize_t slen;
	char sumname[64], *end;
	const char *g;

	snprintf(sumname, sizeof(sumname), "%s.sha256", name);
	slen = read_file(dfd, sumname, sum, sizeof(sum) - 1);
	if (len != ENV_SIZE || slen < 0)
		return -1;
	sum[slen] = 0;
	grubenv_sha256_hex((unsigned char *)b, ENV_SIZE, hex);
	snprintf(want, sizeof(want), "%s  %s\n", hex, name);
	if (strcmp(sum, want) || env_parse(e, b, ENV_SIZE) < 0 || state_of(e, b) < 0 ||
	    strcmp(b, env_get(e, "snap_state")))
		return -1;
	g = env_get(e, "snap_gen");
	errno = 0;
	*gen = strtoul(g, &end, 10);
	return (*g < '0' || *g > '9' || *end || errno) ? -1 : 0;
}

static int write_all(int dfd, const char *name, const char *buf, size_t len)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t o = 0;
	int rc = -1;

	if (fd < 0)
		return -1;
	while (o < len) {
		ssize_t w = pwrite(fd, buf + o, len - o, (off_t)o);

		if (w <= 0)
			goto out;
		o += (size_t)w;
	}
	if (ftruncate(fd, (off_t)len) == 0 && fsync(fd) == 0)
		rc = 0;
out:
	close(fd);
	return rc;
}

/* the block B into copy NAME, then its checksum line, each synced */
static int copy_write(int dfd, const char *name, const char *b)
{
	char hex[65], sum[128], sumname[64];

	grubenv_sha256_hex((const unsigned char *)b, ENV_SIZE, hex);
	snprintf(sum, sizeof(sum), "%s  %s\n", hex, name);
	snprintf(sumname, sizeof(sumname), "%s.sha256", name);
	if (write_all(dfd, name, b, ENV_SIZE) < 0 || write_all(dfd, sumname, sum, strlen(sum)) < 0 ||
	    fsync(dfd) < 0) {
		fprintf(stderr, "boot-ok: cannot write the boot state copy %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

/* 1 when the kernel command line in CMDLINE holds the word snap_mode=trying */
static int booted_trying(const char *cmdline)
{
	char buf[4096];
	FILE *f = fopen(cmdline, "re");
	size_t len;
	int found = 0;

	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = 0;
	for (char *save = NULL, *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(w, "snap_mode=trying"))
			found = 1;
	return found;
}

/* snapd's mark-successful on E; returns 1 when it changed something */
static int mark_successful(struct env *e, int trying)
{
	static const char *const kinds[] = { "kernel", "core" };
	int changed = 0;

	trying = trying && !strcmp(env_get(e, "snap_mode"), "try");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char good[32], try[32], value[ENV_SIZE];

		snprintf(good, sizeof(good), "snap_%s", kinds[k]);
		snprintf(try, sizeof(try), "snap_try_%s", kinds[k]);
		snprintf(value, sizeof(value), "%s", env_get(e, try));
		if (!*value)
			continue;
		if (trying) {
			env_set(e, good, value);
			printf("boot-ok: committed the try-boot of %s (%s)\n", value, good);
		} else {
			printf("boot-ok: cleared %s=%s, left by a rollback\n", try, value);
		}
		env_set(e, try, "");
		changed = 1;
	}
	if (*env_get(e, "snap_mode")) {
		env_set(e, "snap_mode", "");
		changed = 1;
	}
	return changed;
}

int boot_try_refused(const char *name)
{
	fprintf(stderr, "boot-ok: cannot stage %s: this boot is a try-boot not yet marked good (snap_mode=trying)\n",
		name);
	return -1;
}

/* snap_try_<kind>=name and snap_mode=try in E (snap install of a kernel or base); -1: refused */
static int stage_try(struct env *e, const char *kind, const char *name, int trying)
{
	char var[32];

	/* a try being booted and not yet marked good (boot-ok commits it first) */
	if (trying && !strcmp(env_get(e, "snap_mode"), "try"))
		return boot_try_refused(name);
	snprintf(var, sizeof(var), "snap_try_%s", kind);
	if (env_set(e, var, name) < 0 || env_set(e, "snap_mode", "try") < 0) {
		fprintf(stderr, "boot-ok: the boot state does not fit in %d bytes\n", ENV_SIZE);
		return -1;
	}
	return 0;
}

int grubenv_boot_ok(const char *dir, const char *cmdline, int print, const char *try_kind,
		    const char *try_name)
{
	static struct env copies[2], e;
	unsigned long gen[2] = { 0, 0 };
	int ok[2], cur, dfd, rc = 1, changed;
	char b[ENV_SIZE];

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		fprintf(stderr, "boot-ok: cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (int i = 0; i < 2; i++)
		ok[i] = copy_read(dfd, copy_names[i], &copies[i], &gen[i]) == 0;
	if (!ok[0] && !ok[1]) {
		fprintf(stderr, "boot-ok: %s: neither grubenv nor grubenv-redund is a valid boot state\n",
			dir);
		goto out;
	}
	cur = ok[0] && ok[1] ? gen[1] > gen[0] : ok[1];
	e = copies[cur];
	if (print) {
		printf("snap_mode=%s snap_kernel=%s snap_try_kernel=%s snap_core=%s snap_try_core=%s (%s "
		       "current, %s %s, %s %s)\n",
		       env_get(&e, "snap_mode"), env_get(&e, "snap_kernel"), env_get(&e, "snap_try_kernel"),
		       env_get(&e, "snap_core"), env_get(&e, "snap_try_core"), copy_names[cur], copy_names[0],
		       ok[0] ? "good" : "bad", copy_names[1], ok[1] ? "good" : "bad");
		rc = 0;
		goto out;
	}
	if (try_kind) {
		if (stage_try(&e, try_kind, try_name, booted_trying(cmdline)) < 0)
			goto out;
		changed = 1;
	} else {
		changed = mark_successful(&e, booted_trying(cmdline));
	}
	if (!changed && ok[0] && ok[1]) {
		rc = 0;
		goto out;
	}
	if (!ok[0] || !ok[1])
		printf("boot-ok: repairing the bad copy %s of the boot state\n", copy_names[!cur]);
	/* snap_state after the values it checks (removed and set again: the block's last line) */
	snprintf(b, sizeof(b), "%lu", gen[cur] + 1);
	if (env_set(&e, "snap_gen", b) < 0 || env_set(&e, "snap_state", "") < 0 || state_of(&e, b) < 0 ||
	    env_set(&e, "snap_state", b) < 0 || env_format(&e, b) < 0) {
		fprintf(stderr, "boot-ok: the boot state does not fit in %d bytes\n", ENV_SIZE);
		goto out;
	}
	/* the copy that is not current (or is bad) first: until it is whole, GRUB reads the other */
	if (copy_write(dfd, copy_names[!cur], b) == 0 && copy_write(dfd, copy_names[cur], b) == 0)
		rc = 0;
out:
	close(dfd);
	return rc;
}
