/*
 * errinfo.c - recording a JET_ERR with its detail line.
 */
#include "util/errinfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void jr_errinfo_clear(jr_errinfo *ei)
{
	if (!ei)
		return;
	ei->err = JET_errSuccess;
	ei->detail[0] = '\0';
}

JET_ERR jr_fail(jr_errinfo *ei, JET_ERR err, const char *fmt, ...)
{
	va_list ap;

	if (!ei || ei->err != JET_errSuccess)
		return err;
	ei->err = err;
	va_start(ap, fmt);
	vsnprintf(ei->detail, sizeof(ei->detail), fmt, ap);
	va_end(ap);
	return err;
}

void jr_errinfo_prefix(jr_errinfo *ei, const char *fmt, ...)
{
	char prefix[256];
	size_t plen, keep, cap;
	va_list ap;

	if (!ei || ei->err == JET_errSuccess)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	/* detail := prefix ": " detail, truncated to fit. */
	plen = strlen(prefix);
	cap = sizeof(ei->detail) - 1;
	if (plen + 2 > cap)
		plen = cap - 2;
	keep = strlen(ei->detail);
	if (keep > cap - plen - 2)
		keep = cap - plen - 2;
	memmove(ei->detail + plen + 2, ei->detail, keep);
	memcpy(ei->detail, prefix, plen);
	ei->detail[plen] = ':';
	ei->detail[plen + 1] = ' ';
	ei->detail[plen + 2 + keep] = '\0';
}
