// SPDX-License-Identifier: GPL-3.0-only
/*
 * Commands and environment as snapd runs them, table-driven: $VAR
 * expansion with Go's os.Expand rules (what snap-exec uses) and the run
 * file's escapes; a command split into words (snapd's spaces, plus quotes
 * and backslashes); the run file read back, in its current and first
 * forms, with each error; and the whole way from snap.yaml to the argv and
 * environment snap-run builds.
 */
#include <stdlib.h>
#include <string.h>

#include "env_expand.h"
#include "iface/iface.h"
#include "run_file.h"
#include "tap.h"

/* a small environment: A=1, EMPTY=, SP="a b", 1=one, *=star */
static const char *lookup(const char *name, size_t len, void *ctx)
{
	static const char *const vars[][2] = { { "A", "1" },	      { "EMPTY", "" }, { "SP", "a b" },
					       { "1", "one" },	      { "*", "star" }, { "a b", "ab" },
					       { "LONG_NAME_2", "L" } };

	(void)ctx;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strlen(vars[i][0]) == len && !memcmp(vars[i][0], name, len))
			return vars[i][1];
	return NULL;
}

static void test_expand(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "$A", "1" },
		{ "${A}", "1" },
		{ "x$A.y", "x1.y" },
		{ "$UNDEFINED", "" },
		{ "pre-$UNDEFINED-post", "pre--post" },
		{ "$EMPTY", "" },
		{ "$SP", "a b" },
		{ "$A$A", "11" },
		{ "$AA", "" }, /* the longest name */
		{ "$LONG_NAME_2/x", "L/x" },
		{ "$1x", "onex" }, /* a digit is a one-character name */
		{ "$*", "star" },
		{ "${*}", "star" },
		{ "$", "$" }, /* nothing after it: stays */
		{ "a$", "a$" },
		{ "$/x", "$/x" }, /* not a name: the $ stays */
		{ "$ x", "$ x" },
		{ "${}", "" }, /* bad syntax: eaten */
		{ "a${}b", "ab" },
		{ "${A", "A" },	    /* unclosed: "${" eaten */
		{ "${a b}", "ab" }, /* anything up to the brace is the name */
		{ "\\$A", "$A" },   /* the run file's escapes */
		{ "\\\\$A", "\\1" },
		{ "a\\nb", "a\nb" },
		{ "a\\xb", "a\\xb" }, /* any other backslash is itself */
		{ "", "" },
	};
	char out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ssize_t n = env_expand(cases[i].in, lookup, NULL, out, sizeof(out));

		ok(n >= 0 && !strcmp(out, cases[i].out) && (size_t)n == strlen(out),
		   "expand '%s' (%zu bytes expected)", cases[i].in, strlen(cases[i].out));
	}
	ok(env_expand("$SP$SP", lookup, NULL, out, 6) < 0, "expansion longer than the buffer is an error");
	ok(env_expand("$SP", lookup, NULL, out, 4) == 3 && !strcmp(out, "a b"), "exactly fitting is fine");
}

static void test_split(void)
{
	static const struct {
		const char *cmd;
		const char *words[6];
	} good[] = {
		{ "bin/app", { "bin/app" } },
		{ "bin/app --flag", { "bin/app", "--flag" } },
		{ "bin/app  a   b ", { "bin/app", "a", "b" } }, /* snapd drops what a double space gives */
		{ "bin/app $SNAP_DATA/x", { "bin/app", "$SNAP_DATA/x" } },
		{ "bin/app #1 a:b", { "bin/app", "#1", "a:b" } }, /* # is no comment for snapd */
		{ "bin/app \"a b\"", { "bin/app", "a b" } },
		{ "bin/app 'a b'", { "bin/app", "a b" } },
		{ "bin/app a\\ b", { "bin/app", "a b" } },
		{ "bin/app x\"a b\"y", { "bin/app", "xa by" } },
		{ "bin/app '$A' \"$A\" \\$A", { "bin/app", "\\$A", "$A", "\\$A" } },
		{ "bin/app \"a\\\"b\" \"c\\\\d\" \"e\\f\"", { "bin/app", "a\"b", "c\\\\d", "e\\\\f" } },
		{ "bin/app 'it''s' \"\"", { "bin/app", "its", "" } },
		{ "bin/app \"--opt=x,y\"", { "bin/app", "--opt=x,y" } },
	};
	static const struct {
		const char *cmd, *why;
	} bad[] = {
		{ "", "empty" },
		{ "   ", "empty" },
		{ "bin/app \"a b", "unterminated double quote" },
		{ "bin/app 'a b", "unterminated single quote" },
		{ "bin/app a\\", "backslash at the end" },
		{ "bin/app --opt=x", "'=' is allowed only inside quotes" },
		{ "bin/app a;b", "';' is allowed only inside quotes" },
		{ "bin/app\ta", "control character" },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char **w, why[256];
		size_t n, want = 0;
		bool same;

		while (want < 6 && good[i].words[want])
			want++;
		if (command_split(good[i].cmd, &w, &n, why, sizeof(why))) {
			ok(false, "split '%s': %s", good[i].cmd, why);
			continue;
		}
		same = n == want;
		for (size_t j = 0; same && j < n; j++)
			same = !strcmp(w[j], good[i].words[j]);
		ok(same, "split '%s' into %zu words (got %zu, the last '%s')", good[i].cmd, want, n,
		   n ? w[n - 1] : "");
		words_free(w, n);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char **w, why[256] = "";
		size_t n;
		int rc = command_split(bad[i].cmd, &w, &n, why, sizeof(why));

		ok(rc < 0 && strstr(why, bad[i].why) && !w && !n, "split '%s' fails: %s (got '%s')",
		   bad[i].cmd, bad[i].why, why);
	}
}

