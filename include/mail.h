/*
 * mail — delivery, off the event loop. The only module that includes
 * libesmtp.h.
 *
 * The loop thread submits jobs; [smtp] connections worker threads deliver
 * them, either as files in a Maildir (the embedded default: no server
 * needed) or over SMTP with libesmtp, whose session call blocks for the
 * whole exchange. Up to max_per_connection jobs share one SMTP session; a
 * job is in one session at a time.
 *
 * Each message's outcome is posted the moment the server answers it (a
 * Maildir file: the moment it is written) and the loop is woken
 * (loop_async). The loop records it in the store and says so with
 * mail_recorded(). A message's data goes out only when every earlier
 * result has been recorded: a crash, or a store the loop cannot write,
 * leaves at most one message per session in doubt (answered, perhaps, but
 * not recorded: sent again at the next start).
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
	int timeout; /* seconds: connect, and each reply */
	int max_per_connection;
	int connections; /* SMTP sessions in parallel */
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
	size_t n_rcpts; /* 0 when no recipient was reached */
};

struct mail;

/* Starts the workers; `wake` is sent whenever results are ready and when a worker ends. */
struct mail *mail_start(const struct mail_settings *s, struct loop_async *wake);
/* Later sessions use the new settings (those in progress finish as they were). */
void mail_reconfigure(struct mail *m, const struct mail_settings *s);
/* Takes ownership of the n jobs (not of the array). Jobs submitted together
 * are handed over at once, so that they share sessions. */
void mail_submit(struct mail *m, struct mail_job **jobs, size_t n);
/* Results posted so far; *out is malloc'ed (free with mail_results_free). */
size_t mail_collect(struct mail *m, struct mail_result **out);
/* The loop has recorded n of the collected results: the gate may open. */
void mail_recorded(struct mail *m, size_t n);
void mail_results_free(struct mail_result *r, size_t n);

/*
 * Asks the workers to stop, without waiting: a session whose message data
 * is with the server waits for its answer; every other session is cut at
 * once (a connect, a greeting or a reply that does not come). Jobs not
 * started are dropped: they are still queued in the store. `wake` is sent
 * as workers end.
 */
void mail_stop(struct mail *m);
/* Cuts every session still running: a message whose answer has not come is
 * in doubt (reported as a temporary failure), as after a crash. */
void mail_abort(struct mail *m);
/* Every worker has ended (after mail_stop). */
bool mail_stopped(struct mail *m);
/* Frees everything; a worker that has not ended (stuck in a name lookup) is
 * left behind, and the memory it uses with it. */
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
