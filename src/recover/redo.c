/*
 * redo.c - the redo engine: record dispatch, the dbtime guard, sessions
 * and macros, and the single-page node operations (see redo.h).
 *
 * The structure follows ESE's LOG::ErrLGRIRedoOperations /
 * ErrLGRIRedoOperation / ErrLGRIRedoNodeOperation; the multi-page
 * operations live in redo_split.c, redo_merge.c and redo_space.c.
 */
#include "recover/redo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ese/checksum.h"
#include "ese/lrtyp.h"
#include "ese/node.h"
#include "ese/pagemut.h"
#include "recover/nodeop.h"
#include "recover/redo_int.h"
#include "util/bytes.h"
#include "util/io.h"

void jr_redo_opts_init(jr_redo_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->page_size = 4096;
}

JET_ERR jr_rd_fail(jr_redo *rd, jr_errinfo *ei, JET_ERR err, const char *fmt,
		   ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return jr_fail(ei, err, "%s at lgpos " JR_LGPOS_FMT, msg,
		       JR_LGPOS_ARGS(rd->at));
}

JET_ERR jr_redo_new(const jr_redo_opts *o, jr_redo **out, jr_errinfo *ei)
{
	jr_redo *rd;
	JET_ERR err;

	*out = NULL;
	if (!o->pc)
		return jr_fail(ei, JET_errInvalidParameter, "redo without a cache");
	rd = calloc(1, sizeof(*rd));
	if (!rd)
		return jr_fail(ei, JET_errOutOfMemory, "redo context");
	rd->o = *o;
	err = ese_page_layout_init(&rd->lay, o->page_size, ei);
	if (err < 0)
		goto free_rd;
	err = jr_trx_table_new(&rd->trx, ei);
	if (err < 0)
		goto free_rd;
	for (size_t i = 0; i < G_N_ELEMENTS(rd->scratch); i++)
		rd->scratch[i] = g_malloc0(o->page_size);
	rd->map_zeroed = g_hash_table_new(g_direct_hash, g_direct_equal);
	rd->map_behind = g_hash_table_new(g_direct_hash, g_direct_equal);
	rd->dbid = o->dbid;
	rd->future = true;
	rd->st.dbtime_max = o->dbtime_start;
	rd->st.objid_max = o->objid_start;
	*out = rd;
	return JET_errSuccess;

free_rd:
	jr_redo_free(rd);
	return err;
}

void jr_redo_free(jr_redo *rd)
{
	if (!rd)
		return;
	jr_trx_table_free(rd->trx);
	for (size_t i = 0; i < G_N_ELEMENTS(rd->scratch); i++)
		g_free(rd->scratch[i]);
	if (rd->map_zeroed)
		g_hash_table_destroy(rd->map_zeroed);
	if (rd->map_behind)
		g_hash_table_destroy(rd->map_behind);
	free(rd);
}

const jr_redo_stats *jr_redo_stats_get(const jr_redo *rd)
{
	return &rd->st;
}

uint8_t jr_redo_dbid(const jr_redo *rd)
{
	return rd->dbid;
}

/* ---- shared helpers (redo_int.h) ---- */

void jr_rd_count(jr_redo *rd, uint8_t lrtyp, bool applied)
{
	if (applied)
		rd->st.applied[lrtyp]++;
	else
		rd->st.skipped[lrtyp]++;
}

void jr_rd_counters(jr_redo *rd, uint64_t dbtime, uint32_t objid)
{
	if (dbtime != LR_DBTIME_NIL && dbtime != LR_DBTIME_INVALID &&
	    dbtime > rd->st.dbtime_max)
		rd->st.dbtime_max = dbtime;
	if (objid > rd->st.objid_max)
		rd->st.objid_max = objid;
}

bool jr_rd_for_us(const jr_redo *rd, uint8_t dbid)
{
	return rd->dbid != 0 && dbid == rd->dbid;
}

static bool jr_page_blank(const jr_redo *rd, const uint8_t *page)
{
	return ese_page_is_blank(&rd->lay, page);
}

static uint64_t jr_page_dbtime(const uint8_t *page)
{
	return jr_le64(page + ESE_PGHDR_DBTIME);
}

/* dbtimeShrunk and dbtimeRevert: a page cut by a shrink or reverted to a
 * new page; it holds no data (ESE: FShrunkPage, FRevertedNewPage). */
static bool jr_dbtime_special(uint64_t t)
{
	return t == UINT64_C(0xfffffffffffffffd) ||
	       t == UINT64_C(0xfffffffffffffffc);
}

JET_ERR jr_rd_access(jr_redo *rd, uint32_t pgno, bool uninit_ok, jr_pg *pg,
		     jr_errinfo *ei)
{
	gpointer key = GUINT_TO_POINTER(pgno);
	JET_ERR err;

	memset(pg, 0, sizeof(*pg));
	pg->pgno = pgno;
	if (pgno == 0)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "record names page 0");
	if (!uninit_ok && (g_hash_table_contains(rd->map_zeroed, key) ||
			   g_hash_table_contains(rd->map_behind, key))) {
		pg->skipped = true;
		return JET_errSuccess;
	}
	err = jr_pagecache_get(rd->o.pc, pgno, &pg->page, ei);
	if (err < 0)
		return err;
	pg->pinned = true;
	if (uninit_ok || (!jr_page_blank(rd, pg->page) &&
			  !jr_dbtime_special(jr_page_dbtime(pg->page))))
		return JET_errSuccess;
	/* A blank page where the log expects a page. */
	jr_pagecache_release(rd->o.pc, pgno, false);
	pg->pinned = false;
	pg->page = NULL;
	if (!rd->future)
		return jr_rd_fail(rd, ei, JET_errPageNotInitialized,
				  "page %u is blank but the log changes it",
				  pgno);
	g_hash_table_add(rd->map_zeroed, key);
	rd->st.redo_map_pages++;
	pg->skipped = true;
	return JET_errSuccess;
}

