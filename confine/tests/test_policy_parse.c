// SPDX-License-Identifier: GPL-3.0-only
/*
 * The policy parser (policy_parse.c, policy_consts.c) against the language
 * of docs/formats.md: one table of accepted lines, each with the rule it must
 * produce, one table of rejected inputs, each with the exact
 * "FILE:LINE:COL: message" it must give (and an empty policy), the symbolic
 * constants against the kernel ABI numbers, and whole files exercising
 * comments, blank lines, CRLF, directives, line numbers and texts that are
 * not NUL-terminated. User and group names go through our own resolvers so
 * that nothing depends on /etc.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "tap.h"

#define SRC "t.src"

/* long tokens, spelled out so that the tables stay static */
#define NAME63 "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678"
#define NAME64 NAME63 "9"
#define Z16 "0000000000000000"
#define TOK127 Z16 Z16 Z16 Z16 Z16 Z16 Z16 "00000000000000" "7"
#define TOK128 TOK127 "1"
#define ACCT32 "abcdefghijklmnopqrstuvwxyz012345"
#define ACCT33 ACCT32 "6"

_Static_assert(sizeof(NAME63) == 64, "NAME63 is 63 characters");
_Static_assert(sizeof(TOK127) == 128, "TOK127 is 127 characters");
_Static_assert(sizeof(ACCT32) == 33, "ACCT32 is 32 characters");

/* ---- name resolution without /etc */

struct account {
	const char *name;
	uint32_t id;
};

static const struct account users[] = {
	{ "root", 0 }, { "snapd", 584 }, { "_apt", 105 }, { "systemd-network", 100 }, { ACCT32, 4000000000u },
};

static const struct account groups[] = {
	{ "root", 0 },
	{ "snapd", 584 },
	{ "adm", 4 },
};

static char last_user[64], last_group[64];
static unsigned user_calls, group_calls;

static int lookup(const struct account *tab, size_t n, const char *name, uint32_t *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(tab[i].name, name)) {
			*id = tab[i].id;
			return 0;
		}
	return -1;
}

static int test_user(const char *name, uint32_t *id)
{
	user_calls++;
	snprintf(last_user, sizeof(last_user), "%s", name);
	return lookup(users, sizeof(users) / sizeof(users[0]), name, id);
}

static int test_group(const char *name, uint32_t *id)
{
	group_calls++;
	snprintf(last_group, sizeof(last_group), "%s", name);
	return lookup(groups, sizeof(groups) / sizeof(groups[0]), name, id);
}

static const struct policy_parse_opts test_opts = { .resolve_user = test_user, .resolve_group = test_group };

/* ---- helpers */

