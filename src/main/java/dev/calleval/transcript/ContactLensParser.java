package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Amazon Transcribe Call Analytics (post-call) output and Amazon Connect Contact Lens post-call analysis files:
 * an object with {@code Transcript[]} of {@code {Id, BeginOffsetMillis, EndOffsetMillis, Content, ParticipantRole}}
 * (Contact Lens files may give {@code ParticipantId} instead, resolved through the top-level
 * {@code Participants[] {ParticipantId, ParticipantRole}}), inside the job envelope ({@code JobStatus},
 * {@code LanguageCode}, {@code AccountId}, {@code Channel}, {@code Participants},
 * {@code ConversationCharacteristics}, …), which is not read otherwise.
 *
 * <p>Offsets are integer milliseconds from the start of the call, taken as they are. The role is the format's:
 * {@code AGENT} → AGENT, {@code CUSTOMER} → USER; any other participant (e.g. {@code SYSTEM}) is kept as a speaker
 * label for the job's speaker mapping. {@code ConversationCharacteristics.TotalConversationDurationMillis}, when
 * present, is the call's duration for the converter's range checks. No tool calls.
 *
 * <p>Errors name the entry, e.g. {@code transcript.Transcript[3].BeginOffsetMillis}: an offset that is missing or
 * not whole milliseconds, a missing {@code Content}, an entry with neither {@code ParticipantRole} nor
 * {@code ParticipantId}. Stateless and thread-safe.
 */
final class ContactLensParser implements TranscriptParser {
    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.CONTACT_LENS;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        JsonNode json = input.json();
        if (json == null || !json.isObject()) {
            return false;
        }
        JsonNode transcript = json.path("Transcript");
        if (!transcript.isArray()) {
            return false;
        }
        if (transcript.isEmpty()) {
            return json.has("JobStatus") || json.has("ConversationCharacteristics");
        }
        JsonNode first = transcript.get(0);
        return first.isObject() && first.has("BeginOffsetMillis") && first.has("Content");
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        String shownAs = input.shownAs();
        JsonNode root = input.json();
        JsonNode entries = root == null ? null : root.path("Transcript");
        if (entries == null || !entries.isArray()) {
            throw new TranscriptException("transcript", shownAs + " has no Transcript list: not Call Analytics or Contact Lens output");
        }
        Map<String, String> roleById = rolesById(root.path("Participants"));
        List<Utterance> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String where = "Transcript[" + i + "]";
            JsonNode entry = entries.get(i);
            if (entry == null || !entry.isObject()) {
                throw new TranscriptException(TranscriptParser.field(where), where + " is " + Times.describe(entry)
                        + ", expected an object, in " + shownAs);
            }
            String participant = participant(entry, roleById, where, shownAs);
            ParticipantRole role = switch (participant.strip().toUpperCase(Locale.ROOT)) {
                case "AGENT" -> ParticipantRole.AGENT;
                case "CUSTOMER" -> ParticipantRole.USER;
                default -> null;
            };
            out.add(new Utterance(where, participant, null, role, Times.msField(entry, "BeginOffsetMillis", where, shownAs),
                    Times.msField(entry, "EndOffsetMillis", where, shownAs), content(entry, where, shownAs), null));
        }
        return new ParsedTranscript(format(), out, List.of(), durationMs(root, shownAs));
    }

    private static Map<String, String> rolesById(JsonNode participants) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : participants) {
            if (p.path("ParticipantId").isString() && p.path("ParticipantRole").isString()) {
                out.put(p.path("ParticipantId").asString(), p.path("ParticipantRole").asString());
            }
        }
        return out;
    }

    /** The entry's ParticipantRole; else its ParticipantId's role in Participants[]; else the ParticipantId itself. */
    private static String participant(JsonNode entry, Map<String, String> roleById, String where, String shownAs) throws TranscriptException {
        JsonNode role = entry.get("ParticipantRole");
        if (role != null && role.isString() && !role.asString().isBlank()) {
            return role.asString();
        }
        JsonNode id = entry.get("ParticipantId");
        if (id != null && id.isString() && !id.asString().isBlank()) {
            return roleById.getOrDefault(id.asString(), id.asString());
        }
        throw new TranscriptException(TranscriptParser.field(where) + ".ParticipantRole", where + " has no ParticipantRole (ParticipantRole is "
                + Times.describe(role) + ", ParticipantId is " + Times.describe(id) + "), in " + shownAs);
    }

    private static String content(JsonNode entry, String where, String shownAs) throws TranscriptException {
        JsonNode value = entry.get("Content");
        if (value == null || !value.isString()) {
            throw new TranscriptException(TranscriptParser.field(where) + ".Content", where + ".Content is " + Times.describe(value)
                    + ", expected the utterance's text, in " + shownAs);
        }
        return value.asString();
    }

    private static @Nullable Long durationMs(JsonNode root, String shownAs) throws TranscriptException {
        JsonNode characteristics = root.path("ConversationCharacteristics");
        if (!characteristics.isObject() || characteristics.path("TotalConversationDurationMillis").isMissingNode()
                || characteristics.path("TotalConversationDurationMillis").isNull()) {
            return null;
        }
        return Times.msField(characteristics, "TotalConversationDurationMillis", "ConversationCharacteristics", shownAs);
    }
}
