/*
 * charset.c - a document's bytes to UTF-8, before libxml2 or jansson sees
 * them.
 *
 * Which encoding, first match wins (RFC 7303 section 3, XML 1.0 appendix
 * F, and the WHATWG Encoding Standard that browsers follow):
 *  1. a BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE);
 *  2. a UTF-16/32 byte pattern at the start, such as 3C 00 3F 00;
 *  3. the HTTP charset;
 *  4. the encoding pseudo-attribute of the XML declaration;
 *  5. UTF-8 when the bytes are valid UTF-8, else windows-1252.
 * A label the table and iconv do not know, or one the bytes plainly
 * contradict (a UTF-16 label on bytes that read as ASCII), is passed over
 * for the next rule and flagged.  When 1 or 2 decide, the labels are only
 * checked against the bytes.
 *
 * UTF-8 and windows-1252, most of what we see, are decoded here: a valid
 * UTF-8 document is checked once and copied once.  The rest go through
 * glibc's iconv.  Bytes invalid in the chosen encoding become U+FFFD and
 * decoding goes on after them; the output is always valid UTF-8 and at
 * most 4 * len + 256 bytes (every input byte gives at most three).
 *
 * Characters XML 1.0 forbids (C0 controls, U+FFFE) stay: that is
 * xmlfix.c's business.
 */
#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define LABEL_MAX	40	/* longer labels name no encoding */
#define DECL_MAX	512	/* units searched for the declaration's '>' */
#define OUT_SLACK	128	/* room kept free before each iconv step */
#define HIGH_BITS	UINT64_C(0x8080808080808080)

enum kind {
	K_NONE,
	K_UTF8,
	K_WIN1252,		/* decoded here, as WHATWG's index has it */
	K_UTF16,		/* byte order from the bytes, else big-endian */
	K_UTF16BE,
	K_UTF16LE,
	K_UTF32,		/* likewise */
	K_UTF32BE,
	K_UTF32LE,
	K_WINDOWS,		/* iconv; unassigned 0x80-0x9F become C1 */
	K_ICONV,		/* iconv, ASCII-compatible */
	K_STATEFUL,		/* iconv with shift states */
	K_OTHER,		/* outside our table, but iconv knows it */
};

struct encoding {
	const char *name;	/* WHATWG's name, reported */
	const char *iconv;	/* glibc's name; NULL when decoded here */
	enum kind kind;
};

enum {
	E_REFUSED = -1,
	E_UTF8, E_WIN1252, E_IBM866, E_ISO8859_2, E_ISO8859_3, E_ISO8859_4,
	E_ISO8859_5, E_ISO8859_6, E_ISO8859_7, E_ISO8859_8, E_ISO8859_8I,
	E_ISO8859_10, E_ISO8859_13, E_ISO8859_14, E_ISO8859_15, E_ISO8859_16,
	E_KOI8R, E_KOI8U, E_MACINTOSH, E_MACCYRILLIC, E_WIN874, E_WIN1250,
	E_WIN1251, E_WIN1253, E_WIN1254, E_WIN1255, E_WIN1256, E_WIN1257,
	E_WIN1258, E_GBK, E_GB18030, E_BIG5, E_EUCJP, E_ISO2022JP, E_SJIS,
	E_EUCKR, E_UTF16, E_UTF16BE, E_UTF16LE, E_UTF32, E_UTF32BE, E_UTF32LE,
};

/*
 * Where glibc and WHATWG differ we take the glibc table nearest WHATWG's:
 * - Big5 is BIG5-HKSCS, not CP950: WHATWG's Big5 index is Big5 with the
 *   HKSCS and ETEN extensions, which Hong Kong sites use, and CP950 lacks
 *   HKSCS.
 * - Shift_JIS is CP932 and EUC-JP is EUC-JP-MS: WHATWG reads both with
 *   the NEC and IBM extensions (circled digits, row 13), which glibc's
 *   plain EUC-JP lacks.  Both map the wave dash to U+FF5E where WHATWG
 *   has U+301C; at least the two Japanese encodings agree.
 * - EUC-KR is CP949 (UHC), a superset, as in WHATWG.
 * - CP1255 and CP1258 in glibc compose a base letter with a following
 *   combining mark (shin + shin dot becomes U+FB2A); WHATWG does not.
 *   The text is canonically equivalent, so we let it be.
 */
static const struct encoding encodings[] = {
	[E_UTF8] = { "UTF-8", NULL, K_UTF8 },
	[E_WIN1252] = { "windows-1252", NULL, K_WIN1252 },
	[E_IBM866] = { "IBM866", "CP866", K_ICONV },
	[E_ISO8859_2] = { "ISO-8859-2", "ISO-8859-2", K_ICONV },
	[E_ISO8859_3] = { "ISO-8859-3", "ISO-8859-3", K_ICONV },
	[E_ISO8859_4] = { "ISO-8859-4", "ISO-8859-4", K_ICONV },
	[E_ISO8859_5] = { "ISO-8859-5", "ISO-8859-5", K_ICONV },
	[E_ISO8859_6] = { "ISO-8859-6", "ISO-8859-6", K_ICONV },
	[E_ISO8859_7] = { "ISO-8859-7", "ISO-8859-7", K_ICONV },
	[E_ISO8859_8] = { "ISO-8859-8", "ISO-8859-8", K_ICONV },
	[E_ISO8859_8I] = { "ISO-8859-8-I", "ISO-8859-8", K_ICONV },
	[E_ISO8859_10] = { "ISO-8859-10", "ISO-8859-10", K_ICONV },
	[E_ISO8859_13] = { "ISO-8859-13", "ISO-8859-13", K_ICONV },
	[E_ISO8859_14] = { "ISO-8859-14", "ISO-8859-14", K_ICONV },
	[E_ISO8859_15] = { "ISO-8859-15", "ISO-8859-15", K_ICONV },
	[E_ISO8859_16] = { "ISO-8859-16", "ISO-8859-16", K_ICONV },
	[E_KOI8R] = { "KOI8-R", "KOI8-R", K_ICONV },
	[E_KOI8U] = { "KOI8-U", "KOI8-U", K_ICONV },
	[E_MACINTOSH] = { "macintosh", "MACINTOSH", K_ICONV },
	[E_MACCYRILLIC] = { "x-mac-cyrillic", "MAC-CYRILLIC", K_ICONV },
	[E_WIN874] = { "windows-874", "CP874", K_WINDOWS },
	[E_WIN1250] = { "windows-1250", "CP1250", K_WINDOWS },
	[E_WIN1251] = { "windows-1251", "CP1251", K_WINDOWS },
	[E_WIN1253] = { "windows-1253", "CP1253", K_WINDOWS },
	[E_WIN1254] = { "windows-1254", "CP1254", K_WINDOWS },
	[E_WIN1255] = { "windows-1255", "CP1255", K_WINDOWS },
	[E_WIN1256] = { "windows-1256", "CP1256", K_WINDOWS },
	[E_WIN1257] = { "windows-1257", "CP1257", K_WINDOWS },
	[E_WIN1258] = { "windows-1258", "CP1258", K_WINDOWS },
	[E_GBK] = { "GBK", "GB18030", K_ICONV },
	[E_GB18030] = { "gb18030", "GB18030", K_ICONV },
	[E_BIG5] = { "Big5", "BIG5-HKSCS", K_ICONV },
	[E_EUCJP] = { "EUC-JP", "EUC-JP-MS", K_ICONV },
	[E_ISO2022JP] = { "ISO-2022-JP", "ISO-2022-JP", K_STATEFUL },
	[E_SJIS] = { "Shift_JIS", "CP932", K_ICONV },
	[E_EUCKR] = { "EUC-KR", "CP949", K_ICONV },
	[E_UTF16] = { "UTF-16", NULL, K_UTF16 },
	[E_UTF16BE] = { "UTF-16BE", "UTF-16BE", K_UTF16BE },
	[E_UTF16LE] = { "UTF-16LE", "UTF-16LE", K_UTF16LE },
	[E_UTF32] = { "UTF-32", NULL, K_UTF32 },
	[E_UTF32BE] = { "UTF-32BE", "UTF-32BE", K_UTF32BE },
	[E_UTF32LE] = { "UTF-32LE", "UTF-32LE", K_UTF32LE },
};

