/*
 * Unit tests for task: timeframes, agency assignment through the real
 * directory (config/deadlined.ini, run from the repository root), the
 * content hash and the status names. Expectations come from
 * include/task.h and the domain notes, written by hand.
 */
#include "check.h"

#include "buf.h"
#include "cfg.h"
#include "date.h"
#include "dir.h"
#include "task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define CONFIG "config/deadlined.ini"

static struct cfg *cfg;
static struct dir *dir;

static const struct tf_ctx no_plan = {TZ, 0, 0};

/* The members of [group so-ban-nganh] in config/directory.ini, in order. */
static const char *const so_ban_nganh[] = {
    "vpubnd",  "snv",      "stp",     "stc",     "sct",         "sxd",       "skhcn",
    "sgddt",   "syt",      "svhttdl", "snnmt",   "sdttg",       "sttt",      "skhdt",
    "snnptnt", "stnmt",    "sgtvt",   "sldtbxh", "ban-dan-toc", "thanh-tra", "bql-kkt",
    "cong-an", "cuc-thue", "nhnn",    "bhxh",    "dai-ptth",
};

/* The members of [group ubnd-cap-huyen], in order. */
static const char *const cap_huyen[] = {
    "ubnd-tp-quang-ngai", "ubnd-tx-duc-pho", "ubnd-binh-son", "ubnd-son-tinh",  "ubnd-tu-nghia",
    "ubnd-nghia-hanh",    "ubnd-mo-duc",     "ubnd-ba-to",    "ubnd-minh-long", "ubnd-son-ha",
    "ubnd-son-tay",       "ubnd-tra-bong",   "ubnd-ly-son",
};

static int group_setup(void **state)
{
	struct buf errors = BUF_INIT;

	(void)state;
	cfg = cfg_load(CONFIG, &errors, NULL);
	if (!cfg) {
		print_error("cfg_load(%s) failed (run from the repository root):\n%s\n", CONFIG,
		            buf_str(&errors));
		buf_free(&errors);
		return -1;
	}
	buf_free(&errors);
	dir = dir_new(cfg);
	return dir ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	dir_free(dir);
	cfg_free(cfg);
	return 0;
}

/* ---- reporting ---------------------------------------------------------- */

static void check_flags(const char *what, unsigned got, unsigned want)
{
	if (got != want)
		fail_msg("%s: flags 0x%02x, want 0x%02x (1 UNPARSED, 2 UNRESOLVED, 4 NO_LEAD, "
		         "8 CONDITION, 0x10 IMPLICIT)",
		         what, got, want);
}

/* Every assignment of a task, one per line, for failure messages. */
static const char *show_agencies(const struct task *t)
{
	static char out[4096];

	out[0] = '\0';
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "\n  %s %s \"%s\" via %s%s",
		         task_role_name(a->role), a->agency, a->written ? a->written : "NULL",
		         a->via_group ? a->via_group : "-", a->resolved ? "" : " UNRESOLVED");
	}
	return out;
}

static const struct task_agency *find_agency(const struct task *t, enum task_role role,
                                             const char *agency)
{
	for (size_t i = 0; i < t->n_agencies; i++)
		if (t->agencies[i].role == role && !strcmp(t->agencies[i].agency, agency))
			return &t->agencies[i];
	return NULL;
}

static void expect_agency(const struct task *t, enum task_role role, const char *agency,
                          const char *written, const char *via, bool resolved)
{
	const struct task_agency *a = find_agency(t, role, agency);

	if (!a)
		fail_msg("no %s assignment of %s; have:%s", task_role_name(role), agency,
		         show_agencies(t));
	check_str(agency, a->written, written);
	check_str(agency, a->via_group, via);
	check_int(agency, a->resolved, resolved);
}

static void expect_count(const struct task *t, size_t n)
{
	if (t->n_agencies != n)
		fail_msg("%zu assignments, want %zu:%s", t->n_agencies, n, show_agencies(t));
}

static void new_task(struct task *t)
{
	task_init(t);
	t->plan_id = strdup("KH-2025");
	t->key = strdup("k");
	t->title = strdup("Nhiệm vụ");
}

