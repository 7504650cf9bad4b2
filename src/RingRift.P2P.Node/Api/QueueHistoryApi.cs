using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Placement;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Scheduling;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /queue/history?minutes=N: the queue samples of the last N minutes (1–60, default 60), oldest first,
/// one every 5 s. The node that serves the queue answers (others forward, like the work routes), since
/// only it counts items by type; every node samples the counts by status, so a new leader has them too.
/// <c>unplaced</c> is the pending work the leader's last dispatch round could not place, by type and reason
/// (<c>no_capable_node</c>: no live node's jobs file runs the type), so the page can show it whichever node serves it.
/// </summary>
public static class QueueHistoryApi
{
    public static IEndpointRouteBuilder MapQueueHistoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/queue/history", async (HttpContext http, NodeOptions options, QueueHistory history, WorkRouter router,
            LeaderCalls calls, DispatchLoop dispatch, TimeProvider time) =>
        {
            var minutes = QueryValues.Int(http.Request, "minutes", (int)QueueHistoryLoop.Window.TotalMinutes, 1, (int)QueueHistoryLoop.Window.TotalMinutes);
            var chain = ForwardedBy.Chain(http);
            var route = router.Route(chain.Count);
            if (!route.IsLocal)
            {
                var json = await calls.SendAsync(route, HttpMethod.Get, $"queue/history?minutes={minutes}", null,
                    string.Join(',', [.. chain, options.NodeId]), http.RequestAborted);
                return NodeJson.Result(json);
            }
            var since = time.GetUtcNow().AddMinutes(-minutes).ToUnixTimeMilliseconds() / 1000.0;
            return NodeJson.Result(new QueueHistoryResponse(options.NodeId, QueueHistoryLoop.Interval.TotalSeconds, minutes, history.Since(since),
                dispatch.LastRound?.Unplaced ?? []));
        });
        return app;
    }
}

/// <summary>GET /queue/history: who sampled, how often, over how many minutes, the samples oldest first, and the work the last dispatch left unplaced.</summary>
public sealed record QueueHistoryResponse(string NodeId, double IntervalSeconds, int Minutes, IReadOnlyList<QueueSample> Samples,
    IReadOnlyList<UnplacedGroup> Unplaced);
