/*
 * dbheader.c - DBFILEHDR: decode, elect header or shadow, serialize.
 * The layout table is in dbheader.h.
 *
 * Parse and write share one table of (offset, kind, struct member): every
 * byte of the 748 is listed exactly once, so a field cannot be read at one
 * offset and written at another, and a round trip is exact by construction
 * (the tests check it against the real files).
 */
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "util/bytes.h"
#include "util/io.h"

/* Named offsets (see the table in dbheader.h). */
#define OFF_CHECKSUM            0
#define OFF_MAGIC               4
#define OFF_VERSION             8
#define OFF_ATTRIB              12
#define OFF_DBTIME              16
#define OFF_SIGN_DB             24
#define OFF_STATE               52
#define OFF_LGPOS_CONSISTENT    56
#define OFF_LOGTIME_CONSISTENT  64
#define OFF_LOGTIME_ATTACH      72
#define OFF_LGPOS_ATTACH        80
#define OFF_LOGTIME_DETACH      88
#define OFF_LGPOS_DETACH        96
#define OFF_DBID                104
#define OFF_SIGN_LOG            108
#define OFF_BK_FULL_PREV        136
#define OFF_BK_INC_PREV         160
#define OFF_BK_FULL_CUR         184
#define OFF_DB_FLAGS            208
#define OFF_OBJID_LAST          212
#define OFF_OS_MAJOR            216
#define OFF_OS_MINOR            220
#define OFF_OS_BUILD            224
#define OFF_OS_SP               228
#define OFF_UPDATE_MAJOR        232
#define OFF_PAGE_SIZE           236
#define OFF_REPAIR_COUNT        240
#define OFF_LOGTIME_REPAIR      244
#define OFF_RESERVED_SIGN_SLV   252
#define OFF_DBTIME_LAST_SCRUB   280
#define OFF_LOGTIME_SCRUB       288
#define OFF_GEN_MIN_REQUIRED    296
#define OFF_GEN_MAX_REQUIRED    300
#define OFF_CPG_UPGRADE_55      304
#define OFF_CPG_UPGRADE_FREE    308
#define OFF_CPG_UPGRADE_SPACE   312
#define OFF_BK_SNAPSHOT_CUR     316
#define OFF_CREATE_VERSION      340
#define OFF_CREATE_UPDATE       344
#define OFF_LOGTIME_GEN_MAX_CREATE 348
#define OFF_BK_TYPE_FULL_PREV   356
#define OFF_BK_TYPE_INC_PREV    360
#define OFF_REPAIR_COUNT_OLD    364
#define OFF_ECC_FIX_SUCCESS     368
#define OFF_LOGTIME_ECC_FIX_SUCCESS 372
#define OFF_ECC_FIX_SUCCESS_OLD 380
#define OFF_ECC_FIX_FAIL        384
#define OFF_LOGTIME_ECC_FIX_FAIL 388
#define OFF_ECC_FIX_FAIL_OLD    396
#define OFF_BAD_CHECKSUM        400
#define OFF_LOGTIME_BAD_CHECKSUM 404
#define OFF_BAD_CHECKSUM_OLD    412
#define OFF_GEN_MAX_COMMITTED   416
#define OFF_BK_COPY_PREV        420
#define OFF_BK_DIFF_PREV        444
#define OFF_BK_TYPE_COPY_PREV   468
#define OFF_BK_TYPE_DIFF_PREV   472
#define OFF_RESEED_COUNT        476
#define OFF_LOGTIME_RESEED      480
#define OFF_RESEED_COUNT_OLD    488
#define OFF_PAGE_PATCH_COUNT    492
#define OFF_LOGTIME_PAGE_PATCH  496
#define OFF_PAGE_PATCH_COUNT_OLD 504
#define OFF_SORT_VERSION        508
#define OFF_LOGTIME_DBSCAN_PREV 516
#define OFF_LOGTIME_DBSCAN_START 524
#define OFF_PGNO_DBSCAN_HIGHEST_CONT 532
#define OFF_GEN_RECOVERING      536
#define OFF_EXTEND_COUNT        540
#define OFF_LOGTIME_LAST_EXTEND 544
#define OFF_SHRINK_COUNT        552
#define OFF_LOGTIME_LAST_SHRINK 556
#define OFF_LOGTIME_LAST_REATTACH 564
#define OFF_LGPOS_LAST_REATTACH 572
#define OFF_TRIM_COUNT          580
#define OFF_SIGN_DB_HDR_FLUSH   584
#define OFF_SIGN_FM_HDR_FLUSH   612
#define OFF_GEN_MIN_CONSISTENT  640
#define OFF_UPDATE_MINOR        644
#define OFF_EFV_MAX_BIN_ATTACH  648
#define OFF_PGNO_DBSCAN_HIGHEST 652
#define OFF_LGPOS_LAST_RESIZE   656
#define OFF_RESERVED1           664
#define OFF_FILETYPE            667
#define OFF_RESERVED2           671
#define OFF_LOGTIME_GEN_MAX_REQUIRED 672
#define OFF_GEN_PRE_REDO_MIN_CONSISTENT 680
#define OFF_GEN_PRE_REDO_MIN_REQUIRED 684
#define OFF_SIGN_RBS_HDR_FLUSH  688
#define OFF_REVERT_COUNT        716
#define OFF_LOGTIME_REVERT_FROM 720
#define OFF_LOGTIME_REVERT_TO   728
#define OFF_REVERT_PAGE_COUNT   736
#define OFF_LGPOS_COMMIT_BEFORE_REVERT 740

