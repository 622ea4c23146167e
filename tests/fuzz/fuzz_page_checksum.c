/*
 * fuzz_page_checksum.c - page verification on arbitrary bytes at every page
 * size; a CORRECTABLE verdict must really be fixed by flipping the bit(s)
 * it names, and a page written with ese_page_checksum_write must verify.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ese/checksum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t page[32768];
	static const size_t sizes[] = { 2048, 4096, 8192, 16384, 32768 };
	ese_page_checksum_result r;
	uint32_t pgno;

	if (size < 4)
		return 0;
	memcpy(&pgno, data, 4);
	data += 4;
	size -= 4;
	(void)ese_checksum_xor(data, size);
	(void)ese_checksum_ecc(data, size > 8192 ? 8192 : size, pgno, true);

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t ps = sizes[i];

		/* the input, repeated to fill the page */
		memset(page, 0, ps);
		for (size_t off = 0; size && off < ps; off += size)
			memcpy(page + off, data, size < ps - off ? size : ps - off);
		ese_page_checksum_check(page, ps, pgno, &r);
		if (r.status == ESE_CKSUM_CORRECTABLE) {
			ese_page_checksum_result fixed;

			if (ese_page_checksum_fix(page, ps, &r) == 0)
				abort();
			ese_page_checksum_check(page, ps, pgno, &fixed);
			if (fixed.status != ESE_CKSUM_OK)
				abort();
		}
		ese_page_checksum_write(page, ps, pgno);
		ese_page_checksum_check(page, ps, pgno, &r);
		if (r.status != ESE_CKSUM_OK)
			abort();
	}
	return 0;
}