/* ---- timeframes --------------------------------------------------------- */

static void test_timeframe_parsed(void **state)
{
	struct task t;

	(void)state;
	new_task(&t);
	task_set_timeframe(&t, "Quý II/2025", &no_plan);
	check_str("timeframe kept as written", t.timeframe, "Quý II/2025");
	check_int("kind", t.kind, TF_ONCE);
	check_int("due: end of 30/06/2025", t.due, end_of(2025, 6, 30));
	check_int("window_start: 01/04/2025", t.window_start, start_of(2025, 4, 1));
	check_str("condition", t.condition, NULL);
	check_flags("Quý II/2025", t.flags, 0);

	task_set_timeframe(&t, "trước ngày 30/6/2024", &no_plan);
	check_int("kind", t.kind, TF_ONCE);
	check_int("before a day: 00:00 of it", t.due, start_of(2024, 6, 30));

	task_set_timeframe(&t, "trước ngày 01/12 hàng năm", &(struct tf_ctx){TZ, 2020, 2025});
	check_int("yearly kind", t.kind, TF_YEARLY);
	check_int("yearly: the first occurrence within the plan", t.due, start_of(2020, 12, 1));
	check_flags("yearly", t.flags, 0);

	task_set_timeframe(&t, "Thường xuyên", &no_plan);
	check_int("ongoing kind", t.kind, TF_ONGOING);
	check_int("ongoing: no due", t.due, TF_NONE);
	check_flags("Thường xuyên", t.flags, 0);
	task_free(&t);
}

static void test_timeframe_flags(void **state)
{
	struct task t;
	const char *cond = "Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)";

	(void)state;
	new_task(&t);

	/* Not understood: kept verbatim and flagged, never guessed. */
	task_set_timeframe(&t, "blah blah", &no_plan);
	check_str("unparsed timeframe kept", t.timeframe, "blah blah");
	check_int("unparsed kind", t.kind, TF_UNPARSED);
	check_int("unparsed due", t.due, TF_NONE);
	check_flags("blah blah", t.flags, TASK_FLAG_UNPARSED);

	/* A condition written beside the date. */
	task_set_timeframe(&t, cond, &no_plan);
	check_str("timeframe", t.timeframe, cond);
	check_int("kind", t.kind, TF_ONCE);
	check_int("due: end of 2025", t.due, end_of(2025, 12, 31));
	check_flags("with a condition (UNPARSED cleared)", t.flags, TASK_FLAG_CONDITION);
	if (!t.condition ||
	    !strstr(t.condition, "sau khi có hướng dẫn của Bộ Khoa học và Công nghệ"))
		fail_msg("condition: got \"%s\"", t.condition ? t.condition : "NULL");

	/* Empty: the plan's period. */
	task_set_timeframe(&t, "", &(struct tf_ctx){TZ, 2023, 2023});
	check_str("empty timeframe", t.timeframe, "");
	check_int("implicit due: end of the plan's year", t.due, end_of(2023, 12, 31));
	check_flags("empty timeframe (CONDITION cleared)", t.flags, TASK_FLAG_IMPLICIT);
	check_str("condition cleared", t.condition, NULL);

	/* Read from a sentence: the deadline, the rest as condition, flagged to be checked. */
	task_set_timeframe(&t, "Ban hành trong quý II năm 2027. Tổ chức triển khai, cập nhật",
	                   &no_plan);
	check_int("loose kind", t.kind, TF_ONCE);
	check_int("loose due", t.due, end_of(2027, 6, 30));
	check_flags("a sentence", t.flags, TASK_FLAG_LOOSE | TASK_FLAG_CONDITION);
	check_str("the rest", t.condition, "Tổ chức triển khai, cập nhật");
	/* "năm sau": known with the plan's year only. */
	task_set_timeframe(&t, "Quý II năm sau", &no_plan);
	check_flags("năm sau, no year of issue (LOOSE cleared)", t.flags, TASK_FLAG_UNPARSED);
	task_set_timeframe_issued(&t, "Quý II năm sau", &no_plan, 2025);
	check_flags("năm sau in a plan of 2025", t.flags, 0);
	check_int("năm sau: 2026", t.due, end_of(2026, 6, 30));

	/* A new timeframe clears the timeframe flags but keeps the others. */
	t.flags |= TASK_FLAG_UNRESOLVED | TASK_FLAG_NO_LEAD;
	task_set_timeframe(&t, "Quý IV/2025", &no_plan);
	check_flags("agency flags survive a new timeframe", t.flags,
	            TASK_FLAG_UNRESOLVED | TASK_FLAG_NO_LEAD);
	check_int("due", t.due, end_of(2025, 12, 31));
	task_free(&t);
}

