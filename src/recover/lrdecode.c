/*
 * lrdecode.c - decoding of ESE log records into lr_record.
 *
 * The layouts and what redo does with each record are documented in
 * lrdecode.h. Each decoder reads at named offsets after checking that the
 * fixed part is present, then checks that the fixed part plus the sizes of
 * the variable tails add up to exactly the record's length.
 */
#include "recover/lrdecode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "recover/lrdecode_int.h"
#include "util/bytes.h"

/* ---------------------------------------------------------------------
 * Offsets of the shared heads
 * ------------------------------------------------------------------- */

/* LRPAGE_ */
#define PG_PROCID         1
#define PG_DBID           3
#define PG_PGNO           4
#define PG_DBTIME_AFTER   8
#define PG_DBTIME_BEFORE 16
#define PG_TRX           24
#define PG_LEVEL         28
#define PG_ILINE         29
#define PG_FLAGS         31
#define PG_SIZE          32

/* LRNODE_ */
#define ND_RCEID         32
#define ND_PGNO_FDP      36
#define ND_OBJID_FDP     40
#define ND_SIZE          44

/* LRIGNORED: lrtyp, then the count of bytes that follow */
#define IG_CB             1
#define IG_SIZE           5

#define DBMS_PATH_SIZE  261

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------- */

