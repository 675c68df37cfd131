/*
 * reportdoc — see reportdoc.h.
 */
#include "reportdoc.h"

#include "date.h"
#include "table.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct reportdoc_words vi = {
    .title = "BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ",
    .as_of = "Số liệu tính đến ngày",
    .agencies_heading = "I. Tổng hợp theo cơ quan chủ trì",
    .tasks_heading = "II. Kết quả thực hiện từng nhiệm vụ",
    .total = "Tổng cộng",
    .sheet_agencies = "Tổng hợp",
    .sheet_tasks = "Nhiệm vụ",
    .number = "STT",
    .agency = "Cơ quan chủ trì",
    .task = "Nhiệm vụ, giải pháp",
    .lead = "Chủ trì",
    .timeframe = "Thời gian",
    .due = "Hạn",
    .level = "Mức độ hoàn thành",
    .state = "Tình trạng",
    .result = "Kết quả chi tiết",
    .days_overdue = "Số ngày quá hạn",
    .plan = "Kế hoạch",
    .category = "Nhóm nhiệm vụ",
    .missed = "Kỳ trước chưa thực hiện",
};

static const struct reportdoc_words en = {
    .title = "PROGRESS REPORT",
    .as_of = "As of",
    .agencies_heading = "I. By lead agency",
    .tasks_heading = "II. Task by task",
    .total = "Total",
    .sheet_agencies = "By agency",
    .sheet_tasks = "Tasks",
    .number = "No.",
    .agency = "Lead agency",
    .task = "Task",
    .lead = "Lead",
    .timeframe = "Timeframe",
    .due = "Due",
    .level = "Completion level",
    .state = "State",
    .result = "Result",
    .days_overdue = "Days overdue",
    .plan = "Plan",
    .category = "Section",
    .missed = "Earlier occurrences missed",
};

const struct reportdoc_words *reportdoc_words(const char *language)
{
	return language && !strcmp(language, "vi") ? &vi : &en;
}

/* The five states counted, in the order of the columns and of the chart's segments. */
static const enum progress_state counted[] = {PROGRESS_DONE, PROGRESS_IN_PROGRESS, PROGRESS_WAITING,
                                              PROGRESS_OVERDUE, PROGRESS_NOT_DUE};
static const char *const colours[] = {"#2e7d32", "#1565c0", "#f9a825", "#c62828", "#b0bec5"};
static const bool light[] = {false, false, true, false, true}; /* dark figures on these */
#define LABEL_COLUMNS 46 /* of 11px text in the chart's 300px of labels */

static void esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		default:
			buf_addc(b, *s);
		}
	}
}

static void day_vn(time_t t, int tz, struct buf *b)
{
	char d[16];

	if (t != TF_NONE)
		buf_adds(b, date_format_vn(t, tz, d, sizeof(d)));
}

static const char style[] =
    "body{font-family:'Times New Roman',serif;font-size:13pt;margin:2em;color:#000}"
    "header{text-align:center}h1{font-size:15pt;margin:.3em 0}h2{font-size:13pt;margin-top:1.5em}"
    ".org{font-weight:bold;text-transform:uppercase}.sub{font-style:italic}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}"
    "th,td{border:1px solid #000;padding:3px 5px;vertical-align:top}"
    "th{background:#eee}td.n{text-align:right}tr.plan td{font-weight:bold;background:#f5f5f5}"
    "tr.category td{font-weight:bold}tr.overdue td.level{color:#c62828;font-weight:bold}"
    "svg{display:block;margin:.5em auto}svg text{font-family:sans-serif;font-size:11px}"
    "footer{margin-top:2em;font-size:10pt;color:#555}"
    "@media print{body{margin:0}tr{page-break-inside:avoid}thead{display:table-header-group}}";

