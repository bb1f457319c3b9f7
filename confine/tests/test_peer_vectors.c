// SPDX-License-Identifier: GPL-3.0-only
/*
 * snapd's own test vectors: every table-driven case of upstream snapd's
 * cmd/snap-seccomp/main_test.go, as JSON in ../shared/peer-vectors/ beside
 * the repository (data kept outside the project; its README says how to
 * read each vector). Our compiler must decide like snapd on all of them:
 *   run            the policy, compiled for pc (x86_64 + i386) with our
 *                  defaults, run in our BPF interpreter on the syscall and
 *                  arguments: allow = ALLOW (LOG too for @complain
 *                  policies), deny = ERRNO(EPERM), deny-explicit =
 *                  ERRNO(EACCES);
 *   compile-error  snapd refuses the policy: we must refuse it too;
 *   output-bytes   the .bin2 of "@unrestricted" is snapd's 128 bytes
 *                  (apart from our documented block in the reserved bytes).
 * "native" is x86_64, as in snapd's amd64 CI: the target is pc whatever
 * this host is, so the vectors upstream runs only on amd64 hosts run here.
 * An argument upstream draws at random (null in the JSON) must give the
 * verdict for each of a set of values. One TAP line per vector; each
 * distinct policy is compiled once. Skipped when the data is absent (a
 * clone without ../shared); PEER_VECTORS_DIR names another directory.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bin2.h"
#include "compile.h"
#include "fileio.h"
#include "syscall_table.h"
#include "tap.h"

/* ---- a small JSON reader: the whole document as a tree */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	bool b;
	bool is_int; /* J_NUM without fraction or exponent, in int64 range */
	int64_t i;
	char *s; /* J_STR: NUL-terminated, may hold NULs (slen) */
	size_t slen;
	size_t n;     /* J_ARR, J_OBJ */
	struct jv *v; /* J_ARR items, J_OBJ values */
	char **k;     /* J_OBJ keys */
};

struct jparser {
	const char *p, *end;
	const char *err;
	unsigned depth;
};

