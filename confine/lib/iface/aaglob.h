/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * AppArmor rules as the interface data writes them, read back to answer
 * "would this rule allow that access?" (snap-scanlog):
 *
 *   file rules     [audit] [deny] [owner] [file] PATH PERMS [-> TARGET],
 *                  (or PERMS PATH), with AppArmor's globs: * (within a
 *                  path component), ** (across them), ?, [...] and [^...],
 *                  {a,b,...} (nested), @{VAR} (the variables of the base
 *                  profile: @{PROC}, @{pid}...), \ escapes; and the
 *                  generator's ${plug.x} / ${slot.x} / ${item} templates,
 *                  which a callback decides (any value when there is none)
 *   capability     capability [NAME...],
 *   network        network [FAMILY] [TYPE] [PROTOCOL],
 *
 * Anything else (dbus, signal, ptrace, unix, mount...) is AA_RULE_OTHER.
 */
#ifndef CONFINE_IFACE_AAGLOB_H
#define CONFINE_IFACE_AAGLOB_H

#include <stdbool.h>
#include <stddef.h>

/* file permissions */
#define AA_PERM_R   0x01u
#define AA_PERM_W   0x02u
#define AA_PERM_A   0x04u
#define AA_PERM_K   0x08u
#define AA_PERM_L   0x10u
#define AA_PERM_M   0x20u
#define AA_PERM_X   0x40u
#define AA_PERM_ALL 0x7fu

/* ---- variables (@{NAME}), each with one or more values */
struct aa_var {
	char *name;
	char **values;
	size_t nvalues;
};

struct aa_vars {
	struct aa_var *v;
	size_t n;
};

/* the variables of snapd's and our base profile: @{PROC}, @{pid}, @{tid}, @{multiarch}, @{HOME}... */
int aa_vars_defaults(struct aa_vars *vars);
/* NAME=VALUE... (replaces) or NAME+=VALUE... (appends); values split at blanks, quotes kept together */
int aa_vars_set(struct aa_vars *vars, const char *name, const char *values, bool append);
/* every "@{NAME}=..." / "@{NAME}+=..." line of a profile's text; returns how many */
int aa_vars_load_text(struct aa_vars *vars, const char *text);
const struct aa_var *aa_vars_get(const struct aa_vars *vars, const char *name, size_t len);
void aa_vars_free(struct aa_vars *vars);

/*
 * A template part ${EXPR} of a pattern: may it stand for val[0..len)? NULL
 * callback: anything.
 */
typedef bool (*aa_template_fn)(void *ctx, const char *expr, size_t exprlen, const char *val, size_t len);

/*
 * Does the path pattern match path? Variables come from vars (an unknown
 * one matches anything, as a template does). Bounded work: a pattern that
 * would take too long does not match.
 */
bool aa_glob_match(const char *pattern, const char *path, const struct aa_vars *vars, aa_template_fn tmpl,
		   void *ctx);

/* ---- rules */
enum aa_rule_kind { AA_RULE_NONE, AA_RULE_FILE, AA_RULE_CAP, AA_RULE_NET, AA_RULE_OTHER };

#define AA_RULE_WORDS 8

struct aa_rule {
	enum aa_rule_kind kind;
	bool deny, owner, audit;
	char path[1024]; /* a file rule's pattern, unquoted; "" for `file,` (every file) */
	unsigned perms;	 /* AA_PERM_* */
	/* capability names, or network's family, type and protocol words; none: every one */
	char words[AA_RULE_WORDS][32];
	size_t nwords;
};

/* one line of rules text; comments and blank lines are AA_RULE_NONE */
void aa_rule_parse(const char *line, struct aa_rule *r);

/* the permissions a log line's mask (requested_mask="rw", "c", "x"...) asks for */
unsigned aa_perms_from_log(const char *mask);
/* does have cover need (append is covered by write too) */
bool aa_perms_cover(unsigned have, unsigned need);
/* a log line's mask in words: "r" read, "wc" write and create, "x" execute... */
const char *aa_mask_describe(const char *mask, char *buf, size_t len);

/* capability rule allows the capability (by name: net_admin) */
bool aa_rule_allows_cap(const struct aa_rule *r, const char *capname);
/* network rule allows family/sock_type (the log's words: inet, stream; protocol -1 unknown) */
bool aa_rule_allows_net(const struct aa_rule *r, const char *family, const char *sock_type,
			long long protocol);

#endif
