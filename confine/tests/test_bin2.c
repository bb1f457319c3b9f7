// SPDX-License-Identifier: GPL-3.0-only
/*
 * The .bin2 container (bin2.h): encode/decode round trips with and without
 * our metadata block, the unrestricted form, every rejection the strict
 * reader makes (each with a reason), and the FNV-1a hash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "bin2.h"
#include "bpf.h"
#include "tap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct sock_filter allow_prog[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
};

static const struct sock_filter deny_prog[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* a private, resizable copy of buf so each mutation starts from a good file */
static unsigned char *copy_of(const void *buf, size_t len, size_t newlen)
{
	unsigned char *c = calloc(1, newlen ? newlen : 1);

	if (c)
		memcpy(c, buf, len < newlen ? len : newlen);
	return c;
}

static void expect_reject(const char *name, const void *buf, size_t len, const char *word)
{
	struct bin2_view v;
	char why[256] = "";
	int rc = bin2_decode(buf, len, &v, why, sizeof(why));

	ok(rc == -1 && why[0] != '\0' && strstr(why, word) != NULL, "bin2_decode rejects %s: \"%s\"", name, why);
}

static void test_round_trip(void)
{
	struct bin2_view v;
	char why[256] = "";
	size_t len = 0;
	void *buf = NULL;
	int rc;

	rc = bin2_encode(false, allow_prog, ARRAY_LEN(allow_prog), deny_prog, ARRAY_LEN(deny_prog), NULL, &buf, &len);
	ok(rc == 0 && buf && len == BIN2_HEADER_SIZE + sizeof(allow_prog) + sizeof(deny_prog),
	   "bin2_encode without meta: %zu bytes", len);
	if (rc) {
		skip(6, "no encoded buffer");
		return;
	}
	ok(!memcmp(buf, "SC\x01\x00\0\0\0\0", 8), "header starts with \"SC\", version 1, no flags, zero padding");
	rc = bin2_decode(buf, len, &v, why, sizeof(why));
	ok(rc == 0, "bin2_decode of our own output (%s)", rc ? why : "ok");
	ok(rc == 0 && !v.unrestricted && v.allow_len == ARRAY_LEN(allow_prog) && v.deny_len == ARRAY_LEN(deny_prog),
	   "lengths come back: %zu and %zu instructions", v.allow_len, v.deny_len);
	ok(rc == 0 && !memcmp(v.allow, allow_prog, sizeof(allow_prog)) && !memcmp(v.deny, deny_prog, sizeof(deny_prog)),
	   "both programs come back byte for byte");
	ok(rc == 0 && (const unsigned char *)v.allow == (unsigned char *)buf + BIN2_HEADER_SIZE &&
		   (const unsigned char *)v.deny == (unsigned char *)buf + BIN2_HEADER_SIZE + sizeof(allow_prog),
	   "the view points into the buffer (allow at 128, deny after it)");
	ok(rc == 0 && !v.meta.present, "no \"ccf1\" block without meta");
	free(buf);
}

static void test_round_trip_meta(void)
{
	struct bin2_meta m = {
		.native_arch = ARCH_AUDIT_X86_64,
		.compat_arch = ARCH_AUDIT_I386,
		.flags = BIN2_OURS_MERGED,
		.source_hash = 0x0123456789abcdefull,
		.compiler = "core-confine 1.2.3",
	};
	struct bin2_view v;
	char why[256] = "";
	size_t len = 0;
	void *buf = NULL;
	int rc;

	rc = bin2_encode(false, allow_prog, ARRAY_LEN(allow_prog), deny_prog, ARRAY_LEN(deny_prog), &m, &buf, &len);
	ok(rc == 0 && len == BIN2_HEADER_SIZE + sizeof(allow_prog) + sizeof(deny_prog),
	   "bin2_encode with meta: same size as without");
	if (rc) {
		skip(5, "no encoded buffer");
		return;
	}
	ok(!memcmp((unsigned char *)buf + 16, BIN2_OURS_MAGIC, 4), "\"ccf1\" at offset 16");
	rc = bin2_decode(buf, len, &v, why, sizeof(why));
	ok(rc == 0 && v.meta.present, "bin2_decode finds the meta block (%s)", rc ? why : "ok");
	ok(v.meta.native_arch == m.native_arch && v.meta.compat_arch == m.compat_arch && v.meta.flags == m.flags,
	   "archs and flags preserved: 0x%08x 0x%08x 0x%x", v.meta.native_arch, v.meta.compat_arch, v.meta.flags);
	ok(v.meta.source_hash == m.source_hash, "hash preserved: 0x%016llx", (unsigned long long)v.meta.source_hash);
	ok(!strcmp(v.meta.compiler, m.compiler), "compiler string preserved: \"%s\"", v.meta.compiler);
	free(buf);

	/* a compiler string of the full 32 bytes, no room for a NUL in the file */
	memset(m.compiler, 0, sizeof(m.compiler));
	memcpy(m.compiler, "0123456789abcdef0123456789ABCDEF", 32);
	rc = bin2_encode(false, allow_prog, ARRAY_LEN(allow_prog), deny_prog, ARRAY_LEN(deny_prog), &m, &buf, &len);
	ok(rc == 0 && bin2_decode(buf, len, &v, why, sizeof(why)) == 0 && !strcmp(v.meta.compiler, m.compiler) &&
		   ((unsigned char *)buf)[72] == 0,
	   "a 32-character compiler string round-trips and stays inside bytes 40..71");
	free(buf);

	/* unrestricted with meta keeps it too */
	m.flags = 0;
	rc = bin2_encode(true, NULL, 0, NULL, 0, &m, &buf, &len);
	ok(rc == 0 && len == BIN2_HEADER_SIZE && bin2_decode(buf, len, &v, why, sizeof(why)) == 0 && v.unrestricted &&
		   v.meta.present && v.meta.native_arch == ARCH_AUDIT_X86_64,
	   "an unrestricted profile carries the meta block too");
	free(buf);
}