/*
 * WHATWG's labels (encoding.spec.whatwg.org, "Names and labels"), plus a
 * few that feeds use and WHATWG lacks: Python's utf16/u16 family, which
 * feedparser accepts, and MacRoman.  WHATWG's "utf-16", "ucs-2" and
 * "unicode" mean UTF-16LE; here they let the bytes decide and default to
 * big-endian, as RFC 2781 section 4.3 and XML say.  WHATWG's
 * "replacement" labels (iso-2022-kr, hz-gb-2312, ...) name encodings
 * browsers refuse for their escape tricks; we read them as unknown labels
 * rather than trust glibc's decoders for them.
 */
static const struct label_map {
	const char *label;
	int enc;
} labels[] = {
	{ "unicode-1-1-utf-8", E_UTF8 }, { "unicode11utf8", E_UTF8 },
	{ "unicode20utf8", E_UTF8 }, { "utf-8", E_UTF8 }, { "utf8", E_UTF8 },
	{ "x-unicode20utf8", E_UTF8 },

	{ "ansi_x3.4-1968", E_WIN1252 }, { "ascii", E_WIN1252 },
	{ "cp1252", E_WIN1252 }, { "cp819", E_WIN1252 },
	{ "csisolatin1", E_WIN1252 }, { "ibm819", E_WIN1252 },
	{ "iso-8859-1", E_WIN1252 }, { "iso-ir-100", E_WIN1252 },
	{ "iso8859-1", E_WIN1252 }, { "iso88591", E_WIN1252 },
	{ "iso_8859-1", E_WIN1252 }, { "iso_8859-1:1987", E_WIN1252 },
	{ "l1", E_WIN1252 }, { "latin1", E_WIN1252 },
	{ "us-ascii", E_WIN1252 }, { "windows-1252", E_WIN1252 },
	{ "x-cp1252", E_WIN1252 }, { "latin-1", E_WIN1252 },

	{ "866", E_IBM866 }, { "cp866", E_IBM866 }, { "csibm866", E_IBM866 },
	{ "ibm866", E_IBM866 },

	{ "csisolatin2", E_ISO8859_2 }, { "iso-8859-2", E_ISO8859_2 },
	{ "iso-ir-101", E_ISO8859_2 }, { "iso8859-2", E_ISO8859_2 },
	{ "iso88592", E_ISO8859_2 }, { "iso_8859-2", E_ISO8859_2 },
	{ "iso_8859-2:1987", E_ISO8859_2 }, { "l2", E_ISO8859_2 },
	{ "latin2", E_ISO8859_2 },

	{ "csisolatin3", E_ISO8859_3 }, { "iso-8859-3", E_ISO8859_3 },
	{ "iso-ir-109", E_ISO8859_3 }, { "iso8859-3", E_ISO8859_3 },
	{ "iso88593", E_ISO8859_3 }, { "iso_8859-3", E_ISO8859_3 },
	{ "iso_8859-3:1988", E_ISO8859_3 }, { "l3", E_ISO8859_3 },
	{ "latin3", E_ISO8859_3 },

	{ "csisolatin4", E_ISO8859_4 }, { "iso-8859-4", E_ISO8859_4 },
	{ "iso-ir-110", E_ISO8859_4 }, { "iso8859-4", E_ISO8859_4 },
	{ "iso88594", E_ISO8859_4 }, { "iso_8859-4", E_ISO8859_4 },
	{ "iso_8859-4:1988", E_ISO8859_4 }, { "l4", E_ISO8859_4 },
	{ "latin4", E_ISO8859_4 },

	{ "csisolatincyrillic", E_ISO8859_5 }, { "cyrillic", E_ISO8859_5 },
	{ "iso-8859-5", E_ISO8859_5 }, { "iso-ir-144", E_ISO8859_5 },
	{ "iso8859-5", E_ISO8859_5 }, { "iso88595", E_ISO8859_5 },
	{ "iso_8859-5", E_ISO8859_5 }, { "iso_8859-5:1988", E_ISO8859_5 },

	{ "arabic", E_ISO8859_6 }, { "asmo-708", E_ISO8859_6 },
	{ "csiso88596e", E_ISO8859_6 }, { "csiso88596i", E_ISO8859_6 },
	{ "csisolatinarabic", E_ISO8859_6 }, { "ecma-114", E_ISO8859_6 },
	{ "iso-8859-6", E_ISO8859_6 }, { "iso-8859-6-e", E_ISO8859_6 },
	{ "iso-8859-6-i", E_ISO8859_6 }, { "iso-ir-127", E_ISO8859_6 },
	{ "iso8859-6", E_ISO8859_6 }, { "iso88596", E_ISO8859_6 },
	{ "iso_8859-6", E_ISO8859_6 }, { "iso_8859-6:1987", E_ISO8859_6 },

	{ "csisolatingreek", E_ISO8859_7 }, { "ecma-118", E_ISO8859_7 },
	{ "elot_928", E_ISO8859_7 }, { "greek", E_ISO8859_7 },
	{ "greek8", E_ISO8859_7 }, { "iso-8859-7", E_ISO8859_7 },
	{ "iso-ir-126", E_ISO8859_7 }, { "iso8859-7", E_ISO8859_7 },
	{ "iso88597", E_ISO8859_7 }, { "iso_8859-7", E_ISO8859_7 },
	{ "iso_8859-7:1987", E_ISO8859_7 }, { "sun_eu_greek", E_ISO8859_7 },

	{ "csiso88598e", E_ISO8859_8 }, { "csisolatinhebrew", E_ISO8859_8 },
	{ "hebrew", E_ISO8859_8 }, { "iso-8859-8", E_ISO8859_8 },
	{ "iso-8859-8-e", E_ISO8859_8 }, { "iso-ir-138", E_ISO8859_8 },
	{ "iso8859-8", E_ISO8859_8 }, { "iso88598", E_ISO8859_8 },
	{ "iso_8859-8", E_ISO8859_8 }, { "iso_8859-8:1988", E_ISO8859_8 },
	{ "visual", E_ISO8859_8 },

	{ "csiso88598i", E_ISO8859_8I }, { "iso-8859-8-i", E_ISO8859_8I },
	{ "logical", E_ISO8859_8I },

	{ "csisolatin6", E_ISO8859_10 }, { "iso-8859-10", E_ISO8859_10 },
	{ "iso-ir-157", E_ISO8859_10 }, { "iso8859-10", E_ISO8859_10 },
	{ "iso885910", E_ISO8859_10 }, { "l6", E_ISO8859_10 },
	{ "latin6", E_ISO8859_10 },

	{ "iso-8859-13", E_ISO8859_13 }, { "iso8859-13", E_ISO8859_13 },
	{ "iso885913", E_ISO8859_13 },

	{ "iso-8859-14", E_ISO8859_14 }, { "iso8859-14", E_ISO8859_14 },
	{ "iso885914", E_ISO8859_14 },

	{ "csisolatin9", E_ISO8859_15 }, { "iso-8859-15", E_ISO8859_15 },
	{ "iso8859-15", E_ISO8859_15 }, { "iso885915", E_ISO8859_15 },
	{ "iso_8859-15", E_ISO8859_15 }, { "l9", E_ISO8859_15 },

	{ "iso-8859-16", E_ISO8859_16 },

	{ "cskoi8r", E_KOI8R }, { "koi", E_KOI8R }, { "koi8", E_KOI8R },
	{ "koi8-r", E_KOI8R }, { "koi8_r", E_KOI8R },

	{ "koi8-ru", E_KOI8U }, { "koi8-u", E_KOI8U },

	{ "csmacintosh", E_MACINTOSH }, { "mac", E_MACINTOSH },
	{ "macintosh", E_MACINTOSH }, { "x-mac-roman", E_MACINTOSH },
	{ "macroman", E_MACINTOSH }, { "mac-roman", E_MACINTOSH },

	{ "x-mac-cyrillic", E_MACCYRILLIC },
	{ "x-mac-ukrainian", E_MACCYRILLIC },

	{ "dos-874", E_WIN874 }, { "iso-8859-11", E_WIN874 },
	{ "iso8859-11", E_WIN874 }, { "iso885911", E_WIN874 },
	{ "tis-620", E_WIN874 }, { "windows-874", E_WIN874 },
	{ "tis620", E_WIN874 }, { "cp874", E_WIN874 },

	{ "cp1250", E_WIN1250 }, { "windows-1250", E_WIN1250 },
	{ "x-cp1250", E_WIN1250 },
	{ "cp1251", E_WIN1251 }, { "windows-1251", E_WIN1251 },
	{ "x-cp1251", E_WIN1251 },
	{ "cp1253", E_WIN1253 }, { "windows-1253", E_WIN1253 },
	{ "x-cp1253", E_WIN1253 },

	{ "cp1254", E_WIN1254 }, { "csisolatin5", E_WIN1254 },
	{ "iso-8859-9", E_WIN1254 }, { "iso-ir-148", E_WIN1254 },
	{ "iso8859-9", E_WIN1254 }, { "iso88599", E_WIN1254 },
	{ "iso_8859-9", E_WIN1254 }, { "iso_8859-9:1989", E_WIN1254 },
	{ "l5", E_WIN1254 }, { "latin5", E_WIN1254 },
	{ "windows-1254", E_WIN1254 }, { "x-cp1254", E_WIN1254 },

	{ "cp1255", E_WIN1255 }, { "windows-1255", E_WIN1255 },
	{ "x-cp1255", E_WIN1255 },
	{ "cp1256", E_WIN1256 }, { "windows-1256", E_WIN1256 },
	{ "x-cp1256", E_WIN1256 },
	{ "cp1257", E_WIN1257 }, { "windows-1257", E_WIN1257 },
	{ "x-cp1257", E_WIN1257 },
	{ "cp1258", E_WIN1258 }, { "windows-1258", E_WIN1258 },
	{ "x-cp1258", E_WIN1258 },

	{ "chinese", E_GBK }, { "csgb2312", E_GBK },
	{ "csiso58gb231280", E_GBK }, { "gb2312", E_GBK },
	{ "gb_2312", E_GBK }, { "gb_2312-80", E_GBK }, { "gbk", E_GBK },
	{ "iso-ir-58", E_GBK }, { "x-gbk", E_GBK },
	{ "gb18030", E_GB18030 },

	{ "big5", E_BIG5 }, { "big5-hkscs", E_BIG5 }, { "cn-big5", E_BIG5 },
	{ "csbig5", E_BIG5 }, { "x-x-big5", E_BIG5 },

	{ "cseucpkdfmtjapanese", E_EUCJP }, { "euc-jp", E_EUCJP },
	{ "x-euc-jp", E_EUCJP },

	{ "csiso2022jp", E_ISO2022JP }, { "iso-2022-jp", E_ISO2022JP },

	{ "csshiftjis", E_SJIS }, { "ms932", E_SJIS }, { "ms_kanji", E_SJIS },
	{ "shift-jis", E_SJIS }, { "shift_jis", E_SJIS }, { "sjis", E_SJIS },
	{ "windows-31j", E_SJIS }, { "x-sjis", E_SJIS }, { "cp932", E_SJIS },

	{ "cseuckr", E_EUCKR }, { "csksc56011987", E_EUCKR },
	{ "euc-kr", E_EUCKR }, { "iso-ir-149", E_EUCKR },
	{ "korean", E_EUCKR }, { "ks_c_5601-1987", E_EUCKR },
	{ "ks_c_5601-1989", E_EUCKR }, { "ksc5601", E_EUCKR },
	{ "ksc_5601", E_EUCKR }, { "windows-949", E_EUCKR },
	{ "cp949", E_EUCKR },

	{ "utf-16", E_UTF16 }, { "utf16", E_UTF16 }, { "utf_16", E_UTF16 },
	{ "u16", E_UTF16 }, { "csunicode", E_UTF16 },
	{ "iso-10646-ucs-2", E_UTF16 }, { "ucs-2", E_UTF16 },
	{ "unicode", E_UTF16 },
	{ "unicodefffe", E_UTF16BE }, { "utf-16be", E_UTF16BE },
	{ "unicodefeff", E_UTF16LE }, { "utf-16le", E_UTF16LE },

	{ "utf-32", E_UTF32 }, { "utf32", E_UTF32 }, { "utf_32", E_UTF32 },
	{ "u32", E_UTF32 },
	{ "utf-32be", E_UTF32BE }, { "utf-32le", E_UTF32LE },

	{ "csiso2022kr", E_REFUSED }, { "hz-gb-2312", E_REFUSED },
	{ "iso-2022-cn", E_REFUSED }, { "iso-2022-cn-ext", E_REFUSED },
	{ "iso-2022-kr", E_REFUSED }, { "replacement", E_REFUSED },
};

