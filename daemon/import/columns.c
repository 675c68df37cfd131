/* columns — see import/columns.h. */
#include "import/columns.h"

#include "import/words.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_MAX   90 /* folded bytes: header cells are short */
#define HEADER_WORDS 9

struct rule {
	const char *words;
	enum col_role role;
};

/*
 * In order: the first rule whose words the header holds decides. Specific
 * before general: "Văn bản giao nhiệm vụ" is a source, not the task;
 * "Người đứng đầu chịu trách nhiệm" a person, not the lead; "Thời gian
 * thực hiện" a time, not the lead; "Cơ quan chủ trì theo dõi, đánh giá" a
 * lead, not a status.
 */
static const struct rule rules[] = {
    /* English headers, as a template in English (a donor's, a project tool's) writes them;
     * "Task owner" is a lead, "% of task complete" a status, before "task". */
    {"complete", COL_STATUS},
    {"status", COL_STATUS},
    {"progress", COL_STATUS},
    {"person", COL_PERSON},
    {"owner", COL_LEAD},
    {"responsible", COL_LEAD},
    {"lead agency", COL_LEAD},
    {"in charge", COL_LEAD},
    {"coordinating", COL_COORD},
    {"supporting", COL_COORD},
    {"due date", COL_TIME},
    {"deadline", COL_TIME},
    {"start date", COL_TIME},
    {"end date", COL_TIME},
    {"timeline", COL_TIME},
    {"deliverable", COL_RESULT},
    {"output", COL_RESULT},
    {"remarks", COL_NOTE},
    {"notes", COL_NOTE},
    {"budget", COL_BUDGET},
    {"task", COL_TASK},
    {"activity", COL_TASK},
    {"activities", COL_TASK},
    {"ghi chu", COL_NOTE},
    {"kinh phi", COL_BUDGET},
    {"nguon von", COL_BUDGET},
    {"du toan", COL_BUDGET},
    {"ngan sach", COL_BUDGET},
    {"van ban", COL_SOURCE},
    {"can cu", COL_SOURCE},
    {"nguoi", COL_PERSON},
    {"lanh dao", COL_PERSON},
    {"ho ten", COL_PERSON},
    {"ho va ten", COL_PERSON},
    {"don vi tinh", COL_UNIT},
    {"dvt", COL_UNIT},
    {"thoi gian", COL_TIME},
    {"nam thuc hien", COL_TIME}, /* the year of the work, not who does it */
    {"lo trinh", COL_TIME},
    {"thoi han", COL_TIME},
    {"han hoan thanh", COL_TIME},
    {"thoi diem", COL_TIME},
    {"moc thoi gian", COL_TIME},
    {"ngay hoan thanh", COL_TIME},
    {"nam hoan thanh", COL_TIME},
    {"dia ban", COL_OTHER}, /* "Địa bàn thực hiện": a place, not who does it */
    {"dia diem", COL_OTHER},
    {"phoi hop", COL_COORD},
    {"dau moi", COL_LEAD},
    {"don vi tham muu", COL_LEAD},
    {"co quan tham muu", COL_LEAD},
    {"don vi duoc giao", COL_LEAD},
    {"co quan duoc giao", COL_LEAD},
    {"co quan trinh", COL_LEAD},
    {"don vi trinh", COL_LEAD},
    {"chu tri", COL_LEAD},
    {"chiu trach nhiem", COL_LEAD},
    {"trach nhiem", COL_LEAD},
    {"phu trach", COL_LEAD},
    {"phan cong", COL_LEAD},
    {"theo doi", COL_LEAD}, /* "Cơ quan theo dõi, đánh giá": who follows an indicator */
    {"ket qua", COL_RESULT},
    {"san pham", COL_RESULT},
    {"dau ra", COL_RESULT},
    {"tinh trang", COL_STATUS},
    {"trang thai", COL_STATUS},
    {"muc do hoan thanh", COL_STATUS},
    {"danh gia", COL_STATUS},
    {"nhiem vu", COL_TASK},
    {"noi dung", COL_TASK},
    {"giai phap", COL_TASK},
    {"cong viec", COL_TASK},
    {"hoat dong", COL_TASK},
    {"chi tieu", COL_TASK},
    {"muc tieu", COL_TASK},
    {"de an", COL_TASK},
    {"du an", COL_TASK},
    {"chuong trinh", COL_TASK},
    {"danh muc", COL_TASK},
    {"tien do", COL_TIME},    /* a status when a deadline column is there too */
    {"thuc hien", COL_LEAD},  /* "Đơn vị thực hiện", after "Nội dung thực hiện" */
    {"trien khai", COL_LEAD}, /* "Đơn vị triển khai", the same */
    {"soan thao", COL_LEAD},  /* "Cơ quan soạn thảo": who drafts the text is its lead */
    {"han", COL_TIME},
};

