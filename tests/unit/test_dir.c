/*
 * Unit tests for dir: the agency directory.
 *
 * Two directories: the real one (config/deadlined.ini, which includes
 * config/directory.ini), split against every distinct lead/coordinating
 * cell of the seed plans, and small synthetic ones for the tricky rules
 * (NFD, old tone placement, '&' and "và", longest match, unknown names,
 * ';' versus ','). The expected ids were written by reading the directory,
 * not by running the code. The cells are quoted here; when the seed files
 * are at hand the test also checks that every distinct cell in them is in
 * the table (and that the table quotes them exactly).
 */
#include "check.h"

#include "buf.h"
#include "cfg.h"
#include "date.h"
#include "dir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REAL_CONFIG "config/deadlined.ini"

/* ---- fixtures ----------------------------------------------------------- */

struct fixture {
	struct cfg *cfg;
	struct dir *dir;
};

/* Loads a config from text written into a temporary directory (removed at
 * once: a loaded cfg does not need its files). NULL, with the errors
 * printed, when it does not load. */
static struct cfg *load_text(const char *text)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct buf errors = BUF_INIT;
	struct cfg *c = NULL;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/test_dir.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		print_error("mkdtemp(%s) failed\n", dir);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/dir.ini", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
		c = cfg_load(path, &errors, NULL);
	}
	if (!c)
		print_error("the fixture config does not load:\n%s\n", buf_str(&errors));
	buf_free(&errors);
	rm_rf(dir);
	return c;
}

static int fixture_from_cfg(void **state, struct cfg *c)
{
	struct fixture *fx;

	if (!c)
		return -1;
	fx = calloc(1, sizeof(*fx));
	if (!fx) {
		cfg_free(c);
		return -1;
	}
	fx->cfg = c;
	fx->dir = dir_new(c);
	*state = fx;
	return 0;
}

static int real_setup(void **state)
{
	struct buf errors = BUF_INIT;
	struct cfg *c = cfg_load(REAL_CONFIG, &errors, NULL);

	if (!c)
		print_error("%s does not load (run from the repository root):\n%s\n", REAL_CONFIG,
		            buf_str(&errors));
	buf_free(&errors);
	return fixture_from_cfg(state, c);
}

/*
 * A synthetic directory for the rules: names with commas and "và" inside,
 * a name that is a prefix of another, old and new tone placement, chains.
 */
static const char synthetic_ini[] =
    "[mail]\nmaildir = mail\n"
    "[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nalias = UBND tỉnh\nemail = ubnd@t.example\n"
    "[agency vh]\nname = Sở Văn hóa, Thể thao và Du lịch\nemail = vh@t.example\n"
    "[agency hb]\nname = Trung tâm Hòa Bình\nemail = hb@t.example\n"
    "[agency tl]\nname = Chi cục Thủy lợi\nemail = tl@t.example\n"
    "[agency kh]\nname = Sở Khoa học và Công nghệ\nalias = Sở KH&CN\nemail = kh@t.example\n"
    "[agency ld]\nname = Sở Lao động - Thương binh và Xã hội\nemail = ld@t.example\n"
    "[agency yt]\nname = Sở Y tế\nalias = Y tế\nemail = yt@t.example\n"
    "[agency tp]\nname = Sở Tư pháp\nalias = Tư pháp\nemail = tp@t.example\n"
    "[agency gt]\nname = Sở Giao thông vận tải\nalias = GTVT\nemail = gt@t.example\n"
    "[agency alpha]\nname = Sở Alpha\nemail = alpha@t.example\n"
    "[agency alpha-beta]\nname = Sở Alpha và Beta\nemail = ab@t.example\n"
    "[agency beta]\nname = Beta\nemail = beta@t.example\n"
    "[agency gd]\nname = Gamma, Delta\nemail = gd@t.example\n"
    "[agency gamma]\nname = Gamma\nemail = gamma@t.example\n"
    "[agency delta]\nname = Delta\nemail = delta@t.example\nemail = delta2@t.example\n"
    /* successors: a1 → a2 (from 2025-03-01) → a3 (from 2025-07-01) */
    "[agency a1]\nname = Cơ quan Một\nemail = a1@t.example\nsupervisor = s1\n"
    "successor = a2\nsince = 2025-03-01\n"
    "[agency a2]\nname = Cơ quan Hai\nemail = a2@t.example\nsuccessor = a3\nsince = 2025-07-01\n"
    "[agency a3]\nname = Cơ quan Ba\nemail = a3@t.example\n"
    /* p1 → p2 only from 2025-07-01, though p2 → p3 from 2025-03-01 */
    "[agency p1]\nname = Cơ quan P\nemail = p1@t.example\nsuccessor = p2\nsince = 2025-07-01\n"
    "[agency p2]\nname = Cơ quan Q\nemail = p2@t.example\nsuccessor = p3\nsince = 2025-03-01\n"
    "[agency p3]\nname = Cơ quan R\nemail = p3@t.example\n"
    /* supervisors: a1 → s1 → s2 → (default) ubnd */
    "[agency s1]\nname = Phòng Một\nemail = s1@t.example\nsupervisor = s2\n"
    "[agency s2]\nname = Phòng Hai\nemail = s2@t.example\n"
    "[group nganh]\nname = Các sở, ngành\nmember = yt\nmember = tp\n"
    "[group list]\nname = Nhóm có địa chỉ\nemail = list@t.example\n";

static int synthetic_setup(void **state)
{
	return fixture_from_cfg(state, load_text(synthetic_ini));
}

static int fixture_teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx) {
		dir_free(fx->dir);
		cfg_free(fx->cfg);
		free(fx);
	}
	return 0;
}

/* ---- splitting: expectations as "A:id | G:id | U:written" ------------------ */

static char kind_letter(enum dir_kind k)
{
	return k == DIR_AGENCY ? 'A' : k == DIR_GROUP ? 'G' : k == DIR_UNRESOLVED ? 'U' : '?';
}

/* What dir_split returned, in the expectation's notation, and with the
 * written text of every match. */
static void render(const struct dir_match *m, size_t n, struct buf *short_form,
                   struct buf *long_form)
{
	for (size_t i = 0; i < n; i++) {
		const char *what = m[i].kind == DIR_UNRESOLVED ? m[i].written : m[i].id;
		buf_printf(short_form, "%s%c:%s", i ? " | " : "", kind_letter(m[i].kind),
		           what ? what : "(null)");
		buf_printf(long_form, "%s%c:%s \"%s\"", i ? " | " : "", kind_letter(m[i].kind),
		           m[i].id ? m[i].id : "-", m[i].written ? m[i].written : "(null)");
	}
}

/*
 * The rules every split keeps, whatever the cell: each match has its written
 * text, taken from the cell in order; agencies and groups have an id of
 * their kind; unresolved names have none.
 */
static bool check_invariants(const struct dir *d, const char *cell, const struct dir_match *m,
                             size_t n)
{
	const char *pos = cell;
	const struct cfg *c = dir_cfg(d);

	for (size_t i = 0; i < n; i++) {
		const char *at = m[i].written ? strstr(pos, m[i].written) : NULL;
		/* An item of "Các Cục: A, B" is named with its kind: "Cục A". */
		if (!at && m[i].written && strchr(m[i].written, ' '))
			at = strstr(pos, strchr(m[i].written, ' ') + 1);
		if (!m[i].written || !*m[i].written || !at) {
			print_error(
			    "\"%s\": match %zu has written \"%s\", not the next text of the "
			    "cell\n",
			    cell, i, m[i].written ? m[i].written : "(null)");
			return false;
		}
		pos = at + strlen(at == strstr(pos, m[i].written) ? m[i].written
		                                                  : strchr(m[i].written, ' ') + 1);
		if ((m[i].kind == DIR_AGENCY && (!m[i].id || !cfg_agency(c, m[i].id))) ||
		    (m[i].kind == DIR_GROUP && (!m[i].id || !cfg_group(c, m[i].id))) ||
		    (m[i].kind == DIR_UNRESOLVED && m[i].id)) {
			print_error("\"%s\": match %zu (%c, id %s) has an id not of its kind\n",
			            cell, i, kind_letter(m[i].kind), m[i].id ? m[i].id : "NULL");
			return false;
		}
	}
	return true;
}

