/*
 * jrsynth.c - write synthetic ESE log sets for benchmarks and scale tests.
 *
 *   jrsynth logs --from DIR --out DIR --mib N [--file-kib K] [--base NAME]
 *   jrsynth db --from DIR --out DIR --mib N [--db-mib M] [--file-kib K]
 *              [--sessions S]
 *
 * `db` writes a dirty database with N MiB of logs whose records all apply
 * (bigset.h): --from is a real dirty set holding SRUDB.dat, SRU.chk and
 * SRU.log (srum-win11-dirty); the node payloads are the data of Windows'
 * own Insert records from its logs. It prints the set's figures on stdout
 * as `key value` lines.
 *
 * The records are Windows' own: every logical record of the log set in
 * --from (a real set, e.g. the bundled SRUM logs) is read once into memory
 * (a few MiB at most) and replayed in a loop through the log writer into new
 * files of the requested size, until N MiB of log files exist. The result
 * has Windows' record mix and sizes with our writer's valid headers,
 * segments, checksums, fragmentation and generation chain.
 *
 * Exit status 0, or 1 with the JET_ERR on stderr.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "ese/logreader.h"
#include "ese/logwriter.h"
#include "ese/lrtyp.h"
#include "recover/lrdecode.h"
#include "restore/logchain.h"
#include "restore/scan.h"
#include "bigset.h"

#define JR_SYNTH_SOURCE_MAX (16u << 20)   /* bytes of source records kept */

struct jr_source {
	uint8_t *bytes;       /* records back to back */
	size_t len;
	size_t *offsets;      /* start of record i */
	size_t n;
	ese_signature sign;
};

static JET_ERR jr_source_load(const char *dir, struct jr_source *src,
			      jr_errinfo *ei)
{
	ese_logreader *r = NULL;
	ese_logreader_opts opts;
	ese_logrecord rec;
	jr_scan *s = NULL;
	jr_logchain c;
	const char **paths = NULL;
	size_t cap = 0;
	JET_ERR err;

	memset(src, 0, sizeof(*src));
	err = jr_scan_dir(dir, &s, ei);
	if (err < 0)
		return err;
	err = jr_logchain_build(s, NULL, &c, ei);
	if (err < 0)
		goto free_scan;
	if (c.n == 0) {
		err = jr_fail(ei, JET_errMissingLogFile, "%s has no logs", dir);
		goto free_chain;
	}
	src->sign = c.sign_log;
	paths = calloc(c.n, sizeof(*paths));
	src->bytes = malloc(JR_SYNTH_SOURCE_MAX);
	if (!paths || !src->bytes) {
		err = jr_fail(ei, JET_errOutOfMemory, "source records");
		goto free_chain;
	}
	for (unsigned k = 0; k < c.n; k++)
		paths[k] = c.by_gen[k]->path;
	ese_logreader_opts_init(&opts);
	opts.return_nop2 = false;
	err = ese_logreader_open_files(paths, c.n, &opts, &r, ei);
	while (err >= 0 && (err = ese_logreader_next(r, &rec, ei)) == 0) {
		if (src->len + rec.size > JR_SYNTH_SOURCE_MAX)
			break;
		if (src->n == cap) {
			size_t *o;

			cap = cap ? 2 * cap : 4096;
			o = realloc(src->offsets, cap * sizeof(*o));
			if (!o) {
				err = jr_fail(ei, JET_errOutOfMemory, "source");
				break;
			}
			src->offsets = o;
		}
		src->offsets[src->n++] = src->len;
		memcpy(src->bytes + src->len, rec.data, rec.size);
		src->len += rec.size;
	}
	if (err == ESE_LOGREADER_END || err == 0)
		err = JET_errSuccess;
	ese_logreader_close(r);
free_chain:
	free(paths);
	jr_logchain_clear(&c);
free_scan:
	jr_scan_free(s);
	return err;
}

static JET_ERR jr_synth_logs(const char *from, const char *out, const char *base,
			     uint64_t mib, uint32_t file_kib, jr_errinfo *ei)
{
	struct jr_source src;
	ese_logwriter_params p;
	ese_logwriter *w = NULL;
	uint64_t files_wanted;
	JET_ERR err;

	err = jr_source_load(from, &src, ei);
	if (err < 0)
		goto free_src;
	ese_logwriter_params_init(&p, out, base, 1, &src.sign);
	p.csec_lgfile = (uint16_t)(file_kib / 4);
	err = ese_logwriter_open(&p, &w, ei);
	if (err < 0)
		goto free_src;
	files_wanted = (mib * 1024 + file_kib - 1) / file_kib;
	for (size_t i = 0; ; i = (i + 1) % src.n) {
		size_t end = i + 1 < src.n ? src.offsets[i + 1] : src.len;
		const uint8_t *rec = src.bytes + src.offsets[i];

		/* Windows flushes at every commit; so do we. */
		err = ese_logwriter_append(w, rec, end - src.offsets[i], NULL,
					   ei);
		if (err < 0)
			break;
		if (ese_lrtyp_get(rec[0]) &&
		    !strcmp(ese_lrtyp_name(rec[0]), "Commit0")) {
			err = ese_logwriter_flush(w, ei);
			if (err < 0)
				break;
		}
		if (ese_logwriter_gen(w) > files_wanted)
			break;
	}
	if (err < 0) {
		jr_errinfo discard;

		jr_errinfo_clear(&discard);
		ese_logwriter_close(w, &discard);
	} else {
		err = ese_logwriter_close(w, ei);
	}
free_src:
	free(src.bytes);
	free(src.offsets);
	return err;
}

