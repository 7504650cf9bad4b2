using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RingRift.P2P.Node.Import;

/// <summary>
/// Import/ holds <c>import-queue</c>: reading the original orchestrator's work queue and planning what to add.
/// One row of the original's <c>work_items</c> table, its values as stored (SQLite keeps whatever type was
/// written, so nothing is converted here).
/// </summary>
public sealed record OriginalWorkRow(string WorkId, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>The row's status as the original writes it (pending, claimed, running, completed, failed, timeout, cancelled).</summary>
    public string Status => Text("status") ?? "pending";

    /// <summary>The column's value as text, null when absent or NULL.</summary>
    public string? Text(string column) => Values.TryGetValue(column, out var value) && value is not null and not DBNull
        ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Reads the original orchestrator's SQLite work queue (<c>work_queue.db</c>, table <c>work_items</c>), read-only.
/// Columns the original added later (<c>depends_on</c>) may be missing; <c>work_id</c>, <c>work_type</c> and
/// <c>status</c> must be there.
/// </summary>
public static class OriginalQueueFile
{
    /// <summary>The columns without which a row means nothing.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = ["work_id", "work_type", "status"];

    /// <summary>Every row, in the table's order. A missing file, a file that is not SQLite or a table that is not the original's throws <see cref="OriginalQueueException"/>.</summary>
    public static IReadOnlyList<OriginalWorkRow> Read(string path)
    {
        if (!File.Exists(path))
            throw new OriginalQueueException($"--from '{path}': no such file");
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var db = new SqliteConnection(connection);
            db.Open();
            var columns = Columns(db);
            if (columns.Count == 0)
                throw new OriginalQueueException($"--from '{path}' has no work_items table: is it the original orchestrator's work_queue.db?");
            if (RequiredColumns.FirstOrDefault(c => !columns.Contains(c)) is { } missing)
                throw new OriginalQueueException($"--from '{path}': table work_items has no {missing} column, so it is not the original orchestrator's work queue");

            using var select = db.CreateCommand();
            select.CommandText = "SELECT * FROM work_items ORDER BY rowid";
            using var reader = select.ExecuteReader();
            var rows = new List<OriginalWorkRow>();
            while (reader.Read())
            {
                var values = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                    values[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(new OriginalWorkRow(Convert.ToString(values["work_id"], CultureInfo.InvariantCulture) ?? "", values));
            }
            return rows;
        }
        catch (SqliteException ex)
        {
            throw new OriginalQueueException($"--from '{path}' cannot be read as a SQLite database: {ex.Message}");
        }
    }

    private static HashSet<string> Columns(SqliteConnection db)
    {
        using var info = db.CreateCommand();
        info.CommandText = "SELECT name FROM pragma_table_info('work_items')";
        using var reader = info.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }
}

/// <summary>The <c>--from</c> file cannot be read as the original's work queue (the message says why); exit code 2.</summary>
public sealed class OriginalQueueException(string message) : Exception(message);
