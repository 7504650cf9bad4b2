using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Cluster;

namespace RingRift.P2P.Node.Api;

/// <summary>The original orchestrator's batch routes: <c>POST /work/add_batch</c> and <c>GET /work/claim_batch</c>.</summary>
public static partial class WorkApi
{
    /// <summary>Most items one <c>add_batch</c> takes: 100, as the original.</summary>
    public const int MaxBatchAdd = 100;

    /// <summary>Most items one <c>claim_batch</c> hands out: 10 (default 5), as the original.</summary>
    public const int MaxBatchClaim = 10;

    /// <summary>
    /// Adds each item of <c>{"items": [...]}</c> in order (each shaped like <c>/work/add</c>'s body). An item
    /// that is refused (bad fields, a duplicate id) is reported in <c>errors</c> by index and the rest are
    /// still added. When the queue cannot be reached, the request fails as a whole if nothing was added
    /// yet (so a retry adds nothing twice), else the items not reached are reported in <c>errors</c>.
    /// </summary>
    private static async Task<IResult> AddBatchAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (!body.TryGetPropertyValue("items", out var node) || node is null) throw ApiException.Missing("items");
        if (node is not JsonArray items) throw ApiException.BadRequest("INVALID_FIELD", "items must be a JSON array of work items");
        if (items.Count is 0 or > MaxBatchAdd)
            throw ApiException.BadRequest("INVALID_FIELD", $"items must hold 1 to {MaxBatchAdd} work items, got {items.Count}");

        var serving = port.For(http);
        var workIds = new List<string>();
        var errors = new List<BatchError>();
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                if (items[i] is not JsonObject item) throw ApiException.BadRequest("INVALID_FIELD", $"items[{i}] must be a JSON object");
                workIds.Add((await serving.AddAsync(NewWorkBody.Parse(item), CommandId(item), http.RequestAborted)).WorkId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
            {
                var (status, code, message) = ErrorHandling.Map(ex);
                if (status < 500)
                {
                    errors.Add(new BatchError(i, message, code));
                    continue;
                }
                if (workIds.Count == 0) throw;
                for (var rest = i; rest < items.Count; rest++)
                    errors.Add(new BatchError(rest, $"not added: {message}", code));
                break;
            }
        }
        return Json(new BatchAdded("added", workIds.Count, workIds, errors.Count == 0 ? null : errors));
    }

    /// <summary>
    /// Claims up to <c>max_items</c> (1–10, default 5; larger values are cut to 10 as the original does) for
    /// <c>node_id</c>, one claim after another. Items already claimed are always returned, even when a
    /// later claim fails.
    /// </summary>
    private static async Task<IResult> ClaimBatchAsync(HttpContext http, ClusterWork port)
    {
        var nodeId = http.Request.Query["node_id"].ToString();
        if (string.IsNullOrWhiteSpace(nodeId)) throw ApiException.Missing("node_id");
        var capabilities = ParseCapabilities(http.Request.Query["capabilities"].ToString());
        var maxText = http.Request.Query["max_items"].ToString();
        var max = 5;
        if (maxText.Length > 0 && !int.TryParse(maxText, out max))
            throw ApiException.BadRequest("INVALID_FIELD", $"max_items must be an integer from 1 to {MaxBatchClaim}, got '{maxText}'");
        max = Math.Clamp(max, 1, MaxBatchClaim);

        var claimed = new List<JsonObject>();
        var serving = port.For(http);
        for (var i = 0; i < max; i++)
        {
            ClaimedWork? next;
            try
            {
                next = await serving.ClaimNextAsync(nodeId, capabilities, null, http.RequestAborted);
            }
            catch (Exception) when (claimed.Count > 0)
            {
                break; // what was claimed is this node's now: hand it out
            }
            if (next is null) break;
            claimed.Add(WithToken(next.Item, next.FencingToken));
        }
        return claimed.Count == 0
            ? Json(new BatchClaimed("no_work_available", 0, claimed))
            : Json(new BatchClaimed("claimed", claimed.Count, claimed));
    }
}
