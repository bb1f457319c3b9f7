// SPDX-License-Identifier: GPL-3.0-only
/*
 * Writing what the generator rendered (iface_apply.h): every file is made
 * first beside its target under a temporary name (seccomp compiled,
 * AppArmor compiled by apparmor_parser), and only when all of them are
 * ready are they renamed into place; a failure leaves nothing behind. On a
 * running device (live) the new profiles are then put into effect: AppArmor
 * profiles replaced in the kernel, udev's rules reloaded and the devices
 * replayed, each changed mount profile applied to the snap's preserved
 * namespace by snap-update-ns; seccomp takes effect at the next launch.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile.h"
#include "fileio.h"
#include "fstab.h"
#include "iface/aacache.h"
#include "iface/iface_apply.h"
#include "run_file.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* one file to put in place: its final path, and the temporary one holding its bytes */
struct staged {
	char *path, *tmp;
	bool remove; /* the file goes (no content any more) */
	bool changed;
};

struct stage {
	struct staged *f;
	size_t n;
};

static void stage_abort(struct stage *st)
{
	for (size_t i = 0; i < st->n; i++) {
		if (st->f[i].tmp)
			unlink(st->f[i].tmp);
		free(st->f[i].path);
		free(st->f[i].tmp);
	}
	free(st->f);
	memset(st, 0, sizeof(*st));
}

/* path is a regular file (not followed if a link) of that mode holding exactly buf */
static bool same_file(const char *path, const void *buf, size_t len, unsigned mode)
{
	struct stat sb;
	char *old;
	size_t olen;
	struct diag ignored;
	bool same;

	if (lstat(path, &sb) < 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & 07777) != mode ||
	    (size_t)sb.st_size != len || file_read_all(path, 64 << 20, &old, &olen, &ignored))
		return false;
	same = olen == len && !memcmp(old, buf, len);
	free(old);
	return same;
}

/* path is a non-empty regular file (not followed if a link) */
static bool regular_file(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

/*
 * A temporary file beside path holding buf; path's directory is made. A file
 * that holds buf already with that mode is kept as it is (no temporary file:
 * the commit leaves it), so that installing one snap writes only what it
 * changes, not every snap's files again.
 */
static int stage_bytes(struct stage *st, const char *path, const void *buf, size_t len, unsigned mode,
		       struct diag *err)
{
	struct staged *nf = realloc(st->f, (st->n + 1) * sizeof(*nf)), *f;
	char dir[4096], *slash;
	int fd;

	if (!nf)
		return diag_set(err, "out of memory");
	st->f = nf;
	f = &nf[st->n];
	memset(f, 0, sizeof(*f));
	if (same_file(path, buf, len, mode)) {
		if (!(f->path = strdup(path)))
			return diag_set(err, "out of memory");
		st->n++;
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (slash && dir_make_all(dir, 0755) < 0)
		return diag_errno(err, "cannot create %s", dir);
	if (!(f->path = strdup(path)) ||
	    asprintf(&f->tmp, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path) < 0) {
		free(f->path);
		return diag_set(err, "out of memory");
	}
	st->n++;
	fd = mkostemp(f->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(f->tmp);
		f->tmp = NULL;
		return diag_errno(err, "cannot create a file beside %s", path);
	}
	f->changed = true;
	if (fchmod(fd, mode) < 0 || write(fd, buf, len) != (ssize_t)len || fsync(fd) < 0) {
		close(fd);
		return diag_errno(err, "cannot write %s", f->tmp);
	}
	close(fd);
	return 0;
}

static int stage_text(struct stage *st, const char *path, const char *text, struct diag *err)
{
	return stage_bytes(st, path, text, strlen(text), 0644, err);
}

/* a symbolic link to target at path, made beside it */
static int stage_symlink(struct stage *st, const char *path, const char *target, struct diag *err)
{
	struct staged *nf = realloc(st->f, (st->n + 1) * sizeof(*nf)), *f;
	char old[4096];
	ssize_t n = readlink(path, old, sizeof(old) - 1);

	if (!nf)
		return diag_set(err, "out of memory");
	st->f = nf;
	f = &nf[st->n];
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(path)) || asprintf(&f->tmp, "%s.new-link", path) < 0) {
		free(f->path);
		return diag_set(err, "out of memory");
	}
	st->n++;
	f->changed = n < 0 || (old[n] = '\0', strcmp(old, target));
	if (!f->changed) { /* pointing there already: kept */
		free(f->tmp);
		f->tmp = NULL;
		return 0;
	}
	{
		char dir[4096], *slash;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		if (slash && dir_make_all(dir, 0755) < 0)
			return diag_errno(err, "cannot create %s", dir);
	}
	unlink(f->tmp);
	if (symlink(target, f->tmp) < 0)
		return diag_errno(err, "cannot create %s", f->tmp);
	return 0;
}

