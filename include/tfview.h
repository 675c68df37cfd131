/*
 * tfview — a parsed timeframe as `deadlinectl parse` shows it, one JSON
 * object per line or the human text, so that the command and the fuzzer
 * check the same output. Pure: "now" is an argument.
 *
 * Whatever the input, the output is valid UTF-8 (an invalid input byte is
 * shown as U+FFFD) and JSON strings escape control characters; the human
 * text shows control characters as spaces.
 */
#ifndef DEADLINED_TFVIEW_H
#define DEADLINED_TFVIEW_H

#include "buf.h"
#include "timeframe.h"

#include <time.h>

/*
 * {"input", "kind", "due", "window_start", "window_end" (the occurrence
 * reported: the first at or after now for a recurrence or phases, else the
 * window), "next" (up to 3 dues from now), "condition", "implicit", "loose",
 * "phases": [{"window_start", "due", "agency"}], and for an unparsed phrase
 * "error" and "error_pos"}, then a newline.
 */
void tfview_json(struct buf *b, const char *phrase, const struct tf *t, time_t now);

/* The phrase, then indented: kind and due, next dues, phases' agencies,
 * condition, and the notes (implicit, loose); or the error with a caret. */
void tfview_text(struct buf *b, const char *phrase, const struct tf *t, time_t now);

#endif
