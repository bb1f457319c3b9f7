// SPDX-License-Identifier: GPL-3.0-only
/*
 * The classic BPF layer (bpf.h): bpf_check against the running kernel's own
 * verdict on the same programs, bpf_run against hand-computed results and
 * against the kernel executing the same filters, the action names, and the
 * disassembler's output shape.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "bpf.h"
#include "tap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PROG(...) (const struct sock_filter[]){ __VA_ARGS__ }, \
	ARRAY_LEN(((const struct sock_filter[]){ __VA_ARGS__ }))

#define ST(code, k) BPF_STMT((code), (k))
#define JMP(code, k, jt, jf) BPF_JUMP((code), (k), (jt), (jf))
#define RET_ALLOW ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/* ---- the kernel as the reference checker */

static bool have_seccomp;
static char no_seccomp_why[128];

/*
 * Loads f in a forked child: 0 when the kernel accepted it, the errno of
 * seccomp() when it refused, -1 when the child could not be run at all.
 */
static int kernel_load(const struct sock_filter *f, size_t n)
{
	struct sock_fprog fp = { .len = (unsigned short)n, .filter = (struct sock_filter *)f };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };
		long r;

		setrlimit(RLIMIT_CORE, &nocore);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(255);
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
		if (r == 0)
			_exit(0);
		_exit(errno > 0 && errno < 255 ? errno : 254);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	/* killed by its own filter: it was installed */
	if (WIFSIGNALED(status))
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status) == 254 ? -1 : WEXITSTATUS(status);
}

static void probe_seccomp(void)
{
	static const struct sock_filter allow[] = { RET_ALLOW };
	int r = kernel_load(allow, 1);

	have_seccomp = r == 0;
	if (r == ENOSYS)
		snprintf(no_seccomp_why, sizeof(no_seccomp_why), "seccomp() is not available (ENOSYS)");
	else if (r != 0)
		snprintf(no_seccomp_why, sizeof(no_seccomp_why), "seccomp() cannot load a trivial filter (%d)", r);
	if (!have_seccomp)
		diag("%s: the kernel comparisons are skipped", no_seccomp_why);
}

/* bpf_check must say what the kernel says: accepted, or refused with EINVAL */
static void kernel_agrees(const char *name, const struct sock_filter *f, size_t n, bool accepted)
{
	int r;

	if (!have_seccomp) {
		skip(1, no_seccomp_why);
		return;
	}
	r = kernel_load(f, n);
	ok(accepted ? r == 0 : r == EINVAL, "kernel agrees on %s: bpf_check %s, kernel %s (%d)", name,
	   accepted ? "accepts" : "rejects", r == 0 ? "accepts" : "rejects", r);
}

static void check_case(const char *name, const struct sock_filter *f, size_t n, bool expect_ok)
{
	char why[256] = "";
	int rc = bpf_check(f, n, why, sizeof(why));

	ok((rc == 0) == expect_ok, "bpf_check %s: %s (%s)", name, expect_ok ? "accepted" : "rejected",
	   rc == 0 ? "ok" : why);
	if (!expect_ok)
		ok(rc != 0 && why[0] != '\0', "bpf_check %s: the reason is given", name);
	kernel_agrees(name, f, n, rc == 0);
}

/* ---- bpf_check: sizes */

static void test_check_sizes(void)
{
	static struct sock_filter big[BPF_MAX_INSNS + 1];
	static const struct sock_filter one[] = { RET_ALLOW };
	size_t i;

	for (i = 0; i < ARRAY_LEN(big); i++)
		big[i] = (struct sock_filter)ST(BPF_LD | BPF_IMM, (uint32_t)i);
	big[BPF_MAX_INSNS - 1] = (struct sock_filter)RET_ALLOW;
	check_case("0 instructions", one, 0, false);
	check_case("1 instruction", one, 1, true);
	check_case("4096 instructions", big, BPF_MAX_INSNS, true);
	big[BPF_MAX_INSNS] = (struct sock_filter)RET_ALLOW;
	check_case("4097 instructions", big, BPF_MAX_INSNS + 1, false);
}

/* ---- bpf_check: opcodes */

/* what seccomp_check_filter() lets through, written out independently of the library */
static const uint16_t seccomp_opcodes[] = {
	BPF_LD | BPF_W | BPF_ABS,  BPF_LD | BPF_W | BPF_LEN,	BPF_LDX | BPF_W | BPF_LEN, BPF_RET | BPF_K,
	BPF_RET | BPF_A,	   BPF_ALU | BPF_ADD | BPF_K,	BPF_ALU | BPF_ADD | BPF_X, BPF_ALU | BPF_SUB | BPF_K,
	BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_K,	BPF_ALU | BPF_MUL | BPF_X, BPF_ALU | BPF_DIV | BPF_K,
	BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_AND | BPF_K,	BPF_ALU | BPF_AND | BPF_X, BPF_ALU | BPF_OR | BPF_K,
	BPF_ALU | BPF_OR | BPF_X,  BPF_ALU | BPF_XOR | BPF_K,	BPF_ALU | BPF_XOR | BPF_X, BPF_ALU | BPF_LSH | BPF_K,
	BPF_ALU | BPF_LSH | BPF_X, BPF_ALU | BPF_RSH | BPF_K,	BPF_ALU | BPF_RSH | BPF_X, BPF_ALU | BPF_NEG,
	BPF_LD | BPF_IMM,	   BPF_LDX | BPF_IMM,		BPF_MISC | BPF_TAX,	   BPF_MISC | BPF_TXA,
	BPF_LD | BPF_MEM,	   BPF_LDX | BPF_MEM,		BPF_ST,			   BPF_STX,
	BPF_JMP | BPF_JA,	   BPF_JMP | BPF_JEQ | BPF_K,	BPF_JMP | BPF_JEQ | BPF_X, BPF_JMP | BPF_JGE | BPF_K,
	BPF_JMP | BPF_JGE | BPF_X, BPF_JMP | BPF_JGT | BPF_K,	BPF_JMP | BPF_JGT | BPF_X, BPF_JMP | BPF_JSET | BPF_K,
	BPF_JMP | BPF_JSET | BPF_X,
};

