/*
 * redo_split.c - redo of a page split (a macro of Split2 records, one per
 * tree level from the top down, and the leaf operation that caused it).
 *
 * ESE: ErrLGRIRedoSplit, ErrLGIRedoSplitStructures, ErrLGRIRedoSplitPath,
 * ErrLGRIRedoInitializeSplit, ErrLGIRedoSplitLineinfo (logredo.cxx) and
 * BTIPerformSplit, BTISplitMoveNodes, BTISplitBulkCopy,
 * BTISplitSetPrefixInSrcPage, BTIInsertPgnoNew(AndSetPgnoSplit),
 * BTISplitFixSiblings (bt.cxx).
 *
 * The "virtual lines" of a level: the split page's lines as they would be
 * with the operation applied (an insert adds a line at ilineOper, a
 * replace changes its data). Lines [0, ilineSplit) stay on the split page,
 * [ilineSplit, clines) move to the new page. Each virtual line carries the
 * number of its key bytes that the page prefix of its destination page
 * supplies (cbPrefix: the bytes shared with that page's new prefix, when
 * more than 2).
 */
#include <stdlib.h>
#include <string.h>

#include "ese/node.h"
#include "ese/pagemut.h"
#include "recover/nodeop.h"
#include "recover/redo_int.h"
#include "util/bytes.h"

#define JR_ILINE_INVALID (-1)

typedef struct {
	const uint8_t *key;
	uint16_t cb_key;
	const uint8_t *data;
	uint16_t cb_data;
	uint8_t flags;
	uint16_t cb_prefix;
} jr_lineinfo;

typedef struct jr_split_level {
	lr_split ls;
	const uint8_t *rec;          /* the stored record (ls points in it) */
	jr_pg src;                   /* the page of this level */
	jr_pg nw;                    /* the new page (has_split) */
	jr_pg right;                 /* the right sibling (leaf splits) */
	bool has_split;
	uint64_t dbtime_before;
	uint8_t le_pgno_split[4];    /* data of the separator for the parent */
	jr_lineinfo *li;             /* clines entries, or NULL */
	uint8_t *arena;              /* key and data copies of li */
	size_t arena_used, arena_cap;
	uint8_t *preimage;           /* page_size bytes when used */
} jr_split_level;

/* The leaf operation of the split. */
typedef struct {
	uint8_t lrtyp;               /* 0 when none */
	uint8_t key[ESE_NODE_KEYLEN_MASK + 1];
	uint16_t cb_key;
	bool has_key;
	const uint8_t *data;
	uint16_t cb_data;
	bool versioned;
	bool unique;
	uint32_t rceid1, rceid2;
	const lr_node_hdr *n;
	lr_record rec;
} jr_split_oper;

static const uint8_t *jr_arena_put(jr_split_level *lv, const uint8_t *p,
				   size_t cb)
{
	uint8_t *d;

	if (lv->arena_used + cb > lv->arena_cap)
		return NULL;
	d = lv->arena + lv->arena_used;
	if (cb)
		memcpy(d, p, cb);
	lv->arena_used += cb;
	return d;
}

/* FBTISplitPageBeforeImageRequired */
static bool jr_split_needs_preimage(const lr_split *s)
{
	switch (s->splittype) {
	case LR_SPLIT_APPEND:
		return false;
	case LR_SPLIT_RIGHT:
		return !(s->splitoper == LR_SPLITOPER_INSERT &&
			 s->iline_split == s->iline_oper &&
			 s->iline_split == s->clines - 1);
	default:
		return true;
	}
}

/* ErrLGRIRedoInitializeSplit: the new page, the pre-image, the right
 * sibling. lv->src is accessed and checked. */
static JET_ERR jr_split_init_level(jr_redo *rd, jr_split_level *lv,
				   jr_errinfo *ei)
{
	const lr_split *s = &lv->ls;
	const bool need_image = jr_split_needs_preimage(s);
	const bool has_image = s->preimage.len > 0;
	JET_ERR err;

	if (need_image && !has_image)
		return jr_rd_fail(rd, ei,
				  JET_errDatabaseBufferDependenciesCorrupted,
				  "split of page %u into %u needs the page's "
				  "image, the log has none",
				  s->page.pgno, s->pgno_new);
	err = jr_rd_access_new(rd, s->pgno_new, s->page.dbtime_after, &lv->nw,
			       ei);
	if (err < 0)
		return err;
	if (lv->nw.redo && !lv->src.redo && need_image && has_image) {
		/* The split page reached disk after the split, the new page
		 * did not: redo the split on the logged image of the split
		 * page (whose own result is thrown away). */
		lv->preimage = g_malloc(rd->o.page_size);
		err = lr_preimage_expand(s->preimage_flags, s->preimage,
					 lv->preimage, rd->o.page_size, ei);
		if (err < 0)
			return err;
		jr_rd_use_preimage(rd, &lv->src, lv->preimage,
				   s->page.dbtime_before);
	}
	if (lv->nw.redo) {
		uint32_t flags;

		jr_rd_preinit(rd, &lv->nw, s->objid_fdp,
			      s->page.dbtime_after - 1);
		flags = s->new_page_flags;
		err = ese_page_consume_preinit(&rd->lay, lv->nw.page, flags,
					       ei);
		if (err < 0)
			return err;
	} else {
		jr_rd_release(rd, &lv->nw, 0);
	}
	if (s->pgno_right) {
		err = jr_rd_access(rd, s->pgno_right, false, &lv->right, ei);
		if (err < 0)
			return err;
	}
	return JET_errSuccess;
}

