/*
 * rlimit.c - enough open files for the configuration, or a clear error.
 *
 * Running out of descriptors in the middle of a cycle shows up as odd
 * transfer errors ("Couldn't connect", failed resolves) on random feeds;
 * a limit checked at start names the real problem once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "rlimit.h"

unsigned long
rlimit_files_needed(unsigned concurrency)
{
	return RLIMIT_FILES_BASE +
	    (unsigned long)RLIMIT_FILES_PER_TRANSFER * concurrency;
}

int
rlimit_files_ensure(unsigned concurrency, char *err, size_t errlen)
{
	unsigned long need = rlimit_files_needed(concurrency);
	unsigned long long cur;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "cannot read the open files limit: %s",
		    strerror(errno));
		return -EMFILE;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		snprintf(err, errlen, "concurrency = %u needs up to %lu open "
		    "files, but the limit is %llu (hard %llu): lower "
		    "concurrency, or raise the limit (ulimit -n, or "
		    "LimitNOFILE= in the service)", concurrency, need,
		    (unsigned long long)rl.rlim_cur,
		    (unsigned long long)rl.rlim_max);
		return -EMFILE;
	}
	cur = (unsigned long long)rl.rlim_cur;
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "concurrency = %u needs up to %lu open "
		    "files, the limit is %llu and raising it failed (%s): "
		    "lower concurrency, or raise the limit (ulimit -n, or "
		    "LimitNOFILE= in the service)", concurrency, need, cur,
		    strerror(errno));
		return -EMFILE;
	}
	return 0;
}
