/*
 * test-charset.c - charset_to_utf8(), one table row per rule.
 *
 * The expected bytes were written by Python 3.11's codecs
 * (str.encode(codec) for the inputs, bytes.decode(codec, "replace") for
 * the outputs), never by running charset.c; each row's comment names the
 * codec or the point of the row.  Where we differ from Python on purpose,
 * the unassigned windows-125x bytes 0x81 and the like, the expected C1
 * control is bytes.decode("latin-1") of that byte, as in WHATWG's index.
 * The encoding names expected are WHATWG's (encoding.spec.whatwg.org,
 * "Names and labels").
 */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "charset.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define IN(s)		s, sizeof(s) - 1
#define OUT(s)		s, sizeof(s) - 1

struct conv_case {
	const char *name;
	const char *in;
	size_t in_len;
	const char *http;	/* the HTTP charset, or NULL */
	const char *out;
	size_t out_len;
	const char *encoding;	/* expected charset_result.encoding */
	const char *declared;	/* expected charset_result.declared */
	int flags;
};

static const struct conv_case cases[] = {
	/* BOM + declaration, both dropped */
	{ "bom-utf8",
	    IN("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<rss>\xc3\xa9</rss>"),
	    NULL,
	    OUT("\n<rss>\xc3\xa9</rss>"),
	    "UTF-8", "utf-8", 0 },
	/* ('\ufeff' + decl + t).encode('utf-16-le') */
	{ "bom-utf16le",
	    IN("\xff\xfe<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r\x00"
	    "s\x00i\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00\""
	    "\x00 \x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g"
	    "\x00=\x00\"\x00u\x00t\x00" "f\x00-\x00" "1\x00" "6\x00\""
	    "\x00?\x00>\x00<\x00r\x00s\x00s\x00>\x00\xe9\x00\xac 4"
	    "\xd8\x1e\xdd<\x00/\x00r\x00s\x00s\x00>\x00"),
	    NULL,
	    OUT("<rss>\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e</rss>"),
	    "UTF-16LE", "utf-16", 0 },
	/* ('\ufeff' + decl + t).encode('utf-16-be') */
	{ "bom-utf16be",
	    IN("\xfe\xff\x00<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r"
	    "\x00s\x00i\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00"
	    "\"\x00 \x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g"
	    "\x00=\x00\"\x00u\x00t\x00" "f\x00-\x00" "1\x00" "6\x00\""
	    "\x00?\x00>\x00<\x00r\x00s\x00s\x00>\x00\xe9 \xac\xd8" "4"
	    "\xdd\x1e\x00<\x00/\x00r\x00s\x00s\x00>"),
	    NULL,
	    OUT("<rss>\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e</rss>"),
	    "UTF-16BE", "utf-16", 0 },
	/* ('\ufeff' + decl + t).encode('utf-32-le') */
	{ "bom-utf32le",
	    IN("\xff\xfe\x00\x00<\x00\x00\x00?\x00\x00\x00x\x00\x00\x00m"
	    "\x00\x00\x00l\x00\x00\x00 \x00\x00\x00v\x00\x00\x00" "e"
	    "\x00\x00\x00r\x00\x00\x00s\x00\x00\x00i\x00\x00\x00o\x00"
	    "\x00\x00n\x00\x00\x00=\x00\x00\x00\"\x00\x00\x00" "1\x00"
	    "\x00\x00.\x00\x00\x00" "0\x00\x00\x00\"\x00\x00\x00 \x00"
	    "\x00\x00" "e\x00\x00\x00n\x00\x00\x00" "c\x00\x00\x00o"
	    "\x00\x00\x00" "d\x00\x00\x00i\x00\x00\x00n\x00\x00\x00g"
	    "\x00\x00\x00=\x00\x00\x00\"\x00\x00\x00u\x00\x00\x00t"
	    "\x00\x00\x00" "f\x00\x00\x00-\x00\x00\x00" "3\x00\x00"
	    "\x00" "2\x00\x00\x00\"\x00\x00\x00?\x00\x00\x00>\x00\x00"
	    "\x00<\x00\x00\x00r\x00\x00\x00s\x00\x00\x00s\x00\x00\x00"
	    ">\x00\x00\x00\xe9\x00\x00\x00\xac \x00\x00\x1e\xd1\x01"
	    "\x00<\x00\x00\x00/\x00\x00\x00r\x00\x00\x00s\x00\x00\x00"
	    "s\x00\x00\x00>\x00\x00\x00"),
	    NULL,
	    OUT("<rss>\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e</rss>"),
	    "UTF-32LE", "utf-32", 0 },
	/* ('\ufeff' + decl + t).encode('utf-32-be') */
	{ "bom-utf32be",
	    IN("\x00\x00\xfe\xff\x00\x00\x00<\x00\x00\x00?\x00\x00\x00x"
	    "\x00\x00\x00m\x00\x00\x00l\x00\x00\x00 \x00\x00\x00v\x00"
	    "\x00\x00" "e\x00\x00\x00r\x00\x00\x00s\x00\x00\x00i\x00"
	    "\x00\x00o\x00\x00\x00n\x00\x00\x00=\x00\x00\x00\"\x00"
	    "\x00\x00" "1\x00\x00\x00.\x00\x00\x00" "0\x00\x00\x00\""
	    "\x00\x00\x00 \x00\x00\x00" "e\x00\x00\x00n\x00\x00\x00" "c"
	    "\x00\x00\x00o\x00\x00\x00" "d\x00\x00\x00i\x00\x00\x00n"
	    "\x00\x00\x00g\x00\x00\x00=\x00\x00\x00\"\x00\x00\x00u"
	    "\x00\x00\x00t\x00\x00\x00" "f\x00\x00\x00-\x00\x00\x00" "3"
	    "\x00\x00\x00" "2\x00\x00\x00\"\x00\x00\x00?\x00\x00\x00>"
	    "\x00\x00\x00<\x00\x00\x00r\x00\x00\x00s\x00\x00\x00s\x00"
	    "\x00\x00>\x00\x00\x00\xe9\x00\x00 \xac\x00\x01\xd1\x1e"
	    "\x00\x00\x00<\x00\x00\x00/\x00\x00\x00r\x00\x00\x00s\x00"
	    "\x00\x00s\x00\x00\x00>"),
	    NULL,
	    OUT("<rss>\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e</rss>"),
	    "UTF-32BE", "utf-32", 0 },
	/* the BOM wins over the declaration */
	{ "bom-utf8-decl-latin1",
	    IN("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"iso-8859-1"
	    "\"?><a>\xc3\xa9</a>"),
	    NULL,
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-8", "iso-8859-1", CHARSET_MISMATCH },
	/* the BOM wins over HTTP */
	{ "bom-utf16le-http-latin1",
	    IN("\xff\xfe<\x00" "a\x00>\x00\xe9\x00<\x00/\x00" "a\x00>\x00"),
	    "iso-8859-1",
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-16LE", "", CHARSET_MISMATCH },
	/* HTTP agrees with the BOM */
	{ "bom-utf8-http-utf8",
	    IN("\xef\xbb\xbf<a>\xc3\xa9</a>"),
	    "utf-8",
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-8", "", 0 },
	/* nothing after the BOM */
	{ "bom-only",
	    IN("\xef\xbb\xbf"),
	    NULL,
	    OUT(""),
	    "UTF-8", "", 0 },
	/* whitespace after the BOM goes too */
	{ "bom-ws",
	    IN("\xef\xbb\xbf \r\n\t<rss/>"),
	    NULL,
	    OUT("<rss/>"),
	    "UTF-8", "", 0 },
	/* a dangling byte is one U+FFFD */
	{ "bom-utf16le-odd",
	    IN("\xff\xfe<\x00" "a\x00/\x00>\x00" "A"),
	    NULL,
	    OUT("<a/>\xef\xbf\xbd"),
	    "UTF-16LE", "", CHARSET_REPLACED },
	/* invalid bytes after a UTF-8 BOM */
	{ "bom-utf8-invalid",
	    IN("\xef\xbb\xbf<a>Espa\xf1" "a</a>"),
	    NULL,
	    OUT("<a>Espa\xef\xbf\xbd" "a</a>"),
	    "UTF-8", "", CHARSET_REPLACED },
	/* XML 1.0 F: 3C 00 3F 00 */
	{ "pat-utf16le",
	    IN("<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r\x00s\x00i"
	    "\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00\"\x00 "
	    "\x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g\x00="
	    "\x00\"\x00u\x00t\x00" "f\x00-\x00" "1\x00" "6\x00\"\x00?"
	    "\x00>\x00<\x00r\x00s\x00s\x00>\x00\xfc\x00<\x00/\x00r"
	    "\x00s\x00s\x00>\x00"),
	    NULL,
	    OUT("<rss>\xc3\xbc</rss>"),
	    "UTF-16LE", "utf-16", 0 },
	/* XML 1.0 F: 00 3C 00 3F, Python's u16 label */
	{ "pat-utf16be-u16",
	    IN("\x00<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r\x00s"
	    "\x00i\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00\""
	    "\x00 \x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g"
	    "\x00=\x00\"\x00u\x00" "1\x00" "6\x00\"\x00?\x00>\x00<"
	    "\x00r\x00s\x00s\x00>\x00\xfc\x00<\x00/\x00r\x00s\x00s"
	    "\x00>"),
	    NULL,
	    OUT("<rss>\xc3\xbc</rss>"),
	    "UTF-16BE", "u16", 0 },
	/* XML 1.0 F: 3C 00 00 00 */
	{ "pat-utf32le",
	    IN("<\x00\x00\x00?\x00\x00\x00x\x00\x00\x00m\x00\x00\x00l"
	    "\x00\x00\x00 \x00\x00\x00v\x00\x00\x00" "e\x00\x00\x00r"
	    "\x00\x00\x00s\x00\x00\x00i\x00\x00\x00o\x00\x00\x00n\x00"
	    "\x00\x00=\x00\x00\x00\"\x00\x00\x00" "1\x00\x00\x00.\x00"
	    "\x00\x00" "0\x00\x00\x00\"\x00\x00\x00 \x00\x00\x00" "e"
	    "\x00\x00\x00n\x00\x00\x00" "c\x00\x00\x00o\x00\x00\x00" "d"
	    "\x00\x00\x00i\x00\x00\x00n\x00\x00\x00g\x00\x00\x00=\x00"
	    "\x00\x00\"\x00\x00\x00u\x00\x00\x00t\x00\x00\x00" "f\x00"
	    "\x00\x00-\x00\x00\x00" "3\x00\x00\x00" "2\x00\x00\x00\""
	    "\x00\x00\x00?\x00\x00\x00>\x00\x00\x00<\x00\x00\x00r\x00"
	    "\x00\x00s\x00\x00\x00s\x00\x00\x00>\x00\x00\x00\xfc\x00"
	    "\x00\x00\x00\xf6\x01\x00<\x00\x00\x00/\x00\x00\x00r\x00"
	    "\x00\x00s\x00\x00\x00s\x00\x00\x00>\x00\x00\x00"),
	    NULL,
	    OUT("<rss>\xc3\xbc\xf0\x9f\x98\x80</rss>"),
	    "UTF-32LE", "utf-32", 0 },
	/* XML 1.0 F: 00 00 00 3C */
	{ "pat-utf32be",
	    IN("\x00\x00\x00<\x00\x00\x00?\x00\x00\x00x\x00\x00\x00m\x00"
	    "\x00\x00l\x00\x00\x00 \x00\x00\x00v\x00\x00\x00" "e\x00"
	    "\x00\x00r\x00\x00\x00s\x00\x00\x00i\x00\x00\x00o\x00\x00"
	    "\x00n\x00\x00\x00=\x00\x00\x00\"\x00\x00\x00" "1\x00\x00"
	    "\x00.\x00\x00\x00" "0\x00\x00\x00\"\x00\x00\x00 \x00\x00"
	    "\x00" "e\x00\x00\x00n\x00\x00\x00" "c\x00\x00\x00o\x00"
	    "\x00\x00" "d\x00\x00\x00i\x00\x00\x00n\x00\x00\x00g\x00"
	    "\x00\x00=\x00\x00\x00\"\x00\x00\x00U\x00\x00\x00T\x00"
	    "\x00\x00" "F\x00\x00\x00-\x00\x00\x00" "3\x00\x00\x00" "2"
	    "\x00\x00\x00\"\x00\x00\x00?\x00\x00\x00>\x00\x00\x00<"
	    "\x00\x00\x00r\x00\x00\x00s\x00\x00\x00s\x00\x00\x00>\x00"
	    "\x00\x00\xfc\x00\x00\x00<\x00\x00\x00/\x00\x00\x00r\x00"
	    "\x00\x00s\x00\x00\x00s\x00\x00\x00>"),
	    NULL,
	    OUT("<rss>\xc3\xbc</rss>"),
	    "UTF-32BE", "UTF-32", 0 },
	/* no declaration at all */
	{ "pat-utf16le-nodecl",
	    IN("<\x00r\x00s\x00s\x00>\x00\xa9\x03<\x00/\x00r\x00s\x00s"
	    "\x00>\x00"),
	    NULL,
	    OUT("<rss>\xce\xa9</rss>"),
	    "UTF-16LE", "", 0 },
	/* leading whitespace in UTF-16BE */
	{ "pat-utf16be-ws",
	    IN("\x00\n\x00 \x00<\x00r\x00s\x00s\x00/\x00>"),
	    NULL,
	    OUT("<rss/>"),
	    "UTF-16BE", "", 0 },
	/* a JSON Feed in UTF-16LE */
	{ "pat-utf16le-json",
	    IN("{\x00\"\x00t\x00i\x00t\x00l\x00" "e\x00\"\x00:\x00\"\x00"
	    "\xe9\x00\"\x00}\x00"),
	    NULL,
	    OUT("{\"title\":\"\xc3\xa9\"}"),
	    "UTF-16LE", "", 0 },
	/* a single-byte label on UTF-16 bytes */
	{ "pat-utf16le-latin1",
	    IN("<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r\x00s\x00i"
	    "\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00\"\x00 "
	    "\x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g\x00="
	    "\x00\"\x00i\x00s\x00o\x00-\x00" "8\x00" "8\x00" "5\x00" "9"
	    "\x00-\x00" "1\x00\"\x00?\x00>\x00<\x00" "a\x00>\x00\xe9"
	    "\x00<\x00/\x00" "a\x00>\x00"),
	    NULL,
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-16LE", "iso-8859-1", CHARSET_MISMATCH },
	/* a UTF-16LE label on big-endian bytes */
	{ "pat-utf16be-le-label",
	    IN("\x00<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r\x00s"
	    "\x00i\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00\""
	    "\x00 \x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g"
	    "\x00=\x00\"\x00u\x00t\x00" "f\x00-\x00" "1\x00" "6\x00l"
	    "\x00" "e\x00\"\x00?\x00>\x00<\x00" "a\x00>\x00\xe9\x00<"
	    "\x00/\x00" "a\x00>"),
	    NULL,
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-16BE", "utf-16le", CHARSET_MISMATCH },
	/* an unknown label on UTF-16 bytes */
	{ "pat-utf16le-bogus",
	    IN("<\x00?\x00x\x00m\x00l\x00 \x00v\x00" "e\x00r\x00s\x00i"
	    "\x00o\x00n\x00=\x00\"\x00" "1\x00.\x00" "0\x00\"\x00 "
	    "\x00" "e\x00n\x00" "c\x00o\x00" "d\x00i\x00n\x00g\x00="
	    "\x00\"\x00" "b\x00o\x00g\x00u\x00s\x00\"\x00?\x00>\x00<"
	    "\x00" "a\x00/\x00>\x00"),
	    NULL,
	    OUT("<a/>"),
	    "UTF-16LE", "bogus", CHARSET_UNKNOWN_LABEL },
	/* HTTP says UTF-8, the bytes say UTF-16LE */
	{ "pat-utf16le-http-utf8",
	    IN("<\x00" "a\x00>\x00\xe9\x00<\x00/\x00" "a\x00>\x00"),
	    "utf-8",
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-16LE", "", CHARSET_MISMATCH },
	/* lone surrogates and a dangling byte: one U+FFFD each */
	{ "pat-utf16le-surrogates",
	    IN("<\x00" "a\x00>\x00\x00\xd8" "b\x00\x00\xdc" "c\x00=\xd8"
	    "\x1e\xdd" "d"),
	    NULL,
	    OUT("<a>\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xf0\x9f\x94\x9e\xef"
	    "\xbf\xbd"),
	    "UTF-16LE", "", CHARSET_REPLACED },
	/* past U+10FFFF, a surrogate, 2 dangling bytes */
	{ "pat-utf32be-invalid",
	    IN("\x00\x00\x00<\x00\x11\x00\x00\x00\x00\xd8\x00\x00\x00"
	    "\x00" "a\x00\x00"),
	    NULL,
	    OUT("<\xef\xbf\xbd\xef\xbf\xbd" "a\xef\xbf\xbd"),
	    "UTF-32BE", "", CHARSET_REPLACED },
	/* HTTP over the declaration (RFC 7303 3.2) */
	{ "http-wins",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>\xc3"
	    "\xa9</a>"),
	    "utf-8",
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-8", "iso-8859-1", 0 },
	/* HTTP iso-8859-1 over a utf-8 declaration */
	{ "http-latin1",
	    IN("<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xe9</a>"),
	    "iso-8859-1",
	    OUT("<a>\xc3\xa9</a>"),
	    "windows-1252", "utf-8", 0 },
	/* s.encode('koi8_r'), no declaration */
	{ "http-koi8r",
	    IN("<t>\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2</t>"),
	    "KOI8-R",
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	    "\xd0\xbc\xd0\xb8\xd1\x80</t>"),
	    "KOI8-R", "", 0 },
	/* quotes, spaces and case are trimmed from the label */
	{ "http-quoted",
	    IN("<t>\xcf\xf0\xe8\xe2\xe5\xf2</t>"),
	    "\"  Windows-1251 \"",
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "windows-1251", "", 0 },
	/* an unknown HTTP label passes to the declaration */
	{ "http-unknown",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-2\"?><t>Za\xbf"
	    "\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1</t>"),
	    "x-bogus",
	    OUT("<t>Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl"
	    "\xc4\x85 ja\xc5\xba\xc5\x84</t>"),
	    "ISO-8859-2", "iso-8859-2", CHARSET_UNKNOWN_LABEL },
	/* HTTP UTF-16 on plainly 8-bit bytes */
	{ "http-utf16-8bit",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>\xcf"
	    "\xf0\xe8\xe2\xe5\xf2</t>"),
	    "utf-16",
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "windows-1251", "windows-1251", CHARSET_MISMATCH },
	/* an empty HTTP label is no label */
	{ "http-empty",
	    IN("<?xml version=\"1.0\" encoding=\"koi8-r\"?><t>\xf0\xd2"
	    "\xc9\xd7\xc5\xd4</t>"),
	    "  ",
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "KOI8-R", "koi8-r", 0 },
	/* HTTP UTF-8 on Latin-1 bytes */
	{ "http-utf8-invalid",
	    IN("<a>caf\xe9 ok</a>"),
	    "utf-8",
	    OUT("<a>caf\xef\xbf\xbd ok</a>"),
	    "UTF-8", "", CHARSET_REPLACED },
	/* a 50-letter label names nothing */
	{ "http-long-label",
	    IN("<?xml version=\"1.0\" encoding=\"koi8-r\"?><t>\xf0\xd2"
	    "\xc9\xd7\xc5\xd4</t>"),
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "KOI8-R", "koi8-r", CHARSET_UNKNOWN_LABEL },
	/* a label outside the table that iconv knows */
	{ "http-cp850",
	    IN("<a>\x82</a>"),
	    "cp850",
	    OUT("<a>\xc3\xa9</a>"),
	    "CP850", "", 0 },
	/* glibc's ISO-IR-193 is UTF-8 copied unchecked; checked again */
	{ "http-utf8-alias",
	    IN("<a>\xf4\xa1\xa1\xa1|\xed\xa0\x80</a>"),
	    "iso-ir-193",
	    OUT("<a>\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef"
	    "\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd</a>"),
	    "ISO-IR-193", "", CHARSET_REPLACED },
	/* IBM037 does not read ASCII as ASCII */
	{ "http-ebcdic-8bit",
	    IN("<a>\xc3\xa9</a>"),
	    "ibm037",
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-8", "", CHARSET_MISMATCH },
	/* UTF-7 does not either (+- is +) */
	{ "http-utf7-8bit",
	    IN("<a>1+-1</a>"),
	    "utf-7",
	    OUT("<a>1+-1</a>"),
	    "UTF-8", "", CHARSET_MISMATCH },
	/* a UTF-16 label and no pattern: big-endian */
	{ "http-utf16-nopattern",
	    IN("\x00\xe9N-"),
	    "utf-16",
	    OUT("\xc3\xa9\xe4\xb8\xad"),
	    "UTF-16BE", "", 0 },
	/* an explicit UTF-16LE label */
	{ "http-utf16le-nopattern",
	    IN("\xe9\x00-N"),
	    "UTF-16LE",
	    OUT("\xc3\xa9\xe4\xb8\xad"),
	    "UTF-16LE", "", 0 },
	/* too short for a pattern, and a NUL: not 8-bit */
	{ "http-utf16le-short",
	    IN("<\x00"),
	    "utf-16le",
	    OUT("<"),
	    "UTF-16LE", "", 0 },
	/* t.encode('cp037'): the declaration is found in the output */
	{ "http-ebcdic",
	    IN("Lo\xa7\x94\x93@\xa5\x85\x99\xa2\x89\x96\x95~\x7f\xf1K"
	    "\xf0\x7f@\x85\x95\x83\x96\x84\x89\x95\x87~\x7f\x85\x82"
	    "\x83\x84\x89\x83`\x83\x97`\xa4\xa2\x7fonL\x81nQLa\x81n"),
	    "IBM037",
	    OUT("<a>\xc3\xa9</a>"),
	    "IBM037", "", 0 },
	/* b'\x93hi\x94' is windows-1252's curly quotes */
	{ "decl-latin1-quotes",
	    IN("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\x93hi"
	    "\x94</a>"),
	    NULL,
	    OUT("<a>\xe2\x80\x9chi\xe2\x80\x9d</a>"),
	    "windows-1252", "ISO-8859-1", 0 },
	/* US-ASCII is windows-1252 too */
	{ "decl-ascii-euro",
	    IN("<?xml version=\"1.0\" encoding=\"us-ascii\"?><a>\x80</a>"),
	    NULL,
	    OUT("<a>\xe2\x82\xac</a>"),
	    "windows-1252", "us-ascii", 0 },
	/* the five bytes CP1252 lacks are C1, as WHATWG */
	{ "decl-1252-undefined",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\x81"
	    "\x8d\x8f\x90\x9d"),
	    NULL,
	    OUT("\xc2\x81\xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d"),
	    "windows-1252", "windows-1252", 0 },
	/* a UTF-16 declaration on ASCII bytes */
	{ "decl-utf16-8bit",
	    IN("<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>"),
	    NULL,
	    OUT("<a/>"),
	    "UTF-8", "utf-16", CHARSET_MISMATCH },
	/* ...and on bytes that are not UTF-8 either */
	{ "decl-utf16-8bit-latin1",
	    IN("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>\xe9</a>"),
	    NULL,
	    OUT("<a>\xc3\xa9</a>"),
	    "windows-1252", "UTF-16", CHARSET_MISMATCH | CHARSET_FALLBACK },
	/* an unknown declaration on UTF-8 */
	{ "decl-bogus",
	    IN("<?xml version=\"1.0\" encoding=\"bogus\"?><a>\xc3\xa9</a>"),
	    NULL,
	    OUT("<a>\xc3\xa9</a>"),
	    "UTF-8", "bogus", CHARSET_UNKNOWN_LABEL },
	/* an unknown declaration on non-UTF-8 */
	{ "decl-bogus-latin1",
	    IN("<?xml version=\"1.0\" encoding=\"bogus\"?><a>\xe9</a>"),
	    NULL,
	    OUT("<a>\xc3\xa9</a>"),
	    "windows-1252", "bogus", CHARSET_UNKNOWN_LABEL | CHARSET_FALLBACK },
	/* single quotes, spaces around '=', upper case */
	{ "decl-single-quotes",
	    IN("<?xml version='1.0' encoding = 'KOI8-R' ?><t>\xf0\xd2"
	    "\xc9\xd7\xc5\xd4</t>"),
	    NULL,
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "KOI8-R", "KOI8-R", 0 },
	/* standalone after encoding; 0xA4 is the euro sign */
	{ "decl-standalone",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-15\" standalon"
	    "e=\"yes\"?>\n<a>\xa4</a>"),
	    NULL,
	    OUT("\n<a>\xe2\x82\xac</a>"),
	    "ISO-8859-15", "iso-8859-15", 0 },
	/* a declaration closed by '>' alone */
	{ "decl-no-question",
	    IN("<?xml version='1.0' encoding='iso-8859-5'><t>\xbf\xe0"
	    "\xd8\xd2\xd5\xe2</t>"),
	    NULL,
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "ISO-8859-5", "iso-8859-5", 0 },
	/* a declaration must come first */
	{ "decl-not-first",
	    IN("<!-- c --><?xml version=\"1.0\" encoding=\"koi8-r\"?><a>"
	    "\xf0</a>"),
	    NULL,
	    OUT("<!-- c --><?xml version=\"1.0\" encoding=\"koi8-r\"?><a>"
	    "\xc3\xb0</a>"),
	    "windows-1252", "", CHARSET_FALLBACK },
	/* <?xml-stylesheet is no declaration */
	{ "stylesheet-kept",
	    IN("  <?xml-stylesheet href=\"a.xsl\"?><rss/>"),
	    NULL,
	    OUT("<?xml-stylesheet href=\"a.xsl\"?><rss/>"),
	    "UTF-8", "", 0 },
	/* whitespace before the declaration goes, after stays */
	{ "decl-ws-before",
	    IN("\r\n \t<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss/>"),
	    NULL,
	    OUT("\n<rss/>"),
	    "UTF-8", "utf-8", 0 },
	/* no '>': not a declaration, nothing dropped */
	{ "decl-unterminated",
	    IN("<?xml version=\"1.0\" encoding=\"koi8-r\""),
	    NULL,
	    OUT("<?xml version=\"1.0\" encoding=\"koi8-r\""),
	    "UTF-8", "", 0 },
	/* a label with a non-ASCII byte */
	{ "decl-nonascii-label",
	    IN("<?xml version=\"1.0\" encoding=\"utf\xe9\"?><a/>"),
	    NULL,
	    OUT("<a/>"),
	    "UTF-8", "utf?", CHARSET_UNKNOWN_LABEL },
	/* a 45-letter label: unknown, recorded cut to 39 */
	{ "decl-long-label",
	    IN("<?xml version=\"1.0\" encoding=\"xxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxx\"?><a/>"),
	    NULL,
	    OUT("<a/>"),
	    "UTF-8", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    CHARSET_UNKNOWN_LABEL },
	/* a label cut to its first 80 units must not match as 'koi8-r' */
	{ "decl-label-cut",
	    IN("<?xml version=\"1.0\" encoding=\"                       "
	    "                                                   koi8-"
	    "rX\"?><a/>"),
	    NULL,
	    OUT("<a/>"),
	    "UTF-8", "koi8-r", CHARSET_UNKNOWN_LABEL },
	/* nothing but a declaration */
	{ "decl-only",
	    IN("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
	    NULL,
	    OUT(""),
	    "UTF-8", "utf-8", 0 },
	/* valid UTF-8 */
	{ "undeclared-utf8",
	    IN("<rss>\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xc3\xa9</rss>"),
	    NULL,
	    OUT("<rss>\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xc3\xa9</rss>"),
	    "UTF-8", "", 0 },
	/* not UTF-8: windows-1252 */
	{ "undeclared-latin1",
	    IN("<rss>caf\xe9</rss>"),
	    NULL,
	    OUT("<rss>caf\xc3\xa9</rss>"),
	    "windows-1252", "", CHARSET_FALLBACK },
	/* every high byte; the five holes as C1 */
	{ "undeclared-1252-all",
	    IN("\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d"
	    "\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b"
	    "\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9"
	    "\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7"
	    "\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf\xc0\xc1\xc2\xc3\xc4\xc5"
	    "\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3"
	    "\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf\xe0\xe1"
	    "\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef"
	    "\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd"
	    "\xfe\xff"),
	    NULL,
	    OUT("\xe2\x82\xac\xc2\x81\xe2\x80\x9a\xc6\x92\xe2\x80\x9e\xe2"
	    "\x80\xa6\xe2\x80\xa0\xe2\x80\xa1\xcb\x86\xe2\x80\xb0\xc5"
	    "\xa0\xe2\x80\xb9\xc5\x92\xc2\x8d\xc5\xbd\xc2\x8f\xc2\x90"
	    "\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d\xe2\x80"
	    "\xa2\xe2\x80\x93\xe2\x80\x94\xcb\x9c\xe2\x84\xa2\xc5\xa1"
	    "\xe2\x80\xba\xc5\x93\xc2\x9d\xc5\xbe\xc5\xb8\xc2\xa0\xc2"
	    "\xa1\xc2\xa2\xc2\xa3\xc2\xa4\xc2\xa5\xc2\xa6\xc2\xa7\xc2"
	    "\xa8\xc2\xa9\xc2\xaa\xc2\xab\xc2\xac\xc2\xad\xc2\xae\xc2"
	    "\xaf\xc2\xb0\xc2\xb1\xc2\xb2\xc2\xb3\xc2\xb4\xc2\xb5\xc2"
	    "\xb6\xc2\xb7\xc2\xb8\xc2\xb9\xc2\xba\xc2\xbb\xc2\xbc\xc2"
	    "\xbd\xc2\xbe\xc2\xbf\xc3\x80\xc3\x81\xc3\x82\xc3\x83\xc3"
	    "\x84\xc3\x85\xc3\x86\xc3\x87\xc3\x88\xc3\x89\xc3\x8a\xc3"
	    "\x8b\xc3\x8c\xc3\x8d\xc3\x8e\xc3\x8f\xc3\x90\xc3\x91\xc3"
	    "\x92\xc3\x93\xc3\x94\xc3\x95\xc3\x96\xc3\x97\xc3\x98\xc3"
	    "\x99\xc3\x9a\xc3\x9b\xc3\x9c\xc3\x9d\xc3\x9e\xc3\x9f\xc3"
	    "\xa0\xc3\xa1\xc3\xa2\xc3\xa3\xc3\xa4\xc3\xa5\xc3\xa6\xc3"
	    "\xa7\xc3\xa8\xc3\xa9\xc3\xaa\xc3\xab\xc3\xac\xc3\xad\xc3"
	    "\xae\xc3\xaf\xc3\xb0\xc3\xb1\xc3\xb2\xc3\xb3\xc3\xb4\xc3"
	    "\xb5\xc3\xb6\xc3\xb7\xc3\xb8\xc3\xb9\xc3\xba\xc3\xbb\xc3"
	    "\xbc\xc3\xbd\xc3\xbe\xc3\xbf"),
	    "windows-1252", "", CHARSET_FALLBACK },
	/* no bytes at all */
	{ "empty",
	    IN(""),
	    NULL,
	    OUT(""),
	    "UTF-8", "", 0 },
	/* only whitespace */
	{ "ws-only",
	    IN(" \n\t\r"),
	    NULL,
	    OUT(""),
	    "UTF-8", "", 0 },
	/* U+0000 is valid UTF-8; xmlfix deals with it */
	{ "nul-kept",
	    IN("<a>\x00</a>"),
	    NULL,
	    OUT("<a>\x00</a>"),
	    "UTF-8", "", 0 },
	/* 'Привет, мир'.encode('koi8_r') */
	{ "koi8-r",
	    IN("<?xml version=\"1.0\" encoding=\"koi8-r\"?><t>\xf0\xd2"
	    "\xc9\xd7\xc5\xd4, \xcd\xc9\xd2</t>"),
	    NULL,
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	    "\xd0\xbc\xd0\xb8\xd1\x80</t>"),
	    "KOI8-R", "koi8-r", 0 },
	/* 'Ґанок її'.encode('koi8_u') */
	{ "koi8-u",
	    IN("<?xml version=\"1.0\" encoding=\"koi8-u\"?><t>\xbd\xc1"
	    "\xce\xcf\xcb \xa7\xa7</t>"),
	    NULL,
	    OUT("<t>\xd2\x90\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xba \xd1\x97\xd1"
	    "\x97</t>"),
	    "KOI8-U", "koi8-u", 0 },
	/* '中文新闻'.encode('gb2312') */
	{ "gb2312",
	    IN("<?xml version=\"1.0\" encoding=\"gb2312\"?><t>\xd6\xd0"
	    "\xce\xc4\xd0\xc2\xce\xc5</t>"),
	    NULL,
	    OUT("<t>\xe4\xb8\xad\xe6\x96\x87\xe6\x96\xb0\xe9\x97\xbb</t>"),
	    "GBK", "gb2312", 0 },
	/* '中文新聞 镕'.encode('gbk') */
	{ "gbk",
	    IN("<?xml version=\"1.0\" encoding=\"GBK\"?><t>\xd6\xd0\xce"
	    "\xc4\xd0\xc2\xc2\x84 \xe9" "F</t>"),
	    NULL,
	    OUT("<t>\xe4\xb8\xad\xe6\x96\x87\xe6\x96\xb0\xe8\x81\x9e \xe9"
	    "\x95\x95</t>"),
	    "GBK", "GBK", 0 },
	/* '𠀀€中'.encode('gb18030') */
	{ "gb18030",
	    IN("<?xml version=\"1.0\" encoding=\"GB18030\"?><t>\x95" "2"
	    "\x82" "6\xa2\xe3\xd6\xd0</t>"),
	    NULL,
	    OUT("<t>\xf0\xa0\x80\x80\xe2\x82\xac\xe4\xb8\xad</t>"),
	    "gb18030", "GB18030", 0 },
	/* '中文繁體新聞'.encode('big5') */
	{ "big5",
	    IN("<?xml version=\"1.0\" encoding=\"big5\"?><t>\xa4\xa4\xa4"
	    "\xe5\xc1" "c\xc5\xe9\xb7s\xbb" "D</t>"),
	    NULL,
	    OUT("<t>\xe4\xb8\xad\xe6\x96\x87\xe7\xb9\x81\xe9\xab\x94\xe6"
	    "\x96\xb0\xe8\x81\x9e</t>"),
	    "Big5", "big5", 0 },
	/* 0x8862 is two code points: b'\x88\x62'.decode('big5hkscs') */
	{ "big5-hkscs-pair",
	    IN("<?xml version=\"1.0\" encoding=\"big5\"?><t>\x88" "b</t>"),
	    NULL,
	    OUT("<t>\xc3\x8a\xcc\x84</t>"),
	    "Big5", "big5", 0 },
	/* '日本語のテキスト①'.encode('cp932') */
	{ "shift_jis",
	    IN("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><t>\x93"
	    "\xfa\x96{\x8c\xea\x82\xcc\x83" "e\x83L\x83X\x83g\x87@</t"
	    ">"),
	    NULL,
	    OUT("<t>\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3"
	    "\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe2\x91\xa0"
	    "</t>"),
	    "Shift_JIS", "Shift_JIS", 0 },
	/* 'ｶﾀｶﾅ 漢字'.encode('cp932') */
	{ "sjis",
	    IN("<?xml version=\"1.0\" encoding=\"x-sjis\"?><t>\xb6\xc0"
	    "\xb6\xc5 \x8a\xbf\x8e\x9a</t>"),
	    NULL,
	    OUT("<t>\xef\xbd\xb6\xef\xbe\x80\xef\xbd\xb6\xef\xbe\x85 \xe6"
	    "\xbc\xa2\xe5\xad\x97</t>"),
	    "Shift_JIS", "x-sjis", 0 },
	/*
	 * t.encode('euc_jp') + row 13 and half-width:
	 * b'\xad\xa1\x8e\xb1'.decode('euc_jis_2004')
	 */
	{ "euc-jp",
	    IN("<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\xc6\xfc\xcb"
	    "\xdc\xb8\xec\xa4\xce\xa5\xc6\xa5\xad\xa5\xb9\xa5\xc8\xad"
	    "\xa1\x8e\xb1"),
	    NULL,
	    OUT("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83"
	    "\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe2\x91\xa0\xef"
	    "\xbd\xb1"),
	    "EUC-JP", "EUC-JP", 0 },
	/* '日本語 abc'.encode('iso2022_jp') */
	{ "iso-2022-jp",
	    IN("<?xml version=\"1.0\" encoding=\"iso-2022-jp\"?><t>\x1b$"
	    "BF|K\\8l\x1b(B abc</t>"),
	    NULL,
	    OUT("<t>\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e abc</t>"),
	    "ISO-2022-JP", "iso-2022-jp", 0 },
	/* '한국어 뉴스 똠'.encode('cp949') */
	{ "euc-kr",
	    IN("<?xml version=\"1.0\" encoding=\"euc-kr\"?><t>\xc7\xd1"
	    "\xb1\xb9\xbe\xee \xb4\xba\xbd\xba \x8c" "c</t>"),
	    NULL,
	    OUT("<t>\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xeb\x89\xb4\xec"
	    "\x8a\xa4 \xeb\x98\xa0</t>"),
	    "EUC-KR", "euc-kr", 0 },
	/* '한국어'.encode('euc_kr') */
	{ "ks_c_5601",
	    IN("<?xml version=\"1.0\" encoding=\"ks_c_5601-1987\"?><t>"
	    "\xc7\xd1\xb1\xb9\xbe\xee</t>"),
	    NULL,
	    OUT("<t>\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4</t>"),
	    "EUC-KR", "ks_c_5601-1987", 0 },
	/* 'Zażółć gęślą jaźń'.encode('iso8859_2') */
	{ "iso-8859-2",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-2\"?><t>Za\xbf"
	    "\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1</t>"),
	    NULL,
	    OUT("<t>Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl"
	    "\xc4\x85 ja\xc5\xba\xc5\x84</t>"),
	    "ISO-8859-2", "iso-8859-2", 0 },
	/* 'Привет, мир'.encode('iso8859_5') */
	{ "iso-8859-5",
	    IN("<?xml version=\"1.0\" encoding=\"ISO-8859-5\"?><t>\xbf"
	    "\xe0\xd8\xd2\xd5\xe2, \xdc\xd8\xe0</t>"),
	    NULL,
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	    "\xd0\xbc\xd0\xb8\xd1\x80</t>"),
	    "ISO-8859-5", "ISO-8859-5", 0 },
	/* 'Καλημέρα €'.encode('iso8859_7') */
	{ "iso-8859-7",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-7\"?><t>\xca"
	    "\xe1\xeb\xe7\xec\xdd\xf1\xe1 \xa4</t>"),
	    NULL,
	    OUT("<t>\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf"
	    "\x81\xce\xb1 \xe2\x82\xac</t>"),
	    "ISO-8859-7", "iso-8859-7", 0 },
	/* '€ Šš Žž Œœ Ÿ'.encode('iso8859_15') */
	{ "iso-8859-15",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-15\"?><t>\xa4 "
	    "\xa6\xa8 \xb4\xb8 \xbc\xbd \xbe</t>"),
	    NULL,
	    OUT("<t>\xe2\x82\xac \xc5\xa0\xc5\xa1 \xc5\xbd\xc5\xbe \xc5"
	    "\x92\xc5\x93 \xc5\xb8</t>"),
	    "ISO-8859-15", "iso-8859-15", 0 },
	/* 'İstanbul ğş €'.encode('cp1254') */
	{ "iso-8859-9",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-9\"?><t>\xddst"
	    "anbul \xf0\xfe \x80</t>"),
	    NULL,
	    OUT("<t>\xc4\xb0stanbul \xc4\x9f\xc5\x9f \xe2\x82\xac</t>"),
	    "windows-1254", "iso-8859-9", 0 },
	/* 'ภาษาไทย €'.encode('cp874') */
	{ "tis-620",
	    IN("<?xml version=\"1.0\" encoding=\"tis-620\"?><t>\xc0\xd2"
	    "\xc9\xd2\xe4\xb7\xc2 \x80</t>"),
	    NULL,
	    OUT("<t>\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0"
	    "\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2 \xe2\x82\xac</t>"),
	    "windows-874", "tis-620", 0 },
	/* 'שלום עולם'.encode('cp1255') */
	{ "windows-1255",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1255\"?><t>\xf9"
	    "\xec\xe5\xed \xf2\xe5\xec\xed</t>"),
	    NULL,
	    OUT("<t>\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7"
	    "\x9c\xd7\x9d</t>"),
	    "windows-1255", "windows-1255", 0 },
	/* 'Привет «мир»'.encode('cp1251') */
	{ "windows-1251",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>\xcf"
	    "\xf0\xe8\xe2\xe5\xf2 \xab\xec\xe8\xf0\xbb</t>"),
	    NULL,
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xc2"
	    "\xab\xd0\xbc\xd0\xb8\xd1\x80\xc2\xbb</t>"),
	    "windows-1251", "windows-1251", 0 },
	/* 'مرحبا'.encode('cp1256') */
	{ "windows-1256",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1256\"?><t>\xe3"
	    "\xd1\xcd\xc8\xc7</t>"),
	    NULL,
	    OUT("<t>\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7</t>"),
	    "windows-1256", "windows-1256", 0 },
	/* 'Привет'.encode('cp866') */
	{ "ibm866",
	    IN("<?xml version=\"1.0\" encoding=\"cp866\"?><t>\x8f\xe0"
	    "\xa8\xa2\xa5\xe2</t>"),
	    NULL,
	    OUT("<t>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82</t>"),
	    "IBM866", "cp866", 0 },
	/* 'café ™ ﬁ'.encode('mac_roman') */
	{ "mac-roman",
	    IN("<?xml version=\"1.0\" encoding=\"x-mac-roman\"?><t>caf"
	    "\x8e \xaa \xde</t>"),
	    NULL,
	    OUT("<t>caf\xc3\xa9 \xe2\x84\xa2 \xef\xac\x81</t>"),
	    "macintosh", "x-mac-roman", 0 },
	/* an unassigned byte in 0x80-0x9F is its C1 control */
	{ "windows-1250-c1",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1250\"?>\x81\x8a"),
	    NULL,
	    OUT("\xc2\x81\xc5\xa0"),
	    "windows-1250", "windows-1250", 0 },
	/* glibc holds the last letter back for a mark; flushed */
	{ "windows-1255-end",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1255\"?>\xf9"
	    "\xec\xe5\xed"),
	    NULL,
	    OUT("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"),
	    "windows-1255", "windows-1255", 0 },
	/* a held letter comes out before the U+FFFD (C1 for 0x81) */
	{ "windows-1255-order",
	    IN("<?xml version=\"1.0\" encoding=\"windows-1255\"?>\xf9"
	    "\xff\xf9\x81\xf9"),
	    NULL,
	    OUT("\xd7\xa9\xef\xbf\xbd\xd7\xa9\xc2\x81\xd7\xa9"),
	    "windows-1255", "windows-1255", CHARSET_REPLACED },
	/* a bad byte inside JIS X 0208 keeps the shift state */
	{ "iso-2022-jp-bad",
	    IN("<?xml version=\"1.0\" encoding=\"iso-2022-jp\"?>\x1b$BF|"
	    "\x80K\\\x1b(Ba"),
	    NULL,
	    OUT("\xe6\x97\xa5\xef\xbf\xbd\xe6\x9c\xac" "a"),
	    "ISO-2022-JP", "iso-2022-jp", CHARSET_REPLACED },
	/* overlong, surrogate, > U+10FFFF, 5-byte, truncated */
	{ "utf8-invalid",
	    IN("<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xc3(|\xc0"
	    "\xaf|\xe0\x80\xaf|\xf0\x80\x80\xaf|\xed\xa0\x80|\xf4\x90"
	    "\x80\x80|\xf8\x88\x80\x80\x80|\xe2\x82<\xe2\x82"),
	    NULL,
	    OUT("<a>\xef\xbf\xbd(|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef"
	    "\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf"
	    "\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf"
	    "\xbd|\xef\xbf\xbd<\xef\xbf\xbd"),
	    "UTF-8", "utf-8", CHARSET_REPLACED },
	/* a lead byte at the end */
	{ "sjis-truncated",
	    IN("<?xml version=\"1.0\" encoding=\"shift_jis\"?><t>\x93"
	    "\xfa\x96{</t>\x82"),
	    NULL,
	    OUT("<t>\xe6\x97\xa5\xe6\x9c\xac</t>\xef\xbf\xbd"),
	    "Shift_JIS", "shift_jis", CHARSET_REPLACED },
	/* a lead byte before '<' keeps the '<' */
	{ "sjis-bad-trail",
	    IN("<?xml version=\"1.0\" encoding=\"shift_jis\"?><t>\x82<x/"
	    ">\x93\xfa</t>"),
	    NULL,
	    OUT("<t>\xef\xbf\xbd<x/>\xe6\x97\xa5</t>"),
	    "Shift_JIS", "shift_jis", CHARSET_REPLACED },
	/* a bad byte mid-text, the rest intact */
	{ "euc-kr-bad",
	    IN("<?xml version=\"1.0\" encoding=\"euc-kr\"?><t>\xc7\xd1"
	    "\xff\xb1\xb9</t>"),
	    NULL,
	    OUT("<t>\xed\x95\x9c\xef\xbf\xbd\xea\xb5\xad</t>"),
	    "EUC-KR", "euc-kr", CHARSET_REPLACED },
	/* 0xA5 is unassigned in ISO-8859-3 */
	{ "iso-8859-3-hole",
	    IN("<?xml version=\"1.0\" encoding=\"iso-8859-3\"?><t>\xa5 "
	    "\xa1</t>"),
	    NULL,
	    OUT("<t>\xef\xbf\xbd \xc4\xa6</t>"),
	    "ISO-8859-3", "iso-8859-3", CHARSET_REPLACED },
	/* half a four-byte sequence at the end */
	{ "gb18030-truncated",
	    IN("<?xml version=\"1.0\" encoding=\"gb18030\"?><t>a\x81" "0"),
	    NULL,
	    OUT("<t>a\xef\xbf\xbd"),
	    "gb18030", "gb18030", CHARSET_REPLACED },
};

