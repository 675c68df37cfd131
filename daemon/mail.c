/*
 * mail — see mail.h.
 *
 * One worker thread, one mutex, two queues: jobs in, results out. The
 * worker takes a batch (up to max_per_connection jobs), delivers it
 * without holding the lock, posts the results and wakes the loop. Nothing
 * here touches the store: if the daemon dies mid-batch, the messages are
 * still "queued" there and go out at the next start.
 */
#include "mail.h"

#include "buf.h"
#include "log.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
/* OpenSSL first: libesmtp declares its TLS functions only when it is there. */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <auth-client.h>
#include <libesmtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct mail {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct mail_job **jobs; /* FIFO */
	size_t n_jobs;
	struct mail_result *results;
	size_t n_results;
	struct mail_settings settings; /* guarded by lock; copied per batch */
	char default_helo[256];        /* the worker's: looked up once */
	struct loop_async *wake;
	bool stopping;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void mail_settings_from_cfg(const struct cfg *c, struct mail_settings *out)
{
	memset(out, 0, sizeof(*out));
	out->transport = c->transport;
	out->maildir = dup_or_null(c->maildir);
	out->host = dup_or_null(c->host);
	out->port = c->port;
	out->tls = c->tls;
	out->ca_file = dup_or_null(c->ca_file);
	out->verify = c->verify;
	out->user = dup_or_null(c->user);
	out->password = dup_or_null(c->password);
	out->envelope_from = xstrdup(c->envelope_from ? c->envelope_from : c->from_addr);
	out->helo = dup_or_null(c->helo);
	out->timeout = c->timeout;
	out->max_per_connection = c->max_per_connection;
}

static void settings_copy(struct mail_settings *dst, const struct mail_settings *src)
{
	*dst = *src;
	dst->maildir = dup_or_null(src->maildir);
	dst->host = dup_or_null(src->host);
	dst->ca_file = dup_or_null(src->ca_file);
	dst->user = dup_or_null(src->user);
	dst->password = dup_or_null(src->password);
	dst->envelope_from = dup_or_null(src->envelope_from);
	dst->helo = dup_or_null(src->helo);
}

void mail_settings_free(struct mail_settings *s)
{
	free(s->maildir), free(s->host), free(s->ca_file), free(s->user), free(s->envelope_from);
	free(s->helo);
	if (s->password) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	memset(s, 0, sizeof(*s));
}

void mail_job_free(struct mail_job *job)
{
	if (!job)
		return;
	for (size_t i = 0; i < job->n_rcpt; i++)
		free(job->rcpt[i]);
	free(job->rcpt);
	free(job->body);
	free(job);
}

void mail_results_free(struct mail_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].error);
		free(r[i].where);
		for (size_t k = 0; k < r[i].n_rcpts; k++) {
			free(r[i].rcpts[k].address);
			free(r[i].rcpts[k].text);
		}
		free(r[i].rcpts);
	}
	free(r);
}

/* ---- Maildir -------------------------------------------------------------- */

