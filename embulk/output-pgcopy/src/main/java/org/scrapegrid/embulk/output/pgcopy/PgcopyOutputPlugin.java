package org.scrapegrid.embulk.output.pgcopy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.embulk.config.ConfigDiff;
import org.embulk.config.ConfigException;
import org.embulk.config.ConfigSource;
import org.embulk.config.TaskReport;
import org.embulk.config.TaskSource;
import org.embulk.spi.OutputPlugin;
import org.embulk.spi.Schema;
import org.embulk.spi.TransactionalPageOutput;
import org.embulk.util.config.Config;
import org.embulk.util.config.ConfigDefault;
import org.embulk.util.config.ConfigMapper;
import org.embulk.util.config.ConfigMapperFactory;
import org.embulk.util.config.Task;
import org.embulk.util.config.TaskMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads records into a PostgreSQL table, all or nothing. Every task COPYs its pages into one staging
 * table; when every task has committed, a single transaction moves the rows to the target:
 * <ul>
 *   <li>{@code insert}: creates the target when missing, then {@code INSERT INTO target SELECT … FROM
 *   staging}. A rerun after a failed run loads the records exactly once, because a failed run left
 *   nothing in the target.</li>
 *   <li>{@code replace}: drops the target and renames the staging table into its place, so the
 *   table holds exactly the records of the last successful run, however often it is rerun.</li>
 * </ul>
 * The staging table is dropped on every failure path.
 */
public final class PgcopyOutputPlugin implements OutputPlugin {
    public interface PluginTask extends Task {
        @Config("host")
        @ConfigDefault("\"localhost\"")
        String getHost();

        @Config("port")
        @ConfigDefault("5432")
        int getPort();

        @Config("user")
        String getUser();

        @Config("password")
        @ConfigDefault("\"\"")
        String getPassword();

        @Config("database")
        String getDatabase();

        @Config("schema")
        @ConfigDefault("\"public\"")
        String getSchema();

        @Config("table")
        String getTable();

        @Config("mode")
        @ConfigDefault("\"insert\"")
        String getMode();

        @Config("connect_timeout")
        @ConfigDefault("30")
        int getConnectTimeout();

        String getStagingTable();

        void setStagingTable(String stagingTable);
    }

    @Override
    public ConfigDiff transaction(final ConfigSource config, final Schema schema, final int taskCount, final Control control) {
        final PluginTask task = CONFIG_MAPPER.map(config, PluginTask.class);
        final String mode = task.getMode().toLowerCase(Locale.ROOT);
        if (!mode.equals("insert") && !mode.equals("replace")) {
            throw new ConfigException("out.mode: must be insert or replace, not " + task.getMode());
        }
        task.setStagingTable(stagingName(task.getTable()));
        final String target = Sql.qualified(task.getSchema(), task.getTable());
        final String staging = Sql.qualified(task.getSchema(), task.getStagingTable());
        try (Connection connection = connect(task)) {
            try {
                execute(connection, "CREATE TABLE " + staging + " (" + Sql.columnDefinitions(schema) + ")");
                connection.commit();
                logger.info("Copying {} task(s) into staging table {}", taskCount, staging);
                final List<TaskReport> reports = control.run(task.toTaskSource());
                long rows = 0;
                for (final TaskReport report : reports) rows += report.get(Long.class, "rows", 0L);
                if (mode.equals("replace")) {
                    execute(connection, "DROP TABLE IF EXISTS " + target);
                    execute(connection, "ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(task.getTable()));
                } else {
                    execute(connection, "CREATE TABLE IF NOT EXISTS " + target + " (" + Sql.columnDefinitions(schema) + ")");
                    final String columns = Sql.columnNames(schema);
                    execute(connection, "INSERT INTO " + target + " (" + columns + ") SELECT " + columns + " FROM " + staging);
                    execute(connection, "DROP TABLE " + staging);
                }
                connection.commit();
                logger.info("Loaded {} row(s) into {} (mode {})", rows, target, mode);
            } catch (final RuntimeException | SQLException e) {
                rollbackAndDrop(connection, staging);
                throw e;
            }
        } catch (final SQLException e) {
            throw new PgcopyException(describe(e), e);
        }
        return CONFIG_MAPPER_FACTORY.newConfigDiff();
    }

    @Override
    public ConfigDiff resume(final TaskSource taskSource, final Schema schema, final int taskCount, final Control control) {
        throw new UnsupportedOperationException("pgcopy output does not support resuming");
    }

    @Override
    public void cleanup(final TaskSource taskSource, final Schema schema, final int taskCount, final List<TaskReport> successTaskReports) {}

    @Override
    public TransactionalPageOutput open(final TaskSource taskSource, final Schema schema, final int taskIndex) {
        final PluginTask task = TASK_MAPPER.map(taskSource, PluginTask.class);
        try {
            return new PgcopyPageOutput(connect(task), Sql.qualified(task.getSchema(), task.getStagingTable()), schema);
        } catch (final SQLException e) {
            throw new PgcopyException(describe(e), e);
        }
    }

    static Connection connect(final PluginTask task) throws SQLException {
        final Properties properties = new Properties();
        properties.setProperty("user", task.getUser());
        properties.setProperty("password", task.getPassword());
        properties.setProperty("connectTimeout", Integer.toString(task.getConnectTimeout()));
        properties.setProperty("ApplicationName", "embulk-output-pgcopy");
        final String url = "jdbc:postgresql://" + task.getHost() + ":" + task.getPort() + "/" + task.getDatabase();
        final Connection connection = new org.postgresql.Driver().connect(url, properties);
        connection.setAutoCommit(false);
        return connection;
    }

    /** The driver's message, with PostgreSQL's SQLSTATE: enough to act on, and it never holds the password. */
    static String describe(final SQLException e) {
        return e.getSQLState() == null ? e.getMessage() : e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")";
    }

    // --- internal ---

    private static void execute(final Connection connection, final String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void rollbackAndDrop(final Connection connection, final String staging) {
        try {
            connection.rollback();
            execute(connection, "DROP TABLE IF EXISTS " + staging);
            connection.commit();
        } catch (final SQLException e) {
            logger.warn("Could not drop staging table {}: {}", staging, describe(e));
        }
    }

    private static String stagingName(final String table) {
        final byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        final StringBuilder suffix = new StringBuilder("_pgcopy_");
        for (final byte b : bytes) suffix.append(String.format("%02x", b));
        // PostgreSQL truncates identifiers past 63 bytes: keep the random suffix whole.
        final String head = table.length() > 63 - suffix.length() ? table.substring(0, 63 - suffix.length()) : table;
        return head + suffix;
    }

    private static final Logger logger = LoggerFactory.getLogger(PgcopyOutputPlugin.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final ConfigMapperFactory CONFIG_MAPPER_FACTORY = ConfigMapperFactory.builder().addDefaultModules().build();
    private static final ConfigMapper CONFIG_MAPPER = CONFIG_MAPPER_FACTORY.createConfigMapper();
    private static final TaskMapper TASK_MAPPER = CONFIG_MAPPER_FACTORY.createTaskMapper();
}
