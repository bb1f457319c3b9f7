// SPDX-License-Identifier: GPL-3.0-only
/*
 * snap-scanlog's parts: the kernel log lines (scanlog.h) as real kernels
 * print them (captured on this host, kernel 6.18, and in the boards' QEMU
 * guests, Debian's 6.1: x86_64, aarch64, arm), in /dev/kmsg, dmesg,
 * journal and audit.log form; AppArmor's globs and rules (aaglob.h); the
 * generated syscall-name table against libseccomp itself; the answers
 * (explain.h) from interface data given here; the app of a line from a
 * snap.yaml; and the device check (devcheck.h) in a scratch root with a
 * small sysfs.
 */
#include <errno.h>
#include <ftw.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devcheck.h"
#include "iface/aaglob.h"
#include "iface/explain.h"
#include "scanlog.h"
#include "syscall_names.h"
#include "syscall_table.h"
#include "tap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- real lines */

/* this host (kernel 6.18, no AppArmor): /dev/kmsg records and dmesg */
static const char host_kmsg_bind[] =
	"5,4543,8389194724,-;audit: type=1326 audit(1796022575.573:991): auid=4294967295 uid=0 gid=0 "
	"ses=4294967295 pid=18768 comm=\"probe\" exe=\"/snap/scandemo/1/bin/probe\" sig=0 arch=c000003e "
	"syscall=49 compat=0 ip=0x43ad37 code=0x50000\n";
static const char host_dmesg_kill[] =
	"[ 7375.972541] audit: type=1326 audit(1796021562.349:988): auid=4294967295 uid=0 gid=0 "
	"ses=4294967295 "
	"pid=10003 comm=\"test_bpf\" exe=\"/work/main/output/host-asan/tests/test_bpf\" sig=31 arch=c000003e "
	"syscall=131 compat=0 ip=0x7f3af425a817 code=0x0";
static const char host_kmsg_suppressed[] = "4,4511,7296751634,-;kauditd_printk_skb: 70 callbacks suppressed";

/* the pc guest (x86_64, Debian 6.1, AppArmor): dmesg */
static const char pc_dmesg_add_key[] =
	"[   11.106701] audit: type=1326 audit(1796021935.468:10): auid=4294967295 uid=4242 gid=4242 "
	"ses=4294967295 subj=snap.hello.bad pid=209 comm=\"probe\" exe=\"/snap/hello/1/bin/probe\" sig=0 "
	"arch=c000003e syscall=248 compat=0 ip=0x404344 code=0x50000";
static const char pc_dmesg_devmode[] =
	"[   13.088332] audit: type=1326 audit(1796021937.456:13): auid=4294967295 uid=4242 gid=4242 "
	"ses=4294967295 subj=snap.devtool.tool pid=225 comm=\"probe\" exe=\"/snap/devtool/1/bin/probe\" "
	"sig=0 "
	"arch=c000003e syscall=248 compat=0 ip=0x404344 code=0x7ffc0000";
static const char pc_dmesg_open[] =
	"[   12.650910] audit: type=1400 audit(1796021937.016:12): apparmor=\"DENIED\" operation=\"open\" "
	"profile=\"snap.hello.hello\" name=\"/var/lib/snapd/outside-secret\" pid=221 comm=\"probe\" "
	"requested_mask=\"r\" denied_mask=\"r\" fsuid=4242 ouid=0";
static const char pc_dmesg_capable[] =
	"[   16.225839] audit: type=1400 audit(1796021940.588:22): apparmor=\"DENIED\" operation=\"capable\" "
	"profile=\"snap.hello.hello\" pid=259 comm=\"hostname\" capability=21  capname=\"sys_admin\"";
static const char pc_dmesg_net[] =
	"[   16.273688] audit: type=1400 audit(1796021940.640:28): apparmor=\"DENIED\" operation=\"create\" "
	"profile=\"snap.hello.hello\" pid=263 comm=\"ip\" family=\"netlink\" sock_type=\"raw\" protocol=0 "
	"requested_mask=\"create\" denied_mask=\"create\"";
static const char pc_dmesg_mknod[] =
	"[   16.199953] audit: type=1400 audit(1796021940.568:19): apparmor=\"DENIED\" operation=\"mknod\" "
	"profile=\"snap.hello.hello\" name=\"/etc/newfile\" pid=256 comm=\"touch\" requested_mask=\"c\" "
	"denied_mask=\"c\" fsuid=0 ouid=0";
static const char pc_kmsg_allowed_child[] =
	"5,434,16452162,-;audit: type=1400 audit(1796021940.812:36): apparmor=\"ALLOWED\" operation=\"open\" "
	"profile=\"snap.devtool.tool//null-/bin/busybox\" name=\"/etc/shadow\" pid=266 comm=\"cat\" "
	"requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0";

/* the dragonboard guest (aarch64): /dev/kmsg records */
static const char db_kmsg_add_key[] =
	"5,252,15226093,-;audit: type=1326 audit(1796022006.480:10): auid=4294967295 uid=4242 gid=4242 "
	"ses=4294967295 subj=snap.hello.bad pid=203 comm=\"probe\" exe=\"/snap/hello/1/bin/probe\" sig=0 "
	"arch=c00000b7 syscall=217 compat=0 ip=0x403440 code=0x50000";
static const char db_kmsg_status[] =
	"5,244,4780058,-;audit: type=1400 audit(1796021996.040:2): apparmor=\"STATUS\" "
	"operation=\"profile_load\" "
	"profile=\"unconfined\" name=\"/usr/lib/snapd/snap-confine\" pid=153 comm=\"cat\"";
static const char db_kmsg_chown[] =
	"5,261,19847108,-;audit: type=1400 audit(1796022011.104:19): apparmor=\"DENIED\" operation=\"chown\" "
	"profile=\"snap.hello.hello\" name=\"/tmp/\" pid=248 comm=\"chown\" requested_mask=\"w\" "
	"denied_mask=\"w\" "
	"fsuid=0 ouid=0";

/* ... an armhf program on it: arm's bind (282), compat=1 (dmesg, a root shell: subj=unconfined) */
static const char db_dmesg_compat_bind[] =
	"[   17.809245] audit: type=1326 audit(1796024547.700:17): auid=4294967295 uid=0 gid=0 "
	"ses=4294967295 "
	"subj=unconfined pid=244 comm=\"probe32\" exe=\"/snap/scandemo/1/bin/probe32\" sig=0 arch=40000028 "
	"syscall=282 compat=1 ip=0x289d8 code=0x50000";

/* the pi2 guest (arm): /dev/kmsg records */
static const char pi2_kmsg_add_key[] =
	"5,231,17921506,-;audit: type=1326 audit(1796022038.056:10): auid=4294967295 uid=4242 gid=4242 "
	"ses=4294967295 subj=snap.hello.bad pid=197 comm=\"probe\" exe=\"/snap/hello/1/bin/probe\" sig=0 "
	"arch=40000028 syscall=309 compat=0 ip=0x127ac code=0x50000";
static const char pi2_kmsg_socket[] =
	"5,235,22666797,-;audit: type=1326 audit(1796022042.800:14): auid=4294967295 uid=0 gid=0 "
	"ses=4294967295 "
	"subj=snap.hello.bad pid=237 comm=\"probe\" exe=\"/snap/hello/1/bin/probe\" sig=0 arch=40000028 "
	"syscall=281 compat=0 ip=0x127ac code=0x50000";

