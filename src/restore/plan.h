/*
 * plan.h - from restore parameters and the files of a backup set to a
 * plan: which databases are restored, where they go, and which log
 * generations are replayed in which order (the backup's logs, then the
 * newer logs of the target instance or of the log directory).
 *
 * Every inconsistency becomes one JET_ERR here, before anything is written;
 * extrestore.c then only executes the plan. Checks, in this order, with
 * ESE's numbers (the rules of ErrLGCheckDBFiles and
 * ErrLGIRSTCheckSignaturesLogSequence in logutil.cxx):
 *
 *   parameters  -1003 InvalidParameter: no backup directory; one target
 *               directory without the other; the restore map's rules
 *               (rstmap.h); genLow > genHigh; a base name that is not 3
 *               letters or digits.
 *   paths       -1811 FileNotFound when a directory given does not exist,
 *               -1023 InvalidPath when it is not a directory.
 *   backup logs (the files of base name BASE in the backup directory)
 *               -554 StartingRestoreLogTooHigh: one has a generation below
 *               genLow; -553 EndingRestoreLogTooLow: one above genHigh;
 *               -1811 FileNotFound naming the file of a generation of
 *               [genLow, genHigh] that is missing (also when the backup
 *               has no log at all); -555 GivenLogFileHasBadSignature: a
 *               log of another log sequence; -556 GivenLogFileIsNot-
 *               Contiguous: a log's previous-generation time is not its
 *               predecessor's creation time; -513 / -501 / -514 from the
 *               log headers as the reader reports them.
 *   databases   -1206 DatabaseCorrupted: a selected file is not a database
 *               or its header is damaged in both copies; -615
 *               RestoreOfNonBackupDatabase: no external-backup info
 *               (bkinfoFullCur.genLow == 0 and no snapshot backup info);
 *               -535 BadPatchPage: the trailer page's checksum fails (or
 *               the file is too short to hold one); -552
 *               DatabasePatchFileMismatch: the trailer belongs to another
 *               database, log sequence or backup (signatures, lgposMark),
 *               or a snapshot copy's log signature is not the logs';
 *               -539 DatabaseLogSetMismatch: a copy whose trailer was
 *               already applied carries another log signature;
 *               -554 / -553: the copy needs generations below genLow /
 *               above genHigh; -531 BadDbSignature: the logs know no
 *               database of the copy's signature but attach one under its
 *               file name.
 *   continuation (target-instance log directory, or else the log
 *               directory when it is not the backup directory)
 *               -577 BadRestoreTargetInstance: the target log directory
 *               holds no log of base name BASE, or its logs or the
 *               checkpoint in the target checkpoint directory belong to
 *               another log sequence; -610 ExistingLogFileHasBadSignature:
 *               logs of the directory disagree in signature, or (log
 *               directory) they are of another sequence; -611
 *               ExistingLogFileIsNotContiguous: a gap, a generation that
 *               differs from the backup's copy of it, or a first newer
 *               generation that does not follow genHigh; -533 for a
 *               damaged target checkpoint. Target logs written with
 *               circular logging are not rolled forward (ESE's rule).
 *   coverage    -543 RequiredLogFilesMissing: a database requires a
 *               generation beyond the last one the plan replays.
 *   outputs     -1023 InvalidPath: a target whose directory does not
 *               exist or is not a directory, a target that is a
 *               directory, or one inside the backup directory or equal to
 *               an input file; -1003 when two databases go to one path.
 *   memory      -1011 OutOfMemory (allocations go through the optional
 *               allocation hook, so tests can fail any one of them).
 *
 * Ownership: jr_plan_build() returns a plan the caller frees with
 * jr_plan_free(); every string in it is the plan's. The parameters' strings
 * stay the caller's and are not referenced after jr_plan_build returns.
 * Thread safety: no global state; distinct plans are independent.
 */
#ifndef JR_RESTORE_PLAN_H
#define JR_RESTORE_PLAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/dbheader.h"
#include "ese/types.h"
#include "jetrestore.h"
#include "restore/rstmap.h"
#include "restore/scan.h"
#include "util/errinfo.h"

/* What a status callback is told (see jr_restore_status_fn). */
typedef struct {
	uint64_t done;            /* units done: never decreases */
	uint64_t total;           /* units in all (4 KiB blocks of work) */
	const char *database;     /* target path being worked on, or NULL */
	const char *phase;        /* "copy", "redo", "header", "done" */
	uint32_t gen;             /* generation being replayed, or 0 */
} jr_restore_progress;