static void test_program_path(void)
{
	static const struct {
		const char *p;
		bool good;
	} cases[] = { { "bin/app", true },  { "/bin/app", true }, { "snap/command-chain/x", true },
		      { "a/../b", false },  { "../x", false },	  { "..", false },
		      { "bin/$X", false },  { "bin/a b", false }, { "", false },
		      { "/", false },	    { "//", false },	  { "bin/a..b", true },
		      { "bin/a\\b", false } };
	char why[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(snap_program_path(cases[i].p, why, sizeof(why)) == cases[i].good,
		   "program path '%s' is %s", cases[i].p, cases[i].good ? "good" : "refused");
}

static void test_run_file(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "version=1\n", "no command" },
		{ "exec=bin/a\nexec=bin/b\n", "rf:2: a second command" },
		{ "exec=/bin/a\n", "rf:1: exec must be a path inside the snap" },
		{ "exec=bin/../../a\n", "rf:1: exec must be a path inside the snap" },
		{ "chain=a b\nexec=bin/a\n", "rf:1: chain must be a path inside the snap" },
		{ "exec=bin/a\nenv=1X=y\n", "rf:2: env= must be NAME=VALUE" },
		{ "exec=bin/a\nenv=X\n", "rf:2: env= must be NAME=VALUE" },
		{ "exec=bin/a\nfrob=1\n", "rf:2: unknown key 'frob'" },
		{ "exec=bin/a\nnot a pair\n", "rf:2: expected KEY=VALUE" },
		{ "command=bin/a\nchain=bin/c\n", "command= cannot be used with chain=" },
		{ "command=bin/a\narg=x\n", "rf:2: arg= with command=" },
		{ "exec=bin/a\ncommand=bin/a\n", "rf:2: command= with exec=" },
		{ "exec=bin/a\nconfinement=loose\n", "confinement must be strict, devmode or classic" },
		{ "exec=bin/a\nstop-arg=x\n", "rf:2: stop-arg before stop-exec=" },
		{ "exec=bin/a\nreload-exec=bin/r\nreload-exec=bin/r\n",
		  "rf:3: reload-exec must be one path" },
		{ "exec=bin/a\npost-stop-exec=/bin/x\n",
		  "rf:2: post-stop-exec must be one path inside the snap" },
		{ "command=bin/a\nstop-exec=bin/s\n",
		  "command= cannot be used with chain=, env= or *-exec=" },
		{ "exec=bin/a\nstart-exec=bin/s\n", "rf:2: unknown key 'start-exec'" },
	};
	struct run_file rf;
	struct diag err;
	char text[512];

	snprintf(text, sizeof(text),
		 "# c\nversion=2.1\nbase=core22\nconfinement=devmode\nchain=bin/c1\nchain=bin/c2\n"
		 "exec=bin/app\narg=a b\narg=\\$X\nenv=K=v=w\nenv=K2=\n");
	ok(run_file_parse("rf", text, &rf, &err) == 0 && !strcmp(rf.version, "2.1") &&
		   !strcmp(rf.base, "core22") && !strcmp(rf.confinement, "devmode") && rf.nchain == 2 &&
		   !strcmp(rf.chain[1], "bin/c2") && !strcmp(rf.exec, "bin/app") && rf.nargs == 2 &&
		   !strcmp(rf.args[0], "a b") && !strcmp(rf.args[1], "\\$X") && rf.nenv == 2 &&
		   !strcmp(rf.env[0], "K=v=w") && !rf.legacy,
	   "a run file with every key reads back");
	snprintf(text, sizeof(text),
		 "exec=bin/app\nstop-exec=bin/stop\nstop-arg=a b\nstop-arg=\\$X\npost-stop-exec=bin/post\n");
	ok(run_file_parse("rf", text, &rf, &err) == 0 && !strcmp(rf.extra[RUN_STOP].exec, "bin/stop") &&
		   rf.extra[RUN_STOP].nargs == 2 && !strcmp(rf.extra[RUN_STOP].args[0], "a b") &&
		   !strcmp(rf.extra[RUN_STOP].args[1], "\\$X") &&
		   !strcmp(rf.extra[RUN_POST_STOP].exec, "bin/post") && !rf.extra[RUN_POST_STOP].nargs &&
		   !rf.extra[RUN_RELOAD].exec && rf.nargs == 0,
	   "stop-exec=, stop-arg=, post-stop-exec= read back; no reload-exec= is no reload command");
	snprintf(text, sizeof(text), "command=bin/app --flag\tx\nversion=1\n");
	ok(run_file_parse("rf", text, &rf, &err) == 0 && rf.legacy && !strcmp(rf.exec, "bin/app") &&
		   rf.nargs == 2 && !strcmp(rf.args[0], "--flag") && !strcmp(rf.args[1], "x") &&
		   !strcmp(rf.base, "core") && !strcmp(rf.confinement, "strict"),
	   "the first form (command=WORDS) still reads");
	snprintf(text, sizeof(text), "command=/bin/sh -c x\n");
	ok(run_file_parse("rf", text, &rf, &err) == 0 && !strcmp(rf.exec, "/bin/sh"),
	   "... with an absolute program, as before");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s", bad[i].text);
		err.msg[0] = '\0';
		ok(run_file_parse("rf", text, &rf, &err) < 0 && strstr(err.msg, bad[i].why),
		   "bad run file: %s (got '%s')", bad[i].why, err.msg);
	}
}

