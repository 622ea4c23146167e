/*
 * scan.h - classify the files of a backup set or log directory by content.
 *
 * A backup directory holds databases, logs, a checkpoint and side files
 * whose names cannot be trusted: `SRUtmp.log` is a recycled older
 * generation, `*.jrs` are zero-filled reserve logs, a database can have any
 * name. The scan reads each file's header (file type at offset 667, then the
 * header of that kind) and records what the file really is. Nothing is
 * opened for writing.
 *
 * Names are used only as hints that ESE itself relies on: a log named
 * BASE + 8 hex digits + ".log" (or 5 digits for old sets) claims that
 * generation in the sequence of base name BASE; BASE + ".log" claims to be
 * the current log. logchain.h decides membership from these facts.
 *
 * Ownership: jr_scan_dir()/jr_scan_new() return a jr_scan the caller frees
 * with jr_scan_free(); entries and their strings belong to the scan.
 */
#ifndef JR_RESTORE_SCAN_H
#define JR_RESTORE_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "ese/checkpoint.h"
#include "ese/dbheader.h"
#include "ese/loghdr.h"
#include "ese/types.h"
#include "util/errinfo.h"

/* What the name of a log file says about it. */
typedef enum {
	JR_LOGNAME_NONE,      /* not BASE*.log: no claim (e.g. SRUtmp.log) */
	JR_LOGNAME_ARCHIVED,  /* BASE + hex generation + ".log" */
	JR_LOGNAME_CURRENT,   /* BASE + ".log" */
} jr_logname_kind;

/* A database named in a log header's attach list. */
typedef struct {
	uint8_t dbid;
	ese_signature sign_db;
	char *path;                      /* UTF-8, scan-owned */
} jr_scan_attach;

/* The facts of a log header that sets are built from. A few hundred bytes
 * per file: a set of many thousand small logs stays small in memory. */
typedef struct {
	uint32_t gen;
	ese_signature sign_log;
	ese_logtime tm_create;
	ese_logtime tm_prev_gen;
	uint32_t ver_major, ver_minor, ver_update_major, ver_update_minor;
	uint16_t cb_sec;
	uint16_t csec_lgfile;
	uint32_t page_size;
	bool circular;
	uint64_t expected_size;          /* csec_lgfile * cb_sec */
	ese_lgpos lgpos_checkpoint;
	uint64_t checksum_prev_log;
	unsigned n_attach;
	jr_scan_attach *attach;          /* n_attach entries, scan-owned */
} jr_scan_log;

typedef struct {
	char *path;                      /* as given or dir/name */
	char *name;                      /* final component */
	uint64_t size;
	uint32_t filetype;               /* JET_filetype* from the content */
	bool blank;                      /* first 4 KiB all zero */
	jr_errinfo *hdr_err;             /* header problem, or NULL: none */

	/* Set for logs (filetype Log) whose header parsed: */
	jr_logname_kind name_kind;
	char base[16];                   /* base name from the file name */
	uint32_t name_gen;               /* generation the name claims */
	jr_scan_log *log;                /* NULL unless a good log header */

	/* Set for databases and checkpoints whose header parsed: */
	ese_dbheader_read_result *db;
	ese_checkpoint_read_result *chk;
} jr_scan_entry;

typedef struct {
	unsigned n;
	jr_scan_entry **entries;         /* sorted by name */
	unsigned cap;
} jr_scan;

/* An empty scan to add files to. -1011 OutOfMemory. */
JET_ERR jr_scan_new(jr_scan **out, jr_errinfo *ei);

/* Scan every regular file directly inside dir (not recursive).
 * -1811 FileNotFound / -1023 InvalidPath when dir is not a directory. */
JET_ERR jr_scan_dir(const char *dir, jr_scan **out, jr_errinfo *ei);

/* Classify one file and add it. A file whose header is damaged is still
 * added (hdr_err says what is wrong); only a file that cannot be opened or
 * read fails the call. */
JET_ERR jr_scan_add_file(jr_scan *s, const char *path, jr_errinfo *ei);

/* Entries of one kind, in name order: fills up to max pointers into out and
 * returns how many there are in all. */
unsigned jr_scan_find(const jr_scan *s, uint32_t filetype,
		      jr_scan_entry **out, unsigned max);

void jr_scan_free(jr_scan *s);

/* Parse a log file name: kind, base (up to 15 chars) and claimed gen. */
jr_logname_kind jr_logname_parse(const char *name, char *base, size_t base_size,
				 uint32_t *gen);

#endif
