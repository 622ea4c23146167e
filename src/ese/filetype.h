/*
 * filetype.h - what kind of ESE file a buffer is, by content, never by name.
 *
 * Usage:
 *   uint32_t t = ese_file_detect(first_bytes, len);   // JET_filetype*
 *   ese_filetype_name(t)                              // "Database", "Log"...
 *   ese_file_info fi; ese_file_detect_ex(buf, len, &fi);  // + details
 *   ese_file_detect_path(path, &fi, ei);              // reads 64 KiB
 * Pass the first bytes of the file: 8192 are enough for everything but a
 * database with pages over 4 KiB whose first copy is damaged (65536 always
 * suffice). Pure functions, no allocation (except _path's read buffer).
 *
 * ---------------------------------------------------------------------
 * Every ESE file header keeps a 4-byte file type at offset 667
 * (DBFILEHDR, LGFILEHDR, CHECKPOINT and the flush map's header share that
 * offset on purpose), and an XOR checksum of the header block in bytes
 * 0..3 (checksum.h). The file type alone is not trusted: random bytes
 * there are possible. A type is reported when:
 *   Database (1), StreamingFile (2), TempDatabase (5): the database magic
 *     0x89abcdef at offset 4 and that type at 667, in the first copy or in
 *     the shadow copy one page further (2..32 KiB). The checksum is not
 *     required: a damaged database is still a database (its header reader
 *     then reports -1206). Type 0 with the magic and a valid header (at
 *     some page size) is an old database from before the field existed.
 *   Log (3): the log header checksum over 4096 bytes is valid, or the
 *     format version reads 8.4000 or 7.3704 (a damaged log header).
 *   Checkpoint (4): type 4 and a valid checksum in either 4096-byte copy,
 *     or type 4 in both copies.
 *   FlushMap (7) and the others (6, 8..11): that type and a valid
 *     checksum over the 4096-byte header.
 * Anything else, including zero-filled and random buffers, is Unknown (0).
 *
 * Measured on the real sets: SRUDB.dat Database; SRU*.log and SRUtmp.log
 * Log (SRUtmp.log is a complete, valid log file of an older generation:
 * 0x18 in clean-b, 0x50 in win11-dirty; the log layer decides it is not
 * part of the sequence); SRU.chk Checkpoint; SRUDB.jfm FlushMap (header at
 * 0, zero page at 4096, data page at 8192); SRUres*.jrs Unknown: reserve
 * logs are 64 KiB of zeros (info.blank).
 */
#ifndef JR_ESE_FILETYPE_H
#define JR_ESE_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jetrestore.h"
#include "util/errinfo.h"

#define ESE_FILETYPE_OFFSET 667

/* JET_filetype values beyond those in jetrestore.h (jethdr.w). */
#define ESE_FILETYPE_CACHED_FILE          8
#define ESE_FILETYPE_CACHING_FILE         9
#define ESE_FILETYPE_SNAPSHOT             10
#define ESE_FILETYPE_RBS_REVERT_CHECKPOINT 11
#define ESE_FILETYPE_MAX                  12

typedef struct {
	uint32_t filetype;      /* JET_filetype*, Unknown when not recognised */
	uint32_t stored_type;   /* the 4 bytes at 667 (0 if len too short) */
	bool header_ok;         /* a header copy's checksum validated */
	unsigned copy;          /* copy that identified it: 0, or 1 = shadow */
	uint32_t header_size;   /* bytes of that header copy (database: its
				 * page size; others 4096); 0 if unknown */
	bool blank;             /* every byte given is zero */
} ese_file_info;

/* The JET_filetype of a buffer holding a file's first len bytes. */
uint32_t ese_file_detect(const uint8_t *first_bytes, size_t len);

/* The same with the details of ese_file_info. */
void ese_file_detect_ex(const uint8_t *first_bytes, size_t len,
			ese_file_info *out);

/* Read the first 65536 bytes of path (fewer if it is shorter) and detect.
 * Errors: those of jr_open_ro / jr_pread_full. */
JET_ERR ese_file_detect_path(const char *path, ese_file_info *out,
			     jr_errinfo *ei);

/* ESE's name of a file type without the prefix ("Database", "Log",
 * "Checkpoint", "FlushMap", ...); "Unknown" outside 0..11. */
const char *ese_filetype_name(uint32_t filetype);

#endif /* JR_ESE_FILETYPE_H */
