// SPDX-License-Identifier: GPL-3.0-only
/*
 * A bump allocator for the static launcher only: it lives for a few
 * milliseconds, allocates a few kilobytes and never needs memory back, so
 * libc's general-purpose malloc is dead weight in a 64 KiB budget. The
 * first FIRST bytes come from the binary's own zeroed .bss (no mmap, no new
 * mapping, no page tables of its own: a hot launch needs about 16 KiB), the
 * rest from anonymous mappings. Only the latest block comes back: free()
 * of it gives its bytes to the next allocation and realloc() grows it in
 * place, so a launch's file reads (each read into a buffer, parsed, freed)
 * touch the same pages, not new ones (a page fault each); any other free()
 * returns nothing, and any other realloc() copies.
 */
#include <errno.h>
#include <stddef.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK (256u * 1024)
#define FIRST (64u * 1024)
#define ALIGN 16u

struct hdr {
	size_t size;
	size_t pad; /* keeps the payload 16-byte aligned */
};

static _Alignas(16) unsigned char first[FIRST];
static unsigned char *cur = first, *end = first + FIRST;
/*
 * the block at the top (cur is its end), and how far a freed block reached
 * in this region: what is not handed out is zero at or above used, and
 * may be dirty below it (calloc clears that part)
 */
static struct hdr *last;
static unsigned char *used = first;

static size_t block_len(size_t n)
{
	return (sizeof(struct hdr) + n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void *bump(size_t n)
{
	size_t need = block_len(n);
	struct hdr *h;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	if ((size_t)(end - cur) < need) {
		size_t len = need > CHUNK ? (need + 4095) & ~(size_t)4095 : CHUNK;
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		cur = used = p;
		end = cur + len;
	}
	h = (struct hdr *)(void *)cur;
	h->size = n;
	cur += need;
	last = h;
	return h + 1;
}

void *malloc(size_t n)
{
	return bump(n ? n : 1);
}

void *calloc(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b) {
		errno = ENOMEM;
		return NULL;
	}
	unsigned char *p;
	size_t n = a && b ? a * b : 1, dirty;

	p = bump(n);
	/* .bss and fresh mappings are zero; what a freed block held is not */
	if (p && p < used) {
		dirty = (size_t)(used - p);
		memset(p, 0, dirty < n ? dirty : n);
	}
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q;
	size_t old;

	if (!p)
		return malloc(n);
	old = ((struct hdr *)p - 1)->size;
	if (n <= old) {
		((struct hdr *)p - 1)->size = n;
		return p;
	}
	/* the top block: grown in place when its region has the room */
	if ((struct hdr *)p - 1 == last && n <= SIZE_MAX / 2 &&
	    block_len(n) <= (size_t)(end - (unsigned char *)last)) {
		last->size = n;
		cur = (unsigned char *)last + block_len(n);
		return p;
	}
	q = malloc(n);
	if (q)
		memcpy(q, p, old);
	return q;
}

void free(void *p)
{
	if (p && (struct hdr *)p - 1 == last) {
		if (cur > used)
			used = cur;
		cur = (unsigned char *)last;
		last = NULL;
	}
}

void *aligned_alloc(size_t align, size_t n)
{
	if (align > ALIGN) {
		errno = EINVAL;
		return NULL;
	}
	return malloc(n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p = aligned_alloc(align, n);

	if (!p)
		return errno;
	*out = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return p ? ((struct hdr *)p - 1)->size : 0;
}
