/*
 * commands.h - the subcommands of feedspool, one file each.
 */
#ifndef FEEDSPOOL_COMMANDS_H
#define FEEDSPOOL_COMMANDS_H

/* sysexits.h values, which the command-line contract promises. */
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_NOINPUT 66
#define EXIT_SOFTWARE 70
#define EXIT_IOERR 74
#define EXIT_TEMPFAIL 75	/* another daemon holds the state directory */
#define EXIT_NOPERM 77		/* run as root without --allow-root */

/* argv[0] is the subcommand's name; each returns the exit status. */
int cmd_parse(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_once(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_import_opml(int argc, char **argv);
int cmd_export_opml(int argc, char **argv);

#endif
