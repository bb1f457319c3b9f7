/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Putting the generator's output in place (apply.c): installing snaps and
 * writing every profile, all or nothing, and on a running device putting
 * them into effect.
 */
#ifndef CONFINE_IFACE_APPLY_H
#define CONFINE_IFACE_APPLY_H

#include <stdbool.h>

#include "compile.h"
#include "iface/iface.h"

struct iface_opts {
	const char *root;			  /* "" for this system */
	const char *interfaces;			  /* the interface data directory */
	const char *seccomp_base, *apparmor_base; /* the base templates */
	const char *update_ns_base;  /* snap-update-ns.<snap>'s base profile; NULL: not generated */
	const char *libexecdir;	     /* snap-device-helper and snap-update-ns, as the device has them */
	const char *apparmor_parser; /* NULL: AppArmor profiles are written as text only */
	const char
		*apparmor_features; /* apparmor_parser -M (an image's kernel); NULL: the running kernel's */
	const char *udevadm;	    /* live: udev's rules reloaded with it (NULL: not) */
	bool live;		    /* put into effect on this system */
	bool systemd_units;	    /* services as systemd units too (root/etc/systemd/system) */
	const char *systemctl;	    /* live, units changed: "systemctl daemon-reload" with it (NULL: not) */
	bool core;		    /* a Core system: classic snaps are refused (install) */
	struct compile_opts seccomp;
};

/* every profile of every snap of sys, in place */
int iface_apply(const struct iface_opts *o, const struct iface_system *sys, struct diag *err);
/*
 * the snaps of dirs copied into root/snap/<name>/<rev> (current points at
 * them), then every profile; instance (NULL: none) installs the one snap of
 * dirs under that instance name (<snap>_<key>, snapd's snap install --name)
 */
int iface_install(const struct iface_opts *o, const char *const *dirs, size_t ndirs, const char *instance,
		  struct diag *err);

/* argv run, its output read; an exit other than 0: "ARGV0 failed: " and its first line (not a warning) */
int iface_run(char *const argv[], struct diag *err);

#endif
