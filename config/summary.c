/*
 * summary.c - the effective configuration as INI text, for
 * feedspool check.  Secrets stay out: header values are hidden and a
 * proxy's password is masked, so that the output can go into a bug
 * report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void
kv(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%-15s =%s%s\n", key, value[0] != '\0' ? " " : "", value);
}

static void
kv_duration(FILE *f, const char *key, uint64_t seconds)
{
	char buf[32];

	if (cfg_format_duration(seconds, buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	kv(f, key, buf);
}

static void
kv_uint(FILE *f, const char *key, unsigned long long n)
{
	fprintf(f, "%-15s = %llu\n", key, n);
}

static void
kv_path(FILE *f, const char *key, const struct cfg_path *p)
{
	if (p->path != NULL)
		kv(f, key, p->path);
	else
		fprintf(f, "; %s: not written\n", key);
}

/* Returns 0 or -ENOMEM. */
static int
print_settings(FILE *f, const struct cfg_settings *s)
{
	static const char *const updates[] = { "ignore", "spool" };
	char buf[32], *masked;
	size_t i, n;

	kv_duration(f, "interval", s->interval);
	kv_duration(f, "timeout", s->timeout);
	kv_duration(f, "connect_timeout", s->connect_timeout);
	if (cfg_format_size(s->max_size, buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	kv(f, "max_size", buf);
	kv_uint(f, "per_host", s->per_host);
	kv(f, "user_agent", s->user_agent);
	if (s->proxy == NULL) {
		fprintf(f, "; proxy: not set (the *_proxy environment "
		    "variables apply)\n");
	} else {
		if (cfg_proxy_masked(s->proxy, &masked) < 0)
			return -ENOMEM;
		kv(f, "proxy", masked);
		free(masked);
	}
	for (i = 0; i < s->nheaders; i++) {
		n = strcspn(s->headers[i], ":");
		if (s->headers[i][n + 1] == '\0')
			fprintf(f, "%-15s = %s\n", "header", s->headers[i]);
		else
			fprintf(f, "%-15s = %.*s: (hidden)\n", "header",
			    (int)n, s->headers[i]);
	}
	kv(f, "enabled", s->enabled ? "yes" : "no");
	kv(f, "updates", updates[s->updates]);
	return 0;
}

int
cfg_print_summary(const struct cfg *cfg, FILE *f)
{
	static const char *const levels[] = { "error", "warning", "info",
		"debug" };
	const struct cfg_feed *feed;
	size_t i, enabled = 0;

	for (i = 0; i < cfg->nfeeds; i++)
		if (cfg->feeds[i].settings.enabled)
			enabled++;
	fprintf(f, "; read from %s\n", cfg->files[0]);
	for (i = 1; i < cfg->nfiles; i++)
		fprintf(f, "; and %s\n", cfg->files[i]);
	fprintf(f, "; %zu feed%s, %zu enabled\n\n", cfg->nfeeds,
	    cfg->nfeeds == 1 ? "" : "s", enabled);

	fprintf(f, "[feedspool]\n");
	kv_path(f, "state_dir", &cfg->state_dir);
	kv_path(f, "spool_dir", &cfg->spool_dir);
	kv_path(f, "output", &cfg->output);
	kv_path(f, "output_rss", &cfg->output_rss);
	kv_path(f, "output_json", &cfg->output_json);
	kv_uint(f, "output_items", cfg->output_items);
	kv(f, "output_title", cfg->output_title);
	if (cfg->output_url != NULL)
		kv(f, "output_url", cfg->output_url);
	kv_uint(f, "keep_days", cfg->keep_days);
	kv(f, "log_level", levels[cfg->log_level]);
	kv(f, "fsync", cfg->fsync ? "yes" : "no");
	kv_uint(f, "concurrency", cfg->concurrency);
	kv_duration(f, "min_interval", cfg->min_interval);
	kv_duration(f, "max_backoff", cfg->max_backoff);
	kv_duration(f, "per_host_delay", cfg->per_host_delay);
	fprintf(f, "; for every feed that does not say otherwise:\n");
	if (print_settings(f, &cfg->defaults) < 0)
		return -ENOMEM;

	for (i = 0; i < cfg->nfeeds; i++) {
		feed = &cfg->feeds[i];
		fprintf(f, "\n[feed.%s]\n; %s:%d\n", feed->name,
		    feed->loc.file, feed->loc.line);
		kv(f, "url", feed->url);
		if (feed->title != NULL)
			kv(f, "title", feed->title);
		if (feed->category != NULL)
			kv(f, "category", feed->category);
		if (print_settings(f, &feed->settings) < 0)
			return -ENOMEM;
	}
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}
