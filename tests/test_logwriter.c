/*
 * test_logwriter.c - the log writer: Windows' own generations rewritten
 * from their records come out with the same header and the same segment
 * contents; synthetic sets read back record for record with the reader;
 * ESE's padding and fragmenting rules; refused inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/loghdr.h"
#include "ese/logreader.h"
#include "ese/logseg.h"
#include "ese/logwriter.h"
#include "ese/lrtyp.h"
#include "util/bytes.h"
#include "testutil.h"

/* ---- rewriting Windows' generations ---- */

struct realfile {
	const char *set, *file;
};

static const struct realfile archived[] = {
	{ "srum-win11-dirty", "SRU00059.log" },
	{ "srum-win11-dirty", "SRU0005A.log" },
	{ "srum-win11-dirty", "SRU0005B.log" },
	{ "srum-win11-dirty", "SRUtmp.log" },
	{ "srum-win10-clean-a", "SRU00003.log" },
	{ "srum-win10-clean-a", "SRU00004.log" },
	{ "srum-win10-clean-a", "SRU00005.log" },
	{ "srum-win10-clean-a", "SRU00006.log" },
	{ "srum-win10-clean-a", "SRU00007.log" },
	{ "srum-win10-clean-a", "SRU00008.log" },
	{ "srum-win10-clean-b", "SRU00019.log" },
	{ "srum-win10-clean-b", "SRU0001A.log" },
	{ "srum-win10-clean-b", "SRU0001B.log" },
	{ "srum-win10-clean-b", "SRU0001C.log" },
	{ "srum-win10-clean-b", "SRU0001D.log" },
	{ "srum-win10-clean-b", "SRU0001E.log" },
	{ "srum-win10-clean-b", "SRU0001F.log" },
	{ "srum-win10-clean-b", "SRU.log" },
	{ "srum-win10-clean-a", "SRU.log" },
	{ "srum-win11-dirty", "SRU.log" },
};

/*
 * Read every record of one real file, write them again with the file's
 * own header as template, and compare: the header byte for byte, and every
 * in-use segment from byte 40 on (records, fragments, NOP and NOP2
 * padding: Windows' placement). Only the segment start times, and so the
 * checksums, may differ.
 */
