// SPDX-License-Identifier: GPL-3.0-only
/* Lookups in the generated syscall-name table (syscall_names.h). */
#include <string.h>

#include "syscall_names.h"

static const struct sysname_table *table_of(uint32_t audit)
{
	for (size_t i = 0; i < sysname_ntables; i++)
		if (sysname_tables[i].audit == audit)
			return &sysname_tables[i];
	return NULL;
}

const char *sysname_lookup(uint32_t audit, uint32_t nr)
{
	const struct sysname_table *t = table_of(audit);

	if (!t)
		return NULL;
	if (nr < t->n)
		return t->off[nr] ? sysname_pool + t->off[nr] : NULL;
	for (size_t i = 0; i < t->npriv; i++)
		if (t->priv[i].nr == nr)
			return sysname_pool + t->priv[i].off;
	return NULL;
}

int64_t sysname_number(uint32_t audit, const char *name)
{
	const struct sysname_table *t = table_of(audit);

	if (!t)
		return -1;
	for (uint32_t nr = 0; nr < t->n; nr++)
		if (t->off[nr] && !strcmp(sysname_pool + t->off[nr], name))
			return nr;
	for (size_t i = 0; i < t->npriv; i++)
		if (!strcmp(sysname_pool + t->priv[i].off, name))
			return t->priv[i].nr;
	return -1;
}

const char *sysname_arch(uint32_t audit)
{
	const struct sysname_table *t = table_of(audit);

	return t ? t->name : NULL;
}
