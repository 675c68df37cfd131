/*
 * answer — see inbox/answer.h.
 *
 * Short and plain: an official reads these between other mail. Every
 * answer is an automatic message (Auto-Submitted, set by mime), so a
 * well-behaved auto-responder never answers it back.
 */
#include "inbox/answer.h"

#include "buf.h"
#include "compose.h"
#include "date.h"
#include "log.h"
#include "mime.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The words of the answers, in the two languages of the templates. */
struct words {
	const char *greeting, *recorded, *unread_head, *correct, *footer;
	const char *help_head, *help_examples, *help_once;
	const char *ext_subject, *ext_asks, *ext_plan, *ext_item, *ext_due, *ext_wanted,
	    *ext_reason, *ext_meanwhile;
	const char *dec_subject_yes, *dec_subject_no, *dec_yes, *dec_no, *dec_note;
	const char *status[TASK_REMOVED + 1];
};

static const struct words vi = {
    "Kính gửi: %s\n\n",
    "Hệ thống nhắc việc đã ghi nhận thư trả lời của Quý cơ quan:\n\n",
    "\nChưa đọc được các dòng sau:\n",
    "\nNếu có sai sót, xin trả lời thư này để điều chỉnh.\n",
    "\n--\nThư tự động của hệ thống nhắc việc.\n",
    "Hệ thống nhắc việc chưa đọc được nội dung thư trả lời của Quý cơ quan.\n",
    "Xin trả lời thư nhắc việc, mỗi nội dung một dòng, có dấu hoặc không dấu, ví dụ:\n\n"
    "  Hoàn thành\n"
    "  Đang thực hiện: đã khảo sát 40/60 doanh nghiệp\n"
    "  Chờ ý kiến hướng dẫn của Bộ Khoa học và Công nghệ\n"
    "  Xin gia hạn đến %s: lý do …\n"
    "  1.3.a: Hoàn thành   (cho riêng một mục của thư)\n\n"
    "Báo cáo có thể gửi kèm thư (tối đa 10 MB mỗi tệp).\n",
    "Thư hướng dẫn này được gửi tối đa một lần mỗi ngày.\n",
    "[Gia hạn] %s xin gia hạn: %s",
    "%s xin gia hạn nhiệm vụ:\n\n",
    "  Kế hoạch: %s",
    ", mục %s",
    "  Thời hạn hiện tại: %s\n",
    "  Xin gia hạn đến: %s\n",
    "  Lý do: %s\n",
    "\nTrong thời gian chờ, hệ thống vẫn nhắc việc theo thời hạn hiện tại. Để chấp thuận hay "
    "không, xin báo quản trị hệ thống:\n  deadlinectl extend %s:%s --approve   (hoặc --refuse)\n",
    "[Gia hạn] Chấp thuận: %s",
    "[Gia hạn] Không chấp thuận: %s",
    "Yêu cầu gia hạn nhiệm vụ \"%s\" đến %s đã được chấp thuận.\n",
    "Yêu cầu gia hạn nhiệm vụ \"%s\" đến %s không được chấp thuận; thời hạn giữ nguyên.\n",
    "Ghi chú: %s\n",
    {"Mở", "Đang thực hiện", "Chờ", "Hoàn thành", "Chưa đạt", "Hủy", "Đã bỏ"},
};

static const struct words en = {
    "To: %s\n\n",
    "The reminder service recorded your reply:\n\n",
    "\nThese lines could not be read:\n",
    "\nIf anything is wrong, reply to this message to correct it.\n",
    "\n--\nAn automatic message of the reminder service.\n",
    "The reminder service could not read your reply.\n",
    "Please reply to the reminder, one statement per line, for example:\n\n"
    "  Hoàn thành (done)\n"
    "  Đang thực hiện: 40 of 60 companies surveyed (in progress)\n"
    "  Chờ ý kiến của Bộ (waiting on someone else)\n"
    "  Xin gia hạn đến %s: reason (extension request)\n"
    "  1.3.a: Hoàn thành   (for one item of the message)\n\n"
    "Reports may be attached (10 MB per file at most).\n",
    "This help is sent at most once a day.\n",
    "[Extension] %s asks for more time: %s",
    "%s asks for an extension of:\n\n",
    "  Plan: %s",
    ", item %s",
    "  Current deadline: %s\n",
    "  Asked for: %s\n",
    "  Reason: %s\n",
    "\nReminders continue on the current deadline meanwhile. To approve or refuse, ask the "
    "admin:\n  deadlinectl extend %s:%s --approve   (or --refuse)\n",
    "[Extension] Approved: %s",
    "[Extension] Refused: %s",
    "The extension of \"%s\" to %s is approved.\n",
    "The extension of \"%s\" to %s is refused; the deadline stays.\n",
    "Note: %s\n",
    {"Open", "In progress", "Waiting", "Done", "Not met", "Cancelled", "Removed"},
};

