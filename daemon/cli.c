/*
 * cli — see cli.h. The dispatcher: global options, then one command from
 * the table below; each command lives in daemon/cli/cmd_*.c.
 *
 * Commands that change the store (import, progress, extend) poke the
 * daemon afterwards ("reschedule"), so the change takes effect at once;
 * a daemon that is not running picks it up when it starts.
 */
#include "cli.h"

#include "cli/cmd.h"
#include "ctlproto.h"
#include "date.h"
#include "log.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each command: its name, function, usage line and a line for the list. */
static const struct {
	const char *name;
	command_fn run;
	const char *usage, *help;
} commands[] = {
    {"parse", cmd_parse,
     "parse [--now ISO] [--plan-period YYYY-YYYY] [--issued YYYY[-MM-DD]] [--tz ±HH:MM] [--json] "
     "PHRASE... | -",
     "read timeframe phrases (no config needed)"},
    {"check-config", cmd_check_config, "check-config [--smtp]",
     "validate the configuration and templates; --smtp: log in to the server"},
    {"import", cmd_import,
     "import [--plan-id ID] [--title T] [--issued YYYY-MM-DD] [--period YYYY-YYYY]\n"
     "       [--monitor AGENCY] [--dry-run] [--json] [--retire-missing] FILE...\n"
     "       deadlinectl import --explain FILE...",
     "import plan documents as tasks"},
    {"tasks", cmd_tasks, "tasks [--plan PLAN] [--flagged] [--json]", "list tasks"},
    {"show", cmd_show, "show TASK [--json]",
     "a task's whole story: source, occurrences, notifications, history"},
    {"agenda", cmd_agenda, "agenda [--agency A] [--plan P] [--days N] [--overdue] [--json]",
     "what is overdue, due soon and upcoming, by agency"},
    {"agencies", cmd_agencies, "agencies [--unresolved [--stanzas]] [--json]",
     "list the directory, or names that match nothing (--stanzas: directory.ini drafts)"},
    {"preview", cmd_preview,
     "preview --from DATE --to DATE [--json]\n"
     "       deadlinectl preview --render [--at DATE] [--agency A] [--html DIR]",
     "the emails the daemon would send in a window, or rendered in full"},
    {"messages", cmd_messages,
     "messages [--agency A] [--task T] [--since DATE] [--failed] [--limit N] [--json]\n"
     "       deadlinectl messages show ID [--raw | --json]",
     "the sent log; one message as sent"},
    {"resend", cmd_resend, "resend ID [--to ADDRESS]…",
     "queue a copy of a message again (recorded as a resend)"},
    {"test-mail", cmd_test_mail, "test-mail ADDRESS [--agency A]",
     "send a sample digest now and say what the server answered"},
    {"progress", cmd_progress,
     "progress TASK STATUS [--note TEXT] [--occurrence YYYY-MM-DD]\n"
     "  STATUS: open, in-progress, waiting, done, not-met, cancelled, or the "
     "report's words\n  (Đạt, Hoàn thành, Đang thực hiện, Chờ …, Chưa đạt)",
     "record a task's progress (done, waiting, …)"},
    {"extend", cmd_extend,
     "extend TASK DATE   (gia hạn: the new deadline, end of DATE)\n"
     "       deadlinectl extend TASK --approve|--refuse [--note TEXT]   (an agency's request)",
     "extend a deadline (gia hạn), or settle a request for one"},
    {"inbox", cmd_inbox,
     "inbox [--held] [--limit N]\n"
     "       deadlinectl inbox accept ID\n"
     "       deadlinectl inbox reject ID [--reason TEXT]",
     "replies received, what they changed, what is held"},
    {"report", cmd_report,
     "report [--plan P] [--as-of DATE] [--format text|html|csv|xlsx] [-o FILE] [--json]",
     "the progress report: per task and per agency"},
    {"export", cmd_export, "export ics [--agency A] [--days N] DIR",
     "one iCalendar file of deadlines per agency"},
    {"backup", cmd_backup, "backup FILE",
     "copy the database to a new FILE, also while the daemon runs"},
    {CTL_STATUS, cmd_daemon, CTL_STATUS, "the daemon's state: next wake-up, queue, last result"},
    {CTL_RELOAD, cmd_daemon, CTL_RELOAD, "make the daemon reread its configuration"},
    {CTL_RESCHEDULE, cmd_daemon, CTL_RESCHEDULE, "make the daemon look at the store again"},
    {CTL_SEND_NOW, cmd_daemon, CTL_SEND_NOW, "send what is due and retry the queue now"},
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: deadlinectl [--config FILE] [--db FILE] [--socket PATH] [--now TIME] "
	        "COMMAND [ARGS]\n"
	        "  --config FILE  default: $DEADLINED_CONFIG, else /etc/deadlined/deadlined.ini\n"
	        "  --now TIME     the clock for this command (ISO 8601), as deadlined --now\n"
	        "commands (COMMAND --help for its options):\n");
	for (size_t i = 0; i < UTIL_NELEM(commands); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].help);
}

/* `COMMAND --help` (or -h) anywhere before "--": the usage on stdout. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int cli_main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, 'd'},
	    {"socket", required_argument, NULL, 's'}, {"now", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
	const char *env = getenv("DEADLINED_CONFIG");
	struct cli c = {.config_path = env && *env ? env : "/etc/deadlined/deadlined.ini",
	                .now = time(NULL)};
	int ch, rc = 2;

	log_init("deadlinectl", true, false);
	while ((ch = getopt_long(argc, argv, "+c:d:s:h", opts, NULL)) != -1) {
		if (ch == 'n' && date_parse_iso(optarg, DATE_TZ_VIETNAM, &c.now) < 0) {
			fprintf(stderr, "deadlinectl: --now %s: not an ISO 8601 time\n", optarg);
			return 2;
		} else if (ch == 'n')
			continue;
		if (ch == 'c')
			c.config_path = optarg;
		else if (ch == 'd')
			c.db_path = optarg;
		else if (ch == 's')
			c.socket = optarg;
		else {
			usage(ch == 'h' ? stdout : stderr);
			return ch == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < UTIL_NELEM(commands); i++)
		if (!strcmp(argv[optind], commands[i].name)) {
			char **sub = argv + optind;
			int subc = argc - optind;
			if (wants_help(subc, sub)) {
				printf("usage: deadlinectl %s\n%s\n", commands[i].usage,
				       commands[i].help);
				rc = 0;
				goto done;
			}
			c.usage = commands[i].usage;
			/* Each command parses its own options, after its arguments too:
			 * glibc starts afresh (and permutes again) only from optind 0. */
			optind = 0;
			rc = commands[i].run(&c, subc, sub);
			goto done;
		}
	fprintf(stderr, "deadlinectl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
done:
	if (c.viewing)
		store_rollback(c.st);
	for (size_t i = 0; i < c.n_plans; i++) {
		store_plan_free(c.plans[i]);
		free(c.plans[i]);
	}
	free(c.plans);
	store_close(c.st);
	dir_free(c.dir);
	cfg_free(c.cfg);
	free(c.config_socket);
	return rc;
}
