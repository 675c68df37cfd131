/*
 * words — what the meaning stage asks of a piece of text, decided on its
 * fold (lowercase ASCII without diacritics, text_fold), so "Chủ trì",
 * "CHỦ TRÌ" and an NFD "Chủ trì" read the same. Pure.
 */
#ifndef DEADLINED_IMPORT_WORDS_H
#define DEADLINED_IMPORT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#define WORDS_FOLD_MAX 2048

/* s folded and trimmed into buf (cap bytes); returns buf's text. */
const char *words_fold(const char *s, char *buf, size_t cap);
/* f starts with prefix, at a word boundary. */
bool words_starts(const char *f, const char *prefix);
/* f holds word (one or more words) at word boundaries. */
bool words_has(const char *f, const char *word);
/* How many words f has. */
size_t words_count(const char *f);

/*
 * Numbers as a table's STT cell or a list item writes them: "1", "1.",
 * "6.1", "1.3.a", "a)", "A", "II", "V.1", "III.1.1". A section number is
 * a letter ("A"), a roman ("II", "V.1", "III.1.1") or digits alone ("3").
 */
bool words_index(const char *s);
bool words_section_index(const char *s);
bool words_roman(const char *s, size_t n);
/* Nesting of a section number: A 0, II 1, V.1 2, III.1.1 3, 3 4, 3.1 5 … */
int words_section_level(const char *s);
/* "1." → "1", "a)" → "a", "I." → "I": the number without closing marks (new string). */
char *words_index_key(const char *index);

/*
 * Whether a name key (text_name_key: lowercase, diacritics kept) starts
 * with an organisation's head word ("Bộ", "Sở", "UBND", "Ủy ban", "Cục",
 * "Trung tâm", "Các" …): the words a new agency name begins with — and
 * "Sở" is one where "số" is not. Returns how many bytes of the key the head
 * takes, 0 when none.
 */
size_t words_org_head(const char *key);
/* The heads after which "và" never starts another name ("Bộ", "Sở", "UBND",
 * "Cục", "Trung tâm", "Các" …), where "Cục Tiền lương và Bảo hiểm xã hội"
 * stays one name. */
size_t words_org_head_strong(const char *key);
/* The head that starts key is one word that is also a common word ("Sở",
 * "Ban", "Báo", "Trường" …): a name only before a capital. */
bool words_org_head_weak(const char *key);
/* Whether text, as written, starts with an agency's name: a head word, and
 * after a weak one a capital ("Sở Y tế", "Ban Quản lý" — not "Báo cáo kết
 * quả", "Ban hành", "sở hữu"). */
bool words_org_name(const char *text);

/* The title of an agency's head that starts key (a name key), followed by
 * the agency's name: "Giám đốc Sở Y tế", "Chủ tịch UBND các xã", "Thủ
 * trưởng các sở, ngành", "Chánh Thanh tra tỉnh". A task given to the head
 * is the agency's. Returns the bytes to skip (with the space), 0 when no
 * title, or none before an organisation's head word. */
size_t words_office_title(const char *key);

/* Whether key (a name key) is nothing but the head of a body named by its
 * mission — "Ban Chỉ đạo", "Hội đồng", "Tổ công tác", "Ban Quản lý": the
 * verb after it is its name going on ("Ban Chỉ đạo thực hiện Đề án 06",
 * "Hội đồng phối hợp phổ biến, giáo dục pháp luật"), not a sentence. */
bool words_mission_head(const char *key);

/* A verb or a "what for" word that ends a name in a sentence ("Bộ Công an
 * tiến hành rà soát …", "các bộ, ngành với các tiêu chuẩn …"); f is folded. */
bool words_ends_name(const char *f);

/* Whether text reads like a deadline phrase: a year, a quarter, a month,
 * a date, "thường xuyên", "hằng năm", "giai đoạn" … (short text only). */
bool words_timeframe_like(const char *s);

/* A date or a figure at the start of a line is no number: "12 tháng 3
 * năm 2024", "2026 - 2030", "300.000 hộ gia đình", "15/12/2025". */
bool words_figure_start(const char *s);

#endif
