package dev.calleval.transcript;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Amazon Transcribe batch output ({@code {jobName, accountId, status, results: {transcripts, items, ...}}}), with
 * speaker diarization or channel identification. Times are strings of seconds ({@code "4.87"}), converted exactly.
 *
 * <p>Utterances come from, in this order of preference:
 * <ol>
 *   <li>{@code results.audio_segments[]} (newer outputs): the provider's own utterances, each
 *       {@code {transcript, start_time, end_time, speaker_label | channel_label}}; blank ones are skipped;</li>
 *   <li>otherwise the words: {@code results.items[]} when they carry {@code speaker_label} or {@code channel_label};
 *       else {@code results.channel_labels.channels[].items[]} (older channel-identification outputs); else
 *       {@code results.items[]} with the speaker looked up in {@code results.speaker_labels.segments[].items[]} by
 *       start time (older diarization outputs); else {@code results.items[]} with no speaker. A
 *       {@code pronunciation} item needs {@code start_time}, {@code end_time} and {@code alternatives[0].content};
 *       a {@code punctuation} item has no time and is appended to the word before it. Words in time order are
 *       grouped into one utterance while the speaker (or channel) stays the same and the silence between two words
 *       is at most {@link #PAUSE_SPLIT_MS}; a longer pause starts a new utterance of the same speaker.</li>
 * </ol>
 * Speaker labels ({@code spk_0}) are kept as the utterance's speaker for the job's speaker mapping. A channel
 * ({@code ch_0}, {@code ch_1}) becomes the utterance's channel with no speaker label, so that the default mapping
 * uses it (channel 0 the agent); map channels with {@code transcript.speakers.channels}. The format states no
 * roles, no tool calls and no call duration.
 *
 * <p>Errors name the entry, e.g. {@code transcript.results.items[12].start_time}: a time that is missing or not
 * a number, a word that ends before it starts, an item of unknown type or without content, a channel label other
 * than {@code ch_<n>}. Stateless and thread-safe.
 */
final class AwsTranscribeParser implements TranscriptParser {
    /** A silence between two words of the same speaker longer than this (ms) starts a new utterance. */
    static final long PAUSE_SPLIT_MS = 1500;

    private static final Pattern CHANNEL = Pattern.compile("ch_(\\d{1,2})");

    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.AWS_TRANSCRIBE;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        JsonNode json = input.json();
        if (json == null || !json.isObject()) {
            return false;
        }
        JsonNode results = json.path("results");
        return results.isObject() && results.path("transcripts").isArray() && results.path("items").isArray();
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        JsonNode root = input.json();
        JsonNode results = root == null ? null : root.path("results");
        if (results == null || !results.isObject() || !results.path("items").isArray()) {
            throw new TranscriptException("transcript", input.shownAs() + " has no results.items list: not Amazon Transcribe output");
        }
        JsonNode segments = results.path("audio_segments");
        List<Utterance> utterances = segments.isArray() && !segments.isEmpty()
                ? audioSegments(segments, input.shownAs())
                : group(words(results, input.shownAs()));
        return new ParsedTranscript(format(), utterances, List.of(), null);
    }

    private static List<Utterance> audioSegments(JsonNode segments, String shownAs) throws TranscriptException {
        List<Utterance> out = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            String where = "results.audio_segments[" + i + "]";
            JsonNode segment = object(segments.get(i), where, shownAs);
            String text = string(segment, "transcript", where, shownAs).strip();
            if (text.isEmpty()) {
                continue;
            }
            Label label = label(segment, where, shownAs);
            out.add(new Utterance(where, label.speaker(), label.channel(), null, Times.secondsField(segment, "start_time", where, shownAs),
                    Times.secondsField(segment, "end_time", where, shownAs), text, null));
        }
        return out;
    }

    /** A word with the punctuation that follows it, and its speaker or channel. */
    private record Word(String where, Label label, long startMs, long endMs, StringBuilder text) {}

    private record Label(@Nullable String speaker, @Nullable Integer channel) {
        static final Label NONE = new Label(null, null);
    }

    private static List<Word> words(JsonNode results, String shownAs) throws TranscriptException {
        JsonNode items = results.path("items");
        if (labelled(items)) {
            return itemWords(items, "results.items", null, Map.of(), shownAs);
        }
        JsonNode channels = results.path("channel_labels").path("channels");
        if (channels.isArray() && !channels.isEmpty()) {
            List<Word> words = new ArrayList<>();
            for (int c = 0; c < channels.size(); c++) {
                String where = "results.channel_labels.channels[" + c + "]";
                JsonNode channel = object(channels.get(c), where, shownAs);
                Label label = label(channel, where, shownAs);
                JsonNode channelItems = channel.path("items");
                if (!channelItems.isArray()) {
                    throw new TranscriptException(TranscriptParser.field(where) + ".items", where + ".items is "
                            + Times.describe(channel.get("items")) + ", expected a list of items, in " + shownAs);
                }
                words.addAll(itemWords(channelItems, where + ".items", label, Map.of(), shownAs));
            }
            words.sort(Comparator.comparingLong(Word::startMs));
            return words;
        }
        return itemWords(items, "results.items", null, speakersByStart(results, shownAs), shownAs);
    }

    private static boolean labelled(JsonNode items) {
        for (JsonNode item : items) {
            if (item.hasNonNull("speaker_label") || item.hasNonNull("channel_label")) {
                return true;
            }
        }
        return false;
    }

    /** Older diarization outputs: each word's speaker is in speaker_labels.segments[].items[], keyed by start time. */
    private static Map<Long, String> speakersByStart(JsonNode results, String shownAs) throws TranscriptException {
        JsonNode segments = results.path("speaker_labels").path("segments");
        Map<Long, String> out = new HashMap<>();
        if (!segments.isArray()) {
            return out;
        }
        for (int s = 0; s < segments.size(); s++) {
            String where = "results.speaker_labels.segments[" + s + "]";
            JsonNode segment = object(segments.get(s), where, shownAs);
            String speaker = string(segment, "speaker_label", where, shownAs);
            JsonNode items = segment.path("items");
            for (int i = 0; i < items.size(); i++) {
                String itemWhere = where + ".items[" + i + "]";
                out.put(Times.secondsField(object(items.get(i), itemWhere, shownAs), "start_time", itemWhere, shownAs), speaker);
            }
        }
        return out;
    }

    private static List<Word> itemWords(JsonNode items, String path, @Nullable Label fixed, Map<Long, String> speakersByStart,
            String shownAs) throws TranscriptException {
        List<Word> words = new ArrayList<>();
        Word last = null;
        for (int i = 0; i < items.size(); i++) {
            String where = path + "[" + i + "]";
            JsonNode item = object(items.get(i), where, shownAs);
            String content = content(item, where, shownAs);
            String type = item.path("type").isString() ? item.path("type").asString() : "";
            switch (type) {
                case "punctuation" -> {
                    if (last != null) {
                        last.text().append(content);
                    }
                }
                case "pronunciation" -> {
                    long start = Times.secondsField(item, "start_time", where, shownAs);
                    long end = Times.secondsField(item, "end_time", where, shownAs);
                    if (end < start) {
                        throw new TranscriptException(TranscriptParser.field(where) + ".end_time", where + " ends at " + end
                                + " ms (end_time " + Times.describe(item.get("end_time")) + "), before it starts at " + start
                                + " ms, in " + shownAs);
                    }
                    Label label = fixed != null ? fixed : item.hasNonNull("speaker_label") || item.hasNonNull("channel_label")
                            ? label(item, where, shownAs) : new Label(speakersByStart.get(start), null);
                    last = new Word(where, label, start, end, new StringBuilder(content));
                    words.add(last);
                }
                default -> throw new TranscriptException(TranscriptParser.field(where) + ".type", where + ".type is "
                        + Times.describe(item.get("type")) + ", expected \"pronunciation\" or \"punctuation\", in " + shownAs);
            }
        }
        return words;
    }

    private static List<Utterance> group(List<Word> words) {
        List<Utterance> out = new ArrayList<>();
        for (List<Word> turn : Turns.of(words, (previous, word) -> Objects.equals(word.label(), previous.label())
                && word.startMs() - previous.endMs() <= PAUSE_SPLIT_MS)) {
            out.add(utterance(turn));
        }
        return out;
    }

    private static Utterance utterance(List<Word> words) {
        StringBuilder text = new StringBuilder();
        long end = 0;
        for (Word word : words) {
            text.append(text.isEmpty() ? "" : " ").append(word.text());
            end = Math.max(end, word.endMs());
        }
        Word first = words.get(0);
        return new Utterance(first.where(), first.label().speaker(), first.label().channel(), null, first.startMs(), end,
                text.toString(), null);
    }

    private static Label label(JsonNode node, String where, String shownAs) throws TranscriptException {
        JsonNode channel = node.get("channel_label");
        if (channel != null && !channel.isNull()) {
            Matcher m = channel.isString() ? CHANNEL.matcher(channel.asString().strip()) : null;
            if (m == null || !m.matches()) {
                throw new TranscriptException(TranscriptParser.field(where) + ".channel_label", where + ".channel_label is "
                        + Times.describe(channel) + ", expected ch_0, ch_1, …, in " + shownAs);
            }
            return new Label(null, Integer.valueOf(m.group(1)));
        }
        JsonNode speaker = node.get("speaker_label");
        if (speaker != null && !speaker.isNull()) {
            return new Label(string(node, "speaker_label", where, shownAs), null);
        }
        return Label.NONE;
    }

    private static String content(JsonNode item, String where, String shownAs) throws TranscriptException {
        JsonNode alternatives = item.path("alternatives");
        if (!alternatives.isArray() || alternatives.isEmpty()) {
            throw new TranscriptException(TranscriptParser.field(where) + ".alternatives", where + ".alternatives is "
                    + Times.describe(item.get("alternatives")) + ", expected a list holding the word's content, in " + shownAs);
        }
        String at = where + ".alternatives[0]";
        return string(object(alternatives.get(0), at, shownAs), "content", at, shownAs);
    }

    private static JsonNode object(@Nullable JsonNode node, String where, String shownAs) throws TranscriptException {
        if (node == null || !node.isObject()) {
            throw new TranscriptException(TranscriptParser.field(where), where + " is " + Times.describe(node) + ", expected an object, in " + shownAs);
        }
        return node;
    }

    private static String string(JsonNode node, String name, String where, String shownAs) throws TranscriptException {
        JsonNode value = node.get(name);
        if (value == null || !value.isString()) {
            throw new TranscriptException(TranscriptParser.field(where) + "." + name, where + "." + name + " is " + Times.describe(value)
                    + ", expected a string, in " + shownAs);
        }
        return value.asString();
    }
}
