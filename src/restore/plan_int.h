/*
 * plan_int.h - what the parts of the restore plan share (plan.c, the
 * databases in plan_db.c, the continuation in plan_cont.c). Not a public
 * interface: see plan.h.
 */
#ifndef JR_RESTORE_PLAN_INT_H
#define JR_RESTORE_PLAN_INT_H

#include <stdbool.h>

#include "restore/logchain.h"
#include "restore/plan.h"

/* "dir/name" through the allocation hook; NULL when out of memory. */
char *jr_plan_join(const jr_restore_params *p, const char *dir,
		   const char *name);

/* Whether a and b are one file (device and inode). */
bool jr_plan_same_file(const char *a, const char *b);

/* Whether e is a log of base name `base` by its name. */
bool jr_plan_is_member(const jr_scan_entry *e, const char *base);

/* jr_logchain_build with logchain's errors renumbered for the directory's
 * role: bad_sig for -530, gap for -528, not_contig for -515. */
JET_ERR jr_plan_chain(const jr_scan *s, const char *base, jr_logchain *c,
		      JET_ERR bad_sig, JET_ERR gap, JET_ERR not_contig,
		      jr_errinfo *ei);

/* plan_db.c: select the databases (map rules, rstmap.h), fill pl->dbs
 * with their targets and check each copy. c is the backup's chain (the
 * paths its log headers record). */
JET_ERR jr_plan_select_dbs(const jr_restore_params *p, jr_plan *pl,
			   const jr_logchain *c, jr_errinfo *ei);

/* plan_cont.c: find and check the logs after the backup's genHigh; sets
 * pl->cont_dir, pl->gen_end (0: none) and pl->cont_circular. bc is the
 * backup's chain; tc receives the continuation's (clear it after). */
JET_ERR jr_plan_continuation(const jr_restore_params *p, jr_plan *pl,
			     const jr_logchain *bc, jr_logchain *tc,
			     jr_errinfo *ei);

#endif
