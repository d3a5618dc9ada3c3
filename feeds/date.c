/*
 * date.c - dates as feeds write them, read into UTC.
 *
 * Feeds are supposed to use RFC 822 (RSS 2.0) or RFC 3339 (Atom), and a
 * good share of them use something else: RFC 850, asctime, the output
 * of date(1), JavaScript's Date.toString(), Go's time.String(), local
 * month names, day-first numbers.  The parser is a cursor over the
 * NUL-terminated string and a handful of shapes tried in turn:
 *
 *   [weekday] YYYY-MM-DD / YYYY/MM/DD / YYYY.MM.DD / YYYYMMDD / YYYY-DDD
 *             / YYYY-Mon-DD / YYYY-MM / YYYY, then ['T' or space] time
 *   [weekday] DD Mon YYYY, DD-Mon-YY, DD/Mon/YYYY:time, DD. Monat YYYY,
 *             DD de mes de YYYY, DD.MM.YYYY, DD/MM/YYYY, then time
 *   [weekday] Mon DD[,] YYYY [time] or Mon DD time [zone] YYYY (asctime)
 *
 * followed by an optional zone and an optional trailing (comment).
 * Nothing here depends on the locale or on TZ: character classes are
 * ASCII, names come from our own tables and the calendar arithmetic is
 * days_from_civil() below.  Every field is range-checked against the
 * real calendar, so 31 November is refused rather than rolled over.
 *
 * Choices, so that they are made once:
 *  - No zone means UTC.  So do -0000 and the military letters (RFC 2822
 *    section 4.3: they were defined backwards in RFC 822 and "SHOULD all
 *    be considered equivalent to -0000").  J is not a zone and fails.
 *  - Abbreviations map to one fixed offset whatever the date.  Where one
 *    is ambiguous we take the reading seen most in feeds and RFC 822:
 *    IST is India (+0530), BST British Summer Time (+0100), CST and MST
 *    the US zones of RFC 822, AST Atlantic (-0400).
 *  - GMT+8 and UTC-05:00 mean what they say (eight hours ahead of UTC),
 *    the way people and JavaScript write them; the inverted POSIX
 *    "Etc/GMT+8" is refused, and bare Etc/GMT or Etc/UTC are UTC.
 *  - Second 60 is a leap second and is read as 59.  Hour 24 is refused.
 *  - Two-digit years follow RFC 2822: 00-49 is 2000-2049, 50-99 is
 *    1950-1999; three-digit years have 1900 added.  Both are accepted
 *    only where a month name makes the year position certain.  Years
 *    outside 1000-9999 are refused, as written and once in UTC.
 *  - a/b/YYYY and a-b-YYYY are read day-first or month-first only when
 *    that is the only valid reading (13/02/2019, 02/13/2019, 05/05/2019);
 *    01/02/2019 is refused.  DD.MM.YYYY is always day-first.  The
 *    truncated ISO 8601:1988 forms feedparser reads ("03-12-31",
 *    "031231", "-03-12") are refused: they collide with day-first dates.
 *  - A trailing (comment) is ignored, except that when no zone was given
 *    and the comment holds nothing but a zone name, that zone is used.
 *    A zone name after a numeric offset ("+0100 CET", Go) is ignored too.
 *  - A date without a time takes a numeric zone only as "+HH:MM" (XML
 *    Schema's "2024-05-01+02:00"): "2013-01-27-01" is refused.
 *  - Korean "2004년 05월 28일 01:31:15" and "2004-05-25 오후 11:23:17"
 *    (the OnBlog and Nate forms feedparser knows) default to KST.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

/* Long enough for "donnerstag" and "augusztus" and four Greek letters. */
#define WORD_MAX 16

/* Fraction digits beyond these carry no meaning; longer runs are junk. */
#define FRAC_MAX 18

/* Comments nest (RFC 2822 section 3.2.3); this is plenty. */
#define COMMENT_DEPTH_MAX 8

/* Korean OnBlog and Nate dates carry no zone and mean KST. */
#define KST_MINUTES 540

/* clang-format off */
#define KO_YEAR  "\xeb\x85\x84"			/* 년 */
#define KO_MONTH "\xec\x9b\x94"			/* 월 */
#define KO_DAY   "\xec\x9d\xbc"			/* 일 */
#define KO_AM    "\xec\x98\xa4\xec\xa0\x84"	/* 오전 */
#define KO_PM    "\xec\x98\xa4\xed\x9b\x84"	/* 오후 */
/* clang-format on */

enum { AMPM_NONE, AMPM_AM, AMPM_PM };

/* Flags for parse_tail(). */
#define TAIL_ISO 0x1  /* 'T' separator and basic (compact) time */
#define TAIL_YEAR 0x2 /* asctime: the year follows time and zone */

/* One date as written, before it is checked and converted. */
struct fields {
	int year, mon, day;
	int hour, min, sec;
	int ampm;
	int off;     /* minutes east of UTC */
	int def_off; /* used when no zone is given */
	bool has_zone;
};

struct name_value {
	const char *name;
	int value;
};

/*
 * Month names, folded as fold_byte() folds them: ASCII lower case,
 * Latin-1 accents stripped.  English, German (with Austrian Jänner),
 * French, Spanish, Italian, Dutch, Portuguese, the Scandinavian
 * languages, Hungarian (feedparser's _parse_date_hungarian) and Greek
 * (_parse_date_greek).  Keep in strcmp() order: bsearch.
 */
