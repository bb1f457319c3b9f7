// SPDX-License-Identifier: GPL-3.0-only
/*
 * The daemon (docs/snap-supervisor.md). Parse: every service file, the
 * installed instances. Plan: the first-boot hooks, the start order (cycles
 * refused). Apply: the hooks, then the services one at a time in order,
 * each started once the one before it has (simple: executed; oneshot:
 * exited; forking: its starter exited 0; notify: READY=1), then the event
 * loop: exits, restarts with back-off, output into the logs, requests on
 * the control socket.
 *
 * One thread. Everything that waits (a stop, a hook, a start asked for on
 * the socket) runs the loop itself without the socket (loop_once(ctl
 * false)), so the events that come meanwhile only change states, start
 * processes or write logs; only the top level waits.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "svc.h"
#include "trusted_path.h"

enum st {
	ST_INACTIVE,
	ST_DISABLED,
	ST_REFUSED,
	ST_STARTING,
	ST_RUNNING,
	ST_DONE,
	ST_FAILED,
	ST_WAIT,
	ST_STOPPING
};
static const char *const st_names[] = { "inactive", "disabled", "not-started",	   "starting", "running",
					"done",	    "failed",	"waiting-restart", "stopping" };

/* how a run ended, for restart-condition */
enum res { RES_SUCCESS, RES_EXIT, RES_SIGNAL, RES_TIMEOUT };

struct svc {
	struct svc_conf c;
	enum st st;
	char why[200];
	pid_t pid, pgid;
	int out;
	char cg[SVC_PATH_MAX];
	struct svc_log log;
	struct svc_inst *inst;
	int64_t deadline, started;
	unsigned quick, restarts;
	bool timed_out;
};

static struct {
	const struct svc_opts *o;
	struct svc v[SVC_MAX];
	size_t n, order[SVC_MAX], n_order;
	struct svc_inst inst[SVC_MAX];
	struct svc_log ilog[SVC_MAX];
	size_t n_inst;
	struct svc_cg cg;
	int sigfd, ctl, boot_pipe, ntf;
	char ntf_path[SVC_PATH_MAX];
	bool shutdown_req, booting, boot_failed, stopping_all;
	bool boot_tried[SVC_MAX]; /* by index in v: boot started it (or tried) */
	struct {
		pid_t pid;
		int out, status;
		bool done;
		struct svc_log *log;
	} helper;
} S;

