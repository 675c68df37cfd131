/*
 * inbox — see inbox/inbox.h.
 *
 * The questions are asked in a fixed order, each able to settle the
 * message: can it be read at all, was it seen before, is it our own mail,
 * a delivery report, an automatic message; what does it answer (token,
 * thread), is the sender that agency's, are its files acceptable; what do
 * its lines say. The first answer that settles it is recorded as the
 * message's state and reason.
 */
#include "inbox/inbox.h"

#include "buf.h"
#include "compose.h"
#include "date.h"
#include "inbox/answer.h"
#include "inbox/apply.h"
#include "inbox/bounce.h"
#include "inbox/mimein.h"
#include "inbox/reply.h"
#include "inbox/token.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define HELP_EVERY  86400 /* at most one help message per sender per day */
#define MAX_TASKS   500   /* of one message, for item lookups */
#define MAX_ANSWERS 100   /* lines in a confirmation */

struct intake {
	const struct inbox_env *env;
	struct answer_env ae;
	time_t now;
	struct mimein_msg m;
	struct store_inbound in;
	struct store_message sent; /* the message answered */
	int64_t *tasks, *occs;
	size_t n_tasks;
	struct reply r;
	bool read;      /* r holds the reply's lines */
	bool bad_token; /* its token names our message but does not check: held */
	struct answer_line *done, *unread;
	size_t n_done, n_unread;
	struct buf words; /* the answer lines' texts, freed at the end */
	char **texts;
	size_t n_texts;
};

static void settle(struct intake *k, const char *kind, const char *state, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records what the message is and what became of it, with a reason for people. */
static void settle(struct intake *k, const char *kind, const char *state, const char *fmt, ...)
{
	free(k->in.kind), free(k->in.state), free(k->in.reason);
	k->in.kind = xstrdup(kind);
	k->in.state = xstrdup(state);
	k->in.reason = NULL;
	if (fmt) {
		char why[600];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		k->in.reason = xstrdup(why);
	}
}

/* A string that lives until the intake ends. */
static const char *keep(struct intake *k, const char *s)
{
	k->texts = xrealloc(k->texts, (k->n_texts + 1) * sizeof(*k->texts));
	return k->texts[k->n_texts++] = xstrdup(s ? s : "");
}

static void add_line(struct intake *k, bool done, const char *label, const char *item,
                     const char *what)
{
	struct answer_line **v = done ? &k->done : &k->unread;
	size_t *n = done ? &k->n_done : &k->n_unread;

	if (*n >= MAX_ANSWERS)
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] =
	    (struct answer_line){keep(k, label), item ? keep(k, item) : NULL, keep(k, what)};
}

/* ---- who is who ----------------------------------------------------------------- */

static bool in_list(const struct cfg_list *l, const char *addr)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (!strcasecmp(l->v[i], addr))
			return true;
	return false;
}

static bool agency_address(const struct cfg *c, const char *agency, const char *addr)
{
	const struct cfg_agency *a = cfg_agency(c, agency);

	if (a)
		return in_list(&a->emails, addr) || in_list(&a->reply_from, addr);
	const struct cfg_group *g = cfg_group(c, agency);
	return g && in_list(&g->emails, addr);
}

/* The agency an address belongs to, or NULL. */
static const char *agency_of(const struct cfg *c, const char *addr)
{
	for (size_t i = 0; addr && i < c->n_agencies; i++)
		if (agency_address(c, c->agencies[i].id, addr))
			return c->agencies[i].id;
	return NULL;
}

static bool our_own(const struct intake *k)
{
	const struct cfg *c = k->env->cfg;
	const char *id = k->m.message_id;
	const char *domain = compose_domain(c);
	size_t n = id ? strlen(id) : 0, d = strlen(domain);

	if (k->m.from_addr && !strcasecmp(k->m.from_addr, c->from_addr))
		return true;
	return id && !strncmp(id, "deadlined.", 10) && n > d + 1 && id[n - d - 1] == '@' &&
	       !strcasecmp(id + n - d, domain);
}

