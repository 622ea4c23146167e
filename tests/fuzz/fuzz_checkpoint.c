/*
 * fuzz_checkpoint.c - checkpoint election and parser on arbitrary bytes; a
 * checkpoint that parses must write back to the bytes of its chosen copy
 * (when its padding was zero) and re-parse to the same result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ese/checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ese_checkpoint_read_result r, r2;
	static uint8_t buf[ESE_CHECKPOINT_FILE_SIZE];

	if (ese_checkpoint_read(data, size, &r, NULL) < 0)
		return 0;
	ese_checkpoint_write_pair(&r.chk, buf);
	if (!r.chk.tail_nonzero &&
	    memcmp(buf, data + r.copy * ESE_CHECKPOINT_SIZE, ESE_CHECKPOINT_SIZE))
		abort();
	if (ese_checkpoint_read(buf, sizeof buf, &r2, NULL) < 0 ||
	    r2.status != ESE_CHK_COPIES_OK ||
	    r2.chk.n_attach != r.chk.n_attach ||
	    ese_lgpos_cmp(&r2.chk.lgpos_checkpoint, &r.chk.lgpos_checkpoint))
		abort();
	return 0;
}