/* How the bytes of a field map to its member. */
typedef enum {
	K_U32,      /* uint32_t / int32_t */
	K_U64,
	K_U8,
	K_BYTES,    /* uint8_t[size] kept raw */
	K_LGPOS,
	K_LOGTIME,
	K_SIGNATURE,
	K_BKINFO,
} field_kind;

typedef struct {
	uint16_t off;
	uint16_t size;
	field_kind kind;
	size_t member;      /* offsetof(ese_dbheader, ...) */
} field;

#define F(OFF, KIND, SIZE, MEMBER) \
	{ OFF, SIZE, KIND, offsetof(ese_dbheader, MEMBER) }
#define U32(OFF, M)  F(OFF, K_U32, 4, M)
#define U64(OFF, M)  F(OFF, K_U64, 8, M)
#define LGP(OFF, M)  F(OFF, K_LGPOS, ESE_LGPOS_SIZE, M)
#define LGT(OFF, M)  F(OFF, K_LOGTIME, ESE_LOGTIME_SIZE, M)
#define SIG(OFF, M)  F(OFF, K_SIGNATURE, ESE_SIGNATURE_SIZE, M)
#define BKI(OFF, M)  F(OFF, K_BKINFO, ESE_BKINFO_SIZE, M)

static const field dbheader_fields[] = {
	U32(OFF_CHECKSUM, checksum),
	U32(OFF_MAGIC, magic),
	U32(OFF_VERSION, version),
	U32(OFF_ATTRIB, attrib),
	U64(OFF_DBTIME, dbtime),
	SIG(OFF_SIGN_DB, sign_db),
	U32(OFF_STATE, state),
	LGP(OFF_LGPOS_CONSISTENT, lgpos_consistent),
	LGT(OFF_LOGTIME_CONSISTENT, logtime_consistent),
	LGT(OFF_LOGTIME_ATTACH, logtime_attach),
	LGP(OFF_LGPOS_ATTACH, lgpos_attach),
	LGT(OFF_LOGTIME_DETACH, logtime_detach),
	LGP(OFF_LGPOS_DETACH, lgpos_detach),
	U32(OFF_DBID, dbid),
	SIG(OFF_SIGN_LOG, sign_log),
	BKI(OFF_BK_FULL_PREV, bk_full_prev),
	BKI(OFF_BK_INC_PREV, bk_inc_prev),
	BKI(OFF_BK_FULL_CUR, bk_full_cur),
	U32(OFF_DB_FLAGS, db_flags),
	U32(OFF_OBJID_LAST, objid_last),
	U32(OFF_OS_MAJOR, os_major),
	U32(OFF_OS_MINOR, os_minor),
	U32(OFF_OS_BUILD, os_build),
	U32(OFF_OS_SP, os_sp),
	U32(OFF_UPDATE_MAJOR, update_major),
	U32(OFF_PAGE_SIZE, page_size_raw),
	U32(OFF_REPAIR_COUNT, repair_count),
	LGT(OFF_LOGTIME_REPAIR, logtime_repair),
	F(OFF_RESERVED_SIGN_SLV, K_BYTES, ESE_SIGNATURE_SIZE, reserved_sign_slv),
	U64(OFF_DBTIME_LAST_SCRUB, dbtime_last_scrub),
	LGT(OFF_LOGTIME_SCRUB, logtime_scrub),
	U32(OFF_GEN_MIN_REQUIRED, gen_min_required),
	U32(OFF_GEN_MAX_REQUIRED, gen_max_required),
	U32(OFF_CPG_UPGRADE_55, cpg_upgrade_55_format),
	U32(OFF_CPG_UPGRADE_FREE, cpg_upgrade_free_pages),
	U32(OFF_CPG_UPGRADE_SPACE, cpg_upgrade_space_map_pages),
	BKI(OFF_BK_SNAPSHOT_CUR, bk_snapshot_cur),
	U32(OFF_CREATE_VERSION, create_version),
	U32(OFF_CREATE_UPDATE, create_update),
	LGT(OFF_LOGTIME_GEN_MAX_CREATE, logtime_gen_max_create),
	U32(OFF_BK_TYPE_FULL_PREV, bk_type_full_prev),
	U32(OFF_BK_TYPE_INC_PREV, bk_type_inc_prev),
	U32(OFF_REPAIR_COUNT_OLD, repair_count_old),
	U32(OFF_ECC_FIX_SUCCESS, ecc_fix_success),
	LGT(OFF_LOGTIME_ECC_FIX_SUCCESS, logtime_ecc_fix_success),
	U32(OFF_ECC_FIX_SUCCESS_OLD, ecc_fix_success_old),
	U32(OFF_ECC_FIX_FAIL, ecc_fix_fail),
	LGT(OFF_LOGTIME_ECC_FIX_FAIL, logtime_ecc_fix_fail),
	U32(OFF_ECC_FIX_FAIL_OLD, ecc_fix_fail_old),
	U32(OFF_BAD_CHECKSUM, bad_checksum),
	LGT(OFF_LOGTIME_BAD_CHECKSUM, logtime_bad_checksum),
	U32(OFF_BAD_CHECKSUM_OLD, bad_checksum_old),
	U32(OFF_GEN_MAX_COMMITTED, gen_max_committed),
	BKI(OFF_BK_COPY_PREV, bk_copy_prev),
	BKI(OFF_BK_DIFF_PREV, bk_diff_prev),
	U32(OFF_BK_TYPE_COPY_PREV, bk_type_copy_prev),
	U32(OFF_BK_TYPE_DIFF_PREV, bk_type_diff_prev),
	U32(OFF_RESEED_COUNT, reseed_count),
	LGT(OFF_LOGTIME_RESEED, logtime_reseed),
	U32(OFF_RESEED_COUNT_OLD, reseed_count_old),
	U32(OFF_PAGE_PATCH_COUNT, page_patch_count),
	LGT(OFF_LOGTIME_PAGE_PATCH, logtime_page_patch),
	U32(OFF_PAGE_PATCH_COUNT_OLD, page_patch_count_old),
	U64(OFF_SORT_VERSION, sort_version),
	LGT(OFF_LOGTIME_DBSCAN_PREV, logtime_dbscan_prev),
	LGT(OFF_LOGTIME_DBSCAN_START, logtime_dbscan_start),
	U32(OFF_PGNO_DBSCAN_HIGHEST_CONT, pgno_dbscan_highest_continuous),
	U32(OFF_GEN_RECOVERING, gen_recovering),
	U32(OFF_EXTEND_COUNT, extend_count),
	LGT(OFF_LOGTIME_LAST_EXTEND, logtime_last_extend),
	U32(OFF_SHRINK_COUNT, shrink_count),
	LGT(OFF_LOGTIME_LAST_SHRINK, logtime_last_shrink),
	LGT(OFF_LOGTIME_LAST_REATTACH, logtime_last_reattach),
	LGP(OFF_LGPOS_LAST_REATTACH, lgpos_last_reattach),
	U32(OFF_TRIM_COUNT, trim_count),
	SIG(OFF_SIGN_DB_HDR_FLUSH, sign_db_hdr_flush),
	SIG(OFF_SIGN_FM_HDR_FLUSH, sign_flush_map_hdr_flush),
	U32(OFF_GEN_MIN_CONSISTENT, gen_min_consistent),
	U32(OFF_UPDATE_MINOR, update_minor),
	U32(OFF_EFV_MAX_BIN_ATTACH, efv_max_bin_attach),
	U32(OFF_PGNO_DBSCAN_HIGHEST, pgno_dbscan_highest),
	LGP(OFF_LGPOS_LAST_RESIZE, lgpos_last_resize),
	F(OFF_RESERVED1, K_BYTES, 3, reserved1),
	U32(OFF_FILETYPE, filetype),
	F(OFF_RESERVED2, K_U8, 1, reserved2),
	LGT(OFF_LOGTIME_GEN_MAX_REQUIRED, logtime_gen_max_required),
	U32(OFF_GEN_PRE_REDO_MIN_CONSISTENT, gen_pre_redo_min_consistent),
	U32(OFF_GEN_PRE_REDO_MIN_REQUIRED, gen_pre_redo_min_required),
	SIG(OFF_SIGN_RBS_HDR_FLUSH, sign_rbs_hdr_flush),
	U32(OFF_REVERT_COUNT, revert_count),
	LGT(OFF_LOGTIME_REVERT_FROM, logtime_revert_from),
	LGT(OFF_LOGTIME_REVERT_TO, logtime_revert_to),
	U32(OFF_REVERT_PAGE_COUNT, revert_page_count),
	LGP(OFF_LGPOS_COMMIT_BEFORE_REVERT, lgpos_commit_before_revert),
};