/* ---- what it answers ------------------------------------------------------------ */

static const char *reply_base(const struct cfg *c)
{
	return c->reply_addr ? c->reply_addr : c->from_addr;
}

/* The reply token: 1 matched, 0 none, -1 forged (settled). */
static int match_token(struct intake *k)
{
	const struct cfg *c = k->env->cfg;
	char token[TOKEN_LEN + 1], ref[TOKEN_REF_LEN + 1];
	size_t i;

	for (i = 0; i < k->m.rcpts.n; i++)
		if (token_find(k->m.rcpts.v[i], reply_base(c), token) == 0)
			break;
	if (i == k->m.rcpts.n)
		return 0;
	memcpy(ref, token, TOKEN_REF_LEN);
	ref[TOKEN_REF_LEN] = '\0';
	int found = store_message_by_ref(k->env->st, ref, &k->sent);
	if (found < 0)
		return -2;
	if (found == 0) {
		settle(k, "reply", "refused",
		       "its reply address %s names no message of ours (a forged or foreign token)",
		       k->m.rcpts.v[i]);
		return -1;
	}
	/* A token that names our message but does not check is forged — or made
	 * with a key since lost (inbox.key not restored with a backup): the
	 * admin decides (held), rather than every outstanding reply refused. */
	k->bad_token = !c->inbox.have_key ||
	               !token_check(c->inbox.key, token, k->sent.message_id, k->sent.recipient);
	free(k->in.matched_by);
	k->in.matched_by = xstrdup(k->bad_token ? "token (does not check)" : "token");
	return 1;
}

static bool agency_message(const struct store_message *m)
{
	return m->recipient && strcmp(m->recipient, "admin") && strcmp(m->recipient, "unknown");
}

/* In-Reply-To, then References from the newest: 1 matched, 0 none, -2 store error. */
static int match_thread(struct intake *k)
{
	const struct mimein_msg *m = &k->m;
	size_t n = m->references.n + (m->in_reply_to != NULL);

	for (size_t i = 0; i < n; i++) {
		const char *id =
		    i == 0 && m->in_reply_to ? m->in_reply_to : m->references.v[n - 1 - i];
		int found = store_message_by_msgid(k->env->st, id, &k->sent);
		if (found < 0)
			return -2;
		if (found && agency_message(&k->sent)) {
			free(k->in.matched_by);
			k->in.matched_by = xstrdup("thread");
			return 1;
		}
		store_message_free(&k->sent);
	}
	return 0;
}

/* ---- reading and applying ---------------------------------------------------------- */

/* "#205: Hoàn thành": a line of the footer's examples of a reply. */
static bool example_line(const char *line)
{
	const char *p = line + strspn(line, " \t");

	if (*p++ != '#' || !isdigit((unsigned char)*p))
		return false;
	p += strspn(p, "0123456789");
	return *p == ':';
}

/* Does the reply hold this line (trimmed) on a line of its own? */
static bool has_line(const char *text, const char *line)
{
	const char *l = line + strspn(line, " \t");
	size_t n = strcspn(l, "\r\n");

	while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	/* The end once: strlen() at each hit made a 4 MB reply take seconds. */
	const char *end = text + strlen(text);
	for (const char *p = text; n && (p = memmem(p, (size_t)(end - p), l, n)); p++) {
		bool starts = p == text || strchr("\n \t>", p[-1]);
		if (starts && strchr("\r\n \t", p[n]))
			return true;
	}
	return false;
}

/* Adds the text lines of one of our messages to *lines (at most 2000 in all). */
static void add_lines(const struct store_message *sm, char ***lines, size_t *n)
{
	struct mimein_msg sent;

	mimein_parse(sm->body, sm->body_len, &mimein_default_limits, &sent);
	for (char *p = sent.text, *nl; p && *p && *n < 2000; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		*lines = xrealloc(*lines, (*n + 1) * sizeof(**lines));
		(*lines)[(*n)++] = xstrndup(p, (size_t)(nl - p) + (*nl != '\n'));
	}
	mimein_free(&sent);
}

