/*
 * dump_records.h - the record listing of `jetrestore dump --records`.
 */
#ifndef JR_CLI_DUMP_RECORDS_H
#define JR_CLI_DUMP_RECORDS_H

#include <stdbool.h>

#include "util/errinfo.h"

/* List every logical record of the log file at path on stdout: one text line
 * per record, or one JSON object per line, then a summary (record counts per
 * type, bytes decoded). Stops at the first damaged segment or record with
 * its JET_ERR (-501 and the lgpos in the detail). */
JET_ERR jr_dump_records(const char *path, bool json, jr_errinfo *ei);

#endif
