/*
 * ingest — see ingest.h.
 *
 * The plan's facts come from, in order of authority: the command line,
 * the config's [plan] section, the document itself.
 */
#include "ingest.h"

#include "import.h"
#include "json.h"
#include "sync.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

struct plan_facts {
	char *id, *title, *issued, *monitor;
	int first_year, last_year;
	bool from_file_name; /* the id is the file's stem: neither given nor read */
};

static char *file_stem(const char *path)
{
	char *copy = xstrdup(path);
	char *base = xstrdup(basename(copy));
	char *dot = strrchr(base, '.');

	if (dot && dot != base)
		*dot = '\0';
	free(copy);
	return base;
}

/* An agency id from an id or a name ("Sở TT&TT"); the first one a cell names. */
static char *agency_id(const struct dir *d, const char *text)
{
	struct dir_match *m;
	size_t n;
	char *id = NULL;

	if (!text)
		return NULL;
	if (cfg_agency(dir_cfg(d), text))
		return xstrdup(text);
	n = dir_split(d, text, &m);
	for (size_t i = 0; i < n && !id; i++)
		if (m[i].kind == DIR_AGENCY)
			id = xstrdup(m[i].id);
	dir_matches_free(m, n);
	return id;
}

static void decide_plan(const struct dir *d, const struct ingest_options *o,
                        const struct import_doc *doc, const char *path, struct plan_facts *p)
{
	const struct cfg_plan *cp;
	const char *id = o->plan_id ? o->plan_id : doc->number;

	memset(p, 0, sizeof(*p));
	p->id = id ? xstrdup(id) : file_stem(path);
	p->from_file_name = !id;
	cp = cfg_plan(dir_cfg(d), p->id);
	p->title = xstrdup(o->title          ? o->title
	                   : cp && cp->title ? cp->title
	                   : doc->title      ? doc->title
	                                     : p->id);
	const char *issued = o->issued ? o->issued : cp && cp->issued ? cp->issued : doc->issued;
	p->issued = issued ? xstrdup(issued) : NULL;
	p->first_year = o->first_year          ? o->first_year
	                : cp && cp->first_year ? cp->first_year
	                                       : doc->first_year;
	p->last_year = o->last_year          ? o->last_year
	               : cp && cp->last_year ? cp->last_year
	                                     : doc->last_year;
	p->monitor = agency_id(d, o->monitor          ? o->monitor
	                          : cp && cp->monitor ? cp->monitor
	                                              : doc->monitor);
}

/* The same file, however the two paths are written. */
static bool same_file(const char *a, const char *b)
{
	char *ra, *rb;
	bool same;

	if (!strcmp(a, b))
		return true;
	ra = realpath(a, NULL);
	rb = realpath(b, NULL);
	same = ra && rb && !strcmp(ra, rb);
	free(ra), free(rb);
	return same;
}

/*
 * A plan named after its file ("bang" for bang.md) belongs to that file:
 * another file of the same name ("bang.csv", "../cu/bang.md") would
 * otherwise silently replace its tasks. 1: refused (reported), -1: store.
 */
static int claimed_by_another_file(struct store *st, const struct plan_facts *p, const char *path,
                                   FILE *out)
{
	struct store_plan have;
	int found;

	if (!p->from_file_name)
		return 0;
	if ((found = store_plan_get(st, p->id, &have)) <= 0)
		return found;
	/* Plans of the configuration have no file to compare with: the file joins it. */
	bool other =
	    have.source && util_streq(have.origin, "import") && !same_file(have.source, path);
	if (other)
		fprintf(out,
		        "%s: plan '%s' (named after the file, the document states no number) "
		        "already holds the tasks of %s; import this file with --plan-id NEW-ID "
		        "as another plan, or with --plan-id %s to revise that plan\n",
		        path, p->id, have.source, p->id);
	store_plan_free(&have);
	return other;
}

static void plan_facts_free(struct plan_facts *p)
{
	free(p->id), free(p->title), free(p->issued), free(p->monitor);
}

static void build_task(const struct dir *d, const struct plan_facts *p,
                       const struct import_row *row, const char *path, struct task *t)
{
	struct tf_ctx ctx = {dir_cfg(d)->tz_offset, p->first_year, p->last_year};

	task_init(t);
	t->plan_id = xstrdup(p->id);
	t->key = xstrdup(row->key);
	t->idx = row->index && *row->index ? xstrdup(row->index) : NULL;
	t->category = row->category ? xstrdup(row->category) : NULL;
	t->title = xstrdup(row->title && *row->title ? row->title : row->raw);
	t->source_file = xstrdup(path);
	t->source_line = row->line;
	t->raw = xstrdup(row->raw ? row->raw : "");
	t->origin = xstrdup("import");
	task_set_timeframe(t, row->timeframe ? row->timeframe : "", &ctx);
	if (row->lead)
		task_assign(t, d, TASK_LEAD, row->lead);
	else
		t->flags |= TASK_FLAG_NO_LEAD;
	if (row->coord)
		task_assign(t, d, TASK_COORD, row->coord);
}

