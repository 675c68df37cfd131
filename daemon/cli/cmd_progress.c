/*
 * cmd_progress — `progress` and `extend`: what the admin records of a task.
 */
#include "cli/cmd.h"

#include "date.h"
#include "inbox/answer.h"
#include "sync.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct occ_match {
	int64_t day;
	int tz;
	int64_t id;
};

static int match_occurrence(const struct store_occ *o, void *arg)
{
	struct occ_match *m = arg;

	if (date_local_days(o->due, m->tz) == m->day ||
	    date_local_days(o->due - 1, m->tz) == m->day)
		m->id = o->id;
	return 0;
}

static int set_progress(struct cli *c, const struct task *t, enum task_status s, const char *note,
                        const char *occurrence)
{
	if (!occurrence)
		return store_task_set_status(c->st, t->id, s, note, c->now);
	time_t day;
	struct occ_match m = {0, c->cfg->tz_offset, 0};
	if (date_parse_iso(occurrence, c->cfg->tz_offset, &day) < 0) {
		fprintf(stderr, "deadlinectl: --occurrence %s: not a date\n", occurrence);
		return -1;
	}
	m.day = date_local_days(day, m.tz);
	if (store_occ_of_task(c->st, t->id, match_occurrence, &m) < 0 || !m.id) {
		fprintf(stderr, "deadlinectl: task %s:%s has no occurrence due on %s\n", t->plan_id,
		        t->key, occurrence);
		return -1;
	}
	if (store_occ_set_status(c->st, m.id, s) < 0)
		return -1;
	return store_history_add(c->st, t->id, task_status_name(s), occurrence, c->now);
}

int cmd_progress(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"note", required_argument, NULL, 'n'},
	                                     {"occurrence", required_argument, NULL, 'o'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = c->usage;
	const char *note = NULL, *occurrence = NULL;
	enum task_status s;
	struct task t;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			note = optarg;
		else if (ch == 'o')
			occurrence = optarg;
		else
			return cli_usage_error(usage);
	}
	if (argc - optind != 2 || task_status_parse(argv[optind + 1], &s) < 0 || s == TASK_REMOVED)
		return cli_usage_error(usage);
	if (cli_open_store(c) < 0 || cli_find_task(c, argv[optind], &t) < 0)
		return 1;
	int rc = store_begin(c->st) < 0 || set_progress(c, &t, s, note, occurrence) < 0 ||
	         sync_touch(c->st, t.id) < 0 || store_commit(c->st) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		store_rollback(c->st);
	} else {
		printf("%s:%s: %s%s%s\n", t.plan_id, t.key, task_status_name(s),
		       occurrence ? " for the occurrence due " : "", occurrence ? occurrence : "");
		cli_poke_daemon(c);
	}
	task_free(&t);
	return rc;
}

/* A one-off or period deadline; else why not (printed). */
static bool extendable(const struct task *t)
{
	if (t->due != TF_NONE && !tf_recurring(t->kind))
		return true;
	fprintf(stderr, "deadlinectl: only a one-off or period deadline can be extended; for one "
	                "occurrence of a recurring duty use `progress … waiting`\n");
	return false;
}

static void print_extended(const struct cli *c, const struct task *t, time_t due)
{
	char a[40];

	printf("%s:%s: deadline extended to %s\n", t->plan_id, t->key,
	       date_format_iso(due, c->cfg->tz_offset, a, sizeof(a)));
}

/* An agency's request (from its reply): approved, the deadline moves; refused, it stays. */
static int settle_request(struct cli *c, const struct task *t, bool approve, const char *note)
{
	struct store_extension x;
	int found = store_extension_pending(c->st, t->id, &x);

	if (found <= 0) {
		fprintf(stderr, "deadlinectl: %s:%s: %s\n", t->plan_id, t->key,
		        found < 0 ? store_error(c->st) : "no extension request is pending");
		return 1;
	}
	if (approve && !extendable(t)) {
		store_extension_free(&x);
		return 1;
	}
	struct answer_env e = {c->st, c->cfg, c->dir};
	int64_t msg;
	int rc =
	    store_begin(c->st) < 0 ||
	    (approve && (store_task_extend(c->st, t->id, x.requested_due, c->now) < 0 ||
	                 sync_touch(c->st, t->id) < 0)) ||
	    store_extension_decide(c->st, x.id, approve ? "approved" : "refused", cli_user(), note,
	                           c->now) < 0 ||
	    store_history_add(c->st, t->id, approve ? "extension-approved" : "extension-refused",
	                      note, c->now) < 0 ||
	    answer_extension_decided(&e, x.agency, t, x.requested_due, approve, note, c->now,
	                             &msg) < 0 ||
	    store_commit(c->st) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		store_rollback(c->st);
	} else {
		if (approve)
			print_extended(c, t, x.requested_due);
		else
			printf("%s:%s: the extension %s asked for is refused\n", t->plan_id, t->key,
			       x.agency);
		cli_poke_daemon(c);
	}
	store_extension_free(&x);
	return rc;
}

int cmd_extend(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"approve", no_argument, NULL, 'a'},
	                                     {"refuse", no_argument, NULL, 'r'},
	                                     {"note", required_argument, NULL, 'n'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = c->usage;
	const char *note = NULL;
	int approve = 0, refuse = 0, ch;
	struct task t;
	time_t due;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			approve = 1;
		else if (ch == 'r')
			refuse = 1;
		else if (ch == 'n')
			note = optarg;
		else
			return cli_usage_error(usage);
	}
	bool settling = approve || refuse;
	if (approve + refuse > 1 || argc - optind != (settling ? 1 : 2) || (note && !settling))
		return cli_usage_error(usage);
	if (cli_open_store(c) < 0 || cli_find_task(c, argv[optind], &t) < 0)
		return 1;
	if (settling) {
		int rc = settle_request(c, &t, approve, note);
		task_free(&t);
		return rc;
	}
	if (!extendable(&t) ||
	    cli_parse_when(argv[optind + 1], c->cfg->tz_offset, true, &due) < 0) {
		if (t.due != TF_NONE && !tf_recurring(t.kind))
			fprintf(stderr, "deadlinectl: DATE is YYYY-MM-DD or an ISO 8601 time\n");
		task_free(&t);
		return 1;
	}
	int rc = store_begin(c->st) < 0 || store_task_extend(c->st, t.id, due, c->now) < 0 ||
	         sync_touch(c->st, t.id) < 0 || store_commit(c->st) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		store_rollback(c->st);
	} else {
		print_extended(c, &t, due);
		cli_poke_daemon(c);
	}
	task_free(&t);
	return rc;
}
