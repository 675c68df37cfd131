/*
 * dir — the agency directory: who an agency is, who holds its duties
 * today, who it answers to, and which agencies a cell of text names.
 *
 * A cell like "Sở Văn hóa, Thể thao và Du lịch; UBND các huyện, thị xã,
 * thành phố" cannot be split on punctuation: commas and "và" occur inside
 * names. dir_split() reads it word by word and takes, at each position, the
 * longest run of words the directory knows (names and aliases compared by
 * text_name_key, each also in its standard short forms taken either way:
 * UBND, HĐND, KKT, KCN, BQL, VP, TX, TP, MTTQ). Words it cannot place are kept, as written, as one
 * unresolved name: never dropped, never guessed, never a fragment. Such a
 * name ends at ';', a line break, a bullet or "(1)"; at a ',' or "và" only
 * where a new name starts (a name the directory knows in full, or an
 * organisation's head word written as a name begins — "Bộ", "Sở", "UBND",
 * "các" …, or, after a ',', initials of three capitals or more: "Bộ GTVT,
 * NHNNVN"); at a verb or "với" in a sentence (not one that goes on a body
 * named by its mission: "Ban Chỉ đạo thực hiện …"); never inside
 * parentheses. "Các Cục: A; B" gives "Cục A" and "Cục B". Built from a
 * validated cfg, which must outlive it. Pure.
 */
#ifndef DEADLINED_DIR_H
#define DEADLINED_DIR_H

#include "cfg.h"

#include <stddef.h>
#include <stdint.h>

enum dir_kind { DIR_AGENCY, DIR_GROUP, DIR_UNRESOLVED };

struct dir_match {
	enum dir_kind kind;
	const char *id; /* agency or group id; NULL when unresolved */
	char *written;  /* the words as written in the cell */
};

struct dir;

struct dir *dir_new(const struct cfg *c);
void dir_free(struct dir *d);

/* Splits and resolves a cell; *out is malloc'ed, free with dir_matches_free. */
size_t dir_split(const struct dir *d, const char *cell, struct dir_match **out);
void dir_matches_free(struct dir_match *m, size_t n);

/* What one name (not a list) resolves to; NULL id when unknown. */
enum dir_kind dir_lookup(const struct dir *d, const char *name, const char **id);

/* Who holds the duties of agency id on a local day: follows successors. */
const char *dir_holder(const struct dir *d, const char *id, int64_t day);

/* The supervisors of id, nearest first, up to the default one (UBND tỉnh). */
size_t dir_supervisors(const struct dir *d, const char *id, const char **out, size_t max);

/* Display name and addresses of an agency or of a group with a list address. */
const char *dir_name(const struct dir *d, const char *id);
const struct cfg_list *dir_emails(const struct dir *d, const char *id);

const struct cfg *dir_cfg(const struct dir *d);

#endif
