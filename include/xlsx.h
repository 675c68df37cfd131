/*
 * xlsx — the progress report as an Excel workbook, what a province's
 * staff open first: a sheet of tasks (as the appendix of a status
 * report), a sheet of counts per lead agency, and a stacked bar chart of
 * those counts. The only module that includes libxlsxwriter.
 */
#ifndef DEADLINED_XLSX_H
#define DEADLINED_XLSX_H

#include "progress.h"
#include "reportdoc.h"

#include <stddef.h>

/* Writes the workbook to path. 0, or -1 with why in err. */
int xlsx_report(const char *path, const struct progress_report *r, const struct reportdoc_meta *m,
                char *err, size_t errlen);

#endif
