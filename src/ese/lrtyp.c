/*
 * lrtyp.c - the LRTYP table and ESE's record size rules (see lrtyp.h for
 * the layouts the offsets below refer to).
 */
#include <string.h>

#include "ese/lrtyp.h"
#include "util/bytes.h"

#define P   ESE_LRF_PAGE
#define M   ESE_LRF_MODIFIES
#define T   ESE_LRF_TRX
#define IG  ESE_LRF_IGNORABLE
#define PAD ESE_LRF_PADDING
#define FR  ESE_LRF_FRAGMENT
#define DB  ESE_LRF_DATABASE
#define IN  ESE_LRF_INSTANCE
#define MP  ESE_LRF_MULTI_PAGE
#define OB  ESE_LRF_OBSOLETE
#define V   ESE_LRF_VARIABLE

/* Indexed by type number: name, fixed size (CbLGFixedSizeOfRec), flags. */
static const ese_lrtyp_info lrtyp_table[ESE_LRTYP_MAX] = {
	[0]   = { "NOP", 1, PAD },
	[1]   = { "Init", 568, IN },
	[2]   = { "Term", 18, IN },
	[3]   = { "MS", 9, 0 },
	[4]   = { "End", 1, 0 },
	[5]   = { "Begin", 4, T },
	[6]   = { "Commit", 4, T },
	[7]   = { "Rollback", 4, T },
	[8]   = { "Begin0", 8, T },
	[9]   = { "Commit0", 8, T },
	[10]  = { "Refresh", 7, T },
	[11]  = { "MacroBegin", 11, T },
	[12]  = { "MacroCommit", 11, T },
	[13]  = { "MacroAbort", 11, T },
	[14]  = { "CreateDB", 43, DB | V },
	[15]  = { "AttachDB", 75, DB | V },
	[16]  = { "DetachDB", 7, DB | V },
	[17]  = { "RecoveryUndo", 1, IN },
	[18]  = { "RecoveryQuit", 18, IN },
	[19]  = { "FullBackup", 3, V },
	[20]  = { "IncBackup", 3, V },
	[21]  = { "JetOp", 4, 0 },
	[22]  = { "Trace", 5, V },
	[23]  = { "ShutDownMark", 1, IN },
	[24]  = { "CreateMultipleExtentFDP", 56, P | M | MP },
	[25]  = { "CreateSingleExtentFDP", 48, P | M },
	[26]  = { "ConvertFDP", 60, P | M | MP },
	[27]  = { "Split", 102, P | M | MP | V },
	[28]  = { "Merge", 88, P | M | MP | V },
	[29]  = { "Insert", 50, P | M | V },
	[30]  = { "FlagInsert", 48, P | M | V },
	[31]  = { "FlagInsertAndReplaceData", 52, P | M | V },
	[32]  = { "FlagDelete", 44, P | M },
	[33]  = { "Replace", 50, P | M | V },
	[34]  = { "ReplaceD", 50, P | M | V },
	[35]  = { "Delete", 44, P | M },
	[36]  = { "UndoInfo", 56, P | V },
	[37]  = { "Delta", 54, P | M | V },
	[38]  = { "SetExternalHeader", 46, P | M | V },
	[39]  = { "Undo", 51, P | M | V },
	[40]  = { "SLVPageAppendOBSOLETE", 0, OB },
	[41]  = { "SLVSpaceOBSOLETE", 0, OB },
	[42]  = { "Checksum", 22, 0 },
	[43]  = { "SLVPageMoveOBSOLETE", 0, OB },
	[44]  = { "ForceDetachDBOBSOLETE", 0, OB },
	[45]  = { "ExtRestore", 3, V },
	[46]  = { "Backup", 5, V },
	[47]  = { "UpgradeDBOBSOLETE", 0, OB },
	[48]  = { "EmptyTree", 46, P | M | MP | V },
	[49]  = { "Init2", 576, IN },
	[50]  = { "Term2", 26, IN },
	[51]  = { "RecoveryUndo2", 9, IN },
	[52]  = { "RecoveryQuit2", 26, IN },
	[53]  = { "BeginDT", 8, T },
	[54]  = { "PrepCommit", 7, T | V },
	[55]  = { "PrepRollback", 3, T },
	[56]  = { "DbListUNUSED", 0, OB },
	[57]  = { "ForceWriteLog", 3, 0 },
	[58]  = { "ConvertFDP2", 68, P | M | MP },
	[59]  = { "ExtRestore2", 3, V },
	[60]  = { "Backup2", 35, V },
	[61]  = { "ForceLogRollover", 5, V },
	[62]  = { "Split2", 110, P | M | MP | V },
	[63]  = { "Merge2", 96, P | M | MP | V },
	[64]  = { "Scrub", 54, P | M | V },
	[65]  = { "PageMove", 96, P | M | MP | V },
	[66]  = { "PagePatchRequest", 46, 0 },
	[67]  = { "MacroInfo", 5, IG | V },
	[68]  = { "ExtendDB", 5, IG | DB | V },
	[69]  = { "CommitCtx", 5, IG | V },
	[70]  = { "ScanCheck", 5, IG | V },
	[71]  = { "NOP2", 5, IG | PAD | V },
	[72]  = { "ReAttach", 5, IG | DB | V },
	[73]  = { "MacroInfo2", 5, IG | V },
	[74]  = { "FreeFDP", 5, IG | V },
	[75]  = { "Ignored9", 5, IG | V },
	[76]  = { "FragmentBegin", 7, FR | V },
	[77]  = { "Fragment", 3, FR | V },
	[78]  = { "ShrinkDB", 10, DB },
	[79]  = { "CreateDBFinish", 4, DB },
	[80]  = { "RecoveryQuitKeepAttachments", 26, IN },
	[81]  = { "TrimDB", 10, DB },
	[82]  = { "Ignored10", 5, IG | V },
	[83]  = { "Ignored11", 5, IG | V },
	[84]  = { "Ignored12", 5, IG | V },
	[85]  = { "Ignored13", 5, IG | V },
	[86]  = { "Ignored14", 5, IG | V },
	[87]  = { "Ignored15", 5, IG | V },
	[88]  = { "Ignored16", 5, IG | V },
	[89]  = { "Ignored17", 5, IG | V },
	[90]  = { "Ignored18", 5, IG | V },
	[91]  = { "Ignored19", 5, IG | V },
	[92]  = { "SetDbVersion", 14, DB },
	[93]  = { "Delta64", 58, P | M | V },
	[94]  = { "ShrinkDB2", 10, DB },
	[95]  = { "NewPage", 20, M },
	[96]  = { "RootPageMove", 16, 0 },
	[97]  = { "SignalAttachDb", 2, DB },
	[98]  = { "ScanCheck2", 27, 0 },
	[99]  = { "ShrinkDB3", 18, DB },
	[100] = { "ExtentFreed", 11, 0 },
	[101] = { "ExtentFreed2", 19, 0 },
};

