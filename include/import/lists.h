/*
 * lists — the meaning of running text: tasks written as numbered items with
 * labelled lines, and reporting duties.
 *
 *  - PROSE: numbered items ("1.", "1.1.", "a)") followed by labels —
 *    "Đơn vị chủ trì: …", "Cơ quan thực hiện: …", "Đơn vị phối hợp: …",
 *    "Thời gian thực hiện: …", "Thời hạn ban hành: …" — in any wording
 *    of that kind, bulleted or not, several on one line ("b) Cơ quan thực
 *    hiện: - Đơn vị chủ trì: …; - Đơn vị phối hợp: …"), a value that is
 *    empty on its line being the bullets under it. Each lead label starts a
 *    task of the innermost item; an item holding several tasks titles each
 *    by the text written before its labels.
 *  - ASSIGNMENTS: in a document with no task table and no labelled items
 *    (a công văn, a thông báo kết luận), numbered or lettered sentences that
 *    name an agency first and set a deadline — "1. Giao Sở X chủ trì, phối
 *    hợp với Y …; hoàn thành trước ngày 30/6/2025", "a) Sở Z: … báo cáo
 *    trước ngày 15/8/2025", or the work first and its assignment in
 *    parentheses, "1. Rà soát … (Sở X chủ trì, phối hợp với Y; hoàn thành
 *    trong Quý III/2026)" — each a task (key "1", "2.a"); sentences without
 *    a deadline are guidance. A plan written in prose assigns its work in
 *    its organisation section too ("1. Sở Y tế: - Chủ trì …; hoàn thành
 *    trong Quý III/2026"): those are tasks, its reporting duties DUTY's.
 *    When nothing else is a task, a letter's plain paragraphs that hand
 *    work to an agency with a deadline are ("UBND tỉnh đề nghị Sở X báo
 *    cáo … trước ngày 20/12/2026"), keyed by their order.
 *  - DUTY: the reporting duties of the organisation section (Tổ chức thực
 *    hiện): "Định kỳ hàng năm (trước ngày 15/12) … báo cáo …", a task for
 *    the agency the item is addressed to; the agency told to "theo dõi,
 *    đôn đốc" is the plan's monitor.
 * Numbered paragraphs without labels are text, not tasks, unless their
 * section has labelled tasks (then a leaf item is kept, flagged). Cells of
 * tables that are not task tables are read as text too (a web page puts
 * whole documents in layout tables). Pure.
 */
#ifndef DEADLINED_IMPORT_LISTS_H
#define DEADLINED_IMPORT_LISTS_H

#include "import/doc.h"
#include "import/result.h"

void lists_read(const struct doc *d, struct import_result *r);

#endif
