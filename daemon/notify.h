/*
 * notify.h - telling systemd how we are (Type=notify): READY=1, STATUS=,
 * STOPPING=1 and WATCHDOG=1.  Without libsystemd, or outside systemd,
 * every call does nothing.
 */
#ifndef FEEDSPOOL_NOTIFY_H
#define FEEDSPOOL_NOTIFY_H

#include <stdint.h>

void notify_ready(void);
void notify_stopping(void);
void notify_reloading(void);
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notify_watchdog(void);

/* The watchdog interval systemd asked for, in ms, or 0 when none. */
uint64_t notify_watchdog_ms(void);

#endif
