/*
 * checkpoint.c - the checkpoint file: decode, elect a copy, serialize.
 * The layout table is in checkpoint.h (DBMS_PARAM and ATTACHINFO in
 * loghdr.h).
 */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ese/checkpoint.h"
#include "ese/checksum.h"
#include "util/bytes.h"
#include "util/io.h"

#define OFF_CHECKSUM              0
#define OFF_LGPOS_LAST_FULL_CHKPT 4
#define OFF_LGPOS_CHECKPOINT      12
#define OFF_SIGN_LOG              20
#define OFF_DBMS                  48
#define OFF_LGPOS_FULL_BACKUP     615
#define OFF_LOGTIME_FULL_BACKUP   623
#define OFF_LGPOS_INC_BACKUP      631
#define OFF_LOGTIME_INC_BACKUP    639
#define OFF_VERSION_FLAGS         647
#define OFF_LGPOS_DB_CONSISTENCY  648
#define OFF_RESERVED1             656
#define OFF_FILETYPE              667
#define OFF_RESERVED2             671
#define OFF_ATTACH                ESE_CHECKPOINT_ATTACH_OFFSET
#define OFF_PADDING               (OFF_ATTACH + ESE_CHECKPOINT_ATTACH_SIZE)

/* DBMS_PARAM, relative to its start. */
#define DBMS_OFF_SYSTEM_PATH      0
#define DBMS_OFF_LOG_PATH         261
#define DBMS_PATH_SIZE            261
#define DBMS_OFF_FLAGS            522
#define DBMS_OFF_SESSIONS_MAX     523
#define DBMS_OFF_OPEN_TABLES_MAX  527
#define DBMS_OFF_VER_PAGES_MAX    531
#define DBMS_OFF_CURSORS_MAX      535
#define DBMS_OFF_LOG_BUFFERS      539
#define DBMS_OFF_CSEC_LGFILE      543
#define DBMS_OFF_CACHE_SIZE_MAX   547
#define DBMS_OFF_RESERVED         551

/* ATTACHINFO, relative to its start. */
#define AI_OFF_DBID               0
#define AI_OFF_FLAGS              1
#define AI_OFF_CB_NAMES           2
#define AI_OFF_DBTIME             4
#define AI_OFF_OBJID_LAST         12
#define AI_OFF_CPG_MAX            16
#define AI_OFF_LGPOS_ATTACH       20
#define AI_OFF_LGPOS_CONSISTENT   28
#define AI_OFF_SIGN_DB            36
#define AI_OFF_NAMES              ESE_ATTACHINFO_SIZE

/* ---- DBMS_PARAM ---- */

static void path_decode(const uint8_t *p, char *out)
{
	memcpy(out, p, DBMS_PATH_SIZE);
	out[DBMS_PATH_SIZE] = '\0';
}

/* All 261 bytes, including any after the NUL, so that a round trip is
 * exact; a path set into a zeroed struct is NUL-padded. */
static void path_encode(const char *s, uint8_t *p)
{
	memcpy(p, s, DBMS_PATH_SIZE);
}

static void dbms_decode(const uint8_t *b, ese_dbms_param *d)
{
	path_decode(b + DBMS_OFF_SYSTEM_PATH, d->system_path);
	path_decode(b + DBMS_OFF_LOG_PATH, d->log_path);
	d->flags = b[DBMS_OFF_FLAGS];
	d->sessions_max = jr_le32(b + DBMS_OFF_SESSIONS_MAX);
	d->open_tables_max = jr_le32(b + DBMS_OFF_OPEN_TABLES_MAX);
	d->ver_pages_max = jr_le32(b + DBMS_OFF_VER_PAGES_MAX);
	d->cursors_max = jr_le32(b + DBMS_OFF_CURSORS_MAX);
	d->log_buffers = jr_le32(b + DBMS_OFF_LOG_BUFFERS);
	d->csec_lgfile = jr_le32(b + DBMS_OFF_CSEC_LGFILE);
	d->cache_size_max = jr_le32(b + DBMS_OFF_CACHE_SIZE_MAX);
}