/* clang-format off */
static const struct name_value months[] = {
	{ "abr", 4 },
	{ "abril", 4 },
	{ "ago", 8 },
	{ "agosto", 8 },
	{ "aou", 8 },
	{ "aout", 8 },
	{ "apr", 4 },
	{ "april", 4 },
	{ "aprile", 4 },
	{ "aprilis", 4 },
	{ "aug", 8 },
	{ "august", 8 },
	{ "augusti", 8 },
	{ "augustus", 8 },
	{ "augusztus", 8 },
	{ "avr", 4 },
	{ "avril", 4 },
	{ "dec", 12 },
	{ "december", 12 },
	{ "decembre", 12 },
	{ "dez", 12 },
	{ "dezember", 12 },
	{ "dezembro", 12 },
	{ "dic", 12 },
	{ "dicembre", 12 },
	{ "diciembre", 12 },
	{ "ene", 1 },
	{ "enero", 1 },
	{ "feb", 2 },
	{ "febbraio", 2 },
	{ "feber", 2 },
	{ "febr", 2 },
	{ "febrero", 2 },
	{ "februar", 2 },
	{ "februari", 2 },
	{ "february", 2 },
	{ "fev", 2 },
	{ "fevereiro", 2 },
	{ "fevr", 2 },
	{ "fevrier", 2 },
	{ "gen", 1 },
	{ "gennaio", 1 },
	{ "giu", 6 },
	{ "giugno", 6 },
	{ "jan", 1 },
	{ "janeiro", 1 },
	{ "janner", 1 },
	{ "januar", 1 },
	{ "januari", 1 },
	{ "january", 1 },
	{ "janv", 1 },
	{ "janvier", 1 },
	{ "juil", 7 },
	{ "juillet", 7 },
	{ "juin", 6 },
	{ "jul", 7 },
	{ "julho", 7 },
	{ "juli", 7 },
	{ "julio", 7 },
	{ "julius", 7 },
	{ "july", 7 },
	{ "jun", 6 },
	{ "june", 6 },
	{ "junho", 6 },
	{ "juni", 6 },
	{ "junio", 6 },
	{ "junius", 6 },
	{ "lug", 7 },
	{ "luglio", 7 },
	{ "maart", 3 },
	{ "maerz", 3 },
	{ "mag", 5 },
	{ "maggio", 5 },
	{ "mai", 5 },
	{ "maio", 5 },
	{ "maj", 5 },
	{ "majus", 5 },
	{ "mar", 3 },
	{ "marc", 3 },
	{ "march", 3 },
	{ "marcius", 3 },
	{ "marco", 3 },
	{ "mars", 3 },
	{ "marts", 3 },
	{ "marz", 3 },
	{ "marzo", 3 },
	{ "may", 5 },
	{ "mayo", 5 },
	{ "mei", 5 },
	{ "mrt", 3 },
	{ "mrz", 3 },
	{ "nov", 11 },
	{ "november", 11 },
	{ "novembre", 11 },
	{ "novembro", 11 },
	{ "noviembre", 11 },
	{ "oct", 10 },
	{ "october", 10 },
	{ "octobre", 10 },
	{ "octubre", 10 },
	{ "okt", 10 },
	{ "oktober", 10 },
	{ "ott", 10 },
	{ "ottobre", 10 },
	{ "out", 10 },
	{ "outubro", 10 },
	{ "sep", 9 },
	{ "sept", 9 },
	{ "september", 9 },
	{ "septembre", 9 },
	{ "septiembre", 9 },
	{ "set", 9 },
	{ "setembro", 9 },
	{ "setiembre", 9 },
	{ "settembre", 9 },
	{ "szept", 9 },
	{ "szeptember", 9 },
	{ "\xce\x91\xcf\x80\xcf\x81", 4 },			/* Απρ */
	{ "\xce\x91\xcf\x85\xce\xb3", 8 },			/* Αυγ */
	{ "\xce\x91\xcf\x8d\xce\xb3", 8 },			/* Αύγ */
	{ "\xce\x94\xce\xb5\xce\xba", 12 },			/* Δεκ */
	{ "\xce\x99\xce\xb1\xce\xbd", 1 },			/* Ιαν */
	{ "\xce\x99\xce\xbf\xce\xbb", 7 },			/* Ιολ */
	{ "\xce\x99\xce\xbf\xce\xbd", 6 },			/* Ιον */
	{ "\xce\x99\xce\xbf\xcf\x85\xce\xbb", 7 },		/* Ιουλ */
	{ "\xce\x99\xce\xbf\xcf\x85\xce\xbd", 6 },		/* Ιουν */
	{ "\xce\x99\xce\xbf\xcf\x8d\xce\xbb", 7 },		/* Ιούλ */
	{ "\xce\x99\xce\xbf\xcf\x8d\xce\xbd", 6 },		/* Ιούν */
	{ "\xce\x9c\xce\xac\xce\xb9", 5 },			/* Μάι */
	{ "\xce\x9c\xce\xac\xcf\x81", 3 },			/* Μάρ */
	{ "\xce\x9c\xce\xb1\xce\x90", 5 },			/* Μαΐ */
	{ "\xce\x9c\xce\xb1\xce\xb9", 5 },			/* Μαι */
	{ "\xce\x9c\xce\xb1\xcf\x81", 3 },			/* Μαρ */
	{ "\xce\x9d\xce\xbf\xce\xad", 11 },			/* Νοέ */
	{ "\xce\x9d\xce\xbf\xce\xb5", 11 },			/* Νοε */
	{ "\xce\x9f\xce\xba\xcf\x84", 10 },			/* Οκτ */
	{ "\xce\xa3\xce\xb5\xcf\x80", 9 },			/* Σεπ */
	{ "\xce\xa6\xce\xb5\xce\xb2", 2 },			/* Φεβ */
};

