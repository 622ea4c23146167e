/*
 * jrsynth.c - write synthetic ESE log sets for benchmarks and scale tests.
 *
 *   jrsynth logs --from DIR --out DIR --mib N [--file-kib K] [--base NAME]
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ese/logreader.h"
#include "ese/logwriter.h"
#include "ese/lrtyp.h"
#include "restore/logchain.h"
#include "restore/scan.h"

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

static void jr_synth_usage(FILE *f)
{
	fprintf(f, "usage: jrsynth logs --from DIR --out DIR --mib N "
		   "[--file-kib K] [--base NAME]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "mib", required_argument, NULL, 'm' },
		{ "file-kib", required_argument, NULL, 'k' },
		{ "base", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *out = NULL, *base = "edb";
	uint64_t mib = 0;
	uint32_t file_kib = 1024;
	jr_errinfo ei;
	int c;

	if (argc < 2 || strcmp(argv[1], "logs") != 0) {
		jr_synth_usage(stderr);
		return 2;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'o': out = optarg; break;
		case 'm': mib = strtoull(optarg, NULL, 10); break;
		case 'k': file_kib = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'b': base = optarg; break;
		default: jr_synth_usage(stderr); return 2;
		}
	}
	if (!from || !out || !mib || file_kib < 16 || file_kib % 4 ||
	    file_kib / 4 > 65535) {
		jr_synth_usage(stderr);
		return 2;
	}
	jr_errinfo_clear(&ei);
	if (jr_synth_logs(from, out, base, mib, file_kib, &ei) < 0) {
		fprintf(stderr, "jrsynth: error %d %s: %s (%s)\n", (int)ei.err,
			jet_error_name(ei.err), jet_error_message(ei.err),
			ei.detail);
		return 1;
	}
	return 0;
}