/* Splits a cell and compares with the expectation; false (and why) if not. */
static bool check_split(const struct dir *d, const char *label, const char *cell, const char *want)
{
	struct dir_match *m = NULL;
	size_t n = dir_split(d, cell, &m);
	struct buf got = BUF_INIT, full = BUF_INIT;
	bool ok;

	render(m, n, &got, &full);
	ok = !strcmp(buf_str(&got), want);
	if (!ok)
		print_error("%s: \"%s\"\n    expected: %s\n    got:      %s\n    (written: %s)\n",
		            label, cell, want, buf_str(&got), buf_str(&full));
	ok = check_invariants(d, cell, m, n) && ok;
	dir_matches_free(m, n);
	buf_free(&got);
	buf_free(&full);
	return ok;
}

struct split_case {
	const char *source; /* seed file tag, or what the case is about */
	const char *cell;
	const char *want;
};

static void run_split_cases(const struct dir *d, const char *table, const struct split_case *cases,
                            size_t n)
{
	size_t failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !check_split(d, cases[i].source, cases[i].cell, cases[i].want);
	if (failed) {
		print_error("%s: %zu of %zu cells split wrongly (see above)\n", table, failed, n);
		fail();
	}
}

/* ---- the seed cells against the real directory ------------------------- */

#define S906 "906"
#define S189 "189"
#define SKH  "KH-2025"
#define SINI "deadlined.ini"

static const char *const seed_files[] = {
    [0] = "906-QD-UBND-2022_digital-economy-plan-2022-2025.txt",
    [1] = "189-KH-UBND-2022_digital-transformation-plan-2023.txt",
    [2] = "KH-2025_digital-economy-by-sector.txt",
};

/* Every distinct lead (906: "Chủ trì thực hiện"; 189: "Cơ quan chủ trì" and
 * "Cơ quan phối hợp"; KH-2025: "Đơn vị chủ trì:" and "Đơn vị phối hợp:")
 * cell of the seeds, and the lead cells of config/deadlined.ini. */
