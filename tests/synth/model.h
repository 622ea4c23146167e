/*
 * model.h - log records as ESE writes them, for synthetic workloads whose
 * result is compared with a model (tests/test_model.c).
 *
 * Each builder formats one record (layouts: src/recover/lrdecode.h) and
 * appends it with ese_logwriter_append(). They return the writer's
 * JET_ERR; ei receives its detail.
 *
 * model_export_table() reads a table of a database with libesedb's
 * esedbexport, the independent reader the recovered databases are judged
 * by.
 */
#ifndef JR_TESTS_SYNTH_MODEL_H
#define JR_TESTS_SYNTH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "ese/logwriter.h"
#include "util/errinfo.h"

#define MODEL_DBTIME_NIL UINT64_MAX

/* The LRNODE_ head shared by node records. */
typedef struct {
	uint16_t procid;
	uint32_t trx;             /* trxBegin0 of the session */
	uint8_t level;
	uint32_t pgno;
	uint64_t before, after;   /* page dbtimes (before: NIL in a split) */
	uint16_t iline;
	uint8_t flags;            /* LR_PAGE_VERSIONED 0x01, UNIQUE 0x04 */
	uint32_t rceid;
	uint32_t pgno_fdp, objid;
} model_node;

/* Begin0 (level 0 -> 1), Commit0 (-> 0), Rollback of `levels`. */
JET_ERR model_begin0(ese_logwriter *w, uint16_t procid, uint32_t trx,
		     jr_errinfo *ei);
JET_ERR model_commit0(ese_logwriter *w, uint16_t procid, uint32_t trx_commit,
		      jr_errinfo *ei);
JET_ERR model_rollback(ese_logwriter *w, uint16_t procid, uint8_t levels,
		       jr_errinfo *ei);
/* MacroBegin (11), MacroCommit (12), MacroAbort (13). */
JET_ERR model_macro(ese_logwriter *w, uint8_t lrtyp, uint16_t procid,
		    uint64_t dbtime, jr_errinfo *ei);

/* Insert: key = prefix (cb_prefix bytes, the page's prefix) + suffix. */
JET_ERR model_insert(ese_logwriter *w, const model_node *n,
		     const uint8_t *key, uint16_t cb_key, uint16_t cb_prefix,
		     const uint8_t *data, uint16_t cb_data, jr_errinfo *ei);
/* Replace with the whole new data. */
JET_ERR model_replace(ese_logwriter *w, const model_node *n, uint16_t cb_old,
		      const uint8_t *data, uint16_t cb_data, jr_errinfo *ei);
/* FlagDelete (32) or Delete (35). */
JET_ERR model_delete(ese_logwriter *w, uint8_t lrtyp, const model_node *n,
		     jr_errinfo *ei);
/* Undo of the version n->rceid (oper 1 insert, 2 replace, 3 flag delete,
 * 4 delta) with the node's bookmark. */
JET_ERR model_undo(ese_logwriter *w, const model_node *n, uint16_t oper,
		   const uint8_t *bm_key, uint16_t cb_bm_key, jr_errinfo *ei);
/* Delta (37, 4 bytes) or Delta64 (93, 8 bytes) at cb_offset of the node's
 * data. */
JET_ERR model_delta(ese_logwriter *w, const model_node *n, bool is64,
		    int64_t delta, uint16_t cb_offset, const uint8_t *bm_key,
		    uint16_t cb_bm_key, jr_errinfo *ei);

/* One Split2 level. */
typedef struct {
	uint16_t procid;
	uint32_t trx;
	uint8_t level;
	uint32_t pgno;
	uint64_t before, after;
	uint32_t pgno_new, pgno_right;
	uint64_t right_before;      /* MODEL_DBTIME_NIL without a right page */
	uint32_t pgno_parent;
	uint64_t parent_before;
	uint32_t pgno_fdp, objid;
	uint8_t splittype;          /* 0 vertical, 1 right, 2 append */
	uint8_t splitoper;          /* 0 none, 1 insert, 2 replace, 3 fir */
	uint16_t iline_oper, iline_split, clines;
	uint32_t new_page_flags, split_page_flags;
	int32_t iline_prefix_split, iline_prefix_new;   /* -1: none */
	const uint8_t *key_parent;
	uint16_t cb_key_parent;
	const uint8_t *prefix_old, *prefix_new;
	uint16_t cb_prefix_old, cb_prefix_new;
	const uint8_t *preimage;    /* a whole page, or NULL */
	uint32_t cb_preimage;
} model_split;

JET_ERR model_split2(ese_logwriter *w, const model_split *s, jr_errinfo *ei);

/* A PageMove (65) of pgno to dest; image: the source page, logged as its
 * header and tag array (compacted). */
typedef struct {
	uint16_t procid;
	uint32_t trx;
	uint32_t pgno, dest, left, right, parent;
	uint64_t before, after, left_before, right_before, parent_before;
	uint32_t pgno_fdp, objid;
	int32_t iline_parent;
	uint32_t move_flags;        /* 1 root, 2 OE root, 4 AE root */
} model_page_move;

JET_ERR model_page_move_rec(ese_logwriter *w, const model_page_move *m,
			    const uint8_t *image, size_t page_size,
			    jr_errinfo *ei);
/* RootPageMove (96): opens a root move in the macro of dbtime. */
JET_ERR model_root_page_move(ese_logwriter *w, uint16_t procid,
			     uint64_t dbtime, uint32_t objid, jr_errinfo *ei);
/* SetExternalHeader (38) of n->pgno. */
JET_ERR model_set_ext_header(ese_logwriter *w, const model_node *n,
			     const uint8_t *data, uint16_t cb, jr_errinfo *ei);

/*
 * Export `table` of db with esedbexport into a directory under tmpdir and
 * return its rows: key = the row's IdIndex-like first integer column text
 * (column `key_col`, 0-based), value = the whole tab-separated line; both
 * g_malloc'ed, owned by the table (g_hash_table_unref). *header gets the
 * column line (g_free). Returns NULL with *why (g_free) when esedbexport
 * is missing (*missing set) or fails.
 */
GHashTable *model_export_table(const char *db, const char *table,
			       const char *tmpdir, unsigned key_col,
			       char **header, bool *missing, char **why);

/* Lower-case hex of buf (g_free). */
char *model_hex(const uint8_t *buf, size_t len);

/* The LRPAGE_ header every page record starts with (29 bytes): type,
 * procid, dbid 1, pgno, dbtime after and before, trxBegin0, level. The
 * rest of r is the caller's. */
void model_page_head(uint8_t *r, uint8_t lrtyp, uint16_t procid,
		     uint32_t pgno, uint64_t after, uint64_t before,
		     uint32_t trx, uint8_t level);

#endif /* JR_TESTS_SYNTH_MODEL_H */
