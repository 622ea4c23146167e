/*
 * dbheader.h - the database file header (DBFILEHDR) and its shadow copy.
 *
 * Usage:
 *   ese_dbheader_read_result r;
 *   JET_ERR e = ese_dbheader_read_fd(fd, &r, ei);      // or _read(buf, len)
 *   r.hdr.state == JET_dbstateDirtyShutdown, r.hdr.gen_min_required, ...
 *   r.page_size (detected), r.copy (which copy was used), r.status (which
 *   copy is damaged, if any).
 *   One copy only:  ese_dbheader_parse(buf, len, &hdr, ei);
 *   Serialize:      ese_dbheader_write(&hdr, buf, page_size)  -> one header
 *                   page with checksum; ese_dbheader_write_pair() -> header
 *                   and shadow (2 * page_size bytes), what goes at offset 0.
 * A parsed header written back is byte-identical (every byte of DBFILEHDR
 * is a field here; the rest of the page is zero in ESE's files and is
 * written as zero: tail_nonzero tells when a file had something there).
 * The types own no heap memory.
 *
 * ---------------------------------------------------------------------
 * Where the header is (fileu.cxx ErrUtilReadSpecificShadowedHeader)
 *   A database file starts with two copies of the header, each one page:
 *   the header at offset 0 and the shadow at offset page_size; database
 *   page pgno N is at offset (N + 1) * page_size. The checksum is ESE's XOR
 *   checksum (checksum.h) over the whole page, stored in bytes 0..3. ESE
 *   does not know the page size before reading: it tries 2, 4, 8, 16 and
 *   32 KiB and accepts a copy when its checksum over that many bytes is
 *   right AND its cbPageSize field names that size (0 meaning 4096). Then:
 *     both copies good and identical   -> header, status OK
 *     both good but different          -> header, shadow reported bad
 *     only one good                    -> that one, the other reported bad
 *     none                             -> -1206 DatabaseCorrupted
 *   On the chosen copy: magic != 0x89abcdef -> -1206 (not a database);
 *   format version below 0x620 (ESE97) -> -1209 InvalidDatabaseVersion.
 *   In every real file here both copies are identical, page size 4096.
 *
 * DBFILEHDR (748 bytes, little-endian; daedef.hxx):
 *   OFFSET SIZE FIELD
 *   0      4    checksum              XOR checksum of the header page
 *   4      4    magic                 0x89abcdef (ulDAEMagic)
 *   8      4    version               format major version, 0x620
 *   12     4    attrib                0 (attribDb)
 *   16     8    dbtime                highest dbtime given out
 *   24     28   sign_db               SIGNATURE of the database
 *   52     4    state                 JET_dbstate* (1..8)
 *   56     8    lgpos_consistent      LGPOS where last made consistent
 *   64     8    logtime_consistent
 *   72     8    logtime_attach        last attach
 *   80     8    lgpos_attach
 *   88     8    logtime_detach        last detach
 *   96     8    lgpos_detach
 *   104    4    dbid                  dbid of the current attachment
 *   108    28   sign_log              SIGNATURE of the log sequence
 *   136    24   bk_full_prev          BKINFO of the last full backup
 *   160    24   bk_inc_prev           last incremental backup
 *   184    24   bk_full_cur           backup in progress; a streaming backup
 *                                     copy has gen_low set and gen_high 0
 *                                     until its patch page is applied
 *   208    4    db_flags              byte 0: 0x01 shadowing disabled,
 *                                     0x02 upgrade; byte 3: build flags
 *   212    4    objid_last            last object id given out
 *   216    4    os_major              OS version that last attached
 *   220    4    os_minor
 *   224    4    os_build
 *   228    4    os_sp                 service pack
 *   232    4    update_major          format update major (0x620,UM,um)
 *   236    4    page_size_raw         page size; 0 means 4096
 *   240    4    repair_count
 *   244    8    logtime_repair
 *   252    28   reserved_sign_slv     obsolete SLV signature (kept raw)
 *   280    8    dbtime_last_scrub
 *   288    8    logtime_scrub
 *   296    4    gen_min_required      lowest log generation redo needs
 *   300    4    gen_max_required      highest generation redo needs
 *   304    4    cpg_upgrade_55_format
 *   308    4    cpg_upgrade_free_pages
 *   312    4    cpg_upgrade_space_map_pages
 *   316    24   bk_snapshot_cur       shadow-copy (VSS) backup in progress
 *   340    4    create_version        version that created the database
 *   344    4    create_update
 *   348    8    logtime_gen_max_create   creation time of gen_max_committed
 *   356    4    bk_type_full_prev     0 normal, 1 OS snapshot, 2 snapshot
 *   360    4    bk_type_inc_prev
 *   364    4    repair_count_old
 *   368    4    ecc_fix_success       one-bit errors fixed, page then good
 *   372    8    logtime_ecc_fix_success
 *   380    4    ecc_fix_success_old
 *   384    4    ecc_fix_fail          one-bit fixes that left a bad page
 *   388    8    logtime_ecc_fix_fail
 *   396    4    ecc_fix_fail_old
 *   400    4    bad_checksum          uncorrectable checksum errors
 *   404    8    logtime_bad_checksum
 *   412    4    bad_checksum_old
 *   416    4    gen_max_committed     last generation with records for it
 *   420    24   bk_copy_prev          last copy backup
 *   444    24   bk_diff_prev          last differential backup
 *   468    4    bk_type_copy_prev
 *   472    4    bk_type_diff_prev
 *   476    4    reseed_count          incremental reseeds started
 *   480    8    logtime_reseed
 *   488    4    reseed_count_old
 *   492    4    page_patch_count      pages patched by incremental reseed
 *   496    8    logtime_page_patch
 *   504    4    page_patch_count_old
 *   508    8    sort_version          deprecated NLS version (all ones)
 *   516    8    logtime_dbscan_prev   last database-maintenance finish
 *   524    8    logtime_dbscan_start
 *   532    4    pgno_dbscan_highest_continuous
 *   536    4    gen_recovering        generation redo is working on
 *   540    4    extend_count
 *   544    8    logtime_last_extend
 *   552    4    shrink_count
 *   556    8    logtime_last_shrink
 *   564    8    logtime_last_reattach
 *   572    8    lgpos_last_reattach
 *   580    4    trim_count
 *   584    28   sign_db_hdr_flush     random signature of the last header
 *                                     flush (matched by the flush map)
 *   612    28   sign_flush_map_hdr_flush
 *   640    4    gen_min_consistent    lowest generation to become clean
 *   644    4    update_minor          format update minor
 *   648    4    efv_max_bin_attach    highest engine format version of a
 *                                     binary that attached it (diagnostic)
 *   652    4    pgno_dbscan_highest
 *   656    8    lgpos_last_resize
 *   664    3    reserved1
 *   667    4    filetype              JET_filetypeDatabase (1) or
 *                                     StreamingFile (2); same offset in log
 *                                     and checkpoint headers
 *   671    1    reserved2
 *   672    8    logtime_gen_max_required   creation time of gen_max_required
 *   680    4    gen_pre_redo_min_consistent
 *   684    4    gen_pre_redo_min_required
 *   688    28   sign_rbs_hdr_flush    revert-snapshot header flush signature
 *   716    4    revert_count
 *   720    8    logtime_revert_from
 *   728    8    logtime_revert_to
 *   736    4    revert_page_count
 *   740    8    lgpos_commit_before_revert
 *   748..page end: zero
 * LGPOS, LOGTIME, SIGNATURE and BKINFO are described in types.h.
 * Generations are LONG in ESE and are kept as uint32_t here.
 */
