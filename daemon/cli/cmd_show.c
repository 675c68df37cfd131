/*
 * cmd_show — `show TASK`: everything known about one task, in the order an
 * admin asks it: what and where from, for whom, which deadlines, what was
 * sent or skipped and how it went, and what happened to it since.
 */
#include "cli/cmd.h"

#include "json.h"
#include "report.h"
#include "table.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const note_state_names[] = {"queued", "sent", "failed", "skipped"};
static const char *const msg_state_names[] = {"queued", "sent", "failed", "partial"};

/* What the store holds about the task, gathered before anything is printed. */
struct story {
	struct store_occ *occ;
	size_t n_occ;
	struct table *notes, *history, *replies;
	struct buf notes_json, history_json, replies_json;
	size_t n_notes, n_history, n_replies;
	const struct cli *c;
};

static int on_occ(const struct store_occ *o, void *arg)
{
	struct story *s = arg;

	s->occ = xrealloc(s->occ, (s->n_occ + 1) * sizeof(*s->occ));
	s->occ[s->n_occ++] = *o;
	return 0;
}

/* The fate of a notification in a few words: the message's state and error. */
static void note_result(const struct cli *c, const struct store_note_view *v, struct buf *b)
{
	char when[32];

	if (!v->note.message) {
		buf_adds(b, v->note.state == NOTE_SKIPPED ? "superseded by a later step"
		                                          : "not sent (no address)");
		return;
	}
	buf_printf(b, "%s", msg_state_names[v->msg_state]);
	if (v->sent_at != TF_NONE)
		buf_printf(b, " %s", cli_when(c, v->sent_at, when, sizeof(when)));
	if (v->msg_error)
		buf_printf(b, ": %s", v->msg_error);
}

static int on_note(const struct store_note_view *v, void *arg)
{
	struct story *s = arg;
	const struct cli *c = s->c;
	char due[16], planned[32];
	struct buf result = BUF_INIT;
	bool first = true;

	note_result(c, v, &result);
	table_cell(s->notes, cli_day(c, v->due, due, sizeof(due)));
	table_cell(s->notes, v->note.agency);
	table_cell(s->notes, v->note.step);
	table_cell(s->notes, v->note.kind);
	table_cell(s->notes, cli_when(c, v->note.planned_at, planned, sizeof(planned)));
	table_cell(s->notes, note_state_names[v->note.state]);
	if (v->note.message)
		table_cellf(s->notes, "%lld", (long long)v->note.message);
	else
		table_cell(s->notes, "-");
	table_cell(s->notes, buf_str(&result));

	struct buf *j = &s->notes_json;
	buf_adds(j, s->n_notes++ ? ",{" : "{");
	json_key(j, "occurrence", &first);
	buf_printf(j, "%lld", (long long)v->note.occurrence_id);
	json_key(j, "due", &first);
	json_time(j, v->due, c->cfg->tz_offset);
	json_key(j, "agency", &first);
	json_string(j, v->note.agency);
	json_key(j, "step", &first);
	json_string(j, v->note.step);
	json_key(j, "kind", &first);
	json_string(j, v->note.kind);
	json_key(j, "planned_at", &first);
	json_time(j, v->note.planned_at, c->cfg->tz_offset);
	json_key(j, "state", &first);
	json_string(j, note_state_names[v->note.state]);
	json_key(j, "message", &first);
	if (v->note.message)
		buf_printf(j, "%lld", (long long)v->note.message);
	else
		buf_adds(j, "null");
	json_key(j, "message_id", &first);
	json_string(j, v->message_id);
	json_key(j, "message_state", &first);
	json_string(j, v->note.message ? msg_state_names[v->msg_state] : NULL);
	json_key(j, "sent_at", &first);
	json_time(j, v->sent_at, c->cfg->tz_offset);
	json_key(j, "error", &first);
	json_string(j, v->msg_error);
	buf_addc(j, '}');
	buf_free(&result);
	return 0;
}

