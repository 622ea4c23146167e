/*
 * fuzz_xpress.c - libFuzzer target for the Xpress decoder: any input either
 * decodes or fails with JET_errDecompressionFailed, within its buffers.
 *
 * The input is an ESE compressed blob (scheme byte, 16-bit size, stream);
 * the same bytes after the header are also decoded raw to the declared size.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "recover/xpress.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536];
	size_t out_len = 0;
	JET_ERR err;

	err = jr_ese_decompress(data, size, out, sizeof out, &out_len, NULL);
	if (err != JET_errSuccess && err != JET_errDecompressionFailed)
		abort();
	if (err == JET_errSuccess && out_len > sizeof out)
		abort();

	if (size >= 3) {
		/* exact-size output buffer so that overruns are caught */
		size_t want = jr_le16(data + 1);
		uint8_t *exact = malloc(want ? want : 1);
		if (!exact)
			return 0;
		err = jr_xpress_decompress(data + 3, size - 3, exact, want,
					   NULL);
		if (err != JET_errSuccess && err != JET_errDecompressionFailed)
			abort();
		free(exact);
	}
	return 0;
}