/* path is written (not removed) by the stage */
static bool staged(const struct stage *st, const char *path)
{
	for (size_t i = 0; i < st->n; i++)
		if (!st->f[i].remove && !strcmp(st->f[i].path, path))
			return true;
	return false;
}

/* path goes, if it is there */
static int stage_remove(struct stage *st, const char *path, struct diag *err)
{
	struct staged *nf;
	struct stat sb;

	if (lstat(path, &sb) < 0)
		return 0;
	nf = realloc(st->f, (st->n + 1) * sizeof(*nf));
	if (!nf)
		return diag_set(err, "out of memory");
	st->f = nf;
	memset(&nf[st->n], 0, sizeof(nf[st->n]));
	nf[st->n].remove = nf[st->n].changed = true;
	if (!(nf[st->n].path = strdup(path)))
		return diag_set(err, "out of memory");
	st->n++;
	return 0;
}

static int stage_commit(struct stage *st, struct diag *err)
{
	for (size_t i = 0; i < st->n; i++) {
		struct staged *f = &st->f[i];

		/* the same already (no temporary file) keeps its file and its mtime: the AppArmor
		 * policy cache compiled from an unchanged source stays fresh (iface/aacache.h) */
		if (!f->remove && !f->tmp)
			continue;
		if (f->remove ? unlink(f->path) < 0 && errno != ENOENT : rename(f->tmp, f->path) < 0)
			return diag_errno(err, "cannot put %s in place", f->path);
		free(f->tmp);
		f->tmp = NULL;
	}
	return 0;
}

static bool stage_changed(const struct stage *st, const char *path)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->f[i].path, path))
			return st->f[i].changed;
	return false;
}

/* runs argv; its first line of output is the reason of a failure */
int iface_run(char *const argv[], struct diag *err)
{
	int p[2], status;
	char out[512] = "";
	ssize_t n = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return diag_errno(err, "cannot create a pipe");
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return diag_errno(err, "cannot fork");
	}
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(argv[0], argv);
		dprintf(2, "cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	for (ssize_t r;
	     n < (ssize_t)sizeof(out) - 1 && (r = read(p[0], out + n, sizeof(out) - 1 - (size_t)n)) > 0;)
		n += r;
	while (read(p[0], (char[256]){ 0 }, 256) > 0)
		;
	close(p[0]);
	out[n] = '\0';
	/* the first line that is not a warning says why */
	{
		char *line = out;

		while (!strncmp(line, "Warning", 7) && strchr(line, '\n'))
			line = strchr(line, '\n') + 1;
		memmove(out, line, strlen(line) + 1);
	}
	out[strcspn(out, "\n")] = '\0';
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return diag_set(err, "%s failed: %s", argv[0], out[0] ? out : "(no message)");
	return 0;
}

