/*
 * digest — see digest.h.
 *
 * The words around the data (role names, step names, statuses) come from
 * small tables per language, so templates only lay them out. The schema
 * below is the contract with the templates: a template naming anything
 * else is refused when it is loaded.
 */
#include "digest.h"

#include "date.h"
#include "policy.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOON_DAYS 7

static const struct tmpl_var item_vars[] = {
    {"title", TMPL_TEXT, NULL, "the task"},
    {"ref", TMPL_TEXT, NULL, "plan and task key, e.g. 906/QĐ-UBND:B.I.1"},
    {"plan", TMPL_TEXT, NULL, "the plan's number, e.g. 906/QĐ-UBND"},
    {"plan_title", TMPL_TEXT, NULL, "the plan's title (may be empty)"},
    {"plan_date", TMPL_TEXT, NULL, "the plan's date, dd/mm/yyyy (may be empty)"},
    {"index", TMPL_TEXT, NULL, "the task's number in the plan"},
    {"category", TMPL_TEXT, NULL, "the plan section it belongs to"},
    {"role", TMPL_TEXT, NULL, "the recipient's role: chủ trì, phối hợp, theo dõi, cấp trên"},
    {"deadline", TMPL_TEXT, NULL, "the deadline in words, e.g. trước ngày 15/12/2025"},
    {"due", TMPL_TEXT, NULL, "the last day, dd/mm/yyyy"},
    {"days_left", TMPL_TEXT, NULL, "days until the last day (empty when overdue)"},
    {"days_overdue", TMPL_TEXT, NULL, "days past the last day (empty when not overdue)"},
    {"is_today", TMPL_FLAG, NULL, "today is the last day"},
    {"timeframe", TMPL_TEXT, NULL, "the timeframe as the plan writes it"},
    {"condition", TMPL_TEXT, NULL, "a condition written beside the timeframe"},
    {"lead", TMPL_TEXT, NULL, "lead agencies, by name"},
    {"coordinating", TMPL_TEXT, NULL, "coordinating agencies, by name"},
    {"status", TMPL_TEXT, NULL, "recorded progress"},
    {"waiting", TMPL_FLAG, NULL, "the task waits on someone else"},
    {"extended", TMPL_FLAG, NULL, "the deadline was extended (gia hạn)"},
    {"extended_from", TMPL_TEXT, NULL, "the deadline before the extension"},
    {"step", TMPL_TEXT, NULL, "why this message: nhắc trước 7 ngày, quá hạn 1 ngày …"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static const struct tmpl_var top_vars[] = {
    {"recipient", TMPL_TEXT, NULL, "the agency written to"},
    {"date", TMPL_TEXT, NULL, "today, dd/mm/yyyy"},
    {"count", TMPL_TEXT, NULL, "number of tasks in the message"},
    {"count_overdue", TMPL_TEXT, NULL, "of which overdue"},
    {"count_soon", TMPL_TEXT, NULL, "of which due within 7 days"},
    {"count_upcoming", TMPL_TEXT, NULL, "of which due later"},
    {"is_reminder", TMPL_FLAG, NULL, "only reminders"},
    {"is_escalation", TMPL_FLAG, NULL, "something is overdue"},
    {"is_summary", TMPL_FLAG, NULL, "a catch-up of deadlines missed long ago"},
    {"single", TMPL_FLAG, NULL, "exactly one task"},
    {"single_title", TMPL_TEXT, NULL, "that task's title"},
    {"single_deadline", TMPL_TEXT, NULL, "that task's deadline in words"},
    {"has_overdue", TMPL_FLAG, NULL, "the overdue list is not empty"},
    {"has_soon", TMPL_FLAG, NULL, "the due-soon list is not empty"},
    {"has_upcoming", TMPL_FLAG, NULL, "the upcoming list is not empty"},
    {"overdue", TMPL_LIST, item_vars, "overdue tasks, oldest deadline first"},
    {"soon", TMPL_LIST, item_vars, "tasks due within 7 days"},
    {"upcoming", TMPL_LIST, item_vars, "tasks due later"},
    {"monitor", TMPL_TEXT, NULL, "the monitoring agency to report to"},
    {"calendar_url", TMPL_TEXT, NULL,
     "the recipient's calendar of deadlines ([mail] calendar_url), or empty"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

const struct tmpl_var *digest_schema(void)
{
	return top_vars;
}

/* ---- words -------------------------------------------------------------- */

struct words {
	const char *roles[4];
	const char *before, *on; /* "trước ngày %s", "ngày %s" */
	const char *remind_days, *remind_today, *overdue_days, *summary;
	const char *statuses[7];
	const char *joiner;
};

static const struct words vi_words = {
    {"chủ trì", "phối hợp", "theo dõi, đôn đốc", "cấp trên"},
    "trước ngày %s",
    "ngày %s",
    "nhắc trước %d ngày",
    "nhắc vào ngày hạn cuối",
    "quá hạn %d ngày",
    "tổng hợp nhiệm vụ quá hạn",
    {"chưa báo cáo", "đang thực hiện", "chờ", "hoàn thành", "chưa đạt", "đã hủy", "đã bỏ"},
    "; ",
};

static const struct words en_words = {
    {"lead", "coordinating", "monitoring", "supervising"},
    "before %s",
    "on %s",
    "reminder, %d days before",
    "reminder, last day",
    "overdue by %d days",
    "summary of overdue tasks",
    {"not reported", "in progress", "waiting", "done", "not met", "cancelled", "removed"},
    "; ",
};

struct digest_templates {
	struct tmpl *subject, *text, *html;
	const struct words *words;
};

struct digest_templates *digest_templates_load(const char *dir, const char *language,
                                               struct buf *errors)
{
	struct digest_templates *t = xcalloc(1, sizeof(*t));
	const char *files[] = {"subject.txt", "body.txt", "body.html"};
	struct tmpl **slots[] = {&t->subject, &t->text, &t->html};
	char err[512];

	t->words = strcmp(language, "en") ? &vi_words : &en_words;
	for (int i = 0; i < 3; i++) {
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s/%s", dir, language, files[i]);
		*slots[i] = tmpl_load(buf_str(&path), i == 2, top_vars, err, sizeof(err));
		if (!*slots[i])
			buf_printf(errors, "%s\n", err);
		buf_free(&path);
	}
	if (!t->subject || !t->text || !t->html) {
		digest_templates_free(t);
		return NULL;
	}
	return t;
}

void digest_templates_free(struct digest_templates *t)
{
	if (!t)
		return;
	tmpl_free(t->subject);
	tmpl_free(t->text);
	tmpl_free(t->html);
	free(t);
}

void digest_thread_root(int64_t occurrence_id, const char *agency, const char *domain, char *out,
                        size_t len)
{
	snprintf(out, len, "thread.%lld.%s@%s", (long long)occurrence_id, agency, domain);
}

/* ---- building ----------------------------------------------------------- */

enum section { SEC_OVERDUE, SEC_SOON, SEC_UPCOMING };

struct ctx {
	const struct digest_templates *tpl;
	const struct dir *d;
	const struct words *w;
	time_t now;
	int tz;
	int64_t today;
};

static enum section section_of(const struct ctx *c, const struct digest_item *it)
{
	if (it->due <= c->now)
		return SEC_OVERDUE;
	return policy_last_day(it->due, c->tz) - c->today <= SOON_DAYS ? SEC_SOON : SEC_UPCOMING;
}

/* An item's section, computed once: a big agency's digest holds hundreds of items. */
struct ranked {
	enum section section;
	size_t index;
};

static int cmp_ranked(const void *a, const void *b, void *arg)
{
	const struct ranked *rx = a, *ry = b;
	const struct digest_item *x = (const struct digest_item *)arg + rx->index,
	                         *y = (const struct digest_item *)arg + ry->index;

	if (rx->section != ry->section)
		return (int)rx->section - (int)ry->section;
	if (x->due != y->due)
		return (x->due > y->due) - (x->due < y->due);
	int c = strcmp(x->task->title, y->task->title);
	if (c)
		return c;
	return (x->occurrence_id > y->occurrence_id) - (x->occurrence_id < y->occurrence_id);
}

/* Overdue first, then due soon, then later; by deadline, then title. */
static void sort_items(const struct ctx *c, struct digest_item *items, size_t n)
{
	struct ranked *r = xcalloc(n + 1, sizeof(*r));
	struct digest_item *sorted = xcalloc(n + 1, sizeof(*sorted));

	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){section_of(c, &items[i]), i};
	qsort_r(r, n, sizeof(*r), cmp_ranked, items);
	for (size_t i = 0; i < n; i++)
		sorted[i] = items[r[i].index];
	memcpy(items, sorted, n * sizeof(*items));
	free(sorted);
	free(r);
}

/*
 * One line per occurrence, even when the recipient holds it twice (a merged
 * agency's task and its own): the closest role, the most pressing kind.
 * Items are sorted, so duplicates are adjacent.
 */
static size_t merge_same_occurrence(struct digest_item *items, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		struct digest_item *last = out ? &items[out - 1] : NULL;
		if (last && last->occurrence_id == items[i].occurrence_id) {
			if (items[i].role < last->role)
				last->role = items[i].role;
			if (items[i].kind > last->kind)
				last->kind = items[i].kind;
			continue;
		}
		items[out++] = items[i];
	}
	return out;
}

static void format_day(time_t t, int tz, char *buf, size_t len)
{
	date_format_vn(t, tz, buf, len);
}

/* "trước ngày 15/12/2025" for a 00:00 deadline, "ngày 30/06/2025" otherwise. */
static void deadline_words(const struct ctx *c, time_t due, char *buf, size_t len)
{
	struct date_civil civ;
	char day[16];

	date_split(due, c->tz, &civ);
	bool before = civ.hour == 0 && civ.minute == 0 && civ.second == 0;
	format_day(due, c->tz, day, sizeof(day));
	snprintf(buf, len, before ? c->w->before : c->w->on, day);
}

static void step_words(const struct ctx *c, const struct digest_item *it, char *buf, size_t len)
{
	int64_t late = c->today - policy_last_day(it->due, c->tz);
	int n = atoi(it->step + 1);

	if (it->kind == SCHED_SUMMARY)
		snprintf(buf, len, "%s", c->w->summary);
	else if (it->step[0] == 'r' && n == 0)
		snprintf(buf, len, "%s", c->w->remind_today);
	else if (it->step[0] == 'r')
		snprintf(buf, len, c->w->remind_days, n);
	else
		snprintf(buf, len, c->w->overdue_days, (int)(late > 0 ? late : 0));
}

/* Names of a task's agencies in one role, as they hold the duties today. */
static void party_names(const struct ctx *c, const struct task *t, enum task_role role,
                        struct buf *out)
{
	const char *seen[64];
	size_t n = 0;

	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		if (a->role != role)
			continue;
		/* A group is named as the plan wrote it, not as its twenty members. */
		const char *name = !a->resolved || a->via_group
		                       ? a->written
		                       : dir_name(c->d, dir_holder(c->d, a->agency, c->today));
		bool dup = false;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(seen[k], name);
		if (dup || n == UTIL_NELEM(seen))
			continue;
		seen[n++] = name;
		if (out->len)
			buf_adds(out, c->w->joiner);
		buf_adds(out, name);
	}
}

static void set_item(const struct ctx *c, struct tmpl_data *e, const struct digest_item *it)
{
	const struct task *t = it->task;
	char buf[256];
	struct buf names = BUF_INIT;
	int64_t days = policy_last_day(it->due, c->tz) - c->today;

	tmpl_set(e, "title", t->title);
	tmpl_setf(e, "ref", "%s:%s", t->plan_id, t->key);
	tmpl_set(e, "plan", t->plan_id);
	tmpl_set(e, "plan_title", it->plan_title ? it->plan_title : "");
	int y, m, d;
	if (it->plan_issued && sscanf(it->plan_issued, "%4d-%2d-%2d", &y, &m, &d) == 3)
		tmpl_setf(e, "plan_date", "%02d/%02d/%04d", d, m, y);
	tmpl_set(e, "index", t->idx ? t->idx : "");
	tmpl_set(e, "category", t->category ? t->category : "");
	tmpl_set(e, "role", c->w->roles[it->role]);
	deadline_words(c, it->due, buf, sizeof(buf));
	tmpl_set(e, "deadline", buf);
	format_day(date_day_start(policy_last_day(it->due, c->tz), c->tz), c->tz, buf, sizeof(buf));
	tmpl_set(e, "due", buf);
	if (it->due > c->now)
		tmpl_setf(e, "days_left", "%lld", (long long)days);
	else
		tmpl_setf(e, "days_overdue", "%lld", (long long)(days < 0 ? -days : 0));
	tmpl_set_flag(e, "is_today", days == 0 && it->due > c->now);
	tmpl_set(e, "timeframe", t->timeframe ? t->timeframe : "");
	tmpl_set(e, "condition", t->condition ? t->condition : "");
	party_names(c, t, TASK_LEAD, &names);
	tmpl_set(e, "lead", buf_str(&names));
	buf_reset(&names);
	party_names(c, t, TASK_COORD, &names);
	tmpl_set(e, "coordinating", buf_str(&names));
	buf_free(&names);
	tmpl_set(e, "status", c->w->statuses[t->status]);
	tmpl_set_flag(e, "waiting", t->status == TASK_WAITING);
	tmpl_set_flag(e, "extended", it->original_due != TF_NONE);
	if (it->original_due != TF_NONE) {
		deadline_words(c, it->original_due, buf, sizeof(buf));
		tmpl_set(e, "extended_from", buf);
	}
	step_words(c, it, buf, sizeof(buf));
	tmpl_set(e, "step", buf);
}

static void add_address(struct cfg_list *l, const char *addr)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i], addr))
			return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(addr);
}