/*
 * Forms not captured here, written after the kernel's and auditd's
 * formats: a label with its mode (kernels that print it), auditd's
 * audit.log with an i386 compat call, a journal line with a hex-encoded
 * path and comm, a USER_AVC from a D-Bus daemon, the kernel's audit_lost.
 */
static const char synth_enforce[] =
	"audit: type=1326 audit(1700000000.123:45): auid=1000 uid=1000 gid=1000 ses=2 "
	"subj=snap.hello.bad (enforce) pid=1234 comm=\"probe\" exe=\"/snap/hello/1/bin/probe\" sig=0 "
	"arch=c000003e syscall=248 compat=0 ip=0x7f0000001234 code=0x50000";
static const char synth_auditlog_i386[] =
	"type=SECCOMP msg=audit(1700000000.123:46): auid=1000 uid=1000 gid=1000 ses=2 "
	"subj=snap.web.nobind (complain) pid=77 comm=\"srv\" exe=\"/snap/web/3/bin/srv\" sig=0 arch=40000003 "
	"syscall=361 compat=1 ip=0xf7f1c549 code=0x7ffc0000";
static const char synth_journal_hex[] =
	"Nov 30 06:59:01 host kernel: audit: type=1400 audit(1700000000.5:47): apparmor=\"DENIED\" "
	"operation=\"open\" profile=\"snap.hello.hello\" name=2F746D702F6120622E747874 pid=9 "
	"comm=6D7920617070 "
	"requested_mask=\"rw\" denied_mask=\"w\" fsuid=1000 ouid=1000";
static const char synth_user_avc[] = "audit: type=1107 audit(1700000000.6:48): pid=1 uid=102 auid=4294967295 "
				     "ses=4294967295 subj=unconfined "
				     "msg='apparmor=\"DENIED\" operation=\"dbus_method_call\"  "
				     "bus=\"system\" path=\"/org/freedesktop/hostname1\" "
				     "interface=\"org.freedesktop.DBus.Properties\" member=\"GetAll\" "
				     "mask=\"send\" name=\"org.freedesktop.hostname1\" "
				     "pid=4321 label=\"snap.hello.hello\" peer_pid=99 "
				     "peer_label=\"unconfined\" exe=\"/usr/bin/dbus-daemon\" "
				     "sauid=102 hostname=? addr=? terminal=?'";
static const char synth_lost[] = "[  120.1] audit: audit_lost=12 audit_rate_limit=0 audit_backlog_limit=64";

static void test_parse_seccomp(void)
{
	struct scan_event ev;

	ok(scan_parse_line(host_kmsg_bind, strlen(host_kmsg_bind), &ev) == SCAN_SECCOMP && ev.has_arch &&
		   ev.arch == 0xc000003eu && ev.syscall == 49 && ev.compat == 0 && ev.has_code &&
		   ev.code == 0x50000 && ev.pid == 18768 && !strcmp(ev.comm, "probe") &&
		   !strcmp(ev.exe, "/snap/scandemo/1/bin/probe") && !ev.label[0] &&
		   !strcmp(ev.stamp, "1796022575.573:991") && ev.sig == 0,
	   "host /dev/kmsg record: seccomp, x86_64 call 49, code 0x50000, pid, comm, exe, no label (no "
	   "AppArmor)");
	ok(scan_parse_line(host_dmesg_kill, strlen(host_dmesg_kill), &ev) == SCAN_SECCOMP && ev.code == 0 &&
		   ev.sig == 31 && ev.syscall == 131,
	   "host dmesg line: a kill-thread (code 0x0, sig 31)");
	ok(scan_parse_line(pc_dmesg_add_key, strlen(pc_dmesg_add_key), &ev) == SCAN_SECCOMP &&
		   !strcmp(ev.label, "snap.hello.bad") && !ev.label_mode[0] && ev.syscall == 248,
	   "pc guest dmesg: subj=snap.hello.bad (Debian 6.1 prints no mode)");
	ok(scan_parse_line(pc_dmesg_devmode, strlen(pc_dmesg_devmode), &ev) == SCAN_SECCOMP &&
		   ev.code == SCAN_RET_LOG && !strcmp(ev.label, "snap.devtool.tool"),
	   "pc guest: a devmode app's logged call (code 0x7ffc0000)");
	ok(scan_parse_line(db_kmsg_add_key, strlen(db_kmsg_add_key), &ev) == SCAN_SECCOMP &&
		   ev.arch == 0xc00000b7u && ev.syscall == 217,
	   "dragonboard guest /dev/kmsg: aarch64 call 217");
	ok(scan_parse_line(db_dmesg_compat_bind, strlen(db_dmesg_compat_bind), &ev) == SCAN_SECCOMP &&
		   ev.arch == 0x40000028u && ev.syscall == 282 && ev.compat == 1 &&
		   !strcmp(ev.label, "unconfined"),
	   "dragonboard guest dmesg: an arm compat call (compat=1), subj=unconfined");
	ok(scan_parse_line(pi2_kmsg_add_key, strlen(pi2_kmsg_add_key), &ev) == SCAN_SECCOMP &&
		   ev.arch == 0x40000028u && ev.syscall == 309,
	   "pi2 guest /dev/kmsg: arm call 309");
	ok(scan_parse_line(synth_enforce, strlen(synth_enforce), &ev) == SCAN_SECCOMP &&
		   !strcmp(ev.label, "snap.hello.bad") && !strcmp(ev.label_mode, "enforce") && ev.pid == 1234,
	   "subj=snap.hello.bad (enforce): the label without its mode, the mode apart, pid after it");
	ok(scan_parse_line(synth_auditlog_i386, strlen(synth_auditlog_i386), &ev) == SCAN_SECCOMP &&
		   ev.arch == 0x40000003u && ev.compat == 1 && ev.syscall == 361 &&
		   !strcmp(ev.label, "snap.web.nobind") && !strcmp(ev.label_mode, "complain"),
	   "audit.log: type=SECCOMP, an i386 compat call, (complain)");
}

