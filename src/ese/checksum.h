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

#endif
