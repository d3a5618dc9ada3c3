/*
 * notify.c - sd_notify() wrappers.
 */
#include <stdarg.h>
#include <stdio.h>

#include "notify.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

void
notify_ready(void)
{
	sd_notify(0, "READY=1");
}

void
notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

void
notify_reloading(void)
{
	sd_notify(0, "RELOADING=1");
}

void
notify_status(const char *fmt, ...)
{
	char status[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(status, sizeof(status), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", status);
}

void
notify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

uint64_t
notify_watchdog_ms(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec / 1000;
}

#else

void notify_ready(void) {}
void notify_stopping(void) {}
void notify_reloading(void) {}
void notify_status(const char *fmt, ...) { (void)fmt; }
void notify_watchdog(void) {}
uint64_t notify_watchdog_ms(void) { return 0; }

#endif