static const char *const index_words[] = {"tt",   "stt",  "so tt", "#",   "so thu tu",  "thu tu",
                                          "s tt", "st t", "t t",   "wbs", "wbs number", "no"};
/* A bare "Đơn vị" or "Cơ quan": the lead, unless another column is (then a unit). */
static const char *const bare_agency[] = {"don vi", "co quan", "co quan, don vi",
                                          "don vi, dia phuong", "co quan, don vi, dia phuong"};

enum col_role columns_role(const char *header)
{
	char buf[256];
	const char *f = words_fold(header, buf, sizeof(buf));
	size_t n = strlen(f);

	while (n && strchr(":.*", f[n - 1]))
		buf[(f - buf) + --n] = '\0';
	if (!*f || n > HEADER_MAX)
		return COL_OTHER;
	for (size_t i = 0; i < UTIL_NELEM(index_words); i++)
		if (!strcmp(f, index_words[i]))
			return COL_INDEX;
	for (size_t i = 0; i < UTIL_NELEM(bare_agency); i++)
		if (!strcmp(f, bare_agency[i]))
			return COL_LEAD;
	if (words_starts(f, "ten"))
		return COL_TASK;
	for (size_t i = 0; i < UTIL_NELEM(rules); i++)
		if (words_has(f, rules[i].words))
			return rules[i].role;
	return COL_OTHER;
}

/* "Thời gian bắt đầu", "Start date": when work begins, not its deadline. */
static bool start_time(const char *header)
{
	char buf[256];
	const char *f = words_fold(header, buf, sizeof(buf));

	return words_has(f, "bat dau") || words_has(f, "start");
}

static bool weak_time(const char *f)
{
	return words_has(f, "tien do") && !words_has(f, "thoi gian") && !words_has(f, "thoi han");
}

static bool bare(const char *f)
{
	for (size_t i = 0; i < UTIL_NELEM(bare_agency); i++)
		if (!strcmp(f, bare_agency[i]))
			return true;
	return false;
}

void columns_free(struct columns *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->header[i]);
	memset(c, 0, sizeof(*c));
}

/*
 * How surely a task header names the work itself: "Nhiệm vụ", "Nội dung",
 * "Tên …" do; "Đề án", "Chương trình" may be a reference beside it;
 * "Mục tiêu", "Chỉ tiêu" are what the work serves, unless nothing else is.
 */
static int task_rank(const char *header)
{
	static const char *const strong[] = {"nhiem vu", "noi dung", "cong viec", "hoat dong",
	                                     "giai phap"};
	static const char *const weak[] = {"muc tieu", "chi tieu"};
	char buf[256];
	const char *f = words_fold(header, buf, sizeof(buf));

	if (words_starts(f, "ten"))
		return 2;
	for (size_t i = 0; i < UTIL_NELEM(strong); i++)
		if (words_has(f, strong[i]))
			return 2;
	for (size_t i = 0; i < UTIL_NELEM(weak); i++)
		if (words_has(f, weak[i]))
			return 0;
	return 1;
}

/* Several task columns: the leftmost of the surest keeps the role, the others are text. */
static void strongest_task(struct columns *c)
{
	int best = -1, rank = -1;

	for (int i = 0; i < c->n; i++)
		if (c->role[i] == COL_TASK && task_rank(c->header[i]) > rank) {
			rank = task_rank(c->header[i]);
			best = i;
		}
	for (int i = 0; i < c->n; i++)
		if (c->role[i] == COL_TASK && i != best)
			c->role[i] = COL_OTHER;
}

