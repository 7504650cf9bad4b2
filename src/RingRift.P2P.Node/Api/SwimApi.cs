using RingRift.P2P.Config;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Api;

/// <summary>GET /swim/status and GET /swim/members: SWIM's own view, from memory only.</summary>
public static class SwimApi
{
    public static IEndpointRouteBuilder MapSwimApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/swim/status", (NodeMembership membership) => NodeJson.Result(BuildStatus(membership)));
        app.MapGet("/swim/members", (NodeMembership membership) => NodeJson.Result(BuildMembers(membership)));
        return app;
    }

    public static SwimStatusResponse BuildStatus(NodeMembership membership)
    {
        var source = membership.Mode switch
        {
            MembershipMode.Hybrid => "swim+http",
            MembershipMode.Swim when membership.SwimDecides => "swim",
            _ => "http",
        };
        if (membership.Swim is not { } swim)
        {
            return new SwimStatusResponse(false, false, false, membership.ConfiguredMode, membership.Mode, source, null, null, null, null,
                0, 0, 0, 0, 0, 0, 0, [], 0, [], false,
                new SwimPacketCounters(0, 0, 0, 0, new Dictionary<string, long>(), 0), SwimProtocolCounters.None, null);
        }

        var summary = swim.GetMembershipSummary();
        var packets = swim.Packets;
        var stats = swim.Stats;
        var config = swim.Options.Config;
        return new SwimStatusResponse(
            true,
            swim.Available,
            swim.Started,
            membership.ConfiguredMode,
            membership.Mode,
            source,
            membership.FallbackReason,
            swim.LastStartError,
            swim.BoundEndpoint?.ToString(),
            swim.AdvertisedEndpoint?.ToString(),
            swim.Incarnation,
            swim.AwarenessScore,
            summary.Alive,
            summary.Suspected,
            summary.Failed,
            summary.Members - summary.Alive - summary.Suspected - summary.Failed,
            summary.Members,
            swim.Seeds.Select(s => s.ToString()).ToArray(),
            swim.UnresolvedSeedCount,
            swim.UnresolvedSeedNames,
            swim.Authenticated,
            new SwimPacketCounters(
                packets?.Received ?? 0,
                packets?.Accepted ?? 0,
                packets?.DroppedAuth ?? 0,
                packets?.DroppedDecode ?? 0,
                packets?.DroppedDecodeByError.ToDictionary(e => e.Key.ToString(), e => e.Value) ?? new Dictionary<string, long>(),
                stats?.PacketsSent ?? 0),
            new SwimProtocolCounters(
                stats?.Probes ?? 0, stats?.IndirectProbes ?? 0, stats?.TcpFallbackProbes ?? 0, stats?.TcpFallbackAcks ?? 0,
                stats?.FailedProbes ?? 0, stats?.Suspicions ?? 0, stats?.Refutations ?? 0, stats?.PushPulls ?? 0,
                stats?.RequestsSent ?? 0, stats?.RequestsReceived ?? 0, stats?.RequestsRejected ?? 0,
                stats?.InconclusiveProbes ?? 0, stats?.FinalProbes ?? 0, stats?.AccusationsAnswered ?? 0,
                stats?.AccusationsResent ?? 0, stats?.LateSuspicionTimers ?? 0,
                stats?.LeavesAcknowledged ?? 0, stats?.LeavesAnswered ?? 0,
                stats?.DeathsAnswered ?? 0, stats?.SuspicionsRegossiped ?? 0,
                stats?.StaleAccusationProbes ?? 0, stats?.StaleDeathConfirmations ?? 0),
            new SwimTimings(config.ProbeInterval.TotalSeconds, config.ProbeTimeout.TotalSeconds, config.IndirectChecks,
                config.SuspicionMult, config.SuspicionFloor.TotalSeconds, config.GossipInterval.TotalSeconds, config.PushPullInterval.TotalSeconds));
    }

    public static SwimMembersResponse BuildMembers(NodeMembership membership)
    {
        if (membership.Swim is not { } swim) return new SwimMembersResponse(false, false, 0, []);
        var members = swim.Members.Select(m => new SwimMemberStatus(
            m.NodeId,
            m.Address,
            m.Port,
            StateName(m.State),
            m.Incarnation,
            m.StateChangedAt.ToUnixTimeMilliseconds() / 1000.0,
            SwimNodeMeta.HttpEndpointOf(m)?.ToString())).ToArray();
        return new SwimMembersResponse(true, swim.Started, members.Length, members);
    }

    private static string StateName(SwimMemberState state) => state switch
    {
        SwimMemberState.Alive => "alive",
        SwimMemberState.Suspect => "suspect",
        SwimMemberState.Dead => "dead",
        SwimMemberState.Left => "left",
        _ => state.ToString().ToLowerInvariant(),
    };
}
