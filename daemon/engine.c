/*
 * engine — see engine.h.
 *
 * Division of labour (OpenSMTPD's): the scheduler decides (notify), the
 * outbox hands messages to the mail worker and records what comes back,
 * notice tells the admin; this file only wires them to the config, the
 * store, the loop and the control socket. All store writes happen in the
 * loop thread.
 */
#include "engine.h"

#include "cfg.h"
#include "ctl.h"
#include "ctlproto.h"
#include "date.h"
#include "digest.h"
#include "dir.h"
#include "inbox/intake.h"
#include "log.h"
#include "loop.h"
#include "mail.h"
#include "notice.h"
#include "notify.h"
#include "outbox.h"
#include "store.h"
#include "svc.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Stopping: a message whose data is with the server gets STOP_GRACE seconds
 * for its answer, then every session is cut; a worker still not out by
 * STOP_GIVE_UP (a name lookup) is left behind. Well inside systemd's
 * TimeoutStopSec, so that a stop is never a SIGKILL.
 */
#define STOP_GRACE   5.0
#define STOP_GIVE_UP 8.0
/* The loop's writes wait this long for another writer's lock, then try again later. */
#define BUSY_TIMEOUT_MS 100
#define RESULTS_RETRY   0.25 /* seconds between attempts to record results */
#define PLANNING_RETRY  2    /* seconds, after a planning round found the store locked */

/* What the daemon runs on; replaced whole by a successful reload. */
struct config_set {
	struct cfg *cfg;
	struct dir *dir;
	struct digest_templates *tpl;
};

static struct engine {
	const struct engine_options *opt;
	struct config_set conf;
	char *db_path;
	struct store *st;
	struct mail *mail;
	struct outbox *outbox;
	struct intake *intake; /* NULL when [inbox] is off */
	struct loop_async *mail_wake;
	struct loop_timer *wake, *watchdog, *results_retry, *stop_timer;
	struct loop_watch *watch;
	struct ctl *ctl;
	int lock_fd; /* one daemon per database */
	time_t skew; /* --now: the daemon's clock minus the real one */
	time_t next_wake, logged_wake;
	long planned; /* occurrences decided in the planning under way */
	bool stopping, aborted;
	double stop_started;
	struct log_limit planning_log;
} E;

static time_t engine_now(void)
{
	return (time_t)loop_wall() + E.skew;
}

static const char *iso(time_t t, char *buf, size_t len)
{
	if (t == TF_NONE)
		return "none";
	return date_format_iso(t, E.conf.cfg->tz_offset, buf, len);
}

/* ---- configuration ---------------------------------------------------------- */

static void config_free(struct config_set *c)
{
	digest_templates_free(c->tpl);
	dir_free(c->dir);
	cfg_free(c->cfg);
	memset(c, 0, sizeof(*c));
}

/* Loads everything a config consists of; on any error, nothing. */
static int config_load(const char *path, struct config_set *out, struct buf *errors)
{
	struct buf warnings = BUF_INIT;

	memset(out, 0, sizeof(*out));
	out->cfg = cfg_load(path, errors, &warnings);
	if (warnings.len)
		log_warnx("%s", buf_str(&warnings));
	buf_free(&warnings);
	if (!out->cfg)
		return -1;
	if (intake_prepare(out->cfg, errors) < 0) {
		config_free(out);
		return -1;
	}
	out->dir = dir_new(out->cfg);
	out->tpl = digest_templates_load(out->cfg->templates, out->cfg->language, errors);
	if (!out->tpl) {
		config_free(out);
		return -1;
	}
	return 0;
}

