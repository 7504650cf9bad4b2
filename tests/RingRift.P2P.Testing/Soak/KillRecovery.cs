namespace RingRift.P2P.Testing.Soak;

/// <summary>
/// How a workload came back after a kill, from the acknowledged operations around it (times in seconds
/// on one clock): the first success invoked after the kill, and the first instant the rate over the
/// preceding <see cref="KillRecovery.Window"/> is back to a fraction of the rate before the kill.
/// </summary>
/// <param name="BaselinePerSecond">Acknowledged operations per second over the baseline before the kill.</param>
/// <param name="FirstSuccessSeconds">Kill to the completion of the first acknowledged operation invoked at or after it; null: none before the horizon.</param>
/// <param name="RecoveredSeconds">Kill to the end of the first window (wholly after the kill) holding at least the fraction of the baseline; null: not before the horizon.</param>
public sealed record KillRecovery(double BaselinePerSecond, double? FirstSuccessSeconds, double? RecoveredSeconds)
{
    /// <summary>The width of the sliding window the recovered rate is measured on: 1 s.</summary>
    public const double Window = 1.0;

    /// <summary>
    /// Measures one kill. <paramref name="completions"/> holds each acknowledged operation's completion
    /// time and <paramref name="invocations"/> its invoke time, pairwise; neither needs to be sorted.
    /// </summary>
    /// <param name="killAt">When the process was killed.</param>
    /// <param name="horizon">The end of the search (the next fault or the end of the run).</param>
    /// <param name="baselineSeconds">How far before the kill the baseline rate is counted (60 s: the minute before); cut at 0.</param>
    /// <param name="fraction">The share of the baseline rate that counts as recovered (0.9).</param>
    public static KillRecovery Measure(IReadOnlyList<double> invocations, IReadOnlyList<double> completions, double killAt, double horizon,
        double baselineSeconds = 60, double fraction = 0.9)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        ArgumentNullException.ThrowIfNull(completions);
        if (invocations.Count != completions.Count)
            throw new ArgumentException($"invocations ({invocations.Count}) and completions ({completions.Count}) must pair up", nameof(completions));
        if (!(horizon >= killAt)) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"the horizon must not come before the kill ({killAt})");
        if (!(baselineSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(baselineSeconds), baselineSeconds, "must be positive");
        if (!(fraction is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in (0, 1]");

        var from = Math.Max(0, killAt - baselineSeconds);
        var baseline = killAt > from ? completions.Count(c => c >= from && c < killAt) / (killAt - from) : 0;

        double? first = null;
        for (var i = 0; i < completions.Count; i++)
        {
            if (invocations[i] < killAt || completions[i] > horizon) continue;
            var after = completions[i] - killAt;
            if (first is null || after < first) first = after;
        }

        return new KillRecovery(baseline, first, Recovered(completions, killAt, horizon, fraction * baseline * Window));
    }

    /// <summary>
    /// The earliest end t (killAt + window ≤ t ≤ horizon) of a window (t − window, t] holding at least
    /// <paramref name="needed"/> completions, as seconds after the kill. The count only rises at a
    /// completion, so the candidates are killAt + window and every completion after it.
    /// </summary>
    private static double? Recovered(IReadOnlyList<double> completions, double killAt, double horizon, double needed)
    {
        var sorted = completions.Where(c => c > killAt && c <= horizon).Order().ToArray();
        var earliest = killAt + Window;
        if (earliest > horizon) return null;
        if (CountIn(sorted, earliest - Window, earliest) >= needed) return Window;
        var start = 0;
        for (var end = 0; end < sorted.Length; end++)
        {
            var t = sorted[end];
            if (t <= earliest) continue;
            while (sorted[start] <= t - Window) start++;
            if (end - start + 1 >= needed) return t - killAt;
        }
        return null;
    }

    private static int CountIn(double[] sorted, double after, double upTo) => sorted.Count(c => c > after && c <= upTo);
}
