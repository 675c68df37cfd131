/*
 * deadlined — emails reminders and escalations for the deadlines of
 * provincial plans. This file only reads the command line; engine.c runs
 * the daemon.
 */
#include "date.h"
#include "engine.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: deadlined [--foreground] [--verbose] [--config FILE] [--db FILE]\n"
	        "                 [--now ISO8601]\n"
	        "  --config FILE  the INI file (default: $DEADLINED_CONFIG, else\n"
	        "                 /etc/deadlined/deadlined.ini)\n"
	        "  --db FILE      the SQLite database (overrides [daemon] database)\n"
	        "  --foreground   log to stderr instead of the journal\n"
	        "  --now TIME     start the daemon's clock at TIME, e.g. 2025-12-08T08:00+07:00\n"
	        "                 (for tests and demonstrations; the clock then runs normally)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"db", required_argument, NULL, 'd'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"now", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *env = getenv("DEADLINED_CONFIG");
	struct engine_options o = {.config = env && *env ? env : "/etc/deadlined/deadlined.ini"};
	int c;

	while ((c = getopt_long(argc, argv, "c:d:fvn:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'd':
			o.database = optarg;
			break;
		case 'f':
			o.foreground = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'n':
			if (date_parse_iso(optarg, DATE_TZ_VIETNAM, &o.now) < 0) {
				fprintf(stderr, "deadlined: --now %s: not an ISO 8601 time\n",
				        optarg);
				return 2;
			}
			o.have_now = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return engine_run(&o);
}
