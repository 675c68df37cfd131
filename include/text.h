/*
 * text — Vietnamese UTF-8 as the parsers and the directory need it.
 *
 * Two views of a string. The *fold* is what keyword parsers read: lowercase
 * ASCII with every diacritic removed ("Quý IV hằng năm" → "quy iv hang nam"),
 * with a map back to byte offsets in the original so errors can point at
 * the right place. The *name key* is what the agency directory compares:
 * diacritics kept (Sở Y tế is not Sở Y te), but case, NFC/NFD, old or new
 * tone placement (hoá = hóa), "&" or "và", punctuation and spacing ignored.
 */
#ifndef DEADLINED_TEXT_H
#define DEADLINED_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Folds s[0..len) into out (at most cap-1 bytes, NUL-terminated): lowercase
 * ASCII, diacritics dropped, 'đ' → 'd', Unicode dashes → '-', any white
 * space (tab, newline, NBSP …) → ' ', typographic quotes → ASCII quotes;
 * any other non-ASCII code point or invalid byte → '~'. When map is not
 * NULL it gets cap entries: map[i] is the byte offset in s of the character
 * that produced out[i], and map[result] = the offset where folding stopped.
 * Returns the number of bytes written.
 */
size_t text_fold(const char *s, size_t len, char *out, uint32_t *map, size_t cap);

/* The directory's comparison key of a name (malloc'ed). "" for no words. */
char *text_name_key(const char *s);

/* NFC-normalised copy (malloc'ed), or NULL when s is not valid UTF-8. */
char *text_nfc(const char *s);

bool text_utf8_valid(const char *s, size_t len);

/* True when s[0..len) starts with an uppercase letter ("Sở", NFC or NFD "Đ"). */
bool text_capitalized(const char *s, size_t len);
/* True when s[0..len) starts with a lowercase letter ("sở", "đ"). */
bool text_lowercase(const char *s, size_t len);

/*
 * Copies s[0..len) into out (at most cap-1 bytes, NUL-terminated) as valid
 * UTF-8: each invalid byte becomes U+FFFD, and a character that does not fit
 * is left out whole, never cut. Returns the number of bytes written.
 */
size_t text_utf8_copy(char *out, size_t cap, const char *s, size_t len);

/* Terminal columns of the first len bytes: combining accents (NFD) take
 * none, wide characters two, invalid bytes one each. */
size_t text_width(const char *s, size_t len);

/*
 * Copies s into out replacing every control character (C0, DEL, C1,
 * U+2028/2029) and invalid byte by a space, so a value can go into a mail
 * header or a log line without injecting anything. Returns out.
 */
char *text_sanitize_line(const char *s, char *out, size_t cap);

#endif
