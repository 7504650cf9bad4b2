using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Drives the Bully election every tick and keeps the work queue's leadership in step with it:
/// a node that holds the lease takes the queue over (fence + sync a majority) and serves it only
/// while its lease is valid at that epoch.
/// </summary>
public sealed class ElectionLoop(
    BullyElection election,
    BullyOptions electionOptions,
    QuorumWorkQueue queue,
    PeerTable peers,
    NodeMembership membership,
    NodeOptions options,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<ElectionLoop> logger) : PeriodicService(time, loops, logger)
{
    private readonly long _startedAt = time.GetTimestamp();
    private Task _activation = Task.CompletedTask;
    private bool _settled;

    /// <summary>
    /// A node takes part in elections once it has heard from (or sees alive in the active membership
    /// view, or was told by its goodbye that it left) every peer it was told about and has no unresolved
    /// seed, or after one PeerTimeout — so a starting node does not campaign before it knows who is alive
    /// (which would only burn epochs). Incoming lease requests are answered from the start. The peer
    /// table is filled before this loop starts (<see cref="HeartbeatService"/> is registered first and
    /// loads it while starting), so "every peer" is never the empty set of a table not yet loaded.
    /// </summary>
    private bool Settled()
    {
        if (_settled) return true;
        _settled = IsSettled(Time.GetElapsedTime(_startedAt), options.Config.PeerTimeout, membership.UnresolvedSeedCount, peers.Peers, membership.IsPeerAlive);
        return _settled;
    }

    /// <summary>The rule of <see cref="Settled"/>: one PeerTimeout since start, or no unresolved seed and every known peer heard, departed or alive.</summary>
    internal static bool IsSettled(TimeSpan sinceStart, TimeSpan peerTimeout, int unresolvedSeeds, IEnumerable<PeerRecord> known, Func<string, bool> isAlive) =>
        sinceStart >= peerTimeout || (unresolvedSeeds == 0 && known.All(p => p.EverHeard || p.Departed || isAlive(p.NodeId)));

    protected override TimeSpan Period => electionOptions.TickInterval;

    public override string LoopName => "election";

    /// <summary>
    /// One tick, and more within the same period at the end of each back-off that ends before the next regular
    /// tick (a pre-vote that found the dead leader's grants ending in a few hundred milliseconds): the campaign
    /// then starts as those grants end, not at the next regular tick. Every back-off lasts at least
    /// <see cref="BullyElection.GrantEndMargin"/>, and each extra tick asks the voters once.
    /// </summary>
    protected override async Task StepAsync(CancellationToken ct)
    {
        if (!Settled()) return;
        var started = Time.GetTimestamp();
        await election.TickAsync(ct);
        AlignQueue(ct);
        while (election.NextCampaignIn is { } wait && Time.GetElapsedTime(started) + wait < Period)
        {
            await Task.Delay(wait, Time, ct);
            await election.TickAsync(ct);
            AlignQueue(ct);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Deactivate();
        try
        {
            if (election.IsLeader) await election.StepDownAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.StepDownFailed(ex.Message);
        }
        await base.StopAsync(cancellationToken);
    }

    private void AlignQueue(CancellationToken ct)
    {
        var snapshot = election.Snapshot;
        if (!election.IsLeader)
        {
            if (queue.ActiveEpoch is not null)
            {
                queue.Deactivate();
                logger.StoppedServing();
            }
            return;
        }
        if (queue.ActiveEpoch == snapshot.Epoch || !_activation.IsCompleted) return;
        var epoch = snapshot.Epoch;
        _activation = Task.Run(async () =>
        {
            try
            {
                if (!await queue.ActivateAsync(epoch, ct))
                    logger.TakeOverPending(epoch);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.TakeOverFailed(ex, epoch);
            }
        }, ct);
    }
}
