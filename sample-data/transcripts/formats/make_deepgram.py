#!/usr/bin/env python3
"""Writes the Deepgram and AssemblyAI sample transcripts from the calls' Bluejay transcripts. Standard library only.

    python3 sample-data/transcripts/formats/make_deepgram.py

Output (relative to this folder):
  deepgram/nw-2026-11-19-0005.json     Deepgram pre-recorded response, diarize=true&utterances=true&punctuate=true
                                       (one mixed-down channel; results.utterances plus the words of channels[0])
  deepgram/nw-2026-11-19-0006.json     Deepgram pre-recorded response, multichannel=true&punctuate=true, no
                                       diarization, no utterances: words only, channel 0 = agent (left), 1 = customer
  assemblyai/nw-2026-11-19-0007.json   AssemblyAI transcript (GET /v2/transcript/{id}) with speaker_labels=true
  broken/deepgram-utterance-time-not-a-number.json   0005 with results.utterances[3].end = "13.124s"
  broken/assemblyai-end-before-start.json            0007 with utterances[2].end before its start

Shapes follow the providers' documented responses (field names, nesting, envelope/metadata fields):
  https://developers.deepgram.com/docs/utterances, https://developers.deepgram.com/docs/multichannel/,
  https://www.assemblyai.com/docs/api-reference/transcripts/get.

Times. Every utterance keeps the Bluejay offsets exactly:
  * Deepgram writes seconds as JSON numbers; we write start_ms / 1000, which Python prints with at most 3
    decimals (e.g. 0.402), so calleval's exact decimal conversion gives back the same ms. Real Deepgram output has
    float32 noise (2.3999999); that converts to the nearest ms, rounded half-up.
  * Words: an utterance's tokens split its span in proportion to their length, in whole ms, back to back: the first
    word starts at the utterance start, the last ends at its end, so words grouped into utterances are exact too.
  * AssemblyAI writes integer ms: exact. Its audio_duration is whole seconds (rounded here): the only inexact
    field, used by calleval only for range checks (1 s tolerance).
Confidences, ids and hashes are made up but stable (seeded by the call id); sha256 is the recording's real hash.
"""
from __future__ import annotations

import copy
import hashlib
import json
import random
import re
import uuid
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent
DEEPGRAM_MODEL = "3b3aabe4-608a-46ac-9585-7960a25daf1a"


def stable_uuid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://calleval.dev/sample-data/formats/" + name))


def bluejay(call_id: str) -> list[dict]:
    return json.loads((DATA / "transcripts" / f"{call_id}.json").read_text(encoding="utf-8"))


def recording(call_id: str) -> tuple[float, str]:
    """Length in seconds (exact: frames / rate) and SHA-256 of the call's WAV."""
    path = DATA / "recordings" / f"{call_id}.wav"
    with wave.open(str(path)) as w:
        seconds = w.getnframes() / w.getframerate()
    return seconds, hashlib.sha256(path.read_bytes()).hexdigest()


def sec(ms: int) -> float:
    """ms as seconds; repr() of the correctly rounded quotient has at most 3 decimals."""
    return ms / 1000


def spans(entry: dict) -> list[tuple[str, int, int]]:
    """The utterance's tokens with whole-ms times that tile [start, end] in proportion to token length."""
    tokens = entry["utterance"].split(" ")
    start, end = entry["start_offset_ms"], entry["end_offset_ms"]
    total = sum(len(t) for t in tokens)
    out, done = [], 0
    for token in tokens:
        s = start + (end - start) * done // total
        done += len(token)
        e = start + (end - start) * done // total
        out.append((token, s, e))
    return out


def bare(token: str) -> str:
    """Deepgram's unpunctuated, lower-case `word` for a punctuated token."""
    return re.sub(r"^[^\w@]+|[^\w@]+$", "", token).lower() or token.lower()


def confidence(rng: random.Random) -> float:
    return round(rng.uniform(0.86, 0.9999), 8)


def dg_words(entry: dict, rng: random.Random, speaker: int | None) -> list[dict]:
    words = []
    for token, s, e in spans(entry):
        word = {"word": bare(token), "start": sec(s), "end": sec(e), "confidence": confidence(rng)}
        if speaker is not None:
            word["speaker"] = speaker
            word["speaker_confidence"] = round(rng.uniform(0.4, 0.95), 7)
        word["punctuated_word"] = token
        words.append(word)
    return words


def dg_metadata(call_id: str, channels: int, created: str) -> dict:
    duration, sha = recording(call_id)
    return {
        "transaction_key": "deprecated",
        "request_id": stable_uuid(call_id + "/deepgram/request"),
        "sha256": sha,
        "created": created,
        "duration": duration,
        "channels": channels,
        "models": [DEEPGRAM_MODEL],
        "model_info": {DEEPGRAM_MODEL: {"name": "general-nova-3", "version": "2024-12-20.0", "arch": "nova-3"}},
    }


