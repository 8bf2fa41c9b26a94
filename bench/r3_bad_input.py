"""R3 bad input: runs the corpus of bench/corpus/bad-input/ through `calleval run --sandbox` as a separate process
and prints, per case, what was expected and what happened. See bench/r3-bad-input.sh."""
import argparse
import concurrent.futures
import csv
import io
import sys
from pathlib import Path

import benchlib as b

CORPUS = b.BENCH_DIR / "corpus" / "bad-input"
FILE_COLUMNS = ("recording", "transcript", "sidecar", "tool_calls", "events")
QUICK_FILES = ("header-only.csv", "truncated-in-quote.csv", "invalid-utf8-row.csv")
csv.field_size_limit(1 << 30)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def replicate(copies, work):
    """bad-rows.csv repeated `copies` times (ids suffixed -cN, file paths made absolute) and its expected rows."""
    with open(CORPUS / "bad-rows.csv", newline="", encoding="utf-8-sig") as f:
        records = list(csv.reader(f))
    columns, data = records[0], records[1:]
    expected = read_csv(CORPUS / "expected.csv")
    assert len(expected) == len(data)
    out, rows, line = io.StringIO(), [], 2
    csv.writer(out, lineterminator="\n").writerow(columns)
    for k in range(1, copies + 1):
        for record, exp in zip(data, expected):
            record = list(record)
            if record[0].strip():
                record[0] = f"{record[0]}-c{k}"
            for i, name in enumerate(columns[: len(record)]):
                if name in FILE_COLUMNS and record[i].startswith("files"):
                    record[i] = str(CORPUS / record[i])
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerow(record)
            out.write(text.getvalue())
            rows.append(dict(exp, line=str(line), call_id=record[0], copy=k))
            line += text.getvalue().count("\n")
    manifest = work / "bad-rows.csv"
    manifest.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return manifest, rows


def run_job(name, manifest, work):
    reports = work / "reports"
    job = b.write_job(work / f"{name}.yaml", name, manifest, reports,
                      submit={"rate-limit": 0, "max-in-flight": 8, "chunk-size": 10},
                      results={"poll-after": "2s", "poll-interval": "500ms"}, defaults={"max-recording-size": "64KB"})
    log = work / f"{name}.log"
    env = b.app_env("unused", b.db_url(work / f"db-{name}"), secret=None)
    env.pop("BLUEJAY_BASE_URL")
    code = b.run_app(["run", job, "--sandbox", "--wait-for-results", "2m"], env, log, cwd=work)
    summary = b.latest_summary(reports, name)
    run_dir = reports / name / "1"
    rejects = read_csv(run_dir / "rejects.csv") if (run_dir / "rejects.csv").exists() else []
    calls = read_csv(run_dir / "calls.csv") if (run_dir / "calls.csv").exists() else []
    return code, summary, rejects, calls, log


def failure_reason(log):
    for line in Path(log).read_text(errors="replace").splitlines():
        if "ManifestException: " in line or "reason: " in line:
            return line.split("ManifestException: ")[-1].split("reason: ")[-1].replace(str(CORPUS) + "/", "")[:90]
    return ""


def short(text, n):
    text = text.replace("\n", "\\n").replace("\t", "\\t").replace("\x00", "\\0")
    return text if len(text) <= n else text[: n - 1] + "…"


def formula_cells(*tables):
    return sum(1 for t in tables for row in t for v in row.values() if v and v.startswith(FORMULA_START))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help=f"the row corpus once and 3 whole-file cases ({', '.join(QUICK_FILES)})")
    p.add_argument("--copies", type=int, default=1, help="repeat the row corpus N times in one manifest (default 1: 77 rows)")
    args = p.parse_args()
    work = b.workdir("r3")
    manifest, expected = replicate(args.copies, work)
    code, summary, rejects, calls, log = run_job("bad-input", manifest, work)
    by_line_reject = {r["line"]: r for r in rejects}
    by_line_call = {c["line"]: c for c in calls}

    rows, failures = [], 0
    for e in expected:
        r, c = by_line_reject.get(e["line"]), by_line_call.get(e["line"])
        if r:
            got = f"REJECTED {r['fields']}"
            ok = e["outcome"] == "REJECTED" and r["fields"] == e["field"] and e["reason_contains"] in r["reason"] \
                and r["source"].endswith(f"bad-rows.csv:{e['line']}")
        elif c:
            got = c["state"]
            ok = e["outcome"] == c["state"]
        else:
            got, ok = "MISSING", False
        failures += not ok
        if e["copy"] == 1:
            want = e["outcome"] + (f" {e['field']}" if e["field"] else "")
            rows.append([int(e["line"]), e["category"], short(e["kind"], 56), short(want, 44), "ok" if ok else f"MISMATCH: {short(got, 60)}"])

    out = [b.header("R3 bad input: one manifest of good and bad rows (bench/corpus/bad-input/bad-rows.csv)", sys.argv)]
    out.append(b.table(["line", "category", "case", "expected (outcome, field)", "check"], rows))
    bad = sum(1 for e in expected if e["outcome"] == "REJECTED")
    s = summary or {}
    counts = s.get("counts", {})
    out.append("")
    out.append(b.table(["figure", "value"], [
        ["rows in the manifest", len(expected)],
        ["bad rows / good rows", f"{bad} / {len(expected) - bad}"],
        ["exit code / status", f"{code} / {s.get('status')}"],
        ["rows read", s.get("rows_read")],
        ["rejected (expected)", f"{counts.get('rejected')} ({bad})"],
        ["evaluated (expected)", f"{counts.get('evaluated')} ({len(expected) - bad})"],
        ["counts add up", s.get("counts_add_up")],
        ["HTTP requests to the API", (s.get("requests") or {}).get("attempts")],
        ["rows not as expected", failures],
        ["report cells starting with = + - @ tab CR", formula_cells(calls, rejects)],
    ]))

    cases = read_csv(CORPUS / "manifests" / "cases.csv")
    if args.quick:
        cases = [c for c in cases if c["file"] in QUICK_FILES]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda c: run_job(c["file"].removesuffix(".csv"), CORPUS / "manifests" / c["file"], work), cases))
    file_rows = []
    for case, (fcode, fs, frej, fcalls, flog) in zip(cases, runs):
        fs = fs or {}
        fc = fs.get("counts", {})
        what = f"{fs.get('status')}: read {fs.get('rows_read')}, evaluated {fc.get('evaluated')}, rejected {fc.get('rejected')}"
        if fs.get("status") == "FAILED":
            what += f"; {failure_reason(flog)}"
        elif frej:
            what += f" ({', '.join(sorted({r['fields'] for r in frej}))})"
        finding = case["expected"].startswith("FINDING")
        ok = fcode == int(case["expected_exit"]) and (fcode != 0 or fs.get("counts_add_up") is True)
        if not ok and not finding:
            failures += 1
        check = "ok" if ok else ("FINDING" if finding else "MISMATCH")
        file_rows.append([case["file"], short(case["expected"], 60), fcode, short(what, 100), check])
    out.append("\nWhole-file cases (bench/corpus/bad-input/manifests/), each its own run:")
    out.append(b.table(["manifest", "expected", "exit", "outcome", "check"], file_rows))
    out.append(f"\nR3 {'PASSED' if failures == 0 else 'FAILED'}: {failures} case(s) not as expected"
               + ("; FINDING rows are known gaps (docs/bench/reliability.md)" if any(r[-1] == "FINDING" for r in file_rows) else ""))
    b.publish("r3-bad-input" + ("-quick" if args.quick else ""), "\n".join(out))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