static void rewrite_one(const struct realfile *rf)
{
	char *src = jr_test_data(rf->set, rf->file);
	char *dir = jr_test_tmpdir("lw-rewrite");
	ese_loghdr *h = g_new0(ese_loghdr, 1);
	ese_logwriter_params p;
	ese_logwriter *w;
	ese_logreader *r;
	ese_logrecord rec;
	const char *files[1] = { src };
	uint64_t nseg, nrec = 0, restarts = 0;
	size_t len_a, len_b;
	uint8_t *a, *b;
	char *out;
	jr_errinfo ei;
	JET_ERR err;

	jr_errinfo_clear(&ei);
	assert_int_equal(ese_loghdr_read_file(src, h, NULL, NULL), 0);
	ese_logwriter_params_init(&p, dir, "SRU", h->gen, &h->sign_log);
	p.template_hdr = h;
	p.start_time = h->tm_create;
	p.prev_gen_time = h->tm_prev_gen;
	p.prev_checksum = h->checksum_prev_log;
	p.csec_lgfile = h->csec_lgfile;
	p.current_as_base = false;
	assert_int_equal(ese_logwriter_open(&p, &w, &ei), 0);
	assert_int_equal(ese_logreader_open_files(files, 1, NULL, &r, NULL), 0);
	while ((err = ese_logreader_next(r, &rec, &ei)) == JET_errSuccess) {
		ese_lgpos at, tail = ese_logwriter_tail(w);
		uint32_t rem = 4096 - tail.ib;

		/* Windows left the segment after a shutdown (Term2) and
		 * started the next one after the restart */
		if (rec.lgpos_data.isec > tail.isec &&
		    rec.lgpos_data.ib == 40 && tail.ib > 40 &&
		    (rem >= 32 || rec.size <= rem)) {
			assert_int_equal(ese_logwriter_end_segment(w, &ei), 0);
			restarts++;
		}
		assert_int_equal(ese_logwriter_append(w, rec.data, rec.size,
						      &at, &ei), 0);
		/* the writer gives each record the position ESE gave it */
		if (ese_lgpos_cmp(&at, &rec.lgpos) != 0)
			fail_msg("%s/%s: record %llu (%s) at (%X,%X,%X), "
				 "written at (%X,%X,%X)", rf->set, rf->file,
				 (unsigned long long)nrec,
				 ese_lrtyp_name(rec.lrtyp),
				 (unsigned)rec.lgpos.gen, rec.lgpos.isec,
				 rec.lgpos.ib, (unsigned)at.gen, at.isec, at.ib);
		nrec++;
	}
	assert_int_equal(err, ESE_LOGREADER_END);
	nseg = ese_logreader_stats_get(r)->segments;
	ese_logreader_close(r);
	assert_int_equal(ese_logwriter_gen(w), h->gen);
	assert_int_equal(ese_logwriter_close(w, &ei), 0);
	if (strcmp(rf->file, "SRU0005B.log") == 0)
		assert_int_equal(restarts, 1);

	out = g_strdup_printf("%s/SRU%05X.log", dir, (unsigned)h->gen);
	a = jr_test_slurp(src, &len_a);
	b = jr_test_slurp(out, &len_b);
	assert_int_equal(len_a, len_b);
	assert_memory_equal(a, b, ESE_LOGHDR_SIZE);
	for (uint64_t s = 1; s <= nseg; s++) {
		const uint8_t *sa = a + s * 4096, *sb = b + s * 4096;

		if (memcmp(sa + 40, sb + 40, 4096 - 40) != 0)
			fail_msg("%s/%s: segment %llu differs", rf->set,
				 rf->file, (unsigned long long)s);
		assert_memory_equal(sa + 8, sb + 8, 8);      /* lgpos */
		assert_memory_equal(sa + 24, sb + 24, 16);   /* reserved, flags */
	}
	/* and the copy reads back the same */
	{
		const char *again[1] = { out };
		uint64_t n2 = 0;

		assert_int_equal(ese_logreader_open_files(again, 1, NULL, &r,
							  NULL), 0);
		while (ese_logreader_next(r, &rec, NULL) == JET_errSuccess)
			n2++;
		assert_int_equal(n2, nrec);
		assert_int_equal(ese_logreader_stats_get(r)->segments, nseg);
		ese_logreader_close(r);
	}
	g_free(a);
	g_free(b);
	g_free(out);
	g_free(h);
	g_free(src);
	g_free(dir);
}

static void test_rewrite_windows_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(archived); i++)
		rewrite_one(&archived[i]);
}

/* ---- synthetic sets ---- */

/* An Insert record with dlen data bytes (pattern from seed). */
static size_t make_insert(uint8_t *buf, uint16_t dlen, uint32_t seed)
{
	memset(buf, 0, 50);
	buf[0] = ESE_LRTYP_INSERT;
	jr_put_le16(buf + 1, 7);          /* procid */
	buf[3] = 1;                       /* dbid */
	jr_put_le32(buf + 4, 100 + seed % 50);
	jr_put_le64(buf + 8, 1000 + seed);
	jr_put_le64(buf + 16, 999 + seed);
	jr_put_le16(buf + 44, 4);         /* key suffix */
	jr_put_le16(buf + 48, dlen);
	for (uint32_t i = 0; i < 4u + dlen; i++)
		buf[50 + i] = (uint8_t)(seed * 31 + i);
	return 50 + 4 + (size_t)dlen;
}

