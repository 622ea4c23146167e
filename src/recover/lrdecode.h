/*
 * lrdecode.h - every ESE log record decoded into typed fields, and what
 * redo does with each one.
 *
 * Input: one logical record as the log reader hands it out (fragments
 * already joined): rec[0] is the record type (LRTYP), len is the exact size
 * of the record. lr_decode() checks every length in the record against len
 * (the sum of the fixed part and every variable-length tail must equal len
 * exactly) and fails with JET_errLogFileCorrupt (-501) and a detail naming
 * the record type and the field when they disagree, or when a field holds a
 * value the format does not allow (an unknown split type, a list whose size
 * is not a multiple of its entry...).
 *
 * Memory: nothing is allocated. The lr_bytes tails of a decoded record point
 * into rec and stay valid as long as the caller keeps rec.
 *
 * All layouts are little-endian and byte-packed (ESE's pshpack1). Sizes of
 * ESE's scalar types: PROCID 2, DBID 1, PGNO 4, DBTIME 8 (signed), TRX 4,
 * LEVEL 1, RCEID 4, OBJID 4, CPG 4 (signed).
 *
 * ======================================================================
 * COMMON PARTS
 * ======================================================================
 *
 * LRPAGE_ (32 bytes): the head of every record that changes one page
 *   OFFSET SIZE FIELD
 *   0      1    lrtyp
 *   1      2    procid         the session (ESE's PIB) that logged it
 *   3      1    dbid           which attached database (AttachDB's dbid)
 *   4      4    pgno           the page changed
 *   8      8    dbtimeAfter    ("le_dbtime") the page's dbtime after the
 *                              change; also the database's running dbtime
 *   16     8    dbtimeBefore   the page's dbtime before the change;
 *                              0xFFFF...FF (dbtimeNil) in node records that
 *                              are part of a split (see Split2)
 *   24     4    trxBegin0      the session's transaction id (from Begin0)
 *   28     1    level          the session's transaction level
 *   29     2    iline          the line (node) of the page: tag iline + 1
 *                              (tag 0 is the external header)
 *   31     1    flags          LR_PAGE_VERSIONED 0x01 (a version store
 *                              entry is created: the change can be rolled
 *                              back), LR_PAGE_DELETED 0x02 (unused),
 *                              LR_PAGE_UNIQUE 0x04 (tree has unique keys),
 *                              LR_PAGE_SPACE 0x08 (space tree operation),
 *                              LR_PAGE_CONCCI 0x10 (done by concurrent
 *                              create-index), LR_PAGE_SYSTEM_TASK 0x20
 *
 * LRNODE_ (44 bytes) = LRPAGE_ followed by
 *   32     4    rceid          version store id, pairs the record with a
 *                              later Undo / UndoInfo / rollback
 *   36     4    pgnoFDP        root page of the tree the page belongs to
 *   40     4    objidFDP       object id of that tree (equals the page
 *                              header's objidFDP)
 *
 * ======================================================================
 * THE REDO RULES THAT APPLY TO ALL PAGE RECORDS (logredo.cxx)
 * ======================================================================
 *
 * R1 Attachment. A record for dbid is redone only while that dbid is
 *    attached (AttachDB or CreateDB seen in the replayed logs, or attached
 *    by the restore itself before the first record), only after the
 *    database's lgposAttach, and not for a database whose attachment was
 *    deferred or skipped.
 *
 * R2 Sessions. Sessions are identified by procid. A session counts as
 *    "after its first begin" once a Begin/Begin0 with levelBeginFrom 0 has
 *    been replayed for it. Page records of a session that is not yet after
 *    its first begin are not applied (their transaction started before the
 *    replay range); redo still raises the database's running dbtime to the
 *    record's dbtimeAfter and its last objid to the record's objidFDP, so
 *    that the header written at the end is right.
 *
 * R3 dbtime (FLGNeedRedoCheckDbtimeBefore). For a page whose current
 *    dbtime is P:
 *      P >= dbtimeAfter            the change is already on the page: skip.
 *      P == dbtimeBefore           apply it; the page's dbtime becomes
 *                                  dbtimeAfter (whatever the node operation
 *                                  itself set).
 *      P <  dbtimeBefore           JET_errDbTimeTooOld (-566): a flush was
 *                                  lost.
 *      dbtimeBefore < P < After    JET_errDbTimeTooNew (-567).
 *    When the replay is past the database's required range (its header's
 *    genMaxRequired), every record must need redo: a page that already
 *    has P >= dbtimeAfter there is a mismatch too (ESE reports -566, -567 or
 *    -625 DbTimeBeyondMaxRequired by the same comparisons).
 *
 * R4 New pages (ErrLGRIAccessNewPage). A page that a record creates from
 *    nothing (NewPage, the new page of a split, the roots of
 *    CreateFDP/ConvertFDP, the destination of PageMove) is (re)created
 *    when the database may hold changes from later logs and the page's
 *    dbtime is below dbtimeAfter, and always otherwise; it is then
 *    initialised as an empty page of the record's objidFDP whose dbtime is
 *    dbtimeAfter (ESE: CPAGE::ErrGetNewPreInitPageForRedo +
 *    ConsumePreInitPage(flags)).
 *
 * R5 Versions. A node record with LR_PAGE_VERSIONED creates a version
 *    store entry (RCE: rceid, level, trxBegin0, bookmark) so that an
 *    uncommitted transaction can be rolled back at the end of redo. For
 *    Insert/FlagInsert/FlagInsertAndReplaceData the entry is created even
 *    when the page needs no redo; for Replace/FlagDelete/
 *    FlagInsertAndReplaceData-replace the entry needs the before image,
 *    which comes from the page when it is redone, and from a later
 *    UndoInfo record when it is not (the rceid is registered as
 *    "deferred" until that UndoInfo arrives).
 *
 * R6 Macros. Split2, Merge2 and RootPageMove are not applied when read:
 *    they are kept per session, keyed by their dbtime, between a
 *    MacroBegin and the MacroCommit with the same dbtime, and applied
 *    together at the MacroCommit (all pages touched by the macro receive
 *    dbtimeAfter). A MacroAbort discards them. Node records logged with
 *    the same dbtime while the session's macro is open (the leaf operation
 *    of a split) are collected into the macro as well (UndoInfo is not).
 *
 * ======================================================================
 * NODE RECORDS (LRNODE_ head, one page: pgno, one line: iline)
 * ======================================================================
 *
 * Insert (29), LRINSERT, 50 + cbPrefix + cbSuffix + cbData
 *   44 2 cbSuffix   46 2 cbPrefix   48 2 cbData
 *   50   prefix (cbPrefix bytes), then suffix (cbSuffix), then data.
 *   Redo: insert a node at iline whose key is prefix + suffix and whose
 *   data is data. cbPrefix > 0 means the node is stored prefix-compressed:
 *   the first cbPrefix key bytes are the page's prefix (tag 0) and only the
 *   suffix is written in the line (ESE_LINE_COMPRESSED, cbPrefix count).
 *   Inside a split macro (dbtimeBefore = dbtimeNil) the Insert is not
 *   applied on its own: prefix + suffix is the key of the node the split
 *   inserts (see Split2).
 *
 * FlagInsert (30), LRFLAGINSERT, 48 + cbKey + cbData
 *   44 2 cbKey   46 2 cbData   48 key, data (the node's bookmark)
 *   Redo: the node at iline exists flagged deleted; clear its deleted
 *   flag. key/data are only used for the version entry.
 *
 * FlagInsertAndReplaceData (31), LRFLAGINSERTANDREPLACEDATA,
 *   52 + cbKey + cbData
 *   44 2 cbKey   46 2 cbData   48 4 rceidReplace   52 key, data
 *   Redo: the node at iline (flagged deleted) is undeleted and its data
 *   replaced by data; the key stays as on the page. Two versions: insert
 *   (rceid) and replace (rceidReplace). In a split macro: the operation
 *   the split performs (splitoper 3).
 *
 * FlagDelete (32), LRFLAGDELETE, 44: set the deleted flag of the node at
 *   iline (the node stays until a Delete removes it).
 *
 * Delete (35), LRDELETE, 44: remove the node at iline from the page.
 *
 * Replace (33) / ReplaceD (34), LRREPLACE, 50 + cb
 *   44 2 cb          bits 0..14: bytes that follow; bit 15 (fDiff2): the
 *                    ReplaceD diff uses DIFFHDR2 entries
 *   46 2 cbOldData   size of the data before (may be 0 = not known)
 *   48 2 cbNewData   size of the data after
 *   50   cb bytes: Replace: the new data (cb == cbNewData);
 *                  ReplaceD: a diff against the node's current data
 *   Redo: replace the data of the node at iline (the key is kept) by the
 *   new data; for ReplaceD the new data is lr_replaced_apply(current data,
 *   diff), and its size must be cbNewData (else -501). In a split macro a
 *   Replace gives the new data of the node the split replaces (splitoper 2).
 *
 *   The ReplaceD diff is a sequence of entries, each
 *     DIFFHDR (fDiff2 clear), 2 bytes:  bits 0..12 ib, bit 13 same-length,
 *                                       bit 14 insert, bit 15 two-byte sizes
 *     DIFFHDR2 (fDiff2 set), 3 bytes:   2 ib, then a flag byte with
 *                                       bit 5 same-length, bit 6 insert,
 *                                       bit 7 two-byte sizes
 *     cbNew   1 or 2 bytes (two-byte sizes)
 *     cbOld   1 or 2 bytes, only when neither insert nor same-length
 *     cbNew bytes of new content
 *   ib is an offset in the OLD data, entries in increasing ib order. The
 *   bytes of the old data up to ib are copied, then the entry's new bytes
 *   are written; insert consumes no old bytes, same-length consumes cbNew
 *   old bytes, otherwise cbOld old bytes are consumed. After the last
 *   entry the rest of the old data is copied. (ESE: logdiff.cxx,
 *   ErrLGGetAfterImage.)
 *
 * Delta (37), LRDELTA32, 54 + cbBookmarkKey + cbBookmarkData
 *   44 2 cbBookmarkKey   46 2 cbBookmarkData   48 4 delta (signed)
 *   52 2 cbOffset        54 bookmark key, bookmark data
 * Delta64 (93), LRDELTA64, 58 + ...: 48 8 delta   56 2 cbOffset   58 ...
 *   Redo: add delta to the little-endian 32/64-bit integer at byte
 *   cbOffset of the data of the node at iline (ESE: ErrNDDelta). The
 *   bookmark identifies the node for the version entry.
 *
 * SetExternalHeader (38), LRSETEXTERNALHEADER, 46 + cbData
 *   44 2 cbData   46 data
 *   Redo: tag 0 of the page (its prefix / space header) becomes data.
 *
 * Undo (39), LRUNDO, 51 + cbBookmarkKey + cbBookmarkData
 *   44 2 cbBookmarkKey   46 2 cbBookmarkData   48 2 oper   50 1 level
 *   51 bookmark key, bookmark data
 *   A rollback done while the log was written. Redo (R3 applies): find the
 *   version entry rceid of this session and undo it physically on the node
 *   at iline: oper 1 (insert) -> set the deleted flag; 3 (flag delete) ->
 *   clear the deleted flag; 2 (replace) -> put back the before image kept
 *   in the version entry; 4 / 9 (delta / delta64) -> add -delta at the
 *   version's cbOffset. Then the version entry is nullified.
 *
 * UndoInfo (36), LRUNDOINFO, 56 + cbBookmarkKey + cbBookmarkData + cbData
 *   44 2 cbBookmarkKey   46 2 cbBookmarkData   48 2 oper (2 replace,
 *   3 flag delete)   50 2 cbMaxSize (signed)   52 2 cbDelta (signed)
 *   54 2 cbData   56 bookmark key, bookmark data, before image (cbData)
 *   Never changes a page. Rebuilds the version entry (rceid, at
 *   min(level, session level)) of an operation whose page was flushed with
 *   the uncommitted change, so that the change can be rolled back; for
 *   replace, data is the before image. Only if the session is inside a
 *   transaction.
 *
 * Scrub (64), LRSCRUB, 54 + cbData
 *   44 4 scrubFlags (bit 0: the page is unused)   48 4 cscrubOper
 *   52 2 cbData   54 data (cscrubOper one-byte SCRUBOPER codes)
 *   Redo (R3): overwrite free space / deleted nodes of the page (unused
 *   page: the whole page) with the scrub pattern (ESE:
 *   ErrNDScrubOneUsedPage / ErrNDScrubOneUnusedPage).
 *
 * EmptyTree (48), LREMPTYTREE, 46 + cbEmptyPageList
 *   44 2 cbEmptyPageList   46 EMPTYPAGE[cbEmptyPageList / 16]
 *   EMPTYPAGE: 0 8 dbtimeBefore   8 4 pgno   12 4 page flags (debug only)
 *   pgno (the record's page) is the root of a tree being emptied. Redo:
 *   each listed page whose own dbtime check (R3 with the entry's
 *   dbtimeBefore and the record's dbtimeAfter) says so is made an empty
 *   page with dbtime = dbtimeAfter (ESE: NDEmptyPage); then, if the root
 *   needs redo, the root is reset to an empty tree (NDSetEmptyTree).
 *
 * ======================================================================
 * MULTI-PAGE RECORDS
 * ======================================================================
 *
 * Split2 (62), LRSPLITNEW, 110 + cbKeyParent + cbPrefixSplitOld
 *                          + cbPrefixSplitNew + cbPageBeforeImage
 *   0..31 LRPAGE_: pgno = the page of this level, dbtimeBefore its dbtime
 *                  before, dbtimeAfter the one dbtime of the whole split;
 *                  iline unused (0)
 *   32 4 pgnoNew            the page created at this level; 0 when this
 *                           level does not split (see below)
 *   36 4 pgnoRight          right sibling whose back link becomes pgnoNew
 *                           (leaf right/append splits), else 0
 *   40 8 dbtimeRightBefore  its dbtime before (dbtimeNil when none)
 *   48 4 pgnoParent         the page one level up (0 at the top)
 *   52 8 dbtimeParentBefore its dbtime before
 *   60 4 pgnoFDP            root of the tree
 *   64 4 objidFDP           object of the tree (the new page gets it)
 *   68 1 splittype          0 vertical (the root's lines all move to the
 *                           new page and the root gets one line pointing
 *                           to it), 1 right (lines ilineSplit.. move to
 *                           the new page, which goes right of pgno),
 *                           2 append (only the new node goes to the new
 *                           page)
 *   69 1 splitoper          0 none (parent levels), 1 insert, 2 replace,
 *                           3 flag-insert-and-replace-data
 *   70 2 ilineOper          line of the operation in the split's virtual
 *                           line list (old lines with the inserted one)
 *   72 2 ilineSplit         first virtual line that moves to pgnoNew
 *   74 2 clines             number of virtual lines
 *   76 4 fNewPageFlags      page flags of pgnoNew
 *   80 4 fSplitPageFlags    page flags of pgno after the split
 *   84 2 cbUncFreeSrc       uncommitted free bytes of pgno after (signed)
 *   86 2 cbUncFreeDest      uncommitted free bytes of pgnoNew (signed)
 *   88 4 ilinePrefixSplit   virtual line whose key gives pgno's new
 *                           prefix, -1 none (signed)
 *   92 4 ilinePrefixNew     the same for pgnoNew, relative to ilineSplit
 *   96 2 cbPrefixSplitOld   98 2 cbPrefixSplitNew   100 2 cbKeyParent
 *   102 4 flags             bit 0: pre-image dehydrated, bit 1: Xpress
 *   106 4 cbPageBeforeImage
 *   110   keyParent (cbKeyParent): separator key this level inserts into
 *         its parent: the parent gets a new node (keyParent -> pgno) just
 *         before its node that pointed to pgno, and that node now points
 *         to pgnoNew (bt.cxx BTIInsertPgnoNewAndSetPgnoSplit); then
 *         prefixSplitOld, prefixSplitNew: the old and new prefix (tag 0)
 *         of pgno; then the pre-image.
 *   How a split is logged (bt.cxx ErrLGSplit): MacroBegin(dbtime), one
 *   Split2 per level from the top level down to the leaf, then for
 *   splitoper 1/2/3 the leaf operation as an Insert / Replace /
 *   FlagInsertAndReplaceData record (same procid and dbtime, dbtimeBefore
 *   dbtimeNil, pgno = the leaf split page), then MacroCommit(dbtime) and a
 *   MacroInfo (ignored) listing the pages. The top record may have
 *   pgnoNew = 0: that level does not split, it only receives the
 *   separator of the level below (the insert at its ilineOper).
 *   Each level's record's dbtimeParentBefore gives the dbtimeBefore used
 *   for the page above.
 *   Redo at MacroCommit, per level (ErrLGRIRedoSplit and ErrLGRIRedoInit-
 *   ializeSplit): R3 on pgno (dbtimeBefore), on pgnoRight
 *   (dbtimeRightBefore) and on the parent; R4 on pgnoNew. The pages that
 *   need redo are rebuilt by BTIPerformSplit (bt.cxx): lines before
 *   ilineSplit stay on pgno, the others go to pgnoNew, the operation is
 *   applied at ilineOper, prefixes are recomputed from ilinePrefix*,
 *   page flags and uncommitted-free counts are set from the record, sibling
 *   links fixed, the separator inserted one level up; every page rebuilt
 *   gets dbtimeAfter.
 *   Pre-image: present exactly when the moved lines must not be lost
 *   (FBTISplitPageBeforeImageRequired: vertical splits, and right splits
 *   except an insert at the last line that alone moves); never for
 *   append. It is the image of pgno before the split, but its header
 *   dbtime is already dbtimeAfter. Used only when pgnoNew needs redo and
 *   pgno does not (pgno reached disk after the split, pgnoNew did not):
 *   the page is replaced by the pre-image with its dbtime set back to
 *   dbtimeBefore (keeping the current page's FDP-delete flag), then the
 *   split is redone on both. ESE's redo fails with
 *   JET_errDatabaseBufferDependenciesCorrupted (-255) on any split level
 *   whose pre-image is required (lr_split_preimage_required) but absent,
 *   whether or not it would be used. Stored as: Xpress
 *   (flags bit 1) of the possibly dehydrated (bit 0) page; with no flag
 *   bit it is the whole page. lr_preimage_expand() gives the page back.
 *   The old Split (27, LRSPLITOLD: the first 102 bytes, no flags, no
 *   pre-image) is decoded but ESE's redo refuses it (JET_errBadLogVersion).
 *
 * Merge2 (63), LRMERGENEW, 96 + cbKeyParentSep + cbPageBeforeImage
 *   0..31 LRPAGE_: pgno = page of this level (the leaf: the page merged
 *                  away / from), iline: the line in it (parent levels:
 *                  the node whose key changes or which is deleted)
 *   32 4 pgnoRight   36 8 dbtimeRightBefore   44 4 pgnoLeft
 *   48 8 dbtimeLeftBefore   56 4 pgnoParent   60 8 dbtimeParentBefore
 *   68 4 pgnoFDP   72 4 objidFDP
 *   76 2 cbSizeTotal   78 2 cbSizeMaxTotal   80 2 cbUncFreeDest
 *   82 2 ilineMerge   84 1 mergeFlags (0x01 key change, 0x02 delete node,
 *   0x04 empty page)   85 1 mergetype   86 2 cbKeyParentSep
 *   88 4 flags (pre-image, as Split2)   92 4 cbPageBeforeImage
 *   96   keyParentSep, then the pre-image of pgno
 *   mergetype: 0 none, 1 empty page, 2 full right, 3 partial right,
 *   4 empty tree, 5 full left, 6 partial left, 7 page move.
 *   Logged like a split: MacroBegin, one Merge2 per level top-down (the
 *   leaf last; only the leaf record carries left/right/type), MacroCommit.
 *   Redo at MacroCommit (ErrLGRIRedoMerge, BTIPerformMerge): R3 on every
 *   page with its own dbtimeBefore; the destination is the left sibling
 *   for left merges and the right sibling for right merges; right merges
 *   move the lines of pgno from ilineMerge on (a full right merge: 0, all),
 *   left merges the lines up to ilineMerge (a full left merge: the last
 *   line, all); a full merge empties pgno and unlinks it; parents delete or
 *   re-key their node. Pre-image of pgno (full/partial left/right merges,
 *   lr_merge_preimage_required): used when the destination needs redo but
 *   pgno does not, as for splits; missing when needed it is -255.
 *
 * PageMove (65), LRPAGEMOVE, 96 + cbPageHeader + cbPageTrailer
 *   0..31 LRPAGE_: pgno = source page, dbtimeBefore = source's before,
 *                  dbtimeAfter = the dbtime every page receives
 *   32 4 pgnoDest   36 4 pgnoLeft   40 4 pgnoRight   44 4 pgnoParent
 *   48 8 dbtimeLeftBefore   56 8 dbtimeRightBefore
 *   64 8 dbtimeParentBefore   72 4 pgnoFDP   76 4 objidFDP
 *   80 4 ilineParent (signed)   84 4 moveFlags (1 root FDP, 2 root OE,
 *   4 root AE: those are RootPageMove parts)   88 4 cbPageHeader
 *   92 4 cbPageTrailer   96 header bytes, trailer bytes
 *   Not a macro. Redo (ErrLGRIIRedoPageMove): R3 on parent, source, left
 *   and right; R4 on the destination. If the destination needs redo and
 *   the source does not, the source is first replaced by its logged image:
 *   the first cbPageHeader bytes, zeros, and the last cbPageTrailer bytes
 *   (the page's tag array) form the page, whose dbtime is set back to
 *   dbtimeBefore. Then BTPerformPageMove: the source's content is copied
 *   to the destination, the source is emptied, the siblings' links and the
 *   parent's node at ilineParent point to the destination.
 *
 * RootPageMove (96), LRROOTPAGEMOVE, 16
 *   1 8 dbtimeAfter   9 1 dbid   10 4 objid   14 2 procid
 *   Opens a root move inside a macro: the PageMove records with root move
 *   flags that follow (same dbtime) describe the FDP root and its space
 *   tree roots moving; applied at MacroCommit (SHKPerformRootMove, used by
 *   database shrink).
 *
 * NewPage (95), LRNEWPAGE, 20
 *   1 2 procid   3 1 dbid   4 4 pgno   8 4 objid   12 8 dbtimeAfter
 *   Redo (R2, R4): pgno becomes a new empty page of objid with dbtime =
 *   dbtimeAfter (ESE's pre-initialised page). A split that uses the page
 *   follows later with its own dbtime.
 *
 * CreateSingleExtentFDP (25), LRCREATESEFDP, 48
 *   0..31 LRPAGE_ (pgno = the new FDP root)   32 4 objidFDP
 *   36 4 pgnoFDPParent   40 4 cpgPrimary   44 4 fPageFlags
 *   Redo (R2, R4 on pgno): the root page is created as an empty root+leaf
 *   page of objidFDP with a single-extent space header (cpgPrimary,
 *   pgnoFDPParent, unique flag from LR_PAGE_UNIQUE; ESE:
 *   ErrSPICreateSingle) and dbtime = dbtimeAfter.
 *
 * CreateMultipleExtentFDP (24), LRCREATEMEFDP, 56
 *   32 4 objidFDP   36 4 pgnoOE   40 4 pgnoAE   44 4 pgnoFDPParent
 *   48 4 cpgPrimary   52 4 fPageFlags
 *   Redo (R2, R4 on each): the root pgno gets a multiple-extent space
 *   header pointing at pgnoOE; pgnoOE becomes the owned-extent tree root
 *   holding the extent (last page pgno + cpgPrimary - 1, cpgPrimary pages);
 *   pgnoAE the available-extent tree root holding the same extent minus
 *   the three pages used (cpgPrimary - 3). All get dbtimeAfter.
 *
 * ConvertFDP2 (58), LRCONVERTFDP, 68
 *   32 4 objidFDP   36 4 pgnoOE   40 4 pgnoAE   44 4 pgnoFDPParent
 *   48 4 pgnoSecondaryFirst   52 4 cpgPrimary   56 4 cpgSecondary
 *   60 4 rgbitAvail   64 4 fCpageFlags
 *   Redo: R3 on the root pgno, R4 on pgnoOE and pgnoAE; the single-extent
 *   root becomes multiple-extent: OE/AE roots are created and filled from
 *   the primary extent, the avail bitmap rgbitAvail and the secondary
 *   extent (ESE: SPIConvertCalcExtents, SPIPerformConvert). ConvertFDP
 *   (26, the first 60 bytes) is refused by ESE's redo.
 *
 * ======================================================================
 * TRANSACTIONS (LRTRX_: 1 lrtyp, 2 procid)
 * ======================================================================
 *
 * Begin (5) 4 / Begin0 (8) 8 / BeginDT (53) 8
 *   3 1 bits 0..3 levelBeginFrom, bits 4..7 clevelsToBegin
 *   4 4 trxBegin0 (Begin0, BeginDT)
 *   Redo: only if the session is after its first begin or levelBeginFrom
 *   is 0 (R2). From level 0 (Begin0): the session takes trxBegin0 and
 *   becomes "after first begin". The level becomes levelBeginFrom +
 *   clevelsToBegin.
 * Commit (6) 4 / Commit0 (9) 8
 *   3 1 levelCommitTo   4 4 trxCommit0 (Commit0)
 *   Redo: levels above levelCommitTo are committed; reaching 0 (Commit0)
 *   makes the transaction durable and frees its version entries.
 * Rollback (7) 4: 3 1 levelRollback, the number of levels rolled back. Its
 *   logged operations were already undone by Undo records before it; redo
 *   drops the version entries of those levels.
 * Refresh (10) 7: 3 4 trxBegin0 (unused by current ESE).
 * MacroBegin (11) / MacroCommit (12) / MacroAbort (13), 11: 3 8 dbtime.
 *   See R6.
 * PrepCommit (54) 7 + cbData, PrepRollback (55) 3, ForceWriteLog (57) 3:
 *   no effect on pages.
 * At the end of redo every session still inside a transaction is rolled
 *   back from the version store built by R5 (ESE: undo phase, logged as
 *   RecoveryUndo2 + Undo records when ESE runs it).
 *
 * ======================================================================
 * DATABASE AND LOG CONTROL RECORDS
 * ======================================================================
 *
 * AttachDB (15), LRATTACHDB, 75 + cbPath
 *   1 2 procid   3 1 dbid   4 4 cpgDatabaseSizeMax   8 8 lgposConsistent
 *   16 28 signDb   44 28 signLog   72 2 cbPath   74 1 flags (0x08 Unicode
 *   path, 0x10 sparse file)   75 path (UTF-16LE when Unicode, else ANSI)
 *   Redo: dbid -> database from here on (R1); its header signature must
 *   match signDb.
 * DetachDB (16), LRDETACHDB, 7 + cbPath
 *   1 2 procid   3 1 dbid   4 2 cbPath   6 1 flags (0x10 Unicode)   7 path
 *   Redo: the database is brought to a consistent state and detached.
 * CreateDB (14), LRCREATEDB, 43 [+ 4] + cbPath
 *   1 2 procid   3 1 dbid   4 4 grbit   8 4 cpgDatabaseSizeMax
 *   12 28 signDb   40 2 cbPath   42 1 flags (0x04 version info follows,
 *   0x08 Unicode, 0x10 sparse)   43 [2 version, 2 update major]   path
 *   Redo: create the database (soft recovery only), attach dbid.
 * CreateDBFinish (79) 4: 1 2 procid, 3 1 dbid.
 * SetDbVersion (92) 14: 1 1 dbid, 2 4 major, 6 4 update major,
 *   10 4 update minor: written into the database header.
 * Init (1) 568 / Init2 (49) 576: DBMS_PARAM (1 261 system path, 262 261
 *   log path, 523 1 flags, 524 7 x 4 limits, 552 16 reserved), Init2: 568
 *   8 LOGTIME. An engine start: every session still open is ended and its
 *   transactions rolled back (the previous run crashed).
 * Term (2) 18 / Term2 (50) 26 / RecoveryQuit (18) 18 / RecoveryQuit2 (52)
 *   26 / RecoveryQuitKeepAttachments (80) 26: 1 8 lgpos (last undo start),
 *   9 8 lgposRedoFrom, 17 1 fHard, 18 8 LOGTIME (the "2" forms). A clean
 *   end of a run: all sessions end, databases are consistent there
 *   (detached, except KeepAttachments).
 * RecoveryUndo (17) 1 / RecoveryUndo2 (51) 9 (1 8 LOGTIME): a previous
 *   recovery started its undo phase here. No page effect.
 * ShutDownMark (23) 1: a consistency point; no effect.
 * ExtendDB (68, an "ignored" type: 1 4 cb = 5, 5 1 dbid, 6 4 pgnoLast):
 *   grow the file to hold pgnoLast.
 * ShrinkDB (78) / ShrinkDB2 (94) 10, ShrinkDB3 (99) 18: 1 1 dbid,
 *   2 4 pgnoLast, 6 4 cpgShrunk, [10 8 dbtime]: the file is cut to
 *   pgnoLast; ShrinkDB3: pages in the cut range older than dbtime are
 *   reset as shrunk pages when the cut itself is skipped.
 * TrimDB (81) 10: 1 1 dbid, 2 4 pgnoStartZeroes, 6 4 cpgZeroLength: the
 *   range is made sparse (zeroes).
 * ExtentFreed (100) 11 / ExtentFreed2 (101) 19: 1 1 dbid, 2 4 pgnoFirst,
 *   6 4 cpgExtent, 10 1 flags (1 table root page, 2 empty page of a deleted
 *   FDP), [11 8 dbtime]: bookkeeping for revert snapshots only.
 * Backup2 (60) 35 + cbPath: 1 1 phase, 2 4 type, 6 1 scope, 7 1 dbid,
 *   8 24 BKINFO, 32 1 reserved, 33 2 cbPath, 35 path: with phase 4
 *   (update) the database header's backup information is updated.
 * FullBackup (19) / IncBackup (20) 3 + cbPath, Backup (46) 5 + cbPath:
 *   old backup marks.
 * ExtRestore (45) / ExtRestore2 (59) 3 + cbInfo: instance name and log
 *   path of an external restore (2: UTF-16LE). Trace only.
 * PagePatchRequest (66) 46: 1 1 dbid, 2 4 pgno, 6 8 dbtime, 32 reserved.
 * SignalAttachDb (97) 2: 1 1 dbid.   ScanCheck2 (98) 27: 1 1 dbid,
 *   2 4 pgno, 6 1 flags+source, 7 8 dbtimePage, 15 8 dbtimeCurrent,
 *   23 4 checksum: a database-scan check of a page's logical checksum.
 *
 * IGNORED FAMILY (what redo skips or only traces):
 *   NOP (0) 1, End/Fill (4) 1, NOP2 (71, LRIGNORED: 1 4 cb + cb bytes):
 *   padding. Trace (22) and ForceLogRollover (61) (1 2 procid, 3 2 cb,
 *   text), JetOp (21) 4, MS (3) 9, ForceWriteLog (57): no effect.
 *   LRIGNORED types (1 4 cb, then cb bytes) that old ESE versions skip by
 *   size: MacroInfo (67: cb/4 pgnos touched by the last macro), ExtendDB
 *   (68, applied, above), CommitCtx (69: 5 2 procid, 7 1 flags, context),
 *   ScanCheck (70, legacy), ReAttach (72: 5 1 dbid, 6 8 lgposAttach,
 *   14 8 lgposConsistent, 22 28 signDb; updates header times), MacroInfo2
 *   (73: 5 1 dbid, 6 4 cpgno, pgnos), FreeFDP (74: 5 1 dbid, 6 4 pgnoFDP,
 *   10 4 trxCommitted, 14 1 FDP type; purges cached trees), Ignored9..19
 *   (75, 82..91). Of these only ExtendDB, ReAttach, FreeFDP, ScanCheck and
 *   CommitCtx have any redo effect, and none changes a page.
 *   FragmentBegin (76) 7 + cbFragment and Fragment (77) 3 + cbFragment are
 *   joined by the log reader and never reach redo.
 *   Types 40-44, 47, 56 are obsolete with no layout: lr_decode() fails.
 */
