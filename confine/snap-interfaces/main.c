// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-interfaces: snaps' plugs and slots, their connections, and every
 * profile generated from them (the interface generator).
 *
 * usage: snap-interfaces [OPTIONS] install [--name INSTANCE] SNAPDIR...
 *        snap-interfaces [OPTIONS] generate
 *        snap-interfaces [OPTIONS] connections [SNAP]
 *        snap-interfaces [OPTIONS] connect SNAP:PLUG [SNAP:SLOT]
 *        snap-interfaces [OPTIONS] disconnect SNAP:PLUG [SNAP:SLOT]
 *        snap-interfaces [OPTIONS] check
 *        snap-interfaces [OPTIONS] aa-cache [--load] CACHEDIR SOURCE...
 *
 * The same static program runs at image build (--root, --target, the
 * image's AppArmor features) and on the device. Everything is read and
 * checked, and every profile rendered and compiled, before anything is
 * written; an error is one line naming the file and the line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "iface/aacache.h"
#include "iface/iface.h"
#include "iface/iface_apply.h"
#include "version.h"

#define DATA_DIR CONFIG_CONFINE_LIBEXECDIR

static const char usage_text[] =
	"usage: snap-interfaces [OPTIONS] COMMAND [ARGS]\n"
	"commands:\n"
	"  install SNAPDIR...        install the snaps (unpacked trees) and generate every profile\n"
	"  install --name INSTANCE SNAPDIR\n"
	"                            install the snap as the instance INSTANCE (<snap>_<key>)\n"
	"  generate                  every profile of every installed snap, again\n"
	"  connections [SNAP]        the plugs and slots and what they are connected to\n"
	"  connect PLUG [SLOT]       connect (SNAP:PLUG, SNAP:SLOT or system:SLOT) and regenerate\n"
	"  disconnect PLUG [SLOT]    disconnect and regenerate\n"
	"  check                     read and check everything, write nothing\n"
	"  aa-cache [--load] CACHEDIR SOURCE...\n"
	"                            the AppArmor profiles SOURCE... compiled in CACHEDIR's subdirectory\n"
	"                            for the features (--apparmor-features, else the running kernel's)\n"
	"                            unless it holds them already; --load: then all loaded (libapparmor)\n"
	"options:\n"
	"  --root DIR                the system's root (default /)\n"
	"  --target BOARD            seccomp profiles for pc, pi2 or dragonboard (default: this machine)\n"
	"  --interfaces DIR          interface data (default " DATA_DIR "/interfaces)\n"
	"  --seccomp-base FILE       base seccomp policy (default " DATA_DIR "/policy/default.src)\n"
	"  --apparmor-base FILE      base AppArmor profile (default " DATA_DIR "/policy/apparmor-base)\n"
	"  --update-ns-base FILE     snap-update-ns's base profile (default " DATA_DIR
	"/policy/update-ns-base;\n"
	"                            'none': not generated)\n"
	"  --apparmor-parser PATH    compile AppArmor profiles with it ('none': text only)\n"
	"  --apparmor-features DIR   the kernel's AppArmor features for apparmor_parser -M\n"
	"  --libexecdir DIR          where the device has snap-device-helper (default " DATA_DIR ")\n"
	"  --no-live                 on this system too, write without putting into effect\n"
	"  --systemd-units WHEN      services as systemd units too: yes, no, or auto (default: when\n"
	"                            ROOT/run/systemd/system is a directory, systemd runs there)\n"
	"  --core                    the system is Ubuntu Core: install refuses classic snaps\n";

static int fail(const char *msg)
{
	fprintf(stderr, "snap-interfaces: %s\n", msg);
	return 1;
}

static const char *how_note(const struct conn *c)
{
	return c->how == CONN_MANUAL ? "manual" : c->how == CONN_GADGET ? "gadget" : "-";
}

/* snap connections' table: Interface Plug Slot Notes */
static void list(const struct iface_system *sys, const char *snap)
{
	printf("%-22s %-28s %-28s %s\n", "Interface", "Plug", "Slot", "Notes");
	for (size_t i = 0; i < sys->nsnaps; i++) {
		const struct snap *s = &sys->snaps[i];

		for (size_t j = 0; j < s->nplugs; j++) {
			const struct plugslot *p = &s->plugs[j];
			char plug[128], slot[128];
			bool any = false;

			for (size_t k = 0; k < sys->nconns; k++) {
				const struct conn *c = &sys->conns[k];

				if (c->plug != p ||
				    (snap && strcmp(snap, p->snap) && strcmp(snap, c->slot->snap)))
					continue;
				snprintf(plug, sizeof(plug), "%s:%s", p->snap, p->name);
				snprintf(slot, sizeof(slot), "%s:%s", c->slot->snap, c->slot->name);
				printf("%-22s %-28s %-28s %s\n", p->iface, plug, slot, how_note(c));
				any = true;
			}
			if (!any && (!snap || !strcmp(snap, p->snap))) {
				snprintf(plug, sizeof(plug), "%s:%s", p->snap, p->name);
				printf("%-22s %-28s %-28s %s\n", p->iface, plug, "-", "-");
			}
		}
	}
}

/* aa-cache [--load] CACHEDIR SOURCE...: one line saying what was done, or why not */
static int aa_cache(const struct iface_opts *o, int argc, char **argv)
{
	struct aacache_result res;
	struct diag err;
	const char *parser = o->apparmor_parser;
	bool load = argc > 0 && !strcmp(argv[0], "--load");

	argc -= load, argv += load;
	if (argc < 2)
		return fail("usage: aa-cache [--load] CACHEDIR SOURCE...");
	if (load && o->apparmor_features)
		return fail("aa-cache: --load takes the running kernel's features, not --apparmor-features");
	if (parser && access(parser, X_OK) < 0)
		parser = NULL;
	if (aacache_update(argv[0], o->apparmor_features, parser, (const char *const *)&argv[1],
			   (size_t)argc - 1, load, &res, &err))
		return fail(err.msg);
	printf("snap-interfaces: AppArmor cache %s: %zu profiles, %s%s\n", res.dir, res.profiles,
	       res.compiled ? "compiled" : "up to date", res.loaded ? ", loaded" : "");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, 'r' },
		{ "target", required_argument, 0, 't' },
		{ "interfaces", required_argument, 0, 'i' },
		{ "seccomp-base", required_argument, 0, 's' },
		{ "apparmor-base", required_argument, 0, 'a' },
		{ "apparmor-parser", required_argument, 0, 'p' },
		{ "apparmor-features", required_argument, 0, 'f' },
		{ "libexecdir", required_argument, 0, 'l' },
		{ "no-live", no_argument, 0, 'n' },
		{ "update-ns-base", required_argument, 0, 'u' },
		{ "systemd-units", required_argument, 0, 'S' },
		{ "core", no_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
		{ 0, 0, 0, 0 },
	};
	struct iface_opts o = {
		.root = "",
		.interfaces = DATA_DIR "/interfaces",
		.seccomp_base = DATA_DIR "/policy/default.src",
		.apparmor_base = DATA_DIR "/policy/apparmor-base",
		.update_ns_base = DATA_DIR "/policy/update-ns-base",
		.libexecdir = DATA_DIR,
		.apparmor_parser = "/sbin/apparmor_parser",
		.udevadm = "/bin/udevadm",
	};
	struct iface_system sys;
	struct diag err;
	const char *cmd;
	bool no_live = false, root_given = false;
	int c, rc = 0, maxargs;
	const char *units = "auto";
	struct stat st;

	compile_opts_default(&o.seccomp);
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.root = strcmp(optarg, "/") ? optarg : "";
			root_given = true;
			break;
		case 't':
			if (target_for_board(optarg, &o.seccomp.target)) {
				fprintf(stderr,
					"snap-interfaces: unknown board '%s' (pc, pi2 or dragonboard)\n",
					optarg);
				return 2;
			}
			break;
		case 'i':
			o.interfaces = optarg;
			break;
		case 's':
			o.seccomp_base = optarg;
			break;
		case 'a':
			o.apparmor_base = optarg;
			break;
		case 'u':
			o.update_ns_base = strcmp(optarg, "none") ? optarg : NULL;
			break;
		case 'p':
			o.apparmor_parser = strcmp(optarg, "none") ? optarg : NULL;
			break;
		case 'f':
			o.apparmor_features = optarg;
			break;
		case 'l':
			o.libexecdir = optarg;
			break;
		case 'n':
			no_live = true;
			break;
		case 'S':
			if (strcmp(optarg, "yes") && strcmp(optarg, "no") && strcmp(optarg, "auto")) {
				fprintf(stderr,
					"snap-interfaces: --systemd-units must be yes, no or auto, not "
					"'%s'\n",
					optarg);
				return 2;
			}
			units = optarg;
			break;
		case 'c':
			o.core = true;
			break;
		case 'V':
			printf("snap-interfaces (core-confine) %s\n", CONFINE_VERSION);
			return 0;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	/* on this system, in effect at once; an image's root is only written */
	o.live = !root_given && !no_live;
	if (!o.live)
		o.udevadm = NULL;
	if (!strcmp(units, "auto")) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/run/systemd/system", o.root);
		o.systemd_units = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	} else {
		o.systemd_units = !strcmp(units, "yes");
	}
	o.systemctl = o.live && o.systemd_units ? "/bin/systemctl" : NULL;
	cmd = argv[optind++];
	if (!strcmp(cmd, "install")) {
		const char *instance = NULL;

		if (optind < argc && !strcmp(argv[optind], "--name")) {
			if (optind + 1 >= argc)
				return fail("install: --name needs an instance name");
			instance = argv[optind + 1];
			optind += 2;
			if (argc - optind != 1)
				return fail("install --name INSTANCE takes exactly one snap directory");
		}
		if (optind >= argc)
			return fail("install needs at least one snap directory");
		if (iface_install(&o, (const char *const *)&argv[optind], (size_t)(argc - optind), instance, &err))
			return fail(err.msg);
		return 0;
	}
	if (!strcmp(cmd, "aa-cache"))
		return aa_cache(&o, argc - optind, &argv[optind]);
	if (strcmp(cmd, "generate") && strcmp(cmd, "connections") && strcmp(cmd, "connect") &&
	    strcmp(cmd, "disconnect") && strcmp(cmd, "check")) {
		fprintf(stderr, "snap-interfaces: unknown command '%s'\n%s", cmd, usage_text);
		return 2;
	}
	/* generate and check take no argument, connections at most a snap's name */
	maxargs = !strcmp(cmd, "connections") ? 1 : !strcmp(cmd, "generate") || !strcmp(cmd, "check") ? 0 : 2;
	if (argc - optind > maxargs) {
		fprintf(stderr, "snap-interfaces: %s: unexpected argument '%s'\n", cmd,
			argv[optind + maxargs]);
		return 2;
	}
	if (iface_system_load(o.root, o.interfaces, NULL, 0, &sys, &err))
		return fail(err.msg);
	if (!strcmp(cmd, "connections")) {
		list(&sys, optind < argc ? argv[optind] : NULL);
	} else if (!strcmp(cmd, "check")) {
		struct snap_profile *p;
		size_t n;
		char *base;
		size_t len;

		if (file_read_all(o.seccomp_base, 1 << 20, &base, &len, &err) ||
		    iface_render(&sys, base, o.libexecdir, &p, &n, &err))
			rc = fail(err.msg);
		else
			iface_profiles_free(p, n);
		free(base);
	} else if (!strcmp(cmd, "generate")) {
		if (iface_apply(&o, &sys, &err))
			rc = fail(err.msg);
	} else {
		const char *plug = optind < argc ? argv[optind] : NULL,
			   *slot = optind + 1 < argc ? argv[optind + 1] : NULL;

		if (!plug || optind + 2 < argc)
			rc = fail("usage: connect|disconnect SNAP:PLUG [SNAP:SLOT]");
		else if ((!strcmp(cmd, "connect") ? iface_connect(&sys, plug, slot, &err)
						  : iface_disconnect(&sys, plug, slot, &err)) ||
			 iface_apply(&o, &sys, &err))
			rc = fail(err.msg);
	}
	iface_system_free(&sys);
	return rc;
}
