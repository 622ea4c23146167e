/*
 * main.c - the `jetrestore` command: dispatch to a subcommand.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

struct jr_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct jr_command jr_commands[] = {
	{ "dump", jr_cmd_dump,
	  "print the header of databases, checkpoints and logs (--records, --json)" },
	{ "verify", jr_cmd_verify,
	  "check checksums and the log generation chain of files or directories" },
	{ "recover", jr_cmd_recover, "soft recovery (esentutl /r) of databases into new files" },
	{ "check", jr_cmd_check, "structural integrity of databases (pages, trees, links, keys)" },
	{ "restore", jr_cmd_restore, "hard recovery (JetExternalRestore2) of a streaming backup" },
};

static void jr_usage(FILE *out)
{
	fprintf(out, "usage: jetrestore COMMAND [OPTIONS] ARGS...\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(jr_commands) / sizeof(jr_commands[0]); i++)
		fprintf(out, "  %-8s %s\n", jr_commands[i].name,
			jr_commands[i].summary);
	fprintf(out, "\n`jetrestore COMMAND --help` describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		jr_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		jr_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("jetrestore %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(jr_commands) / sizeof(jr_commands[0]); i++)
		if (!strcmp(argv[1], jr_commands[i].name))
			return jr_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "jetrestore: unknown command '%s'\n", argv[1]);
	jr_usage(stderr);
	return 2;
}