#ifndef JR_RECOVER_LRDECODE_H
#define JR_RECOVER_LRDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/types.h"
#include "util/errinfo.h"
#include "util/json.h"

/* LRPAGE_ flags (byte 31). */
#define LR_PAGE_VERSIONED    0x01u
#define LR_PAGE_DELETED      0x02u
#define LR_PAGE_UNIQUE       0x04u
#define LR_PAGE_SPACE        0x08u
#define LR_PAGE_CONCCI       0x10u
#define LR_PAGE_SYSTEM_TASK  0x20u

/* Pre-image flags of Split2 / Merge2. */
#define LR_PREIMAGE_DEHYDRATED 0x1u
#define LR_PREIMAGE_XPRESS     0x2u

/* Merge2 mergeFlags. */
#define LR_MERGE_KEY_CHANGE  0x01u
#define LR_MERGE_DELETE_NODE 0x02u
#define LR_MERGE_EMPTY_PAGE  0x04u

/* Special dbtimes. */
#define LR_DBTIME_NIL     UINT64_C(0xffffffffffffffff)
#define LR_DBTIME_INVALID UINT64_C(0xfffffffffffffffe)

/* Split types, split operations and merge types. */
enum { LR_SPLIT_VERTICAL = 0, LR_SPLIT_RIGHT = 1, LR_SPLIT_APPEND = 2 };
enum { LR_SPLITOPER_NONE = 0, LR_SPLITOPER_INSERT = 1,
       LR_SPLITOPER_REPLACE = 2, LR_SPLITOPER_FLAG_INSERT_REPLACE = 3 };
