// SPDX-License-Identifier: GPL-3.0-only
/*
 * libFuzzer target: snap-scanlog's readers of untrusted text. The first
 * byte picks one: a kernel log line (scanlog.c) and then the whole answer
 * for it (the app, the interfaces, the printed line, the summary); a
 * /dev/kmsg record's text; an AppArmor rule and a glob against a path
 * (aaglob.c: "PATTERN\nPATH"); an interface data file as the scanner reads
 * it, lenient where the generator is strict (explain.c), then a line
 * answered from it. Every field must stay within its bounds, and what is
 * printed must be a string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iface/aaglob.h"
#include "iface/explain.h"
#include "scanlog.h"

static const char net_bind[] =
	"interface: network-bind\nseccomp: |\n  bind\n  socket AF_NETLINK - NETLINK_ROUTE\n"
	"apparmor: |\n  network inet stream,\n  @{PROC}/@{pid}/net/{if_inet6,route} r,\n"
	"  /var/log/** r,\n  capability net_bind_service,\n";
static const char content[] =
	"interface: content\nplug-attributes:\n  target: {type: path}\n"
	"slot-attributes:\n  read: {type: list, items: path}\n  path: {type: string, pattern: "
	"'^/dev/tty[0-9]+$'}\n"
	"apparmor:\n  - each: slot.read\n    text: '${plug.target}/${item|basename}/** mrkix,'\n"
	"  - '${slot.path} rw,'\n";

#define BOUNDED(field) (strnlen((field), sizeof(field)) < sizeof(field))

static void check_event(const struct scan_event *ev)
{
	if (!BOUNDED(ev->stamp) || !BOUNDED(ev->comm) || !BOUNDED(ev->exe) || !BOUNDED(ev->label) ||
	    !BOUNDED(ev->label_mode) || !BOUNDED(ev->outcome) || !BOUNDED(ev->operation) ||
	    !BOUNDED(ev->class_name) || !BOUNDED(ev->name) || !BOUNDED(ev->target) || !BOUNDED(ev->info) ||
	    !BOUNDED(ev->requested) || !BOUNDED(ev->denied) || !BOUNDED(ev->capname) ||
	    !BOUNDED(ev->family) || !BOUNDED(ev->sock_type) || !BOUNDED(ev->peer) ||
	    !BOUNDED(ev->signal_name))
		abort();
	for (const char *p = ev->name; *p; p++)
		if ((unsigned char)*p < 0x20)
			abort(); /* control characters never reach a terminal */
	if (ev->kind == SCAN_SECCOMP && !ev->has_syscall)
		abort();
}

static void answer(const struct explain_db *db, const char *text, size_t len, struct scan_summary *sum)
{
	struct scan_event ev;
	struct scan_who who;
	struct explanation ex;
	char *line;

	scan_parse_line(text, len, &ev);
	check_event(&ev);
	if (ev.kind != SCAN_SECCOMP && ev.kind != SCAN_APPARMOR)
		return;
	scan_identify(&ev, "/nonexistent-fuzz-root", &who);
	if (!BOUNDED(who.tag) || !BOUNDED(who.snap) || !BOUNDED(who.display))
		abort();
	scan_explain(db, &ev, &who, &ex);
	if (!BOUNDED(ex.object) || !BOUNDED(ex.key) || ex.n > EX_MAX)
		abort();
	line = scan_format(db, &who, &ex);
	if (!line)
		abort();
	free(line);
	if (sum)
		scan_summary_add(sum, db, &who, &ex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct explain_db db;
	static int ready;
	char *text;

	if (!ready) {
		explain_db_init(&db);
		explain_db_add(&db, "network-bind.yaml", net_bind, strlen(net_bind));
		explain_db_add(&db, "content.yaml", content, strlen(content));
		explain_db_add_base_seccomp(&db, "socket AF_UNIX\n~ioctl - TIOCSTI\n");
		ready = 1;
	}
	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0: {
		struct scan_summary sum = { 0 };
		char *s;

		/* each line of the input, then the summary of them all */
		for (char *l = text, *nl; l < text + size - 1; l = nl + 1) {
			nl = memchr(l, '\n', (size_t)(text + size - 1 - l));
			if (!nl)
				nl = text + size - 1;
			answer(&db, l, (size_t)(nl - l), &sum);
		}
		s = scan_summary_format(&sum, &db);
		if (!s)
			abort();
		free(s);
		scan_summary_free(&sum);
		break;
	}
	case 1: {
		char out[512];
		size_t n = scan_kmsg_text(text, size - 1, out, sizeof(out));

		if (n >= sizeof(out) || strlen(out) != n)
			abort();
		answer(&db, out, n, NULL);
		break;
	}
	case 2: {
		char *nl = strchr(text, '\n');
		struct aa_rule r;

		aa_rule_parse(text, &r);
		if (!BOUNDED(r.path) || r.nwords > AA_RULE_WORDS)
			abort();
		if (nl) {
			*nl = '\0';
			aa_glob_match(text, nl + 1, &db.vars, NULL, NULL);
			if (r.kind == AA_RULE_FILE)
				aa_glob_match(r.path, nl + 1, &db.vars, NULL, NULL);
		}
		break;
	}
	case 3: {
		struct explain_db one;
		const char *probe =
			"audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" "
			"profile=\"snap.a.b\" name=\"/snap/a/1/x/y\" requested_mask=\"rw\" fsuid=0 ouid=0";

		explain_db_init(&one);
		explain_db_add(&one, "fuzz.yaml", text, size - 1);
		answer(&one, probe, strlen(probe), NULL);
		explain_db_free(&one);
		break;
	}
	}
	free(text);
	return 0;
}
