/*
 * checksum.h - ESE block checksums: database pages, file headers (database,
 * checkpoint, log file, patch page, flush map) and log segments.
 *
 * Usage:
 *   Database page read from offset (pgno + 1) * page_size of a .edb/.dat:
 *     ese_page_checksum_result r;
 *     ese_page_checksum_check(page, 4096, pgno, &r);
 *     r.status: OK, BLANK (never written), CORRECTABLE (r.bad_bit is the
 *     bit to flip; ese_page_checksum_fix() flips it), BAD.
 *   Before writing a page:  ese_page_checksum_write(page, size, pgno);
 *   File headers (XOR over the whole header block, 4 bytes at offset 0):
 *     if (!ese_header_checksum_ok(hdr, 4096)) ...;
 *     ese_header_checksum_write(hdr, 4096);
 *   Log segments (4 KiB, LGSEGHDR): ese_page_checksum_check(seg, 4096,
 *     offset / 4096, &r); see "The pgno argument" below.
 * All functions are pure: no allocation, no errors, no global state. Inputs
 * are read only within [block, block + len).
 *
 * ---------------------------------------------------------------------
 * The two checksum kinds (facts from ESE's checksum/ and _osu/checksumu.cxx)
 *
 * XOR ("old format", ese_checksum_xor): 0x89abcdef XOR every 32-bit
 *   little-endian word of the block except the first. A 4-byte checksum.
 *   - File headers use it (ESE page types databaseHeader, logfileHeader,
 *     flushmapHeaderPage): it is stored in bytes 0..3 over the whole header
 *     block, page number not involved. The block is:
 *       database header and its shadow: one page (page size bytes; 4096 in
 *         every real file here); ESE tries page sizes 2..32 KiB and accepts
 *         the size whose checksum matches and whose cbPageSize field agrees;
 *       checkpoint file: sizeof(CHECKPOINT) = 4096 (each of its 2 copies);
 *       log file header: sizeof(LGFILEHDR) = 4096;
 *       streaming-backup patch page: one page (see patchpage.h).
 *   - Legacy database pages without the "new checksum format" flag store
 *     the 8-byte value (pgno << 32) | xor at offset 0, where xor covers
 *     the whole page (so it includes the stored pgno word at offset 4).
 *
 * ECC ("new format", ese_checksum_ecc): a 64-bit value
 *     high 32 bits: a Hsiao single-error-correcting code of the block
 *     low 32 bits:  XOR of all 32-bit words (no seed) XOR pgno
 *   With header_block the first 8 bytes (where the checksum is stored)
 *   count as zero. Every set bit at bit offset b (= 8 * byte + bit, bytes
 *   little-endian) contributes b to the low 16 bits of the code and ~b to
 *   the high 16, both truncated to log2(8 * len) bits:
 *       ecc = L | ((L ^ (parity ? 0xffff : 0)) & (8 * len - 1)) << 16
 *   where L = XOR of the offsets of all set bits and parity is the parity
 *   of all bits. A single flipped data bit at offset b changes the code by
 *   (b | ~b << 16) and the XOR word by one bit: that is how it is found.
 *   len must be a power of two from 1 KiB to 8 KiB (ESE's domain).
 *   Used by: database pages with the flag (all real pages), log segments,
 *   flush-map data pages.
 *
 * Page layout facts
 *   PGHDR (every page): checksum 8 bytes at 0; fFlags 4 bytes at 36; flag
 *   0x2000 (fPageNewChecksumFormat, bit 301 of the page) selects ECC.
 *   Pages of 16 and 32 KiB (PGHDR2, 80-byte header) are cut into blocks:
 *   16 KiB -> 4 blocks of 4 KiB, 32 KiB -> 4 blocks of 8 KiB. Block 0 is a
 *   header block (ECC with header_block, stored at offset 0); blocks 1..3
 *   are ECC'd without header_block and stored at offsets 40, 48, 56 (inside
 *   block 0, so block 0's code protects them). pgno of every block is the
 *   page's pgno. ESE corrects one bit per block; a flip inside the stored
 *   checksums of blocks 1..3 is correctable too (it is the checksum that
 *   is wrong, not the data).
 *   A single-bit error at the format flag bit itself is never correctable.
 *
 * The pgno argument (what ESE passes)
 *   - database page: its page number: file offset / page size - 1 (the
 *     header and its shadow occupy the first two pages; pgno 1 follows).
 *   - file headers: none (XOR kind; ESE passes 0 and ignores it).
 *   - log segment (LGSEGHDR, log format 8.4000): the segment's own sector
 *     number, lgposSegment.isec as stored in bytes 10..11 of the segment
 *     header. In these logs a sector is the 4 KiB segment (LGFILEHDR
 *     cbSec = 4096), so isec = file offset / 4096: the header is sector 0
 *     and the first segment, at 0x1000, has isec 1 (verified on every real
 *     SRU log: isec 1..9 at 0x1000..0x9000). Call
 *         ese_checksum_ecc(seg, 4096, jr_le16(seg + 10), true)
 *     and compare with jr_le64(seg). Better, pass the isec the segment's
 *     position implies (offset / 4096): a segment copied to the wrong place
 *     then fails, as it does in ESE. Or call ese_page_checksum_check(seg,
 *     4096, isec, &r), which also reports a correctable bit (LGSEGHDR keeps
 *     checksum and fFlags at the PGHDR offsets and ESE writes the flag).
 *     A shadow sector (the copy ESE keeps of a partial or last segment:
 *     the sector after it, and the file's last sector) carries the isec
 *     of the segment it copies, so it verifies with that number, not with
 *     its own position (real files: SRU.log of clean-a at 0x8000 holds
 *     isec 7; the last sector of a full 64 KiB log holds isec 14).
 */
