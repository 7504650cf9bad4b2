namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// What it takes to place <c>/status</c> samples on the observer's monotonic clock (<see cref="ActingLeaderSample.Observed"/>)
/// when the nodes' own clocks cannot be trusted: the cluster's lease duration (the most lease a leader holds)
/// and, per node id, the slowest and fastest its monotonic clock can run against the observer's (1 and 1 for a
/// node on the host's own clock; every namespace shares the kernel's).
/// </summary>
public sealed record ObserverTiming(TimeSpan LeaseDuration, Func<string, (double Slowest, double Fastest)> RatesOf)
{
    /// <summary>Every node on the kernel's clock (wall-clock steps leave the monotonic clock alone).</summary>
    public static ObserverTiming TrueClocks(TimeSpan leaseDuration) => new(leaseDuration, _ => (1, 1));
}