#define N_FIELDS (sizeof dbheader_fields / sizeof dbheader_fields[0])

/* Copy one field from the on-disk bytes b into the struct h. */
static void field_decode(const field *f, const uint8_t *b, ese_dbheader *h)
{
	void *m = (char *)h + f->member;
	const uint8_t *p = b + f->off;

	switch (f->kind) {
	case K_U32: {
		uint32_t v = jr_le32(p);

		memcpy(m, &v, sizeof v);
		break;
	}
	case K_U64: {
		uint64_t v = jr_le64(p);

		memcpy(m, &v, sizeof v);
		break;
	}
	case K_U8:
	case K_BYTES:
		memcpy(m, p, f->size);
		break;
	case K_LGPOS:
		ese_lgpos_parse(p, m);
		break;
	case K_LOGTIME:
		ese_logtime_parse(p, m);
		break;
	case K_SIGNATURE:
		ese_signature_parse(p, m);
		break;
	case K_BKINFO:
		ese_bkinfo_parse(p, m);
		break;
	}
}

/* Copy one field from the struct h to the on-disk bytes b. */
static void field_encode(const field *f, const ese_dbheader *h, uint8_t *b)
{
	const void *m = (const char *)h + f->member;
	uint8_t *p = b + f->off;

	switch (f->kind) {
	case K_U32: {
		uint32_t v;

		memcpy(&v, m, sizeof v);
		jr_put_le32(p, v);
		break;
	}
	case K_U64: {
		uint64_t v;

		memcpy(&v, m, sizeof v);
		jr_put_le64(p, v);
		break;
	}
	case K_U8:
	case K_BYTES:
		memcpy(p, m, f->size);
		break;
	case K_LGPOS:
		ese_lgpos_write(m, p);
		break;
	case K_LOGTIME:
		ese_logtime_write(m, p);
		break;
	case K_SIGNATURE:
		ese_signature_write(m, p);
		break;
	case K_BKINFO:
		ese_bkinfo_write(m, p);
		break;
	}
}

