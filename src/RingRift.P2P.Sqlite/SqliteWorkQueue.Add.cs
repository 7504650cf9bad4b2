using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>
    /// Validates <paramref name="work"/> (<see cref="NewWork.Validate"/>) and stores it as pending
    /// with <c>created_at</c> = now. A missing id becomes <c>"w-" + 32 hex digits</c>.
    /// </summary>
    /// <exception cref="DuplicateWorkException">An item with this id exists (in any status).</exception>
    /// <exception cref="ArgumentException">A dependency is not in the queue, or has failed or been cancelled.</exception>
    public async Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        work.Validate();
        var workId = work.WorkId ?? NewWorkId();
        var config = (JsonObject?)work.Config?.DeepClone() ?? new JsonObject();

        return await WriteAsync(() =>
        {
            if (NewWork.RefuseDependencies(work.DependsOn, StatusOf) is { } refusal)
                throw new ArgumentException(refusal, "depends_on");
            var item = new WorkItem
            {
                WorkId = workId,
                WorkType = work.WorkType,
                Priority = work.Priority,
                Config = config,
                MaxAttempts = work.MaxAttempts,
                Attempts = work.Attempts,
                TimeoutSeconds = work.TimeoutSeconds,
                DependsOn = work.DependsOn,
                CreatedAt = Now(),
                Version = NextVersion(),
            };
            WorkItemRow.Bind(_commands.Insert, item);
            if (_commands.Insert.ExecuteNonQuery() == 0)
                throw new DuplicateWorkException(workId);
            return item;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The stored status of <paramref name="workId"/>, null when absent. Call from a write command.</summary>
    private WorkStatus? StatusOf(string workId)
    {
        var read = _commands.DependencyStatus;
        read.Parameters["$work_id"].Value = workId;
        return read.ExecuteScalar() is long status ? (WorkStatus)status : null;
    }

    /// <summary>A fresh id: "w-" and a random GUID as 32 lower-case hex digits.</summary>
    private static string NewWorkId() => "w-" + Guid.NewGuid().ToString("N");
}
