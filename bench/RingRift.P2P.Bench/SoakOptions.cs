using System.Globalization;

namespace RingRift.P2P.Bench;

/// <summary>The <c>soak</c> sub-command's options, checked before any node starts.</summary>
/// <param name="Minutes">How long each mode runs (30).</param>
/// <param name="Modes">raft, bully or both, one after the other (both).</param>
/// <param name="Clients">Client loops adding, claiming and completing work (16).</param>
/// <param name="PauseMs">Each client waits this long after each operation (500 ms: steady work, about 2 operations a second per client; 0 runs them flat out, which grows the queue by tens of thousands of items a minute).</param>
/// <param name="KillEverySeconds">A SIGKILL of the leader every so often (120 s).</param>
/// <param name="RestartEverySeconds">A graceful restart (SIGTERM, start again) of a follower every so often (180 s).</param>
/// <param name="RestartDelaySeconds">A killed node starts again on its data this long after the kill (5 s, the systemd unit's <c>RestartSec</c>).</param>
/// <param name="Seed">Seeds the clients and the choice of follower (1).</param>
/// <param name="DriftFromMinute">Resident memory and open files are compared from the reading at the end of this minute on (5).</param>
/// <param name="ElectionTimeoutMs">Raft: <c>RINGRIFT_RAFT_ELECTION_TIMEOUT_MS</c> for the nodes; null: the node's default.</param>
/// <param name="LeaseSeconds">Bully: the leader lease (3 s, as the <c>failover</c> bench; the seed's 30 s would mean 20–30 s failovers).</param>
/// <param name="HeartbeatSeconds">Bully: the heartbeat interval (0.5 s).</param>
/// <param name="PeerTimeoutSeconds">Bully: the peer timeout (1.5 s).</param>
/// <param name="NodeProgram">Runs the nodes from another build; null: the node this bench was built with.</param>
/// <param name="KeepLogs">Keeps the nodes' data and logs (path on stderr) instead of deleting them.</param>
/// <param name="RetentionSeconds">
/// <c>RINGRIFT_QUEUE_RETENTION</c> for the nodes (60 s): short, so the leader prunes finished items during the run and
/// the queue, and with it memory, stays flat (the node's default, a day, would keep every item of a run).
/// </param>
/// <param name="RetainMax"><c>RINGRIFT_QUEUE_RETAIN_MAX</c> for the nodes (1,000).</param>
/// <param name="MaxHeld">
/// The most claims one client holds at once (4, a worker's slots): at the limit it completes or fails one
/// instead of claiming another. 0: unlimited, so claims outnumber releases and held items pile up until their
/// one-hour timeout, which grows the queue with the run however short the retention.
/// </param>
public sealed record SoakOptions(
    double Minutes,
    IReadOnlyList<SoakMode> Modes,
    int Clients,
    double PauseMs,
    double KillEverySeconds,
    double RestartEverySeconds,
    double RestartDelaySeconds,
    int Seed,
    double DriftFromMinute,
    int? ElectionTimeoutMs,
    double LeaseSeconds,
    double HeartbeatSeconds,
    double PeerTimeoutSeconds,
    string? NodeProgram,
    bool KeepLogs,
    double RetentionSeconds = 60,
    int RetainMax = 1_000,
    int MaxHeld = 4)
{
    private static readonly HashSet<string> Known =
    [
        "--minutes", "--mode", "--clients", "--pause-ms", "--kill-every", "--restart-every", "--restart-delay", "--seed", "--drift-from",
        "--election-timeout-ms", "--lease", "--heartbeat", "--peer-timeout", "--node-program", "--keep-logs", "--retention", "--retain-max",
        "--max-held",
    ];

    /// <summary>Reads the options; an unknown option or a bad value throws <see cref="ArgumentException"/> naming it.</summary>
    public static SoakOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var arg in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
            if (!Known.Contains(arg)) throw new ArgumentException($"unknown option {arg}; allowed: {string.Join(", ", Known)}");

        var modes = BenchArgs.GetString(args, "--mode", "both") switch
        {
            "both" => new[] { SoakMode.Raft, SoakMode.Bully },
            "raft" => [SoakMode.Raft],
            "bully" => [SoakMode.Bully],
            var other => throw new ArgumentException($"--mode is '{other}'; allowed: raft, bully, both"),
        };
        var options = new SoakOptions(
            Minutes: BenchArgs.Get(args, "--minutes", 30),
            Modes: modes,
            Clients: Whole(args, "--clients", 16),
            PauseMs: BenchArgs.Get(args, "--pause-ms", 500),
            KillEverySeconds: BenchArgs.Get(args, "--kill-every", 120),
            RestartEverySeconds: BenchArgs.Get(args, "--restart-every", 180),
            RestartDelaySeconds: BenchArgs.Get(args, "--restart-delay", 5),
            Seed: Whole(args, "--seed", 1),
            DriftFromMinute: Whole(args, "--drift-from", 5),
            ElectionTimeoutMs: args.Contains("--election-timeout-ms") ? Whole(args, "--election-timeout-ms", 0) : null,
            LeaseSeconds: BenchArgs.Get(args, "--lease", 3),
            HeartbeatSeconds: BenchArgs.Get(args, "--heartbeat", 0.5),
            PeerTimeoutSeconds: BenchArgs.Get(args, "--peer-timeout", 1.5),
            NodeProgram: BenchArgs.GetNodeProgram(args),
            KeepLogs: args.Contains("--keep-logs"),
            RetentionSeconds: BenchArgs.Get(args, "--retention", 60),
            RetainMax: Whole(args, "--retain-max", 1_000),
            MaxHeld: Whole(args, "--max-held", 4));
        if (!(options.RetentionSeconds >= 0) || options.RetentionSeconds > 31_536_000)
            throw new ArgumentException($"--retention must be between 0 and 31536000 seconds (0: no age limit), got {Text(options.RetentionSeconds)}");
        if (options.RetainMax is < 0 or > 100_000_000)
            throw new ArgumentException($"--retain-max must be between 0 and 100000000 (0: no count limit), got {options.RetainMax}");
        if (options.MaxHeld is < 0 or > 1_000_000)
            throw new ArgumentException($"--max-held must be between 0 and 1000000 (0: unlimited), got {options.MaxHeld}");
        if (!(options.PauseMs >= 0) || options.PauseMs > 60_000)
            throw new ArgumentException($"--pause-ms must be between 0 and 60000, got {Text(options.PauseMs)}");
        if (options.RestartDelaySeconds >= options.KillEverySeconds)
            throw new ArgumentException($"--restart-delay ({options.RestartDelaySeconds} s) must be shorter than --kill-every ({options.KillEverySeconds} s): a killed node must be back before the next kill");
        if (options.PeerTimeoutSeconds <= options.HeartbeatSeconds)
            throw new ArgumentException($"--peer-timeout ({options.PeerTimeoutSeconds} s) must be longer than --heartbeat ({options.HeartbeatSeconds} s)");
        return options;
    }

    /// <summary>The environment of every node in <paramref name="mode"/>.</summary>
    public Dictionary<string, string> Environment(SoakMode mode)
    {
        var env = new Dictionary<string, string>
        {
            ["RINGRIFT_QUEUE_RETENTION"] = Text(RetentionSeconds),
            ["RINGRIFT_QUEUE_RETAIN_MAX"] = Text(RetainMax),
        };
        if (mode == SoakMode.Raft)
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
            if (ElectionTimeoutMs is { } ms) env["RINGRIFT_RAFT_ELECTION_TIMEOUT_MS"] = Text(ms);
        }
        else
        {
            env["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = Text(HeartbeatSeconds);
            env["RINGRIFT_P2P_PEER_TIMEOUT"] = Text(PeerTimeoutSeconds);
            env["RINGRIFT_P2P_LEADER_LEASE"] = Text(LeaseSeconds);
        }
        return env;
    }

    private static int Whole(string[] args, string name, int defaultValue)
    {
        var value = BenchArgs.Get(args, name, defaultValue);
        if (value != Math.Floor(value) || value > int.MaxValue) throw new ArgumentException($"{name} needs a whole number, got {value.ToString(CultureInfo.InvariantCulture)}");
        return (int)value;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
