/*
 * loop — see loop.h.
 *
 * Everything runs on libev's default loop, which is also the one that owns
 * signals. The wrappers exist so that exactly one file depends on libev,
 * and so that every watcher carries a plain (cb, arg) pair.
 */
#include "loop.h"

#include "log.h"
#include "util.h"

#include <errno.h>
#include <ev.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define WATCH_SETTLE 0.3 /* seconds after the last change before reloading */
#define MAX_SIGNALS  8

struct loop_timer {
	ev_periodic at; /* absolute: follows wall-clock changes */
	ev_timer in;    /* relative */
	loop_cb cb;
	void *arg;
};

struct loop_io {
	ev_io w;
	loop_cb cb;
	void *arg;
};

struct loop_async {
	ev_async w;
	loop_cb cb;
	void *arg;
};

struct loop_watch {
	ev_io io;
	ev_timer settle;
	int fd;
	char **names; /* base names of the watched files */
	size_t n;
	bool any; /* a directory: every name counts */
	loop_cb cb;
	void *arg;
};

static struct ev_loop *loop;
static struct {
	ev_signal w;
	loop_cb cb;
	void *arg;
} signals[MAX_SIGNALS];
static int n_signals;

void loop_init(void)
{
	loop = ev_default_loop(EVFLAG_AUTO);
	if (!loop)
		fatalx("libev: no event loop backend");
}

void loop_run(void)
{
	ev_run(loop, 0);
}

void loop_stop(void)
{
	ev_break(loop, EVBREAK_ALL);
}

double loop_wall(void)
{
	return ev_time();
}

static void periodic_fired(struct ev_loop *l, ev_periodic *w, int revents)
{
	struct loop_timer *t = w->data;

	(void)l, (void)revents;
	ev_periodic_stop(loop, &t->at);
	t->cb(t->arg);
}

static void timer_fired(struct ev_loop *l, ev_timer *w, int revents)
{
	struct loop_timer *t = w->data;

	(void)l, (void)revents;
	t->cb(t->arg);
}

struct loop_timer *loop_timer_new(loop_cb cb, void *arg)
{
	struct loop_timer *t = xcalloc(1, sizeof(*t));

	t->cb = cb;
	t->arg = arg;
	ev_periodic_init(&t->at, periodic_fired, 0., 0., NULL);
	ev_timer_init(&t->in, timer_fired, 0., 0.);
	t->at.data = t->in.data = t;
	return t;
}

void loop_timer_at(struct loop_timer *t, double wall)
{
	loop_timer_stop(t);
	ev_periodic_set(&t->at, wall, 0., NULL);
	ev_periodic_start(loop, &t->at);
}

void loop_timer_in(struct loop_timer *t, double seconds)
{
	loop_timer_stop(t);
	ev_timer_set(&t->in, seconds, 0.);
	ev_timer_start(loop, &t->in);
}

void loop_timer_stop(struct loop_timer *t)
{
	ev_periodic_stop(loop, &t->at);
	ev_timer_stop(loop, &t->in);
}

void loop_timer_free(struct loop_timer *t)
{
	if (!t)
		return;
	loop_timer_stop(t);
	free(t);
}

static void io_ready(struct ev_loop *l, ev_io *w, int revents)
{
	struct loop_io *io = w->data;

	(void)l, (void)revents;
	io->cb(io->arg);
}

struct loop_io *loop_io_new(int fd, loop_cb cb, void *arg)
{
	struct loop_io *io = xcalloc(1, sizeof(*io));

	io->cb = cb;
	io->arg = arg;
	ev_io_init(&io->w, io_ready, fd, EV_READ);
	io->w.data = io;
	ev_io_start(loop, &io->w);
	return io;
}

void loop_io_free(struct loop_io *io)
{
	if (!io)
		return;
	ev_io_stop(loop, &io->w);
	free(io);
}

static void signal_caught(struct ev_loop *l, ev_signal *w, int revents)
{
	int i = (int)(intptr_t)w->data;

	(void)l, (void)revents;
	signals[i].cb(signals[i].arg);
}