static void skip_ws(struct jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jfail(struct jparser *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return -1;
}

static int hex4(struct jparser *j, unsigned *u)
{
	*u = 0;
	if (j->end - j->p < 4)
		return jfail(j, "short \\u escape");
	for (int i = 0; i < 4; i++) {
		char ch = *j->p++;

		if (!isxdigit((unsigned char)ch))
			return jfail(j, "bad \\u escape");
		*u = *u * 16 + (unsigned)(isdigit((unsigned char)ch) ? ch - '0'
								     : tolower((unsigned char)ch) - 'a' + 10);
	}
	return 0;
}

static size_t utf8_put(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* at the opening quote; the result is never longer than the source */
static int jstring(struct jparser *j, char **out, size_t *outlen)
{
	const char *start = ++j->p;
	char *o, *s;

	while (j->p < j->end && *j->p != '"')
		j->p += *j->p == '\\' ? 2 : 1;
	if (j->p >= j->end)
		return jfail(j, "unterminated string");
	s = o = malloc((size_t)(j->p - start) + 1);
	if (!s)
		return jfail(j, "out of memory");
	j->p = start;
	while (*j->p != '"') {
		char ch = *j->p++;
		unsigned u, lo;

		if ((unsigned char)ch < 0x20) {
			free(s);
			return jfail(j, "control character in a string");
		}
		if (ch != '\\') {
			*o++ = ch;
			continue;
		}
		switch (ch = *j->p++) {
		case '"':
		case '\\':
		case '/':
			*o++ = ch;
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (hex4(j, &u)) {
				free(s);
				return -1;
			}
			if (u >= 0xd800 && u < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
			    j->p[1] == 'u') {
				j->p += 2;
				if (hex4(j, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					free(s);
					return jfail(j, "bad surrogate pair");
				}
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			}
			o += utf8_put(o, u);
			break;
		default:
			free(s);
			return jfail(j, "bad escape");
		}
	}
	j->p++;
	*o = '\0';
	*out = s;
	*outlen = (size_t)(o - s);
	return 0;
}

static int jvalue(struct jparser *j, struct jv *v);

static int jpush(struct jparser *j, struct jv *v, size_t *cap, char *key)
{
	if (v->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct jv *nv = realloc(v->v, nc * sizeof(*nv));
		char **nk = v->t == J_OBJ ? realloc(v->k, nc * sizeof(*nk)) : NULL;

		if (nv)
			v->v = nv;
		if (nk)
			v->k = nk;
		if (!nv || (v->t == J_OBJ && !nk))
			return jfail(j, "out of memory");
		*cap = nc;
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	if (v->t == J_OBJ)
		v->k[v->n] = key;
	if (jvalue(j, &v->v[v->n])) {
		v->n++; /* freed with the rest */
		return -1;
	}
	v->n++;
	return 0;
}

static int jvalue(struct jparser *j, struct jv *v)
{
	memset(v, 0, sizeof(*v));
	skip_ws(j);
	if (j->p >= j->end)
		return jfail(j, "unexpected end");
	if (*j->p == '{' || *j->p == '[') {
		bool obj = *j->p == '{';
		size_t cap = 0;

		if (++j->depth > 64)
			return jfail(j, "nested too deeply");
		v->t = obj ? J_OBJ : J_ARR;
		j->p++;
		skip_ws(j);
		if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
			j->p++;
			j->depth--;
			return 0;
		}
		for (;;) {
			char *key = NULL;
			size_t kl;

			skip_ws(j);
			if (obj) {
				if (j->p >= j->end || *j->p != '"' || jstring(j, &key, &kl))
					return jfail(j, "expected a key");
				skip_ws(j);
				if (j->p >= j->end || *j->p++ != ':') {
					free(key);
					return jfail(j, "expected ':'");
				}
			}
			if (jpush(j, v, &cap, key))
				return -1;
			skip_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
				j->p++;
				j->depth--;
				return 0;
			}
			return jfail(j, "expected ',' or a closing bracket");
		}
	}
	if (*j->p == '"') {
		v->t = J_STR;
		return jstring(j, &v->s, &v->slen);
	}
	if (j->end - j->p >= 4 && !memcmp(j->p, "null", 4)) {
		j->p += 4;
		return 0;
	}
	if (j->end - j->p >= 4 && !memcmp(j->p, "true", 4)) {
		j->p += 4;
		v->t = J_BOOL;
		v->b = true;
		return 0;
	}
	if (j->end - j->p >= 5 && !memcmp(j->p, "false", 5)) {
		j->p += 5;
		v->t = J_BOOL;
		return 0;
	}
	if (*j->p == '-' || isdigit((unsigned char)*j->p)) {
		bool neg = *j->p == '-';
		uint64_t acc = 0;
		bool big = false;

		v->t = J_NUM;
		if (neg)
			j->p++;
		if (j->p >= j->end || !isdigit((unsigned char)*j->p))
			return jfail(j, "bad number");
		for (; j->p < j->end && isdigit((unsigned char)*j->p); j->p++) {
			if (acc > (UINT64_C(1) << 62))
				big = true;
			acc = acc * 10 + (uint64_t)(*j->p - '0');
		}
		v->is_int = !big && acc <= (uint64_t)INT64_MAX;
		v->i = neg ? -(int64_t)acc : (int64_t)acc;
		/* fractions and exponents: a number, but not one we use */
		while (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E' || *j->p == '+' ||
					 *j->p == '-' || isdigit((unsigned char)*j->p))) {
			v->is_int = false;
			j->p++;
		}
		return 0;
	}
	return jfail(j, "unexpected character");
}

static void jfree(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->v[i]);
		if (v->t == J_OBJ)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static const struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->k[i], key))
			return &o->v[i];
	return NULL;
}

/* a string member, or NULL */
static const char *jstr(const struct jv *o, const char *key, size_t *len)
{
	const struct jv *v = jget(o, key);

	if (!v || v->t != J_STR)
		return NULL;
	if (len)
		*len = v->slen;
	return v->s;
}

/* ---- the policies, each compiled once */

struct compiled {
	uint64_t hash;
	const char *text; /* points into the JSON tree */
	size_t len;
	int rc;
	struct compile_result r;
	char err[DIAG_MAX];
};

static struct compiled *cache;
static size_t ncache, capcache;
static unsigned compiles;

static const struct compiled *compile_cached(const char *text, size_t len)
{
	uint64_t h = hash_fnv1a64(text, len);
	struct compile_opts o;
	struct compiled *c;
	struct diag err = { { 0 } };

	for (size_t i = 0; i < ncache; i++)
		if (cache[i].hash == h && cache[i].len == len && !memcmp(cache[i].text, text, len))
			return &cache[i];
	if (ncache == capcache) {
		size_t nc = capcache ? capcache * 2 : 256;
		struct compiled *n = realloc(cache, nc * sizeof(*n));

		if (!n)
			return NULL;
		cache = n;
		capcache = nc;
	}
	c = &cache[ncache++];
	memset(c, 0, sizeof(*c));
	c->hash = h;
	c->text = text;
	c->len = len;
	compile_opts_default(&o);
	target_for_board("pc", &o.target);
	c->rc = compile_policy("vector.src", text, len, &o, &c->r, &err);
	if (c->rc)
		snprintf(c->err, sizeof(c->err), "%s", err.msg);
	compiles++;
	return c;
}

