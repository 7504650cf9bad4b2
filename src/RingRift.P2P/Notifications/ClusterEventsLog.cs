using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Notifications;

/// <summary>Source-generated logs of <see cref="ClusterEvents"/>; event ids 7150–7159 (inside the notifications range 7100–7199).</summary>
internal static partial class ClusterEventsLog
{
    [LoggerMessage(EventId = 7150, Level = LogLevel.Information, Message = "Cluster event {EventName}: {Payload}")]
    public static partial void Published(ILogger logger, string eventName, string payload);

    [LoggerMessage(EventId = 7151, Level = LogLevel.Warning, Message = "Cluster event buffer full: dropped the oldest unsent event ({Dropped} dropped so far)")]
    public static partial void Dropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 7152, Level = LogLevel.Warning, Message = "Cluster event {EventName} to {Host} failed: {ErrorType}: {Error}")]
    public static partial void DeliveryFailed(ILogger logger, string eventName, string host, string errorType, string error);
}
