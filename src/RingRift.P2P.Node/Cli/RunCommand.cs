using System.CommandLine;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p run</c>: start this node's service and block until Ctrl-C / SIGTERM.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run a node");
        var flags = RunFlagOptions.AddTo(command);
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            var options = NodeOptionsResolver.Resolve(flags(parse));
            HttpPortCheck.EnsureFree(options);
            try
            {
                SqliteNativeLibrary.LoadNow(); // the native executable's SQLite, written out where it may be
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
            // This process is the node's own: it may give its start-up memory back (a process-wide collection).
            await using var app = await NodeHost.BuildAsync(options, configureServices: s => s.AddHostedService<StartupMemoryTrim>(), ct: ct);
            try
            {
                await app.RunAsync();
            }
            catch (Exception e) when (HttpPortCheck.IsAddressInUse(e))
            {
                throw HttpPortCheck.InUse(options); // taken between the check and Kestrel's bind
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The flags <c>run</c> would use for <paramref name="args"/> (the arguments after <c>run</c>).</summary>
    internal static RunFlags ParseFlags(params string[] args)
    {
        var command = new Command("run");
        var flags = RunFlagOptions.AddTo(command);
        var parse = command.Parse(args);
        if (parse.Errors.Count > 0) throw new ArgumentException(string.Join("; ", parse.Errors.Select(e => e.Message)));
        return flags(parse);
    }
}

/// <summary>The node's flags, shared by <c>run</c> and by <c>config check</c> / <c>config show</c> (which check exactly what <c>run</c> would be given).</summary>
public static class RunFlagOptions
{
    /// <summary>Adds every node flag to <paramref name="command"/>; returns how to read them from a parse.</summary>
    public static Func<ParseResult, RunFlags> AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var nodeId = new Option<string?>("--node-id") { Description = "This node's id (default: $RINGRIFT_NODE_ID, else the host name)" };
        var port = new Option<int?>("--port") { Description = "HTTP port (default: $RINGRIFT_P2P_PORT, else 8770)" };
        var host = new Option<string?>("--host") { Description = "Address to bind (default: $RINGRIFT_P2P_HOST, else 0.0.0.0)" };
        var peers = new Option<string?>("--peers") { Description = "Seed peers, host:port,... (default: $RINGRIFT_P2P_PEERS)" };
        var hosts = new Option<string?>("--hosts") { Description = "distributed_hosts.yaml inventory (default: $RINGRIFT_P2P_HOSTS_FILE)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the queue and node state live (default: $RINGRIFT_P2P_DATA_DIR, else ./data/<node-id>)" };
        var advertise = new Option<string?>("--advertise-address", "--advertise-host") { Description = "Address peers should use for this node (default: $RINGRIFT_P2P_ADVERTISE_ADDRESS, else the bind host unless it is 0.0.0.0)" };
        var authToken = new Option<string?>("--auth-token") { Description = "The cluster token (default: $RINGRIFT_CLUSTER_AUTH_TOKEN or the file $RINGRIFT_CLUSTER_AUTH_TOKEN_FILE names; prefer the file: a flag is visible to every user of the host in the process list)" };
        var voters = new Option<string?>("--voters") { Description = "Voter node ids, comma-separated (default: $RINGRIFT_P2P_VOTERS, else p2p_voters, else every node)" };
        var swimPort = new Option<int?>("--swim-port") { Description = "SWIM UDP/TCP port (default: $RINGRIFT_SWIM_BIND_PORT, else the host's swim_port, else 7947)" };
        var swimSeeds = new Option<string?>("--swim-seeds") { Description = "SWIM join seeds, host:port,... at their SWIM ports (default: $RINGRIFT_SWIM_SEEDS; the hosts file's voters are added)" };
        var raftPort = new Option<int?>("--raft-port") { Description = "Raft TCP port (default: $RINGRIFT_RAFT_BIND_PORT, else the host's raft_port, else 4321)" };
        var raftPeers = new Option<string?>("--raft-peers") { Description = "Every Raft member, host:port,... at their Raft ports, self included (default: $RINGRIFT_RAFT_PEERS; the hosts file's raft_members / p2p_voters win)" };
        var raftAdvertise = new Option<string?>("--raft-advertise") { Description = "This node's entry in the Raft member list when peers reach it at another address or port than it binds (NAT, port forwarding, a proxy)" };
        var jobs = new Option<string?>("--jobs") { Description = "jobs.yaml: the job types this node runs and their commands (default: $RINGRIFT_P2P_JOBS_FILE; none: no jobs run here)" };
        foreach (var option in new Option[] { nodeId, port, host, peers, hosts, dataDir, advertise, voters, swimPort, swimSeeds, raftPort, raftPeers, raftAdvertise, jobs, authToken })
            command.Options.Add(option);
        return parse => new RunFlags(parse.GetValue(nodeId), parse.GetValue(port), parse.GetValue(host), parse.GetValue(peers),
            parse.GetValue(hosts), parse.GetValue(dataDir), parse.GetValue(advertise), parse.GetValue(voters),
            parse.GetValue(swimPort), parse.GetValue(swimSeeds), parse.GetValue(raftPort), parse.GetValue(raftPeers), parse.GetValue(raftAdvertise),
            parse.GetValue(jobs), parse.GetValue(authToken));
    }
}
