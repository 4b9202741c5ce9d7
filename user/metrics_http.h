/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics ADDR: the HTTP side of the metrics, serving the published
 * snapshot (metrics_pub.h) at /metrics from libmicrohttpd's own thread.
 * The tracer thread never waits on it: a request takes a reference to the
 * current snapshot and nothing else. Connections are bounded in number,
 * memory and time, so a client that sends nothing, sends garbage or reads
 * slowly only ever holds its own connection slot, for at most the timeout.
 */
#ifndef HS_METRICS_HTTP_H
#define HS_METRICS_HTTP_H

#include <stdbool.h>
#include <sys/socket.h>

#include "metrics_pub.h"

/* Bounds on clients: a Prometheus server, a person with curl, and room for a few bad ones. */
#define METRICS_HTTP_CONNS 16
#define METRICS_HTTP_CONNS_PER_IP 8
#define METRICS_HTTP_TIMEOUT_S 5
#define METRICS_HTTP_CONN_MEMORY 16384

struct metrics_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	bool loopback; /* 127.0.0.0/8 or ::1 */
	bool any_port; /* port 0: the kernel picks one (said on stderr once bound) */
	char text[80]; /* as bound: "127.0.0.1:9464", "[::1]:9464" (the port filled in once bound) */
};

/*
 * Parse --metrics ADDR: PORT or :PORT (loopback, 127.0.0.1), HOST:PORT with
 * a numeric IPv4 address or `localhost`, [IPV6]:PORT. Port 0 asks the
 * kernel for a free one. A non-loopback address is used only when typed
 * as a number (0.0.0.0:9464, [::]:9464, 10.0.0.5:9464): never resolved from
 * a name. 0, or -EINVAL with the reason in *why.
 */
int metrics_parse_addr(const char *arg, struct metrics_addr *a, const char **why);

struct metrics_http;

/*
 * Bind and listen on a, then serve pub from a thread. NULL when it cannot
 * (one line said on stderr: the address in use, not on this host, this
 * build has no HTTP server...). a->text gets the port actually bound.
 */
struct metrics_http *metrics_http_start(struct metrics_addr *a, struct metrics_pub *pub,
					bool verbose);
void metrics_http_stop(struct metrics_http *h);

#endif
