/*
 * cfg — see cfg.h.
 *
 * inih does the tokenising; everything else is ours. Three things make the
 * library safe for Vietnamese text:
 *  - we feed it lines through our own reader, which knows the line number
 *    (the packaged inih cannot report it) and refuses any line that would
 *    not fit its 200-byte buffer, instead of letting it be split silently
 *    into two values;
 *  - inline comments are turned off, so "Sở A ; Sở B" stays whole;
 *  - the reader also tells the handler when a line is an indented
 *    continuation, so a continued value is appended, while a repeated key
 *    is a list element or, for a single-valued key, an error.
 * The handler is one lookup in a table of rules (section, key, how to
 * store); validation of the whole runs after every file is read.
 */
#include "cfg.h"

#include "buf.h"
#include "date.h"
#include "inbox/token.h"
#include "mime.h"
#include "text.h"
#include "timeframe.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SOCKET    "/run/deadlined/control"
#define MAX_INCLUDE_DEPTH 8
#define MAX_ERRORS        50

enum section_type {
	SEC_TOP,
	SEC_DAEMON,
	SEC_MAIL,
	SEC_SMTP,
	SEC_CALENDAR,
	SEC_POLICY,
	SEC_INBOX,
	SEC_AGENCY,
	SEC_GROUP,
	SEC_PLAN,
	SEC_TASK,
	SEC_UNKNOWN,
};

static const char *const section_names[] = {
    [SEC_TOP] = "",        [SEC_DAEMON] = "daemon",     [SEC_MAIL] = "mail",
    [SEC_SMTP] = "smtp",   [SEC_CALENDAR] = "calendar", [SEC_POLICY] = "policy",
    [SEC_INBOX] = "inbox", [SEC_AGENCY] = "agency",     [SEC_GROUP] = "group",
    [SEC_PLAN] = "plan",   [SEC_TASK] = "task",
};

struct seen_key {
	char key[32];
	int line;
};

/* The state of one load: the cfg being built and where the reader is. */
struct loader {
	struct cfg *cfg;
	struct buf *errors, *warnings;
	int nerrors;
	int depth;
	bool secrets; /* read [smtp] password_file (the daemon does; deadlinectl need not) */

	/* the file being read */
	const char *file; /* owned by cfg->files */
	const char *text;
	size_t len, pos;
	int lineno;
	bool continuation;
	int section_seq; /* bumped by the reader at every [header] line */

	/* the section being filled */
	int cur_seq;
	enum section_type type;
	char section[256];
	char section_name[288]; /* "agency sct", as validate() names it, for positions */
	void *obj;
	struct seen_key seen[64];
	int nseen;
	const char *last_key;
};

static void error_at(struct loader *l, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(struct loader *l, int line, const char *key, const char *fmt, ...)
{
	va_list ap;

	/* Counted even when nobody reads the text: any error refuses the config. */
	if (l->nerrors++ >= MAX_ERRORS || !l->errors)
		return;
	buf_printf(l->errors, "%s:%d: ", l->file, line);
	if (l->section[0])
		buf_printf(l->errors, "[%s] ", l->section);
	if (key)
		buf_printf(l->errors, "%s: ", key);
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(l->errors, "%s\n", msg);
}

/* ---- small parsers ---------------------------------------------------- */

/* "Name <addr@x>" or "addr@x". */
static int parse_mailbox(const char *s, char **name, char **addr)
{
	const char *lt = strrchr(s, '<');

	if (!lt) {
		if (!mime_addr_valid(s))
			return -1;
		*name = NULL;
		*addr = xstrdup(s);
		return 0;
	}
	const char *gt = strchr(lt, '>');
	if (!gt || gt[1])
		return -1;
	char *a = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	if (!mime_addr_valid(a)) {
		free(a);
		return -1;
	}
	char *n = xstrndup(s, (size_t)(lt - s));
	*name = xstrdup(util_trim(n));
	free(n);
	*addr = a;
	return 0;
}

static int parse_date_day(const char *s, int64_t *day)
{
	int64_t last;

	return cal_parse_days(s, day, &last) == 0 && *day == last ? 0 : -1;
}

/* A path relative to the directory of the file that names it. */
static char *resolve_path(const char *file, const char *value)
{
	if (value[0] == '/' || value[0] == '\0')
		return xstrdup(value);
	char *copy = xstrdup(file);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", dirname(copy), value);
	free(copy);
	return buf_steal(&b);
}

static void list_add(struct cfg_list *l, const char *v)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(v);
}

static void list_free(struct cfg_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void kvs_add(struct cfg_kvs *k, const char *key, const char *value, struct cfg_where at)
{
	k->v = xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
	k->v[k->n++] = (struct cfg_kv){xstrdup(key), xstrdup(value), at};
}

static void kvs_free(struct cfg_kvs *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].key);
		free(k->v[i].value);
	}
	free(k->v);
}

static bool valid_id(const char *s, bool strict)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok = strict ? ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
		                 : (c > ' ' && c != 0x7F && c != '[' && c != ']');
		if (!ok)
			return false;
	}
	return true;
}

/* ---- the rules -------------------------------------------------------- */

enum rule_type { R_STR, R_PATH, R_INT, R_BOOL, R_LIST, R_FN };

struct rule;
typedef int (*setter)(struct loader *l, void *obj, const char *key, const char *value);

struct rule {
	enum section_type sec;
	const char *key; /* NULL: any policy key */
	enum rule_type type;
	size_t off;
	int lo, hi;
	setter fn;
	bool multi; /* R_FN: may repeat */
};

static int load_file(struct loader *l, const char *path, int from_line);

static int set_include(struct loader *l, void *obj, const char *key, const char *value)
{
	(void)obj;
	(void)key;
	char *path = resolve_path(l->file, value);
	int r = load_file(l, path, l->lineno);
	free(path);
	return r;
}

static int set_timezone(struct loader *l, void *obj, const char *key, const char *value)
{
	if (date_parse_zone(value, &((struct cfg *)obj)->tz_offset) == 0)
		return 0;
	error_at(l, l->lineno, key, "'%s' is not a zone: write +07:00 or Asia/Ho_Chi_Minh", value);
	return -1;
}

static int set_language(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;

	if (strcmp(value, "vi") && strcmp(value, "en")) {
		error_at(l, l->lineno, key, "'%s' is not vi or en", value);
		return -1;
	}
	free(c->language);
	c->language = xstrdup(value);
	return 0;
}

static int set_transport(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;

	if (!strcmp(value, "maildir"))
		c->transport = CFG_MAILDIR;
	else if (!strcmp(value, "smtp"))
		c->transport = CFG_SMTP;
	else {
		error_at(l, l->lineno, key, "'%s' is not maildir or smtp", value);
		return -1;
	}
	return 0;
}

static int set_mailbox(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;
	char *name, *addr;

	if (parse_mailbox(value, &name, &addr) < 0) {
		error_at(l, l->lineno, key, "'%s' is not an address (Name <user@domain>)", value);
		return -1;
	}
	char **pn = !strcmp(key, "from") ? &c->from_name : &c->reply_name;
	char **pa = !strcmp(key, "from") ? &c->from_addr : &c->reply_addr;
	free(*pn);
	free(*pa);
	*pn = name;
	*pa = addr;
	return 0;
}

/* Where the admin publishes the agencies' calendars; it reaches every email, so only a
 * plain http(s) URL: no spaces, quotes, angle brackets or control characters. */
static int set_url(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;
	bool plain = (!strncmp(value, "https://", 8) || !strncmp(value, "http://", 7)) &&
	             strlen(value) < 400;

	for (const unsigned char *p = (const unsigned char *)value; plain && *p; p++)
		plain = *p > 0x20 && *p < 0x7F && !strchr("\"'<>\\`", *p);
	if (!plain) {
		error_at(l, l->lineno, key,
		         "'%s' is not an http(s) URL (ASCII, no spaces or quotes; {agency} "
		         "stands for the agency's id)",
		         value);
		return -1;
	}
	free(c->calendar_url);
	c->calendar_url = xstrdup(value);
	return 0;
}

