#!/usr/bin/env python3
"""Writes the agent-platform sample transcripts (Vapi, Retell) from the Northwind sample calls.

    python3 sample-data/transcripts/formats/make_agent-platforms.py

Standard library only. Reads, for each call, its Bluejay transcript (../<call>.json, integer ms offsets), its
sidecar (../../sidecars/<call>.json: the tool calls), its row in ../../manifests/calls.csv (start time, names,
numbers) and its WAV (../../recordings/<call>.wav: the call's length), and writes:

  vapi/nw-2026-11-19-0010.json     a Vapi end-of-call-report server message ({"message": {...}}) whose
                                   artifact.messages hold the call's utterances, its tool call and the result
  retell/nw-2026-11-19-0011.json   a Retell call_analyzed webhook body ({"event", "call": {...}}) with
                                   transcript, transcript_object and transcript_with_tool_calls
  broken/vapi-non-numeric-time.json      the Vapi sample with messages[3].secondsFromStart "00:06.114"
  broken/retell-end-before-start.json    the Retell sample whose transcript_with_tool_calls[2] ends (last word)
                                         before it starts (first word)

Exactness (what calleval must read back):
  * Vapi: secondsFromStart = start_offset_ms / 1000 (3 decimals, exact), time/endTime = call start (epoch ms) +
    offset, duration = end - start (ms). The utterances convert back to EXACTLY the Bluejay offsets, and the tool
    call's offset is exactly the sidecar's (15249 ms). The result message comes 361 ms after the call.
  * Retell: each utterance's words split its time evenly (whole ms, written as seconds with 3 decimals); the
    first word starts at start_offset_ms and the last ends at end_offset_ms, so the utterances convert back
    exactly. Retell does NOT time tool calls (a tool_call_invocation has no time field), so the sidecar's tool
    offsets (11087 ms, 17530 ms) cannot be expressed: each invocation is placed after the utterance that ends
    last before the sidecar offset, and calleval reads its offset as that utterance's end (10927 ms, 17340 ms).
    Parameters and outputs are the sidecar's exactly.
Ids (call ids, tool-call ids, UUIDs) are derived from the call id, so regenerating gives identical files.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import json
import uuid
import wave
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent.parent
VAPI_CALL = "nw-2026-11-19-0010"
RETELL_CALL = "nw-2026-11-19-0011"
ORG = "Northwind Support"


def load(call_id: str) -> dict:
    with (SAMPLES / "manifests" / "calls.csv").open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["call_id"] == call_id)
    transcript = json.loads((SAMPLES / "transcripts" / f"{call_id}.json").read_text(encoding="utf-8"))
    sidecar = json.loads((SAMPLES / "sidecars" / f"{call_id}.json").read_text(encoding="utf-8"))
    with wave.open(str(SAMPLES / "recordings" / f"{call_id}.wav"), "rb") as w:
        length_ms = round(w.getnframes() * 1000 / w.getframerate())
    start = datetime.fromisoformat(row["start_time_utc"].replace("Z", "+00:00")).astimezone(timezone.utc)
    return {"row": row, "transcript": transcript, "tools": sidecar.get("tool_calls", []), "length_ms": length_ms,
            "start": start, "start_ms": int(start.timestamp() * 1000)}


def hexid(call_id: str, what: str, n: int) -> str:
    return hashlib.sha256(f"{call_id}/{what}".encode()).hexdigest()[:n]


def uid(call_id: str, what: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://calleval.example.com/{call_id}/{what}"))


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def seconds(ms: int) -> float:
    """ms as seconds; Python writes the shortest repr, e.g. 15249 -> 15.249 (exact to the ms)."""
    return ms / 1000


def write(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------- Vapi

def vapi(call_id: str) -> dict:
    c = load(call_id)
    row, t0, t0_ms = c["row"], c["start"], c["start_ms"]
    system = (f"You are Nora, the voice agent of {ORG}. You call customers to confirm delivery windows. "
              "Be brief and friendly; confirm the window with the carrier before you say it is confirmed.")
    timed = []  # (offset ms, order, message)
    for e in c["transcript"]:
        start, end = e["start_offset_ms"], e["end_offset_ms"]
        m = {"role": "bot" if e["speaker"] == "AGENT" else "user", "message": e["utterance"], "time": t0_ms + start,
             "endTime": t0_ms + end, "secondsFromStart": seconds(start), "duration": end - start}
        if e["speaker"] == "AGENT":
            m["source"] = ""
        timed.append((start, 1, m))
    openai_tools = []
    for i, tool in enumerate(c["tools"]):
        at = tool["start_offset_ms"]
        tool_id = "call_" + hexid(call_id, f"vapi-tool-{i}", 24)
        call = {"id": tool_id, "type": "function",
                "function": {"name": tool["name"], "arguments": json.dumps(tool["parameters"], separators=(",", ":"))}}
        timed.append((at, 0, {"role": "tool_calls", "message": "", "time": t0_ms + at, "secondsFromStart": seconds(at),
                              "toolCalls": [call]}))
        result = json.dumps(tool["output"], separators=(",", ":"))
        timed.append((at + 361, 0, {"role": "tool_call_result", "time": t0_ms + at + 361, "secondsFromStart": seconds(at + 361),
                                    "name": tool["name"], "result": result, "toolCallId": tool_id}))
        openai_tools.append((at, call, result))
        later = [e["start_offset_ms"] for e in c["transcript"] if e["start_offset_ms"] > at]
        assert not later or at + 361 < later[0], "the tool result must come before the next utterance"
    timed.sort(key=lambda x: (x[0], x[1]))
    messages = [{"role": "system", "message": system, "time": t0_ms, "secondsFromStart": 0}] + [m for _, _, m in timed]

    openai = [{"role": "system", "content": system}]
    for m in messages[1:]:
        if m["role"] in ("bot", "user"):
            openai.append({"role": "assistant" if m["role"] == "bot" else "user", "content": m["message"]})
        elif m["role"] == "tool_calls":
            openai.append({"role": "assistant", "tool_calls": m["toolCalls"]})
        else:
            openai.append({"role": "tool", "tool_call_id": m["toolCallId"], "content": m["result"]})
    transcript = "\n".join(("AI: " if e["speaker"] == "AGENT" else "User: ") + e["utterance"] for e in c["transcript"])
    length = c["length_ms"]
    t1 = t0 + timedelta(milliseconds=length)
    recording = f"https://recordings.example.com/vapi/{uid(call_id, 'call')}"
    summary = (f"Nora called {row['customer_name']} to confirm tomorrow's sofa delivery; the customer accepted the "
               "8:00-12:00 window and Nora confirmed it with the carrier.")
    return {"message": {
        "timestamp": t0_ms + length + 1873,
        "type": "end-of-call-report",
        "analysis": {"summary": summary, "successEvaluation": "true"},
        "artifact": {
            "messages": messages,
            "messagesOpenAIFormatted": openai,
            "transcript": transcript,
            "recordingUrl": recording + "-mono.wav",
            "stereoRecordingUrl": recording + "-stereo.wav",
        },
        "startedAt": iso(t0),
        "endedAt": iso(t1),
        "endedReason": "assistant-ended-call",
        "cost": 0.0267,
        "costs": [
            {"type": "transport", "provider": "twilio", "minutes": round(length / 60000, 4), "cost": 0.0043},
            {"type": "transcriber", "transcriber": {"provider": "deepgram", "model": "nova-2"}, "minutes": round(length / 60000, 4),
             "cost": 0.0033},
            {"type": "model", "model": {"provider": "openai", "model": "gpt-4o"}, "promptTokens": 1412, "completionTokens": 61,
             "cost": 0.0041},
            {"type": "voice", "voice": {"provider": "11labs", "voiceId": "nora-northwind"}, "characters": 152, "cost": 0.0096},
            {"type": "vapi", "subType": "normal", "minutes": round(length / 60000, 4), "cost": 0.0054},
        ],
        "durationMs": length,
        "durationSeconds": length / 1000,
        "durationMinutes": round(length / 60000, 4),
        "summary": summary,
        "transcript": transcript,
        "recordingUrl": recording + "-mono.wav",
        "stereoRecordingUrl": recording + "-stereo.wav",
        "call": {
            "id": uid(call_id, "call"),
            "orgId": uid("org", "northwind"),
            "createdAt": iso(t0 - timedelta(milliseconds=2817)),
            "updatedAt": iso(t0),
            "type": "outboundPhoneCall",
            "status": "queued",
            "assistantId": uid("assistant", "nora"),
            "phoneNumberId": uid("phone-number", row["agent_phone"]),
            "customer": {"number": row["customer_phone"], "name": row["customer_name"]},
            "phoneCallProvider": "twilio",
            "phoneCallProviderId": "CA" + hexid(call_id, "twilio", 32),
            "phoneCallTransport": "pstn",
        },
        "assistant": {"name": row["agent_name"], "firstMessageMode": "assistant-waits-for-user"},
        "customer": {"number": row["customer_phone"], "name": row["customer_name"]},
        "phoneNumber": {"id": uid("phone-number", row["agent_phone"]), "number": row["agent_phone"], "provider": "twilio"},
    }}


# ------------------------------------------------------------------------------------------- Retell

def words(text: str, start: int, end: int) -> list:
    """The utterance's words with whole-ms times that split [start, end] evenly: first starts at start, last ends at end."""
    parts = text.split()
    cuts = [start + round((end - start) * i / len(parts)) for i in range(len(parts) + 1)]
    return [{"word": w, "start": seconds(cuts[i]), "end": seconds(cuts[i + 1])} for i, w in enumerate(parts)]


