using RingRift.P2P.Config;
using RingRift.P2P.Membership;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// Runs the node's <see cref="SwimMembershipManager"/> with the host: starts it (a failure to bind is
/// logged and shown in <c>/status</c>, never fatal), leaves gracefully on shutdown, and copies each
/// member's HTTP endpoint from its SWIM metadata into the <see cref="PeerTable"/> directory, so
/// election, replication and forwarding can reach peers that only SWIM has told this node about.
/// </summary>
public sealed class SwimService(SwimMembershipManager swim, PeerTable peers, ILogger<SwimService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        swim.MemberAlive += Learn;
        swim.MemberSuspect += Learn;
        swim.MemberFailed += Learn;
        swim.MemberLeft += Learn;
        if (!await swim.StartAsync(cancellationToken))
        {
            var reason = swim.LastStartError ?? "unknown";
            if (reason.StartsWith("cannot bind", StringComparison.Ordinal)) reason += $" (set {P2PEnvironmentVariables.SwimBindPort} or --swim-port)";
            logger.SwimUnavailable(reason);
            return;
        }
        foreach (var member in swim.Members) Learn(member);
    }

    public Task StopAsync(CancellationToken cancellationToken) => swim.StopAsync(cancellationToken);

    /// <summary>Any state change carries the member's metadata: alive or not, it is a known peer (and a voter).</summary>
    private void Learn(SwimMember member)
    {
        if (member.NodeId == swim.SelfId || !NodeIds.IsValid(member.NodeId)) return;
        if (SwimNodeMeta.HttpEndpointOf(member) is { } endpoint) peers.AddKnown(member.NodeId, endpoint);
    }
}