enum { LR_MERGE_NONE = 0, LR_MERGE_EMPTY_PAGE_T = 1, LR_MERGE_FULL_RIGHT = 2,
       LR_MERGE_PARTIAL_RIGHT = 3, LR_MERGE_EMPTY_TREE = 4,
       LR_MERGE_FULL_LEFT = 5, LR_MERGE_PARTIAL_LEFT = 6,
       LR_MERGE_PAGE_MOVE = 7 };

/* Version store operations (Undo, UndoInfo). */
enum { LR_OPER_INSERT = 1, LR_OPER_REPLACE = 2, LR_OPER_FLAG_DELETE = 3,
       LR_OPER_DELTA = 4, LR_OPER_DELTA64 = 9 };

/* A variable-length part of a record: points into the caller's buffer. */
typedef struct {
	const uint8_t *p;
	uint32_t len;
} lr_bytes;

/* LRPAGE_ */
typedef struct {
	uint16_t procid;
	uint8_t dbid;
	uint32_t pgno;
	uint64_t dbtime_after;
	uint64_t dbtime_before;
	uint32_t trx_begin0;
	uint8_t level;
	uint16_t iline;
	uint8_t flags;            /* LR_PAGE_* */
} lr_page_hdr;

/* LRNODE_ */
typedef struct {
	lr_page_hdr page;
	uint32_t rceid;
	uint32_t pgno_fdp;
	uint32_t objid_fdp;
} lr_node_hdr;

