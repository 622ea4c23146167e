/*
 * job.h - one recovery of one backup set's databases, as the FUSE layer and
 * the commands request it: the seam between "what the user asked" and the
 * engines that do it.
 *
 * A job takes a backup directory (read-only evidence) and parameters, and
 * writes recovered databases into an output directory. It picks the engine
 * by mode:
 *   JR_MODE_SOFT  soft recovery (`jetrestore recover`, esentutl /r): replay
 *                 the logs present from the checkpoint / genMinRequired.
 *   JR_MODE_HARD  hard recovery through JetExternalRestore2: the databases
 *                 must carry external-backup info, else -615.
 *   JR_MODE_AUTO  hard for databases with external-backup info, soft for
 *                 the others.
 *
 * Progress is reported through a callback (from the job's own thread) and
 * the job can be cancelled from any thread: it then stops at the next
 * record or page boundary with JR_ERR_CANCELLED, leaving no output file.
 *
 * Outputs: for every database restored, <out_dir>/<name> where name is the
 * database's new name (restore map) or its own file name; written under a
 * temporary name and renamed when complete.
 *
 * Ownership: the job copies nothing from params after jr_job_run returns;
 * strings in params remain the caller's and must live during the call.
 * Thread safety: distinct jobs may run concurrently in one process.
 */
#ifndef JR_RESTORE_JOB_H
#define JR_RESTORE_JOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jetrestore.h"
#include "util/errinfo.h"

/* A job stopped by jr_job_params.cancel: ESE's "operation cancelled by the
 * callback" has no number of its own in restore; we use JET_errTermInProgress
 * (-1000), the error ESE returns when an instance is shutting down. */
#define JR_ERR_CANCELLED JET_errTermInProgress

typedef enum {
	JR_MODE_AUTO,
	JR_MODE_HARD,
	JR_MODE_SOFT,
} jr_mode;

/* One restore-map entry: old name (as recorded: a Windows path, or a file
 * name in the backup directory) to a new file name in out_dir. */
typedef struct {
	const char *old_name;
	const char *new_name;
} jr_job_map;

typedef struct {
	const char *database;   /* new name of the database in progress */
	unsigned percent;       /* 0..100, never decreasing within a job */
	uint32_t gen;           /* log generation being replayed, or 0 */
	uint64_t records;       /* records applied so far */
	const char *phase;      /* "copy", "redo", "undo", "header", "done" */
} jr_job_progress;

/* Return false to cancel the job. */
typedef bool (*jr_job_progress_fn)(const jr_job_progress *p, void *ctx);

typedef struct {
	const char *backup_dir;         /* evidence: never written */
	const char *out_dir;            /* where recovered files go */
	jr_mode mode;
	const jr_job_map *map;          /* NULL: every database, own name */
	size_t n_map;
	/* Optional restore range (hard mode); 0/0/"" = take from headers. */
	uint32_t gen_low, gen_high;
	char base_name[JET_BASE_NAME_LENGTH + 1];
	/* Optional target instance (hard mode): both or neither. */
	const char *target_log_dir;
	const char *target_checkpoint_dir;
	size_t cache_bytes;             /* page cache budget; 0 = default */
	jr_job_progress_fn progress;    /* may be NULL */
	void *progress_ctx;
	atomic_bool *cancel;            /* may be NULL; set true to cancel */
} jr_job_params;

/* Run the job to completion. On success every mapped database exists in
 * out_dir. On failure nothing new is left in out_dir and ei says why. */
JET_ERR jr_job_run(const jr_job_params *p, jr_errinfo *ei);

#endif
