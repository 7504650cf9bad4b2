using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Models;

namespace RingRift.P2P.Sqlite;

/// <summary>Maps <c>work_items</c> rows to <see cref="WorkItem"/> and back; the column order is fixed here.</summary>
internal static class WorkItemRow
{
    /// <summary>Every column, in the order <see cref="Read"/> expects.</summary>
    public const string Columns =
        "work_id, work_type, priority, config, status, claimed_by, attempts, max_attempts, timeout_seconds, " +
        "created_at, claimed_at, started_at, completed_at, result, error, version, depends_on";

    /// <summary>Parameter names matching <see cref="Columns"/>, for inserts.</summary>
    public const string Parameters =
        "$work_id, $work_type, $priority, $config, $status, $claimed_by, $attempts, $max_attempts, $timeout_seconds, " +
        "$created_at, $claimed_at, $started_at, $completed_at, $result, $error, $version, $depends_on";

    public static WorkItem Read(SqliteDataReader reader) => new()
    {
        WorkId = reader.GetString(0),
        WorkType = ReadType(reader, 1),
        Priority = reader.GetInt32(2),
        Config = ParseObject(reader.GetString(3)) ?? new JsonObject(),
        Status = (WorkStatus)reader.GetInt32(4),
        ClaimedBy = reader.IsDBNull(5) ? null : reader.GetString(5),
        Attempts = reader.GetInt32(6),
        MaxAttempts = reader.GetInt32(7),
        TimeoutSeconds = reader.GetDouble(8),
        CreatedAt = reader.GetDouble(9),
        ClaimedAt = reader.IsDBNull(10) ? null : reader.GetDouble(10),
        StartedAt = reader.IsDBNull(11) ? null : reader.GetDouble(11),
        CompletedAt = reader.IsDBNull(12) ? null : reader.GetDouble(12),
        Result = reader.IsDBNull(13) ? null : ParseObject(reader.GetString(13)),
        Error = reader.IsDBNull(14) ? null : reader.GetString(14),
        Version = reader.GetInt64(15),
        DependsOn = reader.IsDBNull(16) ? WorkDependencies.None
            : System.Text.Json.JsonSerializer.Deserialize(reader.GetString(16), P2PJson.Options.Contract<WorkDependencies>()) ?? WorkDependencies.None,
    };

    /// <summary>Reads every row the command returns.</summary>
    public static List<WorkItem> ReadAll(SqliteCommand command)
    {
        var items = new List<WorkItem>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            items.Add(Read(reader));
        return items;
    }

    /// <summary>Reads the single row the command returns, or null; always drains the statement so it completes.</summary>
    public static WorkItem? ReadSingle(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var item = reader.Read() ? Read(reader) : null;
        while (reader.Read())
        {
            // step to the end so a write statement with RETURNING completes before the reader closes
        }
        return item;
    }

    /// <summary>
    /// How a work type is stored in the <c>work_type</c> column: a built-in type as its number (0–3, as
    /// every earlier version wrote it, so existing databases need no migration), any other type as its name.
    /// </summary>
    public static object Stored(JobType type) => type.IsBuiltIn ? type.BuiltInIndex : type.Name;

    /// <summary>The same value as a SQL literal (names are <c>[a-z][a-z0-9_]*</c>, so quoting is all they need).</summary>
    public static string Literal(JobType type) => type.IsBuiltIn ? type.BuiltInIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"'{type.Name}'";

    public static JobType ReadType(SqliteDataReader reader, int column) => reader.GetValue(column) switch
    {
        long number when JobType.TryFromBuiltInIndex((int)number, out var builtIn) => builtIn,
        string name when JobType.TryParse(name, out var named) => named,
        var other => throw new InvalidDataException($"work_type '{other}' in the queue database is neither a built-in type number nor a type name"),
    };

    /// <summary>Binds every field of <paramref name="item"/> to the <see cref="Parameters"/> names.</summary>
    public static void Bind(SqliteCommand command, WorkItem item)
    {
        var p = command.Parameters;
        p["$work_id"].Value = item.WorkId;
        p["$work_type"].Value = Stored(item.WorkType);
        p["$priority"].Value = item.Priority;
        p["$config"].Value = ToJson(item.Config) ?? "{}";
        p["$status"].Value = (int)item.Status;
        p["$claimed_by"].Value = (object?)item.ClaimedBy ?? DBNull.Value;
        p["$attempts"].Value = item.Attempts;
        p["$max_attempts"].Value = item.MaxAttempts;
        p["$timeout_seconds"].Value = item.TimeoutSeconds;
        p["$created_at"].Value = item.CreatedAt;
        p["$claimed_at"].Value = (object?)item.ClaimedAt ?? DBNull.Value;
        p["$started_at"].Value = (object?)item.StartedAt ?? DBNull.Value;
        p["$completed_at"].Value = (object?)item.CompletedAt ?? DBNull.Value;
        p["$result"].Value = (object?)ToJson(item.Result) ?? DBNull.Value;
        p["$error"].Value = (object?)item.Error ?? DBNull.Value;
        p["$version"].Value = item.Version;
        p["$depends_on"].Value = item.DependsOn.Count == 0 ? DBNull.Value
            : System.Text.Json.JsonSerializer.Serialize(item.DependsOn, P2PJson.Options.Contract<WorkDependencies>());
    }

    /// <summary>Adds the <see cref="Parameters"/> to a command (values bound later by <see cref="Bind"/>).</summary>
    public static void AddParameters(SqliteCommand command)
    {
        foreach (var name in Parameters.Split(", "))
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
    }

    /// <summary>JSON text of an object in the wire options; null stays null.</summary>
    public static string? ToJson(JsonObject? value) => value?.ToJsonString(P2PJson.Options);

    private static JsonObject? ParseObject(string json) => JsonNode.Parse(json) as JsonObject;
}
