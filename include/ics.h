/*
 * ics — iCalendar files of deadlines (RFC 5545), so an agency's staff see
 * them in the calendar they already use. Each deadline is a VTODO, due in
 * the province's zone (a VTIMEZONE travels with the file), with an alarm
 * at each reminder the policy plans. UIDs are the caller's: stable ones
 * make a re-export update the entries instead of adding new ones. The
 * only module that includes libical. Pure: renders text.
 */
#ifndef DEADLINED_ICS_H
#define DEADLINED_ICS_H

#include <stddef.h>
#include <time.h>

enum ics_status { ICS_NEEDS_ACTION, ICS_IN_PROCESS, ICS_COMPLETED, ICS_CANCELLED };

struct ics_todo {
	const char *uid;
	const char *summary, *description, *category; /* UTF-8; category may be NULL */
	time_t start;                                 /* the window opens, or (time_t)-1 */
	time_t due;
	enum ics_status status;
	int sequence; /* raised when the deadline moves (gia hạn) */
	const time_t *alarms;
	size_t n_alarms;
};

struct ics_calendar {
	const char *name; /* X-WR-CALNAME: the agency */
	int tz_offset;    /* seconds east of UTC: +7 h is Asia/Ho_Chi_Minh */
	time_t stamp;     /* DTSTAMP: when the file is made */
};

/* The whole VCALENDAR, CRLF line ends, folded; malloc'ed. */
char *ics_render(const struct ics_calendar *cal, const struct ics_todo *todos, size_t n);

#endif
