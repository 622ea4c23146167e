/*
 * redo_merge.c - redo of a page merge (a macro of Merge2 records, one per
 * tree level from the top down, the leaf last).
 *
 * ESE: ErrLGRIRedoMerge, ErrLGRIRedoMergeStructures, ErrLGIRedoMergePath,
 * ErrLGRIRedoInitializeMerge, ErrLGIRedoMergeUpgradeLatches
 * (logredo.cxx); BTIPerformMerge, BTIPerformOneMerge, BTIMergeMoveNodes,
 * BTIMergeDeleteFlagDeletedNodes, BTIMergeFixSiblings,
 * BTIChangeKeyOfPagePointer (bt.cxx).
 *
 * The leaf record names the merged page (pgno), its siblings and the merge
 * type: an empty page is unlinked; a full merge moves every live node of
 * the page to the left or right sibling and unlinks the page; a partial
 * merge moves the nodes from ilineMerge on (right) or up to ilineMerge
 * (left) and keeps the page. Flag-deleted nodes are not moved. The parent
 * levels delete the node that pointed to the page, or change the key of
 * the node before it to the new separator (keyParentSep), and pages left
 * without nodes are emptied.
 */
#include <string.h>

#include "ese/node.h"
#include "ese/pagemut.h"
#include "recover/nodeop.h"
#include "recover/redo_int.h"
#include "util/bytes.h"

typedef struct {
	lr_merge lm;
	jr_pg pg;                 /* the page of this level */
	uint64_t dbtime_before;
	uint8_t *preimage;
} jr_merge_level;

typedef struct {
	uint8_t *key;
	uint16_t cb_key;
	const uint8_t *data;
	uint16_t cb_data;
	uint8_t flags;
	uint16_t cb_prefix;
} jr_merge_line;

static bool jr_merge_right(uint8_t t)
{
	return t == LR_MERGE_FULL_RIGHT || t == LR_MERGE_PARTIAL_RIGHT;
}

static bool jr_merge_moves(uint8_t t)
{
	return t == LR_MERGE_FULL_RIGHT || t == LR_MERGE_PARTIAL_RIGHT ||
	       t == LR_MERGE_FULL_LEFT || t == LR_MERGE_PARTIAL_LEFT;
}

/* NDEmptyPage: no prefix, no node, the empty flag. */
JET_ERR jr_rd_empty_page(jr_redo *rd, jr_pg *pg, jr_errinfo *ei)
{
	unsigned n;
	JET_ERR err;

	err = jr_nd_set_prefix(&rd->lay, pg->page, NULL, 0, ei);
	n = ese_page_line_count(&rd->lay, pg->page);
	while (err >= 0 && n-- > 0)
		err = jr_nd_delete(&rd->lay, pg->page, n, ei);
	if (err >= 0)
		ese_page_set_flags(pg->page, jr_le32(pg->page + ESE_PGHDR_FLAGS) |
					     ESE_PGF_EMPTY);
	return err;
}

/* BTIComputePrefixAndInsert of a page pointer with key. */
static JET_ERR jr_merge_insert_pointer(jr_redo *rd, uint8_t *page,
				       unsigned iline, const uint8_t *key,
				       uint16_t cb_key, const uint8_t le[4],
				       jr_errinfo *ei)
{
	const uint8_t *pfx;
	uint16_t cb_pfx, common;
	JET_ERR err;

	err = ese_node_page_prefix(&rd->lay, page, &pfx, &cb_pfx, ei);
	if (err < 0)
		return err;
	common = jr_nd_common(key, cb_key, pfx, cb_pfx);
	if (common <= JR_ND_KEYCOUNT)
		common = 0;
	return jr_nd_insert(&rd->lay, page, iline, key ? key : le, cb_key,
			    common, le, 4, 0, ei);
}

/* BTIChangeKeyOfPagePointer */
static JET_ERR jr_merge_change_key(jr_redo *rd, uint8_t *page, unsigned iline,
				   const uint8_t *key, uint16_t cb_key,
				   jr_errinfo *ei)
{
	jr_nd_raw n;
	uint8_t le[4];
	JET_ERR err;

	err = jr_nd_get_raw(&rd->lay, page, iline, &n, ei);
	if (err < 0)
		return err;
	if (n.cb_data != 4)
		return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
				  "page pointer of %u bytes", n.cb_data);
	memcpy(le, n.data, 4);
	err = jr_nd_delete(&rd->lay, page, iline, ei);
	if (err < 0)
		return err;
	return jr_merge_insert_pointer(rd, page, iline, key, cb_key, le, ei);
}

