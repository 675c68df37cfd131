/*
 * reply — what an agency wrote when it answered a reminder. Pure.
 *
 * First the reply's own text: the lines the person wrote, without what
 * their mail client quoted (">" lines, "On … wrote:" / "Vào … đã viết:"
 * attributions, Outlook's "From: / Sent:" block and "-----Original
 * Message-----", forwarded messages, the signature after "-- "). Lines of
 * the message being answered are dropped too (an HTML reply whose quote
 * could not be told apart still repeats them verbatim).
 *
 * Then its commands, one per line, with or without diacritics, NFC or NFD:
 *   Hoàn thành | Đã hoàn thành | Đạt | Đáp ứng yêu cầu          → done
 *   Đang thực hiện: … | Tiếp tục thực hiện                       → in progress
 *   Chờ … (ý kiến của Bộ …)                                      → waiting
 *   Chưa đạt | Chưa hoàn thành                                   → not met
 *   Xin gia hạn đến 30/06/2026: lý do                            → extension request
 * for every task of the message, or for the items named before them
 * ("1.3.a: Hoàn thành", "Mục 2, 3 – Đang thực hiện"). A label such as
 * "Tình trạng:" may precede the level. Short words that mean something
 * else without their diacritics ("dat", "cho") count only when the line
 * leaves no doubt: written with the right marks, or standing alone.
 */
#ifndef DEADLINED_INBOX_REPLY_H
#define DEADLINED_INBOX_REPLY_H

#include "task.h"

#include <stddef.h>

#define REPLY_MAX_LINES 400  /* of own text; the rest is not read */
#define REPLY_MAX_LINE  1000 /* bytes of one line that are read */

enum reply_kind { REPLY_STATUS, REPLY_EXTEND };

struct reply_cmd {
	enum reply_kind kind;
	enum task_status status; /* REPLY_STATUS: done, in-progress, waiting or not-met */
	char *item;              /* the item as written ("1.3.a"); NULL: every task */
	bool named;           /* written after "Mục", "Nhiệm vụ" …: an item, never a code */
	int line;             /* in the own text, from 1 */
	char *text;           /* that line as written, trimmed */
	char *note;           /* the level and what follows it, as written */
	int year, month, day; /* REPLY_EXTEND: the date asked for (year 0: not written) */
	char *reason;         /* REPLY_EXTEND: why, or NULL */
};

/* A line that tries to say something the reader cannot take. */
struct reply_miss {
	int line;
	char *text;
	const char *why; /* English, for the admin and the help message */
};

struct reply {
	char *own; /* the reply's own text, NFC, lines ending in '\n' */
	struct reply_cmd *cmds;
	size_t n_cmds;
	struct reply_miss *misses;
	size_t n_misses;
};

/*
 * Reads text[0..len) (UTF-8; invalid bytes are dropped). exclude: the lines
 * of the message answered, which are never commands. Always fills out.
 */
void reply_read(const char *text, size_t len, const char *const *exclude, size_t n_exclude,
                struct reply *out);
void reply_free(struct reply *r);

/* An item as compared with a task's index: folded, no trailing '.' or ')'. */
void reply_item_key(const char *item, char *out, size_t cap);

#endif
