/*
 * checkpoint.h - the checkpoint file (<base>.chk: CHECKPOINT, log.hxx).
 *
 * Usage:
 *   ese_checkpoint_read_result r;
 *   JET_ERR e = ese_checkpoint_read_file("SRU.chk", &r, ei);
 *   r.chk.lgpos_checkpoint  -> (0x5C,8,0): where redo starts
 *   r.copy / r.status       -> which copy was used, which one is damaged
 *   From memory: ese_checkpoint_read(buf, len, &r, ei);
 *   Serialize:   ese_checkpoint_write(&c, buf4096) (one copy + checksum),
 *                ese_checkpoint_write_pair(&c, buf8192) (the whole file).
 * parse followed by write reproduces the bytes exactly (the attach area is
 * kept raw, see below). ese_checkpoint is large (~25 KiB: the attach
 * entries carry their names); it owns no heap memory.
 *
 * ---------------------------------------------------------------------
 * The file is two identical 4096-byte copies (sizeof(CHECKPOINT)): the
 * checkpoint at offset 0 and its shadow at 4096; real files are 8192
 * bytes. ESE reads it like a database header with the size fixed at 4096
 * (no page-size field): a copy is good when its XOR checksum (checksum.h)
 * over its 4096 bytes matches. Both good and identical: status OK; both
 * good but different, or only the first good: the first, shadow reported
 * bad; only the shadow good: the shadow. None: -533 CheckpointCorrupt
 * (also for a file shorter than 4096 bytes). Then the file type must be
 * JET_filetypeCheckpoint (4) or 0 (old files), else -1812 FileInvalidType.
 *
 * CHECKPOINT (4096 bytes):
 *   OFFSET SIZE FIELD
 *   0      4    checksum            XOR checksum of the 4096 bytes
 *   4      8    lgpos_last_full_backup_checkpoint   checkpoint of the
 *                                   last full backup
 *   12     8    lgpos_checkpoint    the checkpoint: redo starts here
 *   20     28   sign_log            SIGNATURE of the log sequence
 *   48     567  dbms                DBMS_PARAM (layout in loghdr.h, there
 *                                   at offset 72; here at 48):
 *            48   261  system path   NUL-padded ANSI
 *            309  261  log path
 *            570  1    flags
 *            571  4x7  sessions, open tables, version pages, cursors,
 *                      log buffers, log file sectors, cache size max
 *            599  16   reserved (zero)
 *   615    8    lgpos_full_backup   mark of the last full backup
 *   623    8    logtime_full_backup
 *   631    8    lgpos_inc_backup    mark of the last incremental backup
 *   639    8    logtime_inc_backup
 *   647    1    version_flags       fVersion: 0x01 = the attach list below
 *                                   is valid (fCheckpointAttachInfoPresent)
 *   648    8    lgpos_db_consistency  position up to which the databases
 *                                   are consistent; 0 in old files, then
 *                                   ESE uses lgpos_checkpoint
 *   656    11   reserved1
 *   667    4    filetype            JET_filetypeCheckpoint (4)
 *   671    8    reserved2
 *   679    2048 attach              ATTACHINFO list (layout in loghdr.h),
 *                                   ended by a 0 dbid byte
 *   2727   1369 padding             zero
 *
 * The attach area is kept raw (attach_raw) because ESE invalidates a list
 * by zeroing only its first byte and clearing version_flags bit 0: the
 * bytes of the old list stay on disk. All three real SRU.chk files are
 * like that (version_flags 0, attach_raw[0] 0, a stale entry for
 * SRUDB.dat behind it in two of them), so recovery must take the attach
 * list from the log file at the checkpoint generation, as ESE does
 * (LGFakeCheckpointToLogFile). attach[] is parsed only when bit 0 is set.
 */
#ifndef JR_ESE_CHECKPOINT_H
#define JR_ESE_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/loghdr.h"
#include "ese/types.h"
#include "util/errinfo.h"

#define ESE_CHECKPOINT_SIZE        4096   /* cbCheckpoint, one copy */
#define ESE_CHECKPOINT_FILE_SIZE   8192   /* both copies */
#define ESE_CHECKPOINT_FIXED_SIZE  679    /* CHECKPOINT_FIXED */
#define ESE_CHECKPOINT_ATTACH_OFFSET 679
#define ESE_CHECKPOINT_ATTACH_SIZE 2048   /* cbAttach */
#define ESE_FILETYPE_CHECKPOINT    4      /* JET_filetypeCheckpoint */