/*
 * The lines of the message answered are never read as commands: a quote
 * the client did not mark. Its examples of a reply ("#205: Hoàn thành")
 * are the exception, since an agency may well answer with one of them;
 * all of them together are a quote again. The message answered is the one
 * the token names and, when In-Reply-To names another of ours (a help
 * message or a confirmation, whose token names the reminder), that one too:
 * its examples coming back from an auto-responder set nothing.
 */
static void read_reply(struct intake *k)
{
	char **lines = NULL;
	size_t n = 0, examples = 0, copied = 0;
	struct store_message answered;

	add_lines(&k->sent, &lines, &n);
	if (k->m.in_reply_to && k->sent.message_id &&
	    strcmp(k->m.in_reply_to, k->sent.message_id) &&
	    store_message_by_msgid(k->env->st, k->m.in_reply_to, &answered) == 1) {
		add_lines(&answered, &lines, &n);
		store_message_free(&answered);
	}
	for (size_t i = 0; i < n; i++)
		if (example_line(lines[i])) {
			examples++;
			copied += has_line(k->m.text, lines[i]);
		}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (examples && copied < examples && example_line(lines[i]))
			free(lines[i]);
		else
			lines[kept++] = lines[i];
	}
	n = kept;
	reply_read(k->m.text, strlen(k->m.text), (const char *const *)lines, n, &k->r);
	k->read = true;
	free(k->in.text);
	k->in.text = xstrdup(k->r.own);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static time_t requested_due(const struct intake *k, const struct reply_cmd *c)
{
	int tz = k->env->cfg->tz_offset, y = c->year;
	struct date_civil today;

	date_split(k->now, tz, &today);
	if (!y) /* "đến 30/6": the next 30/6 */
		y = today.year +
		    ((c->month < today.month || (c->month == today.month && c->day < today.day))
		         ? 1
		         : 0);
	if (!date_valid(y, c->month, c->day))
		return TF_NONE;
	return date_day_start(date_days_from_civil(y, c->month, c->day), tz) + DATE_DAY - 1;
}

/* "#205" names the task whose code (its id) the mail showed; else the plan's numbering or key. */
static bool item_is(const char *item, const struct task *t)
{
	char a[64], b[64];

	if (item[0] == '#')
		return strtoll(item + 1, NULL, 10) == t->id;
	reply_item_key(item, a, sizeof(a));
	if (t->idx) {
		reply_item_key(t->idx, b, sizeof(b));
		if (!strcmp(a, b))
			return true;
	}
	reply_item_key(t->key, b, sizeof(b));
	return !strcmp(a, b);
}

static int add_cmd_row(struct intake *k, const struct reply_cmd *rc, int64_t task, int64_t occ,
                       const char *state, const char *detail)
{
	struct store_reply_cmd c = {
	    .inbound = k->in.id,
	    .line = rc->line,
	    .line_text = rc->text,
	    .item = rc->item,
	    .task_id = task,
	    .occurrence_id = occ,
	    .command = (char *)apply_command_name(rc->kind == REPLY_EXTEND, rc->status),
	    .note = rc->note,
	    .reason = rc->reason,
	    .new_due = rc->kind == REPLY_EXTEND ? requested_due(k, rc) : TF_NONE,
	    .state = (char *)state,
	    .detail = (char *)detail,
	};

	return store_reply_cmd_add(k->env->st, &c);
}

/*
 * The tasks of the message an item names (all of them for no item); *hit
 * malloc'ed. A bare number that is no item of the message but the code of
 * one of its tasks (the "#" forgotten) names that task — not one written as
 * an item ("Mục 3"): that is an item the message does not have.
 */
