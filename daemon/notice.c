/*
 * notice — see notice.h.
 */
#include "notice.h"

#include "cal.h"
#include "compose.h"
#include "date.h"
#include "log.h"
#include "lunar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int notice_admin(struct store *st, const struct cfg *c, const char *subject, const char *text,
                 time_t now)
{
	struct buf out = BUF_INIT;
	char err[256];
	char *msgid = compose_message_id(c, now);
	int rc = -1;

	if (compose_admin(c, subject, text, msgid, now, &out, err, sizeof(err)) < 0) {
		log_warnx("admin notice: %s", err);
	} else {
		struct store_message sm = {.message_id = msgid,
		                           .recipient = "admin",
		                           .rcpt = c->admin,
		                           .subject = (char *)subject,
		                           .body = out.data,
		                           .body_len = out.len,
		                           .kind = "admin"};
		rc = store_message_queue(st, &sm, NULL, 0, now, &(bool){false});
		if (rc < 0)
			log_warnx("admin notice: %s", store_error(st));
	}
	buf_free(&out);
	free(msgid);
	return rc;
}

static int list_failure(const struct store_message *m, void *arg)
{
	struct buf *b = arg;

	buf_printf(b, "- %s (%s) to %s: %s\n", m->message_id, m->kind, m->recipient,
	           m->last_error ? m->last_error : "?");
	return 0;
}

static int list_bad(const char *address, const char *agency, const char *status,
                    const char *diagnostic, time_t last_at, void *arg)
{
	(void)last_at;
	buf_printf(arg, "- %s (%s): %s %s\n", address, agency ? agency : "no agency",
	           status ? status : "", diagnostic ? diagnostic : "");
	return 0;
}

/* What the admin should hear about: undelivered mail, bad addresses, replies held since. */
static int64_t news(struct store *st, time_t since, int64_t *failed, int64_t *bad, int64_t *held)
{
	*failed = *bad = *held = 0;
	if (store_failures_count(st, failed) < 0 || store_bad_addresses_count(st, bad) < 0 ||
	    store_inbound_count(st, "held", since, held) < 0)
		return 0;
	return *failed + *bad + *held;
}

/* Once a day at most, in office hours: what could not be delivered, what is held. */
static void failures(struct store *st, const struct cfg *c, time_t now)
{
	char value[32];
	int64_t n, bad, held;

	if (!c->admin || store_meta_get(st, "admin_summary_at", value, sizeof(value)) < 0)
		return;
	time_t since = (time_t)strtoll(value, NULL, 10);
	if ((since && now - since < 86400) || cal_office_at_or_after(&c->cal, now) != now ||
	    news(st, since, &n, &bad, &held) == 0)
		return;
	struct buf text = BUF_INIT, subject = BUF_INIT;
	if (n) {
		buf_printf(
		    &text,
		    "deadlined could not deliver %lld message(s) to all their recipients:\n\n",
		    (long long)n);
		store_failures_unreported(st, list_failure, &text);
	}
	if (bad) {
		buf_printf(&text,
		           "%sDelivery reports say %lld address(es) are gone for good; fix "
		           "them in the directory:\n\n",
		           n ? "\n" : "", (long long)bad);
		store_bad_addresses_unreported(st, list_bad, &text);
	}
	if (held)
		buf_printf(&text,
		           "%s%lld repl%s held for you: see `deadlinectl inbox --held`, then "
		           "`deadlinectl inbox accept|reject ID`.\n",
		           n || bad ? "\n" : "", (long long)held, held == 1 ? "y is" : "ies are");
	buf_adds(&text, "\nSee `deadlinectl status` and the journal for details.\n");
	if (n)
		buf_printf(&subject, "[deadlined] %lld message(s) not delivered", (long long)n);
	else if (bad)
		buf_printf(&subject, "[deadlined] %lld bad address(es)", (long long)bad);
	else
		buf_printf(&subject, "[deadlined] %lld repl%s held", (long long)held,
		           held == 1 ? "y" : "ies");
	/* Each failure is told once; the summary itself waits a day after the last. */
	if (notice_admin(st, c, buf_str(&subject), buf_str(&text), now) == 0) {
		store_failures_reported(st);
		store_bad_addresses_reported(st);
		snprintf(value, sizeof(value), "%lld", (long long)now);
		store_meta_set(st, "admin_summary_at", value);
	}
	buf_free(&text);
	buf_free(&subject);
}

/* From October, next year's Tết must be in the calendar, or reminders may land on it. */
static void calendar(struct store *st, const struct cfg *c, time_t now)
{
	struct date_civil day;
	char key[32], value[32];
	int m, d;

	date_split(now, c->tz_offset, &day);
	snprintf(key, sizeof(key), "tet_warned_%d", day.year + 1);
	if (day.month < 10 || cal_has_tet(&c->cal, day.year + 1) ||
	    store_meta_get(st, key, value, sizeof(value)) < 0 || value[0] ||
	    lunar_tet(day.year + 1, &m, &d) < 0)
		return;
	struct buf text = BUF_INIT;
	buf_printf(&text,
	           "Tết %d (the lunar new year falls on %02d/%02d/%d) has no holidays in the "
	           "[calendar] section of %s.\nAdd the days off the government announces, e.g.\n"
	           "  holiday = %d-%02d-%02d..%d-%02d-%02d\nso that no reminder is planned "
	           "for a day the offices are closed.\n",
	           day.year + 1, d, m, day.year + 1, c->path, day.year + 1, m, d, day.year + 1, m,
	           d);
	log_warnx("calendar: %s", buf_str(&text));
	if (c->admin)
		notice_admin(st, c, "[deadlined] Tết holidays missing from the calendar",
		             buf_str(&text), now);
	store_meta_set(st, key, "1");
	buf_free(&text);
}

/* When the admin notices above next want to run. */
time_t notice_next(struct store *st, const struct cfg *c, time_t now)
{
	struct date_civil day;
	char value[32];
	int64_t n = 0;
	time_t next = TF_NONE;

	if (c->admin && store_meta_get(st, "admin_summary_at", value, sizeof(value)) == 0) {
		time_t since = (time_t)strtoll(value, NULL, 10);
		int64_t bad, held;
		if (news(st, since, &n, &bad, &held) > 0) {
			time_t at = since ? since + 86400 : now;
			next = cal_office_at_or_after(&c->cal, at > now ? at : now);
		}
	}
	date_split(now, c->tz_offset, &day);
	snprintf(value, sizeof(value), "tet_warned_%d", day.year + 1);
	char warned[8];
	if (!cal_has_tet(&c->cal, day.year + 1) &&
	    store_meta_get(st, value, warned, sizeof(warned)) == 0 && !warned[0]) {
		time_t october = date_make(day.year, 10, 1, 0, 0, 0, c->tz_offset);
		time_t at = cal_office_at_or_after(&c->cal, october > now ? october : now);
		if (next == TF_NONE || at < next)
			next = at;
	}
	return next;
}

void notice_run(struct store *st, const struct cfg *c, time_t now)
{
	failures(st, c, now);
	calendar(st, c, now);
}
