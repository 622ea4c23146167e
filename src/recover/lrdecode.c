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
#include <stdlib.h>
#include <string.h>

#include "ese/lrtyp.h"
#include "recover/xpress.h"
#include "util/bytes.h"

/* Type numbers lrtyp.h does not name (ESE's lrtyp* constants, logapi.hxx);
 * defined only where lrtyp.h has not. */
#ifndef ESE_LRTYP_MS
#define ESE_LRTYP_MS 3
#endif
#ifndef ESE_LRTYP_END
#define ESE_LRTYP_END 4
#endif
#ifndef ESE_LRTYP_REFRESH
#define ESE_LRTYP_REFRESH 10
#endif
#ifndef ESE_LRTYP_RECOVERY_QUIT
#define ESE_LRTYP_RECOVERY_QUIT 18
#endif
#ifndef ESE_LRTYP_FULL_BACKUP
#define ESE_LRTYP_FULL_BACKUP 19
#endif
#ifndef ESE_LRTYP_INC_BACKUP
#define ESE_LRTYP_INC_BACKUP 20
#endif
#ifndef ESE_LRTYP_JET_OP
#define ESE_LRTYP_JET_OP 21
#endif
#ifndef ESE_LRTYP_TRACE
#define ESE_LRTYP_TRACE 22
#endif
#ifndef ESE_LRTYP_SHUTDOWN_MARK
#define ESE_LRTYP_SHUTDOWN_MARK 23
#endif
#ifndef ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP
#define ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP 24
#endif
#ifndef ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP
#define ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP 25
#endif
#ifndef ESE_LRTYP_CONVERT_FDP
#define ESE_LRTYP_CONVERT_FDP 26
#endif
#ifndef ESE_LRTYP_FLAG_INSERT
#define ESE_LRTYP_FLAG_INSERT 30
#endif
#ifndef ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA
#define ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA 31
#endif
#ifndef ESE_LRTYP_REPLACE_D
#define ESE_LRTYP_REPLACE_D 34
#endif
#ifndef ESE_LRTYP_DELTA
#define ESE_LRTYP_DELTA 37
#endif
#ifndef ESE_LRTYP_EXT_RESTORE
#define ESE_LRTYP_EXT_RESTORE 45
#endif
#ifndef ESE_LRTYP_BACKUP
#define ESE_LRTYP_BACKUP 46
#endif
#ifndef ESE_LRTYP_EMPTY_TREE
#define ESE_LRTYP_EMPTY_TREE 48
#endif
#ifndef ESE_LRTYP_RECOVERY_QUIT2
#define ESE_LRTYP_RECOVERY_QUIT2 52
#endif
#ifndef ESE_LRTYP_BEGIN_DT
#define ESE_LRTYP_BEGIN_DT 53
#endif
#ifndef ESE_LRTYP_PREP_COMMIT
#define ESE_LRTYP_PREP_COMMIT 54
#endif
#ifndef ESE_LRTYP_PREP_ROLLBACK
#define ESE_LRTYP_PREP_ROLLBACK 55
#endif
#ifndef ESE_LRTYP_FORCE_WRITE_LOG
#define ESE_LRTYP_FORCE_WRITE_LOG 57
#endif
#ifndef ESE_LRTYP_CONVERT_FDP2
#define ESE_LRTYP_CONVERT_FDP2 58
#endif
#ifndef ESE_LRTYP_EXT_RESTORE2
#define ESE_LRTYP_EXT_RESTORE2 59
#endif
#ifndef ESE_LRTYP_BACKUP2
#define ESE_LRTYP_BACKUP2 60
#endif
#ifndef ESE_LRTYP_FORCE_LOG_ROLLOVER
#define ESE_LRTYP_FORCE_LOG_ROLLOVER 61
#endif
#ifndef ESE_LRTYP_SCRUB
#define ESE_LRTYP_SCRUB 64
#endif
#ifndef ESE_LRTYP_PAGE_MOVE
#define ESE_LRTYP_PAGE_MOVE 65
#endif
#ifndef ESE_LRTYP_PAGE_PATCH_REQUEST
#define ESE_LRTYP_PAGE_PATCH_REQUEST 66
#endif
#ifndef ESE_LRTYP_EXTEND_DB
#define ESE_LRTYP_EXTEND_DB 68
#endif
#ifndef ESE_LRTYP_COMMIT_CTX
#define ESE_LRTYP_COMMIT_CTX 69
#endif
#ifndef ESE_LRTYP_SCAN_CHECK
#define ESE_LRTYP_SCAN_CHECK 70
#endif
#ifndef ESE_LRTYP_REATTACH
#define ESE_LRTYP_REATTACH 72
#endif
#ifndef ESE_LRTYP_MACRO_INFO2
#define ESE_LRTYP_MACRO_INFO2 73
#endif
#ifndef ESE_LRTYP_FREE_FDP
#define ESE_LRTYP_FREE_FDP 74
#endif
#ifndef ESE_LRTYP_IGNORED9
#define ESE_LRTYP_IGNORED9 75
#endif
#ifndef ESE_LRTYP_SHRINK_DB
#define ESE_LRTYP_SHRINK_DB 78
#endif
#ifndef ESE_LRTYP_CREATE_DB_FINISH
#define ESE_LRTYP_CREATE_DB_FINISH 79
#endif
#ifndef ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS
#define ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS 80
#endif
#ifndef ESE_LRTYP_TRIM_DB
#define ESE_LRTYP_TRIM_DB 81
#endif
#ifndef ESE_LRTYP_IGNORED10
#define ESE_LRTYP_IGNORED10 82
#endif
#ifndef ESE_LRTYP_IGNORED11
#define ESE_LRTYP_IGNORED11 83
#endif
#ifndef ESE_LRTYP_IGNORED12
#define ESE_LRTYP_IGNORED12 84
#endif
#ifndef ESE_LRTYP_IGNORED13
#define ESE_LRTYP_IGNORED13 85
#endif
#ifndef ESE_LRTYP_IGNORED14
#define ESE_LRTYP_IGNORED14 86
#endif
#ifndef ESE_LRTYP_IGNORED15
#define ESE_LRTYP_IGNORED15 87
#endif
#ifndef ESE_LRTYP_IGNORED16
#define ESE_LRTYP_IGNORED16 88
#endif
#ifndef ESE_LRTYP_IGNORED17
#define ESE_LRTYP_IGNORED17 89
#endif
#ifndef ESE_LRTYP_IGNORED18
#define ESE_LRTYP_IGNORED18 90
#endif
#ifndef ESE_LRTYP_IGNORED19
#define ESE_LRTYP_IGNORED19 91
#endif
#ifndef ESE_LRTYP_DELTA64
#define ESE_LRTYP_DELTA64 93
#endif
#ifndef ESE_LRTYP_SHRINK_DB2
#define ESE_LRTYP_SHRINK_DB2 94
#endif
#ifndef ESE_LRTYP_ROOT_PAGE_MOVE
#define ESE_LRTYP_ROOT_PAGE_MOVE 96
#endif
#ifndef ESE_LRTYP_SIGNAL_ATTACH_DB
#define ESE_LRTYP_SIGNAL_ATTACH_DB 97
#endif
#ifndef ESE_LRTYP_SCAN_CHECK2
#define ESE_LRTYP_SCAN_CHECK2 98
#endif
#ifndef ESE_LRTYP_SHRINK_DB3
#define ESE_LRTYP_SHRINK_DB3 99
#endif
#ifndef ESE_LRTYP_EXTENT_FREED
#define ESE_LRTYP_EXTENT_FREED 100
#endif
#ifndef ESE_LRTYP_EXTENT_FREED2
#define ESE_LRTYP_EXTENT_FREED2 101
#endif

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

