using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Cluster;

namespace RingRift.P2P.Node.Api;

/// <summary>The original orchestrator's read routes: <c>GET /work/node/{node_id}</c> and <c>GET /work/history</c>.</summary>
public static partial class WorkApi
{
    /// <summary>The items <c>node_id</c> holds now (claimed or running), newest first.</summary>
    private static async Task<IResult> ForNodeAsync(string node_id, HttpContext http, ClusterWork port)
    {
        var serving = port.For(http);
        var claimed = await serving.ListAsync(WorkStatus.Claimed, ClusterWork.MaxListLimit, node_id, http.RequestAborted);
        var running = await serving.ListAsync(WorkStatus.Running, ClusterWork.MaxListLimit, node_id, http.RequestAborted);
        var items = running.Concat(claimed).OrderByDescending(i => i.CreatedAt).ToList();
        return Json(new NodeWork(node_id, items, items.Count));
    }

    /// <summary>
    /// The most recently finished items first (then the newest unfinished ones), at most <c>limit</c>
    /// (1–10,000, default 50), optionally of one <c>status</c>; drawn from the newest 10,000 items.
    /// </summary>
    private static async Task<IResult> HistoryAsync(HttpContext http, ClusterWork port)
    {
        var statusText = http.Request.Query["status"].ToString();
        var status = ParseStatus(statusText);
        var limitText = http.Request.Query["limit"].ToString();
        var limit = 50;
        if (limitText.Length > 0 && !int.TryParse(limitText, out limit)) throw ClusterWork.LimitOutOfRange(limitText);
        if (limit is < 1 or > ClusterWork.MaxListLimit) throw ClusterWork.LimitOutOfRange(limitText);
        var items = await port.For(http).ListAsync(status, ClusterWork.MaxListLimit, null, http.RequestAborted);
        var history = items.OrderByDescending(i => i.CompletedAt ?? 0).ThenByDescending(i => i.CreatedAt).Take(limit).ToList();
        return Json(new WorkHistory(history, history.Count, limit, status is null ? null : statusText));
    }
}
