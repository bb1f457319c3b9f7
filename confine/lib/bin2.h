/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Compiled seccomp profiles: snapd's .bin2 (header + allow program + deny
 * program) and the pre-2.63 raw .bin. Shared by snap-seccomp (writer) and
 * the launcher (reader), so the reader is strict and allocation-free.
 */
#ifndef CONFINE_BIN2_H
#define CONFINE_BIN2_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BIN2_HEADER_SIZE 128
#define BIN2_VERSION 1
#define BIN2_FLAG_UNRESTRICTED 0x01
#define BIN2_MAX_PROG_BYTES (4096 * 8)

/*
 * Our use of the 112 reserved bytes (snapd leaves them zero and ignores
 * them): offset 16 "ccf1", 20 native audit arch, 24 compat audit arch (0 if
 * none), 28 flags of ours (bit 0: merged single program in the allow slot),
 * 32 64-bit FNV-1a hash of the source text, 40..71 compiler version string
 * (NUL padded). All native byte order. A reader must not require them.
 */
#define BIN2_OURS_MAGIC "ccf1"
#define BIN2_OURS_MERGED 0x01

struct bin2_meta {
	bool present; /* the "ccf1" block was found */
	uint32_t native_arch, compat_arch, flags;
	uint64_t source_hash;
	char compiler[33];
};

struct bin2_view {
	bool unrestricted;
	const struct sock_filter *allow, *deny; /* point into the buffer */
	size_t allow_len, deny_len; /* in instructions */
	struct bin2_meta meta;
};

/*
 * Validates buf exactly (magic, version, zero bytes 4..7, lengths multiple of
 * 8, non-empty and <= 32 KiB unless unrestricted, size == 128 + both) and
 * fills v. -1 with a reason otherwise. Does not run bpf_check.
 */
int bin2_decode(const void *buf, size_t len, struct bin2_view *v, char *why, size_t whylen);

/* serialises into a malloc'd buffer; meta may be NULL (reserved left zero) */
int bin2_encode(bool unrestricted, const struct sock_filter *allow, size_t allow_len,
		const struct sock_filter *deny, size_t deny_len, const struct bin2_meta *meta, void **buf,
		size_t *len);

/* 64-bit FNV-1a */
uint64_t hash_fnv1a64(const void *data, size_t len);

#endif
