/*
 * cmd_parse.c - `feedspool parse`: one feed document to JSON Lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "commands.h"
#include "parse.h"
#include "writer_json.h"

/* Larger documents are refused rather than read into memory. */
#define MAX_DOCUMENT (512u << 20)

/*
 * Reads all of fd into *ret_buf (the caller frees it).  Returns 0,
 * -EFBIG past MAX_DOCUMENT, or a negative errno.
 */
static int
read_all(int fd, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 1 << 16;
	struct stat st;
	char *buf, *p;
	ssize_t n;
	int r = 0;

	/* A file's size, and one byte to see its end, saves the doubling
	 * (up to twice the document held while it is parsed). */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < MAX_DOCUMENT)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= MAX_DOCUMENT) {
				r = -EFBIG;
				goto out;
			}
			cap *= 2;
			p = realloc(buf, cap);
			if (p == NULL) {
				r = -ENOMEM;
				goto out;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*ret_buf = buf;
	*ret_len = len;
	buf = NULL;
out:
	free(buf);
	return r;
}

/* Writes what out holds to stdout and empties it. */
static int
flush_out(struct buf *out)
{
	if (out->len > 0 && fwrite(out->p, 1, out->len, stdout) != out->len)
		return -EIO;
	buf_clear(out);
	return 0;
}

/*
 * Ends the JSON line the writer appended (r is its result), and writes
 * the buffer out when it holds enough: one write per 64 KiB, not per line.
 */
static int
put_line(struct buf *out, int r)
{
	if (r < 0 || (r = buf_append(out, "\n", 1)) < 0)
		return r;
	return out->len < (64u << 10) ? 0 : flush_out(out);
}

int
cmd_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "charset", required_argument, NULL, 'c' },
		{ "chunk-size", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct feed_parse_opts opts = { 0 };
	struct feed_doc *doc = NULL;
	const char *path = "-";
	char errbuf[FEED_ERROR_LEN];
	char *buf = NULL;
	struct buf out;
	size_t len = 0, i;
	int c, fd, r, status = EXIT_SOFTWARE;

	buf_init(&out, SIZE_MAX);
	while ((c = getopt_long(argc, argv, "b:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			opts.base_url = optarg;
			break;
		case 'c':
			opts.http_charset = optarg;
			break;
		case 'k':
			opts.chunk_size = strtoul(optarg, NULL, 10);
			break;
		case 'h':
			printf("usage: feedspool parse [--base URL] "
			    "[--charset NAME] [FILE|-]\n");
			return 0;
		default:
			fprintf(stderr, "usage: feedspool parse [--base URL] "
			    "[--charset NAME] [FILE|-]\n");
			return EXIT_USAGE;
		}
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "feedspool parse: one document at a time\n");
		return EXIT_USAGE;
	}
	if (optind < argc)
		path = argv[optind];

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "feedspool parse: %s: %s\n", path,
		    strerror(errno));
		return EXIT_NOINPUT;
	}
	r = read_all(fd, &buf, &len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (r < 0) {
		fprintf(stderr, "feedspool parse: %s: %s\n", path,
		    r == -EFBIG ? "larger than 512 MiB" : strerror(-r));
		return r == -EFBIG ? EXIT_DATAERR : EXIT_NOINPUT;
	}

	r = feed_parse(buf, len, &opts, &doc, errbuf, sizeof(errbuf));
	if (r < 0) {
		fprintf(stderr, "feedspool parse: %s: %s\n", path, errbuf);
		status = r == -ENOMEM ? EXIT_SOFTWARE : EXIT_DATAERR;
		goto out;
	}
	for (i = 0; i < doc->nwarnings; i++)
		fprintf(stderr, "feedspool parse: %s: warning: %s\n", path,
		    doc->warnings[i]);
	r = put_line(&out, writer_json_feed(&out, doc));
	for (i = 0; r == 0 && i < doc->nitems; i++)
		r = put_line(&out, writer_json_item(&out, &doc->items[i]));
	if (r == 0)
		r = flush_out(&out);
	if (r == -ENOMEM) {
		fprintf(stderr, "feedspool parse: out of memory\n");
		status = EXIT_SOFTWARE;
		goto out;
	}
	if (r < 0 || fflush(stdout) != 0)
		goto write_error;
	status = 0;
	goto out;

write_error:
	fprintf(stderr, "feedspool parse: writing the output: %s\n",
	    strerror(errno));
	status = EXIT_SOFTWARE;
out:
	buf_free(&out);
	feed_doc_free(doc);
	free(buf);
	return status;
}
