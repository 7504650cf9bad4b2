using Microsoft.Data.Sqlite;
using RingRift.P2P.Models;

namespace RingRift.P2P.Sqlite;

/// <summary>
/// The writer connection's statements, prepared once and reused with new parameter values.
/// Used only under <see cref="SqliteWorkQueue"/>'s write lock, so it needs no locking itself.
/// </summary>
internal sealed class WriterCommands : IDisposable
{
    /// <summary>SQL for the next version: max(highest stored + 1, $version_floor).</summary>
    private const string NextVersionSql = "MAX((SELECT highest FROM version_clock WHERE id = 1) + 1, $version_floor)";

    private const string ClaimSet =
        "status = 1, claimed_by = $node_id, claimed_at = $now, attempts = attempts + 1, version = " + NextVersionSql;

    /// <summary>The deadline expression; must match ix_work_items_deadline exactly for the sweep to use it.</summary>
    internal const string DeadlineSql = "IFNULL(started_at, IFNULL(claimed_at, created_at)) + timeout_seconds";

    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _all = [];
    private readonly Dictionary<string, SqliteCommand> _claimNext = new(StringComparer.Ordinal);

    /// <summary>Most claim-next statements kept prepared (one per distinct set of types); beyond it the cache starts over.</summary>
    private const int MaxClaimNextStatements = 256;

    public WriterCommands(SqliteConnection connection)
    {
        _connection = connection;
        Begin = Create("BEGIN IMMEDIATE");
        Commit = Create("COMMIT");
        Rollback = Create("ROLLBACK");
        Savepoint = Create("SAVEPOINT write_command");
        ReleaseSavepoint = Create("RELEASE write_command");
        RollbackToSavepoint = Create("ROLLBACK TO write_command");
        HighestVersion = Create("SELECT highest FROM version_clock WHERE id = 1");
        SelectById = Create($"SELECT {WorkItemRow.Columns} FROM work_items WHERE work_id = $work_id", "$work_id");

        Insert = Create(
            $"INSERT INTO work_items ({WorkItemRow.Columns}) VALUES ({WorkItemRow.Parameters}) ON CONFLICT (work_id) DO NOTHING");
        WorkItemRow.AddParameters(Insert);

        var assignments = string.Join(", ", WorkItemRow.Columns.Split(", ").Skip(1).Select(c => $"{c} = ${c}"));
        Update = Create($"UPDATE work_items SET {assignments} WHERE work_id = $work_id");
        WorkItemRow.AddParameters(Update);

        var fromExcluded = string.Join(", ", WorkItemRow.Columns.Split(", ").Skip(1).Select(c => $"{c} = excluded.{c}"));
        UpsertNewer = Create(
            $"INSERT INTO work_items ({WorkItemRow.Columns}) VALUES ({WorkItemRow.Parameters}) " +
            $"ON CONFLICT (work_id) DO UPDATE SET {fromExcluded} WHERE excluded.version > work_items.version");
        WorkItemRow.AddParameters(UpsertNewer);

        ClaimById = Create(
            $"UPDATE work_items SET {ClaimSet} WHERE work_id = $work_id AND status = 0 AND waiting = 0",
            "$work_id", "$node_id", "$now", "$version_floor");

        WaitingOn = Create(
            $"SELECT {WorkItemRow.Columns} FROM work_items INDEXED BY ix_work_items_waiting " +
            "WHERE waiting = 1 AND status = 0 AND EXISTS (SELECT 1 FROM json_each(depends_on) WHERE value = $work_id) ORDER BY work_id",
            "$work_id");
        DependencyStatus = Create("SELECT status FROM work_items WHERE work_id = $work_id", "$work_id");

        DeleteFinished = Create("DELETE FROM work_items WHERE work_id = $work_id AND version = $version AND status >= 3", "$work_id", "$version");
        DeleteUpTo = Create("DELETE FROM work_items WHERE work_id = $work_id AND version <= $version", "$work_id", "$version");
        DependedOn = Create(DependedOnSql);

        DueForTimeout = Create(
            $"SELECT {WorkItemRow.Columns} FROM work_items " +
            $"WHERE status IN (1, 2) AND {DeadlineSql} <= $now " +
            "ORDER BY work_id",
            "$now");
    }

