/*
 * cmd_view — the commands that only read: tasks, agencies, preview.
 */
#include "cli/cmd.h"

#include "date.h"
#include "digest.h"
#include "report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
			return cli_usage_error(c->usage);
	}
	if (optind != argc)
		return cli_usage_error(c->usage);
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
			return cli_usage_error(c->usage);
	}
	if (optind != argc || (stanzas && json))
		return cli_usage_error(c->usage);
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
	static const struct option opts[] = {
	    {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
	    {"json", no_argument, NULL, 'j'},       {"render", no_argument, NULL, 'r'},
	    {"at", required_argument, NULL, 'a'},   {"agency", required_argument, NULL, 'g'},
	    {"html", required_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *from_s = NULL, *to_s = NULL, *at_s = NULL, *agency = NULL, *html = NULL;
	bool json = false, render = false;
	time_t from, to, show_from;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			from_s = optarg;
		else if (ch == 't')
			to_s = optarg;
		else if (ch == 'j')
			json = true;
		else if (ch == 'r')
			render = true;
		else if (ch == 'a')
			at_s = optarg;
		else if (ch == 'g')
			agency = optarg;
		else if (ch == 'h')
			html = optarg;
		else
			return cli_usage_error(c->usage);
	}
	/* --render shows one day (--at, today by default) unless a window is given. */
	bool window = from_s && to_s;
	if (optind != argc || (!render && (!window || at_s || agency || html)) ||
	    (render && (json || (at_s && (from_s || to_s)) || (!window && (from_s || to_s)))))
		return cli_usage_error(c->usage);
	if (cli_open_view(c) < 0)
		return 1;
	if (render && !window) {
		from = c->now;
		if (at_s && cli_parse_when(at_s, c->cfg->tz_offset, false, &from) < 0)
			return cli_usage_error(c->usage);
		from = date_day_start(date_local_days(from, c->cfg->tz_offset), c->cfg->tz_offset);
		to = from + DATE_DAY - 1;
	} else if (cli_parse_when(from_s, c->cfg->tz_offset, false, &from) < 0 ||
	           cli_parse_when(to_s, c->cfg->tz_offset, true, &to) < 0 || to < from) {
		return cli_usage_error(c->usage);
	}
	if (agency && !cfg_agency(c->cfg, agency)) {
		fprintf(stderr, "deadlinectl: --agency %s: no such agency in the directory\n",
		        agency);
		return 1;
	}
	struct stat sb;
	if (html && (stat(html, &sb) < 0 || !S_ISDIR(sb.st_mode))) {
		fprintf(stderr, "deadlinectl: --html %s: not a directory\n", html);
		return 1;
	}
	struct buf errors = BUF_INIT;
	struct digest_templates *tpl =
	    digest_templates_load(c->cfg->templates, c->cfg->language, &errors);
	if (!tpl) {
		fprintf(stderr, "deadlinectl: templates:\n%s", buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	/* A day ahead: replayed from now, so what goes out before it is not shown again on it. */
	show_from = from;
	if (render && !window && c->now < from)
		from = c->now;
	int rc = render
	             ? report_render(c->st, c->dir, tpl, from, show_from, to, agency, html, stdout)
	             : report_preview(c->st, c->dir, tpl, from, to, json, stdout);
	if (rc == -1)
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
	digest_templates_free(tpl);
	return rc < 0 ? 1 : 0;
}