static void path_of(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void path_of(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(buf, len, "%s", S.o->root);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[DIAG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "snap-supervisor: %s\n", buf);
}

static void mkdirs(const char *sub, mode_t mode)
{
	char path[SVC_PATH_MAX + 64];

	path_of(path, sizeof(path), "%s", sub);
	dir_make_all(path, mode); /* (what cannot be made fails later, named) */
}

/* ---- the state of one service */

static bool alive(const struct svc *s)
{
	if (s->pid > 0)
		return true;
	if (s->cg[0])
		return svc_cg_populated(s->cg) == 1;
	return s->pgid > 0 && kill(-s->pgid, 0) == 0;
}

static int signal_all(struct svc *s, int sig)
{
	int n = 0;

	if (s->cg[0])
		n = svc_cg_signal(s->cg, sig);
	if (s->pgid > 0 && kill(-s->pgid, sig) == 0)
		n++;
	if (s->pid > 0 && kill(s->pid, sig) == 0)
		n++;
	return n;
}

static bool should_restart(enum svc_restart r, enum res res)
{
	switch (r) {
	case RS_ALWAYS:
		return true;
	case RS_ON_SUCCESS:
		return res == RES_SUCCESS;
	case RS_ON_FAILURE:
		return res != RES_SUCCESS;
	case RS_ON_ABNORMAL:
		return res == RES_SIGNAL || res == RES_TIMEOUT;
	case RS_ON_ABORT:
		return res == RES_SIGNAL;
	case RS_ON_WATCHDOG: /* no watchdog here: never */
	case RS_NEVER:
		break;
	}
	return false;
}

/*
 * The back-off: the first restart after a run of at least SVC_STABLE_RUN_MS
 * waits restart-delay; each quick crash after it doubles the wait (from at
 * least SVC_BACKOFF_MIN_MS), up to SVC_BACKOFF_CAP_MS (or restart-delay, if
 * longer).
 */
static unsigned backoff(struct svc *s, int64_t ran)
{
	uint64_t d = s->c.restart_delay_ms;

	if (ran >= SVC_STABLE_RUN_MS)
		s->quick = 0;
	if (s->quick) {
		d = d < SVC_BACKOFF_MIN_MS ? SVC_BACKOFF_MIN_MS : d;
		for (unsigned i = 0; i < s->quick && d < SVC_BACKOFF_CAP_MS; i++)
			d *= 2;
		if (d > SVC_BACKOFF_CAP_MS)
			d = s->c.restart_delay_ms > SVC_BACKOFF_CAP_MS ? s->c.restart_delay_ms
								       : SVC_BACKOFF_CAP_MS;
	}
	s->quick++;
	return (unsigned)d;
}

static void finished(struct svc *s, enum res res, const char *how)
{
	int64_t now = svc_now_ms();

	if (signal_all(s, SIGKILL))
		svc_log_msg(&s->log, "killed what was left of it");
	if (S.stopping_all) {
		s->st = ST_INACTIVE;
		return;
	}
	if (should_restart(s->c.restart, res)) {
		unsigned d = backoff(s, now - s->started);

		s->st = ST_WAIT;
		s->deadline = now + d;
		s->restarts++;
		snprintf(s->why, sizeof(s->why), "%s", how);
		svc_log_msg(&s->log, "%s: restarting in %u ms (restart-condition)", how, d);
		return;
	}
	s->st = res == RES_SUCCESS ? ST_INACTIVE : ST_FAILED;
	snprintf(s->why, sizeof(s->why), "%s", how);
	svc_log_msg(&s->log, "%s: not restarted (restart-condition)", how);
}

static void on_exit_status(struct svc *s, int status)
{
	char how[80];
	enum res res;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

	s->pid = 0;
	if (sig)
		snprintf(how, sizeof(how), "killed by signal %d", sig);
	else
		snprintf(how, sizeof(how), "exited with status %d", code);
	svc_log_msg(&s->log, "main process %s", how);
	if (s->st == ST_STOPPING)
		return;
	if (s->timed_out) {
		snprintf(how, sizeof(how), "start timed out");
		res = RES_TIMEOUT;
	} else if (code == 0 || sig == SIGHUP || sig == SIGINT || sig == SIGTERM || sig == SIGPIPE) {
		res = RES_SUCCESS;
	} else {
		res = sig ? RES_SIGNAL : RES_EXIT;
	}
	if (s->st == ST_STARTING && s->c.type == SVC_FORKING && code == 0 && !s->timed_out && alive(s)) {
		s->st = ST_RUNNING;
		s->deadline = 0;
		svc_log_msg(&s->log, "running (the starter exited, its processes go on)");
		return;
	}
	if (s->c.type == SVC_ONESHOT && code == 0 && !s->timed_out) {
		signal_all(s, SIGKILL);
		s->st = ST_DONE;
		s->why[0] = '\0';
		svc_log_msg(&s->log, "done");
		return;
	}
	finished(s, res, how);
}

/*
 * One notify socket for every service, at systemd's path (what snapd's
 * daemon-notify interface lets a confined app write to); who sent a message
 * is told by the sender's credentials.
 */
static void notify_socket(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char dir[SVC_PATH_MAX];

	path_of(S.ntf_path, sizeof(S.ntf_path), SVC_NOTIFY_SOCKET);
	path_of(dir, sizeof(dir), "/run/systemd");
	S.ntf = -1;
	if (strlen(S.ntf_path) >= sizeof(a.sun_path)) {
		say("%s: socket path too long: notify services will not start", S.ntf_path);
		return;
	}
	mkdir(dir, 0755);
	strcpy(a.sun_path, S.ntf_path);
	unlink(S.ntf_path);
	S.ntf = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (S.ntf < 0 || bind(S.ntf, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    setsockopt(S.ntf, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)) < 0) {
		say("cannot create the notify socket %s: %s: notify services will not start", S.ntf_path,
		    strerror(errno));
		if (S.ntf >= 0)
			close(S.ntf);
		S.ntf = -1;
	}
}

static int start_svc(struct svc *s)
{
	const char *argv[] = { S.o->snap_run, s->c.name, NULL };
	struct svc_spawn sp = { .argv = argv, .cgroup = "" };
	struct diag err;
	int p[2];
	pid_t pid;

	if (s->st == ST_STARTING || s->st == ST_RUNNING || s->st == ST_STOPPING)
		return 0;
	if (s->inst && s->inst->failed) {
		s->st = ST_REFUSED;
		snprintf(s->why, sizeof(s->why), "%s", s->inst->why);
		return -1;
	}
	if (svc_cg_create(&S.cg, s->c.name, s->cg, sizeof(s->cg), &err))
		svc_log_msg(&s->log, "%s: tracked by its process group instead", err.msg);
	sp.cgroup = s->cg;
	if (s->c.type == SVC_NOTIFY) {
		if (S.ntf < 0) {
			diag_set(&err, "no notify socket");
			goto fail;
		}
		sp.notify = S.ntf_path;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		diag_errno(&err, "cannot make a pipe");
		goto fail;
	}
	sp.out = p[1];
	pid = svc_spawn(&sp, &err);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		goto fail;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	if (s->out >= 0)
		close(s->out);
	s->out = p[0];
	s->pid = s->pgid = pid;
	s->started = svc_now_ms();
	s->timed_out = false;
	s->why[0] = '\0';
	s->st = s->c.type == SVC_SIMPLE ? ST_RUNNING : ST_STARTING;
	s->deadline = s->st == ST_STARTING && s->c.start_timeout_ms ? s->started + s->c.start_timeout_ms : 0;
	svc_log_msg(&s->log, "started %s (pid %d)", svc_type_name(s->c.type), (int)pid);
	return 0;
fail:
	svc_log_msg(&s->log, "cannot start: %s", err.msg);
	s->st = ST_FAILED;
	snprintf(s->why, sizeof(s->why), "cannot start: %.180s", err.msg);
	return -1;
}

/* ---- the event loop */

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == S.helper.pid) {
			S.helper.status = status;
			S.helper.done = true;
			S.helper.pid = 0;
			continue;
		}
		for (size_t i = 0; i < S.n; i++)
			if (S.v[i].pid == pid)
				on_exit_status(&S.v[i], status);
	}
}

