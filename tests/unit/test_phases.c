/*
 * Unit tests for phases: a timeframe cell giving several agencies their own
 * dues, cut into one part per agency, through the real directory
 * (config/deadlined.ini, run from the repository root). One table of cells
 * written for this test (their wording is not any plan's), the parts an
 * official would read in each, written by hand; then the cells that must
 * stay whole.
 */
#include "check.h"

#include "cfg.h"
#include "dir.h"
#include "phases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG    "config/deadlined.ini"
#define MAX_PARTS 4

static struct cfg *cfg;
static struct dir *dir;

static int group_setup(void **state)
{
	struct buf errors = BUF_INIT;

	(void)state;
	cfg = cfg_load(CONFIG, &errors, NULL);
	if (!cfg)
		print_error("cfg_load(%s) failed (run from the repository root):\n%s\n", CONFIG,
		            buf_str(&errors));
	buf_free(&errors);
	dir = cfg ? dir_new(cfg) : NULL;
	return dir ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	dir_free(dir);
	cfg_free(cfg);
	return 0;
}

struct want_part {
	const char *agency; /* NULL: the row's own part */
	const char *slug;
	const char *timeframe;
	int y, m, d; /* due at 00:00 of that day ("trước ngày") */
};

struct split_case {
	const char *timeframe;
	const char *own_leads;
	int plan_year;
	struct want_part parts[MAX_PARTS]; /* up to the first with no timeframe */
};

static const struct split_case splits[] = {
    /* Two agencies, each with its own clause; the row's lead names its own. */
    {"+ Các sở, ban, ngành gửi số liệu trước ngày 20 tháng 5 năm 2026.\n"
     "+ Sở Tài chính tổng hợp, trình UBND tỉnh trước ngày 10 tháng 6 năm 2026.",
     "Sở Tài chính",
     0,
     {{"Các sở, ban, ngành", "cac-so-ban-nganh",
       "Các sở, ban, ngành gửi số liệu trước ngày 20 tháng 5 năm 2026", 2026, 5, 20},
      {NULL, NULL, "Sở Tài chính tổng hợp, trình UBND tỉnh trước ngày 10 tháng 6 năm 2026", 2026, 6,
       10}}},
    /* No lead cell: both clauses are agency parts. */
    {"+ Các sở, ban, ngành gửi số liệu trước ngày 20 tháng 5 năm 2026.\n"
     "+ Sở Tài chính tổng hợp, trình UBND tỉnh trước ngày 10 tháng 6 năm 2026.",
     NULL,
     0,
     {{"Các sở, ban, ngành", "cac-so-ban-nganh",
       "Các sở, ban, ngành gửi số liệu trước ngày 20 tháng 5 năm 2026", 2026, 5, 20},
      {"Sở Tài chính", "so-tai-chinh",
       "Sở Tài chính tổng hợp, trình UBND tỉnh trước ngày 10 tháng 6 năm 2026", 2026, 6, 10}}},
    /* Dashes and semicolons; a group of districts, then the lead. */
    {"- UBND các huyện, thị xã, thành phố báo cáo trước ngày 15/11/2025;\n"
     "- Sở Nội vụ tổng hợp trước ngày 30/11/2025",
     "Sở Nội vụ",
     0,
     {{"UBND các huyện, thị xã, thành phố", "ubnd-cac-huyen-thi-xa-thanh-pho",
       "UBND các huyện, thị xã, thành phố báo cáo trước ngày 15/11/2025", 2025, 11, 15},
      {NULL, NULL, "Sở Nội vụ tổng hợp trước ngày 30/11/2025", 2025, 11, 30}}},
    /* Three agencies on one line; the last is the row's lead. */
    {"Sở Y tế trình trước ngày 31/3/2026; Sở Giáo dục và Đào tạo trình trước ngày "
     "30/4/2026; Sở Tài chính thẩm định trước ngày 31/5/2026",
     "Sở Tài chính",
     0,
     {{"Sở Y tế", "so-y-te", "Sở Y tế trình trước ngày 31/3/2026", 2026, 3, 31},
      {"Sở Giáo dục và Đào tạo", "so-giao-duc-va-dao-tao",
       "Sở Giáo dục và Đào tạo trình trước ngày 30/4/2026", 2026, 4, 30},
      {NULL, NULL, "Sở Tài chính thẩm định trước ngày 31/5/2026", 2026, 5, 31}}},
    /* The same agency twice: two dues, two slugs. */
    {"+ Sở Y tế gửi dự thảo trước ngày 15/3/2026. + Sở Y tế hoàn thiện trước ngày 30/6/2026.",
     "Sở Tư pháp",
     0,
     {{"Sở Y tế", "so-y-te", "Sở Y tế gửi dự thảo trước ngày 15/3/2026", 2026, 3, 15},
      {"Sở Y tế", "so-y-te-2", "Sở Y tế hoàn thiện trước ngày 30/6/2026", 2026, 6, 30}}},
    /* "năm sau" needs the plan's year: the clause keeps the words, the due is 2027's. */
    {"+ Các sở, ban, ngành đăng ký trước ngày 31 tháng 1 năm sau. + Sở Nội vụ tổng hợp trước "
     "ngày 28 tháng 2 năm sau.",
     "Sở Nội vụ",
     2026,
     {{"Các sở, ban, ngành", "cac-so-ban-nganh",
       "Các sở, ban, ngành đăng ký trước ngày 31 tháng 1 năm sau", 2027, 1, 31},
      {NULL, NULL, "Sở Nội vụ tổng hợp trước ngày 28 tháng 2 năm sau", 2027, 2, 28}}},
};