/* text with every @KEY@ of the pairs replaced */
static char *substitute(const char *text, const char *const *pairs, size_t npairs)
{
	size_t cap = strlen(text) + 1;
	char *out, *w;

	for (const char *p = text; *p; p++)
		if (*p == '@')
			for (size_t i = 0; i < npairs; i += 2)
				if (!strncmp(p, pairs[i], strlen(pairs[i])))
					cap += strlen(pairs[i + 1]);
	out = malloc(cap);
	if (!out)
		return NULL;
	w = out;
	for (const char *p = text; *p;) {
		size_t i;

		for (i = 0; i < npairs; i += 2)
			if (*p == '@' && !strncmp(p, pairs[i], strlen(pairs[i])))
				break;
		if (i < npairs) {
			w += sprintf(w, "%s", pairs[i + 1]);
			p += strlen(pairs[i]);
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	return out;
}

/*
 * The staged AppArmor text just added (st->f[st->n - 1]) compiled into
 * root/var/lib/snapd/apparmor/<name>.bin; a text that did not change, whose
 * compiled profile is there, is not compiled again (a connection changes
 * one app's profile: the device compiles that one only).
 */
static int stage_aa_compile(const struct iface_opts *o, struct stage *st, const char *name, struct diag *err)
{
	char bin[4200], *tmp = NULL, *argv[12];
	const char *src = st->f[st->n - 1].tmp ? st->f[st->n - 1].tmp : st->f[st->n - 1].path;
	struct staged *nf;
	size_t k = 0;
	int fd;

	snprintf(bin, sizeof(bin), "%s/var/lib/snapd/apparmor/%s.bin", o->root, name);
	if (!st->f[st->n - 1].changed && access(bin, F_OK) == 0)
		return 0;
	if (asprintf(&tmp, "%s/var/lib/snapd/apparmor/.%s.bin.XXXXXX", o->root, name) < 0)
		return diag_set(err, "out of memory");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		free(tmp);
		return diag_errno(err, "cannot create a file beside %s", bin);
	}
	close(fd);
	nf = realloc(st->f, (st->n + 1) * sizeof(*nf));
	if (!nf) {
		unlink(tmp);
		free(tmp);
		return diag_set(err, "out of memory");
	}
	st->f = nf;
	memset(&nf[st->n], 0, sizeof(nf[st->n]));
	nf[st->n].tmp = tmp;
	nf[st->n].changed = true;
	if (!(nf[st->n].path = strdup(bin)))
		return diag_set(err, "out of memory");
	st->n++;
	argv[k++] = (char *)o->apparmor_parser;
	argv[k++] = (char *)"-Q";
	argv[k++] = (char *)"-T";
	if (o->apparmor_features) {
		argv[k++] = (char *)"-M";
		argv[k++] = (char *)o->apparmor_features;
	}
	argv[k++] = (char *)"-o";
	argv[k++] = tmp;
	argv[k++] = (char *)src;
	argv[k] = NULL;
	if (iface_run(argv, err)) {
		char why[DIAG_MAX];

		snprintf(why, sizeof(why), "%s", err->msg);
		return diag_set(err, "the AppArmor profile %s: %s", name, why);
	}
	return chmod(tmp, 0644) < 0 ? diag_errno(err, "cannot set the mode of %s", tmp) : 0;
}

static int stage_apparmor(const struct iface_opts *o, struct stage *st, const struct snap *s,
			  const struct app_profile *ap, const char *base, struct diag *err)
{
	const char *pairs[] = { "@TAG@",       ap->tag,
				"@SNAP@",      s->name,
				"@SNAP_NAME@", s->snap_name,
				"@FLAGS@",     !strcmp(s->confinement, "devmode") ? ",complain" : "",
				"@RULES@",     ap->apparmor };
	char path[4096];
	char *text = substitute(base, pairs, sizeof(pairs) / sizeof(pairs[0]));
	int rc;

	if (!text)
		return diag_set(err, "out of memory");
	snprintf(path, sizeof(path), "%s/var/lib/snapd/apparmor/profiles/%s", o->root, ap->tag);
	rc = stage_text(st, path, text, err);
	free(text);
	if (rc || !o->apparmor_parser)
		return rc;
	return stage_aa_compile(o, st, ap->tag, err);
}

/* snap-update-ns.<snap>: its base profile with the mounts of the snap's mount profile */
static int stage_update_ns(const struct iface_opts *o, struct stage *st, const struct snap *s,
			   const char *fstab, const char *base, struct diag *err)
{
	char path[4096], name[300], *rules = NULL, *text;
	struct fstab f;
	int rc;

	snprintf(path, sizeof(path), "snap.%s.fstab", s->name);
	if (fstab_parse(path, fstab, strlen(fstab), &f, err))
		return -1;
	rc = iface_update_ns_rules(s->name, &f, &rules, err);
	fstab_free(&f);
	if (rc) {
		char why[DIAG_MAX];

		snprintf(why, sizeof(why), "%s", err->msg);
		return diag_set(err, "snap-update-ns.%s: %s", s->name, why);
	}
	{
		const char *pairs[] = { "@SNAP@", s->name, "@MOUNTS@", rules };

		text = substitute(base, pairs, 4);
	}
	free(rules);
	if (!text)
		return diag_set(err, "out of memory");
	snprintf(name, sizeof(name), "snap-update-ns.%s", s->name);
	snprintf(path, sizeof(path), "%s/var/lib/snapd/apparmor/profiles/%s", o->root, name);
	rc = stage_text(st, path, text, err);
	free(text);
	if (rc || !o->apparmor_parser)
		return rc;
	return stage_aa_compile(o, st, name, err);
}

/*
 * An app's seccomp source, and its filter compiled into .bin2; a source that
 * did not change, whose filter is there, is not compiled again (as the
 * AppArmor profiles: an install or a connection compiles the filters of the
 * apps it changes, not every app's on the device).
 */
static int stage_seccomp(const struct iface_opts *o, struct stage *st, const struct app_profile *ap,
			 struct diag *err)
{
	struct compile_result r;
	char path[4096], shown[300];
	void *bin;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/var/lib/snapd/seccomp/bpf/%s.src", o->root, ap->tag);
	if (stage_text(st, path, ap->seccomp, err))
		return -1;
	snprintf(path, sizeof(path), "%s/var/lib/snapd/seccomp/bpf/%s.bin2", o->root, ap->tag);
	if (!st->f[st->n - 1].changed && regular_file(path))
		return 0;
	snprintf(shown, sizeof(shown), "%s.src", ap->tag);
	if (compile_policy(shown, ap->seccomp, strlen(ap->seccomp), &o->seccomp, &r, err))
		return -1;
	rc = compile_encode(&r, &o->seccomp, ap->seccomp, strlen(ap->seccomp), &bin, &len, err);
	compile_result_free(&r);
	if (rc)
		return -1;
	rc = stage_bytes(st, path, bin, len, 0644, err);
	free(bin);
	return rc;
}

static int stage_run_file(const struct iface_opts *o, struct stage *st, const struct snap *s,
			  const struct app *a, struct diag *err)
{
	char path[4096], *text = run_file_text(s, a);
	int rc;

	if (!text)
		return diag_set(err, "out of memory");
	if (strlen(text) >= 64 * 1024) { /* what snap-run reads */
		free(text);
		return diag_set(err, "%s: app %s: its command and environment take more than 64 KiB", s->file,
				a->name);
	}
	snprintf(path, sizeof(path), "%s/var/lib/snapd/confine/run/snap.%s.%s", o->root, s->name, a->name);
	rc = stage_text(st, path, text, err);
	free(text);
	return rc;
}

/* a service's file for the supervisor, and its systemd unit (enabled unless install-mode: disable) */
static int stage_service(const struct iface_opts *o, struct stage *st, const struct snap *s,
			 const struct app *a, struct diag *err)
{
	char path[4096], run[4096], *text = service_file_text(s, a);
	int rc;

	if (!text)
		return diag_set(err, "out of memory");
	snprintf(path, sizeof(path), "%s/var/lib/snapd/confine/services/snap.%s.%s", o->root, s->name,
		 a->name);
	rc = stage_text(st, path, text, err);
	free(text);
	if (rc || !o->systemd_units)
		return rc;
	snprintf(run, sizeof(run), "%s/snap-run", o->libexecdir);
	if (!(text = service_unit_text(s, a, run)))
		return diag_set(err, "out of memory");
	snprintf(path, sizeof(path), "%s/etc/systemd/system/snap.%s.%s.service", o->root, s->name, a->name);
	rc = stage_text(st, path, text, err);
	free(text);
	if (rc || a->disabled)
		return rc;
	snprintf(path, sizeof(path), "%s/etc/systemd/system/multi-user.target.wants/snap.%s.%s.service",
		 o->root, s->name, a->name);
	snprintf(run, sizeof(run), "/etc/systemd/system/snap.%s.%s.service", s->name, a->name);
	return stage_symlink(st, path, run, err);
}

/* the files of snap s's apps and hooks (snap.<snap>.*) that no app or hook has any more go */
static int stage_stale(const struct iface_opts *o, struct stage *st, const struct snap *s, struct diag *err)
{
	static const char *const dirs[] = { "/var/lib/snapd/confine/run",
					    "/var/lib/snapd/confine/services",
					    "/var/lib/snapd/seccomp/bpf",
					    "/var/lib/snapd/apparmor/profiles",
					    "/var/lib/snapd/apparmor",
					    "/etc/systemd/system",
					    "/etc/systemd/system/multi-user.target.wants" };
	char prefix[300], path[4400];

	snprintf(prefix, sizeof(prefix), "snap.%s.", s->name);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char dir[4096];
		struct dirent *e;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s%s", o->root, dirs[i]);
		d = opendir(dir);
		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t l = strlen(e->d_name);

			if (strncmp(e->d_name, prefix, strlen(prefix)) || e->d_type == DT_DIR)
				continue;
			if (i == 4 && (l < 5 || strcmp(e->d_name + l - 4, ".bin")))
				continue; /* apparmor/: only the compiled profiles */
			if (i >= 5 && (l < 9 || strcmp(e->d_name + l - 8, ".service")))
				continue;
			if (i == 4) /* a compiled profile whose text did not change is not staged again */
				snprintf(path, sizeof(path), "%s/profiles/%.*s", dir, (int)(l - 4),
					 e->d_name);
			else if (i == 2 && l > 5 && !strcmp(e->d_name + l - 5, ".bin2")) /* nor a filter */
				snprintf(path, sizeof(path), "%s/%.*s.src", dir, (int)(l - 5), e->d_name);
			else
				snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (staged(st, path))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (stage_remove(st, path, err)) {
				closedir(d);
				return -1;
			}
		}
		closedir(d);
	}
	return 0;
}

