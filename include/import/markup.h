/*
 * markup — the Markdown a text reader takes off a line or a cell: emphasis
 * runs ("**", "*", "__", "_") and heading marks ("# "), telling whether the
 * whole text was bold or italic (plans mark headers and section rows bold,
 * numbers italic). Pure.
 */
#ifndef DEADLINED_IMPORT_MARKUP_H
#define DEADLINED_IMPORT_MARKUP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * s[0..len) without its emphasis markers (a new string). A run of two or
 * three '*' is always a marker (scraped pages leave "** **" and "của **"
 * behind); a lone '*' is one unless it stands between spaces or in "(*)";
 * a '_' run is one unless it is inside a word or alone. Longer runs are
 * rules or blanks to fill in and stay. "<br>" is a line break ("\n"), as
 * a Markdown table writes one in a cell. *emph (may be NULL) gets DOC_BOLD
 * and/or DOC_ITALIC when every letter and digit is inside such a run.
 */
char *markup_strip(const char *s, size_t len, unsigned *emph);

/* The level of a Markdown heading line ("## Ban hành" → 2) and where its
 * text starts; 0 when the line is no heading. */
int markup_heading(const char *s, size_t len, size_t *text_at);

/* A line of nothing but emphasis marks, dashes, '=' or '_' ("* *", "-----"). */
bool markup_rule(const char *s, size_t len);

#endif
