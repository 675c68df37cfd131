/*
 * ingest — see ingest.h.
 *
 * The plan's facts come from, in order of authority: the command line,
 * the config's [plan] section, the document itself.
 */
#include "ingest.h"

#include "buf.h"
#include "date.h"
#include "import/doc.h"
#include "import/explain.h"
#include "import/meaning.h"
#include "import/reader.h"
#include "json.h"
#include "phases.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct plan_facts {
	char *id, *title, *issued, *monitor;
	int first_year, last_year;
	int issued_on;       /* the date of issue as tf_issued() gives it; 0 when unknown */
	bool from_file_name; /* the id is the file's stem: neither given nor read */
};

/* ---- failures: one report, in the form asked for --------------------------------------------- */

static void report_failure(const struct ingest_options *o, FILE *out, FILE *err, const char *path,
                           const struct doc_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void report_failure(const struct ingest_options *o, FILE *out, FILE *err, const char *path,
                           const struct doc_pos *pos, const char *fmt, ...)
{
	va_list ap;
	char msg[1024], at[96] = "";
	struct buf b = BUF_INIT;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pos && (pos->line || pos->page || pos->table || pos->para))
		doc_pos_format(pos, at, sizeof(at));
	fprintf(err, "%s: %s%s%s\n", path, at, *at ? ": " : "", msg);
	if (!o || !o->json)
		return;
	bool first = true;
	buf_addc(&b, '{');
	json_key(&b, "file", &first);
	json_string(&b, path);
	json_key(&b, "error", &first);
	json_string(&b, msg);
	json_key(&b, "position", &first);
	json_string(&b, *at ? at : NULL);
	json_key(&b, "line", &first);
	if (pos && pos->line)
		buf_printf(&b, "%d", pos->line);
	else
		buf_adds(&b, "null");
	buf_adds(&b, "}\n");
	fputs(buf_str(&b), out);
	buf_free(&b);
}

/* ---- reading a file ---------------------------------------------------------------------------
 */

struct reading {
	char *data;
	size_t len;
	struct doc doc;
	struct import_result result;
};

static void reading_free(struct reading *r)
{
	free(r->data);
	doc_free(&r->doc);
	result_free(&r->result);
}

/* Reads and understands a file; -1 (reported) when it cannot be read at all. */
static int read_plan(const struct ingest_options *o, const char *path, struct reading *r, FILE *out,
                     FILE *err)
{
	memset(r, 0, sizeof(*r));
	doc_init(&r->doc);
	result_init(&r->result);
	r->data = util_read_file(path, &r->len);
	if (!r->data) {
		report_failure(o, out, err, path, NULL, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (reader_read(r->data, r->len, &r->doc) < 0) {
		const struct doc_problem *p = r->doc.n_problems ? &r->doc.problems[0] : NULL;
		report_failure(o, out, err, path, p ? &p->pos : NULL, "%s",
		               p ? p->what : "cannot be read");
		return -1;
	}
	meaning_read(&r->doc, &r->result);
	return 0;
}

/* ---- the plan ------------------------------------------------------------------------------ */

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
                        const struct import_result *doc, const char *path, struct plan_facts *p)
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
	p->issued_on = tf_issued(p->issued);
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

static void plan_facts_free(struct plan_facts *p)
{
	free(p->id), free(p->title), free(p->issued), free(p->monitor);
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
 * otherwise silently replace its tasks. 1: refused, -1: store, 0: fine.
 */
static int claimed_by_another_file(struct store *st, const struct plan_facts *p, const char *path,
                                   char **holder)
{
	struct store_plan have;
	int found;

	*holder = NULL;
	if (!p->from_file_name)
		return 0;
	if ((found = store_plan_get(st, p->id, &have)) <= 0)
		return found;
	/* Plans of the configuration have no file to compare with: the file joins it. */
	bool other =
	    have.source && util_streq(have.origin, "import") && !same_file(have.source, path);
	if (other)
		*holder = xstrdup(have.source);
	store_plan_free(&have);
	return other;
}

/* ---- rows to tasks -------------------------------------------------------------------------- */

struct task_list {
	struct task *v;
	size_t *row; /* the row each task comes from */
	size_t n, cap;
};

static struct task *task_list_add(struct task_list *l, size_t row)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		l->row = xrealloc(l->row, l->cap * sizeof(*l->row));
	}
	l->row[l->n] = row;
	return &l->v[l->n++];
}

