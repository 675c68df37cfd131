/*
 * notice — what the daemon tells its admin ([mail] admin) by mail: a
 * summary of the messages it could not deliver (at most once a day, in
 * office hours, each failure once) and, from October, that next year's
 * Tết is missing from the calendar. Runs in the loop thread, inside the
 * caller's store transaction.
 */
#ifndef DEADLINED_NOTICE_H
#define DEADLINED_NOTICE_H

#include "cfg.h"
#include "store.h"

#include <time.h>

/* Queues a plain-text notice to the admin; 0, or -1 (logged). */
int notice_admin(struct store *st, const struct cfg *c, const char *subject, const char *text,
                 time_t now);

/* Sends whichever notices are due now. */
void notice_run(struct store *st, const struct cfg *c, time_t now);

/* When a notice next wants to run, or TF_NONE. */
time_t notice_next(struct store *st, const struct cfg *c, time_t now);

#endif
