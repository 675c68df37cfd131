/*
 * bench_timeframe — phrases parsed per second (target: 1,000,000 on one
 * core). The phrases are the seeds' and the README's, in rotation, with the
 * sentences other plans write (read twice: exactly, then loosely). Reports
 * the median of several runs: the machines are shared and noisy.
 */
#include "bench.h"
#include "date.h"
#include "timeframe.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS              9
#define PER_RUN           1000000
#define TARGET_PER_SECOND 1000000.0

static const char *const phrases[] = {
    "Quý II/2025",
    "Quý IV hàng năm",
    "trước ngày 15/12 hàng năm",
    "Định kỳ hàng năm (*trước ngày 15/12*)",
    "2022 - 2025",
    "giai đoạn 2021- 2025",
    "Thường xuyên",
    "Năm 2025 (*sau khi có hướng dẫn của Bộ Khoa học và Công nghệ*)",
    "Tháng 12/2022",
    "tháng 9 hàng năm",
    "6 tháng đầu năm 2025",
    "Hàng tuần",
    "báo cáo 6 tháng và báo cáo năm",
    "Quý III - Quý IV/2024",
    "Năm 2025",
    "trước ngày 01/12 hàng năm",
    "Thường xuyên; báo cáo định kỳ hằng năm",
    "2022 - 2025 và các năm tiếp theo",
    "Ban hành trong quý II năm 2027. Tổ chức triển khai, cập nhật (nếu có)",
    "+ Các sở, ngành hoàn thành trước ngày 30/6/2026. + Sở Tài chính tổng hợp trước ngày "
    "15/7/2026.",
};

int main(void)
{
	const size_t n = sizeof(phrases) / sizeof(phrases[0]);
	struct tf_ctx ctx = {DATE_TZ_VIETNAM, 2022, 2025};
	double rate[RUNS];
	unsigned long parsed = 0;
	struct tf t;

	for (int r = 0; r < RUNS; r++) {
		double start = bench_seconds();
		for (int i = 0; i < PER_RUN; i++)
			parsed += tf_parse(phrases[i % n], &ctx, &t) == 0;
		rate[r] = PER_RUN / (bench_seconds() - start);
	}
	double m = bench_median(rate, RUNS);
	printf(
	    "timeframe: %.0f phrases/s median of %d runs (min %.0f, max %.0f); target %.0f: %s\n",
	    m, RUNS, rate[0], rate[RUNS - 1], TARGET_PER_SECOND,
	    m >= TARGET_PER_SECOND ? "met" : "NOT met");
	return parsed ? 0 : 1;
}
