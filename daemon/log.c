/*
 * log — stderr in the foreground, the systemd journal as a service.
 *
 * Why not syslog(3)? The journal keeps the priority and our program name
 * without a socket dance, and journalctl -u shows it next to systemd's own
 * lines. In the foreground a human is watching: plain lines, no timestamps
 * (the terminal or the test harness adds its own).
 *
 * A journal record carries fields besides its text (log_fields(): AGENCY=,
 * TASK=, MESSAGE_ID= …), so that an operator can ask for everything about
 * one agency or one task instead of grepping sentences.
 */
#include "log.h"

#include "buf.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
/* CODE_FILE= and CODE_LINE= would always name this file: leave them out. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <unistd.h>
#include <time.h>

static const char *log_progname = "deadlined";
static bool log_to_stderr = true;
static bool log_verbose;

static bool stderr_is_journal(void);
static void journal_send(int priority, const char *msg, const struct log_about *about);

void log_init(const char *progname, bool to_stderr, bool verbose)
{
	log_progname = progname;
	log_to_stderr = to_stderr && !stderr_is_journal();
	log_verbose = verbose;
}

static void log_emit(int priority, const struct log_about *about, const char *fmt, va_list ap,
                     const char *errstr)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errstr) {
		size_t len = strlen(msg);
		snprintf(msg + len, sizeof(msg) - len, ": %s", errstr);
	}
	if (log_to_stderr)
		fprintf(stderr, "%s: %s\n", log_progname, msg);
	else
		journal_send(priority, msg, about);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, NULL, fmt, ap, NULL);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, NULL, fmt, ap, NULL);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	/* strerror first: the formatting below may clobber errno. */
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, NULL, fmt, ap, errstr);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, NULL, fmt, ap, NULL);
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
	log_emit(LOG_CRIT, NULL, fmt, ap, errstr);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, NULL, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void log_fields(int priority, const struct log_about *about, const char *fmt, ...)
{
	va_list ap;

	if (priority == LOG_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	log_emit(priority, about, fmt, ap, NULL);
	va_end(ap);
}

/* ---- journal records -------------------------------------------------------------- */

/*
 * systemd connects a service's stderr to the journal and names that stream
 * in JOURNAL_STREAM ("DEVICE:INODE"): a record written there loses its
 * fields, so one sent natively is better.
 */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	uintmax_t dev, ino;
	struct stat st;
	int used = 0;

	if (!env || sscanf(env, "%ju:%ju%n", &dev, &ino, &used) != 2 || env[used])
		return false;
	return fstat(STDERR_FILENO, &st) == 0 && (uintmax_t)st.st_dev == dev &&
	       (uintmax_t)st.st_ino == ino;
}

/* A record being built: "NAME=value" entries end to end in text. */
struct record {
	struct buf text;
	size_t *ends;
	size_t n;
};

static void record_add(struct record *r, const char *name, const char *value)
{
	r->ends = xrealloc(r->ends, (r->n + 1) * sizeof(*r->ends));
	buf_printf(&r->text, "%s=%s", name, value);
	r->ends[r->n++] = r->text.len;
}

/* A field of a list (TASK=, PLAN=) is given each value once. */
static void record_add_once(struct record *r, const char *name, const char *value,
                            const char *const *earlier, size_t n_earlier, const char *first)
{
	if (!value || (first && !strcmp(first, value)))
		return;
	for (size_t i = 0; i < n_earlier; i++)
		if (earlier[i] && !strcmp(earlier[i], value))
			return;
	record_add(r, name, value);
}

/*
 * MESSAGE_ID= holds the mail's Message-ID, so that one message can be
 * followed from queued to delivered. (journald reserves the name for
 * 128-bit catalog ids; journalctl -x simply finds no catalog entry.)
 */
static void journal_send(int priority, const char *msg, const struct log_about *about)
{
	struct record r = {BUF_INIT, NULL, 0};
	char number[16];

	record_add(&r, "MESSAGE", msg);
	snprintf(number, sizeof(number), "%d", priority);
	record_add(&r, "PRIORITY", number);
	record_add(&r, "SYSLOG_IDENTIFIER", log_progname);
	if (about) {
		if (about->agency)
			record_add(&r, "AGENCY", about->agency);
		if (about->message_id)
			record_add(&r, "MESSAGE_ID", about->message_id);
		if (about->smtp_code) {
			snprintf(number, sizeof(number), "%d", about->smtp_code);
			record_add(&r, "SMTP_CODE", number);
		}
		record_add_once(&r, "TASK", about->task, NULL, 0, NULL);
		record_add_once(&r, "PLAN", about->plan, NULL, 0, NULL);
		for (size_t i = 0; i < about->n_tasks; i++) {
			if (about->tasks)
				record_add_once(&r, "TASK", about->tasks[i], about->tasks, i,
				                about->task);
			if (about->plans)
				record_add_once(&r, "PLAN", about->plans[i], about->plans, i,
				                about->plan);
		}
	}
	struct iovec *iov = xcalloc(r.n, sizeof(*iov));
	for (size_t i = 0, start = 0; i < r.n; start = r.ends[i++]) {
		iov[i].iov_base = r.text.data + start;
		iov[i].iov_len = r.ends[i] - start;
	}
	sd_journal_sendv(iov, (int)r.n);
	free(iov);
	free(r.ends);
	buf_free(&r.text);
}
