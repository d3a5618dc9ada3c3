/*
 * fetch.h - HTTP(S) transfers on the libuv loop through libcurl's
 * multi-socket interface.
 *
 * One struct fetcher per loop owns the multi handle, its timer and the
 * poll handles of curl's sockets.  Each transfer is a struct fetch that
 * the fetcher owns from fetch_start() until its callback returns; the
 * callback gets the result and must not keep pointers into it.
 */
#ifndef FEEDSPOOL_FETCH_H
#define FEEDSPOOL_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct fetcher;
struct fetch;

struct fetch_request {
	const char *url;
	const char *etag;		/* sent as If-None-Match, or NULL */
	const char *last_modified;	/* sent as If-Modified-Since, or NULL */
	const char *user_agent;
	const char *proxy;		/* NULL: libcurl's environment rules */
	char *const *headers;		/* "Name: value", NULL-terminated */
	long connect_timeout_ms;
	long timeout_ms;
	size_t max_size;		/* decompressed body cap, bytes */
};

enum fetch_outcome {
	FETCH_OK = 0,		/* an HTTP answer (any status) arrived whole */
	FETCH_TOO_BIG,		/* the body passed max_size */
	FETCH_TIMEOUT,
	FETCH_DNS,
	FETCH_CONNECT,
	FETCH_TLS,
	FETCH_REDIRECT,		/* too many, or to a scheme we refuse */
	FETCH_PROTOCOL,		/* the server broke HTTP */
	FETCH_NOMEM,
	FETCH_OTHER,
};

struct fetch_result {
	enum fetch_outcome outcome;
	char error[256];	/* libcurl's words, for the log */
	long status;		/* HTTP status, 0 without an answer */
	const char *body;	/* valid only during the callback */
	size_t body_len;
	const char *etag;	/* these too: copy what you keep */
	const char *last_modified;
	const char *content_type;
	const char *charset;	/* charset= of Content-Type, or NULL */
	const char *effective_url;
	/* The URL reached through 301/308 redirects only, or NULL. */
	const char *permanent_url;
	int64_t retry_after_s;	/* -1 when the server gave none */
	int64_t max_age_s;	/* Cache-Control max-age, -1 when none */
	long redirects;
	double seconds;
};

typedef void (*fetch_done_fn)(const struct fetch_result *result, void *arg);

/*
 * Creates the fetcher on loop.  max_total bounds open connections,
 * max_per_host those to one host.  Returns 0 or a negative errno.
 */
int fetcher_new(uv_loop_t *loop, long max_total, long max_per_host,
    struct fetcher **ret);

/*
 * Starts a transfer; done is called once, from the loop, when it ends (or
 * with FETCH_NOMEM if it could not start; then this returns the error and
 * done is not called).  Returns 0 or a negative errno.
 */
int fetch_start(struct fetcher *fetcher, const struct fetch_request *req,
    fetch_done_fn done, void *arg);

/* Transfers in flight. */
size_t fetcher_active(const struct fetcher *fetcher);

/*
 * Aborts every transfer (their callbacks run with FETCH_OTHER and
 * "cancelled"), closes every handle and frees the fetcher once libuv has
 * released them; closed(arg) runs then.  The loop must keep running.
 */
void fetcher_close(struct fetcher *fetcher, void (*closed)(void *arg),
    void *arg);

/* The outcome as a word for logs and status ("timeout", "dns"...). */
const char *fetch_outcome_name(enum fetch_outcome outcome);

#endif
