// SPDX-License-Identifier: GPL-3.0-only
/*
 * Kernel log lines of seccomp and AppArmor (scanlog.h). A line is a list of
 * KEY=VALUE fields after its prefix (kmsg header, dmesg time, journal or
 * audit.log stamp): a value is "quoted", 'quoted' (USER_AVC's msg), an
 * untrusted string the kernel hex-encoded (it had a space, a quote or a
 * control character), or a bare word; the seccomp record's subj= is the one
 * bare value with a space in it ("snap.hello.bad (enforce)").
 */
#include <string.h>

#include "scanlog.h"

struct kv {
	const char *k, *v;
	size_t klen, vlen;
	bool quoted;
	const char *mode; /* subj=LABEL (MODE) */
	size_t mlen;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-' || c == '.';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* the next KEY=VALUE of [p, end) into kv; NULL at the end */
static const char *next_pair(const char *p, const char *end, struct kv *kv)
{
	for (;;) {
		const char *k;

		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return NULL;
		k = p;
		while (p < end && is_key_char(*p))
			p++;
		if (p == k || p >= end || *p != '=') {
			/* not a pair (a prefix, "(enforce)", "audit(...):"): skip the word */
			if (p == k)
				p++;
			while (p < end && !is_space(*p))
				p++;
			continue;
		}
		memset(kv, 0, sizeof(*kv));
		kv->k = k;
		kv->klen = (size_t)(p - k);
		p++; /* = */
		if (p < end && (*p == '"' || *p == '\'')) {
			char q = *p++;
			const char *close = memchr(p, q, (size_t)(end - p));

			kv->v = p;
			kv->quoted = true;
			if (!close)
				close = end;
			kv->vlen = (size_t)(close - p);
			p = close < end ? close + 1 : end;
		} else {
			kv->v = p;
			while (p < end && !is_space(*p))
				p++;
			kv->vlen = (size_t)(p - kv->v);
		}
		/* a label's mode: subj=snap.hello.bad (enforce) */
		if (p + 2 < end && *p == ' ' && p[1] == '(') {
			const char *m = p + 2, *e = m;

			while (e < end && *e >= 'a' && *e <= 'z')
				e++;
			if (e < end && *e == ')' && e > m && (e + 1 == end || is_space(e[1]))) {
				kv->mode = m;
				kv->mlen = (size_t)(e - m);
				p = e + 1;
			}
		}
		return p;
	}
}

static bool key_is(const struct kv *kv, const char *k)
{
	return kv->klen == strlen(k) && !memcmp(kv->k, k, kv->klen);
}

/* printable copy: control characters become '?' */
static void put_str(char *dst, size_t cap, const char *s, size_t n)
{
	size_t i;

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		dst[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	dst[i] = '\0';
}

/* a value the kernel may have hex-encoded (audit_log_untrustedstring) */
static void put_untrusted(char *dst, size_t cap, const struct kv *kv)
{
	size_t n = kv->vlen, i;

	if (!kv->quoted && n >= 2 && n % 2 == 0) {
		for (i = 0; i < n; i++)
			if (hexval(kv->v[i]) < 0 || (kv->v[i] >= 'a' && kv->v[i] <= 'f'))
				break;
		if (i == n) {
			size_t o = 0;

			for (i = 0; i + 1 < n && o + 1 < cap; i += 2) {
				char c = (char)(hexval(kv->v[i]) * 16 + hexval(kv->v[i + 1]));

				if (!c)
					break;
				dst[o++] = ((unsigned char)c < 0x20 || c == 0x7f) ? '?' : c;
			}
			dst[o] = '\0';
			return;
		}
	}
	put_str(dst, cap, kv->v, n);
}

/* a decimal (or 0x hex) number; false when it is not one or overflows */
static bool parse_num(const char *s, size_t n, int base, long long *out)
{
	unsigned long long v = 0;
	bool neg = false;
	size_t i = 0;

	if (n && s[0] == '-' && base == 10) {
		neg = true;
		i = 1;
	}
	if (base == 16 && n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		i += 2;
	if (i >= n)
		return false;
	for (; i < n; i++) {
		int d = hexval(s[i]);

		if (d < 0 || d >= base)
			return false;
		if (v > (0x7fffffffffffffffULL - (unsigned)d) / (unsigned)base)
			return false;
		v = v * (unsigned)base + (unsigned)d;
	}
	*out = neg ? -(long long)v : (long long)v;
	return true;
}

static void num_field(const struct kv *kv, int base, long long *out)
{
	long long v;

	if (parse_num(kv->v, kv->vlen, base, &v))
		*out = v;
}

static void label_field(struct scan_event *ev, const struct kv *kv)
{
	/* "?" or "unset": another LSM's slot, nothing of AppArmor's */
	if (!kv->vlen || (kv->vlen == 1 && kv->v[0] == '?'))
		return;
	put_untrusted(ev->label, sizeof(ev->label), kv);
	if (kv->mode)
		put_str(ev->label_mode, sizeof(ev->label_mode), kv->mode, kv->mlen);
}

static void fields(struct scan_event *ev, const char *p, const char *end, int depth)
{
	struct kv kv;
	long long v;

	while ((p = next_pair(p, end, &kv))) {
		if (key_is(&kv, "msg") && kv.quoted && depth == 0) {
			/* USER_AVC: the AppArmor fields are inside msg='...' */
			fields(ev, kv.v, kv.v + kv.vlen, depth + 1);
		} else if (key_is(&kv, "pid")) {
			num_field(&kv, 10, &ev->pid);
		} else if (key_is(&kv, "comm")) {
			put_untrusted(ev->comm, sizeof(ev->comm), &kv);
		} else if (key_is(&kv, "exe")) {
			put_untrusted(ev->exe, sizeof(ev->exe), &kv);
		} else if ((key_is(&kv, "subj") || key_is(&kv, "subj_apparmor")) && !depth) {
			label_field(ev, &kv);
		} else if (key_is(&kv, "profile") || (key_is(&kv, "label") && (depth || !ev->label[0]))) {
			label_field(ev, &kv);
		} else if (key_is(&kv, "arch")) {
			if (parse_num(kv.v, kv.vlen, 16, &v) && v >= 0 && v <= 0xffffffffLL) {
				ev->arch = (uint32_t)v;
				ev->has_arch = true;
			}
		} else if (key_is(&kv, "syscall")) {
			if (parse_num(kv.v, kv.vlen, 10, &v) && v >= 0) {
				ev->syscall = v;
				ev->has_syscall = true;
			}
		} else if (key_is(&kv, "compat")) {
			if (parse_num(kv.v, kv.vlen, 10, &v) && (v == 0 || v == 1))
				ev->compat = (int)v;
		} else if (key_is(&kv, "code")) {
			if (parse_num(kv.v, kv.vlen, 16, &v) && v >= 0 && v <= 0xffffffffLL) {
				ev->code = (uint32_t)v;
				ev->has_code = true;
			}
		} else if (key_is(&kv, "sig")) {
			num_field(&kv, 10, &ev->sig);
		} else if (key_is(&kv, "apparmor")) {
			put_str(ev->outcome, sizeof(ev->outcome), kv.v, kv.vlen);
		} else if (key_is(&kv, "operation")) {
			put_str(ev->operation, sizeof(ev->operation), kv.v, kv.vlen);
		} else if (key_is(&kv, "class")) {
			put_str(ev->class_name, sizeof(ev->class_name), kv.v, kv.vlen);
		} else if (key_is(&kv, "name")) {
			put_untrusted(ev->name, sizeof(ev->name), &kv);
		} else if (key_is(&kv, "target")) {
			put_untrusted(ev->target, sizeof(ev->target), &kv);
		} else if (key_is(&kv, "info")) {
			put_str(ev->info, sizeof(ev->info), kv.v, kv.vlen);
		} else if (key_is(&kv, "requested_mask") || (key_is(&kv, "mask") && !ev->requested[0])) {
			put_str(ev->requested, sizeof(ev->requested), kv.v, kv.vlen);
		} else if (key_is(&kv, "denied_mask")) {
			put_str(ev->denied, sizeof(ev->denied), kv.v, kv.vlen);
		} else if (key_is(&kv, "capname")) {
			put_str(ev->capname, sizeof(ev->capname), kv.v, kv.vlen);
		} else if (key_is(&kv, "capability")) {
			num_field(&kv, 10, &ev->capability);
		} else if (key_is(&kv, "family")) {
			put_str(ev->family, sizeof(ev->family), kv.v, kv.vlen);
		} else if (key_is(&kv, "sock_type")) {
			put_str(ev->sock_type, sizeof(ev->sock_type), kv.v, kv.vlen);
		} else if (key_is(&kv, "protocol")) {
			num_field(&kv, 10, &ev->protocol);
		} else if (key_is(&kv, "fsuid")) {
			num_field(&kv, 10, &ev->fsuid);
		} else if (key_is(&kv, "ouid")) {
			num_field(&kv, 10, &ev->ouid);
		} else if (key_is(&kv, "peer") || key_is(&kv, "peer_label")) {
			put_untrusted(ev->peer, sizeof(ev->peer), &kv);
		} else if (key_is(&kv, "signal")) {
			put_str(ev->signal_name, sizeof(ev->signal_name), kv.v, kv.vlen);
		}
	}
}

/* the word w at a word boundary of [p, end), or NULL */
static const char *find_word(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	for (const char *s = p; s + n <= end; s++) {
		s = memchr(s, w[0], (size_t)(end - s));
		if (!s || s + n > end)
			return NULL;
		if (!memcmp(s, w, n) && (s == p || is_space(s[-1]) || s[-1] == ';' || s[-1] == '\''))
			return s;
	}
	return NULL;
}

/* a kmsg record's header "PRIO,SEQ,USEC,FLAGS;": where the text starts, or p */
static const char *skip_kmsg_header(const char *p, const char *end)
{
	const char *s = p;
	int commas = 0;

	while (s < end && s - p < 64 && *s != ';') {
		if (*s == ',')
			commas++;
		else if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || *s == '-'))
			return p;
		s++;
	}
	return s < end && *s == ';' && commas >= 3 ? s + 1 : p;
}

enum scan_kind scan_parse_line(const char *line, size_t len, struct scan_event *ev)
{
	const char *p = line, *end, *nl, *w;
	long long n;

