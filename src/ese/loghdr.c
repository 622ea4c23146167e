/*
 * loghdr.c - parse, validate and serialize the log file header (LGFILEHDR).
 * The layout is documented in loghdr.h.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ese/loghdr.h"
#include "util/bytes.h"
#include "util/io.h"

/* Offsets of LGFILEHDR_FIXED (see the table in loghdr.h). */
#define OFF_CHECKSUM        0
#define OFF_GENERATION      4
#define OFF_CB_SEC          8
#define OFF_CSEC_HEADER     10
#define OFF_CSEC_LGFILE     12
#define OFF_CB_PAGE         14
#define OFF_TM_CREATE       16
#define OFF_TM_PREV_GEN     24
#define OFF_VER_MAJOR       32
#define OFF_VER_MINOR       36
#define OFF_VER_UPD_MAJOR   40
#define OFF_SIGN_LOG        44
#define OFF_DBMS            72
#define OFF_LG_FLAGS        639
#define OFF_LGPOS_CHKPT     640
#define OFF_VER_UPD_MINOR   648
#define OFF_DISK_SEC_MISM   652
#define OFF_CKSUM_PREV_LOG  653
#define OFF_EFV_ENGINE      661
#define OFF_FILETYPE        667

/* DBMS_PARAM and the attach list: attachinfo.c. */

#define ESE_XOR_SEED 0x89abcdefu

uint32_t ese_loghdr_checksum(const uint8_t buf[ESE_LOGHDR_SIZE])
{
	uint32_t x = ESE_XOR_SEED;

	/* ESE's "old format" checksum (the log header never uses ECC): the
	 * first word holds the checksum itself and is left out. */
	for (size_t i = 4; i < ESE_LOGHDR_SIZE; i += 4)
		x ^= jr_le32(buf + i);
	return x;
}

bool ese_loghdr_is_blank(const uint8_t *buf, size_t len)
{
	size_t n = len < ESE_LOGHDR_SIZE ? len : ESE_LOGHDR_SIZE;

	for (size_t i = 0; i < n; i++)
		if (buf[i])
			return false;
	return true;
}

/*
 * Jet formats older than ESE 6 are recognised the way ESE's
 * ErrLGIReadFileHeader does, by values at fixed places (their headers have
 * another layout altogether). Returns a name or NULL.
 */
static const char *ancient_format_name(const uint8_t *b)
{
	if (jr_le32(b + 24) == 4 &&
	    (jr_le32(b + 28) == 909 || jr_le32(b + 28) == 995) &&
	    jr_le32(b + 32) == 0)
		return "Jet 500 log format (Windows NT 4 / Exchange 4.0-5.0)";
	if (jr_le32(b + 20) == 443 && jr_le32(b + 24) == 0 &&
	    jr_le32(b + 28) == 0)
		return "Jet 400 log format";
	if (jr_le32(b + 44) == 0 && jr_le32(b + 48) == 0x0ca0001)
		return "Jet 200 log format";
	return NULL;
}

/* The name of a format this reader refuses, from its version numbers. */
static const char *legacy_format_name(uint32_t major, uint32_t minor)
{
	if (major == 7)
		return minor == 3704 ?
		       "ESE 7.3704 legacy log format (LRCHECKSUM records, "
		       "512-byte sectors; Windows XP to Vista, Exchange 2003/2007)" :
		       "ESE 7 legacy log format (LRCHECKSUM records)";
	if (major == 6)
		return "ESE 6.1503 legacy log format (Exchange 5.5 era)";
	if (major < 6)
		return "pre-ESE 6 legacy log format";
	return "log format newer than 8.4000";
}

