using System.Diagnostics;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Bench;

/// <summary>
/// The acknowledged operations of a history that count as throughput (adds, claims that handed out an
/// item, completions), as seconds from the run's start: when each was invoked and when it returned.
/// </summary>
public sealed class SoakThroughput
{
    private SoakThroughput(double[] adds, double[] claims, double[] completions, double[] invoked, double[] done)
    {
        Adds = adds;
        Claims = claims;
        Completions = completions;
        Invoked = invoked;
        Done = done;
    }

    /// <summary>When each acknowledged add returned.</summary>
    public double[] Adds { get; }

    /// <summary>When each acknowledged claim of an item returned (a claim answering "no work" is not one).</summary>
    public double[] Claims { get; }

    /// <summary>When each acknowledged completion returned.</summary>
    public double[] Completions { get; }

    /// <summary>All three kinds: when each was invoked, pairwise with <see cref="Done"/>.</summary>
    public double[] Invoked { get; }

    /// <summary>All three kinds: when each returned.</summary>
    public double[] Done { get; }

    public static SoakThroughput Of(IReadOnlyList<HistoryOp> history, long startTicks)
    {
        List<double> adds = [], claims = [], completions = [], invoked = [], done = [];
        foreach (var op in history)
        {
            if (!op.IsOk || op.CompleteTicks is not { } end) continue;
            var list = op.Kind switch
            {
                HistoryOpKind.Add => adds,
                HistoryOpKind.ClaimNext or HistoryOpKind.Claim when op.IsOkClaim => claims,
                HistoryOpKind.Complete => completions,
                _ => null,
            };
            if (list is null) continue;
            var at = Seconds(end, startTicks);
            list.Add(at);
            invoked.Add(Seconds(op.InvokeTicks, startTicks));
            done.Add(at);
        }
        return new SoakThroughput([.. adds], [.. claims], [.. completions], [.. invoked], [.. done]);
    }

    /// <summary>Operations per second of <paramref name="times"/> falling in [from, to).</summary>
    public static double Rate(double[] times, double from, double to) =>
        to > from ? times.Count(t => t >= from && t < to) / (to - from) : 0;

    public static double Seconds(long ticks, long startTicks) => (double)(ticks - startTicks) / Stopwatch.Frequency;
}
