/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * snap-supervisor's pieces (docs/snap-supervisor.md), split by concern:
 *   svc_file.c   service files (docs/formats.md "Service file"): parse, load
 *   svc_order.c  before/after ordering, cycles refused
 *   svc_proc.c   process control: cgroup v2 per service, or the process group
 *   svc_log.c    bounded, rotated, timestamped logs; reading them back
 *   svc_ctl.c    the control socket: server side checks, the client
 *   svc_hook.c   first-boot hooks and the state marker (Contract 4)
 *   svc_daemon.c the daemon: states, restarts, back-off, start and stop
 */
#ifndef CONFINE_SVC_H
#define CONFINE_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "tag.h"

#define SVC_NAME_MAX (SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX + 1 + APP_NAME_MAX + 1)
#define SVC_DEPS_MAX 16
#define SVC_MAX	     64
#define SVC_PATH_MAX 512
#define SVC_FILE_MAX (16 * 1024)

#define SVC_SERVICES_DIR  "/var/lib/snapd/confine/services"
#define SVC_STATE_DIR	  "/var/lib/snapd/confine/state"
#define SVC_RUN_DIR	  "/var/lib/snapd/confine/run"
#define SVC_LOG_DIR	  "/run/snapd/log"
#define SVC_NOTIFY_SOCKET "/run/systemd/notify"
#define SVC_SOCKET	  "/run/snapd/supervisor.socket"

/* defaults when a service file leaves a key out: systemd's and snapd's */
#define SVC_DEFAULT_RESTART_DELAY_MS 100
#define SVC_DEFAULT_STOP_TIMEOUT_MS  30000
#define SVC_DEFAULT_START_TIMEOUT_MS 90000
/* back-off: a run shorter than this is a quick crash; the delay doubles per quick crash, capped */
#define SVC_STABLE_RUN_MS  10000
#define SVC_BACKOFF_MIN_MS 100
#define SVC_BACKOFF_CAP_MS 60000
/* boot's work before the first service (reading, the first boot's hooks) runs this much nicer */
#define SVC_BOOT_NICE 10

/* exit codes of every command (docs/snap-supervisor.md) */
enum {
	SVC_EXIT_OK = 0,
	SVC_EXIT_FAILED = 1,
	SVC_EXIT_USAGE = 2,
	SVC_EXIT_NOT_RUNNING = 3,
	SVC_EXIT_DENIED = 4
};

enum svc_type { SVC_SIMPLE, SVC_FORKING, SVC_ONESHOT, SVC_NOTIFY };
enum svc_restart {
	RS_NEVER,
	RS_ON_SUCCESS,
	RS_ON_FAILURE,
	RS_ON_ABNORMAL,
	RS_ON_ABORT,
	RS_ON_WATCHDOG,
	RS_ALWAYS
};

struct svc_conf {
	char name[SVC_NAME_MAX]; /* INSTANCE.APP */
	char instance[SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX + 1];
	enum svc_type type;
	enum svc_restart restart;
	unsigned restart_delay_ms, start_timeout_ms, stop_timeout_ms;
	bool start_timeout_set, stop_cmd, post_stop_cmd, reload_cmd, enabled;
	char after[SVC_DEPS_MAX][SVC_NAME_MAX], before[SVC_DEPS_MAX][SVC_NAME_MAX];
	size_t n_after, n_before;
};

/* svc_file.c: file is "snap.INSTANCE.APP" (the name checked too); errors are "path:line: reason" */
int svc_conf_parse(const char *path, const char *file, const char *text, struct svc_conf *c,
		   struct diag *err);
/* "INSTANCE.APP" or "INSTANCE" (app "" then); -1 with a reason */
int svc_name_split(const char *name, char *instance, size_t ilen, char *app, size_t alen, struct diag *err);
const char *svc_type_name(enum svc_type t);

/* svc_order.c: order[] gets the indexes of the startable services, *n_order their count;
 * refused[i] is set for the services an ordering cycle leaves out, err names them */