#ifndef JR_ESE_DBHEADER_H
#define JR_ESE_DBHEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "util/errinfo.h"

#define ESE_DBHEADER_SIZE     748         /* sizeof(DBFILEHDR) */
#define ESE_DB_MAGIC          0x89abcdefu /* ulDAEMagic */
#define ESE_DB_VERSION_ESE97  0x620u      /* the only major format since */
#define ESE_DB_PAGE_SIZE_MIN  2048
#define ESE_DB_PAGE_SIZE_MAX  32768
#define ESE_DB_PAGE_SIZE_DEFAULT 4096     /* what page_size_raw 0 means */

/* Database states (JET_dbstate*, jethdr.w). */
#define JET_dbstateJustCreated                 1
#define JET_dbstateDirtyShutdown               2
#define JET_dbstateCleanShutdown               3
#define JET_dbstateBeingConverted              4
#define JET_dbstateForceDetach                 5
#define JET_dbstateIncrementalReseedInProgress 6
#define JET_dbstateDirtyAndPatchedShutdown     7
#define JET_dbstateRevertInProgress            8

/* db_flags byte 0 */
#define ESE_DBFLAG_SHADOWING_DISABLED 0x01u
#define ESE_DBFLAG_UPGRADE_DB         0x02u

/* BKINFO types (bk_type_*) */
#define ESE_BKTYPE_NORMAL      0
#define ESE_BKTYPE_OS_SNAPSHOT 1
#define ESE_BKTYPE_SNAPSHOT    2