JET_ERR jr_rd_check(jr_redo *rd, jr_pg *pg, uint64_t before, uint64_t after,
		    jr_errinfo *ei)
{
	uint64_t p;

	pg->redo = false;
	if (pg->skipped)
		return JET_errSuccess;
	p = jr_page_dbtime(pg->page);
	if (after > p) {
		if (p == before) {
			pg->redo = true;
			return JET_errSuccess;
		}
		if (p < before && rd->future) {
			/* A later record may free or rewrite the page; ESE
			 * notes it and checks at the end of the range. */
			g_hash_table_add(rd->map_behind,
					 GUINT_TO_POINTER(pg->pgno));
			rd->st.redo_map_pages++;
			return JET_errSuccess;
		}
		return jr_rd_fail(rd, ei,
				  p < before ? JET_errDbTimeTooOld
					     : JET_errDbTimeTooNew,
				  "page %u has dbtime 0x%llx, the record "
				  "expects 0x%llx (then 0x%llx)",
				  pg->pgno, (unsigned long long)p,
				  (unsigned long long)before,
				  (unsigned long long)after);
	}
	if (!rd->future)
		return jr_rd_fail(rd, ei,
				  p < before ? JET_errDbTimeTooOld
				  : p < after ? JET_errDbTimeTooNew
					      : JET_errDbTimeBeyondMaxRequired,
				  "page %u already has dbtime 0x%llx >= 0x%llx "
				  "past the required range",
				  pg->pgno, (unsigned long long)p,
				  (unsigned long long)after);
	return JET_errSuccess;
}

JET_ERR jr_rd_access_check(jr_redo *rd, uint32_t pgno, uint64_t before,
			   uint64_t after, jr_pg *pg, jr_errinfo *ei)
{
	JET_ERR err = jr_rd_access(rd, pgno, false, pg, ei);

	if (err < 0)
		return err;
	err = jr_rd_check(rd, pg, before, after, ei);
	if (err < 0)
		jr_rd_release(rd, pg, 0);
	return err;
}

JET_ERR jr_rd_access_new(jr_redo *rd, uint32_t pgno, uint64_t after,
			 jr_pg *pg, jr_errinfo *ei)
{
	JET_ERR err = jr_rd_access(rd, pgno, true, pg, ei);

	if (err < 0)
		return err;
	pg->redo = true;
	if (rd->future && !jr_page_blank(rd, pg->page) &&
	    !jr_dbtime_special(jr_page_dbtime(pg->page)) &&
	    jr_page_dbtime(pg->page) >= after)
		pg->redo = false;
	if (pg->redo) {
		/* The page starts a new life: forget what was noted. */
		g_hash_table_remove(rd->map_zeroed, GUINT_TO_POINTER(pgno));
		g_hash_table_remove(rd->map_behind, GUINT_TO_POINTER(pgno));
	}
	return JET_errSuccess;
}

void jr_rd_use_preimage(jr_redo *rd, jr_pg *pg, uint8_t *copy,
			uint64_t dbtime_before)
{
	uint32_t flags = jr_le32(copy + ESE_PGHDR_FLAGS);
	bool fdp_delete = pg->page &&
			  (jr_le32(pg->page + ESE_PGHDR_FLAGS) &
			   ESE_PGF_FDP_DELETE);

	if (pg->pinned)
		jr_pagecache_release(rd->o.pc, pg->pgno, false);
	rd->st.preimages_used++;
	pg->pinned = false;
	pg->page = copy;
	pg->scratch = true;
	pg->skipped = false;
	ese_page_set_dbtime(copy, dbtime_before);
	flags = fdp_delete ? (flags | ESE_PGF_FDP_DELETE)
			   : (flags & ~ESE_PGF_FDP_DELETE);
	ese_page_set_flags(copy, flags);
	pg->redo = true;
}

void jr_rd_release(jr_redo *rd, jr_pg *pg, uint64_t dbtime)
{
	if (pg->page && pg->redo && pg->dirty && dbtime)
		ese_page_dirty(pg->page, dbtime);
	if (pg->pinned) {
		jr_pagecache_release(rd->o.pc, pg->pgno,
				     pg->redo && pg->dirty && !pg->scratch);
		if (pg->redo && pg->dirty && !pg->scratch)
			rd->st.pages_redone++;
	}
	pg->pinned = false;
	pg->page = NULL;
}

void jr_rd_preinit(jr_redo *rd, jr_pg *pg, uint32_t objid, uint64_t dbtime)
{
	ese_page_preinit(&rd->lay, pg->page, pg->pgno, objid, dbtime);
	pg->dirty = true;
	rd->st.pages_created++;
}

/* ---- version records ---- */

static bool jr_lr_versioned(const lr_page_hdr *h)
{
	return (h->flags & LR_PAGE_VERSIONED) != 0;
}

/* An RCE template for a node record (bookmark and before-image filled in
 * by the caller). */
static void jr_rce_init(jr_rce *r, const lr_node_hdr *n, jr_oper oper,
			uint32_t rceid)
{
	memset(r, 0, sizeof(*r));
	r->rceid = rceid;
	r->oper = oper;
	r->level = n->page.level;
	r->dbid = n->page.dbid;
	r->pgno_fdp = n->pgno_fdp;
	r->objid_fdp = n->objid_fdp;
	r->unique = (n->page.flags & LR_PAGE_UNIQUE) != 0;
	r->space = (n->page.flags & LR_PAGE_SPACE) != 0;
	r->pgno_hint = n->page.pgno;
}

