using RingRift.P2P.Json;
using RingRift.P2P.Notifications;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /training/status: every board config's counters, priority, decision and reason, its champion
/// and candidates, plus the latest cluster events. Served by the leader (others relay, like the work routes).
/// </summary>
public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        var training = app.MapGroup("/training").RelayedToLeader();
        training.MapGet("/status", async (TrainingLoop loop, LeaderWorkGate gate, ClusterEvents events, Hosting.NodeOptions options, HttpContext http) =>
        {
            var snapshot = loop.Latest ?? (gate.ServingQueue() is { } queue ? await loop.EvaluateAsync(queue, http.RequestAborted) : null);
            return TypedResults.Json(new TrainingStatusResponse(options.NodeId, snapshot, events.Counters, events.Recent.TakeLast(20).ToArray()), P2PJson.Options);
        });
        return app;
    }
}

/// <summary>GET /training/status.</summary>
public sealed record TrainingStatusResponse(
    string NodeId,
    TrainingSnapshot? Training,
    ClusterEventCounters? Events = null,
    IReadOnlyList<ClusterEvent>? RecentEvents = null);
