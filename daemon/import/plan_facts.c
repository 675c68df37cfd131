/*
 * plan_facts — see import/plan_facts.h.
 *
 * The document is read as units in order: each paragraph, each line of a
 * table cell (a page's layout table holds "Số:" and the date). The head is
 * what comes before the title's keyword, and a little after it.
 */
#include "import/plan_facts.h"

#include "buf.h"
#include "import/lines.h"
#include "import/words.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_UNITS 150 /* without a keyword, the head is this long */
#define TITLE_MAX  400
#define NUMBER_MAX 48

struct unit {
	char *text;
	bool para;
	int heading;
	unsigned emph; /* DOC_BOLD | DOC_ITALIC of a paragraph */
};

struct units {
	struct unit *v;
	size_t n, cap;
};

static void add_unit(struct units *u, const char *text, size_t len, bool para, int heading,
                     unsigned emph)
{
	if (u->n == u->cap)
		u->v = xrealloc(u->v, (u->cap = u->cap ? u->cap * 2 : 64) * sizeof(*u->v));
	char *t = xstrndup(text, len);
	result_one_line(&t);
	u->v[u->n++] = (struct unit){t, para, heading, emph};
}

/* Units up to the first task table (the appendix is no head). */
static void collect(const struct doc *d, const struct import_result *r, struct units *u)
{
	for (size_t b = 0; b < d->n_blocks; b++) {
		const struct doc_block *blk = &d->blocks[b];
		if (blk->kind == DOC_PARAGRAPH) {
			struct buf t = BUF_INIT;
			buf_printf(&t, "%s%s%s", blk->para->number, *blk->para->number ? " " : "",
			           blk->para->text);
			add_unit(u, buf_str(&t), t.len, true, blk->para->heading, blk->para->emph);
			buf_free(&t);
			continue;
		}
		/* A task table ends the head; the title rows a spreadsheet puts above its header
		 * are still part of it. */
		int header_row = 0;
		for (size_t i = 0; i < r->n_tables && !header_row; i++)
			if (r->tables[i].block == b && r->tables[i].kind != TABLE_OTHER)
				header_row = r->tables[i].pos.row > 0 ? r->tables[i].pos.row : 1;
		for (size_t i = 0; i < blk->table->n_rows; i++) {
			const struct doc_row *row = &blk->table->rows[i];
			if (header_row && (int)i + 1 >= header_row)
				return;
			/* A title row above a spreadsheet's header ("KẾ HOẠCH", then its
			 * title) has one cell written: it reads as a paragraph. */
			size_t written = 0;
			for (size_t c = 0; c < row->n_cells; c++)
				written += row->cells[c].text[0] != 0;
			bool para = header_row && written == 1;
			for (size_t c = 0; c < row->n_cells; c++)
				for (const char *s = row->cells[c].text; *s;) {
					size_t n = strcspn(s, "\n");
					add_unit(u, s, n, para, 0, 0);
					s += n + (s[n] == '\n');
				}
		}
		if (header_row)
			return;
	}
}

static void units_free(struct units *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->v[i].text);
	free(u->v);
}

static const char *fold(const char *s, char *buf, size_t cap)
{
	return words_fold(s, buf, cap);
}

/* ---- the keyword and the title ------------------------------------------------------------- */

/* The longer first: "CHƯƠNG TRÌNH HÀNH ĐỘNG" is one keyword. */
static const char *const keywords[] = {"ke hoach",     "quyet dinh", "chuong trinh hanh dong",
                                       "chuong trinh", "nghi quyet", "thong bao",
                                       "chi thi",      "de an",      "bao cao",
                                       "cong dien"};

