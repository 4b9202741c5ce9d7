/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * systemd's readiness protocol (sd_notify(3)), without libsystemd: the unit
 * is Type=notify, so `systemctl start hooksnoop` returns, and units ordered
 * after it start, only once the programs are attached.
 */
#ifndef HS_SDNOTIFY_H
#define HS_SDNOTIFY_H

/*
 * Take $NOTIFY_SOCKET out of the environment (a CI-mode CMD must not
 * inherit it and speak for us); call before anything is spawned.
 */
void sdnotify_init(void);
/* Send "READY=1" to the socket taken by sdnotify_init(), if any; once. */
void sdnotify_ready(void);

#endif