static void task_list_free(struct task_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		task_free(&l->v[i]);
	free(l->v);
	free(l->row);
	memset(l, 0, sizeof(*l));
}

/* What every task of a row shares; the key, timeframe and agencies are the caller's. */
static void task_from_row(const struct plan_facts *p, const struct import_row *row,
                          const char *path, struct task *t)
{
	task_init(t);
	t->plan_id = xstrdup(p->id);
	t->idx = row->index && *row->index ? xstrdup(row->index) : NULL;
	t->category = row->category ? xstrdup(row->category) : NULL;
	t->title = xstrdup(row->title && *row->title ? row->title : row->raw);
	t->source_file = xstrdup(path);
	t->source_line = row->line;
	t->raw = xstrdup(row->raw ? row->raw : "");
	t->origin = xstrdup("import");
}

/* A coordinating agency that also leads the task is only its lead. */
static void drop_coord_leads(struct task *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_agencies; i++) {
		struct task_agency *a = &t->agencies[i];
		bool leads = false;
		for (size_t k = 0; k < t->n_agencies && a->role == TASK_COORD && !leads; k++)
			leads = t->agencies[k].role == TASK_LEAD &&
			        !strcmp(t->agencies[k].agency, a->agency);
		if (leads) {
			free(a->agency), free(a->written), free(a->via_group);
			continue;
		}
		t->agencies[n++] = *a;
	}
	t->n_agencies = n;
}

/*
 * The tasks of one row: one, or — when its timeframe gives several
 * agencies their own dues ("+ Các sở … trước 30/6; + Sở Tài chính …
 * trước 15/7") — one per agency named (key KEY@slug, that agency the
 * lead, the row's agencies coordinating), its own clause as timeframe,
 * plus the row's own task (KEY) for the dues no agency is named for.
 */
static void build_tasks(const struct dir *d, const struct plan_facts *p,
                        const struct import_row *row, size_t at, const char *path,
                        struct task_list *out)
{
	struct tf_ctx ctx = {dir_cfg(d)->tz_offset, p->first_year, p->last_year};
	const char *timeframe = row->timeframe ? row->timeframe : "";
	struct phases_part *parts;
	size_t n = phases_split(d, timeframe, row->lead, &ctx, p->issued_on, &parts);
	int on = p->issued_on;
	int64_t day =
	    on > 9999 ? date_days_from_civil(on / 10000, on / 100 % 100, on % 100) : TASK_ANY_DAY;

