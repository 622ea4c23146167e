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

/* Offsets inside DBMS_PARAM. */
#define DBMS_PATH_SIZE      261
#define DBMS_OFF_SYSPATH    0
#define DBMS_OFF_LOGPATH    261
#define DBMS_OFF_FLAGS      522
#define DBMS_OFF_SESSIONS   523
#define DBMS_OFF_OPENTABLES 527
#define DBMS_OFF_VERPAGES   531
#define DBMS_OFF_CURSORS    535
#define DBMS_OFF_LOGBUFS    539
#define DBMS_OFF_CSECLGFILE 543
#define DBMS_OFF_CACHEMAX   547

/* Offsets inside ATTACHINFO. */
#define AI_OFF_DBID         0
#define AI_OFF_FLAGS        1
#define AI_OFF_CB_NAMES     2
#define AI_OFF_DBTIME       4
#define AI_OFF_OBJID_LAST   12
#define AI_OFF_CPG_MAX      16
#define AI_OFF_LGPOS_ATTACH 20
#define AI_OFF_LGPOS_CONS   28
#define AI_OFF_SIGN_DB      36

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

/* UTF-16LE (NUL-terminated within n bytes) to UTF-8; unpaired surrogates
 * become U+FFFD. out always NUL-terminated. */
static void utf16le_to_utf8(const uint8_t *in, size_t n, char *out,
			    size_t out_size)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t c = jr_le16(in + i);
		char tmp[4];
		size_t k = 0;

		if (c == 0)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
			uint32_t lo = jr_le16(in + i + 2);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (lo - 0xDC00);
				i += 2;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			c = 0xFFFD;
		}
		if (c < 0x80) {
			tmp[k++] = (char)c;
		} else if (c < 0x800) {
			tmp[k++] = (char)(0xC0 | (c >> 6));
			tmp[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			tmp[k++] = (char)(0xE0 | (c >> 12));
			tmp[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			tmp[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			tmp[k++] = (char)(0xF0 | (c >> 18));
			tmp[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
			tmp[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			tmp[k++] = (char)(0x80 | (c & 0x3F));
		}
		if (o + k + 1 > out_size)
			break;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = '\0';
}

/* Decode one UTF-8 code point at s; returns its length or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return *cp >= 0x80 ? 2 : 0;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) |
		      ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x07) << 18) |
		      ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return (*cp >= 0x10000 && *cp <= 0x10FFFF) ? 4 : 0;
	}
	return 0;
}

JET_ERR ese_attachinfo_set_path(ese_attachinfo *ai, const char *utf8,
				jr_errinfo *ei)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t o = 0;

	while (*s) {
		uint32_t cp;
		size_t k = utf8_decode(s, &cp);

		if (k == 0)
			return jr_fail(ei, JET_errInvalidParameter,
				       "attach path is not valid UTF-8");
		if (o + (cp >= 0x10000 ? 4 : 2) + 2 >
		    ESE_LOGHDR_ATTACH_SIZE - ESE_ATTACHINFO_SIZE - 1)
			return jr_fail(ei, JET_errInvalidParameter,
				       "attach path too long for the attach list");
		if (cp >= 0x10000) {
			cp -= 0x10000;
			jr_put_le16(ai->names_raw + o,
				    (uint16_t)(0xD800 + (cp >> 10)));
			jr_put_le16(ai->names_raw + o + 2,
				    (uint16_t)(0xDC00 + (cp & 0x3FF)));
			o += 4;
		} else {
			jr_put_le16(ai->names_raw + o, (uint16_t)cp);
			o += 2;
		}
		s += k;
	}
	jr_put_le16(ai->names_raw + o, 0);
	o += 2;
	ai->cb_names = (uint16_t)o;
	ai->flags |= ESE_ATTACH_UNICODE_NAMES;
	utf16le_to_utf8(ai->names_raw, o, ai->path, sizeof(ai->path));
	return JET_errSuccess;
}

static void copy_cstr(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void parse_dbms(const uint8_t *b, ese_dbms_param *d)
{
	copy_cstr(d->system_path, b + DBMS_OFF_SYSPATH, DBMS_PATH_SIZE);
	copy_cstr(d->log_path, b + DBMS_OFF_LOGPATH, DBMS_PATH_SIZE);
	d->flags = b[DBMS_OFF_FLAGS];
	d->sessions_max = jr_le32(b + DBMS_OFF_SESSIONS);
	d->open_tables_max = jr_le32(b + DBMS_OFF_OPENTABLES);
	d->ver_pages_max = jr_le32(b + DBMS_OFF_VERPAGES);
	d->cursors_max = jr_le32(b + DBMS_OFF_CURSORS);
	d->log_buffers = jr_le32(b + DBMS_OFF_LOGBUFS);
	d->csec_lgfile = jr_le32(b + DBMS_OFF_CSECLGFILE);
	d->cache_size_max = jr_le32(b + DBMS_OFF_CACHEMAX);
}

static void write_dbms(const ese_dbms_param *d, uint8_t *b)
{
	/* The paths are NUL-padded: bytes after the first NUL are kept from
	 * the raw copy unless the string now reaches into them. */
	size_t ls = strnlen(d->system_path, DBMS_PATH_SIZE);
	size_t ll = strnlen(d->log_path, DBMS_PATH_SIZE);

	memcpy(b + DBMS_OFF_SYSPATH, d->system_path, ls);
	if (ls < DBMS_PATH_SIZE)
		b[DBMS_OFF_SYSPATH + ls] = 0;
	memcpy(b + DBMS_OFF_LOGPATH, d->log_path, ll);
	if (ll < DBMS_PATH_SIZE)
		b[DBMS_OFF_LOGPATH + ll] = 0;
	b[DBMS_OFF_FLAGS] = d->flags;
	jr_put_le32(b + DBMS_OFF_SESSIONS, d->sessions_max);
	jr_put_le32(b + DBMS_OFF_OPENTABLES, d->open_tables_max);
	jr_put_le32(b + DBMS_OFF_VERPAGES, d->ver_pages_max);
	jr_put_le32(b + DBMS_OFF_CURSORS, d->cursors_max);
	jr_put_le32(b + DBMS_OFF_LOGBUFS, d->log_buffers);
	jr_put_le32(b + DBMS_OFF_CSECLGFILE, d->csec_lgfile);
	jr_put_le32(b + DBMS_OFF_CACHEMAX, d->cache_size_max);
}

static JET_ERR parse_attach_list(const uint8_t *area, ese_loghdr *h,
				 jr_errinfo *ei)
{
	size_t off = 0;

	h->n_attach = 0;
	while (off < ESE_LOGHDR_ATTACH_SIZE && area[off] != 0) {
		ese_attachinfo *ai;
		const uint8_t *p = area + off;

		if (h->n_attach == ESE_ATTACH_MAX)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "log header: more than %d attached "
				       "databases", ESE_ATTACH_MAX);
		if (off + ESE_ATTACHINFO_SIZE > ESE_LOGHDR_ATTACH_SIZE)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "log header: attach entry %u runs past "
				       "the attach list", h->n_attach);
		ai = &h->attach[h->n_attach];
		memset(ai, 0, sizeof(*ai));
		ai->dbid = p[AI_OFF_DBID];
		ai->flags = p[AI_OFF_FLAGS];
		ai->cb_names = jr_le16(p + AI_OFF_CB_NAMES);
		ai->dbtime = jr_le64(p + AI_OFF_DBTIME);
		ai->objid_last = jr_le32(p + AI_OFF_OBJID_LAST);
		ai->cpg_max = (int32_t)jr_le32(p + AI_OFF_CPG_MAX);
		ese_lgpos_parse(p + AI_OFF_LGPOS_ATTACH, &ai->lgpos_attach);
		ese_lgpos_parse(p + AI_OFF_LGPOS_CONS, &ai->lgpos_consistent);
		ese_signature_parse(p + AI_OFF_SIGN_DB, &ai->sign_db);
		if (off + ESE_ATTACHINFO_SIZE + ai->cb_names >
		    ESE_LOGHDR_ATTACH_SIZE)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "log header: names of attach entry %u "
				       "(%u bytes) run past the attach list",
				       h->n_attach, ai->cb_names);
		memcpy(ai->names_raw, p + ESE_ATTACHINFO_SIZE, ai->cb_names);
		if (ai->flags & ESE_ATTACH_UNICODE_NAMES) {
			utf16le_to_utf8(ai->names_raw, ai->cb_names, ai->path,
					sizeof(ai->path));
		} else {
			size_t n = strnlen((const char *)ai->names_raw,
					   ai->cb_names);

			memcpy(ai->path, ai->names_raw, n);
			ai->path[n] = '\0';
		}
		off += ESE_ATTACHINFO_SIZE + ai->cb_names;
		h->n_attach++;
	}
	return JET_errSuccess;
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
	parse_dbms(buf + OFF_DBMS, &out->dbms);
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
	return parse_attach_list(buf + ESE_LOGHDR_ATTACH_OFFSET, out, ei);
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

static void write_attach_list(const ese_loghdr *h, uint8_t *area)
{
	size_t off = 0;

	for (unsigned i = 0; i < h->n_attach; i++) {
		const ese_attachinfo *ai = &h->attach[i];
		uint8_t *p = area + off;

		if (off + ESE_ATTACHINFO_SIZE + ai->cb_names >
		    ESE_LOGHDR_ATTACH_SIZE)
			break;  /* cannot happen for a parsed header */
		p[AI_OFF_DBID] = ai->dbid;
		p[AI_OFF_FLAGS] = ai->flags;
		jr_put_le16(p + AI_OFF_CB_NAMES, ai->cb_names);
		jr_put_le64(p + AI_OFF_DBTIME, ai->dbtime);
		jr_put_le32(p + AI_OFF_OBJID_LAST, ai->objid_last);
		jr_put_le32(p + AI_OFF_CPG_MAX, (uint32_t)ai->cpg_max);
		ese_lgpos_write(&ai->lgpos_attach, p + AI_OFF_LGPOS_ATTACH);
		ese_lgpos_write(&ai->lgpos_consistent, p + AI_OFF_LGPOS_CONS);
		ese_signature_write(&ai->sign_db, p + AI_OFF_SIGN_DB);
		memcpy(p + ESE_ATTACHINFO_SIZE, ai->names_raw, ai->cb_names);
		off += ESE_ATTACHINFO_SIZE + ai->cb_names;
	}
	if (off < ESE_LOGHDR_ATTACH_SIZE)
		area[off] = 0;  /* the end-of-list dbid */
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
	write_dbms(&h->dbms, b + OFF_DBMS);
	b[OFF_LG_FLAGS] = h->lg_flags;
	ese_lgpos_write(&h->lgpos_checkpoint, b + OFF_LGPOS_CHKPT);
	jr_put_le32(b + OFF_VER_UPD_MINOR, h->ver_update_minor);
	b[OFF_DISK_SEC_MISM] = h->disk_sec_size_mismatch;
	jr_put_le64(b + OFF_CKSUM_PREV_LOG, h->checksum_prev_log);
	jr_put_le32(b + OFF_EFV_ENGINE, h->efv_engine);
	jr_put_le32(b + OFF_FILETYPE, h->filetype);
	write_attach_list(h, b + ESE_LOGHDR_ATTACH_OFFSET);
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