static const struct split_case seed_cells[] = {
    /* 906/QĐ-UBND 2022, appendix: Chủ trì thực hiện */
    {S906, "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
     "G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906, "Ban Quản lý KKT Dung Quất và các Khu công nghiệp tỉnh", "A:bql-kkt"},
    {S906, "Sở Thông tin và Truyền thông", "A:sttt"},
    {S906, "Sở Giao thông - Vận tải", "A:sgtvt"},
    {S906, "Sở Nông nghiệp và Phát triển nông thôn", "A:snnptnt"},
    {S906, "Sở Xây dựng", "A:sxd"},
    {S906, "Sở Công Thương", "A:sct"},
    {S906, "Sở Giáo dục và Đào tạo", "A:sgddt"},
    {S906, "Sở Khoa học và Công nghệ", "A:skhcn"},
    {S906, "Sở Y tế", "A:syt"},
    {S906, "Sở Văn hóa, Thể thao và Du lịch", "A:svhttdl"},
    {S906, "Sở Thông tin và Truyền thông; UBND các huyện, thị xã, thành phố",
     "A:sttt | G:ubnd-cap-huyen"},
    {S906, "Sở Thông tin và Truyền thông, các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
     "A:sttt | G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906, "Sở Thông tin và Truyền thông; các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
     "A:sttt | G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906, "Công an tỉnh", "A:cong-an"},
    {S906, "Sở Giáo dục và Đào tạo; Sở Lao động - Thương binh và Xã hội", "A:sgddt | A:sldtbxh"},
    {S906, "Sở Giáo dục và Đào tạo; UBND các huyện, thị xã, thành phố",
     "A:sgddt | G:ubnd-cap-huyen"},
    {S906, "Sở Giáo dục và Đào tạo; Sở Văn hóa, Thể thao và Du lịch", "A:sgddt | A:svhttdl"},
    {S906, "Sở Thông tin và Truyền thông; Sở Giáo dục và Đào tạo", "A:sttt | A:sgddt"},
    {S906,
     "Sở Thông tin và Truyền thông; Sở Giáo dục và Đào tạo; Sở Lao động - Thương binh và Xã hội",
     "A:sttt | A:sgddt | A:sldtbxh"},
    /* a cell cut by a page break: neither half is a known name */
    {S906, "Sở Thông tin và Truyền", "U:Sở Thông tin và Truyền"},
    {S906, "thông; các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
     "U:thông | G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906, "Sở Thông tin và Truyền thông; các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
     "A:sttt | G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906, "Đài Phát thanh và Truyền hình Quảng Ngãi", "A:dai-ptth"},
    {S906, "Văn phòng UBND tỉnh", "A:vpubnd"},
    {S906, "Theo nội dung phân công tại Kế hoạch số 74/KH-UBND ngày 12/6/2020",
     "U:Theo nội dung phân công tại Kế hoạch số 74/KH-UBND ngày 12/6/2020"},
    {S906,
     "Sở Thông tin và Truyền thông; Sở Kế hoạch và Đầu tư; Sở Công Thương; UBND các huyện, thị "
     "xã, thành phố",
     "A:sttt | A:skhdt | A:sct | G:ubnd-cap-huyen"},
    {S906, "Sở Thông tin và Truyền thông; Sở Công Thương; UBND các huyện, thị xã, thành phố",
     "A:sttt | A:sct | G:ubnd-cap-huyen"},
    {S906, "Sở Thông tin và Truyền thông; Sở Tài chính; Sở Công Thương, Sở NN&PTNT",
     "A:sttt | A:stc | A:sct | A:snnptnt"},
    {S906, "Sở Tài chính", "A:stc"},
    {S906, "Ngân hàng Nhà nước chi nhánh Quảng Ngãi", "A:nhnn"},
    {S906, "Sở Thông tin và Truyền thông, Sở Y tế, Sở Giáo dục, UBND các huyện, thị xã, thành phố",
     "A:sttt | A:syt | A:sgddt | G:ubnd-cap-huyen"},
    {S906, "Cục Thuế tỉnh", "A:cuc-thue"},
    {S906, "Sở Giáo dục và Đào tạo, Sở Thông tin và Truyền thông", "A:sgddt | A:sttt"},
    {S906, "Sở Lao động - Thương binh và Xã hội", "A:sldtbxh"},
    {S906, "Bảo hiểm xã hội tỉnh", "A:bhxh"},
    {S906, "Sở Công Thương, Sở Thông tin và Truyền thông", "A:sct | A:sttt"},
    {S906, "Sở Kế hoạch và Đầu tư", "A:skhdt"},
    {S906, "Ban Quản lý KKT Dung Quất và các Khu công nghiệp", "A:bql-kkt"},
    {S906, "Sở Tài nguyên và Môi trường", "A:stnmt"},
    {S906, "UBND các huyện, thị xã, thành phố", "G:ubnd-cap-huyen"},
    {S906, "Các sở, ban, ngành", "G:so-ban-nganh"},
    {S906, "Sở Thông tin và Truyền thông, Đài Phát thanh và Truyền hình tỉnh, Báo Quảng Ngãi",
     "A:sttt | A:dai-ptth | A:bao-qn"},
    {S906, "Sở Thông tin và Truyền thông; Sở Kế hoạch và Đầu tư", "A:sttt | A:skhdt"},
    {S906,
     "Sở Kế hoạch và Đầu tư; Sở Thông tin và Truyền thông; các sở, ban, ngành, UBND các huyện, "
     "thị xã, thành phố",
     "A:skhdt | A:sttt | G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906,
     "Sở Tài chính; Sở Kế hoạch và Đầu tư; các sở, ban, ngành, UBND các huyện, thị xã, thành "
     "phố",
     "A:stc | A:skhdt | G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S906, "Sở Lao động - Thương binh và Xã hội, UBND các huyện, thị xã, thành phố",
     "A:sldtbxh | G:ubnd-cap-huyen"},

    /* 189/KH-UBND 2022, appendix 2: Cơ quan chủ trì, Cơ quan phối hợp */
    {S189, "Sở TT&TT", "A:sttt"},
    {S189, "Các Sở, ban, ngành tỉnh; UBND cấp huyện;", "G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S189, "Các Sở, ban, ngành tỉnh;", "G:so-ban-nganh"},
    {S189, "UBND cấp huyện;", "G:ubnd-cap-huyen"},
    /* one name with a comma inside (longest match) … */
    {S189, "UBND cấp huyện, cấp xã", "G:ubnd-cap-huyen-xa"},
    {S189, "Sở TT&TT, các DN viễn thông", "A:sttt | G:dn-vien-thong"},
    {S189, "Các Sở, ban, ngành tỉnh", "G:so-ban-nganh"},
    /* … and two names across a ';' */
    {S189, "UBND cấp huyện; cấp xã", "G:ubnd-cap-huyen | A:ubnd-xa-phuong-thi-tran"},
    /* "các Sở:" heads a list of bare names */
    {S189, "Công an tỉnh, các Sở: GTVT, Y tế, GD và ĐT, VH-TT&DL; Sở Xây dựng",
     "A:cong-an | A:sgtvt | A:syt | A:sgddt | A:svhttdl | A:sxd"},
    {S189, "Bộ phận Một cửa các cấp", "A:bo-phan-mot-cua"},
    {S189, "Sở TT&TT, Văn phòng UBND tỉnh", "A:sttt | A:vpubnd"},
    {S189, "Các Sở, ban, ngành tỉnh; UBND cấp huyện; cấp xã",
     "G:so-ban-nganh | G:ubnd-cap-huyen | A:ubnd-xa-phuong-thi-tran"},
    {S189, "Các đơn vị được giao nhiệm vụ", "A:don-vi-duoc-giao"},
    {S189, "Các Sở, ban, ngành tỉnh; UBND cấp huyện; Sở TT&TT",
     "G:so-ban-nganh | G:ubnd-cap-huyen | A:sttt"},
    {S189, "Các Sở, ban, ngành tỉnh, UBND cấp huyện", "G:so-ban-nganh | G:ubnd-cap-huyen"},
    {S189, "Sở TT&TT, UBND cấp huyện", "A:sttt | G:ubnd-cap-huyen"},
    {S189, "Sở TT&TT, UBND cấp huyện, Tỉnh đoàn", "A:sttt | G:ubnd-cap-huyen | A:tinh-doan"},
    {S189, "Sở Nội vụ", "A:snv"},
    {S189, "Sở TT&TT, các Tổ Công nghệ số cộng đồng", "A:sttt | A:to-cns"},
    {S189, "Các cơ sở đào tạo đại học, cao đẳng, giáo dục nghề nghiệp trên địa bàn tỉnh",
     "A:co-so-dao-tao"},
    {S189, "Sở TT&TT,", "A:sttt"},
    {S189, "Các Sở, ban, ngành tỉnh, UBND các cấp; doanh nghiệp cung cấp dịch vụ chữ ký số",
     "G:so-ban-nganh | G:ubnd-cac-cap | A:dn-chu-ky-so"},
    {S189,
     "Sở Công Thương, Sở Nông nghiệp và Phát triển nông thôn, UBND các huyện, thị xã, thành phố",
     "A:sct | A:snnptnt | G:ubnd-cap-huyen"},
    {S189, "Sở KH&ĐT", "A:skhdt"},
    {S189, "Ngân hàng Nhà nước Việt Nam, Chi nhánh Quảng Ngãi", "A:nhnn"},

    /* KH-2025: "- Đơn vị chủ trì: …;" and "- Đơn vị phối hợp: …;" */
    {SKH, "Sở Khoa học và Công nghệ;", "A:skhcn"},
    {SKH, "Các sở, ban, ngành, địa phương trên địa bàn tỉnh;", "G:so-ban-nganh-dia-phuong"},
    {SKH, "Các sở, ban, ngành tỉnh;", "G:so-ban-nganh"},
    {SKH, "Sở Khoa học và Công nghệ và các sở, ban, ngành tỉnh có liên quan;",
     "A:skhcn | G:so-ban-nganh"},
    {SKH, "Tổ Công nghệ số cộng đồng, Đoàn thanh niên, các hội, hiệp hội;",
     "A:to-cns | A:tinh-doan | A:hoi-hiep-hoi"},
    {SKH, "Sở Công Thương;", "A:sct"},
    {SKH,
     "Sở Khoa học và Công nghệ; Ban Quản lý KTT Dung Quất và các KCN tỉnh; Liên minh Hợp tác "
     "xã tỉnh; Tổ Công nghệ số cộng đồng, Đoàn thanh niên, các hội, hiệp hội...",
     "A:skhcn | A:bql-kkt | A:lmhtx | A:to-cns | A:tinh-doan | A:hoi-hiep-hoi"},
    {SKH, "Sở Văn hóa, Thể thao và Du lịch;", "A:svhttdl"},
    {SKH,
     "Sở Khoa học và Công nghệ; Tổ Công nghệ số cộng đồng, Đoàn thanh niên, các hội, hiệp "
     "hội.",
     "A:skhcn | A:to-cns | A:tinh-doan | A:hoi-hiep-hoi"},
    {SKH, "Sở Nông nghiệp và Môi trường;", "A:snnmt"},
    {SKH,
     "Sở Khoa học và Công nghệ; Liên minh Hợp tác xã tỉnh; Tổ Công nghệ số cộng đồng, Đoàn "
     "thanh niên, các hội, hiệp hội.",
     "A:skhcn | A:lmhtx | A:to-cns | A:tinh-doan | A:hoi-hiep-hoi"},
    {SKH,
     "Sở Khoa học và Công nghệ; Ban Quản lý KTT Dung Quất và các KCN tỉnh; Tổ Công nghệ số "
     "cộng đồng, Đoàn thanh niên, các hội, hiệp hội.",
     "A:skhcn | A:bql-kkt | A:to-cns | A:tinh-doan | A:hoi-hiep-hoi"},
    {SKH, "các sở, ban, ngành có liên quan, địa phương trên địa bàn tỉnh;",
     "G:so-ban-nganh-dia-phuong"},
    {SKH, "Các doanh nghiệp viễn thông trên địa bàn tỉnh;", "G:dn-vien-thong"},
    {SKH, "Các sở, ban, ngành có liên quan;", "G:so-ban-nganh"},
    {SKH, "Các sở, ban, ngành có liên quan, địa phương trên địa bàn tỉnh;",
     "G:so-ban-nganh-dia-phuong"},
    {SKH, "Sở Khoa học và Công nghệ; các doanh nghiệp viễn thông trên địa bàn tỉnh;",
     "A:skhcn | G:dn-vien-thong"},
    {SKH, "Các sở, ban, ngành, địa phương trên địa bàn tỉnh; các doanh nghiệp công nghệ số.",
     "G:so-ban-nganh-dia-phuong | A:dn-cong-nghe-so"},
    {SKH, "Báo Quảng Ngãi; các sở, ban, ngành, địa phương trên địa bàn tỉnh;",
     "A:bao-qn | G:so-ban-nganh-dia-phuong"},
    {SKH, "Sở Khoa học và Công nghệ, Sở Nội vụ;", "A:skhcn | A:snv"},
    {SKH, "Sở Khoa học và Công nghệ, Báo Quảng Ngãi;", "A:skhcn | A:bao-qn"},

    /* the [task] leads of config/deadlined.ini */
    {SINI, "Các sở, ban, ngành, địa phương", "G:so-ban-nganh-dia-phuong"},
    {SINI, "Báo Quảng Ngãi", "A:bao-qn"},
    {SINI, "Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh", "G:so-ban-nganh"},
};

static void test_seed_cells(void **state)
{
	const struct fixture *fx = *state;

	run_split_cases(fx->dir, "seed cells", seed_cells, N_ELEMS(seed_cells));
}

/* The seed text, or NULL when the seeds are not there (they live beside
 * the repository, not in it). */
static char *read_seed(const char *file)
{
	static const char *const dirs[] = {"../shared/seeds", "/work/shared/seeds"};

	for (size_t i = 0; i < N_ELEMS(dirs); i++) {
		char path[PATH_MAX];
		FILE *f;
		struct buf b = BUF_INIT;
		char chunk[4096];
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", dirs[i], file);
		f = fopen(path, "rb");
		if (!f)
			continue;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
		buf_adds(&b, "");
		return buf_steal(&b);
	}
	return NULL;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	char *out = malloc(n + 1);
	assert_non_null(out);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static bool in_table(const char *cell)
{
	for (size_t i = 0; i < N_ELEMS(seed_cells); i++)
		if (!strcmp(seed_cells[i].cell, cell))
			return true;
	return false;
}

static bool is_header(const char *cell)
{
	return !*cell || !strcmp(cell, "Chủ trì thực hiện") || !strcmp(cell, "Cơ quan chủ trì") ||
	       !strcmp(cell, "Cơ quan phối hợp");
}

/* Field k (0-based) of a tab-separated line, trimmed; NULL if absent. */
static char *tab_field(const char *line, size_t len, int k)
{
	const char *s = line, *end = line + len;

	for (int i = 0; i < k; i++) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		if (!tab)
			return NULL;
		s = tab + 1;
	}
	const char *tab = memchr(s, '\t', (size_t)(end - s));
	return trimmed(s, (size_t)((tab ? tab : end) - s));
}

/* Counts (and prints) the cells of one seed that the table lacks. */
static size_t missing_cells(const char *tag, const char *text)
{
	size_t missing = 0;

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		char *cells[2] = {NULL, NULL};

		if (!strcmp(tag, S906) && memchr(line, '\t', len)) {
			cells[0] = tab_field(line, len, 2);
			char *fourth = tab_field(line, len, 3);
			if (!fourth) { /* fewer than four columns: no lead column */
				free(cells[0]);
				cells[0] = NULL;
			}
			free(fourth);
		} else if (!strcmp(tag, S189) && memchr(line, '\t', len)) {
			cells[0] = tab_field(line, len, 2);
			cells[1] = tab_field(line, len, 3);
		} else if (!strcmp(tag, SKH)) {
			static const char *const labels[] = {"Đơn vị chủ trì:", "Đơn vị phối hợp:"};
			for (size_t k = 0; k < N_ELEMS(labels); k++) {
				char *copy = trimmed(line, len);
				const char *at = strstr(copy, labels[k]);
				if (at) {
					at += strlen(labels[k]);
					cells[k] = trimmed(at, strlen(at));
				}
				free(copy);
			}
		}
		for (size_t k = 0; k < 2; k++) {
			if (cells[k] && !is_header(cells[k]) && !in_table(cells[k])) {
				print_error("%s: the cell \"%s\" is not in the table\n", tag,
				            cells[k]);
				missing++;
			}
			free(cells[k]);
		}
		line += len + (line[len] == '\n');
	}
	return missing;
}

/* With the seeds at hand: the table quotes them exactly, and lacks none of
 * their distinct cells. */
static void test_seed_table_covers_seeds(void **state)
{
	static const char *const tags[] = {S906, S189, SKH};
	size_t problems = 0;
	bool any = false;
	(void)state;

	for (size_t f = 0; f < N_ELEMS(seed_files); f++) {
		char *text = read_seed(seed_files[f]);
		if (!text)
			continue;
		any = true;
		for (size_t i = 0; i < N_ELEMS(seed_cells); i++)
			if (!strcmp(seed_cells[i].source, tags[f]) &&
			    !strstr(text, seed_cells[i].cell)) {
				print_error("%s: the table's cell \"%s\" is not in %s\n", tags[f],
				            seed_cells[i].cell, seed_files[f]);
				problems++;
			}
		problems += missing_cells(tags[f], text);
		free(text);
	}
	if (!any)
		skip(); /* the seeds are not on this machine; the table above still runs */
	if (problems) {
		print_error("%zu differences between the seed files and the table\n", problems);
		fail();
	}
}

/* Every name and alias of the real directory, as a cell, is its owner. */
static void test_real_names_resolve_to_themselves(void **state)
{
	const struct fixture *fx = *state;
	const struct cfg *c = fx->cfg;
	size_t failed = 0, total = 0;

	for (size_t i = 0; i < c->n_agencies; i++) {
		const struct cfg_agency *a = &c->agencies[i];
		char want[160];
		snprintf(want, sizeof(want), "A:%s", a->id);
		for (size_t k = 0; k <= a->aliases.n; k++) {
			const char *name = k == 0 ? a->name : a->aliases.v[k - 1];
			const char *id = NULL;
			total++;
			if (dir_lookup(fx->dir, name, &id) != DIR_AGENCY || !id ||
			    strcmp(id, a->id)) {
				print_error("dir_lookup(\"%s\") is %s, expected agency %s\n", name,
				            id ? id : "unresolved", a->id);
				failed++;
			}
			failed += !check_split(fx->dir, "a name as a cell", name, want);
		}
	}
	for (size_t i = 0; i < c->n_groups; i++) {
		const struct cfg_group *g = &c->groups[i];
		char want[160];
		snprintf(want, sizeof(want), "G:%s", g->id);
		for (size_t k = 0; k <= g->aliases.n; k++) {
			const char *name = k == 0 ? g->name : g->aliases.v[k - 1];
			const char *id = NULL;
			total++;
			if (dir_lookup(fx->dir, name, &id) != DIR_GROUP || !id ||
			    strcmp(id, g->id)) {
				print_error("dir_lookup(\"%s\") is %s, expected group %s\n", name,
				            id ? id : "unresolved", g->id);
				failed++;
			}
			failed += !check_split(fx->dir, "a name as a cell", name, want);
		}
	}
	if (failed) {
		print_error("%zu problems among %zu names\n", failed, total);
		fail();
	}
	assert_true(total > 300);
}

/* ---- the real directory: lookup, holders, supervisors, names ----------- */

static void expect_lookup(const struct dir *d, const char *name, enum dir_kind kind, const char *id)
{
	const char *got = "unset";
	enum dir_kind k = dir_lookup(d, name, &got);

	if (k == kind && ((!id && !got) || (id && got && !strcmp(id, got))))
		return;
	print_error("dir_lookup(\"%s\") is %c:%s, expected %c:%s\n", name, kind_letter(k),
	            got ? got : "NULL", kind_letter(kind), id ? id : "NULL");
	fail();
}

static void test_real_lookup(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;

	expect_lookup(d, "Sở TT&TT", DIR_AGENCY, "sttt");
	expect_lookup(d, "sở thông tin và truyền thông", DIR_AGENCY, "sttt");
	expect_lookup(d, "SỞ THÔNG TIN & TRUYỀN THÔNG", DIR_AGENCY, "sttt");
	expect_lookup(d, "Sở Văn hoá, Thể thao và Du lịch", DIR_AGENCY, "svhttdl");
	expect_lookup(d, "Sở Văn hóa Thể thao và Du lịch", DIR_AGENCY, "svhttdl");
	expect_lookup(d, "Sở Lao động – Thương binh và Xã hội", DIR_AGENCY, "sldtbxh");
	expect_lookup(d, "Các sở, ban, ngành", DIR_GROUP, "so-ban-nganh");
	expect_lookup(d, "UBND các huyện, thị xã, thành phố", DIR_GROUP, "ubnd-cap-huyen");
	expect_lookup(d, "UBND các xã, phường, đặc khu", DIR_AGENCY, "ubnd-cap-xa");
	/* one name, not a list */
	expect_lookup(d, "Sở Y tế; Sở Tư pháp", DIR_UNRESOLVED, NULL);
	expect_lookup(d, "Sở Y", DIR_UNRESOLVED, NULL);
	expect_lookup(d, "Sở Y te", DIR_UNRESOLVED, NULL);
	expect_lookup(d, "Bộ Thông tin và Truyền thông", DIR_UNRESOLVED, NULL);
	expect_lookup(d, "", DIR_UNRESOLVED, NULL);
}

static void expect_holder(const struct dir *d, const char *id, int y, int m, int day,
                          const char *want)
{
	const char *got = dir_holder(d, id, date_days_from_civil(y, m, day));

	if (got && !strcmp(got, want))
		return;
	print_error("dir_holder(%s, %04d-%02d-%02d) is %s, expected %s\n", id, y, m, day,
	            got ? got : "NULL", want);
	fail();
}

static void test_real_holders(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;

	expect_holder(d, "sttt", 2022, 7, 11, "sttt");
	expect_holder(d, "sttt", 2025, 2, 28, "sttt");
	expect_holder(d, "sttt", 2025, 3, 1, "skhcn");
	expect_holder(d, "sttt", 2026, 1, 1, "skhcn");
	expect_holder(d, "skhdt", 2025, 3, 1, "stc");
	expect_holder(d, "snnptnt", 2025, 3, 1, "snnmt");
	expect_holder(d, "stnmt", 2025, 3, 1, "snnmt");
	expect_holder(d, "stnmt", 2025, 2, 28, "stnmt");
	expect_holder(d, "sgtvt", 2025, 3, 1, "sxd");
	expect_holder(d, "sldtbxh", 2025, 3, 1, "snv");
	expect_holder(d, "ban-dan-toc", 2025, 3, 1, "sdttg");
	expect_holder(d, "ubnd-binh-son", 2025, 6, 30, "ubnd-binh-son");
	expect_holder(d, "ubnd-binh-son", 2025, 7, 1, "ubnd-cap-xa");
	expect_holder(d, "ubnd-xa-phuong-thi-tran", 2025, 7, 1, "ubnd-cap-xa");
	expect_holder(d, "skhcn", 2020, 1, 1, "skhcn");
	expect_holder(d, "skhcn", 2030, 1, 1, "skhcn");
	expect_holder(d, "ubnd", 2025, 7, 1, "ubnd");
	/* groups and unknown ids are passed through */
	expect_holder(d, "so-ban-nganh", 2025, 7, 1, "so-ban-nganh");
	expect_holder(d, "nope", 2025, 7, 1, "nope");
}

static void expect_supervisors(const struct dir *d, const char *id, size_t max,
                               const char *const *want, size_t n)
{
	const char *got[16] = {0};
	size_t k = dir_supervisors(d, id, got, max);
	bool ok = k == n;

	for (size_t i = 0; ok && i < n; i++)
		ok = got[i] && !strcmp(got[i], want[i]);
	if (ok)
		return;
	print_error("dir_supervisors(%s, max %zu):", id, max);
	for (size_t i = 0; i < k && i < 16; i++)
		print_error(" %s", got[i] ? got[i] : "NULL");
	print_error("; expected:");
	for (size_t i = 0; i < n; i++)
		print_error(" %s", want[i]);
	print_error("\n");
	fail();
}

#define SUPERVISORS(d, id, max, ...)                                                               \
	expect_supervisors(d, id, max, (const char *const[]){__VA_ARGS__},                         \
	                   sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_real_supervisors(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;

	SUPERVISORS(d, "sttt", 8, "ubnd");
	SUPERVISORS(d, "skhcn", 8, "ubnd");
	SUPERVISORS(d, "bo-phan-mot-cua", 8, "vpubnd", "ubnd");
	SUPERVISORS(d, "bo-phan-mot-cua", 1, "vpubnd");
	SUPERVISORS(d, "to-cns", 8, "skhcn", "ubnd");
	SUPERVISORS(d, "vnpt", 8, "skhcn", "ubnd");
	SUPERVISORS(d, "dn-chu-ky-so", 8, "skhcn", "ubnd");
	expect_supervisors(d, "ubnd", 8, NULL, 0);
	expect_supervisors(d, "nope", 8, NULL, 0);
	expect_supervisors(d, "sttt", 0, NULL, 0);
}

static void test_real_names_and_emails(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;
	const struct cfg_list *l;

	assert_ptr_equal(dir_cfg(d), fx->cfg);
	assert_string_equal(dir_name(d, "sttt"), "Sở Thông tin và Truyền thông");
	assert_string_equal(dir_name(d, "ubnd"), "Ủy ban nhân dân tỉnh Quảng Ngãi");
	assert_string_equal(dir_name(d, "so-ban-nganh"), "Các sở, ban, ngành tỉnh");
	assert_string_equal(dir_name(d, "dn-vien-thong"),
	                    "Các doanh nghiệp viễn thông trên địa bàn tỉnh");
	l = dir_emails(d, "sttt");
	assert_non_null(l);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->v[0], "sttt@quangngai.example");
	l = dir_emails(d, "ubnd-cap-xa");
	assert_non_null(l);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->v[0], "ubnd-cap-xa-list@quangngai.example");
	/* a group of enumerated members has no list address */
	l = dir_emails(d, "so-ban-nganh");
	assert_true(l == NULL || l->n == 0);
	assert_null(dir_emails(d, "nope"));
}

/* ---- the synthetic directory: the tricky rules -------------------------- */

static const struct split_case synthetic_cells[] = {
    /* NFC and NFD are one text; "written" keeps the bytes of the cell */
    {"NFD",
     "So\xcc\x9b\xcc\x89 Va\xcc\x86n ho\xcc\x81"
     "a, The\xcc\x82\xcc\x89 thao va\xcc\x80 Du li\xcc\xa3"
     "ch",
     "A:vh"},
    {"NFD", "So\xcc\x9b\xcc\x89 Y te\xcc\x82\xcc\x81", "A:yt"},
    {"NFD, two names",
     "So\xcc\x9b\xcc\x89 Y te\xcc\x82\xcc\x81; Trung ta\xcc\x82m Hoa\xcc\x80 Bi\xcc\x80nh",
     "A:yt | A:hb"},
    /* old and new tone placement */
    {"old tone placement", "Sở Văn hoá, Thể thao và Du lịch", "A:vh"},
    {"old tone placement", "Trung tâm Hoà Bình", "A:hb"},
    {"old tone placement", "Chi cục Thuỷ lợi", "A:tl"},
    {"old tone placement, NFD",
     "So\xcc\x9b\xcc\x89 Va\xcc\x86n hoa\xcc\x81, The\xcc\x82\xcc\x89 thao va\xcc\x80 Du li\xcc\xa3"
     "ch",
     "A:vh"},
    {"old tone placement, NFD",
     "Chi cu\xcc\xa3"
     "c Thuy\xcc\x89 lo\xcc\x9b\xcc\xa3i",
     "A:tl"},
    {"old tone placement, NFD, capitals",
     "SO\xcc\x9b\xcc\x89 VA\xcc\x86N HOA\xcc\x81, THE\xcc\x82\xcc\x89 THAO VA\xcc\x80 DU LI\xcc\xa3"
     "CH",
     "A:vh"},
    /* case */
    {"case", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "A:vh"},
    {"case", "sở y tế", "A:yt"},
    /* '&' and "và" */
    {"& for và", "Sở Khoa học & Công nghệ", "A:kh"},
    {"& for và", "Sở Văn hóa, Thể thao & Du lịch", "A:vh"},
    {"và for &", "Sở KH và CN", "A:kh"},
    {"& without spaces", "Sở KH&CN", "A:kh"},
    /* punctuation and spacing */
    {"no comma", "Sở Văn hóa Thể thao và Du lịch", "A:vh"},
    {"spacing", "  Sở   Văn hóa ,Thể thao  và   Du lịch  ", "A:vh"},
    {"no-break space", "Sở\xc2\xa0Y tế", "A:yt"},
    {"hyphen without spaces", "Sở Lao động-Thương binh và Xã hội", "A:ld"},
    {"en dash", "Sở Lao động – Thương binh và Xã hội", "A:ld"},
    {"no hyphen", "Sở Lao động Thương binh và Xã hội", "A:ld"},
    /* missing or different words do matter */
    {"a word missing", "Sở Y", "U:Sở Y"},
    {"a word missing", "Trung tâm Hòa", "U:Trung tâm Hòa"},
    {"a diacritic missing", "Sở Tư phap", "U:Sở Tư phap"},
    {"another tone", "Sở Y tê", "U:Sở Y tê"},
    /* a known name going on in capitals names something else: one unknown name */
    {"a word more, after a name", "Sở Y tế Quảng Ngãi", "U:Sở Y tế Quảng Ngãi"},
    /* the longest known name wins */
    {"longest match", "Sở Alpha và Beta", "A:alpha-beta"},
    {"longest match, then more", "Sở Alpha và Beta và Sở Alpha", "A:alpha-beta | A:alpha"},
    {"a comma is not 'và'", "Sở Alpha, Beta", "A:alpha | A:beta"},
    {"a ';' ends a name", "Sở Alpha; Beta", "A:alpha | A:beta"},
    {"a comma inside a name", "Gamma, Delta", "A:gd"},
    {"a ';' between names", "Gamma; Delta", "A:gamma | A:delta"},
    {"a comma inside, then a ';'", "Gamma, Delta; Gamma", "A:gd | A:gamma"},
    {"a name with commas next to others", "Sở Y tế, Sở Văn hóa, Thể thao và Du lịch, Sở Tư pháp",
     "A:yt | A:vh | A:tp"},
    /* unknown words between known names, kept as written */
    {"unknown between commas", "Sở Y tế, Trung tâm Z, Sở Tư pháp", "A:yt | U:Trung tâm Z | A:tp"},
    {"unknown between ';'", "Sở Y tế; phòng ABC; Sở Tư pháp", "A:yt | U:phòng ABC | A:tp"},
    {"unknown, no separators", "Sở Y tế Trung tâm Z Sở Tư pháp", "A:yt | U:Trung tâm Z | A:tp"},
    {"unknown first", "Trung tâm Z Sở Y tế", "U:Trung tâm Z | A:yt"},
    {"unknown, 'và', known", "Trung tâm Z và Sở Y tế", "U:Trung tâm Z | A:yt"},
    {"two unknown across a comma", "Trung tâm X, Trung tâm Y", "U:Trung tâm X | U:Trung tâm Y"},
    {"unknown with punctuation inside", "Trung tâm Z-1 / nhóm 2", "U:Trung tâm Z-1 / nhóm 2"},
    /* joiners between names are skipped */
    {"và between names", "Sở Y tế và Sở Tư pháp", "A:yt | A:tp"},
    {"và between names, no 'Sở'", "Y tế và Tư pháp", "A:yt | A:tp"},
    {"có liên quan after a name", "Sở Y tế, Sở Tư pháp có liên quan, UBND tỉnh",
     "A:yt | A:tp | A:ubnd"},
    {"có liên quan after a group", "Các sở, ngành có liên quan", "G:nganh"},
    {"trên địa bàn between names", "Sở Y tế trên địa bàn và Sở Tư pháp", "A:yt | A:tp"},
    /* "các Sở: A, B" drops the head of the list */
    {"list head", "các Sở: GTVT, Y tế", "A:gt | A:yt"},
    {"list head, capital", "Các sở: Tư pháp, Y tế và Sở Alpha", "A:tp | A:yt | A:alpha"},
    {"list head after a name", "UBND tỉnh, các Sở: Y tế, Tư pháp", "A:ubnd | A:yt | A:tp"},
    /* groups and names, empty and separator-only cells */
    {"a group", "Các sở, ngành", "G:nganh"},
    {"a group and an agency", "Các sở, ngành; Nhóm có địa chỉ", "G:nganh | G:list"},
    {"empty", "", ""},
    {"separators only", " ; , . ;", ""},
};

static void test_synthetic_cells(void **state)
{
	const struct fixture *fx = *state;

	run_split_cases(fx->dir, "synthetic cells", synthetic_cells, N_ELEMS(synthetic_cells));
}

/* "và" inside a name nobody knows is part of that name: one unresolved
 * name, never two guessed ones. */
static const struct split_case unknown_with_va[] = {
    {"unknown name with và", "Trung tâm Giám sát và Điều hành",
     "U:Trung tâm Giám sát và Điều hành"},
    {"unknown name with và, then a known one", "Trung tâm Giám sát và Điều hành; Sở Y tế",
     "U:Trung tâm Giám sát và Điều hành | A:yt"},
    {"a known name, then an unknown one with và", "Sở Y tế, Phòng Kế hoạch và Tài chính",
     "A:yt | U:Phòng Kế hoạch và Tài chính"},
    {"unknown name with &", "Bộ TT&TT", "U:Bộ TT&TT"},
};

/*
 * Names of other provinces and of the central government, which a
 * province's directory does not know: each comes out whole — a ',' or "và"
 * parts two names only where a new one starts ("Bộ", "Sở", "UBND", "các"
 * written as a name begins), never inside one.
 */
static const char beyond_province_ini[] =
    "[mail]\nmaildir = mail\n"
    "[agency yt]\nname = Sở Y tế\nalias = Y tế\nemail = yt@t.example\n"
    "[agency kh]\nname = Sở Khoa học và Công nghệ\nalias = Khoa học và Công nghệ\n"
    "email = kh@t.example\n"
    "[agency tc]\nname = Sở Tài chính\nalias = Tài chính\nemail = tc@t.example\n";

static const struct split_case beyond_province[] = {
    {"commas and và inside a ministry", "Bộ Văn hóa, Thể thao và Du lịch",
     "U:Bộ Văn hóa, Thể thao và Du lịch"},
    {"a ministry is not the Sở its field names", "Bộ Khoa học và Công nghệ",
     "U:Bộ Khoa học và Công nghệ"},
    {"a parenthesis stays with its name", "Bộ Công an (Trung tâm Dữ liệu quốc gia), Sở Y tế",
     "U:Bộ Công an (Trung tâm Dữ liệu quốc gia) | A:yt"},
    {"names, then a collective",
     "Bộ Công an, Bộ Tài chính và các bộ, ngành, địa phương "
     "khác có liên quan",
     "U:Bộ Công an | U:Bộ Tài chính | U:các bộ, ngành, địa phương khác có liên quan"},
    {"a collective is one name", "UBND các tỉnh, thành phố trực thuộc trung ương",
     "U:UBND các tỉnh, thành phố trực thuộc trung ương"},
    {"a collective ends where a strong head with a name starts",
     "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh",
     "U:các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | U:Ủy ban nhân dân các tỉnh"},
    {"after và only a strong head opens a name", "Cục Tiền lương và Bảo hiểm xã hội",
     "U:Cục Tiền lương và Bảo hiểm xã hội"},
    {"two ministries without a comma", "Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ",
     "U:Bộ Thông tin và Truyền thông | U:Bộ Khoa học và Công nghệ"},
    {"an enumeration", "(1) Trung tâm Chuyển đổi số; (2) Cục Du lịch Quốc gia",
     "U:Trung tâm Chuyển đổi số | U:Cục Du lịch Quốc gia"},
    {"bullets on their lines", "- Sở Y tế\n- Phòng Văn hóa và Thông tin",
     "A:yt | U:Phòng Văn hóa và Thông tin"},
    {"a line break between two names", "Các sở, ngành\nSở Tài chính", "U:Các sở, ngành | A:tc"},
    {"a bare alias inside an unknown name is part of it", "Vụ Kế hoạch, Tài chính",
     "U:Vụ Kế hoạch, Tài chính"},
    {"a sentence: the verb ends the name", "Bộ Công an tiến hành rà soát các văn bản",
     "U:Bộ Công an"},
    {"what for ends a name", "các bộ, ngành với các tiêu chuẩn nội ngành", "U:các bộ, ngành"},
    {"a list of one kind names each whole", "Các Cục: Di sản văn hóa, Bản quyền tác giả",
     "U:Cục Di sản văn hóa | U:Cục Bản quyền tác giả"},
    {"a list parted by ';' keeps its commas",
     "Các Cục: Xuất bản, In và Phát hành; Báo chí. "
     "Vụ Pháp chế",
     "U:Cục Xuất bản, In và Phát hành | U:Cục Báo chí | U:Vụ Pháp chế"},
    {"a known name going on in capitals", "Sở Tài chính Hà Nội", "U:Sở Tài chính Hà Nội"},
    {"a known name and words about it", "Sở Tài chính trên địa bàn tỉnh", "A:tc"},
    {"a body named by its mission: the verb is its name going on",
     "Ban Chỉ đạo thực hiện Đề án 06 tỉnh; Hội đồng phối hợp phổ biến, giáo dục pháp luật",
     "U:Ban Chỉ đạo thực hiện Đề án 06 tỉnh | U:Hội đồng phối hợp phổ biến, giáo dục pháp "
     "luật"},
    {"a mission body's name then a verb: the sentence goes on", "Ban Chỉ đạo tỉnh chỉ đạo các sở",
     "U:Ban Chỉ đạo tỉnh"},
    {"initials after a comma are another organisation", "Bộ GTVT, NHNNVN, EVN",
     "U:Bộ GTVT | U:NHNNVN | U:EVN"},
    {"initials with Vietnamese capitals", "Bộ Tài chính, ĐHQG", "U:Bộ Tài chính | U:ĐHQG"},
    {"initials in a collective's description are not organisations",
     "các bộ, ngành là chủ quản CSDLQG, CSDL chuyên ngành",
     "U:các bộ, ngành là chủ quản CSDLQG, CSDL chuyên ngành"},
    {"two capitals after a comma are words of the name", "UBND các huyện, TX, TP",
     "U:UBND các huyện, TX, TP"},
    {"a capitalised word after a comma stays in the name", "Bộ Văn hóa, Thể thao và Du lịch, VTV",
     "U:Bộ Văn hóa, Thể thao và Du lịch | U:VTV"},
    {"the members of a body are one name", "Các thành viên Ban Chỉ đạo tỉnh",
     "U:Các thành viên Ban Chỉ đạo tỉnh"},
    {"the units under a body are one name", "các đơn vị thuộc Bộ Quốc phòng",
     "U:các đơn vị thuộc Bộ Quốc phòng"},
};

/* A task given to the head of an agency is the agency's: the title goes,
 * and only before an organisation's name ("Trường" is a school). */
static const struct split_case office_titles[] = {
    {"the head of an agency", "Giám đốc Văn phòng Đoàn", "A:vpd"},
    {"the head of each in a group", "Chủ tịch UBND các huyện, thị xã, thành phố", "G:huyen"},
    {"a one-word title", "Chánh Thanh tra thành phố A", "A:tpa"},
    {"after a comma, a title opens a new name", "Văn phòng Đoàn, Giám đốc Phòng Tổng hợp",
     "A:vpd | A:vpx"},
    {"an unknown agency is named without its head's title", "Trưởng Ban Dân tộc", "U:Ban Dân tộc"},
    {"a title before no organisation stays", "Giám đốc điều hành", "U:Giám đốc điều hành"},
    {"a school is no title", "Trường Chính trị tỉnh", "U:Trường Chính trị tỉnh"},
};

static void test_names_beyond_the_province(void **state)
{
	struct fixture *fx = NULL;

	(void)state;
	assert_int_equal(fixture_from_cfg((void **)&fx, load_text(beyond_province_ini)), 0);
	run_split_cases(fx->dir, "names beyond the province", beyond_province,
	                N_ELEMS(beyond_province));
	fixture_teardown((void **)&fx);
}

/*
 * The standard short forms (UBND, KKT, KCN, BQL, VP, TX, TP …) are found
 * for the words they stand for and the other way round, in any mix, with
 * no alias written; a name written in the directory wins over another's
 * derived form, and two derived forms that clash name nobody.
 */
static const char short_forms_ini[] =
    "[mail]\nmaildir = mail\n"
    "[agency bql]\nname = Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng "
    "Ngãi\nemail = bql@t.example\n"
    "[agency vpd]\nname = Văn phòng Đoàn\nemail = vpd@t.example\n"
    "[agency vpx]\nname = Phòng Tổng hợp\nalias = VP Đoàn\nemail = vpx@t.example\n"
    "[agency tpa]\nname = Thanh tra thành phố A\nemail = tpa@t.example\n"
    "[agency tpb]\nname = Thanh tra TP A\nemail = tpb@t.example\n"
    "[agency h1]\nname = UBND huyện Một\nemail = h1@t.example\n"
    "[agency m]\nname = Văn phòng KKT\nemail = m@t.example\n"
    "[agency n]\nname = VP Khu kinh tế\nemail = n@t.example\n"
    "[group huyen]\nname = UBND các huyện, thị xã, thành phố\nmember = h1\n";

static const struct split_case short_forms[] = {
    {"all short", "BQL KKT Dung Quất và các KCN Quảng Ngãi", "A:bql"},
    {"a mix of short and full", "Ban Quản lý KKT Dung Quất và các Khu công nghiệp Quảng Ngãi",
     "A:bql"},
    {"a group's words short", "UBND các huyện, TX, TP", "G:huyen"},
    {"a short form written in full", "Ủy ban nhân dân huyện Một", "A:h1"},
    {"a name written wins over a derived form", "VP Đoàn; Văn phòng Đoàn", "A:vpx | A:vpd"},
    {"a derived form clashing with a written name", "Thanh tra TP A", "A:tpb"},
    {"each name's own writing", "Văn phòng KKT; VP Khu kinh tế", "A:m | A:n"},
    {"two derived forms clashing: nobody", "Văn phòng Khu kinh tế", "U:Văn phòng Khu kinh tế"},
};

static void test_short_forms_and_titles(void **state)
{
	struct fixture *fx = NULL;

	(void)state;
	assert_int_equal(fixture_from_cfg((void **)&fx, load_text(short_forms_ini)), 0);
	run_split_cases(fx->dir, "short forms", short_forms, N_ELEMS(short_forms));
	run_split_cases(fx->dir, "office titles", office_titles, N_ELEMS(office_titles));
	fixture_teardown((void **)&fx);
}

static void test_unknown_name_with_va(void **state)
{
	const struct fixture *fx = *state;

	run_split_cases(fx->dir, "unknown names with và", unknown_with_va,
	                N_ELEMS(unknown_with_va));
}

/* What is written is kept byte for byte, whatever it matched. */
static void test_written_text(void **state)
{
	const struct fixture *fx = *state;
	static const char cell[] = "  Sở KH&CN ;Gamma,   Delta ; Trung  tâm Z.";
	static const char *const want[] = {"Sở KH&CN", "Gamma,   Delta", "Trung  tâm Z"};
	struct dir_match *m = NULL;
	size_t n = dir_split(fx->dir, cell, &m);

	if (n != N_ELEMS(want)) {
		print_error("\"%s\": %zu matches, expected %zu\n", cell, n, N_ELEMS(want));
		dir_matches_free(m, n);
		fail();
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].written, want[i]) != 0) {
			print_error("\"%s\": match %zu written \"%s\", expected \"%s\"\n", cell, i,
			            m[i].written, want[i]);
			dir_matches_free(m, n);
			fail();
		}
	}
	assert_int_equal(m[0].kind, DIR_AGENCY);
	assert_string_equal(m[0].id, "kh");
	assert_int_equal(m[1].kind, DIR_AGENCY);
	assert_string_equal(m[1].id, "gd");
	assert_int_equal(m[2].kind, DIR_UNRESOLVED);
	assert_null(m[2].id);
	dir_matches_free(m, n);

	/* an NFD cell keeps its NFD bytes */
	static const char nfd[] = "So\xcc\x9b\xcc\x89 Y te\xcc\x82\xcc\x81";
	n = dir_split(fx->dir, nfd, &m);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].written, nfd);
	dir_matches_free(m, n);
}

