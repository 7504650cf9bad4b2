using System.Globalization;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// What samples of every node's <c>/status</c> prove about Bully leadership over time (pure; see
/// <see cref="ActingLeaderSample"/>). Samples are instants, so an acting leader is seen only at the
/// instants it was asked; what they prove:
/// <list type="bullet">
/// <item><b>Two acting at once</b> (<see cref="Overlaps"/>): Y acts at instant y; X's last sample before y
/// acted at epoch e with its lease ending after y, and X's next sample after y still acts at epoch e.
/// Between those two samples X kept its role (one epoch is never led twice: a new campaign takes a new
/// one) and its lease end only grows while it leads, so X acted at y too.</item>
/// <item><b>One epoch led by two nodes</b> (<see cref="SharedEpochs"/>): voters never grant an epoch to two candidates.</item>
/// <item><b>Unresolved</b> (<see cref="Unresolved"/>): Y acts at y within X's lease, but X's next sample no
/// longer acts at that epoch: X stepped down (graceful, or on seeing a higher node) at an unsampled
/// instant, before or after y. Counted, not a violation.</item>
/// </list>
/// </summary>
public sealed class ActingLeaderTimeline
{
    private readonly Dictionary<string, List<ActingLeaderSample>> _byNode;

    public ActingLeaderTimeline(IEnumerable<ActingLeaderSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _byNode = samples.GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.OrderBy(s => s.At).ToList());
        Runs = _byNode.Values.SelectMany(RunsOf).OrderBy(r => r.FirstAt).ToList();
        var overlaps = new List<string>();
        var unresolved = new List<string>();
        var handOvers = new HashSet<(string, long, string, long)>(); // one unresolved entry per pair of leaderships
        foreach (var y in _byNode.Values.SelectMany(s => s).Where(s => s.Acting))
        {
            foreach (var (node, xs) in _byNode)
            {
                if (node == y.Node) continue;
                var before = xs.LastOrDefault(x => x.At <= y.At);
                if (before is not { Acting: true } || y.At >= before.LeaseEnd) continue; // X did not act, or its lease had ended
                var after = xs.FirstOrDefault(x => x.At > y.At);
                var text = string.Create(CultureInfo.InvariantCulture,
                    $"{y.Node} acted at {y.At:0.000} (epoch {y.Epoch}) while {node}, acting at {before.At:0.000} (epoch {before.Epoch}), held its lease until {before.LeaseEnd:0.000}");
                if (after is { Acting: true } && after.Epoch == before.Epoch) overlaps.Add($"{text} and still acted at {after.At:0.000}");
                else if (handOvers.Add((y.Node, y.Epoch, node, before.Epoch))) unresolved.Add($"{text}; {node}'s next sample ({(after is null ? "none" : string.Create(CultureInfo.InvariantCulture, $"{after.At:0.000}"))}) no longer acted at that epoch");
            }
        }
        Overlaps = overlaps;
        Unresolved = unresolved;
        SharedEpochs = Runs.GroupBy(r => r.Epoch).Where(g => g.Select(r => r.Node).Distinct().Count() > 1)
            .Select(g => $"epoch {g.Key} led by {string.Join(" and ", g.Select(r => r.Node).Distinct())}").ToList();
    }

    /// <summary>Every run of consecutive acting samples of one node at one epoch, by first instant.</summary>
    public IReadOnlyList<ActingRun> Runs { get; }

    /// <summary>Proven instants at which two nodes acted as leader at once (see the class summary).</summary>
    public IReadOnlyList<string> Overlaps { get; }

    /// <summary>Epochs two nodes acted as leader at.</summary>
    public IReadOnlyList<string> SharedEpochs { get; }

    /// <summary>Hand-overs the samples cannot order (see the class summary), one per pair of leaderships.</summary>
    public IReadOnlyList<string> Unresolved { get; }

    /// <summary>How many samples of <paramref name="node"/> there are.</summary>
    public int SamplesOf(string node) => _byNode.TryGetValue(node, out var s) ? s.Count : 0;

    /// <summary>The latest sample of <paramref name="node"/>; null when none.</summary>
    public ActingLeaderSample? Latest(string node) => _byNode.TryGetValue(node, out var s) ? s[^1] : null;

    /// <summary>The last few acting runs, for a wait's failure message.</summary>
    public override string ToString() => Runs.Count == 0 ? "no node seen acting" : string.Join("; ", Runs.TakeLast(6).Select(r =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Node} epoch {r.Epoch} acting {r.FirstAt:0.000}-{r.LastAt:0.000} (lease end {r.LeaseEnd:0.000})")));

    private static IEnumerable<ActingRun> RunsOf(List<ActingLeaderSample> samples)
    {
        ActingRun? run = null;
        double? previous = null;
        foreach (var s in samples)
        {
            if (s.Acting && run is not null && run.Epoch == s.Epoch)
            {
                run = run with { LastAt = s.At, LeaseEnd = Math.Max(run.LeaseEnd, s.LeaseEnd!.Value) };
            }
            else
            {
                if (run is not null) yield return run;
                run = s.Acting ? new ActingRun(s.Node, s.Epoch, previous, s.At, s.At, s.LeaseEnd!.Value) : null;
            }
            previous = s.At;
        }
        if (run is not null) yield return run;
    }
}

/// <summary>
/// Consecutive acting samples of one node at one epoch. It began acting after
/// <paramref name="PreviousAt"/> (its sample before, not acting at this epoch; null when none) and at or
/// before <paramref name="FirstAt"/>; it stopped at or after <paramref name="LastAt"/> and no later than
/// <paramref name="LeaseEnd"/> unless a renewal no sample saw extended it.
/// </summary>
public sealed record ActingRun(string Node, long Epoch, double? PreviousAt, double FirstAt, double LastAt, double LeaseEnd);
