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