/* The largest ESE page: a pre-image is never bigger. */
#define PAGE_SIZE_MAX 32768

static bool is_page_size(uint32_t cb)
{
	return cb == 2048 || cb == 4096 || cb == 8192 || cb == 16384 ||
	       cb == 32768;
}

static JET_ERR check_preimage(const uint8_t *rec, uint32_t flags,
			      uint32_t cb, jr_errinfo *ei)
{
	if (flags & ~(uint32_t)(LR_PREIMAGE_DEHYDRATED | LR_PREIMAGE_XPRESS))
		return corrupt(ei, rec[0], "unknown pre-image flags 0x%x",
			       flags);
	if (cb > PAGE_SIZE_MAX)
		return corrupt(ei, rec[0],
			       "cbPageBeforeImage %u is larger than any page",
			       cb);
	if (cb == 0 && flags != 0)
		return corrupt(ei, rec[0],
			       "pre-image flags 0x%x without a pre-image",
			       flags);
	if (cb != 0 && flags == 0 && !is_page_size(cb))
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

	if (cb_head > PAGE_SIZE_MAX || cb_trail > PAGE_SIZE_MAX ||
	    cb_head + cb_trail > PAGE_SIZE_MAX)
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

#define ATTACH_UNICODE 0x08u
#define DETACH_UNICODE 0x10u
#define CREATE_VERSION 0x04u
#define CREATE_UNICODE 0x08u

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

/* ---------------------------------------------------------------------
 * ReplaceD diffs
 * ------------------------------------------------------------------- */

#define DIFF_IB_MASK        0x1fffu
#define DIFF_SAME_LENGTH    0x2000u
#define DIFF_INSERT         0x4000u
#define DIFF_TWO_BYTE_SIZES 0x8000u

JET_ERR lr_replaced_apply(const uint8_t *old, size_t old_len,
			  const uint8_t *diff, size_t diff_len, bool diff2,
			  uint8_t *out, size_t out_cap, size_t *out_len,
			  jr_errinfo *ei)
{
	size_t d = 0, o = 0, n = 0;

	while (d < diff_len) {
		size_t ib;
		unsigned flags;

		/* both header forms become (ib, DIFFHDR-style flag bits) */
		if (diff2) {
			if (diff_len - d < 3)
				goto truncated;
			ib = jr_le16(diff + d);
			flags = (unsigned)diff[d + 2] << 8;
			d += 3;
		} else {
			if (diff_len - d < 2)
				goto truncated;
			uint16_t h = jr_le16(diff + d);
			ib = h & DIFF_IB_MASK;
			flags = h & ~DIFF_IB_MASK;
			d += 2;
		}
		size_t width = (flags & DIFF_TWO_BYTE_SIZES) ? 2 : 1;
		size_t cb_new, cb_old;

		if (diff_len - d < width)
			goto truncated;
		cb_new = width == 2 ? jr_le16(diff + d) : diff[d];
		d += width;
		if (flags & DIFF_INSERT) {
			cb_old = 0;
		} else if (flags & DIFF_SAME_LENGTH) {
			cb_old = cb_new;
		} else {
			if (diff_len - d < width)
				goto truncated;
			cb_old = width == 2 ? jr_le16(diff + d) : diff[d];
			d += width;
		}
		if (diff_len - d < cb_new)
			goto truncated;

		/* copy the unchanged old bytes before this entry */
		if (ib < o || ib > old_len)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "ReplaceD: diff offset %zu outside the unconsumed old data [%zu, %zu]",
				       ib, o, old_len);
		size_t keep = ib - o;
		if (keep > out_cap - n || cb_new > out_cap - n - keep)
			goto too_big;
		memcpy(out + n, old + o, keep);
		n += keep;
		o = ib;
		memcpy(out + n, diff + d, cb_new);
		n += cb_new;
		d += cb_new;
		if (cb_old > old_len - o)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "ReplaceD: diff at %zu replaces %zu bytes but the old data has %zu",
				       ib, cb_old, old_len - o);
		o += cb_old;
	}
	if (old_len - o > out_cap - n)
		goto too_big;
	memcpy(out + n, old + o, old_len - o);
	n += old_len - o;
	*out_len = n;
	return JET_errSuccess;

