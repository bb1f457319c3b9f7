// SPDX-License-Identifier: GPL-3.0-only
/*
 * bench-seccomp: measures compiled seccomp profiles, whoever compiled them.
 *
 *   bench-seccomp --target BOARD --mix FILE|default
 *                 [--label L --policy P.src [--ms T] PROFILE]...
 *
 * For each PROFILE (a .bin2, or a raw .bin like snapd 2.57 writes), runs the
 * programs as the kernel does (deny then allow, most severe result wins)
 * with the project's interpreter and prints one markdown table row:
 * program length; instructions executed per syscall weighted by the mix
 * (native arch, a name it lacks counted for the call its libc makes
 * instead, sysprofile_nr; arguments 0), counting the programs our launcher loads (a
 * lone RET ALLOW program is not loaded) and then every program (snapd's
 * loader loads both); mean and max over the allowed numbers and mean over
 * the denied numbers of the native arch; the instructions of ioctl, socket,
 * prctl and clone (arguments 0); the share of unconditionally
 * allowed syscalls (native and compat) that the kernel's action cache
 * accepts; and the compile time passed with --ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin2.h"
#include "bpf.h"
#include "bpf_cache.h"
#include "bpf_layout.h"
#include "compile.h"
#include "fileio.h"
#include "syscall_table.h"

struct stack {
	char *data;
	const struct sock_filter *prog[2];
	size_t len[2], n;
};

static int load(const char *path, struct stack *s)
{
	struct diag err;
	struct bin2_view v;
	char why[256];
	size_t len;

	memset(s, 0, sizeof(*s));
	if (file_read_all(path, 1 << 20, &s->data, &len, &err)) {
		fprintf(stderr, "bench-seccomp: %s\n", err.msg);
		return -1;
	}
	if (len >= 2 && s->data[0] == 'S' && s->data[1] == 'C') {
		if (bin2_decode(s->data, len, &v, why, sizeof(why)) || v.unrestricted) {
			fprintf(stderr, "bench-seccomp: %s: %s\n", path,
				v.unrestricted ? "unrestricted" : why);
			return -1;
		}
		s->prog[0] = v.deny;
		s->len[0] = v.deny_len;
		s->prog[1] = v.allow;
		s->len[1] = v.allow_len;
		s->n = 2;
	} else {
		s->prog[0] = (const struct sock_filter *)s->data;
		s->len[0] = len / sizeof(struct sock_filter);
		s->n = 1;
	}
	return 0;
}

/* a program that is a lone RET ALLOW: our launcher does not load it (seccomp_load.c) */
static bool allows_all(const struct stack *s, size_t i)
{
	return s->n > 1 && s->len[i] == 1 && s->prog[i][0].code == (BPF_RET | BPF_K) &&
	       s->prog[i][0].k == SECCOMP_RET_ALLOW;
}

/*
 * The action for (arch, nr) with arguments 0; *insns: instructions run by
 * the programs our launcher loads, *both: by every program (snapd's loader)
 */
static uint32_t run2(const struct stack *s, uint32_t arch, uint32_t nr, unsigned *insns, unsigned *both)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	uint32_t action = 0;
	size_t i;

	*insns = *both = 0;
	for (i = 0; i < s->n; i++) {
		unsigned n = 0;
		uint32_t r = bpf_run(s->prog[i], s->len[i], &d, &n);

		action = i ? seccomp_action_merge(r, action) : r;
		*both += n;
		if (!allows_all(s, i))
			*insns += n;
	}
	return action;
}

static uint32_t run(const struct stack *s, uint32_t arch, uint32_t nr, unsigned *insns)
{
	unsigned both;

	return run2(s, arch, nr, insns, &both);
}

static bool cacheable(const struct stack *s, uint32_t arch, uint32_t nr)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!bpf_const_allow(s->prog[i], s->len[i], arch, nr))
			return false;
	return true;
}

static int lower_file(const char *path, const struct target *t, struct filter_ir *ir)
{
	struct policy p = { 0 };
	struct lower_opts lo = { .file = path, .enosys = true, .kill_process = true, .complain_log = true };
	struct diag err;
	char *text;
	size_t len;
	int rc;

	if (file_read_all(path, 16 << 20, &text, &len, &err) ||
	    policy_parse(path, text, len, NULL, &p, &err)) {
		fprintf(stderr, "bench-seccomp: %s\n", err.msg);
		return -1;
	}
	free(text);
	rc = lower_policy(&p, t, &lo, ir, &err);
	if (rc)
		fprintf(stderr, "bench-seccomp: %s\n", err.msg);
	policy_free(&p);
	return rc;
}

static bool unconditional_allow(const struct ir_arch *a, uint32_t nr)
{
	size_t i;

	for (i = 0; i < a->nsys; i++)
		if (a->sys[i].nr == nr)
			return a->sys[i].allow_all && !a->sys[i].deny_all && !a->sys[i].ndeny;
	return false;
}

