package dev.calleval.transcript;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A Deepgram pre-recorded response ({@code POST /v1/listen}): {@code {"metadata": {...}, "results": {...}}}.
 *
 * <p>Utterances come from {@code results.utterances[]} (requested with {@code utterances=true}) when the list is there
 * and not empty: {@code start}, {@code end} (seconds), {@code transcript}, {@code channel}, and {@code speaker} with
 * {@code diarize=true}. Otherwise from the words of {@code results.channels[c].alternatives[0].words[]} ({@code start},
 * {@code end}, {@code punctuated_word} or else {@code word}, {@code speaker} with {@code diarize=true}): all channels'
 * words in order of start, a new utterance where the speaker (one channel) or the channel (several) changes, or after
 * a pause of {@value #PAUSE_SPLIT_MS} ms or more (Deepgram's own {@code utt_split} default); the text is the words
 * joined by spaces.
 *
 * <p>Who spoke: with several channels ({@code multichannel=true}: {@code metadata.channels} or {@code results.channels}
 * above one, or an utterance on channel 1 or above) the channel, numbered from 0 as Deepgram does, and no speaker label,
 * so the AUTO mapping gives channel 0 to the agent; diarized speaker numbers within a channel are not used. With one
 * channel the diarized speaker, labelled {@code speaker_0}, {@code speaker_1}, … (map them with
 * {@code transcript.speakers.labels}; AUTO: the first heard is the agent). A single-channel file without speakers
 * ({@code diarize} off) gives utterances without speaker: the converter refuses it as a transcript that does not say
 * who spoke, unless the job names their role.
 *
 * <p>Times: seconds to ms exactly, from the decimal text of each number ({@code 0.29} → 290 ms), rounded half-up to
 * whole ms ({@code 2.3999999} → 2400). {@code metadata.duration} (seconds) is the call's duration. Errors name the
 * entry, e.g. {@code transcript.results.utterances[3].end}, and the file. Stateless and thread-safe.
 */
final class DeepgramParser implements TranscriptParser {
    /** Words further apart than this start a new utterance (Deepgram's {@code utt_split} default, 0.8 s). */
    static final long PAUSE_SPLIT_MS = 800;

    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.DEEPGRAM;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        JsonNode json = input.json();
        if (json == null || !json.isObject() || !json.path("metadata").isObject() || !json.path("results").isObject()) {
            return false;
        }
        JsonNode results = json.get("results");
        JsonNode channels = results.path("channels");
        return results.path("utterances").isArray()
                || channels.isArray() && !channels.isEmpty() && channels.get(0).path("alternatives").isArray();
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        String shownAs = input.shownAs();
        JsonNode root = SpeechJson.object(SpeechJson.exactTree(input), "transcript", shownAs);
        JsonNode metadata = root.path("metadata");
        Long durationMs = null;
        int metadataChannels = 1;
        if (metadata.isObject()) {
            BigDecimal seconds = Times.decimal(metadata.get("duration"));
            durationMs = seconds == null ? null : Times.secondsToMs(seconds);
            Integer channels = SpeechJson.optionalNumber(metadata, "channels", 0, false, "metadata", shownAs);
            metadataChannels = channels == null ? 1 : channels;
        }
        JsonNode results = SpeechJson.object(root.path("results"), "results", shownAs);
        JsonNode channels = results.get("channels");
        boolean multichannel = metadataChannels > 1 || channels != null && channels.isArray() && channels.size() > 1;
        JsonNode utterances = results.get("utterances");
        List<Utterance> out = utterances != null && utterances.isArray() && !utterances.isEmpty()
                ? fromUtterances(utterances, multichannel, shownAs)
                : fromWords(SpeechJson.array(channels, "results.channels", shownAs), multichannel, shownAs);
        return new ParsedTranscript(format(), out, List.of(), durationMs);
    }

    private record Said(String where, @Nullable Integer speaker, int channel, long startMs, long endMs, String text) {}

    private static List<Utterance> fromUtterances(JsonNode utterances, boolean multichannel, String shownAs) throws TranscriptException {
        List<Said> said = new ArrayList<>(utterances.size());
        boolean severalChannels = multichannel;
        for (int i = 0; i < utterances.size(); i++) {
            String where = "results.utterances[" + i + "]";
            JsonNode u = SpeechJson.object(utterances.get(i), where, shownAs);
            Integer channel = SpeechJson.optionalNumber(u, "channel", 0, false, where, shownAs);
            said.add(new Said(where, SpeechJson.optionalNumber(u, "speaker", 0, false, where, shownAs), channel == null ? 0 : channel,
                    Times.secondsField(u, "start", where, shownAs), Times.secondsField(u, "end", where, shownAs),
                    SpeechJson.text(u, "transcript", where, shownAs)));
            severalChannels |= channel != null && channel > 0;
        }
        List<Utterance> out = new ArrayList<>(said.size());
        for (Said s : said) {
            out.add(utterance(s.where(), s, severalChannels, s.text()));
        }
        return out;
    }

    private static List<Utterance> fromWords(JsonNode channels, boolean multichannel, String shownAs) throws TranscriptException {
        List<Said> words = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            String channelWhere = "results.channels[" + c + "]";
            JsonNode channel = SpeechJson.object(channels.get(c), channelWhere, shownAs);
            JsonNode alternatives = SpeechJson.array(channel.get("alternatives"), channelWhere + ".alternatives", shownAs);
            if (alternatives.isEmpty()) {
                continue;
            }
            String alternativeWhere = channelWhere + ".alternatives[0]";
            JsonNode alternative = SpeechJson.object(alternatives.get(0), alternativeWhere, shownAs);
            JsonNode list = SpeechJson.array(alternative.get("words"), alternativeWhere + ".words", shownAs);
            for (int w = 0; w < list.size(); w++) {
                String where = alternativeWhere + ".words[" + w + "]";
                JsonNode word = SpeechJson.object(list.get(w), where, shownAs);
                long start = Times.secondsField(word, "start", where, shownAs);
                long end = Times.secondsField(word, "end", where, shownAs);
                if (end < start) {
                    throw new TranscriptException(TranscriptParser.field(where) + ".end", where + " ends at " + end + " ms, before it starts at "
                            + start + " ms, in " + shownAs);
                }
                String text = word.path("punctuated_word").isString() ? word.get("punctuated_word").asString()
                        : SpeechJson.text(word, "word", where, shownAs);
                words.add(new Said(where, SpeechJson.optionalNumber(word, "speaker", 0, false, where, shownAs), c, start, end, text));
            }
        }
        // all channels' words on one time line; ties keep channel order, then word order (the sort is stable)
        words.sort(Comparator.comparingLong(Said::startMs));
        List<Utterance> out = new ArrayList<>();
        for (List<Said> turn : Turns.of(words, (previous, next) -> sameTurn(previous, next, multichannel))) {
            out.add(group(turn, multichannel));
        }
        return out;
    }

    private static boolean sameTurn(Said previous, Said next, boolean multichannel) {
        boolean sameVoice = multichannel ? previous.channel() == next.channel()
                : Objects.equals(previous.speaker(), next.speaker());
        return sameVoice && next.startMs() - previous.endMs() < PAUSE_SPLIT_MS;
    }

    /** One utterance of consecutive words: {@code where} names the word range, e.g. {@code …words[4..9]}. */
    private static Utterance group(List<Said> words, boolean multichannel) {
        Said first = words.get(0);
        Said last = words.get(words.size() - 1);
        String where = words.size() == 1 ? first.where()
                : first.where().substring(0, first.where().length() - 1) + ".." + last.where().substring(last.where().lastIndexOf('[') + 1);
        StringBuilder text = new StringBuilder();
        long end = first.endMs();
        for (Said w : words) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(w.text());
            end = Math.max(end, w.endMs());
        }
        return utterance(where, new Said(first.where(), first.speaker(), first.channel(), first.startMs(), end, text.toString()),
                multichannel, text.toString());
    }

    private static Utterance utterance(String where, Said s, boolean multichannel, String text) {
        if (multichannel) {
            return new Utterance(where, null, s.channel(), null, s.startMs(), s.endMs(), text, null);
        }
        return new Utterance(where, s.speaker() == null ? null : "speaker_" + s.speaker(), null, null, s.startMs(), s.endMs(), text, null);
    }
}