JET_ERR ese_dbheader_parse(const uint8_t *buf, size_t len, ese_dbheader *out,
			   jr_errinfo *ei)
{
	memset(out, 0, sizeof *out);
	if (len < ESE_DBHEADER_SIZE)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "database header: %zu bytes, need %d", len,
			       ESE_DBHEADER_SIZE);
	for (size_t i = 0; i < N_FIELDS; i++)
		field_decode(&dbheader_fields[i], buf, out);
	for (size_t i = ESE_DBHEADER_SIZE; i < len && !out->tail_nonzero; i++)
		out->tail_nonzero = buf[i] != 0;

	if (out->magic != ESE_DB_MAGIC)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "database header: magic 0x%08x, not 0x%08x: not an ESE database",
			       out->magic, ESE_DB_MAGIC);
	if (out->version < ESE_DB_VERSION_ESE97)
		return jr_fail(ei, JET_errInvalidDatabaseVersion,
			       "database format version 0x%x is older than 0x%x (ESE97)",
			       out->version, ESE_DB_VERSION_ESE97);
	return JET_errSuccess;
}

bool ese_dbheader_copy_ok(const uint8_t *buf, size_t page_size)
{
	uint32_t declared;

	if (page_size < ESE_DBHEADER_SIZE)
		return false;
	declared = jr_le32(buf + OFF_PAGE_SIZE);
	if (declared == 0)
		declared = ESE_DB_PAGE_SIZE_DEFAULT;
	return declared == page_size && ese_header_checksum_ok(buf, page_size);
}

