/*
 * ingest — `deadlinectl import`: plan documents into the store.
 *
 * Each file is read by the import module; its rows become tasks (timeframe
 * parsed with the plan's period, agency cells resolved by the directory)
 * and are stored with sync_task, so a re-import changes nothing and a
 * revised document updates tasks in place, keeping their status and
 * history. The report says what was found per layout, what changed, and
 * every row not fully understood — stored flagged, never dropped. A group
 * named as coordinating does not make the lead coordinate with itself.
 */
#ifndef DEADLINED_INGEST_H
#define DEADLINED_INGEST_H

#include "dir.h"
#include "store.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct ingest_options {
	/* Default: the number read from the document, else the file's name —
	 * then refused when that plan already holds another file's tasks. */
	const char *plan_id;
	const char *title;
	const char *issued; /* YYYY-MM-DD */
	int first_year, last_year;
	const char *monitor; /* agency id or name */
	bool dry_run;        /* everything is done in a transaction that is rolled back */
	bool json;           /* the report as one JSON object */
};

struct ingest_totals {
	int files, tasks, created, updated, unchanged, flagged;
};

/* Imports one file; the report goes to out. Returns 0, or -1 (reported). */
int ingest_file(struct store *st, const struct dir *d, const struct ingest_options *o,
                const char *path, time_t now, FILE *out, struct ingest_totals *totals);

#endif
