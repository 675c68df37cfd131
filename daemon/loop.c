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

/*
 * Each file the config reads is watched itself, not its directory: a write
 * to the database or a log beside the INI wakes nobody. Editors replace a
 * file by renaming a new one over it, which ends the old file's watch
 * (IN_ATTRIB, IN_DELETE_SELF), so once a burst of changes is over the
 * watches are set again on whatever the paths name now; a file missing at
 * that moment is waited for through its directory until it is back.
 */
#define FILE_EVENTS (IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)
#define DIR_EVENTS  (IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)

struct loop_watch {
	ev_io io;
	ev_timer settle;
	int fd;
	char **paths;
	int *wd;     /* per path: the file's watch, or -1 */
	int *dir_wd; /* per path missing at arming: its directory's watch, or -1 */
	size_t n;
	bool dir; /* loop_watch_dir: paths[0] is a directory, any file in it counts */
	loop_cb cb;
	void *arg;
};

static void watch_arm(struct loop_watch *w)
{
	if (w->fd >= 0) {
		ev_io_stop(loop, &w->io);
		close(w->fd); /* every old watch goes with it */
	}
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		log_warn("inotify: config changes will need SIGHUP");
		return;
	}
	for (size_t i = 0; i < w->n; i++) {
		w->dir_wd[i] = -1;
		w->wd[i] = inotify_add_watch(w->fd, w->paths[i], w->dir ? DIR_EVENTS : FILE_EVENTS);
		if (w->dir && w->wd[i] < 0)
			log_warn("inotify: %s is only scanned from time to time", w->paths[i]);
		if (w->wd[i] >= 0)
			continue;
		char *copy = xstrdup(w->paths[i]);
		w->dir_wd[i] = inotify_add_watch(w->fd, dirname(copy), DIR_EVENTS);
		if (w->dir_wd[i] < 0)
			log_warn("inotify: %s", w->paths[i]);
		free(copy);
	}
	ev_io_set(&w->io, w->fd, EV_READ);
	ev_io_start(loop, &w->io);
}

static void watch_settled(struct ev_loop *l, ev_timer *t, int revents)
{
	struct loop_watch *w = t->data;

	(void)l, (void)revents;
	ev_timer_stop(loop, t); /* once per burst; no repeating wake-ups */
	watch_arm(w);
	w->cb(w->arg);
}

static bool watched(const struct loop_watch *w, const struct inotify_event *e)
{
	for (size_t i = 0; i < w->n; i++) {
		if (e->wd == w->wd[i])
			return !w->dir || e->len;
		if (e->wd == w->dir_wd[i] && e->len) {
			char *copy = xstrdup(w->paths[i]);
			bool same = !strcmp(basename(copy), e->name);
			free(copy);
			if (same)
				return true;
		}
	}
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
			hit |= !(e->mask & IN_IGNORED) && watched(w, e);
			p += sizeof(*e) + e->len;
		}
	if (hit) /* editors write in bursts: act once it is quiet */
		ev_timer_again(loop, &w->settle);
}

static struct loop_watch *watch_new(char *const *paths, size_t n, bool dir, loop_cb cb, void *arg)
{
	struct loop_watch *w = xcalloc(1, sizeof(*w));

	w->fd = -1;
	w->cb = cb;
	w->arg = arg;
	w->n = n;
	w->dir = dir;
	w->paths = xcalloc(n ? n : 1, sizeof(*w->paths));
	w->wd = xcalloc(n ? n : 1, sizeof(*w->wd));
	w->dir_wd = xcalloc(n ? n : 1, sizeof(*w->dir_wd));
	for (size_t i = 0; i < n; i++)
		w->paths[i] = xstrdup(paths[i]);
	ev_init(&w->io, watch_event);
	w->io.data = w;
	watch_arm(w);
	ev_init(&w->settle, watch_settled);
	w->settle.repeat = WATCH_SETTLE;
	w->settle.data = w;
	return w;
}

struct loop_watch *loop_watch_files(char *const *paths, size_t n, loop_cb cb, void *arg)
{
	return watch_new(paths, n, false, cb, arg);
}

struct loop_watch *loop_watch_dir(const char *dir, loop_cb cb, void *arg)
{
	char *paths[] = {(char *)dir};

	return watch_new(paths, 1, true, cb, arg);
}

void loop_watch_free(struct loop_watch *w)
{
	if (!w)
		return;
	ev_io_stop(loop, &w->io);
	ev_timer_stop(loop, &w->settle);
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->paths[i]);
	free(w->paths);
	free(w->wd);
	free(w->dir_wd);
	free(w);
}
