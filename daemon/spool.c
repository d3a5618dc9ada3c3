/*
 * spool.c - the maildir writer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spool.h"

struct spool {
	int dirfd;		/* spool_dir */
	int tmpfd;		/* spool_dir/tmp */
	int newfd;		/* spool_dir/new */
	bool fsync;
	unsigned counter;	/* tells apart names made in one microsecond */
};

static int
open_subdir(int dirfd, const char *name)
{
	int fd;

	if (mkdirat(dirfd, name, 0750) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int
spool_open(const char *dir, bool fsync, struct spool **ret)
{
	struct spool *spool;
	int r;

	spool = calloc(1, sizeof(*spool));
	if (spool == NULL)
		return -ENOMEM;
	spool->dirfd = spool->tmpfd = spool->newfd = -1;
	spool->fsync = fsync;
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		r = -errno;
		goto fail;
	}
	spool->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (spool->dirfd < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = open_subdir(spool->dirfd, "tmp")) < 0)
		goto fail;
	spool->tmpfd = r;
	if ((r = open_subdir(spool->dirfd, "new")) < 0)
		goto fail;
	spool->newfd = r;
	if ((r = open_subdir(spool->dirfd, "cur")) < 0)
		goto fail;
	close(r);
	*ret = spool;
	return 0;
fail:
	spool_close(spool);
	return r;
}

void
spool_close(struct spool *spool)
{
	if (spool == NULL)
		return;
	if (spool->dirfd >= 0)
		close(spool->dirfd);
	if (spool->tmpfd >= 0)
		close(spool->tmpfd);
	if (spool->newfd >= 0)
		close(spool->newfd);
	free(spool);
}

static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
spool_write_tmp(struct spool *spool, const char *hash, const char *data,
    size_t len, bool batch, char name[SPOOL_NAME_MAX])
{
	struct timespec ts;
	int fd = -1, r, tries;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (tries = 0; tries < 100; tries++) {
		/* time.usec.counter_hash16.json: sortable, unique, ours. */
		if (snprintf(name, SPOOL_NAME_MAX, "%lld.%06ld.%u_%.16s.json",
		    (long long)ts.tv_sec, ts.tv_nsec / 1000, spool->counter++,
		    hash) >= SPOOL_NAME_MAX)
			return -ENAMETOOLONG;
		/*
		 * Readable by the group: the spool's consumers are members
		 * of the daemon's group (the umask may take it away).
		 */
		fd = openat(spool->tmpfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0640);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return -errno;
	r = write_all(fd, data, len);
	/* Batched callers fsync all of tmp/ at once with spool_sync_tmp(). */
	if (r == 0 && spool->fsync && !batch && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlinkat(spool->tmpfd, name, 0);
	return r;
}

int
spool_publish(struct spool *spool, const char *name)
{
	if (renameat(spool->tmpfd, name, spool->newfd, name) < 0)
		return -errno;
	return 0;
}

int
spool_sync_tmp(struct spool *spool)
{
	/*
	 * One syncfs() for a document's articles instead of an fsync()
	 * each: one journal commit, not thirty.  It flushes the whole
	 * filesystem, which is the price; without it, fsync each file.
	 */
	if (!spool->fsync)
		return 0;
	if (syncfs(spool->tmpfd) < 0)
		return -errno;
	return 0;
}

int
spool_sync_new(struct spool *spool)
{
	if (spool->fsync && fsync(spool->newfd) < 0)
		return -errno;
	return 0;
}

void
spool_discard(struct spool *spool, const char *name)
{
	unlinkat(spool->tmpfd, name, 0);
}

bool
spool_syncs(const struct spool *spool)
{
	return spool->fsync;
}

bool
spool_in_tmp(struct spool *spool, const char *name)
{
	struct stat st;

	return fstatat(spool->tmpfd, name, &st, 0) == 0;
}

int
spool_clean_tmp(struct spool *spool, bool (*keep)(const char *name,
    void *arg), void *arg)
{
	struct dirent *de;
	DIR *dir;
	int fd, n = 0;

	fd = openat(spool->tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (dir == NULL) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' || keep(de->d_name, arg))
			continue;
		if (unlinkat(spool->tmpfd, de->d_name, 0) == 0)
			n++;
	}
	closedir(dir);
	return n;
}