static const ese_lrtyp_info lrtyp_unknown = { "Unknown", 0, OB };

const ese_lrtyp_info *ese_lrtyp_get(unsigned lrtyp)
{
	return lrtyp < ESE_LRTYP_MAX ? &lrtyp_table[lrtyp] : &lrtyp_unknown;
}

const char *ese_lrtyp_name(unsigned lrtyp)
{
	return ese_lrtyp_get(lrtyp)->name;
}

int ese_lrtyp_from_name(const char *name)
{
	for (unsigned i = 0; i < ESE_LRTYP_MAX; i++)
		if (strcmp(lrtyp_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

unsigned ese_lr_fixed_size(unsigned lrtyp)
{
	return ese_lrtyp_get(lrtyp)->fixed_size;
}

static inline uint32_t u16at(const uint8_t *r, size_t off)
{
	return jr_le16(r + off);
}

static inline uint64_t u32at(const uint8_t *r, size_t off)
{
	return jr_le32(r + off);
}

/* The variable part of a record whose fixed part is present. 64-bit so
 * that sums of 32-bit fields cannot wrap. */
static uint64_t variable_part(const uint8_t *r)
{
	switch (r[0]) {
	case 14: /* CreateDB: path, then version info when flagged */
		return u16at(r, 40) + ((r[42] & 0x04) ? 4 : 0);
	case 15: /* AttachDB */
		return u16at(r, 72);
	case 16: /* DetachDB */
		return u16at(r, 4);
	case 19: /* FullBackup */
	case 20: /* IncBackup */
		return u16at(r, 1);
	case 46: /* Backup (obsolete layout) */
		return u16at(r, 3);
	case 60: /* Backup2 */
		return u16at(r, 33);
	case 22: /* Trace */
	case 61: /* ForceLogRollover: an LRTRACE */
		return u16at(r, 3);
	case 27: /* Split: key to insert at parent, both prefixes */
		return u16at(r, 100) + u16at(r, 96) + u16at(r, 98);
	case 62: /* Split2: the same plus the page before-image */
		return u16at(r, 100) + u16at(r, 96) + u16at(r, 98) +
		       u32at(r, 106);
	case 28: /* Merge: separator key */
		return u16at(r, 86);
	case 63: /* Merge2 */
		return u16at(r, 86) + u32at(r, 92);
	case 65: /* PageMove: page header and trailer */
		return u32at(r, 88) + u32at(r, 92);
	case 48: /* EmptyTree */
		return u16at(r, 44);
	case 37: /* Delta */
	case 93: /* Delta64 */
	case 39: /* Undo: bookmark key and data */
		return u16at(r, 44) + u16at(r, 46);
	case 29: /* Insert: key suffix, key prefix, data */
		return u16at(r, 44) + u16at(r, 46) + u16at(r, 48);
	case 30: /* FlagInsert */
	case 31: /* FlagInsertAndReplaceData */
		return u16at(r, 44) + u16at(r, 46);
	case 33: /* Replace */
	case 34: /* ReplaceD: bit 15 of cb says DIFFHDR2 */
		return u16at(r, 44) & 0x7fff;
	case 36: /* UndoInfo: data and bookmark */
		return u16at(r, 54) + u16at(r, 44) + u16at(r, 46);
	case 38: /* SetExternalHeader */
		return u16at(r, 44);
	case 64: /* Scrub */
		return u16at(r, 52);
	case 45: /* ExtRestore */
	case 59: /* ExtRestore2 */
		return u16at(r, 1);
	case 54: /* PrepCommit */
		return u32at(r, 3);
	case 76: /* FragmentBegin */
		return u16at(r, 5);
	case 77: /* Fragment */
		return u16at(r, 1);
	default:
		if ((r[0] >= 67 && r[0] <= 75) || (r[0] >= 82 && r[0] <= 91))
			return u32at(r, 1);  /* LRIGNORED: cb */
		return 0;
	}
}

JET_ERR ese_lr_size(const uint8_t *rec, size_t avail, uint32_t *size,
		    jr_errinfo *ei)
{
	const ese_lrtyp_info *info;
	uint64_t total;

	if (avail == 0)
		return jr_fail(ei, JET_errLogFileCorrupt, "empty record");
	info = ese_lrtyp_get(rec[0]);
	if (info->flags & ESE_LRF_OBSOLETE)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "record type %u (%s) has no size rule",
			       rec[0], info->name);
	if (info->fixed_size > avail)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "%s record: fixed part of %u bytes, only %zu "
			       "present", info->name, info->fixed_size, avail);
	total = info->fixed_size;
	if (info->flags & ESE_LRF_VARIABLE)
		total += variable_part(rec);
	if (total > ESE_LR_SIZE_MAX)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "%s record of %llu bytes exceeds %u",
			       info->name, (unsigned long long)total,
			       ESE_LR_SIZE_MAX);
	*size = (uint32_t)total;
	return JET_errSuccess;
}