static int make_dirs(const char *root)
{
	const char *sub[] = {"", "/tmp", "/new", "/cur"};
	char path[4096];

	for (size_t i = 0; i < UTIL_NELEM(sub); i++) {
		snprintf(path, sizeof(path), "%s%s", root, sub[i]);
		if (mkdir(path, 0750) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

/* Maildir files use plain LF line ends. */
static int write_lf(int fd, const char *body, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		bool cr = i + 1 < len && body[i] == '\r' && body[i + 1] == '\n';
		if (i < len && !cr)
			continue;
		for (size_t off = start; off < i;) {
			ssize_t n = write(fd, body + off, i - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return -1;
			off += (size_t)n;
		}
		start = i + 1; /* skip the CR; the LF starts the next run */
	}
	return 0;
}

/* tmp/ then rename into new/: a reader never sees half a message. */
static void maildir_deliver(const struct mail_settings *s, const struct mail_job *job,
                            struct mail_result *r)
{
	static unsigned long counter;
	char host[256], name[512], tmp[4096], final[4096];
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (gethostname(host, sizeof(host)) < 0)
		util_strlcpy(host, "localhost", sizeof(host));
	host[strcspn(host, "/:")] = '\0';
	snprintf(name, sizeof(name), "%lld.M%ldP%dQ%lu_%lld.%s", (long long)ts.tv_sec,
	         ts.tv_nsec / 1000, (int)getpid(), ++counter, (long long)job->id, host);
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s", s->maildir, name);
	snprintf(final, sizeof(final), "%s/new/%s", s->maildir, name);

	int fd = -1;
	if (make_dirs(s->maildir) < 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0 ||
	    write_lf(fd, job->body, job->len) < 0 || fsync(fd) < 0 || close(fd) < 0 ||
	    rename(tmp, final) < 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		r->status = MAIL_TEMPFAIL;
		char err[512];
		snprintf(err, sizeof(err), "maildir %s: %s", s->maildir, strerror(saved));
		r->error = xstrdup(err);
		return;
	}
	r->status = MAIL_SENT;
	r->where = xstrdup(final);
}

/* ---- SMTP ------------------------------------------------------------------- */

static pthread_once_t smtp_once = PTHREAD_ONCE_INIT;

static void smtp_init_once(void)
{
	auth_client_init();
}

static void smtp_global_init(void)
{
	pthread_once(&smtp_once, smtp_init_once);
}

/* Per-session state the callbacks write to (libesmtp reports TLS refusals only there). */
struct session_note {
	const struct mail_settings *s;
	char tls_error[160];
};

/*
 * OpenSSL verifies the chain and the configured host name (tls_context);
 * libesmtp's own name check compares against the DNS canonical name, so
 * its "wrong certificate" verdict is overruled when OpenSSL already checked.
 */
static void smtp_event(smtp_session_t session, int event, void *arg, ...)
{
	struct session_note *note = arg;
	va_list ap;
	int *ok = NULL;
	long vfy = 0;

	(void)session;
	if (event == SMTP_EV_EXTNA_STARTTLS) {
		snprintf(note->tls_error, sizeof(note->tls_error),
		         "the server does not offer STARTTLS, which is required (tls = starttls)");
		return;
	}
	va_start(ap, arg);
	if (event == SMTP_EV_INVALID_PEER_CERTIFICATE) {
		vfy = va_arg(ap, long);
		ok = va_arg(ap, int *);
	} else if (event == SMTP_EV_NO_PEER_CERTIFICATE ||
	           event == SMTP_EV_WRONG_PEER_CERTIFICATE) {
		ok = va_arg(ap, int *);
	}
	va_end(ap);
	if (!ok)
		return;
	*ok = !note->s->verify || event == SMTP_EV_WRONG_PEER_CERTIFICATE;
	if (!*ok)
		snprintf(note->tls_error, sizeof(note->tls_error), "TLS: %s",
		         event == SMTP_EV_NO_PEER_CERTIFICATE ? "the server sent no certificate"
		                                              : X509_verify_cert_error_string(vfy));
}

static int smtp_interact(auth_client_request_t req, char **result, int fields, void *arg)
{
	const struct mail_settings *s = arg;

	for (int i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = s->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = s->password;
		else
			return 0;
	}
	return 1;
}

/* OpenSSL refuses a bad chain inside the handshake, where libesmtp sees only
 * "Client error": note the reason while OpenSSL still has it. */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct session_note *note = ssl ? SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;

	/* With verify = no the chain is not the server's fault: nothing to say. */
	if (!ok && note && note->s->verify && !note->tls_error[0])
		snprintf(note->tls_error, sizeof(note->tls_error),
		         "TLS: certificate verify failed: %s",
		         X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)));
	return ok;
}

static bool is_ip_literal(const char *host)
{
	return strspn(host, "0123456789.") == strlen(host) || strchr(host, ':');
}

/*
 * Our own context, never libesmtp's process-wide default (freed by the
 * first session that used it: a use-after-free in 1.1.0). It checks the
 * chain against ca_file (or the system store) and the configured name.
 */