/* Stores the INI tasks; if planning rules changed, every occurrence is looked at again. */
static int config_sync(time_t now)
{
	struct sync_report r;
	char digest[17], stored[32];

	if (store_begin(E.st) < 0)
		return -1;
	if (sync_config(E.st, E.conf.dir, now, &r) < 0)
		goto fail;
	cfg_planning_digest(E.conf.cfg, digest);
	if (store_meta_get(E.st, "planning_digest", stored, sizeof(stored)) < 0)
		goto fail;
	if (strcmp(digest, stored) != 0) {
		if (stored[0])
			log_info("policy, calendar or directory changed: replanning");
		if (store_occ_replan_all(E.st, now) < 0 ||
		    store_meta_set(E.st, "planning_digest", digest) < 0)
			goto fail;
	}
	if (store_commit(E.st) < 0)
		goto fail;
	log_info("config tasks: %d (%d new, %d changed, %d removed, %d flagged), %d new "
	         "occurrences",
	         r.tasks, r.created, r.updated, r.removed, r.flagged, r.occurrences);
	if (r.linked)
		log_info("config tasks: %d planned as the imported task of the same duty",
		         r.linked);
	return 0;
fail:
	store_rollback(E.st);
	log_warnx("config sync: %s", store_error(E.st));
	return -1;
}

/* ---- the wake-up timer ------------------------------------------------------------ */

static void earliest(time_t *t, time_t candidate)
{
	if (candidate != TF_NONE && (*t == TF_NONE || candidate < *t))
		*t = candidate;
}

/* Arms the one timer at the earliest thing to do; none: sleep until poked. */
static void schedule(bool more)
{
	time_t now = engine_now(), next = more ? now : TF_NONE, t;
	char buf[40];

	if (store_next_wake(E.st, &t) == 0)
		earliest(&next, t);
	if (store_next_retry(E.st, &t) == 0)
		earliest(&next, t);
	struct notify_env env = {E.st, E.conf.cfg, E.conf.dir, E.conf.tpl};
	if (notify_next(&env, now, &t) == 0)
		earliest(&next, t);
	earliest(&next, notice_next(E.st, E.conf.cfg, now));
	E.next_wake = next;
	if (next == TF_NONE) {
		loop_timer_stop(E.wake);
		svc_status("idle: nothing to send");
		if (E.logged_wake != TF_NONE)
			log_info("next wake-up: none (nothing to send)");
		E.logged_wake = TF_NONE;
		return;
	}
	loop_timer_at(E.wake, (double)(next - E.skew));
	svc_status("next wake-up %s", iso(next, buf, sizeof(buf)));
	/* While the worker holds messages, their lease is the next wake-up: not news. */
	if (next > now && next != E.logged_wake && outbox_in_flight(E.outbox) == 0) {
		log_info("next wake-up: %s", buf);
		E.logged_wake = next;
	}
}

/* Another writer's lock: again soon. A broken database: again calmly. */
static void planning_failed(void)
{
	int delay = store_busy(E.st) ? PLANNING_RETRY : 60;

	log_warnx_limited(&E.planning_log, "planning: %s", store_error(E.st));
	store_rollback(E.st);
	loop_timer_at(E.wake, loop_wall() + delay);
}

/* Once a day: the text of old messages goes, their ledger rows stay. */
static int prune(time_t now)
{
	char day[32], last[32];
	int64_t pruned;

	if (!E.conf.cfg->keep_bodies)
		return 0;
	snprintf(day, sizeof(day), "%lld", (long long)date_local_days(now, E.conf.cfg->tz_offset));
	if (store_meta_get(E.st, "pruned_day", last, sizeof(last)) < 0)
		return -1;
	if (!strcmp(day, last))
		return 0;
	if (store_prune_bodies(E.st, now - (time_t)E.conf.cfg->keep_bodies * 86400, &pruned) < 0 ||
	    store_meta_set(E.st, "pruned_day", day) < 0)
		return -1;
	if (pruned)
		log_info("dropped the text of %lld message%s older than %d days (the ledger keeps "
		         "them)",
		         (long long)pruned, pruned == 1 ? "" : "s", E.conf.cfg->keep_bodies);
	return 0;
}

