/*
 * fetch.c - libcurl's multi-socket interface on libuv.
 *
 * The glue follows curl's docs/examples/multi-uv.c: curl tells us which
 * sockets to watch (cb_socket) and when to time out (cb_timer); libuv
 * tells us when a socket is ready (on_poll) or the timer fires
 * (on_timeout), and we hand that back to curl_multi_socket_action().
 * What the example leaves out is here too: every init is checked, poll
 * errors are passed on as CURL_CSELECT_ERR, we never call into curl from
 * a curl callback (a zero timeout is a zero-delay uv timer), and
 * curl_multi_info_read() is drained after each socket_action.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "fetch.h"

struct fetcher {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	struct fetch *active;	/* doubly linked list of transfers */
	size_t nactive;
	int pending_closes;	/* uv handles not yet released */
	bool closing;
	void (*closed)(void *arg);
	void *closed_arg;
};

/* A socket curl asked us to watch; freed in its close callback. */
struct sock_ctx {
	uv_poll_t poll;
	curl_socket_t fd;
	struct fetcher *fetcher;
};

struct fetch {
	struct fetcher *fetcher;
	struct fetch *prev, *next;
	CURL *easy;
	struct curl_slist *headers;
	fetch_done_fn done;
	void *arg;
	size_t max_size;

	char *body;
	size_t body_len, body_cap;
	bool too_big;

	/* Headers of the latest response; earlier ones in a redirect chain
	 * are dropped as a new status line arrives. */
	char *etag;
	char *last_modified;
	char *content_type;
	char *charset;
	int64_t max_age_s;
	long cur_status;
	bool permanent_ok;
	char *permanent_url;
	char error[CURL_ERROR_SIZE];
};

static void
fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	if (f->easy != NULL)
		curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->headers);
	free(f->body);
	free(f->etag);
	free(f->last_modified);
	free(f->content_type);
	free(f->charset);
	free(f->permanent_url);
	free(f);
}

const char *
fetch_outcome_name(enum fetch_outcome outcome)
{
	switch (outcome) {
	case FETCH_OK: return "ok";
	case FETCH_TOO_BIG: return "too big";
	case FETCH_TIMEOUT: return "timeout";
	case FETCH_DNS: return "dns";
	case FETCH_CONNECT: return "connect";
	case FETCH_TLS: return "tls";
	case FETCH_REDIRECT: return "redirect";
	case FETCH_PROTOCOL: return "protocol";
	case FETCH_NOMEM: return "out of memory";
	case FETCH_OTHER: return "error";
	}
	return "error";
}

static enum fetch_outcome
outcome_from(CURLcode code, bool too_big, long redirects)
{
	switch (code) {
	case CURLE_OK:
		return FETCH_OK;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		return too_big || code == CURLE_FILESIZE_EXCEEDED ?
		    FETCH_TOO_BIG : FETCH_OTHER;
	case CURLE_OPERATION_TIMEDOUT:
		return FETCH_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return FETCH_DNS;
	case CURLE_COULDNT_CONNECT:
		return FETCH_CONNECT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return FETCH_TLS;
	case CURLE_TOO_MANY_REDIRECTS:
		return FETCH_REDIRECT;
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* A redirect to a scheme we refuse, or an answer that is
		 * not HTTP as we speak it (a garbage status line, HTTP/0.9). */
		return redirects > 0 ? FETCH_REDIRECT : FETCH_PROTOCOL;
	case CURLE_OUT_OF_MEMORY:
		return FETCH_NOMEM;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP3:
		return FETCH_PROTOCOL;
	default:
		return FETCH_OTHER;
	}
}

/* Body bytes, already decompressed: the cap holds for gzip bombs too. */
static size_t
cb_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct fetch *f = userdata;
	size_t n = size * nmemb, cap;
	char *p;

	if (n > f->max_size || f->body_len > f->max_size - n) {
		f->too_big = true;
		return 0;	/* CURLE_WRITE_ERROR ends the transfer */
	}
	if (f->body_len + n + 1 > f->body_cap) {
		cap = f->body_cap ? f->body_cap : 64 * 1024;
		while (cap < f->body_len + n + 1)
			cap *= 2;
		if (cap > f->max_size + 1)
			cap = f->max_size + 1;
		p = realloc(f->body, cap);
		if (p == NULL)
			return 0;
		f->body = p;
		f->body_cap = cap;
	}
	memcpy(f->body + f->body_len, ptr, n);
	f->body_len += n;
	f->body[f->body_len] = '\0';
	return n;
}

/* A header value without surrounding white space, or NULL. */
static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *v, *end;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 ||
	    line[nlen] != ':')
		return NULL;
	v = line + nlen + 1;
	end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return strndup(v, (size_t)(end - v));
}

