/*
 * patchpage.h - the trailer ("patch") page of a streaming backup
 * (PATCHHDR in cpage.hxx; written by BKIMakeDbTrailer in backup.cxx,
 * checked and applied by db.cxx ErrDBReadAndCheckDBTrailer /
 * ErrDBCheckDBHeaderAndTrailer / ErrDBIUpdateHeaderFromTrailer).
 *
 * Usage:
 *   if (ese_dbheader_needs_patch(&hdr)) {
 *       ese_patchpage pp;
 *       e = ese_patchpage_read_fd(fd, page_size, &pp, ei);   // last page
 *       e = ese_patchpage_apply(&hdr, &pp, ei);  // header now says which
 *   }                                            // logs the restore needs
 *   Writing a backup: ese_patchpage_from_header(&hdr, &bk, &pp);
 *                     ese_patchpage_write(&pp, page, page_size);
 * The struct owns no heap memory.
 *
 * ---------------------------------------------------------------------
 * A streaming (JetBackup / eseutil) backup copies the database page by
 * page while it stays in use; the copy's header has bk_full_cur.gen_low
 * set and gen_high 0. After the last page ESE appends one more page, the
 * trailer, which records the log range the copy needs. It is the LAST
 * page of the file (offset file size - page size). Restore checks it,
 * copies its information into the header and zeroes it.
 *
 * PATCHHDR (148 bytes, the rest of the page zero):
 *   OFFSET SIZE FIELD
 *   0      40   PGHDR of an empty page: all zero except bytes 0..3 (the
 *                 page is checksummed like a header, see below)
 *   0      4    checksum           XOR checksum (checksum.h) over the whole
 *                                  page, as for a database header
 *   40     24   bkinfo             BKINFO of the backup: lgposMark,
 *                                  logtimeMark, genLow, genHigh
 *   64     28   sign_db            SIGNATURE of the database
 *   92     28   sign_log           SIGNATURE of the log sequence
 *   120    4    gen_min_required   the database's lGenMinRequired,
 *   124    4    gen_max_required     lGenMaxRequired and lGenMaxCommitted
 *   128    4    gen_max_committed    at the end of the backup (0 = not
 *                                    recorded by older engines)
 *   132    8    logtime_gen_max_required   creation times of those logs
 *   140    8    logtime_gen_max_committed
 *
 * Checks (ESE's): checksum bad -> -535 BadPatchPage. Against the header:
 * sign_db and sign_log must equal the header's, bkinfo.gen_high must not
 * be 0, and bkinfo.lgpos_mark must equal the header's
 * bk_full_cur.lgpos_mark; otherwise -552 DatabasePatchFileMismatch.
 */
#ifndef JR_ESE_PATCHPAGE_H
#define JR_ESE_PATCHPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/dbheader.h"
#include "ese/types.h"
#include "util/errinfo.h"

#define ESE_PATCHHDR_SIZE 148

typedef struct {
	uint32_t checksum;
	uint8_t pghdr_rest[36];     /* bytes 4..39: zero in ESE's pages */
	ese_bkinfo bkinfo;
	ese_signature sign_db;
	ese_signature sign_log;
	uint32_t gen_min_required;
	uint32_t gen_max_required;
	uint32_t gen_max_committed;
	ese_logtime logtime_gen_max_required;
	ese_logtime logtime_gen_max_committed;
	bool tail_nonzero;          /* bytes 148..page end not all zero */
} ese_patchpage;

/* Decode a trailer page buf[0..page_size) and verify its checksum
 * (-535 BadPatchPage when it fails or page_size < 148). out is filled
 * even when the checksum fails. */
JET_ERR ese_patchpage_parse(const uint8_t *buf, size_t page_size,
			    ese_patchpage *out, jr_errinfo *ei);

/* Read the last page_size bytes of an open database file and parse them
 * (-535 when the file is shorter than 3 pages: header, shadow, trailer). */
JET_ERR ese_patchpage_read_fd(int fd, uint32_t page_size, ese_patchpage *out,
			      jr_errinfo *ei);

/* ESE's header/trailer comparison (ErrDBCheckDBHeaderAndTrailer); with
 * skip_min_log_checks the lgposMark comparison is skipped, as in ESE.
 * -552 DatabasePatchFileMismatch, the detail naming what differs. */
JET_ERR ese_patchpage_check(const ese_dbheader *h, const ese_patchpage *p,
			    bool skip_min_log_checks, jr_errinfo *ei);

/*
 * Update a database header from its trailer the way restore does
 * (ErrDBIUpdateHeaderFromTrailer without the HA reseed variant): after
 * ese_patchpage_check, bk_full_cur.gen_high = trailer genHigh; the
 * required / committed maxima are raised to the trailer's (genHigh where
 * the trailer recorded 0) with their log times; gen_min_required is
 * lowered to the trailer's if that is lower; gen_min_consistent =
 * gen_min_required; the pre-redo fields are reset to 0.
 */
JET_ERR ese_patchpage_apply(ese_dbheader *h, const ese_patchpage *p,
			    jr_errinfo *ei);

/* Fill a trailer for database header h and backup record bk (its mark,
 * time, genLow and genHigh) as BKIMakeDbTrailer does: signatures from the
 * header, min/max required and max committed with their times from the
 * header. */
void ese_patchpage_from_header(const ese_dbheader *h, const ese_bkinfo *bk,
			       ese_patchpage *out);

/* Serialize into buf[0..page_size): fields, zeros, XOR checksum
 * (p->checksum is ignored). -1003 when page_size < 148. */
JET_ERR ese_patchpage_write(const ese_patchpage *p, uint8_t *buf,
			    size_t page_size);

#endif /* JR_ESE_PATCHPAGE_H */
