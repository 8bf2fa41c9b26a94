#!/usr/bin/env python3
"""Writes the AWS sample transcripts from the sample calls' Bluejay transcripts (standard library only).

    python3 sample-data/transcripts/formats/make_aws.py

Writes (relative to this folder):
  aws-transcribe/nw-2026-11-19-0002.json   Transcribe batch output with speaker diarization, current shape:
                                           results.items with ids and speaker_label, speaker_labels.segments,
                                           audio_segments (one per utterance, which calleval prefers)
  aws-transcribe/nw-2026-11-19-0003.json   Transcribe batch output with channel identification, older shape:
                                           channel_labels.channels[].items, results.items without channel_label,
                                           no item ids, no audio_segments (calleval groups the words)
  contact-lens/nw-2026-11-19-0004.json     Transcribe Call Analytics output: Transcript[] with
                                           BeginOffsetMillis/EndOffsetMillis/ParticipantRole, the job envelope
                                           and ConversationCharacteristics
  broken/aws-transcribe-non-numeric-time.json   call 0003 with one word's start_time "1O.831" (letter O)
  broken/contact-lens-end-before-start.json     call 0004 with Transcript[3] ending before it starts

Shapes follow the provider's documented output:
  https://docs.aws.amazon.com/transcribe/latest/dg/diarization-output-batch.html
  https://docs.aws.amazon.com/transcribe/latest/dg/channel-id-output-batch.html
  https://docs.aws.amazon.com/transcribe/latest/dg/tca-output-batch.html

Times are exact: Transcribe writes seconds as strings; these files use up to 3 decimals ("0.544"), so every
utterance start/end converts back to the Bluejay millisecond offset exactly. Word times inside an utterance are
spread over the utterance by word length (they are made up: the sample transcripts have no word timings).
Call Analytics writes integer milliseconds, so it is exact by construction. The AGENT is spk_0 / ch_0 (the
recordings put the agent on the left channel), the customer spk_1 / ch_1.

Note: sample-data/generate.sh replaces sample-data/transcripts/ as a whole; run this script again after it.
"""
import json
import random
import re
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRANSCRIPTS = HERE.parent
ACCOUNT_ID = "111122223333"
PUNCTUATION = ".,?!;:"
NAMESPACE = uuid.UUID("5b0e7f4e-2a43-4c59-9d52-8f0d6c1a2b3c")


def seconds(ms):
    """Exact seconds string for whole ms, as Transcribe writes them: '0.544', '12.6', '16.0'."""
    whole, frac = divmod(ms, 1000)
    text = f"{whole}.{frac:03d}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def tokens(text):
    """Words and punctuation marks, as Transcribe itemizes them: 'Sure, it's' -> Sure / , / it's."""
    out = []
    for raw in text.split():
        word = raw.rstrip(PUNCTUATION)
        marks = raw[len(word):]
        if word:
            out.append(("pronunciation", word))
        out.extend(("punctuation", m) for m in marks)
    rebuilt = ""
    for kind, content in out:
        rebuilt += content if kind == "punctuation" or not rebuilt else " " + content
    assert rebuilt == text, (rebuilt, text)
    return out


def timed_tokens(entry):
    """(kind, content, start_ms, end_ms) with word times spread over the utterance by word length."""
    toks = tokens(entry["utterance"])
    words = [c for k, c in toks if k == "pronunciation"]
    start, end = entry["start_offset_ms"], entry["end_offset_ms"]
    total = sum(len(w) + 1 for w in words)
    out, cum, i = [], 0, 0
    for kind, content in toks:
        if kind == "punctuation":
            out.append((kind, content, None, None))
            continue
        a = start + (end - start) * cum // total
        cum += len(content) + 1
        b = start + (end - start) * cum // total
        out.append((kind, content, a, b))
        i += 1
    assert out[0][2] == start and [t for t in out if t[2] is not None][-1][3] == end
    return out


def confidence(rng):
    return f"{rng.uniform(0.86, 1.0):.3f}".rstrip("0").rstrip(".") if rng.random() < 0.9 else "1.0"


