/*
 * html.h - the allow-list HTML sanitizer and the HTML-to-text converter,
 * both built on libxml2's HTML parser.
 */
#ifndef FEEDSPOOL_HTML_H
#define FEEDSPOOL_HTML_H

#include <stddef.h>

/*
 * Parses the UTF-8 HTML fragment html[0..len) once and produces either or
 * both of:
 *  - *ret_html: the fragment with only allow-listed elements and
 *    attributes, URLs resolved against base (may be NULL) and limited to
 *    http, https and mailto, serialized well-formed;
 *  - *ret_text: readable plain text (paragraphs separated by one blank
 *    line, list items on their own lines, whitespace collapsed).
 * Pass NULL for an output you do not want.  Outputs are newly allocated
 * and owned by the caller; an empty fragment gives "".  Returns 0, or
 * -ENOMEM, or -EINVAL when the fragment cannot be parsed at all (the
 * outputs are then untouched).  The policy and the text rules are written
 * down at the top of html.c and text.c.  Limits: only the first 16 MiB of
 * the fragment are read and each output is cut at 16 MiB (the HTML with
 * its open elements closed); the HTML nests at most 256 elements deep.
 */
int html_clean(const char *html, size_t len, const char *base,
    char **ret_html, char **ret_text);

/*
 * Escapes text for HTML/XML content and attributes (&, <, >, ", ') and
 * drops what XML 1.0 cannot carry (controls other than tab, LF and CR,
 * invalid UTF-8, U+FFFE, U+FFFF).  Returns a new string, NULL on ENOMEM.
 */
char *html_escape(const char *text);

#endif
