// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Readiness for systemd (see sdnotify.h): one datagram to the unix socket
 * systemd names in $NOTIFY_SOCKET (a path, or "@name" in the abstract
 * namespace). Nothing to do, and nothing said, when it is unset or invalid:
 * hooksnoop run by hand never sees it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"

static struct sockaddr_un notify_sa;
static socklen_t notify_len;

void sdnotify_init(void)
{
	const char *p = getenv("NOTIFY_SOCKET");
	size_t n = p ? strlen(p) : 0;

	if (n >= 2 && n < sizeof(notify_sa.sun_path) && (p[0] == '/' || p[0] == '@')) {
		notify_sa.sun_family = AF_UNIX;
		memcpy(notify_sa.sun_path, p, n);
		if (p[0] == '@')
			notify_sa.sun_path[0] = '\0';
		notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	unsetenv("NOTIFY_SOCKET");
}

void sdnotify_ready(void)
{
	static const char msg[] = "READY=1";
	int fd;

	if (!notify_len)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL,
			     (struct sockaddr *)&notify_sa, notify_len) < 0)
		hs_dbg("cannot notify systemd of readiness: %m");
	if (fd >= 0)
		close(fd);
	notify_len = 0;
}
