/*
 * xmlfix.h - one linear repair pass that makes real-world feed XML
 * well-formed, so that libxml2 parses it strictly instead of falling back
 * to a recovery that drops items.
 *
 * The input is UTF-8 (charset.c has run).  Outside CDATA sections,
 * comments and processing instructions, the pass:
 *  - keeps &amp; &lt; &gt; &quot; &apos; and numeric references to valid
 *    XML characters as they are; turns &#128;-&#159; into the
 *    windows-1252 characters browsers show (&#147; is U+201C), and a
 *    reference to a character XML forbids (&#0;, &#xD800;, &#x110000;)
 *    into U+FFFD;
 *  - replaces a named HTML 4 entity (and some common HTML5 ones) by its
 *    character, and a general entity declared in the internal DTD subset
 *    by its replacement text (see below);
 *  - escapes every other '&' as "&amp;" and keeps what follows: "AT&T",
 *    "?a=1&b=2", "&foo" and an undeclared "&foo;" read as written;
 *  - escapes a '<' that starts no markup ("a < b", "<3") and the '>' of a
 *    "]]>" in text;
 *  - removes characters XML forbids (C0 controls other than tab, newline
 *    and carriage return; U+FFFE, U+FFFF), in every context;
 *  - in tags: quotes unquoted attribute values, gives a minimized
 *    attribute an empty value, drops bytes that cannot be there, closes a
 *    quoted value that has no end before the next tag at its first '>';
 *  - removes every DOCTYPE, so libxml2 never sees a DTD;
 *  - removes anything before the first markup (leading whitespace, a
 *    stray BOM, text) and, after the root element's end tag, everything
 *    from the first byte that is not white space, a comment or a PI; a
 *    misplaced XML declaration is dropped.
 * Comments, CDATA and PIs are copied as they are, except that forbidden
 * characters go and "--" inside a comment becomes "- -".  One that never
 * ends is not closed at the end of the document (which would swallow the
 * items after it): its '<' is escaped and the rest is read as content.
 * Tag nesting is left alone: libxml2's recover mode is the last resort.
 * A well-formed document comes out byte for byte the same, except for
 * white space before its first '<', its DOCTYPE, and a space put at the
 * start of a comment whose text starts with ">" or "->" (libxml2's push
 * parser would take "<!-->" for a whole comment).
 *
 * Entities: only the first DOCTYPE before the root element is read, and
 * only its internal general entities with a literal value count.  The
 * value is taken as text: markup in it is escaped, numeric and HTML
 * references in it are decoded, and references to other entities are not
 * expanded (no nesting, hence no billion laughs).  External entities
 * (SYSTEM, PUBLIC) and parameter entities are never resolved; references
 * to them read as text ("&amp;name;"), unless the name is an HTML entity.
 * Substitutions together may grow the document (replacement text minus
 * reference, summed) by XMLFIX_SUBST_MAX bytes or four times the input,
 * whichever is smaller; past that, references read as text (or as the
 * HTML character of that name) and capped_entities counts them: no
 * quadratic blowup.
 */
#ifndef FEEDSPOOL_XMLFIX_H
#define FEEDSPOOL_XMLFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct feed_doc;

#define XMLFIX_SUBST_MAX ((size_t)1 << 20)	/* growth; replacement texts */
#define XMLFIX_MAX_ENTITIES 2048	/* declarations kept from the DTD */
#define XMLFIX_NAME_MAX 64		/* longer entity names are text */

/*
 * The output cap feed_parse() passes: twice the input, plus the
 * substitution budget.  Only a document made mostly of bare '&' and '<'
 * grows more than that.  Evaluates len more than once.
 */
#define XMLFIX_MAX_OUT(len)						\
	((size_t)(len) > (SIZE_MAX - XMLFIX_SUBST_MAX - 4096) / 2 ?	\
	    SIZE_MAX : 2 * (size_t)(len) + XMLFIX_SUBST_MAX + 4096)

/* What the pass changed; all zero/false for a well-formed document. */
struct xmlfix_stats {
	size_t entities;	/* HTML named references made characters */
	size_t charrefs;	/* numeric references rewritten */
	size_t ampersands;	/* '&' starting no reference, escaped */
	size_t lts;		/* '<' starting no markup, "]]>" in text */
	size_t controls;	/* forbidden characters removed */
	size_t doctype_entities; /* references to DTD entities replaced */
	size_t capped_entities;	/* ... left as text: the cap was reached */
	size_t ignored_entities; /* external, parameter, or over the count */
	size_t tags;		/* repairs inside tags */
	size_t comments;	/* "--" inside comments split */
	size_t unterminated;	/* comments, CDATA, PIs without an end */
	bool doctype_removed;	/* (not a warning on its own) */
	bool xmldecl_removed;	/* an XML declaration not at the start */
	bool leading_junk;	/* text before the first markup */
	bool trailing_junk;	/* content after the root element */
};

/*
 * Repairs buf[0..len) into a new NUL-terminated buffer.  On success
 * returns 0, stores the buffer (owned by the caller, who frees it) in
 * *ret_buf, its length without the NUL in *ret_len, and what changed in
 * *ret_stats.  Returns -ENOMEM, or -E2BIG when the output would pass
 * max_out bytes; the ret_ parameters are then untouched.  Runs in time
 * linear in len and never reads outside buf[0..len).
 */
int xmlfix_repair(const char *buf, size_t len, size_t max_out,
    char **ret_buf, size_t *ret_len, struct xmlfix_stats *ret_stats);

/*
 * The same pass, without the whole output in memory: it is handed to
 * sink(arg, p, n, done) in order as it is made, whenever piece bytes or
 * more are waiting (0 = XMLFIX_PIECE), with how much of buf has been read
 * to make it.  Returns 0, -ENOMEM, -E2BIG once the output would pass
 * max_out, or the sink's negative return, which stops the pass.
 * *ret_stats is written in every case: what was repaired up to the end or
 * the stop.
 */
#define XMLFIX_PIECE ((size_t)64 << 10)
int xmlfix_repair_to(const char *buf, size_t len, size_t max_out,
    size_t piece, int (*sink)(void *arg, const char *p, size_t n,
    size_t done), void *arg, struct xmlfix_stats *ret_stats);

/*
 * Adds to doc one warning line for the repairs in st, and one each for
 * capped and ignored entities; adds nothing for a document that was
 * well-formed (removing its DOCTYPE and expanding the entities declared
 * there is no warning).
 */
void xmlfix_warnings(const struct xmlfix_stats *st, struct feed_doc *doc);

#endif