/* A Split2 carrying a page before-image of img bytes. */
static size_t make_split2(uint8_t *buf, uint32_t img, uint32_t seed)
{
	memset(buf, 0, 110);
	buf[0] = ESE_LRTYP_SPLIT2;
	buf[3] = 1;
	jr_put_le32(buf + 4, 200 + seed);
	jr_put_le16(buf + 100, 10);       /* key to the parent */
	jr_put_le32(buf + 106, img);
	for (uint32_t i = 0; i < 10 + img; i++)
		buf[110 + i] = (uint8_t)(seed + i * 7);
	return 110 + 10 + (size_t)img;
}

struct written {
	uint8_t *data;
	size_t len;
	ese_lgpos lgpos;
};

static ese_signature test_sig(void)
{
	ese_signature s;

	memset(&s, 0, sizeof(s));
	s.random = 0xC0FFEE01;
	s.created.year = 125;
	s.created.month = 6;
	s.created.day = 30;
	s.created.hour = 23;
	s.created.min = 59;
	s.created.sec = 59;
	memcpy(s.computer_name, "JRTEST", 6);
	return s;
}

/* Write a mixed synthetic stream; returns what was written. */
static GPtrArray *write_synthetic(const char *dir, uint32_t first_gen,
				  uint16_t csec, unsigned nrec,
				  uint32_t *last_gen, unsigned *nflush)
{
	GPtrArray *out = g_ptr_array_new();
	ese_signature sig = test_sig();
	ese_logwriter_params p;
	ese_logwriter *w;
	static uint8_t buf[40000];
	jr_errinfo ei;

	ese_logwriter_params_init(&p, dir, "edb", first_gen, &sig);
	p.csec_lgfile = csec;
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_logwriter_open(&p, &w, &ei), 0);
	*nflush = 0;
	for (unsigned i = 0; i < nrec; i++) {
		struct written *wr = g_new0(struct written, 1);
		size_t len;

		switch (i % 11) {
		case 0:
			buf[0] = ESE_LRTYP_BEGIN;
			jr_put_le16(buf + 1, 7);
			buf[3] = 0x10;
			len = 4;
			break;
		case 5:
			len = make_split2(buf, (i % 3 == 0) ? 9000 : 300, i);
			break;
		case 7:
			buf[0] = ESE_LRTYP_COMMIT;
			jr_put_le16(buf + 1, 7);
			buf[3] = 0;
			len = 4;
			break;
		default:
			len = make_insert(buf, (uint16_t)((i * 37) % 700), i);
			break;
		}
		wr->data = g_memdup2(buf, len);
		wr->len = len;
		assert_int_equal(ese_logwriter_append(w, buf, len, &wr->lgpos,
						      &ei), 0);
		g_ptr_array_add(out, wr);
		if (i % 11 == 7 && i % 2 == 0) {
			ese_lgpos before = ese_logwriter_pos(w), after;

			assert_int_equal(ese_logwriter_flush(w, &ei), 0);
			/* a NOP2 went in when the position moved on */
			after = ese_logwriter_pos(w);
			if (ese_lgpos_cmp(&before, &after) != 0) {
				assert_int_equal(after.isec, before.isec + 1);
				assert_int_equal(after.ib, 0);
				(*nflush)++;
			}
		}
		if (i == nrec / 2)
			assert_int_equal(ese_logwriter_new_generation(w, &ei),
					 0);
	}
	*last_gen = ese_logwriter_gen(w);
	assert_int_equal(ese_logwriter_close(w, &ei), 0);
	return out;
}

static void free_written(GPtrArray *a)
{
	for (guint i = 0; i < a->len; i++) {
		struct written *wr = g_ptr_array_index(a, i);

		g_free(wr->data);
		g_free(wr);
	}
	g_ptr_array_free(a, TRUE);
}

