/*
 * fuzz_rstmap.c - libFuzzer target for the restore map's path rules: any
 * pair of names (possibly invalid UTF-8, any separators) is compared,
 * tail-matched, validated and scored without reading out of bounds, and
 * the rules agree with one another.
 *
 * Input: old name, NUL, new name, NUL, recorded path (the rest).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "restore/rstmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3);
	const char *old, *nw, *rec;
	jr_rstmap_entry m;
	jr_rstmap_candidate c;
	long entry_of = 0;
	unsigned k, score;
	JET_ERR err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	old = buf;
	nw = old + strlen(old) + 1;
	rec = nw + strlen(nw) + 1;
	if (rec > buf + size)
		rec = buf + size;

	(void)jr_path_base(old);
	k = jr_path_tail_match(rec, old);
	/* Equal paths match on every component of the shorter one. */
	if (jr_path_equal_ci(rec, old) && old[0] &&
	    jr_path_tail_match(old, rec) != k)
		abort();
	if (jr_path_equal_ci(old, rec) != jr_path_equal_ci(rec, old))
		abort();

	m.old_name = old;
	m.new_name = nw;
	err = jr_rstmap_validate(&m, 1, NULL);
	if (err != JET_errSuccess && err != JET_errInvalidParameter)
		abort();
	c.file_name = rec;
	c.recorded = &rec;
	c.n_recorded = 1;
	score = jr_rstmap_score(old, &c);
	if (k && score < 10 * k && score != 1000)
		abort();
	if (err == JET_errSuccess) {
		err = jr_rstmap_match(&m, 1, &c, 1, &entry_of, NULL);
		if ((err == JET_errSuccess) != (score > 0))
			abort();
	}
	free(buf);
	return 0;
}
