// SPDX-License-Identifier: GPL-3.0-only
/*
 * libFuzzer target: the policy parser, and for what it accepts, the whole
 * compiler: the generated program must pass the kernel's checks and mean
 * what the lowered policy means on a few argument vectors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "compile.h"
#include "filter_ir.h"
#include "lower.h"
#include "policy.h"
#include "syscall_table.h"

static int fixed_id(const char *name, uint32_t *id)
{
	if (!strcmp(name, "root")) {
		*id = 0;
		return 0;
	}
	if (!strcmp(name, "daemon")) {
		*id = 1;
		return 0;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct policy_parse_opts po = { .resolve_user = fixed_id, .resolve_group = fixed_id };
	static const uint64_t vals[] = { 0, 1, 0x5412, 0xffffffffu, 0xffffffffffffffffull, 0x100000000ull };
	struct policy p;
	struct filter_ir ir;
	struct lower_opts lo = { .enosys = true, .kill_process = true, .complain_log = true };
	struct target t;
	struct bpf_prog prog = { 0 };
	struct gen_stats st;
	struct diag err;
	char why[256];

	if (policy_parse("fuzz.src", (const char *)data, size, &po, &p, &err))
		return 0;
	if (p.nrules > 64 || p.unrestricted) { /* keep each run fast */
		policy_free(&p);
		return 0;
	}
	target_for_board(size & 1 ? "pc" : "dragonboard", &t);
	if (lower_policy(&p, &t, &lo, &ir, &err)) {
		policy_free(&p);
		return 0;
	}
	if (bpf_gen(&ir, sysprofile_default(), &prog, &st, &err) == 0) {
		if (bpf_check(prog.insn, prog.len, why, sizeof(why)))
			abort(); /* we generated something the kernel would refuse */
		for (size_t r = 0; r < p.nrules; r++)
			for (size_t k = 0; k < ir.narch; k++) {
				int64_t nr = syscall_nr(ir.arch[k].arch, p.rules[r].name);
				struct seccomp_data d = { .nr = (int)nr, .arch = ir.arch[k].arch->audit };

				if (nr < 0)
					continue;
				for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
					for (int a = 0; a < 6; a++)
						d.args[a] = vals[(v + (size_t)a) % (sizeof(vals) / sizeof(vals[0]))];
					if (bpf_run(prog.insn, prog.len, &d, NULL) != filter_ir_eval(&ir, &d))
						abort(); /* the program disagrees with the policy */
				}
			}
	}
	bpf_prog_free(&prog);
	filter_ir_free(&ir);
	policy_free(&p);
	return 0;
}