/* WHATWG's index-windows-1252 for 0x80-0x9F; 0xA0-0xFF are Latin-1. */
static const uint16_t win1252_c1[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static const char replacement[3] = { '\xef', '\xbf', '\xbd' };

uint32_t
charset_cp1252_c1(uint32_t cp)
{
	/* Unassigned ones map to themselves in WHATWG's index. */
	return cp >= 0x80 && cp <= 0x9f && win1252_c1[cp - 0x80] != cp ?
	    win1252_c1[cp - 0x80] : 0;
}

/* A label as found, trimmed of whitespace and quotes. */
struct label {
	char s[LABEL_MAX];
	bool present;
	bool bad;		/* too long: names nothing */
};

/* What a label resolves to. */
struct choice {
	enum kind kind;
	const char *iconv;	/* into encodings[]; NULL for K_OTHER */
	char name[LABEL_MAX];
	bool ascii;		/* ASCII bytes read as ASCII */
};

/* The start of a document read in code units of one width. */
struct units {
	const unsigned char *p;
	size_t n;		/* whole units */
	size_t width;		/* 1, 2 or 4 bytes */
	bool be;
};

/* Output under construction; max bounds the allocation. */
struct out {
	char *p;
	size_t len;
	size_t cap;
	size_t max;
};

static bool
is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* strcasecmp without the locale: Turkish 'I' must stay 'i' here. */
static bool
label_eq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (ascii_lower((unsigned char)*a) !=
		    ascii_lower((unsigned char)*b))
			return false;
	return *a == *b;
}

