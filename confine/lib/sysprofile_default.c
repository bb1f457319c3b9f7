// SPDX-License-Identifier: GPL-3.0-only
/*
 * The built-in syscall frequency profile: call counts of a mixed workload
 * (gcc -c three times, tar of /usr/include/linux, a shell loop of ls, cat
 * and grep, find, a python json loop and os.walk) recorded on x86_64 with
 * `strace -f -c -o counts.txt scripts/record-profile-workload`.
 * Names resolve per architecture, so the profile weights every target.
 */
#include "sysprofile.h"

static struct sysprofile_entry default_entries[] = {
	{ "wait4", 222 },
	{ "newfstatat", 8961 },
	{ "close", 8202 },
	{ "getdents64", 2958 },
	{ "fcntl", 5450 },
	{ "openat", 6807 },
	{ "readlink", 3503 },
	{ "mmap", 3621 },
	{ "read", 1311 },
	{ "clone", 81 },
	{ "execve", 162 },
	{ "write", 168 },
	{ "brk", 641 },
	{ "mprotect", 568 },
	{ "vfork", 53 },
	{ "munmap", 262 },
	{ "lseek", 226 },
	{ "rt_sigaction", 234 },
	{ "access", 273 },
	{ "pread64", 270 },
	{ "prlimit64", 159 },
	{ "splice", 40 },
	{ "futex", 134 },
	{ "pipe2", 47 },
	{ "getrandom", 136 },
	{ "rt_sigreturn", 128 },
	{ "ioctl", 131 },
	{ "sigaltstack", 40 },
	{ "rseq", 135 },
	{ "dup2", 209 },
	{ "set_robust_list", 216 },
	{ "set_tid_address", 135 },
	{ "arch_prctl", 135 },
	{ "statfs", 84 },
	{ "rt_sigprocmask", 141 },
	{ "unlink", 5 },
	{ "statx", 40 },
	{ "fadvise64", 40 },
	{ "sysinfo", 10 },
	{ "getcwd", 11 },
	{ "fchdir", 1 },
	{ "geteuid", 3 },
	{ "getuid", 2 },
	{ "getgid", 2 },
	{ "getpid", 1 },
	{ "getppid", 1 },
	{ "getrusage", 3 },
	{ "faccessat2", 3 },
	{ "getegid", 2 },
	{ "gettid", 1 },
	{ "socket", 4 },
	{ "connect", 4 },
	{ "uname", 1 },
	{ "fstatfs", 1 },
};

static struct sysprofile default_profile;

const struct sysprofile *sysprofile_default(void)
{
	if (!default_profile.n) {
		size_t i;
		uint64_t total = 0;

		for (i = 0; i < sizeof(default_entries) / sizeof(default_entries[0]); i++)
			total += default_entries[i].count;
		default_profile.e = default_entries;
		default_profile.total = total;
		default_profile.n = sizeof(default_entries) / sizeof(default_entries[0]);
	}
	return &default_profile;
}