/* A long cell (150 names, over 800 words) is read whole: no word dropped. */
static void test_long_cell(void **state)
{
	const struct fixture *fx = *state;
	struct buf cell = BUF_INIT;
	struct dir_match *m = NULL;
	size_t n, bad = 0;

	for (int i = 0; i < 150; i++) {
		buf_adds(&cell, i ? "; " : "");
		buf_adds(&cell, i % 2 ? "Sở Y tế" : "Sở Văn hóa, Thể thao và Du lịch");
	}
	n = dir_split(fx->dir, buf_str(&cell), &m);
	for (size_t i = 0; i < n; i++)
		bad += m[i].kind != DIR_AGENCY || strcmp(m[i].id, i % 2 ? "yt" : "vh") != 0;
	if (n != 150 || bad) {
		print_error("a cell of 150 names (%zu bytes) split into %zu matches (%zu wrong), "
		            "expected 150 agencies; the last: %c:%s \"%s\"\n",
		            cell.len, n, bad, n ? kind_letter(m[n - 1].kind) : '-',
		            n && m[n - 1].id ? m[n - 1].id : "-", n ? m[n - 1].written : "");
		dir_matches_free(m, n);
		buf_free(&cell);
		fail();
	}
	dir_matches_free(m, n);
	buf_free(&cell);
}

