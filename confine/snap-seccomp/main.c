// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-seccomp: compile snapd's seccomp policy language to BPF.
 */
static const char usage[] =
	"usage: snap-seccomp compile [OPTIONS] IN.src OUT\n"
	"       snap-seccomp version-info\n"
	"       snap-seccomp disasm FILE\n"
	"       snap-seccomp simulate FILE ARCH SYSCALL [ARG...]\n"
	"       snap-seccomp resolve [-a ARCH] NAME|NUMBER\n"
	"\n"
	"compile options:\n"
	"  --target BOARD        pc (x86_64+x86), pi2 (arm), dragonboard (aarch64+arm)\n"
	"  --arch A[,B]          native architecture, then compat (default: this machine's)\n"
	"  --format bin2|bin     snapd >= 2.63 profile (default) or the older raw program\n"
	"  --backend ours|libseccomp|libseccomp-tree\n"
	"                        code generator (default ours; libseccomp: what snapd makes)\n"
	"  --profile FILE        syscall frequency profile weighting the search tree\n"
	"  --strict              an unknown syscall name is an error (default: warning)\n"
	"  --stats               print statistics on stderr\n"
	"  --enosys auto|none|N  ENOSYS above the highest known number (auto), never, or above N\n"
	"  --complain-action log|allow   action of @complain policies (default: log, or allow when\n"
	"                        the feature file says the kernel has no SECCOMP_RET_LOG)\n"
	"  --features FILE       the kernel feature file (default /run/snapd/features, when present)\n"
	"  --badarch kill-process|kill-thread   action for other architectures and x32\n"
	"\n"
	"Exit status: 0 success, 1 failure (bad input, nothing written), 2 usage error.\n";

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bin2.h"
#include "bpf.h"
#include "compile.h"
#include "fileio.h"
#include "syscall_table.h"
#include "kernel_features.h"
#include "version.h"

#define POLICY_MAX_BYTES (16u << 20)
#define PROFILE_MAX_BYTES (BIN2_HEADER_SIZE + 2 * BIN2_MAX_PROG_BYTES)

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("snap-seccomp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("snap-seccomp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return 2;
}

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "snap-seccomp: %s\n", msg);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (*s == '-') {
		long long x = strtoll(s, &end, 0);

		*v = (uint64_t)x;
	} else {
		*v = strtoull(s, &end, 0);
	}
	return (errno || end == s || *end) ? -1 : 0;
}

