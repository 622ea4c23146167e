/*
 * undo.c - rolling back what never committed (ESE's recovery undo: the
 * physical undo of ver.cxx, ErrVERIUndoInsertPhysical,
 * ErrVERIUndoReplacePhysical, ErrVERIUndoFlagDeletePhysical,
 * ErrVERIUndoDeltaPhysical).
 *
 * Two callers:
 *   - an Undo record in the log (the engine rolled back while logging):
 *     the node is the record's page and line;
 *   - the end of the logs (and engine restarts in them): every RCE of a
 *     transaction still open is undone, newest first. The node is found by
 *     its bookmark, on the page the change was made on when it is still
 *     there, otherwise by a descent of the tree from its root. Each undone
 *     change gives its page a new dbtime above every dbtime in the logs,
 *     as ESE's undo does when it logs its Undo records.
 *
 * Undo never versions (fDIRUndo = no log, no version, no dirty flags):
 *   insert      -> the node is flag-deleted
 *   flag delete -> the deleted flag is cleared
 *   replace     -> the node gets its before-image data back
 *   delta       -> the delta is subtracted
 */
#include <string.h>

#include "ese/node.h"
#include "ese/pagemut.h"
#include "recover/nodeop.h"
#include "recover/redo_int.h"
#include "util/bytes.h"

JET_ERR jr_undo_physical(jr_redo *rd, const jr_rce *rce, jr_pg *pg,
			 unsigned iline, jr_errinfo *ei)
{
	JET_ERR err;

	switch (rce->oper) {
	case JR_OPER_INSERT:
		err = jr_nd_set_flags(&rd->lay, pg->page, iline, JR_ND_DELETED,
				      0, ei);
		break;
	case JR_OPER_FLAG_DELETE:
		err = jr_nd_set_flags(&rd->lay, pg->page, iline, 0,
				      JR_ND_DELETED, ei);
		break;
	case JR_OPER_REPLACE: {
		uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
		uint8_t data[32768];
		jr_kdf cur;

		if (rce->deferred || !rce->before)
			return jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
					  "rolling back a replace on page %u "
					  "needs its before-image, which the "
					  "log does not hold", pg->pgno);
		err = jr_nd_get(&rd->lay, pg->page, iline, kb, sizeof(kb), &cur,
				ei);
		if (err < 0)
			return err;
		if (rce->cb_before > cur.cb_data) {
			err = jr_nd_make_room(pg->page,
					      rce->cb_before - cur.cb_data, ei);
			if (err < 0)
				return err;
		}
		memcpy(data, rce->before, rce->cb_before);
		err = jr_nd_replace(&rd->lay, pg->page, iline, data,
				    rce->cb_before, cur.flags, ei);
		break;
	}
	case JR_OPER_DELTA:
	case JR_OPER_DELTA64: {
		const bool is64 = rce->oper == JR_OPER_DELTA64;
		ese_node n;
		uint8_t *p;

		err = ese_node_get(&rd->lay, pg->page, iline, &n, ei);
		if (err < 0)
			return err;
		if ((unsigned)rce->cb_offset + (is64 ? 8u : 4u) > n.cb_data)
			return jr_rd_fail(rd, ei,
					  JET_errLogOperationInconsistentWithDatabase,
					  "undo of a delta at offset %u of %u "
					  "bytes", rce->cb_offset, n.cb_data);
		p = (uint8_t *)n.data + rce->cb_offset;
		if (is64)
			jr_put_le64(p, jr_le64(p) - (uint64_t)rce->delta);
		else
			jr_put_le32(p, jr_le32(p) - (uint32_t)(int32_t)rce->delta);
		break;
	}
	default:
		return jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
				  "undo of version operation %u is not "
				  "implemented", (unsigned)rce->oper);
	}
	if (err >= 0)
		pg->dirty = true;
	return err;
}

/* Compare a node with a bookmark (key, then data for non-unique trees):
 * ESE's CmpKeyData. */
static int jr_bm_cmp(const jr_kdf *n, const jr_rce *rce)
{
	int c = jr_nd_keycmp(n->key, n->cb_key, rce->bm_key, rce->cb_bm_key);

	if (c || rce->unique)
		return c;
	return jr_nd_keycmp(n->data, n->cb_data, rce->bm_data,
			    rce->cb_bm_data);
}

