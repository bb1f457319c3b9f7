// SPDX-License-Identifier: GPL-3.0-only
/*
 * Formatted output cases, built twice: against glibc (the reference) and
 * against musl with the launcher's tiny_stdio; tiny-stdio.sh compares the
 * two outputs line by line.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	char buf[64];
	int n;

	printf("[%s] [%10s] [%-10s|] [%.3s] [%.*s] [%5.2s]\n", "abc", "abc", "abc", "abcdef", 2, "xyz", "xyz");
	printf("[%d] [%d] [%i] [%5d] [%-5d|] [%05d] [%+d] [% d] [%.3d]\n", 0, -42, INT_MIN, 42, 42, -42, 7, 7, 5);
	printf("[%u] [%u] [%x] [%X] [%#x] [%o] [%#o] [%04o] [%02x]\n", 0u, UINT_MAX, 0xbeefu, 0xbeefu, 255u, 8u, 8u,
	       0755u, 5u);
	printf("[%ld] [%lu] [%lld] [%llu] [%llx] [%zu] [%zd]\n", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX,
	       0x123456789abcdefull, (size_t)12345, (ssize_t)-3);
	printf("[%hhu] [%hd] [%hu] [%c] [%3c] [%-3c|] [%%]\n", 300, 70000, 70000, 'x', 'y', 'z');
	printf("[%*d] [%-*d|] [%.0d] [%#.3o]\n", 6, 42, 6, 42, 0, 8);
	n = snprintf(buf, 8, "%s-%d", "truncated", 12345);
	printf("[%s] %d\n", buf, n);
	n = snprintf(buf, sizeof(buf), "%s/%s.%s", "/run/snapd/ns", "hello", "mnt");
	printf("[%s] %d\n", buf, n);
	n = snprintf(NULL, 0, "%d", 123456);
	printf("%d\n", n);
	fprintf(stderr, "to stderr %d\n", 1);
	fputs("fputs\n", stdout);
	fputc('c', stdout);
	puts("");
	return 0;
}
