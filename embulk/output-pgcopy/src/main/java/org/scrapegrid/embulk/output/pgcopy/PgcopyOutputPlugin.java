package org.scrapegrid.embulk.output.pgcopy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 *   <li>{@code replace_shard} (with {@code shard}): the target holds the rows of many shards (the
 *   pods of a Kubernetes Indexed Job), each tagged with its number in {@code shard_column}. One
 *   transaction deletes this shard's rows and inserts the staged ones tagged with it, so the table
 *   holds exactly the records of each shard's last successful run: a retried shard loads its
 *   records once, and no other shard's row is touched. Shards finishing together take turns on a
 *   transaction-scoped advisory lock on the table's name (the table is created by the first one).</li>
 * </ul>
 * The staging table is dropped on every failure path; a run killed outright leaves it behind, and in
 * {@code replace_shard} the next successful run of the same shard drops it.
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

        /** The shard whose rows this run replaces (mode replace_shard only). */
        @Config("shard")
        @ConfigDefault("null")
        Optional<Long> getShard();

        @Config("shard_column")
        @ConfigDefault("\"scrape_shard\"")
        String getShardColumn();

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
        if (!mode.equals("insert") && !mode.equals("replace") && !mode.equals(REPLACE_SHARD)) {
            throw new ConfigException("out.mode: must be insert, replace or replace_shard, not " + task.getMode());
        }
        if (mode.equals(REPLACE_SHARD) != task.getShard().isPresent()) {
            throw new ConfigException("out.shard: required with mode replace_shard, and only with it");
        }
        if (task.getShard().isPresent()) checkShard(task, schema);
        task.setStagingTable(stagingName(task));
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
                if (mode.equals(REPLACE_SHARD)) {
                    replaceShard(connection, task, schema);
                } else if (mode.equals("replace")) {
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

    private static final String REPLACE_SHARD = "replace_shard";

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

    private static void checkShard(final PluginTask task, final Schema schema) {
        if (task.getShard().get() < 0) throw new ConfigException("out.shard: must be 0 or more, not " + task.getShard().get());
        for (final org.embulk.spi.Column column : schema.getColumns()) {
            if (column.getName().equals(task.getShardColumn())) {
                throw new ConfigException("out.shard_column: " + task.getShardColumn() + " is also a column of the records; choose another name");
            }
        }
    }

    /**
     * Under the table's advisory lock, in the caller's transaction: create the table (with the shard
     * column) when missing, add the shard column to a table that lacks it, drop what killed runs of
     * this shard left in staging, delete this shard's rows, insert the staged ones tagged with it.
     */
    private static void replaceShard(final Connection connection, final PluginTask task, final Schema schema) throws SQLException {
        final String target = Sql.qualified(task.getSchema(), task.getTable());
        final String staging = Sql.qualified(task.getSchema(), task.getStagingTable());
        final String shardColumn = Sql.identifier(task.getShardColumn());
        final long shard = task.getShard().get();
        // Shards finishing at once would race on CREATE TABLE IF NOT EXISTS; taking turns also keeps a
        // second attempt of the same shard (a replaced pod) from interleaving its delete and insert.
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "scrapegrid.pgcopy:" + task.getSchema() + "." + task.getTable());
            lock.execute();
        }
        execute(connection, "CREATE TABLE IF NOT EXISTS " + target + " (" + Sql.columnDefinitions(schema) + ", " + shardColumn + " bigint NOT NULL)");
        // ALTER TABLE takes an exclusive lock that would block every reader: only when the column is missing.
        if (!hasColumn(connection, task.getSchema(), task.getTable(), task.getShardColumn())) {
            execute(connection, "ALTER TABLE " + target + " ADD COLUMN " + shardColumn + " bigint");
        }
        for (final String stale : staleStagingTables(connection, task)) {
            logger.info("Dropping staging table {} left by an earlier run of shard {}", stale, shard);
            execute(connection, "DROP TABLE IF EXISTS " + Sql.qualified(task.getSchema(), stale));
        }
        final String columns = Sql.columnNames(schema);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + target + " WHERE " + shardColumn + " = ?")) {
            delete.setLong(1, shard);
            final int deleted = delete.executeUpdate();
            if (deleted > 0) logger.info("Replacing {} row(s) of shard {} in {}", deleted, shard, target);
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + target + " (" + columns + ", " + shardColumn + ") SELECT " + columns + ", ? FROM " + staging)) {
            insert.setLong(1, shard);
            insert.executeUpdate();
        }
        execute(connection, "DROP TABLE " + staging);
    }

    private static boolean hasColumn(final Connection connection, final String schema, final String table, final String column) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?")) {
            query.setString(1, schema);
            query.setString(2, table);
            query.setString(3, column);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Staging tables of this shard other than this run's: left by a run that was killed outright. */
    private static List<String> staleStagingTables(final Connection connection, final PluginTask task) throws SQLException {
        final String prefix = stagingPrefix(task);
        final List<String> names = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT tablename FROM pg_tables WHERE schemaname = ? AND starts_with(tablename, ?) AND tablename <> ?")) {
            query.setString(1, task.getSchema());
            query.setString(2, prefix);
            query.setString(3, task.getStagingTable());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    final String name = rows.getString(1);
                    // Exactly <prefix><8 hex>: never another shard's (the stem ends s1_, not s12_) or table's.
                    if (name.length() == prefix.length() + 8 && name.substring(prefix.length()).matches("[0-9a-f]{8}")) names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * {@code <table>_pgcopy_} and, in replace_shard, {@code s<shard>_}: the same for every run of a
     * shard, so a later run finds what a killed one left. PostgreSQL truncates identifiers past 63
     * bytes: the table's name is cut so that the stem and the 8 random hex digits stay whole.
     */
    private static String stagingPrefix(final PluginTask task) {
        final String stem = "_pgcopy_" + (task.getShard().isPresent() ? "s" + task.getShard().get() + "_" : "");
        final String table = task.getTable();
        final int room = 63 - 8 - stem.length();
        return (table.length() > room ? table.substring(0, room) : table) + stem;
    }

    private static String stagingName(final PluginTask task) {
        final byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        final StringBuilder name = new StringBuilder(stagingPrefix(task));
        for (final byte b : bytes) name.append(String.format("%02x", b));
        return name.toString();
    }

    private static final Logger logger = LoggerFactory.getLogger(PgcopyOutputPlugin.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final ConfigMapperFactory CONFIG_MAPPER_FACTORY = ConfigMapperFactory.builder().addDefaultModules().build();
    private static final ConfigMapper CONFIG_MAPPER = CONFIG_MAPPER_FACTORY.createConfigMapper();
    private static final TaskMapper TASK_MAPPER = CONFIG_MAPPER_FACTORY.createTaskMapper();
}