	for (size_t i = 0; i < (n ? n : 1); i++) {
		const struct phases_part *part = n ? &parts[i] : NULL;
		struct task *t = task_list_add(out, at);
		task_from_row(p, row, path, t);
		if (part && part->agency) {
			struct buf key = BUF_INIT;
			buf_printf(&key, "%s@%s", row->key, part->slug);
			t->key = buf_steal(&key);
		} else {
			t->key = xstrdup(row->key);
		}
		task_set_timeframe_issued(t, part ? part->timeframe : timeframe, &ctx,
		                          p->issued_on);
		const char *lead = part && part->agency ? part->agency : row->lead;
		if (lead)
			task_assign_on(t, d, TASK_LEAD, lead, day);
		else
			t->flags |= TASK_FLAG_NO_LEAD;
		if (part && part->agency && row->lead)
			task_assign_on(t, d, TASK_COORD, row->lead, day);
		if (row->coord)
			task_assign_on(t, d, TASK_COORD, row->coord, day);
		if (part && part->agency)
			drop_coord_leads(t);
	}
	phases_free(parts, n);
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

/* What a re-import changes, in words, for the report. */
static void describe_change(struct store *st, int64_t id, const struct task *t, struct buf *out)
{
	struct task old;

	if (store_task_get(st, id, &old) != 1)
		return;
	if (old.status == TASK_REMOVED)
		buf_adds(out, "back in the document; ");
	if (strcmp(old.title, t->title))
		buf_adds(out, "title; ");
	if (strcmp(old.timeframe, t->timeframe))
		buf_printf(out, "timeframe '%s' → '%s'; ", old.timeframe, t->timeframe);
	else if (old.kind != t->kind || old.due != t->due)
		buf_printf(out, "timeframe '%s' read anew (%s → %s: the plan's date or period); ",
		           t->timeframe, tf_kind_name(old.kind), tf_kind_name(t->kind));
	if (!same_agencies(&old, t))
		buf_adds(out, "agencies; ");
	if (!util_streq(old.category, t->category) || !util_streq(old.idx, t->idx))
		buf_adds(out, "section or number; ");
	if (out->len >= 2)
		out->data[out->len -= 2] = '\0';
	task_free(&old);
}

/* Why a stored task is flagged, or "" when it is not. */
static void flag_reasons(const struct task *t, const struct tf_ctx *ctx, int issued, int tz,
                         struct buf *out)
{
	if (t->flags & TASK_FLAG_UNPARSED) {
		struct tf tf;
		tf_parse_issued(t->timeframe, ctx, issued, &tf);
		buf_printf(out, "timeframe '%s' not understood (%s); ", t->timeframe, tf.error);
	}
	if (t->flags & TASK_FLAG_LOOSE) {
		char due[40];
		buf_printf(out, "timeframe '%s' read from a sentence, check it: %s%s%s; ",
		           t->timeframe, tf_kind_name(t->kind), t->due == TF_NONE ? "" : ", due ",
		           t->due == TF_NONE ? "" : date_format_iso(t->due, tz, due, sizeof(due)));
	}
	for (size_t i = 0; i < t->n_agencies; i++)
		if (!t->agencies[i].resolved)
			buf_printf(out, "unknown agency '%s'; ", t->agencies[i].written);
	if (t->flags & TASK_FLAG_NO_LEAD)
		buf_adds(out, "no lead agency; ");
	if (out->len >= 2)
		out->data[out->len -= 2] = '\0';
}

/* ---- the plan's stored tasks, by key ------------------------------------------------------------
 */

struct stored {
	char *key, *hash, *title;
	int64_t id;
	enum task_status status;
	bool import, seen;
	int line;
};

struct stored_map {
	struct stored *v;
	size_t n, cap;
	size_t *slot; /* index + 1; 0 = empty */
	size_t n_slots;
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int load_one(const struct store_task_key *k, void *arg)
{
	struct stored_map *m = arg;

	if (m->n == m->cap)
		m->v = xrealloc(m->v, (m->cap = m->cap ? m->cap * 2 : 256) * sizeof(*m->v));
	m->v[m->n++] = (struct stored){xstrdup(k->key),
	                               xstrdup(k->content_hash ? k->content_hash : ""),
	                               xstrdup(k->title ? k->title : ""),
	                               k->id,
	                               k->status,
	                               util_streq(k->origin, "import"),
	                               false,
	                               k->source_line};
	return 0;
}

static int load_stored(struct store *st, const char *plan, struct stored_map *m)
{
	memset(m, 0, sizeof(*m));
	if (store_task_keys(st, plan, load_one, m) < 0)
		return -1;
	m->n_slots = 16;
	while (m->n_slots < m->n * 2)
		m->n_slots *= 2;
	m->slot = xcalloc(m->n_slots, sizeof(*m->slot));
	for (size_t i = 0; i < m->n; i++) {
		size_t s = hash_key(m->v[i].key) & (m->n_slots - 1);
		while (m->slot[s])
			s = (s + 1) & (m->n_slots - 1);
		m->slot[s] = i + 1;
	}
	return 0;
}

static struct stored *find_stored(const struct stored_map *m, const char *key)
{
	for (size_t s = hash_key(key) & (m->n_slots - 1); m->slot[s];
	     s = (s + 1) & (m->n_slots - 1))
		if (!strcmp(m->v[m->slot[s] - 1].key, key))
			return &m->v[m->slot[s] - 1];
	return NULL;
}

static void stored_free(struct stored_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key), free(m->v[i].hash), free(m->v[i].title);
	free(m->v);
	free(m->slot);
}

/* ---- storing ----------------------------------------------------------------------------------
 */

struct ingest_report {
	struct buf flagged, changed, missing; /* text or JSON array members */
	struct sync_report sync;
	int created, updated, unchanged, missing_count, retired;
	bool json;
};

/* A row's line in a list of the report; a flagged task (t) also gives its timeframe. */
static void note_row(struct ingest_report *rep, struct buf *list, const struct import_row *row,
                     const char *key, const char *what, const struct task *t)
{
	char at[96];

	if (!*what)
		return;
	doc_pos_format(&row->pos, at, sizeof(at));
	if (rep->json) {
		bool first = true;
		buf_adds(list, list->len ? ",{" : "{");
		json_key(list, "line", &first);
		buf_printf(list, "%d", row->line);
		json_key(list, "position", &first);
		json_string(list, at);
		json_key(list, "key", &first);
		json_string(list, key);
		json_key(list, "why", &first);
		json_string(list, what);
		if (t) {
			json_key(list, "timeframe", &first);
			json_string(list, t->timeframe);
			json_key(list, "loose", &first);
			buf_adds(list, t->flags & TASK_FLAG_LOOSE ? "true" : "false");
		}
		buf_addc(list, '}');
	} else if (row->line) {
		buf_printf(list, "    line %d, task %s: %s\n", row->line, key, what);
	} else {
		buf_printf(list, "    %s, task %s: %s\n", at, key, what);
	}
}

static void note_missing(struct ingest_report *rep, const struct stored *s, bool retired)
{
	if (rep->json) {
		bool first = true;
		buf_adds(&rep->missing, rep->missing.len ? ",{" : "{");
		json_key(&rep->missing, "key", &first);
		json_string(&rep->missing, s->key);
		json_key(&rep->missing, "title", &first);
		json_string(&rep->missing, s->title);
		json_key(&rep->missing, "status", &first);
		json_string(&rep->missing, task_status_name(s->status));
		json_key(&rep->missing, "retired", &first);
		buf_adds(&rep->missing, retired ? "true}" : "false}");
	} else {
		buf_printf(&rep->missing, "    %s (%s): %s\n", s->key, task_status_name(s->status),
		           s->title);
	}
}

struct job {
	struct store *st;
	const struct dir *d;
	const struct ingest_options *o;
	const struct plan_facts *plan;
	const struct import_result *doc;
	const char *path;
	time_t now;
	struct task_list tasks; /* one per row, or one per agency a row gives its own due */
	struct stored **old;    /* the stored task of each task, or NULL */
	bool *write;            /* new or changed */
	struct stored_map stored;
	struct ingest_report rep;
};

/* Everything decided before a write: the tasks, and which of them change. */
static int prepare(struct job *j)
{
	const struct import_result *doc = j->doc;
	struct tf_ctx ctx = {dir_cfg(j->d)->tz_offset, j->plan->first_year, j->plan->last_year};

	if (load_stored(j->st, j->plan->id, &j->stored) < 0)
		return -1;
	for (size_t i = 0; i < doc->n_rows; i++)
		build_tasks(j->d, j->plan, &doc->rows[i], i, j->path, &j->tasks);
	j->old = xcalloc(j->tasks.n + 1, sizeof(*j->old));
	j->write = xcalloc(j->tasks.n + 1, sizeof(*j->write));
	for (size_t i = 0; i < j->tasks.n; i++) {
		struct task *t = &j->tasks.v[i];
		const struct import_row *row = &doc->rows[j->tasks.row[i]];
		struct buf why = BUF_INIT;
		char hash[17];
		task_content_hash(t, hash);
		struct stored *s = find_stored(&j->stored, t->key);
		j->old[i] = s;
		if (s) {
			s->seen = true;
			j->write[i] = strcmp(s->hash, hash) || s->status == TASK_REMOVED;
			if (j->write[i]) {
				describe_change(j->st, s->id, t, &why);
				note_row(&j->rep, &j->rep.changed, row, t->key, buf_str(&why),
				         NULL);
			}
		} else {
			j->write[i] = true;
		}
		j->rep.created += !s;
		j->rep.updated += s && j->write[i];
		j->rep.unchanged += !j->write[i];
		buf_reset(&why);
		flag_reasons(t, &ctx, j->plan->issued_on, ctx.tz_offset, &why);
		note_row(&j->rep, &j->rep.flagged, row, t->key, buf_str(&why), t);
		j->rep.sync.flagged += (t->flags & TASK_FLAGS_CHECK) != 0;
		buf_free(&why);
	}
	return 0;
}

/* The stored tasks the document no longer holds, still to be done. */
static bool missing(const struct stored *s)
{
	return !s->seen && s->import && !task_status_final(s->status);
}

/* Writes the new and changed tasks, INGEST_CHUNK per transaction, then retires. */
static int write_all(struct job *j)
{
	struct store_plan sp = {j->plan->id,         j->plan->title,    j->plan->issued,
	                        j->plan->monitor,    (char *)j->path,   "import",
	                        j->plan->first_year, j->plan->last_year};
	int tz = dir_cfg(j->d)->tz_offset;
	size_t i = 0, n = j->tasks.n;
	bool plan_done = false;

	do {
		if (store_begin(j->st) < 0)
			return -1;
		if (!plan_done && store_plan_upsert(j->st, &sp, j->now) < 0)
			goto fail;
		plan_done = true;
		for (size_t in_chunk = 0; i < n && in_chunk < INGEST_CHUNK; i++) {
			enum store_change change;
			struct sync_report r = {0};
			if (!j->write[i])
				continue;
			if (sync_task(j->st, &j->tasks.v[i], tz, j->now, &change, &r) < 0)
				goto fail;
			j->rep.sync.occurrences += r.occurrences;
			in_chunk++;
		}
		if (store_commit(j->st) < 0)
			return -1;
	} while (i < n);
	if (!j->o->retire_missing)
		return 0;
	char note[600];
	snprintf(note, sizeof(note), "no longer in %s", j->path);
	size_t k = 0;
	do {
		if (store_begin(j->st) < 0)
			return -1;
		for (size_t in_chunk = 0; k < j->stored.n && in_chunk < INGEST_CHUNK; k++) {
			if (!missing(&j->stored.v[k]))
				continue;
			if (store_task_set_status(j->st, j->stored.v[k].id, TASK_REMOVED, note,
			                          j->now) < 0)
				goto fail;
			in_chunk++;
		}
		if (store_commit(j->st) < 0)
			return -1;
	} while (k < j->stored.n);
	return 0;
fail:
	store_rollback(j->st);
	return -1;
}

/* ---- the report ---------------------------------------------------------------------------------
 */

static void problems_text(const struct reading *rd, FILE *out)
{
	char at[96];
	size_t n = rd->doc.n_problems + rd->result.n_problems;

	if (!n)
		return;
	fprintf(out, "  notes on reading the document:\n");
	for (size_t i = 0; i < rd->doc.n_problems; i++)
		fprintf(out, "    %s: %s\n",
		        doc_pos_format(&rd->doc.problems[i].pos, at, sizeof(at)),
		        rd->doc.problems[i].what);
	for (size_t i = 0; i < rd->result.n_problems; i++)
		fprintf(out, "    %s: %s\n",
		        doc_pos_format(&rd->result.problems[i].pos, at, sizeof(at)),
		        rd->result.problems[i].what);
}

/*
 * What the plan's identity lacks, and how to give it: the number names the
 * plan in every mail, the date of issue anchors "năm sau" and the start of
 * its recurring duties, the period is what an empty timeframe means.
 */
static size_t plan_warnings(const struct plan_facts *p, const char *w[3])
{
	size_t n = 0;

	if (p->from_file_name)
		w[n++] = "no plan number found (the plan is named after the file): give it with "
		         "--plan-id (for example --plan-id 123/KH-UBND)";
	if (!p->issued)
		w[n++] =
		    "no date of issue found: give it with --issued YYYY-MM-DD (\"năm sau\" and "
		    "the start of recurring duties depend on it)";
	if (!p->first_year)
		w[n++] = "no period found in the title: give it with --period YYYY-YYYY (an empty "
		         "timeframe means the plan's period)";
	return n;
}

static void print_text(FILE *out, const struct job *j, const struct reading *rd)
{
	const char *warnings[3];
	size_t n_warnings = plan_warnings(j->plan, warnings);

	const struct plan_facts *p = j->plan;
	const struct import_result *doc = j->doc;
	const struct ingest_report *rep = &j->rep;

	fprintf(out, "%s: plan %s", j->path, p->id);
	if (p->issued)
		fprintf(out, " of %s", p->issued);
	if (p->first_year)
		fprintf(out, ", %d-%d", p->first_year, p->last_year);
	fprintf(out, ", monitored by %s\n", p->monitor ? p->monitor : "(the default)");
	fprintf(out, "  title: %s\n", p->title);
	if (doc->issuer)
		fprintf(out, "  issued by: %s\n", doc->issuer);
	for (size_t i = 0; i < n_warnings; i++)
		fprintf(out, "  warning: %s (or in the config's [plan] section)\n", warnings[i]);
	size_t duties = doc->per_layout[IMPORT_DUTY];
	fprintf(out,
	        "  found %zu task%s: %zu in tables, %zu in numbered items, %zu reporting dut%s\n",
	        doc->n_rows, doc->n_rows == 1 ? "" : "s", doc->per_layout[IMPORT_TABLE],
	        doc->per_layout[IMPORT_PROSE], duties, duties == 1 ? "y" : "ies");
	if (j->tasks.n > doc->n_rows)
		fprintf(
		    out,
		    "  %zu tasks stored: rows giving several agencies their own dues became one "
		    "task per agency (KEY@agency)\n",
		    j->tasks.n);
	if (doc->n_indicators)
		fprintf(out,
		        "  also %zu indicator rows (targets to monitor, not tasks: not stored)\n",
		        doc->n_indicators);
	fprintf(out, "  %s %d new, %d updated, %d unchanged, %d occurrences\n",
	        j->o->dry_run ? "would store (dry run, nothing written):" : "stored:", rep->created,
	        rep->updated, rep->unchanged, rep->sync.occurrences);
	if (rep->changed.len)
		fprintf(out, "  changed:\n%s", buf_str(&rep->changed));
	if (rep->missing.len)
		fprintf(
		    out, "  %s (%d):\n%s",
		    j->o->retire_missing
		        ? (j->o->dry_run ? "no longer in the document, would be retired"
		                         : "no longer in the document, retired")
		        : "no longer in the document (still open; --retire-missing retires them)",
		    rep->missing_count, buf_str(&rep->missing));
	if (rep->flagged.len)
		fprintf(out, "  flagged (stored, to be fixed by an admin):\n%s",
		        buf_str(&rep->flagged));
	problems_text(rd, out);
}

static void json_problems(struct buf *b, const struct reading *rd)
{
	char at[96];
	bool more = false;

	buf_adds(b, ",\"problems\":[");
	for (size_t pass = 0; pass < 2; pass++) {
		size_t n = pass ? rd->result.n_problems : rd->doc.n_problems;
		for (size_t i = 0; i < n; i++) {
			const struct doc_pos *pos =
			    pass ? &rd->result.problems[i].pos : &rd->doc.problems[i].pos;
			const char *what =
			    pass ? rd->result.problems[i].what : rd->doc.problems[i].what;
			struct buf line = BUF_INIT;
			buf_printf(&line, "%s: %s", doc_pos_format(pos, at, sizeof(at)), what);
			buf_adds(b, more ? "," : "");
			json_string(b, buf_str(&line));
			buf_free(&line);
			more = true;
		}
	}
	buf_addc(b, ']');
}

static void print_json(FILE *out, const struct job *j, const struct reading *rd)
{
	const struct plan_facts *p = j->plan;
	const struct import_result *doc = j->doc;
	const struct ingest_report *rep = &j->rep;
	struct buf b = BUF_INIT;
	bool first = true;

	buf_addc(&b, '{');
	json_key(&b, "file", &first);
	json_string(&b, j->path);
	json_key(&b, "plan", &first);
	json_string(&b, p->id);
	json_key(&b, "title", &first);
	json_string(&b, p->title);
	json_key(&b, "issued", &first);
	json_string(&b, p->issued);
	json_key(&b, "issuer", &first);
	json_string(&b, doc->issuer);
	json_key(&b, "monitor", &first);
	json_string(&b, p->monitor);
	json_key(&b, "found", &first);
	buf_printf(&b, "{\"table\":%zu,\"prose\":%zu,\"duty\":%zu}", doc->per_layout[IMPORT_TABLE],
	           doc->per_layout[IMPORT_PROSE], doc->per_layout[IMPORT_DUTY]);
	json_key(&b, "tasks", &first);
	buf_printf(&b, "%zu", j->tasks.n);
	json_key(&b, "indicators", &first);
	buf_printf(&b, "%zu", doc->n_indicators);
	const char *warnings[3];
	size_t n_warnings = plan_warnings(p, warnings);
	json_key(&b, "warnings", &first);
	buf_addc(&b, '[');
	for (size_t i = 0; i < n_warnings; i++) {
		buf_adds(&b, i ? "," : "");
		json_string(&b, warnings[i]);
	}
	buf_addc(&b, ']');
	json_key(&b, "dry_run", &first);
	buf_adds(&b, j->o->dry_run ? "true" : "false");
	buf_printf(&b, ",\"created\":%d,\"updated\":%d,\"unchanged\":%d,\"occurrences\":%d",
	           rep->created, rep->updated, rep->unchanged, rep->sync.occurrences);
	buf_printf(&b, ",\"retired\":%d", rep->retired);
	buf_printf(&b, ",\"changed\":[%s],\"missing\":[%s],\"flagged\":[%s]",
	           buf_str(&rep->changed), buf_str(&rep->missing), buf_str(&rep->flagged));
	json_problems(&b, rd);
	buf_adds(&b, "}\n");
	fputs(buf_str(&b), out);
	buf_free(&b);
}

/* ---- the entry points ----------------------------------------------------------------------- */

static void job_free(struct job *j)
{
	task_list_free(&j->tasks);
	free(j->old);
	free(j->write);
	stored_free(&j->stored);
	buf_free(&j->rep.changed);
	buf_free(&j->rep.flagged);
	buf_free(&j->rep.missing);
}

/* Checks the plan may be written, compares, writes (unless a dry run). 0, or -1 reported. */
static int run_job(struct job *j, FILE *out, FILE *err)
{
	const struct ingest_options *o = j->o;
	char *holder;
	int claimed = claimed_by_another_file(j->st, j->plan, j->path, &holder);

	if (claimed > 0) {
		report_failure(
		    o, out, err, j->path, NULL,
		    "plan '%s' (named after the file, the document states no number) "
		    "already holds the tasks of %s; import this file with --plan-id NEW-ID "
		    "as another plan, or with --plan-id %s to revise that plan",
		    j->plan->id, holder, j->plan->id);
		free(holder);
		return -1;
	}
	if (claimed < 0 || prepare(j) < 0) {
		report_failure(o, out, err, j->path, NULL, "database: %s", store_error(j->st));
		return -1;
	}
	for (size_t i = 0; i < j->stored.n; i++)
		if (missing(&j->stored.v[i])) {
			j->rep.missing_count++;
			note_missing(&j->rep, &j->stored.v[i], o->retire_missing && !o->dry_run);
		}
	if (!o->dry_run && write_all(j) < 0) {
		report_failure(o, out, err, j->path, NULL, "database: %s", store_error(j->st));
		return -1;
	}
	j->rep.retired = o->retire_missing && !o->dry_run ? j->rep.missing_count : 0;
	return 0;
}

int ingest_file(struct store *st, const struct dir *d, const struct ingest_options *o,
                const char *path, time_t now, FILE *out, FILE *err, struct ingest_totals *totals)
{
	struct reading rd;
	struct plan_facts plan;
	struct job j;
	int rc;

	if (read_plan(o, path, &rd, out, err) < 0) {
		reading_free(&rd);
		totals->failed++;
		return -1;
	}
	if (rd.result.n_rows == 0) {
		/* What the meaning stage noticed says why, better than the list of what it looked
		 * for. */
		const struct import_problem *why =
		    rd.result.n_problems ? &rd.result.problems[0] : NULL;
		report_failure(
		    o, out, err, path, why ? &why->pos : NULL,
		    "no tasks found: %s (import --explain shows how the document was read)",
		    why ? why->what
		        : "no table with task/lead headers, no items with 'Đơn vị chủ trì', "
		          "no numbered assignment with a deadline, no reporting duty");
		reading_free(&rd);
		totals->failed++;
		return -1;
	}
	decide_plan(d, o, &rd.result, path, &plan);
	memset(&j, 0, sizeof(j));
	j.st = st, j.d = d, j.o = o, j.plan = &plan, j.doc = &rd.result, j.path = path;
	j.now = now;
	j.rep.json = o->json;
	rc = run_job(&j, out, err);
	if (rc == 0) {
		(o->json ? print_json : print_text)(out, &j, &rd);
		totals->files++;
		totals->tasks += (int)j.tasks.n;
		totals->created += j.rep.created;
		totals->updated += j.rep.updated;
		totals->unchanged += j.rep.unchanged;
		totals->flagged += j.rep.sync.flagged;
		totals->missing += j.rep.missing_count;
		totals->retired += j.rep.retired;
	} else {
		totals->failed++;
	}
	job_free(&j);
	plan_facts_free(&plan);
	reading_free(&rd);
	return rc;
}

int ingest_explain(const char *path, FILE *out, FILE *err)
{
	struct reading rd;
	struct buf b = BUF_INIT;

	if (read_plan(NULL, path, &rd, out, err) < 0) {
		reading_free(&rd);
		return -1;
	}
	explain_write(path, &rd.doc, &rd.result, &b);
	fputs(buf_str(&b), out);
	buf_free(&b);
	reading_free(&rd);
	return 0;
}