/* ---- assignment --------------------------------------------------------- */

static void test_assign_agency(void **state)
{
	struct task t;

	(void)state;
	new_task(&t);
	check_int("unresolved count", task_assign(&t, dir, TASK_LEAD, "Sở Tư pháp"), 0);
	expect_count(&t, 1);
	expect_agency(&t, TASK_LEAD, "stp", "Sở Tư pháp", NULL, true);
	check_flags("one resolved lead", t.flags, 0);

	/* Spelling variants: old tone placement, short forms, case. */
	check_int("unresolved count",
	          task_assign(&t, dir, TASK_COORD,
	                      "Sở Văn hoá, Thể thao và Du lịch; Sở TT&TT; sở kế hoạch VÀ đầu tư"),
	          0);
	expect_count(&t, 4);
	expect_agency(&t, TASK_COORD, "svhttdl", "Sở Văn hoá, Thể thao và Du lịch", NULL, true);
	expect_agency(&t, TASK_COORD, "sttt", "Sở TT&TT", NULL, true);
	expect_agency(&t, TASK_COORD, "skhdt", "sở kế hoạch VÀ đầu tư", NULL, true);
	check_flags("resolved coordinating agencies", t.flags, 0);
	task_free(&t);
}

/*
 * A group in a document of a day stands for its members of that day: on
 * 10/12/2025 the departments merged on 1/3/2025 are their successors, each
 * once; on 28/2/2025, and when the day is unknown, they are themselves.
 */
static void test_assign_group_as_it_stood(void **state)
{
	static const struct {
		int64_t day;
		size_t n;          /* members */
		const char *gone;  /* not among them */
		const char *there; /* among them, once */
	} cases[] = {
	    {0, N_ELEMS(so_ban_nganh) - 7, "skhdt", "stc"}, /* 7 merged away */
	    {-1, N_ELEMS(so_ban_nganh), NULL, "skhdt"},
	    {TASK_ANY_DAY, N_ELEMS(so_ban_nganh), NULL, "sttt"},
	};
	const int64_t after = date_days_from_civil(2025, 12, 10);
	const int64_t before = date_days_from_civil(2025, 2, 28);

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct task t;
		int64_t day = cases[i].day == 0    ? after
		              : cases[i].day == -1 ? before
		                                   : cases[i].day;
		size_t seen = 0;

		new_task(&t);
		task_assign_on(&t, dir, TASK_LEAD, "Các sở, ban, ngành tỉnh", day);
		expect_count(&t, cases[i].n);
		for (size_t k = 0; k < t.n_agencies; k++) {
			if (cases[i].gone && !strcmp(t.agencies[k].agency, cases[i].gone))
				fail_msg("case %zu: %s is still a member", i, cases[i].gone);
			seen += !strcmp(t.agencies[k].agency, cases[i].there);
		}
		check_int("the holder, once", (long long)seen, 1);
		task_free(&t);
	}
}

