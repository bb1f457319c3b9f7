// SPDX-License-Identifier: GPL-3.0-only
/*
 * A service's files (iface.h): the supervisor's service file
 * (docs/formats.md, "Service file") and, for hosts that run systemd, the
 * unit snapd would write, snap.<snap>.<app>.service, whose commands go
 * through snap-run. Defaults are snapd's and systemd's: restart-condition
 * on-failure, stop-timeout 30 s (snapd), restart-delay 100 ms and
 * start-timeout 90 s, none for a oneshot (systemd).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface/iface.h"
#include "iface/textbuf.h"
#include "run_file.h"

#define STOP_TIMEOUT_MS	 30000 /* snapd's timeout.DefaultTimeout */
#define RESTART_DELAY_MS 100   /* systemd's RestartSec= */
#define START_TIMEOUT_MS 90000 /* systemd's DefaultTimeoutStartSec= */

/* one unit of Go's time.ParseDuration, in nanoseconds */
static double unit_ns(const char **p)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = { { "ns", 1 },   { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
		      { "ms", 1e6 }, { "s", 1e9 },  { "m", 60e9 },	  { "h", 3600e9 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t l = strlen(units[i].name);

		/* "m" is not the start of "ms" */
		if (!strncmp(*p, units[i].name, l) && !(l == 1 && **p == 'm' && (*p)[1] == 's')) {
			*p += l;
			return units[i].ns;
		}
	}
	return 0;
}

int duration_ms(const char *text, long long *ms)
{
	const char *p = text;
	double total = 0, sign = 1;

	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (!strcmp(p, "0")) {
		*ms = 0;
		return 0;
	}
	if (!*p)
		return -1;
	while (*p) {
		double v = 0, frac = 0.1, u;
		bool digits = false;

		for (; *p >= '0' && *p <= '9'; p++, digits = true)
			v = v * 10 + (*p - '0');
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++, digits = true, frac /= 10)
				v += (*p - '0') * frac;
		if (!digits || !(u = unit_ns(&p)))
			return -1;
		total += v * u;
	}
	if (total > 9.2e18) /* Go's limit, about 292 years */
		return -1;
	*ms = (long long)(total / 1e6);
	if ((double)*ms * 1e6 < total)
		(*ms)++;
	*ms = (long long)sign * *ms;
	return 0;
}

static long long start_timeout(const struct app *a)
{
	return a->start_timeout >= 0	       ? a->start_timeout
	       : !strcmp(a->daemon, "oneshot") ? 0
					       : START_TIMEOUT_MS;
}

char *service_file_text(const struct snap *s, const struct app *a)
{
	struct textbuf b = { 0 };

	/* a oneshot is never restarted (snapd's unit: Restart=no) */
	tb_printf(&b,
		  "# the supervisor's service file, written from meta/snap.yaml (docs/formats.md)\n"
		  "version=1\ndaemon=%s\nrestart-condition=%s\nrestart-delay=%lld\nstart-timeout=%lld\n"
		  "stop-timeout=%lld\n",
		  a->daemon, !strcmp(a->daemon, "oneshot") ? "never" : a->restart,
		  a->restart_delay >= 0 ? a->restart_delay : RESTART_DELAY_MS, start_timeout(a),
		  a->stop_timeout >= 0 ? a->stop_timeout : STOP_TIMEOUT_MS);
	for (int x = 0; x < RUN_EXTRA_N; x++)
		tb_printf(&b, "%s-command=%s\n", run_extra_name[x], a->extra[x].words ? "yes" : "no");
	for (size_t i = 0; i < a->nafter; i++)
		tb_printf(&b, "after=%s.%s\n", s->name, a->after[i]);
	for (size_t i = 0; i < a->nbefore; i++)
		tb_printf(&b, "before=%s.%s\n", s->name, a->before[i]);
	tb_printf(&b, "enabled=%s\n", a->disabled ? "no" : "yes");
	return tb_done(&b);
}

/* a duration for systemd: milliseconds, which it reads as they are */
static void unit_ms(struct textbuf *b, const char *key, long long ms)
{
	tb_printf(b, "%s=%lldms\n", key, ms);
}

char *service_unit_text(const struct snap *s, const struct app *a, const char *snap_run)
{
	struct textbuf b = { 0 };
	const char *restart =
		!strcmp(a->daemon, "oneshot") || !strcmp(a->restart, "never") ? "no" : a->restart;

	tb_printf(&b,
		  "[Unit]\n# written by snap-interfaces from meta/snap.yaml, do not edit\n"
		  "Description=Service for snap application %s.%s\nWants=network.target\n"
		  "After=network.target",
		  s->name, a->name);
	for (size_t i = 0; i < a->nafter; i++)
		tb_printf(&b, " snap.%s.%s.service", s->name, a->after[i]);
	tb_printf(&b, "\n");
	if (a->nbefore) {
		tb_printf(&b, "Before=");
		for (size_t i = 0; i < a->nbefore; i++)
			tb_printf(&b, "%ssnap.%s.%s.service", i ? " " : "", s->name, a->before[i]);
		tb_printf(&b, "\n");
	}
	tb_printf(&b,
		  "X-Snappy=yes\n\n[Service]\nEnvironmentFile=-/etc/environment\nExecStart=%s %s.%s\n"
		  "SyslogIdentifier=%s.%s\nRestart=%s\n",
		  snap_run, s->name, a->name, s->name, a->name, restart);
	if (a->restart_delay >= 0)
		unit_ms(&b, "RestartSec", a->restart_delay);
	tb_printf(&b, "WorkingDirectory=/var/snap/%s/%s\n", s->name, s->rev);
	{
		static const char *const keys[] = { "ExecStop", "ExecStopPost", "ExecReload" };

		for (int x = 0; x < RUN_EXTRA_N; x++)
			if (a->extra[x].words)
				tb_printf(&b, "%s=%s --command=%s %s.%s\n", keys[x], snap_run,
					  run_extra_name[x], s->name, a->name);
	}
	unit_ms(&b, "TimeoutStopSec", a->stop_timeout >= 0 ? a->stop_timeout : STOP_TIMEOUT_MS);
	if (a->start_timeout >= 0)
		unit_ms(&b, "TimeoutStartSec", a->start_timeout);
	tb_printf(&b, "Type=%s\n", a->daemon);
	if (!strcmp(a->daemon, "oneshot") && a->extra[RUN_STOP].words)
		tb_printf(&b, "RemainAfterExit=yes\n");
	tb_printf(&b, "\n[Install]\nWantedBy=multi-user.target\n");
	return tb_done(&b);
}