	memset(ev, 0, sizeof(*ev));
	ev->pid = ev->sig = ev->capability = ev->protocol = ev->fsuid = ev->ouid = -1;
	ev->compat = -1;
	if (len > 65536)
		len = 65536;
	end = line + len;
	nl = memchr(p, '\n', len);
	if (nl)
		end = nl;
	p = skip_kmsg_header(p, end);

	/* the kernel's notes that audit lines were dropped */
	if ((w = find_word(p, end, "kauditd_printk_skb:"))) {
		const char *d = w + strlen("kauditd_printk_skb:"), *e;

		while (d < end && is_space(*d))
			d++;
		for (e = d; e < end && *e >= '0' && *e <= '9'; e++)
			;
		if (e + 21 <= end && !memcmp(e, " callbacks suppressed", 21) &&
		    parse_num(d, (size_t)(e - d), 10, &n)) {
			ev->suppressed = (unsigned long long)n;
			return ev->kind = SCAN_SUPPRESSED;
		}
	}
	if (memmem(p, (size_t)(end - p), "audit: printk limit exceeded", 28))
		return ev->kind = SCAN_SUPPRESSED;
	if ((w = find_word(p, end, "audit_lost="))) {
		const char *d = w + 11, *e;

		for (e = d; e < end && *e >= '0' && *e <= '9'; e++)
			;
		if (parse_num(d, (size_t)(e - d), 10, &n)) {
			ev->suppressed = (unsigned long long)n;
			ev->lost_total = true;
			return ev->kind = SCAN_SUPPRESSED;
		}
	}