/* 1 while the pipe may give more */
static int drain(int *fd, struct svc_log *log, int stream)
{
	char buf[4096];
	ssize_t r;

	while (*fd >= 0) {
		r = read(*fd, buf, sizeof(buf));
		if (r > 0) {
			svc_log_feed(log, stream, buf, (size_t)r);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return 1;
		svc_log_flush(log, stream);
		close(*fd);
		*fd = -1;
	}
	return 0;
}

/* READY=1 from a process of a notify service that is starting (its credentials, SCM_CREDENTIALS) */
static void notified(void)
{
	char buf[4096], cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr m;
	ssize_t r;

	for (;;) {
		struct cmsghdr *c;
		struct ucred cr = { .pid = 0 };
		struct svc *s = NULL;

		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		r = recvmsg(S.ntf, &m, MSG_CMSG_CLOEXEC);
		if (r <= 0)
			return;
		buf[r] = '\0';
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS)
				memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				for (int *fd = (int *)CMSG_DATA(c);
				     (char *)(fd + 1) <= (char *)c + c->cmsg_len; fd++)
					close(*fd);
		for (size_t i = 0; i < S.n && !s && cr.pid > 0; i++)
			if (S.v[i].c.type == SVC_NOTIFY &&
			    (S.v[i].st == ST_STARTING || S.v[i].st == ST_RUNNING) &&
			    svc_pid_belongs(cr.pid, S.v[i].c.name, S.v[i].cg[0] != '\0', S.v[i].pgid))
				s = &S.v[i];
		if (!s) {
			say("notification from pid %d ignored: not a process of a notify service",
			    (int)cr.pid);
			continue;
		}
		for (char *l = buf; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			if (!strncmp(l, "READY=1", 7) && (l[7] == '\n' || !l[7]) && s->st == ST_STARTING) {
				s->st = ST_RUNNING;
				s->deadline = 0;
				svc_log_msg(&s->log, "ready (READY=1 from pid %d)", (int)cr.pid);
			}
	}
}

static void timers(void)
{
	int64_t now = svc_now_ms();

	for (size_t i = 0; i < S.n; i++) {
		struct svc *s = &S.v[i];

		if (s->st == ST_WAIT && now >= s->deadline && !S.stopping_all) {
			start_svc(s);
		} else if (s->st == ST_STARTING && s->deadline && now >= s->deadline && !s->timed_out) {
			s->timed_out = true;
			svc_log_msg(&s->log, "not started within %u ms: killing it", s->c.start_timeout_ms);
			signal_all(s, SIGKILL);
		} else if (s->st == ST_RUNNING && s->pid == 0 && !alive(s)) {
			/* a forking service whose processes are all gone */
			s->pgid = 0;
			finished(s, RES_EXIT, "its processes are gone");
		}
	}
}

static int next_timeout(int max_ms)
{
	int64_t now = svc_now_ms(), t = max_ms;

	for (size_t i = 0; i < S.n; i++) {
		const struct svc *s = &S.v[i];

		if ((s->st == ST_WAIT || s->st == ST_STARTING) && s->deadline && s->deadline - now < t)
			t = s->deadline - now;
		if (s->st == ST_RUNNING && s->pid == 0 && t > 200)
			t = 200; /* forking: looked at 5 times a second */
	}
	return t < 0 ? 0 : (int)t;
}

static void handle_request(int fd, char *req);

static void loop_once(int max_ms, bool ctl)
{
	struct pollfd p[2 + 2 * SVC_MAX + 1];
	struct svc *who[2 + 2 * SVC_MAX + 1];
	size_t np = 0;
	int ctl_at = -1;

	p[np] = (struct pollfd){ .fd = S.sigfd, .events = POLLIN };
	who[np++] = NULL;
	if (S.helper.out >= 0) {
		p[np] = (struct pollfd){ .fd = S.helper.out, .events = POLLIN };
		who[np++] = NULL;
	}
	for (size_t i = 0; i < S.n; i++) {
		if (S.v[i].out >= 0) {
			p[np] = (struct pollfd){ .fd = S.v[i].out, .events = POLLIN };
			who[np++] = &S.v[i];
		}
	}
	if (S.ntf >= 0) {
		p[np] = (struct pollfd){ .fd = S.ntf, .events = POLLIN };
		who[np++] = NULL;
	}
	if (ctl && S.ctl >= 0) {
		ctl_at = (int)np;
		p[np] = (struct pollfd){ .fd = S.ctl, .events = POLLIN };
		who[np++] = NULL;
	}
	if (poll(p, np, next_timeout(max_ms)) < 0 && errno != EINTR)
		return;
	if (p[0].revents & POLLIN) {
		struct signalfd_siginfo si;

		while (read(S.sigfd, &si, sizeof(si)) == sizeof(si))
			if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
				S.shutdown_req = true;
		reap();
	}
	for (size_t i = 1; i < np; i++) {
		if (!p[i].revents || (int)i == ctl_at)
			continue;
		if (p[i].fd == S.helper.out)
			drain(&S.helper.out, S.helper.log, 1);
		else if (who[i] && p[i].fd == who[i]->out)
			drain(&who[i]->out, &who[i]->log, 0);
		else if (p[i].fd == S.ntf)
			notified();
	}
	timers();
	/* last: a request may wait and run the loop itself */
	if (ctl_at >= 0 && (p[ctl_at].revents & POLLIN)) {
		char req[256];
		struct diag err;
		int fd = svc_ctl_accept(S.ctl, req, sizeof(req), &err);

		if (fd < 0)
			say("%s", err.msg);
		else
			handle_request(fd, req);
	}
}

/* runs snap-run ARG1 ARG2 to its end (or kills it after timeout_ms), its output into log; the wait status */
static int run_helper(struct svc_log *log, const char *a1, const char *a2, unsigned timeout_ms)
{
	const char *argv[] = { S.o->snap_run, a1, a2, NULL };
	struct svc_spawn sp = { .argv = argv, .cgroup = "" };
	int64_t end = svc_now_ms() + timeout_ms;
	struct diag err;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	sp.out = p[1];
	pid = svc_spawn(&sp, &err);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		svc_log_msg(log, "%s", err.msg);
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	S.helper.pid = pid;
	S.helper.out = p[0];
	S.helper.log = log;
	S.helper.done = false;
	while (!S.helper.done) {
		int64_t left = end - svc_now_ms();

		if (left <= 0 && S.helper.pid) {
			svc_log_msg(log, "%s %s still runs after %u ms: killed", a1, a2, timeout_ms);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			end = svc_now_ms() + 60000;
		}
		loop_once(left > 0 && left < 1000 ? (int)left : 1000, false);
	}
	while (drain(&S.helper.out, log, 1))
		loop_once(100, false); /* what a left-over child still writes, until it closes */
	return S.helper.status;
}

static void wait_gone(struct svc *s, int64_t end)
{
	while (alive(s) && svc_now_ms() < end)
		loop_once(50, false);
}

/* what a stopped service holds: its output pipe, its cgroup */
static void release(struct svc *s)
{
	if (s->out >= 0)
		close(s->out);
	s->out = -1;
	if (s->cg[0])
		svc_cg_remove(s->cg);
	s->cg[0] = '\0';
	s->pgid = 0;
	s->quick = 0;
}

/* stops s (stop-command, SIGTERM, SIGKILL after stop-timeout, post-stop-command); true if it killed */
static bool stop_svc(struct svc *s)
{
	char arg[SVC_NAME_MAX + 12];
	bool killed = false, was = s->st == ST_RUNNING || s->st == ST_STARTING;

	if (s->st == ST_WAIT || s->st == ST_DONE || s->st == ST_FAILED)
		s->st = ST_INACTIVE;
	if (!was && !alive(s)) {
		drain(&s->out, &s->log, 0);
		release(s);
		return false;
	}
	s->st = ST_STOPPING;
	svc_log_msg(&s->log, "stopping");
	if (s->c.stop_cmd && was) {
		snprintf(arg, sizeof(arg), "%s", s->c.name);
		int st = run_helper(&s->log, "--command=stop", arg, s->c.stop_timeout_ms);
		svc_log_msg(&s->log, "stop command: status %d", st);
		wait_gone(s, svc_now_ms() + 200);
	}
	if (alive(s)) {
		signal_all(s, SIGTERM);
		signal_all(s, SIGCONT);
		wait_gone(s, svc_now_ms() + s->c.stop_timeout_ms);
	}
	if (alive(s)) {
		killed = true;
		svc_log_msg(&s->log, "still running after stop-timeout (%u ms): SIGKILL",
			    s->c.stop_timeout_ms);
		for (int64_t end = svc_now_ms() + 5000; alive(s) && svc_now_ms() < end;) {
			signal_all(s, SIGKILL); /* again: what forked meanwhile */
			loop_once(50, false);
		}
	}
	if (s->c.post_stop_cmd && was) {
		snprintf(arg, sizeof(arg), "%s", s->c.name);
		int st = run_helper(&s->log, "--command=post-stop", arg, s->c.stop_timeout_ms);
		svc_log_msg(&s->log, "post-stop command: status %d", st);
	}
	drain(&s->out, &s->log, 0);
	release(s);
	s->st = ST_INACTIVE;
	snprintf(s->why, sizeof(s->why), "stopped%s", killed ? " (killed after stop-timeout)" : "");
	svc_log_msg(&s->log, "%s", s->why);
	return killed;
}

/* ---- requests */

static char reply[32 * 1024];

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	size_t u = strlen(reply);
	va_list ap;

	if (u >= sizeof(reply) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(reply + u, sizeof(reply) - u, fmt, ap);
	va_end(ap);
}

static void status_line(const struct svc *s)
{
	out("%s %s", s->c.name, st_names[s->st]);
	if (s->pid > 0 && (s->st == ST_RUNNING || s->st == ST_STARTING))
		out(" pid=%d", (int)s->pid);
	if (s->st == ST_WAIT)
		out(" in=%dms", (int)(s->deadline - svc_now_ms()));
	if (s->restarts)
		out(" restarts=%u", s->restarts);
	if (s->why[0] && s->st != ST_RUNNING)
		out(" (%s)", s->why);
	out("\n");
}

static bool matches(const struct svc *s, const char *x)
{
	return !x || !strcmp(s->c.name, x) || !strcmp(s->c.instance, x);
}

/* the matching services in start order (then those left out of it) */
static size_t targets(const char *x, struct svc **t)
{
	size_t n = 0;
	bool in[SVC_MAX] = { false };

	for (size_t k = 0; k < S.n_order; k++) {
		in[S.order[k]] = true;
		if (matches(&S.v[S.order[k]], x))
			t[n++] = &S.v[S.order[k]];
	}
	for (size_t i = 0; i < S.n; i++)
		if (!in[i] && matches(&S.v[i], x))
			t[n++] = &S.v[i];
	return n;
}

static void start_wait(struct svc *s)
{
	if (s->st == ST_REFUSED && !(s->inst && s->inst->failed))
		s->st = ST_INACTIVE; /* a cycle: started when asked by name */
	start_svc(s);
	while (s->st == ST_STARTING)
		loop_once(1000, false);
}

static void shutdown_all(void)
{
	struct svc *t[SVC_MAX];
	size_t n = targets(NULL, t), stopped = 0, nk = 0;

	S.stopping_all = true;
	S.booting = false;
	reply[0] = '\0';
	for (size_t i = n; i-- > 0;) {
		bool running = t[i]->st == ST_RUNNING || t[i]->st == ST_STARTING || alive(t[i]);

		if (stop_svc(t[i])) {
			out("%s%s", nk++ ? ", " : "killed after stop-timeout: ", t[i]->c.name);
		}
		stopped += running;
	}
	if (nk)
		out("\n");
	out("stopped %zu services\n", stopped);
}

static void handle_request(int fd, char *req)
{
	char *cmd = strtok(req, " "), *x = strtok(NULL, " ");
	struct svc *t[SVC_MAX];
	size_t n;
	int rc = SVC_EXIT_OK;

	reply[0] = '\0';
	if (!cmd || strtok(NULL, " ")) {
		svc_ctl_reply(fd, SVC_EXIT_USAGE, "bad request\n");
		return;
	}
	if (!strcmp(cmd, "shutdown") && !x) {
		shutdown_all();
		svc_ctl_reply(fd, SVC_EXIT_OK, reply);
		S.shutdown_req = true;
		return;
	}
	n = targets(x, t);
	if (!n) {
		char msg[SVC_NAME_MAX + 40];

		snprintf(msg, sizeof(msg), "no service %s\n", x ? x : "");
		svc_ctl_reply(fd, x ? SVC_EXIT_USAGE : SVC_EXIT_OK, x ? msg : "");
		return;
	}
	if (!strcmp(cmd, "status")) {
		for (size_t i = 0; i < n; i++)
			status_line(t[i]);
	} else if (x && (!strcmp(cmd, "stop") || !strcmp(cmd, "start") || !strcmp(cmd, "restart"))) {
		if (strcmp(cmd, "start"))
			for (size_t i = n; i-- > 0;)
				if (stop_svc(t[i]))
					out("%s: killed after stop-timeout\n", t[i]->c.name);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(cmd, "stop"))
				start_wait(t[i]);
			if (strcmp(cmd, "stop") && t[i]->st != ST_RUNNING && t[i]->st != ST_DONE)
				rc = SVC_EXIT_FAILED;
			status_line(t[i]);
		}
	} else {
		svc_ctl_reply(fd, SVC_EXIT_USAGE, "unknown request\n");
		return;
	}
	svc_ctl_reply(fd, rc, reply);
}

