using System.CommandLine;
using System.Text.Json.Nodes;

using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// Demo/ holds the tooling of the README's first command: local-cluster and the demo workload's jobs.
/// <c>ringrift-p2p local-cluster --nodes N</c>: N nodes on 127.0.0.1 as child processes, each with its
/// own port and data dir, every node seeded with the others. Prints where to look; Ctrl-C stops all.
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
        var demo = new Option<bool>("--demo") { Description = "Run the demo workload: --jobs examples/jobs.yaml (see examples/README.md)" };
        var command = new Command("local-cluster", "Run N nodes on 127.0.0.1 until Ctrl-C") { nodes, basePort, dataDir, swimBasePort, raftBasePort, jobs, demo };
        command.SetAction((parse, ct) => CliApp.Guard(parse, () =>
        {
            var jobsPath = DemoSettings.Resolve(parse.GetValue(jobs), parse.GetValue(demo));
            return RunAsync(parse.GetValue(nodes), parse.GetValue(basePort), parse.GetValue(dataDir)!,
                parse.GetValue(swimBasePort), parse.GetValue(raftBasePort), jobsPath, ct);
        }));
        return command;
    }

    private static async Task<int> RunAsync(int count, int basePort, string dataDir, int swimBasePort, int raftBasePort,
        string? jobsPath, CancellationToken ct)
    {
        if (count is < 1 or > 32) throw new CliException($"--nodes must be from 1 to 32, got {count}");
        if (basePort is < 1 || basePort + count - 1 > 65535) throw new CliException($"--base-port {basePort} leaves no room for {count} ports");
        var ports = Enumerable.Range(basePort, count).ToArray();
        foreach (var port in ports)
            if (!LoopbackPorts.IsFree(port)) throw new CliException($"port {port} on 127.0.0.1 is in use; pick another --base-port");

        var swimPorts = SwimPorts(count, swimBasePort, ports);
        var raftPorts = RaftPorts(count, raftBasePort, ports.Concat(swimPorts ?? []).ToArray());

        var root = Path.GetFullPath(dataDir);
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
                if (jobsPath is not null) { args.Add("--jobs"); args.Add(jobsPath); }
                children.Add(ChildNode.Start(id, ports[i], args, Path.Combine(root, $"{id}.log")));
            }
            Console.WriteLine($"Started {count} node(s) on 127.0.0.1 (data and logs under {root}):");
            foreach (var c in children) Console.WriteLine($"  {c.NodeId}  {c.Url}/status   log: {c.LogPath}");
            if (swimPorts is not null) Console.WriteLine($"SWIM on UDP/TCP {swimPorts[0]}-{swimPorts[^1]}; membership view: {children[0].Url}/swim/members");
            if (raftPorts is not null) Console.WriteLine($"Raft on TCP {raftPorts[0]}-{raftPorts[^1]}; details: {children[0].Url}/raft/status");
            Console.WriteLine($"Cluster view:  ringrift-p2p status --url {children[0].Url}");
            if (jobsPath is not null) Console.WriteLine($"Jobs from {jobsPath}; training: {children[0].Url}/training/status");
            Console.WriteLine("Press Ctrl-C to stop every node.");

            var leader = await WaitForLeaderAsync(children[0].Url, TimeSpan.FromSeconds(60), ct);
            if (leader is not null) Console.WriteLine($"Leader elected: {leader}");
            while (!ct.IsCancellationRequested)
            {
                var exited = children.FirstOrDefault(c => c.HasExited);
                if (exited is not null)
                {
                    Console.Error.WriteLine($"{exited.NodeId} exited; see {exited.LogPath}");
                    children.Remove(exited);
                    exited.Dispose();
                    if (children.Count == 0) return 1;
                }
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { }
            }
            return 0;
        }
        finally
        {
            Console.WriteLine("Stopping nodes…");
            await Task.WhenAll(children.Select(c => c.StopAsync(TimeSpan.FromSeconds(10))));
            foreach (var c in children) c.Dispose();
        }
    }

    /// <summary>One SWIM port per node when the environment enables SWIM (null otherwise), each free for UDP and TCP.</summary>
    private static int[]? SwimPorts(int count, int swimBasePort, int[] httpPorts)
    {
        if (!RingRift.P2P.Config.P2PConfig.FromEnvironment().SwimEnabled) return null;
        if (swimBasePort is < 1 || swimBasePort + count - 1 > 65535) throw new CliException($"--swim-base-port {swimBasePort} leaves no room for {count} ports");
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
        if (raftBasePort is < 1 || raftBasePort + count - 1 > 65535) throw new CliException($"--raft-base-port {raftBasePort} leaves no room for {count} ports");
        var raftPorts = Enumerable.Range(raftBasePort, count).ToArray();
        foreach (var port in raftPorts)
        {
            if (taken.Contains(port)) throw new CliException($"Raft port {port} overlaps the HTTP or SWIM ports; pick another --raft-base-port");
            if (!LoopbackPorts.IsFree(port)) throw new CliException($"Raft port {port} on 127.0.0.1 is in use; pick another --raft-base-port");
        }
        return raftPorts;
    }

    private static async Task<string?> WaitForLeaderAsync(string url, TimeSpan within, CancellationToken ct)
    {
        using var client = new NodeApiClient(url, CliApp.Token(), TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            try
            {
                var status = await client.GetAsync("status", ct);
                if (status["leader_id"] is JsonValue v && v.TryGetValue<string>(out var leader)) return leader;
            }
            catch (CliException) { }
            catch (OperationCanceledException) { return null; }
            try { await Task.Delay(500, ct); } catch (OperationCanceledException) { return null; }
        }
        return null;
    }
}
