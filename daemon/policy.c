/*
 * policy — see policy.h.
 *
 * Step ids are part of the exactly-once key of every notification, so they
 * depend only on what the admin wrote ("r7" is "7 days before"), never on
 * list positions: inserting an offset into the list must not make an
 * already sent reminder look new.
 */
#include "policy.h"

#include "date.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DAYS         3660
#define MAX_REPEAT_LIMIT 50

static const struct policy_offset no_offset = {0, false};

static void set_list(struct policy_list *l, const int *days, int n)
{
	l->n = n;
	for (int i = 0; i < n; i++)
		l->at[i] = (struct policy_offset){days[i], false};
}

void policy_default(struct policy *p)
{
	static const int once[] = {30, 14, 7, 3, 1, 0}, yearly[] = {30, 7, 1}, cycle[] = {14, 7, 1},
	                 monthly[] = {7, 1}, weekly[] = {1};

	memset(p, 0, sizeof(*p));
	set_list(&p->remind[TF_ONCE], once, 6);
	set_list(&p->remind[TF_PERIOD], once, 6);
	set_list(&p->remind[TF_YEARLY], yearly, 3);
	set_list(&p->remind[TF_HALF_YEARLY], cycle, 3);
	set_list(&p->remind[TF_QUARTERLY], cycle, 3);
	set_list(&p->remind[TF_MONTHLY], monthly, 2);
	set_list(&p->remind[TF_WEEKLY], weekly, 1);
	p->n_escalations = 3;
	p->escalate[0] = (struct policy_escalation){{1, false}, POLICY_LEAD};
	p->escalate[1] = (struct policy_escalation){{7, false}, POLICY_MONITOR};
	p->escalate[2] = (struct policy_escalation){{30, false}, POLICY_SUPERVISOR};
	p->repeat = (struct policy_offset){14, false};
	p->repeat_limit = 6;
	/* Short cycles: a missed week is the lead's business, the next week comes soon. */
	struct policy_kind *wk = &p->kind[TF_WEEKLY], *mo = &p->kind[TF_MONTHLY];
	wk->own_steps = wk->own_repeat = true;
	wk->n_escalations = 1;
	wk->escalate[0] = (struct policy_escalation){{1, false}, POLICY_LEAD};
	mo->own_steps = mo->own_repeat = true;
	mo->n_escalations = 2;
	mo->escalate[0] = (struct policy_escalation){{1, false}, POLICY_LEAD};
	mo->escalate[1] = (struct policy_escalation){{7, false}, POLICY_MONITOR};
	p->kind[TF_QUARTERLY].own_repeat = true;
	p->backfill_days = 7;
	p->remind_coordinating = true;
}

/* "14" (calendar days) or "5wd" (working days). */
static int parse_offset(const char *s, size_t n, struct policy_offset *out)
{
	char buf[16];
	int days, used = 0;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (sscanf(buf, "%4d%n", &days, &used) != 1 || days < 0 || days > MAX_DAYS)
		return -1;
	if (strcmp(buf + used, "wd") == 0)
		*out = (struct policy_offset){days, true};
	else if (buf[used] == '\0' || strcmp(buf + used, "d") == 0)
		*out = (struct policy_offset){days, false};
	else
		return -1;
	return 0;
}

static int parse_list(const char *value, struct policy_list *l, char *err, size_t errlen)
{
	struct policy_list out = {0};

	for (const char *s = value + strspn(value, " ,"); *s; s += strspn(s, " ,")) {
		size_t n = strcspn(s, " ,");
		if (out.n == POLICY_MAX_STEPS) {
			snprintf(err, errlen, "at most %d offsets", POLICY_MAX_STEPS);
			return -1;
		}
		if (parse_offset(s, n, &out.at[out.n]) < 0) {
			snprintf(err, errlen, "'%.*s' is not a number of days (e.g. 7 or 5wd)",
			         (int)n, s);
			return -1;
		}
		out.n++;
		s += n;
	}
	*l = out;
	return 0;
}