/* ErrLGIRedoSplitLineinfo: the virtual lines of a level. kdf is the
 * operation's node: the leaf operation, or the separator the level below
 * inserts. */
static JET_ERR jr_split_lineinfo(jr_redo *rd, jr_split_level *lv,
				 const uint8_t *op_key, uint16_t op_cb_key,
				 const uint8_t *op_data, uint16_t op_cb_data,
				 jr_errinfo *ei)
{
	const lr_split *s = &lv->ls;
	const int clines = s->clines;
	const int iop = s->iline_oper;
	int from = 0;
	JET_ERR err;

	if (clines <= 0 || clines > 65535 || iop >= clines ||
	    s->iline_split > clines)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "split of %d lines at %d, operation at %d",
				  clines, s->iline_split, iop);
	lv->li = g_new0(jr_lineinfo, (size_t)clines);
	lv->arena_cap = 3 * (size_t)rd->o.page_size + 2 * 8192;
	lv->arena = g_malloc(lv->arena_cap);

	if (!lv->src.redo) {
		/* Only the new page is redone: it receives the operation's
		 * node alone (an append or a hotpoint split). */
		jr_lineinfo *l = &lv->li[iop];

		l->key = jr_arena_put(lv, op_key, op_cb_key);
		l->cb_key = op_cb_key;
		l->data = jr_arena_put(lv, op_data, op_cb_data);
		l->cb_data = op_cb_data;
		l->flags = 0;
		if (s->iline_prefix_new != JR_ILINE_INVALID)
			l->cb_prefix = op_cb_key;
		return JET_errSuccess;
	}

	for (int to = 0; to < clines; to++) {
		jr_lineinfo *l = &lv->li[to];
		uint8_t keybuf[ESE_NODE_KEYLEN_MASK + 1];
		jr_kdf n;

		if (to == iop && s->splitoper == LR_SPLITOPER_INSERT) {
			l->key = jr_arena_put(lv, op_key, op_cb_key);
			l->cb_key = op_cb_key;
			l->data = jr_arena_put(lv, op_data, op_cb_data);
			l->cb_data = op_cb_data;
			l->flags = 0;
			continue;
		}
		err = jr_nd_get(&rd->lay, lv->src.page, (unsigned)from, keybuf,
				sizeof(keybuf), &n, ei);
		if (err < 0)
			return err;
		l->key = jr_arena_put(lv, n.key, n.cb_key);
		l->cb_key = n.cb_key;
		l->flags = n.flags;
		if (to == iop && s->splitoper != LR_SPLITOPER_NONE) {
			l->data = jr_arena_put(lv, op_data, op_cb_data);
			l->cb_data = op_cb_data;
		} else {
			l->data = jr_arena_put(lv, n.data, n.cb_data);
			l->cb_data = n.cb_data;
		}
		if ((n.cb_key && !l->key) || (l->cb_data && !l->data))
			return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
					  "split page %u holds more than a page",
					  s->page.pgno);
		from++;
	}

	/* prefixes of the lines that stay */
	if (s->iline_prefix_split != JR_ILINE_INVALID) {
		const uint8_t *pfx = s->prefix_split_new.p;
		uint16_t cb = (uint16_t)s->prefix_split_new.len;

		for (int i = 0; i < s->iline_split; i++) {
			uint16_t c = jr_nd_common(pfx, cb, lv->li[i].key,
						  lv->li[i].cb_key);

			lv->li[i].cb_prefix = c > JR_ND_KEYCOUNT ? c : 0;
		}
	}
	/* prefixes of the lines that move */
	if (lv->nw.redo && s->iline_prefix_new != JR_ILINE_INVALID) {
		int ip = s->iline_split + s->iline_prefix_new;
		const jr_lineinfo *pl;

		if (ip < 0 || ip >= clines)
			return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					  "split prefix line %d of %d", ip,
					  clines);
		pl = &lv->li[ip];
		for (int i = s->iline_split; i < clines; i++) {
			uint16_t c = jr_nd_common(pl->key, pl->cb_key,
						  lv->li[i].key,
						  lv->li[i].cb_key);

			lv->li[i].cb_prefix = c > JR_ND_KEYCOUNT ? c : 0;
		}
	}
	return JET_errSuccess;
}

