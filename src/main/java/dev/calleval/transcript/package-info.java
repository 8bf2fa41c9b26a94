/**
 * Transcript and call-export formats people actually have (Bluejay JSON, plain JSON, AWS Transcribe and Contact
 * Lens, Deepgram, AssemblyAI, WebVTT, SRT, Vapi, Retell), converted exactly into Bluejay transcript entries and tool
 * calls: every time an integer number of milliseconds from call start (API reference §1.3, §1.4). A
 * {@link dev.calleval.transcript.TranscriptParser} per format reads the provider's shape into utterances with the
 * provider's speaker labels; the {@link dev.calleval.transcript.TranscriptConverter} detects the format, maps
 * speakers to AGENT/USER, marks fillers, and validates (offsets, order, recording length, unit mistakes).
 *
 * <p>Every problem is a {@link dev.calleval.transcript.TranscriptException} naming the entry and the file. The package
 * depends on {@code bluejay/}'s model types and nothing else of the application; its callers (the mapping, the
 * report's preview) turn its exceptions into their own problems.
 */
@NullMarked
package dev.calleval.transcript;

import org.jspecify.annotations.NullMarked;

