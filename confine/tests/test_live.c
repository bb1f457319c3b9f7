// SPDX-License-Identifier: GPL-3.0-only
/*
 * Live: the compiled default policy loaded into forked children on this
 * kernel, the way snapd's loader does (no_new_privs, the deny program then
 * the allow program, SECCOMP_FILTER_FLAG_LOG), checked through the real
 * errno of real calls: EPERM for what is not allowed, EACCES for the ~
 * rules, ENOSYS above the known numbers, success for allowed calls; the
 * i386 compat path entered with int $0x80 from this 64-bit program; x32
 * numbers killing the process; a denial's audit line (type=1326) in the
 * kernel log; and a complain profile letting a forbidden call through.
 * Both our generator and libseccomp's are loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_layout.h"
#include "compile.h"
#include "seccomp_compat.h"
#include "fileio.h"
#include "tap.h"


enum call {
	C_GETPID,
	C_ADD_KEY,
	C_KEXEC,
	C_TIOCSTI,
	C_TIOCSTI_HI,
	C_IOCTL_OTHER,
	C_SOCKET_UNIX,
	C_SOCKET_NETLINK,
	C_ABOVE_KNOWN,
	C_CHOWN_ROOT,
	C_CHOWN_USER,
	C_I386_GETPID,
	C_I386_PTRACE,
	C_I386_ABOVE,
	C_I386_TIOCSTI,
	C_X32_GETPID,
};

/* the 32-bit system call entry, from 64-bit code */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

/* 0 on success, else the errno; runs in the filtered child */
static int do_call(enum call c)
{
	long r;

	errno = 0;
	switch (c) {
	case C_GETPID:
		r = syscall(SYS_getpid);
		break;
	case C_ADD_KEY:
		r = syscall(SYS_add_key, "user", "x", "y", 1, 0);
		break;
	case C_KEXEC:
		r = syscall(SYS_kexec_load, 0, 0, 0, 0);
		break;
	case C_TIOCSTI:
		r = syscall(SYS_ioctl, -1, TIOCSTI, 0);
		break;
	case C_TIOCSTI_HI:
		r = syscall(SYS_ioctl, -1, 0xffffffff00005412ull, 0);
		break;
	case C_IOCTL_OTHER:
		r = syscall(SYS_ioctl, -1, TCGETS, 0); /* EBADF from the kernel, not from seccomp */
		if (r < 0 && errno == EBADF)
			return 0;
		break;
	case C_SOCKET_UNIX:
		r = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
		break;
	case C_SOCKET_NETLINK:
		r = syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0);
		break;
	case C_ABOVE_KNOWN:
		r = syscall(1000);
		break;
	case C_CHOWN_ROOT: /* to root:unchanged is allowed; the kernel then says ENOENT */
		r = syscall(SYS_chown, "/nonexistent/confine", 0, -1);
		if (r < 0 && errno == ENOENT)
			return 0;
		break;
	case C_CHOWN_USER:
		r = syscall(SYS_chown, "/nonexistent/confine", 1000, 1000);
		break;
	case C_I386_GETPID:
		r = int80(20, 0, 0, 0);
		return r > 0 ? 0 : (int)-r;
	case C_I386_PTRACE:
		r = int80(26, 0, 0, 0);
		return r >= 0 ? 0 : (int)-r;
	case C_I386_ABOVE:
		r = int80(1000, 0, 0, 0);
		return r >= 0 ? 0 : (int)-r;
	case C_I386_TIOCSTI:
		r = int80(54, -1, TIOCSTI, 0);
		return r >= 0 ? 0 : (int)-r;
	case C_X32_GETPID:
		r = syscall(0x40000000 | SYS_getpid);
		break;
	default:
		return 255;
	}
	return r >= 0 ? 0 : errno;
}

static int load(const struct bpf_prog *p)
{
	struct sock_fprog f = { .len = (unsigned short)p->len, .filter = p->insn };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &f);
}

/* the child's wait status after loading r and making call c */
static int run_confined(const struct compile_result *r, enum call c, pid_t *pid)
{
	int st;

	fflush(stdout);
	*pid = fork();
	if (*pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || load(&r->deny) || load(&r->allow))
			_exit(200);
		_exit(do_call(c));
	}
	if (*pid < 0 || waitpid(*pid, &st, 0) != *pid)
		return -1;
	return st;
}

