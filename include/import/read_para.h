/*
 * read_para — running text into paragraphs, the way a reader sees them in
 * a text file whose lines were wrapped by whoever saved it.
 *
 * A paragraph ends at a blank line, and a new one starts at a line with a
 * list marker ("1.", "a)", "- ", "II."), at a Markdown heading, where an
 * emphasis run closes a line or opens the next ("**KẾ HOẠCH**" / "Về
 * việc …"), and where capitals start or stop ("KẾ HOẠCH" / "Triển khai
 * …"). Every other line continues the paragraph, joined with a space; so
 * does a line after a blank line that starts in lower case when the text
 * before it had not ended ("… địa phương" / "" / "liên quan."). Pure.
 */
#ifndef DEADLINED_IMPORT_READ_PARA_H
#define DEADLINED_IMPORT_READ_PARA_H

#include "import/doc.h"
#include "import/lines.h"

/* Appends the paragraphs of lines [from, to) to out, each with its lines. */
void read_paras(const struct lines *l, size_t from, size_t to, enum doc_form form, struct doc *out);

/*
 * The text of a table cell written over lines v[0..n): wrapped lines are
 * joined with a space, a line starting with a list marker with "\n";
 * emphasis is removed and *emph says whether it covered all of it.
 */
char *read_para_cell(const struct line *v, size_t n, unsigned *emph);

#endif
