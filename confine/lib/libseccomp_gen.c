// SPDX-License-Identifier: GPL-3.0-only
/*
 * The reference generator (gen.h): libseccomp builds the two filters the
 * way snapd's snap-seccomp does (names resolved by libseccomp, each rule
 * added exactly first and, when libseccomp refuses that, as it sees fit).
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gen.h"

static int to_scmp_op(uint8_t op, enum scmp_compare *out)
{
	switch (op) {
	case CMP_EQ:
		*out = SCMP_CMP_EQ;
		return 0;
	case CMP_NE:
		*out = SCMP_CMP_NE;
		return 0;
	case CMP_LT:
		*out = SCMP_CMP_LT;
		return 0;
	case CMP_LE:
		*out = SCMP_CMP_LE;
		return 0;
	case CMP_GT:
		*out = SCMP_CMP_GT;
		return 0;
	case CMP_GE:
		*out = SCMP_CMP_GE;
		return 0;
	case CMP_MASKED_EQ:
		*out = SCMP_CMP_MASKED_EQ;
		return 0;
	default:
		return -1;
	}
}

static scmp_filter_ctx new_filter(uint32_t def, const struct target *t, const struct libseccomp_opts *o,
				  struct diag *err)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	uint32_t native = seccomp_arch_native();
	bool keep_native = false;
	size_t i;
	int rc;

	if (!ctx) {
		diag_set(err, "libseccomp: cannot create a filter");
		return NULL;
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, o->kill_process ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL_THREAD);
	if (!rc && o->binary_tree)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; !rc && i < t->narch; i++) {
		if (t->arch[i]->audit == native)
			keep_native = true;
		else
			rc = seccomp_arch_add(ctx, t->arch[i]->audit);
	}
	if (!rc && !keep_native)
		rc = seccomp_arch_remove(ctx, native);
	if (rc) {
		diag_set(err, "libseccomp: cannot set up the filter's architectures: %s", strerror(-rc));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, const struct policy_rule *r, struct diag *err)
{
	struct scmp_arg_cmp cmp[POLICY_MAX_ARGS];
	int nr = seccomp_syscall_resolve_name(r->name);
	size_t i;
	int rc;

	if (nr == __NR_SCMP_ERROR)
		return 0; /* libseccomp does not know the name: snapd drops the line */
	for (i = 0; i < r->ncond; i++) {
		enum scmp_compare op;

		if (to_scmp_op(r->cond[i].op, &op))
			return diag_set(err, "line %u: bad comparison", r->line);
		cmp[i].arg = r->cond[i].arg;
		cmp[i].op = op;
		if (op == SCMP_CMP_MASKED_EQ) {
			cmp[i].datum_a = r->cond[i].mask;
			cmp[i].datum_b = r->cond[i].value;
		} else {
			cmp[i].datum_a = r->cond[i].value;
			cmp[i].datum_b = 0;
		}
	}
	rc = seccomp_rule_add_exact_array(ctx, action, nr, r->ncond, cmp);
	if (rc)
		rc = seccomp_rule_add_array(ctx, action, nr, r->ncond, cmp);
	/* a name none of the filter's architectures has: nothing to add */
	if (rc == -EFAULT || rc == -EDOM)
		return 0;
	if (rc)
		return diag_set(err, "line %u: libseccomp refused the rule for %s: %s", r->line, r->name,
				strerror(-rc));
	return 0;
}

static int export(scmp_filter_ctx ctx, struct bpf_prog *out, struct diag *err)
{
	struct sock_filter insn;
	int fd = memfd_create("confine-bpf", MFD_CLOEXEC);
	int rc;

	if (fd < 0)
		return diag_errno(err, "cannot create a memory file for libseccomp's output");
	rc = seccomp_export_bpf(ctx, fd);
	if (rc) {
		close(fd);
		return diag_set(err, "libseccomp: cannot export the filter: %s", strerror(-rc));
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return diag_errno(err, "cannot rewind libseccomp's output");
	}
	for (;;) {
		ssize_t n = read(fd, &insn, sizeof(insn));

		if (n == 0)
			break;
		if (n != (ssize_t)sizeof(insn) || bpf_prog_push(out, insn)) {
			close(fd);
			return diag_set(err, "cannot read libseccomp's output");
		}
	}
	close(fd);
	return 0;
}

int libseccomp_gen(const struct policy *p, const struct target *t, const struct libseccomp_opts *o,
		   struct bpf_prog *allow, struct bpf_prog *deny, struct diag *err)
{
	uint32_t def = p->complain ? (o->complain_log ? SCMP_ACT_LOG : SCMP_ACT_ALLOW) : SCMP_ACT_ERRNO(EPERM);
	scmp_filter_ctx fa = NULL, fd = NULL;
	size_t i;
	int rc = -1;

	fa = new_filter(def, t, o, err);
	if (!fa)
		goto out;
	fd = new_filter(SCMP_ACT_ALLOW, t, o, err);
	if (!fd)
		goto out;
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->deny) {
			if (add_rule(fd, SCMP_ACT_ERRNO(EACCES), r, err))
				goto out;
		} else if (def != SCMP_ACT_ALLOW) { /* allowing in an allow-all filter changes nothing */
			if (add_rule(fa, SCMP_ACT_ALLOW, r, err))
				goto out;
		}
	}
	if (export(fa, allow, err) || export(fd, deny, err))
		goto out;
	rc = 0;
out:
	if (rc) {
		bpf_prog_free(allow);
		bpf_prog_free(deny);
	}
	if (fa)
		seccomp_release(fa);
	if (fd)
		seccomp_release(fd);
	return rc;
}
