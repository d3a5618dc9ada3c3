/*
 * hash.h - the content hash that recognizes one article republished.
 */
#ifndef FEEDSPOOL_HASH_H
#define FEEDSPOOL_HASH_H

/*
 * Writes into out (65 bytes) the lower-case hex SHA-256 of the article's
 * identity: "v1\n" + title + "\n\n" + text, each with every run of white
 * space (ASCII and no-break) folded to one space and trimmed, NULL taken
 * as "".  Markup, entities and tracking links never reach the text, so a
 * republication with other markup hashes the same.  Returns 0 or -ENOMEM.
 */
int content_hash(const char *title, const char *text, char out[65]);

/* SHA-256 of len bytes into out (32 bytes).  Returns 0 or -ENOMEM. */
#include <stddef.h>
int sha256(const void *data, size_t len, unsigned char out[32]);

#endif
