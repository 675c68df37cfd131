/*
 * cmd_import — `deadlinectl import`: plan documents into the store.
 */
#include "cli/cmd.h"

#include "date.h"
#include "ingest.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"plan-id", required_argument, NULL, 'i'}, {"title", required_argument, NULL, 't'},
	    {"issued", required_argument, NULL, 'd'},  {"period", required_argument, NULL, 'p'},
	    {"monitor", required_argument, NULL, 'm'}, {"dry-run", no_argument, NULL, 'n'},
	    {"json", no_argument, NULL, 'j'},          {NULL, 0, NULL, 0}};
	const char *usage = c->usage;
	struct ingest_options o = {0};
	struct ingest_totals totals = {0};
	int ch, failed = 0;
	time_t day;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			o.plan_id = optarg;
			break;
		case 't':
			o.title = optarg;
			break;
		case 'm':
			o.monitor = optarg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'd':
			if (strlen(optarg) != 10 || date_parse_iso(optarg, 0, &day) < 0)
				return cli_usage_error(usage);
			o.issued = optarg;
			break;
		case 'p':
			if (sscanf(optarg, "%d-%d", &o.first_year, &o.last_year) != 2 ||
			    o.first_year > o.last_year)
				return cli_usage_error(usage);
			break;
		default:
			return cli_usage_error(usage);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage);
	if (cli_open_store(c) < 0)
		return 1;
	for (int i = optind; i < argc; i++)
		failed += ingest_file(c->st, c->dir, &o, argv[i], c->now, stdout, &totals) < 0;
	if (!o.json && totals.files > 1)
		printf("all files: %d tasks (%d new, %d updated, %d unchanged, %d flagged)\n",
		       totals.tasks, totals.created, totals.updated, totals.unchanged,
		       totals.flagged);
	if (!o.dry_run && totals.created + totals.updated > 0)
		cli_poke_daemon(c);
	return failed ? 1 : 0;
}