static void free_cache(void)
{
	for (size_t i = 0; i < ncache; i++)
		compile_result_free(&cache[i].r);
	free(cache);
}

/* both programs, merged the way the kernel merges stacked filters */
static uint32_t run_result(const struct compile_result *r, const struct seccomp_data *d)
{
	if (r->unrestricted)
		return SECCOMP_RET_ALLOW;
	return seccomp_action_merge(bpf_run(r->allow.insn, r->allow.len, d, NULL),
				    bpf_run(r->deny.insn, r->deny.len, d, NULL));
}

/* ---- the vectors */

struct counts {
	unsigned pass, fail, skip;
};

static struct counts c_run, c_err, c_bytes;

static void result(struct counts *c, bool good)
{
	if (good)
		c->pass++;
	else
		c->fail++;
}

/* printable, for a TAP line: control bytes (the NUL of some vectors) as \xNN */
static void printable(const char *s, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < outlen; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
}

/* the values tried for an argument upstream draws at random (TIOCGWINSZ among them) */
static const uint32_t random_args[] = {
	0,	    1,		2,	    99,		0x5413 /* TIOCGWINSZ */, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff, 0x2545f491, 0x9e3779b9,
};
#define NRANDOM (sizeof(random_args) / sizeof(random_args[0]))

static bool expected_action(const char *exp, bool complain, uint32_t got)
{
	if (!strcmp(exp, "allow"))
		return got == SECCOMP_RET_ALLOW || (complain && got == SECCOMP_RET_LOG);
	if (!strcmp(exp, "deny"))
		return got == (SECCOMP_RET_ERRNO | 1);
	if (!strcmp(exp, "deny-explicit"))
		return got == (SECCOMP_RET_ERRNO | 13);
	return false;
}

static void run_vector(const struct jv *v, const char *id)
{
	const char *policy, *sys, *arch, *exp, *input;
	size_t plen;
	const struct jv *args = jget(v, "args");
	const struct arch_info *a;
	const struct compiled *c;
	uint32_t argv[6] = { 0 };
	bool rnd[6] = { false };
	size_t nargs, nrandom = 0;
	int64_t nr;
	char why[DIAG_MAX + 64] = "", act[64];
	bool good = true;

	policy = jstr(v, "policy", &plen);
	sys = jstr(v, "syscall", NULL);
	arch = jstr(v, "arch", NULL);
	exp = jstr(v, "expected", NULL);
	input = jstr(v, "input", NULL);
	if (!policy || !sys || !arch || !exp || !args || args->t != J_ARR || args->n > 6) {
		ok(false, "%s: a run vector with policy, syscall, arch, args (at most 6) and expected", id);
		c_run.fail++;
		return;
	}
	if (!strcmp(arch, "native") || !strcmp(arch, "amd64"))
		a = arch_by_name("x86_64");
	else
		a = arch_by_name(arch);
	nargs = args->n;
	for (size_t i = 0; i < nargs; i++) {
		const struct jv *x = &args->v[i];

		if (x->t == J_NULL) {
			rnd[i] = true;
			nrandom++;
		} else if (x->t == J_NUM && x->is_int && x->i >= 0 && x->i <= UINT32_MAX) {
			argv[i] = (uint32_t)x->i;
		} else if (x->t == J_STR && !strcmp(x->s, "{daemonUid}")) {
			struct passwd *pw = getpwnam("daemon");

			if (!pw) {
				printf("ok %u - %s: %s # SKIP there is no user daemon here (upstream needs "
				       "one too)\n",
				       ++tap_run, id, input ? input : sys);
				c_run.skip++;
				return;
			}
			argv[i] = (uint32_t)pw->pw_uid;
		} else {
			ok(false, "%s: argument %zu is a 32-bit number, null or {daemonUid}", id, i);
			c_run.fail++;
			return;
		}
	}
	if (!a) {
		ok(false, "%s: architecture '%s' is x86_64 or i386", id, arch);
		c_run.fail++;
		return;
	}
	nr = syscall_nr(a, sys);
	/* upstream: libseccomp resolves socket on x86 to a pseudo number, sent as 359 */
	if (nr < 0 && a->audit == ARCH_AUDIT_I386 && !strcmp(sys, "socket"))
		nr = 359;
	if (nr < 0) {
		ok(false, "%s: %s has a number on %s", id, sys, a->name);
		c_run.fail++;
		return;
	}
	c = compile_cached(policy, plen);
	if (!c) {
		ok(false, "%s: out of memory", id);
		c_run.fail++;
		return;
	}
	if (c->rc) {
		snprintf(why, sizeof(why), "does not compile: %s", c->err);
		good = false;
	}
	/* every value of the random arguments, or once when there are none */
	for (size_t k = 0; good && k < (nrandom ? NRANDOM : 1); k++) {
		struct seccomp_data d = { .nr = (int)nr, .arch = a->audit };
		uint32_t got;

		for (size_t i = 0; i < 6; i++)
			d.args[i] = rnd[i] ? random_args[k] : argv[i];
		got = run_result(&c->r, &d);
		if (!expected_action(exp, c->r.complain, got)) {
			seccomp_action_name(got, act, sizeof(act));
			snprintf(why, sizeof(why), "got %s%s", act,
				 nrandom ? " with the random arguments" : "");
			if (nrandom)
				snprintf(why + strlen(why), sizeof(why) - strlen(why), " = %#x",
					 random_args[k]);
			good = false;
		}
	}
	ok(good, "%s: %s on %s -> %s%s%s", id, input ? input : sys, a->name, exp, good ? "" : ": ", why);
	if (!good) {
		size_t al;
		const char *allow = jstr(v, "allowlist", &al);
		char shown[256];

		printable(allow ? allow : "?", allow ? al : 1, shown, sizeof(shown));
		diag("  allowlist: %s", shown);
	}
	result(&c_run, good);
}

