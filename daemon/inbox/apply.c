/*
 * apply — see inbox/apply.h.
 */
#include "inbox/apply.h"

#include "buf.h"
#include "date.h"
#include "dir.h"
#include "sync.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *apply_command_name(int is_extension, enum task_status s)
{
	return is_extension ? "extend" : task_status_name(s);
}

/* Does `agency` lead the task, itself or as the holder of a predecessor's duties? */
static bool leads(const struct dir *d, const struct task *t, const char *agency, time_t now)
{
	int64_t today = date_local_days(now, dir_cfg(d)->tz_offset);

	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		if (a->role == TASK_LEAD && (!strcmp(a->agency, agency) ||
		                             !strcmp(dir_holder(d, a->agency, today), agency)))
			return true;
	}
	return false;
}

static int finish(struct store *st, struct store_reply_cmd *c, const char *state,
                  const char *detail)
{
	free(c->state), free(c->detail);
	c->state = xstrdup(state);
	c->detail = detail ? xstrdup(detail) : NULL;
	return store_reply_cmd_set_state(st, c->id, state, detail) < 0 ? -1 : 0;
}

/* The audit row on the task: who, which reply, which line. */
static int audit(struct store *st, const struct store_inbound *in, const struct store_reply_cmd *c,
                 const char *what, time_t now)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "reply #%lld from %s (%s), line %d: %s", (long long)in->id,
	           in->from_addr ? in->from_addr : "?", in->agency ? in->agency : "?", c->line,
	           c->line_text);
	int rc = store_history_add(st, c->task_id, what, buf_str(&b), now);
	buf_free(&b);
	return rc;
}

static int set_level(const struct answer_env *e, const struct store_inbound *in,
                     struct store_reply_cmd *c, const struct task *t, time_t now, char *what,
                     size_t len)
{
	enum task_status s;

	if (task_status_parse(c->command, &s) < 0)
		return finish(e->st, c, "rejected", "unknown command");
	if (!leads(e->dir, t, in->agency, now)) {
		snprintf(what, len, "%s — %s", c->note ? c->note : answer_status_words(e->cfg, s),
		         e->cfg->language && !strcmp(e->cfg->language, "en")
		             ? "noted as your part (the lead agency reports the task's status)"
		             : "đã ghi nhận phần phối hợp (tình trạng nhiệm vụ do cơ quan chủ trì "
		               "báo cáo)");
		if (audit(e->st, in, c, "reply-noted", now) < 0)
			return -1;
		return finish(e->st, c, "noted",
		              "a coordinating agency: its part, not the task's status");
	}
	int rc;
	bool per_occurrence = tf_recurring(t->kind) && c->occurrence_id;
	int64_t later;
	rc = store_level_set_later(e->st, t->id, per_occurrence ? c->occurrence_id : 0, in->id,
	                           in->received_at, &later);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		char why[80];
		snprintf(why, sizeof(why), "reply #%lld, received after it, set the level",
		         (long long)later);
		snprintf(what, len, "%s",
		         e->cfg->language && !strcmp(e->cfg->language, "en")
		             ? "not applied: a later reply already gave the task's status"
		             : "không áp dụng: thư trả lời sau đã báo tình trạng mới hơn");
		return finish(e->st, c, "superseded", why);
	}
	if (per_occurrence) {
		rc = store_occ_set_status(e->st, c->occurrence_id, s);
	} else {
		rc = store_task_set_status(e->st, t->id, s, c->note, now);
	}
	if (rc < 0 || audit(e->st, in, c, "reply", now) < 0 || sync_touch(e->st, t->id) < 0)
		return -1;
	snprintf(what, len, "%s", c->note ? c->note : answer_status_words(e->cfg, s));
	return finish(e->st, c, "applied", task_status_name(s)) < 0 ? -1 : 1;
}