static void
replace(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

/* charset=... from a Content-Type value, unquoted, or NULL. */
static char *
content_type_charset(const char *ct)
{
	const char *p = ct;
	size_t n;

	/* The charset parameter itself, not "xcharset=" or a value. */
	for (;;) {
		p = strchr(p, ';');
		if (p == NULL)
			return NULL;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) == 0)
			break;
	}
	p += 8;
	if (*p == '"' || *p == '\'')
		p++;
	n = strcspn(p, "\"'; \t");
	return n > 0 && n < 64 ? strndup(p, n) : NULL;
}

static int64_t
cache_max_age(const char *cc)
{
	const char *p = strcasestr(cc, "max-age=");
	long long v;
	char *end;

	if (p == NULL)
		return -1;
	errno = 0;
	v = strtoll(p + 8, &end, 10);
	if (errno != 0 || end == p + 8 || v < 0)
		return -1;
	return v;
}

/*
 * Header lines of every response in a redirect chain.  A status line
 * starts a new response: then we know whether the previous hop was a
 * permanent redirect, and where it led.
 */
static size_t
cb_header(char *line, size_t size, size_t nmemb, void *userdata)
{
	struct fetch *f = userdata;
	size_t len = size * nmemb;
	char *v;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', len);
		long status = sp ? strtol(sp + 1, NULL, 10) : 0;

		if (status >= 100 && status < 200)
			return len;	/* 100 Continue and friends */
		if (f->cur_status >= 300 && f->cur_status < 400) {
			if ((f->cur_status == 301 || f->cur_status == 308) &&
			    f->permanent_ok) {
				char *url = NULL;

				curl_easy_getinfo(f->easy,
				    CURLINFO_EFFECTIVE_URL, &url);
				if (url != NULL)
					replace(&f->permanent_url,
					    strdup(url));
			} else
				f->permanent_ok = false;
		}
		f->cur_status = status;
		replace(&f->etag, NULL);
		replace(&f->last_modified, NULL);
		replace(&f->content_type, NULL);
		replace(&f->charset, NULL);
		f->max_age_s = -1;
		return len;
	}
	if ((v = header_value(line, len, "ETag")) != NULL)
		replace(&f->etag, v);
	else if ((v = header_value(line, len, "Last-Modified")) != NULL)
		replace(&f->last_modified, v);
	else if ((v = header_value(line, len, "Content-Type")) != NULL) {
		replace(&f->charset, content_type_charset(v));
		replace(&f->content_type, v);
	} else if ((v = header_value(line, len, "Cache-Control")) != NULL) {
		f->max_age_s = cache_max_age(v);
		free(v);
	}
	return len;
}

static void
finish(struct fetch *f, CURLcode code)
{
	struct fetcher *fetcher = f->fetcher;
	struct fetch_result res;
	curl_off_t retry_after = -1;
	char *effective = NULL;
	long status = 0, redirects = 0;
	double seconds = 0;

	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(f->easy, CURLINFO_EFFECTIVE_URL, &effective);
	curl_easy_getinfo(f->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	curl_easy_getinfo(f->easy, CURLINFO_TOTAL_TIME, &seconds);
	if (curl_easy_getinfo(f->easy, CURLINFO_RETRY_AFTER,
	    &retry_after) != CURLE_OK || retry_after <= 0)
		retry_after = -1;

	memset(&res, 0, sizeof(res));
	res.outcome = outcome_from(code, f->too_big, redirects);
	if (res.outcome == FETCH_TOO_BIG)
		snprintf(res.error, sizeof(res.error), "body larger than %zu "
		    "bytes", f->max_size);
	else if (code != CURLE_OK)
		snprintf(res.error, sizeof(res.error), "%s",
		    f->error[0] ? f->error : curl_easy_strerror(code));
	res.status = status;
	res.body = f->body ? f->body : "";
	res.body_len = f->body_len;
	res.etag = f->etag;
	res.last_modified = f->last_modified;
	res.content_type = f->content_type;
	res.charset = f->charset;
	res.effective_url = effective;
	res.permanent_url = f->permanent_url;
	res.retry_after_s = retry_after;
	res.max_age_s = f->max_age_s;
	res.redirects = redirects;
	res.seconds = seconds;

	/* Unlink first: the callback may start new transfers. */
	if (f->prev != NULL)
		f->prev->next = f->next;
	else
		fetcher->active = f->next;
	if (f->next != NULL)
		f->next->prev = f->prev;
	fetcher->nactive--;
	curl_multi_remove_handle(fetcher->multi, f->easy);

	f->done(&res, f->arg);
	fetch_free(f);
}

static void
check_multi_info(struct fetcher *fetcher)
{
	struct fetch *f;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(fetcher->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		f = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&f);
		if (f != NULL)
			finish(f, msg->data.result);
	}
}

