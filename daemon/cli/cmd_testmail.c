/*
 * cmd_testmail — `test-mail ADDRESS`: a sample digest, rendered with the
 * real templates, sent at once through the configured transport (Maildir
 * or SMTP), and the outcome in plain words. The sample is the agency's own
 * tasks (--agency), else a few open tasks of the store, else one made-up
 * task. Nothing is stored: it is not a notification, and its threading
 * headers are dropped so that it joins no real conversation.
 */
#include "cli/cmd.h"

#include "compose.h"
#include "date.h"
#include "digest.h"
#include "mail.h"
#include "mime.h"
#include "progress.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SAMPLE 8

struct sample {
	struct task tasks[MAX_SAMPLE];
	struct digest_item items[MAX_SAMPLE];
	char steps[MAX_SAMPLE][16];
	size_t n;
};

static bool leads(const struct task *t, const char *agency, const struct dir *d, int64_t day)
{
	for (size_t i = 0; i < t->n_agencies; i++)
		if (t->agencies[i].resolved &&
		    !strcmp(dir_holder(d, t->agencies[i].agency, day), agency))
			return true;
	return false;
}

/* The item for a task whose deadline is `due`, as the daemon would word it on the day. */
static void add_item(struct cli *c, struct sample *s, const char *agency, time_t due)
{
	size_t i = s->n++;
	int64_t left =
	    policy_last_day(due, c->cfg->tz_offset) - date_local_days(c->now, c->cfg->tz_offset);
	bool late = left < 0;

	snprintf(s->steps[i], sizeof(s->steps[i]), "%c%lld", late ? 'e' : 'r',
	         (long long)(late ? -left : left));
	const struct store_plan *plan = cli_plan(c, s->tasks[i].plan_id);
	s->items[i] = (struct digest_item){
	    .task = &s->tasks[i],
	    .plan_title = plan->title,
	    .plan_issued = plan->issued,
	    .occurrence_id =
	        -(int64_t)(i + 1), /* distinct: the digest merges an occurrence's items */
	    .due = due,
	    .original_due = s->tasks[i].extended_due != TF_NONE ? s->tasks[i].due : TF_NONE,
	    .role = ROLE_LEAD,
	    .kind = late ? SCHED_ESCALATION : SCHED_REMINDER,
	    .step = s->steps[i],
	    .assigned = agency,
	    .prev_msgid = ""};
}

