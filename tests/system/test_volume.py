"""How much mail an agency gets: the seed plans imported into the example
config, `deadlinectl preview` over a year (06/2025 to 05/2026), and the caps
an agency can live with: at most one message a day, counting Cc; a median
agency at most 36 a year; no coordinating agency mailed about a weekly or
monthly duty. The distribution is printed as TAP comments."""
import collections
import json
import statistics

from harness import Workdir, check, ctl, example_config, import_seeds, run_tests

FROM, TO = "2025-06-01", "2026-05-31"


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0


def distribution(label, counts):
    v = list(counts.values())
    print(f"# {label}: median {statistics.median(v) if v else 0}, p90 {percentile(v, 0.9)}, "
          f"max {max(v) if v else 0} ({len(v)} agencies)", flush=True)


def test_a_year_of_the_seeds_respects_the_caps():
    w = Workdir()
    try:
        config = example_config(w)
        import_seeds(config)
        p = ctl(config, "preview", "--from", FROM, "--to", TO, "--json", check_rc=0)
        mails = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        check(mails, "preview found nothing to send in a year")
        tasks = [json.loads(line) for line in
                 ctl(config, "tasks", "--json", check_rc=0).stdout.splitlines() if line.strip()]
        kind = {f"{t['plan']}:{t['key']}": t["kind"] for t in tasks}

        per_day, per_year, per_month = (collections.Counter() for _ in range(3))
        per_address_day = collections.Counter()
        for m in mails:
            day = m["send_at"][:10]
            per_day[(m["recipient"], day)] += 1
            per_year[m["recipient"]] += 1
            per_month[(m["recipient"], day[:7])] += 1
            # Counting Cc: every address a message reaches.
            for addr in set(m["to"]) | set(m["cc"]):
                per_address_day[(addr, day)] += 1
            check(not m["cc"], f"a copy of another agency's digest: {m['subject']} cc {m['cc']}")
            for it in m["items"]:
                check(not (it["role"] == "coordinating" and kind.get(it["ref"]) in
                           ("weekly", "monthly")),
                      f"{m['recipient']} mailed on {day} as coordinating about a "
                      f"{kind.get(it['ref'])} duty: {it['ref']}")
        distribution("messages per agency in the year", per_year)
        months = collections.defaultdict(dict)
        for (agency, month), n in per_month.items():
            months[month][agency] = n
        for month in sorted(months):
            distribution(f"messages per agency in {month}", months[month])
        busiest = max(per_day.values())
        print(f"# most messages to one agency on one day: {busiest}; "
              f"to one address on one day: {max(per_address_day.values())}", flush=True)
        check(busiest == 1, f"an agency got {busiest} messages on one day: "
              f"{[k for k, v in per_day.items() if v > 1][:5]}")
        check(max(per_address_day.values()) == 1, "an address got two messages on one day")
        median = statistics.median(per_year.values())
        check(median <= 36, f"the median agency gets {median} messages a year (cap 36)")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_a_year_of_the_seeds_respects_the_caps])