/* Bookmark of a node: its key, plus its data when the tree is not
 * unique (NDGetBookmarkFromKDF). */
static void jr_rce_bookmark(jr_rce *r, const uint8_t *key, uint16_t cb_key,
			    const uint8_t *data, uint16_t cb_data)
{
	r->bm_key = (uint8_t *)key;
	r->cb_bm_key = cb_key;
	if (!r->unique) {
		r->bm_data = (uint8_t *)data;
		r->cb_bm_data = cb_data;
	}
}

/* ---- node operations (ErrLGRIRedoNodeOperation) ---- */

/* Insert with the room check of ErrNDInsert in recovery. */
static JET_ERR jr_redo_insert(jr_redo *rd, const lr_insert *ins, jr_pg *pg,
			      jr_errinfo *ei)
{
	uint8_t key[ESE_NODE_KEYLEN_MASK + 1];
	uint16_t cbp = (uint16_t)ins->key_prefix.len;
	uint16_t cbs = (uint16_t)ins->key_suffix.len;
	uint16_t cbk = (uint16_t)(cbp + cbs);
	unsigned cb_req;
	uint8_t flags = jr_lr_versioned(&ins->n.page) ? JR_ND_VERSION : 0;
	JET_ERR err;

	if ((size_t)cbp + cbs > sizeof(key))
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "Insert key of %u bytes", cbp + cbs);
	if (cbp)
		memcpy(key, ins->key_prefix.p, cbp);
	if (cbs)
		memcpy(key + cbp, ins->key_suffix.p, cbs);
	cb_req = jr_nd_size(cbk, cbp, (uint16_t)ins->data.len);
	if (cb_req > jr_nd_page_free(pg->page) -
			     jr_nd_page_uncommitted(pg->page)) {
		err = jr_nd_make_room(pg->page, cb_req, ei);
		if (err < 0)
			return err;
	}
	err = jr_nd_insert(&rd->lay, pg->page, ins->n.page.iline, key, cbk,
			   cbp, ins->data.p, (uint16_t)ins->data.len, flags,
			   ei);
	if (err < 0)
		return err;
	pg->dirty = true;
	return JET_errSuccess;
}

/* Replace node data after the room check of ErrNDReplace. new_data must
 * not point into the page. */
static JET_ERR jr_redo_replace_data(jr_redo *rd, jr_pg *pg, unsigned iline,
				    const uint8_t *new_data, uint16_t cb_new,
				    uint8_t set_flags, uint8_t clear_flags,
				    jr_errinfo *ei)
{
	ese_line line;
	jr_kdf cur;
	uint8_t key[ESE_NODE_KEYLEN_MASK + 1];
	JET_ERR err;

	err = jr_nd_get(&rd->lay, pg->page, iline, key, sizeof(key), &cur,
			ei);
	if (err < 0)
		return err;
	if (cb_new > cur.cb_data) {
		err = jr_nd_make_room(pg->page, cb_new - cur.cb_data, ei);
		if (err < 0)
			return err;
	}
	err = jr_nd_replace(&rd->lay, pg->page, iline, new_data, cb_new,
			    (uint8_t)(cur.flags | set_flags), ei);
	if (err < 0)
		return err;
	pg->dirty = true;
	if (!clear_flags)
		return JET_errSuccess;
	err = ese_page_line(&rd->lay, pg->page, iline, &line, ei);
	if (err < 0)
		return err;
	return ese_page_set_line_flags(&rd->lay, pg->page, iline,
				       (uint8_t)(line.flags & ~clear_flags),
				       ei);
}

static JET_ERR jr_redo_node_delta(jr_redo *rd, const lr_delta *d, jr_pg *pg,
				  jr_errinfo *ei)
{
	ese_node n;
	uint8_t *p;
	JET_ERR err;

	err = ese_node_get(&rd->lay, pg->page, d->n.page.iline, &n, ei);
	if (err < 0)
		return err;
	if ((unsigned)d->cb_offset + (d->is64 ? 8u : 4u) > n.cb_data)
		return jr_rd_fail(rd, ei,
				  JET_errLogOperationInconsistentWithDatabase,
				  "Delta at offset %u of %u-byte data",
				  d->cb_offset, n.cb_data);
	p = (uint8_t *)n.data + d->cb_offset;
	if (d->is64)
		jr_put_le64(p, jr_le64(p) + (uint64_t)d->delta);
	else
		jr_put_le32(p, jr_le32(p) + (uint32_t)(int32_t)d->delta);
	pg->dirty = true;
	if (jr_lr_versioned(&d->n.page))
		return jr_nd_set_flags(&rd->lay, pg->page, d->n.page.iline,
				       JR_ND_VERSION, 0, ei);
	return JET_errSuccess;
}

/* Create (or find) the RCE for a replace / flag-delete that was not
 * redone: its before-image will come from an UndoInfo record if the page
 * reached disk before the transaction ended. */
static JET_ERR jr_rce_deferred(jr_redo *rd, const lr_node_hdr *n,
			       jr_oper oper, uint32_t rceid, jr_errinfo *ei)
{
	jr_rce r;

	jr_rce_init(&r, n, oper, rceid);
	r.deferred = true;
	return jr_trx_rce_add(rd->trx, n->page.procid, &r, ei);
}

