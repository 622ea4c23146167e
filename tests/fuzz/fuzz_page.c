/*
 * fuzz_page.c - page parsing, the structural check and page mutations on
 * arbitrary bytes.
 *
 * Input: 8 control bytes, then page bytes.
 *   ctrl[0] & 3   page size: 4, 8, 16 or 32 KiB
 *   ctrl[1..7]    a little script of mutations (see run_script)
 * Page bytes shorter than the page are split: the first half goes to the
 * start of the page (header, lines), the second half to its end (tags), so
 * that a 4 KiB seed also makes a plausible 32 KiB page.
 *
 * Oracle, besides "no crash, no out-of-bounds access": a mutation that
 * succeeds on a page whose layout is sound (no tag, overlap or space
 * problem) leaves a page whose layout is still sound.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ese/node.h"
#include "ese/page.h"
#include "ese/pagecheck.h"
#include "ese/pagemut.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t page[32768];
static const ese_pagecheck_opts check_opts = { .skip_checksum = true,
					       .dbtime_max = 1000 };

static bool layout_sound(const ese_page_layout *lay)
{
	ese_pagecheck_opts opts = { .skip_checksum = true, .skip_nodes = true };
	ese_page_problems pp;
	bool sound = true;

	ese_page_problems_init(&pp);
	ese_page_check(lay, page, 7, &opts, &pp);
	for (size_t i = 0; i < pp.count; i++)
		if (pp.items[i].kind == ESE_PGCHK_TAG ||
		    pp.items[i].kind == ESE_PGCHK_OVERLAP ||
		    pp.items[i].kind == ESE_PGCHK_SPACE)
			sound = false;
	if (pp.total > pp.count)
		sound = false;
	ese_page_problems_free(&pp);
	return sound;
}

static void read_everything(const ese_page_layout *lay)
{
	ese_page_problems pp;
	ese_page_header h;
	ese_root_header rh;
	const uint8_t *prefix;
	uint16_t cb_prefix;
	unsigned n;
	char flags[256];

	ese_page_header_read(lay, page, &h);
	ese_page_flags_format(h.flags, flags, sizeof(flags));
	n = ese_page_tag_count(lay, page);
	for (unsigned itag = 0; itag <= n && itag < 5000; itag++) {
		ese_line line;

		if (ese_page_tag_get(lay, page, itag, &line, NULL) == 0 &&
		    line.cb)
			(void)line.data[line.cb - 1];
	}
	n = ese_page_line_count(lay, page);
	for (unsigned i = 0; i < n; i++) {
		ese_node nd;
		uint32_t child;
		uint8_t key[64];

		if (ese_node_get(lay, page, i, &nd, NULL))
			continue;
		ese_key_copy(&nd.key, key, sizeof(key));
		ese_node_child_pgno(&nd, &child, NULL);
		(void)ese_key_cmp(&nd.key, &nd.key);
	}
	ese_node_root_header(lay, page, &rh, NULL);
	ese_node_page_prefix(lay, page, &prefix, &cb_prefix, NULL);
	/* the checksum code has its own fuzz target: skip it here */
	ese_page_problems_init(&pp);
	ese_page_check(lay, page, 7, &check_opts, &pp);
	ese_page_problems_free(&pp);
}

static void run_script(const ese_page_layout *lay, const uint8_t *ctrl)
{
	static const uint8_t pattern[2048] = { 3, 0, 'k', 'e', 'y' };

	for (int i = 1; i < 8; i++) {
		unsigned lines = ese_page_line_count(lay, page);
		unsigned arg = ctrl[i] >> 3;
		ese_data part = { pattern, 1 + (size_t)arg * 37 % 600 };
		size_t head, tail;
		bool before = layout_sound(lay);
		JET_ERR err = 0;

		switch (ctrl[i] & 7) {
		case 0:
			err = ese_page_reorganize(lay, page, NULL);
			break;
		case 1:
			err = ese_page_insert(lay, page, arg % (lines + 1),
					      &part, 1, arg & 7, NULL);
			break;
		case 2:
			err = ese_page_replace(lay, page,
					       lines ? arg % lines : 0, &part,
					       1, arg & 7, NULL);
			break;
		case 3:
			err = ese_page_delete(lay, page,
					      lines ? arg % lines : 0, NULL);
			break;
		case 4:
			err = ese_page_set_line_flags(lay, page,
						      lines ? arg % lines : 0,
						      arg & 7, NULL);
			break;
		case 5:
			err = ese_page_overwrite_unused(lay, page, 0, NULL);
			break;
		case 6:
			err = ese_page_compact(lay, page, &head, &tail, NULL);
			break;
		case 7:
			part.cb = arg % 40;
			err = ese_page_set_external_header(lay, page, &part, 1,
							   NULL);
			break;
		}
		if (err == 0 && before && !layout_sound(lay))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[4] = { 4096, 8192, 16384, 32768 };
	ese_page_layout lay;
	const uint8_t *body;
	size_t n;

	if (size < 8)
		return 0;
	if (ese_page_layout_init(&lay, sizes[data[0] & 3], NULL))
		return 0;
	lay.resv_tag_format = data[0] & 4;
	body = data + 8;
	n = size - 8;
	memset(page, 0, sizeof(page));
	if (n >= lay.page_size) {
		memcpy(page, body, lay.page_size);
	} else {
		memcpy(page, body, n / 2);
		memcpy(page + lay.page_size - (n - n / 2), body + n / 2,
		       n - n / 2);
	}
	read_everything(&lay);
	run_script(&lay, data);
	read_everything(&lay);
	return 0;
}