static size_t named_tasks(struct intake *k, const char *item, bool named, bool **hit)
{
	size_t n = 0;
	char *end;

	*hit = xcalloc(k->n_tasks ? k->n_tasks : 1, sizeof(**hit));
	for (size_t j = 0; j < k->n_tasks; j++) {
		struct task t;
		if (item && store_task_get(k->env->st, k->tasks[j], &t) != 1)
			continue;
		(*hit)[j] = !item || item_is(item, &t);
		n += (*hit)[j];
		if (item)
			task_free(&t);
	}
	long long code = item ? strtoll(item, &end, 10) : 0;
	for (size_t j = 0; n == 0 && item && !named && code > 0 && !*end && j < k->n_tasks; j++)
		if (k->tasks[j] == code)
			n += (*hit)[j] = true;
	return n;
}

/*
 * One row per (command, task it names). An item no task of the message has,
 * or that several have (two sections both numbered 1), is kept but not applied.
 */
static int record_commands(struct intake *k, const char *state)
{
	for (size_t i = 0; i < k->r.n_cmds; i++) {
		const struct reply_cmd *rc = &k->r.cmds[i];
		bool *hit;
		size_t hits = named_tasks(k, rc->item, rc->named, &hit);
		int r = 0;
		if (!hits || (rc->item && hits > 1))
			r = add_cmd_row(
			    k, rc, 0, 0, "unknown-item",
			    hits ? "several tasks of the message answered have this item: "
			           "write its key (e.g. A.I.1)"
			         : "no task of the message answered has this item");
		for (size_t j = 0; r == 0 && hits && !(rc->item && hits > 1) && j < k->n_tasks; j++)
			if (hit[j])
				r = add_cmd_row(k, rc, k->tasks[j], k->occs[j], state, NULL);
		free(hit);
		if (r < 0)
			return -1;
	}
	return 0;
}

static const char *unknown_item_words(const struct cfg *c, const char *detail)
{
	bool en = c->language && !strcmp(c->language, "en");

	if (detail && strstr(detail, "several"))
		return en ? "several tasks have this item number: write the task's key (e.g. A.I.1)"
		          : "nhiều nhiệm vụ cùng số mục này: xin ghi rõ mã nhiệm vụ (ví dụ A.I.1)";
	return en ? "no such item in the message answered" : "thư đã gửi không có mục này";
}

/* Applies the rows in `state` (pending, or held when accepted); fills the answer lines. */
static int apply_rows(struct intake *k, const char *state, int *applied)
{
	struct store_reply_cmd *rows;
	size_t n;
	char what[400];

	*applied = 0;
	if (store_reply_cmds(k->env->st, k->in.id, &rows, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct store_reply_cmd *c = &rows[i];
		if (!strcmp(c->state, "unknown-item")) {
			add_line(k, false, c->line_text, NULL,
			         unknown_item_words(k->env->cfg, c->detail));
			continue;
		}
		if (strcmp(c->state, state))
			continue;
		int r = apply_command(&k->ae, &k->in, c, k->now, what, sizeof(what));
		if (r < 0) {
			rc = -1;
			break;
		}
		struct task t;
		if (store_task_get(k->env->st, c->task_id, &t) == 1) {
			bool ok = r == 1 || !strcmp(c->state, "noted");
			add_line(k, ok, ok ? t.title : c->line_text, ok ? t.idx : NULL,
			         what[0] ? what : c->detail);
			task_free(&t);
		}
		*applied += r == 1 || !strcmp(c->state, "noted");
	}
	store_reply_cmds_free(rows, n);
	return rc;
}

/* ---- files ------------------------------------------------------------------------------ */

static char *attachment_dir(const struct intake *k)
{
	char *db = xstrdup(k->env->db_path);
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s/attachments/%.16s", dirname(db), k->in.hash);
	free(db);
	return buf_steal(&b);
}

static int write_file(const char *path, const unsigned char *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);

	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, data + done, n - done);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Saves the files under attachments/HASH/ beside the database (the same
 * path when the message comes again) and records them, refused ones too.
 */
