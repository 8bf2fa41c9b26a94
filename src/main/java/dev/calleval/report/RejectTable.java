package dev.calleval.report;

import dev.calleval.report.ExecutionRecords.RejectionRow;
import java.util.List;

import static dev.calleval.report.Html.count;
import static dev.calleval.report.Html.esc;

/** The rejected rows table of {@code report.html}: where, source id, fields, reason and who refused. */
final class RejectTable {

    private RejectTable() {}

    static void rejectTable(StringBuilder h, List<RejectionRow> rejects, long total) {
        h.append("<section id=\"rejects\"><h2>Rejected rows</h2>");
        if (total == 0) {
            h.append("<p class=\"empty\">None: no row was rejected.</p></section>\n");
            return;
        }
        h.append("<p>").append(total > rejects.size() ? "The first " + count(rejects.size()) + " of " + count(total) + " rejected rows; all are"
                : count(total) + " rows were rejected, never sent (or refused by Bluejay); also").append(" in <a href=\"rejects.csv\">rejects.csv</a>. ")
                .append("Fix each and run the job again: only changed rows are sent.</p>");
        h.append("<table class=\"rejects\"><thead><tr><th>where</th><th>source id</th><th>fields</th><th>reason</th><th>by</th></tr></thead><tbody>\n");
        for (RejectionRow r : rejects) {
            h.append("<tr><td class=\"id\">").append(esc(r.sourceRef())).append("</td><td>").append(esc(r.sourceId() == null ? "–" : r.sourceId()))
                    .append("</td><td class=\"id\">").append(esc(r.fields())).append("</td><td>").append(esc(r.reason())).append("</td><td>")
                    .append(esc(r.origin().equals("API") ? "Bluejay" : r.origin().equals("LOCAL") ? "calleval" : r.origin())).append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");
    }
}
