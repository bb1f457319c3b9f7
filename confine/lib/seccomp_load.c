// SPDX-License-Identifier: GPL-3.0-only
/* Loading compiled profiles (seccomp_load.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_compat.h"
#include "bin2.h"
#include "sc_log.h"
#include "seccomp_load.h"
#include "trusted_path.h"


#define PROFILE_MAX (BIN2_HEADER_SIZE + 2 * BIN2_MAX_PROG_BYTES)

void sc_profile_free(struct sc_profile *p)
{
	free(p->data);
	memset(p, 0, sizeof(*p));
}

/* the program of n instructions at f, a view into the profile's buffer (no copy: a page less to touch) */
static void prog_view(struct bpf_prog *prog, const struct sock_filter *f, size_t n)
{
	prog->insn = (struct sock_filter *)(uintptr_t)f;
	prog->len = n;
	prog->cap = 0;
}

int sc_profile_read(const char *dir, const char *tag, struct sc_profile *p, struct diag *err)
{
	char why[256];
	struct stat st;
	char *data = NULL;
	size_t len;
	bool raw;

	memset(p, 0, sizeof(*p));
	if (snprintf(p->path, sizeof(p->path), "%s/%s.bin2", dir, tag) >= (int)sizeof(p->path))
		return diag_set(err, "%s/%s.bin2: the path is too long", dir, tag);
	raw = false;
	/*
	 * the .bin2 first (the launch's path), the older raw .bin only when
	 * there is no .bin2 (errno cleared: a refusal sets none)
	 */
	errno = 0;
	if (trusted_read(p->path, PROFILE_MAX, &data, &len, err)) {
		size_t n = strlen(p->path);

		if (errno != ENOENT)
			return -1;
		/* (the same path without its last byte, the '2' of .bin2) */
		p->path[n - 1] = '\0';
		if (lstat(p->path, &st) < 0 && errno == ENOENT)
			return diag_set(err, "no seccomp profile for %s: neither %s2 nor %s exists", tag,
					p->path, p->path);
		raw = true;
		if (trusted_read(p->path, PROFILE_MAX, &data, &len, err))
			return -1;
	}
	if (raw) {
		/* pre-2.63: one raw program, or the text marker of an unrestricted profile */
		if (len == 14 && !memcmp(data, "@unrestricted\n", 14)) {
			p->unrestricted = true;
		} else if (len == 0 || len % sizeof(struct sock_filter) || len > BIN2_MAX_PROG_BYTES) {
			diag_set(err, "%s: %zu bytes is not a raw seccomp program (a non-empty multiple of 8, at most %d)",
				 p->path, len, BIN2_MAX_PROG_BYTES);
			goto fail;
		} else {
			p->nprog = 1;
			prog_view(&p->prog[0], (const struct sock_filter *)(const void *)data, len / 8);
		}
	} else {
		struct bin2_view v;

		if (bin2_decode(data, len, &v, why, sizeof(why))) {
			diag_set(err, "%s: %s", p->path, why);
			goto fail;
		}
		p->unrestricted = v.unrestricted;
		if (!v.unrestricted) {
			p->nprog = 2;
			prog_view(&p->prog[0], v.deny, v.deny_len);
			prog_view(&p->prog[1], v.allow, v.allow_len);
		}
	}
	for (size_t i = 0; i < p->nprog; i++) {
		if (bpf_check(p->prog[i].insn, p->prog[i].len, why, sizeof(why))) {
			diag_set(err, "%s: the kernel would refuse program %zu: %s", p->path, i, why);
			goto fail;
		}
		for (size_t k = 0; k < p->prog[i].len; k++)
			if (p->prog[i].insn[k].code == (BPF_RET | BPF_K) &&
			    (p->prog[i].insn[k].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG)
				p->has_ret_log = true;
	}
	p->data = data;
	return 0;
fail:
	free(data);
	sc_profile_free(p);
	return -1;
}

static int load_one(const struct bpf_prog *prog, bool with_log)
{
	struct sock_fprog f = { .len = (unsigned short)prog->len, .filter = prog->insn };

	if (with_log)
		return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &f);
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f, 0, 0);
}

int sc_profile_load(struct sc_profile *p, enum sc_log_path path, bool *used_log, struct diag *err)
{
	bool with_log = path != SC_LOG_SILENT;
	size_t loaded = 0;

	*used_log = false;
	if (p->unrestricted) {
		sc_debug("%s is unrestricted: no seccomp filter", p->path);
		return 0;
	}
	/* an action the kernel does not know kills: complain profiles allow instead */
	if (p->has_ret_log && (path == SC_LOG_SILENT || !kernel_seccomp_action_avail("log"))) {
		sc_debug("this kernel has no SECCOMP_RET_LOG: complain returns become ALLOW");
		for (size_t i = 0; i < p->nprog; i++)
			for (size_t k = 0; k < p->prog[i].len; k++)
				if (p->prog[i].insn[k].code == (BPF_RET | BPF_K) &&
				    (p->prog[i].insn[k].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG)
					p->prog[i].insn[k].k = SECCOMP_RET_ALLOW;
	}
	for (size_t i = 0; i < p->nprog; i++) {
		int rc;

		/* a lone RET ALLOW (our deny slot) changes nothing, and each filter costs every syscall */
		if (p->nprog > 1 && p->prog[i].len == 1 && p->prog[i].insn[0].code == (BPF_RET | BPF_K) &&
		    p->prog[i].insn[0].k == SECCOMP_RET_ALLOW) {
			sc_debug("program %zu of %s allows everything: not loaded", i + 1, p->path);
			continue;
		}
		rc = load_one(&p->prog[i], with_log);

		if (rc < 0 && with_log && path == SC_LOG_UNKNOWN && (errno == EINVAL || errno == ENOSYS)) {
			sc_debug("SECCOMP_FILTER_FLAG_LOG refused (%s): loading without logging", strerror(errno));
			with_log = false;
			rc = load_one(&p->prog[i], false);
		}
		if (rc < 0)
			return diag_errno(err, "cannot load the seccomp filter %s (program %zu of %zu)", p->path, i + 1,
					  p->nprog);
		loaded++;
	}
	*used_log = with_log;
	sc_debug("loaded %zu seccomp program(s) from %s %s", loaded, p->path,
		 with_log ? "with SECCOMP_FILTER_FLAG_LOG" : "without logging (silent EPERM)");
	return 0;
}
