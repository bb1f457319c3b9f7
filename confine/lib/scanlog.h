/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Kernel log lines of the confinement, parsed (snap-scanlog's input): the
 * seccomp audit record (type=1326 / type=SECCOMP) and AppArmor's
 * (apparmor="DENIED", "ALLOWED"... in type=1400 / AVC, and in the msg='...'
 * of a USER_AVC), in every form the kernel log takes on the way:
 *
 *   /dev/kmsg     5,4539,7375972541,-;audit: type=1326 audit(...): ...
 *   dmesg         [ 7375.972541] audit: type=1326 audit(...): ...
 *   journal       Nov 30 06:00:00 host kernel: audit: type=1326 ...
 *   audit.log     type=SECCOMP msg=audit(...): ...
 *
 * and the kernel's own notes that it dropped audit lines (rate limit). The
 * text is untrusted: nothing in it is more than data, every field is
 * bounded, and a malformed line is simply not an event.
 */
#ifndef CONFINE_SCANLOG_H
#define CONFINE_SCANLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCAN_STR  256
#define SCAN_PATH 4096

enum scan_kind {
	SCAN_NONE,	 /* not a line of ours */
	SCAN_SECCOMP,	 /* a seccomp audit record */
	SCAN_APPARMOR,	 /* an AppArmor audit record */
	SCAN_SUPPRESSED, /* the kernel dropped audit lines */
};

/* seccomp actions (the code= field: the action, without its data) */
#define SCAN_RET_KILL_PROCESS 0x80000000u
#define SCAN_RET_KILL_THREAD  0x00000000u
#define SCAN_RET_TRAP	      0x00030000u
#define SCAN_RET_ERRNO	      0x00050000u
#define SCAN_RET_USER_NOTIF   0x7fc00000u
#define SCAN_RET_TRACE	      0x7ff00000u
#define SCAN_RET_LOG	      0x7ffc0000u
#define SCAN_RET_ALLOW	      0x7fff0000u

struct scan_event {
	enum scan_kind kind;
	char stamp[48];	     /* audit(STAMP): "1796021562.349:988" */
	long long pid;	     /* -1 when absent */
	char comm[SCAN_STR]; /* hex decoded */
	char exe[SCAN_PATH];
	char label[SCAN_STR]; /* subj= (seccomp) or profile= (AppArmor), without " (enforce)" */
	char label_mode[16];  /* enforce, complain... when the label had one */
	/* seccomp */
	bool has_arch, has_syscall;
	uint32_t arch; /* AUDIT_ARCH_* */
	long long syscall;
	int compat;    /* -1 when absent */
	uint32_t code; /* the action */
	bool has_code;
	long long sig;
	/* AppArmor */
	char outcome[16]; /* DENIED, ALLOWED, AUDIT, STATUS, KILLED, ... */
	char operation[64];
	char class_name[32];  /* class= when the kernel gives it */
	char name[SCAN_PATH]; /* the object: a path, a profile... */
	char target[SCAN_STR];
	char info[SCAN_STR];
	char requested[64], denied[64];
	char capname[32];
	long long capability; /* -1 when absent */
	char family[32], sock_type[32];
	long long protocol;    /* -1 when absent */
	long long fsuid, ouid; /* -1 when absent */
	char peer[SCAN_STR];   /* peer= / peer_label= */
	char signal_name[32];
	/* SCAN_SUPPRESSED */
	unsigned long long suppressed; /* how many (0: some) */
	bool lost_total;	       /* suppressed is audit_lost=, the kernel's count since boot */
};

/*
 * Parses one line (len bytes, no need for a NUL; a /dev/kmsg record's
 * header is understood, its continuation lines ignored). Returns the kind
 * (SCAN_NONE for any other line).
 */
enum scan_kind scan_parse_line(const char *line, size_t len, struct scan_event *ev);

/* does the line start with a /dev/kmsg record's header (a saved `cat /dev/kmsg`)? */
bool scan_kmsg_header(const char *line, size_t len);

/*
 * A raw /dev/kmsg record ("PRIO,SEQ,USEC,FLAGS;TEXT\n KEY=VALUE...") to its
 * text: the header and continuation lines dropped, \xNN escapes decoded
 * (never into a NUL or a newline). Returns the length written (< outlen).
 */
size_t scan_kmsg_text(const char *rec, size_t len, char *out, size_t outlen);

/* "the seccomp action": kill-process, kill-thread, trap, errno, user-notif, trace, log, allow, or NULL */
const char *scan_action_name(uint32_t code);

#endif