/* Label rows: a plainly 8-bit document, the label from HTTP. */
#define LABEL(l, e)	{ "label " l, IN("<a/>"), l, OUT("<a/>"), e, "", 0 }
#define UNKNOWN(l)	{ "unknown " l, IN("<a/>"), l, OUT("<a/>"), "UTF-8", \
			    "", CHARSET_UNKNOWN_LABEL }
#define NOT8BIT(l)	{ "not 8-bit " l, IN("<a/>"), l, OUT("<a/>"), "UTF-8", \
			    "", CHARSET_MISMATCH }
/* UTF-16/32 labels on bytes without BOM or pattern: "\u00e9\u4e2d". */
#define BE16(l)		{ "be16 " l, IN("\x00\xe9\x4e\x2d"), l, \
			    OUT("\xc3\xa9\xe4\xb8\xad"), "UTF-16BE", "", 0 }
#define LE16(l)		{ "le16 " l, IN("\xe9\x00\x2d\x4e"), l, \
			    OUT("\xc3\xa9\xe4\xb8\xad"), "UTF-16LE", "", 0 }
#define BE32(l)		{ "be32 " l, IN("\x00\x00\x00\xe9\x00\x00\x4e\x2d"), \
			    l, OUT("\xc3\xa9\xe4\xb8\xad"), "UTF-32BE", "", 0 }
