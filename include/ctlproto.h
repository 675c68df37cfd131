/*
 * ctlproto — the control protocol shared by deadlinectl and the daemon.
 *
 * The daemon listens on an AF_UNIX stream socket (mode 0660). A client
 * connects, writes one request line and reads the reply until the daemon
 * closes the connection. The reply's first line is "ok" or "error: WHY";
 * the lines after it are "key: value" pairs (status) or messages.
 */
#ifndef DEADLINED_CTLPROTO_H
#define DEADLINED_CTLPROTO_H

#define CTL_MAX_REQUEST 256
#define CTL_TIMEOUT_MS  10000

#define CTL_STATUS     "status"     /* next wake-up, queue, last result, counts */
#define CTL_RELOAD     "reload"     /* reread the config; the old stays on error */
#define CTL_RESCHEDULE "reschedule" /* the store changed: look again */
#define CTL_SEND_NOW   "send-now"   /* send what is due and retry the queue now */

#endif