static void test_parse_apparmor(void)
{
	struct scan_event ev;

	ok(scan_parse_line(pc_dmesg_open, strlen(pc_dmesg_open), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.outcome, "DENIED") && !strcmp(ev.operation, "open") &&
		   !strcmp(ev.label, "snap.hello.hello") &&
		   !strcmp(ev.name, "/var/lib/snapd/outside-secret") && !strcmp(ev.requested, "r") &&
		   !strcmp(ev.denied, "r") && ev.fsuid == 4242 && ev.ouid == 0,
	   "pc guest: AppArmor DENIED open: profile, name, masks, fsuid, ouid");
	ok(scan_parse_line(pc_dmesg_capable, strlen(pc_dmesg_capable), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.capname, "sys_admin") && ev.capability == 21 && ev.pid == 259,
	   "pc guest: capable, capability=21  capname (two spaces)");
	ok(scan_parse_line(pc_dmesg_net, strlen(pc_dmesg_net), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.family, "netlink") && !strcmp(ev.sock_type, "raw") && ev.protocol == 0,
	   "pc guest: network create, family, sock_type, protocol");
	ok(scan_parse_line(pc_kmsg_allowed_child, strlen(pc_kmsg_allowed_child), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.outcome, "ALLOWED") &&
		   !strcmp(ev.label, "snap.devtool.tool//null-/bin/busybox"),
	   "pc guest /dev/kmsg: ALLOWED (complain) under a child profile");
	ok(scan_parse_line(db_kmsg_status, strlen(db_kmsg_status), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.outcome, "STATUS"),
	   "dragonboard guest: a STATUS line is parsed (and is no denial)");
	ok(scan_parse_line(synth_journal_hex, strlen(synth_journal_hex), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.name, "/tmp/a b.txt") && !strcmp(ev.comm, "my app") && !strcmp(ev.denied, "w"),
	   "journal line: hex-encoded name and comm decoded");
	ok(scan_parse_line(synth_user_avc, strlen(synth_user_avc), &ev) == SCAN_APPARMOR &&
		   !strcmp(ev.operation, "dbus_method_call") && !strcmp(ev.label, "snap.hello.hello") &&
		   ev.pid == 4321 && !strcmp(ev.requested, "send") && !strcmp(ev.peer, "unconfined"),
	   "USER_AVC: the fields inside msg='...', the app's label and pid, not the daemon's");
}

static void test_parse_other(void)
{
	struct scan_event ev;
	static const char *const none[] = {
		"",
		"[    0.000000] Linux version 6.1.0-50-amd64",
		"5,95,223505,-;audit: type=2000 audit(0.176:1): state=initialized audit_enabled=0 res=1",
		"audit: type=1326 audit(1.2:3): auid=0 uid=0 pid=5 comm=\"x\" arch=c000003e code=0x50000",
		"kernel: apparmor_parser[12]: foo",
		"some text type=1326x apparmor",
		"comm=\"apparmor=\" type=1400",
	};
	char out[256];
	size_t n;

	ok(scan_parse_line(host_kmsg_suppressed, strlen(host_kmsg_suppressed), &ev) == SCAN_SUPPRESSED &&
		   ev.suppressed == 70 && !ev.lost_total,
	   "host: kauditd_printk_skb: 70 callbacks suppressed (rate limit)");
	ok(scan_parse_line(synth_lost, strlen(synth_lost), &ev) == SCAN_SUPPRESSED && ev.suppressed == 12 &&
		   ev.lost_total,
	   "audit_lost=12: the kernel's lost count");
	for (size_t i = 0; i < ARRAY_LEN(none); i++)
		ok(scan_parse_line(none[i], strlen(none[i]), &ev) == SCAN_NONE, "not an event: '%s'",
		   none[i]);
	/* a line cut short: bounded, no event without its syscall */
	ok(scan_parse_line(pc_dmesg_add_key, 120, &ev) == SCAN_NONE,
	   "a seccomp line cut before syscall=: no event");
	ok(scan_parse_line(pc_dmesg_open, strlen(pc_dmesg_open) - 40, &ev) == SCAN_APPARMOR && ev.fsuid == -1,
	   "an AppArmor line cut short: what is there");
	n = scan_kmsg_text(db_kmsg_chown, strlen(db_kmsg_chown), out, sizeof(out));
	ok(n == strlen(out) && !strncmp(out, "audit: type=1400", 16), "kmsg record: the header goes");
	n = scan_kmsg_text("6,1,2,-;a\\x5cb\\x1bc\\x41\n SUBSYSTEM=x\n", 40, out, sizeof(out));
	ok(!strcmp(out, "a\\b?cA") && n == 6, "kmsg escapes decoded, control characters not (%s)", out);
	n = scan_kmsg_text("6,1,2,-;abcdef", 14, out, 4);
	ok(n == 3 && !strcmp(out, "abc"), "kmsg text bounded by the buffer");
	ok(scan_kmsg_header(db_kmsg_chown, strlen(db_kmsg_chown)) && !scan_kmsg_header(pc_dmesg_open, 40) &&
		   !scan_kmsg_header("12,x;a", 6),
	   "kmsg header recognised only as PRIO,SEQ,USEC,FLAGS;");
	ok(!strcmp(scan_action_name(SCAN_RET_ERRNO), "errno") &&
		   !strcmp(scan_action_name(SCAN_RET_LOG), "log") &&
		   !strcmp(scan_action_name(SCAN_RET_KILL_THREAD), "kill-thread") &&
		   !scan_action_name(0x1234),
	   "seccomp action names");
}

/* ---- syscall names: the generated table against libseccomp */

static void test_sysnames(void)
{
	static const struct {
		uint32_t audit;
		const char *arch;
		uint32_t bind, add_key, socket;
	} known[] = {
		{ 0xc000003eu, "x86_64", 49, 248, 41 },
		{ 0x40000003u, "i386", 361, 286, 359 },
		{ 0xc00000b7u, "aarch64", 200, 217, 198 },
		{ 0x40000028u, "arm", 282, 309, 281 },
	};

	for (size_t i = 0; i < ARRAY_LEN(known); i++) {
		unsigned diff = 0, names = 0;
		const char *n;

		ok(!strcmp(sysname_arch(known[i].audit), known[i].arch) &&
			   !strcmp(sysname_lookup(known[i].audit, known[i].bind), "bind") &&
			   !strcmp(sysname_lookup(known[i].audit, known[i].add_key), "add_key") &&
			   !strcmp(sysname_lookup(known[i].audit, known[i].socket), "socket"),
		   "%s: bind %u, add_key %u, socket %u", known[i].arch, known[i].bind, known[i].add_key,
		   known[i].socket);
		ok(sysname_number(known[i].audit, "bind") == known[i].bind &&
			   sysname_number(known[i].audit, "no_such_call") == -1,
		   "%s: numbers back from names", known[i].arch);
		/* every number libseccomp names, the same name; none it does not */
		for (int nr = 0; nr < 1024; nr++) {
			char *want = seccomp_syscall_resolve_num_arch(known[i].audit, nr);

			n = sysname_lookup(known[i].audit, (uint32_t)nr);
			names += want != NULL;
			if ((want == NULL) != (n == NULL) || (want && strcmp(want, n)))
				diff++;
			free(want);
		}
		ok(diff == 0 && names > 250,
		   "%s: the table names the %u calls libseccomp names (0..1023), %u differ", known[i].arch,
		   names, diff);
	}
	ok(sysname_lookup(0x40000028u, 0x0f0005) &&
		   !strcmp(sysname_lookup(0x40000028u, 0x0f0005), "set_tls") &&
		   !strcmp(sysname_lookup(0x40000028u, 0x0f0002), "cacheflush"),
	   "arm's private calls: set_tls, cacheflush");
	ok(!sysname_lookup(0x40000028u, 0x0f0800) && !sysname_lookup(0xc000003eu, 5000) &&
		   !sysname_lookup(0xc000003eu, 0xffffffffu) && !sysname_lookup(0x12345678u, 1) &&
		   !sysname_arch(0x12345678u),
	   "unknown numbers and architectures: NULL");
	ok(!strcmp(sysname_libseccomp_version, syscall_table_version()),
	   "the table says which libseccomp it came from (%s)", sysname_libseccomp_version);
}

/* ---- AppArmor globs and rules */