typedef struct {
	uint32_t checksum;
	uint32_t magic;
	uint32_t version;
	int32_t attrib;
	uint64_t dbtime;
	ese_signature sign_db;
	uint32_t state;
	ese_lgpos lgpos_consistent;
	ese_logtime logtime_consistent;
	ese_logtime logtime_attach;
	ese_lgpos lgpos_attach;
	ese_logtime logtime_detach;
	ese_lgpos lgpos_detach;
	uint32_t dbid;
	ese_signature sign_log;
	ese_bkinfo bk_full_prev;
	ese_bkinfo bk_inc_prev;
	ese_bkinfo bk_full_cur;
	uint32_t db_flags;
	uint32_t objid_last;
	uint32_t os_major;
	uint32_t os_minor;
	uint32_t os_build;
	uint32_t os_sp;
	uint32_t update_major;
	uint32_t page_size_raw;
	uint32_t repair_count;
	ese_logtime logtime_repair;
	uint8_t reserved_sign_slv[ESE_SIGNATURE_SIZE];
	uint64_t dbtime_last_scrub;
	ese_logtime logtime_scrub;
	uint32_t gen_min_required;
	uint32_t gen_max_required;
	int32_t cpg_upgrade_55_format;
	int32_t cpg_upgrade_free_pages;
	int32_t cpg_upgrade_space_map_pages;
	ese_bkinfo bk_snapshot_cur;
	uint32_t create_version;
	uint32_t create_update;
	ese_logtime logtime_gen_max_create;
	uint32_t bk_type_full_prev;
	uint32_t bk_type_inc_prev;
	uint32_t repair_count_old;
	uint32_t ecc_fix_success;
	ese_logtime logtime_ecc_fix_success;
	uint32_t ecc_fix_success_old;
	uint32_t ecc_fix_fail;
	ese_logtime logtime_ecc_fix_fail;
	uint32_t ecc_fix_fail_old;
	uint32_t bad_checksum;
	ese_logtime logtime_bad_checksum;
	uint32_t bad_checksum_old;
	uint32_t gen_max_committed;
	ese_bkinfo bk_copy_prev;
	ese_bkinfo bk_diff_prev;
	uint32_t bk_type_copy_prev;
	uint32_t bk_type_diff_prev;
	uint32_t reseed_count;
	ese_logtime logtime_reseed;
	uint32_t reseed_count_old;
	uint32_t page_patch_count;
	ese_logtime logtime_page_patch;
	uint32_t page_patch_count_old;
	uint64_t sort_version;
	ese_logtime logtime_dbscan_prev;
	ese_logtime logtime_dbscan_start;
	uint32_t pgno_dbscan_highest_continuous;
	uint32_t gen_recovering;
	uint32_t extend_count;
	ese_logtime logtime_last_extend;
	uint32_t shrink_count;
	ese_logtime logtime_last_shrink;
	ese_logtime logtime_last_reattach;
	ese_lgpos lgpos_last_reattach;
	uint32_t trim_count;
	ese_signature sign_db_hdr_flush;
	ese_signature sign_flush_map_hdr_flush;
	uint32_t gen_min_consistent;
	uint32_t update_minor;
	uint32_t efv_max_bin_attach;
	uint32_t pgno_dbscan_highest;
	ese_lgpos lgpos_last_resize;
	uint8_t reserved1[3];
	uint32_t filetype;
	uint8_t reserved2;
	ese_logtime logtime_gen_max_required;
	uint32_t gen_pre_redo_min_consistent;
	uint32_t gen_pre_redo_min_required;
	ese_signature sign_rbs_hdr_flush;
	uint32_t revert_count;
	ese_logtime logtime_revert_from;
	ese_logtime logtime_revert_to;
	uint32_t revert_page_count;
	ese_lgpos lgpos_commit_before_revert;

	/* Not a field: set by parse when bytes after the 748 of DBFILEHDR
	 * (up to the len given) were not zero; write always zeroes them. */
	bool tail_nonzero;
} ese_dbheader;

