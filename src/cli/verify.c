/*
 * verify.c - `jetrestore verify DIR|FILE...`: every checksum (database and
 * checkpoint headers and their shadows, every database page, every log
 * segment), the record stream of every log, the generation chain of each
 * log set, and the agreement of databases and checkpoint with the logs.
 *
 * Files that are not part of a chain (a recycled `*tmp.log`, zero-filled
 * reserve logs) are reported and do not fail verification. The first
 * problem found sets the exit status and is printed with its JET_ERR;
 * verification goes on so that the report lists every problem.
 *
 * Memory is bounded: databases are read in fixed chunks, logs record by
 * record.
 */
#include "cli/commands.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/emit.h"
#include "ese/checksum.h"
#include "ese/logreader.h"
#include "restore/logchain.h"
#include "restore/scan.h"
#include "util/io.h"

#define JR_VERIFY_CHUNK (1u << 20)     /* database bytes read at a time */
#define JR_VERIFY_MAX_LISTED 10        /* bad pages listed per database */

struct jr_verify {
	jr_emit e;
	jr_errinfo first;              /* first problem: the exit status */
	unsigned problems;
};

static void jr_verify_problem(struct jr_verify *v, const jr_errinfo *ei);

/* A file whose header could not be read. */
static void jr_verify_header_problem(struct jr_verify *v,
				     const jr_scan_entry *en, JET_ERR fallback)
{
	jr_errinfo ei;

	if (en->hdr_err) {
		jr_verify_problem(v, en->hdr_err);
		return;
	}
	jr_errinfo_clear(&ei);
	jr_fail(&ei, fallback, "%s: header unreadable", en->path);
	jr_verify_problem(v, &ei);
}

/* Record a problem: keep the first as the result, print it in the report. */
static void jr_verify_problem(struct jr_verify *v, const jr_errinfo *ei)
{
	v->problems++;
	if (v->first.err == JET_errSuccess)
		v->first = *ei;
	jr_emit_begin(&v->e, NULL, NULL);
	jr_emit_i64(&v->e, "error", "Error", ei->err);
	jr_emit_str(&v->e, "error_name", "Name", jet_error_name(ei->err));
	jr_emit_str(&v->e, "detail", "Problem", ei->detail);
	jr_emit_end(&v->e);
}

struct jr_page_counts {
	uint64_t pages, ok_ecc, ok_xor, blank, correctable, bad;
};

static JET_ERR jr_verify_pages(struct jr_verify *v, const jr_scan_entry *en,
			       struct jr_page_counts *pc, jr_errinfo *ei)
{
	uint32_t ps = en->db->page_size;
	uint64_t npages = en->size / ps >= 2 ? en->size / ps - 2 : 0;
	uint64_t per = JR_VERIFY_CHUNK / ps, pgno = 1;
	uint8_t *buf;
	unsigned listed = 0;
	int fd;
	JET_ERR err;

	memset(pc, 0, sizeof(*pc));
	err = jr_open_ro(en->path, &fd, ei);
	if (err < 0)
		return err;
	/* Page-aligned: the kernel copies into an aligned buffer about three
	 * times faster, and this copy is most of verify's time. */
	if (posix_memalign((void **)&buf, 4096, JR_VERIFY_CHUNK) != 0)
		buf = NULL;
	if (!buf) {
		err = jr_fail(ei, JET_errOutOfMemory, "verify");
		goto close_fd;
	}
	jr_emit_list_begin(&v->e, "bad_pages", NULL);
	while (pgno <= npages) {
		uint64_t n = npages - pgno + 1 < per ? npages - pgno + 1 : per;

		err = jr_pread_full(fd, buf, n * ps, (pgno + 1) * ps,
				    JET_errDatabaseCorrupted, ei);
		if (err < 0)
			goto free_buf;
		for (uint64_t i = 0; i < n; i++, pgno++) {
			ese_page_checksum_result r;
			jr_errinfo pe;

			ese_page_checksum_check(buf + i * ps, ps,
						(uint32_t)pgno, &r);
			pc->pages++;
			switch (r.status) {
			case ESE_CKSUM_OK:
				if (r.format == ESE_CKSUM_FORMAT_ECC)
					pc->ok_ecc++;
				else
					pc->ok_xor++;
				continue;
			case ESE_CKSUM_BLANK:
				pc->blank++;
				continue;
			case ESE_CKSUM_CORRECTABLE:
				pc->correctable++;
				if (listed++ < JR_VERIFY_MAX_LISTED) {
					jr_emit_begin(&v->e, NULL, NULL);
					jr_emit_u64(&v->e, "pgno", "Page", pgno);
					jr_emit_str(&v->e, "status", "Status",
						    "correctable single-bit "
						    "error");
					jr_emit_i64(&v->e, "bad_bit", "Bit",
						    r.bad_bit);
					jr_emit_end(&v->e);
				}
				continue;
			case ESE_CKSUM_BAD:
				pc->bad++;
				jr_errinfo_clear(&pe);
				jr_fail(&pe, JET_errReadVerifyFailure,
					"%s: page %" PRIu64 " (offset %" PRIu64
					") fails its %s checksum (stored "
					"0x%016" PRIx64 ", computed 0x%016"
					PRIx64 ")", en->path, pgno,
					(pgno + 1) * ps,
					r.format == ESE_CKSUM_FORMAT_ECC
						? "ECC" : "XOR",
					r.stored, r.computed);
				if (listed++ < JR_VERIFY_MAX_LISTED)
					jr_verify_problem(v, &pe);
				else if (v->first.err == JET_errSuccess)
					v->first = pe;
				continue;
			}
		}
	}
	err = JET_errSuccess;
free_buf:
	jr_emit_list_end(&v->e);
	free(buf);
close_fd:
	close(fd);
	return err;
}