#define LE32(l)		{ "le32 " l, IN("\xe9\x00\x00\x00\x2d\x4e\x00\x00"), \
			    l, OUT("\xc3\xa9\xe4\xb8\xad"), "UTF-32LE", "", 0 }

static const struct conv_case label_cases[] = {
	LABEL("utf-8", "UTF-8"),
	LABEL("UTF8", "UTF-8"),
	LABEL("unicode-1-1-utf-8", "UTF-8"),
	LABEL("iso-8859-1", "windows-1252"),
	LABEL("ISO_8859-1", "windows-1252"),
	LABEL("iso_8859-1:1987", "windows-1252"),
	LABEL("iso8859-1", "windows-1252"),
	LABEL("latin1", "windows-1252"),
	LABEL("l1", "windows-1252"),
	LABEL("us-ascii", "windows-1252"),
	LABEL("ascii", "windows-1252"),
	LABEL("ansi_x3.4-1968", "windows-1252"),
	LABEL("cp819", "windows-1252"),
	LABEL("ibm819", "windows-1252"),
	LABEL("csisolatin1", "windows-1252"),
	LABEL("x-cp1252", "windows-1252"),
	LABEL("windows-1252", "windows-1252"),
	LABEL("gb2312", "GBK"),
	LABEL("GBK", "GBK"),
	LABEL("x-gbk", "GBK"),
	LABEL("chinese", "GBK"),
	LABEL("csgb2312", "GBK"),
	LABEL("gb_2312-80", "GBK"),
	LABEL("iso-ir-58", "GBK"),
	LABEL("gb18030", "gb18030"),
	LABEL("big5", "Big5"),
	LABEL("Big5-HKSCS", "Big5"),
	LABEL("cn-big5", "Big5"),
	LABEL("x-x-big5", "Big5"),
	LABEL("csbig5", "Big5"),
	LABEL("shift_jis", "Shift_JIS"),
	LABEL("Shift-JIS", "Shift_JIS"),
	LABEL("sjis", "Shift_JIS"),
	LABEL("x-sjis", "Shift_JIS"),
	LABEL("ms_kanji", "Shift_JIS"),
	LABEL("windows-31j", "Shift_JIS"),
	LABEL("ms932", "Shift_JIS"),
	LABEL("csshiftjis", "Shift_JIS"),
	LABEL("euc-jp", "EUC-JP"),
	LABEL("x-euc-jp", "EUC-JP"),
	LABEL("cseucpkdfmtjapanese", "EUC-JP"),
	LABEL("iso-2022-jp", "ISO-2022-JP"),
	LABEL("csiso2022jp", "ISO-2022-JP"),
	LABEL("euc-kr", "EUC-KR"),
	LABEL("ks_c_5601-1987", "EUC-KR"),
	LABEL("ks_c_5601-1989", "EUC-KR"),
	LABEL("korean", "EUC-KR"),
	LABEL("ksc5601", "EUC-KR"),
	LABEL("windows-949", "EUC-KR"),
	LABEL("cseuckr", "EUC-KR"),
	LABEL("iso-ir-149", "EUC-KR"),
	LABEL("tis-620", "windows-874"),
	LABEL("iso-8859-11", "windows-874"),
	LABEL("iso885911", "windows-874"),
	LABEL("windows-874", "windows-874"),
	LABEL("dos-874", "windows-874"),
	LABEL("iso-8859-9", "windows-1254"),
	LABEL("latin5", "windows-1254"),
	LABEL("l5", "windows-1254"),
	LABEL("iso-ir-148", "windows-1254"),
	LABEL("windows-1254", "windows-1254"),
	LABEL("koi8-r", "KOI8-R"),
	LABEL("koi", "KOI8-R"),
	LABEL("koi8", "KOI8-R"),
	LABEL("cskoi8r", "KOI8-R"),
	LABEL("koi8-u", "KOI8-U"),
	LABEL("koi8-ru", "KOI8-U"),
	LABEL("latin2", "ISO-8859-2"),
	LABEL("iso-8859-2", "ISO-8859-2"),
	LABEL("iso-8859-3", "ISO-8859-3"),
	LABEL("latin4", "ISO-8859-4"),
	LABEL("cyrillic", "ISO-8859-5"),
	LABEL("iso_8859-5", "ISO-8859-5"),
	LABEL("arabic", "ISO-8859-6"),
	LABEL("asmo-708", "ISO-8859-6"),
	LABEL("greek", "ISO-8859-7"),
	LABEL("iso-8859-7", "ISO-8859-7"),
	LABEL("hebrew", "ISO-8859-8"),
	LABEL("visual", "ISO-8859-8"),
	LABEL("logical", "ISO-8859-8-I"),
	LABEL("iso-8859-8-i", "ISO-8859-8-I"),
	LABEL("latin6", "ISO-8859-10"),
	LABEL("iso-8859-13", "ISO-8859-13"),
	LABEL("iso-8859-14", "ISO-8859-14"),
	LABEL("iso-8859-15", "ISO-8859-15"),
	LABEL("l9", "ISO-8859-15"),
	LABEL("iso-8859-16", "ISO-8859-16"),
	LABEL("windows-1250", "windows-1250"),
	LABEL("cp1250", "windows-1250"),
	LABEL("windows-1251", "windows-1251"),
	LABEL("x-cp1251", "windows-1251"),
	LABEL("windows-1253", "windows-1253"),
	LABEL("windows-1255", "windows-1255"),
	LABEL("windows-1256", "windows-1256"),
	LABEL("windows-1257", "windows-1257"),
	LABEL("windows-1258", "windows-1258"),
	LABEL("macintosh", "macintosh"),
	LABEL("mac", "macintosh"),
	LABEL("x-mac-roman", "macintosh"),
	LABEL("csmacintosh", "macintosh"),
	LABEL("x-mac-cyrillic", "x-mac-cyrillic"),
	LABEL("x-mac-ukrainian", "x-mac-cyrillic"),
	LABEL("ibm866", "IBM866"),
	LABEL("866", "IBM866"),
	LABEL("cp866", "IBM866"),
	/* Case, whitespace and quotes. */
	LABEL(" Utf-8 ", "UTF-8"),
	LABEL("'iso-8859-2'", "ISO-8859-2"),
	LABEL("\"KOI8-R\"", "KOI8-R"),
	LABEL("\tLATIN1\r\n", "windows-1252"),
	/* Not WHATWG's, but glibc knows them and they read ASCII. */
	LABEL("cp850", "CP850"),
	LABEL("ibm437", "IBM437"),
	UNKNOWN("bogus"),
	UNKNOWN("utf-9"),
	UNKNOWN("x-user-defined"),
	UNKNOWN("UTF-8//TRANSLIT"),
	UNKNOWN("latin1\x01"),
	/* WHATWG's "replacement" labels. */
	UNKNOWN("iso-2022-kr"),
	UNKNOWN("iso-2022-cn-ext"),
	UNKNOWN("hz-gb-2312"),
	UNKNOWN("replacement"),
	UNKNOWN("utf\xc3\xa9"),
	NOT8BIT("utf-16"),
	NOT8BIT("UTF-16LE"),
	NOT8BIT("utf-16be"),
	NOT8BIT("ucs-2"),
	NOT8BIT("unicode"),
	NOT8BIT("utf-32"),
	NOT8BIT("utf-32le"),
	NOT8BIT("ucs-4"),
	NOT8BIT("ibm037"),
	NOT8BIT("utf-7"),
	BE16("utf-16"),
	BE16("utf-16be"),
	BE16("unicodefffe"),
	BE16("ucs-2"),
	BE16("unicode"),
	BE16("csunicode"),
	BE16("iso-10646-ucs-2"),
	BE16("utf16"),
	BE16("utf_16"),
	BE16("u16"),
	LE16("utf-16le"),
	LE16("unicodefeff"),
	BE32("utf-32"),
	BE32("utf-32be"),
	BE32("utf32"),
	BE32("utf_32"),
	BE32("u32"),
	LE32("utf-32le"),
};