static int parse_level(const char *s, size_t n, enum policy_level *level)
{
	static const char *const names[] = {"", "lead", "monitor", "supervisor"};

	for (int i = POLICY_LEAD; i <= POLICY_SUPERVISOR; i++)
		if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0) {
			*level = (enum policy_level)i;
			return 0;
		}
	return -1;
}

/* "1:lead 7:monitor 30:supervisor", into out[] and *n_out. */
static int parse_escalation(const char *value, struct policy_escalation *out, int *n_out, char *err,
                            size_t errlen)
{
	struct policy_escalation steps[POLICY_MAX_STEPS];
	int n = 0;

	for (const char *s = value + strspn(value, " ,"); *s; s += strspn(s, " ,")) {
		size_t len = strcspn(s, " ,");
		const char *colon = memchr(s, ':', len);
		if (n == POLICY_MAX_STEPS) {
			snprintf(err, errlen, "at most %d escalation steps", POLICY_MAX_STEPS);
			return -1;
		}
		if (!colon || parse_offset(s, (size_t)(colon - s), &steps[n].after) < 0 ||
		    parse_level(colon + 1, len - (size_t)(colon - s) - 1, &steps[n].level) < 0) {
			snprintf(err, errlen,
			         "'%.*s' is not DAYS:WHO (WHO is lead, monitor or supervisor)",
			         (int)len, s);
			return -1;
		}
		n++;
		s += len;
	}
	/* In time order: repeats follow the last escalation, whatever the list's order. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && steps[j - 1].after.days > steps[j].after.days; j--) {
			struct policy_escalation t = steps[j];
			steps[j] = steps[j - 1];
			steps[j - 1] = t;
		}
	memcpy(out, steps, (size_t)n * sizeof(steps[0]));
	*n_out = n;
	return 0;
}

static int parse_int(const char *value, int lo, int hi, int *out, char *err, size_t errlen)
{
	int v, used = 0;

	if (sscanf(value, "%d%n", &v, &used) != 1 || value[used] || v < lo || v > hi) {
		snprintf(err, errlen, "'%s' is not a whole number from %d to %d", value, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *value, bool *out, char *err, size_t errlen)
{
	if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "on"))
		*out = true;
	else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "off"))
		*out = false;
	else {
		snprintf(err, errlen, "'%s' is not yes or no", value);
		return -1;
	}
	return 0;
}

/* "escalate.weekly" → "escalate" and the kind; TF_UNPARSED when no kind. */
static const char *split_kind(const char *key, enum tf_kind *kind, char *base, size_t len)
{
	const char *dot = strchr(key, '.');

	*kind = TF_UNPARSED;
	if (!dot || (size_t)(dot - key) >= len)
		return key;
	memcpy(base, key, (size_t)(dot - key));
	base[dot - key] = '\0';
	*kind = tf_kind_from_name(dot + 1);
	return base;
}

void policy_forget_kind(struct policy *p, const char *key, enum tf_kind kind)
{
	struct policy_kind *k;

	if ((unsigned)kind >= POLICY_KINDS)
		return;
	k = &p->kind[kind];
	if (!strcmp(key, "escalate"))
		k->own_steps = false;
	else if (!strcmp(key, "repeat"))
		k->own_repeat = false;
	else if (!strcmp(key, "repeat_limit"))
		k->own_limit = false;
}

bool policy_is_key(const char *key)
{
	static const char *const keys[] = {"remind",       "escalate", "repeat",
	                                   "repeat_limit", "backfill", "coordinating"};
	char base[32];
	enum tf_kind kind;

	if (strchr(key, '.')) {
		const char *b = split_kind(key, &kind, base, sizeof(base));
		return kind != TF_UNPARSED && (!strcmp(b, "remind") || !strcmp(b, "escalate") ||
		                               !strcmp(b, "repeat") || !strcmp(b, "repeat_limit"));
	}
	for (size_t i = 0; i < UTIL_NELEM(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* escalate.KIND, repeat.KIND, repeat_limit.KIND */
static int set_kind(struct policy *p, const char *key, const char *value, enum tf_kind kind,
                    char *err, size_t errlen)
{
	struct policy_kind *k = &p->kind[kind];

	if (!strcmp(key, "escalate")) {
		k->own_steps = true;
		return parse_escalation(value, k->escalate, &k->n_escalations, err, errlen);
	}
	if (!strcmp(key, "repeat")) {
		k->own_repeat = true;
		if (!strcmp(value, "none")) {
			k->repeat = no_offset;
			return 0;
		}
		if (parse_offset(value, strlen(value), &k->repeat) == 0)
			return 0;
		snprintf(err, errlen, "'%s' is not a number of days (e.g. 14 or 10wd)", value);
		return -1;
	}
	k->own_limit = true;
	return parse_int(value, 0, MAX_REPEAT_LIMIT, &k->repeat_limit, err, errlen);
}

int policy_set(struct policy *p, const char *key, const char *value, enum tf_kind kind, char *err,
               size_t errlen)
{
	char base[32];
	enum tf_kind named;
	const char *b = split_kind(key, &named, base, sizeof(base));

	if (strchr(key, '.') && named == TF_UNPARSED) {
		snprintf(err, errlen, "unknown timeframe kind in '%s'", key);
		return -1;
	}
	if (named != TF_UNPARSED && strcmp(b, "remind") != 0) {
		if (!policy_is_key(key)) {
			snprintf(err, errlen, "unknown policy key '%s'", key);
			return -1;
		}
		return set_kind(p, b, value, named, err, errlen);
	}
	if (named != TF_UNPARSED) {
		kind = named;
		key = "remind";
	}
	if (strcmp(key, "remind") == 0) {
		if (!tf_recurring(kind) && kind != TF_ONCE && kind != TF_PERIOD) {
			snprintf(err, errlen, "%s timeframes have no deadline to remind of",
			         tf_kind_name(kind));
			return -1;
		}
		return parse_list(value, &p->remind[kind], err, errlen);
	}
	if (strcmp(key, "escalate") == 0)
		return parse_escalation(value, p->escalate, &p->n_escalations, err, errlen);
	if (strcmp(key, "repeat") == 0) {
		if (strcmp(value, "none") == 0) {
			p->repeat = no_offset;
			return 0;
		}
		if (parse_offset(value, strlen(value), &p->repeat) < 0) {
			snprintf(err, errlen, "'%s' is not a number of days (e.g. 14 or 10wd)",
			         value);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "repeat_limit") == 0)
		return parse_int(value, 0, MAX_REPEAT_LIMIT, &p->repeat_limit, err, errlen);
	if (strcmp(key, "backfill") == 0)
		return parse_int(value, 0, MAX_DAYS, &p->backfill_days, err, errlen);
	if (strcmp(key, "coordinating") == 0)
		return parse_bool(value, &p->remind_coordinating, err, errlen);
	snprintf(err, errlen, "unknown policy key '%s'", key);
	return -1;
}

int64_t policy_last_day(time_t due, int tz_offset)
{
	return date_local_days(due - 1, tz_offset);
}

static int64_t shift_day(const struct cal *cal, int64_t day, struct policy_offset o, int sign)
{
	return o.working ? cal_add_workdays(cal, day, sign * o.days) : day + sign * o.days;
}

static time_t day_slot(const struct cal *cal, int64_t day)
{
	return date_day_start(day, cal->tz_offset) + (time_t)cal->send_min * 60;
}

/* "r3", "e7w", "x2": the prefix, the number, "w" for working days. Named for
 * every step of every occurrence decided, so without snprintf. */
static void name_step(char *id, size_t len, char prefix, int days, bool working)
{
	char digits[12], name[16];
	size_t n = 0, k = 0;
	unsigned v = days < 0 ? -(unsigned)days : (unsigned)days;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	name[k++] = prefix;
	if (days < 0)
		name[k++] = '-';
	while (n)
		name[k++] = digits[--n];
	if (working)
		name[k++] = 'w';
	name[k] = '\0';
	util_strlcpy(id, name, len);
}

static int add_reminders(const struct policy_list *l, const struct cal *cal, time_t due,
                         struct policy_step *out, int n, int max)
{
	int64_t last = policy_last_day(due, cal->tz_offset);

	for (int i = 0; i < l->n && n < max; i++) {
		time_t target = day_slot(cal, shift_day(cal, last, l->at[i], -1));
		struct policy_step *s = &out[n++];
		/* It must arrive before the deadline: move earlier, never later. */
		s->at = cal_slot_at_or_before(cal, target < due ? target : due - 1);
		s->level = POLICY_REMIND;
		s->distance = -(int)(last - shift_day(cal, last, l->at[i], -1));
		name_step(s->id, sizeof(s->id), 'r', l->at[i].days, l->at[i].working);
	}
	return n;
}

/* The escalation that applies to one kind: its own settings where it has them. */
struct escalation_plan {
	const struct policy_escalation *steps;
	int n;
	struct policy_offset repeat;
	int repeat_limit;
};

static struct escalation_plan escalation_for(const struct policy *p, enum tf_kind kind)
{
	struct escalation_plan e = {p->escalate, p->n_escalations, p->repeat, p->repeat_limit};
	const struct policy_kind *k;

	if ((unsigned)kind >= POLICY_KINDS)
		return e;
	k = &p->kind[kind];
	if (k->own_steps) {
		e.steps = k->escalate;
		e.n = k->n_escalations;
	}
	if (k->own_repeat)
		e.repeat = k->repeat;
	if (k->own_limit)
		e.repeat_limit = k->repeat_limit;
	return e;
}

static int add_escalations(const struct policy *p, const struct cal *cal, enum tf_kind kind,
                           time_t due, struct policy_step *out, int n, int max)
{
	struct escalation_plan e = escalation_for(p, kind);
	int64_t last = policy_last_day(due, cal->tz_offset), day = last;

	for (int i = 0; i < e.n && n < max; i++) {
		day = shift_day(cal, last, e.steps[i].after, 1);
		time_t target = day_slot(cal, day);
		struct policy_step *s = &out[n++];
		s->at = cal_slot_at_or_after(cal, target > due ? target : due);
		s->level = e.steps[i].level;
		s->distance = (int)(day - last);
		name_step(s->id, sizeof(s->id), 'e', e.steps[i].after.days,
		          e.steps[i].after.working);
	}
	if (e.n == 0 || e.repeat.days == 0)
		return n;
	for (int k = 1; k <= e.repeat_limit && n < max; k++) {
		day = shift_day(cal, day, e.repeat, 1);
		struct policy_step *s = &out[n++];
		s->at = cal_slot_at_or_after(cal, day_slot(cal, day));
		s->level = e.steps[e.n - 1].level;
		s->distance = (int)(day - last);
		name_step(s->id, sizeof(s->id), 'x', k, false);
	}
	return n;
}

static int cmp_steps(const void *a, const void *b)
{
	const struct policy_step *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	if (x->level != y->level)
		return (x->level > y->level) - (x->level < y->level);
	return (x->distance > y->distance) - (x->distance < y->distance);
}

int policy_steps(const struct policy *p, const struct cal *cal, enum tf_kind kind, time_t due,
                 struct policy_step *out, int max)
{
	struct policy_step all[2 * POLICY_MAX_STEPS + MAX_REPEAT_LIMIT];
	int n = 0, kept = 0;

	if ((unsigned)kind < POLICY_KINDS)
		n = add_reminders(&p->remind[kind], cal, due, all, n, (int)UTIL_NELEM(all));
	n = add_escalations(p, cal, kind, due, all, n, (int)UTIL_NELEM(all));
	/* In time order; in one slot the step closest to (or furthest past) the deadline last. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && cmp_steps(&all[j - 1], &all[j]) > 0; j--) {
			struct policy_step t = all[j];
			all[j] = all[j - 1];
			all[j - 1] = t;
		}
	/* Two steps in one slot would be one email anyway: keep the later one. */
	for (int i = 0; i < n && kept < max; i++) {
		if (i + 1 < n && all[i + 1].at == all[i].at)
			continue;
		out[kept++] = all[i];
	}
	return kept;
}
