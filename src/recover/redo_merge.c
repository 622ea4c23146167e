/*
 * redo_merge.c - redo of page merges (a macro of Merge2 records).
 *
 * Not implemented yet: no bundled Windows log holds a merge. A merge
 * macro stops the replay with -500 InvalidLoggedOperation naming the
 * record and its lgpos, so that nothing is skipped silently.
 */
#include "recover/redo_int.h"

JET_ERR jr_redo_merge(jr_redo *rd, const jr_macro_rec *recs, size_t n,
		      jr_errinfo *ei)
{
	(void)n;
	rd->at = recs[0].at;
	return jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
			  "record type 63 (Merge2) is not implemented");
}