/* Horizontal stacked bars, one per agency; every count is also written as text. */
static void chart(const struct progress_report *r, const char *language, struct buf *b)
{
	const int label_w = 300, bar_w = 420, row_h = 22, top = 30;
	int max = 1;
	size_t n_states = UTIL_NELEM(counted);

	for (size_t i = 0; i < r->n_agencies; i++)
		if (r->agencies[i].counts.total > max)
			max = r->agencies[i].counts.total;
	int height = top + (int)r->n_agencies * row_h + 10;
	buf_printf(b,
	           "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	           "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
	           label_w + bar_w + 40, height, label_w + bar_w + 40, height);
	/* The legend. */
	for (size_t s = 0; s < n_states; s++) {
		int x = (int)s * 145;
		buf_printf(b, "<rect x=\"%d\" y=\"5\" width=\"12\" height=\"12\" fill=\"%s\"/>", x,
		           colours[s]);
		buf_printf(b, "<text x=\"%d\" y=\"15\">", x + 16);
		esc(b, progress_state_label(counted[s], language));
		buf_adds(b, "</text>\n");
	}
	for (size_t i = 0; i < r->n_agencies; i++) {
		const struct progress_agency *a = &r->agencies[i];
		int y = top + (int)i * row_h;
		double x = label_w;
		buf_printf(b, "<g class=\"bar\" data-agency=\"");
		esc(b, a->id);
		buf_printf(b, "\"><text x=\"%d\" y=\"%d\" text-anchor=\"end\"><title>", label_w - 6,
		           y + 14);
		esc(b, a->name);
		buf_adds(b, "</title>");
		/* SVG text does not wrap: a long name is cut to the labels' width. */
		bool cut;
		char *label = xstrndup(a->name, table_fit(a->name, LABEL_COLUMNS, &cut));
		esc(b, label);
		buf_adds(b, cut ? "…</text>" : "</text>");
		free(label);
		for (size_t s = 0; s < n_states; s++) {
			int n = a->counts.n[counted[s]];
			if (!n)
				continue;
			double w = (double)n * bar_w / max;
			buf_printf(b,
			           "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			           "fill=\"%s\" data-state=\"%s\" data-count=\"%d\"><title>",
			           x, y + 2, w, row_h - 6, colours[s],
			           progress_state_name(counted[s]), n);
			esc(b, progress_state_label(counted[s], language));
			buf_printf(b, ": %d</title></rect>", n);
			if (w >= 14)
				buf_printf(b,
				           "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
				           "fill=\"%s\">%d</text>",
				           x + w / 2, y + 14, light[s] ? "#000" : "#fff", n);
			x += w;
		}
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\">%d</text></g>\n", x + 4, y + 14,
		           a->counts.total);
	}
	buf_adds(b, "</svg>\n");
}

static void counts_row(const struct progress_counts *c, struct buf *b)
{
	for (size_t s = 0; s < UTIL_NELEM(counted); s++)
		buf_printf(b, "<td class=\"n %s\">%d</td>", progress_state_name(counted[s]),
		           c->n[counted[s]]);
	buf_printf(b, "<td class=\"n total\">%d</td></tr>\n", c->total);
}

static void agencies_table(const struct progress_report *r, const struct reportdoc_words *w,
                           const char *language, struct buf *b)
{
	buf_adds(b, "<table id=\"agencies\"><thead><tr><th>");
	esc(b, w->number);
	buf_adds(b, "</th><th>");
	esc(b, w->agency);
	buf_adds(b, "</th>");
	for (size_t s = 0; s < UTIL_NELEM(counted); s++) {
		buf_adds(b, "<th>");
		esc(b, progress_state_label(counted[s], language));
		buf_adds(b, "</th>");
	}
	buf_adds(b, "<th>");
	esc(b, w->total);
	buf_adds(b, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n_agencies; i++) {
		const struct progress_agency *a = &r->agencies[i];
		buf_printf(b, "<tr data-agency=\"");
		esc(b, a->id);
		buf_printf(b, "\"><td class=\"n\">%zu</td><td>", i + 1);
		esc(b, a->name);
		buf_adds(b, "</td>");
		counts_row(&a->counts, b);
	}
	buf_adds(b, "</tbody>\n<tfoot><tr data-agency=\"\"><td></td><td>");
	esc(b, w->total);
	buf_adds(b, "</td>");
	counts_row(&r->total, b);
	buf_adds(b, "</tfoot></table>\n");
}

