/*
 * cmd_inbox — `inbox`: what arrived, what it changed, what is held; and
 * `inbox accept|reject ID` for the held replies.
 */
#include "cli/cmd.h"

#include "date.h"
#include "inbox/inbox.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct listing {
	struct cli *c;
	int shown;
};

static void print_commands(struct cli *c, int64_t id)
{
	struct store_reply_cmd *cmds;
	struct store_attachment *atts;
	size_t n, n_atts;

	if (store_reply_cmds(c->st, id, &cmds, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct task t;
			bool named =
			    cmds[i].task_id && store_task_get(c->st, cmds[i].task_id, &t) == 1;
			printf("    line %d \"%s\" → %s %s%s%s: %s%s%s\n", cmds[i].line,
			       cmds[i].line_text, cmds[i].command, named ? t.plan_id : "",
			       named ? ":" : "", named ? t.key : "(no task)", cmds[i].state,
			       cmds[i].detail ? ", " : "", cmds[i].detail ? cmds[i].detail : "");
			if (named)
				task_free(&t);
		}
		store_reply_cmds_free(cmds, n);
	}
	if (store_attachments(c->st, id, &atts, &n_atts) == 0) {
		for (size_t i = 0; i < n_atts; i++)
			printf("    file %s (%lld bytes): %s\n", atts[i].filename,
			       (long long)atts[i].size,
			       atts[i].path ? atts[i].path : atts[i].refused);
		store_attachments_free(atts, n_atts);
	}
}

static int print_inbound(const struct store_inbound *in, void *arg)
{
	struct listing *l = arg;
	char at[40];

	printf("#%lld  %s  %s%s%s%s  %s %s\n", (long long)in->id,
	       date_format_iso(in->received_at, l->c->cfg->tz_offset, at, sizeof(at)),
	       in->from_addr ? in->from_addr : "(no sender)", in->agency ? " (" : "",
	       in->agency ? in->agency : "", in->agency ? ")" : "", in->kind, in->state);
	if (in->subject)
		printf("    subject: %s\n", in->subject);
	if (in->reason)
		printf("    why: %s\n", in->reason);
	if (in->decided_by)
		printf("    decided by %s\n", in->decided_by);
	if (in->answer_kind)
		printf("    answered: %s\n", in->answer_kind);
	print_commands(l->c, in->id);
	l->shown++;
	return 0;
}

static int list(struct cli *c, bool held, int limit)
{
	struct listing l = {c, 0};

	if (store_inbound_list(c->st, held ? "held" : NULL, limit, print_inbound, &l) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		return 1;
	}
	if (!l.shown)
		printf(held ? "nothing is held\n" : "nothing has arrived\n");
	return 0;
}

static int decide(struct cli *c, bool accept, const char *ref, const char *reason)
{
	char *end;
	long long id = strtoll(ref, &end, 10);
	struct inbox_env env = {c->st, c->cfg, c->dir, c->db_path ? c->db_path : c->cfg->database};
	struct inbox_result r;

	if (*ref == '#')
		id = strtoll(ref + 1, &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c->usage);
	int rc = accept ? inbox_accept(&env, id, cli_user(), c->now, &r)
	                : inbox_reject(&env, id, cli_user(), reason, c->now, &r);
	if (rc < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		return 1;
	}
	if (rc > 0) {
		fprintf(stderr, "deadlinectl: %s\n", r.summary);
		return 1;
	}
	printf("%s\n", r.summary);
	print_commands(c, id);
	cli_poke_daemon(c);
	return 0;
}

int cmd_inbox(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"held", no_argument, NULL, 'H'},
	                                     {"limit", required_argument, NULL, 'l'},
	                                     {"reason", required_argument, NULL, 'r'},
	                                     {NULL, 0, NULL, 0}};
	const char *reason = NULL;
	bool held = false;
	int limit = 50, ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'H')
			held = true;
		else if (ch == 'l')
			limit = atoi(optarg);
		else if (ch == 'r')
			reason = optarg;
		else
			return cli_usage_error(c->usage);
	}
	int rest = argc - optind;
	const char *verb = rest ? argv[optind] : NULL;
	if (limit <= 0 || (verb && strcmp(verb, "accept") && strcmp(verb, "reject")) ||
	    (verb && rest != 2) || (!verb && reason) || (verb && !strcmp(verb, "accept") && reason))
		return cli_usage_error(c->usage);
	if (cli_open_store(c) < 0)
		return 1;
	if (verb)
		return decide(c, !strcmp(verb, "accept"), argv[optind + 1],
		              reason ? reason : "rejected by the admin");
	return list(c, held, limit);
}