/* PlineinfoFromIline: the virtual line of split-page line iline after
 * the lines moved (an insert shifts the lines after it). */
static const jr_lineinfo *jr_split_li_of(const jr_split_level *lv, int iline)
{
	const lr_split *s = &lv->ls;

	if (iline < 0 || iline >= s->clines)
		return NULL;
	if (s->splitoper != LR_SPLITOPER_INSERT || iline < s->iline_oper)
		return &lv->li[iline];
	if (iline + 1 >= s->clines)
		return NULL;
	return &lv->li[iline + 1];
}

static JET_ERR jr_split_bulk_copy(jr_redo *rd, jr_split_level *lv, int first,
				  int count, unsigned *dest_iline,
				  jr_errinfo *ei)
{
	if (!lv->nw.redo)
		return JET_errSuccess;
	for (int i = first; i < first + count; i++) {
		const jr_lineinfo *l = &lv->li[i];
		JET_ERR err = jr_nd_insert(&rd->lay, lv->nw.page, *dest_iline,
					   l->key, l->cb_key, l->cb_prefix,
					   l->data, l->cb_data, l->flags, ei);

		if (err < 0)
			return err;
		(*dest_iline)++;
	}
	return JET_errSuccess;
}

/* NDBulkDelete: delete count lines from iline on, from the end. */
static JET_ERR jr_split_bulk_delete(jr_redo *rd, jr_pg *pg, int iline,
				    int count, jr_errinfo *ei)
{
	if (!pg->redo)
		return JET_errSuccess;
	if (iline + count != (int)ese_page_line_count(&rd->lay, pg->page))
		return jr_rd_fail(rd, ei,
				  JET_errLogOperationInconsistentWithDatabase,
				  "split page %u: %d lines from %d are not the "
				  "last lines", pg->pgno, count, iline);
	for (int i = iline + count - 1; i >= iline; i--) {
		JET_ERR err = jr_nd_delete(&rd->lay, pg->page, (unsigned)i, ei);

		if (err < 0)
			return err;
	}
	return JET_errSuccess;
}

/* BTISplitSetPrefixInSrcPage */
static JET_ERR jr_split_src_prefix(jr_redo *rd, jr_split_level *lv,
				   jr_errinfo *ei)
{
	const lr_split *s = &lv->ls;
	jr_pg *pg = &lv->src;
	unsigned clines;
	JET_ERR err;

	if (!pg->redo)
		return JET_errSuccess;
	clines = ese_page_line_count(&rd->lay, pg->page);
	if (s->prefix_split_old.len > 0) {
		err = jr_nd_set_prefix(&rd->lay, pg->page, NULL, 0, ei);
		if (err < 0)
			return err;
	}
	/* lines whose prefix grows (they shrink) first, then the others */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < clines; i++) {
			const jr_lineinfo *l = jr_split_li_of(lv, (int)i);
			jr_nd_raw n;

			if (!l)
				return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						  "split page %u line %u has "
						  "no virtual line", pg->pgno,
						  i);
			err = jr_nd_get_raw(&rd->lay, pg->page, i, &n, ei);
			if (err < 0)
				return err;
			if ((pass == 0 && l->cb_prefix > n.cb_prefix) ||
			    (pass == 1 && l->cb_prefix < n.cb_prefix)) {
				err = jr_nd_recompress(&rd->lay, pg->page, i,
						       l->key, l->cb_key,
						       l->cb_prefix, ei);
				if (err < 0)
					return err;
			}
		}
	}
	return jr_nd_set_prefix(&rd->lay, pg->page, s->prefix_split_new.p,
				(uint16_t)s->prefix_split_new.len, ei);
}