/*
 * Weekday names in the same languages, folded the same way.  A weekday
 * is only ever skipped (RFC 2822 section 3.3 makes it redundant, and
 * feeds get it wrong), so the table says nothing about which day it is.
 * "mar" is also March: date_parse() retries without the weekday.
 * Keep in strcmp() order: bsearch.
 */
static const char *const weekdays[] = {
	"di",
	"dienstag",
	"dim",
	"dimanche",
	"dinsdag",
	"do",
	"dom",
	"domenica",
	"domingo",
	"donderdag",
	"donnerstag",
	"fr",
	"fre",
	"fredag",
	"freitag",
	"fri",
	"friday",
	"gio",
	"giovedi",
	"jeu",
	"jeudi",
	"jue",
	"jueves",
	"lor",
	"lordag",
	"lun",
	"lundi",
	"lunedi",
	"lunes",
	"ma",
	"maandag",
	"man",
	"mandag",
	"mar",
	"mardi",
	"martedi",
	"martes",
	"mer",
	"mercoledi",
	"mercredi",
	"mi",
	"mie",
	"miercoles",
	"mittwoch",
	"mo",
	"mon",
	"monday",
	"montag",
	"ons",
	"onsdag",
	"qua",
	"quarta",
	"qui",
	"quinta",
	"sa",
	"sab",
	"sabado",
	"sabato",
	"sam",
	"samedi",
	"samstag",
	"sat",
	"saturday",
	"seg",
	"segunda",
	"sex",
	"sexta",
	"so",
	"son",
	"sondag",
	"sonnabend",
	"sonntag",
	"sun",
	"sunday",
	"ter",
	"terca",
	"thu",
	"thur",
	"thurs",
	"thursday",
	"tir",
	"tirsdag",
	"tis",
	"tisdag",
	"tor",
	"torsdag",
	"tue",
	"tues",
	"tuesday",
	"ven",
	"vendredi",
	"venerdi",
	"vie",
	"viernes",
	"vr",
	"vrijdag",
	"wed",
	"wednesday",
	"wo",
	"woensdag",
	"za",
	"zaterdag",
	"zo",
	"zondag",
	"\xce\x94\xce\xb5\xcf\x85",		/* Δευ */
	"\xce\x9a\xcf\x85\xcf\x81",		/* Κυρ */
	"\xce\xa0\xce\xb1\xcf\x81",		/* Παρ */
	"\xce\xa0\xce\xb5\xce\xbc",		/* Πεμ */
	"\xce\xa3\xce\xb1\xce\xb2",		/* Σαβ */
	"\xce\xa4\xce\xb5\xcf\x84",		/* Τετ */
	"\xce\xa4\xcf\x81\xce\xb9",		/* Τρι */
};

/*
 * Zone abbreviations in minutes east of UTC, beyond those of RFC 822
 * (which are here too).  UT, UTC, GMT, Z and the military letters are
 * handled in parse_zone().  AT, ET, CT, MT and PT are the "generic"
 * North American names Disney's feeds used; feedparser reads them as
 * standard time and so do we.  Keep in strcmp() order: bsearch.
 */
static const struct name_value zones[] = {
	{ "acdt", 630 },	/* +1030 */
	{ "acst", 570 },	/* +0930 */
	{ "adt", -180 },	/* -0300 */
	{ "aedt", 660 },	/* +1100 */
	{ "aest", 600 },	/* +1000 */
	{ "akdt", -480 },	/* -0800 */
	{ "akst", -540 },	/* -0900 */
	{ "art", -180 },	/* -0300 */
	{ "ast", -240 },	/* -0400, Atlantic, not Arabia */
	{ "at", -240 },		/* -0400 */
	{ "awst", 480 },	/* +0800 */
	{ "brst", -120 },	/* -0200 */
	{ "brt", -180 },	/* -0300 */
	{ "bst", 60 },		/* +0100, British, not Bangladesh */
	{ "cat", 120 },		/* +0200 */
	{ "cdt", -300 },	/* -0500 */
	{ "cest", 120 },	/* +0200 */
	{ "cet", 60 },		/* +0100 */
	{ "clst", -180 },	/* -0300 */
	{ "clt", -240 },	/* -0400 */
	{ "cst", -360 },	/* -0600, RFC 822, not China */
	{ "ct", -360 },		/* -0600 */
	{ "eat", 180 },		/* +0300 */
	{ "edt", -240 },	/* -0400 */
	{ "eest", 180 },	/* +0300 */
	{ "eet", 120 },		/* +0200 */
	{ "est", -300 },	/* -0500 */
	{ "et", -300 },		/* -0500 */
	{ "gst", 240 },		/* +0400, Gulf */
	{ "hdt", -540 },	/* -0900 */
	{ "hkt", 480 },		/* +0800 */
	{ "hst", -600 },	/* -1000 */
	{ "ict", 420 },		/* +0700 */
	{ "idt", 180 },		/* +0300 */
	{ "irst", 210 },	/* +0330 */
	{ "ist", 330 },		/* +0530, India, not Ireland or Israel */
	{ "jst", 540 },		/* +0900 */
	{ "kst", 540 },		/* +0900 */
	{ "mdt", -360 },	/* -0600 */
	{ "mest", 120 },	/* +0200 */
	{ "mesz", 120 },	/* +0200 */
	{ "met", 60 },		/* +0100 */
	{ "mez", 60 },		/* +0100 */
	{ "msd", 240 },		/* +0400 */
	{ "msk", 180 },		/* +0300 */
	{ "mst", -420 },	/* -0700, RFC 822, not Malaysia */
	{ "mt", -420 },		/* -0700 */
	{ "ndt", -150 },	/* -0230 */
	{ "npt", 345 },		/* +0545 */
	{ "nst", -210 },	/* -0330 */
	{ "nzdt", 780 },	/* +1300 */
	{ "nzst", 720 },	/* +1200 */
	{ "pdt", -420 },	/* -0700 */
	{ "pht", 480 },		/* +0800 */
	{ "pkt", 300 },		/* +0500 */
	{ "pst", -480 },	/* -0800 */
	{ "pt", -480 },		/* -0800 */
	{ "sast", 120 },	/* +0200 */
	{ "sgt", 480 },		/* +0800 */
	{ "wat", 60 },		/* +0100 */
	{ "west", 60 },		/* +0100 */
	{ "wet", 0 },		/* +0000 */
	{ "wib", 420 },		/* +0700 */
	{ "wit", 540 },		/* +0900 */
	{ "wita", 480 },	/* +0800 */
};