static const char *op_name(unsigned op)
{
	static const char *const names[] = { "EQ", "NE", "LT", "LE", "GT", "GE", "MASKED_EQ" };

	return op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

static bool policy_is_empty(const struct policy *p)
{
	return p->nrules == 0 && p->rules == NULL && p->cap == 0 && p->lines == 0 && !p->unrestricted &&
	       !p->complain;
}

static bool cond_equal(const struct policy_cond *a, const struct policy_cond *b)
{
	return a->arg == b->arg && a->op == b->op && a->value == b->value && a->mask == b->mask;
}

static void dump_rule(const char *what, const struct policy_rule *r)
{
	unsigned i;

	diag("%s: %s%s ncond=%u line=%u", what, r->deny ? "~" : "", r->name, r->ncond, r->line);
	for (i = 0; i < r->ncond && i < POLICY_MAX_ARGS; i++)
		diag("  cond %u: arg=%u op=%s value=0x%llx mask=0x%llx", i, r->cond[i].arg, op_name(r->cond[i].op),
		     (unsigned long long)r->cond[i].value, (unsigned long long)r->cond[i].mask);
}

/* parse text that must be accepted; returns 0 and fills p, or -1 (and says why) */
static int parse_ok(const char *text, size_t len, const struct policy_parse_opts *opts, struct policy *p)
{
	struct diag err = { { 0 } };

	if (policy_parse(SRC, text, len, opts, p, &err)) {
		diag("unexpected error: %s", err.msg);
		return -1;
	}
	return 0;
}

static int parse_str(const char *text, const struct policy_parse_opts *opts, struct policy *p)
{
	return parse_ok(text, strlen(text), opts, p);
}

/* ---- accepted lines */

#define EQ(a, v) { .arg = (a), .op = CMP_EQ, .value = (v) }
#define NE(a, v) { .arg = (a), .op = CMP_NE, .value = (v) }
#define LT(a, v) { .arg = (a), .op = CMP_LT, .value = (v) }
#define LE(a, v) { .arg = (a), .op = CMP_LE, .value = (v) }
#define GT(a, v) { .arg = (a), .op = CMP_GT, .value = (v) }
#define GE(a, v) { .arg = (a), .op = CMP_GE, .value = (v) }
#define MEQ(a, m, v) { .arg = (a), .op = CMP_MASKED_EQ, .value = (v), .mask = (m) }
/* the uid/gid calls: every condition an equality on the low 32 bits */
#define ID(a, v) MEQ(a, 0xffffffffu, v)

struct good_case {
	const char *line;
	const char *name;
	bool deny;
	uint8_t ncond;
	struct policy_cond cond[POLICY_MAX_ARGS];
};

static const struct good_case good[] = {
	/* names, denial, trimming, separators */
	{ "read", "read", false, 0, { { 0 } } },
	{ "~ptrace", "ptrace", true, 0, { { 0 } } },
	{ "  \tgetpid \t ", "getpid", false, 0, { { 0 } } },
	{ "_llseek", "_llseek", false, 0, { { 0 } } },
	{ "~chown32", "chown32", true, 0, { { 0 } } },
	{ NAME63, NAME63, false, 0, { { 0 } } },
	{ "read\t1\v2\f3 \t 4", "read", false, 4, { EQ(0, 1), EQ(1, 2), EQ(2, 3), EQ(3, 4) } },
	{ "read 1\r", "read", false, 1, { EQ(0, 1) } },
	/* plain numbers: decimal only, as snapd reads them; a leading zero is still decimal */
	{ "write 1", "write", false, 1, { EQ(0, 1) } },
	{ "write 0", "write", false, 1, { EQ(0, 0) } },
	{ "write 00", "write", false, 1, { EQ(0, 0) } },
	{ "write 010", "write", false, 1, { EQ(0, 10) } },
	{ "write 017", "write", false, 1, { EQ(0, 17) } },
	{ "write 08", "write", false, 1, { EQ(0, 8) } },
	{ "write 0099", "write", false, 1, { EQ(0, 99) } },
	{ "write 4294967295", "write", false, 1, { EQ(0, 0xffffffffu) } },
	{ "write 0004294967295", "write", false, 1, { EQ(0, 0xffffffffu) } },
	{ "read " TOK127, "read", false, 1, { EQ(0, 7) } },
	/* each operator */
	{ "read >=5", "read", false, 1, { GE(0, 5) } },
	{ "read <=5", "read", false, 1, { LE(0, 5) } },
	{ "read !5", "read", false, 1, { NE(0, 5) } },
	{ "read <5", "read", false, 1, { LT(0, 5) } },
	{ "read >5", "read", false, 1, { GT(0, 5) } },
	{ "read |5", "read", false, 1, { MEQ(0, 5, 5) } },
	{ "read 255|16", "read", false, 1, { MEQ(0, 0xff, 0x10) } },
	{ "read 0255|016", "read", false, 1, { MEQ(0, 255, 16) } },
	{ "read 0|0", "read", false, 1, { MEQ(0, 0, 0) } },
	{ "read >=16 <=010 !0 <4294967295 >4294967294 |0100", "read", false, 6,
	  { GE(0, 16), LE(1, 10), NE(2, 0), LT(3, 0xffffffffu), GT(4, 0xfffffffeu), MEQ(5, 100, 100) } },
	/* operators on constants */
	{ "socket !AF_INET", "socket", false, 1, { NE(0, 2) } },
	{ "socket >=AF_INET6 <SOCK_RAW", "socket", false, 2, { GE(0, 10), LT(1, 3) } },
	{ "unshare |CLONE_NEWUSER", "unshare", false, 1, { MEQ(0, 0x10000000, 0x10000000) } },
	{ "mknod - |S_IFREG", "mknod", false, 1, { MEQ(1, 0100000, 0100000) } },
	{ "mknod - S_IFMT|S_IFCHR", "mknod", false, 1, { MEQ(1, 0170000, 0020000) } },
	{ "socket AF_INET 15|SOCK_STREAM", "socket", false, 2, { EQ(0, 2), MEQ(1, 0xf, 1) } },
	/* "-" gives no condition but moves on to the next argument */
	{ "kcmp - - KCMP_FILE", "kcmp", false, 1, { EQ(2, 0) } },
	{ "read - - - - - 5", "read", false, 1, { EQ(5, 5) } },
	{ "read - - - - - -", "read", false, 0, { { 0 } } },
	{ "read 1 - 3 - 5 -", "read", false, 3, { EQ(0, 1), EQ(2, 3), EQ(4, 5) } },
	{ "read 1 2 3 4 5 6", "read", false, 6, { EQ(0, 1), EQ(1, 2), EQ(2, 3), EQ(3, 4), EQ(4, 5), EQ(5, 6) } },
	/* symbolic constants of each family */
	{ "socket AF_UNIX SOCK_DGRAM", "socket", false, 2, { EQ(0, 1), EQ(1, 2) } },
	{ "socket PF_NETLINK SOCK_RAW NETLINK_AUDIT", "socket", false, 3, { EQ(0, 16), EQ(1, 3), EQ(2, 9) } },
	{ "socket AF_XDP", "socket", false, 1, { EQ(0, 44) } },
	{ "socket AF_QIPCRTR", "socket", false, 1, { EQ(0, 42) } },
	{ "socket AF_CONN", "socket", false, 1, { EQ(0, 123) } },
	{ "prctl PR_SET_NO_NEW_PRIVS", "prctl", false, 1, { EQ(0, 38) } },
	{ "prctl PR_CAP_AMBIENT PR_CAP_AMBIENT_RAISE", "prctl", false, 2, { EQ(0, 47), EQ(1, 2) } },
	{ "prctl PR_SET_MM PR_SET_MM_AUXV", "prctl", false, 2, { EQ(0, 35), EQ(1, 12) } },
	{ "setpriority PRIO_USER", "setpriority", false, 1, { EQ(0, 2) } },
	{ "~ioctl - TIOCSTI", "ioctl", true, 1, { EQ(1, 0x5412) } },
	{ "~ioctl - TIOCLINUX", "ioctl", true, 1, { EQ(1, 0x541c) } },
	{ "quotactl Q_GETQUOTA", "quotactl", false, 1, { EQ(0, 0x800007) } },
	{ "quotactl Q_XGETQSTAT", "quotactl", false, 1, { EQ(0, 0x5805) } },
	{ "ptrace PTRACE_ATTACH", "ptrace", false, 1, { EQ(0, 16) } },
	{ "ptrace PTRACE_SEIZE", "ptrace", false, 1, { EQ(0, 0x4206) } },
	{ "setns - CLONE_NEWNET", "setns", false, 1, { EQ(1, 0x40000000) } },
	/* comments */
	{ "read 1 # a trailing comment", "read", false, 1, { EQ(0, 1) } },
	{ "read 1#glued", "read", false, 1, { EQ(0, 1) } },
	{ "read # 1 2 3 4 5 6 7 8 bogus", "read", false, 0, { { 0 } } },
	/* users and groups (our resolvers): plain equality outside the uid/gid calls */
	{ "read u:snapd", "read", false, 1, { EQ(0, 584) } },
	{ "read g:adm", "read", false, 1, { EQ(0, 4) } },
	{ "read u:_apt u:systemd-network u:" ACCT32, "read", false, 3,
	  { EQ(0, 105), EQ(1, 100), EQ(2, 4000000000u) } },
	/* the uid/gid calls: negatives, masked equality on the low 32 bits */
	{ "setuid -1", "setuid", false, 1, { ID(0, 0xffffffffu) } },
	{ "setuid 0", "setuid", false, 1, { ID(0, 0) } },
	{ "setuid -0", "setuid", false, 1, { ID(0, 0) } },
	{ "setgid -2147483648", "setgid", false, 1, { ID(0, 0x80000000u) } },
	{ "setgid -16", "setgid", false, 1, { ID(0, 0xfffffff0u) } },
	{ "setgid -010", "setgid", false, 1, { ID(0, 0xfffffff6u) } },
	/* snapd reads these calls' numbers with ParseInt when ParseUint fails: an explicit + too */
	{ "setuid +5", "setuid", false, 1, { ID(0, 5) } },
	{ "setuid +0", "setuid", false, 1, { ID(0, 0) } },
	{ "chown - +2147483647 +010", "chown", false, 2, { ID(1, 0x7fffffffu), ID(2, 10) } },
	{ "setresuid -1 -1 1000", "setresuid", false, 3, { ID(0, 0xffffffffu), ID(1, 0xffffffffu), ID(2, 1000) } },
	{ "chown - 4294967295 -1", "chown", false, 2, { ID(1, 0xffffffffu), ID(2, 0xffffffffu) } },
	{ "fchown - u:snapd g:root", "fchown", false, 2, { ID(1, 584), ID(2, 0) } },
	{ "lchown32 - u:root g:snapd", "lchown32", false, 2, { ID(1, 0), ID(2, 584) } },
	{ "~setuid 0", "setuid", true, 1, { ID(0, 0) } },
	{ "setreuid AF_INET -", "setreuid", false, 1, { ID(0, 2) } },
	{ "setuid32 -", "setuid32", false, 0, { { 0 } } },
	{ "fchownat - - -1 -1 -", "fchownat", false, 2, { ID(2, 0xffffffffu), ID(3, 0xffffffffu) } },
	{ "copy_file_range - - - - - 0", "copy_file_range", false, 1, { ID(5, 0) } },
};

static void test_good_lines(void)
{
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good_case *g = &good[i];
		struct policy p;
		bool match = false;

		if (parse_str(g->line, &test_opts, &p) == 0) {
			const struct policy_rule *r = p.rules;
			unsigned c;

			match = p.nrules == 1 && p.lines == 1 && !p.unrestricted && !p.complain &&
				!strcmp(r->name, g->name) && r->deny == g->deny && r->ncond == g->ncond && r->line == 1;
			for (c = 0; match && c < g->ncond; c++)
				match = cond_equal(&r->cond[c], &g->cond[c]);
			if (!match && p.nrules == 1) {
				struct policy_rule want = { .deny = g->deny, .ncond = g->ncond, .line = 1 };

				snprintf(want.name, sizeof(want.name), "%s", g->name);
				memcpy(want.cond, g->cond, sizeof(want.cond));
				dump_rule("got", r);
				dump_rule("want", &want);
			}
			policy_free(&p);
		}
		ok(match, "accepted: '%s'", g->line);
	}
}

