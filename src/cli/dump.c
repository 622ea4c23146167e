/* dump.c - `jetrestore dump` (placeholder until the format readers land). */
#include "cli/commands.h"

int jr_cmd_dump(int argc, char **argv)
{
	jr_errinfo ei;

	(void)argc;
	(void)argv;
	jr_errinfo_clear(&ei);
	jr_fail(&ei, JET_errInvalidParameter, "dump is not built yet");
	return jr_cli_report("dump", &ei);
}