static int set_address(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;
	char **dst = !strcmp(key, "admin") ? &c->admin : &c->envelope_from;

	if (!mime_addr_valid(value)) {
		error_at(l, l->lineno, key, "'%s' is not an address (user@domain)", value);
		return -1;
	}
	free(*dst);
	*dst = xstrdup(value);
	return 0;
}

static int set_tls(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;

	if (!strcmp(value, "starttls"))
		c->tls = CFG_TLS_STARTTLS;
	else if (!strcmp(value, "none"))
		c->tls = CFG_TLS_NONE;
	else if (!strcmp(value, "tls")) {
		error_at(l, l->lineno, key,
		         "implicit TLS (port 465) is not supported by libesmtp; use starttls");
		return -1;
	} else {
		error_at(l, l->lineno, key, "'%s' is not starttls or none", value);
		return -1;
	}
	return 0;
}

/* "3d", "12h", "30m", "45s" or plain seconds. */
static int set_duration(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;
	long v;
	char unit = 's';
	int used = 0;

	if (sscanf(value, "%ld%n", &v, &used) != 1 || v < 0 ||
	    (value[used] && (value[used + 1] || !strchr("smhd", unit = value[used])))) {
		error_at(l, l->lineno, key, "'%s' is not a duration (e.g. 3d, 12h, 90s)", value);
		return -1;
	}
	v *= unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : 1;
	if (v > 90L * 86400) {
		error_at(l, l->lineno, key, "'%s' is longer than 90 days", value);
		return -1;
	}
	*(!strcmp(key, "retry_base") ? &c->retry_base
	  : !strcmp(key, "interval") ? &c->inbox.interval
	                             : &c->retry_max_age) = (int)v;
	return 0;
}

/* [mail] keep_bodies: whole days ("365d" or "365"), or "forever" (0). */
static int set_keep_bodies(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg *c = obj;
	long v;
	int used = 0;

	if (!strcmp(value, "forever")) {
		c->keep_bodies = 0;
		return 0;
	}
	if (sscanf(value, "%ld%n", &v, &used) != 1 || v < 1 || v > 36500 ||
	    (value[used] && strcmp(value + used, "d"))) {
		error_at(l, l->lineno, key, "'%s' is not a number of days (e.g. 365d) or forever",
		         value);
		return -1;
	}
	c->keep_bodies = (int)v;
	return 0;
}

static int set_calendar(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cal *cal = &((struct cfg *)obj)->cal;
	int64_t first, last;
	int r = 0;

	if (!strcmp(key, "workdays"))
		r = cal_parse_weekdays(value, &cal->workdays);
	else if (!strcmp(key, "office_hours"))
		r = cal_parse_hours(value, &cal->open_min, &cal->close_min);
	else if (!strcmp(key, "send_at"))
		r = cal_parse_time(value, &cal->send_min);
	else if ((r = cal_parse_days(value, &first, &last)) == 0) {
		if (!strcmp(key, "holiday"))
			cal_add_holidays(cal, first, last);
		else
			for (int64_t d = first; d <= last; d++)
				cal_add_workday(cal, d);
	}
	if (r < 0)
		error_at(l, l->lineno, key, "'%s' is not valid here (see the example config)",
		         value);
	return r;
}

static struct cfg_where here(const struct loader *l)
{
	return (struct cfg_where){l->file, l->lineno};
}

static int set_policy(struct loader *l, void *obj, const char *key, const char *value)
{
	char err[160];
	struct policy scratch;

	if (l->type == SEC_POLICY) {
		if (policy_set(&((struct cfg *)obj)->policy, key, value, TF_ONCE, err,
		               sizeof(err)) == 0)
			return 0;
		error_at(l, l->lineno, key, "%s", err);
		return -1;
	}
	/* Plans and tasks keep their overrides; check them now, apply later. */
	policy_default(&scratch);
	if (strcmp(key, "remind") != 0 &&
	    policy_set(&scratch, key, value, TF_ONCE, err, sizeof(err)) < 0) {
		error_at(l, l->lineno, key, "%s", err);
		return -1;
	}
	if (!strcmp(key, "remind") && l->type == SEC_PLAN) {
		error_at(l, l->lineno, key, "a plan names the kind: remind.once, remind.yearly …");
		return -1;
	}
	kvs_add(l->type == SEC_PLAN ? &((struct cfg_plan *)obj)->policy
	                            : &((struct cfg_task *)obj)->policy,
	        key, value, here(l));
	return 0;
}

static int set_email(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg_list *list = l->type != SEC_AGENCY ? &((struct cfg_group *)obj)->emails
	                        : !strcmp(key, "reply_from")
	                            ? &((struct cfg_agency *)obj)->reply_from
	                            : &((struct cfg_agency *)obj)->emails;

	if (!mime_addr_valid(value)) {
		error_at(l, l->lineno, key, "'%s' is not an address (user@domain)", value);
		return -1;
	}
	list_add(list, value);
	return 0;
}

static int set_since(struct loader *l, void *obj, const char *key, const char *value)
{
	if (parse_date_day(value, &((struct cfg_agency *)obj)->since) == 0)
		return 0;
	error_at(l, l->lineno, key, "'%s' is not a date (YYYY-MM-DD)", value);
	return -1;
}

static int set_issued(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg_plan *p = obj;
	int64_t day;

	if (parse_date_day(value, &day) < 0) {
		error_at(l, l->lineno, key, "'%s' is not a date (YYYY-MM-DD)", value);
		return -1;
	}
	free(p->issued);
	p->issued = xstrdup(value);
	return 0;
}

static int set_period(struct loader *l, void *obj, const char *key, const char *value)
{
	struct cfg_plan *p = obj;
	int a, b, used = 0;

	if (sscanf(value, "%4d - %4d%n", &a, &b, &used) == 2 && !value[used] && a >= 1900 &&
	    b >= a && b <= 2200) {
		p->first_year = a;
		p->last_year = b;
		return 0;
	}
	if (sscanf(value, "%4d%n", &a, &used) == 1 && !value[used] && a >= 1900 && a <= 2200) {
		p->first_year = p->last_year = a;
		return 0;
	}
	error_at(l, l->lineno, key, "'%s' is not YYYY or YYYY-YYYY", value);
	return -1;
}

#define C(field)  offsetof(struct cfg, field)
#define A(field)  offsetof(struct cfg_agency, field)
#define G(field)  offsetof(struct cfg_group, field)
#define PL(field) offsetof(struct cfg_plan, field)
#define T(field)  offsetof(struct cfg_task, field)

