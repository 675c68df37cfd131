/*
 * columns — a table's header cells to column roles, by their words, the
 * way an official reads "Đơn vị chủ trì" or "Thời gian hoàn thành" in any
 * order and wording. A column whose words say nothing known is OTHER: kept
 * as text, never a reason to drop the table. Pure.
 */
#ifndef DEADLINED_IMPORT_COLUMNS_H
#define DEADLINED_IMPORT_COLUMNS_H

#include "import/doc.h"

#include <stdbool.h>

enum col_role {
	COL_OTHER,  /* words the importer does not know: kept in the row's text */
	COL_INDEX,  /* STT, TT */
	COL_TASK,   /* Nhiệm vụ, Nội dung, Tên …, Chỉ tiêu */
	COL_LEAD,   /* Chủ trì, Đơn vị thực hiện, … chịu trách nhiệm */
	COL_COORD,  /* Phối hợp */
	COL_TIME,   /* Thời gian, Thời hạn, Tiến độ (when no other) */
	COL_RESULT, /* Kết quả, Sản phẩm, Đầu ra */
	COL_NOTE,   /* Ghi chú */
	COL_STATUS, /* Tình trạng, Mức độ hoàn thành, Tiến độ (beside a deadline) */
	COL_BUDGET, /* Kinh phí, Nguồn vốn */
	COL_PERSON, /* Người đứng đầu, Lãnh đạo phụ trách: a person, not an agency */
	COL_SOURCE, /* Văn bản giao nhiệm vụ, Căn cứ */
	COL_UNIT,   /* Đơn vị tính: a unit of measure */
	COL_ROLES
};

#define COLUMNS_MAX DOC_MAX_COLS

struct columns {
	int n;                           /* grid columns */
	enum col_role role[COLUMNS_MAX]; /* by grid column */
	char *header[COLUMNS_MAX];       /* the header's text, tidied */
	int where[COL_ROLES];            /* the grid column of each role, or -1 */
	bool indicators; /* "Chỉ tiêu" / "… theo dõi, đánh giá" and no time: targets, not tasks */
	bool month_first; /* the time column writes "1/31/2025": month, day, year */
};

/* The role one header cell names on its own (COL_OTHER when nothing). */
enum col_role columns_role(const char *header);

/*
 * Reads a row as a header: at least two cells name a role, one of them the
 * task or the lead, and at least half of the written cells name one; every
 * cell is short. Grid columns count from the first cell given. On success
 * fills *out (free with columns_free).
 */
bool columns_read(const struct doc_cell *cells, size_t n, struct columns *out);
void columns_free(struct columns *c);

/*
 * What the cells under a header say about its columns, as an official
 * reads a table whose header alone is unclear (rows: those after the
 * header; only rows as wide as the header are looked at):
 * - with no number column, the column whose cells are numbered items
 *   ("1. Luật …") is the task, whatever the header calls it;
 * - a task column of bare reference numbers ("14, 26", "3") is never the
 *   title: the leftmost column of text named a task or a result is;
 * - a time column with a date "1/31/2025" and none "31/1/2025" writes the
 *   month first (month_first).
 * Returns whether the task column moved.
 */
bool columns_by_cells(struct columns *c, const struct doc_row *rows, size_t n);

/*
 * A second header row under the first: "Cơ quan thực hiện" spanning two
 * columns, then "Chủ trì | Phối hợp" under it. When sub names no task or
 * number and writes only where top's task is not, its cells name their
 * columns (top's words before them) and top takes them; returns whether
 * it did. sub is left for the caller to free.
 */
bool columns_sub_header(struct columns *top, const struct columns *sub);

/* The same header again (a page break repeats it, sometimes without STT), or a
 * line of it, where narrow columns wrap its words ("Đơn vị chủ" / "trì"). */
bool columns_repeated(const struct columns *c, const struct doc_cell *cells, size_t n);

const char *columns_role_name(enum col_role r); /* "index", "task", "lead" … */

#endif