static void test_assign_group_expands_to_members(void **state)
{
	struct task t;

	(void)state;
	new_task(&t);
	check_int("unresolved count", task_assign(&t, dir, TASK_LEAD, "Các sở, ban, ngành tỉnh"),
	          0);
	expect_count(&t, N_ELEMS(so_ban_nganh));
	for (size_t i = 0; i < N_ELEMS(so_ban_nganh); i++) {
		expect_agency(&t, TASK_LEAD, so_ban_nganh[i], "Các sở, ban, ngành tỉnh",
		              "so-ban-nganh", true);
		check_str("member order", t.agencies[i].agency, so_ban_nganh[i]);
	}
	check_flags("a group lead", t.flags, 0);
	task_free(&t);

	/* Commas inside names and inside the group's name: the directory splits. */
	new_task(&t);
	check_int("unresolved count",
	          task_assign(&t, dir, TASK_LEAD,
	                      "Sở Văn hóa, Thể thao và Du lịch; UBND các huyện, thị xã, thành phố"),
	          0);
	expect_count(&t, 1 + N_ELEMS(cap_huyen));
	expect_agency(&t, TASK_LEAD, "svhttdl", "Sở Văn hóa, Thể thao và Du lịch", NULL, true);
	for (size_t i = 0; i < N_ELEMS(cap_huyen); i++)
		expect_agency(&t, TASK_LEAD, cap_huyen[i], "UBND các huyện, thị xã, thành phố",
		              "ubnd-cap-huyen", true);
	task_free(&t);

	/* A group alias names the same members. */
	new_task(&t);
	task_assign(&t, dir, TASK_COORD, "UBND cấp huyện");
	expect_count(&t, N_ELEMS(cap_huyen));
	expect_agency(&t, TASK_COORD, "ubnd-ly-son", "UBND cấp huyện", "ubnd-cap-huyen", true);
	task_free(&t);
}

static void test_assign_unresolved_kept_as_written(void **state)
{
	struct task t;

	(void)state;
	new_task(&t);
	check_int("unresolved count", task_assign(&t, dir, TASK_LEAD, "Phòng Văn thư Lưu trữ"), 1);
	expect_count(&t, 1);
	expect_agency(&t, TASK_LEAD, "Phòng Văn thư Lưu trữ", "Phòng Văn thư Lưu trữ", NULL, false);
	check_flags("an unresolved lead", t.flags, TASK_FLAG_UNRESOLVED);
	task_free(&t);

	new_task(&t);
	check_int("unresolved count",
	          task_assign(&t, dir, TASK_COORD, "Sở Tư pháp; Phòng Văn thư Lưu trữ"), 1);
	expect_count(&t, 2);
	expect_agency(&t, TASK_COORD, "stp", "Sở Tư pháp", NULL, true);
	expect_agency(&t, TASK_COORD, "Phòng Văn thư Lưu trữ", "Phòng Văn thư Lưu trữ", NULL,
	              false);
	if (!(t.flags & TASK_FLAG_UNRESOLVED))
		fail_msg("an unresolved coordinating agency does not flag the task: 0x%02x",
		         t.flags);
	task_free(&t);

	/* task_add_agency flags an unresolved name too. */
	new_task(&t);
	task_add_agency(&t, TASK_COORD, "Ai đó", "Ai đó", NULL, false);
	check_flags("task_add_agency unresolved", t.flags, TASK_FLAG_UNRESOLVED);
	task_free(&t);
}

static void test_assign_duplicates_ignored(void **state)
{
	struct task t;

	(void)state;
	new_task(&t);
	task_assign(&t, dir, TASK_LEAD, "Sở Tư pháp; STP; sở tư pháp");
	expect_count(&t, 1);
	expect_agency(&t, TASK_LEAD, "stp", "Sở Tư pháp", NULL, true);
	task_assign(&t, dir, TASK_LEAD, "Sở Tư pháp");
	expect_count(&t, 1);

	/* A group naming an agency already assigned adds only the others. */
	task_assign(&t, dir, TASK_LEAD, "Các sở, ban, ngành tỉnh");
	expect_count(&t, N_ELEMS(so_ban_nganh));
	expect_agency(&t, TASK_LEAD, "stp", "Sở Tư pháp", NULL, true);
	task_assign(&t, dir, TASK_LEAD, "Các sở, ban, ngành");
	expect_count(&t, N_ELEMS(so_ban_nganh));

	/* The same unresolved name twice is one assignment. */
	task_assign(&t, dir, TASK_LEAD, "Phòng Văn thư Lưu trữ");
	task_assign(&t, dir, TASK_LEAD, "Phòng Văn thư Lưu trữ");
	expect_count(&t, N_ELEMS(so_ban_nganh) + 1);

	/* Lead and coordinating are different roles: both are kept. */
	task_assign(&t, dir, TASK_COORD, "Sở Tư pháp");
	expect_count(&t, N_ELEMS(so_ban_nganh) + 2);
	expect_agency(&t, TASK_COORD, "stp", "Sở Tư pháp", NULL, true);
	task_free(&t);
}