/*
 * A program exercising one opcode with harmless operands, surrounded so
 * that it is valid whenever the opcode is: M[0] written first, A = ALLOW
 * before it and again before the final return.
 */
static void opcode_prog(uint16_t code, struct sock_filter p[5])
{
	uint32_t k = 0;

	switch (BPF_CLASS(code)) {
	case BPF_ST:
	case BPF_STX:
	case BPF_ALU:
		k = 1;
		break;
	case BPF_RET:
		k = SECCOMP_RET_ALLOW;
		break;
	default:
		break;
	}
	p[0] = (struct sock_filter)ST(BPF_ST, 0);
	p[1] = (struct sock_filter)ST(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW);
	p[2] = (struct sock_filter){ .code = code, .jt = 0, .jf = 0, .k = k };
	p[3] = (struct sock_filter)ST(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW);
	p[4] = (struct sock_filter)ST(BPF_RET | BPF_A, 0);
}

static bool in_seccomp_list(uint16_t code)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(seccomp_opcodes); i++)
		if (seccomp_opcodes[i] == code)
			return true;
	return false;
}

static void test_check_opcodes(void)
{
	static const struct {
		const char *name;
		uint16_t code;
	} forbidden[] = {
		{ "ld b abs", BPF_LD | BPF_B | BPF_ABS },   { "ld h abs", BPF_LD | BPF_H | BPF_ABS },
		{ "ld w ind", BPF_LD | BPF_W | BPF_IND },   { "ld b ind", BPF_LD | BPF_B | BPF_IND },
		{ "ldx b msh", BPF_LDX | BPF_B | BPF_MSH }, { "ldx w abs", BPF_LDX | BPF_W | BPF_ABS },
		{ "mod k", BPF_ALU | BPF_MOD | BPF_K },	    { "mod x", BPF_ALU | BPF_MOD | BPF_X },
		{ "neg x", BPF_ALU | BPF_NEG | BPF_X },	    { "ret x", BPF_RET | BPF_X },
		{ "ja x", BPF_JMP | BPF_JA | BPF_X },	    { "ld h imm", BPF_LD | BPF_H | BPF_IMM },
		{ "0xffff", 0xffff },
	};
	struct sock_filter p[5];
	unsigned agree = 0, accepted = 0, code;
	char name[64], why[256];
	size_t i;

	for (i = 0; i < ARRAY_LEN(seccomp_opcodes); i++) {
		opcode_prog(seccomp_opcodes[i], p);
		snprintf(name, sizeof(name), "allowed opcode 0x%04x", seccomp_opcodes[i]);
		check_case(name, p, ARRAY_LEN(p), true);
	}
	for (i = 0; i < ARRAY_LEN(forbidden); i++) {
		opcode_prog(forbidden[i].code, p);
		snprintf(name, sizeof(name), "forbidden opcode %s (0x%04x)", forbidden[i].name, forbidden[i].code);
		check_case(name, p, ARRAY_LEN(p), false);
	}

	/* every one-byte opcode (the kernel's table stops there) plus a few beyond */
	for (code = 0; code < 0x100 + 3; code++) {
		uint16_t c = code < 0x100 ? (uint16_t)code : code == 0x100 ? 0x100 : code == 0x101 ? 0x8006 : 0xff16;
		bool ours;

		opcode_prog(c, p);
		ours = bpf_check(p, ARRAY_LEN(p), why, sizeof(why)) == 0;
		accepted += ours;
		if (ours != in_seccomp_list(c))
			diag("opcode 0x%04x: bpf_check %s it", c, ours ? "accepts" : "rejects");
		else
			agree++;
	}
	ok(agree == 0x103 && accepted == ARRAY_LEN(seccomp_opcodes),
	   "opcode sweep: bpf_check accepts exactly seccomp's %zu opcodes (%u agree, %u accepted)",
	   ARRAY_LEN(seccomp_opcodes), agree, accepted);
	if (!have_seccomp) {
		skip(1, no_seccomp_why);
		return;
	}
	agree = 0;
	for (code = 0; code < 0x100 + 3; code++) {
		uint16_t c = code < 0x100 ? (uint16_t)code : code == 0x100 ? 0x100 : code == 0x101 ? 0x8006 : 0xff16;
		bool ours, theirs;
		int r;

		opcode_prog(c, p);
		ours = bpf_check(p, ARRAY_LEN(p), why, sizeof(why)) == 0;
		r = kernel_load(p, ARRAY_LEN(p));
		theirs = r == 0;
		if (ours != theirs || (!theirs && r != EINVAL))
			diag("opcode 0x%04x: bpf_check %s, kernel says %d", c, ours ? "accepts" : "rejects", r);
		else
			agree++;
	}
	ok(agree == 0x103, "opcode sweep: the kernel agrees with bpf_check on %u of %u opcodes", agree, 0x103);
}

/* ---- bpf_check: operands, jumps, returns, scratch memory */

