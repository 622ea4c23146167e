/*
 * commands.h - the subcommands of the `jetrestore` program.
 *
 * Each takes the arguments after its own name (argv[0] is the subcommand) and
 * returns the process exit status: 0 on success, 1 on a JET_ERR failure
 * (printed to stderr as "jetrestore: error NUMBER NAME: message (detail)"),
 * 2 on a usage error.
 */
#ifndef JR_CLI_COMMANDS_H
#define JR_CLI_COMMANDS_H

#include "cli/cliutil.h"

int jr_cmd_dump(int argc, char **argv);
int jr_cmd_verify(int argc, char **argv);
int jr_cmd_recover(int argc, char **argv);
int jr_cmd_check(int argc, char **argv);
int jr_cmd_restore(int argc, char **argv);

#endif
