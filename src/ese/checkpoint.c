/*
 * checkpoint.c - the checkpoint file: decode, elect a copy, serialize.
 * The layout table is in checkpoint.h (DBMS_PARAM and ATTACHINFO in
 * loghdr.h, decoded by attachinfo.c as for a log header).
 */
#include <string.h>
#include <unistd.h>

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

/* DBMS_PARAM: its reserved tail, kept as read. */
#define DBMS_OFF_RESERVED         551

/* ---- attach list ---- */

static JET_ERR attach_list_decode(ese_checkpoint *c, jr_errinfo *ei)
{
	return ese_attach_list_parse(c->attach_raw, ESE_CHECKPOINT_ATTACH_SIZE,
				     c->attach, &c->n_attach,
				     JET_errCheckpointCorrupt, "checkpoint", ei);
}

JET_ERR ese_checkpoint_set_attach(ese_checkpoint *c,
				  const ese_attachinfo *attach, unsigned n,
				  jr_errinfo *ei)
{
	uint8_t area[ESE_CHECKPOINT_ATTACH_SIZE];
	JET_ERR err;

	/* the last byte stays 0: a full list still has its end mark */
	memset(area, 0, sizeof area);
	err = ese_attach_list_write(attach, n, area, sizeof area - 1, ei);
	if (err < 0)
		return err;
	memcpy(c->attach_raw, area, sizeof area);
	memmove(c->attach, attach, n * sizeof *attach);
	c->n_attach = n;
	for (unsigned i = 0; i < n; i++)
		ese_attachinfo_decode_path(&c->attach[i]);
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
	ese_dbms_param_parse(buf + OFF_DBMS, &out->dbms);
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
	ese_dbms_param_write(&c->dbms, buf + OFF_DBMS);
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