/* BTISplitMoveNodes */
static JET_ERR jr_split_move(jr_redo *rd, jr_split_level *lv,
			     const jr_split_oper *op, jr_errinfo *ei)
{
	const lr_split *s = &lv->ls;
	const int c_ins = s->splitoper == LR_SPLITOPER_INSERT ? 1 : 0;
	const jr_lineinfo *lop = &lv->li[s->iline_oper];
	const bool leaf = (s->new_page_flags & ESE_PGF_LEAF) != 0;
	const bool version = op && op->versioned && leaf;
	unsigned dest = 0;
	JET_ERR err;

	/* prefix of the new page */
	if (s->iline_prefix_new != JR_ILINE_INVALID && lv->nw.redo) {
		const jr_lineinfo *pl =
			&lv->li[s->iline_split + s->iline_prefix_new];

		err = jr_nd_set_prefix(&rd->lay, lv->nw.page, pl->key,
				       pl->cb_key, ei);
		if (err < 0)
			return err;
	}

	if (s->splitoper != LR_SPLITOPER_NONE &&
	    s->iline_oper >= s->iline_split) {
		/* the operation lands on the new page */
		err = jr_split_bulk_copy(rd, lv, s->iline_split,
					 s->iline_oper - s->iline_split, &dest,
					 ei);
		if (err < 0)
			return err;
		if (lv->nw.redo) {
			uint8_t flags = s->splitoper == LR_SPLITOPER_INSERT
						? 0 : lop->flags;

			if (s->splitoper == LR_SPLITOPER_FLAG_INSERT_REPLACE)
				flags &= (uint8_t)~JR_ND_DELETED;
			if (version)
				flags |= JR_ND_VERSION;
			err = jr_nd_insert(&rd->lay, lv->nw.page, dest,
					   lop->key, lop->cb_key,
					   lop->cb_prefix, lop->data,
					   lop->cb_data, flags, ei);
			if (err < 0)
				return err;
		}
		dest++;
		err = jr_split_bulk_copy(rd, lv, s->iline_oper + 1,
					 s->clines - s->iline_oper - 1, &dest,
					 ei);
		if (err < 0)
			return err;
		err = jr_split_bulk_delete(rd, &lv->src, s->iline_split,
					   s->clines - s->iline_split - c_ins,
					   ei);
		if (err < 0)
			return err;
		if (s->splittype != LR_SPLIT_APPEND) {
			err = jr_split_src_prefix(rd, lv, ei);
			if (err < 0)
				return err;
		}
	} else {
		/* the operation (if any) stays on the split page */
		err = jr_split_bulk_copy(rd, lv, s->iline_split,
					 s->clines - s->iline_split, &dest, ei);
		if (err < 0)
			return err;
		err = jr_split_bulk_delete(rd, &lv->src,
					   s->iline_split - c_ins,
					   s->clines - s->iline_split, ei);
		if (err < 0)
			return err;
		err = jr_split_src_prefix(rd, lv, ei);
		if (err < 0)
			return err;
		if (lv->src.redo && s->splitoper != LR_SPLITOPER_NONE) {
			uint8_t flags = 0;

			if (s->splitoper != LR_SPLITOPER_INSERT) {
				/* replace by delete and re-insert, the key
				 * of the node as it was */
				err = jr_nd_delete(&rd->lay, lv->src.page,
						   s->iline_oper, ei);
				if (err < 0)
					return err;
			}
			if (version)
				flags |= JR_ND_VERSION;
			err = jr_nd_insert(&rd->lay, lv->src.page,
					   s->iline_oper, lop->key,
					   lop->cb_key, lop->cb_prefix,
					   lop->data, lop->cb_data, flags, ei);
			if (err < 0)
				return err;
		}
	}

	if (leaf) {
		if (lv->nw.redo) {
			err = ese_page_set_uncommitted_free(
				lv->nw.page, (unsigned)(uint16_t)s->cb_unc_free_dest,
				ei);
			if (err < 0)
				return err;
		}
		if (lv->src.redo) {
			err = ese_page_set_uncommitted_free(
				lv->src.page, (unsigned)(uint16_t)s->cb_unc_free_src,
				ei);
			if (err < 0)
				return err;
		}
	}
	return JET_errSuccess;
}

static JET_ERR jr_split_set_child(jr_redo *rd, jr_pg *pg, unsigned iline,
				  uint32_t pgno, jr_errinfo *ei);

/* Seek the first node of an internal page not below key
 * (IlineNDISeekGEQInternal, keys compared with ESE's CmpKeyWithKeyData
 * with no data). *exact when a node's key equals key. */
static JET_ERR jr_seek_internal(jr_redo *rd, const uint8_t *page,
				const uint8_t *key, uint16_t cb_key,
				unsigned *iline, bool *exact, jr_errinfo *ei)
{
	unsigned clines = ese_page_line_count(&rd->lay, page);
	int first = 0, last = (int)clines - 1, mid = 0, cmp = 0;
	uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];

	if (clines == 0)
		return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
				  "seek on an empty internal page");
	while (first <= last) {
		jr_kdf n;
		JET_ERR err;

		mid = (first + last) / 2;
		err = jr_nd_get(&rd->lay, page, (unsigned)mid, kb, sizeof(kb),
				&n, ei);
		if (err < 0)
			return err;
		cmp = jr_nd_keycmp(n.key, n.cb_key, key, cb_key);
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
	*exact = (cmp == 0 && cb_key > 0);
	*iline = (unsigned)mid;
	return JET_errSuccess;
}

