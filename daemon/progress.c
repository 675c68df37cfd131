/*
 * progress — see progress.h.
 */
#include "progress.h"

#include "date.h"
#include "planner.h"
#include "policy.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OCCURRENCES 800 /* a weekly duty over a long plan, and the year ahead */

static const char *const state_names[] = {"done",    "in-progress", "waiting",
                                          "overdue", "not-due",     "cancelled"};
static const char *const state_vi[] = {"Hoàn thành", "Đang thực hiện", "Chờ",
                                       "Quá hạn",    "Chưa đến hạn",   "Đã hủy"};
static const char *const state_en[] = {"done",    "in progress", "waiting",
                                       "overdue", "not yet due", "cancelled"};
/* Indexed by enum task_status: the words of the status reports. */
static const char *const level_vi[] = {"Chưa báo cáo", "Đang thực hiện", "Chờ",  "Hoàn thành",
                                       "Chưa đạt",     "Đã hủy",         "Đã bỏ"};
static const char *const level_en[] = {"not reported", "in progress", "waiting", "done",
                                       "not met",      "cancelled",   "removed"};

const char *progress_state_name(enum progress_state s)
{
	return state_names[s];
}

const char *progress_state_label(enum progress_state s, const char *language)
{
	return (language && !strcmp(language, "vi") ? state_vi : state_en)[s];
}

const char *progress_level_label(enum task_status s, const char *language)
{
	return (language && !strcmp(language, "vi") ? level_vi : level_en)[s];
}

/* ---- judging one task ---------------------------------------------------------------- */

struct judge {
	const struct task *t;
	const struct progress_occ *stored;
	size_t n_stored;
	int tz;
};

/* The deadline of an occurrence after a gia hạn (which extends a one-off's due). */
static time_t effective_due(const struct judge *j, time_t due)
{
	return j->t->extended_due != TF_NONE && due == j->t->due ? j->t->extended_due : due;
}

/* What was recorded for an occurrence: its own status, else the task's. */
static enum task_status status_of(const struct judge *j, time_t due)
{
	for (size_t i = 0; i < j->n_stored; i++)
		if (j->stored[i].due == due && j->stored[i].status != TASK_OPEN)
			return j->stored[i].status;
	return j->t->status;
}

static bool settled(enum task_status s)
{
	return s == TASK_DONE || s == TASK_CANCELLED || s == TASK_REMOVED;
}

/* The state of a task with nothing overdue, from what was recorded. */
static enum progress_state state_of_level(enum task_status s)
{
	switch (s) {
	case TASK_DONE:
		return PROGRESS_DONE;
	case TASK_IN_PROGRESS:
	case TASK_NOT_MET:
		return PROGRESS_IN_PROGRESS;
	case TASK_WAITING:
		return PROGRESS_WAITING;
	case TASK_CANCELLED:
	case TASK_REMOVED:
		return PROGRESS_CANCELLED;
	case TASK_MISSED: /* an occurrence left undone when the next fell due */
		return PROGRESS_OVERDUE;
	case TASK_OPEN:
		break;
	}
	return PROGRESS_NOT_DUE;
}

void progress_judge(const struct task *t, const struct planner_plan *plan,
                    const struct progress_occ *stored, size_t n_stored, time_t as_of, int tz,
                    struct progress_row *out)
{
	struct judge j = {t, stored, n_stored, tz};
	struct tf_occ *occ = xcalloc(MAX_OCCURRENCES, sizeof(*occ));
	int64_t today = date_local_days(as_of, tz);
	size_t n = 0, last_past = SIZE_MAX, next = SIZE_MAX;

