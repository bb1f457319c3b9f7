// SPDX-License-Identifier: GPL-3.0-only
/*
 * Process control. With cgroup v2 (at /sys/fs/cgroup, or at
 * /sys/fs/cgroup/unified on a hybrid host) every service gets a cgroup
 * below the supervisor's own, <own>/snap.INSTANCE.APP.service, and its
 * processes start in the leaf "main" of it: snap-confine creates the app's
 * device cgroup below its caller's cgroup unless the caller's is named
 * snap.* (then beside it, which would leave the service's cgroup), so the
 * leaf keeps the app inside. "populated" says whether anything of the
 * service still runs, and signals reach the whole tree. Without cgroup v2
 * (confine.cgroup=v1: the devices controller only) a service is its main
 * process and the process group it starts (setsid), which a daemon that
 * makes its own session leaves.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fileio.h"
#include "svc.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static bool is_cgroup2(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static int own_cgroup(char *buf, size_t len)
{
	char *text, *line;
	size_t n;
	struct diag err;
	int rc = -1;

	if (file_read_all("/proc/self/cgroup", 64 * 1024, &text, &n, &err))
		return -1;
	for (line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, "0::/", 4)) {
			char *end = strchr(line, '\n');
			if (end)
				*end = '\0';
			/* the root cgroup is "/": nothing to add */
			rc = snprintf(buf, len, "%s", strcmp(line + 3, "/") ? line + 3 : "") >= (int)len ? -1
													 : 0;
			if (strstr(buf, "/../") || strstr(buf, "/./"))
				rc = -1;
			break;
		}
	}
	free(text);
	return rc;
}

void svc_cg_init(struct svc_cg *cg, bool off, char *why, size_t whylen)
{
	const char *root = is_cgroup2("/sys/fs/cgroup")		  ? "/sys/fs/cgroup"
			   : is_cgroup2("/sys/fs/cgroup/unified") ? "/sys/fs/cgroup/unified"
								  : NULL;
	char own[SVC_PATH_MAX / 2];

	memset(cg, 0, sizeof(*cg));
	if (off)
		snprintf(why, whylen, "cgroups off (test option): services tracked by process group");
	else if (!root)
		snprintf(why, whylen, "no cgroup v2: services tracked by process group");
	else if (own_cgroup(own, sizeof(own)))
		snprintf(why, whylen,
			 "no cgroup v2 line in /proc/self/cgroup: services tracked by process group");
	else {
		snprintf(cg->dir, sizeof(cg->dir), "%s%s", root, own);
		cg->v2 = true;
		snprintf(why, whylen, "services tracked by cgroup v2 below %s", cg->dir);
	}
}

int svc_cg_create(const struct svc_cg *cg, const char *name, char *path, size_t len, struct diag *err)
{
	char leaf[SVC_PATH_MAX + 8];

	path[0] = '\0';
	if (!cg->v2)
		return 0;
	if ((size_t)snprintf(path, len, "%s/snap.%s.service", cg->dir, name) >= len)
		return diag_set(err, "cgroup path too long");
	snprintf(leaf, sizeof(leaf), "%s/main", path);
	if ((mkdir(path, 0755) < 0 && errno != EEXIST) || (mkdir(leaf, 0755) < 0 && errno != EEXIST)) {
		diag_errno(err, "cannot create the cgroup %s", leaf);
		path[0] = '\0';
		return -1;
	}
	return 0;
}

int svc_cg_populated(const char *path)
{
	char file[SVC_PATH_MAX + 16], *text;
	size_t n;
	struct diag err;
	int rc;

	snprintf(file, sizeof(file), "%s/cgroup.events", path);
	if (file_read_all(file, 4096, &text, &n, &err))
		return -1;
	rc = strstr(text, "populated 1") ? 1 : 0;
	free(text);
	return rc;
}