/* Names that mean UTC and may take an offset: "GMT+8", "UTC-05:00". */
static const char *const utc_names[] = {
	"gmt", "uct", "universal", "ut", "utc", "z", "zulu",
};

/*
 * UTF-8 Latin-1 letters (0xc3 0x80 to 0xc3 0xbf) without their accents,
 * so that "Février", "fevrier" and "FÉVRIER" are one name; '-' leaves
 * the letter as it is.
 */
static const char latin1_fold[64] =
    "aaaaaa-ceeeeiiiidnooooo-ouuuuy--"
    "aaaaaa-ceeeeiiiidnooooo-ouuuuy-y";

static const char *const wday_names[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

static const char *const mon_names[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
/* clang-format on */

/*
 * Character classes of our own: <ctype.h> depends on the locale and is
 * undefined for negative chars.
 */
static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* U+00A0, which &nbsp; leaves between French day and month. */
static bool
is_nbsp(const char *p)
{
	return (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0;
}

static const char *
skip_space(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		else if (is_nbsp(p))
			p += 2;
		else
			return p;
	}
}

/* Whitespace and the stray commas of "Mon, 13 Feb, 2012". */
static const char *
skip_sep(const char *p)
{
	for (;;) {
		p = skip_space(p);
		if (*p != ',')
			return p;
		p++;
	}
}

/* A word is ASCII letters and any non-ASCII bytes but U+00A0. */
static bool
is_word_byte(const char *p)
{
	return is_alpha(*p) || ((unsigned char)*p >= 0x80 && !is_nbsp(p));
}

static size_t
digit_run(const char *p)
{
	size_t n = 0;

	while (is_digit(p[n]))
		n++;
	return n;
}

/*
 * Reads a run of min to max digits.  The whole run must fit: "011" is
 * not a two-digit day followed by "1".  max is at most 9, so the value
 * cannot overflow.  On success advances *pp and stores the value.
 */
static int
read_num(const char **pp, size_t min, size_t max, int *ret_value)
{
	const char *p = *pp;
	size_t i, n;
	int v = 0;

	n = digit_run(p);
	if (n < min || n > max || n > 9)
		return -EINVAL;
	for (i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	*pp = p + n;
	*ret_value = v;
	return 0;
}

/* Value of exactly n digits at p, which the caller has counted. */
static int
digits_value(const char *p, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v;
}

/*
 * Reads a word into buf, folded: ASCII to lower case, Latin-1 letters
 * to their unaccented ASCII letter; other bytes are copied.  Fails on
 * an empty word or one that does not fit.  On success advances *pp and
 * returns the length.
 */
static int
read_word(const char **pp, char *buf, size_t size)
{
	const char *p = *pp;
	unsigned char c1;
	size_t n = 0;
	char f;

	while (is_word_byte(p)) {
		if (n + 1 >= size)
			return -EINVAL;
		c1 = (unsigned char)p[1];
		if ((unsigned char)p[0] == 0xc3 && c1 >= 0x80 && c1 <= 0xbf &&
		    (f = latin1_fold[c1 - 0x80]) != '-') {
			buf[n++] = f;
			p += 2;
			continue;
		}
		buf[n++] = to_lower(*p++);
	}
	if (n == 0)
		return -EINVAL;
	buf[n] = '\0';
	*pp = p;
	return (int)n;
}

/* Skips the word w (lower case) if it comes next, whole. */
static bool
skip_word(const char **pp, const char *w)
{
	const char *p = *pp;
	char buf[WORD_MAX];

	if (read_word(&p, buf, sizeof(buf)) < 0 || strcmp(buf, w) != 0)
		return false;
	*pp = p;
	return true;
}

/* Skips the literal bytes lit if they come next. */
static bool
skip_lit(const char **pp, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*pp, lit, n) != 0)
		return false;
	*pp += n;
	return true;
}

static int
cmp_name_value(const void *key, const void *elem)
{
	return strcmp(key, ((const struct name_value *)elem)->name);
}

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static const struct name_value *
find_name_value(const char *w, const struct name_value *tab, size_t n)
{
	return bsearch(w, tab, n, sizeof(*tab), cmp_name_value);
}

static bool
is_utc_name(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(utc_names) / sizeof(utc_names[0]); i++)
		if (strcmp(w, utc_names[i]) == 0)
			return true;
	return false;
}

