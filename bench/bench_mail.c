/*
 * bench_mail — messages per second through the mail worker alone, over one
 * SMTP connection to a local sink (a minimal SMTP responder in a thread
 * here, so that the number is ours, not a server's). Each round hands the
 * worker a batch of digests of a realistic size at once, as the engine
 * does, with max_per_connection large enough for one session; the sink
 * counts connections to prove it. Results are acknowledged as the loop
 * does once they are recorded (the gate waits for that before each
 * message's data). Reports the median of the rounds as Markdown.
 *
 * Two sinks: one that acknowledges at once (TCP_QUICKACK), and one with
 * Linux's default delayed ACKs. libesmtp writes a message in pieces; the
 * worker sets TCP_NODELAY on its socket, so the last piece does not wait
 * for the delayed ACK of the previous one (it did: 23 msg/s, 40 ms each).
 * bench_mail.py measures the real daemon against real servers.
 */
#include "bench.h"
#include "buf.h"
#include "loop.h"
#include "mail.h"
#include "util.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS        5
#define MESSAGES      500 /* per round, prompt ACKs */
#define MESSAGES_SLOW 500 /* per round, delayed ACKs */

/* ---- the sink -------------------------------------------------------------------- */

struct sink {
	int listener, port;
	_Atomic int connections, messages; /* written by the sink thread */
	bool quickack;
};

