// SPDX-License-Identifier: GPL-3.0-only
/*
 * Differential test against the real peer: Debian's snapd 2.57 package
 * (downloaded, not installed) has /usr/lib/snapd/snap-seccomp. On policies
 * it can parse, its raw output and ours must give the same action for every
 * syscall number of x86_64 and i386 with edge arguments, under the
 * simulator. 2.57 cannot parse KCMP_FILE and AF_XDP and drops ~ lines as
 * unknown names, so those lines are removed from both inputs. The
 * documented deviations are switched to snapd's behaviour for the
 * comparison, and each is then checked to be the only difference:
 *   - bad architecture: snapd KILL_THREAD, ours KILL_PROCESS by default;
 *   - numbers above the highest known one: snapd EPERM, ours ENOSYS.
 * Skipped, with the reason, when the package cannot be fetched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "compile.h"
#include "fileio.h"
#include "syscall_table.h"
#include "tap.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/* the lines of text that 2.57 can take: no ~ rules, no constants it lacks */
static char *strip_for_257(const char *text, size_t len, size_t *outlen)
{
	char *out = malloc(len + 1);
	size_t o = 0, pos = 0;

	while (out && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - text - pos) + 1 : len - pos;
		const char *line = text + pos;
		size_t i = 0;
		bool drop;

		while (i < ll && (line[i] == ' ' || line[i] == '\t'))
			i++;
		drop = line[i] == '~' || memmem(line, ll, "KCMP_FILE", 9) || memmem(line, ll, "AF_XDP", 6);
		if (!drop) {
			memcpy(out + o, line, ll);
			o += ll;
		}
		pos += ll;
	}
	if (out)
		out[o] = '\0';
	*outlen = o;
	return out;
}

