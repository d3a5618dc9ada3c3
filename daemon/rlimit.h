/*
 * rlimit.h - enough open files for the configuration, or a clear error.
 */
#ifndef FEEDSPOOL_RLIMIT_H
#define FEEDSPOOL_RLIMIT_H

#include <stddef.h>

/*
 * The most descriptors the daemon may hold at once with this many
 * transfers in flight: per transfer its socket, a second one while happy
 * eyeballs races IPv4 and IPv6, and the threaded resolver's pair; plus
 * a fixed base for stdio, SQLite (database, WAL, shared memory), the
 * lock, the spool's directories and the file being written, the outputs,
 * libuv's epoll, signal and async descriptors, and libraries' own.
 */
#define RLIMIT_FILES_BASE 64
#define RLIMIT_FILES_PER_TRANSFER 4

unsigned long rlimit_files_needed(unsigned concurrency);

/*
 * Makes sure the soft RLIMIT_NOFILE covers rlimit_files_needed(): raises
 * it up to the hard limit when needed.  Returns 0, or -EMFILE with a
 * sentence for the log in err (what is needed, what the limit is, what
 * to change) when even the hard limit is too low or cannot be reached.
 */
int rlimit_files_ensure(unsigned concurrency, char *err, size_t errlen);

#endif
