/*
 * fuzz_lrdecode.c - libFuzzer target for the log record decoder: any input
 * decodes or fails with -501, and whatever decodes can be described, put in
 * JSON, its tails walked, its pre-image expanded and its diff applied
 * without reading or writing out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ese/lrtyp.h"
#include "recover/lrdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const lr_record *r)
{
	static uint8_t page[32768];
	static const uint8_t old[64] = "the quick brown fox jumps over the lazy dog";
	static uint8_t out[4096];
	char line[512];
	size_t n;

	lr_describe(r, line, sizeof line);
	(void)lr_page_of(r);

	FILE *f = fopen("/dev/null", "w");
	if (f) {
		jr_json j;
		jr_json_init(&j, f, false);
		jr_json_object_begin(&j, NULL);
		lr_to_json(r, &j);
		jr_json_object_end(&j);
		fclose(f);
	}

	switch (r->lrtyp) {
	case ESE_LRTYP_SPLIT2:
		if (r->u.split.preimage.len) {
			(void)lr_preimage_expand(r->u.split.preimage_flags,
						 r->u.split.preimage, page,
						 4096, NULL);
			(void)lr_preimage_expand(r->u.split.preimage_flags,
						 r->u.split.preimage, page,
						 sizeof page, NULL);
		}
		break;
	case ESE_LRTYP_MERGE2:
		if (r->u.merge.preimage.len)
			(void)lr_preimage_expand(r->u.merge.preimage_flags,
						 r->u.merge.preimage, page,
						 8192, NULL);
		break;
	case 34: /* ReplaceD */
		(void)lr_replaced_apply(old, sizeof old, r->u.replace.data.p,
					r->u.replace.data.len,
					r->u.replace.diff2, out, sizeof out,
					&n, NULL);
		break;
	case 48: /* EmptyTree */
		for (uint32_t i = 0; i < r->u.empty_tree.count; i++) {
			lr_empty_page e;
			lr_empty_tree_page(&r->u.empty_tree, i, &e);
		}
		break;
	case ESE_LRTYP_MACRO_INFO:
	case 73: /* MacroInfo2 */
		for (uint32_t i = 0; i < r->u.macro_info.count; i++)
			(void)lr_macro_info_pgno(&r->u.macro_info, i);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lr_record r;
	JET_ERR err = lr_decode(data, size, &r, NULL);

	if (err == JET_errSuccess)
		exercise(&r);
	else if (err != JET_errLogFileCorrupt)
		abort();
	return 0;
}