/*
 * Fills *l from s[0..n), trimmed of whitespace and of the quotes an HTTP
 * parameter or a careless declaration may leave.  An empty result is no
 * label at all: iconv_open() would take "" for the locale's charset.
 */
static void
label_set(struct label *l, const char *s, size_t n)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	while (n > 0 && (is_space((unsigned char)s[0]) || s[0] == '"' ||
	    s[0] == '\'' || s[0] == '\f')) {
		s++;
		n--;
	}
	while (n > 0 && (is_space((unsigned char)s[n - 1]) ||
	    s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == '\f'))
		n--;
	if (n == 0)
		return;
	l->present = true;
	/* Cut to fit, it must not match by its prefix. */
	if (n >= sizeof(l->s)) {
		l->bad = true;
		n = sizeof(l->s) - 1;
	}
	/* No label has a '?': one stands for what cannot be shown. */
	for (i = 0; i < n; i++)
		l->s[i] = (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f ? '?' : s[i];
	l->s[n] = '\0';
}

static void
choice_set(struct choice *c, const struct encoding *e)
{
	size_t n = strlen(e->name);

	assert(n < sizeof(c->name));
	memset(c, 0, sizeof(*c));
	c->kind = e->kind;
	c->iconv = e->iconv;
	memcpy(c->name, e->name, n + 1);
	c->ascii = !(e->kind >= K_UTF16 && e->kind <= K_UTF32LE);
}

/* For the kinds the bytes alone decide. */
static void
choice_kind(struct choice *c, enum kind k)
{
	switch (k) {
	case K_UTF16BE: choice_set(c, &encodings[E_UTF16BE]); break;
	case K_UTF16LE: choice_set(c, &encodings[E_UTF16LE]); break;
	case K_UTF32BE: choice_set(c, &encodings[E_UTF32BE]); break;
	case K_UTF32LE: choice_set(c, &encodings[E_UTF32LE]); break;
	default: choice_set(c, &encodings[E_UTF8]); break;
	}
}

/*
 * Whether iconv's reading of cd maps ASCII bytes to the same ASCII.  We
 * read labels by treating the bytes as ASCII, so an encoding for which
 * that is false (UTF-7, EBCDIC, UCS-2) contradicts how it was found.
 */
static bool
iconv_is_ascii(iconv_t cd)
{
	static const char probe[] = "\t\n\r <?xml version=\"1.0\" "
	    "encoding='x'?><a b=\"c\">+-&amp;#;[]{},./:=!_09AZaz</a>";
	char outbuf[2 * sizeof(probe)];
	char *in = (char *)probe, *op = outbuf;
	size_t inleft = sizeof(probe) - 1, left = sizeof(outbuf);

	if (iconv(cd, &in, &inleft, &op, &left) == (size_t)-1)
		return false;
	if (iconv(cd, NULL, NULL, &op, &left) == (size_t)-1)
		return false;
	return (size_t)(op - outbuf) == sizeof(probe) - 1 &&
	    memcmp(outbuf, probe, sizeof(probe) - 1) == 0;
}