def retell(call_id: str) -> dict:
    c = load(call_id)
    row, t0_ms, length = c["row"], c["start_ms"], c["length_ms"]
    utterances = []
    response_id = 0
    for e in c["transcript"]:
        u = {"role": "agent" if e["speaker"] == "AGENT" else "user", "content": e["utterance"],
             "words": words(e["utterance"], e["start_offset_ms"], e["end_offset_ms"])}
        if e["speaker"] == "AGENT":
            response_id += 1
            u["metadata"] = {"response_id": response_id}
        utterances.append((e, u))
    with_tools = []
    for i, (e, u) in enumerate(utterances):
        with_tools.append(copy.deepcopy(u))
        nxt = utterances[i + 1][0]["start_offset_ms"] if i + 1 < len(utterances) else None
        for k, tool in enumerate(c["tools"]):
            # the invocation goes after the utterance that ends last before the tool's offset
            if e["end_offset_ms"] <= tool["start_offset_ms"] and (nxt is None or tool["start_offset_ms"] < nxt):
                tool_id = hexid(call_id, f"retell-tool-{k}", 16)
                with_tools.append({"role": "tool_call_invocation", "tool_call_id": tool_id, "name": tool["name"],
                                   "arguments": json.dumps(tool["parameters"], separators=(",", ":"))})
                with_tools.append({"role": "tool_call_result", "tool_call_id": tool_id,
                                   "content": json.dumps(tool["output"], separators=(",", ":")), "successful": True})
    assert sum(1 for x in with_tools if x["role"] == "tool_call_invocation") == len(c["tools"])
    transcript = "".join(("Agent: " if e["speaker"] == "AGENT" else "User: ") + e["utterance"] + "\n" for e in c["transcript"])
    retell_call_id = "call_" + hexid(call_id, "retell-call", 28)
    gaps = [b["start_offset_ms"] - a["end_offset_ms"] for a, b in zip(c["transcript"], c["transcript"][1:])
            if a["speaker"] == "USER" and b["speaker"] == "AGENT"]
    gaps.sort()
    return {"event": "call_analyzed", "call": {
        "call_id": retell_call_id,
        "call_type": "phone_call",
        "agent_id": "agent_" + hexid("agent", "nora", 26),
        "agent_version": 4,
        "agent_name": row["agent_name"],
        "call_status": "ended",
        "direction": row["call_direction"].lower(),
        "from_number": row["agent_phone"],
        "to_number": row["customer_phone"],
        "metadata": {"source_call_id": call_id},
        "retell_llm_dynamic_variables": {"customer_name": row["customer_name"]},
        "start_timestamp": t0_ms,
        "end_timestamp": t0_ms + length,
        "duration_ms": length,
        "transcript": transcript,
        "transcript_object": [u for _, u in utterances],
        "transcript_with_tool_calls": with_tools,
        "recording_url": f"https://recordings.example.com/retell/{retell_call_id}/recording.wav",
        "recording_multi_channel_url": f"https://recordings.example.com/retell/{retell_call_id}/recording_multichannel.wav",
        "public_log_url": f"https://logs.example.com/retell/{retell_call_id}/public.log",
        "disconnection_reason": "agent_hangup",
        "latency": {"e2e": {"p50": gaps[len(gaps) // 2], "p90": gaps[-1], "p95": gaps[-1], "p99": gaps[-1],
                            "max": gaps[-1], "min": gaps[0], "num": len(gaps), "values": gaps}},
        "call_analysis": {
            "call_summary": (f"The agent called {row['customer_name']} about tomorrow's 9 AM clinic visit and moved it "
                             "to 3:15 PM at the customer's request."),
            "in_voicemail": False,
            "user_sentiment": "Positive",
            "call_successful": True,
            "custom_analysis_data": {"rescheduled": True},
        },
        "call_cost": {
            "product_costs": [{"product": "elevenlabs_tts", "unit_price": 0.1167, "cost": 2.6959},
                              {"product": "gpt_4o", "unit_price": 0.0833, "cost": 1.9247}],
            "total_duration_seconds": -(-length // 1000),
            "total_duration_unit_price": 0.2,
            "combined_cost": 4.6206,
        },
        "telephony_identifier": {"twilio_call_sid": "CA" + hexid(call_id, "twilio", 32)},
        "data_storage_setting": "everything",
        "opt_in_signed_url": False,
    }}


def main() -> None:
    v = vapi(VAPI_CALL)
    write(HERE / "vapi" / f"{VAPI_CALL}.json", v)
    r = retell(RETELL_CALL)
    write(HERE / "retell" / f"{RETELL_CALL}.json", r)

    broken = copy.deepcopy(v)
    m = broken["message"]["artifact"]["messages"][3]
    assert m["role"] == "user" and m["secondsFromStart"] == 6.114
    m["secondsFromStart"] = "00:06.114"  # a clock time where seconds are expected
    write(HERE / "broken" / "vapi-non-numeric-time.json", broken)

    broken = copy.deepcopy(r)
    u = broken["call"]["transcript_with_tool_calls"][2]
    assert u["role"] == "user" and u["words"][0]["start"] == 7.917
    u["words"][-1]["end"] = 7.517  # the last word ends 400 ms before the first one starts
    write(HERE / "broken" / "retell-end-before-start.json", broken)


if __name__ == "__main__":
    main()
