/*
 * cmd_status.c - `feedspool status -c FILE [--json]`: each configured
 * feed's health, read from the state database (read-only, so it works
 * while the daemon runs: WAL lets readers in).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "commands.h"
#include "config.h"
#include "version.h"

static void
fmt_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *
time_json(int64_t t)
{
	char buf[32];

	if (t <= 0)
		return json_null();
	fmt_time(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
str_json(const unsigned char *s)
{
	return s != NULL ? json_string((const char *)s) : json_null();
}

/* ok, failing, gone, redirected, or new (never polled). */
static const char *
feed_state(sqlite3_stmt *s, const char *configured_url)
{
	const unsigned char *url = sqlite3_column_text(s, 0);

	if (sqlite3_column_int(s, 6) != 0)
		return "gone";
	if (sqlite3_column_int(s, 4) > 0)
		return "failing";
	if (sqlite3_column_int64(s, 1) == 0)
		return "new";
	if (url != NULL && strcmp((const char *)url, configured_url) != 0)
		return "redirected";
	return "ok";
}

int
cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfg_defaults defaults = { .user_agent = "feedspool" };
	struct cfg_errors errors = { 0 };
	struct cfg *cfg = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	const char *path = NULL;
	json_t *arr = NULL;
	char dbpath[4096], t1[32], t2[32], t3[32];
	bool as_json = false;
	int c, status = 1;
	size_t i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:j", longopts, NULL)) != -1) {
		if (c == 'c')
			path = optarg;
		else if (c == 'j')
			as_json = true;
		else {
			fprintf(stderr, "usage: feedspool status -c FILE "
			    "[--json]\n");
			return EXIT_USAGE;
		}
	}
	if (path == NULL || optind != argc) {
		fprintf(stderr, "usage: feedspool status -c FILE [--json]\n");
		return EXIT_USAGE;
	}
	if (cfg_load(path, &defaults, &cfg, &errors) < 0) {
		cfg_errors_print(&errors, stderr);
		cfg_errors_free(&errors);
		return 2;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/state.db", cfg->state_dir.path);
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT url, last_fetch, "
	    "last_success, last_error, failures, next_poll, gone, "
	    "items_delivered, failing_since FROM feeds WHERE name = ?1", -1,
	    &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "feedspool status: %s: %s (has the daemon "
		    "run yet?)\n", dbpath, db ? sqlite3_errmsg(db) :
		    "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	arr = json_array();
	if (!as_json)
		printf("%-24s %-10s %-20s %-20s %8s  %s\n", "FEED", "STATE",
		    "LAST SUCCESS", "NEXT POLL", "ITEMS", "LAST ERROR");
	for (i = 0; i < cfg->nfeeds; i++) {
		const struct cfg_feed *f = &cfg->feeds[i];
		const char *state = "new";
		bool row;

		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, f->name, -1, SQLITE_STATIC);
		row = sqlite3_step(s) == SQLITE_ROW;
		if (row)
			state = feed_state(s, f->url);
		if (!f->settings.enabled)
			state = "disabled";
		if (as_json) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_string(f->name));
			json_object_set_new(o, "state", json_string(state));
			json_object_set_new(o, "url", json_string(f->url));
			json_object_set_new(o, "polled_url", row ?
			    str_json(sqlite3_column_text(s, 0)) : json_null());
			json_object_set_new(o, "last_fetch", row ?
			    time_json(sqlite3_column_int64(s, 1)) :
			    json_null());
			json_object_set_new(o, "last_success", row ?
			    time_json(sqlite3_column_int64(s, 2)) :
			    json_null());
			json_object_set_new(o, "failing_since", row ?
			    time_json(sqlite3_column_int64(s, 8)) :
			    json_null());
			json_object_set_new(o, "last_error", row ?
			    str_json(sqlite3_column_text(s, 3)) : json_null());
			json_object_set_new(o, "failures", json_integer(row ?
			    sqlite3_column_int(s, 4) : 0));
			json_object_set_new(o, "next_poll", row ?
			    time_json(sqlite3_column_int64(s, 5)) :
			    json_null());
			json_object_set_new(o, "items_delivered",
			    json_integer(row ? sqlite3_column_int64(s, 7) : 0));
			json_array_append_new(arr, o);
			continue;
		}
		fmt_time(row ? sqlite3_column_int64(s, 2) : 0, t1, sizeof(t1));
		fmt_time(row ? sqlite3_column_int64(s, 5) : 0, t2, sizeof(t2));
		if (row && strcmp(state, "failing") == 0) {
			fmt_time(sqlite3_column_int64(s, 8), t3, sizeof(t3));
			printf("%-24s %-10s %-20s %-20s %8lld  since %s: %s\n",
			    f->name, state, t1, t2,
			    (long long)sqlite3_column_int64(s, 7), t3,
			    sqlite3_column_text(s, 3) ?
			    (const char *)sqlite3_column_text(s, 3) : "");
		} else if (row && strcmp(state, "redirected") == 0)
			printf("%-24s %-10s %-20s %-20s %8lld  now %s\n",
			    f->name, state, t1, t2,
			    (long long)sqlite3_column_int64(s, 7),
			    sqlite3_column_text(s, 0));
		else
			printf("%-24s %-10s %-20s %-20s %8lld  %s\n", f->name,
			    state, t1, t2, row ?
			    (long long)sqlite3_column_int64(s, 7) : 0LL,
			    row && sqlite3_column_text(s, 3) ?
			    (const char *)sqlite3_column_text(s, 3) : "");
	}
	if (as_json) {
		if (json_dumpf(arr, stdout, JSON_INDENT(2)) < 0)
			goto out;
		putchar('\n');
	}
	status = fflush(stdout) == 0 ? 0 : 1;
out:
	json_decref(arr);
	sqlite3_finalize(s);
	sqlite3_close(db);
	cfg_free(cfg);
	cfg_errors_free(&errors);
	return status;
}
