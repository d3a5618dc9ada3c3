/*
 * test-date.c - date_parse() and the formatters against fixed tables.
 *
 * Every expected time below was computed outside this code, with
 * Python's calendar.timegm() on the fields read off each string by hand
 * and the zone offset subtracted; none came from running date_parse().
 * The formatters are also checked against glibc's gmtime_r().
 */
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

#include "date.h"

/* date_parse() must leave *ret_time alone on failure. */
#define SENTINEL INT64_C(-777)

struct parse_case {
	const char *in;
	int64_t want;
};

/* clang-format off */
/* Inputs that must parse, and the UTC seconds they mean. */
static const struct parse_case good[] = {
	{ "Wed, 01 May 2024 10:00:00 +0000", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 GMT", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 UT", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 UTC", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 Z", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 -0000", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 EST", 1714575600 },
	{ "Wed, 01 May 2024 10:00:00 EDT", 1714572000 },
	{ "Wed, 01 May 2024 10:00:00 CST", 1714579200 },
	{ "Wed, 01 May 2024 10:00:00 CDT", 1714575600 },
	{ "Wed, 01 May 2024 10:00:00 MST", 1714582800 },
	{ "Wed, 01 May 2024 10:00:00 MDT", 1714579200 },
	{ "Wed, 01 May 2024 10:00:00 PST", 1714586400 },
	{ "Wed, 01 May 2024 10:00:00 PDT", 1714582800 },
	{ "Wed, 01 May 2024 10:00:00 A", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 M", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 N", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 Y", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 z", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 BST", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 IST", 1714537800 },
	{ "Wed, 01 May 2024 10:00:00 CET", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 CEST", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 MET", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 MEST", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 MESZ", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 MEZ", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 EET", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 EEST", 1714546800 },
	{ "Wed, 01 May 2024 10:00:00 WET", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 WEST", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 JST", 1714525200 },
	{ "Wed, 01 May 2024 10:00:00 KST", 1714525200 },
	{ "Wed, 01 May 2024 10:00:00 HKT", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 SGT", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 AEST", 1714521600 },
	{ "Wed, 01 May 2024 10:00:00 AEDT", 1714518000 },
	{ "Wed, 01 May 2024 10:00:00 ACST", 1714523400 },
	{ "Wed, 01 May 2024 10:00:00 ACDT", 1714519800 },
	{ "Wed, 01 May 2024 10:00:00 AWST", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 NZST", 1714514400 },
	{ "Wed, 01 May 2024 10:00:00 NZDT", 1714510800 },
	{ "Wed, 01 May 2024 10:00:00 AKST", 1714590000 },
	{ "Wed, 01 May 2024 10:00:00 AKDT", 1714586400 },
	{ "Wed, 01 May 2024 10:00:00 HST", 1714593600 },
	{ "Wed, 01 May 2024 10:00:00 HDT", 1714590000 },
	{ "Wed, 01 May 2024 10:00:00 NST", 1714570200 },
	{ "Wed, 01 May 2024 10:00:00 NDT", 1714566600 },
	{ "Wed, 01 May 2024 10:00:00 AST", 1714572000 },
	{ "Wed, 01 May 2024 10:00:00 ADT", 1714568400 },
	{ "Wed, 01 May 2024 10:00:00 MSK", 1714546800 },
	{ "Wed, 01 May 2024 10:00:00 MSD", 1714543200 },
	{ "Wed, 01 May 2024 10:00:00 IDT", 1714546800 },
	{ "Wed, 01 May 2024 10:00:00 SAST", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 WIB", 1714532400 },
	{ "Wed, 01 May 2024 10:00:00 WIT", 1714525200 },
	{ "Wed, 01 May 2024 10:00:00 WITA", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 PHT", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 PKT", 1714539600 },
	{ "Wed, 01 May 2024 10:00:00 ICT", 1714532400 },
	{ "Wed, 01 May 2024 10:00:00 NPT", 1714536900 },
	{ "Wed, 01 May 2024 10:00:00 IRST", 1714545000 },
	{ "Wed, 01 May 2024 10:00:00 BRT", 1714568400 },
	{ "Wed, 01 May 2024 10:00:00 BRST", 1714564800 },
	{ "Wed, 01 May 2024 10:00:00 ART", 1714568400 },
	{ "Wed, 01 May 2024 10:00:00 CLT", 1714572000 },
	{ "Wed, 01 May 2024 10:00:00 CLST", 1714568400 },
	{ "Wed, 01 May 2024 10:00:00 EAT", 1714546800 },
	{ "Wed, 01 May 2024 10:00:00 CAT", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 WAT", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 GST", 1714543200 },
	{ "Wed, 01 May 2024 10:00:00 AT", 1714572000 },
	{ "Wed, 01 May 2024 10:00:00 ET", 1714575600 },
	{ "Wed, 01 May 2024 10:00:00 CT", 1714579200 },
	{ "Wed, 01 May 2024 10:00:00 MT", 1714582800 },
	{ "Wed, 01 May 2024 10:00:00 PT", 1714586400 },
	{ "Wed, 01 May 2024 10:00:00 pst", 1714586400 },
	{ "Wed, 01 May 2024 10:00:00 Cest", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 gmt", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 Zulu", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 UCT", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 Etc/GMT", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 Etc/UTC", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 +0800", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 +08:00", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 -5", 1714575600 },
	{ "Wed, 01 May 2024 10:00:00 +08", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 -0330", 1714570200 },
	{ "Wed, 01 May 2024 10:00:00 +0530", 1714537800 },
	{ "Wed, 01 May 2024 10:00:00 +5:30", 1714537800 },
	{ "Wed, 01 May 2024 10:00:00 +530", 1714537800 },
	{ "Wed, 01 May 2024 10:00:00 GMT+8", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 GMT+08:00", 1714528800 },
	{ "Wed, 01 May 2024 10:00:00 UTC-5", 1714575600 },
	{ "Wed, 01 May 2024 10:00:00 UTC-05:00", 1714575600 },
	{ "Wed, 01 May 2024 10:00:00 GMT-01:01", 1714561260 },
	{ "Wed, 01 May 2024 10:00:00 UTC +0100", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 +0000 (UTC)", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 +0100 (CET)", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 -0800 (Pacific Standard Time)",
	    1714586400 },
	{ "Wed, 01 May 2024 10:00:00 +0000 (a (nested) comment)", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 +0000 (UTC)  ", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 (CET)", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 ( CEST )", 1714550400 },
	{ "Wed, 01 May 2024 10:00:00 (not a zone)", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00 +0100 CET", 1714554000 },
	{ "Wed, 01 May 2024 10:00:00 -0000 GMT", 1714557600 },
	{ "01 May 2024 10:00:00 GMT", 1714557600 },
	{ "Mon, 01 May 2024 10:00:00 GMT", 1714557600 },
	{ "Wednesday, 01 May 2024 10:00:00 GMT", 1714557600 },
	{ "Wed 01 May 2024 10:00:00 GMT", 1714557600 },
	{ "Wed,01 May 2024 10:00:00 GMT", 1714557600 },
	{ "Wed, 1 May 2024 10:00:00 GMT", 1714557600 },
	{ "Wed, 1 May 2024 9:05:07 GMT", 1714554307 },
	{ "Wed, 01 May 2024 10:00 GMT", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00", 1714557600 },
	{ "Wed, 01 May 2024 10:00:00GMT", 1714557600 },
	{ "Thu, 01 Jan 2004", 1072915200 },
	{ "Thu, 01 Jan 2004 GMT", 1072915200 },
	{ "  Wed,  01   May  2024   10:00:00   GMT  ", 1714557600 },
	{ "\n\tWed, 01 May 2024 10:00:00 GMT\r\n", 1714557600 },
	{ "Mon, 13 Feb, 2012 06:28:00 UTC", 1329114480 },
	{ "Mon, 26 January 2004 16:31:00 AT", 1075149060 },
	{ "Mon, 26 January 2004 16:31:00 PT", 1075163460 },
	{ "Sat, 23 Nov. 2019 10:32:00 GMT", 1574505120 },
	{ "SAT, 23 NOV 2019 10:32:00 GMT", 1574505120 },
	{ "sat, 23 nov 2019 10:32:00 gmt", 1574505120 },
	{ "Sat, 23 November 2019 10:32:00 +0100", 1574501520 },
	{ "Sat, 23 Nov 2019 10:32:00 +0100 (CET)", 1574501520 },
	{ "Thu, 01 Jan 04 19:48:21 GMT", 1072986501 },
	{ "Sun, 06 Nov 94 08:49:37 GMT", 784111777 },
	{ "01 Jan 00 00:00:00 GMT", 946684800 },
	{ "01 Jan 49 00:00:00 GMT", 2493072000 },
	{ "01 Jan 50 00:00:00 GMT", -631152000 },
	{ "31 Dec 99 23:59:59 GMT", 946684799 },
	{ "Thu, 01 Jan 104 19:48:21 GMT", 1072986501 },
	{ "Fri, 31 Dec 099 12:00:00 GMT", 946641600 },
	{ "Thu, 29 Feb 2024 12:00:00 GMT", 1709208000 },
	{ "Tue, 29 Feb 2000 12:00:00 GMT", 951825600 },
	{ "Sat, 31 Dec 2016 23:59:60 GMT", 1483228799 },
	{ "Fri, 13 Dec 1901 20:45:52 GMT", -2147483648 },
	{ "Thu, 01 Jan 1970 00:00:00 GMT", 0 },
	{ "Wed, 31 Dec 1969 23:59:59 GMT", -1 },
	{ "Wed, 01 Jan 1000 00:00:00 GMT", -30610224000 },
	{ "Wed, 01 Jan 1000 00:00:00 -0100", -30610220400 },
	{ "Fri, 31 Dec 9999 23:59:59 GMT", 253402300799 },
	{ "Thu,  5 Apr 2012 10:00:00 GMT", 1333620000 },
	{ "Sun, 16 Dec 2012 11:47:32 +00:00", 1355658452 },
	{ "Wed, 19 Feb 2012 22:40:00 GMT-01:01", 1329694860 },
	{ "Wed, 19 Aug 2009 18:28:00 Etc/GMT", 1250706480 },
	{ "Sat, 07 Sep 2002 00:00:01 GMT -0500", 1031374801 },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", 784111777 },
	{ "Sunday, 06-Nov-1994 08:49:37 GMT", 784111777 },
	{ "Thursday, 01-Jan-04 19:48:21 GMT", 1072986501 },
	{ "06-Nov-94 08:49:37 GMT", 784111777 },
	{ "Sun Nov  6 08:49:37 1994", 784111777 },
	{ "Sun Jan  4 16:29:06 2004", 1073233746 },
	{ "Sun Nov 6 08:49:37 UTC 1994", 784111777 },
	{ "Nov  6 08:49:37 1994", 784111777 },
	{ "Sun Jul 15 01:16:00 +0000 2012", 1342314960 },
	{ "Wed May  1 10:00:00 CEST 2024", 1714550400 },
	{ "Thu Aug 30 2012 17:26:16 +0200", 1346340376 },
	{ "Thu Aug 30 2012 17:26:16 GMT+0200 (Central European Summer Time)",
	    1346340376 },
	{ "Nov 6, 1994", 784080000 },
	{ "Nov. 6, 1994", 784080000 },
	{ "November 23, 2019 10:32", 1574505120 },
	{ "November 23rd, 2019 10:32 am", 1574505120 },
	{ "May 1st, 2024 at 10:00 pm", 1714600800 },
	{ "December 1, 2024 12:00 AM", 1733011200 },
	{ "December 1, 2024 12:30 PM", 1733056200 },
	{ "Dec 1, 2024 11:59 p.m.", 1733097540 },
	{ "Dec 2nd 2024 1:05 a.m. EST", 1733119500 },
	{ "Nov-06-1994", 784080000 },
	{ "Mar 12 2024", 1710201600 },
	{ "Mar, 12 Mar 2024", 1710201600 },
	{ "2024-05-01T10:00:00Z", 1714557600 },
	{ "2024-05-01t10:00:00z", 1714557600 },
	{ "2024-05-01T10:00Z", 1714557600 },
	{ "2024-05-01T10:00:00.123Z", 1714557600 },
	{ "2024-05-01T10:00:00,5Z", 1714557600 },
	{ "2024-05-01T10:00:00.123456789+02:00", 1714550400 },
	{ "2024-05-01T10:00:00+0200", 1714550400 },
	{ "2024-05-01T10:00:00+02", 1714550400 },
	{ "2024-05-01T10:00:00-05:00", 1714575600 },
	{ "2024-05-01T10:00:00 +02:00", 1714550400 },
	{ "2024-05-01 10:00:00", 1714557600 },
	{ "2024-05-01  10:00:00 UTC", 1714557600 },
	{ "2024-05-01 10:00:00 GMT+8", 1714528800 },
	{ "2024-05-01", 1714521600 },
	{ "2024-05-01Z", 1714521600 },
	{ "2024-05-01+02:00", 1714514400 },
	{ "20240501T100000Z", 1714557600 },
	{ "20240501T1000Z", 1714557600 },
	{ "20240501T100000+0200", 1714550400 },
	{ "20240501T100000.25Z", 1714557600 },
	{ "20240501", 1714521600 },
	{ "2024-05", 1714521600 },
	{ "2024", 1704067200 },
	{ "2024-122", 1714521600 },
	{ "2023-365", 1703980800 },
	{ "2024122T10:00Z", 1714557600 },
	{ "2003-12-31T10:14:55Z", 1072865695 },
	{ "2003-12-31T10:14:55-08:00", 1072894495 },
	{ "2003-12-31T18:14:55+08:00", 1072865695 },
	{ "2007-04-23T23:25:47.538+10:00", 1177334747 },
	{ "2004-02-28T18:14:55-08:00", 1078020895 },
	{ "2003-02-28T18:14:55-08:00", 1046484895 },
	{ "2000-02-28T18:14:55-08:00", 951790495 },
	{ "2004-07-08 23:56:58 -00:20", 1089332218 },
	{ "2004-07-08 23:56:58", 1089331018 },
	{ "2004-07-08 23:56:58.0", 1089331018 },
	{ "2003-012-31T10:14:55+00:00", 1072865695 },
	{ "2019-1-5 9:05", 1546679100 },
	{ "2019/11/23 10:32:00", 1574505120 },
	{ "2019.11.23", 1574467200 },
	{ "2019-11-23 10:32:00 +0100", 1574501520 },
	{ "2019-11-23, 10:32", 1574505120 },
	{ "Fri, 2006/09/15 08:19:53 EDT", 1158322793 },
	{ "Sat 2019-11-23", 1574467200 },
	{ "2016-12-31T23:59:60Z", 1483228799 },
	{ "1969-12-31T23:59:59Z", -1 },
	{ "1000-01-01T00:00:00Z", -30610224000 },
	{ "9999-12-31T23:59:59Z", 253402300799 },
	{ "9999-12-31T23:59:59+23:59", 253402214459 },
	{ "1000-01-01T00:00:00-23:59", -30610137660 },
	{ "1900-03-01T00:00:00+14:00", -2203941600 },
	{ "2019-11-23 10:32:00 +0100 CET", 1574501520 },
	{ "2019-11-23 10:32:00.123456789 +0000 UTC", 1574505120 },
	{ "2019-11-23 10:32:00 +0300 +03", 1574494320 },
	{ "23.11.2019 10:32", 1574505120 },
	{ "23.11.2019", 1574467200 },
	{ "1.2.2019", 1548979200 },
	{ "23.11.2019 10.32", 1574505120 },
	{ "23.11.2019 10:32:00 +0100", 1574501520 },
	{ "13/02/2019", 1550016000 },
	{ "02/13/2019", 1550016000 },
	{ "05/05/2019", 1557014400 },
	{ "13-02-2019 10:00", 1550052000 },
	{ "06/Nov/1994:08:49:37 +0000", 784111777 },
	{ "10/Oct/2000:13:55:36 -0700", 971211336 },
	{ "Sa, 23 Nov 2019 10:32:00 +0100", 1574501520 },
	{ "Do., 23. Februar 2023 um 10:32", 1677148320 },
	{ "23. März 2023", 1679529600 },
	{ "23. Maerz 2023", 1679529600 },
	{ "23 MÄRZ 2023", 1679529600 },
	{ "1. Mai 2024", 1714521600 },
	{ "3. Okt 2024", 1727913600 },
	{ "24. Dez. 2024", 1734998400 },
	{ "15. Jänner 2024", 1705276800 },
	{ "Mo, 15 Jän 2024 08:00:00 MEZ", 1705302000 },
	{ "Mittwoch, 1. Mai 2024 10:00 MESZ", 1714550400 },
	{ "1er mai 2024", 1714521600 },
	{ "mer., 01 mai 2024 10:00:00 +0200", 1714550400 },
	{ "15 février 2024", 1707955200 },
	{ "15 fevrier 2024", 1707955200 },
	{ "15 févr. 2024", 1707955200 },
	{ "15 FÉVRIER 2024", 1707955200 },
	{ "3 août 2024", 1722643200 },
	{ "3 aout 2024", 1722643200 },
	{ "25 décembre 2023", 1703462400 },
	{ "mardi 12 mars 2024", 1710201600 },
	{ "mar. 12 mars 2024", 1710201600 },
	{ "12 juil. 2024", 1720742400 },
	{ "12 juin 2024", 1718150400 },
	{ "1\302\240mai\302\2402024", 1714521600 },
	{ "lunes, 23 de noviembre de 2019 10:32", 1574505120 },
	{ "23 de Noviembre de 2019", 1574467200 },
	{ "mié, 01 may 2024 10:00:00 +0200", 1714550400 },
	{ "sáb, 04 ene 2025", 1735948800 },
	{ "15 Setiembre 2024", 1726358400 },
	{ "12 dic 2024", 1733961600 },
	{ "5 ago 2024", 1722816000 },
	{ "mer, 01 mag 2024 10:00:00 +0200", 1714550400 },
	{ "15 gennaio 2024", 1705276800 },
	{ "3 giugno 2024", 1717372800 },
	{ "20 luglio 2024", 1721433600 },
	{ "10 ottobre 2024", 1728518400 },
	{ "giovedì 1 febbraio 2024", 1706745600 },
	{ "lunedi 1 aprile 2024", 1711929600 },
	{ "wo, 01 mei 2024 10:00:00 +0200", 1714550400 },
	{ "15 maart 2024", 1710460800 },
	{ "15 mrt 2024", 1710460800 },
	{ "1 oktober 2024", 1727740800 },
	{ "zaterdag 23 november 2019", 1574467200 },
	{ "qua, 01 mai 2024 10:00:00 -0300", 1714568400 },
	{ "15 de março de 2024", 1710460800 },
	{ "15 de marco de 2024", 1710460800 },
	{ "segunda-feira, 06 Mai 2024", 1714953600 },
	{ "1 de fevereiro de 2024", 1706745600 },
	{ "10 out 2024", 1728518400 },
	{ "25 dez 2024", 1735084800 },
	{ "ons, 01 maj 2024", 1714521600 },
	{ "15 augusti 2024", 1723680000 },
	{ "lør, 23 nov 2019 10:32", 1574505120 },
	{ "2004-július-13T9:15-05:00", 1089728100 },
	{ "Κυρ, 11 Ιούλ 2004 12:00:00 EST", 1089565200 },
	{ "2004년 05월 28일  01:31:15", 1085675475 },
	{ "2004-05-25 오후 11:23:17", 1085494997 },
	{ "2004-05-25 오전 11:23:17", 1085451797 },
	{ "Thu, 01 Jan 2004 19:48:21 GMT", 1072986501 },
	{ "Sat, 07 Sep 2002 00:00:01 GMT", 1031356801 },
	{ "Wed, 01 Dec 2010 19:48:21 GMT", 1291232901 },
	{ "Sat, 01 Jan 2010 19:48:21 GMT", 1262375301 },
	{ "Τρι, 29 Ιούν 2004 12:53:00 GMT", 1088513580 },
	{ "2010-12-01T10:14:55Z", 1291198495 },
	{ "2004-04-06T23:05:43-05:00", 1081310743 },
	{ "2002-10-13T09:00+01:00", 1034496000 },
	{ "2002-10-17T17:00+01:00", 1034870400 },
};

/*
 * Inputs that must be refused: impossible dates, unreadable fields,
 * ambiguous numbers, years out of range and junk that makes the meaning
 * a guess.  Several come from feedparser's test_date_parsers.py.
 */
static const char *const bad[] = {
	"",
	"   ",
	"garbage",
	"Wed,",
	"Wed, ",
	"GMT",
	"+0100",
	"(comment)",
	"T10:00:00Z",
	"Wed, 31 Nov 2019 10:00:00 GMT",
	"30 Feb 2024",
	"29 Feb 2023",
	"29 Feb 1900",
	"Tue, 29 Feb 2023 10:00:00 GMT",
	"31/04/2024",
	"2024-02-30",
	"2023-02-29T00:00:00Z",
	"2024-13-01",
	"2024-00-10",
	"2024-05-00",
	"2024-05-32",
	"2023-366",
	"2024-367",
	"2024-000",
	"20241301",
	"20240230",
	"2024-05-01T25:00:00Z",
	"2024-05-01T24:00:00Z",
	"2024-05-01T10:60:00Z",
	"2024-05-01T10:00:61Z",
	"Wed, 01 May 2024 25:00:00 GMT",
	"Wed, 01 May 2024 10:60 GMT",
	"Wed, 01 May 2024 10:00:61 GMT",
	"Wed, 01 Foo 2024",
	"Sat, 23 Nov 2019 10:32:00 +0100 13",
	"13 Nov 2019 10:32:00 13:00",
	"13/13/2019",
	"01/02/2019",
	"02/01/2019",
	"11/12/2019",
	"23.11.19",
	"1/2/19",
	"Sun, 16 Dec 2012 1:2:3:4 GMT",
	"Sun, 16 zzz 2012 11:47:32 GMT",
	"Sun, Dec x 2012 11:47:32 GMT",
	"Sun, 16 Dec zz 11:47:32 GMT",
	"Sun, 16 Dec 2012 11:47:32 +zz:00",
	"Sun, 16 Dec 2012 11:47:32 +00:zz",
	"Sun, 99 Jun 2009 12:00:00 GMT",
	"Thu, 01 Jan 0100 00:00:01 +0100",
	"0999-12-31",
	"10000-01-01",
	"Sun, 31 Dec 9999 23:59:59 -9999",
	"Wed, 01 Jan 1000 00:00:00 +0100",
	"9999-12-31T23:59:59-23:59",
	"9999-12-31T23:00:00-01:00",
	"1000-01-01T00:59:59+01:00",
	"0999-12-31T23:00:00-01:00",
	"9999-12-31T23:59:59-99:99",
	"22013",
	"013",
	"2013-01-27-01",
	"2013-01-28T11:30:00-06:00Textra",
	"2013-xx-27",
	"2013-01-28T09:xx:00Z",
	"2013-01-28T09:00:00+00:xx",
	"Wed, 01 May 2024 10:00:00 J",
	"Wed, 01 May 2024 10:00:00 XYZ",
	"Wed, 01 May 2024 10:00:00 GMT garbage",
	"2024-05-01T10:00:00Z 12",
	"2024-05-01 10",
	"2024-05-01T10",
	"Wed, 01 May 2024 10:00:00 +0000 (UTC",
	"2024-05-01T10:00:00Z)",
	"Etc/GMT+8",
	"Wed, 01 May 2024 10:00:00 Etc/GMT+8",
	"Wed, 01 May 2024 10:00:00 Etc/CET",
	"May 2024",
	"1 May",
	"Nov 6",
	"Wed, 01 May 1 10:00:00 GMT",
	"Wed, 001 May 2024",
	"2024-05-011",
	"May 1, 2024 13:00 pm",
	"May 1, 2024 0:30 am",
	"2024-05-01T10:00:00.Z",
	"2024-05-01T10:00:00.1234567890123456789Z",
	"2024-05-01T10:00.5Z",
	"2024-05-01T10:00+",
	"2024-05-01T10:00:00+24:00",
	"2024-05-01T10:00:00+01:60",
	"Wed, 01 May 2024 10:00:00 +01000",
	"2024-05-01T1000000Z",
	"2024-05-01T10:0Z",
	"2024-05-01T100:00Z",
	"2024-W18-3",
	"99999999999999999999-01-01",
	"Wed, 01 May 99999999999999999999 10:00:00 GMT",
	"2024-05-01T10:00:00Z\001",
	"Wed, 01 May 2024 10:00:00 +0000 (a(b(c(d(e(f(g(h(i)))))))))",
	"Wed, 01 May 2024 10:00:00 +0000 (UTC) x",
	"Thu, 01 Jan 2004 19:48:21 GMT GMT",
	"2002-10-13T09:00+01:00;scheme=W3C-DTF",
	"Sat, 07 Sep 2002 00:00:01 GMT+",
	"Mar 31 Feb 2019",
	"Sun Nov  6 08:49:37",
	"Sun Nov  6 08:49:37 GMT",
	"2024/05",
	"2024.05",
	"2024-05 10:00",
	"2024 10:00",
	"1994 Nov 6",
	"23Nov",
	"Wed, 01 May 2024 10:00:00 -",
	"03-12-31",
	"031231",
	"-0312",
	"\324\361\351, 29 \311\357\375\355 2004 12:53:00 GMT",
	"Wed\377, 01 May 2024",
	"2024-05-01T10:00:00+05:30:00",
	"Wed, 01 May 2024 10:00:00 +0000 +0000 +0000",
	"\303",
	"2024-05-01\302",
	"15 f\303",
};

struct format_case {
	int64_t t;
	const char *rfc3339;
	const char *rfc822;
};

/* Expected strings from Python's datetime; year 0 worked by hand. */
static const struct format_case formats[] = {
	{ INT64_C(0), "1970-01-01T00:00:00Z",
	    "Thu, 01 Jan 1970 00:00:00 +0000" },
	{ INT64_C(-1), "1969-12-31T23:59:59Z",
	    "Wed, 31 Dec 1969 23:59:59 +0000" },
	{ INT64_C(1), "1970-01-01T00:00:01Z",
	    "Thu, 01 Jan 1970 00:00:01 +0000" },
	{ INT64_C(86399), "1970-01-01T23:59:59Z",
	    "Thu, 01 Jan 1970 23:59:59 +0000" },
	{ INT64_C(86400), "1970-01-02T00:00:00Z",
	    "Fri, 02 Jan 1970 00:00:00 +0000" },
	{ INT64_C(-86400), "1969-12-31T00:00:00Z",
	    "Wed, 31 Dec 1969 00:00:00 +0000" },
	{ INT64_C(-86401), "1969-12-30T23:59:59Z",
	    "Tue, 30 Dec 1969 23:59:59 +0000" },
	{ INT64_C(1714557600), "2024-05-01T10:00:00Z",
	    "Wed, 01 May 2024 10:00:00 +0000" },
	{ INT64_C(784111777), "1994-11-06T08:49:37Z",
	    "Sun, 06 Nov 1994 08:49:37 +0000" },
	{ INT64_C(-2208988800), "1900-01-01T00:00:00Z",
	    "Mon, 01 Jan 1900 00:00:00 +0000" },
	{ INT64_C(951782400), "2000-02-29T00:00:00Z",
	    "Tue, 29 Feb 2000 00:00:00 +0000" },
	{ INT64_C(951868800), "2000-03-01T00:00:00Z",
	    "Wed, 01 Mar 2000 00:00:00 +0000" },
	{ INT64_C(1483228799), "2016-12-31T23:59:59Z",
	    "Sat, 31 Dec 2016 23:59:59 +0000" },
	{ INT64_C(2147483647), "2038-01-19T03:14:07Z",
	    "Tue, 19 Jan 2038 03:14:07 +0000" },
	{ INT64_C(2147483648), "2038-01-19T03:14:08Z",
	    "Tue, 19 Jan 2038 03:14:08 +0000" },
	{ INT64_C(-2147483648), "1901-12-13T20:45:52Z",
	    "Fri, 13 Dec 1901 20:45:52 +0000" },
	{ INT64_C(-2147483649), "1901-12-13T20:45:51Z",
	    "Fri, 13 Dec 1901 20:45:51 +0000" },
	{ INT64_C(4102444800), "2100-01-01T00:00:00Z",
	    "Fri, 01 Jan 2100 00:00:00 +0000" },
	{ INT64_C(-30610224000), "1000-01-01T00:00:00Z",
	    "Wed, 01 Jan 1000 00:00:00 +0000" },
	{ INT64_C(-62135596800), "0001-01-01T00:00:00Z",
	    "Mon, 01 Jan 0001 00:00:00 +0000" },
	{ INT64_C(253402300799), "9999-12-31T23:59:59Z",
	    "Fri, 31 Dec 9999 23:59:59 +0000" },
	{ INT64_C(-11644473600), "1601-01-01T00:00:00Z",
	    "Mon, 01 Jan 1601 00:00:00 +0000" },
	{ INT64_C(1234567890), "2009-02-13T23:31:30Z",
	    "Fri, 13 Feb 2009 23:31:30 +0000" },
	{ INT64_C(-62167219200), "0000-01-01T00:00:00Z",
	    "Sat, 01 Jan 0000 00:00:00 +0000" },
};
/* clang-format on */

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
parse_good(void **state)
{
	size_t i, failed = 0;
	int64_t t;
	int r;

	(void)state;
	for (i = 0; i < N(good); i++) {
		t = SENTINEL;
		r = date_parse(good[i].in, &t);
		if (r != 0 || t != good[i].want) {
			print_error("date_parse(\"%s\") = %d, %" PRId64
				    "; want 0, %" PRId64 "\n",
			    good[i].in, r, t, good[i].want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
parse_bad(void **state)
{
	size_t i, failed = 0;
	int64_t t;
	int r;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		t = SENTINEL;
		r = date_parse(bad[i], &t);
		if (r != -EINVAL || t != SENTINEL) {
			print_error("date_parse(\"%s\") = %d, %" PRId64
				    "; want -EINVAL, untouched\n",
			    bad[i], r, t);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
parse_null(void **state)
{
	int64_t t = SENTINEL;

	(void)state;
	assert_int_equal(date_parse(NULL, &t), -EINVAL);
	assert_true(t == SENTINEL);
}

/*
 * Every prefix of every good input, each in a heap block of exactly its
 * size, so that the sanitizer build catches any read past the NUL.
 */
static void
parse_prefixes(void **state)
{
	size_t i, len, n, failed = 0;
	int64_t t;
	char *s;
	int r;

	(void)state;
	for (i = 0; i < N(good); i++) {
		len = strlen(good[i].in);
		for (n = 0; n <= len; n++) {
			s = malloc(n + 1);
			assert_non_null(s);
			memcpy(s, good[i].in, n);
			s[n] = '\0';
			t = SENTINEL;
			r = date_parse(s, &t);
			if ((r != 0 && r != -EINVAL) ||
			    (r != 0 && t != SENTINEL) ||
			    (n == len && (r != 0 || t != good[i].want))) {
				print_error("date_parse(\"%s\") = %d\n", s, r);
				failed++;
			}
			free(s);
		}
	}
	assert_int_equal(failed, 0);
}

/* TZ and the locale must not change anything. */
static void
parse_tz_locale(void **state)
{
	static const char *const tzs[] = {
	    "America/New_York", "Asia/Kolkata", "Pacific/Chatham"};
	size_t i, j, failed = 0;
	int64_t t;

	(void)state;
	(void)setlocale(LC_ALL, "de_DE.UTF-8");
	for (j = 0; j < N(tzs); j++) {
		assert_int_equal(setenv("TZ", tzs[j], 1), 0);
		tzset();
		for (i = 0; i < N(good); i++) {
			t = SENTINEL;
			if (date_parse(good[i].in, &t) != 0 ||
			    t != good[i].want)
				failed++;
		}
	}
	(void)setlocale(LC_ALL, "C");
	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
	assert_int_equal(failed, 0);
}

static void
format_table(void **state)
{
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(formats); i++) {
		assert_int_equal(
		    date_format_rfc3339(formats[i].t, buf, sizeof(buf)), 0);
		assert_string_equal(buf, formats[i].rfc3339);
		assert_int_equal(strlen(buf), DATE_RFC3339_LEN);
		assert_int_equal(
		    date_format_rfc822(formats[i].t, buf, sizeof(buf)), 0);
		assert_string_equal(buf, formats[i].rfc822);
		assert_int_equal(strlen(buf), DATE_RFC822_LEN);
	}
}

/* Exactly LEN + 1 bytes is enough; one less is -ENOSPC, buf untouched. */
static void
format_nospc(void **state)
{
	char buf[DATE_RFC822_LEN + 8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(
	    date_format_rfc3339(0, buf, DATE_RFC3339_LEN), -ENOSPC);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(date_format_rfc3339(0, buf, 0), -ENOSPC);
	assert_int_equal(date_format_rfc3339(0, NULL, 0), -ENOSPC);
	assert_int_equal(date_format_rfc3339(0, buf, DATE_RFC3339_LEN + 1), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(date_format_rfc822(0, buf, DATE_RFC822_LEN), -ENOSPC);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(date_format_rfc822(0, NULL, 0), -ENOSPC);
	assert_int_equal(date_format_rfc822(0, buf, DATE_RFC822_LEN + 1), 0);
	assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 +0000");
}

/* Years outside 0000-9999 do not fit the formats. */
static void
format_range(void **state)
{
	static const int64_t out[] = {
	    INT64_C(-62167219201), /* -0001-12-31T23:59:59Z */
	    INT64_C(253402300800), /* 10000-01-01T00:00:00Z */
	    INT64_MIN, INT64_MIN + 1, INT64_MAX};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(out); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(
		    date_format_rfc3339(out[i], buf, sizeof(buf)), -EINVAL);
		assert_int_equal(
		    date_format_rfc822(out[i], buf, sizeof(buf)), -EINVAL);
		assert_int_equal(buf[0], 'x');
	}
}

/*
 * A sweep over years 1000-9999 with an odd step: both formats agree
 * with gmtime_r() and parse back to the same second.
 */
static void
format_sweep(void **state)
{
	static const char *const wd[] = {
	    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mn[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	const int64_t lo = INT64_C(-30610224000); /* 1000-01-01 */
	const int64_t hi = INT64_C(253402300799); /* 9999-12-31 */
	char buf[64], want[64];
	size_t failed = 0;
	int64_t t, back;
	struct tm tm;
	time_t tt;

	(void)state;
	for (t = lo; t <= hi; t += INT64_C(7777777)) {
		tt = (time_t)t;
		assert_non_null(gmtime_r(&tt, &tm));

		assert_int_equal(date_format_rfc3339(t, buf, sizeof(buf)), 0);
		assert_in_range(
		    snprintf(want, sizeof(want),
			"%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec),
		    1, sizeof(want) - 1);
		if (strcmp(buf, want) != 0 || date_parse(buf, &back) != 0 ||
		    back != t) {
			print_error(
			    "%" PRId64 ": \"%s\", want \"%s\"\n", t, buf, want);
			failed++;
		}

		assert_int_equal(date_format_rfc822(t, buf, sizeof(buf)), 0);
		assert_in_range(
		    snprintf(want, sizeof(want),
			"%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday],
			tm.tm_mday, mn[tm.tm_mon], tm.tm_year + 1900,
			tm.tm_hour, tm.tm_min, tm.tm_sec),
		    1, sizeof(want) - 1);
		if (strcmp(buf, want) != 0 || date_parse(buf, &back) != 0 ||
		    back != t) {
			print_error(
			    "%" PRId64 ": \"%s\", want \"%s\"\n", t, buf, want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_good),
	    cmocka_unit_test(parse_bad),
	    cmocka_unit_test(parse_null),
	    cmocka_unit_test(parse_prefixes),
	    cmocka_unit_test(parse_tz_locale),
	    cmocka_unit_test(format_table),
	    cmocka_unit_test(format_nospc),
	    cmocka_unit_test(format_range),
	    cmocka_unit_test(format_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