/* A coordinating group that includes the lead: the lead does not coordinate with itself,
 * but an agency named on its own as coordinating stays (the document says so). */
static void test_assign_group_skips_the_lead(void **state)
{
	struct task t;
	size_t coords = 0, self = 0;

	(void)state;
	new_task(&t);
	task_assign(&t, dir, TASK_LEAD, "Sở Tư pháp");
	task_assign(&t, dir, TASK_COORD, "Các sở, ban, ngành tỉnh");
	for (size_t i = 0; i < t.n_agencies; i++) {
		coords += t.agencies[i].role == TASK_COORD;
		self += t.agencies[i].role == TASK_COORD && !strcmp(t.agencies[i].agency, "stp");
	}
	check_int("coordinating members besides the lead", (int)coords,
	          (int)N_ELEMS(so_ban_nganh) - 1);
	check_int("the lead among them", (int)self, 0);
	task_assign(&t, dir, TASK_COORD, "Sở Tư pháp");
	expect_agency(&t, TASK_COORD, "stp", "Sở Tư pháp", NULL, true);
	task_free(&t);
}

static void test_assign_no_lead_flag(void **state)
{
	struct task t;

	(void)state;
	new_task(&t);
	check_int("an empty lead cell", task_assign(&t, dir, TASK_LEAD, ""), 0);
	expect_count(&t, 0);
	check_flags("empty lead cell", t.flags, TASK_FLAG_NO_LEAD);
	task_assign(&t, dir, TASK_COORD, "Sở Tư pháp");
	if (!(t.flags & TASK_FLAG_NO_LEAD))
		fail_msg("a coordinating agency cleared NO_LEAD: 0x%02x", t.flags);
	task_assign(&t, dir, TASK_LEAD, "Sở Y tế");
	check_flags("after a lead is assigned", t.flags, 0);
	expect_agency(&t, TASK_LEAD, "syt", "Sở Y tế", NULL, true);
	task_free(&t);
}

/* ---- content hash ------------------------------------------------------- */

static void build_hashed(struct task *t)
{
	new_task(t);
	t->idx = strdup("3");
	t->category = strdup("II. Dữ liệu số");
	t->policy = strdup("remind = 7 1\n");
	task_set_timeframe(t, "Quý III/2025", &no_plan);
	task_assign(t, dir, TASK_LEAD, "Sở Tư pháp");
	task_assign(t, dir, TASK_COORD, "Sở Y tế");
}

static void hash_of(const struct task *t, char out[17])
{
	memset(out, 'Z', 17);
	task_content_hash(t, out);
	if (strlen(out) != 16 || strspn(out, "0123456789abcdefABCDEF") != 16)
		fail_msg("task_content_hash: \"%.17s\" is not 16 hex digits", out);
}