static void test_synthetic_lookup(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;

	expect_lookup(d, "Sở Alpha và Beta", DIR_AGENCY, "alpha-beta");
	expect_lookup(d, "Sở Alpha & Beta", DIR_AGENCY, "alpha-beta");
	expect_lookup(d, "Sở Alpha", DIR_AGENCY, "alpha");
	expect_lookup(d, "gamma delta", DIR_AGENCY, "gd");
	expect_lookup(d, "Trung tâm Hoà Bình", DIR_AGENCY, "hb");
	expect_lookup(d, "Các sở, ngành", DIR_GROUP, "nganh");
	expect_lookup(d, "Sở Alpha và", DIR_UNRESOLVED, NULL);
}

static void test_synthetic_holders(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;

	expect_holder(d, "a1", 2025, 2, 28, "a1");
	expect_holder(d, "a1", 2025, 3, 1, "a2");
	expect_holder(d, "a1", 2025, 6, 30, "a2");
	expect_holder(d, "a1", 2025, 7, 1, "a3");
	expect_holder(d, "a2", 2025, 3, 1, "a2");
	expect_holder(d, "a2", 2025, 7, 1, "a3");
	expect_holder(d, "a3", 2025, 7, 1, "a3");
	/* p1 hands over only on 2025-07-01, to p2, which p3 holds since March */
	expect_holder(d, "p1", 2025, 5, 1, "p1");
	expect_holder(d, "p1", 2025, 7, 1, "p3");
	expect_holder(d, "p2", 2025, 5, 1, "p3");
	expect_holder(d, "p2", 2025, 2, 1, "p2");
}