static const struct rule rules[] = {
    {SEC_TOP, "include", R_FN, 0, 0, 0, set_include, true},
    {SEC_DAEMON, "database", R_PATH, C(database), 0, 0, NULL, false},
    {SEC_DAEMON, "control_socket", R_PATH, C(control_socket), 0, 0, NULL, false},
    {SEC_DAEMON, "user", R_STR, C(service_user), 0, 0, NULL, false},
    {SEC_DAEMON, "templates", R_PATH, C(templates), 0, 0, NULL, false},
    {SEC_DAEMON, "language", R_FN, 0, 0, 0, set_language, false},
    {SEC_DAEMON, "timezone", R_FN, 0, 0, 0, set_timezone, false},
    {SEC_DAEMON, "monitor", R_STR, C(monitor), 0, 0, NULL, false},
    {SEC_DAEMON, "default_supervisor", R_STR, C(default_supervisor), 0, 0, NULL, false},
    {SEC_MAIL, "transport", R_FN, 0, 0, 0, set_transport, false},
    {SEC_MAIL, "maildir", R_PATH, C(maildir), 0, 0, NULL, false},
    {SEC_MAIL, "from", R_FN, 0, 0, 0, set_mailbox, false},
    {SEC_MAIL, "reply_to", R_FN, 0, 0, 0, set_mailbox, false},
    {SEC_MAIL, "admin", R_FN, 0, 0, 0, set_address, false},
    {SEC_MAIL, "calendar_url", R_FN, 0, 0, 0, set_url, false},
    {SEC_MAIL, "contact_name", R_STR, C(contact_name), 0, 0, NULL, false},
    {SEC_MAIL, "contact_phone", R_STR, C(contact_phone), 0, 0, NULL, false},
    {SEC_MAIL, "keep_bodies", R_FN, 0, 0, 0, set_keep_bodies, false},
    {SEC_SMTP, "host", R_STR, C(host), 0, 0, NULL, false},
    {SEC_SMTP, "port", R_INT, C(port), 1, 65535, NULL, false},
    {SEC_SMTP, "tls", R_FN, 0, 0, 0, set_tls, false},
    {SEC_SMTP, "ca_file", R_PATH, C(ca_file), 0, 0, NULL, false},
    {SEC_SMTP, "verify", R_BOOL, C(verify), 0, 0, NULL, false},
    {SEC_SMTP, "user", R_STR, C(user), 0, 0, NULL, false},
    {SEC_SMTP, "password_file", R_PATH, C(password_file), 0, 0, NULL, false},
    {SEC_SMTP, "envelope_from", R_FN, 0, 0, 0, set_address, false},
    {SEC_SMTP, "helo", R_STR, C(helo), 0, 0, NULL, false},
    {SEC_SMTP, "timeout", R_INT, C(timeout), 5, 3600, NULL, false},
    {SEC_SMTP, "max_per_connection", R_INT, C(max_per_connection), 1, 1000, NULL, false},
    {SEC_SMTP, "connections", R_INT, C(connections), 1, 16, NULL, false},
    {SEC_SMTP, "retry_max_age", R_FN, 0, 0, 0, set_duration, false},
    {SEC_SMTP, "retry_base", R_FN, 0, 0, 0, set_duration, false},
    {SEC_INBOX, "maildir", R_PATH, C(inbox.maildir), 0, 0, NULL, false},
    {SEC_INBOX, "url", R_STR, C(inbox.url), 0, 0, NULL, false},
    {SEC_INBOX, "user", R_STR, C(inbox.user), 0, 0, NULL, false},
    {SEC_INBOX, "password_file", R_PATH, C(inbox.password_file), 0, 0, NULL, false},
    {SEC_INBOX, "ca_file", R_PATH, C(inbox.ca_file), 0, 0, NULL, false},
    {SEC_INBOX, "interval", R_FN, 0, 0, 0, set_duration, false},
    {SEC_INBOX, "key_file", R_PATH, C(inbox.key_file), 0, 0, NULL, false},
    {SEC_CALENDAR, "workdays", R_FN, 0, 0, 0, set_calendar, false},
    {SEC_CALENDAR, "office_hours", R_FN, 0, 0, 0, set_calendar, false},
    {SEC_CALENDAR, "send_at", R_FN, 0, 0, 0, set_calendar, false},
    {SEC_CALENDAR, "holiday", R_FN, 0, 0, 0, set_calendar, true},
    {SEC_CALENDAR, "workday", R_FN, 0, 0, 0, set_calendar, true},
    {SEC_CALENDAR, "national_holidays", R_BOOL, C(cal.national), 0, 0, NULL, false},
    {SEC_POLICY, NULL, R_FN, 0, 0, 0, set_policy, false},
    {SEC_AGENCY, "name", R_STR, A(name), 0, 0, NULL, false},
    {SEC_AGENCY, "email", R_FN, 0, 0, 0, set_email, true},
    {SEC_AGENCY, "reply_from", R_FN, 0, 0, 0, set_email, true},
    {SEC_AGENCY, "alias", R_LIST, A(aliases), 0, 0, NULL, false},
    {SEC_AGENCY, "supervisor", R_STR, A(supervisor), 0, 0, NULL, false},
    {SEC_AGENCY, "successor", R_STR, A(successor), 0, 0, NULL, false},
    {SEC_AGENCY, "since", R_FN, 0, 0, 0, set_since, false},
    {SEC_GROUP, "name", R_STR, G(name), 0, 0, NULL, false},
    {SEC_GROUP, "alias", R_LIST, G(aliases), 0, 0, NULL, false},
    {SEC_GROUP, "member", R_LIST, G(members), 0, 0, NULL, false},
    {SEC_GROUP, "email", R_FN, 0, 0, 0, set_email, true},
    {SEC_PLAN, "title", R_STR, PL(title), 0, 0, NULL, false},
    {SEC_PLAN, "issued", R_FN, 0, 0, 0, set_issued, false},
    {SEC_PLAN, "period", R_FN, 0, 0, 0, set_period, false},
    {SEC_PLAN, "monitor", R_STR, PL(monitor), 0, 0, NULL, false},
    {SEC_PLAN, NULL, R_FN, 0, 0, 0, set_policy, false},
    {SEC_TASK, "plan", R_STR, T(plan), 0, 0, NULL, false},
    {SEC_TASK, "title", R_STR, T(title), 0, 0, NULL, false},
    {SEC_TASK, "timeframe", R_STR, T(timeframe), 0, 0, NULL, false},
    {SEC_TASK, "lead", R_LIST, T(leads), 0, 0, NULL, false},
    {SEC_TASK, "coordinating", R_LIST, T(coordinating), 0, 0, NULL, false},
    {SEC_TASK, "same_as", R_STR, T(same_as), 0, 0, NULL, false},
    {SEC_TASK, NULL, R_FN, 0, 0, 0, set_policy, false},
};

static const struct rule *find_rule(enum section_type sec, const char *key)
{
	for (size_t i = 0; i < UTIL_NELEM(rules); i++)
		if (rules[i].sec == sec &&
		    (rules[i].key ? !strcmp(rules[i].key, key) : policy_is_key(key)))
			return &rules[i];
	return NULL;
}

/* ---- sections and the handler ---------------------------------------- */

