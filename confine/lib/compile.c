// SPDX-License-Identifier: GPL-3.0-only
/* The precompiler pipeline: parse -> lower -> generate -> encode (compile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin2.h"
#include "compile.h"
#include "version.h"

void compile_opts_default(struct compile_opts *o)
{
	memset(o, 0, sizeof(*o));
	target_native(&o->target);
	o->backend = BACKEND_OURS;
	o->format = FORMAT_BIN2;
	o->lower.complain_log = true;
#ifdef CONFIG_SECCOMP_BADARCH_KILL_THREAD
	o->lower.kill_process = false;
#else
	o->lower.kill_process = true;
#endif
#ifdef CONFIG_SECCOMP_ENOSYS_ABOVE_KNOWN
	o->lower.enosys = true;
#endif
}

void compile_result_free(struct compile_result *r)
{
	bpf_prog_free(&r->allow);
	bpf_prog_free(&r->deny);
	memset(r, 0, sizeof(*r));
}

/* a program we produced must pass the kernel's checks, or nothing is written */
static int check_prog(const struct bpf_prog *p, const char *which, struct diag *err)
{
	char why[256];

	if (bpf_check(p->insn, p->len, why, sizeof(why)))
		return diag_set(err, "internal error: the generated %s program is invalid: %s", which, why);
	return 0;
}

int compile_policy(const char *file, const char *text, size_t len, const struct compile_opts *o,
		   struct compile_result *r, struct diag *err)
{
	struct policy p = { 0 };
	struct filter_ir ir = { 0 };
	struct lower_opts lo = o->lower;
	size_t i;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	lo.file = file;
	if (policy_parse(file, text, len, NULL, &p, err))
		return -1;
	r->unrestricted = p.unrestricted;
	r->complain = p.complain;
	r->rules = p.nrules;
	for (i = 0; i < p.nrules; i++)
		if (p.rules[i].deny)
			r->has_deny = true;
	if (p.unrestricted) {
		rc = 0;
		goto out;
	}
	/* lowering reports unknown names for both backends */
	if (lower_policy(&p, &o->target, &lo, &ir, err))
		goto out;
	if (o->enosys_override)
		for (i = 0; i < ir.narch; i++)
			ir.arch[i].enosys_above = o->enosys_above;
	r->unknown_names = ir.unknown_names;
	r->foreign_names = ir.foreign_names;
	if (o->backend == BACKEND_OURS) {
		struct sock_filter allow_all = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

		if (bpf_gen(&ir, o->profile ? o->profile : sysprofile_default(), &r->allow, &r->stats, err))
			goto out;
		/* snapd's loader wants a deny program: one that allows everything */
		if (bpf_prog_push(&r->deny, allow_all)) {
			diag_set(err, "out of memory");
			goto out;
		}
	} else {
		struct libseccomp_opts so = {
			.binary_tree = o->backend == BACKEND_LIBSECCOMP_TREE,
			.complain_log = o->lower.complain_log,
			.kill_process = o->lower.kill_process,
		};

		if (libseccomp_gen(&p, &o->target, &so, &r->allow, &r->deny, err))
			goto out;
		r->stats.insns = r->allow.len + r->deny.len;
	}
	if (check_prog(&r->allow, "allow", err) || check_prog(&r->deny, "deny", err))
		goto out;
	rc = 0;
out:
	if (rc)
		compile_result_free(r);
	filter_ir_free(&ir);
	policy_free(&p);
	return rc;
}

int compile_encode(const struct compile_result *r, const struct compile_opts *o, const char *text, size_t len,
		   void **buf, size_t *buflen, struct diag *err)
{
	struct bin2_meta meta = { .present = true };

	if (o->format == FORMAT_BIN) {
		const char *unr = "@unrestricted\n";

		if (r->unrestricted) {
			*buflen = strlen(unr);
			*buf = strdup(unr);
		} else {
			if (o->backend != BACKEND_OURS && r->has_deny)
				return diag_set(err, "format bin holds a single program: ~ rules need format bin2 "
						     "with --backend=libseccomp");
			*buflen = r->allow.len * sizeof(*r->allow.insn);
			*buf = malloc(*buflen);
			if (*buf)
				memcpy(*buf, r->allow.insn, *buflen);
		}
		return *buf ? 0 : diag_set(err, "out of memory");
	}
	meta.native_arch = o->target.arch[0]->audit;
	meta.compat_arch = o->target.narch > 1 ? o->target.arch[1]->audit : 0;
	meta.flags = o->backend == BACKEND_OURS ? BIN2_OURS_MERGED : 0;
	meta.source_hash = hash_fnv1a64(text, len);
	snprintf(meta.compiler, sizeof(meta.compiler), "core-confine %s %s", CONFINE_VERSION, CONFINE_GEN_VERSION);
	if (bin2_encode(r->unrestricted, r->allow.insn, r->allow.len, r->deny.insn, r->deny.len, &meta, buf,
			buflen))
		return diag_set(err, "cannot encode the profile: %s", strerror(errno ? errno : EINVAL));
	return 0;
}