static void
dump(const char *what, const char *p, size_t n)
{
	char line[3 * 16 + 1];
	size_t i, k;

	print_message("%s, %zu bytes:\n", what, n);
	for (i = 0; i < n; i += 16) {
		for (k = 0; k < 16 && i + k < n; k++)
			snprintf(line + 3 * k, sizeof(line) - 3 * k, " %02x",
			    (unsigned char)p[i + k]);
		print_message("  %s\n", line);
	}
}

static void
assert_bytes(const char *got, size_t got_len, const char *want,
    size_t want_len)
{
	if (got_len == want_len && memcmp(got, want, want_len) == 0)
		return;
	dump("got", got, got_len);
	dump("want", want, want_len);
	fail_msg("the output differs");
}

/* The progress charset_to_utf8_borrow() reported. */
struct seen {
	size_t calls;
	size_t last;
	bool went_back;
};

static void
record(void *arg, size_t done)
{
	struct seen *s = arg;

	if (s->calls > 0 && done < s->last)
		s->went_back = true;
	s->calls++;
	s->last = done;
}

/*
 * The borrowing variant gives the same text, flags and labels; when it
 * borrows, the text lies inside the input.
 */
static void
check_borrow(const char *in, size_t len, const char *http,
    const struct charset_result *want)
{
	struct charset_result res;
	struct seen seen = { 0 };

	assert_int_equal(charset_to_utf8_borrow(in, len, http, record, &seen,
	    &res), 0);
	assert_bytes(res.text, res.len, want->text, want->len);
	assert_string_equal(res.encoding, want->encoding);
	assert_string_equal(res.declared, want->declared);
	assert_int_equal(res.flags, want->flags);
	if (res.buf == NULL)
		assert_true(res.text >= in && res.text + res.len <= in + len);
	else
		assert_ptr_equal(res.text, res.buf);
	assert_false(seen.went_back);
	assert_true(seen.last <= len);
	free(res.buf);
}

