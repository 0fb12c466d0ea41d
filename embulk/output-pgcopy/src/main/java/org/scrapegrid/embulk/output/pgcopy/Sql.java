package org.scrapegrid.embulk.output.pgcopy;

import java.util.StringJoiner;
import org.embulk.spi.Column;
import org.embulk.spi.Schema;

/** SQL text for the plugin: quoted identifiers and the column types Embulk's types map to. */
final class Sql {
    private Sql() {}

    static String identifier(final String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String qualified(final String schema, final String table) {
        return identifier(schema) + "." + identifier(table);
    }

    static String columnNames(final Schema schema) {
        final StringJoiner joiner = new StringJoiner(", ");
        for (final Column column : schema.getColumns()) joiner.add(identifier(column.getName()));
        return joiner.toString();
    }

    static String columnDefinitions(final Schema schema) {
        final StringJoiner joiner = new StringJoiner(", ");
        for (final Column column : schema.getColumns()) {
            joiner.add(identifier(column.getName()) + " " + sqlType(column.getType().getName()));
        }
        return joiner.toString();
    }

    /** Timestamps keep their instant (timestamptz); json becomes jsonb, which PostgreSQL can index and compare. */
    static String sqlType(final String embulkType) {
        switch (embulkType) {
            case "boolean": return "boolean";
            case "long": return "bigint";
            case "double": return "double precision";
            case "string": return "text";
            case "timestamp": return "timestamp with time zone";
            case "json": return "jsonb";
            default: throw new IllegalArgumentException("no PostgreSQL type for Embulk type " + embulkType);
        }
    }
}