/* ---- boot */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load(void)
{
	char dir[SVC_PATH_MAX], path[SVC_PATH_MAX + 300], *names[SVC_MAX];
	struct svc_conf c;
	struct dirent *e;
	size_t nn = 0;
	DIR *d;
	int root;

	path_of(dir, sizeof(dir), SVC_SERVICES_DIR);
	d = opendir(dir);
	if (!d) {
		if (errno != ENOENT) {
			say("cannot list %s: %s", dir, strerror(errno));
			S.boot_failed = true;
		}
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && nn < SVC_MAX)
			names[nn++] = strdup(e->d_name);
	closedir(d);
	qsort(names, nn, sizeof(*names), by_name);
	root = open(S.o->root[0] ? S.o->root : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (size_t i = 0; i < nn; i++) {
		struct diag err;
		char *text = NULL;
		size_t len;
		int fd;

		snprintf(path, sizeof(path), SVC_SERVICES_DIR "/%s", names[i]);
		fd = root < 0 ? -1 : trusted_open_below(root, path, &err);
		if (fd < 0 || fd_read_all(fd, path, SVC_FILE_MAX, &text, &len, &err) ||
		    svc_conf_parse(path, names[i], text, &c, &err)) {
			say("%s: service not started", err.msg);
			S.boot_failed = true;
		} else {
			struct svc *s = &S.v[S.n++];
			char logp[SVC_PATH_MAX + 80];

			memset(s, 0, sizeof(*s));
			s->c = c;
			s->out = -1;
			s->st = c.enabled ? ST_INACTIVE : ST_DISABLED;
			for (size_t k = 0; k < S.n_inst; k++)
				if (!strcmp(S.inst[k].name, c.instance))
					s->inst = &S.inst[k];
			path_of(logp, sizeof(logp), SVC_LOG_DIR "/snap.%s.log", c.name);
			svc_log_open(&s->log, logp, S.o->log_max);
		}
		if (fd >= 0)
			close(fd);
		free(text);
		free(names[i]);
	}
	if (root >= 0)
		close(root);
}

/* one snap's first-boot hooks, install then configure; in->failed and in->why say how they went */
static void run_hooks(struct svc_inst *in, struct svc_log *log)
{
	static const char *const hooks[] = { "install", "configure" };
	struct diag err;
	char arg[40];

	for (size_t h = 0; h < 2 && !in->failed; h++) {
		int st;

		if (!svc_hook_exists(S.o->root, in->name, hooks[h]))
			continue;
		snprintf(arg, sizeof(arg), "--hook=%s", hooks[h]);
		svc_log_msg(log, "running the %s hook of %s (revision %s)", hooks[h], in->name, in->revision);
		st = run_helper(log, arg, in->name, 600 * 1000);
		if (st == 0)
			continue;
		in->failed = true;
		if (st > 0 && WIFEXITED(st))
			snprintf(in->why, sizeof(in->why), "%s hook failed: exit status %d", hooks[h],
				 WEXITSTATUS(st));
		else if (st > 0 && WIFSIGNALED(st))
			snprintf(in->why, sizeof(in->why), "%s hook failed: killed by signal %d", hooks[h],
				 WTERMSIG(st));
		else
			snprintf(in->why, sizeof(in->why), "%s hook failed: could not run", hooks[h]);
		svc_log_msg(log, "%s: the services of %s are not started", in->why, in->name);
	}
	if (in->failed)
		return;
	if (svc_hook_mark(S.o->root, in, &err))
		svc_log_msg(log, "%s", err.msg);
	else
		svc_log_msg(log, "first boot of %s done (revision %s)", in->name, in->revision);
}

/*
 * The first boot of each snap (no marker of its revision yet): its hooks,
 * every snap's at once, each snap's in a child of its own that runs them in
 * their order and sends back how they went (the snaps do not wait for each
 * other, as snapd's seeding does not order unrelated snaps; no service runs
 * yet). A child that dies without saying counts as a failed hook.
 */
static void first_boot(void)
{
	int out[SVC_MAX];
	pid_t pid[SVC_MAX];
	bool later[SVC_MAX]; /* no hooks to run: only its marker, once the others' hooks run */

	for (size_t i = 0; i < S.n_inst; i++) {
		struct svc_inst *in = &S.inst[i];
		char logp[SVC_PATH_MAX + 80];
		int p[2];

		out[i] = -1;
		pid[i] = -1;
		later[i] = false;
		path_of(logp, sizeof(logp), SVC_LOG_DIR "/snap.%s.log", in->name);
		svc_log_open(&S.ilog[i], logp, S.o->log_max);
		if (svc_hook_done(S.o->root, in))
			continue;
		if (!svc_hook_exists(S.o->root, in->name, "install") &&
		    !svc_hook_exists(S.o->root, in->name, "configure")) {
			later[i] = true;
			continue;
		}
		if (pipe2(p, O_CLOEXEC) < 0) {
			run_hooks(in, &S.ilog[i]); /* no pipe: here */
			continue;
		}
		pid[i] = fork();
		if (pid[i] < 0) {
			close(p[0]);
			close(p[1]);
			run_hooks(in, &S.ilog[i]);
			continue;
		}
		if (pid[i] == 0) {
			close(p[0]);
			run_hooks(in, &S.ilog[i]);
			svc_log_close(&S.ilog[i]);
			(void)!write(p[1], in, sizeof(*in));
			_exit(0);
		}
		close(p[1]);
		out[i] = p[0];
	}
	for (size_t i = 0; i < S.n_inst; i++)
		if (later[i])
			run_hooks(&S.inst[i], &S.ilog[i]);
	for (size_t i = 0; i < S.n_inst; i++) {
		struct svc_inst *in = &S.inst[i], got;
		char logp[sizeof(S.ilog[i].path)];
		ssize_t n;

		if (pid[i] <= 0)
			continue;
		do
			n = read(out[i], &got, sizeof(got));
		while (n < 0 && errno == EINTR);
		close(out[i]);
		while (waitpid(pid[i], NULL, 0) < 0 && errno == EINTR)
			;
		/* the child wrote (and may have rotated) the snap's log: opened again */
		memcpy(logp, S.ilog[i].path, sizeof(logp));
		svc_log_close(&S.ilog[i]);
		svc_log_open(&S.ilog[i], logp, S.o->log_max);
		if (n == (ssize_t)sizeof(got) && !strcmp(got.name, in->name)) {
			in->failed = got.failed;
			memcpy(in->why, got.why, sizeof(in->why));
		} else {
			in->failed = true;
			snprintf(in->why, sizeof(in->why), "first-boot hooks: their process died");
			svc_log_msg(&S.ilog[i], "%s", in->why);
		}
	}
	for (size_t i = 0; i < S.n_inst; i++) {
		if (!S.inst[i].failed)
			continue;
		say("%s: %s: its services are not started", S.inst[i].name, S.inst[i].why);
		S.boot_failed = true;
	}
}

/*
 * The work of boot before the first service starts (the instances and the
 * service files read, the first boot's hooks and markers, the order) runs
 * SVC_BOOT_NICE nicer (nice(1)'s sense: added, at most 19): the hooks'
 * children inherit it. On a board with one CPU the apps launched meanwhile
 * and the rest of the boot go first; the services, which wait for all of it,
 * start once the same work is done. nicer() returns the nice value to come
 * back to (20: none, it was left alone), nice_back() comes back to it.
 */
static int nicer(void)
{
	int nice0;

	errno = 0;
	nice0 = getpriority(PRIO_PROCESS, 0);
	if ((nice0 == -1 && errno) || nice0 >= 19)
		return 20;
	setpriority(PRIO_PROCESS, 0, nice0 + SVC_BOOT_NICE < 19 ? nice0 + SVC_BOOT_NICE : 19);
	return nice0;
}

static void nice_back(int nice0)
{
	if (nice0 < 20)
		setpriority(PRIO_PROCESS, 0, nice0);
}

static void plan(void)
{
	const struct svc_conf *c[SVC_MAX];
	bool refused[SVC_MAX] = { false };
	struct diag err;

	for (size_t i = 0; i < S.n; i++)
		c[i] = &S.v[i].c;
	if (svc_order(c, S.n, S.order, &S.n_order, refused, &err)) {
		say("%s", err.msg);
		S.boot_failed = true;
	}
	for (size_t i = 0; i < S.n; i++) {
		struct svc *s = &S.v[i];

		if (refused[i]) {
			s->st = ST_REFUSED;
			snprintf(s->why, sizeof(s->why), "ordering cycle");
			svc_log_msg(&s->log, "not started: %s", err.msg);
		} else if (s->inst && s->inst->failed) {
			s->st = ST_REFUSED;
			snprintf(s->why, sizeof(s->why), "%s", s->inst->why);
			svc_log_msg(&s->log, "not started: %s", s->inst->why);
		}
	}
}

/* must a start after b (a's after: names b, or b's before: names a)? */
static bool ordered_after(const struct svc *a, const struct svc *b)
{
	for (size_t k = 0; k < a->c.n_after; k++)
		if (!strcmp(a->c.after[k], b->c.name))
			return true;
	for (size_t k = 0; k < b->c.n_before; k++)
		if (!strcmp(b->c.before[k], a->c.name))
			return true;
	return false;
}

/*
 * Starts, in the start order, every service whose predecessors (after:,
 * before:) have started: a oneshot or a notify service that is still
 * starting holds back only what is ordered after it, as systemd's
 * ordering does, not every service that comes later in the order. Boot is
 * done when none is left to start and none is starting.
 */
static void boot_step(void)
{
	unsigned char rc;
	bool waiting = false;

	if (!S.booting)
		return;
	for (size_t k = 0; k < S.n_order; k++) {
		size_t i = S.order[k];
		struct svc *s = &S.v[i];
		bool ready = true;

		if (s->st == ST_STARTING)
			waiting = true;
		if (s->st != ST_INACTIVE || S.boot_tried[i])
			continue;
		for (size_t j = 0; j < k && ready; j++) {
			size_t pi = S.order[j];
			const struct svc *p = &S.v[pi];

			if (ordered_after(s, p) &&
			    (p->st == ST_STARTING || (p->st == ST_INACTIVE && !S.boot_tried[pi])))
				ready = false;
		}
		if (!ready) {
			waiting = true;
			continue;
		}
		S.boot_tried[i] = true;
		start_svc(s);
		if (s->st == ST_STARTING)
			waiting = true;
	}
	if (waiting)
		return;
	S.booting = false;
	for (size_t i = 0; i < S.n; i++)
		if (S.v[i].st == ST_FAILED)
			S.boot_failed = true;
	rc = S.boot_failed ? SVC_EXIT_FAILED : SVC_EXIT_OK;
	if (S.boot_pipe >= 0) {
		(void)!write(S.boot_pipe, &rc, 1);
		close(S.boot_pipe);
		S.boot_pipe = -1;
	}
}

int svc_daemon_boot(const struct svc_opts *o)
{
	char sock[SVC_PATH_MAX + 40], why[200];
	struct diag err;
	unsigned char rc = SVC_EXIT_FAILED;
	sigset_t set;
	int p[2], nice0;
	pid_t pid;

	S.o = o; /* called once: S is zero */
	S.helper.out = S.boot_pipe = S.ctl = S.ntf = -1;
	mkdirs("/run/snapd", 0755);
	mkdirs(SVC_LOG_DIR, 0755);
	path_of(sock, sizeof(sock), SVC_SOCKET);
	S.ctl = svc_ctl_listen(sock, &err);
	if (S.ctl < 0) {
		say("%s", err.msg);
		return SVC_EXIT_FAILED;
	}
	/* (a board without networking still starts its services) */
	if (svc_loopback_up(&err))
		say("%s", err.msg);
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		say("cannot start the daemon: %s", strerror(errno));
		return SVC_EXIT_FAILED;
	}
	if (pid > 0) {
		/* the parent returns once the services are started (or failed) */
		close(p[1]);
		close(S.ctl);
		if (read(p[0], &rc, 1) != 1)
			say("the daemon died during boot");
		return rc;
	}
	close(p[0]);
	S.boot_pipe = p[1];
	setsid();
	{
		int nul = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			close(nul);
		}
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	S.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	notify_socket();
	svc_cg_init(&S.cg, o->no_cgroup, why, sizeof(why));
	if (!S.cg.v2)
		say("%s", why);
	nice0 = nicer();
	if (svc_instances(o->root, S.inst, SVC_MAX, &S.n_inst, &err)) {
		say("%s", err.msg);
		S.boot_failed = true;
	}
	load();
	first_boot();
	plan();
	nice_back(nice0);
	S.booting = true;
	while (!S.shutdown_req) {
		boot_step();
		loop_once(1000, true);
	}
	if (!S.stopping_all) {
		/* SIGTERM */
		shutdown_all();
		fputs(reply, stderr);
	}
	for (size_t i = 0; i < S.n; i++)
		svc_log_close(&S.v[i].log);
	unlink(sock);
	if (S.ntf >= 0)
		unlink(S.ntf_path);
	_exit(SVC_EXIT_OK);
}