static void
run_case(void **state)
{
	const struct conv_case *c = *state;
	struct charset_result res;
	int r;

	r = charset_to_utf8(c->in, c->in_len, c->http, &res);
	assert_int_equal(r, 0);
	assert_non_null(res.buf);
	assert_ptr_equal(res.text, res.buf);
	assert_int_equal(res.buf[res.len], '\0');
	assert_bytes(res.buf, res.len, c->out, c->out_len);
	assert_string_equal(res.encoding, c->encoding);
	assert_string_equal(res.declared, c->declared);
	assert_int_equal(res.flags, c->flags);
	check_borrow(c->in, c->in_len, c->http, &res);
	free(res.buf);
}

/* A buffer of n bytes repeating pat; the caller frees it. */
static char *
repeat(const char *pat, size_t patlen, size_t n)
{
	char *p;
	size_t i;

	p = malloc(n);
	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[i] = pat[i % patlen];
	return p;
}

/* The fast path: a large valid UTF-8 document comes back unchanged. */
static void
big_utf8(void **state)
{
	static const char pat[] = "<item>\xe6\x97\xa5\xe6\x9c\xac text "
	    "\xc3\xa9 \xf0\x9f\x98\x80</item>\n";
	const size_t n = (8u << 20) / (sizeof(pat) - 1) * (sizeof(pat) - 1);
	struct charset_result res;
	char *in;

	(void)state;
	in = repeat(pat, sizeof(pat) - 1, n);
	assert_int_equal(charset_to_utf8(in, n, NULL, &res), 0);
	assert_int_equal(res.flags, 0);
	assert_string_equal(res.encoding, "UTF-8");
	assert_bytes(res.buf, res.len, in, n);
	free(res.buf);
	free(in);
}

