// SPDX-License-Identifier: GPL-3.0-only
/* Kernel feature probe and its file (features.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp_compat.h"
#include "kernel_features.h"
#include "trusted_path.h"

#define CGROUP2_MAGIC  0x63677270
#define CGROUP1_MAGIC  0x27e0eb
#define TMPFS_MAGIC_NR 0x01021994

static bool is_fs(const char *path, unsigned long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == magic;
}

enum devcg_mode devcg_mode(const char **v2_root)
{
	*v2_root = NULL;
	if (is_fs("/sys/fs/cgroup/devices", CGROUP1_MAGIC))
		return DEVCG_V1;
	if (is_fs("/sys/fs/cgroup", CGROUP2_MAGIC))
		*v2_root = "/sys/fs/cgroup";
	else if (is_fs("/sys/fs/cgroup/unified", CGROUP2_MAGIC))
		*v2_root = "/sys/fs/cgroup/unified";
	return *v2_root ? DEVCG_V2 : DEVCG_NONE;
}

static void read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* word is one of the space-separated words of list (no strstr: it weighs on the launcher's size) */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, " ");

		if (len == n && !strncmp(p, word, n))
			return true;
		p += len;
		while (*p == ' ')
			p++;
	}
	return false;
}

bool kernel_seccomp_action_avail(const char *action)
{
	char avail[256];

	read_line("/proc/sys/kernel/seccomp/actions_avail", avail, sizeof(avail));
	return has_word(avail, action);
}

/* runs fn in a forked child; true when it exits 0 */
static bool in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(fn() ? 1 : 0);
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int try_flag_log(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog);
}

static char devpts_dir[64];

static int try_devpts(void)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	return mount("devpts", devpts_dir, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666");
}

static int try_userns(void)
{
	return unshare(CLONE_NEWUSER);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void apparmor_features(char *buf, size_t len)
{
	DIR *d = opendir("/sys/kernel/security/apparmor/features");
	char *names[64];
	size_t n = 0, used = 0;
	struct dirent *de;

	buf[0] = '\0';
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (names[i] && used + strlen(names[i]) + 2 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "", names[i]);
		free(names[i]);
	}
}

void features_probe(struct sc_features *f)
{
	struct utsname u;
	const char *v2_root;
	uint32_t action = SECCOMP_RET_LOG;
	char enabled[8];

	memset(f, 0, sizeof(*f));
	if (uname(&u) == 0)
		snprintf(f->kernel_release, sizeof(f->kernel_release), "%s", u.release);
	read_line("/proc/sys/kernel/seccomp/actions_avail", f->actions_avail, sizeof(f->actions_avail));
	read_line("/proc/sys/kernel/seccomp/actions_logged", f->actions_logged, sizeof(f->actions_logged));
	f->ret_log = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 &&
		     has_word(f->actions_avail, "log");
	f->filter_flag_log = in_child(try_flag_log);
	read_line("/sys/module/apparmor/parameters/enabled", enabled, sizeof(enabled));
	f->apparmor = enabled[0] == 'Y';
	if (f->apparmor)
		apparmor_features(f->apparmor_features, sizeof(f->apparmor_features));
	snprintf(f->cgroup, sizeof(f->cgroup), "none");
	if (is_fs("/sys/fs/cgroup", CGROUP2_MAGIC))
		snprintf(f->cgroup, sizeof(f->cgroup), "v2");
	else if (is_fs("/sys/fs/cgroup", TMPFS_MAGIC_NR)) /* v1 controllers are mounted under a tmpfs */
		snprintf(f->cgroup, sizeof(f->cgroup),
			 is_fs("/sys/fs/cgroup/unified", CGROUP2_MAGIC) ? "hybrid" : "v1");
	switch (devcg_mode(&v2_root)) {
	case DEVCG_V1:
		snprintf(f->cgroup_devices, sizeof(f->cgroup_devices), "v1");
		break;
	case DEVCG_V2:
		snprintf(f->cgroup_devices, sizeof(f->cgroup_devices), "bpf");
		break;
	default:
		snprintf(f->cgroup_devices, sizeof(f->cgroup_devices), "none");
	}
	snprintf(devpts_dir, sizeof(devpts_dir), "/tmp/.confine-probe.XXXXXX");
	if (mkdtemp(devpts_dir)) {
		f->devpts_newinstance = in_child(try_devpts);
		rmdir(devpts_dir);
	}
	f->user_namespaces = in_child(try_userns);
}

enum sc_log_path features_log_path(const struct sc_features *f)
{
	return f->filter_flag_log && f->ret_log ? SC_LOG_KERNEL : SC_LOG_SILENT;
}

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