/*
 * A month name, with the trailing dot of "Nov." or "févr.".  On success
 * advances *pp and stores 1 to 12.
 */
static int
read_month(const char **pp, int *ret_mon)
{
	const struct name_value *nv;
	const char *p = *pp;
	char w[WORD_MAX];

	if (read_word(&p, w, sizeof(w)) < 0)
		return -EINVAL;
	nv = find_name_value(w, months, sizeof(months) / sizeof(months[0]));
	if (nv == NULL)
		return -EINVAL;
	if (*p == '.')
		p++;
	*pp = p;
	*ret_mon = nv->value;
	return 0;
}

/*
 * A leading weekday in any of our languages ("Sun,", "Do.", "lunes",
 * "segunda-feira,") and what separates it from the date.
 */
static int
skip_weekday(const char **pp)
{
	const char *p = *pp, *q;
	char w[WORD_MAX];

	if (read_word(&p, w, sizeof(w)) < 0 ||
	    bsearch(w, weekdays, sizeof(weekdays) / sizeof(weekdays[0]),
		sizeof(weekdays[0]), cmp_name) == NULL)
		return -EINVAL;
	if (*p == '-') {
		q = p + 1;
		if (skip_word(&q, "feira"))
			p = q;
	}
	if (*p == '.')
		p++;
	if (*p != ',' && *p != ' ' && *p != '\t' && !is_nbsp(p))
		return -EINVAL;
	*pp = skip_sep(p);
	return 0;
}

/*
 * Day suffixes: "1st", "2nd", "23rd", "4th", French "1er".  They are
 * not checked against the number: "1th" is still the first.
 */
static void
skip_ordinal(const char **pp)
{
	static const char *const sfx[] = {"st", "nd", "rd", "th", "er"};
	const char *p = *pp;
	char w[WORD_MAX];
	size_t i;

	if (read_word(&p, w, sizeof(w)) < 0)
		return;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (strcmp(w, sfx[i]) == 0) {
			*pp = p;
			return;
		}
	}
}

/*
 * A year next to a month name: RFC 2822 section 4.3 adds 2000 to two
 * digits below 50, 1900 to other two- and three-digit years.
 */
static int
read_text_year(const char **pp, int *ret_year)
{
	const char *p = *pp;
	size_t n = digit_run(p);
	int y;

	if (read_num(&p, 2, 4, &y) < 0)
		return -EINVAL;
	if (n == 2)
		y += y < 50 ? 2000 : 1900;
	else if (n == 3)
		y += 1900;
	*pp = p;
	*ret_year = y;
	return 0;
}

/*
 * A numeric offset: "+0800", "+08:00", "+08", "-5", "+530".  Hours above
 * 23 are not an offset anyone uses.  On success advances *pp and stores
 * minutes east of UTC.
 */
static int
parse_offset(const char **pp, int *ret_off)
{
	const char *p = *pp;
	int sign, h, m = 0;
	size_t n;

	if (*p != '+' && *p != '-')
		return -EINVAL;
	sign = *p++ == '-' ? -1 : 1;
	n = digit_run(p);
	if (n == 1 || n == 2) {
		h = digits_value(p, n);
		p += n;
		if (*p == ':' && digit_run(p + 1) == 2) {
			m = digits_value(p + 1, 2);
			p += 3;
		}
	} else if (n == 3 || n == 4) {
		h = digits_value(p, n - 2);
		m = digits_value(p + n - 2, 2);
		p += n;
	} else
		return -EINVAL;
	if (h > 23 || m > 59)
		return -EINVAL;
	*pp = p;
	*ret_off = sign * (h * 60 + m);
	return 0;
}

/*
 * A zone: a numeric offset, UT/UTC/GMT/Z optionally followed by an
 * offset ("GMT+8", "UTC -05:00"), Etc/UTC, a military letter or a name
 * from zones[].  On success advances *pp, stores minutes east of UTC
 * and whether the zone was numeric.
 */
static int
parse_zone(const char **pp, int *ret_off, bool *ret_numeric)
{
	const struct name_value *nv;
	const char *p = *pp, *q;
	char w[WORD_MAX];
	int off = 0;
	bool numeric = false;

	if (*p == '+' || *p == '-') {
		if (parse_offset(&p, &off) < 0)
			return -EINVAL;
		numeric = true;
	} else if (read_word(&p, w, sizeof(w)) < 0) {
		return -EINVAL;
	} else if (is_utc_name(w)) {
		q = skip_space(p);
		if ((*q == '+' || *q == '-') && is_digit(q[1])) {
			if (parse_offset(&q, &off) < 0)
				return -EINVAL;
			p = q;
		}
	} else if (strcmp(w, "etc") == 0) {
		/* Etc/GMT+8 is POSIX for UTC-8: refuse rather than guess. */
		if (*p != '/')
			return -EINVAL;
		p++;
		if (read_word(&p, w, sizeof(w)) < 0 || !is_utc_name(w) ||
		    *p == '+' || *p == '-')
			return -EINVAL;
	} else if (w[1] == '\0') {
		/* RFC 2822 4.3: military zones are -0000; there is no J. */
		if (w[0] < 'a' || w[0] > 'z' || w[0] == 'j')
			return -EINVAL;
	} else {
		nv =
		    find_name_value(w, zones, sizeof(zones) / sizeof(zones[0]));
		if (nv == NULL)
			return -EINVAL;
		off = nv->value;
	}
	*pp = p;
	*ret_off = off;
	*ret_numeric = numeric;
	return 0;
}