static void *grow(void *array, size_t *n, size_t size)
{
	char *p = xrealloc(array, (*n + 1) * size);

	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* The object the current section fills; re-fetched since arrays move. */
static void *current_object(struct loader *l)
{
	struct cfg *c = l->cfg;

	switch (l->type) {
	case SEC_AGENCY:
		return &c->agencies[c->n_agencies - 1];
	case SEC_GROUP:
		return &c->groups[c->n_groups - 1];
	case SEC_PLAN:
		return &c->plans[c->n_plans - 1];
	case SEC_TASK:
		return &c->tasks[c->n_tasks - 1];
	default:
		return c;
	}
}

static enum section_type section_type_of(const char *word, size_t n)
{
	for (int i = SEC_DAEMON; i < SEC_UNKNOWN; i++)
		if (strlen(section_names[i]) == n && !strncmp(word, section_names[i], n))
			return (enum section_type)i;
	return SEC_UNKNOWN;
}

static void new_named(struct loader *l, const char *id)
{
	struct cfg *c = l->cfg;
	struct cfg_where at = here(l);

	if (!valid_id(id, l->type == SEC_AGENCY || l->type == SEC_GROUP)) {
		error_at(l, l->lineno, NULL, "'%s' is not a valid id%s", id,
		         l->type == SEC_AGENCY || l->type == SEC_GROUP
		             ? " (lowercase letters, digits and '-')"
		             : "");
	}
	switch (l->type) {
	case SEC_AGENCY:
		c->agencies = grow(c->agencies, &c->n_agencies, sizeof(*c->agencies));
		c->agencies[c->n_agencies - 1].id = xstrdup(id);
		c->agencies[c->n_agencies - 1].at = at;
		break;
	case SEC_GROUP:
		c->groups = grow(c->groups, &c->n_groups, sizeof(*c->groups));
		c->groups[c->n_groups - 1].id = xstrdup(id);
		c->groups[c->n_groups - 1].at = at;
		break;
	case SEC_PLAN:
		c->plans = grow(c->plans, &c->n_plans, sizeof(*c->plans));
		c->plans[c->n_plans - 1].id = xstrdup(id);
		c->plans[c->n_plans - 1].at = at;
		break;
	default:
		c->tasks = grow(c->tasks, &c->n_tasks, sizeof(*c->tasks));
		c->tasks[c->n_tasks - 1].id = xstrdup(id);
		c->tasks[c->n_tasks - 1].at = at;
		break;
	}
}

static struct cfg_where here(const struct loader *l);
static void kvs_add(struct cfg_kvs *k, const char *key, const char *value, struct cfg_where at);

static void begin_section(struct loader *l, const char *section)
{
	size_t n = strcspn(section, " \t");
	const char *id = section + n + strspn(section + n, " \t");

	l->cur_seq = l->section_seq;
	util_strlcpy(l->section, section, sizeof(l->section));
	l->nseen = 0;
	l->last_key = NULL;
	l->type = section[0] ? section_type_of(section, n) : SEC_TOP;
	if (l->type == SEC_UNKNOWN) {
		error_at(l, l->lineno, NULL, "unknown section type '%.*s'", (int)n, section);
		return;
	}
	if (l->type != SEC_TOP && l->type < SEC_AGENCY)
		kvs_add(&l->cfg->positions, section_names[l->type], "", here(l));
	bool named = l->type >= SEC_AGENCY;
	if (named != (*id != '\0')) {
		error_at(l, l->lineno, NULL,
		         named ? "this section needs a name: [%s NAME]" : "[%s] takes no name",
		         section_names[l->type]);
		l->type = SEC_UNKNOWN;
		return;
	}
	if (named)
		new_named(l, id);
	snprintf(l->section_name, sizeof(l->section_name), named ? "%s %s" : "%s",
	         section_names[l->type], id);
}

/* A single-valued key given twice is an error, not "the last one wins". */
static bool first_time(struct loader *l, const char *key)
{
	for (int i = 0; i < l->nseen; i++)
		if (!strcmp(l->seen[i].key, key)) {
			error_at(l, l->lineno, key, "given twice (first at line %d)",
			         l->seen[i].line);
			return false;
		}
	if (l->nseen < (int)UTIL_NELEM(l->seen)) {
		util_strlcpy(l->seen[l->nseen].key, key, sizeof(l->seen[0].key));
		l->seen[l->nseen++].line = l->lineno;
	}
	return true;
}

static int set_scalar(struct loader *l, const struct rule *r, void *obj, const char *key,
                      const char *value)
{
	char *field = (char *)obj + r->off;
	int v, used = 0;

	switch (r->type) {
	case R_STR:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	case R_PATH:
		free(*(char **)field);
		*(char **)field = resolve_path(l->file, value);
		return 0;
	case R_INT:
		if (sscanf(value, "%d%n", &v, &used) != 1 || value[used] || v < r->lo || v > r->hi)
			break;
		*(int *)field = v;
		return 0;
	case R_BOOL:
		if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "on"))
			*(bool *)field = true;
		else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "off"))
			*(bool *)field = false;
		else
			break;
		return 0;
	default:
		return r->fn(l, obj, key, value);
	}
	error_at(l, l->lineno, key, "'%s' is not %s", value,
	         r->type == R_BOOL ? "yes or no" : "a whole number in range");
	return -1;
}

/* An indented line continues the previous value. */
static void continue_value(struct loader *l, const struct rule *r, void *obj, const char *key,
                           const char *value)
{
	char **target = NULL;

	if (r->type == R_STR || r->type == R_PATH)
		target = (char **)((char *)obj + r->off);
	else if (r->type == R_LIST) {
		struct cfg_list *list = (struct cfg_list *)((char *)obj + r->off);
		if (list->n)
			target = &list->v[list->n - 1];
	}
	if (!target || !*target) {
		error_at(l, l->lineno, key, "this key does not take continuation lines");
		return;
	}
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s %s", *target, value);
	free(*target);
	*target = buf_steal(&b);
}

/* Errors found by validate() point at the line that wrote the value. */
static void record_position(struct loader *l, const char *key, const char *value)
{
	struct buf name = BUF_INIT;

	buf_printf(&name, "%s.%s", l->section_name, key);
	kvs_add(&l->cfg->positions, buf_str(&name), value, here(l));
	buf_free(&name);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct loader *l = user;

	(void)section; /* the reader began it at its [header] line */
	if (l->type == SEC_UNKNOWN)
		return 1;
	if (!text_utf8_valid(value, strlen(value))) {
		error_at(l, l->lineno, key, "the value is not valid UTF-8");
		return 1;
	}
	const struct rule *r = find_rule(l->type, key);
	if (!r) {
		error_at(l, l->lineno, key, "unknown key in [%s]", section_names[l->type]);
		return 1;
	}
	void *obj = current_object(l);
	if (l->continuation) {
		continue_value(l, r, obj, key, value);
		return 1;
	}
	if (r->type == R_LIST) {
		list_add((struct cfg_list *)((char *)obj + r->off), value);
		record_position(l, key, value);
		return 1;
	}
	if (r->type != R_FN || !r->multi) {
		if (!first_time(l, key))
			return 1;
	}
	record_position(l, key, value);
	set_scalar(l, r, obj, key, value);
	return 1;
}

/* ---- reading files ---------------------------------------------------- */

/*
 * A [header] line starts a section here, not at its first key: inih never
 * reports a section without keys, and errors on the lines before the first
 * key must name the right section.
 */
static void header_line(struct loader *l, const char *s, size_t len)
{
	const char *end = memchr(s, ']', len);
	char name[256];

	l->section_seq++;
	if (!end) {
		error_at(l, l->lineno, NULL, "a [section] header needs its closing ']'");
		return;
	}
	if ((size_t)(end - s - 1) >= sizeof(name)) {
		error_at(l, l->lineno, NULL, "the section name is too long");
		return;
	}
	memcpy(name, s + 1, (size_t)(end - s - 1));
	name[end - s - 1] = '\0';
	begin_section(l, util_trim(name));
}

/* Not blank, a comment, a [header], a continuation or key = value. */
static bool malformed(const char *s, size_t len)
{
	if (len == 0 || *s == ';' || *s == '#' || *s == '[')
		return false;
	return !memchr(s, '=', len) && !memchr(s, ':', len);
}

static char *reader(char *str, int num, void *stream)
{
	struct loader *l = stream;

	if (l->pos >= l->len)
		return NULL;
	const char *line = l->text + l->pos;
	const char *nl = memchr(line, '\n', l->len - l->pos);
	size_t n = nl ? (size_t)(nl - line) + 1 : l->len - l->pos;
	size_t content = n - (nl != NULL);

	l->pos += n;
	l->lineno++;
	if (content && line[content - 1] == '\r')
		content--;
	size_t lead = strspn(line, " \t");
	l->continuation = lead > 0 && lead < content && line[lead] != ';' && line[lead] != '#';
	if (lead < content && line[lead] == '[')
		header_line(l, line + lead, content - lead);
	/*
	 * inih's buffer holds num bytes: the line, CR, LF and NUL. A longer line
	 * would be split into two values; refuse it, with a byte to spare.
	 */
	if (content + 4 > (size_t)num) {
		char key[64] = "";
		size_t k = strcspn(line, "=:[");
		if (k < content && line[k] != '[' && k < sizeof(key)) {
			memcpy(key, line, k);
			key[k] = '\0';
		}
		error_at(l, l->lineno, key[0] ? util_trim(key) : NULL,
		         "line is %zu bytes, the limit is %d: continue the value on indented lines "
		         "or repeat the key",
		         content, num - 4);
		util_strlcpy(str, ";\n", (size_t)num);
		return str;
	}
	if (lead == 0 && malformed(line, content))
		error_at(l, l->lineno, NULL, "expected 'key = value' or '[section]'");
	memcpy(str, line, content);
	str[content] = '\n';
	str[content + 1] = '\0';
	return str;
}