typedef struct {                /* Insert */
	lr_node_hdr n;
	lr_bytes key_prefix, key_suffix, data;
} lr_insert;

typedef struct {                /* FlagInsert */
	lr_node_hdr n;
	lr_bytes key, data;
} lr_flag_insert;

typedef struct {                /* FlagInsertAndReplaceData */
	lr_node_hdr n;
	uint32_t rceid_replace;
	lr_bytes key, data;
} lr_flag_insert_replace;

typedef struct {                /* Replace, ReplaceD */
	lr_node_hdr n;
	bool diff;                /* ReplaceD: data is a diff */
	bool diff2;               /* the diff uses DIFFHDR2 */
	uint16_t cb_old_data;
	uint16_t cb_new_data;
	lr_bytes data;
} lr_replace;

typedef struct {                /* Delta, Delta64 */
	lr_node_hdr n;
	bool is64;
	int64_t delta;
	uint16_t cb_offset;
	lr_bytes bm_key, bm_data;
} lr_delta;

typedef struct {                /* Undo */
	lr_node_hdr n;
	uint16_t oper;
	uint8_t level_undo;
	lr_bytes bm_key, bm_data;
} lr_undo;

typedef struct {                /* UndoInfo */
	lr_node_hdr n;
	uint16_t oper;
	int16_t cb_max_size;
	int16_t cb_delta;
	lr_bytes bm_key, bm_data, data;
} lr_undo_info;

