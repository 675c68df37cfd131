/* task — see task.h. */
#include "task.h"

#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void task_init(struct task *t)
{
	memset(t, 0, sizeof(*t));
	t->kind = TF_UNPARSED;
	t->due = t->window_start = t->extended_due = TF_NONE;
}

void task_free(struct task *t)
{
	char *strings[] = {t->plan_id,     t->key,       t->idx,       t->category,
	                   t->title,       t->timeframe, t->condition, t->status_note,
	                   t->source_file, t->raw,       t->origin,    t->policy};

	for (size_t i = 0; i < UTIL_NELEM(strings); i++)
		free(strings[i]);
	for (size_t i = 0; i < t->n_agencies; i++) {
		free(t->agencies[i].agency);
		free(t->agencies[i].written);
		free(t->agencies[i].via_group);
	}
	free(t->agencies);
	task_init(t);
}

void task_set_timeframe(struct task *t, const char *text, const struct tf_ctx *ctx)
{
	task_set_timeframe_issued(t, text, ctx, 0);
}

void task_set_timeframe_issued(struct task *t, const char *text, const struct tf_ctx *ctx,
                               int issued)
{
	struct tf tf;

	free(t->timeframe);
	free(t->condition);
	t->timeframe = xstrdup(text);
	t->condition = NULL;
	t->flags &=
	    ~(TASK_FLAG_UNPARSED | TASK_FLAG_CONDITION | TASK_FLAG_IMPLICIT | TASK_FLAG_LOOSE);
	if (tf_parse_issued(text, ctx, issued, &tf) < 0)
		t->flags |= TASK_FLAG_UNPARSED;
	if (tf.loose)
		t->flags |= TASK_FLAG_LOOSE;
	t->kind = tf.kind;
	t->due = tf.due;
	t->window_start = tf.window_start;
	if (tf.condition[0]) {
		t->condition = xstrdup(tf.condition);
		t->flags |= TASK_FLAG_CONDITION;
	}
	if (tf.implicit)
		t->flags |= TASK_FLAG_IMPLICIT;
}

void task_add_agency(struct task *t, enum task_role role, const char *agency, const char *written,
                     const char *via_group, bool resolved)
{
	for (size_t i = 0; i < t->n_agencies; i++)
		if (t->agencies[i].role == role && !strcmp(t->agencies[i].agency, agency))
			return;
	t->agencies = xrealloc(t->agencies, (t->n_agencies + 1) * sizeof(*t->agencies));
	t->agencies[t->n_agencies++] =
	    (struct task_agency){role, xstrdup(agency), xstrdup(written),
	                         via_group ? xstrdup(via_group) : NULL, resolved};
	if (!resolved)
		t->flags |= TASK_FLAG_UNRESOLVED;
}

static bool leads(const struct task *t, const char *agency)
{
	for (size_t i = 0; i < t->n_agencies; i++)
		if (t->agencies[i].role == TASK_LEAD && !strcmp(t->agencies[i].agency, agency))
			return true;
	return false;
}

int task_assign(struct task *t, const struct dir *d, enum task_role role, const char *cell)
{
	return task_assign_on(t, d, role, cell, TASK_ANY_DAY);
}

int task_assign_on(struct task *t, const struct dir *d, enum task_role role, const char *cell,
                   int64_t day)
{
	struct dir_match *m;
	size_t n = dir_split(d, cell, &m);
	int unresolved = 0;

	for (size_t i = 0; i < n; i++) {
		const struct cfg_group *g =
		    m[i].kind == DIR_GROUP ? cfg_group(dir_cfg(d), m[i].id) : NULL;
		if (m[i].kind == DIR_UNRESOLVED) {
			task_add_agency(t, role, m[i].written, m[i].written, NULL, false);
			unresolved++;
		} else if (g && g->members.n) {
			/* "Các sở, ngành" in a letter of December 2025 are the
			 * departments of then, not those merged away in March. */
			for (size_t k = 0; k < g->members.n; k++) {
				const char *member = dir_holder(d, g->members.v[k], day);
				if (role != TASK_COORD || !leads(t, member))
					task_add_agency(t, role, member, m[i].written, g->id, true);
			}
		} else {
			/* An agency, or a group reached through its list address. */
			task_add_agency(t, role, m[i].id, m[i].written, NULL, true);
		}
	}
	dir_matches_free(m, n);
	if (role == TASK_LEAD) {
		bool lead = false;
		for (size_t i = 0; i < t->n_agencies; i++)
			lead |= t->agencies[i].role == TASK_LEAD;
		t->flags = lead ? t->flags & ~TASK_FLAG_NO_LEAD : t->flags | TASK_FLAG_NO_LEAD;
	}
	return unresolved;
}

