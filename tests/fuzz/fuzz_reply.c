/*
 * libFuzzer target for the reply reader (make fuzz): inbound mail is
 * hostile, and the reader sees its text first. Besides memory errors
 * (ASan) and undefined behaviour (UBSan) it checks the contract:
 *  - the own text and every string read are valid UTF-8, one line each;
 *  - commands are numbered within the own text and the line limit;
 *  - a level is one an agency may set; a requested date is a real date;
 *  - the HTML-to-text conversion the reader is fed through never fails.
 * Every input that ever failed is kept in tests/fuzz/regressions/reply/.
 */
#include "inbox/mimein.h"
#include "inbox/reply.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_line(const char *s)
{
	if (!s || !text_utf8_valid(s, strlen(s)) || strchr(s, '\n'))
		abort();
}

static void check_reply(const struct reply *r)
{
	size_t lines = 0;

	if (!text_utf8_valid(r->own, strlen(r->own)))
		abort();
	for (const char *p = r->own; *p; p++)
		lines += *p == '\n';
	for (size_t i = 0; i < r->n_cmds; i++) {
		const struct reply_cmd *c = &r->cmds[i];
		if (c->line < 1 || (size_t)c->line > lines || c->line > REPLY_MAX_LINES)
			abort();
		check_line(c->text);
		if (c->item)
			check_line(c->item);
		if (c->note)
			check_line(c->note);
		if (c->kind == REPLY_STATUS &&
		    !(c->status == TASK_DONE || c->status == TASK_IN_PROGRESS ||
		      c->status == TASK_WAITING || c->status == TASK_NOT_MET))
			abort();
		if (c->kind == REPLY_EXTEND) {
			if (c->month < 1 || c->month > 12 || c->day < 1 || c->day > 31 ||
			    (c->year && (c->year < 2000 || c->year > 9999)))
				abort();
			if (c->reason)
				check_line(c->reason);
		}
	}
	for (size_t i = 0; i < r->n_misses; i++) {
		check_line(r->misses[i].text);
		if (!r->misses[i].why)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *exclude[1] = {"Tình trạng: Đang thực hiện"};
	struct reply r;

	reply_read(text, size, exclude, 1, &r);
	check_reply(&r);
	reply_free(&r);
	char *html = mimein_html_text(text, size);
	if (!html)
		abort();
	reply_read(html, strlen(html), NULL, 0, &r);
	check_reply(&r);
	reply_free(&r);
	free(html);
	return 0;
}
