/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The interface generator's public face: snaps' plugs and slots, the
 * gadget's connections, and one data file per interface, turned into every
 * profile of every app (seccomp policy text, AppArmor rules, udev rules,
 * mount entries). Parse, then plan, then apply: iface_system_load() reads
 * and checks everything, iface_plan() decides the connections and renders
 * every file in memory; only then does the caller write anything.
 *
 *   interface data   <dir>/<name>.yaml            (iface_spec, spec.c)
 *   snaps            <root>/snap/<snap>/current/meta/snap.yaml (snap.c)
 *   gadget           the snap of type gadget, its meta/gadget.yaml connections
 *   connections      <root>/var/lib/snapd/confine/connections (connect.c)
 */
#ifndef CONFINE_IFACE_H
#define CONFINE_IFACE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "iface/yamltree.h"

/* ---- interface data */

enum attr_type { ATTR_STRING, ATTR_INT, ATTR_BOOL, ATTR_PATH, ATTR_LIST, ATTR_MAP };

struct attr_schema {
	char *name;
	enum attr_type type;
	bool required;
	bool default_name;	    /* absent: the plug's or slot's own name (content) */
	char *pattern;		    /* ERE, whole value (strings, paths, list items) */
	long long min, max;	    /* ints */
	enum attr_type item_type;   /* lists */
	struct attr_schema *fields; /* maps */
	size_t nfields;
};

/* one item of a snippet list: text, once or for each item of a list attribute, when an attribute is there */
struct snippet {
	char *when; /* "plug.x" / "slot.x.y", "!..." for absent; NULL: always */
	char *each; /* a list attribute; ${item} in text */
	char *text;
	unsigned line;
};

enum snippet_kind { SN_SECCOMP, SN_APPARMOR, SN_UDEV, SN_MOUNT, SN_KINDS };

struct iface_spec {
	char *name, *summary, *file;
	bool auto_connect; /* connected on Core without a declaration */
	bool system_slot;  /* the system provides the slot (system:<name>) */
	struct attr_schema *plug_attrs, *slot_attrs;
	size_t nplug_attrs, nslot_attrs;
	char **slot_one_of; /* at least one of these slot attributes */
	size_t nslot_one_of;
	char **match; /* plug.<x> must equal slot.<x> */
	size_t nmatch;
	struct snippet *sn[SN_KINDS];
	size_t nsn[SN_KINDS];
};

/* every <dir>/NAME.yaml; a malformed file is "file:line:col: reason" */
int iface_specs_load(const char *dir, struct iface_spec **out, size_t *n, struct diag *err);
int iface_spec_parse(const char *file, const char *text, size_t len, struct iface_spec *s, struct diag *err);
void iface_spec_free(struct iface_spec *s);
const struct iface_spec *iface_spec_find(const struct iface_spec *specs, size_t n, const char *name);

/* ---- snaps */

struct plugslot {
	char *snap, *name, *iface;
	struct yt_node *attrs; /* a map: checked, defaults added, snap paths expanded */
	char **apps;	       /* the apps bound to it */
	size_t napps;
	bool is_slot;
	const char *file;
	unsigned line, col;
};

struct app {
	char *name, *command;
	char **plugs, **slots; /* as listed under the app; NULL when it lists none */
	size_t nplugs, nslots;
	bool lists_plugs, lists_slots;
	unsigned line;
	char **words; /* the command split (command_split): the program, then its arguments */
	char **chain; /* command-chain: paths in the snap, run in order before the command */
	char **env;   /* environment: KEY=VALUE in the order of snap.yaml */
	size_t nwords, nchain, nenv;
	const struct yt_node *command_at; /* where they are in snap.yaml (the snap's doc) */
	const struct yt_node **chain_at;
	bool hook; /* a hook: name is "hook.<hook>", the program meta/hooks/<hook> */
	/* a service (daemon: set; services.c): NULL daemon for other apps and hooks */
	char *daemon;	     /* simple, forking, oneshot, notify */
	const char *restart; /* restart-condition, snapd's spelling ("never" for "no") */
	long long restart_delay, start_timeout, stop_timeout; /* milliseconds, -1: absent */
	struct app_cmd {
		char **words; /* stop-command, post-stop-command, reload-command split as command */
		size_t nwords;
		const struct yt_node *at;
	} extra[3];		/* RUN_STOP, RUN_POST_STOP, RUN_RELOAD (run_file.h) */
	char **before, **after; /* app names of the same snap, each a service */
	size_t nbefore, nafter;
	bool disabled; /* install-mode: disable */
};