static int on_history(time_t at, const char *what, const char *detail, void *arg)
{
	struct story *s = arg;
	char when[32];
	bool first = true;

	table_cell(s->history, cli_when(s->c, at, when, sizeof(when)));
	table_cell(s->history, what);
	table_cell(s->history, detail);
	buf_adds(&s->history_json, s->n_history++ ? ",{" : "{");
	json_key(&s->history_json, "at", &first);
	json_time(&s->history_json, at, s->c->cfg->tz_offset);
	json_key(&s->history_json, "what", &first);
	json_string(&s->history_json, what);
	json_key(&s->history_json, "detail", &first);
	json_string(&s->history_json, detail);
	buf_addc(&s->history_json, '}');
	return 0;
}

/* One reply about the task (the inbox): who, when, and what each of its lines did. */
static int on_reply(const struct store_inbound *in, const struct store_reply_cmd *cmds,
                    size_t n_cmds, const struct store_attachment *atts, size_t n_atts, void *arg)
{
	struct story *s = arg;
	struct buf *j = &s->replies_json, did = BUF_INIT;
	char when[32];
	bool first = true;

	for (size_t i = 0; i < n_cmds; i++)
		buf_printf(&did, "%s%s: %s", i ? "; " : "", cmds[i].command, cmds[i].state);
	for (size_t i = 0; i < n_atts; i++)
		buf_printf(&did, "%sfile %s%s", did.len ? "; " : "", atts[i].filename,
		           atts[i].refused ? " (not saved)" : "");
	table_cell(s->replies, cli_when(s->c, in->received_at, when, sizeof(when)));
	table_cell(s->replies, in->from_addr ? in->from_addr : "?");
	table_cell(s->replies, in->agency ? in->agency : "-");
	table_cell(s->replies, in->state);
	table_cell(s->replies, did.len ? buf_str(&did) : in->reason ? in->reason : "");
	buf_adds(j, s->n_replies++ ? ",{" : "{");
	json_key(j, "received_at", &first);
	json_time(j, in->received_at, s->c->cfg->tz_offset);
	const char *fields[][2] = {{"from", in->from_addr},
	                           {"agency", in->agency},
	                           {"subject", in->subject},
	                           {"state", in->state},
	                           {"reason", in->reason}};
	for (size_t i = 0; i < UTIL_NELEM(fields); i++) {
		json_key(j, fields[i][0], &first);
		json_string(j, fields[i][1]);
	}
	json_key(j, "commands", &first);
	buf_addc(j, '[');
	for (size_t i = 0; i < n_cmds; i++) {
		bool f = true;
		buf_adds(j, i ? ",{" : "{");
		json_key(j, "line", &f);
		json_string(j, cmds[i].line_text);
		json_key(j, "command", &f);
		json_string(j, cmds[i].command);
		json_key(j, "state", &f);
		json_string(j, cmds[i].state);
		buf_addc(j, '}');
	}
	buf_addc(j, ']');
	json_key(j, "files", &first);
	buf_addc(j, '[');
	for (size_t i = 0; i < n_atts; i++) {
		buf_adds(j, i ? "," : "");
		json_string(j, atts[i].path ? atts[i].path : atts[i].filename);
	}
	buf_adds(j, "]}");
	buf_free(&did);
	return 0;
}

static void field(struct buf *b, const char *name, const char *value)
{
	if (value && *value)
		buf_printf(b, "  %-10s %s\n", name, value);
}

static void show_text(const struct cli *c, const struct task *t, const struct store_plan *p,
                      struct story *s, struct buf *b)
{
	char a[40], d[40];
	struct buf line = BUF_INIT;

