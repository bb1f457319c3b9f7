/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Security tags: snap.<snap>[_<key>].<app> and snap.<snap>[_<key>].hook.<hook>,
 * validated by hand-written rules (no regex library in the static launcher).
 */
#ifndef CONFINE_TAG_H
#define CONFINE_TAG_H

#include <stdbool.h>
#include <stddef.h>

#define SNAP_NAME_MIN 2
#define SNAP_NAME_MAX 40
#define INSTANCE_KEY_MAX 10
#define APP_NAME_MAX 64
#define TAG_MAX (5 + SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX + 6 + APP_NAME_MAX)

struct sc_tag {
	char snap[SNAP_NAME_MAX + 1]; /* the store name: hello */
	char key[INSTANCE_KEY_MAX + 1]; /* instance key, "" when none */
	char instance[SNAP_NAME_MAX + 1 + INSTANCE_KEY_MAX + 1]; /* hello_foo */
	char app[APP_NAME_MAX + 1]; /* app or hook name */
	bool hook;
};

/* 2-40 of a-z0-9 and single inner dashes, at least one letter */
bool snap_name_valid(const char *name, char *why, size_t whylen);
/* 1-10 of a-z0-9 */
bool instance_key_valid(const char *key, char *why, size_t whylen);
/* letters, digits and single inner dashes */
bool app_name_valid(const char *name, char *why, size_t whylen);
/* a-z first, then a-z0-9 and single inner dashes */
bool hook_name_valid(const char *name, char *why, size_t whylen);
/* NAME or NAME_KEY; fills snap and key (either may be NULL) */
bool instance_name_split(const char *instance, char *snap, size_t snaplen, char *key, size_t keylen, char *why,
			 size_t whylen);

/* -1 with a reason when tag is not a valid security tag */
int tag_parse(const char *tag, struct sc_tag *out, char *why, size_t whylen);

#endif
