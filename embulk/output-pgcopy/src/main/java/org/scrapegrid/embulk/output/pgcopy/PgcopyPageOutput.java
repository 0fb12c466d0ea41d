package org.scrapegrid.embulk.output.pgcopy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.embulk.config.TaskReport;
import org.embulk.spi.Column;
import org.embulk.spi.Page;
import org.embulk.spi.PageReader;
import org.embulk.spi.Schema;
import org.embulk.spi.TransactionalPageOutput;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One task: its pages are streamed into the staging table through a single COPY in PostgreSQL's
 * text format, on its own connection. finish() ends the COPY and commits it: Embulk may close a task's
 * output before it asks for the task report, and the staging table keeps the run all or nothing anyway.
 */
final class PgcopyPageOutput implements TransactionalPageOutput {
    PgcopyPageOutput(final Connection connection, final String staging, final Schema schema) throws SQLException {
        this.connection = connection;
        this.columns = schema.getColumns();
        this.reader = new PageReader(schema);
        try {
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + staging + " (" + Sql.columnNames(schema) + ") FROM STDIN");
        } catch (final SQLException e) {
            close();
            throw e;
        }
    }

    @Override
    public void add(final Page page) {
        reader.setPage(page);
        final StringBuilder line = new StringBuilder();
        try {
            while (reader.nextRecord()) {
                line.setLength(0);
                CopyText.appendRow(line, reader, columns);
                final byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                rows++;
            }
        } catch (final SQLException e) {
            throw new PgcopyException(PgcopyOutputPlugin.describe(e), e);
        }
    }

    @Override
    public void finish() {
        try {
            copy.endCopy();
            connection.commit();
        } catch (final SQLException e) {
            throw new PgcopyException(PgcopyOutputPlugin.describe(e), e);
        }
    }

    @Override
    public void close() {
        reader.close();
        try {
            connection.close();
        } catch (final SQLException e) {
            // Closing after commit or abort: nothing left to save.
        }
    }

    @Override
    public void abort() {
        try {
            if (copy != null && copy.isActive()) copy.cancelCopy();
            connection.rollback();
        } catch (final SQLException e) {
            // The connection may be gone already; the transaction dies with it.
        }
    }

    @Override
    public TaskReport commit() {
        final TaskReport report = PgcopyOutputPlugin.CONFIG_MAPPER_FACTORY.newTaskReport();
        report.set("rows", rows);
        return report;
    }

    private final Connection connection;
    private final List<Column> columns;
    private final PageReader reader;
    private CopyIn copy;
    private long rows;
}
