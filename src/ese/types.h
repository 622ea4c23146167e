/*
 * types.h - small value types that every ESE on-disk structure shares:
 * log positions (LGPOS), log times (LOGTIME), signatures (SIGNATURE) and
 * backup records (BKINFO).
 *
 * Usage:
 *   ese_lgpos p;   ese_lgpos_parse(buf, &p);   ese_lgpos_write(&p, buf);
 *   ese_lgpos_cmp(a, b) < 0 when a is earlier in the log stream;
 *   char s[ESE_LGPOS_STRLEN]; ese_lgpos_format(&p, s, sizeof s);  "(0x5C,8,0)"
 *   ese_logtime t; ese_logtime_parse(buf, &t); ese_logtime_format(&t, s, n);
 *   ese_signature g; ese_signature_parse(buf, &g); ese_signature_equal(&a,&b);
 *   ese_bkinfo k;   ese_bkinfo_parse(buf, &k);   ese_bkinfo_write(&k, buf);
 * Every parse reads exactly the structure's SIZE bytes at buf, every write
 * writes exactly those bytes; the caller guarantees the bytes exist. The
 * types own no memory. parse followed by write reproduces the bytes exactly
 * (reserved bits are kept).
 *
 * On-disk layouts (all little-endian, byte-packed):
 *
 * LGPOS (ESE_LGPOS_SIZE = 8) - a position in the log stream
 *   OFFSET SIZE FIELD
 *   0      2    ib           byte offset inside the sector
 *   2      2    isec         sector index inside the log file (512-byte
 *                            sectors in log format 8.4000: a 4 KiB
 *                            segment is 8 sectors)
 *   4      4    lGeneration  log generation (signed in ESE, never negative
 *                            on disk)
 *   Read as one little-endian 64-bit word the three fields order exactly
 *   as (gen, isec, ib): ESE compares positions that way, and so do we.
 *
 * LOGTIME (ESE_LOGTIME_SIZE = 8) - a wall-clock time stamp
 *   OFFSET SIZE FIELD
 *   0      1    bSeconds     0..59 (60 on a leap second)
 *   1      1    bMinutes     0..59
 *   2      1    bHours       0..23
 *   3      1    bDay         1..31
 *   4      1    bMonth       1..12 as written by Windows (ESE's comment
 *                            says 0..11, but esentutl prints it unchanged
 *                            as the month and real files hold 1..12)
 *   5      1    bYear        year - 1900
 *   6      1    bit 0: fTimeIsUTC; bits 1..7: milliseconds bits 0..6
 *   7      1    bit 0: fReserved (OS snapshot); bits 1..3: milliseconds
 *                            bits 7..9; bits 4..7 unused
 *   An all-zero LOGTIME means "not set".
 *
 * SIGNATURE (ESE_SIGNATURE_SIZE = 28) - identity of a database or a log
 * sequence
 *   OFFSET SIZE FIELD
 *   0      4    ulRandom      a random number drawn at creation
 *   4      8    logtimeCreate LOGTIME of creation
 *   12     16   szComputerName NUL-padded ASCII (MAX_COMPUTERNAME_LENGTH
 *                            15 + 1); often empty
 *
 * BKINFO (ESE_BKINFO_SIZE = 24) - one backup's record in a database header
 *   OFFSET SIZE FIELD
 *   0      8    lgposMark    LGPOS of the backup's mark in the log
 *   8      8    logtimeMark  LOGTIME of that mark
 *   16     4    genLow       lowest log generation of the backup set
 *   20     4    genHigh      highest log generation of the backup set
 */
#ifndef JR_ESE_TYPES_H
#define JR_ESE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESE_LGPOS_SIZE      8
#define ESE_LOGTIME_SIZE    8
#define ESE_SIGNATURE_SIZE  28
#define ESE_BKINFO_SIZE     24
#define ESE_COMPUTERNAME_SIZE 16

/* Room for any formatted value below, NUL included. */
#define ESE_LGPOS_STRLEN     32   /* "(0xFFFFFFFF,FFFF,FFFF)" */
#define ESE_LOGTIME_STRLEN   40   /* "12/31/2155 23:59:59.999 UTC" */
#define ESE_SIGNATURE_STRLEN 112  /* "Create time:... Rand:... Computer:..." */

/* ---- LGPOS ---- */