/* Which copy ESE would use and what was wrong with the other. */
typedef enum {
	ESE_SHADOW_OK,            /* both copies good and identical */
	ESE_SHADOW_PRIMARY_BAD,   /* header damaged: the shadow was used */
	ESE_SHADOW_SECONDARY_BAD, /* shadow damaged or different: header used */
} ese_shadow_status;

typedef struct {
	ese_dbheader hdr;         /* the chosen copy */
	uint32_t page_size;       /* detected page size = header block size */
	unsigned copy;            /* 0: header at offset 0; 1: the shadow */
	ese_shadow_status status;
	bool primary_ok;          /* checksum + page size field of copy 0 */
	bool shadow_ok;           /* ... of copy 1 */
	bool copies_differ;       /* both ok but not byte-identical */
} ese_dbheader_read_result;

/*
 * Decode one header copy from buf[0..len) without checking its checksum
 * (see ese_dbheader_checksum_ok). len >= 748 (else -1206). Checks the magic
 * (-1206 DatabaseCorrupted) and the format version (< 0x620: -1209
 * InvalidDatabaseVersion); out is filled even when they fail.
 */
JET_ERR ese_dbheader_parse(const uint8_t *buf, size_t len, ese_dbheader *out,
			   jr_errinfo *ei);

/* True when buf[0..page_size) is a valid header copy in ESE's sense: its
 * XOR checksum over page_size bytes matches and its cbPageSize field names
 * page_size (0 meaning 4096). */
bool ese_dbheader_copy_ok(const uint8_t *buf, size_t page_size);

/*
 * Elect the header from the first bytes of a database file, by ESE's rules
 * (above). buf holds the first len bytes of the file: 2 * page size are
 * enough (65536 covers every page size); a shorter buffer simply leaves
 * the copies that do not fit unreadable. -1206 when no copy is good or the
 * chosen one is not a database, -1209 for a format older than 0x620.
 */
JET_ERR ese_dbheader_read(const uint8_t *buf, size_t len,
			  ese_dbheader_read_result *out, jr_errinfo *ei);

/* The same, reading the first min(65536, file size) bytes of an open file
 * (-1022 DiskIO on a read error). */
JET_ERR ese_dbheader_read_fd(int fd, ese_dbheader_read_result *out,
			     jr_errinfo *ei);

/* Open path read-only and elect its header (jr_open_ro's errors, then
 * ese_dbheader_read's). */
JET_ERR ese_dbheader_read_file(const char *path, ese_dbheader_read_result *out,
			       jr_errinfo *ei);

/*
 * Serialize h into buf[0..len): every field at its offset, zeros after
 * byte 748, then the XOR checksum over len bytes (h->checksum is ignored).
 * len is the page size (>= 748; else -1003 InvalidParameter).
 */
JET_ERR ese_dbheader_write(const ese_dbheader *h, uint8_t *buf, size_t len);

/* Header and identical shadow: buf holds 2 * page_size bytes. */
JET_ERR ese_dbheader_write_pair(const ese_dbheader *h, uint8_t *buf,
				size_t page_size);

/* Page size the header declares (page_size_raw, 0 meaning 4096). */
uint32_t ese_dbheader_page_size(const ese_dbheader *h);

/* esentutl's name of a state ("Dirty Shutdown"); "Illegal" if unknown. */
const char *ese_dbstate_name(uint32_t state);

/* Whether the database needs no recovery (CleanShutdown). */
bool ese_dbheader_is_clean(const ese_dbheader *h);

/* Shadowing disabled flag (db_flags byte 0 bit 0). */
bool ese_dbheader_shadowing_disabled(const ese_dbheader *h);

/* A streaming-backup copy whose patch page has not been applied:
 * bk_full_cur.gen_low != 0 and bk_full_cur.gen_high == 0 (ESE's
 * FDBHeaderNeedsUpdating). */
bool ese_dbheader_needs_patch(const ese_dbheader *h);

/* Byte offset of database page pgno (pgno >= 1): (pgno + 1) * page_size. */
uint64_t ese_db_page_offset(uint32_t pgno, uint32_t page_size);

/* Name of a shadow status ("ok", "primary bad", "shadow bad"). */
const char *ese_shadow_status_name(ese_shadow_status s);

#endif /* JR_ESE_DBHEADER_H */