/* The keyword's length when the unit is a document-type keyword, with or without title after. */
static size_t keyword_of(const struct unit *u)
{
	char buf[512];
	const char *f = fold(u->text, buf, sizeof(buf));
	size_t letters;

	if (!u->para)
		return 0;
	for (size_t i = 0; i < UTIL_NELEM(keywords); i++) {
		size_t n = strlen(keywords[i]);
		if (strncmp(f, keywords[i], n))
			continue;
		if (!f[n])
			return strlen(u->text);
		/* "QUYẾT ĐỊNH:" opens the decision, not the title. */
		if (f[n] == ':')
			return 0;
		/* "KẾ HOẠCH Chuyển đổi số …": the keyword in capitals, the title after. */
		size_t raw = strcspn(u->text, " ");
		for (const char *w = strchr(keywords[i], ' '); w; w = strchr(w + 1, ' '))
			raw += u->text[raw] ? 1 + strcspn(u->text + raw + 1, " ") : 0;
		if (f[n] == ' ' && lines_all_caps(u->text, raw, &letters))
			return raw;
	}
	return 0;
}

static bool title_stop(const char *text)
{
	static const char *const stops[] = {
	    "can cu",  "thuc hien",  "theo de nghi", "chu tich",  "trien khai thuc hien quyet dinh",
	    "phan",    "quyet dinh", "noi nhan",     "kinh gui",  "kem theo",
	    "phu luc", "thu tuong",  "bo truong",    "chinh phu", "uy ban nhan dan",
	    "tm",      "kt",         "dieu"};
	char buf[256];
	const char *f = fold(text, buf, sizeof(buf));

	while (*f == '(' || *f == '*')
		f++;
	for (size_t i = 0; i < UTIL_NELEM(stops); i++)
		if (words_starts(f, stops[i]))
			return true;
	return !*f;
}

/* The length of s[0, n) without a rule at its end ("… giai đoạn mới ––––––"). */
static size_t without_rule(const char *s, size_t n)
{
	size_t end = n, dashes = 0;

	for (;;) {
		if (end && strchr("-_=* ", s[end - 1])) {
			dashes += s[--end] != ' ';
		} else if (end >= 3 && (unsigned char)s[end - 3] == 0xE2 &&
		           (unsigned char)s[end - 2] == 0x80 &&
		           ((unsigned char)s[end - 1] == 0x93 ||
		            (unsigned char)s[end - 1] == 0x94)) {
			end -= 3; /* an en or em dash */
			dashes++;
		} else {
			break;
		}
	}
	return dashes >= 3 ? end : n;
}

static char *cut_title(const char *s)
{
	char *t = xstrdup(s);
	size_t n = without_rule(t, strlen(t));

	t[n] = '\0';
	if (n > TITLE_MAX) {
		n = (size_t)result_cut(t, TITLE_MAX);
		t[n] = '\0';
	}
	while (n && strchr(";.,: ", t[n - 1]))
		t[--n] = '\0';
	return t;
}

/* A unit that is only a rule ("––––––", "_____"). */
static bool rule_unit(const struct unit *u)
{
	return without_rule(u->text, strlen(u->text)) == 0;
}

/* A numbered heading ("I. MỤC TIÊU", "1. …"): its first word is a list number. */
/*
 * "KẾ HOẠCH / Thực hiện Nghị quyết số 12-NQ/TU …": right under the keyword,
 * what the plan implements is its title; the preamble that opens the text
 * ("Thực hiện …, UBND tỉnh ban hành Kế hoạch … như sau:") is not.
 */
static bool implementing_title(const char *text)
{
	char buf[1024];
	const char *f = fold(text, buf, sizeof(buf));
	size_t n = strlen(f);

	return words_starts(f, "thuc hien") && !strstr(f, "ban hanh") &&
	       !(n >= 8 && strstr(f + n - 8, "nhu sau"));
}

static bool numbered(const char *text)
{
	char first[32];
	size_t n = strcspn(text, " ");

	if (n >= sizeof(first))
		return false;
	memcpy(first, text, n);
	first[n] = '\0';
	return words_index(first);
}

/*
 * A title set in bold over several paragraphs ("**Triển khai thực hiện
 * Nghị quyết …**" / "**của Bộ Chính trị về …**"): the paragraphs after the
 * first as bold as it, up to a rule, a numbered heading or the first words
 * that are no title ("Căn cứ", "Kính gửi" …).
 */
static void title_lines(const struct units *u, size_t first, const char *text,
                        struct import_result *r)
{
	struct buf t = BUF_INIT;