truncated:
	return jr_fail(ei, JET_errLogFileCorrupt,
		       "ReplaceD: diff truncated at byte %zu of %zu", d,
		       diff_len);
too_big:
	return jr_fail(ei, JET_errLogFileCorrupt,
		       "ReplaceD: the new data would exceed %zu bytes", out_cap);
}

/* ---------------------------------------------------------------------
 * Pre-images
 * ------------------------------------------------------------------- */

/* Page header fields rehydration needs (the same in the 40-byte header of
 * small pages and the 80-byte one of 16/32 KiB pages). */
#define PGHDR_CB_FREE        28
#define PGHDR_ITAG_MIC_FREE  34
#define PGHDR_SMALL_SIZE     40
#define PGHDR_LARGE_SIZE     80
#define TAG_SIZE              4

JET_ERR lr_preimage_expand(uint32_t preimage_flags, lr_bytes preimage,
			   uint8_t *page, size_t page_size, jr_errinfo *ei)
{
	size_t hdr = page_size > 8192 ? PGHDR_LARGE_SIZE : PGHDR_SMALL_SIZE;
	size_t cb = preimage.len;

	if (!is_page_size((uint32_t)page_size) || page_size < 4096)
		return jr_fail(ei, JET_errInvalidParameter,
			       "pre-image: page size %zu", page_size);
	if (cb == 0)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "pre-image: the record has none");

	if (preimage_flags & LR_PREIMAGE_XPRESS) {
		size_t got = 0;
		jr_errinfo dei = { 0 };
		JET_ERR err = jr_ese_decompress(preimage.p, cb, page,
						page_size, &got, &dei);
		if (err < 0)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "pre-image: %s", dei.detail);
		cb = got;
	} else {
		if (cb > page_size)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "pre-image of %zu bytes is larger than a %zu-byte page",
				       cb, page_size);
		memcpy(page, preimage.p, cb);
	}

	if (!(preimage_flags & LR_PREIMAGE_DEHYDRATED)) {
		if (cb != page_size)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "pre-image expands to %zu bytes, not a %zu-byte page",
				       cb, page_size);
		return JET_errSuccess;
	}

	/* rehydrate: the tag array ends the short image; move it to the
	 * end of the page and give the gap to the free space */
	if (cb < hdr || cb > page_size)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "dehydrated pre-image of %zu bytes for a %zu-byte page",
			       cb, page_size);
	size_t cb_tags = (size_t)jr_le16(page + PGHDR_ITAG_MIC_FREE) * TAG_SIZE;
	if (cb_tags > cb - hdr)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "dehydrated pre-image: %zu bytes of tags in %zu bytes",
			       cb_tags, cb);
	size_t growth = page_size - cb;
	uint32_t cb_free = jr_le16(page + PGHDR_CB_FREE) + (uint32_t)growth;
	if (cb_free > 0xffff || cb_free > page_size)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "dehydrated pre-image: cbFree would become %u",
			       cb_free);
	memmove(page + page_size - cb_tags, page + cb - cb_tags, cb_tags);
	memset(page + cb - cb_tags, 0, growth);
	jr_put_le16(page + PGHDR_CB_FREE, (uint16_t)cb_free);
	return JET_errSuccess;
}

/* ---------------------------------------------------------------------
 * Describing: one walk over the fields feeds either a text line or JSON
 * ------------------------------------------------------------------- */

struct sink {
	void (*num)(struct sink *, const char *key, uint64_t v, bool hex);
	void (*inum)(struct sink *, const char *key, int64_t v);
	void (*text)(struct sink *, const char *key, const char *s);
	void (*blob)(struct sink *, const char *key, lr_bytes b);
};

/* UTF-16LE or ANSI bytes as a NUL-terminated UTF-8 string (unpaired
 * surrogates become U+FFFD; a trailing NUL ends the string). */
