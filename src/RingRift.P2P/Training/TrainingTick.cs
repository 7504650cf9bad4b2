using System.Text.Json.Nodes;

namespace RingRift.P2P.Training;

/// <summary>An event the training loop announced in a tick (also published to <see cref="Notifications.IClusterEventPublisher"/>).</summary>
public sealed record TrainingEvent(string Name, JsonObject Payload);

/// <summary>What one <see cref="TrainingLoop.TickAsync"/> saw and did.</summary>
/// <param name="Time">Unix seconds of the tick.</param>
/// <param name="Acted">True when this node led and the loop evaluated the queue; false when it only stood by.</param>
/// <param name="Snapshot">The training state it computed, null when it did not act.</param>
/// <param name="Enqueued">Work ids this tick added (trainings, evaluations, self-play), in that order.</param>
/// <param name="Events">Events announced, in publish order.</param>
/// <param name="Seeded">True on the first acting tick after gaining leadership: history was remembered, not announced.</param>
public sealed record TrainingTick(
    double Time,
    bool Acted,
    TrainingSnapshot? Snapshot,
    IReadOnlyList<string> Enqueued,
    IReadOnlyList<TrainingEvent> Events,
    bool Seeded)
{
    internal static TrainingTick Idle(double time) => new(time, false, null, [], [], false);
}
