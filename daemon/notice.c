/*
 * notice — see notice.h.
 *
 * The admin reads these in the language of the mail templates ([daemon]
 * language): the words are in the tables below. A failure summary lists
 * everything that is wrong when it is written — messages given up on,
 * recipients refused, messages still being retried, notifications that had
 * no address to go to, addresses a delivery report said are gone, replies
 * held for the admin — so one mail tells the whole story.
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

struct notice_words {
	const char *subject;         /* "%lld" problems */
	const char *intro;           /* "%s" the date */
	const char *failed;          /* heading: given up */
	const char *retrying;        /* heading: still trying */
	const char *no_address;      /* heading: no address */
	const char *line_failed;     /* recipient, subject, Message-ID, error */
	const char *line_no_address; /* "%s" agency, "%lld" notifications */
	const char *bad;             /* heading: addresses gone for good */
	const char *line_bad;        /* address, agency, status, diagnostic */
	const char *held;            /* "%lld" replies held */
	const char *outro;
	const char *tet_subject;
	const char *tet; /* year, day, month, year, file, then the holiday line */
};

static const struct notice_words vi_notice = {
    "[deadlined] %lld sự cố gửi thư cần xử lý",
    "Hệ thống nhắc việc báo cáo các sự cố gửi thư tính đến ngày %s:\n",
    "Thư không gửi được (đã dừng gửi lại)",
    "Thư đang được gửi lại",
    "Đơn vị chưa có địa chỉ thư điện tử trong danh bạ",
    "- Gửi %s, \"%s\" (%s): %s\n",
    "- %s: %lld thông báo chưa gửi được\n",
    "Địa chỉ thư không còn dùng được (theo thư báo lỗi của máy chủ nhận)",
    "- %s (%s): %s %s\n",
    "\nCó %lld thư trả lời đang chờ quản trị viên xem xét: `deadlinectl inbox --held`, sau đó "
    "`deadlinectl inbox accept|reject ID`.\n",
    "\nXem chi tiết bằng lệnh `deadlinectl status` và nhật ký của dịch vụ. Với đơn vị chưa có "
    "địa chỉ, bổ sung khóa email trong mục [agency] của danh bạ.\n",
    "[deadlined] Lịch nghỉ Tết chưa được khai báo",
    "Tết năm %d (mùng 1 tháng Giêng âm lịch là ngày %02d/%02d/%d) chưa có ngày nghỉ trong mục "
    "[calendar] của tệp %s.\nĐề nghị bổ sung các ngày nghỉ theo thông báo của Chính phủ, ví "
    "dụ:\n",
};

static const struct notice_words en_notice = {
    "[deadlined] %lld delivery problem(s) to look at",
    "Delivery problems known on %s:\n",
    "Messages given up on",
    "Messages still being retried",
    "Agencies with no email address in the directory",
    "- To %s, \"%s\" (%s): %s\n",
    "- %s: %lld notification(s) not sent\n",
    "Addresses gone for good (delivery reports); fix them in the directory",
    "- %s (%s): %s %s\n",
    "\n%lld repl(ies) held for you: see `deadlinectl inbox --held`, then "
    "`deadlinectl inbox accept|reject ID`.\n",
    "\nSee `deadlinectl status` and the service's journal for details. For an agency with "
    "no address, add an email key to its [agency] section of the directory.\n",
    "[deadlined] Tết holidays missing from the calendar",
    "Tết %d (the lunar new year falls on %02d/%02d/%d) has no holidays in the [calendar] "
    "section of %s.\nAdd the days off the government announces, e.g.\n",
};

static const struct notice_words *words(const struct cfg *c)
{
	return c->language && !strcmp(c->language, "en") ? &en_notice : &vi_notice;
}

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

/* ---- the failure summary ------------------------------------------------------- */

struct listing {
	const struct notice_words *w;
	struct buf text;
	const char *heading;
	int64_t n;
};

static void heading(struct listing *l)
{
	if (l->heading) {
		buf_printf(&l->text, "\n%s:\n", l->heading);
		l->heading = NULL;
	}
}

static int list_message(const struct store_message *m, void *arg)
{
	struct listing *l = arg;

	heading(l);
	buf_printf(&l->text, l->w->line_failed, m->recipient, m->subject, m->message_id,
	           m->last_error ? m->last_error : "?");
	l->n++;
	return 0;
}

