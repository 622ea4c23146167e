/*
 * patchpage.c - the streaming-backup trailer page (layout in patchpage.h).
 */
#include <string.h>

#include <glib.h>

#include "ese/checksum.h"
#include "ese/patchpage.h"
#include "util/bytes.h"
#include "util/io.h"

#define OFF_CHECKSUM                  0
#define OFF_PGHDR_REST                4
#define OFF_BKINFO                    40
#define OFF_SIGN_DB                   64
#define OFF_SIGN_LOG                  92
#define OFF_GEN_MIN_REQUIRED          120
#define OFF_GEN_MAX_REQUIRED          124
#define OFF_GEN_MAX_COMMITTED         128
#define OFF_LOGTIME_GEN_MAX_REQUIRED  132
#define OFF_LOGTIME_GEN_MAX_COMMITTED 140

JET_ERR ese_patchpage_parse(const uint8_t *buf, size_t page_size,
			    ese_patchpage *out, jr_errinfo *ei)
{
	memset(out, 0, sizeof *out);
	if (page_size < ESE_PATCHHDR_SIZE)
		return jr_fail(ei, JET_errBadPatchPage,
			       "patch page: %zu bytes, need %d", page_size,
			       ESE_PATCHHDR_SIZE);
	out->checksum = jr_le32(buf + OFF_CHECKSUM);
	memcpy(out->pghdr_rest, buf + OFF_PGHDR_REST, sizeof out->pghdr_rest);
	ese_bkinfo_parse(buf + OFF_BKINFO, &out->bkinfo);
	ese_signature_parse(buf + OFF_SIGN_DB, &out->sign_db);
	ese_signature_parse(buf + OFF_SIGN_LOG, &out->sign_log);
	out->gen_min_required = jr_le32(buf + OFF_GEN_MIN_REQUIRED);
	out->gen_max_required = jr_le32(buf + OFF_GEN_MAX_REQUIRED);
	out->gen_max_committed = jr_le32(buf + OFF_GEN_MAX_COMMITTED);
	ese_logtime_parse(buf + OFF_LOGTIME_GEN_MAX_REQUIRED,
			  &out->logtime_gen_max_required);
	ese_logtime_parse(buf + OFF_LOGTIME_GEN_MAX_COMMITTED,
			  &out->logtime_gen_max_committed);
	for (size_t i = ESE_PATCHHDR_SIZE; i < page_size && !out->tail_nonzero; i++)
		out->tail_nonzero = buf[i] != 0;

	if (!ese_header_checksum_ok(buf, page_size))
		return jr_fail(ei, JET_errBadPatchPage,
			       "patch page: checksum 0x%08x, computed 0x%08x",
			       out->checksum, ese_checksum_xor(buf, page_size));
	return JET_errSuccess;
}

JET_ERR ese_patchpage_read_fd(int fd, uint32_t page_size, ese_patchpage *out,
			      jr_errinfo *ei)
{
	uint64_t size;
	uint8_t *page;
	JET_ERR err;

	memset(out, 0, sizeof *out);
	if (page_size < ESE_PATCHHDR_SIZE || page_size > ESE_DB_PAGE_SIZE_MAX)
		return jr_fail(ei, JET_errInvalidParameter,
			       "patch page: page size %u", page_size);
	err = jr_file_size(fd, &size, ei);
	if (err < 0)
		return err;
	if (size < 3 * (uint64_t)page_size)
		return jr_fail(ei, JET_errBadPatchPage,
			       "patch page: file of %llu bytes has no room for a trailer",
			       (unsigned long long)size);
	page = g_malloc(page_size);
	err = jr_pread_full(fd, page, page_size, size - page_size,
			    JET_errBadPatchPage, ei);
	if (err >= 0)
		err = ese_patchpage_parse(page, page_size, out, ei);
	g_free(page);
	return err;
}

