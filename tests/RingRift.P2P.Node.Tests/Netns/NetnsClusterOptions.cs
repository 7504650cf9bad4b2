namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// What a test changes in a Bully <see cref="NetnsCluster"/>: settings beside the cluster's timings, arguments
/// of one node (a jobs file), nodes started later, settings of one node. The defaults change nothing.
/// </summary>
public sealed record NetnsClusterOptions
{
    /// <summary>RINGRIFT_ settings beside <see cref="NetnsCluster.BullyTimings"/> (a name given here wins); none by default.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Arguments the node of each index (0-based) gets after the cluster's own, e.g. <c>--jobs FILE</c>; none by default.</summary>
    public Func<int, IReadOnlyList<string>> Arguments { get; init; } = _ => [];

    /// <summary>
    /// Node indexes (0-based) not started with the cluster: they are voters from the start, but their
    /// <see cref="NetnsCluster.Nodes"/> entry stays null until <see cref="NetnsCluster.StartNode"/>.
    /// </summary>
    public IReadOnlyCollection<int> StartLater { get; init; } = [];

    /// <summary>Settings only the node of an index (0-based) gets, whenever it starts (e.g. libfaketime's); none by default.</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, string?>> NodeSettings { get; init; } = new Dictionary<int, IReadOnlyDictionary<string, string?>>();
}