static SSL_CTX *tls_context(const struct mail_settings *s, struct session_note *note, char *err,
                            size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx) {
		snprintf(err, errlen, "TLS: cannot create a context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_app_data(ctx, note);
	SSL_CTX_set_verify(ctx, s->verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, verify_cb);
	int ok = s->ca_file ? SSL_CTX_load_verify_locations(ctx, s->ca_file, NULL)
	                    : SSL_CTX_set_default_verify_paths(ctx);
	if (ok && s->verify) {
		X509_VERIFY_PARAM *param = SSL_CTX_get0_param(ctx);
		ok = is_ip_literal(s->host) ? X509_VERIFY_PARAM_set1_ip_asc(param, s->host)
		                            : X509_VERIFY_PARAM_set1_host(param, s->host, 0);
	}
	if (!ok) {
		snprintf(err, errlen, "TLS: cannot load CA certificates %s",
		         s->ca_file ? s->ca_file : "(system)");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static void set_timeouts(smtp_session_t session, int seconds)
{
	/* libesmtp's defaults follow RFC 5321 (minutes); ours come from the config. */
	const int which[] = {Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA, Timeout_TRANSFER,
	                     Timeout_DATA2};

	for (size_t i = 0; i < UTIL_NELEM(which); i++)
		smtp_set_timeout(session, which[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
		                 (long)seconds * 1000);
}

static void fail_all(struct mail_result *r, size_t n, enum mail_status status, const char *why)
{
	for (size_t i = 0; i < n; i++) {
		r[i].status = status;
		free(r[i].error);
		r[i].error = xstrdup(why);
	}
}

/* 530/535: our credentials were refused. The admin can fix that: retry, do not drop. */
static bool permanent(int code)
{
	return code >= 500 && code != 530 && code != 535 && code != 538;
}

/* Why the server refused the whole message (MAIL FROM, or the end of DATA), or 0. */
static int message_refusal(smtp_message_t msg, struct buf *why)
{
	const smtp_status_t *from = smtp_reverse_path_status(msg);
	const smtp_status_t *data = smtp_message_transfer_status(msg);

	/* 2xx and 3xx (354 to DATA) are not refusals: a dropped connection is told elsewhere. */
	if (from && from->code >= 400) {
		buf_printf(why, "MAIL FROM: %d %s%s", from->code, from->text ? from->text : "",
		           from->code == 530 || from->code == 535
		               ? " (authentication: check [smtp] user and password_file)"
		               : "");
		return from->code;
	}
	if (data && data->code >= 400) {
		buf_printf(why, "message: %d %s", data->code, data->text ? data->text : "");
		return data->code;
	}
	return 0;
}

/*
 * One message's outcome. The session call says little (it returns 1 even
 * when nothing went out), so the reply codes decide, recipient by
 * recipient: accepted (2xx to RCPT and to the data), refused for good (a
 * 5xx to RCPT or to the whole message), or tried again later (4xx, or not
 * reached: code 0).
 */
static void message_result(const struct mail_settings *s, smtp_message_t msg,
                           smtp_recipient_t *rcpts, const struct mail_job *job,
                           const char *session_error, struct mail_result *r)
{
	const smtp_status_t *data = smtp_message_transfer_status(msg);
	struct buf why = BUF_INIT, whole = BUF_INIT;
	size_t accepted = 0, later = 0;
	int refusal = message_refusal(msg, &whole);
	char where[300];

	snprintf(where, sizeof(where), "%s:%d", s->host, s->port);
	r->where = xstrdup(where);
	r->rcpts = xcalloc(job->n_rcpt ? job->n_rcpt : 1, sizeof(*r->rcpts));
	r->n_rcpts = job->n_rcpt;
	for (size_t i = 0; i < job->n_rcpt; i++) {
		const smtp_status_t *rs = smtp_recipient_status(rcpts[i]);
		struct mail_rcpt_result *rr = &r->rcpts[i];
		rr->address = xstrdup(job->rcpt[i]);
		rr->code = rs ? rs->code : 0;
		rr->text = xstrdup(rs && rs->text ? rs->text : "");
		rr->text[strcspn(rr->text, "\r\n")] = '\0';
		rr->accepted = rr->code / 100 == 2 && data && data->code / 100 == 2;
		/* A refusal of the whole message concerns those RCPT accepted or never reached. */
		rr->permanent = !rr->accepted &&
		                (permanent(rr->code) ||
		                 ((rr->code == 0 || rr->code / 100 == 2) && permanent(refusal)));
		accepted += rr->accepted;
		later += !rr->accepted && !rr->permanent;
		if (rr->code && rr->code / 100 != 2)
			buf_printf(&why, "%s%s: %d %s", why.len ? "; " : "", rr->address, rr->code,
			           rr->text);
	}
	if (accepted == job->n_rcpt)
		r->status = MAIL_SENT;
	else if (later)
		r->status = MAIL_TEMPFAIL;
	else
		r->status = accepted ? MAIL_PARTIAL : MAIL_PERMFAIL;
	if (whole.len)
		buf_printf(&why, "%s%s", why.len ? "; " : "", buf_str(&whole));
	else if (!why.len && r->status != MAIL_SENT)
		buf_adds(&why, session_error);
	r->error = why.len ? buf_steal(&why) : NULL;
	buf_free(&why);
	buf_free(&whole);
	if (r->error)
		r->error[strcspn(r->error, "\r\n")] = '\0';
}

/*
 * libesmtp would greet with the bare node name ("vm"), which servers that
 * insist on a fully qualified name refuse. This host's canonical name from
 * the resolver if it has a dot, else the domain of the envelope sender.
 * Looked up here, in the worker, where blocking is allowed.
 */
static const char *default_helo(const struct mail_settings *s, char *out, size_t len)
{
	struct addrinfo hints = {.ai_flags = AI_CANONNAME}, *ai = NULL;
	char host[256] = "";
	const char *at = s->envelope_from ? strrchr(s->envelope_from, '@') : NULL;

	if (gethostname(host, sizeof(host) - 1) == 0 && !strchr(host, '.') &&
	    getaddrinfo(host, NULL, &hints, &ai) == 0 && ai && ai->ai_canonname)
		util_strlcpy(host, ai->ai_canonname, sizeof(host));
	if (ai)
		freeaddrinfo(ai);
	util_strlcpy(out, strchr(host, '.') ? host : at && at[1] ? at + 1 : "localhost", len);
	return out;
}

/* Sets up the session: server, timeouts, TLS, authentication. */
static int smtp_prepare(const struct mail_settings *s, struct session_note *note,
                        smtp_session_t session, SSL_CTX **ctx, auth_context_t *auth, char *err,
                        size_t errlen)
{
	char server[300];

	snprintf(server, sizeof(server), "%s:%d", s->host, s->port);
	if (!smtp_set_server(session, server)) {
		snprintf(err, errlen, "libesmtp: bad server %s", server);
		return -1;
	}
	if (s->helo)
		smtp_set_hostname(session, s->helo);
	set_timeouts(session, s->timeout);
	smtp_set_eventcb(session, smtp_event, note);
	if (s->tls == CFG_TLS_NONE) {
		smtp_starttls_enable(session, Starttls_DISABLED);
	} else {
		/* REQUIRED: without STARTTLS offered and working, nothing is sent. */
		if (!(*ctx = tls_context(s, note, err, errlen)))
			return -1;
		smtp_starttls_enable(session, Starttls_REQUIRED);
		smtp_starttls_set_ctx(session, *ctx);
	}
	if (s->user) {
		*auth = auth_create_context();
		auth_set_mechanism_flags(*auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(*auth, smtp_interact, (void *)s);
		smtp_auth_set_context(session, *auth);
	}
	return 0;
}

/* One session for the whole batch. */
static void smtp_deliver(const struct mail_settings *s, struct mail_job **jobs, size_t n,
                         struct mail_result *results)
{
	smtp_session_t session = smtp_create_session();
	smtp_message_t *msgs = xcalloc(n, sizeof(*msgs));
	smtp_recipient_t **rcpts = xcalloc(n, sizeof(*rcpts));
	SSL_CTX *ctx = NULL;
	auth_context_t auth = NULL;
	struct session_note note = {s, ""};
	char err[512];

	/* The error queue is per thread: an old entry must not explain this session. */
	ERR_clear_error();
	if (!session) {
		fail_all(results, n, MAIL_TEMPFAIL, "libesmtp: cannot create a session");
		goto out;
	}
	if (smtp_prepare(s, &note, session, &ctx, &auth, err, sizeof(err)) < 0) {
		fail_all(results, n, MAIL_TEMPFAIL, err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		msgs[i] = smtp_add_message(session);
		smtp_set_reverse_path(msgs[i], s->envelope_from);
		smtp_set_message_str(msgs[i], jobs[i]->body);
		rcpts[i] = xcalloc(jobs[i]->n_rcpt ? jobs[i]->n_rcpt : 1, sizeof(**rcpts));
		for (size_t k = 0; k < jobs[i]->n_rcpt; k++)
			rcpts[i][k] = smtp_add_recipient(msgs[i], jobs[i]->rcpt[k]);
	}
	int started = smtp_start_session(session);
	/* smtp_errno() is never reset: read it only to explain a failure. */
	char why[256];
	smtp_strerror(smtp_errno(), why, sizeof(why));
	unsigned long tls = ERR_peek_last_error();
	if (!note.tls_error[0] && tls)
		snprintf(note.tls_error, sizeof(note.tls_error), "TLS: %s",
		         ERR_reason_error_string(tls) ? ERR_reason_error_string(tls) : "error");
	/* The queue is per thread: an old error must not explain the next session. */
	ERR_clear_error();
	snprintf(err, sizeof(err), "%s:%d: %s", s->host, s->port,
	         note.tls_error[0] ? note.tls_error : why);
	if (!started) {
		fail_all(results, n, MAIL_TEMPFAIL, err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		message_result(s, msgs[i], rcpts[i], jobs[i], err, &results[i]);
out:
	if (session)
		smtp_destroy_session(session);
	if (auth)
		auth_destroy_context(auth);
	SSL_CTX_free(ctx);
	for (size_t i = 0; i < n; i++)
		free(rcpts[i]);
	free(rcpts);
	free(msgs);
}

/* ---- the worker ------------------------------------------------------------ */

static void deliver_batch(const struct mail_settings *s, struct mail_job **jobs, size_t n,
                          struct mail_result *results)
{
	for (size_t i = 0; i < n; i++)
		results[i].id = jobs[i]->id;
	if (s->transport == CFG_MAILDIR) {
		for (size_t i = 0; i < n; i++)
			maildir_deliver(s, jobs[i], &results[i]);
		return;
	}
	smtp_deliver(s, jobs, n, results);
}

static void *worker(void *arg)
{
	struct mail *m = arg;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (!m->n_jobs && !m->stopping)
			pthread_cond_wait(&m->work, &m->lock);
		if (m->stopping)
			break;
		struct mail_settings s;
		settings_copy(&s, &m->settings);
		size_t n = m->n_jobs < (size_t)s.max_per_connection ? m->n_jobs
		                                                    : (size_t)s.max_per_connection;
		struct mail_job **batch = xcalloc(n, sizeof(*batch));
		memcpy(batch, m->jobs, n * sizeof(*batch));
		memmove(m->jobs, m->jobs + n, (m->n_jobs - n) * sizeof(*m->jobs));
		m->n_jobs -= n;
		pthread_mutex_unlock(&m->lock);

		/* Outside the lock: the resolver may take its time. */
		if (!s.helo && s.transport == CFG_SMTP) {
			if (!m->default_helo[0])
				default_helo(&s, m->default_helo, sizeof(m->default_helo));
			s.helo = xstrdup(m->default_helo);
		}

		struct mail_result *res = xcalloc(n, sizeof(*res));
		deliver_batch(&s, batch, n, res);
		mail_settings_free(&s);

		pthread_mutex_lock(&m->lock);
		m->results = xrealloc(m->results, (m->n_results + n) * sizeof(*m->results));
		memcpy(m->results + m->n_results, res, n * sizeof(*res));
		m->n_results += n;
		free(res);
		for (size_t i = 0; i < n; i++)
			mail_job_free(batch[i]);
		free(batch);
		loop_async_send(m->wake);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

struct mail *mail_start(const struct mail_settings *s, struct loop_async *wake)
{
	struct mail *m = xcalloc(1, sizeof(*m));

	settings_copy(&m->settings, s);
	m->wake = wake;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->work, NULL);
	smtp_global_init();
	if ((errno = pthread_create(&m->thread, NULL, worker, m)) != 0)
		fatal("mail worker thread");
	return m;
}

void mail_reconfigure(struct mail *m, const struct mail_settings *s)
{
	pthread_mutex_lock(&m->lock);
	mail_settings_free(&m->settings);
	settings_copy(&m->settings, s);
	pthread_mutex_unlock(&m->lock);
}

void mail_submit(struct mail *m, struct mail_job **jobs, size_t n)
{
	if (!n)
		return;
	pthread_mutex_lock(&m->lock);
	m->jobs = xrealloc(m->jobs, (m->n_jobs + n) * sizeof(*m->jobs));
	memcpy(m->jobs + m->n_jobs, jobs, n * sizeof(*jobs));
	m->n_jobs += n;
	pthread_cond_signal(&m->work);
	pthread_mutex_unlock(&m->lock);
}

size_t mail_collect(struct mail *m, struct mail_result **out)
{
	pthread_mutex_lock(&m->lock);
	size_t n = m->n_results;
	*out = m->results;
	m->results = NULL;
	m->n_results = 0;
	pthread_mutex_unlock(&m->lock);
	return n;
}

void mail_stop(struct mail *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_signal(&m->work);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
}

void mail_free(struct mail *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_jobs; i++)
		mail_job_free(m->jobs[i]);
	free(m->jobs);
	mail_results_free(m->results, m->n_results);
	mail_settings_free(&m->settings);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->work);
	free(m);
}

/* ---- one message or one login, now: for deadlinectl, never the loop ------------- */

void mail_send_now(const struct mail_settings *s, struct mail_job *job, struct mail_result *r)
{
	struct mail_settings copy;
	char helo[256];

	memset(r, 0, sizeof(*r));
	smtp_global_init();
	settings_copy(&copy, s);
	if (!copy.helo && copy.transport == CFG_SMTP)
		copy.helo = xstrdup(default_helo(&copy, helo, sizeof(helo)));
	deliver_batch(&copy, &job, 1, r);
	mail_settings_free(&copy);
}

/*
 * The probe speaks SMTP itself: libesmtp has no way to log in and quit
 * without a message (a session with none does not connect). It checks
 * what a delivery would meet, in the same order, with the same TLS
 * context (tls_context: the chain, the host name, TLS 1.2 at least), and
 * says each step in plain words.
 */
struct probe {
	const struct mail_settings *s;
	struct buf *say;
	int fd;
	SSL *ssl;
	char in[4096];
	size_t in_len;
	bool starttls, auth_plain, auth_login, auth;
};

static void probe_say(struct probe *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void probe_say(struct probe *p, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	buf_printf(p->say, "%s\n", line);
}

static int probe_connect(struct probe *p)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	char port[16], addr[NI_MAXHOST] = "";
	int err = 0, gai;
	struct timeval tv = {.tv_sec = p->s->timeout};

	snprintf(port, sizeof(port), "%d", p->s->port);
	if ((gai = getaddrinfo(p->s->host, port, &hints, &ai)) != 0) {
		probe_say(p, "could not find the server %s: %s", p->s->host, gai_strerror(gai));
		return -1;
	}
	for (struct addrinfo *a = ai; a && p->fd < 0; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		                a->ai_protocol);
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		socklen_t len = sizeof(err);
		if (fd < 0)
			continue;
		err = 0;
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS)
			err = errno;
		else if (poll(&pfd, 1, p->s->timeout * 1000) <= 0)
			err = ETIMEDOUT;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			close(fd);
			continue;
		}
		getnameinfo(a->ai_addr, a->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		p->fd = fd;
	}
	freeaddrinfo(ai);
	if (p->fd < 0) {
		probe_say(p, "could not connect to %s:%d: %s", p->s->host, p->s->port,
		          strerror(err ? err : ECONNREFUSED));
		return -1;
	}
	probe_say(p, "connected to %s:%d (%s)", p->s->host, p->s->port, addr);
	return 0;
}

static int probe_send(struct probe *p, const char *line)
{
	size_t len = strlen(line);
	ssize_t n =
	    p->ssl ? SSL_write(p->ssl, line, (int)len) : send(p->fd, line, len, MSG_NOSIGNAL);

	if (n == (ssize_t)len)
		return 0;
	probe_say(p, "the connection was lost while writing to the server");
	return -1;
}

/* One reply (all its lines); its code, or -1 said. text gets the lines, minus codes. */
static int probe_reply(struct probe *p, struct buf *text)
{
	buf_reset(text);
	for (;;) {
		char *eol = memchr(p->in, '\n', p->in_len);
		if (!eol) {
			if (p->in_len == sizeof(p->in)) {
				probe_say(p, "the server sent a line too long for SMTP");
				return -1;
			}
			ssize_t n =
			    p->ssl ? SSL_read(p->ssl, p->in + p->in_len,
			                      (int)(sizeof(p->in) - p->in_len))
			           : recv(p->fd, p->in + p->in_len, sizeof(p->in) - p->in_len, 0);
			if (n <= 0) {
				probe_say(p, "%s",
				          n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
				              ? "the server did not answer in time ([smtp] timeout)"
				              : "the server closed the connection");
				return -1;
			}
			p->in_len += (size_t)n;
			continue;
		}
		size_t len = (size_t)(eol - p->in) + 1;
		char line[sizeof(p->in)];
		memcpy(line, p->in, len);
		line[len - (len > 1 && line[len - 2] == '\r' ? 2 : 1)] = '\0';
		memmove(p->in, p->in + len, p->in_len - len);
		p->in_len -= len;
		if (strlen(line) < 3 || !isdigit((unsigned char)line[0])) {
			probe_say(p, "the server's answer is not SMTP");
			return -1;
		}
		buf_printf(text, "%s%s", text->len ? "\n" : "", line[3] ? line + 4 : "");
		if (line[3] != '-')
			return atoi(line);
	}
}

/* The first line of a reply, cleaned for a terminal. */
static const char *first_line(const struct buf *text, char *out, size_t len)
{
	char *copy = xstrndup(buf_str(text), strcspn(buf_str(text), "\n"));

	text_sanitize_line(copy, out, len);
	free(copy);
	return out;
}

static int probe_ehlo(struct probe *p, struct buf *text)
{
	char cmd[300], line[300];
	int code;

	snprintf(cmd, sizeof(cmd), "EHLO %s\r\n", p->s->helo);
	if (probe_send(p, cmd) < 0 || (code = probe_reply(p, text)) < 0)
		return -1;
	if (code != 250) {
		probe_say(p, "the server refused EHLO %s: %d %s", p->s->helo, code,
		          first_line(text, line, sizeof(line)));
		return -1;
	}
	p->starttls = p->auth = p->auth_plain = p->auth_login = false;
	for (const char *l = buf_str(text); *l;
	     l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
		if (!strncasecmp(l, "STARTTLS", 8))
			p->starttls = true;
		if (!strncasecmp(l, "AUTH ", 5) || !strncasecmp(l, "AUTH=", 5)) {
			size_t n = strcspn(l, "\n");
			char *mechs = xstrndup(l + 5, n - 5);
			for (char *m = mechs; *m; m++)
				*m = (char)toupper((unsigned char)*m);
			p->auth = true;
			p->auth_plain |= strstr(mechs, "PLAIN") != NULL;
			p->auth_login |= strstr(mechs, "LOGIN") != NULL;
			free(mechs);
		}
	}
	return 0;
}

static int probe_tls(struct probe *p, struct buf *text, SSL_CTX **ctx)
{
	struct session_note note = {p->s, ""};
	char err[256] = "", line[300];
	int code;

	if (p->s->tls == CFG_TLS_NONE) {
		probe_say(p, "STARTTLS: not used (tls = none): the password and the mail cross "
		             "the network in clear");
		return 0;
	}
	if (!p->starttls) {
		probe_say(p,
		          "the server does not offer STARTTLS, which is required (tls = starttls)");
		return -1;
	}
	if (probe_send(p, "STARTTLS\r\n") < 0 || (code = probe_reply(p, text)) < 0)
		return -1;
	if (code != 220) {
		probe_say(p, "the server refused STARTTLS: %d %s", code,
		          first_line(text, line, sizeof(line)));
		return -1;
	}
	ERR_clear_error();
	if (!(*ctx = tls_context(p->s, &note, err, sizeof(err)))) {
		probe_say(p, "%s", err);
		return -1;
	}
	p->ssl = SSL_new(*ctx);
	SSL_set_fd(p->ssl, p->fd);
	/* SNI, which libesmtp does not send: a server with several names needs it. */
	if (!is_ip_literal(p->s->host))
		SSL_set_tlsext_host_name(p->ssl, p->s->host);
	if (SSL_connect(p->ssl) != 1) {
		unsigned long e = ERR_peek_last_error();
		probe_say(p, "TLS failed: %s",
		          note.tls_error[0]                 ? note.tls_error
		          : e && ERR_reason_error_string(e) ? ERR_reason_error_string(e)
		                                            : "the handshake did not complete");
		ERR_clear_error();
		return -1;
	}
	probe_say(p, "STARTTLS: %s, %s; %s", SSL_get_version(p->ssl),
	          SSL_CIPHER_get_name(SSL_get_current_cipher(p->ssl)),
	          p->s->verify ? "the certificate is valid for this host"
	                       : "the certificate was NOT checked (verify = no)");
	return probe_ehlo(p, text);
}

static char *base64(const char *s, size_t len)
{
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)len);
	return out;
}

/* One step of AUTH: sends `line` (a secret: never said), reads the reply. */
static int probe_auth_step(struct probe *p, char *line, struct buf *text)
{
	int r = probe_send(p, line);

	explicit_bzero(line, strlen(line));
	free(line);
	return r < 0 ? -1 : probe_reply(p, text);
}

static char *auth_line(const char *prefix, const char *secret, size_t len)
{
	char *b64 = base64(secret, len);
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%s\r\n", prefix, b64);
	explicit_bzero(b64, strlen(b64));
	free(b64);
	return buf_steal(&b);
}

static int probe_auth(struct probe *p, struct buf *text)
{
	const struct mail_settings *s = p->s;
	char line[300];
	int code;

	if (!s->user) {
		probe_say(p, "AUTH: not used ([smtp] user is not set)");
		return 0;
	}
	if (!s->password) {
		probe_say(p, "no password for %s: set [smtp] password_file", s->user);
		return -1;
	}
	if (!p->auth || (!p->auth_plain && !p->auth_login)) {
		probe_say(p, "the server offers no AUTH PLAIN or LOGIN%s, but [smtp] user is set",
		          s->tls == CFG_TLS_NONE ? " (many offer it only after STARTTLS)" : "");
		return -1;
	}
	if (p->auth_plain) {
		size_t ul = strlen(s->user), pl = strlen(s->password);
		char *creds = xcalloc(1, ul + pl + 3);
		memcpy(creds + 1, s->user, ul);
		memcpy(creds + 2 + ul, s->password, pl);
		char *cmd = auth_line("AUTH PLAIN ", creds, ul + pl + 2);
		explicit_bzero(creds, ul + pl + 2);
		free(creds);
		code = probe_auth_step(p, cmd, text);
	} else {
		code = probe_auth_step(p, xstrdup("AUTH LOGIN\r\n"), text);
		if (code == 334)
			code = probe_auth_step(p, auth_line("", s->user, strlen(s->user)), text);
		if (code == 334)
			code = probe_auth_step(p, auth_line("", s->password, strlen(s->password)),
			                       text);
	}
	if (code < 0)
		return -1;
	if (code != 235) {
		probe_say(p,
		          "the server refused the login of %s: %d %s (check [smtp] user and "
		          "password_file)",
		          s->user, code, first_line(text, line, sizeof(line)));
		return -1;
	}
	probe_say(p, "logged in as %s (AUTH %s): %d %s", s->user, p->auth_plain ? "PLAIN" : "LOGIN",
	          code, first_line(text, line, sizeof(line)));
	return 0;
}

int mail_probe(const struct mail_settings *s, struct buf *report)
{
	struct mail_settings copy;
	struct probe p = {.say = report, .fd = -1};
	struct buf text = BUF_INIT;
	SSL_CTX *ctx = NULL;
	char helo[256], line[300];
	int code, rc = -1;

	settings_copy(&copy, s);
	if (!copy.helo)
		copy.helo = xstrdup(default_helo(&copy, helo, sizeof(helo)));
	p.s = &copy;
	if (probe_connect(&p) < 0 || (code = probe_reply(&p, &text)) < 0)
		goto out;
	if (code != 220) {
		probe_say(&p, "the server turned the connection away: %d %s", code,
		          first_line(&text, line, sizeof(line)));
		goto out;
	}
	probe_say(&p, "the server greets: %d %s", code, first_line(&text, line, sizeof(line)));
	if (probe_ehlo(&p, &text) < 0 || probe_tls(&p, &text, &ctx) < 0 ||
	    probe_auth(&p, &text) < 0)
		goto out;
	if (probe_send(&p, "QUIT\r\n") == 0 && probe_reply(&p, &text) >= 0)
		probe_say(&p, "quit without sending anything");
	rc = 0;
out:
	if (p.ssl) {
		SSL_shutdown(p.ssl);
		SSL_free(p.ssl);
	}
	SSL_CTX_free(ctx);
	if (p.fd >= 0)
		close(p.fd);
	buf_free(&text);
	mail_settings_free(&copy);
	return rc;
}