static JET_ERR jr_redo_undo_info(jr_redo *rd, const lr_undo_info *u,
				 jr_errinfo *ei)
{
	uint16_t procid = u->n.page.procid;
	jr_rce *r;
	jr_rce t;

	if (jr_trx_level(rd->trx, procid) == 0)
		return JET_errSuccess;
	r = jr_trx_rce_find(rd->trx, procid, u->n.rceid);
	if (r) {
		r->oper = (jr_oper)u->oper;
		return jr_trx_rce_set_before(r, u->data.p,
					     (uint16_t)u->data.len, ei);
	}
	jr_rce_init(&t, &u->n, (jr_oper)u->oper, u->n.rceid);
	{
		unsigned lvl = jr_trx_level(rd->trx, procid);

		if (t.level > lvl)
			t.level = (uint8_t)lvl;
	}
	t.bm_key = (uint8_t *)u->bm_key.p;
	t.cb_bm_key = (uint16_t)u->bm_key.len;
	t.bm_data = (uint8_t *)u->bm_data.p;
	t.cb_bm_data = (uint16_t)u->bm_data.len;
	t.before = (uint8_t *)u->data.p;
	t.cb_before = (uint16_t)u->data.len;
	return jr_trx_rce_add(rd->trx, procid, &t, ei);
}