static void test_glob(void)
{
	static const struct {
		const char *pattern, *path;
		bool want;
	} t[] = {
		{ "/etc/{hosts,host.conf,services}", "/etc/hosts", true },
		{ "/etc/{hosts,host.conf,services}", "/etc/host", false },
		{ "/etc/{hosts,host.conf,services}", "/etc/services", true },
		{ "/etc/{,a/}x", "/etc/x", true },
		{ "/etc/{,a/}x", "/etc/a/x", true },
		{ "/var/lib/{a,{b,c}d}/x", "/var/lib/cd/x", true },
		{ "/var/lib/{a,{b,c}d}/x", "/var/lib/ad/x", false },
		{ "@{PROC}/@{pid}/net/{if_inet6,route}", "/proc/123/net/route", true },
		{ "@{PROC}/@{pid}/net/{if_inet6,route}", "/proc/0123/net/route", false },
		{ "@{PROC}/@{pid}/net/{if_inet6,route}", "/proc/self/net/route", false },
		{ "@{PROC}/@{pid}/net/{if_inet6,route}", "/proc/12345678/net/route", false },
		{ "@{PROC}/sys/net/core/somaxconn", "/proc/sys/net/core/somaxconn", true },
		{ "owner @{PROC}/@{pid}/{,task/@{tid}/}stat", "/proc/1/task/2/stat", false },
		{ "@{PROC}/@{pid}/{,task/@{tid}/}stat", "/proc/1/task/2/stat", true },
		{ "@{PROC}/@{pid}/{,task/@{tid}/}stat", "/proc/1/stat", true },
		{ "/tmp/**", "/tmp/a/b", true },
		{ "/tmp/**", "/tmp/a", true },
		{ "/tmp/**", "/tmp/", false },
		{ "/tmp/*", "/tmp/a/b", false },
		{ "/tmp/*", "/tmp/a", true },
		{ "/tmp/*", "/tmp/", false },
		{ "/tmp/*/", "/tmp/a/", true },
		{ "/tmp/a*", "/tmp/a", true },
		{ "/tmp/a*b", "/tmp/axyb", true },
		{ "/tmp/a*b", "/tmp/ax/yb", false },
		{ "/var/log/**", "/var/log/syslog", true },
		{ "/var/log/", "/var/log/syslog", false },
		{ "/dev/tty[A-Z]*[0-9]", "/dev/ttyUSB0", true },
		{ "/dev/tty[A-Z]*[0-9]", "/dev/tty0", false },
		{ "/dev/tty[^A-Z]", "/dev/tty0", true },
		{ "/dev/tty[^A-Z]", "/dev/ttyS", false },
		{ "/dev/vd[a-z]", "/dev/vdb", true },
		{ "/dev/vd[a-z]", "/dev/vd/", false },
		{ "/a/b?", "/a/bc", true },
		{ "/a/b?", "/a/b/", false },
		{ "/a/b?", "/a/b", false },
		{ "@{HOME}/.config/**", "/home/u/.config/x", true },
		{ "@{HOME}/.config/**", "/root/.config/x", true },
		{ "@{HOME}/.config/**", "/home/.config/x", false },
		{ "/{,usr/}lib{,32,64}/**", "/usr/lib64/x.so", true },
		{ "/{,usr/}lib/@{multiarch}/**", "/lib/aarch64-linux-gnu/libc.so.6", true },
		{ "/{,usr/}lib/@{multiarch}/**", "/lib/arm-linux-gnueabihf/libc.so.6", true },
		{ "/x/\\{a", "/x/{a", true },
		{ "/x/\\*", "/x/*", true },
		{ "/x/\\*", "/x/a", false },
		{ "/x/{a", "/x/{a", true },
		{ "/x/[a", "/x/[a", true },
		{ "@{unknown}/x", "/any/where/x", true },
		{ "@{INSTALL_DIR}/x/**", "/var/lib/snapd/snap/x/1/a", true },
		{ "", "", true },
		{ "/a", "/a/", false },
	};
	struct aa_vars v = { 0 };

	aa_vars_defaults(&v);
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		ok(aa_glob_match(t[i].pattern, t[i].path, &v, NULL, NULL) == t[i].want, "'%s' %s '%s'",
		   t[i].pattern, t[i].want ? "matches" : "does not match", t[i].path);
	ok(aa_vars_load_text(
		   &v, "abi <abi/3.0>,\n@{HOMEDIRS}=/home/ /srv/home/\n  @{snaps} += /a /b # c\n@{bad\n") ==
		   2,
	   "the base profile's @{VAR}= and += lines");
	ok(aa_glob_match("@{HOME}/x", "/srv/home/u/x", &v, NULL, NULL) &&
		   aa_glob_match("@{snaps}/y", "/b/y", &v, NULL, NULL),
	   "... and the patterns use them");
	/* a pattern that would take long to refuse gives up (no match) instead of running away */
	ok(!aa_glob_match("/**a**a**a**a**a**a**a**a**a**a**b",
			  "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &v, NULL, NULL),
	   "a pathological pattern stops");
	aa_vars_free(&v);
}

static bool only_snap(void *ctx, const char *expr, size_t elen, const char *val, size_t vlen)
{
	(void)ctx;
	(void)elen;
	return !strncmp(expr, "plug.target}", 12) && vlen >= 6 && !strncmp(val, "/snap/", 6);
}

static void test_rules(void)
{
	static const struct {
		const char *line;
		enum aa_rule_kind kind;
		const char *path;
		unsigned perms;
		bool owner, deny;
		size_t nwords;
	} t[] = {
		{ "  network inet,", AA_RULE_NET, "", 0, false, false, 1 },
		{ "network,", AA_RULE_NET, "", 0, false, false, 0 },
		{ "network (bind, listen) inet stream,", AA_RULE_NET, "", 0, false, false, 2 },
		{ "/etc/{hosts} r,", AA_RULE_FILE, "/etc/{hosts}", AA_PERM_R, false, false, 0 },
		{ "owner @{PROC}/@{pid}/x rw,", AA_RULE_FILE, "@{PROC}/@{pid}/x", AA_PERM_R | AA_PERM_W, true,
		  false, 0 },
		{ "capability net_admin sys_module,", AA_RULE_CAP, "", 0, false, false, 2 },
		{ "deny /x w,", AA_RULE_FILE, "/x", AA_PERM_W, false, true, 0 },
		{ "audit deny owner /x w,", AA_RULE_FILE, "/x", AA_PERM_W, true, true, 0 },
		{ "/usr/bin/foo Px -> bar,", AA_RULE_FILE, "/usr/bin/foo", AA_PERM_X, false, false, 0 },
		{ "/snap/x/** mrkix,", AA_RULE_FILE, "/snap/x/**",
		  AA_PERM_M | AA_PERM_R | AA_PERM_K | AA_PERM_X, false, false, 0 },
		{ "r /etc/x,", AA_RULE_FILE, "/etc/x", AA_PERM_R, false, false, 0 },
		{ "file,", AA_RULE_FILE, "", AA_PERM_ALL, false, false, 0 },
		{ "file /a r,", AA_RULE_FILE, "/a", AA_PERM_R, false, false, 0 },
		{ "\"/a b\" rw,", AA_RULE_FILE, "/a b", AA_PERM_R | AA_PERM_W, false, false, 0 },
		{ "\"${item}\" rwk,", AA_RULE_FILE, "${item}", AA_PERM_R | AA_PERM_W | AA_PERM_K, false,
		  false, 0 },
		{ "/x rw, # a comment", AA_RULE_FILE, "/x", AA_PERM_R | AA_PERM_W, false, false, 0 },
		{ "dbus send,", AA_RULE_OTHER, "", 0, false, false, 0 },
		{ "signal (send) peer=x,", AA_RULE_OTHER, "", 0, false, false, 0 },
		{ "/x rw", AA_RULE_OTHER, "", 0, false, false, 0 },
		{ "/x zz,", AA_RULE_OTHER, "", 0, false, false, 0 },
		{ "/x ix,", AA_RULE_FILE, "/x", AA_PERM_X, false, false, 0 },
		{ "/x i,", AA_RULE_OTHER, "", 0, false, false, 0 },
		{ "# comment", AA_RULE_NONE, "", 0, false, false, 0 },
		{ "   ", AA_RULE_NONE, "", 0, false, false, 0 },
	};
	struct aa_rule r;
	char buf[64];

	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		aa_rule_parse(t[i].line, &r);
		ok(r.kind == t[i].kind && (r.kind != AA_RULE_FILE || !strcmp(r.path, t[i].path)) &&
			   (r.kind != AA_RULE_FILE || r.perms == t[i].perms) && r.owner == t[i].owner &&
			   r.deny == t[i].deny && r.nwords == t[i].nwords,
		   "rule '%s': kind %d, path '%s', perms 0x%x", t[i].line, r.kind, r.path, r.perms);
	}
	ok(aa_perms_from_log("r") == AA_PERM_R && aa_perms_from_log("wc") == AA_PERM_W &&
		   aa_perms_from_log("d") == AA_PERM_W &&
		   aa_perms_from_log("rm") == (AA_PERM_R | AA_PERM_M) &&
		   aa_perms_from_log("x") == AA_PERM_X && aa_perms_from_log("a") == AA_PERM_A,
	   "the log's masks: c and d are writes");
	ok(aa_perms_cover(AA_PERM_W, AA_PERM_A) && aa_perms_cover(AA_PERM_A, AA_PERM_A) &&
		   !aa_perms_cover(AA_PERM_A, AA_PERM_W) &&
		   !aa_perms_cover(AA_PERM_R, AA_PERM_R | AA_PERM_W) &&
		   aa_perms_cover(AA_PERM_ALL, AA_PERM_R | AA_PERM_X),
	   "append is covered by write, not the other way");
	ok(!strcmp(aa_mask_describe("r", buf, sizeof(buf)), "read") &&
		   !strcmp(aa_mask_describe("wc", buf, sizeof(buf)), "write and create") &&
		   !strcmp(aa_mask_describe("rwk", buf, sizeof(buf)), "read, write and lock") &&
		   !strcmp(aa_mask_describe("", buf, sizeof(buf)), "access"),
	   "masks in words");
	aa_rule_parse("capability sys_admin net_admin,", &r);
	ok(aa_rule_allows_cap(&r, "net_admin") && !aa_rule_allows_cap(&r, "chown"),
	   "capability rule: its names");
	aa_rule_parse("capability,", &r);
	ok(aa_rule_allows_cap(&r, "chown"), "capability, (all)");
	aa_rule_parse("network inet stream,", &r);
	ok(aa_rule_allows_net(&r, "inet", "stream", 6) && !aa_rule_allows_net(&r, "inet", "dgram", 17) &&
		   !aa_rule_allows_net(&r, "inet6", "stream", 6),
	   "network inet stream,");
	aa_rule_parse("network netlink dgram,", &r);
	ok(!aa_rule_allows_net(&r, "netlink", "raw", 0) && aa_rule_allows_net(&r, "netlink", "dgram", 0),
	   "network netlink dgram, does not allow netlink raw");
	aa_rule_parse("network inet tcp,", &r);
	ok(aa_rule_allows_net(&r, "inet", "stream", 0) && aa_rule_allows_net(&r, "inet", "stream", 6) &&
		   !aa_rule_allows_net(&r, "inet", "dgram", 17),
	   "network inet tcp,");
	aa_rule_parse("network bogus words here,", &r);
	ok(!aa_rule_allows_net(&r, "bogus", "stream", 0), "network rule with words we do not know: no");
	ok(aa_glob_match("${plug.target}/**", "/snap/x/1/t/a", NULL, only_snap, NULL) &&
		   !aa_glob_match("${plug.target}/**", "/var/log/syslog", NULL, only_snap, NULL),
	   "a template asks the callback what its value may be");
}