def load(call_id):
    return json.loads((TRANSCRIPTS / f"{call_id}.json").read_text(encoding="utf-8"))


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path.relative_to(TRANSCRIPTS.parent.parent))


def transcribe_diarized(call_id):
    """Speaker diarization, current output shape (item ids, speaker_label on items, audio_segments)."""
    rng = random.Random(call_id)
    entries = load(call_id)
    items, segments, audio_segments = [], [], []
    for n, entry in enumerate(entries):
        label = "spk_0" if entry["speaker"] == "AGENT" else "spk_1"
        ids, segment_items = [], []
        for kind, content, a, b in timed_tokens(entry):
            item = {"id": len(items)}
            if kind == "pronunciation":
                item.update({"start_time": seconds(a), "speaker_label": label, "end_time": seconds(b),
                             "alternatives": [{"confidence": confidence(rng), "content": content}], "type": kind})
                segment_items.append({"start_time": seconds(a), "speaker_label": label, "end_time": seconds(b)})
            else:
                item.update({"speaker_label": label, "alternatives": [{"confidence": "0.0", "content": content}], "type": kind})
            ids.append(item["id"])
            items.append(item)
        start, end = seconds(entry["start_offset_ms"]), seconds(entry["end_offset_ms"])
        segments.append({"start_time": start, "speaker_label": label, "end_time": end, "items": segment_items})
        audio_segments.append({"id": n, "transcript": entry["utterance"], "start_time": start, "end_time": end,
                               "speaker_label": label, "items": ids})
    return {
        "jobName": call_id,
        "accountId": ACCOUNT_ID,
        "status": "COMPLETED",
        "results": {
            "transcripts": [{"transcript": " ".join(e["utterance"] for e in entries)}],
            "speaker_labels": {"channel_label": "ch_0", "speakers": 2, "segments": segments},
            "items": items,
            "audio_segments": audio_segments,
        },
    }


def transcribe_channels(call_id):
    """Channel identification, older output shape (no item ids, no channel_label on results.items, no audio_segments)."""
    rng = random.Random(call_id)
    entries = load(call_id)
    items, by_channel = [], {"ch_0": [], "ch_1": []}
    for entry in entries:
        label = "ch_0" if entry["speaker"] == "AGENT" else "ch_1"
        for kind, content, a, b in timed_tokens(entry):
            if kind == "pronunciation":
                item = {"start_time": seconds(a), "end_time": seconds(b),
                        "alternatives": [{"confidence": confidence(rng), "content": content}], "type": kind}
            else:
                item = {"alternatives": [{"confidence": "0.0", "content": content}], "type": kind}
            items.append(item)
            by_channel[label].append({"channel_label": label, **item})
    return {
        "jobName": call_id,
        "accountId": ACCOUNT_ID,
        "results": {
            "transcripts": [{"transcript": " ".join(e["utterance"] for e in entries)}],
            "channel_labels": {
                "channels": [{"channel_label": label, "items": chan} for label, chan in by_channel.items()],
                "number_of_channels": 2,
            },
            "items": items,
        },
        "status": "COMPLETED",
    }