/* BTIInsertPgnoNewAndSetPgnoSplit: a level that does not split receives
 * the separator of the level below, and the node after it points to the
 * new page. */
static JET_ERR jr_split_insert_separator(jr_redo *rd, jr_split_level *lv,
					 const jr_split_level *child,
					 jr_errinfo *ei)
{
	const lr_split *cs = &child->ls;
	const uint8_t *pfx;
	uint16_t cb_pfx, common;
	unsigned iline;
	bool exact;
	JET_ERR err;

	if (!lv->src.redo)
		return JET_errSuccess;
	err = jr_seek_internal(rd, lv->src.page, cs->key_parent.p,
			       (uint16_t)cs->key_parent.len, &iline, &exact,
			       ei);
	if (err < 0)
		return err;
	if (exact)
		return jr_rd_fail(rd, ei,
				  JET_errLogOperationInconsistentWithDatabase,
				  "page %u already has the separator the "
				  "split of page %u inserts", lv->src.pgno,
				  cs->page.pgno);
	err = ese_node_page_prefix(&rd->lay, lv->src.page, &pfx, &cb_pfx, ei);
	if (err < 0)
		return err;
	common = jr_nd_common(cs->key_parent.p, (uint16_t)cs->key_parent.len,
			      pfx, cb_pfx);
	if (common <= JR_ND_KEYCOUNT)
		common = 0;
	err = jr_nd_insert(&rd->lay, lv->src.page, iline, cs->key_parent.p,
			   (uint16_t)cs->key_parent.len, common,
			   child->le_pgno_split, 4, 0, ei);
	if (err < 0)
		return err;
	return jr_split_set_child(rd, &lv->src, iline + 1, cs->pgno_new, ei);
}

/* NDReplace of an internal node's page number, keeping its flags. */
static JET_ERR jr_split_set_child(jr_redo *rd, jr_pg *pg, unsigned iline,
				  uint32_t pgno, jr_errinfo *ei)
{
	ese_line line;
	uint8_t le[4];
	JET_ERR err;

	err = ese_page_line(&rd->lay, pg->page, iline, &line, ei);
	if (err < 0)
		return err;
	jr_put_le32(le, pgno);
	return jr_nd_replace(&rd->lay, pg->page, iline, le, 4, line.flags, ei);
}

/* BTIInsertPgnoNew: after a level's split, the node following ilineOper
 * (which points to the page split one level down) points to that level's
 * new page. */
static JET_ERR jr_split_link_child(jr_redo *rd, jr_split_level *lv,
				   const jr_split_level *child,
				   jr_errinfo *ei)
{
	const lr_split *s = &lv->ls;
	int target = s->iline_oper + 1;

	if (target >= s->iline_split) {
		if (!lv->nw.redo)
			return JET_errSuccess;
		return jr_split_set_child(rd, &lv->nw,
					  (unsigned)(target - s->iline_split),
					  child->ls.pgno_new, ei);
	}
	if (!lv->src.redo)
		return JET_errSuccess;
	return jr_split_set_child(rd, &lv->src, (unsigned)target,
				  child->ls.pgno_new, ei);
}

/* BTISplitFixSiblings */
static void jr_split_fix_siblings(jr_split_level *lv)
{
	const lr_split *s = &lv->ls;

	if (lv->nw.redo)
		ese_page_set_pgno_prev(lv->nw.page, s->page.pgno);
	if (lv->src.redo)
		ese_page_set_pgno_next(lv->src.page, s->pgno_new);
	if (s->pgno_right) {
		if (lv->right.redo) {
			ese_page_set_pgno_prev(lv->right.page, s->pgno_new);
			lv->right.dirty = true;
		}
		if (lv->nw.redo)
			ese_page_set_pgno_next(lv->nw.page, s->pgno_right);
	}
}