/* The record's node operation on an accessed page (pg->redo known). */
static JET_ERR jr_redo_node_op(jr_redo *rd, const lr_record *r, jr_pg *pg,
			       jr_errinfo *ei)
{
	const lr_node_hdr *n = &r->u.node;
	const bool versioned = jr_lr_versioned(&n->page);
	uint8_t keybuf[ESE_NODE_KEYLEN_MASK + 1];
	uint8_t databuf[32768];
	jr_kdf cur;
	jr_rce rce;
	JET_ERR err;

	switch (r->lrtyp) {
	case 38: /* SetExternalHeader */
		if (pg->redo) {
			ese_data part = { r->u.set_ext_header.data.p,
					  r->u.set_ext_header.data.len };

			err = ese_page_set_external_header(&rd->lay, pg->page,
							   &part, 1, ei);
			if (err < 0)
				return err;
			pg->dirty = true;
		}
		return JET_errSuccess;

	case 36: /* UndoInfo: never changes a page */
		return jr_redo_undo_info(rd, &r->u.undo_info, ei);

	case 39: { /* Undo */
		const lr_undo *u = &r->u.undo;
		jr_rce *found = jr_trx_rce_find(rd->trx, n->page.procid,
						n->rceid);

		if (pg->redo) {
			jr_rce tmp;

			if (!found) {
				jr_rce_init(&tmp, n, (jr_oper)u->oper,
					    n->rceid);
				found = &tmp;
			}
			err = jr_undo_physical(rd, found, pg, n->page.iline,
					       ei);
			if (err < 0)
				return err;
			rd->st.undo_records++;
		}
		if (found && found == jr_trx_rce_find(rd->trx, n->page.procid,
						      n->rceid))
			jr_trx_rce_remove(rd->trx, n->page.procid, n->rceid);
		return JET_errSuccess;
	}

	case 29: { /* Insert */
		const lr_insert *ins = &r->u.insert;

		if (versioned) {
			uint16_t cbp = (uint16_t)ins->key_prefix.len;
			uint16_t cbs = (uint16_t)ins->key_suffix.len;

			if ((size_t)cbp + cbs > sizeof(keybuf))
				return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						  "Insert key too long");
			if (cbp)
				memcpy(keybuf, ins->key_prefix.p, cbp);
			if (cbs)
				memcpy(keybuf + cbp, ins->key_suffix.p, cbs);
			jr_rce_init(&rce, n, JR_OPER_INSERT, n->rceid);
			jr_rce_bookmark(&rce, keybuf, (uint16_t)(cbp + cbs),
					ins->data.p, (uint16_t)ins->data.len);
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		return pg->redo ? jr_redo_insert(rd, ins, pg, ei)
				: JET_errSuccess;
	}

	case 30: { /* FlagInsert */
		const lr_flag_insert *fi = &r->u.flag_insert;

		if (versioned) {
			jr_rce_init(&rce, n, JR_OPER_INSERT, n->rceid);
			jr_rce_bookmark(&rce, fi->key.p, (uint16_t)fi->key.len,
					fi->data.p, (uint16_t)fi->data.len);
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		if (!pg->redo)
			return JET_errSuccess;
		pg->dirty = true;
		return jr_nd_set_flags(&rd->lay, pg->page, n->page.iline,
				       versioned ? JR_ND_VERSION : 0,
				       JR_ND_DELETED, ei);
	}

	case 31: { /* FlagInsertAndReplaceData */
		const lr_flag_insert_replace *f = &r->u.flag_insert_replace;

		if (f->data.len > sizeof(databuf))
			return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					  "FlagInsertAndReplaceData data");
		if (versioned) {
			jr_rce_init(&rce, n, JR_OPER_INSERT, n->rceid);
			jr_rce_bookmark(&rce, f->key.p, (uint16_t)f->key.len,
					f->data.p, (uint16_t)f->data.len);
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		if (!pg->redo) {
			if (versioned)
				return jr_rce_deferred(rd, n, JR_OPER_REPLACE,
						       f->rceid_replace, ei);
			return JET_errSuccess;
		}
		err = jr_nd_get(&rd->lay, pg->page, n->page.iline, keybuf,
				sizeof(keybuf), &cur, ei);
		if (err < 0)
			return err;
		if (versioned) {
			jr_rce_init(&rce, n, JR_OPER_REPLACE, f->rceid_replace);
			jr_rce_bookmark(&rce, keybuf, cur.cb_key, f->data.p,
					(uint16_t)f->data.len);
			rce.before = (uint8_t *)cur.data;
			rce.cb_before = cur.cb_data;
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		memcpy(databuf, f->data.p, f->data.len);
		return jr_redo_replace_data(rd, pg, n->page.iline, databuf,
					    (uint16_t)f->data.len,
					    versioned ? JR_ND_VERSION : 0,
					    JR_ND_DELETED, ei);
	}

	case 33: /* Replace */
	case 34: { /* ReplaceD */
		const lr_replace *rp = &r->u.replace;
		size_t cb_new;

		if (!pg->redo) {
			if (versioned)
				return jr_rce_deferred(rd, n, JR_OPER_REPLACE,
						       n->rceid, ei);
			return JET_errSuccess;
		}
		err = jr_nd_get(&rd->lay, pg->page, n->page.iline, keybuf,
				sizeof(keybuf), &cur, ei);
		if (err < 0)
			return err;
		if (rp->diff) {
			err = lr_replaced_apply(cur.data, cur.cb_data,
						rp->data.p, rp->data.len,
						rp->diff2, databuf,
						rd->o.page_size, &cb_new, ei);
			if (err < 0)
				return err;
		} else {
			if (rp->data.len > sizeof(databuf))
				return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						  "Replace data too long");
			memcpy(databuf, rp->data.p, rp->data.len);
			cb_new = rp->data.len;
		}
		if (cb_new != rp->cb_new_data)
			return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					  "Replace: new data is %zu bytes, "
					  "the record says %u", cb_new,
					  rp->cb_new_data);
		if (versioned) {
			jr_rce_init(&rce, n, JR_OPER_REPLACE, n->rceid);
			jr_rce_bookmark(&rce, keybuf, cur.cb_key, NULL, 0);
			rce.before = (uint8_t *)cur.data;
			rce.cb_before = cur.cb_data;
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		return jr_redo_replace_data(rd, pg, n->page.iline, databuf,
					    (uint16_t)cb_new,
					    versioned ? JR_ND_VERSION : 0, 0,
					    ei);
	}

	case 32: /* FlagDelete */
		if (!pg->redo) {
			if (versioned)
				return jr_rce_deferred(rd, n,
						       JR_OPER_FLAG_DELETE,
						       n->rceid, ei);
			return JET_errSuccess;
		}
		if (versioned) {
			err = jr_nd_get(&rd->lay, pg->page, n->page.iline,
					keybuf, sizeof(keybuf), &cur, ei);
			if (err < 0)
				return err;
			jr_rce_init(&rce, n, JR_OPER_FLAG_DELETE, n->rceid);
			jr_rce_bookmark(&rce, keybuf, cur.cb_key, cur.data,
					cur.cb_data);
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		pg->dirty = true;
		return jr_nd_set_flags(&rd->lay, pg->page, n->page.iline,
				       (uint8_t)(JR_ND_DELETED |
						 (versioned ? JR_ND_VERSION
							    : 0)),
				       0, ei);

	case 35: /* Delete */
		if (!pg->redo)
			return JET_errSuccess;
		pg->dirty = true;
		return jr_nd_delete(&rd->lay, pg->page, n->page.iline, ei);

	case 37: /* Delta */
	case 93: { /* Delta64 */
		const lr_delta *d = &r->u.delta;

		if (versioned) {
			jr_rce_init(&rce, n,
				    d->is64 ? JR_OPER_DELTA64 : JR_OPER_DELTA,
				    n->rceid);
			rce.bm_key = (uint8_t *)d->bm_key.p;
			rce.cb_bm_key = (uint16_t)d->bm_key.len;
			rce.bm_data = (uint8_t *)d->bm_data.p;
			rce.cb_bm_data = (uint16_t)d->bm_data.len;
			rce.delta = d->delta;
			rce.cb_offset = d->cb_offset;
			err = jr_trx_rce_add(rd->trx, n->page.procid, &rce, ei);
			if (err < 0)
				return err;
		}
		return pg->redo ? jr_redo_node_delta(rd, d, pg, ei)
				: JET_errSuccess;
	}

	case 48: /* EmptyTree */
		return jr_redo_empty_tree(rd, r, pg, ei);
	}
	return jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
			  "node record type %u (%s) is not implemented",
			  r->lrtyp, ese_lrtyp_name(r->lrtyp));
}

/* ESE's ErrLGRICheckRedoConditionInTrx for a page record of procid with
 * dbtime: *apply says whether to go on (counters are noted either way);
 * a record inside an open macro is stored instead. */
static JET_ERR jr_redo_condition(jr_redo *rd, const jr_redo_rec *rec,
				 uint16_t procid, uint8_t dbid,
				 uint64_t dbtime, uint32_t objid,
				 bool storable, bool *apply, jr_errinfo *ei)
{
	*apply = false;
	if (!jr_rd_for_us(rd, dbid))
		return JET_errSuccess;
	if (jr_trx_after_first_begin(rd->trx, procid) && storable &&
	    jr_trx_macro_going(rd->trx, procid, dbtime)) {
		*apply = false;
		return jr_trx_macro_store(rd->trx, procid, dbtime, rec->data,
					  rec->size, &rec->lgpos, ei);
	}
	jr_rd_counters(rd, dbtime, objid);
	if (!jr_trx_after_first_begin(rd->trx, procid))
		return JET_errSuccess;
	if (!ese_lgpos_is_zero(&rd->o.lgpos_attach) &&
	    ese_lgpos_cmp(&rec->lgpos, &rd->o.lgpos_attach) <= 0)
		return JET_errSuccess;
	*apply = true;
	return JET_errSuccess;
}

static JET_ERR jr_redo_node_record(jr_redo *rd, const jr_redo_rec *rec,
				   const lr_record *r, jr_errinfo *ei)
{
	const lr_node_hdr *n = &r->u.node;
	jr_pg pg;
	bool apply;
	JET_ERR err;

	err = jr_redo_condition(rd, rec, n->page.procid, n->page.dbid,
				n->page.dbtime_after, n->objid_fdp,
				r->lrtyp != 36, &apply, ei);
	if (err < 0 || !apply) {
		jr_rd_count(rd, r->lrtyp, false);
		return err;
	}
	err = jr_rd_access(rd, n->page.pgno, false, &pg, ei);
	if (err < 0)
		return err;
	if (r->lrtyp != 36) {
		err = jr_rd_check(rd, &pg, n->page.dbtime_before,
				  n->page.dbtime_after, ei);
		if (err < 0)
			goto release;
	}
	err = jr_redo_node_op(rd, r, &pg, ei);
	if (err < 0) {
		jr_errinfo_prefix(ei, "%s on page %u line %u",
				  ese_lrtyp_name(r->lrtyp), n->page.pgno,
				  n->page.iline);
		goto release;
	}
	if (pg.redo)
		pg.dirty = true;
	jr_rd_count(rd, r->lrtyp, pg.redo);
release:
	jr_rd_release(rd, &pg, n->page.dbtime_after);
	if (err < 0 && ei && ei->err == err && !strstr(ei->detail, "lgpos"))
		jr_errinfo_prefix(ei, "at lgpos " JR_LGPOS_FMT,
				  JR_LGPOS_ARGS(rd->at));
	return err;
}

static JET_ERR jr_redo_new_page(jr_redo *rd, const jr_redo_rec *rec,
				const lr_record *r, jr_errinfo *ei)
{
	const lr_new_page *np = &r->u.new_page;
	jr_pg pg;
	bool apply;
	JET_ERR err;

	err = jr_redo_condition(rd, rec, np->procid, np->dbid,
				np->dbtime_after, np->objid, true, &apply, ei);
	if (err < 0 || !apply) {
		jr_rd_count(rd, r->lrtyp, false);
		return err;
	}
	err = jr_rd_access_new(rd, np->pgno, np->dbtime_after, &pg, ei);
	if (err < 0)
		return err;
	if (pg.redo)
		jr_rd_preinit(rd, &pg, np->objid, np->dbtime_after);
	jr_rd_count(rd, r->lrtyp, pg.redo);
	jr_rd_release(rd, &pg, np->dbtime_after);
	return JET_errSuccess;
}

/* Split2 / Merge2 / RootPageMove outside the macro machinery. */
static JET_ERR jr_redo_macro_part(jr_redo *rd, const jr_redo_rec *rec,
				  const lr_record *r, jr_errinfo *ei)
{
	uint16_t procid;
	uint8_t dbid;
	uint64_t dbtime;
	uint32_t objid;

	switch (r->lrtyp) {
	case 96:
		procid = r->u.root_page_move.procid;
		dbid = r->u.root_page_move.dbid;
		dbtime = r->u.root_page_move.dbtime_after;
		objid = r->u.root_page_move.objid;
		break;
	case 27:
	case 62:
		procid = r->u.split.page.procid;
		dbid = r->u.split.page.dbid;
		dbtime = r->u.split.page.dbtime_after;
		objid = r->u.split.objid_fdp;
		if (r->u.split.old_format)
			return jr_rd_fail(rd, ei, JET_errBadLogVersion,
					  "Split (27) records are not redone "
					  "by ESE either");
		break;
	default:
		procid = r->u.merge.page.procid;
		dbid = r->u.merge.page.dbid;
		dbtime = r->u.merge.page.dbtime_after;
		objid = r->u.merge.objid_fdp;
		if (r->u.merge.old_format)
			return jr_rd_fail(rd, ei, JET_errBadLogVersion,
					  "Merge (28) records are not redone "
					  "by ESE either");
		break;
	}
	if (!jr_rd_for_us(rd, dbid)) {
		jr_rd_count(rd, r->lrtyp, false);
		return JET_errSuccess;
	}
	if (!jr_trx_after_first_begin(rd->trx, procid)) {
		jr_rd_counters(rd, dbtime, objid);
		jr_rd_count(rd, r->lrtyp, false);
		return JET_errSuccess;
	}
	if (!jr_trx_macro_going(rd->trx, procid, dbtime))
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "%s of session %u outside a macro",
				  ese_lrtyp_name(r->lrtyp), procid);
	return jr_trx_macro_store(rd->trx, procid, dbtime, rec->data,
				  rec->size, &rec->lgpos, ei);
}