char *features_format(const struct sc_features *f, size_t *len)
{
	size_t cap = 2048;
	char *buf = malloc(cap);
	int n;

	if (!buf)
		return NULL;
	n = snprintf(buf, cap,
		     "# written by confine-probe at boot: what this kernel can do\n"
		     "version=%d\n"
		     "kernel-release=%s\n"
		     "seccomp-actions-avail=%s\n"
		     "seccomp-actions-logged=%s\n"
		     "seccomp-ret-log=%s\n"
		     "seccomp-filter-flag-log=%s\n"
		     "seccomp-log-path=%s\n"
		     "apparmor=%s\n"
		     "apparmor-features=%s\n"
		     "cgroup=%s\n"
		     "cgroup-devices=%s\n"
		     "devpts-newinstance=%s\n"
		     "user-namespaces=%s\n"
		     "end\n",
		     SC_FEATURES_VERSION, f->kernel_release, f->actions_avail, f->actions_logged,
		     yn(f->ret_log), yn(f->filter_flag_log),
		     features_log_path(f) == SC_LOG_KERNEL ? "kernel" : "silent", yn(f->apparmor),
		     f->apparmor_features, f->cgroup, f->cgroup_devices, yn(f->devpts_newinstance),
		     yn(f->user_namespaces));
	if (n < 0 || (size_t)n >= cap) {
		free(buf);
		return NULL;
	}
	*len = (size_t)n;
	return buf;
}

static int parse_bool(const char *v, bool *b)
{
	if (!strcmp(v, "yes"))
		*b = true;
	else if (!strcmp(v, "no"))
		*b = false;
	else
		return -1;
	return 0;
}

static int copy_value(char *dst, size_t len, const char *v)
{
	size_t n = strlen(v);

	if (n >= len)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

int features_parse(const char *text, size_t len, struct sc_features *f, struct diag *err)
{
	char *copy, *line, *save = NULL;
	unsigned lineno = 0;
	bool version = false, end = false, have_path = false, have_retlog = false, have_flaglog = false;
	char path[16] = "";
	int rc = -1;

	memset(f, 0, sizeof(*f));
	if (memchr(text, '\0', len))
		return diag_set(err, "NUL byte");
	copy = strndup(text, len);
	if (!copy)
		return diag_set(err, "out of memory");
	if (len == 0 || text[len - 1] != '\n') {
		diag_set(err, "truncated (no final newline)");
		goto out;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq;
		int bad = 0;

		lineno++;
		if (line[0] == '#')
			continue;
		if (end) {
			diag_set(err, "line %u: text after 'end'", lineno);
			goto out;
		}
		if (!strcmp(line, "end")) {
			end = true;
			continue;
		}
		eq = strchr(line, '=');
		if (!eq) {
			diag_set(err, "line %u: expected KEY=VALUE", lineno);
			goto out;
		}
		*eq++ = '\0';
		if (!version) {
			if (strcmp(line, "version") || strcmp(eq, "1")) {
				diag_set(err, "line %u: expected version=1 first", lineno);
				goto out;
			}
			version = true;
			continue;
		}
		if (!strcmp(line, "kernel-release"))
			bad = copy_value(f->kernel_release, sizeof(f->kernel_release), eq);
		else if (!strcmp(line, "seccomp-actions-avail"))
			bad = copy_value(f->actions_avail, sizeof(f->actions_avail), eq);
		else if (!strcmp(line, "seccomp-actions-logged"))
			bad = copy_value(f->actions_logged, sizeof(f->actions_logged), eq);
		else if (!strcmp(line, "seccomp-ret-log"))
			bad = parse_bool(eq, &f->ret_log), have_retlog = true;
		else if (!strcmp(line, "seccomp-filter-flag-log"))
			bad = parse_bool(eq, &f->filter_flag_log), have_flaglog = true;
		else if (!strcmp(line, "seccomp-log-path"))
			bad = copy_value(path, sizeof(path), eq) ||
			      (strcmp(path, "kernel") && strcmp(path, "silent")),
			have_path = true;
		else if (!strcmp(line, "apparmor"))
			bad = parse_bool(eq, &f->apparmor);
		else if (!strcmp(line, "apparmor-features"))
			bad = copy_value(f->apparmor_features, sizeof(f->apparmor_features), eq);
		else if (!strcmp(line, "cgroup"))
			bad = copy_value(f->cgroup, sizeof(f->cgroup), eq);
		else if (!strcmp(line, "cgroup-devices"))
			bad = copy_value(f->cgroup_devices, sizeof(f->cgroup_devices), eq);
		else if (!strcmp(line, "devpts-newinstance"))
			bad = parse_bool(eq, &f->devpts_newinstance);
		else if (!strcmp(line, "user-namespaces"))
			bad = parse_bool(eq, &f->user_namespaces);
		/* other keys: written by a newer probe, not needed here */
		if (bad) {
			diag_set(err, "line %u: bad value for %s", lineno, line);
			goto out;
		}
	}
	if (!version || !end) {
		diag_set(err, "%s", !version ? "no version line" : "truncated (no 'end' line)");
		goto out;
	}
	if (!have_path || !have_retlog || !have_flaglog) {
		diag_set(err, "the seccomp lines are missing");
		goto out;
	}
	if (strcmp(path, features_log_path(f) == SC_LOG_KERNEL ? "kernel" : "silent")) {
		diag_set(err, "seccomp-log-path=%s contradicts the other seccomp lines", path);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	if (rc)
		memset(f, 0, sizeof(*f));
	return rc;
}

int features_read(const char *path, struct sc_features *f, struct diag *err)
{
	struct diag e;
	char *text;
	size_t len;
	int rc;

	if (trusted_read(path, 8192, &text, &len, err))
		return -1;
	rc = features_parse(text, len, f, &e);
	free(text);
	if (rc)
		return diag_set(err, "%s: %s", path, e.msg);
	return 0;
}