static void test_synthetic_round_trip(void **state)
{
	char *dir = jr_test_tmpdir("lw-synth");
	uint32_t last;
	unsigned nflush;
	GPtrArray *wr = write_synthetic(dir, 1, 16, 3000, &last, &nflush);
	ese_logreader_opts o;
	ese_logreader *r;
	ese_logrecord rec;
	const ese_logreader_stats *st;
	guint i = 0;
	JET_ERR err;

	(void)state;
	assert_true(last > 10);
	assert_true(nflush > 10);
	ese_logreader_opts_init(&o);
	o.return_nop2 = false;
	assert_int_equal(ese_logreader_open_range(dir, "edb", 1,
		ESE_LOGREADER_GEN_CURRENT, &o, &r, NULL), 0);
	while ((err = ese_logreader_next(r, &rec, NULL)) == JET_errSuccess) {
		struct written *x;

		assert_true(i < wr->len);
		x = g_ptr_array_index(wr, i);
		assert_int_equal(rec.size, x->len);
		assert_memory_equal(rec.data, x->data, x->len);
		assert_int_equal(ese_lgpos_cmp(&rec.lgpos, &x->lgpos), 0);
		if (x->len > 4056)
			assert_true(rec.nfragments >= 3);
		i++;
	}
	assert_int_equal(err, ESE_LOGREADER_END);
	assert_int_equal(i, wr->len);
	st = ese_logreader_stats_get(r);
	assert_int_equal(st->files, last);
	assert_int_equal(st->records, wr->len + st->nop2_records);
	assert_int_equal(st->nop2_records, nflush);
	assert_int_equal(st->header_bytes + st->record_bytes + st->nop_bytes,
			 st->inuse_bytes);
	assert_true(st->fragmented_records > 0);
	assert_int_equal(ese_logreader_header(r)->gen, last);
	assert_int_equal(ese_logreader_header(r)->sign_log.random, 0xC0FFEE01);
	ese_logreader_close(r);
	free_written(wr);
	g_free(dir);
}

/* Same input, same bytes; the current log is <base>.log with a shadow of
 * its last segment; names follow ESE's %05X scheme. */
static void test_deterministic_and_layout(void **state)
{
	char *d1 = jr_test_tmpdir("lw-det1"), *d2 = jr_test_tmpdir("lw-det2");
	uint32_t l1, l2;
	unsigned f1, f2;
	GPtrArray *a = write_synthetic(d1, 0x1FFFE, 32, 500, &l1, &f1);
	GPtrArray *b = write_synthetic(d2, 0x1FFFE, 32, 500, &l2, &f2);
	char *p1, *p2;
	uint8_t *x, *y;
	size_t lx, ly;
	ese_loghdr *h = g_new0(ese_loghdr, 1), *h0 = g_new0(ese_loghdr, 1);

	(void)state;
	assert_int_equal(l1, l2);
	p1 = g_build_filename(d1, "edb1FFFE.log", NULL);
	p2 = g_build_filename(d2, "edb1FFFE.log", NULL);
	x = jr_test_slurp(p1, &lx);
	y = jr_test_slurp(p2, &ly);
	assert_int_equal(lx, 32 * 4096);
	assert_int_equal(lx, ly);
	assert_memory_equal(x, y, lx);
	assert_int_equal(ese_loghdr_parse(x, lx, h0, NULL), 0);
	assert_int_equal(h0->gen, 0x1FFFE);
	assert_int_equal(h0->csec_lgfile, 32);
	assert_int_equal(h0->checksum_prev_log, 0);
	g_free(x);
	g_free(y);
	g_free(p1);
	g_free(p2);
	/* the next file's header chains to this one */
	p1 = g_build_filename(d1, "edb1FFFF.log", NULL);
	assert_int_equal(ese_loghdr_read_file(p1, h, NULL, NULL), 0);
	assert_int_equal(h->gen, 0x1FFFF);
	assert_int_equal(ese_logtime_cmp(&h->tm_prev_gen, &h0->tm_create), 0);
	assert_int_equal(h->tm_create.sec, (h0->tm_create.sec + 1) % 60);
	assert_true(h->checksum_prev_log != 0);
	g_free(p1);
	/* the current log: its last written segment has its shadow */
	p1 = g_build_filename(d1, "edb.log", NULL);
	x = jr_test_slurp(p1, &lx);
	assert_int_equal(ese_loghdr_parse(x, lx, h, NULL), 0);
	assert_int_equal(h->gen, l1);
	{
		unsigned last = 0;

		for (unsigned s = 1; s + 1 < 32; s++) {
			ese_logseg_check c;

			ese_logseg_classify(x + s * 4096, h->gen, (uint16_t)s,
					    &c);
			if (c.state != ESE_LOGSEG_VALID)
				break;
			last = s;
		}
		assert_true(last >= 1);
		assert_memory_equal(x + last * 4096, x + (last + 1) * 4096,
				    4096);
	}
	g_free(x);
	g_free(p1);
	g_free(h);
	g_free(h0);
	free_written(a);
	free_written(b);
	g_free(d1);
	g_free(d2);
}

