/*
 * intake — the inbox as a service of the daemon: runs the source [inbox]
 * names (a watched Maildir, or the IMAP worker), hands every message to
 * inbox_take() in the loop thread, lets the source forget a message only
 * once it is recorded (the Maildir moves it to cur/; for IMAP the cursor
 * goes into the store, then \Seen), logs what happened, and follows
 * reloads. The engine starts, reloads and stops it, and is told when the
 * store changed so that answers go out and reminders are looked at again.
 */
#ifndef DEADLINED_INBOX_INTAKE_H
#define DEADLINED_INBOX_INTAKE_H

#include "buf.h"
#include "cfg.h"
#include "dir.h"
#include "loop.h"
#include "store.h"

#include <time.h>

struct intake_env {
	struct store *st;
	const char *db_path;
	time_t (*now)(void); /* the daemon's clock */
	loop_cb changed;     /* called (once per batch) after a message changed the store */
	void *arg;
};

/*
 * With [inbox] on and no key file yet, makes the default one (0600) and
 * loads it into c. 0, or -1 with why in errors.
 */
int intake_prepare(struct cfg *c, struct buf *errors);

struct intake;

/* NULL when [inbox] is off (or its source cannot start: logged). */
struct intake *intake_start(const struct intake_env *env, const struct cfg *c, const struct dir *d);
/* The config after a reload: the source restarts if its settings changed. Returns the service. */
struct intake *intake_reload(struct intake *in, const struct intake_env *env, const struct cfg *c,
                             const struct dir *d);
void intake_stop(struct intake *in);
/* Lines for `deadlinectl status`. */
void intake_status(const struct intake *in, struct buf *out);

#endif
