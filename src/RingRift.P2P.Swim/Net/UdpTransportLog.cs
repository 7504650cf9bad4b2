using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Swim.Net;

/// <summary>Source-generated log messages of <see cref="UdpSwimTransport"/>; event ids 4100–4149.</summary>
internal static partial class UdpTransportLog
{
    [LoggerMessage(4100, LogLevel.Information, "SWIM transport bound UDP+TCP {Endpoint}")]
    public static partial void Bound(ILogger logger, string endpoint);

    [LoggerMessage(4101, LogLevel.Debug, "SWIM transport: TCP port {Port} taken after binding UDP; retrying ({Attempt}/{Attempts})")]
    public static partial void TcpPortTaken(ILogger logger, int port, int attempt, int attempts);

    [LoggerMessage(4102, LogLevel.Information, "SWIM transport {Endpoint} closed")]
    public static partial void Closed(ILogger logger, string endpoint);

    [LoggerMessage(4110, LogLevel.Debug, "SWIM transport dropped an outgoing packet to {To}: {Reason}")]
    public static partial void PacketDropped(ILogger logger, string to, string reason);

    [LoggerMessage(4111, LogLevel.Debug, "SWIM transport UDP send to {To} failed ({Error})")]
    public static partial void SendFailed(ILogger logger, string to, string error);

    [LoggerMessage(4112, LogLevel.Debug, "SWIM transport UDP receive error ({Error}); continuing")]
    public static partial void ReceiveError(ILogger logger, string error);

    [LoggerMessage(4120, LogLevel.Debug, "SWIM transport request to {To} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string to, string reason);

    [LoggerMessage(4121, LogLevel.Debug, "SWIM transport dropped a TCP request from {From}: {Reason}")]
    public static partial void IncomingRequestDropped(ILogger logger, string from, string reason);

    [LoggerMessage(4122, LogLevel.Warning, "SWIM transport refused a TCP connection from {From}: {Limit} requests already in flight")]
    public static partial void TooManyConnections(ILogger logger, string from, int limit);

    [LoggerMessage(4123, LogLevel.Debug, "SWIM transport accept error ({Error}); continuing")]
    public static partial void AcceptError(ILogger logger, string error);

    [LoggerMessage(4130, LogLevel.Error, "SWIM transport handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);
}
