/*
 * output.h - the merged Atom, RSS and JSON Feed files.
 */
#ifndef FEEDSPOOL_OUTPUT_H
#define FEEDSPOOL_OUTPUT_H

#include <stdbool.h>

#include <uv.h>

#include "state.h"

/* Owned by the daemon; paths and strings are borrowed from its config. */
struct output {
	struct state_store *store;
	const char *atom_path;
	const char *rss_path;	/* NULL: not written */
	const char *json_path;	/* NULL: not written */
	const char *title;
	const char *id;
	const char *self_url;	/* output_url: where the Atom is read */
	unsigned items;
	bool fsync;
	const char *state_dir;	/* where outputs.stamp is kept */
	uv_timer_t timer;	/* the debounce; closed by the owner */
	unsigned char hash[3][32];	/* of what was written last */
	bool have_hash[3];
	/* What the files on disk were built from (see output.c). */
	unsigned char fingerprint[32];
	bool have_fingerprint;
};

/*
 * Reads outputs.stamp: when the files on disk are the ones it describes,
 * a regeneration from the same articles and settings is skipped.
 */
int output_init(struct output *o, uv_loop_t *loop);
/* Something new was delivered: regenerate soon (debounced). */
void output_changed(void *arg);
/*
 * Regenerate now, writing only the files whose bytes changed; nothing is
 * built when the newest articles and the settings are those of the files
 * on disk.
 */
int output_regenerate(struct output *o);
/* Runs a pending regeneration at once (before exit). */
void output_flush(struct output *o);

#endif
