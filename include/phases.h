/*
 * phases — one timeframe cell that gives several agencies their own dues
 * ("+ Các sở, ngành hoàn thành trước ngày 30/6/2026. + Sở Tài chính tổng
 * hợp trước ngày 15/7/2026."), cut into one part per agency, as an
 * official reads it: each agency owes its own clause, by its own date.
 *
 * A part is the clause that names the agency, as written: read alone it
 * gives exactly that agency's due (each cut is checked by reading it back,
 * so a part never carries another agency's date). What no agency is named
 * for stays with the row's own agencies, as one part. Nothing is cut when
 * in doubt: fewer than two dated phases, a recurring timeframe, no clause
 * naming an agency the directory knows as a whole, or a clause that does
 * not read back as its phase. Pure.
 */
#ifndef DEADLINED_PHASES_H
#define DEADLINED_PHASES_H

#include "dir.h"
#include "timeframe.h"

#include <stddef.h>

struct phases_part {
	char *timeframe; /* the clause(s), trimmed of bullets and end punctuation */
	char *agency;    /* the agency as written; NULL: the row's own agencies */
	char *slug;      /* agency parts: a key suffix from its words ("so-tai-chinh") */
};

/*
 * 0 when the cell stays one task. Otherwise the parts (free with
 * phases_free): the agency parts in the order written, then the row's own
 * part when some dated clause names no agency, or names the row's own
 * leads (own_leads, the row's lead cell; may be NULL). Slugs are unique.
 */
size_t phases_split(const struct dir *d, const char *timeframe, const char *own_leads,
                    const struct tf_ctx *ctx, int issued, struct phases_part **out);
void phases_free(struct phases_part *parts, size_t n);

#endif
