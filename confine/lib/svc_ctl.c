// SPDX-License-Identifier: GPL-3.0-only
/*
 * The control socket: a stream socket, mode 0600 (root's), and every peer
 * checked with SO_PEERCRED (uid 0 only) whatever the file's mode. One
 * request line per connection; the reply is "rc N\n" and then text.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "svc.h"

static int addr_of(const char *path, struct sockaddr_un *a, struct diag *err)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return diag_set(err, "%s: socket path too long", path);
	strcpy(a->sun_path, path);
	return 0;
}

int svc_ctl_listen(const char *path, struct diag *err)
{
	struct sockaddr_un a;
	int fd, probe;
	mode_t old;

	if (addr_of(path, &a, err))
		return -1;
	/* a socket someone answers on: another supervisor runs */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 && connect(probe, (struct sockaddr *)&a, sizeof(a)) == 0) {
		close(probe);
		return diag_set(err, "%s: a supervisor is running already", path);
	}
	if (probe >= 0)
		close(probe);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return diag_errno(err, "cannot create a socket");
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0) {
		umask(old);
		diag_errno(err, "cannot listen on %s", path);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) < 0) {
		diag_errno(err, "cannot chmod %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

int svc_ctl_accept(int lfd, char *req, size_t len, struct diag *err)
{
	struct ucred cr;
	socklen_t cl = sizeof(cr);
	size_t got = 0;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return diag_errno(err, "cannot accept");
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0 || cr.uid != 0) {
		diag_set(err, "control request from uid %d refused", cl ? (int)cr.uid : -1);
		svc_ctl_reply(fd, SVC_EXIT_DENIED, "permission denied: root only\n");
		return -1;
	}
	/* one line, within a second */
	while (got + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 1000) <= 0)
			break;
		r = read(fd, req + got, len - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (memchr(req, '\n', got))
			break;
	}
	req[got] = '\0';
	if (!strchr(req, '\n')) {
		svc_ctl_reply(fd, SVC_EXIT_USAGE, "incomplete request\n");
		return diag_set(err, "incomplete control request");
	}
	*strchr(req, '\n') = '\0';
	return fd;
}

void svc_ctl_reply(int fd, int rc, const char *text)
{
	char head[16];
	int n = snprintf(head, sizeof(head), "rc %d\n", rc);

	if (write(fd, head, (size_t)n) == n)
		for (size_t left = strlen(text); left;) {
			ssize_t w = write(fd, text, left);
			if (w <= 0)
				break;
			text += w;
			left -= (size_t)w;
		}
	close(fd);
}

int svc_ctl_call(const char *path, const char *req)
{
	struct sockaddr_un a;
	struct diag err;
	char buf[4096];
	int fd, rc = -1;
	size_t n = 0;
	ssize_t r;

	if (addr_of(path, &a, &err)) {
		fprintf(stderr, "snap-supervisor: %s\n", err.msg);
		return SVC_EXIT_USAGE;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;

		fprintf(stderr, "snap-supervisor: cannot reach the supervisor at %s: %s\n", path,
			strerror(e));
		if (fd >= 0)
			close(fd);
		return e == EACCES || e == EPERM ? SVC_EXIT_DENIED : SVC_EXIT_NOT_RUNNING;
	}
	/* a refusal may come before the request is read: what was sent does not matter then */
	(void)!send(fd, req, strlen(req), MSG_NOSIGNAL);
	(void)!send(fd, "\n", 1, MSG_NOSIGNAL);
	/* the head, then the text as it comes */
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0) {
		char *nl;

		n += (size_t)r;
		buf[n] = '\0';
		if (rc < 0 && (nl = strchr(buf, '\n'))) {
			rc = strncmp(buf, "rc ", 3) ? SVC_EXIT_FAILED : atoi(buf + 3);
			n -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, n);
		}
		if (rc >= 0 || n == sizeof(buf) - 1) {
			(void)!write(rc == SVC_EXIT_OK ? 1 : 2, buf, n);
			n = 0;
		}
	}
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "snap-supervisor: no answer from the supervisor\n");
		return SVC_EXIT_NOT_RUNNING;
	}
	return rc;
}