/* BTIPerformOneMerge on a level above the leaf. */
static JET_ERR jr_merge_internal(jr_redo *rd, jr_merge_level *lv,
				 const jr_merge_level *leaf,
				 uint32_t pgno_child, jr_errinfo *ei)
{
	const lr_merge *m = &lv->lm;
	const lr_merge *ml = &leaf->lm;
	uint8_t *page = lv->pg.page;
	const bool del = m->merge_flags & LR_MERGE_DELETE_NODE;
	const bool key_change = m->merge_flags & LR_MERGE_KEY_CHANGE;
	JET_ERR err = JET_errSuccess;

	if (!lv->pg.redo)
		return JET_errSuccess;
	lv->pg.dirty = true;
	if (ml->mergetype == LR_MERGE_FULL_LEFT && del && key_change) {
		uint8_t le[4];
		jr_nd_raw n;

		/* the pointer to the merged page points to the left page,
		 * the node before it (the left page's) goes */
		if (m->iline_merge == 0 && m->page.iline == 0)
			return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					  "full left merge at the first node");
		err = jr_nd_get_raw(&rd->lay, page, m->page.iline, &n, ei);
		if (err < 0)
			return err;
		if (n.cb_data != 4 || jr_le32(n.data) != pgno_child)
			return jr_rd_fail(rd, ei,
					  JET_errLogOperationInconsistentWithDatabase,
					  "page %u line %u does not point to "
					  "page %u", lv->pg.pgno, m->page.iline,
					  pgno_child);
		jr_put_le32(le, ml->pgno_left);
		err = jr_nd_replace(&rd->lay, page, m->page.iline, le, 4,
				    n.flags, ei);
		if (err >= 0)
			err = jr_nd_delete(&rd->lay, page,
					   (unsigned)m->page.iline - 1, ei);
	} else if (del) {
		jr_nd_raw n;
		bool null_last;

		err = jr_nd_get_raw(&rd->lay, page, m->page.iline, &n, ei);
		if (err < 0)
			return err;
		null_last = n.cb_prefix == 0 && n.cb_suffix == 0;
		err = jr_nd_delete(&rd->lay, page, m->page.iline, ei);
		if (err >= 0 && null_last) {
			if (m->page.iline == 0)
				return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						  "merge deletes the only "
						  "pointer of page %u",
						  lv->pg.pgno);
			err = jr_merge_change_key(rd, page,
						  (unsigned)m->page.iline - 1,
						  NULL, 0, ei);
		}
	} else if (key_change) {
		unsigned iline = m->page.iline;

		if (ml->mergetype == LR_MERGE_PARTIAL_LEFT) {
			if (iline == 0)
				return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						  "partial left merge at the "
						  "first node");
			iline--;
		}
		err = jr_merge_change_key(rd, page, iline,
					  ml->key_parent_sep.p,
					  (uint16_t)ml->key_parent_sep.len, ei);
	}
	if (err >= 0 && (m->merge_flags & LR_MERGE_EMPTY_PAGE))
		err = jr_rd_empty_page(rd, &lv->pg, ei);
	return err;
}

