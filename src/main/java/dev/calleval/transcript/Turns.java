package dev.calleval.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Consecutive words into turns, for the formats that give words rather than utterances (Deepgram, AWS Transcribe,
 * AssemblyAI without {@code utterances}): a word starts a new turn unless {@code sameTurn(previous, word)} (the same
 * speaker or channel, and a pause under the format's split threshold).
 */
final class Turns {
    private Turns() {}

    /** The runs of {@code words}, in order, each non-empty; views of {@code words}. */
    static <W> List<List<W>> of(List<W> words, BiPredicate<W, W> sameTurn) {
        List<List<W>> turns = new ArrayList<>();
        int first = 0;
        for (int i = 1; i <= words.size(); i++) {
            if (i == words.size() || !sameTurn.test(words.get(i - 1), words.get(i))) {
                turns.add(words.subList(first, i));
                first = i;
            }
        }
        return turns;
    }
}