struct layout {
	char *path;  /* where */
	char *kind;  /* bind, bind-file, type (tmpfs), symlink */
	char *value; /* source, target or "tmpfs", expanded */
	char *mode;  /* tmpfs mode, octal, or NULL */
	unsigned line;
};

struct snap {
	/* name: the instance name (hello_k), which names everything installed; snap_name: snap.yaml's (hello) */
	char *name, *snap_name, *version, *base, *confinement, *type, *rev, *dir, *file;
	struct app *apps;
	size_t napps;
	struct plugslot *plugs, *slots;
	size_t nplugs, nslots;
	struct layout *layouts;
	size_t nlayouts;
	char **env; /* the snap's environment: KEY=VALUE in order; an app's own comes after it */
	size_t nenv;
	struct yt_doc doc;    /* snap.yaml */
	struct yt_doc gadget; /* meta/gadget.yaml of a gadget */
	char *gadget_file;
};

/* snap.yaml of the snap whose tree is at dir (revision rev); plugs and slots checked against specs */
int snap_load(const char *dir, const char *rev, const struct iface_spec *specs, size_t nspecs, struct snap *s,
	      struct diag *err);
int snap_parse(const char *file, const char *text, size_t len, const char *rev,
	       const struct iface_spec *specs, size_t nspecs, struct snap *s, struct diag *err);
/* as snap_parse, with the names of the files of meta/hooks (hooks snapd does not know are ignored) */
int snap_parse_hooks(const char *file, const char *text, size_t len, const char *rev,
		     const struct iface_spec *specs, size_t nspecs, const char *const *hook_files,
		     size_t nhook_files, struct snap *s, struct diag *err);
/* a hook name snapd runs (snapd's list of supported hooks) */
bool hook_supported(const char *name);
void snap_free(struct snap *s);
/* installs s as the instance name instance (<snap>_<key> of its own name, or that name): names it and its plugs */
int snap_set_instance(struct snap *s, const char *instance, struct diag *err);
/*
 * $SNAP, $SNAP_DATA, $SNAP_COMMON of snap s at the start of p (none:
 * $SNAP/p), with the snap's name as snapd expands them (the paths inside
 * the namespace, where an instance's directories are mapped on them); malloc'd
 */
char *snap_expand(const struct snap *s, const char *p);

/* ---- commands (command.c): how snap-run starts an app */

/*
 * cmd split into words as snapd splits it (at spaces, snapd's characters
 * only), plus quotes and backslashes as a shell has them; each word in the
 * run file's escaped form (\\, \$, \n). -1 with why when it cannot be.
 */
int command_split(const char *cmd, char ***words, size_t *nwords, char *why, size_t whylen);
void words_free(char **w, size_t n);
/* a program or command-chain path: snapd's characters without $ and space, no ".." */
bool snap_program_path(const char *p, char *why, size_t whylen);
/* the run file of app a of s (docs/formats.md, "App run file"); malloc'd, NULL when out of memory */
char *run_file_text(const struct snap *s, const struct app *a);

/* ---- services (services.c) */

