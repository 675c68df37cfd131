/* Unit tests for progress: a task judged on a day, and the counts per lead agency. */
#include "check.h"

#include "progress.h"
#include "task.h"

#include <limits.h>

static void make_task(struct task *t, const char *timeframe, int first_year, int last_year,
                      enum task_status status)
{
	struct tf_ctx ctx = {TZ, first_year, last_year};

	task_init(t);
	t->plan_id = strdup("KH-1");
	t->key = strdup("1");
	t->title = strdup("Nhiệm vụ thử");
	task_set_timeframe(t, timeframe, &ctx);
	t->status = status;
}

#define NOT_CHECKED INT_MIN

struct judge_case {
	const char *label, *timeframe;
	int first_year, last_year;
	enum task_status status;
	time_t extended_to; /* 0: none */
	struct {
		time_t due; /* (time_t)0: none stored */
		enum task_status status;
	} stored[2];
	time_t as_of;
	enum progress_state state;
	time_t due; /* TF_NONE: none */
	int days_overdue, days_left, missed;
	enum task_status level;
};

static void test_judge(void **state)
{
	/* Local: the instants are computed (at(), end_of()), not constants. */
	const struct judge_case cases[] = {
	    {"a quarter, ten days after",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_OPEN,
	     0,
	     {{0}},
	     at(2025, 7, 10, 9, 0, 0),
	     PROGRESS_OVERDUE,
	     end_of(2025, 6, 30),
	     10,
	     0,
	     0,
	     TASK_OPEN},
	    {"on its last day it is not overdue",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_OPEN,
	     0,
	     {{0}},
	     at(2025, 6, 30, 23, 0, 0),
	     PROGRESS_NOT_DUE,
	     end_of(2025, 6, 30),
	     0,
	     0,
	     0,
	     TASK_OPEN},
	    {"done",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_DONE,
	     0,
	     {{0}},
	     at(2025, 7, 10, 9, 0, 0),
	     PROGRESS_DONE,
	     end_of(2025, 6, 30),
	     0,
	     0,
	     0,
	     TASK_DONE},
	    {"waiting is never counted overdue",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_WAITING,
	     0,
	     {{0}},
	     at(2025, 7, 10, 9, 0, 0),
	     PROGRESS_WAITING,
	     end_of(2025, 6, 30),
	     10,
	     0,
	     0,
	     TASK_WAITING},
	    {"in progress ahead of the deadline",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_IN_PROGRESS,
	     0,
	     {{0}},
	     at(2025, 6, 1, 9, 0, 0),
	     PROGRESS_IN_PROGRESS,
	     end_of(2025, 6, 30),
	     0,
	     29,
	     0,
	     TASK_IN_PROGRESS},
	    {"in progress past it is overdue",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_IN_PROGRESS,
	     0,
	     {{0}},
	     at(2025, 7, 10, 9, 0, 0),
	     PROGRESS_OVERDUE,
	     end_of(2025, 6, 30),
	     10,
	     0,
	     0,
	     TASK_IN_PROGRESS},
	    {"not met ahead of the deadline",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_NOT_MET,
	     0,
	     {{0}},
	     at(2025, 6, 1, 9, 0, 0),
	     PROGRESS_IN_PROGRESS,
	     end_of(2025, 6, 30),
	     0,
	     29,
	     0,
	     TASK_NOT_MET},
	    {"a gia hạn moves the deadline",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_OPEN,
	     end_of(2025, 7, 31),
	     {{0}},
	     at(2025, 7, 10, 9, 0, 0),
	     PROGRESS_NOT_DUE,
	     end_of(2025, 7, 31),
	     0,
	     21,
	     0,
	     TASK_OPEN},
	    {"before D: its last day is the day before",
	     "trước ngày 15/12/2025",
	     0,
	     0,
	     TASK_OPEN,
	     0,
	     {{0}},
	     at(2025, 12, 15, 8, 0, 0),
	     PROGRESS_OVERDUE,
	     start_of(2025, 12, 15),
	     1,
	     0,
	     0,
	     TASK_OPEN},
	    {"yearly: the last past one, earlier ones missed",
	     "Quý IV hàng năm",
	     2022,
	     2025,
	     TASK_OPEN,
	     0,
	     {{0}},
	     at(2025, 3, 1, 9, 0, 0),
	     PROGRESS_OVERDUE,
	     end_of(2024, 12, 31),
	     60,
	     0,
	     2,
	     TASK_OPEN},
	    {"yearly: last one done, judged by the next",
	     "Quý IV hàng năm",
	     2022,
	     2025,
	     TASK_OPEN,
	     0,
	     {{end_of(2024, 12, 31), TASK_DONE}, {end_of(2023, 12, 31), TASK_DONE}},
	     at(2025, 3, 1, 9, 0, 0),
	     PROGRESS_NOT_DUE,
	     end_of(2025, 12, 31),
	     0,
	     305,
	     1,
	     TASK_OPEN},
	    {"yearly: the next one reported in progress",
	     "Quý IV hàng năm",
	     2022,
	     2025,
	     TASK_OPEN,
	     0,
	     {{end_of(2024, 12, 31), TASK_DONE}, {end_of(2025, 12, 31), TASK_IN_PROGRESS}},
	     at(2025, 3, 1, 9, 0, 0),
	     PROGRESS_IN_PROGRESS,
	     end_of(2025, 12, 31),
	     0,
	     305,
	     2,
	     TASK_IN_PROGRESS},
	    {"every occurrence past and done",
	     "Quý IV hàng năm",
	     2024,
	     2024,
	     TASK_OPEN,
	     0,
	     {{end_of(2024, 12, 31), TASK_DONE}},
	     at(2025, 3, 1, 9, 0, 0),
	     PROGRESS_DONE,
	     TF_NONE,
	     0,
	     0,
	     0,
	     TASK_DONE},
	    {"no deadline of its own",
	     "Thường xuyên",
	     0,
	     0,
	     TASK_OPEN,
	     0,
	     {{0}},
	     at(2025, 3, 1, 9, 0, 0),
	     PROGRESS_NOT_DUE,
	     TF_NONE,
	     0,
	     0,
	     0,
	     TASK_OPEN},
	    {"cancelled",
	     "Quý II/2025",
	     0,
	     0,
	     TASK_CANCELLED,
	     0,
	     {{0}},
	     at(2025, 7, 10, 9, 0, 0),
	     PROGRESS_CANCELLED,
	     end_of(2025, 6, 30),
	     0,
	     0,
	     0,
	     TASK_CANCELLED},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct task t;
		struct progress_occ stored[2];
		size_t n = 0;
		struct progress_row row;
		char what[160];

		make_task(&t, cases[i].timeframe, cases[i].first_year, cases[i].last_year,
		          cases[i].status);
		if (cases[i].extended_to)
			t.extended_due = cases[i].extended_to;
		for (size_t k = 0; k < 2 && cases[i].stored[k].due; k++)
			stored[n++] = (struct progress_occ){cases[i].stored[k].due,
			                                    cases[i].stored[k].status};
		struct planner_plan plan = {NULL, cases[i].first_year, cases[i].last_year, TF_NONE,
		                            0};
		progress_judge(&t, &plan, stored, n, cases[i].as_of, TZ, &row);
#define CHECK(field, want)                                                                         \
	snprintf(what, sizeof(what), "%s: %s", cases[i].label, #field);                            \
	check_int(what, row.field, want)
		CHECK(state, cases[i].state);
		CHECK(due, cases[i].due);
		CHECK(days_overdue, cases[i].days_overdue);
		CHECK(days_left, cases[i].days_left);
		CHECK(missed, cases[i].missed);
		CHECK(level, cases[i].level);
#undef CHECK
		task_free(&t);
	}
}

static void test_counts_per_lead_agency(void **state)
{
	struct task t[3];
	struct progress_row rows[3] = {
	    {.state = PROGRESS_OVERDUE}, {.state = PROGRESS_DONE}, {.state = PROGRESS_CANCELLED}};
	const char *ids[3][3] = {{"syt", "sct", "syt"}, {"syt"}, {"sct"}};
	const char *names[3][3] = {
	    {"Sở Y tế", "Sở Công Thương", "Sở Y tế"}, {"Sở Y tế"}, {"Sở Công Thương"}};
	const size_t n_leads[] = {3, 1, 1};
	struct progress_report r;

	(void)state;
	progress_init(&r, at(2025, 7, 1, 0, 0, 0), TZ);
	for (size_t i = 0; i < 3; i++) {
		make_task(&t[i], "Quý II/2025", 0, 0, TASK_OPEN);
		progress_add(&r, &t[i], &rows[i], ids[i], names[i], NULL, n_leads[i]);
	}
	progress_finish(&r);
	check_str("the first task's leads, each once", r.items[0].leads, "Sở Y tế; Sở Công Thương");
	check_int("agencies", r.n_agencies, 2);
	/* By name: Sở Công Thương before Sở Y tế. */
	check_str("first", r.agencies[0].id, "sct");
	check_int("sct overdue", r.agencies[0].counts.n[PROGRESS_OVERDUE], 1);
	check_int("sct cancelled, not in its total", r.agencies[0].counts.total, 1);
	check_str("second", r.agencies[1].id, "syt");
	check_int("syt counted once for the first task", r.agencies[1].counts.n[PROGRESS_OVERDUE],
	          1);
	check_int("syt done", r.agencies[1].counts.n[PROGRESS_DONE], 1);
	check_int("syt total", r.agencies[1].counts.total, 2);
	check_int("every task once in the total", r.total.total, 2);
	check_int("the cancelled one", r.total.n[PROGRESS_CANCELLED], 1);
	progress_free(&r);
	for (size_t i = 0; i < 3; i++)
		task_free(&t[i]);
}

/* A task of a group's members: one line naming the group, counted under each. */
static void test_group_led_task(void **state)
{
	struct task t;
	struct progress_row row = {.state = PROGRESS_OVERDUE};
	const char *ids[] = {"ubnd-ba-to", "ubnd-son-ha", "syt"};
	const char *names[] = {"UBND huyện Ba Tơ", "UBND huyện Sơn Hà", "Sở Y tế"};
	const char *shown[] = {"UBND các huyện", "UBND các huyện", "Sở Y tế"};
	struct progress_report r;

	(void)state;
	progress_init(&r, at(2025, 7, 1, 0, 0, 0), TZ);
	make_task(&t, "Quý II/2025", 0, 0, TASK_OPEN);
	progress_add(&r, &t, &row, ids, names, shown, N_ELEMS(ids));
	progress_finish(&r);
	check_str("its line", r.items[0].leads, "UBND các huyện; Sở Y tế");
	check_int("counted under each member", r.n_agencies, 3);
	for (size_t i = 0; i < r.n_agencies; i++)
		check_int(r.agencies[i].id, r.agencies[i].counts.n[PROGRESS_OVERDUE], 1);
	check_int("once in the total", r.total.total, 1);
	progress_free(&r);
	task_free(&t);
}

static void test_labels(void **state)
{
	(void)state;
	check_str("vi", progress_state_label(PROGRESS_OVERDUE, "vi"), "Quá hạn");
	check_str("en", progress_state_label(PROGRESS_OVERDUE, "en"), "overdue");
	check_str("level", progress_level_label(TASK_NOT_MET, "vi"), "Chưa đạt");
	check_str("name", progress_state_name(PROGRESS_NOT_DUE), "not-due");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_judge),
	    cmocka_unit_test(test_counts_per_lead_agency),
	    cmocka_unit_test(test_group_led_task),
	    cmocka_unit_test(test_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