/* (The reserved tail is the caller's: ese_checkpoint.dbms_reserved.) */
static void dbms_encode(const ese_dbms_param *d, uint8_t *b)
{
	path_encode(d->system_path, b + DBMS_OFF_SYSTEM_PATH);
	path_encode(d->log_path, b + DBMS_OFF_LOG_PATH);
	b[DBMS_OFF_FLAGS] = d->flags;
	jr_put_le32(b + DBMS_OFF_SESSIONS_MAX, d->sessions_max);
	jr_put_le32(b + DBMS_OFF_OPEN_TABLES_MAX, d->open_tables_max);
	jr_put_le32(b + DBMS_OFF_VER_PAGES_MAX, d->ver_pages_max);
	jr_put_le32(b + DBMS_OFF_CURSORS_MAX, d->cursors_max);
	jr_put_le32(b + DBMS_OFF_LOG_BUFFERS, d->log_buffers);
	jr_put_le32(b + DBMS_OFF_CSEC_LGFILE, d->csec_lgfile);
	jr_put_le32(b + DBMS_OFF_CACHE_SIZE_MAX, d->cache_size_max);
}

/* ---- attach list ---- */

/* The first name of an entry as UTF-8 ('?' for what does not convert). */
static void attach_path(ese_attachinfo *ai)
{
	size_t cap = sizeof ai->path;

	ai->path[0] = '\0';
	if (ai->flags & ESE_ATTACH_UNICODE_NAMES) {
		size_t nunits = ai->cb_names / 2, n = 0;
		gunichar2 *units = g_new0(gunichar2, nunits + 1);
		char *utf8;

		for (; n < nunits; n++) {
			units[n] = jr_le16(ai->names_raw + 2 * n);
			if (units[n] == 0)
				break;
		}
		utf8 = g_utf16_to_utf8(units, (glong)n, NULL, NULL, NULL);
		if (utf8)
			g_strlcpy(ai->path, utf8, cap);
		else
			g_strlcpy(ai->path, "?", cap);
		g_free(utf8);
		g_free(units);
	} else {
		size_t i;

		for (i = 0; i < ai->cb_names && i + 1 < cap; i++) {
			uint8_t c = ai->names_raw[i];

			if (c == 0)
				break;
			ai->path[i] = c < 0x80 ? (char)c : '?';
		}
		ai->path[i] = '\0';
	}
}

static JET_ERR attach_list_decode(ese_checkpoint *c, jr_errinfo *ei)
{
	const uint8_t *area = c->attach_raw;
	size_t off = 0;

	c->n_attach = 0;
	while (off < ESE_CHECKPOINT_ATTACH_SIZE && area[off] != 0) {
		const uint8_t *p = area + off;
		ese_attachinfo *ai;

		if (c->n_attach == ESE_ATTACH_MAX)
			return jr_fail(ei, JET_errCheckpointCorrupt,
				       "checkpoint attach list: more than %d entries",
				       ESE_ATTACH_MAX);
		if (ESE_CHECKPOINT_ATTACH_SIZE - off < ESE_ATTACHINFO_SIZE)
			return jr_fail(ei, JET_errCheckpointCorrupt,
				       "checkpoint attach list: entry at %zu runs past the area",
				       off);
		ai = &c->attach[c->n_attach];
		memset(ai, 0, sizeof *ai);
		ai->dbid = p[AI_OFF_DBID];
		ai->flags = p[AI_OFF_FLAGS];
		ai->cb_names = jr_le16(p + AI_OFF_CB_NAMES);
		if (ai->cb_names > ESE_CHECKPOINT_ATTACH_SIZE - off - ESE_ATTACHINFO_SIZE)
			return jr_fail(ei, JET_errCheckpointCorrupt,
				       "checkpoint attach list: entry %u names (%u bytes) run past the area",
				       c->n_attach, ai->cb_names);
		ai->dbtime = jr_le64(p + AI_OFF_DBTIME);
		ai->objid_last = jr_le32(p + AI_OFF_OBJID_LAST);
		ai->cpg_max = (int32_t)jr_le32(p + AI_OFF_CPG_MAX);
		ese_lgpos_parse(p + AI_OFF_LGPOS_ATTACH, &ai->lgpos_attach);
		ese_lgpos_parse(p + AI_OFF_LGPOS_CONSISTENT, &ai->lgpos_consistent);
		ese_signature_parse(p + AI_OFF_SIGN_DB, &ai->sign_db);
		memcpy(ai->names_raw, p + AI_OFF_NAMES, ai->cb_names);
		attach_path(ai);
		c->n_attach++;
		off += ESE_ATTACHINFO_SIZE + ai->cb_names;
	}
	return JET_errSuccess;
}

