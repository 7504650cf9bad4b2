using RingRift.P2P.Election;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Samples, every few milliseconds until stopped, which nodes of an <see cref="InProcessCluster"/> act
/// as leader at one instant (each node's own clock-exact check), keeping the most seen at once and the
/// first node other than <c>first</c> seen acting alone.
/// </summary>
public sealed class LeaderSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<Sample> _loop;
    private volatile Sample _observed;

    private LeaderSampler(InProcessCluster cluster, ClusterNode first)
    {
        _observed = new Sample(0, null, first.Election.IsLeader, WillLead(first));
        _loop = Task.Run(() => LoopAsync(cluster, first, _stop.Token));
    }

    /// <param name="MostAtOnce">The most nodes seen acting as leader at one instant.</param>
    /// <param name="NewLeader">The first node other than <c>first</c> seen acting as the only leader.</param>
    /// <param name="FirstStillLeads">Whether <c>first</c> acted as leader at the latest sample.</param>
    /// <param name="FirstWillLead">Whether <c>first</c>, at the latest sample, would tell a lower voter's probe that it
    /// will lead: false once it neither leads nor heard from a majority in its last two campaigns or pre-votes.</param>
    public sealed record Sample(int MostAtOnce, string? NewLeader, bool FirstStillLeads, bool FirstWillLead);

    /// <summary>The samples so far.</summary>
    public Sample Observed => _observed;

    public static LeaderSampler Start(InProcessCluster cluster, ClusterNode first) => new(cluster, first);

    /// <summary>Stops sampling and returns the samples of the whole run.</summary>
    public async Task<Sample> StopAsync()
    {
        await _stop.CancelAsync();
        return await _loop;
    }

    private async Task<Sample> LoopAsync(InProcessCluster cluster, ClusterNode first, CancellationToken stop)
    {
        while (true)
        {
            var acting = cluster.ActingLeaders();
            var previous = _observed;
            _observed = new Sample(
                Math.Max(previous.MostAtOnce, acting.Count),
                previous.NewLeader ?? (acting.Count == 1 && acting[0] != first ? acting[0].Id : null),
                acting.Contains(first),
                WillLead(first));
            if (stop.IsCancellationRequested) return _observed; // the last sample is taken after the stop was asked
            try { await Task.Delay(10, stop); } // pacing of the sampling, not a wait for a condition
            catch (OperationCanceledException) { }
        }
    }

    private static bool WillLead(ClusterNode node) => node.Election.HandleProbe(new ElectionProbe("node-0", 0)).WillLead;

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