/*
 * Planning rounds (a batch each; the last one composes) in one transaction:
 * one round when the loop has other work, all of them at start-up, where
 * one commit writes each page once. *more: another round is due now.
 */
static int tick(bool *more, bool all)
{
	struct notify_env env = {E.st, E.conf.cfg, E.conf.dir, E.conf.tpl};
	struct notify_result r, sum;
	struct notify_tick *nt = NULL;
	time_t now = engine_now();

	if (E.stopping)
		return -1;
	*more = false;
	if (store_begin(E.st) < 0)
		goto fail;
	nt = notify_begin(&env, now);
	do {
		if (notify_round(nt, &r) < 0)
			goto fail;
		E.planned += r.processed;
		if (r.more)
			svc_status("planning: %ld occurrences decided", E.planned);
		if (E.watchdog)
			svc_watchdog_ping();
	} while (all && r.more);
	if (notify_end(nt, &sum) < 0)
		goto fail;
	notify_free(nt);
	nt = NULL;
	if (prune(now) < 0)
		goto fail;
	notice_run(E.st, E.conf.cfg, now);
	if (store_commit(E.st) < 0)
		goto fail;
	if (sum.messages)
		log_info("queued %d message%s", sum.messages, sum.messages == 1 ? "" : "s");
	if (sum.held)
		log_info("%d notification%s wait for the next day: their recipients had a message "
		         "today",
		         sum.held, sum.held == 1 ? "" : "s");
	if (!r.more)
		E.planned = 0;
	outbox_submit_due(E.outbox, now);
	*more = r.more;
	return 0;
fail:
	notify_free(nt);
	planning_failed();
	return -1;
}

static void tick_and_schedule(void)
{
	bool more;

	if (tick(&more, false) == 0)
		schedule(more);
}

static void on_wake(void *arg)
{
	(void)arg;
	if (!E.stopping)
		tick_and_schedule();
}

/* A reply changed tasks or queued an answer: send it, and look at reminders again. */
static void on_inbox_changed(void *arg)
{
	(void)arg;
	if (!E.stopping)
		tick_and_schedule();
}

static struct intake_env engine_intake_env(void)
{
	return (struct intake_env){E.st, E.db_path, engine_now, on_inbox_changed, NULL};
}

static void check_stopped(void);

/* Results are recorded as they come; a busy store: again shortly, they wait in memory. */
static void on_mail_results(void *arg)
{
	(void)arg;
	if (outbox_collect(E.outbox, E.conf.cfg, engine_now()) > 0)
		loop_timer_in(E.results_retry, RESULTS_RETRY);
	if (E.stopping)
		check_stopped();
	else
		schedule(false);
}

/* ---- reload, control, signals -------------------------------------------------------- */

static void on_config_changed(void *arg);

/* Exactly the files the config reads: the INI and its includes, the three
 * templates of its language, the SMTP password file. */
static void watch_config(void)
{
	const struct cfg *c = E.conf.cfg;
	static const char *const templates[] = {"subject.txt", "body.txt", "body.html"};
	size_t n = c->files.n;
	char **paths = xcalloc(n + UTIL_NELEM(templates) + 1, sizeof(*paths));

	for (size_t i = 0; i < c->files.n; i++)
		paths[i] = xstrdup(c->files.v[i]);
	for (size_t i = 0; i < UTIL_NELEM(templates); i++) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s/%s/%s", c->templates, c->language, templates[i]);
		paths[n++] = buf_steal(&b);
	}
	if (c->password_file)
		paths[n++] = xstrdup(c->password_file);
	loop_watch_free(E.watch);
	E.watch = loop_watch_files(paths, n, on_config_changed, NULL);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Read, validate, swap; on any error the running config stays. */