JET_ERR ese_checkpoint_set_attach(ese_checkpoint *c,
				  const ese_attachinfo *attach, unsigned n,
				  jr_errinfo *ei)
{
	uint8_t area[ESE_CHECKPOINT_ATTACH_SIZE];
	size_t off = 0;

	if (n > ESE_ATTACH_MAX)
		return jr_fail(ei, JET_errInvalidParameter,
			       "checkpoint attach list: %u entries, at most %d",
			       n, ESE_ATTACH_MAX);
	memset(area, 0, sizeof area);
	for (unsigned i = 0; i < n; i++) {
		const ese_attachinfo *ai = &attach[i];
		uint8_t *p = area + off;

		/* room for the entry, its names and the final 0 byte */
		if (ai->dbid == 0 || ESE_CHECKPOINT_ATTACH_SIZE - off <
		    (size_t)ESE_ATTACHINFO_SIZE + ai->cb_names + 1)
			return jr_fail(ei, JET_errInvalidParameter,
				       "checkpoint attach list: entry %u (dbid %u) does not fit",
				       i, ai->dbid);
		p[AI_OFF_DBID] = ai->dbid;
		p[AI_OFF_FLAGS] = ai->flags;
		jr_put_le16(p + AI_OFF_CB_NAMES, ai->cb_names);
		jr_put_le64(p + AI_OFF_DBTIME, ai->dbtime);
		jr_put_le32(p + AI_OFF_OBJID_LAST, ai->objid_last);
		jr_put_le32(p + AI_OFF_CPG_MAX, (uint32_t)ai->cpg_max);
		ese_lgpos_write(&ai->lgpos_attach, p + AI_OFF_LGPOS_ATTACH);
		ese_lgpos_write(&ai->lgpos_consistent, p + AI_OFF_LGPOS_CONSISTENT);
		ese_signature_write(&ai->sign_db, p + AI_OFF_SIGN_DB);
		memcpy(p + AI_OFF_NAMES, ai->names_raw, ai->cb_names);
		off += ESE_ATTACHINFO_SIZE + ai->cb_names;
	}
	memcpy(c->attach_raw, area, sizeof area);
	memmove(c->attach, attach, n * sizeof *attach);
	c->n_attach = n;
	for (unsigned i = 0; i < n; i++)
		attach_path(&c->attach[i]);
	c->version_flags |= ESE_CHECKPOINT_ATTACH_PRESENT;
	c->attach_present = true;
	return JET_errSuccess;
}

void ese_checkpoint_clear_attach(ese_checkpoint *c)
{
	c->attach_raw[0] = 0;
	c->version_flags &= (uint8_t)~ESE_CHECKPOINT_ATTACH_PRESENT;
	c->attach_present = false;
	c->n_attach = 0;
}

/* ---- one copy ---- */

