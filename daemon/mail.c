/*
 * mail — see mail.h.
 *
 * Workers, one mutex, two queues: jobs in, results out. A worker takes a
 * batch (up to max_per_connection jobs) for one session and posts each
 * message's result the moment it is known: libesmtp's event callback
 * reports every message the server has answered. Nothing here touches the
 * store: if the daemon dies mid-session, the messages are still "queued"
 * there and go out at the next start.
 *
 * The gate: a message's data is handed to libesmtp (its message callback,
 * called when the server has said 354) only when every result posted
 * before has been recorded by the loop (mail_recorded). So at any moment
 * at most one message per session has been answered, or may have been,
 * without its result being in the store; a crash duplicates at most those.
 * A store locked by another writer holds the gate shut: sessions wait, and
 * give up (cut the connection, keep their jobs) after `timeout`.
 *
 * The socket under libesmtp. libesmtp connects with a blocking connect()
 * and never shows its socket. connect() and poll() are therefore
 * interposed below, for the calling thread's session only (thread_conn);
 * every other caller in the process gets the plain system call. That gives
 * what libesmtp lacks: a connect timeout; a corked socket pushed exactly
 * when libesmtp waits for a reply, and replies acknowledged at once (with
 * Nagle's algorithm, the last piece of each message waited for the
 * server's delayed ACK, ~40 ms, 24 msg/s to aiosmtpd; with the server's
 * Nagle, Postfix's second answer to one burst waited for ours: 22 msg/s);
 * a duplicate of the socket, so
 * that a stop can cut a session stuck on a silent server from another
 * thread (shutdown() wakes every poll and read on it); knowing that a
 * wait timed out, and whether the server had said anything (no greeting);
 * and writing before reading: libesmtp polls for both while a command is
 * still in its buffer and reads first if the socket is readable. After
 * STARTTLS, TLS 1.3 session tickets make it readable before EHLO is sent,
 * and libesmtp then waits for a reply to a command it has not sent, until
 * the timeout, and calls it a dropped connection.
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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
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
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The socket under one session, as far as the interposed calls see it. */
struct conn {
	struct mail *m; /* NULL for a session run by deliver_now */
	int timeout_ms;
	int fd;     /* libesmtp's socket once connected, else -1 */
	int cut_fd; /* our duplicate: shutdown() from any thread, never reused meanwhile */
	bool connect_timed_out, timed_out;
	bool heard; /* the server has sent something */
	bool cut;   /* cut by us: stopping, or the gate gave up */
};

enum msg_state { MSG_WAITING, MSG_IN_DATA, MSG_HELD, MSG_DONE };

struct session;

/* One message of a session. */
struct msg {
	struct session *ss;
	struct mail_job *job;
	size_t index;
	smtp_message_t handle;
	smtp_recipient_t *rcpts;
	enum msg_state state;
	size_t given; /* bytes of the body given to libesmtp */
};

struct session {
	struct mail *m;
	const struct mail_settings *s;
	struct msg *msgs;
	size_t n;
	struct mail_result *results; /* deliver_now: results[i] for msgs[i] */
	struct conn conn;
	bool in_data; /* a message's data is with the server (guarded by m->lock) */
	char tls_error[160];
};

struct worker {
	struct mail *m;
	pthread_t thread;
	size_t index;
	struct session *session; /* the one in progress, or NULL (guarded by m->lock) */
	bool ended;
};

struct mail {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* jobs, recorded results, stopping */
	struct mail_job **jobs; /* FIFO */
	size_t n_jobs;
	struct mail_result *results;
	size_t n_results;
	size_t unrecorded;             /* posted, not yet mail_recorded() */
	struct mail_settings settings; /* copied per session */
	char default_helo[256];        /* looked up once, by a worker */
	struct loop_async *wake;
	struct worker **workers;
	size_t n_workers;
	int cancel_fd; /* an eventfd, readable once stopping: wakes a connect */
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
	out->connections = c->connections;
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

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the socket under libesmtp ------------------------------------------------------ */

static __thread struct conn *thread_conn;

static int real_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	return (int)syscall(SYS_connect, fd, sa, len);
}

static int real_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};

	return ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, NULL);
}

/* Wakes everything waiting on the session's socket. Called with m->lock held. */
static void conn_cut(struct conn *c)
{
	c->cut = true;
	if (c->cut_fd >= 0)
		shutdown(c->cut_fd, SHUT_RDWR);
}

