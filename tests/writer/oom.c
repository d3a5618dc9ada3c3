/*
 * oom.c - the writers when memory runs out.
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup, so every allocation of feeds/ (a static library) goes
 * through here, and jansson's through json_set_alloc_funcs.  For each
 * format and each n, the n-th allocation fails: the writer must return
 * -ENOMEM and leave its out-parameters alone, or succeed with exactly
 * the document it writes when nothing fails (a failure it recovered
 * from, never one it lost).  Run it under valgrind or ASan for leaks.
 * libxml2's own allocations are not covered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "writer.h"

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
char *__real_strdup(const char *);
void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);
char *__wrap_strdup(const char *);

static long countdown = -1;	/* allocations until one fails; -1: none */
static long calls;

static int
fail_now(void)
{
	calls++;
	if (countdown < 0)
		return 0;
	return countdown-- == 0;
}

void *
__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static void *
json_alloc(size_t n)
{
	return __wrap_malloc(n);
}

typedef int (*writer_fn)(const struct writer_meta *,
    const struct writer_entry *, size_t, char **, size_t *);

int
main(void)
{
	static char *cats[] = { "one", "two & three" };
	static struct feed_enclosure encs[] = {
		{ "https://cdn.example/a.mp3", "audio/mpeg", 1000 },
		{ "https://cdn.example/b", NULL, -1 },
	};
	static const struct {
		const char *name;
		writer_fn fn;
	} formats[] = {
		{ "atom", writer_atom },
		{ "rss", writer_rss },
		{ "jsonfeed", writer_jsonfeed },
	};
	struct feed_item it = {
		.url = "https://example.org/p",
		.author = "Ann",
		.published = 1714550000,
		.updated = FEED_TIME_UNKNOWN,
		.categories = cats,
		.ncategories = 2,
		.summary_html = "<p>The <b>summary</b> &amp; more</p>",
		.content_text = "Only text\non two lines",
		.enclosures = encs,
		.nenclosures = 2,
	};
	struct writer_entry entries[] = {
		{ &it, { "news", "News <Feed>", NULL, NULL,
		  "https://news.example/feed.xml" }, 1714557000 },
		{ &it, { NULL, NULL, NULL, NULL, NULL }, FEED_TIME_UNKNOWN },
	};
	struct writer_meta meta = {
		"Merged", "https://example.net/merged", NULL, NULL,
		FEED_TIME_UNKNOWN, "1.0",
	};
	char sentinel[] = "untouched", *ref, *buf;
	size_t f, ref_len, len, failures;
	long n;
	int r, bad = 0;

	json_set_alloc_funcs(json_alloc, free);
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		if (formats[f].fn(&meta, entries, 2, &ref, &ref_len) != 0) {
			printf("%s: fails without a failure\n", formats[f].name);
			return 1;
		}
		failures = 0;
		for (n = 0;; n++) {
			buf = sentinel;
			len = 12345;
			calls = 0;
			countdown = n;
			r = formats[f].fn(&meta, entries, 2, &buf, &len);
			countdown = -1;
			if (r == 0) {
				if (len != ref_len || memcmp(buf, ref, len) != 0) {
					printf("%s: allocation %ld failed, and "
					    "the document lacks something\n",
					    formats[f].name, n + 1);
					bad = 1;
				}
				free(buf);
				if (calls <= n)
					break;	/* nothing failed: done */
				continue;
			}
			failures++;
			if (r != -ENOMEM || buf != sentinel || len != 12345) {
				printf("%s: allocation %ld failed: returned %d, "
				    "out-parameters %s\n", formats[f].name,
				    n + 1, r, buf != sentinel || len != 12345 ?
				    "written" : "untouched");
				bad = 1;
			}
		}
		free(ref);
		printf("%s: %ld allocations, %zu failures reported\n",
		    formats[f].name, n, failures);
	}
	return bad;
}