/* the service file of daemon a (docs/formats.md, "Service file"); malloc'd, NULL when out of memory */
char *service_file_text(const struct snap *s, const struct app *a);
/* the systemd unit snap.<snap>.<app>.service of daemon a; snap_run: snap-run's path */
char *service_unit_text(const struct snap *s, const struct app *a, const char *snap_run);
/* a duration in snapd's (Go's) syntax, "1m30s", "500ms", "0", as milliseconds (rounded up); -1 */
int duration_ms(const char *text, long long *ms);

/* ---- connections */

enum conn_how { CONN_AUTO, CONN_GADGET, CONN_MANUAL };

struct conn {
	const struct plugslot *plug, *slot;
	const struct iface_spec *spec;
	enum conn_how how;
};

struct iface_system {
	struct iface_spec *specs;
	size_t nspecs;
	struct snap *snaps;
	size_t nsnaps;
	struct plugslot *system_slots; /* one per interface with system-slot: true */
	size_t nsystem_slots;
	struct conn *conns;
	size_t nconns;
	/* the saved state: manual connections and disconnected automatic ones */
	char **manual, **undesired; /* "snap:plug snap:slot" */
	size_t nmanual, nundesired;
	char *state_file;
};

/*
 * Loads the interface data of specs_dir and every installed snap of root
 * (root/snap/<name>/current), the gadget's connections and the saved state,
 * and decides the connections. The snaps of the directories in extra (being
 * installed; the revision is the directory's name when it is a number,
 * else 1) stand in for installed ones of the same name. Everything is
 * checked before anything is returned.
 */
int iface_system_load(const char *root, const char *specs_dir, const char *const *extra, size_t nextra,
		      struct iface_system *sys, struct diag *err);
/* the same, the snap of extra[0] installed as the instance name instance (NULL: its own name) */
int iface_system_load_as(const char *root, const char *specs_dir, const char *const *extra, size_t nextra,
			 const char *instance, struct iface_system *sys, struct diag *err);
void iface_system_free(struct iface_system *sys);
/* "snap:name" (plug) and "snap:name" or "snap" (slot; "system:x"); NULL when there is none */
const struct plugslot *iface_find_plug(const struct iface_system *sys, const char *ref);
const struct plugslot *iface_find_slot(const struct iface_system *sys, const char *ref);
/* connects (manual) or disconnects a plug; slot NULL: the one candidate, or every connection of the plug */
int iface_connect(struct iface_system *sys, const char *plug, const char *slot, struct diag *err);
int iface_disconnect(struct iface_system *sys, const char *plug, const char *slot, struct diag *err);
/* the state file's text: manual connections and undesired automatic ones */
char *iface_state_format(const struct iface_system *sys);

/* ---- profiles */

struct app_profile {
	char *tag;	  /* snap.<snap>.<app> */
	char *seccomp;	  /* policy text (.src) */
	char *apparmor;	  /* the rules the connected interfaces add */
	char *udev_match; /* udev match lines, one per device */
};

struct snap_profile {
	const struct snap *snap;
	struct app_profile *apps;
	size_t napps;
	char *fstab; /* the mount profile (content, layouts), "" when none */
	char *udev;  /* 70-snap.<snap>.rules, "" when no device */
};

/*
 * Renders the profiles of every snap: the base seccomp policy plus each
 * connected interface's lines, its AppArmor rules, udev matches and mount
 * entries. libexecdir is where snap-device-helper lives.
 */
int iface_render(const struct iface_system *sys, const char *base_seccomp, const char *libexecdir,
		 struct snap_profile **out, size_t *n, struct diag *err);
void iface_profiles_free(struct snap_profile *p, size_t n);
struct fstab;
/* the AppArmor rules snap-update-ns.<snap> needs to apply the mount profile f (updatens.c); malloc'd */
int iface_update_ns_rules(const char *snap, const struct fstab *f, char **rules, struct diag *err);
/* the template text with ${plug.x}, ${slot.x}, ${item} and their filters substituted (render.c lists them) */
int iface_expand(const char *text, const struct plugslot *plug, const struct plugslot *slot, const char *item,
		 char **out, struct diag *err);

#endif