static void test_synthetic_supervisors(void **state)
{
	const struct fixture *fx = *state;
	const struct dir *d = fx->dir;

	SUPERVISORS(d, "a1", 8, "s1", "s2", "ubnd");
	SUPERVISORS(d, "a1", 2, "s1", "s2");
	SUPERVISORS(d, "s1", 8, "s2", "ubnd");
	SUPERVISORS(d, "s2", 8, "ubnd");
	expect_supervisors(d, "ubnd", 8, NULL, 0);
	assert_string_equal(dir_name(d, "gd"), "Gamma, Delta");
	assert_string_equal(dir_name(d, "nganh"), "Các sở, ngành");
	const struct cfg_list *l = dir_emails(d, "delta");
	assert_non_null(l);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->v[1], "delta2@t.example");
	l = dir_emails(d, "list");
	assert_non_null(l);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->v[0], "list@t.example");
}

/* Without an agency ubnd and without default_supervisor, a chain ends with
 * the last supervisor written; with one, it stops there. */
static void test_supervisors_default(void **state)
{
	(void)state;
	struct cfg *c =
	    load_text("[mail]\nmaildir = mail\n"
	              "[agency x]\nname = Cơ quan X\nemail = x@t.example\nsupervisor = y\n"
	              "[agency y]\nname = Cơ quan Y\nemail = y@t.example\n");
	assert_non_null(c);
	struct dir *d = dir_new(c);
	SUPERVISORS(d, "x", 8, "y");
	expect_supervisors(d, "y", 8, NULL, 0);
	dir_free(d);
	cfg_free(c);

	c = load_text("[mail]\nmaildir = mail\n"
	              "[daemon]\ndefault_supervisor = top\n"
	              "[agency top]\nname = Văn phòng\nemail = top@t.example\nsupervisor = higher\n"
	              "[agency higher]\nname = Cấp trên\nemail = h@t.example\n"
	              "[agency x]\nname = Cơ quan X\nemail = x@t.example\n"
	              "[agency z]\nname = Cơ quan Z\nemail = z@t.example\nsupervisor = x\n");
	assert_non_null(c);
	d = dir_new(c);
	SUPERVISORS(d, "x", 8, "top");
	SUPERVISORS(d, "z", 8, "x", "top");
	dir_free(d);
	cfg_free(c);
}