static JET_ERR jr_redo_macro_commit(jr_redo *rd, const lr_macro *m,
				    jr_errinfo *ei)
{
	const jr_macro_rec *recs;
	size_t n;
	uint8_t lrtyp;
	JET_ERR err = JET_errSuccess;
	ese_lgpos saved = rd->at;

	recs = jr_trx_macro_records(rd->trx, m->procid, m->dbtime, &n);
	if (!recs || !jr_trx_after_first_begin(rd->trx, m->procid))
		goto end;
	lrtyp = recs[0].rec[0];
	rd->at = recs[0].at;
	switch (lrtyp) {
	case 62:
		err = jr_redo_split(rd, recs, n, ei);
		break;
	case 63:
		err = jr_redo_merge(rd, recs, n, ei);
		break;
	case 96:
		err = jr_redo_root_move(rd, recs, n, ei);
		break;
	default:
		err = jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
				 "macro of %s records is not implemented",
				 ese_lrtyp_name(lrtyp));
		break;
	}
	rd->st.macros++;
	rd->at = saved;
end:
	jr_trx_macro_end(rd->trx, m->procid, m->dbtime);
	return err;
}

/* ---- control records ---- */

static JET_ERR jr_redo_end_sessions(jr_redo *rd, jr_errinfo *ei)
{
	unsigned n = 0;
	JET_ERR err;

	/* An engine start or stop in the log: whatever is still open was
	 * rolled back by that engine (its Undo records are in the log) or
	 * is rolled back now, as ESE's redo of Init/Term does. */
	err = jr_trx_rollback_all(rd->trx, jr_undo_rce, rd, &n, ei);
	rd->st.trx_undone += n;
	jr_trx_reset(rd->trx);
	return err;
}

