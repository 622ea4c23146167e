/*
 * backupset.h - write streaming-backup sets for tests, from a real set.
 *
 * What ESE's external backup leaves (backup.cxx): a copy of each database
 * whose header (and shadow) carry bkinfoFullCur = { lgposMark,
 * logtimeMark, genLow = the checkpoint generation when the backup began,
 * genHigh = 0 } with a valid checksum, and one more page appended after the
 * last database page: the trailer (PATCHHDR, patchpage.h) recording the
 * mark and genLow..genHigh (genHigh: the current generation when the copy
 * ended) with the database's min/max required generations; and the logs
 * genLow..genHigh, all under archived names.
 *
 * jr_bkset_build() makes that from a real set (a database and its logs):
 * the database is copied with its header given that backup info and the
 * trailer appended, logs gen_low..gen_high are copied (the set's current
 * log BASE.log under its archived name), and optionally the set's later
 * logs go to a target-instance directory (the newest as BASE.log, with the
 * set's checkpoint), as the instance that kept running would hold them.
 * Every other byte is Windows' own.
 *
 * The edit helpers make the minimal broken variants the restore errors
 * need: rewrite a database header (both copies, valid checksums), the
 * trailer, or a log header (valid checksum), flip one byte, drop a file.
 *
 * All functions return a JET_ERR (with ei) from the library they use.
 */
#ifndef JR_TESTS_SYNTH_BACKUPSET_H
#define JR_TESTS_SYNTH_BACKUPSET_H

#include <stdbool.h>
#include <stdint.h>

#include "ese/dbheader.h"
#include "ese/loghdr.h"
#include "ese/patchpage.h"
#include "util/errinfo.h"

typedef struct {
	const char *set_dir;        /* the real set */
	const char *db_name;        /* its database, "SRUDB.dat" */
	const char *base;           /* its log base name, "SRU" */
	const char *backup_dir;     /* existing directory to fill */
	const char *copy_name;      /* name of the copy; NULL: db_name */
	uint32_t gen_low;           /* backup's log range; 0: the set's */
	uint32_t gen_high;          /*   first / last generation */
	const char *target_dir;     /* NULL, or where the set's generations
				       after gen_high go (+ BASE.chk) */
	bool clear_circular;        /* rewrite the placed logs' headers
				       without the circular-logging flags */
	bool no_trailer;            /* no trailer: header genHigh set as
				       after ESE applied it */
} jr_bkset_params;

/* Build the set. Also returns, when not NULL, the backup info written. */
JET_ERR jr_bkset_build(const jr_bkset_params *p, ese_bkinfo *bk_out,
		       jr_errinfo *ei);

/* Read the elected header of a database file, let edit change it, write
 * it back as header and shadow with valid checksums. */
typedef void (*jr_bkset_db_edit)(ese_dbheader *h, void *ctx);
JET_ERR jr_bkset_edit_db_header(const char *path, jr_bkset_db_edit edit,
				void *ctx, jr_errinfo *ei);

/* The same for the trailer page (last page) of a backup copy. */
typedef void (*jr_bkset_trailer_edit)(ese_patchpage *pp, void *ctx);
JET_ERR jr_bkset_edit_trailer(const char *path, uint32_t page_size,
			      jr_bkset_trailer_edit edit, void *ctx,
			      jr_errinfo *ei);

/* The same for a log file's header (sector 0). */
typedef void (*jr_bkset_log_edit)(ese_loghdr *h, void *ctx);
JET_ERR jr_bkset_edit_log_header(const char *path, jr_bkset_log_edit edit,
				 void *ctx, jr_errinfo *ei);

/* XOR one byte of a file with mask. */
JET_ERR jr_bkset_flip(const char *path, uint64_t offset, uint8_t mask,
		      jr_errinfo *ei);

/* The archived name of generation gen in the set's style ("SRU0005C.log":
 * 5 hex digits when the set uses them, else 8). */
void jr_bkset_log_name(const char *base, unsigned digits, uint32_t gen,
		       char *out, size_t n);

#endif