static int list_no_address(const char *agency, int64_t n, void *arg)
{
	struct listing *l = arg;

	heading(l);
	buf_printf(&l->text, l->w->line_no_address, agency, (long long)n);
	l->n++;
	return 0;
}

static int list_bad(const char *address, const char *agency, const char *status,
                    const char *diagnostic, time_t last_at, void *arg)
{
	struct listing *l = arg;

	(void)last_at;
	heading(l);
	buf_printf(&l->text, l->w->line_bad, address, agency ? agency : "?", status ? status : "",
	           diagnostic ? diagnostic : "");
	l->n++;
	return 0;
}

static int count_no_address(const char *agency, int64_t n, void *arg)
{
	(void)agency, (void)n;
	(*(int64_t *)arg)++;
	return 0;
}

static time_t last_summary(struct store *st)
{
	char value[32];

	if (store_meta_get(st, "admin_summary_at", value, sizeof(value)) < 0)
		return -1;
	return (time_t)strtoll(value, NULL, 10);
}

/* Is there anything the admin has not been told of? *held: replies held since. */
static int pending_failures(struct store *st, time_t since, int64_t *n, int64_t *held)
{
	int64_t agencies = 0, bad = 0;

	if (store_failures_count(st, n) < 0 ||
	    store_failed_notes(st, since, count_no_address, &agencies) < 0 ||
	    store_bad_addresses_count(st, &bad) < 0 ||
	    store_inbound_count(st, "held", since, held) < 0)
		return -1;
	*n += agencies + bad + *held;
	return 0;
}

/* Once a day at most, in office hours: everything wrong at that moment. */
static void failures(struct store *st, const struct cfg *c, time_t now)
{
	time_t since = c->admin ? last_summary(st) : -1;
	int64_t n = 0, held = 0;

	if (since < 0 || (since && now - since < 86400) ||
	    cal_office_at_or_after(&c->cal, now) != now ||
	    pending_failures(st, since, &n, &held) < 0 || n == 0)
		return;
	struct listing l = {.w = words(c), .text = BUF_INIT};
	char day[16];
	buf_printf(&l.text, l.w->intro, date_format_vn(now, c->tz_offset, day, sizeof(day)));
	l.heading = l.w->failed;
	int rc = store_failures_unreported(st, list_message, &l);
	l.heading = l.w->retrying;
	if (rc == 0)
		rc = store_retrying(st, list_message, &l);
	l.heading = l.w->no_address;
	if (rc == 0)
		rc = store_failed_notes(st, since, list_no_address, &l);
	l.heading = l.w->bad;
	if (rc == 0)
		rc = store_bad_addresses_unreported(st, list_bad, &l);
	if (held) {
		buf_printf(&l.text, l.w->held, (long long)held);
		l.n += held;
	}
	buf_adds(&l.text, l.w->outro);
	struct buf subject = BUF_INIT;
	buf_printf(&subject, l.w->subject, (long long)l.n);
	/* Each failure is told once; the summary itself waits a day after the last. */
	if (rc == 0 && notice_admin(st, c, buf_str(&subject), buf_str(&l.text), now) == 0) {
		char value[32];
		store_failures_reported(st);
		store_bad_addresses_reported(st);
		snprintf(value, sizeof(value), "%lld", (long long)now);
		store_meta_set(st, "admin_summary_at", value);
	}
	buf_free(&l.text);
	buf_free(&subject);
}

/* From October, next year's Tết must be in the calendar, or reminders may land on it. */
static void calendar(struct store *st, const struct cfg *c, time_t now)
{
	const struct notice_words *w = words(c);
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
	buf_printf(&text, w->tet, day.year + 1, d, m, day.year + 1, c->path);
	buf_printf(&text, "  holiday = %d-%02d-%02d..%d-%02d-%02d\n", day.year + 1, m, d,
	           day.year + 1, m, d);
	log_warnx("calendar: Tết %d has no holidays in %s", day.year + 1, c->path);
	if (c->admin)
		notice_admin(st, c, w->tet_subject, buf_str(&text), now);
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
	time_t since = c->admin ? last_summary(st) : -1;

	int64_t held = 0;
	if (since >= 0 && pending_failures(st, since, &n, &held) == 0 && n > 0) {
		time_t at = since ? since + 86400 : now;
		next = cal_office_at_or_after(&c->cal, at > now ? at : now);
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