/*
 * Resolves a label outside our table through iconv.  Names with '/' are
 * refused: glibc would read "//TRANSLIT" and the like as options.
 */
static int
resolve_other(const struct label *l, struct choice *ret)
{
	struct choice c;
	iconv_t cd;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; l->s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)l->s[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || strchr("-_.:+()", ch) != NULL))
			return -ENOENT;
		c.name[i] = ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch;
	}
	cd = iconv_open("UTF-8", c.name);
	if (cd == (iconv_t)-1)
		return -ENOENT;
	c.kind = K_OTHER;
	c.ascii = iconv_is_ascii(cd);
	iconv_close(cd);
	*ret = c;
	return 0;
}

/*
 * Whether glibc can decode name.  A system without its gconv modules
 * (some containers strip them) must not have us refuse the document.
 */
static bool
iconv_has(const char *name)
{
	iconv_t cd;

	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

/* Returns 0 and fills *ret, or -ENOENT for a label that names nothing. */
static int
resolve(const struct label *l, struct choice *ret)
{
	const struct encoding *e;
	size_t i;

	if (!l->present || l->bad)
		return -ENOENT;
	for (i = 0; i < nitems(labels); i++) {
		if (!label_eq(labels[i].label, l->s))
			continue;
		if (labels[i].enc == E_REFUSED)
			return -ENOENT;
		e = &encodings[labels[i].enc];
		if (e->iconv != NULL && !iconv_has(e->iconv))
			return -ENOENT;
		choice_set(ret, e);
		return 0;
	}
	return resolve_other(l, ret);
}

static enum kind
sniff_bom(const unsigned char *p, size_t len, size_t *ret_bom)
{
	/* FF FE 00 00 is UTF-32LE before it is UTF-16LE and a U+0000. */
	if (len >= 4 && p[0] == 0xff && p[1] == 0xfe && p[2] == 0 &&
	    p[3] == 0) {
		*ret_bom = 4;
		return K_UTF32LE;
	}
	if (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xfe &&
	    p[3] == 0xff) {
		*ret_bom = 4;
		return K_UTF32BE;
	}
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		*ret_bom = 3;
		return K_UTF8;
	}
	if (len >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		*ret_bom = 2;
		return K_UTF16BE;
	}
	if (len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		*ret_bom = 2;
		return K_UTF16LE;
	}
	return K_NONE;
}

/* Characters a feed starts with: markup, JSON, or whitespace before them. */
static bool
is_start(unsigned char c)
{
	return c == '<' || c == '{' || is_space(c);
}

/*
 * XML 1.0 appendix F: without a BOM, the first character, ASCII, still
 * shows the code unit size and byte order through its zero bytes.  The
 * appendix lists '<' followed by '?'; we take any start character, so an
 * undeclared UTF-16 document or a JSON Feed is found too.  The 2143 and
 * 3412 byte orders are left out: iconv cannot read them.
 */
static enum kind
sniff_pattern(const unsigned char *p, size_t len)
{
	if (len < 4)
		return K_NONE;
	if (p[0] == 0 && p[1] == 0 && p[2] == 0 && is_start(p[3]))
		return K_UTF32BE;
	if (is_start(p[0]) && p[1] == 0 && p[2] == 0 && p[3] == 0)
		return K_UTF32LE;
	if (p[0] == 0 && is_start(p[1]) && p[2] == 0)
		return K_UTF16BE;
	if (is_start(p[0]) && p[1] == 0 && p[2] != 0 && p[3] == 0)
		return K_UTF16LE;
	return K_NONE;
}

/*
 * Whether the start reads plainly as an 8-bit, ASCII-compatible document:
 * a start character and no zero byte among the first four.  A UTF-16
 * label on such bytes is wrong, however sure the server is.
 */
static bool
looks_8bit(const unsigned char *p, size_t len)
{
	size_t n = len < 4 ? len : 4;

	return len >= 2 && is_start(p[0]) && memchr(p, 0, n) == NULL;
}

static void
units_init(struct units *u, const unsigned char *p, size_t len, enum kind k)
{
	u->p = p;
	u->be = k == K_UTF16BE || k == K_UTF32BE;
	if (k == K_UTF16BE || k == K_UTF16LE)
		u->width = 2;
	else if (k == K_UTF32BE || k == K_UTF32LE)
		u->width = 4;
	else
		u->width = 1;
	u->n = len / u->width;
}

static uint32_t
unit_at(const struct units *u, size_t i)
{
	const unsigned char *q = u->p + i * u->width;

	if (u->width == 1)
		return q[0];
	if (u->width == 2)
		return u->be ? (uint32_t)q[0] << 8 | q[1] :
		    (uint32_t)q[1] << 8 | q[0];
	if (u->be)
		return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		    (uint32_t)q[2] << 8 | q[3];
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 |
	    (uint32_t)q[1] << 8 | q[0];
}

/* Whether the units from i on spell s, ASCII letters in any case. */
static bool
units_match(const struct units *u, size_t i, const char *s)
{
	size_t n = strlen(s), k;

	if (i > u->n || u->n - i < n)
		return false;
	for (k = 0; k < n; k++) {
		uint32_t c = unit_at(u, i + k);

		if (c >= 0x80 || ascii_lower((int)c) != s[k])
			return false;
	}
	return true;
}

/*
 * Reads the encoding pseudo-attribute between from and to (the
 * declaration's '>').  Lenient like feedparser: any case, either quote,
 * or none.
 */
static void
decl_encoding(const struct units *u, size_t from, size_t to,
    struct label *enc)
{
	char val[2 * LABEL_MAX] = { 0 };
	size_t i, k, n;
	uint32_t c, q;
	bool bad = false;

	for (i = from; i + 8 <= to; i++) {
		if (!units_match(u, i, "encoding"))
			continue;
		for (k = i + 8; k < to && is_space(unit_at(u, k)); k++)
			;
		if (k == to || unit_at(u, k) != '=')
			continue;
		for (k++; k < to && is_space(unit_at(u, k)); k++)
			;
		q = k < to ? unit_at(u, k) : 0;
		if (q == '"' || q == '\'')
			k++;
		else
			q = 0;
		for (n = 0; k < to; k++) {
			c = unit_at(u, k);
			if (c == q || (q == 0 && (is_space(c) || c == '?')))
				break;
			if (n == sizeof(val)) {
				bad = true;
				break;
			}
			val[n++] = c < 0x80 ? (char)c : '?';
		}
		label_set(enc, val, n);
		if (bad)
			enc->bad = true;
		return;
	}
}

