/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Text appended to a growing buffer, for the profiles and lines the
 * generator and the scanner write. Out of memory is remembered, not
 * reported at each call: tb_done says it once.
 */
#ifndef CONFINE_IFACE_TEXTBUF_H
#define CONFINE_IFACE_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct textbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void tb_put(struct textbuf *b, const char *s, size_t n);
void tb_puts(struct textbuf *b, const char *s);
__attribute__((format(printf, 2, 3))) void tb_printf(struct textbuf *b, const char *fmt, ...);
/* the text (the caller frees it; "" when nothing was added), or NULL after running out of memory */
char *tb_done(struct textbuf *b);

#endif
