/*
 * failwrite.c - an LD_PRELOAD shim for the spool tests: a full disk on
 * demand, and crashes at chosen points of the delivery.
 *
 * Loaded into feedspool (never into anything else) by test_diskfull.py
 * and test_crash.py.  Environment:
 *
 *   FAILWRITE_DIR=/abs/dir/   files whose resolved path starts with this
 *                             prefix are "on the full disk";
 *   FAILWRITE_MARKER=/path    the disk is full while this file exists
 *                             (without the variable, never);
 *   FAILWRITE_AFTER=N         the first N writes on the disk succeed, the
 *                             others fail (counted while the disk is full);
 *   FAILWRITE_OPEN=1          creating a file there fails too (ENOSPC at
 *                             open, as when no block is left for the
 *                             directory entry);
 *   FAILWRITE_RENAME=1        so does a rename into the directory (the
 *                             target directory cannot grow);
 *   FAILWRITE_KILL=OP:N       SIGKILL the process at the Nth call of OP:
 *                             "syncfs" (before it), "rename-before" or
 *                             "rename-after" (a rename into FAILWRITE_DIR:
 *                             just before it, or just after it succeeded).
 *
 * While the disk is full, write, pwrite, writev, pwritev, fsync,
 * fdatasync, syncfs, ftruncate and fallocate on a file under the
 * directory fail with ENOSPC.  Everything else is passed through; the
 * checks cost a readlink() per call, which does not matter for tests.
 */
/* Both the 32- and 64-bit-offset names are defined here, each itself. */
#undef _FILE_OFFSET_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define NEXT(name) \
	static __typeof__(name) *next_; \
	if (next_ == NULL) \
		next_ = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static int after_left = -1;	/* FAILWRITE_AFTER countdown, -1: none */
static int after_init;
static int kill_count;

static bool
under_dir(const char *path)
{
	const char *dir = getenv("FAILWRITE_DIR");

	return dir != NULL && dir[0] != '\0' &&
	    strncmp(path, dir, strlen(dir)) == 0;
}

static bool
fd_under_dir(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (getenv("FAILWRITE_DIR") == NULL)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return false;
	path[n] = '\0';
	/* A directory fd: its path without the trailing slash. */
	if (n + 1 < (ssize_t)sizeof(path)) {
		path[n] = '/';
		path[n + 1] = '\0';
	}
	return under_dir(path);
}

/* The resolved path of name relative to dirfd (as far as it exists). */
static bool
at_under_dir(int dirfd, const char *name)
{
	char base[PATH_MAX], full[PATH_MAX * 2], link[64];
	ssize_t n;

	if (getenv("FAILWRITE_DIR") == NULL || name == NULL)
		return false;
	if (name[0] == '/')
		return under_dir(name);
	if (dirfd == AT_FDCWD) {
		if (getcwd(base, sizeof(base)) == NULL)
			return false;
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
		n = readlink(link, base, sizeof(base) - 1);
		if (n <= 0)
			return false;
		base[n] = '\0';
	}
	snprintf(full, sizeof(full), "%s/%s", base, name);
	return under_dir(full);
}

static bool
disk_full(void)
{
	const char *marker = getenv("FAILWRITE_MARKER");
	const char *after;

	if (marker == NULL || access(marker, F_OK) != 0)
		return false;
	if (!after_init) {
		after_init = 1;
		after = getenv("FAILWRITE_AFTER");
		if (after != NULL && after[0] != '\0')
			after_left = atoi(after);
	}
	if (after_left > 0) {
		after_left--;
		return false;
	}
	return true;
}

static bool
fail_fd(int fd)
{
	if (fd_under_dir(fd) && disk_full()) {
		errno = ENOSPC;
		return true;
	}
	return false;
}