static void test_splits(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(splits); i++) {
		const struct split_case *c = &splits[i];
		struct tf_ctx ctx = {TZ, 0, 0};
		struct phases_part *parts;
		size_t want = 0;
		while (want < MAX_PARTS && c->parts[want].timeframe)
			want++;
		size_t n =
		    phases_split(dir, c->timeframe, c->own_leads, &ctx, c->plan_year, &parts);
		char what[96];
		snprintf(what, sizeof(what), "case %zu parts", i);
		check_int(what, n, want);
		for (size_t k = 0; k < n; k++) {
			const struct want_part *w = &c->parts[k];
			struct tf tf;
			snprintf(what, sizeof(what), "case %zu part %zu agency", i, k);
			check_str(what, parts[k].agency, w->agency);
			snprintf(what, sizeof(what), "case %zu part %zu slug", i, k);
			check_str(what, parts[k].slug, w->slug);
			snprintf(what, sizeof(what), "case %zu part %zu timeframe", i, k);
			check_str(what, parts[k].timeframe, w->timeframe);
			/* The part read alone: its own due, and only it. */
			snprintf(what, sizeof(what), "case %zu part %zu reads", i, k);
			check_int(what,
			          tf_parse_issued(parts[k].timeframe, &ctx, c->plan_year, &tf), 0);
			snprintf(what, sizeof(what), "case %zu part %zu phases", i, k);
			check_int(what, tf.n_phases, 1);
			snprintf(what, sizeof(what), "case %zu part %zu due", i, k);
			check_int(what, tf.due, at(w->y, w->m, w->d, 0, 0, 0));
		}
		phases_free(parts, n);
	}
}

/* Cells that stay one task: nothing to cut, or nothing safe to cut. */
static const struct {
	const char *timeframe, *own_leads;
	const char *why;
} whole[] = {
    {"Sở Tài chính hoàn thành trước ngày 30/6/2026", "Sở Nội vụ", "one deadline"},
    {"Quý I/2026; Quý III/2026", "Sở Nội vụ", "read exactly: no sentence, no agency"},
    {"Các sở, ban, ngành báo cáo trước ngày 15/12 hằng năm; Sở Nội vụ tổng hợp trước ngày "
     "25/12 hằng năm",
     "Sở Nội vụ", "recurring"},
    {"Ban Quản lý dự án Sông Vệ hoàn thành trước ngày 30/6/2026; Sở Y tế tổng hợp trước ngày "
     "15/7/2026",
     "Sở Y tế", "the only other agency is not in the directory"},
    {"Sở Y tế gửi dự thảo trước ngày 10/3/2026; trình UBND tỉnh trước ngày 31/3/2026", "Sở Y tế",
     "the agency named is the row's own lead"},
    {"Sở Tư pháp góp ý trước ngày 10/4/2026, trình UBND tỉnh trước ngày 20/4/2026", "Sở Nội vụ",
     "no clause boundary between its due and the next"},
};

static void test_whole(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(whole); i++) {
		struct tf_ctx ctx = {TZ, 0, 0};
		struct phases_part *parts;
		size_t n =
		    phases_split(dir, whole[i].timeframe, whole[i].own_leads, &ctx, 2026, &parts);
		check_int(whole[i].why, n, 0);
		check_int(whole[i].why, parts == NULL, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_splits),
	    cmocka_unit_test(test_whole),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
