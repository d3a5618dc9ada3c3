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
#include <sys/mman.h>
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

/* The document: a mapping of the file, or what read_all() gave. */
struct input {
	const char *p;
	size_t len;
	char *copy;		/* from read_all(), or NULL */
	void *map;		/* from mmap(), or NULL */
	size_t page;		/* the page size, for madvise() */
	size_t dropped;		/* map[0..dropped) given back in this pass */
};

/* Smaller files are read: one copy costs little. */
#define MAP_MIN ((size_t)1 << 20)
/* Pages behind the parse are given back this many bytes at a time. */
#define DROP_STEP ((size_t)1 << 20)

/*
 * Maps a regular file of MAP_MIN bytes or more, and reads anything else.
 * A mapped page is read from the page cache, and drop_behind() gives it
 * back: a large document is never resident whole.  Returns 0, -EFBIG past
 * MAX_DOCUMENT, or a negative errno.
 */
static int
open_input(int fd, struct input *in)
{
	struct stat st;
	void *map;
	int r;

	memset(in, 0, sizeof(*in));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size >= MAP_MIN) {
		if ((uintmax_t)st.st_size >= MAX_DOCUMENT)
			return -EFBIG;
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (map != MAP_FAILED) {
			(void)madvise(map, (size_t)st.st_size,
			    MADV_SEQUENTIAL);
			in->map = map;
			in->page = (size_t)sysconf(_SC_PAGESIZE);
			in->p = map;
			in->len = (size_t)st.st_size;
			return 0;
		}
	}
	r = read_all(fd, &in->copy, &in->len);
	in->p = in->copy;
	return r;
}

static void
close_input(struct input *in)
{
	if (in->map != NULL)
		(void)munmap(in->map, in->len);
	free(in->copy);
}

/*
 * feed_parse()'s progress hook: gives back the mapped pages the parse has
 * gone past.  A pass that looks back reads them again from the cache.
 */
static void
drop_behind(void *arg, size_t done)
{
	struct input *in = arg;
	size_t upto;

	if (in->map == NULL)
		return;
	upto = done - done % in->page;
	if (upto < in->dropped)		/* a new pass, from the start */
		in->dropped = 0;
	if (upto - in->dropped < DROP_STEP)
		return;
	(void)madvise((char *)in->map + in->dropped, upto - in->dropped,
	    MADV_DONTNEED);
	in->dropped = upto;
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

/*
 * What has been printed: items go out as the reader hands them over, so
 * that a large feed is never held whole.  The feed line goes before the
 * first of them, with the fields read so far.
 */
struct printer {
	struct buf out;
	char *feed_line;	/* as printed, or NULL before it is */
};

/* doc's feed line, as a new string in *ret. */
static int
render_feed_line(const struct feed_doc *doc, char **ret)
{
	struct buf line;
	int r;

	buf_init(&line, SIZE_MAX);
	r = writer_json_feed(&line, doc);
	if (r == 0 && (*ret = buf_steal(&line)) == NULL)
		r = -ENOMEM;
	buf_free(&line);
	return r;
}

static int
print_line(struct printer *p, const char *line)
{
	return put_line(&p->out, buf_puts(&p->out, line));
}

static int
print_item(void *arg, const struct feed_doc *doc, const struct feed_item *item)
{
	struct printer *p = arg;
	int r;

	if (p->feed_line == NULL &&
	    ((r = render_feed_line(doc, &p->feed_line)) < 0 ||
	    (r = print_line(p, p->feed_line)) < 0))
		return r;
	return put_line(&p->out, writer_json_item(&p->out, item));
}

/*
 * After the document: the items it kept (JSON Feed), and the feed line
 * again when the document set feed fields after its first item; a
 * reader takes the last feed line.
 */
static int
print_rest(struct printer *p, const struct feed_doc *doc)
{
	char *last = NULL;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < doc->nitems; i++)
		r = print_item(p, doc, &doc->items[i]);
	if (r == 0)
		r = render_feed_line(doc, &last);
	if (r == 0 && (p->feed_line == NULL || strcmp(last, p->feed_line) != 0))
		r = print_line(p, last);
	free(last);
	return r;
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
	struct printer printer = { .feed_line = NULL };
	struct feed_doc *doc = NULL;
	const char *path = "-";
	char errbuf[FEED_ERROR_LEN];
	struct input in = { .p = NULL };
	size_t i;
	int c, fd, r, status = EXIT_SOFTWARE;

	buf_init(&printer.out, SIZE_MAX);
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
	r = open_input(fd, &in);
	if (fd != STDIN_FILENO)
		close(fd);
	if (r < 0) {
		fprintf(stderr, "feedspool parse: %s: %s\n", path,
		    r == -EFBIG ? "larger than 512 MiB" : strerror(-r));
		return r == -EFBIG ? EXIT_DATAERR : EXIT_NOINPUT;
	}

	opts.on_item = print_item;
	opts.on_item_arg = &printer;
	opts.progress = drop_behind;
	opts.progress_arg = &in;
	r = feed_parse(in.p, in.len, &opts, &doc, errbuf, sizeof(errbuf));
	/* print_item's own failure: only it returns -EIO. */
	if (r == -EIO)
		goto write_error;
	/*
	 * The items read before a rejection (nesting too deep further on)
	 * are printed all the same, whatever their size; the status says
	 * that the document was rejected.
	 */
	if (r < 0) {
		if (flush_out(&printer.out) < 0 || fflush(stdout) != 0)
			goto write_error;
		fprintf(stderr, "feedspool parse: %s: %s\n", path, errbuf);
		status = r == -ENOMEM ? EXIT_SOFTWARE : EXIT_DATAERR;
		goto out;
	}
	for (i = 0; i < doc->nwarnings; i++)
		fprintf(stderr, "feedspool parse: %s: warning: %s\n", path,
		    doc->warnings[i]);
	r = print_rest(&printer, doc);
	if (r == 0)
		r = flush_out(&printer.out);
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
	buf_free(&printer.out);
	free(printer.feed_line);
	feed_doc_free(doc);
	close_input(&in);
	return status;
}