/* ---- rejected inputs */

struct bad_case {
	const char *text;
	size_t len; /* 0: strlen(text) */
	const char *msg;
};

#define BAD(t, m) { (t), 0, SRC ":" m }
#define BADN(t, m) { (t), sizeof(t) - 1, SRC ":" m }

static const struct bad_case bad[] = {
	/* NUL bytes, also in a comment */
	BADN("read\nwr\0ite\n", "2:3: NUL byte in the policy"),
	BADN("# c\0mment\n", "1:4: NUL byte in the policy"),
	/* token length */
	BAD("read " TOK128, "1:6: token of 128 bytes is too long"),
	BAD("  " TOK128 "9", "1:3: token of 129 bytes is too long"),
	/* directives */
	BAD("@foo", "1:1: unknown directive '@foo' (known: @unrestricted, @complain)"),
	BAD("read\n  @Complain", "2:3: unknown directive '@Complain' (known: @unrestricted, @complain)"),
	BAD("@complain yes", "1:11: directive '@complain' takes no arguments"),
	BAD("@unrestricted\t\tx # c", "1:16: directive '@unrestricted' takes no arguments"),
	/* syscall names */
	BAD("~", "1:1: '~' must be followed by a syscall name"),
	BAD("read\n\n  ~ read", "3:3: '~' must be followed by a syscall name"),
	BAD("Read", "1:1: invalid syscall name 'Read' (lower-case letters, digits and _)"),
	BAD(" ~open-at 1", "1:2: invalid syscall name 'open-at' (lower-case letters, digits and _)"),
	BAD("~~read", "1:1: invalid syscall name '~read' (lower-case letters, digits and _)"),
	BAD("- 1", "1:1: invalid syscall name '-' (lower-case letters, digits and _)"),
	BAD(NAME64, "1:1: invalid syscall name '" NAME64 "' (lower-case letters, digits and _)"),
	/* argument count */
	BAD("read 1 2 3 4 5 6 7", "1:18: too many arguments: a rule takes at most 6"),
	BAD("read - - - - - - -", "1:18: too many arguments: a rule takes at most 6"),
	/* operators without a value */
	BAD("read >=", "1:6: missing value after '>='"),
	BAD("read 1 <=", "1:8: missing value after '<='"),
	BAD("read !", "1:6: missing value after '!'"),
	BAD("read - <", "1:8: missing value after '<'"),
	BAD("read >", "1:6: missing value after '>'"),
	BAD("read |", "1:6: missing value in '|'"),
	BAD("read 5|", "1:6: missing value in '5|'"),
	/* constants */
	BAD("read AF-INET", "1:6: malformed constant 'AF-INET' in 'AF-INET'"),
	BAD("read >=AF_INET.", "1:6: malformed constant 'AF_INET.' in '>=AF_INET.'"),
	BAD("read u:root|1", "1:6: malformed constant 'u:root' in 'u:root|1'"),
	BAD("socket AF_NOPE", "1:8: unknown constant 'AF_NOPE'"),
	BAD("socket af_inet", "1:8: unknown constant 'af_inet'"),
	BAD("read |FOO_BAR", "1:6: unknown constant 'FOO_BAR'"),
	BAD("read 1|NOPE", "1:6: unknown constant 'NOPE'"),
	/* numbers */
	BAD("read 0x10", "1:6: malformed number '0x10': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("setpriority 0x0", "1:13: malformed number '0x0': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("read 0x", "1:6: malformed number '0x': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("read >0X1f", "1:6: malformed number '0X1f': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("read 255|0xff", "1:6: malformed number '0xff': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("read 12a", "1:6: malformed number '12a': 'a' is not a decimal digit"),
	BAD("read 1_000", "1:6: malformed number '1_000': '_' is not a decimal digit"),
	BAD("read 0-10", "1:6: malformed number '0-10': '-' is not a decimal digit"),
	BAD("read +1", "1:6: malformed number '+1' in '+1'"),
	BAD("read @x", "1:6: malformed number '@x' in '@x'"),
	BAD("read !-1", "1:6: malformed number '-1' in '!-1'"),
	BAD("read 4294967296", "1:6: number '4294967296' out of range (0..4294967295)"),
	BAD("read 037777777777", "1:6: number '037777777777' out of range (0..4294967295)"),
	BAD("read 04294967296", "1:6: number '04294967296' out of range (0..4294967295)"),
	BAD("read <99999999999999999999999", "1:6: number '99999999999999999999999' out of range (0..4294967295)"),
	/* masks */
	BAD("read 1|2|3", "1:6: malformed mask '1|2|3': more than one '|'"),
	BAD("read ||", "1:6: malformed mask '||': more than one '|'"),
	/* users and groups */
	BAD("read u:Root", "1:6: invalid user name 'Root'"),
	BAD("read g:", "1:6: invalid group name ''"),
	BAD("read u:9lives", "1:6: invalid user name '9lives'"),
	BAD("read u:a.b", "1:6: invalid user name 'a.b'"),
	BAD("read g:" ACCT33, "1:6: invalid group name '" ACCT33 "'"),
	BAD("chown - u:nobody", "1:9: unknown user 'nobody'"),
	BAD("read g:wheel", "1:6: unknown group 'wheel'"),
	/* negative numbers */
	BAD("read -1", "1:6: negative number '-1': only the uid/gid calls (chown, setuid...) take them"),
	BAD("~socket - -5", "1:11: negative number '-5': only the uid/gid calls (chown, setuid...) take them"),
	BAD("setuid -2147483649", "1:8: number '-2147483649' out of range (-2147483648..-1)"),
	BAD("setuid -4294967296", "1:8: number '-4294967296' out of range (-2147483648..-1)"),
	BAD("setuid -0x10", "1:8: malformed number '-0x10': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("setuid -1a", "1:8: malformed number '-1a': 'a' is not a decimal digit"),
	BAD("chown - -04294967295", "1:9: number '-04294967295' out of range (-2147483648..-1)"),
	BAD("setuid --1", "1:8: malformed number '--1'"),
	/* a + sign: only for the uid/gid calls (ParseInt), and then int32's range */
	BAD("setuid +2147483648", "1:8: number '+2147483648' out of range (+0..+2147483647)"),
	BAD("setuid +", "1:8: malformed number '+'"),
	BAD("setuid +-1", "1:8: malformed number '+-1'"),
	BAD("setuid +0x1", "1:8: malformed number '+0x1': numbers are decimal (no 0x hex, as in snapd)"),
	BAD("~socket - +5", "1:11: malformed number '+5' in '+5'"),
	BAD("setuid -x", "1:8: malformed number '-x'"),
	/* only equality for the uid/gid calls */
	BAD("setuid >=0", "1:8: '>=0': only equality is allowed in the arguments of setuid"),
	BAD("~setresuid - !0", "1:14: '!0': only equality is allowed in the arguments of setresuid"),
	BAD("chown - 1|1", "1:9: '1|1': only equality is allowed in the arguments of chown"),
	BAD("setgid |1", "1:8: '|1': only equality is allowed in the arguments of setgid"),
	BAD("copy_file_range <5", "1:17: '<5': only equality is allowed in the arguments of copy_file_range"),
	/* errors after earlier lines: line numbers, and everything before is dropped */
	BAD("@complain\n@unrestricted\nread\nwrite 1\n~\n", "5:1: '~' must be followed by a syscall name"),
	BAD("read\r\nwrite\r\nbad!\r\n", "3:1: invalid syscall name 'bad!' (lower-case letters, digits and _)"),
	BAD("# a\n\n   # b\nread\n  x y:z\n", "5:5: malformed constant 'y:z' in 'y:z'"),
};

static void test_bad_inputs(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_case *b = &bad[i];
		size_t len = b->len ? b->len : strlen(b->text);
		struct diag err = { { 0 } };
		struct policy p;
		int rc;

		rc = policy_parse(SRC, b->text, len, &test_opts, &p, &err);
		if (rc == -1 && strcmp(err.msg, b->msg))
			diag("got  '%s'\n# want '%s'", err.msg, b->msg);
		if (rc == 0) {
			diag("accepted, %zu rules", p.nrules);
			policy_free(&p);
		} else if (!policy_is_empty(&p)) {
			diag("policy not empty after the error: %zu rules", p.nrules);
		}
		ok(rc == -1 && !strcmp(err.msg, b->msg) && policy_is_empty(&p), "rejected: %s", b->msg);
	}
}

/* ---- the symbolic constants, with the kernel's ABI numbers */

static const struct {
	const char *name;
	uint64_t value;
} consts[] = {
	{ "AF_UNSPEC", 0 },
	{ "AF_UNIX", 1 },
	{ "AF_LOCAL", 1 },
	{ "AF_INET", 2 },
	{ "AF_INET6", 10 },
	{ "PF_INET6", 10 },
	{ "AF_NETLINK", 16 },
	{ "AF_PACKET", 17 },
	{ "AF_KCM", 41 },
	{ "AF_QIPCRTR", 42 },
	{ "PF_QIPCRTR", 42 },
	{ "AF_SMC", 43 },
	{ "AF_XDP", 44 },
	{ "PF_XDP", 44 },
	{ "AF_MCTP", 45 },
	{ "AF_CONN", 123 },
	{ "PF_CONN", 123 },
	{ "PF_DECnet", 12 },
	{ "SOCK_STREAM", 1 },
	{ "SOCK_PACKET", 10 },
	{ "PR_SET_SECCOMP", 22 },
	{ "PR_SET_NO_NEW_PRIVS", 38 },
	{ "PR_CAP_AMBIENT", 47 },
	{ "PR_SET_PTRACER", 0x59616d61 },
	{ "PR_GET_IO_FLUSHER", 58 },
	{ "PR_CAP_AMBIENT_IS_SET", 1 },
	{ "PR_CAP_AMBIENT_CLEAR_ALL", 4 },
	{ "PR_SET_MM_START_CODE", 1 },
	{ "PR_SET_MM_EXE_FILE", 13 },
	{ "PRIO_PROCESS", 0 },
	{ "CLONE_NEWNS", 0x00020000 },
	{ "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWTIME", 0x00000080 },
	{ "CLONE_NEWCGROUP", 0x02000000 },
	{ "TIOCSTI", 0x5412 },
	{ "TIOCLINUX", 0x541c },
	{ "Q_SYNC", 0x800001 },
	{ "Q_XQUOTARM", 0x5806 },
	{ "S_IFMT", 0170000 },
	{ "S_IFREG", 0100000 },
	{ "NETLINK_AUDIT", 9 },
	{ "NETLINK_KOBJECT_UEVENT", 15 },
	{ "NETLINK_SMC", 22 },
	{ "PTRACE_TRACEME", 0 },
	{ "PTRACE_ATTACH", 16 },
	{ "PTRACE_GET_SYSCALL_INFO", 0x420e },
	{ "KCMP_FILE", 0 },
	{ "KCMP_EPOLL_TFD", 7 },
};

static void test_constants(void)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		int rc;

		v = ~0ull;
		rc = policy_constant(consts[i].name, &v);
		ok(rc == 0 && v == consts[i].value, "%s == %llu (got %d, %llu)", consts[i].name,
		   (unsigned long long)consts[i].value, rc, (unsigned long long)v);
	}
	ok(policy_constant("AF_NOPE", &v) == -1, "unknown constant AF_NOPE");
	ok(policy_constant("af_inet", &v) == -1, "constants are case-sensitive");
	ok(policy_constant("AF_INET ", &v) == -1, "constants match exactly");
	ok(policy_constant("", &v) == -1, "the empty name is no constant");
}

static void test_negative_ids(void)
{
	static const char *const yes[] = {
		"chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32",
		"setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32", "setregid",
		"setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32", "copy_file_range",
	};
	static const char *const no[] = { "read", "getuid", "setfsuid", "setgroups", "", "setuid ", "Setuid" };
	bool all = true;
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!policy_syscall_takes_negative_ids(yes[i])) {
			diag("%s should take negative ids", yes[i]);
			all = false;
		}
	ok(all, "the %zu uid/gid calls take negative ids", sizeof(yes) / sizeof(yes[0]));
	all = true;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (policy_syscall_takes_negative_ids(no[i])) {
			diag("'%s' should not take negative ids", no[i]);
			all = false;
		}
	ok(all, "other names, near misses included, take none");
}

