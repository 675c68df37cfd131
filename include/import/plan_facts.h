/*
 * plan_facts — what a document says about itself: its number ("Số:" and
 * the number, on one line or split over two), the date it was issued
 * ("Hà Nội, ngày 26 tháng 11 năm 2025"), its title (what follows "KẾ
 * HOẠCH", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH", "NGHỊ QUYẾT", "THÔNG BÁO", or a
 * công văn's "V/v"), and the period in that title ("giai đoạn 2026 -
 * 2030", "đến năm 2025", "năm 2023" — never a year that dates something
 * else). Read from the head of the document only: a recipient list, a
 * legal basis or an appendix caption is never the title. Pure.
 */
#ifndef DEADLINED_IMPORT_PLAN_FACTS_H
#define DEADLINED_IMPORT_PLAN_FACTS_H

#include "import/doc.h"
#include "import/result.h"

/* Sets r->number, issued, title, first_year and last_year when found. */
void plan_facts_read(const struct doc *d, struct import_result *r);

#endif