/*
 * Returns how many units to drop from the start: leading whitespace, and
 * the XML declaration through its '>' when there is one; its encoding
 * goes to *enc when enc is not NULL.  A declaration runs to the first
 * '>', which no value inside one may hold; that also forgives a missing
 * '?'.  "<?xml-stylesheet" is a processing instruction, not one.
 */
static size_t
prolog(const struct units *u, struct label *enc)
{
	size_t i, end, lim;
	uint32_t c;

	for (i = 0; i < u->n && is_space(unit_at(u, i)); i++)
		;
	if (!units_match(u, i, "<?xml") || u->n - i == 5)
		return i;
	c = unit_at(u, i + 5);
	if (!is_space(c) && c != '?')
		return i;
	lim = u->n - i > DECL_MAX ? i + DECL_MAX : u->n;
	for (end = i + 5; end < lim && unit_at(u, end) != '>'; end++)
		;
	if (end == lim)
		return i;
	if (enc != NULL)
		decl_encoding(u, i + 5, end, enc);
	return end + 1;
}

/*
 * Returns the length of the valid UTF-8 sequence at s[0..n) (n > 0), or
 * minus the length of its maximal subpart (Unicode 15 section 3.9, as
 * WHATWG's decoder does it): the bytes one U+FFFD stands for.  Overlongs,
 * surrogates and code points past U+10FFFF are invalid by the ranges of
 * the second byte.
 */
static int
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return -1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return -(int)i;
		lo = 0x80;
		hi = 0xbf;
	}
	return (int)need + 1;
}

/*
 * Returns the length of the longest valid UTF-8 prefix of s[0..n).  The
 * common sequences are checked inline, ASCII sixteen bytes at a time;
 * the result is the same as stepping with utf8_seq().
 */
static size_t
utf8_valid(const unsigned char *s, size_t n)
{
	uint64_t w0, w1;
	size_t i = 0;
	unsigned char c, c1;

	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			while (n - i >= 16) {
				memcpy(&w0, s + i, 8);
				memcpy(&w1, s + i + 8, 8);
				if (((w0 | w1) & HIGH_BITS) != 0)
					break;
				i += 16;
			}
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			if (n - i < 2 || (s[i + 1] & 0xc0) != 0x80)
				break;
			i += 2;
			continue;
		}
		if (c >= 0xe0 && c <= 0xef) {
			if (n - i < 3 || (s[i + 2] & 0xc0) != 0x80)
				break;
			c1 = s[i + 1];
			if (c == 0xe0 ? c1 < 0xa0 || c1 > 0xbf :
			    c == 0xed ? c1 < 0x80 || c1 > 0x9f :
			    (c1 & 0xc0) != 0x80)
				break;
			i += 3;
			continue;
		}
		if (utf8_seq(s + i, n - i) != 4)
			break;
		i += 4;
	}
	return i;
}

/* Told how far a pass over the input has got; see charset_to_utf8_borrow. */
struct progress {
	void (*fn)(void *arg, size_t done);
	void *arg;
	const unsigned char *start;	/* offsets are from here */
};

#define VALID_STEP ((size_t)1 << 20)

/*
 * utf8_valid() a mebibyte at a time, saying after each how far it got.
 * A sequence that a step cuts is read again, whole, by the next one.
 */
static size_t
utf8_valid_stepped(const unsigned char *s, size_t n,
    const struct progress *pg)
{
	size_t i = 0, step, v;

	if (pg == NULL || pg->fn == NULL)
		return utf8_valid(s, n);
	while (i < n) {
		step = n - i < VALID_STEP ? n - i : VALID_STEP;
		v = utf8_valid(s + i, step);
		/* Invalid, unless a sequence runs past the step's end. */
		if (v < step && (step == n - i || step - v >= 4))
			return i + v;
		i += v;
		pg->fn(pg->arg, (size_t)(s + i - pg->start));
	}
	return n;
}

/* Allocates o; cap is trimmed to max. */
static int
out_init(struct out *o, size_t cap, size_t max)
{
	if (cap > max)
		cap = max;
	o->p = malloc(cap);
	if (o->p == NULL)
		return -ENOMEM;
	o->len = 0;
	o->cap = cap;
	o->max = max;
	return 0;
}

/* Makes room for n more bytes and a NUL, doubling up to the bound. */
static int
out_room(struct out *o, size_t n)
{
	size_t cap;
	char *p;

	if (o->cap - o->len > n)
		return 0;
	if (o->max - o->len <= n)
		return -E2BIG;
	cap = o->cap <= o->max / 2 ? o->cap * 2 : o->max;
	if (cap - o->len <= n)
		cap = o->len + n + 1;
	p = realloc(o->p, cap);
	if (p == NULL)
		return -ENOMEM;
	o->p = p;
	o->cap = cap;
	return 0;
}

static int
out_put(struct out *o, const void *s, size_t n)
{
	int r;

	r = out_room(o, n);
	if (r < 0)
		return r;
	if (n > 0)
		memcpy(o->p + o->len, s, n);
	o->len += n;
	return 0;
}

/* Appends a code point below U+10000, which is all the tables here hold. */
static int
out_bmp(struct out *o, uint32_t cp)
{
	char b[3];

	if (cp < 0x80) {
		b[0] = (char)cp;
		return out_put(o, b, 1);
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return out_put(o, b, 2);
	}
	b[0] = (char)(0xe0 | cp >> 12);
	b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[2] = (char)(0x80 | (cp & 0x3f));
	return out_put(o, b, 3);
}

/* Copies s[0..n), each maximal ill-formed subpart becoming one U+FFFD. */
static int
decode_utf8(const unsigned char *s, size_t n, struct out *o, bool *replaced)
{
	size_t i = 0, v;
	int k, r;

	while (i < n) {
		v = utf8_valid(s + i, n - i);
		r = out_put(o, s + i, v);
		if (r < 0)
			return r;
		i += v;
		if (i == n)
			break;
		k = utf8_seq(s + i, n - i);
		assert(k < 0);
		r = out_put(o, replacement, sizeof(replacement));
		if (r < 0)
			return r;
		i += (size_t)-k;
		*replaced = true;
	}
	return 0;
}

/*
 * windows-1252 as WHATWG reads it: every byte means something.  glibc's
 * CP1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; WHATWG, and
 * so browsers, read them as the C1 controls U+0081 and so on, and so do
 * we.  Two passes: the exact size first, then one allocation.
 */
