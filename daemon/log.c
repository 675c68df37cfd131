/*
 * log — stderr in the foreground, the systemd journal as a service.
 *
 * Why not syslog(3)? The journal keeps the priority and our program name
 * without a socket dance, and journalctl -u shows it next to systemd's own
 * lines. In the foreground a human is watching: plain lines, no timestamps
 * (the terminal or the test harness adds its own).
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <time.h>

static const char *log_progname = "deadlined";
static bool log_to_stderr = true;
static bool log_verbose;

void log_init(const char *progname, bool to_stderr, bool verbose)
{
	log_progname = progname;
	log_to_stderr = to_stderr;
	log_verbose = verbose;
}

static void log_emit(int priority, const char *fmt, va_list ap, const char *errstr)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_to_stderr) {
		if (errstr)
			fprintf(stderr, "%s: %s: %s\n", log_progname, msg, errstr);
		else
			fprintf(stderr, "%s: %s\n", log_progname, msg);
		return;
	}
	if (errstr)
		sd_journal_print(priority, "%s: %s", msg, errstr);
	else
		sd_journal_print(priority, "%s", msg);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	/* strerror first: the formatting below may clobber errno. */
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap, errstr);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

/* True if a line may go out through l now; otherwise it is counted. */
static bool limit_pass(struct log_limit *l, unsigned long *held)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (now < l->next) {
		l->held++;
		return false;
	}
	l->next = now + LOG_LIMIT_SECONDS;
	*held = l->held;
	l->held = 0;
	return true;
}

static void log_limited(struct log_limit *l, const char *errstr, const char *fmt, va_list ap)
{
	char msg[2048];
	unsigned long held;

	if (!limit_pass(l, &held))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (held)
		log_warnx("%s%s%s (%lu more like it not shown)", msg, errstr ? ": " : "",
		          errstr ? errstr : "", held);
	else
		log_warnx("%s%s%s", msg, errstr ? ": " : "", errstr ? errstr : "");
}

void log_warn_limited(struct log_limit *l, const char *fmt, ...)
{
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_limited(l, errstr, fmt, ap);
	va_end(ap);
}

void log_warnx_limited(struct log_limit *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_limited(l, NULL, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, fmt, ap, errstr);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