static void
maybe_kill(const char *op)
{
	const char *spec = getenv("FAILWRITE_KILL");
	size_t len = strlen(op);

	if (spec == NULL || strncmp(spec, op, len) != 0 || spec[len] != ':')
		return;
	if (++kill_count == atoi(spec + len + 1))
		raise(SIGKILL);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	NEXT(write);
	if (fail_fd(fd))
		return -1;
	return next_(fd, buf, len);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	NEXT(pwrite);
	if (fail_fd(fd))
		return -1;
	return next_(fd, buf, len, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	NEXT(pwrite64);
	if (fail_fd(fd))
		return -1;
	return next_(fd, buf, len, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	NEXT(writev);
	if (fail_fd(fd))
		return -1;
	return next_(fd, iov, n);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	NEXT(pwritev);
	if (fail_fd(fd))
		return -1;
	return next_(fd, iov, n, off);
}

int
fsync(int fd)
{
	NEXT(fsync);
	if (fail_fd(fd))
		return -1;
	return next_(fd);
}

int
fdatasync(int fd)
{
	NEXT(fdatasync);
	if (fail_fd(fd))
		return -1;
	return next_(fd);
}

int
syncfs(int fd)
{
	NEXT(syncfs);
	if (fd_under_dir(fd))
		maybe_kill("syncfs");
	if (fail_fd(fd))
		return -1;
	return next_(fd);
}

int
ftruncate(int fd, off_t len)
{
	NEXT(ftruncate);
	if (fail_fd(fd))
		return -1;
	return next_(fd, len);
}

int
ftruncate64(int fd, off64_t len)
{
	NEXT(ftruncate64);
	if (fail_fd(fd))
		return -1;
	return next_(fd, len);
}

int
fallocate(int fd, int mode, off_t off, off_t len)
{
	NEXT(fallocate);
	if (fail_fd(fd))
		return -1;
	return next_(fd, mode, off, len);
}

int
posix_fallocate(int fd, off_t off, off_t len)
{
	NEXT(posix_fallocate);
	if (fd_under_dir(fd) && disk_full())
		return ENOSPC;
	return next_(fd, off, len);
}

static bool
fail_create(int dirfd, const char *path, int flags)
{
	const char *o = getenv("FAILWRITE_OPEN");

	if (o == NULL || strcmp(o, "1") != 0 || !(flags & O_CREAT))
		return false;
	if (at_under_dir(dirfd, path) && disk_full()) {
		errno = ENOSPC;
		return true;
	}
	return false;
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	NEXT(open);
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (fail_create(AT_FDCWD, path, flags))
		return -1;
	return next_(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	NEXT(open64);
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (fail_create(AT_FDCWD, path, flags))
		return -1;
	return next_(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	NEXT(openat);
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (fail_create(dirfd, path, flags))
		return -1;
	return next_(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	NEXT(openat64);
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (fail_create(dirfd, path, flags))
		return -1;
	return next_(dirfd, path, flags, mode);
}

static bool
fail_rename(void)
{
	const char *o = getenv("FAILWRITE_RENAME");

	if (o != NULL && strcmp(o, "1") == 0 && disk_full()) {
		errno = ENOSPC;
		return true;
	}
	return false;
}

int
renameat(int olddirfd, const char *oldpath, int newdirfd,
    const char *newpath)
{
	bool ours;
	int r;

	NEXT(renameat);
	ours = at_under_dir(newdirfd, newpath);
	if (ours)
		maybe_kill("rename-before");
	if (ours && fail_rename())
		return -1;
	r = next_(olddirfd, oldpath, newdirfd, newpath);
	if (ours && r == 0)
		maybe_kill("rename-after");
	return r;
}

int
rename(const char *oldpath, const char *newpath)
{
	bool ours;
	int r;

	NEXT(rename);
	ours = at_under_dir(AT_FDCWD, newpath);
	if (ours)
		maybe_kill("rename-before");
	if (ours && fail_rename())
		return -1;
	r = next_(oldpath, newpath);
	if (ours && r == 0)
		maybe_kill("rename-after");
	return r;
}
