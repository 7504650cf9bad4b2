using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>
    /// pending → claimed for <paramref name="nodeId"/> (attempts + 1, claimed_at = now) as one
    /// conditional UPDATE, so of any number of concurrent claimers exactly one gets true.
    /// False when the item is missing or not pending.
    /// </summary>
    public async Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        RequireNodeId(nodeId);
        return await WriteAsync(() =>
        {
            var claim = _commands.ClaimById;
            claim.Parameters["$work_id"].Value = workId;
            BindClaim(claim, nodeId);
            return claim.ExecuteNonQuery() == 1;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims the pending item first in (priority desc, created_at asc, work_id asc) order whose
    /// work_type is in <paramref name="capabilities"/> (null or empty: any type). Null when none.
    /// One UPDATE picks and claims, so no two claimers get the same item.
    /// </summary>
    public async Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default)
    {
        RequireNodeId(nodeId);
        var types = capabilities is null || capabilities.Count == 0 ? null : capabilities.Distinct().Order().ToArray();
        return await WriteAsync(() =>
        {
            var claim = _commands.ClaimNext(types);
            BindClaim(claim, nodeId);
            return WorkItemRow.ReadSingle(claim);
        }, ct).ConfigureAwait(false);
    }

    private void BindClaim(SqliteCommand claim, string nodeId)
    {
        claim.Parameters["$node_id"].Value = nodeId;
        claim.Parameters["$now"].Value = Now();
        claim.Parameters["$version_floor"].Value = VersionFloor;
    }

    private static void RequireNodeId(string nodeId)
    {
        if (string.IsNullOrEmpty(nodeId))
            throw new ArgumentException($"nodeId must be a non-empty node id, got '{nodeId}'", nameof(nodeId));
    }
}
