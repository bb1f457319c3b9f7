// SPDX-License-Identifier: GPL-3.0-only
/* snap-supervisor's parsers and planners (confine/lib/svc_*.c): service files, order, logs */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "svc.h"
#include "tap.h"

static int parse(const char *file, const char *text, struct svc_conf *c, struct diag *err)
{
	err->msg[0] = '\0';
	return svc_conf_parse(file, file, text, c, err);
}

static void files(void)
{
	struct svc_conf c;
	struct diag err;
	static const struct {
		const char *file, *text, *want;
	} bad[] = {
		{ "snap.a.b", "version=1\ndaemon=simple\n", "the name is not snap.INSTANCE.APP" },
		{ "snap.hello", "version=1\ndaemon=simple\n", "the name is not snap.INSTANCE.APP (no app)" },
		{ "hello.app", "version=1\ndaemon=simple\n", "the name is not snap.INSTANCE.APP" },
		{ "snap.hello.app", "daemon=simple\n", "snap.hello.app: no version=1 line" },
		{ "snap.hello.app", "version=1\n", "snap.hello.app: no daemon= line" },
		{ "snap.hello.app", "version=2\n", "snap.hello.app:1: unsupported version '2'" },
		{ "snap.hello.app", "version=1\n# c\ndaemon=dbus\n",
		  "snap.hello.app:3: unknown daemon type 'dbus'" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nrestart-condition=sometimes\n",
		  "snap.hello.app:3: unknown restart-condition 'sometimes'" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nrestart-delay=1s\n",
		  "snap.hello.app:3: restart-delay '1s' is not a number of milliseconds" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nstop-timeout=-1\n",
		  "snap.hello.app:3: stop-timeout '-1' is not a number of milliseconds" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nstop-command=true\n",
		  "snap.hello.app:3: stop-command must be yes or no, not 'true'" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nrefresh-mode=endure\n",
		  "snap.hello.app:3: unknown key 'refresh-mode'" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nafter=hello\n",
		  "snap.hello.app:3: 'hello' is not INSTANCE.APP" },
		{ "snap.hello.app", "version=1\ndaemon=simple\nbefore=Bad.app\n",
		  "snap.hello.app:3: 'Bad.app'" },
		{ "snap.hello.app", "version=1\nno equals sign\n", "snap.hello.app:2: not KEY=VALUE" },
	};

	ok(parse("snap.hello_k.srv-1",
		 "version=1\n# the generator's comment\n\ndaemon=notify\nrestart-condition=on-abnormal\n"
		 "restart-delay=250\nstart-timeout=0\nstop-timeout=1500\nstop-command=yes\n"
		 "post-stop-command=yes\nreload-command=no\nafter=hello_k.db\nafter=other.x\n"
		 "before=hello_k.web\nenabled=no",
		 &c, &err) == 0,
	   "a full service file parses (%s)", err.msg);
	ok(!strcmp(c.name, "hello_k.srv-1") && !strcmp(c.instance, "hello_k"), "name %s, instance %s", c.name,
	   c.instance);
	ok(c.type == SVC_NOTIFY && c.restart == RS_ON_ABNORMAL && c.restart_delay_ms == 250 &&
		   c.start_timeout_ms == 0 && c.stop_timeout_ms == 1500,
	   "type, restart-condition and times");
	ok(c.stop_cmd && c.post_stop_cmd && !c.reload_cmd && !c.enabled, "yes/no keys");
	ok(c.n_after == 2 && !strcmp(c.after[1], "other.x") && c.n_before == 1 &&
		   !strcmp(c.before[0], "hello_k.web"),
	   "after= and before= repeat");
	ok(parse("snap.hello.app", "version=1\ndaemon=forking\n", &c, &err) == 0 &&
		   c.restart == RS_ON_FAILURE && c.restart_delay_ms == 100 && c.stop_timeout_ms == 30000 &&
		   c.start_timeout_ms == 90000 && c.enabled,
	   "defaults: on-failure, 100 ms, 30 s stop, 90 s start, enabled");
	ok(parse("snap.hello.app", "version=1\ndaemon=oneshot\nrestart-condition=no\n", &c, &err) == 0 &&
		   c.start_timeout_ms == 0 && c.restart == RS_NEVER,
	   "oneshot: no start timeout by default; restart-condition=no is never");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse(bad[i].file, bad[i].text, &c, &err) == -1 && strstr(err.msg, bad[i].want) &&
			   !strchr(err.msg, '\n'),
		   "refused, one line: %s", err.msg);
}

static size_t mk(struct svc_conf *c, const char *spec)
{
	/* "a>b c d>a": a before b ... (names x.NAME) */
	size_t n = 0;
	char buf[256], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *gt = strchr(tok, '>');

		memset(&c[n], 0, sizeof(c[n]));
		if (gt)
			*gt = '\0';
		snprintf(c[n].name, sizeof(c[n].name), "x.%s", tok);
		if (gt)
			snprintf(c[n].before[c[n].n_before++], SVC_NAME_MAX, "x.%s", gt + 1);
		n++;
	}
	return n;
}