static void test_check_rules(void)
{
	const uint32_t A = SECCOMP_RET_ALLOW;

	/* loads from struct seccomp_data */
	check_case("load nr (offset 0)", PROG(ST(BPF_LD | BPF_W | BPF_ABS, 0), RET_ALLOW), true);
	check_case("load args[5].hi (offset 60)", PROG(ST(BPF_LD | BPF_W | BPF_ABS, 60), RET_ALLOW), true);
	check_case("load at offset 64", PROG(ST(BPF_LD | BPF_W | BPF_ABS, 64), RET_ALLOW), false);
	check_case("load at offset 2 (unaligned)", PROG(ST(BPF_LD | BPF_W | BPF_ABS, 2), RET_ALLOW), false);
	check_case("load at offset 17 (unaligned)", PROG(ST(BPF_LD | BPF_W | BPF_ABS, 17), RET_ALLOW), false);
	check_case("load at SKF_AD_OFF (ancillary)",
		   PROG(ST(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_AD_OFF), RET_ALLOW), false);
	check_case("load at 0xfffffffc", PROG(ST(BPF_LD | BPF_W | BPF_ABS, 0xfffffffcu), RET_ALLOW), false);

	/* jumps */
	check_case("ja 0", PROG(ST(BPF_JMP | BPF_JA, 0), RET_ALLOW), true);
	check_case("ja past the end", PROG(ST(BPF_JMP | BPF_JA, 1), RET_ALLOW), false);
	check_case("ja 0xffffffff", PROG(ST(BPF_JMP | BPF_JA, 0xffffffffu), RET_ALLOW), false);
	check_case("ja onto the last instruction",
		   PROG(ST(BPF_JMP | BPF_JA, 1), ST(BPF_RET | BPF_K, 0), RET_ALLOW), true);
	check_case("jeq true branch past the end",
		   PROG(ST(BPF_LD | BPF_W | BPF_ABS, 0), JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0), RET_ALLOW),
		   false);
	check_case("jgt false branch past the end",
		   PROG(ST(BPF_LD | BPF_W | BPF_ABS, 0), JMP(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1), RET_ALLOW),
		   false);
	check_case("jset x branches far past the end",
		   PROG(JMP(BPF_JMP | BPF_JSET | BPF_X, 0, 255, 255), RET_ALLOW), false);
	check_case("jeq both branches inside",
		   PROG(ST(BPF_LD | BPF_W | BPF_ABS, 0), JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0), RET_ALLOW,
			ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1)),
		   true);

	/* returns */
	check_case("last instruction a load", PROG(RET_ALLOW, ST(BPF_LD | BPF_IMM, 0)), false);
	check_case("last instruction an ALU op", PROG(ST(BPF_LD | BPF_IMM, 0), ST(BPF_ALU | BPF_ADD | BPF_K, 1)),
		   false);
	check_case("last instruction a jump",
		   PROG(ST(BPF_LD | BPF_IMM, 0), JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0)), false);
	check_case("ret a last", PROG(ST(BPF_LD | BPF_IMM, A), ST(BPF_RET | BPF_A, 0)), true);

	/* ALU operands */
	check_case("div #0", PROG(ST(BPF_ALU | BPF_DIV | BPF_K, 0), RET_ALLOW), false);
	check_case("div #1", PROG(ST(BPF_ALU | BPF_DIV | BPF_K, 1), RET_ALLOW), true);
	check_case("div x (x is 0 at run time)", PROG(ST(BPF_ALU | BPF_DIV | BPF_X, 0), RET_ALLOW), true);
	check_case("lsh #31", PROG(ST(BPF_ALU | BPF_LSH | BPF_K, 31), RET_ALLOW), true);
	check_case("lsh #32", PROG(ST(BPF_ALU | BPF_LSH | BPF_K, 32), RET_ALLOW), false);
	check_case("rsh #32", PROG(ST(BPF_ALU | BPF_RSH | BPF_K, 32), RET_ALLOW), false);
	check_case("rsh #0xffffffff", PROG(ST(BPF_ALU | BPF_RSH | BPF_K, 0xffffffffu), RET_ALLOW), false);
	check_case("lsh x", PROG(ST(BPF_LDX | BPF_IMM, 40), ST(BPF_ALU | BPF_LSH | BPF_X, 0), RET_ALLOW), true);

	/* scratch memory */
	check_case("ld M[0] never written", PROG(ST(BPF_LD | BPF_MEM, 0), RET_ALLOW), false);
	check_case("ldx M[7] never written", PROG(ST(BPF_LDX | BPF_MEM, 7), RET_ALLOW), false);
	check_case("st M[3] then ld M[3]",
		   PROG(ST(BPF_LD | BPF_IMM, A), ST(BPF_ST, 3), ST(BPF_LD | BPF_IMM, 0), ST(BPF_LD | BPF_MEM, 3),
			ST(BPF_RET | BPF_A, 0)),
		   true);
	check_case("stx M[15] then ldx M[15]",
		   PROG(ST(BPF_STX, 15), ST(BPF_LDX | BPF_MEM, 15), RET_ALLOW), true);
	check_case("st M[1] then ld M[2]", PROG(ST(BPF_ST, 1), ST(BPF_LD | BPF_MEM, 2), RET_ALLOW), false);
	check_case("st M[16]", PROG(ST(BPF_ST, 16), RET_ALLOW), false);
	check_case("stx M[16]", PROG(ST(BPF_STX, 16), RET_ALLOW), false);
	check_case("ld M[16]", PROG(ST(BPF_LD | BPF_MEM, 16), RET_ALLOW), false);
	/* written on both branches of a jeq, then read */
	check_case("M[5] written on every path",
		   PROG(ST(BPF_LD | BPF_IMM, A), JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2), ST(BPF_ST, 5),
			ST(BPF_JMP | BPF_JA, 1), ST(BPF_ST, 5), ST(BPF_LD | BPF_MEM, 5), ST(BPF_RET | BPF_A, 0)),
		   true);
	/* the false branch writes M[6] instead */
	check_case("M[5] written on one path only",
		   PROG(ST(BPF_LD | BPF_IMM, A), JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2), ST(BPF_ST, 5),
			ST(BPF_JMP | BPF_JA, 1), ST(BPF_ST, 6), ST(BPF_LD | BPF_MEM, 5), ST(BPF_RET | BPF_A, 0)),
		   false);
	/* a ja skips the only write */
	check_case("ja over the write",
		   PROG(ST(BPF_LD | BPF_IMM, A), ST(BPF_JMP | BPF_JA, 1), ST(BPF_ST, 0), ST(BPF_LD | BPF_MEM, 0),
			ST(BPF_RET | BPF_A, 0)),
		   false);
	/* written before the branch: valid on both sides */
	check_case("M[2] written before a branch",
		   PROG(ST(BPF_LD | BPF_IMM, A), ST(BPF_ST, 2), JMP(BPF_JMP | BPF_JGT | BPF_K, 9, 1, 0),
			ST(BPF_LDX | BPF_MEM, 2), ST(BPF_LD | BPF_MEM, 2), ST(BPF_RET | BPF_A, 0)),
		   true);
}