def deepgram_utterances(call_id: str) -> dict:
    """diarize=true&utterances=true&punctuate=true on the mixed-down call: speaker 0 = whoever Deepgram heard first."""
    rng = random.Random(call_id)
    entries = bluejay(call_id)
    speakers = {}
    all_words, utterances = [], []
    for entry in entries:
        speaker = speakers.setdefault(entry["speaker"], len(speakers))
        words = dg_words(entry, rng, speaker)
        all_words.extend(copy.deepcopy(words))
        utterances.append({
            "start": sec(entry["start_offset_ms"]),
            "end": sec(entry["end_offset_ms"]),
            "confidence": round(sum(w["confidence"] for w in words) / len(words), 8),
            "channel": 0,
            "transcript": entry["utterance"],
            "words": words,
            "speaker": speaker,
            "id": stable_uuid(f"{call_id}/deepgram/utterance/{len(utterances)}"),
        })
    return {
        "metadata": dg_metadata(call_id, 1, "2026-11-19T10:31:07.412Z"),
        "results": {
            "channels": [{"alternatives": [{
                "transcript": " ".join(e["utterance"] for e in entries),
                "confidence": round(sum(w["confidence"] for w in all_words) / len(all_words), 8),
                "words": all_words,
            }]}],
            "utterances": utterances,
        },
    }


def deepgram_multichannel(call_id: str) -> dict:
    """multichannel=true&punctuate=true: results.channels[0] is the left (agent) channel, [1] the right (customer)."""
    rng = random.Random(call_id)
    entries = bluejay(call_id)
    channels = []
    for role in ("AGENT", "USER"):
        mine = [e for e in entries if e["speaker"] == role]
        words = [w for e in mine for w in dg_words(e, rng, None)]
        channels.append({"alternatives": [{
            "transcript": " ".join(e["utterance"] for e in mine),
            "confidence": round(sum(w["confidence"] for w in words) / len(words), 8),
            "words": words,
        }]})
    return {"metadata": dg_metadata(call_id, 2, "2026-11-19T11:08:41.095Z"), "results": {"channels": channels}}


def assemblyai(call_id: str) -> dict:
    """GET /v2/transcript/{id} of a speaker_labels=true job: speaker letters in order of first appearance."""
    rng = random.Random(call_id)
    entries = bluejay(call_id)
    duration, _ = recording(call_id)
    letters = {}
    words, utterances = [], []
    for entry in entries:
        letter = letters.setdefault(entry["speaker"], "ABCDEFGHIJ"[len(letters)])
        mine = [{"text": token, "start": s, "end": e, "confidence": round(rng.uniform(0.86, 1.0), 5), "speaker": letter}
                for token, s, e in spans(entry)]
        words.extend(copy.deepcopy(mine))
        utterances.append({
            "confidence": round(sum(w["confidence"] for w in mine) / len(mine), 5),
            "start": entry["start_offset_ms"],
            "end": entry["end_offset_ms"],
            "text": entry["utterance"],
            "words": mine,
            "speaker": letter,
        })
    return {
        "id": stable_uuid(call_id + "/assemblyai/transcript"),
        "audio_url": f"https://storage.example.com/northwind/recordings/{call_id}.wav",
        "status": "completed",
        "language_model": "assemblyai_default",
        "acoustic_model": "assemblyai_default",
        "language_code": "en_us",
        "language_detection": False,
        "language_confidence": None,
        "speech_model": None,
        "text": " ".join(e["utterance"] for e in entries),
        "words": words,
        "utterances": utterances,
        "confidence": round(sum(w["confidence"] for w in words) / len(words), 5),
        "audio_duration": round(duration),
        "punctuate": True,
        "format_text": True,
        "disfluencies": False,
        "multichannel": False,
        "webhook_url": None,
        "webhook_status_code": None,
        "webhook_auth": False,
        "webhook_auth_header_name": None,
        "auto_highlights": False,
        "auto_highlights_result": None,
        "audio_start_from": None,
        "audio_end_at": None,
        "word_boost": [],
        "boost_param": None,
        "filter_profanity": False,
        "redact_pii": False,
        "redact_pii_audio": False,
        "redact_pii_audio_quality": None,
        "redact_pii_policies": None,
        "redact_pii_sub": None,
        "speaker_labels": True,
        "speakers_expected": 2,
        "content_safety": False,
        "content_safety_labels": {"status": "unavailable", "results": [], "summary": {}},
        "iab_categories": False,
        "iab_categories_result": {"status": "unavailable", "results": [], "summary": {}},
        "auto_chapters": False,
        "chapters": None,
        "summarization": False,
        "summary_type": None,
        "summary_model": None,
        "summary": None,
        "custom_topics": False,
        "topics": [],
        "sentiment_analysis": False,
        "sentiment_analysis_results": None,
        "entity_detection": False,
        "entities": None,
        "speech_threshold": None,
        "throttled": None,
        "error": None,
    }


def write(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path.relative_to(DATA.parent))


def main() -> None:
    dg5 = deepgram_utterances("nw-2026-11-19-0005")
    write(HERE / "deepgram" / "nw-2026-11-19-0005.json", dg5)
    write(HERE / "deepgram" / "nw-2026-11-19-0006.json", deepgram_multichannel("nw-2026-11-19-0006"))
    aai7 = assemblyai("nw-2026-11-19-0007")
    write(HERE / "assemblyai" / "nw-2026-11-19-0007.json", aai7)

    broken = copy.deepcopy(dg5)
    broken["results"]["utterances"][3]["end"] = "13.124s"
    write(HERE / "broken" / "deepgram-utterance-time-not-a-number.json", broken)
    broken = copy.deepcopy(aai7)
    utterance = broken["utterances"][2]
    utterance["end"] = utterance["start"] - 450
    write(HERE / "broken" / "assemblyai-end-before-start.json", broken)


if __name__ == "__main__":
    main()