	buf_adds(&t, text);
	for (size_t j = first + 1; j < u->n && j <= first + 4; j++) {
		const struct unit *x = &u->v[j];
		if (!(u->v[first].emph & DOC_BOLD) || !x->para || x->emph != u->v[first].emph ||
		    rule_unit(x) || title_stop(x->text) || numbered(x->text))
			break;
		buf_printf(&t, " %s", x->text);
	}
	r->title = cut_title(buf_str(&t));
	buf_free(&t);
}

static size_t read_title(const struct units *u, struct import_result *r)
{
	for (size_t i = 0; i < u->n && i < HEAD_UNITS * 4; i++) {
		size_t k = keyword_of(&u->v[i]);
		if (!k)
			continue;
		const char *rest = u->v[i].text + k;
		rest += strspn(rest, " ");
		if (*rest) {
			title_lines(u, i, rest, r);
			return i;
		}
		for (size_t j = i + 1; j < u->n && j <= i + 2; j++) {
			if (!u->v[j].para)
				break;
			if ((title_stop(u->v[j].text) && !implementing_title(u->v[j].text)) ||
			    rule_unit(&u->v[j]))
				break;
			title_lines(u, j, u->v[j].text, r);
			break;
		}
		return i;
	}
	/* A công văn says what it is about after "V/v", on a line of its own
	 * or run into the lines above it ("Số: 123/UBND-KT V/v …"). */
	for (size_t i = 0; i < u->n && i < HEAD_UNITS && !r->title; i++) {
		char f[512];
		uint32_t map[512];
		const char *text = u->v[i].text;
		text_fold(text, strlen(text), f, map, sizeof(f));
		for (const char *at = f; (at = strstr(at, "v/v")) != NULL; at++)
			if (at == f || at[-1] == ' ' || at[-1] == '\n') {
				const char *about = text + map[at - f + 3];
				about += strspn(about, " :");
				char *line = xstrndup(about, strcspn(about, "\n"));
				r->title = cut_title(line);
				free(line);
				break;
			}
	}
	return u->n < HEAD_UNITS ? u->n : HEAD_UNITS;
}

/* ---- number and date --------------------------------------------------------------------------
 */

/* "906/QĐ-UBND": digits, a slash; as one word. */
static bool number_like(const char *s, size_t n)
{
	return n && n <= NUMBER_MAX && memchr(s, '/', n) && isdigit((unsigned char)s[0]);
}

static void read_number(const struct units *u, size_t head, struct import_result *r)
{
	for (size_t i = 0; i < head && i < u->n; i++) {
		char f[512];
		uint32_t map[512];
		const char *orig = u->v[i].text;
		text_fold(orig, strlen(orig), f, map, sizeof(f));
		const char *at = NULL;
		for (const char *p = f; (p = strstr(p, "so")) != NULL; p++)
			if ((p == f || !isalnum((unsigned char)p[-1])) &&
			    (!strncmp(p, "so:", 3) || !strncmp(p, "so hieu:", 8))) {
				at = p;
				break;
			}
		/* "Số 3260-KH/ĐĐQH15": a Party body's number has no colon. */
		if (!at && !strncmp(f, "so ", 3)) {
			const char *v = orig + map[3];
			size_t n = strcspn(v, " *");
			if (number_like(v, n) && strchr(v, '-') && strchr(v, '-') < v + n) {
				r->number = xstrndup(v, n);
				return;
			}
		}
		if (!at)
			continue;
		const char *v = orig + map[(size_t)(strchr(at, ':') - f) + 1];
		v += strspn(v, " ");
		size_t n = strcspn(v, " *");
		if (!*v && i + 1 < u->n) {
			v = u->v[i + 1].text;
			n = strcspn(v, " *");
		}
		if (number_like(v, n)) {
			r->number = xstrndup(v, n);
			size_t len = strlen(r->number);
			while (len && strchr(";.,", r->number[len - 1]))
				r->number[--len] = '\0';
			return;
		}
		if (*v)
			return; /* "Số:    /BC-SKHCN": no number yet */
	}
}

/*
 * An appendix that comes alone (a spreadsheet, a table copied out) names
 * its plan only in "(Kèm theo Kế hoạch số 88/KH-UBND ngày …)": that number,
 * when the head has no "Số:" of its own.
 */
