#!/usr/bin/env python3
"""Writes the plain-JSON sample (a list of {speaker, text, start, end}, seconds) from call nw-2026-11-19-0012's
Bluejay transcript, and the broken plain-JSON sample. Times are the Bluejay ms offsets / 1000 with 3 decimals, so
conversion gives back exactly the same ms. Speakers are the participants' names, as a plain export would have them."""
import json
import pathlib

here = pathlib.Path(__file__).resolve().parent
call = "nw-2026-11-19-0012"
entries = json.loads((here.parent / f"{call}.json").read_text())
names = {"AGENT": "Agent", "USER": "Customer"}
out = [{"speaker": names[e["speaker"]], "text": e["utterance"],
        "start": round(e["start_offset_ms"] / 1000, 3), "end": round(e["end_offset_ms"] / 1000, 3)} for e in entries]
(here / "plain-json" / f"{call}.json").write_text(json.dumps(out, indent=2) + "\n")
broken = [dict(out[0]), dict(out[1]), dict(out[2])]
broken[2]["start"] = "four seconds"
(here / "broken" / "plain-json-non-numeric-start.json").write_text(json.dumps(broken, indent=2) + "\n")
