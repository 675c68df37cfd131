/*
 * cmd_parse — `deadlinectl parse`: timeframe phrases read as the daemon reads them.
 */
#include "cli/cmd.h"

#include "date.h"
#include "tfview.h"
#include "timeframe.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse_opts {
	struct tf_ctx ctx;
	int issued; /* --issued, as tf_issued() gives it */
	time_t now;
	bool json;
};

static bool parse_one(const char *phrase, const struct parse_opts *o)
{
	struct tf t;
	struct buf b = BUF_INIT;
	bool ok = tf_parse_issued(phrase, &o->ctx, o->issued, &t) == 0;

	(o->json ? tfview_json : tfview_text)(&b, phrase, &t, o->now);
	fputs(buf_str(&b), stdout);
	buf_free(&b);
	return ok;
}

int cmd_parse(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"now", required_argument, NULL, 'n'}, {"plan-period", required_argument, NULL, 'p'},
	    {"tz", required_argument, NULL, 'z'},  {"issued", required_argument, NULL, 'i'},
	    {"json", no_argument, NULL, 'j'},      {NULL, 0, NULL, 0}};
	const char *usage = c->usage;
	struct parse_opts o = {{DATE_TZ_VIETNAM, 0, 0}, 0, c->now, false};
	const char *now = NULL;
	int ch, failed = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n') {
			now = optarg; /* read once the zone is known, whatever the order */
			continue;
		}
		if (ch == 'p' &&
		    sscanf(optarg, "%d-%d", &o.ctx.plan_first_year, &o.ctx.plan_last_year) == 2 &&
		    o.ctx.plan_first_year <= o.ctx.plan_last_year)
			continue;
		if (ch == 'z' && date_parse_zone(optarg, &o.ctx.tz_offset) == 0)
			continue;
		if (ch == 'i' && (o.issued = tf_issued(optarg)) != 0)
			continue;
		if (ch == 'j') {
			o.json = true;
			continue;
		}
		return cli_usage_error(usage);
	}
	if (optind >= argc || (now && cli_parse_when(now, o.ctx.tz_offset, false, &o.now) < 0))
		return cli_usage_error(usage);
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			failed += !parse_one(argv[i], &o);
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while ((n = getline(&line, &cap, stdin)) >= 0) {
			line[strcspn(line, "\r\n")] = '\0';
			failed += !parse_one(line, &o);
		}
		free(line);
	}
	return failed ? 1 : 0;
}