/* ESE's placement: fewer than 32 bytes left -> NOP fill; otherwise a
 * FragmentBegin fills the rest. */
static void test_padding_rules(void **state)
{
	char *dir = jr_test_tmpdir("lw-pad");
	ese_signature sig = test_sig();
	ese_logwriter_params p;
	ese_logwriter *w;
	uint8_t rec[5000];
	ese_lgpos at;
	size_t len, n;
	uint8_t *f;
	char *path;

	(void)state;
	ese_logwriter_params_init(&p, dir, "T", 1, &sig);
	assert_int_equal(ese_logwriter_open(&p, &w, NULL), 0);
	/* fill segment 1 to 20 bytes before its end */
	len = make_insert(rec, (uint16_t)(4096 - 40 - 20 - 54), 1);
	assert_int_equal(ese_logwriter_append(w, rec, len, &at, NULL), 0);
	assert_int_equal(at.isec, 1);
	assert_int_equal(at.ib, 0);
	/* a 100-byte record: NOP fill, starts segment 2 whole */
	len = make_insert(rec, 46, 2);
	assert_int_equal(len, 100);
	assert_int_equal(ese_logwriter_append(w, rec, len, &at, NULL), 0);
	assert_int_equal(at.isec, 1);              /* ESE: where the last ended */
	assert_int_equal(at.ib, 4096 - 20);
	/* fill segment 2 to 40 bytes before its end */
	len = make_insert(rec, (uint16_t)(4096 - 40 - 100 - 40 - 54), 3);
	assert_int_equal(ese_logwriter_append(w, rec, len, &at, NULL), 0);
	/* a 100-byte record now fragments: 33 bytes here, 67 next */
	len = make_insert(rec, 46, 4);
	assert_int_equal(ese_logwriter_append(w, rec, len, &at, NULL), 0);
	assert_int_equal(at.isec, 2);
	assert_int_equal(at.ib, 4096 - 40);
	assert_int_equal(ese_logwriter_close(w, NULL), 0);

	path = g_build_filename(dir, "T.log", NULL);
	f = jr_test_slurp(path, &n);
	/* segment 1: 20 NOP bytes at the end */
	for (size_t i = 4096 - 20; i < 4096; i++)
		assert_int_equal(f[4096 + i], 0);
	/* segment 2 starts with the 100-byte Insert */
	assert_int_equal(f[2 * 4096 + 40], ESE_LRTYP_INSERT);
	/* ... and ends with a FragmentBegin of 33 bytes of a 100 total */
	assert_int_equal(f[2 * 4096 + 4096 - 40], ESE_LRTYP_FRAGMENT_BEGIN);
	assert_int_equal(jr_le32(f + 2 * 4096 + 4096 - 39), 100);
	assert_int_equal(jr_le16(f + 2 * 4096 + 4096 - 35), 33);
	/* segment 3: Fragment of 67 */
	assert_int_equal(f[3 * 4096 + 40], ESE_LRTYP_FRAGMENT);
	assert_int_equal(jr_le16(f + 3 * 4096 + 41), 67);
	/* segment 3 is the last: shadow copy at sector 4, then zeros */
	assert_memory_equal(f + 3 * 4096, f + 4 * 4096, 4096);
	for (size_t i = 5 * 4096; i < n; i++)
		assert_int_equal(f[i], 0);
	g_free(f);
	g_free(path);
	g_free(dir);
}