/* ---- the answers, from interface data given here */

static const char iface_network[] =
	"interface: network\nauto-connect: true\nsystem-slot: true\n"
	"seccomp: |\n  # a comment\n  bind\n  socket AF_NETLINK - NETLINK_ROUTE\n"
	"apparmor: |\n  network inet,\n  network inet6,\n  network netlink dgram,\n"
	"  /etc/{hosts,resolv.conf} r,\n  @{PROC}/@{pid}/net/{if_inet6,route} r,\n";
static const char iface_network_bind[] =
	"interface: network-bind\nseccomp: |\n  accept\n  accept4\n  bind\n  listen\n"
	"  socket AF_NETLINK - NETLINK_ROUTE\n"
	"apparmor: |\n  network inet stream,\n  network netlink dgram,\n";
static const char iface_log_observe[] =
	"interface: log-observe\nsystem-slot: true\napparmor: |\n  /var/log/ r,\n"
	"  /var/log/** r,\n  /dev/kmsg r,\n  capability syslog,\n"
	"  @{PROC}/sys/kernel/printk_ratelimit rw,\n";
static const char iface_content[] =
	"interface: content\nplug-attributes:\n  target: {type: path, required: true}\n"
	"slot-attributes:\n  read: {type: list, items: path}\n"
	"apparmor:\n  - each: slot.read\n    text: '${plug.target}/** mrkix,'\n";
static const char iface_serial[] = "interface: serial-port\nslot-attributes:\n  path: {type: string, "
				   "pattern: '^/dev/tty(USB|S)[0-9]+$'}\n"
				   "apparmor:\n  - '${slot.path} rwk,'\n";
static const char iface_future[] =
	"interface: future-thing\nsome-new-key: [1, 2]\nseccomp: |\n  add_key\n"
	"apparmor:\n  - text: 'owner /home/*/.future/** rw,'\n    when: [plug.a, slot.b]\n";
static const char iface_broken[] = "interface: [unclosed\n";

static void db_fill(struct explain_db *db)
{
	explain_db_init(db);
	explain_db_add(db, "i/network.yaml", iface_network, strlen(iface_network));
	explain_db_add(db, "i/network-bind.yaml", iface_network_bind, strlen(iface_network_bind));
	explain_db_add(db, "i/log-observe.yaml", iface_log_observe, strlen(iface_log_observe));
	explain_db_add(db, "i/content.yaml", iface_content, strlen(iface_content));
	explain_db_add(db, "i/serial-port.yaml", iface_serial, strlen(iface_serial));
	explain_db_add(db, "i/future-thing.yaml", iface_future, strlen(iface_future));
	explain_db_add(db, "i/broken.yaml", iface_broken, strlen(iface_broken));
	explain_db_add_base_seccomp(
		db, "# base\nread\nsigaltstack\nsocket AF_UNIX\nsocket AF_INET\n~ioctl - TIOCSTI\n");
}