	*out = (struct progress_row){
	    .level = t->status, .due = TF_NONE, .window_start = TF_NONE, .next_due = TF_NONE};
	if (task_status_final(t->status)) {
		/* Done or cancelled as a whole: the task's own deadline is the one to show. */
		out->state = state_of_level(t->status);
		out->due = t->due == TF_NONE ? TF_NONE : effective_due(&j, t->due);
		out->window_start = t->window_start;
		free(occ);
		return;
	}
	n = planner_occurrences(t, tz, plan, as_of, occ, MAX_OCCURRENCES);
	for (size_t i = 0; i < n; i++) {
		int64_t last = policy_last_day(effective_due(&j, occ[i].due), tz);
		if (last < today)
			last_past = i;
		else if (next == SIZE_MAX)
			next = i;
	}
	if (next != SIZE_MAX)
		out->next_due = effective_due(&j, occ[next].due);
	size_t judged = next;
	if (last_past != SIZE_MAX && !settled(status_of(&j, occ[last_past].due)))
		judged = last_past;
	for (size_t i = 0; last_past != SIZE_MAX && i < last_past; i++)
		out->missed += !settled(status_of(&j, occ[i].due));
	if (judged == SIZE_MAX) {
		/* No deadline of its own (Thường xuyên), or every one is past and settled. */
		out->state = n ? PROGRESS_DONE : state_of_level(t->status);
		out->level = n ? status_of(&j, occ[n - 1].due) : t->status;
		free(occ);
		return;
	}
	out->due = effective_due(&j, occ[judged].due);
	out->window_start = occ[judged].window_start;
	out->level = status_of(&j, occ[judged].due);
	int64_t last = policy_last_day(out->due, tz);
	if (last < today) {
		out->state = out->level == TASK_WAITING ? PROGRESS_WAITING : PROGRESS_OVERDUE;
		out->days_overdue = (int)(today - last);
	} else {
		out->state = state_of_level(out->level);
		out->days_left = (int)(last - today);
	}
	free(occ);
}

/* ---- the report ---------------------------------------------------------------------- */

void progress_init(struct progress_report *r, time_t as_of, int tz)
{
	memset(r, 0, sizeof(*r));
	r->as_of = as_of;
	r->tz = tz;
}

void progress_add(struct progress_report *r, const struct task *t, const struct progress_row *row,
                  const char *const *lead_ids, const char *const *lead_names,
                  const char *const *shown, size_t n)
{
	struct buf names = BUF_INIT;

	if (!shown)
		shown = lead_names;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(shown[k], shown[i]);
		if (!seen)
			buf_printf(&names, "%s%s", names.len ? "; " : "", shown[i]);
	}

	/* A year of a large province is 100,000 tasks: grow by doubling. */
	if (r->n_items == r->cap_items)
		r->items =
		    xrealloc(r->items, (r->cap_items = r->cap_items ? 2 * r->cap_items : 256) *
		                           sizeof(*r->items));
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(lead_ids[k], lead_ids[i]);
		if (seen)
			continue;
		if (r->n_leads == r->cap_leads)
			r->leads = xrealloc(r->leads,
			                    (r->cap_leads = r->cap_leads ? 2 * r->cap_leads : 256) *
			                        sizeof(*r->leads));
		r->leads[r->n_leads++] = (struct progress_lead){r->n_items, xstrdup(lead_ids[i]),
		                                                xstrdup(lead_names[i])};
	}
	r->items[r->n_items++] = (struct progress_item){t, buf_steal(&names), *row};
}

static int cmp_lead(const void *a, const void *b)
{
	const struct progress_lead *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (!c)
		c = strcmp(x->id, y->id);
	return c ? c : (x->item > y->item) - (x->item < y->item);
}

static void count(struct progress_counts *c, enum progress_state s)
{
	c->n[s]++;
	c->total += s != PROGRESS_CANCELLED;
}

void progress_finish(struct progress_report *r)
{
	for (size_t i = 0; i < r->n_items; i++)
		count(&r->total, r->items[i].row.state);
	if (r->n_leads) /* qsort wants an array, even of nothing */
		qsort(r->leads, r->n_leads, sizeof(*r->leads), cmp_lead);
	r->agencies = xcalloc(r->n_leads ? r->n_leads : 1, sizeof(*r->agencies));
	for (size_t i = 0; i < r->n_leads; i++) {
		const struct progress_lead *l = &r->leads[i];
		if (!i || strcmp(l->id, r->leads[i - 1].id))
			r->agencies[r->n_agencies++] =
			    (struct progress_agency){.id = l->id, .name = l->name};
		count(&r->agencies[r->n_agencies - 1].counts, r->items[l->item].row.state);
	}
}

void progress_free(struct progress_report *r)
{
	for (size_t i = 0; i < r->n_items; i++)
		free(r->items[i].leads);
	free(r->items);
	for (size_t i = 0; i < r->n_leads; i++) {
		free(r->leads[i].id);
		free(r->leads[i].name);
	}
	free(r->leads);
	free(r->agencies);
	memset(r, 0, sizeof(*r));
}