JET_ERR ese_checkpoint_parse(const uint8_t *buf, size_t len,
			     ese_checkpoint *out, jr_errinfo *ei)
{
	memset(out, 0, sizeof *out);
	if (len < ESE_CHECKPOINT_SIZE)
		return jr_fail(ei, JET_errCheckpointCorrupt,
			       "checkpoint: %zu bytes, a copy takes %d", len,
			       ESE_CHECKPOINT_SIZE);

	out->checksum = jr_le32(buf + OFF_CHECKSUM);
	ese_lgpos_parse(buf + OFF_LGPOS_LAST_FULL_CHKPT,
			&out->lgpos_last_full_backup_checkpoint);
	ese_lgpos_parse(buf + OFF_LGPOS_CHECKPOINT, &out->lgpos_checkpoint);
	ese_signature_parse(buf + OFF_SIGN_LOG, &out->sign_log);
	dbms_decode(buf + OFF_DBMS, &out->dbms);
	memcpy(out->dbms_reserved, buf + OFF_DBMS + DBMS_OFF_RESERVED,
	       sizeof out->dbms_reserved);
	ese_lgpos_parse(buf + OFF_LGPOS_FULL_BACKUP, &out->lgpos_full_backup);
	ese_logtime_parse(buf + OFF_LOGTIME_FULL_BACKUP, &out->logtime_full_backup);
	ese_lgpos_parse(buf + OFF_LGPOS_INC_BACKUP, &out->lgpos_inc_backup);
	ese_logtime_parse(buf + OFF_LOGTIME_INC_BACKUP, &out->logtime_inc_backup);
	out->version_flags = buf[OFF_VERSION_FLAGS];
	ese_lgpos_parse(buf + OFF_LGPOS_DB_CONSISTENCY, &out->lgpos_db_consistency);
	memcpy(out->reserved1, buf + OFF_RESERVED1, sizeof out->reserved1);
	out->filetype = jr_le32(buf + OFF_FILETYPE);
	memcpy(out->reserved2, buf + OFF_RESERVED2, sizeof out->reserved2);
	memcpy(out->attach_raw, buf + OFF_ATTACH, ESE_CHECKPOINT_ATTACH_SIZE);
	for (size_t i = OFF_PADDING; i < ESE_CHECKPOINT_SIZE && !out->tail_nonzero; i++)
		out->tail_nonzero = buf[i] != 0;

	if (out->filetype != 0 && out->filetype != ESE_FILETYPE_CHECKPOINT)
		return jr_fail(ei, JET_errFileInvalidType,
			       "checkpoint: file type %u is not a checkpoint (4)",
			       out->filetype);
	out->attach_present =
		(out->version_flags & ESE_CHECKPOINT_ATTACH_PRESENT) != 0;
	if (out->attach_present)
		return attach_list_decode(out, ei);
	return JET_errSuccess;
}

bool ese_checkpoint_copy_ok(const uint8_t *buf, size_t len)
{
	return len >= ESE_CHECKPOINT_SIZE &&
	       ese_header_checksum_ok(buf, ESE_CHECKPOINT_SIZE);
}

JET_ERR ese_checkpoint_read(const uint8_t *buf, size_t len,
			    ese_checkpoint_read_result *out, jr_errinfo *ei)
{
	memset(out, 0, sizeof *out);
	out->primary_ok = ese_checkpoint_copy_ok(buf, len);
	out->shadow_ok = len >= ESE_CHECKPOINT_SIZE &&
			 ese_checkpoint_copy_ok(buf + ESE_CHECKPOINT_SIZE,
						len - ESE_CHECKPOINT_SIZE);
	if (!out->primary_ok && !out->shadow_ok) {
		if (len < ESE_CHECKPOINT_SIZE)
			return jr_fail(ei, JET_errCheckpointCorrupt,
				       "checkpoint: file too short (%zu bytes)", len);
		return jr_fail(ei, JET_errCheckpointCorrupt,
			       "checkpoint: neither copy has a valid checksum");
	}
	out->copies_differ = out->primary_ok && out->shadow_ok &&
			     memcmp(buf, buf + ESE_CHECKPOINT_SIZE,
				    ESE_CHECKPOINT_SIZE) != 0;
	if (out->primary_ok) {
		out->copy = 0;
		out->status = out->shadow_ok && !out->copies_differ
			      ? ESE_CHK_COPIES_OK : ESE_CHK_SECONDARY_BAD;
	} else {
		out->copy = 1;
		out->status = ESE_CHK_PRIMARY_BAD;
	}
	return ese_checkpoint_parse(buf + out->copy * ESE_CHECKPOINT_SIZE,
				    ESE_CHECKPOINT_SIZE, &out->chk, ei);
}

