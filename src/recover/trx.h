/*
 * trx.h - the transaction table of a replay: which sessions (procids) have a
 * transaction open, at which level, which macros (multi-record page
 * operations such as splits) are being collected, and the version records
 * (RCEs) that say how to roll back what an open transaction changed.
 *
 * The rules are ESE's recovery rules (logredo.cxx):
 *   - A session is "after its first begin" once the replay has seen a
 *     Begin0 (a begin from level 0) for it. Records of a session that is
 *     not after its first begin belong to a transaction that started before
 *     the replay window: ESE does not redo them (their changes are on disk:
 *     the checkpoint never moves past the start of an open transaction) and
 *     neither do we; the caller asks jr_trx_after_first_begin().
 *   - Begin(levelBeginFrom, clevelsToBegin) raises the level to
 *     levelBeginFrom + clevelsToBegin; Commit(levelCommitTo) lowers it, and
 *     a commit to level 0 forgets every RCE of the session; Rollback(n)
 *     pops n levels. A rollback at redo time discards the RCEs of the popped
 *     levels without touching pages, because the engine logged one Undo
 *     record per undone operation before the Rollback record and those
 *     records have been replayed already.
 *   - MacroBegin(dbtime) opens a macro; page records carrying that dbtime
 *     are stored, not applied, until MacroCommit (apply them all, in order)
 *     or MacroAbort (drop them).
 *   - RCEs: each versioned operation replayed inside an open transaction
 *     leaves an RCE holding what its undo needs (bookmark, before-image,
 *     delta). An Undo record consumes the RCE with its rceid. When the logs
 *     end, the RCEs still held are rolled back by undo.c, newest first.
 *
 * Memory: the table owns sessions, macro record copies and RCEs. Nothing
 * is bounded by the number of log records, only by what is open at once
 * (sessions, one macro's records, one open transaction's RCEs).
 * Not thread-safe.
 */
#ifndef JR_RECOVER_TRX_H
#define JR_RECOVER_TRX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "util/errinfo.h"

/* Version operations (ESE's OPER values as logged in Undo/UndoInfo). */
typedef enum {
	JR_OPER_INSERT = 1,      /* operInsert */
	JR_OPER_REPLACE = 2,     /* operReplace */
	JR_OPER_FLAG_DELETE = 3, /* operFlagDelete */
	JR_OPER_DELTA = 4,       /* operDelta (32-bit) */
	JR_OPER_DELTA64 = 9,     /* operDelta64 */
} jr_oper;

/* One version record: what rolling back one operation needs. */
typedef struct jr_rce {
	struct jr_rce *older;     /* previous RCE of the same session */
	uint32_t rceid;
	jr_oper oper;
	uint8_t level;            /* transaction level that made the change */
	uint8_t dbid;
	uint32_t pgno_fdp;        /* the tree */
	uint32_t objid_fdp;
	bool unique;              /* unique tree: bookmark = key only */
	bool space;               /* a space tree */
	uint32_t pgno_hint;       /* page the change was made on (a hint: a
				     later split may have moved the node) */
	/* Bookmark of the node: key, and data for non-unique trees. */
	uint8_t *bm_key;
	uint16_t cb_bm_key;
	uint8_t *bm_data;
	uint16_t cb_bm_data;
	/* Replace: the data before the change (NULL while only known from a
	 * later UndoInfo record, see `deferred`). */
	uint8_t *before;
	uint16_t cb_before;
	bool deferred;            /* replace/flag-delete whose page was not
				     redone: its before-image comes (if the
				     page was flushed uncommitted) from an
				     UndoInfo record */
	/* Delta: the amount added at cb_offset (undo subtracts it). */
	int64_t delta;
	uint16_t cb_offset;
} jr_rce;

typedef struct jr_trx_table jr_trx_table;

/* Visit callback for RCEs to roll back, newest first. */
typedef JET_ERR (*jr_rce_visit)(const jr_rce *rce, uint16_t procid,
				void *ctx, jr_errinfo *ei);

/* A new, empty table (-1011 OutOfMemory). Free with jr_trx_table_free. */
JET_ERR jr_trx_table_new(jr_trx_table **out, jr_errinfo *ei);
void jr_trx_table_free(jr_trx_table *tt);

/* ---- transactions ---- */