static void
on_timeout(uv_timer_t *timer)
{
	struct fetcher *fetcher = timer->data;
	int running;

	if (fetcher->closing)
		return;
	curl_multi_socket_action(fetcher->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	check_multi_info(fetcher);
}

static void
on_poll(uv_poll_t *poll, int status, int events)
{
	struct sock_ctx *ctx = poll->data;
	struct fetcher *fetcher = ctx->fetcher;
	int flags = 0, running;

	if (fetcher->closing)
		return;		/* the multi handle is going away */
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(fetcher->multi, ctx->fd, flags, &running);
	check_multi_info(fetcher);
}

static void
maybe_closed(struct fetcher *fetcher)
{
	if (!fetcher->closing || fetcher->pending_closes > 0)
		return;
	if (fetcher->closed != NULL)
		fetcher->closed(fetcher->closed_arg);
	free(fetcher);
}

static void
on_sock_closed(uv_handle_t *handle)
{
	struct sock_ctx *ctx = handle->data;
	struct fetcher *fetcher = ctx->fetcher;

	free(ctx);
	fetcher->pending_closes--;
	maybe_closed(fetcher);
}

static int
cb_socket(CURL *easy, curl_socket_t s, int action, void *userp,
    void *socketp)
{
	struct fetcher *fetcher = userp;
	struct sock_ctx *ctx = socketp;
	int events = 0;

	switch (action) {
	case CURL_POLL_IN:
	case CURL_POLL_OUT:
	case CURL_POLL_INOUT:
		if (ctx == NULL) {
			ctx = calloc(1, sizeof(*ctx));
			if (ctx == NULL)
				return -1;
			ctx->fd = s;
			ctx->fetcher = fetcher;
			if (uv_poll_init_socket(fetcher->loop, &ctx->poll,
			    s) != 0) {
				free(ctx);
				return -1;
			}
			ctx->poll.data = ctx;
			fetcher->pending_closes++;
			curl_multi_assign(fetcher->multi, s, ctx);
		}
		if (action != CURL_POLL_OUT)
			events |= UV_READABLE;
		if (action != CURL_POLL_IN)
			events |= UV_WRITABLE;
		if (uv_poll_start(&ctx->poll, events, on_poll) != 0)
			return -1;
		break;
	case CURL_POLL_REMOVE:
		if (ctx != NULL) {
			uv_poll_stop(&ctx->poll);
			uv_close((uv_handle_t *)&ctx->poll, on_sock_closed);
			curl_multi_assign(fetcher->multi, s, NULL);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* Never socket_action from here: a zero timeout is a zero-delay timer. */
static int
cb_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetcher *fetcher = userp;

	if (fetcher->closing)
		return 0;	/* the timer now belongs to the teardown */
	if (timeout_ms < 0)
		return uv_timer_stop(&fetcher->timer) == 0 ? 0 : -1;
	return uv_timer_start(&fetcher->timer, on_timeout,
	    (uint64_t)timeout_ms, 0) == 0 ? 0 : -1;
}

int
fetcher_new(uv_loop_t *loop, long max_total, long max_per_host,
    struct fetcher **ret)
{
	struct fetcher *fetcher;
	int r;

	fetcher = calloc(1, sizeof(*fetcher));
	if (fetcher == NULL)
		return -ENOMEM;
	fetcher->loop = loop;
	fetcher->multi = curl_multi_init();
	if (fetcher->multi == NULL) {
		free(fetcher);
		return -ENOMEM;
	}
	r = uv_timer_init(loop, &fetcher->timer);
	if (r < 0) {
		curl_multi_cleanup(fetcher->multi);
		free(fetcher);
		return r;
	}
	fetcher->timer.data = fetcher;
	curl_multi_setopt(fetcher->multi, CURLMOPT_SOCKETFUNCTION, cb_socket);
	curl_multi_setopt(fetcher->multi, CURLMOPT_SOCKETDATA, fetcher);
	curl_multi_setopt(fetcher->multi, CURLMOPT_TIMERFUNCTION, cb_timer);
	curl_multi_setopt(fetcher->multi, CURLMOPT_TIMERDATA, fetcher);
	curl_multi_setopt(fetcher->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    max_total);
	curl_multi_setopt(fetcher->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    max_per_host);
	/* Reuse connections, and multiplex HTTP/2 streams to one host. */
	curl_multi_setopt(fetcher->multi, CURLMOPT_PIPELINING,
	    CURLPIPE_MULTIPLEX);
	*ret = fetcher;
	return 0;
}

size_t
fetcher_active(const struct fetcher *fetcher)
{
	return fetcher->nactive;
}

static int
add_header(struct fetch *f, const char *name, const char *value)
{
	struct curl_slist *l;
	char *line;

	if (asprintf(&line, "%s: %s", name, value) < 0)
		return -ENOMEM;
	l = curl_slist_append(f->headers, line);
	free(line);
	if (l == NULL)
		return -ENOMEM;
	f->headers = l;
	return 0;
}

#define SETOPT(opt, val) \
	do { if (curl_easy_setopt(f->easy, opt, val) != CURLE_OK) goto fail; \
	} while (0)

int
fetch_start(struct fetcher *fetcher, const struct fetch_request *req,
    fetch_done_fn done, void *arg)
{
	struct curl_slist *l;
	struct fetch *f;
	size_t i;

	if (fetcher->closing)
		return -ECANCELED;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->fetcher = fetcher;
	f->done = done;
	f->arg = arg;
	f->max_size = req->max_size;
	f->max_age_s = -1;
	f->permanent_ok = true;
	f->easy = curl_easy_init();
	if (f->easy == NULL)
		goto fail;

	/*
	 * Validators go out as raw headers with exactly the bytes the server
	 * sent.  CURLOPT_TIMECONDITION would make libcurl call a real 200
	 * with a new ETag and an old Last-Modified "condition not met".
	 */
	if (req->etag != NULL && add_header(f, "If-None-Match", req->etag) < 0)
		goto fail;
	if (req->last_modified != NULL &&
	    add_header(f, "If-Modified-Since", req->last_modified) < 0)
		goto fail;
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		l = curl_slist_append(f->headers, req->headers[i]);
		if (l == NULL)
			goto fail;
		f->headers = l;
	}

	SETOPT(CURLOPT_URL, req->url);
	SETOPT(CURLOPT_PRIVATE, f);
	SETOPT(CURLOPT_ERRORBUFFER, f->error);
	SETOPT(CURLOPT_WRITEFUNCTION, cb_write);
	SETOPT(CURLOPT_WRITEDATA, f);
	SETOPT(CURLOPT_HEADERFUNCTION, cb_header);
	SETOPT(CURLOPT_HEADERDATA, f);
	SETOPT(CURLOPT_HTTPHEADER, f->headers);
	SETOPT(CURLOPT_USERAGENT, req->user_agent);
	/* http and https only, first hop and after every redirect. */
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
	SETOPT(CURLOPT_MAXREDIRS, 5L);
	/* Every encoding this libcurl decodes (gzip, deflate, br, zstd). */
	SETOPT(CURLOPT_ACCEPT_ENCODING, "");
	SETOPT(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	SETOPT(CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	SETOPT(CURLOPT_TIMEOUT_MS, req->timeout_ms);
	/* A drip below 16 bytes/s for 30 s is a stalled transfer. */
	SETOPT(CURLOPT_LOW_SPEED_LIMIT, 16L);
	SETOPT(CURLOPT_LOW_SPEED_TIME, 30L);
	/* Refuse early when Content-Length already says too much. */
	SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_size);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->proxy != NULL)
		SETOPT(CURLOPT_PROXY, req->proxy);

	if (curl_multi_add_handle(fetcher->multi, f->easy) != CURLM_OK)
		goto fail;
	f->next = fetcher->active;
	if (fetcher->active != NULL)
		fetcher->active->prev = f;
	fetcher->active = f;
	fetcher->nactive++;
	return 0;

fail:
	fetch_free(f);
	return -ENOMEM;
}

static void
on_timer_closed(uv_handle_t *handle)
{
	struct fetcher *fetcher = handle->data;

	fetcher->pending_closes--;
	maybe_closed(fetcher);
}

/*
 * The teardown proper, from a timer callback: fetcher_close() may be
 * called from inside a transfer's callback, when curl_multi_info_read()
 * and friends are still on the stack and the multi handle must live.
 */
static void
on_close_now(uv_timer_t *timer)
{
	struct fetcher *fetcher = timer->data;
	struct fetch *f;

	/* Each cancelled transfer's callback runs, as promised. */
	while ((f = fetcher->active) != NULL) {
		snprintf(f->error, sizeof(f->error), "cancelled");
		finish(f, CURLE_ABORTED_BY_CALLBACK);
	}
	/* May call cb_socket with CURL_POLL_REMOVE for cached connections. */
	curl_multi_cleanup(fetcher->multi);
	fetcher->multi = NULL;
	uv_close((uv_handle_t *)&fetcher->timer, on_timer_closed);
}

void
fetcher_close(struct fetcher *fetcher, void (*closed)(void *arg), void *arg)
{
	if (fetcher->closing)
		return;
	fetcher->closing = true;
	fetcher->closed = closed;
	fetcher->closed_arg = arg;
	/* The timer counts as open until on_timer_closed: sockets closing
	 * meanwhile must not free the fetcher under on_close_now. */
	fetcher->pending_closes++;
	uv_timer_start(&fetcher->timer, on_close_now, 0, 0);
}
