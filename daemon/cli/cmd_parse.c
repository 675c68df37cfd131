/*
 * cmd_parse — `deadlinectl parse`: timeframe phrases read as the daemon reads them.
 */
#include "cli/cmd.h"

#include "date.h"
#include "json.h"
#include "text.h"
#include "timeframe.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse_opts {
	struct tf_ctx ctx;
	time_t now;
	bool json;
};

/* The occurrence a phrase is "due" at: the first at or after now when it recurs. */
static bool reported_occurrence(const struct tf *t, time_t now, struct tf_occ *o)
{
	if (tf_recurring(t->kind))
		return tf_next(t, now, o);
	if (t->kind == TF_ONCE && t->n_phases > 1 && tf_next(t, now, o))
		return true;
	o->window_start = t->window_start;
	o->due = t->due;
	return t->due != TF_NONE || t->window_start != TF_NONE;
}

static void parse_json(const char *phrase, const struct tf *t, const struct parse_opts *o,
                       struct buf *b)
{
	struct tf_occ occ, next[3];
	bool have = t->kind != TF_UNPARSED && reported_occurrence(t, o->now, &occ);
	size_t n = tf_recurring(t->kind) || t->n_phases > 1
	               ? tf_occurrences(t, o->now, (time_t)INT64_MAX / 2, next, 3)
	               : 0;
	bool first = true;
	int tz = o->ctx.tz_offset;

	buf_addc(b, '{');
	json_key(b, "input", &first);
	json_string(b, phrase);
	json_key(b, "kind", &first);
	json_string(b, tf_kind_name(t->kind));
	json_key(b, "due", &first);
	json_time(b, have ? occ.due : TF_NONE, tz);
	json_key(b, "window_start", &first);
	json_time(b, have ? occ.window_start : TF_NONE, tz);
	json_key(b, "window_end", &first);
	json_time(b, have ? occ.due : TF_NONE, tz);
	json_key(b, "next", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? "," : "");
		json_time(b, next[i].due, tz);
	}
	buf_addc(b, ']');
	json_key(b, "condition", &first);
	json_string(b, t->condition[0] ? t->condition : NULL);
	json_key(b, "implicit", &first);
	buf_adds(b, t->implicit ? "true" : "false");
	if (t->kind == TF_UNPARSED) {
		json_key(b, "error", &first);
		json_string(b, t->error);
		json_key(b, "error_pos", &first);
		buf_printf(b, "%d", t->error_pos);
	}
	buf_adds(b, "}\n");
}

static void parse_text(const char *phrase, const struct tf *t, const struct parse_opts *o,
                       struct buf *b)
{
	struct tf_occ occ, next[3];
	char a[40], z[40];
	int tz = o->ctx.tz_offset;

	buf_printf(b, "%s\n", phrase);
	if (t->kind == TF_UNPARSED) {
		size_t col = text_width(phrase, (size_t)t->error_pos);
		buf_printf(b, "  unparsed at byte %d: %s\n    %s\n    %*s^\n", t->error_pos,
		           t->error, phrase, (int)col, "");
		return;
	}
	buf_printf(b, "  %s", tf_kind_name(t->kind));
	if (reported_occurrence(t, o->now, &occ)) {
		if (occ.due != TF_NONE)
			buf_printf(b, ": due %s", date_format_iso(occ.due, tz, a, sizeof(a)));
		if (occ.window_start != TF_NONE)
			buf_printf(b, " (window from %s)",
			           date_format_iso(occ.window_start, tz, z, sizeof(z)));
	}
	buf_addc(b, '\n');
	size_t n = tf_recurring(t->kind) || t->n_phases > 1
	               ? tf_occurrences(t, o->now, (time_t)INT64_MAX / 2, next, 3)
	               : 0;
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s",
		           i ? ", " : "  next: ", date_format_iso(next[i].due, tz, a, sizeof(a)));
	if (n)
		buf_addc(b, '\n');
	if (t->condition[0])
		buf_printf(b, "  condition: %s\n", t->condition);
	if (t->implicit)
		buf_adds(b, "  (empty: the plan's period)\n");
}

static bool parse_one(const char *phrase, const struct parse_opts *o)
{
	struct tf t;
	struct buf b = BUF_INIT;
	bool ok = tf_parse(phrase, &o->ctx, &t) == 0;

	(o->json ? parse_json : parse_text)(phrase, &t, o, &b);
	fputs(buf_str(&b), stdout);
	buf_free(&b);
	return ok;
}

int cmd_parse(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"now", required_argument, NULL, 'n'},
	                                     {"plan-period", required_argument, NULL, 'p'},
	                                     {"tz", required_argument, NULL, 'z'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = c->usage;
	struct parse_opts o = {{DATE_TZ_VIETNAM, 0, 0}, c->now, false};
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
