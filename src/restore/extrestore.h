/*
 * extrestore.h - the engine behind JetExternalRestore2 (jetrestore.h):
 * execute a restore plan (plan.h).
 *
 * For every database of the plan, in order:
 *   1. a temporary file beside the target, ".<name>.jrrestore", opened and
 *      locked (flock) for the whole run: a second restore writing the same
 *      target finds the lock taken and fails with -1080
 *      RunningInOneInstanceMode; a stale one left by a killed run is
 *      reused;
 *   2. the backup's copy is copied into it, its header (and shadow)
 *      replaced by the plan's completed header, its trailer page zeroed
 *      (ESE's ErrDBTryToZeroDBTrailer: the file keeps its size);
 *   3. the plan's logs are replayed onto it in order (backup logs, then
 *      the continuation), open transactions are rolled back, and the
 *      header is made clean by the replay engine;
 *   4. the backup information is left as ESE leaves it after a hard
 *      restore (db.cxx, detach after hard recovery): bkinfoFullCur,
 *      bkinfoSnapshotCur, bkinfoIncPrev and bkinfoFullPrev zeroed, the
 *      full/incremental previous types normal; copy and differential
 *      records kept.
 * When every database is done, each temporary file is fsync'd and renamed
 * onto its target and the directory fsync'd. On any failure (or a
 * cancel, or a callback's negative return) every temporary file this run
 * created is removed: nothing is left at the targets. The backup directory
 * and every input are opened read-only.
 *
 * Status: JET_sntBegin once the plan is sound, JET_sntProgress with done
 * never decreasing, then JET_sntComplete (done == total) or JET_sntFail.
 *
 * Thread safety: no global state; restores into distinct targets may run
 * concurrently in one process.
 */
#ifndef JR_RESTORE_EXTRESTORE_H
#define JR_RESTORE_EXTRESTORE_H

#include <stdint.h>

#include "restore/plan.h"
#include "util/errinfo.h"

typedef struct {
	unsigned n_dbs;             /* databases restored */
	uint32_t gen_low, gen_high; /* the backup's range */
	uint32_t gen_end;           /* last generation replayed */
	uint64_t records;           /* log records read, all databases */
	char **targets;             /* the n_dbs restored paths (malloc'd;
				       jr_restore_result_clear frees them) */
} jr_restore_result;

/* Free what a result owns; it can be used again. NULL is fine. */
void jr_restore_result_clear(jr_restore_result *res);

/* Run a restore (parameters and errors: plan.h; -1080 above; -1000 when
 * cancelled through p->cancel; the replay engine's errors). res may be
 * NULL. */
JET_ERR jr_restore_run(const jr_restore_params *p, jr_restore_result *res,
		       jr_errinfo *ei);

/* The temporary name used for target `path` (".<base>.jrrestore" in the
 * same directory), malloc'd; NULL when out of memory. */
char *jr_restore_temp_path(const char *path);

#endif