typedef struct {                /* SetExternalHeader */
	lr_node_hdr n;
	lr_bytes data;
} lr_set_ext_header;

typedef struct {                /* Scrub */
	lr_node_hdr n;
	uint32_t scrub_flags;
	uint32_t cscrub_oper;
	lr_bytes data;
} lr_scrub;

typedef struct {                /* one EMPTYPAGE of EmptyTree */
	uint64_t dbtime_before;
	uint32_t pgno;
	uint32_t page_flags;
} lr_empty_page;

typedef struct {                /* EmptyTree */
	lr_node_hdr n;
	uint32_t count;           /* entries in list */
	lr_bytes list;            /* count * 16 bytes; see lr_empty_tree_page */
} lr_empty_tree;

typedef struct {                /* Split2 (and the old Split) */
	lr_page_hdr page;
	bool old_format;          /* Split (27): no flags, no pre-image */
	uint32_t pgno_new;
	uint32_t pgno_right;
	uint64_t dbtime_right_before;
	uint32_t pgno_parent;
	uint64_t dbtime_parent_before;
	uint32_t pgno_fdp;
	uint32_t objid_fdp;
	uint8_t splittype;
	uint8_t splitoper;
	uint16_t iline_oper;
	uint16_t iline_split;
	uint16_t clines;
	uint32_t new_page_flags;
	uint32_t split_page_flags;
	int16_t cb_unc_free_src;
	int16_t cb_unc_free_dest;
	int32_t iline_prefix_split;
	int32_t iline_prefix_new;
	uint32_t preimage_flags;  /* LR_PREIMAGE_* */
	lr_bytes key_parent, prefix_split_old, prefix_split_new, preimage;
} lr_split;

