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
#include <stddef.h>
#include <syslog.h> /* LOG_INFO, LOG_WARNING … for log_fields() */

/*
 * to_stderr: true in the foreground; false sends to the journal. A
 * foreground process whose stderr is the journal's stream (systemd's
 * JOURNAL_STREAM names it) talks to the journal directly too, so that its
 * records keep their fields.
 */
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

/*
 * What a record is about. In the journal each becomes a field an operator
 * can select on (`journalctl -u deadlined AGENCY=syt`, `TASK=1.3.a`); on
 * stderr only the message is printed. NULL or 0 leaves a field out.
 */
struct log_about {
	const char *agency;      /* AGENCY=: the agency id a message is for */
	const char *message_id;  /* MESSAGE_ID=: the mail's Message-ID */
	int smtp_code;           /* SMTP_CODE=: the server's reply code */
	const char *task, *plan; /* TASK=: a task's key; PLAN=: its plan's id */
	/* A digest is about several tasks: TASK= and PLAN= repeat, each value once. */
	const char *const *tasks, *const *plans; /* n_tasks each */
	size_t n_tasks;
};

/* log_info() and log_warnx() with fields; priority is LOG_INFO, LOG_WARNING … */
void log_fields(int priority, const struct log_about *about, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
