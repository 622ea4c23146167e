/*
 * fuzz_dbheader.c - the database header election, parser, writer, file-type
 * detection and patch-page parser on arbitrary bytes. A header that parses
 * must survive write + parse unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ese/dbheader.h"
#include "ese/filetype.h"
#include "ese/patchpage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ese_dbheader_read_result r;
	ese_file_info fi;
	ese_patchpage pp;

	ese_file_detect_ex(data, size, &fi);
	(void)ese_filetype_name(fi.filetype);
	(void)ese_patchpage_parse(data, size, &pp, NULL);

	if (ese_dbheader_read(data, size, &r, NULL) >= 0) {
		uint32_t ps = r.page_size;
		uint8_t *a = malloc(ps), *b = malloc(ps);
		ese_dbheader again;

		if (ese_dbheader_write(&r.hdr, a, ps) < 0 ||
		    ese_dbheader_parse(a, ps, &again, NULL) < 0 ||
		    ese_dbheader_write(&again, b, ps) < 0 || memcmp(a, b, ps))
			abort();
		if (!r.hdr.tail_nonzero &&
		    memcmp(a, data + (size_t)r.copy * ps, ps) != 0)
			abort();
		(void)ese_dbstate_name(r.hdr.state);
		free(a);
		free(b);
	}
	return 0;
}