/* LRPAGE_ offsets */
#define LRPAGE_OFF_PROCID        1
#define LRPAGE_OFF_DBID          3
#define LRPAGE_OFF_PGNO          4
#define LRPAGE_OFF_DBTIME        8
#define LRPAGE_OFF_DBTIME_BEFORE 16
/* LRNEWPAGE offsets */
#define LRNEWPAGE_OFF_DBTIME     12

bool ese_lr_page_info(const uint8_t *rec, size_t len, ese_lr_page *out)
{
	const ese_lrtyp_info *info;

	if (len == 0)
		return false;
	info = ese_lrtyp_get(rec[0]);
	if (rec[0] == ESE_LRTYP_NEW_PAGE) {
		if (len < info->fixed_size)
			return false;
		out->dbid = rec[LRPAGE_OFF_DBID];
		out->pgno = jr_le32(rec + LRPAGE_OFF_PGNO);
		out->dbtime_before = 0;
		out->dbtime_after = jr_le64(rec + LRNEWPAGE_OFF_DBTIME);
		out->has_before = false;
		out->modifies = true;
		return true;
	}
	if (!(info->flags & ESE_LRF_PAGE) || len < ESE_LR_PAGE_SIZE)
		return false;
	out->dbid = rec[LRPAGE_OFF_DBID];
	out->pgno = jr_le32(rec + LRPAGE_OFF_PGNO);
	out->dbtime_after = jr_le64(rec + LRPAGE_OFF_DBTIME);
	out->dbtime_before = jr_le64(rec + LRPAGE_OFF_DBTIME_BEFORE);
	out->has_before = true;
	out->modifies = (info->flags & ESE_LRF_MODIFIES) != 0;
	return true;
}

bool ese_lr_procid(const uint8_t *rec, size_t len, uint16_t *procid)
{
	const ese_lrtyp_info *info;

	if (len < 3)
		return false;
	info = ese_lrtyp_get(rec[0]);
	if (!(info->flags & (ESE_LRF_PAGE | ESE_LRF_TRX)) &&
	    rec[0] != ESE_LRTYP_NEW_PAGE)
		return false;
	*procid = jr_le16(rec + 1);
	return true;
}
