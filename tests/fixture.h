/*
 * fixture.h - jetrestore-specific helpers shared by the cmocka tests
 * (the generic file helpers are in testutil.h).
 */
#ifndef JR_TESTS_FIXTURE_H
#define JR_TESTS_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "jetrestore.h"
#include "recover/dbcheck.h"

/* jr_dbcheck of db finds no problem; fails the test with the first
 * problem's page and reason otherwise. Inline, not in libtestutil: the
 * tests link libtestutil after libjrcore, so a libjrcore function called
 * only from libtestutil would be left unresolved. */
static inline void jr_test_check_sound(const char *db)
{
	jr_dbcheck_result chk;
	jr_errinfo ei;

	assert_int_equal(jr_dbcheck(db, NULL, &chk, &ei), 0);
	if (chk.problems.total)
		fail_msg("check: page %u: %s", chk.problems.items[0].pgno,
			 chk.problems.items[0].reason);
	jr_dbcheck_free(&chk);
}

/* What a JET_PFNSTATUS callback was told during one restore. */
#define JR_TEST_STATUS_MAX 4096
typedef struct {
	JET_SNT snt[JR_TEST_STATUS_MAX];
	uint32_t done[JR_TEST_STATUS_MAX], total[JR_TEST_STATUS_MAX];
	unsigned n;
	int stop_after;          /* return JET_errDiskFull at this progress
				  * call (0: never) */
} jr_test_status_log;

/* The log jr_test_record_status fills; zero it before a call. */
extern jr_test_status_log jr_test_status;

/* A JET_PFNSTATUS for restores: asserts sesid 0, JET_snpRestore, a
 * JET_SNPROG of the right size with every progress call and none
 * otherwise, and room in the log; records each call in jr_test_status. */
JET_ERR jr_test_record_status(JET_SESID sesid, JET_SNP snp, JET_SNT snt,
			      void *pv);

/* Asserts the log is Begin, progress calls (done <= total, one total,
 * done never going back), Complete; returns the number of progress calls. */
unsigned jr_test_status_sequence(const jr_test_status_log *s);

#endif