static void compile_error_vector(const struct jv *v, const char *id)
{
	size_t plen;
	const char *policy = jstr(v, "policy", &plen);
	const struct compiled *c;
	char shown[256];

	if (!policy) {
		ok(false, "%s: a compile-error vector has a policy", id);
		c_err.fail++;
		return;
	}
	printable(policy, plen, shown, sizeof(shown));
	c = compile_cached(policy, plen);
	if (!c) {
		ok(false, "%s: out of memory", id);
		c_err.fail++;
		return;
	}
	if (c->rc)
		ok(true, "%s: refused like snapd: '%s': %s", id, shown, c->err);
	else
		ok(false, "%s: refused like snapd: '%s' compiles (%zu rules)", id, shown, c->r.rules);
	result(&c_err, c->rc != 0);
}

static int unhex(const char *h, size_t hl, unsigned char *out, size_t outlen)
{
	if (hl % 2 || hl / 2 != outlen)
		return -1;
	for (size_t i = 0; i < outlen; i++) {
		unsigned b = 0;

		for (int k = 0; k < 2; k++) {
			char ch = h[2 * i + (size_t)k];

			if (!isxdigit((unsigned char)ch))
				return -1;
			b = b * 16 + (unsigned)(isdigit((unsigned char)ch)
							? ch - '0'
							: tolower((unsigned char)ch) - 'a' + 10);
		}
		out[i] = (unsigned char)b;
	}
	return 0;
}

/*
 * The exact file snapd writes. Ours carries a documented block in the
 * reserved bytes (formats.md: offsets 16..71, zero in snapd's files, which
 * readers must not require); everything else must be snapd's byte for byte.
 */
