using RingRift.P2P.Loops;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// The <c>raft</c> loop of a Raft member: every <see cref="Interval"/> a linearizable read through
/// the Raft member (a read barrier: the leader confirms its term with a majority, a follower asks the
/// leader for the commit index and waits until it has applied it). A read that cannot complete within
/// the interval, or a member that could not start, is a failed run, so a member cut off from its
/// leader or its quorum shows as failing within three intervals.
/// </summary>
public sealed class RaftProbeLoop(RaftService raft, TimeProvider time, LoopRegistry loops, ILogger<RaftProbeLoop> logger)
    : PeriodicService(time, loops, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override TimeSpan Period => Interval;

    public override string LoopName => "raft";

    protected override async Task StepAsync(CancellationToken ct)
    {
        if (raft.Node is not { } node)
        {
            if (raft.FailureReason is { } reason) throw new InvalidOperationException(reason);
            return; // stopping
        }
        using var timeout = new CancellationTokenSource(Interval, Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await node.ReadAsync(state => state.LastAppliedIndex, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"no linearizable read within {Interval.TotalSeconds:0.#} s (leader: {node.LeaderId ?? "none"}, term {node.Status().Term})");
        }
    }
}
