// SPDX-License-Identifier: GPL-3.0-only
/*
 * First boot (Contract 4): the installed instances (/snap/<instance>/current,
 * in name order), whether their install and configure hooks ran
 * (/var/lib/snapd/confine/state/<instance>.installed, docs/formats.md) and
 * which hooks they have (their hook run files).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "svc.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct svc_inst *)a)->name, ((const struct svc_inst *)b)->name);
}

int svc_instances(const char *root, struct svc_inst *v, size_t max, size_t *n, struct diag *err)
{
	char dir[SVC_PATH_MAX], link[SVC_PATH_MAX + 80], why[128];
	struct dirent *e;
	DIR *d;

	*n = 0;
	snprintf(dir, sizeof(dir), "%s/snap", root);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : diag_errno(err, "cannot list %s", dir);
	while ((e = readdir(d))) {
		struct svc_inst *in = &v[*n];
		ssize_t r;

		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(in->name) ||
		    !instance_name_split(e->d_name, NULL, 0, NULL, 0, why, sizeof(why)))
			continue;
		snprintf(link, sizeof(link), "%s/%.60s/current", dir, e->d_name);
		r = readlink(link, in->revision, sizeof(in->revision) - 1);
		if (r <= 0 || memchr(in->revision, '/', (size_t)r))
			continue;
		if (*n == max) {
			closedir(d);
			return diag_set(err, "more than %zu snaps in %s", max, dir);
		}
		in->revision[r] = '\0';
		memcpy(in->name, e->d_name, strlen(e->d_name) + 1);
		in->failed = false;
		in->why[0] = '\0';
		(*n)++;
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), by_name);
	return 0;
}

static void marker_path(const char *root, const char *instance, char *buf, size_t len)
{
	snprintf(buf, len, "%s" SVC_STATE_DIR "/%s.installed", root, instance);
}

bool svc_hook_done(const char *root, const struct svc_inst *in)
{
	char path[SVC_PATH_MAX + 80];
	struct stat st;

	marker_path(root, in->name, path, sizeof(path));
	return lstat(path, &st) == 0;
}

bool svc_hook_exists(const char *root, const char *instance, const char *hook)
{
	char path[SVC_PATH_MAX + 160];
	struct stat st;

	snprintf(path, sizeof(path), "%s" SVC_RUN_DIR "/snap.%s.hook.%s", root, instance, hook);
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int svc_hook_mark(const char *root, const struct svc_inst *in, struct diag *err)
{
	char path[SVC_PATH_MAX + 80], text[80];
	int n = snprintf(text, sizeof(text), "%s\n", in->revision);

	snprintf(path, sizeof(path), "%s" SVC_STATE_DIR, root);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return diag_errno(err, "cannot create %s", path);
	marker_path(root, in->name, path, sizeof(path));
	return file_write_atomic(path, text, (size_t)n, 0644, err);
}