static void test_unrestricted(void)
{
	unsigned char *big;
	struct bin2_view v;
	char why[256] = "";
	size_t len = 1;
	void *buf = NULL;
	int rc;

	rc = bin2_encode(true, NULL, 0, NULL, 0, NULL, &buf, &len);
	ok(rc == 0 && len == BIN2_HEADER_SIZE, "unrestricted: exactly %d bytes (got %zu)", BIN2_HEADER_SIZE, len);
	if (rc) {
		skip(4, "no encoded buffer");
		return;
	}
	ok(((unsigned char *)buf)[3] == BIN2_FLAG_UNRESTRICTED, "unrestricted: flag bit 0 set");
	rc = bin2_decode(buf, len, &v, why, sizeof(why));
	ok(rc == 0 && v.unrestricted && v.allow_len == 0 && v.deny_len == 0 && !v.allow && !v.deny,
	   "unrestricted decodes with no programs (%s)", rc ? why : "ok");
	free(buf);

	/* programs passed anyway are ignored */
	rc = bin2_encode(true, allow_prog, ARRAY_LEN(allow_prog), deny_prog, ARRAY_LEN(deny_prog), NULL, &buf, &len);
	ok(rc == 0 && len == BIN2_HEADER_SIZE, "unrestricted ignores the programs it is given");
	big = rc == 0 ? copy_of(buf, len, len + 8) : NULL;
	if (big) {
		expect_reject("unrestricted with trailing bytes", big, len + 8, "unrestricted");
		put32(big + 8, 8);
		expect_reject("unrestricted with an allow length", big, len + 8, "unrestricted");
	} else {
		skip(2, "no buffer");
	}
	free(big);
	free(buf);
}

