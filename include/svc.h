/*
 * svc — life as a systemd service: readiness, status, reload and stop
 * notifications and the watchdog, via sd_notify(3). Outside systemd every
 * call is a harmless no-op.
 */
#ifndef DEADLINED_SVC_H
#define DEADLINED_SVC_H

#include <stdint.h>

void svc_ready(void);
void svc_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void svc_reloading(void); /* follow with svc_ready() */
void svc_stopping(void);
/* The watchdog interval in microseconds when systemd wants pings, else 0. */
uint64_t svc_watchdog_usec(void);
void svc_watchdog_ping(void);

#endif