static int cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, 0, 't' },	  { "arch", required_argument, 0, 'a' },
		{ "format", required_argument, 0, 'f' },	  { "backend", required_argument, 0, 'b' },
		{ "profile", required_argument, 0, 'p' },	  { "strict", no_argument, 0, 's' },
		{ "stats", no_argument, 0, 'S' },		  { "enosys", required_argument, 0, 'e' },
		{ "complain-action", required_argument, 0, 'c' }, { "badarch", required_argument, 0, 'k' },
		{ "features", required_argument, 0, 'F' },
		{ 0, 0, 0, 0 },
	};
	struct compile_opts o;
	struct compile_result r = { 0 };
	struct sysprofile prof = { 0 };
	struct diag err;
	char *text = NULL, *ptext = NULL, *enosys = NULL;
	size_t len, plen, buflen;
	void *buf = NULL;
	bool stats = false, have_target = false, complain_set = false;
	const char *features = NULL;
	int c, rc = 1;

	compile_opts_default(&o);
	o.lower.warn = print_warning;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char why[128];

		switch (c) {
		case 't':
			if (have_target)
				return usage_error("--target and --arch given together or twice");
			if (target_for_board(optarg, &o.target))
				return usage_error("unknown board '%s' (expected pc, pi2 or dragonboard)", optarg);
			have_target = true;
			break;
		case 'a':
			if (have_target)
				return usage_error("--target and --arch given together or twice");
			if (target_parse_arch_list(optarg, &o.target, why, sizeof(why)))
				return usage_error("--arch: %s", why);
			have_target = true;
			break;
		case 'f':
			if (!strcmp(optarg, "bin2"))
				o.format = FORMAT_BIN2;
			else if (!strcmp(optarg, "bin"))
				o.format = FORMAT_BIN;
			else
				return usage_error("unknown format '%s' (expected bin2 or bin)", optarg);
			break;
		case 'b':
			if (!strcmp(optarg, "ours"))
				o.backend = BACKEND_OURS;
#ifdef CONFIG_SNAP_SECCOMP_LIBSECCOMP_BACKEND
			else if (!strcmp(optarg, "libseccomp"))
				o.backend = BACKEND_LIBSECCOMP;
			else if (!strcmp(optarg, "libseccomp-tree"))
				o.backend = BACKEND_LIBSECCOMP_TREE;
#endif
			else
				return usage_error("unknown backend '%s'", optarg);
			break;
		case 'p':
			if (file_read_all(optarg, POLICY_MAX_BYTES, &ptext, &plen, &err))
				return fail("%s", err.msg);
			if (sysprofile_parse(optarg, ptext, plen, &prof, &err)) {
				free(ptext);
				return fail("%s", err.msg);
			}
			free(ptext);
			o.profile = &prof;
			break;
		case 's':
			o.lower.strict = true;
			break;
		case 'S':
			stats = true;
			break;
		case 'e':
			enosys = optarg;
			break;
		case 'F':
			features = optarg;
			break;
		case 'c':
			complain_set = true;
			if (!strcmp(optarg, "log"))
				o.lower.complain_log = true;
			else if (!strcmp(optarg, "allow"))
				o.lower.complain_log = false;
			else
				return usage_error("unknown complain action '%s' (expected log or allow)", optarg);
			break;
		case 'k':
			if (!strcmp(optarg, "kill-process"))
				o.lower.kill_process = true;
			else if (!strcmp(optarg, "kill-thread"))
				o.lower.kill_process = false;
			else
				return usage_error("unknown badarch action '%s' (expected kill-process or kill-thread)",
						   optarg);
			break;
		default:
			return usage_error("invalid compile option");
		}
	}
	if (argc - optind != 2)
		return usage_error("compile needs IN.src and OUT");
	/* compiling on the device: complain mode must not use an action this kernel lacks */
	if (!complain_set && (features || access(SC_FEATURES_FILE, F_OK) == 0)) {
		struct sc_features f;
		char *ftext = NULL;
		size_t flen;

		if (file_read_all(features ? features : SC_FEATURES_FILE, 8192, &ftext, &flen, &err) ||
		    features_parse(ftext, flen, &f, &err)) {
			free(ftext);
			if (features)
				return fail("%s: %s", features, err.msg);
			fprintf(stderr, "snap-seccomp: warning: ignoring %s: %s\n", SC_FEATURES_FILE, err.msg);
		} else {
			free(ftext);
			o.lower.complain_log = f.ret_log;
		}
	}
	if (enosys && !strcmp(enosys, "none")) {
		o.lower.enosys = false;
	} else if (enosys && strcmp(enosys, "auto")) {
		uint64_t n;

		if (parse_u64(enosys, &n) || n > UINT32_MAX || enosys[0] == '-')
			return usage_error("--enosys: expected auto, none or a syscall number, not '%s'", enosys);
		o.lower.enosys = true;
		o.enosys_override = true;
		o.enosys_above = (uint32_t)n;
	}
	if (file_read_all(argv[optind], POLICY_MAX_BYTES, &text, &len, &err)) {
		rc = fail("%s", err.msg);
		goto out;
	}
	if (compile_policy(argv[optind], text, len, &o, &r, &err)) {
		rc = fail("%s", err.msg);
		goto out;
	}
	if (compile_encode(&r, &o, text, len, &buf, &buflen, &err) ||
	    file_write_atomic(argv[optind + 1], buf, buflen, 0644, &err)) {
		rc = fail("%s", err.msg);
		goto out;
	}
	if (stats) {
		fprintf(stderr, "rules %zu, unknown names %u, names of other architectures %u\n", r.rules,
			r.unknown_names, r.foreign_names);
		if (r.unrestricted)
			fprintf(stderr, "unrestricted: no filter\n");
		else
			fprintf(stderr,
				"allow program %zu insns (%zu of them padding), deny program %zu insns, "
				"ranges %zu+%zu, trampolines %zu\n",
				r.allow.len, r.stats.padding, r.deny.len, r.stats.ranges[0],
				r.stats.ranges[1], r.stats.trampolines);
	}
	rc = 0;