/* BTIPerformSplit for one level. */
static JET_ERR jr_split_perform_level(jr_redo *rd, jr_split_level *lv,
				      jr_split_level *child,
				      const jr_split_oper *op, jr_errinfo *ei)
{
	const lr_split *s = &lv->ls;
	JET_ERR err;

	if (!lv->has_split)
		return jr_split_insert_separator(rd, lv, child, ei);

	if (s->splittype == LR_SPLIT_VERTICAL) {
		err = jr_split_move(rd, lv, op, ei);
		if (err < 0)
			return err;
		if (lv->src.redo) {
			uint32_t old = jr_le32(lv->src.page + ESE_PGHDR_FLAGS);
			uint32_t flags = s->split_page_flags;
			uint8_t le_new[4];

			/* the flush type and FDP-delete bits of the root
			 * stay; the rest comes from the record */
			if (old & ESE_PGF_FDP_DELETE)
				flags |= ESE_PGF_FDP_DELETE;
			ese_page_set_flags(lv->src.page, flags);
			if (ese_page_line_count(&rd->lay, lv->src.page) != 0)
				return jr_rd_fail(rd, ei,
					JET_errLogOperationInconsistentWithDatabase,
					"root %u keeps lines after a vertical "
					"split", lv->src.pgno);
			jr_put_le32(le_new, s->pgno_new);
			err = jr_nd_insert(&rd->lay, lv->src.page, 0, le_new,
					   0, 0, le_new, 4, 0, ei);
			if (err < 0)
				return err;
		}
		if (child && child->has_split)
			return jr_split_link_child(rd, lv, child, ei);
		return JET_errSuccess;
	}

	err = jr_split_move(rd, lv, op, ei);
	if (err < 0)
		return err;
	if (s->new_page_flags & ESE_PGF_LEAF) {
		jr_split_fix_siblings(lv);
		return JET_errSuccess;
	}
	if (!child)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "internal split of page %u has no level below",
				  s->page.pgno);
	return jr_split_link_child(rd, lv, child, ei);
}

static void jr_split_level_free(jr_redo *rd, jr_split_level *lv,
				uint64_t dbtime)
{
	if (lv->src.redo)
		lv->src.dirty = true;
	if (lv->nw.redo)
		lv->nw.dirty = true;
	if (lv->right.redo)
		lv->right.dirty = true;
	jr_rd_release(rd, &lv->src, dbtime);
	jr_rd_release(rd, &lv->nw, dbtime);
	jr_rd_release(rd, &lv->right, dbtime);
	g_free(lv->li);
	g_free(lv->arena);
	g_free(lv->preimage);
}

/* The leaf operation recorded in the macro after the Split2 records. */
static JET_ERR jr_split_oper_decode(jr_redo *rd, const jr_macro_rec *mr,
				    jr_split_oper *op, jr_errinfo *ei)
{
	JET_ERR err = lr_decode(mr->rec, mr->len, &op->rec, ei);
	const lr_record *r = &op->rec;

	if (err < 0)
		return err;
	op->lrtyp = r->lrtyp;
	switch (r->lrtyp) {
	case 29: {
		const lr_insert *ins = &r->u.insert;
		size_t cb = (size_t)ins->key_prefix.len + ins->key_suffix.len;

		if (cb > sizeof(op->key))
			return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					  "split insert key of %zu bytes", cb);
		memcpy(op->key, ins->key_prefix.p, ins->key_prefix.len);
		memcpy(op->key + ins->key_prefix.len, ins->key_suffix.p,
		       ins->key_suffix.len);
		op->cb_key = (uint16_t)cb;
		op->has_key = true;
		op->data = ins->data.p;
		op->cb_data = (uint16_t)ins->data.len;
		op->rceid1 = ins->n.rceid;
		op->n = &ins->n;
		break;
	}
	case 31: {
		const lr_flag_insert_replace *f = &r->u.flag_insert_replace;

		memcpy(op->key, f->key.p, f->key.len);
		op->cb_key = (uint16_t)f->key.len;
		op->has_key = true;
		op->data = f->data.p;
		op->cb_data = (uint16_t)f->data.len;
		op->rceid1 = f->n.rceid;
		op->rceid2 = f->rceid_replace;
		op->n = &f->n;
		break;
	}
	case 33:
		if (r->u.replace.diff)
			return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					  "a split carries a delta Replace");
		op->data = r->u.replace.data.p;
		op->cb_data = (uint16_t)r->u.replace.data.len;
		op->rceid1 = r->u.replace.n.rceid;
		op->n = &r->u.replace.n;
		break;
	default:
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "split macro holds a %s record",
				  ese_lrtyp_name(r->lrtyp));
	}
	op->versioned = (op->n->page.flags & LR_PAGE_VERSIONED) != 0;
	op->unique = (op->n->page.flags & LR_PAGE_UNIQUE) != 0;
	return JET_errSuccess;
}

/* Versions of the operation done with the split
 * (ErrLGIRedoSplitCreateVersion). */
