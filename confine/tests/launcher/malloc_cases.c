// SPDX-License-Identifier: GPL-3.0-only
/*
 * The launcher's bump allocator (confine/lib/tiny_malloc.c), linked as in
 * the launcher (static, musl): TAP lines on stdout. The first allocations
 * come from the binary's own .bss, the rest from mappings; every block is
 * 16-byte aligned, calloc's zeroed, realloc keeps the contents across the
 * arena's end, an overflowing calloc fails with ENOMEM; the latest block
 * freed is given to the next allocation (calloc zeroes it again), the
 * latest block reallocated grows in place.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char etext[], end[]; /* the linker's: the end of the text, the end of .bss */

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
}

static int in_image(const void *p)
{
	return (uintptr_t)p > (uintptr_t)etext && (uintptr_t)p < (uintptr_t)end;
}

static int zeroed(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(void)
{
	unsigned char *a = malloc(100), *b = malloc(0), *c, *d, *e, *f, *g, *h, *i, *j, *k, *l;
	volatile size_t half = SIZE_MAX / 2, huge = SIZE_MAX - 8; /* (sizes the compiler cannot see) */

	ok(a && in_image(a), "the first allocation is in the binary's .bss (no mapping)");
	ok(((uintptr_t)a & 15) == 0 && b && ((uintptr_t)b & 15) == 0 && b != a,
	   "16-byte aligned, malloc(0) a block of its own");
	memset(a, 0xab, 100);
	c = calloc(1000, 40);
	ok(c && in_image(c) && zeroed(c, 40000), "calloc of 40,000 bytes: still the .bss, zeroed");
	memset(c, 0xcd, 40000);
	d = calloc(1, 40000);
	ok(d && !in_image(d) && zeroed(d, 40000) && ((uintptr_t)d & 15) == 0,
	   "the next 40,000 bytes do not fit in the 64 KiB: a mapping, zeroed, aligned");
	e = malloc(32);
	ok(e && !in_image(e) && e > d, "... and the allocations after it come from that mapping");
	f = realloc(a, 70000);
	ok(f && f != a && f[0] == 0xab && f[99] == 0xab && !in_image(f),
	   "realloc past the arena copies the block");
	ok(realloc(f, 10) == f, "a smaller realloc keeps the block");
	errno = 0;
	ok(calloc(half, 4) == NULL && errno == ENOMEM, "an overflowing calloc: NULL, ENOMEM");
	errno = 0;
	ok(malloc(huge) == NULL && errno == ENOMEM, "a huge malloc: NULL, ENOMEM");
	ok(c[39999] == 0xcd, "earlier blocks untouched by later ones");
	g = malloc(64);
	memset(g, 0xee, 64);
	free(g);
	h = calloc(4, 16);
	ok(h == g && zeroed(h, 64),
	   "the latest block freed: the next allocation takes its place, calloc zeroes it");
	memset(h, 0x11, 64);
	i = realloc(h, 4096);
	ok(i == h && i[0] == 0x11 && i[63] == 0x11,
	   "realloc of the latest block grows it in place, its bytes kept");
	j = malloc(16);
	memset(j, 0x22, 16);
	free(i);
	k = malloc(16);
	ok(k > j, "a block that is not the latest freed: its bytes stay taken");
	l = realloc(j, 100);
	ok(l && l != j && l > k && l[0] == 0x22 && l[15] == 0x22,
	   "realloc of a block that is not the latest copies it");
	g = realloc(l, 300000);
	ok(g && g != l && g[15] == 0x22 && ((uintptr_t)g & 15) == 0,
	   "the latest block grown past its mapping's end: copied into a new one");
	free(g);
	h = calloc(1, 16);
	ok(h == g && zeroed(h, 16), "... and freed: the next calloc there is zeroed");
	printf("1..%d\n", n);
	return failed != 0;
}
