/*
 * recovery.h - soft recovery of one database (esentutl /r): find its logs
 * and checkpoint by content, check them against the database, replay them
 * into a copy, roll back what never committed, and write a clean copy.
 *
 * Usage:
 *   jr_recovery_opts o; jr_recovery_opts_init(&o);
 *   o.db_path = "SRUDB.dat"; o.out_dir = "out";      (others optional)
 *   jr_recovery_summary sum;
 *   JET_ERR err = jr_recover_database(&o, &sum, &ei);
 *   sum.out_path, sum.gen_first..gen_last, sum.redo.applied[lrtyp] ...
 *
 * What it does, in order (every check happens before anything is written):
 *   1. Read the database header (the input is opened read-only, never
 *      changed). A CleanShutdown database needs no replay: its copy is
 *      written as is (unless opts.replay_from forces a replay).
 *   2. Scan the log directory and the system directory by content
 *      (restore/scan.h): the log set is the base name whose log signature
 *      is the database's (-530 BadLogSignature when logs are there but none
 *      carries it), its generation chain must be sound (restore/logchain.h:
 *      -528 MissingLogFile for a gap, -513, -515...). The checkpoint is the
 *      checkpoint file of that log signature (another one: -532).
 *   3. The replay starts at the checkpoint, or at genMinRequired when there
 *      is no checkpoint or the checkpoint lies beyond it, and runs to the
 *      end of the last generation. Generations genMinRequired ..
 *      genMaxRequired must be present (-543 RequiredLogFilesMissing). The
 *      attach list of the first replayed log names the database's dbid; a
 *      database there under the same file name but with another signature
 *      is -531 BadDbSignature.
 *   4. The database is copied to a temporary file in the output directory,
 *      replayed (redo.h) and undone through a page cache of opts.cache_bytes.
 *   5. The header becomes ESE's clean end state (ErrIOTermUpdateAndWrite-
 *      DatabaseHeader and DBFILEHDR::SetDbstate): state CleanShutdown;
 *      dbtime and objidLast the highest seen; lgposConsistent,
 *      lgposDetach (and lgposLastResize when in use) at the end of the
 *      replayed log; logtimeConsistent and logtimeDetach the creation time
 *      of the last generation (ESE uses the wall clock; a time from the
 *      logs keeps a re-run byte-identical); genMin/MaxRequired,
 *      genMinConsistent, genMaxCommitted, genRecovering, the pre-redo
 *      generations and the genMax times cleared; a backup in progress
 *      (bkinfoFullCur, bkinfoSnapshotCur, bkinfoIncPrev) forgotten; a
 *      SetDbVersion in the logs applied. Header and shadow are written
 *      with their checksums.
 *   6. fsync, rename to out_dir/<database file name>, fsync the directory.
 *      On any failure the temporary file is removed: nothing is left at the
 *      output path (an older result there is left as it was).
 *
 * Memory: the page cache (opts.cache_bytes) plus a copy buffer and the
 * redo engine's scratch pages; none of it grows with the database or logs.
 */
#ifndef JR_RECOVER_RECOVERY_H
#define JR_RECOVER_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "recover/redo.h"
#include "util/errinfo.h"

/* Progress report: called when a new generation starts being replayed
 * (gen_first <= gen <= gen_last), and once more with gen 0 at the end. */
typedef void (*jr_recovery_progress)(const char *db, uint32_t gen,
				     uint32_t gen_first, uint32_t gen_last,
				     void *ctx);

typedef struct {
	const char *db_path;       /* the database to recover (read only) */
	const char *log_dir;       /* NULL: the database's directory */
	const char *system_dir;    /* checkpoint; NULL: the log directory */
	const char *out_dir;       /* created if missing; must not be the
				      database's own directory */
	size_t cache_bytes;        /* page cache budget (default 32 MiB) */
	uint32_t replay_from;      /* 0: checkpoint / genMinRequired; else
				      replay every generation from this one
				      (the database counts as possibly
				      holding all of them: used to replay
				      logs over a clean database) */
	jr_recovery_progress progress;
	void *progress_ctx;
} jr_recovery_opts;

typedef struct {
	char out_path[4096];       /* the recovered database */
	char base[16];             /* log base name ("SRU") */
	bool was_clean;            /* nothing to replay */
	uint32_t gen_first, gen_last;   /* generations replayed (0: none) */
	ese_lgpos lgpos_start;     /* where the replay started */
	ese_lgpos lgpos_end;       /* end of the last record replayed */
	uint64_t dbtime;           /* the recovered header's dbtime */
	uint32_t state_before;     /* JET_dbstate of the input */
	jr_redo_stats redo;        /* records applied / skipped per type... */
	uint64_t cache_reads, cache_writes;
	uint32_t cache_frames;
	double seconds;            /* wall time */
} jr_recovery_summary;

void jr_recovery_opts_init(jr_recovery_opts *o);

/* Recover one database (see above). *sum is filled as far as the run got. */
JET_ERR jr_recover_database(const jr_recovery_opts *o,
			    jr_recovery_summary *sum, jr_errinfo *ei);

/* The default output directory for a database: "<its directory>.recovered"
 * next to the directory that holds it (so evidence directories are never
 * written into). Returns a g_malloc'd string. */
char *jr_recovery_default_out(const char *db_path);

#endif /* JR_RECOVER_RECOVERY_H */