static void free_list(struct cfg_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* An overdue task's coordinating agencies are copied on the lead's message. */
static void add_cc(const struct ctx *c, const struct digest_item *it, struct digest_msg *out)
{
	const struct task *t = it->task;

	if (it->kind == SCHED_REMINDER || it->role != ROLE_LEAD)
		return;
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		if (a->role != TASK_COORD || !a->resolved)
			continue;
		const struct cfg_list *emails =
		    dir_emails(c->d, dir_holder(c->d, a->agency, c->today));
		for (size_t k = 0; emails && k < emails->n; k++) {
			bool own = false;
			for (size_t j = 0; j < out->to.n && !own; j++)
				own = !strcasecmp(out->to.v[j], emails->v[k]);
			if (!own)
				add_address(&out->cc, emails->v[k]);
		}
	}
}

static void threading(const struct digest_item *items, size_t n, const char *domain,
                      struct digest_msg *out)
{
	char root[256];

	for (size_t i = 0; i < n && i < 10; i++) {
		digest_thread_root(items[i].occurrence_id, items[i].assigned, domain, root,
		                   sizeof(root));
		add_address(&out->references, root);
	}
	if (n && items[0].prev_msgid && items[0].prev_msgid[0]) {
		add_address(&out->references, items[0].prev_msgid);
		out->in_reply_to = xstrdup(items[0].prev_msgid);
	} else if (n) {
		digest_thread_root(items[0].occurrence_id, items[0].assigned, domain, root,
		                   sizeof(root));
		out->in_reply_to = xstrdup(root);
	}
}

