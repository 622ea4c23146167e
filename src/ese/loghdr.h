/*
 * loghdr.h - the header of an ESE transaction log file (LGFILEHDR).
 *
 * A log file of format 8.4000 is a whole number of 4 KiB sectors ("segments"):
 * sector 0 is this header (csecHeader = 1), sectors 1 .. csecLGFile-2 hold the
 * record stream (see logseg.h), and the last sector is kept for the shadow
 * copy of the last data segment. Measured on the real 64 KiB SRUM logs:
 * cbSec 4096, csecHeader 1, csecLGFile 16, so segments begin at byte 4096.
 * Format 8 writes the header once: there is no shadow copy of the header
 * (sector 1 is already segment 1).
 *
 * The header occupies the first 4096 bytes (cbLogFileHeader):
 *
 *   OFFSET SIZE FIELD
 *   0      4    ulChecksum    ESE's XOR checksum of the 4096 header bytes:
 *                             0x89abcdef ^ every 32-bit LE word but this one
 *   4      4    lGeneration   generation of this file (SRU0005A.log: 0x5A)
 *   8      2    cbSec         bytes per sector: 4096 in format 8 (a segment)
 *   10     2    csecHeader    sectors taken by this header (1)
 *   12     2    csecLGFile    sectors in the file, header included (16 for
 *                             a 64 KiB log); file size = csecLGFile * cbSec
 *   14     2    cbPageSize    database page size (0 means 4096)
 *   16     8    tmCreate      LOGTIME this generation was created
 *   24     8    tmPrevGen     LOGTIME the previous generation was created
 *                             (equals tmCreate of generation-1: the chain)
 *   32     4    ulMajor       format major version: 8 (7 and below are the
 *                             legacy LRCHECKSUM formats, refused)
 *   36     4    ulMinor       4000 (the "final deprecated" minor)
 *   40     4    ulUpdateMajor 60 (Windows 10 sets), 90 (Windows 11 set)
 *   44     28   signLog       SIGNATURE of the log sequence: every file of
 *                             one sequence carries the same one
 *   72     567  dbms_param    DBMS_PARAM, the run-time environment:
 *            72   261  szSystemPathDebugOnly  NUL-padded ANSI path
 *            333  261  szLogFilePathDebugOnly NUL-padded ANSI path
 *            594  1    fDBMSPARAMFlags
 *            595  4    lSessionsMax
 *            599  4    lOpenTablesMax
 *            603  4    lVerPagesMax
 *            607  4    lCursorsMax
 *            611  4    lLogBuffers
 *            615  4    lcsecLGFile
 *            619  4    ulCacheSizeMax
 *            623  16   rgbReserved
 *   639    1    fLGFlags      0x01 reserved log in use, 0x02 circular logging
 *                             on, 0x04 circular logging was on (SRUM: 0x06)
 *   640    8    lgposCheckpoint  LGPOS of the checkpoint when this file was
 *                             created (0 = none)
 *   648    4    ulUpdateMinor 140 (Windows 10 sets), 200 (Windows 11)
 *   652    1    bDiskSecSizeMismatch  true disk sector size, when not used
 *   653    8    checksumPrevLogAllSegments  XOR of the 8-byte checksums of
 *                             every written segment of generation-1
 *                             (0 = not recorded; from update minor 13 on)
 *   661    4    efvEngineCurrentDiagnostic  engine format version of the
 *                             binary that wrote the file (9180, 9400)
 *   665    2    rgbReserved
 *   667    4    filetype      JET_filetypeLog = 3 (0 in very old files);
 *                             at 667 in database and checkpoint headers too
 *   671    2048 rgbAttach     attach list: ATTACHINFO entries back to back,
 *                             ended by a 0 byte where the next dbid would be
 *   2719   1377 rgbPadding    zero
 *
 * ATTACHINFO (64 bytes + names):
 *   OFFSET SIZE FIELD
 *   0      1    dbid          1..6; 0 ends the list
 *   1      1    flags         0x20 names are UTF-16, 0x40 sparse file
 *   2      2    cbNames       bytes of names that follow the fixed part
 *   4      8    dbtime        the database's dbtime when the file was made
 *   12     4    objidLast
 *   16     4    cpgDatabaseSizeMax
 *   20     8    lgposAttach   where the database was attached
 *   28     8    lgposConsistent  where it was last consistent
 *   36     28   signDb        SIGNATURE of the database
 *   64     cb   szNames       the database path, NUL-terminated, UTF-16LE
 *                             when flag 0x20 is set, else ANSI
 *
 * Usage:
 *   ese_loghdr h;  JET_ERR e = ese_loghdr_parse(buf, len, &h, ei);
 *   h.gen, h.attach[0].path ...;  ese_loghdr_write(&h, out4096);
 * parse followed by write reproduces the 4096 bytes exactly. The struct owns
 * no heap memory.
 */