static const char *run_order(struct svc_conf *c, size_t n, struct diag *err, bool *refused)
{
	static char out[256];
	const struct svc_conf *p[SVC_MAX];
	size_t order[SVC_MAX], no = 0;

	for (size_t i = 0; i < n; i++) {
		p[i] = &c[i];
		refused[i] = false;
	}
	err->msg[0] = '\0';
	out[0] = '\0';
	svc_order(p, n, order, &no, refused, err);
	for (size_t i = 0; i < no; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "",
			 c[order[i]].name + 2);
	return out;
}

static void order(void)
{
	struct svc_conf c[8];
	bool refused[8];
	struct diag err;
	size_t n;

	n = mk(c, "a b c");
	ok(!strcmp(run_order(c, n, &err, refused), "a b c") && !err.msg[0], "no relation: name order");
	n = mk(c, "a b c>a");
	ok(!strcmp(run_order(c, n, &err, refused), "b c a"), "before=: c before a");
	n = mk(c, "a b c");
	snprintf(c[0].after[c[0].n_after++], SVC_NAME_MAX, "x.c");
	snprintf(c[1].after[c[1].n_after++], SVC_NAME_MAX, "x.missing");
	ok(!strcmp(run_order(c, n, &err, refused), "b c a"), "after=: a after c; a missing one ignored");
	n = mk(c, "a>b b>c c>a d e");
	snprintf(c[3].after[c[3].n_after++], SVC_NAME_MAX, "x.b");
	ok(!strcmp(run_order(c, n, &err, refused), "e") && refused[0] && refused[1] && refused[2] &&
		   refused[3] && !refused[4],
	   "a cycle and what is after it refused, the rest ordered");
	ok(!strcmp(err.msg, "ordering cycle between x.a, x.b, x.c: not started; nor what is after it: x.d"),
	   "the cycle's message: %s", err.msg);
	n = mk(c, "a>a");
	run_order(c, n, &err, refused);
	ok(refused[0] && strstr(err.msg, "between x.a:"), "a service before itself: %s", err.msg);
}

static void logs(void)
{
	char dir[] = "/tmp/test-svc-XXXXXX", path[64], old[80], *text = NULL;
	struct svc_log l;
	struct diag err;
	struct stat st;
	size_t len;
	int p[2];

	if (!mkdtemp(dir)) {
		skip(6, "no temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/x.log", dir);
	snprintf(old, sizeof(old), "%s.1", path);
	svc_log_open(&l, path, 2048);
	for (int i = 0; i < 100; i++) {
		char line[64];
		int k = snprintf(line, sizeof(line), "line %d\n", i);

		svc_log_feed(&l, 0, line, (size_t)k);
	}
	svc_log_feed(&l, 0, "no newline yet", 14);
	svc_log_msg(&l, "a message %d", 7);
	svc_log_close(&l);
	ok(stat(path, &st) == 0 && st.st_size <= 2048 && (st.st_mode & 0777) == 0600,
	   "the log is bounded (%ld), 0600", (long)st.st_size);
	ok(stat(old, &st) == 0 && st.st_size <= 2048 && st.st_size > 1500, "one old copy (%ld)",
	   (long)st.st_size);
	if (pipe(p) == 0 && svc_log_tail(path, 3, p[1], &err) == 0) {
		close(p[1]);
		fd_read_all(p[0], "pipe", 4096, &text, &len, &err);
		close(p[0]);
	}
	ok(text && strstr(text, "Z line 99\n") && strstr(text, "Z snap-supervisor: a message 7\n") &&
		   strstr(text, "Z no newline yet\n"),
	   "tail -n 3: the last lines, a partial line flushed on close, timestamps");
	ok(text && text[4] == '-' && text[10] == 'T' && text[23] == 'Z' && text[24] == ' ',
	   "ISO 8601 UTC time: %.25s", text ? text : "");
	ok(text && !strstr(text, "line 98\n"), "exactly three lines");
	free(text);
	text = NULL;
	if (pipe(p) == 0 && svc_log_tail(path, 1000, p[1], &err) == 0) {
		close(p[1]);
		fd_read_all(p[0], "pipe", 1 << 16, &text, &len, &err);
		close(p[0]);
	}
	ok(text && strstr(text, "line 99") && !strncmp(strchr(text, ' ') + 1, "line ", 5) &&
		   strstr(text, "line 99") > strstr(text, " line "),
	   "tail across the old copy and the current file, in order");
	free(text);
	unlink(path);
	unlink(old);
	rmdir(dir);
}

int main(void)
{
	files();
	order();
	logs();
	return tap_done();
}