static void conn_lock(struct conn *c)
{
	if (c->m)
		pthread_mutex_lock(&c->m->lock);
}

static void conn_unlock(struct conn *c)
{
	if (c->m)
		pthread_mutex_unlock(&c->m->lock);
}

/* Pushes what libesmtp has written: setting TCP_NODELAY flushes a corked socket. */
static void conn_push(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Connected: corked (pushed by conn_waiting), and remembered (a duplicate, for conn_cut). */
static void conn_connected(struct conn *c, int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_CORK, &one, sizeof(one));
	conn_push(fd);
	conn_lock(c);
	if (c->cut_fd >= 0)
		close(c->cut_fd); /* libesmtp tried another address of the server */
	c->fd = fd;
	c->cut_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (c->cut)
		conn_cut(c);
	conn_unlock(c);
}

/* A non-blocking connect, waited for at most the timeout, or until stopping. */
static int conn_connect(struct conn *c, int fd, const struct sockaddr *sa, socklen_t len)
{
	int flags = fcntl(fd, F_GETFL), r;

	conn_lock(c);
	bool cut = c->cut;
	conn_unlock(c);
	if (cut) {
		errno = ECANCELED;
		return -1;
	}
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	r = real_connect(fd, sa, len);
	if (r < 0 && errno == EINPROGRESS) {
		struct pollfd p[2] = {{fd, POLLOUT, 0}, {c->m ? c->m->cancel_fd : -1, POLLIN, 0}};
		double end = monotonic() + c->timeout_ms / 1000.0;
		int n;
		do {
			double left = end - monotonic();
			n = real_poll(p, 2, left > 0 ? (int)(left * 1000) + 1 : 0);
		} while (n < 0 && errno == EINTR);
		int err = 0;
		socklen_t errlen = sizeof(err);
		if (n == 0) {
			c->connect_timed_out = true;
			err = ETIMEDOUT;
		} else if (n < 0) {
			err = errno;
		} else if (p[1].revents) {
			err = ECANCELED;
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0) {
			err = errno;
		}
		r = err ? -1 : 0;
		errno = err;
	}
	int saved = errno;
	fcntl(fd, F_SETFL, flags);
	if (r == 0)
		conn_connected(c, fd);
	errno = saved;
	return r;
}

int connect(int fd, const struct sockaddr *sa, socklen_t len);
int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct conn *c = thread_conn;
	int type = 0;
	socklen_t type_len = sizeof(type);

	/* The session's own TCP connection only (not, say, a resolver's UDP socket). */
	if (!c || !sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) < 0 || type != SOCK_STREAM)
		return real_connect(fd, sa, len);
	return conn_connect(c, fd, sa, len);
}

/* What a poll on the session's socket tells: writes first, timeouts, the first word heard. */
static int conn_polled(struct conn *c, struct pollfd *fds, nfds_t n, int timeout_ms, int ready)
{
	bool writable = false;

	if (ready == 0 && timeout_ms > 0)
		c->timed_out = true;
	for (nfds_t i = 0; i < n; i++)
		writable |=
		    fds[i].fd == c->fd && (fds[i].events & POLLOUT) && (fds[i].revents & POLLOUT);
	ready = 0;
	for (nfds_t i = 0; i < n; i++) {
		/* A command still to send goes before any reading (see the top). */
		if (writable && fds[i].fd == c->fd && !(fds[i].events & POLLOUT))
			fds[i].revents = 0;
		c->heard |= fds[i].fd == c->fd && (fds[i].revents & POLLIN);
		ready += fds[i].revents != 0;
	}
	return ready;
}

/*
 * libesmtp is about to wait for the server. With nothing more to write,
 * whatever it has written goes now, in one burst (not while it still asks
 * to write: POLLOUT). And what comes back is acknowledged at once: a server
 * may answer a burst in two writes (Postfix does, after the first BDAT
 * chunk), and with Nagle's algorithm on its side the second waits for our
 * ACK, which Linux would delay 40 ms since we have nothing to send.
 */