static void set_issued(struct import_result *r, int d, int m, int y)
{
	char date[16];

	if (r->issued || d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 || y > 2200)
		return;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	r->issued = xstrdup(date);
}

static void read_parent_number(const struct units *u, size_t head, struct import_result *r)
{
	for (size_t i = 0; i < head && i < u->n && !r->number; i++) {
		char f[512];
		uint32_t map[512];
		const char *orig = u->v[i].text;
		text_fold(orig, strlen(orig), f, map, sizeof(f));
		const char *at = strstr(f, "kem theo ");
		const char *so = at ? strstr(at, " so ") : NULL;
		if (!so || so - at > 40)
			continue;
		const char *v = orig + map[(size_t)(so - f) + 4];
		size_t n = strcspn(v, " *,;)");
		if (!number_like(v, n))
			continue;
		r->number = xstrndup(v, n);
		/* "… số 08/KH-SXD ngày 15/01/2026": the date that plan was issued. */
		int d, m, y;
		const char *after = so + 4 + strcspn(so + 4, " *,;)");
		if (sscanf(after, " ngay %d/%d/%d", &d, &m, &y) == 3 ||
		    sscanf(after, " ngay %d thang %d nam %d", &d, &m, &y) == 3)
			set_issued(r, d, m, y);
		/* "Danh mục nhiệm vụ năm 2026 của Sở X (kèm theo …)": its title. */
		size_t before = map[at - f];
		while (before && strchr(" (*", orig[before - 1]))
			before--;
		char caption[64];
		fold(orig, caption, sizeof(caption));
		if (!r->title && before && !words_starts(caption, "phu luc") &&
		    words_count(caption) >= 3) {
			char *raw = xstrndup(orig, before);
			r->title = cut_title(raw);
			free(raw);
		}
	}
}

static bool find_date(const char *f, int *d, int *m, int *y)
{
	regex_t re;
	regmatch_t g[4];
	bool found = false;

	if (regcomp(&re, "ngay +([0-9]{1,2}) +thang +([0-9]{1,2}) +nam +([0-9]{4})", REG_EXTENDED))
		return false;
	if (regexec(&re, f, 4, g, 0) == 0) {
		*d = atoi(f + g[1].rm_so);
		*m = atoi(f + g[2].rm_so);
		*y = atoi(f + g[3].rm_so);
		found = true;
	}
	regfree(&re);
	return found;
}

static void read_issued(const struct units *u, size_t head, struct import_result *r)
{
	int d, m, y;

	for (size_t i = 0; i < head && i < u->n; i++) {
		char buf[1024];
		const char *f = fold(u->v[i].text, buf, sizeof(buf));
		if (words_starts(f, "can cu"))
			continue;
		if (find_date(f, &d, &m, &y)) {
			set_issued(r, d, m, y);
			return;
		}
	}
	/* A web page's "Ngày ban hành:" and the date in the next cell. */
	for (size_t i = 0; i + 1 < head && i + 1 < u->n; i++) {
		char buf[256];
		if (strncmp(fold(u->v[i].text, buf, sizeof(buf)), "ngay ban hanh", 13))
			continue;
		const char *v = u->v[i].text + strcspn(u->v[i].text, ":");
		v = *v ? v + 1 + strspn(v + 1, " ") : "";
		if (!*v)
			v = u->v[i + 1].text;
		if (sscanf(v, "%d/%d/%d", &d, &m, &y) == 3) {
			set_issued(r, d, m, y);
			return;
		}
	}
}

/* ---- the issuing body -------------------------------------------------------------------------
 */

/* A heading's words, without the rules and marks around them ("BỘ NỘI VỤ -------"). */
static char *heading_words(const char *s, size_t len)
{
	char *t = xstrndup(s, len);
	size_t n = strlen(t);

	while (n && strchr(" -_*=|", t[n - 1]))
		t[--n] = '\0';
	size_t lead = strspn(t, " -_*=|");
	memmove(t, t + lead, n - lead + 1);
	return t;
}

/*
 * The lines in capitals a cell of the head opens with: "ỦY BAN NHÂN DÂN /
 * TỈNH THANH HÓA" over its rule and "Số: …" in a Word header table.
 */
