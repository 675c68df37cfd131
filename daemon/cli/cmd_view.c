/*
 * cmd_view — the commands that only read: tasks, agencies, preview.
 */
#include "cli/cmd.h"

#include "digest.h"
#include "report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_tasks(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"plan", required_argument, NULL, 'p'},
	                                     {"flagged", no_argument, NULL, 'f'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *plan = NULL;
	bool flagged = false, json = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p')
			plan = optarg;
		else if (ch == 'f')
			flagged = true;
		else if (ch == 'j')
			json = true;
		else
			return cli_usage_error("tasks [--plan PLAN] [--flagged] [--json]");
	}
	if (optind != argc)
		return cli_usage_error("tasks [--plan PLAN] [--flagged] [--json]");
	if (cli_open_view(c) < 0)
		return 1;
	if (report_tasks(c->st, c->dir, plan, flagged, json, stdout) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		return 1;
	}
	return 0;
}

int cmd_agencies(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"unresolved", no_argument, NULL, 'u'},
	                                     {"stanzas", no_argument, NULL, 's'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = "agencies [--unresolved [--stanzas]] [--json]";
	enum report_agencies_what what = REPORT_DIRECTORY;
	bool json = false, stanzas = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'u')
			what = REPORT_UNRESOLVED;
		else if (ch == 's')
			stanzas = true;
		else if (ch == 'j')
			json = true;
		else
			return cli_usage_error(usage);
	}
	if (optind != argc || (stanzas && json))
		return cli_usage_error(usage);
	if (stanzas)
		what = REPORT_STANZAS;
	if (what != REPORT_DIRECTORY ? cli_open_view(c) < 0 : cli_load_config(c) < 0)
		return 1;
	if (report_agencies(c->st, c->dir, what, json, stdout) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		return 1;
	}
	return 0;
}

int cmd_preview(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = "preview --from DATE --to DATE [--json]";
	const char *from_s = NULL, *to_s = NULL;
	bool json = false;
	time_t from, to;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			from_s = optarg;
		else if (ch == 't')
			to_s = optarg;
		else if (ch == 'j')
			json = true;
		else
			return cli_usage_error(usage);
	}
	if (optind != argc || !from_s || !to_s || cli_open_view(c) < 0)
		return optind != argc || !from_s || !to_s ? cli_usage_error(usage) : 1;
	if (cli_parse_when(from_s, c->cfg->tz_offset, false, &from) < 0 ||
	    cli_parse_when(to_s, c->cfg->tz_offset, true, &to) < 0 || to < from)
		return cli_usage_error(usage);
	struct buf errors = BUF_INIT;
	struct digest_templates *tpl =
	    digest_templates_load(c->cfg->templates, c->cfg->language, &errors);
	if (!tpl) {
		fprintf(stderr, "deadlinectl: templates:\n%s", buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	int rc = report_preview(c->st, c->dir, tpl, from, to, json, stdout);
	if (rc < 0)
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
	digest_templates_free(tpl);
	return rc < 0 ? 1 : 0;
}