static const struct words *words(const struct cfg *c)
{
	return c->language && !strcmp(c->language, "en") ? &en : &vi;
}

const char *answer_status_words(const struct cfg *c, enum task_status s)
{
	return (unsigned)s <= TASK_REMOVED ? words(c)->status[s] : "?";
}

/* Composes and queues one message; 0 and *id, or -1 (logged). A message that
 * cannot be written (an address mime refuses: a sender's, hostile) is 0 with
 * *id 0: no answer, and nothing else undone for it. */
static int queue(const struct answer_env *e, const struct answer_to *to, const char *subject,
                 const char *text, const char *kind, time_t now, int64_t *id)
{
	const struct cfg *c = e->cfg;
	char *msgid = compose_message_id(c, now);
	char *reply = compose_reply_address(c, to->thread ? to->thread : msgid, to->agency);
	struct mime_addr rcpt = {to->name, to->addr}, reply_to = {c->from_name, reply};
	const char *refs[1] = {to->in_reply_to};
	struct mime_msg m = {.from = {c->from_name, c->from_addr},
	                     .reply_to = reply ? &reply_to : NULL,
	                     .to = &rcpt,
	                     .n_to = 1,
	                     .subject = subject,
	                     .date = now,
	                     .tz_offset = c->tz_offset,
	                     .message_id = msgid,
	                     .in_reply_to = to->in_reply_to,
	                     .references = refs,
	                     .n_references = to->in_reply_to ? 1 : 0,
	                     .text = text,
	                     .language = c->language};
	struct buf out = BUF_INIT;
	char err[256];
	int rc = -1;

	/* Their Message-ID is hostile input: an id mime would refuse is left out. */
	if (to->in_reply_to && !mime_msgid_valid(to->in_reply_to))
		m.in_reply_to = NULL, m.n_references = 0;
	*id = 0;
	if (mime_build(&m, &out, err, sizeof(err)) < 0) {
		log_warnx("%s to %s: not sent: %s", kind, to->addr, err);
		rc = 0;
	} else {
		struct store_message sm = {.message_id = msgid,
		                           .recipient =
		                               (char *)(to->agency ? to->agency : "unknown"),
		                           .rcpt = (char *)to->addr,
		                           .subject = (char *)subject,
		                           .body = out.data,
		                           .body_len = out.len,
		                           .kind = (char *)kind};
		bool queued;
		rc = store_message_queue(e->st, &sm, NULL, 0, now, &queued);
		if (rc < 0)
			log_warnx("%s to %s: %s", kind, to->addr, store_error(e->st));
		*id = sm.id;
	}
	buf_free(&out);
	free(reply);
	free(msgid);
	return rc;
}

static char *re_subject(const char *subject)
{
	struct buf b = BUF_INIT;

	if (!subject || !*subject)
		buf_adds(&b, "Re: deadlined");
	else if (!strncasecmp(subject, "re:", 3) || !strncasecmp(subject, "tl:", 3))
		buf_adds(&b, subject);
	else
		buf_printf(&b, "Re: %s", subject);
	return buf_steal(&b);
}

static void lines(struct buf *b, const struct answer_line *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "- %s", v[i].label);
		if (v[i].item)
			buf_printf(b, " (%s)", v[i].item);
		buf_printf(b, ": %s\n", v[i].what);
	}
}

static void greet(struct buf *b, const struct words *w, const struct answer_to *to,
                  const struct dir *d)
{
	const char *name = to->agency ? dir_name(d, to->agency) : NULL;

	buf_printf(b, w->greeting, name ? name : to->name && *to->name ? to->name : to->addr);
}

int answer_confirmation(const struct answer_env *e, const struct answer_to *to,
                        const struct answer_line *done, size_t n_done,
                        const struct answer_line *unread, size_t n_unread, time_t now, int64_t *msg)
{
	const struct words *w = words(e->cfg);
	struct buf text = BUF_INIT;
	char *subject = re_subject(to->subject);

	greet(&text, w, to, e->dir);
	buf_adds(&text, w->recorded);
	lines(&text, done, n_done);
	if (n_unread) {
		buf_adds(&text, w->unread_head);
		lines(&text, unread, n_unread);
	}
	buf_adds(&text, w->correct);
	buf_adds(&text, w->footer);
	int rc = queue(e, to, subject, buf_str(&text), "confirmation", now, msg);
	buf_free(&text);
	free(subject);
	return rc;
}

