/*
 * lrtyp.h - ESE's log record types (LRTYP): number, name, size rule and
 * what a record of the type carries.
 *
 * A log record starts with its type byte; its length is not stored as such
 * but follows from the type: either a fixed size, or a fixed part plus
 * lengths read from fields of that fixed part (ESE's CbLGSizeOfRec and
 * CbLGFixedSizeOfRec, _log/logread.cxx). The fixed sizes are the packed
 * sizes of ESE's LR* classes (inc/logapi.hxx). Names are ESE's constant
 * names without the "lrtyp" prefix ("Insert", "Split2", "NOP2").
 *
 * Common fixed parts (all little-endian, byte-packed):
 *
 * LRPAGE_ (32 bytes) - records that change a database page:
 *   OFFSET SIZE FIELD
 *   0      1    lrtyp
 *   1      2    procid        session that logged it
 *   3      1    dbid          attachment number (1..6) of the database
 *   4      4    pgno          the page changed
 *   8      8    dbtime        the page's dbtime after the change
 *   16     8    dbtimeBefore  the page's dbtime before the change
 *   24     4    trxBegin0     transaction begin time
 *   28     1    level         transaction level
 *   29     2    iline         the line (node) on the page
 *   31     1    flags         fLRPage*: versioned, unique, space, ...
 * LRNODE_ (44) = LRPAGE_ + rceid(4) @32, pgnoFDP(4) @36, objidFDP(4) @40.
 * LRTRX_ (3) = lrtyp + procid(2) @1 (Begin, Commit, Macro*, ...).
 * LRIGNORED (5) = lrtyp + cb(4) @1, cb bytes follow (types 67..75 and
 *   82..91: records older engines may skip; NOP2 is one of them).
 * LRNEWPAGE (20): lrtyp, procid(2) @1, dbid(1) @3, pgno(4) @4, objid(4) @8,
 *   dbtimeAfter(8) @12.
 * LRFRAGMENTBEGIN (7): lrtyp, cbTotalLRSize(4) @1, cbFragmentSize(2) @5.
 * LRFRAGMENT (3): lrtyp, cbFragmentSize(2) @1.
 *
 * Variable sizes (fixed part + fields, byte offsets in the record):
 *   CreateDB     43 + cbPath@40 + 4 if flags@42 & 0x04 (version info)
 *   AttachDB     75 + cbPath@72          DetachDB   7 + cbPath@4
 *   FullBackup, IncBackup  3 + cbPath@1  Backup     5 + cbPath@3
 *   Backup2      35 + cbPath@33          Trace, ForceLogRollover 5 + cb@3
 *   Split        102 + cbKeyParent@100 + cbPrefixSplitOld@96 +
 *                cbPrefixSplitNew@98
 *   Split2       110 + the same three + cbPageBeforeImage(4)@106
 *   Merge        88 + cbKeyParentSep@86
 *   Merge2       96 + cbKeyParentSep@86 + cbPageBeforeImage(4)@92
 *   PageMove     96 + cbPageHeader(4)@88 + cbPageTrailer(4)@92
 *   EmptyTree    46 + cbEmptyPageList@44
 *   Delta        54 + cbBookmarkKey@44 + cbBookmarkData@46 (Delta64: 58)
 *   Insert       50 + cbSuffix@44 + cbPrefix@46 + cbData@48
 *   FlagInsert   48 + cbKey@44 + cbData@46
 *   FlagInsertAndReplaceData  52 + cbKey@44 + cbData@46
 *   Replace, ReplaceD  50 + (cb@44 & 0x7fff)
 *   UndoInfo     56 + cbData@54 + cbBookmarkKey@44 + cbBookmarkData@46
 *   Undo         51 + cbBookmarkKey@44 + cbBookmarkData@46
 *   SetExternalHeader  46 + cbData@44  Scrub  54 + cbData@52
 *   ExtRestore, ExtRestore2  3 + cbInfo@1
 *   PrepCommit   7 + cbData(4)@3
 *   LRIGNORED family  5 + cb(4)@1
 *   FragmentBegin 7 + cbFragmentSize@5  Fragment  3 + cbFragmentSize@1
 * (2-byte fields unless marked (4)). Types 40, 41, 43, 44, 47, 56 are
 * obsolete and have no size rule: a log holding one cannot be read.
 */
#ifndef JR_ESE_LRTYP_H
#define JR_ESE_LRTYP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/errinfo.h"

/* Every type number ESE defines (lrtyp* in logapi.hxx); the size rules
 * and names are in the table of lrtyp.c. Types 40, 41, 43, 44, 47, 56 are
 * obsolete and have no name here. */