static JET_ERR jr_split_versions(jr_redo *rd, jr_split_level *leaf,
				 const jr_split_oper *op, jr_errinfo *ei)
{
	const lr_split *s = &leaf->ls;
	const bool oper_redo = s->iline_oper < s->iline_split
				       ? leaf->src.redo : leaf->nw.redo;
	jr_rce r;
	JET_ERR err;

	memset(&r, 0, sizeof(r));
	r.level = op->n->page.level;
	r.dbid = op->n->page.dbid;
	r.pgno_fdp = op->n->pgno_fdp;
	r.objid_fdp = op->n->objid_fdp;
	r.unique = op->unique;
	r.space = (op->n->page.flags & LR_PAGE_SPACE) != 0;
	r.pgno_hint = s->page.pgno;

	if (s->splitoper == LR_SPLITOPER_REPLACE) {
		const jr_lineinfo *l = &leaf->li[s->iline_oper];
		uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
		jr_kdf cur;

		if (!oper_redo) /* the UndoInfo will give it if needed */
			return JET_errSuccess;
		err = jr_nd_get(&rd->lay, leaf->src.page, s->iline_oper, kb,
				sizeof(kb), &cur, ei);
		if (err < 0)
			return err;
		r.rceid = op->rceid1;
		r.oper = JR_OPER_REPLACE;
		r.bm_key = (uint8_t *)l->key;
		r.cb_bm_key = l->cb_key;
		r.before = (uint8_t *)cur.data;
		r.cb_before = cur.cb_data;
		return jr_trx_rce_add(rd->trx, op->n->page.procid, &r, ei);
	}
	r.rceid = op->rceid1;
	r.oper = JR_OPER_INSERT;
	r.bm_key = (uint8_t *)op->key;
	r.cb_bm_key = op->cb_key;
	if (!op->unique) {
		r.bm_data = (uint8_t *)op->data;
		r.cb_bm_data = op->cb_data;
	}
	err = jr_trx_rce_add(rd->trx, op->n->page.procid, &r, ei);
	if (err < 0 || s->splitoper != LR_SPLITOPER_FLAG_INSERT_REPLACE ||
	    !oper_redo)
		return err;
	{
		uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
		jr_kdf cur;

		err = jr_nd_get(&rd->lay, leaf->src.page, s->iline_oper, kb,
				sizeof(kb), &cur, ei);
		if (err < 0)
			return err;
		r.rceid = op->rceid2;
		r.oper = JR_OPER_REPLACE;
		r.before = (uint8_t *)cur.data;
		r.cb_before = cur.cb_data;
		return jr_trx_rce_add(rd->trx, op->n->page.procid, &r, ei);
	}
}

