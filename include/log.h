/*
 * log — one place for diagnostics.
 *
 * In the foreground messages go to stderr; as a service they go to the
 * systemd journal with a priority. Functions follow OpenBSD's convention:
 * log_warn() appends strerror(errno), log_warnx() does not; fatal() and
 * fatalx() log and exit(1).
 */
#ifndef DEADLINED_LOG_H
#define DEADLINED_LOG_H

#include <stdbool.h>

/* to_stderr: true in the foreground; false sends to the journal. */
void log_init(const char *progname, bool to_stderr, bool verbose);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * For errors that may repeat (a busy store retried every moment, a full
 * descriptor table): at most one line per LOG_LIMIT_SECONDS through the
 * same limit; the next line that passes says how many were held back.
 */
#define LOG_LIMIT_SECONDS 10
struct log_limit {
	double next; /* monotonic seconds */
	unsigned long held;
};
void log_warn_limited(struct log_limit *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warnx_limited(struct log_limit *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
