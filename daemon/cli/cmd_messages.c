/*
 * cmd_messages — the sent log: `messages` (what went to whom and how it
 * went), `messages show ID` (one message as sent, decoded or as raw
 * bytes) and `resend ID` (the same message queued again).
 */
#include "cli/cmd.h"

#include "compose.h"
#include "json.h"
#include "mime.h"
#include "msgview.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const msg_state_names[] = {"queued", "sent", "failed", "partial"};

#define MAX_CARRIED 10

/* How it went, in a few words: "sent", "failed: 550 …", "retry 08/12 08:15: 451 …". */
static void outcome(const struct cli *c, const struct store_message *m, struct buf *b)
{
	char when[32];

	if (m->state == MSG_QUEUED && m->attempts == 0)
		buf_adds(b, "queued");
	else if (m->state == MSG_QUEUED)
		buf_printf(b, "retry %s", cli_when(c, m->next_attempt, when, sizeof(when)));
	else
		buf_adds(b, msg_state_names[m->state]);
	if (m->state == MSG_PARTIAL)
		buf_printf(b, " (%d refused)", m->refused);
	if (m->last_error && m->state != MSG_SENT)
		buf_printf(b, ": %s", m->last_error);
	if (m->resend_of)
		buf_printf(b, " [resend of %lld]", (long long)m->resend_of);
}

/* "a@x.vn, b@y.vn": the envelope, whoever it still goes to and whoever has it. */
static void envelope(const struct store_message *m, struct buf *b)
{
	const char *lists[] = {m->delivered_to, m->rcpt};

	for (int l = 0; l < 2; l++)
		for (const char *p = lists[l]; p && *p;) {
			size_t n = strcspn(p, "\n");
			if (n)
				buf_printf(b, "%s%.*s", b->len ? ", " : "", (int)n, p);
			p += n + (p[n] == '\n');
		}
}

void cli_message_json(const struct cli *c, const struct store_message *m, struct buf *b)
{
	const int tz = c->cfg->tz_offset;
	struct buf rcpt = BUF_INIT;
	bool first = true;

	envelope(m, &rcpt);
	json_key(b, "id", &first);
	buf_printf(b, "%lld", (long long)m->id);
	json_key(b, "message_id", &first);
	json_string(b, m->message_id);
	json_key(b, "kind", &first);
	json_string(b, m->kind);
	json_key(b, "recipient", &first);
	json_string(b, m->recipient);
	json_key(b, "rcpt", &first);
	json_string(b, buf_str(&rcpt));
	json_key(b, "subject", &first);
	json_string(b, m->subject);
	json_key(b, "state", &first);
	json_string(b, msg_state_names[m->state]);
	json_key(b, "attempts", &first);
	buf_printf(b, "%d", m->attempts);
	json_key(b, "created_at", &first);
	json_time(b, m->created_at, tz);
	json_key(b, "sent_at", &first);
	json_time(b, m->sent_at, tz);
	json_key(b, "next_attempt", &first);
	json_time(b, m->state == MSG_QUEUED ? m->next_attempt : TF_NONE, tz);
	json_key(b, "error", &first);
	json_string(b, m->last_error);
	json_key(b, "refused", &first);
	buf_printf(b, "%d", m->refused);
	json_key(b, "resend_of", &first);
	if (m->resend_of)
		buf_printf(b, "%lld", (long long)m->resend_of);
	else
		buf_adds(b, "null");
	buf_free(&rcpt);
}

/* ---- messages ----------------------------------------------------------------------- */

struct listing {
	const struct cli *c;
	bool json;
	struct table *t;
	struct buf out;
};

static int list_one(const struct store_message *m, void *arg)
{
	struct listing *l = arg;
	char when[32];
	struct buf b = BUF_INIT;

	if (l->json) {
		buf_addc(&l->out, '{');
		cli_message_json(l->c, m, &l->out);
		buf_adds(&l->out, "}\n");
		cli_print(&l->out);
		return 0;
	}
	table_cellf(l->t, "%lld", (long long)m->id);
	table_cell(l->t, cli_when(l->c, m->sent_at != TF_NONE ? m->sent_at : m->created_at, when,
	                          sizeof(when)));
	table_cell(l->t, m->kind);
	table_cell(l->t, m->recipient);
	envelope(m, &b);
	table_cell(l->t, buf_str(&b));
	table_cell(l->t, m->subject);
	buf_reset(&b);
	outcome(l->c, m, &b);
	table_cell(l->t, buf_str(&b));
	table_cell(l->t, m->message_id);
	buf_free(&b);
	return 0;
}