static void test_refused(void **state)
{
	char *dir = jr_test_tmpdir("lw-refused");
	ese_signature sig = test_sig();
	ese_logwriter_params p;
	ese_logwriter *w;
	static uint8_t rec[70000];
	jr_errinfo ei;
	size_t len;

	(void)state;
	ese_logwriter_params_init(&p, "/nonexistent/dir", "T", 1, &sig);
	assert_int_equal(ese_logwriter_open(&p, &w, &ei), JET_errInvalidPath);
	ese_logwriter_params_init(&p, dir, "T", 0, &sig);
	assert_int_equal(ese_logwriter_open(&p, &w, NULL),
			 JET_errInvalidParameter);
	ese_logwriter_params_init(&p, dir, "T", 1, &sig);
	assert_int_equal(ese_logwriter_open(&p, &w, NULL), 0);
	len = make_insert(rec, 10, 1);
	jr_errinfo_clear(&ei);
	/* length differs from the record's own */
	assert_int_equal(ese_logwriter_append(w, rec, len - 1, NULL, &ei),
			 JET_errInvalidParameter);
	/* padding and fragments are the writer's own business */
	rec[0] = ESE_LRTYP_FRAGMENT;
	assert_int_equal(ese_logwriter_append(w, rec, 3, NULL, NULL),
			 JET_errInvalidParameter);
	rec[0] = ESE_LRTYP_NOP;
	assert_int_equal(ese_logwriter_append(w, rec, 1, NULL, NULL),
			 JET_errInvalidParameter);
	/* larger than a 64 KiB file's data area */
	len = make_split2(rec, 60000, 1);
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_logwriter_append(w, rec, len, NULL, &ei),
			 JET_errInvalidParameter);
	assert_non_null(strstr(ei.detail, "does not fit"));
	/* the writer is still usable */
	len = make_insert(rec, 10, 1);
	assert_int_equal(ese_logwriter_append(w, rec, len, NULL, NULL), 0);
	assert_int_equal(ese_logwriter_close(w, NULL), 0);
	g_free(dir);
}

/* A larger set (1 MiB generations) as the benchmarks use: read back with
 * the reader's bounded memory. */
static void test_large_set(void **state)
{
	char *dir = jr_test_tmpdir("lw-large");
	uint32_t last;
	unsigned nflush;
	GPtrArray *wr = write_synthetic(dir, 0x100, 256, 20000, &last, &nflush);
	ese_logreader *r;
	uint64_t n = 0;
	ese_logrecord rec;
	JET_ERR err;

	(void)state;
	assert_true(last > 0x100 + 5);
	assert_int_equal(ese_logreader_open_range(dir, "edb", 0x100, last,
						  NULL, &r, NULL), 0);
	while ((err = ese_logreader_next(r, &rec, NULL)) == JET_errSuccess)
		n++;
	assert_int_equal(err, ESE_LOGREADER_END);
	assert_int_equal(n, wr->len + nflush);
	assert_int_equal(ese_logreader_stats_get(r)->files, last - 0x100 + 1);
	ese_logreader_close(r);
	free_written(wr);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite_windows_files),
		cmocka_unit_test(test_synthetic_round_trip),
		cmocka_unit_test(test_deterministic_and_layout),
		cmocka_unit_test(test_padding_rules),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_large_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
