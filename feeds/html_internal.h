/*
 * html_internal.h - what html.c (the sanitizer) and text.c (the text
 * converter) share: the element table, the character filter, the
 * output limits and the parser's events.  Not installed, not for other modules.
 */
#ifndef FEEDSPOOL_HTML_INTERNAL_H
#define FEEDSPOOL_HTML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlstring.h>

#include "buf.h"

/*
 * Each output is cut at this size: the sanitizer then closes the elements
 * it has open, so the result stays well-formed.  Escaping can make the
 * output four times the input ("<" is "&lt;"), hence a cap of its own.
 */
#define HTML_MAX_OUT		(16u << 20)

/* Nesting kept in the sanitized output; deeper elements are unwrapped. */
#define HTML_MAX_DEPTH		256

/* Element flags, see the table in html.c. */
#define HE_ALLOW	0x0001	/* kept, with its allowed attributes */
#define HE_DROP		0x0002	/* removed with everything inside */
#define HE_VOID		0x0004	/* has no content and no end tag */
#define HE_BLOCK	0x0008	/* text: a paragraph of its own */
#define HE_LINE		0x0010	/* text: a line of its own */
#define HE_CELL		0x0020	/* text: separated from its neighbour */
#define HE_PRE		0x0040	/* text: whitespace is kept */
#define HE_LIST		0x0080	/* ul, ol (text: items get a bullet) */
#define HE_ORDERED	0x0100	/* ol (text: items are numbered) */
#define HE_ITEM		0x0200	/* li */
#define HE_BR		0x0400	/* br */
#define HE_NOTEXT	0x0800	/* text: fallback content, left out */

/* Element kinds that others must sit in (struct html_elem.parents). */
#define HK_TABLE	0x01
#define HK_TSECT	0x02	/* tbody, thead, tfoot */
#define HK_TR		0x04
#define HK_COLGROUP	0x08
#define HK_MEDIA	0x10	/* picture, audio, video */

struct html_elem {
	const char *name;
	uint16_t flags;		/* HE_* */
	uint8_t kind;		/* HK_* this element is */
	uint8_t parents;	/* HK_* its parent must be, 0 for any */
	uint32_t attrs;		/* allowed attributes, 1 << enum attr_id */
};

/* The elements the sanitizer knows (html_elem_count of them). */
extern const struct html_elem html_elem_table[];
extern const size_t html_elem_count;

/* Returns the table entry of an element name (any case), or NULL. */
const struct html_elem *html_elem_lookup(const xmlChar *name);

/*
 * True when cp may appear in the output: XML 1.0 Char minus the
 * noncharacters U+xFFFE/U+xFFFF.  Tab, LF and CR are allowed.
 */
int html_char_ok(uint32_t cp);
size_t html_c1_replacement(uint32_t cp, char out[4]);

/*
 * A consumer of the HTML parser's events: html.c runs the sanitizer and
 * the text converter side by side over one parse, with no tree built.
 * start() sees each element the parse reaches, with its depth (1 for the
 * outermost) and its attributes (name, value pairs, NULL-terminated; a
 * value may be NULL), and sets *ret_descend to false to skip what the
 * element holds and its end.  end() sees the end of each element gone
 * into, text() the text between two tags, whole.  A negative return stops
 * that consumer and is what the parse returns for it.
 */
struct html_handler {
	int (*start)(void *arg, const char *name, const char *const *atts,
	    size_t depth, bool *ret_descend);
	int (*end)(void *arg, const char *name, size_t depth);
	int (*text)(void *arg, const char *s, size_t len);
};

/*
 * The text converter (text.c): it appends the plain text of what it is
 * shown to out, failing with -E2BIG when out reached its cap (what fitted
 * is kept).  html_text_new() returns NULL without memory.
 */
struct tx;
extern const struct html_handler html_text_handler;
struct tx *html_text_new(struct buf *out);
void html_text_free(struct tx *t);

/* Appends the text of text[0..len), which holds no markup or entity,
 * to out: 0, -ENOMEM or -E2BIG as above. */
int html_text_plain(const char *text, size_t len, struct buf *out);

#endif
