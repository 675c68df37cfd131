/*
 * report — what deadlinectl lists: tasks, agencies, the preview of mail to
 * come. Text for people, or one JSON object per line for scripts.
 */
#ifndef DEADLINED_REPORT_H
#define DEADLINED_REPORT_H

#include "digest.h"
#include "dir.h"
#include "store.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

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

#endif