/* Begin / Begin0 record of procid. */
void jr_trx_begin(jr_trx_table *tt, uint16_t procid, unsigned level_from,
		  unsigned clevels, uint32_t trx_begin0, const ese_lgpos *at);

/* Commit / Commit0 down to level_to. */
void jr_trx_commit(jr_trx_table *tt, uint16_t procid, unsigned level_to);

/* Rollback record: pop clevels levels (their RCEs are dropped). */
void jr_trx_rollback(jr_trx_table *tt, uint16_t procid, unsigned clevels);

/* Refresh record: ESE imitates a begin to level 1 when already begun. */
void jr_trx_refresh(jr_trx_table *tt, uint16_t procid, uint32_t trx_begin0);

bool jr_trx_after_first_begin(const jr_trx_table *tt, uint16_t procid);
unsigned jr_trx_level(const jr_trx_table *tt, uint16_t procid);

/* Number of sessions with a transaction open (level > 0, after the first
 * begin), and the start of the oldest one (zero lgpos when none). */
unsigned jr_trx_open_count(const jr_trx_table *tt);
ese_lgpos jr_trx_oldest_open(const jr_trx_table *tt);

/* ---- macros ---- */

/* MacroBegin of procid at dbtime (several macros may be open at once,
 * each named by its dbtime). */
JET_ERR jr_trx_macro_begin(jr_trx_table *tt, uint16_t procid,
			   uint64_t dbtime, jr_errinfo *ei);
bool jr_trx_macro_going(const jr_trx_table *tt, uint16_t procid,
			uint64_t dbtime);
/* Keep a copy of record rec[0..len) read at *at for the macro. */
JET_ERR jr_trx_macro_store(jr_trx_table *tt, uint16_t procid,
			   uint64_t dbtime, const uint8_t *rec, size_t len,
			   const ese_lgpos *at, jr_errinfo *ei);

/* The stored records of a macro, in log order. */
typedef struct {
	const uint8_t *rec;
	size_t len;
	ese_lgpos at;
} jr_macro_rec;

/* Records of the macro (procid, dbtime); *n receives their number. The
 * array stays valid until jr_trx_macro_end(). NULL when none. */
const jr_macro_rec *jr_trx_macro_records(const jr_trx_table *tt,
					 uint16_t procid, uint64_t dbtime,
					 size_t *n);
/* Forget the macro and its records (MacroCommit after applying them, or
 * MacroAbort). */
void jr_trx_macro_end(jr_trx_table *tt, uint16_t procid, uint64_t dbtime);
/* Number of macros still open in all sessions. */
unsigned jr_trx_macro_open_count(const jr_trx_table *tt);

/* ---- version records ---- */

/* Add a copy of *tmpl (its byte arrays copied) as the newest RCE of
 * procid. -1011 on allocation failure. */
JET_ERR jr_trx_rce_add(jr_trx_table *tt, uint16_t procid,
		       const jr_rce *tmpl, jr_errinfo *ei);

/* The RCE of procid with this rceid, or NULL. */
jr_rce *jr_trx_rce_find(jr_trx_table *tt, uint16_t procid, uint32_t rceid);

/* Remove (and free) the RCE of procid with this rceid; false if absent. */
bool jr_trx_rce_remove(jr_trx_table *tt, uint16_t procid, uint32_t rceid);

/* Give a deferred RCE its before-image (UndoInfo): copies the bytes. */
JET_ERR jr_trx_rce_set_before(jr_rce *rce, const uint8_t *data,
			      uint16_t cb, jr_errinfo *ei);

/* Number of RCEs held by all sessions. */
size_t jr_trx_rce_count(const jr_trx_table *tt);

/*
 * End of the logs (or an engine restart in them): for every session with
 * an open transaction, call visit on each RCE, newest first, then close
 * the transaction. *sessions receives how many transactions were open.
 * The first error from visit stops and is returned.
 */
JET_ERR jr_trx_rollback_all(jr_trx_table *tt, jr_rce_visit visit, void *ctx,
			    unsigned *sessions, jr_errinfo *ei);

/* Forget every session (after an engine restart record). Open macros
 * are dropped. */
void jr_trx_reset(jr_trx_table *tt);

#endif /* JR_RECOVER_TRX_H */