JET_ERR jr_redo_split(jr_redo *rd, const jr_macro_rec *recs, size_t n,
		      jr_errinfo *ei)
{
	jr_split_level *lv = g_new0(jr_split_level, n);
	jr_split_oper *op = NULL;
	size_t nlev = 0;
	uint64_t dbtime = 0;
	uint8_t lrtyp = 62;
	bool any = false;
	JET_ERR err = JET_errSuccess;

	/* decode: Split2 records top-down, then the leaf operation */
	for (size_t i = 0; i < n; i++) {
		lr_record r;

		rd->at = recs[i].at;
		if (recs[i].rec[0] != 62) {
			if (op || i + 1 != n) {
				err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						 "unexpected %s in a split "
						 "macro",
						 ese_lrtyp_name(recs[i].rec[0]));
				goto free_levels;
			}
			op = g_new0(jr_split_oper, 1);
			err = jr_split_oper_decode(rd, &recs[i], op, ei);
			if (err < 0)
				goto free_levels;
			continue;
		}
		err = lr_decode(recs[i].rec, recs[i].len, &r, ei);
		if (err < 0)
			goto free_levels;
		lv[nlev].ls = r.u.split;
		lv[nlev].rec = recs[i].rec;
		lv[nlev].has_split = r.u.split.pgno_new != 0;
		jr_put_le32(lv[nlev].le_pgno_split, r.u.split.page.pgno);
		if (nlev == 0)
			dbtime = r.u.split.page.dbtime_after;
		else if (r.u.split.page.dbtime_after != dbtime) {
			err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					 "split levels of different dbtimes");
			goto free_levels;
		}
		nlev++;
	}
	if (nlev == 0 || !lv[nlev - 1].has_split) {
		err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				 "split macro without a splitting leaf level");
		goto free_levels;
	}
	rd->at = recs[0].at;
	if (!jr_rd_for_us(rd, lv[0].ls.page.dbid)) {
		jr_rd_count(rd, lrtyp, false);
		goto free_levels;
	}
	jr_rd_counters(rd, dbtime, lv[0].ls.objid_fdp);

	/* pages: access, check, new pages, pre-images (top-down) */
	for (size_t i = 0; i < nlev; i++) {
		jr_split_level *l = &lv[i];

		l->dbtime_before = l->ls.page.dbtime_before;
		if (i + 1 < nlev)
			l->dbtime_before = lv[i + 1].ls.dbtime_parent_before;
		err = jr_rd_access(rd, l->ls.page.pgno, false, &l->src, ei);
		if (err < 0)
			goto free_levels;
		err = jr_rd_check(rd, &l->src, l->ls.page.dbtime_before,
				  dbtime, ei);
		if (err < 0)
			goto free_levels;
		if (l->has_split) {
			err = jr_split_init_level(rd, l, ei);
			if (err < 0)
				goto free_levels;
		}
	}
	/* the parent's dbtimeBefore as the level below logged it */
	for (size_t i = 0; i < nlev; i++) {
		jr_split_level *l = &lv[i];

		if (!l->src.scratch && l->dbtime_before != l->ls.page.dbtime_before) {
			err = jr_rd_check(rd, &l->src, l->dbtime_before, dbtime,
					  ei);
			if (err < 0)
				goto free_levels;
		}
		if (l->has_split && l->ls.pgno_right) {
			err = jr_rd_check(rd, &l->right,
					  l->ls.dbtime_right_before, dbtime,
					  ei);
			if (err < 0)
				goto free_levels;
		}
	}

	/* virtual lines, leaf first */
	for (size_t i = nlev; i-- > 0;) {
		jr_split_level *l = &lv[i];
		const uint8_t *k = NULL, *d = NULL;
		uint16_t ck = 0, cd = 0;

		if (!l->has_split || !(l->src.redo || l->nw.redo))
			continue;
		if (i + 1 == nlev) {
			if (op) {
				k = op->has_key ? op->key : NULL;
				ck = op->has_key ? op->cb_key : 0;
				d = op->data;
				cd = op->cb_data;
			}
		} else {
			k = lv[i + 1].ls.key_parent.p;
			ck = (uint16_t)lv[i + 1].ls.key_parent.len;
			d = lv[i + 1].le_pgno_split;
			cd = 4;
		}
		err = jr_split_lineinfo(rd, l, k, ck, d, cd, ei);
		if (err < 0)
			goto free_levels;
	}

	/* versions of the leaf operation */
	if (op && op->versioned && lv[nlev - 1].ls.splitoper != LR_SPLITOPER_NONE &&
	    lv[nlev - 1].li) {
		err = jr_split_versions(rd, &lv[nlev - 1], op, ei);
		if (err < 0)
			goto free_levels;
	} else if (op && op->versioned &&
		   lv[nlev - 1].ls.splitoper != LR_SPLITOPER_NONE &&
		   op->lrtyp != 33) {
		/* nothing redone: the insert still needs its version */
		jr_rce r;

		memset(&r, 0, sizeof(r));
		r.rceid = op->rceid1;
		r.oper = JR_OPER_INSERT;
		r.level = op->n->page.level;
		r.dbid = op->n->page.dbid;
		r.pgno_fdp = op->n->pgno_fdp;
		r.objid_fdp = op->n->objid_fdp;
		r.unique = op->unique;
		r.pgno_hint = lv[nlev - 1].ls.page.pgno;
		r.bm_key = op->key;
		r.cb_bm_key = op->cb_key;
		if (!op->unique) {
			r.bm_data = (uint8_t *)op->data;
			r.cb_bm_data = op->cb_data;
		}
		err = jr_trx_rce_add(rd->trx, op->n->page.procid, &r, ei);
		if (err < 0)
			goto free_levels;
	}

	/* BTIPerformSplit, top-down */
	for (size_t i = 0; i < nlev; i++) {
		jr_split_level *l = &lv[i];
		jr_split_level *child = i + 1 < nlev ? &lv[i + 1] : NULL;

		if (l->src.redo || l->nw.redo || l->right.redo)
			any = true;
		rd->at = recs[i].at;
		err = jr_split_perform_level(rd, l, child,
					     i + 1 == nlev ? op : NULL, ei);
		if (err < 0) {
			jr_errinfo_prefix(ei, "split of page %u (level %zu)",
					  l->ls.page.pgno, i);
			goto free_levels;
		}
	}
	jr_rd_count(rd, lrtyp, any);

free_levels:
	for (size_t i = 0; i < nlev; i++)
		jr_split_level_free(rd, &lv[i], err < 0 ? 0 : dbtime);
	g_free(lv);
	g_free(op);
	return err;
}
