// SPDX-License-Identifier: GPL-3.0-only
/* snapd's .bin2 compiled-profile container (bin2.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin2.h"

uint64_t hash_fnv1a64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void decode_meta(const unsigned char *h, struct bin2_meta *m)
{
	memset(m, 0, sizeof(*m));
	if (memcmp(h + 16, BIN2_OURS_MAGIC, 4))
		return;
	m->present = true;
	m->native_arch = get32(h + 20);
	m->compat_arch = get32(h + 24);
	m->flags = get32(h + 28);
	memcpy(&m->source_hash, h + 32, sizeof(m->source_hash));
	memcpy(m->compiler, h + 40, 32);
	m->compiler[32] = '\0';
}

int bin2_decode(const void *buf, size_t len, struct bin2_view *v, char *why, size_t whylen)
{
	const unsigned char *h = buf;
	uint32_t alen, dlen;

	memset(v, 0, sizeof(*v));
	if (len < BIN2_HEADER_SIZE) {
		snprintf(why, whylen, "truncated: %zu bytes, a header is %d", len, BIN2_HEADER_SIZE);
		return -1;
	}
	if (h[0] != 'S' || h[1] != 'C') {
		snprintf(why, whylen, "bad magic 0x%02x%02x (expected \"SC\")", h[0], h[1]);
		return -1;
	}
	if (h[2] != BIN2_VERSION) {
		snprintf(why, whylen, "unsupported version %u (expected %d)", h[2], BIN2_VERSION);
		return -1;
	}
	if (h[3] & ~BIN2_FLAG_UNRESTRICTED) {
		snprintf(why, whylen, "unknown flags 0x%02x", h[3]);
		return -1;
	}
	if (get32(h + 4) != 0) {
		snprintf(why, whylen, "bytes 4..7 of the header are not zero");
		return -1;
	}
	alen = get32(h + 8);
	dlen = get32(h + 12);
	decode_meta(h, &v->meta);
	if (h[3] & BIN2_FLAG_UNRESTRICTED) {
		if (alen || dlen || len != BIN2_HEADER_SIZE) {
			snprintf(why, whylen, "an unrestricted profile must be exactly the %d-byte header",
				 BIN2_HEADER_SIZE);
			return -1;
		}
		v->unrestricted = true;
		return 0;
	}
	if (alen == 0 || dlen == 0) {
		snprintf(why, whylen, "empty %s program", alen == 0 ? "allow" : "deny");
		return -1;
	}
	if (alen % sizeof(struct sock_filter) || dlen % sizeof(struct sock_filter)) {
		snprintf(why, whylen, "program length %u not a multiple of %zu",
			 alen % sizeof(struct sock_filter) ? alen : dlen, sizeof(struct sock_filter));
		return -1;
	}
	if (alen > BIN2_MAX_PROG_BYTES || dlen > BIN2_MAX_PROG_BYTES) {
		snprintf(why, whylen, "program of %u bytes exceeds %d", alen > dlen ? alen : dlen,
			 BIN2_MAX_PROG_BYTES);
		return -1;
	}
	if ((uint64_t)len != (uint64_t)BIN2_HEADER_SIZE + alen + dlen) {
		snprintf(why, whylen, "size %zu does not match the header (%u + %u + %u)", len, BIN2_HEADER_SIZE,
			 alen, dlen);
		return -1;
	}
	v->allow = (const struct sock_filter *)(h + BIN2_HEADER_SIZE);
	v->allow_len = alen / sizeof(struct sock_filter);
	v->deny = (const struct sock_filter *)(h + BIN2_HEADER_SIZE + alen);
	v->deny_len = dlen / sizeof(struct sock_filter);
	return 0;
}

int bin2_encode(bool unrestricted, const struct sock_filter *allow, size_t allow_len,
		const struct sock_filter *deny, size_t deny_len, const struct bin2_meta *meta, void **buf,
		size_t *len)
{
	size_t alen = unrestricted ? 0 : allow_len * sizeof(*allow);
	size_t dlen = unrestricted ? 0 : deny_len * sizeof(*deny);
	unsigned char *h;
	uint32_t w;

	*buf = NULL;
	*len = 0;
	if (!unrestricted && (alen == 0 || dlen == 0 || alen > BIN2_MAX_PROG_BYTES || dlen > BIN2_MAX_PROG_BYTES)) {
		errno = EINVAL;
		return -1;
	}
	h = calloc(1, BIN2_HEADER_SIZE + alen + dlen);
	if (!h)
		return -1;
	h[0] = 'S';
	h[1] = 'C';
	h[2] = BIN2_VERSION;
	h[3] = unrestricted ? BIN2_FLAG_UNRESTRICTED : 0;
	w = (uint32_t)alen;
	memcpy(h + 8, &w, 4);
	w = (uint32_t)dlen;
	memcpy(h + 12, &w, 4);
	if (meta) {
		memcpy(h + 16, BIN2_OURS_MAGIC, 4);
		memcpy(h + 20, &meta->native_arch, 4);
		memcpy(h + 24, &meta->compat_arch, 4);
		memcpy(h + 28, &meta->flags, 4);
		memcpy(h + 32, &meta->source_hash, 8);
		memcpy(h + 40, meta->compiler, strnlen(meta->compiler, 32));
	}
	if (alen)
		memcpy(h + BIN2_HEADER_SIZE, allow, alen);
	if (dlen)
		memcpy(h + BIN2_HEADER_SIZE + alen, deny, dlen);
	*buf = h;
	*len = BIN2_HEADER_SIZE + alen + dlen;
	return 0;
}
