using RingRift.P2P.Membership;

namespace RingRift.P2P.Swim;

/// <summary>
/// The seed's <c>HybridMembershipManager</c>: SWIM and HTTP heartbeats side by side. A peer is alive
/// when either view says so (the union), so SWIM can only add peers, never remove one HTTP still
/// hears: the safe first stage of a roll-out (detection of a crash is then as slow as HTTP's).
/// </summary>
/// <remarks>
/// <see cref="FallbackReason"/> explains, for <c>/status</c>, when the answer rests on HTTP alone:
/// SWIM could not start, is not running, or sees no peer alive while HTTP sees some (e.g. UDP
/// blocked between hosts, or a SWIM port mismatch).
/// </remarks>
public sealed class HybridMembershipManager : IMembershipView
{
    /// <param name="swim">The SWIM view (started by its owner).</param>
    /// <param name="http">The HTTP heartbeat view (the node's peer table).</param>
    /// <exception cref="ArgumentException">The two views are about different nodes.</exception>
    public HybridMembershipManager(SwimMembershipManager swim, IMembershipView http)
    {
        ArgumentNullException.ThrowIfNull(swim);
        ArgumentNullException.ThrowIfNull(http);
        if (swim.SelfId != http.SelfId)
        {
            throw new ArgumentException($"http.SelfId is '{http.SelfId}' but swim.SelfId is '{swim.SelfId}'; both views must be of the same node.", nameof(http));
        }

        Swim = swim;
        Http = http;
    }

    /// <summary>The SWIM half.</summary>
    public SwimMembershipManager Swim { get; }

    /// <summary>The HTTP heartbeat half.</summary>
    public IMembershipView Http { get; }

    /// <inheritdoc/>
    public string SelfId => Swim.SelfId;

    /// <summary>Ids alive in either view, never this node, ordered by id.</summary>
    public IReadOnlyCollection<string> GetAlivePeers() =>
        Swim.GetAlivePeers().Union(Http.GetAlivePeers(), StringComparer.Ordinal)
            .Where(id => id != SelfId)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <inheritdoc/>
    public bool IsPeerAlive(string nodeId) => nodeId != SelfId && (Swim.IsPeerAlive(nodeId) || Http.IsPeerAlive(nodeId));

    /// <summary>
    /// Null while SWIM runs and sees at least one peer alive (or nobody sees anyone); otherwise why the
    /// answer comes from HTTP heartbeats alone.
    /// </summary>
    public string? FallbackReason
    {
        get
        {
            if (!Swim.Available)
            {
                return $"SWIM could not start ({Swim.LastStartError}); using HTTP heartbeats only";
            }

            if (!Swim.Started)
            {
                return "SWIM is not running; using HTTP heartbeats only";
            }

            int httpAlive = Http.GetAlivePeers().Count;
            return Swim.GetAlivePeers().Count == 0 && httpAlive > 0
                ? $"SWIM sees no peer alive while HTTP heartbeats see {httpAlive}; using HTTP heartbeats (is UDP/TCP port {Swim.AdvertisedEndpoint?.Port} reachable between nodes?)"
                : null;
        }
    }
}