static char *caps_lines(const char *text)
{
	struct buf b = BUF_INIT;

	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n"), letters;
		char *words = heading_words(line, n);
		bool caps = *words && lines_all_caps(words, strlen(words), &letters);
		if (caps)
			buf_printf(&b, "%s%s", b.len ? " " : "", words);
		free(words);
		if (!caps)
			break;
		line += n + (line[n] == '\n');
	}
	return buf_steal(&b);
}

/*
 * The body's name in the units before the motto's, its lines one a unit
 * or one cell's ("UBND TỈNH THANH HÓA" / "VĂN PHÒNG" / "-------"): up to
 * three in capitals, rules passed over.
 */
static char *caps_units_before(const struct units *u, size_t motto)
{
	char *parts[3];
	size_t n = 0;
	struct buf b = BUF_INIT;

	for (size_t i = motto; i-- > 0 && n < 3;) {
		char f[16];
		const char *s = fold(u->v[i].text, f, sizeof(f));
		/* Under the name, a rule and the document's number ("Số: 18/KH-UBND",
		 * "Số 112-KH/TU"), not a "SỞ Y TẾ" that is the name's second line. */
		bool number = !strncmp(s, "so:", 3) || !strncmp(s, "so hieu", 7) ||
		              (!strncmp(s, "so ", 3) && isdigit((unsigned char)s[3]));
		if (!n && (rule_unit(&u->v[i]) || number))
			continue;
		char *caps = caps_lines(u->v[i].text);
		if (!*caps) {
			free(caps);
			break;
		}
		parts[n++] = caps;
	}
	while (n--) {
		buf_printf(&b, "%s%s", b.len ? " " : "", parts[n]);
		free(parts[n]);
	}
	return b.len ? buf_steal(&b) : xstrdup("");
}

/*
 * The body's name goes on under it, beside the motto's second line: "ỦY
 * BAN NHÂN DÂN   CỘNG HÒA …" / "THÀNH PHỐ HẢI PHÒNG   Độc lập - Tự do …",
 * the lines of a PDF's two columns, one a unit or side by side (the
 * motto's own "NAM" wrapped apart is not the name's).
 */
static char *with_second_line(char *first, const struct units *u, size_t motto)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, first);
	free(first);
	for (size_t j = motto + 1; j < u->n && j <= motto + 3; j++) {
		char f[512];
		uint32_t map[512];
		size_t letters;
		text_fold(u->v[j].text, strlen(u->v[j].text), f, map, sizeof(f));
		const char *end = strstr(f, "doc lap");
		char *more = heading_words(u->v[j].text, end ? map[end - f] : strlen(u->v[j].text));
		if (*more && strcmp(f, "nam") && lines_all_caps(more, strlen(more), &letters))
			buf_printf(&b, " %s", more);
		free(more);
		if (end || !lines_all_caps(u->v[j].text, strlen(u->v[j].text), &letters))
			break;
	}
	return buf_steal(&b);
}

/*
 * The body that issued the document: what stands in capitals before the
 * national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") at the head, on its
 * line or the one before ("UBND TỈNH …" / "SỞ KHOA HỌC VÀ CÔNG NGHỆ").
 */
static void read_issuer(const struct units *u, size_t head, struct import_result *r)
{
	for (size_t i = 0; i < head && i < u->n; i++) {
		char f[512];
		uint32_t map[512];
		const char *text = u->v[i].text;
		text_fold(text, strlen(text), f, map, sizeof(f));
		const char *motto = strstr(f, "cong hoa xa hoi");
		if (!motto)
			continue;
		char *before = heading_words(text, map[motto - f]);
		size_t letters;
		if (!*before && i > 0) {
			free(before);
			before = caps_units_before(u, i);
		}
		if (*before)
			before = with_second_line(before, u, i);
		if (lines_all_caps(before, strlen(before), &letters) && letters >= 4 &&
		    words_count(words_fold(before, f, sizeof(f))) <= 15)
			r->issuer = before;
		else
			free(before);
		break;
	}
	/* A web page says it in its metadata: "Nơi ban hành:" and the next cell. */
	for (size_t i = 0; !r->issuer && i + 1 < head && i + 1 < u->n; i++) {
		char f[64];
		if (strncmp(fold(u->v[i].text, f, sizeof(f)), "noi ban hanh", 12))
			continue;
		const char *v = u->v[i].text + strcspn(u->v[i].text, ":");
		v = *v ? v + 1 + strspn(v + 1, " *") : "";
		r->issuer =
		    heading_words(*v ? v : u->v[i + 1].text, strlen(*v ? v : u->v[i + 1].text));
	}
}

