/*
 * logreader.h - a streaming reader of ESE log records across generations.
 *
 * The reader walks log files in generation order and returns each logical
 * record once: fragments (FragmentBegin + Fragment...) are reassembled,
 * NOP padding bytes are skipped (and counted), every segment checksum is
 * verified, and the end of each file's data is found the way ESE finds it
 * (see logseg.h). Memory does not grow with the size of the logs: one 4 KiB
 * segment, one 4 KiB scratch segment and one reassembly buffer no larger
 * than the largest record (at most ESE_LR_SIZE_MAX).
 *
 * Usage:
 *   ese_logreader *r;
 *   ese_logrecord rec;
 *   err = ese_logreader_open_range(dir, "SRU", 0x59, ESE_LOGREADER_GEN_CURRENT,
 *                                  NULL, &r, &ei);
 *   while ((err = ese_logreader_next(r, &rec, &ei)) == JET_errSuccess)
 *       use rec.lrtyp, rec.size, rec.data, rec.lgpos;
 *   if (err == ESE_LOGREADER_END) ... all read ...; else a JET_ERR < 0
 *   ese_logreader_close(r);
 *
 * Record positions (lgpos) follow ESE: a record's LGPOS is where the
 * previous record ended (gen, isec, ib), with ib 0 at the start of a
 * segment, so that checkpoint and attach positions (e.g. the checkpoint
 * (0x5C,8,0) of the Windows 11 set) compare with record positions the way
 * ESE compares them. The first record of a file is at (gen, 1, 0).
 *
 * Errors carry the file name and the LGPOS in their detail:
 *   -501 LogFileCorrupt       a segment or record fails validation
 *   -513 LogGenerationMismatch  a file's header names another generation
 *                             than the one expected at its place
 *   -514 BadLogVersion        a legacy or newer log format
 *   -515 InvalidLogSequence   tmPrevGen does not match the previous file
 *   -528 MissingLogFile       a generation of the range is not there
 *   -530 BadLogSignature      a file of another log sequence
 *   -541 LogFileSizeMismatch  the file size differs from its header's
 *   -546 LogSectorSizeMismatch files of different sector sizes
 *   -590 LogSequenceChecksumMismatch  the previous file's segments do not
 *                             XOR to the checksum the next header records
 */
#ifndef JR_ESE_LOGREADER_H
#define JR_ESE_LOGREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/loghdr.h"
#include "ese/types.h"
#include "util/errinfo.h"

/* ese_logreader_next's value at the end of the stream (not an error). */
#define ESE_LOGREADER_END 1

/* gen_last meaning "through the current log <base>.log". */
#define ESE_LOGREADER_GEN_CURRENT 0u

typedef struct ese_logreader ese_logreader;

typedef struct {
	/* When set, every file must carry this log signature (-530);
	 * otherwise the first file's signature is required of the others. */
	const ese_signature *sign_log;
	/* Correct a segment whose ECC checksum shows one flipped bit, as ESE
	 * does (and count it). Off by default: such a segment is -501. */
	bool fix_single_bit_errors;
	/* Return NOP2 records (partial-segment fill) to the caller. On by
	 * default through ese_logreader_opts_init; they are always counted. */
	bool return_nop2;
} ese_logreader_opts;

void ese_logreader_opts_init(ese_logreader_opts *o);

typedef struct {
	ese_lgpos lgpos;        /* ESE's position of the record (see above) */
	ese_lgpos lgpos_end;    /* where it ends: the next record's lgpos */
	ese_lgpos lgpos_data;   /* where its first byte (or its FragmentBegin)
				 * physically is */
	uint8_t lrtyp;
	uint32_t size;          /* bytes of the logical record */
	const uint8_t *data;    /* size bytes; valid until the next call */
	uint32_t nfragments;    /* 0 when stored whole, else Fragment count+1 */
	const char *file;       /* name of the file holding it (reader-owned) */
} ese_logrecord;

typedef struct {
	uint32_t files;             /* files opened */
	uint64_t segments;          /* valid (in-use) segments read */
	uint64_t inuse_bytes;       /* segments * 4096 */
	uint64_t header_bytes;      /* segment headers: segments * 40 */
	uint64_t record_bytes;      /* bytes of records as stored, fragment
				     * headers and NOP2 records included */
	uint64_t nop_bytes;         /* NOP (0x00) padding bytes */
	uint64_t records;           /* logical records (NOP2 included) */
	uint64_t nop2_records;
	uint64_t nop2_bytes;
	uint64_t fragmented_records;
	uint64_t fragment_pieces;   /* FragmentBegin + Fragment records */
	uint64_t shadow_repairs;    /* torn segments replaced by their shadow */
	uint64_t bits_corrected;    /* with fix_single_bit_errors */
	uint64_t torn_fragments;    /* partial fragment dropped (ESE's
				     * dirty-shutdown rule) */
	uint64_t by_type[256];      /* logical records per lrtyp */
} ese_logreader_stats;

/*
 * Read generations gen_first..gen_last of the log set named base ("SRU",
 * "edb") in directory dir. Generation g is <base><g as %05X>.log (or %08X,
 * or .jtx), or the current log <base>.log when its header says g. With
 * gen_last = ESE_LOGREADER_GEN_CURRENT the range runs through <base>.log.
 * opts may be NULL. *out is freed with ese_logreader_close().
 */
JET_ERR ese_logreader_open_range(const char *dir, const char *base,
				 uint32_t gen_first, uint32_t gen_last,
				 const ese_logreader_opts *opts,
				 ese_logreader **out, jr_errinfo *ei);

/* Read the given files in order; the first file's header sets the first
 * generation, each next file must be the next generation (a higher one:
 * -528, any other: -513). The paths are copied. */
JET_ERR ese_logreader_open_files(const char *const *paths, size_t n,
				 const ese_logreader_opts *opts,
				 ese_logreader **out, jr_errinfo *ei);

/* Read one log file image held in memory (len bytes at buf, not copied:
 * it must outlive the reader). name appears in error details. */
JET_ERR ese_logreader_open_mem(const uint8_t *buf, size_t len,
			       const char *name, const ese_logreader_opts *opts,
			       ese_logreader **out, jr_errinfo *ei);

/* The next logical record: JET_errSuccess and *rec filled,
 * ESE_LOGREADER_END after the last one, or a JET_ERR < 0 (after which the
 * reader only returns that error again). */
JET_ERR ese_logreader_next(ese_logreader *r, ese_logrecord *rec,
			   jr_errinfo *ei);

/* Counters so far (reader-owned; valid until close). */
const ese_logreader_stats *ese_logreader_stats_get(const ese_logreader *r);

/* Header of the file being read (NULL before the first record). */
const ese_loghdr *ese_logreader_header(const ese_logreader *r);

void ese_logreader_close(ese_logreader *r);

#endif /* JR_ESE_LOGREADER_H */