static int list_messages(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"agency", required_argument, NULL, 'a'},
	                                     {"task", required_argument, NULL, 't'},
	                                     {"since", required_argument, NULL, 's'},
	                                     {"failed", no_argument, NULL, 'f'},
	                                     {"limit", required_argument, NULL, 'l'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *heads[] = {"ID",      "TIME",    "KIND",   "AGENCY",
	                       "ADDRESS", "SUBJECT", "RESULT", "MESSAGE-ID"};
	struct store_msg_filter f = {.limit = 100};
	const char *task = NULL, *since = NULL;
	struct listing l = {.c = c};
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			f.agency = optarg;
		else if (ch == 't')
			task = optarg;
		else if (ch == 's')
			since = optarg;
		else if (ch == 'f')
			f.failed = true;
		else if (ch == 'l' && (f.limit = (int)strtol(optarg, &end, 10)) >= 0 && !*end)
			continue;
		else if (ch == 'j')
			l.json = true;
		else
			return cli_usage_error(c->usage);
	}
	if (optind != argc)
		return cli_usage_error(c->usage);
	if (cli_open_store(c) < 0)
		return 1;
	if (since && cli_parse_when(since, c->cfg->tz_offset, false, &f.since) < 0) {
		fprintf(stderr, "deadlinectl: --since %s: not a date (YYYY-MM-DD)\n", since);
		return 2;
	}
	if (f.agency && !cfg_agency(c->cfg, f.agency)) {
		fprintf(stderr, "deadlinectl: --agency %s: no such agency in the directory\n",
		        f.agency);
		return 1;
	}
	if (task) {
		struct task t;
		if (cli_find_task(c, task, &t) < 0)
			return 1;
		f.task_id = t.id;
		task_free(&t);
	}
	l.t = table_new(heads, UTIL_NELEM(heads));
	table_align_right(l.t, 0);
	table_max_width(l.t, 4, 40);
	table_max_width(l.t, 5, 48);
	table_max_width(l.t, 6, 60);
	int rc = store_messages_find(c->st, &f, list_one, &l) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
	} else if (!l.json) {
		if (table_rows(l.t))
			table_render(l.t, "", &l.out);
		buf_printf(&l.out, "%zu message%s%s\n", table_rows(l.t),
		           table_rows(l.t) == 1 ? "" : "s",
		           f.limit && table_rows(l.t) == (size_t)f.limit
		               ? " (the latest; --limit 0 for all)"
		               : "");
		cli_print(&l.out);
	}
	table_free(l.t);
	buf_free(&l.out);
	return rc;
}

/* ---- messages show ------------------------------------------------------------------ */

struct shown {
	const struct cli *c;
	bool raw, json;
	struct buf out, extra, extra_json;
	int n_extra;
};

static int on_refusal(const char *address, int code, const char *text, time_t at, void *arg)
{
	struct shown *s = arg;
	char when[32];

	buf_printf(&s->extra, "  %-10s %s: %d %s (%s)\n", "Refused", address, code,
	           text ? text : "", cli_when(s->c, at, when, sizeof(when)));
	return 0;
}

static int on_carried(const struct store_note_view *v, void *arg)
{
	struct shown *s = arg;
	char due[16];
	bool first = true;

	/* A summary can carry hundreds: the first few say what it is (--json has them all). */
	if (s->n_extra < MAX_CARRIED)
		buf_printf(&s->extra, "  %-10s %s:%s due %s, step %s for %s\n", "Carries",
		           v->plan_id, v->task_key, cli_day(s->c, v->due, due, sizeof(due)),
		           v->note.step, v->note.agency);
	buf_adds(&s->extra_json, s->n_extra++ ? ",{" : "{");
	json_key(&s->extra_json, "task", &first);
	buf_printf(&s->extra_json, "%lld", (long long)v->task_id);
	json_key(&s->extra_json, "ref", &first);
	struct buf ref = BUF_INIT;
	buf_printf(&ref, "%s:%s", v->plan_id, v->task_key);
	json_string(&s->extra_json, buf_str(&ref));
	buf_free(&ref);
	json_key(&s->extra_json, "due", &first);
	json_time(&s->extra_json, v->due, s->c->cfg->tz_offset);
	json_key(&s->extra_json, "agency", &first);
	json_string(&s->extra_json, v->note.agency);
	json_key(&s->extra_json, "step", &first);
	json_string(&s->extra_json, v->note.step);
	buf_addc(&s->extra_json, '}');
	return 0;
}