	buf_printf(b, "Task %lld: %s:%s\n", (long long)t->id, t->plan_id, t->key);
	field(b, "Title", t->title);
	field(b, "Category", t->category);
	field(b, "Index", t->idx);
	buf_printf(&line, "%s", p->id);
	if (p->title)
		buf_printf(&line, " — %s", p->title);
	if (p->issued)
		buf_printf(&line, " — issued %s", p->issued);
	if (p->first_year)
		buf_printf(&line, " — %d-%d", p->first_year, p->last_year);
	if (p->monitor)
		buf_printf(&line, " — monitor: %s (%s)", dir_name(c->dir, p->monitor), p->monitor);
	field(b, "Plan", buf_str(&line));
	buf_reset(&line);
	buf_printf(&line, "%s:%d (%s)", t->source_file ? t->source_file : "?", t->source_line,
	           t->origin ? t->origin : "?");
	field(b, "Source", buf_str(&line));
	buf_reset(&line);
	buf_printf(&line, "\"%s\" — %s", t->timeframe, tf_kind_name(t->kind));
	if (t->due != TF_NONE)
		buf_printf(&line, ", %s %s", tf_recurring(t->kind) ? "first due" : "due",
		           cli_when(c, t->due, a, sizeof(a)));
	field(b, "Timeframe", buf_str(&line));
	if (t->extended_due != TF_NONE) {
		buf_reset(&line);
		buf_printf(&line, "to %s (%d time%s)", cli_when(c, t->extended_due, d, sizeof(d)),
		           t->ext, t->ext == 1 ? "" : "s");
		field(b, "Extended", buf_str(&line));
	}
	field(b, "Condition", t->condition);
	buf_reset(&line);
	buf_printf(&line, "%s%s%s", task_status_name(t->status), t->status_note ? " — " : "",
	           t->status_note ? t->status_note : "");
	field(b, "Status", buf_str(&line));
	buf_reset(&line);
	static const char *const flags[] = {"timeframe not understood",
	                                    "unresolved agency",
	                                    "no lead agency",
	                                    "has a condition",
	                                    "no timeframe written (the plan's period)",
	                                    "deadline read from a sentence: check it"};
	for (unsigned f = 0; f < UTIL_NELEM(flags); f++)
		if (t->flags & (1u << f))
			buf_printf(&line, "%s%s", line.len ? "; " : "", flags[f]);
	field(b, "Flags", buf_str(&line));
	field(b, "Policy", t->policy);
	buf_free(&line);

	const char *heads[] = {"ROLE", "AGENCY", "NAME", "AS WRITTEN", "VIA GROUP"};
	struct table *tab = table_new(heads, UTIL_NELEM(heads));
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *ag = &t->agencies[i];
		table_cell(tab, task_role_name(ag->role));
		table_cellf(tab, "%s%s", ag->agency, ag->resolved ? "" : " (unresolved)");
		table_cell(tab, ag->resolved ? dir_name(c->dir, ag->agency) : "");
		table_cell(tab, ag->written);
		table_cell(tab, ag->via_group ? ag->via_group : "-");
	}
	buf_printf(b, "\nAssignments (%zu)\n", t->n_agencies);
	table_render(tab, "  ", b);
	table_free(tab);

	const char *oh[] = {"ID", "DUE", "WINDOW FROM", "STATUS", "NEXT LOOK"};
	tab = table_new(oh, UTIL_NELEM(oh));
	for (size_t i = 0; i < s->n_occ; i++) {
		const struct store_occ *o = &s->occ[i];
		table_cellf(tab, "%lld", (long long)o->id);
		table_cell(tab, cli_when(c, o->due, a, sizeof(a)));
		table_cell(tab, cli_day(c, o->window_start, d, sizeof(d)));
		table_cell(tab, task_status_name(o->status));
		/* 0: new, or changed by an import: the daemon looks at it first thing. */
		table_cell(tab,
		           o->next_at == 0 ? "at once" : cli_when(c, o->next_at, a, sizeof(a)));
	}
	buf_printf(b, "\nOccurrences (%zu)\n", s->n_occ);
	if (s->n_occ)
		table_render(tab, "  ", b);
	else
		buf_adds(b, "  none yet: the daemon creates them when it plans the task\n");
	table_free(tab);

	buf_printf(b, "\nNotifications (%zu)\n", s->n_notes);
	if (s->n_notes)
		table_render(s->notes, "  ", b);
	buf_printf(b, "\nReplies (%zu)\n", s->n_replies);
	if (s->n_replies)
		table_render(s->replies, "  ", b);
	buf_printf(b, "\nHistory (%zu)\n", s->n_history);
	if (s->n_history)
		table_render(s->history, "  ", b);
}

static void show_json(const struct cli *c, const struct task *t, const struct store_plan *p,
                      struct story *s, struct buf *b)
{
	const int tz = c->cfg->tz_offset;
	bool first = true;