/* ---- bpf_run: hand-computed results */

struct run_case {
	const char *name;
	const struct sock_filter *f;
	size_t n;
	uint32_t expect;
	unsigned steps;
};

static const struct seccomp_data sample = {
	.nr = 39,
	.arch = ARCH_AUDIT_X86_64,
	.instruction_pointer = 0x00007fff12345678ull,
	.args = { 0x1122334455667788ull, 0xffffffff00000020ull, 0, 0, 0, 0xdeadbeefcafef00dull },
};

static void test_run_table(void)
{
#define LDI(v) ST(BPF_LD | BPF_IMM, (v))
#define LDXI(v) ST(BPF_LDX | BPF_IMM, (v))
#define LDW(off) ST(BPF_LD | BPF_W | BPF_ABS, (off))
#define ALU_K(op, v) ST(BPF_ALU | (op) | BPF_K, (v))
#define ALU_X(op) ST(BPF_ALU | (op) | BPF_X, 0)
#define RETA ST(BPF_RET | BPF_A, 0)
#define RETK(v) ST(BPF_RET | BPF_K, (v))
	const struct run_case cases[] = {
		{ "ld nr", PROG(LDW(0), RETA), 39, 2 },
		{ "ld arch", PROG(LDW(4), RETA), ARCH_AUDIT_X86_64, 2 },
		{ "ld ip low word", PROG(LDW(8), RETA), 0x12345678, 2 },
		{ "ld ip high word", PROG(LDW(12), RETA), 0x00007fff, 2 },
		{ "ld args[0] low word (16)", PROG(LDW(16), RETA), 0x55667788, 2 },
		{ "ld args[0] high word (20)", PROG(LDW(20), RETA), 0x11223344, 2 },
		{ "ld args[1] low word (24)", PROG(LDW(24), RETA), 0x20, 2 },
		{ "ld args[1] high word (28)", PROG(LDW(28), RETA), 0xffffffff, 2 },
		{ "ld args[5] low word (56)", PROG(LDW(56), RETA), 0xcafef00d, 2 },
		{ "ld args[5] high word (60)", PROG(LDW(60), RETA), 0xdeadbeef, 2 },
		{ "ld len", PROG(ST(BPF_LD | BPF_W | BPF_LEN, 0), RETA), 64, 2 },
		{ "ldx len; txa", PROG(ST(BPF_LDX | BPF_W | BPF_LEN, 0), ST(BPF_MISC | BPF_TXA, 0), RETA), 64, 3 },
		{ "ret k", PROG(RETK(SECCOMP_RET_ERRNO | 5)), SECCOMP_RET_ERRNO | 5, 1 },
		{ "ret k stops", PROG(RETK(7), RETK(8)), 7, 1 },
		{ "add k", PROG(LDI(5), ALU_K(BPF_ADD, 7), RETA), 12, 3 },
		{ "add x wraps", PROG(LDI(0xfffffffe), LDXI(3), ALU_X(BPF_ADD), RETA), 1, 4 },
		{ "sub k wraps", PROG(LDI(5), ALU_K(BPF_SUB, 7), RETA), 0xfffffffe, 3 },
		{ "sub x", PROG(LDI(50), LDXI(8), ALU_X(BPF_SUB), RETA), 42, 4 },
		{ "mul k wraps", PROG(LDI(0x10001), ALU_K(BPF_MUL, 0x10001), RETA), 0x00020001, 3 },
		{ "mul x", PROG(LDI(6), LDXI(7), ALU_X(BPF_MUL), RETA), 42, 4 },
		{ "div k", PROG(LDI(100), ALU_K(BPF_DIV, 7), RETA), 14, 3 },
		{ "div x unsigned", PROG(LDI(0xffffffff), LDXI(0x10), ALU_X(BPF_DIV), RETA), 0x0fffffff, 4 },
		{ "div x by zero kills", PROG(LDI(100), LDXI(0), ALU_X(BPF_DIV), RETK(SECCOMP_RET_ALLOW)),
		  SECCOMP_RET_KILL_THREAD, 3 },
		{ "and k", PROG(LDI(0xf0f0f0f0), ALU_K(BPF_AND, 0x0ff00ff0), RETA), 0x00f000f0, 3 },
		{ "and x", PROG(LDI(0x12345678), LDXI(0xff00ff00), ALU_X(BPF_AND), RETA), 0x12005600, 4 },
		{ "or k", PROG(LDI(0xf0000000), ALU_K(BPF_OR, 0xf), RETA), 0xf000000f, 3 },
		{ "or x", PROG(LDI(0x100), LDXI(0x001), ALU_X(BPF_OR), RETA), 0x101, 4 },
		{ "xor k", PROG(LDI(0xffff0000), ALU_K(BPF_XOR, 0x0f0f0f0f), RETA), 0xf0f00f0f, 3 },
		{ "xor x", PROG(LDI(0xaaaa), LDXI(0xaaaa), ALU_X(BPF_XOR), RETA), 0, 4 },
		{ "lsh k", PROG(LDI(0x12345678), ALU_K(BPF_LSH, 4), RETA), 0x23456780, 3 },
		{ "lsh #31", PROG(LDI(3), ALU_K(BPF_LSH, 31), RETA), 0x80000000, 3 },
		{ "rsh k", PROG(LDI(0x12345678), ALU_K(BPF_RSH, 4), RETA), 0x01234567, 3 },
		{ "rsh #31 is logical", PROG(LDI(0x80000000), ALU_K(BPF_RSH, 31), RETA), 1, 3 },
		{ "lsh x", PROG(LDI(0x12345678), LDXI(8), ALU_X(BPF_LSH), RETA), 0x34567800, 4 },
		{ "rsh x", PROG(LDI(0x12345678), LDXI(8), ALU_X(BPF_RSH), RETA), 0x00123456, 4 },
		/* the kernel (eBPF ALU32, interpreter and JITs alike) shifts by x & 31 */
		{ "lsh x=32 shifts by 0", PROG(LDI(0x12345678), LDXI(32), ALU_X(BPF_LSH), RETA), 0x12345678, 4 },
		{ "rsh x=33 shifts by 1", PROG(LDI(0x12345678), LDXI(33), ALU_X(BPF_RSH), RETA), 0x091a2b3c, 4 },
		{ "neg 1", PROG(LDI(1), ST(BPF_ALU | BPF_NEG, 0), RETA), 0xffffffff, 3 },
		{ "neg 0", PROG(LDI(0), ST(BPF_ALU | BPF_NEG, 0), RETA), 0, 3 },
		{ "neg 0x80000000", PROG(LDI(0x80000000), ST(BPF_ALU | BPF_NEG, 0), RETA), 0x80000000, 3 },
		{ "tax; txa", PROG(LDI(9), ST(BPF_MISC | BPF_TAX, 0), LDI(0), ST(BPF_MISC | BPF_TXA, 0), RETA), 9, 5 },
		{ "st; ldx mem", PROG(LDI(42), ST(BPF_ST, 15), LDI(0), ST(BPF_LDX | BPF_MEM, 15),
				      ST(BPF_MISC | BPF_TXA, 0), RETA), 42, 6 },
		{ "stx; ld mem", PROG(LDXI(7), ST(BPF_STX, 2), LDI(1), ST(BPF_LD | BPF_MEM, 2), RETA), 7, 5 },
		{ "scratch words are distinct", PROG(LDI(1), ST(BPF_ST, 0), LDI(2), ST(BPF_ST, 1),
						     ST(BPF_LD | BPF_MEM, 0), RETA), 1, 6 },
		{ "ja", PROG(ST(BPF_JMP | BPF_JA, 1), RETK(1), RETK(2)), 2, 2 },
		{ "jeq k taken", PROG(LDI(5), JMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1), RETK(1), RETK(2)), 1, 3 },
		{ "jeq k not taken", PROG(LDI(5), JMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 1), RETK(1), RETK(2)), 2, 3 },
		{ "jeq x taken", PROG(LDI(5), LDXI(5), JMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), RETK(1), RETK(2)),
		  1, 4 },
		{ "jeq x not taken", PROG(LDI(5), LDXI(4), JMP(BPF_JMP | BPF_JEQ | BPF_X, 5, 0, 1), RETK(1),
					  RETK(2)), 2, 4 },
		{ "jgt k equal", PROG(LDI(5), JMP(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1), RETK(1), RETK(2)), 2, 3 },
		{ "jgt k greater", PROG(LDI(6), JMP(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1), RETK(1), RETK(2)), 1, 3 },
		{ "jgt k unsigned", PROG(LDI(0xffffffff), JMP(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1), RETK(1), RETK(2)),
		  1, 3 },
		{ "jge k equal", PROG(LDI(5), JMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1), RETK(1), RETK(2)), 1, 3 },
		{ "jge k less", PROG(LDI(4), JMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1), RETK(1), RETK(2)), 2, 3 },
		{ "jgt x", PROG(LDI(0x80000000), LDXI(0x7fffffff), JMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1), RETK(1),
				RETK(2)), 1, 4 },
		{ "jge x less", PROG(LDI(3), LDXI(4), JMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1), RETK(1), RETK(2)),
		  2, 4 },
		{ "jset k taken", PROG(LDI(0x10), JMP(BPF_JMP | BPF_JSET | BPF_K, 0x30, 0, 1), RETK(1), RETK(2)), 1,
		  3 },
		{ "jset k not taken", PROG(LDI(0x10), JMP(BPF_JMP | BPF_JSET | BPF_K, 0x0f, 0, 1), RETK(1), RETK(2)),
		  2, 3 },
		{ "jset x", PROG(LDI(0x80000000), LDXI(0x80000001), JMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
				 RETK(1), RETK(2)), 1, 4 },
		{ "jeq with jt 2", PROG(LDW(0), JMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 2, 0), RETK(1), RETK(2), RETK(3)),
		  3, 3 },
		{ "arch then nr dispatch",
		  PROG(LDW(4), JMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_AUDIT_X86_64, 1, 0), RETK(SECCOMP_RET_KILL_PROCESS),
		       LDW(0), JMP(BPF_JMP | BPF_JGE | BPF_K, 40, 2, 0), JMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		       RETK(SECCOMP_RET_ERRNO | 1), RETK(SECCOMP_RET_ALLOW)),
		  SECCOMP_RET_ERRNO | 1, 6 },
	};