static bool ns_preserved(const struct iface_opts *o, const char *snap)
{
	char mnt[4096];
	struct statfs sfs;

	snprintf(mnt, sizeof(mnt), "%s/run/snapd/ns/%s.mnt", o->root, snap);
	return statfs(mnt, &sfs) == 0 && (unsigned long)sfs.f_type == NSFS_MAGIC;
}

/* every file of the rendered profiles, staged beside its place (seccomp and AppArmor compiled) */
static int stage_profiles(const struct iface_opts *o, const struct iface_system *sys, struct snap_profile *p,
			  size_t n, struct stage *st, struct diag *err)
{
	char *aa_base = NULL, *ns_base = NULL, *state = NULL, path[4096];
	size_t len;
	int rc = -1;

	if (file_read_all(o->apparmor_base, 1 << 20, &aa_base, &len, err) ||
	    (o->update_ns_base && file_read_all(o->update_ns_base, 1 << 20, &ns_base, &len, err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct snap *s = p[i].snap;

		if (!strcmp(s->type, "gadget") || !strcmp(s->type, "kernel") || !strcmp(s->type, "base"))
			continue;
		for (size_t a = 0; a < p[i].napps; a++)
			if (stage_run_file(o, st, s, &s->apps[a], err) ||
			    stage_seccomp(o, st, &p[i].apps[a], err) ||
			    stage_apparmor(o, st, s, &p[i].apps[a], aa_base, err) ||
			    (s->apps[a].daemon && stage_service(o, st, s, &s->apps[a], err)))
				goto out;
		if (stage_stale(o, st, s, err))
			goto out;
		snprintf(path, sizeof(path), "%s/etc/udev/rules.d/70-snap.%s.rules", o->root, s->name);
		if (p[i].udev[0] ? stage_text(st, path, p[i].udev, err) : stage_remove(st, path, err))
			goto out;
		snprintf(path, sizeof(path), "%s/var/lib/snapd/mount/snap.%s.fstab", o->root, s->name);
		if (p[i].fstab[0] ? stage_text(st, path, p[i].fstab, err) : stage_remove(st, path, err))
			goto out;
		if (ns_base && stage_update_ns(o, st, s, p[i].fstab, ns_base, err))
			goto out;
	}
	state = iface_state_format(sys);
	if (!state) {
		diag_set(err, "out of memory");
		goto out;
	}
	rc = stage_text(st, sys->state_file, state, err);
out:
	free(state);
	free(aa_base);
	free(ns_base);
	return rc;
}

/* the staged files in place; live: in effect (AppArmor, udev, the preserved namespaces) */
static int commit_profiles(const struct iface_opts *o, struct stage *st, struct snap_profile *p, size_t n,
			   struct diag *err)
{
	char path[4096];

	if (stage_commit(st, err))
		return -1;
	if (!o->live)
		return 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct staged *f = &st->f[i];
		size_t l = strlen(f->path);
		const char *name;
		char name_buf[300];

		if (!(f->remove || f->changed) || l < 5 || strcmp(f->path + l - 4, ".bin") ||
		    !strstr(f->path, "/apparmor/"))
			continue;
		snprintf(path, sizeof(path), "%s/var/lib/snapd/apparmor/cache", o->root);
		name = strrchr(f->path, '/') + 1;
		snprintf(name_buf, sizeof(name_buf), "%.*s", (int)strlen(name) - 4, name);
		if (f->remove)
			aacache_forget(path, name_buf);
		else if (aacache_replace_live(path, name_buf, f->path, err))
			return -1;
	}
	for (size_t i = 0; i < st->n; i++)
		if (st->f[i].changed && strstr(st->f[i].path, "/etc/udev/rules.d/") && o->udevadm) {
			char *reload[] = { (char *)o->udevadm, (char *)"control", (char *)"--reload", NULL };
			char *trigger[] = { (char *)o->udevadm, (char *)"trigger", (char *)"--action=change",
					    NULL };
			char *settle[] = { (char *)o->udevadm, (char *)"settle", (char *)"--timeout=60",
					   NULL };

			if (iface_run(reload, err) || iface_run(trigger, err) || iface_run(settle, err))
				return -1;
			break;
		}
	for (size_t i = 0; i < st->n; i++)
		if (st->f[i].changed && strstr(st->f[i].path, "/etc/systemd/system/") && o->systemctl) {
			char *reload[] = { (char *)o->systemctl, (char *)"daemon-reload", NULL };

			if (iface_run(reload, err))
				return -1;
			break;
		}
	for (size_t i = 0; i < n; i++) {
		char tool[4096];
		char *argv[] = { tool, p[i].snap->name, NULL };

		snprintf(path, sizeof(path), "%s/var/lib/snapd/mount/snap.%s.fstab", o->root,
			 p[i].snap->name);
		if (!stage_changed(st, path) || !ns_preserved(o, p[i].snap->name))
			continue;
		snprintf(tool, sizeof(tool), "%s/snap-update-ns", o->libexecdir);
		if (iface_run(argv, err))
			return -1;
	}
	return 0;
}

static void stage_forget(struct stage *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->f[i].path);
		free(st->f[i].tmp);
	}
	free(st->f);
	memset(st, 0, sizeof(*st));
}