/* The monitoring agency of the task's plan, as it is today. */
static const char *monitor_of(const struct answer_env *e, const struct task *t, time_t now)
{
	struct store_plan p;
	const char *m = e->cfg->monitor;

	if (store_plan_get(e->st, t->plan_id, &p) == 1) {
		if (p.monitor && cfg_agency(e->cfg, p.monitor))
			m = cfg_agency(e->cfg, p.monitor)->id;
		store_plan_free(&p);
	}
	return m ? dir_holder(e->dir, m, date_local_days(now, e->cfg->tz_offset)) : NULL;
}

static int request_extension(const struct answer_env *e, const struct store_inbound *in,
                             struct store_reply_cmd *c, const struct task *t, time_t now,
                             char *what, size_t len)
{
	char day[16];
	bool en = e->cfg->language && !strcmp(e->cfg->language, "en");

	date_format_vn(c->new_due, e->cfg->tz_offset, day, sizeof(day));
	/* The deadline is the lead's: a coordinating agency's request would
	 * replace the lead's own, pending one. It is noted, not filed. */
	if (!leads(e->dir, t, in->agency, now)) {
		snprintf(
		    what, len,
		    en ? "extension to %s noted; the lead agency asks for the task's extensions"
		       : "đã ghi nhận đề nghị gia hạn đến %s; việc xin gia hạn nhiệm vụ do cơ "
		         "quan chủ trì đề nghị",
		    day);
		if (audit(e->st, in, c, "reply-noted", now) < 0)
			return -1;
		return finish(e->st, c, "noted",
		              "a coordinating agency: the lead asks for extensions");
	}
	if (c->new_due <= now) {
		snprintf(what, len, en ? "the date asked for, %s, is past" : "ngày %s đã qua", day);
		return finish(e->st, c, "rejected", "the date asked for is past");
	}
	struct store_extension old;
	if (store_extension_pending(e->st, t->id, &old) == 1) {
		int r = store_extension_decide(e->st, old.id, "refused", NULL,
		                               "replaced by a later request", now);
		store_extension_free(&old);
		if (r < 0)
			return -1;
	}
	struct store_extension x = {.task_id = t->id,
	                            .occurrence_id = c->occurrence_id,
	                            .inbound = in->id,
	                            .agency = in->agency,
	                            .reason = c->reason,
	                            .requested_due = c->new_due,
	                            .created_at = now};
	const char *monitor = monitor_of(e, t, now);
	int64_t msg = 0;
	if (store_extension_add(e->st, &x) < 0 ||
	    audit(e->st, in, c, "extension-requested", now) < 0)
		return -1;
	if (monitor)
		answer_extension_request(e, monitor, in->agency, t, c->new_due, c->reason, now,
		                         &msg);
	snprintf(what, len,
	         en ? "extension to %s asked; %s decides, reminders continue meanwhile"
	            : "xin gia hạn đến %s – đã chuyển %s xem xét; trong thời gian chờ, hệ thống "
	              "vẫn nhắc việc",
	         day, monitor && dir_name(e->dir, monitor) ? dir_name(e->dir, monitor) : "?");
	char detail[64];
	snprintf(detail, sizeof(detail), "request #%lld", (long long)x.id);
	return finish(e->st, c, "applied", detail) < 0 ? -1 : 1;
}

int apply_command(const struct answer_env *e, const struct store_inbound *in,
                  struct store_reply_cmd *c, time_t now, char *what, size_t len)
{
	struct task t;
	int rc;

	what[0] = '\0';
	if (!c->task_id || store_task_get(e->st, c->task_id, &t) != 1)
		return finish(e->st, c, "rejected", "the task is gone");
	if (t.status == TASK_CANCELLED || t.status == TASK_REMOVED) {
		snprintf(what, len, "%s", answer_status_words(e->cfg, t.status));
		rc = finish(e->st, c, "rejected", "the task is cancelled or removed");
	} else if (!strcmp(c->command, "extend")) {
		rc = request_extension(e, in, c, &t, now, what, len);
	} else {
		rc = set_level(e, in, c, &t, now, what, len);
	}
	task_free(&t);
	return rc;
}