#undef LDI
#undef LDXI
#undef LDW
#undef ALU_K
#undef ALU_X
#undef RETA
#undef RETK
	char why[256];
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		const struct run_case *c = &cases[i];
		unsigned steps = 12345;
		uint32_t got;

		if (bpf_check(c->f, c->n, why, sizeof(why))) {
			ok(false, "bpf_run %s: the program fails bpf_check: %s", c->name, why);
			continue;
		}
		got = bpf_run(c->f, c->n, &sample, &steps);
		ok(got == c->expect && steps == c->steps, "bpf_run %s: 0x%08x in %u steps (expected 0x%08x in %u)",
		   c->name, got, steps, c->expect, c->steps);
	}
	/* executed may be NULL */
	ok(bpf_run(PROG(ST(BPF_LD | BPF_IMM, 3), ST(BPF_RET | BPF_A, 0)), &sample, NULL) == 3,
	   "bpf_run accepts a NULL step counter");
}

/* ---- bpf_run against the kernel running the same filter */

/*
 * Wraps a body that leaves a value in A: other architectures and other
 * calls are allowed; getppid() gets ERRNO(fold(A)), where fold mixes all
 * 32 bits into 12 so that a difference anywhere in A shows in errno.
 */
static size_t wrap_body(const struct sock_filter *body, size_t nb, struct sock_filter *out)
{
	size_t n = 0, i;

	/* the false branches to the final "ret ALLOW" are patched in below */
	out[n++] = (struct sock_filter)ST(BPF_LD | BPF_W | BPF_ABS, 4);
	out[n++] = (struct sock_filter)JMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_AUDIT_X86_64, 0, 0);
	out[n++] = (struct sock_filter)ST(BPF_LD | BPF_W | BPF_ABS, 0);
	out[n++] = (struct sock_filter)JMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 0);
	for (i = 0; i < nb; i++)
		out[n++] = body[i];
	/* A ^= A >> 12 ^ A >> 24, using M[14] and M[15] */
	out[n++] = (struct sock_filter)ST(BPF_ST, 15);
	out[n++] = (struct sock_filter)ST(BPF_ALU | BPF_RSH | BPF_K, 12);
	out[n++] = (struct sock_filter)ST(BPF_MISC | BPF_TAX, 0);
	out[n++] = (struct sock_filter)ST(BPF_LD | BPF_MEM, 15);
	out[n++] = (struct sock_filter)ST(BPF_ALU | BPF_XOR | BPF_X, 0);
	out[n++] = (struct sock_filter)ST(BPF_ST, 14);
	out[n++] = (struct sock_filter)ST(BPF_LD | BPF_MEM, 15);
	out[n++] = (struct sock_filter)ST(BPF_ALU | BPF_RSH | BPF_K, 24);
	out[n++] = (struct sock_filter)ST(BPF_MISC | BPF_TAX, 0);
	out[n++] = (struct sock_filter)ST(BPF_LD | BPF_MEM, 14);
	out[n++] = (struct sock_filter)ST(BPF_ALU | BPF_XOR | BPF_X, 0);
	out[n++] = (struct sock_filter)ST(BPF_ALU | BPF_AND | BPF_K, 0xfff);
	out[n++] = (struct sock_filter)ST(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO);
	out[n++] = (struct sock_filter)ST(BPF_RET | BPF_A, 0);
	out[n++] = (struct sock_filter)RET_ALLOW;
	out[1].jf = (uint8_t)(n - 1 - 2);
	out[3].jf = (uint8_t)(n - 1 - 4);
	return n;
}