static void render(const struct ctx *c, struct tmpl_data *data, struct digest_msg *out, bool bodies)
{
	struct buf b = BUF_INIT;

	tmpl_render(c->tpl->subject, data, &b);
	/* The subject is one line whatever the template's layout. */
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\n' || b.data[i] == '\r')
			b.data[i] = ' ';
	char *s = buf_steal(&b);
	out->subject = xstrdup(util_trim(s));
	free(s);
	if (!bodies)
		return;
	tmpl_render(c->tpl->text, data, &b);
	out->text = buf_steal(&b);
	tmpl_render(c->tpl->html, data, &b);
	out->html = buf_steal(&b);
}

static void build(const struct digest_templates *tpl, const struct dir *d, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, const char *domain,
                  struct digest_msg *out, bool bodies)
{
	const struct cfg *cfg = dir_cfg(d);
	struct ctx c = {
	    tpl, d, tpl->words, now, cfg->tz_offset, date_local_days(now, cfg->tz_offset)};
	static const char *const lists[] = {"overdue", "soon", "upcoming"};
	static const char *const flags[] = {"has_overdue", "has_soon", "has_upcoming"};
	int counts[3] = {0, 0, 0};
	char buf[64];

	memset(out, 0, sizeof(*out));
	sort_items(&c, items, n);
	n = merge_same_occurrence(items, n);
	out->to_name = xstrdup(dir_name(d, recipient));
	const struct cfg_list *emails = dir_emails(d, recipient);
	for (size_t i = 0; emails && i < emails->n; i++)
		add_address(&out->to, emails->v[i]);

