/* svc — see svc.h. */
#include "svc.h"

#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

void svc_ready(void)
{
	sd_notify(0, "READY=1");
}

void svc_status(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", msg);
}

void svc_reloading(void)
{
	struct timespec ts;

	/* Newer systemd wants the monotonic time with RELOADING=1; older ignores it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	           (unsigned long long)ts.tv_sec * 1000000ULL +
	               (unsigned long long)ts.tv_nsec / 1000);
}

void svc_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

uint64_t svc_watchdog_usec(void)
{
	uint64_t usec = 0;

	return sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
}

void svc_watchdog_ping(void)
{
	sd_notify(0, "WATCHDOG=1");
}
