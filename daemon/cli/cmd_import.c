/*
 * cmd_import — `deadlinectl import`: plan documents into the store.
 *
 * Exit status: 0 when every file was imported (or explained); 1 when a file
 * could not be read, held no task, or the store failed (the others are
 * still imported); 2 on a usage error. Reports go to stdout (with --json
 * one object per file, failures included), errors to stderr as well.
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
	    {"plan-id", required_argument, NULL, 'i'},  {"title", required_argument, NULL, 't'},
	    {"issued", required_argument, NULL, 'd'},   {"period", required_argument, NULL, 'p'},
	    {"monitor", required_argument, NULL, 'm'},  {"dry-run", no_argument, NULL, 'n'},
	    {"json", no_argument, NULL, 'j'},           {"explain", no_argument, NULL, 'e'},
	    {"retire-missing", no_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
	const char *usage = c->usage;
	struct ingest_options o = {0};
	struct ingest_totals totals = {0};
	bool explain = false;
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
		case 'e':
			explain = true;
			break;
		case 'r':
			o.retire_missing = true;
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
	if (explain) {
		for (int i = optind; i < argc; i++)
			failed += ingest_explain(argv[i], stdout, stderr) < 0;
		return failed ? 1 : 0;
	}
	if (cli_open_store(c) < 0)
		return 1;
	for (int i = optind; i < argc; i++)
		failed +=
		    ingest_file(c->st, c->dir, &o, argv[i], c->now, stdout, stderr, &totals) < 0;
	if (!o.json && argc - optind > 1)
		printf("all files: %d tasks (%d new, %d updated, %d unchanged, %d flagged)%s\n",
		       totals.tasks, totals.created, totals.updated, totals.unchanged,
		       totals.flagged, failed ? ", some files not imported" : "");
	if (!o.dry_run && totals.created + totals.updated + totals.retired > 0)
		cli_poke_daemon(c);
	return failed ? 1 : 0;
}