/*
 * A time: "10:32", "9:32:00", "10:32:00.123", "10.32.00"; after 'T' in
 * ISO forms also "1032" and "103200".  Fractions are dropped.
 */
static int
parse_time(const char **pp, struct fields *f, bool basic_ok)
{
	const char *p = *pp;
	int h, m, s = 0;
	bool have_sec = false;
	size_t n;
	char sep;

	n = digit_run(p);
	if (basic_ok && (n == 4 || n == 6)) {
		h = digits_value(p, 2);
		m = digits_value(p + 2, 2);
		if (n == 6) {
			s = digits_value(p + 4, 2);
			have_sec = true;
		}
		p += n;
	} else {
		if (read_num(&p, 1, 2, &h) < 0)
			return -EINVAL;
		sep = *p;
		if (sep != ':' && sep != '.')
			return -EINVAL;
		p++;
		if (read_num(&p, 2, 2, &m) < 0)
			return -EINVAL;
		if (*p == sep && is_digit(p[1])) {
			p++;
			if (read_num(&p, 2, 2, &s) < 0)
				return -EINVAL;
			have_sec = true;
		}
	}
	if (have_sec && (*p == '.' || *p == ',') && is_digit(p[1])) {
		n = digit_run(p + 1);
		if (n > FRAC_MAX)
			return -EINVAL;
		p += 1 + n;
	}
	f->hour = h;
	f->min = m;
	f->sec = s;
	*pp = p;
	return 0;
}

/* "am", "pm", "a.m.", "p.m." after a time, in any case. */
static int
parse_ampm(const char **pp, struct fields *f)
{
	const char *p = skip_space(*pp);
	char c = to_lower(p[0]);
	int ampm;

	if (c == 'a')
		ampm = AMPM_AM;
	else if (c == 'p')
		ampm = AMPM_PM;
	else
		return -EINVAL;
	if (to_lower(p[1]) == 'm' && !is_word_byte(p + 2))
		p += 2;
	else if (p[1] == '.' && to_lower(p[2]) == 'm' && p[3] == '.')
		p += 4;
	else
		return -EINVAL;
	f->ampm = ampm;
	*pp = p;
	return 0;
}

/*
 * A trailing comment, "(CET)" or "(Pacific Standard Time)".  When no
 * zone came before it and it holds only a zone name, that is the zone.
 */
static int
parse_comment(const char **pp, struct fields *f)
{
	const char *p = *pp, *q;
	int depth = 0, off;
	bool numeric;

	q = skip_space(p + 1);
	if (!f->has_zone && parse_zone(&q, &off, &numeric) == 0 &&
	    *skip_space(q) == ')') {
		f->off = off;
		f->has_zone = true;
	}
	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
		} else if (*p == '(') {
			if (++depth > COMMENT_DEPTH_MAX)
				return -EINVAL;
		} else if (*p == ')' && --depth == 0) {
			*pp = p + 1;
			return 0;
		}
	}
	return -EINVAL;
}

