using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Moves work that landed in the SQLite fallback queue (while Raft could not serve) into Raft once
/// Raft serves again — exactly once. Runs on the node that owns the SQLite queue (the Bully leader).
/// Per item: claim it in SQLite for <see cref="Claimant"/> (only a pending item can be claimed, so a
/// worker's claim wins over the move), add it to Raft under its own work_id with command id
/// "migrate-&lt;work_id&gt;" (a duplicate id means an earlier attempt already added it), then complete
/// the SQLite copy with result <c>{"moved_to_raft": true}</c>. A crash between the steps leaves the
/// item claimed by <see cref="Claimant"/>, and the next pass finishes it. Items a worker claimed from
/// SQLite during the fallback are left to that worker until their timeout; each pass then requeues
/// the timed-out ones (no other loop sweeps SQLite while Raft serves), and the next pass moves them.
/// </summary>
public sealed class FallbackMigrator(HybridCoordinator coordinator, RaftService raft, BullyElection election, QuorumWorkQueue quorum,
    PeerClient client, TimeProvider time, ILogger<FallbackMigrator> logger) : PeriodicService(time, logger)
{
    /// <summary>The SQLite claimant of items being moved.</summary>
    public const string Claimant = "raft-migration";

    /// <summary>Most items moved per pass: 500.</summary>
    public const int BatchSize = 500;

    private static readonly TimeSpan AddTimeout = TimeSpan.FromSeconds(5);

    protected override TimeSpan Period => TimeSpan.FromSeconds(1);

    /// <summary>Items moved since start.</summary>
    public long Moved { get; private set; }

    protected override async Task StepAsync(CancellationToken ct)
    {
        if (!raft.Enabled || coordinator.Path != ConsensusPath.Raft || raft.Node is not { IsReady: true }) return;
        if (!election.IsLeader || quorum.ActiveEpoch != election.Snapshot.Epoch) return;
        var moved = 0;
        try
        {
            await quorum.RequeueTimedOutAsync(ct);
            var stuck = (await quorum.ListWorkAsync(WorkStatus.Claimed, BatchSize, ct)).Where(i => i.ClaimedBy == Claimant);
            var pending = await quorum.ListWorkAsync(WorkStatus.Pending, BatchSize, ct);
            foreach (var item in stuck.Concat(pending.OrderBy(i => i.CreatedAt)))
            {
                if (item.Status == WorkStatus.Pending && !await quorum.ClaimWorkAsync(item.WorkId, Claimant, ct)) continue;
                await AddToRaftAsync(item, ct);
                await quorum.CompleteWorkAsync(item.WorkId, new JsonObject { ["moved_to_raft"] = true }, Claimant, ct);
                moved++;
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.FallbackMoveFailed(error.Message);
        }
        if (moved > 0)
        {
            Moved += moved;
            logger.FallbackItemsMoved(moved);
        }
    }

    private async Task AddToRaftAsync(WorkItem item, CancellationToken ct)
    {
        var work = new NewWork
        {
            WorkId = item.WorkId,
            WorkType = item.WorkType,
            Priority = item.Priority,
            Config = item.Config,
            MaxAttempts = item.MaxAttempts,
            TimeoutSeconds = item.TimeoutSeconds,
        };
        var commandId = "migrate-" + item.WorkId;
        if (raft.Node is { IsLeader: true } && raft.Queue is { } queue)
        {
            try { await queue.AddWorkAsync(work, commandId, ct); }
            catch (DuplicateWorkException) { /* added by an earlier attempt */ }
            return;
        }
        if (raft.Node?.LeaderHttpAddress is not { } leader)
            throw new InvalidOperationException($"no Raft leader to move '{item.WorkId}' to");
        var body = System.Text.Json.JsonSerializer.SerializeToNode(work, P2PJson.Options)!.AsObject();
        body["command_id"] = commandId;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{leader}/work/add"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        client.Token.Apply(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(AddTimeout);
        using var response = await client.Http.SendAsync(request, cts.Token);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict) return; // 409: already there
        throw new InvalidOperationException($"Raft leader {leader} answered {(int)response.StatusCode} to moving '{item.WorkId}'");
    }
}
