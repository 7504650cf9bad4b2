using System.Diagnostics.Metrics;
using RingRift.P2P.Loops;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// Meter <c>RingRift.P2P.Loops</c>: every background loop's runs, failures, last duration, time since its
/// last run and whether it is healthy, labelled <c>loop</c> — read from the same <see cref="LoopRegistry"/>
/// that <c>/status</c>'s <c>loops</c> shows.
/// </summary>
public sealed class LoopMetrics
{
    public const string MeterName = "RingRift.P2P.Loops";

    public LoopMetrics(IMeterFactory meters, LoopRegistry loops)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("ringrift_p2p_loop_runs", () => Each(loops, l => l.Runs),
            description: "Runs of each background loop (steps, ticks, protocol periods, events sent)");
        meter.CreateObservableCounter("ringrift_p2p_loop_failures", () => Each(loops, l => l.Failures),
            description: "Runs of each background loop that failed");
        meter.CreateObservableGauge("ringrift_p2p_loop_last_duration", () => Each(loops, l => (l.LastDurationMs ?? 0) / 1000), unit: "s",
            description: "How long each loop's last finished run took");
        meter.CreateObservableGauge("ringrift_p2p_loop_seconds_since_run", () => Each(loops, l => l.SecondsSinceLastRun ?? 0),
            description: "Seconds since each loop's last run started (0 before its first)");
        meter.CreateObservableGauge("ringrift_p2p_loop_healthy", () => Each(loops, l => l.Healthy ? 1 : 0),
            description: "1 while a loop runs on time and its last runs did not all fail, 0 when it is stalled or failing");
    }

    private static IEnumerable<Measurement<T>> Each<T>(LoopRegistry loops, Func<LoopStatus, T> read) where T : struct =>
        loops.Snapshot().Values.Select(l => new Measurement<T>(read(l), new KeyValuePair<string, object?>("loop", l.Name)));
}
