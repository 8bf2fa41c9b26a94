package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns a transcript file of any supported format into Bluejay transcript entries and tool calls (§1.3, §1.4).
 *
 * <ol>
 *   <li>The format is the one named (job {@code transcript.format} or manifest column {@code transcript_format}), or
 *       detected from the content: the first parser of {@link TranscriptParsers#all()} that accepts it.</li>
 *   <li>Each utterance gets its role by the {@link SpeakerMapping}; agent utterances made only of filler words are
 *       marked {@code filler_utterance} unless the file says. A transcript none of whose utterances carries a
 *       speaker label, a channel or a role does not say who spoke: it is refused, whatever its format, with
 *       {@link #NOBODY_SAID_WHO_SPOKE}, unless the mapping's {@code unlabelled} names its role. (The parsers read
 *       such files as they are and leave this decision here, so that every format gives the same answer.)</li>
 *   <li>Validation, each error naming the file and the entry: offsets ≥ 0 and end ≥ start; Bluejay JSON must be
 *       sorted by start (other formats are sorted: multichannel output comes channel by channel); every utterance
 *       ends within the recording (1 s tolerance) when its length is known; unit mistakes are caught — offsets that
 *       all end within the first second, or within a hundredth of the recording (seconds read as milliseconds), or
 *       past 24 hours (milliseconds read as seconds, or epoch times not rebased on the call start).</li>
 * </ol>
 * Thread-safe.
 */
public final class TranscriptConverter {
    static final long TOLERANCE_MS = 1000;
    static final long DAY_MS = 24L * 3600 * 1000;

    /**
     * The words of the refusal of a transcript that does not say who spoke, the same for every format: the message
     * is {@code <file> (<format>) does not say who spoke: ...}, naming the first utterance, how the provider is
     * asked for speakers, and the job-file key {@code transcript.speakers.unlabelled}.
     */
    public static final String NOBODY_SAID_WHO_SPOKE = "does not say who spoke";

    private final List<TranscriptParser> parsers;

    public TranscriptConverter() {
        this(TranscriptParsers.all());
    }

    TranscriptConverter(List<TranscriptParser> parsers) {
        this.parsers = List.copyOf(parsers);
    }

    /**
     * A converted transcript.
     *
     * @param toolCalls tool calls the file carried (Vapi, Retell), sorted by offset; empty for transcript-only formats
     */
    public record Conversion(TranscriptFormat format, List<TranscriptEntry> transcript, List<ToolCall> toolCalls) {}

    /**
     * The format of the content.
     *
     * @throws TranscriptException no parser recognises it; the message lists the formats tried
     */
    public TranscriptFormat detect(TranscriptInput input) throws TranscriptException {
        return parserFor(input).format();
    }

    private TranscriptParser parserFor(TranscriptInput input) throws TranscriptException {
        for (TranscriptParser parser : parsers) {
            if (parser.accepts(input)) {
                return parser;
            }
        }
        throw new TranscriptException("transcript", input.shownAs() + " is in no transcript format calleval knows ("
                + parsers.stream().map(p -> p.format().id()).collect(Collectors.joining(", "))
                + "); name its format with transcript_format if it is one of them");
    }

    private TranscriptParser parserOf(TranscriptFormat format) {
        return parsers.stream().filter(p -> p.format() == format).findFirst()
                .orElseThrow(() -> new IllegalStateException("no parser for " + format.id()));
    }

    /**
     * Reads and converts a file.
     *
     * @param named the format, or null to detect it
     * @param recordingDurationMs the recording's length when known (a local WAV), for the range and unit checks
     * @throws TranscriptException the file is missing, not the named format, in no known format, or invalid
     */
    public Conversion convert(Path file, String shownAs, @Nullable TranscriptFormat named, SpeakerMapping speakers,
            @Nullable Long recordingDurationMs) throws TranscriptException {
        return convert(TranscriptInput.read(file, shownAs), named, speakers, recordingDurationMs);
    }

    /** {@link #convert(Path, String, TranscriptFormat, SpeakerMapping, Long)} for content already read. */
    public Conversion convert(TranscriptInput input, @Nullable TranscriptFormat named, SpeakerMapping speakers,
            @Nullable Long recordingDurationMs) throws TranscriptException {
        TranscriptParser parser;
        if (named != null) {
            parser = parserOf(named);
            if (!parser.accepts(input)) {
                String looksLike;
                try {
                    looksLike = "it looks like " + detect(input).id();
                } catch (TranscriptException e) {
                    looksLike = "it is in no format calleval knows";
                }
                throw new TranscriptException("transcript", input.shownAs() + " is not a " + named.id() + " file (" + looksLike + ")");
            }
        } else {
            parser = parserFor(input);
        }
        ParsedTranscript parsed = parser.parse(input);
        String shownAs = input.shownAs();
        if (parsed.utterances().isEmpty()) {
            throw new TranscriptException("transcript", shownAs + " (" + parsed.format().id() + ") holds no utterances");
        }
        for (Utterance u : parsed.utterances()) {
            if (u.startMs() < 0) {
                throw new TranscriptException(field(u) + suffix(parsed, "start"), u.where() + " starts at " + u.startMs() + " ms, before the call start, in " + shownAs);
            }
            if (u.endMs() < u.startMs()) {
                throw new TranscriptException(field(u) + suffix(parsed, "end"), u.where() + " ends at " + u.endMs() + " ms, before it starts at "
                        + u.startMs() + " ms, in " + shownAs);
            }
        }
        List<Utterance> ordered = new ArrayList<>(parsed.utterances());
        if (parsed.format() == TranscriptFormat.BLUEJAY) {
            for (int i = 1; i < ordered.size(); i++) {
                if (ordered.get(i).startMs() < ordered.get(i - 1).startMs()) {
                    throw new TranscriptException(field(ordered.get(i)) + ".start_offset_ms", "entries are not sorted by start: "
                            + ordered.get(i).startMs() + " ms comes after " + ordered.get(i - 1).startMs() + " ms in " + shownAs);
                }
            }
        } else {
            ordered.sort(Comparator.comparingLong(Utterance::startMs).thenComparingLong(Utterance::endMs));
        }
        checkUnits(ordered, parsed, recordingDurationMs, shownAs);
        if (speakers.unlabelled() == null && ordered.stream().allMatch(TranscriptConverter::unlabelled)) {
            throw nobodySaidWhoSpoke(parsed, shownAs);
        }
        Map<String, ParticipantRole> firstHeard = new LinkedHashMap<>();
        Set<ParticipantRole> stated = EnumSet.noneOf(ParticipantRole.class);
        if (speakers.strategy() == SpeakerMapping.Strategy.AUTO) {
            for (Utterance u : ordered) {
                ParticipantRole role = statedRole(u, speakers);
                if (role != null) {
                    stated.add(role);
                }
            }
        }
        List<TranscriptEntry> entries = new ArrayList<>(ordered.size());
        for (Utterance u : ordered) {
            ParticipantRole role = role(u, speakers, firstHeard, stated, shownAs);
            Boolean filler = u.filler() != null ? u.filler()
                    : role == ParticipantRole.AGENT && speakers.isFiller(u.text()) ? Boolean.TRUE : null;
            entries.add(new TranscriptEntry(u.startMs(), u.endMs(), role, u.text(), filler));
        }
        List<ToolCall> toolCalls = new ArrayList<>(parsed.toolCalls());
        toolCalls.sort(Comparator.comparingLong(ToolCall::startOffsetMs));
        return new Conversion(parsed.format(), List.copyOf(entries), List.copyOf(toolCalls));
    }

    private static void checkUnits(List<Utterance> ordered, ParsedTranscript parsed, @Nullable Long recordingDurationMs, String shownAs)
            throws TranscriptException {
        Utterance last = ordered.stream().max(Comparator.comparingLong(Utterance::endMs)).orElseThrow();
        long maxEnd = last.endMs();
        String format = parsed.format().id();
        if (maxEnd > DAY_MS) {
            throw new TranscriptException(field(last), last.where() + " ends " + maxEnd + " ms after the call start, more than 24 hours: "
                    + "milliseconds read as seconds, or clock times not rebased on the call start? (" + format + ", " + shownAs + ")");
        }
        Long duration = recordingDurationMs != null ? recordingDurationMs : parsed.durationMs();
        String of = recordingDurationMs != null ? "the recording" : "the call (as the file states)";
        if (duration != null && duration >= 5000 && maxEnd * 100 < duration) {
            throw new TranscriptException("transcript", "the utterances end at " + maxEnd + " ms but " + of + " lasts " + duration
                    + " ms: seconds read as milliseconds? (" + format + ", " + shownAs + ")");
        }
        if (duration == null && ordered.size() >= 3 && maxEnd < 1000) {
            throw new TranscriptException("transcript", "all " + ordered.size() + " utterances end within the first second (" + maxEnd
                    + " ms): seconds read as milliseconds? (" + format + ", " + shownAs + ")");
        }
        if (duration != null) {
            for (Utterance u : ordered) {
                if (u.endMs() > duration + TOLERANCE_MS) {
                    throw new TranscriptException(field(u), u.where() + " ends at " + u.endMs() + " ms, after the end of "
                            + of + " at " + duration + " ms, in " + shownAs);
                }
            }
        }
    }

    /**
     * @param stated the roles the AUTO rules before "who spoke first" give to the file's speakers: when they give
     *     only one role (an agent named "Nora (Northwind AI)"), a speaker they do not resolve ("Lena Novak") is the
     *     other role, whoever spoke first
     */
    private static ParticipantRole role(Utterance u, SpeakerMapping speakers, Map<String, ParticipantRole> firstHeard,
            Set<ParticipantRole> stated, String shownAs) throws TranscriptException {
        if (speakers.unlabelled() != null && unlabelled(u)) {
            return speakers.unlabelled();
        }
        String who = u.speaker() != null ? u.speaker() : u.channel() != null ? "channel " + u.channel() : null;
        switch (speakers.strategy()) {
            case LABEL -> {
                ParticipantRole role = u.speaker() == null ? null : speakers.labels().get(u.speaker().toLowerCase(java.util.Locale.ROOT));
                if (role == null) {
                    throw unmapped(u, who, "transcript.speakers.labels", shownAs);
                }
                return role;
            }
            case CHANNEL -> {
                ParticipantRole role = byChannel(u.channel(), speakers);
                if (role == null) {
                    throw unmapped(u, who, "transcript.speakers.channels (the file has no channel for it)", shownAs);
                }
                return role;
            }
            case FIRST_SPEAKER -> {
                return byOrder(u, who, speakers, firstHeard, shownAs);
            }
            default -> {
                ParticipantRole role = statedRole(u, speakers);
                if (role != null) {
                    return role;
                }
                if (stated.size() == 1) {
                    return theOtherRole(u, who, stated.iterator().next(), firstHeard, shownAs);
                }
                return byOrder(u, who, speakers, firstHeard, shownAs);
            }
        }
    }

    /** AUTO before "who spoke first": the role the format states, a listed label, a label naming a role, the channel. */
    private static @Nullable ParticipantRole statedRole(Utterance u, SpeakerMapping speakers) {
        if (u.role() != null) {
            return u.role();
        }
        if (u.speaker() != null) {
            ParticipantRole listed = speakers.labels().get(u.speaker().toLowerCase(java.util.Locale.ROOT));
            return listed != null ? listed : SpeakerMapping.roleNamedBy(u.speaker());
        }
        return byChannel(u.channel(), speakers);
    }

    private static ParticipantRole theOtherRole(Utterance u, @Nullable String who, ParticipantRole named,
            Map<String, ParticipantRole> firstHeard, String shownAs) throws TranscriptException {
        String key = who == null ? "(no speaker)" : who;
        ParticipantRole known = firstHeard.get(key);
        if (known != null) {
            return known;
        }
        if (!firstHeard.isEmpty()) {
            throw new TranscriptException(field(u), u.where() + " is spoken by a third speaker (" + key + ") besides the " + named
                    + " and " + String.join(" and ", firstHeard.keySet()) + "; map the speakers with transcript.speakers.labels, in " + shownAs);
        }
        ParticipantRole role = named == ParticipantRole.AGENT ? ParticipantRole.USER : ParticipantRole.AGENT;
        firstHeard.put(key, role);
        return role;
    }

    private static @Nullable ParticipantRole byChannel(@Nullable Integer channel, SpeakerMapping speakers) {
        if (channel == null) {
            return null;
        }
        ParticipantRole role = speakers.channels().get(channel);
        if (role != null || !speakers.channels().isEmpty()) {
            return role;
        }
        return channel == 0 ? ParticipantRole.AGENT : channel == 1 ? ParticipantRole.USER : null;
    }

    private static ParticipantRole byOrder(Utterance u, @Nullable String who, SpeakerMapping speakers, Map<String, ParticipantRole> firstHeard,
            String shownAs) throws TranscriptException {
        String key = who == null ? "(no speaker)" : who;
        ParticipantRole known = firstHeard.get(key);
        if (known != null) {
            return known;
        }
        if (firstHeard.size() >= 2) {
            throw new TranscriptException(field(u), u.where() + " is spoken by a third speaker (" + key + ") after "
                    + String.join(" and ", firstHeard.keySet()) + "; map the speakers with transcript.speakers.labels, in " + shownAs);
        }
        ParticipantRole role = firstHeard.isEmpty() ? speakers.firstSpeaker()
                : speakers.firstSpeaker() == ParticipantRole.AGENT ? ParticipantRole.USER : ParticipantRole.AGENT;
        firstHeard.put(key, role);
        return role;
    }

    /** True when the file says nobody spoke the utterance: no speaker label, no channel, no role. */
    private static boolean unlabelled(Utterance u) {
        return u.speaker() == null && u.channel() == null && u.role() == null;
    }

    /** The one refusal of a transcript without speakers, for every format; names the first utterance in file order. */
    private static TranscriptException nobodySaidWhoSpoke(ParsedTranscript parsed, String shownAs) {
        Utterance first = parsed.utterances().get(0);
        int count = parsed.utterances().size();
        String none = count == 1 ? "its one utterance, " + first.where() + ", has" : "none of its " + count + " utterances, from "
                + first.where() + " on, has";
        String how = switch (parsed.format()) {
            case AWS_TRANSCRIBE -> " (Amazon Transcribe gives them with ShowSpeakerLabels or ChannelIdentification)";
            case DEEPGRAM -> " (Deepgram gives them with diarize=true, or multichannel=true on a recording with a channel per side)";
            case ASSEMBLYAI -> " (AssemblyAI gives them with speaker_labels=true or multichannel=true)";
            case WEBVTT -> " (a cue names its speaker with <v Name> or a Name: prefix)";
            case SRT -> " (a cue names its speaker with a Name: or [Name] prefix)";
            default -> "";
        };
        return new TranscriptException(field(first), shownAs + " (" + parsed.format().id() + ") " + NOBODY_SAID_WHO_SPOKE + ": " + none
                + " a speaker label or a channel" + how + ". If the whole transcript is one side of the call, name that side with "
                + "transcript.speakers.unlabelled: AGENT or USER in the job file");
    }

    /** Bluejay JSON names its fields, so a problem there names the field too. */
    private static String suffix(ParsedTranscript parsed, String which) {
        return parsed.format() == TranscriptFormat.BLUEJAY ? "." + which + "_offset_ms" : "";
    }

    private static String field(Utterance u) {
        return TranscriptParser.field(u.where());
    }

    private static TranscriptException unmapped(Utterance u, @Nullable String who, String setting, String shownAs) {
        return new TranscriptException(field(u), u.where() + ": speaker " + (who == null ? "(none given)" : "'" + who + "'")
                + " is not mapped to AGENT or USER; set " + setting + ", in " + shownAs);
    }
}