static bool int80_works(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(int80(20, 0, 0, 0) > 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int compile_default(const char *board, enum compile_backend b, const char *text, size_t len,
			   struct compile_result *r)
{
	struct compile_opts o;
	struct diag err;

	compile_opts_default(&o);
	target_for_board(board, &o.target);
	o.backend = b;
	if (compile_policy("default.src", text, len, &o, r, &err)) {
		diag("%s", err.msg);
		return -1;
	}
	return 0;
}

/* the kernel log has an audit line for pid's call nr */
static bool audit_line_for(pid_t pid, long nr)
{
	char want_pid[32], want_nr[32], buf[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	bool found = false;
	ssize_t n;

	if (fd < 0)
		return false;
	snprintf(want_pid, sizeof(want_pid), " pid=%d ", (int)pid);
	snprintf(want_nr, sizeof(want_nr), " syscall=%ld ", nr);
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (strstr(buf, "type=1326") && strstr(buf, want_pid) && strstr(buf, want_nr))
			found = true;
	}
	close(fd);
	return found;
}

static void set_ratelimit(const char *v, char *old, size_t oldlen)
{
	struct diag err;
	char *cur = NULL;
	size_t len;
	int fd;

	if (old && !file_read_all("/proc/sys/kernel/printk_ratelimit", 64, &cur, &len, &err)) {
		snprintf(old, oldlen, "%s", cur);
		free(cur);
	}
	fd = open("/proc/sys/kernel/printk_ratelimit", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, v, strlen(v)) < 0)
			diag("cannot set kernel.printk_ratelimit");
		close(fd);
	}
}

/* vmalloc areas the kernel allocated from bpf_prog_realloc, now (-1: /proc/vmallocinfo unreadable) */
static long reallocs_now(void)
{
	struct diag err;
	char *text, *at;
	size_t len;
	long n = 0;

	if (file_read_all("/proc/vmallocinfo", 64 << 20, &text, &len, &err))
		return -1;
	for (at = text; (at = strstr(at, " bpf_prog_realloc+")); at++)
		n++;
	free(text);
	return n;
}

/*
 * The reallocations counted while a child holds p loaded (it waits on a
 * pipe), less those before: what loading p left in vmalloc space
 */
static long reallocs_of(const struct bpf_prog *p)
{
	int up[2], down[2], st;
	long before, during = -1;
	char c = 0;
	pid_t pid;

	if (pipe(up) || pipe(down))
		return -1;
	before = reallocs_now();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || load(p))
			_exit(1);
		/* (the filter allows write and read: the default policy does) */
		if (write(up[1], "l", 1) != 1 || read(down[0], &c, 1) < 0)
			_exit(2);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	if (pid > 0 && read(up[0], &c, 1) == 1)
		during = reallocs_now();
	close(down[1]);
	close(up[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) || before < 0 ||
	    during < 0)
		return -1;
	return during - before;
}