/* Open tasks with a deadline: the agency's (when given), else any; at most MAX_SAMPLE. */
static int from_store(struct cli *c, const char *agency, struct sample *s, const char **recipient)
{
	int64_t *ids = NULL, today = date_local_days(c->now, c->cfg->tz_offset);
	size_t n = 0;

	if (store_task_ids(c->st, NULL, &ids, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && s->n < MAX_SAMPLE; i++) {
		struct task *t = &s->tasks[s->n];
		struct progress_row row;
		if (store_task_get(c->st, ids[i], t) != 1)
			break;
		struct planner_plan pp;
		planner_plan_of(NULL, TF_NONE, c->cfg->tz_offset, &pp);
		progress_judge(t, &pp, NULL, 0, c->now, c->cfg->tz_offset, &row);
		const char *who = agency;
		for (size_t k = 0; !who && k < t->n_agencies; k++)
			if (t->agencies[k].role == TASK_LEAD && t->agencies[k].resolved)
				who = dir_holder(c->dir, t->agencies[k].agency, today);
		if (task_status_final(t->status) || row.due == TF_NONE || !who ||
		    (agency && !leads(t, agency, c->dir, today)) ||
		    (*recipient && strcmp(who, *recipient))) {
			task_free(t);
			continue;
		}
		*recipient = who;
		add_item(c, s, who, row.due);
	}
	free(ids);
	return 0;
}

/* No task to show: one made up, due in a week, so the templates still show everything. */
static void made_up(struct cli *c, struct sample *s, const char *recipient)
{
	struct task *t = &s->tasks[0];
	bool vi = !strcmp(c->cfg->language, "vi");

	task_init(t);
	t->plan_id = xstrdup(vi ? "MẪU" : "SAMPLE");
	t->key = xstrdup("1");
	t->idx = xstrdup("1");
	t->title = xstrdup(vi ? "Nhiệm vụ mẫu: kiểm tra hệ thống nhắc việc"
	                      : "Sample task: checking the reminder system");
	t->timeframe = xstrdup(vi ? "Thư thử nghiệm" : "Test message");
	t->kind = TF_ONCE;
	t->due = c->now + 7 * DATE_DAY;
	task_add_agency(t, TASK_LEAD, recipient, recipient, NULL, true);
	add_item(c, s, recipient, t->due);
}

/* What the server said, for each recipient, in plain words. */
static bool outcome(const struct mail_settings *ms, const struct mail_result *r)
{
	if (ms->transport == CFG_MAILDIR) {
		if (r->status == MAIL_SENT)
			printf("written to the Maildir: %s\n", r->where);
		else
			printf("could not write to the Maildir: %s\n", r->error ? r->error : "?");
		return r->status == MAIL_SENT;
	}
	if (!r->n_rcpts) {
		printf("the message was not sent: %s\n", r->error ? r->error : "no answer");
		return false;
	}
	for (size_t i = 0; i < r->n_rcpts; i++) {
		const struct mail_rcpt_result *rr = &r->rcpts[i];
		if (rr->accepted)
			printf("the server %s accepted the message for %s: %d %s\n", r->where,
			       rr->address, rr->code, rr->text);
		else if (rr->permanent)
			printf("the server %s refused %s: %s\n", r->where, rr->address,
			       r->error ? r->error : rr->text);
		else if (rr->code)
			printf("the server %s deferred %s (try again later): %s\n", r->where,
			       rr->address, r->error ? r->error : rr->text);
		else
			printf("the message did not reach %s: %s\n", rr->address,
			       r->error ? r->error : "the session ended first");
	}
	return r->status == MAIL_SENT;
}

int cmd_test_mail(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"agency", required_argument, NULL, 'a'},
	                                     {NULL, 0, NULL, 0}};
	const char *agency = NULL, *recipient = NULL;
	struct sample *s = xcalloc(1, sizeof(*s));
	struct digest_templates *tpl = NULL;
	struct buf errors = BUF_INIT, body = BUF_INIT;
	struct digest_msg d = {0};
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'a') {
			free(s);
			return cli_usage_error(c->usage);
		}
		agency = optarg;
	}
	if (argc - optind != 1 || !mime_addr_valid(argv[optind])) {
		if (argc - optind == 1)
			fprintf(stderr, "deadlinectl: %s: not an email address (user@domain)\n",
			        argv[optind]);
		free(s);
		return 2;
	}
	const char *address = argv[optind];
	if (cli_open_view(c) < 0 || cli_read_secrets(c) < 0)
		goto out;
	if (agency && !cfg_agency(c->cfg, agency)) {
		fprintf(stderr, "deadlinectl: --agency %s: no such agency in the directory\n",
		        agency);
		goto out;
	}
	if (!(tpl = digest_templates_load(c->cfg->templates, c->cfg->language, &errors))) {
		fprintf(stderr, "deadlinectl: templates:\n%s", buf_str(&errors));
		goto out;
	}
	recipient = agency;
	if (from_store(c, agency, s, &recipient) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		goto out;
	}
	if (!recipient)
		recipient = c->cfg->monitor      ? c->cfg->monitor
		            : c->cfg->n_agencies ? c->cfg->agencies[0].id
		                                 : "test";
	if (!s->n)
		made_up(c, s, recipient);
	digest_build(tpl, c->dir, recipient, s->items, s->n, c->now, compose_domain(c->cfg), &d);
	/* To the address given only, and in no thread of the real ones. */
	for (size_t i = 0; i < d.to.n; i++)
		free(d.to.v[i]);
	for (size_t i = 0; i < d.cc.n; i++)
		free(d.cc.v[i]);
	for (size_t i = 0; i < d.references.n; i++)
		free(d.references.v[i]);
	free(d.in_reply_to);
	d.in_reply_to = NULL;
	d.cc.n = d.references.n = 0;
	d.to.v = xrealloc(d.to.v, sizeof(*d.to.v));
	d.to.v[0] = xstrdup(address);
	d.to.n = 1;
	struct buf subject = BUF_INIT;
	buf_printf(&subject, "[%s] %s", !strcmp(c->cfg->language, "vi") ? "Thử nghiệm" : "Test",
	           d.subject);
	free(d.subject);
	d.subject = buf_steal(&subject);

	char err[256], *msgid = compose_message_id(c->cfg, c->now);
	if (compose_digest(c->cfg, &d, NULL, msgid, c->now, &body, err, sizeof(err)) < 0) {
		fprintf(stderr, "deadlinectl: the sample cannot be sent: %s\n", err);
		free(msgid);
		goto out;
	}
	struct mail_job job = {.rcpt = d.to.v, .n_rcpt = 1, .body = body.data, .len = body.len};
	struct mail_settings ms;
	struct mail_result *r = xcalloc(1, sizeof(*r));
	mail_settings_from_cfg(c->cfg, &ms);
	printf("sample digest as %s (%s) would get it, %zu task%s: \"%s\" <%s>\n",
	       dir_name(c->dir, recipient), recipient, s->n, s->n == 1 ? "" : "s", d.subject,
	       msgid);
	fflush(stdout);
	mail_send_now(&ms, &job, r);
	rc = outcome(&ms, r) ? 0 : 1;
	mail_results_free(r, 1);
	mail_settings_free(&ms);
	free(msgid);
out:
	for (size_t i = 0; i < s->n; i++)
		task_free(&s->tasks[i]);
	free(s);
	digest_msg_free(&d);
	if (tpl)
		digest_templates_free(tpl);
	buf_free(&errors);
	buf_free(&body);
	return rc;
}