/*
 * Borrowed, a large document is checked a mebibyte at a time: sequences
 * cut by a step still count as valid, progress rises to the end, and a
 * bad byte just before a step's end is still found.
 */
static void
big_borrowed(void **state)
{
	/* 3 bytes: steps of 2^20 bytes end inside a character. */
	static const char pat[] = "\xe6\x97\xa5";
	const size_t n = 3 * ((3u << 20) / 3 + 2);
	struct charset_result res;
	struct seen seen = { 0 };
	size_t k;
	char *in;

	(void)state;
	in = repeat(pat, 3, n);
	assert_int_equal(charset_to_utf8_borrow(in, n, NULL, record, &seen,
	    &res), 0);
	assert_int_equal(res.flags, 0);
	assert_null(res.buf);
	assert_ptr_equal(res.text, in);
	assert_int_equal(res.len, n);
	assert_true(seen.calls >= 3);
	assert_false(seen.went_back);
	assert_int_equal(seen.last, n);
	free(in);

	/* A lone continuation byte 1, 2 and 3 bytes before a step's end. */
	for (k = 1; k <= 3; k++) {
		in = repeat("abcdefg", 7, n);
		in[(1u << 20) - k] = '\x80';
		memset(&seen, 0, sizeof(seen));
		assert_int_equal(charset_to_utf8_borrow(in, n, NULL, record,
		    &seen, &res), 0);
		assert_int_equal(res.flags, CHARSET_FALLBACK);
		assert_non_null(res.buf);
		free(res.buf);
		free(in);
	}
}