static int reload(struct buf *why)
{
	struct config_set next;
	struct buf errors = BUF_INIT;

	svc_reloading();
	if (config_load(E.opt->config, &next, &errors) < 0) {
		log_warnx("reload failed, still running the previous config:\n%s",
		          buf_str(&errors));
		if (why)
			buf_add(why, errors.data, errors.len);
		buf_free(&errors);
		svc_ready();
		return -1;
	}
	buf_free(&errors);
	if (!E.opt->database && strcmp(next.cfg->database, E.db_path) != 0)
		log_warnx("database %s: a new path takes effect at restart", next.cfg->database);
	config_free(&E.conf);
	E.conf = next;
	struct mail_settings ms;
	mail_settings_from_cfg(E.conf.cfg, &ms);
	mail_reconfigure(E.mail, &ms);
	mail_settings_free(&ms);
	struct intake_env ie = engine_intake_env();
	E.intake = intake_reload(E.intake, &ie, E.conf.cfg, E.conf.dir);
	watch_config();
	config_sync(engine_now());
	log_info("reloaded %s", E.opt->config);
	svc_ready();
	schedule(false);
	return 0;
}

static void on_config_changed(void *arg)
{
	(void)arg;
	log_info("%s changed on disk", E.opt->config);
	reload(NULL);
}

static void on_hangup(void *arg)
{
	(void)arg;
	reload(NULL);
}

static void status(struct buf *out)
{
	struct store_stats s;
	char a[40], b[40];
	time_t now = engine_now();

	buf_adds(out, "ok\n");
	buf_printf(out, "state: %s\n", E.stopping ? "stopping" : "running");
	buf_printf(out, "now: %s%s\n", iso(now, a, sizeof(a)), E.skew ? " (set with --now)" : "");
	buf_printf(out, "next_wakeup: %s\n", iso(E.next_wake, b, sizeof(b)));
	buf_printf(out, "in_flight: %zu\n", outbox_in_flight(E.outbox));
	if (store_stats(E.st, &s) == 0) {
		buf_printf(out, "queue: %lld\n", (long long)s.queued);
		buf_printf(out, "sent: %lld\nfailed: %lld\npartial: %lld\n", (long long)s.sent,
		           (long long)s.failed, (long long)s.partial);
		buf_printf(out, "plans: %lld\ntasks: %lld\ntasks_open: %lld\ntasks_flagged: %lld\n",
		           (long long)s.plans, (long long)s.tasks, (long long)s.tasks_open,
		           (long long)s.tasks_flagged);
		buf_printf(out, "occurrences: %lld\noccurrences_open: %lld\nnotifications: %lld\n",
		           (long long)s.occurrences, (long long)s.occurrences_open,
		           (long long)s.notes);
	}
	const struct outbox_stats *os = outbox_stats(E.outbox);
	buf_printf(out, "last_result: %s\n", os->last_result[0] ? os->last_result : "none");
	buf_printf(out, "last_result_at: %s\n",
	           iso(os->last_result_at ? os->last_result_at : TF_NONE, a, sizeof(a)));
	buf_printf(out, "config: %s\ndatabase: %s\n", E.opt->config, E.db_path);
	buf_printf(out, "transport: %s\n", E.conf.cfg->transport == CFG_SMTP ? "smtp" : "maildir");
	intake_status(E.intake, out);
}

static void control(const char *request, struct buf *reply, void *arg)
{
	(void)arg;
	if (!strcmp(request, CTL_STATUS)) {
		status(reply);
	} else if (!strcmp(request, CTL_RELOAD)) {
		struct buf why = BUF_INIT;
		if (reload(&why) == 0)
			buf_adds(reply, "ok\n");
		else
			buf_printf(reply,
			           "error: the new config has errors; still running the "
			           "previous one\n%s",
			           buf_str(&why));
		buf_free(&why);
	} else if (!strcmp(request, CTL_RESCHEDULE)) {
		char at[40];
		schedule(false);
		buf_printf(reply, "ok\nnext_wakeup: %s\n", iso(E.next_wake, at, sizeof(at)));
	} else if (!strcmp(request, CTL_SEND_NOW)) {
		store_messages_release(E.st, engine_now());
		tick_and_schedule();
		buf_adds(reply, "ok\n");
	} else {
		buf_printf(reply, "error: unknown request '%s'\n", request);
	}
}