    public SqliteCommand Begin { get; }
    public SqliteCommand Commit { get; }
    public SqliteCommand Rollback { get; }
    public SqliteCommand Savepoint { get; }
    public SqliteCommand ReleaseSavepoint { get; }
    public SqliteCommand RollbackToSavepoint { get; }
    /// <summary>Scalar: highest version ever stored, 0 when none.</summary>
    public SqliteCommand HighestVersion { get; }
    public SqliteCommand SelectById { get; }
    /// <summary>Insert of a full row; 0 rows changed when the id exists.</summary>
    public SqliteCommand Insert { get; }
    /// <summary>Overwrite of every column of the row with $work_id.</summary>
    public SqliteCommand Update { get; }
    /// <summary>Insert, or overwrite when the given version is greater; 1 row changed when stored.</summary>
    public SqliteCommand UpsertNewer { get; }
    /// <summary>Pending items still waiting on $work_id, in work id order.</summary>
    public SqliteCommand WaitingOn { get; }
    /// <summary>Scalar: the status of $work_id, null when absent.</summary>
    public SqliteCommand DependencyStatus { get; }
    /// <summary>Claims $work_id for $node_id when pending; 1 row changed on success.</summary>
    public SqliteCommand ClaimById { get; }
    /// <summary>Claimed / running rows whose (started_at ?? claimed_at) + timeout_seconds &lt;= $now.</summary>
    public SqliteCommand DueForTimeout { get; }
    /// <summary>Deletes $work_id when it is finished and still at $version; 1 row changed when deleted.</summary>
    public SqliteCommand DeleteFinished { get; }
    /// <summary>Deletes $work_id when its version is at most $version (a replica's pushed deletion); 1 row changed when deleted.</summary>
    public SqliteCommand DeleteUpTo { get; }
    /// <summary>The work ids that unfinished items depend on (one column).</summary>
    public SqliteCommand DependedOn { get; }

    /// <summary>
    /// The ids unfinished (pending, claimed, running) items depend on: never pruned, since a dependent whose
    /// dependency is missing waits for it for ever. A walk over the rows that have dependencies.
    /// </summary>
    internal const string DependedOnSql =
        "SELECT DISTINCT d.value FROM work_items w, json_each(w.depends_on) d WHERE w.depends_on IS NOT NULL AND w.status < 3";

    /// <summary>
    /// The claim-next statement for a set of work types (null = any): picks the first pending row in
    /// (priority desc, created_at, work_id) order and claims it, returning the claimed row. Built once
    /// per distinct set.
    /// </summary>
    public SqliteCommand ClaimNext(IReadOnlyList<JobType>? types)
    {
        var key = types is null ? "" : string.Join(',', types.Select(t => t.Name));
        if (_claimNext.TryGetValue(key, out var command))
            return command;
        if (_claimNext.Count >= MaxClaimNextStatements)
        {
            foreach (var old in _claimNext.Values)
            {
                _all.Remove(old);
                old.Dispose();
            }
            _claimNext.Clear();
        }
        command = Create(
            $"UPDATE work_items SET {ClaimSet} WHERE work_id = ({PickNextSql(types)}) AND status = 0 AND waiting = 0 RETURNING {WorkItemRow.Columns}",
            "$node_id", "$now", "$version_floor");
        _claimNext.Add(key, command);
        return command;
    }

    /// <summary>
    /// The id of the best pending item among <paramref name="types"/> (null = any). Each type is
    /// read from the head of its own partial index and the heads compared, so the pick is
    /// O(types × log n) rather than a scan. INDEXED BY pins the partial indexes: on a small or
    /// un-analysed table the planner would otherwise pick the status index and sort every pending
    /// row. Types are inlined as literals (<see cref="WorkItemRow.Literal"/>) so the partial-index WHERE matches.
    /// </summary>
    internal static string PickNextSql(IReadOnlyList<JobType>? types)
    {
        const string order = "ORDER BY priority DESC, created_at, work_id LIMIT 1";
        if (types is null || types.Count == 0)
            return $"SELECT work_id FROM work_items INDEXED BY ix_work_items_pending WHERE status = 0 AND waiting = 0 {order}";
        if (types.Count == 1)
            return $"SELECT work_id FROM work_items INDEXED BY ix_work_items_pending_type WHERE status = 0 AND waiting = 0 AND work_type = {WorkItemRow.Literal(types[0])} {order}";
        var heads = types.Select(t =>
            $"SELECT * FROM (SELECT work_id, priority, created_at FROM work_items INDEXED BY ix_work_items_pending_type WHERE status = 0 AND waiting = 0 AND work_type = {WorkItemRow.Literal(t)} {order})");
        return $"SELECT work_id FROM ({string.Join(" UNION ALL ", heads)}) {order}";
    }

    private SqliteCommand Create(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        _all.Add(command);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _all)
            command.Dispose();
        _all.Clear();
        _claimNext.Clear();
    }
}
