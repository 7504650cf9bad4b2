using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /events?limit=N: the leader's latest cluster events (leader changes, nodes offline, trainings,
/// promotions, work failed for good), oldest first. The leader publishes them, so any other node forwards,
/// like the work routes; a new leader starts with none.
/// </summary>
public static class EventsApi
{
    /// <summary>Events answered when no limit is given.</summary>
    public const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events", async (ClusterWork port, HttpContext http) =>
        {
            var text = http.Request.Query["limit"].ToString();
            var limit = DefaultLimit;
            if (text.Length > 0 && !int.TryParse(text, out limit)) throw OutOfRange(text);
            return NodeJson.Result(await port.For(http).GetEventsAsync(CheckLimit(limit), http.RequestAborted));
        });
        return app;
    }

    /// <summary><paramref name="limit"/> when it is 1–<see cref="ClusterEvents.RecentCount"/>, else a 400 naming it.</summary>
    public static int CheckLimit(int limit) =>
        limit is >= 1 and <= ClusterEvents.RecentCount ? limit : throw OutOfRange(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ApiException OutOfRange(string got) =>
        ApiException.BadRequest("INVALID_FIELD", $"limit must be an integer from 1 to {ClusterEvents.RecentCount}, got '{got}'");
}

/// <summary>GET /events: the node that answered (the leader), its delivery counters and its latest events.</summary>
public sealed record EventsResponse(string NodeId, ClusterEventCounters Counters, IReadOnlyList<ClusterEvent> Events);