int iface_apply(const struct iface_opts *o, const struct iface_system *sys, struct diag *err)
{
	struct snap_profile *p;
	struct stage st = { 0 };
	char *base;
	size_t n, len;
	int rc;

	if (file_read_all(o->seccomp_base, 1 << 20, &base, &len, err))
		return -1;

	rc = iface_render(sys, base, o->libexecdir, &p, &n, err);
	free(base);
	if (rc)
		return -1;
	rc = stage_profiles(o, sys, p, n, &st, err) || commit_profiles(o, &st, p, n, err) ? -1 : 0;
	if (rc)
		stage_abort(&st);
	stage_forget(&st);
	iface_profiles_free(p, n);
	return rc;
}

/* a copy of the tree src at dst (files, directories, links; modes kept) */
static int copy_tree(const char *src, const char *dst, struct diag *err)
{
	char cmd_src[4096];
	char *argv[] = { (char *)"/bin/cp", (char *)"-a", cmd_src, (char *)dst, NULL };

	/* cp -a SRC/. DST: the contents, links kept as links */
	snprintf(cmd_src, sizeof(cmd_src), "%s/.", src);
	if (dir_make_all(dst, 0755) < 0)
		return diag_errno(err, "cannot create %s", dst);
	return iface_run(argv, err);
}