static void show_decoded(struct shown *s, const struct store_message *m)
{
	static const char *const fields[] = {
	    "From",       "Reply-To",    "To",          "Cc",        "Subject",          "Date",
	    "Message-ID", "In-Reply-To", "Resent-Date", "Resent-To", "Resent-Message-ID"};
	struct msgview v;
	struct buf how = BUF_INIT, rcpt = BUF_INIT;
	char a[32], b[32];

	msgview_parse(m->body, m->body_len, &v);
	outcome(s->c, m, &how);
	envelope(m, &rcpt);
	if (s->json) {
		bool first = false;
		buf_addc(&s->out, '{');
		cli_message_json(s->c, m, &s->out);
		json_key(&s->out, "headers", &first);
		buf_addc(&s->out, '{');
		bool f = true;
		for (size_t i = 0; i < UTIL_NELEM(fields); i++) {
			const char *value = msgview_header(&v, fields[i]);
			if (!value)
				continue;
			json_key(&s->out, fields[i], &f);
			json_string(&s->out, value);
		}
		buf_addc(&s->out, '}');
		json_key(&s->out, "carries", &first);
		buf_printf(&s->out, "[%s]", buf_str(&s->extra_json));
		json_key(&s->out, "text", &first);
		json_string(&s->out, v.text);
		buf_adds(&s->out, "}\n");
	} else {
		buf_printf(&s->out, "Message %lld: %s\n", (long long)m->id, buf_str(&how));
		buf_printf(&s->out, "  %-10s %s to %s (%s), created %s, sent %s, %d attempt%s\n",
		           "Kind", m->kind, m->recipient,
		           strcmp(m->recipient, "admin") ? dir_name(s->c->dir, m->recipient)
		                                         : "admin",
		           cli_when(s->c, m->created_at, a, sizeof(a)),
		           cli_when(s->c, m->sent_at, b, sizeof(b)), m->attempts,
		           m->attempts == 1 ? "" : "s");
		buf_printf(&s->out, "  %-10s %s\n", "Envelope", buf_str(&rcpt));
		buf_adds(&s->out, buf_str(&s->extra));
		buf_adds(&s->out, "\n");
		for (size_t i = 0; i < UTIL_NELEM(fields); i++) {
			const char *value = msgview_header(&v, fields[i]);
			if (value)
				buf_printf(&s->out, "%s: %s\n", fields[i], value);
		}
		buf_printf(&s->out, "\n%s", v.text ? v.text : "(no text part)\n");
		if (s->out.len && s->out.data[s->out.len - 1] != '\n')
			buf_addc(&s->out, '\n');
	}
	msgview_free(&v);
	buf_free(&how);
	buf_free(&rcpt);
}

static int on_message(const struct store_message *m, void *arg)
{
	struct shown *s = arg;
	const struct cli *c = s->c;

	if (s->raw) {
		/* Exactly the bytes handed to the server: nothing added, nothing decoded. */
		if (fwrite(m->body, 1, m->body_len, stdout) != m->body_len)
			return -1;
		return 1;
	}
	if (store_message_refusals(c->st, m->id, on_refusal, s) < 0 ||
	    store_message_notes(c->st, m->id, on_carried, s) < 0)
		return -1;
	if (s->n_extra > MAX_CARRIED)
		buf_printf(&s->extra, "  %-10s … and %d more (--json lists them all)\n", "",
		           s->n_extra - MAX_CARRIED);
	show_decoded(s, m);
	cli_print(&s->out);
	return 1;
}

/* A message id as written on the command line; -1 when it is not one. */
static int64_t message_number(const char *s)
{
	char *end;
	long long id = strtoll(s, &end, 10);

	return *s && !*end && id > 0 ? (int64_t)id : -1;
}

static int show_message(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"raw", no_argument, NULL, 'r'}, {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
	struct shown s = {.c = c};
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			s.raw = true;
		else if (ch == 'j')
			s.json = true;
		else
			return cli_usage_error(c->usage);
	}
	int64_t id = argc - optind == 1 ? message_number(argv[optind]) : -1;
	if (id < 0 || (s.raw && s.json))
		return cli_usage_error(c->usage);
	if (cli_open_store(c) < 0)
		return 1;
	struct store_msg_filter f = {.id = id, .bodies = true};
	int r = store_messages_find(c->st, &f, on_message, &s);
	if (r == 0)
		fprintf(stderr, "deadlinectl: no message %lld (see `deadlinectl messages`)\n",
		        (long long)id);
	else if (r < 0)
		fprintf(stderr, "deadlinectl: %s\n",
		        errno == EPIPE ? strerror(errno) : store_error(c->st));
	buf_free(&s.out);
	buf_free(&s.extra);
	buf_free(&s.extra_json);
	return r == 1 ? 0 : 1;
}

