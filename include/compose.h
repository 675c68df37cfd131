/*
 * compose — the RFC 5322 text of what the daemon sends: an agency's digest
 * and a notice to the admin, and their Message-IDs. Built with mime; no
 * I/O. The only randomness is in the Message-ID.
 */
#ifndef DEADLINED_COMPOSE_H
#define DEADLINED_COMPOSE_H

#include "buf.h"
#include "cfg.h"
#include "digest.h"

#include <stddef.h>
#include <time.h>

/* The domain of [mail] from, for Message-IDs and thread roots. */
const char *compose_domain(const struct cfg *c);

/* A new Message-ID without the brackets:
 * deadlined.20251208T010000.9f2c61d07a1b33e4@domain. Malloc'ed. */
char *compose_message_id(const struct cfg *c, time_t now);

/*
 * The Reply-To address of a message to `agency`: [mail] reply_to (else
 * from) and, when the inbox reads replies, +TOKEN in its local part (the
 * HMAC of msgid and agency; see inbox/token.h). Malloc'ed; NULL when none.
 */
char *compose_reply_address(const struct cfg *c, const char *msgid, const char *agency);

/* The message of a digest to `agency`; 0, or -1 with why in err (an unusable address). */
int compose_digest(const struct cfg *c, const struct digest_msg *d, const char *agency,
                   const char *msgid, time_t now, struct buf *out, char *err, size_t errlen);

/* Its envelope recipients, To then Cc, one per line. Malloc'ed. */
char *compose_envelope(const struct digest_msg *d);

/* A plain-text notice to [mail] admin; 0, or -1 with why in err. */
int compose_admin(const struct cfg *c, const char *subject, const char *text, const char *msgid,
                  time_t now, struct buf *out, char *err, size_t errlen);

#endif
