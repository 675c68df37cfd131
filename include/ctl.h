/*
 * ctl — the control socket: the daemon's side (ctl_listen) and the
 * client's (ctl_request). See ctlproto.h for the protocol.
 */
#ifndef DEADLINED_CTL_H
#define DEADLINED_CTL_H

#include "buf.h"

#include <stdbool.h>

struct ctl;

/* Answers one request: appends the reply ("ok\n…" or "error: …\n") to reply. */
typedef void (*ctl_handler)(const char *request, struct buf *reply, void *arg);

/*
 * Listens on path (a stale socket is replaced; a live one means another
 * daemon runs: -1). Requests are handled in the loop thread.
 */
struct ctl *ctl_listen(const char *path, ctl_handler handler, void *arg);
void ctl_close(struct ctl *c);

/* Sends a request and reads the reply. -1 with errno when the daemon is unreachable. */
int ctl_request(const char *path, const char *request, struct buf *reply);

#endif
