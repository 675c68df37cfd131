/* report — see report.h. */
#include "report.h"

#include "date.h"
#include "json.h"
#include "preview.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* By bit: TASK_FLAG_UNPARSED is bit 0 … TASK_FLAG_LOOSE bit 5. */
static const char *const flag_names[] = {"unparsed",  "unresolved", "no-lead",
                                         "condition", "implicit",   "loose"};

struct tasks_ctx {
	const struct dir *d;
	bool flagged_only, json;
	FILE *out;
	int count;
};

static void json_parties(struct buf *b, const struct task *t, enum task_role role)
{
	bool more = false;

	buf_addc(b, '[');
	for (size_t i = 0; i < t->n_agencies; i++) {
		if (t->agencies[i].role != role)
			continue;
		if (more)
			buf_addc(b, ',');
		json_string(b, t->agencies[i].agency);
		more = true;
	}
	buf_addc(b, ']');
}

void report_task_fields(const struct dir *d, const struct task *t, struct buf *b, bool *first)
{
	int tz = dir_cfg(d)->tz_offset;

	json_key(b, "id", first);
	buf_printf(b, "%lld", (long long)t->id);
	const char *strings[][2] = {{"plan", t->plan_id},
	                            {"key", t->key},
	                            {"index", t->idx},
	                            {"category", t->category},
	                            {"title", t->title},
	                            {"timeframe", t->timeframe},
	                            {"kind", tf_kind_name(t->kind)},
	                            {"condition", t->condition},
	                            {"status", task_status_name(t->status)}};
	for (size_t i = 0; i < UTIL_NELEM(strings); i++) {
		json_key(b, strings[i][0], first);
		json_string(b, strings[i][1]);
	}
	json_key(b, "lead", first);
	json_parties(b, t, TASK_LEAD);
	json_key(b, "coordinating", first);
	json_parties(b, t, TASK_COORD);
	json_key(b, "due", first);
	json_time(b, t->due, tz);
	json_key(b, "extended_due", first);
	json_time(b, t->extended_due, tz);
	json_key(b, "flags", first);
	buf_addc(b, '[');
	for (unsigned f = 0, more = 0; f < UTIL_NELEM(flag_names); f++)
		if (t->flags & (1u << f)) {
			buf_adds(b, more++ ? "," : "");
			json_string(b, flag_names[f]);
		}
	buf_addc(b, ']');
	json_key(b, "source", first);
	buf_adds(b, "{\"file\":");
	json_string(b, t->source_file);
	buf_printf(b, ",\"line\":%d}", t->source_line);
}

static void task_json(const struct tasks_ctx *c, const struct task *t, struct buf *b)
{
	bool first = true;

	buf_addc(b, '{');
	report_task_fields(c->d, t, b, &first);
	buf_adds(b, "}\n");
}

static void task_text(const struct tasks_ctx *c, const struct task *t, struct buf *b)
{
	char due[40];
	/* Names the directory does not know are marked "?": the flag says which. */
	struct buf names[2] = {BUF_INIT, BUF_INIT};

	for (size_t i = 0; i < t->n_agencies; i++) {
		struct buf *n = &names[t->agencies[i].role == TASK_LEAD ? 0 : 1];
		buf_printf(n, "%s%s%s", n->len ? ", " : "", t->agencies[i].resolved ? "" : "?",
		           t->agencies[i].agency);
	}
	buf_printf(b, "%-5lld %s:%s  %s\n", (long long)t->id, t->plan_id, t->key, t->title);
	buf_printf(b, "      %s | %s | due %s | %s | lead: %s", t->timeframe, tf_kind_name(t->kind),
	           t->due == TF_NONE
	               ? "-"
	               : date_format_iso(t->due, dir_cfg(c->d)->tz_offset, due, sizeof(due)),
	           task_status_name(t->status), names[0].len ? buf_str(&names[0]) : "-");
	if (names[1].len)
		buf_printf(b, " | with: %s", buf_str(&names[1]));
	for (unsigned f = 0; f < UTIL_NELEM(flag_names); f++)
		if (t->flags & (1u << f) & TASK_FLAGS_CHECK)
			buf_printf(b, " [%s]", flag_names[f]);
	buf_addc(b, '\n');
	buf_free(&names[0]);
	buf_free(&names[1]);
}