/* the line the scanner prints for text, the app named by its label */
static char *answer(const struct explain_db *db, const char *text, struct explanation *ex)
{
	struct scan_event ev;
	struct scan_who who;

	scan_parse_line(text, strlen(text), &ev);
	scan_identify(&ev, "/nonexistent-root", &who);
	scan_explain(db, &ev, &who, ex);
	return scan_format(db, &who, ex);
}

static void is_answer(const struct explain_db *db, const char *text, const char *want)
{
	struct explanation ex;
	char *got = answer(db, text, &ex);

	ok(got && !strcmp(got, want), "%s", want);
	if (got && strcmp(got, want))
		diag("got: %s", got);
	free(got);
}

static void test_explain(void)
{
	struct explain_db db;
	struct explanation ex;
	char line[600], *got;

	db_fill(&db);
	ok(db.nspecs == 6 && db.nnotes == 2,
	   "interface data: 6 read, the newer one leniently, the broken one skipped "
	   "(%zu, %zu notes)",
	   db.nspecs, db.nnotes);
	ok(db.nnotes == 2 &&
		   strstr(db.notes[0], "future-thing.yaml: read only for its seccomp and AppArmor rules") &&
		   strstr(db.notes[1], "skipped i/broken.yaml"),
	   "... each with a note");
	is_answer(&db, pc_dmesg_add_key,
		  "snap.hello.bad: seccomp denied add_key (x86_64, EPERM) — connect future-thing");
	is_answer(&db, db_kmsg_add_key,
		  "snap.hello.bad: seccomp denied add_key (aarch64, EPERM) — connect future-thing");
	is_answer(&db, host_kmsg_bind,
		  "snap scandemo (/snap/scandemo/1/bin/probe): seccomp denied bind (x86_64, EPERM) — connect "
		  "one of: "
		  "network, network-bind");
	is_answer(
		&db,
		"5,4543,8389194724,-;audit: type=1326 audit(1796022575.573:991): auid=4294967295 uid=0 gid=0 "
		"ses=4294967295 pid=18768 comm=\"configure\" exe=\"/snap/scandemo/1/meta/hooks/configure\" "
		"sig=0 "
		"arch=c000003e syscall=49 compat=0 ip=0x43ad37 code=0x50000\n",
		"snap.scandemo.hook.configure: seccomp denied bind (x86_64, EPERM) — connect one of: "
		"network, "
		"network-bind");
	is_answer(&db, db_dmesg_compat_bind,
		  "snap scandemo (/snap/scandemo/1/bin/probe32): seccomp denied bind (arm compat, EPERM) — "
		  "connect one "
		  "of: network, network-bind");
	is_answer(&db, pi2_kmsg_socket,
		  "snap.hello.bad: seccomp denied socket (arm, EPERM) — connect one of: network (only socket "
		  "AF_NETLINK - "
		  "NETLINK_ROUTE), network-bind (only socket AF_NETLINK - NETLINK_ROUTE); the base policy "
		  "allows socket "
		  "only as: socket AF_UNIX (and more)");
	is_answer(&db, synth_auditlog_i386,
		  "snap.web.nobind: seccomp logged bind (i386 compat, complain mode: allowed) — connect one "
		  "of: network, "
		  "network-bind");
	is_answer(&db, host_dmesg_kill,
		  "/work/main/output/host-asan/tests/test_bpf: seccomp killed sigaltstack (x86_64, "
		  "kill-thread, SIGSYS) — no interface allows it; the base policy allows sigaltstack: this "
		  "profile is not built on it");
	snprintf(line, sizeof(line), "%.*s16 compat=0 ip=0x404344 code=0x50000",
		 (int)(strstr(pc_dmesg_add_key, "syscall=") - pc_dmesg_add_key + 8), pc_dmesg_add_key);
	is_answer(&db, line,
		  "snap.hello.bad: seccomp denied ioctl (x86_64, EPERM or EACCES) — no interface allows it; "
		  "the base policy "
		  "refuses ioctl with EACCES as: ~ioctl - TIOCSTI");
	snprintf(line, sizeof(line), "%.*s999 compat=0 ip=0x404344 code=0x50000",
		 (int)(strstr(pc_dmesg_add_key, "syscall=") - pc_dmesg_add_key + 8), pc_dmesg_add_key);
	is_answer(&db, line,
		  "snap.hello.bad: seccomp denied syscall 999 (x86_64, errno) — no interface allows it");
	is_answer(&db, pc_dmesg_open,
		  "snap.hello.hello: AppArmor denied read of /var/lib/snapd/outside-secret — no interface "
		  "allows it");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/var/log/syslog\" pid=5 comm=\"cat\" requested_mask=\"r\" denied_mask=\"r\" "
		  "fsuid=0 ouid=0",
		  "snap.hello.hello: AppArmor denied read of /var/log/syslog — connect log-observe");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/var/log/syslog\" pid=5 comm=\"cat\" requested_mask=\"w\" denied_mask=\"w\" "
		  "fsuid=0 ouid=0",
		  "snap.hello.hello: AppArmor denied write of /var/log/syslog — no interface allows it");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/proc/4242/net/route\" pid=5 comm=\"ip\" requested_mask=\"r\" denied_mask=\"r\" "
		  "fsuid=0 ouid=0",
		  "snap.hello.hello: AppArmor denied read of /proc/4242/net/route — connect network");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/dev/ttyUSB0\" pid=5 comm=\"x\" requested_mask=\"rw\" denied_mask=\"rw\" fsuid=0 "
		  "ouid=0",
		  "snap.hello.hello: AppArmor denied read and write of /dev/ttyUSB0 — no interface allows it "
		  "by itself; "
		  "connect serial-port (if slot.path names it)");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/dev/ttyACM0\" pid=5 comm=\"x\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 "
		  "ouid=0",
		  "snap.hello.hello: AppArmor denied read of /dev/ttyACM0 — no interface allows it");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"file_mmap\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/snap/hello/1/shared/lib.so\" pid=5 comm=\"x\" requested_mask=\"rm\" "
		  "denied_mask=\"rm\" fsuid=0 "
		  "ouid=0",
		  "snap.hello.hello: AppArmor denied read and mmap of /snap/hello/1/shared/lib.so — no "
		  "interface allows "
		  "it by itself; connect content (if plug.target names it)");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"file_mmap\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/snap/other/1/shared/lib.so\" pid=5 comm=\"x\" requested_mask=\"rm\" "
		  "denied_mask=\"rm\" fsuid=0 "
		  "ouid=0",
		  "snap.hello.hello: AppArmor denied read and mmap of /snap/other/1/shared/lib.so — no "
		  "interface allows it");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/home/u/.future/x\" pid=5 comm=\"x\" requested_mask=\"w\" denied_mask=\"w\" "
		  "fsuid=1000 ouid=1000",
		  "snap.hello.hello: AppArmor denied write of /home/u/.future/x — connect future-thing (when "
		  "plug.a and slot.b)");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
		  "profile=\"snap.hello.hello\" "
		  "name=\"/home/u/.future/x\" pid=5 comm=\"x\" requested_mask=\"w\" denied_mask=\"w\" "
		  "fsuid=1000 ouid=0",
		  "snap.hello.hello: AppArmor denied write of /home/u/.future/x — no interface allows it");
	is_answer(&db, pc_dmesg_capable,
		  "snap.hello.hello: AppArmor denied capability sys_admin — no interface allows it");
	is_answer(&db,
		  "audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"capable\" "
		  "profile=\"snap.x.y\" pid=5 "
		  "comm=\"dmesg\" capability=34  capname=\"syslog\"",
		  "snap.x.y: AppArmor denied capability syslog — connect log-observe");
	is_answer(&db, pc_dmesg_net,
		  "snap.hello.hello: AppArmor denied network netlink raw — no interface allows it");
	is_answer(
		&db,
		"audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"create\" "
		"profile=\"snap.web.srv\" pid=5 "
		"comm=\"srv\" family=\"inet\" sock_type=\"stream\" protocol=6 requested_mask=\"create\" "
		"denied_mask=\"create\"",
		"snap.web.srv: AppArmor denied network inet stream — connect one of: network, network-bind");
	is_answer(&db, pc_kmsg_allowed_child,
		  "snap.devtool.tool: AppArmor logged read of /etc/shadow (complain mode: allowed) — no "
		  "interface allows it");
	is_answer(&db, pc_dmesg_mknod,
		  "snap.hello.hello: AppArmor denied create of /etc/newfile — no interface allows it");
	is_answer(&db, db_kmsg_chown,
		  "snap.hello.hello: AppArmor denied write of /tmp/ (chown) — no interface allows it");
	is_answer(&db, synth_user_avc,
		  "snap.hello.hello: AppArmor denied dbus_method_call of org.freedesktop.hostname1 send — "
		  "not matched "
		  "against interfaces (only files, capabilities and network are)");
	got = answer(&db, db_kmsg_status, &ex);
	ok(ex.what == EX_SKIP, "a STATUS line is no denial");
	free(got);
	explain_db_free(&db);
}

