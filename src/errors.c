/*
 * errors.c - names and descriptions of the JET_ERR values this library uses.
 *
 * Numbers and names are ESE's (published esent headers); the descriptions are
 * ours, written for an analyst reading a failed recovery.
 */
#include "jetrestore.h"

#include <stddef.h>

struct jet_error_entry {
	JET_ERR err;
	const char *name;
	const char *message;
};

static const struct jet_error_entry jet_errors[] = {
	{ 0, "Success",
	  "the operation succeeded" },
	{ -255, "DatabaseBufferDependenciesCorrupted",
	  "a split or merge needed a page image the log does not hold" },
	{ -500, "InvalidLoggedOperation",
	  "a log record describes an operation that cannot be applied" },
	{ -501, "LogFileCorrupt",
	  "a log file is damaged: a header, segment or record failed validation" },
	{ -509, "MissingPreviousLogFile",
	  "the log generation that precedes the first one present is required but missing" },
	{ -513, "LogGenerationMismatch",
	  "a log file's header names a different generation than its place in the sequence" },
	{ -514, "BadLogVersion",
	  "the log file format version is not one this tool reads" },
	{ -515, "InvalidLogSequence",
	  "the log files do not form one continuous sequence" },
	{ -519, "LogSequenceEnd",
	  "the log generation number space is exhausted" },
	{ -526, "InvalidBackup",
	  "the backup set is incomplete or inconsistent" },
	{ -528, "MissingLogFile",
	  "a log generation needed for recovery is missing" },
	{ -530, "BadLogSignature",
	  "a log file belongs to another log sequence (its log signature differs)" },
	{ -531, "BadDbSignature",
	  "a database does not match the database signature recorded in the logs" },
	{ -532, "BadCheckpointSignature",
	  "the checkpoint belongs to another log sequence" },
	{ -533, "CheckpointCorrupt",
	  "the checkpoint file is damaged in both of its copies" },
	{ -535, "BadPatchPage",
	  "the backup's trailer (patch) page does not match its database" },
	{ -536, "RedoAbruptEnded",
	  "the log ended in the middle of an operation" },
	{ -539, "DatabaseLogSetMismatch",
	  "the database does not belong to this log set" },
	{ -541, "LogFileSizeMismatch",
	  "a log file's size differs from the size its header declares" },
	{ -542, "CheckpointFileNotFound",
	  "no checkpoint file was found where one is required" },
	{ -543, "RequiredLogFilesMissing",
	  "log generations the database requires are not present" },
	{ -544, "SoftRecoveryOnBackupDatabase",
	  "soft recovery was asked of a database restored from backup" },
	{ -546, "LogSectorSizeMismatch",
	  "the log files do not share one sector size" },
	{ -550, "DatabaseDirtyShutdown",
	  "the database was not shut down cleanly and needs recovery" },
	{ -551, "ConsistentTimeMismatch",
	  "the database's consistent time does not match the log's record of it" },
	{ -552, "DatabasePatchFileMismatch",
	  "the patch data does not belong to this database" },
	{ -553, "EndingRestoreLogTooLow",
	  "a backup log's generation is above the highest generation of the restore range" },
	{ -554, "StartingRestoreLogTooHigh",
	  "a backup log's generation is below the lowest generation of the restore range" },
	{ -555, "GivenLogFileHasBadSignature",
	  "a log in the restore set carries another log signature" },
	{ -556, "GivenLogFileIsNotContiguous",
	  "the logs of the restore set have a gap" },
	{ -557, "MissingRestoreLogFiles",
	  "log files of the restore range are missing" },
	{ -565, "MissingCurrentLogFiles",
	  "the current log file (the one without a generation in its name) is missing" },
	{ -566, "DbTimeTooOld",
	  "a page is older than the log expects" },
	{ -567, "DbTimeTooNew",
	  "a page is newer than the log expects" },
	{ -577, "BadRestoreTargetInstance",
	  "the target-instance directory is not a log set that continues the backup" },
	{ -582, "CommittedLogFilesMissing",
	  "log files holding committed transactions are missing" },
	{ -590, "LogSequenceChecksumMismatch",
	  "the running checksum of the previous log does not match" },
	{ -610, "ExistingLogFileHasBadSignature",
	  "a log in the target log directory carries another log signature" },
	{ -611, "ExistingLogFileIsNotContiguous",
	  "the logs in the target log directory do not continue the sequence" },
	{ -612, "LogReadVerifyFailure",
	  "a log segment failed its checksum" },
	{ -615, "RestoreOfNonBackupDatabase",
	  "the database carries no backup information and cannot be restored from backup" },
	{ -625, "DbTimeBeyondMaxRequired",
	  "a page already holds a change the log expects to apply after the required range" },
	{ -626, "LogOperationInconsistentWithDatabase",
	  "a log operation does not fit the page it applies to" },
	{ -1000, "TermInProgress",
	  "the operation was stopped: shutting down or cancelled" },
	{ -1003, "InvalidParameter",
	  "a parameter is invalid" },
	{ -1011, "OutOfMemory",
	  "out of memory" },
	{ -1018, "ReadVerifyFailure",
	  "a page failed its checksum" },
	{ -1019, "PageNotInitialized",
	  "a page that should hold data is blank" },
	{ -1022, "DiskIO",
	  "an input/output error occurred" },
	{ -1023, "InvalidPath",
	  "the path is not a usable file or directory" },
	{ -1032, "FileAccessDenied",
	  "permission to the file was denied" },
	{ -1080, "RunningInOneInstanceMode",
	  "another restore is already using this target" },
	{ -1123, "RecoveryVerifyFailure",
	  "pages read during recovery are not in the state the log expects" },
	{ -1206, "DatabaseCorrupted",
	  "the database file is damaged or is not a database" },
	{ -1209, "InvalidDatabaseVersion",
	  "the database format version is not one this tool reads" },
	{ -1213, "PageSizeMismatch",
	  "the page size does not match the database's" },
	{ -1620, "DecompressionFailed",
	  "compressed data (a page image in the log) could not be decompressed" },
	{ -1808, "DiskFull",
	  "no space left on the output device" },
	{ -1811, "FileNotFound",
	  "a required file does not exist" },
	{ -1812, "FileInvalidType",
	  "the file is not of the kind required here" },
	{ -1814, "FileAlreadyExists",
	  "the output file already exists" },
};

static const struct jet_error_entry *jet_error_find(JET_ERR err)
{
	for (size_t i = 0; i < sizeof(jet_errors) / sizeof(jet_errors[0]); i++)
		if (jet_errors[i].err == err)
			return &jet_errors[i];
	return NULL;
}

const char *jet_error_name(JET_ERR err)
{
	const struct jet_error_entry *e = jet_error_find(err);

	return e ? e->name : "Unknown";
}

const char *jet_error_message(JET_ERR err)
{
	const struct jet_error_entry *e = jet_error_find(err);

	return e ? e->message : "an error this tool has no description for";
}