static int save_attachments(struct intake *k)
{
	char *dir = attachment_dir(k);
	char *parent = xstrdup(dir);
	bool made = false;
	int rc = 0;

	for (size_t i = 0; i < k->m.n_atts && rc == 0; i++) {
		const struct mimein_att *a = &k->m.atts[i];
		struct store_attachment row = {.inbound = k->in.id,
		                               .filename = a->filename,
		                               .content_type = a->content_type,
		                               .size = (int64_t)a->size,
		                               .refused = a->refused};
		char sha[65];
		struct buf path = BUF_INIT;
		if (a->data) {
			if (!made) {
				mkdir(dirname(parent), 0750);
				made = mkdir(dir, 0750) == 0 || errno == EEXIST;
			}
			buf_printf(&path, "%s/%zu-%s", dir, i + 1, a->filename);
			token_hash(a->data, a->size, sha);
			row.sha256 = sha;
			if (made && write_file(buf_str(&path), a->data, a->size) == 0) {
				row.path = (char *)buf_str(&path);
			} else {
				log_warn("attachment %s", buf_str(&path));
				row.refused = "could not be saved (see the daemon's log)";
			}
		} else {
			add_line(k, false, a->filename, NULL, a->refused);
		}
		rc = store_attachment_add(k->env->st, &row);
		buf_free(&path);
	}
	free(parent);
	free(dir);
	return rc;
}

/* A file over the limits holds the whole reply: its words may rely on it. */
static const struct mimein_att *oversized(const struct mimein_msg *m)
{
	for (size_t i = 0; i < m->n_atts; i++)
		if (m->atts[i].too_large)
			return &m->atts[i];
	return NULL;
}

/* ---- answers ------------------------------------------------------------------------------ */

static void answer_to_of(const struct intake *k, struct answer_to *to)
{
	*to = (struct answer_to){.addr = k->in.from_addr,
	                         .name = k->in.from_name,
	                         .agency = k->in.agency,
	                         .in_reply_to = k->m.message_id ? k->m.message_id : NULL,
	                         .thread = k->sent.message_id,
	                         .subject = k->in.subject};
}

/* Adds to the stored reason what was done about it. */
static int tell(struct intake *k, const char *what)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%s%s", k->in.reason ? k->in.reason : "", k->in.reason ? "; " : "", what);
	free(k->in.reason);
	k->in.reason = buf_steal(&b);
	return store_inbound_decide(k->env->st, k->in.id, k->in.state, k->in.reason, NULL, k->now);
}

/* The help message, once a day per sender at most. */
static int help(struct intake *k)
{
	struct answer_to to;
	bool sent;
	int64_t msg = 0;

	if (store_inbound_answered(k->env->st, k->in.from_addr, "help", k->now - HELP_EVERY,
	                           &sent) < 0)
		return -1;
	if (sent)
		return tell(k, "no help message: one went to this address in the last day");
	answer_to_of(k, &to);
	for (size_t i = 0; k->read && i < k->r.n_misses; i++)
		add_line(k, false, k->r.misses[i].text, NULL, k->r.misses[i].why);
	if (answer_help(&k->ae, &to, k->unread, k->n_unread, k->now, &msg) < 0)
		return -1;
	if (!msg)
		return tell(k, "no help message: the address cannot be written to");
	free(k->in.answer_kind);
	k->in.answer = msg;
	k->in.answer_kind = xstrdup("help");
	if (store_inbound_set_answer(k->env->st, k->in.id, msg, "help") < 0)
		return -1;
	return tell(k, "a help message was sent");
}

static int confirm(struct intake *k)
{
	struct answer_to to;
	int64_t msg = 0;

	answer_to_of(k, &to);
	for (size_t i = 0; k->read && i < k->r.n_misses; i++)
		add_line(k, false, k->r.misses[i].text, NULL, k->r.misses[i].why);
	if (answer_confirmation(&k->ae, &to, k->done, k->n_done, k->unread, k->n_unread, k->now,
	                        &msg) < 0)
		return -1;
	if (!msg) /* the address cannot be written to: logged, nothing to record */
		return 0;
	return store_inbound_set_answer(k->env->st, k->in.id, msg, "confirmation");
}

/* ---- the questions, in order ------------------------------------------------------------- */

