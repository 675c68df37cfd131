/*
 * loop — the event loop. A thin layer over libev, the only module that
 * includes ev.h: the daemon sees one-shot timers at absolute wall-clock
 * times, signals, readable descriptors, file changes and a thread-safe
 * wake-up for the mail worker. Callbacks run in the loop thread only.
 */
#ifndef DEADLINED_LOOP_H
#define DEADLINED_LOOP_H

#include <stddef.h>
#include <time.h>

typedef void (*loop_cb)(void *arg);

struct loop_timer;
struct loop_io;
struct loop_async;
struct loop_watch;

void loop_init(void);
void loop_run(void);    /* returns after loop_stop() */
void loop_stop(void);   /* from a callback */
double loop_wall(void); /* the real wall clock, seconds */

/*
 * A one-shot timer. loop_timer_at() fires at an absolute wall-clock time
 * and follows changes of the system clock (a periodic watcher, not a
 * delay); loop_timer_in() fires after a delay (for the watchdog).
 */
struct loop_timer *loop_timer_new(loop_cb cb, void *arg);
void loop_timer_at(struct loop_timer *t, double wall);
void loop_timer_in(struct loop_timer *t, double seconds);
void loop_timer_stop(struct loop_timer *t);
void loop_timer_free(struct loop_timer *t);

/* Calls cb when fd is readable. */
struct loop_io *loop_io_new(int fd, loop_cb cb, void *arg);
void loop_io_free(struct loop_io *io);

/* Runs cb in the loop when signo arrives; the handler itself only wakes the loop. */
void loop_signal(int signo, loop_cb cb, void *arg);

/* loop_async_send() may be called from any thread; cb runs in the loop. */
struct loop_async *loop_async_new(loop_cb cb, void *arg);
void loop_async_send(struct loop_async *a);
void loop_async_free(struct loop_async *a);

/*
 * Calls cb (once, shortly after the last event) when any of the files is
 * written, replaced or removed. inotify on the files' directories, so an
 * editor's rename-into-place is seen too. NULL if inotify is unavailable.
 */
struct loop_watch *loop_watch_files(char *const *paths, size_t n, loop_cb cb, void *arg);
/* The same for any file created in, moved into or written in a directory (a Maildir's new/). */
struct loop_watch *loop_watch_dir(const char *dir, loop_cb cb, void *arg);
void loop_watch_free(struct loop_watch *w);

#endif
