/*
 * cliutil.h - what the subcommands of `jetrestore` share: the failure
 * line, numeric option values, and the JSON Lines record of one database.
 *
 * These live in the program, not in the library: the library knows nothing
 * of command lines. Nothing here allocates; FILEs stay the caller's.
 */
#ifndef JR_CLI_CLIUTIL_H
#define JR_CLI_CLIUTIL_H

#include <stdbool.h>

#include "util/errinfo.h"
#include "util/json.h"

/* Print a failure as "jetrestore CMD: error NUMBER NAME: message (detail)"
 * on stderr and return the exit status 1. */
int jr_cli_report(const char *cmd, const jr_errinfo *ei);

/* Parse the value of --OPT (strtoul in `base`: 10, or 0 for 0x...) and
 * check min <= value <= max. On failure print
 * "jetrestore CMD: bad --OPT 'ARG'" on stderr and return false. */
bool jr_cli_parse_ulong(const char *cmd, const char *opt, const char *arg,
			int base, unsigned long min, unsigned long max,
			unsigned long *out);

/* Start the JSON Lines record of one database on stdout:
 * {"database":DB ... . When ei holds a failure the record is the error
 * (error, error_name, detail) and is closed here: returns false, write
 * nothing more. Otherwise returns true: add members, then
 * jr_cli_json_db_end(). */
bool jr_cli_json_db_begin(jr_json *j, const char *db, const jr_errinfo *ei);
void jr_cli_json_db_end(jr_json *j);

#endif