static int
decode_win1252(const unsigned char *s, size_t n, struct out *o)
{
	size_t i, need = 0;
	uint32_t cp;
	char *d;
	int r;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x80)
			need += 1;
		else if (s[i] >= 0xa0 || win1252_c1[s[i] - 0x80] < 0x800)
			need += 2;
		else
			need += 3;
	}
	r = out_room(o, need);
	if (r < 0)
		return r;

	/* A local cursor: stores through o->p could alias o->len. */
	d = o->p + o->len;
	for (i = 0; i < n; i++) {
		if (s[i] < 0x80) {
			*d++ = (char)s[i];
			continue;
		}
		cp = s[i] >= 0xa0 ? s[i] : win1252_c1[s[i] - 0x80];
		if (cp < 0x800) {
			*d++ = (char)(0xc0 | cp >> 6);
		} else {
			*d++ = (char)(0xe0 | cp >> 12);
			*d++ = (char)(0x80 | (cp >> 6 & 0x3f));
		}
		*d++ = (char)(0x80 | (cp & 0x3f));
	}
	o->len = (size_t)(d - o->p);
	return 0;
}

/*
 * Writes out any character iconv holds back and returns cd to its initial
 * state.  glibc's BIG5-HKSCS, CP1255 and CP1258 hold a base character in
 * case a combining mark follows; without this it would be lost at the end
 * or come out after the U+FFFD for a later bad byte.
 */
static int
iconv_flush(iconv_t cd, struct out *o)
{
	char *op;
	size_t left;
	int r;

	r = out_room(o, OUT_SLACK);
	if (r < 0)
		return r;
	op = o->p + o->len;
	left = o->cap - o->len - 1;
	/* Fails only for want of room, which OUT_SLACK rules out. */
	(void)iconv(cd, NULL, NULL, &op, &left);
	o->len = (size_t)(op - o->p);
	return 0;
}

/*
 * Decodes s[0..n) with iconv.  On a byte sequence invalid in the
 * encoding (EILSEQ) we write U+FFFD and go on one code unit later: one
 * byte, or two or four for UTF-16 and UTF-32, so a lone surrogate costs
 * one unit.  A truncated sequence at the end (EINVAL) is one U+FFFD.  In
 * the windows-* code pages, an unassigned byte in 0x80-0x9F is its C1
 * control instead, as in WHATWG's indexes.
 */
static int
decode_iconv(const unsigned char *s, size_t n, const struct choice *c,
    struct out *o, bool *replaced)
{
	char *in = (char *)s, *op;
	size_t inleft = n, left, rc, step, width = 1, want = OUT_SLACK;
	unsigned char b;
	iconv_t cd;
	int r = 0, e;

	if (c->kind == K_UTF16BE || c->kind == K_UTF16LE)
		width = 2;
	else if (c->kind == K_UTF32BE || c->kind == K_UTF32LE)
		width = 4;

	cd = iconv_open("UTF-8", c->kind == K_OTHER ? c->name : c->iconv);
	if (cd == (iconv_t)-1)
		return errno == ENOMEM ? -ENOMEM : -EINVAL;

	while (inleft > 0) {
		r = out_room(o, want);
		if (r < 0)
			goto out;
		want = OUT_SLACK;
		op = o->p + o->len;
		left = o->cap - o->len - 1;
		rc = iconv(cd, &in, &inleft, &op, &left);
		e = errno;
		o->len = (size_t)(op - o->p);
		if (rc != (size_t)-1)
			continue;
		if (e == E2BIG) {
			/* Force growth: what is left did not fit. */
			want = o->cap - o->len + OUT_SLACK;
			continue;
		}
		if (e != EILSEQ && e != EINVAL) {
			r = -e;
			goto out;
		}
		if (inleft == 0) {
			/*
			 * glibc's ISO-2022-CN-EXT takes a stray SO and fails
			 * after it: the error is real, the byte is gone.
			 */
			r = out_put(o, replacement, sizeof(replacement));
			*replaced = true;
			if (r < 0)
				goto out;
			break;
		}

		/*
		 * Resetting would drop the shift state of ISO-2022-JP and of
		 * whatever stateful encoding iconv knows beyond our table.
		 */
		if (c->kind != K_STATEFUL && c->kind != K_OTHER) {
			r = iconv_flush(cd, o);
			if (r < 0)
				goto out;
		}
		step = e == EINVAL || inleft < width ? inleft : width;
		b = (unsigned char)in[0];
		if (c->kind == K_WINDOWS && step == 1 && b >= 0x80 &&
		    b <= 0x9f) {
			r = out_bmp(o, b);
		} else {
			r = out_put(o, replacement, sizeof(replacement));
			*replaced = true;
		}
		if (r < 0)
			goto out;
		in += step;
		inleft -= step;
	}
	r = iconv_flush(cd, o);
out:
	iconv_close(cd);
	return r;
}

/*
 * Makes sure iconv's output is valid UTF-8, replacing what is not.  glibc
 * copies UTF-8 to UTF-8 unchecked (F4 A1 A1 A1 passes), and a label
 * outside our table may be one of its names for UTF-8.  One more pass
 * over the output, fast; a second buffer only when something is wrong.
 */
static int
recheck(struct out *o, bool *replaced)
{
	struct out fixed;
	int r;

	if (utf8_valid((const unsigned char *)o->p, o->len) == o->len)
		return 0;
	r = out_init(&fixed, o->len + o->len / 8 + OUT_SLACK, o->max);
	if (r < 0)
		return r;
	r = decode_utf8((const unsigned char *)o->p, o->len, &fixed,
	    replaced);
	if (r < 0) {
		free(fixed.p);
		return r;
	}
	free(o->p);
	*o = fixed;
	return 0;
}

/*
 * For a document whose BOM or byte pattern decided: a label that says
 * otherwise is flagged, and changes nothing.
 */
static void
check_label(const struct label *l, enum kind bytes, int *flags)
{
	struct choice c;
	bool fits;

	if (!l->present)
		return;
	if (resolve(l, &c) < 0) {
		*flags |= CHARSET_UNKNOWN_LABEL;
		return;
	}
	switch (c.kind) {
	case K_UTF8:
		fits = bytes == K_UTF8;
		break;
	case K_UTF16:
		fits = bytes == K_UTF16BE || bytes == K_UTF16LE;
		break;
	case K_UTF32:
		fits = bytes == K_UTF32BE || bytes == K_UTF32LE;
		break;
	case K_UTF16BE:
	case K_UTF16LE:
	case K_UTF32BE:
	case K_UTF32LE:
		fits = bytes == c.kind;
		break;
	case K_OTHER:
		/* UCS-2LE and the like: we cannot tell, so let it be. */
		fits = !c.ascii && bytes != K_UTF8;
		break;
	default:
		fits = false;
		break;
	}
	if (!fits)
		*flags |= CHARSET_MISMATCH;
}