	if ((w = memmem(p, (size_t)(end - p), "audit(", 6))) {
		const char *e = memchr(w, ')', (size_t)(end - w));

		if (e && e - w - 6 < (long)sizeof(ev->stamp))
			put_str(ev->stamp, sizeof(ev->stamp), w + 6, (size_t)(e - w - 6));
	}
	if ((w = find_word(p, end, "type=1326")) || (w = find_word(p, end, "type=SECCOMP"))) {
		fields(ev, w, end, 0);
		if (!ev->has_syscall)
			return SCAN_NONE;
		return ev->kind = SCAN_SECCOMP;
	}
	if ((w = find_word(p, end, "apparmor="))) {
		/* from the record's start: USER_AVC has its AppArmor fields inside msg='...' */
		const char *from = find_word(p, end, "type=1107");

		if (!from)
			from = find_word(p, end, "type=USER_AVC");
		fields(ev, from ? from : w, end, 0);
		if (!ev->outcome[0])
			return SCAN_NONE;
		return ev->kind = SCAN_APPARMOR;
	}
	return SCAN_NONE;
}

bool scan_kmsg_header(const char *line, size_t len)
{
	return skip_kmsg_header(line, line + len) != line;
}

size_t scan_kmsg_text(const char *rec, size_t len, char *out, size_t outlen)
{
	const char *p = rec, *end = rec + len, *nl;
	size_t o = 0;

	if (!outlen)
		return 0;
	nl = memchr(rec, '\n', len);
	if (nl)
		end = nl;
	p = skip_kmsg_header(p, end);
	while (p < end && o + 1 < outlen) {
		if (p + 3 < end && p[0] == '\\' && p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
			char c = (char)(hexval(p[2]) * 16 + hexval(p[3]));

			out[o++] = ((unsigned char)c < 0x20 || c == 0x7f) ? '?' : c;
			p += 4;
		} else {
			/* raw control characters (the kernel escapes them; a file may not) */
			out[o++] = ((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f ? '?' : *p;
			p++;
		}
	}
	out[o] = '\0';
	return o;
}

const char *scan_action_name(uint32_t code)
{
	switch (code) {
	case SCAN_RET_KILL_PROCESS:
		return "kill-process";
	case SCAN_RET_KILL_THREAD:
		return "kill-thread";
	case SCAN_RET_TRAP:
		return "trap";
	case SCAN_RET_ERRNO:
		return "errno";
	case SCAN_RET_USER_NOTIF:
		return "user-notif";
	case SCAN_RET_TRACE:
		return "trace";
	case SCAN_RET_LOG:
		return "log";
	case SCAN_RET_ALLOW:
		return "allow";
	}
	return NULL;
}
