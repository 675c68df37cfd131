/*
 * lunar — the Vietnamese lunar calendar (âm lịch), pure.
 *
 * Tết and the Hùng Kings' day (10/3 lunar) move every year in the solar
 * calendar. Vietnam computes new moons and solar terms for UTC+7, which is
 * why its lunar dates sometimes differ from China's (Tết 1985, 2007); this
 * module follows Hồ Ngọc Đức's published astronomical algorithm.
 * Valid for solar years 1900 to 2199.
 */
#ifndef DEADLINED_LUNAR_H
#define DEADLINED_LUNAR_H

#include <stdbool.h>

struct lunar_date {
	int year;  /* the lunar year, named by the solar year it mostly overlaps */
	int month; /* 1-12 */
	int day;   /* 1-30 */
	bool leap; /* a leap (nhuận) month repeating `month` */
};

/* The lunar date of a solar (Gregorian) date; -1 outside the valid range. */
int lunar_from_solar(int year, int month, int day, struct lunar_date *out);

/*
 * The solar date of a lunar date; -1 when it does not exist (no such leap
 * month that year, day 30 of a 29-day month) or is out of range.
 */
int lunar_to_solar(const struct lunar_date *in, int *year, int *month, int *day);

/* Tết Nguyên đán (1/1 of lunar year `year`) as a solar date; -1 out of range. */
int lunar_tet(int year, int *month, int *day);

#endif
