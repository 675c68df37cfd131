/*
 * libFuzzer target for read_docx (make fuzz). An input beginning "PK" is a
 * whole .docx (the zip stage: damaged archives, zip bombs, lying sizes);
 * any other input is document.xml, styles.xml and numbering.xml joined by
 * two NUL bytes (the XML stage, which the fuzzer rarely reaches through
 * deflate). Either way the reading must keep doc_invariants.h's contract,
 * within libFuzzer's time and memory limits.
 */
#include "import/read_docx.h"

#include "doc_invariants.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next part of the input, up to "\0\0" or its end. */
static const char *next_part(const char **at, const char *end, size_t *len)
{
	const char *start = *at, *sep;

	if (start >= end)
		return NULL;
	sep = memmem(start, (size_t)(end - start), "\0\0", 2);
	*len = (size_t)((sep ? sep : end) - start);
	*at = sep ? sep + 2 : end;
	return start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d;
	int rc;

	doc_init(&d);
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		rc = read_docx((const char *)data, size, &d);
	} else {
		const char *at = (const char *)data, *end = at + size;
		struct docx_parts parts = {0};
		parts.document = next_part(&at, end, &parts.document_len);
		parts.styles = next_part(&at, end, &parts.styles_len);
		parts.numbering = next_part(&at, end, &parts.numbering_len);
		if (!parts.document)
			parts.document = "";
		rc = read_docx_parts(&parts, &d);
	}
	check_doc(&d, rc);
	doc_free(&d);
	return 0;
}
