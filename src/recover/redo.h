/*
 * redo.h - apply ESE log records to one database, the way esent.dll's
 * recovery redo does (logredo.cxx), through a bounded page cache.
 *
 * Usage:
 *   jr_redo_opts o; jr_redo_opts_init(&o);
 *   o.pc = cache over the output copy; o.page_size = 4096;
 *   o.sign_db = the database's signature; o.gen_max_required = ...;
 *   jr_redo *rd; jr_redo_new(&o, &rd, ei);
 *   for each record r of the logs:  jr_redo_record(rd, &r, ei);
 *   jr_redo_finish(rd, ei);              // undo what never committed
 *   jr_redo_stats_get(rd)->...           // applied/skipped per type
 *   jr_redo_free(rd);
 *
 * What redo does with a record, in ESE's words (see lrdecode.h for each
 * type):
 *   - Attachment: the database is identified in the log by a dbid, given
 *     by AttachDB (or CreateDB) records whose database signature is the
 *     database's; records of other dbids are ignored, so are records
 *     before the database's lgposAttach. A DetachDB ends the attachment.
 *   - Sessions and transactions (trx.h): page records of a session that
 *     is not "after its first begin" are not applied, only counted.
 *     Split, merge and root-move records are collected between MacroBegin
 *     and MacroCommit and applied at MacroCommit.
 *   - dbtime: a page record is applied only when the page's dbtime is
 *     below the record's dbtimeAfter, and then the page's dbtime must be
 *     the record's dbtimeBefore (else -566 DbTimeTooOld / -567
 *     DbTimeTooNew); the page gets dbtimeAfter.
 *   - "Data from future logs": while the replay is within the database's
 *     required range (generation <= genMaxRequired), pages may already
 *     hold later changes; a page that is blank or older than expected is
 *     then noted (ESE's redo maps) and skipped. Past the required range
 *     every page record must apply; one that finds its change already on
 *     the page is -625 DbTimeBeyondMaxRequired. replay_all makes the whole
 *     replay count as the required range (used to replay logs over a
 *     database that already holds all of them, e.g. a clean one).
 *   - A record type that changes pages and that this engine does not
 *     implement stops the replay with -500 InvalidLoggedOperation naming
 *     the type and the lgpos; nothing is skipped silently.
 *
 * Every error's detail carries the lgpos of the record being applied.
 *
 * Memory: a few page-sized scratch buffers, the transaction table, and
 * the redo maps (page numbers noted while in the required range); none of
 * it grows with the size of the logs. The cache is the caller's.
 */
#ifndef JR_RECOVER_REDO_H
#define JR_RECOVER_REDO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "recover/pagecache.h"
#include "util/errinfo.h"

typedef struct {
	jr_pagecache *pc;           /* pages of the database being redone */
	int fd;                     /* its file (for ExtendDB), -1: none */
	uint32_t page_size;
	ese_signature sign_db;      /* identifies the database in AttachDB */
	uint8_t dbid;               /* dbid it is attached with when the
				       replay starts (0: not attached until
				       an AttachDB names it) */
	ese_lgpos lgpos_attach;     /* records at or before this are skipped */
	uint32_t gen_max_required;  /* end of the required range */
	ese_lgpos lgpos_last_resize; /* the header's: resizes before it are
				       already in the file */
	bool replay_all;            /* the whole replay is "required range" */
	uint64_t dbtime_start;      /* the header's dbtime (counters start) */
	uint32_t objid_start;       /* the header's objidLast */
} jr_redo_opts;

typedef struct {
	uint64_t records;            /* records seen */
	uint64_t applied[256];       /* per lrtyp: changed at least one page */
	uint64_t skipped[256];       /* per lrtyp: page(s) already up to date,
					or not for this database / session */
	uint64_t pages_redone;       /* page changes made (a page changed by
					n records counts n times) */
	uint64_t pages_created;      /* new pages initialised */
	uint64_t macros;             /* macros applied */
	uint64_t preimages_used;     /* split/merge/move done on a logged
					page image (the page itself was
					already newer) */
	uint64_t undo_records;       /* Undo records applied */
	uint64_t rce_undone;         /* operations rolled back at the end */
	unsigned trx_undone;         /* transactions rolled back at the end */
	uint64_t dbtime_max;         /* highest dbtime seen for the database */
	uint32_t objid_max;          /* highest objid seen */
	uint64_t redo_map_pages;     /* pages noted as blank / behind */
	ese_lgpos last_lgpos;        /* last record seen */
	ese_lgpos last_lgpos_end;    /* where it ended */
	bool detached;               /* a DetachDB ended the attachment */
	bool saw_term;               /* last control record was a Term */
	uint32_t pgno_last_shrunk;   /* a shrink cut the file after this
					page (0: none): truncate at the end */
	/* Database version from SetDbVersion (0: none seen). */
	uint32_t db_version, db_update_major, db_update_minor;
} jr_redo_stats;

typedef struct jr_redo jr_redo;

/* One record as the log reader delivers it. */
typedef struct {
	const uint8_t *data;
	uint32_t size;
	ese_lgpos lgpos;
	ese_lgpos lgpos_end;
} jr_redo_rec;

void jr_redo_opts_init(jr_redo_opts *o);

/* -1003 for a bad page size or no cache, -1011 on allocation failure. */
JET_ERR jr_redo_new(const jr_redo_opts *o, jr_redo **out, jr_errinfo *ei);

/* Apply one record. */
JET_ERR jr_redo_record(jr_redo *rd, const jr_redo_rec *rec, jr_errinfo *ei);

/* The logs are over: roll back every transaction still open (undo.c),
 * drop open macros, verify the redo maps are empty. */
JET_ERR jr_redo_finish(jr_redo *rd, jr_errinfo *ei);

const jr_redo_stats *jr_redo_stats_get(const jr_redo *rd);

/* The page cache write hook for a database being redone: what ESE does to
 * every page it writes (ECC checksum format flag, checksums), except that
 * an all-zero page (trimmed or cut by a shrink) stays all zero. */
void jr_redo_write_hook(uint8_t *page, size_t page_size, uint32_t pgno,
			void *ctx);

/* After the cache is flushed: cut the file where a shrink in the logs left
 * it (stats.pgno_last_shrunk), if one did. -1022 DiskIO on failure. */
JET_ERR jr_redo_apply_shrink(const jr_redo_stats *st, int fd,
			     uint32_t page_size, jr_errinfo *ei);

/* The dbid the database is attached with now (0: not attached). */
uint8_t jr_redo_dbid(const jr_redo *rd);

void jr_redo_free(jr_redo *rd);

#endif /* JR_RECOVER_REDO_H */
