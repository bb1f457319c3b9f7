// SPDX-License-Identifier: GPL-3.0-only
/*
 * ldrun: the command of the image's snaps built from Debian packages
 * (rootfs/snaps/<snap>/debs, scripts/snap-debs). Their base snap is busybox
 * only, so such a snap ships its programs with the C library, the other
 * libraries they need and the dynamic loader, as a snap on a bare base
 * does; this static program starts one of them through the snap's loader:
 *
 *   command: bin/ldrun PROGRAM [ARGS...]        (in meta/snap.yaml)
 *
 * executes $SNAP/<LDSO> --library-path $SNAP/lib/<TRIPLET>:$SNAP/usr/lib/<TRIPLET>
 * --argv0 <PROGRAM's base name> $SNAP/PROGRAM ARGS..., where LDSO (the
 * programs' PT_INTERP, e.g. /lib/ld-linux-aarch64.so.1) and TRIPLET are
 * the board's, compiled in by scripts/build-image. PROGRAM is relative to
 * $SNAP. In ARGS, $NAME and ${NAME} are replaced by the variable's value
 * (empty when unset), as snapd expands the variables of a command line
 * ($SNAP, $SNAP_DATA, $SNAP_COMMON...): snap-run passes the words as they are.
 * Exit status 127 with one line when the snap's loader cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LDSO
#error "build with -DLDSO=\"/lib/ld-linux-....so.N\" (the programs' PT_INTERP)"
#endif
#ifndef TRIPLET
#error "build with -DTRIPLET=\"<gnu triplet>\""
#endif

#define MAX_ARGS 64
#define ARG_MAX_LEN 4096

static void die(const char *msg, const char *what)
{
	fprintf(stderr, "ldrun: %s%s%s\n", msg, what ? ": " : "", what ? what : "");
	exit(127);
}

/* IN with $NAME and ${NAME} replaced by their values, in a new string */
static char *expand(const char *in)
{
	char *out = malloc(ARG_MAX_LEN);
	size_t o = 0;

	if (!out)
		die("out of memory", NULL);
	for (const char *p = in; *p;) {
		const char *val = NULL;
		if (p[0] == '$' && (p[1] == '{' || p[1] == '_' || (p[1] >= 'A' && p[1] <= 'Z') ||
				    (p[1] >= 'a' && p[1] <= 'z'))) {
			char name[256];
			size_t n = 0;
			int braced = p[1] == '{';
			const char *q = p + 1 + braced;
			while (((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
				*q == '_') && n < sizeof(name) - 1)
				name[n++] = *q++;
			name[n] = 0;
			if (braced) {
				if (*q != '}')
					die("unterminated ${ in", in);
				q++;
			}
			val = getenv(name);
			p = q;
			for (const char *v = val ? val : ""; *v; v++) {
				if (o + 1 >= ARG_MAX_LEN)
					die("argument too long", in);
				out[o++] = *v;
			}
			continue;
		}
		if (o + 1 >= ARG_MAX_LEN)
			die("argument too long", in);
		out[o++] = *p++;
	}
	out[o] = 0;
	return out;
}

int main(int argc, char **argv)
{
	const char *snap = getenv("SNAP");
	char ldso[ARG_MAX_LEN], libpath[ARG_MAX_LEN], prog[ARG_MAX_LEN];
	char *nargv[MAX_ARGS + 8];
	const char *base;
	int k = 0;

	if (argc < 2)
		die("usage: ldrun PROGRAM [ARGS...] (PROGRAM relative to $SNAP)", NULL);
	if (!snap || snap[0] != '/')
		die("SNAP is not set (run me as an app of a snap)", NULL);
	if (argc - 2 > MAX_ARGS)
		die("too many arguments", NULL);
	if (argv[1][0] == '/' || strstr(argv[1], ".."))
		die("PROGRAM must be a path inside the snap", argv[1]);
	if (snprintf(ldso, sizeof(ldso), "%s%s", snap, LDSO) >= (int)sizeof(ldso) ||
	    snprintf(libpath, sizeof(libpath), "%s/lib/%s:%s/usr/lib/%s", snap, TRIPLET, snap, TRIPLET) >=
		    (int)sizeof(libpath) ||
	    snprintf(prog, sizeof(prog), "%s/%s", snap, argv[1]) >= (int)sizeof(prog))
		die("path too long", snap);
	base = strrchr(argv[1], '/');
	base = base ? base + 1 : argv[1];
	nargv[k++] = ldso;
	nargv[k++] = (char *)"--library-path";
	nargv[k++] = libpath;
	nargv[k++] = (char *)"--argv0";
	nargv[k++] = (char *)base;
	nargv[k++] = prog;
	for (int i = 2; i < argc; i++)
		nargv[k++] = expand(argv[i]);
	nargv[k] = NULL;
	execv(ldso, nargv);
	fprintf(stderr, "ldrun: cannot run %s: %s\n", ldso, strerror(errno));
	return 127;
}