/* Every worker is out (or given up on): record what came back, and leave the loop. */
static void check_stopped(void)
{
	double took = loop_wall() - E.stop_started;

	if (!mail_stopped(E.mail) && took < STOP_GIVE_UP)
		return;
	loop_timer_stop(E.stop_timer);
	loop_timer_stop(E.results_retry);
	/* Last chance for results a locked store held back; then they are lost, and
	 * their messages (still queued) go out again at the next start. */
	store_set_busy_timeout(E.st, 1000);
	size_t left = outbox_collect(E.outbox, E.conf.cfg, engine_now());
	if (left)
		log_warnx("stopping: %zu result%s could not be recorded (%s): %s message%s will "
		          "be sent again at the next start",
		          left, left == 1 ? "" : "s", store_error(E.st),
		          left == 1 ? "that" : "those", left == 1 ? "" : "s");
	loop_stop();
}

/* STOP_GRACE: cut what still runs. STOP_GIVE_UP: stop waiting. */
static void on_stop_timer(void *arg)
{
	(void)arg;
	if (!E.aborted) {
		E.aborted = true;
		log_info("stopping: no answer from the mail server; closing the connection (the "
		         "message in flight stays queued)");
		mail_abort(E.mail);
		loop_timer_in(E.stop_timer, STOP_GIVE_UP - STOP_GRACE);
		return;
	}
	check_stopped();
}

/* Does not wait: the loop keeps answering (status) while the workers end. */
static void stop(void *arg)
{
	(void)arg;
	if (E.stopping)
		return;
	E.stopping = true;
	E.stop_started = loop_wall();
	svc_stopping();
	log_info("stopping: finishing the message in flight");
	loop_timer_stop(E.wake);
	mail_stop(E.mail);
	loop_timer_in(E.stop_timer, STOP_GRACE);
	check_stopped();
}

static void watchdog(void *arg)
{
	(void)arg;
	svc_watchdog_ping();
	loop_timer_in(E.watchdog, svc_watchdog_usec() / 2e6);
}

/* ---- start and finish ----------------------------------------------------------------- */

/*
 * One daemon per database and per socket, checked before anything is
 * touched: a second instance must not sync its config into the first one's
 * store or release the messages it has in flight. The lock is on the
 * database file itself, so that any path naming it (a symlink, a hard link,
 * "dir/../x.db") finds it taken.
 */