out:
	free(buf);
	free(text);
	compile_result_free(&r);
	sysprofile_free(&prof);
	return rc;
}

/* a compiled profile: .bin2, a raw .bin program, or a raw "@unrestricted\n" */
struct loaded {
	char *data;
	size_t len;
	bool unrestricted;
	const struct sock_filter *prog[2]; /* in load order: deny, allow */
	size_t plen[2];
	size_t nprog;
};

static int load_profile(const char *path, struct loaded *l)
{
	struct diag err;
	struct bin2_view v;
	char why[256];
	size_t i;

	memset(l, 0, sizeof(*l));
	if (file_read_all(path, PROFILE_MAX_BYTES, &l->data, &l->len, &err))
		return fail("%s", err.msg);
	if (l->len >= 2 && l->data[0] == 'S' && l->data[1] == 'C') {
		if (bin2_decode(l->data, l->len, &v, why, sizeof(why)))
			return fail("%s: %s", path, why);
		l->unrestricted = v.unrestricted;
		if (!v.unrestricted) {
			l->prog[0] = v.deny;
			l->plen[0] = v.deny_len;
			l->prog[1] = v.allow;
			l->plen[1] = v.allow_len;
			l->nprog = 2;
		}
	} else if (l->len == strlen("@unrestricted\n") && !memcmp(l->data, "@unrestricted\n", l->len)) {
		l->unrestricted = true;
	} else {
		if (l->len == 0 || l->len % sizeof(struct sock_filter))
			return fail("%s: neither a .bin2 profile nor a raw BPF program (%zu bytes)", path, l->len);
		l->prog[0] = (const struct sock_filter *)l->data;
		l->plen[0] = l->len / sizeof(struct sock_filter);
		l->nprog = 1;
	}
	for (i = 0; i < l->nprog; i++)
		if (bpf_check(l->prog[i], l->plen[i], why, sizeof(why)))
			return fail("%s: program %zu is not a valid seccomp filter: %s", path, i, why);
	return 0;
}

static int cmd_disasm(int argc, char **argv)
{
	static const char *names[2][2] = { { "program", NULL }, { "deny program (loaded first)", "allow program" } };
	struct loaded l;
	size_t i;

	if (argc != 2)
		return usage_error("disasm needs one FILE");
	if (load_profile(argv[1], &l)) {
		free(l.data);
		return 1;
	}
	if (l.unrestricted)
		printf("unrestricted: no filter\n");
	for (i = 0; i < l.nprog; i++) {
		printf("%s: %zu instructions\n", names[l.nprog - 1][i], l.plen[i]);
		bpf_disasm(stdout, l.prog[i], l.plen[i]);
	}
	free(l.data);
	return 0;
}

static int cmd_simulate(int argc, char **argv)
{
	const struct arch_info *a;
	struct seccomp_data d = { 0 };
	struct loaded l;
	uint32_t action = SECCOMP_RET_ALLOW;
	unsigned total = 0;
	char name[64];
	uint64_t v;
	int64_t nr;
	int i, rc = 1;

	if (argc < 4 || argc > 10)
		return usage_error("simulate needs FILE ARCH SYSCALL and at most 6 ARGs");
	a = arch_by_name(argv[2]);
	if (!a)
		return usage_error("unknown architecture '%s'", argv[2]);
	if (!parse_u64(argv[3], &v)) {
		if (v > UINT32_MAX)
			return fail("syscall number '%s' out of range", argv[3]);
		nr = (int64_t)v;
	} else {
		nr = syscall_nr(a, argv[3]);
		if (nr < 0)
			return fail("unknown syscall '%s' on %s", argv[3], a->name);
	}
	d.nr = (int)(uint32_t)nr;
	d.arch = a->audit;
	for (i = 4; i < argc; i++) {
		if (parse_u64(argv[i], &v))
			return fail("malformed argument '%s' (a number: decimal, 0x hex, 0 octal, or negative)",
				    argv[i]);
		d.args[i - 4] = v;
	}
	if (load_profile(argv[1], &l))
		goto out;
	/* like the kernel: every filter runs; the newest (last loaded) wins ties */
	for (size_t k = 0; k < l.nprog; k++) {
		unsigned n = 0;
		uint32_t r = bpf_run(l.prog[k], l.plen[k], &d, &n);

		action = k ? seccomp_action_merge(r, action) : r;
		total += n;
	}
	printf("%s %u insns\n", seccomp_action_name(action, name, sizeof(name)), total);
	rc = 0;
out:
	free(l.data);
	return rc;
}

