/* SPDX-License-Identifier: GPL-3.0-only */
/* SHA-256 (FIPS 180-4): the system key's hash and the GRUB boot state's checksums. */
#ifndef CONFINE_SHA256_H
#define CONFINE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint8_t buf[64];
	size_t fill;
	uint64_t bits;
};

void sha256_init(struct sha256 *s);
void sha256_add(struct sha256 *s, const void *data, size_t len);
/* the digest as 64 lowercase hex digits and a NUL; s is spent */
void sha256_hex(struct sha256 *s, char out[65]);
/* all at once */
void sha256_hex_of(const void *data, size_t len, char out[65]);

#endif