/* ---- whole files */

static void test_file(void)
{
	static const char text[] = "# leading comment\n"
				   "\n"
				   "   \t \n"
				   "@complain\n"
				   "read\r\n"
				   "  # indented comment\n"
				   "write 1 # trailing\r\n"
				   "\r\n"
				   "@unrestricted # trailing on a directive\n"
				   "~ptrace PTRACE_ATTACH\n"
				   "close";
	static const struct {
		const char *name;
		unsigned line;
		bool deny;
		uint8_t ncond;
	} want[] = {
		{ "read", 5, false, 0 },
		{ "write", 7, false, 1 },
		{ "ptrace", 10, true, 1 },
		{ "close", 11, false, 0 },
	};
	struct policy p;
	size_t i;

	if (parse_ok(text, sizeof(text) - 1, &test_opts, &p)) {
		ok(false, "a file with comments, blank lines, CRLF and directives parses");
		skip(4 + sizeof(want) / sizeof(want[0]), "the file did not parse");
		return;
	}
	ok(true, "a file with comments, blank lines, CRLF and directives parses");
	ok(p.lines == 11, "11 lines read, the last without a newline (got %u)", p.lines);
	ok(p.complain && p.unrestricted, "@complain and @unrestricted both set");
	ok(p.nrules == 4, "4 rules (got %zu)", p.nrules);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ok(i < p.nrules && !strcmp(p.rules[i].name, want[i].name) && p.rules[i].line == want[i].line &&
			   p.rules[i].deny == want[i].deny && p.rules[i].ncond == want[i].ncond,
		   "rule %zu: %s%s on line %u", i, want[i].deny ? "~" : "", want[i].name, want[i].line);
	ok(p.nrules >= 3 && p.rules[2].cond[0].arg == 0 && p.rules[2].cond[0].op == CMP_EQ &&
		   p.rules[2].cond[0].value == 16,
	   "~ptrace PTRACE_ATTACH: arg 0 == 16");
	policy_free(&p);
	ok(policy_is_empty(&p), "policy_free leaves an empty policy");
}

