/*
 * imap — see inbox/imap.h.
 *
 * The worker owns the curl handle; everything it shares with the loop
 * (fetched messages, UIDs to mark, the cursor, the status) is behind one
 * mutex, and the worker sleeps on a condition variable between polls.
 */
#include "inbox/imap.h"

#include "buf.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PER_POLL 50 /* messages fetched in one poll; more: poll again at once */

struct imap {
	char *url, *root, *mailbox, *user, *password, *ca_file;
	int interval;
	size_t max_bytes;
	struct loop_async *wake;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, poke;
	uint32_t uidvalidity, last; /* the cursor of what was handed over */
	struct imap_msg *msgs;
	size_t n_msgs;
	uint32_t *seen;
	size_t n_seen;
	char status[512];
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- one request ------------------------------------------------------------------------ */

struct sink {
	struct buf b;
	size_t cap;
};

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;

	/* Past the cap the bytes are read and dropped, so the connection stays usable. */
	if (s->b.len < s->cap)
		buf_add(&s->b, data, len < s->cap - s->b.len ? len : s->cap - s->b.len);
	return len;
}

/* Runs one request: the URL and an optional custom command; 0, or -1 with the status set. */
static int request(struct imap *im, const char *url, const char *custom, struct sink *out)
{
	CURL *c = im->curl;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, custom);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	im->errbuf[0] = '\0';
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		return 0;
	pthread_mutex_lock(&im->lock);
	snprintf(im->status, sizeof(im->status), "%.40s: %.400s", custom ? custom : "FETCH",
	         im->errbuf[0] ? im->errbuf : curl_easy_strerror(rc));
	pthread_mutex_unlock(&im->lock);
	return -1;
}

/* Lets imap_stop() end a transfer in progress within about a second. */
static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	struct imap *im = arg;

	(void)a, (void)b, (void)c, (void)d;
	pthread_mutex_lock(&im->lock);
	bool stop = im->stop;
	pthread_mutex_unlock(&im->lock);
	return stop;
}

static void setup_handle(struct imap *im)
{
	CURL *c = curl_easy_init();

	im->curl = c;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, im->errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 600L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, im);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	                 strncasecmp(im->url, "imaps://", 8) ? CURLUSESSL_NONE : CURLUSESSL_ALL);
	if (im->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, im->ca_file);
	if (im->user)
		curl_easy_setopt(c, CURLOPT_USERNAME, im->user);
	if (im->password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, im->password);
}

/* ---- one poll ------------------------------------------------------------------------------ */

static uint32_t number_after(const char *s, const char *word)
{
	const char *p = s ? strstr(s, word) : NULL;

	return p ? (uint32_t)strtoul(p + strlen(word), NULL, 10) : 0;
}

static int mailbox_uidvalidity(struct imap *im, uint32_t *v)
{
	struct sink s = {BUF_INIT, 4096};
	char custom[300];

	snprintf(custom, sizeof(custom), "STATUS \"%s\" (UIDVALIDITY)", im->mailbox);
	int rc = request(im, im->root, custom, &s);
	*v = number_after(buf_str(&s.b), "UIDVALIDITY ");
	buf_free(&s.b);
	if (rc == 0 && !*v) {
		pthread_mutex_lock(&im->lock);
		snprintf(im->status, sizeof(im->status), "STATUS gave no UIDVALIDITY");
		pthread_mutex_unlock(&im->lock);
		return -1;
	}
	return rc;
}

/* The UIDs above `after`, ascending (the server answers in order), at most max. */
static size_t search(struct imap *im, uint32_t after, uint32_t *uids, size_t max)
{
	struct sink s = {BUF_INIT, 1 << 20};
	char custom[64];
	size_t n = 0;

	snprintf(custom, sizeof(custom), "UID SEARCH UID %u:*", after + 1);
	if (request(im, im->url, custom, &s) == 0) {
		const char *p = strstr(buf_str(&s.b), "SEARCH");
		for (p = p ? p + 6 : ""; *p && n < max;) {
			char *end;
			unsigned long v = strtoul(p, &end, 10);
			if (end == p) {
				p++;
				continue;
			}
			/* "n:*" names the last message even when it is below n. */
			if (v > after && v <= UINT32_MAX)
				uids[n++] = (uint32_t)v;
			p = end;
		}
	}
	buf_free(&s.b);
	return n;
}

