/*
 * mail — delivery, off the event loop. The only module that includes
 * libesmtp.h.
 *
 * The loop thread submits jobs; one worker thread delivers them, either as
 * files in a Maildir (the embedded default: no server needed) or over SMTP
 * with libesmtp, whose session call blocks for the whole exchange. Up to
 * max_per_connection jobs share one SMTP session. Results are collected by
 * the loop thread after the worker wakes it (loop_async); only the loop
 * thread writes them to the store.
 */
#ifndef DEADLINED_MAIL_H
#define DEADLINED_MAIL_H

#include "buf.h"
#include "cfg.h"
#include "loop.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the worker needs from the config: copied, so a reload cannot race it. */
struct mail_settings {
	enum cfg_transport transport;
	char *maildir;
	char *host;
	int port;
	enum cfg_tls tls;
	char *ca_file;
	bool verify;
	char *user, *password;
	char *envelope_from; /* MAIL FROM */
	char *helo;
	int timeout;
	int max_per_connection;
};

void mail_settings_from_cfg(const struct cfg *c, struct mail_settings *out);
void mail_settings_free(struct mail_settings *s);

struct mail_job {
	int64_t id; /* the outbox row */
	char **rcpt;
	size_t n_rcpt;
	char *body; /* RFC 5322, CRLF line ends */
	size_t len;
};

enum mail_status {
	MAIL_SENT,     /* every recipient accepted */
	MAIL_PARTIAL,  /* some recipients refused permanently, the rest accepted */
	MAIL_TEMPFAIL, /* some recipients (see rcpts) are to be tried again later */
	MAIL_PERMFAIL, /* refused permanently (5xx) for every recipient */
};

/* Each recipient ends in one of three ways: accepted, refused for good, or
 * neither (a 4xx, or not reached) and tried again later. */
struct mail_rcpt_result {
	char *address;
	int code; /* SMTP reply code; 0 if none */
	char *text;
	bool accepted;
	bool permanent; /* refused for good */
};

struct mail_result {
	int64_t id;
	enum mail_status status;
	char *error; /* why it did not (fully) go, or NULL */
	char *where; /* Maildir file or "host:port", for the log */
	struct mail_rcpt_result *rcpts;
	size_t n_rcpts;
};

struct mail;

/* Starts the worker; `wake` is sent whenever results are ready. */
struct mail *mail_start(const struct mail_settings *s, struct loop_async *wake);
/* Later sessions use the new settings (the one in progress finishes as it was). */
void mail_reconfigure(struct mail *m, const struct mail_settings *s);
/* Takes ownership of the n jobs (not of the array). Jobs submitted together
 * are handed over at once, so that they share sessions. */
void mail_submit(struct mail *m, struct mail_job **jobs, size_t n);
/* Finished results; *out is malloc'ed (free with mail_results_free). */
size_t mail_collect(struct mail *m, struct mail_result **out);
void mail_results_free(struct mail_result *r, size_t n);

/* Lets the session in progress finish and joins the worker; its results
 * can still be collected. Jobs not started stay queued in the store. */
void mail_stop(struct mail *m);
void mail_free(struct mail *m);

void mail_job_free(struct mail_job *job);

/*
 * For deadlinectl, in its own thread of control (these block; the
 * daemon's loop never calls them).
 *
 * mail_send_now delivers one message at once, Maildir or SMTP as the
 * settings say, exactly as the worker would; the outcome is in *r, an
 * allocated result (free it with mail_results_free(r, 1)).
 *
 * mail_probe connects to [smtp] host, reads the greeting, says EHLO, does
 * STARTTLS (with the same certificate checks as a delivery) and AUTH when
 * configured, and quits without sending anything. Each step is appended
 * to report as one line of plain words ("connected to …", "STARTTLS:
 * TLSv1.3 …", "logged in as …", or what went wrong). 0 when every step
 * succeeded, -1 otherwise. The password is never written anywhere.
 */
void mail_send_now(const struct mail_settings *s, struct mail_job *job, struct mail_result *r);
int mail_probe(const struct mail_settings *s, struct buf *report);

#endif