/* The line of a leaf holding the bookmark, or -1. */
static int jr_leaf_find(jr_redo *rd, const uint8_t *page, const jr_rce *rce,
			jr_errinfo *ei)
{
	unsigned clines = ese_page_line_count(&rd->lay, page);
	int lo = 0, hi = (int)clines - 1;
	uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		jr_kdf n;
		int c;

		if (jr_nd_get(&rd->lay, page, (unsigned)mid, kb, sizeof(kb), &n,
			      ei) < 0)
			return -2;
		c = jr_bm_cmp(&n, rce);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The child of an internal page whose subtree holds the bookmark
 * (IlineNDISeekGEQInternal with CmpKeyWithKeyData). */
static JET_ERR jr_internal_child(jr_redo *rd, const uint8_t *page,
				 const jr_rce *rce, uint32_t *child,
				 jr_errinfo *ei)
{
	unsigned clines = ese_page_line_count(&rd->lay, page);
	int first = 0, last = (int)clines - 1, mid = 0, cmp = 0;
	uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
	uint8_t bm[2 * (ESE_NODE_KEYLEN_MASK + 1)];
	size_t cb_bm = rce->cb_bm_key;
	jr_kdf n;
	JET_ERR err;

	if (clines == 0)
		return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
				  "empty internal page in tree %u",
				  rce->pgno_fdp);
	memcpy(bm, rce->bm_key, rce->cb_bm_key);
	if (!rce->unique && rce->cb_bm_data) {
		memcpy(bm + cb_bm, rce->bm_data, rce->cb_bm_data);
		cb_bm += rce->cb_bm_data;
	}
	while (first <= last) {
		mid = (first + last) / 2;
		err = jr_nd_get(&rd->lay, page, (unsigned)mid, kb, sizeof(kb),
				&n, ei);
		if (err < 0)
			return err;
		cmp = jr_nd_keycmp(n.key, n.cb_key, bm, (uint16_t)cb_bm);
		if (cmp < 0) {
			first = mid + 1;
		} else if (cmp == 0) {
			break;
		} else {
			last = mid;
			if (last == first)
				break;
		}
	}
	/* an exact separator: the node lives right of it */
	if (cmp == 0 && cb_bm > 0 && mid + 1 < (int)clines)
		mid++;
	err = jr_nd_get(&rd->lay, page, (unsigned)mid, kb, sizeof(kb), &n, ei);
	if (err < 0)
		return err;
	if (n.cb_data != 4)
		return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
				  "internal node of %u data bytes", n.cb_data);
	*child = jr_le32(n.data);
	return JET_errSuccess;
}

/* Find the page and line of rce's node; pg is left pinned. */
static JET_ERR jr_undo_locate(jr_redo *rd, const jr_rce *rce, jr_pg *pg,
			      unsigned *iline, jr_errinfo *ei)
{
	uint32_t pgno = rce->pgno_hint;
	JET_ERR err;
	int depth = 0;

	/* the page it was changed on, if the node is still there */
	err = jr_rd_access(rd, pgno, true, pg, ei);
	if (err < 0)
		return err;
	if (!ese_page_is_blank(&rd->lay, pg->page) &&
	    jr_le32(pg->page + ESE_PGHDR_OBJID_FDP) == rce->objid_fdp &&
	    (jr_le32(pg->page + ESE_PGHDR_FLAGS) & ESE_PGF_LEAF)) {
		int i = jr_leaf_find(rd, pg->page, rce, ei);

		if (i == -2)
			goto release;
		if (i >= 0) {
			*iline = (unsigned)i;
			return JET_errSuccess;
		}
	}
	jr_rd_release(rd, pg, 0);

	/* from the root down */
	pgno = rce->pgno_fdp;
	for (;;) {
		uint32_t flags;

		if (++depth > 64)
			return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
					  "tree %u deeper than 64 levels",
					  rce->pgno_fdp);
		err = jr_rd_access(rd, pgno, false, pg, ei);
		if (err < 0)
			return err;
		if (pg->skipped)
			return jr_rd_fail(rd, ei, JET_errRecoveryVerifyFailure,
					  "page %u of tree %u is blank",
					  pgno, rce->pgno_fdp);
		flags = jr_le32(pg->page + ESE_PGHDR_FLAGS);
		if (flags & ESE_PGF_LEAF) {
			int i = jr_leaf_find(rd, pg->page, rce, ei);

			if (i == -2)
				goto release;
			if (i < 0) {
				err = jr_rd_fail(rd, ei,
					JET_errRecoveryVerifyFailure,
					"the node to roll back is not in "
					"tree %u (leaf %u)", rce->pgno_fdp,
					pgno);
				goto release;
			}
			*iline = (unsigned)i;
			return JET_errSuccess;
		}
		err = jr_internal_child(rd, pg->page, rce, &pgno, ei);
		jr_rd_release(rd, pg, 0);
		if (err < 0)
			return err;
	}
release:
	jr_rd_release(rd, pg, 0);
	return ei && ei->err ? ei->err : JET_errDatabaseCorrupted;
}

JET_ERR jr_undo_rce(const jr_rce *rce, uint16_t procid, void *ctx,
		    jr_errinfo *ei)
{
	jr_redo *rd = ctx;
	unsigned iline = 0;
	jr_pg pg;
	JET_ERR err;

	(void)procid;
	if (rce->dbid != rd->dbid && rd->dbid != 0)
		return JET_errSuccess;
	err = jr_undo_locate(rd, rce, &pg, &iline, ei);
	if (err < 0) {
		jr_errinfo_prefix(ei, "undo of rceid %u", rce->rceid);
		return err;
	}
	pg.redo = true;
	err = jr_undo_physical(rd, rce, &pg, iline, ei);
	if (err >= 0) {
		rd->st.dbtime_max++;
		rd->st.rce_undone++;
		pg.dirty = true;
	}
	jr_rd_release(rd, &pg, err < 0 ? 0 : rd->st.dbtime_max);
	return err;
}