JET_ERR ese_patchpage_check(const ese_dbheader *h, const ese_patchpage *p,
			    bool skip_min_log_checks, jr_errinfo *ei)
{
	char a[ESE_LGPOS_STRLEN], b[ESE_LGPOS_STRLEN];

	if (!ese_signature_equal(&h->sign_db, &p->sign_db))
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "patch page: database signature differs from the header's");
	if (!ese_signature_equal(&h->sign_log, &p->sign_log))
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "patch page: log signature differs from the header's");
	if (p->bkinfo.gen_high == 0)
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "patch page: backup genHigh is 0");
	if (!skip_min_log_checks &&
	    ese_lgpos_cmp(&h->bk_full_cur.lgpos_mark, &p->bkinfo.lgpos_mark) != 0)
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "patch page: backup mark %s, header's current full backup mark %s",
			       ese_lgpos_format(&p->bkinfo.lgpos_mark, a, sizeof a),
			       ese_lgpos_format(&h->bk_full_cur.lgpos_mark, b, sizeof b));
	return JET_errSuccess;
}

JET_ERR ese_patchpage_apply(ese_dbheader *h, const ese_patchpage *p,
			    jr_errinfo *ei)
{
	JET_ERR err = ese_patchpage_check(h, p, false, ei);
	uint32_t gen_high = p->bkinfo.gen_high;
	uint32_t max_req, max_com;

	if (err < 0)
		return err;
	h->bk_full_cur.gen_high = gen_high;

	/* Older engines did not record the range: the backup's top stands in. */
	max_req = p->gen_max_required ? p->gen_max_required : gen_high;
	max_com = p->gen_max_committed ? p->gen_max_committed : gen_high;
	if (p->gen_min_required && p->gen_min_required < h->gen_min_required)
		h->gen_min_required = p->gen_min_required;
	if (max_req >= h->gen_max_required) {
		h->logtime_gen_max_required = p->logtime_gen_max_required;
		h->gen_max_required = max_req;
	}
	if (max_com >= h->gen_max_committed) {
		h->logtime_gen_max_create = p->logtime_gen_max_committed;
		h->gen_max_committed = max_com;
	}
	h->gen_min_consistent = h->gen_min_required;
	h->gen_pre_redo_min_consistent = 0;
	h->gen_pre_redo_min_required = 0;
	return JET_errSuccess;
}

void ese_patchpage_from_header(const ese_dbheader *h, const ese_bkinfo *bk,
			       ese_patchpage *out)
{
	memset(out, 0, sizeof *out);
	out->bkinfo = *bk;
	out->sign_db = h->sign_db;
	out->sign_log = h->sign_log;
	out->gen_min_required = h->gen_min_required;
	out->gen_max_required = h->gen_max_required;
	out->gen_max_committed = h->gen_max_committed;
	out->logtime_gen_max_required = h->logtime_gen_max_required;
	out->logtime_gen_max_committed = h->logtime_gen_max_create;
}

JET_ERR ese_patchpage_write(const ese_patchpage *p, uint8_t *buf,
			    size_t page_size)
{
	if (page_size < ESE_PATCHHDR_SIZE)
		return JET_errInvalidParameter;
	memset(buf, 0, page_size);
	memcpy(buf + OFF_PGHDR_REST, p->pghdr_rest, sizeof p->pghdr_rest);
	ese_bkinfo_write(&p->bkinfo, buf + OFF_BKINFO);
	ese_signature_write(&p->sign_db, buf + OFF_SIGN_DB);
	ese_signature_write(&p->sign_log, buf + OFF_SIGN_LOG);
	jr_put_le32(buf + OFF_GEN_MIN_REQUIRED, p->gen_min_required);
	jr_put_le32(buf + OFF_GEN_MAX_REQUIRED, p->gen_max_required);
	jr_put_le32(buf + OFF_GEN_MAX_COMMITTED, p->gen_max_committed);
	ese_logtime_write(&p->logtime_gen_max_required,
			  buf + OFF_LOGTIME_GEN_MAX_REQUIRED);
	ese_logtime_write(&p->logtime_gen_max_committed,
			  buf + OFF_LOGTIME_GEN_MAX_COMMITTED);
	ese_header_checksum_write(buf, page_size);
	return JET_errSuccess;
}
