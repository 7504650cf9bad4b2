using System.Text.Json;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// The jobs running in the cluster, for <c>GET /jobs</c>: this node's runner, and every peer's, asked in
/// parallel (<c>GET /jobs?scope=node</c>, within <see cref="PeerRelay.Timeout"/>). Peers membership holds
/// dead are listed without being asked. Each running job can carry the last lines of its log.
/// </summary>
public sealed class ClusterJobs(NodeOptions options, NodeSelf self, PeerTable peers, NodeMembership membership, PeerRelay relay)
{
    /// <summary>Most log lines per job in a jobs listing (<c>GET /jobs/{job_id}/log</c> gives up to 500).</summary>
    public const int MaxLogLines = 50;

    /// <summary>This node's jobs: its runner (null without a jobs file) and, with <paramref name="logLines"/> &gt; 0, each running job's last log lines.</summary>
    public NodeJobs Local(int logLines)
    {
        if (self.Runner is not { } runner) return new NodeJobs(options.NodeId, true, null, null, null);
        var snapshot = runner.Snapshot();
        Dictionary<string, IReadOnlyList<string>>? tails = null;
        if (logLines > 0)
        {
            tails = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var job in snapshot.Running) tails[job.JobId] = JobLogTail.Read(job.LogFile, logLines)?.Lines ?? [];
        }
        return new NodeJobs(options.NodeId, true, null, snapshot, tails);
    }

    /// <summary>This node's jobs, then every other known node's, ordered by node id.</summary>
    public async Task<JobsResponse> ClusterAsync(int logLines, CancellationToken ct)
    {
        var query = $"jobs?scope=node&log_lines={logLines}";
        var asks = peers.Peers.Where(p => p.NodeId != options.NodeId)
            .Select(p => membership.IsPeerAlive(p.NodeId)
                ? AskAsync(p, query, ct)
                : Task.FromResult(new NodeJobs(p.NodeId, false, "not alive (membership)", null, null)));
        var answers = await Task.WhenAll(asks);
        var nodes = answers.Append(Local(logLines)).OrderBy(n => n.NodeId, StringComparer.Ordinal).ToArray();
        return new JobsResponse(options.NodeId, nodes);
    }

    private async Task<NodeJobs> AskAsync(PeerRecord peer, string query, CancellationToken ct)
    {
        try
        {
            var answer = await relay.GetAsync(peer.NodeId, peer.Endpoint.BaseUri, query, options.NodeId, ct);
            if (!answer.IsSuccess) return new NodeJobs(peer.NodeId, false, $"answered {answer.Status}: {Shorten(answer.Body)}", null, null);
            var jobs = JsonSerializer.Deserialize(answer.Body, NodeJson.Contract<JobsResponse>());
            return jobs?.Nodes.FirstOrDefault(n => n.NodeId == peer.NodeId)
                ?? new NodeJobs(peer.NodeId, false, "its answer did not list its own jobs", null, null);
        }
        catch (ApiException e)
        {
            return new NodeJobs(peer.NodeId, false, e.Message, null, null);
        }
        catch (JsonException e)
        {
            return new NodeJobs(peer.NodeId, false, $"unreadable answer: {e.Message}", null, null);
        }
    }

    private static string Shorten(string body) => body.Length <= 200 ? body : body[..200] + "…";
}

/// <summary><c>GET /jobs</c>: the node that answered and each node's jobs.</summary>
public sealed record JobsResponse(string NodeId, IReadOnlyList<NodeJobs> Nodes);

/// <summary>
/// One node's jobs. <paramref name="Answered"/> is false (with <paramref name="Error"/>) when the node was not
/// asked (membership holds it dead) or did not answer; <paramref name="Runner"/> is null on a node without a
/// jobs file; <paramref name="LogTails"/> maps each running job's id to its last log lines when they were asked for.
/// </summary>
public sealed record NodeJobs(
    string NodeId,
    bool Answered,
    string? Error,
    JobRunnerSnapshot? Runner,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? LogTails);
