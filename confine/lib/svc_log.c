// SPDX-License-Identifier: GPL-3.0-only
/*
 * Bounded logs: one file per service (and one per snap, for its hooks),
 * each line "YYYY-MM-DDTHH:MM:SS.mmmZ text". When a line would take the
 * file past its maximum, the file becomes FILE.1 (the old copy replaced)
 * and a new one starts: at most twice the maximum on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "svc.h"

int64_t svc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void reopen(struct svc_log *l)
{
	struct stat st;

	l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	l->size = l->fd >= 0 && fstat(l->fd, &st) == 0 ? (size_t)st.st_size : 0;
}

void svc_log_open(struct svc_log *l, const char *path, size_t max)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->path, sizeof(l->path), "%s", path);
	l->max = max;
	reopen(l);
}

void svc_log_close(struct svc_log *l)
{
	svc_log_flush(l, 0);
	svc_log_flush(l, 1);
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

static void put_line(struct svc_log *l, const char *text, size_t n)
{
	char buf[640];
	struct timespec ts;
	struct tm tm;
	int h;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	h = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     (int)(ts.tv_nsec / 1000000));
	if (n > sizeof(buf) - (size_t)h - 1)
		n = sizeof(buf) - (size_t)h - 1;
	memcpy(buf + h, text, n);
	buf[h + n] = '\n';
	n += (size_t)h + 1;
	if (l->fd >= 0 && l->size + n > l->max) {
		char old[SVC_PATH_MAX + 4];

		close(l->fd);
		snprintf(old, sizeof(old), "%s.1", l->path);
		rename(l->path, old);
		reopen(l);
	}
	if (l->fd >= 0 && write(l->fd, buf, n) == (ssize_t)n)
		l->size += n;
}

void svc_log_msg(struct svc_log *l, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "snap-supervisor: ");

	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	put_line(l, buf, strlen(buf));
}

void svc_log_feed(struct svc_log *l, int stream, const char *buf, size_t n)
{
	char *part = l->part[stream];

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || l->plen[stream] == sizeof(l->part[0])) {
			put_line(l, part, l->plen[stream]);
			l->plen[stream] = 0;
			if (buf[i] == '\n')
				continue;
		}
		part[l->plen[stream]++] = buf[i];
	}
}

void svc_log_flush(struct svc_log *l, int stream)
{
	if (l->plen[stream])
		put_line(l, l->part[stream], l->plen[stream]);
	l->plen[stream] = 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int svc_log_tail(const char *path, unsigned n, int out, struct diag *err)
{
	char old[SVC_PATH_MAX + 4], *a = NULL, *b = NULL;
	size_t la = 0, lb = 0, skip;
	struct diag ignore;
	unsigned lines = 0;
	int rc;

	snprintf(old, sizeof(old), "%s.1", path);
	if (file_read_all(path, 64u << 20, &b, &lb, err))
		return -1;
	if (file_read_all(old, 64u << 20, &a, &la, &ignore))
		la = 0;
	/* from the end of b, then of a: where the last n lines start */
	skip = la + lb;
	while (n && skip > 0) {
		char c = skip - 1 < la ? a[skip - 1] : b[skip - 1 - la];

		if (c == '\n' && skip != la + lb && ++lines >= n)
			break;
		skip--;
	}
	rc = (skip < la ? write_all(out, a + skip, la - skip) : 0) ||
	     write_all(out, b + (skip > la ? skip - la : 0), lb - (skip > la ? skip - la : 0));
	free(a);
	free(b);
	return rc ? diag_errno(err, "cannot write the log") : 0;
}
