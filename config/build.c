/*
 * build.c - the struct cfg from what was read: defaults filled in, a
 * feed's settings over the global ones, and cfg_free().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "loader.h"

#define DEFAULT_STATE_DIR "/var/lib/feedspool"
#define DEFAULT_OUTPUT_TITLE "feedspool"

/* A feed's value if it set one, else [feedspool]'s, else the default. */
static const struct value *
effective(const struct section *feed, const struct section *global,
    enum key_id id)
{
	if (feed != NULL && feed->v[id].loc.line != 0)
		return &feed->v[id];
	if (global->v[id].loc.line != 0)
		return &global->v[id];
	return NULL;
}

static uint64_t
effective_num(const struct section *feed, const struct section *global,
    enum key_id id)
{
	const struct value *v = effective(feed, global, id);

	return v != NULL ? v->num : cfg_keys[id].def;
}

/* *ret = a copy of s, or NULL when s is NULL.  Returns 0 or -ENOMEM. */
static int
dup_or_null(const char *s, char **ret)
{
	*ret = NULL;
	if (s != NULL && (*ret = strdup(s)) == NULL)
		return -ENOMEM;
	return 0;
}

static bool
has_header(const struct section *sec, const struct header *h)
{
	size_t i;

	for (i = 0; sec != NULL && i < sec->nheaders; i++)
		if (sec->headers[i].namelen == h->namelen &&
		    strncasecmp(sec->headers[i].line, h->line,
		    h->namelen) == 0)
			return true;
	return false;
}

/*
 * The settings of feed (NULL: the global defaults).  Headers merge by
 * name: a feed's header replaces a global one of the same name, the
 * others are kept.  Returns 0 or -ENOMEM; s is freed by the caller.
 */
static int
build_settings(const struct loader *ld, const struct section *feed,
    struct cfg_settings *s)
{
	const struct section *g = &ld->global;
	const struct value *v;
	const char *ua;
	size_t n, i;

	s->interval = effective_num(feed, g, K_INTERVAL);
	s->timeout = effective_num(feed, g, K_TIMEOUT);
	s->connect_timeout = effective_num(feed, g, K_CONNECT_TIMEOUT);
	s->max_size = effective_num(feed, g, K_MAX_SIZE);
	s->per_host = (unsigned)effective_num(feed, g, K_PER_HOST);
	s->enabled = effective_num(feed, g, K_ENABLED) != 0;
	s->updates = (enum cfg_updates)effective_num(feed, g, K_UPDATES);

	v = effective(feed, g, K_USER_AGENT);
	ua = v != NULL ? v->str : ld->defaults != NULL &&
	    ld->defaults->user_agent != NULL ? ld->defaults->user_agent :
	    "feedspool";
	if (dup_or_null(ua, &s->user_agent) < 0)
		return -ENOMEM;
	v = effective(feed, g, K_PROXY);
	if (dup_or_null(v != NULL ? v->str : NULL, &s->proxy) < 0)
		return -ENOMEM;

	n = g->nheaders + (feed != NULL ? feed->nheaders : 0);
	if (n == 0)
		return 0;
	s->headers = calloc(n, sizeof(*s->headers));
	if (s->headers == NULL)
		return -ENOMEM;
	for (i = 0; i < g->nheaders; i++) {
		if (has_header(feed, &g->headers[i]))
			continue;
		if ((s->headers[s->nheaders] = strdup(g->headers[i].line)) ==
		    NULL)
			return -ENOMEM;
		s->nheaders++;
	}
	for (i = 0; feed != NULL && i < feed->nheaders; i++) {
		if ((s->headers[s->nheaders] =
		    strdup(feed->headers[i].line)) == NULL)
			return -ENOMEM;
		s->nheaders++;
	}
	return 0;
}

static int
build_path(const struct section *g, enum key_id id, const char *def,
    struct cfg_path *p)
{
	const struct value *v = &g->v[id];

	if (v->loc.line != 0) {
		p->loc = v->loc;
		def = v->str;
	}
	return dup_or_null(def, &p->path);
}

/*
 * The struct cfg from what was read, which is free of errors.  The file
 * names move from the loader to the cfg, so every cfg_loc stays valid.
 * Returns 0 or -ENOMEM.
 */
