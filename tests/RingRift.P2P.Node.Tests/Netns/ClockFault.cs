using System.Globalization;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// A fault of one node's clocks for <see cref="BullyClockSplit"/>: its wall clock stepped by <see cref="Step"/>
/// (its monotonic clock untouched), or both its clocks running at <see cref="Rate"/> times the true rate.
/// </summary>
/// <param name="Node">The node's index (0-based: 4 is node-5).</param>
public sealed record ClockFault(int Node, TimeSpan? Step, double? Rate)
{
    /// <summary>The wall clock of node <paramref name="node"/> stepped by <paramref name="offset"/>, once the split is in place.</summary>
    public static ClockFault StepBy(int node, TimeSpan offset) => new(node, offset, null);

    /// <summary>Both clocks of node <paramref name="node"/> at <paramref name="rate"/> times the true rate, from before the split.</summary>
    public static ClockFault RunAt(int node, double rate) => new(node, null, rate);

    public override string ToString() => Step is { } step
        ? string.Create(CultureInfo.InvariantCulture, $"node-{Node + 1}'s wall clock stepped {step.TotalHours:+0.#;-0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"node-{Node + 1}'s clocks at {Rate:0.0#}x");
}
