using System.Text.Json.Nodes;

namespace RingRift.P2P.Notifications;

/// <summary>One published cluster event as kept in <see cref="ClusterEvents.Recent"/>.</summary>
/// <param name="Event">Event name (see <see cref="ClusterEventNames"/>).</param>
/// <param name="Time">When it was published.</param>
/// <param name="Payload">The payload sent, including <c>event</c>, <c>node_id</c> and <c>time</c>; treat as read-only.</param>
public sealed record ClusterEvent(string Event, DateTimeOffset Time, JsonObject Payload);

/// <summary>Delivery counters of <see cref="ClusterEvents"/> for <c>/status</c>.</summary>
/// <param name="Published">Events accepted by <see cref="ClusterEvents.Publish"/>.</param>
/// <param name="Delivered">Deliveries (event × subscribed webhook) answered 2xx.</param>
/// <param name="Failed">Deliveries that failed after all retries.</param>
/// <param name="Dropped">Events thrown away unsent because the buffer was full (oldest first) or the sender stopped.</param>
/// <param name="Pending">Events waiting in the buffer.</param>
public sealed record ClusterEventCounters(long Published, long Delivered, long Failed, long Dropped, int Pending);

/// <summary>Something that announces cluster events; <see cref="ClusterEvents"/> in a node, a list in tests.</summary>
public interface IClusterEventPublisher
{
    /// <summary>Announces <paramref name="eventName"/> with <paramref name="payload"/>; must neither block nor throw.</summary>
    void Publish(string eventName, JsonObject payload);
}
