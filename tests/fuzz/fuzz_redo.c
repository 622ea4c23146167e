/*
 * fuzz_redo.c - the redo engine on arbitrary pages and records.
 *
 * Input: a 4096-byte page image, then records, each as a 2-byte
 * little-endian length and that many bytes. The page becomes page 1 of a
 * three-page database held in memory; every record is aimed at it (dbid 1,
 * pgno 1, dbtimeBefore = the page's dbtime, dbtimeAfter one above) and its
 * session is begun first, so that the node operations really run on the
 * fuzzed page. Redo may refuse (a JET_ERR); it must never crash or read
 * outside its buffers. At the end the open transactions are undone.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ese/lrtyp.h"
#include "recover/pagecache.h"
#include "recover/redo.h"
#include "util/bytes.h"

#define PS 4096u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void apply(jr_redo *rd, const uint8_t *rec, size_t len,
		  ese_lgpos *at)
{
	jr_errinfo ei;
	jr_redo_rec r;

	jr_errinfo_clear(&ei);
	r.data = rec;
	r.size = (uint32_t)len;
	r.lgpos = *at;
	at->ib = (uint16_t)(at->ib + 1);
	r.lgpos_end = *at;
	(void)jr_redo_record(rd, &r, &ei);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t file[3 * PS];
	uint8_t rec[65536];
	ese_lgpos at = { 0, 1, 1 };
	jr_pagecache *pc = NULL;
	jr_redo *rd = NULL;
	jr_redo_opts o;
	jr_errinfo ei;
	size_t off;
	int fd;

	if (size < PS)
		return 0;
	fd = memfd_create("fuzz_redo", 0);
	if (fd < 0)
		return 0;
	memset(file, 0, sizeof(file));
	memcpy(file + 2 * PS, data, PS);
	if (write(fd, file, sizeof(file)) != (ssize_t)sizeof(file))
		goto close_fd;
	jr_errinfo_clear(&ei);
	if (jr_pagecache_open(fd, PS, 1, 8 * PS, NULL, NULL, &pc, &ei) < 0)
		goto close_fd;
	jr_redo_opts_init(&o);
	o.pc = pc;
	o.fd = fd;
	o.dbid = 1;
	o.replay_all = true;
	if (jr_redo_new(&o, &rd, &ei) < 0)
		goto close_cache;

	for (off = PS; off + 2 <= size;) {
		size_t len = jr_le16(data + off);
		uint8_t begin[8] = { 8 };
		ese_lr_page pi;

		off += 2;
		if (len == 0 || len > size - off)
			break;
		memcpy(rec, data + off, len);
		off += len;
		if (ese_lr_page_info(rec, len, &pi) && len >= 32) {
			uint8_t *page;
			uint64_t now = 0;

			if (jr_pagecache_get(pc, 1, &page, &ei) == 0) {
				now = jr_le64(page + 8);
				jr_pagecache_release(pc, 1, false);
			}
			rec[3] = 1;
			jr_put_le32(rec + 4, 1);
			jr_put_le64(rec + 8, now + 1);
			jr_put_le64(rec + 16, now);
		}
		/* begin the record's session */
		begin[1] = rec[1 % len];
		begin[2] = len > 2 ? rec[2] : 0;
		begin[3] = 0x10;
		apply(rd, begin, sizeof(begin), &at);
		apply(rd, rec, len, &at);
	}
	jr_errinfo_clear(&ei);
	(void)jr_redo_finish(rd, &ei);
	jr_redo_free(rd);
close_cache:
	jr_pagecache_close(pc);
close_fd:
	close(fd);
	return 0;
}
