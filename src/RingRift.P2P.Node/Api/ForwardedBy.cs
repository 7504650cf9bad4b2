using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Api;

/// <summary>The forwarding chain a relayed request carries (<see cref="PeerClient.ForwardedHeader"/>).</summary>
public static class ForwardedBy
{
    /// <summary>The node ids that relayed this request here, first first; empty when a client sent it.</summary>
    public static IReadOnlyList<string> Chain(HttpContext http) =>
        http.Request.Headers.TryGetValue(PeerClient.ForwardedHeader, out var chain)
            ? chain.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
}