static void jr_verify_database(struct jr_verify *v, const jr_scan_entry *en)
{
	struct jr_page_counts pc;
	jr_errinfo ei;

	jr_errinfo_clear(&ei);
	jr_emit_str(&v->e, "kind", "Kind", "Database");
	if (!en->db) {
		jr_verify_header_problem(v, en, JET_errDatabaseCorrupted);
		return;
	}
	jr_emit_str(&v->e, "state", "State", ese_dbstate_name(en->db->hdr.state));
	jr_emit_str(&v->e, "header", "Header copies",
		    ese_shadow_status_name(en->db->status));
	if (en->db->status != ESE_SHADOW_OK) {
		jr_fail(&ei, JET_errDatabaseCorrupted,
			"%s: header copy %s (the other copy is used)", en->path,
			ese_shadow_status_name(en->db->status));
		jr_emit_str(&v->e, "header_warning", "Warning", ei.detail);
		jr_errinfo_clear(&ei);
	}
	jr_emit_u64(&v->e, "page_size", "Page size", en->db->page_size);
	if (jr_verify_pages(v, en, &pc, &ei) < 0) {
		jr_verify_problem(v, &ei);
		return;
	}
	jr_emit_u64(&v->e, "pages", "Pages", pc.pages);
	jr_emit_u64(&v->e, "pages_ecc_ok", "ECC checksums good", pc.ok_ecc);
	jr_emit_u64(&v->e, "pages_xor_ok", "XOR checksums good", pc.ok_xor);
	jr_emit_u64(&v->e, "pages_blank", "Blank pages", pc.blank);
	jr_emit_u64(&v->e, "pages_correctable", "Correctable pages",
		    pc.correctable);
	jr_emit_u64(&v->e, "pages_bad", "Bad pages", pc.bad);
}

static void jr_verify_checkpoint(struct jr_verify *v, const jr_scan_entry *en)
{
	char s[ESE_LGPOS_STRLEN];

	jr_emit_str(&v->e, "kind", "Kind", "Checkpoint");
	if (!en->chk) {
		jr_verify_header_problem(v, en, JET_errCheckpointCorrupt);
		return;
	}
	jr_emit_str(&v->e, "checkpoint", "Checkpoint",
		    ese_lgpos_format(&en->chk->chk.lgpos_checkpoint, s,
				     sizeof(s)));
	jr_emit_str(&v->e, "copies", "Copies",
		    en->chk->status == ESE_CHK_COPIES_OK ? "ok"
		    : en->chk->status == ESE_CHK_PRIMARY_BAD ? "primary bad"
							    : "shadow bad");
}

/* Stream every record of the chain: segment checksums, record sizes,
 * fragments and the header chain as the reader checks them. */