static void tasks_table(const struct progress_report *r, const struct reportdoc_meta *m,
                        const struct reportdoc_words *w, struct buf *b)
{
	const char *heads[] = {w->number, w->task,  w->lead,   w->timeframe,
	                       w->due,    w->level, w->result, w->days_overdue};
	const char *plan = NULL, *category = NULL;

	buf_adds(b, "<table id=\"tasks\"><thead><tr>");
	for (size_t i = 0; i < UTIL_NELEM(heads); i++) {
		buf_adds(b, "<th>");
		esc(b, heads[i]);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n_items; i++) {
		const struct progress_item *it = &r->items[i];
		const struct task *t = it->task;
		if (!m->plan_id && (!plan || strcmp(plan, t->plan_id))) {
			buf_adds(b, "<tr class=\"plan\"><td colspan=\"8\">");
			esc(b, w->plan);
			buf_adds(b, " ");
			esc(b, t->plan_id);
			buf_adds(b, "</td></tr>\n");
			category = NULL;
		}
		plan = t->plan_id;
		if (t->category && (!category || strcmp(category, t->category))) {
			buf_adds(b, "<tr class=\"category\"><td colspan=\"8\">");
			esc(b, t->category);
			buf_adds(b, "</td></tr>\n");
		}
		category = t->category;
		buf_printf(b, "<tr class=\"task %s\" data-task=\"%lld\" data-state=\"%s\"><td>",
		           progress_state_name(it->row.state), (long long)t->id,
		           progress_state_name(it->row.state));
		esc(b, t->idx ? t->idx : t->key);
		buf_adds(b, "</td><td>");
		esc(b, t->title);
		buf_adds(b, "</td><td>");
		esc(b, it->leads);
		buf_adds(b, "</td><td>");
		esc(b, t->timeframe);
		buf_adds(b, "</td><td>");
		day_vn(it->row.due, r->tz, b);
		buf_adds(b, "</td><td class=\"level\">");
		esc(b, progress_level_label(it->row.level, m->language));
		if (it->row.state == PROGRESS_OVERDUE) {
			buf_adds(b, " (");
			esc(b, progress_state_label(PROGRESS_OVERDUE, m->language));
			buf_adds(b, ")");
		}
		buf_adds(b, "</td><td>");
		esc(b, t->status_note);
		if (it->row.missed) {
			buf_printf(b, "%s", t->status_note ? "<br>" : "");
			esc(b, w->missed);
			buf_printf(b, ": %d", it->row.missed);
		}
		buf_adds(b, "</td><td class=\"n days\">");
		if (it->row.days_overdue)
			buf_printf(b, "%d", it->row.days_overdue);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

void reportdoc_html(const struct progress_report *r, const struct reportdoc_meta *m,
                    struct buf *out)
{
	const struct reportdoc_words *w = reportdoc_words(m->language);

	buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
	           m->language && !strcmp(m->language, "vi") ? "vi" : "en");
	buf_adds(out, "<title>");
	esc(out, w->title);
	if (m->plan_id) {
		buf_adds(out, " — ");
		esc(out, m->plan_id);
	}
	buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n", style);
	if (m->organisation) {
		buf_adds(out, "<p class=\"org\">");
		esc(out, m->organisation);
		buf_adds(out, "</p>\n");
	}
	buf_adds(out, "<h1>");
	esc(out, w->title);
	buf_adds(out, "</h1>\n");
	if (m->plan_id) {
		buf_adds(out, "<p class=\"sub\">");
		esc(out, w->plan);
		buf_adds(out, " ");
		esc(out, m->plan_id);
		if (m->plan_title) {
			buf_adds(out, ": ");
			esc(out, m->plan_title);
		}
		if (m->plan_issued) {
			buf_adds(out, " (");
			esc(out, m->plan_issued);
			buf_adds(out, ")");
		}
		buf_adds(out, "</p>\n");
	}
	buf_adds(out, "<p id=\"as-of\" data-date=\"");
	char iso[40];
	esc(out, date_format_iso(r->as_of, r->tz, iso, sizeof(iso)));
	buf_adds(out, "\">");
	esc(out, w->as_of);
	buf_adds(out, " ");
	day_vn(r->as_of, r->tz, out);
	buf_adds(out, "</p>\n</header>\n<h2>");
	esc(out, w->agencies_heading);
	buf_adds(out, "</h2>\n");
	chart(r, m->language, out);
	agencies_table(r, w, m->language, out);
	buf_adds(out, "<h2>");
	esc(out, w->tasks_heading);
	buf_adds(out, "</h2>\n");
	tasks_table(r, m, w, out);
	buf_adds(out, "<footer>deadlined</footer>\n</body>\n</html>\n");
}

/* ---- CSV ------------------------------------------------------------------------------ */

static void csv_cell(struct buf *b, const char *s, bool last)
{
	s = s ? s : "";
	bool quote = strpbrk(s, ",\"\r\n;") != NULL;
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];

	if (quote || formula)
		buf_addc(b, '"');
	if (formula)
		buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	if (quote || formula)
		buf_addc(b, '"');
	buf_adds(b, last ? "\r\n" : ",");
}