static void test_directives(void)
{
	struct policy p;

	if (!parse_str("read\n", &test_opts, &p)) {
		ok(!p.unrestricted && !p.complain, "no directive: neither flag set");
		policy_free(&p);
	} else {
		ok(false, "no directive: neither flag set");
	}
	if (!parse_str("read\nwrite\n  @unrestricted  \nclose\n", &test_opts, &p)) {
		ok(p.unrestricted && !p.complain && p.nrules == 3 && p.lines == 4,
		   "@unrestricted between rules, indented: flag set, rules kept");
		policy_free(&p);
	} else {
		ok(false, "@unrestricted between rules");
	}
	if (!parse_str("read\n@complain", &test_opts, &p)) {
		ok(!p.unrestricted && p.complain && p.nrules == 1 && p.lines == 2,
		   "@complain on the last line without a newline");
		policy_free(&p);
	} else {
		ok(false, "@complain on the last line without a newline");
	}
	if (!parse_str("@complain\n@complain\n", &test_opts, &p)) {
		ok(p.complain && p.nrules == 0 && p.lines == 2, "a repeated directive is accepted, no rules");
		policy_free(&p);
	} else {
		ok(false, "a repeated directive is accepted");
	}
}

static void test_line_counts(void)
{
	static const struct {
		const char *text;
		unsigned lines;
		size_t nrules;
	} cases[] = {
		{ "", 0, 0 },	     { "\n", 1, 0 },	       { "read", 1, 1 },
		{ "read\n", 1, 1 },   { "read\n\n", 2, 1 },   { "\r\n\r\nread", 3, 1 },
		{ "# a\n# b\n# c", 3, 0 }, { "a\nb\nc\n", 3, 3 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;

		if (parse_str(cases[i].text, &test_opts, &p)) {
			ok(false, "line count of text %zu", i);
			continue;
		}
		ok(p.lines == cases[i].lines && p.nrules == cases[i].nrules && (p.nrules || !p.rules),
		   "text %zu: %u lines, %zu rules (got %u, %zu)", i, cases[i].lines, cases[i].nrules, p.lines,
		   p.nrules);
		policy_free(&p);
	}
}

/* rule lines are numbered across comments and blank lines; many rules grow the array */
static void test_many_rules(void)
{
	enum { N = 300 };
	size_t size = N * 32, len = 0, i;
	char *text = malloc(size);
	struct policy p;
	bool lines_ok = true;

	if (!text) {
		skip(3, "out of memory");
		return;
	}
	for (i = 0; i < N; i++) {
		if (i % 3 == 1)
			len += (size_t)snprintf(text + len, size - len, "# comment %zu\n", i);
		else if (i % 3 == 2)
			len += (size_t)snprintf(text + len, size - len, "\n");
		else
			len += (size_t)snprintf(text + len, size - len, "read %zu\n", i);
	}
	if (parse_ok(text, len, &test_opts, &p)) {
		ok(false, "%d lines parse", N);
		skip(2, "did not parse");
		free(text);
		return;
	}
	ok(p.nrules == N / 3 && p.lines == N, "%d lines, %d rules (got %u, %zu)", N, N / 3, p.lines, p.nrules);
	for (i = 0; i < p.nrules; i++)
		if (p.rules[i].line != 3 * i + 1 || p.rules[i].ncond != 1 || p.rules[i].cond[0].value != 3 * i)
			lines_ok = false;
	ok(lines_ok, "every rule carries its own line number and value");
	ok(p.nrules > 0 && p.rules[p.nrules - 1].line == N - 2, "the last rule is on line %d", N - 2);
	policy_free(&p);
	free(text);
}

/* the text is len bytes, not a C string: nothing past len is read */
static void test_not_terminated(void)
{
	static const char src[] = "socket AF_INET6 SOCK_STREAM";
	static const char two[] = "read 12345\nwrite";
	char *exact = malloc(sizeof(src) - 1);
	struct policy p;

	if (!exact) {
		skip(4, "out of memory");
		return;
	}
	/* an exact-size heap copy: ASan catches any read past the end */
	memcpy(exact, src, sizeof(src) - 1);
	if (!parse_ok(exact, sizeof(src) - 1, &test_opts, &p)) {
		ok(p.nrules == 1 && p.rules[0].ncond == 2 && p.rules[0].cond[0].value == 10 &&
			   p.rules[0].cond[1].value == 1,
		   "an unterminated buffer of exactly the text's size");
		policy_free(&p);
	} else {
		ok(false, "an unterminated buffer of exactly the text's size");
	}
	/* stops inside the last token: "socket AF_INE" */
	{
		struct diag err = { { 0 } };

		ok(policy_parse(SRC, exact, 13, &test_opts, &p, &err) == -1 &&
			   !strcmp(err.msg, SRC ":1:8: unknown constant 'AF_INE'"),
		   "a length that cuts a token: only len bytes are seen ('%s')", err.msg);
	}
	free(exact);
	if (!parse_ok(two, 7, &test_opts, &p)) {
		ok(p.nrules == 1 && p.lines == 1 && p.rules[0].cond[0].value == 12, "len 7 of 'read 12345': 'read 12'");
		policy_free(&p);
	} else {
		ok(false, "len 7 of 'read 12345'");
	}
	if (!parse_ok(two, 11, &test_opts, &p)) {
		ok(p.nrules == 1 && p.lines == 1 && p.rules[0].cond[0].value == 12345,
		   "len up to the newline: one line, the rest unseen");
		policy_free(&p);
	} else {
		ok(false, "len up to the newline");
	}
}

static void test_resolvers(void)
{
	struct policy_parse_opts no_callbacks = { 0 };
	struct diag err = { { 0 } };
	struct policy p;
	unsigned u, g;

	u = user_calls;
	g = group_calls;
	if (!parse_str("fchown - u:snapd g:adm", &test_opts, &p)) {
		ok(user_calls == u + 1 && !strcmp(last_user, "snapd"), "resolve_user called once with 'snapd'");
		ok(group_calls == g + 1 && !strcmp(last_group, "adm"), "resolve_group called once with 'adm'");
		policy_free(&p);
	} else {
		skip(2, "did not parse");
	}
	u = user_calls;
	ok(policy_parse(SRC, "read u:Bad", 10, &test_opts, &p, &err) == -1 && user_calls == u,
	   "an invalid name is refused before the resolver is asked");

	/* opts NULL, and opts without callbacks: the built-in root */
	if (!parse_str("setuid u:root", NULL, &p)) {
		ok(p.nrules == 1 && p.rules[0].ncond == 1 && p.rules[0].cond[0].op == CMP_MASKED_EQ &&
			   p.rules[0].cond[0].mask == 0xffffffffu && p.rules[0].cond[0].value == 0,
		   "opts NULL: setuid u:root is uid 0, masked");
		policy_free(&p);
	} else {
		ok(false, "opts NULL: setuid u:root");
	}
	if (!parse_str("read u:root g:root", &no_callbacks, &p)) {
		ok(p.nrules == 1 && p.rules[0].ncond == 2 && p.rules[0].cond[0].op == CMP_EQ &&
			   p.rules[0].cond[0].value == 0 && p.rules[0].cond[1].arg == 1 &&
			   p.rules[0].cond[1].value == 0,
		   "no callbacks: read u:root g:root is 0, 0");
		policy_free(&p);
	} else {
		ok(false, "no callbacks: read u:root g:root");
	}
}

static void test_file_name(void)
{
	struct diag err = { { 0 } };
	struct policy p;

	ok(policy_parse("/var/lib/snapd/seccomp/bpf/snap.x.y.src", "read\n\tbogus!", 12, NULL, &p, &err) == -1 &&
		   !strcmp(err.msg, "/var/lib/snapd/seccomp/bpf/snap.x.y.src:2:2: invalid syscall name 'bogus!' "
				    "(lower-case letters, digits and _)"),
	   "the message names the file given ('%s')", err.msg);
}

int main(void)
{
	test_good_lines();
	test_bad_inputs();
	test_constants();
	test_negative_ids();
	test_file();
	test_directives();
	test_line_counts();
	test_many_rules();
	test_not_terminated();
	test_resolvers();
	test_file_name();
	return tap_done();
}
