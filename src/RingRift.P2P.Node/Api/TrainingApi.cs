using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Notifications;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /training/status: every board config's counters, priority, decision and reason, its champion
/// and candidates, plus the latest cluster events. Served by the leader through the cluster work port (others forward, like the work routes).
/// </summary>
public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/training/status", async (ClusterWork port, HttpContext http) =>
            NodeJson.Result(await port.For(http).GetTrainingAsync(http.RequestAborted)));
        return app;
    }
}

/// <summary>GET /training/status.</summary>
public sealed record TrainingStatusResponse(
    string NodeId,
    TrainingSnapshot? Training,
    ClusterEventCounters? Events = null,
    IReadOnlyList<ClusterEvent>? RecentEvents = null);
