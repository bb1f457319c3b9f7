// SPDX-License-Identifier: GPL-3.0-only
/* The system key (system_key.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "sha256.h"
#include "system_key.h"
#include "trusted_path.h"

/* ---- the AppArmor feature set as a tree: a directory, or a file's text */
struct node {
	char *name;
	char *value; /* a file's text; NULL for a directory */
	struct node *kids;
	size_t n;
};

#define MAX_DEPTH   8
#define MAX_ENTRIES 4096
#define MAX_VALUE   65536

static void node_free(struct node *d)
{
	for (size_t i = 0; i < d->n; i++)
		node_free(&d->kids[i]);
	free(d->kids);
	free(d->name);
	free(d->value);
}

static struct node *node_add(struct node *d, const char *name, size_t nlen)
{
	struct node *k;

	if (d->n >= MAX_ENTRIES || !(k = realloc(d->kids, (d->n + 1) * sizeof(*k))))
		return NULL;
	d->kids = k;
	k = &d->kids[d->n];
	memset(k, 0, sizeof(*k));
	if (!(k->name = strndup(name, nlen)))
		return NULL;
	d->n++;
	return k;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->name, ((const struct node *)b)->name);
}

/* the canonical text: libapparmor's "name {...}\n" form, every directory's entries sorted */
static void node_hash(struct node *d, struct sha256 *s)
{
	qsort(d->kids, d->n, sizeof(*d->kids), by_name);
	for (size_t i = 0; i < d->n; i++) {
		struct node *k = &d->kids[i];

		sha256_add(s, k->name, strlen(k->name));
		sha256_add(s, " {", 2);
		if (k->value)
			sha256_add(s, k->value, strlen(k->value));
		else
			node_hash(k, s);
		sha256_add(s, "}\n", 2);
	}
}

static void tree_key(struct node *root, char out[65])
{
	struct sha256 s;

	sha256_init(&s);
	node_hash(root, &s);
	sha256_hex(&s, out);
}

static int read_dir(int dirfd, struct node *d, int depth, struct diag *err)
{
	DIR *dir;
	struct dirent *e;
	int rc = 0;

	if (depth > MAX_DEPTH)
		return diag_set(err, "the AppArmor features are nested deeper than %d", MAX_DEPTH);
	if (!(dir = fdopendir(dirfd))) {
		close(dirfd);
		return diag_errno(err, "cannot read the AppArmor features");
	}
	while (!rc && (errno = 0, e = readdir(dir))) {
		struct stat st;
		struct node *k;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = diag_errno(err, "cannot inspect the AppArmor feature %s", e->d_name);
			break;
		}
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			continue;
		if (!(k = node_add(d, e->d_name, strlen(e->d_name)))) {
			rc = diag_set(err, "out of memory (or more than %d AppArmor features)", MAX_ENTRIES);
			break;
		}
		fd = openat(dirfd, e->d_name,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
		if (fd < 0) {
			rc = diag_errno(err, "cannot open the AppArmor feature %s", e->d_name);
		} else if (S_ISDIR(st.st_mode)) {
			rc = read_dir(fd, k, depth + 1, err);
		} else {
			size_t len;

			rc = fd_read_all(fd, e->d_name, MAX_VALUE, &k->value, &len, err);
			close(fd);
			if (!rc && strlen(k->value) != len)
				rc = diag_set(err, "the AppArmor feature %s holds a NUL byte", e->d_name);
		}
	}
	if (!rc && errno)
		rc = diag_errno(err, "cannot read the AppArmor features");
	closedir(dir);
	return rc;
}

int syskey_apparmor_dir(int dirfd, char out[65], struct diag *err)
{
	struct node root = { 0 };
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return diag_errno(err, "cannot open the AppArmor features");
	rc = read_dir(fd, &root, 0, err);
	if (!rc)
		tree_key(&root, out);
	node_free(&root);
	return rc;
}

/* entries up to a '}' (or the end at the top): "name {" then a text without braces or entries, "}" */
static int parse_entries(const char **pp, const char *end, struct node *d, int depth, struct diag *err)
{
	const char *p = *pp;

	if (depth > MAX_DEPTH)
		return diag_set(err, "nested deeper than %d", MAX_DEPTH);
	while (p < end && *p != '}') {
		const char *open = memchr(p, '{', (size_t)(end - p)), *q, *close;
		struct node *k;

		if (!open || open == p || open[-1] != ' ' || memchr(p, '}', (size_t)(open - p)) ||
		    memchr(p, '\n', (size_t)(open - p)))
			return diag_set(err, "at offset %zu: no \"name {\"", (size_t)(p - *pp));
		if (!(k = node_add(d, p, (size_t)(open - 1 - p))))
			return diag_set(err, "out of memory (or more than %d entries)", MAX_ENTRIES);
		q = open + 1;
		close = memchr(q, '}', (size_t)(end - q));
		if (!close)
			return diag_set(err, "%s: no closing }", k->name);
		if (memchr(q, '{', (size_t)(close - q))) {
			if (parse_entries(&q, end, k, depth + 1, err))
				return -1;
			if (q >= end || *q != '}')
				return diag_set(err, "%s: no closing }", k->name);
			close = q;
		} else if (!(k->value = strndup(q, (size_t)(close - q)))) {
			return diag_set(err, "out of memory");
		}
		p = close + 1;
		while (p < end && *p == '\n')
			p++;
	}
	*pp = p;
	return 0;
}