	struct tmpl_data *data = tmpl_data_new();
	out->kind = SCHED_REMINDER;
	for (size_t i = 0; i < n; i++) {
		enum section s = section_of(&c, &items[i]);
		counts[s]++;
		if (bodies)
			set_item(&c, tmpl_add(data, lists[s]), &items[i]);
		if (items[i].kind > out->kind)
			out->kind = items[i].kind;
		add_cc(&c, &items[i], out);
	}
	tmpl_set(data, "recipient", out->to_name);
	format_day(now, c.tz, buf, sizeof(buf));
	tmpl_set(data, "date", buf);
	tmpl_setf(data, "count", "%zu", n);
	tmpl_setf(data, "count_overdue", "%d", counts[SEC_OVERDUE]);
	tmpl_setf(data, "count_soon", "%d", counts[SEC_SOON]);
	tmpl_setf(data, "count_upcoming", "%d", counts[SEC_UPCOMING]);
	for (int s = 0; s < 3; s++)
		tmpl_set_flag(data, flags[s], counts[s] > 0);
	tmpl_set_flag(data, "is_reminder", out->kind == SCHED_REMINDER);
	tmpl_set_flag(data, "is_escalation", out->kind == SCHED_ESCALATION);
	tmpl_set_flag(data, "is_summary", out->kind == SCHED_SUMMARY);
	tmpl_set_flag(data, "single", n == 1);
	if (n == 1) {
		tmpl_set(data, "single_title", items[0].task->title);
		deadline_words(&c, items[0].due, buf, sizeof(buf));
		tmpl_set(data, "single_deadline", buf);
	}
	tmpl_set(data, "monitor", cfg->monitor ? dir_name(d, cfg->monitor) : "");
	char *calendar = cfg_calendar_url(cfg, recipient);
	tmpl_set(data, "calendar_url", calendar ? calendar : "");
	free(calendar);
	render(&c, data, out, bodies);
	tmpl_data_free(data);
	threading(items, n, domain, out);
}

void digest_build(const struct digest_templates *tpl, const struct dir *d, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, const char *domain,
                  struct digest_msg *out)
{
	build(tpl, d, recipient, items, n, now, domain, out, true);
}

void digest_build_headers(const struct digest_templates *tpl, const struct dir *d,
                          const char *recipient, struct digest_item *items, size_t n, time_t now,
                          const char *domain, struct digest_msg *out)
{
	build(tpl, d, recipient, items, n, now, domain, out, false);
}

void digest_msg_free(struct digest_msg *m)
{
	free(m->subject), free(m->text), free(m->html), free(m->to_name), free(m->in_reply_to);
	free_list(&m->to);
	free_list(&m->cc);
	free_list(&m->references);
	memset(m, 0, sizeof(*m));
}