typedef struct {                /* Merge2 (and the old Merge) */
	lr_page_hdr page;
	bool old_format;
	uint32_t pgno_right;
	uint64_t dbtime_right_before;
	uint32_t pgno_left;
	uint64_t dbtime_left_before;
	uint32_t pgno_parent;
	uint64_t dbtime_parent_before;
	uint32_t pgno_fdp;
	uint32_t objid_fdp;
	uint16_t cb_size_total;
	uint16_t cb_size_max_total;
	uint16_t cb_unc_free_dest;
	uint16_t iline_merge;
	uint8_t merge_flags;      /* LR_MERGE_KEY_CHANGE ... */
	uint8_t mergetype;
	uint32_t preimage_flags;
	lr_bytes key_parent_sep, preimage;
} lr_merge;

typedef struct {                /* PageMove */
	lr_page_hdr page;         /* pgno: source */
	uint32_t pgno_dest, pgno_left, pgno_right, pgno_parent;
	uint64_t dbtime_left_before, dbtime_right_before;
	uint64_t dbtime_parent_before;
	uint32_t pgno_fdp, objid_fdp;
	int32_t iline_parent;
	uint32_t move_flags;
	lr_bytes page_header, page_trailer;
} lr_page_move;

typedef struct {                /* RootPageMove */
	uint64_t dbtime_after;
	uint8_t dbid;
	uint32_t objid;
	uint16_t procid;
} lr_root_page_move;

typedef struct {                /* NewPage */
	uint16_t procid;
	uint8_t dbid;
	uint32_t pgno;
	uint32_t objid;
	uint64_t dbtime_after;
} lr_new_page;

typedef struct {                /* CreateSingle/MultipleExtentFDP */
	lr_page_hdr page;         /* pgno: the new FDP root */
	bool multiple;
	uint32_t objid_fdp;
	uint32_t pgno_oe, pgno_ae; /* 0 for a single extent */
	uint32_t pgno_fdp_parent;
	int32_t cpg_primary;
	uint32_t page_flags;
} lr_create_fdp;