static int run_peer(const char *tool, const char *in, const char *out, double *ms)
{
	char cmd[16384];
	struct timespec a, b;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' compile '%s' '%s' 2>/dev/null", tool, in, out);
	clock_gettime(CLOCK_MONOTONIC, &a);
	st = system(cmd);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static uint32_t run_ours(const struct compile_result *r, const struct seccomp_data *d)
{
	return seccomp_action_merge(bpf_run(r->allow.insn, r->allow.len, d, NULL),
				    bpf_run(r->deny.insn, r->deny.len, d, NULL));
}

static void compare(const char *tool, const char *name, const char *text, size_t len, const char *tmp)
{
	static const uint64_t vals[] = { 0, 1, 2, 3, 4, 5, 7, 19, 20, 0x5412, 0x10000, 0x80000, 0x7fffffff,
					 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000ull, 0xffffffff00000000ull,
					 0xffffffff80000000ull, 0xffffffffffffffffull, 0x100005412ull };
	const size_t nv = sizeof(vals) / sizeof(vals[0]);
	char in[4096], out[4096], *peer = NULL, why[256];
	struct compile_opts o, od;
	struct compile_result ours = { 0 }, dflt = { 0 };
	struct diag err;
	size_t plen = 0;
	double ms;
	struct target t;

	snprintf(in, sizeof(in), "%s/%s.src", tmp, name);
	snprintf(out, sizeof(out), "%s/%s.bin", tmp, name);
	if (file_write_atomic(in, text, len, 0644, &err) || run_peer(tool, in, out, &ms) ||
	    file_read_all(out, 1 << 20, &peer, &plen, &err)) {
		ok(false, "%s: snapd 2.57 compiles it", name);
		return;
	}
	ok(plen % 8 == 0 && bpf_check((const struct sock_filter *)peer, plen / 8, why, sizeof(why)) == 0,
	   "%s: snapd 2.57 wrote a valid raw program (%zu instructions, %.1f ms)", name, plen / 8, ms);
	compile_opts_default(&o);
	target_for_board("pc", &o.target);
	o.lower.kill_process = false;
	o.lower.enosys = false;
	od = o;
	od.lower.kill_process = true;
	od.lower.enosys = true;
	if (compile_policy(in, text, len, &o, &ours, &err) || compile_policy(in, text, len, &od, &dflt, &err)) {
		ok(false, "%s: ours compiles it: %s", name, err.msg);
		free(peer);
		return;
	}
	t = o.target;
	for (size_t k = 0; k < t.narch; k++) {
		const struct arch_info *a = t.arch[k];
		uint32_t max = syscall_max_known(a);
		unsigned cases = 0, bad = 0, dev_enosys = 0, dev_other = 0;
		char first[256] = "";

		for (uint32_t nr = 0; nr <= max + 200; nr++)
			for (size_t v = 0; v < nv; v++) {
				struct seccomp_data d = { .nr = (int)nr, .arch = a->audit };
				uint32_t p, q, r;

				for (int j = 0; j < 6; j++)
					d.args[j] = vals[(v + (size_t)j * 5) % nv];
				p = bpf_run((const struct sock_filter *)peer, plen / 8, &d, NULL);
				q = run_ours(&ours, &d);
				r = run_ours(&dflt, &d);
				cases++;
				if (p != q) {
					bad++;
					if (!first[0])
						snprintf(first, sizeof(first), "%s nr %u arg0 %#llx: snapd %#x ours %#x",
							 a->name, nr, (unsigned long long)d.args[0], p, q);
				}
				/* with our defaults, the only difference is ENOSYS above the known numbers */
				if (r != q) {
					if (nr > max && r == (SECCOMP_RET_ERRNO | ENOSYS) &&
					    q == (SECCOMP_RET_ERRNO | EPERM))
						dev_enosys++;
					else
						dev_other++;
				}
			}
		ok(bad == 0, "%s/%s: snapd 2.57 and ours agree on %u cases", name, a->name, cases);
		if (first[0])
			diag("first difference: %s", first);
		if (ours.complain)
			ok(dev_other == 0 && dev_enosys == 0,
			   "%s/%s: complain mode: no ENOSYS region, so our defaults deviate nowhere", name, a->name);
		else
			ok(dev_other == 0 && dev_enosys > 0,
			   "%s/%s: with our defaults the only deviation is ENOSYS above %u (%u cases)", name, a->name,
			   max, dev_enosys);
	}
	/* the bad-architecture deviation: x32 and a foreign architecture */
	{
		struct seccomp_data x32 = { .nr = 0x40000000, .arch = ARCH_AUDIT_X86_64 };
		struct seccomp_data arm = { .nr = 0, .arch = ARCH_AUDIT_AARCH64 };
		uint32_t p1 = bpf_run((const struct sock_filter *)peer, plen / 8, &x32, NULL);
		uint32_t p2 = bpf_run((const struct sock_filter *)peer, plen / 8, &arm, NULL);

		ok(p1 == SECCOMP_RET_KILL_THREAD && p2 == SECCOMP_RET_KILL_THREAD && run_ours(&ours, &x32) == p1 &&
			   run_ours(&ours, &arm) == p2 && run_ours(&dflt, &x32) == SECCOMP_RET_KILL_PROCESS &&
			   run_ours(&dflt, &arm) == SECCOMP_RET_KILL_PROCESS,
		   "%s: bad arch: snapd kills the thread (so does --badarch=kill-thread), our default the process",
		   name);
	}
	compile_result_free(&ours);
	compile_result_free(&dflt);
	free(peer);
}

static void compare_file(const char *tool, const char *name, const char *path, const char *tmp)
{
	char *text = NULL, *stripped;
	size_t len, slen;
	struct diag err;

	if (file_read_all(path, 1 << 20, &text, &len, &err)) {
		ok(false, "%s: readable: %s", name, err.msg);
		return;
	}
	stripped = strip_for_257(text, len, &slen);
	if (stripped)
		compare(tool, name, stripped, slen, tmp);
	free(stripped);
	free(text);
}

int main(void)
{
	const char *src = env_or("SRCDIR", ".");
	char cmd[4096], tool[4096] = "", path[4096], tmp[] = "/tmp/peer-snapd.XXXXXX";
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s/scripts/fetch-peer-snapd' 2>&1", src);
	f = popen(cmd, "r");
	if (!f || !fgets(tool, sizeof(tool), f)) {
		if (f)
			pclose(f);
		skip(1, "cannot run scripts/fetch-peer-snapd");
		return tap_done();
	}
	st = pclose(f);
	tool[strcspn(tool, "\n")] = '\0';
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("1..0 # SKIP Debian's snapd package cannot be fetched: %s\n", tool);
		return 0;
	}
	if (!mkdtemp(tmp)) {
		ok(false, "mkdtemp");
		return tap_done();
	}
	diag("peer: %s", tool);
	snprintf(path, sizeof(path), "%s/confine/snap-seccomp/policy/default.src", src);
	compare_file(tool, "default", path, tmp);
	snprintf(path, sizeof(path), "%s/confine/tests/policies/peer.src", src);
	compare_file(tool, "peer", path, tmp);
	snprintf(path, sizeof(path), "%s/confine/tests/policies/complain.src", src);
	compare_file(tool, "complain", path, tmp);
	snprintf(path, sizeof(path), "%s/../shared/workloads/snapd-default-template.src", src);
	if (access(path, R_OK) == 0) {
		compare_file(tool, "snapd-template", path, tmp);
	} else {
		skip(1, "../shared/workloads is not here (a fresh clone): snapd's own template not compared");
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		diag("could not remove %s", tmp);
	return tap_done();
}