#define ESE_LRTYP_NOP                      0
#define ESE_LRTYP_INIT                     1
#define ESE_LRTYP_TERM                     2
#define ESE_LRTYP_MS                       3
#define ESE_LRTYP_END                      4
#define ESE_LRTYP_BEGIN                    5
#define ESE_LRTYP_COMMIT                   6
#define ESE_LRTYP_ROLLBACK                 7
#define ESE_LRTYP_BEGIN0                   8
#define ESE_LRTYP_COMMIT0                  9
#define ESE_LRTYP_REFRESH                  10
#define ESE_LRTYP_MACRO_BEGIN              11
#define ESE_LRTYP_MACRO_COMMIT             12
#define ESE_LRTYP_MACRO_ABORT              13
#define ESE_LRTYP_CREATE_DB                14
#define ESE_LRTYP_ATTACH_DB                15
#define ESE_LRTYP_DETACH_DB                16
#define ESE_LRTYP_RECOVERY_UNDO            17
#define ESE_LRTYP_RECOVERY_QUIT            18
#define ESE_LRTYP_FULL_BACKUP              19
#define ESE_LRTYP_INC_BACKUP               20
#define ESE_LRTYP_JET_OP                   21
#define ESE_LRTYP_TRACE                    22
#define ESE_LRTYP_SHUTDOWN_MARK            23
#define ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP 24
#define ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP 25
#define ESE_LRTYP_CONVERT_FDP              26
#define ESE_LRTYP_SPLIT                    27
#define ESE_LRTYP_MERGE                    28
#define ESE_LRTYP_INSERT                   29
#define ESE_LRTYP_FLAG_INSERT              30
#define ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA 31
#define ESE_LRTYP_FLAG_DELETE              32
#define ESE_LRTYP_REPLACE                  33
#define ESE_LRTYP_REPLACE_D                34
#define ESE_LRTYP_DELETE                   35
#define ESE_LRTYP_UNDO_INFO                36
#define ESE_LRTYP_DELTA                    37
#define ESE_LRTYP_SET_EXTERNAL_HEADER      38
#define ESE_LRTYP_UNDO                     39
#define ESE_LRTYP_EXT_RESTORE              45
#define ESE_LRTYP_BACKUP                   46
#define ESE_LRTYP_EMPTY_TREE               48
#define ESE_LRTYP_INIT2                    49
#define ESE_LRTYP_TERM2                    50
#define ESE_LRTYP_RECOVERY_UNDO2           51
#define ESE_LRTYP_RECOVERY_QUIT2           52
#define ESE_LRTYP_BEGIN_DT                 53
#define ESE_LRTYP_PREP_COMMIT              54
#define ESE_LRTYP_PREP_ROLLBACK            55
#define ESE_LRTYP_FORCE_WRITE_LOG          57
#define ESE_LRTYP_CONVERT_FDP2             58
#define ESE_LRTYP_EXT_RESTORE2             59
#define ESE_LRTYP_BACKUP2                  60
#define ESE_LRTYP_FORCE_LOG_ROLLOVER       61
#define ESE_LRTYP_SPLIT2                   62
#define ESE_LRTYP_MERGE2                   63
#define ESE_LRTYP_SCRUB                    64
#define ESE_LRTYP_PAGE_MOVE                65
#define ESE_LRTYP_PAGE_PATCH_REQUEST       66
#define ESE_LRTYP_MACRO_INFO               67
#define ESE_LRTYP_EXTEND_DB                68
#define ESE_LRTYP_COMMIT_CTX               69
#define ESE_LRTYP_SCAN_CHECK               70
#define ESE_LRTYP_NOP2                     71
#define ESE_LRTYP_REATTACH                 72
#define ESE_LRTYP_MACRO_INFO2              73
#define ESE_LRTYP_FREE_FDP                 74
#define ESE_LRTYP_IGNORED9                 75
#define ESE_LRTYP_FRAGMENT_BEGIN           76
#define ESE_LRTYP_FRAGMENT                 77
#define ESE_LRTYP_SHRINK_DB                78
#define ESE_LRTYP_CREATE_DB_FINISH         79
#define ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS 80
#define ESE_LRTYP_TRIM_DB                  81
#define ESE_LRTYP_IGNORED10                82
#define ESE_LRTYP_IGNORED11                83
#define ESE_LRTYP_IGNORED12                84
#define ESE_LRTYP_IGNORED13                85
#define ESE_LRTYP_IGNORED14                86
#define ESE_LRTYP_IGNORED15                87
#define ESE_LRTYP_IGNORED16                88
#define ESE_LRTYP_IGNORED17                89
#define ESE_LRTYP_IGNORED18                90
#define ESE_LRTYP_IGNORED19                91
#define ESE_LRTYP_SET_DB_VERSION           92
#define ESE_LRTYP_DELTA64                  93
#define ESE_LRTYP_SHRINK_DB2               94
#define ESE_LRTYP_NEW_PAGE                 95
#define ESE_LRTYP_ROOT_PAGE_MOVE           96
#define ESE_LRTYP_SIGNAL_ATTACH_DB         97
#define ESE_LRTYP_SCAN_CHECK2              98
#define ESE_LRTYP_SHRINK_DB3               99
#define ESE_LRTYP_EXTENT_FREED             100
#define ESE_LRTYP_EXTENT_FREED2            101
#define ESE_LRTYP_MAX                      102   /* lrtypMax: first invalid */

