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
#include "log.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	command_fn run;
	const char *help;
} commands[] = {
    {"parse", cmd_parse, "read timeframe phrases (no config needed)"},
    {"check-config", cmd_check_config, "validate the configuration and templates"},
    {"import", cmd_import, "import plan documents as tasks"},
    {"tasks", cmd_tasks, "list tasks"},
    {"agencies", cmd_agencies, "list the directory, or names that match nothing"},
    {"preview", cmd_preview, "list the emails the daemon would send in a window"},
    {"progress", cmd_progress, "record a task's progress (done, waiting, …)"},
    {"extend", cmd_extend, "extend a deadline (gia hạn)"},
    {"backup", cmd_backup, "copy the database to a new FILE, also while the daemon runs"},
    {CTL_STATUS, cmd_daemon, "the daemon's state: next wake-up, queue, last result"},
    {CTL_RELOAD, cmd_daemon, "make the daemon reread its configuration"},
    {CTL_RESCHEDULE, cmd_daemon, "make the daemon look at the store again"},
    {CTL_SEND_NOW, cmd_daemon, "send what is due and retry the queue now"},
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: deadlinectl [--config FILE] [--db FILE] [--socket PATH] COMMAND [ARGS]\n"
	        "  --config FILE  default: $DEADLINED_CONFIG, else /etc/deadlined/deadlined.ini\n"
	        "commands:\n");
	for (size_t i = 0; i < UTIL_NELEM(commands); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].help);
}

int cli_main(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"db", required_argument, NULL, 'd'},
	                                     {"socket", required_argument, NULL, 's'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *env = getenv("DEADLINED_CONFIG");
	struct cli c = {.config_path = env && *env ? env : "/etc/deadlined/deadlined.ini",
	                .now = time(NULL)};
	int ch, rc = 2;

	log_init("deadlinectl", true, false);
	while ((ch = getopt_long(argc, argv, "+c:d:s:h", opts, NULL)) != -1) {
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
	store_close(c.st);
	dir_free(c.dir);
	cfg_free(c.cfg);
	free(c.config_socket);
	return rc;
}