/* The data of the source's Insert records (1..400 bytes), as payloads. */
static JET_ERR jr_synth_payloads(const struct jr_source *src,
				 const uint8_t ***data, uint16_t **len,
				 size_t *n, jr_errinfo *ei)
{
	*data = calloc(src->n ? src->n : 1, sizeof(**data));
	*len = calloc(src->n ? src->n : 1, sizeof(**len));
	*n = 0;
	if (!*data || !*len)
		return jr_fail(ei, JET_errOutOfMemory, "payloads");
	for (size_t i = 0; i < src->n; i++) {
		size_t end = i + 1 < src->n ? src->offsets[i + 1] : src->len;
		lr_record r;
		jr_errinfo discard;

		jr_errinfo_clear(&discard);
		if (src->bytes[src->offsets[i]] != 29 ||
		    lr_decode(src->bytes + src->offsets[i],
			      end - src->offsets[i], &r, &discard) < 0)
			continue;
		if (r.u.insert.data.len == 0 || r.u.insert.data.len > 400)
			continue;
		(*data)[*n] = r.u.insert.data.p;
		(*len)[*n] = (uint16_t)r.u.insert.data.len;
		(*n)++;
	}
	if (!*n)
		return jr_fail(ei, JET_errInvalidParameter,
			       "the source logs hold no Insert record");
	return JET_errSuccess;
}

static JET_ERR jr_synth_db(const char *from, const char *out, uint64_t mib,
			   uint64_t db_mib, uint32_t file_kib,
			   unsigned sessions, jr_errinfo *ei)
{
	struct jr_source src;
	jr_bigset_params p;
	jr_bigset_stats st;
	const uint8_t **data = NULL;
	uint16_t *len = NULL;
	char *db, *chk, *log;
	JET_ERR err;

	db = g_build_filename(from, "SRUDB.dat", NULL);
	chk = g_build_filename(from, "SRU.chk", NULL);
	log = g_build_filename(from, "SRU.log", NULL);
	err = jr_source_load(from, &src, ei);
	if (err < 0)
		goto free_src;
	memset(&p, 0, sizeof(p));
	err = jr_synth_payloads(&src, &data, &len, &p.n_payloads, ei);
	if (err < 0)
		goto free_src;
	p.src_db = db;
	p.src_chk = chk;
	p.src_log = log;
	p.out_dir = out;
	p.db_name = "SRUDB.dat";
	p.base = "SRU";
	p.log_mib = mib;
	p.db_mib = db_mib;
	p.file_kib = file_kib;
	p.sessions = sessions;
	p.payloads = data;
	p.payload_len = len;
	err = jr_bigset_write(&p, &st, ei);
	if (err < 0)
		goto free_src;
	printf("gen_first %u\ngen_last %u\nrecords %llu\nrecords_total %llu\n"
	       "pages_created %llu\npgno_first %u\npgno_last %u\n"
	       "db_bytes %llu\nlog_bytes %llu\n", st.gen_first, st.gen_last,
	       (unsigned long long)st.records,
	       (unsigned long long)st.records_total,
	       (unsigned long long)st.pages_created, st.pgno_first,
	       st.pgno_last, (unsigned long long)st.db_bytes,
	       (unsigned long long)st.log_bytes);
free_src:
	free(data);
	free(len);
	free(src.bytes);
	free(src.offsets);
	g_free(db);
	g_free(chk);
	g_free(log);
	return err;
}

static void jr_synth_usage(FILE *f)
{
	fprintf(f, "usage: jrsynth logs --from DIR --out DIR --mib N "
		   "[--file-kib K] [--base NAME]\n"
		   "       jrsynth db --from DIR --out DIR --mib N "
		   "[--db-mib M] [--file-kib K] [--sessions S]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "mib", required_argument, NULL, 'm' },
		{ "file-kib", required_argument, NULL, 'k' },
		{ "base", required_argument, NULL, 'b' },
		{ "db-mib", required_argument, NULL, 'd' },
		{ "sessions", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *out = NULL, *base = "edb";
	uint64_t mib = 0, db_mib = 0;
	unsigned sessions = 16;
	bool db_mode;
	uint32_t file_kib = 1024;
	jr_errinfo ei;
	int c;

	if (argc < 2 || (strcmp(argv[1], "logs") && strcmp(argv[1], "db"))) {
		jr_synth_usage(stderr);
		return 2;
	}
	db_mode = !strcmp(argv[1], "db");
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'o': out = optarg; break;
		case 'm': mib = strtoull(optarg, NULL, 10); break;
		case 'k': file_kib = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'b': base = optarg; break;
		case 'd': db_mib = strtoull(optarg, NULL, 10); break;
		case 's': sessions = (unsigned)strtoul(optarg, NULL, 10); break;
		default: jr_synth_usage(stderr); return 2;
		}
	}
	if (!from || !out || !mib || file_kib < 16 || file_kib % 4 ||
	    file_kib / 4 > 65535) {
		jr_synth_usage(stderr);
		return 2;
	}
	jr_errinfo_clear(&ei);
	if ((db_mode ? jr_synth_db(from, out, mib, db_mib, file_kib,
				   sessions, &ei)
		     : jr_synth_logs(from, out, base, mib, file_kib, &ei)) < 0) {
		fprintf(stderr, "jrsynth: error %d %s: %s (%s)\n", (int)ei.err,
			jet_error_name(ei.err), jet_error_message(ei.err),
			ei.detail);
		return 1;
	}
	return 0;
}
