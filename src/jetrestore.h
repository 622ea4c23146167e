/*
 * jetrestore.h - public interface of libjetrestore.
 *
 * libjetrestore recovers Microsoft ESE ("Jet Blue", esent.dll) databases on
 * Linux from the real on-disk formats. The names and numbers of the types and
 * error codes below are ESE's own, so that code and documentation written
 * against esent carry over; paths are UTF-8 byte strings.
 *
 * Memory: unless a function says otherwise, strings it returns point into
 * static read-only tables and must not be freed; buffers passed in remain the
 * caller's. No function keeps a pointer to caller memory after it returns.
 *
 * Thread safety: the library has no global mutable state; distinct calls on
 * distinct objects may run concurrently.
 */
#ifndef JETRESTORE_H
#define JETRESTORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Errors
 *
 * JET_ERR is ESE's error type: 0 is success, negative values are errors
 * (ESE's numbers), positive values are warnings. Every function of this
 * library that can fail returns one.
 * ------------------------------------------------------------------- */
typedef int32_t JET_ERR;

#define JET_errSuccess                                   0 /* the operation succeeded */
#define JET_errDatabaseBufferDependenciesCorrupted    -255 /* a split or merge needed a page image the log does not hold */
#define JET_errInvalidLoggedOperation                 -500 /* a log record describes an operation that cannot be applied */
#define JET_errLogFileCorrupt                         -501 /* a log file is damaged: a header, segment or record failed validation */
#define JET_errMissingPreviousLogFile                 -509 /* the log generation that precedes the first one present is required but missing */
#define JET_errLogGenerationMismatch                  -513 /* a log file's header names a different generation than its place in the sequence */
#define JET_errBadLogVersion                          -514 /* the log file format version is not one this tool reads */
#define JET_errInvalidLogSequence                     -515 /* the log files do not form one continuous sequence */
#define JET_errLogSequenceEnd                         -519 /* the log generation number space is exhausted */
#define JET_errInvalidBackup                          -526 /* the backup set is incomplete or inconsistent */
#define JET_errMissingLogFile                         -528 /* a log generation needed for recovery is missing */
#define JET_errBadLogSignature                        -530 /* a log file belongs to another log sequence (its log signature differs) */
#define JET_errBadDbSignature                         -531 /* a database does not match the database signature recorded in the logs */
#define JET_errBadCheckpointSignature                 -532 /* the checkpoint belongs to another log sequence */
#define JET_errCheckpointCorrupt                      -533 /* the checkpoint file is damaged in both of its copies */
#define JET_errBadPatchPage                           -535 /* the backup's trailer (patch) page does not match its database */
#define JET_errRedoAbruptEnded                        -536 /* the log ended in the middle of an operation */
#define JET_errDatabaseLogSetMismatch                 -539 /* the database does not belong to this log set */
#define JET_errLogFileSizeMismatch                    -541 /* a log file's size differs from the size its header declares */
#define JET_errCheckpointFileNotFound                 -542 /* no checkpoint file was found where one is required */
#define JET_errRequiredLogFilesMissing                -543 /* log generations the database requires are not present */
#define JET_errSoftRecoveryOnBackupDatabase           -544 /* soft recovery was asked of a database restored from backup */
#define JET_errLogSectorSizeMismatch                  -546 /* the log files do not share one sector size */
#define JET_errDatabaseDirtyShutdown                  -550 /* the database was not shut down cleanly and needs recovery */
#define JET_errConsistentTimeMismatch                 -551 /* the database's consistent time does not match the log's record of it */
#define JET_errDatabasePatchFileMismatch              -552 /* the patch data does not belong to this database */
#define JET_errEndingRestoreLogTooLow                 -553 /* a backup log's generation is above the highest generation of the restore range */
#define JET_errStartingRestoreLogTooHigh              -554 /* a backup log's generation is below the lowest generation of the restore range */
#define JET_errGivenLogFileHasBadSignature            -555 /* a log in the restore set carries another log signature */
#define JET_errGivenLogFileIsNotContiguous            -556 /* the logs of the restore set have a gap */
#define JET_errMissingRestoreLogFiles                 -557 /* log files of the restore range are missing */
#define JET_errMissingCurrentLogFiles                 -565 /* the current log file (the one without a generation in its name) is missing */
#define JET_errDbTimeTooOld                           -566 /* a page is older than the log expects */
#define JET_errDbTimeTooNew                           -567 /* a page is newer than the log expects */
#define JET_errBadRestoreTargetInstance               -577 /* the target-instance directory is not a log set that continues the backup */
#define JET_errCommittedLogFilesMissing               -582 /* log files holding committed transactions are missing */
#define JET_errLogSequenceChecksumMismatch            -590 /* the running checksum of the previous log does not match */
#define JET_errExistingLogFileHasBadSignature         -610 /* a log in the target log directory carries another log signature */
#define JET_errExistingLogFileIsNotContiguous         -611 /* the logs in the target log directory do not continue the sequence */
#define JET_errLogReadVerifyFailure                   -612 /* a log segment failed its checksum */
#define JET_errRestoreOfNonBackupDatabase             -615 /* the database carries no backup information and cannot be restored from backup */
#define JET_errDbTimeBeyondMaxRequired                -625 /* a page already holds a change the log expects to apply after the required range */
#define JET_errLogOperationInconsistentWithDatabase   -626 /* a log operation does not fit the page it applies to */
#define JET_errTermInProgress                        -1000 /* the operation was stopped: shutting down or cancelled */
#define JET_errInvalidParameter                      -1003 /* a parameter is invalid */
#define JET_errOutOfMemory                           -1011 /* out of memory */
#define JET_errReadVerifyFailure                     -1018 /* a page failed its checksum */
#define JET_errPageNotInitialized                    -1019 /* a page that should hold data is blank */
#define JET_errDiskIO                                -1022 /* an input/output error occurred */
#define JET_errInvalidPath                           -1023 /* the path is not a usable file or directory */
#define JET_errFileAccessDenied                      -1032 /* permission to the file was denied */
#define JET_errRunningInOneInstanceMode              -1080 /* another restore is already using this target */
#define JET_errRecoveryVerifyFailure                 -1123 /* pages read during recovery are not in the state the log expects */
#define JET_errDatabaseCorrupted                     -1206 /* the database file is damaged or is not a database */
#define JET_errInvalidDatabaseVersion                -1209 /* the database format version is not one this tool reads */
#define JET_errPageSizeMismatch                      -1213 /* the page size does not match the database's */
#define JET_errDecompressionFailed                   -1620 /* compressed data (a page image in the log) could not be decompressed */
#define JET_errDiskFull                              -1808 /* no space left on the output device */
#define JET_errFileNotFound                          -1811 /* a required file does not exist */
#define JET_errFileInvalidType                       -1812 /* the file is not of the kind required here */
#define JET_errFileAlreadyExists                     -1814 /* the output file already exists */

/*
 * Returns ESE's symbolic name of err without the "JET_err" prefix
 * ("LogFileCorrupt"), or "Unknown" for a number this library does not use.
 */
const char *jet_error_name(JET_ERR err);

/* Returns a one-line English description of err (static, never NULL). */
const char *jet_error_message(JET_ERR err);

/* ---------------------------------------------------------------------
 * Status notification (JET_PFNSTATUS)
 * ------------------------------------------------------------------- */
typedef uintptr_t JET_SESID;     /* always 0 here: we have no sessions */
typedef uint32_t JET_SNP;        /* status notification process */
typedef uint32_t JET_SNT;        /* status notification type */

#define JET_snpRestore   8u      /* the process: restore / recovery */

#define JET_sntProgress  0u      /* pv is a JET_SNPROG */
#define JET_sntFail      3u      /* the operation failed; pv is NULL */
#define JET_sntBegin     5u      /* the operation starts; pv is NULL */
#define JET_sntComplete  6u      /* the operation finished; pv is NULL */

/* Progress of an operation: cunitDone of cunitTotal units of work. */
typedef struct {
	uint32_t cbStruct;       /* sizeof(JET_SNPROG) */
	uint32_t cunitDone;      /* never decreases during one operation */
	uint32_t cunitTotal;
} JET_SNPROG;

/*
 * The status callback. A non-negative return lets the operation continue;
 * a negative JET_ERR stops it and becomes its result.
 */
typedef JET_ERR (*JET_PFNSTATUS)(JET_SESID sesid, JET_SNP snp, JET_SNT snt,
				 void *pv);

/* ---------------------------------------------------------------------
 * Restore parameters
 * ------------------------------------------------------------------- */

/* One database of a restore: its path as recorded by the backup (a Windows
 * path such as "C:\\Windows\\System32\\sru\\SRUDB.dat" is fine) and where the
 * restored copy goes. Both strings remain the caller's. */
typedef struct {
	char *szDatabaseName;
	char *szNewDatabaseName;
} JET_RSTMAP;

#define JET_BASE_NAME_LENGTH 3

/* The log range of a backup: generations genLow..genHigh of the log set
 * whose files are named szBaseName ("edb", "SRU", "E00", ...).
 * cbSize must be sizeof(JET_LOGINFO). */
typedef struct {
	uint32_t cbSize;
	uint32_t ulGenLow;
	uint32_t ulGenHigh;
	char     szBaseName[JET_BASE_NAME_LENGTH + 1];
} JET_LOGINFO;

/* File types, as stored in every ESE file header (offset 667). */
#define JET_filetypeUnknown        0
#define JET_filetypeDatabase       1
#define JET_filetypeStreamingFile  2
#define JET_filetypeLog            3
#define JET_filetypeCheckpoint     4
#define JET_filetypeTempDatabase   5
#define JET_filetypeFTL            6
#define JET_filetypeFlushMap       7

/* ---------------------------------------------------------------------
 * Hard recovery of an external (streaming) backup
 * ------------------------------------------------------------------- */

/*
 * JetExternalRestore2 - restore the databases of a backup taken with ESE's
 * external backup API (JetBeginExternalBackup... : database copies whose
 * headers carry backup information and end with a trailer page, plus the
 * logs copied during the backup) into clean databases.
 *
 * Parameters (paths are UTF-8; every string and array stays the caller's):
 *   szCheckpointFilePath  ESE keeps the restore's checkpoint here. We keep
 *                         the replay position in memory and write no
 *                         checkpoint; when not NULL it must be an existing
 *                         directory.
 *   szLogPath             the restore's working directory. Logs found here
 *                         that continue the backup's (same base name and
 *                         log signature, generations genHigh+1...) are
 *                         rolled forward after them, as ESE does when its
 *                         restore instance runs in the original log
 *                         directory; when no restore map is given the
 *                         restored databases are written here under their
 *                         own names, and a relative szNewDatabaseName is
 *                         relative to it. NULL means szBackupLogPath
 *                         (then a restore map with absolute targets is
 *                         needed: the backup directory is never written).
 *   rgrstmap, crstfilemap the restore map: szDatabaseName names a
 *                         database as the backup recorded it (a Windows
 *                         path such as "C:\\Windows\\system32\\dhcp\\
 *                         dhcp.mdb", a tail of it, its base name, or the
 *                         copy's file name in the backup directory; case
 *                         does not matter) and szNewDatabaseName the path
 *                         of the restored copy. Databases not in the map
 *                         are skipped. NULL / 0: every database of the
 *                         backup directory, under its own name.
 *   szBackupLogPath       the backup directory: the database copies and
 *                         the logs read during the backup. Read only:
 *                         nothing there is written, renamed or deleted.
 *   pLogInfo              cbSize must be sizeof(JET_LOGINFO). ulGenLow /
 *                         ulGenHigh: the log range of the backup; 0 takes
 *                         it from the logs present (and then a generation
 *                         a database needs outside them is -1811 naming
 *                         the file). szBaseName: the logs' base name
 *                         ("edb", "E00", "SRU" ...); "" when the backup
 *                         directory holds one log set. Not changed.
 *   szTargetInstanceName  deprecated in ESE; must be NULL.
 *   szTargetInstanceLogPath, szTargetInstanceCheckpointPath
 *                         both or neither: the log and checkpoint
 *                         directories of the instance the databases
 *                         belonged to. Its logs newer than genHigh (same
 *                         base name and log signature) are rolled forward
 *                         after the backup's; not when its logs show
 *                         circular logging (ESE's rule: such logs are
 *                         recycled).
 *   pfn                   status callback, may be NULL: JET_snpRestore
 *                         with JET_sntBegin, then JET_sntProgress (pv a
 *                         JET_SNPROG whose cunitDone never decreases),
 *                         then JET_sntComplete, or JET_sntFail when the
 *                         restore fails after it began. A negative return
 *                         stops the restore with that error.
 *
 * Result: every database selected is written at its target, CleanShutdown,
 * with the backup information cleared as ESE clears it after a hard
 * restore. The targets are built under a temporary name and renamed when
 * complete: after a failure (or a crash) no partial target exists.
 *
 * Errors (ESE's numbers and meanings):
 *   -1003 InvalidParameter    szTargetInstanceName not NULL; one target
 *                             directory without the other; pLogInfo NULL,
 *                             a cbSize other than sizeof(JET_LOGINFO), a
 *                             base name not 3 letters or digits, genLow
 *                             above genHigh; szBackupLogPath NULL; restore
 *                             map: a negative count, a NULL map with a
 *                             positive count, a map with count 0, more than
 *                             14 entries, empty names, two entries with one
 *                             old or one new name, a name matching two
 *                             databases, two entries for one database, a
 *                             new name that is a Windows path or no file
 *                             name; two databases to one target.
 *   -1023 InvalidPath         a directory parameter that is not a
 *                             directory; a target whose directory is
 *                             missing, that is a directory, lies in the
 *                             backup directory or is an input file.
 *   -1811 FileNotFound        a directory parameter that does not exist;
 *                             no database or no log in the backup
 *                             directory; a log generation of the restore
 *                             range missing (the detail names the file); a
 *                             map entry that matches no database.
 *   -554 StartingRestoreLogTooHigh  a backup log below genLow, or a
 *                             database needing logs below genLow.
 *   -553 EndingRestoreLogTooLow     a backup log above genHigh, or a
 *                             database needing logs above genHigh.
 *   -555 GivenLogFileHasBadSignature, -556 GivenLogFileIsNotContiguous:
 *                             the backup's logs are of two log sequences /
 *                             do not chain by their creation times.
 *   -615 RestoreOfNonBackupDatabase a selected database carries no backup
 *                             information (recover it with soft recovery).
 *   -1206 DatabaseCorrupted   a selected file is not a database, or its
 *                             header is damaged in both copies.
 *   -535 BadPatchPage         the trailer page fails its checksum.
 *   -552 DatabasePatchFileMismatch  the trailer page is another database's
 *                             or another backup's, or of another log
 *                             sequence.
 *   -539 DatabaseLogSetMismatch     a copy whose trailer was applied belongs
 *                             to another log sequence.
 *   -531 BadDbSignature       the logs attach a database under the copy's
 *                             file name but with another signature.
 *   -577 BadRestoreTargetInstance   ESE: the target instance is unknown or
 *                             uses another base name. Here (no running
 *                             instances): the target log directory holds no
 *                             log of the base name, or its logs or
 *                             checkpoint are of another log sequence.
 *   -610 ExistingLogFileHasBadSignature, -611 ExistingLogFileIsNotContiguous
 *                             the newer logs of the target instance or of
 *                             szLogPath disagree in signature / do not
 *                             continue the backup's logs.
 *   -543 RequiredLogFilesMissing   a database requires generations beyond
 *                             the last log of the restore.
 *   -1080 RunningInOneInstanceMode  ESE: the process runs one instance and
 *                             cannot start the restore's. We have no
 *                             instances; the condition that carries the
 *                             meaning "this restore cannot run beside the
 *                             one already running" is another restore
 *                             (thread or process) writing one of the same
 *                             targets: its temporary file is locked.
 *   -1011 OutOfMemory, -1022 DiskIO, -1808 DiskFull, -1032 FileAccessDenied.
 *   -1000 TermInProgress      the restore was cancelled (job layer).
 *   The log and replay errors of recovery (-501, -513, -514, -530, -531,
 *   -566, -567, -500 ...) as the replay engine reports them.
 *
 * Thread safety: no global state; restores into different targets may run
 * concurrently in one process.
 */
JET_ERR JetExternalRestore2(const char *szCheckpointFilePath,
			    const char *szLogPath,
			    JET_RSTMAP *rgrstmap,
			    long crstfilemap,
			    const char *szBackupLogPath,
			    JET_LOGINFO *pLogInfo,
			    const char *szTargetInstanceName,
			    const char *szTargetInstanceLogPath,
			    const char *szTargetInstanceCheckpointPath,
			    JET_PFNSTATUS pfn);

#ifdef __cplusplus
}
#endif

#endif /* JETRESTORE_H */