static bool same_agencies(const struct task *a, const struct task *b)
{
	if (a->n_agencies != b->n_agencies)
		return false;
	for (size_t i = 0; i < a->n_agencies; i++) {
		bool found = false;
		for (size_t k = 0; k < b->n_agencies && !found; k++)
			found = a->agencies[i].role == b->agencies[k].role &&
			        !strcmp(a->agencies[i].agency, b->agencies[k].agency);
		if (!found)
			return false;
	}
	return true;
}

/* What a re-import changes, in words, for the report; "" when it is new. */
static void describe_change(struct store *st, const struct task *t, struct buf *out)
{
	char ref[512];
	int64_t id;
	struct task old;

	snprintf(ref, sizeof(ref), "%s:%s", t->plan_id, t->key);
	if (store_task_find(st, ref, &id) != 1 || store_task_get(st, id, &old) != 1)
		return;
	if (strcmp(old.title, t->title))
		buf_adds(out, "title; ");
	if (strcmp(old.timeframe, t->timeframe))
		buf_printf(out, "timeframe '%s' → '%s'; ", old.timeframe, t->timeframe);
	if (!same_agencies(&old, t))
		buf_adds(out, "agencies; ");
	if (!util_streq(old.category, t->category) || !util_streq(old.idx, t->idx))
		buf_adds(out, "section or number; ");
	if (out->len >= 2)
		out->data[out->len -= 2] = '\0';
	task_free(&old);
}

/* Why a stored task is flagged, or "" when it is not. */
static void flag_reasons(const struct task *t, const struct tf_ctx *ctx, struct buf *out)
{
	if (t->flags & TASK_FLAG_UNPARSED) {
		struct tf tf;
		tf_parse(t->timeframe, ctx, &tf);
		buf_printf(out, "timeframe '%s' not understood (%s); ", t->timeframe, tf.error);
	}
	for (size_t i = 0; i < t->n_agencies; i++)
		if (!t->agencies[i].resolved)
			buf_printf(out, "unknown agency '%s'; ", t->agencies[i].written);
	if (t->flags & TASK_FLAG_NO_LEAD)
		buf_adds(out, "no lead agency; ");
	if (out->len >= 2)
		out->data[out->len -= 2] = '\0';
}

struct ingest_report {
	struct buf flagged, changed; /* text or JSON array members */
	struct sync_report sync;
	bool json;
};

static void note_row(struct ingest_report *rep, struct buf *list, const struct import_row *row,
                     const char *what)
{
	if (!*what)
		return;
	if (rep->json) {
		bool first = true;
		buf_adds(list, list->len ? ",{" : "{");
		json_key(list, "line", &first);
		buf_printf(list, "%d", row->line);
		json_key(list, "key", &first);
		json_string(list, row->key);
		json_key(list, "why", &first);
		json_string(list, what);
		buf_addc(list, '}');
	} else {
		buf_printf(list, "    line %d %s: %s\n", row->line, row->key, what);
	}
}

static int store_rows(struct store *st, const struct dir *d, const struct plan_facts *p,
                      const struct import_doc *doc, const char *path, time_t now,
                      struct ingest_report *rep)
{
	struct tf_ctx ctx = {dir_cfg(d)->tz_offset, p->first_year, p->last_year};
	struct store_plan sp = {p->id,        p->title, p->issued,     p->monitor,
	                        (char *)path, "import", p->first_year, p->last_year};