static int cmd_resolve(int argc, char **argv)
{
	struct target t;
	const struct arch_info *a;
	uint64_t v;
	int c;

	target_native(&t);
	a = t.arch[0];
	optind = 1;
	while ((c = getopt(argc, argv, "a:")) != -1) {
		if (c != 'a')
			return usage_error("resolve takes -a ARCH");
		a = arch_by_name(optarg);
		if (!a)
			return usage_error("unknown architecture '%s'", optarg);
	}
	if (argc - optind != 1)
		return usage_error("resolve needs one NAME or NUMBER");
	if (!parse_u64(argv[optind], &v)) {
		const char *name = v <= UINT32_MAX ? syscall_name(a, (uint32_t)v) : NULL;

		if (!name)
			return fail("no syscall number %s on %s", argv[optind], a->name);
		printf("%s\n", name);
	} else {
		int64_t nr = syscall_nr(a, argv[optind]);

		if (nr < 0)
			return fail("no syscall '%s' on %s", argv[optind], a->name);
		printf("%" PRId64 "\n", nr);
	}
	return 0;
}

/* the GNU build-id of this binary, like snapd's version-info */
static int build_id_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	char *out = data;
	int i;

	(void)size;
	if (info->dlpi_name && info->dlpi_name[0])
		return 0; /* the main program only */
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = (const unsigned char *)(p + sizeof(*nh) + ((nh->n_namesz + 3) & ~3u));

			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(p + sizeof(*nh), "GNU", 4)) {
				for (unsigned k = 0; k < nh->n_descsz && k < 64; k++)
					sprintf(out + 2 * k, "%02x", desc[k]);
				return 1;
			}
			p += sizeof(*nh) + ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 0;
}

static int cmd_version_info(int argc, char **argv)
{
	char id[129] = "-", *avail = NULL;
	size_t len;
	struct diag err;
	bool actlog = false;

	(void)argv;
	if (argc != 1)
		return usage_error("version-info takes no argument");
	dl_iterate_phdr(build_id_cb, id);
	if (!file_read_all("/proc/sys/kernel/seccomp/actions_avail", 4096, &avail, &len, &err))
		actlog = strstr(avail, "log") != NULL;
	free(avail);
	/* build-id, libseccomp version, generator version, features: as snapd's four fields */
	printf("%s %s %s %s\n", id, syscall_table_version(), CONFINE_GEN_VERSION, actlog ? "bpf-actlog" : "-");
	return 0;
}

int main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!verb)
		return usage_error("a command is needed");
	if (!strcmp(verb, "compile"))
		return cmd_compile(argc - 1, argv + 1);
	if (!strcmp(verb, "version-info"))
		return cmd_version_info(argc - 1, argv + 1);
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(verb, "--version")) {
		printf("snap-seccomp (core-confine) %s\n", CONFINE_VERSION);
		return 0;
	}
#ifdef CONFIG_SNAP_SECCOMP_DEBUG_VERBS
	if (!strcmp(verb, "disasm"))
		return cmd_disasm(argc - 1, argv + 1);
	if (!strcmp(verb, "simulate"))
		return cmd_simulate(argc - 1, argv + 1);
	if (!strcmp(verb, "resolve"))
		return cmd_resolve(argc - 1, argv + 1);
#endif
	return usage_error("unknown command '%s'", verb);
}