static void test_content_hash(void **state)
{
	struct task a, b;
	char ha[17], hb[17];

	(void)state;
	build_hashed(&a);
	build_hashed(&b);
	hash_of(&a, ha);
	hash_of(&b, hb);
	check_str("the same content, the same hash", hb, ha);

	/* Progress is not content. */
	b.status = TASK_DONE;
	b.status_note = strdup("Đạt");
	b.extended_due = end_of(2025, 12, 31);
	b.ext = 1;
	b.id = 42;
	hash_of(&b, hb);
	check_str("status, note, extension and id do not change the hash", hb, ha);
	task_free(&b);

#define EXPECT_CHANGED(what, edit)                                                                 \
	do {                                                                                       \
		build_hashed(&b);                                                                  \
		edit;                                                                              \
		hash_of(&b, hb);                                                                   \
		if (!strcmp(ha, hb))                                                               \
			fail_msg("changing the %s did not change the hash %s", what, ha);          \
		task_free(&b);                                                                     \
	} while (0)

	EXPECT_CHANGED("title", (free(b.title), b.title = strdup("Nhiệm vụ khác")));
	EXPECT_CHANGED("timeframe", task_set_timeframe(&b, "Quý IV/2025", &no_plan));
	/* The same words read in another plan's period: another deadline. */
	EXPECT_CHANGED("reading of the timeframe", b.due += 86400);
	EXPECT_CHANGED("lead", task_assign(&b, dir, TASK_LEAD, "Sở Nội vụ"));
	EXPECT_CHANGED("coordinating agencies", task_assign(&b, dir, TASK_COORD, "Sở Nội vụ"));
	EXPECT_CHANGED("index", (free(b.idx), b.idx = strdup("4")));
	EXPECT_CHANGED("category", (free(b.category), b.category = strdup("III. Xã hội số")));
	EXPECT_CHANGED("policy", (free(b.policy), b.policy = NULL));
#undef EXPECT_CHANGED

	/* Swapping a lead for a coordinating agency is a change of content. */
	new_task(&b);
	b.idx = strdup("3");
	b.category = strdup("II. Dữ liệu số");
	b.policy = strdup("remind = 7 1\n");
	task_set_timeframe(&b, "Quý III/2025", &no_plan);
	task_assign(&b, dir, TASK_COORD, "Sở Tư pháp");
	task_assign(&b, dir, TASK_LEAD, "Sở Y tế");
	hash_of(&b, hb);
	if (!strcmp(ha, hb))
		fail_msg("swapping the roles did not change the hash");
	task_free(&b);
	task_free(&a);
}

/* ---- status names ------------------------------------------------------- */

static void expect_status(const char *s, int want)
{
	enum task_status got = (enum task_status) - 7;
	int r = task_status_parse(s, &got);

	if (want < 0) {
		if (r != -1)
			fail_msg("task_status_parse(\"%s\") = %d (%s), want -1", s, r,
			         task_status_name(got));
		return;
	}
	if (r != 0)
		fail_msg("task_status_parse(\"%s\") = %d, want 0 (%s)", s, r,
		         task_status_name((enum task_status)want));
	if ((int)got != want)
		fail_msg("task_status_parse(\"%s\"): %s, want %s", s, task_status_name(got),
		         task_status_name((enum task_status)want));
}

/* The same phrase decomposed (NFD); the test checks it really differs. */
static void expect_status_nfd(const char *s, int want)
{
	char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);

	if (!nfd)
		fail_msg("utf8proc_NFD(\"%s\") failed", s);
	if (!strcmp(nfd, s))
		fail_msg("test error: \"%s\" has no decomposed form", s);
	expect_status(nfd, want);
	free(nfd);
}

static void test_status_english_names(void **state)
{
	static const struct {
		const char *name;
		enum task_status status;
	} names[] = {
	    {"open", TASK_OPEN},       {"in-progress", TASK_IN_PROGRESS},
	    {"waiting", TASK_WAITING}, {"done", TASK_DONE},
	    {"not-met", TASK_NOT_MET}, {"cancelled", TASK_CANCELLED},
	    {"removed", TASK_REMOVED},
	};

	(void)state;
	check_str("task_role_name lead", task_role_name(TASK_LEAD), "lead");
	check_str("task_role_name coord", task_role_name(TASK_COORD), "coord");
	for (size_t i = 0; i < N_ELEMS(names); i++)
		check_str("task_status_name", task_status_name(names[i].status), names[i].name);
	/* Every name task_status_name() gives (the store keeps these) parses back. */
	for (size_t i = 0; i < N_ELEMS(names); i++)
		expect_status(names[i].name, names[i].status);
}