static int lock_database(const char *path)
{
	char err[512];

	/* Created as the store would create it: never readable by others. */
	if (store_create_file(path, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		errno = 0; /* reported */
		return -1;
	}
	return util_lock_file(path);
}

static int claim(void)
{
	const char *socket = E.conf.cfg->control_socket;

	E.db_path = xstrdup(E.opt->database ? E.opt->database : E.conf.cfg->database);
	if (util_make_parent(E.db_path) < 0 || util_make_parent(socket) < 0)
		log_warn("creating the directory of %s", E.db_path);
	E.lock_fd = lock_database(E.db_path);
	if (E.lock_fd < 0) {
		if (errno == EWOULDBLOCK)
			log_warnx("%s: another deadlined is running on this database", E.db_path);
		else if (errno) /* 0: said already */
			log_warn("%s", E.db_path);
		return -1;
	}
	E.ctl = ctl_listen(socket, control, NULL);
	if (!E.ctl) {
		if (errno == EADDRINUSE)
			log_warnx("%s: another deadlined is running", socket);
		else
			log_warn("control socket %s", socket);
		return -1;
	}
	return 0;
}

static int open_store(void)
{
	char err[512];

	if (store_open(E.db_path, &E.st, err, sizeof(err)) < 0) {
		log_warnx("database %s", err);
		return -1;
	}
	store_set_busy_timeout(E.st, BUSY_TIMEOUT_MS);
	if (store_temp_in_memory(E.st) < 0)
		log_warnx("%s", store_error(E.st)); /* only slower */
	return 0;
}

static int start_services(void)
{
	struct mail_settings ms;

	E.mail_wake = loop_async_new(on_mail_results, NULL);
	mail_settings_from_cfg(E.conf.cfg, &ms);
	E.mail = mail_start(&ms, E.mail_wake);
	mail_settings_free(&ms);
	E.outbox = outbox_new(E.st, E.mail);
	struct intake_env ie = engine_intake_env();
	E.intake = intake_start(&ie, E.conf.cfg, E.conf.dir);
	loop_signal(SIGTERM, stop, NULL);
	loop_signal(SIGINT, stop, NULL);
	loop_signal(SIGHUP, on_hangup, NULL);
	watch_config();
	E.wake = loop_timer_new(on_wake, NULL);
	E.results_retry = loop_timer_new(on_mail_results, NULL);
	E.stop_timer = loop_timer_new(on_stop_timer, NULL);
	if (svc_watchdog_usec()) {
		E.watchdog = loop_timer_new(watchdog, NULL);
		watchdog(NULL);
	}
	return 0;
}

static void finish(void)
{
	ctl_close(E.ctl);
	intake_stop(E.intake);
	loop_watch_free(E.watch);
	loop_timer_free(E.wake);
	loop_timer_free(E.watchdog);
	loop_timer_free(E.results_retry);
	loop_timer_free(E.stop_timer);
	outbox_free(E.outbox);
	mail_free(E.mail);
	loop_async_free(E.mail_wake);
	store_close(E.st);
	config_free(&E.conf);
	free(E.db_path);
	if (E.lock_fd >= 0)
		close(E.lock_fd);
}

/* Nothing counted here: a start must not grow with years of history. */
static void announce(void)
{
	char now[40];

	log_info("started: config %s, database %s, %s delivery%s", E.opt->config, E.db_path,
	         E.conf.cfg->transport == CFG_SMTP ? "smtp" : "maildir",
	         E.conf.cfg->transport == CFG_SMTP ? "" : " into the Maildir");
	log_info("clock: %s%s", iso(engine_now(), now, sizeof(now)), E.skew ? " (--now)" : "");
}

/*
 * READY means planned: whatever is due now is decided (in batches, the
 * watchdog fed between them) and composed, and the next wake-up is known.
 * Until then the service status says "planning: N occurrences decided".
 */
static void plan_then_ready(void)
{
	bool more = true;
	char at[40];

	svc_status("planning");
	if (store_bulk(E.st, true) < 0) /* then planned as any tick: slower, not wrong */
		log_warnx("%s", store_error(E.st));
	tick(&more, true);
	schedule(more);
	svc_ready();
	log_info("ready: planned; next wake-up %s", iso(E.next_wake, at, sizeof(at)));
	if (store_bulk(E.st, false) < 0)
		log_warnx("%s", store_error(E.st));
}

int engine_run(const struct engine_options *o)
{
	struct buf errors = BUF_INIT;
	int rc = 1;

	log_init("deadlined", o->foreground, o->verbose);
	E.opt = o;
	/* A peer closing the SMTP connection must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (config_load(o->config, &E.conf, &errors) < 0) {
		log_warnx("%s: the configuration has errors:\n%s", o->config, buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	loop_init();
	if (o->have_now)
		E.skew = o->now - (time_t)loop_wall();
	E.lock_fd = -1;
	if (claim() == 0 && open_store() == 0 && config_sync(engine_now()) == 0 &&
	    store_messages_release(E.st, engine_now()) == 0 && start_services() == 0) {
		announce();
		plan_then_ready();
		loop_run();
		rc = 0;
	}
	finish();
	log_info("stopped");
	return rc;
}