static void bounce(struct intake *k)
{
	struct bounce_rcpt *r;
	size_t n = bounce_parse(k->m.dsn, strlen(k->m.dsn), &r), bad = 0;
	struct buf list = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (!r[i].permanent)
			continue;
		bad++;
		buf_printf(&list, "%s%s (%s)", bad > 1 ? ", " : "", r[i].address,
		           r[i].status[0] ? r[i].status : r[i].action);
	}
	if (bad)
		settle(k, "bounce", "ignored",
		       "delivery report: %zu address(es) failed for good: %s", bad, buf_str(&list));
	else
		settle(k, "bounce", "ignored", "delivery report without a permanent failure");
	buf_free(&list);
	free(r);
}

static int record_bounces(struct intake *k)
{
	struct bounce_rcpt *r;
	size_t n = bounce_parse(k->m.dsn, strlen(k->m.dsn), &r);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		if (r[i].permanent)
			rc = store_bad_address(k->env->st, r[i].address,
			                       agency_of(k->env->cfg, r[i].address), r[i].status,
			                       r[i].diagnostic, k->in.id, k->now);
	free(r);
	return rc;
}

/* What the message is, before anything is matched: settled, or false to go on. */
static bool what_it_is(struct intake *k, int64_t earlier)
{
	const char *from = k->m.from_addr;

	if (k->m.problem && !(k->m.report && k->m.dsn)) {
		settle(k, "malformed", "refused", "cannot be read: %s", k->m.problem);
	} else if (earlier) {
		settle(k, "duplicate", "refused",
		       "replayed: its Message-ID was received before (#%lld) with other content",
		       (long long)earlier);
	} else if (our_own(k)) {
		settle(k, "loop", "ignored",
		       "our own message came back (a mail loop): not answered");
	} else if (k->m.report && k->m.dsn) {
		bounce(k);
	} else if (k->m.automatic) {
		settle(k, "automatic", "ignored", "an automatic message: %s; not answered",
		       k->m.automatic);
	} else if (from && (!strncasecmp(from, "mailer-daemon@", 14) ||
	                    !strncasecmp(from, "postmaster@", 11))) {
		settle(k, "automatic", "ignored", "a bounce without a delivery report (from %s)",
		       from);
	} else {
		return false;
	}
	return true;
}

/* The sender must be an address of the agency the message answered went to. */
static bool sender_checked(struct intake *k)
{
	const struct cfg *c = k->env->cfg;
	const char *from = k->m.from_addr, *agency = k->in.agency;

	if (agency_address(c, agency, from))
		return true;
	const char *other = agency_of(c, from);
	const char *name = dir_name(k->env->dir, agency) ? dir_name(k->env->dir, agency) : agency;
	if (other)
		settle(
		    k, "reply", "held",
		    "the sender %s is an address of %s, but the message answered (%s) went to %s",
		    from, dir_name(k->env->dir, other) ? dir_name(k->env->dir, other) : other,
		    k->sent.message_id, name);
	else
		settle(k, "reply", "held",
		       "the sender %s is not an address of %s in the directory (email or "
		       "reply_from): a spoofed or unknown sender",
		       from, name);
	return false;
}

static int load_tasks(struct intake *k)
{
	if (store_message_tasks(k->env->st, k->sent.id, &k->tasks, &k->occs, &k->n_tasks) < 0)
		return -1;
	if (k->n_tasks > MAX_TASKS)
		k->n_tasks = MAX_TASKS;
	return 0;
}

