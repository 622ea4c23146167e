/*
 * cliutil.c - helpers the subcommands share (see cliutil.h).
 */
#include "cli/cliutil.h"

#include <stdio.h>
#include <stdlib.h>

int jr_cli_report(const char *cmd, const jr_errinfo *ei)
{
	fprintf(stderr, "jetrestore %s: error %d %s: %s", cmd, (int)ei->err,
		jet_error_name(ei->err), jet_error_message(ei->err));
	if (ei->detail[0])
		fprintf(stderr, " (%s)", ei->detail);
	fputc('\n', stderr);
	return 1;
}

bool jr_cli_parse_ulong(const char *cmd, const char *opt, const char *arg,
			int base, unsigned long min, unsigned long max,
			unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, base);

	if (!*arg || *end || v < min || v > max) {
		fprintf(stderr, "jetrestore %s: bad --%s '%s'\n", cmd, opt, arg);
		return false;
	}
	*out = v;
	return true;
}

bool jr_cli_json_db_begin(jr_json *j, const char *db, const jr_errinfo *ei)
{
	jr_json_init(j, stdout, false);
	jr_json_object_begin(j, NULL);
	jr_json_str(j, "database", db);
	if (!ei || !ei->err)
		return true;
	jr_json_i64(j, "error", ei->err);
	jr_json_str(j, "error_name", jet_error_name(ei->err));
	jr_json_str(j, "detail", ei->detail);
	jr_cli_json_db_end(j);
	return false;
}

void jr_cli_json_db_end(jr_json *j)
{
	jr_json_object_end(j);
	jr_json_newline(j);
}