static bool already_read(const struct cfg *c, const char *path)
{
	for (size_t i = 0; i < c->files.n; i++)
		if (!strcmp(c->files.v[i], path))
			return true;
	return false;
}

static int load_file(struct loader *l, const char *path, int from_line)
{
	struct loader saved = *l;
	size_t len;
	int r = 0;

	if (l->depth >= MAX_INCLUDE_DEPTH || already_read(l->cfg, path)) {
		error_at(l, from_line, "include", "'%s' is included twice or too deeply", path);
		return -1;
	}
	char *text = util_read_file(path, &len);
	if (!text) {
		if (l->file)
			error_at(l, from_line, "include", "cannot read '%s': %s", path,
			         strerror(errno));
		else if (l->errors)
			buf_printf(l->errors, "%s: cannot read: %s\n", path, strerror(errno));
		l->nerrors++;
		return -1;
	}
	list_add(&l->cfg->files, path);
	l->file = l->cfg->files.v[l->cfg->files.n - 1];
	l->text = text;
	l->len = len;
	/* A UTF-8 byte order mark (Windows editors) is not part of the first line. */
	l->pos = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	l->lineno = 0;
	l->depth++;
	l->section[0] = '\0';
	l->type = SEC_TOP;
	l->cur_seq = l->section_seq = 0;
	if (memchr(text, '\0', len)) {
		error_at(l, 1, NULL, "the file contains a NUL byte");
		r = -1;
	} else {
		/* The reader has reported every malformed line; inih's verdict adds nothing. */
		ini_parse_stream(reader, l, handler, l);
	}
	free(text);
	int nerrors = l->nerrors;
	*l = saved;
	l->nerrors = nerrors;
	return r;
}

/* ---- validation of the whole ----------------------------------------- */