/* Matching and checks before the row exists: settles or leaves it a reply to apply. */
static int classify(struct intake *k, int64_t earlier)
{
	if (what_it_is(k, earlier))
		return 0;
	int t = match_token(k);
	if (t == -2 || (t == 0 && (t = match_thread(k)) == -2))
		return -1;
	if (t < 0)
		return 0;
	if (t == 0) {
		const char *who = agency_of(k->env->cfg, k->m.from_addr);
		settle(k, "unmatched", "ignored",
		       "answers no message of ours (no reply token, In-Reply-To or References "
		       "we sent)%s",
		       who ? "" : "; the sender is in no agency of the directory: not answered");
		if (who)
			k->in.agency = xstrdup(who);
		return 0;
	}
	k->in.agency = xstrdup(k->sent.recipient);
	k->in.message = k->sent.id;
	if (load_tasks(k) < 0)
		return -1;
	read_reply(k);
	if (!sender_checked(k))
		return 0;
	if (k->bad_token) {
		settle(k, "reply", "held",
		       "its reply token is not the one of message %s to %s: forged, or made with "
		       "another key (inbox.key lost or replaced)",
		       k->sent.message_id, k->sent.recipient);
		return 0;
	}
	const struct mimein_att *big = oversized(&k->m);
	if (big) {
		settle(k, "reply", "held", "the file %s is refused: %s", big->filename,
		       big->refused);
		return 0;
	}
	settle(k, "reply", "applied", NULL);
	return 0;
}

/* After the row is stored: its commands, files, effects and answer. */
static int act(struct intake *k)
{
	const char *state = k->in.state;
	int applied = 0;

	if (!strcmp(k->in.kind, "bounce"))
		return record_bounces(k);
	if (!strcmp(k->in.kind, "unmatched"))
		return k->in.agency ? help(k) : 0;
	if (strcmp(k->in.kind, "reply") || !strcmp(state, "refused"))
		return 0;
	for (size_t i = 0; i < k->n_tasks; i++)
		if (store_inbound_task(k->env->st, k->in.id, k->tasks[i], k->occs[i]) < 0)
			return -1;
	bool held = !strcmp(state, "held");
	if (record_commands(k, held ? "held" : "pending") < 0 || save_attachments(k) < 0)
		return -1;
	if (held)
		return 0;
	if (apply_rows(k, "pending", &applied) < 0)
		return -1;
	if (applied)
		return confirm(k);
	settle(k, "reply", "ignored", "no line could be read as a command");
	return help(k);
}

static void intake_free(struct intake *k)
{
	mimein_free(&k->m);
	store_inbound_free(&k->in);
	store_message_free(&k->sent);
	if (k->read)
		reply_free(&k->r);
	free(k->tasks), free(k->occs), free(k->done), free(k->unread);
	for (size_t i = 0; i < k->n_texts; i++)
		free(k->texts[i]);
	free(k->texts);
	buf_free(&k->words);
}

static void summarize(const struct intake *k, struct inbox_result *out)
{
	snprintf(out->summary, sizeof(out->summary), "#%lld from %s: %s %s%s%s",
	         (long long)k->in.id, k->in.from_addr ? k->in.from_addr : "?",
	         k->in.kind ? k->in.kind : "?", k->in.state ? k->in.state : "?",
	         k->in.reason ? ": " : "", k->in.reason ? k->in.reason : "");
}

int inbox_take(const struct inbox_env *env, const char *raw, size_t len, const char *source,
               time_t now, struct inbox_result *out)
{
	struct intake k = {.env = env, .ae = {env->st, env->cfg, env->dir}, .now = now};
	char hash[65];
	int64_t id = 0, earlier = 0;

	memset(out, 0, sizeof(*out));
	token_hash(raw, len, hash);
	mimein_parse(raw, len, &mimein_default_limits, &k.m);
	const char *msgid = k.m.message_id ? k.m.message_id : "";
	int found = store_inbound_find(env->st, msgid, hash, &id);
	if (found != 0) {
		mimein_free(&k.m);
		out->duplicate = found == 1;
		out->id = id;
		snprintf(out->summary, sizeof(out->summary),
		         "#%lld already recorded: not applied again", (long long)id);
		return found < 0 ? -1 : 0;
	}
	k.in = (struct store_inbound){.received_at = now,
	                              .source = xstrdup(source),
	                              .message_id = xstrdup(msgid),
	                              .hash = xstrdup(hash),
	                              .from_addr = k.m.from_addr ? xstrdup(k.m.from_addr) : NULL,
	                              .from_name = k.m.from_name ? xstrdup(k.m.from_name) : NULL,
	                              .subject = k.m.subject ? xstrdup(k.m.subject) : NULL};
	int rc = store_begin(env->st);
	if (rc == 0 && *msgid && store_inbound_by_msgid(env->st, msgid, &earlier) < 0)
		rc = -1;
	if (rc == 0)
		rc = classify(&k, earlier);
	if (rc == 0)
		rc = store_inbound_add(env->st, &k.in);
	if (rc == 0)
		rc = act(&k);
	if (rc == 0)
		rc = store_commit(env->st);
	if (rc < 0)
		store_rollback(env->st);
	out->id = k.in.id;
	out->changed = rc == 0; /* a level, an answer, a bad address for the admin's summary */
	summarize(&k, out);
	intake_free(&k);
	return rc;
}