static void jr_redo_attach(jr_redo *rd, const lr_attach_db *a,
			   const jr_redo_rec *rec)
{
	if (!ese_signature_equal(&a->sign_db, &rd->o.sign_db)) {
		if (rd->dbid == a->dbid)
			rd->dbid = 0; /* that dbid names another database now */
		return;
	}
	rd->dbid = a->dbid;
	rd->st.detached = false;
	(void)rec;
}

/* The generation changes: entering or leaving the required range. */
static JET_ERR jr_redo_generation(jr_redo *rd, uint32_t gen, jr_errinfo *ei)
{
	bool future;

	rd->gen = gen;
	future = rd->o.replay_all || gen <= rd->o.gen_max_required;
	if (rd->future && !future) {
		/* ESE's ErrLGIVerifyRedoMapForIfmp: leaving the required
		 * range, nothing may still be missing. */
		if (g_hash_table_size(rd->map_behind))
			return jr_rd_fail(rd, ei, JET_errDbTimeTooOld,
					  "%u page(s) older than the log at "
					  "the end of the required range",
					  g_hash_table_size(rd->map_behind));
		if (g_hash_table_size(rd->map_zeroed))
			return jr_rd_fail(rd, ei, JET_errRecoveryVerifyFailure,
					  "%u page(s) blank at the end of the "
					  "required range",
					  g_hash_table_size(rd->map_zeroed));
	}
	rd->future = future;
	return JET_errSuccess;
}

static JET_ERR jr_redo_extend(jr_redo *rd, const lr_extend_db *x,
			      jr_errinfo *ei)
{
	uint64_t want = ((uint64_t)x->pgno_last + 2) * rd->o.page_size;
	uint64_t have;
	JET_ERR err;

	if (!jr_rd_for_us(rd, x->dbid) || rd->o.fd < 0)
		return JET_errSuccess;
	/* the file grows again after a shrink: cut it there at the end */
	if (rd->st.pgno_last_shrunk && x->pgno_last > rd->st.pgno_last_shrunk)
		rd->st.pgno_last_shrunk = x->pgno_last;
	err = jr_file_size(rd->o.fd, &have, ei);
	if (err < 0)
		return err;
	if (have >= want)
		return JET_errSuccess;
	if (ftruncate(rd->o.fd, (off_t)want) != 0)
		return jr_rd_fail(rd, ei, JET_errDiskIO,
				  "cannot extend the database to %llu bytes",
				  (unsigned long long)want);
	return JET_errSuccess;
}

