/*
 * replay.c - a plain main() for the fuzz targets, so that every build
 * replays the checked-in corpus inside `meson test` without libFuzzer
 * (the shape of systemd's src/fuzz/fuzz-main.c and curl-fuzzer's
 * standalone runner).
 *
 * Usage: fuzz-NAME-replay FILE|DIR...
 * Every regular file named, and every regular file directly inside a
 * directory named (in name order, dot files skipped), is read whole into
 * a buffer of exactly its size, so that ASan sees a read past the end,
 * and handed to LLVMFuzzerTestOneInput().  A target that finds a broken
 * property aborts.  Exits 1 when an argument cannot be read or holds no
 * input at all: a mistyped corpus path must not pass as an empty run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/*
 * Reads path into a new buffer of exactly its size (one byte for an
 * empty file, which is then passed with size 0).  Returns 0 and stores
 * the buffer, which the caller frees, or -1 with a message printed.
 */
static int
read_file(const char *path, uint8_t **ret_buf, size_t *ret_len)
{
	uint8_t *buf = NULL;
	struct stat st;
	FILE *f;
	size_t n;
	int r = -1;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		goto out;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > FUZZ_MAX_LEN) {
		fprintf(stderr, "%s: larger than %u bytes\n", path,
		    FUZZ_MAX_LEN);
		goto out;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		fprintf(stderr, "%s: out of memory\n", path);
		goto out;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (n != (size_t)st.st_size || ferror(f)) {
		fprintf(stderr, "%s: short read\n", path);
		goto out;
	}
	*ret_buf = buf;
	*ret_len = n;
	buf = NULL;
	r = 0;
out:
	free(buf);
	fclose(f);
	return r;
}

static int
run_file(const char *path)
{
	uint8_t *buf;
	size_t len;

	if (read_file(path, &buf, &len) < 0)
		return -1;
	fprintf(stderr, "%s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Runs every regular file directly inside dir, in name order.  Returns
 * the number run, or -1.
 */
static long
run_dir(const char *dir)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, **tmp, path[4096];
	size_t n = 0, cap = 0, i;
	long r = -1, count = 0;
	DIR *d;
	int len;

	d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			tmp = realloc(names, cap * sizeof(*names));
			if (tmp == NULL)
				goto out;
			names = tmp;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto out;
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);

	for (i = 0; i < n; i++) {
		len = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (len < 0 || (size_t)len >= sizeof(path)) {
			fprintf(stderr, "%s/%s: path too long\n", dir,
			    names[i]);
			goto out;
		}
		if (stat(path, &st) == -1) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			goto out;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (run_file(path) < 0)
			goto out;
		count++;
	}
	r = count;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return r;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	long n, total = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode))
			n = run_dir(argv[i]);
		else
			n = run_file(argv[i]) < 0 ? -1 : 1;
		if (n < 0)
			return 1;
		if (n == 0) {
			fprintf(stderr, "%s: no input\n", argv[i]);
			return 1;
		}
		total += n;
	}
	printf("%ld inputs replayed, no property broken\n", total);
	return 0;
}
