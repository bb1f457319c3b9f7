// SPDX-License-Identifier: GPL-3.0-only
/*
 * Start order from before=/after= (systemd's meaning: ordering only, a
 * missing service is ignored). Kahn's algorithm taking the first ready
 * service in the input's (name) order; what is left is on a cycle or
 * after one: all of it is refused, the message names the services on a
 * cycle and then those that waited for them.
 */
#include <stdio.h>
#include <string.h>

#include "svc.h"

static int find(const struct svc_conf *const *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i]->name, name))
			return (int)i;
	return -1;
}

/* edge[a][b]: a starts before b */
static void edges(const struct svc_conf *const *c, size_t n, unsigned char (*edge)[SVC_MAX])
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < c[i]->n_after; k++) {
			int j = find(c, n, c[i]->after[k]);
			if (j >= 0)
				edge[j][i] = 1;
		}
		for (size_t k = 0; k < c[i]->n_before; k++) {
			int j = find(c, n, c[i]->before[k]);
			if (j >= 0)
				edge[i][j] = 1;
		}
	}
}

static bool reaches(unsigned char (*edge)[SVC_MAX], size_t n, size_t from, size_t to, unsigned char *seen)
{
	if (seen[from])
		return false;
	seen[from] = 1;
	for (size_t j = 0; j < n; j++)
		if (edge[from][j] && (j == to || reaches(edge, n, j, to, seen)))
			return true;
	return false;
}

static void append(char *buf, size_t len, const char *name)
{
	size_t u = strlen(buf);

	if (u < len)
		snprintf(buf + u, len - u, "%s%s", u ? ", " : "", name);
}

int svc_order(const struct svc_conf *const *c, size_t n, size_t *order, size_t *n_order, bool *refused,
	      struct diag *err)
{
	static unsigned char edge[SVC_MAX][SVC_MAX];
	unsigned char done[SVC_MAX] = { 0 }, seen[SVC_MAX];
	char cyc[DIAG_MAX / 2] = "", rest[DIAG_MAX / 2] = "";

	if (n > SVC_MAX)
		return diag_set(err, "more than %d services", SVC_MAX);
	memset(edge, 0, sizeof(edge));
	edges(c, n, edge);
	*n_order = 0;
	for (;;) {
		size_t pick = n;

		for (size_t i = 0; i < n && pick == n; i++) {
			bool ready = !done[i];

			for (size_t j = 0; j < n && ready; j++)
				if (edge[j][i] && !done[j])
					ready = false;
			if (ready)
				pick = i;
		}
		if (pick == n)
			break;
		done[pick] = 1;
		order[(*n_order)++] = pick;
	}
	if (*n_order == n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		refused[i] = true;
		memset(seen, 0, sizeof(seen));
		append(reaches(edge, n, i, i, seen) ? cyc : rest, sizeof(cyc), c[i]->name);
	}
	return diag_set(err, "ordering cycle between %s: not started%s%s", cyc,
			rest[0] ? "; nor what is after it: " : "", rest);
}
