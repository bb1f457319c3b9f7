/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * AppArmor's policy cache as libapparmor keeps it (aacache.c): one
 * subdirectory of the cache directory per kernel feature set,
 * DIR/<features hash>.<n>, holding .features and one compiled file per
 * profile source, named after it, with its source's mtime (the layout
 * apparmor_parser -W --cache-loc DIR writes; docs/formats.md).
 */
#ifndef CONFINE_IFACE_AACACHE_H
#define CONFINE_IFACE_AACACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct aacache_result {
	char dir[4096]; /* the subdirectory of the features */
	size_t profiles;
	bool compiled; /* it was missing or stale: compiled again */
	bool loaded;   /* replaced in the kernel */
};

/*
 * The cache in cachedir for features_file (NULL: the running kernel's)
 * holds srcs compiled: each source has its file, no other file is there,
 * and none is older than its source; otherwise every source is compiled
 * with parser into a scratch cache that then replaces the subdirectory,
 * all or nothing (the other feature sets' subdirectories stay). With load
 * (the running kernel's features only), every profile of the subdirectory
 * is then replaced in the kernel, all of them in one write (the kernel
 * checks every profile before it replaces any).
 */
int aacache_update(const char *cachedir, const char *features_file, const char *parser,
		   const char *const *srcs, size_t n, bool load, struct aacache_result *res,
		   struct diag *err);

/*
 * The compiled profile bin (of the source named name) loaded into the
 * running kernel through libapparmor's kernel interface, then kept in
 * cachedir's subdirectory for the running kernel when there is one (the
 * next boot loads it from there; the other feature sets' copies are older
 * than the new source, so their next boot compiles them all again).
 */
int aacache_replace_live(const char *cachedir, const char *name, const char *bin, struct diag *err);

/* the profile source name gone: its file removed from the running kernel's subdirectory */
void aacache_forget(const char *cachedir, const char *name);

#endif
