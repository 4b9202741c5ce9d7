// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --metrics ADDR (see metrics_http.h): the address grammar, the listening
 * socket (bound here so that every failure is one clear line before tracing
 * starts), and the libmicrohttpd daemon that serves the snapshot. The daemon
 * runs its own polling thread with every signal blocked; the tracer thread
 * only ever swaps the snapshot it serves.
 *
 * libmicrohttpd is loaded (dlopen) only when --metrics is given: linked,
 * it and its TLS stack (gnutls, nettle, p11-kit, tasn1, ...: 10 shared
 * objects, and gnutls's constructor parsing its ASN.1 tables) cost every
 * start ~2 ms before main() and ~1 MiB, though most runs serve no HTTP.
 *
 * A static build (make STATIC=1) has no libmicrohttpd: Debian ships its TLS
 * dependency's own dependencies (p11-kit) as shared libraries only. There
 * --metrics says so and --metrics-file still works.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

#include "log.h"
#include "metrics_http.h"

static int parse_port(const char *s, unsigned *port)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= 65535; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s || *p || v > 65535)
		return -EINVAL;
	*port = (unsigned)v;
	return 0;
}

int metrics_parse_addr(const char *arg, struct metrics_addr *a, const char **why)
{
	const char *colon = strrchr(arg, ':'), *portstr = arg;
	char host[64] = "";
	unsigned port;

	memset(a, 0, sizeof(*a));
	*why = NULL;
	if (colon) {
		size_t n = (size_t)(colon - arg);

		if (n >= sizeof(host)) {
			*why = "the host part is too long";
			return -EINVAL;
		}
		memcpy(host, arg, n);
		host[n] = '\0';
		portstr = colon + 1;
	}
	if (parse_port(portstr, &port)) {
		*why = "the port must be a number from 0 to 65535 (0: any free port)";
		return -EINVAL;
	}
	a->any_port = port == 0;
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->sa;
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']') {
			*why = "an IPv6 address goes in brackets: [::1]:9464";
			return -EINVAL;
		}
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) {
			*why = "not a numeric IPv6 address";
			return -EINVAL;
		}
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		a->len = sizeof(*s6);
		a->loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
		snprintf(a->text, sizeof(a->text), "[%s]:%u", host + 1, port);
		return 0;
	}
	{
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->sa;
		const char *h = host[0] && strcmp(host, "localhost") ? host : "127.0.0.1";

		if (strchr(host, ':')) {
			*why = "an IPv6 address goes in brackets: [::1]:9464";
			return -EINVAL;
		}
		/* inet_pton, not inet_aton: only dotted quads, no "1" or "0x7f.1" shorthand */
		if (inet_pton(AF_INET, h, &s4->sin_addr) != 1) {
			*why = "give a numeric address (127.0.0.1, 0.0.0.0 for every interface) or "
			       "localhost: names are not resolved";
			return -EINVAL;
		}
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		a->len = sizeof(*s4);
		a->loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
		snprintf(a->text, sizeof(a->text), "%s:%u", h, port);
	}
	return 0;
}

#ifdef HAVE_MICROHTTPD

/* The bound port into a->text (port 0 asked for any). */
static void note_port(int fd, struct metrics_addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned port;
	char *colon;

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return;
	port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
					: ntohs(((struct sockaddr_in *)&ss)->sin_port);
	colon = strrchr(a->text, ':');
	if (colon)
		snprintf(colon + 1, sizeof(a->text) - (size_t)(colon + 1 - a->text), "%u", port);
}

static int listen_on(struct metrics_addr *a)
{
	int fd, one = 1, err;

	fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		hs_err("cannot serve --metrics on %s: %s", a->text, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a->sa, a->len) || listen(fd, METRICS_HTTP_CONNS)) {
		err = errno;
		if (err == EADDRINUSE)
			hs_err("cannot serve --metrics on %s: the port is in use (another exporter "
			       "or hooksnoop?); pick another port",
			       a->text);
		else if (err == EADDRNOTAVAIL)
			hs_err("cannot serve --metrics on %s: no interface of this host has that "
			       "address",
			       a->text);
		else
			hs_err("cannot serve --metrics on %s: %s", a->text, strerror(err));
		close(fd);
		return -1;
	}
	note_port(fd, a);
	return fd;
}

struct metrics_http {
	struct MHD_Daemon *d;
	struct metrics_pub *pub;
	bool verbose;
};