static void test_summary(void)
{
	static const char *const lines[] = {
		synth_auditlog_i386, /* snap.web.nobind: bind */
		"type=SECCOMP msg=audit(1.2:3): subj=snap.web.nobind (complain) pid=77 comm=\"srv\" "
		"exe=\"/snap/web/3/bin/srv\" "
		"sig=0 arch=c000003e syscall=50 compat=0 ip=0x1 code=0x7ffc0000", /* listen */
		"type=SECCOMP msg=audit(1.2:4): subj=snap.web.nobind (complain) pid=77 comm=\"srv\" "
		"exe=\"/snap/web/3/bin/srv\" "
		"sig=0 arch=c000003e syscall=50 compat=0 ip=0x1 code=0x7ffc0000", /* listen again */
		"type=AVC msg=audit(1.2:5): apparmor=\"ALLOWED\" operation=\"open\" "
		"profile=\"snap.web.nobind\" "
		"name=\"/var/log/syslog\" pid=77 comm=\"srv\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 "
		"ouid=0",
		"type=AVC msg=audit(1.2:6): apparmor=\"ALLOWED\" operation=\"capable\" "
		"profile=\"snap.web.nobind\" pid=77 "
		"comm=\"srv\" capability=12  capname=\"net_admin\"",
		pc_dmesg_add_key,
	};
	struct scan_summary sum = { 0 };
	struct explain_db db;
	char *text;

	db_fill(&db);
	for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
		struct scan_event ev;
		struct scan_who who;
		struct explanation ex;

		scan_parse_line(lines[i], strlen(lines[i]), &ev);
		scan_identify(&ev, "/nonexistent-root", &who);
		scan_explain(&db, &ev, &who, &ex);
		scan_summary_add(&sum, &db, &who, &ex);
	}
	text = scan_summary_format(&sum, &db);
	ok(text && !strcmp(text, "snap.web.nobind (5 lines):\n"
				 "  plugs: [log-observe, network-bind]\n"
				 "    log-observe: read of /var/log/syslog\n"
				 "    network-bind: bind (or network), listen\n"
				 "  no interface allows: capability net_admin\n"
				 "snap.hello.bad (1 line):\n"
				 "  plugs: [future-thing]\n"
				 "    future-thing: add_key\n"),
	   "--summary: network-bind covers bind and listen, log-observe the log; what nothing allows");
	if (text && !strstr(text, "network-bind: bind"))
		diag("%s", text);
	free(text);
	scan_summary_free(&sum);
	text = scan_summary_format(&sum, &db);
	ok(text && strstr(text, "no denial"), "--summary of nothing");
	free(text);
	explain_db_free(&db);
}

/* ---- a scratch root: snap.yaml for the app of a line, and the device check */

static char scratch[] = "/tmp/test-scanlog.XXXXXX";

