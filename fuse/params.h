/*
 * params.h - the values that the .restore/ control files and the -o mount
 * options carry: their text syntax, validation and canonical text.
 *
 * Every parser takes the text as written (bytes, not necessarily
 * NUL-terminated), checks all of it and either fills its output or fails
 * with -1003 JET_errInvalidParameter and a detail saying what is wrong; on
 * failure the output is left untouched. Nothing here touches the FUSE layer
 * or the file system except jrfs_parse_target(), which checks that the
 * directories exist.
 *
 * Syntax (the same for a control-file write and for a mount option):
 *   mode     "auto" | "hard" | "soft"
 *   loginfo  "GENLOW GENHIGH BASE" (whitespace or ':' between; numbers in
 *            decimal or 0x hex; BASE is ESE's three-character base name);
 *            empty text clears it (take the range from the headers)
 *   target   "LOGDIR CHECKPOINTDIR" on one line, or one directory per line
 *            (then a path may hold spaces); absolute paths of existing
 *            directories; empty text clears both
 *   rstmap   one "OLD NEW" line per database; '#' starts a comment line.
 *            OLD is a database of the backup set (its file name, or a
 *            recorded path whose last component is that name, compared
 *            without case); NEW is the name it gets in the mount.
 *   size     "1048576", "512K", "100M", "2G", "1T" (binary units; "KiB",
 *            "MB"... accepted)
 *
 * Ownership: strings returned (char * outputs) are g_malloc'd and the
 * caller frees them with g_free(); jrfs_params owns its strings.
 */
#ifndef JR_FUSE_PARAMS_H
#define JR_FUSE_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jetrestore.h"
#include "restore/job.h"
#include "util/errinfo.h"

/* Longest control value accepted (a write beyond fails with -1003). */
#define JRFS_CONTROL_MAX 65536

/* The recovery parameters that apply to every database of the mount
 * (the restore map is per database and lives with the database). */
typedef struct {
	jr_mode mode;
	bool have_loginfo;
	uint32_t gen_low, gen_high;
	char base[JET_BASE_NAME_LENGTH + 1];
	char *target_logs;          /* NULL, or both set */
	char *target_checkpoint;
} jrfs_params;

void jrfs_params_init(jrfs_params *p);
/* Frees the strings p owns and resets it to the defaults. */
void jrfs_params_clear(jrfs_params *p);
/* dst := deep copy of src (dst's old strings are freed). */
void jrfs_params_copy(jrfs_params *dst, const jrfs_params *src);

/* "auto", "hard" or "soft". */
const char *jrfs_mode_name(jr_mode mode);

JET_ERR jrfs_parse_mode(const char *text, size_t len, jr_mode *out,
			jr_errinfo *ei);

/* Sets p's loginfo fields (or clears them for empty text). */
JET_ERR jrfs_parse_loginfo(const char *text, size_t len, jrfs_params *p,
			   jr_errinfo *ei);

/* Sets *logs and *checkpoint (both g_malloc'd), or both NULL for empty
 * text. The caller frees what was there before. */
JET_ERR jrfs_parse_target(const char *text, size_t len, char **logs,
			  char **checkpoint, jr_errinfo *ei);

/* sources[0..n) are the databases' own names. On success names[i] is the
 * new name of sources[i] (its own name when the map does not list it),
 * each g_malloc'd; the caller frees the old contents of names first. */
JET_ERR jrfs_parse_rstmap(const char *text, size_t len,
			  char *const *sources, unsigned n, char **names,
			  jr_errinfo *ei);

/* A name the mount can show a database under: not empty, no '/', not "."
 * or "..", no control characters, at most 255 bytes, not a name the mount
 * itself uses ("raw", ".restore"). */
JET_ERR jrfs_check_name(const char *name, jr_errinfo *ei);

JET_ERR jrfs_parse_size(const char *text, uint64_t *out, jr_errinfo *ei);

/* Canonical text of a value as the control file shows it ("" when unset),
 * g_malloc'd. */
char *jrfs_format_loginfo(const jrfs_params *p);
char *jrfs_format_target(const jrfs_params *p);
char *jrfs_format_rstmap(char *const *sources, char *const *names, unsigned n);

/* Split text into whitespace-separated words (for `start` and `cancel`):
 * a NULL-terminated g_strfreev() vector; -1003 for NUL bytes or no word. */
JET_ERR jrfs_split_words(const char *text, size_t len, char ***words,
			 jr_errinfo *ei);

#endif
