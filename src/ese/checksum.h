/*
 * checksum.h - ESE block checksums (database pages, file headers, log
 * segments). PLACEHOLDER API fixed by the lead so that other modules can code
 * against it; the ese-db helper owns this file and fills in the full
 * documentation and implementation (src/ese/checksum.c).
 */
#ifndef JR_ESE_CHECKSUM_H
#define JR_ESE_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ESE's legacy XOR checksum of a block: 0x89abcdef XOR every 32-bit
 * little-endian word of the block except the first (which holds the stored
 * checksum). len is a multiple of 4. */
uint32_t ese_checksum_xor(const uint8_t *block, size_t len);

/* ESE's ECC ("new format") checksum of a block: the 64-bit value whose high
 * 32 bits are the ECC and low 32 bits the XOR part, computed the way ESE
 * does for block number `pgno` (a page number, or the value ESE uses for
 * headers and log segments). header_block says whether the block begins
 * with the 8-byte checksum field that is excluded from the sum. */
uint64_t ese_checksum_ecc(const uint8_t *block, size_t len, uint32_t pgno,
			  bool header_block);

/* ---- database pages (PLACEHOLDER declarations, owner: ese-db helper) ---- */

typedef enum {
	ESE_CKSUM_FORMAT_XOR,   /* legacy: XOR word + page number */
	ESE_CKSUM_FORMAT_ECC,   /* ECC + XOR (page flag "new checksum format") */
} ese_checksum_format;

typedef enum {
	ESE_CKSUM_OK,           /* stored checksum matches */
	ESE_CKSUM_BLANK,        /* all-zero page: never written */
	ESE_CKSUM_CORRECTABLE,  /* ECC mismatch explained by one flipped bit */
	ESE_CKSUM_BAD,          /* mismatch */
} ese_checksum_status;

typedef struct {
	ese_checksum_format format;
	ese_checksum_status status;
	int64_t bad_bit;        /* CORRECTABLE: bit offset in the page, else -1 */
	uint64_t stored;
	uint64_t computed;
} ese_page_checksum_result;

/* Verify the checksum(s) of one database page of page_size bytes (4, 8, 16
 * or 32 KiB) whose page number is pgno. Never fails; fills *res. */
void ese_page_checksum_check(const uint8_t *page, size_t page_size,
			     uint32_t pgno, ese_page_checksum_result *res);

/* Compute and store the checksum(s) of a page in the format its flags
 * select (what ESE writes before a page goes to disk). */
void ese_page_checksum_write(uint8_t *page, size_t page_size, uint32_t pgno);

#endif