/* version_flags */
#define ESE_CHECKPOINT_ATTACH_PRESENT 0x01u

typedef struct {
	uint32_t checksum;
	ese_lgpos lgpos_last_full_backup_checkpoint;
	ese_lgpos lgpos_checkpoint;
	ese_signature sign_log;
	ese_dbms_param dbms;
	uint8_t dbms_reserved[16];  /* DBMS_PARAM.rgbReserved (zero) */
	ese_lgpos lgpos_full_backup;
	ese_logtime logtime_full_backup;
	ese_lgpos lgpos_inc_backup;
	ese_logtime logtime_inc_backup;
	uint8_t version_flags;
	ese_lgpos lgpos_db_consistency;
	uint8_t reserved1[11];
	uint32_t filetype;
	uint8_t reserved2[8];
	uint8_t attach_raw[ESE_CHECKPOINT_ATTACH_SIZE];

	/* Parsed from attach_raw when version_flags has the present bit. */
	bool attach_present;
	unsigned n_attach;
	ese_attachinfo attach[ESE_ATTACH_MAX];

	/* Not a field: bytes 2727..4095 were not all zero (write zeroes them). */
	bool tail_nonzero;
} ese_checkpoint;

typedef enum {
	ESE_CHK_COPIES_OK,        /* both good and identical */
	ESE_CHK_PRIMARY_BAD,      /* first copy damaged: the shadow was used */
	ESE_CHK_SECONDARY_BAD,    /* shadow damaged or different */
} ese_checkpoint_copy_status;

typedef struct {
	ese_checkpoint chk;       /* the chosen copy */
	unsigned copy;            /* 0 or 1 (offset 4096) */
	ese_checkpoint_copy_status status;
	bool primary_ok;
	bool shadow_ok;
	bool copies_differ;
} ese_checkpoint_read_result;

/*
 * Decode one copy from buf[0..len) (len >= 4096) without checking its
 * checksum. -533 CheckpointCorrupt when len is short or the attach list
 * (when flagged present) runs past its area; -1812 FileInvalidType when
 * the file type is neither 0 nor 4.
 */
JET_ERR ese_checkpoint_parse(const uint8_t *buf, size_t len,
			     ese_checkpoint *out, jr_errinfo *ei);

/* True when buf[0..4096) has a valid XOR checksum. */
bool ese_checkpoint_copy_ok(const uint8_t *buf, size_t len);

/* Elect a copy from the file's bytes buf[0..len) by ESE's rules (above)
 * and parse it. */
JET_ERR ese_checkpoint_read(const uint8_t *buf, size_t len,
			    ese_checkpoint_read_result *out, jr_errinfo *ei);

/* Read path (at most 8192 bytes) and elect: jr_open_ro's errors (-1811
 * FileNotFound...), then ese_checkpoint_read's. */
JET_ERR ese_checkpoint_read_file(const char *path,
				 ese_checkpoint_read_result *out,
				 jr_errinfo *ei);

/* Serialize c into buf[4096]: every field, attach_raw, zero padding, and
 * the XOR checksum (c->checksum is ignored). */
void ese_checkpoint_write(const ese_checkpoint *c,
			  uint8_t buf[ESE_CHECKPOINT_SIZE]);

/* Both copies: buf[8192], the content of a .chk file. */
void ese_checkpoint_write_pair(const ese_checkpoint *c,
			       uint8_t buf[ESE_CHECKPOINT_FILE_SIZE]);

/*
 * Replace the attach list: serialize attach[0..n) (each with its
 * names_raw/cb_names) into attach_raw, zero the rest, set the present
 * bit and c->attach. -1003 InvalidParameter when the list does not fit in
 * 2048 bytes with its terminating zero, or n > ESE_ATTACH_MAX.
 */
JET_ERR ese_checkpoint_set_attach(ese_checkpoint *c,
				  const ese_attachinfo *attach, unsigned n,
				  jr_errinfo *ei);

/* Invalidate the attach list the way ESE does (first byte and flag). */
void ese_checkpoint_clear_attach(ese_checkpoint *c);

/* lgpos_db_consistency, or lgpos_checkpoint when that is zero (ESE). */
ese_lgpos ese_checkpoint_db_consistency(const ese_checkpoint *c);

#endif /* JR_ESE_CHECKPOINT_H */
