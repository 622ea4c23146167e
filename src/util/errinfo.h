/*
 * errinfo.h - a JET_ERR together with where and why it happened.
 *
 * Convention for the whole library: a function that can fail returns a
 * JET_ERR and takes an optional `jr_errinfo *ei` last. On failure it calls
 * jr_fail(), which records the error and a detail line ("SRU0005A.log:
 * segment 3 checksum mismatch at lgpos (0x5a,0x18,0)") and returns the error,
 * so that `return jr_fail(ei, JET_errLogFileCorrupt, "...", ...)` is one line.
 * The first failure recorded wins: callers further up may add context with
 * jr_errinfo_prefix() but never overwrite the error number.
 *
 * ei may be NULL (the detail is then dropped). A jr_errinfo owns no heap
 * memory: it can live on the stack and needs no cleanup.
 */
#ifndef JR_UTIL_ERRINFO_H
#define JR_UTIL_ERRINFO_H

#include "jetrestore.h"

typedef struct jr_errinfo {
	JET_ERR err;        /* 0 until a failure is recorded */
	char detail[512];   /* NUL-terminated, possibly truncated */
} jr_errinfo;

/* Reset ei to "no error". */
void jr_errinfo_clear(jr_errinfo *ei);

/* Record err with a printf-style detail unless ei already holds an error;
 * returns err in every case. */
JET_ERR jr_fail(jr_errinfo *ei, JET_ERR err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepend "prefix: " to the detail of a recorded error (e.g. a file name). */
void jr_errinfo_prefix(jr_errinfo *ei, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* JR_UTIL_ERRINFO_H */