void loop_signal(int signo, loop_cb cb, void *arg)
{
	if (n_signals == MAX_SIGNALS)
		fatalx("loop: too many signals");
	int i = n_signals++;
	signals[i].cb = cb;
	signals[i].arg = arg;
	ev_signal_init(&signals[i].w, signal_caught, signo);
	signals[i].w.data = (void *)(intptr_t)i;
	ev_signal_start(loop, &signals[i].w);
	/* Signals must not keep the loop alive on their own. */
	ev_unref(loop);
}

static void async_woken(struct ev_loop *l, ev_async *w, int revents)
{
	struct loop_async *a = w->data;

	(void)l, (void)revents;
	a->cb(a->arg);
}

struct loop_async *loop_async_new(loop_cb cb, void *arg)
{
	struct loop_async *a = xcalloc(1, sizeof(*a));

	a->cb = cb;
	a->arg = arg;
	ev_async_init(&a->w, async_woken);
	a->w.data = a;
	ev_async_start(loop, &a->w);
	return a;
}

void loop_async_send(struct loop_async *a)
{
	ev_async_send(loop, &a->w);
}

void loop_async_free(struct loop_async *a)
{
	if (!a)
		return;
	ev_async_stop(loop, &a->w);
	free(a);
}

/* ---- file changes -------------------------------------------------------- */

static void watch_settled(struct ev_loop *l, ev_timer *t, int revents)
{
	struct loop_watch *w = t->data;

	(void)l, (void)revents;
	ev_timer_stop(loop, t); /* once per burst; no repeating wake-ups */
	w->cb(w->arg);
}

static bool watched_name(const struct loop_watch *w, const char *name)
{
	if (w->any)
		return true;
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->names[i], name))
			return true;
	return false;
}

static void watch_event(struct ev_loop *l, ev_io *io, int revents)
{
	struct loop_watch *w = io->data;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	bool hit = false;

	(void)l, (void)revents;
	while ((n = read(w->fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;
			hit |= e->len && watched_name(w, e->name);
			p += sizeof(*e) + e->len;
		}
	if (hit) /* editors write in bursts: act once it is quiet */
		ev_timer_again(loop, &w->settle);
}

/* A watcher on an inotify descriptor, calling cb once a burst of events settles. */
static struct loop_watch *watch_new(int fd, loop_cb cb, void *arg)
{
	struct loop_watch *w = xcalloc(1, sizeof(*w));

	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	ev_io_init(&w->io, watch_event, fd, EV_READ);
	w->io.data = w;
	ev_io_start(loop, &w->io);
	ev_init(&w->settle, watch_settled);
	w->settle.repeat = WATCH_SETTLE;
	w->settle.data = w;
	return w;
}

struct loop_watch *loop_watch_files(char *const *paths, size_t n, loop_cb cb, void *arg)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0) {
		log_warn("inotify: config changes will need SIGHUP");
		return NULL;
	}
	struct loop_watch *w = watch_new(fd, cb, arg);
	w->names = xcalloc(n ? n : 1, sizeof(*w->names));
	for (size_t i = 0; i < n; i++) {
		char *a = xstrdup(paths[i]), *b = xstrdup(paths[i]);
		w->names[w->n++] = xstrdup(basename(a));
		if (inotify_add_watch(fd, dirname(b),
		                      IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE) < 0)
			log_warn("inotify: %s", paths[i]);
		free(a);
		free(b);
	}
	return w;
}

struct loop_watch *loop_watch_dir(const char *dir, loop_cb cb, void *arg)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0) {
		log_warn("inotify: %s is only scanned from time to time", dir);
		return NULL;
	}
	if (inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
		log_warn("inotify: %s", dir);
		close(fd);
		return NULL;
	}
	struct loop_watch *w = watch_new(fd, cb, arg);
	w->any = true;
	return w;
}

void loop_watch_free(struct loop_watch *w)
{
	if (!w)
		return;
	ev_io_stop(loop, &w->io);
	ev_timer_stop(loop, &w->settle);
	close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	free(w);
}
