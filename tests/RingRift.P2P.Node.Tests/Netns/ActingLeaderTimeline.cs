using System.Globalization;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// What samples of every node's <c>/status</c> prove about Bully leadership over time (pure; see
/// <see cref="ActingLeaderSample"/>). Samples are instants, or intervals an instant fell in, so an acting
/// leader is seen only at the instants it was asked; what they prove, taking every interval at its least
/// favourable end:
/// <list type="bullet">
/// <item><b>Two acting at once</b> (<see cref="Overlaps"/>): Y acts at an instant y; X's last sample surely before
/// y acted at epoch e with its lease ending surely after y, and X's next sample surely after y still acts at
/// epoch e. Between those two samples X kept its role (one epoch is never led twice: a new campaign takes a new
/// one) and its lease end only grows while it leads, so X acted at y too.</item>
/// <item><b>One epoch led by two nodes</b> (<see cref="SharedEpochs"/>): voters never grant an epoch to two candidates.</item>
/// <item><b>Unresolved</b> (<see cref="Unresolved"/>): Y acts at y within X's lease, but X's next sample no
/// longer acts at that epoch: X stepped down (graceful, or on learning a higher epoch) at an unsampled
/// instant, before or after y. Counted, not a violation.</item>
/// </list>
/// </summary>
public sealed class ActingLeaderTimeline
{
    private readonly Dictionary<string, List<ActingLeaderSample>> _byNode;

    public ActingLeaderTimeline(IEnumerable<ActingLeaderSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _byNode = samples.GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.OrderBy(s => s.From).ThenBy(s => s.To).ToList());
        Runs = _byNode.Values.SelectMany(RunsOf).OrderBy(r => r.FirstAt).ToList();
        var overlaps = new List<string>();
        var unresolved = new List<string>();
        var handOvers = new HashSet<(string, long, string, long)>(); // one unresolved entry per pair of leaderships
        foreach (var y in _byNode.Values.SelectMany(s => s).Where(s => s.Acting))
        {
            foreach (var (node, xs) in _byNode)
            {
                if (node == y.Node) continue;
                var b = xs.FindLastIndex(x => x.To <= y.From); // X's last sample surely before Y's check
                if (b < 0) continue;
                var before = xs[b];
                if (!before.Acting || y.To >= before.LeaseEndEarliest) continue; // X did not act, or its lease may have ended
                var after = xs.Skip(b + 1).FirstOrDefault(x => x.From >= y.To); // X's next sample surely after Y's check
                var text = string.Create(CultureInfo.InvariantCulture,
                    $"{y.Node} acted {When(y)} (epoch {y.Epoch}) while {node}, acting {When(before)} (epoch {before.Epoch}), held its lease until {before.LeaseEndEarliest:0.000} at least");
                if (after is { Acting: true } && after.Epoch == before.Epoch) overlaps.Add($"{text} and still acted {When(after)}");
                else if (handOvers.Add((y.Node, y.Epoch, node, before.Epoch))) unresolved.Add($"{text}; {node}'s next sample ({(after is null ? "none" : When(after))}) no longer acted at that epoch");
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

    private static string When(ActingLeaderSample s) => s.From == s.To
        ? string.Create(CultureInfo.InvariantCulture, $"at {s.From:0.000}")
        : string.Create(CultureInfo.InvariantCulture, $"between {s.From:0.000} and {s.To:0.000}");

    private static IEnumerable<ActingRun> RunsOf(List<ActingLeaderSample> samples)
    {
        ActingRun? run = null;
        double? previous = null;
        foreach (var s in samples)
        {
            if (s.Acting && run is not null && run.Epoch == s.Epoch)
            {
                run = run with { LastAt = s.To, LeaseEnd = s.LeaseEndLatest!.Value };
            }
            else
            {
                if (run is not null) yield return run;
                run = s.Acting ? new ActingRun(s.Node, s.Epoch, previous, s.From, s.To, s.LeaseEndLatest!.Value) : null;
            }
            previous = s.From;
        }
        if (run is not null) yield return run;
    }
}

/// <summary>
/// Consecutive acting samples of one node at one epoch. It began acting after
/// <paramref name="PreviousAt"/> (the earliest instant of its sample before, not acting at this epoch; null when
/// none) and at or before the check of its first acting sample, made at or after <paramref name="FirstAt"/>; it
/// acted until <paramref name="LastAt"/> at least and stopped no later than <paramref name="LeaseEnd"/>, the latest
/// end its last acting sample reports, unless a renewal no sample saw extended it. (Its lease end only grows while
/// it leads, so the last sample's bound is the tightest; an earlier sample's bound is the looser one where a
/// node's clock rate is known only within bounds.)
/// </summary>
public sealed record ActingRun(string Node, long Epoch, double? PreviousAt, double FirstAt, double LastAt, double LeaseEnd);