typedef struct {                /* ConvertFDP2 (and the old ConvertFDP) */
	lr_page_hdr page;
	bool old_format;
	uint32_t objid_fdp, pgno_oe, pgno_ae, pgno_fdp_parent;
	uint32_t pgno_secondary_first;
	int32_t cpg_primary, cpg_secondary;
	uint32_t rgbit_avail, cpage_flags;
} lr_convert_fdp;

typedef struct {                /* Begin, Begin0, BeginDT */
	uint16_t procid;
	uint8_t level_begin_from;
	uint8_t clevels_to_begin;
	bool has_trx;
	uint32_t trx_begin0;
} lr_begin;

typedef struct {                /* Commit, Commit0 */
	uint16_t procid;
	uint8_t level_commit_to;
	bool has_trx;
	uint32_t trx_commit0;
} lr_commit;

typedef struct {                /* Rollback */
	uint16_t procid;
	uint8_t level_rollback;
} lr_rollback;

typedef struct {                /* Refresh */
	uint16_t procid;
	uint32_t trx_begin0;
} lr_refresh;

typedef struct {                /* MacroBegin/Commit/Abort */
	uint16_t procid;
	uint64_t dbtime;
} lr_macro;

typedef struct {                /* ForceWriteLog, PrepRollback, PrepCommit */
	uint16_t procid;
	lr_bytes data;            /* PrepCommit only */
} lr_trx_misc;

typedef struct {                /* MacroInfo, MacroInfo2 */
	bool v2;
	uint8_t dbid;             /* MacroInfo2 only */
	uint32_t count;
	lr_bytes pgnos;           /* count * 4 bytes; lr_macro_info_pgno */
} lr_macro_info;

typedef struct {                /* Init, Init2 */
	lr_bytes system_path;     /* 261 bytes, NUL-padded, debug only */
	lr_bytes log_path;
	uint8_t param_flags;
	uint32_t sessions_max, open_tables_max, ver_pages_max, cursors_max;
	uint32_t log_buffers, csec_log_file, cache_size_max;
	bool has_logtime;
	ese_logtime logtime;
} lr_init;

typedef struct {                /* Term, Term2, RecoveryQuit*, Quit...Keep */
	ese_lgpos lgpos;
	ese_lgpos lgpos_redo_from;
	uint8_t hard;
	bool has_logtime;
	ese_logtime logtime;
} lr_term;

typedef struct {                /* RecoveryUndo, RecoveryUndo2 */
	bool has_logtime;
	ese_logtime logtime;
} lr_recovery_undo;

typedef struct {                /* AttachDB */
	uint16_t procid;
	uint8_t dbid;
	uint32_t cpg_database_size_max;
	ese_lgpos lgpos_consistent;
	ese_signature sign_db, sign_log;
	uint8_t flags;            /* 0x08 Unicode path, 0x10 sparse */
	lr_bytes path;
} lr_attach_db;

typedef struct {                /* DetachDB */
	uint16_t procid;
	uint8_t dbid;
	uint8_t flags;            /* 0x10 Unicode path */
	lr_bytes path;
} lr_detach_db;

typedef struct {                /* CreateDB */
	uint16_t procid;
	uint8_t dbid;
	uint32_t grbit;
	uint32_t cpg_database_size_max;
	ese_signature sign_db;
	uint8_t flags;            /* 0x04 version, 0x08 Unicode, 0x10 sparse */
	uint16_t version, update_major;  /* when flags & 0x04 */
	lr_bytes path;
} lr_create_db;

typedef struct {                /* CreateDBFinish, SignalAttachDb */
	uint16_t procid;          /* CreateDBFinish only */
	uint8_t dbid;
} lr_dbid_only;

typedef struct {                /* SetDbVersion */
	uint8_t dbid;
	uint32_t major, update_major, update_minor;
} lr_set_db_version;

typedef struct {                /* ExtendDB */
	uint8_t dbid;
	uint32_t pgno_last;
} lr_extend_db;

typedef struct {                /* ShrinkDB, ShrinkDB2, ShrinkDB3 */
	uint8_t dbid;
	uint32_t pgno_last;
	int32_t cpg_shrunk;
	bool has_dbtime;
	uint64_t dbtime;
} lr_shrink_db;

typedef struct {                /* TrimDB */
	uint8_t dbid;
	uint32_t pgno_start_zeroes;
	int32_t cpg_zero_length;
} lr_trim_db;

typedef struct {                /* ExtentFreed, ExtentFreed2 */
	uint8_t dbid;
	uint32_t pgno_first;
	int32_t cpg_extent;
	uint8_t flags;
	bool has_dbtime;
	uint64_t dbtime;
} lr_extent_freed;

typedef struct {                /* Backup2 */
	uint8_t phase;
	uint32_t backup_type;
	uint8_t scope;
	uint8_t dbid;
	ese_bkinfo bkinfo;
	lr_bytes path;
} lr_backup2;

typedef struct {                /* FullBackup, IncBackup, Backup (old) */
	uint8_t backup_type;      /* Backup (46) only */
	lr_bytes path;
} lr_backup_old;

typedef struct {                /* ExtRestore, ExtRestore2 */
	bool unicode;
	lr_bytes info;
} lr_ext_restore;

typedef struct {                /* Trace, ForceLogRollover */
	uint16_t procid;
	lr_bytes text;
} lr_trace;

typedef struct {                /* JetOp */
	uint16_t procid;
	uint8_t op;
} lr_jetop;

typedef struct {                /* MS */
	uint16_t ib_forward_link;
	uint32_t checksum;
	uint16_t isec_forward_link;
} lr_ms;

typedef struct {                /* NOP2, Ignored9..19 */
	uint32_t cb;
	lr_bytes data;
} lr_ignored;

typedef struct {                /* CommitCtx */
	uint16_t procid;
	uint8_t ctx_flags;
	lr_bytes context;
} lr_commit_ctx;

typedef struct {                /* ScanCheck (legacy), ScanCheck2 */
	bool legacy;
	uint8_t dbid;
	uint32_t pgno;
	uint8_t flags_and_source; /* ScanCheck2 */
	uint64_t dbtime_page;     /* legacy: dbtimeBefore */
	uint64_t dbtime_current;  /* legacy: dbtimeAfter */
	uint32_t checksum;
} lr_scan_check;

typedef struct {                /* ReAttach */
	uint8_t dbid;
	ese_lgpos lgpos_attach, lgpos_consistent;
	ese_signature sign_db;
} lr_reattach;

typedef struct {                /* FreeFDP */
	uint8_t dbid;
	uint32_t pgno_fdp;
	uint32_t trx_committed;
	uint8_t fdp_type;
} lr_free_fdp;

typedef struct {                /* PagePatchRequest */
	uint8_t dbid;
	uint32_t pgno;
	uint64_t dbtime;
} lr_page_patch;