int svc_order(const struct svc_conf *const *c, size_t n, size_t *order, size_t *n_order, bool *refused,
	      struct diag *err);

/* svc_log.c */
struct svc_log {
	char path[SVC_PATH_MAX];
	int fd;
	size_t size, max;
	char part[2][512]; /* a line not ended yet, per stream */
	size_t plen[2];
};
void svc_log_open(struct svc_log *l, const char *path, size_t max);
/* a supervisor message (prefixed "snap-supervisor: ") */
void svc_log_msg(struct svc_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* output of the service (stream 0) or a helper (stream 1), split into timestamped lines */
void svc_log_feed(struct svc_log *l, int stream, const char *buf, size_t n);
void svc_log_flush(struct svc_log *l, int stream);
void svc_log_close(struct svc_log *l);
/* prints the last n lines of path.1 + path on fd out */
int svc_log_tail(const char *path, unsigned n, int out, struct diag *err);

/* svc_proc.c */
struct svc_cg {
	bool v2;
	char dir[SVC_PATH_MAX]; /* the supervisor's own cgroup, where the services' go */
};
/* off: the process-group fallback even with cgroup v2 (a root-only test option) */
void svc_cg_init(struct svc_cg *cg, bool off, char *why, size_t whylen);
/* creates <dir>/snap.NAME.service and its leaf; *path gets the service's cgroup */
int svc_cg_create(const struct svc_cg *cg, const char *name, char *path, size_t len, struct diag *err);
/* 1: something runs in the cgroup, 0: empty, -1: cannot tell */
int svc_cg_populated(const char *path);
/* signals every process in the cgroup tree; the number signalled (SIGKILL by cgroup.kill: 1 if any) */
int svc_cg_signal(const char *path, int sig);
void svc_cg_remove(const char *path);
/* whether pid is one of service name's: in its cgroup (with cgroup v2) or its process group */
bool svc_pid_belongs(pid_t pid, const char *name, bool v2, pid_t pgid);

struct svc_spawn {
	const char *const *argv;
	const char *notify; /* NOTIFY_SOCKET, or NULL */
	const char *cgroup; /* the service cgroup (its leaf gets the child), or "" */
	int out;	    /* stdout and stderr */
};
/* forks and executes; returns once the program runs (its pid) or -1 with the reason */
pid_t svc_spawn(const struct svc_spawn *s, struct diag *err);

/* svc_ctl.c */
int svc_ctl_listen(const char *path, struct diag *err);
/* accepts one connection: the peer must be uid 0 (SO_PEERCRED); reads one request line */
int svc_ctl_accept(int lfd, char *req, size_t len, struct diag *err);
/* writes "rc N\n" then the text, closes */
void svc_ctl_reply(int fd, int rc, const char *text);
/* the client: sends req, prints the reply, returns its rc (or SVC_EXIT_NOT_RUNNING/DENIED) */
int svc_ctl_call(const char *path, const char *req);

/* svc_hook.c: the instances under root/snap in name order, and their first-boot state */
struct svc_inst {
	char name[SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX + 1];
	char revision[64];
	bool failed;
	char why[160];
};
int svc_instances(const char *root, struct svc_inst *v, size_t max, size_t *n, struct diag *err);
bool svc_hook_done(const char *root, const struct svc_inst *in);
bool svc_hook_exists(const char *root, const char *instance, const char *hook);
int svc_hook_mark(const char *root, const struct svc_inst *in, struct diag *err);

/* svc_net.c: lo up (its addresses come with it); 0, or -1 with err set */
int svc_loopback_up(struct diag *err);

/* svc_daemon.c */
struct svc_opts {
	char root[SVC_PATH_MAX]; /* "" on a device; a test root */
	char snap_run[SVC_PATH_MAX];
	bool no_cgroup;
	size_t log_max;
};
int svc_daemon_boot(const struct svc_opts *o);

int64_t svc_now_ms(void);

#endif
