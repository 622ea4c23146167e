/*
 * redo_int.h - what the parts of the redo engine share (redo.c, the
 * multi-page operations in redo_split.c / redo_merge.c / redo_space.c,
 * and undo.c). Not a public interface.
 *
 * Page handles. ESE latches a page and decides, from its dbtime, whether
 * the record must be redone there (CSR with an RIW latch upgraded to a
 * write latch). A jr_pg is that: a page pinned in the cache (or a scratch
 * copy when a split/merge works on a logged pre-image that must not reach
 * the file), and whether this record changes it.
 */
#ifndef JR_RECOVER_REDO_INT_H
#define JR_RECOVER_REDO_INT_H

#include <glib.h>

#include "ese/lrtyp.h"
#include "ese/page.h"
#include "recover/lrdecode.h"
#include "recover/redo.h"
#include "recover/trx.h"

typedef struct {
	uint32_t pgno;
	uint8_t *page;        /* page bytes; NULL when skipped */
	bool pinned;          /* held in the cache (release it) */
	bool scratch;         /* page points to a private copy: never written */
	bool redo;            /* this record changes the page */
	bool skipped;         /* page noted in a redo map (blank/behind) */
	bool dirty;
} jr_pg;

struct jr_redo {
	jr_redo_opts o;
	ese_page_layout lay;
	jr_trx_table *trx;
	uint8_t dbid;               /* 0: not attached */
	bool future;                /* within the required range now */
	uint32_t gen;               /* generation being replayed */
	GHashTable *map_zeroed;     /* pgno: blank/missing page skipped */
	GHashTable *map_behind;     /* pgno: page older than dbtimeBefore */
	ese_lgpos at;               /* lgpos of the current record */
	uint64_t undo_dbtime;       /* dbtimes handed out by undo */
	jr_redo_stats st;
	uint8_t *scratch[4];        /* page-sized work buffers */
};

/* Error helpers that append the record position. */
#define JR_LGPOS_FMT "(0x%X,%X,%X)"
#define JR_LGPOS_ARGS(p) (unsigned)(p).gen, (unsigned)(p).isec, (unsigned)(p).ib

/* Page access (ErrLGIAccessPage): pin pgno. A blank page (never written,
 * or past the end of the file) is skipped and noted while in the
 * required range, else -1019 PageNotInitialized. With uninit_ok the blank
 * page is returned (new-page accesses). */
JET_ERR jr_rd_access(jr_redo *rd, uint32_t pgno, bool uninit_ok, jr_pg *pg,
		     jr_errinfo *ei);

/* ESE's FLGNeedRedoCheckDbtimeBefore on an accessed page: sets pg->redo.
 * A skipped page never needs redo. */
JET_ERR jr_rd_check(jr_redo *rd, jr_pg *pg, uint64_t before, uint64_t after,
		    jr_errinfo *ei);

/* Access + check in one call. */
JET_ERR jr_rd_access_check(jr_redo *rd, uint32_t pgno, uint64_t before,
			   uint64_t after, jr_pg *pg, jr_errinfo *ei);

/* ErrLGRIAccessNewPage: pg->redo says whether pgno must be created anew
 * with dbtime `after` (then pg->page is pinned and may hold anything:
 * initialise it). */
JET_ERR jr_rd_access_new(jr_redo *rd, uint32_t pgno, uint64_t after,
			 jr_pg *pg, jr_errinfo *ei);

/* Replace the page of pg by a private copy of img (page_size bytes) whose
 * dbtime is set back to dbtime_before (keeping the current page's FDP
 * delete flag): the result of redo on it is never written. */
void jr_rd_use_preimage(jr_redo *rd, jr_pg *pg, uint8_t *copy,
			uint64_t dbtime_before);

/* Finish with a page: dirty pages get dbtime `dbtime` (when not 0) and
 * are marked dirty in the cache; the pin is dropped. */
void jr_rd_release(jr_redo *rd, jr_pg *pg, uint64_t dbtime);

/* Note the running dbtime and objid (ErrLGRICheckRedoCondition). */
void jr_rd_counters(jr_redo *rd, uint64_t dbtime, uint32_t objid);

/* Whether a page record of this dbid at the current position is for
 * the attached database. */
bool jr_rd_for_us(const jr_redo *rd, uint8_t dbid);

/* Count a record as applied or skipped. */
void jr_rd_count(jr_redo *rd, uint8_t lrtyp, bool applied);

/* Fail with err, the detail followed by the record position. */
JET_ERR jr_rd_fail(jr_redo *rd, jr_errinfo *ei, JET_ERR err, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));

/* A new page image in the frame of pg (CPAGE pre-init + consume). */
void jr_rd_preinit(jr_redo *rd, jr_pg *pg, uint32_t objid, uint64_t dbtime);

/* Multi-page operations (macro contents). recs[0..n) are the stored
 * records of one macro in log order. */
JET_ERR jr_redo_split(jr_redo *rd, const jr_macro_rec *recs, size_t n,
		      jr_errinfo *ei);
JET_ERR jr_redo_merge(jr_redo *rd, const jr_macro_rec *recs, size_t n,
		      jr_errinfo *ei);
/* RootPageMove macro (redo_misc.c): the RootPageMove record, the
 * PageMove records of the root and its space tree roots, SetExternalHeader
 * of each child tree, Replace of the catalog rows. */
JET_ERR jr_redo_root_move(jr_redo *rd, const jr_macro_rec *recs, size_t n,
			  jr_errinfo *ei);

/* NDEmptyPage (redo_merge.c): no prefix, no node, the empty flag. */
JET_ERR jr_rd_empty_page(jr_redo *rd, jr_pg *pg, jr_errinfo *ei);

/* Space operations (redo_space.c). */
JET_ERR jr_redo_create_fdp(jr_redo *rd, const lr_record *r, jr_errinfo *ei);
JET_ERR jr_redo_convert_fdp(jr_redo *rd, const lr_record *r, jr_errinfo *ei);
JET_ERR jr_redo_empty_tree(jr_redo *rd, const lr_record *r, jr_pg *root,
			   jr_errinfo *ei);

/* Scrub, PageMove, ShrinkDB, TrimDB (redo_misc.c): the record is for this
 * database and its session (when it has one) is followed. */
JET_ERR jr_redo_scrub(jr_redo *rd, const lr_record *r, jr_errinfo *ei);
JET_ERR jr_redo_page_move(jr_redo *rd, const lr_record *r, jr_errinfo *ei);
JET_ERR jr_redo_shrink(jr_redo *rd, const lr_record *r, jr_errinfo *ei);
JET_ERR jr_redo_trim(jr_redo *rd, const lr_record *r, jr_errinfo *ei);

/* Roll back one RCE at the end of the logs (undo.c). */
JET_ERR jr_undo_rce(const jr_rce *rce, uint16_t procid, void *ctx,
		    jr_errinfo *ei);

/* Physical undo of rce on node iline of pg (Undo records and undo.c). */
JET_ERR jr_undo_physical(jr_redo *rd, const jr_rce *rce, jr_pg *pg,
			 unsigned iline, jr_errinfo *ei);

#endif /* JR_RECOVER_REDO_INT_H */
