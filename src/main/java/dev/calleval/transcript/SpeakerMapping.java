package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How utterances get their speaker, AGENT or USER (job file {@code transcript.speakers}).
 *
 * <ul>
 *   <li>{@link Strategy#AUTO} (default): the role the format states (Contact Lens, Vapi, Retell, Bluejay); else a
 *       label listed in {@code labels}; else a label that names a role ({@code agent}, {@code assistant},
 *       {@code bot} → AGENT; {@code customer}, {@code caller}, {@code user} → USER); else the channel (0 → AGENT,
 *       1 → USER, or as in {@code channels}); else, when those rules give the file's other speakers one role only
 *       (an agent voice "Nora (Northwind AI)"), the other role (the customer "Lena Novak"); else who spoke first
 *       (→ {@code firstSpeaker});</li>
 *   <li>{@link Strategy#LABEL}: only {@code labels}; an unlisted label is an error;</li>
 *   <li>{@link Strategy#CHANNEL}: only the channel, through {@code channels} (default 0 → AGENT, 1 → USER);</li>
 *   <li>{@link Strategy#FIRST_SPEAKER}: the first speaker heard is {@code firstSpeaker}, the second the other role;
 *       a third speaker is an error.</li>
 * </ul>
 *
 * <p>An utterance for which the file gives no speaker label, no channel and no role says nobody spoke it. With
 * {@code unlabelled} set, every such utterance gets that role, whatever the strategy. Without it, a transcript none of
 * whose utterances says who spoke is refused by the converter ({@link TranscriptConverter#NOBODY_SAID_WHO_SPOKE}), in
 * every format; in a transcript where others do, such an utterance goes through the strategy as the speaker
 * "(no speaker)".
 *
 * @param labels provider label → role, compared case-insensitively
 * @param fillerWords an utterance made only of these words (case and punctuation ignored) is a filler utterance,
 *     unless the format itself says
 * @param unlabelled the role of utterances the file says nobody spoke (job file {@code transcript.speakers.unlabelled}),
 *     or null to refuse a transcript that does not say who spoke
 */
public record SpeakerMapping(Strategy strategy, Map<String, ParticipantRole> labels, Map<Integer, ParticipantRole> channels,
        ParticipantRole firstSpeaker, List<String> fillerWords, @Nullable ParticipantRole unlabelled) {

    /** How speakers are mapped; see the record's documentation. */
    public enum Strategy { AUTO, LABEL, CHANNEL, FIRST_SPEAKER }

    /** Filler words used when a job lists none. */
    public static final List<String> DEFAULT_FILLER_WORDS = List.of("um", "uh", "uhm", "erm", "hmm", "mm", "mhm", "ah", "oh",
            "okay", "ok", "so", "well", "right", "yeah", "one moment", "let me check", "just a moment", "let me see");

    private static final Set<String> AGENT_WORDS = Set.of("agent", "assistant", "bot", "ai", "representative", "rep", "system");
    private static final Set<String> USER_WORDS = Set.of("user", "customer", "caller", "client", "human", "patient", "contact");

    public SpeakerMapping {
        Map<String, ParticipantRole> lower = new TreeMap<>();
        labels.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        labels = Map.copyOf(lower);
        channels = Map.copyOf(channels);
        // longest first, so that "let me check" is removed before "let"; sorted once, not per utterance
        fillerWords = fillerWords.stream().map(w -> normalize(w)).filter(w -> !w.isEmpty())
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    /** A mapping that refuses a transcript that does not say who spoke ({@code unlabelled} null). */
    public SpeakerMapping(Strategy strategy, Map<String, ParticipantRole> labels, Map<Integer, ParticipantRole> channels,
            ParticipantRole firstSpeaker, List<String> fillerWords) {
        this(strategy, labels, channels, firstSpeaker, fillerWords, null);
    }

    /** This mapping with utterances nobody is said to have spoken given {@code role} (null: refuse such a transcript). */
    public SpeakerMapping withUnlabelled(@Nullable ParticipantRole role) {
        return new SpeakerMapping(strategy, labels, channels, firstSpeaker, fillerWords, role);
    }

    /** AUTO, no labels, channel 0 the agent, the agent speaks first, the default filler words. */
    public static SpeakerMapping defaults() {
        return new SpeakerMapping(Strategy.AUTO, Map.of(), Map.of(), ParticipantRole.AGENT, DEFAULT_FILLER_WORDS);
    }

    /** The role a label names by itself ({@code Agent}, {@code Customer}), if any. */
    static @Nullable ParticipantRole roleNamedBy(@Nullable String label) {
        if (label == null) {
            return null;
        }
        String word = label.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", " ").strip();
        for (String part : word.split("\\s+")) {
            if (AGENT_WORDS.contains(part)) {
                return ParticipantRole.AGENT;
            }
            if (USER_WORDS.contains(part)) {
                return ParticipantRole.USER;
            }
        }
        return null;
    }

    /** True when the text consists only of filler words or phrases. */
    public boolean isFiller(String text) {
        String normalized = normalize(text);
        if (normalized.isEmpty()) {
            return false;
        }
        int firstSpace = normalized.indexOf(' ');
        String first = firstSpace < 0 ? normalized : normalized.substring(0, firstSpace);
        boolean mayBeFiller = false;
        for (String filler : fillerWords) {
            mayBeFiller |= containsWord(filler, first);
        }
        if (!mayBeFiller) {
            return false; // most utterances: their first word is in no filler, so it can never be removed
        }
        String rest = " " + normalized + " ";
        for (String filler : fillerWords) {
            rest = rest.replace(" " + filler + " ", "  ").replace(" " + filler + " ", "  ");
        }
        return rest.isBlank();
    }

    /** Whether {@code word} is one of the space-separated words of {@code phrase}. */
    private static boolean containsWord(String phrase, String word) {
        for (int at = phrase.indexOf(word); at >= 0; at = phrase.indexOf(word, at + 1)) {
            int end = at + word.length();
            if ((at == 0 || phrase.charAt(at - 1) == ' ') && (end == phrase.length() || phrase.charAt(end) == ' ')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lower case, every character but letters, numbers and apostrophes made a space, runs of spaces made one, no
     * leading or trailing space: what {@code replaceAll("[^\\p{L}\\p{N}' ]", " ").replaceAll("\\s+", " ").strip()}
     * gives, without two regular expressions per utterance (it runs for every utterance of every call).
     */
    static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean space = true; // at the start: drop leading spaces
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\'' || isLetterOrNumber(cp)) {
                out.appendCodePoint(cp);
                space = false;
            } else if (!space) {
                out.append(' ');
                space = true;
            }
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') {
            out.setLength(end - 1);
        }
        return out.toString();
    }

    /** {@code \\p{L}} or {@code \\p{N}}. */
    private static boolean isLetterOrNumber(int cp) {
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }
}