JET_ERR ese_checkpoint_read_file(const char *path,
				 ese_checkpoint_read_result *out,
				 jr_errinfo *ei)
{
	uint8_t buf[ESE_CHECKPOINT_FILE_SIZE];
	uint64_t size;
	size_t len;
	int fd;
	JET_ERR err = jr_open_ro(path, &fd, ei);

	if (err < 0)
		return err;
	err = jr_file_size(fd, &size, ei);
	if (err < 0)
		goto close_fd;
	len = size < sizeof buf ? (size_t)size : sizeof buf;
	err = jr_pread_full(fd, buf, len, 0, JET_errCheckpointCorrupt, ei);
	if (err < 0)
		goto close_fd;
	err = ese_checkpoint_read(buf, len, out, ei);
close_fd:
	close(fd);
	if (err < 0)
		jr_errinfo_prefix(ei, "%s", path);
	return err;
}

/* ---- serialize ---- */

void ese_checkpoint_write(const ese_checkpoint *c,
			  uint8_t buf[ESE_CHECKPOINT_SIZE])
{
	memset(buf, 0, ESE_CHECKPOINT_SIZE);
	ese_lgpos_write(&c->lgpos_last_full_backup_checkpoint,
			buf + OFF_LGPOS_LAST_FULL_CHKPT);
	ese_lgpos_write(&c->lgpos_checkpoint, buf + OFF_LGPOS_CHECKPOINT);
	ese_signature_write(&c->sign_log, buf + OFF_SIGN_LOG);
	dbms_encode(&c->dbms, buf + OFF_DBMS);
	memcpy(buf + OFF_DBMS + DBMS_OFF_RESERVED, c->dbms_reserved,
	       sizeof c->dbms_reserved);
	ese_lgpos_write(&c->lgpos_full_backup, buf + OFF_LGPOS_FULL_BACKUP);
	ese_logtime_write(&c->logtime_full_backup, buf + OFF_LOGTIME_FULL_BACKUP);
	ese_lgpos_write(&c->lgpos_inc_backup, buf + OFF_LGPOS_INC_BACKUP);
	ese_logtime_write(&c->logtime_inc_backup, buf + OFF_LOGTIME_INC_BACKUP);
	buf[OFF_VERSION_FLAGS] = c->version_flags;
	ese_lgpos_write(&c->lgpos_db_consistency, buf + OFF_LGPOS_DB_CONSISTENCY);
	memcpy(buf + OFF_RESERVED1, c->reserved1, sizeof c->reserved1);
	jr_put_le32(buf + OFF_FILETYPE, c->filetype);
	memcpy(buf + OFF_RESERVED2, c->reserved2, sizeof c->reserved2);
	memcpy(buf + OFF_ATTACH, c->attach_raw, ESE_CHECKPOINT_ATTACH_SIZE);
	ese_header_checksum_write(buf, ESE_CHECKPOINT_SIZE);
}

void ese_checkpoint_write_pair(const ese_checkpoint *c,
			       uint8_t buf[ESE_CHECKPOINT_FILE_SIZE])
{
	ese_checkpoint_write(c, buf);
	memcpy(buf + ESE_CHECKPOINT_SIZE, buf, ESE_CHECKPOINT_SIZE);
}

ese_lgpos ese_checkpoint_db_consistency(const ese_checkpoint *c)
{
	return ese_lgpos_is_zero(&c->lgpos_db_consistency)
	       ? c->lgpos_checkpoint : c->lgpos_db_consistency;
}
