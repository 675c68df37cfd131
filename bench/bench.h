/*
 * bench.h — what every benchmark needs: a monotonic clock and medians.
 * Targets are judged on the median of repeated runs, never on one: the
 * machines are shared and noisy.
 */
#ifndef DEADLINED_BENCH_H
#define DEADLINED_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline double bench_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place; returns its median. */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

#endif
