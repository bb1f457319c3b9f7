// SPDX-License-Identifier: GPL-3.0-only
/* Syscall frequency profiles: "name count" per line, # comments (sysprofile.h). */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_table.h"
#include "sysprofile.h"

void sysprofile_free(struct sysprofile *p)
{
	free(p->e);
	memset(p, 0, sizeof(*p));
}

/* x86_64 names and what a libc calls instead where the arch lacks them, first found wins */
static const struct {
	const char *name, *instead[3];
} equivalents[] = {
	{ "newfstatat", { "fstatat64" } },
	{ "stat", { "stat64", "newfstatat", "fstatat64" } },
	{ "lstat", { "lstat64", "newfstatat", "fstatat64" } },
	{ "fstat", { "fstat64", "newfstatat" } },
	{ "mmap", { "mmap2" } },
	{ "fcntl", { "fcntl64" } },
	{ "statfs", { "statfs64" } },
	{ "fstatfs", { "fstatfs64" } },
	{ "sendfile", { "sendfile64" } },
	{ "getrlimit", { "ugetrlimit", "prlimit64" } },
	{ "open", { "openat" } },
	{ "creat", { "openat" } },
	{ "access", { "faccessat" } },
	{ "readlink", { "readlinkat" } },
	{ "unlink", { "unlinkat" } },
	{ "rmdir", { "unlinkat" } },
	{ "mkdir", { "mkdirat" } },
	{ "rename", { "renameat2", "renameat" } },
	{ "chmod", { "fchmodat" } },
	{ "chown", { "fchownat" } },
	{ "dup2", { "dup3" } },
	{ "pipe", { "pipe2" } },
	{ "fork", { "clone" } },
	{ "vfork", { "clone" } },
	{ "getdents", { "getdents64" } },
	{ "poll", { "ppoll" } },
	{ "select", { "pselect6" } },
	{ "epoll_wait", { "epoll_pwait" } },
	{ "arch_prctl", { "set_tls" } },
};

int64_t sysprofile_nr(const struct arch_info *a, const char *name)
{
	int64_t nr = syscall_nr(a, name);

	for (size_t i = 0; nr < 0 && i < sizeof(equivalents) / sizeof(*equivalents); i++) {
		if (strcmp(equivalents[i].name, name))
			continue;
		for (size_t k = 0; nr < 0 && k < 3 && equivalents[i].instead[k]; k++)
			nr = syscall_nr(a, equivalents[i].instead[k]);
	}
	return nr;
}

uint64_t sysprofile_count(const struct sysprofile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->e[i].name, name))
			return p->e[i].count;
	return 0;
}

static bool valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= sizeof(((struct sysprofile_entry *)0)->name))
		return false;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

int sysprofile_parse(const char *file, const char *text, size_t len, struct sysprofile *out, struct diag *err)
{
	size_t pos = 0, cap = 0;
	unsigned line = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, a = 0, b, c, d;
		char num[24];
		char *end;
		unsigned long long v;

		pos += n + (nl ? 1 : 0);
		line++;
		while (a < n && isspace((unsigned char)s[a]))
			a++;
		if (a == n || s[a] == '#')
			continue;
		for (b = a; b < n && !isspace((unsigned char)s[b]); b++)
			;
		for (c = b; c < n && isspace((unsigned char)s[c]); c++)
			;
		for (d = c; d < n && !isspace((unsigned char)s[d]); d++)
			;
		if (!valid_name(s + a, b - a))
			goto bad;
		if (d == c || d - c >= sizeof(num))
			goto bad;
		memcpy(num, s + c, d - c);
		num[d - c] = 0;
		errno = 0;
		v = strtoull(num, &end, 10);
		if (errno || *end || !isdigit((unsigned char)num[0]))
			goto bad;
		for (; d < n; d++)
			if (!isspace((unsigned char)s[d]))
				goto bad;
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct sysprofile_entry *e = realloc(out->e, ncap * sizeof(*e));

			if (!e) {
				sysprofile_free(out);
				return diag_set(err, "%s: out of memory", file);
			}
			out->e = e;
			cap = ncap;
		}
		memset(&out->e[out->n], 0, sizeof(out->e[0]));
		memcpy(out->e[out->n].name, s + a, b - a);
		out->e[out->n].count = v;
		out->total += v;
		out->n++;
		continue;
bad:
		sysprofile_free(out);
		return diag_set(err,
				"%s:%u: expected 'SYSCALL COUNT' (a name of a-z, 0-9, _ and a decimal count)",
				file, line);
	}
	if (!out->n)
		return diag_set(err, "%s: no 'SYSCALL COUNT' line in the profile", file);
	return 0;
}