JET_ERR ese_loghdr_parse(const uint8_t *buf, size_t len, ese_loghdr *out,
			 jr_errinfo *ei)
{
	const char *ancient;
	uint32_t computed;

	if (len < ESE_LOGHDR_SIZE)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "log header truncated: %zu of %d bytes", len,
			       ESE_LOGHDR_SIZE);
	ancient = ancient_format_name(buf);
	if (ancient)
		return jr_fail(ei, JET_errBadLogVersion,
			       "unsupported legacy format: %s", ancient);
	if (ese_loghdr_is_blank(buf, ESE_LOGHDR_SIZE))
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "log header is blank (all zero): a reserve log "
			       "(*.jrs) or a file never written");
	computed = ese_loghdr_checksum(buf);
	if (computed != jr_le32(buf + OFF_CHECKSUM))
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "log header checksum mismatch: stored 0x%08x, "
			       "computed 0x%08x",
			       (unsigned)jr_le32(buf + OFF_CHECKSUM),
			       (unsigned)computed);

	memset(out, 0, sizeof(*out));
	memcpy(out->raw, buf, ESE_LOGHDR_SIZE);
	out->checksum = jr_le32(buf + OFF_CHECKSUM);
	out->gen = jr_le32(buf + OFF_GENERATION);
	out->cb_sec = jr_le16(buf + OFF_CB_SEC);
	out->csec_header = jr_le16(buf + OFF_CSEC_HEADER);
	out->csec_lgfile = jr_le16(buf + OFF_CSEC_LGFILE);
	out->cb_page = jr_le16(buf + OFF_CB_PAGE);
	ese_logtime_parse(buf + OFF_TM_CREATE, &out->tm_create);
	ese_logtime_parse(buf + OFF_TM_PREV_GEN, &out->tm_prev_gen);
	out->ver_major = jr_le32(buf + OFF_VER_MAJOR);
	out->ver_minor = jr_le32(buf + OFF_VER_MINOR);
	out->ver_update_major = jr_le32(buf + OFF_VER_UPD_MAJOR);
	ese_signature_parse(buf + OFF_SIGN_LOG, &out->sign_log);
	ese_dbms_param_parse(buf + OFF_DBMS, &out->dbms);
	out->lg_flags = buf[OFF_LG_FLAGS];
	ese_lgpos_parse(buf + OFF_LGPOS_CHKPT, &out->lgpos_checkpoint);
	out->ver_update_minor = jr_le32(buf + OFF_VER_UPD_MINOR);
	out->disk_sec_size_mismatch = buf[OFF_DISK_SEC_MISM];
	out->checksum_prev_log = jr_le64(buf + OFF_CKSUM_PREV_LOG);
	out->efv_engine = jr_le32(buf + OFF_EFV_ENGINE);
	out->filetype = jr_le32(buf + OFF_FILETYPE);

	/* 0 is what files older than 7.3704.5 carry at 667. */
	if (out->filetype != ESE_FILETYPE_LOG && out->filetype != 0)
		return jr_fail(ei, JET_errFileInvalidType,
			       "not a log file: file type %u at offset 667",
			       (unsigned)out->filetype);
	if (out->ver_major != ESE_LOG_VERSION_MAJOR)
		return jr_fail(ei, JET_errBadLogVersion,
			       "unsupported %s: version %u.%u.%u",
			       legacy_format_name(out->ver_major,
						  out->ver_minor),
			       (unsigned)out->ver_major,
			       (unsigned)out->ver_minor,
			       (unsigned)out->ver_update_major);
	if (out->ver_minor != ESE_LOG_VERSION_MINOR)
		return jr_fail(ei, JET_errBadLogVersion,
			       "unsupported log format minor version %u.%u",
			       (unsigned)out->ver_major,
			       (unsigned)out->ver_minor);
	if (out->cb_sec != ESE_LOG_SECTOR_SIZE)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "log header: sector size %u, format 8 needs %d",
			       out->cb_sec, ESE_LOG_SECTOR_SIZE);
	if (out->csec_header != 1)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "log header: %u header sectors, format 8 has 1",
			       out->csec_header);
	/* Header + at least one data segment + the shadow sector. */
	if (out->csec_lgfile < out->csec_header + 2)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "log header: file of %u sectors is too small",
			       out->csec_lgfile);
	return ese_attach_list_parse(buf + ESE_LOGHDR_ATTACH_OFFSET,
				     ESE_LOGHDR_ATTACH_SIZE, out->attach,
				     &out->n_attach, JET_errLogFileCorrupt,
				     "log header", ei);
}