static void mark_seen(struct imap *im)
{
	pthread_mutex_lock(&im->lock);
	uint32_t *v = im->seen;
	size_t n = im->n_seen;
	im->seen = NULL;
	im->n_seen = 0;
	pthread_mutex_unlock(&im->lock);
	for (size_t i = 0; i < n; i++) {
		struct sink s = {BUF_INIT, 4096};
		char custom[64];
		snprintf(custom, sizeof(custom), "UID STORE %u +FLAGS (\\Seen)", v[i]);
		request(im, im->url, custom, &s);
		buf_free(&s.b);
	}
	free(v);
}

static bool fetch(struct imap *im, uint32_t validity, uint32_t uid)
{
	struct sink s = {BUF_INIT, im->max_bytes + 1};
	struct buf url = BUF_INIT;

	buf_printf(&url, "%s;UIDVALIDITY=%u/;UID=%u", im->url, validity, uid);
	int rc = request(im, buf_str(&url), NULL, &s);
	buf_free(&url);
	if (rc < 0) {
		buf_free(&s.b);
		return false;
	}
	pthread_mutex_lock(&im->lock);
	bool fresh = !im->stop && im->uidvalidity == validity && uid > im->last;
	if (fresh) {
		im->msgs = xrealloc(im->msgs, (im->n_msgs + 1) * sizeof(*im->msgs));
		im->msgs[im->n_msgs++] =
		    (struct imap_msg){validity, uid, s.b.data ? s.b.data : xstrdup(""), s.b.len};
		im->last = uid;
		s.b.data = NULL;
	}
	pthread_mutex_unlock(&im->lock);
	buf_free(&s.b);
	if (fresh)
		loop_async_send(im->wake);
	return fresh;
}

/* One poll; true when there is more to fetch at once. */
static bool poll_once(struct imap *im)
{
	uint32_t validity, uids[MAX_PER_POLL], after;
	bool ok = true;

	mark_seen(im);
	if (mailbox_uidvalidity(im, &validity) < 0) {
		loop_async_send(im->wake);
		return false;
	}
	pthread_mutex_lock(&im->lock);
	if (validity != im->uidvalidity) { /* the UIDs start again: read everything once more */
		im->uidvalidity = validity;
		im->last = 0;
	}
	after = im->last;
	pthread_mutex_unlock(&im->lock);
	size_t n = search(im, after, uids, MAX_PER_POLL);
	for (size_t i = 0; i < n && ok; i++)
		ok = fetch(im, validity, uids[i]);
	pthread_mutex_lock(&im->lock);
	if (ok && im->status[0] && strncmp(im->status, "UID STORE", 9)) {
		im->status[0] = '\0';
		loop_async_send(im->wake);
	}
	pthread_mutex_unlock(&im->lock);
	return ok && n == MAX_PER_POLL;
}

static void *worker(void *arg)
{
	struct imap *im = arg;

	setup_handle(im);
	pthread_mutex_lock(&im->lock);
	while (!im->stop) {
		pthread_mutex_unlock(&im->lock);
		bool more = poll_once(im);
		pthread_mutex_lock(&im->lock);
		if (im->stop)
			break;
		if (!more && !im->poke) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += im->interval;
			while (!im->stop && !im->poke &&
			       pthread_cond_timedwait(&im->cond, &im->lock, &until) != ETIMEDOUT)
				;
		}
		im->poke = false;
	}
	pthread_mutex_unlock(&im->lock);
	curl_easy_cleanup(im->curl);
	return NULL;
}

/* ---- the loop's side ------------------------------------------------------------------------ */

