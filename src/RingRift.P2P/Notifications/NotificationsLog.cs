using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Notifications;

/// <summary>Source-generated logs of the webhook notifier; event ids 7100–7199.</summary>
internal static partial class NotificationsLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Debug, Message = "Webhook event {EventName} is not subscribed by {Host}; nothing sent")]
    public static partial void NotSubscribed(ILogger logger, string eventName, string host);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Webhook event {EventName} delivered to {Host} as {Format} (HTTP {StatusCode})")]
    public static partial void Delivered(ILogger logger, string eventName, string host, WebhookFormat format, int statusCode);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Webhook event {EventName} to {Host} was refused with HTTP {StatusCode}")]
    public static partial void Refused(ILogger logger, string eventName, string host, int statusCode);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Webhook event {EventName} to {Host} failed: {ErrorType}: {Error}")]
    public static partial void Failed(ILogger logger, string eventName, string host, string errorType, string error);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Debug, Message = "Webhook event {EventName} to {Host}: attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string eventName, string host, int attempt, string reason, double delayMs);
}
