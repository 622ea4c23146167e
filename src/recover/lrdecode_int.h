/*
 * lrdecode_int.h - what the log record decoder's files share and nobody
 * else needs: the record type numbers lrtyp.h does not name, and a few
 * flag bits of the database records.
 */
#ifndef JR_RECOVER_LRDECODE_INT_H
#define JR_RECOVER_LRDECODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ese/lrtyp.h"
#include "recover/lrdecode.h"

/* Type numbers lrtyp.h does not name (ESE's lrtyp* constants, logapi.hxx);
 * defined only where lrtyp.h has not. */
#ifndef ESE_LRTYP_MS
#define ESE_LRTYP_MS 3
#endif
#ifndef ESE_LRTYP_END
#define ESE_LRTYP_END 4
#endif
#ifndef ESE_LRTYP_REFRESH
#define ESE_LRTYP_REFRESH 10
#endif
#ifndef ESE_LRTYP_RECOVERY_QUIT
#define ESE_LRTYP_RECOVERY_QUIT 18
#endif
#ifndef ESE_LRTYP_FULL_BACKUP
#define ESE_LRTYP_FULL_BACKUP 19
#endif
#ifndef ESE_LRTYP_INC_BACKUP
#define ESE_LRTYP_INC_BACKUP 20
#endif
#ifndef ESE_LRTYP_JET_OP
#define ESE_LRTYP_JET_OP 21
#endif
#ifndef ESE_LRTYP_TRACE
#define ESE_LRTYP_TRACE 22
#endif
#ifndef ESE_LRTYP_SHUTDOWN_MARK
#define ESE_LRTYP_SHUTDOWN_MARK 23
#endif
#ifndef ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP
#define ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP 24
#endif
#ifndef ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP
#define ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP 25
#endif
#ifndef ESE_LRTYP_CONVERT_FDP
#define ESE_LRTYP_CONVERT_FDP 26
#endif
#ifndef ESE_LRTYP_FLAG_INSERT
#define ESE_LRTYP_FLAG_INSERT 30
#endif
#ifndef ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA
#define ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA 31
#endif
#ifndef ESE_LRTYP_REPLACE_D
#define ESE_LRTYP_REPLACE_D 34
#endif
#ifndef ESE_LRTYP_DELTA
#define ESE_LRTYP_DELTA 37
#endif
#ifndef ESE_LRTYP_EXT_RESTORE
#define ESE_LRTYP_EXT_RESTORE 45
#endif
#ifndef ESE_LRTYP_BACKUP
#define ESE_LRTYP_BACKUP 46
#endif
#ifndef ESE_LRTYP_EMPTY_TREE
#define ESE_LRTYP_EMPTY_TREE 48
#endif
#ifndef ESE_LRTYP_RECOVERY_QUIT2
#define ESE_LRTYP_RECOVERY_QUIT2 52
#endif
#ifndef ESE_LRTYP_BEGIN_DT
#define ESE_LRTYP_BEGIN_DT 53
#endif
#ifndef ESE_LRTYP_PREP_COMMIT
#define ESE_LRTYP_PREP_COMMIT 54
#endif
#ifndef ESE_LRTYP_PREP_ROLLBACK
#define ESE_LRTYP_PREP_ROLLBACK 55
#endif
#ifndef ESE_LRTYP_FORCE_WRITE_LOG
#define ESE_LRTYP_FORCE_WRITE_LOG 57
#endif
#ifndef ESE_LRTYP_CONVERT_FDP2
#define ESE_LRTYP_CONVERT_FDP2 58
#endif
#ifndef ESE_LRTYP_EXT_RESTORE2
#define ESE_LRTYP_EXT_RESTORE2 59
#endif
#ifndef ESE_LRTYP_BACKUP2
#define ESE_LRTYP_BACKUP2 60
#endif
#ifndef ESE_LRTYP_FORCE_LOG_ROLLOVER
#define ESE_LRTYP_FORCE_LOG_ROLLOVER 61
#endif
#ifndef ESE_LRTYP_SCRUB
#define ESE_LRTYP_SCRUB 64
#endif
#ifndef ESE_LRTYP_PAGE_MOVE
#define ESE_LRTYP_PAGE_MOVE 65
#endif
#ifndef ESE_LRTYP_PAGE_PATCH_REQUEST
#define ESE_LRTYP_PAGE_PATCH_REQUEST 66
#endif
#ifndef ESE_LRTYP_EXTEND_DB
#define ESE_LRTYP_EXTEND_DB 68
#endif
#ifndef ESE_LRTYP_COMMIT_CTX
#define ESE_LRTYP_COMMIT_CTX 69
#endif
#ifndef ESE_LRTYP_SCAN_CHECK
#define ESE_LRTYP_SCAN_CHECK 70
#endif
#ifndef ESE_LRTYP_REATTACH
#define ESE_LRTYP_REATTACH 72
#endif
#ifndef ESE_LRTYP_MACRO_INFO2
#define ESE_LRTYP_MACRO_INFO2 73
#endif
#ifndef ESE_LRTYP_FREE_FDP
#define ESE_LRTYP_FREE_FDP 74
#endif
#ifndef ESE_LRTYP_IGNORED9
#define ESE_LRTYP_IGNORED9 75
#endif
#ifndef ESE_LRTYP_SHRINK_DB
#define ESE_LRTYP_SHRINK_DB 78
#endif
#ifndef ESE_LRTYP_CREATE_DB_FINISH
#define ESE_LRTYP_CREATE_DB_FINISH 79
#endif
#ifndef ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS
#define ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS 80
#endif
#ifndef ESE_LRTYP_TRIM_DB
#define ESE_LRTYP_TRIM_DB 81
#endif
#ifndef ESE_LRTYP_IGNORED10
#define ESE_LRTYP_IGNORED10 82
#endif
#ifndef ESE_LRTYP_IGNORED11
#define ESE_LRTYP_IGNORED11 83
#endif
#ifndef ESE_LRTYP_IGNORED12
#define ESE_LRTYP_IGNORED12 84
#endif
#ifndef ESE_LRTYP_IGNORED13
#define ESE_LRTYP_IGNORED13 85
#endif
#ifndef ESE_LRTYP_IGNORED14
#define ESE_LRTYP_IGNORED14 86
#endif
#ifndef ESE_LRTYP_IGNORED15
#define ESE_LRTYP_IGNORED15 87
#endif
#ifndef ESE_LRTYP_IGNORED16
#define ESE_LRTYP_IGNORED16 88
#endif
#ifndef ESE_LRTYP_IGNORED17
#define ESE_LRTYP_IGNORED17 89
#endif
#ifndef ESE_LRTYP_IGNORED18
#define ESE_LRTYP_IGNORED18 90
#endif
#ifndef ESE_LRTYP_IGNORED19
#define ESE_LRTYP_IGNORED19 91
#endif
#ifndef ESE_LRTYP_DELTA64
#define ESE_LRTYP_DELTA64 93
#endif
#ifndef ESE_LRTYP_SHRINK_DB2
#define ESE_LRTYP_SHRINK_DB2 94
#endif
#ifndef ESE_LRTYP_ROOT_PAGE_MOVE
#define ESE_LRTYP_ROOT_PAGE_MOVE 96
#endif
#ifndef ESE_LRTYP_SIGNAL_ATTACH_DB
#define ESE_LRTYP_SIGNAL_ATTACH_DB 97
#endif
#ifndef ESE_LRTYP_SCAN_CHECK2
#define ESE_LRTYP_SCAN_CHECK2 98
#endif
#ifndef ESE_LRTYP_SHRINK_DB3
#define ESE_LRTYP_SHRINK_DB3 99
#endif
#ifndef ESE_LRTYP_EXTENT_FREED
#define ESE_LRTYP_EXTENT_FREED 100
#endif
#ifndef ESE_LRTYP_EXTENT_FREED2
#define ESE_LRTYP_EXTENT_FREED2 101
#endif

/* AttachDB / DetachDB / CreateDB flag bits. */
#define ATTACH_UNICODE 0x08u
#define DETACH_UNICODE 0x10u
#define CREATE_VERSION 0x04u
#define CREATE_UNICODE 0x08u

/* The largest ESE page: a pre-image is never bigger. */
#define LR_PAGE_SIZE_MAX 32768

static inline bool lr_is_page_size(uint32_t cb)
{
	return cb == 2048 || cb == 4096 || cb == 8192 || cb == 16384 ||
	       cb == 32768;
}

#endif /* JR_RECOVER_LRDECODE_INT_H */
