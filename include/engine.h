/*
 * engine — the daemon's runtime: it owns the config, the store, the mail
 * worker and the event loop, and runs the cycle
 *
 *   wake up → decide what is due (planner + scheduler) → group it into one
 *   digest per recipient → queue each message with its ledger rows → hand
 *   it to the worker → record the result → sleep until the next due time.
 *
 * There is exactly one timer for planned work, armed at the earliest
 * next_at of any occurrence or retry; with nothing due the process sleeps.
 */
#ifndef DEADLINED_ENGINE_H
#define DEADLINED_ENGINE_H

#include <stdbool.h>
#include <time.h>

struct engine_options {
	const char *config;   /* path of the INI file */
	const char *database; /* overrides [daemon] database, or NULL */
	bool foreground;      /* log to stderr rather than the journal */
	bool verbose;
	bool have_now; /* --now: the daemon's clock starts at `now` */
	time_t now;
};

/* Runs the daemon until SIGTERM/SIGINT; returns the exit status. */
int engine_run(const struct engine_options *o);

#endif
