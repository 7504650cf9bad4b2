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
/// <remarks>
/// The leave comes first when the node stops (<see cref="StoppingAsync"/> runs before any service's
/// <c>StopAsync</c>): the others record this node <c>left</c> within milliseconds, instead of probing a
/// node busy handing over (a starved one answers late and gets suspected). Nothing this node does while
/// it hands over needs SWIM: its view of the others stays as it was when it left.
/// </remarks>
public sealed class SwimService(SwimMembershipManager swim, PeerTable peers, ILogger<SwimService> logger) : IHostedLifecycleService
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

    public Task StoppingAsync(CancellationToken cancellationToken) => swim.StopAsync(cancellationToken);

    /// <summary>Nothing left to do once <see cref="StoppingAsync"/> has left (stopping twice is a no-op).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => swim.StopAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Any state change carries the member's metadata: alive or not, it is a known peer (and a voter).</summary>
    private void Learn(SwimMember member)
    {
        if (member.NodeId == swim.SelfId || !NodeIds.IsValid(member.NodeId)) return;
        if (SwimNodeMeta.HttpEndpointOf(member) is { } endpoint) peers.AddKnown(member.NodeId, endpoint);
    }
}
