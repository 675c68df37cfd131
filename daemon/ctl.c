/*
 * ctl — see ctl.h.
 *
 * Requests are one short line and replies a few hundred bytes, so a client
 * is served in one go when its request has arrived: read, answer, close.
 * The client socket is non-blocking; a client that sends nothing is
 * dropped after CTL_TIMEOUT_MS so it cannot hold a descriptor forever.
 * Out of descriptors, accept() fails at once and the socket stays
 * readable: accepting pauses for ACCEPT_PAUSE (libev's advice), instead
 * of spinning and logging the same error a million times.
 */
#include "ctl.h"

#include "ctlproto.h"
#include "log.h"
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define ACCEPT_PAUSE 0.5 /* seconds */

struct client {
	struct ctl *ctl;
	int fd;
	struct loop_io *io;
	struct loop_timer *timeout;
	char req[CTL_MAX_REQUEST];
	size_t len;
};

struct ctl {
	int fd;
	char *path;
	struct loop_io *io; /* NULL while accepting is paused */
	struct loop_timer *resume;
	struct log_limit accept_log;
	ctl_handler handler;
	void *arg;
};

static int make_address(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	util_strlcpy(sa->sun_path, path, sizeof(sa->sun_path));
	return 0;
}

static void client_close(struct client *c)
{
	loop_io_free(c->io);
	loop_timer_free(c->timeout);
	close(c->fd);
	free(c);
}

static void client_timeout(void *arg)
{
	client_close(arg);
}

static void client_answer(struct client *c)
{
	struct buf reply = BUF_INIT;

	c->req[strcspn(c->req, "\r\n")] = '\0';
	c->ctl->handler(c->req, &reply, c->ctl->arg);
	const char *p = buf_str(&reply);
	size_t left = reply.len;
	/* Replies are small; give a slow reader a moment, then give up. */
	while (left > 0) {
		ssize_t n = send(c->fd, p, left, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {c->fd, POLLOUT, 0};
			if (poll(&pfd, 1, 1000) <= 0)
				break;
			continue;
		}
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	buf_free(&reply);
	client_close(c);
}

static void client_readable(void *arg)
{
	struct client *c = arg;
	ssize_t n = read(c->fd, c->req + c->len, sizeof(c->req) - 1 - c->len);

	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->len += (size_t)n;
	c->req[c->len] = '\0';
	if (memchr(c->req, '\n', c->len) || c->len == sizeof(c->req) - 1)
		client_answer(c);
}

static void accept_client(void *arg);

static void resume_accepting(void *arg)
{
	struct ctl *ctl = arg;

	ctl->io = loop_io_new(ctl->fd, accept_client, ctl);
}

static void accept_client(void *arg)
{
	struct ctl *ctl = arg;
	int fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
			return;
		log_warn_limited(&ctl->accept_log, "control socket: accept");
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			/* The client waits in the backlog until a descriptor is free. */
			loop_io_free(ctl->io);
			ctl->io = NULL;
			loop_timer_in(ctl->resume, ACCEPT_PAUSE);
		}
		return;
	}
	struct client *c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->fd = fd;
	c->io = loop_io_new(fd, client_readable, c);
	c->timeout = loop_timer_new(client_timeout, c);
	loop_timer_in(c->timeout, CTL_TIMEOUT_MS / 1000.0);
}

/* A socket file nobody answers on is left over from a crash: replace it. */
static int claim_path(const char *path, const struct sockaddr_un *sa)
{
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (probe < 0)
		return -1;
	if (connect(probe, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		close(probe);
		errno = EADDRINUSE;
		return -1;
	}
	close(probe);
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

struct ctl *ctl_listen(const char *path, ctl_handler handler, void *arg)
{
	struct sockaddr_un sa;
	int fd = -1;

	if (make_address(path, &sa) < 0 || claim_path(path, &sa) < 0)
		return NULL;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* 0660: the service's group may administer it, nobody else. */
	mode_t old = umask(0117);
	int r = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 16) < 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
		return NULL;
	}
	struct ctl *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->path = xstrdup(path);
	c->handler = handler;
	c->arg = arg;
	c->io = loop_io_new(fd, accept_client, c);
	c->resume = loop_timer_new(resume_accepting, c);
	return c;
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	loop_io_free(c->io);
	loop_timer_free(c->resume);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
}

int ctl_request(const char *path, const char *request, struct buf *reply)
{
	struct sockaddr_un sa;
	char buf[4096];
	int fd;

	if (make_address(path, &sa) < 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	struct timeval tv = {CTL_TIMEOUT_MS / 1000, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, request, strlen(request), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		buf_add(reply, buf, (size_t)n);
	int saved = errno;
	close(fd);
	errno = saved;
	return n < 0 ? -1 : 0;
}