typedef struct {                /* FragmentBegin, Fragment */
	uint32_t cb_total;        /* FragmentBegin only */
	lr_bytes data;
} lr_fragment;

/* One decoded record. Read u according to lrtyp (the comment of each
 * member names its types); records with no fields (NOP, End, ShutDownMark,
 * RecoveryUndo) use none. */
typedef struct {
	uint8_t lrtyp;
	uint32_t len;
	const uint8_t *raw;       /* the record (caller's buffer) */
	union {
		lr_insert insert;                   /* 29 */
		lr_flag_insert flag_insert;         /* 30 */
		lr_flag_insert_replace flag_insert_replace; /* 31 */
		lr_node_hdr node;                   /* 32 FlagDelete, 35 Delete */
		lr_replace replace;                 /* 33, 34 */
		lr_undo_info undo_info;             /* 36 */
		lr_delta delta;                     /* 37, 93 */
		lr_set_ext_header set_ext_header;   /* 38 */
		lr_undo undo;                       /* 39 */
		lr_empty_tree empty_tree;           /* 48 */
		lr_scrub scrub;                     /* 64 */
		lr_split split;                     /* 27, 62 */
		lr_merge merge;                     /* 28, 63 */
		lr_page_move page_move;             /* 65 */
		lr_root_page_move root_page_move;   /* 96 */
		lr_new_page new_page;               /* 95 */
		lr_create_fdp create_fdp;           /* 24, 25 */
		lr_convert_fdp convert_fdp;         /* 26, 58 */
		lr_begin begin;                     /* 5, 8, 53 */
		lr_commit commit;                   /* 6, 9 */
		lr_rollback rollback;               /* 7 */
		lr_refresh refresh;                 /* 10 */
		lr_macro macro;                     /* 11, 12, 13 */
		lr_trx_misc trx_misc;               /* 54, 55, 57 */
		lr_macro_info macro_info;           /* 67, 73 */
		lr_init init;                       /* 1, 49 */
		lr_term term;                       /* 2, 18, 50, 52, 80 */
		lr_recovery_undo recovery_undo;     /* 17, 51 */
		lr_attach_db attach_db;             /* 15 */
		lr_detach_db detach_db;             /* 16 */
		lr_create_db create_db;             /* 14 */
		lr_dbid_only dbid_only;             /* 79, 97 */
		lr_set_db_version set_db_version;   /* 92 */
		lr_extend_db extend_db;             /* 68 */
		lr_shrink_db shrink_db;             /* 78, 94, 99 */
		lr_trim_db trim_db;                 /* 81 */
		lr_extent_freed extent_freed;       /* 100, 101 */
		lr_backup2 backup2;                 /* 60 */
		lr_backup_old backup_old;           /* 19, 20, 46 */
		lr_ext_restore ext_restore;         /* 45, 59 */
		lr_trace trace;                     /* 22, 61 */
		lr_jetop jetop;                     /* 21 */
		lr_ms ms;                           /* 3 */
		lr_ignored ignored;                 /* 71, 75, 82..91 */
		lr_commit_ctx commit_ctx;           /* 69 */
		lr_scan_check scan_check;           /* 70, 98 */
		lr_reattach reattach;               /* 72 */
		lr_free_fdp free_fdp;               /* 74 */
		lr_page_patch page_patch;           /* 66 */
		lr_fragment fragment;               /* 76, 77 */
	} u;
} lr_record;

/*
 * Decode rec[0..len) into *out. -501 with a detail ("Insert: cbData 300
 * runs past the 120-byte record") when the record is inconsistent, the type
 * unknown (>= 102) or obsolete without a layout. out is undefined on error.
 */
JET_ERR lr_decode(const uint8_t *rec, size_t len, lr_record *out,
		  jr_errinfo *ei);

/* The LRPAGE_ part of a decoded record, or NULL when it has none (NewPage
 * and RootPageMove carry their own fields, see lr_record). */
const lr_page_hdr *lr_page_of(const lr_record *r);

/* Whether ESE logs (and redo needs) the pre-image of this split level
 * (FBTISplitPageBeforeImageRequired): levels that split (pgno_new != 0)
 * of type vertical, or right unless the only line moving is an inserted
 * last line (splitoper insert, iline_split == iline_oper == clines - 1). */
bool lr_split_preimage_required(const lr_split *s);

/* Whether a merge's leaf record needs its pre-image
 * (FBTIMergePageBeforeImageRequired): full or partial, left or right. */
bool lr_merge_preimage_required(const lr_merge *m);

/* Entry i (< count) of an EmptyTree list. */
void lr_empty_tree_page(const lr_empty_tree *t, uint32_t i, lr_empty_page *out);

/* Page number i (< count) of a MacroInfo/MacroInfo2 list. */
uint32_t lr_macro_info_pgno(const lr_macro_info *m, uint32_t i);

/*
 * Apply a ReplaceD diff (see above) to the old data old[0..old_len) and
 * write the new data to out[out_cap]; *out_len gets its size. -501 when the
 * diff is truncated, goes backwards or past the old data, or the result
 * does not fit out_cap.
 */
JET_ERR lr_replaced_apply(const uint8_t *old, size_t old_len,
			  const uint8_t *diff, size_t diff_len, bool diff2,
			  uint8_t *out, size_t out_cap, size_t *out_len,
			  jr_errinfo *ei);

/*
 * Rebuild the full page from a Split2/Merge2 pre-image: Xpress-decompress
 * (LR_PREIMAGE_XPRESS), then rehydrate (LR_PREIMAGE_DEHYDRATED: the tag
 * array at the end of the short image moves to the end of the page, the
 * gap is zero-filled, cbFree grows by the gap), or copy a whole page.
 * page receives page_size bytes (4096 .. 32768). -501 when the image is
 * damaged or does not make a page of page_size bytes.
 */
JET_ERR lr_preimage_expand(uint32_t preimage_flags, lr_bytes preimage,
			   uint8_t *page, size_t page_size, jr_errinfo *ei);

/*
 * One line describing the record ("Insert dbid:1 pgno:377 iline:71
 * dbtime:0xa761->0xa764 ..."), written like snprintf into buf[n]; returns
 * the length the whole line needs.
 */
size_t lr_describe(const lr_record *r, char *buf, size_t n);

/*
 * The record's fields as key/value pairs into the JSON object the caller
 * has open: "type" (name), "lrtyp", "len", then for page records "procid",
 * "dbid", "pgno", "dbtime_before", "dbtime_after", "trx", "level",
 * "iline", "flags", and the type's own fields (same names as the struct
 * members above). Keys and bookmarks are hex strings; data and images are
 * given by their size ("cb_data", "cb_preimage"...). Database paths are
 * UTF-8.
 */
void lr_to_json(const lr_record *r, jr_json *j);

#endif /* JR_RECOVER_LRDECODE_H */
