/* verify.c - `jetrestore verify` (placeholder until the format readers land). */
#include "cli/commands.h"

int jr_cmd_verify(int argc, char **argv)
{
	jr_errinfo ei;

	(void)argc;
	(void)argv;
	jr_errinfo_clear(&ei);
	jr_fail(&ei, JET_errInvalidParameter, "verify is not built yet");
	return jr_cli_report("verify", &ei);
}