static void test_rejections(void)
{
	const size_t good_len = BIN2_HEADER_SIZE + sizeof(allow_prog) + sizeof(deny_prog);
	unsigned char *good = NULL, *b;
	void *buf = NULL;
	size_t len = 0;

	if (!ok(bin2_encode(false, allow_prog, ARRAY_LEN(allow_prog), deny_prog, ARRAY_LEN(deny_prog), NULL, &buf,
			    &len) == 0 && len == good_len,
		"a good file to mutate")) {
		free(buf);
		return;
	}
	good = buf;

	expect_reject("an empty buffer", good, 0, "truncated");
	expect_reject("a truncated header (127 bytes)", good, BIN2_HEADER_SIZE - 1, "truncated");

	b = copy_of(good, good_len, good_len);
	b[0] = 'X';
	expect_reject("bad magic", b, good_len, "magic");
	b[0] = 'S';
	b[1] = 'c';
	expect_reject("lower-case magic", b, good_len, "magic");
	b[1] = 'C';
	b[2] = 2;
	expect_reject("version 2", b, good_len, "version");
	b[2] = 0;
	expect_reject("version 0", b, good_len, "version");
	b[2] = BIN2_VERSION;
	b[3] = 0x02;
	expect_reject("unknown flag bit 1", b, good_len, "flag");
	b[3] = 0x80;
	expect_reject("unknown flag bit 7", b, good_len, "flag");
	b[3] = 0;
	b[5] = 1;
	expect_reject("a nonzero byte 5", b, good_len, "4..7");
	b[5] = 0;
	b[7] = 0xff;
	expect_reject("a nonzero byte 7", b, good_len, "4..7");
	b[7] = 0;
	free(b);

	/* lengths */
	b = copy_of(good, good_len, good_len);
	put32(b + 8, 0);
	expect_reject("allow length 0", b, BIN2_HEADER_SIZE + sizeof(deny_prog), "allow");
	put32(b + 8, sizeof(allow_prog));
	put32(b + 12, 0);
	expect_reject("deny length 0", b, BIN2_HEADER_SIZE + sizeof(allow_prog), "deny");
	put32(b + 8, sizeof(allow_prog) - 4);
	put32(b + 12, sizeof(deny_prog) + 4);
	expect_reject("an allow length not a multiple of 8", b, good_len, "multiple");
	put32(b + 8, sizeof(allow_prog));
	put32(b + 12, sizeof(deny_prog) + 1);
	expect_reject("a deny length not a multiple of 8", b, good_len + 1, "multiple");
	put32(b + 12, sizeof(deny_prog));
	expect_reject("one byte more than the header says", b, good_len + 1, "size");
	expect_reject("one byte less than the header says", b, good_len - 1, "size");
	put32(b + 12, 0xfffffff8u);
	expect_reject("a huge deny length", b, good_len, "exceeds");
	free(b);

	/* the 32 KiB limit per program: 4096 instructions fit, 4097 do not */
	{
		/* room for the largest case below: 32 bytes of allow and 32776 of deny */
		size_t biglen = BIN2_HEADER_SIZE + sizeof(allow_prog) + BIN2_MAX_PROG_BYTES + 8;
		struct bin2_view v;
		char why[256] = "";

		b = copy_of(good, BIN2_HEADER_SIZE, biglen);
		if (b) {
			put32(b + 8, BIN2_MAX_PROG_BYTES + 8);
			put32(b + 12, sizeof(deny_prog));
			expect_reject("an allow program of 32776 bytes", b,
				      BIN2_HEADER_SIZE + BIN2_MAX_PROG_BYTES + 8 + sizeof(deny_prog), "exceeds");
			put32(b + 8, BIN2_MAX_PROG_BYTES);
			ok(bin2_decode(b, BIN2_HEADER_SIZE + BIN2_MAX_PROG_BYTES + sizeof(deny_prog), &v, why,
				       sizeof(why)) == 0 && v.allow_len == 4096 && v.deny_len == ARRAY_LEN(deny_prog),
			   "an allow program of exactly 32768 bytes is accepted (%s)", why[0] ? why : "ok");
			put32(b + 8, sizeof(allow_prog));
			put32(b + 12, BIN2_MAX_PROG_BYTES + 8);
			expect_reject("a deny program of 32776 bytes", b, BIN2_HEADER_SIZE + sizeof(allow_prog) +
						 BIN2_MAX_PROG_BYTES + 8, "exceeds");
		} else {
			skip(3, "out of memory");
		}
		free(b);
	}
	free(good);
}

static void test_encode_refusals(void)
{
	static struct sock_filter big[BPF_MAX_INSNS + 1];
	void *buf = (void *)1;
	size_t len = 7;
	size_t i;

	errno = 0;
	ok(bin2_encode(false, allow_prog, 0, deny_prog, ARRAY_LEN(deny_prog), NULL, &buf, &len) == -1 &&
		   errno == EINVAL && buf == NULL && len == 0,
	   "bin2_encode refuses an empty allow program (EINVAL, no buffer)");
	errno = 0;
	ok(bin2_encode(false, allow_prog, ARRAY_LEN(allow_prog), deny_prog, 0, NULL, &buf, &len) == -1 &&
		   errno == EINVAL && buf == NULL,
	   "bin2_encode refuses an empty deny program");
	for (i = 0; i < ARRAY_LEN(big); i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	ok(bin2_encode(false, big, ARRAY_LEN(big), deny_prog, ARRAY_LEN(deny_prog), NULL, &buf, &len) == -1 &&
		   buf == NULL,
	   "bin2_encode refuses 4097 instructions");
	ok(bin2_encode(false, big, BPF_MAX_INSNS, deny_prog, ARRAY_LEN(deny_prog), NULL, &buf, &len) == 0 &&
		   len == BIN2_HEADER_SIZE + BIN2_MAX_PROG_BYTES + sizeof(deny_prog),
	   "bin2_encode takes 4096 instructions");
	free(buf);
}

static void test_hash(void)
{
	static const struct {
		const char *s;
		uint64_t h;
	} vec[] = {
		{ "", 0xcbf29ce484222325ull },
		{ "a", 0xaf63dc4c8601ec8cull },
		{ "foobar", 0x85944171f73967e8ull },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(vec); i++) {
		uint64_t h = hash_fnv1a64(vec[i].s, strlen(vec[i].s));

		ok(h == vec[i].h, "hash_fnv1a64(\"%s\") = 0x%016llx (expected 0x%016llx)", vec[i].s,
		   (unsigned long long)h, (unsigned long long)vec[i].h);
	}
	ok(hash_fnv1a64("ab", 2) != hash_fnv1a64("ba", 2), "hash_fnv1a64 depends on the order of the bytes");
	ok(hash_fnv1a64("a\0b", 3) != hash_fnv1a64("a", 1), "hash_fnv1a64 hashes NUL bytes inside the length");
}

int main(void)
{
	test_round_trip();
	test_round_trip_meta();
	test_unrestricted();
	test_rejections();
	test_encode_refusals();
	test_hash();
	return tap_done();
}
