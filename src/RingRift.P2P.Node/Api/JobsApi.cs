using RingRift.P2P.Membership;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /jobs: the jobs running in the cluster (this node asks every live peer), or with <c>scope=node</c>
/// this node's only; <c>log_lines</c> (0–50) adds each job's last log lines. GET /jobs/{job_id}/log: the
/// last <c>lines</c> (1–500, default 50) of one job's log, read from the end of the file, from this
/// node or relayed to <c>node_id</c> (without it, to the node the queue says holds the work item of that id).
/// </summary>
public static class JobsApi
{
    public const int DefaultLogLines = 50;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", async (HttpContext http, NodeOptions options, ClusterJobs jobs) =>
        {
            var scope = QueryValues.OneOf(http.Request, "scope", "cluster", "cluster", "node");
            var logLines = QueryValues.Int(http.Request, "log_lines", 0, 0, ClusterJobs.MaxLogLines);
            // A relayed request is answered from here only, so a listing never fans out twice.
            var response = scope == "node" || ForwardedBy.Chain(http).Count > 0
                ? new JobsResponse(options.NodeId, [jobs.Local(logLines)])
                : await jobs.ClusterAsync(logLines, http.RequestAborted);
            return NodeJson.Result(response);
        });
        app.MapGet("/jobs/{job_id}/log", LogAsync);
        return app;
    }

    private static async Task<IResult> LogAsync(string job_id, HttpContext http, NodeOptions options, NodeSelf self, PeerTable peers,
        PeerRelay relay, ClusterWork port)
    {
        var lines = QueryValues.Int(http.Request, "lines", DefaultLogLines, 1, JobLogTail.MaxLines);
        if (JobFiles.JobId(job_id) != job_id)
        {
            throw ApiException.BadRequest("INVALID_FIELD",
                $"job_id must be 1-100 letters, digits, '.', '_' or '-', not starting with '.', got '{job_id}'");
        }
        var nodeId = QueryValues.Optional(http.Request, "node_id");
        var relayed = ForwardedBy.Chain(http).Count > 0;
        if (nodeId is not null && nodeId != options.NodeId)
        {
            if (relayed) throw ApiException.BadRequest("INVALID_FIELD", $"node_id '{nodeId}' is not this node ('{options.NodeId}'), and the request was relayed here already");
            return await RelayAsync(nodeId, job_id, lines, options, peers, relay, http.RequestAborted);
        }
        if (JobLogTail.Read(JobFiles.LogPath(options.DataDir, job_id), lines) is { } tail)
        {
            var running = self.Runner?.Snapshot().Running.Any(j => j.JobId == job_id) ?? false;
            return NodeJson.Result(new JobLogResponse(options.NodeId, job_id, running, JobFiles.LogPath(options.DataDir, job_id),
                tail.SizeBytes, tail.WholeLog, tail.Lines));
        }
        if (nodeId is null && !relayed && await port.For(http).GetAsync(job_id, http.RequestAborted) is { Item.ClaimedBy: { } holder }
            && holder != options.NodeId)
        {
            return await RelayAsync(holder, job_id, lines, options, peers, relay, http.RequestAborted);
        }
        return ErrorHandling.Result(StatusCodes.Status404NotFound, "JOB_LOG_NOT_FOUND",
            $"node '{options.NodeId}' has no log for job '{job_id}'" + (nodeId is null ? " (node_id names the node that ran it)" : ""));
    }

    private static async Task<IResult> RelayAsync(string nodeId, string jobId, int lines, NodeOptions options, PeerTable peers, PeerRelay relay,
        CancellationToken ct)
    {
        if (!peers.TryGet(nodeId, out var peer))
            return ErrorHandling.Result(StatusCodes.Status404NotFound, "NODE_NOT_FOUND", $"node '{nodeId}' is not known to '{options.NodeId}'");
        var answer = await relay.GetAsync(nodeId, peer.Endpoint.BaseUri, $"jobs/{jobId}/log?lines={lines}", options.NodeId, ct);
        return PeerRelay.AsResult(answer);
    }
}

/// <summary>
/// GET /jobs/{job_id}/log: the node that holds the log, whether the job is running there now, the log's
/// path and size, whether <paramref name="Lines"/> are the whole log, and its last lines (oldest first).
/// </summary>
public sealed record JobLogResponse(string NodeId, string JobId, bool Running, string LogFile, long SizeBytes, bool WholeLog,
    IReadOnlyList<string> Lines);
