/*
 * fixture.c - jetrestore-specific test helpers (see fixture.h).
 */
#include "fixture.h"

jr_test_status_log jr_test_status;

JET_ERR jr_test_record_status(JET_SESID sesid, JET_SNP snp, JET_SNT snt,
			      void *pv)
{
	jr_test_status_log *s = &jr_test_status;
	const JET_SNPROG *pr = pv;

	assert_int_equal(sesid, 0);
	assert_int_equal(snp, JET_snpRestore);
	assert_true(s->n < JR_TEST_STATUS_MAX);
	s->snt[s->n] = snt;
	if (snt == JET_sntProgress) {
		assert_non_null(pr);
		assert_int_equal(pr->cbStruct, sizeof(JET_SNPROG));
		s->done[s->n] = pr->cunitDone;
		s->total[s->n] = pr->cunitTotal;
	} else {
		assert_null(pv);
	}
	s->n++;
	if (snt == JET_sntProgress && s->stop_after && --s->stop_after == 0)
		return JET_errDiskFull;
	return 0;
}

unsigned jr_test_status_sequence(const jr_test_status_log *s)
{
	unsigned progress = 0;

	assert_true(s->n >= 4);
	assert_int_equal(s->snt[0], JET_sntBegin);
	assert_int_equal(s->snt[s->n - 1], JET_sntComplete);
	for (unsigned i = 1; i + 1 < s->n; i++) {
		assert_int_equal(s->snt[i], JET_sntProgress);
		assert_true(s->done[i] <= s->total[i]);
		assert_int_equal(s->total[i], s->total[1]);
		if (i > 1)
			assert_true(s->done[i] >= s->done[i - 1]);
		progress++;
	}
	return progress;
}