static void conn_waiting(const struct conn *c, const struct pollfd *fds, nfds_t n, int timeout_ms)
{
	bool reads = false, writes = false;
	int one = 1;

	for (nfds_t i = 0; i < n; i++)
		if (fds[i].fd == c->fd) {
			reads |= (fds[i].events & POLLIN) != 0;
			writes |= (fds[i].events & POLLOUT) != 0;
		}
	if (timeout_ms == 0 || !reads)
		return;
	setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	if (!writes)
		conn_push(c->fd);
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms);
int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct conn *c = thread_conn;

	if (c && c->fd >= 0)
		conn_waiting(c, fds, n, timeout_ms);
	int ready = real_poll(fds, n, timeout_ms);
	if (!c || c->fd < 0 || ready < 0)
		return ready;
	return conn_polled(c, fds, n, timeout_ms, ready);
}

/* ---- results ------------------------------------------------------------------------ */

/* Posts one message's result (moved from *r) the moment it is known. */
static void post_result(struct session *ss, struct msg *mg, struct mail_result *r)
{
	struct mail *m = ss->m;

	r->id = mg->job->id;
	mg->state = MSG_DONE;
	if (!m) {
		ss->results[mg->index] = *r;
		return;
	}
	pthread_mutex_lock(&m->lock);
	m->results = xrealloc(m->results, (m->n_results + 1) * sizeof(*m->results));
	m->results[m->n_results++] = *r;
	m->unrecorded++;
	pthread_mutex_unlock(&m->lock);
	loop_async_send(m->wake);
}

static void post_failure(struct session *ss, struct msg *mg, const char *where, const char *why)
{
	struct mail_result r = {
	    .status = MAIL_TEMPFAIL, .error = xstrdup(why), .where = dup_or_null(where)};

	post_result(ss, mg, &r);
}

/*
 * Before a message's data goes out: every earlier result must be recorded.
 * False when stopping, or when the store stays locked for `timeout`: the
 * session is then cut before any byte of the data is sent, and the message
 * has not been sent at all.
 */