static int one_task(const struct task *t, void *arg)
{
	struct tasks_ctx *c = arg;
	struct buf b = BUF_INIT;

	if (c->flagged_only && !(t->flags & TASK_FLAGS_CHECK))
		return 0;
	(c->json ? task_json : task_text)(c, t, &b);
	fputs(buf_str(&b), c->out);
	buf_free(&b);
	c->count++;
	return 0;
}

int report_tasks(struct store *st, const struct dir *d, const char *plan, bool flagged_only,
                 bool json, FILE *out)
{
	struct tasks_ctx c = {d, flagged_only, json, out, 0};

	if (store_tasks(st, plan, one_task, &c) < 0)
		return -1;
	if (!json)
		fprintf(out, "%d task%s\n", c.count, c.count == 1 ? "" : "s");
	return 0;
}

/* ---- agencies ------------------------------------------------------------------------ */

static void agency_line(const struct dir *d, const struct cfg_agency *a, bool json, FILE *out)
{
	struct buf b = BUF_INIT;
	bool first = true;

	if (!json) {
		fprintf(out, "%-24s %s", a->id, a->name ? a->name : "");
		for (size_t i = 0; i < a->emails.n; i++)
			fprintf(out, "%s%s", i ? ", " : " <", a->emails.v[i]);
		fprintf(out, "%s", a->emails.n ? ">" : " (no address)");
		if (a->successor) {
			char day[16];
			int y, m, dd;
			date_civil_from_days(a->since, &y, &m, &dd);
			snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, dd);
			fprintf(out, " → %s since %s", a->successor, day);
		}
		fputc('\n', out);
		return;
	}
	buf_addc(&b, '{');
	json_key(&b, "id", &first);
	json_string(&b, a->id);
	json_key(&b, "kind", &first);
	json_string(&b, "agency");
	json_key(&b, "name", &first);
	json_string(&b, a->name);
	json_key(&b, "emails", &first);
	buf_addc(&b, '[');
	for (size_t i = 0; i < a->emails.n; i++) {
		buf_adds(&b, i ? "," : "");
		json_string(&b, a->emails.v[i]);
	}
	buf_addc(&b, ']');
	json_key(&b, "aliases", &first);
	buf_printf(&b, "%zu", a->aliases.n);
	json_key(&b, "successor", &first);
	json_string(&b, a->successor);
	json_key(&b, "supervisor", &first);
	const char *up[8];
	json_string(&b, dir_supervisors(d, a->id, up, 8) ? up[0] : NULL);
	buf_adds(&b, "}\n");
	fputs(buf_str(&b), out);
	buf_free(&b);
}

static void group_line(const struct cfg_group *g, bool json, FILE *out)
{
	struct buf b = BUF_INIT;
	bool first = true;

	if (!json) {
		fprintf(out, "%-24s %s: %zu members\n", g->id, g->name ? g->name : "",
		        g->members.n);
		return;
	}
	buf_addc(&b, '{');
	json_key(&b, "id", &first);
	json_string(&b, g->id);
	json_key(&b, "kind", &first);
	json_string(&b, "group");
	json_key(&b, "name", &first);
	json_string(&b, g->name);
	json_key(&b, "members", &first);
	buf_addc(&b, '[');
	for (size_t i = 0; i < g->members.n; i++) {
		buf_adds(&b, i ? "," : "");
		json_string(&b, g->members.v[i]);
	}
	buf_adds(&b, "]}\n");
	fputs(buf_str(&b), out);
	buf_free(&b);
}

/* ---- unresolved names ------------------------------------------------------------------- */