static JET_ERR corrupt(jr_errinfo *ei, uint8_t lrtyp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static JET_ERR corrupt(jr_errinfo *ei, uint8_t lrtyp, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return jr_fail(ei, JET_errLogFileCorrupt, "%s (lrtyp %u): %s",
		       ese_lrtyp_name(lrtyp), lrtyp, msg);
}

/* The fixed part must be there before any field is read. */
static JET_ERR need_fixed(const uint8_t *rec, size_t len, size_t fixed,
			  jr_errinfo *ei)
{
	if (len < fixed)
		return corrupt(ei, rec[0],
			       "record of %zu bytes is shorter than its %zu-byte fixed part",
			       len, fixed);
	return JET_errSuccess;
}

/* The fixed part plus the tails named in `fields` must be the record. */
static JET_ERR need_total(const uint8_t *rec, size_t len, size_t total,
			  const char *fields, jr_errinfo *ei)
{
	if (len != total)
		return corrupt(ei, rec[0],
			       "%s give %zu bytes but the record is %zu bytes",
			       fields, total, len);
	return JET_errSuccess;
}

static lr_bytes tail(const uint8_t *rec, size_t *at, uint32_t n)
{
	lr_bytes b = { rec + *at, n };

	*at += n;
	return b;
}

/* ---------------------------------------------------------------------
 * Heads
 * ------------------------------------------------------------------- */

static void read_page_hdr(const uint8_t *rec, lr_page_hdr *h)
{
	h->procid = jr_le16(rec + PG_PROCID);
	h->dbid = rec[PG_DBID];
	h->pgno = jr_le32(rec + PG_PGNO);
	h->dbtime_after = jr_le64(rec + PG_DBTIME_AFTER);
	h->dbtime_before = jr_le64(rec + PG_DBTIME_BEFORE);
	h->trx_begin0 = jr_le32(rec + PG_TRX);
	h->level = rec[PG_LEVEL];
	h->iline = jr_le16(rec + PG_ILINE);
	h->flags = rec[PG_FLAGS];
}

static void read_node_hdr(const uint8_t *rec, lr_node_hdr *n)
{
	read_page_hdr(rec, &n->page);
	n->rceid = jr_le32(rec + ND_RCEID);
	n->pgno_fdp = jr_le32(rec + ND_PGNO_FDP);
	n->objid_fdp = jr_le32(rec + ND_OBJID_FDP);
}

/* ---------------------------------------------------------------------
 * Node records
 * ------------------------------------------------------------------- */

static JET_ERR dec_insert(const uint8_t *rec, size_t len, lr_record *r,
			  jr_errinfo *ei)
{
	lr_insert *d = &r->u.insert;
	JET_ERR err = need_fixed(rec, len, 50, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb_suffix = jr_le16(rec + 44), cb_prefix = jr_le16(rec + 46);
	uint16_t cb_data = jr_le16(rec + 48);
	err = need_total(rec, len, 50 + (size_t)cb_prefix + cb_suffix + cb_data,
			 "cbPrefix + cbSuffix + cbData", ei);
	if (err < 0)
		return err;
	size_t at = 50;
	d->key_prefix = tail(rec, &at, cb_prefix);
	d->key_suffix = tail(rec, &at, cb_suffix);
	d->data = tail(rec, &at, cb_data);
	return JET_errSuccess;
}

static JET_ERR dec_flag_insert(const uint8_t *rec, size_t len, lr_record *r,
			       jr_errinfo *ei)
{
	lr_flag_insert *d = &r->u.flag_insert;
	JET_ERR err = need_fixed(rec, len, 48, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb_key = jr_le16(rec + 44), cb_data = jr_le16(rec + 46);
	err = need_total(rec, len, 48 + (size_t)cb_key + cb_data,
			 "cbKey + cbData", ei);
	if (err < 0)
		return err;
	size_t at = 48;
	d->key = tail(rec, &at, cb_key);
	d->data = tail(rec, &at, cb_data);
	return JET_errSuccess;
}

static JET_ERR dec_flag_insert_replace(const uint8_t *rec, size_t len,
				       lr_record *r, jr_errinfo *ei)
{
	lr_flag_insert_replace *d = &r->u.flag_insert_replace;
	JET_ERR err = need_fixed(rec, len, 52, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb_key = jr_le16(rec + 44), cb_data = jr_le16(rec + 46);
	d->rceid_replace = jr_le32(rec + 48);
	err = need_total(rec, len, 52 + (size_t)cb_key + cb_data,
			 "cbKey + cbData", ei);
	if (err < 0)
		return err;
	size_t at = 52;
	d->key = tail(rec, &at, cb_key);
	d->data = tail(rec, &at, cb_data);
	return JET_errSuccess;
}

static JET_ERR dec_node_only(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, ND_SIZE, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &r->u.node);
	return need_total(rec, len, ND_SIZE, "the fixed layout", ei);
}

static JET_ERR dec_replace(const uint8_t *rec, size_t len, lr_record *r,
			   jr_errinfo *ei)
{
	lr_replace *d = &r->u.replace;
	JET_ERR err = need_fixed(rec, len, 50, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb_raw = jr_le16(rec + 44);
	uint16_t cb = cb_raw & 0x7fff;
	d->diff = rec[0] == ESE_LRTYP_REPLACE_D;
	d->diff2 = (cb_raw & 0x8000) != 0;
	d->cb_old_data = jr_le16(rec + 46);
	d->cb_new_data = jr_le16(rec + 48);
	err = need_total(rec, len, 50 + (size_t)cb, "cb", ei);
	if (err < 0)
		return err;
	size_t at = 50;
	d->data = tail(rec, &at, cb);
	/* redo requires a full after image to have the announced size */
	if (!d->diff && cb != d->cb_new_data)
		return corrupt(ei, rec[0],
			       "after image of %u bytes but cbNewData %u", cb,
			       d->cb_new_data);
	if (!d->diff && d->diff2)
		return corrupt(ei, rec[0], "fDiff2 set on a full after image");
	return JET_errSuccess;
}

static JET_ERR dec_delta(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	lr_delta *d = &r->u.delta;
	bool is64 = rec[0] == ESE_LRTYP_DELTA64;
	size_t fixed = is64 ? 58 : 54;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	d->is64 = is64;
	uint16_t cb_key = jr_le16(rec + 44), cb_data = jr_le16(rec + 46);
	if (is64) {
		d->delta = (int64_t)jr_le64(rec + 48);
		d->cb_offset = jr_le16(rec + 56);
	} else {
		d->delta = (int32_t)jr_le32(rec + 48);
		d->cb_offset = jr_le16(rec + 52);
	}
	err = need_total(rec, len, fixed + (size_t)cb_key + cb_data,
			 "cbBookmarkKey + cbBookmarkData", ei);
	if (err < 0)
		return err;
	size_t at = fixed;
	d->bm_key = tail(rec, &at, cb_key);
	d->bm_data = tail(rec, &at, cb_data);
	return JET_errSuccess;
}

static JET_ERR dec_undo(const uint8_t *rec, size_t len, lr_record *r,
			jr_errinfo *ei)
{
	lr_undo *d = &r->u.undo;
	JET_ERR err = need_fixed(rec, len, 51, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb_key = jr_le16(rec + 44), cb_data = jr_le16(rec + 46);
	d->oper = jr_le16(rec + 48);
	d->level_undo = rec[50];
	err = need_total(rec, len, 51 + (size_t)cb_key + cb_data,
			 "cbBookmarkKey + cbBookmarkData", ei);
	if (err < 0)
		return err;
	size_t at = 51;
	d->bm_key = tail(rec, &at, cb_key);
	d->bm_data = tail(rec, &at, cb_data);
	return JET_errSuccess;
}

static JET_ERR dec_undo_info(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_undo_info *d = &r->u.undo_info;
	JET_ERR err = need_fixed(rec, len, 56, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb_key = jr_le16(rec + 44), cb_bmdata = jr_le16(rec + 46);
	d->oper = jr_le16(rec + 48);
	d->cb_max_size = (int16_t)jr_le16(rec + 50);
	d->cb_delta = (int16_t)jr_le16(rec + 52);
	uint16_t cb_data = jr_le16(rec + 54);
	err = need_total(rec, len, 56 + (size_t)cb_key + cb_bmdata + cb_data,
			 "cbBookmarkKey + cbBookmarkData + cbData", ei);
	if (err < 0)
		return err;
	size_t at = 56;
	d->bm_key = tail(rec, &at, cb_key);
	d->bm_data = tail(rec, &at, cb_bmdata);
	d->data = tail(rec, &at, cb_data);
	return JET_errSuccess;
}

static JET_ERR dec_set_ext_header(const uint8_t *rec, size_t len,
				  lr_record *r, jr_errinfo *ei)
{
	lr_set_ext_header *d = &r->u.set_ext_header;
	JET_ERR err = need_fixed(rec, len, 46, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb = jr_le16(rec + 44);
	err = need_total(rec, len, 46 + (size_t)cb, "cbData", ei);
	if (err < 0)
		return err;
	size_t at = 46;
	d->data = tail(rec, &at, cb);
	return JET_errSuccess;
}

static JET_ERR dec_scrub(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	lr_scrub *d = &r->u.scrub;
	JET_ERR err = need_fixed(rec, len, 54, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	d->scrub_flags = jr_le32(rec + 44);
	d->cscrub_oper = jr_le32(rec + 48);
	uint16_t cb = jr_le16(rec + 52);
	err = need_total(rec, len, 54 + (size_t)cb, "cbData", ei);
	if (err < 0)
		return err;
	size_t at = 54;
	d->data = tail(rec, &at, cb);
	if (d->cscrub_oper > cb)
		return corrupt(ei, rec[0],
			       "%u scrub operations in %u bytes of data",
			       d->cscrub_oper, cb);
	return JET_errSuccess;
}

#define EMPTYPAGE_SIZE 16

static JET_ERR dec_empty_tree(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	lr_empty_tree *d = &r->u.empty_tree;
	JET_ERR err = need_fixed(rec, len, 46, ei);
	if (err < 0)
		return err;
	read_node_hdr(rec, &d->n);
	uint16_t cb = jr_le16(rec + 44);
	err = need_total(rec, len, 46 + (size_t)cb, "cbEmptyPageList", ei);
	if (err < 0)
		return err;
	if (cb % EMPTYPAGE_SIZE != 0)
		return corrupt(ei, rec[0],
			       "cbEmptyPageList %u is not a multiple of %d",
			       cb, EMPTYPAGE_SIZE);
	size_t at = 46;
	d->list = tail(rec, &at, cb);
	d->count = cb / EMPTYPAGE_SIZE;
	return JET_errSuccess;
}

void lr_empty_tree_page(const lr_empty_tree *t, uint32_t i, lr_empty_page *out)
{
	const uint8_t *e = t->list.p + (size_t)i * EMPTYPAGE_SIZE;

	out->dbtime_before = jr_le64(e);
	out->pgno = jr_le32(e + 8);
	out->page_flags = jr_le32(e + 12);
}

/* ---------------------------------------------------------------------
 * Multi-page records
 * ------------------------------------------------------------------- */


static JET_ERR check_preimage(const uint8_t *rec, uint32_t flags,
			      uint32_t cb, jr_errinfo *ei)
{
	if (flags & ~(uint32_t)(LR_PREIMAGE_DEHYDRATED | LR_PREIMAGE_XPRESS))
		return corrupt(ei, rec[0], "unknown pre-image flags 0x%x",
			       flags);
	if (cb > LR_PAGE_SIZE_MAX)
		return corrupt(ei, rec[0],
			       "cbPageBeforeImage %u is larger than any page",
			       cb);
	if (cb == 0 && flags != 0)
		return corrupt(ei, rec[0],
			       "pre-image flags 0x%x without a pre-image",
			       flags);
	if (cb != 0 && flags == 0 && !lr_is_page_size(cb))
		return corrupt(ei, rec[0],
			       "uncompressed pre-image of %u bytes is not a page",
			       cb);
	return JET_errSuccess;
}

static JET_ERR dec_split(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	lr_split *d = &r->u.split;
	bool old = rec[0] == ESE_LRTYP_SPLIT;
	size_t fixed = old ? 102 : 110;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	read_page_hdr(rec, &d->page);
	d->old_format = old;
	d->pgno_new = jr_le32(rec + 32);
	d->pgno_right = jr_le32(rec + 36);
	d->dbtime_right_before = jr_le64(rec + 40);
	d->pgno_parent = jr_le32(rec + 48);
	d->dbtime_parent_before = jr_le64(rec + 52);
	d->pgno_fdp = jr_le32(rec + 60);
	d->objid_fdp = jr_le32(rec + 64);
	d->splittype = rec[68];
	d->splitoper = rec[69];
	d->iline_oper = jr_le16(rec + 70);
	d->iline_split = jr_le16(rec + 72);
	d->clines = jr_le16(rec + 74);
	d->new_page_flags = jr_le32(rec + 76);
	d->split_page_flags = jr_le32(rec + 80);
	d->cb_unc_free_src = (int16_t)jr_le16(rec + 84);
	d->cb_unc_free_dest = (int16_t)jr_le16(rec + 86);
	d->iline_prefix_split = (int32_t)jr_le32(rec + 88);
	d->iline_prefix_new = (int32_t)jr_le32(rec + 92);
	uint16_t cb_old = jr_le16(rec + 96), cb_new = jr_le16(rec + 98);
	uint16_t cb_key = jr_le16(rec + 100);
	uint32_t cb_image = old ? 0 : jr_le32(rec + 106);
	d->preimage_flags = old ? 0 : jr_le32(rec + 102);

	err = need_total(rec, len,
			 fixed + (size_t)cb_key + cb_old + cb_new + cb_image,
			 "cbKeyParent + cbPrefixSplitOld + cbPrefixSplitNew + cbPageBeforeImage",
			 ei);
	if (err < 0)
		return err;
	size_t at = fixed;
	d->key_parent = tail(rec, &at, cb_key);
	d->prefix_split_old = tail(rec, &at, cb_old);
	d->prefix_split_new = tail(rec, &at, cb_new);
	d->preimage = tail(rec, &at, cb_image);

	if (d->splittype > LR_SPLIT_APPEND)
		return corrupt(ei, rec[0], "splittype %u", d->splittype);
	if (d->splitoper > LR_SPLITOPER_FLAG_INSERT_REPLACE)
		return corrupt(ei, rec[0], "splitoper %u", d->splitoper);
	if (d->pgno_new == 0 && cb_image != 0)
		return corrupt(ei, rec[0],
			       "pre-image on a level that does not split");
	if (d->pgno_new != 0 &&
	    (d->iline_split > d->clines || d->iline_oper > d->clines))
		return corrupt(ei, rec[0],
			       "ilineSplit %u / ilineOper %u beyond clines %u",
			       d->iline_split, d->iline_oper, d->clines);
	return check_preimage(rec, d->preimage_flags, cb_image, ei);
}

bool lr_split_preimage_required(const lr_split *s)
{
	if (s->pgno_new == 0)
		return false;
	switch (s->splittype) {
	case LR_SPLIT_APPEND:
		return false;
	case LR_SPLIT_RIGHT:
		/* a hot-point split, or a natural split moving only the new
		 * node: nothing of the old page moves */
		return !(s->splitoper == LR_SPLITOPER_INSERT &&
			 s->iline_split == s->iline_oper &&
			 s->clines > 0 && s->iline_split == s->clines - 1);
	default:
		return true;
	}
}

bool lr_merge_preimage_required(const lr_merge *m)
{
	return m->mergetype == LR_MERGE_PARTIAL_RIGHT ||
	       m->mergetype == LR_MERGE_FULL_RIGHT ||
	       m->mergetype == LR_MERGE_PARTIAL_LEFT ||
	       m->mergetype == LR_MERGE_FULL_LEFT;
}

static JET_ERR dec_merge(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	lr_merge *d = &r->u.merge;
	bool old = rec[0] == ESE_LRTYP_MERGE;
	size_t fixed = old ? 88 : 96;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	read_page_hdr(rec, &d->page);
	d->old_format = old;
	d->pgno_right = jr_le32(rec + 32);
	d->dbtime_right_before = jr_le64(rec + 36);
	d->pgno_left = jr_le32(rec + 44);
	d->dbtime_left_before = jr_le64(rec + 48);
	d->pgno_parent = jr_le32(rec + 56);
	d->dbtime_parent_before = jr_le64(rec + 60);
	d->pgno_fdp = jr_le32(rec + 68);
	d->objid_fdp = jr_le32(rec + 72);
	d->cb_size_total = jr_le16(rec + 76);
	d->cb_size_max_total = jr_le16(rec + 78);
	d->cb_unc_free_dest = jr_le16(rec + 80);
	d->iline_merge = jr_le16(rec + 82);
	d->merge_flags = rec[84];
	d->mergetype = rec[85];
	uint16_t cb_key = jr_le16(rec + 86);
	uint32_t cb_image = old ? 0 : jr_le32(rec + 92);
	d->preimage_flags = old ? 0 : jr_le32(rec + 88);

	err = need_total(rec, len, fixed + (size_t)cb_key + cb_image,
			 "cbKeyParentSep + cbPageBeforeImage", ei);
	if (err < 0)
		return err;
	size_t at = fixed;
	d->key_parent_sep = tail(rec, &at, cb_key);
	d->preimage = tail(rec, &at, cb_image);

	if (d->mergetype > LR_MERGE_PAGE_MOVE)
		return corrupt(ei, rec[0], "mergetype %u", d->mergetype);
	if (d->merge_flags & ~0x07u)
		return corrupt(ei, rec[0], "unknown merge flags 0x%x",
			       d->merge_flags);
	return check_preimage(rec, d->preimage_flags, cb_image, ei);
}

static JET_ERR dec_page_move(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_page_move *d = &r->u.page_move;
	JET_ERR err = need_fixed(rec, len, 96, ei);
	if (err < 0)
		return err;
	read_page_hdr(rec, &d->page);
	d->pgno_dest = jr_le32(rec + 32);
	d->pgno_left = jr_le32(rec + 36);
	d->pgno_right = jr_le32(rec + 40);
	d->pgno_parent = jr_le32(rec + 44);
	d->dbtime_left_before = jr_le64(rec + 48);
	d->dbtime_right_before = jr_le64(rec + 56);
	d->dbtime_parent_before = jr_le64(rec + 64);
	d->pgno_fdp = jr_le32(rec + 72);
	d->objid_fdp = jr_le32(rec + 76);
	d->iline_parent = (int32_t)jr_le32(rec + 80);
	d->move_flags = jr_le32(rec + 84);
	uint32_t cb_head = jr_le32(rec + 88), cb_trail = jr_le32(rec + 92);

	if (cb_head > LR_PAGE_SIZE_MAX || cb_trail > LR_PAGE_SIZE_MAX ||
	    cb_head + cb_trail > LR_PAGE_SIZE_MAX)
		return corrupt(ei, rec[0],
			       "cbPageHeader %u + cbPageTrailer %u exceed a page",
			       cb_head, cb_trail);
	err = need_total(rec, len, 96 + (size_t)cb_head + cb_trail,
			 "cbPageHeader + cbPageTrailer", ei);
	if (err < 0)
		return err;
	size_t at = 96;
	d->page_header = tail(rec, &at, cb_head);
	d->page_trailer = tail(rec, &at, cb_trail);
	return JET_errSuccess;
}

static JET_ERR dec_root_page_move(const uint8_t *rec, size_t len,
				  lr_record *r, jr_errinfo *ei)
{
	lr_root_page_move *d = &r->u.root_page_move;
	JET_ERR err = need_fixed(rec, len, 16, ei);
	if (err < 0)
		return err;
	d->dbtime_after = jr_le64(rec + 1);
	d->dbid = rec[9];
	d->objid = jr_le32(rec + 10);
	d->procid = jr_le16(rec + 14);
	return need_total(rec, len, 16, "the fixed layout", ei);
}

static JET_ERR dec_new_page(const uint8_t *rec, size_t len, lr_record *r,
			    jr_errinfo *ei)
{
	lr_new_page *d = &r->u.new_page;
	JET_ERR err = need_fixed(rec, len, 20, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	d->dbid = rec[3];
	d->pgno = jr_le32(rec + 4);
	d->objid = jr_le32(rec + 8);
	d->dbtime_after = jr_le64(rec + 12);
	return need_total(rec, len, 20, "the fixed layout", ei);
}

static JET_ERR dec_create_fdp(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	lr_create_fdp *d = &r->u.create_fdp;
	bool multiple = rec[0] == ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP;
	size_t fixed = multiple ? 56 : 48;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	read_page_hdr(rec, &d->page);
	d->multiple = multiple;
	d->objid_fdp = jr_le32(rec + 32);
	if (multiple) {
		d->pgno_oe = jr_le32(rec + 36);
		d->pgno_ae = jr_le32(rec + 40);
		d->pgno_fdp_parent = jr_le32(rec + 44);
		d->cpg_primary = (int32_t)jr_le32(rec + 48);
		d->page_flags = jr_le32(rec + 52);
	} else {
		d->pgno_oe = d->pgno_ae = 0;
		d->pgno_fdp_parent = jr_le32(rec + 36);
		d->cpg_primary = (int32_t)jr_le32(rec + 40);
		d->page_flags = jr_le32(rec + 44);
	}
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_convert_fdp(const uint8_t *rec, size_t len, lr_record *r,
			       jr_errinfo *ei)
{
	lr_convert_fdp *d = &r->u.convert_fdp;
	bool old = rec[0] == ESE_LRTYP_CONVERT_FDP;
	size_t fixed = old ? 60 : 68;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	read_page_hdr(rec, &d->page);
	d->old_format = old;
	d->objid_fdp = jr_le32(rec + 32);
	d->pgno_oe = jr_le32(rec + 36);
	d->pgno_ae = jr_le32(rec + 40);
	d->pgno_fdp_parent = jr_le32(rec + 44);
	d->pgno_secondary_first = jr_le32(rec + 48);
	d->cpg_primary = (int32_t)jr_le32(rec + 52);
	d->cpg_secondary = (int32_t)jr_le32(rec + 56);
	d->rgbit_avail = old ? 0 : jr_le32(rec + 60);
	d->cpage_flags = old ? 0 : jr_le32(rec + 64);
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

/* ---------------------------------------------------------------------
 * Transactions
 * ------------------------------------------------------------------- */

static JET_ERR dec_begin(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	lr_begin *d = &r->u.begin;
	bool has_trx = rec[0] != ESE_LRTYP_BEGIN;
	size_t fixed = has_trx ? 8 : 4;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	/* a C bit field in ESE: the first member takes the low bits */
	d->level_begin_from = rec[3] & 0x0f;
	d->clevels_to_begin = rec[3] >> 4;
	d->has_trx = has_trx;
	d->trx_begin0 = has_trx ? jr_le32(rec + 4) : 0;
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_commit(const uint8_t *rec, size_t len, lr_record *r,
			  jr_errinfo *ei)
{
	lr_commit *d = &r->u.commit;
	bool has_trx = rec[0] == ESE_LRTYP_COMMIT0;
	size_t fixed = has_trx ? 8 : 4;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	d->level_commit_to = rec[3];
	d->has_trx = has_trx;
	d->trx_commit0 = has_trx ? jr_le32(rec + 4) : 0;
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_rollback(const uint8_t *rec, size_t len, lr_record *r,
			    jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 4, ei);
	if (err < 0)
		return err;
	r->u.rollback.procid = jr_le16(rec + 1);
	r->u.rollback.level_rollback = rec[3];
	return need_total(rec, len, 4, "the fixed layout", ei);
}

static JET_ERR dec_refresh(const uint8_t *rec, size_t len, lr_record *r,
			   jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 7, ei);
	if (err < 0)
		return err;
	r->u.refresh.procid = jr_le16(rec + 1);
	r->u.refresh.trx_begin0 = jr_le32(rec + 3);
	return need_total(rec, len, 7, "the fixed layout", ei);
}

static JET_ERR dec_macro(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 11, ei);
	if (err < 0)
		return err;
	r->u.macro.procid = jr_le16(rec + 1);
	r->u.macro.dbtime = jr_le64(rec + 3);
	return need_total(rec, len, 11, "the fixed layout", ei);
}

static JET_ERR dec_trx_misc(const uint8_t *rec, size_t len, lr_record *r,
			    jr_errinfo *ei)
{
	lr_trx_misc *d = &r->u.trx_misc;
	JET_ERR err = need_fixed(rec, len, 3, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	d->data = (lr_bytes){ rec + 3, 0 };
	if (rec[0] != ESE_LRTYP_PREP_COMMIT)
		return need_total(rec, len, 3, "the fixed layout", ei);
	err = need_fixed(rec, len, 7, ei);
	if (err < 0)
		return err;
	uint32_t cb = jr_le32(rec + 3);
	err = need_total(rec, len, 7 + (size_t)cb, "cbData", ei);
	if (err < 0)
		return err;
	d->data = (lr_bytes){ rec + 7, cb };
	return JET_errSuccess;
}

/* ---------------------------------------------------------------------
 * LRIGNORED family: lrtyp, cb, then cb bytes
 * ------------------------------------------------------------------- */

/* Reads cb, checks the record is exactly IG_SIZE + cb bytes and that cb
 * covers the known fields (`known` bytes after the head). */
static JET_ERR ignored_head(const uint8_t *rec, size_t len, uint32_t known,
			    uint32_t *cb, jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, IG_SIZE, ei);
	if (err < 0)
		return err;
	*cb = jr_le32(rec + IG_CB);
	err = need_total(rec, len, IG_SIZE + (size_t)*cb, "cb", ei);
	if (err < 0)
		return err;
	if (*cb < known)
		return corrupt(ei, rec[0],
			       "cb %u is shorter than the %u bytes of its fields",
			       *cb, known);
	return JET_errSuccess;
}

static JET_ERR dec_ignored(const uint8_t *rec, size_t len, lr_record *r,
			   jr_errinfo *ei)
{
	uint32_t cb;
	JET_ERR err = ignored_head(rec, len, 0, &cb, ei);
	if (err < 0)
		return err;
	r->u.ignored.cb = cb;
	r->u.ignored.data = (lr_bytes){ rec + IG_SIZE, cb };
	return JET_errSuccess;
}

static JET_ERR dec_macro_info(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	lr_macro_info *d = &r->u.macro_info;
	bool v2 = rec[0] == ESE_LRTYP_MACRO_INFO2;
	uint32_t cb;
	JET_ERR err = ignored_head(rec, len, v2 ? 5 : 0, &cb, ei);
	if (err < 0)
		return err;
	d->v2 = v2;
	if (!v2) {
		if (cb % 4 != 0)
			return corrupt(ei, rec[0],
				       "cb %u is not a multiple of 4", cb);
		d->dbid = 0;
		d->count = cb / 4;
		d->pgnos = (lr_bytes){ rec + IG_SIZE, cb };
		return JET_errSuccess;
	}
	d->dbid = rec[5];
	d->count = jr_le32(rec + 6);
	if ((uint64_t)d->count * 4 != cb - 5)
		return corrupt(ei, rec[0],
			       "cpgno %u does not fill cb %u", d->count, cb);
	d->pgnos = (lr_bytes){ rec + 10, cb - 5 };
	return JET_errSuccess;
}

uint32_t lr_macro_info_pgno(const lr_macro_info *m, uint32_t i)
{
	return jr_le32(m->pgnos.p + (size_t)i * 4);
}

static JET_ERR dec_extend_db(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	uint32_t cb;
	JET_ERR err = ignored_head(rec, len, 5, &cb, ei);
	if (err < 0)
		return err;
	r->u.extend_db.dbid = rec[5];
	r->u.extend_db.pgno_last = jr_le32(rec + 6);
	return JET_errSuccess;
}

static JET_ERR dec_commit_ctx(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	uint32_t cb;
	JET_ERR err = ignored_head(rec, len, 3, &cb, ei);
	if (err < 0)
		return err;
	r->u.commit_ctx.procid = jr_le16(rec + 5);
	r->u.commit_ctx.ctx_flags = rec[7];
	r->u.commit_ctx.context = (lr_bytes){ rec + 8, cb - 3 };
	return JET_errSuccess;
}

static JET_ERR dec_scan_check(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	lr_scan_check *d = &r->u.scan_check;
	JET_ERR err;

	if (rec[0] == ESE_LRTYP_SCAN_CHECK) {
		uint32_t cb;
		err = ignored_head(rec, len, 39, &cb, ei);
		if (err < 0)
			return err;
		d->legacy = true;
		d->dbid = rec[5];
		d->pgno = jr_le32(rec + 6);
		d->flags_and_source = 0;
		/* the page and current dbtimes at 10 and 18 are not set by
		 * ESE; the values it reads are the before/after ones */
		d->dbtime_page = jr_le64(rec + 26);
		d->dbtime_current = jr_le64(rec + 34);
		d->checksum = jr_le16(rec + 42);
		return JET_errSuccess;
	}
	err = need_fixed(rec, len, 27, ei);
	if (err < 0)
		return err;
	d->legacy = false;
	d->dbid = rec[1];
	d->pgno = jr_le32(rec + 2);
	d->flags_and_source = rec[6];
	d->dbtime_page = jr_le64(rec + 7);
	d->dbtime_current = jr_le64(rec + 15);
	d->checksum = jr_le32(rec + 23);
	return need_total(rec, len, 27, "the fixed layout", ei);
}

static JET_ERR dec_reattach(const uint8_t *rec, size_t len, lr_record *r,
			    jr_errinfo *ei)
{
	uint32_t cb;
	JET_ERR err = ignored_head(rec, len, 45, &cb, ei);
	if (err < 0)
		return err;
	r->u.reattach.dbid = rec[5];
	ese_lgpos_parse(rec + 6, &r->u.reattach.lgpos_attach);
	ese_lgpos_parse(rec + 14, &r->u.reattach.lgpos_consistent);
	ese_signature_parse(rec + 22, &r->u.reattach.sign_db);
	return JET_errSuccess;
}

static JET_ERR dec_free_fdp(const uint8_t *rec, size_t len, lr_record *r,
			    jr_errinfo *ei)
{
	uint32_t cb;
	JET_ERR err = ignored_head(rec, len, 10, &cb, ei);
	if (err < 0)
		return err;
	r->u.free_fdp.dbid = rec[5];
	r->u.free_fdp.pgno_fdp = jr_le32(rec + 6);
	r->u.free_fdp.trx_committed = jr_le32(rec + 10);
	r->u.free_fdp.fdp_type = rec[14];
	return JET_errSuccess;
}

/* ---------------------------------------------------------------------
 * Database and log control
 * ------------------------------------------------------------------- */

static JET_ERR dec_empty(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	(void)r;
	return need_total(rec, len, 1, "the fixed layout", ei);
}

static JET_ERR dec_init(const uint8_t *rec, size_t len, lr_record *r,
			jr_errinfo *ei)
{
	lr_init *d = &r->u.init;
	bool has_time = rec[0] == ESE_LRTYP_INIT2;
	size_t fixed = has_time ? 576 : 568;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->system_path = (lr_bytes){ rec + 1, DBMS_PATH_SIZE };
	d->log_path = (lr_bytes){ rec + 1 + DBMS_PATH_SIZE, DBMS_PATH_SIZE };
	d->param_flags = rec[523];
	d->sessions_max = jr_le32(rec + 524);
	d->open_tables_max = jr_le32(rec + 528);
	d->ver_pages_max = jr_le32(rec + 532);
	d->cursors_max = jr_le32(rec + 536);
	d->log_buffers = jr_le32(rec + 540);
	d->csec_log_file = jr_le32(rec + 544);
	d->cache_size_max = jr_le32(rec + 548);
	d->has_logtime = has_time;
	if (has_time)
		ese_logtime_parse(rec + 568, &d->logtime);
	else
		memset(&d->logtime, 0, sizeof d->logtime);
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_term(const uint8_t *rec, size_t len, lr_record *r,
			jr_errinfo *ei)
{
	lr_term *d = &r->u.term;
	bool has_time = rec[0] != ESE_LRTYP_TERM && rec[0] != ESE_LRTYP_RECOVERY_QUIT;
	size_t fixed = has_time ? 26 : 18;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	ese_lgpos_parse(rec + 1, &d->lgpos);
	ese_lgpos_parse(rec + 9, &d->lgpos_redo_from);
	d->hard = rec[17];
	d->has_logtime = has_time;
	if (has_time)
		ese_logtime_parse(rec + 18, &d->logtime);
	else
		memset(&d->logtime, 0, sizeof d->logtime);
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_recovery_undo(const uint8_t *rec, size_t len, lr_record *r,
				 jr_errinfo *ei)
{
	lr_recovery_undo *d = &r->u.recovery_undo;
	bool has_time = rec[0] == ESE_LRTYP_RECOVERY_UNDO2;
	size_t fixed = has_time ? 9 : 1;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->has_logtime = has_time;
	if (has_time)
		ese_logtime_parse(rec + 1, &d->logtime);
	else
		memset(&d->logtime, 0, sizeof d->logtime);
	return need_total(rec, len, fixed, "the fixed layout", ei);
}


static JET_ERR check_path(const uint8_t *rec, uint32_t cb, bool unicode,
			  jr_errinfo *ei)
{
	if (unicode && cb % 2 != 0)
		return corrupt(ei, rec[0],
			       "Unicode path of odd size %u", cb);
	return JET_errSuccess;
}

static JET_ERR dec_attach_db(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_attach_db *d = &r->u.attach_db;
	JET_ERR err = need_fixed(rec, len, 75, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	d->dbid = rec[3];
	d->cpg_database_size_max = jr_le32(rec + 4);
	ese_lgpos_parse(rec + 8, &d->lgpos_consistent);
	ese_signature_parse(rec + 16, &d->sign_db);
	ese_signature_parse(rec + 44, &d->sign_log);
	uint16_t cb = jr_le16(rec + 72);
	d->flags = rec[74];
	err = need_total(rec, len, 75 + (size_t)cb, "cbPath", ei);
	if (err < 0)
		return err;
	d->path = (lr_bytes){ rec + 75, cb };
	return check_path(rec, cb, d->flags & ATTACH_UNICODE, ei);
}

static JET_ERR dec_detach_db(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_detach_db *d = &r->u.detach_db;
	JET_ERR err = need_fixed(rec, len, 7, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	d->dbid = rec[3];
	uint16_t cb = jr_le16(rec + 4);
	d->flags = rec[6];
	err = need_total(rec, len, 7 + (size_t)cb, "cbPath", ei);
	if (err < 0)
		return err;
	d->path = (lr_bytes){ rec + 7, cb };
	return check_path(rec, cb, d->flags & DETACH_UNICODE, ei);
}

static JET_ERR dec_create_db(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_create_db *d = &r->u.create_db;
	JET_ERR err = need_fixed(rec, len, 43, ei);
	if (err < 0)
		return err;
	d->procid = jr_le16(rec + 1);
	d->dbid = rec[3];
	d->grbit = jr_le32(rec + 4);
	d->cpg_database_size_max = jr_le32(rec + 8);
	ese_signature_parse(rec + 12, &d->sign_db);
	uint16_t cb = jr_le16(rec + 40);
	d->flags = rec[42];
	size_t version = (d->flags & CREATE_VERSION) ? 4 : 0;
	err = need_total(rec, len, 43 + version + cb,
			 "version info + cbPath", ei);
	if (err < 0)
		return err;
	d->version = version ? jr_le16(rec + 43) : 0;
	d->update_major = version ? jr_le16(rec + 45) : 0;
	d->path = (lr_bytes){ rec + 43 + version, cb };
	return check_path(rec, cb, d->flags & CREATE_UNICODE, ei);
}

static JET_ERR dec_dbid_only(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_dbid_only *d = &r->u.dbid_only;
	bool finish = rec[0] == ESE_LRTYP_CREATE_DB_FINISH;
	size_t fixed = finish ? 4 : 2;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->procid = finish ? jr_le16(rec + 1) : 0;
	d->dbid = finish ? rec[3] : rec[1];
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_set_db_version(const uint8_t *rec, size_t len,
				  lr_record *r, jr_errinfo *ei)
{
	lr_set_db_version *d = &r->u.set_db_version;
	JET_ERR err = need_fixed(rec, len, 14, ei);
	if (err < 0)
		return err;
	d->dbid = rec[1];
	d->major = jr_le32(rec + 2);
	d->update_major = jr_le32(rec + 6);
	d->update_minor = jr_le32(rec + 10);
	return need_total(rec, len, 14, "the fixed layout", ei);
}

static JET_ERR dec_shrink_db(const uint8_t *rec, size_t len, lr_record *r,
			     jr_errinfo *ei)
{
	lr_shrink_db *d = &r->u.shrink_db;
	bool has_dbtime = rec[0] == ESE_LRTYP_SHRINK_DB3;
	size_t fixed = has_dbtime ? 18 : 10;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->dbid = rec[1];
	d->pgno_last = jr_le32(rec + 2);
	d->cpg_shrunk = (int32_t)jr_le32(rec + 6);
	d->has_dbtime = has_dbtime;
	d->dbtime = has_dbtime ? jr_le64(rec + 10) : 0;
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_trim_db(const uint8_t *rec, size_t len, lr_record *r,
			   jr_errinfo *ei)
{
	lr_trim_db *d = &r->u.trim_db;
	JET_ERR err = need_fixed(rec, len, 10, ei);
	if (err < 0)
		return err;
	d->dbid = rec[1];
	d->pgno_start_zeroes = jr_le32(rec + 2);
	d->cpg_zero_length = (int32_t)jr_le32(rec + 6);
	return need_total(rec, len, 10, "the fixed layout", ei);
}

static JET_ERR dec_extent_freed(const uint8_t *rec, size_t len, lr_record *r,
				jr_errinfo *ei)
{
	lr_extent_freed *d = &r->u.extent_freed;
	bool has_dbtime = rec[0] == ESE_LRTYP_EXTENT_FREED2;
	size_t fixed = has_dbtime ? 19 : 11;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->dbid = rec[1];
	d->pgno_first = jr_le32(rec + 2);
	d->cpg_extent = (int32_t)jr_le32(rec + 6);
	d->flags = rec[10];
	d->has_dbtime = has_dbtime;
	d->dbtime = has_dbtime ? jr_le64(rec + 11) : 0;
	return need_total(rec, len, fixed, "the fixed layout", ei);
}

static JET_ERR dec_backup2(const uint8_t *rec, size_t len, lr_record *r,
			   jr_errinfo *ei)
{
	lr_backup2 *d = &r->u.backup2;
	JET_ERR err = need_fixed(rec, len, 35, ei);
	if (err < 0)
		return err;
	d->phase = rec[1];
	d->backup_type = jr_le32(rec + 2);
	d->scope = rec[6];
	d->dbid = rec[7];
	ese_bkinfo_parse(rec + 8, &d->bkinfo);
	uint16_t cb = jr_le16(rec + 33);
	err = need_total(rec, len, 35 + (size_t)cb, "cbPath", ei);
	if (err < 0)
		return err;
	d->path = (lr_bytes){ rec + 35, cb };
	return JET_errSuccess;
}

static JET_ERR dec_backup_old(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	lr_backup_old *d = &r->u.backup_old;
	bool typed = rec[0] == ESE_LRTYP_BACKUP;
	size_t fixed = typed ? 5 : 3;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->backup_type = typed ? rec[1] : 0;
	uint16_t cb = jr_le16(rec + fixed - 2);
	err = need_total(rec, len, fixed + (size_t)cb, "cbPath", ei);
	if (err < 0)
		return err;
	d->path = (lr_bytes){ rec + fixed, cb };
	return JET_errSuccess;
}

static JET_ERR dec_ext_restore(const uint8_t *rec, size_t len, lr_record *r,
			       jr_errinfo *ei)
{
	lr_ext_restore *d = &r->u.ext_restore;
	JET_ERR err = need_fixed(rec, len, 3, ei);
	if (err < 0)
		return err;
	uint16_t cb = jr_le16(rec + 1);
	err = need_total(rec, len, 3 + (size_t)cb, "cbInfo", ei);
	if (err < 0)
		return err;
	d->unicode = rec[0] == ESE_LRTYP_EXT_RESTORE2;
	d->info = (lr_bytes){ rec + 3, cb };
	return JET_errSuccess;
}

static JET_ERR dec_trace(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 5, ei);
	if (err < 0)
		return err;
	uint16_t cb = jr_le16(rec + 3);
	err = need_total(rec, len, 5 + (size_t)cb, "cb", ei);
	if (err < 0)
		return err;
	r->u.trace.procid = jr_le16(rec + 1);
	r->u.trace.text = (lr_bytes){ rec + 5, cb };
	return JET_errSuccess;
}

static JET_ERR dec_jetop(const uint8_t *rec, size_t len, lr_record *r,
			 jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 4, ei);
	if (err < 0)
		return err;
	r->u.jetop.procid = jr_le16(rec + 1);
	r->u.jetop.op = rec[3];
	return need_total(rec, len, 4, "the fixed layout", ei);
}

static JET_ERR dec_ms(const uint8_t *rec, size_t len, lr_record *r,
		      jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 9, ei);
	if (err < 0)
		return err;
	r->u.ms.ib_forward_link = jr_le16(rec + 1);
	r->u.ms.checksum = jr_le32(rec + 3);
	r->u.ms.isec_forward_link = jr_le16(rec + 7);
	return need_total(rec, len, 9, "the fixed layout", ei);
}

static JET_ERR dec_page_patch(const uint8_t *rec, size_t len, lr_record *r,
			      jr_errinfo *ei)
{
	JET_ERR err = need_fixed(rec, len, 46, ei);
	if (err < 0)
		return err;
	r->u.page_patch.dbid = rec[1];
	r->u.page_patch.pgno = jr_le32(rec + 2);
	r->u.page_patch.dbtime = jr_le64(rec + 6);
	return need_total(rec, len, 46, "the fixed layout", ei);
}

static JET_ERR dec_fragment(const uint8_t *rec, size_t len, lr_record *r,
			    jr_errinfo *ei)
{
	lr_fragment *d = &r->u.fragment;
	bool begin = rec[0] == ESE_LRTYP_FRAGMENT_BEGIN;
	size_t fixed = begin ? 7 : 3;
	JET_ERR err = need_fixed(rec, len, fixed, ei);
	if (err < 0)
		return err;
	d->cb_total = begin ? jr_le32(rec + 1) : 0;
	uint16_t cb = jr_le16(rec + fixed - 2);
	err = need_total(rec, len, fixed + (size_t)cb, "cbFragmentSize", ei);
	if (err < 0)
		return err;
	d->data = (lr_bytes){ rec + fixed, cb };
	return JET_errSuccess;
}

/* ---------------------------------------------------------------------
 * Dispatch
 * ------------------------------------------------------------------- */

typedef JET_ERR (*decoder_fn)(const uint8_t *, size_t, lr_record *,
			      jr_errinfo *);

static decoder_fn decoder_for(uint8_t t)
{
	switch (t) {
	case ESE_LRTYP_NOP:
	case ESE_LRTYP_END:
	case ESE_LRTYP_SHUTDOWN_MARK:
		return dec_empty;
	case ESE_LRTYP_RECOVERY_UNDO:
	case ESE_LRTYP_RECOVERY_UNDO2:
		return dec_recovery_undo;
	case ESE_LRTYP_INIT:
	case ESE_LRTYP_INIT2:
		return dec_init;
	case ESE_LRTYP_TERM:
	case ESE_LRTYP_TERM2:
	case ESE_LRTYP_RECOVERY_QUIT:
	case ESE_LRTYP_RECOVERY_QUIT2:
	case ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS:
		return dec_term;
	case ESE_LRTYP_MS:
		return dec_ms;
	case ESE_LRTYP_BEGIN:
	case ESE_LRTYP_BEGIN0:
	case ESE_LRTYP_BEGIN_DT:
		return dec_begin;
	case ESE_LRTYP_COMMIT:
	case ESE_LRTYP_COMMIT0:
		return dec_commit;
	case ESE_LRTYP_ROLLBACK:
		return dec_rollback;
	case ESE_LRTYP_REFRESH:
		return dec_refresh;
	case ESE_LRTYP_MACRO_BEGIN:
	case ESE_LRTYP_MACRO_COMMIT:
	case ESE_LRTYP_MACRO_ABORT:
		return dec_macro;
	case ESE_LRTYP_PREP_COMMIT:
	case ESE_LRTYP_PREP_ROLLBACK:
	case ESE_LRTYP_FORCE_WRITE_LOG:
		return dec_trx_misc;
	case ESE_LRTYP_CREATE_DB:
		return dec_create_db;
	case ESE_LRTYP_ATTACH_DB:
		return dec_attach_db;
	case ESE_LRTYP_DETACH_DB:
		return dec_detach_db;
	case ESE_LRTYP_CREATE_DB_FINISH:
	case ESE_LRTYP_SIGNAL_ATTACH_DB:
		return dec_dbid_only;
	case ESE_LRTYP_FULL_BACKUP:
	case ESE_LRTYP_INC_BACKUP:
	case ESE_LRTYP_BACKUP:
		return dec_backup_old;
	case ESE_LRTYP_BACKUP2:
		return dec_backup2;
	case ESE_LRTYP_JET_OP:
		return dec_jetop;
	case ESE_LRTYP_TRACE:
	case ESE_LRTYP_FORCE_LOG_ROLLOVER:
		return dec_trace;
	case ESE_LRTYP_EXT_RESTORE:
	case ESE_LRTYP_EXT_RESTORE2:
		return dec_ext_restore;
	case ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP:
	case ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP:
		return dec_create_fdp;
	case ESE_LRTYP_CONVERT_FDP:
	case ESE_LRTYP_CONVERT_FDP2:
		return dec_convert_fdp;
	case ESE_LRTYP_SPLIT:
	case ESE_LRTYP_SPLIT2:
		return dec_split;
	case ESE_LRTYP_MERGE:
	case ESE_LRTYP_MERGE2:
		return dec_merge;
	case ESE_LRTYP_INSERT:
		return dec_insert;
	case ESE_LRTYP_FLAG_INSERT:
		return dec_flag_insert;
	case ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA:
		return dec_flag_insert_replace;
	case ESE_LRTYP_FLAG_DELETE:
	case ESE_LRTYP_DELETE:
		return dec_node_only;
	case ESE_LRTYP_REPLACE:
	case ESE_LRTYP_REPLACE_D:
		return dec_replace;
	case ESE_LRTYP_UNDO_INFO:
		return dec_undo_info;
	case ESE_LRTYP_DELTA:
	case ESE_LRTYP_DELTA64:
		return dec_delta;
	case ESE_LRTYP_SET_EXTERNAL_HEADER:
		return dec_set_ext_header;
	case ESE_LRTYP_UNDO:
		return dec_undo;
	case ESE_LRTYP_EMPTY_TREE:
		return dec_empty_tree;
	case ESE_LRTYP_SCRUB:
		return dec_scrub;
	case ESE_LRTYP_PAGE_MOVE:
		return dec_page_move;
	case ESE_LRTYP_ROOT_PAGE_MOVE:
		return dec_root_page_move;
	case ESE_LRTYP_NEW_PAGE:
		return dec_new_page;
	case ESE_LRTYP_PAGE_PATCH_REQUEST:
		return dec_page_patch;
	case ESE_LRTYP_MACRO_INFO:
	case ESE_LRTYP_MACRO_INFO2:
		return dec_macro_info;
	case ESE_LRTYP_EXTEND_DB:
		return dec_extend_db;
	case ESE_LRTYP_COMMIT_CTX:
		return dec_commit_ctx;
	case ESE_LRTYP_SCAN_CHECK:
	case ESE_LRTYP_SCAN_CHECK2:
		return dec_scan_check;
	case ESE_LRTYP_REATTACH:
		return dec_reattach;
	case ESE_LRTYP_FREE_FDP:
		return dec_free_fdp;
	case ESE_LRTYP_NOP2:
	case ESE_LRTYP_IGNORED9:
	case ESE_LRTYP_IGNORED10: case ESE_LRTYP_IGNORED11: case ESE_LRTYP_IGNORED12:
	case ESE_LRTYP_IGNORED13: case ESE_LRTYP_IGNORED14: case ESE_LRTYP_IGNORED15:
	case ESE_LRTYP_IGNORED16: case ESE_LRTYP_IGNORED17: case ESE_LRTYP_IGNORED18:
	case ESE_LRTYP_IGNORED19:
		return dec_ignored;
	case ESE_LRTYP_FRAGMENT_BEGIN:
	case ESE_LRTYP_FRAGMENT:
		return dec_fragment;
	case ESE_LRTYP_SHRINK_DB:
	case ESE_LRTYP_SHRINK_DB2:
	case ESE_LRTYP_SHRINK_DB3:
		return dec_shrink_db;
	case ESE_LRTYP_TRIM_DB:
		return dec_trim_db;
	case ESE_LRTYP_SET_DB_VERSION:
		return dec_set_db_version;
	case ESE_LRTYP_EXTENT_FREED:
	case ESE_LRTYP_EXTENT_FREED2:
		return dec_extent_freed;
	default:
		return NULL;
	}
}

JET_ERR lr_decode(const uint8_t *rec, size_t len, lr_record *out,
		  jr_errinfo *ei)
{
	if (len == 0)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "empty log record (no type byte)");
	if (len > UINT32_MAX)
		return corrupt(ei, rec[0], "record of %zu bytes", len);
	decoder_fn fn = decoder_for(rec[0]);
	if (!fn)
		return corrupt(ei, rec[0],
			       rec[0] < ESE_LRTYP_MAX ?
			       "obsolete record type without a layout" :
			       "unknown record type");
	memset(out, 0, sizeof *out);
	out->lrtyp = rec[0];
	out->len = (uint32_t)len;
	out->raw = rec;
	return fn(rec, len, out, ei);
}

const lr_page_hdr *lr_page_of(const lr_record *r)
{
	switch (r->lrtyp) {
	case ESE_LRTYP_INSERT:
	case ESE_LRTYP_FLAG_INSERT:
	case ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA:
	case ESE_LRTYP_FLAG_DELETE:
	case ESE_LRTYP_DELETE:
	case ESE_LRTYP_REPLACE:
	case ESE_LRTYP_REPLACE_D:
	case ESE_LRTYP_UNDO_INFO:
	case ESE_LRTYP_DELTA:
	case ESE_LRTYP_DELTA64:
	case ESE_LRTYP_SET_EXTERNAL_HEADER:
	case ESE_LRTYP_UNDO:
	case ESE_LRTYP_EMPTY_TREE:
	case ESE_LRTYP_SCRUB:
		/* every node struct starts with its lr_node_hdr */
		return &r->u.node.page;
	case ESE_LRTYP_SPLIT:
	case ESE_LRTYP_SPLIT2:
		return &r->u.split.page;
	case ESE_LRTYP_MERGE:
	case ESE_LRTYP_MERGE2:
		return &r->u.merge.page;
	case ESE_LRTYP_PAGE_MOVE:
		return &r->u.page_move.page;
	case ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP:
	case ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP:
		return &r->u.create_fdp.page;
	case ESE_LRTYP_CONVERT_FDP:
	case ESE_LRTYP_CONVERT_FDP2:
		return &r->u.convert_fdp.page;
	default:
		return NULL;
	}
}