static bool gate(struct session *ss, struct msg *mg)
{
	struct mail *m = ss->m;

	if (!m) {
		mg->state = MSG_IN_DATA;
		return true;
	}
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ss->s->timeout;
	pthread_mutex_lock(&m->lock);
	while (!m->stopping && m->unrecorded > 0 &&
	       pthread_cond_timedwait(&m->changed, &m->lock, &until) != ETIMEDOUT)
		;
	bool open = !m->stopping && m->unrecorded == 0;
	mg->state = open ? MSG_IN_DATA : MSG_HELD;
	ss->in_data = open;
	if (!open)
		conn_cut(&ss->conn);
	pthread_mutex_unlock(&m->lock);
	return open;
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
	static atomic_ulong counter;
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

/* One file at a time, each result posted as it is written. */
static void maildir_session(struct session *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		struct mail_result r = {0};
		if (!gate(ss, &ss->msgs[i]))
			return;
		maildir_deliver(ss->s, ss->msgs[i].job, &r);
		post_result(ss, &ss->msgs[i], &r);
	}
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
	struct session *ss = ssl ? SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;

	/* With verify = no the chain is not the server's fault: nothing to say. */
	if (!ok && ss && ss->s->verify && !ss->tls_error[0])
		snprintf(ss->tls_error, sizeof(ss->tls_error), "TLS: certificate verify failed: %s",
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
static SSL_CTX *tls_context(struct session *ss, char *err, size_t errlen)
{
	const struct mail_settings *s = ss->s;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx) {
		snprintf(err, errlen, "TLS: cannot create a context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_app_data(ctx, ss);
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
 * One message's outcome, once the server has answered it. The reply codes
 * decide, recipient by recipient: accepted (2xx to RCPT and to the data),
 * refused for good (a 5xx to RCPT or to the whole message), or tried again
 * later (4xx, or not reached: code 0).
 */
static void message_result(const struct mail_settings *s, const struct msg *mg,
                           struct mail_result *r)
{
	const struct mail_job *job = mg->job;
	const smtp_status_t *data = smtp_message_transfer_status(mg->handle);
	struct buf why = BUF_INIT, whole = BUF_INIT;
	size_t accepted = 0, later = 0;
	int refusal = message_refusal(mg->handle, &whole);
	char where[300];

	snprintf(where, sizeof(where), "%s:%d", s->host, s->port);
	r->where = xstrdup(where);
	r->rcpts = xcalloc(job->n_rcpt ? job->n_rcpt : 1, sizeof(*r->rcpts));
	r->n_rcpts = job->n_rcpt;
	for (size_t i = 0; i < job->n_rcpt; i++) {
		const smtp_status_t *rs = smtp_recipient_status(mg->rcpts[i]);
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
		buf_printf(&why, "%s: no reply to the message", where);
	r->error = why.len ? buf_steal(&why) : NULL;
	buf_free(&why);
	buf_free(&whole);
	if (r->error)
		r->error[strcspn(r->error, "\r\n")] = '\0';
}

/* The server has answered a message (its data, or a refusal of MAIL FROM): post it now. */
static void message_answered(struct session *ss, smtp_message_t handle)
{
	struct msg *mg = smtp_message_get_application_data(handle);
	struct mail_result r = {0};

	if (!mg || mg->state == MSG_DONE)
		return;
	message_result(ss->s, mg, &r);
	post_result(ss, mg, &r);
	conn_lock(&ss->conn);
	ss->in_data = false;
	/* Stopping: nothing more goes out on this connection. */
	if (ss->m && ss->m->stopping)
		conn_cut(&ss->conn);
	conn_unlock(&ss->conn);
}

/*
 * libesmtp's events: each message answered, and the TLS verdicts. OpenSSL
 * verifies the chain and the configured host name (tls_context); libesmtp's
 * own name check compares against the DNS canonical name, so its "wrong
 * certificate" verdict is overruled when OpenSSL already checked.
 */
static void smtp_event(smtp_session_t session, int event, void *arg, ...)
{
	struct session *ss = arg;
	va_list ap;
	int *ok = NULL;
	long vfy = 0;

	(void)session;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_MAILSTATUS: {
		(void)va_arg(ap, const char *);
		smtp_message_t handle = va_arg(ap, smtp_message_t);
		const smtp_status_t *st = smtp_reverse_path_status(handle);
		/* Refused at MAIL FROM: libesmtp moves on without a MESSAGESENT. */
		if (st && st->code / 100 != 2)
			message_answered(ss, handle);
		break;
	}
	case SMTP_EV_MESSAGESENT:
		message_answered(ss, va_arg(ap, smtp_message_t));
		break;
	case SMTP_EV_EXTNA_STARTTLS:
		snprintf(ss->tls_error, sizeof(ss->tls_error),
		         "the server does not offer STARTTLS, which is required (tls = starttls)");
		break;
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		vfy = va_arg(ap, long);
		ok = va_arg(ap, int *);
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		break;
	default:
		break;
	}
	va_end(ap);
	if (!ok)
		return;
	*ok = !ss->s->verify || event == SMTP_EV_WRONG_PEER_CERTIFICATE;
	if (!*ok)
		snprintf(ss->tls_error, sizeof(ss->tls_error), "TLS: %s",
		         event == SMTP_EV_NO_PEER_CERTIFICATE ? "the server sent no certificate"
		                                              : X509_verify_cert_error_string(vfy));
}

/* libesmtp reads a message through this; its first call (len == NULL) is the gate. */
static const char *message_source(void **ctx, int *len, void *arg)
{
	struct msg *mg = arg;

	(void)ctx;
	if (!len) {
		mg->given = 0;
		if (mg->state == MSG_WAITING)
			gate(mg->ss, mg);
		return NULL;
	}
	if (mg->state != MSG_IN_DATA || mg->given >= mg->job->len) {
		*len = 0;
		return NULL;
	}
	const char *from = mg->job->body + mg->given;
	*len = (int)(mg->job->len - mg->given);
	mg->given = mg->job->len;
	return from;
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

/* Sets up the session: server, timeouts, events, TLS, authentication, messages. */
static int smtp_prepare(struct session *ss, smtp_session_t session, SSL_CTX **ctx,
                        auth_context_t *auth, char *err, size_t errlen)
{
	const struct mail_settings *s = ss->s;
	char server[300];

	snprintf(server, sizeof(server), "%s:%d", s->host, s->port);
	if (!smtp_set_server(session, server)) {
		snprintf(err, errlen, "libesmtp: bad server %s", server);
		return -1;
	}
	if (s->helo)
		smtp_set_hostname(session, s->helo);
	set_timeouts(session, s->timeout);
	smtp_set_eventcb(session, smtp_event, ss);
	if (s->tls == CFG_TLS_NONE) {
		smtp_starttls_enable(session, Starttls_DISABLED);
	} else {
		/* REQUIRED: without STARTTLS offered and working, nothing is sent. */
		if (!(*ctx = tls_context(ss, err, errlen)))
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
	for (size_t i = 0; i < ss->n; i++) {
		struct msg *mg = &ss->msgs[i];
		mg->handle = smtp_add_message(session);
		smtp_message_set_application_data_release(mg->handle, mg, NULL);
		smtp_set_reverse_path(mg->handle, s->envelope_from);
		smtp_set_messagecb(mg->handle, message_source, mg);
		mg->rcpts = xcalloc(mg->job->n_rcpt ? mg->job->n_rcpt : 1, sizeof(*mg->rcpts));
		for (size_t k = 0; k < mg->job->n_rcpt; k++)
			mg->rcpts[k] = smtp_add_recipient(mg->handle, mg->job->rcpt[k]);
	}
	return 0;
}

/* Why the session ended before answering everything, "host:port: why". */
static void session_error(struct session *ss, char *out, size_t len)
{
	struct conn *c = &ss->conn;
	char why[256];

	conn_lock(c);
	bool cut = c->cut;
	conn_unlock(c);

	/* smtp_errno() is never reset: read it only to explain a failure. */
	smtp_strerror(smtp_errno(), why, sizeof(why));
	unsigned long tls = ERR_peek_last_error();
	if (ss->tls_error[0])
		util_strlcpy(why, ss->tls_error, sizeof(why));
	else if (tls)
		snprintf(why, sizeof(why), "TLS: %s",
		         ERR_reason_error_string(tls) ? ERR_reason_error_string(tls) : "error");
	else if (c->connect_timed_out)
		snprintf(why, sizeof(why), "no connection within %d s", ss->s->timeout);
	else if (c->timed_out)
		snprintf(why, sizeof(why), "%s within %d s",
		         c->heard ? "no reply" : "no greeting from the server", ss->s->timeout);
	else if (cut)
		snprintf(why, sizeof(why), "connection closed by deadlined (stopping)");
	snprintf(out, len, "%s:%d: %s", ss->s->host, ss->s->port, why);
}

/* One session for the whole batch; each message's result is posted as it is answered. */
static void smtp_session(struct session *ss)
{
	smtp_session_t session = smtp_create_session();
	SSL_CTX *ctx = NULL;
	auth_context_t auth = NULL;
	char err[512], where[300];

	/* The error queue is per thread: an old entry must not explain this session. */
	ERR_clear_error();
	snprintf(where, sizeof(where), "%s:%d", ss->s->host, ss->s->port);
	if (!session) {
		snprintf(err, sizeof(err), "libesmtp: cannot create a session");
	} else if (smtp_prepare(ss, session, &ctx, &auth, err, sizeof(err)) == 0) {
		thread_conn = &ss->conn;
		smtp_start_session(session);
		thread_conn = NULL;
		session_error(ss, err, sizeof(err));
	}
	ERR_clear_error();
	conn_lock(&ss->conn);
	bool cut = ss->conn.cut;
	conn_unlock(&ss->conn);
	/* Not answered: in doubt if its data went out, else not sent (kept if we cut). */
	for (size_t i = 0; i < ss->n; i++) {
		struct msg *mg = &ss->msgs[i];
		if (mg->state == MSG_IN_DATA || (mg->state == MSG_WAITING && !cut))
			post_failure(ss, mg, where, err);
	}
	if (session)
		smtp_destroy_session(session);
	if (auth)
		auth_destroy_context(auth);
	SSL_CTX_free(ctx);
	for (size_t i = 0; i < ss->n; i++)
		free(ss->msgs[i].rcpts);
}

static void session_init(struct session *ss, struct mail *m, const struct mail_settings *s,
                         struct mail_job **jobs, size_t n)
{
	memset(ss, 0, sizeof(*ss));
	ss->m = m;
	ss->s = s;
	ss->n = n;
	ss->msgs = xcalloc(n ? n : 1, sizeof(*ss->msgs));
	for (size_t i = 0; i < n; i++)
		ss->msgs[i] = (struct msg){.ss = ss, .job = jobs[i], .index = i};
	ss->conn = (struct conn){.m = m, .timeout_ms = s->timeout * 1000, .fd = -1, .cut_fd = -1};
}

static void session_run(struct session *ss)
{
	if (ss->s->transport == CFG_MAILDIR)
		maildir_session(ss);
	else
		smtp_session(ss);
	/* Under the lock: a stop must never shut down a number reused meanwhile. */
	conn_lock(&ss->conn);
	if (ss->conn.cut_fd >= 0)
		close(ss->conn.cut_fd);
	ss->conn.cut_fd = -1;
	conn_unlock(&ss->conn);
}

/* Delivers the n jobs in the calling thread, over one SMTP session (or into the
 * Maildir); results[i] is jobs[i]'s outcome. Jobs stay the caller's. */
static void deliver_now(const struct mail_settings *s, struct mail_job **jobs, size_t n,
                        struct mail_result *results)
{
	struct mail_settings own;
	struct session ss;
	char helo[256];
	sigset_t pipe, old;
	struct timespec now = {0, 0};

	/* A server closing the connection is an error from write(), not a signal that
	 * ends the caller: held while the session runs, then discarded. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &old);
	smtp_global_init();
	settings_copy(&own, s);
	if (!own.helo && own.transport == CFG_SMTP)
		own.helo = xstrdup(default_helo(&own, helo, sizeof(helo)));
	session_init(&ss, NULL, &own, jobs, n);
	ss.results = results;
	memset(results, 0, n * sizeof(*results));
	session_run(&ss);
	free(ss.msgs);
	mail_settings_free(&own);
	while (sigtimedwait(&pipe, NULL, &now) == SIGPIPE)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---- the workers ------------------------------------------------------------ */

/* Jobs a session did not start go back to the front of the queue, in order. */
static void requeue(struct mail *m, const struct session *ss)
{
	size_t k = 0;

	for (size_t i = 0; i < ss->n; i++)
		k += ss->msgs[i].state != MSG_DONE;
	m->jobs = xrealloc(m->jobs, (m->n_jobs + k + 1) * sizeof(*m->jobs));
	memmove(m->jobs + k, m->jobs, m->n_jobs * sizeof(*m->jobs));
	k = 0;
	for (size_t i = 0; i < ss->n; i++)
		if (ss->msgs[i].state != MSG_DONE)
			m->jobs[k++] = ss->msgs[i].job;
		else
			mail_job_free(ss->msgs[i].job);
	m->n_jobs += k;
}

/* May this worker start a session? Not while a result waits to be recorded. */
static bool may_start(const struct mail *m, const struct worker *w)
{
	size_t wanted = m->settings.transport == CFG_MAILDIR ? 1 : (size_t)m->settings.connections;

	return m->n_jobs > 0 && m->unrecorded == 0 && w->index < wanted;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct mail *m = w->m;
	sigset_t pipe;

	/* A server that closes the connection is an error from write(), not a signal. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (!m->stopping && !may_start(m, w))
			pthread_cond_wait(&m->changed, &m->lock);
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
		char helo[sizeof(m->default_helo)];
		util_strlcpy(helo, m->default_helo, sizeof(helo));
		pthread_mutex_unlock(&m->lock);

		/* Outside the lock: the resolver may take its time. */
		if (!s.helo && s.transport == CFG_SMTP) {
			if (!helo[0])
				default_helo(&s, helo, sizeof(helo));
			s.helo = xstrdup(helo);
		}
		struct session ss;
		session_init(&ss, m, &s, batch, n);
		free(batch);
		pthread_mutex_lock(&m->lock);
		util_strlcpy(m->default_helo, helo, sizeof(m->default_helo));
		w->session = &ss;
		pthread_mutex_unlock(&m->lock);

		session_run(&ss);

		pthread_mutex_lock(&m->lock);
		w->session = NULL;
		requeue(m, &ss);
		free(ss.msgs);
		mail_settings_free(&s);
	}
	w->ended = true;
	pthread_cond_broadcast(&m->changed);
	pthread_mutex_unlock(&m->lock);
	loop_async_send(m->wake);
	return NULL;
}

/* Called with m->lock held (or before any worker runs). */
static void add_workers(struct mail *m, size_t want)
{
	if (want <= m->n_workers)
		return;
	m->workers = xrealloc(m->workers, want * sizeof(*m->workers));
	for (size_t i = m->n_workers; i < want; i++) {
		struct worker *w = xcalloc(1, sizeof(*w));
		w->m = m;
		w->index = i;
		if ((errno = pthread_create(&w->thread, NULL, worker_main, w)) != 0)
			fatal("mail worker thread");
		m->workers[m->n_workers++] = w;
	}
}

struct mail *mail_start(const struct mail_settings *s, struct loop_async *wake)
{
	struct mail *m = xcalloc(1, sizeof(*m));
	pthread_condattr_t attr;

	settings_copy(&m->settings, s);
	m->wake = wake;
	m->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->cancel_fd < 0)
		fatal("mail: eventfd");
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->changed, &attr);
	pthread_condattr_destroy(&attr);
	smtp_global_init();
	pthread_mutex_lock(&m->lock);
	add_workers(m, s->connections > 0 ? (size_t)s->connections : 1);
	pthread_mutex_unlock(&m->lock);
	return m;
}

void mail_reconfigure(struct mail *m, const struct mail_settings *s)
{
	pthread_mutex_lock(&m->lock);
	mail_settings_free(&m->settings);
	settings_copy(&m->settings, s);
	/* Fewer connections: the extra workers idle (may_start). */
	if (!m->stopping)
		add_workers(m, s->connections > 0 ? (size_t)s->connections : 1);
	pthread_cond_broadcast(&m->changed);
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
	pthread_cond_broadcast(&m->changed);
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

void mail_recorded(struct mail *m, size_t n)
{
	pthread_mutex_lock(&m->lock);
	m->unrecorded -= n < m->unrecorded ? n : m->unrecorded;
	pthread_cond_broadcast(&m->changed);
	pthread_mutex_unlock(&m->lock);
}

void mail_stop(struct mail *m)
{
	uint64_t one = 1;

	pthread_mutex_lock(&m->lock);
	if (m->stopping) {
		pthread_mutex_unlock(&m->lock);
		return;
	}
	m->stopping = true;
	for (size_t i = 0; i < m->n_workers; i++) {
		struct session *ss = m->workers[i]->session;
		/* A message whose data is out gets its answer (message_answered cuts then). */
		if (ss && !ss->in_data)
			conn_cut(&ss->conn);
	}
	if (write(m->cancel_fd, &one, sizeof(one)) < 0)
		log_warn("mail: eventfd");
	pthread_cond_broadcast(&m->changed);
	pthread_mutex_unlock(&m->lock);
}

void mail_abort(struct mail *m)
{
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->n_workers; i++)
		if (m->workers[i]->session)
			conn_cut(&m->workers[i]->session->conn);
	pthread_mutex_unlock(&m->lock);
}

static bool all_ended(const struct mail *m)
{
	for (size_t i = 0; i < m->n_workers; i++)
		if (!m->workers[i]->ended)
			return false;
	return true;
}

bool mail_stopped(struct mail *m)
{
	pthread_mutex_lock(&m->lock);
	bool all = all_ended(m);
	pthread_mutex_unlock(&m->lock);
	return all;
}

void mail_free(struct mail *m)
{
	struct timespec until;

	if (!m)
		return;
	mail_stop(m);
	mail_abort(m);
	/* Normally they are out already (the engine waited); a moment more otherwise. */
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += 2;
	pthread_mutex_lock(&m->lock);
	while (!all_ended(m) && pthread_cond_timedwait(&m->changed, &m->lock, &until) != ETIMEDOUT)
		;
	bool ended = all_ended(m);
	pthread_mutex_unlock(&m->lock);
	if (!ended) {
		/* Its memory (this struct, its session) stays: the process is ending. */
		log_warnx("mail: a worker is still busy (a name lookup that does not answer?); "
		          "leaving it behind");
		return;
	}
	for (size_t i = 0; i < m->n_workers; i++) {
		pthread_join(m->workers[i]->thread, NULL);
		free(m->workers[i]);
	}
	free(m->workers);
	for (size_t i = 0; i < m->n_jobs; i++)
		mail_job_free(m->jobs[i]);
	free(m->jobs);
	mail_results_free(m->results, m->n_results);
	mail_settings_free(&m->settings);
	close(m->cancel_fd);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->changed);
	free(m);
}

/* ---- one message or one login, now: for deadlinectl, never the loop ------------- */

void mail_send_now(const struct mail_settings *s, struct mail_job *job, struct mail_result *r)
{
	deliver_now(s, &job, 1, r);
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
	struct session note = {.s = p->s}; /* for tls_context and its verify_cb */
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
	if (!(*ctx = tls_context(&note, err, sizeof(err)))) {
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