static void reply(int fd, const char *text)
{
	size_t len = strlen(text);

	while (len) {
		ssize_t n = write(fd, text, len);
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

/* Answers one command line; *in_data tracks the DATA phase. Returns false on QUIT. */
static bool answer(struct sink *s, int fd, const char *line, bool *in_data)
{
	if (*in_data) {
		if (!strcmp(line, ".")) {
			*in_data = false;
			s->messages++;
			reply(fd, "250 2.0.0 queued\r\n");
		}
		return true;
	}
	if (!strncasecmp(line, "EHLO", 4))
		reply(fd, "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
	else if (!strncasecmp(line, "DATA", 4)) {
		*in_data = true;
		reply(fd, "354 go ahead\r\n");
	} else if (!strncasecmp(line, "QUIT", 4)) {
		reply(fd, "221 bye\r\n");
		return false;
	} else
		reply(fd, "250 2.0.0 ok\r\n");
	return true;
}

static void serve(struct sink *s, int fd)
{
	char buf[65536];
	struct buf line = BUF_INIT;
	bool in_data = false, open = true;

	reply(fd, "220 sink ESMTP\r\n");
	while (open) {
		/* Not sticky: asked again before every read. */
		int one = 1;
		if (s->quickack)
			setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n && open; i++) {
			if (buf[i] != '\n') {
				buf_addc(&line, buf[i]);
				continue;
			}
			if (line.len && line.data[line.len - 1] == '\r')
				line.len--;
			buf_addc(&line, '\0');
			open = answer(s, fd, line.data, &in_data);
			line.len = 0;
		}
	}
	buf_free(&line);
	close(fd);
}

static void *sink_thread(void *arg)
{
	struct sink *s = arg;

	for (;;) {
		int fd = accept(s->listener, NULL, NULL);
		if (fd < 0)
			return NULL;
		/* Replies go out at once, as a real server's would. */
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		s->connections++;
		serve(s, fd);
	}
}

static void sink_start(struct sink *s)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	pthread_t t;

	s->listener = socket(AF_INET, SOCK_STREAM, 0);
	if (s->listener < 0 || bind(s->listener, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->listener, 8) < 0 ||
	    getsockname(s->listener, (struct sockaddr *)&sa, &len) < 0) {
		perror("sink");
		exit(1);
	}
	s->port = ntohs(sa.sin_port);
	pthread_create(&t, NULL, sink_thread, s);
	pthread_detach(t);
}

/* ---- the client side: the daemon's worker ------------------------------------------ */

struct round {
	struct mail *mail;
	size_t results, failed, expected;
};

static void on_results(void *arg)
{
	struct round *r = arg;
	struct mail_result *res;
	size_t n = mail_collect(r->mail, &res);

	for (size_t i = 0; i < n; i++)
		r->failed += res[i].status != MAIL_SENT;
	r->results += n;
	mail_results_free(res, n);
	mail_recorded(r->mail, n);
	if (r->results == r->expected)
		loop_stop();
}

/* A digest of a dozen items: about 6 KB, UTF-8 in quoted-printable and HTML. */
static char *message_body(int i, size_t *len)
{
	struct buf b = BUF_INIT;

	buf_printf(&b,
	           "From: deadlined <deadlined@quangngai.example>\r\n"
	           "To: =?UTF-8?B?U+G7nyBDw7RuZyBUaMawxqFuZw==?= <sct@quangngai.example>\r\n"
	           "Subject: =?UTF-8?B?W05o4bqvYyB2aeG7h2NdIDEyIG5oaeG7h20gduG7pQ==?=\r\n"
	           "Message-ID: <bench.%d@quangngai.example>\r\n"
	           "Date: Mon, 08 Dec 2025 08:00:00 +0700\r\n"
	           "MIME-Version: 1.0\r\n"
	           "Content-Type: text/plain; charset=UTF-8\r\n"
	           "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	           i);
	for (int k = 0; k < 60; k++)
		buf_adds(&b, "- Tri=E1=BB=83n khai n=E1=BB=81n t=E1=BA=A3ng s=E1=BB=91 cho doanh "
		             "nghi=E1=BB=87p, h=E1=BA=A1n ng=C3=A0y 30/06/2025=\r\n\r\n");
	*len = b.len;
	return buf_steal(&b);
}

static double run_round(struct sink *s, const struct mail_settings *ms, int n, size_t *failed)
{
	struct round r = {.expected = (size_t)n};
	struct loop_async *wake = loop_async_new(on_results, &r);
	struct mail_job **jobs = xcalloc((size_t)n, sizeof(*jobs));

	r.mail = mail_start(ms, wake);
	for (int i = 0; i < n; i++) {
		jobs[i] = xcalloc(1, sizeof(*jobs[i]));
		jobs[i]->id = i + 1;
		jobs[i]->rcpt = xcalloc(1, sizeof(char *));
		jobs[i]->rcpt[0] = xstrdup("sct@quangngai.example");
		jobs[i]->n_rcpt = 1;
		jobs[i]->body = message_body(i, &jobs[i]->len);
	}
	int before = s->connections;
	double start = bench_seconds();
	mail_submit(r.mail, jobs, (size_t)n);
	free(jobs);
	loop_run();
	double took = bench_seconds() - start;
	mail_free(r.mail);
	loop_async_free(wake);
	if (s->connections - before != 1) {
		fprintf(stderr, "bench_mail: %d connections for one batch\n",
		        s->connections - before);
		exit(1);
	}
	*failed = r.failed;
	return n / took;
}

/* The median rate of ROUNDS rounds of n messages; exits on any failure. */
static double measure(struct sink *s, const struct mail_settings *ms, int n, double *lo, double *hi)
{
	double rates[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		size_t failed;
		rates[i] = run_round(s, ms, n, &failed);
		if (failed) {
			fprintf(stderr, "bench_mail: %zu messages not accepted\n", failed);
			exit(1);
		}
	}
	double m = bench_median(rates, ROUNDS);
	*lo = rates[0];
	*hi = rates[ROUNDS - 1];
	return m;
}

int main(void)
{
	struct sink s = {0};
	struct mail_settings ms = {.transport = CFG_SMTP,
	                           .host = "127.0.0.1",
	                           .tls = CFG_TLS_NONE,
	                           .envelope_from = "deadlined@quangngai.example",
	                           .helo = "bench.quangngai.example",
	                           .timeout = 30,
	                           .max_per_connection = MESSAGES,
	                           .connections = 1};
	double lo, hi, m;

	sink_start(&s);
	ms.port = s.port;
	loop_init();
	printf("## Mail worker alone\n\n"
	       "~6 KB digests handed to the mail worker (bench/bench_mail.c) at once, one SMTP\n"
	       "connection to a minimal sink in the same process; median of %d rounds.\n\n"
	       "| sink | messages | median | min | max |\n|---|---|---|---|---|\n",
	       ROUNDS);
	s.quickack = true;
	m = measure(&s, &ms, MESSAGES, &lo, &hi);
	printf("| acknowledging at once | %d | %.0f msg/s | %.0f | %.0f |\n", MESSAGES, m, lo, hi);
	s.quickack = false;
	m = measure(&s, &ms, MESSAGES_SLOW, &lo, &hi);
	printf("| Linux's delayed ACKs | %d | %.0f msg/s | %.0f | %.0f |\n", MESSAGES_SLOW, m, lo,
	       hi);
	int want = ROUNDS * (MESSAGES + MESSAGES_SLOW);
	printf("\nThe sink received %d of %d messages.\n", s.messages, want);
	return s.messages == want ? 0 : 1;
}