/* Two columns naming one role: the stronger keeps it, the other is demoted. */
static void settle(struct columns *c)
{
	char buf[256];

	for (int r = 0; r < COL_ROLES; r++)
		c->where[r] = -1;
	/* "Tiến độ" beside a real deadline column reads as the status. */
	for (int i = 0; i < c->n; i++)
		if (c->role[i] == COL_TIME && weak_time(words_fold(c->header[i], buf, sizeof(buf))))
			for (int k = 0; k < c->n; k++)
				if (k != i && c->role[k] == COL_TIME &&
				    !weak_time(words_fold(c->header[k], buf, sizeof(buf)))) {
					c->role[i] = COL_STATUS;
					break;
				}
	/* "Thời gian bắt đầu" beside "Thời gian hoàn thành": the end is the deadline. */
	for (int i = 0; i < c->n; i++)
		if (c->role[i] == COL_TIME && start_time(c->header[i]))
			for (int k = 0; k < c->n; k++)
				if (k != i && c->role[k] == COL_TIME && !start_time(c->header[k])) {
					c->role[i] = COL_OTHER;
					break;
				}
	/* A bare "Đơn vị" beside a named lead is a unit of measure. */
	for (int i = 0; i < c->n; i++)
		if (c->role[i] == COL_LEAD && bare(words_fold(c->header[i], buf, sizeof(buf))))
			for (int k = 0; k < c->n; k++)
				if (k != i && c->role[k] == COL_LEAD &&
				    !bare(words_fold(c->header[k], buf, sizeof(buf)))) {
					c->role[i] = COL_UNIT;
					break;
				}
	strongest_task(c);
	for (int i = 0; i < c->n; i++) {
		if (c->role[i] == COL_OTHER)
			continue;
		if (c->where[c->role[i]] >= 0) {
			/* A second task or lead column is text beside the first. */
			c->role[i] = COL_OTHER;
			continue;
		}
		c->where[c->role[i]] = i;
	}
	/* No task column: the products listed ("Sản phẩm", "Kết quả đầu ra") are the items. */
	if (c->where[COL_TASK] < 0 && c->where[COL_RESULT] >= 0) {
		c->role[c->where[COL_RESULT]] = COL_TASK;
		c->where[COL_TASK] = c->where[COL_RESULT];
		c->where[COL_RESULT] = -1;
	}
}

static bool indicator_table(const struct columns *c)
{
	char buf[256];

	if (c->where[COL_TIME] >= 0)
		return false;
	if (c->where[COL_TASK] >= 0 &&
	    words_has(words_fold(c->header[c->where[COL_TASK]], buf, sizeof(buf)), "chi tieu"))
		return true;
	if (c->where[COL_LEAD] >= 0) {
		const char *f = words_fold(c->header[c->where[COL_LEAD]], buf, sizeof(buf));
		return words_has(f, "theo doi") || words_has(f, "danh gia");
	}
	return false;
}

bool columns_read(const struct doc_cell *cells, size_t n, struct columns *out)
{
	struct columns c;
	int named = 0, written = 0;
	bool task_or_lead = false, numbered_row = false;

	memset(&c, 0, sizeof(c));
	if (!n)
		return false;
	int base = cells[0].grid_col;
	for (size_t i = 0; i < n; i++) {
		const struct doc_cell *cell = &cells[i];
		int at = cell->grid_col - base, end = at + cell->col_span;
		if (end > COLUMNS_MAX)
			break;
		for (int g = at; g < end; g++) {
			c.header[g] = xstrdup(cell->text);
			c.role[g] = g == at ? columns_role(cell->text) : COL_OTHER;
		}
		if (end > c.n)
			c.n = end;
		if (!*cell->text)
			continue;
		char buf[256];
		const char *f = words_fold(cell->text, buf, sizeof(buf));
		if (strlen(f) > HEADER_MAX || words_count(f) > HEADER_WORDS) {
			columns_free(&c);
			return false;
		}
		if (!written && isdigit((unsigned char)cell->text[0]))
			numbered_row = true; /* "7.2 | …": a data row, whatever its words */
		written++;
		named += c.role[at] != COL_OTHER;
		task_or_lead |= c.role[at] == COL_TASK || c.role[at] == COL_LEAD;
	}
	for (int g = 0; g < c.n; g++)
		if (!c.header[g])
			c.header[g] = xstrdup("");
	/* Roles named, each once: a data row may say "giải pháp" twice. */
	unsigned distinct = 0;
	int kinds = 0;
	for (int g = 0; g < c.n; g++)
		if (c.role[g] != COL_OTHER && !(distinct & (1u << c.role[g]))) {
			distinct |= 1u << c.role[g];
			kinds++;
		}
	if (named < 2 || kinds < 2 || !task_or_lead || named * 2 < written || numbered_row) {
		columns_free(&c);
		return false;
	}
	settle(&c);
	if (c.where[COL_TASK] < 0 && c.where[COL_LEAD] < 0) {
		columns_free(&c);
		return false;
	}
	c.indicators = indicator_table(&c);
	*out = c;
	return true;
}

#define SAMPLE_ROWS 40 /* rows under a header looked at for what its columns hold */

