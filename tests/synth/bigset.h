/*
 * bigset.h - a dirty database with logs whose records really apply, at any
 * scale, for the recovery benchmark and scale tests.
 *
 * From a real set (srum-win11-dirty: SRUDB.dat, SRU.chk, SRU.log) it
 * writes into an empty directory:
 *
 *   SRUDB.dat   Windows' database, its file extended with blank pages to
 *               db_mib (or to what the logs need, when more), its header
 *               made DirtyShutdown with genMinRequired = genMaxRequired =
 *               the first synthetic generation (Windows' own logs are all
 *               on disk already in that set);
 *   SRU.chk     Windows' checkpoint, pointing at (gen, 1, 0);
 *   SRUxxxxx.log, SRU.log   a log chain of log_mib MiB (our writer, the
 *               real SRU.log header as template: signature, attach list,
 *               DBMS parameters) starting at gen = the database's
 *               genMaxRequired + 1.
 *
 * The records build new tables on the blank pages, the way ESE logs a
 * small table's life. `sessions` sessions work at once, their records
 * interleaved one by one; each session, per page:
 *   Begin0; CreateSingleExtentFDP (a new root+leaf page, new objid, one
 *   page primary extent); Insert of ascending 8-byte keys with payloads
 *   taken in turn from Windows' own Insert records (versioned, as ESE
 *   logs them) until the page holds about 3.4 KiB of nodes; Replace of the
 *   second node with another payload of the same size; FlagDelete of the
 *   first node; Commit0 (a commit flush);
 *   then Begin0; Delete of that node (version cleanup); Commit0.
 * dbtimes come from one running counter above every dbtime of the real
 * database; every record needs redo, so a recovery applies all of them.
 * The result passes `jetrestore check`.
 */
#ifndef JR_SYNTH_BIGSET_H
#define JR_SYNTH_BIGSET_H

#include <stddef.h>
#include <stdint.h>

#include "util/errinfo.h"

typedef struct {
	const char *src_db;         /* Windows' SRUDB.dat (dirty set) */
	const char *src_chk;        /* its SRU.chk */
	const char *src_log;        /* a log of the set: header template */
	const char *out_dir;        /* existing, empty directory */
	const char *db_name;        /* "SRUDB.dat" */
	const char *base;           /* "SRU" */
	uint64_t log_mib;           /* log bytes to write */
	uint64_t db_mib;            /* minimum database file size */
	uint32_t file_kib;          /* log file size (default 1024) */
	unsigned sessions;          /* pages filled at once (default 16) */
	const uint8_t *const *payloads; /* node data to cycle through */
	const uint16_t *payload_len;
	size_t n_payloads;          /* >= 1; each 1..400 bytes */
} jr_bigset_params;

typedef struct {
	uint32_t gen_first, gen_last;
	uint64_t records;           /* page records written (all need redo) */
	uint64_t records_total;     /* with transaction records */
	uint64_t pages_created;
	uint64_t db_bytes, log_bytes;
	uint32_t pgno_first, pgno_last;  /* the pages the logs create */
} jr_bigset_stats;

/* Write the set. -1003 for bad parameters, -1811 / I/O errors from the
 * inputs and outputs, the writer's errors. */
JET_ERR jr_bigset_write(const jr_bigset_params *p, jr_bigset_stats *st,
			jr_errinfo *ei);

#endif /* JR_SYNTH_BIGSET_H */