/* The worst growth: every byte becomes three. */
static void
big_growth(void **state)
{
	static const struct {
		const char *http;
		char byte;
		const char *out;	/* three bytes */
		int flags;
	} t[] = {
		{ "utf-8", '\xff', "\xef\xbf\xbd", CHARSET_REPLACED },
		{ NULL, '\x80', "\xe2\x82\xac", CHARSET_FALLBACK },
		{ "shift_jis", '\xff', "\xef\xbf\xbd", CHARSET_REPLACED },
		{ "windows-1250", '\x80', "\xe2\x82\xac", 0 },
	};
	const size_t n = 1u << 20;
	struct charset_result res;
	char *in, *want;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		in = repeat(&t[i].byte, 1, n);
		want = repeat(t[i].out, 3, 3 * n);
		assert_int_equal(charset_to_utf8(in, n, t[i].http, &res), 0);
		assert_int_equal(res.flags, t[i].flags);
		assert_bytes(res.buf, res.len, want, 3 * n);
		free(res.buf);
		free(want);
		free(in);
	}
}

/* Too large to bound the output: refused, and *ret left alone. */
static void
too_big(void **state)
{
	struct charset_result res, before;

	(void)state;
	memset(&res, 0x5a, sizeof(res));
	before = res;
	assert_int_equal(charset_to_utf8("<a/>", SIZE_MAX, NULL, &res),
	    -E2BIG);
	assert_memory_equal(&res, &before, sizeof(res));
}