#ifndef JR_ESE_LOGHDR_H
#define JR_ESE_LOGHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "util/errinfo.h"

#define ESE_LOGHDR_SIZE          4096   /* cbLogFileHeader */
#define ESE_LOGHDR_FIXED_SIZE    671    /* LGFILEHDR_FIXED */
#define ESE_LOGHDR_ATTACH_OFFSET 671
#define ESE_LOGHDR_ATTACH_SIZE   2048   /* cbAttach */
#define ESE_ATTACHINFO_SIZE      64     /* fixed part of an ATTACHINFO */
#define ESE_ATTACH_MAX           7      /* dbidMax: dbids 1..6 plus slack */
#define ESE_ATTACH_PATH_MAX      (3 * ESE_LOGHDR_ATTACH_SIZE / 2 + 1)

#define ESE_FILETYPE_LOG         3      /* JET_filetypeLog */
#define ESE_LOG_SECTOR_SIZE      4096   /* cbSec of format 8 (a segment) */
#define ESE_LOG_VERSION_MAJOR    8
#define ESE_LOG_VERSION_MINOR    4000

/* fLGFlags */
#define ESE_LGFLAG_RESERVED_LOG     0x01
#define ESE_LGFLAG_CIRCULAR         0x02
#define ESE_LGFLAG_CIRCULAR_HISTORY 0x04

/* ATTACHINFO flags */
#define ESE_ATTACH_UNICODE_NAMES 0x20
#define ESE_ATTACH_SPARSE_FILE   0x40

/* DBMS_PARAM: the engine's run-time parameters when the file was made. */
typedef struct {
	char system_path[262];      /* NUL-terminated copy of the 261 bytes */
	char log_path[262];
	uint8_t flags;
	uint32_t sessions_max;
	uint32_t open_tables_max;
	uint32_t ver_pages_max;
	uint32_t cursors_max;
	uint32_t log_buffers;
	uint32_t csec_lgfile;
	uint32_t cache_size_max;
} ese_dbms_param;

/* One database of the attach list. */
typedef struct {
	uint8_t dbid;
	uint8_t flags;              /* ESE_ATTACH_* */
	uint16_t cb_names;
	uint64_t dbtime;
	uint32_t objid_last;
	int32_t cpg_max;
	ese_lgpos lgpos_attach;
	ese_lgpos lgpos_consistent;
	ese_signature sign_db;
	/* The names exactly as stored (cb_names bytes), for a byte-exact
	 * round trip, and the first name converted to UTF-8. */
	uint8_t names_raw[ESE_LOGHDR_ATTACH_SIZE];
	char path[ESE_ATTACH_PATH_MAX];
} ese_attachinfo;

typedef struct {
	/* The header bytes as read (or as last written): reserved areas and
	 * padding survive a round trip through ese_loghdr_write(). */
	uint8_t raw[ESE_LOGHDR_SIZE];

	uint32_t checksum;          /* stored ulChecksum */
	uint32_t gen;
	uint16_t cb_sec;
	uint16_t csec_header;
	uint16_t csec_lgfile;
	uint16_t cb_page;           /* as stored (0 means 4096) */
	ese_logtime tm_create;
	ese_logtime tm_prev_gen;
	uint32_t ver_major;
	uint32_t ver_minor;
	uint32_t ver_update_major;
	uint32_t ver_update_minor;
	ese_signature sign_log;
	ese_dbms_param dbms;
	uint8_t lg_flags;           /* ESE_LGFLAG_* */
	ese_lgpos lgpos_checkpoint; /* zero when none was recorded */
	uint8_t disk_sec_size_mismatch;
	uint64_t checksum_prev_log; /* 0 = not recorded */
	uint32_t efv_engine;
	uint32_t filetype;

	unsigned n_attach;
	ese_attachinfo attach[ESE_ATTACH_MAX];
} ese_loghdr;