static void test_status_vietnamese_levels(void **state)
{
	static const struct {
		const char *level;
		enum task_status status;
	} levels[] = {
	    {"Đạt", TASK_DONE},
	    {"Hoàn thành", TASK_DONE},
	    {"Đáp ứng yêu cầu", TASK_DONE},
	    {"Đang thực hiện", TASK_IN_PROGRESS},
	    {"Tiếp tục thực hiện", TASK_IN_PROGRESS},
	    {"Chờ hướng dẫn của Bộ Khoa học và Công nghệ", TASK_WAITING},
	    {"Chờ Bộ Nội vụ ban hành", TASK_WAITING},
	    {"Chưa đạt", TASK_NOT_MET},
	    {"Chưa hoàn thành", TASK_NOT_MET},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(levels); i++) {
		char *lower =
		    (char *)utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)levels[i].level);
		char *upper = malloc(4 * strlen(levels[i].level) + 1);
		/* Upper case: map each code point through utf8proc. */
		utf8proc_int32_t cp;
		size_t o = 0;
		for (utf8proc_ssize_t k = 0, n; levels[i].level[k]; k += n) {
			n = utf8proc_iterate((const utf8proc_uint8_t *)levels[i].level + k, -1,
			                     &cp);
			o += (size_t)utf8proc_encode_char(utf8proc_toupper(cp),
			                                  (utf8proc_uint8_t *)upper + o);
		}
		upper[o] = '\0';

		expect_status(levels[i].level, levels[i].status);
		expect_status(lower, levels[i].status);
		expect_status(upper, levels[i].status);
		expect_status_nfd(levels[i].level, levels[i].status);
		expect_status_nfd(upper, levels[i].status);
		free(lower);
		free(upper);
	}
	/* Spaces around a cell's text do not matter. */
	expect_status("  Hoàn thành ", TASK_DONE);
	expect_status("Đạt\n", TASK_DONE);
}

static void test_status_rejects_other_text(void **state)
{
	(void)state;
	expect_status("", -1);
	expect_status("xyz", -1);
	expect_status("Chưa", -1);
	expect_status("Đạtx", -1);
	expect_status("Hoàn", -1);
	expect_status("finished", -1);
}

static void test_status_final(void **state)
{
	(void)state;
	check_int("open", task_status_final(TASK_OPEN), false);
	check_int("in-progress", task_status_final(TASK_IN_PROGRESS), false);
	check_int("waiting", task_status_final(TASK_WAITING), false);
	check_int("not-met (still owed)", task_status_final(TASK_NOT_MET), false);
	check_int("done", task_status_final(TASK_DONE), true);
	check_int("cancelled", task_status_final(TASK_CANCELLED), true);
	check_int("removed", task_status_final(TASK_REMOVED), true);
}

static void test_init_and_free(void **state)
{
	struct task t;

	(void)state;
	task_init(&t);
	check_int("id", t.id, 0);
	check_int("due", t.due, TF_NONE);
	check_int("window_start", t.window_start, TF_NONE);
	check_int("extended_due", t.extended_due, TF_NONE);
	check_int("status", t.status, TASK_OPEN);
	check_int("n_agencies", t.n_agencies, 0);
	task_free(&t);
	task_free(&t); /* a freed task is an empty one */
	check_int("due after free", t.due, TF_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timeframe_parsed),
	    cmocka_unit_test(test_timeframe_flags),
	    cmocka_unit_test(test_assign_agency),
	    cmocka_unit_test(test_assign_group_expands_to_members),
	    cmocka_unit_test(test_assign_group_as_it_stood),
	    cmocka_unit_test(test_assign_unresolved_kept_as_written),
	    cmocka_unit_test(test_assign_duplicates_ignored),
	    cmocka_unit_test(test_assign_group_skips_the_lead),
	    cmocka_unit_test(test_assign_no_lead_flag),
	    cmocka_unit_test(test_content_hash),
	    cmocka_unit_test(test_status_english_names),
	    cmocka_unit_test(test_status_vietnamese_levels),
	    cmocka_unit_test(test_status_rejects_other_text),
	    cmocka_unit_test(test_status_final),
	    cmocka_unit_test(test_init_and_free),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