/* "1. Luật …", "2) Đề án …": an item's number, then its text. */
static bool numbered_item(const char *s)
{
	size_t n = strcspn(s, " \n");
	char buf[256];

	if (!n || n > 12 || !isdigit((unsigned char)s[0]) || (s[n - 1] != '.' && s[n - 1] != ')'))
		return false;
	char *index = xstrndup(s, n);
	bool ok = words_index(index);
	free(index);
	return ok && words_count(words_fold(s + n, buf, sizeof(buf))) >= 2;
}

/* "14, 26", "3", "-": numbers that point elsewhere, no words. */
static bool reference_numbers(const char *s)
{
	return *s && strspn(s, "0123456789,;.-/ ") == strlen(s);
}

/* A column that may hold the task's text: unnamed, a result, or named a task. */
static bool may_hold_task(const struct columns *c, int g)
{
	return c->role[g] == COL_OTHER || c->role[g] == COL_RESULT ||
	       columns_role(c->header[g]) == COL_TASK;
}

struct tally {
	int written, items, refs;
	int month_first, day_first; /* dates "1/31/2025", "31/1/2025" */
};

/* Which part of a date "a/b/yyyy" in s is over 12: 1 the first, 2 the second, 0 neither. */
static int date_over_12(const char *s)
{
	for (const char *p = s; *p; p++) {
		unsigned a, b, y;
		int used = 0;
		if (isdigit((unsigned char)*p) && (p == s || !isdigit((unsigned char)p[-1])) &&
		    sscanf(p, "%2u/%2u/%4u%n", &a, &b, &y, &used) == 3 && used >= 8 &&
		    !isdigit((unsigned char)p[used]) && a && b)
			return a > 12 && b <= 12 ? 1 : b > 12 && a <= 12 ? 2 : 0;
	}
	return 0;
}

/* Counts, by column, what the full rows under the header write. Returns the rows counted. */
static int tally_rows(const struct columns *c, const struct doc_row *rows, size_t n,
                      struct tally *t)
{
	int seen = 0;

	for (size_t i = 0; i < n && seen < SAMPLE_ROWS; i++) {
		const struct doc_row *row = &rows[i];
		if (!row->n_cells)
			continue;
		int base = row->cells[0].grid_col;
		const struct doc_cell *last = &row->cells[row->n_cells - 1];
		if (last->grid_col + last->col_span - base != c->n)
			continue;
		seen++;
		for (size_t k = 0; k < row->n_cells; k++) {
			int g = row->cells[k].grid_col - base;
			const char *s = row->cells[k].text;
			if (g < 0 || g >= c->n || !*s)
				continue;
			t[g].written++;
			t[g].items += numbered_item(s);
			t[g].refs += reference_numbers(s);
			int over = date_over_12(s);
			t[g].day_first += over == 1;
			t[g].month_first += over == 2;
		}
	}
	return seen;
}

/* The column the cells say is the task's, or -1 when the header's stands. */
static int task_by_cells(const struct columns *c, const struct tally *t, int seen)
{
	int task = c->where[COL_TASK];

	bool weak = task_rank(c->header[task]) < 2 || t[task].refs == t[task].written;

	/* The numbered items are the task unless a column named for the work writes text. */
	if (c->where[COL_INDEX] < 0 && !t[task].items && weak)
		for (int g = 0; g < c->n; g++)
			if (g != task && may_hold_task(c, g) && t[g].items >= (seen < 2 ? 1 : 2) &&
			    t[g].items * 2 >= t[g].written)
				return g;
	if (t[task].written && t[task].refs == t[task].written)
		for (int g = 0; g < c->n; g++)
			if (g != task && may_hold_task(c, g) && t[g].refs < t[g].written &&
			    t[g].written * 2 >= seen)
				return g;
	return -1;
}

bool columns_by_cells(struct columns *c, const struct doc_row *rows, size_t n)
{
	struct tally t[COLUMNS_MAX];

	memset(t, 0, sizeof(t));
	int seen = tally_rows(c, rows, n, t);
	int time = c->where[COL_TIME];
	if (time >= 0)
		c->month_first = t[time].month_first && !t[time].day_first;
	if (c->where[COL_TASK] < 0)
		return false;
	int to = seen ? task_by_cells(c, t, seen) : -1;
	if (to < 0)
		return false;
	c->role[c->where[COL_TASK]] = COL_OTHER;
	if (c->role[to] != COL_OTHER && c->role[to] != COL_TASK)
		c->where[c->role[to]] = -1;
	c->role[to] = COL_TASK;
	c->where[COL_TASK] = to;
	c->indicators = indicator_table(c);
	return true;
}

