#!/usr/bin/env python3
"""Compares verdicts with the expected ones of the accuracy cases and prints a confusion matrix, the mismatches, the
agreement and the timing. Exit status 0 when every verdict is right, 1 otherwise.

usage: report.py CASES_JSON VERDICTS_JSONL TITLE TIMING

CASES_JSON: a list of {"n", "address", "status", "reason", "flags", "options", "line"} (scripts/accuracy writes it);
VERDICTS_JSONL: one verdict per case, each carrying the case number in "case" (added by scripts/accuracy); a case
with more than one verdict is wrong, and so is a verdict whose "case" is not a case;
TITLE: what ran (printed first); TIMING: the wall time(s) as text, e.g. "13.9 s".
"""
import json
import sys

FLAG_NAMES = ("role", "disposable", "free_provider", "catch_all", "greylisted", "full", "disabled")


def label(status, reason):
    return f"{status}/{reason}"


def main(cases_path, verdicts_path, title, timing):
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    verdicts, count, strays = {}, {}, []
    with open(verdicts_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                v = json.loads(line)
                verdicts[v.get("case")] = v
                count[v.get("case")] = count.get(v.get("case"), 0) + 1
    numbers = {c["n"] for c in cases}
    strays = [n for n in count if n not in numbers]

    rows = []          # (case, verdict or None, problems)
    for c in cases:
        v = verdicts.get(c["n"])
        problems = []
        if v is None:
            problems.append("no verdict")
        else:
            if count[c["n"]] > 1:
                problems.append(f"{count[c['n']]} verdicts")
            if v.get("email") != c["address"]:
                problems.append(f"verdict is for {v.get('email')!r}")
            if (v.get("status"), v.get("reason")) != (c["status"], c["reason"]):
                problems.append(f"got {label(v.get('status'), v.get('reason'))}")
            want = set(c["flags"]) - {"tls"}
            have = {k for k in FLAG_NAMES if (v.get("flags") or {}).get(k)}
            if want != have:
                problems.append(f"flags {sorted(have) or '-'} (expected {sorted(want) or '-'})")
            if "tls" in c["flags"] and not (v.get("smtp") or {}).get("tls"):
                problems.append("smtp.tls is not true")
        rows.append((c, v, problems))

    # Confusion matrix: expected status/reason (rows) against actual (columns).
    expected_labels = sorted({label(c["status"], c["reason"]) for c in cases})
    actual_labels = sorted({label(v.get("status"), v.get("reason")) if v else "(none)" for _, v, _ in rows})
    corner = "expected \\ actual"
    width = max(len(x) for x in expected_labels + [corner])
    print(f"== {title}")
    print(f"Confusion matrix (rows: expected status/reason; columns: actual, numbered below)")
    print(f"  {corner:<{width}} " + " ".join(f"{i + 1:>3}" for i in range(len(actual_labels))))
    for e in expected_labels:
        counts = []
        for a in actual_labels:
            k = sum(1 for c, v, _ in rows
                    if label(c["status"], c["reason"]) == e
                    and (label(v.get("status"), v.get("reason")) if v else "(none)") == a)
            mark = "" if k == 0 else (str(k) if a == e else f"{k}!")
            counts.append(f"{mark or '.':>3}")
        print(f"  {e:<{width}} " + " ".join(counts))
    print("  columns: " + "  ".join(f"{i + 1}={a}" for i, a in enumerate(actual_labels)))
    print("  (! = off the diagonal)")
    print()

    wrong = [(c, v, p) for c, v, p in rows if p]
    print(f"Per case ({len(rows)}):")
    for c, v, p in rows:
        smtp = (v or {}).get("smtp") or {}
        reply = f"{smtp.get('code')} {smtp.get('message')}" if smtp.get("code") else ((v or {}).get("detail") or "")
        opts = f" [{c['options']}]" if c["options"] else ""
        mark = "WRONG" if p else "ok   "
        print(f"  {mark} {c['address']}{opts}: expected {label(c['status'], c['reason'])}"
              + (f" +{','.join(c['flags'])}" if c["flags"] else "")
              + (f"; {'; '.join(p)}" if p else "")
              + (f"  | {reply}" if reply else ""))
    print()
    right = len(rows) - len(wrong)
    pct = 100.0 * right / len(rows) if rows else 0.0
    print(f"Agreement: {right}/{len(rows)} = {pct:.1f}% (status, reason and flags all as expected)")
    print(f"Wall time: {timing}")
    if wrong:
        print(f"WRONG verdicts: {len(wrong)} (see cases.tsv line "
              + ", ".join(str(c['line']) for c, _, _ in wrong) + ")")
    if strays:
        print(f"Verdicts for no case: {sum(count[n] for n in strays)} (case {', '.join(map(str, strays))})")
    print(f"{title}: {right} passed, {len(wrong)} failed")
    return 1 if wrong or strays else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
