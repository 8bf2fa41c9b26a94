package dev.calleval.report;

/** The look of {@code report.html}: its inline style sheet and the colours of its charts. */
final class ReportStyle {
    static final String GREEN = "#2e7d32";
    static final String RED = "#c62828";
    static final String GREY = "#9aa5b1";
    static final String BLUE = "#1e63b4";
    static final String LIGHT_BLUE = "#7fb2e5";

    private ReportStyle() {}

    static final String CSS = """
            :root{color-scheme:light}
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2933;background:#fff;margin:0 auto;max-width:1200px;padding:24px 32px}
            h1{font-size:26px;margin:0 0 12px}h2{font-size:20px;margin:0 0 8px;border-bottom:1px solid #e4e7eb;padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
            section{margin:28px 0}p{margin:6px 0 10px}code{font-family:"DejaVu Sans Mono",monospace;font-size:13px;background:#f3f5f7;padding:1px 4px;border-radius:3px}
            table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:4px 10px 4px 0}
            table.facts th{color:#52606d;font-weight:600;padding-right:18px}
            table.figures th,table.figures td{border-bottom:1px solid #e4e7eb;padding:4px 14px 4px 0}
            table.calls,table.rejects{width:100%;font-size:13px}
            table.calls thead th,table.rejects thead th{position:sticky;top:0;background:#f3f5f7;border-bottom:2px solid #cbd2d9;padding:6px 8px}
            table.calls td,table.rejects td{border-bottom:1px solid #e4e7eb;padding:5px 8px}table.calls thead th{white-space:nowrap}
            td.sid{min-width:10em;overflow-wrap:anywhere}
            td.n{text-align:right;font-variant-numeric:tabular-nums}td.id{font-family:"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
            .status,.state{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e4e7eb;color:#1f2933;vertical-align:middle}
            .status-COMPLETED,.state-EVALUATED{background:#d7f0da;color:#1b5e20}.status-FAILED,.state-FAILED,.state-REJECTED{background:#fbd5d5;color:#8a1c1c}
            .state-INCOMPLETE,.state-OVERDUE,.status-STOPPED{background:#fdecc8;color:#7a4b00}.state-SUBMITTED,.status-STARTED{background:#d6e6fa;color:#123e73}
            .state-PENDING{background:#eadcf3;color:#4a1f66}.state-NOT_SAMPLED{background:#eceff1;color:#455a64}.state-DEFERRED{background:#e0e4f6;color:#283593}
            .good{color:#1b5e20;font-weight:600}.bad{color:#b71c1c;font-weight:600}.na{color:#9aa5b1}.error{color:#8a1c1c}
            .empty,.note{color:#52606d}.chart{display:block;max-width:100%;height:auto;margin:6px 0}
            ul.metrics{margin:0;padding-left:16px}details summary{cursor:pointer;color:#1e63b4}
            table.calls tr:has(+ tr.transcript) td{border-bottom:none;padding-bottom:1px}table.calls tr.transcript td{padding-top:0}
            ol.transcript{margin:6px 0;padding-left:0;list-style:none;max-width:60em}ol.transcript li{margin:2px 0}
            .t{color:#7b8794;font-family:"DejaVu Sans Mono",monospace;font-size:11px}.speaker-AGENT{color:#1e63b4}.speaker-USER{color:#7a4b00}
            .ref{font-size:12px;word-break:break-all}footer{color:#7b8794;font-size:12px;border-top:1px solid #e4e7eb;padding-top:8px;margin-top:32px}
            @media print{table.calls thead th{position:static}}
            """;
}
