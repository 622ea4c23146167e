/*
 * logchain.h - the generation chain of one log set, from a scan.
 *
 * A log set is the run of generations genLow..genHigh of one base name
 * ("SRU", "edb", "E00"): archived logs BASE<gen>.log and, usually, the
 * current log BASE.log holding the highest generation. The chain is sound
 * when every generation in between is present exactly once, every file's
 * header names the generation its name claims, all carry one log signature,
 * and each file's previous-generation time equals the creation time of the
 * file before it (ESE's contiguity test).
 *
 * Files that make no claim by their name (a recycled BASEtmp.log, zero-filled
 * reserve logs *.jrs, a log of another base name) are listed as strays with
 * the reason; they never fail the chain.
 *
 * Errors (ESE's numbers): -528 MissingLogFile (a gap, naming the missing
 * file), -513 LogGenerationMismatch (name and header disagree, or two files
 * hold one generation), -530 BadLogSignature (another log sequence), -515
 * InvalidLogSequence (previous-generation time does not chain), -501
 * LogFileCorrupt (a member's header is damaged), -1003 InvalidParameter
 * (several base names and none chosen).
 *
 * Ownership: jr_logchain_build() fills *out; release with
 * jr_logchain_clear(). Entries point into the jr_scan, which must outlive
 * the chain.
 */
#ifndef JR_RESTORE_LOGCHAIN_H
#define JR_RESTORE_LOGCHAIN_H

#include "restore/scan.h"

typedef struct {
	const jr_scan_entry *entry;
	const char *reason;           /* static text */
} jr_logchain_stray;

typedef struct {
	char base[JET_BASE_NAME_LENGTH + 1];
	ese_signature sign_log;
	uint32_t gen_low, gen_high;   /* both 0 when the set has no log */
	unsigned n;                   /* gen_high - gen_low + 1, or 0 */
	const jr_scan_entry **by_gen; /* by_gen[g - gen_low] */
	const jr_scan_entry *current; /* BASE.log, or NULL */
	unsigned name_digits;         /* 5 or 8: how archived names are made */
	unsigned n_strays;
	jr_logchain_stray *strays;
} jr_logchain;

/* The single base name among the scan's log files named as ESE names
 * them (base[] gets JET_BASE_NAME_LENGTH + 1 bytes; "" when there is
 * none); -1003 naming two of them when there are several. */
JET_ERR jr_logchain_pick_base(const jr_scan *s, char *base, jr_errinfo *ei);

/* Build and check the chain of base name `base` (NULL: the only base name
 * present). A set without any log gives n == 0 and success: the caller
 * decides whether logs are required. */
JET_ERR jr_logchain_build(const jr_scan *s, const char *base, jr_logchain *out,
			  jr_errinfo *ei);

/* The file name ESE gives generation gen in this set ("SRU0005A.log");
 * the current log's generation gets BASE.log only when it is the current
 * file. Returns out. */
char *jr_logchain_name(const jr_logchain *c, uint32_t gen, char *out,
		       size_t n);

void jr_logchain_clear(jr_logchain *c);

#endif