struct unresolved_name {
	char *name;
	struct buf tasks; /* "PLAN:KEY (FILE:LINE)" lines, text form */
	size_t n_tasks;
	char *first_task;
};

struct unresolved_ctx {
	bool json;
	FILE *out;
	int rows;
	struct unresolved_name *names; /* in name order, as the store gives them */
	size_t n, cap;
};

static int one_unresolved(const char *name, const char *plan, const char *key, const char *file,
                          int line, void *arg)
{
	struct unresolved_ctx *c = arg;
	struct buf b = BUF_INIT;
	bool first = true;

	c->rows++;
	if (c->json) {
		buf_addc(&b, '{');
		json_key(&b, "name", &first);
		json_string(&b, name);
		json_key(&b, "plan", &first);
		json_string(&b, plan);
		json_key(&b, "task", &first);
		json_string(&b, key);
		json_key(&b, "file", &first);
		json_string(&b, file);
		json_key(&b, "line", &first);
		buf_printf(&b, "%d}\n", line);
		fputs(buf_str(&b), c->out);
		buf_free(&b);
		return 0;
	}
	if (!c->n || strcmp(c->names[c->n - 1].name, name)) {
		if (c->n == c->cap)
			c->names = xrealloc(c->names, (c->cap = c->cap ? c->cap * 2 : 32) *
			                                  sizeof(*c->names));
		struct buf ref = BUF_INIT;
		buf_printf(&ref, "%s:%s", plan, key);
		c->names[c->n++] =
		    (struct unresolved_name){xstrdup(name), BUF_INIT, 0, buf_steal(&ref)};
	}
	struct unresolved_name *u = &c->names[c->n - 1];
	buf_printf(&u->tasks, "    in %s:%s (%s:%d)\n", plan, key, file ? file : "?", line);
	u->n_tasks++;
	return 0;
}