	buf_addc(b, '{');
	report_task_fields(c->dir, t, b, &first);
	const char *strings[][2] = {{"status_note", t->status_note},
	                            {"origin", t->origin},
	                            {"policy", t->policy},
	                            {"raw", t->raw}};
	for (size_t i = 0; i < UTIL_NELEM(strings); i++) {
		json_key(b, strings[i][0], &first);
		json_string(b, strings[i][1]);
	}
	json_key(b, "extensions", &first);
	buf_printf(b, "%d", t->ext);
	json_key(b, "plan_identity", &first);
	buf_adds(b, "{\"id\":");
	json_string(b, p->id);
	buf_adds(b, ",\"title\":");
	json_string(b, p->title);
	buf_adds(b, ",\"issued\":");
	json_string(b, p->issued);
	buf_adds(b, ",\"monitor\":");
	json_string(b, p->monitor);
	buf_printf(b, ",\"first_year\":%d,\"last_year\":%d}", p->first_year, p->last_year);
	json_key(b, "assignments", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *ag = &t->agencies[i];
		bool f = true;
		buf_adds(b, i ? ",{" : "{");
		json_key(b, "role", &f);
		json_string(b, task_role_name(ag->role));
		json_key(b, "agency", &f);
		json_string(b, ag->agency);
		json_key(b, "name", &f);
		json_string(b, ag->resolved ? dir_name(c->dir, ag->agency) : NULL);
		json_key(b, "written", &f);
		json_string(b, ag->written);
		json_key(b, "via_group", &f);
		json_string(b, ag->via_group);
		json_key(b, "resolved", &f);
		buf_adds(b, ag->resolved ? "true}" : "false}");
	}
	buf_addc(b, ']');
	json_key(b, "occurrences", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < s->n_occ; i++) {
		const struct store_occ *o = &s->occ[i];
		bool f = true;
		buf_adds(b, i ? ",{" : "{");
		json_key(b, "id", &f);
		buf_printf(b, "%lld", (long long)o->id);
		json_key(b, "due", &f);
		json_time(b, o->due, tz);
		json_key(b, "window_start", &f);
		json_time(b, o->window_start, tz);
		json_key(b, "status", &f);
		json_string(b, task_status_name(o->status));
		json_key(b, "next_at", &f);
		json_time(b, o->next_at, tz);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	json_key(b, "notifications", &first);
	buf_printf(b, "[%s]", buf_str(&s->notes_json));
	json_key(b, "replies", &first);
	buf_printf(b, "[%s]", buf_str(&s->replies_json));
	json_key(b, "history", &first);
	buf_printf(b, "[%s]}\n", buf_str(&s->history_json));
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
	const char *nh[] = {"DUE",     "AGENCY", "STEP",    "KIND",
	                    "PLANNED", "STATE",  "MESSAGE", "RESULT"};
	const char *hh[] = {"AT", "WHAT", "DETAIL"};
	const char *rh[] = {"RECEIVED", "FROM", "AGENCY", "STATE", "WHAT IT DID"};
	bool json = false;
	struct task t;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'j')
			return cli_usage_error(c->usage);
		json = true;
	}
	if (argc - optind != 1)
		return cli_usage_error(c->usage);
	if (cli_open_view(c) < 0 || cli_find_task(c, argv[optind], &t) < 0)
		return 1;

	struct story s = {.c = c,
	                  .notes = table_new(nh, UTIL_NELEM(nh)),
	                  .history = table_new(hh, UTIL_NELEM(hh)),
	                  .replies = table_new(rh, UTIL_NELEM(rh))};
	struct store_plan p;
	table_max_width(s.notes, 7, 60);
	table_max_width(s.history, 2, 80);
	int found = store_plan_get(c->st, t.plan_id, &p);
	if (found == 0) {
		memset(&p, 0, sizeof(p));
		p.id = xstrdup(t.plan_id);
	}
	int rc = found < 0 || store_occ_of_task(c->st, t.id, on_occ, &s) < 0 ||
	         store_task_notes(c->st, t.id, on_note, &s) < 0 ||
	         store_task_replies(c->st, t.id, on_reply, &s) < 0 ||
	         store_history(c->st, t.id, on_history, &s) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
	} else {
		struct buf b = BUF_INIT;
		(json ? show_json : show_text)(c, &t, &p, &s, &b);
		cli_print(&b);
		buf_free(&b);
	}
	if (found >= 0)
		store_plan_free(&p);
	table_free(s.notes);
	table_free(s.history);
	table_free(s.replies);
	buf_free(&s.notes_json);
	buf_free(&s.history_json);
	buf_free(&s.replies_json);
	free(s.occ);
	task_free(&t);
	return rc;
}