JET_ERR ese_dbheader_read(const uint8_t *buf, size_t len,
			  ese_dbheader_read_result *out, jr_errinfo *ei)
{
	size_t primary = 0, secondary = 0;   /* page size that validated */
	size_t size;

	memset(out, 0, sizeof *out);
	/* ESE's probe: every candidate page size, both copies. */
	for (size_t cand = ESE_DB_PAGE_SIZE_MIN; cand <= ESE_DB_PAGE_SIZE_MAX;
	     cand *= 2) {
		if (len >= cand && ese_dbheader_copy_ok(buf, cand))
			primary = cand;
		if (len >= 2 * cand && ese_dbheader_copy_ok(buf + cand, cand))
			secondary = cand;
	}
	out->primary_ok = primary != 0;
	out->shadow_ok = secondary != 0;

	if (!primary && !secondary) {
		if (len < 2 * ESE_DB_PAGE_SIZE_MIN)
			return jr_fail(ei, JET_errDatabaseCorrupted,
				       "database header: file too short (%zu bytes) to hold a header and its shadow",
				       len);
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "database header: neither the header nor its shadow has a valid checksum at any page size");
	}
	if (primary && secondary &&
	    (primary != secondary || memcmp(buf, buf + primary, primary) != 0))
		out->copies_differ = true;

	if (primary) {
		size = primary;
		out->copy = 0;
		out->status = secondary && !out->copies_differ
			      ? ESE_SHADOW_OK : ESE_SHADOW_SECONDARY_BAD;
	} else {
		size = secondary;
		out->copy = 1;
		out->status = ESE_SHADOW_PRIMARY_BAD;
	}
	out->page_size = (uint32_t)size;
	return ese_dbheader_parse(buf + out->copy * size, size, &out->hdr, ei);
}

