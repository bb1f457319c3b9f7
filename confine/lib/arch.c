// SPDX-License-Identifier: GPL-3.0-only
/* Architectures and the boards' target sets (arch.h). */
#include <stdio.h>
#include <string.h>

#include "arch.h"

static const struct arch_info arch_x86_64 = {
	.name = "x86_64", .audit = ARCH_AUDIT_X86_64, .bits = 64, .x32_bit = true,
};
static const struct arch_info arch_x86 = {
	.name = "x86", .audit = ARCH_AUDIT_I386, .bits = 32,
};
static const struct arch_info arch_aarch64 = {
	.name = "aarch64", .audit = ARCH_AUDIT_AARCH64, .bits = 64,
};
/* the ARM-private calls (cacheflush, set_tls...) live at 0x0f0000 + n */
static const struct arch_info arch_arm = {
	.name = "arm", .audit = ARCH_AUDIT_ARM, .bits = 32, .private_lo = 0x0f0000, .private_hi = 0x0f07ff,
};

const struct arch_info *const arch_all[] = { &arch_x86_64, &arch_x86, &arch_aarch64, &arch_arm };
const size_t arch_count = sizeof(arch_all) / sizeof(arch_all[0]);

static const struct {
	const char *alias;
	const struct arch_info *arch;
} aliases[] = {
	{ "amd64", &arch_x86_64 }, { "i386", &arch_x86 },  { "i686", &arch_x86 },
	{ "arm64", &arch_aarch64 }, { "armhf", &arch_arm }, { "armel", &arch_arm },
};

const struct arch_info *arch_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < arch_count; i++)
		if (!strcmp(arch_all[i]->name, name))
			return arch_all[i];
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].alias, name))
			return aliases[i].arch;
	return NULL;
}

const struct arch_info *arch_by_audit(uint32_t audit)
{
	size_t i;

	for (i = 0; i < arch_count; i++)
		if (arch_all[i]->audit == audit)
			return arch_all[i];
	return NULL;
}

int target_for_board(const char *board, struct target *t)
{
	memset(t, 0, sizeof(*t));
	if (!board)
		return -1;
	if (!strcmp(board, "pc")) {
		t->arch[t->narch++] = &arch_x86_64;
		t->arch[t->narch++] = &arch_x86;
		t->board = "pc";
	} else if (!strcmp(board, "dragonboard")) {
		t->arch[t->narch++] = &arch_aarch64;
		t->arch[t->narch++] = &arch_arm;
		t->board = "dragonboard";
	} else if (!strcmp(board, "pi2")) {
		/* a Cortex-A7 runs 32-bit code only */
		t->arch[t->narch++] = &arch_arm;
		t->board = "pi2";
	} else {
		return -1;
	}
	return 0;
}

int target_parse_arch_list(const char *list, struct target *t, char *why, size_t whylen)
{
	char name[32];
	const char *p = list, *end;
	size_t len, i;

	memset(t, 0, sizeof(*t));
	for (;;) {
		const struct arch_info *a;

		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len >= sizeof(name)) {
			snprintf(why, whylen, "empty or overlong architecture name in '%s'", list);
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		a = arch_by_name(name);
		if (!a) {
			snprintf(why, whylen, "unknown architecture '%s' (known: x86_64, x86, aarch64, arm)", name);
			return -1;
		}
		for (i = 0; i < t->narch; i++)
			if (t->arch[i] == a) {
				snprintf(why, whylen, "architecture '%s' given twice", name);
				return -1;
			}
		if (t->narch == TARGET_MAX_ARCH) {
			snprintf(why, whylen, "at most %d architectures (native, then compat)", TARGET_MAX_ARCH);
			return -1;
		}
		t->arch[t->narch++] = a;
		if (!end)
			return 0;
		p = end + 1;
	}
}

void target_native(struct target *t)
{
#if defined(__x86_64__)
	target_for_board("pc", t);
#elif defined(__aarch64__)
	target_for_board("dragonboard", t);
#elif defined(__arm__)
	target_for_board("pi2", t);
#else
#error "unsupported build architecture"
#endif
}
