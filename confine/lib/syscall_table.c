// SPDX-License-Identifier: GPL-3.0-only
/*
 * Syscall names and numbers from libseccomp's tables (syscall_table.h).
 * Reverse lookups are cached: the generator asks for the name of every
 * number it weighs, and libseccomp scans its table for each.
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_table.h"

#define CACHE_LOW 1024 /* numbers 0..1023, then the arch's private range */

struct name_cache {
	uint32_t audit;
	bool max_done;
	uint32_t max;
	unsigned char *done; /* per slot: resolved yet */
	const char **name;
	size_t slots;
};

static struct name_cache caches[8];

static struct name_cache *cache_for(const struct arch_info *a)
{
	size_t i;

	for (i = 0; i < sizeof(caches) / sizeof(caches[0]); i++) {
		struct name_cache *c = &caches[i];

		if (c->audit == a->audit && c->name)
			return c;
		if (!c->name) {
			size_t priv = a->private_hi ? a->private_hi - a->private_lo + 1 : 0;

			c->slots = CACHE_LOW + priv;
			c->name = calloc(c->slots, sizeof(*c->name));
			c->done = calloc(c->slots, 1);
			if (!c->name || !c->done) {
				free(c->name);
				free(c->done);
				c->name = NULL;
				c->done = NULL;
				return NULL;
			}
			c->audit = a->audit;
			return c;
		}
	}
	return NULL;
}

/* slot of nr in the cache, or -1 when it is not cached */
static long slot_of(const struct arch_info *a, uint32_t nr)
{
	if (nr < CACHE_LOW)
		return (long)nr;
	if (a->private_hi && nr >= a->private_lo && nr <= a->private_hi)
		return (long)(CACHE_LOW + (nr - a->private_lo));
	return -1;
}

int64_t syscall_nr(const struct arch_info *a, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(a->audit, name);

	/* negative values are errors or libseccomp's pseudo numbers: no such call here */
	return nr < 0 ? -1 : nr;
}

const char *syscall_name(const struct arch_info *a, uint32_t nr)
{
	struct name_cache *c;
	long s = slot_of(a, nr);

	if (nr > INT32_MAX)
		return NULL;
	if (s < 0)
		return NULL; /* no architecture here numbers its calls elsewhere */
	c = cache_for(a);
	if (!c)
		return NULL;
	if (!c->done[s]) {
		char *n = seccomp_syscall_resolve_num_arch(a->audit, (int)nr);

		c->name[s] = n; /* owned by the cache for the life of the process */
		c->done[s] = 1;
	}
	return c->name[s];
}

bool syscall_name_known_anywhere(const char *name)
{
	static const uint32_t every[] = {
		SCMP_ARCH_X86_64, SCMP_ARCH_X86,     SCMP_ARCH_X32,	SCMP_ARCH_ARM,	    SCMP_ARCH_AARCH64,
		SCMP_ARCH_MIPS,	  SCMP_ARCH_MIPS64,  SCMP_ARCH_MIPS64N32, SCMP_ARCH_PPC,	    SCMP_ARCH_PPC64,
		SCMP_ARCH_S390,	  SCMP_ARCH_S390X,   SCMP_ARCH_PARISC,	SCMP_ARCH_RISCV64,
	};
	size_t i;

	for (i = 0; i < sizeof(every) / sizeof(every[0]); i++)
		if (seccomp_syscall_resolve_name_arch(every[i], name) >= 0)
			return true;
	return false;
}

uint32_t syscall_max_known(const struct arch_info *a)
{
	struct name_cache *c = cache_for(a);
	uint32_t nr;

	if (c && c->max_done)
		return c->max;
	for (nr = CACHE_LOW - 1; nr > 0; nr--)
		if (syscall_name(a, nr))
			break;
	if (c) {
		c->max = nr;
		c->max_done = true;
	}
	return nr;
}

const char *syscall_table_version(void)
{
	static char buf[32];
	const struct scmp_version *v = seccomp_version();

	if (!buf[0])
		snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}