/* the app's programs (command, command-chain, stop-command, ...) or the hook's are files of the snap */
static int check_in_snap(const struct snap *s, const struct app *a, struct diag *err)
{
	static const char *const extra[] = { "stop-command: ", "post-stop-command: ", "reload-command: " };
	char path[4096];

	for (size_t i = 0; i <= a->nchain + RUN_EXTRA_N; i++) {
		const char *p = i < a->nchain ? a->chain[i] : i == a->nchain ? a->words[0] : NULL;
		const struct yt_node *at = i < a->nchain ? a->chain_at[i] : a->command_at;
		const char *key = i < a->nchain ? "command-chain: " : "";
		struct stat st;
		bool there;

		if (i > a->nchain) {
			const struct app_cmd *c = &a->extra[i - a->nchain - 1];

			if (!c->words)
				continue;
			p = c->words[0];
			at = c->at;
			key = extra[i - a->nchain - 1];
		}
		snprintf(path, sizeof(path), "%s/%s", s->dir, p);
		there = stat(path, &st) == 0;
		if (!there || !S_ISREG(st.st_mode) || (a->hook && i == a->nchain && !(st.st_mode & 0111)))
			return yt_err(err, s->file, at, "%s %s: %s%s %s", a->hook ? "hook" : "app",
				      a->name + (a->hook ? 5 : 0), key, p,
				      !there		     ? "is not in the snap"
				      : !S_ISREG(st.st_mode) ? "is not a regular file"
							     : "is not executable");
	}
	return 0;
}