int svc_cg_signal(const char *path, int sig)
{
	char file[SVC_PATH_MAX + 16], *text, *p;
	size_t n;
	struct diag err;
	int count = 0;
	DIR *d;
	struct dirent *e;

	if (sig == SIGKILL) {
		/* cgroup.kill (Linux 5.14): the whole tree at once, forks racing with it included */
		int fd;

		snprintf(file, sizeof(file), "%s/cgroup.kill", path);
		fd = open(file, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			bool any = svc_cg_populated(path) == 1, done = !any || write(fd, "1", 1) == 1;

			close(fd);
			if (done)
				return any;
		}
	}
	snprintf(file, sizeof(file), "%s/cgroup.procs", path);
	if (!file_read_all(file, 1 << 20, &text, &n, &err)) {
		for (p = text; *p;) {
			long pid = strtol(p, &p, 10);

			if (pid > 0 && kill((pid_t)pid, sig) == 0)
				count++;
			while (*p == '\n')
				p++;
		}
		free(text);
	}
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (e->d_type == DT_DIR && e->d_name[0] != '.' &&
		    strlen(path) + strlen(e->d_name) < SVC_PATH_MAX) {
			char sub[SVC_PATH_MAX + 1];

			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			count += svc_cg_signal(sub, sig);
		}
	}
	if (d)
		closedir(d);
	return count;
}

void svc_cg_remove(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_type == DT_DIR && e->d_name[0] != '.' &&
		    strlen(path) + strlen(e->d_name) < SVC_PATH_MAX) {
			char sub[SVC_PATH_MAX + 1];

			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			svc_cg_remove(sub);
		}
	}
	if (d)
		closedir(d);
	rmdir(path);
}

bool svc_pid_belongs(pid_t pid, const char *name, bool v2, pid_t pgid)
{
	char file[40], want[SVC_NAME_MAX + 16], *text, *line, *end;
	size_t n, wl;
	struct diag err;
	bool in = false;

	if (!v2)
		return pgid > 0 && getpgid(pid) == pgid;
	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	wl = (size_t)snprintf(want, sizeof(want), "/snap.%s.service", name);
	if (file_read_all(file, 64 * 1024, &text, &n, &err))
		return false;
	for (line = text; line && strncmp(line, "0::", 3);
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		;
	if (line) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		for (char *p = strstr(line, want); p && !in; p = strstr(p + 1, want))
			in = p[wl] == '/' || !p[wl];
	}
	free(text);
	return in;
}

/* in the child: nothing may allocate; the reason goes up the pipe as errno and a step */
static void __attribute__((noreturn)) child(const struct svc_spawn *s, int report)
{
	char *envp[3], notify[SVC_PATH_MAX + 16], procs[SVC_PATH_MAX + 32];
	int step = 0, e, fd, nul;
	sigset_t none;
	size_t ne = 0;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < 32; sig++)
		signal(sig, SIG_DFL);
	setsid();
	if (s->cgroup[0]) {
		step = 1;
		snprintf(procs, sizeof(procs), "%s/main/cgroup.procs", s->cgroup);
		fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			goto fail;
		close(fd);
	}
	step = 2;
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nul < 0 || dup2(nul, 0) < 0 || dup2(s->out, 1) < 0 || dup2(s->out, 2) < 0 || chdir("/") < 0)
		goto fail;
	envp[ne++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	if (s->notify) {
		snprintf(notify, sizeof(notify), "NOTIFY_SOCKET=%s", s->notify);
		envp[ne++] = notify;
	}
	envp[ne] = NULL;
	step = 3;
	execve(s->argv[0], (char *const *)s->argv, envp);
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) == sizeof(e))
		(void)!write(report, &step, sizeof(step));
	_exit(127);
}

pid_t svc_spawn(const struct svc_spawn *s, struct diag *err)
{
	static const char *const what[] = { "", "cannot join the cgroup", "cannot set up the output",
					    "cannot execute" };
	int p[2], e = 0, step = 0;
	pid_t pid;
	ssize_t r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return diag_errno(err, "cannot make a pipe");
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return diag_errno(err, "cannot fork");
	}
	if (pid == 0) {
		close(p[0]);
		child(s, p[1]);
	}
	close(p[1]);
	do
		r = read(p[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	if (r == sizeof(e) && read(p[0], &step, sizeof(step)) == sizeof(step)) {
		close(p[0]);
		errno = e;
		diag_errno(err, "%s %s", what[step & 3], s->argv[0]);
		return -1; /* the child exits 127, reaped with the other unknown pids */
	}
	close(p[0]);
	return pid;
}