static void row(const char *label, const char *policy, const char *ms, const char *path,
		const struct target *t, const struct sysprofile *mix)
{
	const struct arch_info *a0 = t->arch[0];
	struct filter_ir ir = { 0 };
	struct stack s;
	double wsum = 0, wsum2 = 0, wtot = 0, asum = 0, dsum = 0;
	unsigned amax = 0, na = 0, nd = 0, ncache = 0, nuncond = 0, insns, both;
	static const char *const argcalls[] = { "ioctl", "socket", "prctl", "clone" };
	char argcols[128] = "", padcol[48] = "";
	size_t i, k, pad;

	if (load(path, &s) || lower_file(policy, t, &ir)) {
		printf("| %s | (failed: see stderr) |\n", label);
		free(s.data);
		return;
	}
	for (i = 0; i < mix->n; i++) {
		int64_t nr = sysprofile_nr(a0, mix->e[i].name);

		if (nr < 0)
			continue;
		run2(&s, a0->audit, (uint32_t)nr, &insns, &both);
		wsum += (double)mix->e[i].count * insns;
		wsum2 += (double)mix->e[i].count * both;
		wtot += (double)mix->e[i].count;
	}
	for (uint32_t nr = 0; nr <= syscall_max_known(a0); nr++) {
		if (!syscall_name(a0, nr))
			continue;
		if (run(&s, a0->audit, nr, &insns) == SECCOMP_RET_ALLOW) {
			asum += insns;
			na++;
			if (insns > amax)
				amax = insns;
		} else {
			dsum += insns;
			nd++;
		}
	}
	for (k = 0; k < ir.narch; k++) {
		const struct arch_info *a = ir.arch[k].arch;

		for (uint32_t nr = 0; nr <= ir.arch[k].max_known; nr++) {
			if (!unconditional_allow(&ir.arch[k], nr))
				continue;
			nuncond++;
			ncache += cacheable(&s, a->audit, nr);
		}
	}
	/* the calls whose arguments snapd's template checks, arguments 0 */
	for (i = 0; i < sizeof(argcalls) / sizeof(*argcalls); i++) {
		int64_t nr = syscall_nr(a0, argcalls[i]);
		size_t used = strlen(argcols);

		if (nr < 0)
			snprintf(argcols + used, sizeof(argcols) - used, " - |");
		else {
			run(&s, a0->audit, (uint32_t)nr, &insns);
			snprintf(argcols + used, sizeof(argcols) - used, " %u |", insns);
		}
	}
	pad = bpf_layout_padding(s.prog[0], s.len[0]) +
	      (s.n > 1 ? bpf_layout_padding(s.prog[1], s.len[1]) : 0);
	if (pad)
		snprintf(padcol, sizeof(padcol), " (+%zu padding)", pad);
	printf("| %s | %zu%s | %.2f | %.2f | %.2f | %u | %.2f |%s %u/%u (%.0f%%) | %s |\n", label,
	       s.len[0] + (s.n > 1 ? s.len[1] : 0) - pad, padcol, wtot ? wsum / wtot : 0,
	       wtot ? wsum2 / wtot : 0, na ? asum / na : 0, amax, nd ? dsum / nd : 0, argcols, ncache,
	       nuncond, nuncond ? 100.0 * ncache / nuncond : 0, ms ? ms : "-");
	filter_ir_free(&ir);
	free(s.data);
}

int main(int argc, char **argv)
{
	struct target t;
	struct sysprofile mix = { 0 };
	struct diag err;
	const char *label = "?", *policy = NULL, *ms = NULL;
	char *text;
	size_t len;
	bool mix_owned = true;
	int i;

	if (argc < 5 || strcmp(argv[1], "--target") || target_for_board(argv[2], &t) ||
	    strcmp(argv[3], "--mix")) {
		fprintf(stderr, "usage: bench-seccomp --target BOARD --mix FILE [--label L --policy P [--ms "
				"T] PROFILE]...\n");
		return 2;
	}
	if (!strcmp(argv[4], "default")) {
		mix = *sysprofile_default();
		mix_owned = false;
	} else if (file_read_all(argv[4], 1 << 20, &text, &len, &err) ||
		   sysprofile_parse(argv[4], text, len, &mix, &err)) {
		fprintf(stderr, "bench-seccomp: %s\n", err.msg);
		return 1;
	}
	if (mix_owned)
		free(text);
	printf("| compiler | insns | weighted mean | weighted, every program | allowed mean | allowed max | "
	       "denied mean "
	       "| ioctl | socket | prctl | clone | cacheable | compile ms |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label = argv[++i];
		else if (!strcmp(argv[i], "--policy") && i + 1 < argc)
			policy = argv[++i];
		else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
			ms = argv[++i];
		else if (policy) {
			row(label, policy, ms, argv[i], &t, &mix);
			ms = NULL;
		} else {
			fprintf(stderr, "bench-seccomp: --policy must come before %s\n", argv[i]);
			return 2;
		}
	}
	if (mix_owned)
		sysprofile_free(&mix);
	return 0;
}