/* An id for the directory: ASCII letters and digits, words joined by '-'. */
static void slug(const char *name, const struct cfg *c, struct buf *taken, struct buf *out)
{
	char f[512];
	size_t n = text_fold(name, strlen(name), f, NULL, sizeof(f));

	buf_reset(out);
	/* Whole words, up to 40 bytes. */
	for (size_t i = 0; i < n;) {
		while (i < n && !((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9')))
			i++;
		size_t w = 0;
		while (i + w < n && ((f[i + w] >= 'a' && f[i + w] <= 'z') ||
		                     (f[i + w] >= '0' && f[i + w] <= '9')))
			w++;
		if (!w || out->len + w + 1 > 40)
			break;
		if (out->len)
			buf_addc(out, '-');
		buf_add(out, f + i, w);
		i += w;
	}
	if (!out->len)
		buf_adds(out, "co-quan");
	size_t base = out->len;
	/* Unique among the directory's ids and the stanzas already printed. */
	for (int k = 2;; k++) {
		struct buf probe = BUF_INIT;
		buf_printf(&probe, "\n%s\n", buf_str(out));
		bool used = cfg_agency(c, buf_str(out)) || cfg_group(c, buf_str(out)) ||
		            strstr(buf_str(taken), buf_str(&probe));
		buf_free(&probe);
		if (!used)
			break;
		out->data[out->len = base] = '\0';
		buf_printf(out, "-%d", k);
	}
	buf_printf(taken, "\n%s\n", buf_str(out));
}

/* "Các bộ, ngành", "những cơ quan …": a name that stands for several agencies. */
static bool collective(const char *name)
{
	char f[512];

	text_fold(name, strlen(name), f, NULL, sizeof(f));
	return !strncmp(f, "cac ", 4) || !strncmp(f, "nhung ", 6) || strstr(f, "lien quan") ||
	       !strncmp(f, "co quan, ", 9) || !strncmp(f, "don vi, ", 8);
}

#define INI_LINE_MAX 200 /* cfg refuses longer lines (Debian's inih cuts them) */

static void print_stanzas(const struct unresolved_ctx *u, const struct cfg *c, FILE *out)
{
	struct buf taken = BUF_INIT, id = BUF_INIT;

	fprintf(out,
	        "; Names in imported tasks that the directory does not know, as stanzas\n"
	        "; for directory.ini. For each: add the email lines and keep it, or, when\n"
	        "; it is another way of writing an agency already there, add it to that\n"
	        "; agency as 'alias = NAME' and delete the stanza. A group needs members\n"
	        "; (agency ids) or an email. Ids may be changed, before any task uses them.\n");
	for (size_t i = 0; i < u->n; i++) {
		const struct unresolved_name *n = &u->names[i];
		bool group = collective(n->name);
		slug(n->name, c, &taken, &id);
		fprintf(out, "\n; used by %zu task%s, first %s\n", n->n_tasks,
		        n->n_tasks == 1 ? "" : "s", n->first_task);
		if (strlen("name = ") + strlen(n->name) >= INI_LINE_MAX || strchr(n->name, '\n')) {
			fprintf(
			    out,
			    "; %zu bytes, too long for one line of directory.ini: give the\n"
			    "; agency a shorter name and this one as an alias in a shorter form\n",
			    strlen(n->name));
			fprintf(out, ";[%s %s]\n", group ? "group" : "agency", buf_str(&id));
			continue;
		}
		fprintf(out, "[%s %s]\nname = %s\n", group ? "group" : "agency", buf_str(&id),
		        n->name);
		if (group)
			fprintf(out, "; member = AGENCY-ID\n; email = ADDRESS\n");
		else
			fprintf(out, "; email = ADDRESS\n");
	}
	buf_free(&taken);
	buf_free(&id);
}

int report_agencies(struct store *st, const struct dir *d, enum report_agencies_what what,
                    bool json, FILE *out)
{
	const struct cfg *c = dir_cfg(d);

	if (what != REPORT_DIRECTORY) {
		struct unresolved_ctx u = {json && what == REPORT_UNRESOLVED, out, 0, NULL, 0, 0};
		int rc = store_unresolved(st, one_unresolved, &u);
		if (rc == 0 && what == REPORT_STANZAS) {
			print_stanzas(&u, c, out);
		} else if (rc == 0 && !u.json) {
			for (size_t i = 0; i < u.n; i++)
				fprintf(out, "%s\n%s", u.names[i].name, buf_str(&u.names[i].tasks));
			fprintf(out, "%zu unresolved name%s\n", u.n, u.n == 1 ? "" : "s");
		}
		for (size_t i = 0; i < u.n; i++) {
			free(u.names[i].name);
			free(u.names[i].first_task);
			buf_free(&u.names[i].tasks);
		}
		free(u.names);
		return rc < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < c->n_agencies; i++)
		agency_line(d, &c->agencies[i], json, out);
	for (size_t i = 0; i < c->n_groups; i++)
		group_line(&c->groups[i], json, out);
	if (!json)
		fprintf(out, "%zu agencies, %zu groups\n", c->n_agencies, c->n_groups);
	return 0;
}

/* ---- preview --------------------------------------------------------------------------- */

/*
 * Emails are written as the preview finds them, each through one buffer
 * reused: a province's year is hundreds of megabytes of JSON, never held.
 */
struct fragment {
	char *s;
	size_t len;
};

#define DUE_SLOTS 4096 /* a year's distinct deadlines are a few thousand */

struct preview_out {
	FILE *out;
	struct buf b;
	int tz;
	bool json;
	/* Each task's, name's and deadline's JSON, made once: millions of items repeat them. */
	struct fragment *task_json;
	size_t n_task_json;
	struct fragment *name_json;
	size_t n_name_json;
	struct due_json {
		time_t due;
		uint8_t len; /* 0: empty */
		char s[47];
	} * due_json; /* DUE_SLOTS, direct-mapped by the deadline */
};

static struct fragment fragment_of(struct buf *b)
{
	size_t len = b->len;

	return (struct fragment){buf_steal(b), len};
}

static const struct fragment *task_fragment(struct preview_out *o, const struct preview *p,
                                            uint32_t ti)
{
	if (!o->task_json) {
		o->n_task_json = p->n_tasks;
		o->task_json = xcalloc(p->n_tasks + 1, sizeof(*o->task_json));
	}
	if (!o->task_json[ti].s) {
		const struct task *t = &p->tasks[ti];
		struct buf b = BUF_INIT, ref = BUF_INIT;
		buf_printf(&b, "{\"id\":%lld,\"task\":", (long long)t->id);
		json_string(&b, t->title);
		buf_printf(&ref, "%s:%s", t->plan_id, t->key);
		buf_adds(&b, ",\"ref\":");
		json_string(&b, buf_str(&ref));
		buf_free(&ref);
		buf_adds(&b, ",\"due\":");
		o->task_json[ti] = fragment_of(&b);
	}
	return &o->task_json[ti];
}

static const struct fragment *name_fragment(struct preview_out *o, const struct preview *p,
                                            uint16_t ni)
{
	if (ni >= o->n_name_json) {
		size_t n = p->n_names + 1;
		o->name_json = xrealloc(o->name_json, n * sizeof(*o->name_json));
		memset(o->name_json + o->n_name_json, 0,
		       (n - o->n_name_json) * sizeof(*o->name_json));
		o->n_name_json = n;
	}
	if (!o->name_json[ni].s) {
		struct buf b = BUF_INIT;
		json_string(&b, p->names[ni]);
		o->name_json[ni] = fragment_of(&b);
	}
	return &o->name_json[ni];
}

static void add_due(struct preview_out *o, time_t t, struct buf *b)
{
	if (!o->due_json)
		o->due_json = xcalloc(DUE_SLOTS, sizeof(*o->due_json));
	struct due_json *d = &o->due_json[(uint64_t)t % DUE_SLOTS];
	if (!d->len || d->due != t) { /* empty (a JSON string is never), or another deadline's */
		char iso[40];
		struct buf j = BUF_INIT;
		json_string(&j, date_format_iso(t, o->tz, iso, sizeof(iso)));
		d->due = t;
		d->len = (uint8_t)util_strlcpy(d->s, buf_str(&j), sizeof(d->s));
		buf_free(&j);
	}
	buf_add(b, d->s, d->len);
}

static void add_fragment(struct buf *b, const struct fragment *f)
{
	buf_add(b, f->s, f->len);
}

static void preview_json(struct preview_out *o, const struct preview *p,
                         const struct preview_mail *m)
{
	struct buf *b = &o->b;
	bool first = true;

	buf_addc(b, '{');
	json_key(b, "send_at", &first);
	json_time(b, m->at, o->tz);
	json_key(b, "kind", &first);
	json_string(b, sched_kind_name(m->kind));
	json_key(b, "recipient", &first);
	json_string(b, m->holder);
	const struct cfg_list *lists[] = {&m->to, &m->cc};
	const char *names[] = {"to", "cc"};
	for (int l = 0; l < 2; l++) {
		json_key(b, names[l], &first);
		buf_addc(b, '[');
		for (size_t i = 0; i < lists[l]->n; i++) {
			buf_adds(b, i ? "," : "");
			json_string(b, lists[l]->v[i]);
		}
		buf_addc(b, ']');
	}
	json_key(b, "subject", &first);
	json_string(b, m->subject);
	json_key(b, "items", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < m->n_items; i++) {
		const struct preview_item *it = &m->items[i];
		if (i)
			buf_addc(b, ',');
		add_fragment(b, task_fragment(o, p, it->task));
		add_due(o, it->due, b);
		buf_adds(b, ",\"step\":");
		add_fragment(b, name_fragment(o, p, it->step));
		buf_adds(b, ",\"role\":\"");
		buf_adds(b, sched_role_name((enum sched_role)it->role));
		buf_adds(b, "\",\"agency\":");
		add_fragment(b, name_fragment(o, p, it->agency));
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
}

static void preview_text(struct preview_out *o, const struct preview *p,
                         const struct preview_mail *m)
{
	struct buf *b = &o->b;
	char at[40], due[16];

	buf_printf(b, "%s  %-10s to %s", date_format_iso(m->at, o->tz, at, sizeof(at)),
	           sched_kind_name(m->kind), m->holder);
	for (size_t i = 0; i < m->to.n; i++)
		buf_printf(b, "%s%s", i ? ", " : " <", m->to.v[i]);
	buf_adds(b, m->to.n ? ">" : " (no address)");
	if (m->cc.n)
		buf_printf(b, " cc %zu", m->cc.n);
	buf_printf(b, "\n    %s\n", m->subject);
	/* A successor holds its own assignment and its predecessor's of one task:
	 * two notes, one item of the mail — one line here too. */
	const struct preview_item *shown[5];
	size_t n_shown = 0, i = 0;
	for (; i < m->n_items && n_shown < 5; i++) {
		const struct preview_item *it = &m->items[i];
		bool again = false;
		for (size_t k = 0; k < n_shown && !again; k++)
			again = shown[k]->task == it->task && shown[k]->due == it->due &&
			        shown[k]->step == it->step && shown[k]->role == it->role;
		if (again)
			continue;
		shown[n_shown++] = it;
		buf_printf(b, "    - %s:%s [%s, %s] due %s\n", p->tasks[it->task].plan_id,
		           p->tasks[it->task].key, p->names[it->step],
		           sched_role_name((enum sched_role)it->role),
		           date_format_vn(it->due, o->tz, due, sizeof(due)));
	}
	if (i < m->n_items)
		buf_printf(b, "    … and %zu more notes\n", m->n_items - i);
}

static int write_mail(const struct preview *p, const struct preview_mail *m, void *arg)
{
	struct preview_out *o = arg;

	(o->json ? preview_json : preview_text)(o, p, m);
	/* Written in large pieces: one write per mail would be a syscall per line. */
	if (o->b.len >= 1 << 16) {
		if (fwrite(o->b.data, 1, o->b.len, o->out) != o->b.len)
			return 1;
		buf_reset(&o->b);
	}
	return 0;
}

int report_preview(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                   time_t from, time_t to, bool json, FILE *out)
{
	struct preview p;
	struct preview_out o = {.out = out, .tz = dir_cfg(d)->tz_offset, .json = json};

	int rc = preview_run(st, d, tpl, from, to, write_mail, &o, &p);
	if (rc == 0 && o.b.len && fwrite(o.b.data, 1, o.b.len, out) != o.b.len)
		rc = 1;
	buf_free(&o.b);
	for (size_t i = 0; i < o.n_task_json; i++)
		free(o.task_json[i].s);
	for (size_t i = 0; i < o.n_name_json; i++)
		free(o.name_json[i].s);
	free(o.task_json);
	free(o.name_json);
	free(o.due_json);
	if (rc < 0)
		return -1;
	if (rc == 0 && !json)
		fprintf(out, "%zu email%s carrying %zu notification%s\n", p.n_mails,
		        p.n_mails == 1 ? "" : "s", p.n_items, p.n_items == 1 ? "" : "s");
	if (rc == 0)
		preview_free(&p);
	return rc == 0 ? 0 : -1;
}

/* ---- preview --render ------------------------------------------------------------------ */

struct plan_cache {
	struct store_plan *v;
	size_t n;
};

static const struct store_plan *cached_plan(struct store *st, struct plan_cache *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].id, id))
			return &c->v[i];
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	struct store_plan *p = &c->v[c->n++];
	if (store_plan_get(st, id, p) != 1) {
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(id);
	}
	return p;
}

/* The digest of one previewed email, rendered in full as the daemon would at its time. */
static void render_mail(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                        const struct preview *p, const struct preview_mail *m,
                        struct plan_cache *plans, struct digest_msg *out)
{
	struct digest_item *items = xcalloc(m->n_items, sizeof(*items));
	const char *domain = strrchr(dir_cfg(d)->from_addr, '@');

	for (size_t i = 0; i < m->n_items; i++) {
		const struct preview_item *it = &m->items[i];
		const struct task *t = &p->tasks[it->task];
		const struct store_plan *plan = cached_plan(st, plans, t->plan_id);
		items[i] = (struct digest_item){.task = t,
		                                .plan_title = plan->title,
		                                .plan_issued = plan->issued,
		                                .monitor = plan->monitor,
		                                .occurrence_id = it->occurrence,
		                                .due = it->due,
		                                .original_due = preview_original_due(p, it),
		                                .role = (enum sched_role)it->role,
		                                .kind = (enum sched_kind)it->kind,
		                                .step = p->names[it->step],
		                                .assigned = p->names[it->agency],
		                                .prev_msgid = ""};
	}
	digest_build(tpl, d, m->holder, items, m->n_items, m->at, domain ? domain + 1 : "localhost",
	             out);
	free(items);
}

static int write_html(const char *dir, size_t n, const struct preview_mail *m, int tz,
                      const char *html, FILE *out)
{
	struct date_civil c;
	char path[4096];
	FILE *f;

	date_split(m->at, tz, &c);
	snprintf(path, sizeof(path), "%s/%03zu-%04d%02d%02d-%s.html", dir, n, c.year, c.month,
	         c.day, m->holder);
	int bad = !(f = fopen(path, "w"));
	if (!bad) {
		bad = fputs(html ? html : "", f) == EOF;
		bad |= fclose(f) != 0;
	}
	if (bad) {
		fprintf(stderr, "deadlinectl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(out, "%s  %s: %s\n", path, m->holder, m->subject);
	return 0;
}

struct render {
	struct store *st;
	const struct dir *d;
	const struct digest_templates *tpl;
	time_t show_from;
	const char *agency, *html_dir;
	FILE *out;
	struct plan_cache plans;
	size_t shown;
};

/* One email of the preview, as it streams by. */
static int render_one(const struct preview *p, const struct preview_mail *m, void *arg)
{
	struct render *r = arg;
	int tz = dir_cfg(r->d)->tz_offset, rc = 0;
	struct digest_msg msg;
	char at[40];

	if (m->at < r->show_from || (r->agency && strcmp(r->agency, m->holder)))
		return 0;
	render_mail(r->st, r->d, r->tpl, p, m, &r->plans, &msg);
	r->shown++;
	if (r->html_dir) {
		rc = write_html(r->html_dir, r->shown, m, tz, msg.html, r->out);
	} else {
		fprintf(r->out, "==== %zu  %s  %s to %s (%s)\n", r->shown,
		        date_format_iso(m->at, tz, at, sizeof(at)), sched_kind_name(msg.kind),
		        dir_name(r->d, m->holder), m->holder);
		for (size_t k = 0; k < msg.to.n; k++)
			fprintf(r->out, "%s%s", k ? ", " : "To: ", msg.to.v[k]);
		fputs(msg.to.n ? "\n" : "To: (no address)\n", r->out);
		fprintf(r->out, "Subject: %s\n\n%s\n", msg.subject, msg.text);
	}
	digest_msg_free(&msg);
	return rc < 0 ? -2 : 0;
}

int report_render(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                  time_t from, time_t show_from, time_t to, const char *agency,
                  const char *html_dir, FILE *out)
{
	struct preview p;
	struct render r = {.st = st,
	                   .d = d,
	                   .tpl = tpl,
	                   .show_from = show_from,
	                   .agency = agency,
	                   .html_dir = html_dir,
	                   .out = out};
	int rc = preview_run(st, d, tpl, from, to, render_one, &r, &p);

	if (rc == 0) {
		fprintf(out, "%zu email%s rendered\n", r.shown, r.shown == 1 ? "" : "s");
		preview_free(&p);
	}
	for (size_t i = 0; i < r.plans.n; i++)
		store_plan_free(&r.plans.v[i]);
	free(r.plans.v);
	return rc;
}