static void to_utf8(lr_bytes b, bool utf16, char *out, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return;
	if (!utf16) {
		for (size_t i = 0; i < b.len && b.p[i] && o + 1 < n; i++)
			out[o++] = (char)b.p[i];
		out[o] = '\0';
		return;
	}
	for (size_t i = 0; i + 1 < b.len; i += 2) {
		uint32_t c = jr_le16(b.p + i);
		if (c == 0)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < b.len) {
			uint32_t lo = jr_le16(b.p + i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		uint8_t u[4];
		size_t k;
		if (c < 0x80) {
			u[0] = (uint8_t)c; k = 1;
		} else if (c < 0x800) {
			u[0] = (uint8_t)(0xc0 | c >> 6);
			u[1] = (uint8_t)(0x80 | (c & 0x3f)); k = 2;
		} else if (c < 0x10000) {
			u[0] = (uint8_t)(0xe0 | c >> 12);
			u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (uint8_t)(0x80 | (c & 0x3f)); k = 3;
		} else {
			u[0] = (uint8_t)(0xf0 | c >> 18);
			u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (uint8_t)(0x80 | (c & 0x3f)); k = 4;
		}
		if (o + k + 1 > n)
			break;
		memcpy(out + o, u, k);
		o += k;
	}
	out[o] = '\0';
}

static void put_flag_names(struct sink *s, uint8_t flags)
{
	static const char *const names[] = { "versioned", "deleted", "unique",
					     "space", "concci", "systask" };
	char buf[64] = "";
	size_t o = 0;

	for (unsigned i = 0; i < 6; i++) {
		if (!(flags & (1u << i)))
			continue;
		int w = snprintf(buf + o, sizeof buf - o, "%s%s", o ? "|" : "",
				 names[i]);
		if (w > 0 && (size_t)w < sizeof buf - o)
			o += (size_t)w;
	}
	if (o)
		s->text(s, "flag_names", buf);
}

static void visit_page_hdr(struct sink *s, const lr_page_hdr *h)
{
	s->num(s, "procid", h->procid, false);
	s->num(s, "dbid", h->dbid, false);
	s->num(s, "pgno", h->pgno, false);
	s->num(s, "dbtime_before", h->dbtime_before, true);
	s->num(s, "dbtime_after", h->dbtime_after, true);
	s->num(s, "trx", h->trx_begin0, true);
	s->num(s, "level", h->level, false);
	s->num(s, "iline", h->iline, false);
	s->num(s, "flags", h->flags, true);
	put_flag_names(s, h->flags);
}

static void visit_node_hdr(struct sink *s, const lr_node_hdr *n)
{
	visit_page_hdr(s, &n->page);
	s->num(s, "rceid", n->rceid, true);
	s->num(s, "pgno_fdp", n->pgno_fdp, false);
	s->num(s, "objid_fdp", n->objid_fdp, false);
}

static void visit_path(struct sink *s, lr_bytes path, bool utf16)
{
	char buf[1024];

	to_utf8(path, utf16, buf, sizeof buf);
	s->text(s, "path", buf);
}

static void visit_logtime(struct sink *s, bool has, const ese_logtime *t)
{
	char buf[ESE_LOGTIME_STRLEN];

	if (has)
		s->text(s, "logtime", ese_logtime_format(t, buf, sizeof buf));
}

static void visit_lgpos(struct sink *s, const char *key, const ese_lgpos *p)
{
	char buf[ESE_LGPOS_STRLEN];

	s->text(s, key, ese_lgpos_format(p, buf, sizeof buf));
}

static void visit_signature(struct sink *s, const char *key,
			    const ese_signature *g)
{
	char buf[ESE_SIGNATURE_STRLEN];

	s->text(s, key, ese_signature_format(g, buf, sizeof buf));
}

static void visit_split(struct sink *s, const lr_split *d)
{
	visit_page_hdr(s, &d->page);
	s->num(s, "pgno_new", d->pgno_new, false);
	s->num(s, "pgno_right", d->pgno_right, false);
	s->num(s, "dbtime_right_before", d->dbtime_right_before, true);
	s->num(s, "pgno_parent", d->pgno_parent, false);
	s->num(s, "dbtime_parent_before", d->dbtime_parent_before, true);
	s->num(s, "pgno_fdp", d->pgno_fdp, false);
	s->num(s, "objid_fdp", d->objid_fdp, false);
	s->num(s, "splittype", d->splittype, false);
	s->num(s, "splitoper", d->splitoper, false);
	s->num(s, "iline_oper", d->iline_oper, false);
	s->num(s, "iline_split", d->iline_split, false);
	s->num(s, "clines", d->clines, false);
	s->num(s, "new_page_flags", d->new_page_flags, true);
	s->num(s, "split_page_flags", d->split_page_flags, true);
	s->inum(s, "cb_unc_free_src", d->cb_unc_free_src);
	s->inum(s, "cb_unc_free_dest", d->cb_unc_free_dest);
	s->inum(s, "iline_prefix_split", d->iline_prefix_split);
	s->inum(s, "iline_prefix_new", d->iline_prefix_new);
	s->blob(s, "key_parent", d->key_parent);
	s->blob(s, "prefix_split_old", d->prefix_split_old);
	s->blob(s, "prefix_split_new", d->prefix_split_new);
	s->num(s, "preimage_flags", d->preimage_flags, true);
	s->num(s, "cb_preimage", d->preimage.len, false);
}

static void visit_merge(struct sink *s, const lr_merge *d)
{
	visit_page_hdr(s, &d->page);
	s->num(s, "pgno_right", d->pgno_right, false);
	s->num(s, "dbtime_right_before", d->dbtime_right_before, true);
	s->num(s, "pgno_left", d->pgno_left, false);
	s->num(s, "dbtime_left_before", d->dbtime_left_before, true);
	s->num(s, "pgno_parent", d->pgno_parent, false);
	s->num(s, "dbtime_parent_before", d->dbtime_parent_before, true);
	s->num(s, "pgno_fdp", d->pgno_fdp, false);
	s->num(s, "objid_fdp", d->objid_fdp, false);
	s->num(s, "cb_size_total", d->cb_size_total, false);
	s->num(s, "cb_size_max_total", d->cb_size_max_total, false);
	s->num(s, "cb_unc_free_dest", d->cb_unc_free_dest, false);
	s->num(s, "iline_merge", d->iline_merge, false);
	s->num(s, "merge_flags", d->merge_flags, true);
	s->num(s, "mergetype", d->mergetype, false);
	s->blob(s, "key_parent_sep", d->key_parent_sep);
	s->num(s, "preimage_flags", d->preimage_flags, true);
	s->num(s, "cb_preimage", d->preimage.len, false);
}

static void visit_fields(const lr_record *r, struct sink *s)
{
	switch (r->lrtyp) {
	case ESE_LRTYP_INSERT: {
		const lr_insert *d = &r->u.insert;
		visit_node_hdr(s, &d->n);
		s->blob(s, "key_prefix", d->key_prefix);
		s->blob(s, "key_suffix", d->key_suffix);
		s->num(s, "cb_data", d->data.len, false);
		break;
	}
	case ESE_LRTYP_FLAG_INSERT:
		visit_node_hdr(s, &r->u.flag_insert.n);
		s->blob(s, "key", r->u.flag_insert.key);
		s->num(s, "cb_data", r->u.flag_insert.data.len, false);
		break;
	case ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA: {
		const lr_flag_insert_replace *d = &r->u.flag_insert_replace;
		visit_node_hdr(s, &d->n);
		s->num(s, "rceid_replace", d->rceid_replace, true);
		s->blob(s, "key", d->key);
		s->num(s, "cb_data", d->data.len, false);
		break;
	}
	case ESE_LRTYP_REPLACE:
	case ESE_LRTYP_REPLACE_D: {
		const lr_replace *d = &r->u.replace;
		visit_node_hdr(s, &d->n);
		s->num(s, "cb_old_data", d->cb_old_data, false);
		s->num(s, "cb_new_data", d->cb_new_data, false);
		if (d->diff) {
			s->num(s, "cb_diff", d->data.len, false);
			s->num(s, "diff2", d->diff2, false);
		}
		break;
	}
	case ESE_LRTYP_DELTA:
	case ESE_LRTYP_DELTA64: {
		const lr_delta *d = &r->u.delta;
		visit_node_hdr(s, &d->n);
		s->inum(s, "delta", d->delta);
		s->num(s, "cb_offset", d->cb_offset, false);
		s->blob(s, "bm_key", d->bm_key);
		s->blob(s, "bm_data", d->bm_data);
		break;
	}
	case ESE_LRTYP_UNDO: {
		const lr_undo *d = &r->u.undo;
		visit_node_hdr(s, &d->n);
		s->num(s, "oper", d->oper, false);
		s->num(s, "level_undo", d->level_undo, false);
		s->blob(s, "bm_key", d->bm_key);
		s->blob(s, "bm_data", d->bm_data);
		break;
	}
	case ESE_LRTYP_UNDO_INFO: {
		const lr_undo_info *d = &r->u.undo_info;
		visit_node_hdr(s, &d->n);
		s->num(s, "oper", d->oper, false);
		s->inum(s, "cb_max_size", d->cb_max_size);
		s->inum(s, "cb_delta", d->cb_delta);
		s->blob(s, "bm_key", d->bm_key);
		s->blob(s, "bm_data", d->bm_data);
		s->num(s, "cb_data", d->data.len, false);
		break;
	}
	case ESE_LRTYP_SET_EXTERNAL_HEADER:
		visit_node_hdr(s, &r->u.set_ext_header.n);
		s->blob(s, "data", r->u.set_ext_header.data);
		break;
	case ESE_LRTYP_SCRUB:
		visit_node_hdr(s, &r->u.scrub.n);
		s->num(s, "scrub_flags", r->u.scrub.scrub_flags, true);
		s->num(s, "cscrub_oper", r->u.scrub.cscrub_oper, false);
		s->num(s, "cb_data", r->u.scrub.data.len, false);
		break;
	case ESE_LRTYP_EMPTY_TREE:
		visit_node_hdr(s, &r->u.empty_tree.n);
		s->num(s, "count", r->u.empty_tree.count, false);
		break;
	case ESE_LRTYP_FLAG_DELETE:
	case ESE_LRTYP_DELETE:
		visit_node_hdr(s, &r->u.node);
		break;
	case ESE_LRTYP_SPLIT:
	case ESE_LRTYP_SPLIT2:
		visit_split(s, &r->u.split);
		break;
	case ESE_LRTYP_MERGE:
	case ESE_LRTYP_MERGE2:
		visit_merge(s, &r->u.merge);
		break;
	case ESE_LRTYP_PAGE_MOVE: {
		const lr_page_move *d = &r->u.page_move;
		visit_page_hdr(s, &d->page);
		s->num(s, "pgno_dest", d->pgno_dest, false);
		s->num(s, "pgno_left", d->pgno_left, false);
		s->num(s, "pgno_right", d->pgno_right, false);
		s->num(s, "pgno_parent", d->pgno_parent, false);
		s->num(s, "dbtime_left_before", d->dbtime_left_before, true);
		s->num(s, "dbtime_right_before", d->dbtime_right_before, true);
		s->num(s, "dbtime_parent_before", d->dbtime_parent_before, true);
		s->num(s, "pgno_fdp", d->pgno_fdp, false);
		s->num(s, "objid_fdp", d->objid_fdp, false);
		s->inum(s, "iline_parent", d->iline_parent);
		s->num(s, "move_flags", d->move_flags, true);
		s->num(s, "cb_page_header", d->page_header.len, false);
		s->num(s, "cb_page_trailer", d->page_trailer.len, false);
		break;
	}
	case ESE_LRTYP_ROOT_PAGE_MOVE: {
		const lr_root_page_move *d = &r->u.root_page_move;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "dbtime_after", d->dbtime_after, true);
		s->num(s, "objid", d->objid, false);
		break;
	}
	case ESE_LRTYP_NEW_PAGE: {
		const lr_new_page *d = &r->u.new_page;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno", d->pgno, false);
		s->num(s, "dbtime_after", d->dbtime_after, true);
		s->num(s, "objid", d->objid, false);
		break;
	}
	case ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP:
	case ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP: {
		const lr_create_fdp *d = &r->u.create_fdp;
		visit_page_hdr(s, &d->page);
		s->num(s, "objid_fdp", d->objid_fdp, false);
		if (d->multiple) {
			s->num(s, "pgno_oe", d->pgno_oe, false);
			s->num(s, "pgno_ae", d->pgno_ae, false);
		}
		s->num(s, "pgno_fdp_parent", d->pgno_fdp_parent, false);
		s->inum(s, "cpg_primary", d->cpg_primary);
		s->num(s, "page_flags", d->page_flags, true);
		break;
	}
	case ESE_LRTYP_CONVERT_FDP:
	case ESE_LRTYP_CONVERT_FDP2: {
		const lr_convert_fdp *d = &r->u.convert_fdp;
		visit_page_hdr(s, &d->page);
		s->num(s, "objid_fdp", d->objid_fdp, false);
		s->num(s, "pgno_oe", d->pgno_oe, false);
		s->num(s, "pgno_ae", d->pgno_ae, false);
		s->num(s, "pgno_fdp_parent", d->pgno_fdp_parent, false);
		s->num(s, "pgno_secondary_first", d->pgno_secondary_first,
		       false);
		s->inum(s, "cpg_primary", d->cpg_primary);
		s->inum(s, "cpg_secondary", d->cpg_secondary);
		s->num(s, "rgbit_avail", d->rgbit_avail, true);
		s->num(s, "cpage_flags", d->cpage_flags, true);
		break;
	}
	case ESE_LRTYP_BEGIN:
	case ESE_LRTYP_BEGIN0:
	case ESE_LRTYP_BEGIN_DT: {
		const lr_begin *d = &r->u.begin;
		s->num(s, "procid", d->procid, false);
		s->num(s, "level_begin_from", d->level_begin_from, false);
		s->num(s, "clevels_to_begin", d->clevels_to_begin, false);
		if (d->has_trx)
			s->num(s, "trx", d->trx_begin0, true);
		break;
	}
	case ESE_LRTYP_COMMIT:
	case ESE_LRTYP_COMMIT0: {
		const lr_commit *d = &r->u.commit;
		s->num(s, "procid", d->procid, false);
		s->num(s, "level_commit_to", d->level_commit_to, false);
		if (d->has_trx)
			s->num(s, "trx_commit0", d->trx_commit0, true);
		break;
	}
	case ESE_LRTYP_ROLLBACK:
		s->num(s, "procid", r->u.rollback.procid, false);
		s->num(s, "level_rollback", r->u.rollback.level_rollback, false);
		break;
	case ESE_LRTYP_REFRESH:
		s->num(s, "procid", r->u.refresh.procid, false);
		s->num(s, "trx", r->u.refresh.trx_begin0, true);
		break;
	case ESE_LRTYP_MACRO_BEGIN:
	case ESE_LRTYP_MACRO_COMMIT:
	case ESE_LRTYP_MACRO_ABORT:
		s->num(s, "procid", r->u.macro.procid, false);
		s->num(s, "dbtime", r->u.macro.dbtime, true);
		break;
	case ESE_LRTYP_PREP_COMMIT:
	case ESE_LRTYP_PREP_ROLLBACK:
	case ESE_LRTYP_FORCE_WRITE_LOG:
		s->num(s, "procid", r->u.trx_misc.procid, false);
		if (r->lrtyp == ESE_LRTYP_PREP_COMMIT)
			s->num(s, "cb_data", r->u.trx_misc.data.len, false);
		break;
	case ESE_LRTYP_MACRO_INFO:
	case ESE_LRTYP_MACRO_INFO2: {
		const lr_macro_info *d = &r->u.macro_info;
		char buf[256];
		size_t o = 0;
		if (d->v2)
			s->num(s, "dbid", d->dbid, false);
		s->num(s, "count", d->count, false);
		buf[0] = '\0';
		for (uint32_t i = 0; i < d->count && o + 12 < sizeof buf; i++) {
			int w = snprintf(buf + o, sizeof buf - o, "%s%u",
					 i ? "," : "",
					 lr_macro_info_pgno(d, i));
			if (w < 0 || (size_t)w >= sizeof buf - o)
				break;
			o += (size_t)w;
		}
		s->text(s, "pgnos", buf);
		break;
	}
	case ESE_LRTYP_INIT:
	case ESE_LRTYP_INIT2: {
		const lr_init *d = &r->u.init;
		s->num(s, "sessions_max", d->sessions_max, false);
		s->num(s, "open_tables_max", d->open_tables_max, false);
		s->num(s, "ver_pages_max", d->ver_pages_max, false);
		s->num(s, "cursors_max", d->cursors_max, false);
		s->num(s, "log_buffers", d->log_buffers, false);
		s->num(s, "csec_log_file", d->csec_log_file, false);
		s->num(s, "cache_size_max", d->cache_size_max, false);
		visit_logtime(s, d->has_logtime, &d->logtime);
		break;
	}
	case ESE_LRTYP_TERM:
	case ESE_LRTYP_TERM2:
	case ESE_LRTYP_RECOVERY_QUIT:
	case ESE_LRTYP_RECOVERY_QUIT2:
	case ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS: {
		const lr_term *d = &r->u.term;
		visit_lgpos(s, "lgpos", &d->lgpos);
		visit_lgpos(s, "lgpos_redo_from", &d->lgpos_redo_from);
		s->num(s, "hard", d->hard, false);
		visit_logtime(s, d->has_logtime, &d->logtime);
		break;
	}
	case ESE_LRTYP_RECOVERY_UNDO:
	case ESE_LRTYP_RECOVERY_UNDO2:
		visit_logtime(s, r->u.recovery_undo.has_logtime,
			      &r->u.recovery_undo.logtime);
		break;
	case ESE_LRTYP_ATTACH_DB: {
		const lr_attach_db *d = &r->u.attach_db;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "cpg_database_size_max", d->cpg_database_size_max,
		       false);
		visit_lgpos(s, "lgpos_consistent", &d->lgpos_consistent);
		visit_signature(s, "sign_db", &d->sign_db);
		visit_signature(s, "sign_log", &d->sign_log);
		s->num(s, "attach_flags", d->flags, true);
		visit_path(s, d->path, d->flags & ATTACH_UNICODE);
		break;
	}
	case ESE_LRTYP_DETACH_DB: {
		const lr_detach_db *d = &r->u.detach_db;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "detach_flags", d->flags, true);
		visit_path(s, d->path, d->flags & DETACH_UNICODE);
		break;
	}
	case ESE_LRTYP_CREATE_DB: {
		const lr_create_db *d = &r->u.create_db;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "grbit", d->grbit, true);
		s->num(s, "cpg_database_size_max", d->cpg_database_size_max,
		       false);
		visit_signature(s, "sign_db", &d->sign_db);
		s->num(s, "create_flags", d->flags, true);
		if (d->flags & CREATE_VERSION) {
			s->num(s, "version", d->version, true);
			s->num(s, "update_major", d->update_major, true);
		}
		visit_path(s, d->path, d->flags & CREATE_UNICODE);
		break;
	}
	case ESE_LRTYP_CREATE_DB_FINISH:
		s->num(s, "procid", r->u.dbid_only.procid, false);
		s->num(s, "dbid", r->u.dbid_only.dbid, false);
		break;
	case ESE_LRTYP_SIGNAL_ATTACH_DB:
		s->num(s, "dbid", r->u.dbid_only.dbid, false);
		break;
	case ESE_LRTYP_SET_DB_VERSION: {
		const lr_set_db_version *d = &r->u.set_db_version;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "major", d->major, true);
		s->num(s, "update_major", d->update_major, false);
		s->num(s, "update_minor", d->update_minor, false);
		break;
	}
	case ESE_LRTYP_EXTEND_DB:
		s->num(s, "dbid", r->u.extend_db.dbid, false);
		s->num(s, "pgno_last", r->u.extend_db.pgno_last, false);
		break;
	case ESE_LRTYP_SHRINK_DB:
	case ESE_LRTYP_SHRINK_DB2:
	case ESE_LRTYP_SHRINK_DB3: {
		const lr_shrink_db *d = &r->u.shrink_db;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno_last", d->pgno_last, false);
		s->inum(s, "cpg_shrunk", d->cpg_shrunk);
		if (d->has_dbtime)
			s->num(s, "dbtime", d->dbtime, true);
		break;
	}
	case ESE_LRTYP_TRIM_DB:
		s->num(s, "dbid", r->u.trim_db.dbid, false);
		s->num(s, "pgno_start_zeroes", r->u.trim_db.pgno_start_zeroes,
		       false);
		s->inum(s, "cpg_zero_length", r->u.trim_db.cpg_zero_length);
		break;
	case ESE_LRTYP_EXTENT_FREED:
	case ESE_LRTYP_EXTENT_FREED2: {
		const lr_extent_freed *d = &r->u.extent_freed;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno_first", d->pgno_first, false);
		s->inum(s, "cpg_extent", d->cpg_extent);
		s->num(s, "extent_flags", d->flags, true);
		if (d->has_dbtime)
			s->num(s, "dbtime", d->dbtime, true);
		break;
	}
	case ESE_LRTYP_BACKUP2: {
		const lr_backup2 *d = &r->u.backup2;
		s->num(s, "phase", d->phase, false);
		s->num(s, "backup_type", d->backup_type, false);
		s->num(s, "scope", d->scope, false);
		s->num(s, "dbid", d->dbid, false);
		visit_lgpos(s, "lgpos_mark", &d->bkinfo.lgpos_mark);
		s->num(s, "gen_low", d->bkinfo.gen_low, false);
		s->num(s, "gen_high", d->bkinfo.gen_high, false);
		visit_path(s, d->path, false);
		break;
	}
	case ESE_LRTYP_FULL_BACKUP:
	case ESE_LRTYP_INC_BACKUP:
	case ESE_LRTYP_BACKUP:
		if (r->lrtyp == ESE_LRTYP_BACKUP)
			s->num(s, "backup_type", r->u.backup_old.backup_type,
			       false);
		visit_path(s, r->u.backup_old.path, false);
		break;
	case ESE_LRTYP_EXT_RESTORE:
	case ESE_LRTYP_EXT_RESTORE2: {
		char buf[1024];
		to_utf8(r->u.ext_restore.info, r->u.ext_restore.unicode, buf,
			sizeof buf);
		s->text(s, "info", buf);
		break;
	}
	case ESE_LRTYP_TRACE:
	case ESE_LRTYP_FORCE_LOG_ROLLOVER: {
		char buf[1024];
		s->num(s, "procid", r->u.trace.procid, false);
		to_utf8(r->u.trace.text, false, buf, sizeof buf);
		s->text(s, "text", buf);
		break;
	}
	case ESE_LRTYP_JET_OP:
		s->num(s, "procid", r->u.jetop.procid, false);
		s->num(s, "op", r->u.jetop.op, false);
		break;
	case ESE_LRTYP_MS:
		s->num(s, "ib_forward_link", r->u.ms.ib_forward_link, false);
		s->num(s, "checksum", r->u.ms.checksum, true);
		s->num(s, "isec_forward_link", r->u.ms.isec_forward_link, false);
		break;
	case ESE_LRTYP_COMMIT_CTX:
		s->num(s, "procid", r->u.commit_ctx.procid, false);
		s->num(s, "ctx_flags", r->u.commit_ctx.ctx_flags, true);
		s->num(s, "cb_context", r->u.commit_ctx.context.len, false);
		break;
	case ESE_LRTYP_SCAN_CHECK:
	case ESE_LRTYP_SCAN_CHECK2: {
		const lr_scan_check *d = &r->u.scan_check;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno", d->pgno, false);
		if (!d->legacy)
			s->num(s, "flags_and_source", d->flags_and_source,
			       true);
		s->num(s, "dbtime_page", d->dbtime_page, true);
		s->num(s, "dbtime_current", d->dbtime_current, true);
		s->num(s, "checksum", d->checksum, true);
		break;
	}
	case ESE_LRTYP_REATTACH:
		s->num(s, "dbid", r->u.reattach.dbid, false);
		visit_lgpos(s, "lgpos_attach", &r->u.reattach.lgpos_attach);
		visit_lgpos(s, "lgpos_consistent",
			    &r->u.reattach.lgpos_consistent);
		visit_signature(s, "sign_db", &r->u.reattach.sign_db);
		break;
	case ESE_LRTYP_FREE_FDP:
		s->num(s, "dbid", r->u.free_fdp.dbid, false);
		s->num(s, "pgno_fdp", r->u.free_fdp.pgno_fdp, false);
		s->num(s, "trx_committed", r->u.free_fdp.trx_committed, true);
		s->num(s, "fdp_type", r->u.free_fdp.fdp_type, false);
		break;
	case ESE_LRTYP_PAGE_PATCH_REQUEST:
		s->num(s, "dbid", r->u.page_patch.dbid, false);
		s->num(s, "pgno", r->u.page_patch.pgno, false);
		s->num(s, "dbtime", r->u.page_patch.dbtime, true);
		break;
	case ESE_LRTYP_FRAGMENT_BEGIN:
	case ESE_LRTYP_FRAGMENT:
		if (r->lrtyp == ESE_LRTYP_FRAGMENT_BEGIN)
			s->num(s, "cb_total", r->u.fragment.cb_total, false);
		s->num(s, "cb_fragment", r->u.fragment.data.len, false);
		break;
	case ESE_LRTYP_NOP2:
	default:
		if (decoder_for(r->lrtyp) == dec_ignored)
			s->num(s, "cb", r->u.ignored.cb, false);
		break;
	}
}

