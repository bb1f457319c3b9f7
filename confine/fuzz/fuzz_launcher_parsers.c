// SPDX-License-Identifier: GPL-3.0-only
/*
 * libFuzzer target: the launcher's parsers of untrusted text. The first
 * byte picks one: a mount profile (fstab, written back and parsed again, as
 * is the mimic record of each of its mount points), /proc/self/mountinfo, a
 * security tag, a udev tag (snap-device-helper's argument), or an app run
 * file (snap-run) whose values are then expanded; what a parser accepts
 * must survive its own invariants.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_cgroup.h"
#include "env_expand.h"
#include "fstab.h"
#include "mountinfo.h"
#include "run_file.h"
#include "tag.h"

/* every variable is defined: "[name]" */
static const char *lookup_any(const char *name, size_t len, void *ctx)
{
	static char v[64];

	(void)ctx;
	snprintf(v, sizeof(v), "[%.*s]", (int)(len < 60 ? len : 60), name);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag err;

	if (size < 1)
		return 0;
	switch (data[0] % 5) {
	case 0: {
		struct fstab f, again;
		size_t len;
		char *text;

		if (fstab_parse("fuzz.fstab", (const char *)data + 1, size - 1, &f, &err))
			return 0;
		/* what we write back must parse to the same entries */
		text = fstab_format(&f, &len);
		if (!text || fstab_parse("again", text, len, &again, &err) || again.n != f.n)
			abort();
		for (size_t i = 0; i < f.n; i++)
			if (!fstab_entry_equal(&f.e[i], &again.e[i]) || f.e[i].dir[0] != '/')
				abort();
		free(text);
		fstab_free(&again);
		/* the mimic snap-update-ns records for each mount point (commas, backslashes...) parses back */
		for (size_t i = 0; i < f.n; i++) {
			struct fstab m = { 0 };

			if (fstab_append_mimic(&m, f.e[i].dir, f.e[i].dir, "mode=0755,uid=0,gid=0"))
				abort();
			text = fstab_format(&m, &len);
			if (!text || fstab_parse("mimic", text, len, &again, &err) || again.n != 1 ||
			    !fstab_entry_equal(&again.e[0], &m.e[0]) || !again.e[0].needed_by ||
			    strcmp(again.e[0].needed_by, f.e[i].dir))
				abort();
			free(text);
			fstab_free(&again);
			fstab_free(&m);
		}
		fstab_free(&f);
		break;
	}
	case 1: {
		struct mountinfo m;

		if (mountinfo_parse((const char *)data + 1, size - 1, &m, &err))
			return 0;
		for (size_t i = 0; i < m.n; i++)
			if (!m.e[i].mount_point || !m.e[i].fs_type || !m.e[i].optional)
				abort();
		mountinfo_free(&m);
		break;
	}
	case 3: {
		/* a udev tag the helper accepts names a valid security tag that maps back to it */
		char udev[256], sectag[256], back[256], why[256];
		struct sc_tag t;

		if (size - 1 >= sizeof(udev))
			return 0;
		memcpy(udev, data + 1, size - 1);
		udev[size - 1] = '\0';
		if (devcg_security_tag(udev, sectag, sizeof(sectag), why, sizeof(why)))
			return 0;
		devcg_udev_tag(sectag, back, sizeof(back));
		if (tag_parse(sectag, &t, why, sizeof(why)) || strcmp(back, udev))
			abort();
		break;
	}
	case 4: {
		/* a run file snap-run accepts: a program, bounded lists, values that expand within bounds */
		struct run_file rf;
		char *text = malloc(size), out[512];

		if (!text)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		if (run_file_parse("fuzz.run", text, &rf, &err) == 0) {
			if (!rf.exec || !*rf.exec || rf.nargs > RUN_MAX_ARGS || rf.nchain > RUN_MAX_CHAIN ||
			    rf.nenv > RUN_MAX_ENV)
				abort();
			for (size_t i = 0; i < rf.nargs + rf.nenv; i++) {
				const char *v = i < rf.nargs ? rf.args[i] : strchr(rf.env[i - rf.nargs], '=');
				ssize_t n;

				if (!v)
					abort();
				n = env_expand(v, lookup_any, NULL, out, sizeof(out));
				if (n >= (ssize_t)sizeof(out) || (n >= 0 && strlen(out) != (size_t)n))
					abort();
			}
		}
		free(text);
		break;
	}
	default: {
		char tag[256], why[256];
		struct sc_tag t;

		if (size - 1 >= sizeof(tag))
			return 0;
		memcpy(tag, data + 1, size - 1);
		tag[size - 1] = '\0';
		if (tag_parse(tag, &t, why, sizeof(why)) == 0 &&
		    (strncmp(tag, "snap.", 5) || !snap_name_valid(t.snap, why, sizeof(why))))
			abort();
		break;
	}
	}
	return 0;
}
