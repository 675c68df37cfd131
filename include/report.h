/*
 * report — what deadlinectl lists: tasks, agencies, the preview of mail to
 * come. Text for people, or one JSON object per line for scripts.
 */
#ifndef DEADLINED_REPORT_H
#define DEADLINED_REPORT_H

#include "buf.h"
#include "digest.h"
#include "dir.h"
#include "store.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

/* The members of a task's JSON object, as `tasks --json` writes it (no braces). */
void report_task_fields(const struct dir *d, const struct task *t, struct buf *b, bool *first);

/* Tasks of one plan (or all); flagged_only: those an admin must look at. */
int report_tasks(struct store *st, const struct dir *d, const char *plan, bool flagged_only,
                 bool json, FILE *out);

enum report_agencies_what {
	REPORT_DIRECTORY,  /* the agencies and groups of the directory */
	REPORT_UNRESOLVED, /* names in tasks that match nothing, each with its tasks */
	REPORT_STANZAS,    /* those names as [agency]/[group] stanzas for directory.ini */
};

int report_agencies(struct store *st, const struct dir *d, enum report_agencies_what what,
                    bool json, FILE *out);

/* Every email the engine would send in [from, to]. */
int report_preview(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                   time_t from, time_t to, bool json, FILE *out);

/*
 * The emails of [show_from, to] (to one agency, or all) rendered in full
 * with the templates, as the daemon would render them; the daemon's cycle
 * is replayed from `from` (<= show_from), so that what it sends before
 * show_from is not shown as still due. Plain text to out, or
 * with html_dir, one DIR/NNN-YYYYMMDD-AGENCY.html per email (their paths
 * to out). -1 with the store's error, -2 when a file could not be written
 * (said on stderr).
 */
int report_render(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                  time_t from, time_t show_from, time_t to, const char *agency,
                  const char *html_dir, FILE *out);

#endif