static void jr_verify_chain_records(struct jr_verify *v, const jr_logchain *c)
{
	const ese_logreader_stats *st;
	ese_logreader_opts opts;
	ese_logreader *r = NULL;
	ese_logrecord rec;
	const char **paths;
	jr_errinfo ei;
	JET_ERR err;

	jr_errinfo_clear(&ei);
	paths = calloc(c->n, sizeof(*paths));
	if (!paths) {
		jr_fail(&ei, JET_errOutOfMemory, "verify");
		jr_verify_problem(v, &ei);
		return;
	}
	for (unsigned k = 0; k < c->n; k++)
		paths[k] = c->by_gen[k]->path;
	ese_logreader_opts_init(&opts);
	opts.sign_log = &c->sign_log;
	opts.return_nop2 = false;
	err = ese_logreader_open_files(paths, c->n, &opts, &r, &ei);
	while (err >= 0 && (err = ese_logreader_next(r, &rec, &ei)) ==
			   JET_errSuccess)
		;
	if (err < 0) {
		jr_verify_problem(v, &ei);
	} else {
		st = ese_logreader_stats_get(r);
		jr_emit_u64(&v->e, "segments", "Segments", st->segments);
		jr_emit_u64(&v->e, "records", "Records",
			    st->records);
		jr_emit_u64(&v->e, "inuse_bytes", "Bytes in use",
			    st->inuse_bytes);
	}
	ese_logreader_close(r);
	free(paths);
}

/* Databases and checkpoints against the log set. */
static void jr_verify_against_chain(struct jr_verify *v, const jr_scan *s,
				    const jr_logchain *c)
{
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *en = s->entries[i];
		jr_errinfo ei;

		jr_errinfo_clear(&ei);
		if (en->db) {
			const ese_dbheader *h = &en->db->hdr;

			if (!ese_signature_equal(&h->sign_log, &c->sign_log))
				jr_fail(&ei, JET_errDatabaseLogSetMismatch,
					"%s: its log signature is not that of "
					"the %s log set", en->path, c->base);
			else if (!ese_dbheader_is_clean(h) &&
				 h->gen_max_required &&
				 (h->gen_min_required < c->gen_low ||
				  h->gen_max_required > c->gen_high))
				jr_fail(&ei, JET_errRequiredLogFilesMissing,
					"%s requires generations 0x%X-0x%X; "
					"the set has 0x%X-0x%X", en->path,
					h->gen_min_required,
					h->gen_max_required, c->gen_low,
					c->gen_high);
		} else if (en->chk) {
			const ese_checkpoint *k = &en->chk->chk;

			if (!ese_signature_equal(&k->sign_log, &c->sign_log))
				jr_fail(&ei, JET_errBadCheckpointSignature,
					"%s belongs to another log set than "
					"%s", en->path, c->base);
			else if (k->lgpos_checkpoint.gen < c->gen_low ||
				 k->lgpos_checkpoint.gen > c->gen_high)
				jr_fail(&ei, JET_errMissingLogFile,
					"%s points at generation 0x%X, outside "
					"the logs present (0x%X-0x%X)",
					en->path, k->lgpos_checkpoint.gen,
					c->gen_low, c->gen_high);
		}
		if (ei.err) {
			jr_emit_begin(&v->e, NULL, NULL);
			jr_emit_str(&v->e, "file", "File", en->path);
			jr_verify_problem(v, &ei);
			jr_emit_end(&v->e);
		}
	}
}

static void jr_verify_scan(struct jr_verify *v, const jr_scan *s)
{
	jr_logchain chain;
	jr_errinfo ei;

	jr_emit_list_begin(&v->e, "files", "Files:");
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *en = s->entries[i];

		if (en->filetype != JET_filetypeDatabase &&
		    en->filetype != JET_filetypeStreamingFile &&
		    en->filetype != JET_filetypeCheckpoint)
			continue;
		jr_emit_begin(&v->e, NULL, en->path);
		if (v->e.json)
			jr_emit_str(&v->e, "file", NULL, en->path);
		if (en->filetype == JET_filetypeCheckpoint)
			jr_verify_checkpoint(v, en);
		else
			jr_verify_database(v, en);
		jr_emit_end(&v->e);
	}
	jr_emit_list_end(&v->e);

	jr_errinfo_clear(&ei);
	jr_emit_begin(&v->e, "logs", "Logs:");
	if (jr_logchain_build(s, NULL, &chain, &ei) < 0) {
		jr_verify_problem(v, &ei);
		jr_emit_end(&v->e);
		return;
	}
	if (chain.n > 0) {
		char range[64];

		snprintf(range, sizeof(range), "0x%X-0x%X", chain.gen_low,
			 chain.gen_high);
		jr_emit_str(&v->e, "base", "Base name", chain.base);
		jr_emit_str(&v->e, "generations", "Generations", range);
		jr_emit_u64(&v->e, "gen_low", "Lowest", chain.gen_low);
		jr_emit_u64(&v->e, "gen_high", "Highest", chain.gen_high);
		jr_emit_signature(&v->e, "sign_log", "Signature",
				  &chain.sign_log);
		jr_verify_chain_records(v, &chain);
		jr_verify_against_chain(v, s, &chain);
	} else {
		jr_emit_u64(&v->e, "generations", "Generations", 0);
	}
	jr_emit_list_begin(&v->e, "not_in_chain", "Not part of the chain:");
	for (unsigned i = 0; i < chain.n_strays; i++) {
		jr_emit_begin(&v->e, NULL, NULL);
		jr_emit_str(&v->e, "file", "File", chain.strays[i].entry->path);
		jr_emit_str(&v->e, "reason", "Reason", chain.strays[i].reason);
		jr_emit_end(&v->e);
	}
	jr_emit_list_end(&v->e);
	jr_emit_end(&v->e);
	jr_logchain_clear(&chain);
}

