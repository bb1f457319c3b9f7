// SPDX-License-Identifier: GPL-3.0-only
/*
 * libFuzzer target: the .bin2 reader the launcher uses on files it loads,
 * then the kernel-rules checker and the interpreter on what it accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bin2.h"
#include "bpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bin2_view v;
	char why[256];
	void *copy = malloc(size ? size : 1);
	const struct sock_filter *progs[2];
	size_t lens[2];

	if (!copy)
		return 0;
	memcpy(copy, data, size); /* aligned, as a file read into malloc'd memory is */
	if (bin2_decode(copy, size, &v, why, sizeof(why)) == 0 && !v.unrestricted) {
		progs[0] = v.deny;
		lens[0] = v.deny_len;
		progs[1] = v.allow;
		lens[1] = v.allow_len;
		for (int i = 0; i < 2; i++) {
			struct seccomp_data d = { .nr = (int)size, .arch = 0xc000003e, .args = { size, 1, 2 } };
			unsigned n = 0;

			if (bpf_check(progs[i], lens[i], why, sizeof(why)))
				continue;
			bpf_run(progs[i], lens[i], &d, &n);
			if (n == 0 || n > lens[i])
				abort(); /* jumps go forward: no path is longer than the program */
		}
	}
	free(copy);
	return 0;
}
