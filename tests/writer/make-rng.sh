#!/bin/sh
# Converts atom.rnc (RFC 4287 appendix B, RELAX NG compact syntax) into
# atom.rng (RELAX NG XML syntax), which xmllint and libxml2 read.  The
# result is checked in, so the tests need no Java; run this only when
# atom.rnc changes.  Needs trang (Debian: apt-get install trang).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
trang -I rnc -O rng atom.rnc "$tmp"
version=$(trang 2>&1 | sed -n 's/^Trang version //p')
{
	sed -n 1p "$tmp"
	cat <<HEADER
<!--
  GENERATED FILE, do not edit: made by tests/writer/make-rng.sh from
  atom.rnc, the RELAX NG compact schema of RFC 4287 appendix B, with
  "trang -I rnc -O rng atom.rnc atom.rng" (trang $version, the Debian 12
  package).  Used by tests/writer/check.py (with xmllint) and
  tests/unit/test-writer.c.
-->
HEADER
	sed 1d "$tmp"
} > atom.rng