/* The column of top that a flattened copy's short second row ("Chủ trì | Phối hợp", "Bắt
 * đầu | Kết thúc") goes under: the agencies' for agency words, else the time's; or -1. */
static int spanning_column(const struct columns *top, const struct columns *sub)
{
	bool agencies = false;

	for (int i = 0; i < sub->n; i++) {
		enum col_role r = columns_role(sub->header[i]);
		agencies |= r == COL_LEAD || r == COL_COORD;
	}
	for (int g = 0; g < top->n; g++) {
		enum col_role r = top->role[g];
		if (agencies ? r == COL_LEAD || r == COL_COORD : r == COL_TIME)
			return g;
	}
	return -1;
}

/*
 * A flattened copy writes a spanning header cell once and the cells under
 * it in a short row of their own: top's column g becomes sub's k columns.
 */
static bool span_out(struct columns *top, const struct columns *sub)
{
	int k = sub->n, g;

	for (int i = 0; i < k; i++)
		if (!*sub->header[i])
			return false;
	if (k < 2 || top->n + k - 1 > COLUMNS_MAX || (g = spanning_column(top, sub)) < 0)
		return false;
	for (int j = top->n - 1; j > g; j--) {
		top->header[j + k - 1] = top->header[j];
		top->role[j + k - 1] = top->role[j];
	}
	char *over = top->header[g];
	for (int i = 0; i < k; i++) {
		size_t len = strlen(over) + strlen(sub->header[i]) + 2;
		char *both = xmalloc(len);
		snprintf(both, len, "%s %s", over, sub->header[i]);
		enum col_role r = columns_role(sub->header[i]);
		top->role[g + i] = r != COL_OTHER ? r : columns_role(both);
		top->header[g + i] = both;
	}
	free(over);
	top->n += k - 1;
	settle(top);
	top->indicators = indicator_table(top);
	return true;
}

bool columns_sub_header(struct columns *top, const struct columns *sub)
{
	int task = top->where[COL_TASK];

	if (sub->where[COL_TASK] >= 0 || sub->where[COL_INDEX] >= 0)
		return false;
	if (sub->n > top->n || (task >= 0 && task < sub->n && *sub->header[task]))
		return span_out(top, sub);
	/* A spanning group header is written once, at its left: it names the cells under it. */
	char *over = xstrdup("");
	for (int g = 0; g < sub->n; g++) {
		if (*top->header[g]) {
			free(over);
			over = xstrdup(top->header[g]);
		}
		if (!*sub->header[g])
			continue;
		size_t len = strlen(over) + strlen(sub->header[g]) + 2;
		char *both = xmalloc(len);
		snprintf(both, len, "%s%s%s", over, *over ? " " : "", sub->header[g]);
		enum col_role r = columns_role(sub->header[g]);
		top->role[g] = r != COL_OTHER ? r : columns_role(both);
		free(top->header[g]);
		top->header[g] = both;
	}
	free(over);
	settle(top);
	top->indicators = indicator_table(top);
	return true;
}

/* f is the header h, or the first or last of its words: a line of it wrapped in a narrow column. */
static bool part_of(const char *f, const char *h)
{
	size_t n = strlen(f), len = strlen(h);

	return !strcmp(f, h) || (n < len && !strncmp(h, f, n) && h[n] == ' ') ||
	       (n < len && !strcmp(h + len - n, f) && h[len - n - 1] == ' ');
}

bool columns_repeated(const struct columns *c, const struct doc_cell *cells, size_t n)
{
	char a[256], b[256];
	int same = 0, written = 0;

	for (size_t i = 0; i < n; i++) {
		const char *f = words_fold(cells[i].text, a, sizeof(a));
		if (!*f)
			continue;
		written++;
		for (int g = 0; g < c->n; g++)
			if (*c->header[g] && part_of(f, words_fold(c->header[g], b, sizeof(b)))) {
				same++;
				break;
			}
	}
	return written >= 2 && same == written;
}

const char *columns_role_name(enum col_role r)
{
	static const char *const names[COL_ROLES] = {
	    [COL_OTHER] = "other",   [COL_INDEX] = "index",   [COL_TASK] = "task",
	    [COL_LEAD] = "lead",     [COL_COORD] = "coord",   [COL_TIME] = "timeframe",
	    [COL_RESULT] = "result", [COL_NOTE] = "note",     [COL_STATUS] = "status",
	    [COL_BUDGET] = "budget", [COL_PERSON] = "person", [COL_SOURCE] = "source",
	    [COL_UNIT] = "unit",
	};

	return (unsigned)r < COL_ROLES ? names[r] : "?";
}