/* ---- the period --------------------------------------------------------------------------- */

static bool matched(const char *pattern, const char *f, size_t *a, size_t *b)
{
	regex_t re;
	regmatch_t m;
	bool found = false;

	if (regcomp(&re, pattern, REG_EXTENDED))
		return false;
	for (size_t from = 0; !found && regexec(&re, f + from, 1, &m, 0) == 0;) {
		*a = from + (size_t)m.rm_so;
		*b = from + (size_t)m.rm_eo;
		/* "ngày 22 tháng 12 năm 2024" dates the text named, it is no period. */
		found = !(*a >= 6 && strstr(f + (*a > 12 ? *a - 12 : 0), "thang ") &&
		          strstr(f + (*a > 12 ? *a - 12 : 0), "thang ") < f + *a);
		from = *b;
	}
	regfree(&re);
	return found;
}

/* The year of "năm YYYY" at p, or 0 when it is no such year or dates something. */
static int title_year_at(const char *f, const char *p)
{
	const char *y = p + 4, *q = p;

	if ((p > f && isalpha((unsigned char)p[-1])) || strspn(y, "0123456789") != 4 ||
	    (y[0] != '1' && y[0] != '2'))
		return 0;
	while (q > f && q[-1] == ' ')
		q--;
	while (q > f && isdigit((unsigned char)q[-1]))
		q--;
	if (q >= f + 6 && !strncmp(q - 6, "thang ", 6))
		return 0; /* "tháng 12 năm 2024": a date */
	return atoi(y);
}

/*
 * The years a title is for: of its "năm YYYY" that date nothing, the latest
 * — a plan is about what comes after the texts it cites ("Thi hành Luật Đất
 * đai năm 2013 trong năm 2026") — and the year before it only when written
 * right beside it ("cuối năm 2026, đầu năm 2027"); "năm 2026 thực hiện Chỉ
 * thị … năm 2025" is 2026.
 */
static void title_years(const char *f, int *first, int *last)
{
	const char *at_max = NULL;
	int max = 0;

	for (const char *p = strstr(f, "nam "); p; p = strstr(p + 4, "nam ")) {
		int year = title_year_at(f, p);
		if (year > max)
			max = year, at_max = p;
	}
	if (!max)
		return;
	*first = *last = max;
	for (const char *p = strstr(f, "nam "); p; p = strstr(p + 4, "nam "))
		if (title_year_at(f, p) == max - 1 && p < at_max && at_max - p <= 24)
			*first = max - 1;
}

static void read_period(struct import_result *r)
{
	char f[WORDS_FOLD_MAX];
	size_t a, b;

	if (!r->title)
		return;
	text_fold(r->title, strlen(r->title), f, NULL, sizeof(f));
	if (matched("(19|20)[0-9]{2} *- *(19|20)[0-9]{2}", f, &a, &b)) {
		r->first_year = atoi(f + a);
		r->last_year = atoi(f + b - 4);
	} else if (matched("den nam (19|20)[0-9]{2}", f, &a, &b)) {
		r->last_year = atoi(f + b - 4);
		r->first_year = r->issued ? atoi(r->issued) : r->last_year;
	} else {
		title_years(f, &r->first_year, &r->last_year);
	}
	if (r->first_year > r->last_year)
		r->first_year = r->last_year = 0;
}

void plan_facts_read(const struct doc *d, struct import_result *r)
{
	struct units u = {0};

	collect(d, r, &u);
	size_t keyword = read_title(&u, r);
	size_t head = keyword < u.n ? keyword + 3 : u.n;
	read_number(&u, head, r);
	read_parent_number(&u, head, r);
	read_issued(&u, keyword, r);
	read_issuer(&u, keyword, r);
	read_period(r);
	units_free(&u);
}