/* snap.yaml -> run file text -> parsed -> expanded: what snap-run would pass and set */
static const char *env_lookup_table(const char *name, size_t len, void *ctx)
{
	char **env = ctx;

	for (; *env; env++)
		if (!strncmp(*env, name, len) && (*env)[len] == '=')
			return *env + len + 1;
	return NULL;
}

static void test_end_to_end(void)
{
	static const char yaml[] =
		"name: envy\n"
		"version: '1.0'\n"
		"environment:\n"
		"  A: $SNAP/a\n"
		"  B: x\\y\n"
		"  LATE: $C\n"
		"apps:\n"
		"  app:\n"
		"    command: bin/app --x \"a b\" 'lit $SNAP' $A $NOTHING \"$B\" \"${SNAP}/f\"\n"
		"    command-chain: [bin/chain1, /snap/command-chain/x]\n"
		"    environment:\n"
		"      C: c\n"
		"      A: over-$A\n"
		"      N: 5\n"
		"      E: ~\n";
	static const char *const want_args[] = { "--x",	 "a b",		  "lit $SNAP", "over-/snap/envy/3/a",
						 "x\\y", "/snap/envy/3/f" };
	struct snap s;
	struct diag err;
	struct run_file rf;
	char *text, *env[16] = { "SNAP=/snap/envy/3", NULL }, out[256];
	size_t nenv = 1, nargs = 0;
	bool args_ok = true;

	if (snap_parse("snap.yaml", yaml, sizeof(yaml) - 1, "3", NULL, 0, &s, &err)) {
		ok(false, "snap.yaml with environment and command-chain parses: %s", err.msg);
		return;
	}
	text = run_file_text(&s, &s.apps[0]);
	ok(text &&
		   strstr(text,
			  "chain=bin/chain1\nchain=snap/command-chain/x\nexec=bin/app\narg=--x\narg=a b\n") &&
		   strstr(text, "env=A=$SNAP/"
				"a\nenv=B=x\\\\y\nenv=LATE=$C\nenv=C=c\nenv=A=over-$A\nenv=N=5\nenv=E=\n"),
	   "the run file: the chain in order (leading / dropped), the words, the snap's then the app's "
	   "environment");
	if (!text || run_file_parse("rf", text, &rf, &err)) {
		ok(false, "the run file reads back: %s", text ? err.msg : "no text");
		free(text);
		snap_free(&s);
		return;
	}
	/* as snap-run applies them: each entry expanded with what is set so far, a later one replacing */
	for (size_t i = 0; i < rf.nenv && nenv < 15; i++) {
		const char *eq = strchr(rf.env[i], '=');
		size_t klen = (size_t)(eq - rf.env[i]);
		char *e;

		env_expand(eq + 1, env_lookup_table, env, out, sizeof(out));
		e = malloc(klen + strlen(out) + 2);
		sprintf(e, "%.*s=%s", (int)klen, rf.env[i], out);
		for (size_t j = 0; j <= nenv; j++)
			if (j == nenv) {
				env[nenv++] = e;
				env[nenv] = NULL;
				break;
			} else if (!strncmp(env[j], e, klen + 1)) {
				if (j)
					free(env[j]);
				env[j] = e;
				break;
			}
	}
	ok(!strcmp(env_lookup_table("A", 1, env), "over-/snap/envy/3/a"),
	   "the app's A replaces the snap's, built on it");
	ok(!strcmp(env_lookup_table("LATE", 4, env), ""),
	   "a snap variable naming an app one sees it undefined (empty)");
	ok(!strcmp(env_lookup_table("B", 1, env), "x\\y"), "a backslash in a value arrives as itself");
	ok(!strcmp(env_lookup_table("N", 1, env), "5") && !strcmp(env_lookup_table("E", 1, env), ""),
	   "a number is its text, a null value is empty");
	for (size_t i = 0; i < rf.nargs; i++) {
		env_expand(rf.args[i], env_lookup_table, env, out, sizeof(out));
		if (!*out)
			continue; /* snapd drops an argument that expands to nothing */
		args_ok = args_ok && nargs < 6 && !strcmp(out, want_args[nargs]);
		nargs++;
	}
	ok(args_ok && nargs == 6, "the arguments: quoted ones whole, $NOTHING dropped, expansions done (%zu)",
	   nargs);
	for (size_t j = 1; j < nenv; j++)
		free(env[j]);
	free(text);
	snap_free(&s);
}