/* ---- held replies ---------------------------------------------------------------------- */

static int load_held(struct intake *k, int64_t id, struct inbox_result *out)
{
	int found = store_inbound_get(k->env->st, id, &k->in);

	if (found < 0)
		return -1;
	if (!found || strcmp(k->in.state, "held")) {
		snprintf(out->summary, sizeof(out->summary), "#%lld is %s, not held", (long long)id,
		         found ? k->in.state : "unknown");
		return 0;
	}
	if (k->in.message && store_message_get(k->env->st, k->in.message, &k->sent) < 0)
		return -1;
	return 1;
}

int inbox_accept(const struct inbox_env *env, int64_t id, const char *who, time_t now,
                 struct inbox_result *out)
{
	struct intake k = {.env = env, .ae = {env->st, env->cfg, env->dir}, .now = now};
	int applied = 0;

	memset(out, 0, sizeof(*out));
	if (store_begin(env->st) < 0)
		return -1;
	int rc = load_held(&k, id, out);
	if (rc == 1)
		rc = apply_rows(&k, "held", &applied);
	if (rc == 0 && k.in.id && !strcmp(k.in.state, "held"))
		rc = store_inbound_decide(env->st, id, "accepted", NULL, who, now);
	if (rc == 0 && k.in.id && !strcmp(k.in.state, "held") && applied && k.in.from_addr)
		rc = confirm(&k);
	if (rc == 0)
		rc = store_commit(env->st);
	if (rc < 0) {
		store_rollback(env->st);
	} else if (k.in.id && !strcmp(k.in.state, "held")) {
		snprintf(out->summary, sizeof(out->summary), "#%lld accepted: %d command%s applied",
		         (long long)id, applied, applied == 1 ? "" : "s");
		out->changed = true;
		out->id = id;
	}
	intake_free(&k);
	return rc < 0 ? -1 : out->changed ? 0 : 1;
}

int inbox_reject(const struct inbox_env *env, int64_t id, const char *who, const char *why,
                 time_t now, struct inbox_result *out)
{
	struct intake k = {.env = env, .ae = {env->st, env->cfg, env->dir}, .now = now};
	struct store_reply_cmd *rows = NULL;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (store_begin(env->st) < 0)
		return -1;
	int rc = load_held(&k, id, out);
	if (rc == 1)
		rc = store_reply_cmds(env->st, id, &rows, &n);
	for (size_t i = 0; rc == 0 && k.in.id && i < n; i++)
		if (!strcmp(rows[i].state, "held"))
			rc = store_reply_cmd_set_state(env->st, rows[i].id, "rejected", why);
	if (rc == 0 && k.in.id && !strcmp(k.in.state, "held"))
		rc = store_inbound_decide(env->st, id, "rejected", why, who, now);
	if (rc == 0)
		rc = store_commit(env->st);
	if (rc < 0) {
		store_rollback(env->st);
	} else if (k.in.id && !strcmp(k.in.state, "held")) {
		snprintf(out->summary, sizeof(out->summary), "#%lld rejected", (long long)id);
		out->changed = true;
		out->id = id;
	}
	store_reply_cmds_free(rows, n);
	intake_free(&k);
	return rc < 0 ? -1 : out->changed ? 0 : 1;
}
