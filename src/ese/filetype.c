/*
 * filetype.c - classify ESE files by content. The rules are in filetype.h.
 */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "ese/filetype.h"
#include "util/bytes.h"
#include "util/io.h"

#define HEADER_BLOCK      4096   /* log, checkpoint, flush map headers */
#define OFF_DB_MAGIC      4
#define OFF_LOG_VER_MAJOR 32
#define OFF_LOG_VER_MINOR 36
#define DETECT_READ_SIZE  65536

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static uint32_t type_at(const uint8_t *copy)
{
	return jr_le32(copy + ESE_FILETYPE_OFFSET);
}

static bool is_db_type(uint32_t t)
{
	return t == JET_filetypeDatabase || t == JET_filetypeStreamingFile ||
	       t == JET_filetypeTempDatabase;
}

static bool header_ok_4k(const uint8_t *buf, size_t len, size_t off)
{
	return len >= off + HEADER_BLOCK &&
	       ese_header_checksum_ok(buf + off, HEADER_BLOCK);
}

/* Page size (2..32 KiB) at which database header copy `copy` (0, or the
 * shadow one page further) validates; 0 if it does at none. */
static size_t db_copy_valid_size(const uint8_t *buf, size_t len, unsigned copy)
{
	for (size_t ps = ESE_DB_PAGE_SIZE_MIN; ps <= ESE_DB_PAGE_SIZE_MAX; ps *= 2)
		if (len >= (copy + 1) * ps && ese_dbheader_copy_ok(buf + copy * ps, ps))
			return ps;
	return 0;
}

/* The database type a header copy at p claims (magic and type at 667),
 * or Unknown. An untyped (0) copy counts only when its checksum is good. */
static uint32_t db_copy_type(const uint8_t *p, size_t avail, bool valid)
{
	uint32_t t;

	if (avail < ESE_DBHEADER_SIZE || jr_le32(p + OFF_DB_MAGIC) != ESE_DB_MAGIC)
		return JET_filetypeUnknown;
	t = type_at(p);
	if (is_db_type(t))
		return t;
	return (t == JET_filetypeUnknown && valid) ? JET_filetypeDatabase
						   : JET_filetypeUnknown;
}

/* Database family: magic and type in a copy; the checksum only decides
 * header_ok (and whether an untyped old database counts). */
static bool detect_database(const uint8_t *buf, size_t len, ese_file_info *out)
{
	size_t ps0 = db_copy_valid_size(buf, len, 0);
	size_t ps1 = db_copy_valid_size(buf, len, 1);
	uint32_t t = db_copy_type(buf, len, ps0 != 0);
	unsigned copy = 0;

	/* First copy unreadable: look for the shadow, one page further. */
	for (size_t ps = ESE_DB_PAGE_SIZE_MIN;
	     t == JET_filetypeUnknown && ps <= ESE_DB_PAGE_SIZE_MAX && len > ps;
	     ps *= 2) {
		if (ps1 && ps != ps1)
			continue;
		t = db_copy_type(buf + ps, len - ps, ps == ps1);
		copy = 1;
	}
	if (t == JET_filetypeUnknown)
		return false;
	out->filetype = t;
	out->header_ok = ps0 || ps1;
	out->copy = ps0 ? 0 : ps1 ? 1 : copy;
	out->header_size = (uint32_t)(ps0 ? ps0 : ps1);
	return true;
}

static bool detect_log(const uint8_t *buf, size_t len, ese_file_info *out)
{
	uint32_t major, minor;

	if (type_at(buf) != JET_filetypeLog)
		return false;
	out->header_ok = header_ok_4k(buf, len, 0);
	major = jr_le32(buf + OFF_LOG_VER_MAJOR);
	minor = jr_le32(buf + OFF_LOG_VER_MINOR);
	if (!out->header_ok &&
	    !((major == 8 && minor == 4000) || (major == 7 && minor == 3704)))
		return false;
	out->filetype = JET_filetypeLog;
	out->header_size = HEADER_BLOCK;
	return true;
}

static bool detect_checkpoint(const uint8_t *buf, size_t len,
			      ese_file_info *out)
{
	bool t0 = type_at(buf) == JET_filetypeCheckpoint;
	bool t1 = len >= HEADER_BLOCK + ESE_FILETYPE_OFFSET + 4 &&
		  type_at(buf + HEADER_BLOCK) == JET_filetypeCheckpoint;
	bool ok0 = t0 && header_ok_4k(buf, len, 0);
	bool ok1 = t1 && header_ok_4k(buf, len, HEADER_BLOCK);

	if (!ok0 && !ok1 && !(t0 && t1))
		return false;
	out->filetype = JET_filetypeCheckpoint;
	out->header_ok = ok0 || ok1;
	out->copy = (!ok0 && ok1) ? 1 : 0;
	out->header_size = HEADER_BLOCK;
	return true;
}

/* Flush map and the rarer kinds: the type and a valid 4 KiB header. */
static bool detect_other(const uint8_t *buf, size_t len, ese_file_info *out)
{
	uint32_t t = type_at(buf);

	if (t == JET_filetypeUnknown || t >= ESE_FILETYPE_MAX || is_db_type(t) ||
	    t == JET_filetypeLog || t == JET_filetypeCheckpoint ||
	    !header_ok_4k(buf, len, 0))
		return false;
	out->filetype = t;
	out->header_ok = true;
	out->header_size = HEADER_BLOCK;
	return true;
}

void ese_file_detect_ex(const uint8_t *buf, size_t len, ese_file_info *out)
{
	memset(out, 0, sizeof *out);
	out->blank = all_zero(buf, len);
	if (len < ESE_FILETYPE_OFFSET + 4 || out->blank)
		return;
	out->stored_type = type_at(buf);
	if (detect_database(buf, len, out) || detect_log(buf, len, out) ||
	    detect_checkpoint(buf, len, out) || detect_other(buf, len, out))
		return;
	memset(out, 0, sizeof *out);
	out->stored_type = type_at(buf);
}

uint32_t ese_file_detect(const uint8_t *first_bytes, size_t len)
{
	ese_file_info fi;

	ese_file_detect_ex(first_bytes, len, &fi);
	return fi.filetype;
}

JET_ERR ese_file_detect_path(const char *path, ese_file_info *out,
			     jr_errinfo *ei)
{
	uint8_t *buf;
	uint64_t size;
	size_t len;
	int fd;
	JET_ERR err = jr_open_ro(path, &fd, ei);

	memset(out, 0, sizeof *out);
	if (err < 0)
		return err;
	err = jr_file_size(fd, &size, ei);
	if (err < 0)
		goto close_fd;
	len = size < DETECT_READ_SIZE ? (size_t)size : DETECT_READ_SIZE;
	buf = g_malloc(DETECT_READ_SIZE);
	err = jr_pread_full(fd, buf, len, 0, JET_errDiskIO, ei);
	if (err >= 0)
		ese_file_detect_ex(buf, len, out);
	g_free(buf);
close_fd:
	close(fd);
	if (err < 0)
		jr_errinfo_prefix(ei, "%s", path);
	return err;
}

const char *ese_filetype_name(uint32_t filetype)
{
	static const char *const names[ESE_FILETYPE_MAX] = {
		"Unknown", "Database", "StreamingFile", "Log", "Checkpoint",
		"TempDatabase", "FTL", "FlushMap", "CachedFile", "CachingFile",
		"Snapshot", "RBSRevertCheckpoint",
	};

	return filetype < ESE_FILETYPE_MAX ? names[filetype] : names[0];
}
