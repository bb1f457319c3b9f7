// SPDX-License-Identifier: GPL-3.0-only
/* Disassembler and action names for seccomp programs (bpf.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bpf.h"
#include "seccomp_compat.h"


const char *seccomp_action_name(uint32_t action, char *buf, size_t len)
{
	uint32_t data = action & SECCOMP_RET_DATA;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		snprintf(buf, len, "KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		snprintf(buf, len, "KILL_THREAD");
		break;
	case SECCOMP_RET_TRAP:
		snprintf(buf, len, "TRAP(%u)", data);
		break;
	case SECCOMP_RET_ERRNO:
		snprintf(buf, len, "ERRNO(%u)", data);
		break;
	case SECCOMP_RET_USER_NOTIF:
		snprintf(buf, len, "USER_NOTIF");
		break;
	case SECCOMP_RET_TRACE:
		snprintf(buf, len, "TRACE(%u)", data);
		break;
	case SECCOMP_RET_LOG:
		snprintf(buf, len, "LOG");
		break;
	case SECCOMP_RET_ALLOW:
		snprintf(buf, len, "ALLOW");
		break;
	default:
		snprintf(buf, len, "0x%08x", action);
		break;
	}
	return buf;
}

static const struct {
	const char *name;
	uint32_t action;
} plain_actions[] = {
	{ "ALLOW", SECCOMP_RET_ALLOW },
	{ "LOG", SECCOMP_RET_LOG },
	{ "KILL_PROCESS", SECCOMP_RET_KILL_PROCESS },
	{ "KILL-PROCESS", SECCOMP_RET_KILL_PROCESS },
	{ "KILL_THREAD", SECCOMP_RET_KILL_THREAD },
	{ "KILL-THREAD", SECCOMP_RET_KILL_THREAD },
	{ "KILL", SECCOMP_RET_KILL_THREAD },
	{ "USER_NOTIF", SECCOMP_RET_USER_NOTIF },
	{ "EPERM", SECCOMP_RET_ERRNO | EPERM },
	{ "EACCES", SECCOMP_RET_ERRNO | EACCES },
	{ "ENOSYS", SECCOMP_RET_ERRNO | ENOSYS },
};

int seccomp_action_parse(const char *s, uint32_t *action)
{
	static const struct {
		const char *prefix;
		uint32_t base;
	} with_data[] = { { "ERRNO(", SECCOMP_RET_ERRNO }, { "TRAP(", SECCOMP_RET_TRAP }, { "TRACE(", SECCOMP_RET_TRACE } };
	size_t i;

	for (i = 0; i < sizeof(plain_actions) / sizeof(plain_actions[0]); i++)
		if (!strcasecmp(s, plain_actions[i].name)) {
			*action = plain_actions[i].action;
			return 0;
		}
	for (i = 0; i < sizeof(with_data) / sizeof(with_data[0]); i++) {
		size_t pl = strlen(with_data[i].prefix);
		unsigned long v;
		char *end;

		if (strncasecmp(s, with_data[i].prefix, pl) || !isdigit((unsigned char)s[pl]))
			continue;
		errno = 0;
		v = strtoul(s + pl, &end, 10);
		if (errno || v > SECCOMP_RET_DATA || strcmp(end, ")"))
			return -1;
		*action = with_data[i].base | (uint32_t)v;
		return 0;
	}
	return -1;
}

/* what a load offset means in struct seccomp_data (little-endian words) */
static void field_name(uint32_t k, char *buf, size_t len)
{
	if (k == 0)
		snprintf(buf, len, "nr");
	else if (k == 4)
		snprintf(buf, len, "arch");
	else if (k == 8 || k == 12)
		snprintf(buf, len, "ip.%s", k == 8 ? "lo" : "hi");
	else if (k >= 16 && k < 64)
		snprintf(buf, len, "args[%u].%s", (k - 16) / 8, ((k - 16) % 8) ? "hi" : "lo");
	else
		snprintf(buf, len, "?");
}

static const char *alu_name(uint16_t op)
{
	switch (op) {
	case BPF_ADD:
		return "add";
	case BPF_SUB:
		return "sub";
	case BPF_MUL:
		return "mul";
	case BPF_DIV:
		return "div";
	case BPF_AND:
		return "and";
	case BPF_OR:
		return "or";
	case BPF_XOR:
		return "xor";
	case BPF_LSH:
		return "lsh";
	case BPF_RSH:
		return "rsh";
	case BPF_NEG:
		return "neg";
	default:
		return "alu?";
	}
}

static const char *jmp_name(uint16_t op)
{
	switch (op) {
	case BPF_JEQ:
		return "jeq";
	case BPF_JGT:
		return "jgt";
	case BPF_JGE:
		return "jge";
	case BPF_JSET:
		return "jset";
	default:
		return "j?";
	}
}

void bpf_disasm(FILE *out, const struct sock_filter *f, size_t n)
{
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct sock_filter *s = &f[i];
		const char *src = BPF_SRC(s->code) == BPF_X ? "x" : NULL;

		fprintf(out, "%5zu: ", i);
		switch (BPF_CLASS(s->code)) {
		case BPF_LD:
		case BPF_LDX: {
			const char *reg = BPF_CLASS(s->code) == BPF_LD ? "ld" : "ldx";

			switch (BPF_MODE(s->code)) {
			case BPF_ABS:
				field_name(s->k, buf, sizeof(buf));
				fprintf(out, "%s [%u]\t\t; %s\n", reg, s->k, buf);
				break;
			case BPF_LEN:
				fprintf(out, "%s #len\n", reg);
				break;
			case BPF_IMM:
				fprintf(out, "%s #0x%x\n", reg, s->k);
				break;
			case BPF_MEM:
				fprintf(out, "%s M[%u]\n", reg, s->k);
				break;
			default:
				fprintf(out, "%s ? (0x%04x)\n", reg, s->code);
				break;
			}
			break;
		}
		case BPF_ST:
			fprintf(out, "st M[%u]\n", s->k);
			break;
		case BPF_STX:
			fprintf(out, "stx M[%u]\n", s->k);
			break;
		case BPF_ALU:
			if (BPF_OP(s->code) == BPF_NEG)
				fprintf(out, "neg\n");
			else if (src)
				fprintf(out, "%s x\n", alu_name(BPF_OP(s->code)));
			else
				fprintf(out, "%s #0x%x\n", alu_name(BPF_OP(s->code)), s->k);
			break;
		case BPF_JMP:
			if (BPF_OP(s->code) == BPF_JA)
				fprintf(out, "ja %zu\n", i + 1 + s->k);
			else if (src)
				fprintf(out, "%s x, %zu, %zu\n", jmp_name(BPF_OP(s->code)), i + 1 + s->jt,
					i + 1 + s->jf);
			else
				fprintf(out, "%s #0x%x, %zu, %zu\n", jmp_name(BPF_OP(s->code)), s->k, i + 1 + s->jt,
					i + 1 + s->jf);
			break;
		case BPF_RET:
			if (BPF_RVAL(s->code) == BPF_A)
				fprintf(out, "ret a\n");
			else
				fprintf(out, "ret %s\n", seccomp_action_name(s->k, buf, sizeof(buf)));
			break;
		case BPF_MISC:
			fprintf(out, "%s\n", BPF_MISCOP(s->code) == BPF_TAX ? "tax" : "txa");
			break;
		default:
			fprintf(out, "? 0x%04x\n", s->code);
			break;
		}
	}
}