/* The libmicrohttpd functions used, from dlopen (their own prototypes). */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *from_buffer;
	__typeof__(MHD_create_response_from_buffer_with_free_callback_cls) *from_buffer_free;
	__typeof__(MHD_add_response_header) *add_header;
	__typeof__(MHD_queue_response) *queue;
	__typeof__(MHD_destroy_response) *destroy;
} mhd;

#define MHD_SONAME "libmicrohttpd.so.12"

/* Load libmicrohttpd once; NULL, or dlerror()'s reason. */
static const char *mhd_load(void)
{
	static void *lib;
	const char *why;

	if (lib)
		return NULL;
	lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return (why = dlerror()) ? why : "cannot load " MHD_SONAME;
#define MHD_SYM(f, name)                                                                           \
	if (!(*(void **)&mhd.f = dlsym(lib, name)))                                                  \
		goto missing;
	MHD_SYM(start_daemon, "MHD_start_daemon");
	MHD_SYM(stop_daemon, "MHD_stop_daemon");
	MHD_SYM(from_buffer, "MHD_create_response_from_buffer");
	MHD_SYM(from_buffer_free, "MHD_create_response_from_buffer_with_free_callback_cls");
	MHD_SYM(add_header, "MHD_add_response_header");
	MHD_SYM(queue, "MHD_queue_response");
	MHD_SYM(destroy, "MHD_destroy_response");
#undef MHD_SYM
	return NULL;
missing:
	why = dlerror();
	dlclose(lib);
	lib = NULL;
	return why ? why : MHD_SONAME " lacks a function hooksnoop uses";
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct metrics_http *h = cls;

	if (!h->verbose)
		return;
	fputs("hooksnoop: debug: metrics http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void put_snap(void *cls)
{
	snap_put(cls);
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text)
{
	struct MHD_Response *r = mhd.from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd.add_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd.queue(c, code, r);
	mhd.destroy(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **req)
{
	struct metrics_http *h = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct snap *s;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!strcmp(url, "/"))
		return reply_text(c, MHD_HTTP_OK, "hooksnoop: metrics at /metrics\n");
	if (strcmp(url, "/metrics"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: metrics are at /metrics\n");
	s = metrics_pub_get(h->pub);
	if (!s)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no metrics yet\n");
	r = mhd.from_buffer_free(s->len, s->text, put_snap, s);
	if (!r) {
		snap_put(s);
		return MHD_NO;
	}
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	ret = mhd.queue(c, MHD_HTTP_OK, r);
	mhd.destroy(r); /* the snapshot goes back when the reply is sent or dropped */
	return ret;
}

struct metrics_http *metrics_http_start(struct metrics_addr *a, struct metrics_pub *pub,
					bool verbose)
{
	struct metrics_http *h;
	const char *why = mhd_load();
	sigset_t all, old;
	int fd;

	if (why) {
		hs_err("--metrics %s: cannot load the HTTP server library (%s): install "
		       "libmicrohttpd12, or use --metrics-file",
		       a->text, why);
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		hs_err("out of memory");
		return NULL;
	}
	h->pub = pub;
	h->verbose = verbose;
	fd = listen_on(a);
	if (fd < 0) {
		free(h);
		return NULL;
	}
	/* signals (Ctrl-C, SIGTERM) stay with the tracer thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	h->d = mhd.start_daemon(
		MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, h,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_HTTP_CONNS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)METRICS_HTTP_CONNS_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_HTTP_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)METRICS_HTTP_CONN_MEMORY,
		MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!h->d) {
		hs_err("cannot serve --metrics on %s: the HTTP server did not start", a->text);
		close(fd);
		free(h);
		return NULL;
	}
	return h;
}

void metrics_http_stop(struct metrics_http *h)
{
	if (!h)
		return;
	mhd.stop_daemon(h->d); /* closes the listening socket too */
	free(h);
}

#else /* !HAVE_MICROHTTPD */

struct metrics_http {
	int unused;
};

struct metrics_http *metrics_http_start(struct metrics_addr *a, struct metrics_pub *pub,
					bool verbose)
{
	hs_err("--metrics %s: this hooksnoop was built without libmicrohttpd (a static build); "
	       "use --metrics-file, or a dynamically linked hooksnoop",
	       a->text);
	return NULL;
}

void metrics_http_stop(struct metrics_http *h)
{
}

#endif