int cmd_messages(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "show")) {
		optind = 0;
		return show_message(c, argc - 1, argv + 1);
	}
	return list_messages(c, argc, argv);
}

/* ---- resend ------------------------------------------------------------------------- */

struct resend {
	struct cli *c;
	struct cfg_list to; /* --to, else the original envelope */
	int64_t new_id;
	char *msgid;
	struct buf rcpt;
	bool done;
};

static void add_address(struct resend *r, const char *addr, size_t len)
{
	char *a = xstrndup(addr, len);

	for (size_t i = 0; i < r->to.n; i++)
		if (!strcmp(r->to.v[i], a)) {
			free(a);
			return;
		}
	r->to.v = xrealloc(r->to.v, (r->to.n + 1) * sizeof(*r->to.v));
	r->to.v[r->to.n++] = a;
}

static int on_original_refusal(const char *address, int code, const char *text, time_t at,
                               void *arg)
{
	(void)code, (void)text, (void)at;
	add_address(arg, address, strlen(address));
	return 0;
}

static int resend_one(const struct store_message *m, void *arg)
{
	struct resend *r = arg;
	struct cli *c = r->c;
	struct buf body = BUF_INIT;
	char err[256];

	r->done = true;
	if (!r->to.n) {
		/* Everyone it was for: those who have it, those still waiting, those refused. */
		struct buf all = BUF_INIT;
		envelope(m, &all);
		for (const char *p = buf_str(&all); *p;) {
			size_t n = strcspn(p, ",");
			add_address(r, p, n);
			p += n + (p[n] == ',');
			p += *p == ' ';
		}
		buf_free(&all);
		if (store_message_refusals(c->st, m->id, on_original_refusal, r) < 0) {
			fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
			return 1;
		}
	}
	struct mime_addr from = {NULL, c->cfg->from_addr};
	struct mime_addr *to = xcalloc(r->to.n ? r->to.n : 1, sizeof(*to));
	for (size_t i = 0; i < r->to.n; i++) {
		to[i].addr = r->to.v[i];
		buf_printf(&r->rcpt, "%s%s", i ? "\n" : "", r->to.v[i]);
	}
	r->msgid = compose_message_id(c->cfg, c->now);
	int rc = mime_resent(&from, to, r->to.n, c->now, c->cfg->tz_offset, r->msgid, &body, err,
	                     sizeof(err));
	free(to);
	if (rc < 0) {
		fprintf(stderr, "deadlinectl: resend: %s\n", err);
		buf_free(&body);
		return 1;
	}
	buf_add(&body, m->body, m->body_len);
	rc = store_begin(c->st) < 0 ||
	     store_message_resend(c->st, m->id, r->msgid, buf_str(&r->rcpt), body.data, body.len,
	                          c->now, &r->new_id) < 0 ||
	     store_commit(c->st) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		store_rollback(c->st);
	}
	buf_free(&body);
	return rc ? 1 : 0;
}

int cmd_resend(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"to", required_argument, NULL, 't'},
	                                     {NULL, 0, NULL, 0}};
	struct resend r = {.c = c};
	int ch, rc = 2;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 't' || !mime_addr_valid(optarg)) {
			if (ch == 't')
				fprintf(stderr, "deadlinectl: --to %s: not an email address\n",
				        optarg);
			goto out;
		}
		add_address(&r, optarg, strlen(optarg));
	}
	int64_t id = argc - optind == 1 ? message_number(argv[optind]) : -1;
	if (id < 0)
		goto out;
	rc = 1;
	if (cli_open_store(c) < 0)
		goto out;
	struct store_msg_filter f = {.id = id, .bodies = true};
	if (store_messages_find(c->st, &f, resend_one, &r) != 0 || !r.done) {
		if (!r.done)
			fprintf(stderr,
			        "deadlinectl: no message %lld (see `deadlinectl messages`)\n",
			        (long long)id);
		goto out;
	}
	printf("message %lld queued again as message %lld <%s> to ", (long long)id,
	       (long long)r.new_id, r.msgid);
	for (size_t i = 0; i < r.to.n; i++)
		printf("%s%s", i ? ", " : "", r.to.v[i]);
	printf("\n");
	cli_poke_daemon(c);
	rc = 0;
out:
	if (rc == 2)
		cli_usage_error(c->usage);
	for (size_t i = 0; i < r.to.n; i++)
		free(r.to.v[i]);
	free(r.to.v);
	free(r.msgid);
	buf_free(&r.rcpt);
	return rc;
}
