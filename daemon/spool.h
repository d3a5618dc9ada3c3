/*
 * spool.h - the maildir of articles: tmp/, new/, cur/ under spool_dir.
 *
 * An article is written into tmp/ (O_EXCL, mode 0600), fsynced, and only
 * after the state database has recorded it is it renamed into new/ and
 * the directory fsynced (OpenSMTPD's mail.maildir.c).  A consumer takes
 * files from new/, may move them to cur/ or delete them.  File names come
 * from the time and the content hash, never from feed content.
 */
#ifndef FEEDSPOOL_SPOOL_H
#define FEEDSPOOL_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

#define SPOOL_NAME_MAX 96

struct spool;

/* Creates tmp/, new/ and cur/ as needed.  Returns 0 or a negative errno. */
int spool_open(const char *dir, bool fsync, struct spool **ret);
void spool_close(struct spool *spool);

/*
 * Writes data into a new file in tmp/ and stores its name (no directory)
 * in name[SPOOL_NAME_MAX].  hash names the content (hex).  With batch,
 * the file is not fsynced: the caller calls spool_sync_tmp() once after
 * the last one.  Returns 0 or a negative errno (-ENOSPC, -EDQUOT,
 * -EROFS...); on failure no file is left behind.
 */
int spool_write_tmp(struct spool *spool, const char *hash, const char *data,
    size_t len, bool batch, char name[SPOOL_NAME_MAX]);
/* Makes every file written to tmp/ durable. */
int spool_sync_tmp(struct spool *spool);

/* Renames tmp/name into new/ (then fsyncs new/ with spool_sync_new). */
int spool_publish(struct spool *spool, const char *name);
int spool_sync_new(struct spool *spool);

/* Removes tmp/name (an article whose delivery was not recorded). */
void spool_discard(struct spool *spool, const char *name);

/* True when tmp/name exists. */
bool spool_in_tmp(struct spool *spool, const char *name);
/* Whether the spool_sync_*() calls sync anything (fsync = yes). */
bool spool_syncs(const struct spool *spool);

/*
 * Removes every file in tmp/ for which keep(name, arg) is false: what a
 * crash left before its delivery was recorded.  Returns how many went.
 */
int spool_clean_tmp(struct spool *spool, bool (*keep)(const char *name,
    void *arg), void *arg);

#endif
