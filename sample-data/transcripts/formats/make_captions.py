#!/usr/bin/env python3
"""Writes the caption samples (WebVTT, SRT) from the Bluejay sample transcripts. Standard library only.

    python3 sample-data/transcripts/formats/make_captions.py

Writes, next to this script:
  webvtt/nw-2026-11-19-0008.vtt          call 0008 as a Microsoft Teams transcript: a bare WEBVTT header, cue
                                         identifiers "<guid>/<n>-0", one <v Name>text</v> voice span per cue
  srt/nw-2026-11-19-0009.srt             call 0009 as an SRT export from a caption editor: UTF-8 with a byte order
                                         mark, CRLF line ends, text wrapped at 42 characters a line,
                                         a "Name: " prefix on each cue's first line
  broken/webvtt-comma-milliseconds.vtt   call 0008 with an SRT-style time (comma before the ms) in cue 3
  broken/srt-end-before-start.srt        call 0009 with cue 3 ending before it starts

Times: Bluejay offsets are whole ms and both caption formats write hh:mm:ss plus three digits of ms, so every
offset is written exactly and reads back exactly; no rounding anywhere. The caption formats cannot carry
filler_utterance, so call 0008's "One moment while I check that." (a filler in the Bluejay file) converts without
the flag unless a job lists that phrase among its filler words.
"""

import csv
import json
import textwrap
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1]
AGENT = "Nora (Northwind AI)"


def customer_name(call_id):
    with open(SAMPLES / "manifests" / "calls.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["call_id"] == call_id:
                return row["customer_name"]
    raise SystemExit("no row for " + call_id + " in calls.csv")


def utterances(call_id):
    """(start_ms, end_ms, speaker name, text) of the Bluejay sample transcript."""
    customer = customer_name(call_id)
    entries = json.loads((SAMPLES / "transcripts" / (call_id + ".json")).read_text(encoding="utf-8"))
    return [(e["start_offset_ms"], e["end_offset_ms"], AGENT if e["speaker"] == "AGENT" else customer, e["utterance"])
            for e in entries]


def clock(ms, separator):
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return "%02d:%02d:%02d%s%03d" % (hours, minutes, seconds, separator, millis)


def vtt_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap(text, width=42):
    """Caption-editor line breaking: lines of at most 42 characters, split at spaces only (joined back with one space)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def webvtt(call_id, times=None):
    session = uuid.uuid5(uuid.NAMESPACE_URL, "https://northwind.example/calls/" + call_id)
    out = ["WEBVTT", ""]
    for n, (start, end, speaker, text) in enumerate(utterances(call_id)):
        timing = times(n, start, end) if times else clock(start, ".") + " --> " + clock(end, ".")
        out += ["%s/%d-0" % (session, 11 + 4 * n), timing,
                "<v %s>%s</v>" % (vtt_escape(speaker), vtt_escape(text)), ""]
    return "\n".join(out)


def srt(call_id, times=None):
    out = []
    for n, (start, end, speaker, text) in enumerate(utterances(call_id)):
        timing = times(n, start, end) if times else clock(start, ",") + " --> " + clock(end, ",")
        out += [str(n + 1), timing] + wrap(speaker + ": " + text) + [""]
    return "\ufeff" + "\r\n".join(out) + "\r\n"


def write(relative, text, newline="\n"):
    path = HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)
    print("wrote", path.relative_to(SAMPLES.parent))


def comma_in_cue_3(n, start, end):
    return (clock(start, ",") if n == 2 else clock(start, ".")) + " --> " + clock(end, ".")


def cue_3_ends_early(n, start, end):
    return clock(start, ",") + " --> " + clock(start - 1000 if n == 2 else end, ",")


write("webvtt/nw-2026-11-19-0008.vtt", webvtt("nw-2026-11-19-0008"))
write("srt/nw-2026-11-19-0009.srt", srt("nw-2026-11-19-0009"), newline="")
write("broken/webvtt-comma-milliseconds.vtt", webvtt("nw-2026-11-19-0008", comma_in_cue_3))
write("broken/srt-end-before-start.srt", srt("nw-2026-11-19-0009", cue_3_ends_early), newline="")
