#!/bin/sh
# Installs the example configuration as SYSCONFDIR/feedspool/feedspool.ini
# unless one is there already (an administrator's file is never
# overwritten), and creates the drop-in directory feeds.d/.  Run by
# `meson install`, which sets DESTDIR for staged installs.
#
#   install-example.sh EXAMPLE CONFDIR
set -eu
example=$1
confdir=${DESTDIR:-}$2

mkdir -p "$confdir/feeds.d"
if [ -e "$confdir/feedspool.ini" ]; then
	echo "feedspool: keeping the existing $confdir/feedspool.ini"
else
	install -m 0644 "$example" "$confdir/feedspool.ini"
	echo "feedspool: installed $confdir/feedspool.ini"
fi