/* mkdir -p root/a/b */
static int mkdirs_in(const char *root, const char *a, const char *b, struct diag *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s/%s", root, a, b);
	return dir_make_all(path, 0755) < 0 ? diag_errno(err, "cannot create %s", path) : 0;
}

int iface_install(const struct iface_opts *o, const char *const *dirs, size_t ndirs, const char *instance,
		  struct diag *err)
{
	struct iface_system sys;
	struct snap_profile *p = NULL;
	struct stage st = { 0 };
	char *base = NULL;
	size_t n = 0, len;
	int rc = -1;

	/* plan: the snaps, the whole system with them, every profile rendered and compiled in memory */
	if (instance && ndirs != 1)
		return diag_set(err, "--name installs one snap directory, not %zu", ndirs);
	if (iface_system_load_as(o->root, o->interfaces, dirs, ndirs, instance, &sys, err))
		return -1;
	for (size_t i = 0; i < ndirs; i++) {
		const struct snap *s = NULL;

		for (size_t j = 0; j < sys.nsnaps; j++)
			if (!strcmp(sys.snaps[j].dir, dirs[i]))
				s = &sys.snaps[j];
		/* snapd's refusal on a Core system, its reason word for word */
		if (s && o->core && !strcmp(s->confinement, "classic")) {
			diag_set(err,
				 "%s: snap \"%s\" requires classic confinement which is only available on "
				 "classic systems",
				 s->file, s->name);
			goto out;
		}
		for (size_t a = 0; s && a < s->napps; a++)
			if (check_in_snap(s, &s->apps[a], err))
				goto out;
	}
	if (file_read_all(o->seccomp_base, 1 << 20, &base, &len, err) ||
	    iface_render(&sys, base, o->libexecdir, &p, &n, err) || stage_profiles(o, &sys, p, n, &st, err))
		goto out;
	/* apply: the trees, then every profile */
	for (size_t i = 0; i < ndirs; i++) {
		const struct snap *s = NULL;
		char dest[4096], cur[4096], data[4096];

		for (size_t j = 0; j < sys.nsnaps; j++)
			if (!strcmp(sys.snaps[j].dir, dirs[i]))
				s = &sys.snaps[j];
		snprintf(dest, sizeof(dest), "%s/snap/%s/%s", o->root, s->name, s->rev);
		{
			char *a = realpath(dirs[i], NULL), *b = realpath(dest, NULL);
			bool same = a && b && !strcmp(a, b);

			free(a);
			free(b);
			if (!same && copy_tree(dirs[i], dest, err)) {
				char *rm[] = { (char *)"/bin/rm", (char *)"-rf", dest, NULL };
				struct diag ignored;

				iface_run(rm, &ignored); /* not half a snap */
				goto out;
			}
		}
		/* the current link replaced in one rename: there is always one, old or new */
		snprintf(cur, sizeof(cur), "%s/snap/%s/current", o->root, s->name);
		if (link_replace(cur, s->rev, err))
			goto out;
		snprintf(data, sizeof(data), "%s/var/snap/%s/%s", o->root, s->name, s->rev);
		if (dir_make_all(data, 0755) < 0) {
			diag_errno(err, "cannot create %s", data);
			goto out;
		}
		snprintf(data, sizeof(data), "%s/var/snap/%s/common", o->root, s->name);
		if (dir_make_all(data, 0755) < 0) {
			diag_errno(err, "cannot create %s", data);
			goto out;
		}
		/* an instance: the snap name's directories, where the namespace maps it (as snapd makes them)
		 */
		if (strcmp(s->name, s->snap_name) && (mkdirs_in(o->root, "snap", s->snap_name, err) ||
						      mkdirs_in(o->root, "var/snap", s->snap_name, err)))
			goto out;
	}
	rc = commit_profiles(o, &st, p, n, err);
out:
	if (rc)
		stage_abort(&st);
	stage_forget(&st);
	free(base);
	iface_profiles_free(p, n);
	iface_system_free(&sys);
	return rc;
}
