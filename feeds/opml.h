/*
 * opml.h - reading OPML subscription lists (OPML 1.0, 1.1 and 2.0).
 *
 * Bytes in, a flat list of feed outlines out.  No file, no network, no
 * configuration: what becomes of an outline (its feed name, whether its
 * URL is acceptable) is the caller's business; the helpers below the
 * parser give it the pieces that need no configuration either.
 */
#ifndef FEEDSPOOL_OPML_H
#define FEEDSPOOL_OPML_H

#include <stdbool.h>
#include <stddef.h>

/* Larger documents are refused: a subscription list of 100000 feeds is
 * well under this. */
#define OPML_MAX_SIZE		(16u << 20)
/* Folders inside folders; deeper outlines make the document an error. */
#define OPML_MAX_DEPTH		32
/* Feed outlines in one document; more make it an error. */
#define OPML_MAX_OUTLINES	100000
/* Room for opml_parse()'s message, however long the parser's. */
#define OPML_ERROR_LEN		256

/*
 * One outline with an xmlUrl attribute, in document order.  Every string
 * is valid UTF-8 (libxml2 converted the document's encoding) and owned by
 * the struct opml_doc it is in.
 */
struct opml_outline {
	char *xml_url;		/* cleaned (opml_clean_text()); may be "" */
	char *html_url;		/* the same, or NULL */
	char *title;		/* text, else title, cleaned; NULL when
				 * neither has anything visible */
	char *category;		/* the enclosing folders' names, outermost
				 * first, joined with "/"; NULL at the top */
	int line;		/* of the <outline> element */
};

/* opml_parse() fills it; opml_doc_clear() frees what it holds. */
struct opml_doc {
	char *version;		/* the version attribute, or NULL */
	char *title;		/* <head><title>, cleaned, or NULL */
	struct opml_outline *v;
	size_t count;
};

/*
 * Parses len bytes of an OPML document.  On success fills *ret_doc (which
 * the caller empties with opml_doc_clear()) and returns 0.  Returns
 * -EBADMSG when the bytes are not a well-formed OPML document, -EFBIG
 * past OPML_MAX_SIZE or OPML_MAX_OUTLINES, -ELOOP past OPML_MAX_DEPTH,
 * or -ENOMEM; err then says why, on one line (with the line number when
 * the XML parser gave one).  *ret_doc is written only on success.
 *
 * Nothing is loaded: XML_PARSE_NONET, no DTD loading, no entity
 * substitution, and a document that declares entities is refused (OPML
 * has no use for them).
 *
 * A folder is an outline without xmlUrl that has outlines inside; its name
 * is its text, else its title.  An outline with xmlUrl is a feed whatever
 * its type attribute says; outlines inside a feed are read as if they
 * were beside it.  Attribute names are matched without regard to case
 * ("xmlurl" occurs in old exports).
 */
int opml_parse(const char *data, size_t len, struct opml_doc *ret_doc,
    char *err, size_t errlen);

/* Frees what doc holds and zeroes it.  NULL is fine. */
void opml_doc_clear(struct opml_doc *doc);

/*
 * Cleans s in place into one line: C0 and C1 controls and DEL dropped,
 * every run of white space (tab, newline, space) made one space, and the
 * ends trimmed.  s must be valid UTF-8.  Returns s.
 */
char *opml_clean_text(char *s);

/*
 * A feed name from text: lowercased ASCII letters and digits, with '.',
 * '_' and '-' kept where they are between them; every run of anything
 * else is one '-'.  Latin letters with diacritics, Greek and Cyrillic are
 * transliterated ("Café" -> "cafe", "Straße" -> "strasse", "Ελληνικά" ->
 * "ellinika"); other scripts are dropped.  The result never starts or
 * ends with '.', '_' or '-', and is cut to size - 1 bytes (size at most
 * 65 gives names config/ accepts).  Returns its length, 0 when nothing
 * was left (buf is then "").  text must be valid UTF-8.
 */
size_t opml_slug(const char *text, char *buf, size_t size);

/*
 * True when url is an absolute http or https URL with a host, as libcurl
 * reads it, and without white space or control characters (config/
 * refuses those).
 */
bool opml_url_is_web(const char *url);

/*
 * The URL's host as a feed name ("www." dropped, then opml_slug()), into
 * buf.  Returns its length, 0 when there is none.
 */
size_t opml_url_host_slug(const char *url, char *buf, size_t size);

/*
 * The form in which config/ takes two feed URLs for the same feed: scheme
 * and host in lower case, a default port and the fragment dropped, an
 * empty path made "/".  url must have passed opml_url_is_web().  Returns
 * 0 and a new string in *ret_key (the caller frees it), or -ENOMEM.
 */
int opml_url_key(const char *url, char **ret_key);

#endif
