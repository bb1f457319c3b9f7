// SPDX-License-Identifier: GPL-3.0-only
/*
 * AppArmor's features-keyed policy cache through libapparmor (aacache.h):
 * the subdirectory for a feature set named by libapparmor
 * (aa_policy_cache_dir_path_preview), filled by apparmor_parser -W
 * --cache-loc, its profiles loaded in one write through the kernel interface;
 * a single profile put in effect the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "iface/aacache.h"
#include "iface/iface_apply.h"

#ifdef CONFIG_CONFINE_APPARMOR
#include <sys/apparmor.h>

static int features_get(const char *file, aa_features **f, struct diag *err)
{
	int fd, rc;

	if (!file) {
		if (aa_features_new_from_kernel(f) < 0)
			return diag_errno(err, "cannot read the kernel's AppArmor features "
					       "(/sys/kernel/security/apparmor/features)");
		return 0;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(err, "cannot open the AppArmor features %s", file);
	rc = aa_features_new_from_file(f, fd);
	close(fd);
	return rc < 0 ? diag_errno(err, "%s: not AppArmor features", file) : 0;
}

/* res->dir: the subdirectory of cachedir for f */
static int subdir_of(aa_features *f, const char *cachedir, struct aacache_result *res, struct diag *err)
{
	char *p = aa_policy_cache_dir_path_preview(f, AT_FDCWD, cachedir);

	if (!p)
		return diag_errno(err, "%s: cannot name the cache subdirectory of these features", cachedir);
	snprintf(res->dir, sizeof(res->dir), "%s", p);
	free(p);
	return 0;
}

/* the name of a profile source's compiled file in the cache: the source's file name */
static const char *cache_name(const char *src)
{
	const char *slash = strrchr(src, '/');

	return slash ? slash + 1 : src;
}

/* 0: dir holds exactly the files of srcs, none older than its source; else why (in why) */
static int cache_fresh(const char *dir, const char *const *srcs, size_t n, char *why, size_t whylen)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	size_t files = 0;
	DIR *d;

	if (dfd < 0) {
		snprintf(why, whylen, "no cache for these features");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = cache_name(srcs[i]);
		struct stat s, c;

		if (stat(srcs[i], &s) < 0) {
			snprintf(why, whylen, "cannot stat the source %s: %s", srcs[i], strerror(errno));
			close(dfd);
			return -1;
		}
		if (fstatat(dfd, name, &c, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(c.st_mode) ||
		    c.st_mtim.tv_sec < s.st_mtim.tv_sec ||
		    (c.st_mtim.tv_sec == s.st_mtim.tv_sec && c.st_mtim.tv_nsec < s.st_mtim.tv_nsec)) {
			snprintf(why, whylen, "%s is missing or older than its source", name);
			close(dfd);
			return -1;
		}
	}
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		snprintf(why, whylen, "cannot list it");
		return -1;
	}
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			files++;
	closedir(d);
	if (files != n) {
		snprintf(why, whylen, "%zu files for %zu sources", files, n);
		return -1;
	}
	return 0;
}

/* dir (flat: files only) and what it holds removed */
static void remove_flat(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dfd, e->d_name, 0);
	closedir(d);
	rmdir(dir);
}