int main(void)
{
	static const struct {
		enum call c;
		int want; /* exit status: 0 success, else errno; -SIGSYS: killed */
		const char *what;
	} cases[] = {
		{ C_GETPID, 0, "getpid is allowed" },
		{ C_ADD_KEY, EPERM, "add_key (not in the policy) returns EPERM" },
		{ C_KEXEC, EPERM, "kexec_load returns EPERM" },
		{ C_TIOCSTI, EACCES, "ioctl(TIOCSTI) hits a ~ rule: EACCES" },
		{ C_TIOCSTI_HI, EACCES, "ioctl(TIOCSTI | high bits set) still EACCES" },
		{ C_IOCTL_OTHER, 0, "other ioctls reach the kernel (EBADF)" },
		{ C_SOCKET_UNIX, 0, "socket(AF_UNIX) is allowed" },
		{ C_SOCKET_NETLINK, EPERM, "socket(AF_NETLINK) returns EPERM" },
		{ C_ABOVE_KNOWN, ENOSYS, "number 1000, above the known ones, returns ENOSYS" },
		{ C_CHOWN_ROOT, 0, "chown to root (uid 0, gid -1) reaches the kernel (ENOENT)" },
		{ C_CHOWN_USER, EPERM, "chown to uid 1000 returns EPERM" },
		{ C_X32_GETPID, -SIGSYS, "an x32 number kills the process (SIGSYS)" },
		{ C_I386_GETPID, 0, "i386 getpid through int $0x80 is allowed" },
		{ C_I386_PTRACE, EPERM, "i386 ptrace through int $0x80 returns EPERM" },
		{ C_I386_ABOVE, ENOSYS, "i386 number 1000 returns ENOSYS" },
		{ C_I386_TIOCSTI, EACCES, "i386 ioctl(TIOCSTI) returns EACCES" },
	};
	static const enum compile_backend backends[] = { BACKEND_OURS, BACKEND_LIBSECCOMP };
	const char *src = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
	char path[4096], old_rl[64] = "5";
	char *text = NULL;
	size_t len;
	struct diag err;
	bool i386 = int80_works();

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &(uint32_t){ SECCOMP_RET_LOG }) != 0 && errno == ENOSYS) {
		printf("1..0 # SKIP this kernel has no seccomp()\n");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/confine/snap-seccomp/policy/default.src", src);
	if (file_read_all(path, 1 << 20, &text, &len, &err)) {
		ok(false, "read the default policy: %s", err.msg);
		return tap_done();
	}
	if (!i386)
		diag("int $0x80 does not reach the i386 entry on this kernel (no IA32 emulation)");
	for (size_t b = 0; b < sizeof(backends) / sizeof(backends[0]); b++) {
		const char *bn = backends[b] == BACKEND_OURS ? "ours" : "libseccomp";
		struct compile_result r = { 0 };

		if (compile_default("pc", backends[b], text, len, &r)) {
			ok(false, "%s: the default policy compiles", bn);
			continue;
		}
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			int want = cases[i].want, st;
			pid_t pid;

			if (cases[i].c >= C_I386_GETPID && cases[i].c <= C_I386_TIOCSTI && !i386) {
				skip(1, "no IA32 emulation: int $0x80 cannot enter the i386 path");
				continue;
			}
			/* libseccomp's ENOSYS region does not exist: EPERM there */
			if (backends[b] == BACKEND_LIBSECCOMP && want == ENOSYS)
				want = EPERM;
			st = run_confined(&r, cases[i].c, &pid);
			if (want == -SIGSYS)
				ok(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "%s: %s (status %#x)", bn,
				   cases[i].what, st);
			else
				ok(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == want, "%s: %s%s (errno %d)", bn,
				   cases[i].what, want != cases[i].want ? " [libseccomp: EPERM, it has no ENOSYS region]" : "",
				   st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
		compile_result_free(&r);
	}

	/* the kernel logs a denial of a filter loaded with SECCOMP_FILTER_FLAG_LOG */
	{
		struct compile_result r = { 0 };
		pid_t pid;
		int st;

		set_ratelimit("0", old_rl, sizeof(old_rl));
		if (compile_default("pc", BACKEND_OURS, text, len, &r) == 0) {
			st = run_confined(&r, C_ADD_KEY, &pid);
			usleep(100000);
			ok(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == EPERM && audit_line_for(pid, SYS_add_key),
			   "a denied add_key leaves its type=1326 line (pid %d, syscall %d) in the kernel log", (int)pid,
			   SYS_add_key);
		}
		compile_result_free(&r);
		set_ratelimit(old_rl, NULL, 0);
	}

	/* complain mode: the forbidden call goes through to the kernel */
	{
		static const char cmp[] = "@complain\ngetpid\n~ioctl - 21522\n"; /* TIOCSTI */
		struct compile_result r = { 0 };
		pid_t pid;
		int st;

		if (compile_default("pc", BACKEND_OURS, cmp, strlen(cmp), &r)) {
			ok(false, "complain: the complain policy compiles");
		} else {
			st = run_confined(&r, C_CHOWN_USER, &pid);
			ok(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == ENOENT,
			   "complain: a call outside the policy reaches the kernel (ENOENT, got %d)",
			   st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
			st = run_confined(&r, C_TIOCSTI, &pid);
			ok(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == EACCES, "complain: the ~ rule still returns EACCES");
		}
		compile_result_free(&r);
	}

	/*
	 * the padding (bpf_layout.h): the kernel converts our program in the
	 * pages it copied it into; without the padding it reallocates them
	 * (the control, which shows that the count can see it)
	 */
	{
		struct compile_result r = { 0 };

		if (compile_default("pc", BACKEND_OURS, text, len, &r) == 0) {
			struct bpf_prog bare = r.allow;
			long padded = -1, control = -1;

			bare.len -= bpf_layout_padding(r.allow.insn, r.allow.len);
			/* another process's load can land between the counts: the first clean pair */
			for (int tries = 0; tries < 3 && !(padded == 0 && control == 1); tries++) {
				padded = reallocs_of(&r.allow);
				control = reallocs_of(&bare);
			}
			char why[160];

			snprintf(why, sizeof(why),
				 "this kernel names no bpf_prog_realloc area for the unpadded "
				 "program (%ld): nothing to compare",
				 control);
			if (padded < 0 || control < 0)
				skip(1, "/proc/vmallocinfo cannot be read here (not root?)");
			else if (control != 1)
				skip(1, why);
			else
				ok(padded == 0,
				   "the kernel converts the padded program (%zu instructions, %zu of them "
				   "padding) without reallocating (%ld areas; the same program unpadded: "
				   "%ld)",
				   r.allow.len, r.allow.len - bare.len, padded, control);
		}
		compile_result_free(&r);
	}
	free(text);
	return tap_done();
}
