/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The system key (like snapd's): what the compiled profiles assume of the
 * kernel. The image build records the key of the AppArmor features it
 * compiled for (/var/lib/snapd/system-key); at boot the probe writes the
 * running kernel's (/run/snapd/system-key); when they differ the profiles
 * are recompiled before anything runs, or the launcher refuses every app
 * (docs/formats.md#system-key).
 */
#ifndef CONFINE_SYSTEM_KEY_H
#define CONFINE_SYSTEM_KEY_H

#include <stddef.h>

#include "diag.h"

#define SC_SYSTEM_KEY_FILE    "/var/lib/snapd/system-key"
#define SC_SYSTEM_KEY_RUN     "/run/snapd/system-key"
#define SC_SYSTEM_KEY_VERSION 1

struct sc_system_key {
	char apparmor_features[65]; /* SHA-256 (hex) of the feature set, sorted; "none" without AppArmor */
	char apparmor_parser[64];   /* the parser's version ("3.0.8"), "none" */
	char seccomp_actions[256];  /* syskey_seccomp's, of actions_avail */
};

/* the key of a features tree (securityfs apparmor/features, or a copy) open at dirfd */
int syskey_apparmor_dir(int dirfd, char out[65], struct diag *err);
/* the key of the same set flattened (apparmor_parser -M's file, libapparmor's text form) */
int syskey_apparmor_text(const char *text, size_t len, char out[65], struct diag *err);
/*
 * the actions the filters return and the launcher cannot stand in for
 * (allow, errno, kill_process, kill_thread) of a list ("kill_process ...
 * allow", actions_avail's), sorted, into out; "none". log is left out: the
 * launcher turns RET_LOG into RET_ALLOW on a kernel without it.
 */
void syskey_seccomp(const char *actions, char *out, size_t size);
/* the file's text; malloc'd */
char *syskey_format(const struct sc_system_key *k, size_t *len);
/* strict: version line first, every field once, "end" last; -1 with a reason */
int syskey_parse(const char *text, size_t len, struct sc_system_key *k, struct diag *err);
/* 0 when the keys are the same; -1 with the refusal naming the first field that differs */
int syskey_compare(const struct sc_system_key *recorded, const struct sc_system_key *running,
		   const char *rpath, const char *npath, struct diag *err);
/*
 * The launcher's check: 0 when the probe wrote no key of the running kernel
 * (running missing: no probe at boot) or the recorded key is the same;
 * otherwise -1 with the one line that refuses the app.
 */
int syskey_check(const char *recorded, const char *running, struct diag *err);

#endif
