/*
 * ingest — `deadlinectl import`: plan documents into the store.
 *
 * A file is read whole first (reader: its bytes to the document model;
 * meaning: the model to tasks) and every task built and checked before
 * anything is written: a file that cannot be read stores nothing. The
 * plan's stored tasks are then loaded once, by key, and compared with the
 * document's: only new and changed tasks are written, with sync_task, a
 * few hundred per transaction so the daemon is never kept waiting. A
 * re-import changes nothing; a revised document updates tasks in place,
 * keeping their status and history, and says which stored tasks it no
 * longer holds ("missing"); with retire_missing those are retired (status
 * removed, with history; never deleted). The report says what was found
 * per layout, what changed, and every row not fully understood — stored
 * flagged, never dropped.
 *
 * Reports go to out (text, or one JSON object per file, failures included:
 * {"file", "error", "position", "line"}); errors also go to err.
 */
#ifndef DEADLINED_INGEST_H
#define DEADLINED_INGEST_H

#include "dir.h"
#include "store.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#define INGEST_CHUNK 250 /* tasks written per transaction */

struct ingest_options {
	/* Default: the number read from the document, else the file's name —
	 * then refused when that plan already holds another file's tasks. */
	const char *plan_id;
	const char *title;
	const char *issued; /* YYYY-MM-DD */
	int first_year, last_year;
	const char *monitor; /* agency id or name */
	bool dry_run;        /* nothing is written; the report says what would be */
	bool json;           /* the report as one JSON object */
	bool retire_missing; /* retire the plan's tasks the document no longer holds */
};

struct ingest_totals {
	int files, failed, tasks, created, updated, unchanged, flagged, missing, retired;
};

/* Imports one file. Returns 0, or -1 (reported to out and err). */
int ingest_file(struct store *st, const struct dir *d, const struct ingest_options *o,
                const char *path, time_t now, FILE *out, FILE *err, struct ingest_totals *totals);

/* `import --explain`: how the file was read, nothing stored. 0, or -1 (reported). */
int ingest_explain(const char *path, FILE *out, FILE *err);

#endif