/* "imaps://host:993/INBOX" → root "imaps://host:993/", mailbox "INBOX". */
static void split_url(struct imap *im, const char *url)
{
	const char *host = strstr(url, "://");
	const char *slash = host ? strchr(host + 3, '/') : NULL;
	struct buf b = BUF_INIT;

	if (slash && slash[1]) {
		im->url = xstrdup(url);
		im->root = xstrndup(url, (size_t)(slash - url) + 1);
		im->mailbox = xstrdup(slash + 1);
		size_t n = strlen(im->mailbox);
		if (im->mailbox[n - 1] == '/')
			im->mailbox[n - 1] = '\0';
		return;
	}
	buf_printf(&b, "%s%sINBOX", url, slash ? "" : "/");
	im->url = buf_steal(&b);
	im->root = xstrndup(im->url, strlen(im->url) - 5);
	im->mailbox = xstrdup("INBOX");
}

struct imap *imap_start(const struct imap_settings *s, uint32_t uidvalidity, uint32_t last_uid,
                        struct loop_async *wake)
{
	struct imap *im = xcalloc(1, sizeof(*im));

	pthread_once(&curl_once, curl_setup);
	split_url(im, s->url);
	im->user = s->user ? xstrdup(s->user) : NULL;
	im->password = s->password ? xstrdup(s->password) : NULL;
	im->ca_file = s->ca_file ? xstrdup(s->ca_file) : NULL;
	im->interval = s->interval > 0 ? s->interval : 60;
	im->max_bytes = s->max_bytes;
	im->wake = wake;
	im->uidvalidity = uidvalidity;
	im->last = last_uid;
	pthread_mutex_init(&im->lock, NULL);
	pthread_cond_init(&im->cond, NULL);
	if (pthread_create(&im->thread, NULL, worker, im) != 0) {
		perror("deadlined: imap worker");
		abort();
	}
	return im;
}

size_t imap_take(struct imap *im, struct imap_msg **out, char *status, size_t len)
{
	pthread_mutex_lock(&im->lock);
	*out = im->msgs;
	size_t n = im->n_msgs;
	im->msgs = NULL;
	im->n_msgs = 0;
	util_strlcpy(status, im->status, len);
	pthread_mutex_unlock(&im->lock);
	return n;
}

void imap_done(struct imap *im, uint32_t uid)
{
	pthread_mutex_lock(&im->lock);
	im->seen = xrealloc(im->seen, (im->n_seen + 1) * sizeof(*im->seen));
	im->seen[im->n_seen++] = uid;
	pthread_mutex_unlock(&im->lock);
}

void imap_rewind(struct imap *im, uint32_t uidvalidity, uint32_t last_uid)
{
	pthread_mutex_lock(&im->lock);
	for (size_t i = 0; i < im->n_msgs; i++)
		free(im->msgs[i].raw);
	im->n_msgs = 0;
	im->uidvalidity = uidvalidity;
	im->last = last_uid;
	pthread_mutex_unlock(&im->lock);
}

void imap_poll(struct imap *im)
{
	pthread_mutex_lock(&im->lock);
	im->poke = true;
	pthread_cond_signal(&im->cond);
	pthread_mutex_unlock(&im->lock);
}

void imap_stop(struct imap *im)
{
	if (!im)
		return;
	pthread_mutex_lock(&im->lock);
	im->stop = true;
	pthread_cond_signal(&im->cond);
	pthread_mutex_unlock(&im->lock);
	pthread_join(im->thread, NULL);
	for (size_t i = 0; i < im->n_msgs; i++)
		free(im->msgs[i].raw);
	free(im->msgs);
	free(im->seen);
	if (im->password)
		explicit_bzero(im->password, strlen(im->password));
	free(im->url), free(im->root), free(im->mailbox), free(im->user), free(im->password);
	free(im->ca_file);
	pthread_mutex_destroy(&im->lock);
	pthread_cond_destroy(&im->cond);
	free(im);
}