static void test_yaml_errors(void)
{
	static const struct {
		const char *yaml, *why;
	} bad[] = {
		{ "name: ok\napps:\n  a:\n    command: bin/a \"x\n",
		  "snap.yaml:4:14: app a: command: an unterminated" },
		{ "name: ok\napps:\n  a:\n    command: ../x\n",
		  "snap.yaml:4:14: app a: command: '../x' leaves the snap" },
		{ "name: ok\napps:\n  a:\n    command: bin/a\n    command-chain: [bin/a b]\n",
		  "snap.yaml:5:21: app a: command-chain: 'bin/a b' is not a plain path" },
		{ "name: ok\napps:\n  a:\n    command: bin/a\n    command-chain: bin/c\n",
		  "snap.yaml:5:20: app a: command-chain must be a list" },
		{ "name: ok\napps:\n  a:\n    command: bin/a\n    environment:\n      BAD-KEY: x\n",
		  "snap.yaml:6:7: app a: environment: 'BAD-KEY' is not a variable name" },
		{ "name: ok\nenvironment:\n  1X: y\n",
		  "snap.yaml:3:3: environment: '1X' is not a variable name" },
		{ "name: ok\napps:\n  a:\n    command: bin/a ${X}\n",
		  "snap.yaml:4:14: app a: command: '{' is allowed only inside quotes" },
		{ "name: ok\nenvironment: [a]\n", "snap.yaml:2:14: environment must be a mapping" },
		{ "name: ok\nenvironment:\n  X: [a]\n", "snap.yaml:3:6: environment: X must be a string" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct snap s;
		struct diag err = { "" };
		int rc = snap_parse("snap.yaml", bad[i].yaml, strlen(bad[i].yaml), "1", NULL, 0, &s, &err);

		ok(rc < 0 && strstr(err.msg, bad[i].why), "snap.yaml error: %s (got '%s')", bad[i].why,
		   err.msg);
		if (!rc)
			snap_free(&s);
	}
}

/* what snap-run cannot hold is refused at install time */
static void test_limits(void)
{
	char yaml[4096], *w = yaml;
	struct snap s;
	struct diag err = { "" };
	int rc;

	w += sprintf(w, "name: ok\nversion: \"1\"\napps:\n  a:\n    command: bin/a");
	for (int i = 0; i < RUN_MAX_ARGS; i++)
		w += sprintf(w, " x");
	w += sprintf(w, "\n");
	rc = snap_parse("snap.yaml", yaml, strlen(yaml), "1", NULL, 0, &s, &err);
	ok(rc == 0, "%d arguments are fine (%s)", RUN_MAX_ARGS, err.msg);
	if (!rc)
		snap_free(&s);
	sprintf(w - 1, " y\n");
	rc = snap_parse("snap.yaml", yaml, strlen(yaml), "1", NULL, 0, &s, &err);
	ok(rc < 0 && strstr(err.msg, "snap.yaml:5:14: app a: command: more than 64 arguments"),
	   "%d are not (%s)", RUN_MAX_ARGS + 1, err.msg);
	w = yaml + sprintf(yaml, "name: ok\napps:\n  a:\n    command: bin/a\n    command-chain: [");
	for (int i = 0; i <= RUN_MAX_CHAIN; i++)
		w += sprintf(w, "%sbin/c", i ? ", " : "");
	sprintf(w, "]\n");
	rc = snap_parse("snap.yaml", yaml, strlen(yaml), "1", NULL, 0, &s, &err);
	ok(rc < 0 && strstr(err.msg, "command-chain: more than 16 entries"),
	   "%d command-chain entries are too many (%s)", RUN_MAX_CHAIN + 1, err.msg);
	rc = snap_parse("snap.yaml", "name: ok\nversion: |\n  two\n  lines\n", 34, "1", NULL, 0, &s, &err);
	ok(rc < 0 && strstr(err.msg, "version must be one line"), "a version of two lines is refused (%s)",
	   err.msg);
}

static void test_durations(void)
{
	static const struct {
		const char *text;
		long long ms; /* -2: refused */
	} cases[] = {
		{ "0", 0 },	    { "30s", 30000 },
		{ "1m30s", 90000 }, { "1.5s", 1500 },
		{ "500ms", 500 },   { "2h", 7200000 },
		{ "1us", 1 },	    { ".5s", 500 },
		{ "-1s", -1000 },   { "1h1m1s1ms", 3661001 },
		{ "10", -2 },	    { "", -2 },
		{ "s", -2 },	    { "1sm", -2 },
		{ "1x", -2 },	    { "1.s", 1000 },
		{ "1 s", -2 },	    { "1mss", -2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long ms = -2;
		int rc = duration_ms(cases[i].text, &ms);

		ok(cases[i].ms == -2 ? rc < 0 : rc == 0 && ms == cases[i].ms,
		   "duration '%s': %s (got %d, %lld)", cases[i].text, cases[i].ms == -2 ? "refused" : "read",
		   rc, ms);
	}
}

static void test_hooks(void)
{
	static const char *const good[] = { "install",	   "configure",	     "default-configure",
					    "remove",	   "prepare-plug-x", "connect-slot-a-b",
					    "check-health" };
	static const char *const ignored[] = { "frobnicate", "prepare-plug-", "connect-x", "Configure",
					       "install-" };
	static const char yaml[] = "name: hh\nplugs:\n  net: network\nhooks:\n  install:\n    plugs: [gpio]\n"
				   "apps:\n  a: {command: bin/a}\n";
	const char *const files[] = { "configure", "install", "README" };
	struct iface_spec specs[2] = { { .name = (char *)"network" }, { .name = (char *)"gpio" } };
	struct snap s;
	struct diag err = { "" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(hook_supported(good[i]), "hook '%s' is one snapd runs", good[i]);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		ok(!hook_supported(ignored[i]), "hook '%s' is not", ignored[i]);
	if (snap_parse_hooks("snap.yaml", yaml, strlen(yaml), "1", specs, 2, files, 3, &s, &err)) {
		ok(0, "a snap with hooks parses (%s)", err.msg);
		return;
	}
	ok(s.napps == 3 && !s.apps[0].hook && s.apps[1].hook && !strcmp(s.apps[1].name, "hook.configure") &&
		   !strcmp(s.apps[2].name, "hook.install") &&
		   !strcmp(s.apps[2].words[0], "meta/hooks/install"),
	   "the hooks come after the apps, in name order, README ignored");
	/* plugs: net (unscoped: every app's and hook's), gpio (the install hook's, implicit) */
	ok(s.nplugs == 2 && !strcmp(s.plugs[0].name, "net") && s.plugs[0].napps == 3 &&
		   !strcmp(s.plugs[1].name, "gpio") && s.plugs[1].napps == 1 &&
		   !strcmp(s.plugs[1].apps[0], "hook.install"),
	   "a snap-level plug is every app's and hook's, a hook's own plug only that hook's");
	snap_free(&s);
}

int main(void)
{
	test_expand();
	test_split();
	test_program_path();
	test_run_file();
	test_end_to_end();
	test_yaml_errors();
	test_limits();
	test_durations();
	test_hooks();
	return tap_done();
}
