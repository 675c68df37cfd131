/*
 * ics — see ics.h.
 *
 * Times are written as local wall-clock times with a TZID, and the file
 * carries its own VTIMEZONE: Vietnam has kept UTC+7 without daylight
 * saving since 1975, so one STANDARD rule describes every date a plan can
 * name. Alarms are absolute (UTC): a reminder slot is a working-day
 * morning, which no offset from the deadline would express.
 */
#include "ics.h"

#include "date.h"
#include "util.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

#define VIETNAM "Asia/Ho_Chi_Minh"

static void tz_name(int offset, char *out, size_t len)
{
	int a = offset < 0 ? -offset : offset;

	if (offset == DATE_TZ_VIETNAM)
		util_strlcpy(out, VIETNAM, len);
	else
		snprintf(out, len, "UTC%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

static icalcomponent *vtimezone(const char *tzid, int offset)
{
	icalcomponent *tz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
	icalcomponent *std = icalcomponent_new(ICAL_XSTANDARD_COMPONENT);
	char abbr[16];
	int a = offset < 0 ? -offset : offset;

	int len = snprintf(abbr, sizeof(abbr), "%c%02d", offset < 0 ? '-' : '+', a / 3600);
	if (a % 3600)
		snprintf(abbr + len, sizeof(abbr) - (size_t)len, "%02d", a / 60 % 60);
	icalcomponent_add_property(tz, icalproperty_new_tzid(tzid));
	icalcomponent_add_property(
	    std, icalproperty_new_dtstart(icaltime_from_string("19700101T000000")));
	icalcomponent_add_property(std, icalproperty_new_tzoffsetfrom(offset));
	icalcomponent_add_property(std, icalproperty_new_tzoffsetto(offset));
	icalcomponent_add_property(std, icalproperty_new_tzname(abbr));
	icalcomponent_add_component(tz, std);
	return tz;
}

/* A local time with its TZID, as DUE;TZID=Asia/Ho_Chi_Minh:20251215T000000. */
static icalproperty *local_time(icalproperty *p, time_t t, int offset, const char *tzid)
{
	struct date_civil c;
	struct icaltimetype v = icaltime_null_time();

	date_split(t, offset, &c);
	v.year = c.year, v.month = c.month, v.day = c.day;
	v.hour = c.hour, v.minute = c.minute, v.second = c.second;
	icalproperty_set_value(p, icalvalue_new_datetime(v));
	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

static struct icaltimetype utc(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

static const icalproperty_status statuses[] = {ICAL_STATUS_NEEDSACTION, ICAL_STATUS_INPROCESS,
                                               ICAL_STATUS_COMPLETED, ICAL_STATUS_CANCELLED};

static icalcomponent *vtodo(const struct ics_calendar *cal, const struct ics_todo *t,
                            const char *tzid)
{
	icalcomponent *c = icalcomponent_new(ICAL_VTODO_COMPONENT);

	icalcomponent_add_property(c, icalproperty_new_uid(t->uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(utc(cal->stamp)));
	icalcomponent_add_property(c, icalproperty_new_sequence(t->sequence));
	icalcomponent_add_property(c, icalproperty_new_summary(t->summary));
	if (t->description)
		icalcomponent_add_property(c, icalproperty_new_description(t->description));
	if (t->category)
		icalcomponent_add_property(c, icalproperty_new_categories(t->category));
	if (t->start != (time_t)-1 && t->start < t->due)
		icalcomponent_add_property(c, local_time(icalproperty_new(ICAL_DTSTART_PROPERTY),
		                                         t->start, cal->tz_offset, tzid));
	icalcomponent_add_property(
	    c, local_time(icalproperty_new(ICAL_DUE_PROPERTY), t->due, cal->tz_offset, tzid));
	icalcomponent_add_property(c, icalproperty_new_status(statuses[t->status]));
	for (size_t i = 0; i < t->n_alarms; i++) {
		icalcomponent *a = icalcomponent_new(ICAL_VALARM_COMPONENT);
		struct icaltriggertype trig = {.time = utc(t->alarms[i]),
		                               .duration = icaldurationtype_null_duration()};
		icalcomponent_add_property(a, icalproperty_new_action(ICAL_ACTION_DISPLAY));
		icalcomponent_add_property(a, icalproperty_new_trigger(trig));
		icalcomponent_add_property(a, icalproperty_new_description(t->summary));
		icalcomponent_add_component(c, a);
	}
	return c;
}

char *ics_render(const struct ics_calendar *cal, const struct ics_todo *todos, size_t n)
{
	icalcomponent *v = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	char tzid[32];

	tz_name(cal->tz_offset, tzid, sizeof(tzid));
	icalcomponent_add_property(v, icalproperty_new_version("2.0"));
	icalcomponent_add_property(v,
	                           icalproperty_new_prodid("-//deadlined//deadlinectl export//VI"));
	icalcomponent_add_property(v, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(v, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalproperty *name = icalproperty_new_x(cal->name);
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(v, name);
	icalproperty *zone = icalproperty_new_x(tzid);
	icalproperty_set_x_name(zone, "X-WR-TIMEZONE");
	icalcomponent_add_property(v, zone);
	icalcomponent_add_component(v, vtimezone(tzid, cal->tz_offset));
	for (size_t i = 0; i < n; i++)
		icalcomponent_add_component(v, vtodo(cal, &todos[i], tzid));
	char *text = icalcomponent_as_ical_string_r(v);
	icalcomponent_free(v);
	char *out = xstrdup(text);
	icalmemory_free_buffer(text);
	return out;
}
