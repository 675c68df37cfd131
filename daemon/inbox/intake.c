/*
 * intake — see inbox/intake.h.
 */
#include "inbox/intake.h"

#include "inbox/imap.h"
#include "inbox/inbox.h"
#include "inbox/maildir_in.h"
#include "inbox/mimein.h"
#include "inbox/token.h"
#include "log.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAILDIR_RESCAN 60.0 /* seconds: a safety net under inotify */

struct intake {
	struct intake_env env;
	const struct cfg *cfg;
	const struct dir *dir;
	char *settings; /* what the source was started with */
	struct maildir_in *maildir;
	struct imap *imap;
	struct loop_async *imap_wake;
	struct loop_timer *changed; /* one call per batch */
	char status[512];
	unsigned long recorded, failed;
};

int intake_prepare(struct cfg *c, struct buf *errors)
{
	char err[512];

	if (!c->inbox.enabled || c->inbox.have_key)
		return 0;
	if (token_key_load(c->inbox.key_file, true, c->inbox.key, err, sizeof(err)) < 0) {
		buf_printf(errors, "[inbox] key_file: %s\n", err);
		return -1;
	}
	c->inbox.have_key = true;
	log_info("inbox: made the reply tokens' key %s", c->inbox.key_file);
	return 0;
}

static char *settings_of(const struct cfg *c)
{
	const struct cfg_inbox *in = &c->inbox;
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%d", in->maildir ? in->maildir : "",
	           in->url ? in->url : "", in->user ? in->user : "",
	           in->password ? in->password : "", in->ca_file ? in->ca_file : "", in->interval);
	return buf_steal(&b);
}

/* One message: recorded (0) or left for later (-1). */
static int take(struct intake *in, const char *raw, size_t len, const char *source)
{
	struct inbox_env env = {in->env.st, in->cfg, in->dir, in->env.db_path};
	struct inbox_result r;

	if (inbox_take(&env, raw, len, source, in->env.now(), &r) < 0) {
		in->failed++;
		log_warnx("inbox: %s not recorded, will try again: %s", source,
		          store_error(in->env.st));
		return -1;
	}
	in->recorded++;
	log_info("inbox: %s %s", source, r.summary);
	if (r.changed)
		loop_timer_in(in->changed, 0);
	return 0;
}

static int on_maildir(const char *raw, size_t len, const char *name, void *arg)
{
	char source[300];

	snprintf(source, sizeof(source), "maildir:%s", name);
	return take(arg, raw, len, source);
}

static void on_changed(void *arg)
{
	struct intake *in = arg;

	in->env.changed(in->env.arg);
}

/* ---- IMAP ------------------------------------------------------------------------------------ */

static void cursor_key(const struct cfg *c, char *key, size_t len)
{
	snprintf(key, len, "imap_cursor %s %s", c->inbox.url, c->inbox.user ? c->inbox.user : "");
}

static int save_cursor(struct intake *in, uint32_t validity, uint32_t uid)
{
	char key[600], value[32];

	cursor_key(in->cfg, key, sizeof(key));
	snprintf(value, sizeof(value), "%" PRIu32 " %" PRIu32, validity, uid);
	if (store_begin(in->env.st) == 0 && store_meta_set(in->env.st, key, value) == 0 &&
	    store_commit(in->env.st) == 0)
		return 0;
	store_rollback(in->env.st);
	return -1;
}

static void on_imap(void *arg)
{
	struct intake *in = arg;
	struct imap_msg *msgs;
	char status[512];
	size_t n = imap_take(in->imap, &msgs, status, sizeof(status));
	bool stopped = false;

	if (strcmp(status, in->status)) {
		if (status[0])
			log_warnx("inbox: %s: %s", in->cfg->inbox.url, status);
		else
			log_info("inbox: %s: reachable again", in->cfg->inbox.url);
		util_strlcpy(in->status, status, sizeof(in->status));
	}
	for (size_t i = 0; i < n; i++) {
		char source[64];
		snprintf(source, sizeof(source), "imap:%" PRIu32 ":%" PRIu32, msgs[i].uidvalidity,
		         msgs[i].uid);
		if (!stopped && (take(in, msgs[i].raw, msgs[i].len, source) < 0 ||
		                 save_cursor(in, msgs[i].uidvalidity, msgs[i].uid) < 0)) {
			imap_rewind(in->imap, msgs[i].uidvalidity, msgs[i].uid - 1);
			stopped = true;
		} else if (!stopped) {
			imap_done(in->imap, msgs[i].uid);
		}
		free(msgs[i].raw);
	}
	free(msgs);
}