def call_analytics(call_id):
    """Transcribe Call Analytics (post-call) output."""
    rng = random.Random(call_id)
    entries = load(call_id)
    transcript, talk = [], {"AGENT": 0, "CUSTOMER": 0}
    words = {"AGENT": 0, "CUSTOMER": 0}
    for n, entry in enumerate(entries):
        role = "AGENT" if entry["speaker"] == "AGENT" else "CUSTOMER"
        start, end = entry["start_offset_ms"], entry["end_offset_ms"]
        talk[role] += end - start
        items = []
        for kind, content, a, b in timed_tokens(entry):
            if kind == "pronunciation":
                words[role] += 1
                items.append({"Confidence": float(confidence(rng)), "Content": content, "EndOffsetMillis": b,
                              "BeginOffsetMillis": a, "Type": kind})
            else:
                items.append({"Confidence": 0.0, "Content": content, "Type": kind})
        transcript.append({
            "LoudnessScores": [round(rng.uniform(72, 90), 2) for _ in range(max(1, (end - start + 999) // 1000))],
            "Content": entry["utterance"],
            "Items": items,
            "Id": str(uuid.uuid5(NAMESPACE, f"{call_id}/{n}")),
            "BeginOffsetMillis": start,
            "EndOffsetMillis": end,
            "Sentiment": "POSITIVE" if n >= len(entries) - 2 else "NEUTRAL",
            "ParticipantRole": role,
        })
    total = entries[-1]["end_offset_ms"]
    quarter = total // 4
    gaps = [{"BeginOffsetMillis": a["end_offset_ms"], "DurationMillis": b["start_offset_ms"] - a["end_offset_ms"],
             "EndOffsetMillis": b["start_offset_ms"]}
            for a, b in zip(entries, entries[1:]) if b["start_offset_ms"] - a["end_offset_ms"] >= 3000]

    def periods():
        return [{"Score": s, "BeginOffsetMillis": i * quarter, "EndOffsetMillis": total if i == 3 else (i + 1) * quarter}
                for i, s in enumerate([0.0, 2.5, 2.5, 5.0])]

    return {
        "JobName": call_id,
        "AccountId": ACCOUNT_ID,
        "JobStatus": "COMPLETED",
        "LanguageCode": "en-US",
        "Channel": "VOICE",
        "Participants": [{"ParticipantRole": "AGENT"}, {"ParticipantRole": "CUSTOMER"}],
        "ContentMetadata": {"Output": "Raw"},
        "Transcript": transcript,
        "Categories": {"MatchedCategories": [], "MatchedDetails": {}},
        "ConversationCharacteristics": {
            "NonTalkTime": {"Instances": gaps, "TotalTimeMillis": sum(g["DurationMillis"] for g in gaps)},
            "Interruptions": {"TotalCount": 0, "TotalTimeMillis": 0, "InterruptionsByInterrupter": {}},
            "TotalConversationDurationMillis": total,
            "Sentiment": {
                "OverallSentiment": {"AGENT": 2.5, "CUSTOMER": 2.1},
                "SentimentByPeriod": {"QUARTER": {"AGENT": periods(), "CUSTOMER": periods()}},
            },
            "TalkSpeed": {"DetailsByParticipant": {
                r: {"AverageWordsPerMinute": round(words[r] * 60000 / talk[r])} for r in ("AGENT", "CUSTOMER")}},
            "TalkTime": {"DetailsByParticipant": {r: {"TotalTimeMillis": talk[r]} for r in ("AGENT", "CUSTOMER")},
                         "TotalTimeMillis": talk["AGENT"] + talk["CUSTOMER"]},
        },
    }


def main():
    diarized = transcribe_diarized("nw-2026-11-19-0002")
    channels = transcribe_channels("nw-2026-11-19-0003")
    analytics = call_analytics("nw-2026-11-19-0004")
    write(HERE / "aws-transcribe" / "nw-2026-11-19-0002.json", diarized)
    write(HERE / "aws-transcribe" / "nw-2026-11-19-0003.json", channels)
    write(HERE / "contact-lens" / "nw-2026-11-19-0004.json", analytics)

    broken = json.loads(json.dumps(channels))
    # the first word of the customer's address, in both places the file holds it (channel_labels and items)
    for item in broken["results"]["channel_labels"]["channels"][1]["items"] + broken["results"]["items"]:
        if item.get("start_time") == "10.831":
            item["start_time"] = "1O.831"
    write(HERE / "broken" / "aws-transcribe-non-numeric-time.json", broken)

    broken = json.loads(json.dumps(analytics))
    entry = broken["Transcript"][3]
    entry["BeginOffsetMillis"], entry["EndOffsetMillis"] = entry["EndOffsetMillis"], entry["BeginOffsetMillis"]
    write(HERE / "broken" / "contact-lens-end-before-start.json", broken)


if __name__ == "__main__":
    main()
