/*
 * rstmap.h - the restore map: which databases of a backup set to restore,
 * and where each one goes.
 *
 * A map entry names a database the way the backup recorded it and gives its
 * new path. The recorded name is usually a Windows path taken from the log
 * files' attach lists ("C:\Windows\system32\SRU\SRUDB.dat"); a user may also
 * write just the file name ("SRUDB.dat"), a tail of the path
 * ("sru\srudb.dat"), or the name of the copy in the backup directory.
 * Matching follows ESE's rules for file names (UtilCmpFileName): case does
 * not matter (Unicode simple case folding of UTF-8), and '\' and '/' both
 * separate components. ESE matches a logged name to a map entry by the
 * longest tail (ErrReplaceRstMapEntryByName); we do the same, component by
 * component:
 *
 *   score  how the old name matches a candidate database
 *   1000   equal to a path the logs record for the database
 *   10*k   its k components equal the last k components of such a path
 *          (k = 1: the base names are equal)
 *   10     its base name equals the copy's file name in the backup dir
 *   0      no match
 *
 * Each entry selects the candidate with the highest score. Errors (ESE's
 * numbers):
 *   -1003 InvalidParameter  a negative count, a NULL map with a positive
 *                           count or a map with a zero count, more than
 *                           JR_RSTMAP_MAX entries (ESE: 2 * dbidMax), an
 *                           empty or NULL name, an old name that is not
 *                           UTF-8, a bad new name (ends with '/', final
 *                           component "." or "..", contains '\': a
 *                           Windows path is not a target on this system,
 *                           or longer than PATH_MAX), two entries with one
 *                           old name or one new name, an entry whose best
 *                           score is shared by two databases (ambiguous),
 *                           two entries selecting one database.
 *   -1811 FileNotFound      an entry that matches no database.
 *
 * Nothing here allocates: the caller owns every string and array.
 */
#ifndef JR_RESTORE_RSTMAP_H
#define JR_RESTORE_RSTMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/errinfo.h"

/* ESE caps a restore map at twice dbidMax (7) entries. */
#define JR_RSTMAP_MAX 14

/* One entry, as JET_RSTMAP or a request from the job layer gives it. */
typedef struct {
	const char *old_name;   /* as recorded (Windows path) or a file name */
	const char *new_name;   /* target path */
} jr_rstmap_entry;

/* A database of the backup set that a map entry may select. */
typedef struct {
	const char *file_name;          /* the copy's name in the backup dir */
	const char *const *recorded;    /* paths the logs record for it */
	unsigned n_recorded;
} jr_rstmap_candidate;

/* Final component of a Windows or POSIX path: what follows the last '\',
 * '/' or drive colon ("C:x" -> "x"). Points into path. */
const char *jr_path_base(const char *path);

/* Whether a and b name the same file by ESE's rule: component by
 * component, case-insensitively, '\' and '/' alike, empty components
 * (doubled separators) ignored. */
bool jr_path_equal_ci(const char *a, const char *b);

/* When every component of `tail` equals the corresponding trailing
 * component of `full` (same rule), how many components `tail` has;
 * otherwise 0. jr_path_tail_match("C:\\a\\B\\c.dat", "b/C.DAT") == 2. */
unsigned jr_path_tail_match(const char *full, const char *tail);

/* The parameter rules above that do not need the backup set (count, NULL
 * pointers, names, duplicates). map may be NULL only when n == 0. */
JET_ERR jr_rstmap_validate(const jr_rstmap_entry *map, long n,
			   jr_errinfo *ei);

/* Score of entry old name `old` against candidate c (table above). */
unsigned jr_rstmap_score(const char *old, const jr_rstmap_candidate *c);

/*
 * Match a validated map against the candidates: entry_of[i] receives the
 * index of the entry selecting candidate i, or -1. Every entry must select
 * exactly one candidate and no candidate two entries (errors above).
 */
JET_ERR jr_rstmap_match(const jr_rstmap_entry *map, long n,
			const jr_rstmap_candidate *c, unsigned nc,
			long *entry_of, jr_errinfo *ei);

#endif