JET_ERR jr_redo_merge(jr_redo *rd, const jr_macro_rec *recs, size_t n,
		      jr_errinfo *ei)
{
	jr_merge_level *lv = g_new0(jr_merge_level, n);
	jr_merge_level *leaf;
	jr_pg left, right, *dest = NULL;
	jr_merge_line *li = NULL;
	uint8_t *arena = NULL;
	size_t used = 0, cap = 0;
	unsigned clines = 0;
	uint64_t dbtime = 0;
	bool any = false;
	JET_ERR err = JET_errSuccess;

	memset(&left, 0, sizeof(left));
	memset(&right, 0, sizeof(right));
	for (size_t i = 0; i < n; i++) {
		lr_record r;

		rd->at = recs[i].at;
		if (recs[i].rec[0] != 63) {
			err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					 "%s in a merge macro",
					 ese_lrtyp_name(recs[i].rec[0]));
			goto free_levels;
		}
		err = lr_decode(recs[i].rec, recs[i].len, &r, ei);
		if (err < 0)
			goto free_levels;
		lv[i].lm = r.u.merge;
		if (i == 0)
			dbtime = r.u.merge.page.dbtime_after;
	}
	leaf = &lv[n - 1];
	rd->at = recs[0].at;
	if (!jr_rd_for_us(rd, lv[0].lm.page.dbid)) {
		jr_rd_count(rd, 63, false);
		goto free_levels;
	}
	jr_rd_counters(rd, dbtime, lv[0].lm.objid_fdp);

	/* ErrLGIRedoMergePath, top-down */
	for (size_t i = 0; i < n; i++) {
		lv[i].dbtime_before = lv[i].lm.page.dbtime_before;
		if (i + 1 < n)
			lv[i].dbtime_before = lv[i + 1].lm.dbtime_parent_before;
		err = jr_rd_access(rd, lv[i].lm.page.pgno, false, &lv[i].pg,
				   ei);
		if (err < 0)
			goto free_levels;
	}

	/* ErrLGRIRedoInitializeMerge (leaf) */
	{
		const lr_merge *m = &leaf->lm;
		bool redo_dest = false;

		err = jr_rd_check(rd, &leaf->pg, m->page.dbtime_before, dbtime,
				  ei);
		if (err < 0)
			goto free_levels;
		if (m->pgno_left) {
			err = jr_rd_access_check(rd, m->pgno_left,
						 m->dbtime_left_before, dbtime,
						 &left, ei);
			if (err < 0)
				goto free_levels;
		}
		if (m->pgno_right) {
			err = jr_rd_access_check(rd, m->pgno_right,
						 m->dbtime_right_before, dbtime,
						 &right, ei);
			if (err < 0)
				goto free_levels;
		}
		if (jr_merge_moves(m->mergetype)) {
			dest = jr_merge_right(m->mergetype) ? &right : &left;
			redo_dest = dest->page && dest->redo;
		}
		if (redo_dest && !m->preimage.len) {
			/* ESE requires the image whenever the destination is
			 * redone (ErrLGRIRedoInitializeMerge) */
			err = jr_rd_fail(rd, ei,
				JET_errDatabaseBufferDependenciesCorrupted,
				"merge of page %u into %u without the page's "
				"image", m->page.pgno, dest->pgno);
			goto free_levels;
		}
		if (redo_dest && !leaf->pg.redo) {
			if (!m->preimage.len) {
				err = jr_rd_fail(rd, ei,
					JET_errDatabaseBufferDependenciesCorrupted,
					"merge of page %u into %u needs the "
					"page's image, the log has none",
					m->page.pgno, dest->pgno);
				goto free_levels;
			}
			leaf->preimage = g_malloc(rd->o.page_size);
			err = lr_preimage_expand(m->preimage_flags, m->preimage,
						 leaf->preimage,
						 rd->o.page_size, ei);
			if (err < 0)
				goto free_levels;
			jr_rd_use_preimage(rd, &leaf->pg, leaf->preimage,
					   m->page.dbtime_before);
		}
		if (leaf->pg.redo) {
			const uint8_t *pfx = NULL;
			uint16_t cb_pfx = 0;

			clines = ese_page_line_count(&rd->lay, leaf->pg.page);
			li = g_new0(jr_merge_line, clines ? clines : 1);
			cap = 2 * (size_t)rd->o.page_size;
			arena = g_malloc(cap);
			if (redo_dest) {
				err = ese_node_page_prefix(&rd->lay, dest->page,
							   &pfx, &cb_pfx, ei);
				if (err < 0)
					goto free_levels;
			}
			for (unsigned i = 0; i < clines; i++) {
				uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
				jr_kdf k;

				err = jr_nd_get(&rd->lay, leaf->pg.page, i, kb,
						sizeof(kb), &k, ei);
				if (err < 0)
					goto free_levels;
				if (used + k.cb_key + k.cb_data > cap) {
					err = jr_rd_fail(rd, ei,
						JET_errDatabaseCorrupted,
						"merged page %u holds more "
						"than a page", leaf->pg.pgno);
					goto free_levels;
				}
				li[i].key = arena + used;
				memcpy(li[i].key, k.key, k.cb_key);
				used += k.cb_key;
				li[i].cb_key = k.cb_key;
				li[i].data = arena + used;
				memcpy(arena + used, k.data, k.cb_data);
				used += k.cb_data;
				li[i].cb_data = k.cb_data;
				li[i].flags = k.flags;
				if (redo_dest) {
					uint16_t c = jr_nd_common(k.key,
								  k.cb_key,
								  pfx, cb_pfx);

					li[i].cb_prefix =
						c > JR_ND_KEYCOUNT ? c : 0;
				}
			}
		}
	}

	/* ErrLGIRedoMergeUpgradeLatches: the levels above the leaf */
	for (size_t i = 0; i + 1 < n; i++) {
		err = jr_rd_check(rd, &lv[i].pg, lv[i].dbtime_before, dbtime,
				  ei);
		if (err < 0)
			goto free_levels;
	}

	/* BTIPerformMerge, top-down */
	for (size_t i = 0; i < n; i++) {
		rd->at = recs[i].at;
		if (lv[i].pg.redo)
			any = true;
		if (i + 1 < n) {
			err = jr_merge_internal(rd, &lv[i], leaf,
						lv[i + 1].lm.page.pgno, ei);
			if (err < 0)
				goto free_levels;
		}
	}
	{
		const lr_merge *m = &leaf->lm;

		if (left.redo || right.redo)
			any = true;
		/* BTIMergeMoveNodes */
		if (dest && dest->page && dest->redo && leaf->pg.redo) {
			const bool to_right = jr_merge_right(m->mergetype);
			int lo = to_right ? m->iline_merge : 0;
			int hi = to_right ? (int)clines : m->iline_merge + 1;
			unsigned at = to_right ? 0
					       : ese_page_line_count(&rd->lay,
								     dest->page);

			if (hi > (int)clines) {
				err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						 "merge line %u of %u",
						 m->iline_merge, clines);
				goto free_levels;
			}
			for (int i = hi - 1; i >= lo; i--) {
				if (li[i].flags & JR_ND_DELETED)
					continue;
				err = jr_nd_insert(&rd->lay, dest->page, at,
						   li[i].key, li[i].cb_key,
						   li[i].cb_prefix, li[i].data,
						   li[i].cb_data, li[i].flags,
						   ei);
				if (err < 0)
					goto free_levels;
			}
			err = ese_page_set_uncommitted_free(dest->page,
							    m->cb_unc_free_dest,
							    ei);
			if (err < 0)
				goto free_levels;
			dest->dirty = true;
		}
		/* BTIMergeDeleteFlagDeletedNodes: the nodes that moved */
		if (leaf->pg.redo) {
			leaf->pg.dirty = true;
			for (int i = (int)clines - 1; i >= 0; i--) {
				bool moved =
					(m->mergetype == LR_MERGE_PARTIAL_RIGHT &&
					 i >= m->iline_merge) ||
					(m->mergetype == LR_MERGE_PARTIAL_LEFT &&
					 i <= m->iline_merge);

				if (!moved)
					continue;
				err = jr_nd_delete(&rd->lay, leaf->pg.page,
						   (unsigned)i, ei);
				if (err < 0)
					goto free_levels;
			}
		}
		/* BTIMergeFixSiblings */
		if (m->mergetype != LR_MERGE_PARTIAL_RIGHT &&
		    m->mergetype != LR_MERGE_PARTIAL_LEFT) {
			if (m->pgno_left && left.redo) {
				ese_page_set_pgno_next(left.page, m->pgno_right);
				left.dirty = true;
			}
			if (m->pgno_right && right.redo) {
				ese_page_set_pgno_prev(right.page, m->pgno_left);
				right.dirty = true;
			}
		}
		if ((m->merge_flags & LR_MERGE_EMPTY_PAGE) && leaf->pg.redo) {
			err = jr_rd_empty_page(rd, &leaf->pg, ei);
			if (err < 0)
				goto free_levels;
		}
	}
	jr_rd_count(rd, 63, any);

free_levels:
	for (size_t i = 0; i < n; i++) {
		if (lv[i].pg.redo)
			lv[i].pg.dirty = true;
		jr_rd_release(rd, &lv[i].pg, err < 0 ? 0 : dbtime);
		g_free(lv[i].preimage);
	}
	if (left.redo)
		left.dirty = true;
	if (right.redo)
		right.dirty = true;
	jr_rd_release(rd, &left, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &right, err < 0 ? 0 : dbtime);
	g_free(li);
	g_free(arena);
	g_free(lv);
	return err;
}
