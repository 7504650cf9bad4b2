using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// <c>ringrift-p2p jobs [--all]</c>: the jobs a node's runner is running (/status <c>jobs.runner</c>); with
/// <c>--all</c> every alive peer is asked too, at the address the node lists for it.
/// </summary>
public static class JobsCommand
{
    /// <summary>How long a peer asked by --all may take.</summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Also ask every alive peer (at the address the node lists for it)" };
        return new ViewCommand<JobsAnswer>
        {
            Name = "jobs",
            Description = "Show the jobs a node is running (pid, progress, slot, time), its slots and job counters",
            JsonDescription = "Print /status's jobs.runner as is; with --all an object of them by node id",
            Options = [all],
            Fetch = f => FetchAsync(f.Client, f.Parse.GetValue(all), f.Ct),
            Json = Json,
            Render = (answer, context) => new Rows(answer.Nodes.Select(n => JobsView.Node(n, context))),
            Problems = answer => [.. answer.Nodes.Where(n => n.Error is not null).Select(n => $"{n.NodeId} ({n.Address}) did not answer: {n.Error}")],
        }.Create();
    }

    /// <summary>The asked node's runner; with <paramref name="all"/>, then every alive peer's, asked in parallel.</summary>
    public static async Task<JobsAnswer> FetchAsync(NodeApiClient client, bool all, CancellationToken ct)
    {
        var status = await client.GetAsync("status", ct);
        var self = new NodeJobs(Str(status["node_id"]) ?? "?", all ? client.Address : null, status["jobs"]?["runner"]);
        if (!all) return new JobsAnswer(false, [self]);
        var peers = (status["peers"] as JsonObject ?? []).Where(p => Bool(p.Value?["alive"]) == true)
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (Id: p.Key, Address: Str(p.Value?["address"]) ?? "?"));
        var others = await Task.WhenAll(peers.Select(p => AskAsync(client, p.Id, p.Address, ct)));
        return new JobsAnswer(true, [self, .. others]);
    }

    private static async Task<NodeJobs> AskAsync(NodeApiClient via, string nodeId, string address, CancellationToken ct)
    {
        try
        {
            using var peer = new NodeApiClient($"{via.Scheme}://{address}", CliApp.Token(), PeerTimeout);
            return new NodeJobs(nodeId, address, (await peer.GetAsync("status", ct))["jobs"]?["runner"]);
        }
        catch (Exception ex) when (ex is CliException or CliUsageException)
        {
            return new NodeJobs(nodeId, address, null, ex.Message);
        }
    }

    /// <summary>The runner block of the asked node; with --all an object of the blocks by node id (nodes that did not answer left out).</summary>
    public static JsonNode? Json(JobsAnswer answer)
    {
        if (!answer.All) return answer.Nodes[0].Runner;
        var json = new JsonObject();
        foreach (var node in answer.Nodes.Where(n => n.Error is null)) json[node.NodeId] = node.Runner?.DeepClone();
        return json;
    }
}