/* Status callback with a context: snt is JET_sntBegin, JET_sntProgress,
 * JET_sntComplete or JET_sntFail; a negative return stops the restore
 * with that error (nothing is left at the targets). */
typedef JET_ERR (*jr_restore_status_fn)(JET_SNT snt,
					const jr_restore_progress *p,
					void *ctx);

/* Allocation hook for tests: return false to make the allocation of
 * `size` bytes fail (the restore then returns -1011). */
typedef bool (*jr_restore_alloc_hook)(size_t size, void *ctx);

typedef struct {
	const char *backup_dir;       /* database copies and backup logs:
				         read, never written */
	const char *log_dir;          /* NULL: backup_dir. Newer logs found
				         here continue the backup's */
	const char *checkpoint_dir;   /* NULL or an existing directory (we
				         keep the replay position in memory
				         and write no checkpoint there) */
	const char *out_dir;          /* unmapped databases go here under
				         their own names; relative new names
				         are relative to it. NULL: log_dir */
	const jr_rstmap_entry *map;   /* NULL: every database */
	long n_map;
	bool map_file_names;          /* the map's old names are exact file
				         names in backup_dir (a caller that
				         resolved the map already: the job
				         layer); no recorded-path matching */
	uint32_t gen_low, gen_high;   /* 0: from headers and logs */
	char base[JET_BASE_NAME_LENGTH + 1];  /* "": the only base present */
	const char *target_log_dir;   /* both or neither */
	const char *target_checkpoint_dir;
	size_t cache_bytes;           /* page cache budget; 0: default */
	jr_restore_status_fn status;  /* may be NULL */
	void *status_ctx;
	atomic_bool *cancel;          /* may be NULL */
	jr_restore_alloc_hook alloc_hook;   /* may be NULL */
	void *alloc_ctx;
} jr_restore_params;

/* One database of the plan. */
typedef struct {
	const jr_scan_entry *src;     /* the copy (entry of plan->scan) */
	char *new_path;               /* target path */
	const char *recorded;         /* a path the logs record for it, or
				         NULL (points into the plan's scans) */
	/* The header to start from: the copy's, with its backup info
	 * completed as restore does before redo (bk_full_cur.gen_high =
	 * the restore's genHigh, max required / committed raised to it). */
	ese_dbheader hdr;
	uint32_t page_size;
	uint64_t file_size;
	bool zero_trailer;            /* last page is a trailer: zero it */
	bool from_snapshot;           /* snapshot backup info, no trailer */
	uint32_t bk_gen_low, bk_gen_high;   /* what the copy needs */
	/* Attachment when the replay starts (the attach list of the
	 * genLow log's header): dbid 0 when not attached then. */
	uint8_t dbid_start;
	ese_lgpos lgpos_attach_start;
} jr_plan_db;

typedef struct {
	char base[JET_BASE_NAME_LENGTH + 1];
	ese_signature sign_log;
	uint32_t gen_low, gen_high;   /* the backup's range */
	uint32_t gen_end;             /* last generation replayed */
	unsigned n_logs;              /* gen_end - gen_low + 1 */
	char **logs;                  /* log file paths in replay order */
	uint64_t log_bytes;           /* their sizes summed */
	const char *cont_dir;         /* where logs after gen_high come from,
				         or NULL (points into the plan) */
	bool cont_circular;           /* target logs ignored: circular */
	unsigned n_dbs;
	jr_plan_db *dbs;
	uint64_t work_total;          /* progress units for the whole run */
	jr_scan *scan;                /* the backup directory */
	jr_scan *cont_scan;           /* the continuation directory or NULL */
	char *cont_dir_buf;
} jr_plan;

/* Parameter rules that need no file (the -1003 group above). */
JET_ERR jr_plan_check_params(const jr_restore_params *p, jr_errinfo *ei);

/* Build the plan; see the checks above. */
JET_ERR jr_plan_build(const jr_restore_params *p, jr_plan **out,
		      jr_errinfo *ei);

void jr_plan_free(jr_plan *plan);

/* calloc / strdup through the parameters' allocation hook (NULL when the
 * hook refuses or memory is short). Free with free(). */
void *jr_restore_calloc(const jr_restore_params *p, size_t n, size_t size);
char *jr_restore_strdup(const jr_restore_params *p, const char *s);

#endif