/* An empty directory knows no name: every name of a cell is unresolved.
 * (Run last: it exercises the empty index.) */
static void test_empty_directory(void **state)
{
	(void)state;
	struct cfg *c = load_text("[mail]\nmaildir = mail\n");
	assert_non_null(c);
	struct dir *d = dir_new(c);
	const char *id = "unset";

	bool ok =
	    check_split(d, "an empty directory", "Sở Y tế; Sở Tư pháp", "U:Sở Y tế | U:Sở Tư pháp");
	enum dir_kind k = dir_lookup(d, "Sở Y tế", &id);
	const char *holder = dir_holder(d, "syt", 20000);
	const char *sup[4];
	size_t n_sup = dir_supervisors(d, "syt", sup, 4);
	dir_free(d);
	cfg_free(c);
	assert_true(ok);
	assert_int_equal(k, DIR_UNRESOLVED);
	assert_null(id);
	assert_string_equal(holder, "syt");
	assert_int_equal(n_sup, 0);
}

int main(void)
{
#define REAL(fn)  cmocka_unit_test_setup_teardown(fn, real_setup, fixture_teardown)
#define SYNTH(fn) cmocka_unit_test_setup_teardown(fn, synthetic_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    REAL(test_seed_cells),
	    cmocka_unit_test(test_seed_table_covers_seeds),
	    REAL(test_real_names_resolve_to_themselves),
	    REAL(test_real_lookup),
	    REAL(test_real_holders),
	    REAL(test_real_supervisors),
	    REAL(test_real_names_and_emails),
	    SYNTH(test_synthetic_cells),
	    SYNTH(test_unknown_name_with_va),
	    cmocka_unit_test(test_names_beyond_the_province),
	    cmocka_unit_test(test_short_forms_and_titles),
	    SYNTH(test_written_text),
	    SYNTH(test_long_cell),
	    SYNTH(test_synthetic_lookup),
	    SYNTH(test_synthetic_holders),
	    SYNTH(test_synthetic_supervisors),
	    cmocka_unit_test(test_supervisors_default),
	    cmocka_unit_test(test_empty_directory),
	};
#undef REAL
#undef SYNTH
	return cmocka_run_group_tests(tests, NULL, NULL);
}