/*
 * For a document without BOM or pattern: returns true and fills *ret when
 * the label is to be used, false (flagged) when the next rule must
 * decide.
 */
static bool
pick_label(const struct label *l, const unsigned char *p, size_t len,
    struct choice *ret, int *flags)
{
	struct choice c;

	if (!l->present)
		return false;
	if (resolve(l, &c) < 0) {
		*flags |= CHARSET_UNKNOWN_LABEL;
		return false;
	}
	if (!c.ascii && looks_8bit(p, len)) {
		*flags |= CHARSET_MISMATCH;
		return false;
	}
	/* No BOM and no pattern: big-endian (RFC 2781 section 4.3). */
	if (c.kind == K_UTF16)
		choice_set(&c, &encodings[E_UTF16BE]);
	else if (c.kind == K_UTF32)
		choice_set(&c, &encodings[E_UTF32BE]);
	*ret = c;
	return true;
}

static int
convert(const char *buf, size_t len, const char *http_charset,
    const struct progress *borrow, struct charset_result *ret)
{
	static const unsigned char empty[1];
	const unsigned char *p = buf != NULL ? (const unsigned char *)buf :
	    empty;
	struct charset_result res;
	struct label http, decl;
	struct choice c;
	struct units u;
	struct out o = { 0 };
	enum kind bytes;
	size_t bom = 0, skip, valid = 0, max, n;
	bool validated = false, replaced = false, strip_out;
	char *shrunk;
	int r;

	if (buf == NULL)
		len = 0;
	if (len > (SIZE_MAX - 2 * OUT_SLACK) / 4)
		return -E2BIG;
	max = 4 * len + 2 * OUT_SLACK;
	memset(&res, 0, sizeof(res));

	label_set(&http, http_charset != NULL ? http_charset : "",
	    http_charset != NULL ? strlen(http_charset) : 0);
	bytes = sniff_bom(p, len, &bom);
	if (bytes == K_NONE)
		bytes = sniff_pattern(p, len);
	units_init(&u, p + bom, len - bom, bytes);
	memset(&decl, 0, sizeof(decl));
	skip = prolog(&u, &decl) * u.width;
	if (decl.present)
		memcpy(res.declared, decl.s, sizeof(res.declared) - 1);

	if (bytes != K_NONE) {
		choice_kind(&c, bytes);
		check_label(&http, bytes, &res.flags);
		check_label(&decl, bytes, &res.flags);
	} else if (!pick_label(&http, p, len, &c, &res.flags) &&
	    !pick_label(&decl, p, len, &c, &res.flags)) {
		/* The declaration goes anyway: judge what stays. */
		valid = utf8_valid_stepped(p + skip, len - skip, borrow);
		validated = true;
		if (valid == len - skip) {
			choice_set(&c, &encodings[E_UTF8]);
		} else {
			choice_set(&c, &encodings[E_WIN1252]);
			res.flags |= CHARSET_FALLBACK;
		}
	}

	/*
	 * The prolog was read as bytes, or in the units the bytes showed.
	 * When a label chose an encoding that does not read ASCII as ASCII
	 * (UTF-16 named by the server alone, EBCDIC), find it again in the
	 * output instead.
	 */
	strip_out = bytes == K_NONE && !c.ascii;
	if (strip_out)
		skip = 0;
	p += bom + skip;
	n = len - bom - skip;

	if (c.kind == K_UTF8) {
		/* Validated above only when found valid throughout. */
		valid = validated ? n : utf8_valid_stepped(p, n, borrow);
		if (valid == n && borrow != NULL) {
			/* The fastest path: checked once, not copied. */
			memcpy(res.encoding, c.name, sizeof(res.encoding));
			res.text = (const char *)p;
			res.len = n;
			*ret = res;
			return 0;
		} else if (valid == n) {
			/* The fast path: checked once, copied once. */
			r = out_init(&o, n + 1, max);
			if (r < 0)
				goto out;
			r = out_put(&o, p, n);
		} else {
			r = out_init(&o, n + n / 8 + OUT_SLACK, max);
			if (r < 0)
				goto out;
			r = decode_utf8(p, n, &o, &replaced);
		}
	} else if (c.kind == K_WIN1252) {
		r = out_init(&o, 1, max);
		if (r < 0)
			goto out;
		r = decode_win1252(p, n, &o);
	} else {
		r = out_init(&o, n + n / 2 + OUT_SLACK, max);
		if (r < 0)
			goto out;
		r = decode_iconv(p, n, &c, &o, &replaced);
		if (r == 0)
			r = recheck(&o, &replaced);
	}
	if (r < 0)
		goto out;

	if (strip_out) {
		units_init(&u, (const unsigned char *)o.p, o.len, K_NONE);
		skip = prolog(&u, NULL);
		memmove(o.p, o.p + skip, o.len - skip);
		o.len -= skip;
	}
	o.p[o.len] = '\0';

	/* Give back what a generous first guess left unused. */
	if (o.cap - o.len > o.len / 4 + 4096) {
		shrunk = realloc(o.p, o.len + 1);
		if (shrunk != NULL)
			o.p = shrunk;
	}

	if (replaced)
		res.flags |= CHARSET_REPLACED;
	memcpy(res.encoding, c.name, sizeof(res.encoding));
	res.buf = o.p;
	res.text = o.p;
	res.len = o.len;
	o.p = NULL;
	*ret = res;
out:
	free(o.p);
	return r;
}

int
charset_to_utf8(const char *buf, size_t len, const char *http_charset,
    struct charset_result *ret)
{
	return convert(buf, len, http_charset, NULL, ret);
}

int
charset_to_utf8_borrow(const char *buf, size_t len,
    const char *http_charset, void (*progress)(void *arg, size_t done),
    void *arg, struct charset_result *ret)
{
	const struct progress pg = {
		.fn = progress,
		.arg = arg,
		.start = (const unsigned char *)buf,
	};

	return convert(buf, len, http_charset, &pg, ret);
}