typedef struct {
	uint16_t ib;        /* byte inside the sector */
	uint16_t isec;      /* sector inside the log file */
	uint32_t gen;       /* log generation */
} ese_lgpos;

void ese_lgpos_parse(const uint8_t *buf, ese_lgpos *out);
void ese_lgpos_write(const ese_lgpos *p, uint8_t *buf);

/* The 64-bit key ESE compares: gen << 32 | isec << 16 | ib. */
uint64_t ese_lgpos_key(const ese_lgpos *p);

/* <0, 0, >0 as a is before, equal to, after b (by gen, then isec, then ib). */
int ese_lgpos_cmp(const ese_lgpos *a, const ese_lgpos *b);

/* True when all three fields are 0 (ESE's lgposMin: "no position"). */
bool ese_lgpos_is_zero(const ese_lgpos *p);

/* esentutl's form "(0x%X,%X,%X)" of gen, isec, ib, e.g. "(0x5C,8,0)".
 * Writes at most n bytes (always NUL-terminated when n > 0); returns out. */
char *ese_lgpos_format(const ese_lgpos *p, char *out, size_t n);

/* ---- LOGTIME ---- */

typedef struct {
	uint8_t sec;        /* bSeconds */
	uint8_t min;        /* bMinutes */
	uint8_t hour;       /* bHours */
	uint8_t day;        /* bDay */
	uint8_t month;      /* bMonth, 1..12 */
	uint8_t year;       /* years since 1900 */
	uint8_t flags1;     /* raw byte 6: bit 0 UTC, bits 1..7 ms low */
	uint8_t flags2;     /* raw byte 7: bit 0 OS snapshot, bits 1..3 ms high */
} ese_logtime;

void ese_logtime_parse(const uint8_t *buf, ese_logtime *out);
void ese_logtime_write(const ese_logtime *t, uint8_t *buf);

bool ese_logtime_is_utc(const ese_logtime *t);
bool ese_logtime_is_os_snapshot(const ese_logtime *t);
unsigned ese_logtime_milliseconds(const ese_logtime *t);   /* 0..1023 */
bool ese_logtime_is_set(const ese_logtime *t);             /* not all zero */

/* Order of two times (year, month, day, hour, min, sec, ms). */
int ese_logtime_cmp(const ese_logtime *a, const ese_logtime *b);

/* esentutl's form "%02d/%02d/%04d %02d:%02d:%02d.%03d UTC|LOC"
 * (month/day/year). Returns out. */
char *ese_logtime_format(const ese_logtime *t, char *out, size_t n);

/* ---- SIGNATURE ---- */

typedef struct {
	uint32_t random;
	ese_logtime created;
	/* The 16 bytes on disk as stored (bytes after the first NUL kept so
	 * that a round trip is exact); computer_name[15] is not forced to NUL
	 * on disk, so use ese_signature_computer_name() for a C string. */
	uint8_t computer_name[ESE_COMPUTERNAME_SIZE];
} ese_signature;

void ese_signature_parse(const uint8_t *buf, ese_signature *out);
void ese_signature_write(const ese_signature *s, uint8_t *buf);

/* Byte-wise equality of the 28 bytes (what ESE's memcmp does). */
bool ese_signature_equal(const ese_signature *a, const ese_signature *b);

/* True when all 28 bytes are zero (no signature). */
bool ese_signature_is_zero(const ese_signature *s);

/* Copy the computer name as a NUL-terminated string (at most 15 chars,
 * non-printable bytes replaced by '?') into out[n]; returns out. */
char *ese_signature_computer_name(const ese_signature *s, char *out,
				  size_t n);

/* esentutl's form "Create time:MM/DD/YYYY hh:mm:ss.mmm Rand:%u Computer:%s".
 * Returns out. */
char *ese_signature_format(const ese_signature *s, char *out, size_t n);

/* ---- BKINFO ---- */

typedef struct {
	ese_lgpos lgpos_mark;
	ese_logtime logtime_mark;
	uint32_t gen_low;
	uint32_t gen_high;
} ese_bkinfo;

void ese_bkinfo_parse(const uint8_t *buf, ese_bkinfo *out);
void ese_bkinfo_write(const ese_bkinfo *b, uint8_t *buf);

/* True when all fields are zero (no such backup recorded). */
bool ese_bkinfo_is_zero(const ese_bkinfo *b);

#endif /* JR_ESE_TYPES_H */
