// SPDX-License-Identifier: GPL-3.0-only
/* Reading the app run file (run_file.h). */
#include <string.h>

#include "run_file.h"

const char *const run_extra_name[RUN_EXTRA_N] = { "stop", "post-stop", "reload" };

/* the extra command whose KEY (stop-exec, post-stop-arg, ...) p is; -1 when none */
static int extra_key(const char *p, bool *is_exec)
{
	for (int i = 0; i < RUN_EXTRA_N; i++) {
		size_t n = strlen(run_extra_name[i]);

		if (!strncmp(p, run_extra_name[i], n) &&
		    (!strcmp(p + n, "-exec") || !strcmp(p + n, "-arg"))) {
			*is_exec = p[n + 1] == 'e';
			return i;
		}
	}
	return -1;
}

bool run_env_name_valid(const char *s, size_t len)
{
	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

/* a path inside the snap: not empty, relative, no "..", no blank */
static bool snap_rel_path(const char *p)
{
	if (!*p || *p == '/' || strpbrk(p, " \t\\"))
		return false;
	for (const char *s = p; s; s = strchr(s, '/')) {
		if (*s == '/')
			s++;
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || !s[2]))
			return false;
	}
	return true;
}

static int add(const char **list, size_t *n, size_t max, const char *v, const char *path, unsigned line,
	       const char *key, struct diag *err)
{
	if (*n == max)
		return diag_set(err, "%s:%u: more than %zu %s= lines", path, line, max, key);
	list[(*n)++] = v;
	return 0;
}

/* command=WORDS of the first run files: blanks separate the words */
static int split_legacy(const char *path, unsigned line, char *v, struct run_file *rf, struct diag *err)
{
	bool first = true;

	for (char *w = v; *w;) {
		size_t len = strcspn(w, " \t");

		if (!len) {
			w++;
			continue;
		}
		if (w[len])
			w[len++] = '\0';
		if (first)
			rf->exec = w;
		else if (add(rf->args, &rf->nargs, RUN_MAX_ARGS, w, path, line, "arg", err))
			return -1;
		first = false;
		w += len;
	}
	return 0;
}

int run_file_parse(const char *path, char *text, struct run_file *rf, struct diag *err)
{
	unsigned line = 0;
	char *nl;

	memset(rf, 0, sizeof(*rf));
	for (char *p = text; p && *p; p = nl ? nl + 1 : NULL) {
		char *eq, *v;
		bool is_exec;
		int x;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line++;
		if (*p == '#' || *p == '\0')
			continue;
		eq = strchr(p, '=');
		if (!eq)
			return diag_set(err, "%s:%u: expected KEY=VALUE", path, line);
		*eq = '\0';
		v = eq + 1;
		if (!strcmp(p, "version"))
			rf->version = v;
		else if (!strcmp(p, "base"))
			rf->base = v;
		else if (!strcmp(p, "confinement"))
			rf->confinement = v;
		else if (!strcmp(p, "exec") || !strcmp(p, "chain")) {
			if (!snap_rel_path(v))
				return diag_set(err, "%s:%u: %s must be a path inside the snap, not '%s'",
						path, line, p, v);
			if (*p == 'c') {
				if (add(rf->chain, &rf->nchain, RUN_MAX_CHAIN, v, path, line, p, err))
					return -1;
			} else if (rf->exec) {
				return diag_set(err, "%s:%u: a second command (exec= or command=)", path,
						line);
			} else {
				rf->exec = v;
			}
		} else if (!strcmp(p, "arg")) {
			if (rf->legacy)
				return diag_set(err, "%s:%u: arg= with command=", path, line);
			if (add(rf->args, &rf->nargs, RUN_MAX_ARGS, v, path, line, p, err))
				return -1;
		} else if (!strcmp(p, "env")) {
			size_t klen = strcspn(v, "=");

			if (!v[klen] || !run_env_name_valid(v, klen))
				return diag_set(err, "%s:%u: env= must be NAME=VALUE", path, line);
			if (add(rf->env, &rf->nenv, RUN_MAX_ENV, v, path, line, p, err))
				return -1;
		} else if ((x = extra_key(p, &is_exec)) >= 0) {
			struct run_cmd *rc = &rf->extra[x];

			if (is_exec && (rc->exec || !snap_rel_path(v)))
				return diag_set(err, "%s:%u: %s must be one path inside the snap, not '%s'",
						path, line, p, v);
			if (!is_exec && !rc->exec)
				return diag_set(err, "%s:%u: %s before %s-exec=", path, line, p,
						run_extra_name[x]);
			if (is_exec)
				rc->exec = v;
			else if (add(rc->args, &rc->nargs, RUN_MAX_ARGS, v, path, line, p, err))
				return -1;
		} else if (!strcmp(p, "command")) {
			if (rf->legacy || rf->exec || rf->nargs)
				return diag_set(err, "%s:%u: command= with exec= or arg=", path, line);
			rf->legacy = true;
			if (split_legacy(path, line, v, rf, err))
				return -1;
		} else {
			return diag_set(err, "%s:%u: unknown key '%s'", path, line, p);
		}
	}
	if (!rf->exec || !*rf->exec)
		return diag_set(err, "%s: no command (exec=)", path);
	if (rf->legacy && (rf->nchain || rf->nenv || rf->extra[RUN_STOP].exec ||
			   rf->extra[RUN_POST_STOP].exec || rf->extra[RUN_RELOAD].exec))
		return diag_set(err, "%s: command= cannot be used with chain=, env= or *-exec=", path);
	if (!rf->version)
		rf->version = "";
	if (!rf->base || !*rf->base)
		rf->base = "core";
	if (!rf->confinement || !*rf->confinement)
		rf->confinement = "strict";
	if (strcmp(rf->confinement, "strict") && strcmp(rf->confinement, "devmode") &&
	    strcmp(rf->confinement, "classic"))
		return diag_set(err, "%s: confinement must be strict, devmode or classic", path);
	return 0;
}
