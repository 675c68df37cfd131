/*
 * digest — see digest.h.
 *
 * The words around the data (role names, kinds of document, the role each
 * recipient holds) come from small tables per language; the sentences that
 * ask something of the reader live in the templates, so an admin can
 * reword them. The schema below is the contract with the templates: a
 * template naming anything else is refused when it is loaded.
 */
#include "digest.h"

#include "date.h"
#include "policy.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOON_DAYS 7

static const struct tmpl_var item_vars[] = {
    {"n", TMPL_TEXT, NULL, "the item's number in the message: 1, 2, …"},
    {"id", TMPL_TEXT, NULL, "the task's number, to quote in a reply (e.g. 205)"},
    {"title", TMPL_TEXT, NULL, "the task"},
    {"ref", TMPL_TEXT, NULL, "plan and task key, e.g. 906/QĐ-UBND:B.I.1"},
    {"plan", TMPL_TEXT, NULL,
     "the plan by kind, number, date and title: Kế hoạch số 119/KH-UBND ngày 09/10/2020 …"},
    {"plan_number", TMPL_TEXT, NULL, "the plan's number, e.g. 906/QĐ-UBND (may be empty)"},
    {"plan_title", TMPL_TEXT, NULL, "the plan's title (may be empty)"},
    {"plan_date", TMPL_TEXT, NULL, "the plan's date, dd/mm/yyyy (may be empty)"},
    {"index", TMPL_TEXT, NULL, "the task's number in the plan (mục)"},
    {"category", TMPL_TEXT, NULL, "the plan section it belongs to"},
    {"role", TMPL_TEXT, NULL, "the recipient's role: chủ trì, phối hợp, theo dõi, chỉ đạo"},
    {"is_lead", TMPL_FLAG, NULL, "the recipient leads the task: to act and report"},
    {"is_coord", TMPL_FLAG, NULL, "the recipient coordinates: to work with the lead"},
    {"is_monitor", TMPL_FLAG, NULL, "the recipient monitors the plan: informed, to chase"},
    {"is_supervisor", TMPL_FLAG, NULL, "the recipient supervises the lead: informed, to direct"},
    {"is_periodic", TMPL_FLAG, NULL,
     "a recurring duty (yearly … weekly): the deadline is this period's, the lead is asked "
     "for this period's work and report, not to complete the task"},
    {"report_to", TMPL_TEXT, NULL,
     "whom the lead reports to: the plan's monitoring agency, or above it when the "
     "recipient is that agency (empty at the top)"},
    {"taken_over_from", TMPL_TEXT, NULL,
     "the agency whose duty the recipient took over (a reorganisation), or empty"},
    {"deadline", TMPL_TEXT, NULL, "the deadline in words, e.g. trước ngày 15/12/2025"},
    {"due", TMPL_TEXT, NULL, "the last day, dd/mm/yyyy"},
    {"days_left", TMPL_TEXT, NULL, "days until the last day (empty when overdue or today)"},
    {"is_today", TMPL_FLAG, NULL, "today is the last day"},
    {"is_overdue", TMPL_FLAG, NULL, "the deadline has passed"},
    {"overdue_since", TMPL_TEXT, NULL, "the first day overdue, dd/mm/yyyy (empty if not)"},
    {"timeframe", TMPL_TEXT, NULL, "the timeframe as the plan writes it"},
    {"condition", TMPL_TEXT, NULL, "a condition written beside the timeframe"},
    {"lead", TMPL_TEXT, NULL, "lead agencies, by name"},
    {"coordinating", TMPL_TEXT, NULL, "coordinating agencies, by name"},
    {"status", TMPL_TEXT, NULL, "recorded progress"},
    {"waiting", TMPL_FLAG, NULL, "the task waits on someone else"},
    {"extended", TMPL_FLAG, NULL, "the deadline was extended (gia hạn)"},
    {"extended_from", TMPL_TEXT, NULL, "the deadline before the extension"},
    {"is_catchup", TMPL_FLAG, NULL, "brought by a reminder step missed earlier (catch-up)"},
    {"brief", TMPL_FLAG, NULL,
     "shown on one line: past the first 30 items only n, id, title, plan_short, index, role, "
     "deadline, is_overdue, overdue_since, days_left and is_today are set"},
    {"plan_short", TMPL_TEXT, NULL, "the plan's number, else the start of its name"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static const struct tmpl_var more_vars[] = {
    {"plan_short", TMPL_TEXT, NULL, "the plan's number, else the start of its name"},
    {"count", TMPL_TEXT, NULL, "tasks of that plan not listed"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static const struct tmpl_var section_vars[] = {
    {"is_overdue", TMPL_FLAG, NULL, "the overdue section"},
    {"is_soon", TMPL_FLAG, NULL, "the due-soon section (7 days or less)"},
    {"is_upcoming", TMPL_FLAG, NULL, "the section of later deadlines"},
    {"count", TMPL_TEXT, NULL, "tasks in the section"},
    {"items", TMPL_LIST, item_vars, "its tasks, by deadline"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static const struct tmpl_var top_vars[] = {
    {"recipient", TMPL_TEXT, NULL, "the agency written to"},
    {"date", TMPL_TEXT, NULL, "today, dd/mm/yyyy"},
    {"kind", TMPL_TEXT, NULL, "Quá hạn when a task is overdue, else Sắp đến hạn"},
    {"first_deadline", TMPL_TEXT, NULL,
     "the deadline of the first task (the most pressing), dd/mm/yyyy"},
    {"count", TMPL_TEXT, NULL, "number of tasks in the message"},
    {"count_overdue", TMPL_TEXT, NULL, "of which overdue"},
    {"count_soon", TMPL_TEXT, NULL, "of which due within 7 days"},
    {"count_upcoming", TMPL_TEXT, NULL, "of which due later"},
    {"is_reminder", TMPL_FLAG, NULL, "nothing is overdue"},
    {"is_escalation", TMPL_FLAG, NULL, "something is overdue"},
    {"is_catchup", TMPL_FLAG, NULL, "some tasks come from reminder steps missed earlier"},
    {"single", TMPL_FLAG, NULL, "exactly one task"},
    {"single_title", TMPL_TEXT, NULL, "that task's title"},
    {"only_plan", TMPL_TEXT, NULL,
     "the number of the one plan every task belongs to (e.g. 119/KH-UBND), for the subject; "
     "empty when they are of several plans or it has no number"},
    {"single_deadline", TMPL_TEXT, NULL, "that task's deadline in words"},
    {"has_overdue", TMPL_FLAG, NULL, "some task is overdue"},
    {"has_soon", TMPL_FLAG, NULL, "some task is due within 7 days"},
    {"has_upcoming", TMPL_FLAG, NULL, "some task is due later"},
    {"sections", TMPL_LIST, section_vars, "overdue, due soon, later: those not empty"},
    {"roles", TMPL_TEXT, NULL, "the recipient's roles in these tasks, in words (why it gets this)"},
    {"has_lead", TMPL_FLAG, NULL, "the recipient leads one of the tasks"},
    {"has_brief", TMPL_FLAG, NULL, "some items are shown on one line (more than 30)"},
    {"has_more", TMPL_FLAG, NULL, "more than 200 tasks: those after are only counted"},
    {"count_more", TMPL_TEXT, NULL, "how many are only counted"},
    {"more_plans", TMPL_LIST, more_vars, "those counted, by plan"},
    {"first_id", TMPL_TEXT, NULL, "the first task's number, for the reply example"},
    {"example_date", TMPL_TEXT, NULL,
     "a date for the reply example of an extension: the end of the next quarter, dd/mm/yyyy"},
    {"monitor", TMPL_TEXT, NULL, "the default monitoring agency"},
    {"sender", TMPL_TEXT, NULL, "the sender's name ([mail] from)"},
    {"reply_to", TMPL_TEXT, NULL, "where replies go ([mail] reply_to, else from)"},
    {"contact_name", TMPL_TEXT, NULL, "the person to call ([mail] contact_name)"},
    {"contact_phone", TMPL_TEXT, NULL, "their phone ([mail] contact_phone)"},
    {"calendar_url", TMPL_TEXT, NULL,
     "the recipient's calendar of deadlines ([mail] calendar_url), or empty"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

const struct tmpl_var *digest_schema(void)
{
	return top_vars;
}

/* ---- words -------------------------------------------------------------- */

/* A kind of document, by the symbol after its number ("906/QĐ-UBND": QĐ). */
struct doc_kind {
	const char *symbol; /* folded */
	const char *vi, *en;
};

static const struct doc_kind doc_kinds[] = {
    {"kh", "Kế hoạch", "Plan"},     {"qd", "Quyết định", "Decision"},
    {"ct", "Chỉ thị", "Directive"}, {"nq", "Nghị quyết", "Resolution"},
    {"tb", "Thông báo", "Notice"},  {"ctr", "Chương trình", "Programme"},
    {NULL, "Văn bản", "Document"},
};

struct words {
	const char *lang;
	const char *roles[4];       /* as a label */
	const char *roles_held[4];  /* "why you get this" */
	const char *before, *on;    /* "trước ngày %s", "ngày %s" */
	const char *number, *dated; /* " số %s", " ngày %s" */
	const char *issued_on; /* " ban hành ngày %s": after the title of a plan with no number */
	const char *plan;      /* a plan with no number */
	const char *overdue, *due_soon;
	const char *tasks; /* "%zu nhiệm vụ" */
	const char *statuses[8];
	const char *joiner;
};

static const struct words vi_words = {
    "vi",
    {"chủ trì", "phối hợp", "theo dõi, đôn đốc", "chỉ đạo"},
    {"chủ trì thực hiện", "phối hợp thực hiện", "theo dõi, đôn đốc thực hiện", "chỉ đạo thực hiện"},
    "trước ngày %s",
    "ngày %s",
    " số %s",
    " ngày %s",
    " ban hành ngày %s",
    "Kế hoạch",
    "Quá hạn",
    "Sắp đến hạn",
    "%zu nhiệm vụ",
    {"chưa báo cáo", "đang thực hiện", "chờ", "hoàn thành", "chưa đạt", "đã hủy", "đã bỏ",
     "không thực hiện đúng hạn"},
    "; ",
};

static const struct words en_words = {
    "en",
    {"lead", "coordinating", "monitoring", "supervising"},
    {"lead", "coordinate", "monitor", "supervise"},
    "before %s",
    "on %s",
    " %s",
    " of %s",
    " of %s",
    "Plan",
    "Overdue",
    "Due soon",
    "%zu tasks",
    {"not reported", "in progress", "waiting", "done", "not met", "cancelled", "removed", "missed"},
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

/* ---- the plan's name ------------------------------------------------------ */

/* "906/QĐ-UBND" is a document number: digits, a slash, a symbol. */
static bool is_doc_number(const char *id)
{
	size_t digits = strspn(id, "0123456789");

	return digits > 0 && id[digits] == '/' && id[digits + 1] &&
	       !isspace((unsigned char)id[digits + 1]);
}

static const struct doc_kind *doc_kind_of(const char *number)
{
	char fold[32];
	const char *slash = strchr(number, '/');
	size_t n = text_fold(slash + 1, strcspn(slash + 1, "-/ "), fold, NULL, sizeof(fold));

	fold[n] = '\0';
	for (const struct doc_kind *k = doc_kinds; k->symbol; k++)
		if (!strcmp(fold, k->symbol))
			return k;
	return &doc_kinds[UTIL_NELEM(doc_kinds) - 1];
}

/* The code point at s, and its length; 0 for an invalid or ASCII byte run. */
static unsigned decode(const unsigned char *s, int *len)
{
	if (s[0] >= 0xC0 && s[0] < 0xE0 && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] >= 0xE0 && s[0] < 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*len = 3;
		return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*len = 1;
	return s[0];
}

static void encode(unsigned cp, struct buf *out)
{
	if (cp < 0x80) {
		buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(out, (char)(0xC0 | cp >> 6));
		buf_addc(out, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addc(out, (char)(0xE0 | cp >> 12));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3F)));
		buf_addc(out, (char)(0x80 | (cp & 0x3F)));
	}
}

/* The lowercase of a Vietnamese capital (Latin-1, Ă Đ Ơ Ư, the Vietnamese block). */
static unsigned lower_vi(unsigned cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
		return cp + 0x20;
	if (cp == 0x102 || cp == 0x110 || cp == 0x1A0 || cp == 0x1AF)
		return cp + 1;
	if (cp >= 0x1EA0 && cp <= 0x1EF9 && cp % 2 == 0)
		return cp + 1;
	return cp;
}

/* A Vietnamese title continues the phrase "Kế hoạch số … ngày …": its first
 * letter lowercased, without the kind of document it may start with
 * ("Kế hoạch triển khai …" → "Kế hoạch số 119/KH-UBND ngày … triển khai …"). */
static void add_title(const char *kind, const char *title, struct buf *out)
{
	char fk[64], ft[64];
	size_t nk = text_fold(kind, strlen(kind), fk, NULL, sizeof(fk));
	size_t nt = text_fold(title, strlen(title), ft, NULL, sizeof(ft));
	uint32_t map[64];

	fk[nk] = ft[nt] = '\0';
	if (nt > nk && !strncmp(ft, fk, nk) && ft[nk] == ' ') {
		text_fold(title, strlen(title), ft, map, sizeof(ft));
		title += map[nk + 1];
	}
	int len, len2;
	unsigned cp = decode((const unsigned char *)title, &len);
	unsigned next = title[len] ? decode((const unsigned char *)title + len, &len2) : ' ';
	buf_addc(out, ' ');
	/* "UBND", "KH-MUC", "CNTT 2025": a word in capitals keeps them. */
	encode(lower_vi(next) != next || next == '-' || (next >= '0' && next <= '9') ? cp
	                                                                             : lower_vi(cp),
	       out);
	buf_adds(out, title + len);
}

void digest_plan_name(const char *language, const char *plan_id, const char *title,
                      const char *issued, struct buf *out)
{
	bool en = language && !strcmp(language, "en");
	const struct words *w = en ? &en_words : &vi_words;
	bool numbered = plan_id && is_doc_number(plan_id);
	const struct doc_kind *k = numbered ? doc_kind_of(plan_id) : NULL;
	const char *kind = k ? (en ? k->en : k->vi) : w->plan;
	int y, m, d;

	char day[16] = "";

	if (!numbered && (!title || !*title))
		return; /* an id that is no number (a file name) is never shown */
	if (issued && sscanf(issued, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(day, sizeof(day), "%02d/%02d/%04d", d, m, y);
	buf_adds(out, kind);
	if (numbered) { /* "Kế hoạch số 119/KH-UBND ngày 09/10/2020 triển khai …" */
		buf_printf(out, w->number, plan_id);
		if (day[0])
			buf_printf(out, w->dated, day);
		if (title && *title && en)
			buf_printf(out, ": %s", title);
		else if (title && *title)
			add_title(kind, title, out);
		return;
	}
	/* No number: "Kế hoạch thử nghiệm nhắc việc ban hành ngày 15/04/2025". */
	if (en)
		buf_printf(out, " %s", title);
	else
		add_title(kind, title, out);
	if (day[0])
		buf_printf(out, w->issued_on, day);
}

/* ---- building ----------------------------------------------------------- */

enum section { SEC_OVERDUE, SEC_SOON, SEC_UPCOMING };

struct ctx {
	const struct digest_templates *tpl;
	const struct dir *d;
	const struct cfg *cfg;
	const struct words *w;
	const char *recipient;
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
	/* Same deadline: in the order the tasks were stored, i.e. the plan's own. */
	if (x->task->id != y->task->id)
		return (x->task->id > y->task->id) - (x->task->id < y->task->id);
	if (x->occurrence_id != y->occurrence_id)
		return (x->occurrence_id > y->occurrence_id) -
		       (x->occurrence_id < y->occurrence_id);
	return (int)x->role - (int)y->role;
}

/* Overdue first, then due soon, then later; by deadline, then in plan order. */
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
 * agency's task and its own, or several steps caught up at once): the
 * closest role, the most pressing kind, a thread if any has one. Items are
 * sorted, so duplicates are adjacent.
 */
static size_t merge_same_occurrence(struct digest_item *items, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		struct digest_item *last = out ? &items[out - 1] : NULL;
		if (last && last->occurrence_id == items[i].occurrence_id) {
			if (items[i].role < last->role) {
				last->role = items[i].role;
				last->assigned = items[i].assigned;
			}
			if (items[i].kind > last->kind)
				last->kind = items[i].kind;
			if ((!last->prev_msgid || !*last->prev_msgid) && items[i].prev_msgid)
				last->prev_msgid = items[i].prev_msgid;
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

static bool at_midnight(time_t t, int tz)
{
	struct date_civil civ;

	date_split(t, tz, &civ);
	return civ.hour == 0 && civ.minute == 0 && civ.second == 0;
}

/* The date a deadline is written with: D of "trước ngày D", else the due day. */
static void deadline_date(const struct ctx *c, time_t due, char *buf, size_t len)
{
	format_day(due, c->tz, buf, len);
}

/* "trước ngày 15/12/2025" for a 00:00 deadline, "ngày 30/06/2025" otherwise. */
static void deadline_words(const struct ctx *c, time_t due, char *buf, size_t len)
{
	char day[16];

	deadline_date(c, due, day, sizeof(day));
	snprintf(buf, len, at_midnight(due, c->tz) ? c->w->before : c->w->on, day);
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
		/* "phối hợp với các sở, ban, ngành": a collective as written
		 * ("Các sở, ban, ngành" opens its cell) is no proper name. */
		if (!strncmp(name, "Các ", strlen("Các ")))
			buf_adds(out, "các "), name += strlen("Các ");
		buf_adds(out, name);
	}
}

/*
 * Whom a lead reports to: the plan's monitoring agency as it is today;
 * when the recipient is that agency, the one above it; nobody when the
 * recipient is above the monitoring agency (UBND tỉnh).
 */
static const char *report_to(const struct ctx *c, const struct digest_item *it)
{
	const char *monitor = it->monitor ? it->monitor : c->cfg->monitor;
	const char *up[4];

	if (!monitor)
		return NULL;
	monitor = dir_holder(c->d, monitor, c->today);
	/* Nobody reports down the chain: UBND tỉnh leading a task is not asked to
	 * report to its own department. */
	size_t n_up = dir_supervisors(c->d, monitor, up, UTIL_NELEM(up));
	for (size_t i = 0; i < n_up; i++)
		if (!strcmp(up[i], c->recipient))
			return NULL;
	if (strcmp(monitor, c->recipient) != 0)
		return monitor;
	if (dir_supervisors(c->d, c->recipient, up, UTIL_NELEM(up)) > 0 &&
	    strcmp(up[0], c->recipient) != 0)
		return up[0];
	return NULL;
}

/* The plan in few words: its number, else the start of its name. */
static void plan_short(const struct ctx *c, const struct digest_item *it, struct buf *out)
{
	if (is_doc_number(it->task->plan_id)) {
		buf_adds(out, it->task->plan_id);
		return;
	}
	struct buf name = BUF_INIT;
	digest_plan_name(c->w->lang, it->task->plan_id, it->plan_title, NULL, &name);
	size_t cut = 0, chars = 0;
	for (size_t i = 0; i < name.len && chars <= 48; i++)
		if (((unsigned char)name.data[i] & 0xC0) != 0x80 && ++chars <= 48 &&
		    name.data[i] == ' ')
			cut = i;
	if (chars > 48 && cut) {
		buf_add(out, name.data, cut);
		buf_adds(out, "…");
	} else {
		buf_add(out, name.data, name.len);
	}
	buf_free(&name);
}

/* What every item says, in full or on one line. */
static void set_item_common(const struct ctx *c, struct tmpl_data *e, const struct digest_item *it,
                            size_t number)
{
	const struct task *t = it->task;
	char buf[256];
	int64_t last = policy_last_day(it->due, c->tz);
	int64_t days = last - c->today;
	bool overdue = it->due <= c->now;

	tmpl_setf(e, "n", "%zu", number);
	tmpl_setf(e, "id", "%lld", (long long)t->id);
	tmpl_set(e, "title", t->title);
	/* "mục 3." reads "mục 3" in a sentence. */
	size_t idx_len = t->idx ? strlen(t->idx) : 0;
	while (idx_len && t->idx[idx_len - 1] == '.')
		idx_len--;
	tmpl_setf(e, "index", "%.*s", (int)idx_len, t->idx ? t->idx : "");
	tmpl_set(e, "role", c->w->roles[it->role]);
	deadline_words(c, it->due, buf, sizeof(buf));
	tmpl_set(e, "deadline", buf);
	tmpl_set_flag(e, "is_overdue", overdue);
	tmpl_set_flag(e, "is_today", days == 0 && !overdue);
	if (!overdue && days > 0)
		tmpl_setf(e, "days_left", "%lld", (long long)days);
	if (overdue) {
		/* Overdue from the day after the last one: a date, never "1834 days". */
		format_day(date_day_start(last + 1, c->tz), c->tz, buf, sizeof(buf));
		tmpl_set(e, "overdue_since", buf);
	}
}

static void set_item(const struct ctx *c, struct tmpl_data *e, const struct digest_item *it,
                     size_t number)
{
	const struct task *t = it->task;
	char buf[256];
	struct buf names = BUF_INIT;

	set_item_common(c, e, it, number);
	if (number > DIGEST_FULL_ITEMS) {
		tmpl_set_flag(e, "brief", true);
		plan_short(c, it, &names);
		tmpl_set(e, "plan_short", buf_str(&names));
		buf_free(&names);
		return;
	}
	tmpl_setf(e, "ref", "%s:%s", t->plan_id, t->key);
	digest_plan_name(c->w->lang, t->plan_id, it->plan_title, it->plan_issued, &names);
	tmpl_set(e, "plan", buf_str(&names));
	buf_reset(&names);
	plan_short(c, it, &names);
	tmpl_set(e, "plan_short", buf_str(&names));
	buf_reset(&names);
	tmpl_set(e, "plan_number", is_doc_number(t->plan_id) ? t->plan_id : "");
	tmpl_set(e, "plan_title", it->plan_title ? it->plan_title : "");
	int y, m, d;
	if (it->plan_issued && sscanf(it->plan_issued, "%4d-%2d-%2d", &y, &m, &d) == 3)
		tmpl_setf(e, "plan_date", "%02d/%02d/%04d", d, m, y);
	tmpl_set(e, "category", t->category ? t->category : "");
	tmpl_set_flag(e, "is_lead", it->role == ROLE_LEAD);
	tmpl_set_flag(e, "is_coord", it->role == ROLE_COORD);
	tmpl_set_flag(e, "is_monitor", it->role == ROLE_MONITOR);
	tmpl_set_flag(e, "is_supervisor", it->role == ROLE_SUPERVISOR);
	tmpl_set_flag(e, "is_periodic", tf_recurring(t->kind));
	const char *to = report_to(c, it);
	tmpl_set(e, "report_to", to ? dir_name(c->d, to) : "");
	if (it->assigned && strcmp(it->assigned, c->recipient) != 0)
		tmpl_set(e, "taken_over_from", dir_name(c->d, it->assigned));
	format_day(date_day_start(policy_last_day(it->due, c->tz), c->tz), c->tz, buf, sizeof(buf));
	tmpl_set(e, "due", buf);
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
	tmpl_set_flag(e, "is_catchup", it->kind == SCHED_SUMMARY);
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

/* Only messages this recipient was sent: the most pressing item's thread first. */
static void threading(const struct digest_item *items, size_t n, struct digest_msg *out)
{
	for (size_t i = 0; i < n && out->references.n < 10; i++) {
		const char *id = items[i].prev_msgid;
		if (!id || !*id)
			continue;
		if (!out->in_reply_to)
			out->in_reply_to = xstrdup(id);
		add_address(&out->references, id);
	}
}

/*
 * The subject is one line, at most DIGEST_SUBJECT_MAX characters: the
 * template puts the kind and date first, so a cut (at a word, with "…")
 * only shortens the title.
 */
static char *subject_line(struct buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == '\n' || b->data[i] == '\r' || b->data[i] == '\t')
			b->data[i] = ' ';
	char *s = buf_steal(b), *t = util_trim(s);
	size_t chars = 0, cut = 0, space = 0;

	for (size_t i = 0; t[i]; i++) {
		if (((unsigned char)t[i] & 0xC0) == 0x80)
			continue;
		if (chars == DIGEST_SUBJECT_MAX - 1)
			cut = i;
		if (t[i] == ' ' && chars < DIGEST_SUBJECT_MAX - 1)
			space = i;
		chars++;
	}
	struct buf out = BUF_INIT;
	if (chars > DIGEST_SUBJECT_MAX) {
		size_t end = space > cut / 2 ? space : cut;
		while (end && t[end - 1] == ' ')
			end--;
		buf_add(&out, t, end);
		buf_adds(&out, "…");
	} else {
		buf_adds(&out, t);
	}
	free(s);
	return buf_steal(&out);
}

static void render(const struct ctx *c, struct tmpl_data *data, struct digest_msg *out, bool bodies)
{
	struct buf b = BUF_INIT;

	tmpl_render(c->tpl->subject, data, &b);
	out->subject = subject_line(&b);
	if (!bodies)
		return;
	tmpl_render(c->tpl->text, data, &b);
	out->text = buf_steal(&b);
	tmpl_render(c->tpl->html, data, &b);
	out->html = buf_steal(&b);
}

/* The roles the recipient holds in these items, in words: why it gets the mail. */
static void roles_held(const struct ctx *c, const bool held[4], struct buf *out)
{
	for (int r = 0; r < 4; r++) {
		if (!held[r])
			continue;
		if (out->len)
			buf_adds(out, ", ");
		buf_adds(out, c->w->roles_held[r]);
	}
}

/* The number of the plan all items are of, or "": a subject cut at 90
 * characters must still say which plan it is about. */
static const char *only_plan(const struct digest_item *items, size_t n)
{
	if (n == 0 || !is_doc_number(items[0].task->plan_id))
		return "";
	for (size_t i = 1; i < n; i++)
		if (strcmp(items[i].task->plan_id, items[0].task->plan_id))
			return "";
	return items[0].task->plan_id;
}

static void set_top(const struct ctx *c, struct tmpl_data *data, struct digest_item *items,
                    size_t n, size_t n_all, const int counts[3], const bool held[4])
{
	const struct cfg *cfg = c->cfg;
	char buf[256];
	struct buf b = BUF_INIT;

	format_day(c->now, c->tz, buf, sizeof(buf));
	tmpl_set(data, "date", buf);
	tmpl_set(data, "kind", counts[SEC_OVERDUE] ? c->w->overdue : c->w->due_soon);
	if (n) {
		deadline_date(c, items[0].due, buf, sizeof(buf));
		tmpl_set(data, "first_deadline", buf);
		tmpl_setf(data, "first_id", "%lld", (long long)items[0].task->id);
	}
	/* Never a date already past: the example is copied as it is. */
	tmpl_set(data, "example_date",
	         date_format_next_quarter_end(c->now, c->tz, buf, sizeof(buf)));
	tmpl_setf(data, "count", "%zu", n);
	tmpl_setf(data, "count_overdue", "%d", counts[SEC_OVERDUE]);
	tmpl_setf(data, "count_soon", "%d", counts[SEC_SOON]);
	tmpl_setf(data, "count_upcoming", "%d", counts[SEC_UPCOMING]);
	tmpl_set_flag(data, "has_overdue", counts[SEC_OVERDUE] > 0);
	tmpl_set_flag(data, "has_soon", counts[SEC_SOON] > 0);
	tmpl_set_flag(data, "has_upcoming", counts[SEC_UPCOMING] > 0);
	tmpl_set_flag(data, "is_reminder", counts[SEC_OVERDUE] == 0);
	tmpl_set_flag(data, "is_escalation", counts[SEC_OVERDUE] > 0);
	bool catchup = false;
	for (size_t i = 0; i < n_all && !catchup; i++)
		catchup = items[i].kind == SCHED_SUMMARY;
	tmpl_set_flag(data, "is_catchup", catchup);
	tmpl_set(data, "only_plan", only_plan(items, n_all));
	tmpl_set_flag(data, "single", n == 1);
	if (n == 1) {
		tmpl_set(data, "single_title", items[0].task->title);
		deadline_words(c, items[0].due, buf, sizeof(buf));
		tmpl_set(data, "single_deadline", buf);
	}
	roles_held(c, held, &b);
	tmpl_set(data, "roles", buf_str(&b));
	buf_free(&b);
	tmpl_set_flag(data, "has_lead", held[ROLE_LEAD]);
	tmpl_set_flag(data, "has_brief", n > DIGEST_FULL_ITEMS);
	tmpl_set(data, "monitor", cfg->monitor ? dir_name(c->d, cfg->monitor) : "");
	tmpl_set(data, "sender", cfg->from_name ? cfg->from_name : "");
	tmpl_set(data, "reply_to", cfg->reply_addr ? cfg->reply_addr : cfg->from_addr);
	tmpl_set(data, "contact_name", cfg->contact_name ? cfg->contact_name : "");
	tmpl_set(data, "contact_phone", cfg->contact_phone ? cfg->contact_phone : "");
	char *calendar = cfg_calendar_url(cfg, c->recipient);
	tmpl_set(data, "calendar_url", calendar ? calendar : "");
	free(calendar);
}

/* The items not listed, counted by plan (items are few plans' at most). */
static void count_more(const struct ctx *c, struct tmpl_data *data, const struct digest_item *it,
                       size_t n)
{
	struct plan_count {
		const char *plan;
		size_t index, count;
	} plans[64];
	size_t n_plans = 0, other = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < n_plans && strcmp(plans[k].plan, it[i].task->plan_id))
			k++;
		if (k == n_plans && n_plans < UTIL_NELEM(plans))
			plans[n_plans++] = (struct plan_count){it[i].task->plan_id, i, 0};
		if (k < n_plans)
			plans[k].count++;
		else
			other++;
	}
	tmpl_set_flag(data, "has_more", true);
	tmpl_setf(data, "count_more", "%zu", n);
	for (size_t k = 0; k < n_plans; k++) {
		struct tmpl_data *e = tmpl_add(data, "more_plans");
		struct buf b = BUF_INIT;
		plan_short(c, &it[plans[k].index], &b);
		tmpl_set(e, "plan_short", buf_str(&b));
		tmpl_setf(e, "count", "%zu", plans[k].count + (k == n_plans - 1 ? other : 0));
		buf_free(&b);
	}
}

struct occ_role {
	int64_t occurrence;
	enum sched_role role;
	enum section section;
};

static int cmp_occ_role(const void *a, const void *b)
{
	const struct occ_role *x = a, *y = b;

	if (x->occurrence != y->occurrence)
		return (x->occurrence > y->occurrence) - (x->occurrence < y->occurrence);
	return (int)x->role - (int)y->role;
}

/*
 * What the headers need, without sorting a big digest by title: the first
 * item in sort order (moved to items[0]), and the counts and roles of the
 * items as merged (one per occurrence, its closest role). Returns the
 * merged count. Preview builds thousands of headers.
 */
static size_t headers_only(const struct ctx *c, struct digest_item *items, size_t n, int counts[3],
                           bool held[4])
{
	struct occ_role *v = xcalloc(n + 1, sizeof(*v));
	struct ranked best = {SEC_UPCOMING, 0};
	size_t distinct = 0;

	for (size_t i = 0; i < n; i++) {
		struct ranked r = {section_of(c, &items[i]), i};
		v[i] = (struct occ_role){items[i].occurrence_id, items[i].role, r.section};
		if (i == 0 || cmp_ranked(&r, &best, items) < 0)
			best = r;
	}
	if (n) {
		struct digest_item first = items[best.index];
		items[best.index] = items[0];
		items[0] = first;
	}
	qsort(v, n, sizeof(*v), cmp_occ_role);
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].occurrence == v[i - 1].occurrence)
			continue;
		distinct++;
		counts[v[i].section]++;
		held[v[i].role] = true;
	}
	free(v);
	return distinct;
}

static void build(const struct digest_templates *tpl, const struct dir *d, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, struct digest_msg *out,
                  bool bodies)
{
	const struct cfg *cfg = dir_cfg(d);
	struct ctx c = {tpl,
	                d,
	                cfg,
	                tpl->words,
	                recipient,
	                now,
	                cfg->tz_offset,
	                date_local_days(now, cfg->tz_offset)};
	int counts[3] = {0, 0, 0};
	bool held[4] = {false, false, false, false};
	size_t n_all = n;

	memset(out, 0, sizeof(*out));
	if (bodies) {
		sort_items(&c, items, n);
		n_all = n = merge_same_occurrence(items, n);
	} else {
		n = headers_only(&c, items, n, counts, held);
	}
	out->to_name = xstrdup(dir_name(d, recipient));
	const struct cfg_list *emails = dir_emails(d, recipient);
	for (size_t i = 0; emails && i < emails->n; i++)
		add_address(&out->to, emails->v[i]);

	struct tmpl_data *data = tmpl_data_new();
	struct tmpl_data *section = NULL;
	enum section current = SEC_OVERDUE;
	for (size_t i = 0; bodies && i < n; i++) {
		enum section s = section_of(&c, &items[i]);
		counts[s]++;
		held[items[i].role] = true;
		if (i >= DIGEST_LISTED_MAX)
			continue;
		if (!section || s != current) {
			if (section)
				tmpl_setf(section, "count", "%d", counts[current]);
			section = tmpl_add(data, "sections");
			tmpl_set_flag(section, "is_overdue", s == SEC_OVERDUE);
			tmpl_set_flag(section, "is_soon", s == SEC_SOON);
			tmpl_set_flag(section, "is_upcoming", s == SEC_UPCOMING);
			current = s;
		}
		set_item(&c, tmpl_add(section, "items"), &items[i], i + 1);
	}
	if (section)
		tmpl_setf(section, "count", "%d", counts[current]);
	out->kind = counts[SEC_OVERDUE] ? SCHED_ESCALATION : SCHED_REMINDER;
	tmpl_set(data, "recipient", out->to_name);
	set_top(&c, data, items, n, n_all, counts, held);
	if (bodies && n > DIGEST_LISTED_MAX)
		count_more(&c, data, items + DIGEST_LISTED_MAX, n - DIGEST_LISTED_MAX);
	render(&c, data, out, bodies);
	tmpl_data_free(data);
	threading(items, n, out);
}

void digest_build(const struct digest_templates *tpl, const struct dir *d, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, const char *domain,
                  struct digest_msg *out)
{
	(void)domain;
	build(tpl, d, recipient, items, n, now, out, true);
}

void digest_build_headers(const struct digest_templates *tpl, const struct dir *d,
                          const char *recipient, struct digest_item *items, size_t n, time_t now,
                          const char *domain, struct digest_msg *out)
{
	(void)domain;
	build(tpl, d, recipient, items, n, now, out, false);
}

void digest_msg_free(struct digest_msg *m)
{
	free(m->subject), free(m->text), free(m->html), free(m->to_name), free(m->in_reply_to);
	free_list(&m->to);
	free_list(&m->cc);
	free_list(&m->references);
	memset(m, 0, sizeof(*m));
}