static int put(const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	for (slash = strchr(path + strlen(scratch) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int link_to(const char *rel, const char *target)
{
	char path[512];

	put(rel, "");
	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	unlink(path);
	return symlink(target, path);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void test_identify(void)
{
	struct scan_event ev;
	struct scan_who who;

	put("snap/web/3/meta/snap.yaml",
	    "name: web\nversion: 1\napps:\n  srv:\n    command: bin/srv --port 80\n"
	    "  cli:\n    command: $SNAP/bin/cli\n  cli2:\n    command: bin/cli\n");
	scan_parse_line(host_kmsg_bind, strlen(host_kmsg_bind), &ev);
	snprintf(ev.exe, sizeof(ev.exe), "/snap/web/3/bin/srv");
	ev.pid = -1;
	scan_identify(&ev, scratch, &who);
	ok(!strcmp(who.tag, "snap.web.srv") && !strcmp(who.snap, "web") && !strcmp(who.rev, "3"),
	   "no label: exe /snap/web/3/bin/srv is the command of app srv (%s)", who.display);
	snprintf(ev.exe, sizeof(ev.exe), "/snap/web/3/bin/cli");
	scan_identify(&ev, scratch, &who);
	ok(!who.tag[0] && !strcmp(who.display, "snap.web.{cli or cli2} (bin/cli)"),
	   "two apps with that command: both named (%s)", who.display);
	snprintf(ev.exe, sizeof(ev.exe), "/snap/web/3/bin/other");
	scan_identify(&ev, scratch, &who);
	ok(!who.tag[0] && !strcmp(who.snap, "web") &&
		   !strcmp(who.display, "snap web (/snap/web/3/bin/other)"),
	   "no app with that command: the snap (%s)", who.display);
	snprintf(ev.label, sizeof(ev.label), "snap.web.srv//null-/bin/sh");
	scan_identify(&ev, scratch, &who);
	ok(!strcmp(who.tag, "snap.web.srv"), "a child profile's line is its parent app's");
	snprintf(ev.label, sizeof(ev.label), "/usr/lib/snapd/snap-confine");
	snprintf(ev.exe, sizeof(ev.exe), "/usr/lib/snapd/snap-confine");
	scan_identify(&ev, scratch, &who);
	ok(!who.tag[0] && !strcmp(who.display, "/usr/lib/snapd/snap-confine"), "a tool's profile: its name");
	snprintf(ev.label, sizeof(ev.label), "unconfined");
	snprintf(ev.exe, sizeof(ev.exe), "/usr/bin/true");
	scan_identify(&ev, scratch, &who);
	ok(!strcmp(who.display, "/usr/bin/true"), "unconfined: the exe");
}

/* a device in the scratch sysfs: /sys/devices/<dir> with its attributes, /sys/dev/<kind>/<id> to it */
static void sysfs_dev(const char *dir, const char *kind, const char *id, const char *subsystem,
		      const char *devname, const char *attr, const char *value)
{
	char rel[300], text[300];

	snprintf(rel, sizeof(rel), "sys/devices/%s/uevent", dir);
	snprintf(text, sizeof(text), "MAJOR=%.*s\nDEVNAME=%s\n", (int)strcspn(id, ":"), id, devname);
	put(rel, text);
	snprintf(rel, sizeof(rel), "sys/devices/%s/subsystem", dir);
	snprintf(text, sizeof(text), "../../../class/%s", subsystem);
	link_to(rel, text);
	if (attr) {
		snprintf(rel, sizeof(rel), "sys/devices/%s/%s", dir, attr);
		snprintf(text, sizeof(text), "%s\n", value);
		put(rel, text);
	}
	snprintf(rel, sizeof(rel), "sys/dev/%s/%s", kind, id);
	snprintf(text, sizeof(text), "../../devices/%s", dir);
	link_to(rel, text);
}

static char *run_devcheck(const char *what, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diag err;

	*rc = devcheck_run(scratch, what, f, &err);
	fclose(f);
	return buf;
}

static void test_devices(void)
{
	char *out;
	int rc;

	sysfs_dev("virtual/misc/hw_random", "char", "10:183", "misc", "hwrng", NULL, NULL);
	sysfs_dev("virtio3/block/vdb", "block", "254:16", "block", "vdb", "serial", "confine-data");
	sysfs_dev("virtio2/block/vda", "block", "254:0", "block", "vda", "serial", "root-disk");
	sysfs_dev("usb1/1-1/tty/ttyUSB0", "char", "188:0", "tty", "ttyUSB0", NULL, NULL);
	put("sys/devices/usb1/1-1/idVendor", "0403\n");
	put("etc/udev/rules.d/70-snap.dev.rules",
	    "# written by snap-interfaces\n"
	    "SUBSYSTEM==\"misc\", KERNEL==\"hw_random\", TAG+=\"snap_dev_app\"\n"
	    "SUBSYSTEM==\"block\", ATTR{serial}==\"confine-data\", TAG+=\"snap_dev_app\"\n"
	    "SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"0403\", TAG+=\"snap_dev_app\"\n"
	    "SUBSYSTEM==\"tty\", KERNEL==\"hvc0\", TAG+=\"snap_dev_app\"\n"
	    "TAG==\"snap_dev_app\", RUN+=\"/usr/lib/snapd/snap-device-helper $env{ACTION} snap_dev_app "
	    "$devpath $major:$minor\"\n"
	    "SUBSYSTEM==\"block\", KERNEL==\"vd*\", PROGRAM==\"/bin/true\", TAG+=\"snap_dev_other\"\n");
	put("run/udev/tags/snap_dev_app/c10:183", "");
	put("run/udev/tags/snap_dev_app/b254:16", "");
	put("run/udev/tags/snap_dev_app/+misc:junk", "");
	/* udev >= 247: c5:9 stays in the tag directory, but its current tags (Q:) are others now */
	put("run/udev/tags/snap_dev_app/c5:9", "");
	put("run/udev/data/c5:9", "E:DEVNAME=/dev/x\nG:snap_dev_app\nQ:seat\n");
	put("run/udev/data/c10:183", "E:DEVNAME=/dev/hwrng\nG:snap_dev_app\nQ:snap_dev_app\n");
	put("sys/fs/cgroup/devices/snap.dev.app/devices.list",
	    "c 1:3 rwm\nc 1:5 rwm\nc 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc 5:0 rwm\nc 5:1 rwm\nc 5:2 rwm\nc 136:* "
	    "rwm\n"
	    "c 137:* rwm\nc 138:* rwm\nc 139:* rwm\nc 140:* rwm\nc 141:* rwm\nc 142:* rwm\nc 143:* rwm\n"
	    "c 10:183 rwm\nc 4:64 rwm\n");

	out = run_devcheck("dev.app", &rc);
	ok(rc == 3, "dev.app: 3 problems (%d)", rc);
	ok(out && strstr(out, "rule at line 2 matches /dev/hwrng (c10:183)") &&
		   strstr(out, "rule at line 3 matches /dev/vdb (b254:16)") &&
		   strstr(out, "rule at line 4 matches /dev/ttyUSB0 (c188:0)") &&
		   strstr(out, "rule at line 5 matches no device of this machine now") &&
		   !strstr(out, "(b254:0)"),
	   "rules evaluated against sysfs: KERNEL, ATTR{serial}, a parent's ATTRS{idVendor}; hvc0 is not "
	   "there");
	ok(out && (strstr(out, "udev tagged (/run/udev/tags/snap_dev_app): c10:183 b254:16\n") ||
		   strstr(out, "udev tagged (/run/udev/tags/snap_dev_app): b254:16 c10:183\n")),
	   "the udev tags");
	ok(out && strstr(out, "MISSING: c188:0 matches a rule but udev did not tag it"),
	   "... the untagged match");
	ok(out && strstr(out, "c5:9 was tagged once, but its rules no longer tag it"),
	   "... a sticky tag (udev's database: not among the current Q: tags) is not the app's");
	ok(out && strstr(out, "MISSING: b254:16 is tagged but the device cgroup does not allow it"),
	   "... the tagged device the cgroup lacks (v1 devices.list)");
	ok(out && strstr(out, "STALE: the device cgroup allows c4:64, which is no longer tagged"),
	   "... the stale one");
	if (out && rc != 3)
		diag("%s", out);
	free(out);

	out = run_devcheck("dev", &rc);
	ok(out && strstr(out, "snap.dev.app:") && strstr(out, "snap.dev.other:") &&
		   strstr(out, "(PROGRAM cannot be evaluated here: taken as matching)") &&
		   strstr(out, "MISSING: no rule runs snap-device-helper for snap_dev_other") &&
		   strstr(out, "no device cgroup yet"),
	   "dev: every app of the rules; a key we cannot evaluate; an app without the helper's rule");
	free(out);
	out = run_devcheck("nosuch", &rc);
	ok(rc == 1 && out && strstr(out, "MISSING: no udev rules") &&
		   strstr(out, "no app of nosuch has devices"),
	   "a snap without rules: the missing file");
	free(out);
	out = run_devcheck("Bad_Name", &rc);
	ok(rc == -1, "a bad snap name is refused");
	free(out);
	out = run_devcheck("dev.bad..app", &rc);
	ok(rc == -1, "a bad app name is refused");
	free(out);
}

int main(void)
{
	test_parse_seccomp();
	test_parse_apparmor();
	test_parse_other();
	test_sysnames();
	test_glob();
	test_rules();
	test_explain();
	test_summary();
	if (!mkdtemp(scratch)) {
		ok(false, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	test_identify();
	test_devices();
	nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