int answer_help(const struct answer_env *e, const struct answer_to *to,
                const struct answer_line *unread, size_t n_unread, time_t now, int64_t *msg)
{
	const struct words *w = words(e->cfg);
	struct buf text = BUF_INIT;
	char *subject = re_subject(to->subject);

	greet(&text, w, to, e->dir);
	buf_adds(&text, w->help_head);
	if (n_unread) {
		buf_adds(&text, w->unread_head);
		lines(&text, unread, n_unread);
		buf_addc(&text, '\n');
	}
	char example[16];
	buf_printf(&text, w->help_examples,
	           date_format_next_quarter_end(now, e->cfg->tz_offset, example, sizeof(example)));
	buf_adds(&text, w->help_once);
	buf_adds(&text, w->footer);
	int rc = queue(e, to, subject, buf_str(&text), "help", now, msg);
	buf_free(&text);
	free(subject);
	return rc;
}

/* The first address and the name of an agency: the recipient of a notice. */
static int agency_to(const struct answer_env *e, const char *agency, struct answer_to *to)
{
	const struct cfg_list *emails = dir_emails(e->dir, agency);

	memset(to, 0, sizeof(*to));
	if (!emails || !emails->n) {
		log_warnx("%s has no email address: the extension notice is not sent", agency);
		return -1;
	}
	to->addr = emails->v[0];
	to->name = dir_name(e->dir, agency);
	to->agency = agency;
	return 0;
}

int answer_extension_request(const struct answer_env *e, const char *monitor, const char *agency,
                             const struct task *t, time_t requested_due, const char *reason,
                             time_t now, int64_t *msg)
{
	const struct words *w = words(e->cfg);
	int tz = e->cfg->tz_offset;
	time_t due = t->extended_due != TF_NONE ? t->extended_due : t->due;
	const char *who = dir_name(e->dir, agency) ? dir_name(e->dir, agency) : agency;
	struct buf text = BUF_INIT, subject = BUF_INIT;
	struct answer_to to;
	char a[16], b[16];

	if (agency_to(e, monitor, &to) < 0)
		return -1;
	buf_printf(&subject, w->ext_subject, who, t->title);
	greet(&text, w, &to, e->dir);
	buf_printf(&text, w->ext_asks, who);
	buf_printf(&text, "  %s\n", t->title);
	buf_printf(&text, w->ext_plan, t->plan_id);
	if (t->idx)
		buf_printf(&text, w->ext_item, t->idx);
	buf_addc(&text, '\n');
	buf_printf(&text, w->ext_due, due == TF_NONE ? "—" : date_format_vn(due, tz, a, sizeof(a)));
	buf_printf(&text, w->ext_wanted, date_format_vn(requested_due, tz, b, sizeof(b)));
	if (reason)
		buf_printf(&text, w->ext_reason, reason);
	buf_printf(&text, w->ext_meanwhile, t->plan_id, t->key);
	buf_adds(&text, w->footer);
	int rc = queue(e, &to, buf_str(&subject), buf_str(&text), "extension", now, msg);
	buf_free(&text);
	buf_free(&subject);
	return rc;
}

int answer_extension_decided(const struct answer_env *e, const char *agency, const struct task *t,
                             time_t requested_due, bool approved, const char *note, time_t now,
                             int64_t *msg)
{
	const struct words *w = words(e->cfg);
	struct buf text = BUF_INIT, subject = BUF_INIT;
	struct answer_to to;
	char a[16];

	if (agency_to(e, agency, &to) < 0)
		return -1;
	buf_printf(&subject, approved ? w->dec_subject_yes : w->dec_subject_no, t->title);
	greet(&text, w, &to, e->dir);
	buf_printf(&text, approved ? w->dec_yes : w->dec_no, t->title,
	           date_format_vn(requested_due, e->cfg->tz_offset, a, sizeof(a)));
	if (note)
		buf_printf(&text, w->dec_note, note);
	buf_adds(&text, w->footer);
	int rc = queue(e, &to, buf_str(&subject), buf_str(&text), "extension", now, msg);
	buf_free(&text);
	buf_free(&subject);
	return rc;
}
