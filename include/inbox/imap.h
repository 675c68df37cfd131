/*
 * imap — an IMAP mailbox read through libcurl, the only module that
 * includes curl.h. A worker thread polls every `interval` seconds: it asks
 * the mailbox's UIDVALIDITY (a new one means the UIDs start again), lists
 * the UIDs above the last one handed over, fetches those messages one by
 * one (keeping at most max_bytes + 1 bytes of each: a longer one is then
 * refused by its size) and passes them to the loop through an async. The
 * loop records each and only then calls imap_done(), after which the
 * worker sets \Seen on it; the loop keeps the cursor (UIDVALIDITY and the
 * last UID) in the store. If recording fails, imap_rewind() makes the
 * worker fetch again from there.
 *
 * libcurl has no IMAP IDLE (the patch proposing it, curl/curl#295, was
 * closed unmerged), so new mail waits for the next poll; imap_poll() polls
 * at once. TLS is verified (the system CAs or ca_file); imap:// without TLS
 * is for a loopback server only (the config refuses anything else).
 */
#ifndef DEADLINED_INBOX_IMAP_H
#define DEADLINED_INBOX_IMAP_H

#include "loop.h"

#include <stddef.h>
#include <stdint.h>

struct imap_settings {
	const char *url; /* imaps://host[:port]/MAILBOX (INBOX when none) */
	const char *user, *password, *ca_file;
	int interval;     /* seconds */
	size_t max_bytes; /* of one message */
};

struct imap_msg {
	uint32_t uidvalidity, uid;
	char *raw;
	size_t len;
};

struct imap;

/* Starts the worker after (uidvalidity, last_uid); wake is sent when there is news. */
struct imap *imap_start(const struct imap_settings *s, uint32_t uidvalidity, uint32_t last_uid,
                        struct loop_async *wake);
/* The messages fetched so far (malloc'ed, free each raw), and the worker's last
 * error ("" when the last poll went well) in status. */
size_t imap_take(struct imap *im, struct imap_msg **out, char *status, size_t len);
/* The message is recorded: mark it \Seen at the next poll. */
void imap_done(struct imap *im, uint32_t uid);
/* Recording failed: fetch again everything after last_uid. */
void imap_rewind(struct imap *im, uint32_t uidvalidity, uint32_t last_uid);
void imap_poll(struct imap *im);
/* Stops and joins the worker; messages not taken are dropped (fetched again next time). */
void imap_stop(struct imap *im);

#endif