/* every source compiled into a scratch cache, its subdirectory then moved to res->dir */
static int compile_all(const char *cachedir, const char *features_file, const char *parser,
		       const char *const *srcs, size_t n, struct aacache_result *res, struct diag *err)
{
	char scratch[4200], made[8400], old[4200];
	const char *base = strrchr(res->dir, '/') + 1;
	char **argv = calloc(n + 10, sizeof(*argv));
	size_t k = 0;
	int rc;

	if (!argv)
		return diag_set(err, "out of memory");
	snprintf(scratch, sizeof(scratch), "%s/.new", cachedir);
	snprintf(old, sizeof(old), "%s/.old", cachedir);
	snprintf(made, sizeof(made), "%s/%s", scratch, base);
	remove_flat(made);
	rmdir(scratch);
	remove_flat(old);
	argv[k++] = (char *)parser;
	argv[k++] = (char *)"-Q";
	argv[k++] = (char *)"-W";
	argv[k++] = (char *)"-T";
	argv[k++] = (char *)"--cache-loc";
	argv[k++] = scratch;
	if (features_file) {
		argv[k++] = (char *)"-M";
		argv[k++] = (char *)features_file;
	}
	for (size_t i = 0; i < n; i++)
		argv[k++] = (char *)srcs[i];
	rc = iface_run(argv, err);
	free(argv);
	if (rc) {
		char why[DIAG_MAX];

		snprintf(why, sizeof(why), "%s", err->msg);
		diag_set(err, "%s: cannot compile the AppArmor profiles: %s", res->dir, why);
	} else if (cache_fresh(made, srcs, n, old, sizeof(old))) {
		diag_set(err, "%s: apparmor_parser left no complete cache for these features: %s", made, old);
		rc = -1;
	} else if (rename(res->dir, old) < 0 && errno != ENOENT) {
		diag_errno(err, "cannot move %s aside", res->dir);
		rc = -1;
	} else if (rename(made, res->dir) < 0) {
		diag_errno(err, "cannot move %s to %s", made, res->dir);
		rc = -1;
	}
	snprintf(old, sizeof(old), "%s/.old", cachedir);
	remove_flat(old);
	remove_flat(made);
	rmdir(scratch);
	if (!rc)
		res->compiled = true;
	return rc;
}

/* size bytes of fd into p; a file shorter than that: EIO */
static int read_exactly(int fd, char *p, size_t size)
{
	while (size) {
		ssize_t got = read(fd, p, size);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (!got)
				errno = EIO;
			return -1;
		}
		p += got;
		size -= got;
	}
	return 0;
}

/*
 * 0: the cache subdirectory dfd has a .features file that holds f (its name
 * is only a hash of them; libapparmor names another subdirectory when one of
 * that hash holds other features, not when it has none)
 */
static int same_features(int dfd, aa_features *f)
{
	int fd = openat(dfd, ".features", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	aa_features *cf = NULL;
	int rc = -1;

	if (fd < 0)
		return -1;
	if (!aa_features_new_from_file(&cf, fd) && aa_features_is_equal(cf, f))
		rc = 0;
	aa_features_unref(cf);
	close(fd);
	return rc;
}

/*
 * dir's compiled profiles (the file of each of srcs) read into one buffer and
 * given to the kernel in one write, when the subdirectory's .features are f
 * (as libapparmor's aa_policy_cache_new checks): the kernel unpacks and
 * checks all of them before it replaces any, and does its per-load work (the
 * write, the raw data's copy and hash, the lock of the policy namespace) once,
 * not once a profile (libapparmor's aa_policy_cache_replace_all writes one
 * file at a time)
 */
static int load_together(aa_features *f, const char *dir, const char *const *srcs, size_t n, struct diag *err)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	aa_kernel_interface *ki = NULL;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc = -1;

	if (dfd < 0)
		return diag_errno(err, "cannot open %s", dir);
	if (same_features(dfd, f)) {
		diag_set(err, "%s: its .features are not the running kernel's AppArmor features", dir);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = cache_name(srcs[i]);
		int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;

		if (fd < 0 || fstat(fd, &st) < 0) {
			diag_errno(err, "%s/%s: cannot read the compiled profile", dir, name);
			if (fd >= 0)
				close(fd);
			goto out;
		}
		if (!S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
			diag_set(err, "%s/%s: the compiled profile is not a regular file of at most 64 MiB",
				 dir, name);
			close(fd);
			goto out;
		}
		if (len + (size_t)st.st_size > cap) {
			size_t want = cap ? cap : 64 << 10;
			char *grown;

			while (want < len + (size_t)st.st_size)
				want *= 2;
			grown = realloc(buf, want);
			if (!grown) {
				close(fd);
				diag_set(err, "out of memory");
				goto out;
			}
			buf = grown;
			cap = want;
		}
		if (read_exactly(fd, buf + len, st.st_size) < 0) {
			diag_errno(err, "%s/%s: cannot read the compiled profile", dir, name);
			close(fd);
			goto out;
		}
		close(fd);
		len += st.st_size;
	}
	if (aa_kernel_interface_new(&ki, f, NULL) < 0) {
		diag_errno(err, "%s: no kernel interface to load the profiles through", dir);
		goto out;
	}
	if (aa_kernel_interface_replace_policy(ki, buf, len) < 0) {
		diag_errno(err,
			   "%s: the kernel refused its %zu profiles, given in one load (its log names the "
			   "profile)",
			   dir, n);
		goto out;
	}
	rc = 0;
out:
	aa_kernel_interface_unref(ki);
	free(buf);
	close(dfd);
	return rc;
}