JET_ERR jr_redo_record(jr_redo *rd, const jr_redo_rec *rec, jr_errinfo *ei)
{
	lr_record r;
	JET_ERR err;
	const lr_page_hdr *ph;

	rd->at = rec->lgpos;
	rd->st.records++;
	rd->st.last_lgpos = rec->lgpos;
	rd->st.last_lgpos_end = rec->lgpos_end;
	if (rec->lgpos.gen != rd->gen) {
		err = jr_redo_generation(rd, rec->lgpos.gen, ei);
		if (err < 0)
			return err;
	}
	err = lr_decode(rec->data, rec->size, &r, ei);
	if (err < 0) {
		jr_errinfo_prefix(ei, "at lgpos " JR_LGPOS_FMT,
				  JR_LGPOS_ARGS(rec->lgpos));
		return err;
	}
	switch (r.lrtyp) {
	/* single-page node operations */
	case 29: case 30: case 31: case 32: case 33: case 34: case 35:
	case 36: case 37: case 38: case 39: case 48: case 93:
		return jr_redo_node_record(rd, rec, &r, ei);

	case 95: /* NewPage */
		return jr_redo_new_page(rd, rec, &r, ei);

	case 24: case 25: /* CreateMultiple/SingleExtentFDP */
		ph = &r.u.create_fdp.page;
		if (!jr_rd_for_us(rd, ph->dbid)) {
			jr_rd_count(rd, r.lrtyp, false);
			return JET_errSuccess;
		}
		jr_rd_counters(rd, ph->dbtime_after, r.u.create_fdp.objid_fdp);
		if (!jr_trx_after_first_begin(rd->trx, ph->procid)) {
			jr_rd_count(rd, r.lrtyp, false);
			return JET_errSuccess;
		}
		return jr_redo_create_fdp(rd, &r, ei);

	case 26: case 58: { /* ConvertFDP(2) */
		bool apply;

		ph = &r.u.convert_fdp.page;
		if (r.u.convert_fdp.old_format)
			return jr_rd_fail(rd, ei, JET_errBadLogVersion,
					  "ConvertFDP (26) is not redone by "
					  "ESE either");
		err = jr_redo_condition(rd, rec, ph->procid, ph->dbid,
					ph->dbtime_after,
					r.u.convert_fdp.objid_fdp, true,
					&apply, ei);
		if (err < 0 || !apply) {
			jr_rd_count(rd, r.lrtyp, false);
			return err;
		}
		return jr_redo_convert_fdp(rd, &r, ei);
	}

	case 27: case 28: case 62: case 63: case 96:
		return jr_redo_macro_part(rd, rec, &r, ei);

	/* transactions */
	case 5: case 8: case 53:
		jr_trx_begin(rd->trx, r.u.begin.procid,
			     r.u.begin.level_begin_from,
			     r.u.begin.clevels_to_begin, r.u.begin.trx_begin0,
			     &rec->lgpos);
		return JET_errSuccess;
	case 6: case 9:
		jr_trx_commit(rd->trx, r.u.commit.procid,
			      r.u.commit.level_commit_to);
		return JET_errSuccess;
	case 7:
		jr_trx_rollback(rd->trx, r.u.rollback.procid,
				r.u.rollback.level_rollback);
		return JET_errSuccess;
	case 10:
		jr_trx_refresh(rd->trx, r.u.refresh.procid,
			       r.u.refresh.trx_begin0);
		return JET_errSuccess;
	case 11:
		return jr_trx_macro_begin(rd->trx, r.u.macro.procid,
					  r.u.macro.dbtime, ei);
	case 12:
		return jr_redo_macro_commit(rd, &r.u.macro, ei);
	case 13:
		jr_trx_macro_end(rd->trx, r.u.macro.procid, r.u.macro.dbtime);
		return JET_errSuccess;

	/* engine start / stop */
	case 1: case 49:
	case 2: case 50: case 18: case 52: case 80:
		rd->st.saw_term = (r.lrtyp != 1 && r.lrtyp != 49);
		return jr_redo_end_sessions(rd, ei);

	/* databases */
	case 15:
		jr_redo_attach(rd, &r.u.attach_db, rec);
		return JET_errSuccess;
	case 14:
		if (ese_signature_equal(&r.u.create_db.sign_db,
					&rd->o.sign_db))
			rd->dbid = r.u.create_db.dbid;
		return JET_errSuccess;
	case 16:
		if (jr_rd_for_us(rd, r.u.detach_db.dbid)) {
			rd->dbid = 0;
			rd->st.detached = true;
		}
		return JET_errSuccess;
	case 92:
		if (jr_rd_for_us(rd, r.u.set_db_version.dbid)) {
			rd->st.db_version = r.u.set_db_version.major;
			rd->st.db_update_major = r.u.set_db_version.update_major;
			rd->st.db_update_minor = r.u.set_db_version.update_minor;
		}
		return JET_errSuccess;
	case 68:
		return jr_redo_extend(rd, &r.u.extend_db, ei);

	case 64: { /* Scrub */
		bool apply;

		ph = &r.u.scrub.n.page;
		err = jr_redo_condition(rd, rec, ph->procid, ph->dbid,
					ph->dbtime_after, r.u.scrub.n.objid_fdp,
					true, &apply, ei);
		if (err < 0 || !apply) {
			jr_rd_count(rd, r.lrtyp, false);
			return err;
		}
		return jr_redo_scrub(rd, &r, ei);
	}
	case 65: { /* PageMove */
		bool apply;

		ph = &r.u.page_move.page;
		err = jr_redo_condition(rd, rec, ph->procid, ph->dbid,
					ph->dbtime_after,
					r.u.page_move.objid_fdp, true, &apply,
					ei);
		if (err < 0 || !apply) {
			jr_rd_count(rd, r.lrtyp, false);
			return err;
		}
		return jr_redo_page_move(rd, &r, ei);
	}
	case 78: case 94: case 99:
		return jr_redo_shrink(rd, &r, ei);
	case 81:
		return jr_redo_trim(rd, &r, ei);

	/* no page effect */
	case 0: case 3: case 4: case 17: case 19: case 20: case 21: case 22:
	case 23: case 45: case 46: case 54: case 55: case 57: case 59:
	case 60: case 61: case 66: case 67: case 69: case 70: case 71:
	case 72: case 73: case 74: case 75: case 79: case 97: case 98:
	case 100: case 101:
	case 82: case 83: case 84: case 85: case 86: case 87: case 88:
	case 89: case 90: case 91:
		return JET_errSuccess;
	case 51:
		return JET_errSuccess;
	}
	return jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
			  "record type %u (%s) is not implemented", r.lrtyp,
			  ese_lrtyp_name(r.lrtyp));
}

void jr_redo_write_hook(uint8_t *page, size_t page_size, uint32_t pgno,
			void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < page_size; i++) {
		if (page[i]) {
			ese_page_set_ecc_format(page);
			ese_page_checksum_write(page, page_size, pgno);
			return;
		}
	}
}

JET_ERR jr_redo_apply_shrink(const jr_redo_stats *st, int fd,
			     uint32_t page_size, jr_errinfo *ei)
{
	if (!st->pgno_last_shrunk)
		return JET_errSuccess;
	if (ftruncate(fd, ((off_t)st->pgno_last_shrunk + 2) * page_size) != 0)
		return jr_fail(ei, JET_errDiskIO,
			       "cannot cut the database after page %u",
			       st->pgno_last_shrunk);
	return JET_errSuccess;
}

JET_ERR jr_redo_finish(jr_redo *rd, jr_errinfo *ei)
{
	JET_ERR err;

	err = jr_redo_end_sessions(rd, ei);
	if (err < 0)
		return err;
	if (g_hash_table_size(rd->map_behind))
		return jr_rd_fail(rd, ei, JET_errDbTimeTooOld,
				  "%u page(s) remain older than the log "
				  "expects (lost flushes)",
				  g_hash_table_size(rd->map_behind));
	if (g_hash_table_size(rd->map_zeroed))
		return jr_rd_fail(rd, ei, JET_errRecoveryVerifyFailure,
				  "%u page(s) the log changes are blank",
				  g_hash_table_size(rd->map_zeroed));
	return JET_errSuccess;
}