JET_ERR ese_loghdr_read_file(const char *path, ese_loghdr *out,
			     uint64_t *file_size, jr_errinfo *ei)
{
	uint8_t buf[ESE_LOGHDR_SIZE];
	uint64_t size;
	JET_ERR err;
	int fd;

	err = jr_open_ro(path, &fd, ei);
	if (err < 0)
		return err;
	err = jr_file_size(fd, &size, ei);
	if (err < 0)
		goto out_close;
	if (file_size)
		*file_size = size;
	err = jr_pread_full(fd, buf, sizeof(buf), 0, JET_errLogFileCorrupt,
			    ei);
	if (err < 0)
		goto out_close;
	err = ese_loghdr_parse(buf, sizeof(buf), out, ei);
out_close:
	close(fd);
	if (err < 0)
		jr_errinfo_prefix(ei, "%s", path);
	return err;
}

void ese_loghdr_write(ese_loghdr *h, uint8_t out[ESE_LOGHDR_SIZE])
{
	uint8_t *b = h->raw;

	jr_put_le32(b + OFF_GENERATION, h->gen);
	jr_put_le16(b + OFF_CB_SEC, h->cb_sec);
	jr_put_le16(b + OFF_CSEC_HEADER, h->csec_header);
	jr_put_le16(b + OFF_CSEC_LGFILE, h->csec_lgfile);
	jr_put_le16(b + OFF_CB_PAGE, h->cb_page);
	ese_logtime_write(&h->tm_create, b + OFF_TM_CREATE);
	ese_logtime_write(&h->tm_prev_gen, b + OFF_TM_PREV_GEN);
	jr_put_le32(b + OFF_VER_MAJOR, h->ver_major);
	jr_put_le32(b + OFF_VER_MINOR, h->ver_minor);
	jr_put_le32(b + OFF_VER_UPD_MAJOR, h->ver_update_major);
	ese_signature_write(&h->sign_log, b + OFF_SIGN_LOG);
	ese_dbms_param_write(&h->dbms, b + OFF_DBMS);
	b[OFF_LG_FLAGS] = h->lg_flags;
	ese_lgpos_write(&h->lgpos_checkpoint, b + OFF_LGPOS_CHKPT);
	jr_put_le32(b + OFF_VER_UPD_MINOR, h->ver_update_minor);
	b[OFF_DISK_SEC_MISM] = h->disk_sec_size_mismatch;
	jr_put_le64(b + OFF_CKSUM_PREV_LOG, h->checksum_prev_log);
	jr_put_le32(b + OFF_EFV_ENGINE, h->efv_engine);
	jr_put_le32(b + OFF_FILETYPE, h->filetype);
	/* a parsed header always fits: what does not is left out */
	(void)ese_attach_list_write(h->attach, h->n_attach,
				    b + ESE_LOGHDR_ATTACH_OFFSET,
				    ESE_LOGHDR_ATTACH_SIZE, NULL);
	h->checksum = ese_loghdr_checksum(b);
	jr_put_le32(b + OFF_CHECKSUM, h->checksum);
	memcpy(out, b, ESE_LOGHDR_SIZE);
}

void ese_loghdr_init(ese_loghdr *h, uint32_t gen, uint16_t csec_lgfile,
		     const ese_signature *sign_log)
{
	memset(h, 0, sizeof(*h));
	h->gen = gen;
	h->cb_sec = ESE_LOG_SECTOR_SIZE;
	h->csec_header = 1;
	h->csec_lgfile = csec_lgfile;
	h->cb_page = 4096;
	h->ver_major = ESE_LOG_VERSION_MAJOR;
	h->ver_minor = ESE_LOG_VERSION_MINOR;
	h->ver_update_major = 90;
	h->ver_update_minor = 200;
	if (sign_log)
		h->sign_log = *sign_log;
	h->dbms.csec_lgfile = csec_lgfile;
	h->filetype = ESE_FILETYPE_LOG;
}

uint64_t ese_loghdr_file_size(const ese_loghdr *h)
{
	return (uint64_t)h->csec_lgfile * h->cb_sec;
}

bool ese_loghdr_circular(const ese_loghdr *h)
{
	return (h->lg_flags & ESE_LGFLAG_CIRCULAR) != 0;
}

char *ese_loghdr_version_format(const ese_loghdr *h, char *out, size_t n)
{
	if (n > 0)
		snprintf(out, n, "%u.%u.%u.%u", (unsigned)h->ver_major,
			 (unsigned)h->ver_minor,
			 (unsigned)h->ver_update_major,
			 (unsigned)h->ver_update_minor);
	return out;
}