int aacache_update(const char *cachedir, const char *features_file, const char *parser,
		   const char *const *srcs, size_t n, bool load, struct aacache_result *res, struct diag *err)
{
	aa_features *f = NULL;
	char why[512];
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (features_get(features_file, &f, err))
		return -1;
	if (mkdir(cachedir, 0755) < 0 && errno != EEXIST) {
		diag_errno(err, "cannot make the cache directory %s", cachedir);
		goto out;
	}
	if (subdir_of(f, cachedir, res, err))
		goto out;
	res->profiles = n;
	if (cache_fresh(res->dir, srcs, n, why, sizeof(why))) {
		if (!parser) {
			diag_set(err, "%s: %s, and no apparmor_parser to compile them", res->dir, why);
			goto out;
		}
		if (compile_all(cachedir, features_file, parser, srcs, n, res, err))
			goto out;
	}
	rc = 0;
	if (!load)
		goto out;
	rc = load_together(f, res->dir, srcs, n, err);
	res->loaded = !rc;
out:
	aa_features_unref(f);
	return rc;
}

int aacache_replace_live(const char *cachedir, const char *name, const char *bin, struct diag *err)
{
	aa_features *f = NULL;
	aa_kernel_interface *ki = NULL;
	struct aacache_result res;
	char path[4200], *text = NULL;
	size_t len;
	int rc = -1;

	if (features_get(NULL, &f, err))
		return -1;
	if (aa_kernel_interface_new(&ki, f, NULL) < 0) {
		diag_errno(err, "the AppArmor profile %s: no kernel interface", name);
		goto out;
	}
	if (aa_kernel_interface_replace_policy_from_file(ki, AT_FDCWD, bin) < 0) {
		diag_errno(err, "the AppArmor profile %s: the kernel refused it", name);
		goto out;
	}
	rc = 0;
	/* the running kernel's cache, when the boot made one: the new profile in it */
	if (subdir_of(f, cachedir, &res, err) || access(res.dir, F_OK) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", res.dir, name);
	if (file_read_all(bin, 64 << 20, &text, &len, err) || file_write_atomic(path, text, len, 0600, err))
		rc = -1;
	free(text);
out:
	aa_kernel_interface_unref(ki);
	aa_features_unref(f);
	return rc;
}

void aacache_forget(const char *cachedir, const char *name)
{
	aa_features *f = NULL;
	struct aacache_result res;
	struct diag ignored;
	char path[4200];

	if (features_get(NULL, &f, &ignored))
		return;
	if (!subdir_of(f, cachedir, &res, &ignored)) {
		snprintf(path, sizeof(path), "%s/%s", res.dir, name);
		unlink(path);
	}
	aa_features_unref(f);
}

#else

int aacache_update(const char *cachedir, const char *features_file, const char *parser,
		   const char *const *srcs, size_t n, bool load, struct aacache_result *res, struct diag *err)
{
	(void)features_file, (void)parser, (void)srcs, (void)n, (void)load;
	memset(res, 0, sizeof(*res));
	return diag_set(err, "%s: built without AppArmor (CONFIG_CONFINE_APPARMOR)", cachedir);
}

int aacache_replace_live(const char *cachedir, const char *name, const char *bin, struct diag *err)
{
	(void)cachedir, (void)bin;
	return diag_set(err, "the AppArmor profile %s: built without AppArmor (CONFIG_CONFINE_APPARMOR)",
			name);
}

void aacache_forget(const char *cachedir, const char *name)
{
	(void)cachedir, (void)name; /* no cache without AppArmor */
}

#endif
