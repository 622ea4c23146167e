/*
 * logwriter.h - write ESE log files (format 8.4000) from raw records.
 *
 * For synthetic test sets: error cases real data lacks and large inputs
 * for benchmarks. The files follow Windows' layout and padding rules (see
 * logseg.h), so that the reader, and ESE, read them like Windows' own:
 *   - sector 0: the header (from a template header when given: versions,
 *     DBMS parameters, attach list, flags), generation, creation time,
 *     tmPrevGen = the previous generation's creation time, and
 *     checksumPrevLogAllSegments = XOR of the previous file's segment
 *     checksums;
 *   - records placed one after the other; a record that does not fit the
 *     rest of a segment is fragmented (FragmentBegin + Fragment) when at
 *     least 32 bytes remain, else the rest is NOP-filled;
 *   - records never cross files: a record that would reach the end of the
 *     file's data area (ESE leaves at least one byte of the last data
 *     segment free) starts the next generation;
 *   - ese_logwriter_flush() is a commit flush: the partial segment is
 *     filled with one NOP2 record, as ESE does; ese_logwriter_end_segment()
 *     leaves it zero-filled, as a clean shutdown does;
 *   - the last written segment of each file also goes to the next sector
 *     (its shadow copy); the rest of the file is zero;
 *   - segment start times are the generation's creation time, so that the
 *     same input gives the same bytes.
 * Each file is written under a temporary name and renamed when complete:
 * archived generations are <base><gen %05X>.log, the last one is
 * <base>.log when current_as_base is set.
 *
 * Usage:
 *   ese_logwriter_params p; ese_logwriter_params_init(&p, dir, "edb", 1, &sig);
 *   ese_logwriter *w; ese_logwriter_open(&p, &w, &ei);
 *   ese_logwriter_append(w, rec, len, &lgpos, &ei);  ... flush ...
 *   ese_logwriter_close(w, &ei);   (frees w in every case)
 */
#ifndef JR_ESE_LOGWRITER_H
#define JR_ESE_LOGWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/loghdr.h"
#include "ese/types.h"
#include "util/errinfo.h"

typedef struct {
	const char *dir;             /* existing directory */
	const char *base;            /* "edb", "SRU" */
	uint32_t first_gen;          /* >= 1 */
	uint16_t csec_lgfile;        /* 4 KiB sectors per file, header
				      * included: 16 = 64 KiB (SRUM), 256 =
				      * 1 MiB (Exchange, AD); at least 4 */
	ese_signature sign_log;
	const ese_loghdr *template_hdr; /* optional, copied */
	ese_logtime start_time;      /* tmCreate of the first generation;
				      * each next one is one second later */
	ese_logtime prev_gen_time;   /* tmPrevGen of the first generation */
	uint64_t prev_checksum;      /* its checksumPrevLogAllSegments */
	bool current_as_base;        /* name the last file <base>.log */
} ese_logwriter_params;

typedef struct ese_logwriter ese_logwriter;

/* Defaults: 64 KiB files, start time 2025-01-01 00:00:00 UTC,
 * current_as_base set. The strings are not copied until open. */
void ese_logwriter_params_init(ese_logwriter_params *p, const char *dir,
			       const char *base, uint32_t first_gen,
			       const ese_signature *sign_log);

/* -1003 InvalidParameter for bad parameters, -1023 when dir is not a
 * directory. */
JET_ERR ese_logwriter_open(const ese_logwriter_params *p,
			   ese_logwriter **out, jr_errinfo *ei);

/*
 * Append one logical record (its raw bytes: type byte first, size by
 * ESE's rule, see lrtyp.h). *lgpos (may be NULL) receives ESE's position
 * of the record, the one the reader reports. -1003 when len is not the
 * record's size or the type is NOP, FragmentBegin, Fragment or has no
 * size rule, or the record is larger than a whole file's data area.
 */
JET_ERR ese_logwriter_append(ese_logwriter *w, const uint8_t *rec,
			     size_t len, ese_lgpos *lgpos, jr_errinfo *ei);

/* A commit flush: fill the partial segment with a NOP2 record (when at
 * least 5 bytes remain); the next record starts a new segment. */
JET_ERR ese_logwriter_flush(ese_logwriter *w, jr_errinfo *ei);

/* End the current segment here, its rest left as NOP bytes, without a
 * NOP2: what a clean shutdown leaves (Term2 at the end of a partial
 * segment; after the restart ESE writes Init2 at the next segment). The
 * next record's position stays where the last one ended, as ESE's reader
 * reports it. */
JET_ERR ese_logwriter_end_segment(ese_logwriter *w, jr_errinfo *ei);

/* Finish the current generation now (ESE's forced log rollover). */
JET_ERR ese_logwriter_new_generation(ese_logwriter *w, jr_errinfo *ei);

/* Generation being written, and the position the next record gets. */
uint32_t ese_logwriter_gen(const ese_logwriter *w);
ese_lgpos ese_logwriter_pos(const ese_logwriter *w);

/* Where the next byte physically goes: (gen, segment, offset >= 40). */
ese_lgpos ese_logwriter_tail(const ese_logwriter *w);

/* Finish the last generation and free w (also after an error: then the
 * unfinished file is removed and the first error returned). */
JET_ERR ese_logwriter_close(ese_logwriter *w, jr_errinfo *ei);

#endif /* JR_ESE_LOGWRITER_H */
