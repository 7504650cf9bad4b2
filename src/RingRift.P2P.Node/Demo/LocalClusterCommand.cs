using System.CommandLine;

using RingRift.P2P.Config;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// Demo/ holds the tooling of the README's first command: local-cluster and the demo workload's jobs.
/// <c>ringrift-p2p local-cluster --nodes N</c>: N nodes on 127.0.0.1 as child processes, each with its
/// own port and data dir, every node seeded with the others. Prints where to look (the dashboard URL
/// among it), then one line per notable change while it runs (<see cref="ClusterFeed"/>: nodes up and
/// down, leader elected or changed, trainings queued and done, promotions with their Elo, failed work);
/// Ctrl-C stops all.
/// Environment variables (timings, token, RINGRIFT_SWIM_ENABLED / RINGRIFT_MEMBERSHIP_MODE) pass
/// through to the nodes; with SWIM enabled each node also gets its own SWIM port (from
/// --swim-base-port on) and the others' SWIM ports as seeds; with RINGRIFT_RAFT_ENABLED each node gets
/// a Raft port (from --raft-base-port on) and every node the full Raft member list.
/// </summary>
public static class LocalClusterCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "How many nodes (1-32)", DefaultValueFactory = _ => 3 };
        var basePort = new Option<int>("--base-port") { Description = "Port of the first node; the others follow", DefaultValueFactory = _ => 8770 };
        var dataDir = new Option<string>("--data-dir") { Description = "Parent folder for each node's data and log", DefaultValueFactory = _ => ".local-cluster" };
        var swimBasePort = new Option<int>("--swim-base-port") { Description = "SWIM port of the first node when RINGRIFT_SWIM_ENABLED is true; the others follow", DefaultValueFactory = _ => 7947 };
        var raftBasePort = new Option<int>("--raft-base-port") { Description = "Raft port of the first node when RINGRIFT_RAFT_ENABLED is true; the others follow", DefaultValueFactory = _ => 4321 };
        var jobs = new Option<string?>("--jobs") { Description = "jobs.yaml every node runs jobs from (default: none, unless --demo)" };
        var demo = new Option<bool>("--demo") { Description = "Run the demo workload: the program's copy of examples/jobs.yaml, written to <data-dir>/demo-jobs.yaml (see examples/README.md)" };
        var command = new Command("local-cluster", "Run N nodes on 127.0.0.1 until Ctrl-C") { nodes, basePort, dataDir, swimBasePort, raftBasePort, jobs, demo };
        command.SetAction((parse, ct) => CliApp.Guard(parse, () =>
        {
            var jobsPath = DemoSettings.Resolve(parse.GetValue(jobs), parse.GetValue(demo), parse.GetValue(dataDir)!);
            // The nodes inherit this environment: a bad log setting stops here, once, not in every node.
            _ = LogSettings.FromEnvironment();
            var count = parse.GetValue(nodes);
            var first = parse.GetValue(basePort);
            if (count is < 1 or > 32) throw new CliUsageException($"--nodes must be from 1 to 32, got {count}");
            if (first is < 1 || first + count - 1 > 65535) throw new CliUsageException($"--base-port {first} leaves no room for {count} ports");
            var settings = new LocalClusterSettings(Enumerable.Range(first, count).ToArray(), parse.GetValue(dataDir)!,
                parse.GetValue(swimBasePort), parse.GetValue(raftBasePort), jobsPath);
            return RunAsync(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct);
        }));
        return command;
    }

    /// <summary>
    /// Starts the nodes, prints where to look, then one line per notable cluster change until
    /// <paramref name="ct"/> is cancelled (Ctrl-C), and stops every node.
    /// </summary>
    internal static async Task<int> RunAsync(LocalClusterSettings settings, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var ports = settings.Ports;
        var count = ports.Length;
        foreach (var port in ports)
            if (!LoopbackPorts.IsFree(port)) throw new CliException($"port {port} on 127.0.0.1 is in use; pick another --base-port");

        var swimPorts = SwimPorts(count, settings.SwimBasePort, ports);
        var raftPorts = RaftPorts(count, settings.RaftBasePort, ports.Concat(swimPorts ?? []).ToArray());

        var root = Path.GetFullPath(settings.DataDir);
        var width = count.ToString().Length;
        var children = new List<ChildNode>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"node-{(i + 1).ToString().PadLeft(width, '0')}";
                var peers = string.Join(',', ports.Where(p => p != ports[i]).Select(p => $"127.0.0.1:{p}"));
                var args = new List<string> { "--node-id", id, "--host", "127.0.0.1", "--port", ports[i].ToString(), "--data-dir", Path.Combine(root, id) };
                if (peers.Length > 0) { args.Add("--peers"); args.Add(peers); }
                if (swimPorts is not null)
                {
                    args.Add("--swim-port"); args.Add(swimPorts[i].ToString());
                    var swimSeeds = string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"));
                    if (swimSeeds.Length > 0) { args.Add("--swim-seeds"); args.Add(swimSeeds); }
                }
                if (raftPorts is not null)
                {
                    args.Add("--raft-port"); args.Add(raftPorts[i].ToString());
                    args.Add("--raft-peers"); args.Add(string.Join(',', raftPorts.Select(p => $"127.0.0.1:{p}")));
                }
                if (settings.JobsPath is not null) { args.Add("--jobs"); args.Add(settings.JobsPath); }
                children.Add(ChildNode.Start(id, ports[i], args, Path.Combine(root, $"{id}.log"), settings.Environment));
            }
            var url = children[0].Url;
            output.WriteLine($"Started {count} node(s) on 127.0.0.1:");
            foreach (var c in children) output.WriteLine($"  {c.NodeId}  {c.Url}");
            output.WriteLine($"Data and logs (node-N.log): {root}");
            if (swimPorts is not null) output.WriteLine($"SWIM on UDP/TCP {swimPorts[0]}-{swimPorts[^1]}; membership view: {url}/swim/members");
            if (raftPorts is not null) output.WriteLine($"Raft on TCP {raftPorts[0]}-{raftPorts[^1]}; details: {url}/raft/status");
            if (settings.JobsPath is not null) output.WriteLine($"Jobs from {settings.JobsPath}");
            output.WriteLine($"dashboard: {url}/dashboard");
            output.WriteLine($"Watch it:  ringrift-p2p status --watch --url {url}");
            if (settings.JobsPath is not null) output.WriteLine($"           ringrift-p2p training --watch --url {url}");
            output.WriteLine("Ctrl-C stops every node. What happens in the cluster, as it happens:");
            return await FollowAsync(children, new ClusterFeed(TimeZoneInfo.Local), output, error, ct);
        }
        finally
        {
            output.WriteLine("Stopping nodes…");
            await Task.WhenAll(children.Select(c => c.StopAsync(TimeSpan.FromSeconds(10))));
            foreach (var c in children) c.Dispose();
        }
    }

    /// <summary>
    /// Until Ctrl-C: every second, reports a node process that exited, and prints the feed's lines from
    /// the first running node's /status and /events (a call that fails is tried again next second).
    /// Exit code 1 once every node has exited.
    /// </summary>
    private static async Task<int> FollowAsync(List<ChildNode> children, ClusterFeed feed, TextWriter output, TextWriter error, CancellationToken ct)
    {
        NodeApiClient? client = null;
        ChildNode? viewer = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var exited = children.FirstOrDefault(c => c.HasExited);
                if (exited is not null)
                {
                    await LastLinesReadAsync(exited);
                    error.WriteLine(exited.LastError is { } why
                        ? $"{exited.NodeId} exited: {why}; see {exited.LogPath}"
                        : $"{exited.NodeId} exited; see {exited.LogPath}");
                    children.Remove(exited);
                    exited.Dispose();
                    if (children.Count == 0) return 1;
                }
                if (viewer != children[0])
                {
                    client?.Dispose();
                    viewer = children[0];
                    client = new NodeApiClient(viewer.Url, CliApp.Token(), TimeSpan.FromSeconds(2));
                }
                foreach (var line in await PollAsync(client!, feed, ct)) output.WriteLine(line);
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { }
            }
            return 0;
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>Waits (up to 5 s: a process it started may still hold the pipe) until an exited node's output is read.</summary>
    private static async Task LastLinesReadAsync(ChildNode exited)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await exited.WaitForExitAsync(bound.Token); }
        catch (OperationCanceledException) { } // report what was read
    }

    private static async Task<List<string>> PollAsync(NodeApiClient client, ClusterFeed feed, CancellationToken ct)
    {
        var lines = new List<string>();
        try
        {
            lines.AddRange(feed.Nodes(await client.GetAsync("status", ct), DateTimeOffset.UtcNow));
            lines.AddRange(feed.Events(await client.GetAsync($"events?limit={ClusterEvents.RecentCount}", ct)));
        }
        catch (CliException) { } // no leader yet, or the node is busy: next second
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        return lines;
    }

    /// <summary>One SWIM port per node when the environment enables SWIM (null otherwise), each free for UDP and TCP.</summary>
    private static int[]? SwimPorts(int count, int swimBasePort, int[] httpPorts)
    {
        if (!RingRift.P2P.Config.P2PConfig.FromEnvironment().SwimEnabled) return null;
        if (swimBasePort is < 1 || swimBasePort + count - 1 > 65535) throw new CliUsageException($"--swim-base-port {swimBasePort} leaves no room for {count} ports");
        var swimPorts = Enumerable.Range(swimBasePort, count).ToArray();
        foreach (var port in swimPorts)
        {
            if (httpPorts.Contains(port)) throw new CliException($"SWIM port {port} overlaps the HTTP ports; pick another --swim-base-port");
            if (!LoopbackPorts.IsFreeForSwim(port)) throw new CliException($"SWIM port {port} on 127.0.0.1 is in use (UDP or TCP); pick another --swim-base-port");
        }
        return swimPorts;
    }

    /// <summary>One Raft port per node when the environment enables Raft (null otherwise), each free for TCP.</summary>
    private static int[]? RaftPorts(int count, int raftBasePort, int[] taken)
    {
        if (!RingRift.P2P.Config.P2PConfig.FromEnvironment().RaftEnabled) return null;
        if (raftBasePort is < 1 || raftBasePort + count - 1 > 65535) throw new CliUsageException($"--raft-base-port {raftBasePort} leaves no room for {count} ports");
        var raftPorts = Enumerable.Range(raftBasePort, count).ToArray();
        foreach (var port in raftPorts)
        {
            if (taken.Contains(port)) throw new CliException($"Raft port {port} overlaps the HTTP or SWIM ports; pick another --raft-base-port");
            if (!LoopbackPorts.IsFree(port)) throw new CliException($"Raft port {port} on 127.0.0.1 is in use; pick another --raft-base-port");
        }
        return raftPorts;
    }
}

/// <summary>
/// What local-cluster runs: one node per HTTP port (ids node-1…), data under <paramref name="DataDir"/>,
/// SWIM and Raft ports from their bases when the environment enables them, an optional jobs file, and
/// the environment for the nodes (null: this process's).
/// </summary>
internal sealed record LocalClusterSettings(int[] Ports, string DataDir, int SwimBasePort, int RaftBasePort, string? JobsPath,
    IReadOnlyDictionary<string, string>? Environment = null);