static void verror(struct loader *l, struct cfg_where at, const char *section, const char *key,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void verror(struct loader *l, struct cfg_where at, const char *section, const char *key,
                   const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (l->nerrors++ >= MAX_ERRORS || !l->errors)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(l->errors, "%s:%d: [%s]%s%s%s %s\n", at.file ? at.file : l->cfg->path, at.line,
	           section, key ? " " : "", key ? key : "", key ? ":" : "", msg);
}

static void warn(struct loader *l, struct cfg_where at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn(struct loader *l, struct cfg_where at, const char *fmt, ...)
{
	va_list ap;

	if (!l->warnings)
		return;
	buf_printf(l->warnings, "%s:%d: ", at.file, at.line);
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(l->warnings, "%s\n", msg);
}

static int cmp_agency_id(const void *a, const void *b)
{
	return strcmp((*(struct cfg_agency *const *)a)->id, (*(struct cfg_agency *const *)b)->id);
}

/* Planning and preview look agencies up millions of times: binary search. */
static void index_agencies(struct cfg *c)
{
	free(c->agencies_by_id);
	c->agencies_by_id = xcalloc(c->n_agencies + 1, sizeof(*c->agencies_by_id));
	for (size_t i = 0; i < c->n_agencies; i++)
		c->agencies_by_id[i] = &c->agencies[i];
	qsort(c->agencies_by_id, c->n_agencies, sizeof(*c->agencies_by_id), cmp_agency_id);
}

const struct cfg_agency *cfg_agency(const struct cfg *c, const char *id)
{
	struct cfg_agency key = {.id = (char *)id}, *k = &key, **found;

	if (!id)
		return NULL;
	if (!c->agencies_by_id) { /* still loading */
		for (size_t i = 0; i < c->n_agencies; i++)
			if (!strcmp(c->agencies[i].id, id))
				return &c->agencies[i];
		return NULL;
	}
	found = bsearch(&k, c->agencies_by_id, c->n_agencies, sizeof(*found), cmp_agency_id);
	return found ? *found : NULL;
}

const struct cfg_group *cfg_group(const struct cfg *c, const char *id)
{
	for (size_t i = 0; id && i < c->n_groups; i++)
		if (!strcmp(c->groups[i].id, id))
			return &c->groups[i];
	return NULL;
}

const struct cfg_plan *cfg_plan(const struct cfg *c, const char *id)
{
	for (size_t i = 0; id && i < c->n_plans; i++)
		if (!strcmp(c->plans[i].id, id))
			return &c->plans[i];
	return NULL;
}

/* Where "[section] key = value" was written (any value when NULL); else fallback. */
static struct cfg_where where_value(const struct cfg *c, const char *section, const char *key,
                                    const char *value, struct cfg_where fallback)
{
	struct buf name = BUF_INIT;

	buf_printf(&name, "%s.%s", section, key);
	for (size_t i = 0; i < c->positions.n; i++)
		if (!strcmp(c->positions.v[i].key, buf_str(&name)) &&
		    (!value || !strcmp(c->positions.v[i].value, value))) {
			fallback = c->positions.v[i].at;
			break;
		}
	buf_free(&name);
	return fallback;
}

/* Where a global key was written; else its section's header; else the file. */
static struct cfg_where where_of(const struct cfg *c, const char *section, const char *key)
{
	char name[96];
	struct cfg_where section_at = {c->path, 1};

	snprintf(name, sizeof(name), "%s.%s", section, key);
	for (size_t i = 0; i < c->positions.n; i++) {
		if (!strcmp(c->positions.v[i].key, name))
			return c->positions.v[i].at;
		if (!strcmp(c->positions.v[i].key, section))
			section_at = c->positions.v[i].at;
	}
	return section_at;
}

/* A loopback address, written as one: "127.x.y.z", "::1" or "localhost" (not a name like
 * 127.example.com). */
static bool is_loopback(const char *host)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (!strcmp(host, "localhost"))
		return true;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

/*
 * A secret (a password file, the reply tokens' key) must be the service's:
 * a regular file with no group or other access. 0, or -1 with the error
 * given at [section] key; *st is filled.
 */
static int check_secret(struct loader *l, const struct cfg *c, const char *section, const char *key,
                        const char *path, struct stat *st)
{
	struct cfg_where at = where_of(c, section, key);

	if (stat(path, st) < 0) {
		verror(l, at, section, key, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		verror(l, at, section, key, "'%s' is not a file", path);
		return -1;
	}
	if (st->st_mode & 077) {
		verror(l, at, section, key, "'%s' is readable by group or others: chmod 600 it",
		       path);
		return -1;
	}
	return 0;
}

static char *read_secret(struct loader *l, struct cfg *c, const char *section, const char *path)
{
	struct stat st;

	if (check_secret(l, c, section, "password_file", path, &st) < 0)
		return NULL;
	char *text = util_read_file(path, NULL);
	if (!text) {
		verror(l, where_of(c, section, "password_file"), section, "password_file",
		       "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	text[strcspn(text, "\r\n")] = '\0';
	return text;
}

static void validate_smtp(struct loader *l, struct cfg *c)
{
	if (c->transport != CFG_SMTP)
		return;
	if (!c->host) {
		verror(l, where_of(c, "smtp", "host"), "smtp", "host",
		       "is required with transport = smtp");
		return;
	}
	/* Agencies' mail must not cross a network in clear text. */
	if (c->tls == CFG_TLS_NONE && !is_loopback(c->host))
		verror(l, where_of(c, "smtp", "tls"), "smtp", "tls",
		       "none is only allowed to a loopback host, not '%s'", c->host);
	if (c->user && !c->password_file)
		verror(l, where_of(c, "smtp", "user"), "smtp", "user", "needs password_file");
	if (c->password_file && l->secrets)
		c->password = read_secret(l, c, "smtp", c->password_file);
}

/* The reply tokens' key file: the configured one, else inbox.key beside the database. */
static void inbox_key_path(struct cfg *c)
{
	struct cfg_inbox *in = &c->inbox;

	if (in->key_file)
		return;
	char *db = xstrdup(c->database);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/inbox.key", dirname(db));
	in->key_file = buf_steal(&path);
	in->key_default = true;
	free(db);
}

/* The key of the reply tokens: the configured file, or the default one once it exists. */
static void read_inbox_key(struct loader *l, struct cfg *c)
{
	struct cfg_inbox *in = &c->inbox;
	char err[512];

	if (in->have_key || (in->key_default && access(in->key_file, F_OK) != 0))
		return; /* the daemon makes the default one at start */
	if (token_key_load(in->key_file, false, in->key, err, sizeof(err)) < 0)
		verror(l, where_of(c, "inbox", "key_file"), "inbox", "key_file", "%s", err);
	else
		in->have_key = true;
}

/* [inbox]: one source; TLS unless the IMAP server is this host; secrets 0600. */
static void validate_inbox(struct loader *l, struct cfg *c)
{
	struct cfg_inbox *in = &c->inbox;

	for (size_t i = 0; i < c->positions.n && !in->enabled; i++)
		in->enabled = !strcmp(c->positions.v[i].key, "inbox");
	if (!in->enabled)
		return;
	if (!in->interval)
		in->interval = 60;
	if (!!in->maildir == !!in->url)
		verror(l, where_of(c, "inbox", in->url ? "url" : "maildir"), "inbox",
		       in->url ? "url" : "maildir",
		       "give either maildir = PATH or url = imaps://…");
	if (in->maildir && c->maildir && !strcmp(in->maildir, c->maildir))
		verror(l, where_of(c, "inbox", "maildir"), "inbox", "maildir",
		       "is the Maildir outgoing mail is written to ([mail] maildir): the daemon "
		       "would read its own messages");
	if (in->url) {
		bool tls = !strncasecmp(in->url, "imaps://", 8);
		const char *host = in->url + (tls ? 8 : 7);
		char name[256];
		size_t n = strcspn(host, ":/");
		snprintf(name, sizeof(name), "%.*s", (int)(n < 255 ? n : 255), host);
		if (!tls && strncasecmp(in->url, "imap://", 7))
			verror(l, where_of(c, "inbox", "url"), "inbox", "url",
			       "'%s' is not imaps://HOST/MAILBOX", in->url);
		else if (!tls && !is_loopback(name))
			verror(l, where_of(c, "inbox", "url"), "inbox", "url",
			       "imap:// (no TLS) is only allowed to a loopback host, not '%s'; use "
			       "imaps://",
			       name);
		if (in->user && !in->password_file)
			verror(l, where_of(c, "inbox", "user"), "inbox", "user",
			       "needs password_file");
		if (in->password_file && l->secrets)
			in->password = read_secret(l, c, "inbox", in->password_file);
	}
	inbox_key_path(c);
	if (l->secrets)
		read_inbox_key(l, c);
}

static void validate_agencies(struct loader *l, struct cfg *c)
{
	for (size_t i = 0; i < c->n_agencies; i++) {
		struct cfg_agency *a = &c->agencies[i];
		char sec[160];
		snprintf(sec, sizeof(sec), "agency %s", a->id);
		if (!a->name)
			verror(l, a->at, sec, "name", "is required");
		if (a->supervisor && !cfg_agency(c, a->supervisor))
			verror(l, where_value(c, sec, "supervisor", NULL, a->at), sec, "supervisor",
			       "no agency '%s'", a->supervisor);
		if (a->successor && !cfg_agency(c, a->successor))
			verror(l, where_value(c, sec, "successor", NULL, a->at), sec, "successor",
			       "no agency '%s'", a->successor);
		if (a->successor && !a->since)
			verror(l, a->at, sec, "since", "is required with successor");
		if (!a->emails.n)
			warn(l, a->at, "[%s] has no email: nothing can be sent to it", sec);
		/* Chains must end: a loop would make escalation run forever. */
		const struct cfg_agency *s = a, *u = a;
		for (size_t k = 0; k <= c->n_agencies && s; k++)
			s = s->successor ? cfg_agency(c, s->successor) : NULL;
		for (size_t k = 0; k <= c->n_agencies && u; k++)
			u = u->supervisor ? cfg_agency(c, u->supervisor) : NULL;
		if (s || u)
			verror(l, a->at, sec, s ? "successor" : "supervisor", "the chain loops");
	}
}

static void validate_groups(struct loader *l, struct cfg *c)
{
	for (size_t i = 0; i < c->n_groups; i++) {
		struct cfg_group *g = &c->groups[i];
		char sec[160];
		snprintf(sec, sizeof(sec), "group %s", g->id);
		if (!g->name)
			verror(l, g->at, sec, "name", "is required");
		for (size_t k = 0; k < g->members.n; k++)
			if (!cfg_agency(c, g->members.v[k]))
				verror(l, where_value(c, sec, "member", g->members.v[k], g->at),
				       sec, "member", "no agency '%s'", g->members.v[k]);
		if (!g->members.n && !g->emails.n)
			verror(l, g->at, sec, "member", "a group needs members or an email");
		if (cfg_agency(c, g->id))
			verror(l, g->at, sec, NULL, "'%s' is also an agency id", g->id);
	}
}

struct name_entry {
	char *key;
	const char *owner;
	const char *kind; /* "agency" or "group" */
	struct cfg_where at;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct name_entry *)a)->key, ((const struct name_entry *)b)->key);
}

static void add_name(struct name_entry **v, size_t *n, const char *name, const char *owner,
                     const char *kind, struct cfg_where at)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = (struct name_entry){text_name_key(name), owner, kind, at};
}

/* Two entries answering to one name would make matching a coin toss. */
static void validate_names(struct loader *l, struct cfg *c)
{
	struct name_entry *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->n_agencies; i++) {
		struct cfg_agency *a = &c->agencies[i];
		if (a->name)
			add_name(&v, &n, a->name, a->id, "agency", a->at);
		for (size_t k = 0; k < a->aliases.n; k++)
			add_name(&v, &n, a->aliases.v[k], a->id, "agency", a->at);
	}
	for (size_t i = 0; i < c->n_groups; i++) {
		struct cfg_group *g = &c->groups[i];
		if (g->name)
			add_name(&v, &n, g->name, g->id, "group", g->at);
		for (size_t k = 0; k < g->aliases.n; k++)
			add_name(&v, &n, g->aliases.v[k], g->id, "group", g->at);
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i].key, v[i - 1].key) && strcmp(v[i].owner, v[i - 1].owner)) {
			char section[160];
			snprintf(section, sizeof(section), "%s %s", v[i].kind, v[i].owner);
			verror(l, v[i].at, section, "alias", "the same name as %s %s (%s:%d)",
			       v[i - 1].kind, v[i - 1].owner, v[i - 1].at.file, v[i - 1].at.line);
		}
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

/* One id, one section: a second [agency x] would be silently ignored otherwise. */
static void check_unique(struct loader *l, const char *kind, const char *id, struct cfg_where at,
                         const char *first_id, struct cfg_where first)
{
	char section[160];

	if (strcmp(id, first_id) != 0)
		return;
	snprintf(section, sizeof(section), "%s %s", kind, id);
	verror(l, at, section, NULL, "defined twice (first at %s:%d)", first.file, first.line);
}

