/*
 * fuzz_logreader.c - one buffer read as a log file image, to the end of
 * its records. The last input byte steers fix-ups that let the fuzzer past
 * the checksums: bit 0 makes the header checksum right, bit 1 makes every
 * segment's ECC checksum right for its place (keeping the stored lgpos),
 * bit 2 makes the header's file size match the image. Every record the
 * reader returns must have the size ESE's rules give it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ese/checksum.h"
#include "ese/loghdr.h"
#include "ese/logreader.h"
#include "ese/logseg.h"
#include "ese/lrtyp.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_IMAGE (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ctl = size ? data[size - 1] : 0;
	ese_logreader *r;
	ese_logrecord rec;
	uint8_t *img;
	size_t len = size ? size - 1 : 0;
	JET_ERR err;

	if (len > MAX_IMAGE)
		return 0;
	img = malloc(len ? len : 1);
	if (!img)
		return 0;
	memcpy(img, data, len);
	if ((ctl & 4) && len >= ESE_LOGHDR_SIZE) {
		len -= len % ESE_LOGSEG_SIZE;
		jr_put_le16(img + 12, (uint16_t)(len / ESE_LOGSEG_SIZE));
	}
	if ((ctl & 2) && len >= ESE_LOGHDR_SIZE) {
		for (size_t i = 1; (i + 1) * ESE_LOGSEG_SIZE <= len; i++) {
			uint8_t *seg = img + i * ESE_LOGSEG_SIZE;

			jr_put_le64(seg, ese_checksum_ecc(seg, ESE_LOGSEG_SIZE,
							  (uint32_t)i, true));
		}
	}
	if ((ctl & 1) && len >= ESE_LOGHDR_SIZE)
		jr_put_le32(img, ese_loghdr_checksum(img));

	if (ese_logreader_open_mem(img, len, "fuzz", NULL, &r, NULL) < 0)
		goto out_free;
	while ((err = ese_logreader_next(r, &rec, NULL)) == JET_errSuccess) {
		uint32_t s;

		if (ese_lr_size(rec.data, rec.size, &s, NULL) < 0 ||
		    s != rec.size || rec.lrtyp != rec.data[0])
			abort();
	}
	/* after the end or an error, the reader stays there */
	if (ese_logreader_next(r, &rec, NULL) != err)
		abort();
	ese_logreader_close(r);
out_free:
	free(img);
	return 0;
}
