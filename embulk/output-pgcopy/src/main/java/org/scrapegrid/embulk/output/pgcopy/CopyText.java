package org.scrapegrid.embulk.output.pgcopy;

import java.util.List;
import org.embulk.spi.Column;
import org.embulk.spi.PageReader;

/** One record as a line of COPY's text format: tab-separated, \N for NULL, backslash escapes. */
final class CopyText {
    private CopyText() {}

    static void appendRow(final StringBuilder line, final PageReader reader, final List<Column> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) line.append('\t');
            final Column column = columns.get(i);
            if (reader.isNull(column)) {
                line.append("\\N");
                continue;
            }
            switch (column.getType().getName()) {
                case "boolean": line.append(reader.getBoolean(column) ? 't' : 'f'); break;
                case "long": line.append(reader.getLong(column)); break;
                // Double.toString round-trips every double; PostgreSQL reads its exponent form and NaN/Infinity.
                case "double": line.append(Double.toString(reader.getDouble(column))); break;
                case "string": appendEscaped(line, reader.getString(column)); break;
                // ISO 8601 in UTC with nanoseconds: timestamptz keeps the instant (to microseconds).
                case "timestamp": line.append(reader.getTimestampInstant(column).toString()); break;
                case "json": appendEscaped(line, reader.getJsonValue(column).toJson()); break;
                default: throw new IllegalArgumentException("no COPY text for Embulk type " + column.getType().getName());
            }
        }
        line.append('\n');
    }

    static void appendEscaped(final StringBuilder line, final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '\\': line.append("\\\\"); break;
                case '\n': line.append("\\n"); break;
                case '\r': line.append("\\r"); break;
                case '\t': line.append("\\t"); break;
                default: line.append(c);
            }
        }
    }
}