static void start_imap(struct intake *in)
{
	const struct cfg_inbox *c = &in->cfg->inbox;
	char key[600], value[64];
	uint32_t validity = 0, last = 0;

	cursor_key(in->cfg, key, sizeof(key));
	if (store_meta_get(in->env.st, key, value, sizeof(value)) == 0)
		sscanf(value, "%" SCNu32 " %" SCNu32, &validity, &last);
	struct imap_settings s = {c->url,     c->user,     c->password,
	                          c->ca_file, c->interval, mimein_default_limits.message};
	in->imap_wake = loop_async_new(on_imap, in);
	in->imap = imap_start(&s, validity, last, in->imap_wake);
	log_info("inbox: polling %s every %d s (after UID %" PRIu32 ")", c->url, c->interval, last);
}

/* ---- the service ------------------------------------------------------------------------------
 */

static void start_source(struct intake *in)
{
	const struct cfg_inbox *c = &in->cfg->inbox;
	char err[512];

	in->settings = settings_of(in->cfg);
	if (c->url) {
		start_imap(in);
		return;
	}
	in->maildir = maildir_in_open(c->maildir, MAILDIR_RESCAN, mimein_default_limits.message,
	                              on_maildir, in, err, sizeof(err));
	if (!in->maildir) {
		log_warnx("inbox: %s", err);
		return;
	}
	log_info("inbox: watching %s/new", c->maildir);
	maildir_in_scan(in->maildir);
}

static void stop_source(struct intake *in)
{
	if (in->imap) {
		imap_stop(in->imap);
		/* What the worker fetched and the loop has not taken is fetched again next time. */
		loop_async_free(in->imap_wake);
	}
	maildir_in_close(in->maildir);
	in->imap = NULL;
	in->imap_wake = NULL;
	in->maildir = NULL;
	if (in->settings)
		explicit_bzero(in->settings, strlen(in->settings));
	free(in->settings);
	in->settings = NULL;
}

struct intake *intake_start(const struct intake_env *env, const struct cfg *c, const struct dir *d)
{
	if (!c->inbox.enabled)
		return NULL;
	struct intake *in = xcalloc(1, sizeof(*in));
	in->env = *env;
	in->cfg = c;
	in->dir = d;
	in->changed = loop_timer_new(on_changed, in);
	start_source(in);
	return in;
}

struct intake *intake_reload(struct intake *in, const struct intake_env *env, const struct cfg *c,
                             const struct dir *d)
{
	if (!in)
		return intake_start(env, c, d);
	if (!c->inbox.enabled) {
		log_info("inbox: [inbox] is gone: no longer reading replies");
		intake_stop(in);
		return NULL;
	}
	char *now = settings_of(c);
	bool same = !strcmp(now, in->settings ? in->settings : "");
	explicit_bzero(now, strlen(now));
	free(now);
	in->cfg = c;
	in->dir = d;
	if (!same) {
		stop_source(in);
		start_source(in);
	}
	return in;
}

void intake_stop(struct intake *in)
{
	if (!in)
		return;
	stop_source(in);
	loop_timer_free(in->changed);
	free(in);
}

void intake_status(const struct intake *in, struct buf *out)
{
	if (!in) {
		buf_adds(out, "inbox: off\n");
		return;
	}
	const struct cfg_inbox *c = &in->cfg->inbox;
	buf_printf(out, "inbox: %s %s\n", c->url ? "imap" : "maildir",
	           c->url ? c->url : c->maildir);
	buf_printf(out, "inbox_recorded: %lu\ninbox_failed: %lu\n", in->recorded, in->failed);
	if (in->status[0])
		buf_printf(out, "inbox_error: %s\n", in->status);
}