struct live_result {
	bool killed; /* by SIGSYS */
	long ret;
	int err;
};

/* installs f in a child and calls getppid with args there; -1 when the child could not report */
static int kernel_run(const struct sock_filter *f, size_t n, const uint64_t args[6], struct live_result *res)
{
	struct sock_fprog fp = { .len = (unsigned short)n, .filter = (struct sock_filter *)f };
	struct { long ret; int err; } rep = { 0, 0 };
	int pfd[2], status;
	ssize_t got;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };

		close(pfd[0]);
		setrlimit(RLIMIT_CORE, &nocore);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp))
			_exit(2);
		errno = 0;
		rep.ret = syscall(SYS_getppid, args[0], args[1], args[2], args[3], args[4], args[5]);
		rep.err = errno;
		if (write(pfd[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	got = read(pfd[0], &rep, sizeof(rep));
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status)) {
		res->killed = WTERMSIG(status) == SIGSYS;
		return res->killed ? 0 : -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof(rep))
		return -1;
	res->ret = rep.ret;
	res->err = rep.err;
	return 0;
}

struct live_body {
	const char *name;
	const struct sock_filter *f;
	size_t n;
};

static void test_run_vs_kernel(void)
{
#define LDW(off) ST(BPF_LD | BPF_W | BPF_ABS, (off))
#define TAX ST(BPF_MISC | BPF_TAX, 0)
#define A0_OP_A1(op) LDW(24), TAX, LDW(16), ST(BPF_ALU | (op) | BPF_X, 0)
	const struct live_body bodies[] = {
		{ "add", PROG(A0_OP_A1(BPF_ADD)) },
		{ "sub", PROG(A0_OP_A1(BPF_SUB)) },
		{ "mul", PROG(A0_OP_A1(BPF_MUL)) },
		{ "div", PROG(A0_OP_A1(BPF_DIV)) },
		{ "and", PROG(A0_OP_A1(BPF_AND)) },
		{ "or", PROG(A0_OP_A1(BPF_OR)) },
		{ "xor", PROG(A0_OP_A1(BPF_XOR)) },
		{ "lsh", PROG(A0_OP_A1(BPF_LSH)) },
		{ "rsh", PROG(A0_OP_A1(BPF_RSH)) },
		{ "neg and high words", PROG(LDW(20), TAX, LDW(28), ST(BPF_ALU | BPF_NEG, 0),
					     ST(BPF_ALU | BPF_ADD | BPF_X, 0)) },
		{ "k ops", PROG(LDW(16), ST(BPF_ALU | BPF_MUL | BPF_K, 2654435761u), ST(BPF_ALU | BPF_RSH | BPF_K, 7),
				ST(BPF_ALU | BPF_DIV | BPF_K, 3), ST(BPF_ALU | BPF_LSH | BPF_K, 5),
				ST(BPF_ALU | BPF_SUB | BPF_K, 77)) },
		{ "scratch and len", PROG(LDW(16), ST(BPF_ST, 3), LDW(24), ST(BPF_ST, 9), ST(BPF_LDX | BPF_MEM, 3),
					  ST(BPF_LD | BPF_MEM, 9), ST(BPF_ALU | BPF_SUB | BPF_X, 0), TAX,
					  ST(BPF_LD | BPF_W | BPF_LEN, 0), ST(BPF_ALU | BPF_ADD | BPF_X, 0)) },
		{ "jumps", PROG(LDW(24), TAX, LDW(16), JMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 2),
				ST(BPF_LD | BPF_IMM, 0x100), ST(BPF_JMP | BPF_JA, 8),
				JMP(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 2), ST(BPF_LD | BPF_IMM, 0x200),
				ST(BPF_JMP | BPF_JA, 5), JMP(BPF_JMP | BPF_JGE | BPF_K, 1000, 0, 1),
				ST(BPF_LD | BPF_IMM, 0x300), JMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
				ST(BPF_LD | BPF_IMM, 0x400), ST(BPF_ALU | BPF_ADD | BPF_X, 0)) },
	};
