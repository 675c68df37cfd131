/*
 * doc — the document model every import reader produces and the meaning
 * stage alone consumes.
 *
 * A document is its blocks in reading order. A block is a TABLE (rows of
 * cells) or a PARAGRAPH (one paragraph of running text, with the list
 * marker a reader sees in front of it). Readers (text: tab-separated,
 * Markdown pipe, CSV, flattened one-cell-per-line, paragraphs; Word; PDF)
 * say only what the source shows: they never decide what is a task, a
 * header or a section — the header flag is a hint from the source's own
 * markup (Word tblHeader, the row above a Markdown |---| rule). Everything
 * has a source position, and what a reader could not read is a problem
 * with its position, never silently dropped.
 *
 * Text is UTF-8 (NFC or not: the meaning stage folds it), with the source's
 * markup removed (Markdown "**", Word runs): white space runs are one space,
 * none at either end, and separate source paragraphs (Word <w:p> in a cell,
 * a blank line) are joined by one "\n". A line a text file merely wrapped
 * is joined by a space, not "\n". Strings are never NULL ("" when empty).
 *
 * A table nested in a cell is that cell's text, one nested row per line,
 * its cells joined by " | ". Page headers, footers and page numbers are the
 * reader's to drop when it can tell them (PDF); text readers cannot always.
 *
 * A reader is a function `int read_NAME(const char *data, size_t len,
 * struct doc *out)`: 0 when it read the source (problems may still have
 * been noted), -1 when it could not (not its format, corrupt, too big),
 * with at least one problem saying why and where.
 *
 * Plain C: arrays that grow, freed with doc_free. A pointer returned by an
 * add function stays valid until the next add to the same container (the
 * tables and paragraphs themselves never move: blocks hold pointers).
 */
#ifndef DEADLINED_IMPORT_DOC_H
#define DEADLINED_IMPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

/* Where something is. A field is 0 when the source does not know it. */
struct doc_pos {
	int line, end_line; /* text files: first and last line, 1-based */
	int page;           /* PDF page, or Word page when rendered page breaks say */
	int table;          /* 1-based number of the table in the document */
	int row;            /* 1-based row within that table */
	int col;            /* 1-based grid column (after spans) within that row */
	int para;           /* Word/PDF: 1-based paragraph number in the document */
};

/* How the source wrote a block, for `import --explain` and the rules that
 * depend on the form (a flattened table loses its row spans). */
enum doc_form {
	DOC_FORM_TSV,  /* tab-separated lines */
	DOC_FORM_PIPE, /* Markdown | a | b | */
	DOC_FORM_CSV,  /* RFC 4180, ',' or ';' */
	DOC_FORM_FLAT, /* one cell per line, "|" lines between cells */
	DOC_FORM_TEXT, /* paragraphs of a text file */
	DOC_FORM_WORD, /* .docx */
	DOC_FORM_PDF,  /* PDF text layer */
	DOC_FORMS
};

#define DOC_BOLD   0x1u /* all of the text is bold (or a Markdown ** run) */
#define DOC_ITALIC 0x2u /* all of the text is italic (or a Markdown * run) */

/*
 * Vertical merges. A Word vMerge "restart" cell is DOC_MERGE_START, each
 * "continue" cell below it DOC_MERGE_CONT with empty text: its value is
 * the START cell's in the same grid column (doc_merged_cell). Sources that
 * state a row count (HTML rowspan) set row_span on the START cell instead
 * or as well; readers of sources that lose spans (flattened text) set
 * neither, and the meaning stage judges from the short rows.
 */
enum doc_merge { DOC_MERGE_NONE, DOC_MERGE_START, DOC_MERGE_CONT };

struct doc_cell {
	char *text;
	unsigned emph; /* DOC_BOLD | DOC_ITALIC */
	int col_span;  /* >= 1: grid columns it covers (Word gridSpan) */
	int row_span;  /* >= 1: rows it covers, when the source states it */
	enum doc_merge merge;
	int grid_col; /* 0-based first grid column, set by doc_row_add_cell */
	struct doc_pos pos;
};