int syskey_apparmor_text(const char *text, size_t len, char out[65], struct diag *err)
{
	struct node root = { 0 };
	const char *p = text;
	int rc;

	if (memchr(text, '\0', len))
		return diag_set(err, "a NUL byte in the AppArmor features");
	rc = parse_entries(&p, text + len, &root, 0, err);
	if (!rc && p != text + len)
		rc = diag_set(err, "at offset %zu: a } without its {", (size_t)(p - text));
	if (!rc && !root.n)
		rc = diag_set(err, "no AppArmor features in it");
	if (!rc)
		tree_key(&root, out);
	node_free(&root);
	return rc;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void syskey_seccomp(const char *actions, char *out, size_t size)
{
	char buf[256], *w[32], *save = NULL;
	size_t n = 0, o = 0;

	snprintf(buf, sizeof(buf), "%s", actions);
	for (char *t = strtok_r(buf, " \t\n", &save); t && n < 32; t = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(t, "allow") || !strcmp(t, "errno") || !strcmp(t, "kill_process") ||
		    !strcmp(t, "kill_thread"))
			w[n++] = t;
	qsort(w, n, sizeof(w[0]), by_str);
	out[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s", i ? " " : "", w[i]);
	if (!n)
		snprintf(out, size, "none");
}

char *syskey_format(const struct sc_system_key *k, size_t *len)
{
	char *t = NULL;
	int n = asprintf(&t,
			 "version %d\napparmor-features %s\napparmor-parser %s\nseccomp-actions %s\nend\n",
			 SC_SYSTEM_KEY_VERSION, k->apparmor_features, k->apparmor_parser, k->seccomp_actions);

	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return t;
}

static const char *const FIELDS[] = { "apparmor-features", "apparmor-parser", "seccomp-actions" };

static char *field(struct sc_system_key *k, size_t i, size_t *size)
{
	char *f[] = { k->apparmor_features, k->apparmor_parser, k->seccomp_actions };
	size_t s[] = { sizeof(k->apparmor_features), sizeof(k->apparmor_parser), sizeof(k->seccomp_actions) };

	*size = s[i];
	return f[i];
}

int syskey_parse(const char *text, size_t len, struct sc_system_key *k, struct diag *err)
{
	const char *p = text, *end = text + len;
	unsigned seen = 0;
	int line = 0;
	char want[32];

	memset(k, 0, sizeof(*k));
	snprintf(want, sizeof(want), "version %d", SC_SYSTEM_KEY_VERSION);
	if (memchr(text, '\0', len))
		return diag_set(err, "a NUL byte");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p), i;
		const char *sp = memchr(p, ' ', l);

		line++;
		if (!nl)
			return diag_set(err, "line %d: no newline at its end (a torn write)", line);
		if (line == 1) {
			if (l != strlen(want) || memcmp(p, want, l))
				return diag_set(err, "line 1: not \"%s\"", want);
		} else if (l == 3 && !memcmp(p, "end", 3)) {
			if (nl + 1 != end)
				return diag_set(err, "line %d: text after \"end\"", line + 1);
			if (seen != 7)
				return diag_set(err, "a field is missing before \"end\"");
			return 0;
		} else {
			size_t size;
			char *dst;

			for (i = 0; i < 3; i++)
				if (sp && (size_t)(sp - p) == strlen(FIELDS[i]) &&
				    !memcmp(p, FIELDS[i], strlen(FIELDS[i])))
					break;
			if (i == 3)
				return diag_set(err, "line %d: unknown field \"%.*s\"", line, (int)l, p);
			if (seen & (1u << i))
				return diag_set(err, "line %d: %s given twice", line, FIELDS[i]);
			seen |= 1u << i;
			dst = field(k, i, &size);
			if (l - (size_t)(sp + 1 - p) == 0 || l - (size_t)(sp + 1 - p) >= size)
				return diag_set(err, "line %d: %s: empty or too long", line, FIELDS[i]);
			memcpy(dst, sp + 1, l - (size_t)(sp + 1 - p));
		}
		p = nl + 1;
	}
	return diag_set(err, "no \"end\" line (a torn write)");
}

static int read_key(const char *path, struct sc_system_key *k, struct diag *err)
{
	struct diag e;
	char *text;
	size_t len;
	int rc;

	if (trusted_read(path, 4096, &text, &len, err))
		return -1;
	rc = syskey_parse(text, len, k, &e);
	free(text);
	return rc ? diag_set(err, "%s: %s", path, e.msg) : 0;
}

static const char what[] =
	"the AppArmor profiles and seccomp filters were compiled for other kernel features "
	"(system-key mismatch";
static const char fix[] =
	"no app runs until they are recompiled for this kernel (reboot: init recompiles them, "
	"docs/security.md)";

int syskey_compare(const struct sc_system_key *recorded, const struct sc_system_key *running,
		   const char *rpath, const char *npath, struct diag *err)
{
	struct sc_system_key want = *recorded, have = *running;

	for (size_t i = 0; i < 3; i++) {
		size_t size;
		const char *a = field(&want, i, &size), *b = field(&have, i, &size);

		if (strcmp(a, b))
			return diag_set(err, "%s: %s %.16s in %s, %.16s in %s): %s", what, FIELDS[i], a,
					rpath, b, npath, fix);
	}
	return 0;
}

int syskey_check(const char *recorded, const char *running, struct diag *err)
{
	struct sc_system_key want, have;
	struct diag e;

	/* missing (ENOENT from the walk; a refusal sets no errno) */
	errno = 0;
	if (read_key(running, &have, &e))
		return errno == ENOENT ? 0 : diag_set(err, "cannot read this kernel's system key: %s", e.msg);
	errno = 0;
	if (read_key(recorded, &want, &e))
		return errno == ENOENT ? diag_set(err, "%s: %s is missing): %s", what, recorded, fix)
				       : diag_set(err, "%s: %s): %s", what, e.msg, fix);
	return syskey_compare(&want, &have, recorded, running, err);
}