static void jr_verify_usage(FILE *out)
{
	fprintf(out,
		"usage: jetrestore verify [--json] DIR|FILE...\n"
		"  Verify checksums of database pages, headers and log segments,\n"
		"  the log generation chain and signatures. Directories are\n"
		"  scanned (not recursively); files given together form one set.\n"
		"  Exit 0 when sound; otherwise the first JET_ERR is printed.\n");
}

static JET_ERR jr_verify_target(struct jr_verify *v, jr_scan **files,
				const char *arg, jr_errinfo *ei)
{
	struct stat st;
	jr_scan *s;
	JET_ERR err;

	if (stat(arg, &st) != 0)
		return jr_fail(ei, JET_errFileNotFound, "%s does not exist",
			       arg);
	if (!S_ISDIR(st.st_mode)) {
		if (!*files && (err = jr_scan_new(files, ei)) < 0)
			return err;
		return jr_scan_add_file(*files, arg, ei);
	}
	err = jr_scan_dir(arg, &s, ei);
	if (err < 0)
		return err;
	if (jr_scan_find(s, JET_filetypeDatabase, NULL, 0) +
	    jr_scan_find(s, JET_filetypeStreamingFile, NULL, 0) +
	    jr_scan_find(s, JET_filetypeCheckpoint, NULL, 0) +
	    jr_scan_find(s, JET_filetypeLog, NULL, 0) == 0) {
		jr_scan_free(s);
		return jr_fail(ei, JET_errFileNotFound,
			       "%s holds no database, checkpoint or log file",
			       arg);
	}
	jr_emit_begin(&v->e, NULL, NULL);
	if (v->e.json)
		jr_emit_str(&v->e, "directory", NULL, arg);
	else
		printf("%s:\n", arg);
	jr_verify_scan(v, s);
	jr_emit_end(&v->e);
	jr_scan_free(s);
	return JET_errSuccess;
}

int jr_cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct jr_verify v;
	jr_scan *files = NULL;
	bool json = false;
	jr_errinfo ei;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			jr_verify_usage(stdout);
			return 0;
		default:
			jr_verify_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		jr_verify_usage(stderr);
		return 2;
	}
	memset(&v, 0, sizeof(v));
	jr_emit_init(&v.e, stdout, json, true);
	jr_emit_begin(&v.e, NULL, NULL);
	jr_emit_list_begin(&v.e, "sets", NULL);
	for (int i = optind; i < argc; i++) {
		jr_errinfo_clear(&ei);
		if (jr_verify_target(&v, &files, argv[i], &ei) < 0)
			jr_verify_problem(&v, &ei);
	}
	if (files) {
		jr_emit_begin(&v.e, NULL, NULL);
		jr_verify_scan(&v, files);
		jr_emit_end(&v.e);
		jr_scan_free(files);
	}
	jr_emit_list_end(&v.e);
	jr_emit_u64(&v.e, "problems", "Problems", v.problems);
	jr_emit_i64(&v.e, "result", "Result", v.first.err);
	jr_emit_str(&v.e, "result_name", "Result name",
		    jet_error_name(v.first.err));
	jr_emit_end(&v.e);
	jr_emit_newline(&v.e);
	if (v.first.err != JET_errSuccess)
		return jr_cli_report("verify", &v.first);
	if (!json)
		printf("verify: sound\n");
	return 0;
}