static void validate_unique_ids(struct loader *l, struct cfg *c)
{
	for (size_t i = 0; i < c->n_agencies; i++)
		for (size_t k = 0; k < i; k++)
			check_unique(l, "agency", c->agencies[i].id, c->agencies[i].at,
			             c->agencies[k].id, c->agencies[k].at);
	for (size_t i = 0; i < c->n_groups; i++)
		for (size_t k = 0; k < i; k++)
			check_unique(l, "group", c->groups[i].id, c->groups[i].at, c->groups[k].id,
			             c->groups[k].at);
	for (size_t i = 0; i < c->n_plans; i++)
		for (size_t k = 0; k < i; k++)
			check_unique(l, "plan", c->plans[i].id, c->plans[i].at, c->plans[k].id,
			             c->plans[k].at);
	for (size_t i = 0; i < c->n_tasks; i++)
		for (size_t k = 0; k < i; k++)
			check_unique(l, "task", c->tasks[i].id, c->tasks[i].at, c->tasks[k].id,
			             c->tasks[k].at);
}

static void validate_tasks(struct loader *l, struct cfg *c)
{
	for (size_t i = 0; i < c->n_tasks; i++) {
		struct cfg_task *t = &c->tasks[i];
		char sec[160], err[160];
		snprintf(sec, sizeof(sec), "task %s", t->id);
		if (!t->title)
			verror(l, t->at, sec, "title", "is required");
		if (!t->leads.n)
			verror(l, t->at, sec, "lead", "is required");
		const struct cfg_plan *p = cfg_plan(c, t->plan);
		struct tf_ctx ctx = {c->tz_offset, p ? p->first_year : 0, p ? p->last_year : 0};
		struct tf tf;
		if (tf_parse_issued(t->timeframe ? t->timeframe : "", &ctx,
		                    p ? tf_issued(p->issued) : 0, &tf) < 0)
			warn(l, where_value(c, sec, "timeframe", NULL, t->at),
			     "[%s] timeframe '%s' is not understood (byte %d: %s); it is "
			     "kept and flagged",
			     sec, t->timeframe ? t->timeframe : "", tf.error_pos, tf.error);
		struct policy scratch;
		policy_default(&scratch);
		for (size_t k = 0; k < t->policy.n; k++)
			if (policy_set(&scratch, t->policy.v[k].key, t->policy.v[k].value, tf.kind,
			               err, sizeof(err)) < 0)
				verror(l, t->policy.v[k].at, sec, t->policy.v[k].key, "%s", err);
	}
}

static void apply_defaults(struct cfg *c)
{
	if (!c->database)
		c->database = xstrdup("/var/lib/deadlined/deadlined.db");
	if (!c->control_socket)
		c->control_socket = xstrdup(DEFAULT_SOCKET);
	if (!c->templates)
		c->templates = resolve_path(c->path, "templates");
	if (!c->language)
		c->language = xstrdup("vi");
	if (!c->from_addr)
		c->from_addr = xstrdup("deadlined@localhost");
	if (!c->default_supervisor && cfg_agency(c, "ubnd"))
		c->default_supervisor = xstrdup("ubnd");
}

static void validate(struct loader *l, struct cfg *c)
{
	index_agencies(c);
	apply_defaults(c);
	if (c->transport == CFG_MAILDIR && !c->maildir)
		verror(l, where_of(c, "mail", "transport"), "mail", "maildir",
		       "is required with transport = maildir");
	validate_smtp(l, c);
	validate_inbox(l, c);
	validate_agencies(l, c);
	validate_groups(l, c);
	validate_names(l, c);
	validate_tasks(l, c);
	for (size_t i = 0; i < c->n_plans; i++)
		if (c->plans[i].monitor && !cfg_agency(c, c->plans[i].monitor)) {
			char section[160];
			snprintf(section, sizeof(section), "plan %s", c->plans[i].id);
			verror(l, where_value(c, section, "monitor", NULL, c->plans[i].at), section,
			       "monitor", "no agency '%s'", c->plans[i].monitor);
		}
	validate_unique_ids(l, c);
	if (c->monitor && !cfg_agency(c, c->monitor))
		verror(l, where_of(c, "daemon", "monitor"), "daemon", "monitor", "no agency '%s'",
		       c->monitor);
	if (c->default_supervisor && !cfg_agency(c, c->default_supervisor))
		verror(l, where_of(c, "daemon", "default_supervisor"), "daemon",
		       "default_supervisor", "no agency '%s'", c->default_supervisor);
	cal_finish(&c->cal);
}

/* ---- the public functions --------------------------------------------- */

static struct cfg *cfg_new(const char *path)
{
	struct cfg *c = xcalloc(1, sizeof(*c));

	c->path = xstrdup(path);
	c->tz_offset = 7 * 3600;
	c->port = 25;
	c->verify = true;
	c->timeout = 60;
	c->max_per_connection = 20;
	c->connections = 3;
	c->retry_max_age = 3 * 86400;
	c->retry_base = 60;
	c->keep_bodies = 365;
	cal_init(&c->cal, c->tz_offset);
	policy_default(&c->policy);
	return c;
}

static struct cfg *load(const char *path, bool secrets, struct buf *errors, struct buf *warnings)
{
	struct cfg *c = cfg_new(path);
	struct loader l = {.cfg = c, .errors = errors, .warnings = warnings, .secrets = secrets};

	/* A ';' in a value is text ("Sở A; Sở B"), not the start of a comment. */
	ini_allow_inline_comments = false;
	load_file(&l, path, 0);
	c->cal.tz_offset = c->tz_offset;
	/* Validate even after syntax errors: the admin gets every problem at once. */
	if (c->files.n)
		validate(&l, c);
	if (l.nerrors > MAX_ERRORS && errors)
		buf_printf(errors, "… and %d more errors\n", l.nerrors - MAX_ERRORS);
	if (l.nerrors) {
		cfg_free(c);
		return NULL;
	}
	return c;
}

struct cfg *cfg_load(const char *path, struct buf *errors, struct buf *warnings)
{
	return load(path, true, errors, warnings);
}

struct cfg *cfg_load_without_secrets(const char *path, struct buf *errors, struct buf *warnings)
{
	return load(path, false, errors, warnings);
}

int cfg_read_secrets(struct cfg *c, struct buf *errors)
{
	struct loader l = {.cfg = c, .errors = errors};
	struct cfg_inbox *in = &c->inbox;

	if (c->password_file && !c->password)
		c->password = read_secret(&l, c, "smtp", c->password_file);
	if (in->enabled && in->url && in->password_file && !in->password)
		in->password = read_secret(&l, c, "inbox", in->password_file);
	if (in->enabled)
		read_inbox_key(&l, c);
	return l.nerrors ? -1 : 0;
}

int cfg_check_secrets(const struct cfg *c, uid_t service_uid, struct buf *errors)
{
	struct loader l = {.cfg = (struct cfg *)c, .errors = errors};
	const struct cfg_inbox *in = &c->inbox;
	const struct {
		const char *section, *key, *path;
	} secrets[] = {
	    {"smtp", "password_file", c->password_file},
	    {"inbox", "password_file", in->enabled && in->url ? in->password_file : NULL},
	    /* The default key appears at the daemon's first start. */
	    {"inbox", "key_file",
	     in->enabled && !(in->key_default && access(in->key_file, F_OK) != 0) ? in->key_file
	                                                                          : NULL},
	};
	struct stat st;

	for (size_t i = 0; i < UTIL_NELEM(secrets); i++) {
		if (!secrets[i].path || check_secret(&l, c, secrets[i].section, secrets[i].key,
		                                     secrets[i].path, &st) < 0)
			continue;
		if (service_uid != (uid_t)-1 && st.st_uid != service_uid)
			verror(&l, where_of(c, secrets[i].section, secrets[i].key),
			       secrets[i].section, secrets[i].key,
			       "'%s' belongs to uid %u, not to the service's user (uid %u), which "
			       "cannot read it: chown it",
			       secrets[i].path, (unsigned)st.st_uid, (unsigned)service_uid);
	}
	return l.nerrors ? -1 : 0;
}