JET_ERR ese_dbheader_read_fd(int fd, ese_dbheader_read_result *out,
			     jr_errinfo *ei)
{
	static const size_t want = 2 * ESE_DB_PAGE_SIZE_MAX;
	uint8_t *buf;
	uint64_t fsize;
	size_t len;
	JET_ERR err;

	err = jr_file_size(fd, &fsize, ei);
	if (err < 0)
		return err;
	len = fsize < want ? (size_t)fsize : want;
	buf = g_malloc(want);
	err = jr_pread_full(fd, buf, len, 0, JET_errDatabaseCorrupted, ei);
	if (err < 0)
		goto free_buf;
	err = ese_dbheader_read(buf, len, out, ei);
free_buf:
	g_free(buf);
	return err;
}

JET_ERR ese_dbheader_read_file(const char *path, ese_dbheader_read_result *out,
			       jr_errinfo *ei)
{
	int fd;
	JET_ERR err = jr_open_ro(path, &fd, ei);

	if (err < 0)
		return err;
	err = ese_dbheader_read_fd(fd, out, ei);
	close(fd);
	if (err < 0)
		jr_errinfo_prefix(ei, "%s", path);
	return err;
}

JET_ERR ese_dbheader_write(const ese_dbheader *h, uint8_t *buf, size_t len)
{
	if (len < ESE_DBHEADER_SIZE)
		return JET_errInvalidParameter;
	memset(buf, 0, len);
	for (size_t i = 0; i < N_FIELDS; i++)
		field_encode(&dbheader_fields[i], h, buf);
	ese_header_checksum_write(buf, len);
	return JET_errSuccess;
}

JET_ERR ese_dbheader_write_pair(const ese_dbheader *h, uint8_t *buf,
				size_t page_size)
{
	JET_ERR err = ese_dbheader_write(h, buf, page_size);

	if (err < 0)
		return err;
	memcpy(buf + page_size, buf, page_size);
	return JET_errSuccess;
}

uint32_t ese_dbheader_page_size(const ese_dbheader *h)
{
	return h->page_size_raw ? h->page_size_raw : ESE_DB_PAGE_SIZE_DEFAULT;
}

const char *ese_dbstate_name(uint32_t state)
{
	static const char *const names[] = {
		"Illegal",
		"Just Created",
		"Dirty Shutdown",
		"Clean Shutdown",
		"Being Converted",
		"Force Detach Replay Error",
		"Incremental Reseed In Progress",
		"Dirty and Patched Shutdown",
		"Database Revert in Progress",
	};

	return state < sizeof names / sizeof names[0] ? names[state] : names[0];
}

bool ese_dbheader_is_clean(const ese_dbheader *h)
{
	return h->state == JET_dbstateCleanShutdown;
}

bool ese_dbheader_shadowing_disabled(const ese_dbheader *h)
{
	return (h->db_flags & ESE_DBFLAG_SHADOWING_DISABLED) != 0;
}

bool ese_dbheader_needs_patch(const ese_dbheader *h)
{
	return h->bk_full_cur.gen_low != 0 && h->bk_full_cur.gen_high == 0;
}

uint64_t ese_db_page_offset(uint32_t pgno, uint32_t page_size)
{
	return ((uint64_t)pgno + 1) * page_size;
}

const char *ese_shadow_status_name(ese_shadow_status s)
{
	switch (s) {
	case ESE_SHADOW_OK:
		return "ok";
	case ESE_SHADOW_PRIMARY_BAD:
		return "primary bad";
	case ESE_SHADOW_SECONDARY_BAD:
		return "shadow bad";
	}
	return "unknown";
}
