/*
 * html_internal.h - what html.c (the sanitizer) and text.c (the text
 * converter) share: the element table, the character filter and the
 * tree walk limits.  Not installed, not for other modules.
 */
#ifndef FEEDSPOOL_HTML_INTERNAL_H
#define FEEDSPOOL_HTML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

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
 * A tree walk in document order.  enter() sees every node the walk
 * reaches and sets *ret_descend to go into its children; leave() sees
 * each element that was gone into, after its children.  A negative
 * return from either stops the walk and is returned.
 */
struct html_walker {
	int (*enter)(void *arg, xmlNodePtr n, bool *ret_descend);
	int (*leave)(void *arg, xmlNodePtr n);
};

/* Walks the children of root without recursion; see struct html_walker. */
int html_walk(xmlNodePtr root, const struct html_walker *w, void *arg);

/*
 * Appends the plain text of the tree under root (a document or element)
 * to out.  Returns 0, -ENOMEM, or -E2BIG when out reached its cap (what
 * fitted is kept).  Lives in text.c.
 */
int html_text(xmlNodePtr root, struct buf *out);

/* The same for text without markup or entities: text[0..len) as is. */
int html_text_plain(const char *text, size_t len, struct buf *out);

#endif