/* ---- text sink ---- */

struct text_sink {
	struct sink s;
	char *buf;
	size_t n;
	size_t need;              /* length of the whole line */
};

static void text_put(struct text_sink *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_put(struct text_sink *t, const char *fmt, ...)
{
	va_list ap;
	size_t room = t->need < t->n ? t->n - t->need : 0;

	va_start(ap, fmt);
	int w = vsnprintf(room ? t->buf + t->need : NULL, room, fmt, ap);
	va_end(ap);
	if (w > 0)
		t->need += (size_t)w;
}

static void text_num(struct sink *s, const char *key, uint64_t v, bool hex)
{
	struct text_sink *t = (struct text_sink *)s;

	if (hex)
		text_put(t, " %s:0x%llx", key, (unsigned long long)v);
	else
		text_put(t, " %s:%llu", key, (unsigned long long)v);
}

static void text_inum(struct sink *s, const char *key, int64_t v)
{
	text_put((struct text_sink *)s, " %s:%lld", key, (long long)v);
}

static void text_text(struct sink *s, const char *key, const char *str)
{
	text_put((struct text_sink *)s, " %s:\"%s\"", key, str);
}

static void text_blob(struct sink *s, const char *key, lr_bytes b)
{
	struct text_sink *t = (struct text_sink *)s;
	uint32_t shown = b.len < 16 ? b.len : 16;

	text_put(t, " %s:", key);
	if (b.len == 0) {
		text_put(t, "-");
		return;
	}
	for (uint32_t i = 0; i < shown; i++)
		text_put(t, "%02x", b.p[i]);
	if (shown < b.len)
		text_put(t, "..(%u)", b.len);
}

size_t lr_describe(const lr_record *r, char *buf, size_t n)
{
	struct text_sink t = {
		.s = { text_num, text_inum, text_text, text_blob },
		.buf = buf, .n = n, .need = 0,
	};

	if (n)
		buf[0] = '\0';
	text_put(&t, "%-24s len:%u", ese_lrtyp_name(r->lrtyp), r->len);
	visit_fields(r, &t.s);
	return t.need;
}

/* ---- JSON sink ---- */

struct json_sink {
	struct sink s;
	jr_json *j;
};

static void json_num(struct sink *s, const char *key, uint64_t v, bool hex)
{
	(void)hex;
	jr_json_u64(((struct json_sink *)s)->j, key, v);
}

static void json_inum(struct sink *s, const char *key, int64_t v)
{
	jr_json_i64(((struct json_sink *)s)->j, key, v);
}

static void json_text(struct sink *s, const char *key, const char *str)
{
	jr_json_str(((struct json_sink *)s)->j, key, str);
}

static void json_blob(struct sink *s, const char *key, lr_bytes b)
{
	static const char hexd[] = "0123456789abcdef";
	char small[128];
	char *hex = small;

	if ((size_t)b.len * 2 + 1 > sizeof small) {
		hex = malloc((size_t)b.len * 2 + 1);
		if (!hex) {
			jr_json_null(((struct json_sink *)s)->j, key);
			return;
		}
	}
	for (uint32_t i = 0; i < b.len; i++) {
		hex[2 * i] = hexd[b.p[i] >> 4];
		hex[2 * i + 1] = hexd[b.p[i] & 15];
	}
	hex[(size_t)b.len * 2] = '\0';
	jr_json_str(((struct json_sink *)s)->j, key, hex);
	if (hex != small)
		free(hex);
}

void lr_to_json(const lr_record *r, jr_json *j)
{
	struct json_sink js = {
		.s = { json_num, json_inum, json_text, json_blob },
		.j = j,
	};

	jr_json_str(j, "type", ese_lrtyp_name(r->lrtyp));
	jr_json_u64(j, "lrtyp", r->lrtyp);
	jr_json_u64(j, "len", r->len);
	visit_fields(r, &js.s);
}
