/* explain — see import/explain.h. */
#include "import/explain.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

struct order {
	size_t block, n; /* n: the fate's index, so that a block's fates keep their order */
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

static const char *where(const struct doc_pos *p, char *buf, size_t cap)
{
	return doc_pos_format(p, buf, cap);
}

static void table_header(const struct doc_table *t, const struct import_result *r, size_t block,
                         struct buf *out)
{
	char at[96];
	struct doc_pos span = t->pos;

	buf_printf(out, "table %d, %s (%s), %zu rows:", t->pos.table, where(&span, at, sizeof(at)),
	           doc_form_name(t->form), t->n_rows);
	bool any = false;
	for (size_t i = 0; i < r->n_tables; i++) {
		const struct import_table_read *tr = &r->tables[i];
		if (tr->block != block)
			continue;
		if (tr->kind == TABLE_OTHER) {
			buf_printf(out, " not a task table: %s\n", tr->why ? tr->why : "");
			return;
		}
		buf_printf(out, "%s\n  %s header at %s: %s\n  columns:", any ? "" : "",
		           tr->kind == TABLE_TASKS ? "tasks" : "indicators",
		           where(&tr->pos, at, sizeof(at)), tr->why ? tr->why : "");
		for (int g = 0; g < tr->cols.n; g++)
			buf_printf(out, "%s %d %s \"%s\"", g ? " |" : "", g + 1,
			           columns_role_name(tr->cols.role[g]), tr->cols.header[g]);
		any = true;
	}
	buf_adds(out, any ? "\n" : " rows of the table above\n");
}

static void fate_line(const struct import_fate_note *f, struct buf *out)
{
	char at[96];

	buf_printf(out, "  %s: %s%s%s — %s\n", where(&f->pos, at, sizeof(at)),
	           import_fate_name(f->fate), f->key ? " " : "", f->key ? f->key : "", f->why);
}

static bool quiet(enum import_fate f)
{
	return f == FATE_TEXT || f == FATE_NOISE;
}

/* A table: how it was read, then each of its rows' fate; returns the next block. */
static size_t table_block(const struct doc *d, const struct import_result *r, const struct order *o,
                          size_t b, size_t *k, struct buf *out)
{
	table_header(d->blocks[b].table, r, b, out);
	for (; *k < r->n_fates && o[*k].block == b; (*k)++)
		fate_line(&r->fates[o[*k].n], out);
	return b + 1;
}

/*
 * A run of paragraphs whose fates are all plain text is one line; a
 * paragraph that made an item, a label or a task is shown with its fates.
 * Returns the next block.
 */
static size_t paragraph_blocks(const struct doc *d, const struct import_result *r,
                               const struct order *o, size_t b, size_t *k, struct buf *out)
{
	char at[96];
	size_t last = b, n = 0;

	while (last < d->n_blocks && d->blocks[last].kind == DOC_PARAGRAPH) {
		bool plain = true;
		for (size_t j = *k; j < r->n_fates && o[j].block == last; j++)
			plain &= quiet(r->fates[o[j].n].fate);
		if (!plain)
			break;
		while (*k < r->n_fates && o[*k].block == last)
			(*k)++;
		last++;
		n++;
	}
	if (n) {
		struct doc_pos span = d->blocks[b].para->pos;
		span.end_line = d->blocks[last - 1].para->pos.end_line;
		buf_printf(out, "paragraphs, %s: %zu of text, no task\n",
		           where(&span, at, sizeof(at)), n);
		return last;
	}
	const struct doc_para *p = d->blocks[b].para;
	buf_printf(out, "paragraph, %s: %s%s%.*s\n", where(&p->pos, at, sizeof(at)), p->number,
	           *p->number ? " " : "", result_cut(p->text, 70), p->text);
	for (; *k < r->n_fates && o[*k].block == b; (*k)++)
		fate_line(&r->fates[o[*k].n], out);
	return b + 1;
}

void explain_write(const char *path, const struct doc *d, const struct import_result *r,
                   struct buf *out)
{
	struct order *o = xcalloc(r->n_fates + 1, sizeof(*o));
	size_t tables = 0;
	char at[96];

	for (size_t i = 0; i < r->n_fates; i++)
		o[i] = (struct order){r->fates[i].block, i};
	if (r->n_fates)
		qsort(o, r->n_fates, sizeof(*o), cmp_order);
	for (size_t b = 0; b < d->n_blocks; b++)
		tables += d->blocks[b].kind == DOC_TABLE;
	buf_printf(out, "%s: %zu blocks: %zu tables, %zu paragraphs\n", path, d->n_blocks, tables,
	           d->n_blocks - tables);
	buf_printf(out, "plan: number %s, issued %s, period ", r->number ? r->number : "(none)",
	           r->issued ? r->issued : "(none)");
	if (r->first_year)
		buf_printf(out, "%d-%d", r->first_year, r->last_year);
	else
		buf_adds(out, "(none)");
	buf_printf(out, ", title %s%s%s", r->title ? "\"" : "", r->title ? r->title : "(none)",
	           r->title ? "\"" : "");
	buf_printf(out, ", issued by %s\n", r->issuer ? r->issuer : "(not said)");

	size_t k = 0;
	for (size_t b = 0; b < d->n_blocks;)
		b = d->blocks[b].kind == DOC_TABLE ? table_block(d, r, o, b, &k, out)
		                                   : paragraph_blocks(d, r, o, b, &k, out);
	buf_printf(out,
	           "found %zu tasks: %zu in tables, %zu in numbered items, %zu reporting duties; "
	           "%zu indicators (not tasks)\n",
	           r->n_rows, r->per_layout[IMPORT_TABLE], r->per_layout[IMPORT_PROSE],
	           r->per_layout[IMPORT_DUTY], r->n_indicators);
	if (d->n_problems || r->n_problems)
		buf_adds(out, "notes on reading the document:\n");
	for (size_t i = 0; i < d->n_problems; i++)
		buf_printf(out, "  %s: %s\n", where(&d->problems[i].pos, at, sizeof(at)),
		           d->problems[i].what);
	for (size_t i = 0; i < r->n_problems; i++)
		buf_printf(out, "  %s: %s\n", where(&r->problems[i].pos, at, sizeof(at)),
		           r->problems[i].what);
	free(o);
}