static void hash_add(uint64_t *h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		*h = (*h ^ *p) * 0x100000001b3ULL;
	*h = (*h ^ 0xFF) * 0x100000001b3ULL; /* field separator */
}

void task_content_hash(const struct task *t, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	hash_add(&h, t->idx);
	hash_add(&h, t->category);
	hash_add(&h, t->title);
	hash_add(&h, t->timeframe);
	/* How it was read too: the same words read in another plan's year or
	 * period ("năm sau", an empty cell) are another deadline. */
	char reading[96];
	snprintf(reading, sizeof(reading), "%d %lld %lld %x", (int)t->kind, (long long)t->due,
	         (long long)t->window_start,
	         t->flags & (TASK_FLAG_UNPARSED | TASK_FLAG_CONDITION | TASK_FLAG_IMPLICIT |
	                     TASK_FLAG_LOOSE));
	hash_add(&h, reading);
	hash_add(&h, t->policy);
	for (size_t i = 0; i < t->n_agencies; i++) {
		hash_add(&h, task_role_name(t->agencies[i].role));
		hash_add(&h, t->agencies[i].agency);
		hash_add(&h, t->agencies[i].written);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static const char *const status_names[] = {
    [TASK_OPEN] = "open",       [TASK_IN_PROGRESS] = "in-progress", [TASK_WAITING] = "waiting",
    [TASK_DONE] = "done",       [TASK_NOT_MET] = "not-met",         [TASK_CANCELLED] = "cancelled",
    [TASK_REMOVED] = "removed", [TASK_MISSED] = "missed",
};

const char *task_status_name(enum task_status s)
{
	return (unsigned)s < UTIL_NELEM(status_names) ? status_names[s] : "open";
}

const char *task_role_name(enum task_role r)
{
	return r == TASK_LEAD ? "lead" : "coord";
}

bool task_status_final(enum task_status s)
{
	return s == TASK_DONE || s == TASK_CANCELLED || s == TASK_REMOVED || s == TASK_MISSED;
}

int task_status_parse(const char *s, enum task_status *out)
{
	/* Folded (no diacritics, lowercase) prefixes of the status report's levels. */
	static const struct {
		const char *prefix;
		enum task_status status;
	} levels[] = {
	    {"chua dat", TASK_NOT_MET},
	    {"chua hoan thanh", TASK_NOT_MET},
	    {"dat", TASK_DONE},
	    {"hoan thanh", TASK_DONE},
	    {"dap ung", TASK_DONE},
	    {"dang thuc hien", TASK_IN_PROGRESS},
	    {"tiep tuc thuc hien", TASK_IN_PROGRESS},
	    {"cho", TASK_WAITING},
	    {"huy", TASK_CANCELLED},
	    {"mo", TASK_OPEN},
	};
	char fold[128];

	for (size_t i = 0; i < UTIL_NELEM(status_names); i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum task_status)i;
			return 0;
		}
	text_fold(s, strlen(s), fold, NULL, sizeof(fold));
	char *f = util_trim(fold);
	for (size_t i = 0; i < UTIL_NELEM(levels); i++) {
		size_t n = strlen(levels[i].prefix);
		if (!strncmp(f, levels[i].prefix, n) && (f[n] == '\0' || f[n] == ' ')) {
			*out = levels[i].status;
			return 0;
		}
	}
	return -1;
}
