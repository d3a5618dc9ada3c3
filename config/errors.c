/*
 * errors.c - the list of configuration errors and how values are quoted
 * in them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Cuts s (a buffer of size bytes that vsnprintf filled and truncated) so
 * that it ends in "..." without splitting a UTF-8 sequence.
 */
static void
ellipsize(char *s, size_t size)
{
	size_t n;

	if (size < 4)
		return;
	n = size - 4;
	/* Step back over continuation bytes to the start of a character. */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(s + n, "...", 4);
}

int
cfg_error_add(struct cfg_errors *errors, const char *file, int line,
    const char *fmt, ...)
{
	struct cfg_error *e;
	va_list ap;
	int n;

	if (errors->count >= CFG_MAX_ERRORS) {
		errors->dropped++;
		return 0;
	}
	if (errors->v == NULL) {
		/* All at once: a configuration with errors has a few, and
		 * the list must not fail half way for lack of memory. */
		errors->v = calloc(CFG_MAX_ERRORS, sizeof(*errors->v));
		if (errors->v == NULL) {
			errors->dropped++;
			return -ENOMEM;
		}
	}
	e = &errors->v[errors->count++];

	n = snprintf(e->file, sizeof(e->file), "%s", file);
	if (n < 0)
		e->file[0] = '\0';
	else if ((size_t)n >= sizeof(e->file))
		ellipsize(e->file, sizeof(e->file));
	e->line = line;

	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		snprintf(e->msg, sizeof(e->msg), "(unprintable message)");
	else if ((size_t)n >= sizeof(e->msg))
		ellipsize(e->msg, sizeof(e->msg));
	return 0;
}

int
cfg_errors_print(const struct cfg_errors *errors, FILE *f)
{
	const struct cfg_error *e;
	size_t i;

	for (i = 0; i < errors->count; i++) {
		e = &errors->v[i];
		if (e->line > 0)
			fprintf(f, "%s:%d: %s\n", e->file, e->line, e->msg);
		else
			fprintf(f, "%s: %s\n", e->file, e->msg);
	}
	if (errors->dropped > 0)
		fprintf(f, "... and %zu more error%s\n", errors->dropped,
		    errors->dropped == 1 ? "" : "s");
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}

void
cfg_errors_free(struct cfg_errors *errors)
{
	if (errors == NULL)
		return;
	free(errors->v);
	errors->v = NULL;
	errors->count = 0;
	errors->dropped = 0;
}

size_t
cfg_utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	cp = *p & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

const char *
cfg_quote(char *buf, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, used = 0, n;

	buf[o++] = '"';
	while (*p != '\0') {
		if (used >= CFG_QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		/* A whole character or one escaped byte: a message never
		 * carries control bytes or invalid UTF-8 to a terminal. */
		n = *p >= 0x80 ? cfg_utf8_len(p) : 0;
		if (n > 0) {
			memcpy(buf + o, p, n);
			o += n;
			p += n;
			used += n;
			continue;
		}
		if (*p < 0x20 || *p >= 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 0xf];
		} else if (*p == '"' || *p == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)*p;
		} else {
			buf[o++] = (char)*p;
		}
		p++;
		used++;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
