/*
 * xlsx — see xlsx.h.
 *
 * libxlsxwriter builds the whole workbook in memory and writes it at
 * workbook_close(), which is where write errors surface.
 */
#include "xlsx.h"

#include "date.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

static const enum progress_state counted[] = {PROGRESS_DONE, PROGRESS_IN_PROGRESS, PROGRESS_WAITING,
                                              PROGRESS_OVERDUE, PROGRESS_NOT_DUE};
static const lxw_color_t colours[] = {0x2E7D32, 0x1565C0, 0xF9A825, 0xC62828, 0xB0BEC5};

struct formats {
	lxw_format *head, *wrap, *number;
};

static void headings(lxw_worksheet *ws, const char *const *heads, size_t n, lxw_format *f)
{
	for (size_t i = 0; i < n; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], f);
	worksheet_freeze_panes(ws, 1, 0);
}

static void tasks_sheet(lxw_workbook *wb, const struct progress_report *r,
                        const struct reportdoc_meta *m, const struct formats *f)
{
	const char *heads[REPORTDOC_COLUMNS];
	const double widths[REPORTDOC_COLUMNS] = {16, 7, 30, 60, 30, 18, 11, 18, 16, 40, 10};
	lxw_worksheet *ws = workbook_add_worksheet(wb, reportdoc_words(m->language)->sheet_tasks);
	struct reportdoc_row cells;

	reportdoc_headings(m->language, heads);
	headings(ws, heads, REPORTDOC_COLUMNS, f->head);
	for (size_t c = 0; c < REPORTDOC_COLUMNS; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c],
		                     c == 2 || c == 3 || c == 4 || c == 9 ? f->wrap : NULL);
	for (size_t i = 0; i < r->n_items; i++) {
		const struct progress_item *it = &r->items[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		reportdoc_row(r, it, m->language, &cells);
		/* The days overdue as a number, so that the column sorts and sums. */
		for (size_t c = 0; c + 1 < REPORTDOC_COLUMNS; c++)
			if (cells.cell[c] && *cells.cell[c])
				worksheet_write_string(ws, row, (lxw_col_t)c, cells.cell[c], NULL);
		if (it->row.days_overdue)
			worksheet_write_number(ws, row, REPORTDOC_COLUMNS - 1, it->row.days_overdue,
			                       f->number);
	}
	if (r->n_items)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->n_items, REPORTDOC_COLUMNS - 1);
}

static void agencies_sheet(lxw_workbook *wb, const struct progress_report *r,
                           const struct reportdoc_meta *m, const struct formats *f)
{
	const struct reportdoc_words *w = reportdoc_words(m->language);
	const char *name = w->sheet_agencies;
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	size_t n_states = UTIL_NELEM(counted);

	worksheet_write_string(ws, 0, 0, w->agency, f->head);
	for (size_t s = 0; s < n_states; s++)
		worksheet_write_string(ws, 0, (lxw_col_t)(s + 1),
		                       progress_state_label(counted[s], m->language), f->head);
	worksheet_write_string(ws, 0, (lxw_col_t)(n_states + 1), w->total, f->head);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 40, f->wrap);
	worksheet_set_column(ws, 1, (lxw_col_t)(n_states + 1), 14, NULL);
	for (size_t i = 0; i <= r->n_agencies; i++) {
		bool total = i == r->n_agencies;
		const struct progress_counts *c = total ? &r->total : &r->agencies[i].counts;
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, row, 0, total ? w->total : r->agencies[i].name,
		                       total ? f->head : NULL);
		for (size_t s = 0; s < n_states; s++)
			worksheet_write_number(ws, row, (lxw_col_t)(s + 1), c->n[counted[s]], NULL);
		worksheet_write_number(ws, row, (lxw_col_t)(n_states + 1), c->total,
		                       total ? f->head : NULL);
	}
	if (!r->n_agencies)
		return;
	/* One series per state, the agencies as categories: a stacked bar per agency. */
	lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_BAR_STACKED);
	for (size_t s = 0; s < n_states; s++) {
		lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
		lxw_chart_fill fill = {.color = colours[s]};
		chart_series_set_categories(series, name, 1, 0, (lxw_row_t)r->n_agencies, 0);
		chart_series_set_values(series, name, 1, (lxw_col_t)(s + 1),
		                        (lxw_row_t)r->n_agencies, (lxw_col_t)(s + 1));
		chart_series_set_name(series, progress_state_label(counted[s], m->language));
		chart_series_set_fill(series, &fill);
	}
	chart_title_set_name(chart, w->agencies_heading + 3);
	lxw_chart_options where = {.x_scale = 1.6, .y_scale = 1 + (double)r->n_agencies / 12};
	worksheet_insert_chart_opt(ws, (lxw_row_t)(r->n_agencies + 3), 0, chart, &where);
}

int xlsx_report(const char *path, const struct progress_report *r, const struct reportdoc_meta *m,
                char *err, size_t errlen)
{
	lxw_workbook *wb = workbook_new(path);
	struct formats f;

	if (!wb) {
		snprintf(err, errlen, "%s: cannot create the workbook", path);
		return -1;
	}
	f.head = workbook_add_format(wb);
	format_set_bold(f.head);
	format_set_text_wrap(f.head);
	format_set_bg_color(f.head, 0xEEEEEE);
	f.wrap = workbook_add_format(wb);
	format_set_text_wrap(f.wrap);
	format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
	f.number = workbook_add_format(wb);
	format_set_num_format(f.number, "0");
	lxw_doc_properties props = {.title = (char *)reportdoc_words(m->language)->title,
	                            .comments = (char *)(m->plan_id ? m->plan_id : "")};
	workbook_set_properties(wb, &props);
	agencies_sheet(wb, r, m, &f);
	tasks_sheet(wb, r, m, &f);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		snprintf(err, errlen, "%s: %s", path, lxw_strerror(e));
		return -1;
	}
	return 0;
}