/* Does a time ("9:32", "10.32") start at p? */
static bool
looks_like_time(const char *p)
{
	size_t n = digit_run(p);

	return (n == 1 || n == 2) && (p[n] == ':' || p[n] == '.') &&
	    is_digit(p[n + 1]);
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	/* clang-format off */
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	/* clang-format on */

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Checks every field against the calendar and applies am/pm and the
 * leap second.  Nothing is ever rolled over into the next field.
 */
static int
check_fields(struct fields *f)
{
	if (f->year < 1000 || f->year > 9999 || f->mon < 1 || f->mon > 12 ||
	    f->day < 1 || f->day > days_in_month(f->year, f->mon))
		return -EINVAL;
	if (f->ampm != AMPM_NONE) {
		if (f->hour < 1 || f->hour > 12)
			return -EINVAL;
		if (f->hour == 12)
			f->hour = 0;
		if (f->ampm == AMPM_PM)
			f->hour += 12;
	}
	if (f->hour > 23 || f->min > 59 || f->sec > 60)
		return -EINVAL;
	if (f->sec == 60)
		f->sec = 59;
	if (!f->has_zone)
		f->off = f->def_off;
	return 0;
}

/*
 * Everything after the date: [time [am/pm]] [zone [zone name]]
 * [asctime year] [(comment)], then the end of the string.  A digit
 * after the date must start a time, and nothing else may follow: such
 * junk would make the meaning a guess.
 */
static int
parse_tail(const char *p, struct fields *f, int flags)
{
	const char *q;
	int off, dummy;
	bool numeric, have_time = false;

	if ((flags & TAIL_ISO) && (*p == 'T' || *p == 't') && is_digit(p[1])) {
		p++;
		if (parse_time(&p, f, true) < 0)
			return -EINVAL;
		have_time = true;
	} else {
		q = skip_sep(p);
		if (skip_word(&q, "at") || skip_word(&q, "um"))
			q = skip_space(q);
		else if (skip_lit(&q, KO_AM)) {
			f->ampm = AMPM_AM;
			f->def_off = KST_MINUTES;
			q = skip_space(q);
		} else if (skip_lit(&q, KO_PM)) {
			f->ampm = AMPM_PM;
			f->def_off = KST_MINUTES;
			q = skip_space(q);
		}
		if (looks_like_time(q)) {
			if (parse_time(&q, f, false) < 0)
				return -EINVAL;
			p = q;
			have_time = true;
		} else if (is_digit(*q) && !(flags & TAIL_YEAR)) {
			return -EINVAL;
		}
	}
	if (have_time && f->ampm == AMPM_NONE)
		(void)parse_ampm(&p, f);
	if ((flags & TAIL_YEAR) && !have_time)
		return -EINVAL;

	q = skip_space(p);
	/*
	 * Without a time, only XML Schema's "2024-05-01+02:00" has a
	 * numeric zone: "2013-01-27-01" is more likely a broken date.
	 */
	if (!have_time && (*q == '+' || *q == '-') &&
	    (digit_run(q + 1) != 2 || q[3] != ':'))
		return -EINVAL;
	if (parse_zone(&q, &off, &numeric) == 0) {
		f->off = off;
		f->has_zone = true;
		p = q;
		/* Go's time.String(): "+0100 CET"; the number wins. */
		q = skip_space(p);
		if (numeric && parse_zone(&q, &dummy, &numeric) == 0)
			p = q;
	}

	if (flags & TAIL_YEAR) {
		p = skip_sep(p);
		if (read_text_year(&p, &f->year) < 0)
			return -EINVAL;
	}

	p = skip_space(p);
	if (*p == '(') {
		if (parse_comment(&p, f) < 0)
			return -EINVAL;
		p = skip_space(p);
	}
	if (*p != '\0')
		return -EINVAL;
	return check_fields(f);
}

/* Month and day from a day of the year, 1 to 365 or 366. */
static int
from_ordinal(int y, int doy, struct fields *f)
{
	int m;

	if (doy < 1 || doy > (is_leap(y) ? 366 : 365))
		return -EINVAL;
	for (m = 1; doy > days_in_month(y, m); m++)
		doy -= days_in_month(y, m);
	f->mon = m;
	f->day = doy;
	return 0;
}

/*
 * Year first: RFC 3339 and ISO 8601 ("2024-05-01T10:00:00Z",
 * "20240501T100000Z", "2024-122"), W3C-DTF's reduced "2024-05" and
 * "2024", "2019/11/23", "2019.11.23", Google's "2003-012-31", the
 * Hungarian "2004-július-13" and Korean "2004년 05월 28일".
 */
static int
parse_ymd(const char *p, struct fields *f)
{
	size_t n = digit_run(p);
	char sep;
	int doy;

	if (n == 8) {
		f->year = digits_value(p, 4);
		f->mon = digits_value(p + 4, 2);
		f->day = digits_value(p + 6, 2);
		return parse_tail(p + 8, f, TAIL_ISO);
	}
	if (n == 7) {
		f->year = digits_value(p, 4);
		if (from_ordinal(f->year, digits_value(p + 4, 3), f) < 0)
			return -EINVAL;
		return parse_tail(p + 7, f, TAIL_ISO);
	}
	if (n != 4)
		return -EINVAL;
	f->year = digits_value(p, 4);
	p += 4;

	if (skip_lit(&p, KO_YEAR)) {
		p = skip_space(p);
		if (read_num(&p, 1, 2, &f->mon) < 0 || !skip_lit(&p, KO_MONTH))
			return -EINVAL;
		p = skip_space(p);
		if (read_num(&p, 1, 2, &f->day) < 0 || !skip_lit(&p, KO_DAY))
			return -EINVAL;
		f->def_off = KST_MINUTES;
		return parse_tail(p, f, 0);
	}

	sep = *p;
	if (sep != '-' && sep != '/' && sep != '.') {
		/* W3C-DTF "YYYY": nothing may follow. */
		f->mon = f->day = 1;
		return *skip_space(p) == '\0' ? check_fields(f) : -EINVAL;
	}
	p++;
	n = digit_run(p);
	if (sep == '-' && n == 0) {
		if (read_month(&p, &f->mon) < 0)
			return -EINVAL;
	} else if (sep == '-' && n == 3 && p[3] != '-') {
		doy = digits_value(p, 3);
		if (from_ordinal(f->year, doy, f) < 0)
			return -EINVAL;
		return parse_tail(p + 3, f, TAIL_ISO);
	} else if (n == 3 && p[0] == '0') {
		/* Google's extra zero: "2003-012-31". */
		f->mon = digits_value(p, 3);
		p += 3;
	} else if (read_num(&p, 1, 2, &f->mon) < 0) {
		return -EINVAL;
	}
	if (*p != sep || !is_digit(p[1])) {
		/* W3C-DTF "YYYY-MM": nothing may follow. */
		f->day = 1;
		if (sep != '-' || *skip_space(p) != '\0')
			return -EINVAL;
		return check_fields(f);
	}
	p++;
	if (read_num(&p, 1, 2, &f->day) < 0)
		return -EINVAL;
	return parse_tail(p, f, TAIL_ISO);
}

/*
 * Day first: "23 Nov 2019", "06-Nov-94", "06/Nov/1994:08:49:37",
 * "23. November 2019", "1er mai 2024", "23 de noviembre de 2019",
 * "23.11.2019" and the unambiguous "13/02/2019".
 */
static int
parse_dmy(const char *p, struct fields *f)
{
	char sep = '\0';
	int a, b;

	if (read_num(&p, 1, 2, &a) < 0)
		return -EINVAL;
	if ((*p == '.' || *p == '/' || *p == '-') && is_digit(p[1])) {
		sep = *p++;
		if (read_num(&p, 1, 2, &b) < 0 || *p++ != sep ||
		    read_num(&p, 4, 4, &f->year) < 0)
			return -EINVAL;
		if (sep == '.' || (a > 12 && b <= 12) || a == b) {
			f->day = a;
			f->mon = b;
		} else if (a <= 12 && b > 12) {
			f->mon = a;
			f->day = b;
		} else
			return -EINVAL;
		return parse_tail(p, f, 0);
	}

	f->day = a;
	if (*p == '.')
		p++;
	else
		skip_ordinal(&p);
	if (*p == '-' || *p == '/')
		sep = *p++;
	else {
		p = skip_sep(p);
		if (skip_word(&p, "de"))
			p = skip_space(p);
	}
	if (read_month(&p, &f->mon) < 0)
		return -EINVAL;
	if (sep != '\0') {
		if (*p++ != sep)
			return -EINVAL;
	} else {
		p = skip_sep(p);
		if (skip_word(&p, "de"))
			p = skip_space(p);
	}
	if (read_text_year(&p, &f->year) < 0)
		return -EINVAL;
	/* Common Log Format: "06/Nov/1994:08:49:37 +0000". */
	if (sep == '/' && *p == ':' && looks_like_time(p + 1))
		p++;
	return parse_tail(p, f, 0);
}

/*
 * Month first: "Nov 6, 1994", "November 23rd, 2019 10:32 am",
 * "Thu Aug 30 2012 17:26:16 GMT+0200", and asctime with its year at the
 * end: "Sun Nov  6 08:49:37 1994", "Sun Jul 15 01:16:00 +0000 2012".
 */
static int
parse_mdy(const char *p, struct fields *f)
{
	char sep = '\0';

	if (read_month(&p, &f->mon) < 0)
		return -EINVAL;
	if (*p == '-' || *p == '/')
		sep = *p++;
	else
		p = skip_sep(p);
	if (read_num(&p, 1, 2, &f->day) < 0)
		return -EINVAL;
	skip_ordinal(&p);
	if (sep != '\0') {
		if (*p++ != sep)
			return -EINVAL;
	} else {
		p = skip_sep(p);
		if (looks_like_time(p))
			return parse_tail(p, f, TAIL_YEAR);
	}
	if (read_text_year(&p, &f->year) < 0)
		return -EINVAL;
	return parse_tail(p, f, 0);
}

static int
parse_body(const char *p, struct fields *f)
{
	memset(f, 0, sizeof(*f));
	if (is_digit(*p)) {
		if (parse_ymd(p, f) == 0)
			return 0;
		memset(f, 0, sizeof(*f));
		return parse_dmy(p, f);
	}
	return parse_mdy(p, f);
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date; Howard Hinnant's
 * days_from_civil, valid far beyond the years we accept.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil(). */
static void
civil_from_days(int64_t z, int *ret_y, int *ret_m, int *ret_d)
{
	int64_t era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*ret_d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*ret_m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*ret_y = (int)(y + (*ret_m <= 2));
}

int
date_parse(const char *s, int64_t *ret_time)
{
	struct fields f;
	const char *p, *q;
	int64_t t;
	int r = -EINVAL;

	if (s == NULL)
		return -EINVAL;
	p = skip_space(s);

	/* "Mar 12 2024" starts with a weekday too (French mardi): retry. */
	q = p;
	if (skip_weekday(&q) == 0)
		r = parse_body(q, &f);
	if (r < 0)
		r = parse_body(p, &f);
	if (r < 0)
		return r;

	t = days_from_civil(f.year, f.mon, f.day) * 86400 + f.hour * 3600 +
	    f.min * 60 + f.sec - (int64_t)f.off * 60;
	/* The offset may push the year out; keep what we can format. */
	if (t < days_from_civil(1000, 1, 1) * 86400 ||
	    t >= days_from_civil(10000, 1, 1) * 86400)
		return -EINVAL;
	*ret_time = t;
	return 0;
}

/*
 * Splits t into a civil date and time, for years 0000 to 9999: the
 * formats have four digits for the year.
 */
static int
split_time(int64_t t, int *ret_wday, int *ret_y, int *ret_mon, int *ret_d,
    int *ret_secs)
{
	int64_t days, secs;
	int wday;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	if (days < days_from_civil(0, 1, 1) ||
	    days > days_from_civil(9999, 12, 31))
		return -EINVAL;
	civil_from_days(days, ret_y, ret_mon, ret_d);
	/* 1970-01-01 was a Thursday. */
	wday = (int)((days + 4) % 7);
	*ret_wday = wday < 0 ? wday + 7 : wday;
	*ret_secs = (int)secs;
	return 0;
}

/* Copies tmp (n bytes and its NUL) to buf if it fits. */
static int
copy_out(const char *tmp, int n, size_t want, char *buf, size_t size)
{
	if (n < 0 || (size_t)n != want)
		return -EINVAL;
	if (buf == NULL || size <= (size_t)n)
		return -ENOSPC;
	memcpy(buf, tmp, (size_t)n + 1);
	return 0;
}

int
date_format_rfc3339(int64_t t, char *buf, size_t size)
{
	char tmp[64];
	int wday, y, m, d, secs, n;

	if (split_time(t, &wday, &y, &m, &d, &secs) < 0)
		return -EINVAL;
	n = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m,
	    d, secs / 3600, secs / 60 % 60, secs % 60);
	return copy_out(tmp, n, DATE_RFC3339_LEN, buf, size);
}

int
date_format_rfc822(int64_t t, char *buf, size_t size)
{
	char tmp[64];
	int wday, y, m, d, secs, n;

	if (split_time(t, &wday, &y, &m, &d, &secs) < 0)
		return -EINVAL;
	n = snprintf(tmp, sizeof(tmp), "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wday_names[wday], d, mon_names[m - 1], y, secs / 3600,
	    secs / 60 % 60, secs % 60);
	return copy_out(tmp, n, DATE_RFC822_LEN, buf, size);
}
