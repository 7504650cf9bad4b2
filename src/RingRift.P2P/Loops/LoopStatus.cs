using System.Text.Json.Serialization;

namespace RingRift.P2P.Loops;

/// <summary>How a background loop stands. Wire names are lower-case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoopState>))]
public enum LoopState
{
    /// <summary>Registered, no run yet, not overdue.</summary>
    [JsonStringEnumMemberName("starting")] Starting,

    /// <summary>Running on time; its last runs did not all fail.</summary>
    [JsonStringEnumMemberName("ok")] Ok,

    /// <summary>Its last <see cref="LoopTracker.FailingRuns"/> runs failed.</summary>
    [JsonStringEnumMemberName("failing")] Failing,

    /// <summary>No run started for more than <see cref="LoopTracker.StallIntervals"/> intervals.</summary>
    [JsonStringEnumMemberName("stalled")] Stalled,
}

/// <summary>
/// One loop in <c>/status</c>'s <c>loops</c> and <c>/loops/health</c>. Times are Unix seconds from the
/// wall clock, for display; <paramref name="SecondsSinceLastRun"/> and <paramref name="RunningForSeconds"/>
/// come from the monotonic clock the health decision uses.
/// </summary>
/// <param name="IntervalSeconds">Time between runs; null for a loop driven by events.</param>
/// <param name="LastRunAt">When the last run started.</param>
/// <param name="LastDurationMs">How long the last finished run took.</param>
/// <param name="RunningForSeconds">How long the run in progress has been going; null between runs.</param>
/// <param name="NextDueAt">When the next run is due (last start + interval); null for a loop driven by events.</param>
public sealed record LoopStatus(
    string Name,
    LoopState Status,
    bool Healthy,
    double? IntervalSeconds,
    long Runs,
    long Failures,
    int ConsecutiveFailures,
    double? LastRunAt,
    double? LastDurationMs,
    double? SecondsSinceLastRun,
    double? RunningForSeconds,
    double? NextDueAt,
    string? LastError,
    double? LastErrorAt);