static void
null_input(void **state)
{
	struct charset_result res;

	(void)state;
	assert_int_equal(charset_to_utf8(NULL, 0, "utf-16", &res), 0);
	assert_non_null(res.buf);
	assert_int_equal(res.len, 0);
	assert_int_equal(res.buf[0], '\0');
	assert_string_equal(res.encoding, "UTF-16BE");
	free(res.buf);
}

static uint64_t
rnd(uint64_t *s)
{
	/* xorshift64: reproducible without libc's rand(). */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* glibc's own UTF-8 decoder, which refuses what RFC 3629 refuses. */
static void
assert_utf8(iconv_t cd, const char *s, size_t n)
{
	char buf[4096], *in = (char *)s, *op;
	size_t inleft = n, left, rc;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		op = buf;
		left = sizeof(buf);
		rc = iconv(cd, &in, &inleft, &op, &left);
		if (rc == (size_t)-1 && errno == E2BIG)
			continue;
		if (rc == (size_t)-1) {
			dump("not UTF-8", s, n);
			fail_msg("invalid UTF-8 at offset %zu",
			    (size_t)(in - s));
		}
	}
}

/*
 * Random documents under every kind of label and start: the output is
 * valid UTF-8, NUL-terminated and within the bound.  Under ASan this also
 * catches reads past the input.
 */
static void
random_input(void **state)
{
	static const char *const http[] = {
		NULL, "utf-8", "utf-16", "utf-16le", "utf-32", "shift_jis",
		"euc-jp", "iso-2022-jp", "gb18030", "big5", "euc-kr",
		"windows-1255", "windows-1258", "koi8-r", "iso-8859-3",
		"ibm037", "utf-7", "cp850", "bogus", "hz-gb-2312",
		"iso-2022-kr", "iso-2022-cn-ext", "x-mac-cyrillic",
	};
	static const struct {
		const char *s;
		size_t len;
	} starts[] = {
		{ IN("") }, { IN("\xef\xbb\xbf") }, { IN("\xff\xfe") },
		{ IN("\xfe\xff") }, { IN("\xff\xfe\x00\x00") },
		{ IN("\x00\x00\xfe\xff") }, { IN("<\x00?\x00") },
		{ IN("\x00<\x00?") }, { IN("<\x00\x00\x00") },
		{ IN("\x00\x00\x00<") },
		{ IN("<?xml version='1.0' encoding='big5'?>") },
		{ IN("<?xml encoding='utf-16'?>") },
		{ IN("<?xml encoding=\"iso-2022-jp\">") },
		{ IN(" \n<?xml encoding=cp1255 ?>") }, { IN("<?xml") },
	};
	struct charset_result res;
	unsigned char in[512];
	uint64_t seed = 0x9e3779b97f4a7c15u;
	size_t i, k, n, s;
	iconv_t cd;
	unsigned x;

	(void)state;
	cd = iconv_open("UTF-32LE", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	for (i = 0; i < 6000; i++) {
		s = rnd(&seed) % nitems(starts);
		memcpy(in, starts[s].s, starts[s].len);
		n = starts[s].len + rnd(&seed) % (sizeof(in) - starts[s].len);
		for (k = starts[s].len; k < n; k++) {
			x = (unsigned)(rnd(&seed) % 100);
			if (x < 40)
				in[k] = (unsigned char)(0x20 + rnd(&seed) % 95);
			else if (x < 55)
				in[k] = 0;
			else
				in[k] = (unsigned char)rnd(&seed);
		}
		assert_int_equal(charset_to_utf8((const char *)in, n,
		    http[rnd(&seed) % nitems(http)], &res), 0);
		assert_true(res.len <= 4 * n + 256);
		assert_int_equal(res.buf[res.len], '\0');
		assert_utf8(cd, res.buf, res.len);
		free(res.buf);
	}
	iconv_close(cd);
}

int
main(void)
{
	static struct CMUnitTest tests[nitems(cases) + nitems(label_cases) +
	    6];
	size_t i, n = 0;

	for (i = 0; i < nitems(cases); i++) {
		tests[n].name = cases[i].name;
		tests[n].test_func = run_case;
		tests[n].initial_state = (void *)&cases[i];
		n++;
	}
	for (i = 0; i < nitems(label_cases); i++) {
		tests[n].name = label_cases[i].name;
		tests[n].test_func = run_case;
		tests[n].initial_state = (void *)&label_cases[i];
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(big_utf8);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(big_borrowed);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(big_growth);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(too_big);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(null_input);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(random_input);
	return _cmocka_run_group_tests("charset", tests, n, NULL, NULL);
}
