// SPDX-License-Identifier: GPL-3.0-only
/*
 * Service files (Contract 2, docs/formats.md "Service file"): KEY=VALUE
 * lines, # comments, every key known, the name checked against the file's.
 */
#include <stdio.h>
#include <string.h>

#include "strnum.h"
#include "svc.h"

static const char *const type_names[] = { "simple", "forking", "oneshot", "notify" };
static const char *const restart_names[] = { "never",	 "on-success",	"on-failure", "on-abnormal",
					     "on-abort", "on-watchdog", "always" };

const char *svc_type_name(enum svc_type t)
{
	return type_names[t];
}

static int pick(const char *v, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return (int)i;
	return -1;
}

int svc_name_split(const char *name, char *instance, size_t ilen, char *app, size_t alen, struct diag *err)
{
	const char *dot = strchr(name, '.');
	size_t il = dot ? (size_t)(dot - name) : strlen(name);
	char why[128];

	if (il >= ilen)
		return diag_set(err, "'%.80s': the instance name is too long", name);
	memcpy(instance, name, il);
	instance[il] = '\0';
	if (!instance_name_split(instance, NULL, 0, NULL, 0, why, sizeof(why)))
		return diag_set(err, "'%.80s': %s", name, why);
	if (!dot) {
		app[0] = '\0';
		return 0;
	}
	if (strlen(dot + 1) >= alen)
		return diag_set(err, "'%.80s': the app name is too long", name);
	strcpy(app, dot + 1);
	if (!app_name_valid(app, why, sizeof(why)))
		return diag_set(err, "'%.80s': %s", name, why);
	return 0;
}

static int ms(const char *v, unsigned *out)
{
	unsigned long x;

	if (str_to_ulong(v, 10, 24UL * 3600 * 1000, &x))
		return -1;
	*out = (unsigned)x;
	return 0;
}

static int yes_no(const char *v, bool *out)
{
	if (!strcmp(v, "yes"))
		*out = true;
	else if (!strcmp(v, "no"))
		*out = false;
	else
		return -1;
	return 0;
}

static int dep(const char *v, char (*list)[SVC_NAME_MAX], size_t *n, struct diag *err)
{
	char inst[SVC_NAME_MAX], app[SVC_NAME_MAX];

	if (svc_name_split(v, inst, sizeof(inst), app, sizeof(app), err))
		return -1;
	if (!app[0])
		return diag_set(err, "'%.80s' is not INSTANCE.APP", v);
	if (*n >= SVC_DEPS_MAX)
		return diag_set(err, "more than %d entries", SVC_DEPS_MAX);
	snprintf(list[(*n)++], SVC_NAME_MAX, "%s", v);
	return 0;
}

static int line_set(struct svc_conf *c, const char *key, const char *v, bool *version, struct diag *err)
{
	int i;

	if (!strcmp(key, "version")) {
		if (strcmp(v, "1"))
			return diag_set(err, "unsupported version '%.20s'", v);
		*version = true;
	} else if (!strcmp(key, "daemon")) {
		if ((i = pick(v, type_names, 4)) < 0)
			return diag_set(err, "unknown daemon type '%.40s'", v);
		c->type = (enum svc_type)i;
	} else if (!strcmp(key, "restart-condition")) {
		if (!strcmp(v, "no"))
			v = "never";
		if ((i = pick(v, restart_names, 7)) < 0)
			return diag_set(err, "unknown restart-condition '%.40s'", v);
		c->restart = (enum svc_restart)i;
	} else if (!strcmp(key, "restart-delay")) {
		if (ms(v, &c->restart_delay_ms))
			return diag_set(err, "restart-delay '%.40s' is not a number of milliseconds", v);
	} else if (!strcmp(key, "start-timeout")) {
		if (ms(v, &c->start_timeout_ms))
			return diag_set(err, "start-timeout '%.40s' is not a number of milliseconds", v);
		c->start_timeout_set = true;
	} else if (!strcmp(key, "stop-timeout")) {
		if (ms(v, &c->stop_timeout_ms))
			return diag_set(err, "stop-timeout '%.40s' is not a number of milliseconds", v);
	} else if (!strcmp(key, "stop-command") || !strcmp(key, "post-stop-command") ||
		   !strcmp(key, "reload-command") || !strcmp(key, "enabled")) {
		bool *b = key[0] == 's'	  ? &c->stop_cmd
			  : key[0] == 'p' ? &c->post_stop_cmd
			  : key[0] == 'r' ? &c->reload_cmd
					  : &c->enabled;
		if (yes_no(v, b))
			return diag_set(err, "%s must be yes or no, not '%.40s'", key, v);
	} else if (!strcmp(key, "after")) {
		return dep(v, c->after, &c->n_after, err);
	} else if (!strcmp(key, "before")) {
		return dep(v, c->before, &c->n_before, err);
	} else {
		return diag_set(err, "unknown key '%.40s'", key);
	}
	return 0;
}

int svc_conf_parse(const char *path, const char *file, const char *text, struct svc_conf *c, struct diag *err)
{
	char app[APP_NAME_MAX + 1], line[1024];
	bool version = false, have_type = false;
	unsigned lineno = 0;
	const char *p = text;
	struct diag why;

	memset(c, 0, sizeof(*c));
	c->restart = RS_ON_FAILURE;
	c->restart_delay_ms = SVC_DEFAULT_RESTART_DELAY_MS;
	c->stop_timeout_ms = SVC_DEFAULT_STOP_TIMEOUT_MS;
	c->enabled = true;
	if (strncmp(file, "snap.", 5) || strlen(file + 5) >= sizeof(c->name))
		return diag_set(err, "%s: the name is not snap.INSTANCE.APP", path);
	if (svc_name_split(file + 5, c->instance, sizeof(c->instance), app, sizeof(app), &why) || !app[0])
		return diag_set(err, "%s: the name is not snap.INSTANCE.APP (%s)", path,
				app[0] ? why.msg : "no app");
	snprintf(c->name, sizeof(c->name), "%s", file + 5);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *eq;

		lineno++;
		if (n >= sizeof(line))
			return diag_set(err, "%s:%u: line too long", path, lineno);
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		if (!line[0] || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return diag_set(err, "%s:%u: not KEY=VALUE", path, lineno);
		*eq = '\0';
		if (!strcmp(line, "daemon"))
			have_type = true;
		if (line_set(c, line, eq + 1, &version, &why))
			return diag_set(err, "%s:%u: %s", path, lineno, why.msg);
	}
	if (!version)
		return diag_set(err, "%s: no version=1 line", path);
	if (!have_type)
		return diag_set(err, "%s: no daemon= line", path);
	if (!c->start_timeout_set)
		c->start_timeout_ms = c->type == SVC_ONESHOT ? 0 : SVC_DEFAULT_START_TIMEOUT_MS;
	return 0;
}
