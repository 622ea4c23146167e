/*
 * dump_records.c - stream the records of one log file as text or JSON Lines.
 *
 * Memory stays flat whatever the log size: the reader hands out one record
 * at a time and each is printed before the next is read.
 */
#include "cli/dump_records.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "ese/logreader.h"
#include "ese/lrtyp.h"
#include "recover/lrdecode.h"
#include "util/json.h"

static void jr_record_json(jr_json *j, const ese_logrecord *rec,
			   const lr_record *lr, bool decoded)
{
	jr_json_object_begin(j, NULL);
	jr_json_u64(j, "gen", rec->lgpos.gen);
	jr_json_u64(j, "isec", rec->lgpos.isec);
	jr_json_u64(j, "ib", rec->lgpos.ib);
	jr_json_u64(j, "size", rec->size);
	if (rec->nfragments)
		jr_json_u64(j, "fragments", rec->nfragments);
	if (decoded) {
		lr_to_json(lr, j);
	} else {
		ese_lr_page pi;

		jr_json_str(j, "type", ese_lrtyp_name(rec->lrtyp));
		jr_json_u64(j, "lrtyp", rec->lrtyp);
		if (ese_lr_page_info(rec->data, rec->size, &pi)) {
			jr_json_u64(j, "dbid", pi.dbid);
			jr_json_u64(j, "pgno", pi.pgno);
			if (pi.has_before)
				jr_json_u64(j, "dbtime_before",
					    pi.dbtime_before);
			jr_json_u64(j, "dbtime_after", pi.dbtime_after);
		}
	}
	jr_json_object_end(j);
	jr_json_newline(j);
}

static void jr_record_text(const ese_logrecord *rec, const lr_record *lr,
			   bool decoded)
{
	char line[1024];
	char pos[ESE_LGPOS_STRLEN];

	if (decoded)
		lr_describe(lr, line, sizeof(line));
	else
		snprintf(line, sizeof(line), "%s", ese_lrtyp_name(rec->lrtyp));
	printf("%-22s %5u %s\n", ese_lgpos_format(&rec->lgpos, pos, sizeof(pos)),
	       rec->size, line);
}

static void jr_records_summary(const ese_logreader_stats *st, bool json)
{
	if (json) {
		jr_json j;

		jr_json_init(&j, stdout, false);
		jr_json_object_begin(&j, NULL);
		jr_json_str(&j, "summary", "records");
		jr_json_u64(&j, "records", st->records);
		jr_json_u64(&j, "nop2_records", st->nop2_records);
		jr_json_u64(&j, "segments", st->segments);
		jr_json_u64(&j, "inuse_bytes", st->inuse_bytes);
		jr_json_u64(&j, "record_bytes", st->record_bytes);
		jr_json_u64(&j, "nop_bytes", st->nop_bytes);
		jr_json_u64(&j, "header_bytes", st->header_bytes);
		jr_json_object_begin(&j, "by_type");
		for (unsigned t = 0; t < 256; t++)
			if (st->by_type[t] && t != 0)
				jr_json_u64(&j, ese_lrtyp_name(t),
					    st->by_type[t]);
		jr_json_object_end(&j);
		jr_json_object_end(&j);
		jr_json_newline(&j);
		return;
	}
	printf("\n%" PRIu64 " records in %" PRIu64 " segments (%" PRIu64
	       " bytes in use: %" PRIu64 " record, %" PRIu64 " padding, %" PRIu64
	       " segment headers)\n",
	       st->records, st->segments, st->inuse_bytes,
	       st->record_bytes, st->nop_bytes, st->header_bytes);
	for (unsigned t = 1; t < 256; t++)
		if (st->by_type[t])
			printf("  %-28s %" PRIu64 "\n", ese_lrtyp_name(t),
			       st->by_type[t]);
}

JET_ERR jr_dump_records(const char *path, bool json, jr_errinfo *ei)
{
	const char *paths[1] = { path };
	ese_logreader_opts opts;
	ese_logreader *r;
	ese_logrecord rec;
	lr_record *lr;
	jr_json j;
	JET_ERR err;

	lr = malloc(sizeof(*lr));
	if (!lr)
		return jr_fail(ei, JET_errOutOfMemory, "dump");
	ese_logreader_opts_init(&opts);
	/* NOP2 fill records are logical records of their own (a commit flush
	 * fills the rest of a segment with one); single NOP padding bytes are
	 * not records and are only counted. */
	opts.return_nop2 = true;
	err = ese_logreader_open_files(paths, 1, &opts, &r, ei);
	if (err < 0)
		goto free_lr;
	jr_json_init(&j, stdout, false);
	while ((err = ese_logreader_next(r, &rec, ei)) == JET_errSuccess) {
		jr_errinfo dei;
		bool decoded;

		jr_errinfo_clear(&dei);
		decoded = lr_decode(rec.data, rec.size, lr, &dei) >= 0;
		if (json)
			jr_record_json(&j, &rec, lr, decoded);
		else
			jr_record_text(&rec, lr, decoded);
	}
	if (err == ESE_LOGREADER_END) {
		err = JET_errSuccess;
		jr_records_summary(ese_logreader_stats_get(r), json);
	}
	ese_logreader_close(r);
free_lr:
	free(lr);
	return err;
}