void reportdoc_headings(const char *language, const char *out[REPORTDOC_COLUMNS])
{
	const struct reportdoc_words *w = reportdoc_words(language);
	const char *heads[REPORTDOC_COLUMNS] = {w->plan,  w->number,    w->category,    w->task,
	                                        w->lead,  w->timeframe, w->due,         w->level,
	                                        w->state, w->result,    w->days_overdue};

	memcpy(out, heads, sizeof(heads));
}

void reportdoc_row(const struct progress_report *r, const struct progress_item *it,
                   const char *language, struct reportdoc_row *out)
{
	const struct task *t = it->task;

	out->due[0] = out->days[0] = '\0';
	if (it->row.due != TF_NONE)
		date_format_vn(it->row.due, r->tz, out->due, sizeof(out->due));
	if (it->row.days_overdue)
		snprintf(out->days, sizeof(out->days), "%d", it->row.days_overdue);
	const char *cells[REPORTDOC_COLUMNS] = {t->plan_id,
	                                        t->idx ? t->idx : t->key,
	                                        t->category,
	                                        t->title,
	                                        it->leads,
	                                        t->timeframe,
	                                        out->due,
	                                        progress_level_label(it->row.level, language),
	                                        progress_state_label(it->row.state, language),
	                                        t->status_note,
	                                        out->days};
	memcpy(out->cell, cells, sizeof(cells));
}

void reportdoc_csv(const struct progress_report *r, const struct reportdoc_meta *m, struct buf *out)
{
	const char *heads[REPORTDOC_COLUMNS];
	struct reportdoc_row row;

	buf_adds(out, "\xEF\xBB\xBF"); /* the BOM: Excel then reads UTF-8 */
	reportdoc_headings(m->language, heads);
	for (size_t i = 0; i < REPORTDOC_COLUMNS; i++)
		csv_cell(out, heads[i], i + 1 == REPORTDOC_COLUMNS);
	for (size_t i = 0; i < r->n_items; i++) {
		reportdoc_row(r, &r->items[i], m->language, &row);
		for (size_t k = 0; k < REPORTDOC_COLUMNS; k++)
			csv_cell(out, row.cell[k], k + 1 == REPORTDOC_COLUMNS);
	}
}
