// SPDX-License-Identifier: GPL-3.0-only
/* Security tag and snap name validation (tag.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tag.h"

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z');
}

__attribute__((format(printf, 3, 4))) static bool fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* words of allowed characters joined by single dashes, no dash at either end */
static bool dashed_words(const char *s, bool (*ok)(char), bool *letter)
{
	size_t n = strlen(s), i;

	if (n == 0 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (s[i + 1] == '-')
				return false;
			continue;
		}
		if (!ok(s[i]))
			return false;
		if (is_alpha(s[i]))
			*letter = true;
	}
	return true;
}

static bool lower_or_digit(char c)
{
	return is_lower(c) || is_digit(c);
}

static bool alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

bool snap_name_valid(const char *name, char *why, size_t whylen)
{
	size_t n = strlen(name);
	bool letter = false;

	if (n < SNAP_NAME_MIN || n > SNAP_NAME_MAX)
		return fail(why, whylen, "snap name '%s' must be 2 to 40 characters long", name);
	if (!dashed_words(name, lower_or_digit, &letter))
		return fail(why, whylen,
			    "snap name '%s' must use a-z, 0-9 and single dashes, not at the start or the end", name);
	if (!letter)
		return fail(why, whylen, "snap name '%s' must contain at least one letter", name);
	return true;
}

bool instance_key_valid(const char *key, char *why, size_t whylen)
{
	size_t n = strlen(key), i;

	if (n < 1 || n > INSTANCE_KEY_MAX)
		return fail(why, whylen, "instance key '%s' must be 1 to 10 characters long", key);
	for (i = 0; i < n; i++)
		if (!lower_or_digit(key[i]))
			return fail(why, whylen, "instance key '%s' must use a-z and 0-9 only", key);
	return true;
}

bool app_name_valid(const char *name, char *why, size_t whylen)
{
	bool letter = false;

	if (strlen(name) > APP_NAME_MAX)
		return fail(why, whylen, "app name '%s' is longer than 64 characters", name);
	if (!dashed_words(name, alnum, &letter))
		return fail(why, whylen, "app name '%s' must use letters, digits and single dashes, not at the ends",
			    name);
	return true;
}

bool hook_name_valid(const char *name, char *why, size_t whylen)
{
	bool letter = false;

	if (strlen(name) > APP_NAME_MAX)
		return fail(why, whylen, "hook name '%s' is longer than 64 characters", name);
	if (!is_lower(name[0]) || !dashed_words(name, lower_or_digit, &letter))
		return fail(why, whylen, "hook name '%s' must start with a-z and use a-z, 0-9 and single dashes",
			    name);
	return true;
}

bool instance_name_split(const char *instance, char *snap, size_t snaplen, char *key, size_t keylen, char *why,
			 size_t whylen)
{
	const char *us = strchr(instance, '_');
	char name[SNAP_NAME_MAX + 2];
	size_t n = us ? (size_t)(us - instance) : strlen(instance);

	if (n > SNAP_NAME_MAX)
		return fail(why, whylen, "snap name in '%s' is longer than 40 characters", instance);
	memcpy(name, instance, n);
	name[n] = '\0';
	if (!snap_name_valid(name, why, whylen))
		return false;
	if (us && !instance_key_valid(us + 1, why, whylen))
		return false;
	if (snap)
		snprintf(snap, snaplen, "%s", name);
	if (key)
		snprintf(key, keylen, "%s", us ? us + 1 : "");
	return true;
}

int tag_parse(const char *tag, struct sc_tag *out, char *why, size_t whylen)
{
	char buf[TAG_MAX + 2];
	char *inst, *rest, *dot;
	size_t n = strlen(tag);

	memset(out, 0, sizeof(*out));
	if (n > TAG_MAX) {
		fail(why, whylen, "security tag '%.80s...' is too long", tag);
		return -1;
	}
	if (strncmp(tag, "snap.", 5)) {
		fail(why, whylen, "security tag '%s' does not start with 'snap.'", tag);
		return -1;
	}
	memcpy(buf, tag, n + 1);
	inst = buf + 5;
	dot = strchr(inst, '.');
	if (!dot) {
		fail(why, whylen, "security tag '%s' has no app part (snap.NAME.APP)", tag);
		return -1;
	}
	*dot = '\0';
	rest = dot + 1;
	if (!instance_name_split(inst, out->snap, sizeof(out->snap), out->key, sizeof(out->key), why, whylen))
		return -1;
	memcpy(out->instance, inst, strlen(inst) + 1); /* validated: at most 51 bytes */
	if (!strncmp(rest, "hook.", 5)) {
		if (!hook_name_valid(rest + 5, why, whylen))
			return -1;
		out->hook = true;
		snprintf(out->app, sizeof(out->app), "%s", rest + 5);
		return 0;
	}
	if (!app_name_valid(rest, why, whylen))
		return -1;
	snprintf(out->app, sizeof(out->app), "%s", rest);
	return 0;
}