/* Fixed sizes the reader and writer rely on. */
#define ESE_LR_FRAGMENT_BEGIN_SIZE     7
#define ESE_LR_FRAGMENT_SIZE           3
#define ESE_LR_IGNORED_SIZE            5
#define ESE_LR_PAGE_SIZE               32    /* LRPAGE_ */

/* The largest logical record we accept. ESE's largest real records are
 * page images (split/merge before-images, page moves: at most a 32 KiB
 * page plus keys); anything above this is treated as corruption so that
 * a damaged length cannot make the reader allocate without bound. */
#define ESE_LR_SIZE_MAX                (1u << 20)

/* Flags of a type. */
#define ESE_LRF_PAGE         0x0001u  /* LRPAGE_ layout: dbid, pgno, dbtimes */
#define ESE_LRF_MODIFIES     0x0002u  /* redo changes database page(s) */
#define ESE_LRF_TRX          0x0004u  /* transaction control */
#define ESE_LRF_IGNORABLE    0x0008u  /* LRIGNORED layout (skippable) */
#define ESE_LRF_PADDING      0x0010u  /* NOP, NOP2: no operation */
#define ESE_LRF_FRAGMENT     0x0020u  /* FragmentBegin, Fragment */
#define ESE_LRF_DATABASE     0x0040u  /* database control: create, attach,
					 detach, version, size */
#define ESE_LRF_INSTANCE     0x0080u  /* engine start/stop/recovery marks */
#define ESE_LRF_MULTI_PAGE   0x0100u  /* touches several pages (split...) */
#define ESE_LRF_OBSOLETE     0x0200u  /* no size rule in ESE: unreadable */
#define ESE_LRF_VARIABLE     0x0400u  /* size depends on fields */

typedef struct {
	const char *name;      /* "Insert"; "Unknown" past the table */
	uint16_t fixed_size;   /* CbLGFixedSizeOfRec; 0 when obsolete */
	uint16_t flags;        /* ESE_LRF_* */
} ese_lrtyp_info;

/* The table entry of a type; never NULL (types >= 102 get an "Unknown"
 * entry with ESE_LRF_OBSOLETE). */
const ese_lrtyp_info *ese_lrtyp_get(unsigned lrtyp);

/* ESE's name without the prefix, or "Unknown". */
const char *ese_lrtyp_name(unsigned lrtyp);

/* Type number from a name ("Split2"), or -1. */
int ese_lrtyp_from_name(const char *name);

/* Fixed part of the type (CbLGFixedSizeOfRec), 0 for unknown/obsolete. */
unsigned ese_lr_fixed_size(unsigned lrtyp);

/*
 * Size of the record starting at rec, of which avail bytes are present
 * (ESE's CbLGSizeOfRec). Needs only the fixed part: -501 LogFileCorrupt
 * when the type is unknown or obsolete or its fixed part exceeds avail,
 * or the size exceeds ESE_LR_SIZE_MAX. The result may exceed avail: the
 * caller decides whether that is corruption.
 */
JET_ERR ese_lr_size(const uint8_t *rec, size_t avail, uint32_t *size,
		    jr_errinfo *ei);

/* What a page-changing record says about its page. */
typedef struct {
	uint8_t dbid;
	uint32_t pgno;
	uint64_t dbtime_before;  /* 0 when has_before is false */
	uint64_t dbtime_after;
	bool has_before;         /* LRPAGE_ types; NewPage has no before */
	bool modifies;           /* ESE_LRF_MODIFIES */
} ese_lr_page;

/*
 * For records of the LRPAGE_ family (Insert, FlagInsert,
 * FlagInsertAndReplaceData, FlagDelete, Replace, ReplaceD, Delete,
 * UndoInfo, Delta, Delta64, SetExternalHeader, Undo, Scrub, EmptyTree,
 * Split, Split2, Merge, Merge2, PageMove, CreateMultipleExtentFDP,
 * CreateSingleExtentFDP, ConvertFDP, ConvertFDP2) and NewPage: fill *out
 * and return true. Split/Merge/PageMove name their main page here (the
 * split page, the merged page, the source page; all pages of such a
 * record get dbtime_after). False for other types or when len is shorter
 * than the fields.
 */
bool ese_lr_page_info(const uint8_t *rec, size_t len, ese_lr_page *out);

/* The procid (session) of LRTRX_, LRPAGE_ and NewPage records; false for
 * types that carry none. */
bool ese_lr_procid(const uint8_t *rec, size_t len, uint16_t *procid);

#endif /* JR_ESE_LRTYP_H */