struct doc_row {
	struct doc_cell *cells;
	size_t n_cells;
	bool header; /* the source marks it a header row */
	struct doc_pos pos;
};

struct doc_table {
	struct doc_row *rows;
	size_t n_rows;
	enum doc_form form;
	struct doc_pos pos;
};

/*
 * A paragraph. number is the list marker as a reader sees it, without the
 * space after it: "1.", "1.2.", "1.2", "a)", "đ)", "II.", "A.", or a bullet
 * "-", "+", "•"; "" when none. The text does not repeat it. For Word's
 * automatic numbering the reader reconstructs the marker and sets level.
 */
struct doc_para {
	char *text;
	char *number;
	int level;     /* numbering level, 1 = outermost, when the source knows it; else 0 */
	int heading;   /* outline level 1-9 of a heading style (Word), else 0 */
	unsigned emph; /* DOC_BOLD | DOC_ITALIC */
	enum doc_form form;
	struct doc_pos pos;
};

enum doc_kind { DOC_TABLE, DOC_PARAGRAPH };

struct doc_block {
	enum doc_kind kind;
	struct doc_table *table; /* kind == DOC_TABLE */
	struct doc_para *para;   /* kind == DOC_PARAGRAPH */
};

struct doc_problem {
	struct doc_pos pos;
	char *what;
};

struct doc {
	struct doc_block *blocks;
	size_t n_blocks, cap_blocks;
	struct doc_problem *problems;
	size_t n_problems, cap_problems;
	int n_tables; /* tables added so far: the next one is n_tables + 1 */
};

/* More cells than this in a row are folded into the last one (with a problem). */
#define DOC_MAX_COLS 64

void doc_init(struct doc *d);
void doc_free(struct doc *d);

/* A new table at the end; its pos.table is numbered here. */
struct doc_table *doc_add_table(struct doc *d, enum doc_form form, struct doc_pos pos);
/* A new row at the end of t; its pos.table and pos.row are set here. */
struct doc_row *doc_table_add_row(struct doc_table *t, struct doc_pos pos);
/*
 * A new cell at the end of r with text[0..len) tidied (see above; Markdown
 * is the reader's to remove). col_span 1, row_span 1, DOC_MERGE_NONE; the
 * grid column and pos.table/row/col are set here. Past DOC_MAX_COLS cells
 * the text is appended to the last cell, which is returned.
 */
struct doc_cell *doc_row_add_cell(struct doc_row *r, const char *text, size_t len,
                                  struct doc_pos pos);
/* Sets a cell's col_span and recomputes the grid columns after it. */
void doc_cell_set_span(struct doc_row *r, size_t cell, int col_span);
/* Appends text to a cell: a wrapped line joins with ' ', a new paragraph with '\n'. */
void doc_cell_append(struct doc_cell *c, const char *text, size_t len, char sep);

/* A new paragraph at the end; number may be NULL. Text is tidied. */
struct doc_para *doc_add_para(struct doc *d, enum doc_form form, const char *number,
                              const char *text, size_t len, struct doc_pos pos);
void doc_para_append(struct doc_para *p, const char *text, size_t len, char sep);

void doc_problem(struct doc *d, struct doc_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The cell of row r covering grid column col, or NULL. */
const struct doc_cell *doc_cell_at(const struct doc_row *r, int col);
/*
 * The cell whose value applies at (row, col): the cell there, or for a
 * DOC_MERGE_CONT cell (or a cell under a START with row_span reaching it)
 * the START cell above. NULL when no cell covers it.
 */
const struct doc_cell *doc_merged_cell(const struct doc_table *t, size_t row, int col);

/*
 * "line 12", "lines 12-14", "page 3, table 2, row 5, column 3",
 * "paragraph 40" …: the most precise description the position allows.
 */
const char *doc_pos_format(const struct doc_pos *p, char *buf, size_t cap);

/* In place: white space runs → one ' ', or '\n' when they hold a line break
 * and keep_newlines; none at either end. Returns s. */
char *doc_tidy(char *s, bool keep_newlines);

const char *doc_form_name(enum doc_form f); /* "tsv", "pipe", "csv", "flattened", … */

#endif