int
cfg_build(struct loader *ld, struct cfg **ret)
{
	const struct section *g = &ld->global, *sec;
	struct cfg_feed *feed;
	struct cfg *cfg;
	size_t i;
	int r = -ENOMEM;

	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return -ENOMEM;
	cfg->loc = g->loc;
	if (build_path(g, K_STATE_DIR, DEFAULT_STATE_DIR, &cfg->state_dir) < 0)
		goto out;
	if (g->v[K_SPOOL_DIR].loc.line != 0) {
		if (build_path(g, K_SPOOL_DIR, NULL, &cfg->spool_dir) < 0)
			goto out;
	} else {
		/* Under the state directory, wherever that was set. */
		cfg->spool_dir.loc = cfg->state_dir.loc;
		if (cfg_path_join(cfg->state_dir.path, "spool",
		    &cfg->spool_dir.path) < 0)
			goto out;
	}
	if (build_path(g, K_OUTPUT, NULL, &cfg->output) < 0 ||
	    build_path(g, K_OUTPUT_RSS, NULL, &cfg->output_rss) < 0 ||
	    build_path(g, K_OUTPUT_JSON, NULL, &cfg->output_json) < 0)
		goto out;
	if (dup_or_null(g->v[K_OUTPUT_TITLE].loc.line != 0 ?
	    g->v[K_OUTPUT_TITLE].str : DEFAULT_OUTPUT_TITLE,
	    &cfg->output_title) < 0)
		goto out;
	if (dup_or_null(g->v[K_OUTPUT_URL].str, &cfg->output_url) < 0)
		goto out;
	cfg->output_items = (unsigned)effective_num(NULL, g, K_OUTPUT_ITEMS);
	cfg->keep_days = (unsigned)effective_num(NULL, g, K_KEEP_DAYS);
	cfg->log_level = (enum cfg_log_level)effective_num(NULL, g,
	    K_LOG_LEVEL);
	cfg->fsync = effective_num(NULL, g, K_FSYNC) != 0;
	cfg->concurrency = (unsigned)effective_num(NULL, g, K_CONCURRENCY);
	cfg->min_interval = effective_num(NULL, g, K_MIN_INTERVAL);
	cfg->max_backoff = effective_num(NULL, g, K_MAX_BACKOFF);
	cfg->per_host_delay = effective_num(NULL, g, K_PER_HOST_DELAY);
	if (build_settings(ld, NULL, &cfg->defaults) < 0)
		goto out;

	if (ld->nfeeds > 0) {
		cfg->feeds = calloc(ld->nfeeds, sizeof(*cfg->feeds));
		if (cfg->feeds == NULL)
			goto out;
		cfg->nfeeds = ld->nfeeds;
	}
	for (i = 0; i < ld->nfeeds; i++) {
		sec = &ld->feeds[i];
		feed = &cfg->feeds[i];
		feed->loc = sec->loc;
		if (dup_or_null(sec->name, &feed->name) < 0 ||
		    dup_or_null(sec->v[K_URL].str, &feed->url) < 0 ||
		    dup_or_null(sec->v[K_TITLE].str, &feed->title) < 0 ||
		    dup_or_null(sec->v[K_CATEGORY].str, &feed->category) < 0 ||
		    build_settings(ld, sec, &feed->settings) < 0)
			goto out;
	}

	cfg->files = ld->files;
	cfg->nfiles = ld->nfiles;
	ld->files = NULL;
	ld->nfiles = 0;
	*ret = cfg;
	cfg = NULL;
	r = 0;
out:
	cfg_free(cfg);
	return r;
}

static void
settings_free(struct cfg_settings *s)
{
	size_t i;

	free(s->user_agent);
	free(s->proxy);
	for (i = 0; i < s->nheaders; i++)
		free(s->headers[i]);
	free(s->headers);
}

void
cfg_free(struct cfg *cfg)
{
	struct cfg_feed *feed;
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nfeeds; i++) {
		feed = &cfg->feeds[i];
		free(feed->name);
		free(feed->url);
		free(feed->title);
		free(feed->category);
		settings_free(&feed->settings);
	}
	free(cfg->feeds);
	settings_free(&cfg->defaults);
	free(cfg->state_dir.path);
	free(cfg->spool_dir.path);
	free(cfg->output.path);
	free(cfg->output_rss.path);
	free(cfg->output_json.path);
	free(cfg->output_title);
	free(cfg->output_url);
	for (i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg);
}
