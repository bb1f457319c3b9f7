// SPDX-License-Identifier: GPL-3.0-only
/*
 * libFuzzer target: what snaps bring to the interface generator. The first
 * byte picks one: a snap.yaml checked against the project's interface data
 * (confine/snap-interfaces/interfaces, read once; the fuzzer runs from the
 * tree, or from $SRCDIR), an interface data file, or any YAML through the
 * tree reader. What is accepted must hold the model's invariants, and every
 * profile of an accepted snap must render.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface/iface.h"
#include "run_file.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct iface_spec *specs;
static size_t nspecs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *src = getenv("SRCDIR");
	char dir[4096];
	struct diag err;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/confine/snap-interfaces/interfaces", src ? src : ".");
	if (iface_specs_load(dir, &specs, &nspecs, &err)) {
		fprintf(stderr, "fuzz_snap_yaml: %s\n", err.msg);
		abort();
	}
	return 0;
}

static void check_plugslot(const struct snap *s, const struct plugslot *p)
{
	if (!p->snap || strcmp(p->snap, s->name) || !p->name || !p->iface || !p->attrs ||
	    p->attrs->kind != YT_MAP || !iface_spec_find(specs, nspecs, p->iface))
		abort();
	for (size_t i = 0; i < p->napps; i++) {
		bool found = false;

		for (size_t a = 0; a < s->napps; a++)
			found |= !strcmp(s->apps[a].name, p->apps[i]);
		if (!found)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag err;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: {
		struct snap s;

		static const char *const hooks[] = { "configure", "install", "not-a-hook" };

		if (snap_parse_hooks("fuzz/meta/snap.yaml", (const char *)data + 1, size - 1, "7", specs,
				     nspecs, hooks, 3, &s, &err))
			return 0;
		if (!s.name || !s.rev || !s.confinement || !s.base)
			abort();
		for (size_t i = 0; i < s.nplugs; i++)
			check_plugslot(&s, &s.plugs[i]);
		for (size_t i = 0; i < s.nslots; i++)
			check_plugslot(&s, &s.slots[i]);
		for (size_t i = 0; i < s.nlayouts; i++)
			if (s.layouts[i].path[0] != '/' || !s.layouts[i].value)
				abort();
		/* each app's run file reads back in snap-run with every word, chain entry and variable */
		for (size_t i = 0; i < s.napps; i++) {
			const struct app *a = &s.apps[i];
			char *text = run_file_text(&s, a);
			struct run_file rf;

			if (!text || run_file_parse("fuzz.run", text, &rf, &err) || rf.legacy ||
			    rf.nargs + 1 != a->nwords || rf.nchain != a->nchain ||
			    rf.nenv != s.nenv + a->nenv || strcmp(rf.version, s.version))
				abort();
			for (int x = 0; x < RUN_EXTRA_N; x++)
				if (a->extra[x].words
					    ? !rf.extra[x].exec || rf.extra[x].nargs + 1 != a->extra[x].nwords
					    : rf.extra[x].exec != NULL)
					abort();
			free(text);
			/* a service's file: KEY=VALUE lines only, each of the contract's keys */
			if (a->daemon) {
				char *svc = service_file_text(&s, a),
				     *unit = service_unit_text(&s, a, "/x/snap-run");

				if (!svc || !unit)
					abort();
				for (char *l = svc; *l; l = strchr(l, '\n') + 1) {
					if (!strchr(l, '\n') ||
					    (*l != '#' &&
					     (!strchr(l, '=') || strchr(l, '=') > strchr(l, '\n'))))
						abort();
				}
				free(svc);
				free(unit);
			}
		}
		/* a system of that snap alone: its connections decided, every profile rendered */
		{
			struct iface_system sys = {
				.specs = specs, .nspecs = nspecs, .snaps = &s, .nsnaps = 1
			};
			struct snap_profile *p;
			size_t n;

			if (iface_render(&sys, "read\n", "/usr/lib/snapd", &p, &n, &err) == 0)
				iface_profiles_free(p, n);
		}
		snap_free(&s);
		break;
	}
	case 1: {
		struct iface_spec sp;

		if (iface_spec_parse("fuzz.yaml", (const char *)data + 1, size - 1, &sp, &err))
			return 0;
		if (!sp.name || !sp.file)
			abort();
		iface_spec_free(&sp);
		break;
	}
	default: {
		struct yt_doc d;

		if (yt_parse("fuzz.yaml", (const char *)data + 1, size - 1, &d, &err))
			return 0;
		if (d.nodes > YT_MAX_NODES)
			abort();
		yt_free(&d);
		break;
	}
	}
	return 0;
}
