/*
 * main.c - the command line: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <uv.h>

#include "commands.h"
#include "version.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "run", cmd_run, "run -c FILE [-v|-q] [--allow-root]" },
	{ "once", cmd_once, "once -c FILE [-v|-q] [--force] [--allow-root]" },
	{ "check", cmd_check, "check -c FILE" },
	{ "status", cmd_status, "status -c FILE [--json]" },
	{ "parse", cmd_parse,
	    "parse [--base URL] [--charset NAME] [FILE|-]" },
	{ "import-opml", cmd_import_opml, "import-opml FILE" },
	{ "export-opml", cmd_export_opml, "export-opml -c FILE" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  feedspool %s\n", commands[i].usage);
	fprintf(f, "  feedspool --version\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("feedspool %s\n", FEEDSPOOL_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			int status;

			/*
			 * libxml2's globals are set up here, on the main
			 * thread, before the threadpool parses, and freed
			 * when all is done (else LeakSanitizer sees them).
			 */
			xmlInitParser();
			status = commands[i].run(argc - 1, argv + 1);
			/*
			 * The threadpool's threads first: each holds
			 * libxml2's per-thread state, which their exit
			 * frees only while libxml2 is still set up.
			 */
			uv_library_shutdown();
			xmlCleanupParser();
			return status;
		}
	fprintf(stderr, "feedspool: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