/*
 * Parse and validate the header in buf[0..len) (len >= 4096; only the first
 * 4096 bytes are read). Checks, in ESE's order: ancient Jet formats
 * (-514 BadLogVersion, named), checksum (-501 LogFileCorrupt; an all-zero
 * header is reported as blank: a reserve log or a file never written),
 * file type (-1812 FileInvalidType), version: major <= 7 is a legacy
 * LRCHECKSUM format and major > 8 a newer one (-514, named in the detail),
 * sector geometry (-501) and the attach list (-501).
 */
JET_ERR ese_loghdr_parse(const uint8_t *buf, size_t len, ese_loghdr *out,
			 jr_errinfo *ei);

/* Read and parse the header of the log file at path (-1811 FileNotFound
 * and the I/O errors of jr_open_ro, then ese_loghdr_parse's). When
 * file_size is not NULL it receives the file's size in bytes. */
JET_ERR ese_loghdr_read_file(const char *path, ese_loghdr *out,
			     uint64_t *file_size, jr_errinfo *ei);

/* Serialize h into out[4096]: the raw bytes with every parsed field and the
 * attach list written back, then the XOR checksum. Byte-identical to the
 * input for a parsed header. Also refreshes h->raw and h->checksum. */
void ese_loghdr_write(ese_loghdr *h, uint8_t out[ESE_LOGHDR_SIZE]);

/* A fresh format-8.4000 header (what Windows 11 writes: 8.4000.90.200),
 * cbSec 4096, csecHeader 1, the given generation, size and signature, an
 * empty attach list, file type log. Fields may be changed before writing. */
void ese_loghdr_init(ese_loghdr *h, uint32_t gen, uint16_t csec_lgfile,
		     const ese_signature *sign_log);

/* ---- DBMS_PARAM and the attach list (attachinfo.c): the log header's
 * and the checkpoint's (checkpoint.h) ---- */

/* Decode / encode the 567-byte DBMS_PARAM at b (all 261 bytes of each
 * path, so a round trip is exact; the reserved tail is the caller's). */
void ese_dbms_param_parse(const uint8_t *b, ese_dbms_param *d);
void ese_dbms_param_write(const ese_dbms_param *d, uint8_t *b);

/* Decode the attach list in area[0..size): entries until a 0 dbid or the
 * end. `corrupt` (-501 for a log header, -514 for a checkpoint) with a
 * detail naming `what` for more than ESE_ATTACH_MAX entries or an entry
 * or its names running past the area. */
JET_ERR ese_attach_list_parse(const uint8_t *area, size_t size,
			      ese_attachinfo list[ESE_ATTACH_MAX],
			      unsigned *n_out, JET_ERR corrupt,
			      const char *what, jr_errinfo *ei);

/* Encode n entries into area[0..size) followed by the 0 end mark when
 * there is room (bytes after it are left as they are). -1003 for more
 * than ESE_ATTACH_MAX entries, or an entry with dbid 0 or that does not
 * fit (the list then ends before it). */
JET_ERR ese_attach_list_write(const ese_attachinfo *list, unsigned n,
			      uint8_t *area, size_t size, jr_errinfo *ei);

/* ai->path from ai->names_raw: the first name as UTF-8 (UTF-16 names:
 * U+FFFD for an unpaired surrogate; 8-bit names as stored). */
void ese_attachinfo_decode_path(ese_attachinfo *ai);

/* Set an attach entry's path from UTF-8 (stored as UTF-16 with the
 * UTF-16 flag); -1003 InvalidParameter when it does not fit. */
JET_ERR ese_attachinfo_set_path(ese_attachinfo *ai, const char *utf8,
				jr_errinfo *ei);

/* ESE's XOR checksum of a 4096-byte header block. */
uint32_t ese_loghdr_checksum(const uint8_t buf[ESE_LOGHDR_SIZE]);

/* True when all 4096 bytes are zero (a reserve log, *.jrs). */
bool ese_loghdr_is_blank(const uint8_t *buf, size_t len);

/* Bytes the file must have: csec_lgfile * cb_sec. */
uint64_t ese_loghdr_file_size(const ese_loghdr *h);

/* Circular logging on when the file was made (fLGFlags & 0x02). */
bool ese_loghdr_circular(const ese_loghdr *h);

/* "8.4000.90.200" into out[n]; returns out. */
char *ese_loghdr_version_format(const ese_loghdr *h, char *out, size_t n);

#endif /* JR_ESE_LOGHDR_H */