	if (store_plan_upsert(st, &sp, now) < 0)
		return -1;
	for (size_t i = 0; i < doc->n_rows; i++) {
		struct task t;
		struct buf why = BUF_INIT;
		enum store_change change;
		build_task(d, p, &doc->rows[i], path, &t);
		describe_change(st, &t, &why);
		int rc = sync_task(st, &t, ctx.tz_offset, now, &change, &rep->sync);
		if (change == STORE_UPDATED)
			note_row(rep, &rep->changed, &doc->rows[i], buf_str(&why));
		buf_reset(&why);
		flag_reasons(&t, &ctx, &why);
		note_row(rep, &rep->flagged, &doc->rows[i], buf_str(&why));
		buf_free(&why);
		task_free(&t);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void print_text(FILE *out, const char *path, const struct plan_facts *p,
                       const struct import_doc *doc, const struct ingest_report *rep, bool dry_run)
{
	fprintf(out, "%s: plan %s", path, p->id);
	if (p->issued)
		fprintf(out, " of %s", p->issued);
	if (p->first_year)
		fprintf(out, ", %d-%d", p->first_year, p->last_year);
	fprintf(out, ", monitored by %s\n", p->monitor ? p->monitor : "(the default)");
	fprintf(out, "  title: %s\n", p->title);
	fprintf(out,
	        "  found %zu tasks: %zu in tables, %zu in numbered items, %zu reporting duties\n",
	        doc->n_rows, doc->per_layout[IMPORT_TABLE], doc->per_layout[IMPORT_PROSE],
	        doc->per_layout[IMPORT_DUTY]);
	fprintf(out, "  %s %d new, %d updated, %d unchanged, %d occurrences\n",
	        dry_run ? "would store (dry run, nothing written):" : "stored:", rep->sync.created,
	        rep->sync.updated, rep->sync.unchanged, rep->sync.occurrences);
	if (rep->changed.len)
		fprintf(out, "  changed:\n%s", buf_str(&rep->changed));
	if (rep->flagged.len)
		fprintf(out, "  flagged (stored, to be fixed by an admin):\n%s",
		        buf_str(&rep->flagged));
	if (doc->problems.len) {
		fprintf(out, "  notes on reading the document:\n");
		for (const char *l = buf_str(&doc->problems); *l; l += strcspn(l, "\n") + 1)
			fprintf(out, "    line %.*s\n", (int)strcspn(l, "\n"), l);
	}
}

static void print_json(FILE *out, const char *path, const struct plan_facts *p,
                       const struct import_doc *doc, const struct ingest_report *rep, bool dry_run)
{
	struct buf b = BUF_INIT;
	bool first = true;

	buf_addc(&b, '{');
	json_key(&b, "file", &first);
	json_string(&b, path);
	json_key(&b, "plan", &first);
	json_string(&b, p->id);
	json_key(&b, "title", &first);
	json_string(&b, p->title);
	json_key(&b, "issued", &first);
	json_string(&b, p->issued);
	json_key(&b, "monitor", &first);
	json_string(&b, p->monitor);
	json_key(&b, "found", &first);
	buf_printf(&b, "{\"table\":%zu,\"prose\":%zu,\"duty\":%zu}", doc->per_layout[IMPORT_TABLE],
	           doc->per_layout[IMPORT_PROSE], doc->per_layout[IMPORT_DUTY]);
	json_key(&b, "dry_run", &first);
	buf_adds(&b, dry_run ? "true" : "false");
	buf_printf(&b, ",\"created\":%d,\"updated\":%d,\"unchanged\":%d", rep->sync.created,
	           rep->sync.updated, rep->sync.unchanged);
	buf_printf(&b, ",\"changed\":[%s],\"flagged\":[%s],\"problems\":[", buf_str(&rep->changed),
	           buf_str(&rep->flagged));
	bool more = false;
	for (const char *l = buf_str(&doc->problems); *l; l += strcspn(l, "\n") + 1) {
		char *line = xstrndup(l, strcspn(l, "\n"));
		if (more)
			buf_addc(&b, ',');
		json_string(&b, line);
		free(line);
		more = true;
	}
	buf_adds(&b, "]}\n");
	fputs(buf_str(&b), out);
	buf_free(&b);
}

int ingest_file(struct store *st, const struct dir *d, const struct ingest_options *o,
                const char *path, time_t now, FILE *out, struct ingest_totals *totals)
{
	size_t len;
	char *text = util_read_file(path, &len);
	struct import_doc doc;
	struct plan_facts plan;
	struct ingest_report rep = {BUF_INIT, BUF_INIT, {0}, o->json};
	int rc = -1;

	if (!text) {
		fprintf(out, "%s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	if (!text_utf8_valid(text, len)) {
		fprintf(out, "%s: not UTF-8 text (convert it first, e.g. with iconv)\n", path);
		free(text);
		return -1;
	}
	if (import_parse(text, len, &doc) == 0) {
		fprintf(out,
		        "%s: no tasks found: no table with task/lead headers, no items with "
		        "'Đơn vị chủ trì', no reporting duty\n",
		        path);
		goto out;
	}
	decide_plan(d, o, &doc, path, &plan);
	int claimed = claimed_by_another_file(st, &plan, path, out);
	if (claimed) {
		if (claimed < 0)
			fprintf(out, "%s: database: %s\n", path, store_error(st));
	} else if (store_begin(st) < 0 || store_rows(st, d, &plan, &doc, path, now, &rep) < 0) {
		fprintf(out, "%s: database: %s\n", path, store_error(st));
		store_rollback(st);
	} else if (o->dry_run) {
		store_rollback(st);
		rc = 0;
	} else {
		rc = store_commit(st) < 0 ? (fprintf(out, "%s: %s\n", path, store_error(st)), -1)
		                          : 0;
	}
	if (rc == 0) {
		(o->json ? print_json : print_text)(out, path, &plan, &doc, &rep, o->dry_run);
		totals->files++;
		totals->tasks += rep.sync.tasks;
		totals->created += rep.sync.created;
		totals->updated += rep.sync.updated;
		totals->unchanged += rep.sync.unchanged;
		totals->flagged += rep.sync.flagged;
	}
	plan_facts_free(&plan);
out:
	buf_free(&rep.changed);
	buf_free(&rep.flagged);
	import_doc_free(&doc);
	free(text);
	return rc;
}