#ifndef JR_ESE_CHECKSUM_H
#define JR_ESE_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seed of the XOR checksum (ulDAEMagic). */
#define ESE_CHECKSUM_XOR_SEED 0x89abcdefu

/* Offset of the page flags and the "new checksum format" flag. */
#define ESE_PAGE_OFF_FLAGS          36
#define ESE_PAGE_FLAG_NEW_CHECKSUM  0x2000u
/* Bit offset of that flag in the page (ESE never "corrects" it). */
#define ESE_PAGE_NEW_CHECKSUM_BIT   (ESE_PAGE_OFF_FLAGS * 8 + 13)

/* Large pages: stored checksums of blocks 1..3 (PGHDR2.rgChecksum). */
#define ESE_PAGE_OFF_BLOCK_CHECKSUMS 40
#define ESE_PAGE_MAX_BLOCKS          4

/* ESE's legacy XOR checksum of a block: 0x89abcdef XOR every 32-bit
 * little-endian word of the block except the first (which holds the stored
 * checksum). len is a multiple of 4 (trailing bytes are ignored). */
uint32_t ese_checksum_xor(const uint8_t *block, size_t len);

/* ESE's ECC ("new format") checksum of a block: the 64-bit value whose high
 * 32 bits are the ECC and low 32 bits the XOR part XOR pgno (see above).
 * header_block says whether the block begins with the 8-byte checksum field
 * that is excluded from the sum. len: a power of two, 1024..8192. */
uint64_t ese_checksum_ecc(const uint8_t *block, size_t len, uint32_t pgno,
			  bool header_block);

/* Compare a stored and a computed ECC checksum of a header block of len
 * bytes (one that starts with its 8-byte checksum: a small page, block 0
 * of a large page, a log segment): returns the bit offset (within the
 * block) of the single flipped data bit that explains the difference, or
 * -1 when the difference is not one data bit (equal values also give -1).
 * This is ESE's FECCErrorIsCorrectable + IbitCorrupted: the code
 * difference must be b | ~b << 16 and the XOR words must differ in exactly
 * one bit - and here, stricter than ESE, in bit b % 32, the only one a
 * flip of bit b can change, the code bits above log2(8 * len) must agree,
 * and b must not lie in the checksum field
 * (bits 0..63), which is not data: so a CORRECTABLE verdict is always
 * repaired by flipping the bit. (The format flag bit is not excluded
 * here; ese_page_checksum_check excludes it.) */
int64_t ese_checksum_ecc_bad_bit(uint64_t stored, uint64_t computed,
				 size_t len);

/* ---- file headers (XOR kind) ---- */

/* True when the 4 bytes at block[0] equal ese_checksum_xor(block, len). */
bool ese_header_checksum_ok(const uint8_t *block, size_t len);

/* Store ese_checksum_xor(block, len) at block[0]; returns it. */
uint32_t ese_header_checksum_write(uint8_t *block, size_t len);

/* ---- database pages ---- */

typedef enum {
	ESE_CKSUM_FORMAT_XOR,   /* legacy: XOR word + page number */
	ESE_CKSUM_FORMAT_ECC,   /* ECC + XOR (page flag "new checksum format") */
} ese_checksum_format;

typedef enum {
	ESE_CKSUM_OK,           /* stored checksum matches */
	ESE_CKSUM_BLANK,        /* all-zero page: never written */
	ESE_CKSUM_CORRECTABLE,  /* ECC mismatch explained by one flipped bit */
	ESE_CKSUM_BAD,          /* mismatch (or an unsupported page size) */
} ese_checksum_status;

typedef struct {
	ese_checksum_format format;
	ese_checksum_status status;
	int64_t bad_bit;        /* CORRECTABLE: bit offset in the page, else -1
				 * (with several correctable blocks, the first) */
	uint64_t stored;        /* block 0: the 8 bytes at offset 0 */
	uint64_t computed;      /* block 0: what they should be */
	/* Large pages: one entry per block (nblocks 4); small pages: 1. */
	unsigned nblocks;
	uint64_t stored_blocks[ESE_PAGE_MAX_BLOCKS];
	uint64_t computed_blocks[ESE_PAGE_MAX_BLOCKS];
	int64_t bad_bits[ESE_PAGE_MAX_BLOCKS]; /* per block, page-relative, -1 */
} ese_page_checksum_result;

/* True for the page sizes ESE supports: 2, 4, 8, 16, 32 KiB. */
bool ese_page_size_valid(size_t page_size);

/* Which checksum kind the page's flags select. */
ese_checksum_format ese_page_checksum_format(const uint8_t *page,
					     size_t page_size);

/* Verify the checksum(s) of one database page of page_size bytes (2, 4, 8,
 * 16 or 32 KiB) whose page number is pgno. Never fails; fills *res. An
 * unsupported page size gives BAD. */
void ese_page_checksum_check(const uint8_t *page, size_t page_size,
			     uint32_t pgno, ese_page_checksum_result *res);

/* Flip the bit(s) a CORRECTABLE result names (one per damaged block) in
 * page. Returns the number of bits flipped (0 unless CORRECTABLE). */
unsigned ese_page_checksum_fix(uint8_t *page, size_t page_size,
			       const ese_page_checksum_result *res);

/* Compute and store the checksum(s) of a page in the format its flags
 * select. (ESE itself always sets the ECC flag before it writes a page:
 * call ese_page_set_ecc_format() first to do the same.) Unsupported page
 * sizes are left untouched. */
void ese_page_checksum_write(uint8_t *page, size_t page_size, uint32_t pgno);

/* Set the "new checksum format" flag in the page's fFlags. */
void ese_page_set_ecc_format(uint8_t *page);

#endif /* JR_ESE_CHECKSUM_H */