static void output_bytes_vector(const struct jv *v, const char *id)
{
	size_t plen, hl;
	const char *policy = jstr(v, "policy", &plen), *hex = jstr(v, "expected_hex", &hl);
	unsigned char want[BIN2_HEADER_SIZE], masked[BIN2_HEADER_SIZE];
	struct compile_opts o;
	const struct compiled *c;
	struct diag err = { { 0 } };
	void *buf = NULL;
	size_t len = 0;
	bool good;
	struct bin2_view view;
	char why[128] = "";

	if (!policy || !hex || unhex(hex, hl, want, sizeof(want))) {
		ok(false, "%s: an output-bytes vector has a policy and %d bytes of expected_hex", id,
		   BIN2_HEADER_SIZE);
		c_bytes.fail++;
		return;
	}
	c = compile_cached(policy, plen);
	compile_opts_default(&o);
	target_for_board("pc", &o.target);
	if (!c || c->rc || compile_encode(&c->r, &o, policy, plen, &buf, &len, &err)) {
		ok(false, "%s: '@unrestricted' compiles and encodes: %s", id,
		   !c	   ? "out of memory"
		   : c->rc ? c->err
			   : err.msg);
		c_bytes.fail++;
		return;
	}
	good = len == sizeof(want);
	if (good) {
		memcpy(masked, buf, len);
		memset(masked + 16, 0, 72 - 16);
		good = !memcmp(masked, want, sizeof(want)) && !memcmp((char *)buf + 16, BIN2_OURS_MAGIC, 4) &&
		       bin2_decode(buf, len, &view, why, sizeof(why)) == 0 && view.unrestricted &&
		       view.meta.present;
	}
	ok(good,
	   "%s: '@unrestricted' gives snapd's %zu bytes (%zu here), its reserved bytes 16..71 holding our "
	   "documented ccf1 block%s%s",
	   id, sizeof(want), len, why[0] ? ": " : "", why);
	free(buf);
	result(&c_bytes, good);
}

int main(void)
{
	const char *src = getenv("SRCDIR"), *dir = getenv("PEER_VECTORS_DIR");
	char path[4096], *text = NULL;
	size_t len = 0;
	struct diag err = { { 0 } };
	struct jparser jp;
	struct jv root;
	const struct jv *vectors;
	unsigned unknown_kind = 0;

	if (dir && *dir)
		snprintf(path, sizeof(path), "%s/snapd-seccomp-vectors.json", dir);
	else
		snprintf(path, sizeof(path), "%s/../shared/peer-vectors/snapd-seccomp-vectors.json",
			 src && *src ? src : ".");
	if (access(path, R_OK)) {
		printf("1..0 # SKIP snapd's test vectors are not here: %s\n", path);
		return 0;
	}
	if (file_read_all(path, 64 << 20, &text, &len, &err)) {
		ok(false, "read %s: %s", path, err.msg);
		return tap_done();
	}
	jp = (struct jparser){ .p = text, .end = text + len };
	if (jvalue(&jp, &root) || (skip_ws(&jp), jp.p != jp.end)) {
		ok(false, "%s is JSON: %s at byte %zu", path, jp.err ? jp.err : "trailing data",
		   (size_t)(jp.p - text));
		jfree(&root);
		free(text);
		return tap_done();
	}
	vectors = jget(&root, "vectors");
	if (!vectors || vectors->t != J_ARR || vectors->n == 0) {
		ok(false, "%s has a list of vectors", path);
		jfree(&root);
		free(text);
		return tap_done();
	}
	diag("%zu vectors from %s (snapd %s)", vectors->n, path,
	     jstr(jget(&root, "source"), "commit", NULL) ? jstr(jget(&root, "source"), "commit", NULL) : "?");
	for (size_t i = 0; i < vectors->n; i++) {
		const struct jv *v = &vectors->v[i];
		const char *kind = jstr(v, "kind", NULL), *id = jstr(v, "id", NULL);
		char fallback[32];

		if (!id) {
			snprintf(fallback, sizeof(fallback), "vector %zu", i);
			id = fallback;
		}
		if (kind && !strcmp(kind, "run")) {
			run_vector(v, id);
		} else if (kind && !strcmp(kind, "compile-error")) {
			compile_error_vector(v, id);
		} else if (kind && !strcmp(kind, "output-bytes")) {
			output_bytes_vector(v, id);
		} else {
			ok(false, "%s: known kind (run, compile-error, output-bytes), not '%s'", id,
			   kind ? kind : "?");
			unknown_kind++;
		}
	}
	ok(c_run.pass + c_run.fail + c_run.skip > 0 && c_err.pass + c_err.fail > 0 &&
		   c_bytes.pass + c_bytes.fail > 0,
	   "every kind of vector is present");
	diag("run: %u pass, %u fail, %u skip; compile-error: %u pass, %u fail; output-bytes: %u pass, %u "
	     "fail; "
	     "unknown kind: %u",
	     c_run.pass, c_run.fail, c_run.skip, c_err.pass, c_err.fail, c_bytes.pass, c_bytes.fail,
	     unknown_kind);
	diag("total: %u pass, %u fail, %u skip of %zu vectors; %u distinct policies compiled",
	     c_run.pass + c_err.pass + c_bytes.pass, c_run.fail + c_err.fail + c_bytes.fail + unknown_kind,
	     c_run.skip, vectors->n, compiles);
	free_cache();
	jfree(&root);
	free(text);
	return tap_done();
}
