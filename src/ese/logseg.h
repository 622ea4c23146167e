/*
 * logseg.h - log segments of format 8.4000: 4 KiB blocks that carry the
 * record stream after the file header.
 *
 * Sector isec of a log file lies at byte isec * 4096. Sector 0 is the file
 * header; sectors 1 .. csecLGFile-2 are data segments; the last sector is
 * reserved for the shadow copy of the last data segment (ESE writes a
 * partially filled segment twice, at isec and isec+1, so that a torn write
 * of one copy can be repaired from the other).
 *
 * LGSEGHDR (40 bytes, at the start of every segment):
 *   OFFSET SIZE FIELD
 *   0      8    checksum     ECC checksum of the 4096 bytes: ESE's page
 *                            checksum with pgno = isec, the first 8 bytes
 *                            counted as zero: ese_checksum_ecc(seg, 4096,
 *                            isec, true). Same place as a page's checksum.
 *   8      8    lgposSegment LGPOS (ib 0, isec, generation) of the segment
 *   16     8    logtimeSegmentStart  LOGTIME the segment was started (may be
 *                            zero in the last, empty segment of a file)
 *   24     12   rgbReserved  zero
 *   36     4    fFlags       0x2000: "new checksum format" (same bit as a
 *                            page's); ESE sets it on every segment
 *   40     ...  records, then NOP (0x00) bytes to the end
 *
 * Records never cross a segment. A record that does not fit in the rest of
 * a segment is cut into a FragmentBegin (in the rest, when at least 32
 * bytes, LOG_MIN_FRAGMENT_SIZE, remain) and Fragment records at the start
 * of the following segments; when fewer than 32 bytes remain they are
 * filled with NOP bytes and the record starts in the next segment. When
 * ESE flushes a partly filled segment at a commit it fills it with one NOP2
 * record (LRIGNORED of the remaining size) when at least 5 bytes remain;
 * a partial segment is otherwise written with zeros after its data.
 *
 * Where the written data ends, determined the way ESE's
 * ErrLGCheckReadLastLogRecordFF does, segment by segment from isec 1:
 *   valid     checksum right for isec and lgposSegment = (gen, isec, 0)
 *   shadow    checksum right for isec-1: the copy of the previous segment
 *   stale     checksum right but lgposSegment older: left from the file's
 *             previous life (log files are recycled, never re-zeroed)
 *   blank     all zero
 * Data ends at the first shadow/stale/blank segment; a valid segment after
 * that, a segment whose lgposSegment is ahead of its place, or a segment
 * that fails its checksum (unless its shadow at isec+1 repairs it) is
 * corruption.
 */
#ifndef JR_ESE_LOGSEG_H
#define JR_ESE_LOGSEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "util/errinfo.h"

#define ESE_LOGSEG_SIZE          4096   /* LOG_SEGMENT_SIZE */
#define ESE_LOGSEG_HDR_SIZE      40     /* sizeof(LGSEGHDR) */
#define ESE_LOGSEG_DATA_SIZE     (ESE_LOGSEG_SIZE - ESE_LOGSEG_HDR_SIZE)
#define ESE_LOGSEG_MIN_FRAGMENT  32     /* LOG_MIN_FRAGMENT_SIZE */
#define ESE_LOGSEG_FLAG_ECC      0x2000u

typedef struct {
	uint64_t checksum;
	ese_lgpos lgpos;
	ese_logtime logtime_start;
	uint8_t reserved[12];
	uint32_t flags;
} ese_logseghdr;

void ese_logseghdr_parse(const uint8_t *seg, ese_logseghdr *out);

typedef enum {
	ESE_LOGSEG_VALID,   /* data of this generation at this place */
	ESE_LOGSEG_SHADOW,  /* copy of segment isec-1: the end of the data */
	ESE_LOGSEG_STALE,   /* left from an earlier generation: the end */
	ESE_LOGSEG_BLANK,   /* all zero: the end */
	ESE_LOGSEG_AHEAD,   /* checksum right, lgposSegment after its place */
	ESE_LOGSEG_BAD,     /* checksum wrong */
} ese_logseg_state;

typedef struct {
	ese_logseg_state state;
	uint64_t stored;      /* the 8 bytes at offset 0 */
	uint64_t computed;    /* ECC for pgno = isec */
	int64_t bad_bit;      /* BAD: the single flipped bit ECC can correct
			       * (bit offset in the segment), else -1 */
	ese_lgpos lgpos;      /* lgposSegment as stored */
} ese_logseg_check;

/* Classify the segment seg[4096] read at sector isec of a file of
 * generation gen (see the list above). Never fails. */
void ese_logseg_classify(const uint8_t *seg, uint32_t gen, uint16_t isec,
			 ese_logseg_check *out);

/* Name of a state ("valid", "shadow"...). */
const char *ese_logseg_state_name(ese_logseg_state s);

/* Write the segment header of seg[4096] for (gen, isec) with the given
 * start time, zero the reserved bytes, set the ECC flag and store the
 * checksum (what ESE does before writing a segment). Returns the
 * checksum. */
uint64_t ese_logseg_seal(uint8_t *seg, uint32_t gen, uint16_t isec,
			 const ese_logtime *start);

/* One physical item of a segment: a record, or a run of NOP bytes. */
typedef struct {
	uint16_t ib;          /* offset in the segment */
	uint16_t size;        /* bytes it takes in the segment */
	uint8_t lrtyp;        /* ESE_LRTYP_NOP for a run of NOP bytes */
} ese_logseg_item;

/*
 * The item at offset ib (40 <= ib < 4096) of segment seg. -501 when the
 * record's type is unknown or its size runs past the segment (records
 * never cross a segment). The caller adds item->size to ib for the next.
 */
JET_ERR ese_logseg_item_at(const uint8_t *seg, uint16_t ib,
			   ese_logseg_item *item, jr_errinfo *ei);

#endif /* JR_ESE_LOGSEG_H */