char *cfg_control_socket(const char *path)
{
	struct cfg *c = cfg_new(path);
	struct loader l = {.cfg = c};
	char *socket = NULL;

	ini_allow_inline_comments = false;
	load_file(&l, path, 0);
	if (c->files.n)
		socket = xstrdup(c->control_socket ? c->control_socket : DEFAULT_SOCKET);
	cfg_free(c);
	return socket;
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_agencies; i++) {
		struct cfg_agency *a = &c->agencies[i];
		free(a->id), free(a->name), free(a->supervisor), free(a->successor);
		list_free(&a->emails), list_free(&a->aliases), list_free(&a->reply_from);
	}
	for (size_t i = 0; i < c->n_groups; i++) {
		struct cfg_group *g = &c->groups[i];
		free(g->id), free(g->name);
		list_free(&g->aliases), list_free(&g->members), list_free(&g->emails);
	}
	for (size_t i = 0; i < c->n_plans; i++) {
		struct cfg_plan *p = &c->plans[i];
		free(p->id), free(p->title), free(p->issued), free(p->monitor);
		kvs_free(&p->policy);
	}
	for (size_t i = 0; i < c->n_tasks; i++) {
		struct cfg_task *t = &c->tasks[i];
		free(t->id), free(t->plan), free(t->title), free(t->timeframe), free(t->same_as);
		list_free(&t->leads), list_free(&t->coordinating);
		kvs_free(&t->policy);
	}
	free(c->agencies), free(c->agencies_by_id), free(c->groups), free(c->plans), free(c->tasks);
	char **strings[] = {&c->path,
	                    &c->database,
	                    &c->control_socket,
	                    &c->service_user,
	                    &c->templates,
	                    &c->language,
	                    &c->monitor,
	                    &c->default_supervisor,
	                    &c->maildir,
	                    &c->from_name,
	                    &c->from_addr,
	                    &c->reply_name,
	                    &c->reply_addr,
	                    &c->admin,
	                    &c->calendar_url,
	                    &c->contact_name,
	                    &c->contact_phone,
	                    &c->host,
	                    &c->ca_file,
	                    &c->user,
	                    &c->password_file,
	                    &c->envelope_from,
	                    &c->helo,
	                    &c->inbox.maildir,
	                    &c->inbox.url,
	                    &c->inbox.user,
	                    &c->inbox.password_file,
	                    &c->inbox.ca_file,
	                    &c->inbox.key_file};
	for (size_t i = 0; i < UTIL_NELEM(strings); i++)
		free(*strings[i]);
	char *secrets[] = {c->password, c->inbox.password};
	for (size_t i = 0; i < UTIL_NELEM(secrets); i++)
		if (secrets[i]) {
			explicit_bzero(secrets[i], strlen(secrets[i]));
			free(secrets[i]);
		}
	explicit_bzero(c->inbox.key, sizeof(c->inbox.key));
	list_free(&c->files);
	kvs_free(&c->positions);
	cal_free(&c->cal);
	free(c);
}

/*
 * One section's overrides. Within a section a kind's own key beats the bare
 * one whatever their order, so bare keys go first; a bare key still beats
 * what a less specific section said for the kind alone.
 */
static void apply_overrides(struct policy *out, const struct cfg_kvs *kvs, enum tf_kind kind)
{
	char err[160];

	for (int dotted = 0; dotted < 2; dotted++)
		for (size_t i = 0; kvs && i < kvs->n; i++) {
			const char *key = kvs->v[i].key;
			if ((strchr(key, '.') != NULL) != dotted)
				continue;
			if (!dotted)
				policy_forget_kind(out, key, kind);
			policy_set(out, key, kvs->v[i].value, kind, err, sizeof(err));
		}
}

void cfg_policy(const struct cfg *c, const char *plan_id, const struct cfg_kvs *task_kvs,
                enum tf_kind kind, struct policy *out)
{
	const struct cfg_plan *p = cfg_plan(c, plan_id);

	*out = c->policy;
	if (p)
		apply_overrides(out, &p->policy, kind);
	apply_overrides(out, task_kvs, kind);
}

/* FNV-1a: not cryptographic, only "did anything change". */
static void hash_bytes(uint64_t *h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ p[i]) * 0x100000001b3ULL;
}

static void hash_str(uint64_t *h, const char *s)
{
	hash_bytes(h, s ? s : "\1", s ? strlen(s) + 1 : 1);
}

static void hash_ints(uint64_t *h, const int *v, size_t n)
{
	hash_bytes(h, v, n * sizeof(*v));
}

static void hash_offset(uint64_t *h, struct policy_offset o)
{
	hash_ints(h, (int[]){o.days, o.working}, 2);
}

static void hash_escalations(uint64_t *h, const struct policy_escalation *e, int n)
{
	hash_ints(h, &n, 1);
	for (int i = 0; i < n && i < POLICY_MAX_STEPS; i++) {
		hash_offset(h, e[i].after);
		hash_ints(h, (int[]){(int)e[i].level}, 1);
	}
}

/*
 * Field by field, never the struct's bytes: its padding is unspecified
 * (a compound literal assigned to a member may leave anything there), and
 * the digest of one file differed between two loads (found by fuzz_ini).
 */
static void hash_policy(uint64_t *h, const struct policy *p)
{
	for (int k = 0; k < POLICY_KINDS; k++) {
		const struct policy_kind *pk = &p->kind[k];
		hash_ints(h, &p->remind[k].n, 1);
		for (int i = 0; i < p->remind[k].n && i < POLICY_MAX_STEPS; i++)
			hash_offset(h, p->remind[k].at[i]);
		hash_ints(
		    h, (int[]){pk->own_steps, pk->own_repeat, pk->own_limit, pk->repeat_limit}, 4);
		hash_escalations(h, pk->escalate, pk->n_escalations);
		hash_offset(h, pk->repeat);
	}
	hash_escalations(h, p->escalate, p->n_escalations);
	hash_offset(h, p->repeat);
	hash_ints(h, (int[]){p->repeat_limit, p->backfill_days, p->remind_coordinating}, 3);
}

void cfg_planning_digest(const struct cfg *c, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const struct cal *cal = &c->cal;

	hash_policy(&h, &c->policy);
	hash_bytes(&h, &c->tz_offset, sizeof(c->tz_offset));
	int cal_fields[] = {cal->tz_offset, (int)cal->workdays, cal->open_min,
	                    cal->close_min, cal->send_min,      cal->national};
	hash_bytes(&h, cal_fields, sizeof(cal_fields));
	hash_bytes(&h, cal->holidays, cal->n_holidays * sizeof(*cal->holidays));
	hash_bytes(&h, cal->extra_workdays, cal->n_extra_workdays * sizeof(*cal->extra_workdays));
	hash_str(&h, c->monitor);
	hash_str(&h, c->default_supervisor);
	for (size_t i = 0; i < c->n_agencies; i++) {
		const struct cfg_agency *a = &c->agencies[i];
		hash_str(&h, a->id), hash_str(&h, a->supervisor), hash_str(&h, a->successor);
		hash_bytes(&h, &a->since, sizeof(a->since));
	}
	for (size_t i = 0; i < c->n_plans; i++) {
		const struct cfg_plan *p = &c->plans[i];
		hash_str(&h, p->id), hash_str(&h, p->monitor);
		for (size_t k = 0; k < p->policy.n; k++)
			hash_str(&h, p->policy.v[k].key), hash_str(&h, p->policy.v[k].value);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

char *cfg_calendar_url(const struct cfg *c, const char *agency)
{
	struct buf b = BUF_INIT;
	const char *at;

	if (!c->calendar_url)
		return NULL;
	for (const char *p = c->calendar_url; *p; p = at + strlen("{agency}")) {
		if (!(at = strstr(p, "{agency}"))) {
			buf_adds(&b, p);
			break;
		}
		buf_add(&b, p, (size_t)(at - p));
		buf_adds(&b, agency);
	}
	return buf_steal(&b);
}
