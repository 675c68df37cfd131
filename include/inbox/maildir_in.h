/*
 * maildir_in — the Maildir replies are delivered into (a Postfix virtual
 * mailbox, a .forward …). Each file in new/ is handed to a callback, oldest
 * first; once the callback has recorded it, the file moves to cur/ with
 * the Seen flag (NAME:2,S). A file it could not record stays in new/ and
 * is offered again at the next scan, so nothing is lost; the callback
 * itself makes sure nothing is applied twice (see inbox.h).
 *
 * Scans when new/ changes (inotify, through loop), at start, and every
 * `rescan` seconds in case a change was missed. Runs in the loop thread.
 */
#ifndef DEADLINED_INBOX_MAILDIR_IN_H
#define DEADLINED_INBOX_MAILDIR_IN_H

#include <stddef.h>

/* 0: recorded, move it to cur/; -1: leave it in new/ for later. */
typedef int (*maildir_in_cb)(const char *raw, size_t len, const char *name, void *arg);

struct maildir_in;

/* Opens (and creates, mode 0700, if missing) the Maildir; NULL and why in err. */
struct maildir_in *maildir_in_open(const char *path, double rescan, size_t max_bytes,
                                   maildir_in_cb cb, void *arg, char *err, size_t errlen);
/* Hands over every file in new/ now; returns how many were recorded. */
int maildir_in_scan(struct maildir_in *m);
void maildir_in_close(struct maildir_in *m);

#endif
