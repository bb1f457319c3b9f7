/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * snap-scanlog's answers: for a parsed kernel log line (scanlog.h), whose
 * app it was (the security tag), what it did, and which interfaces'
 * connection would allow it, from the interface data files (iface.h):
 *
 *   seccomp    every interface whose seccomp lines name the call (the
 *              line itself shown when it carries argument conditions)
 *   files      every interface whose AppArmor file rules match the path
 *              (aaglob.h) with the permissions the kernel refused
 *   others     capability NAME, network FAMILY TYPE
 *
 * and, over a whole run (--summary), the plugs each app needs.
 */
#ifndef CONFINE_IFACE_EXPLAIN_H
#define CONFINE_IFACE_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "iface/aaglob.h"
#include "iface/iface.h"
#include "scanlog.h"

/* one seccomp line of an interface */
struct ex_sc {
	size_t spec; /* index in specs */
	char *call;  /* the syscall's name */
	char *line;  /* the whole line when it has argument conditions, else NULL */
	char *when;  /* the snippet's when:, or NULL */
};

/* one AppArmor rule of an interface */
struct ex_aa {
	size_t spec;
	const struct snippet *sn;
	struct aa_rule rule;
};

struct explain_db {
	struct iface_spec *specs;
	size_t nspecs;
	struct ex_sc *sc;
	size_t nsc;
	struct ex_aa *aa;
	size_t naa;
	struct aa_vars vars;
	/* the base seccomp policy's lines: "call", "call args..." and "~call args..." */
	char **base_sc;
	size_t nbase_sc;
	/* files skipped or read leniently, one line each */
	char **notes;
	size_t nnotes;
};

/*
 * Every <dir>/NAME.yaml: a file the interface generator would refuse (a key it
 * does not know yet, say) is read leniently (name, seccomp, apparmor), one
 * that is not YAML at all is skipped with a note; a missing directory is a
 * note too. apparmor_base (the base profile, for its @{VAR} definitions)
 * and seccomp_base (the base policy) may be NULL or missing.
 */
int explain_db_load(struct explain_db *db, const char *dir, const char *apparmor_base,
		    const char *seccomp_base, struct diag *err);
/* one interface file's text (what explain_db_load does for each file) */
int explain_db_add(struct explain_db *db, const char *file, const char *text, size_t len);
/* the base policy's text */
int explain_db_add_base_seccomp(struct explain_db *db, const char *text);
void explain_db_init(struct explain_db *db);
void explain_db_free(struct explain_db *db);

/* whose line it was */
struct scan_who {
	char tag[128];		       /* snap.<instance>.<app>, or "" */
	char snap[64];		       /* the snap instance, or "" */
	char rev[32];		       /* the revision, when the exe path gives it */
	char display[SCAN_PATH + 512]; /* what is printed: the tag, or the best we know */
};

/*
 * The app of a line: the AppArmor label (snap.x.y, a child profile's
 * parent), else the exe path /snap/<snap>/<rev>/CMD matched against the
 * commands of <root>/snap/<snap>/<rev>/meta/snap.yaml, else (the process
 * still running) its cgroup named after the tag; else the exe or comm.
 */
void scan_identify(const struct scan_event *ev, const char *root, struct scan_who *who);

enum ex_what { EX_SKIP, EX_SECCOMP, EX_FILE, EX_CAP, EX_NET, EX_OTHER };

#define EX_MAX 24

struct ex_match {
	size_t spec;
	bool weak;	  /* only when an attribute names it (the rule's path is a template) */
	char detail[256]; /* the first argument condition, or when:; weak: the attributes */
	unsigned nmore;	  /* more argument conditions */
};

struct explanation {
	enum ex_what what;
	bool denied;		      /* false: only logged (complain, devmode) */
	char verb[32];		      /* denied, logged, killed... */
	char mode[40];		      /* "complain mode: allowed" for AppArmor's ALLOWED */
	char object[SCAN_PATH + 512]; /* add_key (x86_64, EPERM) / read of /etc/shadow ... */
	char key[SCAN_PATH + 512]; /* the same need, for merging: "seccomp add_key", "file r /etc/shadow" */
	size_t n;
	struct ex_match m[EX_MAX];
	bool more;	/* more than EX_MAX interfaces */
	char note[300]; /* e.g. the base policy's conditions */
};

/* EX_SKIP for lines that are no denial (AppArmor STATUS, AUDIT...) */
void scan_explain(const struct explain_db *db, const struct scan_event *ev, const struct scan_who *who,
		  struct explanation *ex);
/* "WHO: seccomp denied add_key (x86_64, EPERM) — no interface allows it" (malloc'd, no newline) */
char *scan_format(const struct explain_db *db, const struct scan_who *who, const struct explanation *ex);

/* ---- --summary: the plugs each app needs */
struct sum_need {
	char *key, *object;
	size_t *specs; /* the interfaces that allow it */
	bool *weak;    /* ... only when an attribute names it */
	size_t nspecs;
	unsigned count;
	bool denied;
};

struct sum_app {
	char *who;
	struct sum_need *needs;
	size_t nneeds;
	unsigned lines;
};

struct scan_summary {
	struct sum_app *apps;
	size_t napps;
};

int scan_summary_add(struct scan_summary *s, const struct explain_db *db, const struct scan_who *who,
		     const struct explanation *ex);
/* the whole report, one block per app (malloc'd) */
char *scan_summary_format(const struct scan_summary *s, const struct explain_db *db);
void scan_summary_free(struct scan_summary *s);

#endif