#undef A0_OP_A1
#undef TAX
#undef LDW
	static const uint64_t argsets[][6] = {
		{ 0x12345678, 8 },
		{ 0xfedcba9876543210ull, 0x0000000300000003ull },
		{ 0x80000001, 31 },
		{ 0x12345678, 32 },
		{ 0x12345678, 33 },
		{ 0xffffffff, 63 },
		{ 5, 0 },
		{ 0x1000, 0x1000 },
		{ 1003, 2 },
	};
	struct sock_filter prog[300];
	unsigned compared = 0, agree = 0;
	char why[256];
	size_t i, j;

	if (!have_seccomp) {
		skip(1, no_seccomp_why);
		return;
	}
	for (i = 0; i < ARRAY_LEN(bodies); i++) {
		size_t n = wrap_body(bodies[i].f, bodies[i].n, prog);
		bool body_agrees = true;

		if (!ok(bpf_check(prog, n, why, sizeof(why)) == 0, "live %s: the wrapped filter passes bpf_check",
			bodies[i].name))
			continue;
		for (j = 0; j < ARRAY_LEN(argsets); j++) {
			struct seccomp_data d = { .nr = SYS_getppid, .arch = ARCH_AUDIT_X86_64 };
			struct live_result live;
			uint32_t want;
			bool same;

			memcpy(d.args, argsets[j], sizeof(d.args));
			want = bpf_run(prog, n, &d, NULL);
			if (kernel_run(prog, n, argsets[j], &live)) {
				diag("live %s, args %#llx %#llx: the child failed", bodies[i].name,
				     (unsigned long long)argsets[j][0], (unsigned long long)argsets[j][1]);
				body_agrees = false;
				continue;
			}
			compared++;
			if (want == SECCOMP_RET_KILL_THREAD)
				same = live.killed;
			else if ((want & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO && (want & 0xfff))
				same = !live.killed && live.ret == -1 && live.err == (int)(want & 0xfff);
			else if ((want & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
				same = !live.killed && live.ret == 0;
			else
				same = false;
			if (same) {
				agree++;
			} else {
				body_agrees = false;
				diag("live %s, args %#llx %#llx: bpf_run 0x%08x, kernel %s ret %ld errno %d",
				     bodies[i].name, (unsigned long long)argsets[j][0],
				     (unsigned long long)argsets[j][1], want, live.killed ? "killed" : "returned",
				     live.ret, live.err);
			}
		}
		ok(body_agrees, "live %s: bpf_run = the kernel on %zu argument sets", bodies[i].name,
		   ARRAY_LEN(argsets));
	}
	ok(compared == agree && compared > 0, "live: %u of %u runs agree", agree, compared);
}

/* ---- action names */

static void test_action_names(void)
{
	static const struct {
		uint32_t action;
		const char *name;
	} names[] = {
		{ SECCOMP_RET_ALLOW, "ALLOW" },
		{ SECCOMP_RET_LOG, "LOG" },
		{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS" },
		{ SECCOMP_RET_KILL_THREAD, "KILL_THREAD" },
		{ SECCOMP_RET_ERRNO | 13, "ERRNO(13)" },
		{ SECCOMP_RET_ERRNO | 0, "ERRNO(0)" },
		{ SECCOMP_RET_ERRNO | 0xffff, "ERRNO(65535)" },
		{ SECCOMP_RET_TRAP | 5, "TRAP(5)" },
		{ SECCOMP_RET_TRACE | 7, "TRACE(7)" },
	};
	static const struct {
		const char *text;
		uint32_t action;
	} aliases[] = {
		{ "EPERM", SECCOMP_RET_ERRNO | EPERM },
		{ "EACCES", SECCOMP_RET_ERRNO | EACCES },
		{ "errno(38)", SECCOMP_RET_ERRNO | 38 },
		{ "allow", SECCOMP_RET_ALLOW },
		{ "trap(0)", SECCOMP_RET_TRAP },
	};
	static const char *const bad[] = {
		"ERRNO(99999)", "ERRNO(65536)", "bogus", "", "ERRNO()", "ERRNO(1", "ERRNO(1)x", "ERRNO(-1)",
		"ERRNO( 1)", "TRAP(x)", "ALLOWED",
	};
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_LEN(names); i++) {
		const char *s = seccomp_action_name(names[i].action, buf, sizeof(buf));
		uint32_t back = 0xdeadbeef;

		ok(s == buf && !strcmp(s, names[i].name), "seccomp_action_name(0x%08x) = \"%s\" (expected \"%s\")",
		   names[i].action, s, names[i].name);
		ok(seccomp_action_parse(names[i].name, &back) == 0 && back == names[i].action,
		   "seccomp_action_parse(\"%s\") = 0x%08x", names[i].name, back);
	}
	for (i = 0; i < ARRAY_LEN(aliases); i++) {
		uint32_t a = 0xdeadbeef;

		ok(seccomp_action_parse(aliases[i].text, &a) == 0 && a == aliases[i].action,
		   "seccomp_action_parse(\"%s\") = 0x%08x (expected 0x%08x)", aliases[i].text, a, aliases[i].action);
	}
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		uint32_t a = 0x12345678;

		ok(seccomp_action_parse(bad[i], &a) == -1 && a == 0x12345678,
		   "seccomp_action_parse(\"%s\") is rejected and leaves the output alone", bad[i]);
	}
	seccomp_action_name(SECCOMP_RET_ERRNO | 1234, buf, 4);
	ok(!strcmp(buf, "ERR"), "seccomp_action_name truncates to the buffer (\"%s\")", buf);
}

/* ---- disassembler */

static void test_disasm(void)
{
	const struct sock_filter prog[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, 4),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_AUDIT_X86_64, 1, 0),
		ST(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		ST(BPF_LD | BPF_W | BPF_ABS, 20),
		JMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
		ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		ST(BPF_ST, 3),
		ST(BPF_RET | BPF_A, 0),
		RET_ALLOW,
	};
	char *text = NULL, *line, *save = NULL;
	size_t size = 0, lines = 0, i;
	bool numbered = true;
	FILE *f;

	f = open_memstream(&text, &size);
	if (!ok(f != NULL, "open_memstream")) {
		skip(7, "no memory stream");
		return;
	}
	bpf_disasm(f, prog, ARRAY_LEN(prog));
	fclose(f);
	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	ok(lines == ARRAY_LEN(prog) && size > 0 && text[size - 1] == '\n', "bpf_disasm: %zu lines for %zu instructions",
	   lines, ARRAY_LEN(prog));
	ok(strstr(text, "ret KILL_PROCESS") != NULL, "bpf_disasm names KILL_PROCESS on a return");
	ok(strstr(text, "ret ERRNO(1)") != NULL, "bpf_disasm names ERRNO(1) on a return");
	ok(strstr(text, "ret ALLOW") != NULL, "bpf_disasm names ALLOW on a return");
	ok(strstr(text, "args[0].hi") != NULL && strstr(text, "arch") != NULL,
	   "bpf_disasm names the seccomp_data fields loaded");
	ok(strstr(text, "jeq #0xc000003e, 3, 2") != NULL, "bpf_disasm shows absolute jump targets");
	i = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		char *end;
		unsigned long idx = strtoul(line, &end, 10);

		if (idx != i || *end != ':')
			numbered = false;
	}
	ok(numbered && i == ARRAY_LEN(prog), "bpf_disasm numbers every line with its instruction index");
	free(text);

	/* nothing at all for an empty program */
	text = NULL;
	size = 0;
	f = open_memstream(&text, &size);
	if (f) {
		bpf_disasm(f, prog, 0);
		fclose(f);
	}
	ok(f && size == 0, "bpf_disasm of 0 instructions writes nothing");
	free(text);
}

/* ---- the growable buffer */

static void test_prog_buffer(void)
{
	struct bpf_prog p = { 0 };
	bool all = true;
	uint32_t i;

	for (i = 0; i < 1000; i++)
		if (bpf_prog_push(&p, (struct sock_filter)ST(BPF_LD | BPF_IMM, i)))
			all = false;
	for (i = 0; i < 1000 && all; i++)
		all = p.insn[i].code == (BPF_LD | BPF_IMM) && p.insn[i].k == i;
	ok(all && p.len == 1000 && p.cap >= 1000, "bpf_prog_push keeps 1000 instructions in order");
	bpf_prog_free(&p);
	ok(p.insn == NULL && p.len == 0 && p.cap == 0, "bpf_prog_free resets the buffer");
}

int main(void)
{
	probe_seccomp();
	test_check_sizes();
	test_check_opcodes();
	test_check_rules();
	test_run_table();
	test_run_vs_kernel();
	test_action_names();
	test_disasm();
	test_prog_buffer();
	return tap_done();
}
