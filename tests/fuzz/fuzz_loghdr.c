/*
 * fuzz_loghdr.c - the log header parser on arbitrary bytes, as they come
 * and with their checksum made right (so that the fields behind it are
 * reached). A header that parses must serialize back to its own bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ese/loghdr.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const uint8_t *buf, size_t size)
{
	static ese_loghdr h, h2;
	static uint8_t out[ESE_LOGHDR_SIZE];

	if (ese_loghdr_parse(buf, size, &h, NULL) < 0)
		return;
	ese_loghdr_write(&h, out);
	if (memcmp(out, buf, ESE_LOGHDR_SIZE) != 0)
		abort();
	if (ese_loghdr_parse(out, sizeof(out), &h2, NULL) < 0 ||
	    h2.gen != h.gen || h2.n_attach != h.n_attach)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t copy[ESE_LOGHDR_SIZE];

	round_trip(data, size);
	if (size >= ESE_LOGHDR_SIZE) {
		memcpy(copy, data, ESE_LOGHDR_SIZE);
		jr_put_le32(copy, ese_loghdr_checksum(copy));
		round_trip(copy, sizeof(copy));
	}
	return 0;
}
